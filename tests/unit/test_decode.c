/*
 * test_decode.c - layers 2 to 4 on crafted bytes: every link type, VLAN and
 * QinQ, 802.3/LLC, IPv4 options and lengths, IPv4 and IPv6 fragment
 * reassembly (in order, out of order, overlapping, duplicate, missing +
 * expire, caps), IPv6 extension chains (and a hostile one), TCP options, UDP
 * and ICMP/ICMPv6, tunnels, and the snaplen loop: each valid frame cut at
 * every length, each cut in a buffer of exactly that size (so a sanitizer
 * sees any over-read), with the error the cut must give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/source.h"
#include "core/limits.h"
#include "decode/decode.h"

#define NS 1000000000LL

/* ---- a tiny packet builder ---- */

struct pb {
	uint8_t b[4096];
	size_t n;
};

static void pu8(struct pb *p, uint8_t v)
{
	assert_true(p->n < sizeof(p->b));
	p->b[p->n++] = v;
}

static void pbe16(struct pb *p, uint16_t v)
{
	pu8(p, (uint8_t)(v >> 8));
	pu8(p, (uint8_t)v);
}

static void pbe32(struct pb *p, uint32_t v)
{
	pbe16(p, (uint16_t)(v >> 16));
	pbe16(p, (uint16_t)v);
}

static void pbytes(struct pb *p, const void *src, size_t n)
{
	assert_true(p->n + n <= sizeof(p->b));
	memcpy(p->b + p->n, src, n);
	p->n += n;
}

static void pfill(struct pb *p, uint8_t v, size_t n)
{
	while (n--)
		pu8(p, v);
}

static void set16(struct pb *p, size_t at, uint16_t v)
{
	p->b[at] = (uint8_t)(v >> 8);
	p->b[at + 1] = (uint8_t)v;
}

static const uint8_t MAC_DST[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t MAC_SRC[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
static const uint8_t V4_SRC[4] = { 10, 0, 0, 1 };
static const uint8_t V4_DST[4] = { 192, 168, 1, 2 };
static const uint8_t V6_SRC[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t V6_DST[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2 };

static void eth(struct pb *p, uint16_t type)
{
	pbytes(p, MAC_DST, 6);
	pbytes(p, MAC_SRC, 6);
	pbe16(p, type);
}

/* IPv4 header with optlen bytes of options (a multiple of 4); returns where it starts. */
static size_t ipv4(struct pb *p, uint8_t proto, uint16_t id, uint16_t fo, size_t optlen)
{
	size_t at = p->n;

	pu8(p, (uint8_t)(0x40 | (5 + optlen / 4)));
	pu8(p, 0);
	pbe16(p, 0);		/* total length: ipv4_fin */
	pbe16(p, id);
	pbe16(p, fo);
	pu8(p, 64);
	pu8(p, proto);
	pbe16(p, 0);
	pbytes(p, V4_SRC, 4);
	pbytes(p, V4_DST, 4);
	if (optlen) {
		/* RFC 2113 router alert, then NOPs, then EOL */
		pu8(p, 0x94);
		pu8(p, 4);
		pbe16(p, 0);
		pfill(p, 1, optlen - 5);
		pu8(p, 0);
	}
	return at;
}

static void ipv4_fin(struct pb *p, size_t at)
{
	set16(p, at + 2, (uint16_t)(p->n - at));
}

static size_t ipv6(struct pb *p, uint8_t nh)
{
	size_t at = p->n;

	pbe32(p, 0x60000000);
	pbe16(p, 0);		/* payload length: ipv6_fin */
	pu8(p, nh);
	pu8(p, 63);
	pbytes(p, V6_SRC, 16);
	pbytes(p, V6_DST, 16);
	return at;
}

static void ipv6_fin(struct pb *p, size_t at)
{
	set16(p, at + 4, (uint16_t)(p->n - at - 40));
}

/* An 8-byte options extension header (hop-by-hop or destination): PadN. */
static void ext8(struct pb *p, uint8_t nh)
{
	pu8(p, nh);
	pu8(p, 0);
	pu8(p, 1);	/* PadN */
	pu8(p, 4);
	pbe32(p, 0);
}

static size_t udp(struct pb *p, uint16_t sport, uint16_t dport)
{
	size_t at = p->n;

	pbe16(p, sport);
	pbe16(p, dport);
	pbe16(p, 0);
	pbe16(p, 0);
	return at;
}

static void udp_fin(struct pb *p, size_t at)
{
	set16(p, at + 4, (uint16_t)(p->n - at));
}

/* TCP with every option we read: 40 bytes of options, doff 15. */
static void tcp_full(struct pb *p)
{
	pbe16(p, 40000);
	pbe16(p, 80);
	pbe32(p, 0x11223344);
	pbe32(p, 0x55667788);
	pbe16(p, (uint16_t)(15 << 12 | WS_TH_SYN | WS_TH_ACK | WS_TH_ECE));
	pbe16(p, 29200);
	pbe16(p, 0);
	pbe16(p, 7);
	pu8(p, 2); pu8(p, 4); pbe16(p, 1460);			/* MSS: 4 */
	pu8(p, 1);						/* NOP: 5 */
	pu8(p, 3); pu8(p, 3); pu8(p, 7);			/* WS: 8 */
	pu8(p, 4); pu8(p, 2);					/* SACK perm: 10 */
	pu8(p, 8); pu8(p, 10); pbe32(p, 1000); pbe32(p, 2000);	/* TS: 20 */
	pu8(p, 5); pu8(p, 18);					/* SACK, 2 blocks: 38 */
	pbe32(p, 1); pbe32(p, 2); pbe32(p, 3); pbe32(p, 4);
	pu8(p, 1); pu8(p, 0);					/* NOP, EOL: 40 */
}

static enum ws_decode_err dec(struct ws_decoder *d, struct ws_packet *p, int lt,
			      const uint8_t *b, size_t n, int64_t ts)
{
	memset(p, 0, sizeof(*p));
	p->linktype = lt;
	p->data = b;
	p->caplen = (uint32_t)n;
	p->wirelen = (uint32_t)n;
	p->ts_ns = ts;
	return ws_decode(d, p);
}

/* The frame Eth / IPv4 (8 bytes of options) / TCP (all options) / "hello". */
static void frame_tcp4(struct pb *p)
{
	size_t ip;

	memset(p, 0, sizeof(*p));
	eth(p, 0x0800);
	ip = ipv4(p, 6, 0x1234, 0x4000, 8);
	tcp_full(p);
	pbytes(p, "hello", 5);
	ipv4_fin(p, ip);
}

/* ---- link layers ---- */

static void test_eth_tcp_all_options(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	char a[WS_ADDR_STRLEN];

	(void)state;
	frame_tcp4(&f);
	pfill(&f, 0xee, 6);	/* Ethernet padding past the IP total length */
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_true(pk.has_eth);
	assert_memory_equal(pk.eth_src, MAC_SRC, 6);
	assert_memory_equal(pk.eth_dst, MAC_DST, 6);
	assert_int_equal(pk.ethertype, 0x0800);
	assert_int_equal(pk.ip_ver, 4);
	assert_string_equal(ws_addr_fmt(&pk.src, a), "10.0.0.1");
	assert_string_equal(ws_addr_fmt(&pk.dst, a), "192.168.1.2");
	assert_int_equal(pk.ttl, 64);
	assert_int_equal(pk.ip_id, 0x1234);
	assert_int_equal(pk.ip_proto, 6);
	assert_int_equal(pk.ip_len, 28 + 60 + 5);
	assert_int_equal(pk.frag, WS_FRAG_NONE);
	assert_int_equal(pk.sport, 40000);
	assert_int_equal(pk.dport, 80);
	assert_true(pk.tcp.seq == 0x11223344u);
	assert_true(pk.tcp.ack == 0x55667788u);
	assert_int_equal(pk.tcp.flags, WS_TH_SYN | WS_TH_ACK | WS_TH_ECE);
	assert_int_equal(pk.tcp.win, 29200);
	assert_int_equal(pk.tcp.urp, 7);
	assert_int_equal(pk.tcp.hdr_len, 60);
	assert_int_equal(pk.tcp.mss, 1460);
	assert_int_equal(pk.tcp.wscale, 7);
	assert_int_equal(pk.tcp.sack_perm, 1);
	assert_int_equal(pk.tcp.has_ts, 1);
	assert_int_equal(pk.tcp.tsval, 1000);
	assert_int_equal(pk.tcp.tsecr, 2000);
	assert_int_equal(pk.tcp.sack_cnt, 2);
	assert_int_equal(pk.l4_ok, 1);
	assert_int_equal(pk.payload_len, 5);	/* padding trimmed */
	assert_int_equal(pk.payload_wire_len, 5);
	assert_memory_equal(pk.payload, "hello", 5);
	/* the capture fields survive */
	assert_int_equal(pk.caplen, f.n);
	assert_int_equal(pk.linktype, WS_LINK_ETHERNET);
	ws_decoder_free(d);
}

static void test_tcp_malformed_options(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip;

	(void)state;
	eth(&f, 0x0800);
	ip = ipv4(&f, 6, 1, 0, 0);
	pbe16(&f, 1);
	pbe16(&f, 2);
	pbe32(&f, 0);
	pbe32(&f, 0);
	pbe16(&f, 8 << 12 | WS_TH_SYN);
	pbe16(&f, 0);
	pbe32(&f, 0);
	pu8(&f, 2); pu8(&f, 4); pbe16(&f, 536);	/* MSS ok */
	pu8(&f, 3); pu8(&f, 4); pu8(&f, 9); pu8(&f, 0);	/* WS with length 4: malformed, stop */
	pu8(&f, 8); pu8(&f, 10); pbe32(&f, 5);	/* never reached */
	pbe16(&f, 0);
	ipv4_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.tcp.mss, 536);
	assert_int_equal(pk.tcp.wscale, -1);
	assert_int_equal(pk.tcp.has_ts, 0);
	assert_int_equal(pk.l4_ok, 1);

	/* option length running past the header */
	f.b[14 + 20 + 20 + 4 + 1] = 200;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.tcp.mss, 536);
	/* window scale 20 is used as 14 (RFC 7323 2.3) */
	f.b[14 + 20 + 20 + 4 + 1] = 3;
	f.b[14 + 20 + 20 + 4 + 2] = 20;
	f.b[14 + 20 + 20 + 4 + 3] = 0;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.tcp.wscale, 14);
	ws_decoder_free(d);
}

