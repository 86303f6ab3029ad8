/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One packet API over the two kinds the virtio vsock common module has had:
 * struct sk_buff (6.2, stable 6.1.64) and struct virtio_vsock_pkt before.
 * Within sk_buff kernels the tx offset moved from skb->data (skb_pull) to
 * VIRTIO_VSOCK_SKB_CB(skb)->offset (6.7) and rx skbs became nonlinear
 * (6.17, stable 6.12.69).
 */
#ifndef VT_VPKT_H
#define VT_VPKT_H

#include <vt/vsock.h>
#include <linux/atomic.h>
#include <linux/virtio_vsock.h>

/*
 * Test builds only ("make KBUILD_ARGS=VT_TEST_FAIL_ALLOC=y"): every third
 * packet allocation for the guest's data fails, as it may under memory
 * fragmentation, and so does every third legacy payload buffer (the 64 KiB
 * kmalloc() below), each site counted on its own so that both fail in
 * turn; the stream must stay whole.
 */
enum { VT_FAIL_PKT, VT_FAIL_BUF };
#ifdef VT_TEST_FAIL_ALLOC
static inline bool vt_test_fail_alloc(int site)
{
	static atomic_t n[2];

	return atomic_inc_return(&n[site]) % 3 == 0;
}
#else
#define vt_test_fail_alloc(site) false
#endif

#ifdef VT_HAVE_VSOCK_SKB

#define vt_pkt struct sk_buff

struct vt_pkt_queue {
	struct sk_buff_head q;
};

static inline struct virtio_vsock_hdr *vt_pkt_hdr(vt_pkt *p)
{
	return virtio_vsock_hdr(p);
}

static inline void vt_pktq_init(struct vt_pkt_queue *q)
{
	skb_queue_head_init(&q->q);
}

static inline void vt_pktq_tail(struct vt_pkt_queue *q, vt_pkt *p)
{
	virtio_vsock_skb_queue_tail(&q->q, p);
}

static inline void vt_pktq_head(struct vt_pkt_queue *q, vt_pkt *p)
{
	virtio_vsock_skb_queue_head(&q->q, p);
}

static inline vt_pkt *vt_pktq_pop(struct vt_pkt_queue *q)
{
	return virtio_vsock_skb_dequeue(&q->q);
}

static inline void vt_pktq_purge(struct vt_pkt_queue *q)
{
	virtio_vsock_skb_queue_purge(&q->q);
}

/* Drop the packets of @vsk; returns how many of them were replies. */
static inline int vt_pktq_cancel(struct vt_pkt_queue *q, struct vsock_sock *vsk)
{
	return virtio_transport_purge_skbs(vsk, &q->q);
}

/* Every sk_buff core frees a closing socket's rx queue itself. */
static inline void vt_pkt_drain_socket(struct vsock_sock *vsk)
{
}

static inline bool vt_pkt_reply(vt_pkt *p)
{
	return virtio_vsock_skb_reply(p);
}

static inline void vt_pkt_retap(vt_pkt *p)
{
	virtio_vsock_skb_clear_tap_delivered(p);
}

static inline void vt_pkt_free(vt_pkt *p)
{
	kfree_skb(p);
}

/* The packet reached the guest. */
static inline void vt_pkt_sent(vt_pkt *p)
{
#ifdef VT_HAVE_CONSUME_SKB_SENT
	virtio_transport_consume_skb_sent(p, true);
#else
	consume_skb(p);
#endif
}

/* Payload bytes not yet copied to the guest. */
static inline u32 vt_pkt_left(vt_pkt *p)
{
#ifdef VT_HAVE_SKB_CB_OFFSET
	return p->len - VIRTIO_VSOCK_SKB_CB(p)->offset;
#else
	return p->len;
#endif
}

static inline int vt_pkt_copy_out(vt_pkt *p, struct iov_iter *to, u32 len)
{
#ifdef VT_HAVE_SKB_CB_OFFSET
	return skb_copy_datagram_iter(p, VIRTIO_VSOCK_SKB_CB(p)->offset, to, len);
#else
	return skb_copy_datagram_iter(p, 0, to, len);
#endif
}

static inline void vt_pkt_advance(vt_pkt *p, u32 len)
{
#ifdef VT_HAVE_SKB_CB_OFFSET
	VIRTIO_VSOCK_SKB_CB(p)->offset += len;
#else
	skb_pull(p, len);
#endif
}

/*
 * A packet for @len bytes (header included) from the guest.  Large ones are
 * nonlinear where the common module takes them (never one guest-sized
 * linear allocation).
 */
static inline vt_pkt *vt_pkt_alloc(size_t len)
{
	return virtio_vsock_alloc_skb(len, GFP_KERNEL);
}

static inline int vt_pkt_fill(vt_pkt *p, struct iov_iter *from, u32 payload)
{
#ifdef VT_HAVE_SKB_PUT_LEN
	virtio_vsock_skb_put(p, payload);
#else
	virtio_vsock_skb_rx_put(p);
#endif
	return skb_copy_datagram_from_iter(p, 0, from, payload);
}

