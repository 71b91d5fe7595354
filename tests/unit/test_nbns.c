/*
 * test_nbns.c - the NetBIOS name service parser (src/proto/nbns.c), driven
 * through the real engine (tests/unit/harness.h) on crafted datagrams built
 * from the RFC 1002 4.2 layouts: query, positive response with two
 * addresses, negative response, registration and WACK, release, refresh,
 * multi-homed registration, node status request and response (6 names and
 * a MAC), the CLIENTE<20> example, scope names, name pointers (a good one,
 * a loop, a forward one) and every truncation of each message, both as a
 * short datagram and as a snaplen cut. Expected Info strings were checked
 * against tshark on the same bytes (HARNESS_DUMP=dir keeps the captures).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "kb/kb.h"

static const uint8_t ip_client[4] = { 192, 168, 1, 20 };
static const uint8_t ip_server[4] = { 192, 168, 1, 5 };
static const uint8_t ip_bcast[4] = { 192, 168, 1, 255 };

struct msg {
	uint8_t b[600];
	size_t len;
};

static void put8(struct msg *m, uint8_t v)
{
	m->b[m->len++] = v;
}

static void put16(struct msg *m, uint16_t v)
{
	put8(m, (uint8_t)(v >> 8));
	put8(m, (uint8_t)v);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, (uint16_t)(v >> 16));
	put16(m, (uint16_t)v);
}

static void put_bytes(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

/* RFC 1002 4.2.1.1 header. */
static void put_hdr(struct msg *m, uint16_t trn, int response, unsigned opcode, unsigned nm,
		    unsigned rcode, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	put16(m, trn);
	put16(m, (uint16_t)((response ? 0x8000 : 0) | opcode << 11 | nm << 4 | rcode));
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

/* RFC 1001 14.1 name; scope "a.b" becomes labels a, b. */
static void put_name(struct msg *m, const char *name, uint8_t suffix, const char *scope)
{
	char enc[33];

	ws_nb_encode_name(name, suffix, enc);
	put8(m, 32);
	put_bytes(m, enc, 32);
	while (scope && *scope) {
		const char *dot = strchr(scope, '.');
		size_t n = dot ? (size_t)(dot - scope) : strlen(scope);

		put8(m, (uint8_t)n);
		put_bytes(m, scope, n);
		scope += n + (dot ? 1 : 0);
	}
	put8(m, 0);
}

/* Type, class IN. */
static void put_qtail(struct msg *m, uint16_t type)
{
	put16(m, type);
	put16(m, 1);
}

/* Type, class, TTL, RDLENGTH. */
static void put_rrhdr(struct msg *m, uint16_t type, uint32_t ttl, uint16_t rdlen)
{
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	put16(m, rdlen);
}

static void put_nb(struct msg *m, uint16_t flags, const uint8_t a[4])
{
	put16(m, flags);
	put_bytes(m, a, 4);
}

/* One datagram from src to dst on 137 -> one run. */
static struct cap_result run_one(const struct msg *m, const uint8_t src[4], const uint8_t dst[4])
{
	uint8_t frame[HARNESS_FRAME_MAX];
	const uint8_t *frames[1] = { frame };
	size_t lens[1];

	lens[0] = harness_udp_frame(frame, src, dst, 137, 137, m->b, m->len);
	assert_true(lens[0] > 0);
	return run_frames(frames, lens, 1);
}

/*
 * A valid query first, then m on the same flow: a hostile first datagram can
 * lose the flow to another probe (DNS says YES to some), and the point here
 * is what the parser does with it. Returns the run; m's event is the last.
 */
static struct cap_result run_after_valid(const struct msg *m)
{
	uint8_t f0[HARNESS_FRAME_MAX];
	uint8_t f1[HARNESS_FRAME_MAX];
	const uint8_t *frames[2] = { f0, f1 };
	size_t lens[2];
	uint8_t q[50];
	char enc[33];

	memset(q, 0, sizeof(q));
	q[0] = 0x12;
	q[3] = 0x10;	/* B */
	q[5] = 1;	/* QDCOUNT */
	q[12] = 32;
	ws_nb_encode_name("CLIENTE", 0x20, enc);
	memcpy(q + 13, enc, 32);
	q[47] = 0x20;	/* NB, after the root label at 45 */
	q[49] = 1;
	lens[0] = harness_udp_frame(f0, ip_client, ip_bcast, 137, 137, q, sizeof(q));
	lens[1] = harness_udp_frame(f1, ip_client, ip_bcast, 137, 137, m->b, m->len);
	return run_frames(frames, lens, 2);
}

static const struct ws_ev_netbios *only_event(const struct cap_result *r)
{
	assert_int_equal(r->nb_cnt, 1);
	assert_int_equal(r->nb[0].nb.service, WS_NB_NS);
	return &r->nb[0].nb;
}

static void msg_query(struct msg *m, const char *name, uint8_t suffix)
{
	memset(m, 0, sizeof(*m));
	put_hdr(m, 0x1234, 0, 0, 0x11, 0, 1, 0, 0, 0);	/* RD, B */
	put_name(m, name, suffix, NULL);
	put_qtail(m, 0x20);
}

static void test_query_cliente(void **state)
{
	struct msg m;
	(void)state;

	msg_query(&m, "CLIENTE", 0x20);
	struct cap_result r = run_one(&m, ip_client, ip_bcast);
	const struct ws_ev_netbios *ev = only_event(&r);

	assert_string_equal(r.info[0], "Name query NB CLIENTE<20>");
	assert_string_equal(r.label[0], "NBNS");
	assert_int_equal(ev->trn_id, 0x1234);
	assert_false(ev->response);
	assert_int_equal(ev->opcode, 0);
	assert_string_equal(ev->opcode_name, "Name query");
	assert_int_equal(ev->nm_flags, 0x11);
	assert_int_equal(ev->qtype, 0x20);
	assert_true(ev->qname.present);
	assert_string_equal(ev->qname.name, "CLIENTE");
	assert_int_equal(ev->qname.suffix, 0x20);
	assert_int_equal(ev->qname.type, WS_NB_UNKNOWN);
	assert_non_null(ev->qname.meaning);	/* <20>: File Server Service */
	assert_string_equal(ev->qname.scope, "");
	assert_false(ev->truncated);
	assert_int_equal(r.anom_cnt, 0);
	cap_free(&r);
}

static void msg_pos_response(struct msg *m)
{
	static const uint8_t a1[4] = { 192, 168, 1, 5 };
	static const uint8_t a2[4] = { 10, 0, 0, 5 };

	memset(m, 0, sizeof(*m));
	put_hdr(m, 0x1234, 1, 0, 0x58, 0, 0, 1, 0, 0);	/* AA RD RA */
	put_name(m, "CLIENTE", 0x20, NULL);
	put_rrhdr(m, 0x20, 300000, 12);
	put_nb(m, 0x0000, a1);
	put_nb(m, 0x2000, a2);	/* ONT = M */
}

static void test_positive_response(void **state)
{
	struct msg m;
	char s[WS_ADDR_STRLEN];
	(void)state;

	msg_pos_response(&m);
	struct cap_result r = run_one(&m, ip_server, ip_client);
	const struct ws_ev_netbios *ev = only_event(&r);

	assert_string_equal(r.info[0], "Name query response NB 192.168.1.5");
	assert_true(ev->response);
	assert_int_equal(ev->rcode, 0);
	assert_int_equal(ev->ttl, 300000);
	assert_int_equal(ev->addr_cnt, 2);
	assert_int_equal(ev->addr_total, 2);
	assert_string_equal(ws_addr_fmt(&ev->addrs[0].addr, s), "192.168.1.5");
	assert_string_equal(ws_addr_fmt(&ev->addrs[1].addr, s), "10.0.0.5");
	assert_int_equal(ev->addrs[1].nb_flags, 0x2000);
	assert_string_equal(ev->qname.name, "CLIENTE");
	assert_int_equal(ev->qname.type, WS_NB_UNIQUE);	/* G clear in NB_FLAGS */
	assert_false(ev->truncated);
	cap_free(&r);
}

static void test_negative_response(void **state)
{
	struct msg m;
	(void)state;

	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0042, 1, 0, 0x58, 3, 0, 1, 0, 0);	/* NAM_ERR */
	put_name(&m, "NOSUCH", 0x00, NULL);
	put_rrhdr(&m, 0x0a, 0, 0);	/* NULL RR, RFC 1002 4.2.14 */
	struct cap_result r = run_one(&m, ip_server, ip_client);
	const struct ws_ev_netbios *ev = only_event(&r);

	assert_string_equal(r.info[0], "Name query response, Requested name does not exist Unknown");
	assert_int_equal(ev->rcode, 3);
	assert_string_equal(ev->rcode_name, "NAM_ERR");
	assert_string_equal(ev->qname.name, "NOSUCH");
	assert_int_equal(ev->addr_cnt, 0);
	cap_free(&r);
}