static void test_tcp_bad_hlen(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;

	(void)state;
	frame_tcp4(&f);
	f.b[14 + 28 + 12] = 4 << 4;	/* data offset 4 */
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_TCP_BAD_HLEN);
	assert_int_equal(pk.sport, 40000);
	assert_int_equal(pk.l4_ok, 0);
	/* offset 15 but the IP length leaves only 40 bytes of segment */
	frame_tcp4(&f);
	set16(&f, 14 + 2, 28 + 40);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_TCP_BAD_HLEN);
	ws_decoder_free(d);
}

static void test_vlan_qinq(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip, u;

	(void)state;
	eth(&f, 0x88a8);
	pbe16(&f, 0x2064);	/* PCP 1, VID 100 */
	pbe16(&f, 0x8100);
	pbe16(&f, 0x0fff);	/* VID 4095 */
	pbe16(&f, 0x9100);
	pbe16(&f, 0x0007);	/* third tag: skipped */
	pbe16(&f, 0x0800);
	ip = ipv4(&f, 17, 9, 0, 0);
	u = udp(&f, 53, 5353);
	pbytes(&f, "abcd", 4);
	udp_fin(&f, u);
	ipv4_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.vlan_cnt, 2);
	assert_int_equal(pk.vlan[0], 100);
	assert_int_equal(pk.vlan[1], 4095);
	assert_int_equal(pk.ethertype, 0x0800);
	assert_int_equal(pk.sport, 53);
	assert_int_equal(pk.dport, 5353);
	assert_int_equal(pk.udp_len, 12);
	assert_int_equal(pk.payload_len, 4);
	assert_memory_equal(pk.payload, "abcd", 4);

	/* single 802.1Q tag */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x8100);
	pbe16(&f, 0x000a);
	pbe16(&f, 0x86dd);
	ip = ipv6(&f, 59);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.vlan_cnt, 1);
	assert_int_equal(pk.vlan[0], 10);
	assert_int_equal(pk.ip_ver, 6);
	assert_int_equal(pk.ip_proto, 59);

	/* tag cut short */
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 16, 0), WS_DE_VLAN_TRUNCATED);
	ws_decoder_free(d);
}

