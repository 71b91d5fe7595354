/*
 * pcapfile.c - classic pcap capture files.
 *
 * Spec: draft-ietf-opsawg-pcap (the libpcap file format), sections 4-5.
 * Magic a1b2c3d4 (seconds + microseconds) or a1b23c4d (seconds +
 * nanoseconds), written in the writer's byte order: read as little-endian,
 * d4c3b2a1 / 4d3cb2a1 mean the file is big-endian.
 *
 *   File header (24 bytes)                  Packet record (16 bytes + data)
 *    0 | Magic Number                        0 | Timestamp (seconds)
 *    4 | Major Version | Minor Version       4 | Timestamp (us or ns)
 *    8 | Reserved1                           8 | Captured Packet Length
 *   12 | Reserved2                          12 | Original Packet Length
 *   16 | SnapLen                            16 | Packet Data (captured length)
 *   20 | FCS len (4) | R | P | 0 (10) | LinkType (16)
 *
 * The last header word: its low 16 bits are the link type; bits 16-25 are
 * reserved and ignored; bit 26 (P) says that bits 28-31 give the FCS length
 * (in 16-bit units) at the end of every packet. We report the link type only:
 * an FCS left at the end of a frame is harmless to the decoders, which bound
 * every layer by its own length field.
 *
 * Also read: Alexey Kuznetzov's "modified" pcap (magic a1b2cd34, written by
 * old patched Linux libpcaps), whose records carry 8 more bytes after the
 * 16 above (ifindex 32, protocol 16, packet type 8, padding 8), skipped here.
 *
 * What is fatal: a record header or body cut by the end of the file (the
 * message names the packet and what is missing), and a captured length above
 * WS_SRC_RECORD_MAX (the record boundaries can no longer be trusted). A
 * captured length above the original length is kept as is (some writers do it).
 */
#include <stdio.h>
#include <string.h>

#include "capture/src_priv.h"
#include "core/rd.h"

#define PCAP_HDR_LEN	24u
#define PCAP_REC_LEN	16u
#define PCAP_REC_LEN_KUZ	24u	/* modified pcap */

#define PCAP_MAGIC_US	0xa1b2c3d4u
#define PCAP_MAGIC_NS	0xa1b23c4du
#define PCAP_MAGIC_US_BE	0xd4c3b2a1u
#define PCAP_MAGIC_NS_BE	0x4d3cb2a1u
#define PCAP_MAGIC_KUZ	0xa1b2cd34u
#define PCAP_MAGIC_KUZ_BE	0x34cdb2a1u

#define PCAP_LINKTYPE(x)	((int)((x) & 0xffffu))

static uint32_t rd32(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be32(r) : ws_rd_le32(r);
}

static uint16_t rd16(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be16(r) : ws_rd_le16(r);
}

int ws_pcap_open(struct ws_src *s, char *err, size_t errlen)
{
	struct ws_rd r;
	uint32_t magic, snaplen, lt;
	uint16_t major, minor;
	int got = ws_in_need(&s->in, PCAP_HDR_LEN, err, errlen);

	if (got < 0)
		return -1;
	if (got == 0) {
		snprintf(err, errlen, "capture file ends inside the pcap file header (%zu of %u bytes)",
			 ws_in_held(&s->in), PCAP_HDR_LEN);
		return -1;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in), PCAP_HDR_LEN);
	magic = ws_rd_le32(&r);
	s->be = (magic == PCAP_MAGIC_US_BE || magic == PCAP_MAGIC_NS_BE || magic == PCAP_MAGIC_KUZ_BE);
	s->pcap_rec_len = (magic == PCAP_MAGIC_KUZ || magic == PCAP_MAGIC_KUZ_BE) ? PCAP_REC_LEN_KUZ : PCAP_REC_LEN;
	s->kind = (magic == PCAP_MAGIC_NS || magic == PCAP_MAGIC_NS_BE) ? WS_SRC_PCAP_NSEC : WS_SRC_PCAP;
	major = rd16(&r, s->be);
	minor = rd16(&r, s->be);
	ws_rd_skip(&r, 8);		/* Reserved1, Reserved2: ignored (section 4) */
	snaplen = rd32(&r, s->be);
	lt = rd32(&r, s->be);
	if (major != 2) {
		/* Section 4: version 2.4; libpcap also reads 2.x with x < 4. */
		snprintf(err, errlen, "unsupported pcap version %u.%u", major, minor);
		return -1;
	}
	memset(&s->pcap_if, 0, sizeof(s->pcap_if));
	s->pcap_if.linktype = PCAP_LINKTYPE(lt);
	s->pcap_if.snaplen = snaplen;
	s->pcap_if.ts_mul = s->kind == WS_SRC_PCAP_NSEC ? 1u : 1000u;
	ws_in_consume(&s->in, PCAP_HDR_LEN);
	return 0;
}

enum ws_src_status ws_pcap_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen)
{
	struct ws_rd r;
	uint32_t sec, frac, caplen, wirelen;
	uint64_t no = s->pkt_no + 1;
	size_t hlen = s->pcap_rec_len;
	int got = ws_in_need(&s->in, hlen, err, errlen);

	if (got < 0)
		return WS_SRC_ERR;
	if (got == 0) {
		if (ws_in_held(&s->in) == 0)
			return WS_SRC_EOF;
		snprintf(err, errlen,
			 "capture file ends in the middle of the header of packet %llu: %zu of %zu bytes present%s",
			 (unsigned long long)no, ws_in_held(&s->in), hlen,
			 s->in.gz_cut ? " (compressed data cut short)" : "");
		return WS_SRC_ERR;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in), PCAP_REC_LEN);	/* the common 16 */
	sec = rd32(&r, s->be);
	frac = rd32(&r, s->be);
	caplen = rd32(&r, s->be);
	wirelen = rd32(&r, s->be);
	if (caplen > WS_SRC_RECORD_MAX) {
		snprintf(err, errlen,
			 "corrupt capture file: packet %llu at offset %llu says %u captured bytes, more than the %u we accept",
			 (unsigned long long)no, (unsigned long long)s->in.off, caplen, WS_SRC_RECORD_MAX);
		return WS_SRC_ERR;
	}
	got = ws_in_need(&s->in, hlen + (size_t)caplen, err, errlen);
	if (got < 0)
		return WS_SRC_ERR;
	if (got == 0) {
		snprintf(err, errlen,
			 "capture file ends in the middle of packet %llu: record says %u bytes, only %zu present%s",
			 (unsigned long long)no, caplen, ws_in_held(&s->in) - hlen,
			 s->in.gz_cut ? " (compressed data cut short)" : "");
		return WS_SRC_ERR;
	}
	s->pkt_no = no;
	/* Unsigned arithmetic: a far-future second count wraps, never UB. */
	pkt->ts_ns = (int64_t)((uint64_t)sec * 1000000000u + (uint64_t)frac * s->pcap_if.ts_mul);
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	pkt->linktype = s->pcap_if.linktype;
	pkt->ifindex = 0;
	pkt->data = ws_in_ptr(&s->in) + hlen;
	ws_in_consume(&s->in, hlen + (size_t)caplen);
	return WS_SRC_PKT;
}
