/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrappers over kernel API drift that both modules use.  Every #ifdef here
 * tests a VT_HAVE_* or VT_EXPORTS_* result of scripts/probe.sh (see the
 * probe file of the same name for the upstream change behind it), so the
 * transports themselves are written against one API.
 */
#ifndef VT_COMPAT_H
#define VT_COMPAT_H

#include "vt_probed.h"
#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/uio.h>
#include <linux/uaccess.h>
#include <linux/highmem.h>
#include <net/sock.h>
#include <linux/poll.h>
#include <linux/eventpoll.h>

/* iov_iter directions: ITER_DEST/ITER_SOURCE since 6.2 (6.1.11). */
#ifdef VT_HAVE_ITER_DEST
#define VT_ITER_DEST ITER_DEST
#define VT_ITER_SOURCE ITER_SOURCE
#else
#define VT_ITER_DEST READ
#define VT_ITER_SOURCE WRITE
#endif

/* Poll masks: __poll_t since 4.15/4.16, unsigned int before. */
#ifdef VT_HAVE_POLL_T
#define vt_poll_t __poll_t
#else
#define vt_poll_t unsigned int
#endif

/* Wake-up keys as poll masks (4.16); before, the key was the mask. */
#ifdef VT_HAVE_KEY_TO_POLL
#define vt_key_to_poll(key) key_to_poll(key)
#define vt_poll_to_key(mask) poll_to_key(mask)
#else
static inline vt_poll_t vt_key_to_poll(void *key)
{
	return (uintptr_t)key;
}

static inline void *vt_poll_to_key(vt_poll_t mask)
{
	return (void *)(uintptr_t)mask;
}
#endif

/* vfs_poll() since 4.18: the file's own ->poll() before. */
static inline vt_poll_t vt_vfs_poll(struct file *file, poll_table *pt)
{
#ifdef VT_HAVE_VFS_POLL
	return vfs_poll(file, pt);
#else
	if (!file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
#endif
}

/* kvcalloc() since 4.18. */
#ifdef VT_HAVE_KVCALLOC
#define vt_kvcalloc(n, size, flags) kvcalloc(n, size, flags)
#else
#define vt_kvcalloc(n, size, flags) kvmalloc_array(n, size, (flags) | __GFP_ZERO)
#endif

/* eventfd_signal(ctx) since 6.8; eventfd_signal(ctx, 1) before. */
static inline void vt_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef VT_HAVE_EVENTFD_SIGNAL_1ARG
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

static inline void vt_sk_error_report(struct sock *sk)
{
#ifdef VT_HAVE_SK_ERROR_REPORT
	sk_error_report(sk);
#else
	sk->sk_error_report(sk);
#endif
}

/*
 * Pin one user page for writing (the dirty log bitmap): pin_user_pages_fast()
 * since 5.6, get_user_pages_fast() with gup flags since 5.2, with a write
 * flag before.
 */
static inline int vt_pin_user_page_write(unsigned long addr, struct page **page)
{
#if defined(VT_HAVE_PIN_USER_PAGES_FAST)
	return pin_user_pages_fast(addr, 1, FOLL_WRITE, page);
#elif defined(VT_HAVE_GUP_FAST_FLAGS)
	return get_user_pages_fast(addr, 1, FOLL_WRITE, page);
#else
	return get_user_pages_fast(addr, 1, 1, page);
#endif
}

static inline void vt_unpin_user_page_dirty(struct page *page)
{
#if defined(VT_HAVE_PIN_USER_PAGES_FAST)
	unpin_user_pages_dirty_lock(&page, 1, true);
#else
	set_page_dirty_lock(page);
	put_page(page);
#endif
}

/*
 * A short-lived mapping of a pinned page (the dirty log's bitmap):
 * kmap_local_page() since 5.11.  Before, a kernel without highmem (every
 * 64-bit one) has every page in its direct map, so page_address() is the
 * mapping.  A 32-bit highmem kernel before 5.11 would need kmap_atomic(),
 * which this project does not use: not supported there.
 */
#ifdef VT_HAVE_KMAP_LOCAL_PAGE
#define vt_kmap_local_page(page) kmap_local_page(page)
#define vt_kunmap_local(addr) kunmap_local(addr)
#elif !defined(CONFIG_HIGHMEM)
#define vt_kmap_local_page(page) page_address(page)
#define vt_kunmap_local(addr) do { } while (0)
#else
#error "vsock-transports: 32-bit highmem kernels before 5.11 are not supported (no kmap_local_page)"
#endif

/* compat_ptr_ioctl() since 5.5: the same, for older kernels. */
#ifdef VT_HAVE_COMPAT_PTR_IOCTL
#define vt_compat_ptr_ioctl compat_ptr_ioctl
#elif defined(CONFIG_COMPAT)
#include <linux/compat.h>
#include <linux/fs.h>
static inline long vt_compat_ptr_ioctl(struct file *file, unsigned int cmd,
				       unsigned long arg)
{
	if (!file->f_op->unlocked_ioctl)
		return -ENOIOCTLCMD;
	return file->f_op->unlocked_ioctl(file, cmd,
					  (unsigned long)compat_ptr(arg));
}
#else
#define vt_compat_ptr_ioctl NULL
#endif

/* access_ok(addr, size) since 5.0; access_ok(type, addr, size) before. */
#ifdef VT_HAVE_ACCESS_OK_2ARG
#define vt_access_ok(addr, size) access_ok(addr, size)
#else
#define vt_access_ok(addr, size) access_ok(VERIFY_WRITE, addr, size)
#endif

/*
 * A read-only seq_file in debugfs: NAME_fops over NAME_show(), with the
 * file's data as m->private.  The kernel's DEFINE_SHOW_ATTRIBUTE() (4.16)
 * does the same; spelt out once here for 4.14 and 4.15.  Its users include
 * <linux/seq_file.h>.
 */
#define VT_SHOW_ATTRIBUTE(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_show, inode->i_private);	\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

#endif /* VT_COMPAT_H */