static void test_eth_non_ip(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip;

	(void)state;
	/* ARP */
	eth(&f, 0x0806);
	pfill(&f, 0, 28);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 0);
	assert_int_equal(pk.ethertype, 0x0806);
	assert_int_equal(pk.has_eth, 1);
	assert_int_equal(pk.l4_ok, 0);

	/* 802.3 length frame with STP's LLC (42 42 03) */
	memset(&f, 0, sizeof(f));
	eth(&f, 38);
	pu8(&f, 0x42);
	pu8(&f, 0x42);
	pu8(&f, 0x03);
	pfill(&f, 0, 35);
	pfill(&f, 0, 8);	/* padding */
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 0);
	assert_int_equal(pk.ethertype, 0);

	/* 802.3 + SNAP (OUI 0) carrying IPv4 */
	memset(&f, 0, sizeof(f));
	eth(&f, 0);
	pu8(&f, 0xaa);
	pu8(&f, 0xaa);
	pu8(&f, 0x03);
	pu8(&f, 0);
	pbe16(&f, 0);
	pbe16(&f, 0x0800);
	ip = ipv4(&f, 1, 0, 0, 0);
	pu8(&f, 8);
	pu8(&f, 0);
	pbe16(&f, 0);
	pbe16(&f, 77);
	pbe16(&f, 3);
	ipv4_fin(&f, ip);
	set16(&f, 12, (uint16_t)(f.n - 14));
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	assert_int_equal(pk.icmp_id, 77);

	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 13, 0), WS_DE_ETH_TRUNCATED);
	assert_int_equal(dec(d, &pk, 9999, f.b, f.n, 0), WS_DE_LINKTYPE_UNSUPPORTED);
	ws_decoder_free(d);
}

static void v4udp(struct pb *f);
static void v6udp(struct pb *f);

static void test_pppoe_mpls(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t len_at;

	(void)state;
	/* VLAN, then PPPoE session with PPP IPv6 */
	eth(&f, 0x8100);
	pbe16(&f, 5);
	pbe16(&f, 0x8864);
	pu8(&f, 0x11);
	pu8(&f, 0);
	pbe16(&f, 0x1234);
	len_at = f.n;
	pbe16(&f, 0);
	pbe16(&f, 0x0057);
	v6udp(&f);
	set16(&f, len_at, (uint16_t)(f.n - len_at - 2));
	pfill(&f, 0, 4);	/* padding past the PPPoE length */
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.vlan_cnt, 1);
	assert_int_equal(pk.ip_ver, 6);
	assert_int_equal(pk.sport, 546);
	assert_int_equal(pk.payload_len, 6);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 14 + 4 + 7, 0), WS_DE_PPPOE_TRUNCATED);
	/* LCP: not IP */
	set16(&f, len_at + 2, 0xc021);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 0);

	/* two MPLS labels, then IPv4 */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x8847);
	pbe32(&f, 100 << 12 | 64);
	pbe32(&f, 200 << 12 | 0x100 | 64);
	v4udp(&f);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	assert_int_equal(pk.dport, 138);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 14 + 6, 0), WS_DE_MPLS_TRUNCATED);
	/* a label stack that never ends */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x8847);
	for (int i = 0; i < 100; i++)
		pbe32(&f, 1 << 12);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_MPLS_TRUNCATED);
	ws_decoder_free(d);
}

/* An IPv4/UDP datagram after some link header. */
static void v4udp(struct pb *f)
{
	size_t ip = ipv4(f, 17, 5, 0, 0);
	size_t u = udp(f, 137, 138);

	pbytes(f, "xyz", 3);
	udp_fin(f, u);
	ipv4_fin(f, ip);
}

static void v6udp(struct pb *f)
{
	size_t ip = ipv6(f, 17);
	size_t u = udp(f, 546, 547);

	pbytes(f, "v6data", 6);
	udp_fin(f, u);
	ipv6_fin(f, ip);
}

static void test_sll(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };

	(void)state;
	pbe16(&f, 0);		/* packet type: to us */
	pbe16(&f, 1);		/* ARPHRD_ETHER */
	pbe16(&f, 6);
	pbytes(&f, MAC_SRC, 6);
	pbe16(&f, 0);
	pbe16(&f, 0x0800);
	v4udp(&f);
	assert_int_equal(dec(d, &pk, WS_LINK_LINUX_SLL, f.b, f.n, 0), WS_DE_NONE);
	assert_memory_equal(pk.eth_src, MAC_SRC, 6);
	assert_int_equal(pk.ip_ver, 4);
	assert_int_equal(pk.sport, 137);
	assert_int_equal(pk.dport, 138);
	assert_int_equal(pk.payload_len, 3);

	/* 0x0004: 802.2 frames, not IP */
	set16(&f, 14, 0x0004);
	assert_int_equal(dec(d, &pk, WS_LINK_LINUX_SLL, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 0);
	assert_int_equal(dec(d, &pk, WS_LINK_LINUX_SLL, f.b, 15, 0), WS_DE_SLL_TRUNCATED);

	/* SLL2 with IPv6 */
	memset(&f, 0, sizeof(f));
	pbe16(&f, 0x86dd);
	pbe16(&f, 0);
	pbe32(&f, 3);
	pbe16(&f, 1);
	pu8(&f, 4);		/* outgoing */
	pu8(&f, 6);
	pbytes(&f, MAC_SRC, 6);
	pbe16(&f, 0);
	v6udp(&f);
	assert_int_equal(dec(d, &pk, WS_LINK_LINUX_SLL2, f.b, f.n, 0), WS_DE_NONE);
	assert_memory_equal(pk.eth_src, MAC_SRC, 6);
	assert_int_equal(pk.ip_ver, 6);
	assert_int_equal(pk.ethertype, 0x86dd);
	assert_int_equal(pk.sport, 546);
	assert_int_equal(pk.payload_len, 6);
	assert_int_equal(pk.ip_len, 40 + 14);
	assert_int_equal(dec(d, &pk, WS_LINK_LINUX_SLL2, f.b, 19, 0), WS_DE_SLL_TRUNCATED);
	ws_decoder_free(d);
}

