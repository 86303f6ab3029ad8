// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sock: the Hyper-V sockets (AF_VSOCK over vmbus) guest transport, built
 * out of tree for the installed kernel.
 *
 * A connection is a vmbus channel: the host offers one per connection, with
 * the two service GUIDs <port>-facb-11e6-bd58-64006a7986d3 that map to the
 * vsock ports.  Data travels in vmpipe packets of at most 16 KiB; a packet
 * with no payload is the FIN.  Everything the host writes into the ring is
 * validated before use.
 */

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <vt/vsock.h>
#include <vt/hyperv.h>
#include "hv_sock_logic.h"

#define RINGBUFFER_HVS_RCV_SIZE (HV_HYP_PAGE_SIZE * 6)
#define RINGBUFFER_HVS_SND_SIZE (HV_HYP_PAGE_SIZE * 6)
#define RINGBUFFER_HVS_MAX_SIZE (HV_HYP_PAGE_SIZE * 64)

/* How long a closing socket waits for the host's FIN. */
#define HVS_CLOSE_TIMEOUT (8 * HZ)

/* The counters of hv_sock_logic.h, in debugfs as hv_sock/stats. */
static atomic_long_t hvs_stats[HVS_STAT_MAX];
static struct dentry *hvs_debugfs_dir;

static void hvs_count(enum hvs_stat what)
{
	atomic_long_inc(&hvs_stats[what]);
}

struct vmpipe_proto_header {
	u32 pkt_type;
	u32 data_size;
};

struct hvs_recv_buf {
	struct vmpipe_proto_header hdr;
	u8 data[HVS_MTU_SIZE];
};

/* One hypervisor page per send: larger buffers showed no gain. */
#define HVS_SEND_BUF_SIZE \
	(HV_HYP_PAGE_SIZE - sizeof(struct vmpipe_proto_header))

struct hvs_send_buf {
	struct vmpipe_proto_header hdr;
	u8 data[HVS_SEND_BUF_SIZE];
};

/* hvsock.flags */
#define HVS_FIN_SENT 0

/* Per-socket state, vsk->trans. */
struct hvsock {
	struct vsock_sock *vsk;
	vt_guid_t vm_srv_id;
	vt_guid_t host_srv_id;
	struct vmbus_channel *chan;
	/* The packet being read, NULL when none is held. */
	struct vmpacket_descriptor *recv_desc;
	/* Payload of recv_desc not yet delivered, and where it starts. */
	u32 recv_data_len;
	u32 recv_data_off;
	unsigned long flags;
};

static struct vsock_transport hvs_transport;

static const u8 *hvs_guid_bytes(const vt_guid_t *g)
{
	return (const u8 *)g;
}

static void hvs_addr_init(struct sockaddr_vm *addr, const vt_guid_t *srv_id)
{
	vsock_addr_init(addr, VMADDR_CID_ANY,
			hvs_srv_id_port(hvs_guid_bytes(srv_id)));
}

static void hvs_set_channel_pending_send_size(struct vmbus_channel *chan)
{
	/*
	 * Ask for a host notification whenever a maximal send fits: the host
	 * only signals when the pending size boundary is crossed.
	 */
	set_channel_pending_send_size(chan,
				      hvs_pkt_len(HVS_SEND_BUF_SIZE));
	/* The host must see the new size before we look at the ring. */
	virt_mb();
}

static bool hvs_channel_readable(struct vmbus_channel *chan)
{
	/* A FIN (no payload) counts as readable: it is the EOF. */
	return hvs_readable_kind(hv_get_bytes_to_read(&chan->inbound)) >= 0;
}

static size_t hvs_channel_writable_bytes(struct vmbus_channel *chan)
{
	return hvs_writable_payload(hv_get_bytes_to_write(&chan->outbound));
}

