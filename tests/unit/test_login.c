/*
 * test_login.c - the login and SMB detector (src/detect/login.c): crafted
 * login, smb and dcerpc events go through a bus into the detector, and the
 * findings it leaves in the store are checked: thresholds (R4: three failures
 * are already suspicious, two are not), the sliding window, several tries in
 * one connection, spraying over users, a success after guessing, null
 * sessions with and without enumeration, SMB1, and the caps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/addr.h"
#include "detect/detect.h"
#include "detect/finding.h"
#include "detect/login.h"
#include "event/ev_smb.h"
#include "event/event.h"
#include "flow/flow.h"

#define SEC 1000000000LL
#define T0 (1700000000LL * SEC)

struct fx {
	struct ws_bus bus;
	struct ws_detect_cfg cfg;
	struct ws_findings *fs;
	struct ws_login_detect *d;
	uint64_t pkt;
};

static void fx_init(struct fx *x)
{
	memset(x, 0, sizeof(*x));
	ws_bus_init(&x->bus);
	ws_detect_cfg_default(&x->cfg);
	x->fs = ws_findings_new();
	assert_non_null(x->fs);
	x->d = ws_login_detect_new(&x->cfg, x->fs);
	assert_non_null(x->d);
	assert_int_equal(ws_bus_subscribe(&x->bus, ws_login_detect_on_event, x->d), 0);
}

static void fx_free(struct fx *x)
{
	ws_login_detect_finish(x->d);
	ws_login_detect_free(x->d);
	ws_findings_free(x->fs);
}

static void mkflow(struct ws_flow *f, uint64_t id, const char *cli, const char *srv, uint16_t sport)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->proto = 6;
	f->ip_ver = 4;
	assert_int_equal(ws_addr_parse(&f->cli, cli), 0);
	assert_int_equal(ws_addr_parse(&f->srv, srv), 0);
	f->cport = 49152;
	f->sport = sport;
}

static void emit(struct fx *x, enum ws_ev_type t, const struct ws_flow *f, int64_t ts, const void *body)
{
	struct ws_event ev = { .type = t, .ts_ns = ts, .pkt_num = ++x->pkt, .flow = f, .body = body };

	ws_bus_emit(&x->bus, &ev);
}

static void login(struct fx *x, const struct ws_flow *f, int64_t ts, const char *svc, const char *user,
		  int success, const char *status)
{
	struct ws_ev_login l;

	memset(&l, 0, sizeof(l));
	l.service = svc;
	snprintf(l.user, sizeof(l.user), "%s", user);
	snprintf(l.domain, sizeof(l.domain), "CORP");
	l.method = "ntlmv2";
	l.success = success;
	l.status = success ? 0 : 0xc000006d;
	l.status_name = status;
	l.anonymous = user[0] == '\0';
	emit(x, WS_EV_LOGIN, f, ts, &l);
}

static const struct ws_finding *find(const struct fx *x, const char *kind)
{
	const struct ws_finding *hit = NULL;

	for (size_t i = 0; i < ws_findings_count(x->fs); i++) {
		const struct ws_finding *f = ws_findings_at(x->fs, i);

		if (strcmp(f->kind, kind) == 0) {
			assert_null(hit);	/* one finding per cause */
			hit = f;
		}
	}
	return hit;
}

static const struct ws_finding *find_svc(const struct fx *x, const char *kind, const char *svc)
{
	for (size_t i = 0; i < ws_findings_count(x->fs); i++) {
		const struct ws_finding *f = ws_findings_at(x->fs, i);

		if (strcmp(f->kind, kind) == 0 && strcmp(f->service, svc) == 0)
			return f;
	}
	return NULL;
}

static void test_two_failures_nothing_three_guessing(void **state)
{
	struct fx x;
	struct ws_flow f;
	const struct ws_finding *g;

	(void)state;
	fx_init(&x);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	login(&x, &f, T0, "smb", "admin", 0, "STATUS_LOGON_FAILURE");
	login(&x, &f, T0 + 1 * SEC, "smb", "admin", 0, "STATUS_LOGON_FAILURE");
	assert_int_equal(ws_findings_count(x.fs), 0);
	/* The third try, in the same TCP connection: counted by outcome, not connection. */
	login(&x, &f, T0 + 2 * SEC, "smb", "root", 0, "STATUS_WRONG_PASSWORD");
	g = find(&x, "password_guessing");
	assert_non_null(g);
	assert_int_equal(g->severity, WS_SEV_HIGH);
	assert_string_equal(g->mitre_id, "T1110.001");
	assert_int_equal(g->count, 3);
	assert_string_equal(g->service, "smb");
	assert_non_null(strstr(g->detail, "CORP\\admin"));
	assert_non_null(strstr(g->detail, "CORP\\root"));
	assert_non_null(strstr(g->detail, "STATUS_LOGON_FAILURE=2"));
	assert_non_null(strstr(g->detail, "STATUS_WRONG_PASSWORD=1"));
	assert_int_equal(g->flow_id_cnt, 1);
	assert_int_equal(g->pkt_cnt, 3);	/* the two early failures are its evidence too */
	assert_true(g->explanation[0] != '\0');
	/* More failures update the same finding. */
	login(&x, &f, T0 + 3 * SEC, "smb", "admin", 0, "STATUS_ACCOUNT_LOCKED_OUT");
	assert_int_equal(find(&x, "password_guessing")->count, 4);
	assert_int_equal(ws_findings_count(x.fs), 1);
	assert_null(find(&x, "guess_succeeded"));
	fx_free(&x);
}

