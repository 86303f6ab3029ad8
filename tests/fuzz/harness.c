// SPDX-License-Identifier: GPL-2.0
/*
 * Shared parts of the fuzz targets (see harness.h).
 *
 * The device is driven as src/vhost_vsock_main.c drives the engine: that
 * file is not compiled here (it is the vsock core's transport), so its few
 * lines that call into the engine around features and start/stop are
 * mirrored below, marked as such.
 */
#include "harness.h"

unsigned char *g_ram, *g_log, *g_arg;
struct fdev F;
unsigned long vt_stat[8];
const char *vt_stat_name[8];

static u64 in_val_prev;
static const char *vt_target;
static bool vt_strict;
bool vt_trace;
static unsigned long vt_known_count[KNOWN_MAX];
static const char *const vt_known_name[KNOWN_MAX] = {
	[KNOWN_RING_IOV_LIMIT] = "ring or indirect table read refused: more pieces than its fixed iovec array",
	[KNOWN_LOG_IOV_LIMIT] = "dirty log of a buffer refused: more pieces than its fixed iovec array",
	[KNOWN_LOG_ONE_ALIAS] = "IOTLB dirty log: only the first guest alias of a host address logged",
};

void vt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n==vt_fuzz== FINDING in %s at %s:%d: ", vt_target, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void vt_known(int id)
{
	if (vt_strict)
		vt_fail(__FILE__, __LINE__, "known limitation (VT_FUZZ_STRICT=1): %s",
			vt_known_name[id]);
	vt_known_count[id]++;
}

static void vt_print_stats(void)
{
	int i;

	fprintf(stderr, "vt_fuzz %s:", vt_target);
	for (i = 0; i < 8; i++)
		if (vt_stat_name[i])
			fprintf(stderr, " %s=%lu", vt_stat_name[i], vt_stat[i]);
	fprintf(stderr, "\n");
	for (i = 0; i < KNOWN_MAX; i++)
		if (vt_known_count[i])
			fprintf(stderr, "vt_fuzz %s: known limitation hit %lu times: %s\n",
				vt_target, vt_known_count[i], vt_known_name[i]);
}

static void *vt_page_alloc(size_t size)
{
	void *p = aligned_alloc(PAGE_SIZE, size);

	if (!p)
		abort();
	return p;
}

void harness_init(const char *name)
{
	const char *s = getenv("VT_FUZZ_STRICT");

	vt_target = name;
	vt_strict = s && *s == '1';
	s = getenv("VT_FUZZ_TRACE");
	vt_trace = s && *s == '1';
	g_ram = vt_page_alloc(RAM_SIZE);
	g_log = vt_page_alloc(LOG_SIZE);
	g_arg = vt_page_alloc(ARG_SIZE);
	atexit(vt_print_stats);
}

static void vt_dummy_kick(struct vtv_work *work)
{
}

void harness_begin(void)
{
	in_val_prev = 0;
	vt_shim_reset();
	memset(g_ram, 0, RAM_SIZE);
	memset(g_log, 0, LOG_SIZE);
	memset(g_arg, 0, ARG_SIZE);
	vt_umem_add(RAM_UBASE, g_ram, RAM_SIZE);
	vt_umem_add(LOG_UBASE, g_log, LOG_SIZE);
	vt_umem_add(ARG_UBASE, g_arg, ARG_SIZE);
	memset(&F, 0, sizeof(F));
	F.vqp[0] = &F.vqs[0];
	F.vqp[1] = &F.vqs[1];
	F.vqs[0].handle_kick = vt_dummy_kick;
	F.vqs[1].handle_kick = vt_dummy_kick;
	/* As vhost_vsock_dev_open(): VHOST_VSOCK_PKT_WEIGHT, VHOST_VSOCK_WEIGHT. */
	vtv_dev_init(&F.dev, F.vqp, 2, 256, 0x80000);
	CHECK(!set_param(vt_shim_param_set_max_mem_regions, 64));
	CHECK(!set_param(vt_shim_param_set_max_iotlb_entries, 2048));
	ref_maps_init(&F.umem, 0);
	ref_maps_init(&F.iotlb, MAX_IOTLB_ENTRIES);
}

int set_param(int (*set)(const char *val), unsigned int value)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", value);
	return set(s);
}

void harness_end(void)
{
	fdev_teardown();
	vt_shim_check_balanced();
}

u64 in_val(struct vt_in *in)
{
	u64 prev = in_val_prev;
	u8 tag = in_u8(in) % 8;
	u64 v;

	switch (tag) {
	case 0:
		v = in_u64(in);
		break;
	case 1:
		v = in_u16(in);
		break;
	case 2:
		v = U64_MAX - in_u16(in);
		break;
	case 3:
		v = (u64)in_u16(in) << 12;
		break;
	case 4:
		v = (1ULL << 32) + (s16)in_u16(in);
		break;
	case 5:
		v = (1ULL << 63) + (s16)in_u16(in);
		break;
	default:
		v = prev + (s16)in_u16(in);
		break;
	}
	in_val_prev = v;
	return v;
}

/* ---- reference maps ---- */

void ref_maps_init(struct ref_maps *r, unsigned int limit)
{
	r->n = 0;
	r->limit = limit;
}

static bool ref_overlaps(const struct ref_map *m, u64 start, u64 last)
{
	return m->start <= last && start <= m->last;
}

void ref_maps_del_range(struct ref_maps *r, u64 start, u64 last)
{
	unsigned int i = 0, j;

	while (i < r->n && !ref_overlaps(&r->m[i], start, last))
		i++;
	for (j = i; i < r->n; i++)
		if (!ref_overlaps(&r->m[i], start, last))
			r->m[j++] = r->m[i];
	r->n = j;
}

