// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.unsent_bytes for SIOCOUTQ.
 * Upstream "vsock: add support for SIOCOUTQ ioctl", v6.10.
 */
static ssize_t f(struct vsock_sock *v) { return 0; }
static struct vsock_transport t = { .unsent_bytes = f };
void *vt_probe(void);
void *vt_probe(void) { return &t; }
