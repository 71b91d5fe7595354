/*
 * test_capture.c - unit tests of src/capture (source.h): the pcap and pcapng
 * readers, gzip input, truncation and corruption messages, BPF filters on
 * files, large records, stdin.
 *
 * Every capture is crafted here, byte by byte, and written to a mkdtemp()
 * directory that the group teardown removes; no binary file is committed.
 * Formats: draft-ietf-opsawg-pcap (file header 24 bytes, record header 16),
 * draft-ietf-opsawg-pcapng (SHB, IDB, EPB, SPB, PB, skipped blocks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/source.h"

struct tctx {
	char dir[64];
	int seq;
};

/* ---- byte builder ---- */

struct bb {
	uint8_t *p;
	size_t len, cap;
	bool be;
	size_t blk;		/* start of the open pcapng block */
};

static void bb_room(struct bb *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	while (b->len + n > b->cap)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->p = realloc(b->p, b->cap);
	assert_non_null(b->p);
}

static void put_bytes(struct bb *b, const void *src, size_t n)
{
	bb_room(b, n);
	if (n)
		memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void put8(struct bb *b, uint8_t v)
{
	put_bytes(b, &v, 1);
}

static void put16(struct bb *b, uint16_t v)
{
	uint8_t x[2];

	if (b->be) {
		x[0] = (uint8_t)(v >> 8);
		x[1] = (uint8_t)v;
	} else {
		x[0] = (uint8_t)v;
		x[1] = (uint8_t)(v >> 8);
	}
	put_bytes(b, x, 2);
}

static void put32(struct bb *b, uint32_t v)
{
	if (b->be) {
		put16(b, (uint16_t)(v >> 16));
		put16(b, (uint16_t)v);
	} else {
		put16(b, (uint16_t)v);
		put16(b, (uint16_t)(v >> 16));
	}
}

static void put64(struct bb *b, uint64_t v)
{
	if (b->be) {
		put32(b, (uint32_t)(v >> 32));
		put32(b, (uint32_t)v);
	} else {
		put32(b, (uint32_t)v);
		put32(b, (uint32_t)(v >> 32));
	}
}

static void put_pattern(struct bb *b, size_t n, uint32_t seed)
{
	bb_room(b, n);
	for (size_t i = 0; i < n; i++)
		b->p[b->len + i] = (uint8_t)((seed * 131u + i * 7u) ^ (i >> 8));
	b->len += n;
}

static bool is_pattern(const uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != (uint8_t)((seed * 131u + i * 7u) ^ (i >> 8)))
			return false;
	}
	return true;
}

