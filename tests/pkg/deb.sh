#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/pkg/deb.sh: the .deb as a sysadmin meets it, in chroots made here
# (mmdebstrap; real apt, real dkms, the distribution's own kernel hooks).
# Prints "PASS name" / "FAIL name: why" lines.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

deb=$("$top/scripts/mkdeb.sh" "$out" 2>"$out/lintian.log" | tail -n 1)
if [ -f "$deb" ]; then pass deb-builds-lintian-clean; else fail deb-builds-lintian-clean "$(tail -n 5 "$out/lintian.log")"; exit 1; fi
old=$(VT_PKG_VERSION=1.0.9 "$top/scripts/mkdeb.sh" "$out" 2>/dev/null | tail -n 1)

# ---------------- bookworm: 6.1 + bookworm-backports 6.12 ----------------
root=$(bookworm_root) ||
	{ fail setup-bookworm "cannot make the chroot"; exit 1; }
# Start clean: no package of ours, no dkms state (the chroot is cached).
inroot "$root" "apt-get purge -y -qq vsock-transports-dkms >/dev/null 2>&1; rm -rf /var/lib/dkms/vsock-transports /usr/src/vsock-transports-*; true"
k61=$(meta_headers_release "$root")
bpo=$(inroot "$root" "apt-cache show linux-headers-amd64/bookworm-backports 2>/dev/null" |
	sed -n 's/^Depends: \(linux-headers-[^ ,]*\).*/\1/p' | head -n 1)
inroot "$root" "apt-get install -y -qq $bpo >/dev/null" || fail setup-backports-headers "cannot install $bpo"
k612=${bpo#linux-headers-}

cp "$deb" "$old" "$root/tmp/"
# Upgrade path: the previous version first, then this one.
inroot "$root" "apt-get install -y -qq /tmp/$(basename "$old")" >"$out/install-old.log" 2>&1 ||
	fail install-previous-version "$(tail -n 3 "$out/install-old.log")"
inroot "$root" "apt-get install -y -qq /tmp/$(basename "$deb")" >"$out/install.log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then pass apt-install-exit-0; else fail apt-install-exit-0 "exit $rc: $(tail -n 3 "$out/install.log")"; fi

st=$(inroot "$root" "dkms status")
echo "$st" >"$out/dkms-status.txt"
for k in "$k61" "$k612"; do
	if echo "$st" | grep -qx "vsock-transports/$version, $k, [^:]*: installed"; then
		pass "dkms-installed-$k"
	else
		fail "dkms-installed-$k" "$(echo "$st" | tr '\n' ';')"
	fi
	for m in vhost_vsock hv_sock; do
		f=$(inroot "$root" "modinfo -k $k -F filename $m" 2>&1)
		case $f in
		*/updates/dkms/$m.ko*) pass "modinfo-$k-$m-is-ours" ;;
		*) fail "modinfo-$k-$m-is-ours" "$f" ;;
		esac
	done
	v=$(inroot "$root" "modinfo -k $k -F version vhost_vsock" 2>&1)
	[ "$v" = "$version" ] && pass "modinfo-$k-version" || fail "modinfo-$k-version" "$v"
	d=$(inroot "$root" "modprobe -S $k --show-depends vhost_vsock" 2>&1)
	echo "$d" | grep -q "updates/dkms/vhost_vsock" && pass "modprobe-$k-loads-ours" ||
		fail "modprobe-$k-loads-ours" "$(echo "$d" | tr '\n' ';')"
done
if echo "$st" | grep -q "vsock-transports/1.0.9"; then
	fail upgrade-replaces-previous-version "$(echo "$st" | tr '\n' ';')"
else
	pass upgrade-replaces-previous-version
fi

# Secure Boot: DKMS signs with its MOK key (generated on first use).
s=$(inroot "$root" "modinfo -k $k61 -F signer vhost_vsock" 2>&1)
if [ -n "$s" ] && inroot "$root" "test -f /var/lib/dkms/mok.pub"; then
	pass "modules-signed-by-mok ($s)"
else
	fail modules-signed-by-mok "signer '$s'"
fi

# The diagnose tool, as the package installed it.
diagnose_checks "$root" diagnose "$k61"

# End to end: boot kernel 6.1 in the VM harness with this chroot's own
# /lib/modules (where apt and DKMS put ours): modprobe must load ours.
if [ "$(basename "$("$top/scripts/fetch-kernel.sh" 6.1)")" = "$k61" ]; then
	# (The fake-guest suite; the hostile guests, a property of the module
	# and not of how it was installed, run in the VM tests.)
	VT_HOSTILE=0 VT_MODULES_TREE=$root VT_VM_OUT=$out/vm "$top/tests/vm/run.sh" --fake-only 6.1 >"$out/vm.log" 2>&1
	if [ $? -eq 0 ] && grep -q '^PASS module-is-ours' "$out/vm/6.1/results"; then
		pass "vm-boots-$k61-and-loads-the-apt-installed-module"
	else
		fail "vm-boots-$k61-and-loads-the-apt-installed-module" \
			"$(grep -v '^PASS' "$out/vm/6.1/results" 2>/dev/null | head -n 3 | tr '\n' ';')"
	fi
