#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkchroot.sh LINE: make (or reuse) the cached build chroot of one kernel
# line of the matrix: the line's own Debian suite, its compiler, its
# linux-headers and kmod. Prints the chroot's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

line=${1:?usage: mkchroot.sh KERNEL-LINE (5.10, 6.1, 6.12, 7.2, 7.3)}
read -r _ suite extra hdr < <(vt_kernel_lines | awk -v l="$line" '$1 == l') ||
	vt_die "unknown kernel line '$line'"
[ -n "$suite" ] || vt_die "unknown kernel line '$line'"

root=$VT_CACHE/chroot/$line
stamp=$root/.vt-ready
# perl: kernel-doc runs with W=1 on 6.x
pkgs="make,gcc,libc6-dev,kmod,perl,$hdr${VT_CHROOT_EXTRA:+,$VT_CHROOT_EXTRA}"
if [ -e "$stamp" ]; then
	if [ "$(cat "$stamp")" != "$pkgs" ]; then
		vt_log "updating the $suite chroot of kernel line $line: $pkgs"
		vt_chroot "$root" sh -c "apt-get -o Acquire::Check-Valid-Until=false update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(echo "$pkgs" | tr , ' ')" >&2 ||
			vt_die "cannot install $pkgs in $root"
		echo "$pkgs" >"$stamp"
	fi
	echo "$root"
	exit 0
fi

command -v mmdebstrap >/dev/null || vt_die "mmdebstrap is missing (apt-get install mmdebstrap)"
mirror=$(vt_mirror)
[ -n "$mirror" ] || vt_die "no Debian mirror found in the apt configuration"
sources=("deb $mirror $suite main")
case $extra in
-) ;;
*-security) sources+=("deb $(vt_security_mirror) $extra main") ;;
*) sources+=("deb $mirror $extra main") ;;
esac

rm -rf "$root.tmp"
mkdir -p "$VT_CACHE/chroot" "$VT_CACHE/apt-archives"
vt_log "creating $suite chroot for kernel line $line"
mmdebstrap --variant=apt --mode=root \
	--aptopt='Acquire::Retries "3"' \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--skip=cleanup/apt/cache \
	--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"" \
	--setup-hook="cp -n $VT_CACHE/apt-archives/*.deb \"\$1/var/cache/apt/archives/\" 2>/dev/null || true" \
	--customize-hook="cp -n \"\$1\"/var/cache/apt/archives/*.deb $VT_CACHE/apt-archives/ 2>/dev/null || true" \
	--include="$pkgs" \
	"$suite" "$root.tmp" "${sources[@]}" >&2
echo "$pkgs" >"$root.tmp/.vt-ready"
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$root"
