// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_vsock: the host side of virtio-vsock, /dev/vhost-vsock, built out
 * of tree on the project's own vhost engine (vtv_*.c): it never links
 * against vhost.ko and loads next to the in-tree vhost and vhost_net.
 *
 * The socket layer is the kernel's own vsock core and virtio vsock common
 * module; this file moves their packets between host sockets and guest
 * virtqueues: RX (host to guest) and TX (guest to host).
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/hashtable.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <vt/vpkt.h>
#include "vtv.h"
#include "vhost_vsock_stats.h"
#define CREATE_TRACE_POINTS
#include "vhost_vsock_trace.h"

#define VHOST_VSOCK_DEFAULT_HOST_CID 2

/* Bytes, then packets, one queue may move before it yields the worker. */
#define VHOST_VSOCK_WEIGHT 0x80000
#define VHOST_VSOCK_PKT_WEIGHT 256

/* SEQPACKET header flags (uapi enum, values fixed by the virtio spec). */
#define VT_SEQ_EOM 1
#define VT_SEQ_EOR 2

#ifdef VT_HAVE_SEQPACKET
#define VHOST_VSOCK_SEQPACKET_FEATURE BIT_ULL(VIRTIO_VSOCK_F_SEQPACKET)
#else
#define VHOST_VSOCK_SEQPACKET_FEATURE 0ULL
#endif

#define VHOST_VSOCK_FEATURES (VTV_FEATURES |				\
			      BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |	\
			      VHOST_VSOCK_SEQPACKET_FEATURE)
#define VHOST_VSOCK_BACKEND_FEATURES BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2)

/*
 * Test builds only ("make KBUILD_ARGS=VT_TEST_DROP_TX=y"): drop every packet
 * from the guest, to show that the test suite fails on a broken module.
 */
#ifdef VT_TEST_DROP_TX
#define vt_test_drop_tx() true
#else
#define vt_test_drop_tx() false
#endif

/*
 * Test builds only ("make KBUILD_ARGS=VT_TEST_MEMBUGS=y"), for the debug
 * kernel's sanitizers (make check-debug): every packet from the guest reads
 * a byte of freed memory (KASAN or KFENCE must report it), and the first
 * one after each load leaks an allocation (kmemleak must report it).  Rides
 * on the drop hook's call site and drops nothing.
 */
#if defined(VT_TEST_MEMBUGS) && !defined(VT_TEST_DROP_TX)
#undef vt_test_drop_tx
static atomic_t vt_test_leaks;

static bool vt_test_drop_tx(void)
{
	u8 *p = kmalloc(32, GFP_ATOMIC);

	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	if (p)
		(void)READ_ONCE(p[0]);
	if (atomic_inc_return(&vt_test_leaks) == 1) {
		p = kmalloc(128, GFP_ATOMIC);
		OPTIMIZER_HIDE_VAR(p);
	}
	return false;
}
#endif

#ifndef VHOST_VSOCK_MINOR
#define VHOST_VSOCK_MINOR 241
#endif

/* Every instance with a CID; writers hold vhost_vsock_mutex, readers RCU. */
static DEFINE_MUTEX(vhost_vsock_mutex);
static DEFINE_READ_MOSTLY_HASHTABLE(vhost_vsock_hash, 8);

struct vhost_vsock {
	struct vtv_dev dev;
	struct vtv_vq vqs[2];
	struct net *net;
	struct hlist_node hash;
	struct vtv_work send_pkt_work;
	struct vt_pkt_queue send_pkt_queue;	/* host to guest, pending */
	atomic_t queued_replies;
	u32 guest_cid;
	bool seqpacket_allow;

	/* Counters (vhost_vsock_stats.h), in debugfs as <cid>. */
	struct vv_queue_stats stats[2];		/* by queue: VSOCK_VQ_RX/TX */
	atomic_long_t drops_not_running;	/* from socket context */
	int queued_replies_max;
	struct dentry *debugfs;			/* under vhost_vsock_mutex */

	struct delayed_work tx_retry;		/* after a failed allocation */
};

/* How long TX waits after a packet allocation failed. */
#define VHOST_VSOCK_RETRY_DELAY msecs_to_jiffies(10)

/* Drops with no device to count them, and sockets reset on release. */
static atomic_long_t vhost_vsock_drops_no_device;
static atomic_long_t vhost_vsock_reset_on_release;

static void vhost_vsock_drop(struct vhost_vsock *vsock, int queue,
			     enum vv_drop_reason why)
{
	vv_add(&vsock->stats[queue].drops[why], 1);
	trace_drop(vsock->guest_cid, why);
}

static struct virtio_transport vhost_transport;

static u32 vhost_transport_get_local_cid(void)
{
	return VHOST_VSOCK_DEFAULT_HOST_CID;
}

/* Callers hold the RCU read lock or vhost_vsock_mutex. */
static struct vhost_vsock *vhost_vsock_get(u32 guest_cid, struct net *net)
{
	struct vhost_vsock *vsock;

	hash_for_each_possible_rcu(vhost_vsock_hash, vsock, hash, guest_cid) {
		u32 other_cid = READ_ONCE(vsock->guest_cid);

		/* Instances without a CID yet are not in the table. */
		if (other_cid == guest_cid && (!net || vt_net_match(net, vsock->net)))
			return vsock;
	}
	return NULL;
}

static struct net *vhost_vsk_net(struct vsock_sock *vsk)
{
	return vsk ? sock_net(sk_vsock(vsk)) : NULL;
}

static bool __maybe_unused
vhost_transport_has_remote_cid(struct vsock_sock *vsk, u32 cid)
{
	bool found;

	rcu_read_lock();
	found = vhost_vsock_get(cid, vhost_vsk_net(vsk));
	rcu_read_unlock();
	return found;
}