static int hvs_send_data(struct vmbus_channel *chan,
			 struct vmpipe_proto_header *hdr, size_t to_write)
{
	hdr->pkt_type = 1;
	hdr->data_size = to_write;
	return vmbus_sendpacket(chan, hdr, sizeof(*hdr) + to_write,
				0, VM_PKT_DATA_INBAND, 0);
}

static void hvs_channel_cb(void *ctx)
{
	struct sock *sk = ctx;
	struct hvsock *hvs = vsock_sk(sk)->trans;
	struct vmbus_channel *chan = hvs->chan;

	if (hvs_channel_readable(chan))
		sk->sk_data_ready(sk);

	if (hv_get_bytes_to_write(&chan->outbound) > 0)
		sk->sk_write_space(sk);
}

static void hvs_set_peer_shutdown(struct vsock_sock *vsk, u32 mode)
{
	WRITE_ONCE(vsk->peer_shutdown, READ_ONCE(vsk->peer_shutdown) | mode);
}

/* The connection is gone (host FIN timeout or rescind); sk is locked. */
static void hvs_do_close_lock_held(struct vsock_sock *vsk, bool cancel_timeout)
{
	struct sock *sk = sk_vsock(vsk);

	sock_set_flag(sk, SOCK_DONE);
	hvs_set_peer_shutdown(vsk, SHUTDOWN_MASK);
	if (vsock_stream_has_data(vsk) <= 0)
		sk->sk_state = VT_SK_CLOSING;
	sk->sk_state_change(sk);
	if (vsk->close_work_scheduled &&
	    (!cancel_timeout || cancel_delayed_work(&vsk->close_work))) {
		vsk->close_work_scheduled = false;
		vsock_remove_sock(vsk);
		/* The reference taken when the timeout was scheduled. */
		sock_put(sk);
	}
}

static void hvs_close_connection(struct vmbus_channel *chan)
{
	struct sock *sk = get_per_channel_state(chan);

	lock_sock(sk);
	hvs_do_close_lock_held(vsock_sk(sk), true);
	release_sock(sk);

	/* The reference taken in hvs_open_connection(). */
	sock_put(sk);
}

static bool hvs_check_transport(struct vsock_sock *vsk)
{
#ifdef VT_HAVE_VSOCK_ASSIGN_TRANSPORT
	return vsk->transport == &hvs_transport;
#else
	return true;
#endif
}

static int hvs_assign_transport(struct vsock_sock *vnew, struct vsock_sock *vsk)
{
#ifdef VT_HAVE_VSOCK_ASSIGN_TRANSPORT
	int ret = vsock_assign_transport(vnew, vsk);

	if (ret)
		return ret;
#endif
	return hvs_check_transport(vnew) ? 0 : -ENODEV;
}

