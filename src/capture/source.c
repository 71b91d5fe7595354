/*
 * source.c - the capture source API (source.h): opening files and live
 * interfaces, BPF filters, and link-type names.
 *
 * Files are read by our own readers (pcapfile.c, pcapng.c over input.c), not
 * libpcap's: libpcap cannot read a pcapng file whose interfaces have different
 * link types, and we want to say exactly where a file is cut. libpcap is used
 * for live capture and for BPF: a file's filter is compiled per link type with
 * pcap_open_dead() + pcap_compile() and run with pcap_offline_filter().
 *
 * File type by magic (first 4 bytes, after gzip decompression):
 *   a1b2c3d4 / d4c3b2a1  pcap, microseconds (draft-ietf-opsawg-pcap 4)
 *   a1b23c4d / 4d3cb2a1  pcap, nanoseconds
 *   a1b2cd34 / 34cdb2a1  "modified" (Kuznetzov) pcap, microseconds
 *   0a0d0d0a             pcapng Section Header Block (draft-ietf-opsawg-pcapng 4.1)
 *
 * Error messages do not name the file: the caller does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/src_priv.h"
#include "core/rd.h"

/* Live capture: wake up every 100 ms so that ws_src_break() is seen soon
 * even on a quiet interface where pcap_breakloop() alone may not wake us. */
#define WS_LIVE_TIMEOUT_MS	100
#define WS_LIVE_SNAPLEN_DEFAULT	262144

static struct ws_src *src_new(void)
{
	struct ws_src *s = calloc(1, sizeof(*s));

	if (s)
		s->in.fd = -1;
	return s;
}

int ws_src_open_file(struct ws_src **out, const char *path, char *err, size_t errlen)
{
	struct ws_src *s;
	struct ws_rd r;
	uint32_t magic;
	int got;

	*out = NULL;
	s = src_new();
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ws_in_open(&s->in, path, err, errlen) < 0)
		goto fail;
	got = ws_in_need(&s->in, 4, err, errlen);
	if (got < 0)
		goto fail;
	if (got == 0) {
		if (ws_in_held(&s->in) == 0)
			snprintf(err, errlen, "empty file%s", s->in.gz ? " (after decompression)" : "");
		else
			snprintf(err, errlen, "not a pcap or pcapng file (only %zu bytes)", ws_in_held(&s->in));
		goto fail;
	}
	ws_rd_init(&r, ws_in_ptr(&s->in), 4);
	magic = ws_rd_le32(&r);
	switch (magic) {
	case 0xa1b2c3d4u:
	case 0xd4c3b2a1u:
	case 0xa1b23c4du:
	case 0x4d3cb2a1u:
	case 0xa1b2cd34u:
	case 0x34cdb2a1u:
		if (ws_pcap_open(s, err, errlen) < 0)
			goto fail;
		break;
	case 0x0a0d0d0au:
		if (ws_pcapng_open(s, err, errlen) < 0)
			goto fail;
		break;
	default:
		/* Shown as the bytes read, in file order. */
		ws_rd_init(&r, ws_in_ptr(&s->in), 4);
		snprintf(err, errlen, "not a pcap or pcapng file (magic 0x%08x)", ws_rd_be32(&r));
		goto fail;
	}
	*out = s;
	return 0;
fail:
	ws_src_close(s);
	return -1;
}

/* libpcap DLT values differ from LINKTYPE values for a few types (pcap-common.c
 * maps them when it reads files; pcap_open_dead() takes a DLT). */
static int linktype_to_dlt(int lt)
{
	switch (lt) {
	case WS_LINK_RAW:
	case WS_LINK_RAW_ALT12:
	case WS_LINK_RAW_ALT14:
		return DLT_RAW;
	case 100:
		return DLT_ATM_RFC1483;
	case 102:
		return DLT_SLIP_BSDOS;
	case 103:
		return DLT_PPP_BSDOS;
	default:
		return lt;
	}
}

/* The DLT libpcap gives a live handle, as a LINKTYPE value. */
static int dlt_to_linktype(int dlt)
{
	return dlt == DLT_RAW ? WS_LINK_RAW : dlt;
}

/* Compiles the file filter for one link type: 0, or -1 with the compiler's message. */
static int filter_compile(const char *expr, int linktype, struct bpf_program *prog,
			  char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(linktype_to_dlt(linktype), WS_SRC_FILTER_SNAPLEN);
	int rc = 0;

	if (!dead) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pcap_compile(dead, prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
		rc = -1;
	}
	pcap_close(dead);
	return rc;
}

