/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel API that src/vtv_*.c use, so that the
 * fuzz targets compile the module's own source files unchanged.  Every
 * header under linux/ and net/ here only includes this file (and, where the
 * kernel's header wraps a uapi one, the system's own uapi copy): the headers are shimmed, never
 * the functions of src/.
 *
 * User memory is a small set of regions the harness owns (vt_umem_*): a user
 * address is an offset into one of them, and every access outside them fails
 * as EFAULT would, without touching real memory.  Locks, reference counts,
 * page pins and kmaps are checked for balance instead of being no-ops.
 */
#ifndef VT_SHIM_H
#define VT_SHIM_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <linux/types.h>	/* the system's uapi header */

/* ---- compiler, types ---- */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef unsigned int gfp_t;

#define __user
#define __force
#define __iomem
#define __rcu
#define __must_check
#define __maybe_unused __attribute__((__unused__))
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __init
#define __exit
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_mb() barrier()
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     (void)(&_a == &_b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     (void)(&_a == &_b); _a > _b ? _a : _b; })
#define min_t(t, a, b) ({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define swap(a, b) do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define BITS_PER_LONG (8 * (int)sizeof(long))

/* Kernel-internal error numbers (never seen by userspace). */
#define ERESTARTSYS 512
#define ENOIOCTLCMD 515

#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }

/* A broken invariant of the kernel API (double unlock, unbalanced put...). */
void vt_shim_fail(const char *what, const char *file, int line) __attribute__((noreturn));
#define VT_SHIM_ASSERT(c) do { if (!(c)) vt_shim_fail(#c, __FILE__, __LINE__); } while (0)
#define BUG_ON(c) VT_SHIM_ASSERT(!(c))
#define WARN_ON(c) ({ bool _w = !!(c); if (_w) vt_shim_fail("WARN_ON(" #c ")", __FILE__, __LINE__); _w; })
#define WARN_ON_ONCE(c) WARN_ON(c)

/* ---- printing: type-checked, never printed ---- */

struct va_format {
	const char *fmt;
	va_list *va;
};

static inline __printf(1, 2) void vt_shim_no_printk(const char *fmt, ...) { (void)fmt; }
#define pr_debug(...) vt_shim_no_printk(__VA_ARGS__)
#define pr_info(...) vt_shim_no_printk(__VA_ARGS__)
#define pr_warn(...) vt_shim_no_printk(__VA_ARGS__)
#define pr_err(...) vt_shim_no_printk(__VA_ARGS__)

/* ---- module ---- */

/*
 * Module parameters: vt_shim_param_NAME() gives the value's address, and
 * vt_shim_param_set_NAME("value") sets it as modprobe would (through the
 * parameter's own ops->set() for module_param_cb(), which may refuse).
 */
struct kernel_param;
struct kernel_param_ops {
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
};

struct kernel_param {
	const char *name;
	const struct kernel_param_ops *ops;
	void *arg;
};

int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int param_set_uint(const char *val, const struct kernel_param *kp);
int param_get_uint(char *buffer, const struct kernel_param *kp);