static void hvs_open_connection(struct vmbus_channel *chan)
{
	const vt_guid_t *if_instance, *if_type;
	struct hvsock *hvs = NULL, *hvs_new = NULL;
	struct sock *sk, *new = NULL, *owner;
	struct vsock_sock *vnew = NULL;
	struct sockaddr_vm addr;
	bool conn_from_host;
	int sndbuf, rcvbuf;
	int ret;

	if_type = &chan->offermsg.offer.if_type;
	if_instance = &chan->offermsg.offer.if_instance;
	conn_from_host = chan->offermsg.offer.u.pipe.user_def[0];
	if (!hvs_srv_id_valid(hvs_guid_bytes(if_type))) {
		hvs_count(HVS_STAT_OFFER_BAD_SERVICE_ID);
		return;
	}

	hvs_addr_init(&addr, conn_from_host ? if_type : if_instance);
	sk = vsock_find_bound_socket(&addr);
	if (!sk) {
		hvs_count(HVS_STAT_OFFER_NO_SOCKET);
		return;
	}

	lock_sock(sk);
	if ((conn_from_host && sk->sk_state != VT_SK_LISTEN) ||
	    (!conn_from_host && sk->sk_state != VT_SK_SYN_SENT))
		goto out;

	/*
	 * The lookup is by port only: a connecting socket of another
	 * transport (virtio, loopback) can match.  Its ->trans is not a
	 * struct hvsock; leave it alone.  (Listeners have no transport yet;
	 * the child gets ours below.)
	 */
	if (!conn_from_host && !hvs_check_transport(vsock_sk(sk)))
		goto out;

	if (conn_from_host) {
		if (sk_acceptq_is_full(sk))
			goto out;

		new = vt_create_connected(sk);
		if (!new)
			goto out;

		new->sk_state = VT_SK_SYN_SENT;
		vnew = vsock_sk(new);
		hvs_addr_init(&vnew->local_addr, if_type);
		/* The peer is always the host. */
		vsock_addr_init(&vnew->remote_addr, VMADDR_CID_HOST,
				hvs_srv_id_port(hvs_guid_bytes(if_instance)));
		if (hvs_assign_transport(vnew, vsock_sk(sk))) {
			sock_put(new);
			goto out;
		}
		hvs_new = vnew->trans;
		hvs_new->chan = chan;
	} else {
		hvs = vsock_sk(sk)->trans;
		hvs->chan = chan;
	}

	set_channel_read_mode(chan, HV_CALL_DIRECT);

	sndbuf = hvs_ring_size(vt_hv_large_rings(), sk->sk_sndbuf,
			       RINGBUFFER_HVS_SND_SIZE, RINGBUFFER_HVS_MAX_SIZE,
			       sizeof(struct hv_ring_buffer), PAGE_SIZE);
	rcvbuf = hvs_ring_size(vt_hv_large_rings(), sk->sk_rcvbuf,
			       RINGBUFFER_HVS_RCV_SIZE, RINGBUFFER_HVS_MAX_SIZE,
			       sizeof(struct hv_ring_buffer), PAGE_SIZE);

	vt_hv_set_max_pkt_size(chan, HVS_MAX_PKT_SIZE);

	owner = conn_from_host ? new : sk;
	ret = vmbus_open(chan, sndbuf, rcvbuf, NULL, 0, hvs_channel_cb, owner);
	if (ret) {
		if (conn_from_host) {
			hvs_new->chan = NULL;
			sock_put(new);
		} else {
			hvs->chan = NULL;
		}
		goto out;
	}

	set_per_channel_state(chan, owner);

	/* Dropped by hvs_close_connection(). */
	sock_hold(owner);
	vmbus_set_chn_rescind_callback(chan, hvs_close_connection);

	hvs_set_channel_pending_send_size(chan);

	if (conn_from_host) {
		new->sk_state = VT_SK_ESTABLISHED;
		vt_acceptq_added(sk);

		hvs_new->vm_srv_id = *if_type;
		hvs_new->host_srv_id = *if_instance;

		vsock_insert_connected(vnew);
		vsock_enqueue_accept(sk, new);
	} else {
		sk->sk_state = VT_SK_ESTABLISHED;
		sk->sk_socket->state = SS_CONNECTED;

		vsock_insert_connected(vsock_sk(sk));
	}

	sk->sk_state_change(sk);

out:
	release_sock(sk);
	/* The reference vsock_find_bound_socket() took: after the unlock. */
	sock_put(sk);
}

static u32 hvs_get_local_cid(void)
{
	return VMADDR_CID_ANY;
}

static int hvs_sock_init(struct vsock_sock *vsk, struct vsock_sock *psk)
{
	struct sock *sk = sk_vsock(vsk);
	struct hvsock *hvs;

	hvs = kzalloc(sizeof(*hvs), GFP_KERNEL);
	if (!hvs)
		return -ENOMEM;

	vsk->trans = hvs;
	hvs->vsk = vsk;
	sk->sk_sndbuf = RINGBUFFER_HVS_SND_SIZE;
	sk->sk_rcvbuf = RINGBUFFER_HVS_RCV_SIZE;
	return 0;
}