static void filter_clear(struct ws_src *s)
{
	for (unsigned i = 0; i < s->prog_cnt; i++)
		pcap_freecode(&s->progs[i].prog);
	s->prog_cnt = 0;
	s->prog_next = 0;
	free(s->filter);
	s->filter = NULL;
}

/* Keeps a compiled program for a link type, replacing the oldest when full. */
static const struct bpf_program *filter_keep(struct ws_src *s, int linktype, const struct bpf_program *prog)
{
	struct ws_filter_prog *slot;

	if (s->prog_cnt < WS_SRC_FILTER_PROGS) {
		slot = &s->progs[s->prog_cnt++];
	} else {
		slot = &s->progs[s->prog_next];
		s->prog_next = (s->prog_next + 1) % WS_SRC_FILTER_PROGS;
		pcap_freecode(&slot->prog);
	}
	slot->linktype = linktype;
	slot->prog = *prog;
	return &slot->prog;
}

/* The program for a link type, compiled on first use; NULL with err set. */
static const struct bpf_program *filter_for(struct ws_src *s, int linktype, char *err, size_t errlen)
{
	struct bpf_program prog;
	char why[WS_ERRBUF_SIZE];

	for (unsigned i = 0; i < s->prog_cnt; i++) {
		if (s->progs[i].linktype == linktype)
			return &s->progs[i].prog;
	}
	if (filter_compile(s->filter, linktype, &prog, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "filter \"%s\" cannot be used on link type %d (%s): %s",
			 s->filter, linktype, ws_linktype_name(linktype), why);
		return NULL;
	}
	return filter_keep(s, linktype, &prog);
}

static int live_set_filter(struct ws_src *s, const char *bpf, char *err, size_t errlen)
{
	struct bpf_program prog;
	int rc = 0;

	if (pcap_compile(s->live, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(s->live));
		return -1;
	}
	if (pcap_setfilter(s->live, &prog) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(s->live));
		rc = -1;
	}
	pcap_freecode(&prog);
	return rc;
}

int ws_src_set_filter(struct ws_src *s, const char *bpf, char *err, size_t errlen)
{
	int lt;
	struct bpf_program prog;

	if (s->kind == WS_SRC_LIVE)
		return live_set_filter(s, bpf ? bpf : "", err, errlen);
	filter_clear(s);
	if (!bpf || !*bpf)
		return 0;
	s->filter = strdup(bpf);
	if (!s->filter) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Check the expression now, for the first link type known, so that
	 * a bad one is reported with the compiler's own words; with none known
	 * yet (a pcapng file without an IDB so far), for Ethernet, only to catch
	 * a syntax error at once. */
	lt = s->kind == WS_SRC_PCAPNG ? ws_pcapng_first_linktype(s) : s->pcap_if.linktype;
	if (filter_compile(bpf, lt >= 0 ? lt : WS_LINK_ETHERNET, &prog, err, errlen) < 0) {
		filter_clear(s);
		return -1;
	}
	if (lt >= 0)
		filter_keep(s, lt, &prog);
	else
		pcap_freecode(&prog);
	return 0;
}

