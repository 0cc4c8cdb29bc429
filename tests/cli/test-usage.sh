#!/bin/sh
# uringctl's usage errors (exit 2, a message naming what is wrong, the
# usage lines, nothing on stdout), help and version: no device needed.
# shellcheck source=tests/cli/lib.sh
. "${srcdir:-.}/lib.sh"

check version 0 '^uringctl [0-9]+\.[0-9]+\.[0-9]+ \(libmiscuring [0-9]+\.[0-9]+\.[0-9]+, ABI version 1\)$' '' --version
check version-anywhere 0 '^uringctl ' '' get --version bogus
check help 0 '^Usage: uringctl \[OPTION\]\.\.\. COMMAND \[ARG\]\.\.\. \[COMMAND \[ARG\]\.\.\.\]\.\.\.$' '' help
check help-option 0 '^Commands:$' '' --help
for c in info hello get set nop echo delay wait stats bench raw help; do
	check "help-$c" 0 "^Usage: uringctl \[OPTION\]\.\.\. $c( |\$)" '' help "$c"
	check "help-$c-option" 0 "^Usage: uringctl \[OPTION\]\.\.\. $c( |\$)" '' "$c" --help
done
for c in '' info hello get set nop echo delay wait stats bench raw help; do
	# shellcheck disable=SC2086 # '' is no argument
	uc help $c
	long=$(printf '%s\n' "$out" | awk 'length > 79' | head -n 1)
	if [ -z "$long" ]; then ok "help-$c-80-columns"; else not_ok "help-$c-80-columns" "line over 79 columns: $long"; fi
done

usage no-command 'no command given'
usage no-command-json 'no command given' --json
usage unknown-command "unknown command 'bogus'" bogus
usage unknown-option "unknown option '--bogus'" --bogus get
usage command-unknown-option "get: unknown option '--count'" get --count 5
usage extra-argument "get: unexpected argument 'extra'" get extra
usage extra-argument-set "set: unexpected argument '2'" set 1 2
usage missing-set 'set: missing VALUE' set
usage missing-set-before-command 'set: missing VALUE' set get
usage missing-echo 'echo: missing DATA' echo
usage missing-delay 'delay: missing USEC' delay
usage missing-wait 'wait: missing VALUE' wait --timeout 5
usage missing-raw-op 'raw: missing --op N' raw
usage missing-option-value "nop: option '--count' needs a value \(COUNT\)" nop --count
usage fd-not-a-number "option '--fd' needs a descriptor number \(0\.\.2147483647\), not 'x'" --fd x get
usage fd-negative "option '--fd' needs a descriptor number \(0\.\.2147483647\), not '-1'" --fd=-1 get
usage fd-and-device '--fd and --device exclude each other' --fd 0 -d /dev/null get
usage missing-device-value "option '--device' needs a value \(PATH\)" get --device
usage not-a-number "set: VALUE 'abc' is not a number" set abc
usage not-a-number-junk "set: VALUE '12abc' is not a number" set 12abc
usage not-a-number-blank "set: VALUE ' 1' is not a number" set ' 1'
usage not-a-number-plus "set: VALUE '\+1' is not a number" set +1
usage not-a-number-float "set: VALUE '1\.5' is not a number" set 1.5
usage not-a-number-count "nop: -n 'many' is not a number" nop -n many
usage not-a-number-usec "delay: USEC '1ms' is not a number" delay 1ms
usage not-a-number-seconds "bench: --seconds '1s' is not a number of seconds" bench --seconds 1s
usage not-hex "raw: --payload 'xyz0' is not hex bytes \(an even number of hex digits\)" raw --op 1 --payload xyz0
usage range-negative "set: VALUE '-1' is out of range \(0\.\.18446744073709551615\)" set -1
usage range-too-big "set: VALUE '18446744073709551616' is out of range \(0\.\.18446744073709551615\)" set 18446744073709551616
usage range-hex-too-big "wait: VALUE '0x10000000000000000' is out of range \(0\.\.18446744073709551615\)" wait 0x10000000000000000
usage range-count "nop: -n '0' is out of range \(1\.\.18446744073709551615\)" nop -n 0
usage range-batch "nop: -b '4097' is out of range \(1\.\.4096\)" nop -b 4097
usage range-delay "delay: USEC '10000001' is out of range \(0\.\.10000000\)" delay 10000001
usage range-result "delay: --result '-2147483649' is out of range \(-2147483648\.\.2147483647\)" delay 5 --result -2147483649
usage range-timeout "wait: --timeout '10000001' is out of range \(0\.\.10000000\)" wait --timeout 10000001 0
usage range-echo 'echo: DATA is 65 bytes, at most 64' echo "$(printf '%065d' 0)"
usage range-payload 'raw: --payload is 17 bytes, at most 16 without --sqe128' raw --op 1 --payload "$(printf '%034d' 0)"
usage range-op "raw: --op '4294967296' is out of range \(0\.\.4294967295\)" raw --op 4294967296
usage range-seconds "bench: -s '3601' is out of range \(0\.001\.\.3600\)" bench -s 3601
usage range-batches "bench: --batch '0,8' is out of range \(1\.\.4096, at most 16 sizes\)" bench --batch 0,8
usage range-sizes "bench: --sizes '0' is out of range \(1\.\.1048576, at most 8 sizes\)" bench --sizes 0
usage bench-ops "bench: --ops 'nop,foo' is not a list of nop, get, delay, ioctl, read, write, readv, writev, read_fixed, write_fixed" bench --ops nop,foo
usage bench-duplicate "bench: --batch '8,8' names an item twice" bench --batch 8,8
usage bench-exclusive 'bench: --seconds and --count exclude each other' bench -s 1 -n 5
usage json-quiet '--json and --quiet exclude each other' -jq get
usage flag-value "option '--json' takes no value" --json=yes get
usage empty-device "option '--device' needs a path, not ''" --device '' get
usage help-unknown "help: unknown command 'bogus'" help bogus
usage help-alone 'help goes alone, not with other commands' help get info
usage dash-dash-last "'--' at the end: an argument should follow it" echo --
# a usage error anywhere means nothing runs, not even what comes first
usage nothing-runs "set: VALUE 'x' is not a number" -d /nonexistent get set x

uc_done
