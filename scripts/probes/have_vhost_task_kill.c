// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_task_create(fn, handle_sigkill, arg, name): the worker is a
 * task of the owner that handles SIGKILL by flushing and exiting (CVE-2024-42135).
 * Upstream "vhost_task: Handle SIGKILL by flushing work and exiting", v6.11.
 */
#include <linux/sched/vhost_task.h>
static bool vt_probe_fn(void *a) { return false; }
static void vt_probe_kill(void *a) { }
struct vhost_task *vt_probe(void *a);
struct vhost_task *vt_probe(void *a) { return vhost_task_create(vt_probe_fn, vt_probe_kill, a, "x"); }
