// SPDX-License-Identifier: GPL-2.0
/*
 * kvcalloc(n, size, flags): a zeroed kvmalloc'ed array.
 * Upstream "mm: introduce kvcalloc()", v4.18 (kvmalloc_array since v4.12).
 */
#include <linux/mm.h>
void *vt_probe(size_t n);
void *vt_probe(size_t n) { return kvcalloc(n, 8, GFP_KERNEL); }
