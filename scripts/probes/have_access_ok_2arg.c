// SPDX-License-Identifier: GPL-2.0
/*
 * access_ok(addr, size) lost its VERIFY_READ/VERIFY_WRITE argument.
 * Upstream "make 'user_access_begin()' do 'access_ok()'" series
 * ("Remove 'type' argument from access_ok() function"), v5.0.
 */
#include <linux/uaccess.h>
bool vt_probe(const void __user *p);
bool vt_probe(const void __user *p) { return access_ok(p, 1); }