int ref_maps_add(struct ref_maps *r, u64 start, u64 last, u64 addr, u32 perm)
{
	if (last < start || addr + (last - start) < addr)
		return -EINVAL;
	ref_maps_del_range(r, start, last);
	/* Full: the oldest entry is retired (a cache: a miss brings it back). */
	if (r->limit && r->n >= r->limit) {
		memmove(&r->m[0], &r->m[1], (r->n - 1) * sizeof(r->m[0]));
		r->n--;
	}
	CHECK(r->n < REF_MAPS_MAX);
	r->m[r->n].start = start;
	r->m[r->n].last = last;
	r->m[r->n].addr = addr;
	r->m[r->n].perm = perm;
	r->n++;
	return 0;
}

const struct ref_map *ref_maps_find(const struct ref_maps *r, u64 start, u64 last)
{
	const struct ref_map *best = NULL;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (ref_overlaps(&r->m[i], start, last) &&
		    (!best || r->m[i].start < best->start))
			best = &r->m[i];
	return best;
}

void ref_maps_compare(const struct ref_maps *r, struct vtv_maps *maps)
{
	struct vtv_map *map;
	unsigned int i = 0;

	if (!maps) {
		CHECK(r->n == 0, "no engine maps, reference has %u", r->n);
		return;
	}
	CHECK(maps->count == r->n, "engine %u entries, reference %u", maps->count, r->n);
	list_for_each_entry(map, &maps->list, link) {
		CHECK(i < r->n);
		CHECK(map->start == r->m[i].start && map->last == r->m[i].last &&
		      map->addr == r->m[i].addr && map->perm == r->m[i].perm,
		      "entry %u: engine [%llx, %llx] -> %llx perm %u, reference [%llx, %llx] -> %llx perm %u",
		      i, map->start, map->last, map->addr, map->perm,
		      r->m[i].start, r->m[i].last, r->m[i].addr, r->m[i].perm);
		i++;
	}
}

/* ---- reference translation ---- */

struct ref_miss ref_miss;

int ref_translate(u64 addr, u64 len, u32 access, struct piece *p, int max)
{
	const struct ref_maps *maps = F.iotlb_on ? &F.iotlb : F.umem_set ? &F.umem : NULL;
	u64 done = 0;
	int n = 0;

	/* Nothing to translate: no memory table needed either (upstream). */
	if (!len)
		return 0;
	if (!maps)
		return -EFAULT;
	if (addr + (len - 1) < addr)
		return -EFAULT;
	while (done < len) {
		u64 a = addr + done, l;
		const struct ref_map *m = ref_maps_find(maps, a, a);

		if (!m) {
			if (!F.iotlb_on)
				return -EFAULT;
			if (!ref_miss.valid) {
				ref_miss.valid = true;
				ref_miss.iova = a;
				ref_miss.access = access;
			}
			return -EAGAIN;
		}
		if ((m->perm & access) != access)
			return -EPERM;
		if (n >= max)
			return -ENOBUFS;
		/* bytes of the entry from a on: m->last - a + 1, up to 2^64 */
		l = len - done;
		if (m->last - a < l - 1)
			l = m->last - a + 1;
		p[n].uaddr = m->addr + (a - m->start);
		p[n].len = l;
		p[n].gaddr = a;
		p[n].write = access == VHOST_ACCESS_WO;
		n++;
		done += l;
	}
	return n;
}

static struct piece ring_pieces[4096];
static unsigned int ring_npieces;

/* The user pieces of a ring access (ring addresses are user addresses without an IOTLB). */
static int ring_xlate(u64 addr, size_t len, u32 access)
{
	int n;

	if (!F.iotlb_on) {
		ring_pieces[0].uaddr = addr;
		ring_pieces[0].len = len;
		ring_pieces[0].gaddr = addr;
		ring_npieces = 1;
		return len && addr + (len - 1) < addr ? -EFAULT : 1;
	}
	n = ref_translate(addr, len, access, ring_pieces, ARRAY_SIZE(ring_pieces));
	ring_npieces = n < 0 ? 0 : n;
	return n;
}

/* Host-side access to user memory, without the shim's hooks and counters. */
static bool u_read(u64 uaddr, void *buf, u64 len)
{
	unsigned char *h = vt_umem_host(uaddr, len);

	if (!h)
		return false;
	memcpy(buf, h, len);
	return true;
}

static bool u_write(u64 uaddr, const void *buf, u64 len)
{
	unsigned char *h = vt_umem_host(uaddr, len);

	if (!h)
		return false;
	memcpy(h, buf, len);
	return true;
}

static bool pieces_io(int n, struct piece *p, void *buf, bool write)
{
	unsigned char *b = buf;
	int i;

	if (n < 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!(write ? u_write(p[i].uaddr, b, p[i].len) : u_read(p[i].uaddr, b, p[i].len)))
			return false;
		b += p[i].len;
	}
	return true;
}

bool g_read(u64 addr, void *buf, size_t len, u32 access)
{
	return pieces_io(ring_xlate(addr, len, access), ring_pieces, buf, false);
}

bool g_write(u64 addr, const void *buf, size_t len)
{
	return pieces_io(ring_xlate(addr, len, 0), ring_pieces, (void *)buf, true);
}

/* Would the device's write of this ring range reach guest memory? */
bool g_writable(u64 addr, size_t len)
{
	unsigned int i;

	if (ring_xlate(addr, len, VHOST_ACCESS_WO) < 0)
		return false;
	for (i = 0; i < ring_npieces; i++)
		if (!vt_umem_host(ring_pieces[i].uaddr, ring_pieces[i].len))
			return false;
	return true;
}

/* Is the dirty log bitmap there (pinnable) for the pages of [gpa, gpa + len)? */
bool log_mapped(u64 gpa, u64 len)
{
	u64 p, first, last;

	if (!len)
		return true;
	if (gpa + (len - 1) < gpa)
		return false;
	first = gpa / 4096;
	last = (gpa + len - 1) / 4096;
	for (p = first; p <= last; p++) {
		u64 byte = F.log_base + p / 8;

		if (byte < F.log_base || !vt_umem_host(byte & PAGE_MASK, PAGE_SIZE))
			return false;
		if (p == U64_MAX)
			break;
	}
	return true;
}

