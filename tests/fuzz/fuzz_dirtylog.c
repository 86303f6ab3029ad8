// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_dirtylog: dirty logging for live migration (VHOST_F_LOG_ALL) in
 * src/vtv_vq.c, vtv_log_write() and the used ring's own logging, with and
 * without an IOTLB, through memory tables with aliases (two guest ranges
 * on the same host memory).
 *
 * A simulated device writes into each chain it takes (as vhost_vsock's RX
 * path does: the packet into the chain's writable buffers, then
 * vtv_log_write(), then vtv_add_used()).  Checked against a reference of
 * which guest pages were written:
 *   - every byte written has the bit of its page set: the descriptor's own
 *     guest page without an IOTLB; with one, at least one guest alias of
 *     the host address, all of them (upstream's rule since 5.1);
 *   - the used ring's writes are logged at log_guest_addr, or with an
 *     IOTLB by translating the used ring's own address (an IOVA);
 *   - no bit is set that no write explains, and none outside the bitmap;
 *   - when the bitmap is there for every page written, logging succeeds.
 *
 * Input: the configuration block of fdev_setup() (LOG_ALL always asked
 * for), then operations (mod 13): 0 to 8 the guest's (guest_op()),
 *   9 take     u8 chains, u32 bytes to write
 *  10 notify   u8 (bit 0: enable, else disable)
 *  11 memtable u8 n (mod 5), n x (val gpa, val size, val uaddr)
 *  12 alias    u16 gpa page, u16 RAM page, u8 pages: the memory table plus
 *              one more region onto RAM already mapped
 */
#include "harness.h"

enum { ST_CHAINS, ST_LOGGED, ST_BYTES, ST_UNLOGGABLE, ST_RING_LOGGED, ST_ALIASES };

static unsigned char exp_bits[LOG_SIZE] __attribute__((aligned(8)));	/* must be set */
static unsigned char allow_bits[LOG_SIZE] __attribute__((aligned(8)));	/* may be set */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init("fuzz_dirtylog");
	vt_stat_name[ST_CHAINS] = "chains";
	vt_stat_name[ST_LOGGED] = "logged_writes";
	vt_stat_name[ST_BYTES] = "bytes_written";
	vt_stat_name[ST_UNLOGGABLE] = "unloggable";
	vt_stat_name[ST_RING_LOGGED] = "ring_logged";
	vt_stat_name[ST_ALIASES] = "with_aliases";
	return 0;
}

static bool logging(void)
{
	return F.features & (1ULL << VHOST_F_LOG_ALL);
}

/* The bitmap byte of guest page p, if it is in the log region. */
static VT_NOCOV bool log_byte(u64 p, u64 *k)
{
	u64 a = F.log_base + p / 8;

	if (a < F.log_base || a < LOG_UBASE || a - LOG_UBASE >= LOG_SIZE)
		return false;
	*k = a - LOG_UBASE;
	return true;
}

/* Mark the pages of guest range [gpa, gpa + len) in a bitmap. */
static VT_NOCOV void mark(unsigned char *bits, u64 gpa, u64 len)
{
	u64 p, k;

	if (!len)
		return;
	for (p = gpa / 4096; p <= (gpa + len - 1) / 4096; p++) {
		if (log_byte(p, &k))
			bits[k] |= 1 << (p % 8);
		if (p == U64_MAX / 4096)
			break;
	}
}

/* Are all pages of [gpa, gpa + len) set in the log, where it can be seen? */
static VT_NOCOV bool all_set(u64 gpa, u64 len)
{
	u64 p, k;

	if (!len)
		return true;
	for (p = gpa / 4096; p <= (gpa + len - 1) / 4096; p++) {
		if (log_byte(p, &k) && !(g_log[k] >> (p % 8) & 1))
			return false;
		if (p == U64_MAX / 4096)
			break;
	}
	return true;
}

/*
 * Every bit the engine set is one a write explains, and what was checked
 * set stays set (nothing logged is ever cleared).
 */
static VT_NOCOV void check_bits(void)
{
	const u64 *log = (const u64 *)g_log, *allow = (const u64 *)allow_bits;
	const u64 *exp = (const u64 *)exp_bits;
	u64 k;

	for (k = 0; k < LOG_SIZE / 8; k++) {
		if (log[k] & ~allow[k]) {
			u64 b = k * 8;

			while (!(g_log[b] & ~allow_bits[b]))
				b++;
			CHECK(0, "log byte %llu = %#x: bits no write explains (allowed %#x)",
			      b, g_log[b], allow_bits[b]);
		}
		CHECK(!(exp[k] & ~log[k]), "logged bits were cleared");
	}
}

/* The guest ranges of the memory table that hold host range [h, h + len). */
struct alias {
	u64 gpa, len;
};

