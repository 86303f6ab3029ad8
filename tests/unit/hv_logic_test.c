// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of hv_sock's pure logic: the very lines the module
 * compiles (src/hv_sock_logic.h), with the few kernel helpers they use.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;
#define ALIGN(x, a) (((x) + (a) - 1) & ~((u32)(a) - 1))
#define round_down(x, y) ((x) & ~((u32)(y) - 1))

#include "../../src/hv_sock_logic.h"

static int failed, passed;

#define CHECK(cond) do {						\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}							\
	} while (0)

int main(void)
{
	u8 id[16];
	bool ok;
	u32 w;

	/* Packet sizes: header 24, payload padded to 8, trailer 8. */
	CHECK(hvs_pkt_len(0) == 32);
	CHECK(hvs_pkt_len(1) == 40);
	CHECK(hvs_pkt_len(8) == 40);
	CHECK(hvs_pkt_len(9) == 48);
	CHECK(HVS_MAX_PKT_SIZE == 24 + 16384 + 8);

	/* Writable payload keeps room for one byte and the FIN, 8-aligned. */
	CHECK(hvs_writable_payload(0) == 0);
	CHECK(hvs_writable_payload(72) == 0);
	CHECK(hvs_writable_payload(73) == 0);
	CHECK(hvs_writable_payload(80) == 8);
	CHECK(hvs_writable_payload(4096) == round_down(4096 - 72, 8));
	for (w = 0, ok = true; w < 70000; w++) {
		u32 p = hvs_writable_payload(w);

		if (p % 8 || (p && hvs_pkt_len(p) + hvs_pkt_len(0) > w))
			ok = false;
	}
	CHECK(ok);	/* a data packet plus the FIN always fit */

	/* Readable: none, FIN only, data. */
	CHECK(hvs_readable_kind(0) == -1);
	CHECK(hvs_readable_kind(31) == -1);
	CHECK(hvs_readable_kind(32) == 0);
	CHECK(hvs_readable_kind(33) == 1);

	/* Host-supplied lengths. */
	CHECK(hvs_check_recv(23, 0) == -EIO);		/* shorter than the header */
	CHECK(hvs_check_recv(24, 0) == 0);		/* FIN */
	CHECK(hvs_check_recv(24, 1) == -EIO);		/* payload beyond the packet */
	CHECK(hvs_check_recv(32, 8) == 0);
	CHECK(hvs_check_recv(32, 9) == -EIO);
	CHECK(hvs_check_recv(0xffffffff, HVS_MTU_SIZE) == 0);
	CHECK(hvs_check_recv(0xffffffff, HVS_MTU_SIZE + 1) == -EIO);
	CHECK(hvs_check_recv(0, 0xffffffff) == -EIO);
	CHECK(hvs_check_recv(24, 0xffffffff) == -EIO);	/* no wrap-around */

	/* Each refusal goes to its own counter, by its documented name. */
	CHECK(hvs_recv_verdict(23, 0) == HVS_STAT_RECV_SHORT_PACKET);
	CHECK(hvs_recv_verdict(0, 0xffffffff) == HVS_STAT_RECV_SHORT_PACKET);
	CHECK(hvs_recv_verdict(24, 1) == HVS_STAT_RECV_PAYLOAD_BEYOND_PACKET);
	CHECK(hvs_recv_verdict(24, 0xffffffff) == HVS_STAT_RECV_PAYLOAD_BEYOND_PACKET);
	CHECK(hvs_recv_verdict(0xffffffff, HVS_MTU_SIZE + 1) == HVS_STAT_RECV_PAYLOAD_ABOVE_MTU);
	CHECK(hvs_recv_verdict(0xffffffff, HVS_MTU_SIZE) == HVS_STAT_MAX);
	CHECK(hvs_recv_verdict(24, 0) == HVS_STAT_MAX);
	{
		int i, j;

		for (i = 0, ok = true; i < HVS_STAT_MAX; i++) {
			if (!hvs_stat_names[i] || !*hvs_stat_names[i])
				ok = false;
			for (j = 0; ok && j < i; j++)
				if (!strcmp(hvs_stat_names[i], hvs_stat_names[j]))
					ok = false;
		}
		CHECK(ok);	/* every counter named, no name twice */
		CHECK(!strcmp(hvs_stat_names[HVS_STAT_CLOSE_TIMEOUT], "close_timeout"));
	}

	/* Ring sizing. */
	/* Pre-WIN10_V5 hosts: exactly 6 x 4 KiB, header included. */
	CHECK(hvs_ring_size(false, 1 << 20, 24576, 262144, 4096, 4096) == 24576);
	CHECK(hvs_ring_size(false, 1 << 20, 24576, 262144, 4096, 65536) == 24576);
	/* Newer hosts: clamped payload + header, page aligned. */
	CHECK(hvs_ring_size(true, 4096, 24576, 262144, 4096, 4096) == 28672);
	CHECK(hvs_ring_size(true, 65536, 24576, 262144, 4096, 4096) == 69632);
	CHECK(hvs_ring_size(true, 1 << 20, 24576, 262144, 4096, 4096) == 266240);
	CHECK(hvs_ring_size(true, 65536, 24576, 262144, 4096, 65536) == 131072);

	/* Service GUID <-> port: 00000405-facb-11e6-bd58-64006a7986d3. */
	hvs_srv_id_make(id, 0x405);
	CHECK(id[0] == 0x05 && id[1] == 0x04 && id[2] == 0 && id[3] == 0);
	CHECK(id[4] == 0xcb && id[5] == 0xfa && id[6] == 0xe6 && id[7] == 0x11);
	CHECK(id[8] == 0xbd && id[15] == 0xd3);
	CHECK(hvs_srv_id_valid(id));
	CHECK(hvs_srv_id_port(id) == 0x405);
	hvs_srv_id_make(id, 0xffffffff);
	CHECK(hvs_srv_id_port(id) == 0xffffffff && hvs_srv_id_valid(id));
	id[9] ^= 1;
	CHECK(!hvs_srv_id_valid(id));

	printf("hv_logic: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