/* Does a ring write at this offset of the used ring get logged, if it must be? */
bool used_log_ok(u64 off, u64 len)
{
	struct piece p[16];
	int n, i;

	if (!F.log_used || !(F.features & (1ULL << VHOST_F_LOG_ALL)))
		return true;
	if (!F.iotlb_on)
		return log_mapped(F.log_guest_addr + off, len);
	/*
	 * Under the IOTLB, by the ring's own translation, at every guest
	 * alias of the host memory: each must have its bitmap there.
	 */
	n = ref_translate(F.used + off, len, VHOST_ACCESS_WO, p, ARRAY_SIZE(p));
	if (n < 0)
		return false;
	for (i = 0; i < n; i++) {
		u64 x;

		for (x = p[i].uaddr; x < p[i].uaddr + p[i].len; x++) {
			bool hit = false;
			unsigned int j;

			for (j = 0; j < F.umem.n; j++) {
				const struct ref_map *m = &F.umem.m[j];

				if (x < m->addr || x - m->addr > m->last - m->start)
					continue;
				hit = true;
				if (!log_mapped(m->start + (x - m->addr), 1))
					return false;
			}
			if (!hit)
				return false;
		}
	}
	return true;
}

/*
 * Do two ring ranges share host bytes (through the IOTLB)?  Or, with b
 * equal to a, do parts of one range share host bytes with each other (two
 * IOTLB entries onto the same host memory)?
 */
bool g_alias(u64 a, size_t la, u64 b, size_t lb)
{
	bool self = a == b && la == lb;
	struct piece pa[16];
	unsigned int na, i, j;

	if (ring_xlate(a, la, 0) < 0 || ring_npieces > ARRAY_SIZE(pa))
		return false;
	na = ring_npieces;
	memcpy(pa, ring_pieces, na * sizeof(pa[0]));
	if (ring_xlate(b, lb, 0) < 0)
		return false;
	for (i = 0; i < na; i++)
		for (j = self ? i + 1 : 0; j < ring_npieces; j++)
			if (pa[i].uaddr < ring_pieces[j].uaddr + ring_pieces[j].len &&
			    ring_pieces[j].uaddr < pa[i].uaddr + pa[i].len)
				return true;
	return false;
}

/* Read at a guest address as descriptors name them (GPA, or IOVA). */
static bool gpa_read(u64 addr, void *buf, size_t len, u32 access, bool *split)
{
	static struct piece p[64];
	int n = ref_translate(addr, len, access, p, ARRAY_SIZE(p));

	if (n > 1 && split)
		*split = true;
	return pieces_io(n, p, buf, false);
}

/* ---- the guest's side of the rings ---- */

static u16 g16(u16 v)
{
	return (__force u16)__cpu_to_virtio16(VQ->is_le, v);
}

static u32 g32(u32 v)
{
	return (__force u32)__cpu_to_virtio32(VQ->is_le, v);
}

static u64 g64(u64 v)
{
	return (__force u64)__cpu_to_virtio64(VQ->is_le, v);
}

static void desc_bytes(struct vring_desc *d, u64 addr, u32 len, u16 flags, u16 next)
{
	d->addr = (__force __virtio64)g64(addr);
	d->len = (__force __virtio32)g32(len);
	d->flags = (__force __virtio16)g16(flags);
	d->next = (__force __virtio16)g16(next);
}

static unsigned int ring_num(void)
{
	return VQ->num;
}

void g_put_desc(u16 idx, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vring_desc d;

	desc_bytes(&d, addr, len, flags, next);
	g_write(F.desc + (u64)(idx & (ring_num() - 1)) * sizeof(d), &d, sizeof(d));
}

void g_put_idesc(u64 table_off, u16 idx, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vring_desc d;
	u64 off = table_off + (u64)idx * sizeof(d);

	desc_bytes(&d, addr, len, flags, next);
	if (off < RAM_SIZE && RAM_SIZE - off >= sizeof(d))
		memcpy(g_ram + off, &d, sizeof(d));
}

void g_set_avail_idx(u16 idx)
{
	u16 v = g16(idx);

	F.g_avail_idx = idx;
	g_write(F.avail + offsetof(struct vring_avail, idx), &v, sizeof(v));
}

void g_push_avail(u16 head)
{
	u16 v = g16(head);

	g_write(F.avail + offsetof(struct vring_avail, ring) +
		2ULL * (F.g_avail_idx & (ring_num() - 1)), &v, sizeof(v));
	g_set_avail_idx(F.g_avail_idx + 1);
}

void g_set_avail_flags(u16 flags)
{
	u16 v = g16(flags);

	g_write(F.avail + offsetof(struct vring_avail, flags), &v, sizeof(v));
}

void g_set_used_event(u16 idx)
{
	u16 v = g16(idx);

	g_write(F.avail + offsetof(struct vring_avail, ring) + 2ULL * ring_num(), &v, sizeof(v));
}

