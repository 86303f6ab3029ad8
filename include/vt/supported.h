/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The supported kernel range, declared once.  This is the only place where
 * a kernel version number may decide anything: every API difference inside
 * the range is detected by the probes in scripts/probes/.  The numbers here
 * are also read by scripts/kconfig.sh, so a build outside the range is
 * skipped with a clear message before any compile.
 */
#ifndef VT_SUPPORTED_H
#define VT_SUPPORTED_H

#include <linux/version.h>

#define VT_KERNEL_MIN KERNEL_VERSION(4, 19, 0)
#define VT_KERNEL_MAX KERNEL_VERSION(7, 3, 255)

#if LINUX_VERSION_CODE < VT_KERNEL_MIN || LINUX_VERSION_CODE > VT_KERNEL_MAX
#error "vsock-transports supports Linux 4.19 to 7.3 (see README.md)"
#endif

#endif /* VT_SUPPORTED_H */
