/*
 * test_flow.c - the flow table (src/flow/flow.c): roles in the four cases,
 * direction on every packet, ids, counters, TCP state, port reuse, timeouts
 * per class, time going backwards, eviction at a tiny cap, on_end exactly once
 * per flow with its reason, growth of the hash table, and packets that have
 * no flow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow/flow.h"

#define SEC 1000000000LL
#define ENDS_MAX 70000

struct ends {
	size_t n;
	uint64_t id[ENDS_MAX];
	enum ws_flow_end why[ENDS_MAX];
	enum ws_flow_state state[ENDS_MAX];
	uint64_t pkts[ENDS_MAX];
};

static void on_end(void *user, struct ws_flow *f)
{
	struct ends *e = user;

	assert_true(f->end_reason != WS_END_NONE);
	assert_true(e->n < ENDS_MAX);
	e->id[e->n] = f->id;
	e->why[e->n] = f->end_reason;
	e->state[e->n] = f->state;
	e->pkts[e->n] = f->pkts[0] + f->pkts[1];
	e->n++;
}

/* Each flow id ended exactly once. */
static void assert_each_once(const struct ends *e, uint64_t created)
{
	uint8_t *seen = calloc(created + 1, 1);

	assert_int_equal(e->n, created);
	for (size_t i = 0; i < e->n; i++) {
		assert_true(e->id[i] >= 1 && e->id[i] <= created);
		assert_int_equal(seen[e->id[i]], 0);
		seen[e->id[i]] = 1;
	}
	free(seen);
}

struct pk {
	const char *src, *dst;
	uint16_t sport, dport;
	uint8_t proto, flags;
	uint32_t seq;
	int64_t ts;
	uint32_t payload;
};

static void make(struct ws_packet *p, const struct pk *k)
{
	memset(p, 0, sizeof(*p));
	p->num = 1000u + k->seq;	/* any value: tests compare it with what they made */
	p->ts_ns = k->ts;
	p->wirelen = 60 + k->payload;
	p->caplen = p->wirelen;
	p->has_eth = 1;
	/* the MAC's last byte is the address's last byte, to check roles */
	assert_int_equal(ws_addr_parse(&p->src, k->src), 0);
	assert_int_equal(ws_addr_parse(&p->dst, k->dst), 0);
	p->ip_ver = p->src.v;
	p->eth_src[5] = p->src.b[p->ip_ver == 4 ? 3 : 15];
	p->eth_dst[5] = p->dst.b[p->ip_ver == 4 ? 3 : 15];
	p->ip_proto = k->proto;
	p->sport = k->sport;
	p->dport = k->dport;
	p->tcp.flags = k->flags;
	p->tcp.seq = k->seq;
	p->payload_len = k->payload;
	p->payload_wire_len = k->payload;
	p->l4_ok = 1;
}

static struct ws_flow *track(struct ws_flow_table *t, const struct pk *k, enum ws_dir *dir)
{
	struct ws_packet p;

	make(&p, k);
	*dir = (enum ws_dir)99;
	struct ws_flow *f = ws_flow_track(t, &p, dir);
	if (f)
		assert_true(*dir == WS_DIR_TO_SERVER || *dir == WS_DIR_TO_CLIENT);
	return f;
}

static struct ws_flow_table *table(struct ends *e, size_t max)
{
	struct ws_flow_cfg cfg;

	ws_flow_cfg_default(&cfg);
	if (max)
		cfg.max_flows = max;
	memset(e, 0, sizeof(*e));
	struct ws_flow_table *t = ws_flow_table_new(&cfg, on_end, e);
	assert_non_null(t);
	return t;
}

#define TCP 6
#define UDP 17
#define S WS_TH_SYN
#define A WS_TH_ACK
#define F WS_TH_FIN
#define R WS_TH_RST
#define P WS_TH_PSH

static void assert_addr(const struct ws_addr *a, const char *s)
{
	struct ws_addr b;

	assert_int_equal(ws_addr_parse(&b, s), 0);
	assert_true(ws_addr_eq(a, &b));
}

/* ---- roles ---- */

