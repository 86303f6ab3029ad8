// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues: reading descriptor chains, returning used buffers,
 * notifications and dirty logging.
 *
 * Ring addresses are user addresses of the owner, or IOVAs when the device
 * IOTLB is in use; descriptor addresses are guest physical addresses,
 * translated through the memory table, or IOVAs.  Everything the guest
 * writes is validated: indices, lengths, chain lengths and loops.
 */
#include <asm/byteorder.h>
#include <linux/virtio_byteorder.h>
#include <linux/highmem.h>
#include "vtv.h"

/* A guest error: logged at debug level, and signalled on the error fd. */
void vtv_vq_err(struct vtv_vq *vq, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_debug("vq %p: %pV", vq, &vaf);
	va_end(args);
	if (vq->error_ctx)
		vt_eventfd_signal(vq->error_ctx);
}

static u16 vtv16_to_cpu(struct vtv_vq *vq, __virtio16 v)
{
	return __virtio16_to_cpu(vq->is_le, v);
}

static __virtio16 cpu_to_vtv16(struct vtv_vq *vq, u16 v)
{
	return __cpu_to_virtio16(vq->is_le, v);
}

static u32 vtv32_to_cpu(struct vtv_vq *vq, __virtio32 v)
{
	return __virtio32_to_cpu(vq->is_le, v);
}

static __virtio32 cpu_to_vtv32(struct vtv_vq *vq, u32 v)
{
	return __cpu_to_virtio32(vq->is_le, v);
}

static u64 vtv64_to_cpu(struct vtv_vq *vq, __virtio64 v)
{
	return __virtio64_to_cpu(vq->is_le, v);
}

/*
 * Translate [addr, addr + len) into user iovecs.  Returns the number of
 * iovecs, -EAGAIN after queueing an IOTLB miss, or another error.
 */
static int vtv_translate(struct vtv_vq *vq, u64 addr, u32 len,
			 struct iovec iov[], int iov_size, int access)
{
	struct vtv_dev *dev = vq->dev;
	struct vtv_maps *maps = dev->iotlb ? dev->iotlb : dev->umem;
	u64 done = 0;
	int n = 0;

	if (!maps)
		return -EFAULT;
	if (len && addr + len - 1 < addr)
		return -EFAULT;

	while (done < len) {
		u64 a = addr + done, avail;
		struct vtv_map *map;

		if (n >= iov_size)
			return -ENOBUFS;
		map = vtv_maps_find(maps, a, a);
		if (!map) {
			if (dev->iotlb) {
				vtv_iotlb_miss(vq, a, access);
				return -EAGAIN;
			}
			return -EFAULT;
		}
		if ((map->perm & access) != access)
			return -EPERM;
		iov[n].iov_base = (void __user *)(uintptr_t)(map->addr + a -
							      map->start);
		/* map->last - a + 1 would overflow for a full 2^64 map. */
		avail = map->last - a;
		if (avail >= len - done - 1)
			iov[n].iov_len = len - done;
		else
			iov[n].iov_len = avail + 1;
		done += iov[n].iov_len;
		n++;
	}
	return n;
}

