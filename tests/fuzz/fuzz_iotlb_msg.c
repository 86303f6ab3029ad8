// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_iotlb_msg: the device IOTLB protocol of src/vtv_dev.c, messages
 * written to the character device (vtv_chr_write_iter(), v1 and v2
 * layouts, split over iovecs, short, faulting) and miss messages read back
 * (vtv_chr_read_iter(), vtv_chr_poll()), against a reference of the uapi
 * layouts and of the IOTLB's contents; and, around them, the device and
 * vring ioctls of the owner with any arguments (a refused ioctl must leave
 * nothing of its change behind).
 *
 * Input: the configuration block of fdev_setup() (the IOTLB always asked
 * for), then operations (mod 7):
 *   0 write    u8 len, u8 segments (mod 4, + 1), u8 split points x 3,
 *              u8 faulting segments (bit k), then len bytes of message
 *   1 message  u8 kind (bit 0: invalidate, bit 1: v2, bit 2: asid 1),
 *              val iova, val size, val uaddr (uspec()), u8 perm
 *   2 miss     val iova, u8 write: a one-descriptor chain there, taken
 *   3 read     u8 buffer size, u8 (bit 0: blocking)
 *   4 features u8 (bit 0: toggle ACCESS_PLATFORM, bit 1: toggle the v2 backend feature)
 *   5 poll
 *   6 guest op u8 op (mod GUEST_OPS), its arguments (guest_op())
 *   7 ioctl    u8 which (mod 12), u8 vq index (mod 3: 2 is none), then
 *              the ioctl's arguments (see ioctl_op())
 */
#include "harness.h"

enum { ST_WRITES, ST_ACCEPTED, ST_MISSES, ST_READS, ST_DROPPED, ST_TOGGLES, ST_IOCTLS,
       ST_REFUSED };

/* The miss messages the engine must have queued, oldest first. */
#define MAX_PENDING 256
static struct {
	bool v2;
	u64 iova;
	u8 perm;
} pending[MAX_PENDING];
static unsigned int npending;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init("fuzz_iotlb_msg");
	vt_stat_name[ST_WRITES] = "writes";
	vt_stat_name[ST_ACCEPTED] = "accepted";
	vt_stat_name[ST_MISSES] = "misses";
	vt_stat_name[ST_READS] = "read";
	vt_stat_name[ST_DROPPED] = "dropped";
	vt_stat_name[ST_TOGGLES] = "toggles";
	vt_stat_name[ST_IOCTLS] = "ioctls";
	vt_stat_name[ST_REFUSED] = "ioctls_refused";
	return 0;
}

static bool v2_negotiated(void)
{
	return F.vqs[0].acked_backend_features & (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2);
}

/* The logical message: bytes and, per byte, whether it can be read. */
static u8 msg[256];
static bool readable[256];

/* Can [pos, pos + n) of a message of len bytes be read? */
static bool can_read(unsigned int pos, unsigned int n, unsigned int len)
{
	unsigned int i;

	if (pos + n > len)
		return false;
	for (i = pos; i < pos + n; i++)
		if (!readable[i])
			return false;
	return true;
}

static u64 get64(unsigned int pos)
{
	u64 v;

	memcpy(&v, msg + pos, 8);
	return v;
}