static VT_NOCOV unsigned int aliases(u64 h, u64 len, struct alias *a, unsigned int max,
			    bool *covered)
{
	unsigned int n = 0, i;
	u64 done = 0;

	for (i = 0; i < F.umem.n && n < max; i++) {
		const struct ref_map *m = &F.umem.m[i];
		u64 size = m->last - m->start, lo, hi;

		if (h > m->addr + size || h + len - 1 < m->addr)
			continue;
		lo = max(h, m->addr);
		hi = min(h + len - 1, m->addr + size);
		a[n].gpa = m->start + (lo - m->addr);
		a[n].len = hi - lo + 1;
		n++;
	}
	/* Covered: every byte of [h, h + len) is in one of them. */
	*covered = true;
	while (done < len) {
		u64 x = h + done, step = 0;

		for (i = 0; i < F.umem.n; i++) {
			const struct ref_map *m = &F.umem.m[i];
			u64 size = m->last - m->start;

			if (x >= m->addr && x <= m->addr + size) {
				u64 l = min(len - done, m->addr + size - x + 1);

				step = max(step, l);
			}
		}
		if (!step) {
			*covered = false;
			break;
		}
		done += step;
	}
	return n;
}

/*
 * The device wrote [uaddr, uaddr + len), of guest address gaddr (GPA, or
 * IOVA): mark what may be logged, and say whether logging it can work.
 */
static VT_NOCOV bool note_write(u64 uaddr, u64 len, u64 gaddr)
{
	struct alias a[16];
	unsigned int n, i;
	bool covered, ok = true;

	n = aliases(uaddr, len, a, ARRAY_SIZE(a), &covered);
	if (n > 1)
		vt_stat[ST_ALIASES]++;
	for (i = 0; i < n; i++) {
		mark(allow_bits, a[i].gpa, a[i].len);
		if (F.iotlb_on && !log_mapped(a[i].gpa, a[i].len))
			ok = false;
	}
	if (F.iotlb_on)
		return ok && covered && n < ARRAY_SIZE(a);
	mark(allow_bits, gaddr, len);
	return log_mapped(gaddr, len);
}

/* After a successful vtv_log_write(): the pages of the write are set. */
static VT_NOCOV void check_logged(u64 uaddr, u64 len, u64 gaddr)
{
	struct alias a[16];
	unsigned int n, i;
	bool covered;

	if (!F.iotlb_on) {
		CHECK(all_set(gaddr, len), "write of %llu bytes at GPA %#llx not logged",
		      len, gaddr);
		mark(exp_bits, gaddr, len);
		return;
	}
	/* By the host address: every guest alias of it (upstream since 5.1). */
	n = aliases(uaddr, len, a, ARRAY_SIZE(a), &covered);
	for (i = 0; i < n; i++) {
		CHECK(all_set(a[i].gpa, a[i].len),
		      "write of %llu bytes at IOVA %#llx (host %#llx): guest alias %#llx not logged",
		      len, gaddr, uaddr, a[i].gpa);
		mark(exp_bits, a[i].gpa, a[i].len);
	}
}

/*
 * The device wrote the used ring at @off (or tried: it may have logged
 * before failing); if @done, it succeeded and must have logged.
 */
static void ring_logged(u64 off, u64 len, bool done)
{
	if (!F.log_used || !logging())
		return;
	if (F.iotlb_on) {
		/*
		 * Under the IOTLB the used ring is logged by its own address
		 * (an IOVA): translated, then at every guest alias of the
		 * host address (log_guest_addr may be an IOVA too).
		 */
		u64 iova = F.used + off, l = len;

		while (l) {
			const struct ref_map *m = ref_maps_find(&F.iotlb, iova, iova);
			u64 seg, h;

			if (!m || m->start > iova)
				return;		/* the write itself would have failed */
			h = m->addr + (iova - m->start);
			seg = min(l, m->last - iova + 1);
			if (!seg)
				seg = l;
			if (note_write(h, seg, iova) && done) {
				check_logged(h, seg, iova);
				vt_stat[ST_RING_LOGGED]++;
			}
			iova += seg;
			l -= seg;
		}
		return;
	}
	mark(allow_bits, F.log_guest_addr + off, len);
	if (!done || !log_mapped(F.log_guest_addr + off, len))
		return;
	CHECK(all_set(F.log_guest_addr + off, len),
	      "used ring write at offset %llu not logged at %#llx", off,
	      F.log_guest_addr + off);
	mark(exp_bits, F.log_guest_addr + off, len);
	vt_stat[ST_RING_LOGGED]++;
}

