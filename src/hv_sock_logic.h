/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_sock's pure logic: ring space arithmetic, the service-GUID <-> port
 * mapping and the validation of lengths the host sends.  No kernel object
 * is touched here, so tests/unit/ compiles these very lines in userspace.
 * The includer provides u8/u32/s64, ALIGN(), round_down(), EIO and memcmp().
 */
#ifndef HV_SOCK_LOGIC_H
#define HV_SOCK_LOGIC_H

/* vmbus packet descriptor (16 bytes) + vmpipe protocol header (8 bytes) */
#define HVS_DESC_LEN		16
#define HVS_PIPE_HDR_LEN	8
#define HVS_HEADER_LEN		(HVS_DESC_LEN + HVS_PIPE_HDR_LEN)

/* The 8-byte "prev_indices" trailer vmbus appends to every packet. */
#define HVS_PKT_TRAILER_LEN	8

/* The host's MTU for one data packet. */
#define HVS_MTU_SIZE		(1024 * 16)

/* Ring bytes one packet with @payload bytes of data occupies. */
static inline u32 hvs_pkt_len(u32 payload)
{
	return HVS_HEADER_LEN + ALIGN(payload, 8) + HVS_PKT_TRAILER_LEN;
}

#define HVS_MAX_PKT_SIZE	hvs_pkt_len(HVS_MTU_SIZE)

/*
 * Payload bytes we may write when the outbound ring has @writable bytes
 * free.  The ring must never become 100% full, and room for one zero-length
 * packet (the FIN) is always kept, so shutdown can never fail.
 */
static inline u32 hvs_writable_payload(u32 writable)
{
	u32 reserve = hvs_pkt_len(1) + hvs_pkt_len(0);

	if (writable <= reserve)
		return 0;
	return round_down(writable - reserve, 8);
}

/* What @readable bytes in the inbound ring hold: 1 data, 0 FIN, -1 none. */
static inline int hvs_readable_kind(u32 readable)
{
	if (readable > hvs_pkt_len(0))
		return 1;
	if (readable == hvs_pkt_len(0))
		return 0;
	return -1;
}

/*
 * What hv_sock counts (debugfs: hv_sock/stats, one "name value" line each,
 * the names below): what the host sent that was refused, host offers that
 * found nobody, and closes the host never acknowledged.
 */
enum hvs_stat {
	HVS_STAT_RECV_SHORT_PACKET,	/* shorter than its headers */
	HVS_STAT_RECV_PAYLOAD_BEYOND_PACKET, /* claimed payload > packet */
	HVS_STAT_RECV_PAYLOAD_ABOVE_MTU, /* claimed payload > 16 KiB */
	HVS_STAT_OFFER_BAD_SERVICE_ID,	/* not a vsock service GUID */
	HVS_STAT_OFFER_NO_SOCKET,	/* no listener / connecting socket */
	HVS_STAT_CLOSE_TIMEOUT,		/* host never closed its side */
	HVS_STAT_MAX
};

static const char * const hvs_stat_names[HVS_STAT_MAX] = {
	[HVS_STAT_RECV_SHORT_PACKET] = "recv_short_packet",
	[HVS_STAT_RECV_PAYLOAD_BEYOND_PACKET] = "recv_payload_beyond_packet",
	[HVS_STAT_RECV_PAYLOAD_ABOVE_MTU] = "recv_payload_above_mtu",
	[HVS_STAT_OFFER_BAD_SERVICE_ID] = "offer_bad_service_id",
	[HVS_STAT_OFFER_NO_SOCKET] = "offer_no_socket",
	[HVS_STAT_CLOSE_TIMEOUT] = "close_timeout",
};

/*
 * Validate a received packet of @pkt_len bytes (vmbus descriptor included)
 * whose pipe header claims @payload bytes.  Every value comes from the
 * host, which a confidential VM must not trust.  Returns HVS_STAT_MAX when
 * the packet is fine, else the counter its refusal goes to.
 */
static inline enum hvs_stat hvs_recv_verdict(u32 pkt_len, u32 payload)
{
	if (pkt_len < HVS_HEADER_LEN)
		return HVS_STAT_RECV_SHORT_PACKET;
	if (payload > pkt_len - HVS_HEADER_LEN)
		return HVS_STAT_RECV_PAYLOAD_BEYOND_PACKET;
	if (payload > HVS_MTU_SIZE)
		return HVS_STAT_RECV_PAYLOAD_ABOVE_MTU;
	return HVS_STAT_MAX;
}

static inline int hvs_check_recv(u32 pkt_len, u32 payload)
{
	return hvs_recv_verdict(pkt_len, payload) == HVS_STAT_MAX ? 0 : -EIO;
}

/*
 * Ring size for one direction, ring header included.  Hosts before the
 * WIN10_V5 vmbus protocol take exactly @dflt bytes (6 pages of 4 KiB, as
 * upstream offers them).  Newer ones take the socket's buffer size clamped
 * to [@dflt, @max] as payload, plus the ring header (@hdr), aligned to the
 * kernel page size (@page): with 64K pages an unaligned ring cannot be
 * mapped (the 7.1 ARM64 fix).  VMBUS_RING_SIZE() of the kernel computes the
 * same; it is spelt out here to be unit-tested.
 */
static inline u32 hvs_ring_size(bool large, u32 want, u32 dflt, u32 max,
				u32 hdr, u32 page)
{
	if (!large)
		return dflt;
	if (want < dflt)
		want = dflt;
	if (want > max)
		want = max;
	return ALIGN(hdr + want, page);
}

/*
 * Service GUIDs: <port>-facb-11e6-bd58-64006a7986d3.  The first four bytes
 * (little endian, as in the GUID's first field) are the vsock port; the
 * other twelve must match the template.
 */
static const u8 hvs_srv_id_tail[12] = {
	0xcb, 0xfa, 0xe6, 0x11, 0xbd, 0x58, 0x64, 0x00, 0x6a, 0x79, 0x86, 0xd3
};

static inline bool hvs_srv_id_valid(const u8 id[16])
{
	return !memcmp(id + 4, hvs_srv_id_tail, sizeof(hvs_srv_id_tail));
}

static inline u32 hvs_srv_id_port(const u8 id[16])
{
	return (u32)id[0] | (u32)id[1] << 8 | (u32)id[2] << 16 |
	       (u32)id[3] << 24;
}

static inline void hvs_srv_id_make(u8 id[16], u32 port)
{
	id[0] = port;
	id[1] = port >> 8;
	id[2] = port >> 16;
	id[3] = port >> 24;
	memcpy(id + 4, hvs_srv_id_tail, sizeof(hvs_srv_id_tail));
}

#endif /* HV_SOCK_LOGIC_H */