/* What vtv_chr_write_iter() must answer, and the message it must take. */
static ssize_t expect(unsigned int len, struct vhost_iotlb_msg *m)
{
	u32 type, asid = 0;
	unsigned int pos;

	if (len < 4 || !can_read(0, 4, len))
		return -EINVAL;
	memcpy(&type, msg, 4);
	if (type == VHOST_IOTLB_MSG) {
		pos = 8;	/* skipped, not read */
	} else if (type == VHOST_IOTLB_MSG_V2) {
		if (!can_read(4, 4, len))
			return -EINVAL;
		memcpy(&asid, msg + 4, 4);
		pos = 8;
	} else {
		return -EINVAL;
	}
	if (!can_read(pos, sizeof(*m), len))
		return -EINVAL;
	m->iova = get64(pos);
	m->size = get64(pos + 8);
	m->uaddr = get64(pos + 16);
	m->perm = msg[pos + 24];
	m->type = msg[pos + 25];
	if (asid)
		return -EINVAL;
	if (m->type == VHOST_IOTLB_UPDATE) {
		if (!F.iotlb_on)
			return -EFAULT;
		if (!m->size || m->iova + m->size - 1 < m->iova ||
		    m->uaddr + m->size - 1 < m->uaddr || !m->perm ||
		    m->perm > VHOST_ACCESS_RW || m->size > TASK_SIZE_MAX ||
		    m->uaddr > TASK_SIZE_MAX - m->size)
			return -EINVAL;
		/* A full IOTLB retires its oldest entry; one message taken. */
		return min_t(unsigned int, len, 72);
	}
	if (m->type == VHOST_IOTLB_INVALIDATE) {
		if (!F.iotlb_on)
			return -EFAULT;
		return !m->size || m->iova + m->size - 1 < m->iova ? -EINVAL :
		       (ssize_t)min_t(unsigned int, len, 72);
	}
	return -EINVAL;
}

static void write_msg(unsigned int len, unsigned int nseg, const u8 *split, u8 faulty)
{
	struct vhost_iotlb_msg m;
	struct iovec iov[4];
	unsigned int cut[5], i, k;
	struct iov_iter it;
	ssize_t r, e;

	/* Segment k is [cut[k], cut[k + 1]) of the message. */
	cut[0] = 0;
	for (k = 1; k < nseg; k++)
		cut[k] = max(cut[k - 1], len ? (unsigned int)split[k - 1] % (len + 1) : 0);
	cut[nseg] = len;
	for (k = 0; k < nseg; k++) {
		bool bad = faulty & (1 << k);

		/* Each segment at its own place; a faulting one points nowhere. */
		iov[k].iov_base = (void *)(uintptr_t)(bad ? 0x40000000ULL + 0x1000 * k :
						      ARG_UBASE + 0x1000 * k);
		iov[k].iov_len = cut[k + 1] - cut[k];
		if (!bad)
			memcpy(g_arg + 0x1000 * k, msg + cut[k], iov[k].iov_len);
		for (i = cut[k]; i < cut[k + 1]; i++)
			readable[i] = !bad;
	}
	e = expect(len, &m);
	iov_iter_init(&it, ITER_SOURCE, iov, nseg, len);
	r = vtv_chr_write_iter(&F.dev, &it);
	CHECK(r == e, "write of %u bytes in %u segments: %zd, reference %zd", len, nseg, r, e);
	vt_stat[ST_WRITES]++;
	if (r > 0) {
		fdev_ref_iotlb(m.type, m.iova, m.size, m.uaddr, m.perm);
		vt_stat[ST_ACCEPTED]++;
	}
}

static void raw_write(struct vt_in *in)
{
	unsigned int len = in_u8(in), nseg = in_u8(in) % 4 + 1, i;
	u8 split[3] = { in_u8(in), in_u8(in), in_u8(in) };
	u8 faulty = in_u8(in);

	for (i = 0; i < len; i++)
		msg[i] = in_u8(in);
	write_msg(len, nseg, split, faulty);
}

static void message(struct vt_in *in)
{
	u8 kind = in_u8(in);
	u64 iova = in_val(in), size = in_val(in), uaddr = uspec(in_val(in));
	u8 perm = in_u8(in);
	u8 split[3] = { 72, 72, 72 };
	u32 type = kind & 2 ? VHOST_IOTLB_MSG_V2 : VHOST_IOTLB_MSG;
	u32 asid = (kind & 2) && (kind & 4);

	memset(msg, 0, 72);
	memcpy(msg, &type, 4);
	memcpy(msg + 4, &asid, 4);
	memcpy(msg + 8, &iova, 8);
	memcpy(msg + 16, &size, 8);
	memcpy(msg + 24, &uaddr, 8);
	msg[32] = perm;
	msg[33] = kind & 1 ? VHOST_IOTLB_INVALIDATE : VHOST_IOTLB_UPDATE;
	write_msg(72, 1, split, 0);
}

