/*
 * nbns.c - NetBIOS Name Service (UDP 137): identification.
 *
 * Spec: RFC 1002 4.2 (name service packets), 4.2.1.1 (header), 4.2.1.2
 * (question section); RFC 1001 14.1 (first-level name encoding).
 * Emits: nothing yet (probe only; the name-service parser comes later).
 *
 *   0               16              32
 *   | NAME_TRN_ID   |R|OPCODE|NM_FLAGS|RCODE|
 *   | QDCOUNT       | ANCOUNT         |
 *   | NSCOUNT       | ARCOUNT         |
 *   | QUESTION_NAME: 0x20, 32 bytes 'A'..'P', scope labels, 0 |
 *   | QUESTION_TYPE (0x0020 NB, 0x0021 NBSTAT) | QUESTION_CLASS (0x0001) |
 *
 * A request holds one question (and, for registration, refresh and release,
 * one additional record); a response holds one answer record whose name is
 * encoded the same way. The probe checks the header against that and the
 * first name, type and class, all inside the datagram.
 */
#include "proto/proto.h"

#define NBNS_HDR_LEN 12
#define NBNS_TYPE_NB 0x0020
#define NBNS_TYPE_NBSTAT 0x0021
#define NBNS_CLASS_IN 0x0001

/*
 * RFC 1001 14.1: an encoded name is one 32-byte label, each byte 'A' + a
 * nibble of the 16-byte name, then the scope's labels (RFC 1035 rules: at
 * most 63 bytes each, 255 in all), then a zero byte.
 * Returns 1 (a valid name, reader past it), 0 (not one), -1 (cut short).
 */
static int nbns_name(struct ws_rd *c)
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

static enum ws_probe nbns_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 != WS_PROTO_UDP)
		return WS_PROBE_NO;
	ws_rd_skip(&c, 2);	/* NAME_TRN_ID */
	uint16_t flags = ws_rd_be16(&c);
	uint16_t qd = ws_rd_be16(&c);
	uint16_t an = ws_rd_be16(&c);
	uint16_t ns = ws_rd_be16(&c);
	uint16_t ar = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;

	unsigned response = flags >> 15;
	unsigned opcode = (flags >> 11) & 0x0f;
	/* RFC 1002 4.2.1.1: query 0, registration 5, release 6, WACK 7,
	 * refresh 8; 9 (refresh) and 15 (multi-homed registration) in use by
	 * Windows. */
	if (opcode != 0 && (opcode < 5 || opcode > 9) && opcode != 15)
		return WS_PROBE_NO;
	/* NM_FLAGS: AA TC RD RA 0 0 B; the two middle bits are reserved zero. */
	if (flags & 0x0060)
		return WS_PROBE_NO;
	if (!response && (qd != 1 || an != 0 || ns != 0 || ar > 1 || (flags & 0x000f)))
		return WS_PROBE_NO;
	if (response && (qd != 0 || an != 1 || ns != 0 || ar != 0))
		return WS_PROBE_NO;

	int name = nbns_name(&c);
	if (name == 0)
		return WS_PROBE_NO;
	if (name < 0)
		return WS_PROBE_MAYBE;
	uint16_t type = ws_rd_be16(&c);
	uint16_t cls = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if ((type != NBNS_TYPE_NB && type != NBNS_TYPE_NBSTAT) || cls != NBNS_CLASS_IN)
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

const struct ws_proto ws_proto_nbns = {
	.name = "netbios-ns",
	.label = "NBNS",
	.spec = "RFC 1002 4.2",
	.l4 = WS_PROTO_UDP,
	.udp_ports = { 137 },
	.probe = nbns_probe,
};