#define module_param(name, type, perm)					\
	__typeof__(name) *vt_shim_param_##name(void);			\
	__typeof__(name) *vt_shim_param_##name(void) { return &name; }	\
	int vt_shim_param_set_##name(const char *val);			\
	int vt_shim_param_set_##name(const char *val)			\
	{								\
		const struct kernel_param kp = { #name, NULL, &name };	\
		return param_set_##type(val, &kp);			\
	}
#define module_param_cb(name, ops_, arg, perm)				\
	__typeof__(arg) vt_shim_param_##name(void);			\
	__typeof__(arg) vt_shim_param_##name(void) { return arg; }	\
	int vt_shim_param_set_##name(const char *val);			\
	int vt_shim_param_set_##name(const char *val)			\
	{								\
		const struct kernel_param kp = { #name, ops_, arg };	\
		return (ops_)->set(val, &kp);				\
	}
#define MODULE_PARM_DESC(name, desc)
#define THIS_MODULE NULL

/* ---- lists (include/linux/list.h, written anew) ---- */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	n->prev = head;
	n->next = head->next;
	head->next->prev = n;
	head->next = n;
}

static inline void list_del(struct list_head *e)
{
	VT_SHIM_ASSERT(e->next && e->prev && e->next->prev == e && e->prev->next == e);
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_first_entry_or_null(head, type, member) \
	(list_empty(head) ? NULL : list_first_entry(head, type, member))
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

struct llist_node {
	struct llist_node *next;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

/* ---- interval tree (see shim/interval_tree.h) ---- */

struct rb_node {
	struct rb_node *next, *prev;	/* a sorted list: simple and correct */
};

struct rb_root_cached {
	struct rb_node *first, *last;
};

#define RB_ROOT_CACHED ((struct rb_root_cached){ NULL, NULL })

/* ---- memory allocation, with failure injection ---- */

#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define __GFP_ZERO 0x100u
#define __GFP_RETRY_MAYFAIL 0x200u
#define __GFP_NOWARN 0x400u
/* kmalloc(0) gives this, as in the kernel: any dereference faults. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

void *vt_shim_alloc(size_t n, size_t size, gfp_t flags);
void vt_shim_free(const void *p);
#define kmalloc(size, flags) vt_shim_alloc(1, size, flags)
#define kzalloc(size, flags) vt_shim_alloc(1, size, (flags) | __GFP_ZERO)
#define kmalloc_array(n, size, flags) vt_shim_alloc(n, size, flags)
#define kcalloc(n, size, flags) vt_shim_alloc(n, size, (flags) | __GFP_ZERO)
#define kvmalloc(size, flags) vt_shim_alloc(1, size, flags)
#define kvzalloc(size, flags) vt_shim_alloc(1, size, (flags) | __GFP_ZERO)
#define kvmalloc_array(n, size, flags) vt_shim_alloc(n, size, flags)
#define kvcalloc(n, size, flags) vt_shim_alloc(n, size, (flags) | __GFP_ZERO)
#define vmalloc(size) vt_shim_alloc(1, size, GFP_KERNEL)
#define vzalloc(size) vt_shim_alloc(1, size, GFP_KERNEL | __GFP_ZERO)
#define kfree(p) vt_shim_free(p)
#define kvfree(p) vt_shim_free(p)
#define vfree(p) vt_shim_free(p)

/* ---- locking: checked for balance ---- */

struct mutex {
	int locked;
};

struct vt_spinlock {
	int locked;
};
typedef struct vt_spinlock spinlock_t;

void vt_shim_lock(int *l, const char *file, int line);
void vt_shim_unlock(int *l, const char *file, int line);
#define mutex_init(m) ((m)->locked = 0)
#define mutex_lock(m) vt_shim_lock(&(m)->locked, __FILE__, __LINE__)
#define mutex_lock_nested(m, c) vt_shim_lock(&(m)->locked, __FILE__, __LINE__)
#define mutex_unlock(m) vt_shim_unlock(&(m)->locked, __FILE__, __LINE__)
#define mutex_is_locked(m) ((m)->locked)
#define spin_lock_init(s) ((s)->locked = 0)
#define spin_lock(s) vt_shim_lock(&(s)->locked, __FILE__, __LINE__)
#define spin_unlock(s) vt_shim_unlock(&(s)->locked, __FILE__, __LINE__)
#define spin_lock_irqsave(s, f) do { (f) = 0; spin_lock(s); } while (0)
#define spin_unlock_irqrestore(s, f) do { (void)(f); spin_unlock(s); } while (0)

#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define synchronize_rcu() do { } while (0)
#define RCU_INIT_POINTER(p, v) ((p) = (v))
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define rcu_dereference(p) READ_ONCE(p)
#define rcu_dereference_protected(p, c) (p)
#define rcu_access_pointer(p) READ_ONCE(p)

typedef struct {
	int counter;
} atomic_t;
#define atomic_set(a, v) ((a)->counter = (v))
#define atomic_read(a) ((a)->counter)
#define atomic_inc(a) ((a)->counter++)
#define atomic_dec_return(a) (--(a)->counter)

static inline void set_bit(unsigned long nr, volatile void *addr)
{
	volatile unsigned long *p = (volatile unsigned long *)addr;

	p[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline bool test_bit(unsigned long nr, const volatile void *addr)
{
	const volatile unsigned long *p = (const volatile unsigned long *)addr;

	return p[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG));
}

#define array_index_nospec(idx, size) ({ VT_SHIM_ASSERT((idx) < (size)); (idx); })

/* ---- tasks, signals, wait queues, poll ---- */

struct mm_struct {
	int users;
};

struct task_struct {
	struct mm_struct *mm;
	int sigpending;
};

extern struct task_struct vt_shim_task;
#define current (&vt_shim_task)
struct mm_struct *get_task_mm(struct task_struct *t);
void mmput(struct mm_struct *mm);
#define signal_pending(t) ((t)->sigpending)
/* Nobody ever wakes a sleeper here: sleeping delivers a signal instead. */
#define schedule() (current->sigpending = 1)
#define TASK_INTERRUPTIBLE 1

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);
typedef struct wait_queue_entry {
	wait_queue_func_t func;
	struct wait_queue_head *head;
} wait_queue_entry_t;

typedef struct wait_queue_head {
	int waiters;
	unsigned long wakeups;
} wait_queue_head_t;

#define init_waitqueue_head(w) ((w)->waiters = 0, (w)->wakeups = 0)
static inline void init_waitqueue_func_entry(wait_queue_entry_t *e, wait_queue_func_t f)
{
	e->func = f;
	e->head = NULL;
}

static inline void add_wait_queue(wait_queue_head_t *h, wait_queue_entry_t *e)
{
	VT_SHIM_ASSERT(!e->head);
	e->head = h;
	h->waiters++;
}

static inline void remove_wait_queue(wait_queue_head_t *h, wait_queue_entry_t *e)
{
	VT_SHIM_ASSERT(e->head == h && h->waiters > 0);
	e->head = NULL;
	h->waiters--;
}

#define DEFINE_WAIT(name) wait_queue_entry_t name = { NULL, NULL }
#define prepare_to_wait(h, e, state) ((void)(h), (void)(e))
#define finish_wait(h, e) ((void)(h), (void)(e))
#define wake_up_interruptible_poll(h, m) ((h)->wakeups++)

struct file;
struct poll_table_struct;
typedef void (*poll_queue_proc)(struct file *, wait_queue_head_t *,
				struct poll_table_struct *);
typedef struct poll_table_struct {
	poll_queue_proc _qproc;
	__poll_t _key;
} poll_table;

static inline void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc)
{
	pt->_qproc = qproc;
	pt->_key = ~(__poll_t)0;
}

static inline void poll_wait(struct file *f, wait_queue_head_t *h, poll_table *p)
{
	if (p && p->_qproc && h)
		p->_qproc(f, h, p);
}

#define key_to_poll(m) ((__force __poll_t)(uintptr_t)(void *)(m))
#define poll_to_key(m) ((void *)(uintptr_t)(__force __poll_t)(m))
#define DEFAULT_POLLMASK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)

/* ---- files and eventfds: a few fds, counted ---- */

struct eventfd_ctx {
	long refs;
	unsigned long count;	/* eventfd_signal()s */
};

struct file {
	long refs;
	wait_queue_head_t wqh;
	__poll_t mask;		/* what vfs_poll() reports */
	struct eventfd_ctx *ctx;
};

#define VT_SHIM_NFDS 4
extern struct file vt_shim_files[VT_SHIM_NFDS];
extern struct eventfd_ctx vt_shim_ctxs[VT_SHIM_NFDS];

struct file *eventfd_fget(int fd);
struct eventfd_ctx *eventfd_ctx_fdget(int fd);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
void fput(struct file *file);
void eventfd_signal(struct eventfd_ctx *ctx);
__poll_t vfs_poll(struct file *file, poll_table *pt);

/* ---- user memory ---- */

/* x86-64 with 4-level page tables. */
#define TASK_SIZE_MAX ((1ULL << 47) - 4096)
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* One region of user memory: [ubase, ubase + size) is host[0, size). */
struct vt_uregion {
	u64 ubase;
	u64 size;
	unsigned char *host;
};

#define VT_UMEM_MAX 8
void vt_umem_clear(void);
void vt_umem_add(u64 ubase, void *host, u64 size);
/* The host address of [uaddr, uaddr + len) if it is in one region. */
unsigned char *vt_umem_host(u64 uaddr, u64 len);
/* Called for every byte range the kernel code writes to user memory. */
extern void (*vt_umem_write_hook)(u64 uaddr, u64 len);

unsigned long vt_copy_from_user(void *to, u64 from, unsigned long n);
unsigned long vt_copy_to_user(u64 to, const void *from, unsigned long n);
#define copy_from_user(to, from, n) vt_copy_from_user(to, (uintptr_t)(from), n)
#define copy_to_user(to, from, n) vt_copy_to_user((uintptr_t)(to), from, n)
#define get_user(x, ptr) ({						\
	__typeof__(*(ptr)) _v;						\
	int _r = vt_copy_from_user(&_v, (uintptr_t)(ptr), sizeof(_v)) ? -EFAULT : 0; \
	(x) = _r ? 0 : _v;						\
	_r; })
