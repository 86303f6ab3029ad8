#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh LINE: the Debian kernel image matching the headers of a
# kernel line's chroot, unpacked (cached) under $VT_CACHE/kernels/<release>/:
# vmlinuz and lib/modules/<release>/.  Prints that directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

line=${1:?usage: fetch-kernel.sh LINE}
root=$("$(dirname "$0")/mkchroot.sh" "$line")
hdr=$(cd "$root/usr/src" && ls -d linux-headers-*-amd64 | sort -V | tail -n 1)
krel=${hdr#linux-headers-}
dest=$VT_CACHE/kernels/$krel
if [ -f "$dest/.vt-ready" ]; then
	echo "$dest"
	exit 0
fi

# The image of exactly this release, from the line's own suite: one
# linux-image package up to 7.1, split into linux-binary (the kernel; signed
# or unsigned) and linux-modules from 7.2 on.
rm -rf "$root/tmp/vt-image" "$dest.tmp"
mkdir -p "$root/tmp/vt-image" "$dest.tmp/pkg"
vt_chroot "$root" sh -c "
	cd /tmp/vt-image
	[ -n \"\$(ls /var/lib/apt/lists/*Packages* 2>/dev/null)\" ] ||
		apt-get -o Acquire::Check-Valid-Until=false update -qq
	get() { apt-get download -o Acquire::Check-Valid-Until=false \"\$@\" 2>/dev/null; }
	get linux-image-$krel
	if get linux-modules-$krel; then
		get linux-binary-$krel || get linux-binary-unsigned-$krel
	fi
	true" >&2
for deb in "$root"/tmp/vt-image/*.deb; do
	[ -f "$deb" ] || vt_die "cannot download the image of $krel"
	dpkg-deb -x "$deb" "$dest.tmp/pkg"
done
mdir=$dest.tmp/pkg/lib/modules/$krel
[ -d "$mdir" ] || mdir=$dest.tmp/pkg/usr/lib/modules/$krel
for v in "$dest.tmp/pkg/boot/vmlinuz-$krel" "$mdir/vmlinuz"; do
	[ -f "$v" ] && cp "$v" "$dest.tmp/vmlinuz"
done
[ -f "$dest.tmp/vmlinuz" ] || vt_die "no vmlinuz of $krel in the downloaded packages"
[ -d "$mdir/kernel" ] || vt_die "no modules of $krel in the downloaded packages"
mkdir -p "$dest.tmp/lib/modules"
mv "$mdir" "$dest.tmp/lib/modules/$krel"
rm -rf "$dest.tmp/pkg" "$root/tmp/vt-image"
depmod -b "$dest.tmp" "$krel"
touch "$dest.tmp/.vt-ready"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$dest"
