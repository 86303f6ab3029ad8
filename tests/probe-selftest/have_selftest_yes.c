// SPDX-License-Identifier: GPL-2.0
/* Self-test of scripts/probe.sh: a probe that must compile. */
int vt_probe(struct sock *sk);
int vt_probe(struct sock *sk) { return sk->sk_state; }
