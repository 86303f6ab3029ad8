// SPDX-License-Identifier: GPL-2.0
/*
 * __poll_t, the type of poll masks and of file_operations.poll's result.
 * Upstream "introduce __poll_t and some helpers" / "annotate ->poll()
 * instances", v4.15/v4.16; unsigned int before.
 */
static __poll_t f(struct file *file, poll_table *wait) { return 0; }
static const struct file_operations fops = { .poll = f };
const void *vt_probe(void);
const void *vt_probe(void) { return &fops; }