/*
 * A packet for the guest that cannot be delivered.  A reply gives its slot
 * back, as if sent: a guest whose RX buffers are bad must not also stop
 * its own TX for good.  Returns true when TX may resume.
 */
static bool vhost_vsock_drop_rx(struct vhost_vsock *vsock, vt_pkt *pkt,
				enum vv_drop_reason why)
{
	bool restart = false;

	if (vt_pkt_reply(pkt))
		restart = atomic_dec_return(&vsock->queued_replies) + 1 ==
			  vsock->vqs[VSOCK_VQ_TX].num;
	vhost_vsock_drop(vsock, VSOCK_VQ_RX, why);
	vt_pkt_free(pkt);
	return restart;
}

static void vhost_transport_do_send_pkt(struct vhost_vsock *vsock,
					struct vtv_vq *vq)
{
	struct vtv_vq *tx_vq = &vsock->vqs[VSOCK_VQ_TX];
	int pkts = 0, total_len = 0;
	bool added = false;
	bool restart_tx = false;

	mutex_lock(&vq->mutex);

	if (!vtv_vq_get_backend(vq) || vtv_vq_rings_mapped(vq))
		goto out;

	/* We are looking at the ring anyway: no kicks meanwhile. */
	vtv_disable_notify(vq);

	do {
		struct virtio_vsock_hdr *hdr;
		size_t iov_len, payload_len;
		struct iov_iter iov_iter;
		u32 flags_to_restore = 0;
		unsigned int out, in, log_num = 0;
		size_t nbytes;
		vt_pkt *pkt;
		int head;

		pkt = vt_pktq_pop(&vsock->send_pkt_queue);
		if (!pkt) {
			vtv_enable_notify(vq);
			break;
		}

		head = vtv_get_vq_desc(vq, vq->iov, ARRAY_SIZE(vq->iov),
				       &out, &in, vq->log, &log_num);
		if (head < 0) {
			vt_pktq_head(&vsock->send_pkt_queue, pkt);
			if (head != -EAGAIN)
				vhost_vsock_drop(vsock, VSOCK_VQ_RX,
						 VV_DROP_BAD_CHAIN);
			break;
		}

		if (head == vq->num) {
			vt_pktq_head(&vsock->send_pkt_queue, pkt);
			vv_add(&vsock->stats[VSOCK_VQ_RX].ring_full, 1);
			/* Buffers may have arrived while we re-enabled kicks. */
			if (unlikely(vtv_enable_notify(vq))) {
				vtv_disable_notify(vq);
				continue;
			}
			break;
		}

		if (out) {
			restart_tx |= vhost_vsock_drop_rx(vsock, pkt,
							  VV_DROP_BAD_RX_BUFFER);
			vtv_vq_err(vq, "expected 0 output buffers, got %u\n", out);
			vtv_add_used(vq, head, 0);
			added = true;
			break;
		}

		iov_len = iov_length(&vq->iov[out], in);
		if (iov_len < sizeof(*hdr)) {
			restart_tx |= vhost_vsock_drop_rx(vsock, pkt,
							  VV_DROP_BAD_RX_BUFFER);
			vtv_vq_err(vq, "buffer of %zu bytes is too small\n", iov_len);
			vtv_add_used(vq, head, 0);
			added = true;
			break;
		}

		iov_iter_init(&iov_iter, VT_ITER_DEST, &vq->iov[out], in, iov_len);
		payload_len = vt_pkt_left(pkt);
		hdr = vt_pkt_hdr(pkt);

		/*
		 * A packet larger than this buffer is split over several.  Each
		 * piece carries the header; for SEQPACKET only the last piece
		 * may carry the end-of-message and end-of-record flags.
		 */
		if (payload_len > iov_len - sizeof(*hdr)) {
			payload_len = iov_len - sizeof(*hdr);
			if (le32_to_cpu(hdr->flags) & VT_SEQ_EOM) {
				hdr->flags &= ~cpu_to_le32(VT_SEQ_EOM);
				flags_to_restore |= VT_SEQ_EOM;
				if (le32_to_cpu(hdr->flags) & VT_SEQ_EOR) {
					hdr->flags &= ~cpu_to_le32(VT_SEQ_EOR);
					flags_to_restore |= VT_SEQ_EOR;
				}
			}
		}

		hdr->len = cpu_to_le32(payload_len);
		nbytes = copy_to_iter(hdr, sizeof(*hdr), &iov_iter);
		if (nbytes != sizeof(*hdr)) {
			restart_tx |= vhost_vsock_drop_rx(vsock, pkt,
							  VV_DROP_COPY_FAULT);
			vtv_vq_err(vq, "faulted on copying the packet header\n");
			break;
		}
		if (payload_len && vt_pkt_copy_out(pkt, &iov_iter, payload_len)) {
			restart_tx |= vhost_vsock_drop_rx(vsock, pkt,
							  VV_DROP_COPY_FAULT);
			vtv_vq_err(vq, "faulted on copying the packet payload\n");
			break;
		}

		/* Monitoring devices see every packet we transmit. */
		virtio_transport_deliver_tap_pkt(pkt);

		vtv_log_write(vq, vq->log, log_num, sizeof(*hdr) + payload_len,
			      &vq->iov[out], in);
		vtv_add_used(vq, head, sizeof(*hdr) + payload_len);
		added = true;

		vt_pkt_advance(pkt, payload_len);
		total_len += payload_len;
		vv_add(&vsock->stats[VSOCK_VQ_RX].bytes, payload_len);

		if (vt_pkt_left(pkt)) {
			/* The rest goes in the next buffer, tapped again. */
			hdr->flags |= cpu_to_le32(flags_to_restore);
			vt_pkt_retap(pkt);
			vt_pktq_head(&vsock->send_pkt_queue, pkt);
		} else {
			if (vt_pkt_reply(pkt)) {
				int val = atomic_dec_return(&vsock->queued_replies);

				/* Room for replies again: resume tx. */
				if (val + 1 == tx_vq->num)
					restart_tx = true;
			}
			vv_add(&vsock->stats[VSOCK_VQ_RX].packets, 1);
			vt_pkt_sent(pkt);
		}
	} while (likely(!vtv_exceeds_weight(vq, ++pkts, total_len)));

