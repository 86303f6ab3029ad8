// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_rings: the avail and used indices and notifications of
 * src/vtv_vq.c, with and without VIRTIO_RING_F_EVENT_IDX and
 * VIRTIO_F_NOTIFY_ON_EMPTY, against a guest that moves its indices, flags
 * and event indices arbitrarily.  Every descriptor is a valid one-buffer
 * chain, so that what is tested is the ring, not the chain.
 *
 * Checked: no chain is taken twice or skipped, the avail index is never
 * trusted more than num ahead, the used ring and index the guest sees,
 * the used flags and avail event the guest sees, vtv_enable_notify() never
 * misses buffers that arrived (no lost wakeup), and vtv_signal() signals
 * exactly when the guest asked to be (reference of the virtio rules).
 *
 * Input: the configuration block of fdev_setup(), then operations:
 *   0 avail   u16 head          1 idx     u16 (the guest's avail index)
 *   2 take    u8 n, u8 keep (bit k: keep chain k outstanding), u32 len
 *   3 enable  4 disable         5 signal
 *   6 flags   u16 (avail flags) 7 event   u16 (used_event)
 *   8 return  u8 which outstanding chain, u32 len
 *   9 restart u8 how (bit 0: set base u16, bit 1: guest used idx u16)
 *  10 used    u16 (the guest writes its used index)
 */
#include "harness.h"

enum { ST_TAKEN, ST_EMPTY, ST_BADIDX, ST_SIGNALS, ST_SUPPRESSED, ST_RECHECK, ST_RESTARTS };

static u16 outstanding[64];
static unsigned int noutstanding;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init("fuzz_rings");
	vt_stat_name[ST_TAKEN] = "chains";
	vt_stat_name[ST_EMPTY] = "empty";
	vt_stat_name[ST_BADIDX] = "refused";
	vt_stat_name[ST_SIGNALS] = "signals";
	vt_stat_name[ST_SUPPRESSED] = "suppressed";
	vt_stat_name[ST_RECHECK] = "enable_found_more";
	vt_stat_name[ST_RESTARTS] = "restarts";
	return 0;
}

static bool has(int bit)
{
	return F.features & (1ULL << bit);
}

static void fill_descs(void)
{
	unsigned int i;

	for (i = 0; i < VQ->num && i < 1024; i++)
		g_put_desc(i, 0x8000 + (i % 256) * 16, 16, (i & 1) ? VRING_DESC_F_WRITE : 0, 0);
}

static u64 used_event_addr(void)
{
	return F.avail + offsetof(struct vring_avail, ring) + 2ULL * VQ->num;
}

static u64 avail_event_addr(void)
{
	return F.used + offsetof(struct vring_used, ring) + 8ULL * VQ->num;
}

static u16 rd16(u64 addr, bool *ok, u32 access)
{
	__virtio16 v;

	*ok = g_read(addr, &v, 2, access);
	return *ok ? __virtio16_to_cpu(VQ->is_le, v) : 0;
}

/* Does the IOTLB map the two bytes at a ring address onto one host byte? */
static bool self_alias(u64 addr)
{
	return g_alias(addr, 2, addr, 2);
}

static void take(struct vt_in *in)
{
	static struct ref_chain ref;
	unsigned int n = in_u8(in) % 8 + 1, k, out, inn, log_num;
	u8 keep = in_u8(in);
	u32 len = in_u32(in);
	int head;

	for (k = 0; k < n; k++) {
		head = take_and_check(ARRAY_SIZE(VQ->iov), &out, &inn, &log_num, &ref);
		if (head < 0) {
			vt_stat[ST_BADIDX]++;
			return;
		}
		if ((unsigned int)head == VQ->num) {
			vt_stat[ST_EMPTY]++;
			return;
		}
		vt_stat[ST_TAKEN]++;
		if ((keep & (1 << k)) && noutstanding < ARRAY_SIZE(outstanding))
			outstanding[noutstanding++] = head;
		else
			add_used_and_check(head, len);
	}
}

static void give_back(struct vt_in *in)
{
	unsigned int i = in_u8(in);
	u32 len = in_u32(in);

	if (!noutstanding)
		return;
	i %= noutstanding;
	add_used_and_check(outstanding[i], len);
	outstanding[i] = outstanding[--noutstanding];
}