static void test_role_syn_sender(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* The SYN goes from the low port to the high one: still the client. */
	struct ws_flow *f = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 80, 50000, TCP, S, 100, 1, 0 }, &d);
	assert_non_null(f);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_addr(&f->cli, "10.0.0.1");
	assert_int_equal(f->cport, 80);
	assert_int_equal(f->sport, 50000);
	assert_int_equal(f->state, WS_FLOW_NEW);
	assert_int_equal(f->id, 1);
	struct ws_flow *g = track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 50000, 80, TCP, S | A, 900, 2, 0 }, &d);
	assert_ptr_equal(f, g);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	assert_int_equal(f->state, WS_FLOW_ESTABLISHED);
	assert_int_equal(f->isn[0], 100);
	assert_int_equal(f->isn[1], 900);
	assert_int_equal(f->tcp_flags[0], S);
	assert_int_equal(f->tcp_flags[1], S | A);
	assert_int_equal(f->cli_mac[5], 1);
	assert_int_equal(f->srv_mac[5], 2);
	assert_int_equal(f->has_mac, 3);
	ws_flow_table_free(t);
	assert_int_equal(e->n, 1);
	assert_int_equal(e->why[0], WS_END_CAPTURE_END);
	free(e);
}

static void test_role_synack_receiver(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* First packet seen is the SYN+ACK from 445: its receiver is the client. */
	struct ws_flow *f = track(t, &(struct pk){ "192.168.1.5", "192.168.1.9", 445, 49700, TCP, S | A, 7, 1, 0 }, &d);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	assert_addr(&f->cli, "192.168.1.9");
	assert_int_equal(f->cport, 49700);
	assert_int_equal(f->sport, 445);
	assert_int_equal(f->isn[WS_DIR_TO_CLIENT], 7);
	assert_int_equal(f->isn_set[WS_DIR_TO_SERVER], 0);
	assert_int_equal(f->srv_mac[5], 5);
	assert_int_equal(f->has_mac, 2);
	track(t, &(struct pk){ "192.168.1.9", "192.168.1.5", 49700, 445, TCP, A, 1, 2, 0 }, &d);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_int_equal(f->state, WS_FLOW_ESTABLISHED);
	ws_flow_table_free(t);
	free(e);
}

static void test_role_higher_port(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* Mid-stream TCP, first packet from the server's port. */
	struct ws_flow *f = track(t, &(struct pk){ "10.1.1.1", "10.1.1.2", 21, 1025, TCP, A | P, 5, 1, 10 }, &d);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	assert_int_equal(f->cport, 1025);
	assert_int_equal(f->sport, 21);
	assert_addr(&f->srv, "10.1.1.1");
	/* UDP, first packet from the client's (higher) port. */
	struct ws_flow *u = track(t, &(struct pk){ "10.1.1.3", "10.1.1.4", 53124, 53, UDP, 0, 0, 1, 30 }, &d);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_int_equal(u->cport, 53124);
	assert_int_equal(u->state, WS_FLOW_NEW);
	assert_ptr_equal(track(t, &(struct pk){ "10.1.1.4", "10.1.1.3", 53, 53124, UDP, 0, 0, 2, 90 }, &d), u);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	assert_int_equal(u->state, WS_FLOW_ESTABLISHED);
	assert_int_equal(u->payload_bytes[0], 30);
	assert_int_equal(u->payload_bytes[1], 90);
	assert_int_equal(u->bytes[0], 90);
	assert_int_equal(u->bytes[1], 150);
	assert_int_equal(u->id, 2);
	ws_flow_table_free(t);
	free(e);
}

static void test_role_equal_ports(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* NBNS 137 <-> 137: the first sender is the client, whichever address is lower. */
	struct ws_flow *f = track(t, &(struct pk){ "10.0.0.200", "10.0.0.3", 137, 137, UDP, 0, 0, 1, 0 }, &d);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_addr(&f->cli, "10.0.0.200");
	assert_ptr_equal(track(t, &(struct pk){ "10.0.0.3", "10.0.0.200", 137, 137, UDP, 0, 0, 2, 0 }, &d), f);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	assert_ptr_equal(track(t, &(struct pk){ "10.0.0.200", "10.0.0.3", 137, 137, UDP, 0, 0, 3, 0 }, &d), f);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	/* ICMP uses ports 0: the first sender is the client too; all ICMP between two hosts is one flow. */
	struct ws_flow *i = track(t, &(struct pk){ "10.0.0.9", "10.0.0.1", 0, 0, 1, 0, 0, 4, 0 }, &d);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_addr(&i->cli, "10.0.0.9");
	assert_int_equal(i->cport, 0);
	assert_ptr_equal(track(t, &(struct pk){ "10.0.0.1", "10.0.0.9", 0, 0, 1, 0, 0, 5, 0 }, &d), i);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	assert_int_equal(i->state, WS_FLOW_ESTABLISHED);
	/* IPv6 works the same way. */
	struct ws_flow *v6 = track(t, &(struct pk){ "fe80::1", "ff02::fb", 5353, 5353, UDP, 0, 0, 6, 0 }, &d);
	assert_int_equal(v6->ip_ver, 6);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_ptr_not_equal(v6, f);
	const struct ws_flow_stats *st = ws_flow_table_stats(t);
	assert_int_equal(st->created, 3);
	assert_int_equal(st->live, 3);
	ws_flow_table_free(t);
	free(e);
}

