// SPDX-License-Identifier: GPL-2.0
/*
 * The worker: one per device, running queued works in the owner's context.
 * See include/vt/worker.h for how that context is obtained on each kernel.
 */
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <vt/worker.h>
#include "vtv.h"

#define VTV_WORK_QUEUED 0

struct vtv_worker {
	struct llist_head work_list;
	struct vtv_dev *dev;
	struct mutex mutex;		/* killed, and running after a kill */
	bool killed;
#ifdef VT_USE_VHOST_TASK
	struct vhost_task *vtsk;
#else
	struct task_struct *task;
#endif
};

struct vtv_flush {
	struct vtv_work work;
	struct completion done;
};

void vtv_work_init(struct vtv_work *work, vtv_work_fn_t fn)
{
	clear_bit(VTV_WORK_QUEUED, &work->flags);
	work->fn = fn;
}

static void vtv_worker_wake(struct vtv_worker *w)
{
#ifdef VT_USE_VHOST_TASK
	vhost_task_wake(w->vtsk);
#else
	wake_up_process(w->task);
#endif
}

/* Returns false when there is no worker to run it (stopped or killed). */
bool vtv_work_queue(struct vtv_dev *dev, struct vtv_work *work)
{
	struct vtv_worker *w;
	bool queued = false;

	rcu_read_lock();
	w = rcu_dereference(dev->worker);
	if (w && !READ_ONCE(w->killed)) {
		queued = true;
		if (!test_and_set_bit(VTV_WORK_QUEUED, &work->flags)) {
			/* Pairs with the barrier in vtv_run_work_list(). */
			llist_add(&work->node, &w->work_list);
			vtv_worker_wake(w);
		}
	}
	rcu_read_unlock();
	return queued;
}

static bool vtv_run_work_list(struct vtv_worker *w)
{
	struct vtv_work *work, *tmp;
	struct llist_node *node;

	node = llist_del_all(&w->work_list);
	if (!node)
		return false;

	node = llist_reverse_order(node);
	/* Make sure the flag is seen after the deletion. */
	smp_wmb();
	llist_for_each_entry_safe(work, tmp, node, node) {
		clear_bit(VTV_WORK_QUEUED, &work->flags);
		__set_current_state(TASK_RUNNING);
		work->fn(work);
		cond_resched();
	}
	return true;
}

static void vtv_drop_work_list(struct vtv_worker *w)
{
	struct vtv_work *work, *tmp;
	struct llist_node *node = llist_del_all(&w->work_list);

	llist_for_each_entry_safe(work, tmp, node, node)
		clear_bit(VTV_WORK_QUEUED, &work->flags);
}

static void vtv_flush_fn(struct vtv_work *work)
{
	struct vtv_flush *f = container_of(work, struct vtv_flush, work);

	complete(&f->done);
}

/* Wait until every work queued before this call has run. */
void vtv_dev_flush(struct vtv_dev *dev)
{
	struct vtv_flush f;

	init_completion(&f.done);
	vtv_work_init(&f.work, vtv_flush_fn);
	if (vtv_work_queue(dev, &f.work))
		wait_for_completion(&f.done);
}

#ifdef VT_USE_VHOST_TASK
static bool vtv_task_fn(void *data)
{
	return vtv_run_work_list(data);
}

/*
 * The owner got SIGKILL: refuse new work, then run what is queued so that
 * flushes complete and nobody waits on a worker that is gone.
 */
static void vtv_task_killed(void *data)
{
	struct vtv_worker *w = data;

	mutex_lock(&w->mutex);
	WRITE_ONCE(w->killed, true);
	mutex_unlock(&w->mutex);
	synchronize_rcu();
	mutex_lock(&w->mutex);
	vtv_run_work_list(w);
	mutex_unlock(&w->mutex);
}

static int vtv_worker_start(struct vtv_worker *w)
{
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "vhost-%d", current->pid);
	w->vtsk = vhost_task_create(vtv_task_fn, vtv_task_killed, w, name);
	if (IS_ERR_OR_NULL(w->vtsk))
		return w->vtsk ? PTR_ERR(w->vtsk) : -ENOMEM;
	vhost_task_start(w->vtsk);
	return 0;
}

static void vtv_worker_stop(struct vtv_worker *w)
{
	vhost_task_stop(w->vtsk);
}
#else
static int vtv_kthread_fn(void *data)
{
	struct vtv_worker *w = data;
	struct vt_mm_ctx ctx;

	vt_use_mm(&ctx, w->dev->mm);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		if (!vtv_run_work_list(w))
			schedule();
	}
	/* Whatever was queued while stopping still runs, for flushes. */
	vtv_run_work_list(w);
	vt_unuse_mm(&ctx);
	return 0;
}

static int vtv_worker_start(struct vtv_worker *w)
{
	struct task_struct *task;
	int ret;

	task = kthread_create(vtv_kthread_fn, w, "vhost-%d", current->pid);
	if (IS_ERR(task))
		return PTR_ERR(task);
	ret = cgroup_attach_task_all(current, task);
	if (ret) {
		kthread_stop(task);
		return ret;
	}
	w->task = task;
	wake_up_process(task);
	return 0;
}

static void vtv_worker_stop(struct vtv_worker *w)
{
	kthread_stop(w->task);
}
#endif

int vtv_worker_create(struct vtv_dev *dev)
{
	struct vtv_worker *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	init_llist_head(&w->work_list);
	mutex_init(&w->mutex);
	w->dev = dev;
	ret = vtv_worker_start(w);
	if (ret) {
		kfree(w);
		return ret;
	}
	rcu_assign_pointer(dev->worker, w);
	return 0;
}

void vtv_worker_destroy(struct vtv_dev *dev)
{
	struct vtv_worker *w = rcu_dereference_protected(dev->worker, 1);
	struct vtv_flush f;
	bool queued;

	if (!w)
		return;
	RCU_INIT_POINTER(dev->worker, NULL);
	/* No queuer can see the worker after this. */
	synchronize_rcu();

	/* Let the worker finish what was queued before. */
	init_completion(&f.done);
	vtv_work_init(&f.work, vtv_flush_fn);
	mutex_lock(&w->mutex);
	queued = !w->killed;
	if (queued) {
		set_bit(VTV_WORK_QUEUED, &f.work.flags);
		llist_add(&f.work.node, &w->work_list);
		vtv_worker_wake(w);
	}
	mutex_unlock(&w->mutex);
	if (queued)
		wait_for_completion(&f.done);

	vtv_worker_stop(w);
	/*
	 * Work queued after the owner's last flush cannot run any more (no
	 * owner context); drop it, but clear its flag so it can be queued to
	 * the next owner's worker.
	 */
	vtv_drop_work_list(w);
	kfree(w);
}
