// SPDX-License-Identifier: GPL-2.0
/*
 * kthread_use_mm()/kthread_unuse_mm() replace use_mm()/unuse_mm().
 * Upstream "kernel: better document the use_mm/unuse_mm API contract" series, v5.8.
 */
#include <linux/kthread.h>
void vt_probe(struct mm_struct *mm);
void vt_probe(struct mm_struct *mm) { kthread_use_mm(mm); kthread_unuse_mm(mm); }