static int hvs_connect(struct vsock_sock *vsk)
{
	struct hvsock *h = vsk->trans;

	hvs_srv_id_make((u8 *)&h->vm_srv_id, vsk->local_addr.svm_port);
	hvs_srv_id_make((u8 *)&h->host_srv_id, vsk->remote_addr.svm_port);
	return vmbus_send_tl_connect_request(&h->vm_srv_id, &h->host_srv_id);
}

/*
 * Send the FIN once.  The flag is atomic because not every kernel's core
 * holds the socket lock around transport->shutdown (5.11, stable 5.10.19);
 * the ring always has room for it: see hvs_writable_payload().
 */
static void hvs_send_fin(struct hvsock *hvs)
{
	struct vmpipe_proto_header hdr;

	if (!hvs->chan || test_and_set_bit(HVS_FIN_SENT, &hvs->flags))
		return;
	(void)hvs_send_data(hvs->chan, &hdr, 0);
}

static int hvs_shutdown(struct vsock_sock *vsk, int mode)
{
	if (mode & SEND_SHUTDOWN)
		hvs_send_fin(vsk->trans);
	return 0;
}

static int hvs_stats_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < HVS_STAT_MAX; i++)
		seq_printf(m, "%s %ld\n", hvs_stat_names[i],
			   atomic_long_read(&hvs_stats[i]));
	return 0;
}

VT_SHOW_ATTRIBUTE(hvs_stats);

static void hvs_close_timeout(struct work_struct *work)
{
	struct vsock_sock *vsk =
		container_of(work, struct vsock_sock, close_work.work);
	struct sock *sk = sk_vsock(vsk);

	sock_hold(sk);
	lock_sock(sk);
	if (!sock_flag(sk, SOCK_DONE)) {
		hvs_count(HVS_STAT_CLOSE_TIMEOUT);
		hvs_do_close_lock_held(vsk, false);
	}

	vsk->close_work_scheduled = false;
	release_sock(sk);
	sock_put(sk);
}

/* Returns true when the socket can be removed now; sk is locked. */
static bool hvs_close_lock_held(struct vsock_sock *vsk)
{
	struct sock *sk = sk_vsock(vsk);

	if (!(sk->sk_state == VT_SK_ESTABLISHED ||
	      sk->sk_state == VT_SK_CLOSING))
		return true;

	if ((sk->sk_shutdown & SHUTDOWN_MASK) != SHUTDOWN_MASK)
		hvs_send_fin(vsk->trans);

	if (sock_flag(sk, SOCK_DONE))
		return true;

	/* Dropped by the close timeout or by hvs_do_close_lock_held(). */
	sock_hold(sk);
	INIT_DELAYED_WORK(&vsk->close_work, hvs_close_timeout);
	vsk->close_work_scheduled = true;
	schedule_delayed_work(&vsk->close_work, HVS_CLOSE_TIMEOUT);
	return false;
}

static void hvs_release(struct vsock_sock *vsk)
{
	bool remove_sock;

#ifdef VT_CORE_LOCKS_RELEASE
	remove_sock = hvs_close_lock_held(vsk);
#else
	struct sock *sk = sk_vsock(vsk);

	lock_sock_nested(sk, SINGLE_DEPTH_NESTING);
	remove_sock = hvs_close_lock_held(vsk);
	release_sock(sk);
#endif
	if (remove_sock)
		vsock_remove_sock(vsk);
}

static void hvs_destruct(struct vsock_sock *vsk)
{
	struct hvsock *hvs = vsk->trans;

	if (!hvs)
		return;
	if (hvs->chan)
		vmbus_hvsock_device_unregister(hvs->chan);

	kfree(hvs);
	/* Never leave a dangling pointer for the core (CVE-2024-53103). */
	vsk->trans = NULL;
}

static int hvs_dgram_bind(struct vsock_sock *vsk, struct sockaddr_vm *addr)
{
	return -EOPNOTSUPP;
}

static int hvs_dgram_dequeue(struct vsock_sock *vsk, struct msghdr *msg,
			     size_t len, int flags)
{
	return -EOPNOTSUPP;
}

