// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_channel.max_pkt_size: vmbus copies packets out of the ring into a
 * private buffer so a malicious host cannot change them after validation.
 * Upstream "Drivers: hv: vmbus: Copy packets sent by Hyper-V out of the ring buffer", v5.12.
 */
void vt_probe(struct vmbus_channel *c);
void vt_probe(struct vmbus_channel *c) { c->max_pkt_size = 1; }