static void enable(void)
{
	bool was_off = VQ->used_flags & VRING_USED_F_NO_NOTIFY;
	u16 cached = VQ->avail_idx, last = VQ->last_avail_idx, v;
	bool written, ok, r;

	/* (A ring write whose dirty log fails counts as failed, as upstream.) */
	if (has(VIRTIO_RING_F_EVENT_IDX))
		written = g_writable(avail_event_addr(), 2) &&
			  used_log_ok(avail_event_addr() - F.used, 2);
	else
		written = g_writable(F.used, 2) && used_log_ok(0, 2);
	mutex_lock(&VQ->mutex);
	r = vtv_enable_notify(VQ);
	mutex_unlock(&VQ->mutex);
	CHECK(!(VQ->used_flags & VRING_USED_F_NO_NOTIFY));
	CHECK(VQ->avail_idx == cached && VQ->last_avail_idx == last);
	if (!was_off) {
		CHECK(!r, "enable when enabled found buffers");
		return;
	}
	if (!written) {
		CHECK(!r, "enable reported buffers after a failed write");
		return;
	}
	/* (What was written reads back unless its two bytes share a host byte.) */
	if (has(VIRTIO_RING_F_EVENT_IDX)) {
		v = rd16(avail_event_addr(), &ok, 0);
		CHECK(ok && (v == cached || self_alias(avail_event_addr())),
		      "avail_event %u, cached avail %u", v, cached);
	} else {
		v = rd16(F.used, &ok, 0);
		CHECK(ok && (!(v & VRING_USED_F_NO_NOTIFY) || self_alias(F.used)),
		      "used flags %#x after enable", v);
	}
	if (cached != last) {
		CHECK(r, "enable missed %u cached buffers", (u16)(cached - last));
	} else {
		v = rd16(F.avail + offsetof(struct vring_avail, idx), &ok, VHOST_ACCESS_RO);
		/* No lost wakeup: what the guest made available is seen. */
		CHECK(r == (ok && v != last), "enable gave %d, guest avail %u%s, last %u",
		      r, v, ok ? "" : " (unreadable)", last);
	}
	if (r)
		vt_stat[ST_RECHECK]++;
}

static void disable(void)
{
	bool was_off = VQ->used_flags & VRING_USED_F_NO_NOTIFY, ok;
	bool written = g_writable(F.used, 2);
	u16 v;

	mutex_lock(&VQ->mutex);
	vtv_disable_notify(VQ);
	mutex_unlock(&VQ->mutex);
	CHECK(VQ->used_flags & VRING_USED_F_NO_NOTIFY);
	if (!was_off && !has(VIRTIO_RING_F_EVENT_IDX) && written) {
		v = rd16(F.used, &ok, 0);
		CHECK(ok && ((v & VRING_USED_F_NO_NOTIFY) || self_alias(F.used)),
		      "used flags %#x after disable", v);
	}
}

/* The virtio rules of when the device must interrupt the driver. */
static void signal(void)
{
	unsigned long before = vt_shim_ctxs[FD_CALL].count;
	bool expect, ok;
	u16 v;

	if (!VQ->call_ctx) {
		expect = false;
	} else if (has(VIRTIO_F_NOTIFY_ON_EMPTY) && VQ->avail_idx == VQ->last_avail_idx) {
		expect = true;
	} else if (!has(VIRTIO_RING_F_EVENT_IDX)) {
		v = rd16(F.avail + offsetof(struct vring_avail, flags), &ok, VHOST_ACCESS_RO);
		expect = !ok || !(v & VRING_AVAIL_F_NO_INTERRUPT);
	} else {
		u16 old = F.sig_old, now = F.used_idx;
		bool valid = F.sig_valid;

		F.sig_old = now;
		F.sig_valid = true;
		v = rd16(used_event_addr(), &ok, VHOST_ACCESS_RO);
		/* Interrupt when the used index went past used_event. */
		expect = !valid || !ok || (u16)(v - old) < (u16)(now - old);
	}
	mutex_lock(&VQ->mutex);
	vtv_signal(VQ);
	mutex_unlock(&VQ->mutex);
	CHECK(vt_shim_ctxs[FD_CALL].count - before == expect,
	      "signalled %lu times, the guest asked for %d (used %u, last signal at %u)",
	      vt_shim_ctxs[FD_CALL].count - before, expect, F.used_idx, F.sig_old);
	vt_stat[expect ? ST_SIGNALS : ST_SUPPRESSED]++;
}

static void restart(struct vt_in *in)
{
	u8 how = in_u8(in);
	u16 base = in_u16(in), used = in_u16(in);
	struct vhost_vring_state s = { .index = 0, .num = base };

	fdev_stop();
	noutstanding = 0;
	if (how & 1) {
		CHECK(!fdev_ioctl(VHOST_SET_VRING_BASE, &s, sizeof(s)));
		CHECK(VQ->last_avail_idx == base && VQ->avail_idx == base);
		F.g_avail_idx = base;
	}
	if (how & 2) {
		__virtio16 v = __cpu_to_virtio16(VQ->is_le, used);

		g_write(F.used + offsetof(struct vring_used, idx), &v, 2);
	}
	fdev_start();
	vt_stat[ST_RESTARTS]++;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vt_in in = { data, size };
	int ops = 0;

	harness_begin();
	noutstanding = 0;
	fdev_setup(&in, 0, 0);
	if (F.started)
		fill_descs();
	while (F.started && !in_empty(&in) && ops++ < 512) {
		switch (in_u8(&in) % 11) {
		case 0:
			g_push_avail(in_u16(&in) & (VQ->num - 1));
			break;
		case 1:
			g_set_avail_idx(in_u16(&in));
			break;
		case 2:
			take(&in);
			break;
		case 3:
			enable();
			break;
		case 4:
			disable();
			break;
		case 5:
			signal();
			break;
		case 6:
			g_set_avail_flags(in_u16(&in));
			break;
		case 7:
			g_set_used_event(in_u16(&in));
			break;
		case 8:
			give_back(&in);
			break;
		case 9:
			restart(&in);
			break;
		case 10: {
			__virtio16 v = __cpu_to_virtio16(VQ->is_le, in_u16(&in));

			g_write(F.used + offsetof(struct vring_used, idx), &v, 2);
			break;
		}
		}
		fdev_check_state();
	}
	harness_end();
	return 0;
}