static int hvs_dgram_enqueue(struct vsock_sock *vsk,
			     struct sockaddr_vm *remote, struct msghdr *msg,
			     size_t dgram_len)
{
	return -EOPNOTSUPP;
}

VT_DEFINE_ALLOW(hvs_dgram_allow)
{
	return false;
}

/* Take the packet at recv_desc: validate it and note its payload. */
static int hvs_update_recv_data(struct hvsock *hvs)
{
	struct hvs_recv_buf *recv_buf;
	u32 pkt_len, payload_len;
	enum hvs_stat verdict;

	pkt_len = vt_hv_pkt_len(hvs->recv_desc);
	if (pkt_len < HVS_HEADER_LEN) {
		hvs_count(HVS_STAT_RECV_SHORT_PACKET);
		return -EIO;
	}

	recv_buf = (struct hvs_recv_buf *)(hvs->recv_desc + 1);
	payload_len = READ_ONCE(recv_buf->hdr.data_size);
	verdict = hvs_recv_verdict(pkt_len, payload_len);
	if (verdict != HVS_STAT_MAX) {
		hvs_count(verdict);
		return -EIO;
	}

	if (payload_len == 0)
		hvs_set_peer_shutdown(hvs->vsk, SEND_SHUTDOWN);

	hvs->recv_data_len = payload_len;
	hvs->recv_data_off = 0;
	return 0;
}

static ssize_t hvs_stream_dequeue(struct vsock_sock *vsk, struct msghdr *msg,
				  size_t len, int flags)
{
	struct hvsock *hvs = vsk->trans;
	struct hvs_recv_buf *recv_buf;
	u32 to_read;
	int ret;

	if (flags & MSG_PEEK)
		return -EOPNOTSUPP;

	if (!hvs->recv_desc) {
		hvs->recv_desc = hv_pkt_iter_first(hvs->chan);
		if (!hvs->recv_desc)
			return -ENOBUFS;
		ret = hvs_update_recv_data(hvs);
		if (ret)
			return ret;
	}

	recv_buf = (struct hvs_recv_buf *)(hvs->recv_desc + 1);
	to_read = min_t(u32, len, hvs->recv_data_len);
	ret = memcpy_to_msg(msg, recv_buf->data + hvs->recv_data_off, to_read);
	if (ret)
		return ret;

	hvs->recv_data_len -= to_read;
	if (hvs->recv_data_len == 0) {
		hvs->recv_desc = hv_pkt_iter_next(hvs->chan, hvs->recv_desc);
		if (hvs->recv_desc) {
			ret = hvs_update_recv_data(hvs);
			if (ret)
				return ret;
		}
	} else {
		hvs->recv_data_off += to_read;
	}

	return to_read;
}

static ssize_t hvs_stream_enqueue(struct vsock_sock *vsk, struct msghdr *msg,
				  size_t len)
{
	struct hvsock *hvs = vsk->trans;
	struct vmbus_channel *chan = hvs->chan;
	struct hvs_send_buf *send_buf;
	ssize_t to_write, max_writable;
	ssize_t bytes_written = 0;
	ssize_t ret = 0;

	BUILD_BUG_ON(sizeof(*send_buf) != HV_HYP_PAGE_SIZE);

	send_buf = kmalloc(sizeof(*send_buf), GFP_KERNEL);
	if (!send_buf)
		return -ENOMEM;

	while (len) {
		max_writable = hvs_channel_writable_bytes(chan);
		if (!max_writable)
			break;
		to_write = min_t(ssize_t, len, max_writable);
		to_write = min_t(ssize_t, to_write, HVS_SEND_BUF_SIZE);
		ret = memcpy_from_msg(send_buf->data, msg, to_write);
		if (ret < 0)
			break;

		ret = hvs_send_data(chan, &send_buf->hdr, to_write);
		if (ret < 0)
			break;

		bytes_written += to_write;
		len -= to_write;
	}

	if (bytes_written)
		ret = bytes_written;
	kfree(send_buf);
	return ret;
}

