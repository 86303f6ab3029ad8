// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.read_skb for sockmap/BPF.
 * Upstream "vsock: add support for sockmap" (read_skb), v6.4.
 */
static int vt_probe_f(struct vsock_sock *v, skb_read_actor_t a) { return 0; }
static struct vsock_transport vt_probe_t = { .read_skb = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