void guest_op(unsigned int op, struct vt_in *in)
{
	switch (op) {
	case 0: {
		u16 idx = in_u16(in);
		u64 addr = in_u64(in);
		u32 len = in_u32(in);
		u16 flags = in_u16(in);

		g_put_desc(idx, addr, len, flags, in_u16(in));
		break;
	}
	case 1: {
		u16 off = in_u16(in), idx = in_u16(in);
		u64 addr = in_u64(in);
		u32 len = in_u32(in);
		u16 flags = in_u16(in);

		g_put_idesc(off, idx, addr, len, flags, in_u16(in));
		break;
	}
	case 2:
		g_push_avail(in_u16(in));
		break;
	case 3:
		g_set_avail_idx(in_u16(in));
		break;
	case 4: {
		u16 off = in_u16(in);
		u8 len = in_u8(in);

		while (len-- && !in_empty(in))
			g_ram[(off++) % RAM_SIZE] = in_u8(in);
		break;
	}
	case 5: {
		u8 kind = in_u8(in);
		u64 iova = in_u64(in), sz = in_u64(in), ua = in_u64(in);

		fdev_iotlb_msg(kind & 2, kind & 1 ? VHOST_IOTLB_INVALIDATE : VHOST_IOTLB_UPDATE,
			       iova, sz, uspec(ua), in_u8(in));
		break;
	}
	case 6:
	case 7: {
		u16 first = in_u16(in);
		unsigned int n = in_u8(in), k;
		u64 addr = in_u64(in);
		u32 len = in_u32(in);
		u16 flags = in_u16(in) & ~VRING_DESC_F_NEXT;

		for (k = 0; k < n; k++) {
			u16 f = flags | (k + 1 < n ? VRING_DESC_F_NEXT : 0);

			if (op == 6)
				g_put_desc(first + k, addr + (u64)k * len, len, f, first + k + 1);
			else
				g_put_idesc(first, k, addr + (u64)k * len, len, f, k + 1);
		}
		break;
	}
	case 8: {
		u64 iova = in_u64(in) % RAM_SIZE;
		unsigned int n = in_u8(in), k, sz = in_u8(in) + 1;

		for (k = 0; k < n; k++)
			fdev_iotlb_msg(false, VHOST_IOTLB_UPDATE, iova + k * sz, sz,
				       RAM_UBASE + iova + k * sz, VHOST_ACCESS_RW);
		break;
	}
	}
}

/* ---- device ioctls, as vhost_vsock_dev_ioctl() passes them on ---- */

long fdev_ioctl(unsigned int cmd, void *arg, size_t len)
{
	long r;

	CHECK(len <= ARG_SIZE);
	if (len)
		memcpy(g_arg, arg, len);
	mutex_lock(&F.dev.mutex);
	r = vtv_dev_ioctl(&F.dev, cmd, (void __user *)(uintptr_t)ARG_UBASE);
	if (r == -ENOIOCTLCMD)
		r = vtv_vring_ioctl(&F.dev, cmd, (void __user *)(uintptr_t)ARG_UBASE);
	else
		vtv_dev_flush(&F.dev);
	mutex_unlock(&F.dev.mutex);
	if (len)
		memcpy(arg, g_arg, len);
	return r;
}

/* Learn what the engine's state is after a features change. */
static void fdev_sync_features(struct vtv_maps *iotlb_before)
{
	F.features = VQ->acked_features;
	F.iotlb_on = F.dev.iotlb != NULL;
	/* Clearing the IOTLB stops a queue whose rings are no user range. */
	F.started = VQ->private_data != NULL;
	if (F.dev.iotlb != iotlb_before)
		ref_maps_init(&F.iotlb, MAX_IOTLB_ENTRIES);
}

/* Mirrors vhost_vsock_set_features() (src/vhost_vsock_main.c). */
int fdev_set_features(u64 features)
{
	const u64 offered = VTV_FEATURES | (1ULL << VIRTIO_F_ACCESS_PLATFORM);
	struct vtv_maps *before = F.dev.iotlb;
	int r;

	if (features & ~offered)
		return -EOPNOTSUPP;
	mutex_lock(&F.dev.mutex);
	r = vtv_dev_set_features(&F.dev, features);
	mutex_unlock(&F.dev.mutex);
	fdev_sync_features(before);
	return r;
}

static void fdev_started(void)
{
	bool was = F.started;
	u16 idx;

	F.started = VQ->private_data != NULL;
	if (F.started && !was) {
		/*
		 * vtv_vq_init_access() read the used index the guest sees
		 * (a ring never set cannot start; IOVA 0 is a valid address).
		 */
		if (VQ->ring_set && g_read(F.used + offsetof(struct vring_used, idx), &idx, 2, 0))
			CHECK(VQ->last_used_idx == __virtio16_to_cpu(VQ->is_le, (__force __virtio16)idx));
		F.used_idx = VQ->last_used_idx;
		F.sig_valid = false;
	}
}

/* Mirrors vhost_vsock_start(). */
int fdev_start(void)
{
	static int marker;
	struct vtv_vq *vq;
	int i, ret;

	mutex_lock(&F.dev.mutex);
	ret = vtv_dev_check_owner(&F.dev);
	if (ret)
		goto err;
	for (i = 0; i < 2; i++) {
		vq = &F.vqs[i];
		mutex_lock(&vq->mutex);
		if (!vtv_vq_access_ok(vq)) {
			ret = -EFAULT;
			goto err_vq;
		}
		if (!vtv_vq_get_backend(vq)) {
			ret = vtv_vq_init_access(vq);
			if (ret)
				goto err_vq;
			WRITE_ONCE(vq->private_data, &marker);
		}
		mutex_unlock(&vq->mutex);
	}
	mutex_unlock(&F.dev.mutex);
	fdev_started();
	return 0;
err_vq:
	WRITE_ONCE(vq->private_data, NULL);
	mutex_unlock(&vq->mutex);
	for (i = 0; i < 2; i++) {
		mutex_lock(&F.vqs[i].mutex);
		WRITE_ONCE(F.vqs[i].private_data, NULL);
		mutex_unlock(&F.vqs[i].mutex);
	}
err:
	mutex_unlock(&F.dev.mutex);
	fdev_started();
	return ret;
}

/* Mirrors vhost_vsock_stop(). */
void fdev_stop(void)
{
	int i;

	mutex_lock(&F.dev.mutex);
	for (i = 0; i < 2; i++) {
		mutex_lock(&F.vqs[i].mutex);
		WRITE_ONCE(F.vqs[i].private_data, NULL);
		mutex_unlock(&F.vqs[i].mutex);
	}
	mutex_unlock(&F.dev.mutex);
	F.started = false;
}

/* Mirrors vhost_vsock_dev_release(), from the engine's side. */
void fdev_teardown(void)
{
	fdev_stop();
	vtv_dev_flush(&F.dev);
	vtv_dev_stop(&F.dev);
	vtv_dev_cleanup(&F.dev);
	CHECK(!F.dev.umem && !F.dev.iotlb && !F.dev.mm && list_empty(&F.dev.read_list));
}

