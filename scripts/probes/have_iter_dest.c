// SPDX-License-Identifier: GPL-2.0
/*
 * ITER_DEST/ITER_SOURCE name iov_iter directions (READ/WRITE before).
 * Upstream "iov_iter: saner checks for attempt to copy to/from iterator", v6.2,
 * stable 6.1.11.
 */
int vt_probe(void);
int vt_probe(void) { return ITER_DEST + ITER_SOURCE; }
