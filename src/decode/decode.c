/*
 * decode.c - the decoder object and the link layers: Ethernet II and 802.3
 * (with 802.1Q / 802.1ad / 0x9100 tags, PPPoE sessions and MPLS label
 * stacks), Linux cooked SLL and SLL2, raw IP, BSD null and OpenBSD loop. The
 * network and transport layers are in ip.c, ipfrag.c and l4.c.
 *
 * Specs: IEEE 802.3 clause 3.2 (MAC frame), IEEE 802.1Q 9.6 (VLAN tag), IEEE
 * 802.2 (LLC) and RFC 1042 (SNAP), RFC 2516 (PPPoE), RFC 3032 (MPLS); the
 * tcpdump.org link-layer header types registry for LINKTYPE_NULL,
 * LINKTYPE_LOOP, LINKTYPE_RAW, LINKTYPE_IPV4/IPV6, LINKTYPE_LINUX_SLL and
 * LINKTYPE_LINUX_SLL2.
 *
 *   Ethernet:  | dst 6 | src 6 | type/len 2 | [TPID 2 | TCI 2]... | type 2 |
 *   802.3:     | dst 6 | src 6 | len <= 1500 | DSAP | SSAP | ctl | [OUI 3 | type 2] |
 *   SLL:       | pkttype 2 | hatype 2 | halen 2 | addr 8 | protocol 2 |
 *   SLL2:      | protocol 2 | rsvd 2 | ifindex 4 | hatype 2 | pkttype 1 | halen 1 | addr 8 |
 *   null/loop: | address family 4 | (host order / network order)
 *   PPPoE:     | ver/type 1 | code 1 | session 2 | length 2 | PPP protocol 2 |
 *   MPLS:      | label 20 | TC 3 | S 1 | TTL 8 |... (until S = 1), then IP
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"
#include "decode/decode_int.h"

static const char *const err_names[] = {
#define WS_DE(id, name, doc) name,
#include "decode/decode_err.def"
#undef WS_DE
};

static const char *const err_docs[] = {
#define WS_DE(id, name, doc) doc,
#include "decode/decode_err.def"
#undef WS_DE
};

const char *ws_decode_err_name(enum ws_decode_err e)
{
	if ((unsigned)e >= WS_DE__COUNT)
		return "unknown";
	return err_names[e];
}

const char *ws_decode_err_doc(enum ws_decode_err e)
{
	if ((unsigned)e >= WS_DE__COUNT)
		return "unknown decode error";
	return err_docs[e];
}

struct ws_decoder *ws_decoder_new(void)
{
	return calloc(1, sizeof(struct ws_decoder));
}

void ws_decoder_free(struct ws_decoder *d)
{
	if (!d)
		return;
	ws_dec_frag_free_all(d);
	free(d->done_buf);
	free(d);
}

const struct ws_decode_stats *ws_decoder_stats(const struct ws_decoder *d)
{
	return &d->st;
}

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_8021Q		0x8100
#define ETHERTYPE_8021AD	0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100
#define ETHERTYPE_PPPOE_SESS	0x8864
#define ETHERTYPE_MPLS_UC	0x8847
#define ETHERTYPE_MPLS_MC	0x8848
/* RFC 1332 / RFC 5072: PPP protocol numbers of IPv4 and IPv6. */
#define PPP_IPV4		0x0021
#define PPP_IPV6		0x0057
/* IEEE 802.3 3.2.6: a value up to 1500 is a length, from 1536 (0x0600) a type. */
#define ETH_MAX_LEN		1500
#define ETHERTYPE_MIN		0x0600

/* Linux if_arp.h: the netlink pseudo-device's protocol field is not an ethertype. */
#define ARPHRD_NETLINK		824

/* RFC 2516 4 (PPPoE session stage): VER/TYPE 8, CODE 8, SESSION_ID 16,
 * LENGTH 16, then a PPP frame (RFC 1661 2): protocol 16. */
static enum ws_decode_err dec_pppoe(struct ws_decoder *d, struct ws_packet *p,
				    struct ws_rd *r, unsigned depth)
{
	uint16_t len, proto;
	struct ws_rd ppp;

	if (ws_rd_left(r) < 8)
		return WS_DE_PPPOE_TRUNCATED;
	ws_rd_skip(r, 4);	/* version/type, code, session id */
	len = ws_rd_be16(r);
	if (len < 2)
		return WS_DE_NONE;	/* an empty PPP frame: not IP */
	ppp = ws_rd_sub(r, ws_rd_left(r) < len ? ws_rd_left(r) : len);
	proto = ws_rd_be16(&ppp);
	if (proto == PPP_IPV4)
		return ws_dec_ipv4(d, p, &ppp, depth);
	if (proto == PPP_IPV6)
		return ws_dec_ipv6(d, p, &ppp, depth);
	return WS_DE_NONE;	/* LCP, IPCP, ...: not IP */
}

