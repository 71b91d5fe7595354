/*
 * ip.c - the network layer: IPv4 (options skipped, fragments handed to
 * ipfrag.c) and IPv6 (fixed header, then the extension header chain, with the
 * fragment header handed to ipfrag.c).
 *
 * Specs: RFC 791 3.1 (IPv4 header), RFC 815 / RFC 791 3.2 (reassembly);
 * RFC 8200 3 (IPv6 header), 4 (extension headers), 4.5 (fragment header);
 * RFC 4302 2.2 (AH length), RFC 2675 (jumbograms: payload length 0);
 * RFC 6946 (atomic fragments are processed as whole packets).
 *
 *   IPv4:  | ver 4 | ihl 4 | tos 8 | total length 16 |
 *          | identification 16 | flags 3 | fragment offset 13 |
 *          | ttl 8 | protocol 8 | checksum 16 | src 32 | dst 32 | options... |
 *   IPv6:  | ver 4 | tc 8 | flow 20 | payload length 16 | next 8 | hop limit 8 |
 *          | src 128 | dst 128 |
 *   ext:   | next 8 | len 8 (8-octet units, not counting the first) | ... |
 *   AH:    | next 8 | len 8 (4-octet units, minus 2) | ... |
 *   frag:  | next 8 | rsvd 8 | offset 13 | rsvd 2 | M 1 | identification 32 |
 *
 * Length rule for both: the header's claimed length is the datagram; bytes
 * captured past it are link padding (trimmed), bytes claimed but not captured
 * are a snaplen cut (the layers above see what is held and what was claimed).
 */
#include <string.h>

#include "decode/decode_int.h"

#define IPV4_MF		0x2000
#define IPV4_OFFMASK	0x1fff

enum ws_decode_err ws_dec_ipv4(struct ws_decoder *d, struct ws_packet *p,
			       struct ws_rd *r, unsigned depth)
{
	size_t held = ws_rd_left(r);
	uint8_t vhl, proto, ttl;
	uint16_t total, id, fo;
	uint32_t hlen, plen_wire, plen_held, off;
	uint8_t src[4], dst[4];
	struct ws_rd pl;

	if (held < 1)
		return WS_DE_IPV4_TRUNCATED;
	vhl = (uint8_t)ws_rd_peek(r, 0);
	if (vhl >> 4 != 4)
		return WS_DE_IPV4_BAD_VERSION;
	hlen = (uint32_t)(vhl & 0x0f) * 4;
	if (hlen < 20)
		return WS_DE_IPV4_BAD_HLEN;
	if (held < 20)
		return WS_DE_IPV4_TRUNCATED;
	ws_rd_skip(r, 2);	/* version/IHL, TOS */
	total = ws_rd_be16(r);
	id = ws_rd_be16(r);
	fo = ws_rd_be16(r);
	ttl = ws_rd_u8(r);
	proto = ws_rd_u8(r);
	ws_rd_skip(r, 2);	/* checksum */
	ws_rd_copy(r, src, 4);
	ws_rd_copy(r, dst, 4);

	p->ip_ver = 4;
	ws_addr_set4(&p->src, src);
	ws_addr_set4(&p->dst, dst);
	p->ttl = ttl;
	p->ip_id = id;
	p->ip_proto = proto;
	/* Total length 0: a segmentation-offloaded packet captured before the NIC
	 * split it (Linux TSO); take what was captured, as tshark does. */
	if (total == 0)
		total = held > 0xffff ? 0xffff : (uint16_t)held;
	p->ip_len = total;
	if (total < hlen)
		return WS_DE_IPV4_BAD_LEN;
	if (hlen > held)
		return WS_DE_IPV4_TRUNCATED;
	ws_rd_skip(r, hlen - 20);	/* RFC 791 3.1 options: not interpreted */

	plen_wire = total - hlen;
	plen_held = (uint32_t)(held < total ? held : total) - hlen;
	pl = ws_rd_sub(r, plen_held);

