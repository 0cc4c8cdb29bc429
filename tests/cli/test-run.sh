#!/bin/sh
# uringctl on the host, where there is no /dev/miscuring: a missing or
# inaccessible device (exit 1, the errno by name, the hint), write errors,
# the capability check of stats --reset, and, where the host lets us use
# io_uring, raw on /dev/null (whose uring_cmd completes anything with 0)
# and on a socket (--fd), and the device commands refusing /dev/null.
# shellcheck source=tests/cli/lib.sh
. "${srcdir:-.}/lib.sh"

# --- missing device --------------------------------------------------------
hint='; is the miscuring module loaded\? \(modprobe miscuring\)'
check missing-device 1 '' "^uringctl: /nonexistent: No such file or directory \(ENOENT\)$hint\$" --device /nonexistent info
check missing-device-short 1 '' "^uringctl: /nonexistent: No such file or directory \(ENOENT\)$hint\$" -d/nonexistent get
MISCURING_DEVICE=/nonexistent/env
export MISCURING_DEVICE
check missing-device-env 1 '' "^uringctl: /nonexistent/env: No such file or directory \(ENOENT\)$hint\$" set 5
check missing-device-option-wins 1 '' '^uringctl: /nonexistent/opt: No such file' -d /nonexistent/opt get
unset MISCURING_DEVICE
check missing-device-quiet 1 '' "^uringctl: /nonexistent: No such file or directory \(ENOENT\)$hint\$" -q -d /nonexistent get
check missing-device-default 1 '' "^uringctl: /dev/miscuring: No such file or directory \(ENOENT\)$hint\$" -d /dev/miscuring get
# raw takes any file: no module hint
check missing-device-raw 1 '' '^uringctl: /nonexistent: No such file or directory \(ENOENT\)$' -d /nonexistent raw --op 1
# the stderr message is the whole story: one line
lines=$(wc -l <"$ERR")
if [ "$lines" -eq 1 ]; then ok missing-device-one-line; else not_ok missing-device-one-line "$lines lines"; fi

# --- permission denied -------------------------------------------------------
# uringctl drops every capability first, so even root cannot open a file
# whose mode grants nothing.
f=$T_TMP/node
: >"$f"
chmod 0000 "$f"
fre=$(ere "$f")
check eacces-mode 1 '' "^uringctl: $fre: Permission denied \(EACCES\); its mode 0000 gives its group no read access\$" -d "$f" get
check eacces-mode-write 1 '' "^uringctl: $fre: Permission denied \(EACCES\); its mode 0000 gives its group no write access\$" -d "$f" set 1
# group access only: the owner class still applies to the owner, and the
# hint names the group that may
chmod 0060 "$f"
group=$(id -gn)
check eacces-group 1 '' "^uringctl: $fre: Permission denied \(EACCES\); members of group '$(ere "$group")' may use it\$" -d "$f" info

# --- stats --reset and CAP_SYS_ADMIN ------------------------------------------
if [ "$(id -u)" != 0 ]; then
	check reset-needs-cap 1 '' '^uringctl: stats --reset needs CAP_SYS_ADMIN$' -d /nonexistent stats --reset
elif command -v setpriv >/dev/null && setpriv --bounding-set -sys_admin true 2>/dev/null; then
	# root without CAP_SYS_ADMIN in its bounding set: not in permitted either
	URINGCTL_REAL=$URINGCTL
	URINGCTL="setpriv --bounding-set -sys_admin $URINGCTL_REAL"
	# shellcheck disable=SC2086 # a command with its arguments
	$URINGCTL -d /nonexistent stats --reset >"$OUT" 2>"$ERR"
	rc=$? out=$(cat "$OUT") err=$(cat "$ERR")
	URINGCTL=$URINGCTL_REAL
	verdict reset-needs-cap 1 '' '^uringctl: stats --reset needs CAP_SYS_ADMIN$'
	# with CAP_SYS_ADMIN the check passes and the open fails
	check reset-with-cap 1 '' '^uringctl: /nonexistent: No such file' -d /nonexistent stats --reset
else
	echo "skip reset-needs-cap: root, and setpriv cannot drop CAP_SYS_ADMIN here"
fi

# --- write errors --------------------------------------------------------------
if [ -w /dev/full ]; then
	"$URINGCTL" help >/dev/full 2>"$ERR"
	rc=$? out='' err=$(cat "$ERR")
	verdict write-error-help 1 '' '^uringctl: write error: No space left on device \(ENOSPC\)$'
	"$URINGCTL" --version >/dev/full 2>"$ERR"
	rc=$? out='' err=$(cat "$ERR")
	verdict write-error-version 1 '' '^uringctl: write error: No space left on device \(ENOSPC\)$'
fi

# --- on /dev/null, where io_uring is allowed -------------------------------------
if ! uring_works; then
	echo "skip dev-null: this host does not let us use io_uring on /dev/null"
	uc_done
