// SPDX-License-Identifier: GPL-2.0
/*
 * pin_user_pages_fast()/unpin_user_pages_dirty_lock() for pages the kernel
 * writes (the dirty log bitmap).
 * Upstream "mm/gup: introduce pin_user_pages*() and FOLL_PIN" and
 * "mm: rename put_user_page*() to unpin_user_page*()", v5.6.
 */
void vt_probe(unsigned long a, struct page **p);
void vt_probe(unsigned long a, struct page **p)
{
	if (pin_user_pages_fast(a, 1, FOLL_WRITE, p) == 1)
		unpin_user_pages_dirty_lock(p, 1, true);
}