	off = (uint32_t)(fo & IPV4_OFFMASK) * 8;
	if ((fo & IPV4_MF) || off) {
		struct ws_frag_in in;
		struct ws_frag_out out;
		enum ws_decode_err e;

		if (plen_held < plen_wire)
			return WS_DE_IPV4_TRUNCATED;	/* a cut fragment cannot be reassembled */
		/* RFC 791 3.2: every fragment but the last carries a multiple of 8 octets. */
		if ((fo & IPV4_MF) && (plen_wire == 0 || plen_wire % 8))
			return WS_DE_FRAG_BAD;
		memset(&in.key, 0, sizeof(in.key));
		in.key.v = 4;
		in.key.proto = proto;
		in.key.id = id;
		memcpy(in.key.src, src, 4);
		memcpy(in.key.dst, dst, 4);
		in.off = off;
		in.more = (fo & IPV4_MF) != 0;
		in.next_proto = proto;
		in.hdr_len = hlen;
		in.ts_ns = p->ts_ns;
		in.data = pl;
		e = ws_dec_frag_add(d, &in, &out);
		if (e != WS_DE_NONE)
			return e;
		if (!out.done) {
			p->frag = WS_FRAG_HELD;
			return WS_DE_NONE;
		}
		p->frag = WS_FRAG_DONE;
		p->frag_cnt = out.cnt;
		p->ip_len = out.hdr_len + out.len;
		ws_rd_init(&pl, out.buf, out.len);
		return ws_dec_l4(d, p, &pl, out.len, out.next_proto, depth);
	}
	return ws_dec_l4(d, p, &pl, plen_wire, proto, depth);
}

/* RFC 8200 4.5: the fragment header. r is just past it; wire the bytes
 * claimed after it. Returns NONE with *r, *wire, *nh and *hdr_bytes moved to
 * the reassembled datagram when this fragment completed one; NONE with
 * p->frag = HELD when it is held. */
static enum ws_decode_err ipv6_frag(struct ws_decoder *d, struct ws_packet *p,
				    struct ws_rd *r, uint32_t *wire, uint8_t *nh,
				    uint32_t *hdr_bytes, int *reassembled)
{
	uint8_t next;
	uint16_t fo;
	uint32_t id, off;
	int more;
	struct ws_frag_in in;
	struct ws_frag_out out;
	enum ws_decode_err e;

	if (ws_rd_left(r) < 8 || *wire < 8)
		return WS_DE_IPV6_EXT_TRUNCATED;
	next = ws_rd_u8(r);
	ws_rd_skip(r, 1);
	fo = ws_rd_be16(r);
	id = ws_rd_be32(r);
	*wire -= 8;
	off = fo & 0xfff8u;
	more = fo & 1;
	p->ip_id = (uint16_t)id;
	p->ip_proto = next;
	if (off == 0 && !more) {
		/* RFC 6946: an atomic fragment is the whole datagram. */
		*nh = next;
		*hdr_bytes += 8;
		return WS_DE_NONE;
	}
	if (*reassembled)
		return WS_DE_FRAG_BAD;	/* a fragment header inside a reassembled datagram */
	if (ws_rd_left(r) < *wire)
		return WS_DE_IPV6_TRUNCATED;
	if (more && (*wire == 0 || *wire % 8))
		return WS_DE_FRAG_BAD;	/* RFC 8200 4.5: non-last fragments are multiples of 8 */
	memset(&in.key, 0, sizeof(in.key));
	in.key.v = 6;
	in.key.id = id;
	memcpy(in.key.src, p->src.b, 16);
	memcpy(in.key.dst, p->dst.b, 16);
	in.off = off;
	in.more = (uint8_t)more;
	in.next_proto = next;
	in.hdr_len = *hdr_bytes;	/* the unfragmentable part */
	in.ts_ns = p->ts_ns;
	in.data = *r;
	e = ws_dec_frag_add(d, &in, &out);
	if (e != WS_DE_NONE)
		return e;
	if (!out.done) {
		p->frag = WS_FRAG_HELD;
		return WS_DE_NONE;
	}
	p->frag = WS_FRAG_DONE;
	p->frag_cnt = out.cnt;
	p->ip_len = out.hdr_len + out.len;
	ws_rd_init(r, out.buf, out.len);
	*wire = out.len;
	*nh = out.next_proto;
	*hdr_bytes = out.hdr_len;
	*reassembled = 1;
	return WS_DE_NONE;
}