/*
 * Starting a queue reads and writes its used ring: misses there are taken
 * as the engine queued them (the reference does not model the second vq).
 */
static void take_queued(void)
{
	struct vtv_msg_node *node;
	unsigned int i = 0;

	list_for_each_entry(node, &F.dev.read_list, node) {
		if (i++ < npending)
			continue;
		CHECK(npending < MAX_PENDING);
		pending[npending].v2 = node->msg.type == VHOST_IOTLB_MSG_V2;
		pending[npending].iova = pending[npending].v2 ? node->msg_v2.iotlb.iova :
								 node->msg.iotlb.iova;
		pending[npending].perm = pending[npending].v2 ? node->msg_v2.iotlb.perm :
								 node->msg.iotlb.perm;
		npending++;
	}
}

/* The engine queued a miss message: the reference's first miss. */
static void queued(void)
{
	CHECK(ref_miss.valid, "the engine missed where the reference did not");
	if (npending < MAX_PENDING) {
		pending[npending].v2 = v2_negotiated();
		pending[npending].iova = ref_miss.iova;
		pending[npending].perm = ref_miss.access;
		npending++;
	} else {
		vt_stat[ST_DROPPED]++;
	}
	vt_stat[ST_MISSES]++;
}

static void miss(struct vt_in *in)
{
	static struct ref_chain rc;
	u64 iova = in_val(in);
	bool write = in_u8(in) & 1;
	u16 slot = F.g_avail_idx & (VQ->num - 1);
	unsigned int out, inn, log_num;
	int head;

	if (!F.started)
		return;
	g_put_desc(slot, iova, 16, write ? VRING_DESC_F_WRITE : 0, 0);
	g_push_avail(slot);
	head = take_and_check(ARRAY_SIZE(VQ->iov), &out, &inn, &log_num, &rc);
	if (head == -EAGAIN) {
		queued();
	} else if (head >= 0 && (unsigned int)head < VQ->num) {
		if (add_used_and_check(head, 0) == -EAGAIN)
			queued();
	} else {
		/* Refused: the guest moves on past it. */
		g_set_avail_idx(VQ->last_avail_idx);
	}
}

static void read_msg(struct vt_in *in)
{
	unsigned int size = in_u8(in);
	bool block = in_u8(in) & 1;
	struct iov_iter it;
	struct iovec iov;
	ssize_t r;

	memset(g_arg, 0xa5, 256);
	iov.iov_base = (void *)(uintptr_t)ARG_UBASE;
	iov.iov_len = size;
	iov_iter_init(&it, ITER_DEST, &iov, 1, size);
	current->sigpending = 0;
	r = vtv_chr_read_iter(&F.dev, &it, !block);
	current->sigpending = 0;
	if (vt_trace)
		fprintf(stderr, "read %u%s: %zd, %u pending, got type %u/%u iova %#llx\n", size,
			block ? " blocking" : "", r, npending, ((u32 *)g_arg)[0], g_arg[33],
			*(u64 *)(g_arg + 8));
	/* A buffer too short for a message is refused; the message stays. */
	if (size < 72) {
		CHECK(r == -EINVAL, "read into %u bytes: %zd", size, r);
		return;
	}
	if (!npending) {
		CHECK(r == (!block ? -EAGAIN : F.dev.iotlb ? -ERESTARTSYS : -EBADFD),
		      "read of nothing (%s): %zd", block ? "blocking" : "non-blocking", r);
		return;
	}
	{
		struct vhost_msg_v2 got;

		CHECK(r == 72, "read: %zd", r);
		memcpy(&got, g_arg, sizeof(got));
		CHECK(got.type == (pending[0].v2 ? VHOST_IOTLB_MSG_V2 : VHOST_IOTLB_MSG),
		      "message type %u", got.type);
		if (pending[0].v2)
			CHECK(got.asid == 0);
		CHECK(got.iotlb.type == VHOST_IOTLB_MISS && got.iotlb.iova == pending[0].iova &&
		      got.iotlb.perm == pending[0].perm && !got.iotlb.size && !got.iotlb.uaddr,
		      "miss read: type %u iova %#llx perm %u, reference iova %#llx perm %u",
		      got.iotlb.type, got.iotlb.iova, got.iotlb.perm, pending[0].iova,
		      pending[0].perm);
		CHECK(g_arg[72] == 0xa5, "read wrote past the message");
		vt_stat[ST_READS]++;
	}
	memmove(pending, pending + 1, (npending - 1) * sizeof(pending[0]));
	npending--;
}

