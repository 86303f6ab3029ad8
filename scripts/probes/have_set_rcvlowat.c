// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.set_rcvlowat: a transport may refuse SO_RCVLOWAT.
 * Upstream "vsock: SO_RCVLOWAT transport set callback" together with
 * "hv_sock: disable SO_RCVLOWAT support", v6.0 (absent in 5.15.135, present
 * in 6.1); renamed notify_set_rcvlowat in v6.8 (RHEL 9 has the new name).
 */
static int vt_probe_f(struct vsock_sock *v, int val) { return 0; }
static struct vsock_transport vt_probe_t = { .set_rcvlowat = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
