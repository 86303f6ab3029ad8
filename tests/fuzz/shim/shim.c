// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz shim's implementation of the kernel API in include/vt_shim.h,
 * and the engine's worker entry points (src/vtv_worker.c runs kthreads and
 * is not compiled here: work is counted, never run).
 */
#include <linux/uio.h>
#include "vtv.h"
#include "vt_shim_state.h"

struct task_struct vt_shim_task;
struct vt_shim_state vt_shim;
void (*vt_umem_write_hook)(u64 uaddr, u64 len);
unsigned long vt_shim_works_queued;

static struct mm_struct vt_shim_mm;
static struct vt_uregion vt_uregions[VT_UMEM_MAX];
static int vt_nuregions;
struct file vt_shim_files[VT_SHIM_NFDS];
struct eventfd_ctx vt_shim_ctxs[VT_SHIM_NFDS];
static struct page vt_shim_pages[VT_SHIM_MAX_PINS];

void vt_shim_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "vt_shim: %s:%d: kernel API misuse: %s\n", file, line, what);
	abort();
}

/* ---- allocation ---- */

void *vt_shim_alloc(size_t n, size_t size, gfp_t flags)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	vt_shim.allocs++;
	if (vt_shim.fail_alloc_at && vt_shim.allocs == vt_shim.fail_alloc_at)
		return NULL;
	if (!n || !size)
		return ZERO_SIZE_PTR;
	/* Large enough to be a bug in itself: more than a test can mean. */
	VT_SHIM_ASSERT(n * size <= (64u << 20));
	p = (flags & __GFP_ZERO) ? calloc(n, size) : malloc(n * size);
	if (p)
		vt_shim.live_allocs++;
	return p;
}

void vt_shim_free(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	VT_SHIM_ASSERT(vt_shim.live_allocs > 0);
	vt_shim.live_allocs--;
	free((void *)p);
}

/* ---- locks ---- */

void vt_shim_lock(int *l, const char *file, int line)
{
	if (*l)
		vt_shim_fail("lock taken twice (deadlock)", file, line);
	*l = 1;
	vt_shim.locks_held++;
}

void vt_shim_unlock(int *l, const char *file, int line)
{
	if (!*l)
		vt_shim_fail("unlock of a lock not held", file, line);
	*l = 0;
	vt_shim.locks_held--;
}

/* ---- module parameters ---- */

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end == '\n')
		end++;
	if (*end || errno)
		return -EINVAL;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int param_set_uint(const char *val, const struct kernel_param *kp)
{
	return kstrtouint(val, 0, kp->arg);
}

int param_get_uint(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%u\n", *(unsigned int *)kp->arg);
}

/* ---- task ---- */

struct mm_struct *get_task_mm(struct task_struct *t)
{
	if (t->mm)
		t->mm->users++;
	return t->mm;
}

void mmput(struct mm_struct *mm)
{
	VT_SHIM_ASSERT(mm->users > 0);
	mm->users--;
}

/* ---- files and eventfds ---- */

struct file *eventfd_fget(int fd)
{
	if (fd < 0 || fd >= VT_SHIM_NFDS)
		return ERR_PTR(-EBADF);
	vt_shim_files[fd].refs++;
	return &vt_shim_files[fd];
}

struct eventfd_ctx *eventfd_ctx_fdget(int fd)
{
	if (fd < 0 || fd >= VT_SHIM_NFDS)
		return ERR_PTR(-EBADF);
	vt_shim_ctxs[fd].refs++;
	return &vt_shim_ctxs[fd];
}

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	VT_SHIM_ASSERT(ctx->refs > 0);
	ctx->refs--;
}

void fput(struct file *file)
{
	VT_SHIM_ASSERT(file->refs > 0);
	file->refs--;
}

void eventfd_signal(struct eventfd_ctx *ctx)
{
	VT_SHIM_ASSERT(ctx->refs > 0);
	ctx->count++;
}

__poll_t vfs_poll(struct file *file, poll_table *pt)
{
	VT_SHIM_ASSERT(file->refs > 0);
	if (pt && pt->_qproc)
		pt->_qproc(file, &file->wqh, pt);
	return file->mask;
}

/* ---- user memory ---- */

void vt_umem_clear(void)
{
	vt_nuregions = 0;
}

