// SPDX-License-Identifier: GPL-2.0
/*
 * The vhost device: ownership, the memory table, dirty log setup, vring
 * configuration, kick/call/error eventfds and device IOTLB messages, as the
 * public vhost ABI (<uapi/linux/vhost.h>) defines them.
 */
#include <linux/file.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "vtv.h"

static unsigned int max_mem_regions = 64;
module_param(max_mem_regions, uint, 0444);
MODULE_PARM_DESC(max_mem_regions, "Maximum number of memory regions in the memory table (default 64)");

/*
 * The device IOTLB is a cache: when full, its oldest entry is retired.  A
 * queue at work needs its three rings and a chain's buffers mapped at once,
 * so fewer than VTV_MIN_IOTLB_ENTRIES could make it evict what it needs
 * next, for ever; 0 (which would read as "no limit") is refused too.
 */
#define VTV_MIN_IOTLB_ENTRIES 64
static unsigned int max_iotlb_entries = 2048;

static int vtv_set_max_iotlb_entries(const char *val,
				     const struct kernel_param *kp)
{
	unsigned int n;
	int r = kstrtouint(val, 0, &n);

	if (r)
		return r;
	if (n < VTV_MIN_IOTLB_ENTRIES) {
		pr_warn("max_iotlb_entries: %u is below the minimum of %u\n",
			n, VTV_MIN_IOTLB_ENTRIES);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops vtv_max_iotlb_entries_ops = {
	.set = vtv_set_max_iotlb_entries,
	.get = param_get_uint,
};

module_param_cb(max_iotlb_entries, &vtv_max_iotlb_entries_ops,
		&max_iotlb_entries, 0644);
MODULE_PARM_DESC(max_iotlb_entries, "Maximum number of IOTLB entries, at least 64; the oldest is retired when full (default 2048; a change applies to IOTLBs set up afterwards)");

/* Unread IOTLB miss messages kept at most; more would only cost memory. */
#define VTV_MAX_PENDING_MSGS 256

/* --- kick eventfds --- */

static int vtv_poll_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			   int sync, void *key)
{
	struct vtv_poll *poll = container_of(wait, struct vtv_poll, wait);

	if (!(vt_key_to_poll(key) & EPOLLIN))
		return 0;
	vtv_work_queue(poll->dev, &poll->work);
	return 0;
}

static void vtv_poll_func(struct file *file, wait_queue_head_t *wqh,
			  poll_table *pt)
{
	struct vtv_poll *poll = container_of(pt, struct vtv_poll, table);

	poll->wqh = wqh;
	add_wait_queue(wqh, &poll->wait);
}

static void vtv_poll_init(struct vtv_poll *poll, vtv_work_fn_t fn,
			  struct vtv_dev *dev)
{
	init_waitqueue_func_entry(&poll->wait, vtv_poll_wakeup);
	init_poll_funcptr(&poll->table, vtv_poll_func);
	vtv_work_init(&poll->work, fn);
	poll->dev = dev;
	poll->wqh = NULL;
}

static void vtv_poll_stop(struct vtv_poll *poll)
{
	if (poll->wqh) {
		remove_wait_queue(poll->wqh, &poll->wait);
		poll->wqh = NULL;
	}
}

static int vtv_poll_start(struct vtv_poll *poll, struct file *file)
{
	vt_poll_t mask;

	if (poll->wqh)
		return 0;
	mask = vt_vfs_poll(file, &poll->table);
	if (mask)
		vtv_poll_wakeup(&poll->wait, 0, 0, vt_poll_to_key(mask));
	if (mask & EPOLLERR) {
		vtv_poll_stop(poll);
		return -EINVAL;
	}
	return 0;
}

void vtv_poll_queue(struct vtv_poll *poll)
{
	vtv_work_queue(poll->dev, &poll->work);
}

/* --- device life --- */

static void vtv_vq_reset(struct vtv_vq *vq)
{
	vq->num = 1;
	vq->ring_set = false;
	vq->desc_addr = 0;
	vq->avail_addr = 0;
	vq->used_addr = 0;
	vq->log_guest_addr = 0;
	vq->log_used = false;
	vq->last_avail_idx = 0;
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->signalled_used = 0;
	vq->signalled_used_valid = false;
	vq->used_flags = 0;
	vq->private_data = NULL;
	vq->acked_features = 0;
	vq->acked_backend_features = 0;
	vq->is_le = virtio_legacy_is_little_endian();
	vq->busyloop_timeout = 0;
	if (vq->kick)
		fput(vq->kick);
	vq->kick = NULL;
	if (vq->call_ctx)
		eventfd_ctx_put(vq->call_ctx);
	vq->call_ctx = NULL;
	if (vq->error_ctx)
		eventfd_ctx_put(vq->error_ctx);
	vq->error_ctx = NULL;
}

void vtv_dev_init(struct vtv_dev *dev, struct vtv_vq **vqs, int nvqs,
		  int weight, int byte_weight)
{
	int i;

	mutex_init(&dev->mutex);
	dev->mm = NULL;
	dev->vqs = vqs;
	dev->nvqs = nvqs;
	dev->umem = NULL;
	dev->iotlb = NULL;
	dev->log_ctx = NULL;
	dev->log_base = 0;
	RCU_INIT_POINTER(dev->worker, NULL);
	spin_lock_init(&dev->iotlb_lock);
	INIT_LIST_HEAD(&dev->read_list);
	init_waitqueue_head(&dev->wait);

	for (i = 0; i < nvqs; i++) {
		struct vtv_vq *vq = vqs[i];

		vq->dev = dev;
		mutex_init(&vq->mutex);
		vq->kick = NULL;
		vq->call_ctx = NULL;
		vq->error_ctx = NULL;
		vtv_vq_reset(vq);
		vq->weight = weight;
		vq->byte_weight = byte_weight;
		vtv_poll_init(&vq->poll, vq->handle_kick, dev);
	}
}

long vtv_dev_check_owner(struct vtv_dev *dev)
{
	/* Only the owner's threads may change the device. */
	return dev->mm == current->mm ? 0 : -EPERM;
}

static long vtv_dev_set_owner(struct vtv_dev *dev)
{
	int r;

	if (dev->mm)
		return -EBUSY;
	dev->mm = get_task_mm(current);
	if (!dev->mm)
		return -EFAULT;
	r = vtv_worker_create(dev);
	if (r) {
		mmput(dev->mm);
		dev->mm = NULL;
	}
	return r;
}

static void vtv_lock_vqs(struct vtv_dev *dev)
{
	int i;

	for (i = 0; i < dev->nvqs; i++)
		mutex_lock_nested(&dev->vqs[i]->mutex, i);
}

static void vtv_unlock_vqs(struct vtv_dev *dev)
{
	int i;

	for (i = 0; i < dev->nvqs; i++)
		mutex_unlock(&dev->vqs[i]->mutex);
}

static void vtv_clear_msgs(struct vtv_dev *dev)
{
	struct vtv_msg_node *node, *n;

	spin_lock(&dev->iotlb_lock);
	list_for_each_entry_safe(node, n, &dev->read_list, node) {
		list_del(&node->node);
		kfree(node);
	}
	spin_unlock(&dev->iotlb_lock);
}

/* Stop receiving kicks and let queued work finish. */
void vtv_dev_stop(struct vtv_dev *dev)
{
	int i;

	for (i = 0; i < dev->nvqs; i++)
		vtv_poll_stop(&dev->vqs[i]->poll);
	vtv_dev_flush(dev);
}

/* Back to the state of a freshly opened device. */
void vtv_dev_cleanup(struct vtv_dev *dev)
{
	int i;

	for (i = 0; i < dev->nvqs; i++) {
		vtv_poll_stop(&dev->vqs[i]->poll);
		vtv_vq_reset(dev->vqs[i]);
	}
	if (dev->log_ctx)
		eventfd_ctx_put(dev->log_ctx);
	dev->log_ctx = NULL;
	dev->log_base = 0;
	vtv_maps_free(dev->umem);
	dev->umem = NULL;
	vtv_maps_free(dev->iotlb);
	dev->iotlb = NULL;
	vtv_clear_msgs(dev);
	wake_up_interruptible_poll(&dev->wait, EPOLLIN | EPOLLRDNORM);
	vtv_worker_destroy(dev);
	if (dev->mm)
		mmput(dev->mm);
	dev->mm = NULL;
}

/* --- memory table and dirty log --- */

/* Is the log bitmap for guest range [addr, addr + size) user memory? */
static bool vtv_log_range_ok(u64 log_base, u64 addr, u64 size)
{
	u64 a = addr / VTV_PAGE_SIZE / 8, b;

	if (!size)
		return true;
	if (addr + size - 1 < addr)
		return false;
	/* Its bytes a..b of the bitmap, which must be addresses here. */
	b = (addr + size - 1) / VTV_PAGE_SIZE / 8;
	if (log_base + b < log_base || log_base + b > ULONG_MAX)
		return false;
	return vt_access_ok((void __user *)(uintptr_t)(log_base + a),
			    b - a + 1);
}

static bool vtv_memory_access_ok(struct vtv_maps *umem, u64 log_base,
				 bool log_all)
{
	struct vtv_map *map;

	if (!umem)
		return false;
	list_for_each_entry(map, &umem->list, link) {
		u64 size = map->last - map->start + 1;

		if (!vt_access_ok((void __user *)(uintptr_t)map->addr, size))
			return false;
		if (log_all && !vtv_log_range_ok(log_base, map->start, size))
			return false;
	}
	return true;
}

/*
 * Can the used ring of a queue with @num entries be logged at
 * @log_guest_addr?  With the device IOTLB the used ring is logged by its
 * translation instead (log_guest_addr may be an IOVA there), and the
 * memory table's check covers it.
 */
static bool vtv_used_log_ok(u64 log_base, bool iotlb, bool log_used,
			    u64 log_guest_addr, unsigned int num)
{
	u64 size = sizeof(struct vring_used) +
		   sizeof(struct vring_used_elem) * num + sizeof(__virtio16);

	return !log_used || iotlb ||
	       vtv_log_range_ok(log_base, log_guest_addr, size);
}

/*
 * Can the queue run?  Not without a memory table (as upstream), nor with a
 * ring never configured; rings and the used ring's log are checked for the
 * ring size as it is now.
 */
bool vtv_vq_access_ok(struct vtv_vq *vq)
{
	struct vtv_dev *dev = vq->dev;

	if (!dev->umem || !vq->ring_set ||
	    !vtv_rings_ok(dev, vq->num, vq->desc_addr, vq->avail_addr,
			  vq->used_addr))
		return false;
	return !vtv_has_feature(vq, VHOST_F_LOG_ALL) ||
	       vtv_used_log_ok(dev->log_base, !!dev->iotlb, vq->log_used,
			       vq->log_guest_addr, vq->num);
}

/*
 * Called with dev->mutex held: can logging run with @log_base, the IOTLB
 * on or off as given?  Nothing is changed.
 */
static bool vtv_log_ok(struct vtv_dev *dev, u64 log_base, bool iotlb)
{
	int i;

	/*
	 * No memory table yet: nothing to check now (QEMU asks for the log
	 * before it sets the table when a device starts during migration);
	 * SET_MEM_TABLE checks the table against the log when it comes, and
	 * no queue starts without one.
	 */
	if (dev->umem && !vtv_memory_access_ok(dev->umem, log_base, true))
		return false;
	for (i = 0; i < dev->nvqs; i++) {
		struct vtv_vq *vq = dev->vqs[i];

		if (!vtv_used_log_ok(log_base, iotlb, vq->log_used,
				     vq->log_guest_addr, vq->num))
			return false;
	}
	return true;
}

static long vtv_set_memory(struct vtv_dev *dev, struct vhost_memory __user *m)
{
	struct vhost_memory_region *regions;
	struct vtv_maps *umem, *old;
	struct vhost_memory mem;
	bool log_all = false;
	u32 i;
	int r;

	if (copy_from_user(&mem, m, sizeof(mem)))
		return -EFAULT;
	if (mem.padding)
		return -EOPNOTSUPP;
	if (mem.nregions > max_mem_regions)
		return -E2BIG;

	regions = vt_kvcalloc(mem.nregions, sizeof(*regions), GFP_KERNEL);
	if (!regions)
		return -ENOMEM;
	if (copy_from_user(regions, m->regions,
			   mem.nregions * sizeof(*regions))) {
		kvfree(regions);
		return -EFAULT;
	}

	umem = vtv_maps_alloc(0);
	if (!umem) {
		kvfree(regions);
		return -ENOMEM;
	}
	for (i = 0; i < mem.nregions; i++) {
		struct vhost_memory_region *reg = &regions[i];

		if (!reg->memory_size ||
		    reg->userspace_addr != (uintptr_t)reg->userspace_addr) {
			r = -EFAULT;
			goto err;
		}
		r = vtv_maps_add(umem, reg->guest_phys_addr,
				 reg->guest_phys_addr + reg->memory_size - 1,
				 reg->userspace_addr, VHOST_ACCESS_RW);
		if (r) {
			r = -EFAULT;
			goto err;
		}
	}
	for (i = 0; i < dev->nvqs; i++)
		if (vtv_has_feature(dev->vqs[i], VHOST_F_LOG_ALL))
			log_all = true;
	if (!vtv_memory_access_ok(umem, dev->log_base, log_all)) {
		r = -EFAULT;
		goto err;
	}
	kvfree(regions);

	vtv_lock_vqs(dev);
	old = dev->umem;
	dev->umem = umem;
	vtv_unlock_vqs(dev);
	vtv_maps_free(old);
	return 0;

err:
	vtv_maps_free(umem);
	kvfree(regions);
	return r;
}

/* The new log base is checked against everything that logs, then set. */
static long vtv_set_log_base(struct vtv_dev *dev, u64 __user *argp)
{
	bool log_all = false;
	u64 p;
	int i;

	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	if (p != (uintptr_t)p)
		return -EFAULT;
	vtv_lock_vqs(dev);
	for (i = 0; i < dev->nvqs; i++)
		if (vtv_has_feature(dev->vqs[i], VHOST_F_LOG_ALL))
			log_all = true;
	if (log_all && !vtv_log_ok(dev, p, !!dev->iotlb)) {
		vtv_unlock_vqs(dev);
		return -EFAULT;
	}
	dev->log_base = p;
	vtv_unlock_vqs(dev);
	return 0;
}

static long vtv_set_log_fd(struct vtv_dev *dev, int __user *argp)
{
	struct eventfd_ctx *ctx = NULL, *old;
	int fd;

	if (copy_from_user(&fd, argp, sizeof(fd)))
		return -EFAULT;
	if (fd != -1) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	vtv_lock_vqs(dev);
	old = dev->log_ctx;
	dev->log_ctx = ctx;
	vtv_unlock_vqs(dev);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/* Device ioctls; dev->mutex is held. */
long vtv_dev_ioctl(struct vtv_dev *dev, unsigned int ioctl, void __user *argp)
{
	long r;

	if (ioctl == VHOST_SET_OWNER)
		return vtv_dev_set_owner(dev);

	r = vtv_dev_check_owner(dev);
	if (r)
		return r;

	switch (ioctl) {
	case VHOST_SET_MEM_TABLE:
		return vtv_set_memory(dev, argp);
	case VHOST_SET_LOG_BASE:
		return vtv_set_log_base(dev, argp);
	case VHOST_SET_LOG_FD:
		return vtv_set_log_fd(dev, argp);
	default:
		return -ENOIOCTLCMD;
	}
}

/* --- vrings --- */

/*
 * Everything is checked before anything is set: a refused call leaves the
 * ring as it was.  Whether the addresses were ever set is its own flag, as
 * 0 is a valid IOVA.
 */
static long vtv_set_vring_addr(struct vtv_vq *vq, void __user *argp)
{
	struct vtv_dev *dev = vq->dev;
	struct vhost_vring_addr a;
	bool log_used;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~(1 << VHOST_VRING_F_LOG))
		return -EOPNOTSUPP;
	if (a.desc_user_addr != (uintptr_t)a.desc_user_addr ||
	    a.used_user_addr != (uintptr_t)a.used_user_addr ||
	    a.avail_user_addr != (uintptr_t)a.avail_user_addr)
		return -EFAULT;
	/* The alignment the virtio spec requires for split rings. */
	if ((a.desc_user_addr & 15) || (a.avail_user_addr & 1) ||
	    (a.used_user_addr & 3))
		return -EINVAL;

	/* While running only the log flag may change, consistently. */
	if (vq->private_data &&
	    (a.desc_user_addr != vq->desc_addr ||
	     a.avail_user_addr != vq->avail_addr ||
	     a.used_user_addr != vq->used_addr))
		return -EBUSY;

	log_used = a.flags & (1 << VHOST_VRING_F_LOG);
	if (!vtv_rings_ok(dev, vq->num, a.desc_user_addr, a.avail_user_addr,
			  a.used_user_addr) ||
	    (vtv_has_feature(vq, VHOST_F_LOG_ALL) &&
	     !vtv_used_log_ok(dev->log_base, !!dev->iotlb, log_used,
			      a.log_guest_addr, vq->num)))
		return -EINVAL;

	vq->log_used = log_used;
	vq->desc_addr = a.desc_user_addr;
	vq->avail_addr = a.avail_user_addr;
	vq->used_addr = a.used_user_addr;
	vq->log_guest_addr = a.log_guest_addr;
	vq->ring_set = true;
	vtv_vq_reset_cache(vq);
	return 0;
}

static long vtv_set_vring_file(struct vtv_vq *vq, unsigned int ioctl,
			       void __user *argp)
{
	struct vhost_vring_file f;
	struct eventfd_ctx *ctx = NULL, **slot;
	struct file *file = NULL;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;

	if (ioctl == VHOST_SET_VRING_KICK) {
		if (f.fd != -1) {
			file = eventfd_fget(f.fd);
			if (IS_ERR(file))
				return PTR_ERR(file);
		}
		if (file == vq->kick) {
			if (file)
				fput(file);
			return 0;
		}
		vtv_poll_stop(&vq->poll);
		if (vq->kick)
			fput(vq->kick);
		vq->kick = file;
		if (file && vq->handle_kick)
			return vtv_poll_start(&vq->poll, file);
		return 0;
	}

	if (f.fd != -1) {
		ctx = eventfd_ctx_fdget(f.fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	slot = ioctl == VHOST_SET_VRING_CALL ? &vq->call_ctx : &vq->error_ctx;
	swap(*slot, ctx);
	if (ctx)
		eventfd_ctx_put(ctx);
	return 0;
}

/* The argument of a ring ioctl that is only allowed while stopped. */
static long vtv_get_state_stopped(struct vtv_vq *vq, void __user *argp,
				  struct vhost_vring_state *s)
{
	if (vq->private_data)
		return -EBUSY;
	return copy_from_user(s, argp, sizeof(*s)) ? -EFAULT : 0;
}

/* Vring ioctls; dev->mutex is held. */
long vtv_vring_ioctl(struct vtv_dev *dev, unsigned int ioctl, void __user *argp)
{
	struct vhost_vring_state s;
	struct vtv_vq *vq;
	u32 idx;
	long r;

	switch (ioctl) {
	case VHOST_SET_VRING_NUM:
	case VHOST_SET_VRING_BASE:
	case VHOST_GET_VRING_BASE:
	case VHOST_SET_VRING_ADDR:
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
		break;
	default:
		return -ENOIOCTLCMD;
	}

	r = vtv_dev_check_owner(dev);
	if (r)
		return r;
	if (get_user(idx, (u32 __user *)argp))
		return -EFAULT;
	if (idx >= dev->nvqs)
		return -ENOBUFS;
	idx = array_index_nospec(idx, dev->nvqs);
	vq = dev->vqs[idx];

	mutex_lock(&vq->mutex);
	switch (ioctl) {
	case VHOST_SET_VRING_NUM:
		r = vtv_get_state_stopped(vq, argp, &s);
		if (r)
			break;
		if (!s.num || s.num > 32768 || (s.num & (s.num - 1))) {
			r = -EINVAL;
			break;
		}
		vq->num = s.num;
		vtv_vq_reset_cache(vq);
		break;
	case VHOST_SET_VRING_BASE:
		r = vtv_get_state_stopped(vq, argp, &s);
		if (r)
			break;
		if (s.num > 0xffff) {
			r = -EINVAL;
			break;
		}
		vq->last_avail_idx = s.num;
		vtv_vq_reset_cache(vq);
		break;
	case VHOST_GET_VRING_BASE:
		s.index = idx;
		s.num = vq->last_avail_idx;
		if (copy_to_user(argp, &s, sizeof(s)))
			r = -EFAULT;
		break;
	case VHOST_SET_VRING_ADDR:
		r = vtv_set_vring_addr(vq, argp);
		break;
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
		r = vtv_set_vring_file(vq, ioctl, argp);
		break;
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
		if (copy_from_user(&s, argp, sizeof(s)))
			r = -EFAULT;
		else
			vq->busyloop_timeout = s.num;
		break;
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
		s.index = idx;
		s.num = vq->busyloop_timeout;
		if (copy_to_user(argp, &s, sizeof(s)))
			r = -EFAULT;
		break;
	}
	mutex_unlock(&vq->mutex);

	/* A replaced kick must not have work in flight on the old file. */
	if (ioctl == VHOST_SET_VRING_KICK)
		vtv_dev_flush(dev);
	return r;
}

/* --- device IOTLB --- */

/*
 * VHOST_SET_FEATURES, with dev->mutex held.  Everything that can fail is
 * done first: a refused call changes nothing.  Then, in one section under
 * every queue mutex, the device IOTLB is set up or dropped and the queues
 * get their features: the worker never sees one without the other.
 *
 * An IOTLB already in use is kept, entries and all (upstream starts an
 * empty one): QEMU sets the features again at each migration start and
 * end, and an emptied IOTLB would only cost misses.  When
 * VIRTIO_F_ACCESS_PLATFORM is cleared, ring addresses set under the IOTLB
 * (IOVAs, checked only by their translation) become addresses of the
 * owner: a running queue whose rings are no valid user range stops here
 * (starting it again checks them as usual), and readers waiting for IOTLB
 * messages are woken: there will be none.
 */
int vtv_dev_set_features(struct vtv_dev *dev, u64 features)
{
	bool iotlb = features & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM);
	struct vtv_maps *new = NULL, *old = NULL;
	int i;

	if ((features & BIT_ULL(VHOST_F_LOG_ALL)) &&
	    !vtv_log_ok(dev, dev->log_base, iotlb))
		return -EFAULT;
	if (iotlb && !dev->iotlb) {
		new = vtv_maps_alloc(READ_ONCE(max_iotlb_entries));
		if (!new)
			return -ENOMEM;
	}

	vtv_lock_vqs(dev);
	if (new) {
		dev->iotlb = new;
	} else if (!iotlb) {
		old = dev->iotlb;
		dev->iotlb = NULL;
	}
	for (i = 0; i < dev->nvqs; i++) {
		struct vtv_vq *vq = dev->vqs[i];

		vq->acked_features = features;
		if (old && vq->private_data && !vtv_vq_access_ok(vq)) {
			WRITE_ONCE(vq->private_data, NULL);
			vtv_vq_err(vq, "rings are no user range without the IOTLB: stopped\n");
		}
	}
	vtv_unlock_vqs(dev);

	if (old) {
		vtv_maps_free(old);
		vtv_clear_msgs(dev);
		wake_up_interruptible_poll(&dev->wait, EPOLLIN | EPOLLRDNORM);
	}
	return 0;
}

void vtv_set_backend_features(struct vtv_dev *dev, u64 features)
{
	int i;

	mutex_lock(&dev->mutex);
	for (i = 0; i < dev->nvqs; i++) {
		mutex_lock(&dev->vqs[i]->mutex);
		dev->vqs[i]->acked_backend_features = features;
		mutex_unlock(&dev->vqs[i]->mutex);
	}
	mutex_unlock(&dev->mutex);
}

/* Called by a worker with vq->mutex held: ask userspace for a mapping. */
void vtv_iotlb_miss(struct vtv_vq *vq, u64 iova, int access)
{
	struct vtv_dev *dev = vq->dev;
	struct vhost_iotlb_msg *msg;
	struct vtv_msg_node *node, *n;
	unsigned int queued = 0;

	WRITE_ONCE(vq->iotlb_misses, vq->iotlb_misses + 1);
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return;
	if (vtv_backend_has_feature(vq, VHOST_BACKEND_F_IOTLB_MSG_V2)) {
		node->msg_v2.type = VHOST_IOTLB_MSG_V2;
		msg = &node->msg_v2.iotlb;
	} else {
		node->msg.type = VHOST_IOTLB_MSG;
		msg = &node->msg.iotlb;
	}
	msg->type = VHOST_IOTLB_MISS;
	msg->iova = iova;
	msg->perm = access;

	spin_lock(&dev->iotlb_lock);
	list_for_each_entry(n, &dev->read_list, node)
		queued++;
	if (queued < VTV_MAX_PENDING_MSGS) {
		list_add_tail(&node->node, &dev->read_list);
		node = NULL;
	}
	spin_unlock(&dev->iotlb_lock);
	kfree(node);
	wake_up_interruptible_poll(&dev->wait, EPOLLIN | EPOLLRDNORM);
}

/* IOTLB misses of all queues, for the counters; lockless. */
u64 vtv_dev_iotlb_misses(struct vtv_dev *dev)
{
	u64 n = 0;
	int i;

	for (i = 0; i < dev->nvqs; i++)
		n += READ_ONCE(dev->vqs[i]->iotlb_misses);
	return n;
}

static int vtv_process_iotlb_msg(struct vtv_dev *dev, u32 asid,
				 struct vhost_iotlb_msg *msg)
{
	int r = 0, i;

	if (asid)
		return -EINVAL;

	mutex_lock(&dev->mutex);
	vtv_lock_vqs(dev);
	switch (msg->type) {
	case VHOST_IOTLB_UPDATE:
		if (!dev->iotlb) {
			r = -EFAULT;
			break;
		}
		if (!msg->size || msg->iova + msg->size - 1 < msg->iova ||
		    msg->uaddr + msg->size - 1 < msg->uaddr ||
		    msg->uaddr != (uintptr_t)msg->uaddr ||
		    !msg->perm || msg->perm > VHOST_ACCESS_RW ||
		    !vt_access_ok((void __user *)(uintptr_t)msg->uaddr,
				  msg->size)) {
			r = -EINVAL;
			break;
		}
		r = vtv_maps_add(dev->iotlb, msg->iova,
				 msg->iova + msg->size - 1, msg->uaddr,
				 msg->perm);
		if (r)
			break;
		/* Queues waiting for a translation may go on. */
		for (i = 0; i < dev->nvqs; i++)
			if (dev->vqs[i]->private_data)
				vtv_poll_queue(&dev->vqs[i]->poll);
		break;
	case VHOST_IOTLB_INVALIDATE:
		if (!dev->iotlb) {
			r = -EFAULT;
			break;
		}
		if (!msg->size || msg->iova + msg->size - 1 < msg->iova) {
			r = -EINVAL;
			break;
		}
		vtv_maps_del_range(dev->iotlb, msg->iova,
				   msg->iova + msg->size - 1);
		break;
	default:
		r = -EINVAL;
		break;
	}
	vtv_unlock_vqs(dev);
	mutex_unlock(&dev->mutex);
	return r;
}

ssize_t vtv_chr_write_iter(struct vtv_dev *dev, struct iov_iter *from)
{
	size_t count = iov_iter_count(from);
	struct vhost_iotlb_msg msg;
	u32 type, asid = 0;
	int r;

	if (iov_iter_count(from) < sizeof(type))
		return -EINVAL;
	if (copy_from_iter(&type, sizeof(type), from) != sizeof(type))
		return -EINVAL;

	switch (type) {
	case VHOST_IOTLB_MSG:
		/* struct vhost_msg: the iotlb message is 64-bit aligned. */
		iov_iter_advance(from, offsetof(struct vhost_msg, iotlb) -
				 sizeof(type));
		break;
	case VHOST_IOTLB_MSG_V2:
		if (copy_from_iter(&asid, sizeof(asid), from) != sizeof(asid))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (copy_from_iter(&msg, sizeof(msg), from) != sizeof(msg))
		return -EINVAL;

	r = vtv_process_iotlb_msg(dev, asid, &msg);
	if (r)
		return r;
	/* One message was consumed: a longer write is not taken as a whole. */
	return min_t(size_t, count, type == VHOST_IOTLB_MSG ?
		     sizeof(struct vhost_msg) : sizeof(struct vhost_msg_v2));
}

ssize_t vtv_chr_read_iter(struct vtv_dev *dev, struct iov_iter *to, int noblock)
{
	struct vtv_msg_node *node = NULL;
	ssize_t ret = 0;
	size_t size;
	void *start;
	DEFINE_WAIT(wait);

	/* A buffer too short for a message is refused, the message kept. */
	if (iov_iter_count(to) < sizeof(struct vhost_msg_v2))
		return -EINVAL;

	for (;;) {
		if (!noblock)
			prepare_to_wait(&dev->wait, &wait, TASK_INTERRUPTIBLE);
		spin_lock(&dev->iotlb_lock);
		node = list_first_entry_or_null(&dev->read_list,
						struct vtv_msg_node, node);
		if (node)
			list_del(&node->node);
		spin_unlock(&dev->iotlb_lock);
		if (node)
			break;
		if (noblock) {
			ret = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!dev->iotlb) {
			ret = -EBADFD;
			break;
		}
		schedule();
	}
	/* Running again before the copy: it may fault and sleep. */
	if (!noblock)
		finish_wait(&dev->wait, &wait);
	if (!node)
		return ret;

	if (node->msg.type == VHOST_IOTLB_MSG) {
		start = &node->msg;
		size = sizeof(node->msg);
	} else {
		start = &node->msg_v2;
		size = sizeof(node->msg_v2);
	}
	/*
	 * The uapi sizes, whatever header declared them: 72 bytes for v2
	 * everywhere; v1 is 72 on 64-bit and 68 on i386 (a u64 aligns to 4
	 * there), never more than v2.
	 */
	BUILD_BUG_ON(sizeof(struct vhost_msg_v2) != 72);
	BUILD_BUG_ON(sizeof(struct vhost_msg) > sizeof(struct vhost_msg_v2));
	ret = copy_to_iter(start, size, to);
	if (ret != size) {
		/* Not delivered: it stays first in line. */
		spin_lock(&dev->iotlb_lock);
		list_add(&node->node, &dev->read_list);
		spin_unlock(&dev->iotlb_lock);
		return -EFAULT;
	}
	kfree(node);
	return ret;
}

vt_poll_t vtv_chr_poll(struct file *file, struct vtv_dev *dev, poll_table *wait)
{
	vt_poll_t mask = 0;

	poll_wait(file, &dev->wait, wait);
	if (dev->iotlb)
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_lock(&dev->iotlb_lock);
	if (!list_empty(&dev->read_list))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock(&dev->iotlb_lock);
	return mask;
}