static void features(struct vt_in *in)
{
	u8 how = in_u8(in);

	if (how & 1) {
		bool was = F.iotlb_on;

		fdev_set_features(F.features ^ (1ULL << VIRTIO_F_ACCESS_PLATFORM));
		/* Cleared: the queued messages go too. */
		if (was && !F.iotlb_on)
			npending = 0;
		vt_stat[ST_TOGGLES]++;
	}
	if (how & 2)
		vtv_set_backend_features(&F.dev, F.vqs[0].acked_backend_features ^
					 (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2));
}

static void poll(void)
{
	vt_poll_t m = vtv_chr_poll(NULL, &F.dev, NULL);
	vt_poll_t e = (F.iotlb_on ? EPOLLOUT | EPOLLWRNORM : 0) |
		      (npending ? EPOLLIN | EPOLLRDNORM : 0);

	CHECK(m == e, "poll %#x, reference %#x", m, e);
}

/* What a refused vring ioctl must leave as it was. */
struct vq_state {
	unsigned int num;
	u64 desc, avail, used, lga;
	bool log_used;
	u16 last_avail, avail_idx;
	u32 busyloop;
	struct file *kick;
	struct eventfd_ctx *call, *err;
};

static void vq_state(struct vtv_vq *vq, struct vq_state *st)
{
	memset(st, 0, sizeof(*st));	/* padding too: compared with memcmp() */
	st->num = vq->num;
	st->desc = vq->desc_addr;
	st->avail = vq->avail_addr;
	st->used = vq->used_addr;
	st->lga = vq->log_guest_addr;
	st->log_used = vq->log_used;
	st->last_avail = vq->last_avail_idx;
	st->avail_idx = vq->avail_idx;
	st->busyloop = vq->busyloop_timeout;
	st->kick = vq->kick;
	st->call = vq->call_ctx;
	st->err = vq->error_ctx;
}

static int fd_arg(struct vt_in *in)
{
	return (int)(in_u8(in) % 7) - 1;	/* -1 (none) to 5 (no such fd) */
}