/* RFC 8200 4: walk the extension headers up to the upper-layer header. */
static enum ws_decode_err ipv6_chain(struct ws_decoder *d, struct ws_packet *p,
				     struct ws_rd *r, uint32_t wire, uint8_t nh, unsigned depth)
{
	uint32_t hdr_bytes = 40;
	int reassembled = 0;

	for (unsigned n = 0;; n++) {
		uint32_t len;
		enum ws_decode_err e;

		p->ip_proto = nh;
		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility (RFC 6275) */
		case 139:	/* HIP (RFC 7401) */
		case 140:	/* shim6 (RFC 5533) */
		case 51:	/* AH (RFC 4302 2.2) */
			if (n >= WS_IPV6_EXT_MAX)
				return WS_DE_IPV6_EXT_LIMIT;
			if (ws_rd_left(r) < 2)
				return WS_DE_IPV6_EXT_TRUNCATED;
			if (nh == 51)
				len = ((uint32_t)ws_rd_peek(r, 1) + 2) * 4;
			else
				len = ((uint32_t)ws_rd_peek(r, 1) + 1) * 8;
			if (len > wire || len > ws_rd_left(r))
				return WS_DE_IPV6_EXT_TRUNCATED;
			nh = (uint8_t)ws_rd_peek(r, 0);
			ws_rd_skip(r, len);
			wire -= len;
			hdr_bytes += len;
			break;
		case 44:	/* fragment */
			if (n >= WS_IPV6_EXT_MAX)
				return WS_DE_IPV6_EXT_LIMIT;
			e = ipv6_frag(d, p, r, &wire, &nh, &hdr_bytes, &reassembled);
			if (e != WS_DE_NONE || p->frag == WS_FRAG_HELD)
				return e;
			break;
		default:	/* upper layer, ESP (50) or no next header (59) */
			return ws_dec_l4(d, p, r, wire, nh, depth);
		}
	}
}

enum ws_decode_err ws_dec_ipv6(struct ws_decoder *d, struct ws_packet *p,
			       struct ws_rd *r, unsigned depth)
{
	size_t held = ws_rd_left(r);
	uint32_t plen;
	uint8_t nh, hlim;
	uint8_t src[16], dst[16];
	struct ws_rd pl;

	if (held < 1)
		return WS_DE_IPV6_TRUNCATED;
	if (ws_rd_peek(r, 0) >> 4 != 6)
		return WS_DE_IPV6_BAD_VERSION;
	if (held < 40)
		return WS_DE_IPV6_TRUNCATED;
	ws_rd_skip(r, 4);	/* version, traffic class, flow label */
	plen = ws_rd_be16(r);
	nh = ws_rd_u8(r);
	hlim = ws_rd_u8(r);
	ws_rd_copy(r, src, 16);
	ws_rd_copy(r, dst, 16);
	held -= 40;

	p->ip_ver = 6;
	ws_addr_set6(&p->src, src);
	ws_addr_set6(&p->dst, dst);
	p->ttl = hlim;
	p->ip_proto = nh;
	/* RFC 2675: payload length 0 with a jumbo option; also what offloaded
	 * (TSO) captures show. Take what was captured. */
	if (plen == 0 && nh != 59)
		plen = held > UINT32_MAX - 40 ? UINT32_MAX - 40 : (uint32_t)held;
	p->ip_len = 40 + plen;
	pl = ws_rd_sub(r, held < plen ? held : plen);
	return ipv6_chain(d, p, &pl, plen, nh, depth);
}