int fdev_set_mem_table(const struct vhost_memory_region *reg, unsigned int n)
{
	size_t len = sizeof(struct vhost_memory) + n * sizeof(*reg);
	struct vhost_memory *m = (struct vhost_memory *)g_arg;
	struct vtv_maps *before = F.dev.umem;
	int r;

	CHECK(len <= ARG_SIZE);
	memset(g_arg, 0, len);
	m->nregions = n;
	memcpy(m->regions, reg, n * sizeof(*reg));
	mutex_lock(&F.dev.mutex);
	r = vtv_dev_ioctl(&F.dev, VHOST_SET_MEM_TABLE, (void __user *)(uintptr_t)ARG_UBASE);
	if (r != -ENOIOCTLCMD)
		vtv_dev_flush(&F.dev);
	mutex_unlock(&F.dev.mutex);
	if (!r) {
		unsigned int i;

		CHECK(F.dev.umem && F.dev.umem != before);
		ref_maps_init(&F.umem, 0);
		for (i = 0; i < n; i++)
			CHECK(!ref_maps_add(&F.umem, reg[i].guest_phys_addr,
					    reg[i].guest_phys_addr + reg[i].memory_size - 1,
					    reg[i].userspace_addr, VHOST_ACCESS_RW));
		F.umem_set = true;
		ref_maps_compare(&F.umem, F.dev.umem);
	} else {
		CHECK(F.dev.umem == before, "a refused memory table was installed");
	}
	return r;
}

ssize_t fdev_iotlb_msg(bool v2, u8 type, u64 iova, u64 size, u64 uaddr, u8 perm)
{
	struct vhost_iotlb_msg *msg;
	struct iov_iter it;
	struct iovec iov;
	ssize_t r;

	memset(g_arg, 0, 72);
	if (v2) {
		struct vhost_msg_v2 *m = (struct vhost_msg_v2 *)g_arg;

		m->type = VHOST_IOTLB_MSG_V2;
		msg = &m->iotlb;
	} else {
		struct vhost_msg *m = (struct vhost_msg *)g_arg;

		m->type = VHOST_IOTLB_MSG;
		msg = &m->iotlb;
	}
	msg->iova = iova;
	msg->size = size;
	msg->uaddr = uaddr;
	msg->perm = perm;
	msg->type = type;
	iov.iov_base = (void *)(uintptr_t)ARG_UBASE;
	iov.iov_len = 72;
	iov_iter_init(&it, ITER_SOURCE, &iov, 1, 72);
	r = vtv_chr_write_iter(&F.dev, &it);
	if (r == 72)
		fdev_ref_iotlb(type, iova, size, uaddr, perm);
	return r;
}

void fdev_ref_iotlb(u8 type, u64 iova, u64 size, u64 uaddr, u8 perm)
{
	CHECK(F.iotlb_on, "an IOTLB message was taken without an IOTLB");
	if (type == VHOST_IOTLB_UPDATE)
		CHECK(!ref_maps_add(&F.iotlb, iova, iova + size - 1, uaddr, perm),
		      "the engine took an update the reference refuses");
	else if (type == VHOST_IOTLB_INVALIDATE)
		ref_maps_del_range(&F.iotlb, iova, iova + size - 1);
	/* (Compared with the engine's by fdev_check_state() after each step.) */
}

/* ---- setup from the configuration block ---- */

u64 uspec(u64 v)
{
	return v < (1ULL << 32) ? RAM_UBASE + (v & 0xffffff) : v;
}

/*
 * The configuration block:
 *   u8 cfg (CFG_*)
 *   u8 num: 1 << (n & 15); bit 7: a raw u16 follows instead
 *   u16 base (last_avail_idx)
 *   u8 ring layout: 0: desc, avail, used packed from 0x1000; else three u32
 *      follow (IOVAs with an IOTLB, else user addresses as uspec() makes them)
 *   u8 regions: 0: GPA [0, RAM_SIZE) -> guest RAM; else n & 7 of u64 gpa,
 *      u64 size, u64 uaddr (uspec())
 *   u64 log base: below 2^32, the log region's address plus the low 16 bits
 *      (signed); else the value itself
 *   u64 log_guest_addr: 0: the used ring's own GPA in the default layout;
 *      else the value - 1
 *   u8 IOTLB entries: 0: IOVA [0, RAM_SIZE) -> guest RAM; else n & 15 of
 *      u64 iova, u64 size, u64 uaddr (uspec()), u8 perm
 *   u8 kick file poll mask (bit 0: EPOLLIN, bit 1: EPOLLERR)
 *   u8 the allocation to fail, counted from SET_OWNER on (0: none)
 */
