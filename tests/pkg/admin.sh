# shellcheck shell=bash
# shellcheck disable=SC2154 # root, out, logs, modver, kver, older: set by deb-test
# An admin's machine, not a fresh root: the scenarios of tests/pkg/deb-test
# after its install test, in the same root. Source after lib.sh and
# root.sh; deb-test sets root, out, logs, modver, kver (the newer kernel)
# and older (the older kernel, the one faked as running).
#
#   admin_fake_running KVER   "uname -r" in the root prints KVER, as the
#                             packages' scripts see it
#   admin_kernels WHAT VER KVER...
#                             DKMS has module VER installed for each KVER
#   admin_unsupported         headers of a kernel the module cannot be
#                             built for (uring_cmd removed from fs.h),
#                             installed as a package; then a reinstall
#   admin_old_debs            miscuring-dkms of the previous release
#                             (commit $PKG_OLD_COMMIT), built once, cached
#   admin_downgrade, admin_upgrade
#                             to that release, and back with its module
#                             loaded

# The previous release: what a user of 0.1.0 has.
PKG_OLD_COMMIT=${MISCURING_PKG_OLD_COMMIT:-00d074b}
ADMIN_FAKE=6.12.999-fake-amd64

apt_root() { in_root "$root" apt-get -q -y -o Dpkg::Use-Pty=0 "$@"; }

# Packages dpkg does not see as installed and configured ("ii"), if any.
dpkg_unclean() {
	# shellcheck disable=SC2016 # a dpkg-query format
	in_root "$root" dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 2>/dev/null |
		awk '$1 != "ii" && $1 != "rc" && $1 != "un" { print $2 "(" $1 ")" }' | tr '\n' ' '
	in_root "$root" dpkg --audit 2>/dev/null | head -n 3 | tr '\n' ' '
}

admin_fake_running() {
	# dpkg runs maintainer scripts with a PATH of its own: replace uname
	# itself (diverted, as a package would).
	in_root "$root" dpkg-divert --quiet --local --rename --add /usr/bin/uname
	cat >"$root/usr/bin/uname" <<-EOF
		#!/bin/sh
		# tests/pkg/deb-test: the running kernel, as package scripts see it.
		if [ "\$*" = -r ]; then echo $1; else exec /usr/bin/uname.distrib "\$@"; fi
	EOF
	chmod 0755 "$root/usr/bin/uname"
}

