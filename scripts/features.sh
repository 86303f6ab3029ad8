#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# features.sh HEADER...: the per-kernel feature table (Markdown) from the
# probe results (vt_probed.h) of each kernel, as README.md shows it.
set -euo pipefail

has() { grep -q "^#define VT_$2 1\$" "$1"; }
yn() { if has "$1" "$2"; then echo yes; else echo no; fi; }

echo "| kernel | packets | SOCK_SEQPACKET | vhost worker | netns modes (7.x) | accept accounting | hv_sock vmbus |"
echo "|---|---|---|---|---|---|---|"
for h in "$@"; do
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
	fi
	if has "$h" HAVE_VSOCK_PENDING_TO_ACCEPT; then acc="core"; else acc="transport"; fi
	if has "$h" HAVE_HV_REMOVE_VOID; then hv="remove() void"; else hv="remove() int"; fi
	echo "| $krel | $pk | $(yn "$h" HAVE_SEQPACKET) | $wk | $(yn "$h" HAVE_VSOCK_NET_MODE) | $acc | $hv |"
done
