// SPDX-License-Identifier: GPL-2.0
/*
 * SOCK_SEQPACKET in the vsock core: seqpacket_enqueue/dequeue/allow/has_data
 * (the prototype of seqpacket_allow changed later: have_seqpacket_allow_vsk).
 * Upstream "af_vsock: SOCK_SEQPACKET support" series, v5.14.
 */
static u32 f(struct vsock_sock *vsk) { return 0; }
static struct vsock_transport t = { .seqpacket_has_data = f };
void *vt_probe(void);
void *vt_probe(void) { return &t; }
