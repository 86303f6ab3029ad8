// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.notify_set_rcvlowat (was set_rcvlowat): the core
 * sets sk_rcvlowat itself and only notifies the transport.
 * Upstream "vsock: update SO_RCVLOWAT setting callback", v6.8.
 */
static int vt_probe_f(struct vsock_sock *v, int val) { return 0; }
static struct vsock_transport vt_probe_t = { .notify_set_rcvlowat = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
