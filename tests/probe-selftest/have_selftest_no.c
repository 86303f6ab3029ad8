// SPDX-License-Identifier: GPL-2.0
/* Self-test of scripts/probe.sh: a probe that must not compile. */
int vt_probe(struct sock *sk);
int vt_probe(struct sock *sk) { return vt_no_such_function(sk); }
