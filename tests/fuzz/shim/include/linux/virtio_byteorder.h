/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: virtio byte order (legacy devices use the guest's, here LE). */
#ifndef VT_SHIM_VIRTIO_BYTEORDER_H
#define VT_SHIM_VIRTIO_BYTEORDER_H

#include "../vt_shim.h"
#include <linux/virtio_types.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the fuzz shim assumes a little-endian host"
#endif

static inline bool virtio_legacy_is_little_endian(void)
{
	return true;
}

static inline u16 __virtio16_to_cpu(bool little_endian, __virtio16 val)
{
	return little_endian ? (__force u16)val : __builtin_bswap16((__force u16)val);
}

static inline __virtio16 __cpu_to_virtio16(bool little_endian, u16 val)
{
	return (__force __virtio16)(little_endian ? val : __builtin_bswap16(val));
}

static inline u32 __virtio32_to_cpu(bool little_endian, __virtio32 val)
{
	return little_endian ? (__force u32)val : __builtin_bswap32((__force u32)val);
}

static inline __virtio32 __cpu_to_virtio32(bool little_endian, u32 val)
{
	return (__force __virtio32)(little_endian ? val : __builtin_bswap32(val));
}

static inline u64 __virtio64_to_cpu(bool little_endian, __virtio64 val)
{
	return little_endian ? (__force u64)val : __builtin_bswap64((__force u64)val);
}

static inline __virtio64 __cpu_to_virtio64(bool little_endian, u64 val)
{
	return (__force __virtio64)(little_endian ? val : __builtin_bswap64(val));
}

#endif
