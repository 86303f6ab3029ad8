// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace vsock modes: vsock_net_mode_global(), vsock_net_check_mode().
 * Upstream vsock netns series, v7.x (absent in 6.12, present in 7.2).
 */
bool vt_probe(struct vsock_sock *v, struct net *a, struct net *b);
bool vt_probe(struct vsock_sock *v, struct net *a, struct net *b)
{ return vsock_net_mode_global(v) && vsock_net_check_mode(a, b); }
