/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: the uapi feature bits, and the byte order helpers. */
#ifndef VT_SHIM_VIRTIO_CONFIG_H
#define VT_SHIM_VIRTIO_CONFIG_H

#include "../vt_shim.h"
#include_next <linux/virtio_config.h>
#include <linux/virtio_byteorder.h>

#endif
