#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kconfig.sh KDIR: which modules can be built for this kernel, and why not.
# Prints "build MODULE" or "skip MODULE: reason" lines, and one
# "skip all: reason" line when the kernel is outside the supported range
# declared below.
set -euo pipefail
kdir=${1:?usage: kconfig.sh KDIR}

conf=$kdir/include/config/auto.conf
[ -r "$conf" ] || { echo "skip all: $kdir has no include/config/auto.conf (not a configured kernel tree)"; exit 0; }

# The supported kernel range, declared here and only here (README.md repeats
# it).  Inside the range every API difference is detected by the probes.
VT_KERNEL_MIN=4.14
VT_KERNEL_MAX=7.3

code() { echo $(( ($1 << 16) + ($2 << 8) )); }
krel=$(cat "$kdir/include/config/kernel.release")
read -r a b < <(echo "$krel" | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
kv=$(code "$a" "$b")
min=$(code ${VT_KERNEL_MIN/./ })
max=$(code ${VT_KERNEL_MAX/./ })
if [ "$kv" -lt "$min" ] || [ "$kv" -gt "$max" ]; then
	echo "skip all: kernel $krel is outside the supported range $VT_KERNEL_MIN to $VT_KERNEL_MAX"
	exit 0
fi

on() { grep -Eq "^$1=[ym]" "$conf"; }

missing=""
on CONFIG_VSOCKETS || missing="$missing CONFIG_VSOCKETS"
on CONFIG_VIRTIO_VSOCKETS_COMMON || missing="$missing CONFIG_VIRTIO_VSOCKETS_COMMON"
on CONFIG_EVENTFD || missing="$missing CONFIG_EVENTFD"
if [ -z "$missing" ]; then
	echo "build vhost_vsock"
else
	echo "skip vhost_vsock: not set in this kernel's config:$missing"
fi

missing=""
on CONFIG_VSOCKETS || missing="$missing CONFIG_VSOCKETS"
# 7.x builds vmbus in (CONFIG_HYPERV=y) and adds CONFIG_HYPERV_VMBUS.
on CONFIG_HYPERV_VMBUS || on CONFIG_HYPERV || missing="$missing CONFIG_HYPERV(_VMBUS)"
if [ -z "$missing" ]; then
	echo "build hv_sock"
else
	echo "skip hv_sock: not set in this kernel's config:$missing"
fi