#else /* legacy struct virtio_vsock_pkt */

#define vt_pkt struct virtio_vsock_pkt

struct vt_pkt_queue {
	spinlock_t lock;		/* protects list */
	struct list_head list;
};

static inline struct virtio_vsock_hdr *vt_pkt_hdr(vt_pkt *p)
{
	return &p->hdr;
}

static inline void vt_pktq_init(struct vt_pkt_queue *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->list);
}

static inline void vt_pktq_tail(struct vt_pkt_queue *q, vt_pkt *p)
{
	spin_lock_bh(&q->lock);
	list_add_tail(&p->list, &q->list);
	spin_unlock_bh(&q->lock);
}

static inline void vt_pktq_head(struct vt_pkt_queue *q, vt_pkt *p)
{
	spin_lock_bh(&q->lock);
	list_add(&p->list, &q->list);
	spin_unlock_bh(&q->lock);
}

static inline vt_pkt *vt_pktq_pop(struct vt_pkt_queue *q)
{
	vt_pkt *p;

	spin_lock_bh(&q->lock);
	p = list_first_entry_or_null(&q->list, vt_pkt, list);
	if (p)
		list_del_init(&p->list);
	spin_unlock_bh(&q->lock);
	return p;
}

static inline void vt_pktq_purge(struct vt_pkt_queue *q)
{
	vt_pkt *p;

	while ((p = vt_pktq_pop(q)))
		virtio_transport_free_pkt(p);
}

static inline int vt_pktq_cancel(struct vt_pkt_queue *q, struct vsock_sock *vsk)
{
	LIST_HEAD(freeme);
	vt_pkt *p, *n;
	int cnt = 0;

	spin_lock_bh(&q->lock);
	list_for_each_entry_safe(p, n, &q->list, list) {
		if (p->vsk != vsk)
			continue;
		list_move(&p->list, &freeme);
	}
	spin_unlock_bh(&q->lock);

	list_for_each_entry_safe(p, n, &freeme, list) {
		if (p->reply)
			cnt++;
		list_del(&p->list);
		virtio_transport_free_pkt(p);
	}
	return cnt;
}

static inline bool vt_pkt_reply(vt_pkt *p)
{
	return p->reply;
}

/*
 * Called from the transport's destruct: as the socket is destroyed, or as
 * the core moves it to another transport (5.5 and later; under its lock,
 * hence rx_lock here too).  Cores of this packet API may leave packets on
 * its rx queue, and nothing frees them after this:
 * - before "vsock/virtio: free packets during the socket release" (v5.2),
 *   the packets queued when the socket was released;
 * - before "virtio_vsock: Fix race condition in virtio_transport_recv_pkt"
 *   (v5.8), the packets a peer sends to a released socket while it waits
 *   for the peer's shutdown;
 * - before "vsock/virtio: free queued packets when closing socket"
 *   (v5.12), the packets that arrive between the release and the close
 *   timeout or the peer's reset.
 * A guest can send such packets at will, so the transport frees them
 * here; on a core with the fixes the queue is empty.
 */
static inline void vt_pkt_drain_socket(struct vsock_sock *vsk)
{
	struct virtio_vsock_sock *vvs = vsk->trans;
	LIST_HEAD(freeme);
	vt_pkt *p, *n;

	if (!vvs)
		return;
	spin_lock_bh(&vvs->rx_lock);
	list_splice_init(&vvs->rx_queue, &freeme);
	spin_unlock_bh(&vvs->rx_lock);
	list_for_each_entry_safe(p, n, &freeme, list) {
		list_del(&p->list);
		virtio_transport_free_pkt(p);
	}
}

/* Without tap_delivered, each piece of a split packet is tapped whole. */
static inline void vt_pkt_retap(vt_pkt *p)
{
#ifdef VT_HAVE_PKT_TAP_DELIVERED
	p->tap_delivered = false;
#endif
}

static inline void vt_pkt_free(vt_pkt *p)
{
	virtio_transport_free_pkt(p);
}

static inline void vt_pkt_sent(vt_pkt *p)
{
	virtio_transport_free_pkt(p);
}

static inline u32 vt_pkt_left(vt_pkt *p)
{
	return p->len - p->off;
}

static inline int vt_pkt_copy_out(vt_pkt *p, struct iov_iter *to, u32 len)
{
	return copy_to_iter(p->buf + p->off, len, to) == len ? 0 : -EFAULT;
}

static inline void vt_pkt_advance(vt_pkt *p, u32 len)
{
	p->off += len;
}

/*
 * Which free the common module uses for a legacy packet's buffer depends on
 * the kernel: kfree() before the fix for CVE-2022-50271, kvfree() after it
 * (and in RHEL 8.10).  No header shows which, so a probe cannot tell; the
 * buffer comes from kmalloc(), which both free correctly.  A 64 KiB
 * kmalloc() may fail under fragmentation: the caller then keeps the
 * guest's buffer in its ring and tries again a little later (no data is
 * lost).
 */
