// SPDX-License-Identifier: GPL-2.0
/*
 * SOCK_SEQPACKET in the vsock core: seqpacket_enqueue/dequeue/allow/has_data
 * (the prototype of seqpacket_allow changed later: have_seqpacket_allow_vsk).
 * Upstream "af_vsock: SOCK_SEQPACKET support" series, v5.14.
 */
static u32 vt_probe_f(struct vsock_sock *vsk) { return 0; }
static struct vsock_transport vt_probe_t = { .seqpacket_has_data = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
