/*
 * test_dcerpc.c - DCE/RPC over named pipes (src/proto/dcerpc.c) on crafted PDUs:
 * bind / bind_ack with several contexts, request-response pairing by call_id,
 * faults, PDUs split across writes (and byte by byte), big-endian data
 * representation, hostile frag_length, every truncation; and the interface
 * and operation tables (src/kb/dcerpckb.c).
 *
 * The state machine is driven through dcerpc_pipe_data_sink() with a sink
 * that records what would have been emitted (dcerpc_int.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kb/smbkb.h"
#include "proto/dcerpc.h"
#include "proto/dcerpc_int.h"

/* ---- a recording sink ---- */

#define REC_MAX 96

struct rec {
	struct ws_ev_dcerpc ev[REC_MAX];
	size_t ev_cnt;
	char info[REC_MAX][512];
	size_t info_cnt;
	char anomaly[REC_MAX][64];
	size_t anomaly_cnt;
};

static void rec_emit(void *u, const struct ws_ev_dcerpc *ev)
{
	struct rec *r = u;

	if (r->ev_cnt < REC_MAX)
		r->ev[r->ev_cnt++] = *ev;
}

static void rec_info(void *u, const char *text)
{
	struct rec *r = u;

	if (r->info_cnt < REC_MAX)
		snprintf(r->info[r->info_cnt++], sizeof(r->info[0]), "%s", text);
}

static void rec_anomaly(void *u, const char *name, const char *detail)
{
	struct rec *r = u;

	(void)detail;
	if (r->anomaly_cnt < REC_MAX)
		snprintf(r->anomaly[r->anomaly_cnt++], sizeof(r->anomaly[0]), "%s", name);
}

static size_t rec_anomalies(const struct rec *r, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < r->anomaly_cnt; i++)
		n += strcmp(r->anomaly[i], name) == 0;
	return n;
}

static void feed(struct rec *r, struct dcerpc_state **st, enum ws_dir dir, uint64_t fid, const char *pipe,
		 const uint8_t *b, size_t n)
{
	const struct dcerpc_sink k = { rec_emit, rec_info, rec_anomaly, r };
	struct ws_rd rd;

	ws_rd_init(&rd, b, n);
	dcerpc_pipe_data_sink(&k, st, dir, fid, pipe, &rd);
}

/* ---- a PDU writer ---- */

struct w {
	uint8_t b[8192];
	size_t n;
	bool be;
};

static void w8(struct w *w, unsigned v)
{
	w->b[w->n++] = (uint8_t)v;
}

static void w16(struct w *w, unsigned v)
{
	if (w->be) {
		w8(w, v >> 8);
		w8(w, v);
	} else {
		w8(w, v);
		w8(w, v >> 8);
	}
}

static void w32(struct w *w, uint32_t v)
{
	if (w->be) {
		w16(w, v >> 16);
		w16(w, v & 0xffff);
	} else {
		w16(w, v & 0xffff);
		w16(w, v >> 16);
	}
}

/* "4b324fc8-1670-01d3-1278-5a47bf6ee188" in the writer's byte order. */
static void wuuid(struct w *w, const char *s)
{
	unsigned a, b2, c, d[8];

	sscanf(s, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &a, &b2, &c, &d[0], &d[1], &d[2], &d[3], &d[4],
	       &d[5], &d[6], &d[7]);
	w32(w, a);
	w16(w, b2);
	w16(w, c);
	for (int i = 0; i < 8; i++)
		w8(w, d[i]);
}

static void hdr(struct w *w, unsigned ptype, unsigned flags, uint32_t call_id)
{
	w8(w, 5);
	w8(w, 0);
	w8(w, ptype);
	w8(w, flags);
	w8(w, w->be ? 0x00 : 0x10);
	w8(w, 0);
	w8(w, 0);
	w8(w, 0);
	w16(w, 0);	/* frag_len, patched by done() */
	w16(w, 0);
	w32(w, call_id);
}

static void done(struct w *w, size_t start)
{
	size_t len = w->n - start;

	if (w->be) {
		w->b[start + 8] = (uint8_t)(len >> 8);
		w->b[start + 9] = (uint8_t)len;
	} else {
		w->b[start + 8] = (uint8_t)len;
		w->b[start + 9] = (uint8_t)(len >> 8);
	}
}

