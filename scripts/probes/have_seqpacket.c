// SPDX-License-Identifier: GPL-2.0
/*
 * SOCK_SEQPACKET in the vsock core: seqpacket_enqueue/dequeue/allow/has_data.
 * Upstream "af_vsock: SOCK_SEQPACKET support" series, v5.14.
 */
static bool f(u32 cid) { return false; }
static struct vsock_transport t = { .seqpacket_allow = f };
void *vt_probe(void);
void *vt_probe(void) { return &t; }