#define put_user(x, ptr) ({						\
	__typeof__(*(ptr)) _v = (x);					\
	vt_copy_to_user((uintptr_t)(ptr), &_v, sizeof(_v)) ? -EFAULT : 0; })

static inline bool vt_shim_access_ok(u64 addr, u64 size)
{
	return size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size;
}

/*
 * The unchecked forms: the kernel does not check that the address is a
 * user one, so the caller must have checked it before.  Here an unchecked
 * access beyond the user range is a bug in the code under test: abort.
 */
#define VT_SHIM_UNCHECKED(addr, size) do {				\
	if (!vt_shim_access_ok((uintptr_t)(addr), size))		\
		abort();						\
} while (0)
#define __copy_from_user(to, from, n) ({				\
	VT_SHIM_UNCHECKED(from, n); copy_from_user(to, from, n); })
#define __copy_to_user(to, from, n) ({					\
	VT_SHIM_UNCHECKED(to, n); copy_to_user(to, from, n); })
#define __get_user(x, ptr) ({						\
	VT_SHIM_UNCHECKED(ptr, sizeof(*(ptr))); get_user(x, ptr); })
#define __put_user(x, ptr) ({						\
	VT_SHIM_UNCHECKED(ptr, sizeof(*(ptr))); put_user(x, ptr); })
