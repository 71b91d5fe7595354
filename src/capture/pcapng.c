/*
 * pcapng.c - pcapng capture files.
 *
 * Spec: draft-ietf-opsawg-pcapng (PCAP Now Generic), sections 3-4:
 *
 *   General block (3.1)          0 | Block Type
 *                                4 | Block Total Length (multiple of 4, >= 12)
 *                                8 | Block Body ... (padded to 32 bits)
 *                                  | Block Total Length (again)
 *   Section Header Block 0x0A0D0D0A (4.1): Byte-Order Magic 0x1A2B3C4D,
 *     Major 1, Minor, Section Length (64, may be -1), Options.
 *   Interface Description Block 1 (4.2): LinkType (16), Reserved (16),
 *     SnapLen (32), Options (if_tsresol = 9, if_tsoffset = 14).
 *   Enhanced Packet Block 6 (4.3): Interface ID, Timestamp (Upper),
 *     Timestamp (Lower), Captured Length, Original Length, Data, Options.
 *   Simple Packet Block 3 (4.4): Original Length, Data (interface 0, no time).
 *   Packet Block 2 (obsolete, appendix): Interface ID (16), Drops (16),
 *     Timestamp (Upper), Timestamp (Lower), Captured Len, Packet Len, Data.
 *   Anything else (Name Resolution 4, Interface Statistics 5, Decryption
 *   Secrets 0x0A, custom 0xBAD/0x40000BAD, unknown types) is skipped whole,
 *   as 3.1 asks of readers.
 *
 * Each SHB starts a section with its own byte order and forgets the
 * interfaces of the section before. Interfaces are numbered from 0 in the
 * order of their IDBs (4.2).
 *
 * Fatal (WS_SRC_ERR; framing can no longer be trusted, so nothing after can
 * be found): a block length below 12, not a multiple of 4, above
 * WS_SRC_BLOCK_MAX, or different from the trailing copy; a block cut by the
 * end of the file; an SHB without the byte-order magic or with a major
 * version other than 1; a first block that is not an SHB (caught at open).
 *
 * Skipped and counted (ws_src_skipped; the block is framed correctly, so the
 * next one is found): a packet block too short for its fixed fields, one whose
 * captured length passes its block, one naming an interface not defined (or
 * past WS_SRC_IFACES_MAX, or whose if_tsresol we cannot convert); an IDB too
 * short for its fields or past WS_SRC_IFACES_MAX. Options that overrun their
 * block end the option list (what was read so far is kept).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/src_priv.h"
#include "core/rd.h"

#define NG_SHB		0x0A0D0D0Au
#define NG_IDB		0x00000001u
#define NG_PB		0x00000002u
#define NG_SPB		0x00000003u
#define NG_EPB		0x00000006u
#define NG_BOM		0x1A2B3C4Du
#define NG_BOM_SWAPPED	0x4D3C2B1Au

#define NG_HDR_LEN	8u	/* type + total length */
#define NG_MIN_LEN	12u	/* type + length + trailing length */
#define NG_SHB_MIN	28u	/* 12 + BOM 4 + versions 4 + section length 8 */
#define NG_IDB_MIN	20u	/* 12 + linktype 2 + reserved 2 + snaplen 4 */
#define NG_EPB_FIXED	20u	/* iface, ts hi, ts lo, caplen, origlen */
#define NG_PB_FIXED	20u	/* iface16 + drops16, ts hi, ts lo, caplen, len */
#define NG_SPB_FIXED	4u	/* original length */

#define NG_OPT_END	0u
#define NG_IF_TSRESOL	9u
#define NG_IF_TSOFFSET	14u

/* What one block produced. */
enum ng_res { NG_RES_PKT, NG_RES_NONE, NG_RES_EOF, NG_RES_ERR, NG_RES_STOP };

static uint32_t rd32(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be32(r) : ws_rd_le32(r);
}

