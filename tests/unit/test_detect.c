/*
 * test_detect.c - the findings store and the first detectors, driven by
 * crafted flow events: a scan fires above its threshold and not below, the
 * failure share matters, exposure needs a public and a private end, trojan
 * ports need traffic no protocol explains, and one cause gives one finding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/detect.h"
#include "detect/finding.h"
#include "flow/flow.h"
#include "proto/proto.h"

struct fx {
	struct ws_bus bus;
	struct ws_findings *fs;
	struct ws_detect *d;
	struct ws_detect_cfg cfg;
	uint64_t next_id;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	ws_bus_init(&x->bus);
	ws_detect_cfg_default(&x->cfg);
	x->fs = ws_findings_new();
	x->d = ws_detect_new(&x->cfg, x->fs);
	ws_bus_subscribe(&x->bus, ws_detect_on_event, x->d);
	x->next_id = 1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	ws_detect_free(x->d);
	ws_findings_free(x->fs);
	free(x);
	return 0;
}

static void flow(struct fx *x, const char *cli, uint16_t cport, const char *srv, uint16_t sport,
		 uint8_t proto, enum ws_flow_state st, int64_t t_s, const char *app, enum ws_ident how,
		 uint64_t payload)
{
	struct ws_flow f;
	struct ws_event ev;

	memset(&f, 0, sizeof(f));
	f.id = x->next_id++;
	f.proto = proto;
	assert_int_equal(ws_addr_parse(&f.cli, cli), 0);
	assert_int_equal(ws_addr_parse(&f.srv, srv), 0);
	f.ip_ver = f.cli.v;
	f.cport = cport;
	f.sport = sport;
	f.first_ns = t_s * 1000000000LL;
	f.last_ns = f.first_ns + 1000;
	f.state = st;
	f.pkts[0] = 1;
	f.pkts[1] = st == WS_FLOW_NEW ? 0 : 1;
	f.payload_bytes[0] = payload;
	f.payload_bytes[1] = payload;
	f.first_pkt = f.id * 2;
	f.app = app ? ws_proto_by_name(app) : NULL;
	f.ident = how;
	if (st == WS_FLOW_ESTABLISHED)
		f.tcp_flags[1] = 0x12;
	memset(&ev, 0, sizeof(ev));
	ev.type = WS_EV_FLOW;
	ev.flow = &f;
	ev.body = &f;
	ev.ts_ns = f.last_ns;
	ws_bus_emit(&x->bus, &ev);
}

static size_t count_kind(struct fx *x, const char *kind)
{
	size_t n = 0;

	for (size_t i = 0; i < ws_findings_count(x->fs); i++)
		n += strcmp(ws_findings_at(x->fs, i)->kind, kind) == 0;
	return n;
}

static const struct ws_finding *first_kind(struct fx *x, const char *kind)
{
	for (size_t i = 0; i < ws_findings_count(x->fs); i++)
		if (strcmp(ws_findings_at(x->fs, i)->kind, kind) == 0)
			return ws_findings_at(x->fs, i);
	return NULL;
}

static void test_vertical_scan(void **state)
{
	struct fx *x = *state;
	const struct ws_finding *f;

	for (uint16_t p = 1; p <= 30; p++)
		flow(x, "10.0.0.66", 40000, "10.0.0.10", p, 6, p % 3 ? WS_FLOW_REJECTED : WS_FLOW_NEW, 100 + p, NULL,
		     WS_IDENT_NONE, 0);
	assert_int_equal(count_kind(x, "port_scan"), 1);	/* one cause, one finding */
	ws_detect_finish(x->d);		/* the words are written at the end */
	f = first_kind(x, "port_scan");
	assert_int_equal(f->count, 30);
	assert_int_equal(f->severity, WS_SEV_MEDIUM);
	assert_string_equal(f->mitre_id, "T1046");
	assert_non_null(strstr(f->title, "10.0.0.66"));
	assert_true(f->flow_id_cnt > 0);
	assert_true(f->first_ns <= f->last_ns);
}