#define SRVSVC "4b324fc8-1670-01d3-1278-5a47bf6ee188"
#define SAMR "12345778-1234-abcd-ef00-0123456789ac"
#define LSARPC "12345778-1234-abcd-ef00-0123456789ab"
#define NDR32 "8a885d04-1ceb-11c9-9fe8-08002b104860"
#define BTFN "6cb71c2c-9812-4540-0300-000000000000"

struct item {
	unsigned ctx_id;
	const char *abstract;
	unsigned major, minor;
	const char *transfer;
};

static void bind(struct w *w, unsigned ptype, uint32_t call_id, const struct item *it, unsigned cnt)
{
	size_t s = w->n;

	hdr(w, ptype, 3, call_id);
	w16(w, 4280);
	w16(w, 4280);
	w32(w, 0);
	w8(w, cnt);
	w8(w, 0);
	w16(w, 0);
	for (unsigned i = 0; i < cnt; i++) {
		w16(w, it[i].ctx_id);
		w8(w, 1);
		w8(w, 0);
		wuuid(w, it[i].abstract);
		w32(w, it[i].major | (uint32_t)it[i].minor << 16);
		wuuid(w, it[i].transfer);
		w32(w, it[i].transfer[0] == '8' ? 2 : 1);
	}
	done(w, s);
}

static void bind_ack(struct w *w, uint32_t call_id, const char *addr, const unsigned *results, unsigned cnt)
{
	size_t s = w->n;
	size_t alen = strlen(addr) + 1;

	hdr(w, 12, 3, call_id);
	w16(w, 4280);
	w16(w, 4280);
	w32(w, 0x1234);
	w16(w, (unsigned)alen);
	memcpy(w->b + w->n, addr, alen);
	w->n += alen;
	while ((w->n - s) % 4)
		w8(w, 0);
	w8(w, cnt);
	w8(w, 0);
	w16(w, 0);
	for (unsigned i = 0; i < cnt; i++) {
		w16(w, results[i]);
		w16(w, results[i] == 2 ? 2 : 0);
		wuuid(w, results[i] == 0 ? NDR32 : "00000000-0000-0000-0000-000000000000");
		w32(w, results[i] == 0 ? 2 : 0);
	}
	done(w, s);
}

static void request(struct w *w, uint32_t call_id, unsigned ctx_id, unsigned opnum, size_t stub)
{
	size_t s = w->n;

	hdr(w, 0, 3, call_id);
	w32(w, (uint32_t)stub);
	w16(w, ctx_id);
	w16(w, opnum);
	for (size_t i = 0; i < stub; i++)
		w8(w, 0xab);
	done(w, s);
}

static void response(struct w *w, uint32_t call_id, unsigned ctx_id, size_t stub)
{
	size_t s = w->n;

	hdr(w, 2, 3, call_id);
	w32(w, (uint32_t)stub);
	w16(w, ctx_id);
	w8(w, 0);
	w8(w, 0);
	for (size_t i = 0; i < stub; i++)
		w8(w, 0xcd);
	done(w, s);
}

static void fault(struct w *w, uint32_t call_id, uint32_t status)
{
	size_t s = w->n;

	hdr(w, 3, 3, call_id);
	w32(w, 32);
	w16(w, 0);
	w8(w, 0);
	w8(w, 0);
	w32(w, status);
	w32(w, 0);
	done(w, s);
}

static const struct item srvsvc_two[] = {
	{ 0, SRVSVC, 3, 0, NDR32 },
	{ 1, SRVSVC, 3, 0, BTFN },
};

/* ---- tests ---- */

