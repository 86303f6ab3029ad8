/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of vhost_vsock: vhost_vsock:drop, vhost_vsock:set_cid and
 * vhost_vsock:release, for perf trace / trace-cmd.  The drop reasons are
 * those of the debugfs counters (vhost_vsock_stats.h), by the same names.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vhost_vsock

#if !defined(VHOST_VSOCK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VHOST_VSOCK_TRACE_H

#include <linux/tracepoint.h>
#include "vhost_vsock_stats.h"

TRACE_DEFINE_ENUM(VV_DROP_SHORT_HEADER);
TRACE_DEFINE_ENUM(VV_DROP_LEN_BEYOND_BUFFER);
TRACE_DEFINE_ENUM(VV_DROP_LEN_ABOVE_MAX);
TRACE_DEFINE_ENUM(VV_DROP_WRITABLE_TX_BUFFER);
TRACE_DEFINE_ENUM(VV_DROP_WRONG_SRC_CID);
TRACE_DEFINE_ENUM(VV_DROP_WRONG_DST_CID);
TRACE_DEFINE_ENUM(VV_DROP_BAD_CHAIN);
TRACE_DEFINE_ENUM(VV_DROP_BAD_RX_BUFFER);
TRACE_DEFINE_ENUM(VV_DROP_COPY_FAULT);
TRACE_DEFINE_ENUM(VV_DROP_NOT_RUNNING);
TRACE_DEFINE_ENUM(VV_DROP_NO_DEVICE);

#define vv_show_reason(r)						\
	__print_symbolic(r,						\
			 { VV_DROP_SHORT_HEADER, "short_header" },	\
			 { VV_DROP_LEN_BEYOND_BUFFER, "len_beyond_buffer" },	\
			 { VV_DROP_LEN_ABOVE_MAX, "len_above_max" },	\
			 { VV_DROP_WRITABLE_TX_BUFFER, "writable_tx_buffer" },	\
			 { VV_DROP_WRONG_SRC_CID, "wrong_src_cid" },	\
			 { VV_DROP_WRONG_DST_CID, "wrong_dst_cid" },	\
			 { VV_DROP_BAD_CHAIN, "bad_chain" },		\
			 { VV_DROP_BAD_RX_BUFFER, "bad_rx_buffer" },	\
			 { VV_DROP_COPY_FAULT, "copy_fault" },		\
			 { VV_DROP_NOT_RUNNING, "not_running" },		\
			 { VV_DROP_NO_DEVICE, "no_device" })

TRACE_EVENT(drop,
	    TP_PROTO(u32 cid, int reason),
	    TP_ARGS(cid, reason),
	    TP_STRUCT__entry(__field(u32, cid)
			     __field(int, reason)),
	    TP_fast_assign(__entry->cid = cid;
			   __entry->reason = reason;),
	    TP_printk("cid=%u reason=%s", __entry->cid,
		      vv_show_reason(__entry->reason))
);

TRACE_EVENT(set_cid,
	    TP_PROTO(u32 old_cid, u32 new_cid),
	    TP_ARGS(old_cid, new_cid),
	    TP_STRUCT__entry(__field(u32, old_cid)
			     __field(u32, new_cid)),
	    TP_fast_assign(__entry->old_cid = old_cid;
			   __entry->new_cid = new_cid;),
	    TP_printk("old_cid=%u new_cid=%u", __entry->old_cid,
		      __entry->new_cid)
);

TRACE_EVENT(release,
	    TP_PROTO(u32 cid, u64 tx_packets, u64 rx_packets, u64 drops),
	    TP_ARGS(cid, tx_packets, rx_packets, drops),
	    TP_STRUCT__entry(__field(u32, cid)
			     __field(u64, tx_packets)
			     __field(u64, rx_packets)
			     __field(u64, drops)),
	    TP_fast_assign(__entry->cid = cid;
			   __entry->tx_packets = tx_packets;
			   __entry->rx_packets = rx_packets;
			   __entry->drops = drops;),
	    TP_printk("cid=%u tx_packets=%llu rx_packets=%llu drops=%llu",
		      __entry->cid, __entry->tx_packets, __entry->rx_packets,
		      __entry->drops)
);

#endif /* VHOST_VSOCK_TRACE_H */

/* Out of tree: the header is found through -I$(src), see Kbuild. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vhost_vsock_trace
#include <trace/define_trace.h>
