/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters of vhost_vsock, per device, read in debugfs
 * (/sys/kernel/debug/vhost_vsock/<cid>) and named the same in the
 * vhost_vsock:drop tracepoint and in README.md.  "tx" is the guest's TX
 * queue (guest to host), "rx" its RX queue (host to guest).
 */
#ifndef VHOST_VSOCK_STATS_H
#define VHOST_VSOCK_STATS_H

#include <linux/compiler.h>
#include <linux/types.h>

/* Why a packet was dropped; the names are in vhost_vsock_drop_names[]. */
enum vv_drop_reason {
	VV_DROP_SHORT_HEADER,		/* TX buffer shorter than a packet header */
	VV_DROP_LEN_BEYOND_BUFFER,	/* header length beyond its TX buffer */
	VV_DROP_LEN_ABOVE_MAX,		/* TX buffer above 64 KiB plus the header */
	VV_DROP_WRITABLE_TX_BUFFER,	/* device-writable part in a TX chain */
	VV_DROP_WRONG_SRC_CID,		/* source CID is not the guest's */
	VV_DROP_WRONG_DST_CID,		/* destination CID is not the host's */
	VV_DROP_BAD_CHAIN,		/* descriptor chain refused */
	VV_DROP_BAD_RX_BUFFER,		/* RX buffer readable or too small */
	VV_DROP_COPY_FAULT,		/* guest memory faulted in a copy */
	VV_DROP_NOT_RUNNING,		/* to a guest whose RX queue does not run */
	VV_DROP_NO_DEVICE,		/* to a CID no device has */
	VV_DROP_MAX
};

/*
 * Written by the worker only, under the queue's mutex (one writer per
 * queue: no atomics on the data path); read locklessly.
 */
struct vv_queue_stats {
	u64 packets;
	u64 bytes;
	u64 ring_full;			/* no guest buffer for a packet */
	u64 drops[VV_DROP_MAX];
};

static inline void vv_add(u64 *counter, u64 n)
{
	WRITE_ONCE(*counter, *counter + n);
}

#endif /* VHOST_VSOCK_STATS_H */