else
	fail vm-boots-and-loads-the-apt-installed-module "the 6.1 line's kernel is not $k61"
fi

# Kernel upgrade: new headers trigger the build through the kernel hooks.
knew=$(inroot "$root" "apt-cache search --names-only '^linux-headers-6\.1\.0-[0-9]+-amd64\$'" |
	awk '{ print $1 }' | sed 's/linux-headers-//' | grep -vx "$k61" | sort -V | tail -n 1)
if [ -n "$knew" ]; then
	inroot "$root" "apt-get install -y -qq linux-headers-$knew" >"$out/upgrade.log" 2>&1
	if inroot "$root" "dkms status -k $knew" | grep -q installed; then
		pass "kernel-upgrade-rebuilds-$knew"
	else
		fail "kernel-upgrade-rebuilds-$knew" "$(tail -n 3 "$out/upgrade.log" | tr '\n' ' ')"
	fi
	# and removing that kernel's headers again (the chroot is cached)
	inroot "$root" "apt-get purge -y -qq 'linux-headers-$knew' >/dev/null 2>&1; true"
else
	fail kernel-upgrade-rebuilds "no other 6.1 headers in the archive"
fi

# Kernels that cannot build: outside the range, or without the prerequisites.
fake() { # NAME RELEASE SED: a kernel tree derived from 6.1's, changed by SED
	local krel=$2 d=/usr/src/linux-headers-$2
	inroot "$root" "rm -rf $d /lib/modules/$krel; cp -a /usr/src/linux-headers-$k61 $d &&
		echo $krel >$d/include/config/kernel.release && sed -i '$3' $d/include/config/auto.conf &&
		mkdir -p /lib/modules/$krel/kernel && ln -s $d /lib/modules/$krel/build"
}
fake range 8.0.0-vt-future 's/^x/x/'
# through the distribution's own hook, as installing that kernel's headers would
o=$(inroot "$root" "/etc/kernel/header_postinst.d/dkms 8.0.0-vt-future" 2>&1)
rc=$?
if [ $rc -eq 0 ] && ! inroot "$root" "ls /lib/modules/8.0.0-vt-future/updates/dkms/vhost_vsock.ko*" >/dev/null 2>&1; then
	pass "unsupported-kernel-skipped ($(echo "$o" | grep -i -m1 'skip\|exclusive\|outside' | cut -c1-80))"
else
	fail unsupported-kernel-skipped "exit $rc: $(echo "$o" | tail -n 2 | tr '\n' ' ')"
fi
fake noconf 6.1.0-vt-novirtio '/^CONFIG_VIRTIO_VSOCKETS_COMMON=/d'
o=$(inroot "$root" "/etc/kernel/header_postinst.d/dkms 6.1.0-vt-novirtio" 2>&1)
rc=$?
has_hv=$(inroot "$root" "ls /lib/modules/6.1.0-vt-novirtio/updates/dkms/" 2>/dev/null)
if [ $rc -eq 0 ] && echo "$has_hv" | grep -q hv_sock && ! echo "$has_hv" | grep -q vhost_vsock; then
	pass "kernel-without-prerequisites-builds-the-other"
else
	fail kernel-without-prerequisites-builds-the-other "exit $rc, built: $has_hv $(echo "$o" | tail -n 2 | tr '\n' ' ')"
fi
# apt stays at exit 0 with those kernels present.
inroot "$root" "apt-get install -y -qq --reinstall /tmp/$(basename "$deb")" >"$out/reinstall.log" 2>&1 &&
	pass apt-exit-0-with-unsupported-kernels ||
	fail apt-exit-0-with-unsupported-kernels "$(tail -n 3 "$out/reinstall.log" | tr '\n' ' ')"
# The diagnose tool says why each of those kernels has none of ours.
inroot "$root" /usr/sbin/vsock-transports-diagnose >"$out/diagnose-skipped.txt" 2>&1
grep -q "^NOTE: 8.0.0-vt-future is skipped: kernel 8.0.0-vt-future is outside the supported range" \
	"$out/diagnose-skipped.txt" && pass diagnose-says-why-8.0.0-vt-future-is-skipped ||
	fail diagnose-says-why-8.0.0-vt-future-is-skipped "see $out/diagnose-skipped.txt"