static void test_counters(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;
	struct ws_packet p;

	make(&p, &(struct pk){ "1.2.3.4", "5.6.7.8", 40000, 80, TCP, S, 10, 5 * SEC, 0 });
	p.file_idx = 3;
	struct ws_flow *f = ws_flow_track(t, &p, &d);
	uint64_t first = p.num;
	track(t, &(struct pk){ "5.6.7.8", "1.2.3.4", 80, 40000, TCP, S | A, 20, 6 * SEC, 0 }, &d);
	track(t, &(struct pk){ "1.2.3.4", "5.6.7.8", 40000, 80, TCP, A | P, 11, 7 * SEC, 100 }, &d);
	make(&p, &(struct pk){ "5.6.7.8", "1.2.3.4", 80, 40000, TCP, A | P, 21, 8 * SEC, 1000 });
	p.payload_len = 200;	/* snaplen cut: the wire length counts */
	p.file_idx = 4;
	ws_flow_track(t, &p, &d);
	assert_int_equal(f->pkts[0], 2);
	assert_int_equal(f->pkts[1], 2);
	assert_int_equal(f->bytes[0], 60 + 160);
	assert_int_equal(f->bytes[1], 60 + 1060);
	assert_int_equal(f->payload_bytes[0], 100);
	assert_int_equal(f->payload_bytes[1], 1000);
	assert_int_equal(f->first_ns, 5 * SEC);
	assert_int_equal(f->last_ns, 8 * SEC);
	assert_int_equal(f->first_pkt, first);
	assert_int_equal(f->last_pkt, p.num);
	assert_int_equal(f->file_idx, 3);
	assert_int_equal(f->tcp_flags[0], S | A | P);
	/* A packet from the past does not move last_ns back. */
	track(t, &(struct pk){ "1.2.3.4", "5.6.7.8", 40000, 80, TCP, A, 111, 2 * SEC, 0 }, &d);
	assert_int_equal(f->last_ns, 8 * SEC);
	ws_flow_table_free(t);
	free(e);
}

static void test_no_flow(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;
	struct ws_packet p;

	memset(&p, 0, sizeof(p));
	p.ethertype = 0x0806;
	assert_null(ws_flow_track(t, &p, &d));
	make(&p, &(struct pk){ "1.1.1.1", "2.2.2.2", 1, 2, UDP, 0, 0, 1, 0 });
	p.frag = WS_FRAG_HELD;
	assert_null(ws_flow_track(t, &p, &d));
	make(&p, &(struct pk){ "1.1.1.1", "2.2.2.2", 1, 2, TCP, 0, 0, 1, 0 });
	p.l4_ok = 0;
	assert_null(ws_flow_track(t, &p, &d));
	/* Another protocol (GRE) keys with ports 0 whatever the packet says. */
	make(&p, &(struct pk){ "1.1.1.1", "2.2.2.2", 7, 9, 47, 0, 0, 1, 0 });
	struct ws_flow *f = ws_flow_track(t, &p, &d);
	assert_non_null(f);
	assert_int_equal(f->cport, 0);
	assert_int_equal(f->sport, 0);
	assert_int_equal(ws_flow_table_stats(t)->created, 1);
	ws_flow_table_free(t);
	free(e);
}

/* ---- TCP state ---- */