void fdev_setup(struct vt_in *in, u8 force_cfg, u8 deny_cfg)
{
	u8 cfg = (in_u8(in) | force_cfg) & ~deny_cfg;
	u8 nb = in_u8(in);
	u32 num = nb & 0x80 ? in_u16(in) : 1U << (nb & 15);
	u16 base = in_u16(in);
	u8 layout = in_u8(in);
	u64 desc, avail, used, log_base, lga;
	struct vhost_memory_region reg[8];
	struct {
		u64 iova, size, uaddr;
		u8 perm;
	} tlb[16];
	struct vhost_vring_state s;
	struct vhost_vring_addr a;
	struct vhost_vring_file f;
	unsigned int i, nreg, ntlb;
	u64 features = 0;
	u8 misc, fail;

	if (!layout) {
		desc = 0x1000;
		avail = desc + 16ULL * num;
		used = (avail + 6 + 2ULL * num + 3) & ~3ULL;
	} else {
		desc = in_u32(in);
		avail = in_u32(in);
		used = in_u32(in);
	}
	nreg = in_u8(in);
	if (!nreg) {
		reg[0].guest_phys_addr = 0;
		reg[0].memory_size = RAM_SIZE;
		reg[0].userspace_addr = RAM_UBASE;
		reg[0].flags_padding = 0;
		nreg = 1;
	} else {
		nreg &= 7;
		for (i = 0; i < nreg; i++) {
			reg[i].guest_phys_addr = in_u64(in);
			reg[i].memory_size = in_u64(in);
			reg[i].userspace_addr = uspec(in_u64(in));
			reg[i].flags_padding = 0;
		}
	}
	log_base = in_u64(in);
	/* Small: within 32 KiB of the log region (never in guest RAM). */
	log_base = log_base < (1ULL << 32) ? LOG_UBASE + (s16)log_base : log_base;
	lga = in_u64(in);
	lga = lga ? lga - 1 : used;
	ntlb = in_u8(in);
	if (!ntlb) {
		tlb[0].iova = 0;
		tlb[0].size = RAM_SIZE;
		tlb[0].uaddr = RAM_UBASE;
		tlb[0].perm = VHOST_ACCESS_RW;
		ntlb = 1;
	} else {
		ntlb &= 15;
		for (i = 0; i < ntlb; i++) {
			tlb[i].iova = in_u64(in);
			tlb[i].size = in_u64(in);
			tlb[i].uaddr = uspec(in_u64(in));
			tlb[i].perm = in_u8(in);
		}
	}
	misc = in_u8(in);
	fail = in_u8(in);

	if (cfg & CFG_VERSION_1)
		features |= 1ULL << VIRTIO_F_VERSION_1;
	if (cfg & CFG_INDIRECT)
		features |= 1ULL << VIRTIO_RING_F_INDIRECT_DESC;
	if (cfg & CFG_EVENT_IDX)
		features |= 1ULL << VIRTIO_RING_F_EVENT_IDX;
	if (cfg & CFG_IOTLB)
		features |= 1ULL << VIRTIO_F_ACCESS_PLATFORM;
	if (cfg & CFG_NOTIFY_ON_EMPTY)
		features |= 1ULL << VIRTIO_F_NOTIFY_ON_EMPTY;
	vt_shim_files[FD_KICK].mask = ((misc & 1) ? EPOLLIN : 0) | ((misc & 2) ? EPOLLERR : 0);

	/*
	 * The order QEMU uses: owner, features, memory, (log), IOTLB, rings,
	 * start.
	 */
	CHECK(!fdev_ioctl(VHOST_SET_OWNER, NULL, 0));
	if (fail)
		vt_shim.fail_alloc_at = vt_shim.allocs + fail;
	if (cfg & CFG_MSG_V2)
		vtv_set_backend_features(&F.dev, 1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2);
	fdev_set_features(features);
	fdev_set_mem_table(reg, nreg);
	if (cfg & CFG_LOG_ALL) {
		/* Migration on from the start (it resets the IOTLB, too). */
		int fd = FD_LOG;

		u64 before = F.dev.log_base;

		if (fdev_ioctl(VHOST_SET_LOG_BASE, &log_base, sizeof(log_base)))
			CHECK(F.dev.log_base == before, "a refused SET_LOG_BASE changed it");
		F.log_base = F.dev.log_base;
		fdev_ioctl(VHOST_SET_LOG_FD, &fd, sizeof(fd));
		fdev_set_features(features | (1ULL << VHOST_F_LOG_ALL));
	}
	for (i = 0; F.iotlb_on && i < ntlb; i++)
		fdev_iotlb_msg(cfg & CFG_MSG_V2, VHOST_IOTLB_UPDATE, tlb[i].iova,
			       tlb[i].size, tlb[i].uaddr, tlb[i].perm);

	s.index = 0;
	s.num = num;
	fdev_ioctl(VHOST_SET_VRING_NUM, &s, sizeof(s));
	s.num = base;
	fdev_ioctl(VHOST_SET_VRING_BASE, &s, sizeof(s));
	/* Ring offsets are user addresses in guest RAM, or IOVAs. */
	memset(&a, 0, sizeof(a));
	a.index = 0;
	a.flags = (cfg & CFG_LOG_USED) ? 1 << VHOST_VRING_F_LOG : 0;
	a.desc_user_addr = F.iotlb_on ? desc : uspec(desc);
	a.avail_user_addr = F.iotlb_on ? avail : uspec(avail);
	a.used_user_addr = F.iotlb_on ? used : uspec(used);
	a.log_guest_addr = lga;
	{
		struct vtv_vq was = *VQ;

		/* Refused: nothing of it may stay (the vq's rings and log). */
		if (fdev_ioctl(VHOST_SET_VRING_ADDR, &a, sizeof(a)))
			CHECK(VQ->desc_addr == was.desc_addr && VQ->avail_addr == was.avail_addr &&
			      VQ->used_addr == was.used_addr && VQ->log_used == was.log_used &&
			      VQ->log_guest_addr == was.log_guest_addr,
			      "a refused SET_VRING_ADDR left part of its change behind");
	}
	/* What the engine took (a refused address may be half taken). */
	F.desc = VQ->desc_addr;
	F.avail = VQ->avail_addr;
	F.used = VQ->used_addr;
	F.log_used = VQ->log_used;
	F.log_guest_addr = VQ->log_guest_addr;
	F.g_avail_idx = base;
	/*
	 * The other queue, as QEMU sets it up too (the engine on main refuses
	 * to start a device with a queue never set): 8 entries, packed at the
	 * start of guest RAM, below the default rings of queue 0.
	 */
	s.index = 1;
	s.num = 8;
	fdev_ioctl(VHOST_SET_VRING_NUM, &s, sizeof(s));
	memset(&a, 0, sizeof(a));
	a.index = 1;
	a.desc_user_addr = F.iotlb_on ? 0 : uspec(0);
	a.avail_user_addr = F.iotlb_on ? 0x80 : uspec(0x80);
	a.used_user_addr = F.iotlb_on ? 0x98 : uspec(0x98);
	fdev_ioctl(VHOST_SET_VRING_ADDR, &a, sizeof(a));

	f.index = 0;
	f.fd = FD_CALL;
	fdev_ioctl(VHOST_SET_VRING_CALL, &f, sizeof(f));
	f.fd = FD_ERR;
	fdev_ioctl(VHOST_SET_VRING_ERR, &f, sizeof(f));
	f.fd = FD_KICK;
	fdev_ioctl(VHOST_SET_VRING_KICK, &f, sizeof(f));
	fdev_start();
	vt_shim.fail_alloc_at = 0;
	fdev_check_state();
}

