# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's scripts. Sourced, never run.

VT_CACHE=${VT_CACHE:-/var/cache/vsock-transports}

vt_die() { echo "error: $*" >&2; exit 1; }
vt_log() { echo ">> $*" >&2; }

# The Debian mirror and security mirror come from this machine's own apt
# configuration (deb822 .sources first, then one-line sources.list), so no
# host name is ever written into the repository.
vt_apt_uris() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '/^URIs:/ { print $2 }' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }'
	return 0
}

vt_mirror() {
	[ -n "${VT_MIRROR:-}" ] && { echo "$VT_MIRROR"; return; }
	vt_apt_uris | grep -v -- '-security' | grep '/debian/\?$' | sed -n 1p
}

vt_security_mirror() {
	[ -n "${VT_SECURITY_MIRROR:-}" ] && { echo "$VT_SECURITY_MIRROR"; return; }
	vt_apt_uris | grep -- 'debian-security' | sed -n 1p
}

# The kernel lines of the matrix: name suite extra-suites headers-package.
vt_kernel_lines() {
	cat <<'LINES'
5.10 bullseye - linux-headers-amd64
6.1 bookworm bookworm-security linux-headers-amd64
6.12 trixie - linux-headers-amd64
7.2 forky - linux-headers-amd64
7.3 trixie trixie-backports linux-headers-amd64/trixie-backports
LINES
}

# vt_is_debian_line NAME: is NAME one of the Debian kernel lines above?
vt_is_debian_line() {
	vt_kernel_lines | awk -v l="$1" '$1 == l { f = 1 } END { exit !f }'
}

# The CPU model of every test VM and nested guest, pinned: "max" changes
# with the QEMU version and once crashed a nested guest's early boot under
# load.  SMEP and SMAP on, so a kernel access to user memory outside the
# uaccess helpers oopses instead of passing unnoticed.
VT_QEMU_CPU=${VT_QEMU_CPU:-qemu64,+smep,+smap}

# vt_chroot ROOT CMD...: run CMD in ROOT with /proc and /dev, in a private
# mount namespace so nothing stays mounted when it ends, however it ends.
vt_chroot() {
	local root=$1
	shift
	unshare --mount --fork /bin/sh -c '
		root=$1; shift
		mount --make-rprivate / &&
		mount -t proc proc "$root/proc" &&
		mount --rbind /dev "$root/dev" &&
		exec chroot "$root" "$@"' vt_chroot "$root" "$@"
}

# vt_need_pkgs PKG...: install the Debian packages that are missing.
vt_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	vt_log "installing ${missing[*]}"
	apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >/dev/null
}

# Packages the VM tests and the demo need on this machine.
VT_VM_PKGS="qemu-system-x86 busybox-static socat cpio gzip xz-utils zstd kmod mmdebstrap gcc libc6-dev"

# vt_mkroot NAME SUITE EXTRA PKGS: make (or reuse, or top up) the cached
# chroot $VT_CACHE/chroot/NAME of Debian SUITE, plus the suite EXTRA ("-" for
# none, or several separated by commas; a "-security" suite comes from the
# security mirror), with the
# comma-separated PKGS installed.  Prints its path.
vt_mkroot() {
	local name=$1 suite=$2 extra=$3 pkgs=$4 root mirror sources e
	root=$VT_CACHE/chroot/$name
	if [ -e "$root/.vt-ready" ]; then
		if [ "$(cat "$root/.vt-ready")" != "$pkgs" ]; then
			vt_log "updating the $suite chroot $name: $pkgs"
			vt_chroot "$root" sh -c "apt-get -o Acquire::Check-Valid-Until=false update -qq &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(echo "$pkgs" | tr , ' ')" >&2 ||
				vt_die "cannot install $pkgs in $root"
			echo "$pkgs" >"$root/.vt-ready"
		fi
		echo "$root"
		return 0
	fi
	command -v mmdebstrap >/dev/null || vt_die "mmdebstrap is missing (apt-get install mmdebstrap)"
	mirror=$(vt_mirror)
	[ -n "$mirror" ] || vt_die "no Debian mirror found in the apt configuration"
	sources=("deb $mirror $suite main")
	for e in ${extra//,/ }; do
		case $e in
		-) ;;
		*-security) sources+=("deb $(vt_security_mirror) $e main") ;;
		*) sources+=("deb $mirror $e main") ;;
		esac
	done
	# An mmdebstrap that was killed leaves /proc, /sys and /dev/pts
	# mounted in its tree: unmounted first, and rm stays on that file
	# system whatever is left.
	awk -v p="$root.tmp/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m"; done
	rm -rf --one-file-system "$root.tmp"
	mkdir -p "$VT_CACHE/chroot" "$VT_CACHE/apt-archives"
	vt_log "creating the $suite chroot $name"
	mmdebstrap --variant=apt --mode=root \
		--aptopt='Acquire::Retries "3"' \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--skip=cleanup/apt/cache --skip=cleanup/apt/lists \
		--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"" \
		--setup-hook="cp -n $VT_CACHE/apt-archives/*.deb \"\$1/var/cache/apt/archives/\" 2>/dev/null || true" \
		--customize-hook="cp -n \"\$1\"/var/cache/apt/archives/*.deb $VT_CACHE/apt-archives/ 2>/dev/null || true" \
		--include="$pkgs" \
		"$suite" "$root.tmp" "${sources[@]}" >&2 || vt_die "mmdebstrap $suite failed"
	echo "$pkgs" >"$root.tmp/.vt-ready"
	rm -rf "$root"
	mv "$root.tmp" "$root"
	echo "$root"
}