static void test_tcp_states(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* Rejected: SYN answered by RST. */
	struct ws_flow *f = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40001, 23, TCP, S, 1, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 23, 40001, TCP, R | A, 0, 1, 0 }, &d);
	assert_int_equal(f->state, WS_FLOW_REJECTED);
	/* Reset: after a handshake. */
	f = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40002, 23, TCP, S, 1, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 23, 40002, TCP, S | A, 1, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 23, 40002, TCP, R, 2, 1, 0 }, &d);
	assert_int_equal(f->state, WS_FLOW_RESET);
	/* Reset by the client after data. */
	f = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40003, 23, TCP, A, 1, 1, 5 }, &d);
	assert_int_equal(f->state, WS_FLOW_NEW);
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40003, 23, TCP, R, 6, 1, 0 }, &d);
	assert_int_equal(f->state, WS_FLOW_RESET);
	/* Closed: a FIN each way; one FIN is only a half-close. */
	f = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40004, 23, TCP, S, 1, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 23, 40004, TCP, S | A, 1, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40004, 23, TCP, F | A, 2, 1, 0 }, &d);
	assert_int_equal(f->state, WS_FLOW_ESTABLISHED);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 23, 40004, TCP, F | A, 2, 1, 0 }, &d);
	assert_int_equal(f->state, WS_FLOW_CLOSED);
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40004, 23, TCP, R, 3, 1, 0 }, &d);
	assert_int_equal(f->state, WS_FLOW_CLOSED);
	assert_string_equal(ws_flow_state_name(WS_FLOW_REJECTED), "rejected");
	assert_string_equal(ws_flow_state_name(WS_FLOW_ESTABLISHED), "established");
	assert_string_equal(ws_flow_end_name(WS_END_PORT_REUSE), "port_reuse");
	assert_string_equal(ws_flow_end_name(WS_END_CAPTURE_END), "capture_end");
	assert_string_equal(ws_flow_end_name(WS_END_TCP_CLOSE), "tcp_close");
	assert_string_equal(ws_ident_name(WS_IDENT_EXPECTED), "expected");
	assert_string_equal(ws_flow_state_name((enum ws_flow_state)77), "unknown");
	ws_flow_table_free(t);
	free(e);
}

/* ---- port reuse ---- */

