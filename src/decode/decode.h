/*
 * decode.h - layers 2 to 4 of one captured packet: link (Ethernet with 802.1Q
 * and QinQ, Linux SLL and SLL2, raw IPv4/IPv6, BSD null/loopback), network
 * (IPv4 with fragment reassembly, IPv6 with extension headers and fragments)
 * and transport (TCP, UDP, ICMP, ICMPv6).
 *
 * A malformed or truncated packet is a normal outcome: ws_decode() fills what
 * it could, sets err to the first reason, and the caller counts it
 * (decode_errors) and goes on. Payload pointers point into the packet, or into
 * the decoder's reassembly buffer when this packet completed an IP datagram;
 * either stays valid until the next ws_decode() on the same decoder.
 */
#ifndef WS_DECODE_DECODE_H
#define WS_DECODE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

enum ws_decode_err {
#define WS_DE(id, name, doc) WS_DE_##id,
#include "decode/decode_err.def"
#undef WS_DE
	WS_DE__COUNT
};

const char *ws_decode_err_name(enum ws_decode_err e);	/* "ipv4_truncated" ... */
const char *ws_decode_err_doc(enum ws_decode_err e);

#define WS_TH_FIN 0x01
#define WS_TH_SYN 0x02
#define WS_TH_RST 0x04
#define WS_TH_PSH 0x08
#define WS_TH_ACK 0x10
#define WS_TH_URG 0x20
#define WS_TH_ECE 0x40
#define WS_TH_CWR 0x80

enum ws_frag_state {
	WS_FRAG_NONE = 0,	/* not a fragment */
	WS_FRAG_HELD,		/* a fragment, held; no transport layer yet */
	WS_FRAG_DONE		/* this fragment completed a datagram: L4 is the whole datagram */
};

struct ws_tcp_info {
	uint32_t seq, ack;
	uint16_t win;		/* as on the wire, unscaled */
	uint16_t urp;
	uint8_t flags;		/* WS_TH_* */
	uint8_t hdr_len;	/* bytes */
	/* options, where present */
	uint16_t mss;		/* 0 = absent */
	int8_t wscale;		/* -1 = absent */
	uint8_t sack_perm;
	uint8_t has_ts;
	uint8_t sack_cnt;	/* SACK blocks in this segment */
	uint32_t tsval, tsecr;
};

struct ws_packet {
	/* from capture (set by the caller before ws_decode) */
	uint64_t num;		/* frame number within its file, 1-based (tshark's frame.number) */
	uint32_t file_idx;	/* which input file, 0-based */
	int64_t ts_ns;
	uint32_t caplen;
	uint32_t wirelen;
	int linktype;
	const uint8_t *data;

	/* layer 2 */
	uint8_t has_eth;
	uint8_t eth_src[6], eth_dst[6];
	uint8_t vlan_cnt;
	uint16_t vlan[2];	/* outer first */
	uint16_t ethertype;	/* the network protocol: 0x0800, 0x86dd, 0x0806 (ARP), ... */

	/* layer 3 */
	uint8_t ip_ver;		/* 0 when not IP */
	struct ws_addr src, dst;
	uint8_t ip_proto;	/* transport after IPv6 extension headers */
	uint8_t ttl;		/* or hop limit */
	uint16_t ip_id;
	uint32_t ip_len;	/* IP header + payload as the header claims (the whole datagram after reassembly) */
	enum ws_frag_state frag;
	uint32_t frag_cnt;	/* with WS_FRAG_DONE: fragments it was made of */

	/* layer 4 */
	uint16_t sport, dport;	/* TCP/UDP */
	struct ws_tcp_info tcp;
	uint16_t udp_len;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;	/* echo request/reply */
	const uint8_t *payload;	/* transport payload held */
	uint32_t payload_len;	/* bytes held at payload */
	uint32_t payload_wire_len;	/* bytes the headers claim; > payload_len when snaplen cut */
	uint8_t l4_ok;		/* transport header decoded */

	enum ws_decode_err err;	/* WS_DE_NONE when all went well */
};

struct ws_decoder;

struct ws_decoder *ws_decoder_new(void);
void ws_decoder_free(struct ws_decoder *d);
/*
 * Decodes p->data (p->caplen bytes of link type p->linktype) into p. Returns
 * p->err. A non-IP frame (ARP, LLC, ...) is not an error: ip_ver stays 0.
 */
enum ws_decode_err ws_decode(struct ws_decoder *d, struct ws_packet *p);
/* Drops fragment sets older than the timeout; call with the capture clock. */
void ws_decoder_expire(struct ws_decoder *d, int64_t now_ns);

struct ws_decode_stats {
	uint64_t frag_datagrams;	/* datagrams reassembled */
	uint64_t frag_timeouts;		/* incomplete datagrams dropped */
	uint64_t frag_limit;		/* fragments dropped at a cap */
	uint64_t frag_overlaps;		/* overlapping fragments (first data kept) */
};
const struct ws_decode_stats *ws_decoder_stats(const struct ws_decoder *d);

#endif
