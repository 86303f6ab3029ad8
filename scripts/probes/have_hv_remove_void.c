// SPDX-License-Identifier: GPL-2.0
/*
 * hv_driver.remove returns void.
 * Upstream "Drivers: hv: Make remove callback of hyperv driver void returned", v6.3.
 */
static void vt_probe_f(struct hv_device *d) { }
static struct hv_driver vt_probe_t = { .remove = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
