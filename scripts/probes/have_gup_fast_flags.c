// SPDX-License-Identifier: GPL-2.0
/*
 * get_user_pages_fast() takes gup_flags (before: int write).
 * Upstream "mm/gup: change GUP fast to use flags rather than a write bool", v5.2.
 */
int vt_probe(unsigned long a, struct page **p);
int vt_probe(unsigned long a, struct page **p) { return get_user_pages_fast(a, 1, FOLL_WRITE, p); }
