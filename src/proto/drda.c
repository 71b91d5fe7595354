/*
 * drda.c - Distributed Relational Database Architecture, IBM Db2 (TCP
 * 50000, and 446, DRDA's IANA port): identification.
 *
 * Spec: The Open Group, DRDA Vol. 3 "Distributed Data Management (DDM)
 * Architecture" and Vol. 1 chapter "DSS": every request, reply and object
 * travels in a Data Stream Structure.
 * Emits: nothing yet (probe only).
 *
 *   | DSS length (2) | 0xD0 | format (1) | correlation id (2) |
 *   | DDM length (2) | DDM code point (2) | parameters ...
 *
 * Format: the low nibble is the DSS type (1 request, 2 reply, 3 object,
 * 4 encrypted object, 5 request without reply), 0x40 chains another DSS,
 * 0x10 continues on error, 0x20 the same correlation id. The first DDM
 * object fills the DSS: its length is the DSS length less 6. YES for that.
 */
#include "proto/proto.h"

#define DRDA_MAGIC 0xd0
#define DRDA_DSS_HDR_LEN 6
#define DRDA_DDM_HDR_LEN 4
#define DRDA_TYPE_MAX 5

static enum ws_probe drda_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t held = ws_rd_left(&c);

	(void)dir;
	if (l4 != WS_PROTO_TCP || held == 0)
		return WS_PROBE_NO;
	uint16_t len = ws_rd_be16(&c);
	uint8_t magic = ws_rd_u8(&c);
	uint8_t format = ws_rd_u8(&c);
	if (held >= 3 && magic != DRDA_MAGIC)
		return WS_PROBE_NO;
	if (held >= 4 && ((format & 0x0f) == 0 || (format & 0x0f) > DRDA_TYPE_MAX || (format & 0x80)))
		return WS_PROBE_NO;
	ws_rd_skip(&c, 2);	/* correlation id */
	uint16_t ddm_len = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return held >= 2 && len < DRDA_DSS_HDR_LEN + DRDA_DDM_HDR_LEN ? WS_PROBE_NO : WS_PROBE_MAYBE;
	if (len < DRDA_DSS_HDR_LEN + DRDA_DDM_HDR_LEN || ddm_len != len - DRDA_DSS_HDR_LEN)
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

const struct ws_proto ws_proto_db2 = {
	.name = "db2",
	.label = "DRDA",
	.spec = "The Open Group DRDA (DDM, DSS)",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 50000, 446 },
	.probe = drda_probe,
};
