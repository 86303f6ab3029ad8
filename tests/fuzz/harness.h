/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared parts of the fuzz targets: the fuzz input reader, the user memory
 * (guest RAM, dirty log, ioctl arguments), a vhost-vsock device driven
 * through the engine's own entry points as src/vhost_vsock_main.c drives
 * them, and reference models written independently of src/ (the maps, the
 * translation, the chain walk) to compare the engine against.
 */
#ifndef VT_FUZZ_HARNESS_H
#define VT_FUZZ_HARNESS_H

#include <linux/uio.h>
#include "vtv.h"
#include "vt_shim_state.h"

/* User memory: guest RAM, the dirty log bitmap, ioctl/message arguments. */
#define RAM_UBASE 0x10000000ULL
#define RAM_SIZE 0x10000ULL
#define LOG_UBASE 0x20000000ULL
#define LOG_SIZE 0x2000ULL
#define ARG_UBASE 0x30000000ULL
#define ARG_SIZE 0x10000ULL

extern unsigned char *g_ram, *g_log, *g_arg;

/*
 * src/vtv_dev.c's module parameters: read here, set with set_param() as
 * modprobe would (the module may refuse a value); harness_begin() sets the
 * defaults again.
 */
unsigned int *vt_shim_param_max_mem_regions(void);
unsigned int *vt_shim_param_max_iotlb_entries(void);
int vt_shim_param_set_max_mem_regions(const char *val);
int vt_shim_param_set_max_iotlb_entries(const char *val);
#define MAX_MEM_REGIONS (*vt_shim_param_max_mem_regions())
#define MAX_IOTLB_ENTRIES (*vt_shim_param_max_iotlb_entries())
int set_param(int (*set)(const char *val), unsigned int value);

/* Reference checks in the targets: no coverage feedback (see Makefile). */
#define VT_NOCOV __attribute__((no_sanitize("coverage"), noinline))

/* ---- the fuzz input ---- */

struct vt_in {
	const u8 *p;
	size_t n;
};

static inline bool in_empty(const struct vt_in *in)
{
	return !in->n;
}

