// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_assign_transport(vsk, psk): the core picks a transport per socket.
 * Upstream "vsock: add multi-transports support", v5.5.
 */
int vt_probe(struct vsock_sock *v);
int vt_probe(struct vsock_sock *v) { return vsock_assign_transport(v, NULL); }
