// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_for_each_connected_socket(transport, fn): each transport
 * walks only its own sockets.
 * Upstream "vsock: each transport cycles only on its own sockets", v5.18, stable 5.10.113.
 */
static void vt_probe_f(struct sock *sk) { }
void vt_probe(struct vsock_transport *vt_probe_t);
void vt_probe(struct vsock_transport *vt_probe_t) { vsock_for_each_connected_socket(vt_probe_t, vt_probe_f); }
