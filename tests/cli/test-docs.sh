#!/bin/sh
# The documentation agrees with the code: every command and option that
# uringctl's help lists is in uringctl(1), the man page has no command
# uringctl lacks, and it renders without groff warnings; miscuring(4)
# describes every op, feature bit, ioctl, sysfs counter and module
# parameter of kernel/ and renders without warnings.
# shellcheck source=tests/cli/lib.sh
. "${srcdir:-.}/lib.sh"

man=$top_srcdir/man/uringctl.1
[ -f "$man" ] || { not_ok man-page "no $man"; uc_done; }

uc help
commands=$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\).*/\1/p')
[ -n "$commands" ] || not_ok help-commands "no commands in 'uringctl help'"
for c in $commands; do
	# each command is a tagged paragraph under COMMANDS: .B cmd / .BI "cmd ..." / .BR cmd ...
	if sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$man" | grep -A1 '^\.TP' |
		grep -Eq "^\.B[IR]? \"?$c( |\"|\\\\|$)"; then
		ok "man-command-$c"
	else
		not_ok "man-command-$c" "uringctl(1) does not describe '$c' under COMMANDS"
	fi
	uc help "$c"
	for o in $(printf '%s\n' "$out" | grep -oE -- '--[a-z0-9-]+' | sort -u); do
		if grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$man"; then
			ok "man-option-$c$o"
		else
			not_ok "man-option-$c$o" "uringctl(1) does not mention $o"
		fi
	done
done
# and the other way: no command the man page has and uringctl lacks
# shellcheck disable=SC2013 # one word a line
for c in $(sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$man" | grep -A1 '^\.TP' |
	sed -n 's/^\.B[IR]* "\{0,1\}\([a-z][a-z]*\).*/\1/p'); do
	if printf '%s\n' "$commands" | grep -qx "$c"; then
		ok "man-command-exists-$c"
	else
		not_ok "man-command-exists-$c" "uringctl(1) describes '$c', which uringctl does not have"
	fi
done
uc help
for o in $(printf '%s\n' "$out" | sed -n '/^Options/,$p' | grep -oE -- '--[a-z0-9-]+' | sort -u); do
	if sed -n '/^\.SH OPTIONS/,/^\.SH OUTPUT/p' "$man" | grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')"; then
		ok "man-global$o"
	else
		not_ok "man-global$o" "uringctl(1) OPTIONS does not list $o"
	fi
done
# the output_version the code prints is the one the page documents
v=$(sed -n 's/^#define UC_OUTPUT_VERSION[^0-9]*\([0-9][0-9]*\).*/\1/p' "$top_srcdir/cli/uringctl.h")
if grep -q "^(an integer, $v for the format described here" "$man"; then
	ok man-output-version
else
	not_ok man-output-version "uringctl.h has UC_OUTPUT_VERSION $v, the man page another"
fi

# every page in man/: mandoc's lint finds nothing (.so links to the page
# that documents a function are how the project does it: that note alone
# is let through), and each says the project's version (or major.minor)
version=$("$URINGCTL" --version | sed -n 's/^uringctl \([^ ]*\) .*/\1/p')
if command -v mandoc >/dev/null; then
	# .so names man3/PAGE, as installed: resolve it against man/
	mkdir "$T_TMP/mandir"
	ln -s "$top_srcdir/man" "$T_TMP/mandir/man1"
	ln -s "$top_srcdir/man" "$T_TMP/mandir/man3"
	ln -s "$top_srcdir/man" "$T_TMP/mandir/man4"
	for page in "$top_srcdir"/man/*.[0-9]; do
		name=${page##*/}
		lint=$(cd "$T_TMP/mandir" && mandoc -T lint "man${name##*.}/$name" 2>&1 |
			grep -v ': \.so is fragile, better use ln(1)')
		if [ -z "$lint" ]; then ok "mandoc-lint-$name"; else not_ok "mandoc-lint-$name" "$lint"; fi
	done
elif [ "${MU_NEED_TOOLS:-}" = 1 ]; then
	not_ok mandoc-lint "no mandoc, and scripts/check installs it"
else
	echo "skip mandoc-lint: no mandoc (apt-get install mandoc)"
