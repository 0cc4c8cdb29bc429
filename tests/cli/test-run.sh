#!/bin/sh
# uringctl on the host, where there is no /dev/miscuring: a missing or
# inaccessible device (exit 1, the errno by name, the hint), write errors,
# the capability check of stats --reset, and, where the host lets us use
# io_uring, commands on /dev/null (whose uring_cmd completes anything with
# 0) including the progress line on a terminal.
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
check raw-dev-null-cqe32 0 '^res 0 res2 0 \(0x0\)$' '' -d /dev/null raw --op 0x4d550003 --cqe32
check raw-dev-null-sqe128 0 '^res 0$' '' -d /dev/null raw --op 1 --sqe128 --payload "$(printf '%0160d' 0)"
check raw-dev-zero 1 '' '^uringctl: raw: Operation not supported \(EOPNOTSUPP\)$' -d /dev/zero raw --op 1
check raw-regular-file 1 '' '^uringctl: raw: Operation not supported \(EOPNOTSUPP\)$' -d "$top_srcdir/cli/uringctl.c" raw --op 1
check raw-chain 0 '*' '' -d /dev/null raw --op 1 raw --op 2 --cqe32
if [ "$out" = "$(printf 'res 0\nres 0 res2 0 (0x0)')" ]; then ok raw-chain-output; else not_ok raw-chain-output "$(flat "$OUT")"; fi
check nop-dev-null 0 '^100000 nops, batch 16: [0-9]+\.[0-9]{6} s, [0-9]+ ops/s$' '' -d /dev/null nop -n 100000 -b 16
check nop-dev-null-quiet 0 '' '' -q -d /dev/null nop -n 1000 -b 7
check hello-dev-null 0 '' '' -d /dev/null hello
check delay-dev-null 1 '' '^uringctl: delay: completed with result 0, not 5$' -d /dev/null delay 1 --result 5
check info-dev-null 1 '' '^uringctl: info: PROBE: ' -d /dev/null info
check bench-no-ioctl 1 '*' '^uringctl: bench: ioctl, batch 1: Inappropriate ioctl for device \(ENOTTY\); the device has no GET_VALUE ioctl: is it a miscuring device\?$' -d /dev/null bench --ops ioctl -n 10
check bench-dev-null 0 '^name +interface +completion +batch +ops/s +ops +seconds$' '' -d /dev/null bench --ops nop,get,delay -b 1,4 -n 1000
n=$(printf '%s\n' "$out" | grep -Ec '^(nop|get|delay) +uring_cmd +(inline|async) +[14] +[0-9]+ +1000 +[0-9]+\.[0-9]{3}$')
if [ "$n" -eq 6 ]; then ok bench-dev-null-rows; else not_ok bench-dev-null-rows "$n rows of 6: $(flat "$OUT")"; fi
# --fd: a descriptor the shell opened, used as it is; a closed one is EBADF
check fd-dev-null 0 '^res 0$' '' --fd 3 raw --op 0 3</dev/null
check fd-dev-null-chain 0 '^res 0$' '' --fd 3 raw --op 0 raw --op 1 3</dev/null
check fd-json 0 '"res": 0' '' --json --fd 3 raw --op 0 3</dev/null
exec 7>&-
check fd-closed 1 '' '^uringctl: --fd 7: Bad file descriptor \(EBADF\)$' --fd 7 raw --op 0
# a read-only open: uring_cmd on /dev/null does not care
check read-only-dev-null 0 '^res 0$' '' -r -d /dev/null raw --op 0

# --- the progress line: on a terminal only ---------------------------------------
# bench runs 1.5 s, so a line is drawn after 1 s; not when stdout is a file
check no-progress-file 0 '^nop ' '' -d /dev/null bench --ops nop -b 1 -s 1.5
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "$URINGCTL -d /dev/null bench --ops nop -b 1 -s 1.5" /dev/null >"$OUT" 2>&1 </dev/null
	rc=$?
	esc=$(printf '\033')
	if [ "$rc" -ne 0 ]; then
		not_ok progress-tty "exit status $rc: $(flat "$OUT")"
	elif ! grep -q "bench: nop, batch 1 (1/1) *[0-9]*%$esc\[K" "$OUT"; then
		not_ok progress-tty "no progress line: $(od -c "$OUT" | head -n 5 | tr '\n' ' ')"
	elif ! grep -q "$(printf '\r')$esc\[K" "$OUT"; then
		not_ok progress-tty "the progress line was not erased"
	else
		ok progress-tty
	fi
	# (the terminal turns "\n" into "\r\n": look for the erase sequence)
	script -qec "$URINGCTL --json -d /dev/null bench --ops nop -b 1 -s 1.5" /dev/null >"$OUT" 2>&1 </dev/null
	if grep -q "$esc\[K" "$OUT"; then not_ok progress-json "a progress line with --json"; else ok progress-json; fi
	script -qec "$URINGCTL -d /dev/null bench --ops nop -b 1 -s 1.5 | cat" /dev/null >"$OUT" 2>&1 </dev/null
	if grep -q "$esc\[K" "$OUT"; then not_ok progress-pipe "a progress line with stdout a pipe"; else ok progress-pipe; fi
	script -qec "$URINGCTL -q -d /dev/null bench --ops nop -b 1 -s 1.5" /dev/null >"$OUT" 2>&1 </dev/null
	if grep -q "$esc\[K" "$OUT"; then not_ok progress-quiet "a progress line with --quiet"; else ok progress-quiet; fi
else
	echo "skip progress-tty: no script(1) here"
fi

uc_done