static void test_port_reuse(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	struct ws_flow *f = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, S, 1000, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 445, 40000, TCP, S | A, 5, 1, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, F | A, 1001, 2, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 445, 40000, TCP, F | A, 6, 2, 0 }, &d);
	assert_int_equal(f->id, 1);
	/* A new SYN on the closed 5-tuple: a new flow, the old one ends with port_reuse. */
	struct ws_flow *g = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, S, 9000, 3, 0 }, &d);
	assert_int_equal(e->n, 1);
	assert_int_equal(e->id[0], 1);
	assert_int_equal(e->why[0], WS_END_PORT_REUSE);
	assert_int_equal(e->pkts[0], 4);
	assert_int_equal(g->id, 2);
	assert_int_equal(g->pkts[0], 1);
	assert_int_equal(g->state, WS_FLOW_NEW);
	assert_int_equal(g->isn[0], 9000);
	/* Its retransmission is the same flow. */
	assert_ptr_equal(track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, S, 9000, 4, 0 }, &d), g);
	/* Rejected, then the same SYN again (same ISN): a retry of the same attempt. */
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 445, 40000, TCP, R | A, 0, 4, 0 }, &d);
	assert_int_equal(g->state, WS_FLOW_REJECTED);
	assert_ptr_equal(track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, S, 9000, 5, 0 }, &d), g);
	assert_int_equal(g->pkts[0], 3);
	/* ... a SYN with another ISN after the RST: a new attempt. */
	struct ws_flow *h = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, S, 12345, 6, 0 }, &d);
	assert_int_equal(h->id, 3);
	assert_int_equal(e->n, 2);
	assert_int_equal(e->why[1], WS_END_PORT_REUSE);
	assert_int_equal(e->state[1], WS_FLOW_REJECTED);
	/* A SYN from the other side after an RST: a new flow with the roles turned. */
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 445, TCP, R, 12346, 7, 0 }, &d);
	struct ws_flow *k = track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 445, 40000, TCP, S, 77, 8, 0 }, &d);
	assert_int_equal(k->id, 4);
	assert_int_equal(d, WS_DIR_TO_SERVER);
	assert_addr(&k->cli, "10.0.0.2");
	assert_int_equal(k->cport, 445);
	/* An established flow (no FIN, no RST) is not split by a stray SYN. */
	struct ws_flow *m = track(t, &(struct pk){ "10.0.0.5", "10.0.0.6", 50000, 80, TCP, S, 1, 9, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.6", "10.0.0.5", 80, 50000, TCP, S | A, 1, 9, 0 }, &d);
	assert_ptr_equal(track(t, &(struct pk){ "10.0.0.5", "10.0.0.6", 50000, 80, TCP, S, 555, 9, 0 }, &d), m);
	const struct ws_flow_stats *st = ws_flow_table_stats(t);
	assert_int_equal(st->port_reuse, 3);
	assert_int_equal(st->created, 5);
	assert_int_equal(st->live, 2);
	ws_flow_table_free(t);
	assert_each_once(e, 5);
	free(e);
}

/* ---- timeouts ---- */

static void test_timeouts_per_class(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_cfg cfg;
	enum ws_dir d;

	ws_flow_cfg_default(&cfg);
	cfg.tcp_new_timeout_ns = 10 * SEC;
	cfg.tcp_est_timeout_ns = 100 * SEC;
	cfg.tcp_closed_timeout_ns = 5 * SEC;
	cfg.udp_timeout_ns = 20 * SEC;
	cfg.other_timeout_ns = 30 * SEC;
	memset(e, 0, sizeof(*e));
	struct ws_flow_table *t = ws_flow_table_new(&cfg, on_end, e);

	int64_t t0 = 1000 * SEC;
	struct ws_flow *nw = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 22, TCP, S, 1, t0, 0 }, &d);
	struct ws_flow *est = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40001, 22, TCP, S, 1, t0, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 22, 40001, TCP, S | A, 1, t0, 0 }, &d);
	struct ws_flow *cl = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40002, 22, TCP, S, 1, t0, 0 }, &d);
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 22, 40002, TCP, R | A, 0, t0, 0 }, &d);
	struct ws_flow *udp = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40003, 53, UDP, 0, 0, t0, 0 }, &d);
	struct ws_flow *oth = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 0, 0, 1, 0, 0, t0, 0 }, &d);
	uint64_t id_new = nw->id, id_est = est->id, id_cl = cl->id, id_udp = udp->id, id_oth = oth->id;

	ws_flow_expire(t, t0 + 5 * SEC);		/* exactly the closed timeout: not past it */
	assert_int_equal(e->n, 0);
	ws_flow_expire(t, t0 + 6 * SEC);
	assert_int_equal(e->n, 1);
	assert_int_equal(e->id[0], id_cl);
	assert_int_equal(e->why[0], WS_END_TCP_CLOSE);
	ws_flow_expire(t, t0 + 11 * SEC);
	assert_int_equal(e->n, 2);
	assert_int_equal(e->id[1], id_new);
	assert_int_equal(e->why[1], WS_END_TIMEOUT);
	/* Time going backwards expires nothing. */
	ws_flow_expire(t, t0 - 1000 * SEC);
	assert_int_equal(e->n, 2);
	ws_flow_expire(t, t0 + 21 * SEC);
	assert_int_equal(e->n, 3);
	assert_int_equal(e->id[2], id_udp);
	ws_flow_expire(t, t0 + 31 * SEC);
	assert_int_equal(e->n, 4);
	assert_int_equal(e->id[3], id_oth);
	/* Activity keeps a flow alive. */
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40001, 22, TCP, A, 2, t0 + 90 * SEC, 0 }, &d);
	ws_flow_expire(t, t0 + 150 * SEC);
	assert_int_equal(e->n, 4);
	ws_flow_expire(t, t0 + 191 * SEC);
	assert_int_equal(e->n, 5);
	assert_int_equal(e->id[4], id_est);
	assert_int_equal(e->why[4], WS_END_TIMEOUT);
	const struct ws_flow_stats *st = ws_flow_table_stats(t);
	assert_int_equal(st->timed_out, 5);
	assert_int_equal(st->live, 0);
	assert_int_equal(st->live_max, 5);
	ws_flow_table_free(t);
	assert_each_once(e, 5);
	free(e);
}

