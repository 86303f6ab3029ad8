#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# features.sh MATRIXDIR...: the per-kernel feature table (Markdown) from the
# probe results (MATRIXDIR/vt_probed.h, as scripts/matrix.sh leaves them) of
# each kernel line, as README.md shows it.
set -euo pipefail

has() { grep -q "^#define VT_$2 1\$" "$1"; }
yn() { if has "$1" "$2"; then echo yes; else echo no; fi; }

echo "| line | kernel.release | vsock core | packets | SOCK_SEQPACKET | vhost worker | netns modes | accept accounting | hv_driver.remove |"
echo "|---|---|---|---|---|---|---|---|---|"
for d in "$@"; do
	h=$d/vt_probed.h
	krel=$(sed -n 's/.*scripts\/probe.sh for \(.*\): do not edit.*/\1/p' "$h")
	if has "$h" HAVE_VSOCK_SKB; then
		if has "$h" HAVE_SKB_PUT_LEN; then pk="sk_buff, nonlinear rx"; else pk="sk_buff"; fi
	else
		pk="legacy virtio_vsock_pkt"
	fi
	if has "$h" HAVE_VHOST_TASK_KILL && has "$h" EXPORTS_VHOST_TASK_CREATE; then
		wk="vhost_task (SIGKILL-safe)"
	else
		wk="kthread + owner mm/cgroups"
		if has "$h" HAVE_SET_FS; then wk="$wk, USER_DS"; fi
	fi
	if has "$h" HAVE_VSOCK_CORE_REGISTER; then core="multi-transport"; else core="single-transport"; fi
	if has "$h" HAVE_VSOCK_PENDING_TO_ACCEPT; then acc="core"; else acc="transport"; fi
	if has "$h" HAVE_HV_REMOVE_VOID; then hv="void"; else hv="int"; fi
	echo "| $(basename "$d") | $krel | $core | $pk | $(yn "$h" HAVE_SEQPACKET) | $wk | $(yn "$h" HAVE_VSOCK_NET_MODE) | $acc | $hv |"
done