#define access_ok(addr, size) vt_shim_access_ok((uintptr_t)(addr), size)

/* Pinned user pages, mapped onto the host memory of their region. */
struct page {
	u64 uaddr;
	unsigned char *host;
	int pins;
	int kmaps;
};

#define FOLL_WRITE 0x1
int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages);
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages,
				 bool make_dirty);
void *kmap_local_page(struct page *page);
void vt_shim_kunmap_local(const void *addr);
#define kunmap_local(addr) vt_shim_kunmap_local(addr)

/* ---- iov_iter over user iovecs ---- */

#define ITER_DEST 0
#define ITER_SOURCE 1

struct iovec;
struct iov_iter {
	int dir;
	const struct iovec *iov;
	unsigned long nr_segs;
	size_t iov_offset;
	size_t count;
};

void iov_iter_init(struct iov_iter *i, unsigned int direction,
		   const struct iovec *iov, unsigned long nr_segs, size_t count);
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
void iov_iter_advance(struct iov_iter *i, size_t bytes);
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* ---- sockets (only what include/vt/compat.h names) ---- */

struct sock {
	void (*sk_error_report)(struct sock *sk);
};

static inline void sk_error_report(struct sock *sk)
{
	sk->sk_error_report(sk);
}

/* ---- the engine's worker (src/vtv_worker.c is not compiled) ---- */

/* Works queued through vtv_work_queue(), for the harness to look at. */
extern unsigned long vt_shim_works_queued;

#endif /* VT_SHIM_H */
