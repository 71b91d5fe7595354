/*
 * test_reasm.c - TCP reassembly (src/reasm/reasm.c): in order, out of order,
 * retransmissions, overlaps (first bytes win), gaps by cap, by ACK, at flush
 * and by snaplen cut, sequence wrap-around, mid-stream pickup, and the split
 * test: one stream fed whole, byte by byte and in random order must deliver
 * the same bytes (Suricata's fuzz_tcpsplit idea).
 *
 * Steps are tables: each feeds one segment (relative to an ISN) and states
 * what the direction's delivered output must be afterwards; a gap shows in
 * the output as one '_' per missing byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/limits.h"
#include "reasm/reasm.h"

#define OUT_MAX (1024u * 1024u)

struct rec {
	uint8_t *out[2];
	size_t n[2];
	uint32_t gap_cnt[2];
	uint64_t gap_len[2];
	uint32_t data_cnt[2];
	int null_pkt_calls;
	int gap_marks;		/* write '_' for each gap byte (when small) */
};

static void rec_data(void *user, enum ws_dir dir, const uint8_t *data, size_t len, const struct ws_packet *pkt)
{
	struct rec *r = user;

	assert_true(len > 0);
	assert_true(r->n[dir] + len <= OUT_MAX);
	memcpy(r->out[dir] + r->n[dir], data, len);
	r->n[dir] += len;
	r->data_cnt[dir]++;
	if (!pkt)
		r->null_pkt_calls++;
}

static void rec_gap(void *user, enum ws_dir dir, uint32_t len, const struct ws_packet *pkt)
{
	struct rec *r = user;

	assert_true(len > 0);
	r->gap_cnt[dir]++;
	r->gap_len[dir] += len;
	if (!pkt)
		r->null_pkt_calls++;
	if (r->gap_marks && r->n[dir] + len <= OUT_MAX) {
		memset(r->out[dir] + r->n[dir], '_', len);
		r->n[dir] += len;
	}
}

static const struct ws_reasm_cb cb = { .data = rec_data, .gap = rec_gap };

static struct rec *rec_new(void)
{
	struct rec *r = calloc(1, sizeof(*r));
	r->out[0] = malloc(OUT_MAX);
	r->out[1] = malloc(OUT_MAX);
	r->gap_marks = 1;
	return r;
}

static void rec_free(struct rec *r)
{
	free(r->out[0]);
	free(r->out[1]);
	free(r);
}

static void seg(struct ws_reasm *ra, struct rec *rc, enum ws_dir dir, uint32_t seq, uint8_t flags,
		uint32_t ack, const void *data, uint32_t len, uint32_t wire)
{
	struct ws_packet p;

	memset(&p, 0, sizeof(p));
	p.ip_ver = 4;
	p.ip_proto = 6;
	p.l4_ok = 1;
	p.tcp.seq = seq;
	p.tcp.ack = ack;
	p.tcp.flags = flags;
	p.payload = data;
	p.payload_len = len;
	p.payload_wire_len = wire;
	ws_reasm_segment(ra, dir, &p, &cb, rc);
}

static void assert_out(const struct rec *r, enum ws_dir dir, const char *want)
{
	size_t n = strlen(want);

	if (r->n[dir] != n || memcmp(r->out[dir], want, n) != 0) {
		print_error("dir %d: got \"%.*s\" (%zu), want \"%s\" (%zu)\n", (int)dir, (int)r->n[dir],
			    (const char *)r->out[dir], r->n[dir], want, n);
		fail();
	}
}

static struct ws_reasm_stats stats_of(const struct ws_reasm *ra)
{
	struct ws_reasm_stats s;

	memset(&s, 0, sizeof(s));
	ws_reasm_stats_add(ra, &s);
	return s;
}

/* ---- table-driven overlap tests ---- */

struct step {
	uint32_t rel;		/* seq relative to ISN+1 (the first data byte) */
	const char *data;
	const char *want;	/* delivered output after this step */
};

#define STEP(rel, data, want) { rel, data, want }
#define END_STEPS { 0, NULL, NULL }

