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

# The image package of exactly this release, from the line's own suite.
rm -rf "$root/tmp/vt-image" "$dest.tmp"
mkdir -p "$root/tmp/vt-image" "$dest.tmp"
vt_chroot "$root" sh -c "
	cd /tmp/vt-image &&
	{ apt-get download -o Acquire::Check-Valid-Until=false linux-image-$krel 2>/dev/null ||
	  { apt-get -o Acquire::Check-Valid-Until=false update -qq &&
	    apt-get download -o Acquire::Check-Valid-Until=false linux-image-$krel; }; }" >&2 ||
	vt_die "cannot download linux-image-$krel"
dpkg-deb -x "$root"/tmp/vt-image/linux-image-"$krel"_*.deb "$dest.tmp/pkg"
cp "$dest.tmp/pkg/boot/vmlinuz-$krel" "$dest.tmp/vmlinuz"
mkdir -p "$dest.tmp/lib/modules"
mv "$dest.tmp/pkg/lib/modules/$krel" "$dest.tmp/lib/modules/$krel" 2>/dev/null ||
	mv "$dest.tmp/pkg/usr/lib/modules/$krel" "$dest.tmp/lib/modules/$krel"
rm -rf "$dest.tmp/pkg" "$root/tmp/vt-image"
depmod -b "$dest.tmp" "$krel"
touch "$dest.tmp/.vt-ready"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$dest"