	if (added)
		vtv_signal(vq);

out:
	mutex_unlock(&vq->mutex);

	if (restart_tx)
		vtv_poll_queue(&tx_vq->poll);
}

static void vhost_transport_send_pkt_work(struct vtv_work *work)
{
	struct vhost_vsock *vsock =
		container_of(work, struct vhost_vsock, send_pkt_work);

	vhost_transport_do_send_pkt(vsock, &vsock->vqs[VSOCK_VQ_RX]);
}

static int vhost_transport_send_pkt(VT_SEND_PKT_ARGS)
{
	struct virtio_vsock_hdr *hdr = vt_pkt_hdr(pkt);
	struct vhost_vsock *vsock;
	int len = vt_pkt_left(pkt);

	rcu_read_lock();

	vsock = vhost_vsock_get(le64_to_cpu(hdr->dst_cid), VT_SEND_PKT_NET);
	if (!vsock) {
		rcu_read_unlock();
		atomic_long_inc(&vhost_vsock_drops_no_device);
		trace_drop(le64_to_cpu(hdr->dst_cid), VV_DROP_NO_DEVICE);
		vt_pkt_free(pkt);
		return -ENODEV;
	}

	/*
	 * Fail fast while the guest has not set up its RX queue: it could
	 * only answer with a reset.  The unlocked read is fine: the worker
	 * checks again under the queue mutex.
	 */
	if (unlikely(!READ_ONCE(vsock->vqs[VSOCK_VQ_RX].private_data))) {
		atomic_long_inc(&vsock->drops_not_running);
		trace_drop(vsock->guest_cid, VV_DROP_NOT_RUNNING);
		rcu_read_unlock();
		vt_pkt_free(pkt);
		return -EHOSTUNREACH;
	}

	if (vt_pkt_reply(pkt)) {
		int val = atomic_inc_return(&vsock->queued_replies);

		/* A high-water mark: racing updates may lose to each other. */
		if (val > READ_ONCE(vsock->queued_replies_max))
			WRITE_ONCE(vsock->queued_replies_max, val);
	}

	vt_pktq_tail(&vsock->send_pkt_queue, pkt);
	vtv_work_queue(&vsock->dev, &vsock->send_pkt_work);

	rcu_read_unlock();
	return len;
}

static int vhost_transport_cancel_pkt(struct vsock_sock *vsk)
{
	struct vhost_vsock *vsock;
	int cnt = 0;
	int ret = -ENODEV;

	rcu_read_lock();

	vsock = vhost_vsock_get(vsk->remote_addr.svm_cid, vhost_vsk_net(vsk));
	if (!vsock)
		goto out;

	cnt = vt_pktq_cancel(&vsock->send_pkt_queue, vsk);
	if (cnt) {
		struct vtv_vq *tx_vq = &vsock->vqs[VSOCK_VQ_TX];
		int new_cnt = atomic_sub_return(cnt, &vsock->queued_replies);

		if (new_cnt + cnt >= tx_vq->num && new_cnt < tx_vq->num)
			vtv_poll_queue(&tx_vq->poll);
	}

	ret = 0;
out:
	rcu_read_unlock();
	return ret;
}

/*
 * A packet from the guest: validated, never sized by the guest's word.
 * Returns 0, -EINVAL for a malformed packet (@why says what is wrong), or
 * -ENOMEM when memory is short (the packet is fine: it must not be lost).
 */
static int vhost_vsock_alloc_pkt(struct vtv_vq *vq, unsigned int out,
				 unsigned int in, vt_pkt **pktp,
				 enum vv_drop_reason *why)
{
	struct virtio_vsock_hdr *hdr;
	struct iov_iter iov_iter;
	size_t payload_len;
	size_t nbytes;
	size_t len;
	vt_pkt *pkt;
	int r;

	if (in != 0) {
		vtv_vq_err(vq, "expected 0 input buffers, got %u\n", in);
		*why = VV_DROP_WRITABLE_TX_BUFFER;
		return -EINVAL;
	}

	len = iov_length(vq->iov, out);
	if (len < sizeof(*hdr)) {
		*why = VV_DROP_SHORT_HEADER;
		return -EINVAL;
	}
	if (len > VIRTIO_VSOCK_MAX_PKT_BUF_SIZE + sizeof(*hdr)) {
		*why = VV_DROP_LEN_ABOVE_MAX;
		return -EINVAL;
	}

	iov_iter_init(&iov_iter, VT_ITER_SOURCE, vq->iov, out, len);

	/* The payload length is only known after reading the header. */
	pkt = vt_test_fail_alloc(VT_FAIL_PKT) ? NULL : vt_pkt_alloc(len);
	if (!pkt)
		return -ENOMEM;