static void test_bind_two_contexts_and_ack(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };
	static const unsigned res[] = { 0, 3 };

	(void)state;
	bind(&w, 11, 2, srvsvc_two, 2);
	feed(r, &st, WS_DIR_TO_SERVER, 0x4000, "\\PIPE\\srvsvc", w.b, w.n);
	assert_int_equal(r->ev_cnt, 1);	/* one interface, offered twice */
	assert_int_equal(r->ev[0].ptype, 11);
	assert_string_equal(r->ev[0].ptype_name, "bind");
	assert_string_equal(r->ev[0].interface, "srvsvc");
	assert_string_equal(r->ev[0].interface_uuid, SRVSVC);
	assert_string_equal(r->ev[0].pipe, "srvsvc");
	assert_int_equal(r->ev[0].call_id, 2);
	assert_string_equal(r->info[0], "Bind: call_id: 2, Fragment: Single, 2 context items: SRVSVC V3.0 (32bit NDR), "
					"SRVSVC V3.0 (" BTFN ")");

	w.n = 0;
	bind_ack(&w, 2, "\\PIPE\\srvsvc", res, 2);
	feed(r, &st, WS_DIR_TO_CLIENT, 0x4000, "\\PIPE\\srvsvc", w.b, w.n);
	assert_int_equal(r->ev_cnt, 2);
	assert_int_equal(r->ev[1].ptype, 12);
	assert_string_equal(r->ev[1].interface, "srvsvc");
	assert_int_equal(r->ev[1].status, 0);
	assert_string_equal(r->info[1], "Bind_ack: call_id: 2, Fragment: Single, max_xmit: 4280 max_recv: 4280, "
					"2 results: Acceptance, Negotiate ACK");
	assert_int_equal(r->anomaly_cnt, 0);
	ws_dcerpc_free(st);
	free(r);
}

static void test_bind_two_interfaces_and_rejection(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };
	static const struct item two[] = { { 0, SAMR, 1, 0, NDR32 }, { 1, LSARPC, 0, 0, NDR32 } };
	static const unsigned res[] = { 2, 0 };

	(void)state;
	bind(&w, 11, 7, two, 2);
	feed(r, &st, WS_DIR_TO_SERVER, 1, "samr", w.b, w.n);
	assert_int_equal(r->ev_cnt, 2);
	assert_string_equal(r->ev[0].interface, "samr");
	assert_string_equal(r->ev[1].interface, "lsarpc");
	assert_string_equal(r->info[0], "Bind: call_id: 7, Fragment: Single, 2 context items: SAMR V1.0 (32bit NDR), "
					"LSARPC V0.0 (32bit NDR)");
	w.n = 0;
	bind_ack(&w, 7, "\\PIPE\\samr", res, 2);
	feed(r, &st, WS_DIR_TO_CLIENT, 1, "samr", w.b, w.n);
	assert_int_equal(r->ev_cnt, 3);
	/* samr was rejected: the ack names the first accepted interface */
	assert_string_equal(r->ev[2].interface, "lsarpc");
	assert_string_equal(r->info[1], "Bind_ack: call_id: 7, Fragment: Single, max_xmit: 4280 max_recv: 4280, "
					"2 results: Provider rejection, Acceptance");
	/* a request on context 1 is lsarpc's */
	w.n = 0;
	request(&w, 8, 1, 15, 12);
	feed(r, &st, WS_DIR_TO_SERVER, 1, "samr", w.b, w.n);
	assert_int_equal(r->ev_cnt, 4);
	assert_string_equal(r->ev[3].operation, "LsarLookupSids");
	assert_string_equal(r->info[2], "LsarLookupSids request");
	ws_dcerpc_free(st);
	free(r);
}

