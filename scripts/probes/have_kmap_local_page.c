// SPDX-License-Identifier: GPL-2.0
/*
 * kmap_local_page()/kunmap_local(): thread-local mappings replace
 * kmap_atomic(), which checkpatch now flags as deprecated.
 * Upstream "mm/highmem: Provide kmap_local*", v5.11.
 */
#include <linux/highmem.h>
void vt_probe(struct page *p);
void vt_probe(struct page *p) { kunmap_local(kmap_local_page(p)); }
