/*
 * l4.c - the transport layer: TCP (with options), UDP, ICMP, ICMPv6, and the
 * tunnels we open (IP-in-IP, IPv6-in-IP, GRE version 0 carrying IP). Any other
 * IP protocol is kept whole as the payload, with ports 0.
 *
 * Specs: RFC 9293 3.1 (TCP header), 3.2 (options: MSS), RFC 7323 2 and 3
 * (window scale, timestamps), RFC 2018 (SACK); RFC 768 (UDP); RFC 792 (ICMP
 * echo); RFC 4443 4.1-4.2 (ICMPv6 echo); RFC 2003 / RFC 4213 (IP in IP);
 * RFC 2784 and RFC 2890 (GRE, key and sequence).
 *
 *   TCP:  | sport 16 | dport 16 | seq 32 | ack 32 | off 4 | rsvd 4 | flags 8 |
 *         | window 16 | checksum 16 | urgent 16 | options... |
 *   UDP:  | sport 16 | dport 16 | length 16 | checksum 16 |
 *   ICMP: | type 8 | code 8 | checksum 16 | id 16 | seq 16 |   (echo)
 *   GRE:  | C 1 | 0 1 | K 1 | S 1 | rsvd 9 | ver 3 | protocol 16 | [csum 16 rsvd 16] [key 32] [seq 32] |
 *
 * r holds what was captured of the IP payload, wire_len what the IP header
 * claims; payload_len and payload_wire_len keep that distinction.
 */
#include "decode/decode_int.h"

#define IPPROTO_ICMP_	1
#define IPPROTO_IPIP_	4
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_IPV6_	41
#define IPPROTO_GRE_	47
#define IPPROTO_ICMPV6_	58

/* RFC 7323 2.3: a shift count above 14 is used as 14. */
#define TCP_WSCALE_MAX	14

static void set_payload(struct ws_packet *p, struct ws_rd *r, uint32_t wire_len)
{
	p->payload = ws_rd_ptr(r);
	p->payload_len = (uint32_t)ws_rd_left(r);
	p->payload_wire_len = wire_len;
}

/* One TCP option (kind, value); returns 0 when it is malformed (stop parsing). */
static int tcp_option(struct ws_tcp_info *t, uint8_t kind, struct ws_rd *v)
{
	size_t n = ws_rd_left(v);
	uint8_t ws;

	switch (kind) {
	case 2:		/* MSS, RFC 9293 3.2 */
		if (n != 2)
			return 0;
		t->mss = ws_rd_be16(v);
		break;
	case 3:		/* window scale, RFC 7323 2.2 */
		if (n != 1)
			return 0;
		ws = ws_rd_u8(v);
		t->wscale = (int8_t)(ws > TCP_WSCALE_MAX ? TCP_WSCALE_MAX : ws);
		break;
	case 4:		/* SACK permitted, RFC 2018 2 */
		if (n != 0)
			return 0;
		t->sack_perm = 1;
		break;
	case 5:		/* SACK, RFC 2018 3: 8 bytes per block */
		if (n == 0 || n % 8)
			return 0;
		t->sack_cnt = (uint8_t)(t->sack_cnt + n / 8);
		break;
	case 8:		/* timestamps, RFC 7323 3.2 */
		if (n != 8)
			return 0;
		t->has_ts = 1;
		t->tsval = ws_rd_be32(v);
		t->tsecr = ws_rd_be32(v);
		break;
	default:
		break;
	}
	return 1;
}

static void tcp_options(struct ws_tcp_info *t, struct ws_rd *o)
{
	while (ws_rd_left(o) > 0) {
		uint8_t kind = ws_rd_u8(o);
		uint8_t len;
		struct ws_rd v;

		if (kind == 0)		/* end of option list */
			return;
		if (kind == 1)		/* no-operation */
			continue;
		if (ws_rd_left(o) < 1)
			return;
		len = ws_rd_u8(o);
		if (len < 2 || (size_t)(len - 2) > ws_rd_left(o))
			return;
		v = ws_rd_sub(o, (size_t)(len - 2));
		if (!tcp_option(t, kind, &v))
			return;
	}
}

static enum ws_decode_err dec_tcp(struct ws_packet *p, struct ws_rd *r, uint32_t wire_len)
{
	size_t held = ws_rd_left(r);
	struct ws_tcp_info *t = &p->tcp;
	uint16_t offflags;
	uint32_t hlen;
	struct ws_rd opts;

	if (held < 20) {
		if (held >= 4) {
			p->sport = ws_rd_be16(r);
			p->dport = ws_rd_be16(r);
		}
		return WS_DE_TCP_TRUNCATED;
	}
	p->sport = ws_rd_be16(r);
	p->dport = ws_rd_be16(r);
	t->seq = ws_rd_be32(r);
	t->ack = ws_rd_be32(r);
	offflags = ws_rd_be16(r);
	t->win = ws_rd_be16(r);
	ws_rd_skip(r, 2);	/* checksum */
	t->urp = ws_rd_be16(r);
	t->flags = (uint8_t)(offflags & 0xff);
	hlen = (uint32_t)(offflags >> 12) * 4;
	t->hdr_len = (uint8_t)hlen;
	/* RFC 9293 3.1: data offset counts 32-bit words, at least 5. */
	if (hlen < 20 || hlen > wire_len)
		return WS_DE_TCP_BAD_HLEN;
	if (hlen > held)
		return WS_DE_TCP_TRUNCATED;
	opts = ws_rd_sub(r, hlen - 20);
	tcp_options(t, &opts);
	set_payload(p, r, wire_len - hlen);
	p->l4_ok = 1;
	return WS_DE_NONE;
}

