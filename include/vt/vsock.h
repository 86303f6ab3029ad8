/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsock core API drift: registration, the *_allow() prototypes, accept
 * queue accounting, socket walks.  Semantic changes no compile can see are
 * documented where they are handled.
 */
#ifndef VT_VSOCK_H
#define VT_VSOCK_H

#include <vt/compat.h>
#include <net/af_vsock.h>

/*
 * Registration.  Since 5.5 a transport registers with its role (G2H or H2G)
 * and names its module; before, the core took exactly one transport through
 * vsock_core_init()/vsock_core_exit().
 */
#ifdef VT_HAVE_VSOCK_CORE_REGISTER
#define VT_TRANSPORT_OWNER .module = THIS_MODULE,
static inline int vt_core_register(const struct vsock_transport *t, int f)
{
	return vsock_core_register(t, f);
}

static inline void vt_core_unregister(const struct vsock_transport *t)
{
	vsock_core_unregister(t);
}
#else
#define VT_TRANSPORT_OWNER
#define VSOCK_TRANSPORT_F_H2G 0x00000001
#define VSOCK_TRANSPORT_F_G2H 0x00000002
static inline int vt_core_register(const struct vsock_transport *t, int f)
{
	return vsock_core_init(t);
}

static inline void vt_core_unregister(const struct vsock_transport *t)
{
	vsock_core_exit();
}
#endif

/*
 * sk_state of vsock sockets: TCP states since 4.15, socket states before
 * (with VSOCK_SS_LISTEN for listeners).
 */
#ifdef VT_HAVE_VSOCK_SS_STATES
#define VT_SK_LISTEN VSOCK_SS_LISTEN
#define VT_SK_SYN_SENT SS_CONNECTING
#define VT_SK_ESTABLISHED SS_CONNECTED
#define VT_SK_CLOSING SS_DISCONNECTING
#else
#define VT_SK_LISTEN TCP_LISTEN
#define VT_SK_SYN_SENT TCP_SYN_SENT
#define VT_SK_ESTABLISHED TCP_ESTABLISHED
#define VT_SK_CLOSING TCP_CLOSING
#endif

/*
 * Who locks the socket around transport->release()?  Since the 5.6 fix
 * "vsock: fix potential deadlock in transport->release()" the core holds
 * lock_sock; before, each transport took it.  No compile sees that: the
 * multi-transport core (5.5) is the proxy, so 5.5.0 up to that fix is the
 * one window handled as "core locks" although it did not.
 */
#ifdef VT_HAVE_VSOCK_CORE_REGISTER
#define VT_CORE_LOCKS_RELEASE 1
#endif

/*
 * stream_allow/dgram_allow/seqpacket_allow gained the socket (7.x netns).
 * Transports write one function taking the socket; on older kernels a
 * shim with the old prototype calls it with vsk == NULL.
 */
#ifdef VT_HAVE_ALLOW_VSK
#define VT_DEFINE_ALLOW(name)						\
	static bool name(struct vsock_sock *vsk, u32 cid, u32 port)
#else
#define VT_DEFINE_ALLOW(name)						\
	static bool name##_vsk(struct vsock_sock *vsk, u32 cid, u32 port); \
	static bool name(u32 cid, u32 port)				\
	{								\
		return name##_vsk(NULL, cid, port);			\
	}								\
	static bool name##_vsk(struct vsock_sock *vsk, u32 cid, u32 port)
#endif

#ifdef VT_HAVE_SEQPACKET_ALLOW_VSK
#define VT_DEFINE_SEQPACKET_ALLOW(name)					\
	static bool __maybe_unused name(struct vsock_sock *vsk, u32 remote_cid)
#else
#define VT_DEFINE_SEQPACKET_ALLOW(name)					\
	static bool name##_vsk(struct vsock_sock *vsk, u32 remote_cid);	\
	static bool __maybe_unused name(u32 remote_cid)			\
	{								\
		return name##_vsk(NULL, remote_cid);			\
	}								\
	static bool name##_vsk(struct vsock_sock *vsk, u32 remote_cid)
#endif

/*
 * Accept queue accounting.  Since 7.2 (stable 6.1.190) vsock_add_pending()
 * and vsock_enqueue_accept() call sk_acceptq_added() themselves and a
 * transport must not; before, the transport did.  The proxy is
 * vsock_pending_to_accept(), from the same series.
 */
static inline void vt_acceptq_added(struct sock *listener)
{
#ifndef VT_HAVE_VSOCK_PENDING_TO_ACCEPT
	sk_acceptq_added(listener);
#endif
}

/* A child socket for an incoming connection (vsock_create_connected, 5.5). */
static inline struct sock *vt_create_connected(struct sock *parent)
{
#ifdef VT_HAVE_VSOCK_CREATE_CONNECTED
	return vsock_create_connected(parent);
#else
	return __vsock_create(sock_net(parent), NULL, parent, GFP_KERNEL,
			      parent->sk_type, 0);
#endif
}

/* Walk the sockets of one transport (2 args since 5.18, stable 5.10.113). */
#ifdef VT_HAVE_FOR_EACH_CONNECTED_2ARG
#define vt_for_each_connected_socket(t, fn) vsock_for_each_connected_socket(t, fn)
#else
#define vt_for_each_connected_socket(t, fn) vsock_for_each_connected_socket(fn)
#endif

/*
 * Transports with fixed buffers: before 5.5 every transport implemented six
 * buffer size operations; since then the core owns the sockopts and calls
 * notify_buffer_size (optional).
 */
#ifdef VT_HAVE_NOTIFY_BUFFER_SIZE
#define VT_FIXED_BUFFER_SIZE_OPS
#else
static inline void vt_buffer_size_set_nop(struct vsock_sock *vsk, u64 val)
{
}

static inline u64 vt_buffer_size_get_zero(struct vsock_sock *vsk)
{
	return 0;
}

#define VT_FIXED_BUFFER_SIZE_OPS					\
	.set_buffer_size = vt_buffer_size_set_nop,			\
	.set_min_buffer_size = vt_buffer_size_set_nop,			\
	.set_max_buffer_size = vt_buffer_size_set_nop,			\
	.get_buffer_size = vt_buffer_size_get_zero,			\
	.get_min_buffer_size = vt_buffer_size_get_zero,			\
	.get_max_buffer_size = vt_buffer_size_get_zero,
#endif

/*
 * Refuse SO_RCVLOWAT: notify_set_rcvlowat since 6.8, set_rcvlowat before
 * (5.12); older cores have no hook and accept it.
 */
static inline int vt_refuse_rcvlowat(struct vsock_sock *vsk, int val)
{
	return -EOPNOTSUPP;
}

#if defined(VT_HAVE_NOTIFY_SET_RCVLOWAT)
#define VT_REFUSE_RCVLOWAT_OP .notify_set_rcvlowat = vt_refuse_rcvlowat,
#elif defined(VT_HAVE_SET_RCVLOWAT)
#define VT_REFUSE_RCVLOWAT_OP .set_rcvlowat = vt_refuse_rcvlowat,
#else
#define VT_REFUSE_RCVLOWAT_OP
#endif

/* A G2H transport serves only sockets of namespaces in "global" mode (7.x). */
static inline bool vt_vsk_net_global(struct vsock_sock *vsk)
{
#ifdef VT_HAVE_VSOCK_NET_MODE
	return !vsk || vsock_net_mode_global(vsk);
#else
	return true;
#endif
}

#endif /* VT_VSOCK_H */
