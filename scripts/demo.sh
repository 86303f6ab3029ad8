#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [LINE]: the newcomer's demo.  Builds the modules for a Debian
# kernel line (default 6.1, bookworm) in a chroot of its suite, boots that
# Debian kernel in QEMU with our vhost_vsock, starts a nested guest on it
# and shows host<->guest vsock traffic.  Installs what it needs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
line=${1:-6.1}

vt_need_pkgs make $VT_VM_PKGS || vt_die "cannot install the packages the demo needs"
vt_log "building vhost_vsock for the Debian $line kernel (in a chroot of its suite)"
"$top/scripts/matrix.sh" "$line" | sed -n '1p;/vhost_vsock/p'
vt_log "booting it in QEMU (TCG); the nested guest takes one to four minutes to boot (TCG inside TCG)"
exec "$top/tests/vm/run.sh" --demo "$line"