static void test_below_threshold_no_scan(void **state)
{
	struct fx *x = *state;

	for (uint16_t p = 1; p <= 19; p++)
		flow(x, "10.0.0.66", 40000, "10.0.0.10", p, 6, WS_FLOW_REJECTED, 100, NULL, WS_IDENT_NONE, 0);
	assert_int_equal(count_kind(x, "port_scan"), 0);
}

static void test_answered_is_no_scan(void **state)
{
	struct fx *x = *state;

	/* A client using 30 services that all answer is not a scanner. */
	for (uint16_t p = 1; p <= 30; p++)
		flow(x, "10.0.0.20", 40000, "10.0.0.10", p, 6, WS_FLOW_ESTABLISHED, 100, NULL, WS_IDENT_NONE, 10);
	assert_int_equal(count_kind(x, "port_scan"), 0);
}

static void test_window(void **state)
{
	struct fx *x = *state;

	/* 30 ports, one every 20 s: 600 s in all, never 20 within 300 s. */
	for (uint16_t p = 1; p <= 30; p++)
		flow(x, "10.0.0.66", 40000, "10.0.0.10", p, 6, WS_FLOW_REJECTED, (int64_t)p * 20, NULL, WS_IDENT_NONE, 0);
	assert_int_equal(count_kind(x, "port_scan"), 0);
}

static void test_threshold_option(void **state)
{
	struct fx *x = *state;
	struct ws_detect_cfg c;

	ws_detect_cfg_default(&c);
	assert_int_equal(ws_detect_cfg_set(&c, "scan.ports", "5"), 0);
	assert_int_equal(c.scan_ports, 5);
	assert_int_equal(ws_detect_cfg_set(&c, "scan.nope", "5"), -1);
	assert_int_equal(ws_detect_cfg_set(&c, "scan.ports", "x"), -2);
	assert_int_equal(ws_detect_cfg_set(&c, "scan.ports", "1"), -2);
	ws_detect_free(x->d);
	x->d = ws_detect_new(&c, x->fs);
	x->bus.sub[0].user = x->d;
	for (uint16_t p = 1; p <= 6; p++)
		flow(x, "10.0.0.66", 40000, "10.0.0.10", p, 6, WS_FLOW_REJECTED, 100, NULL, WS_IDENT_NONE, 0);
	assert_int_equal(count_kind(x, "port_scan"), 1);
}

static void test_horizontal_scan(void **state)
{
	struct fx *x = *state;
	char ip[32];
	const struct ws_finding *f;

	for (int h = 1; h <= 25; h++) {
		snprintf(ip, sizeof(ip), "10.1.0.%d", h);
		flow(x, "10.0.0.66", 40000, ip, 445, 6, WS_FLOW_NEW, 100, NULL, WS_IDENT_NONE, 0);
	}
	ws_detect_finish(x->d);
	f = first_kind(x, "port_scan");
	assert_non_null(f);
	assert_int_equal(f->dst_port, 445);
	assert_non_null(strstr(f->title, "port 445 on 25 hosts"));
	assert_int_equal(f->count, 25);
}

static void test_exposed_smb(void **state)
{
	struct fx *x = *state;
	const struct ws_finding *f;

	flow(x, "203.0.113.66", 50000, "10.77.0.10", 445, 6, WS_FLOW_ESTABLISHED, 100, "smb", WS_IDENT_PAYLOAD, 100);
	flow(x, "203.0.113.67", 50001, "10.77.0.10", 445, 6, WS_FLOW_ESTABLISHED, 101, "smb", WS_IDENT_PAYLOAD, 100);
	/* LAN-only use and a refused attempt are no exposure. */
	flow(x, "10.77.0.20", 50002, "10.77.0.10", 445, 6, WS_FLOW_ESTABLISHED, 102, "smb", WS_IDENT_PAYLOAD, 100);
	flow(x, "203.0.113.66", 50003, "10.77.0.11", 445, 6, WS_FLOW_REJECTED, 103, NULL, WS_IDENT_PORT, 0);
	assert_int_equal(count_kind(x, "exposed_service"), 1);
	f = first_kind(x, "exposed_service");
	assert_int_equal(f->severity, WS_SEV_HIGH);
	assert_int_equal(f->count, 2);
	assert_int_equal(f->dst_port, 445);
	assert_non_null(strstr(f->explanation, "worm"));	/* the seed's reason (R12) */
	{
		char a[WS_ADDR_STRLEN];

		assert_string_equal(ws_addr_fmt(&f->src, a), "203.0.113.66");
		assert_string_equal(ws_addr_fmt(&f->dst, a), "10.77.0.10");
	}
}

