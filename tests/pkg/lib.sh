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

# diagnose_checks ROOT PREFIX KVER: the packaged vsock-transports-diagnose in
# ROOT is executable, answers --help and --version, and a run there ends
# with 0 or 1 (no problem, or problems: never a usage error or a crash),
# tells that ours serves KVER at its next boot, and its --json is one valid
# JSON document saying the same.
diagnose_checks() {
	local r=$1 p=$2 k=$3 d=/usr/sbin/vsock-transports-diagnose v rc
	if inroot "$r" "test -x $d && $d --help >/dev/null"; then
		pass "$p-help"
	else
		fail "$p-help" "$(inroot "$r" "ls -l $d; $d --help" 2>&1 | tail -n 2 | tr '\n' ' ')"
	fi
	v=$(inroot "$r" "$d --version" 2>&1)
	if [ "$v" = "vsock-transports-diagnose $version" ]; then pass "$p-version"; else fail "$p-version" "$v"; fi
	inroot "$r" "$d" >"$out/$p.txt" 2>&1
	rc=$?
	case $rc in
	0 | 1) pass "$p-runs (exit $rc)" ;;
	*) fail "$p-runs" "exit $rc: $(tail -n 3 "$out/$p.txt" | tr '\n' ' ')" ;;
	esac
	if grep -q "vhost_vsock: *ours $version, /lib/modules/$k/updates/dkms/vhost_vsock\.ko" "$out/$p.txt"; then
		pass "$p-says-ours-serves-$k"
	else
		fail "$p-says-ours-serves-$k" "see $out/$p.txt"
	fi
	inroot "$r" "$d --json" >"$out/$p.json" 2>"$out/$p.json.err"
	rc=$?
	if { [ $rc -eq 0 ] || [ $rc -eq 1 ]; } && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
k = [x for x in d["kernels"] if x["kernel"] == sys.argv[2]]
sys.exit(0 if k and k[0]["next_boot"]["vhost_vsock"]["origin"] == "ours" else 1)' "$out/$p.json" "$k"; then
		pass "$p-json"
	else
		fail "$p-json" "exit $rc, see $out/$p.json"
	fi
}