static void bb_free(struct bb *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---- pcap ---- */

static void pcap_hdr(struct bb *b, bool nsec, uint32_t linkfield)
{
	put32(b, nsec ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(b, 2);
	put16(b, 4);
	put32(b, 0);
	put32(b, 0);
	put32(b, 262144);
	put32(b, linkfield);
}

static void pcap_rec(struct bb *b, uint32_t sec, uint32_t frac, const void *data, uint32_t caplen,
		     uint32_t wirelen)
{
	put32(b, sec);
	put32(b, frac);
	put32(b, caplen);
	put32(b, wirelen);
	put_bytes(b, data, caplen);
}

/* ---- pcapng ---- */

static void blk_begin(struct bb *b, uint32_t type)
{
	b->blk = b->len;
	put32(b, type);
	put32(b, 0);		/* patched by blk_end */
}

static void pad4(struct bb *b)
{
	while (b->len % 4)
		put8(b, 0);
}

static void blk_end(struct bb *b)
{
	uint32_t len;
	size_t save;

	pad4(b);
	len = (uint32_t)(b->len - b->blk + 4);
	put32(b, len);
	save = b->len;
	b->len = b->blk + 4;
	put32(b, len);
	b->len = save;
}

static void ng_shb(struct bb *b, bool be, int64_t section_len)
{
	b->be = be;
	blk_begin(b, 0x0A0D0D0Au);
	put32(b, 0x1A2B3C4Du);
	put16(b, 1);
	put16(b, 0);
	put64(b, (uint64_t)section_len);
	blk_end(b);
}

/* tsresol < 0: no option; tsoffset 0: no option. */
static void ng_idb(struct bb *b, uint16_t linktype, int tsresol, int64_t tsoffset)
{
	blk_begin(b, 1);
	put16(b, linktype);
	put16(b, 0);
	put32(b, 65535);
	if (tsresol >= 0) {
		put16(b, 9);
		put16(b, 1);
		put8(b, (uint8_t)tsresol);
		pad4(b);
	}
	if (tsoffset) {
		put16(b, 14);
		put16(b, 8);
		put64(b, (uint64_t)tsoffset);
	}
	put16(b, 0);
	put16(b, 0);
	blk_end(b);
}

static void ng_epb(struct bb *b, uint32_t ifid, uint64_t ts, const void *data, uint32_t caplen,
		   uint32_t wirelen)
{
	blk_begin(b, 6);
	put32(b, ifid);
	put32(b, (uint32_t)(ts >> 32));
	put32(b, (uint32_t)ts);
	put32(b, caplen);
	put32(b, wirelen);
	put_bytes(b, data, caplen);
	pad4(b);
	/* an option, to be skipped: opt_comment "hi" */
	put16(b, 1);
	put16(b, 2);
	put_bytes(b, "hi", 2);
	pad4(b);
	put16(b, 0);
	put16(b, 0);
	blk_end(b);
}

static void ng_spb(struct bb *b, uint32_t origlen, const void *data, uint32_t datalen)
{
	blk_begin(b, 3);
	put32(b, origlen);
	put_bytes(b, data, datalen);
	blk_end(b);
}

static void ng_pb(struct bb *b, uint16_t ifid, uint64_t ts, const void *data, uint32_t caplen)
{
	blk_begin(b, 2);
	put16(b, ifid);
	put16(b, 0);
	put32(b, (uint32_t)(ts >> 32));
	put32(b, (uint32_t)ts);
	put32(b, caplen);
	put32(b, caplen);
	put_bytes(b, data, caplen);
	blk_end(b);
}

static void ng_other(struct bb *b, uint32_t type, size_t body)
{
	blk_begin(b, type);
	put_pattern(b, body, type);
	blk_end(b);
}

/* ---- frames ---- */

/* Ethernet + IPv4 + TCP (proto 6) or UDP (17) with the given ports. */
static size_t eth_frame(uint8_t *f, uint8_t proto, uint16_t sport, uint16_t dport, bool with_eth)
{
	size_t o = 0;
	size_t l4 = proto == 6 ? 20 : 8;

	if (with_eth) {
		static const uint8_t mac[12] = { 0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10 };

		memcpy(f, mac, 12);
		f[12] = 0x08;
		f[13] = 0x00;
		o = 14;
	}
	memset(f + o, 0, 20 + l4);
	f[o] = 0x45;
	f[o + 2] = 0;
	f[o + 3] = (uint8_t)(20 + l4);
	f[o + 8] = 64;
	f[o + 9] = proto;
	f[o + 12] = 10;
	f[o + 15] = 1;
	f[o + 16] = 10;
	f[o + 19] = 2;
	o += 20;
	f[o] = (uint8_t)(sport >> 8);
	f[o + 1] = (uint8_t)sport;
	f[o + 2] = (uint8_t)(dport >> 8);
	f[o + 3] = (uint8_t)dport;
	if (proto == 6)
		f[o + 12] = 0x50;
	else
		f[o + 5] = 8;
	return o + l4;
}

/* ---- files ---- */

static char *write_file(struct tctx *t, const char *name, const void *data, size_t len)
{
	char *path = malloc(256);
	FILE *fp;

	assert_non_null(path);
	snprintf(path, 256, "%s/%d-%s", t->dir, t->seq++, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	if (len)
		assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static char *write_bb(struct tctx *t, const char *name, const struct bb *b)
{
	return write_file(t, name, b->p, b->len);
}

static struct ws_src *open_ok(const char *path)
{
	struct ws_src *s = NULL;
	char err[WS_ERRBUF_SIZE] = "";

	if (ws_src_open_file(&s, path, err, sizeof(err)) != 0)
		fail_msg("open %s: %s", path, err);
	assert_non_null(s);
	return s;
}

/* Reads everything: packets until EOF or ERR; returns the status. */
static enum ws_src_status drain(struct ws_src *s, unsigned *cnt, char *err, size_t errlen)
{
	struct ws_raw_pkt p;
	enum ws_src_status st;

	*cnt = 0;
	for (;;) {
		st = ws_src_next(s, &p, err, errlen);
		if (st != WS_SRC_PKT)
			return st;
		(*cnt)++;
	}
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	struct tctx *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	/* tmpfs when there is one: the cut/flip test writes thousands of files. */
	snprintf(t->dir, sizeof(t->dir), "%s/ws-capture-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(t->dir))
		return -1;
	*state = t;
	return 0;
}

static int group_teardown(void **state)
{
	struct tctx *t = *state;

	nftw(t->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

/* ---- tests ---- */

static void test_pcap_le_usec(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	uint8_t f[64], d[100];
	struct ws_raw_pkt p;
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	char *path;
	size_t n = eth_frame(f, 6, 1234, 80, true);

	memset(d, 0xab, sizeof(d));
	pcap_hdr(&b, false, 1);
	pcap_rec(&b, 1700000000u, 999999u, f, (uint32_t)n, (uint32_t)n);
	pcap_rec(&b, 1700000001u, 1u, d, 60, 1514);	/* snapped */
	pcap_rec(&b, 5u, 0u, d, 0, 0);			/* empty record */
	path = write_bb(t, "le.pcap", &b);
	s = open_ok(path);
	assert_string_equal(ws_src_format(s), "pcap");

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(1700000000999999000));
	assert_int_equal(p.caplen, n);
	assert_int_equal(p.wirelen, n);
	assert_int_equal(p.linktype, WS_LINK_ETHERNET);
	assert_int_equal(p.ifindex, 0);
	assert_memory_equal(p.data, f, n);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(1700000001000001000));
	assert_int_equal(p.caplen, 60);
	assert_int_equal(p.wirelen, 1514);
	assert_int_equal(p.data[59], 0xab);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(5000000000));
	assert_int_equal(p.caplen, 0);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	assert_int_equal(ws_src_skipped(s), 0);
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void test_pcap_be_nsec(void **state)
{
	struct tctx *t = *state;
	struct bb b = { .be = true };
	uint8_t d[40];
	struct ws_raw_pkt p;
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	char *path;

	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	/* Raw IP, with the FCS bits set: P (bit 26) and FCS len 2 (bits 28-31),
	 * which must not leak into the link type. */
	pcap_hdr(&b, true, 0x24000000u | WS_LINK_RAW);
	pcap_rec(&b, 1700000000u, 123456789u, d, 40, 40);
	pcap_rec(&b, 0x7fffffffu, 999999999u, d, 20, 10);	/* caplen > wirelen kept */
	path = write_bb(t, "be.pcap", &b);
	/* The magic is written big-endian: bytes a1 b2 3c 4d. */
	assert_int_equal(b.p[0], 0xa1);
	s = open_ok(path);
	assert_string_equal(ws_src_format(s), "pcap-nsec");
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(1700000000123456789));
	assert_int_equal(p.linktype, WS_LINK_RAW);
	assert_int_equal(p.caplen, 40);
	assert_memory_equal(p.data, d, 40);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(2147483647999999999));
	assert_int_equal(p.caplen, 20);
	assert_int_equal(p.wirelen, 10);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

/* Modified (Kuznetzov) pcap: 24-byte record headers. */
static void test_pcap_modified(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	uint8_t d[50];
	struct ws_raw_pkt p;
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	char *path;

	memset(d, 0x33, sizeof(d));
	pcap_hdr(&b, false, 1);
	b.len = 0;
	put32(&b, 0xa1b2cd34u);
	b.len = 24;
	for (uint32_t i = 1; i <= 2; i++) {
		put32(&b, i);
		put32(&b, 500000);
		put32(&b, 50);
		put32(&b, 60);
		put32(&b, 2);		/* ifindex */
		put16(&b, 0x0800);	/* protocol */
		put8(&b, 0);		/* packet type */
		put8(&b, 0);
		put_bytes(&b, d, 50);
	}
	path = write_bb(t, "kuz.pcap", &b);
	s = open_ok(path);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(1500000000));
	assert_int_equal(p.caplen, 50);
	assert_int_equal(p.wirelen, 60);
	assert_int_equal(p.data[0], 0x33);
	assert_int_equal(p.data[49], 0x33);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(2500000000));
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void build_pcapng_two_sections(struct bb *b)
{
	uint8_t eth[64], ip[64], big[64];
	size_t ne = eth_frame(eth, 6, 1000, 80, true);
	size_t ni = eth_frame(ip, 17, 53, 5353, false);

	memset(big, 0x5a, sizeof(big));
	/* Section 1, little-endian. */
	ng_shb(b, false, -1);
	ng_idb(b, WS_LINK_ETHERNET, -1, 0);		/* if 0: default usec */
	ng_other(b, 4, 16);				/* NRB: skipped */
	ng_idb(b, WS_LINK_IPV4, 9, 10);		/* if 1: ns, +10 s */
	ng_epb(b, 0, UINT64_C(1700000000123456), eth, (uint32_t)ne, (uint32_t)ne);
	ng_epb(b, 1, UINT64_C(1700000000123456789), ip, (uint32_t)ni, (uint32_t)ni);
	ng_other(b, 5, 24);				/* ISB: skipped */
	ng_other(b, 0x0BADu, 8);			/* custom: skipped */
	ng_other(b, 0x12345678u, 4);			/* unknown: skipped */
	ng_spb(b, 100, big, 60);			/* origlen > data: caplen 60 */
	ng_spb(b, 10, big, 12);				/* origlen < data: caplen 10 */
	ng_epb(b, 7, 1, eth, (uint32_t)ne, (uint32_t)ne);	/* no interface 7: skipped */
	/* Section 2, big-endian: interfaces start again. */
	ng_shb(b, true, -1);
	ng_idb(b, WS_LINK_RAW, 0x8a, 0);		/* if 0: 2^-10 s */
	ng_epb(b, 1, 1, ip, (uint32_t)ni, (uint32_t)ni);	/* if 1 gone: skipped */
	ng_epb(b, 0, (UINT64_C(5) << 10) | 512, ip, (uint32_t)ni, (uint32_t)ni);
	ng_pb(b, 0, UINT64_C(3) << 10, ip, (uint32_t)ni);	/* obsolete PB */
}

static void test_pcapng_sections(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	struct ws_raw_pkt p;
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	char *path;

	build_pcapng_two_sections(&b);
	path = write_bb(t, "two.pcapng", &b);
	s = open_ok(path);
	assert_string_equal(ws_src_format(s), "pcapng");

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.linktype, WS_LINK_ETHERNET);
	assert_int_equal(p.ifindex, 0);
	assert_true(p.ts_ns == INT64_C(1700000000123456000));
	assert_int_equal(p.data[12], 0x08);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.linktype, WS_LINK_IPV4);
	assert_int_equal(p.ifindex, 1);
	assert_true(p.ts_ns == INT64_C(1700000010123456789));	/* +10 s offset */
	assert_int_equal(p.data[0], 0x45);
	assert_int_equal(p.caplen, 28);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.linktype, WS_LINK_ETHERNET);	/* SPB: interface 0 */
	assert_int_equal(p.caplen, 60);
	assert_int_equal(p.wirelen, 100);
	assert_int_equal(p.data[0], 0x5a);
	assert_true(p.ts_ns == INT64_C(1700000010123456789));	/* last time seen */

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.caplen, 10);
	assert_int_equal(p.wirelen, 10);
	assert_int_equal(ws_src_skipped(s), 0);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(ws_src_skipped(s), 2);	/* EPB on if 7, EPB on if 1 of section 2 */
	assert_int_equal(p.linktype, WS_LINK_RAW);
	assert_int_equal(p.ifindex, 0);
	assert_true(p.ts_ns == INT64_C(5500000000));
	assert_int_equal(p.data[0], 0x45);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(3000000000));
	assert_int_equal(p.caplen, 28);

	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	assert_int_equal(ws_src_skipped(s), 2);
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void test_gzip(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	char path[256], err[WS_ERRBUF_SIZE];
	struct ws_raw_pkt p;
	struct ws_src *s;
	gzFile gz;
	unsigned cnt;
	size_t half;

	/* 3000 packets of varying size: the decompressed stream crosses the
	 * read buffer many times; written as two gzip members (gzip(1) reads
	 * concatenated members as one file). */
	pcap_hdr(&b, false, 1);
	for (uint32_t i = 0; i < 3000; i++) {
		uint32_t len = 60 + (i * 37u) % 1400u;

		put32(&b, i);
		put32(&b, 0);
		put32(&b, len);
		put32(&b, len);
		put_pattern(&b, len, i);
	}
	snprintf(path, sizeof(path), "%s/%d-cap.pcap.gz", t->dir, t->seq++);
	half = b.len / 2 + 3;		/* a member boundary inside a record */
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, b.p, (unsigned)half), (int)half);
	assert_int_equal(gzclose(gz), Z_OK);
	gz = gzopen(path, "ab");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, b.p + half, (unsigned)(b.len - half)), (int)(b.len - half));
	assert_int_equal(gzclose(gz), Z_OK);

	s = open_ok(path);
	assert_string_equal(ws_src_format(s), "pcap.gz");
	for (uint32_t i = 0; i < 3000; i++) {
		uint32_t len = 60 + (i * 37u) % 1400u;

		assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
		assert_int_equal(p.caplen, len);
		assert_true(p.ts_ns == (int64_t)i * 1000000000);
		assert_true(is_pattern(p.data, len, i));
	}
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	ws_src_close(s);

	/* The compressed file cut in half: the packets before, then an error
	 * naming the packet and saying the compressed data was cut. */
	{
		FILE *fp = fopen(path, "rb");
		uint8_t *z = malloc(4u << 20);
		size_t zl;
		char *cut;

		assert_non_null(fp);
		assert_non_null(z);
		zl = fread(z, 1, 4u << 20, fp);
		fclose(fp);
		cut = write_file(t, "cut.pcap.gz", z, zl / 4);
		s = open_ok(cut);
		assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_ERR);
		assert_true(cnt > 0 && cnt < 3000);
		assert_non_null(strstr(err, "capture file ends in the middle of"));
		assert_non_null(strstr(err, "compressed data cut short"));
		ws_src_close(s);
		free(cut);
		free(z);
	}
	bb_free(&b);
}