/* ---- the reference chain walk ---- */

static void ref_add_desc(struct ref_chain *c, const struct vring_desc *d,
			 unsigned int iov_size)
{
	u16 flags = __virtio16_to_cpu(VQ->is_le, d->flags);
	bool write = flags & VRING_DESC_F_WRITE;
	unsigned int count = c->out + c->in;
	int n;

	n = ref_translate(__virtio64_to_cpu(VQ->is_le, d->addr),
			  __virtio32_to_cpu(VQ->is_le, d->len),
			  write ? VHOST_ACCESS_WO : VHOST_ACCESS_RO,
			  &c->p[count], iov_size - count);
	if (n < 0) {
		c->err = n;
		return;
	}
	if (write) {
		c->in += n;
	} else {
		if (c->in) {
			c->err = -EINVAL;
			return;
		}
		c->out += n;
	}
}

static void ref_indirect(struct ref_chain *c, const struct vring_desc *ind,
			 unsigned int iov_size, unsigned int *walked)
{
	static struct piece table[4096];
	u32 len = __virtio32_to_cpu(VQ->is_le, ind->len);
	u64 addr = __virtio64_to_cpu(VQ->is_le, ind->addr);
	unsigned int count, found = 0, i = 0;
	struct vring_desc d;
	int n;

	if (!len || len % sizeof(d)) {
		c->err = -EINVAL;
		return;
	}
	count = len / sizeof(d);
	if (count > 65536) {
		c->err = -E2BIG;
		return;
	}
	/*
	 * The table is read entry by entry as the chain goes (not translated
	 * as a whole first, as upstream does); only its range must not wrap.
	 */
	if (addr + (len - 1) < addr) {
		c->err = -EFAULT;
		return;
	}
	n = ref_translate(addr, sizeof(d), VHOST_ACCESS_RO, table, ARRAY_SIZE(table));
	if (n > 1)
		c->ring_split = true;
	for (;;) {
		u16 flags;

		if (++found > count || ++*walked > VTV_MAX_CHAIN) {
			c->err = found > count ? -EINVAL : -E2BIG;
			return;
		}
		if (!gpa_read(addr + (u64)i * sizeof(d), &d, sizeof(d), VHOST_ACCESS_RO, NULL)) {
			c->err = -EFAULT;
			return;
		}
		flags = __virtio16_to_cpu(VQ->is_le, d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			c->err = -EINVAL;
			return;
		}
		ref_add_desc(c, &d, iov_size);
		if (c->err || !(flags & VRING_DESC_F_NEXT))
			return;
		i = __virtio16_to_cpu(VQ->is_le, d.next);
		if (i >= count) {
			c->err = -EINVAL;
			return;
		}
	}
}

static bool ring_read(struct ref_chain *c, u64 addr, void *buf, size_t len)
{
	int n = ring_xlate(addr, len, VHOST_ACCESS_RO);

	if (n > 1)
		c->ring_split = true;
	return pieces_io(n, ring_pieces, buf, false);
}

void ref_walk(struct ref_chain *c, u16 last_avail_idx, unsigned int iov_size)
{
	unsigned int num = VQ->num, i, found = 0, walked = 0;
	struct vring_desc d;
	__virtio16 h;

	memset(c, 0, offsetof(struct ref_chain, p));
	if (!ring_read(c, F.avail + offsetof(struct vring_avail, ring) +
		       2ULL * (last_avail_idx & (num - 1)), &h, sizeof(h))) {
		c->err = -EFAULT;
		return;
	}
	c->head = __virtio16_to_cpu(VQ->is_le, h);
	if (c->head >= num) {
		c->err = -EINVAL;
		return;
	}
	i = c->head;
	for (;;) {
		u16 flags;

		if (++found > num || ++walked > VTV_MAX_CHAIN) {
			c->err = found > num ? -EINVAL : -E2BIG;
			return;
		}
		if (!ring_read(c, F.desc + (u64)i * sizeof(d), &d, sizeof(d))) {
			c->err = -EFAULT;
			return;
		}
		flags = __virtio16_to_cpu(VQ->is_le, d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			if (!(F.features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC)) ||
			    (flags & VRING_DESC_F_NEXT)) {
				c->err = -EINVAL;
				return;
			}
			ref_indirect(c, &d, iov_size, &walked);
		} else {
			ref_add_desc(c, &d, iov_size);
		}
		if (c->err || !(flags & VRING_DESC_F_NEXT))
			return;
		i = __virtio16_to_cpu(VQ->is_le, d.next);
		if (i >= num) {
			c->err = -EINVAL;
			return;
		}
	}
}