/* Copy ring metadata (a few bytes) from or to the guest. */
static int vtv_ring_access(struct vtv_vq *vq, u64 addr, void *buf, u32 len,
			   bool write)
{
	struct iovec iov[4];
	int n, i;

	if (!vq->dev->iotlb) {
		void __user *p = (void __user *)(uintptr_t)addr;

		if (write)
			return copy_to_user(p, buf, len) ? -EFAULT : 0;
		return copy_from_user(buf, p, len) ? -EFAULT : 0;
	}

	n = vtv_translate(vq, addr, len, iov, ARRAY_SIZE(iov),
			  write ? VHOST_ACCESS_WO : VHOST_ACCESS_RO);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (write ? copy_to_user(iov[i].iov_base, buf, iov[i].iov_len) :
			    copy_from_user(buf, iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		buf += iov[i].iov_len;
	}
	return 0;
}

static int vtv_get_avail_idx_raw(struct vtv_vq *vq, u16 *idx)
{
	__virtio16 v;
	int r = vtv_ring_access(vq, vq->avail_addr +
				offsetof(struct vring_avail, idx), &v,
				sizeof(v), false);

	if (!r)
		*idx = vtv16_to_cpu(vq, v);
	return r;
}

/*
 * Fetch the guest's avail index.  It may never be more than the ring size
 * ahead of what we consumed: checked on every fetch, whether the ring was
 * empty or not (CVE-2026-74356).
 */
static int vtv_fetch_avail_idx(struct vtv_vq *vq)
{
	u16 idx;
	int r = vtv_get_avail_idx_raw(vq, &idx);

	if (r) {
		vtv_vq_err(vq, "cannot read the avail index\n");
		return r;
	}
	if (unlikely((u16)(idx - vq->last_avail_idx) > vq->num)) {
		vtv_vq_err(vq, "guest moved the avail index from %u to %u\n",
			   vq->last_avail_idx, idx);
		return -EINVAL;
	}
	vq->avail_idx = idx;
	/* Read the ring entries only after the index. */
	smp_rmb();
	return 0;
}

/* Read @len bytes at @off of a buffer described by user iovecs. */
static int vtv_iov_read(const struct iovec *iov, int n, size_t off, void *dst,
			size_t len)
{
	int i;

	for (i = 0; i < n && len; i++) {
		size_t l;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		l = min(len, iov[i].iov_len - off);
		if (copy_from_user(dst, iov[i].iov_base + off, l))
			return -EFAULT;
		dst += l;
		len -= l;
		off = 0;
	}
	return len ? -EFAULT : 0;
}

static int vtv_add_desc(struct vtv_vq *vq, struct vring_desc *desc,
			struct iovec iov[], unsigned int iov_size,
			unsigned int *out_num, unsigned int *in_num,
			struct vtv_log *log, unsigned int *log_num)
{
	u16 flags = vtv16_to_cpu(vq, desc->flags);
	u64 addr = vtv64_to_cpu(vq, desc->addr);
	u32 len = vtv32_to_cpu(vq, desc->len);
	unsigned int count = *out_num + *in_num;
	bool write = flags & VRING_DESC_F_WRITE;
	int r;

	r = vtv_translate(vq, addr, len, iov + count, iov_size - count,
			  write ? VHOST_ACCESS_WO : VHOST_ACCESS_RO);
	if (r < 0) {
		if (r != -EAGAIN)
			vtv_vq_err(vq, "bad descriptor: addr 0x%llx len %u: %d\n",
				   addr, len, r);
		return r;
	}
	if (write) {
		*in_num += r;
		if (log && *log_num < VTV_MAX_IOV) {
			log[*log_num].addr = addr;
			log[*log_num].len = len;
			(*log_num)++;
		}
	} else {
		/* Readable buffers must all precede writable ones. */
		if (*in_num) {
			vtv_vq_err(vq, "readable descriptor after writable\n");
			return -EINVAL;
		}
		*out_num += r;
	}
	return 0;
}

static int vtv_get_indirect(struct vtv_vq *vq, struct vring_desc *indirect,
			    struct iovec iov[], unsigned int iov_size,
			    unsigned int *out_num, unsigned int *in_num,
			    struct vtv_log *log, unsigned int *log_num,
			    unsigned int *walked)
{
	u32 len = vtv32_to_cpu(vq, indirect->len);
	u64 addr = vtv64_to_cpu(vq, indirect->addr);
	struct iovec table[8];
	unsigned int count, found = 0, i = 0;
	struct vring_desc desc;
	int n, r;

	if (unlikely(!len || len % sizeof(desc))) {
		vtv_vq_err(vq, "invalid indirect table length %u\n", len);
		return -EINVAL;
	}
	count = len / sizeof(desc);
	/* A chain can never be longer than the ring allows (num <= 32768). */
	if (unlikely(count > USHRT_MAX + 1)) {
		vtv_vq_err(vq, "indirect table too long: %u\n", count);
		return -E2BIG;
	}
	n = vtv_translate(vq, addr, len, table, ARRAY_SIZE(table),
			  VHOST_ACCESS_RO);
	if (n < 0) {
		if (n != -EAGAIN)
			vtv_vq_err(vq, "bad indirect table at 0x%llx\n", addr);
		return n;
	}

	for (;;) {
		u16 flags;

		if (unlikely(++found > count)) {
			vtv_vq_err(vq, "loop in indirect chain\n");
			return -EINVAL;
		}
		if (unlikely(++*walked > VTV_MAX_CHAIN)) {
			vtv_vq_err(vq, "chain longer than %u descriptors\n",
				   VTV_MAX_CHAIN);
			return -E2BIG;
		}
		r = vtv_iov_read(table, n, (size_t)i * sizeof(desc), &desc,
				 sizeof(desc));
		if (r) {
			vtv_vq_err(vq, "cannot read indirect descriptor\n");
			return r;
		}
		flags = vtv16_to_cpu(vq, desc.flags);
		if (unlikely(flags & VRING_DESC_F_INDIRECT)) {
			vtv_vq_err(vq, "nested indirect descriptor\n");
			return -EINVAL;
		}
		r = vtv_add_desc(vq, &desc, iov, iov_size, out_num, in_num,
				 log, log_num);
		if (r)
			return r;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = vtv16_to_cpu(vq, desc.next);
		if (unlikely(i >= count)) {
			vtv_vq_err(vq, "indirect next %u out of %u\n", i, count);
			return -EINVAL;
		}
	}
}

/*
 * Take the next available chain.  Returns its head, vq->num when the ring
 * is empty, or a negative error (-EAGAIN: waiting for an IOTLB update).
 */
int vtv_get_vq_desc(struct vtv_vq *vq, struct iovec iov[], unsigned int iov_size,
		    unsigned int *out_num, unsigned int *in_num,
		    struct vtv_log *log, unsigned int *log_num)
{
	unsigned int i, head, found = 0, walked = 0;
	struct vring_desc desc;
	__virtio16 ring_head;
	int r;

	if (vq->avail_idx == vq->last_avail_idx) {
		r = vtv_fetch_avail_idx(vq);
		if (r)
			return r;
		if (vq->avail_idx == vq->last_avail_idx)
			return vq->num;
	}

	r = vtv_ring_access(vq, vq->avail_addr +
			    offsetof(struct vring_avail, ring) +
			    sizeof(ring_head) * (vq->last_avail_idx & (vq->num - 1)),
			    &ring_head, sizeof(ring_head), false);
	if (r) {
		vtv_vq_err(vq, "cannot read avail ring entry\n");
		return r;
	}
	head = vtv16_to_cpu(vq, ring_head);
	if (unlikely(head >= vq->num)) {
		vtv_vq_err(vq, "avail ring head %u out of %u\n", head, vq->num);
		return -EINVAL;
	}

	*out_num = 0;
	*in_num = 0;
	if (log)
		*log_num = 0;

	i = head;
	for (;;) {
		u16 flags;

		if (unlikely(++found > vq->num)) {
			vtv_vq_err(vq, "loop in descriptor chain at %u\n", head);
			return -EINVAL;
		}
		if (unlikely(++walked > VTV_MAX_CHAIN)) {
			vtv_vq_err(vq, "chain longer than %u descriptors\n",
				   VTV_MAX_CHAIN);
			return -E2BIG;
		}
		r = vtv_ring_access(vq, vq->desc_addr + (u64)i * sizeof(desc),
				    &desc, sizeof(desc), false);
		if (r) {
			vtv_vq_err(vq, "cannot read descriptor %u\n", i);
			return r;
		}
		flags = vtv16_to_cpu(vq, desc.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			/*
			 * Only where negotiated, and never chained on: the
			 * spec forbids INDIRECT with NEXT, and each such link
			 * could hang another 65536-entry table on the chain.
			 */
			if (unlikely(!vtv_has_feature(vq, VIRTIO_RING_F_INDIRECT_DESC) ||
				     (flags & VRING_DESC_F_NEXT))) {
				vtv_vq_err(vq, "indirect descriptor %u not allowed (flags %#x)\n",
					   i, flags);
				return -EINVAL;
			}
			r = vtv_get_indirect(vq, &desc, iov, iov_size, out_num,
					     in_num, log, log_num, &walked);
		} else {
			r = vtv_add_desc(vq, &desc, iov, iov_size, out_num,
					 in_num, log, log_num);
		}
		if (r)
			return r;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		i = vtv16_to_cpu(vq, desc.next);
		if (unlikely(i >= vq->num)) {
			vtv_vq_err(vq, "descriptor next %u out of %u\n", i,
				   vq->num);
			return -EINVAL;
		}
	}

	vq->last_avail_idx++;
	return head;
}

/* Dirty logging, for live migration: one bit per 4 KiB guest page. */
static int vtv_log_set_bits(struct vtv_dev *dev, u64 first, u64 last)
{
	u64 b = first;

	while (b <= last) {
		unsigned long upage = (dev->log_base + b / 8) & PAGE_MASK;
		struct page *page;
		void *base;
		int r;

		r = vt_pin_user_page_write(upage, &page);
		if (r != 1)
			return r < 0 ? r : -EFAULT;
		base = vt_kmap_local_page(page);
		do {
			u64 off = dev->log_base + b / 8 - upage;

			if (off >= PAGE_SIZE)
				break;
			set_bit(off * 8 + b % 8, base);
		} while (++b <= last);
		vt_kunmap_local(base);
		vt_unpin_user_page_dirty(page);
	}
	return 0;
}

static int vtv_log_gpa(struct vtv_dev *dev, u64 gpa, u64 len)
{
	if (!len)
		return 0;
	return vtv_log_set_bits(dev, gpa / VTV_PAGE_SIZE,
				(gpa + len - 1) / VTV_PAGE_SIZE);
}

/* With an IOTLB, a logged IOVA is logged by the guest address of its HVA. */
static int vtv_log_hva(struct vtv_dev *dev, u64 hva, u64 len)
{
	struct vtv_map *map;
	int r;

	if (!dev->umem)
		return -EFAULT;
	while (len) {
		bool hit = false;

		list_for_each_entry(map, &dev->umem->list, link) {
			u64 size = map->last - map->start;
			u64 l;

			if (hva < map->addr || hva > map->addr + size)
				continue;
			l = min(len, map->addr + size - hva + 1);
			r = vtv_log_gpa(dev, map->start + hva - map->addr, l);
			if (r)
				return r;
			hva += l;
			len -= l;
			hit = true;
			break;
		}
		if (!hit)
			return -EFAULT;
	}
	return 0;
}

static int vtv_log_guest(struct vtv_vq *vq, u64 addr, u64 len, bool ring)
{
	struct vtv_dev *dev = vq->dev;
	struct iovec iov[8];
	int n, i, r;

	if (!dev->iotlb)
		return vtv_log_gpa(dev, addr, len);
	/* Ring logs use log_guest_addr, already a guest address. */
	if (ring)
		return vtv_log_gpa(dev, addr, len);
	n = vtv_translate(vq, addr, len, iov, ARRAY_SIZE(iov), VHOST_ACCESS_WO);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		r = vtv_log_hva(dev, (uintptr_t)iov[i].iov_base, iov[i].iov_len);
		if (r)
			return r;
	}
	return 0;
}

