/*
 * tls.c - Transport Layer Security (TCP 443, 8443): identification.
 *
 * Spec: RFC 8446 5.1 (record layer: ContentType, legacy_record_version,
 * length <= 2^14 + 256 for TLSCiphertext; RFC 5246 6.2.3 allows 2^14 +
 * 2048), 4 (handshake: msg_type, 24-bit length), 4.1.2-4.1.3 (ClientHello,
 * ServerHello: legacy_version, then 32 bytes of random); RFC 6101 5.2.1
 * (SSL 3.0, version 3.0).
 * Emits: nothing yet (probe only).
 *
 *   | type 22 | version 3.x (2) | length (2) | msg_type 1/2 | length (3) | version 3.x (2) | random ...
 *
 * YES for a handshake record opening with a ClientHello or ServerHello
 * that fits the record, versions 3.0 to 3.4. A flow picked up mid-session
 * starts with another record (application data, alert, change cipher
 * spec): YES when that record ends exactly where the segment ends or where
 * the next sane record header starts (the length is the consistency
 * check), MAYBE while it is not all held.
 */
#include "proto/proto.h"

#define TLS_CT_CHANGE_CIPHER_SPEC 20
#define TLS_CT_ALERT 21
#define TLS_CT_HANDSHAKE 22
#define TLS_CT_APPLICATION_DATA 23
#define TLS_HS_CLIENT_HELLO 1
#define TLS_HS_SERVER_HELLO 2
#define TLS_RECORD_MAX (16384 + 2048)	/* RFC 5246 6.2.3 */
#define TLS_MINOR_MAX 4
#define TLS_HELLO_MIN (2 + 32 + 1)	/* version, random, session id length */

static int tls_version_ok(uint8_t major, uint8_t minor)
{
	return major == 3 && minor <= TLS_MINOR_MAX;
}

/* RFC 8446 5.1: a record other than a hello; c is past its header. */
static enum ws_probe tls_whole_record(struct ws_rd *c, uint8_t type, uint16_t len)
{
	/* RFC 5246 7.1: ChangeCipherSpec is one byte, 1 (TLS 1.3 keeps it, 5). */
	if (type == TLS_CT_CHANGE_CIPHER_SPEC && (len != 1 || (ws_rd_left(c) > 0 && ws_rd_peek(c, 0) != 1)))
		return WS_PROBE_NO;
	if (len > ws_rd_left(c))
		return WS_PROBE_MAYBE;
	ws_rd_skip(c, len);
	if (ws_rd_left(c) == 0)
		return WS_PROBE_YES;
	/* Another record follows: its header must be sane as far as held. */
	int next = ws_rd_peek(c, 0);
	if (next < TLS_CT_CHANGE_CIPHER_SPEC || next > TLS_CT_APPLICATION_DATA)
		return WS_PROBE_NO;
	if (ws_rd_left(c) >= 2 && ws_rd_peek(c, 1) != 3)
		return WS_PROBE_NO;
	if (ws_rd_left(c) >= 3 && ws_rd_peek(c, 2) > TLS_MINOR_MAX)
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

static enum ws_probe tls_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t held = ws_rd_left(&c);

	(void)dir;
	if (l4 != WS_PROTO_TCP || held == 0)
		return WS_PROBE_NO;
	uint8_t type = ws_rd_u8(&c);
	if (type < TLS_CT_CHANGE_CIPHER_SPEC || type > TLS_CT_APPLICATION_DATA)
		return WS_PROBE_NO;
	uint8_t major = ws_rd_u8(&c);
	uint8_t minor = ws_rd_u8(&c);
	if (held >= 2 && major != 3)
		return WS_PROBE_NO;
	if (held >= 3 && minor > TLS_MINOR_MAX)
		return WS_PROBE_NO;
	uint16_t len = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (len == 0 || len > TLS_RECORD_MAX)
		return WS_PROBE_NO;
	if (type != TLS_CT_HANDSHAKE)
		return tls_whole_record(&c, type, len);

	uint8_t hs = ws_rd_u8(&c);
	uint32_t hs_len = ws_rd_be24(&c);
	uint8_t vmajor = ws_rd_u8(&c);
	uint8_t vminor = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (hs != TLS_HS_CLIENT_HELLO && hs != TLS_HS_SERVER_HELLO)
		return WS_PROBE_MAYBE;	/* e.g. a handshake record mid-session */
	/* A hello fits its record: 4 bytes of handshake header, then the body. */
	if (hs_len < TLS_HELLO_MIN || hs_len + 4 > len || !tls_version_ok(vmajor, vminor))
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

const struct ws_proto ws_proto_tls = {
	.name = "tls",
	.label = "TLS",
	.spec = "RFC 8446 4-5, RFC 5246 6.2",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 443, 8443 },
	.probe = tls_probe,
};
