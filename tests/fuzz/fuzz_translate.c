// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_translate: the interval maps of src/vtv_maps.c (memory table and
 * IOTLB) against a reference model, and guest address translation through
 * them as vtv_get_vq_desc() does it: overlaps, holes, ranges that end at
 * 2^64 or wrap, permissions, the entry limit.
 *
 * Input: u8 mode: bit 0, below; bits 1 to 7, if not 0, the module
 * parameters max_iotlb_entries (63 + that value: 64 is the module's
 * minimum) and max_mem_regions (that
 * value mod 9), so that the limits are reached cheaply.  Mode even, the
 * maps alone:
 *   u8 limit (mod 17, 0: none), then operations (in_val() values):
 *   0 add  val start, val last, val addr, u8 perm
 *   1 del  val start, val last
 *   2 find val start, val last
 * Mode odd, the device: the configuration block of fdev_setup(), then
 *   0 memory table  u8 n (mod 9), n x (val gpa, val size, val uaddr)
 *   1 iotlb         u8 kind (bit 0: invalidate, bit 1: v2), val iova, val size,
 *                   val uaddr, u8 perm
 *   2 translate     val addr, u32 len, u8 write: a one-descriptor chain
 *   3 fill          u8 n, val iova: n one-byte IOTLB entries (to the limit;
 *                   300 in all per input: the limit is reached with a small
 *                   max_iotlb_entries)
 * (uaddr values go through uspec(): below 2^32, offsets from guest RAM.)
 */
#include "harness.h"

enum { ST_ADDS, ST_FINDS, ST_XLATE_OK, ST_XLATE_REFUSED, ST_TABLES, ST_LIMIT, ST_TOP };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init("fuzz_translate");
	vt_stat_name[ST_ADDS] = "adds";
	vt_stat_name[ST_FINDS] = "finds";
	vt_stat_name[ST_XLATE_OK] = "translated";
	vt_stat_name[ST_XLATE_REFUSED] = "refused";
	vt_stat_name[ST_TABLES] = "mem_tables";
	vt_stat_name[ST_LIMIT] = "limit_hits";
	vt_stat_name[ST_TOP] = "ends_at_2^64";
	return 0;
}

static struct ref_maps ref;

/* No two entries overlap, whatever was added. */
static VT_NOCOV void check_disjoint(struct vtv_maps *maps)
{
	struct vtv_map *a, *b;

	list_for_each_entry(a, &maps->list, link)
		list_for_each_entry(b, &maps->list, link)
			CHECK(a == b || a->last < b->start || b->last < a->start,
			      "[%llx, %llx] overlaps [%llx, %llx]", a->start, a->last,
			      b->start, b->last);
}

static void maps_mode(struct vt_in *in)
{
	unsigned int limit = in_u8(in) % 17, ops = 0;
	struct vtv_maps *maps = vtv_maps_alloc(limit);

	CHECK(maps);
	ref_maps_init(&ref, limit);
	while (!in_empty(in) && ops++ < 512) {
		u8 op = in_u8(in) % 3;
		u64 start = in_val(in), last = in_val(in);

		if (op == 0) {
			u64 addr = in_val(in);
			u32 perm = in_u8(in) & 3;
			int r = vtv_maps_add(maps, start, last, addr, perm);
			int e = ref_maps_add(&ref, start, last, addr, perm);

			CHECK(r == e, "add [%llx, %llx] -> %llx: %d, reference %d",
			      start, last, addr, r, e);
			vt_stat[ST_ADDS]++;
			if (!r && limit && ref.n == limit)
				vt_stat[ST_LIMIT]++;
			if (!r && last == U64_MAX)
				vt_stat[ST_TOP]++;
		} else if (op == 1) {
			vtv_maps_del_range(maps, start, last);
			ref_maps_del_range(&ref, start, last);
		} else {
			struct vtv_map *m = vtv_maps_find(maps, start, last);
			const struct ref_map *e = ref_maps_find(&ref, start, last);

			CHECK(!m == !e, "find [%llx, %llx]: %s, reference %s", start, last,
			      m ? "found" : "none", e ? "found" : "none");
			if (m)
				CHECK(m->start == e->start && m->last == e->last &&
				      m->addr == e->addr && m->perm == e->perm);
			vt_stat[ST_FINDS]++;
		}
		ref_maps_compare(&ref, maps);
		check_disjoint(maps);
	}
	vtv_maps_free(maps);
}

/* What SET_MEM_TABLE must answer, from the reference's side. */
static VT_NOCOV bool mem_table_ok(const struct vhost_memory_region *reg, unsigned int n)
{
	static struct ref_maps r;
	unsigned int i;

	if (n > MAX_MEM_REGIONS)
		return false;
	ref_maps_init(&r, 0);
	for (i = 0; i < n; i++) {
		if (!reg[i].memory_size ||
		    ref_maps_add(&r, reg[i].guest_phys_addr,
				 reg[i].guest_phys_addr + reg[i].memory_size - 1,
				 reg[i].userspace_addr, VHOST_ACCESS_RW))
			return false;
	}
	for (i = 0; i < r.n; i++) {
		u64 size = r.m[i].last - r.m[i].start + 1;

		if (!size || size > TASK_SIZE_MAX || r.m[i].addr > TASK_SIZE_MAX - size)
			return false;
		if (F.features & (1ULL << VHOST_F_LOG_ALL)) {
			/* One bit per page from the log base: bitmap in user space. */
			u64 first = F.log_base + r.m[i].start / 4096 / 8;
			u64 bytes = DIV_ROUND_UP(size, 4096 * 8);

			if (first < F.log_base || bytes > TASK_SIZE_MAX ||
			    first > TASK_SIZE_MAX - bytes)
				return false;
		}
	}
	return true;
}