static void test_truncated_header(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	uint8_t d[64] = { 0 };
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	unsigned cnt;
	char *path;

	pcap_hdr(&b, false, 1);
	pcap_rec(&b, 1, 0, d, 64, 64);
	pcap_rec(&b, 2, 0, d, 64, 64);
	put32(&b, 3);
	put8(&b, 0);		/* 5 bytes of the third record header */
	path = write_bb(t, "cuthdr.pcap", &b);
	s = open_ok(path);
	assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 2);
	assert_non_null(strstr(err, "packet 3"));
	assert_non_null(strstr(err, "5 of 16 bytes"));
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void test_truncated_body(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	uint8_t d[1514];
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	unsigned cnt;
	char *path;

	memset(d, 1, sizeof(d));
	pcap_hdr(&b, false, 1);
	for (int i = 0; i < 1233; i++)
		pcap_rec(&b, (uint32_t)i, 0, d, 60, 60);
	put32(&b, 9);
	put32(&b, 0);
	put32(&b, 1514);
	put32(&b, 1514);
	put_bytes(&b, d, 200);
	path = write_bb(t, "cutbody.pcap", &b);
	s = open_ok(path);
	assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 1233);
	assert_string_equal(err,
		"capture file ends in the middle of packet 1234: record says 1514 bytes, only 200 present");
	ws_src_close(s);
	free(path);

	/* A caplen past WS_SRC_RECORD_MAX is a corrupt file, not a huge read. */
	b.len = 24;
	pcap_rec(&b, 1, 0, d, 10, 10);
	put32(&b, 1);
	put32(&b, 0);
	put32(&b, 0x7fffffffu);
	put32(&b, 60);
	path = write_bb(t, "hugecap.pcap", &b);
	s = open_ok(path);
	assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 1);
	assert_non_null(strstr(err, "corrupt"));
	assert_non_null(strstr(err, "packet 2"));
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void test_not_capture_and_empty(void **state)
{
	struct tctx *t = *state;
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s = (struct ws_src *)&err;
	char *path;
	static const uint8_t shorthdr[10] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };

	path = write_file(t, "text.pcap", "hello world\n", 12);
	assert_int_equal(ws_src_open_file(&s, path, err, sizeof(err)), -1);
	assert_null(s);
	assert_string_equal(err, "not a pcap or pcapng file (magic 0x68656c6c)");
	free(path);

	path = write_file(t, "empty.pcap", "", 0);
	assert_int_equal(ws_src_open_file(&s, path, err, sizeof(err)), -1);
	assert_string_equal(err, "empty file");
	free(path);

	path = write_file(t, "two.pcap", "\xa1\xb2", 2);
	assert_int_equal(ws_src_open_file(&s, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a pcap or pcapng file"));
	free(path);

	path = write_file(t, "shorthdr.pcap", shorthdr, sizeof(shorthdr));
	assert_int_equal(ws_src_open_file(&s, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pcap file header (10 of 24 bytes)"));
	free(path);

	assert_int_equal(ws_src_open_file(&s, "/nonexistent/x.pcap", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open"));

	/* gzip of text: also not a capture. */
	{
		char gzpath[256];
		gzFile gz;

		snprintf(gzpath, sizeof(gzpath), "%s/%d-text.gz", t->dir, t->seq++);
		gz = gzopen(gzpath, "wb");
		assert_non_null(gz);
		gzputs(gz, "GET / HTTP/1.0\r\n");
		gzclose(gz);
		assert_int_equal(ws_src_open_file(&s, gzpath, err, sizeof(err)), -1);
		assert_string_equal(err, "not a pcap or pcapng file (magic 0x47455420)");
	}
}

/* A pcapng file: SHB, IDB, one good EPB, then a block built by bad(). */
static enum ws_src_status ng_with_bad_block(struct tctx *t, void (*bad)(struct bb *), unsigned *cnt,
					    char *err, size_t errlen)
{
	struct bb b = { 0 };
	uint8_t d[60] = { 0 };
	struct ws_src *s;
	enum ws_src_status st;
	char *path;

	ng_shb(&b, false, -1);
	ng_idb(&b, WS_LINK_ETHERNET, -1, 0);
	ng_epb(&b, 0, 1, d, 60, 60);
	bad(&b);
	ng_epb(&b, 0, 2, d, 60, 60);
	path = write_bb(t, "bad.pcapng", &b);
	s = open_ok(path);
	st = drain(s, cnt, err, errlen);
	ws_src_close(s);
	free(path);
	bb_free(&b);
	return st;
}

static void bad_len_odd(struct bb *b)
{
	put32(b, 6);
	put32(b, 45);
	put_pattern(b, 36, 1);
}

static void bad_len_small(struct bb *b)
{
	put32(b, 6);
	put32(b, 8);
	put32(b, 8);
}

static void bad_len_trailer(struct bb *b)
{
	put32(b, 4);
	put32(b, 16);
	put32(b, 0);
	put32(b, 20);
}

static void bad_len_cut(struct bb *b)
{
	put32(b, 6);
	put32(b, 1000);
	put_pattern(b, 100, 1);
}

/* Skippable: an EPB whose caplen passes its block, and an IDB too short. */
static void bad_caplen(struct bb *b)
{
	put32(b, 6);
	put32(b, 40);
	put32(b, 0);		/* if */
	put32(b, 0);
	put32(b, 0);
	put32(b, 1000);		/* caplen, far past the block */
	put32(b, 1000);
	put32(b, 0);		/* 8 bytes of data, not 1000 */
	put32(b, 0);
	put32(b, 40);
	put32(b, 1);		/* IDB with a 4-byte body */
	put32(b, 16);
	put32(b, 0);
	put32(b, 16);
}

static void test_pcapng_bad_lengths(void **state)
{
	struct tctx *t = *state;
	char err[WS_ERRBUF_SIZE];
	unsigned cnt;

	assert_int_equal(ng_with_bad_block(t, bad_len_odd, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 1);
	assert_non_null(strstr(err, "length 45, not a multiple of 4"));

	assert_int_equal(ng_with_bad_block(t, bad_len_small, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 1);
	assert_non_null(strstr(err, "length 8, too small"));

	assert_int_equal(ng_with_bad_block(t, bad_len_trailer, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 1);
	assert_non_null(strstr(err, "trailing length 20"));

	assert_int_equal(ng_with_bad_block(t, bad_len_cut, &cnt, err, sizeof(err)), WS_SRC_ERR);
	assert_int_equal(cnt, 1);
	/* Present: the 108 bytes written for it plus the 104-byte EPB after. */
	assert_string_equal(err, "capture file ends in the middle of packet 2: block says 1000 bytes, only 212 present");

	/* Skippable ones: the file goes on (2 packets), one packet skipped. */
	{
		struct bb b = { 0 };
		uint8_t d[60] = { 0 };
		struct ws_src *s;
		char *path;

		ng_shb(&b, false, -1);
		ng_idb(&b, WS_LINK_ETHERNET, -1, 0);
		ng_epb(&b, 0, 1, d, 60, 60);
		bad_caplen(&b);
		ng_epb(&b, 0, 2, d, 60, 60);
		path = write_bb(t, "skip.pcapng", &b);
		s = open_ok(path);
		assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_EOF);
		assert_int_equal(cnt, 2);
		assert_int_equal(ws_src_skipped(s), 2);	/* the EPB and the IDB */
		ws_src_close(s);
		free(path);
		bb_free(&b);
	}

	/* A bad block before the first packet (met when reading ahead at open):
	 * open succeeds, the first read reports it. */
	{
		struct bb b = { 0 };
		struct ws_src *s;
		char *path;

		ng_shb(&b, false, -1);
		bad_len_odd(&b);
		path = write_bb(t, "early.pcapng", &b);
		s = open_ok(path);
		assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_ERR);
		assert_int_equal(cnt, 0);
		assert_non_null(strstr(err, "not a multiple of 4"));
		ws_src_close(s);
		free(path);
		bb_free(&b);
	}

	/* An SHB whose byte-order magic is wrong: open fails. */
	{
		struct bb b = { 0 };
		struct ws_src *s;
		char *path;

		ng_shb(&b, false, -1);
		b.p[8] = 0x11;
		path = write_bb(t, "bom.pcapng", &b);
		assert_int_equal(ws_src_open_file(&s, path, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "byte-order magic"));
		free(path);
		bb_free(&b);
	}
}

/* Ethernet pcap: TCP 80, TCP 22, UDP 53, TCP 80 (other direction). */
static char *filter_pcap(struct tctx *t)
{
	struct bb b = { 0 };
	uint8_t f[128];
	size_t n;
	char *path;

	pcap_hdr(&b, false, 1);
	n = eth_frame(f, 6, 40000, 80, true);
	pcap_rec(&b, 1, 0, f, (uint32_t)n, (uint32_t)n);
	n = eth_frame(f, 6, 40001, 22, true);
	pcap_rec(&b, 2, 0, f, (uint32_t)n, (uint32_t)n);
	n = eth_frame(f, 17, 5353, 53, true);
	pcap_rec(&b, 3, 0, f, (uint32_t)n, (uint32_t)n);
	n = eth_frame(f, 6, 80, 40000, true);
	pcap_rec(&b, 4, 0, f, (uint32_t)n, (uint32_t)n);
	path = write_bb(t, "filter.pcap", &b);
	bb_free(&b);
	return path;
}

static void test_filter(void **state)
{
	struct tctx *t = *state;
	char err[WS_ERRBUF_SIZE];
	struct ws_raw_pkt p;
	struct ws_src *s;
	char *path = filter_pcap(t);

	s = open_ok(path);
	assert_int_equal(ws_src_set_filter(s, "tcp port 80", err, sizeof(err)), 0);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(1000000000));
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(4000000000));
	assert_int_equal(ws_src_filtered(s), 2);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	ws_src_close(s);

	s = open_ok(path);
	assert_int_equal(ws_src_set_filter(s, "udp", err, sizeof(err)), 0);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_true(p.ts_ns == INT64_C(3000000000));
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	assert_int_equal(ws_src_filtered(s), 3);
	/* A bad expression: -1 with the compiler's message. */
	err[0] = '\0';
	assert_int_equal(ws_src_set_filter(s, "tcp port", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "syntax error"));
	ws_src_close(s);
	free(path);
}

static void test_filter_pcapng_mixed(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	uint8_t f[128];
	char err[WS_ERRBUF_SIZE];
	struct ws_raw_pkt p;
	struct ws_src *s;
	size_t n;
	char *path;

	ng_shb(&b, false, -1);
	ng_idb(&b, WS_LINK_ETHERNET, -1, 0);
	ng_idb(&b, WS_LINK_IPV4, -1, 0);
	ng_idb(&b, 147, -1, 0);			/* LINKTYPE_USER0: no "tcp" there */
	n = eth_frame(f, 6, 1, 80, true);
	ng_epb(&b, 0, 1, f, (uint32_t)n, (uint32_t)n);
	n = eth_frame(f, 6, 1, 22, true);
	ng_epb(&b, 0, 2, f, (uint32_t)n, (uint32_t)n);
	n = eth_frame(f, 6, 1, 80, false);
	ng_epb(&b, 1, 3, f, (uint32_t)n, (uint32_t)n);
	n = eth_frame(f, 6, 1, 23, false);
	ng_epb(&b, 1, 4, f, (uint32_t)n, (uint32_t)n);
	ng_epb(&b, 2, 5, f, (uint32_t)n, (uint32_t)n);
	path = write_bb(t, "mixed.pcapng", &b);

	s = open_ok(path);
	assert_int_equal(ws_src_set_filter(s, "tcp port 80", err, sizeof(err)), 0);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.linktype, WS_LINK_ETHERNET);
	assert_true(p.ts_ns == 1000);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.linktype, WS_LINK_IPV4);
	assert_true(p.ts_ns == 3000);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_ERR);
	assert_non_null(strstr(err, "cannot be used on link type 147"));
	assert_int_equal(ws_src_filtered(s), 2);
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void test_big_record(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	uint8_t small[60];
	char err[WS_ERRBUF_SIZE];
	struct ws_raw_pkt p;
	struct ws_src *s;
	char *path;
	const uint32_t big = 3u << 20;		/* three times the initial buffer */

	memset(small, 7, sizeof(small));
	pcap_hdr(&b, false, 1);
	pcap_rec(&b, 1, 0, small, 60, 60);
	put32(&b, 2);
	put32(&b, 0);
	put32(&b, 200000);			/* a 200 KB record */
	put32(&b, 200000);
	put_pattern(&b, 200000, 2);
	put32(&b, 3);
	put32(&b, 0);
	put32(&b, big);
	put32(&b, big);
	put_pattern(&b, big, 3);
	pcap_rec(&b, 4, 0, small, 60, 60);
	path = write_bb(t, "big.pcap", &b);
	s = open_ok(path);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.caplen, 60);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.caplen, 200000);
	assert_true(is_pattern(p.data, 200000, 2));
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.caplen, big);
	assert_true(is_pattern(p.data, big, 3));
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_PKT);
	assert_int_equal(p.caplen, 60);
	assert_int_equal(p.data[59], 7);
	assert_int_equal(ws_src_next(s, &p, err, sizeof(err)), WS_SRC_EOF);
	ws_src_close(s);
	free(path);
	bb_free(&b);
}