static void vtv_log_signal(struct vtv_dev *dev)
{
	if (dev->log_ctx)
		vt_eventfd_signal(dev->log_ctx);
}

/* Log the first @len bytes written into the chain described by @log. */
int vtv_log_write(struct vtv_vq *vq, struct vtv_log *log, unsigned int log_num,
		  u64 len, struct iovec *iov, int count)
{
	unsigned int i;
	int r;

	if (!vtv_has_feature(vq, VHOST_F_LOG_ALL))
		return 0;
	/* Make sure the data is seen before the log bits. */
	smp_wmb();
	for (i = 0; i < log_num && len; i++) {
		u64 l = min(log[i].len, len);

		r = vtv_log_guest(vq, log[i].addr, l, false);
		if (r)
			return r;
		len -= l;
	}
	vtv_log_signal(vq->dev);
	return 0;
}

static int vtv_log_used(struct vtv_vq *vq, u64 offset, u64 len)
{
	int r;

	if (!vq->log_used || !vtv_has_feature(vq, VHOST_F_LOG_ALL))
		return 0;
	/* Make sure the used ring write is seen before the log bit. */
	smp_wmb();
	r = vtv_log_guest(vq, vq->log_guest_addr + offset, len, true);
	if (!r)
		vtv_log_signal(vq->dev);
	return r;
}

