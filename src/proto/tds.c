/*
 * tds.c - Tabular Data Stream, Microsoft SQL Server (TCP 1433), and the SQL
 * Server Resolution Protocol (UDP 1434, the "SQL browser"): identification.
 *
 * Spec: MS-TDS 2.2.3.1 (packet header), 2.2.3.1.1 (types), 2.2.3.1.2
 * (status), 2.2.5.1 (ALL_HEADERS), 2.2.6.4 (LOGIN7), 2.2.6.5 (PRELOGIN),
 * 2.2.7 (token stream); MC-SQLR 2.2 (SSRP messages).
 * Emits: nothing yet (probe only).
 *
 *   0       8        16               32
 *   | Type  | Status |     Length      |   Length: whole packet, header included
 *   | SPID           | PacketID| Window|   Window: 0
 *
 * YES needs a known type, only defined status bits, Window 0, a Length
 * that is the segment's (or is followed by another valid header), and a body
 * that starts as its type says. Sybase ASE speaks TDS 5.0 over the same
 * header (its login is type 2); it is named "mssql" too: a TDS flow on
 * Sybase's port 5000 is found by this probe on a non-standard port rather
 * than by a port-only entry, because 5000 carries much else (UPnP, AirPlay).
 *
 * SSRP, UDP 1434: CLNT_BCAST_EX 0x02 and CLNT_UCAST_EX 0x03 are one byte
 * (MAYBE: too little to be sure), CLNT_UCAST_INST 0x04 and CLNT_UCAST_DAC
 * 0x0F carry a NUL-terminated instance name, SVR_RESP 0x05 a 16-bit size
 * and "ServerName;..." (or the DAC port).
 */
#include "proto/proto.h"

#define TDS_HDR_LEN 8
#define TDS_SQL_BATCH 0x01
#define TDS_LOGIN_OLD 0x02
#define TDS_RPC 0x03
#define TDS_RESULT 0x04
#define TDS_ATTENTION 0x06
#define TDS_BULK 0x07
#define TDS_FEDAUTH 0x08
#define TDS_TRANS_MGR 0x0e
#define TDS_LOGIN7 0x10
#define TDS_SSPI 0x11
#define TDS_PRELOGIN 0x12
/* 2.2.3.1.2: EOM, IGNORE, RESETCONNECTION, RESETCONNECTIONSKIPTRAN. */
#define TDS_STATUS_MASK 0x1b
#define TDS_STATUS_EOM 0x01
#define TDS_LOGIN7_FIXED_LEN 94		/* 2.2.6.4: up to and including cbSSPI ... */
#define TDS_PRELOGIN_VERSION 0x00
#define TDS_PRELOGIN_TERMINATOR 0xff
#define TDS_OLD_HOSTNAME_LEN 30		/* TDS 4.2/5.0 login: host_name[30], host_name_length */

#define SSRP_CLNT_BCAST_EX 0x02
#define SSRP_CLNT_UCAST_EX 0x03
#define SSRP_CLNT_UCAST_INST 0x04
#define SSRP_SVR_RESP 0x05
#define SSRP_CLNT_UCAST_DAC 0x0f
#define SSRP_INSTANCE_MAX 32		/* MC-SQLR 2.2.3: no more than 32 bytes */

static int tds_type_ok(uint8_t type)
{
	switch (type) {
	case TDS_SQL_BATCH: case TDS_LOGIN_OLD: case TDS_RPC: case TDS_RESULT:
	case TDS_ATTENTION: case TDS_BULK: case TDS_FEDAUTH: case TDS_TRANS_MGR:
	case TDS_LOGIN7: case TDS_SSPI: case TDS_PRELOGIN:
		return 1;
	default:
		return 0;
	}
}

/* 2.2.7: the tokens a server's first reply can start with. */
static int tds_token_ok(uint8_t tok)
{
	switch (tok) {
	case 0xaa: /* ERROR */ case 0xab: /* INFO */ case 0xad: /* LOGINACK */
	case 0xe3: /* ENVCHANGE */ case 0x81: /* COLMETADATA */ case 0xfd: /* DONE */
	case 0xfe: /* DONEPROC */ case 0xff: /* DONEINPROC */ case 0x79: /* RETURNSTATUS */
	case 0xa9: /* ORDER */ case 0xed: /* SSPI */ case 0xae: /* FEATUREEXTACK */
	case 0xee: /* FEDAUTHINFO */ case 0xd1: /* ROW */ case 0xa5: /* COLINFO */
	case 0xa4: /* TABNAME */ case 0xac: /* RETURNVALUE */ case 0xe4: /* SESSIONSTATE */
		return 1;
	default:
		return 0;
	}
}

