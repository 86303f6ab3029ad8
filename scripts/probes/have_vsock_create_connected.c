// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_create_connected(parent) replaces __vsock_create().
 * Upstream "vsock: add vsock_create_connected() called by transports", v5.5.
 */
struct sock *vt_probe(struct sock *p);
struct sock *vt_probe(struct sock *p) { return vsock_create_connected(p); }
