/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the vhost worker runs in its owner's context.
 *
 * Where the kernel exports vhost_task (6.4+, with CONFIG_VHOST_TASK) and
 * vhost_task_create() takes a SIGKILL handler (6.11, CVE-2024-42135), the
 * worker is a vhost_task: a thread of the owner process, in its mm, cgroups
 * and rlimits, that flushes and exits when the owner is killed.  Otherwise
 * it is a kthread that adopts the owner's mm (kthread_use_mm, 5.8; use_mm
 * before) and cgroups (cgroup_attach_task_all).
 */
#ifndef VT_WORKER_H
#define VT_WORKER_H

#include <vt/compat.h>
#include <linux/kthread.h>
#include <linux/cgroup.h>
#include <linux/uaccess.h>
#ifndef VT_HAVE_KTHREAD_USE_MM
#include <linux/mmu_context.h>
#endif

#if defined(VT_HAVE_VHOST_TASK_KILL) && defined(VT_EXPORTS_VHOST_TASK_CREATE) && \
	defined(VT_EXPORTS_VHOST_TASK_START) && defined(VT_EXPORTS_VHOST_TASK_STOP) && \
	defined(VT_EXPORTS_VHOST_TASK_WAKE)
#define VT_USE_VHOST_TASK 1
#include <linux/sched/vhost_task.h>
#endif

/*
 * The owner's mm, and its user address limit.  Where the kernel still has
 * set_fs() (before 5.10 on x86), a kthread runs with KERNEL_DS: access_ok()
 * would pass kernel addresses and iov_iter_init() would take the guest's
 * iovecs for kernel memory.  So the worker switches to USER_DS itself, as
 * the in-tree vhost_worker did before 5.8 (kthread_use_mm() does it from
 * 5.8; doing it again there is harmless).
 */
struct vt_mm_ctx {
	struct mm_struct *mm;
#ifdef VT_HAVE_SET_FS
	mm_segment_t old_fs;
#endif
};

static inline void vt_use_mm(struct vt_mm_ctx *ctx, struct mm_struct *mm)
{
	ctx->mm = mm;
#ifdef VT_HAVE_SET_FS
	ctx->old_fs = get_fs();
	set_fs(USER_DS);
#endif
#ifdef VT_HAVE_KTHREAD_USE_MM
	kthread_use_mm(mm);
#else
	use_mm(mm);
#endif
}

static inline void vt_unuse_mm(struct vt_mm_ctx *ctx)
{
#ifdef VT_HAVE_KTHREAD_USE_MM
	kthread_unuse_mm(ctx->mm);
#else
	unuse_mm(ctx->mm);
#endif
#ifdef VT_HAVE_SET_FS
	set_fs(ctx->old_fs);
#endif
}

#endif /* VT_WORKER_H */