fi
for page in "$top_srcdir"/man/*.[0-9]; do
	name=${page##*/}
	th=$(grep -m1 '^\.TH ' "$page") || continue	# a .so link
	# the whole version, or its major.minor (as the library's pages have it)
	case $th in
	*" \"miscuring $version\""* | *" \"libmiscuring $version\""* | \
		*" \"miscuring ${version%.*}\""* | *" \"libmiscuring ${version%.*}\""*)
		ok "man-version-$name" ;;
	*) not_ok "man-version-$name" "'$th' does not say version $version" ;;
	esac
done

# each command's heading under COMMANDS renders on one line, as its
# synopsis in 'uringctl help' (the body starts on that line or the next),
# with mandoc and with man(1)'s groff
render() {
	case $1 in
	mandoc) mandoc -T ascii "$man" | sed "s/.$(printf '\b')//g" ;;
	groff) groff -t -man -Tascii -P-cbou "$man" 2>/dev/null ;;
	esac | sed -n '/^COMMANDS/,/^OPTIONS/p'
}
synopses=$(for c in $commands; do
	uc help "$c"
	printf '%s\n' "$out" | sed -n 's/^Usage: uringctl \[OPTION\]\.\.\. //p'
done)
for r in mandoc groff; do
	if ! command -v "$r" >/dev/null; then
		echo "skip man-heading-$r: no $r"
		continue
	fi
	render "$r" >"$T_TMP/commands.txt"
	printf '%s\n' "$synopses" | while IFS= read -r syn; do
		c=${syn%% *}
		line=$(grep -m1 "^       $c\( \|\$\)" "$T_TMP/commands.txt")
		case $line in
		"       $syn" | "       $syn  "*) echo "ok man-heading-$r-$c" ;;
		*) echo "not ok man-heading-$r-$c: '$line' is not '$syn' on one line" ;;
		esac
	done >"$T_TMP/headings.txt"
	while IFS= read -r l; do
		case $l in
		"ok "*) ok "${l#ok }" ;;
		*) n=${l#not ok }; not_ok "${n%%:*}" "${n#*: }" ;;
		esac
	done <"$T_TMP/headings.txt"
done

if command -v groff >/dev/null; then
	warnings=$(groff -t -man -ww -z -Tutf8 "$man" 2>&1)
	if [ -z "$warnings" ]; then ok man-groff; else not_ok man-groff "$warnings"; fi
else
	echo "skip man-groff: no groff"
fi

# miscuring(4), the device page: every op, feature bit and ioctl of the
# UAPI header, every sysfs counter and module parameter of the module is
# on it, and it renders without warnings.
dev=$top_srcdir/man/miscuring.4
uapi=$top_srcdir/kernel/uapi/miscuring.h
if [ -f "$dev" ]; then
	names=$(sed -n 's/^#define \(MISCURING_\(CMD\|FEAT\|IOC\)_[A-Z0-9_]*\)[[:space:]].*/\1/p' "$uapi" |
		grep -v -e '_MAGIC$' -e '_NR_MAX$')
	names="$names $(sed -n 's/^MU_STATS_ATTR(\([a-z_]*\));/\1/p; s/^static DEVICE_ATTR_[RW]*O(\([a-z_]*\));/\1/p' \
		"$top_srcdir"/kernel/*.c | sort -u)"
	names="$names $(sed -n 's/^module_param_named(\([a-z_]*\),.*/\1/p; s/^module_param(\([a-z_]*\),.*/\1/p' \
		"$top_srcdir"/kernel/*.c)"
	[ -n "$names" ] || not_ok man4-names "found no ops, counters or parameters in kernel/"
	for n in $names; do
		if grep -q "^\.[BI]R* $n\( \|\$\)" "$dev"; then
			ok "man4-$n"
		else
			not_ok "man4-$n" "miscuring(4) does not describe $n"
		fi
	done
	if command -v groff >/dev/null; then
		warnings=$(groff -t -man -ww -z -Tutf8 "$dev" 2>&1)
		if [ -z "$warnings" ]; then ok man4-groff; else not_ok man4-groff "$warnings"; fi
	fi
	if command -v mandoc >/dev/null; then
		warnings=$(mandoc -T lint -W warning "$dev" 2>&1)
		if [ -z "$warnings" ]; then ok man4-mandoc; else not_ok man4-mandoc "$warnings"; fi
	fi
else
	not_ok man4-page "no $dev"
fi
uc_done