static void test_stdin(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	char err[WS_ERRBUF_SIZE];
	struct ws_src *s;
	unsigned cnt;
	char *path;
	int fd, saved;

	build_pcapng_two_sections(&b);
	path = write_bb(t, "stdin.pcapng", &b);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	s = open_ok("-");
	assert_int_equal(drain(s, &cnt, err, sizeof(err)), WS_SRC_EOF);
	assert_int_equal(cnt, 6);
	ws_src_close(s);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	free(path);
	bb_free(&b);
}

/* Every cut of a valid file, and bytes flipped: never a crash; a cut file
 * yields a prefix of the packets and then EOF (cut on a boundary) or ERR. */
static void test_cuts_and_flips(void **state)
{
	struct tctx *t = *state;
	struct bb b = { 0 };
	char err[WS_ERRBUF_SIZE];
	char path[256];
	uint32_t seed = 12345;

	build_pcapng_two_sections(&b);
	snprintf(path, sizeof(path), "%s/cuts.pcapng", t->dir);
	for (size_t cut = 0; cut < b.len; cut++) {
		FILE *fp = fopen(path, "wb");
		struct ws_src *s;
		unsigned cnt;

		assert_non_null(fp);
		fwrite(b.p, 1, cut, fp);
		fclose(fp);
		if (ws_src_open_file(&s, path, err, sizeof(err)) != 0)
			continue;
		drain(s, &cnt, err, sizeof(err));
		assert_true(cnt <= 6);
		ws_src_close(s);
	}
	for (int round = 0; round < 2000; round++) {
		uint8_t *copy = malloc(b.len);
		FILE *fp = fopen(path, "wb");
		struct ws_src *s;
		unsigned cnt;

		assert_non_null(copy);
		assert_non_null(fp);
		memcpy(copy, b.p, b.len);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % b.len] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		fwrite(copy, 1, b.len, fp);
		fclose(fp);
		free(copy);
		if (ws_src_open_file(&s, path, err, sizeof(err)) != 0)
			continue;
		if (round % 2)
			ws_src_set_filter(s, "tcp or udp", err, sizeof(err));
		drain(s, &cnt, err, sizeof(err));
		ws_src_close(s);
	}
	bb_free(&b);
}