static void test_raw(void **state)
{
	static const int raws[] = { WS_LINK_RAW, WS_LINK_RAW_ALT12, WS_LINK_RAW_ALT14 };
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f4 = { .n = 0 }, f6 = { .n = 0 };

	(void)state;
	v4udp(&f4);
	v6udp(&f6);
	for (size_t i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
		assert_int_equal(dec(d, &pk, raws[i], f4.b, f4.n, 0), WS_DE_NONE);
		assert_int_equal(pk.ip_ver, 4);
		assert_int_equal(pk.sport, 137);
		assert_int_equal(dec(d, &pk, raws[i], f6.b, f6.n, 0), WS_DE_NONE);
		assert_int_equal(pk.ip_ver, 6);
		assert_int_equal(pk.dport, 547);
		assert_int_equal(pk.has_eth, 0);
	}
	assert_int_equal(dec(d, &pk, WS_LINK_IPV4, f4.b, f4.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	assert_int_equal(dec(d, &pk, WS_LINK_IPV6, f6.b, f6.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 6);
	assert_int_equal(dec(d, &pk, WS_LINK_IPV4, f6.b, f6.n, 0), WS_DE_IPV4_BAD_VERSION);
	assert_int_equal(dec(d, &pk, WS_LINK_IPV6, f4.b, f4.n, 0), WS_DE_IPV6_BAD_VERSION);
	f4.b[0] = 0x55;
	assert_int_equal(dec(d, &pk, WS_LINK_RAW, f4.b, f4.n, 0), WS_DE_IP_BAD_VERSION);
	assert_int_equal(dec(d, &pk, WS_LINK_RAW, f4.b, 0, 0), WS_DE_IPV4_TRUNCATED);
	ws_decoder_free(d);
}

static void test_null_loop(void **state)
{
	static const uint32_t v6af[] = { 24, 28, 30 };
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };

	(void)state;
	/* little-endian writer: 02 00 00 00 */
	pu8(&f, 2);
	pfill(&f, 0, 3);
	v4udp(&f);
	assert_int_equal(dec(d, &pk, WS_LINK_NULL, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	assert_int_equal(pk.sport, 137);
	/* big-endian writer: 00 00 00 02 */
	f.b[0] = 0;
	f.b[3] = 2;
	assert_int_equal(dec(d, &pk, WS_LINK_NULL, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	/* loop: network order */
	assert_int_equal(dec(d, &pk, WS_LINK_LOOP, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	/* unknown family: not IP */
	f.b[3] = 7;
	assert_int_equal(dec(d, &pk, WS_LINK_NULL, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 0);
	assert_int_equal(dec(d, &pk, WS_LINK_NULL, f.b, 3, 0), WS_DE_NULL_TRUNCATED);

	for (size_t i = 0; i < 3; i++) {
		memset(&f, 0, sizeof(f));
		pu8(&f, (uint8_t)v6af[i]);
		pfill(&f, 0, 3);
		v6udp(&f);
		assert_int_equal(dec(d, &pk, WS_LINK_NULL, f.b, f.n, 0), WS_DE_NONE);
		assert_int_equal(pk.ip_ver, 6);
		assert_int_equal(pk.sport, 546);
		f.b[0] = 0;
		f.b[3] = (uint8_t)v6af[i];
		assert_int_equal(dec(d, &pk, WS_LINK_LOOP, f.b, f.n, 0), WS_DE_NONE);
		assert_int_equal(pk.ip_ver, 6);
		assert_int_equal(dec(d, &pk, WS_LINK_NULL, f.b, f.n, 0), WS_DE_NONE);
		assert_int_equal(pk.ip_ver, 6);
	}
	ws_decoder_free(d);
}

/* ---- IPv4 ---- */

static void test_ipv4_lengths(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;

	(void)state;
	/* snaplen: total length claims more than was captured */
	frame_tcp4(&f);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n - 3, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_len, 28 + 60 + 5);
	assert_int_equal(pk.payload_len, 2);
	assert_int_equal(pk.payload_wire_len, 5);
	/* IHL 4 */
	f.b[14] = 0x44;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_IPV4_BAD_HLEN);
	/* total length below the header */
	frame_tcp4(&f);
	set16(&f, 16, 24);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_IPV4_BAD_LEN);
	/* total length 0: offloaded segment, take the captured bytes */
	set16(&f, 16, 0);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.payload_len, 5);
	/* version 6 behind ethertype 0x0800 */
	frame_tcp4(&f);
	f.b[14] = 0x65;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_IPV4_BAD_VERSION);
	ws_decoder_free(d);
}

/* ---- IPv4 fragments ---- */

/* The datagram payload: UDP 4000 -> 53, 92 bytes of pattern: 100 bytes. */
static void frag_datagram(uint8_t *dg, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dg[i] = (uint8_t)(i * 7 + 3);
	dg[0] = 0x0f;
	dg[1] = 0xa0;
	dg[2] = 0;
	dg[3] = 53;
	dg[4] = (uint8_t)(n >> 8);
	dg[5] = (uint8_t)n;
	dg[6] = 0;
	dg[7] = 0;
}

static size_t v4frag(struct pb *f, uint16_t id, uint32_t off, int mf, const uint8_t *data, size_t len)
{
	size_t ip;

	memset(f, 0, sizeof(*f));
	eth(f, 0x0800);
	ip = ipv4(f, 17, id, (uint16_t)((mf ? 0x2000 : 0) | off / 8), 0);
	pbytes(f, data, len);
	ipv4_fin(f, ip);
	return f->n;
}

/* One fragment of a test datagram: [off, off + len), more fragments or not. */
struct fr {
	uint32_t off, len;
	int mf;
};

static void check_done(const struct ws_packet *pk, const uint8_t *dg, size_t n, uint32_t cnt)
{
	assert_int_equal(pk->err, WS_DE_NONE);
	assert_int_equal(pk->frag, WS_FRAG_DONE);
	assert_int_equal(pk->frag_cnt, cnt);
	assert_int_equal(pk->l4_ok, 1);
	assert_int_equal(pk->sport, 4000);
	assert_int_equal(pk->dport, 53);
	assert_int_equal(pk->payload_len, n - 8);
	assert_int_equal(pk->payload_wire_len, n - 8);
	assert_memory_equal(pk->payload, dg + 8, n - 8);
}

/* Sends the fragments in the given order; all but the last must be held. */
static void run_v4frags(struct ws_decoder *d, struct ws_packet *pk, uint16_t id,
			const struct fr *fr, size_t cnt, const uint8_t *dg)
{
	struct pb f;

	for (size_t i = 0; i < cnt; i++) {
		v4frag(&f, id, fr[i].off, fr[i].mf, dg + fr[i].off, fr[i].len);
		dec(d, pk, WS_LINK_ETHERNET, f.b, f.n, (int64_t)i * 1000);
		if (i + 1 < cnt) {
			assert_int_equal(pk->err, WS_DE_NONE);
			assert_int_equal(pk->frag, WS_FRAG_HELD);
			assert_int_equal(pk->l4_ok, 0);
			assert_int_equal(pk->sport, 0);
			assert_int_equal(pk->ip_ver, 4);
			assert_int_equal(pk->ip_proto, 17);
		}
	}
}

static void test_v4frag_orders(void **state)
{
	static const struct fr in_order[] = { { 0, 40, 1 }, { 40, 40, 1 }, { 80, 20, 0 } };
	static const struct fr reverse[] = { { 80, 20, 0 }, { 40, 40, 1 }, { 0, 40, 1 } };
	static const struct fr middle_last[] = { { 0, 40, 1 }, { 80, 20, 0 }, { 40, 40, 1 } };
	static const struct fr dup[] = { { 0, 40, 1 }, { 0, 40, 1 }, { 80, 20, 0 }, { 40, 40, 1 } };
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	uint8_t dg[100];

	(void)state;
	frag_datagram(dg, sizeof(dg));
	run_v4frags(d, &pk, 1, in_order, 3, dg);
	check_done(&pk, dg, sizeof(dg), 3);
	assert_int_equal(pk.ip_len, 20 + 100);
	run_v4frags(d, &pk, 2, reverse, 3, dg);
	check_done(&pk, dg, sizeof(dg), 3);
	run_v4frags(d, &pk, 3, middle_last, 3, dg);
	check_done(&pk, dg, sizeof(dg), 3);
	assert_int_equal(ws_decoder_stats(d)->frag_overlaps, 0);
	run_v4frags(d, &pk, 4, dup, 4, dg);
	check_done(&pk, dg, sizeof(dg), 4);
	assert_int_equal(ws_decoder_stats(d)->frag_overlaps, 1);
	assert_int_equal(ws_decoder_stats(d)->frag_datagrams, 4);
	ws_decoder_free(d);
}

static void test_v4frag_overlap_first_wins(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	uint8_t dg[100], evil[100];

	(void)state;
	frag_datagram(dg, sizeof(dg));
	memset(evil, 'E', sizeof(evil));
	/* [0,48) real, then [40,64) evil overlapping 8 bytes, then [48,100) real
	 * overlapping the evil bytes [48,64): the first bytes stay. */
	v4frag(&f, 9, 0, 1, dg, 48);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	v4frag(&f, 9, 40, 1, evil + 40, 24);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.frag, WS_FRAG_HELD);
	v4frag(&f, 9, 48, 0, dg + 48, 52);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.frag, WS_FRAG_DONE);
	assert_int_equal(ws_decoder_stats(d)->frag_overlaps, 2);
	assert_memory_equal(pk.payload, dg + 8, 40);		/* [8,48) real, arrived first */
	assert_memory_equal(pk.payload + 40, evil + 48, 16);	/* [48,64): evil arrived first */
	assert_memory_equal(pk.payload + 56, dg + 64, 36);	/* [64,100) real */
	ws_decoder_free(d);
}

static void test_v4frag_missing_expire(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	uint8_t dg[100];

	(void)state;
	frag_datagram(dg, sizeof(dg));
	v4frag(&f, 7, 0, 1, dg, 40);
	dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 1 * NS);
	assert_int_equal(pk.frag, WS_FRAG_HELD);
	v4frag(&f, 7, 80, 0, dg + 80, 20);
	dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 2 * NS);
	assert_int_equal(pk.frag, WS_FRAG_HELD);
	/* not yet stale */
	ws_decoder_expire(d, 1 * NS + WS_FRAG_TIMEOUT_S * NS);
	assert_int_equal(ws_decoder_stats(d)->frag_timeouts, 0);
	ws_decoder_expire(d, 2 * NS + WS_FRAG_TIMEOUT_S * NS);
	assert_int_equal(ws_decoder_stats(d)->frag_timeouts, 1);
	/* the middle piece now starts a new set and completes nothing */
	v4frag(&f, 7, 40, 1, dg + 40, 40);
	dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 40 * NS);
	assert_int_equal(pk.frag, WS_FRAG_HELD);
	assert_int_equal(ws_decoder_stats(d)->frag_datagrams, 0);
	ws_decoder_free(d);	/* frees the held set: leak check under ASan */
}

