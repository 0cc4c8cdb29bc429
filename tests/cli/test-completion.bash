#!/bin/bash
# The bash completion (cli/completion/uringctl) offers what uringctl's own
# help lists: the commands, the global options, each command's options,
# and values where it knows them.
# shellcheck source=tests/cli/lib.sh
. "${srcdir:-.}/lib.sh"
# shellcheck source=cli/completion/uringctl
. "$top_srcdir/cli/completion/uringctl"

# comp WORD...: complete the last WORD of "uringctl WORD..." (split as
# bash splits them); $got is the offers, sorted, space-separated.
comp() {
	COMP_WORDS=(uringctl "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_uringctl 2>/dev/null
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	got=${got% }
}

# expect NAME WANT WORD...: the offers for WORD... are exactly WANT.
expect() {
	local name=$1 want=$2
	shift 2
	comp "$@"
	# shellcheck disable=SC2086 # one word each
	want=$(printf '%s\n' $want | sort | tr '\n' ' ')
	want=${want% }
	if [[ $got == "$want" ]]; then ok "$name"; else not_ok "$name" "got '$got', want '$want'"; fi
}

# The options a help text lists: -x and --long, sorted.
help_opts() { grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z0-9-]*' | sed 's/^[ ,]//' | sort -u | tr '\n' ' '; }

uc help
commands=$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\).*/\1/p' | tr '\n' ' ')
global=$(printf '%s\n' "$out" | sed -n '/^Options/,/^$/p' | help_opts)
[[ -n $commands && -n $global ]] || not_ok help-parsed "cannot read uringctl help"

expect commands "$commands" ''
expect command-prefix 'get' g
expect command-prefix-2 'set stats' s
expect global-options "$global" -
for c in $commands; do
	uc help "$c"
	opts=$(printf '%s\n' "$out" | sed -n '/^Options:/,/^$/p' | help_opts)
	expect "options-$c" "$global $opts" "$c" -
done
expect long-prefix '--batch' nop --b
expect values-set '' set ''
expect after-value "$commands" set 5 ''
expect after-negative "$commands" echo -5 ''
expect help-topic "$commands" help ''
expect help-topic-prefix 'hello help' help he
expect wait-value '' wait -t 5 ''
expect wait-after-value "$commands" wait -t 5 7 ''
expect echo-dash-dash "$commands" echo -- -x ''
expect option-value '' nop -n ''
expect raw-op '' raw --op ''
expect read-offset '' read ''
expect read-len '' read 0 ''
expect read-after-len "$commands" read 0 16 ''
expect read-vectored-value '' read 0 16 --vectored ''
expect read-after-vectored "$commands" read 0 16 --vectored 4 ''
expect write-data '' write 0 ''
expect write-after-data "$commands" write 0 hello ''
expect write-options '--fixed' write 0 --fi
expect chain-options '--count' set 5 nop --c
expect chain-options-short "$global --count --batch -n -b" set 5 nop -
expect ops-list 'nop,delay' bench --ops nop,d
expect ops-first 'get' bench --ops g
expect ops-equals 'nop,get' bench --ops = nop,g
expect ops-data 'read_fixed' bench --ops read_f
comp --device /de
if [[ " $got " == *" /dev "* ]]; then ok device-files; else not_ok device-files "got '$got'"; fi
comp -d /de
if [[ " $got " == *" /dev "* ]]; then ok device-files-short; else not_ok device-files-short "got '$got'"; fi
comp --device = /de
if [[ " $got " == *" /dev "* ]]; then ok device-files-equals; else not_ok device-files-equals "got '$got'"; fi
# the device's value is not taken for a command
expect after-device "$commands" --device /dev/null ''
uc_done
