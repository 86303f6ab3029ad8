// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of scripts/probe.sh: a second probe calling the function
 * have_selftest_no calls.  Compiled together, GCC reports the implicit
 * declaration only once: this probe must fail all the same.
 */
int vt_probe(struct sock *sk);
int vt_probe(struct sock *sk) { return vt_no_such_function(sk) + 1; }