	hdr = vt_pkt_hdr(pkt);
	nbytes = copy_from_iter(hdr, sizeof(*hdr), &iov_iter);
	if (nbytes != sizeof(*hdr)) {
		vtv_vq_err(vq, "expected %zu bytes of header, got %zu\n",
			   sizeof(*hdr), nbytes);
		vt_pkt_free(pkt);
		*why = VV_DROP_COPY_FAULT;
		return -EINVAL;
	}

	payload_len = le32_to_cpu(hdr->len);
	/* len >= sizeof(*hdr) here; the sum could wrap on 32 bits. */
	if (payload_len > len - sizeof(*hdr)) {
		vt_pkt_free(pkt);
		*why = VV_DROP_LEN_BEYOND_BUFFER;
		return -EINVAL;
	}

	r = vt_pkt_fill(pkt, &iov_iter, payload_len);
	if (r) {
		if (r != -ENOMEM)
			vtv_vq_err(vq, "failed to copy %zu bytes of payload\n",
				   payload_len);
		vt_pkt_free(pkt);
		*why = VV_DROP_COPY_FAULT;
		return r == -ENOMEM ? r : -EINVAL;
	}

	*pktp = pkt;
	return 0;
}

/* Is there room left for replies to the guest's packets? */
static bool vhost_vsock_more_replies(struct vhost_vsock *vsock)
{
	struct vtv_vq *vq = &vsock->vqs[VSOCK_VQ_TX];
	int val;

	smp_rmb(); /* paired with atomic_inc() and atomic_dec_return() */
	val = atomic_read(&vsock->queued_replies);

	return val < vq->num;
}

VT_DEFINE_ALLOW(vhost_transport_stream_allow)
{
	return true;
}

VT_DEFINE_SEQPACKET_ALLOW(vhost_transport_seqpacket_allow)
{
	struct vhost_vsock *vsock;
	bool seqpacket_allow = false;

	rcu_read_lock();
	vsock = vhost_vsock_get(remote_cid, vhost_vsk_net(vsk));
	if (vsock)
		seqpacket_allow = vsock->seqpacket_allow;
	rcu_read_unlock();

	return seqpacket_allow;
}

/* Frees what an older core left on the socket's rx queue (see vpkt.h). */
static void vhost_transport_destruct(struct vsock_sock *vsk)
{
	vt_pkt_drain_socket(vsk);
	virtio_transport_destruct(vsk);
}

static struct virtio_transport vhost_transport = {
	.transport = {
		VT_TRANSPORT_OWNER

		.get_local_cid            = vhost_transport_get_local_cid,
		VT_HAS_REMOTE_CID_OP(vhost_transport_has_remote_cid)

		.init                     = virtio_transport_do_socket_init,
		.destruct                 = vhost_transport_destruct,
		.release                  = virtio_transport_release,
		.connect                  = virtio_transport_connect,
		.shutdown                 = virtio_transport_shutdown,
		.cancel_pkt               = vhost_transport_cancel_pkt,

		.dgram_enqueue            = virtio_transport_dgram_enqueue,
		.dgram_dequeue            = virtio_transport_dgram_dequeue,
		.dgram_bind               = virtio_transport_dgram_bind,
		.dgram_allow              = virtio_transport_dgram_allow,

		.stream_enqueue           = virtio_transport_stream_enqueue,
		.stream_dequeue           = virtio_transport_stream_dequeue,
		.stream_has_data          = virtio_transport_stream_has_data,
		.stream_has_space         = virtio_transport_stream_has_space,
		.stream_rcvhiwat          = virtio_transport_stream_rcvhiwat,
		.stream_is_active         = virtio_transport_stream_is_active,
		.stream_allow             = vhost_transport_stream_allow,

		VT_VIRTIO_SEQPACKET_OPS(vhost_transport_seqpacket_allow)
		VT_VIRTIO_ZEROCOPY_OP

		.notify_poll_in           = virtio_transport_notify_poll_in,
		.notify_poll_out          = virtio_transport_notify_poll_out,
		.notify_recv_init         = virtio_transport_notify_recv_init,
		.notify_recv_pre_block    = virtio_transport_notify_recv_pre_block,
		.notify_recv_pre_dequeue  = virtio_transport_notify_recv_pre_dequeue,
		.notify_recv_post_dequeue = virtio_transport_notify_recv_post_dequeue,
		.notify_send_init         = virtio_transport_notify_send_init,
		.notify_send_pre_block    = virtio_transport_notify_send_pre_block,
		.notify_send_pre_enqueue  = virtio_transport_notify_send_pre_enqueue,
		.notify_send_post_enqueue = virtio_transport_notify_send_post_enqueue,
		VT_VIRTIO_BUFFER_OPS
		VT_VIRTIO_RCVLOWAT_OP
		VT_VIRTIO_UNSENT_OP
		VT_VIRTIO_READ_SKB_OP
	},

	.send_pkt = vhost_transport_send_pkt,
};