static void test_trojan_port(void **state)
{
	struct fx *x = *state;

	/* 7626 (Glacier/BingHe) with unexplained payload. */
	flow(x, "10.0.0.5", 40000, "10.0.0.9", 7626, 6, WS_FLOW_ESTABLISHED, 100, NULL, WS_IDENT_NONE, 500);
	assert_int_equal(count_kind(x, "trojan_port"), 1);
	/* No payload, or a protocol that explains it: nothing. */
	flow(x, "10.0.0.5", 40001, "10.0.0.8", 7626, 6, WS_FLOW_ESTABLISHED, 100, NULL, WS_IDENT_NONE, 0);
	flow(x, "10.0.0.5", 40002, "10.0.0.7", 7626, 6, WS_FLOW_ESTABLISHED, 100, "http", WS_IDENT_PAYLOAD, 500);
	assert_int_equal(count_kind(x, "trojan_port"), 1);
}

static void test_nonstandard_port(void **state)
{
	struct fx *x = *state;
	struct ws_flow f;
	struct ws_event ev;
	const struct ws_finding *fd;

	memset(&f, 0, sizeof(f));
	f.id = 9;
	f.proto = 6;
	ws_addr_parse(&f.cli, "10.0.0.5");
	ws_addr_parse(&f.srv, "10.0.0.9");
	f.sport = 80;
	f.state = WS_FLOW_ESTABLISHED;
	f.app = ws_proto_by_name("ssh");
	assert_non_null(f.app);
	f.ident = WS_IDENT_PAYLOAD;
	f.nonstd_port = 1;
	memset(&ev, 0, sizeof(ev));
	ev.type = WS_EV_FLOW;
	ev.flow = &f;
	ws_bus_emit(&x->bus, &ev);
	fd = first_kind(x, "nonstandard_port");
	assert_non_null(fd);
	assert_int_equal(fd->severity, WS_SEV_LOW);
	assert_string_equal(fd->service, "ssh");
}

static void test_store_evidence_cap(void **state)
{
	struct fx *x = *state;
	bool is_new;
	struct ws_addr a, b;
	struct ws_finding *f, *g;

	(void)x;
	ws_addr_parse(&a, "1.2.3.4");
	ws_addr_parse(&b, "5.6.7.8");
	f = ws_findings_get(x->fs, "k", &a, &b, 1, 6, "svc", &is_new);
	assert_true(is_new);
	g = ws_findings_get(x->fs, "k", &a, &b, 1, 6, "svc", &is_new);
	assert_false(is_new);
	assert_ptr_equal(f, g);
	for (int i = 0; i < 100; i++)
		ws_finding_evidence(f, 1000 - i, (uint64_t)i + 1, (uint64_t)i + 1, 0);
	assert_int_equal(f->flow_id_cnt, WS_FINDING_EVIDENCE_MAX);
	assert_int_equal(f->pkt_cnt, WS_FINDING_EVIDENCE_MAX);
	assert_int_equal(f->evidence_total, 100);
	assert_int_equal(f->first_ns, 901);
	assert_int_equal(f->last_ns, 1000);
	/* Many causes: the index grows and every one is found again. */
	for (uint16_t p = 2; p < 500; p++)
		ws_findings_get(x->fs, "k", &a, &b, p, 6, "svc", &is_new);
	assert_int_equal(ws_findings_count(x->fs), 499);
	g = ws_findings_get(x->fs, "k", &a, &b, 1, 6, "svc", &is_new);
	assert_false(is_new);
	assert_ptr_equal(f, g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vertical_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_below_threshold_no_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answered_is_no_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threshold_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_horizontal_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exposed_smb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trojan_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonstandard_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_evidence_cap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