static inline vt_pkt *vt_pkt_alloc(size_t len)
{
	vt_pkt *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p)
		INIT_LIST_HEAD(&p->list);
	return p;
}

static inline int vt_pkt_fill(vt_pkt *p, struct iov_iter *from, u32 payload)
{
	p->len = payload;
	if (!payload)
		return 0;
	p->buf = vt_test_fail_alloc(VT_FAIL_BUF) ? NULL :
		 kmalloc(payload, GFP_KERNEL | __GFP_NOWARN);
	if (!p->buf)
		return -ENOMEM;
#ifdef VT_HAVE_PKT_BUF_LEN
	p->buf_len = payload;
#endif
	return copy_from_iter(p->buf, payload, from) == payload ? 0 : -EFAULT;
}

#endif /* VT_HAVE_VSOCK_SKB */

/* send_pkt and recv_pkt carry the network namespace since 7.x. */
#ifdef VT_HAVE_SEND_PKT_NET
#define VT_SEND_PKT_ARGS vt_pkt *pkt, struct net *net
#define vt_recv_pkt(t, pkt, net) virtio_transport_recv_pkt(t, pkt, net)
#elif defined(VT_HAVE_RECV_PKT_TRANSPORT)
#define VT_SEND_PKT_ARGS vt_pkt *pkt
#define vt_recv_pkt(t, pkt, net) virtio_transport_recv_pkt(t, pkt)
#else
#define VT_SEND_PKT_ARGS vt_pkt *pkt
#define vt_recv_pkt(t, pkt, net) virtio_transport_recv_pkt(pkt)
#endif

#ifdef VT_HAVE_SEND_PKT_NET
#define VT_SEND_PKT_NET net
#else
#define VT_SEND_PKT_NET NULL
#endif

/* Socket operations the common module provides, where this kernel has them. */
#ifdef VT_HAVE_NOTIFY_BUFFER_SIZE
#define VT_VIRTIO_BUFFER_OPS						\
	.notify_buffer_size = virtio_transport_notify_buffer_size,
#else
#define VT_VIRTIO_BUFFER_OPS						\
	.set_buffer_size = virtio_transport_set_buffer_size,		\
	.set_min_buffer_size = virtio_transport_set_min_buffer_size,	\
	.set_max_buffer_size = virtio_transport_set_max_buffer_size,	\
	.get_buffer_size = virtio_transport_get_buffer_size,		\
	.get_min_buffer_size = virtio_transport_get_min_buffer_size,	\
	.get_max_buffer_size = virtio_transport_get_max_buffer_size,
#endif

#if defined(VT_HAVE_NOTIFY_SET_RCVLOWAT) && \
	defined(VT_EXPORTS_VIRTIO_TRANSPORT_NOTIFY_SET_RCVLOWAT)
#define VT_VIRTIO_RCVLOWAT_OP						\
	.notify_set_rcvlowat = virtio_transport_notify_set_rcvlowat,
#else
#define VT_VIRTIO_RCVLOWAT_OP
#endif

#if defined(VT_HAVE_UNSENT_BYTES) && defined(VT_EXPORTS_VIRTIO_TRANSPORT_UNSENT_BYTES)
#define VT_VIRTIO_UNSENT_OP .unsent_bytes = virtio_transport_unsent_bytes,
#else
#define VT_VIRTIO_UNSENT_OP
#endif

#if defined(VT_HAVE_READ_SKB) && defined(VT_EXPORTS_VIRTIO_TRANSPORT_READ_SKB)
#define VT_VIRTIO_READ_SKB_OP .read_skb = virtio_transport_read_skb,
#else
#define VT_VIRTIO_READ_SKB_OP
#endif

#ifdef VT_HAVE_SEQPACKET
#define VT_VIRTIO_SEQPACKET_OPS(allow)					\
	.seqpacket_dequeue = virtio_transport_seqpacket_dequeue,	\
	.seqpacket_enqueue = virtio_transport_seqpacket_enqueue,	\
	.seqpacket_allow = allow,					\
	.seqpacket_has_data = virtio_transport_seqpacket_has_data,
#else
#define VT_VIRTIO_SEQPACKET_OPS(allow)
#endif

#ifdef VT_HAVE_MSGZEROCOPY_ALLOW
static inline bool vt_msgzerocopy_allow(void)
{
	return true;
}

#define VT_VIRTIO_ZEROCOPY_OP .msgzerocopy_allow = vt_msgzerocopy_allow,
#else
#define VT_VIRTIO_ZEROCOPY_OP
#endif

#ifdef VT_HAVE_HAS_REMOTE_CID
#define VT_HAS_REMOTE_CID_OP(fn) .has_remote_cid = fn,
#else
#define VT_HAS_REMOTE_CID_OP(fn)
#endif

/* Does a socket of namespace @a see a device of namespace @b (7.x modes)? */
static inline bool vt_net_match(struct net *a, struct net *b)
{
#ifdef VT_HAVE_VSOCK_NET_MODE
	return vsock_net_check_mode(a, b);
#else
	return true;
#endif
}

#endif /* VT_VPKT_H */
