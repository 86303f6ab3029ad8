#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/pkg/rpm.sh: the .rpm's scriptlets for real: rpm -i --nodeps --root
# into a chroot that has dkms and kernel headers (the bookworm chroot of
# tests/pkg/deb.sh), the same checks as the .deb, then erase.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# rpmroot ROOT ARGS...: this machine's rpm on ROOT, whose /proc and /dev the
# scriptlets (run chrooted by rpm) need.
rpmroot() {
	local r=$1
	shift
	unshare --mount --fork /bin/sh -c 'r=$1; shift; mount --make-rprivate / &&
		mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
		exec env PATH=/usr/sbin:/usr/bin:/sbin:/bin rpm --root "$r" "$@"' rpmroot "$r" "$@"
}

rpm=$("$top/scripts/mkrpm.sh" "$out" 2>"$out/rpmlint.log" | tail -n 1)
if [ -f "$rpm" ]; then pass rpm-builds-rpmlint-clean; else fail rpm-builds-rpmlint-clean "$(tail -n 3 "$out/rpmlint.log")"; exit 1; fi

root=$(bookworm_root) ||
	{ fail setup "cannot make the chroot"; exit 1; }
inroot "$root" "dpkg --purge vsock-transports-dkms >/dev/null 2>&1; rm -rf /var/lib/dkms/vsock-transports /usr/src/vsock-transports-* /var/lib/rpm; true"
rpm --root "$root" --initdb
if rpmroot "$root" -i --nodeps "$rpm" >"$out/rpm-install.log" 2>&1; then
	pass rpm-install
else
	fail rpm-install "$(tail -n 3 "$out/rpm-install.log" | tr '\n' ' ')"
fi
grep -q 'installed for' "$out/rpm-install.log" && pass rpm-post-reports || fail rpm-post-reports "$(head -c 300 "$out/rpm-install.log")"
st=$(inroot "$root" "dkms status")
for k in $(cd "$root/lib/modules" && ls); do
	inroot "$root" "test -e /lib/modules/$k/build/include" || continue
	if echo "$st" | grep -q "vsock-transports/$version, $k, [^:]*: installed" &&
		inroot "$root" "modinfo -k $k -F filename vhost_vsock" | grep -q updates/dkms &&
		inroot "$root" "modinfo -k $k -F filename hv_sock" | grep -q updates/dkms; then
		pass "rpm-dkms-installed-$k"
	else
		fail "rpm-dkms-installed-$k" "$(echo "$st" | tr '\n' ';')"
	fi
done
diagnose_checks "$root" rpm-diagnose "$(meta_headers_release "$root")"
rpmroot "$root" -e --nodeps vsock-transports-dkms >"$out/rpm-erase.log" 2>&1 ||
	fail rpm-erase "$(tail -n 3 "$out/rpm-erase.log")"
left=$(inroot "$root" "ls -d /usr/src/vsock-transports* /var/lib/dkms/vsock-transports 2>/dev/null; find /lib/modules -path '*updates/dkms*' -name 'vhost_vsock.ko*'")
[ -z "$left" ] && pass rpm-erase-leaves-nothing || fail rpm-erase-leaves-nothing "$left"
rm -rf "$root/var/lib/rpm"
