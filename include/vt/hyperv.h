/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V (vmbus) API drift for hv_sock.  Never include asm/hyperv-tlfs.h:
 * it is gone on x86 in 7.x; <linux/hyperv.h> brings HV_HYP_PAGE_SIZE where
 * the kernel has it.
 */
#ifndef VT_HYPERV_H
#define VT_HYPERV_H

#include <vt/compat.h>
#include <linux/hyperv.h>

#ifndef HV_HYP_PAGE_SIZE
#define HV_HYP_PAGE_SIZE 4096
#endif

/* Offers and connect requests use guid_t (uuid_le before 4.20/5.0). */
#ifdef VT_HAVE_VMBUS_GUID
#define vt_guid_t guid_t
#define VT_GUID_INIT GUID_INIT
#else
#define vt_guid_t uuid_le
#define VT_GUID_INIT UUID_LE
#endif

/* The length of a vmbus packet, header included (hv_pkt_len, 5.12). */
static inline u32 vt_hv_pkt_len(const struct vmpacket_descriptor *desc)
{
#ifdef VT_HAVE_HV_PKT_LEN
	return hv_pkt_len(desc);
#else
	return (u32)desc->len8 << 3;
#endif
}

/*
 * Ask vmbus to copy each packet out of the ring before we validate it, so
 * a malicious host cannot change it afterwards (5.12).  Older kernels read
 * in place; the lengths are validated all the same.
 */
static inline void vt_hv_set_max_pkt_size(struct vmbus_channel *chan, u32 sz)
{
#ifdef VT_HAVE_CHAN_MAX_PKT_SIZE
	chan->max_pkt_size = sz;
#endif
}

/* Larger rings need the WIN10_V5 vmbus protocol. */
static inline bool vt_hv_large_rings(void)
{
#ifdef VT_HAVE_VERSION_WIN10_V5
	return vmbus_proto_version >= VERSION_WIN10_V5;
#else
	return false;
#endif
}

/* hv_driver.remove returns void since 6.3. */
#ifdef VT_HAVE_HV_REMOVE_VOID
#define VT_HV_REMOVE_RET void
#define VT_HV_REMOVE_VAL
#else
#define VT_HV_REMOVE_RET int
#define VT_HV_REMOVE_VAL 0
#endif

/* Hibernation callbacks (5.5): nothing to save, vmbus rescinds channels. */
#ifdef VT_HAVE_HV_SUSPEND
static inline int vt_hv_pm_nop(struct hv_device *hdev)
{
	return 0;
}

#define VT_HV_PM_OPS .suspend = vt_hv_pm_nop, .resume = vt_hv_pm_nop,
#else
#define VT_HV_PM_OPS
#endif

#endif /* VT_HYPERV_H */
