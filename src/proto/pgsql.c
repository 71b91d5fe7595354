/*
 * pgsql.c - PostgreSQL frontend/backend protocol (TCP 5432): identification.
 *
 * Spec: PostgreSQL documentation, "Frontend/Backend Protocol", 55.2.1
 * (start-up), 55.2.10 (SSL session encryption), 55.2.11 (GSSAPI
 * encryption), 55.2.7 (canceling requests), 55.7 (message formats).
 * Emits: nothing yet (probe only).
 *
 * The client's first message has no type byte:
 *   | Int32 length (itself included) | Int32 code | ...
 *   code 196608 (3.0) StartupMessage: "name\0value\0" pairs, then "\0"
 *   code 80877103 SSLRequest, 80877104 GSSENCRequest: length 8
 *   code 80877102 CancelRequest: length 16 (process ID, secret key)
 * The eight bytes of length and code are the magic; bytes after the first
 * message (a later probe may see more of the stream) are not judged.
 * The server answers with typed messages: | Byte1 type | Int32 length | ...
 *   'R' Authentication (Int32 kind), 'E' ErrorResponse (fields, each a
 *   type byte and a string, then "\0"), or, to an SSL/GSS request, the one
 *   byte 'S' or 'N' (or 'G') alone (MAYBE: one byte is too little).
 */
#include "proto/proto.h"

#define PG_PROTO_3 196608u
#define PG_SSL_REQUEST 80877103u
#define PG_GSSENC_REQUEST 80877104u
#define PG_CANCEL_REQUEST 80877102u
/* The server refuses a startup packet longer than 10000 bytes
 * (MAX_STARTUP_PACKET_LENGTH in its sources). */
#define PG_STARTUP_MAX 10000u

/* 55.7 StartupMessage: "user\0..." pairs; the first name is printable. */
static enum ws_probe pg_startup(struct ws_rd *c, uint32_t len, size_t held)
{
	size_t body = len - 8;

	if (len > PG_STARTUP_MAX || len < 8 + 1)
		return WS_PROBE_NO;
	if (len > held)
		return WS_PROBE_MAYBE;
	if (ws_rd_peek(c, body - 1) != 0)
		return WS_PROBE_NO;
	if (body == 1)
		return WS_PROBE_YES;	/* no parameters at all: legal */
	for (size_t i = 0; i < body; i++) {
		int ch = ws_rd_peek(c, i);

		if (ch == 0)
			return i > 0 ? WS_PROBE_YES : WS_PROBE_NO;
		if (ch < 0x21 || ch > 0x7e)
			return WS_PROBE_NO;
	}
	return WS_PROBE_NO;
}

static enum ws_probe pg_client(struct ws_rd *c, size_t held)
{
	/* Cut short: the Int32 length of a first message begins 00 00. */
	if (held < 8)
		return ws_rd_peek(c, 0) == 0 && ws_rd_peek(c, 1) == 0 ? WS_PROBE_MAYBE : WS_PROBE_NO;
	uint32_t len = ws_rd_be32(c);
	uint32_t code = ws_rd_be32(c);

	switch (code) {
	case PG_PROTO_3:
		return pg_startup(c, len, held);
	case PG_SSL_REQUEST:
	case PG_GSSENC_REQUEST:
		return len == 8 ? WS_PROBE_YES : WS_PROBE_NO;
	case PG_CANCEL_REQUEST:
		return len == 16 ? WS_PROBE_YES : WS_PROBE_NO;
	default:
		return WS_PROBE_NO;
	}
}

/* 55.7 Authentication*: the kind fixes the length (SASL lists mechanisms). */
static enum ws_probe pg_auth(struct ws_rd *c, uint32_t len)
{
	uint32_t kind = ws_rd_be32(c);

	if (!ws_rd_ok(c))
		return WS_PROBE_MAYBE;
	switch (kind) {
	case 0:	/* Ok */
	case 2:	/* KerberosV5 */
	case 3:	/* CleartextPassword */
	case 7:	/* GSS */
	case 9:	/* SSPI */
		return len == 8 ? WS_PROBE_YES : WS_PROBE_NO;
	case 5:	/* MD5Password: 4 bytes of salt */
		return len == 12 ? WS_PROBE_YES : WS_PROBE_NO;
	case 10:	/* SASL: mechanism names, each "\0"-terminated, then "\0" */
		return len > 8 && ws_rd_match(c, "SCRAM-SHA-256", 13) ? WS_PROBE_YES :
		       (len > 8 ? WS_PROBE_MAYBE : WS_PROBE_NO);
	default:
		return WS_PROBE_NO;
	}
}

/* 55.8 ErrorResponse: the first field is S (severity) or V, then text. */
static enum ws_probe pg_error(struct ws_rd *c, uint32_t len, size_t held)
{
	uint8_t field = ws_rd_u8(c);

	if (!ws_rd_ok(c))
		return WS_PROBE_MAYBE;
	if (field != 'S' && field != 'V')
		return WS_PROBE_NO;
	static const char *const sev[] = { "FATAL", "ERROR", "PANIC" };
	for (size_t i = 0; i < sizeof sev / sizeof sev[0]; i++)
		if (ws_rd_match(c, sev[i], 5))
			return len + 1 <= held && ws_rd_peek(c, len - 5 - 1) == 0 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	return ws_rd_left(c) < 5 ? WS_PROBE_MAYBE : WS_PROBE_NO;
}

static enum ws_probe pg_server(struct ws_rd *c, size_t held)
{
	uint8_t type = ws_rd_u8(c);

	if (held == 1 && (type == 'S' || type == 'N' || type == 'G'))
		return WS_PROBE_MAYBE;	/* the answer to an SSL or GSS request */
	if (type != 'R' && type != 'E')
		return WS_PROBE_NO;
	uint32_t len = ws_rd_be32(c);
	if (!ws_rd_ok(c))
		return WS_PROBE_MAYBE;
	if (len < 8 || len > PG_STARTUP_MAX)
		return WS_PROBE_NO;
	return type == 'R' ? pg_auth(c, len) : pg_error(c, len, held);
}

static enum ws_probe pgsql_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t held = ws_rd_left(&c);

	(void)dir;	/* the first byte tells the side: 0 for a client's length */
	if (l4 != WS_PROTO_TCP || held == 0)
		return WS_PROBE_NO;
	if (ws_rd_peek(&c, 0) == 0)
		return pg_client(&c, held);
	return pg_server(&c, held);
}

const struct ws_proto ws_proto_pgsql = {
	.name = "pgsql",
	.label = "PGSQL",
	.spec = "PostgreSQL Frontend/Backend Protocol 3.0",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 5432 },
	.probe = pgsql_probe,
};
