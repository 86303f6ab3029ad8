// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_sock.transport: each socket names the transport serving it, and the
 * core's socket walk may hand a transport the sockets of others.
 * Upstream "vsock: add 'transport' member in the struct vsock_sock", v5.5.
 */
const struct vsock_transport *vt_probe(struct vsock_sock *v);
const struct vsock_transport *vt_probe(struct vsock_sock *v) { return v->transport; }
