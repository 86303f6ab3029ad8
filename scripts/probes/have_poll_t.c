// SPDX-License-Identifier: GPL-2.0
/*
 * __poll_t, the type of poll masks and of file_operations.poll's result.
 * Upstream "introduce __poll_t and some helpers" / "annotate ->poll()
 * instances", v4.15/v4.16; unsigned int before.
 */
static __poll_t vt_probe_f(struct file *file, poll_table *wait) { return 0; }
static const struct file_operations vt_probe_fops = { .poll = vt_probe_f };
const void *vt_probe(void);
const void *vt_probe(void) { return &vt_probe_fops; }
