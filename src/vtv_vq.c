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
 * Translate the start of [addr, addr + len), len > 0, up to the end of the
 * mapping that holds @addr, into @iov.  Returns 0, -EAGAIN after queueing
 * an IOTLB miss, or another error.
 */
static int vtv_translate_one(struct vtv_vq *vq, u64 addr, u64 len,
			     struct iovec *iov, int access)
{
	struct vtv_dev *dev = vq->dev;
	struct vtv_maps *maps = dev->iotlb ? dev->iotlb : dev->umem;
	struct vtv_map *map;
	u64 avail;

	if (!maps)
		return -EFAULT;
	map = vtv_maps_find(maps, addr, addr);
	if (!map) {
		if (dev->iotlb) {
			vtv_iotlb_miss(vq, addr, access);
			return -EAGAIN;
		}
		return -EFAULT;
	}
	if ((map->perm & access) != access)
		return -EPERM;
	iov->iov_base = (void __user *)(uintptr_t)(map->addr + addr - map->start);
	/* map->last - addr + 1 would overflow for a full 2^64 map. */
	avail = map->last - addr;
	iov->iov_len = avail >= len - 1 ? len : avail + 1;
	return 0;
}

/*
 * Translate [addr, addr + len) into user iovecs.  Returns the number of
 * iovecs, -ENOBUFS when @iov_size are not enough, -EAGAIN after queueing
 * an IOTLB miss, or another error.
 */
static int vtv_translate(struct vtv_vq *vq, u64 addr, u32 len,
			 struct iovec iov[], int iov_size, int access)
{
	u64 done = 0;
	int n = 0, r;

	if (len && addr + len - 1 < addr)
		return -EFAULT;
	while (done < len) {
		if (n >= iov_size)
			return -ENOBUFS;
		r = vtv_translate_one(vq, addr + done, len - done, &iov[n],
				      access);
		if (r)
			return r;
		done += iov[n].iov_len;
		n++;
	}
	return n;
}

/*
 * Copy @len bytes from or to guest address @addr (guest physical, or an
 * IOVA with the device IOTLB), one mapping at a time: however finely the
 * guest's memory is split, no segment limit applies.
 */
static int vtv_guest_copy(struct vtv_vq *vq, u64 addr, void *buf, u32 len,
			  bool write)
{
	int access = write ? VHOST_ACCESS_WO : VHOST_ACCESS_RO;
	struct iovec iov;
	int r;

	if (len && addr + len - 1 < addr)
		return -EFAULT;
	while (len) {
		r = vtv_translate_one(vq, addr, len, &iov, access);
		if (r)
			return r;
		if (write ? copy_to_user(iov.iov_base, buf, iov.iov_len) :
			    copy_from_user(buf, iov.iov_base, iov.iov_len))
			return -EFAULT;
		buf += iov.iov_len;
		addr += iov.iov_len;
		len -= iov.iov_len;
	}
	return 0;
}

/*
 * Copy ring metadata from or to the guest: ring addresses are addresses of
 * the owner, or IOVAs with the device IOTLB.
 *
 * Without the IOTLB, only a queue that runs, or is being started, gets
 * here: its rings were checked as a user range of the owner for its size
 * (vtv_vq_access_ok(), at start, at SET_VRING_ADDR, and when the IOTLB is
 * dropped), and the size cannot change while it runs.  So, as upstream,
 * no access_ok() on each access, and the constant @len of every caller
 * makes the 16-bit fields single user loads and stores.
 */
