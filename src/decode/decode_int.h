/*
 * decode_int.h - what the files of src/decode/ share and nobody else sees: the
 * decoder's state (fragment reassembly), the internal caps, and the entry
 * points of each layer (decode.c link layers, ip.c IPv4/IPv6/tunnels,
 * ipfrag.c reassembly, l4.c TCP/UDP/ICMP).
 *
 * Contract between the layers: each takes a reader fenced to the bytes it may
 * look at (what was captured of its PDU) plus, where the lower header claims a
 * length, that claimed length (wire_len) so that snaplen cuts stay visible. A
 * layer fills its fields of ws_packet and returns the first error, or
 * WS_DE_NONE. No layer keeps state outside struct ws_decoder.
 */
#ifndef WS_DECODE_DECODE_INT_H
#define WS_DECODE_DECODE_INT_H

#include <stdint.h>

#include "core/limits.h"
#include "core/rd.h"
#include "decode/decode.h"

/* IPv6 extension headers followed per packet before we give up: RFC 8200 4.1
 * lists at most about eight in a sane packet; twice that leaves margin, and
 * bounds the work a hostile chain of 8-byte headers can ask for. */
#define WS_IPV6_EXT_MAX		16u

/* Tunnel layers (IP-in-IP, GRE) decapsulated per packet; a hostile packet
 * could nest them as deep as its length allows. Two real layers (e.g. GRE in
 * a 6in4 tunnel) plus one of margin. */
#define WS_DECODE_TUNNEL_MAX	3u

/* Hash buckets for fragment sets; a power of two. A quarter of the sets cap
 * keeps chains short at the cap. */
#define WS_FRAG_BUCKETS		1024u

/* One datagram in reassembly. cov[] holds the byte ranges received, sorted and
 * merged, relative to the start of the fragmentable payload. */
struct ws_frag_range {
	uint32_t lo, hi;	/* [lo, hi) */
};

struct ws_frag_key {
	uint8_t v;		/* 4 or 6 */
	uint8_t proto;		/* IPv4 protocol; 0 for IPv6 */
	uint32_t id;		/* IPv4 identification or IPv6 fragment identification */
	uint8_t src[16], dst[16];
};

struct ws_frag_set {
	struct ws_frag_set *hnext;		/* hash chain */
	struct ws_frag_set *older, *newer;	/* age list, by first fragment */
	uint32_t hash;
	struct ws_frag_key key;
	int64_t first_ns;
	uint32_t total;		/* payload bytes of the datagram; valid with have_last */
	uint8_t have_last;	/* the fragment with MF = 0 arrived */
	uint8_t have_first;	/* the fragment at offset 0 arrived */
	uint8_t next_proto;	/* from the offset-0 fragment */
	uint32_t hdr_len;	/* header bytes before the payload, offset-0 fragment */
	uint32_t pieces;	/* fragments accepted into the set */
	uint32_t cov_cnt;
	struct ws_frag_range cov[WS_FRAG_PIECES_MAX];
	uint8_t *buf;
	uint32_t cap;
};

struct ws_decoder {
	struct ws_decode_stats st;
	struct ws_frag_set *tab[WS_FRAG_BUCKETS];
	struct ws_frag_set *oldest, *newest;
	uint32_t set_cnt;
	/* The last reassembled datagram: valid until the next ws_decode(). */
	uint8_t *done_buf;
	uint32_t done_cap;
};

/* One fragment, as the IP layer hands it to reassembly. */
struct ws_frag_in {
	struct ws_frag_key key;
	uint32_t off;		/* byte offset of data in the datagram payload */
	uint8_t more;		/* MF / M flag */
	uint8_t next_proto;	/* IPv4 protocol, or the IPv6 fragment header's next header */
	uint32_t hdr_len;	/* header bytes in front of this fragment's data */
	int64_t ts_ns;
	struct ws_rd data;	/* the fragment's data, whole (the caller checked) */
};

/* A reassembled datagram (when ws_dec_frag_add returned with done = 1). */
struct ws_frag_out {
	int done;
	const uint8_t *buf;	/* the decoder's done_buf */
	uint32_t len;
	uint8_t next_proto;
	uint32_t hdr_len;
	uint32_t cnt;
};

enum ws_decode_err ws_dec_frag_add(struct ws_decoder *d, const struct ws_frag_in *in,
				   struct ws_frag_out *out);
void ws_dec_frag_free_all(struct ws_decoder *d);

/* An Ethernet II / 802.3 frame (also GRE's transparent Ethernet bridging). */
enum ws_decode_err ws_dec_eth(struct ws_decoder *d, struct ws_packet *p,
			      struct ws_rd *r, unsigned depth);
/* Network layer dispatch on an ethertype; takes VLAN tags off first. */
enum ws_decode_err ws_dec_ethertype(struct ws_decoder *d, struct ws_packet *p,
				    struct ws_rd *r, uint16_t ethertype, unsigned depth);
enum ws_decode_err ws_dec_ipv4(struct ws_decoder *d, struct ws_packet *p,
			       struct ws_rd *r, unsigned depth);
enum ws_decode_err ws_dec_ipv6(struct ws_decoder *d, struct ws_packet *p,
			       struct ws_rd *r, unsigned depth);
/*
 * The transport layer: r holds the bytes captured of the IP payload, wire_len
 * the bytes the IP header claims for it.
 */
enum ws_decode_err ws_dec_l4(struct ws_decoder *d, struct ws_packet *p, struct ws_rd *r,
			     uint32_t wire_len, uint8_t proto, unsigned depth);

#endif
