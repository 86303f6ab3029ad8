#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkchroot.sh LINE: make (or reuse) the cached build chroot of one kernel
# line of the matrix: the line's own Debian suite, its compiler, its
# linux-headers and kmod. Prints the chroot's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

line=${1:?usage: mkchroot.sh KERNEL-LINE (5.10, 6.1, 6.12, 7.2, 7.3)}
read -r _ suite extra hdr < <(vt_kernel_lines | awk -v l="$line" '$1 == l') ||
	vt_die "unknown kernel line '$line'"
[ -n "$suite" ] || vt_die "unknown kernel line '$line'"

# perl: kernel-doc runs with W=1 on 6.x
vt_mkroot "$line" "$suite" "$extra" \
	"make,gcc,libc6-dev,kmod,perl,$hdr${VT_CHROOT_EXTRA:+,$VT_CHROOT_EXTRA}"
