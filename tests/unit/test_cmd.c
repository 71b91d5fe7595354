/*
 * test_cmd.c - the command detectors (detect/cmd.c) on crafted events:
 * ftp_cwd_sweep (threshold and window), overflow_attempt (length and run),
 * cleartext_credentials (never the password, severity by outcome, not for
 * anonymous or encrypted services), anonymous_login; one finding per cause.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "detect/cmd.h"
#include "detect/detect.h"
#include "detect/finding.h"
#include "event/ev_ftp.h"
#include "event/ev_smb.h"
#include "flow/flow.h"

struct fx {
	struct ws_detect_cfg cfg;
	struct ws_findings *fs;
	struct ws_cmd_detect *d;
	struct ws_flow flow;
};

static void fx_init(struct fx *x)
{
	uint8_t a[4] = { 203, 0, 113, 66 }, b[4] = { 10, 0, 0, 10 };

	memset(x, 0, sizeof(*x));
	ws_detect_cfg_default(&x->cfg);
	x->fs = ws_findings_new();
	x->d = ws_cmd_detect_new(&x->cfg, x->fs);
	x->flow.id = 7;
	x->flow.proto = 6;
	ws_addr_set4(&x->flow.cli, a);
	ws_addr_set4(&x->flow.srv, b);
	x->flow.sport = 21;
	x->flow.cport = 40000;
}

static void fx_free(struct fx *x)
{
	ws_cmd_detect_free(x->d);
	ws_findings_free(x->fs);
}

static void send(struct fx *x, enum ws_ev_type t, const void *body, int64_t ts)
{
	struct ws_event ev = { t, ts, 100, 0, &x->flow, body };

	ws_cmd_detect_on_event(x->d, &ev);
}

static const struct ws_finding *find(struct fx *x, const char *kind)
{
	const struct ws_finding *r = NULL;

	for (size_t i = 0; i < ws_findings_count(x->fs); i++) {
		const struct ws_finding *f = ws_findings_at(x->fs, i);

		if (strcmp(f->kind, kind) == 0) {
			assert_null(r);	/* one per cause */
			r = f;
		}
	}
	return r;
}

static void cwd(struct fx *x, int64_t ts)
{
	struct ws_ev_ftp e;

	memset(&e, 0, sizeof(e));
	strcpy(e.command, "CWD");
	strcpy(e.arg, "dir");
	e.arg_len = 3;
	e.arg_run = 1;
	e.cmd_ts_ns = ts;
	e.cmd_pkt = 5;
	e.reply_code = 250;
	send(x, WS_EV_FTP, &e, ts);
}

static void test_cwd_sweep(void **st)
{
	struct fx x;

	(void)st;
	fx_init(&x);
	for (int i = 0; i < 9; i++)
		cwd(&x, (int64_t)i * 100000000);
	assert_null(find(&x, "ftp_cwd_sweep"));	/* 9 < 10 */
	cwd(&x, 900000000);
	const struct ws_finding *f = find(&x, "ftp_cwd_sweep");
	assert_non_null(f);
	assert_int_equal(f->count, 10);
	assert_int_equal(f->severity, WS_SEV_MEDIUM);
	assert_string_equal(f->mitre_id, "T1083");
	assert_non_null(strstr(f->title, "10 times"));
	cwd(&x, 1000000000);
	assert_int_equal(find(&x, "ftp_cwd_sweep")->count, 11);
	fx_free(&x);

	/* slow: ten CWD spread over ten minutes is browsing */
	fx_init(&x);
	for (int i = 0; i < 12; i++)
		cwd(&x, (int64_t)i * 60 * 1000000000);
	assert_null(find(&x, "ftp_cwd_sweep"));
	fx_free(&x);
}

static void test_overflow(void **st)
{
	struct fx x;
	struct ws_ev_ftp e;

	(void)st;
	fx_init(&x);
	memset(&e, 0, sizeof(e));
	strcpy(e.command, "USER");
	e.arg_len = 256;	/* at the cap: not yet */
	e.arg_run = 63;
	send(&x, WS_EV_FTP, &e, 1);
	assert_null(find(&x, "overflow_attempt"));
	e.arg_len = 60;
	e.arg_run = 64;		/* a run of 64 'A' */
	e.arg_run_byte = 'A';
	e.cmd_pkt = 42;
	send(&x, WS_EV_FTP, &e, 2);
	const struct ws_finding *f = find(&x, "overflow_attempt");
	assert_non_null(f);
	assert_int_equal(f->severity, WS_SEV_HIGH);
	assert_string_equal(f->mitre_id, "T1190");
	assert_int_equal(f->pkts[0], 42);
	e.arg_len = 600;
	send(&x, WS_EV_FTP, &e, 3);
	assert_int_equal(find(&x, "overflow_attempt")->count, 2);
	assert_non_null(strstr(find(&x, "overflow_attempt")->title, "600 bytes"));
	fx_free(&x);
}

static void login(struct fx *x, const char *svc, const char *user, int ok, bool anon, bool pass)
{
	struct ws_ev_login l;

	memset(&l, 0, sizeof(l));
	l.service = svc;
	strcpy(l.user, user);
	l.method = anon ? "anonymous" : "password";
	l.success = ok;
	l.anonymous = anon;
	l.password_sent = pass;
	l.status = ok ? 230 : 530;
	send(x, WS_EV_LOGIN, &l, 5);
}

static void test_cleartext(void **st)
{
	struct fx x;

	(void)st;
	fx_init(&x);
	login(&x, "smb", "alice", 1, false, true);	/* not cleartext */
	login(&x, "ssh", "alice", 1, false, true);
	assert_null(find(&x, "cleartext_credentials"));
	login(&x, "ftp", "anonymous", 1, true, true);	/* anonymous: its own kind */
	assert_null(find(&x, "cleartext_credentials"));
	assert_non_null(find(&x, "anonymous_login"));
	login(&x, "ftp", "alice", 0, false, true);
	const struct ws_finding *f = find(&x, "cleartext_credentials");
	assert_non_null(f);
	assert_int_equal(f->severity, WS_SEV_LOW);
	assert_string_equal(f->mitre_id, "T1040");
	assert_non_null(strstr(f->title, "alice"));
	login(&x, "ftp", "bob", 1, false, true);
	f = find(&x, "cleartext_credentials");
	assert_int_equal(f->severity, WS_SEV_MEDIUM);
	assert_int_equal(f->count, 2);
	assert_non_null(strstr(f->detail, "alice,bob"));
	login(&x, "ftp", "carol", 0, false, false);	/* no password sent */
	assert_int_equal(find(&x, "cleartext_credentials")->count, 2);
	login(&x, "telnet", "root", 0, false, true);	/* another service: another cause */
	size_t n = 0;
	for (size_t i = 0; i < ws_findings_count(x.fs); i++)
		n += strcmp(ws_findings_at(x.fs, i)->kind, "cleartext_credentials") == 0;
	assert_int_equal(n, 2);
	fx_free(&x);
}

static void test_anonymous_failed(void **st)
{
	struct fx x;

	(void)st;
	fx_init(&x);
	login(&x, "ftp", "anonymous", 0, true, true);
	assert_null(find(&x, "anonymous_login"));
	fx_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cwd_sweep),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_cleartext),
		cmocka_unit_test(test_anonymous_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