# admin_kernels NAME VER KVER...: DKMS has VER installed for every KVER and
# for no other kernel; dpkg is clean.
admin_kernels() {
	local name=$1 ver=$2 status k missing=() other unclean
	shift 2
	status=$(in_root "$root" dkms status -m miscuring 2>/dev/null || true)
	for k in "$@"; do
		grep -q "^miscuring/$ver, $k, x86_64: installed" <<<"$status" || missing+=("$k")
	done
	other=$status
	for k in "$@"; do
		other=$(grep -v -F -x "miscuring/$ver, $k, x86_64: installed" <<<"$other" || true)
	done
	unclean=$(dpkg_unclean)
	if [[ ${#missing[@]} -gt 0 ]]; then
		result FAIL "$name" "no miscuring/$ver for ${missing[*]}; dkms status: $(tr '\n' ';' <<<"$status")"
	elif [[ -n $other ]]; then
		result FAIL "$name" "unexpected in dkms status: $(tr '\n' ';' <<<"$other")"
	elif [[ -n ${unclean// /} ]]; then
		result FAIL "$name" "dpkg is not clean: $unclean"
	else
		result PASS "$name" "miscuring/$ver installed for $* (running: $older), dpkg clean"
	fi
}

# A headers package for a kernel whose headers lack the uring_cmd hook:
# the real headers of $kver with that line removed from linux/fs.h, named
# $ADMIN_FAKE (the newest kernel in the root), whose postinst runs the
# header_postinst.d hooks as Debian's linux-headers packages do.
admin_make_unsupported() {
	local real=/usr/src/linux-headers-$kver
	# shellcheck disable=SC2016 # run by the shell in the root
	in_root "$root" bash -euc '
		kver=$1 fake=$2 kbuild=$3 real=$4
		common=$(readlink -f "/lib/modules/$kver/source")
		pkg=/tmp/fake-headers
		rm -rf "$pkg"
		mkdir -p "$pkg/DEBIAN" "$pkg/usr/src" "$pkg/lib/modules/$fake"
		cp -a "$real" "$pkg/usr/src/linux-headers-$fake"
		# The common tree as links to the real one, but fs.h.
		cp -as "$common" "$pkg/usr/src/linux-headers-$fake-common"
		rm "$pkg/usr/src/linux-headers-$fake-common/include/linux/fs.h"
		grep -v "(\*uring_cmd)" "$common/include/linux/fs.h" \
			>"$pkg/usr/src/linux-headers-$fake-common/include/linux/fs.h"
		sed -i "s|$common|/usr/src/linux-headers-$fake-common|; s|$real|/usr/src/linux-headers-$fake|" \
			"$pkg/usr/src/linux-headers-$fake/Makefile"
		echo "$fake" >"$pkg/usr/src/linux-headers-$fake/include/config/kernel.release"
		ln -s "/usr/src/linux-headers-$fake" "$pkg/lib/modules/$fake/build"
		ln -s "/usr/src/linux-headers-$fake-common" "$pkg/lib/modules/$fake/source"
		printf "%s\n" "Package: linux-headers-$fake" "Version: 1" "Architecture: amd64" \
			"Maintainer: tests/pkg/deb-test <root@localhost>" "Depends: $kbuild" \
			"Description: headers of a kernel without the uring_cmd hook (test)" \
			>"$pkg/DEBIAN/control"
		printf "%s\n" "#!/bin/sh" "set -e" "[ \"\$1\" = configure ] || exit 0" \
			"exec run-parts --report --exit-on-error --arg=$fake /etc/kernel/header_postinst.d" \
			>"$pkg/DEBIAN/postinst"
		chmod 0755 "$pkg/DEBIAN/postinst"
		dpkg-deb -Zgzip -z1 --root-owner-group -b "$pkg" "/tmp/linux-headers-$fake.deb" >/dev/null
		rm -rf "$pkg"
	' admin "$kver" "$ADMIN_FAKE" "$(in_root "$root" dpkg-query -W -f '${Depends}' "linux-headers-$kver" |
		grep -o 'linux-kbuild-[^ ,]*' | head -n 1)" "$real"
}

admin_unsupported() {
	local log=$logs/admin-unsupported.log st=0 status
	admin_make_unsupported
	# Installing the kernel's headers runs DKMS's kernel hook for it.
	apt_root install "/tmp/linux-headers-$ADMIN_FAKE.deb" >"$log" 2>&1 || st=$?
	status=$(in_root "$root" dkms status -m miscuring -k "$ADMIN_FAKE" 2>/dev/null | grep -F "$ADMIN_FAKE" || true)
	if [[ $st -ne 0 || -n ${status} || -n $(dpkg_unclean | tr -d ' ') ]]; then
		result FAIL unsupported-kernel-install "apt-get install of its headers: status $st, dkms status '$status', dpkg: $(dpkg_unclean)"
		pkg_tail "$log" 20
	else
		result PASS unsupported-kernel-install "headers of $ADMIN_FAKE (no uring_cmd) installed, DKMS hook skipped it, dpkg clean"
	fi
	# Reinstalling our package: the fake kernel is the newest one, the one
	# dh_dkms's postinst builds for besides the running one.
	st=0
	apt_root install --reinstall "$(admin_deb_current)" >>"$log" 2>&1 || st=$?
	if [[ $st -ne 0 ]]; then
		result FAIL unsupported-kernel-reinstall "apt-get install --reinstall miscuring-dkms: status $st"
		pkg_tail "$log" 20
	elif ! grep -q "not built for $ADMIN_FAKE: the headers of Linux $ADMIN_FAKE have no uring_cmd" "$log"; then
		result FAIL unsupported-kernel-reinstall "no message saying why $ADMIN_FAKE is skipped; see $log"
	else
		result PASS unsupported-kernel-reinstall "skipped with: $(grep -m1 -o "not built for $ADMIN_FAKE: [^(]*" "$log")"
	fi
	# shellcheck disable=SC2046 # one word a kernel
	admin_kernels reinstall-every-kernel "$modver" $(printf '%s\n' "$older" "$kver" | sort -u)
	st=0
	apt_root purge "linux-headers-$ADMIN_FAKE" >>"$log" 2>&1 || st=$?
	[[ $st -eq 0 ]] || result FAIL unsupported-kernel-purge "apt-get purge of its headers: status $st"
}

admin_deb_current() { (cd "$root/tmp/debs" && compgen -G 'miscuring-dkms_*.deb' | sed 's|^|/tmp/debs/|'); }

# The previous release's miscuring-dkms, built from $PKG_OLD_COMMIT once
# and cached. Prints its path; nothing if it cannot be built.
admin_old_deb() {
	local cache=$PKG_CACHE/old-$PKG_OLD_COMMIT src log=$logs/old-build.log deb
	deb=$(compgen -G "$cache/miscuring-dkms_*_all.deb" | head -n 1) && { echo "$deb"; return 0; }
	rm -rf "$cache.tmp"
	mkdir -p "$cache.tmp/src"
	src=$cache.tmp/src
	if ! git -C "$MU_REPO" archive "$PKG_OLD_COMMIT" | tar -C "$src" -x; then
		echo "git archive $PKG_OLD_COMMIT failed" >"$log"
		return 0
	fi
	(cd "$src" && dpkg-buildpackage -us -uc -A) >"$log" 2>&1 || return 0
	rm -rf "$cache" && mkdir -p "$cache"
	mv "$cache.tmp"/miscuring-dkms_*_all.deb "$cache/"
	rm -rf "$cache.tmp"
	compgen -G "$cache/miscuring-dkms_*_all.deb" | head -n 1
}

admin_downgrade() {
	local old=$1 oldver=$2 log=$logs/admin-downgrade.log st=0
	cp "$old" "$root/tmp/"
	apt_root install --allow-downgrades "/tmp/${old##*/}" >"$log" 2>&1 || st=$?
	if [[ $st -ne 0 ]]; then
		result FAIL downgrade "apt-get install --allow-downgrades of $oldver: status $st"
		pkg_tail "$log" 20
		return 1
	fi
	admin_kernels downgrade "$oldver" "$older" "$kver"
}

# Upgrade from the previous release while its module is loaded: a tmpfs
# over /sys/module in the root holds what the loaded module shows there.
admin_upgrade() {
	local oldver=$1 log=$logs/admin-upgrade.log st=0
	rm -f "$root/run/reboot-required" "$root/run/reboot-required.pkgs"
	# shellcheck disable=SC2016 # expanded by the shell in the root
	in_root "$root" sh -c 'mount -t tmpfs tmpfs /sys/module && mkdir /sys/module/miscuring &&
		echo "$1" >/sys/module/miscuring/version &&
		exec apt-get -q -y -o Dpkg::Use-Pty=0 install "$2"' upgrade "$oldver" "$(admin_deb_current)" \
		>"$log" 2>&1 || st=$?
	if [[ $st -ne 0 ]]; then
		result FAIL upgrade "apt-get install of $modver over $oldver: status $st"
		pkg_tail "$log" 20
		return
	fi
	admin_kernels upgrade "$modver" "$older" "$kver"
	if grep -q "module $oldver is still loaded; version $modver takes effect after a reboot" "$log" &&
		[[ -f $root/run/reboot-required ]] && grep -qx miscuring-dkms "$root/run/reboot-required.pkgs"; then
		result PASS upgrade-loaded-module "told to reboot or modprobe -r; /run/reboot-required names miscuring-dkms"
	else
		result FAIL upgrade-loaded-module "no 'still loaded' message or no /run/reboot-required; see $log"
	fi
}

# All of it, in the order an admin meets it.
admin_scenarios() {
	local old oldver
	admin_unsupported
	old=$(admin_old_deb)
	if [[ -z $old ]]; then
		result FAIL old-release "could not build miscuring-dkms of $PKG_OLD_COMMIT; see $logs/old-build.log"
		pkg_tail "$logs/old-build.log" 20
		return
	fi
	oldver=$(dpkg-deb -f "$old" Version)
	oldver=${oldver%-*}
	admin_downgrade "$old" "$oldver" || return 0
	admin_upgrade "$oldver"
}