int take_and_check(unsigned int iov_size, unsigned int *out, unsigned int *in,
		   unsigned int *log_num, struct ref_chain *ref)
{
	u16 last = VQ->last_avail_idx, cached = VQ->avail_idx, gidx = 0;
	unsigned int num = VQ->num, i;
	bool empty = false, bad_idx = false, idx_ok = true;
	int r;

	CHECK(F.started);
	ref_miss.valid = false;
	if (cached == last) {
		__virtio16 v;

		idx_ok = g_read(F.avail + offsetof(struct vring_avail, idx), &v, 2,
				VHOST_ACCESS_RO);
		gidx = __virtio16_to_cpu(VQ->is_le, v);
		empty = idx_ok && gidx == last;
		bad_idx = idx_ok && (u16)(gidx - last) > num;
	}
	ref_walk(ref, last, iov_size);

	*out = *in = 0;
	if (log_num)
		*log_num = 0;
	mutex_lock(&VQ->mutex);
	/* No log_num: no log, as vhost_vsock's TX path asks. */
	r = vtv_get_vq_desc(VQ, VQ->iov, iov_size, out, in, log_num ? VQ->log : NULL,
			    log_num);
	mutex_unlock(&VQ->mutex);

	if (vt_trace)
		fprintf(stderr, "take: last %u cached %u guest %u%s%s: engine %d (out %u in %u), reference %d head %u (out %u in %u)%s\n",
			last, cached, gidx, idx_ok ? "" : " (unreadable)", bad_idx ? " (too far)" : "",
			r, *out, *in, ref->err, ref->head, ref->out, ref->in,
			ref->ring_split ? " split" : "");
	CHECK(r < 0 || (unsigned int)r <= num, "head %d, num %u", r, num);
	if (r < 0 || (unsigned int)r == num)
		CHECK(VQ->last_avail_idx == last, "last_avail_idx moved on %d", r);
	if (!idx_ok || bad_idx) {
		CHECK(r < 0, "the avail index was %s, yet %d",
		      idx_ok ? "too far ahead" : "unreadable", r);
		return r;
	}
	if (empty) {
		CHECK(r == (int)num, "an empty ring gave %d", r);
		CHECK(VQ->avail_idx == last);
		return r;
	}
	CHECK(r != (int)num, "a ring with entries seemed empty (avail %u, last %u)",
	      cached == last ? gidx : cached, last);
	if (r < 0) {
		if (!ref->err) {
			/* The engine refused what the reference takes. */
			CHECK(r == -ENOBUFS && ref->ring_split,
			      "the engine refused a valid chain at head %u: %d", ref->head, r);
			vt_known(KNOWN_RING_IOV_LIMIT);
		}
		return r;
	}
	CHECK(!ref->err, "the engine took chain %d, the reference refuses it: %d", r, ref->err);
	CHECK(VQ->last_avail_idx == (u16)(last + 1));
	CHECK(r == ref->head, "head %d, reference %u", r, ref->head);
	CHECK(*out + *in <= iov_size, "%u + %u iovecs, room for %u", *out, *in, iov_size);
	CHECK(*out == ref->out && *in == ref->in, "out %u in %u, reference out %u in %u",
	      *out, *in, ref->out, ref->in);
	CHECK(!log_num || *log_num <= VTV_MAX_IOV);
	for (i = 0; i < *out + *in; i++)
		CHECK((uintptr_t)VQ->iov[i].iov_base == ref->p[i].uaddr &&
		      VQ->iov[i].iov_len == ref->p[i].len,
		      "iov %u: %p+%zu, reference %llx+%llu", i, VQ->iov[i].iov_base,
		      VQ->iov[i].iov_len, ref->p[i].uaddr, ref->p[i].len);
	return r;
}

int add_used_and_check(unsigned int head, u32 len)
{
	u16 before = VQ->last_used_idx;
	unsigned int num = VQ->num;
	struct vring_used_elem e;
	__virtio16 idx;
	u64 off;
	int r;

	/* Where an IOTLB miss would be: the entry, else the index. */
	off = offsetof(struct vring_used, ring) + 8ULL * (before & (num - 1));
	ref_miss.valid = false;
	if (ring_xlate(F.used + off, sizeof(e), VHOST_ACCESS_WO) >= 0)
		ring_xlate(F.used + offsetof(struct vring_used, idx), 2, VHOST_ACCESS_WO);
	mutex_lock(&VQ->mutex);
	r = vtv_add_used(VQ, head, len);
	mutex_unlock(&VQ->mutex);
	if (r) {
		CHECK(VQ->last_used_idx == before);
		return r;
	}
	CHECK(VQ->last_used_idx == (u16)(before + 1));
	F.used_idx++;
	/* What the guest sees, read back through the guest's own view. */
	CHECK(g_read(F.used + offsetof(struct vring_used, idx), &idx, 2, 0),
	      "used index written where the guest cannot read it");
	/* (Unless the IOTLB maps its two bytes onto the same host byte.) */
	if (!g_alias(F.used + offsetof(struct vring_used, idx), 2,
		     F.used + offsetof(struct vring_used, idx), 2))
		CHECK(__virtio16_to_cpu(VQ->is_le, idx) == (u16)(before + 1),
		      "used index %u, written %u", __virtio16_to_cpu(VQ->is_le, idx),
		      (u16)(before + 1));
	CHECK(g_read(F.used + off, &e, sizeof(e), 0));
	/* (Unless the IOTLB maps the index onto the entry: then it won.) */
	if (!g_alias(F.used + off, sizeof(e), F.used + offsetof(struct vring_used, idx), 2) &&
	    !g_alias(F.used + off, sizeof(e), F.used + off, sizeof(e)))
		CHECK(__virtio32_to_cpu(VQ->is_le, e.id) == head &&
		      __virtio32_to_cpu(VQ->is_le, e.len) == len,
		      "used entry %u: id %u len %u, written %u %u", before & (num - 1),
		      __virtio32_to_cpu(VQ->is_le, e.id), __virtio32_to_cpu(VQ->is_le, e.len),
		      head, len);
	/* A used index that wrapped onto the last signalled one: signal again. */
	if (F.sig_valid && F.used_idx == F.sig_old)
		F.sig_valid = false;
	return 0;
}

void fdev_check_state(void)
{
	unsigned int num = VQ->num;

	CHECK(vt_shim.locks_held == 0);
	CHECK(vt_shim.pins == 0);
	CHECK(num && num <= 32768 && !(num & (num - 1)), "num %u", num);
	CHECK((u16)(VQ->avail_idx - VQ->last_avail_idx) <= num,
	      "cached avail %u, last %u", VQ->avail_idx, VQ->last_avail_idx);
	if (F.started)
		CHECK(VQ->last_used_idx == F.used_idx);
	CHECK(F.dev.nvqs == 2);
	if (F.dev.iotlb)
		ref_maps_compare(&F.iotlb, F.dev.iotlb);
	if (F.dev.umem)
		ref_maps_compare(&F.umem, F.dev.umem);
}
