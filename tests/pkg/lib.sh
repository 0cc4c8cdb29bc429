# shellcheck shell=bash
# Helpers shared by the packaging tests (tests/pkg/*-test, scripts/pkg-test).
# Source it; it only defines variables and functions.
#
# Environment:
#   MISCURING_CACHE      downloads, kept outside the repo (tests/vm/lib.sh);
#                        the packaging tests use $MISCURING_CACHE/pkg/
#   MISCURING_PKG_BUILD  where they build; default <repo>/build/pkg
#
# Results are printed in the test bench's protocol (tests/vm/run-suite):
#   PASS <name> | FAIL <name>: <message> | SKIP <name>: <reason>
# and counted in PKG_PASS, PKG_FAIL, PKG_SKIP.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../vm/lib.sh"

# The scripts that source this file use these.
# shellcheck disable=SC2034
{
	PKG_DIR=$MU_REPO/tests/pkg
	PKG_BUILD=${MISCURING_PKG_BUILD:-$MU_REPO/build/pkg}
	PKG_CACHE=$MU_CACHE/pkg
	PKG_PASS=0 PKG_FAIL=0 PKG_SKIP=0
}

# The module's version: the DKMS version and the packages' upstream version.
pkg_modver() { tr -d ' \t\n' <"$MU_REPO/kernel/VERSION"; }

# result STATUS NAME [MESSAGE]
result() {
	local status=$1 name=$2 msg=${3:-}
	printf '%s %s%s\n' "$status" "$name" "${msg:+: $msg}"
	case $status in
	PASS) PKG_PASS=$((PKG_PASS + 1)) ;;
	FAIL) PKG_FAIL=$((PKG_FAIL + 1)) ;;
	SKIP) PKG_SKIP=$((PKG_SKIP + 1)) ;;
	esac
	return 0
}

# The count line every test script ends with.
pkg_summary() { echo "$PKG_PASS passed, $PKG_FAIL failed, $PKG_SKIP skipped"; }

# Show at most $2 (default 40) lines of file $1, indented.
pkg_show() { sed -n "1,${2:-40}s/^/    | /p" "$1"; }

# Print the last lines of a log after a failure.
pkg_tail() { tail -n "${2:-30}" "$1" | sed 's/^/    | /'; }

# stage_tree DEST: a copy of the source tree as git sees it (tracked files
# and new files that are not ignored), so that no build product, Makefile
# generated in place or root ever gets in. Outside git: everything but
# .git and build/.
stage_tree() {
	local dest=$1
	rm -rf "$dest"
	mkdir -p "$dest"
	if git -C "$MU_REPO" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$MU_REPO" && git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
			tar --null -T - -c) | tar -C "$dest" -x
	else
		tar -C "$MU_REPO" --exclude=./.git --exclude=./build -c . | tar -C "$dest" -x
	fi
}

# Does the tree build uringctl yet? Does it install manual pages yet?
tree_has_cli() { grep -Eqs '^[[:space:]]*bin_PROGRAMS[[:space:]]*[+]?=.*uringctl' "$MU_REPO"/cli/Makefile.am; }
tree_has_man() {
	grep -Eqs '^[[:space:]]*(dist_|nodist_)?man[0-9]?_MANS[[:space:]]*[+]?=' \
		"$MU_REPO"/Makefile.am "$MU_REPO"/*/Makefile.am
}

# Seconds since $1 (a $SECONDS value), for the timing lines.
pkg_secs() { echo "$((SECONDS - $1))s"; }