static void test_linktype_names(void **state)
{
	(void)state;
	assert_string_equal(ws_linktype_name(WS_LINK_ETHERNET), "Ethernet");
	assert_string_equal(ws_linktype_name(WS_LINK_LINUX_SLL), "Linux cooked (SLL)");
	assert_string_equal(ws_linktype_name(WS_LINK_RAW), "Raw IP");
	assert_string_equal(ws_linktype_name(WS_LINK_RAW_ALT12), "Raw IP");
	assert_string_equal(ws_linktype_name(WS_LINK_NULL), "BSD loopback");
	assert_string_equal(ws_linktype_name(WS_LINK_LINUX_SLL2), "Linux cooked v2 (SLL2)");
	assert_non_null(ws_linktype_name(105));			/* 802.11: libpcap's name */
	assert_string_equal(ws_linktype_name(60000), "unknown link type");
}

static void test_live_bad_iface(void **state)
{
	char err[WS_ERRBUF_SIZE] = "";
	struct ws_src *s = (struct ws_src *)&err;

	(void)state;
	assert_int_equal(ws_src_open_live(&s, "ws-no-such-if0", 0, 0, err, sizeof(err)), -1);
	assert_null(s);
	assert_non_null(strstr(err, "ws-no-such-if0"));
}

/* Sends one UDP datagram to 127.0.0.1:45678, then breaks the source. */
static void *live_poke(void *arg)
{
	struct ws_src *s = arg;
	struct sockaddr_in to;
	struct timespec nap = { 0, 200 * 1000 * 1000 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(45678);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	nanosleep(&nap, NULL);
	if (fd >= 0) {
		sendto(fd, "wiresift", 8, 0, (const struct sockaddr *)&to, sizeof(to));
		close(fd);
	}
	nanosleep(&nap, NULL);
	ws_src_break(s);
	return NULL;
}

/* Live on the loopback (needs capture rights; skipped without them): a filter
 * keeps our datagram, and ws_src_break() from another thread ends the read. */
static void test_live_loopback(void **state)
{
	char err[WS_ERRBUF_SIZE];
	struct ws_raw_pkt p;
	struct ws_src *s;
	pthread_t th;
	enum ws_src_status st;
	unsigned seen = 0;
	time_t start = time(NULL);

	(void)state;
	if (ws_src_open_live(&s, "lo", 0, 0, err, sizeof(err)) != 0) {
		print_message("live capture on lo not possible (%s): skipped\n", err);
		skip();
		return;
	}
	assert_string_equal(ws_src_format(s), "live");
	assert_int_equal(ws_src_set_filter(s, "udp port 45678", err, sizeof(err)), 0);
	assert_int_equal(ws_src_set_filter(s, "udp port", err, sizeof(err)), -1);
	assert_int_equal(pthread_create(&th, NULL, live_poke, s), 0);
	for (;;) {
		st = ws_src_next(s, &p, err, sizeof(err));
		if (st != WS_SRC_PKT)
			break;
		assert_true(p.caplen >= 8);
		assert_memory_equal(p.data + p.caplen - 8, "wiresift", 8);
		assert_true(p.ts_ns > INT64_C(1500000000) * 1000000000);
		seen++;
	}
	pthread_join(th, NULL);
	assert_int_equal(st, WS_SRC_EOF);
	assert_true(seen >= 1);
	assert_true(time(NULL) - start < 10);
	ws_src_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_le_usec),
		cmocka_unit_test(test_pcap_be_nsec),
		cmocka_unit_test(test_pcap_modified),
		cmocka_unit_test(test_pcapng_sections),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_truncated_body),
		cmocka_unit_test(test_not_capture_and_empty),
		cmocka_unit_test(test_pcapng_bad_lengths),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_pcapng_mixed),
		cmocka_unit_test(test_big_record),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_cuts_and_flips),
		cmocka_unit_test(test_linktype_names),
		cmocka_unit_test(test_live_bad_iface),
		cmocka_unit_test(test_live_loopback),
	};

	return cmocka_run_group_tests_name("capture", tests, group_setup, group_teardown);
}
