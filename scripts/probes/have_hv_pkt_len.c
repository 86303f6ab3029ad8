// SPDX-License-Identifier: GPL-2.0
/*
 * hv_pkt_len(desc): the validated length of a vmbus packet.
 * Upstream "Drivers: hv: vmbus: add hv_pkt_len() helper" (hv_pkt_iter), v5.12 (as used by hv_sock since 5.19).
 */
u32 vt_probe(const struct vmpacket_descriptor *d);
u32 vt_probe(const struct vmpacket_descriptor *d) { return hv_pkt_len(d); }