static void msg_registration(struct msg *m, unsigned opcode, const char *name, uint8_t suffix,
			     uint16_t nb_flags)
{
	static const uint8_t a[4] = { 192, 168, 1, 20 };

	memset(m, 0, sizeof(*m));
	put_hdr(m, 0x7001, 0, opcode, 0x11, 0, 1, 0, 0, 1);
	put_name(m, name, suffix, NULL);
	put_qtail(m, 0x20);
	put8(m, 0xc0);	/* RFC 1002 4.2.2: the additional record points at the question */
	put8(m, 12);
	put_rrhdr(m, 0x20, 300000, 6);
	put_nb(m, nb_flags, a);
}

static void test_registration_and_wack(void **state)
{
	struct msg m;
	(void)state;

	msg_registration(&m, 5, "LABNET", 0x00, 0x8000);
	struct cap_result r = run_one(&m, ip_client, ip_bcast);
	const struct ws_ev_netbios *ev = only_event(&r);

	assert_string_equal(r.info[0], "Registration NB LABNET<00>");
	assert_int_equal(ev->opcode, 5);
	assert_string_equal(ev->qname.name, "LABNET");
	assert_int_equal(ev->qname.type, WS_NB_GROUP);	/* from the record's G bit */
	assert_non_null(ev->qname.meaning);
	assert_int_equal(ev->addr_cnt, 1);
	assert_int_equal(ev->addrs[0].nb_flags, 0x8000);
	assert_int_equal(r.anom_cnt, 0);
	cap_free(&r);

	/* RFC 1002 4.2.16 WACK: RDATA is the request's flags (2 bytes). */
	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x7001, 1, 7, 0x40, 0, 0, 1, 0, 0);
	put_name(&m, "LABNET", 0x00, NULL);
	put_rrhdr(&m, 0x20, 10, 2);
	put16(&m, 0x2910);
	r = run_one(&m, ip_server, ip_client);
	ev = only_event(&r);
	assert_string_equal(r.info[0], "Wait for acknowledgment response");
	assert_int_equal(ev->opcode, 7);
	assert_true(ev->response);
	assert_int_equal(ev->ttl, 10);
	assert_int_equal(ev->addr_cnt, 0);
	assert_int_equal(r.anom_cnt, 0);
	cap_free(&r);
}

