#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shared-kernels.sh hdr|vm [NAME...]: the kernel trees of the team's shared
# test data ($VT_SHARED_KERNELS, default ../shared/kernels beside the
# checkout), extracted once into $VT_CACHE/shared/ and re-extracted only when
# a tarball changes.  Prints "NAME PATH" per tree:
#   hdr  prepared header trees (vanilla, RHEL kernel-devel style), for KDIR=
#   vm   bootable kernels: PATH/vmlinuz and PATH/lib/modules/NAME
# Prints nothing (and exits 0) where there is no shared data.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kind=${1:?usage: shared-kernels.sh hdr|vm [NAME...]}
shift
src=${VT_SHARED_KERNELS:-$top/../shared/kernels}
case $kind in
hdr) ;;
vm) src=$src/vm ;;
*) vt_die "usage: shared-kernels.sh hdr|vm [NAME...]" ;;
esac
[ -d "$src" ] || exit 0
dest=$VT_CACHE/shared/$kind
mkdir -p "$dest"

for tb in $(ls "$src"/*.tar.xz 2>/dev/null | sort -V); do
	name=$(basename "$tb" .tar.xz)
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$name"; then
		continue
	fi
	stamp=$(stat -c '%s %Y' "$tb")
	if [ "$(cat "$dest/$name/.vt-src" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$dest/$name" "$dest/$name.tmp"
		mkdir -p "$dest/$name.tmp"
		# One top-level directory, named like the tarball.
		tar -C "$dest/$name.tmp" -xJf "$tb" ||
			vt_die "cannot extract $tb"
		mv "$dest/$name.tmp/$name" "$dest/$name"
		rm -rf "$dest/$name.tmp"
		echo "$stamp" >"$dest/$name/.vt-src"
	fi
	echo "$name $dest/$name"
done
