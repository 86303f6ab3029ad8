/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: struct iovec from the uapi header, iov_iter from vt_shim.h. */
#ifndef VT_SHIM_UIO_H
#define VT_SHIM_UIO_H

#include "../vt_shim.h"
#include_next <linux/uio.h>

static inline size_t iov_length(const struct iovec *iov, unsigned long nr_segs)
{
	size_t ret = 0;
	unsigned long seg;

	for (seg = 0; seg < nr_segs; seg++)
		ret += iov[seg].iov_len;
	return ret;
}

#endif