static void test_release_refresh_multihomed(void **state)
{
	static const struct {
		unsigned opcode;
		const char *info;
	} cases[] = {
		{ 6, "Release NB FILESRV<20>" },
		{ 8, "Refresh NB FILESRV<20>" },
		{ 9, "Refresh (alternate opcode) NB FILESRV<20>" },
		{ 15, "Multi-homed registration NB FILESRV<20>" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct msg m;

		msg_registration(&m, cases[i].opcode, "FILESRV", 0x20, 0x0000);
		struct cap_result r = run_one(&m, ip_client, ip_server);
		const struct ws_ev_netbios *ev = only_event(&r);

		assert_string_equal(r.info[0], cases[i].info);
		assert_int_equal(ev->opcode, cases[i].opcode);
		assert_int_equal(ev->qname.type, WS_NB_UNIQUE);
		cap_free(&r);
	}
}

static void test_node_status(void **state)
{
	static const struct {
		const char *name;
		uint8_t suffix;
		uint16_t flags;
	} tab[6] = {
		{ "FILESRV", 0x00, 0x0400 }, { "FILESRV", 0x20, 0x0400 },
		{ "LABNET", 0x00, 0x8400 }, { "LABNET", 0x1e, 0x8400 },
		{ "FILESRV", 0x03, 0x0400 }, { "\x01\x02__MSBROWSE__\x02", 0x01, 0x8400 },
	};
	static const uint8_t mac[6] = { 0x00, 0x0c, 0x29, 0xaa, 0xbb, 0xcc };
	struct msg m;
	(void)state;

	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0001, 0, 0, 0, 0, 1, 0, 0, 0);
	put8(&m, 32);
	put_bytes(&m, "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 32);	/* "*" and 15 NULs */
	put8(&m, 0);
	put_qtail(&m, 0x21);
	struct cap_result r = run_one(&m, ip_client, ip_server);
	const struct ws_ev_netbios *ev = only_event(&r);

	assert_string_equal(r.info[0], "Name query NBSTAT *<00><00><00><00><00><00><00><00><00>"
				       "<00><00><00><00><00><00>");
	assert_int_equal(ev->qtype, 0x21);
	assert_string_equal(ev->qname.name, "*\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
					    "\\x00\\x00\\x00\\x00\\x00");
	cap_free(&r);

	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0001, 1, 0, 0x40, 0, 0, 1, 0, 0);
	put8(&m, 32);
	put_bytes(&m, "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 32);
	put8(&m, 0);
	put_rrhdr(&m, 0x21, 0, (uint16_t)(1 + 6 * 18 + 46));
	put8(&m, 6);
	for (int i = 0; i < 6; i++) {
		char raw[16];

		memset(raw, ' ', 15);
		memcpy(raw, tab[i].name, strlen(tab[i].name));
		raw[15] = (char)tab[i].suffix;
		put_bytes(&m, raw, 16);
		put16(&m, tab[i].flags);
	}
	put_bytes(&m, mac, 6);
	for (int i = 0; i < 40; i++)
		put8(&m, 0);
	r = run_one(&m, ip_server, ip_client);
	ev = only_event(&r);
	assert_string_equal(r.info[0], "Name query response NBSTAT");
	assert_int_equal(ev->status_total, 6);
	assert_int_equal(ev->status_cnt, 6);
	assert_string_equal(ev->status[0].name.name, "FILESRV");
	assert_int_equal(ev->status[0].name.type, WS_NB_UNIQUE);
	assert_int_equal(ev->status[3].name.suffix, 0x1e);
	assert_int_equal(ev->status[3].name.type, WS_NB_GROUP);
	assert_int_equal(ev->status[3].flags, 0x8400);
	assert_non_null(ev->status[3].name.meaning);
	assert_string_equal(ev->status[5].name.name, "\\x01\\x02__MSBROWSE__\\x02");
	assert_true(ev->has_unit_id);
	assert_memory_equal(ev->unit_id, mac, 6);
	assert_false(ev->truncated);
	cap_free(&r);
}

static void test_scope(void **state)
{
	struct msg m;
	(void)state;

	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0101, 0, 0, 0x11, 0, 1, 0, 0, 0);
	put_name(&m, "PRINTER", 0x20, "corp.example");
	put_qtail(&m, 0x20);
	struct cap_result r = run_one(&m, ip_client, ip_bcast);
	const struct ws_ev_netbios *ev = only_event(&r);

	assert_string_equal(r.info[0], "Name query NB PRINTER<20>.corp.example");
	assert_string_equal(ev->qname.name, "PRINTER");
	assert_string_equal(ev->qname.scope, "corp.example");
	cap_free(&r);
}

