/*
 * dns.c - Domain Name System over UDP and TCP (53), multicast DNS (UDP
 * 5353) and LLMNR (UDP 5355), which share its message format:
 * identification.
 *
 * Spec: RFC 1035 4.1 (message format), 4.1.1 (header), 4.1.2 (question),
 * 4.1.4 (compression), 4.2.2 (TCP: a two-byte length before each message);
 * RFC 6895 2 (opcodes 0-2, 4, 5; RCODEs), RFC 6762 18 (mDNS: the top bit
 * of a class is the unicast-response / cache-flush bit), RFC 4795 2.1
 * (LLMNR header).
 * Emits: nothing yet (probe only).
 *
 *   | ID | QR OPCODE AA TC RD RA Z AD CD RCODE | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT |
 *   question: QNAME (labels of 1..63 bytes, then 0) QTYPE QCLASS
 *
 * YES: a sane header (known opcode, Z clear, counts that fit the length),
 * and the first question (or, with none, the first record) parsed within
 * the message, with a known class. A plain query holds nothing more, so it
 * must end there.
 *
 * NetBIOS name service messages (UDP 137) share this format; their first
 * name is one 32-byte label of 'A'..'P' (RFC 1001 14.1). A message whose
 * first label is 32 bytes, most of them 'A'..'P', is MAYBE here, never
 * YES: the "netbios-ns" probe judges it, and when neither is sure (a
 * damaged name) the port decides.
 */
#include "proto/proto.h"

#define DNS_HDR_LEN 12
#define DNS_QUESTION_MIN 5	/* root name, type, class */
#define DNS_RR_MIN 11		/* root name, type, class, TTL, RDLENGTH */
#define DNS_NAME_MAX 255	/* RFC 1035 2.3.4 */
#define DNS_LABEL_MAX 63
#define DNS_Z_BIT 0x0040
#define DNS_RCODE_MAX 10	/* NOTZONE, RFC 2136 */
/* Bytes of 'A'..'P' in a 32-byte first label that make it a NetBIOS name
 * (a damaged one, if not all 32): DNS labels of 32 bytes are hashes or
 * words, almost never capitals drawn from sixteen letters. */
#define DNS_NB_LIKE_MIN 24
/* Questions per message: one in practice (mDNS packs a few more). */
#define DNS_QD_MAX 32

enum dns_name_res { DNS_NAME_OK, DNS_NAME_BAD, DNS_NAME_SHORT, DNS_NAME_NBNS };

/* The first name of a message: labels only (nothing precedes it to point to). */
static enum dns_name_res dns_first_name(struct ws_rd *c)
{
	size_t total = 1;
	int labels = 0;
	int nb_like = 0;

	for (;;) {
		uint8_t len = ws_rd_u8(c);

		if (!ws_rd_ok(c))
			return DNS_NAME_SHORT;
		if (len == 0)
			return nb_like ? DNS_NAME_NBNS : DNS_NAME_OK;
		if (len > DNS_LABEL_MAX)
			return DNS_NAME_BAD;
		total += 1u + len;
		if (total > DNS_NAME_MAX)
			return DNS_NAME_BAD;
		size_t in_ap = 0;
		for (size_t i = 0; i < len; i++) {
			uint8_t ch = ws_rd_u8(c);

			if (!ws_rd_ok(c))
				return DNS_NAME_SHORT;
			/* Labels are octets (RFC 2181 11); real ones are text,
			 * UTF-8 included (mDNS instance names). */
			if (ch < 0x20 || ch == 0x7f)
				return DNS_NAME_BAD;
			if (ch >= 'A' && ch <= 'P')
				in_ap++;
		}
		if (len == 32 && labels == 0 && in_ap >= DNS_NB_LIKE_MIN)
			nb_like = 1;
		labels++;
	}
}

static int dns_class_ok(uint16_t cls)
{
	cls &= 0x7fff;	/* RFC 6762 18.12, 18.13 */
	return cls == 1 || cls == 3 || cls == 4 || cls == 254 || cls == 255;
}

