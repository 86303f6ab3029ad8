/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzz shim: what scripts/probe.sh would find on a current kernel, for the
 * probes that include/vt/compat.h and src/vtv*.[ch] look at.  The shim
 * (vt_shim.h) provides the kernel API these select.
 */
#ifndef VT_PROBED_H
#define VT_PROBED_H

#include "vt_shim.h"

#define VT_HAVE_ACCESS_OK_2ARG 1
#define VT_HAVE_COMPAT_PTR_IOCTL 1
#define VT_HAVE_EVENTFD_SIGNAL_1ARG 1
#define VT_HAVE_GUP_FAST_FLAGS 1
#define VT_HAVE_ITER_DEST 1
#define VT_HAVE_KEY_TO_POLL 1
#define VT_HAVE_KMAP_LOCAL_PAGE 1
#define VT_HAVE_KVCALLOC 1
#define VT_HAVE_PIN_USER_PAGES_FAST 1
#define VT_HAVE_POLL_T 1
#define VT_HAVE_SK_ERROR_REPORT 1
#define VT_HAVE_VFS_POLL 1
#define VT_HAVE_VHOST_MSG_V2 1

#endif