static void test_v4frag_bad_and_caps(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	uint8_t dg[1200];

	(void)state;
	frag_datagram(dg, sizeof(dg));
	/* MF with a length not a multiple of 8 */
	v4frag(&f, 1, 0, 1, dg, 41);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_FRAG_BAD);
	/* two different ends */
	v4frag(&f, 2, 8, 0, dg + 8, 16);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	v4frag(&f, 2, 8, 0, dg + 8, 24);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_FRAG_BAD);
	/* data past a known end */
	v4frag(&f, 2, 40, 1, dg + 40, 16);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_FRAG_BAD);
	/* past 65535 bytes (ping of death) */
	v4frag(&f, 3, 65528, 0, dg, 16);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_FRAG_LIMIT);
	/* a cut fragment is not held */
	v4frag(&f, 4, 0, 1, dg, 40);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n - 1, 0), WS_DE_IPV4_TRUNCATED);
	/* pieces per datagram */
	for (uint32_t i = 0; i < WS_FRAG_PIECES_MAX; i++) {
		v4frag(&f, 5, i * 8, 1, dg, 8);
		assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	}
	v4frag(&f, 5, 1100, 0, dg, 8);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_FRAG_LIMIT);
	assert_true(ws_decoder_stats(d)->frag_limit >= 2);
	ws_decoder_free(d);
}

