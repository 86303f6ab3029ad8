// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-transport vsock core: vsock_core_register(t, features) with
 * VSOCK_TRANSPORT_F_G2H/H2G and vsock_transport.module replace vsock_core_init().
 * Upstream "vsock: add multi-transports support", v5.5.
 */
static struct vsock_transport vt_probe_t = { .module = THIS_MODULE };
int vt_probe(void);
int vt_probe(void) { return vsock_core_register(&vt_probe_t, VSOCK_TRANSPORT_F_G2H); }