/*
 * Bytes readable now (SIOCINQ, poll, recvmsg), 0 at EOF, -EIO when the host
 * sent a malformed packet.  Loading the next packet here is what lets the
 * count be exact.
 */
static s64 hvs_stream_has_data(struct vsock_sock *vsk)
{
	struct hvsock *hvs = vsk->trans;
	int ret;

	if (hvs->recv_data_len > 0)
		return hvs->recv_data_len;

	switch (hvs_readable_kind(hv_get_bytes_to_read(&hvs->chan->inbound))) {
	case 1:
		if (hvs->recv_desc) {
			/*
			 * The held packet was fully read, so it is the FIN
			 * (whose ring space is only released once the
			 * iterator closes) or it failed validation.
			 */
			if (!(READ_ONCE(vsk->peer_shutdown) & SEND_SHUTDOWN))
				return -EIO;
			return 0;
		}
		hvs->recv_desc = hv_pkt_iter_first(hvs->chan);
		if (!hvs->recv_desc)
			return -ENOBUFS;
		ret = hvs_update_recv_data(hvs);
		if (ret)
			return ret;
		return hvs->recv_data_len;
	case 0:
		hvs_set_peer_shutdown(vsk, SEND_SHUTDOWN);
		return 0;
	default:
		return 0;
	}
}

static s64 hvs_stream_has_space(struct vsock_sock *vsk)
{
	struct hvsock *hvs = vsk->trans;

	return hvs_channel_writable_bytes(hvs->chan);
}

static u64 hvs_stream_rcvhiwat(struct vsock_sock *vsk)
{
	return HVS_MTU_SIZE + 1;
}

static bool hvs_stream_is_active(struct vsock_sock *vsk)
{
	struct hvsock *hvs = vsk->trans;

	return hvs->chan;
}

VT_DEFINE_ALLOW(hvs_stream_allow)
{
	/* A guest transport: only the host, only from "global" namespaces. */
	return vt_vsk_net_global(vsk) && cid == VMADDR_CID_HOST;
}

static int hvs_notify_poll_in(struct vsock_sock *vsk, size_t target,
			      bool *readable)
{
	struct hvsock *hvs = vsk->trans;

	*readable = hvs_channel_readable(hvs->chan);
	return 0;
}

static int hvs_notify_poll_out(struct vsock_sock *vsk, size_t target,
			       bool *writable)
{
	*writable = hvs_stream_has_space(vsk) > 0;
	return 0;
}

static int hvs_notify_recv_init(struct vsock_sock *vsk, size_t target,
				struct vsock_transport_recv_notify_data *d)
{
	return 0;
}

static int hvs_notify_recv_pre_block(struct vsock_sock *vsk, size_t target,
				     struct vsock_transport_recv_notify_data *d)
{
	return 0;
}

static int hvs_notify_recv_pre_dequeue(struct vsock_sock *vsk, size_t target,
				       struct vsock_transport_recv_notify_data *d)
{
	return 0;
}

static int hvs_notify_recv_post_dequeue(struct vsock_sock *vsk, size_t target,
					ssize_t copied, bool data_read,
					struct vsock_transport_recv_notify_data *d)
{
	return 0;
}

static int hvs_notify_send_init(struct vsock_sock *vsk,
				struct vsock_transport_send_notify_data *d)
{
	return 0;
}

static int hvs_notify_send_pre_block(struct vsock_sock *vsk,
				     struct vsock_transport_send_notify_data *d)
{
	return 0;
}

static int hvs_notify_send_pre_enqueue(struct vsock_sock *vsk,
				       struct vsock_transport_send_notify_data *d)
{
	return 0;
}

static int hvs_notify_send_post_enqueue(struct vsock_sock *vsk, ssize_t written,
					struct vsock_transport_send_notify_data *d)
{
	return 0;
}

static struct vsock_transport hvs_transport = {
	VT_TRANSPORT_OWNER