static void test_request_response_pairing(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };

	(void)state;
	bind(&w, 11, 2, srvsvc_two, 1);
	feed(r, &st, WS_DIR_TO_SERVER, 9, "\\PIPE\\srvsvc", w.b, w.n);
	/* two requests in one write, answered in the other order */
	w.n = 0;
	request(&w, 3, 0, 15, 40);
	request(&w, 4, 0, 16, 20);
	feed(r, &st, WS_DIR_TO_SERVER, 9, NULL, w.b, w.n);
	assert_int_equal(r->ev_cnt, 3);
	assert_int_equal(r->ev[1].ptype, 0);
	assert_int_equal(r->ev[1].opnum, 15);
	assert_string_equal(r->ev[1].operation, "NetShareEnumAll");
	assert_string_equal(r->ev[1].interface, "srvsvc");
	assert_string_equal(r->ev[1].pipe, "srvsvc");
	assert_string_equal(r->info[1], "NetShareEnumAll request");
	assert_string_equal(r->info[2], "NetShareGetInfo request");
	w.n = 0;
	response(&w, 4, 0, 100);
	feed(r, &st, WS_DIR_TO_CLIENT, 9, NULL, w.b, w.n);
	w.n = 0;
	response(&w, 3, 0, 100);
	feed(r, &st, WS_DIR_TO_CLIENT, 9, NULL, w.b, w.n);
	assert_int_equal(r->ev_cnt, 5);
	assert_int_equal(r->ev[3].ptype, 2);
	assert_int_equal(r->ev[3].call_id, 4);
	assert_int_equal(r->ev[3].opnum, 16);
	assert_string_equal(r->ev[3].operation, "NetShareGetInfo");
	assert_int_equal(r->ev[4].call_id, 3);
	assert_string_equal(r->ev[4].operation, "NetShareEnumAll");
	assert_string_equal(r->info[4], "NetShareEnumAll response");
	/* a response with no request: no operation, tshark-style line */
	w.n = 0;
	response(&w, 77, 0, 0);
	feed(r, &st, WS_DIR_TO_CLIENT, 9, NULL, w.b, w.n);
	assert_int_equal(r->ev_cnt, 6);
	assert_null(r->ev[5].operation);
	assert_string_equal(r->info[5], "Response: call_id: 77, Fragment: Single, Ctx: 0");
	/* an unknown opnum */
	w.n = 0;
	request(&w, 78, 0, 250, 0);
	feed(r, &st, WS_DIR_TO_SERVER, 9, NULL, w.b, w.n);
	assert_string_equal(r->info[6], "Request: call_id: 78, Fragment: Single, opnum: 250, Ctx: 0");
	assert_int_equal(r->anomaly_cnt, 0);
	ws_dcerpc_free(st);
	free(r);
}

static void test_fault(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };

	(void)state;
	bind(&w, 11, 1, srvsvc_two, 1);
	request(&w, 5, 0, 15, 8);
	feed(r, &st, WS_DIR_TO_SERVER, 2, "srvsvc", w.b, w.n);
	w.n = 0;
	fault(&w, 5, 0x1c010002);
	feed(r, &st, WS_DIR_TO_CLIENT, 2, "srvsvc", w.b, w.n);
	assert_int_equal(r->ev_cnt, 3);
	assert_int_equal(r->ev[2].ptype, 3);
	assert_string_equal(r->ev[2].ptype_name, "fault");
	assert_int_equal(r->ev[2].status, 0x1c010002);
	assert_string_equal(r->ev[2].operation, "NetShareEnumAll");
	assert_string_equal(r->info[2], "Fault: call_id: 5, Fragment: Single, Ctx: 0, status: nca_op_rng_error");
	/* the call is over: a late response for it is not paired */
	w.n = 0;
	response(&w, 5, 0, 0);
	feed(r, &st, WS_DIR_TO_CLIENT, 2, "srvsvc", w.b, w.n);
	assert_null(r->ev[3].operation);
	/* an unnamed status is shown in hex */
	w.n = 0;
	fault(&w, 6, 0xdeadbeef);
	feed(r, &st, WS_DIR_TO_CLIENT, 2, "srvsvc", w.b, w.n);
	assert_string_equal(r->info[4], "Fault: call_id: 6, Fragment: Single, Ctx: 0, status: 0xdeadbeef");
	ws_dcerpc_free(st);
	free(r);
}

static void test_bind_nak(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };
	size_t s;

	(void)state;
	bind(&w, 11, 3, srvsvc_two, 1);
	feed(r, &st, WS_DIR_TO_SERVER, 2, "srvsvc", w.b, w.n);
	w.n = 0;
	s = w.n;
	hdr(&w, 13, 3, 3);
	w16(&w, 4);	/* reason: protocol version not supported */
	w8(&w, 0);
	done(&w, s);
	feed(r, &st, WS_DIR_TO_CLIENT, 2, "srvsvc", w.b, w.n);
	assert_int_equal(r->ev_cnt, 2);
	assert_int_equal(r->ev[1].ptype, 13);
	assert_int_equal(r->ev[1].status, 4);
	assert_string_equal(r->ev[1].interface, "srvsvc");
	assert_string_equal(r->info[1], "Bind_nak: call_id: 3, Fragment: Single, reject reason: 4");
	ws_dcerpc_free(st);
	free(r);
}

/* The session used by the split tests: bind, request, fragment of stub. */
static size_t session(struct w *w)
{
	bind(w, 11, 2, srvsvc_two, 2);
	request(w, 3, 0, 15, 300);
	request(w, 4, 0, 28, 2000);	/* longer than DCERPC_HOLD_MAX: its stub is skipped */
	return w->n;
}