static int vtv_write_used_flags(struct vtv_vq *vq)
{
	__virtio16 f = cpu_to_vtv16(vq, vq->used_flags);
	int r = vtv_ring_access(vq, vq->used_addr +
				offsetof(struct vring_used, flags), &f,
				sizeof(f), true);

	if (r)
		return r;
	return vtv_log_used(vq, offsetof(struct vring_used, flags), sizeof(f));
}

static int vtv_write_avail_event(struct vtv_vq *vq, u16 idx)
{
	u64 off = offsetof(struct vring_used, ring) +
		  sizeof(struct vring_used_elem) * vq->num;
	__virtio16 v = cpu_to_vtv16(vq, idx);
	int r = vtv_ring_access(vq, vq->used_addr + off, &v, sizeof(v), true);

	if (r)
		return r;
	return vtv_log_used(vq, off, sizeof(v));
}

int vtv_add_used(struct vtv_vq *vq, unsigned int head, int len)
{
	struct vring_used_elem e = {
		.id = cpu_to_vtv32(vq, head),
		.len = cpu_to_vtv32(vq, len),
	};
	u64 off = offsetof(struct vring_used, ring) +
		  sizeof(e) * (vq->last_used_idx & (vq->num - 1));
	u16 old = vq->last_used_idx, new = old + 1;
	__virtio16 idx;
	int r;

	r = vtv_ring_access(vq, vq->used_addr + off, &e, sizeof(e), true);
	if (r) {
		vtv_vq_err(vq, "cannot write used ring entry\n");
		return r;
	}
	r = vtv_log_used(vq, off, sizeof(e));
	if (r)
		return r;
	/* The entry before the index. */
	smp_wmb();
	idx = cpu_to_vtv16(vq, new);
	r = vtv_ring_access(vq, vq->used_addr + offsetof(struct vring_used, idx),
			    &idx, sizeof(idx), true);
	if (r) {
		vtv_vq_err(vq, "cannot write used index\n");
		return r;
	}
	r = vtv_log_used(vq, offsetof(struct vring_used, idx), sizeof(idx));
	if (r)
		return r;
	vq->last_used_idx = new;
	/* If we wrapped past the last signalled index, signal anyway. */
	if (unlikely((u16)(new - vq->signalled_used) < (u16)(new - old)))
		vq->signalled_used_valid = false;
	return 0;
}