static void vhost_vsock_handle_tx_kick(struct vtv_work *work)
{
	struct vtv_vq *vq = container_of(work, struct vtv_vq, poll.work);
	struct vhost_vsock *vsock = container_of(vq->dev, struct vhost_vsock,
						 dev);
	int head, pkts = 0, total_len = 0, r;
	enum vv_drop_reason why;
	unsigned int out, in;
	bool added = false;
	vt_pkt *pkt;

	mutex_lock(&vq->mutex);

	if (!vtv_vq_get_backend(vq) || vtv_vq_rings_mapped(vq))
		goto out;

	vtv_disable_notify(vq);
	do {
		struct virtio_vsock_hdr *hdr;

		if (!vhost_vsock_more_replies(vsock)) {
			/*
			 * Stop tx until the pending replies reached the
			 * guest; kicks stay disabled meanwhile.
			 */
			goto no_more_replies;
		}

		head = vtv_get_vq_desc(vq, vq->iov, ARRAY_SIZE(vq->iov),
				       &out, &in, NULL, NULL);
		if (head < 0) {
			if (head != -EAGAIN)
				vhost_vsock_drop(vsock, VSOCK_VQ_TX,
						 VV_DROP_BAD_CHAIN);
			break;
		}

		if (head == vq->num) {
			if (unlikely(vtv_enable_notify(vq))) {
				vtv_disable_notify(vq);
				continue;
			}
			break;
		}

		r = vhost_vsock_alloc_pkt(vq, out, in, &pkt, &why);
		if (r == -ENOMEM) {
			/*
			 * Out of memory: the chain goes back to the ring
			 * untouched and is taken again later, so no data is
			 * lost.  Later is a short while, or the next kick:
			 * not at once, which would only spin on reclaim.
			 */
			vtv_discard_desc(vq, 1);
			schedule_delayed_work(&vsock->tx_retry,
					      VHOST_VSOCK_RETRY_DELAY);
			break;
		}
		if (r) {
			/* Malformed: dropped, but the buffer goes back. */
			vhost_vsock_drop(vsock, VSOCK_VQ_TX, why);
			vtv_vq_err(vq, "dropped a malformed packet\n");
			vtv_add_used(vq, head, 0);
			added = true;
			continue;
		}

		hdr = vt_pkt_hdr(pkt);
		total_len += sizeof(*hdr) + le32_to_cpu(hdr->len);

		/* Monitoring devices see every packet we receive. */
		virtio_transport_deliver_tap_pkt(pkt);

		/* Only correctly addressed packets are accepted. */
		if (vt_test_drop_tx()) {
			vt_pkt_free(pkt);
		} else if (le64_to_cpu(hdr->src_cid) != vsock->guest_cid) {
			vhost_vsock_drop(vsock, VSOCK_VQ_TX, VV_DROP_WRONG_SRC_CID);
			vt_pkt_free(pkt);
		} else if (le64_to_cpu(hdr->dst_cid) !=
			   vhost_transport_get_local_cid()) {
			vhost_vsock_drop(vsock, VSOCK_VQ_TX, VV_DROP_WRONG_DST_CID);
			vt_pkt_free(pkt);
		} else {
			vv_add(&vsock->stats[VSOCK_VQ_TX].packets, 1);
			vv_add(&vsock->stats[VSOCK_VQ_TX].bytes,
			       le32_to_cpu(hdr->len));
			vt_recv_pkt(&vhost_transport, pkt, vsock->net);
		}

		/* The device wrote nothing into a TX buffer. */
		vtv_add_used(vq, head, 0);
		added = true;
	} while (likely(!vtv_exceeds_weight(vq, ++pkts, total_len)));

no_more_replies:
	if (added)
		vtv_signal(vq);

out:
	mutex_unlock(&vq->mutex);
}

static void vhost_vsock_tx_retry(struct work_struct *work)
{
	struct vhost_vsock *vsock = container_of(to_delayed_work(work),
						 struct vhost_vsock, tx_retry);

	vtv_poll_queue(&vsock->vqs[VSOCK_VQ_TX].poll);
}

static void vhost_vsock_handle_rx_kick(struct vtv_work *work)
{
	struct vtv_vq *vq = container_of(work, struct vtv_vq, poll.work);
	struct vhost_vsock *vsock = container_of(vq->dev, struct vhost_vsock,
						 dev);

	vhost_transport_do_send_pkt(vsock, vq);
}

static int vhost_vsock_start(struct vhost_vsock *vsock)
{
	struct vtv_vq *vq;
	size_t i;
	int ret;

	mutex_lock(&vsock->dev.mutex);

	ret = vtv_dev_check_owner(&vsock->dev);
	if (ret)
		goto err;

	for (i = 0; i < ARRAY_SIZE(vsock->vqs); i++) {
		vq = &vsock->vqs[i];

		mutex_lock(&vq->mutex);

		if (!vtv_vq_access_ok(vq)) {
			ret = -EFAULT;
			goto err_vq;
		}

		if (!vtv_vq_get_backend(vq)) {
			ret = vtv_vq_init_access(vq);
			if (ret)
				goto err_vq;
			WRITE_ONCE(vq->private_data, vsock);
		}

		mutex_unlock(&vq->mutex);
	}

	/* Packets may have been queued before the device started. */
	vtv_work_queue(&vsock->dev, &vsock->send_pkt_work);

	mutex_unlock(&vsock->dev.mutex);
	return 0;

err_vq:
	WRITE_ONCE(vq->private_data, NULL);
	mutex_unlock(&vq->mutex);

	for (i = 0; i < ARRAY_SIZE(vsock->vqs); i++) {
		vq = &vsock->vqs[i];

		mutex_lock(&vq->mutex);
		WRITE_ONCE(vq->private_data, NULL);
		mutex_unlock(&vq->mutex);
	}
err:
	mutex_unlock(&vsock->dev.mutex);
	return ret;
}

/* While releasing, the owner is not checked: the device stops regardless. */
static int vhost_vsock_stop(struct vhost_vsock *vsock, bool check_owner)
{
	size_t i;
	int ret = 0;

	mutex_lock(&vsock->dev.mutex);

	if (check_owner) {
		ret = vtv_dev_check_owner(&vsock->dev);
		if (ret)
			goto err;
	}

	for (i = 0; i < ARRAY_SIZE(vsock->vqs); i++) {
		struct vtv_vq *vq = &vsock->vqs[i];

		mutex_lock(&vq->mutex);
		WRITE_ONCE(vq->private_data, NULL);
		mutex_unlock(&vq->mutex);
	}

err:
	mutex_unlock(&vsock->dev.mutex);
	return ret;
}