/* RFC 3032 2.1: label 20, TC 3, S 1, TTL 8 per entry; after the entry with S
 * set, the payload has no type field: an IP version nibble of 4 or 6 is IP
 * (RFC 4385 reserves first nibbles 0 and 1 for pseudowire control words). */
static enum ws_decode_err dec_mpls(struct ws_decoder *d, struct ws_packet *p,
				   struct ws_rd *r, unsigned depth)
{
	uint32_t ent;

	do {
		if (ws_rd_left(r) < 4)
			return WS_DE_MPLS_TRUNCATED;
		ent = ws_rd_be32(r);
	} while (!(ent & 0x100));
	switch (ws_rd_peek(r, 0) >> 4) {
	case 4:
		return ws_dec_ipv4(d, p, r, depth);
	case 6:
		return ws_dec_ipv6(d, p, r, depth);
	default:
		return WS_DE_NONE;
	}
}

enum ws_decode_err ws_dec_ethertype(struct ws_decoder *d, struct ws_packet *p,
				    struct ws_rd *r, uint16_t ethertype, unsigned depth)
{
	/* IEEE 802.1Q 9.6: TPID, then TCI (PCP 3, DEI 1, VID 12), then the next type.
	 * Each tag takes 4 bytes, so the loop ends with the packet. */
	while (ethertype == ETHERTYPE_8021Q || ethertype == ETHERTYPE_8021AD ||
	       ethertype == ETHERTYPE_QINQ_OLD) {
		uint16_t tci;

		if (ws_rd_left(r) < 4)
			return WS_DE_VLAN_TRUNCATED;
		tci = ws_rd_be16(r);
		ethertype = ws_rd_be16(r);
		if (p->vlan_cnt < 2)
			p->vlan[p->vlan_cnt++] = tci & 0x0fff;
	}
	if (ethertype < ETHERTYPE_MIN) {
		/* A length inside a tag: 802.2 LLC, not IP. */
		p->ethertype = 0;
		return WS_DE_NONE;
	}
	p->ethertype = ethertype;
	switch (ethertype) {
	case ETHERTYPE_IPV4:
		return ws_dec_ipv4(d, p, r, depth);
	case ETHERTYPE_IPV6:
		return ws_dec_ipv6(d, p, r, depth);
	case ETHERTYPE_PPPOE_SESS:
		return dec_pppoe(d, p, r, depth);
	case ETHERTYPE_MPLS_UC:
	case ETHERTYPE_MPLS_MC:
		return dec_mpls(d, p, r, depth);
	default:
		return WS_DE_NONE;	/* ARP, LLDP, ...: not IP, not an error */
	}
}

/* IEEE 802.2 LLC after an 802.3 length; RFC 1042 SNAP with OUI 0 carries an ethertype. */
static enum ws_decode_err dec_llc(struct ws_decoder *d, struct ws_packet *p,
				  struct ws_rd *r, unsigned depth)
{
	uint8_t dsap, ssap, ctl;
	uint32_t oui;
	uint16_t type;

	if (ws_rd_left(r) < 8)
		return WS_DE_NONE;
	dsap = ws_rd_u8(r);
	ssap = ws_rd_u8(r);
	ctl = ws_rd_u8(r);
	if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
		return WS_DE_NONE;
	oui = ws_rd_be24(r);
	type = ws_rd_be16(r);
	if (oui != 0 || type < ETHERTYPE_MIN)
		return WS_DE_NONE;
	return ws_dec_ethertype(d, p, r, type, depth);
}

enum ws_decode_err ws_dec_eth(struct ws_decoder *d, struct ws_packet *p,
			      struct ws_rd *r, unsigned depth)
{
	uint16_t type;

	if (ws_rd_left(r) < 14)
		return WS_DE_ETH_TRUNCATED;
	ws_rd_copy(r, p->eth_dst, 6);
	ws_rd_copy(r, p->eth_src, 6);
	p->has_eth = 1;
	type = ws_rd_be16(r);
	if (type <= ETH_MAX_LEN) {
		/* 802.3 length frame: fence the LLC PDU to the length (padding after it). */
		size_t n = ws_rd_left(r) < type ? ws_rd_left(r) : type;
		struct ws_rd llc = ws_rd_sub(r, n);

		return dec_llc(d, p, &llc, depth);
	}
	if (type < ETHERTYPE_MIN)
		return WS_DE_NONE;	/* 1501..1535: neither length nor type */
	return ws_dec_ethertype(d, p, r, type, depth);
}

/* Linux cooked capture: the protocol field is an ethertype for the hardware
 * types we meet; values below 0x0600 are Linux's pseudo-protocols (0x0004
 * ETH_P_802_2 LLC, 0x0001 802.3, ...), not IP. */
static enum ws_decode_err sll_proto(struct ws_decoder *d, struct ws_packet *p,
				    struct ws_rd *r, uint16_t hatype, uint16_t proto)
{
	if (hatype == ARPHRD_NETLINK || proto < ETHERTYPE_MIN) {
		p->ethertype = 0;
		return WS_DE_NONE;
	}
	return ws_dec_ethertype(d, p, r, proto, 0);
}