static bool vtv_notify(struct vtv_dev *dev, struct vtv_vq *vq)
{
	__virtio16 flags, event;
	u16 old, new;
	bool valid;

	/* The used index must be visible before we read the guest's wish. */
	smp_mb();

	if (vtv_has_feature(vq, VIRTIO_F_NOTIFY_ON_EMPTY) &&
	    unlikely(vq->avail_idx == vq->last_avail_idx))
		return true;

	if (!vtv_has_feature(vq, VIRTIO_RING_F_EVENT_IDX)) {
		if (vtv_ring_access(vq, vq->avail_addr +
				    offsetof(struct vring_avail, flags),
				    &flags, sizeof(flags), false))
			return true;
		return !(vtv16_to_cpu(vq, flags) & VRING_AVAIL_F_NO_INTERRUPT);
	}

	old = vq->signalled_used;
	valid = vq->signalled_used_valid;
	new = vq->last_used_idx;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (unlikely(!valid))
		return true;

	if (vtv_ring_access(vq, vq->avail_addr +
			    offsetof(struct vring_avail, ring) +
			    sizeof(__virtio16) * vq->num,
			    &event, sizeof(event), false))
		return true;
	return vring_need_event(vtv16_to_cpu(vq, event), new, old);
}

void vtv_signal(struct vtv_dev *dev, struct vtv_vq *vq)
{
	if (vq->call_ctx && vtv_notify(dev, vq))
		vt_eventfd_signal(vq->call_ctx);
}