static void take(struct vt_in *in)
{
	static struct ref_chain ref;
	unsigned int n = in_u8(in) % 4 + 1, out, inn, log_num, i;
	u32 want = in_u32(in) % 0x20000;
	static unsigned char data[0x20000];

	while (n--) {
		u64 done = 0, used_off;
		bool loggable = true;
		u16 before;
		int head, r;

		head = take_and_check(ARRAY_SIZE(VQ->iov), &out, &inn, &log_num, &ref);
		if (head < 0 || (unsigned int)head == VQ->num)
			return;
		vt_stat[ST_CHAINS]++;
		/* The packet, into the writable buffers (as copy_to_iter()). */
		for (i = out; i < out + inn && done < want; i++) {
			u64 l = min((u64)want - done, (u64)VQ->iov[i].iov_len);
			u64 ua = (uintptr_t)VQ->iov[i].iov_base;

			if (!vt_umem_host(ua, l))
				break;	/* faulted: vhost_vsock drops it, no log */
			memset(data, (int)(done + i), l);
			CHECK(!vt_copy_to_user(ua, data, l));
			loggable &= note_write(ua, l, ref.p[i].gaddr);
			done += l;
		}
		if (i < out + inn && done < want)
			return;
		vt_stat[ST_BYTES] += done;
		mutex_lock(&VQ->mutex);
		r = vtv_log_write(VQ, VQ->log, log_num, done, &VQ->iov[out], inn);
		mutex_unlock(&VQ->mutex);
		if (!logging()) {
			CHECK(!r);
		} else if (r) {
			/* With an IOTLB, each piece of a buffer may need an iovec. */
			if (loggable && F.iotlb_on && r == -ENOBUFS)
				vt_known(KNOWN_LOG_IOV_LIMIT);
			else
				CHECK(!loggable, "logging %llu bytes failed: %d", done, r);
			vt_stat[ST_UNLOGGABLE]++;
		} else {
			u64 left = done;

			for (i = out; i < out + inn && left; i++) {
				u64 l = min(left, (u64)VQ->iov[i].iov_len);

				check_logged((uintptr_t)VQ->iov[i].iov_base, l, ref.p[i].gaddr);
				left -= l;
			}
			vt_stat[ST_LOGGED]++;
		}
		before = VQ->last_used_idx;
		used_off = offsetof(struct vring_used, ring) + 8ULL * (before & (VQ->num - 1));
		r = add_used_and_check(head, done);
		ring_logged(used_off, 8, !r);
		ring_logged(offsetof(struct vring_used, idx), 2, !r);
	}
}

static void notify(struct vt_in *in)
{
	bool event = F.features & (1ULL << VIRTIO_RING_F_EVENT_IDX);
	bool on = in_u8(in) & 1, was_off = VQ->used_flags & VRING_USED_F_NO_NOTIFY;
	u64 off = event ? offsetof(struct vring_used, ring) + 8ULL * VQ->num : 0;
	bool writes = on ? was_off : (!was_off && !event);
	bool ok = g_writable(F.used + off, 2);

	mutex_lock(&VQ->mutex);
	if (on)
		vtv_enable_notify(VQ);
	else
		vtv_disable_notify(VQ);
	mutex_unlock(&VQ->mutex);
	if (writes)
		ring_logged(off, 2, ok);
}

static void mem_table(struct vt_in *in, bool alias)
{
	struct vhost_memory_region reg[16];
	unsigned int n = 0, i;

	if (alias) {
		u64 gpa = (u64)in_u16(in) << 12, ram = (u64)(in_u16(in) % 16) << 12;
		u64 size = ((u64)in_u8(in) % 16 + 1) << 12;

		for (i = 0; i < F.umem.n && n < 15; i++, n++) {
			reg[n].guest_phys_addr = F.umem.m[i].start;
			reg[n].memory_size = F.umem.m[i].last - F.umem.m[i].start + 1;
			reg[n].userspace_addr = F.umem.m[i].addr;
			reg[n].flags_padding = 0;
		}
		reg[n].guest_phys_addr = gpa;
		reg[n].memory_size = min(size, RAM_SIZE - ram);
		reg[n].userspace_addr = RAM_UBASE + ram;
		reg[n].flags_padding = 0;
		n++;
	} else {
		n = in_u8(in) % 5;
		for (i = 0; i < n; i++) {
			u64 gpa = in_val(in), sz = in_val(in), ua = in_val(in);

			reg[i].guest_phys_addr = gpa;
			reg[i].memory_size = sz;
			reg[i].userspace_addr = uspec(ua);
			reg[i].flags_padding = 0;
		}
	}
	fdev_set_mem_table(reg, n);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vt_in in = { data, size };
	int ops = 0;

	harness_begin();
	memset(exp_bits, 0, sizeof(exp_bits));
	memset(allow_bits, 0, sizeof(allow_bits));
	fdev_setup(&in, CFG_LOG_ALL, 0);
	/*
	 * Starting wrote the used flags, logged (else it would have failed),
	 * and may have got that far even when it failed after.
	 */
	if (VQ->ring_set)
		ring_logged(0, 2, F.started);
	check_bits();
	while (!in_empty(&in) && ops++ < 128) {
		u8 op = in_u8(&in) % (GUEST_OPS + 4);

		if (vt_trace)
			fprintf(stderr, "op %u (features %#llx, log base %#llx)\n", op,
				F.features, F.log_base);

		if (op < GUEST_OPS)
			guest_op(op, &in);
		else if (op == GUEST_OPS && F.started)
			take(&in);
		else if (op == GUEST_OPS + 1 && F.started)
			notify(&in);
		else if (op >= GUEST_OPS + 2)
			mem_table(&in, op == GUEST_OPS + 3);
		fdev_check_state();
		if (op >= GUEST_OPS)
			check_bits();
	}
	check_bits();
	if (vt_trace) {
		u64 k, set = 0;

		for (k = 0; k < LOG_SIZE; k++)
			set += __builtin_popcount(g_log[k]);
		fprintf(stderr, "log: %llu bits set\n", set);
	}
	harness_end();
	return 0;
}
