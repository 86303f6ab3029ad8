#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkrpm.sh [OUTDIR]: vsock-transports-dkms-<version>-1.noarch.rpm and the
# .src.rpm with rpmbuild from packaging/rpm/, and rpmlint on both.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
out=${1:-$top/build}
mkdir -p "$out"
out=$(cd "$out" && pwd)
vt_need_pkgs rpm rpmlint || vt_die "cannot install rpm and rpmlint"
version=${VT_PKG_VERSION:-$(cat "$top/VERSION")}
topdir=$top/build/rpm
rm -rf "$topdir"
mkdir -p "$topdir"/{SOURCES,SPECS,BUILD,RPMS,SRPMS}
VT_PKG_VERSION=$version "$top/scripts/mkdist.sh" "$topdir/SOURCES" >/dev/null
sed "s/@VERSION@/$version/" "$top/packaging/rpm/vsock-transports-dkms.spec" \
	>"$topdir/SPECS/vsock-transports-dkms.spec"
rpmbuild --define "_topdir $topdir" \
	-ba "$topdir/SPECS/vsock-transports-dkms.spec" >"$topdir/build.log" 2>&1 ||
	{ tail -n 20 "$topdir/build.log"; vt_die "rpmbuild failed"; }
cp "$topdir"/RPMS/noarch/*.rpm "$topdir"/SRPMS/*.rpm "$out/"
rpm=$(ls "$out"/vsock-transports-dkms-"$version"-1*.noarch.rpm)
echo "$rpm"
# Filters, each with its reason: packaging/rpm/vsock-transports-dkms.rpmlintrc
rpmlint -r "$top/packaging/rpm/vsock-transports-dkms.rpmlintrc" \
	"$rpm" "$out"/vsock-transports-dkms-"$version"-1*.src.rpm >"$topdir/rpmlint.log" 2>&1
cat "$topdir/rpmlint.log" >&2
grep -q ' 0 errors, 0 warnings' "$topdir/rpmlint.log" || vt_die "rpmlint is not clean"
