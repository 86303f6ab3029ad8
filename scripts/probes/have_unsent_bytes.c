// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.unsent_bytes for SIOCOUTQ.
 * Upstream "vsock: add support for SIOCOUTQ ioctl", v6.10.
 */
static ssize_t vt_probe_f(struct vsock_sock *v) { return 0; }
static struct vsock_transport vt_probe_t = { .unsent_bytes = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
