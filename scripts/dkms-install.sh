#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-install.sh install|uninstall [KVER]: for people installing from a
# source checkout.  "install" copies the sources to /usr/src/vsock-transports-
# <version>, registers them with DKMS and builds and installs them for KVER
# (default: every kernel with headers; DKMS then rebuilds on kernel
# upgrades).  "uninstall" removes them from DKMS and /usr/src, which brings
# the in-tree modules back.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
[ "$(id -u)" = 0 ] || vt_die "run as root"
command -v dkms >/dev/null || vt_die "dkms is not installed (apt install dkms / dnf install dkms)"
version=$(cat "$top/VERSION")
name=vsock-transports
src=/usr/src/$name-$version

case ${1:-} in
install)
	if dkms status -m "$name" -v "$version" | grep -q .; then
		dkms remove -m "$name" -v "$version" --all >/dev/null 2>&1 || true
	fi
	rm -rf "$src"
	mkdir -p "$src/scripts"
	cp -a "$top"/{Makefile,VERSION,LICENSE,dkms.conf,src,include} "$src/"
	cp -a "$top"/scripts/{build.sh,kconfig.sh,probe.sh,probes} "$src/scripts/"
	rm -rf "$src/build" "$src"/src/*.o "$src"/src/*.ko "$src"/src/.*.cmd
	dkms add -m "$name" -v "$version"
	kernels=${2:-$(ls /lib/modules)}
	for k in $kernels; do
		[ -e "/lib/modules/$k/build/include" ] || { echo "$name: no headers for $k, skipped"; continue; }
		set +e
		dkms install -m "$name" -v "$version" -k "$k"
		r=$?
		set -e
		case $r in
		0) ;;
		77) echo "$name: $k skipped (see the reason above)" ;;
		*) vt_die "dkms install failed for $k" ;;
		esac
	done
	;;
uninstall)
	dkms remove -m "$name" -v "$version" --all 2>/dev/null || true
	rm -rf "$src"
	;;
*)
	vt_die "usage: dkms-install.sh install|uninstall [KVER]"
	;;
esac