/* 2.2.6.5: option tokens (type, offset, length) end with 0xFF; VERSION comes
 * first and its offset points just past the option list. */
static enum ws_probe tds_prelogin(struct ws_rd body)
{
	size_t len = ws_rd_left(&body);
	uint8_t tok = ws_rd_u8(&body);
	uint16_t off = ws_rd_be16(&body);
	uint16_t olen = ws_rd_be16(&body);

	if (!ws_rd_ok(&body))
		return WS_PROBE_NO;
	if (tok != TDS_PRELOGIN_VERSION || olen != 6 || off < 6 || (off - 1) % 5 != 0 ||
	    (size_t)off + olen > len)
		return WS_PROBE_NO;
	/* The terminator sits just before the first option's data. */
	struct ws_rd t = body;
	ws_rd_skip(&t, (size_t)off - 5 - 1);
	return ws_rd_u8(&t) == TDS_PRELOGIN_TERMINATOR && ws_rd_ok(&t) ? WS_PROBE_YES : WS_PROBE_NO;
}

/* 2.2.5.1: ALL_HEADERS: TotalLength, then headers of HeaderLength, HeaderType 1..3. */
static int tds_all_headers(struct ws_rd body)
{
	size_t len = ws_rd_left(&body);
	uint32_t total = ws_rd_le32(&body);
	uint32_t hlen = ws_rd_le32(&body);
	uint16_t htype = ws_rd_le16(&body);

	return ws_rd_ok(&body) && total >= 4 + 6 && total <= len && hlen >= 6 &&
	       hlen <= total - 4 && htype >= 1 && htype <= 3;
}

/* The body as its type says; the whole packet is held. */
static enum ws_probe tds_body(uint8_t type, uint8_t status, struct ws_rd body)
{
	size_t len = ws_rd_left(&body);

	switch (type) {
	case TDS_PRELOGIN:
		return tds_prelogin(body);
	case TDS_RESULT: {
		int tok = ws_rd_peek(&body, 0);

		if (len == 0)
			return WS_PROBE_NO;
		if (tok == TDS_PRELOGIN_VERSION)
			return tds_prelogin(body);
		return tds_token_ok((uint8_t)tok) ? WS_PROBE_YES : WS_PROBE_NO;
	}
	case TDS_LOGIN7: {
		/* 2.2.6.4: Length is the whole LOGIN7 record. */
		uint32_t rec = ws_rd_le32(&body);

		if (!ws_rd_ok(&body) || rec < TDS_LOGIN7_FIXED_LEN)
			return WS_PROBE_NO;
		if ((status & TDS_STATUS_EOM) ? rec != len : rec <= len)
			return WS_PROBE_NO;
		return WS_PROBE_YES;
	}
	case TDS_SQL_BATCH:
		/* TDS 7.2+: ALL_HEADERS; before: UCS-2 text. */
		if (tds_all_headers(body))
			return WS_PROBE_YES;
		if (len >= 2 && ws_rd_peek(&body, 1) == 0 && ws_rd_peek(&body, 0) >= 0x09 &&
		    ws_rd_peek(&body, 0) < 0x7f)
			return WS_PROBE_YES;
		return WS_PROBE_NO;
	case TDS_RPC:
	case TDS_TRANS_MGR:
		return tds_all_headers(body) ? WS_PROBE_YES : WS_PROBE_MAYBE;
	case TDS_ATTENTION:
		return len == 0 ? WS_PROBE_YES : WS_PROBE_NO;
	case TDS_LOGIN_OLD: {
		/* TDS 4.2/5.0: host name, 30 bytes, then its length. */
		struct ws_rd t = body;

		ws_rd_skip(&t, TDS_OLD_HOSTNAME_LEN);
		uint8_t hl = ws_rd_u8(&t);
		if (!ws_rd_ok(&t))
			return WS_PROBE_MAYBE;
		return hl <= TDS_OLD_HOSTNAME_LEN ? WS_PROBE_YES : WS_PROBE_NO;
	}
	default:	/* bulk load, federated auth, SSPI: no fixed start */
		return WS_PROBE_MAYBE;
	}
}

