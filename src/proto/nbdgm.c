/*
 * nbdgm.c - NetBIOS Datagram Service (UDP 138): identification.
 *
 * Spec: RFC 1002 4.4 (datagram service packets): 4.4.1 header, 4.4.2 direct
 * and broadcast datagrams, 4.4.3 error, 4.4.4 query request and responses;
 * RFC 1001 14.1 (first-level name encoding).
 * Emits: nothing yet (probe only).
 *
 *   0       8       16              32
 *   | TYPE  | FLAGS | DGM_ID        |
 *   | SOURCE_IP                     |
 *   | SOURCE_PORT   | DGM_LENGTH    |   <- 0x10..0x12 only
 *   | PACKET_OFFSET | SOURCE_NAME ... DESTINATION_NAME ... USER_DATA
 *
 * FLAGS: 0 0 0 0 SNT(2) F M (the four high bits are reserved zero).
 * DGM_LENGTH counts the bytes after PACKET_OFFSET, so for a datagram held
 * whole it equals the UDP payload length less 14.
 */
#include "proto/proto.h"

#define NBDGM_DIRECT_UNIQUE 0x10
#define NBDGM_DIRECT_GROUP 0x11
#define NBDGM_BROADCAST 0x12
#define NBDGM_ERROR 0x13
#define NBDGM_QUERY_REQUEST 0x14
#define NBDGM_POS_QUERY_RESPONSE 0x15
#define NBDGM_NEG_QUERY_RESPONSE 0x16

#define NBDGM_HDR_LEN 10	/* TYPE .. SOURCE_PORT */
#define NBDGM_DATA_HDR_LEN 14	/* plus DGM_LENGTH, PACKET_OFFSET */

/* RFC 1001 14.1, as in nbns.c: 1 valid, 0 not a name, -1 cut short. */
static int nbdgm_name(struct ws_rd *c)
{
	size_t total = 33;
	uint8_t len = ws_rd_u8(c);

	if (!ws_rd_ok(c))
		return -1;
	if (len != 32)
		return 0;
	for (int i = 0; i < 32; i++) {
		uint8_t ch = ws_rd_u8(c);

		if (!ws_rd_ok(c))
			return -1;
		if (ch < 'A' || ch > 'P')
			return 0;
	}
	for (;;) {
		len = ws_rd_u8(c);
		if (!ws_rd_ok(c))
			return -1;
		if (len == 0)
			return 1;
		total += 1u + len;
		if (len > 63 || total > 255)
			return 0;
		ws_rd_skip(c, len);
		if (!ws_rd_ok(c))
			return -1;
	}
}

static enum ws_probe nbdgm_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t dgram_len = ws_rd_left(&c);

	(void)dir;
	if (l4 != WS_PROTO_UDP)
		return WS_PROBE_NO;
	uint8_t type = ws_rd_u8(&c);
	if (!ws_rd_ok(&c) || type < NBDGM_DIRECT_UNIQUE || type > NBDGM_NEG_QUERY_RESPONSE)
		return WS_PROBE_NO;
	uint8_t flags = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (flags & 0xf0)	/* 4.4.1: reserved bits */
		return WS_PROBE_NO;
	ws_rd_skip(&c, 2 + 4 + 2);	/* DGM_ID, SOURCE_IP, SOURCE_PORT */
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;

	if (type == NBDGM_ERROR) {
		/* 4.4.3: ERROR_CODE 0x82 no such name, 0x83 bad source, 0x84 bad destination. */
		uint8_t code = ws_rd_u8(&c);

		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if (code < 0x82 || code > 0x84 || dgram_len != NBDGM_HDR_LEN + 1)
			return WS_PROBE_NO;
		return WS_PROBE_YES;
	}
	if (type <= NBDGM_BROADCAST) {
		uint16_t dlen = ws_rd_be16(&c);

		ws_rd_skip(&c, 2);	/* PACKET_OFFSET */
		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if (dlen != dgram_len - NBDGM_DATA_HDR_LEN)
			return WS_PROBE_NO;
		/* SOURCE_NAME, then DESTINATION_NAME (only the first of a
		 * fragmented datagram carries both, and it is the one probed). */
		int name = nbdgm_name(&c);
		if (name <= 0)
			return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
		name = nbdgm_name(&c);
		if (name <= 0)
			return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
		return WS_PROBE_YES;
	}
	/* 4.4.4: query request and responses carry DESTINATION_NAME only. */
	int name = nbdgm_name(&c);
	if (name <= 0)
		return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
	return ws_rd_left(&c) == 0 ? WS_PROBE_YES : WS_PROBE_NO;
}

const struct ws_proto ws_proto_nbdgm = {
	.name = "netbios-dgm",
	.label = "NBDGM",
	.spec = "RFC 1002 4.4",
	.l4 = WS_PROTO_UDP,
	.udp_ports = { 138 },
	.probe = nbdgm_probe,
};