/*
 * One message: msg holds what is held of it, len is its length (TCP: from
 * the prefix; UDP: the datagram).
 */
static enum ws_probe dns_message(struct ws_rd *msg, size_t len)
{
	if (len < DNS_HDR_LEN)
		return WS_PROBE_NO;
	ws_rd_skip(msg, 2);	/* ID */
	uint16_t flags = ws_rd_be16(msg);
	uint16_t qd = ws_rd_be16(msg);
	uint16_t an = ws_rd_be16(msg);
	uint16_t ns = ws_rd_be16(msg);
	uint16_t ar = ws_rd_be16(msg);
	if (!ws_rd_ok(msg))
		return WS_PROBE_MAYBE;

	unsigned qr = flags >> 15;
	unsigned opcode = (flags >> 11) & 0x0f;
	if (opcode == 3 || opcode > 5 || (flags & DNS_Z_BIT) || (flags & 0x0f) > DNS_RCODE_MAX)
		return WS_PROBE_NO;
	if (qd > DNS_QD_MAX || (qd == 0 && (!qr || an + ns + ar == 0)))
		return WS_PROBE_NO;
	if (!qr && opcode == 0 && (flags & 0x0f) != 0)
		return WS_PROBE_NO;	/* a query carries no RCODE */
	/* Every entry takes at least its minimum size. */
	if ((size_t)qd * DNS_QUESTION_MIN + ((size_t)an + ns + ar) * DNS_RR_MIN > len - DNS_HDR_LEN)
		return WS_PROBE_NO;

	enum dns_name_res name = dns_first_name(msg);
	if (name == DNS_NAME_BAD)
		return WS_PROBE_NO;
	if (name == DNS_NAME_SHORT)
		return WS_PROBE_MAYBE;
	uint16_t type = ws_rd_be16(msg);
	uint16_t cls = ws_rd_be16(msg);
	if (!ws_rd_ok(msg))
		return WS_PROBE_MAYBE;
	if (type == 0 || !dns_class_ok(cls))
		return WS_PROBE_NO;
	if (name == DNS_NAME_NBNS)
		return WS_PROBE_MAYBE;	/* RFC 1002 4.2: NetBIOS, see above */
	if (qd == 0) {
		/* The first record: TTL, then RDATA inside the message. */
		ws_rd_skip(msg, 4);
		uint16_t rdlen = ws_rd_be16(msg);
		if (!ws_rd_ok(msg))
			return WS_PROBE_MAYBE;
		if (msg->off + rdlen > len)
			return WS_PROBE_NO;
		return WS_PROBE_YES;
	}
	/* A lone query (no answers, authority or EDNS) ends after its question. */
	if (qd == 1 && an == 0 && ns == 0 && ar == 0 && msg->off != len)
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

static enum ws_probe dns_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 == WS_PROTO_UDP) {
		size_t len = ws_rd_left(&c);
		struct ws_rd msg = ws_rd_sub(&c, len);

		return len < DNS_HDR_LEN ? WS_PROBE_NO : dns_message(&msg, len);
	}
	if (l4 != WS_PROTO_TCP)
		return WS_PROBE_NO;
	/* RFC 1035 4.2.2: a two-byte length, then the message. */
	uint16_t len = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return ws_rd_left(r) == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
	if (len < DNS_HDR_LEN)
		return WS_PROBE_NO;
	size_t held = ws_rd_left(&c);
	struct ws_rd msg = ws_rd_sub(&c, held < len ? held : len);
	return dns_message(&msg, len);
}

const struct ws_proto ws_proto_dns = {
	.name = "dns",
	.label = "DNS",
	.spec = "RFC 1035 4",
	.l4 = WS_PROTO_TCP | WS_PROTO_UDP,
	.tcp_ports = { 53 },
	.udp_ports = { 53, 5353, 5355 },
	.probe = dns_probe,
};