grep -q "^NOTE: 6.1.0-vt-novirtio: vhost_vsock is not built: not set in this kernel's config: CONFIG_VIRTIO_VSOCKETS_COMMON" \
	"$out/diagnose-skipped.txt" && pass diagnose-says-why-6.1.0-vt-novirtio-has-no-vhost_vsock ||
	fail diagnose-says-why-6.1.0-vt-novirtio-has-no-vhost_vsock "see $out/diagnose-skipped.txt"
# (as the kernel's own prerm hook would: dkms first, then the kernel)
inroot "$root" "dkms remove vsock-transports/$version -k 6.1.0-vt-novirtio >/dev/null 2>&1;
	rm -rf /usr/src/linux-headers-8.0.0-vt-future /usr/src/linux-headers-6.1.0-vt-novirtio /lib/modules/8.0.0-vt-future /lib/modules/6.1.0-vt-novirtio; true"

# Removal: back to the in-tree modules; purge: nothing left.
inroot "$root" "apt-get remove -y -qq vsock-transports-dkms" >"$out/remove.log" 2>&1 ||
	fail apt-remove "$(tail -n 3 "$out/remove.log")"
left=$(inroot "$root" "find /lib/modules -path '*/updates/dkms/*' \\( -name 'vhost_vsock.ko*' -o -name 'hv_sock.ko*' \\)")
[ -z "$left" ] && pass remove-leaves-no-module || fail remove-leaves-no-module "$left"
f=$(inroot "$root" "modinfo -k $k61 -F filename vhost_vsock" 2>&1)
case $f in
*/kernel/drivers/vhost/vhost_vsock.ko*) pass remove-modprobe-resolves-in-tree ;;
*) fail remove-modprobe-resolves-in-tree "$f" ;;
esac
# The package's diagnose tool went with it: the source tree's copy says
# the in-tree module serves that kernel now, and that nothing of ours is left.
diagnose_absent() {
	cp "$top/scripts/vsock-transports-diagnose" "$root/tmp/diagnose"
	sed -i "s/^vt_version=@VT_VERSION@\$/vt_version=$version/" "$root/tmp/diagnose"
	inroot "$root" /tmp/diagnose >"$out/diagnose-$1.txt" 2>&1
	grep -q "^  vhost_vsock: *in-tree.*, /lib/modules/$k61/kernel/drivers/vhost/vhost_vsock\.ko" "$out/diagnose-$1.txt" &&
		grep -q "^  sources: *none" "$out/diagnose-$1.txt" &&
		pass "diagnose-after-$1-says-in-tree-serves-$k61" ||
		fail "diagnose-after-$1-says-in-tree-serves-$k61" "see $out/diagnose-$1.txt"
}
diagnose_absent remove
inroot "$root" "apt-get purge -y -qq vsock-transports-dkms" >>"$out/remove.log" 2>&1
diagnose_absent purge
rm -f "$root/tmp/diagnose"
left=$(inroot "$root" "ls -d /usr/src/vsock-transports* /var/lib/dkms/vsock-transports 2>/dev/null; find /lib/modules -name 'vhost_vsock.ko*' -path '*updates*'")
[ -z "$left" ] && pass purge-leaves-nothing || fail purge-leaves-nothing "$left"

# ---------------- trixie: its own dkms (3.2.x) and kernel ----------------
troot=$(vt_mkroot pkg-trixie trixie - "dkms,linux-headers-amd64,kmod") ||
	{ fail setup-trixie "cannot make the chroot"; exit 1; }
inroot "$troot" "apt-get purge -y -qq vsock-transports-dkms >/dev/null 2>&1; rm -rf /var/lib/dkms/vsock-transports; true"
kt=$(cd "$troot/usr/src" && ls -d linux-headers-*-amd64 | sort -V | tail -n 1 | sed 's/linux-headers-//')
cp "$deb" "$troot/tmp/"
inroot "$troot" "apt-get install -y -qq /tmp/$(basename "$deb")" >"$out/install-trixie.log" 2>&1 ||
	fail trixie-apt-install "$(tail -n 3 "$out/install-trixie.log")"
dv=$(inroot "$troot" "dkms --version" 2>&1)
if inroot "$troot" "dkms status" | grep -q "vsock-transports/$version, $kt, [^:]*: installed" &&
	inroot "$troot" "modinfo -k $kt -F filename vhost_vsock" | grep -q updates/dkms; then
	pass "trixie-install-$kt ($dv)"
else
	fail "trixie-install-$kt" "$(inroot "$troot" "dkms status" | tr '\n' ';')"
fi
inroot "$troot" "apt-get purge -y -qq vsock-transports-dkms" >/dev/null 2>&1
