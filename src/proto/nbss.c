/*
 * nbss.c - NetBIOS Session Service (TCP 139): identification.
 *
 * Spec: RFC 1002 4.3 (session service packets): 4.3.1 header, 4.3.2 session
 * request, 4.3.3 positive response, 4.3.4 negative response, 4.3.5 retarget
 * response, 4.3.6 session message, 4.3.7 keep alive; RFC 1001 14.1 (names).
 * Emits: nothing yet (probe only).
 *
 *   0       8       16                      31
 *   | TYPE  | FLAGS |         LENGTH         |
 *
 * FLAGS: seven reserved zero bits and E (the low bit), which extends LENGTH
 * to 17 bits. Each control message has a fixed body length; a session
 * request carries the called and the calling names, encoded.
 *
 * A session message (type 0x00) is left to the "smb" probe: its body is
 * SMB on TCP 139 in practice. This probe answers MAYBE to it, so that a flow
 * on 139 that first shows a session request is named "netbios-ssn" and the
 * engine upgrades it to "smb" when the smb probe then says YES (a probe
 * result for a more specific protocol upgrades netbios-ssn to smb).
 */
#include "proto/proto.h"

#define NBSS_HDR_LEN 4
#define NBSS_MESSAGE 0x00
#define NBSS_REQUEST 0x81
#define NBSS_POSITIVE 0x82
#define NBSS_NEGATIVE 0x83
#define NBSS_RETARGET 0x84
#define NBSS_KEEPALIVE 0x85

/* RFC 1001 14.1, as in nbns.c: 1 valid, 0 not a name, -1 cut short. */
static int nbss_name(struct ws_rd *c)
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

/* 4.3.2: the two names fill the body exactly. */
static enum ws_probe nbss_request(struct ws_rd *c, uint32_t len)
{
	if (len > ws_rd_left(c)) {
		/* Cut short: judge the names as far as they are held. */
		int name = nbss_name(c);

		if (name == 0)
			return WS_PROBE_NO;
		if (name > 0)
			name = nbss_name(c);
		return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
	}
	struct ws_rd body = ws_rd_sub(c, len);
	if (nbss_name(&body) != 1 || nbss_name(&body) != 1)
		return WS_PROBE_NO;
	return ws_rd_left(&body) == 0 ? WS_PROBE_YES : WS_PROBE_NO;
}

static enum ws_probe nbss_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 != WS_PROTO_TCP)
		return WS_PROBE_NO;
	uint8_t type = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_NO;
	if (type != NBSS_MESSAGE && (type < NBSS_REQUEST || type > NBSS_KEEPALIVE))
		return WS_PROBE_NO;
	uint8_t flags = ws_rd_u8(&c);
	uint32_t len = ws_rd_be16(&c) | (uint32_t)(flags & 0x01) << 16;
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (flags & 0xfe)	/* 4.3.1: reserved bits */
		return WS_PROBE_NO;

	size_t rest = ws_rd_left(&c);
	switch (type) {
	case NBSS_MESSAGE:
		return WS_PROBE_MAYBE;
	case NBSS_REQUEST:
		return nbss_request(&c, len);
	case NBSS_POSITIVE:
	case NBSS_KEEPALIVE:
		/* Four bytes alone: the segment must hold nothing else. */
		if (len != 0)
			return WS_PROBE_NO;
		return rest == 0 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	case NBSS_NEGATIVE: {
		/* 4.3.4: ERROR_CODE 0x80 not listening on called name, 0x81 not
		 * listening for calling name, 0x82 called name not present,
		 * 0x83 insufficient resources, 0x8F unspecified error. */
		if (len != 1)
			return WS_PROBE_NO;
		uint8_t code = ws_rd_u8(&c);
		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if ((code < 0x80 || code > 0x83) && code != 0x8f)
			return WS_PROBE_NO;
		return rest == 1 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	}
	case NBSS_RETARGET:
		/* 4.3.5: RETARGET_IP_ADDRESS(32) PORT(16). */
		if (len != 6)
			return WS_PROBE_NO;
		return rest == 6 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	default:
		return WS_PROBE_NO;
	}
}

const struct ws_proto ws_proto_nbss = {
	.name = "netbios-ssn",
	.label = "NBSS",
	.spec = "RFC 1002 4.3",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 139 },
	.probe = nbss_probe,
};
