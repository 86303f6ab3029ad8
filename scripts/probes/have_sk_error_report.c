// SPDX-License-Identifier: GPL-2.0
/*
 * sk_error_report(sk) helper.
 * Upstream "net: Introduce sk_error_report", v5.13.
 */
void vt_probe(struct sock *sk);
void vt_probe(struct sock *sk) { sk_error_report(sk); }