static void test_v4frag_datagram_cap(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	uint8_t dg[16];
	uint32_t i;

	(void)state;
	frag_datagram(dg, sizeof(dg));
	for (i = 0; i < WS_FRAG_DATAGRAMS_MAX; i++) {
		v4frag(&f, (uint16_t)i, 0, 1, dg, 8);
		f.b[14 + 12] = 0;
		assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	}
	v4frag(&f, 1, 0, 1, dg, 8);
	f.b[14 + 12] = 99;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_FRAG_LIMIT);
	assert_int_equal(pk.frag, WS_FRAG_NONE);
	/* a fragment of a set already held still gets in and completes it */
	v4frag(&f, 1, 8, 0, dg + 8, 8);
	f.b[14 + 12] = 0;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.frag, WS_FRAG_DONE);
	/* expiry frees room */
	ws_decoder_expire(d, 100 * NS);
	assert_int_equal(ws_decoder_stats(d)->frag_timeouts, WS_FRAG_DATAGRAMS_MAX - 1);
	v4frag(&f, 1, 0, 1, dg, 8);
	f.b[14 + 12] = 99;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 100 * NS), WS_DE_NONE);
	ws_decoder_free(d);
}

/* ---- IPv6 ---- */

/* Eth / IPv6 / HBH / fragment header / [dest opts / UDP ...] slice. */
static size_t v6frag(struct pb *f, uint32_t id, uint32_t off, int m, const uint8_t *data, size_t len)
{
	size_t ip;

	memset(f, 0, sizeof(*f));
	eth(f, 0x86dd);
	ip = ipv6(f, 0);
	ext8(f, 44);
	pu8(f, 60);
	pu8(f, 0);
	pbe16(f, (uint16_t)(off | (m ? 1 : 0)));
	pbe32(f, id);
	pbytes(f, data, len);
	ipv6_fin(f, ip);
	return f->n;
}

static void test_v6_ext_frag(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	uint8_t dg[8 + 100];	/* dest options, then the UDP datagram */
	char a[WS_ADDR_STRLEN];

	(void)state;
	frag_datagram(dg + 8, 100);
	dg[0] = 17;	/* dest options: next UDP */
	dg[1] = 0;
	dg[2] = 1;
	dg[3] = 4;
	memset(dg + 4, 0, 4);
	v6frag(&f, 0xdeadbeef, 56, 0, dg + 56, 52);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.frag, WS_FRAG_HELD);
	assert_int_equal(pk.l4_ok, 0);
	assert_int_equal(pk.ip_ver, 6);
	v6frag(&f, 0xdeadbeef, 0, 1, dg, 56);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.frag, WS_FRAG_DONE);
	assert_int_equal(pk.frag_cnt, 2);
	assert_string_equal(ws_addr_fmt(&pk.src, a), "2001:db8::1");
	assert_string_equal(ws_addr_fmt(&pk.dst, a), "2001:db8::ab02");
	assert_int_equal(pk.ttl, 63);
	assert_int_equal(pk.ip_proto, 17);
	assert_int_equal(pk.ip_id, 0xbeef);
	assert_int_equal(pk.ip_len, 40 + 8 + 108);
	assert_int_equal(pk.sport, 4000);
	assert_int_equal(pk.dport, 53);
	assert_int_equal(pk.payload_len, 92);
	assert_memory_equal(pk.payload, dg + 16, 92);
	assert_int_equal(ws_decoder_stats(d)->frag_datagrams, 1);

	/* atomic fragment (offset 0, M 0): decoded at once (RFC 6946) */
	v6frag(&f, 5, 0, 0, dg, sizeof(dg));
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.frag, WS_FRAG_NONE);
	assert_int_equal(pk.sport, 4000);
	assert_int_equal(pk.payload_len, 92);

	/* extension header cut short */
	v6frag(&f, 6, 0, 1, dg, 56);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 14 + 40 + 4, 0), WS_DE_IPV6_EXT_TRUNCATED);
	/* extension header longer than the payload length says */
	f.b[14 + 40 + 1] = 200;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_IPV6_EXT_TRUNCATED);
	ws_decoder_free(d);
}

static void test_v6_chain_ah_esp(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip, u;

	(void)state;
	eth(&f, 0x86dd);
	ip = ipv6(&f, 0);
	ext8(&f, 43);		/* hop-by-hop -> routing */
	ext8(&f, 51);		/* routing -> AH */
	pu8(&f, 60);		/* AH: 24 bytes, len field 4 */
	pu8(&f, 4);
	pfill(&f, 0, 22);
	ext8(&f, 6);		/* destination options -> TCP */
	pbe16(&f, 1);
	pbe16(&f, 2);
	pbe32(&f, 0);
	pbe32(&f, 0);
	pbe16(&f, 5 << 12 | WS_TH_RST);
	pbe16(&f, 0);
	pbe32(&f, 0);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_proto, 6);
	assert_int_equal(pk.tcp.flags, WS_TH_RST);
	assert_int_equal(pk.ip_len, f.n - 14);

	/* ESP: stop there */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x86dd);
	ip = ipv6(&f, 60);
	ext8(&f, 50);
	pbe32(&f, 0x1000);	/* SPI */
	pbe32(&f, 1);
	pfill(&f, 0xcc, 16);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_proto, 50);
	assert_int_equal(pk.sport, 0);
	assert_int_equal(pk.payload_len, 24);

	/* jumbo-style payload length 0: the captured bytes */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x86dd);
	ip = ipv6(&f, 17);
	u = udp(&f, 1, 2);
	pbytes(&f, "jumbo", 5);
	udp_fin(&f, u);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_len, 40 + 13);
	assert_int_equal(pk.payload_len, 5);
	ws_decoder_free(d);
}

static void test_v6_hostile_chain(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip, u;

	(void)state;
	eth(&f, 0x86dd);
	ip = ipv6(&f, 60);
	for (int i = 0; i < 300; i++)
		ext8(&f, 60);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_IPV6_EXT_LIMIT);
	assert_int_equal(pk.l4_ok, 0);

	/* WS_IPV6_EXT_MAX - 1 headers then UDP is fine */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x86dd);
	ip = ipv6(&f, 60);
	for (int i = 0; i < 14; i++)
		ext8(&f, 60);
	ext8(&f, 17);
	u = udp(&f, 7, 9);
	udp_fin(&f, u);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.dport, 9);
	ws_decoder_free(d);
}

