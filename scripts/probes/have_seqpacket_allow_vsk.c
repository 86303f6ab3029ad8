// SPDX-License-Identifier: GPL-2.0
/*
 * seqpacket_allow(vsk, remote_cid) takes the socket (netns series).
 * Upstream vsock netns series, v7.x.
 */
static bool vt_probe_f(struct vsock_sock *v, u32 cid) { return false; }
static struct vsock_transport vt_probe_t = { .seqpacket_allow = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
