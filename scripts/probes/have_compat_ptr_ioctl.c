// SPDX-License-Identifier: GPL-2.0
/*
 * compat_ptr_ioctl(): the generic .compat_ioctl for ioctls whose argument
 * is a pointer.  Upstream "compat_ioctl: add compat_ptr_ioctl()", v5.5.
 */
#include <linux/fs.h>
static const struct file_operations vt_probe_f = { .compat_ioctl = compat_ptr_ioctl };
const void *vt_probe(void);
const void *vt_probe(void) { return &vt_probe_f; }
