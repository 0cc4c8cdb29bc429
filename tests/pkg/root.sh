# shellcheck shell=bash
# A throw-away Debian root for the packaging test: Debian 12 (bookworm), or
# the suite in PKG_SUITE (trixie for Debian 13). Source after lib.sh.
#
#   root_tarball            make sure the pristine root is cached; print
#                           its path: $MISCURING_CACHE/pkg/SUITE-minbase.tar.zst
#   root_extract DIR        a fresh root in DIR from that tarball
#   in_root DIR CMD...      run CMD chrooted in DIR (see below)
#
# The pristine root is "debootstrap --variant=minbase SUITE" from the
# mirror the host uses, with the host's apt sources for bookworm (so
# bookworm-security, where the kernels are, is there too), or SUITE,
# SUITE-updates and SUITE-security for another suite, apt lists fetched,
# and three
# settings for a scratch root: dpkg --force-unsafe-io, no Recommends, and a
# policy-rc.d that starts no service. Making it takes about a minute; it is
# rebuilt when older than MISCURING_PKG_ROOT_DAYS (default 30) days.
#
# in_root runs in a private mount namespace (unshare -m): /dev, /proc and
# /sys are mounted in the root and the apt archive cache
# $MISCURING_CACHE/pkg/apt-archives (apt-archives-SUITE for another suite
# than bookworm, so that roots of two suites can run at once) is
# bind-mounted over
# /var/cache/apt/archives, so packages are downloaded once for all runs;
# every mount disappears with the command, whatever happens to it. The
# environment is reset; INITRD=No tells the kernel's postinst hooks not to
# build an initramfs (the test boots its own), which saves half a minute.

PKG_SUITE=${PKG_SUITE:-bookworm}
PKG_ROOT_TARBALL=$PKG_CACHE/$PKG_SUITE-minbase.tar.zst
PKG_ARCHIVES=$PKG_CACHE/apt-archives
[[ $PKG_SUITE == bookworm ]] || PKG_ARCHIVES+=-$PKG_SUITE

# The Debian mirror the host uses (first URIs:/deb line), for debootstrap.
root_mirror() {
	local m=${MISCURING_DEBIAN_MIRROR:-}
	if [[ -z $m ]]; then
		m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' \
			/etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1 || true)
	fi
	if [[ -z $m ]]; then
		m=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]*\).*/\2/p' \
			/etc/apt/sources.list 2>/dev/null | grep -v security | head -n 1 || true)
	fi
	echo "${m:-http://deb.debian.org/debian}"
}

# Copy the host's apt sources into the root (same mirror, same suites), or
# write the suite's three if the host has none we can read or the root is
# of another suite than bookworm.
root_sources() {
	local dir=$1 mirror=$2 f n=0
	rm -f "$dir/etc/apt/sources.list"
	mkdir -p "$dir/etc/apt/sources.list.d"
	[[ $PKG_SUITE == bookworm ]] || n=-1000
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[[ $n -ge 0 ]] || break
		[[ -f $f ]] || continue
		cp "$f" "$dir/etc/apt/${f#/etc/apt/}"
		n=$((n + 1))
	done
	if [[ $n -le 0 ]]; then
		cat >"$dir/etc/apt/sources.list" <<-EOF
			deb $mirror $PKG_SUITE main
			deb $mirror $PKG_SUITE-updates main
			deb http://deb.debian.org/debian-security $PKG_SUITE-security main
		EOF
	fi
}

root_make_tarball() {
	local work mirror start=$SECONDS
	mirror=$(root_mirror)
	mkdir -p "$PKG_CACHE"
	work=$(mktemp -d "$PKG_CACHE/.root-build.XXXXXX")
	# shellcheck disable=SC2064 # expand now: the trap must remove this dir
	trap "rm -rf '$work'" EXIT
	mu_log "debootstrap --variant=minbase $PKG_SUITE from $mirror (a few minutes)"
	if ! debootstrap --variant=minbase "$PKG_SUITE" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1; then
		pkg_tail "$work/debootstrap.log" >&2
		mu_die "debootstrap failed"
	fi
	root_sources "$work/root" "$mirror"
	echo 'force-unsafe-io' >"$work/root/etc/dpkg/dpkg.cfg.d/unsafe-io"
	printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
		>"$work/root/etc/apt/apt.conf.d/90no-recommends"
	printf '#!/bin/sh\nexit 101\n' >"$work/root/usr/sbin/policy-rc.d"
	chmod 0755 "$work/root/usr/sbin/policy-rc.d"
	in_root "$work/root" apt-get -q update >"$work/update.log" 2>&1 ||
		{ pkg_tail "$work/update.log" >&2; mu_die "apt-get update in the root failed"; }
	in_root "$work/root" apt-get clean
	tar -C "$work/root" -I 'zstd -T0 -3 -q' -cf "$work/root.tar.zst" .
	mv "$work/root.tar.zst" "$PKG_ROOT_TARBALL"
	rm -rf "$work"
	trap - EXIT
	mu_log "cached $PKG_ROOT_TARBALL ($(du -h "$PKG_ROOT_TARBALL" | cut -f1), $(pkg_secs "$start"))"
}

root_tarball() {
	local days=${MISCURING_PKG_ROOT_DAYS:-30}
	mkdir -p "$PKG_ARCHIVES/partial"
	if [[ ! -s $PKG_ROOT_TARBALL || -n $(find "$PKG_ROOT_TARBALL" -mtime +"$days" 2>/dev/null) ]]; then
		exec 8>"$PKG_CACHE/.root-$PKG_SUITE.lock"
		flock 8
		if [[ ! -s $PKG_ROOT_TARBALL || -n $(find "$PKG_ROOT_TARBALL" -mtime +"$days" 2>/dev/null) ]]; then
			root_make_tarball
		fi
		exec 8>&-
	fi
	echo "$PKG_ROOT_TARBALL"
}

root_extract() {
	local dir=$1
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -C "$dir" -I zstd -xf "$PKG_ROOT_TARBALL"
}

in_root() {
	local dir=$1
	shift
	mkdir -p "$PKG_ARCHIVES/partial"
	# shellcheck disable=SC2016 # the script gets its values as arguments
	unshare --mount --propagation private -- /bin/bash -euc '
		root=$1 archives=$2
		shift 2
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		mount -t sysfs sysfs "$root/sys"
		mount --bind "$archives" "$root/var/cache/apt/archives"
		exec chroot "$root" /usr/bin/env -i \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive INITRD=No "$@"
	' in_root "$dir" "$PKG_ARCHIVES" "$@"
}
