#!/bin/sh
# uringctl --json, parsed by jq: one document on stdout, output_version,
# the failure object, chains, and strings that need escaping, end to end.
# shellcheck source=tests/cli/lib.sh
. "${srcdir:-.}/lib.sh"

need_tool jq jq

# jverdict NAME RC FILTER: the last run printed one JSON document, and
# FILTER (jq, sees $ENV) is true of it.
jverdict() {
	if [ "$rc" -ne "$2" ]; then
		not_ok "$1" "exit status $rc, want $2; stdout: $(flat "$OUT") stderr: $(flat "$ERR")"
	elif ! docs=$(jq -s length "$OUT" 2>&1); then
		not_ok "$1" "stdout is not JSON ($docs): $(flat "$OUT")"
	elif [ "$docs" != 1 ]; then
		not_ok "$1" "$docs documents, want 1: $(flat "$OUT")"
	elif ! jq -e "$3" "$OUT" >/dev/null 2>&1; then
		not_ok "$1" "not true: $(printf '%s' "$3" | tr '\n\t' '  '); got: $(flat "$OUT")"
	else
		ok "$1"
	fi
}

jcheck() {
	n=$1 r=$2 f=$3
	shift 3
	uc --json "$@"
	jverdict "$n" "$r" "$f"
}

# jcheck1 NAME RC FILTER [ARG]...: one command, FILTER true of its object
# (the same shape as several: output_version 2, a list of one)
jcheck1() {
	n=$1 r=$2 f=$3
	shift 3
	jcheck "$n" "$r" ".output_version == 2 and (keys | length) == 2
		and (.commands | length) == 1 and (.commands[0] | $f)" "$@"
}

jcheck1 missing-device 1 '. == {"command": "get", "error": {"errno": 2, "name": "ENOENT",
	"message": "/nonexistent: No such file or directory (ENOENT); is the miscuring module loaded? (modprobe miscuring)"}}' \
	-d /nonexistent get
# stderr has the same message
if [ "$err" = "uringctl: /nonexistent: No such file or directory (ENOENT); is the miscuring module loaded? (modprobe miscuring)" ]; then
	ok missing-device-stderr
else
	not_ok missing-device-stderr "$err"
fi
jcheck chain-stops 1 '.output_version == 2 and (has("command") | not)
	and .commands == [{"command": "set", "value": 1, "error": {"errno": 2, "name": "ENOENT",
	"message": "/nonexistent: No such file or directory (ENOENT); is the miscuring module loaded? (modprobe miscuring)"}}]' \
	-d /nonexistent set 1 get
jcheck1 wait-fields 1 '.command == "wait" and .old_value == 18446744073709551615 and .timeout_usec == 0
	and .error.name == "ENOENT"' -d /nonexistent wait -t 0 0xffffffffffffffff
jcheck1 json-anywhere 1 '.command == "get" and .error.name == "ENOENT"' -d /nonexistent get
# a usage error prints no document
uc --json set x
verdict usage-no-json 2 '' "^uringctl: set: VALUE 'x' is not a number\$"

# Odd bytes in a path come back, escaped, in the message: quote, backslash,
# tab, a control character, an invalid byte, UTF-8, invalid UTF-8.
odd=$(printf '/nonexistent/a"b\\c\td\001e\377f\303\251g\342\202h')
jcheck1 escapes 1 '.error.message == "/nonexistent/a\"b\\c\td\u0001e\ufffdf\u00e9g\ufffdh: No such file or directory (ENOENT); is the miscuring module loaded? (modprobe miscuring)"' \
	-d "$odd" get

if ! uring_works; then
	echo "skip dev-null: this host does not let us use io_uring on /dev/null"
	uc_done
fi
jcheck1 raw 0 '. == {"command": "raw", "op": 1297416195, "payload_length": 8,
	"sqe128": false, "cqe32": true, "res": 0, "flags": 0, "res2": 0, "res3": 0}' -d /dev/null raw --op 0x4d550003 --payload 0102030405060708 --cqe32
jcheck1 raw-data 0 '.res == 0 and .data_length == 5 and .data_base64 == "QUJDAAA="' \
	-d /dev/null raw --op 0 --data-hex 414243 --data-len 5
jcheck raw-chain 1 '.commands == [{"command": "raw", "op": 1, "payload_length": 0, "sqe128": false, "cqe32": false, "res": 0, "flags": 0},
	{"command": "hello", "error": {"errno": 25, "name": "ENOTTY",
	"message": "/dev/null: not a miscuring device: Inappropriate ioctl for device (ENOTTY); device commands need /dev/miscuring; raw sends to any file"}}]' \
	-d /dev/null raw --op 1 hello
jcheck1 raw-fails 1 '.command == "raw" and .res == -95 and .error == {"errno": 95, "name": "EOPNOTSUPP",
	"message": "raw: Operation not supported (EOPNOTSUPP)"}' -d /dev/zero raw --op 7
# nop and bench need /dev/miscuring (tests/vm/cli/t_uringctl); here, refused
jcheck1 nop-refused 1 '. == {"command": "nop", "count": 5000, "batch": 64, "error": {"errno": 25, "name": "ENOTTY",
	"message": "/dev/null: not a miscuring device: Inappropriate ioctl for device (ENOTTY); device commands need /dev/miscuring; raw sends to any file"}}' \
	-d /dev/null nop -n 5000 -b 64
jcheck1 bench-refused 1 '.command == "bench" and .error.name == "ENOTTY"' -d /dev/null bench --ops nop -n 10

uc_done