static __always_inline int vtv_ring_access(struct vtv_vq *vq, u64 addr,
					   void *buf, u32 len, bool write)
{
	void __user *p = (void __user *)(uintptr_t)addr;

	if (unlikely(vq->dev->iotlb))
		return vtv_guest_copy(vq, addr, buf, len, write);
	if (len == sizeof(u16)) {
		if (write)
			return __put_user(*(u16 *)buf, (u16 __user *)p);
		return __get_user(*(u16 *)buf, (u16 __user *)p);
	}
	if (write)
		return __copy_to_user(p, buf, len) ? -EFAULT : 0;
	return __copy_from_user(buf, p, len) ? -EFAULT : 0;
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
		if (r != -EAGAIN)
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
	unsigned int count, found = 0, i = 0;
	struct vring_desc desc;
	int r;

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
	if (unlikely(addr + len - 1 < addr)) {
		vtv_vq_err(vq, "indirect table at 0x%llx wraps\n", addr);
		return -EFAULT;
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
		/* Each entry is translated on its own: no segment limit. */
		r = vtv_guest_copy(vq, addr + (u64)i * sizeof(desc), &desc,
				   sizeof(desc), false);
		if (r) {
			if (r != -EAGAIN)
				vtv_vq_err(vq, "cannot read indirect descriptor %u at 0x%llx\n",
					   i, addr);
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
		if (r != -EAGAIN)
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
			if (r != -EAGAIN)
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

/* Is [addr, addr + len) translatable with @access?  0, -EAGAIN, or error. */
static int vtv_iotlb_covers(struct vtv_vq *vq, u64 addr, u64 len, int access)
{
	struct iovec iov;
	int r;

	if (addr + len - 1 < addr)
		return -EFAULT;
	while (len) {
		r = vtv_translate_one(vq, addr, len, &iov, access);
		if (r)
			return r;
		addr += iov.iov_len;
		len -= iov.iov_len;
	}
	return 0;
}

/*
 * With the device IOTLB, called with vq->mutex held before a queue is
 * served: are all three rings mapped?  Every IOTLB change takes all queue
 * mutexes, so what is mapped now stays mapped for this run: a chain taken
 * can always be returned.  -EAGAIN (a miss was queued: the IOTLB update
 * requeues the queue) or another error: serve nothing now.
 */
int vtv_vq_rings_mapped(struct vtv_vq *vq)
{
	u64 n = vq->num;
	int r;

	if (!vq->dev->iotlb)
		return 0;
	r = vtv_iotlb_covers(vq, vq->desc_addr, sizeof(struct vring_desc) * n,
			     VHOST_ACCESS_RO);
	if (!r)
		r = vtv_iotlb_covers(vq, vq->avail_addr,
				     sizeof(struct vring_avail) +
				     sizeof(__virtio16) * (n + 1),
				     VHOST_ACCESS_RO);
	if (!r)
		r = vtv_iotlb_covers(vq, vq->used_addr,
				     sizeof(struct vring_used) +
				     sizeof(struct vring_used_elem) * n +
				     sizeof(__virtio16), VHOST_ACCESS_WO);
	if (r && r != -EAGAIN)
		vtv_vq_err(vq, "rings not mapped by the IOTLB: %d\n", r);
	return r;
}

/* Give back the last @n chains taken, untouched: they are taken again. */
void vtv_discard_desc(struct vtv_vq *vq, int n)
{
	vq->last_avail_idx -= n;
}

/* Dirty logging, for live migration: one bit per 4 KiB guest page. */
static int vtv_log_set_bits(struct vtv_dev *dev, u64 first, u64 last)
{
	u64 b = first;

	while (b <= last) {
		u64 byte = dev->log_base + b / 8;
		unsigned long upage;
		struct page *page;
		void *base;
		int r;

		/* The bitmap byte must be an address here (32-bit too). */
		if (byte < dev->log_base || byte > ULONG_MAX)
			return -EFAULT;
		upage = (unsigned long)byte & PAGE_MASK;
		r = vt_pin_user_page_write(upage, &page);
		if (r != 1)
			return r < 0 ? r : -EFAULT;
		base = vt_kmap_local_page(page);
		/* The first bit is always in this page: b advances. */
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

/*
 * With the device IOTLB, what was written is known by its address in the
 * owner (HVA); the log wants guest physical addresses.  Several guest
 * ranges may map the same HVA (aliases): each of them is logged.  Every
 * byte must be covered by the memory table, or -EFAULT.
 */
static int vtv_log_hva(struct vtv_dev *dev, u64 hva, u64 len)
{
	u64 last = hva + len - 1, pos = hva;
	struct vtv_map *map;
	int r;

	if (!len)
		return 0;
	if (!dev->umem || last < hva)
		return -EFAULT;
	list_for_each_entry(map, &dev->umem->list, link) {
		u64 map_last = map->addr + (map->last - map->start);
		u64 s, e;

		if (map->addr > last || map_last < hva)
			continue;
		s = max(map->addr, hva);
		e = min(map_last, last);
		r = vtv_log_gpa(dev, map->start + (s - map->addr), e - s + 1);
		if (r)
			return r;
	}
	/* Coverage: walk [hva, last] through the mappings that hold it. */
	while (pos <= last) {
		u64 reach = 0;
		bool hit = false;

		list_for_each_entry(map, &dev->umem->list, link) {
			u64 map_last = map->addr + (map->last - map->start);

			if (map->addr <= pos && pos <= map_last &&
			    (!hit || map_last > reach)) {
				reach = map_last;
				hit = true;
			}
		}
		if (!hit)
			return -EFAULT;
		if (reach >= last)
			break;
		pos = reach + 1;
	}
	return 0;
}

/* Log what was written at an IOVA, one IOTLB mapping at a time. */
static int vtv_log_iova(struct vtv_vq *vq, u64 iova, u64 len)
{
	struct iovec iov;
	int r;

	while (len) {
		r = vtv_translate_one(vq, iova, len, &iov, VHOST_ACCESS_WO);
		if (r)
			return r;
		r = vtv_log_hva(vq->dev, (uintptr_t)iov.iov_base, iov.iov_len);
		if (r)
			return r;
		iova += iov.iov_len;
		len -= iov.iov_len;
	}
	return 0;
}

static void vtv_log_signal(struct vtv_dev *dev)
{
	if (dev->log_ctx)
		vt_eventfd_signal(dev->log_ctx);
}

/*
 * Log the first @len bytes written into a chain: @log holds its writable
 * descriptors' guest addresses, @iov (@count entries) the same buffers
 * translated.  With the device IOTLB the descriptors' addresses are IOVAs,
 * so the translation is logged instead, by every guest address it has.
 * A failure is reported on the error eventfd: migration cannot be trusted.
 */
int vtv_log_write(struct vtv_vq *vq, struct vtv_log *log, unsigned int log_num,
		  u64 len, struct iovec *iov, int count)
{
	unsigned int i;
	int r = 0;

	if (!vtv_has_feature(vq, VHOST_F_LOG_ALL))
		return 0;
	/* Make sure the data is seen before the log bits. */
	smp_wmb();
	if (vq->dev->iotlb) {
		for (i = 0; i < count && len && !r; i++) {
			u64 l = min_t(u64, iov[i].iov_len, len);

			r = vtv_log_hva(vq->dev, (uintptr_t)iov[i].iov_base, l);
			len -= l;
		}
	} else {
		for (i = 0; i < log_num && len && !r; i++) {
			u64 l = min(log[i].len, len);

			r = vtv_log_gpa(vq->dev, log[i].addr, l);
			len -= l;
		}
	}
	if (r)
		vtv_vq_err(vq, "cannot log a write to the guest: %d\n", r);
	vtv_log_signal(vq->dev);
	return r;
}

/*
 * Log a used ring write at @offset.  Without the IOTLB, log_guest_addr is
 * the used ring's guest address; with it, the used ring address itself is
 * an IOVA, translated like any other (the guest address the owner set may
 * be an IOVA too).
 */
static int vtv_log_used(struct vtv_vq *vq, u64 offset, u64 len)
{
	int r;

	if (!vq->log_used || !vtv_has_feature(vq, VHOST_F_LOG_ALL))
		return 0;
	/* Make sure the used ring write is seen before the log bit. */
	smp_wmb();
	if (vq->dev->iotlb)
		r = vtv_log_iova(vq, vq->used_addr + offset, len);
	else
		r = vtv_log_gpa(vq->dev, vq->log_guest_addr + offset, len);
	if (r)
		vtv_vq_err(vq, "cannot log a used ring write: %d\n", r);
	else
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
		if (r != -EAGAIN)
			vtv_vq_err(vq, "cannot write used ring entry\n");
		return r;
	}
	/*
	 * A log failure is reported (vtv_log_used()) but does not hold the
	 * buffer back: the guest gets it, the owner learns the log is off.
	 */
	vtv_log_used(vq, off, sizeof(e));
	/* The entry before the index. */
	smp_wmb();
	idx = cpu_to_vtv16(vq, new);
	r = vtv_ring_access(vq, vq->used_addr + offsetof(struct vring_used, idx),
			    &idx, sizeof(idx), true);
	if (r) {
		if (r != -EAGAIN)
			vtv_vq_err(vq, "cannot write used index\n");
		return r;
	}
	vtv_log_used(vq, offsetof(struct vring_used, idx), sizeof(idx));
	vq->last_used_idx = new;
	/* If we wrapped past the last signalled index, signal anyway. */
	if (unlikely((u16)(new - vq->signalled_used) < (u16)(new - old)))
		vq->signalled_used_valid = false;
	return 0;
}

static bool vtv_notify(struct vtv_vq *vq)
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

void vtv_signal(struct vtv_vq *vq)
{
	if (vq->call_ctx && vtv_notify(vq))
		vt_eventfd_signal(vq->call_ctx);
}

void vtv_disable_notify(struct vtv_vq *vq)
{
	if (vq->used_flags & VRING_USED_F_NO_NOTIFY)
		return;
	vq->used_flags |= VRING_USED_F_NO_NOTIFY;
	if (!vtv_has_feature(vq, VIRTIO_RING_F_EVENT_IDX)) {
		int r = vtv_write_used_flags(vq);

		if (r && r != -EAGAIN)
			vtv_vq_err(vq, "cannot disable notification\n");
	}
}

/* Returns true when buffers arrived meanwhile: the caller must look again. */
bool vtv_enable_notify(struct vtv_vq *vq)
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
		if (r != -EAGAIN)
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

/*
 * Forget what was read from the ring and not yet acted on: the avail index
 * and the notification state, whenever the ring is reconfigured or
 * started.  (The engine keeps no translation cache of ring metadata, the
 * subject of CVE-2026-74580 in the in-tree core: every ring access is
 * translated afresh, so there is nothing else to reset.)
 */
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
	if (!vq->ring_set)
		return -EFAULT;
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

/*
 * Are these rings, for @num entries, within the owner's address space?
 * With the device IOTLB they are IOVAs: every access is translated and
 * checked then.
 */
bool vtv_rings_ok(struct vtv_dev *dev, unsigned int num, u64 desc, u64 avail,
		  u64 used)
{
	u64 n = num;

	if (dev->iotlb)
		return true;
	return vtv_range_ok(desc, sizeof(struct vring_desc) * n) &&
	       vtv_range_ok(avail, sizeof(struct vring_avail) +
			    sizeof(__virtio16) * (n + 1)) &&
	       vtv_range_ok(used, sizeof(struct vring_used) +
			    sizeof(struct vring_used_elem) * n +
			    sizeof(__virtio16));
}
