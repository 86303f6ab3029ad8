// SPDX-License-Identifier: GPL-2.0
/*
 * vfs_poll(file, pt): poll a file through its file_operations.
 * Upstream "fs: add new vfs_poll and file_can_poll helpers", v4.18.
 */
#include <linux/poll.h>
__poll_t vt_probe(struct file *f, poll_table *pt);
__poll_t vt_probe(struct file *f, poll_table *pt) { return vfs_poll(f, pt); }