static enum ws_decode_err dec_sll(struct ws_decoder *d, struct ws_packet *p, struct ws_rd *r)
{
	uint16_t hatype, halen, proto;
	uint8_t addr[8];

	if (ws_rd_left(r) < 16)
		return WS_DE_SLL_TRUNCATED;
	ws_rd_skip(r, 2);	/* packet type */
	hatype = ws_rd_be16(r);
	halen = ws_rd_be16(r);
	ws_rd_copy(r, addr, 8);
	proto = ws_rd_be16(r);
	if (halen == 6)
		memcpy(p->eth_src, addr, 6);	/* the sender's MAC; has_eth stays 0 (no dst) */
	return sll_proto(d, p, r, hatype, proto);
}

static enum ws_decode_err dec_sll2(struct ws_decoder *d, struct ws_packet *p, struct ws_rd *r)
{
	uint16_t hatype, proto;
	uint8_t halen;
	uint8_t addr[8];

	if (ws_rd_left(r) < 20)
		return WS_DE_SLL_TRUNCATED;
	proto = ws_rd_be16(r);
	ws_rd_skip(r, 2 + 4);	/* reserved, interface index */
	hatype = ws_rd_be16(r);
	ws_rd_skip(r, 1);	/* packet type */
	halen = ws_rd_u8(r);
	ws_rd_copy(r, addr, 8);
	if (halen == 6)
		memcpy(p->eth_src, addr, 6);
	return sll_proto(d, p, r, hatype, proto);
}

/* Raw IP: the version nibble decides. */
static enum ws_decode_err dec_raw(struct ws_decoder *d, struct ws_packet *p, struct ws_rd *r)
{
	if (ws_rd_left(r) < 1)
		return WS_DE_IPV4_TRUNCATED;
	switch (ws_rd_peek(r, 0) >> 4) {
	case 4:
		p->ethertype = ETHERTYPE_IPV4;
		return ws_dec_ipv4(d, p, r, 0);
	case 6:
		p->ethertype = ETHERTYPE_IPV6;
		return ws_dec_ipv6(d, p, r, 0);
	default:
		return WS_DE_IP_BAD_VERSION;
	}
}

/*
 * BSD null (host byte order of the writer) and OpenBSD loop (network order):
 * AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD) or
 * 30 (Darwin). A value above 0xffff was written in the other byte order.
 */
static enum ws_decode_err dec_null(struct ws_decoder *d, struct ws_packet *p,
				   struct ws_rd *r, int network_order)
{
	uint32_t af;

	if (ws_rd_left(r) < 4)
		return WS_DE_NULL_TRUNCATED;
	af = network_order ? ws_rd_be32(r) : ws_rd_le32(r);
	if (af > 0xffff)
		af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
	switch (af) {
	case 2:
		p->ethertype = ETHERTYPE_IPV4;
		return ws_dec_ipv4(d, p, r, 0);
	case 24:
	case 28:
	case 30:
		p->ethertype = ETHERTYPE_IPV6;
		return ws_dec_ipv6(d, p, r, 0);
	default:
		return WS_DE_NONE;
	}
}

enum ws_decode_err ws_decode(struct ws_decoder *d, struct ws_packet *p)
{
	struct ws_rd r;
	enum ws_decode_err e;

	/* Clear the decoded part only; the capture fields above has_eth stay. */
	memset(&p->has_eth, 0, sizeof(*p) - offsetof(struct ws_packet, has_eth));
	p->tcp.wscale = -1;
	ws_rd_init(&r, p->data, p->data ? p->caplen : 0);
	switch (p->linktype) {
	case WS_LINK_ETHERNET:
		e = ws_dec_eth(d, p, &r, 0);
		break;
	case WS_LINK_LINUX_SLL:
		e = dec_sll(d, p, &r);
		break;
	case WS_LINK_LINUX_SLL2:
		e = dec_sll2(d, p, &r);
		break;
	case WS_LINK_RAW:
	case WS_LINK_RAW_ALT12:
	case WS_LINK_RAW_ALT14:
		e = dec_raw(d, p, &r);
		break;
	case WS_LINK_IPV4:
		p->ethertype = ETHERTYPE_IPV4;
		e = ws_dec_ipv4(d, p, &r, 0);
		break;
	case WS_LINK_IPV6:
		p->ethertype = ETHERTYPE_IPV6;
		e = ws_dec_ipv6(d, p, &r, 0);
		break;
	case WS_LINK_NULL:
		e = dec_null(d, p, &r, 0);
		break;
	case WS_LINK_LOOP:
		e = dec_null(d, p, &r, 1);
		break;
	default:
		e = WS_DE_LINKTYPE_UNSUPPORTED;
		break;
	}
	p->err = e;
	return e;
}