static void vhost_vsock_free(struct vhost_vsock *vsock)
{
	kvfree(vsock);
}

static int vhost_vsock_dev_open(struct inode *inode, struct file *file)
{
	struct vtv_vq **vqs;
	struct vhost_vsock *vsock;

	/* Large (the vqs embed their iovec arrays): vmalloc if need be. */
	vsock = kvzalloc(sizeof(*vsock), GFP_KERNEL | __GFP_RETRY_MAYFAIL);
	if (!vsock)
		return -ENOMEM;

	vqs = kmalloc_array(ARRAY_SIZE(vsock->vqs), sizeof(*vqs), GFP_KERNEL);
	if (!vqs) {
		vhost_vsock_free(vsock);
		return -ENOMEM;
	}

	vsock->net = get_net(current->nsproxy->net_ns);
	vsock->guest_cid = 0; /* no CID assigned yet */
	vsock->seqpacket_allow = false;

	atomic_set(&vsock->queued_replies, 0);

	vqs[VSOCK_VQ_TX] = &vsock->vqs[VSOCK_VQ_TX];
	vqs[VSOCK_VQ_RX] = &vsock->vqs[VSOCK_VQ_RX];
	vsock->vqs[VSOCK_VQ_TX].handle_kick = vhost_vsock_handle_tx_kick;
	vsock->vqs[VSOCK_VQ_RX].handle_kick = vhost_vsock_handle_rx_kick;

	vtv_dev_init(&vsock->dev, vqs, ARRAY_SIZE(vsock->vqs),
		     VHOST_VSOCK_PKT_WEIGHT, VHOST_VSOCK_WEIGHT);

	file->private_data = vsock;
	vt_pktq_init(&vsock->send_pkt_queue);
	vtv_work_init(&vsock->send_pkt_work, vhost_transport_send_pkt_work);
	INIT_DELAYED_WORK(&vsock->tx_retry, vhost_vsock_tx_retry);
	return 0;
}

/* --- debugfs: /sys/kernel/debug/vhost_vsock/<cid> and global --- */

static struct dentry *vhost_vsock_debugfs_dir;

/* The names of the drop reasons, as in the vhost_vsock:drop tracepoint. */
static const char * const vhost_vsock_drop_names[VV_DROP_MAX] = {
	[VV_DROP_SHORT_HEADER] = "short_header",
	[VV_DROP_LEN_BEYOND_BUFFER] = "len_beyond_buffer",
	[VV_DROP_LEN_ABOVE_MAX] = "len_above_max",
	[VV_DROP_WRITABLE_TX_BUFFER] = "writable_tx_buffer",
	[VV_DROP_WRONG_SRC_CID] = "wrong_src_cid",
	[VV_DROP_WRONG_DST_CID] = "wrong_dst_cid",
	[VV_DROP_BAD_CHAIN] = "bad_chain",
	[VV_DROP_BAD_RX_BUFFER] = "bad_rx_buffer",
	[VV_DROP_COPY_FAULT] = "copy_fault",
	[VV_DROP_NOT_RUNNING] = "not_running",
	[VV_DROP_NO_DEVICE] = "no_device",
};

/*
 * One "name value" line per counter; the names are documented in
 * README.md and stay stable.  Read without locks: each counter has one
 * writer, a reader sees each one whole.
 */
static int vhost_vsock_stats_show(struct seq_file *m, void *v)
{
	struct vhost_vsock *vsock = m->private;
	struct vv_queue_stats *rx = &vsock->stats[VSOCK_VQ_RX];
	struct vv_queue_stats *tx = &vsock->stats[VSOCK_VQ_TX];
	int i;

	seq_printf(m, "cid %u\n", READ_ONCE(vsock->guest_cid));
	seq_printf(m, "running %d\n",
		   !!READ_ONCE(vsock->vqs[VSOCK_VQ_RX].private_data));
	seq_printf(m, "tx_packets %llu\n", READ_ONCE(tx->packets));
	seq_printf(m, "tx_bytes %llu\n", READ_ONCE(tx->bytes));
	seq_printf(m, "rx_packets %llu\n", READ_ONCE(rx->packets));
	seq_printf(m, "rx_bytes %llu\n", READ_ONCE(rx->bytes));
	seq_printf(m, "rx_ring_full %llu\n", READ_ONCE(rx->ring_full));
	seq_printf(m, "queued_replies %d\n",
		   atomic_read(&vsock->queued_replies));
	seq_printf(m, "queued_replies_max %d\n",
		   READ_ONCE(vsock->queued_replies_max));
	seq_printf(m, "iotlb_misses %llu\n",
		   vtv_dev_iotlb_misses(&vsock->dev));
	for (i = 0; i < VV_DROP_MAX; i++) {
		u64 n = READ_ONCE(rx->drops[i]) + READ_ONCE(tx->drops[i]);

		if (i == VV_DROP_NOT_RUNNING)
			n += atomic_long_read(&vsock->drops_not_running);
		if (i == VV_DROP_NO_DEVICE)
			continue;	/* in "global": no device to count */
		seq_printf(m, "drop_%s %llu\n", vhost_vsock_drop_names[i], n);
	}
	return 0;
}

static int vhost_vsock_global_show(struct seq_file *m, void *v)
{
	seq_printf(m, "drop_%s %ld\n", vhost_vsock_drop_names[VV_DROP_NO_DEVICE],
		   atomic_long_read(&vhost_vsock_drops_no_device));
	seq_printf(m, "reset_on_release %ld\n",
		   atomic_long_read(&vhost_vsock_reset_on_release));
	return 0;
}

