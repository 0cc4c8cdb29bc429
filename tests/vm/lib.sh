# shellcheck shell=bash
# Helpers shared by the VM test-bench scripts in tests/vm/ and scripts/check.
# Source it; it only defines variables and functions.
#
# Environment:
#   MISCURING_CACHE  downloads (kernel images), kept outside the repo;
#                    default /var/cache/miscuring
#   MISCURING_BUILD  where the bench builds things; default <repo>/build/vm

# The scripts that source this file use these.
# shellcheck disable=SC2034
MU_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MU_CACHE=${MISCURING_CACHE:-/var/cache/miscuring}
MU_BUILD=${MISCURING_BUILD:-$MU_REPO/build/vm}
# apt must never stop to ask anything: CI has no stdin. Nor fail because
# another apt holds the lock (runs share a machine): wait up to 10 minutes.
export DEBIAN_FRONTEND=noninteractive
MU_APT_LOCK=(-o DPkg::Lock::Timeout=600)

# Debian sid's build root (tests/vm/sid-root), for kernels newer than
# Debian 12's compiler can build for.
MU_SID_ROOT=${MISCURING_SID_ROOT:-$MU_CACHE/sid-root}

mu_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# Is KVER a kernel whose headers live in the sid root, not on this host?
mu_sid_kernel() {
	[[ ! -f /usr/src/linux-headers-$1/Makefile &&
		-f $MU_SID_ROOT/usr/src/linux-headers-$1/Makefile ]]
}
mu_die() { mu_log "error: $*"; exit 1; }

# Run a command as root: the bench installs packages and writes to
# /var/cache; CI runs as root, a developer may have sudo.
mu_root() {
	if [[ $EUID -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo -E "$@"
	else
		mu_die "need root for: $*"
	fi
}

# apt-get update at most once per run (MU_APT_UPDATED is exported so the
# child scripts of one run share it) and at most once a day otherwise (a
# stamp in the cache, because apt sets the lists' mtime to the archive's
# date, not the fetch time). With no lists at all, always update.
mu_apt_update() {
	local force=${1:-} stamp=$MU_CACHE/apt-update.stamp
	[[ ${MU_APT_UPDATED:-} == 1 ]] && return 0
	if [[ -z $force ]] && compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null &&
		[[ -n $(find "$stamp" -mmin -1440 2>/dev/null) ]]; then
		return 0
	fi
	mu_log "apt-get update"
	mu_root apt-get -q "${MU_APT_LOCK[@]}" update >&2 || mu_die "apt-get update failed"
	mu_root mkdir -p "$MU_CACHE"
	mu_root touch "$stamp"
	export MU_APT_UPDATED=1
}

mu_pkg_installed() {
	[[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# Install the packages that are missing; nothing to do => no apt at all.
mu_apt_install() {
	local p missing=()
	for p in "$@"; do
		mu_pkg_installed "$p" || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	mu_apt_update
	mu_log "apt-get install ${missing[*]}"
	local cmd=(apt-get -q -y "${MU_APT_LOCK[@]}" --no-install-recommends -o Dpkg::Use-Pty=0
		install "${missing[@]}")
	# Stale lists give 404s: refresh once and try again.
	mu_root "${cmd[@]}" >&2 || { mu_apt_update force && mu_root "${cmd[@]}" >&2; } ||
		mu_die "could not install: ${missing[*]}"
}