/* An answer whose name is a pointer: to the question (good), to itself, forward. */
static void test_pointers(void **state)
{
	static const uint8_t a[4] = { 192, 168, 1, 5 };
	struct msg m;
	(void)state;

	/* A response carrying the question too, answer name = pointer to 12. */
	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0202, 1, 0, 0x58, 0, 1, 1, 0, 0);
	put_name(&m, "GOOD", 0x00, NULL);
	put_qtail(&m, 0x20);
	put8(&m, 0xc0);
	put8(&m, 12);
	put_rrhdr(&m, 0x20, 60, 6);
	put_nb(&m, 0, a);
	struct cap_result r = run_one(&m, ip_server, ip_client);
	const struct ws_ev_netbios *ev = only_event(&r);
	assert_string_equal(ev->qname.name, "GOOD");
	assert_int_equal(ev->addr_cnt, 1);
	assert_false(cap_has_anomaly(&r, "nbns_bad_name"));
	cap_free(&r);

	/* Answer name points at itself: a loop. */
	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0203, 1, 0, 0x58, 0, 0, 1, 0, 0);
	put8(&m, 0xc0);
	put8(&m, 12);
	put_rrhdr(&m, 0x20, 60, 6);
	put_nb(&m, 0, a);
	r = run_one(&m, ip_server, ip_client);
	ev = only_event(&r);
	assert_true(cap_has_anomaly(&r, "nbns_bad_name"));
	assert_false(ev->qname.present);
	cap_free(&r);

	/* Two labels pointing at each other through a back-and-forth chain:
	 * a scope label followed by a pointer back to the first label. */
	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0204, 1, 0, 0x58, 0, 0, 1, 0, 0);
	put8(&m, 32);
	put_bytes(&m, "EFEFEFEFEFEFEFEFEFEFEFEFEFEFEFEF", 32);
	put8(&m, 0xc0);
	put8(&m, 12);	/* back to the name's own start: loops through the label */
	put_rrhdr(&m, 0x20, 60, 6);
	put_nb(&m, 0, a);
	r = run_one(&m, ip_server, ip_client);
	assert_int_equal(r.nb_cnt, 1);
	assert_true(cap_has_anomaly(&r, "nbns_bad_name"));
	cap_free(&r);

	/* Forward pointer, past the end. */
	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0205, 1, 0, 0x58, 0, 0, 1, 0, 0);
	put8(&m, 0xc3);
	put8(&m, 0xff);
	put_rrhdr(&m, 0x20, 60, 6);
	put_nb(&m, 0, a);
	r = run_one(&m, ip_server, ip_client);
	assert_int_equal(r.nb_cnt, 1);
	assert_true(cap_has_anomaly(&r, "nbns_bad_name"));
	cap_free(&r);

	/* Bad alphabet, a first label of 31, an empty name, a 64-byte label. */
	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0206, 0, 0, 0x11, 0, 1, 0, 0, 0);
	put8(&m, 32);
	put_bytes(&m, "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", 32);
	put8(&m, 0);
	put_qtail(&m, 0x20);
	r = run_after_valid(&m);
	assert_int_equal(r.nb_cnt, 2);
	assert_string_equal(r.nb[0].nb.qname.name, "CLIENTE");
	assert_true(cap_has_anomaly(&r, "nbns_bad_name"));
	cap_free(&r);

	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0207, 0, 0, 0x11, 0, 1, 0, 0, 0);
	put8(&m, 32);
	put_bytes(&m, "EFEFEFEFEFEFEFEFEFEFEFEFEFEFEFEF", 32);
	put8(&m, 64);
	for (int i = 0; i < 64; i++)
		put8(&m, 'a');
	put8(&m, 0);
	put_qtail(&m, 0x20);
	r = run_after_valid(&m);
	assert_int_equal(r.nb_cnt, 2);
	assert_string_equal(r.nb[0].nb.qname.name, "CLIENTE");
	assert_true(cap_has_anomaly(&r, "nbns_bad_name"));
	cap_free(&r);
}

