// SPDX-License-Identifier: GPL-2.0
/*
 * VERSION_WIN10_V5: vmbus protocol that allows larger hv_sock rings.
 * Upstream "hv_sock: Allow the ring buffer size to be configured" era, v5.0.
 */
u32 vt_probe(void);
u32 vt_probe(void) { return VERSION_WIN10_V5; }