static void mem_table(struct vt_in *in)
{
	struct vhost_memory_region reg[8];
	unsigned int n = in_u8(in) % 9, i;
	bool ok;
	int r;

	for (i = 0; i < n; i++) {
		reg[i].guest_phys_addr = in_val(in);
		reg[i].memory_size = in_val(in);
		reg[i].userspace_addr = uspec(in_val(in));
		reg[i].flags_padding = 0;
	}
	ok = mem_table_ok(reg, n);
	r = fdev_set_mem_table(reg, n);
	CHECK(!r == ok, "SET_MEM_TABLE gave %d, the reference %s it", r,
	      ok ? "takes" : "refuses");
	vt_stat[ST_TABLES]++;
}

/* What an IOTLB message must get, from the reference's side. */
static ssize_t iotlb_expect(u8 type, u64 iova, u64 size, u64 uaddr, u8 perm)
{
	if (!F.iotlb_on)
		return -EFAULT;
	if (type == VHOST_IOTLB_UPDATE) {
		if (!size || iova + size - 1 < iova || uaddr + size - 1 < uaddr ||
		    !perm || perm > VHOST_ACCESS_RW ||
		    size > TASK_SIZE_MAX || uaddr > TASK_SIZE_MAX - size)
			return -EINVAL;
		/* Full: even an update that would replace entries is refused. */
		return 72;	/* when full, the oldest entry is retired */
	}
	if (type == VHOST_IOTLB_INVALIDATE)
		return !size || iova + size - 1 < iova ? -EINVAL : 72;
	return -EINVAL;
}

static void iotlb(struct vt_in *in)
{
	u8 kind = in_u8(in);
	u64 iova = in_val(in), size = in_val(in), uaddr = uspec(in_val(in));
	u8 perm = in_u8(in);
	u8 type = kind & 1 ? VHOST_IOTLB_INVALIDATE : VHOST_IOTLB_UPDATE;
	ssize_t e = iotlb_expect(type, iova, size, uaddr, perm);
	ssize_t r = fdev_iotlb_msg(kind & 2, type, iova, size, uaddr, perm);

	CHECK(r == e, "IOTLB %s [%llx +%llx] -> %llx perm %u: %zd, reference %zd",
	      type == VHOST_IOTLB_UPDATE ? "update" : "invalidate", iova, size, uaddr,
	      perm, r, e);
	if (r == 72 && F.dev.iotlb && F.dev.iotlb->count == MAX_IOTLB_ENTRIES)
		vt_stat[ST_LIMIT]++;
	if (r == 72 && type == VHOST_IOTLB_UPDATE && iova + size - 1 == U64_MAX)
		vt_stat[ST_TOP]++;
}

static void translate(struct vt_in *in)
{
	static struct ref_chain rc;
	u64 addr = in_val(in);
	u32 len = in_u32(in);
	bool write = in_u8(in) & 1;
	u16 slot = F.g_avail_idx & (VQ->num - 1);
	unsigned int out, inn, log_num;
	int head;

	if (!F.started)
		return;
	g_put_desc(slot, addr, len, write ? VRING_DESC_F_WRITE : 0, 0);
	g_push_avail(slot);
	head = take_and_check(ARRAY_SIZE(VQ->iov), &out, &inn, &log_num, &rc);
	if (head >= 0 && (unsigned int)head < VQ->num) {
		vt_stat[ST_XLATE_OK]++;
		add_used_and_check(head, 0);
	} else {
		vt_stat[ST_XLATE_REFUSED]++;
		/* A refused chain stays: the guest moves on past it. */
		g_set_avail_idx(VQ->last_avail_idx);
	}
}

/* Entries filled in this input: a few hundred at most (a list is slow). */
static unsigned int filled;

static void fill(struct vt_in *in)
{
	unsigned int n = in_u8(in), i;
	u64 iova = in_val(in);

	n = min(n, 300 - min(filled, 300U));
	filled += n;
	for (i = 0; i < n; i++) {
		ssize_t r = fdev_iotlb_msg(false, VHOST_IOTLB_UPDATE, iova + 2ULL * i, 1,
					   RAM_UBASE + (i % RAM_SIZE), VHOST_ACCESS_RW);

		if (r != 72)
			break;
		CHECK(F.dev.iotlb->count <= MAX_IOTLB_ENTRIES);
		if (F.dev.iotlb->count == MAX_IOTLB_ENTRIES)
			vt_stat[ST_LIMIT]++;
	}
}

static void device_mode(struct vt_in *in)
{
	unsigned int ops = 0;

	fdev_setup(in, 0, 0);
	filled = 0;
	while (!in_empty(in) && ops++ < 128) {
		switch (in_u8(in) % 4) {
		case 0:
			mem_table(in);
			break;
		case 1:
			iotlb(in);
			break;
		case 2:
			translate(in);
			break;
		case 3:
			fill(in);
			break;
		}
		fdev_check_state();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vt_in in = { data, size };
	u8 mode = in_u8(&in);

	harness_begin();
	if (mode >> 1) {
		/* (The module may refuse some values: then the default stays.) */
		set_param(vt_shim_param_set_max_iotlb_entries, 63 + (mode >> 1));
		set_param(vt_shim_param_set_max_mem_regions, (mode >> 1) % 9);
	}
	if (mode & 1)
		device_mode(&in);
	else
		maps_mode(&in);
	harness_end();
	return 0;
}