fi
check raw-dev-null 0 '^res 0$' '' -d /dev/null raw --op 0
check raw-dev-null-cqe32 0 '^res 0 res2 0 \(0x0\) res3 0 \(0x0\)$' '' -d /dev/null raw --op 0x4d550003 --cqe32
check raw-dev-null-sqe128 0 '^res 0$' '' -d /dev/null raw --op 1 --sqe128 --payload "$(printf '%0160d' 0)"
check raw-dev-zero 1 '' '^uringctl: raw: Operation not supported \(EOPNOTSUPP\)$' -d /dev/zero raw --op 1
check raw-regular-file 1 '' '^uringctl: raw: Operation not supported \(EOPNOTSUPP\)$' -d "$top_srcdir/cli/uringctl.c" raw --op 1
check raw-chain 0 '*' '' -d /dev/null raw --op 1 raw --op 2 --cqe32
if [ "$out" = "$(printf 'res 0\nres 0 res2 0 (0x0) res3 0 (0x0)')" ]; then ok raw-chain-output; else not_ok raw-chain-output "$(flat "$OUT")"; fi
# Every device command refuses /dev/null, whose uring_cmd completes anything
# with 0, before it sends anything (the nop, bench and progress-line runs
# need /dev/miscuring: the VM test t_uringctl has them)
for c in info hello get 'set 1' nop 'echo x' 'delay 1' 'wait 0' stats bench 'read 0 1' 'write 0 x'; do
	# shellcheck disable=SC2086 # the command and its argument
	check "refused-dev-null-${c%% *}" 1 '' '^uringctl: /dev/null: not a miscuring device: .*\(ENOTTY\); device commands need /dev/miscuring; raw sends to any file$' -d /dev/null $c
done
check refused-after-raw 1 '^res 0$' 'not a miscuring device' -d /dev/null raw --op 0 get
# --fd: a descriptor the shell opened, used as it is; a closed one is EBADF
check fd-dev-null 0 '^res 0$' '' --fd 3 raw --op 0 3</dev/null
check fd-dev-null-chain 0 '^res 0$' '' --fd 3 raw --op 0 raw --op 1 3</dev/null
check fd-json 0 '"res": 0' '' --json --fd 3 raw --op 0 3</dev/null
exec 7>&-
check fd-closed 1 '' '^uringctl: --fd 7: Bad file descriptor \(EBADF\)$' --fd 7 raw --op 0
# --fd on a UDP socket (tests/vm/cli/with-socket.c) with a 100-byte datagram
# waiting: SIOCINQ, SIOCOUTQ, SETSOCKOPT then GETSOCKOPT SO_RCVBUF through
# optval; where this host's kernel has the ops (6.6+, 6.7+)
"$WITH_SOCKET" 100 "$URINGCTL" --fd 3 raw --op 0 >"$OUT" 2>"$ERR"
rc=$? out=$(cat "$OUT") err=$(cat "$ERR")
if [ $rc -ne 0 ] && printf '%s\n' "$err" | grep -q EOPNOTSUPP; then
	echo "skip socket: this host's kernel has no socket uring_cmd (6.6+)"
else
	verdict socket-siocinq 0 '^res 100$' ''
	check socket-siocoutq 0 '^res 0$' '' --fd 3 raw --op 1 3</dev/null
	"$WITH_SOCKET" 0 "$URINGCTL" --fd 3 raw --op 3 --level 1 --optname 8 --optlen 4 \
		--data-hex 00000100 --data-at optval \
		raw --op 2 --level 1 --optname 8 --optlen 4 --data-len 4 --data-at optval \
		>"$OUT" 2>"$ERR"
	rc=$? out=$(cat "$OUT") err=$(cat "$ERR")
	if [ $rc -ne 0 ] && printf '%s\n' "$err" | grep -q EOPNOTSUPP; then
		echo "skip socket-sockopt: this host's kernel has no socket option uring_cmd (6.7+)"
	else
		verdict socket-sockopt 0 '^data 00000200$' ''
		if [ "$(printf '%s\n' "$out" | tr '\n' ' ')" = "res 0 data 00000100 res 4 data 00000200 " ]; then
			ok socket-sockopt-all
		else
			not_ok socket-sockopt-all "$(flat "$OUT")"
		fi
	fi
fi
# raw's data buffer: input bytes, zero padding, hex out; raw bytes out
check raw-data 0 '^data 41424300$' '' -d /dev/null raw --op 0 --data-hex 414243 --data-len 4
check raw-data-raw 0 '^ABC$' '' -d /dev/null raw --op 0 --data-hex 4142430a --data-format raw
printf 'file bytes' >"$T_TMP/in"
check raw-data-file 0 '^data 66696c65206279746573$' '' -d /dev/null raw --op 0 --data-file "$T_TMP/in"
check raw-data-file-missing 1 '' "^uringctl: raw: --data-file $T_TMP/nope: No such file or directory \(ENOENT\)\$" -d /dev/null raw --op 0 --data-file "$T_TMP/nope"
check raw-data-file-too-big 1 '' 'more than --data-len 4' -d /dev/null raw --op 0 --data-file "$T_TMP/in" --data-len 4
check raw-nonzero-fails 0 '^res 0$' '' -d /dev/null raw --op 0 --nonzero-fails
check raw-all-fields 0 '^res 0$' '' -d /dev/null raw --op 0 --addr 0x1000 --len 4 --ioprio 0 \
	--uring-cmd-flags 0 --personality 0 --sqe-flags 0
# device commands are refused on a file that is not /dev/miscuring
check get-dev-null-refused 1 '' '^uringctl: /dev/null: not a miscuring device: .*\(ENOTTY\); device commands need /dev/miscuring; raw sends to any file$' -d /dev/null get
# a read-only open: uring_cmd on /dev/null does not care
check read-only-dev-null 0 '^res 0$' '' -r -d /dev/null raw --op 0

uc_done
