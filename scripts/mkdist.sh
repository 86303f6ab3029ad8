#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkdist.sh [OUTDIR]: the release tarball vsock-transports-<version>.tar.gz.
# It builds without git: the version comes from VERSION.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build}
mkdir -p "$out"
version=${VT_PKG_VERSION:-$(cat "$top/VERSION")}
name=vsock-transports-$version
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/$name"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$top" ls-files -z | tar -C "$top" --null -T - -cf - | tar -C "$tmp/$name" -xf -
else
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$tmp/$name" -xf -
fi
echo "$version" >"$tmp/$name/VERSION"
tar -C "$tmp" --owner=0 --group=0 --sort=name -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
