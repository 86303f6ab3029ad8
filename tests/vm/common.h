/* SPDX-License-Identifier: GPL-2.0 */
/* What fakeguest.c and vsock-test.c share: the data pattern and checksum. */
#ifndef VT_TEST_COMMON_H
#define VT_TEST_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a over @n bytes, continuing from @h (start with 2166136261). */
static inline uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* The byte at offset @i of every test stream. */
static inline unsigned char pattern(uint64_t i)
{
	return (unsigned char)(i * 7 + (i >> 8) * 13);
}

#endif
