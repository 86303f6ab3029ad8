// SPDX-License-Identifier: GPL-2.0
/*
 * stream_allow/dgram_allow/seqpacket_allow take the vsock_sock first, so a
 * transport can apply the network namespace mode of the socket.
 * Upstream vsock netns series ("vsock: add netns support to virtio transports"), v7.x
 * (absent in 6.12, present in 7.2).
 */
static bool vt_probe_f(struct vsock_sock *v, u32 cid, u32 port) { return false; }
static struct vsock_transport vt_probe_t = { .stream_allow = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