void vtv_disable_notify(struct vtv_dev *dev, struct vtv_vq *vq)
{
	if (vq->used_flags & VRING_USED_F_NO_NOTIFY)
		return;
	vq->used_flags |= VRING_USED_F_NO_NOTIFY;
	if (!vtv_has_feature(vq, VIRTIO_RING_F_EVENT_IDX) &&
	    vtv_write_used_flags(vq))
		vtv_vq_err(vq, "cannot disable notification\n");
}

/* Returns true when buffers arrived meanwhile: the caller must look again. */
bool vtv_enable_notify(struct vtv_dev *dev, struct vtv_vq *vq)
{
	u16 idx;
	int r;

	if (!(vq->used_flags & VRING_USED_F_NO_NOTIFY))
		return false;
	vq->used_flags &= ~VRING_USED_F_NO_NOTIFY;
	if (!vtv_has_feature(vq, VIRTIO_RING_F_EVENT_IDX))
		r = vtv_write_used_flags(vq);
	else
		r = vtv_write_avail_event(vq, vq->avail_idx);
	if (r) {
		vtv_vq_err(vq, "cannot enable notification\n");
		return false;
	}

	if (vq->avail_idx != vq->last_avail_idx)
		return true;

	/* The flag must be visible before we look at the avail index. */
	smp_mb();
	if (vtv_get_avail_idx_raw(vq, &idx))
		return false;
	return idx != vq->last_avail_idx;
}

bool vtv_exceeds_weight(struct vtv_vq *vq, int pkts, int total_len)
{
	if ((vq->byte_weight && total_len >= vq->byte_weight) ||
	    pkts >= vq->weight) {
		vtv_poll_queue(&vq->poll);
		return true;
	}
	return false;
}

/* Forget everything cached about the ring (CVE-2026-74580). */
void vtv_vq_reset_cache(struct vtv_vq *vq)
{
	vq->avail_idx = vq->last_avail_idx;
	vq->signalled_used_valid = false;
	vq->used_flags = 0;
}

/* Called when the backend is attached: the ring is live from now on. */
int vtv_vq_init_access(struct vtv_vq *vq)
{
	__virtio16 idx;
	int r;

	vq->is_le = vtv_has_feature(vq, VIRTIO_F_VERSION_1) ||
		    virtio_legacy_is_little_endian();
	vtv_vq_reset_cache(vq);
	if (!vq->desc_addr)
		return 0;
	r = vtv_write_used_flags(vq);
	if (r)
		return r;
	r = vtv_ring_access(vq, vq->used_addr + offsetof(struct vring_used, idx),
			    &idx, sizeof(idx), false);
	if (r)
		return r;
	vq->last_used_idx = vtv16_to_cpu(vq, idx);
	return 0;
}

static bool vtv_range_ok(u64 addr, u64 size)
{
	if (addr + size < addr)
		return false;
	return vt_access_ok((void __user *)(uintptr_t)addr, size);
}

bool vtv_vq_access_ok(struct vtv_vq *vq)
{
	u64 n = vq->num;

	if (!vq->desc_addr)
		return true;
	/* With an IOTLB, every access is translated and checked. */
	if (vq->dev->iotlb)
		return true;
	return vtv_range_ok(vq->desc_addr, sizeof(struct vring_desc) * n) &&
	       vtv_range_ok(vq->avail_addr, sizeof(struct vring_avail) +
			    sizeof(__virtio16) * (n + 1)) &&
	       vtv_range_ok(vq->used_addr, sizeof(struct vring_used) +
			    sizeof(struct vring_used_elem) * n +
			    sizeof(__virtio16));
}