static uint16_t rd16(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be16(r) : ws_rd_le16(r);
}

static uint64_t rd64(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be64(r) : ws_rd_le64(r);
}

static bool is_packet_block(uint32_t type)
{
	return type == NG_EPB || type == NG_SPB || type == NG_PB;
}

static const char *block_name(uint32_t type)
{
	switch (type) {
	case NG_SHB: return "section header";
	case NG_IDB: return "interface description";
	case NG_PB: return "packet";
	case NG_SPB: return "simple packet";
	case 4: return "name resolution";
	case 5: return "interface statistics";
	case NG_EPB: return "enhanced packet";
	case 0x0A: return "decryption secrets";
	default: return "unknown";
	}
}

/*
 * 4.2 if_tsresol: MSB 0: 10^-v seconds; MSB 1: 2^-v seconds. Default 10^-6.
 * Returns false for resolutions we do not convert (finer than 10^-19 s or
 * 2^-63 s: no clock has them).
 */
static bool iface_set_tsresol(struct ws_iface *ifc, uint8_t res)
{
	unsigned v = res & 0x7fu;

	ifc->ts_mul = 0;
	ifc->ts_div = 0;
	ifc->ts_shift = 0;
	if (res & 0x80u) {
		if (v > 63)
			return false;
		if (v == 0)
			ifc->ts_mul = 1000000000u;
		else
			ifc->ts_shift = v;
		return true;
	}
	if (v <= 9) {
		uint64_t m = 1;

		for (unsigned i = v; i < 9; i++)
			m *= 10;
		ifc->ts_mul = m;
		return true;
	}
	if (v <= 19) {
		uint64_t d = 1;

		for (unsigned i = 9; i < v; i++)
			d *= 10;
		ifc->ts_div = d;
		return true;
	}
	return false;
}

/* Timestamp units of ifc to ns since the epoch, plus if_tsoffset. Unsigned
 * arithmetic throughout: absurd values wrap instead of being UB. */
static int64_t iface_ts_ns(const struct ws_iface *ifc, uint64_t ts)
{
	uint64_t ns;

	if (ifc->ts_mul) {
		ns = ts * ifc->ts_mul;
	} else if (ifc->ts_div) {
		ns = ts / ifc->ts_div;
	} else {
		unsigned p = ifc->ts_shift;
		uint64_t frac = ts & ((UINT64_C(1) << p) - 1);

		ns = (ts >> p) * 1000000000u;
		/* frac < 2^34 keeps frac * 1e9 (< 2^30) below 2^64. */
		if (p <= 34)
			ns += (frac * 1000000000u) >> p;
		else
			ns += ((frac >> (p - 34)) * 1000000000u) >> 34;
	}
	ns += (uint64_t)ifc->ts_offset * 1000000000u;
	return (int64_t)ns;
}

/* 3.5 options: code (16), length (16), value padded to 32 bits; code 0 ends. */
static void idb_options(struct ws_rd *r, bool be, struct ws_iface *ifc)
{
	while (ws_rd_left(r) >= 4) {
		uint16_t code = rd16(r, be);
		uint16_t len = rd16(r, be);
		size_t padded = ((size_t)len + 3u) & ~(size_t)3u;
		struct ws_rd val;

		if (code == NG_OPT_END)
			return;
		if (padded > ws_rd_left(r))
			return;		/* overruns the block: stop here */
		val = ws_rd_sub(r, padded);
		if (code == NG_IF_TSRESOL && len == 1) {
			if (!iface_set_tsresol(ifc, ws_rd_u8(&val)))
				ifc->bad = true;
		} else if (code == NG_IF_TSOFFSET && len == 8) {
			ifc->ts_offset = (int64_t)rd64(&val, be);
		}
	}
}

static void section_reset(struct ws_src *s)
{
	s->if_cnt = 0;
}

