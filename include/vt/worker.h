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

#if defined(VT_HAVE_VHOST_TASK_KILL) && defined(VT_EXPORTS_VHOST_TASK_CREATE) && \
	defined(VT_EXPORTS_VHOST_TASK_START) && defined(VT_EXPORTS_VHOST_TASK_STOP) && \
	defined(VT_EXPORTS_VHOST_TASK_WAKE)
#define VT_USE_VHOST_TASK 1
#include <linux/sched/vhost_task.h>
#endif

#ifdef VT_HAVE_KTHREAD_USE_MM
static inline void vt_use_mm(struct mm_struct *mm)
{
	kthread_use_mm(mm);
}

static inline void vt_unuse_mm(struct mm_struct *mm)
{
	kthread_unuse_mm(mm);
}
#else
#include <linux/mmu_context.h>
static inline void vt_use_mm(struct mm_struct *mm)
{
	use_mm(mm);
}

static inline void vt_unuse_mm(struct mm_struct *mm)
{
	unuse_mm(mm);
}
#endif

#endif /* VT_WORKER_H */
