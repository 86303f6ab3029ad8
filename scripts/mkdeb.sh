#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkdeb.sh [OUTDIR]: build vsock-transports-dkms_<version>_all.deb with
# debhelper and dh-sequence-dkms from packaging/debian/, and run lintian.
# VT_PKG_VERSION=x.y.z builds another version (tests of upgrades).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
out=${1:-$top/build}
mkdir -p "$out"
out=$(cd "$out" && pwd)

vt_need_pkgs dpkg-dev debhelper dh-dkms fakeroot lintian ||
	vt_die "cannot install the Debian packaging tools"

version=${VT_PKG_VERSION:-$(cat "$top/VERSION")}
work=$top/build/deb
src=$work/vsock-transports-$version
rm -rf "$work"
mkdir -p "$src"
tar -C "$top" --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
	--exclude='.*.cmd' -cf - . | tar -C "$src" -xf -
cp -a "$top/packaging/debian" "$src/debian"
if [ "$version" != "$(cat "$top/VERSION")" ]; then
	echo "$version" >"$src/VERSION"
	{
		printf 'vsock-transports (%s) unstable; urgency=medium\n\n  * Test build.\n\n' "$version"
		printf ' -- vsock-transports developers <maintainers@vsock-transports.invalid>  %s\n\n' "$(date -R)"
	} >"$src/debian/changelog"
fi
[ "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)" = "$version" ] ||
	vt_die "packaging/debian/changelog does not match VERSION ($version)"
(cd "$src" && dpkg-buildpackage -b -us -uc -rfakeroot) >"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log"; vt_die "dpkg-buildpackage failed"; }
deb=vsock-transports-dkms_${version}_all.deb
mv "$work/$deb" "$out/"
echo "$out/$deb"
lintian --fail-on error,warning "$out/$deb" >&2
