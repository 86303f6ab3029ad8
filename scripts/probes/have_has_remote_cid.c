// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.has_remote_cid(vsk, cid): H2G routing override.
 * Upstream "vsock: add has_remote_cid transport callback", v7.1.
 */
static bool f(struct vsock_sock *v, u32 cid) { return false; }
static struct vsock_transport t = { .has_remote_cid = f };
void *vt_probe(void);
void *vt_probe(void) { return &t; }
