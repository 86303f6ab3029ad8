#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KDIR [kbuild arguments...]: build the modules this kernel allows.
# Runs kbuild in src/, which runs the probes first (cached per kernel in
# build/<release>/).
# Exit 0 with the built modules in src/, 1 on error, 3 when this kernel
# cannot build any module (the reason is printed).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: build.sh KDIR [kbuild args]}
shift

if [ ! -e "$kdir/Makefile" ] || [ ! -r "$kdir/include/config/kernel.release" ]; then
	krel=$(basename "$(dirname "$kdir")")
	cat >&2 <<MSG
error: no kernel headers at $kdir
  Install the headers of the kernel you build for, then run make again:
    Debian/Ubuntu:  apt install linux-headers-$krel
    Fedora/RHEL:    dnf install kernel-devel-$krel
  or point the build at a prepared kernel tree: make KDIR=/path/to/build
MSG
	exit 1
fi
kdir=$(cd "$kdir" && pwd -P)
krel=$(cat "$kdir/include/config/kernel.release")
version=$(cat "$top/VERSION")

modules=()
while read -r verb what rest; do
	case $verb in
	build) modules+=("$what.o") ;;
	skip)
		echo "  SKIP    ${what%:} for $krel: $rest" >&2
		[ "$what" = "all:" ] && exit 3
		;;
	esac
done < <("$top/scripts/kconfig.sh" "$kdir")
[ ${#modules[@]} -gt 0 ] || exit 3

gen=$top/build/$krel
mkdir -p "$gen"

make -C "$kdir" M="$top/src" VT_GEN="$gen" VT_KDIR="$kdir" VT_TOP="$top" \
	VT_VERSION="$version" VT_MODULES="${modules[*]}" "$@" modules