static void test_across_connections_and_services(void **state)
{
	struct fx x;
	struct ws_flow f[3], other;

	(void)state;
	fx_init(&x);
	for (int i = 0; i < 3; i++)
		mkflow(&f[i], (uint64_t)(10 + i), "10.0.0.66", "10.0.0.5", 445);
	mkflow(&other, 20, "10.0.0.66", "10.0.0.5", 21);
	login(&x, &f[0], T0, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	login(&x, &other, T0, "ftp", "a", 0, "530");
	login(&x, &f[1], T0 + SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	login(&x, &other, T0 + SEC, "ftp", "a", 0, "530");
	assert_int_equal(ws_findings_count(x.fs), 0);	/* 2 + 2 on different services */
	login(&x, &f[2], T0 + 2 * SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	assert_non_null(find(&x, "password_guessing"));
	assert_int_equal(find(&x, "password_guessing")->flow_id_cnt, 3);
	login(&x, &other, T0 + 2 * SEC, "ftp", "a", 0, "530");
	assert_int_equal(ws_findings_count(x.fs), 2);	/* one per service */
	fx_free(&x);
}

static void test_window_expiry(void **state)
{
	struct fx x;
	struct ws_flow f;

	(void)state;
	fx_init(&x);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	login(&x, &f, T0, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	login(&x, &f, T0 + 200 * SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	login(&x, &f, T0 + 400 * SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	/* 0, 200, 400: never three within 300 s. */
	assert_int_equal(ws_findings_count(x.fs), 0);
	/* 200, 400, 450: three within 250 s (a sliding window, not fixed buckets). */
	login(&x, &f, T0 + 450 * SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	assert_non_null(find(&x, "password_guessing"));
	fx_free(&x);
}

static void test_threshold_from_cfg(void **state)
{
	struct fx x;
	struct ws_flow f;

	(void)state;
	memset(&x, 0, sizeof(x));
	ws_bus_init(&x.bus);
	ws_detect_cfg_default(&x.cfg);
	assert_int_equal(x.cfg.login_failures, 3);
	assert_int_equal(x.cfg.login_window_s, 300);
	assert_int_equal(x.cfg.login_spray_users, 5);
	assert_int_equal(ws_detect_cfg_set(&x.cfg, "login.failures", "5"), 0);
	assert_int_equal(ws_detect_cfg_set(&x.cfg, "login.failures", "0"), -2);
	assert_int_equal(ws_detect_cfg_set(&x.cfg, "login.failures", "65"), -2);
	x.fs = ws_findings_new();
	x.d = ws_login_detect_new(&x.cfg, x.fs);
	ws_bus_subscribe(&x.bus, ws_login_detect_on_event, x.d);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	for (int i = 0; i < 4; i++)
		login(&x, &f, T0 + i * SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	assert_int_equal(ws_findings_count(x.fs), 0);
	login(&x, &f, T0 + 5 * SEC, "smb", "a", 0, "STATUS_LOGON_FAILURE");
	assert_non_null(find(&x, "password_guessing"));
	fx_free(&x);
}

static void test_success_after_guessing(void **state)
{
	struct fx x;
	struct ws_flow f, g;
	const struct ws_finding *s;

	(void)state;
	fx_init(&x);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	mkflow(&g, 2, "10.0.0.7", "10.0.0.5", 445);
	/* A success without failures before it: nothing. */
	login(&x, &g, T0, "smb", "alice", 1, "STATUS_SUCCESS");
	/* Failures below the threshold, then a success: nothing (a typo is not an attack). */
	login(&x, &g, T0 + SEC, "smb", "alice", 0, "STATUS_LOGON_FAILURE");
	login(&x, &g, T0 + 2 * SEC, "smb", "alice", 1, "STATUS_SUCCESS");
	assert_int_equal(ws_findings_count(x.fs), 0);
	for (int i = 0; i < 3; i++)
		login(&x, &f, T0 + i * SEC, "smb", "admin", 0, "STATUS_LOGON_FAILURE");
	login(&x, &f, T0 + 10 * SEC, "smb", "admin", 1, "STATUS_SUCCESS");
	s = find(&x, "guess_succeeded");
	assert_non_null(s);
	assert_int_equal(s->severity, WS_SEV_CRITICAL);
	assert_non_null(strstr(s->title, "CORP\\admin"));
	assert_non_null(strstr(s->detail, "successes=1"));
	assert_int_equal(ws_findings_count(x.fs), 2);
	fx_free(&x);
}

static void test_spraying(void **state)
{
	static const char *const users[] = { "alice", "bob", "carol", "dave", "eve" };
	struct fx x;
	struct ws_flow f[5];
	const struct ws_finding *s;

	(void)state;
	fx_init(&x);
	/* One failure per user per server: no server sees three, but five users fail. */
	for (int i = 0; i < 4; i++) {
		mkflow(&f[i], (uint64_t)(i + 1), "10.0.0.66", i % 2 ? "10.0.0.5" : "10.0.0.6", 445);
		login(&x, &f[i], T0 + i * SEC, "smb", users[i], 0, "STATUS_LOGON_FAILURE");
	}
	assert_null(find(&x, "password_spraying"));
	mkflow(&f[4], 5, "10.0.0.66", "10.0.0.7", 445);
	login(&x, &f[4], T0 + 4 * SEC, "smb", users[4], 0, "STATUS_LOGON_FAILURE");
	s = find(&x, "password_spraying");
	assert_non_null(s);
	assert_string_equal(s->mitre_id, "T1110.003");
	assert_non_null(strstr(s->detail, "CORP\\eve"));
	assert_null(find(&x, "password_guessing"));
	fx_free(&x);
}

static void test_null_session_and_enumeration(void **state)
{
	struct fx x;
	struct ws_flow f, g;
	struct ws_ev_dcerpc c;
	const struct ws_finding *n;

	(void)state;
	fx_init(&x);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	mkflow(&g, 2, "10.0.0.67", "10.0.0.5", 445);
	/* A refused anonymous login is no null session, and guesses no password. */
	for (int i = 0; i < 5; i++)
		login(&x, &g, T0 + i, "smb", "", 0, "STATUS_ACCESS_DENIED");
	assert_null(find(&x, "null_session"));
	assert_null(find(&x, "password_guessing"));
	assert_int_equal(ws_findings_count(x.fs), 0);
	login(&x, &f, T0, "smb", "", 1, "STATUS_SUCCESS");
	n = find(&x, "null_session");
	assert_non_null(n);
	assert_int_equal(n->severity, WS_SEV_MEDIUM);
	memset(&c, 0, sizeof(c));
	c.ptype = 0;
	c.interface = "srvsvc";
	c.opnum = 15;
	c.operation = "NetShareEnumAll";
	emit(&x, WS_EV_DCERPC, &f, T0 + SEC, &c);
	assert_non_null(find(&x, "share_enumeration"));
	assert_string_equal(find(&x, "share_enumeration")->mitre_id, "T1135");
	assert_int_equal(find(&x, "null_session")->severity, WS_SEV_HIGH);
	/* Responses do not count twice. */
	c.ptype = 2;
	emit(&x, WS_EV_DCERPC, &f, T0 + SEC, &c);
	assert_int_equal(find(&x, "share_enumeration")->count, 1);
	/* User enumeration by operation name, and by (interface, opnum) when unnamed. */
	c.ptype = 0;
	c.interface = "samr";
	c.opnum = 13;
	c.operation = NULL;
	emit(&x, WS_EV_DCERPC, &f, T0 + 2 * SEC, &c);
	c.interface = "lsarpc";
	c.opnum = 15;
	c.operation = "LsarLookupSids";
	emit(&x, WS_EV_DCERPC, &f, T0 + 3 * SEC, &c);
	n = find(&x, "user_enumeration");
	assert_non_null(n);
	assert_int_equal(n->count, 2);
	assert_string_equal(n->mitre_id, "T1087");
	assert_non_null(strstr(n->detail, "SamrEnumerateUsersInDomain"));
	assert_non_null(strstr(n->detail, "LsarLookupSids"));
	assert_non_null(strstr(find(&x, "null_session")->detail, "user_enumeration_calls=2"));
	/* Other calls are no enumeration. */
	c.interface = "srvsvc";
	c.opnum = 21;
	c.operation = "NetServerGetInfo";
	emit(&x, WS_EV_DCERPC, &g, T0 + 4 * SEC, &c);
	assert_int_equal(ws_findings_count(x.fs), 3);
	fx_free(&x);
}

static void test_smb1(void **state)
{
	struct fx x;
	struct ws_flow f, g;
	struct ws_ev_smb m;

	(void)state;
	fx_init(&x);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	mkflow(&g, 2, "10.0.0.67", "10.0.0.5", 445);
	memset(&m, 0, sizeof(m));
	m.version = 1;
	m.command = 0x72;
	m.has_request = true;
	m.dialects[0] = "NT LM 0.12";
	m.dialects[1] = "SMB 2.002";
	m.dialects[2] = "SMB 2.???";
	m.dialect_cnt = 3;
	/* A multi-protocol negotiate answered with SMB 2: not SMB1. */
	m.has_response = true;
	m.dialect = "SMB 2.???";
	emit(&x, WS_EV_SMB, &g, T0, &m);
	/* An SMB2 negotiate: not SMB1. */
	m.version = 2;
	m.command = 0;
	m.dialect = "2.1";
	emit(&x, WS_EV_SMB, &g, T0, &m);
	assert_int_equal(ws_findings_count(x.fs), 0);
	m.version = 1;
	m.command = 0x72;
	m.dialect = "NT LM 0.12";
	emit(&x, WS_EV_SMB, &f, T0 + SEC, &m);
	assert_non_null(find(&x, "smb1_in_use"));
	assert_string_equal(find(&x, "smb1_in_use")->mitre_id, "T1210");
	assert_int_equal(find(&x, "smb1_in_use")->severity, WS_SEV_MEDIUM);
	assert_non_null(strstr(find(&x, "smb1_in_use")->detail, "NT LM 0.12"));
	/* Later SMB1 messages add to it. */
	m.command = 0x73;
	m.dialect = NULL;
	m.dialect_cnt = 0;
	emit(&x, WS_EV_SMB, &f, T0 + 2 * SEC, &m);
	assert_int_equal(find(&x, "smb1_in_use")->count, 2);
	assert_int_equal(ws_findings_count(x.fs), 1);
	/* A LANMAN NetShareEnum (RAP over \PIPE\LANMAN) is share enumeration; NetServerEnum2 is not. */
	m.command = 0x25;
	snprintf(m.pipe, sizeof(m.pipe), "\\PIPE\\LANMAN");
	m.rap_name = "NetServerEnum2";
	emit(&x, WS_EV_SMB, &f, T0 + 3 * SEC, &m);
	assert_null(find(&x, "share_enumeration"));
	m.rap_name = "NetShareEnum";
	emit(&x, WS_EV_SMB, &f, T0 + 3 * SEC, &m);
	assert_non_null(find(&x, "share_enumeration"));
	assert_non_null(strstr(find(&x, "share_enumeration")->detail, "NetShareEnum (LANMAN)"));
	fx_free(&x);
}

static void test_hostile_and_caps(void **state)
{
	struct fx x;
	struct ws_flow f;
	struct ws_ev_login l;
	char name[32];

	(void)state;
	fx_init(&x);
	mkflow(&f, 1, "10.0.0.66", "10.0.0.5", 445);
	/* Unterminated-looking, long, control-byte names; NULL strings; no flow. */
	memset(&l, 'A', sizeof(l));
	l.service = NULL;
	l.method = NULL;
	l.status_name = NULL;
	l.user[sizeof(l.user) - 1] = '\0';
	l.domain[0] = '\x01';
	l.domain[sizeof(l.domain) - 1] = '\0';
	l.host[sizeof(l.host) - 1] = '\0';
	l.success = 0;
	l.anonymous = false;
	l.guest = false;
	l.password_sent = true;
	for (int i = 0; i < 5; i++)
		emit(&x, WS_EV_LOGIN, &f, T0 + i, &l);
	emit(&x, WS_EV_LOGIN, NULL, T0, &l);
	emit(&x, WS_EV_LOGIN, &f, T0, NULL);
	assert_non_null(find_svc(&x, "password_guessing", "unknown"));
	/* Many user names: the record keeps WS_LOGIN_USERS_MAX, the counts go on. */
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		login(&x, &f, T0 + 10 * SEC, "smb", name, 0, i % 20 ? "STATUS_LOGON_FAILURE" : name);
	}
	assert_non_null(find_svc(&x, "password_spraying", "smb"));
	assert_non_null(strstr(find_svc(&x, "password_guessing", "smb")->detail, "more not kept"));
	assert_non_null(strstr(find_svc(&x, "password_guessing", "smb")->detail, "other="));
	fx_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_failures_nothing_three_guessing),
		cmocka_unit_test(test_across_connections_and_services),
		cmocka_unit_test(test_window_expiry),
		cmocka_unit_test(test_threshold_from_cfg),
		cmocka_unit_test(test_success_after_guessing),
		cmocka_unit_test(test_spraying),
		cmocka_unit_test(test_null_session_and_enumeration),
		cmocka_unit_test(test_smb1),
		cmocka_unit_test(test_hostile_and_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