static void same_events(const struct rec *a, const struct rec *b)
{
	assert_int_equal(a->ev_cnt, b->ev_cnt);
	for (size_t i = 0; i < a->ev_cnt; i++) {
		assert_int_equal(a->ev[i].ptype, b->ev[i].ptype);
		assert_int_equal(a->ev[i].call_id, b->ev[i].call_id);
		assert_int_equal(a->ev[i].opnum, b->ev[i].opnum);
		assert_string_equal(a->ev[i].interface_uuid, b->ev[i].interface_uuid);
		assert_ptr_equal(a->ev[i].operation, b->ev[i].operation);
	}
	assert_int_equal(a->info_cnt, b->info_cnt);
	for (size_t i = 0; i < a->info_cnt; i++)
		assert_string_equal(a->info[i], b->info[i]);
}

static void test_split_writes(void **state)
{
	struct rec *whole = calloc(1, sizeof(*whole));
	struct rec *three = calloc(1, sizeof(*three));
	struct rec *bytes = calloc(1, sizeof(*bytes));
	struct dcerpc_state *s1 = NULL, *s2 = NULL, *s3 = NULL;
	struct w *w = calloc(1, sizeof(*w));
	size_t n = session(w);
	size_t cut1 = 7, cut2 = 150;	/* inside the bind header, inside the request stub */

	(void)state;
	feed(whole, &s1, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, n);
	assert_int_equal(whole->ev_cnt, 3);
	assert_string_equal(whole->ev[2].operation, "NetRemoteTOD");
	assert_int_equal(whole->anomaly_cnt, 0);

	feed(three, &s2, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, cut1);
	assert_int_equal(three->ev_cnt, 0);
	feed(three, &s2, WS_DIR_TO_SERVER, 1, "srvsvc", w->b + cut1, cut2 - cut1);
	assert_int_equal(three->ev_cnt, 1);
	feed(three, &s2, WS_DIR_TO_SERVER, 1, "srvsvc", w->b + cut2, n - cut2);
	same_events(whole, three);

	for (size_t i = 0; i < n; i++)
		feed(bytes, &s3, WS_DIR_TO_SERVER, 1, "srvsvc", w->b + i, 1);
	same_events(whole, bytes);
	assert_int_equal(bytes->anomaly_cnt, 0);

	ws_dcerpc_free(s1);
	ws_dcerpc_free(s2);
	ws_dcerpc_free(s3);
	free(w);
	free(whole);
	free(three);
	free(bytes);
}

static void test_big_endian(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0, .be = true };
	struct dcerpc_pdu pdu;
	struct ws_rd rd;

	(void)state;
	bind(&w, 11, 0x01020304, srvsvc_two, 1);
	ws_rd_init(&rd, w.b, w.n);
	assert_int_equal(dcerpc_parse_pdu(&rd, &pdu), 1);
	assert_true(pdu.big_endian);
	assert_int_equal(pdu.call_id, 0x01020304);
	assert_int_equal(pdu.frag_len, w.n);
	assert_int_equal(pdu.max_xmit, 4280);
	assert_int_equal(pdu.ctx[0].abstract.ver_major, 3);
	assert_false(pdu.truncated);

	request(&w, 0x01020305, 0, 15, 4);
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w.b, w.n);
	assert_int_equal(r->ev_cnt, 2);
	assert_string_equal(r->ev[0].interface, "srvsvc");
	assert_string_equal(r->ev[0].interface_uuid, SRVSVC);
	assert_int_equal(r->ev[1].call_id, 0x01020305);
	assert_string_equal(r->ev[1].operation, "NetShareEnumAll");
	ws_dcerpc_free(st);
	free(r);
}

