// SPDX-License-Identifier: GPL-2.0
/*
 * set_fs()/get_fs(): a task's user address limit.  Kernel threads start with
 * KERNEL_DS, under which access_ok() passes any address and iov_iter_init()
 * treats an iovec as kernel memory, so a kthread that copies to and from a
 * user mm must switch to USER_DS itself (as vhost_worker did before v5.8,
 * and kthread_use_mm() does from upstream "kernel: set USER_DS in
 * kthread_use_mm", v5.8).  x86 dropped set_fs in upstream "x86: remove
 * address space overrides using set_fs()", v5.10.
 */
#include <linux/uaccess.h>
void vt_probe(void);
void vt_probe(void)
{
	mm_segment_t old = get_fs();

	set_fs(USER_DS);
	set_fs(old);
}