/* The owner's ioctls, with any arguments. */
static void ioctl_op(struct vt_in *in)
{
	static const unsigned int vring[] = {
		VHOST_SET_VRING_NUM, VHOST_SET_VRING_BASE, VHOST_GET_VRING_BASE,
		VHOST_SET_VRING_ADDR, VHOST_SET_VRING_KICK, VHOST_SET_VRING_CALL,
		VHOST_SET_VRING_ERR, VHOST_SET_VRING_BUSYLOOP_TIMEOUT,
	};
	u8 which = in_u8(in) % 12;
	unsigned int idx = in_u8(in) % 3;
	struct vtv_vq *vq = idx < 2 ? &F.vqs[idx] : NULL;
	struct vq_state before, after;
	long r;

	vt_stat[ST_IOCTLS]++;
	if (vq)
		vq_state(vq, &before);
	if (which < ARRAY_SIZE(vring)) {
		union {
			struct vhost_vring_state s;
			struct vhost_vring_addr a;
			struct vhost_vring_file f;
		} arg;
		unsigned int cmd = vring[which];
		size_t len = sizeof(arg.s);

		memset(&arg, 0, sizeof(arg));
		arg.s.index = idx;
		if (cmd == VHOST_SET_VRING_ADDR) {
			arg.a.flags = in_u8(in) & 3;
			arg.a.desc_user_addr = F.iotlb_on ? in_val(in) : uspec(in_val(in));
			arg.a.avail_user_addr = F.iotlb_on ? in_val(in) : uspec(in_val(in));
			arg.a.used_user_addr = F.iotlb_on ? in_val(in) : uspec(in_val(in));
			arg.a.log_guest_addr = in_val(in);
			len = sizeof(arg.a);
		} else if (cmd == VHOST_SET_VRING_KICK || cmd == VHOST_SET_VRING_CALL ||
			   cmd == VHOST_SET_VRING_ERR) {
			arg.f.fd = fd_arg(in);
			len = sizeof(arg.f);
		} else {
			arg.s.num = in_u8(in) & 1 ? 1U << (in_u8(in) % 17) : in_u32(in);
		}
		r = fdev_ioctl(cmd, &arg, len);
		if (cmd == VHOST_GET_VRING_BASE && !r)
			CHECK(arg.s.num == before.last_avail && arg.s.index == idx);
	} else if (which == 8) {
		u64 base = in_val(in);

		base = base < (1ULL << 32) ? LOG_UBASE + (s16)base : base;
		before.desc = F.dev.log_base;
		r = fdev_ioctl(VHOST_SET_LOG_BASE, &base, sizeof(base));
		if (r)
			CHECK(F.dev.log_base == before.desc, "a refused SET_LOG_BASE changed it");
		F.log_base = F.dev.log_base;
		vq = NULL;
	} else if (which == 9) {
		int fd = fd_arg(in);

		r = fdev_ioctl(VHOST_SET_LOG_FD, &fd, sizeof(fd));
		vq = NULL;
	} else if (which == 10) {
		/* A second owner, or an argument nowhere in user memory. */
		r = fdev_ioctl(VHOST_SET_OWNER, NULL, 0);
		CHECK(r == -EBUSY, "SET_OWNER again: %ld", r);
		mutex_lock(&F.dev.mutex);
		r = vtv_vring_ioctl(&F.dev, VHOST_SET_VRING_NUM, (void __user *)0x40000000);
		mutex_unlock(&F.dev.mutex);
		CHECK(r == -EFAULT, "ioctl with its argument unmapped: %ld", r);
	} else {
		if (in_u8(in) & 1) {
			fdev_stop();
		} else {
			fdev_start();
			take_queued();
		}
		vt_stat[ST_IOCTLS]--;
		vq = NULL;
		r = 0;
	}
	if (r)
		vt_stat[ST_REFUSED]++;
	if (vq && r) {
		vq_state(vq, &after);
		/*
		 * A kick eventfd whose poll reports an error is kept, with
		 * -EINVAL, as upstream vhost does.
		 */
		if (which == 4 && r == -EINVAL)
			after.kick = before.kick;
		CHECK(!memcmp(&after, &before, sizeof(after)),
		      "refused vring ioctl %u (%ld) changed the vq", which, r);
	}
	/* The reference follows what the engine took. */
	F.desc = VQ->desc_addr;
	F.avail = VQ->avail_addr;
	F.used = VQ->used_addr;
	F.log_used = VQ->log_used;
	F.log_guest_addr = VQ->log_guest_addr;
	F.started = VQ->private_data != NULL;
	if (F.started)
		F.used_idx = VQ->last_used_idx;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vt_in in = { data, size };
	int ops = 0;

	harness_begin();
	npending = 0;
	fdev_setup(&in, CFG_IOTLB, 0);
	/* Starting may have missed already (the used ring): take it as is. */
	take_queued();
	while (!in_empty(&in) && ops++ < 256) {
		switch (in_u8(&in) % 8) {
		case 0:
			raw_write(&in);
			break;
		case 1:
			message(&in);
			break;
		case 2:
			miss(&in);
			break;
		case 3:
			read_msg(&in);
			break;
		case 4:
			features(&in);
			break;
		case 5:
			poll();
			break;
		case 6:
			guest_op(in_u8(&in) % GUEST_OPS, &in);
			break;
		case 7:
			ioctl_op(&in);
			break;
		}
		fdev_check_state();
	}
	harness_end();
	return 0;
}