/* ---- UDP, ICMP ---- */

static void test_udp_lengths(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ul = 14 + 20 + 4;

	(void)state;
	eth(&f, 0x0800);
	v4udp(&f);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.udp_len, 11);
	/* below 8 */
	set16(&f, ul, 7);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_UDP_BAD_LEN);
	assert_int_equal(pk.sport, 137);
	assert_int_equal(pk.l4_ok, 0);
	/* past the IP datagram */
	set16(&f, ul, 12);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_UDP_BAD_LEN);
	/* shorter than the IP payload: trimmed to the UDP length */
	set16(&f, ul, 9);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.payload_len, 1);
	/* snaplen cut inside the payload */
	set16(&f, ul, 11);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n - 2, 0), WS_DE_NONE);
	assert_int_equal(pk.payload_len, 1);
	assert_int_equal(pk.payload_wire_len, 3);
	ws_decoder_free(d);
}

static void test_icmp_echo(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip;

	(void)state;
	eth(&f, 0x0800);
	ip = ipv4(&f, 1, 0, 0, 0);
	pu8(&f, 8);
	pu8(&f, 0);
	pbe16(&f, 0);
	pbe16(&f, 0x4242);
	pbe16(&f, 17);
	pbytes(&f, "ping", 4);
	ipv4_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_proto, 1);
	assert_int_equal(pk.icmp_type, 8);
	assert_int_equal(pk.icmp_code, 0);
	assert_int_equal(pk.icmp_id, 0x4242);
	assert_int_equal(pk.icmp_seq, 17);
	assert_int_equal(pk.payload_len, 4);
	assert_int_equal(pk.l4_ok, 1);
	/* unreachable: no id/seq */
	f.b[14 + 20] = 3;
	f.b[14 + 21] = 3;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.icmp_type, 3);
	assert_int_equal(pk.icmp_code, 3);
	assert_int_equal(pk.icmp_id, 0);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 14 + 20 + 5, 0), WS_DE_ICMP_TRUNCATED);
	assert_int_equal(pk.icmp_type, 3);

	/* ICMPv6 echo reply */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x86dd);
	ip = ipv6(&f, 58);
	pu8(&f, 129);
	pu8(&f, 0);
	pbe16(&f, 0);
	pbe16(&f, 0x0101);
	pbe16(&f, 0xfffe);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_proto, 58);
	assert_int_equal(pk.icmp_type, 129);
	assert_int_equal(pk.icmp_id, 0x0101);
	assert_int_equal(pk.icmp_seq, 0xfffe);
	assert_int_equal(pk.payload_len, 0);
	/* ICMPv6 echo request */
	f.b[14 + 40] = 128;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.icmp_seq, 0xfffe);
	ws_decoder_free(d);
}

static void test_other_proto_and_tunnels(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip, in;
	char a[WS_ADDR_STRLEN];

	(void)state;
	/* SCTP: kept whole with ports 0 */
	eth(&f, 0x0800);
	ip = ipv4(&f, 132, 0, 0, 0);
	pfill(&f, 0x5c, 16);
	ipv4_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_proto, 132);
	assert_int_equal(pk.l4_ok, 1);
	assert_int_equal(pk.sport, 0);
	assert_int_equal(pk.payload_len, 16);

	/* 6in4: the inner IPv6 addresses and ports win */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x0800);
	ip = ipv4(&f, 41, 0, 0, 0);
	v6udp(&f);
	ipv4_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 6);
	assert_string_equal(ws_addr_fmt(&pk.src, a), "2001:db8::1");
	assert_int_equal(pk.sport, 546);

	/* GRE with key and sequence, IPv4 inside IPv6 */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x86dd);
	ip = ipv6(&f, 47);
	pbe16(&f, 0x3000);
	pbe16(&f, 0x0800);
	pbe32(&f, 1);
	pbe32(&f, 2);
	v4udp(&f);
	ipv6_fin(&f, ip);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 4);
	assert_string_equal(ws_addr_fmt(&pk.dst, a), "192.168.1.2");
	assert_int_equal(pk.dport, 138);
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, 14 + 40 + 6, 0), WS_DE_GRE_TRUNCATED);

	/* GRE with another payload: kept as GRE */
	f.b[14 + 40 + 2] = 0x65;
	f.b[14 + 40 + 3] = 0x58;
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_NONE);
	assert_int_equal(pk.ip_ver, 6);
	assert_int_equal(pk.ip_proto, 47);
	assert_int_equal(pk.l4_ok, 1);

	/* IPv4 in IPv4 in IPv4 ... past the tunnel cap */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x0800);
	{
		size_t at[6];

		for (int i = 0; i < 6; i++)
			at[i] = ipv4(&f, 4, 0, 0, 0);
		in = ipv4(&f, 59, 0, 0, 0);
		ipv4_fin(&f, in);
		for (int i = 5; i >= 0; i--)
			ipv4_fin(&f, at[i]);
	}
	assert_int_equal(dec(d, &pk, WS_LINK_ETHERNET, f.b, f.n, 0), WS_DE_TUNNEL_LIMIT);
	ws_decoder_free(d);
}

/* ---- snaplen loops: every cut, in a buffer of exactly that size ---- */

static enum ws_decode_err cut(struct ws_decoder *d, struct ws_packet *pk, int lt,
			      const struct pb *f, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);
	enum ws_decode_err e;

	assert_non_null(b);
	memcpy(b, f->b, n);
	e = dec(d, pk, lt, b, n, 0);
	/* whatever was decoded points inside the buffer */
	if (pk->payload_len)
		assert_true(pk->payload >= b && pk->payload + pk->payload_len <= b + n);
	free(b);
	return e;
}