void vt_umem_add(u64 ubase, void *host, u64 size)
{
	VT_SHIM_ASSERT(vt_nuregions < VT_UMEM_MAX);
	VT_SHIM_ASSERT(size && vt_shim_access_ok(ubase, size));
	vt_uregions[vt_nuregions].ubase = ubase;
	vt_uregions[vt_nuregions].size = size;
	vt_uregions[vt_nuregions].host = host;
	vt_nuregions++;
}

/* The region holding user address a, and how many bytes are left in it. */
static struct vt_uregion *vt_umem_find(u64 a, u64 *left)
{
	int i;

	for (i = 0; i < vt_nuregions; i++) {
		struct vt_uregion *r = &vt_uregions[i];

		if (a >= r->ubase && a - r->ubase < r->size) {
			*left = r->size - (a - r->ubase);
			return r;
		}
	}
	return NULL;
}

unsigned char *vt_umem_host(u64 uaddr, u64 len)
{
	struct vt_uregion *r;
	u64 left;

	r = vt_umem_find(uaddr, &left);
	if (!r || len > left)
		return NULL;
	return r->host + (uaddr - r->ubase);
}

/* As the kernel's: copies what it can, zeroes the rest, returns the rest. */
unsigned long vt_copy_from_user(void *to, u64 from, unsigned long n)
{
	unsigned char *dst = to;

	vt_shim.uaccesses++;
	while (n) {
		struct vt_uregion *r;
		u64 left, l;

		if (from >= TASK_SIZE_MAX)
			break;
		r = vt_umem_find(from, &left);
		if (!r)
			break;
		l = min((u64)n, left);
		memcpy(dst, r->host + (from - r->ubase), l);
		dst += l;
		from += l;
		n -= l;
	}
	if (n) {
		memset(dst, 0, n);
		vt_shim.ufaults++;
	}
	return n;
}

unsigned long vt_copy_to_user(u64 to, const void *from, unsigned long n)
{
	const unsigned char *src = from;

	vt_shim.uaccesses++;
	while (n) {
		struct vt_uregion *r;
		u64 left, l;

		if (to >= TASK_SIZE_MAX)
			break;
		r = vt_umem_find(to, &left);
		if (!r)
			break;
		l = min((u64)n, left);
		memcpy(r->host + (to - r->ubase), src, l);
		if (vt_umem_write_hook)
			vt_umem_write_hook(to, l);
		src += l;
		to += l;
		n -= l;
	}
	if (n)
		vt_shim.ufaults++;
	return n;
}

/* ---- pinned pages ---- */

int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	unsigned char *host;
	int i;

	VT_SHIM_ASSERT(nr_pages == 1);
	start &= PAGE_MASK;
	if (!vt_shim_access_ok(start, PAGE_SIZE))
		return -EFAULT;
	host = vt_umem_host(start, PAGE_SIZE);
	if (!host)
		return -EFAULT;
	for (i = 0; i < VT_SHIM_MAX_PINS; i++) {
		if (!vt_shim_pages[i].pins) {
			vt_shim_pages[i].uaddr = start;
			vt_shim_pages[i].host = host;
			vt_shim_pages[i].pins = 1;
			vt_shim_pages[i].kmaps = 0;
			pages[0] = &vt_shim_pages[i];
			vt_shim.pins++;
			return 1;
		}
	}
	vt_shim_fail("too many pages pinned at once (leak)", __FILE__, __LINE__);
}

void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages,
				 bool make_dirty)
{
	VT_SHIM_ASSERT(npages == 1 && make_dirty);
	VT_SHIM_ASSERT(pages[0]->pins == 1 && !pages[0]->kmaps);
	pages[0]->pins = 0;
	vt_shim.pins--;
}

void *kmap_local_page(struct page *page)
{
	VT_SHIM_ASSERT(page->pins > 0);
	page->kmaps++;
	return page->host;
}

void vt_shim_kunmap_local(const void *addr)
{
	int i;

	for (i = 0; i < VT_SHIM_MAX_PINS; i++) {
		struct page *p = &vt_shim_pages[i];

		if (p->pins && p->kmaps &&
		    (const unsigned char *)addr >= p->host &&
		    (const unsigned char *)addr < p->host + PAGE_SIZE) {
			p->kmaps--;
			return;
		}
	}
	vt_shim_fail("kunmap_local of an address not mapped", __FILE__, __LINE__);
}

/* ---- iov_iter over user iovecs ---- */