static int idb_add(struct ws_src *s, struct ws_rd *body)
{
	struct ws_iface ifc;

	if (ws_rd_left(body) < NG_IDB_MIN - NG_MIN_LEN || s->if_cnt >= WS_SRC_IFACES_MAX) {
		s->skipped++;
		return 0;
	}
	memset(&ifc, 0, sizeof(ifc));
	ifc.linktype = rd16(body, s->be);
	ws_rd_skip(body, 2);		/* reserved */
	ifc.snaplen = rd32(body, s->be);
	iface_set_tsresol(&ifc, 6);	/* 4.2: default 10^-6 */
	idb_options(body, s->be, &ifc);
	if (s->if_cnt == s->if_cap) {
		uint32_t ncap = s->if_cap ? s->if_cap * 2 : 4;
		struct ws_iface *n = realloc(s->ifs, (size_t)ncap * sizeof(*n));

		if (!n)
			return -1;
		s->ifs = n;
		s->if_cap = ncap;
	}
	s->ifs[s->if_cnt++] = ifc;
	return 0;
}

/* The interface a packet names, or NULL (the packet is then skipped). */
static const struct ws_iface *iface_get(const struct ws_src *s, uint32_t id)
{
	if (id >= s->if_cnt || s->ifs[id].bad)
		return NULL;
	return &s->ifs[id];
}

static enum ng_res packet_out(struct ws_src *s, struct ws_raw_pkt *pkt, const struct ws_iface *ifc,
			      uint32_t id, uint64_t ts, bool has_ts, uint32_t caplen, uint32_t wirelen,
			      const uint8_t *data)
{
	if (has_ts)
		s->last_ts = iface_ts_ns(ifc, ts);
	pkt->ts_ns = s->last_ts;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	pkt->linktype = ifc->linktype;
	pkt->ifindex = id;
	pkt->data = data;
	return NG_RES_PKT;
}

/* 4.3 EPB and the obsolete PB: the same fields, the PB's interface 16 bits. */
static enum ng_res epb_parse(struct ws_src *s, struct ws_rd *body, bool old, struct ws_raw_pkt *pkt)
{
	uint32_t id, caplen, wirelen;
	uint64_t ts;
	const struct ws_iface *ifc;

	if (old) {
		id = rd16(body, s->be);
		ws_rd_skip(body, 2);	/* drops count */
	} else {
		id = rd32(body, s->be);
	}
	ts = (uint64_t)rd32(body, s->be) << 32;
	ts |= rd32(body, s->be);
	caplen = rd32(body, s->be);
	wirelen = rd32(body, s->be);
	ifc = iface_get(s, id);
	/* The fixed part must fit, and so must the captured bytes. */
	if (!ws_rd_ok(body) || caplen > ws_rd_left(body) || !ifc) {
		s->skipped++;
		return NG_RES_NONE;
	}
	return packet_out(s, pkt, ifc, id, ts, true, caplen, wirelen, ws_rd_ptr(body));
}

/* 4.4 SPB: interface 0; the data is the rest of the block, at most the
 * original length; no timestamp (we repeat the last one seen, so that time
 * does not jump back to 1970 in the middle of a capture). */
static enum ng_res spb_parse(struct ws_src *s, struct ws_rd *body, struct ws_raw_pkt *pkt)
{
	uint32_t wirelen = rd32(body, s->be);
	const struct ws_iface *ifc = iface_get(s, 0);
	size_t left = ws_rd_left(body);
	uint32_t caplen;

	if (!ws_rd_ok(body) || !ifc) {
		s->skipped++;
		return NG_RES_NONE;
	}
	caplen = wirelen < left ? wirelen : (uint32_t)left;
	return packet_out(s, pkt, ifc, 0, 0, false, caplen, wirelen, ws_rd_ptr(body));
}

/* 4.1 SHB, from its first byte: sets the byte order of the section. */
static enum ng_res shb_order(struct ws_src *s, char *err, size_t errlen)
{
	struct ws_rd r;
	uint32_t bom;
	int got = ws_in_need(&s->in, 12, err, errlen);

