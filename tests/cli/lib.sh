# shellcheck shell=sh
# Helpers for the shell tests of uringctl in tests/cli (sourced).
#
# Environment (tests/cli/Makefile.am sets it):
#   URINGCTL     the uringctl binary (a libtool wrapper in the build tree)
#   LIBTOOL      the build's libtool, to run valgrind on the real binary
#   UC_VALGRIND  1: run every uringctl under valgrind (make check-valgrind)
#   top_srcdir   the source tree
#
# Each test script prints "ok NAME" / "not ok NAME: why" lines and ends
# with uc_done: exit 0 if nothing failed, 1 otherwise, 77 if it skipped.

: "${URINGCTL:?URINGCTL is not set (run the tests with make check)}"
: "${top_srcdir:=../..}"
if [ "${UC_VALGRIND:-}" = 1 ] && ! command -v valgrind >/dev/null; then
	echo "SKIP: valgrind not found (apt-get install valgrind)"
	exit 77
fi
# need_tool TOOL PACKAGE: skip the whole test without TOOL, or fail when
# scripts/check (MU_NEED_TOOLS=1), which installs PACKAGE, runs it.
need_tool() {
	command -v "$1" >/dev/null && return 0
	if [ "${MU_NEED_TOOLS:-}" = 1 ]; then
		echo "not ok $1: not found, and scripts/check installs it (apt-get install $2)"
		exit 1
	fi
	echo "SKIP: no $1 (apt-get install $2)"
	exit 77
}
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/uringctl-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT INT TERM
OUT=$T_TMP/out
ERR=$T_TMP/err
t_failed=0
t_passed=0

ok() { echo "ok $1"; t_passed=$((t_passed + 1)); }
not_ok() { echo "not ok $1: $2"; t_failed=$((t_failed + 1)); }

uc_done() {
	echo "$t_passed passed, $t_failed failed"
	[ "$t_failed" -eq 0 ] || exit 1
	[ "$t_passed" -gt 0 ] || { echo "no checks ran"; exit 1; }
	exit 0
}

flat() { tr '\n' ' ' <"$1" | cut -c 1-400; }

# uc [ARG]...: run uringctl; $rc, $out, $err. valgrind's own findings
# make it exit 99, which no check accepts.
uc() {
	if [ "${UC_VALGRIND:-}" = 1 ]; then
		"${LIBTOOL:-libtool}" --mode=execute valgrind --quiet \
			--error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			"$URINGCTL" "$@" >"$OUT" 2>"$ERR"
	else
		"$URINGCTL" "$@" >"$OUT" 2>"$ERR"
	fi
	rc=$?
	out=$(cat "$OUT")
	err=$(cat "$ERR")
}

# matches TEXT ERE: "" wants TEXT empty, "*" takes anything, else a line of
# TEXT must match.
matches() {
	case $2 in
	'*') return 0 ;;
	'') [ -z "$1" ] ;;
	*) printf '%s\n' "$1" | grep -Eq -- "$2" ;;
	esac
}

# verdict NAME RC OUT_ERE ERR_ERE: judge the last run.
verdict() {
	if [ "$rc" -ne "$2" ]; then
		not_ok "$1" "exit status $rc, want $2; stdout: $(flat "$OUT") stderr: $(flat "$ERR")"
	elif ! matches "$out" "$3"; then
		not_ok "$1" "stdout does not match /$3/: $(flat "$OUT")"
	elif ! matches "$err" "$4"; then
		not_ok "$1" "stderr does not match /$4/: $(flat "$ERR")"
	else
		ok "$1"
		return 0
	fi
	return 1
}

# check NAME RC OUT_ERE ERR_ERE [ARG]...
check() {
	n=$1 r=$2 o=$3 e=$4
	shift 4
	uc "$@"
	verdict "$n" "$r" "$o" "$e"
}

# usage NAME MESSAGE_ERE [ARG]...: exit 2, "uringctl: MESSAGE" first on
# stderr, then the usage lines; nothing on stdout.
usage() {
	n=$1 e=$2
	shift 2
	uc "$@"
	verdict "$n" 2 '' "^uringctl: $e\$" || return 1
	if [ "$(head -n 1 "$ERR" | grep -Ec -- "^uringctl: $e\$")" != 1 ] ||
		[ "$(sed -n 3p "$ERR")" != "Try 'uringctl help' for more information." ]; then
		not_ok "$n-lines" "stderr: $(flat "$ERR")"
	fi
}

# ere TEXT: TEXT with the ERE metacharacters escaped.
# shellcheck disable=SC2016 # a sed expression, not a shell one
ere() { printf '%s' "$1" | sed 's/[].+*?^$()[{}|\\]/\\&/g'; }

# uring_works: the host lets this process use io_uring (uring_cmd on
# /dev/null works on Linux 6.0+); many sandboxes forbid it.
uring_works() {
	"$URINGCTL" -q -d /dev/null raw --op 0 >/dev/null 2>&1
}