static void test_timeout_on_packet(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* Without a call to expire, a packet after the idle timeout starts a new flow. */
	struct ws_flow *u = track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 5000, 161, UDP, 0, 0, 10 * SEC, 0 }, &d);
	uint64_t id = u->id;
	struct ws_flow *v = track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 161, 5000, UDP, 0, 0, 500 * SEC, 0 }, &d);
	assert_int_equal(e->n, 1);
	assert_int_equal(e->id[0], id);
	assert_int_equal(e->why[0], WS_END_TIMEOUT);
	assert_int_equal(v->id, id + 1);
	/* The new flow's roles follow the ports again. */
	assert_int_equal(v->cport, 5000);
	assert_int_equal(d, WS_DIR_TO_CLIENT);
	ws_flow_table_free(t);
	free(e);
}

static void test_time_backwards_across_files(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* File 1 is from 2024, file 2 from 2010: the flows of file 2 live normally. */
	const int64_t y2024 = 1700000000LL * SEC, y2010 = 1270000000LL * SEC;
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 80, TCP, S, 1, y2024, 0 }, &d);
	for (int i = 0; i < 10; i++) {
		int64_t now = y2010 + i * SEC;
		ws_flow_expire(t, now);
		track(t, &(struct pk){ "10.9.0.1", "10.9.0.2", 30000, 139, TCP, A, 1u + (uint32_t)i, now, 1 }, &d);
	}
	assert_int_equal(e->n, 0);
	assert_int_equal(ws_flow_table_stats(t)->created, 2);

	ws_flow_table_free(t);
	/* Flush: least recently seen first, which with time going backwards
	 * is the order of arrival, not of timestamps. */
	assert_int_equal(e->n, 2);
	assert_int_equal(e->id[0], 1);
	assert_int_equal(e->id[1], 2);
	free(e);
}

static void test_extreme_timestamps(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	/* Neither overflow (UBSan watches) nor a wrong expiry. */
	track(t, &(struct pk){ "10.8.0.1", "10.8.0.2", 30000, 139, UDP, 0, 0, INT64_MIN, 0 }, &d);
	ws_flow_expire(t, INT64_MIN);
	assert_int_equal(e->n, 0);
	ws_flow_expire(t, INT64_MAX);
	assert_int_equal(e->n, 1);
	track(t, &(struct pk){ "10.8.0.1", "10.8.0.2", 30000, 139, UDP, 0, 0, INT64_MIN, 0 }, &d);
	track(t, &(struct pk){ "10.8.0.1", "10.8.0.2", 30000, 139, UDP, 0, 0, INT64_MAX, 0 }, &d);
	assert_int_equal(e->n, 2);
	assert_int_equal(e->why[1], WS_END_TIMEOUT);
	ws_flow_table_free(t);
	assert_int_equal(e->n, 3);
	free(e);
}

/* ---- eviction ---- */

static void test_eviction_tiny_cap(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 3);
	enum ws_dir d;

	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 1001, 53, UDP, 0, 0, 1 * SEC, 0 }, &d);	/* id 1 */
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 40000, 80, TCP, S, 1, 2 * SEC, 0 }, &d);	/* id 2 */
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.3", 0, 0, 1, 0, 0, 3 * SEC, 0 }, &d);		/* id 3 */
	/* Touch id 1 so that id 2 is the least recently seen. */
	track(t, &(struct pk){ "10.0.0.2", "10.0.0.1", 53, 1001, UDP, 0, 0, 4 * SEC, 0 }, &d);
	struct ws_flow *f4 = track(t, &(struct pk){ "10.0.0.7", "10.0.0.2", 1002, 53, UDP, 0, 0, 5 * SEC, 0 }, &d);
	assert_int_equal(f4->id, 4);
	assert_int_equal(e->n, 1);
	assert_int_equal(e->id[0], 2);
	assert_int_equal(e->why[0], WS_END_EVICTED);
	/* Next the oldest is id 3 (ICMP, another class). */
	track(t, &(struct pk){ "10.0.0.8", "10.0.0.2", 1003, 53, UDP, 0, 0, 6 * SEC, 0 }, &d);
	assert_int_equal(e->n, 2);
	assert_int_equal(e->id[1], 3);
	/* Many more: never above the cap. */
	for (uint16_t i = 0; i < 1000; i++) {
		track(t, &(struct pk){ "10.0.1.1", "10.0.1.2", (uint16_t)(2000 + i), 80, TCP, S, i, (7 + i) * SEC, 0 }, &d);
		assert_true(ws_flow_table_stats(t)->live <= 3);
	}
	const struct ws_flow_stats *st = ws_flow_table_stats(t);
	assert_int_equal(st->created, 1005);
	assert_int_equal(st->evicted, 1002);
	assert_int_equal(st->live, 3);
	assert_int_equal(st->live_max, 3);
	ws_flow_table_free(t);
	assert_each_once(e, 1005);
	assert_int_equal(e->why[e->n - 1], WS_END_CAPTURE_END);
	free(e);
}