void iov_iter_init(struct iov_iter *i, unsigned int direction,
		   const struct iovec *iov, unsigned long nr_segs, size_t count)
{
	i->dir = direction;
	i->iov = iov;
	i->nr_segs = nr_segs;
	i->iov_offset = 0;
	i->count = count;
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	bytes = min(bytes, i->count);
	i->count -= bytes;
	while (bytes) {
		size_t l;

		VT_SHIM_ASSERT(i->nr_segs);
		l = min(bytes, i->iov->iov_len - i->iov_offset);
		bytes -= l;
		i->iov_offset += l;
		if (i->iov_offset == i->iov->iov_len) {
			i->iov++;
			i->nr_segs--;
			i->iov_offset = 0;
		}
	}
	/* Skip empty segments, as the kernel's iterator does. */
	while (i->count && i->nr_segs && i->iov->iov_len == i->iov_offset) {
		i->iov++;
		i->nr_segs--;
		i->iov_offset = 0;
	}
}

static size_t vt_iter_copy(void *addr, size_t bytes, struct iov_iter *i, bool to_user)
{
	unsigned char *p = addr;
	size_t done = 0;

	bytes = min(bytes, i->count);
	while (done < bytes) {
		u64 u;
		size_t l, left;

		VT_SHIM_ASSERT(i->nr_segs);
		if (i->iov_offset == i->iov->iov_len) {
			i->iov++;
			i->nr_segs--;
			i->iov_offset = 0;
			continue;
		}
		u = (uintptr_t)i->iov->iov_base + i->iov_offset;
		l = min(bytes - done, i->iov->iov_len - i->iov_offset);
		left = to_user ? vt_copy_to_user(u, p + done, l) :
				 vt_copy_from_user(p + done, u, l);
		l -= left;
		iov_iter_advance(i, l);
		done += l;
		if (left)
			break;
	}
	return done;
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	VT_SHIM_ASSERT(i->dir == ITER_SOURCE);
	return vt_iter_copy(addr, bytes, i, false);
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	VT_SHIM_ASSERT(i->dir == ITER_DEST);
	return vt_iter_copy((void *)addr, bytes, i, true);
}

/* ---- the worker: counted, never run ---- */

void vtv_work_init(struct vtv_work *work, vtv_work_fn_t fn)
{
	work->fn = fn;
	work->flags = 0;
	work->node.next = NULL;
}

bool vtv_work_queue(struct vtv_dev *dev, struct vtv_work *work)
{
	/* Only an owned device has a worker (as dev->worker in vtv_worker.c). */
	if (!dev->mm)
		return false;
	vt_shim_works_queued++;
	return true;
}

void vtv_dev_flush(struct vtv_dev *dev)
{
}

int vtv_worker_create(struct vtv_dev *dev)
{
	vt_shim.workers++;
	return 0;
}

void vtv_worker_destroy(struct vtv_dev *dev)
{
	if (dev->mm)
		vt_shim.workers--;
}

/* ---- for the harness ---- */

void vt_shim_reset(void)
{
	memset(&vt_shim, 0, sizeof(vt_shim));
	memset(vt_shim_files, 0, sizeof(vt_shim_files));
	memset(vt_shim_ctxs, 0, sizeof(vt_shim_ctxs));
	memset(vt_shim_pages, 0, sizeof(vt_shim_pages));
	memset(&vt_shim_mm, 0, sizeof(vt_shim_mm));
	vt_shim_task.mm = &vt_shim_mm;
	vt_shim_task.sigpending = 0;
	vt_umem_write_hook = NULL;
	vt_umem_clear();
}

/* Everything taken was given back: locks, pins, references, memory. */
void vt_shim_check_balanced(void)
{
	int i;

	VT_SHIM_ASSERT(vt_shim.locks_held == 0);
	VT_SHIM_ASSERT(vt_shim.pins == 0);
	VT_SHIM_ASSERT(vt_shim.live_allocs == 0);
	VT_SHIM_ASSERT(vt_shim.workers == 0);
	VT_SHIM_ASSERT(vt_shim_mm.users == 0);
	for (i = 0; i < VT_SHIM_NFDS; i++) {
		VT_SHIM_ASSERT(vt_shim_files[i].refs == 0);
		VT_SHIM_ASSERT(vt_shim_files[i].wqh.waiters == 0);
		VT_SHIM_ASSERT(vt_shim_ctxs[i].refs == 0);
	}
}
