// SPDX-License-Identifier: GPL-2.0
/*
 * hv_driver.suspend/.resume for hibernation.
 * Upstream "hv_sock: Add the support of hibernation" / "Drivers: hv: vmbus: Add a
 * dev_pm_ops" series, v5.5.
 */
static int vt_probe_f(struct hv_device *d) { return 0; }
static struct hv_driver vt_probe_t = { .suspend = vt_probe_f, .resume = vt_probe_f };
void *vt_probe(void);
void *vt_probe(void) { return &vt_probe_t; }
