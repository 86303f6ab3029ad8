// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.set_rcvlowat: a transport may refuse SO_RCVLOWAT.
 * Upstream "vsock: add set_rcvlowat callback" / "hv_sock: disable SO_RCVLOWAT support",
 * v5.12; renamed notify_set_rcvlowat in v6.8.
 */
static int f(struct vsock_sock *v, int val) { return 0; }
static struct vsock_transport t = { .set_rcvlowat = f };
void *vt_probe(void);
void *vt_probe(void) { return &t; }