	if (got < 0)
		return NG_RES_ERR;
	if (got == 0) {
		snprintf(err, errlen,
			 "capture file ends in the middle of a section header block at offset %llu (%zu bytes present)",
			 (unsigned long long)s->in.off, ws_in_held(&s->in));
		return NG_RES_ERR;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in) + 8, 4);
	bom = ws_rd_le32(&r);
	if (bom == NG_BOM) {
		s->be = false;
	} else if (bom == NG_BOM_SWAPPED) {
		s->be = true;
	} else {
		snprintf(err, errlen,
			 "corrupt pcapng file: section header block at offset %llu has byte-order magic 0x%08x",
			 (unsigned long long)s->in.off, bom);
		return NG_RES_ERR;
	}
	return NG_RES_NONE;
}

static enum ng_res shb_parse(struct ws_src *s, struct ws_rd *body, char *err, size_t errlen)
{
	uint16_t major, minor;

	ws_rd_skip(body, 4);		/* byte-order magic, checked already */
	major = rd16(body, s->be);
	minor = rd16(body, s->be);
	ws_rd_skip(body, 8);		/* section length: -1 allowed, not needed */
	if (!ws_rd_ok(body)) {
		snprintf(err, errlen, "corrupt pcapng file: section header block at offset %llu is too short",
			 (unsigned long long)s->in.off);
		return NG_RES_ERR;
	}
	if (major != 1) {
		/* 4.1: a reader must not read a section of an unknown major version. */
		snprintf(err, errlen, "unsupported pcapng version %u.%u at offset %llu", major, minor,
			 (unsigned long long)s->in.off);
		return NG_RES_ERR;
	}
	section_reset(s);
	return NG_RES_NONE;
}

/*
 * Reads one block. stop_at_pkt (used when reading ahead at open): returns
 * NG_RES_STOP, consuming nothing, when the next block is a packet block.
 */