/* A scope of more than 255 bytes (five 63-byte labels). */
static void test_long_scope(void **state)
{
	struct msg m;
	(void)state;

	memset(&m, 0, sizeof(m));
	put_hdr(&m, 0x0208, 0, 0, 0x11, 0, 1, 0, 0, 0);
	put8(&m, 32);
	put_bytes(&m, "EFEFEFEFEFEFEFEFEFEFEFEFEFEFEFEF", 32);
	for (int l = 0; l < 5; l++) {
		put8(&m, 63);
		for (int i = 0; i < 63; i++)
			put8(&m, 'x');
	}
	put8(&m, 0);
	put_qtail(&m, 0x20);
	struct cap_result r = run_one(&m, ip_client, ip_bcast);
	assert_int_equal(r.nb_cnt, 1);
	assert_true(cap_has_anomaly(&r, "nbns_bad_name"));
	cap_free(&r);
}

/*
 * Every cut of m: as a short datagram (n frames in one run) and as a snaplen
 * cut. Each gives one event, marked truncated; nothing crashes.
 */
static void check_truncations(const struct msg *m)
{
	enum { CUTS_MAX = 600 };
	uint8_t (*frames_buf)[HARNESS_FRAME_MAX] = calloc(CUTS_MAX, HARNESS_FRAME_MAX);
	const uint8_t *frames[CUTS_MAX];
	size_t lens[CUTS_MAX];
	size_t n = m->len;

	assert_non_null(frames_buf);
	assert_true(n <= CUTS_MAX && n <= HARNESS_PKTS_MAX);
	/* Cut 0 is an empty datagram: no payload, no parser call. */
	for (size_t cut = 1; cut < n; cut++) {
		frames[cut - 1] = frames_buf[cut - 1];
		lens[cut - 1] = harness_udp_frame(frames_buf[cut - 1], ip_client, ip_server,
						  137, 137, m->b, cut);
	}
	struct cap_result r = run_frames(frames, lens, n - 1);
	assert_int_equal(r.nb_cnt, n - 1);
	for (size_t i = 0; i < r.nb_cnt; i++)
		assert_true(r.nb[i].nb.truncated || cap_has_anomaly(&r, "nbns_bad_name"));
	assert_true(cap_has_anomaly(&r, "nbns_truncated"));
	cap_free(&r);

	/* The same message, whole on the wire, with the capture cut short. */
	frames[0] = frames_buf[0];
	lens[0] = harness_udp_frame(frames_buf[0], ip_client, ip_server, 137, 137, m->b, n);
	for (size_t cut = 43; cut < lens[0]; cut++) {
		r = run_frames_snap(frames, lens, 1, (uint32_t)cut);
		assert_int_equal(r.nb_cnt, 1);
		assert_true(r.nb[0].nb.truncated);
		cap_free(&r);
	}
	free(frames_buf);
}

static void test_truncations(void **state)
{
	struct msg m;
	(void)state;

	msg_query(&m, "CLIENTE", 0x20);
	check_truncations(&m);
	msg_pos_response(&m);
	check_truncations(&m);
	msg_registration(&m, 5, "LABNET", 0x00, 0x8000);
	check_truncations(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_cliente),
		cmocka_unit_test(test_positive_response),
		cmocka_unit_test(test_negative_response),
		cmocka_unit_test(test_registration_and_wack),
		cmocka_unit_test(test_release_refresh_multihomed),
		cmocka_unit_test(test_node_status),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_long_scope),
		cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
