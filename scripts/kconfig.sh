#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kconfig.sh KDIR: which modules can be built for this kernel, and why not.
# Prints "build MODULE" or "skip MODULE: reason" lines, and one
# "skip all: reason" line when the kernel is outside the supported range
# declared in include/vt/supported.h.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:?usage: kconfig.sh KDIR}

conf=$kdir/include/config/auto.conf
[ -r "$conf" ] || { echo "skip all: $kdir has no include/config/auto.conf (not a configured kernel tree)"; exit 0; }

# The supported range, from the one place that declares it.
range() { sed -n "s/^#define VT_KERNEL_$1 KERNEL_VERSION(\([0-9]*\), \([0-9]*\), \([0-9]*\))/\1 \2 \3/p" \
	"$here/../include/vt/supported.h"; }
code() { echo $(( ($1 << 16) + ($2 << 8) + ($3 > 255 ? 255 : $3) )); }
krel=$(cat "$kdir/include/config/kernel.release")
read -r a b c < <(echo "$krel" | sed 's/^\([0-9]*\)\.\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2 \3/')
kv=$(code "$a" "$b" "${c:-0}")
read -r a b c < <(range MIN); min=$(code "$a" "$b" "$c")
read -r a b c < <(range MAX); max=$(code "$a" "$b" "$c")
if [ "$kv" -lt "$min" ] || [ "$kv" -gt "$max" ]; then
	echo "skip all: kernel $krel is outside the supported range $(range MIN | tr ' ' .) to $(range MAX | cut -d' ' -f1,2 | tr ' ' .)"
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