static enum ws_decode_err dec_udp(struct ws_packet *p, struct ws_rd *r, uint32_t wire_len)
{
	size_t held = ws_rd_left(r);
	uint16_t ulen;
	struct ws_rd body;

	if (held < 8) {
		if (held >= 4) {
			p->sport = ws_rd_be16(r);
			p->dport = ws_rd_be16(r);
		}
		return WS_DE_UDP_TRUNCATED;
	}
	p->sport = ws_rd_be16(r);
	p->dport = ws_rd_be16(r);
	ulen = ws_rd_be16(r);
	ws_rd_skip(r, 2);	/* checksum */
	p->udp_len = ulen;
	/* RFC 768: length counts the header; it cannot pass the IP datagram. */
	if (ulen < 8 || ulen > wire_len)
		return WS_DE_UDP_BAD_LEN;
	held -= 8;
	body = ws_rd_sub(r, held < (size_t)(ulen - 8) ? held : (size_t)(ulen - 8));
	set_payload(p, &body, (uint32_t)ulen - 8);
	p->l4_ok = 1;
	return WS_DE_NONE;
}

/* ICMP and ICMPv6 share the first 8 bytes' layout for echo. */
static enum ws_decode_err dec_icmp(struct ws_packet *p, struct ws_rd *r, uint32_t wire_len,
				   uint8_t echo_req, uint8_t echo_rep)
{
	if (ws_rd_left(r) < 2)
		return WS_DE_ICMP_TRUNCATED;
	p->icmp_type = ws_rd_u8(r);
	p->icmp_code = ws_rd_u8(r);
	if (ws_rd_left(r) < 6)
		return WS_DE_ICMP_TRUNCATED;
	ws_rd_skip(r, 2);	/* checksum */
	if (p->icmp_type == echo_req || p->icmp_type == echo_rep) {
		p->icmp_id = ws_rd_be16(r);
		p->icmp_seq = ws_rd_be16(r);
	} else {
		ws_rd_skip(r, 4);	/* rest of header: type-specific */
	}
	set_payload(p, r, wire_len - 8);
	p->l4_ok = 1;
	return WS_DE_NONE;
}

static void dec_other(struct ws_packet *p, struct ws_rd *r, uint32_t wire_len)
{
	set_payload(p, r, wire_len);
	p->l4_ok = 1;
}

#define GRE_C		0x8000
#define GRE_K		0x2000
#define GRE_S		0x1000
#define GRE_VER		0x0007

/* RFC 2784/2890: opens version-0 GRE carrying IPv4 or IPv6. Returns 1 with
 * *e set when it did, 0 when the packet is to be kept as opaque GRE. */
static int dec_gre(struct ws_decoder *d, struct ws_packet *p, struct ws_rd *r,
		   unsigned depth, enum ws_decode_err *e)
{
	struct ws_rd g = *r;
	uint16_t flags, proto;
	size_t opt = 0;

	if (ws_rd_left(&g) < 4) {
		*e = WS_DE_GRE_TRUNCATED;
		return 1;
	}
	flags = ws_rd_be16(&g);
	proto = ws_rd_be16(&g);
	if ((flags & GRE_VER) != 0)
		return 0;	/* NEEDSWORK: PPTP's enhanced GRE (version 1, PPP inside) */
	if (proto != 0x0800 && proto != 0x86dd)
		return 0;	/* NEEDSWORK: transparent Ethernet bridging (0x6558), ERSPAN */
	if (flags & GRE_C)
		opt += 4;
	if (flags & GRE_K)
		opt += 4;
	if (flags & GRE_S)
		opt += 4;
	if (ws_rd_left(&g) < opt) {
		*e = WS_DE_GRE_TRUNCATED;
		return 1;
	}
	ws_rd_skip(&g, opt);
	*e = proto == 0x0800 ? ws_dec_ipv4(d, p, &g, depth + 1) : ws_dec_ipv6(d, p, &g, depth + 1);
	return 1;
}

enum ws_decode_err ws_dec_l4(struct ws_decoder *d, struct ws_packet *p, struct ws_rd *r,
			     uint32_t wire_len, uint8_t proto, unsigned depth)
{
	enum ws_decode_err e;

	p->ip_proto = proto;
	switch (proto) {
	case IPPROTO_TCP_:
		return dec_tcp(p, r, wire_len);
	case IPPROTO_UDP_:
		return dec_udp(p, r, wire_len);
	case IPPROTO_ICMP_:
		return dec_icmp(p, r, wire_len, 8, 0);
	case IPPROTO_ICMPV6_:
		return dec_icmp(p, r, wire_len, 128, 129);
	case IPPROTO_IPIP_:
	case IPPROTO_IPV6_:
	case IPPROTO_GRE_:
		/* The inner packet's addresses and ports win; bounded nesting. */
		if (depth >= WS_DECODE_TUNNEL_MAX)
			return WS_DE_TUNNEL_LIMIT;
		if (proto == IPPROTO_IPIP_)
			return ws_dec_ipv4(d, p, r, depth + 1);
		if (proto == IPPROTO_IPV6_)
			return ws_dec_ipv6(d, p, r, depth + 1);
		if (dec_gre(d, p, r, depth, &e))
			return e;
		dec_other(p, r, wire_len);
		return WS_DE_NONE;
	default:
		dec_other(p, r, wire_len);
		return WS_DE_NONE;
	}
}
