// SPDX-License-Identifier: GPL-2.0
/*
 * pin_user_pages_fast()/unpin_user_page() for pages the kernel writes.
 * Upstream "mm/gup: introduce pin_user_pages*() and FOLL_PIN", v5.6.
 */
int vt_probe(unsigned long a, struct page **p);
int vt_probe(unsigned long a, struct page **p)
{ int r = pin_user_pages_fast(a, 1, FOLL_WRITE, p); unpin_user_page(*p); return r; }
