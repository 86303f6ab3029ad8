// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd_signal(ctx) lost its count argument.
 * Upstream "eventfd: simplify eventfd_signal()", v6.8.
 */
void vt_probe(struct eventfd_ctx *c);
void vt_probe(struct eventfd_ctx *c) { eventfd_signal(c); }