	.get_local_cid            = hvs_get_local_cid,

	.init                     = hvs_sock_init,
	.destruct                 = hvs_destruct,
	.release                  = hvs_release,
	.connect                  = hvs_connect,
	.shutdown                 = hvs_shutdown,

	.dgram_bind               = hvs_dgram_bind,
	.dgram_dequeue            = hvs_dgram_dequeue,
	.dgram_enqueue            = hvs_dgram_enqueue,
	.dgram_allow              = hvs_dgram_allow,

	.stream_dequeue           = hvs_stream_dequeue,
	.stream_enqueue           = hvs_stream_enqueue,
	.stream_has_data          = hvs_stream_has_data,
	.stream_has_space         = hvs_stream_has_space,
	.stream_rcvhiwat          = hvs_stream_rcvhiwat,
	.stream_is_active         = hvs_stream_is_active,
	.stream_allow             = hvs_stream_allow,

	.notify_poll_in           = hvs_notify_poll_in,
	.notify_poll_out          = hvs_notify_poll_out,
	.notify_recv_init         = hvs_notify_recv_init,
	.notify_recv_pre_block    = hvs_notify_recv_pre_block,
	.notify_recv_pre_dequeue  = hvs_notify_recv_pre_dequeue,
	.notify_recv_post_dequeue = hvs_notify_recv_post_dequeue,
	.notify_send_init         = hvs_notify_send_init,
	.notify_send_pre_block    = hvs_notify_send_pre_block,
	.notify_send_pre_enqueue  = hvs_notify_send_pre_enqueue,
	.notify_send_post_enqueue = hvs_notify_send_post_enqueue,

	VT_FIXED_BUFFER_SIZE_OPS
	VT_REFUSE_RCVLOWAT_OP
};

static int hvs_probe(struct hv_device *hdev,
		     const struct hv_vmbus_device_id *dev_id)
{
	/*
	 * Always succeed: on failure the host rescinds the offer after 30 s
	 * and vmbus_onoffer_rescind() cleans up.
	 */
	hvs_open_connection(hdev->channel);
	return 0;
}

static VT_HV_REMOVE_RET hvs_remove(struct hv_device *hdev)
{
	vmbus_close(hdev->channel);
	return VT_HV_REMOVE_VAL;
}

/* Not used for matching: vmbus matches hv_sock channels by .hvsock. */
static const struct hv_vmbus_device_id id_table[] = {
	{},
};

static struct hv_driver hvs_drv = {
	.name		= "hv_sock",
	.hvsock		= true,
	.id_table	= id_table,
	.probe		= hvs_probe,
	.remove		= hvs_remove,
	VT_HV_PM_OPS
};

static int __init hvs_init(void)
{
	int ret;

	if (vmbus_proto_version < VERSION_WIN10)
		return -ENODEV;

	ret = vmbus_driver_register(&hvs_drv);
	if (ret)
		return ret;

	ret = vt_core_register(&hvs_transport, VSOCK_TRANSPORT_F_G2H);
	if (ret) {
		vmbus_driver_unregister(&hvs_drv);
		return ret;
	}

	/* Counters are a help, not a need: no debugfs is no error. */
	hvs_debugfs_dir = debugfs_create_dir("hv_sock", NULL);
	if (!IS_ERR_OR_NULL(hvs_debugfs_dir))
		debugfs_create_file("stats", 0444, hvs_debugfs_dir, NULL,
				    &hvs_stats_fops);
	return 0;
}

static void __exit hvs_exit(void)
{
	debugfs_remove_recursive(hvs_debugfs_dir);
	vt_core_unregister(&hvs_transport);
	vmbus_driver_unregister(&hvs_drv);
}

module_init(hvs_init);
module_exit(hvs_exit);

MODULE_DESCRIPTION("Hyper-V Sockets (vsock-transports)");
MODULE_VERSION(VT_VERSION);
MODULE_LICENSE("GPL");
MODULE_ALIAS_NETPROTO(PF_VSOCK);
