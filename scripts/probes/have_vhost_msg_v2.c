// SPDX-License-Identifier: GPL-2.0
/*
 * struct vhost_msg_v2 and VHOST_IOTLB_MSG_V2 in the uapi: IOTLB messages
 * without the 64-bit alignment hole (and, later, an address space id).
 * Upstream "vhost: introduce V2 IOTLB message format", v4.19/v5.0.
 */
#include <linux/vhost.h>
unsigned long vt_probe(struct vhost_msg_v2 *m);
unsigned long vt_probe(struct vhost_msg_v2 *m) { return m->iotlb.iova + VHOST_IOTLB_MSG_V2; }
