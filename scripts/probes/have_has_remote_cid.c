// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_transport.has_remote_cid(vsk, cid): H2G routing override.
 * Upstream "vsock: add has_remote_cid transport callback", v7.1.
 */
static bool vt_probe_f(struct vsock_sock *v, u32 cid) { return false; }
static struct vsock_transport vt_probe_t = { .has_remote_cid = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