VT_SHOW_ATTRIBUTE(vhost_vsock_stats);
VT_SHOW_ATTRIBUTE(vhost_vsock_global);

/*
 * Called with vhost_vsock_mutex held: the file follows the CID.  A CID is
 * unique per network namespace; outside the initial one the file is named
 * <cid>@<namespace inode>.  No file (no debugfs) is no error.
 */
static void vhost_vsock_debugfs_update(struct vhost_vsock *vsock)
{
	char name[32];

	debugfs_remove(vsock->debugfs);
	vsock->debugfs = NULL;
	if (!vsock->guest_cid || IS_ERR_OR_NULL(vhost_vsock_debugfs_dir))
		return;
	if (net_eq(vsock->net, &init_net))
		snprintf(name, sizeof(name), "%u", vsock->guest_cid);
	else
		snprintf(name, sizeof(name), "%u@%u", vsock->guest_cid,
			 vsock->net->ns.inum);
	vsock->debugfs = debugfs_create_file(name, 0444,
					     vhost_vsock_debugfs_dir, vsock,
					     &vhost_vsock_stats_fops);
	if (IS_ERR(vsock->debugfs))
		vsock->debugfs = NULL;
}

static void vhost_vsock_release_stats(struct vhost_vsock *vsock)
{
	u64 drops = atomic_long_read(&vsock->drops_not_running);
	int q, i;

	for (q = 0; q < ARRAY_SIZE(vsock->stats); q++)
		for (i = 0; i < VV_DROP_MAX; i++)
			drops += vsock->stats[q].drops[i];
	trace_release(vsock->guest_cid, vsock->stats[VSOCK_VQ_TX].packets,
		      vsock->stats[VSOCK_VQ_RX].packets, drops);
}

static void vhost_vsock_reset_orphans(struct sock *sk)
{
	struct vsock_sock *vsk = vsock_sk(sk);

#ifdef VT_HAVE_VSK_TRANSPORT
	/*
	 * Only our own sockets: a core whose walk has no transport argument
	 * (5.5 to 5.17 without the 5.18 fix) hands us every transport's.
	 */
	if (vsk->transport != &vhost_transport.transport)
		return;
#endif

	/*
	 * Like vmci_transport, no sk_lock: vsock_table_lock is held, so the
	 * socket cannot go away meanwhile.
	 */
	rcu_read_lock();
	/* A peer that still exists keeps its connection. */
	if (vhost_vsock_get(vsk->remote_addr.svm_cid, sock_net(sk))) {
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();

	/* A pending close timeout handles it: no race with its callback. */
	if (vsk->close_work_scheduled)
		return;

	atomic_long_inc(&vhost_vsock_reset_on_release);
	sock_set_flag(sk, SOCK_DONE);
	WRITE_ONCE(vsk->peer_shutdown, SHUTDOWN_MASK);
	sk->sk_state = SS_UNCONNECTED;
	sk->sk_err = ECONNRESET;
	vt_sk_error_report(sk);
}

static int vhost_vsock_dev_release(struct inode *inode, struct file *file)
{
	struct vhost_vsock *vsock = file->private_data;

	mutex_lock(&vhost_vsock_mutex);
	if (vsock->guest_cid)
		hash_del_rcu(&vsock->hash);
	/* Waits for readers of the file: none sees the device go. */
	debugfs_remove(vsock->debugfs);
	vsock->debugfs = NULL;
	mutex_unlock(&vhost_vsock_mutex);

	/* Nobody finds this instance any more after this. */
	synchronize_rcu();

	/* Reset exactly the sockets whose guest went away. */
	vt_for_each_connected_socket(&vhost_transport.transport,
				     vhost_vsock_reset_orphans);

	vhost_vsock_stop(vsock, false);
	cancel_delayed_work_sync(&vsock->tx_retry);
	vtv_dev_flush(&vsock->dev);
	vtv_dev_stop(&vsock->dev);

	vt_pktq_purge(&vsock->send_pkt_queue);
	vhost_vsock_release_stats(vsock);

	vtv_dev_cleanup(&vsock->dev);
	put_net(vsock->net);
	kfree(vsock->dev.vqs);
	vhost_vsock_free(vsock);
	return 0;
}

static int vhost_vsock_set_cid(struct vhost_vsock *vsock, u64 guest_cid)
{
	struct vhost_vsock *other;

	/* Refuse reserved CIDs, and 64-bit ones (not supported). */
	if (guest_cid <= VMADDR_CID_HOST || guest_cid >= U32_MAX)
		return -EINVAL;

#ifdef VT_HAVE_VSOCK_FIND_CID
	/* A CID of a guest->host transport (nested VM) keeps loopback. */
	if (vsock_find_cid(guest_cid))
		return -EADDRINUSE;
#endif

	mutex_lock(&vhost_vsock_mutex);
	other = vhost_vsock_get(guest_cid, vsock->net);
	if (other && other != vsock) {
		mutex_unlock(&vhost_vsock_mutex);
		return -EADDRINUSE;
	}

	if (vsock->guest_cid)
		hash_del_rcu(&vsock->hash);

	trace_set_cid(vsock->guest_cid, guest_cid);
	WRITE_ONCE(vsock->guest_cid, guest_cid);
	hash_add_rcu(vhost_vsock_hash, &vsock->hash, vsock->guest_cid);
	vhost_vsock_debugfs_update(vsock);
	mutex_unlock(&vhost_vsock_mutex);

	return 0;
}

static int vhost_vsock_set_features(struct vhost_vsock *vsock, u64 features)
{
	int r;

	if (features & ~VHOST_VSOCK_FEATURES)
		return -EOPNOTSUPP;

	mutex_lock(&vsock->dev.mutex);
	r = vtv_dev_set_features(&vsock->dev, features);
	if (!r)
		vsock->seqpacket_allow = features & VHOST_VSOCK_SEQPACKET_FEATURE;
	mutex_unlock(&vsock->dev.mutex);
	return r;
}

/*
 * VHOST_RESET_OWNER is not offered, as upstream vhost-vsock does not offer
 * it: the engine answers ENOTTY.  (A reset that kept the CID hashed and the
 * send queue would hand the old guest's packets to the next owner's guest.)
 */
static long vhost_vsock_dev_ioctl(struct file *f, unsigned int ioctl,
				  unsigned long arg)
{
	struct vhost_vsock *vsock = f->private_data;
	void __user *argp = (void __user *)arg;
	u64 guest_cid;
	u64 features;
	int start;
	long r;

	switch (ioctl) {
	case VHOST_VSOCK_SET_GUEST_CID:
		if (copy_from_user(&guest_cid, argp, sizeof(guest_cid)))
			return -EFAULT;
		return vhost_vsock_set_cid(vsock, guest_cid);
	case VHOST_VSOCK_SET_RUNNING:
		if (copy_from_user(&start, argp, sizeof(start)))
			return -EFAULT;
		if (start)
			return vhost_vsock_start(vsock);
		else
			return vhost_vsock_stop(vsock, true);
	case VHOST_GET_FEATURES:
		features = VHOST_VSOCK_FEATURES;
		if (copy_to_user(argp, &features, sizeof(features)))
			return -EFAULT;
		return 0;
	case VHOST_SET_FEATURES:
		if (copy_from_user(&features, argp, sizeof(features)))
			return -EFAULT;
		return vhost_vsock_set_features(vsock, features);
	case VHOST_GET_BACKEND_FEATURES:
		features = VHOST_VSOCK_BACKEND_FEATURES;
		if (copy_to_user(argp, &features, sizeof(features)))
			return -EFAULT;
		return 0;
	case VHOST_SET_BACKEND_FEATURES:
		if (copy_from_user(&features, argp, sizeof(features)))
			return -EFAULT;
		if (features & ~VHOST_VSOCK_BACKEND_FEATURES)
			return -EOPNOTSUPP;
		vtv_set_backend_features(&vsock->dev, features);
		return 0;
	default:
		mutex_lock(&vsock->dev.mutex);
		r = vtv_dev_ioctl(&vsock->dev, ioctl, argp);
		if (r == -ENOIOCTLCMD)
			r = vtv_vring_ioctl(&vsock->dev, ioctl, argp);
		else
			vtv_dev_flush(&vsock->dev);
		mutex_unlock(&vsock->dev.mutex);
		return r;
	}
}

static ssize_t vhost_vsock_chr_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct vhost_vsock *vsock = file->private_data;

	return vtv_chr_read_iter(&vsock->dev, to, file->f_flags & O_NONBLOCK);
}