/* ---- many flows: growth and lookups stay right ---- */

static void test_many_flows(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 100000);
	enum ws_dir d;
	enum { N = 60000 };
	struct ws_flow **fl = malloc(sizeof(*fl) * N);
	uint64_t *ids = malloc(sizeof(*ids) * N);
	char src[32], dst[32];

	for (uint32_t i = 0; i < N; i++) {
		snprintf(src, sizeof(src), "10.%u.%u.1", (i >> 8) & 255, i & 255);
		snprintf(dst, sizeof(dst), "172.16.0.%u", i % 7);
		fl[i] = track(t, &(struct pk){ src, dst, (uint16_t)(1024 + i % 50000), 443, TCP, S, i, SEC, 0 }, &d);
		assert_non_null(fl[i]);
		ids[i] = fl[i]->id;
		assert_int_equal(ids[i], i + 1);
	}
	for (uint32_t i = 0; i < N; i++) {
		snprintf(src, sizeof(src), "10.%u.%u.1", (i >> 8) & 255, i & 255);
		snprintf(dst, sizeof(dst), "172.16.0.%u", i % 7);
		struct ws_flow *f = track(t, &(struct pk){ dst, src, 443, (uint16_t)(1024 + i % 50000), TCP, S | A, i, 2 * SEC, 0 }, &d);
		assert_ptr_equal(f, fl[i]);
		assert_int_equal(f->id, ids[i]);
		assert_int_equal(d, WS_DIR_TO_CLIENT);
		assert_int_equal(f->state, WS_FLOW_ESTABLISHED);
	}
	assert_int_equal(ws_flow_table_stats(t)->live, N);
	ws_flow_flush(t);
	assert_int_equal(ws_flow_table_stats(t)->live, 0);
	/* The flushed flows are gone: the same tuple makes a new flow. */
	struct ws_flow *again = track(t, &(struct pk){ "10.0.0.1", "172.16.0.0", 1024, 443, TCP, S, 1, 3 * SEC, 0 }, &d);
	assert_int_equal(again->id, N + 1);
	ws_flow_table_free(t);
	assert_each_once(e, N + 1);
	free(fl);
	free(ids);
	free(e);
}

static void test_flush_order(void **state)
{
	struct ends *e = malloc(sizeof(*e));
	struct ws_flow_table *t = table(e, 0);
	enum ws_dir d;

	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 1000, 53, UDP, 0, 0, 3 * SEC, 0 }, &d);	/* 1 */
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.2", 1001, 22, TCP, S, 0, 1 * SEC, 0 }, &d);	/* 2 */
	track(t, &(struct pk){ "10.0.0.1", "10.0.0.3", 0, 0, 58, 0, 0, 2 * SEC, 0 }, &d);		/* 3 */
	ws_flow_flush(t);
	assert_int_equal(e->n, 3);
	assert_int_equal(e->id[0], 2);
	assert_int_equal(e->id[1], 3);
	assert_int_equal(e->id[2], 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(e->why[i], WS_END_CAPTURE_END);
	ws_flow_table_free(t);
	assert_int_equal(e->n, 3);
	ws_flow_table_free(NULL);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_syn_sender),
		cmocka_unit_test(test_role_synack_receiver),
		cmocka_unit_test(test_role_higher_port),
		cmocka_unit_test(test_role_equal_ports),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_no_flow),
		cmocka_unit_test(test_tcp_states),
		cmocka_unit_test(test_port_reuse),
		cmocka_unit_test(test_timeouts_per_class),
		cmocka_unit_test(test_timeout_on_packet),
		cmocka_unit_test(test_time_backwards_across_files),
		cmocka_unit_test(test_extreme_timestamps),
		cmocka_unit_test(test_eviction_tiny_cap),
		cmocka_unit_test(test_many_flows),
		cmocka_unit_test(test_flush_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