static void test_cut_eth_ipv4_tcp(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;
	const size_t ip = 14, tcp = 14 + 28, pay = 14 + 28 + 60;

	(void)state;
	frame_tcp4(&f);
	for (size_t n = 0; n < f.n; n++) {
		enum ws_decode_err e = cut(d, &pk, WS_LINK_ETHERNET, &f, n);

		if (n < ip)
			assert_int_equal(e, WS_DE_ETH_TRUNCATED);
		else if (n < tcp)
			assert_int_equal(e, WS_DE_IPV4_TRUNCATED);
		else if (n < pay)
			assert_int_equal(e, WS_DE_TCP_TRUNCATED);
		else {
			assert_int_equal(e, WS_DE_NONE);
			assert_int_equal(pk.payload_len, n - pay);
			assert_int_equal(pk.payload_wire_len, 5);
			assert_int_equal(pk.tcp.mss, 1460);
		}
		if (n >= tcp + 4)
			assert_int_equal(pk.sport, 40000);
	}
	ws_decoder_free(d);
}

static void test_cut_ipv6_udp(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };
	size_t ip, u;

	(void)state;
	eth(&f, 0x86dd);
	ip = ipv6(&f, 0);
	ext8(&f, 60);
	ext8(&f, 17);
	u = udp(&f, 1000, 2000);
	pbytes(&f, "payload!", 8);
	udp_fin(&f, u);
	ipv6_fin(&f, ip);
	for (size_t n = 0; n < f.n; n++) {
		enum ws_decode_err e = cut(d, &pk, WS_LINK_ETHERNET, &f, n);

		if (n < 14)
			assert_int_equal(e, WS_DE_ETH_TRUNCATED);
		else if (n < 54)
			assert_int_equal(e, WS_DE_IPV6_TRUNCATED);
		else if (n < 70)
			assert_int_equal(e, WS_DE_IPV6_EXT_TRUNCATED);
		else if (n < 78)
			assert_int_equal(e, WS_DE_UDP_TRUNCATED);
		else {
			assert_int_equal(e, WS_DE_NONE);
			assert_int_equal(pk.payload_len, n - 78);
			assert_int_equal(pk.payload_wire_len, 8);
		}
	}
	ws_decoder_free(d);
}

static void test_cut_sll2(void **state)
{
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f = { .n = 0 };

	(void)state;
	pbe16(&f, 0x0800);
	pbe16(&f, 0);
	pbe32(&f, 1);
	pbe16(&f, 1);
	pu8(&f, 0);
	pu8(&f, 6);
	pbytes(&f, MAC_SRC, 6);
	pbe16(&f, 0);
	v4udp(&f);
	for (size_t n = 0; n <= f.n; n++) {
		enum ws_decode_err e = cut(d, &pk, WS_LINK_LINUX_SLL2, &f, n);

		if (n < 20)
			assert_int_equal(e, WS_DE_SLL_TRUNCATED);
		else if (n < 40)
			assert_int_equal(e, WS_DE_IPV4_TRUNCATED);
		else if (n < 48)
			assert_int_equal(e, WS_DE_UDP_TRUNCATED);
		else
			assert_int_equal(e, WS_DE_NONE);
	}
	ws_decoder_free(d);
}

/* Every link type over every cut of a few frames, and every single-byte
 * corruption of them: no crash, no read outside the buffer. */
static void test_cut_all_links_noise(void **state)
{
	static const int links[] = { WS_LINK_NULL, WS_LINK_ETHERNET, WS_LINK_RAW, WS_LINK_LOOP,
				     WS_LINK_LINUX_SLL, WS_LINK_IPV4, WS_LINK_IPV6, WS_LINK_LINUX_SLL2 };
	struct ws_decoder *d = ws_decoder_new();
	struct ws_packet pk;
	struct pb f;

	(void)state;
	frame_tcp4(&f);
	for (size_t l = 0; l < sizeof(links) / sizeof(links[0]); l++)
		for (size_t n = 0; n <= f.n; n++)
			(void)cut(d, &pk, links[l], &f, n);
	for (size_t i = 0; i < f.n; i++) {
		struct pb g = f;

		for (int v = 0; v < 256; v += 17) {
			g.b[i] = (uint8_t)v;
			(void)cut(d, &pk, WS_LINK_ETHERNET, &g, g.n);
		}
	}
	ws_decoder_free(d);
}

static void test_err_names(void **state)
{
	(void)state;
	assert_string_equal(ws_decode_err_name(WS_DE_NONE), "none");
	assert_string_equal(ws_decode_err_name(WS_DE_IPV4_TRUNCATED), "ipv4_truncated");
	assert_string_equal(ws_decode_err_name(WS_DE_FRAG_LIMIT), "frag_limit");
	assert_string_equal(ws_decode_err_doc(WS_DE_UDP_BAD_LEN), "UDP length below 8 or past the datagram");
	for (int i = 0; i < WS_DE__COUNT; i++) {
		assert_non_null(ws_decode_err_name((enum ws_decode_err)i));
		assert_true(strlen(ws_decode_err_doc((enum ws_decode_err)i)) > 0);
		for (int j = 0; j < i; j++)
			assert_true(strcmp(ws_decode_err_name((enum ws_decode_err)i),
					   ws_decode_err_name((enum ws_decode_err)j)) != 0);
	}
	assert_string_equal(ws_decode_err_name(WS_DE__COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_tcp_all_options),
		cmocka_unit_test(test_tcp_malformed_options),
		cmocka_unit_test(test_tcp_bad_hlen),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_eth_non_ip),
		cmocka_unit_test(test_pppoe_mpls),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_null_loop),
		cmocka_unit_test(test_ipv4_lengths),
		cmocka_unit_test(test_v4frag_orders),
		cmocka_unit_test(test_v4frag_overlap_first_wins),
		cmocka_unit_test(test_v4frag_missing_expire),
		cmocka_unit_test(test_v4frag_bad_and_caps),
		cmocka_unit_test(test_v4frag_datagram_cap),
		cmocka_unit_test(test_v6_ext_frag),
		cmocka_unit_test(test_v6_chain_ah_esp),
		cmocka_unit_test(test_v6_hostile_chain),
		cmocka_unit_test(test_udp_lengths),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_other_proto_and_tunnels),
		cmocka_unit_test(test_cut_eth_ipv4_tcp),
		cmocka_unit_test(test_cut_ipv6_udp),
		cmocka_unit_test(test_cut_sll2),
		cmocka_unit_test(test_cut_all_links_noise),
		cmocka_unit_test(test_err_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
