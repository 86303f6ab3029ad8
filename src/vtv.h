/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtv: the private vhost engine of vsock-transports' vhost_vsock.
 *
 * The kernel's vhost header is private (drivers/vhost/, in no headers
 * package) and its structures change layout even inside stable series, so
 * vhost_vsock carries this engine instead of linking against vhost.ko:
 * virtqueues, the memory table, the device IOTLB, dirty logging and the
 * worker.  It speaks the public vhost
 * ABI (<uapi/linux/vhost.h>).  Nothing here is exported; every symbol is
 * prefixed vtv_ so backtraces are unambiguous next to the in-tree vhost.
 */
#ifndef VTV_H
#define VTV_H

#include <linux/eventfd.h>
#include <linux/interval_tree_generic.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/uio.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>
#include <linux/virtio_config.h>
#include <vt/compat.h>

/* ABI values, for kernels whose uapi headers predate them. */
#ifndef VHOST_BACKEND_F_IOTLB_MSG_V2
#define VHOST_BACKEND_F_IOTLB_MSG_V2 0x1
#endif
#ifndef VHOST_IOTLB_MSG_V2
#define VHOST_IOTLB_MSG_V2 0x2
#endif
#ifndef VHOST_GET_BACKEND_FEATURES
#define VHOST_SET_BACKEND_FEATURES _IOW(VHOST_VIRTIO, 0x25, __u64)
#define VHOST_GET_BACKEND_FEATURES _IOR(VHOST_VIRTIO, 0x26, __u64)
#endif
#ifndef VT_HAVE_VHOST_MSG_V2
/* The uapi layout (4.19+, 72 bytes), for older headers. */
struct vhost_msg_v2 {
	__u32 type;
	__u32 reserved;
	union {
		struct vhost_iotlb_msg iotlb;
		__u8 padding[64];
	};
};
#endif
#ifndef VIRTIO_F_ACCESS_PLATFORM
#define VIRTIO_F_ACCESS_PLATFORM 33
#endif

/* The virtio features every vhost device offers. */
#define VTV_FEATURES ((1ULL << VIRTIO_F_NOTIFY_ON_EMPTY) |		\
		      (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |		\
		      (1ULL << VIRTIO_RING_F_EVENT_IDX) |		\
		      (1ULL << VHOST_F_LOG_ALL) |			\
		      (1ULL << VIRTIO_F_ANY_LAYOUT) |			\
		      (1ULL << VIRTIO_F_VERSION_1))

#define VTV_PAGE_SIZE 0x1000
#define VTV_MAX_IOV 1024
/*
 * Descriptors one chain may make the device read, direct and indirect,
 * zero-length ones included: a chain that fills the iovec array needs no
 * more, and a hostile guest must not make one chain cost more.
 */
#define VTV_MAX_CHAIN VTV_MAX_IOV

struct vtv_dev;
struct vtv_vq;
struct vtv_work;

typedef void (*vtv_work_fn_t)(struct vtv_work *work);

struct vtv_work {
	struct llist_node node;
	vtv_work_fn_t fn;
	unsigned long flags;
};

/* A guest range: [start, last] maps to user address addr. */
struct vtv_map {
	struct rb_node rb;
	u64 start;
	u64 last;
	u64 subtree_last;
	u64 addr;
	u32 perm;
	struct list_head link;
};

struct vtv_maps {
	struct rb_root_cached root;
	struct list_head list;
	unsigned int count;
	unsigned int limit;
};

/* An eventfd the kick of a virtqueue is read from. */
struct vtv_poll {
	poll_table table;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	struct vtv_work work;
	struct vtv_dev *dev;
};

struct vtv_log {
	u64 addr;
	u64 len;
};

struct vtv_vq {
	struct vtv_dev *dev;
	struct mutex mutex;		/* serialises everything below */
	unsigned int num;
	bool ring_set;			/* addresses set (0 is a valid IOVA) */
	u64 desc_addr, avail_addr, used_addr;
	u64 log_guest_addr;
	bool log_used;
	struct file *kick;
	struct eventfd_ctx *call_ctx;
	struct eventfd_ctx *error_ctx;
	struct vtv_poll poll;
	void (*handle_kick)(struct vtv_work *work);

	/* Cached ring state, reset on every vring reconfiguration. */
	u16 last_avail_idx;
	u16 avail_idx;
	u16 last_used_idx;
	u16 used_flags;
	u16 signalled_used;
	bool signalled_used_valid;

	void *private_data;		/* the backend: NULL while stopped */
	u64 acked_features;
	u64 acked_backend_features;
	bool is_le;
	u32 busyloop_timeout;

	struct iovec iov[VTV_MAX_IOV];
	struct vtv_log log[VTV_MAX_IOV];

	u64 iotlb_misses;		/* written under the mutex */

