#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsock-perf.sh LINE: upstream's vsock benchmark, tools/testing/vsock/
# vsock_perf.c from Debian's linux-source of kernel line LINE, built
# static inside that line's chroot (cached under $VT_CACHE/vsock_perf/).
# Prints "<path of the binary> <the linux-source it came from>".
#
# vsock_perf came in v6.2 ("test/vsock: vsock_perf utility"): the lines
# whose linux-source is older (5.10, 6.1) and the shared kernels, which have
# no linux-source package, use the one of 6.12, the oldest line that has it.
# It is userspace over the AF_VSOCK uapi only, so one binary serves every
# host and guest kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

line=${1:?usage: vsock-perf.sh LINE}
vt_is_debian_line "$line" || line=6.12
case $line in
5.10 | 6.1) line=6.12 ;;
esac
dest=$VT_CACHE/vsock_perf/$line
if [ -x "$dest/vsock_perf" ] && [ -s "$dest/source" ]; then
	echo "$dest/vsock_perf $(cat "$dest/source")"
	exit 0
fi
root=$("$(dirname "$0")/mkchroot.sh" "$line")
# The linux-source package of the line's own kernel (major.minor of its
# headers), from the suite that chroot installs headers from.
hdr=$(cd "$root/usr/src" && ls -d linux-headers-*-amd64 | sort -V | tail -n 1)
mm=$(echo "${hdr#linux-headers-}" | cut -d. -f1,2)
read -r _ _ extra _ < <(vt_kernel_lines | awk -v l="$line" '$1 == l')
target=
case $extra in *-backports) target="-t $extra" ;; esac
mkdir -p "$root/tmp/vt-perf"
if ! ls "$root"/tmp/vt-perf/linux-source-"${mm}"_*.deb >/dev/null 2>&1; then
	vt_chroot "$root" sh -c "
		cd /tmp/vt-perf &&
		apt-get -o Acquire::Check-Valid-Until=false update -qq &&
		apt-get download -o Acquire::Check-Valid-Until=false $target linux-source-$mm" >&2 ||
		vt_die "cannot download linux-source-$mm for line $line"
fi
deb=$(ls "$root"/tmp/vt-perf/linux-source-"${mm}"_*.deb | tail -n 1)
# (The chroot has no xz: the tarball is unpacked from outside.)
rm -rf "$root/tmp/vt-perf/src"
mkdir -p "$root/tmp/vt-perf/src"
dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*usr/src/linux-source-*.tar.*' |
	tar -xJ -C "$root/tmp/vt-perf/src" --wildcards '*/tools/testing/vsock/*' ||
	vt_die "no tools/testing/vsock in $(basename "$deb")"
basename "${deb%.deb}" >"$root/tmp/vt-perf/source"
vt_chroot "$root" sh -c '
	cd /tmp/vt-perf/src/*/tools/testing/vsock &&
	srcs=vsock_perf.c &&
	{ [ ! -f msg_zerocopy_common.c ] || srcs="$srcs msg_zerocopy_common.c"; } &&
	gcc -O2 -static -D_GNU_SOURCE -I. -o /tmp/vt-perf/vsock_perf $srcs' >&2 ||
	vt_die "cannot build vsock_perf from $(basename "$deb") of line $line"
mkdir -p "$dest"
cp "$root/tmp/vt-perf/vsock_perf" "$root/tmp/vt-perf/source" "$dest/"
rm -rf "$root/tmp/vt-perf"
echo "$dest/vsock_perf $(cat "$dest/source")"
