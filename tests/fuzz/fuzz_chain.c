// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_chain: descriptor chains through vtv_get_vq_desc() (src/vtv_vq.c),
 * direct, indirect, chained, looping, wrapping, with and without the
 * indirect feature, through the memory table or the IOTLB; every chain
 * taken is compared with a reference walk and given back with
 * vtv_add_used().
 *
 * Input: the configuration block of fdev_setup() (harness.c), then
 * operations, each a byte (mod 10) and its arguments: 0 to 8 are the guest's
 * (guest_op() in harness.c: descriptors, indirect tables, avail ring, IOTLB),
 *   9 take  u8 chains (mod 8, + 1; bit 7: no dirty log asked for, as the
 *           TX path), u32 used len, u8 iov_size (0: all of vq->iov)
 */
#include "harness.h"

enum { ST_TAKEN, ST_EMPTY, ST_REFUSED, ST_SPLIT, ST_MAXIOV, ST_USED };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init("fuzz_chain");
	vt_stat_name[ST_TAKEN] = "chains";
	vt_stat_name[ST_EMPTY] = "empty";
	vt_stat_name[ST_REFUSED] = "refused";
	vt_stat_name[ST_SPLIT] = "split_reads";
	vt_stat_name[ST_MAXIOV] = "max_iovecs";
	vt_stat_name[ST_USED] = "returned";
	return 0;
}

static void take(struct vt_in *in)
{
	static struct ref_chain ref;
	u8 how = in_u8(in);
	unsigned int n = how % 8 + 1, out, inn, log_num;
	u32 len = in_u32(in);
	unsigned int iov_size = in_u8(in);
	int head;

	if (!iov_size)
		iov_size = ARRAY_SIZE(VQ->iov);
	while (n--) {
		head = take_and_check(iov_size, &out, &inn, how & 0x80 ? NULL : &log_num, &ref);
		if (head < 0) {
			vt_stat[ST_REFUSED]++;
			return;
		}
		if ((unsigned int)head == VQ->num) {
			vt_stat[ST_EMPTY]++;
			return;
		}
		vt_stat[ST_TAKEN]++;
		if (ref.ring_split)
			vt_stat[ST_SPLIT]++;
		if (out + inn > vt_stat[ST_MAXIOV])
			vt_stat[ST_MAXIOV] = out + inn;
		if (!add_used_and_check(head, len))
			vt_stat[ST_USED]++;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vt_in in = { data, size };
	int ops = 0;

	harness_begin();
	fdev_setup(&in, 0, 0);
	while (!in_empty(&in) && ops++ < 256) {
		u8 op = in_u8(&in) % (GUEST_OPS + 1);

		if (op < GUEST_OPS)
			guest_op(op, &in);
		else if (F.started)
			take(&in);
		fdev_check_state();
	}
	harness_end();
	return 0;
}