static void test_hostile_frag_length(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w *w = calloc(1, sizeof(*w));
	struct dcerpc_pdu pdu;
	struct ws_rd rd;

	(void)state;
	/* frag_length 0 and 15: not a PDU; the chunk is dropped and the next write resynchronises */
	for (unsigned fl = 0; fl < 16; fl += 15) {
		w->n = 0;
		hdr(w, 0, 3, 1);
		w->b[8] = (uint8_t)fl;
		w->b[9] = 0;
		ws_rd_init(&rd, w->b, w->n);
		assert_int_equal(dcerpc_parse_hdr(&rd, &pdu), 0);
		request(w, 2, 0, 15, 4);	/* same write: dropped with it */
		feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, w->n);
		assert_int_equal(r->ev_cnt, 0);
	}
	assert_int_equal(rec_anomalies(r, "dcerpc_bad_header"), 2);
	/* version 4, minor 2 */
	w->n = 0;
	request(w, 2, 0, 15, 4);
	w->b[0] = 4;
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, w->n);
	w->b[0] = 5;
	w->b[1] = 2;
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, w->n);
	assert_int_equal(rec_anomalies(r, "dcerpc_bad_header"), 4);
	assert_int_equal(r->ev_cnt, 0);
	/* resynchronised: good PDUs in the next write are read */
	w->n = 0;
	bind(w, 11, 1, srvsvc_two, 1);
	request(w, 3, 0, 15, 4);
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, w->n);
	assert_int_equal(r->ev_cnt, 2);

	/* frag_length past the bytes held: waits, then completes */
	w->n = 0;
	request(w, 4, 0, 16, 84);
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w->b, 40);
	assert_int_equal(r->ev_cnt, 2);	/* held, not parsed: frag_length says 108 */
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w->b + 40, w->n - 40);
	assert_int_equal(r->ev_cnt, 3);
	assert_string_equal(r->ev[2].operation, "NetShareGetInfo");

	/* frag_length past our cap: 60000 bytes of stub, then another PDU in the same write */
	w->n = 0;
	free(w);
	{
		size_t big = 60000;
		uint8_t *b = calloc(1, big + 64);
		struct w *x = calloc(1, sizeof(*x));
		size_t n;

		hdr(x, 0, 3, 5);
		w32(x, (uint32_t)big);
		w16(x, 0);
		w16(x, 21);
		memcpy(b, x->b, x->n);
		n = x->n + big;
		b[8] = (uint8_t)n;
		b[9] = (uint8_t)(n >> 8);
		x->n = 0;
		request(x, 6, 0, 12, 0);
		memcpy(b + n, x->b, x->n);
		n += x->n;
		feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", b, n);
		assert_int_equal(r->ev_cnt, 5);
		assert_string_equal(r->ev[3].operation, "NetSrvGetInfo");
		assert_string_equal(r->ev[4].operation, "NetSessEnum");
		assert_int_equal(rec_anomalies(r, "dcerpc_truncated"), 0);
		free(b);
		free(x);
	}
	ws_dcerpc_free(st);
	free(r);
}

static void test_truncated_request_body(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };

	(void)state;
	/* frag_length 20 says the PDU ends inside the request header: no event, an anomaly */
	request(&w, 9, 0, 15, 0);
	w.b[8] = 20;
	feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", w.b, 20);
	assert_int_equal(r->ev_cnt, 0);
	assert_int_equal(rec_anomalies(r, "dcerpc_truncated"), 1);
	ws_dcerpc_free(st);
	free(r);
}

/* Every prefix of every PDU: the parser never reads past it and says what it got. */
static void test_every_truncation(void **state)
{
	struct w *w = calloc(1, sizeof(*w));
	static const unsigned res[] = { 0, 3 };
	size_t starts[8], cnt = 0;
	/* where the fields we decode end in each PDU: past it, a cut drops only stub bytes */
	size_t fields_end[7];

	(void)state;
	starts[cnt++] = w->n;
	bind(w, 11, 2, srvsvc_two, 2);
	starts[cnt++] = w->n;
	bind_ack(w, 2, "\\PIPE\\srvsvc", res, 2);
	starts[cnt++] = w->n;
	request(w, 3, 0, 15, 8);
	starts[cnt++] = w->n;
	response(w, 3, 0, 8);
	starts[cnt++] = w->n;
	fault(w, 3, 5);
	starts[cnt++] = w->n;
	fields_end[0] = starts[1] - starts[0];
	fields_end[1] = starts[2] - starts[1];
	fields_end[2] = 24;
	fields_end[3] = 24;
	fields_end[4] = 28;
	for (size_t p = 0; p + 1 < cnt; p++) {
		size_t len = starts[p + 1] - starts[p];

		for (size_t cut = 0; cut <= len; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			struct dcerpc_pdu pdu;
			struct ws_rd rd;
			struct rec *r = calloc(1, sizeof(*r));
			struct dcerpc_state *st = NULL;
			int rc;

			memcpy(copy, w->b + starts[p], cut);
			ws_rd_init(&rd, copy, cut);
			rc = dcerpc_parse_pdu(&rd, &pdu);
			if (cut < DCERPC_HDR_LEN)
				assert_int_equal(rc, -1);
			else
				assert_int_equal(rc, 1);
			if (rc == 1 && cut < fields_end[p])
				assert_true(pdu.truncated);
			if (cut == len)
				assert_false(pdu.truncated);
			/* through the state machine: a cut PDU waits, emits nothing */
			feed(r, &st, WS_DIR_TO_SERVER, 1, "srvsvc", copy, cut);
			if (cut < len)
				assert_int_equal(r->ev_cnt, 0);
			else
				assert_true(r->ev_cnt >= 1);
			ws_dcerpc_free(st);
			free(r);
			free(copy);
		}
	}
	free(w);
}