	/* Weight limits: one busy queue cannot starve the others. */
	int weight;
	int byte_weight;
};

struct vtv_msg_node {
	struct list_head node;
	union {
		struct vhost_msg msg;
		struct vhost_msg_v2 msg_v2;
	};
};

struct vtv_worker;

struct vtv_dev {
	struct mutex mutex;		/* device ioctls */
	struct mm_struct *mm;
	struct vtv_vq **vqs;
	int nvqs;
	struct vtv_maps *umem;		/* the memory table */
	struct vtv_maps *iotlb;		/* the device IOTLB, when in use */
	struct eventfd_ctx *log_ctx;
	u64 log_base;
	struct vtv_worker __rcu *worker;
	spinlock_t iotlb_lock;		/* read_list */
	struct list_head read_list;
	wait_queue_head_t wait;
};

/* vtv_maps.c (interval maps for the memory table and the IOTLB) */
struct vtv_maps *vtv_maps_alloc(unsigned int limit);
void vtv_maps_free(struct vtv_maps *maps);
int vtv_maps_add(struct vtv_maps *maps, u64 start, u64 last, u64 addr,
		 u32 perm);
void vtv_maps_del_range(struct vtv_maps *maps, u64 start, u64 last);
struct vtv_map *vtv_maps_find(struct vtv_maps *maps, u64 start, u64 last);

/* vtv_worker.c */
void vtv_work_init(struct vtv_work *work, vtv_work_fn_t fn);
bool vtv_work_queue(struct vtv_dev *dev, struct vtv_work *work);
void vtv_dev_flush(struct vtv_dev *dev);
int vtv_worker_create(struct vtv_dev *dev);
void vtv_worker_destroy(struct vtv_dev *dev);

/* vtv_vq.c (rings) */
int vtv_get_vq_desc(struct vtv_vq *vq, struct iovec iov[], unsigned int iov_size,
		    unsigned int *out_num, unsigned int *in_num,
		    struct vtv_log *log, unsigned int *log_num);
int vtv_add_used(struct vtv_vq *vq, unsigned int head, int len);
void vtv_discard_desc(struct vtv_vq *vq, int n);
int vtv_vq_rings_mapped(struct vtv_vq *vq);
void vtv_signal(struct vtv_vq *vq);
bool vtv_enable_notify(struct vtv_vq *vq);
void vtv_disable_notify(struct vtv_vq *vq);
bool vtv_exceeds_weight(struct vtv_vq *vq, int pkts, int total_len);
int vtv_vq_init_access(struct vtv_vq *vq);
bool vtv_rings_ok(struct vtv_dev *dev, unsigned int num, u64 desc, u64 avail,
		  u64 used);
bool vtv_vq_access_ok(struct vtv_vq *vq);
int vtv_log_write(struct vtv_vq *vq, struct vtv_log *log, unsigned int log_num,
		  u64 len, struct iovec *iov, int count);
void vtv_vq_reset_cache(struct vtv_vq *vq);
void vtv_iotlb_miss(struct vtv_vq *vq, u64 iova, int access);
u64 vtv_dev_iotlb_misses(struct vtv_dev *dev);

__printf(2, 3) void vtv_vq_err(struct vtv_vq *vq, const char *fmt, ...);

static inline bool vtv_has_feature(struct vtv_vq *vq, int bit)
{
	return vq->acked_features & (1ULL << bit);
}

static inline bool vtv_backend_has_feature(struct vtv_vq *vq, int bit)
{
	return vq->acked_backend_features & (1ULL << bit);
}

static inline void *vtv_vq_get_backend(struct vtv_vq *vq)
{
	return vq->private_data;
}

/* vtv_dev.c (device and vring ioctls, IOTLB messages) */
void vtv_dev_init(struct vtv_dev *dev, struct vtv_vq **vqs, int nvqs,
		  int weight, int byte_weight);
long vtv_dev_check_owner(struct vtv_dev *dev);
long vtv_dev_ioctl(struct vtv_dev *dev, unsigned int ioctl, void __user *argp);
long vtv_vring_ioctl(struct vtv_dev *dev, unsigned int ioctl, void __user *argp);
void vtv_dev_stop(struct vtv_dev *dev);
void vtv_dev_cleanup(struct vtv_dev *dev);
int vtv_dev_set_features(struct vtv_dev *dev, u64 features);
void vtv_set_backend_features(struct vtv_dev *dev, u64 features);
ssize_t vtv_chr_read_iter(struct vtv_dev *dev, struct iov_iter *to, int noblock);
ssize_t vtv_chr_write_iter(struct vtv_dev *dev, struct iov_iter *from);
vt_poll_t vtv_chr_poll(struct file *file, struct vtv_dev *dev, poll_table *wait);
void vtv_poll_queue(struct vtv_poll *poll);

#endif /* VTV_H */