/* Runs the steps after a SYN at isn, then checks the output after a flush. */
static struct ws_reasm_stats run_steps(uint32_t isn, const struct step *st, const char *after_flush)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_SERVER, isn, WS_TH_SYN, 0, NULL, 0, 0);
	for (size_t i = 0; st[i].data; i++) {
		uint32_t len = (uint32_t)strlen(st[i].data);
		seg(ra, rc, WS_DIR_TO_SERVER, isn + 1 + st[i].rel, WS_TH_ACK, 0, st[i].data, len, len);
		assert_out(rc, WS_DIR_TO_SERVER, st[i].want);
	}
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_SERVER, after_flush);
	assert_int_equal(ws_reasm_held(ra), 0);
	struct ws_reasm_stats s = stats_of(ra);
	ws_reasm_free(ra);
	rec_free(rc);
	return s;
}

static void test_in_order(void **state)
{
	static const struct step st[] = {
		STEP(0, "AAAA", "AAAA"),
		STEP(4, "BBBB", "AAAABBBB"),
		STEP(8, "CC", "AAAABBBBCC"),
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(1000, st, "AAAABBBBCC");
	assert_int_equal(s.segments, 4);
	assert_int_equal(s.retransmissions, 0);
	assert_int_equal(s.overlaps, 0);
	assert_int_equal(s.gaps, 0);
}

static void test_out_of_order(void **state)
{
	static const struct step st[] = {
		STEP(8, "CCCC", ""),
		STEP(4, "BBBB", ""),
		STEP(0, "AAAA", "AAAABBBBCCCC"),
		STEP(16, "EEEE", "AAAABBBBCCCC"),
		STEP(12, "DDDD", "AAAABBBBCCCCDDDDEEEE"),
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(5, st, "AAAABBBBCCCCDDDDEEEE");
	assert_int_equal(s.gaps, 0);
	assert_int_equal(s.retransmissions, 0);
}

static void test_retransmission(void **state)
{
	static const struct step st[] = {
		STEP(0, "AAAA", "AAAA"),
		STEP(0, "AAAA", "AAAA"),
		STEP(0, "XX", "AAAA"),
		STEP(8, "CCCC", "AAAA"),
		STEP(8, "CCCC", "AAAA"),	/* held already: no new bytes */
		STEP(4, "BBBB", "AAAABBBBCCCC"),
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(77, st, "AAAABBBBCCCC");
	assert_int_equal(s.retransmissions, 3);
	assert_int_equal(s.overlap_conflicts, 0);
}

static void test_overlap_first_wins(void **state)
{
	/* Suricata-style picture (offsets 0..15):
	 *   held first:  ....BBBB....DDDD
	 *   then:        AAAAXXXXCCCCYYYY  (in order, covers both)
	 * first bytes win: AAAABBBBCCCCDDDD, two conflicting overlaps in one segment. */
	static const struct step st[] = {
		STEP(4, "BBBB", ""),
		STEP(12, "DDDD", ""),
		STEP(0, "AAAAXXXXCCCCYYYY", "AAAABBBBCCCCDDDD"),
		STEP(14, "DDEE", "AAAABBBBCCCCDDDDEE"),	/* partly delivered: new part only */
		STEP(17, "QF", "AAAABBBBCCCCDDDDEEF"),		/* conflict with delivered bytes cannot be seen */
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(0, st, "AAAABBBBCCCCDDDDEEF");
	assert_int_equal(s.overlaps, 3);
	assert_int_equal(s.overlap_conflicts, 1);
}

static void test_overlap_held_vs_held(void **state)
{
	static const struct step st[] = {
		STEP(4, "BBBB", ""),
		STEP(6, "bbCC", ""),		/* overlaps held BBBB with different bytes */
		STEP(2, "aaBB", ""),		/* overlaps with the same bytes */
		STEP(6, "BBCC", ""),		/* nothing new: a retransmission */
		STEP(0, "AA", "AAaaBBBBCC"),
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(9, st, "AAaaBBBBCC");
	assert_int_equal(s.overlaps, 2);
	assert_int_equal(s.overlap_conflicts, 1);
	assert_int_equal(s.retransmissions, 1);
}

static void test_gap_at_flush(void **state)
{
	static const struct step st[] = {
		STEP(0, "AA", "AA"),
		STEP(4, "CC", "AA"),
		STEP(10, "EE", "AA"),
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(300, st, "AA__CC____EE");
	assert_int_equal(s.gaps, 2);
	assert_int_equal(s.gap_bytes, 6);
}

static void test_flush_calls_with_null_packet(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_CLIENT, 10, WS_TH_ACK, 0, "AB", 2, 2);
	seg(ra, rc, WS_DIR_TO_CLIENT, 14, WS_TH_ACK, 0, "EF", 2, 2);
	assert_int_equal(ws_reasm_held(ra), 2);
	assert_int_equal(rc->null_pkt_calls, 0);
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_CLIENT, "AB__EF");
	assert_int_equal(rc->null_pkt_calls, 2);
	/* A second flush has nothing left. */
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_CLIENT, "AB__EF");
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_gap_by_ack(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();
	const uint32_t c = 1000, s = 50000;

	seg(ra, rc, WS_DIR_TO_SERVER, c, WS_TH_SYN, 0, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_CLIENT, s, WS_TH_SYN | WS_TH_ACK, c + 1, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, c + 1, WS_TH_ACK, s + 1, "0123456789", 10, 10);
	/* [11, 21) lost, [21, 31) and [41, 51) held. */
	seg(ra, rc, WS_DIR_TO_SERVER, c + 21, WS_TH_ACK, s + 1, "KLMNOPQRST", 10, 10);
	seg(ra, rc, WS_DIR_TO_SERVER, c + 41, WS_TH_ACK, s + 1, "abcdefghij", 10, 10);
	/* The server acks only what it has: no gap. */
	seg(ra, rc, WS_DIR_TO_CLIENT, s + 1, WS_TH_ACK, c + 11, NULL, 0, 0);
	assert_int_equal(rc->gap_cnt[WS_DIR_TO_SERVER], 0);
	/* The server acks past the first hole, into the second: both lost up to the ack. */
	seg(ra, rc, WS_DIR_TO_CLIENT, s + 1, WS_TH_ACK, c + 45, NULL, 0, 0);
	assert_out(rc, WS_DIR_TO_SERVER, "0123456789__________KLMNOPQRST__________abcdefghij");
	assert_int_equal(rc->gap_cnt[WS_DIR_TO_SERVER], 2);
	assert_int_equal(ws_reasm_held(ra), 0);
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_gap_by_ack_is_bounded(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_SERVER, 100, WS_TH_ACK, 0, "AAAA", 4, 4);
	seg(ra, rc, WS_DIR_TO_SERVER, 110, WS_TH_ACK, 0, "CCCC", 4, 4);
	/* A forged ACK far ahead: the gap stops at the highest byte seen. */
	seg(ra, rc, WS_DIR_TO_CLIENT, 7, WS_TH_ACK, 100 + 1000000, NULL, 0, 0);
	assert_out(rc, WS_DIR_TO_SERVER, "AAAA______CCCC");
	/* The next real segment is still delivered. */
	seg(ra, rc, WS_DIR_TO_SERVER, 114, WS_TH_ACK, 0, "DD", 2, 2);
	assert_out(rc, WS_DIR_TO_SERVER, "AAAA______CCCCDD");
	/* An RST's ACK is not trusted. */
	seg(ra, rc, WS_DIR_TO_SERVER, 120, WS_TH_ACK, 0, "FF", 2, 2);
	seg(ra, rc, WS_DIR_TO_CLIENT, 7, WS_TH_ACK | WS_TH_RST, 200, NULL, 0, 0);
	assert_out(rc, WS_DIR_TO_SERVER, "AAAA______CCCCDD");
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_ack_of_fin(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	/* All data and the FIN seen; the ACK of the FIN is one past the data. */
	seg(ra, rc, WS_DIR_TO_SERVER, 500, WS_TH_SYN, 0, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, 501, WS_TH_ACK | WS_TH_FIN, 9, "bye", 3, 3);
	seg(ra, rc, WS_DIR_TO_CLIENT, 9, WS_TH_ACK, 505, NULL, 0, 0);
	assert_out(rc, WS_DIR_TO_SERVER, "bye");
	assert_int_equal(rc->gap_cnt[WS_DIR_TO_SERVER], 0);
	/* The FIN took sequence number 504: a byte claiming it is not stream data. */
	seg(ra, rc, WS_DIR_TO_SERVER, 504, WS_TH_ACK, 9, "X", 1, 1);
	assert_out(rc, WS_DIR_TO_SERVER, "bye");
	assert_int_equal(stats_of(ra).retransmissions, 1);

	/* The other way: data lost before the FIN; the ACK of the FIN proves it. */
	seg(ra, rc, WS_DIR_TO_CLIENT, 9, WS_TH_ACK, 505, "hi", 2, 2);
	seg(ra, rc, WS_DIR_TO_CLIENT, 16, WS_TH_ACK | WS_TH_FIN, 505, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, 505, WS_TH_ACK, 17, NULL, 0, 0);
	assert_out(rc, WS_DIR_TO_CLIENT, "hi_____");
	assert_int_equal(rc->gap_cnt[WS_DIR_TO_CLIENT], 1);
	assert_int_equal(rc->gap_len[WS_DIR_TO_CLIENT], 5);
	/* Further ACKs change nothing, nor does the flush. */
	seg(ra, rc, WS_DIR_TO_SERVER, 505, WS_TH_ACK, 17, NULL, 0, 0);
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_CLIENT, "hi_____");
	assert_out(rc, WS_DIR_TO_SERVER, "bye");
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_fin_out_of_order_gap_at_flush(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_SERVER, 0xfffffffe, WS_TH_SYN, 0, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, 0xffffffff, WS_TH_ACK, 0, "ab", 2, 2);
	seg(ra, rc, WS_DIR_TO_SERVER, 5, WS_TH_ACK | WS_TH_FIN, 0, NULL, 0, 0);
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_SERVER, "ab____");
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_gap_by_segment_cap(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();
	const uint32_t isn = 0x7ffffff0;

	rc->gap_marks = 0;
	seg(ra, rc, WS_DIR_TO_SERVER, isn, WS_TH_SYN, 0, NULL, 0, 0);
	/* One byte held at every odd offset: 1, 3, 5, ... up to the cap. */
	for (uint32_t k = 0; k < WS_REASM_OOO_SEGS_MAX; k++)
		seg(ra, rc, WS_DIR_TO_SERVER, isn + 1 + 1 + 2 * k, WS_TH_ACK, 0, "x", 1, 1);
	assert_int_equal(ws_reasm_held(ra), WS_REASM_OOO_SEGS_MAX);
	assert_int_equal(rc->gap_cnt[0], 0);
	seg(ra, rc, WS_DIR_TO_SERVER, isn + 1 + 1 + 2 * WS_REASM_OOO_SEGS_MAX, WS_TH_ACK, 0, "y", 1, 1);
	/* The first hole (offset 0) was given up and the byte after it delivered. */
	assert_int_equal(rc->gap_cnt[0], 1);
	assert_int_equal(rc->gap_len[0], 1);
	assert_int_equal(rc->n[0], 1);
	assert_int_equal(ws_reasm_held(ra), WS_REASM_OOO_SEGS_MAX);
	struct ws_reasm_stats s = stats_of(ra);
	assert_int_equal(s.ooo_limit, 1);
	assert_int_equal(s.gaps, 1);
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_gap_by_byte_cap(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();
	uint8_t chunk[1000];
	const uint32_t n_fit = WS_REASM_OOO_BYTES_MAX / 1000;

	memset(chunk, 'k', sizeof(chunk));
	rc->gap_marks = 0;
	/* Mid-stream: the first segment sets the start. */
	seg(ra, rc, WS_DIR_TO_CLIENT, 4000000000u, WS_TH_ACK, 0, "s", 1, 1);
	for (uint32_t k = 0; k < n_fit; k++)
		seg(ra, rc, WS_DIR_TO_CLIENT, 4000000000u + 1 + 1000 * (k + 1), WS_TH_ACK, 0, chunk, 1000, 1000);
	assert_int_equal(ws_reasm_held(ra), 1000 * n_fit);
	assert_int_equal(rc->n[1], 1);
	seg(ra, rc, WS_DIR_TO_CLIENT, 4000000000u + 1 + 1000 * (n_fit + 1), WS_TH_ACK, 0, chunk, 1000, 1000);
	assert_int_equal(rc->gap_cnt[1], 1);
	assert_int_equal(rc->gap_len[1], 1000);
	assert_int_equal(rc->n[1], 1 + 1000 * (n_fit + 1));
	assert_int_equal(ws_reasm_held(ra), 0);
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_cap_gap_up_to_new_segment(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	rc->gap_marks = 0;
	seg(ra, rc, WS_DIR_TO_SERVER, 0, WS_TH_SYN, 0, NULL, 0, 0);
	/* Held far ahead, filling the segment cap. */
	for (uint32_t k = 0; k < WS_REASM_OOO_SEGS_MAX; k++)
		seg(ra, rc, WS_DIR_TO_SERVER, 10001 + 2 * k, WS_TH_ACK, 0, "x", 1, 1);
	/* A segment inside the first hole: the gap stops at it, it is delivered. */
	seg(ra, rc, WS_DIR_TO_SERVER, 101, WS_TH_ACK, 0, "hello", 5, 5);
	assert_int_equal(rc->gap_len[0], 100);
	assert_int_equal(rc->n[0], 5);
	assert_memory_equal(rc->out[0], "hello", 5);
	assert_int_equal(ws_reasm_held(ra), WS_REASM_OOO_SEGS_MAX);
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_snaplen_cut(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_SERVER, 99, WS_TH_SYN, 0, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, 100, WS_TH_ACK, 0, "abcde", 5, 10);	/* 5 held of 10 */
	assert_out(rc, WS_DIR_TO_SERVER, "abcde_____");
	seg(ra, rc, WS_DIR_TO_SERVER, 110, WS_TH_ACK, 0, "KLM", 3, 3);
	assert_out(rc, WS_DIR_TO_SERVER, "abcde_____KLM");
	/* The full retransmission of the cut segment is old news now. */
	seg(ra, rc, WS_DIR_TO_SERVER, 100, WS_TH_ACK, 0, "abcdefghij", 10, 10);
	assert_out(rc, WS_DIR_TO_SERVER, "abcde_____KLM");
	/* Out of order and cut: the held part waits, the rest is a hole. */
	seg(ra, rc, WS_DIR_TO_SERVER, 117, WS_TH_ACK, 0, "xy", 2, 6);
	seg(ra, rc, WS_DIR_TO_SERVER, 113, WS_TH_ACK, 0, "NOPQ", 4, 4);
	assert_out(rc, WS_DIR_TO_SERVER, "abcde_____KLMNOPQxy");
	/* Entirely cut (no bytes held) and in order: all a gap. */
	seg(ra, rc, WS_DIR_TO_SERVER, 123, WS_TH_ACK, 0, NULL, 0, 3);
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_SERVER, "abcde_____KLMNOPQxy_______");
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_wraparound(void **state)
{
	static const struct step st[] = {
		STEP(4, "EEFF", ""),		/* crosses 2^32 */
		STEP(12, "II", ""),
		STEP(0, "AABB", "AABBEEFF"),
		STEP(8, "GGHH", "AABBEEFFGGHHII"),
		STEP(2, "BBEE", "AABBEEFFGGHHII"),
		END_STEPS,
	};
	struct ws_reasm_stats s = run_steps(0xfffffff9u, st, "AABBEEFFGGHHII");
	assert_int_equal(s.retransmissions, 1);
	assert_int_equal(s.gaps, 0);
}

static void test_mid_stream(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	/* A bare ACK does not start a direction. */
	seg(ra, rc, WS_DIR_TO_SERVER, 5000, WS_TH_ACK, 1, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, 7000, WS_TH_ACK | WS_TH_PSH, 1, "GET /", 5, 5);
	seg(ra, rc, WS_DIR_TO_SERVER, 7005, WS_TH_ACK | WS_TH_PSH, 1, " HTTP", 5, 5);
	assert_out(rc, WS_DIR_TO_SERVER, "GET / HTTP");
	/* Earlier bytes than the pickup point are dropped as old. */
	seg(ra, rc, WS_DIR_TO_SERVER, 6990, WS_TH_ACK, 1, "0123456789", 10, 10);
	assert_out(rc, WS_DIR_TO_SERVER, "GET / HTTP");
	assert_int_equal(stats_of(ra).retransmissions, 1);
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_beyond_window_ignored(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_SERVER, 10, WS_TH_ACK, 0, "ab", 2, 2);
	/* 2^31 - 100 ahead: no TCP window reaches there. */
	seg(ra, rc, WS_DIR_TO_SERVER, 12 + 0x7fffff9cu, WS_TH_ACK | WS_TH_FIN, 0, "zz", 2, 2);
	assert_int_equal(ws_reasm_held(ra), 0);
	/* A forged ACK cannot make a gap out of it either. */
	seg(ra, rc, WS_DIR_TO_CLIENT, 1, WS_TH_ACK, 0x7fffffffu, NULL, 0, 0);
	seg(ra, rc, WS_DIR_TO_SERVER, 12, WS_TH_ACK, 0, "cd", 2, 2);
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_SERVER, "abcd");
	assert_int_equal(rc->gap_cnt[WS_DIR_TO_SERVER], 0);
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_rst_payload_ignored(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	seg(ra, rc, WS_DIR_TO_CLIENT, 1, WS_TH_RST, 0, "diag", 4, 4);
	seg(ra, rc, WS_DIR_TO_CLIENT, 10, WS_TH_ACK, 0, "ok", 2, 2);
	seg(ra, rc, WS_DIR_TO_CLIENT, 12, WS_TH_RST | WS_TH_ACK, 0, "zz", 2, 2);
	ws_reasm_flush(ra, &cb, rc);
	assert_out(rc, WS_DIR_TO_CLIENT, "ok");
	ws_reasm_free(ra);
	rec_free(rc);
}

static void test_syn_with_data(void **state)
{
	struct ws_reasm *ra = ws_reasm_new();
	struct rec *rc = rec_new();

	/* TCP Fast Open: data in the SYN starts at seq + 1. */
	seg(ra, rc, WS_DIR_TO_SERVER, 41, WS_TH_SYN, 0, "abc", 3, 3);
	seg(ra, rc, WS_DIR_TO_SERVER, 45, WS_TH_ACK, 0, "def", 3, 3);
	seg(ra, rc, WS_DIR_TO_SERVER, 41, WS_TH_SYN, 0, "abc", 3, 3);
	assert_out(rc, WS_DIR_TO_SERVER, "abcdef");
	ws_reasm_free(ra);
	rec_free(rc);
}

/* ---- the split test ---- */

static uint32_t rnd_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

struct piece {
	uint32_t off, len;
};

static void feed_pieces(struct ws_reasm *ra, struct rec *rc, uint32_t isn, const uint8_t *buf,
			const struct piece *pc, size_t n)
{
	seg(ra, rc, WS_DIR_TO_SERVER, isn, WS_TH_SYN, 0, NULL, 0, 0);
	for (size_t i = 0; i < n; i++)
		seg(ra, rc, WS_DIR_TO_SERVER, isn + 1 + pc[i].off, WS_TH_ACK, 0, buf + pc[i].off, pc[i].len,
		    pc[i].len);
	ws_reasm_flush(ra, &cb, rc);
}

static void test_split(void **state)
{
	enum { LEN = 20000 };
	uint8_t *buf = malloc(LEN);
	struct piece *pc = malloc(sizeof(*pc) * LEN * 2);
	uint64_t rs = 0x9e3779b97f4a7c15ull;
	const uint32_t isns[] = { 0, 0xffffd000u, 0x7fffff00u, 123456789u };

	for (size_t i = 0; i < LEN; i++)
		buf[i] = (uint8_t)rnd_next(&rs);
	for (size_t t = 0; t < sizeof(isns) / sizeof(isns[0]); t++) {
		uint32_t isn = isns[t];

		/* Whole. */
		struct ws_reasm *ra = ws_reasm_new();
		struct rec *whole = rec_new();
		pc[0] = (struct piece){ 0, LEN };
		feed_pieces(ra, whole, isn, buf, pc, 1);
		assert_int_equal(whole->n[0], LEN);
		assert_memory_equal(whole->out[0], buf, LEN);
		ws_reasm_free(ra);

		/* One byte per segment. */
		ra = ws_reasm_new();
		struct rec *bytes = rec_new();
		for (uint32_t i = 0; i < LEN; i++)
			pc[i] = (struct piece){ i, 1 };
		feed_pieces(ra, bytes, isn, buf, pc, LEN);
		assert_int_equal(bytes->n[0], LEN);
		assert_memory_equal(bytes->out[0], whole->out[0], LEN);
		assert_int_equal(bytes->data_cnt[0], LEN);
		ws_reasm_free(ra);

		/* Random cuts, shuffled within a window, with overlapping duplicates. */
		for (int round = 0; round < 20; round++) {
			size_t n = 0;
			for (uint32_t off = 0; off < LEN;) {
				uint32_t len = 1 + rnd_next(&rs) % 300;
				if (off + len > LEN)
					len = LEN - off;
				pc[n++] = (struct piece){ off, len };
				if (rnd_next(&rs) % 4 == 0) {
					/* an overlapping resend of nearby bytes */
					uint32_t o2 = off > 50 ? off - rnd_next(&rs) % 50 : 0;
					uint32_t l2 = 1 + rnd_next(&rs) % 200;
					if (o2 + l2 > LEN)
						l2 = LEN - o2;
					pc[n++] = (struct piece){ o2, l2 };
				}
				off += len;
			}
			/* shuffle within blocks of 32 pieces (bounded displacement) */
			for (size_t b = 0; b < n; b += 32) {
				size_t m = n - b < 32 ? n - b : 32;
				for (size_t i = m - 1; i > 0; i--) {
					size_t j = rnd_next(&rs) % (i + 1);
					struct piece tmp = pc[b + i];
					pc[b + i] = pc[b + j];
					pc[b + j] = tmp;
				}
			}
			ra = ws_reasm_new();
			struct rec *rnd = rec_new();
			feed_pieces(ra, rnd, isn, buf, pc, n);
			assert_int_equal(rnd->gap_cnt[0], 0);
			assert_int_equal(rnd->n[0], LEN);
			assert_memory_equal(rnd->out[0], whole->out[0], LEN);
			struct ws_reasm_stats s = stats_of(ra);
			assert_int_equal(s.overlap_conflicts, 0);
			ws_reasm_free(ra);
			rec_free(rnd);
		}
		rec_free(whole);
		rec_free(bytes);
	}
	free(buf);
	free(pc);
}

/* Hostile input: random sequence numbers, flags, acks and lengths in both
 * directions. Nothing may crash (run under ASan/UBSan), held bytes stay under
 * the caps, every callback length is positive (asserted in the recorders). */
static void test_hostile_random(void **state)
{
	uint64_t rs = 42;
	uint8_t junk[1500];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)i;
	for (int run = 0; run < 50; run++) {
		struct ws_reasm *ra = ws_reasm_new();
		struct rec *rc = rec_new();
		uint32_t base[2] = { rnd_next(&rs), rnd_next(&rs) };
		rc->gap_marks = 0;
		for (int i = 0; i < 3000; i++) {
			unsigned d = rnd_next(&rs) & 1;
			uint32_t r = rnd_next(&rs);
			uint32_t seq = (r & 0x10000) ? rnd_next(&rs) : base[d] + rnd_next(&rs) % 400000;
			uint32_t ack = (r & 0x20000) ? rnd_next(&rs) : base[d ^ 1] + rnd_next(&rs) % 400000;
			uint32_t len = rnd_next(&rs) % 1500;
			uint32_t wire = (r & 0x40000) ? len + rnd_next(&rs) % 3000 : len;
			uint8_t fl = (uint8_t)rnd_next(&rs);
			if (rc->n[d] > OUT_MAX / 2)
				rc->n[d] = 0;
			seg(ra, rc, (enum ws_dir)d, seq, fl, ack, len ? junk : NULL, len, wire);
			assert_true(ws_reasm_held(ra) <= 2 * (size_t)WS_REASM_OOO_BYTES_MAX);
		}
		rc->n[0] = rc->n[1] = 0;
		ws_reasm_flush(ra, &cb, rc);
		assert_int_equal(ws_reasm_held(ra), 0);
		ws_reasm_free(ra);
		rec_free(rc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_retransmission),
		cmocka_unit_test(test_overlap_first_wins),
		cmocka_unit_test(test_overlap_held_vs_held),
		cmocka_unit_test(test_gap_at_flush),
		cmocka_unit_test(test_flush_calls_with_null_packet),
		cmocka_unit_test(test_gap_by_ack),
		cmocka_unit_test(test_gap_by_ack_is_bounded),
		cmocka_unit_test(test_ack_of_fin),
		cmocka_unit_test(test_fin_out_of_order_gap_at_flush),
		cmocka_unit_test(test_gap_by_segment_cap),
		cmocka_unit_test(test_gap_by_byte_cap),
		cmocka_unit_test(test_cap_gap_up_to_new_segment),
		cmocka_unit_test(test_snaplen_cut),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_mid_stream),
		cmocka_unit_test(test_beyond_window_ignored),
		cmocka_unit_test(test_rst_payload_ignored),
		cmocka_unit_test(test_syn_with_data),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_hostile_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