static enum ws_probe tds_probe_tcp(struct ws_rd *c)
{
	size_t held = ws_rd_left(c);
	uint8_t type = ws_rd_u8(c);
	uint8_t status = ws_rd_u8(c);
	uint16_t len = ws_rd_be16(c);

	if (held == 0)
		return WS_PROBE_NO;
	if (!tds_type_ok(type))
		return WS_PROBE_NO;
	if (held >= 2 && (status & ~TDS_STATUS_MASK))
		return WS_PROBE_NO;
	if (!ws_rd_ok(c))
		return WS_PROBE_MAYBE;
	if (len < TDS_HDR_LEN)
		return WS_PROBE_NO;
	ws_rd_skip(c, 3);	/* SPID, PacketID */
	uint8_t window = ws_rd_u8(c);
	if (!ws_rd_ok(c))
		return WS_PROBE_MAYBE;
	if (window != 0)
		return WS_PROBE_NO;
	size_t body_len = len - TDS_HDR_LEN;
	if (body_len > ws_rd_left(c))
		return WS_PROBE_MAYBE;	/* the rest of the packet is not held yet */
	struct ws_rd body = ws_rd_sub(c, body_len);
	if (ws_rd_left(c) > 0) {
		/* More follows: it must be the next packet's header. */
		if (!tds_type_ok((uint8_t)ws_rd_peek(c, 0)))
			return WS_PROBE_NO;
		if (ws_rd_left(c) >= 2 && (ws_rd_peek(c, 1) & ~TDS_STATUS_MASK))
			return WS_PROBE_NO;
	}
	return tds_body(type, status, body);
}

/* Printable instance name, then one NUL that ends the datagram. */
static enum ws_probe ssrp_instance(struct ws_rd *c)
{
	size_t len = ws_rd_left(c);

	if (len < 2 || len > SSRP_INSTANCE_MAX + 1 || ws_rd_peek(c, len - 1) != 0)
		return WS_PROBE_NO;
	for (size_t i = 0; i + 1 < len; i++) {
		int ch = ws_rd_peek(c, i);

		if (ch < 0x21 || ch > 0x7e)
			return WS_PROBE_NO;
	}
	return WS_PROBE_YES;
}

static enum ws_probe tds_probe_udp(struct ws_rd *c)
{
	size_t held = ws_rd_left(c);
	uint8_t type = ws_rd_u8(c);

	if (!ws_rd_ok(c))
		return WS_PROBE_NO;
	switch (type) {
	case SSRP_CLNT_BCAST_EX:
	case SSRP_CLNT_UCAST_EX:
		return held == 1 ? WS_PROBE_MAYBE : WS_PROBE_NO;
	case SSRP_CLNT_UCAST_INST:
		return ssrp_instance(c);
	case SSRP_CLNT_UCAST_DAC:
		if (ws_rd_u8(c) != 0x01 || !ws_rd_ok(c))
			return WS_PROBE_NO;
		return ssrp_instance(c);
	case SSRP_SVR_RESP: {
		uint16_t size = ws_rd_le16(c);

		if (!ws_rd_ok(c))
			return WS_PROBE_NO;
		/* MC-SQLR 2.2.6: the DAC answer is 6 bytes in all, version 1, then a port. */
		if (size == 6 && held == 6)
			return ws_rd_u8(c) == 0x01 ? WS_PROBE_YES : WS_PROBE_NO;
		if (size != held - 3)
			return WS_PROBE_NO;
		return ws_rd_match_ci(c, "ServerName;", 11) ? WS_PROBE_YES : WS_PROBE_NO;
	}
	default:
		return WS_PROBE_NO;
	}
}

static enum ws_probe tds_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 == WS_PROTO_UDP)
		return tds_probe_udp(&c);
	if (l4 == WS_PROTO_TCP)
		return tds_probe_tcp(&c);
	return WS_PROBE_NO;
}

const struct ws_proto ws_proto_mssql = {
	.name = "mssql",
	.label = "TDS",
	.spec = "MS-TDS 2.2.3, MC-SQLR 2.2",
	.l4 = WS_PROTO_TCP | WS_PROTO_UDP,
	.tcp_ports = { 1433, 1434 },	/* IANA: ms-sql-m is TCP and UDP 1434 */
	.udp_ports = { 1434 },
	.probe = tds_probe,
};
