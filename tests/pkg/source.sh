#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/pkg/source.sh: the release tarball builds where there is no git
# (version from VERSION, never "unknown"), and make dkms-install /
# dkms-uninstall work from it, in the bookworm chroot of tests/pkg/deb.sh.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tgz=$("$top/scripts/mkdist.sh" "$out" | tail -n 1)
root=$(bookworm_root) || { fail setup "cannot make the chroot"; exit 1; }
k=$(meta_headers_release "$root")
rm -rf "$root/tmp/src"
mkdir -p "$root/tmp/src"
tar -C "$root/tmp/src" -xzf "$tgz"
d=/tmp/src/vsock-transports-$version

inroot "$root" "command -v git" >/dev/null && fail no-git-in-chroot "git is installed there"
if inroot "$root" "make -C $d KVER=$k" >"$out/tarball-build.log" 2>&1 &&
	[ "$(inroot "$root" "modinfo -F version $d/src/vhost_vsock.ko")" = "$version" ]; then
	pass tarball-builds-without-git-version-$version
else
	fail tarball-builds-without-git "$(tail -n 3 "$out/tarball-build.log" | tr '\n' ' ')"
fi
if inroot "$root" "make -C $d dkms-install KVER=$k" >"$out/dkms-install.log" 2>&1 &&
	inroot "$root" "modinfo -k $k -F filename vhost_vsock" | grep -q updates/dkms; then
	pass make-dkms-install
else
	fail make-dkms-install "$(tail -n 3 "$out/dkms-install.log" | tr '\n' ' ')"
fi
inroot "$root" "make -C $d dkms-uninstall" >"$out/dkms-uninstall.log" 2>&1
if [ -s "$out/dkms-install.log" ] && grep -q 'Installing to' "$out/dkms-install.log" && inroot "$root" "modinfo -k $k -F filename vhost_vsock" | grep -q kernel/drivers/vhost &&
	! inroot "$root" "ls -d /usr/src/vsock-transports-$version /var/lib/dkms/vsock-transports/$version" 2>/dev/null; then
	pass make-dkms-uninstall-back-to-in-tree
else
	fail make-dkms-uninstall-back-to-in-tree "$(tail -n 3 "$out/dkms-uninstall.log" | tr '\n' ' ')"
fi
rm -rf "$root/tmp/src"
