/*
 * mysql.c - MySQL/MariaDB client/server protocol (TCP 3306): identification.
 *
 * Spec: MySQL Source Code Documentation, "Client/Server Protocol":
 * Protocol::Packet (3-byte little-endian payload length, 1-byte sequence
 * id), Protocol::HandshakeV10 (the server's greeting), ERR_Packet,
 * Protocol::HandshakeResponse41 and Protocol::SSLRequest (the client's
 * answer, sequence id 1).
 * Emits: nothing yet (probe only).
 *
 *   | payload_length (3, LE) | sequence_id |
 *   HandshakeV10: 0x0A, server version "...\0", thread id (4),
 *     auth-plugin-data-part-1 (8), filler 0x00, capability flags (2), ...
 *   ERR_Packet:   0xFF, error code (2, LE), ["#" SQL state (5)], message
 *   HandshakeResponse41 / SSLRequest: capability flags (4, LE, with
 *     CLIENT_PROTOCOL_41), max packet size (4), character set (1),
 *     filler of 23 zero bytes, [user name "...\0", ...]
 *
 * The server speaks first. YES for a greeting or an error held whole with
 * sequence id 0, or a client answer with sequence id 1, the 4.1 flag and
 * the zero filler.
 */
#include "proto/proto.h"

#define MYSQL_HDR_LEN 4
#define MYSQL_PROTOCOL_V10 0x0a
#define MYSQL_ERR 0xff
#define MYSQL_CLIENT_PROTOCOL_41 0x00000200u
#define MYSQL_FILLER_LEN 23
#define MYSQL_RESPONSE41_MIN 32		/* flags, max packet, charset, filler */
/* Version strings are short ("8.0.36-0ubuntu0.22.04.1"); a cap keeps the
 * probe from walking a large payload. */
#define MYSQL_VERSION_MAX 64u
#define MYSQL_GREETING_AFTER_VERSION (4 + 8 + 1 + 2)

static int mysql_printable(int ch)
{
	return ch >= 0x20 && ch <= 0x7e;
}

/* HandshakeV10 after the protocol byte; the payload is held whole. */
static enum ws_probe mysql_greeting(struct ws_rd *p)
{
	size_t vlen = 0;

	while (vlen < ws_rd_left(p) && vlen <= MYSQL_VERSION_MAX && ws_rd_peek(p, vlen) != 0) {
		if (!mysql_printable(ws_rd_peek(p, vlen)))
			return WS_PROBE_NO;
		vlen++;
	}
	if (vlen == 0 || vlen > MYSQL_VERSION_MAX || vlen >= ws_rd_left(p))
		return WS_PROBE_NO;
	ws_rd_skip(p, vlen + 1 + 4 + 8);	/* version, NUL, thread id, auth data 1 */
	uint8_t filler = ws_rd_u8(p);
	ws_rd_skip(p, 2);	/* capability flags, lower half */
	if (!ws_rd_ok(p) || filler != 0)
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

/* ERR_Packet after 0xFF: a code (1000..) and printable text. */
static enum ws_probe mysql_error(struct ws_rd *p)
{
	uint16_t code = ws_rd_le16(p);

	if (!ws_rd_ok(p) || code < 1000 || ws_rd_left(p) == 0)
		return WS_PROBE_NO;
	for (size_t i = 0; i < ws_rd_left(p); i++)
		if (!mysql_printable(ws_rd_peek(p, i)))
			return WS_PROBE_NO;
	return WS_PROBE_YES;
}

/* HandshakeResponse41 or SSLRequest. */
static enum ws_probe mysql_response(struct ws_rd *p)
{
	uint32_t caps = ws_rd_le32(p);

	ws_rd_skip(p, 4 + 1);	/* max packet size, character set */
	if (!ws_rd_ok(p) || !(caps & MYSQL_CLIENT_PROTOCOL_41))
		return WS_PROBE_NO;
	for (int i = 0; i < MYSQL_FILLER_LEN; i++)
		if (ws_rd_u8(p) != 0 || !ws_rd_ok(p))
			return WS_PROBE_NO;
	return WS_PROBE_YES;
}

static enum ws_probe mysql_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;	/* the sequence id tells the side */
	if (l4 != WS_PROTO_TCP || ws_rd_left(&c) == 0)
		return WS_PROBE_NO;
	uint32_t len = ws_rd_le24(&c);
	uint8_t seq = ws_rd_u8(&c);
	if (!ws_rd_ok(&c)) {
		/* Cut short: a first packet is short, so its length's top byte is 0. */
		if (ws_rd_left(r) >= 3 && ws_rd_peek(r, 2) != 0)
			return WS_PROBE_NO;
		return WS_PROBE_MAYBE;
	}
	if (seq > 1 || len == 0)
		return WS_PROBE_NO;
	if (len > ws_rd_left(&c)) {
		/* Judge the first byte while the rest comes. */
		int first = ws_rd_peek(&c, 0);

		if (ws_rd_left(&c) == 0)
			return WS_PROBE_MAYBE;
		if (seq == 0)
			return first == MYSQL_PROTOCOL_V10 || first == MYSQL_ERR ? WS_PROBE_MAYBE : WS_PROBE_NO;
		return len >= MYSQL_RESPONSE41_MIN ? WS_PROBE_MAYBE : WS_PROBE_NO;
	}
	struct ws_rd p = ws_rd_sub(&c, len);
	if (seq == 1)
		return len >= MYSQL_RESPONSE41_MIN ? mysql_response(&p) : WS_PROBE_NO;
	uint8_t first = ws_rd_u8(&p);
	if (first == MYSQL_PROTOCOL_V10)
		return len >= 1 + 2 + MYSQL_GREETING_AFTER_VERSION ? mysql_greeting(&p) : WS_PROBE_NO;
	if (first == MYSQL_ERR)
		return mysql_error(&p);
	return WS_PROBE_NO;
}

const struct ws_proto ws_proto_mysql = {
	.name = "mysql",
	.label = "MySQL",
	.spec = "MySQL Client/Server Protocol (HandshakeV10, HandshakeResponse41)",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 3306 },
	.probe = mysql_probe,
};