static ssize_t vhost_vsock_chr_write_iter(struct kiocb *iocb,
					  struct iov_iter *from)
{
	struct vhost_vsock *vsock = iocb->ki_filp->private_data;

	return vtv_chr_write_iter(&vsock->dev, from);
}

static vt_poll_t vhost_vsock_chr_poll(struct file *file, poll_table *wait)
{
	struct vhost_vsock *vsock = file->private_data;

	return vtv_chr_poll(file, &vsock->dev, wait);
}

static const struct file_operations vhost_vsock_fops = {
	.owner          = THIS_MODULE,
	.open           = vhost_vsock_dev_open,
	.release        = vhost_vsock_dev_release,
	.llseek         = noop_llseek,
	.unlocked_ioctl = vhost_vsock_dev_ioctl,
	.compat_ioctl   = vt_compat_ptr_ioctl,
	.read_iter      = vhost_vsock_chr_read_iter,
	.write_iter     = vhost_vsock_chr_write_iter,
	.poll           = vhost_vsock_chr_poll,
};

static struct miscdevice vhost_vsock_misc = {
	.minor = VHOST_VSOCK_MINOR,
	.name = "vhost-vsock",
	.fops = &vhost_vsock_fops,
};

static int __init vhost_vsock_init(void)
{
	int ret;

	ret = vt_core_register(&vhost_transport.transport,
			       VSOCK_TRANSPORT_F_H2G);
	if (ret < 0)
		return ret;

	/* Counters are a help, not a need: no debugfs is no error. */
	vhost_vsock_debugfs_dir = debugfs_create_dir("vhost_vsock", NULL);
	if (!IS_ERR_OR_NULL(vhost_vsock_debugfs_dir))
		debugfs_create_file("global", 0444, vhost_vsock_debugfs_dir,
				    NULL, &vhost_vsock_global_fops);

	ret = misc_register(&vhost_vsock_misc);
	if (ret) {
		debugfs_remove_recursive(vhost_vsock_debugfs_dir);
		vt_core_unregister(&vhost_transport.transport);
		return ret;
	}

	return 0;
}

static void __exit vhost_vsock_exit(void)
{
	misc_deregister(&vhost_vsock_misc);
	debugfs_remove_recursive(vhost_vsock_debugfs_dir);
	vt_core_unregister(&vhost_transport.transport);
}

module_init(vhost_vsock_init);
module_exit(vhost_vsock_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(VT_VERSION);
MODULE_DESCRIPTION("vhost transport for vsock (vsock-transports, own vhost engine)");
MODULE_ALIAS_MISCDEV(VHOST_VSOCK_MINOR);
MODULE_ALIAS("devname:vhost-vsock");
