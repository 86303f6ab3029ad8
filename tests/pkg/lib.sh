# SPDX-License-Identifier: GPL-2.0
# Shared by the package tests (sourced): results, chroots, helpers.

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
out=$top/build/pkg
mkdir -p "$out"
version=$(cat "$top/VERSION")

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# inroot ROOT CMD: run a shell command in a chroot.
inroot() {
	local r=$1
	shift
	vt_chroot "$r" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "$*"
}

# The bookworm chroot the tests install into: 6.1 (and, added by deb.sh,
# bookworm-backports 6.12) headers, the 6.1 image, dkms.
bookworm_root() {
	vt_mkroot pkg-bookworm bookworm bookworm-security,bookworm-backports \
		"dkms,linux-headers-amd64,linux-image-amd64,kmod,initramfs-tools,openssl,mokutil"
}

# The release of the headers linux-headers-amd64 points to, in ROOT.
meta_headers_release() {
	inroot "$1" "dpkg-query -W -f '\${Depends}' linux-headers-amd64" |
		sed 's/^linux-headers-\([^ ,]*\).*/\1/'
}