static enum ng_res ng_block(struct ws_src *s, struct ws_raw_pkt *pkt, bool stop_at_pkt,
			    char *err, size_t errlen)
{
	struct ws_rd r, body;
	uint32_t type, len, tail;
	enum ng_res res = NG_RES_NONE;
	uint64_t off = s->in.off;
	int got = ws_in_need(&s->in, NG_HDR_LEN, err, errlen);

	if (got < 0)
		return NG_RES_ERR;
	if (got == 0) {
		if (ws_in_held(&s->in) == 0)
			return NG_RES_EOF;
		snprintf(err, errlen,
			 "capture file ends in the middle of a block header at offset %llu (%zu of 8 bytes present)%s",
			 (unsigned long long)off, ws_in_held(&s->in),
			 s->in.gz_cut ? " (compressed data cut short)" : "");
		return NG_RES_ERR;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in), NG_HDR_LEN);
	type = rd32(&r, s->be);		/* the SHB type reads the same either way */
	if (type == NG_SHB) {
		res = shb_order(s, err, errlen);
		if (res == NG_RES_ERR)
			return res;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in), NG_HDR_LEN);
	ws_rd_skip(&r, 4);
	len = rd32(&r, s->be);
	/* 3.1: Block Total Length is a multiple of 4 and counts the 12 bytes
	 * of framing; inconsistent framing is fatal (nothing after is found). */
	if (len < NG_MIN_LEN || len % 4 != 0 || len > WS_SRC_BLOCK_MAX ||
	    (type == NG_SHB && len < NG_SHB_MIN)) {
		snprintf(err, errlen,
			 "corrupt pcapng file: %s block (type 0x%08x) at offset %llu has length %u%s",
			 block_name(type), type, (unsigned long long)off, len,
			 len > WS_SRC_BLOCK_MAX ? ", more than we accept" :
			 len % 4 ? ", not a multiple of 4" : ", too small");
		return NG_RES_ERR;
	}
	if (stop_at_pkt && is_packet_block(type))
		return NG_RES_STOP;
	got = ws_in_need(&s->in, len, err, errlen);
	if (got < 0)
		return NG_RES_ERR;
	if (got == 0) {
		if (is_packet_block(type))
			snprintf(err, errlen,
				 "capture file ends in the middle of packet %llu: block says %u bytes, only %zu present%s",
				 (unsigned long long)(s->pkt_no + 1), len, ws_in_held(&s->in),
				 s->in.gz_cut ? " (compressed data cut short)" : "");
		else
			snprintf(err, errlen,
				 "capture file ends in the middle of a %s block at offset %llu: block says %u bytes, only %zu present%s",
				 block_name(type), (unsigned long long)off, len, ws_in_held(&s->in),
				 s->in.gz_cut ? " (compressed data cut short)" : "");
		return NG_RES_ERR;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in), len);
	ws_rd_skip(&r, NG_HDR_LEN);
	body = ws_rd_sub(&r, len - NG_MIN_LEN);
	tail = rd32(&r, s->be);
	if (tail != len) {
		snprintf(err, errlen,
			 "corrupt pcapng file: %s block at offset %llu has length %u but trailing length %u",
			 block_name(type), (unsigned long long)off, len, tail);
		return NG_RES_ERR;
	}
	if (is_packet_block(type))
		s->pkt_no++;
	switch (type) {
	case NG_SHB:
		res = shb_parse(s, &body, err, errlen);
		break;
	case NG_IDB:
		if (idb_add(s, &body) < 0) {
			snprintf(err, errlen, "out of memory");
			return NG_RES_ERR;
		}
		res = stop_at_pkt ? NG_RES_STOP : NG_RES_NONE;
		break;
	case NG_EPB:
		res = epb_parse(s, &body, false, pkt);
		break;
	case NG_PB:
		res = epb_parse(s, &body, true, pkt);
		break;
	case NG_SPB:
		res = spb_parse(s, &body, pkt);
		break;
	default:
		res = NG_RES_NONE;	/* 3.1: skip blocks we do not know */
		break;
	}
	if (res == NG_RES_ERR)
		return res;
	/* The packet's bytes stay where they are until the next read. */
	ws_in_consume(&s->in, len);
	return res;
}

int ws_pcapng_open(struct ws_src *s, char *err, size_t errlen)
{
	struct ws_raw_pkt pkt;
	enum ng_res res;

	s->kind = WS_SRC_PCAPNG;
	/* The first block must be an SHB (3.1, 4.1): checked here so that a
	 * broken start is an open error, not a read error. */
	res = ng_block(s, &pkt, true, err, errlen);
	if (res == NG_RES_ERR)
		return -1;
	/* Read ahead to the first IDB so that a filter can be compiled for its
	 * link type when it is set; an error met here is kept for the first
	 * ws_src_next(), as if met there. */
	while (res == NG_RES_NONE) {
		res = ng_block(s, &pkt, true, s->primed_msg, sizeof(s->primed_msg));
		if (res == NG_RES_ERR)
			s->primed_err = true;
	}
	return 0;
}

enum ws_src_status ws_pcapng_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen)
{
	if (s->primed_err) {
		snprintf(err, errlen, "%s", s->primed_msg);
		return WS_SRC_ERR;
	}
	for (;;) {
		enum ng_res res = ng_block(s, pkt, false, err, errlen);

		switch (res) {
		case NG_RES_PKT:
			return WS_SRC_PKT;
		case NG_RES_EOF:
			return WS_SRC_EOF;
		case NG_RES_ERR:
			return WS_SRC_ERR;
		default:
			break;
		}
	}
}

int ws_pcapng_first_linktype(const struct ws_src *s)
{
	return s->if_cnt > 0 ? s->ifs[0].linktype : -1;
}