int ws_src_open_live(struct ws_src **out, const char *iface, int snaplen, int promisc,
		     char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct ws_src *s;
	pcap_t *p;
	int rc;

	*out = NULL;
	ebuf[0] = '\0';
	p = pcap_create(iface, ebuf);
	if (!p) {
		snprintf(err, errlen, "cannot capture on %s: %s", iface, ebuf);
		return -1;
	}
	pcap_set_snaplen(p, snaplen > 0 ? snaplen : WS_LIVE_SNAPLEN_DEFAULT);
	pcap_set_promisc(p, promisc ? 1 : 0);
	pcap_set_timeout(p, WS_LIVE_TIMEOUT_MS);
	pcap_set_immediate_mode(p, 1);
	/* Nanoseconds where the platform has them; microseconds otherwise. */
	(void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(p);
	if (rc < 0) {
		const char *detail = pcap_geterr(p);

		snprintf(err, errlen, "cannot capture on %s: %s%s%s", iface, pcap_statustostr(rc),
			 detail && *detail ? ": " : "", detail ? detail : "");
		pcap_close(p);
		return -1;
	}
	s = src_new();
	if (!s) {
		pcap_close(p);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->kind = WS_SRC_LIVE;
	s->live = p;
	s->live_nsec = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	s->live_linktype = dlt_to_linktype(pcap_datalink(p));
	*out = s;
	return 0;
}

static enum ws_src_status live_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen)
{
	for (;;) {
		struct pcap_pkthdr *hdr;
		const u_char *data;
		int rc;

		if (s->brk)
			return WS_SRC_EOF;
		rc = pcap_next_ex(s->live, &hdr, &data);
		if (rc == 0)
			continue;	/* timeout: look at brk again */
		if (rc == PCAP_ERROR_BREAK)
			return WS_SRC_EOF;
		if (rc < 0) {
			snprintf(err, errlen, "capture failed: %s", pcap_geterr(s->live));
			return WS_SRC_ERR;
		}
		s->pkt_no++;
		pkt->ts_ns = (int64_t)((uint64_t)hdr->ts.tv_sec * 1000000000u +
				       (uint64_t)hdr->ts.tv_usec * (s->live_nsec ? 1u : 1000u));
		pkt->caplen = hdr->caplen;
		pkt->wirelen = hdr->len;
		pkt->linktype = s->live_linktype;
		pkt->ifindex = 0;
		pkt->data = data;
		return WS_SRC_PKT;
	}
}

/* Does the packet pass the file's filter? 1, 0, or -1 (err: cannot compile). */
static int filter_match(struct ws_src *s, const struct ws_raw_pkt *pkt, char *err, size_t errlen)
{
	const struct bpf_program *prog = filter_for(s, pkt->linktype, err, errlen);
	struct pcap_pkthdr hdr;
	int64_t sec;

	if (!prog)
		return -1;
	sec = pkt->ts_ns / 1000000000;
	hdr.ts.tv_sec = (time_t)sec;
	hdr.ts.tv_usec = (suseconds_t)((pkt->ts_ns - sec * 1000000000) / 1000);
	hdr.caplen = pkt->caplen;
	hdr.len = pkt->wirelen;
	return pcap_offline_filter(prog, &hdr, pkt->data) != 0;
}

enum ws_src_status ws_src_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen)
{
	if (s->kind == WS_SRC_LIVE)
		return live_next(s, pkt, err, errlen);
	for (;;) {
		enum ws_src_status st;
		int m;

		/* A break ends a file too (Ctrl-C on a long read). */
		if (s->brk)
			return WS_SRC_EOF;
		if (s->kind == WS_SRC_PCAPNG)
			st = ws_pcapng_next(s, pkt, err, errlen);
		else
			st = ws_pcap_next(s, pkt, err, errlen);
		if (st != WS_SRC_PKT || !s->filter)
			return st;
		m = filter_match(s, pkt, err, errlen);
		if (m < 0)
			return WS_SRC_ERR;
		if (m)
			return WS_SRC_PKT;
		s->filtered++;
	}
}

void ws_src_break(struct ws_src *s)
{
	s->brk = 1;
	if (s->live)
		pcap_breakloop(s->live);
}

const char *ws_src_format(const struct ws_src *s)
{
	switch (s->kind) {
	case WS_SRC_PCAP:
		return s->in.gz ? "pcap.gz" : "pcap";
	case WS_SRC_PCAP_NSEC:
		return s->in.gz ? "pcap-nsec.gz" : "pcap-nsec";
	case WS_SRC_PCAPNG:
		return s->in.gz ? "pcapng.gz" : "pcapng";
	case WS_SRC_LIVE:
	default:
		return "live";
	}
}

uint64_t ws_src_filtered(const struct ws_src *s)
{
	return s->filtered;
}

uint64_t ws_src_skipped(const struct ws_src *s)
{
	return s->skipped;
}

void ws_src_close(struct ws_src *s)
{
	if (!s)
		return;
	filter_clear(s);
	if (s->live)
		pcap_close(s->live);
	ws_in_close(&s->in);
	free(s->ifs);
	free(s);
}

const char *ws_linktype_name(int linktype)
{
	const char *name;

	switch (linktype) {
	case WS_LINK_NULL: return "BSD loopback";
	case WS_LINK_ETHERNET: return "Ethernet";
	case WS_LINK_RAW:
	case WS_LINK_RAW_ALT12:
	case WS_LINK_RAW_ALT14: return "Raw IP";
	case WS_LINK_LOOP: return "OpenBSD loopback";
	case WS_LINK_LINUX_SLL: return "Linux cooked (SLL)";
	case WS_LINK_IPV4: return "Raw IPv4";
	case WS_LINK_IPV6: return "Raw IPv6";
	case WS_LINK_LINUX_SLL2: return "Linux cooked v2 (SLL2)";
	default: break;
	}
	/* libpcap's descriptions (static strings) cover the rest of the registry. */
	name = pcap_datalink_val_to_description(linktype_to_dlt(linktype));
	return name ? name : "unknown link type";
}