static inline u8 in_u8(struct vt_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline u16 in_u16(struct vt_in *in)
{
	return in_u8(in) | (u16)in_u8(in) << 8;
}

static inline u32 in_u32(struct vt_in *in)
{
	return in_u16(in) | (u32)in_u16(in) << 16;
}

static inline u64 in_u64(struct vt_in *in)
{
	return in_u32(in) | (u64)in_u32(in) << 32;
}

/*
 * A 64-bit value near the edges that matter: u8 tag, then
 *   0: a raw u64; 1: a u16; 2: U64_MAX - u16; 3: u16 << 12 (pages);
 *   4: 2^32 + s16; 5: 2^63 + s16; 6, 7: the previous value + s16.
 */
u64 in_val(struct vt_in *in);

/*
 * A user address from the input: below 2^32, an offset (24 bits) from the
 * guest RAM's base, so that it never lands in the log or argument regions;
 * else the value itself (no user memory is there).
 */
u64 uspec(u64 v);

/* ---- failure reports ---- */

void vt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
#define CHECK(c, ...) do { if (!(c)) vt_fail(__FILE__, __LINE__, "CHECK(" #c ") " __VA_ARGS__); } while (0)

/*
 * A known limitation of src/ (not a memory-safety issue): counted and listed
 * at exit; VT_FUZZ_STRICT=1 makes it fail like any other finding.
 */
void vt_known(int id);
enum {
	KNOWN_RING_IOV_LIMIT,	/* ring/indirect table reads: fixed iovec arrays */
	KNOWN_LOG_IOV_LIMIT,	/* vtv_log_write: fixed iovec array per entry */
	KNOWN_LOG_ONE_ALIAS,	/* IOTLB logging: only the first alias of an HVA */
	KNOWN_MAX,
};

/* VT_FUZZ_TRACE=1: say what each step did, on stderr. */
extern bool vt_trace;

/* Counters printed at exit (per target meaning, named by the target). */
extern unsigned long vt_stat[8];
extern const char *vt_stat_name[8];

/* ---- reference interval maps (independent of src/vtv_maps.c) ---- */

struct ref_map {
	u64 start, last, addr;
	u32 perm;
};

#define REF_MAPS_MAX 4096
struct ref_maps {
	struct ref_map m[REF_MAPS_MAX];	/* in insertion order */
	unsigned int n;
	unsigned int limit;		/* 0: none */
};

void ref_maps_init(struct ref_maps *r, unsigned int limit);
int ref_maps_add(struct ref_maps *r, u64 start, u64 last, u64 addr, u32 perm);
void ref_maps_del_range(struct ref_maps *r, u64 start, u64 last);
/* The entry with the lowest start overlapping [start, last]. */
const struct ref_map *ref_maps_find(const struct ref_maps *r, u64 start, u64 last);
/* The engine's maps hold exactly these entries, in this order. */
void ref_maps_compare(const struct ref_maps *r, struct vtv_maps *maps);

/* ---- the device ---- */

#define FD_CALL 0
#define FD_ERR 1
#define FD_KICK 2
#define FD_LOG 3

struct piece {
	u64 uaddr;	/* user address */
	u64 len;
	u64 gaddr;	/* the guest address (GPA, or IOVA) it came from */
	bool write;
};

struct fdev {
	struct vtv_dev dev;
	struct vtv_vq vqs[2];
	struct vtv_vq *vqp[2];

	/* What the reference knows was accepted. */
	u64 features;
	bool umem_set;
	struct ref_maps umem;
	bool iotlb_on;
	struct ref_maps iotlb;
	u64 log_base;
	u64 desc, avail, used;		/* ring addresses as set */
	bool log_used;
	u64 log_guest_addr;
	bool started;

	/* The guest's side. */
	u16 g_avail_idx;		/* the next avail index the guest writes */

	/* What the engine was seen to do. */
	u16 used_idx;			/* used entries added since start */
	u16 sig_old;			/* reference of notification state */
	bool sig_valid;
};

extern struct fdev F;
#define VQ (&F.vqs[0])

/* Device setup from the input's configuration block (see harness.c). */
enum {
	CFG_VERSION_1 = 1 << 0,
	CFG_INDIRECT = 1 << 1,
	CFG_EVENT_IDX = 1 << 2,
	CFG_IOTLB = 1 << 3,
	CFG_LOG_ALL = 1 << 4,
	CFG_NOTIFY_ON_EMPTY = 1 << 5,
	CFG_LOG_USED = 1 << 6,
	CFG_MSG_V2 = 1 << 7,
};
void fdev_setup(struct vt_in *in, u8 force_cfg, u8 deny_cfg);
void fdev_teardown(void);

long fdev_ioctl(unsigned int cmd, void *arg, size_t len);
int fdev_set_features(u64 features);
int fdev_start(void);
void fdev_stop(void);
int fdev_set_mem_table(const struct vhost_memory_region *r, unsigned int n);
/* An IOTLB message through vtv_chr_write_iter, as one user buffer. */
ssize_t fdev_iotlb_msg(bool v2, u8 type, u64 iova, u64 size, u64 uaddr, u8 perm);
/* The reference's view of an accepted IOTLB update/invalidate. */
void fdev_ref_iotlb(u8 type, u64 iova, u64 size, u64 uaddr, u8 perm);

/* ---- reference translation and guest memory access ---- */

/* The first IOTLB miss a reference walk met (cleared by take_and_check()). */
struct ref_miss {
	bool valid;
	u64 iova;
	u32 access;
};
extern struct ref_miss ref_miss;

/* Guest address -> user pieces, as the device must see them; access 0: any. */
int ref_translate(u64 addr, u64 len, u32 access, struct piece *p, int max);
/* Read/write guest ring memory (addresses as the rings use them). */
bool g_read(u64 addr, void *buf, size_t len, u32 access);
bool g_write(u64 addr, const void *buf, size_t len);
bool g_alias(u64 a, size_t la, u64 b, size_t lb);
bool g_writable(u64 addr, size_t len);
bool log_mapped(u64 gpa, u64 len);
bool used_log_ok(u64 off, u64 len);

/* The guest's side of the rings. */
void g_put_desc(u16 idx, u64 addr, u32 len, u16 flags, u16 next);
void g_put_idesc(u64 table_off, u16 idx, u64 addr, u32 len, u16 flags, u16 next);
void g_push_avail(u16 head);
void g_set_avail_idx(u16 idx);
void g_set_avail_flags(u16 flags);
void g_set_used_event(u16 idx);

/*
 * What a guest (or its IOMMU) does, op 0 to GUEST_OPS - 1, with arguments
 * from the input:
 *   0 desc   u16 idx, u64 addr, u32 len, u16 flags, u16 next (ring entry)
 *   1 idesc  u16 table offset in RAM, u16 idx, u64 addr, u32 len, u16 flags, u16 next
 *   2 avail  u16 head (made available)
 *   3 idx    u16 (the avail index set to anything)
 *   4 poke   u16 RAM offset, u8 len, bytes
 *   5 iotlb  u8 kind (bit 0: invalidate, bit 1: v2), u64 iova, u64 size,
 *            u64 uaddr (uspec()), u8 perm
 *   6 chain  u16 first, u8 n, u64 addr, u32 len, u16 flags: n linked ring
 *            entries from first on, buffers of len bytes one after the other
 *   7 ichain u16 table offset, u8 n, u64 addr, u32 len, u16 flags: the same
 *            in an indirect table
 *   8 split  u64 iova, u8 n, u8 size - 1: n IOTLB entries of size bytes
 *            from iova (mod RAM size), identity onto guest RAM
 */
#define GUEST_OPS 9
void guest_op(unsigned int op, struct vt_in *in);

/* ---- the reference chain walk ---- */

#define REF_MAX_PIECES (VTV_MAX_IOV + 1)
struct ref_chain {
	int err;		/* 0, or why the chain is refused */
	u16 head;
	unsigned int out, in;	/* pieces */
	bool ring_split;	/* a ring or table read needed many pieces */
	struct piece p[REF_MAX_PIECES];	/* (not cleared between walks) */
};

/* Walk the chain at the guest's avail slot of last_avail_idx. */
void ref_walk(struct ref_chain *c, u16 last_avail_idx, unsigned int iov_size);

/*
 * Take one chain with vtv_get_vq_desc() and check it against the reference:
 * returns the head, num, or a negative error as the engine did.  With
 * log_num NULL, no dirty log is asked for (vhost_vsock's TX path).
 */
int take_and_check(unsigned int iov_size, unsigned int *out, unsigned int *in,
		   unsigned int *log_num, struct ref_chain *ref);
/* vtv_add_used() and a check of the used ring the guest sees. */
int add_used_and_check(unsigned int head, u32 len);
/* Invariants that hold between any two operations. */
void fdev_check_state(void);

/* Fuzzer entry helpers. */
void harness_init(const char *name);
void harness_begin(void);
void harness_end(void);

#endif
