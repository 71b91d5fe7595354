/*
 * smb.c - SMB over TCP (445 direct, 139 over NetBIOS): identification.
 *
 * Spec: MS-SMB2 2.1 (direct TCP transport: a zero byte and a 24-bit
 * StreamProtocolLength before each message), RFC 1002 4.3.6 (NBSS session
 * message: type 0x00, flags with the E bit, 16-bit length: the same four
 * bytes when the message is shorter than 128 KiB), MS-CIFS 2.2.3.1 (SMB1
 * header), MS-SMB2 2.2.1 (SMB2 header), 2.2.41 (transform header), 2.2.42
 * (compression transform header).
 * Emits: what nbss.c's shared feed emits (smb_flow.h): this entry and
 * "netbios-ssn" parse alike, so a 139 flow upgraded to smb keeps its state.
 *
 *   0       8                               32
 *   | 0x00  |      length (24 bits, BE)      |
 *   | 0xFF 'S' 'M' 'B' (SMB1) | 0xFE 'S' 'M' 'B' (SMB2/3)
 *   | 0xFD 'S' 'M' 'B' (SMB3 transform)  | 0xFC 'S' 'M' 'B' (compressed)
 *
 * YES needs the four-byte prefix, the magic and a length that can hold the
 * header the magic announces (and, for SMB2, StructureSize 64 and a known
 * command; for SMB1, WordCount within the length). On TCP 139 a session
 * request (0x81) or its positive answer (0x82) comes first: MAYBE, and the
 * engine keeps probing; the "netbios-ssn" probe says YES to those, and the
 * engine upgrades netbios-ssn to smb when this probe says YES later.
 */
#include "proto/proto.h"
#include "proto/smb_flow.h"

#define SMB_PREFIX_LEN 4
#define SMB1_HDR_LEN 32		/* MS-CIFS 2.2.3.1 */
#define SMB1_MIN_LEN 35		/* header, WordCount, ByteCount */
#define SMB2_HDR_LEN 64		/* MS-SMB2 2.2.1: StructureSize MUST be 64 */
#define SMB2_CMD_MAX 0x12	/* SMB2 OPLOCK_BREAK, the last command */
#define SMB3_TRANSFORM_LEN 52	/* MS-SMB2 2.2.41 */
#define SMB3_COMPRESS_LEN 16	/* MS-SMB2 2.2.42.1: unchained header with Offset */

static enum ws_probe smb_magic(struct ws_rd *c, uint32_t len)
{
	uint8_t proto = ws_rd_u8(c);

	if (!ws_rd_ok(c))
		return WS_PROBE_MAYBE;
	if (proto < 0xfc)
		return WS_PROBE_NO;
	/* Compare "SMB" as far as it is held. */
	for (size_t i = 0; i < 3; i++) {
		uint8_t ch = ws_rd_u8(c);

		if (!ws_rd_ok(c))
			return WS_PROBE_MAYBE;
		if (ch != (uint8_t)"SMB"[i])
			return WS_PROBE_NO;
	}
	switch (proto) {
	case 0xff: {
		if (len < SMB1_MIN_LEN)
			return WS_PROBE_NO;
		ws_rd_skip(c, SMB1_HDR_LEN - 4);
		uint8_t wct = ws_rd_u8(c);
		if (!ws_rd_ok(c))
			return WS_PROBE_MAYBE;
		if (len < SMB1_HDR_LEN + 1u + 2u * wct + 2u)
			return WS_PROBE_NO;
		return WS_PROBE_YES;
	}
	case 0xfe: {
		if (len < SMB2_HDR_LEN)
			return WS_PROBE_NO;
		uint16_t size = ws_rd_le16(c);
		ws_rd_skip(c, 6);	/* CreditCharge, Status */
		uint16_t cmd = ws_rd_le16(c);
		if (!ws_rd_ok(c))
			return WS_PROBE_MAYBE;
		if (size != SMB2_HDR_LEN || cmd > SMB2_CMD_MAX)
			return WS_PROBE_NO;
		return WS_PROBE_YES;
	}
	case 0xfd:
		return len > SMB3_TRANSFORM_LEN ? WS_PROBE_YES : WS_PROBE_NO;
	default:	/* 0xfc */
		return len >= SMB3_COMPRESS_LEN ? WS_PROBE_YES : WS_PROBE_NO;
	}
}

static enum ws_probe smb_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 != WS_PROTO_TCP)
		return WS_PROBE_NO;
	uint8_t type = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_NO;
	if (type == 0x81 || type == 0x82) {
		/* RFC 1002 4.3.2/4.3.3 on TCP 139: SMB may follow. */
		uint8_t flags = ws_rd_u8(&c);

		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		return (flags & 0xfe) ? WS_PROBE_NO : WS_PROBE_MAYBE;
	}
	if (type != 0x00)
		return WS_PROBE_NO;
	uint32_t len = ws_rd_be24(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	return smb_magic(&c, len);
}

const struct ws_proto ws_proto_smb = {
	.name = "smb",
	.label = "SMB",
	.spec = "MS-SMB2 2.1, MS-CIFS 2.2.3.1, RFC 1002 4.3.6",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 445, 139 },
	.probe = smb_probe,
	.state_size = sizeof(struct smb_flow),
	.feed = ws_smb_flow_feed,
	.gap = ws_smb_flow_gap,
	.close = ws_smb_flow_close,
};