static void test_pipe_limit_and_names(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct dcerpc_state *st = NULL;
	struct w w = { .n = 0 };

	(void)state;
	bind(&w, 11, 1, srvsvc_two, 1);
	for (uint64_t fid = 0; fid < 60; fid++)
		feed(r, &st, WS_DIR_TO_SERVER, fid, fid % 2 ? "\\srvsvc" : "\\pipe\\srvsvc", w.b, w.n);
	assert_int_equal(r->ev_cnt, 60);
	for (size_t i = 0; i < r->ev_cnt; i++)
		assert_string_equal(r->ev[i].pipe, "srvsvc");
	assert_true(rec_anomalies(r, "dcerpc_pipes_limit") > 0);
	ws_dcerpc_free(st);
	ws_dcerpc_free(NULL);
	free(r);
}

static void test_tables(void **state)
{
	static const uint8_t srvsvc[16] = { 0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
					    0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88 };
	static const uint8_t samr[16] = { 0x78, 0x57, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
					  0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xac };
	static const uint8_t netlogon[16] = { 0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
					      0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0xcf, 0xfb };
	uint8_t other[16] = { 0 };

	(void)state;
	assert_string_equal(ws_kb_dcerpc_iface_name(srvsvc), "srvsvc");
	assert_string_equal(ws_kb_dcerpc_iface_name(samr), "samr");
	assert_string_equal(ws_kb_dcerpc_iface_name(netlogon), "netlogon");
	assert_null(ws_kb_dcerpc_iface_name(other));
	assert_string_equal(ws_kb_dcerpc_op_name("srvsvc", 15), "NetShareEnumAll");
	assert_string_equal(ws_kb_dcerpc_op_name("srvsvc", 16), "NetShareGetInfo");
	assert_string_equal(ws_kb_dcerpc_op_name("samr", 13), "SamrEnumerateUsersInDomain");
	assert_string_equal(ws_kb_dcerpc_op_name("samr", 64), "SamrConnect5");
	assert_string_equal(ws_kb_dcerpc_op_name("samr", 6), "SamrEnumerateDomainsInSamServer");
	assert_string_equal(ws_kb_dcerpc_op_name("lsarpc", 15), "LsarLookupSids");
	assert_string_equal(ws_kb_dcerpc_op_name("lsarpc", 44), "LsarOpenPolicy2");
	assert_string_equal(ws_kb_dcerpc_op_name("netlogon", 26), "NetrServerAuthenticate3");
	assert_string_equal(ws_kb_dcerpc_op_name("netlogon", 30), "NetrServerPasswordSet2");
	assert_string_equal(ws_kb_dcerpc_op_name("svcctl", 12), "RCreateServiceW");
	assert_string_equal(ws_kb_dcerpc_op_name("epmapper", 3), "ept_map");
	assert_null(ws_kb_dcerpc_op_name("srvsvc", 9999));
	assert_null(ws_kb_dcerpc_op_name("nosuch", 0));
	assert_null(ws_kb_dcerpc_op_name(NULL, 15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_two_contexts_and_ack),
		cmocka_unit_test(test_bind_two_interfaces_and_rejection),
		cmocka_unit_test(test_request_response_pairing),
		cmocka_unit_test(test_fault),
		cmocka_unit_test(test_bind_nak),
		cmocka_unit_test(test_split_writes),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_hostile_frag_length),
		cmocka_unit_test(test_truncated_request_body),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_pipe_limit_and_names),
		cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
