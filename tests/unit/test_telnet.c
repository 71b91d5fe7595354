/*
 * test_telnet.c - Telnet (RFC 854/855 and option RFCs) through the real
 * engine: option negotiation with an IAC cut between segments,
 * subnegotiations (TERMINAL-TYPE, NAWS with a doubled IAC, NEW-ENVIRON USER,
 * an unclosed one), IAC IAC, logins (one keystroke per packet with echo, a
 * failure then a success, line editing, password-only prompts, repeated
 * prompts), long lines, credentials hidden or shown, every truncation of a
 * session, and the same events whether bytes come whole or one at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "core/sb.h"
#include "engine/engine.h"
#include "event/ev_smb.h"
#include "event/ev_telnet.h"
#include "event/event.h"
#include "output/json_app.h"
#include "../tcp_pcap.h"

/* ---- a small TCP harness: crafted segments -> pcap in a memfd -> engine ---- */

#define TH_EV_MAX 32
#define TH_PKT_MAX 8192

struct th_result {
	struct ws_ev_telnet tn[4];
	char transcript[4][2][WS_TELNET_TRANSCRIPT_MAX + 1];
	size_t tn_cnt;
	struct ws_ev_login login[TH_EV_MAX];
	char login_status[TH_EV_MAX][WS_TELNET_STATUS_MAX];
	size_t login_cnt;
	char anom[TH_EV_MAX][48];
	size_t anom_cnt;
	size_t info_cnt;	/* packets whose Info says "Telnet Data ..." */
};

static void th_on_event(void *user, const struct ws_event *ev)
{
	struct th_result *r = user;

	if (ev->type == WS_EV_TELNET && r->tn_cnt < 4) {
		const struct ws_ev_telnet *t = ev->body;
		size_t i = r->tn_cnt++;

		r->tn[i] = *t;
		for (int d = 0; d < 2; d++) {
			const struct ws_telnet_side *s = d ? &t->server : &t->client;

			if (s->transcript) {
				memcpy(r->transcript[i][d], s->transcript, s->transcript_len);
				r->transcript[i][d][s->transcript_len] = '\0';
			}
		}
		/* pointers live only during the call */
		r->tn[i].client.transcript = r->tn[i].client.transcript ? r->transcript[i][0] : NULL;
		r->tn[i].server.transcript = r->tn[i].server.transcript ? r->transcript[i][1] : NULL;
		r->tn[i].login = NULL;
	}
	if (ev->type == WS_EV_LOGIN && r->login_cnt < TH_EV_MAX) {
		const struct ws_ev_login *l = ev->body;

		r->login[r->login_cnt] = *l;
		snprintf(r->login_status[r->login_cnt], WS_TELNET_STATUS_MAX, "%s", l->status_name ? l->status_name : "");
		r->login[r->login_cnt].status_name = NULL;
		r->login_cnt++;
	}
	if (ev->type == WS_EV_ANOMALY && r->anom_cnt < TH_EV_MAX)
		snprintf(r->anom[r->anom_cnt++], 48, "%s", ((const struct ws_ev_anomaly *)ev->body)->name);
}

static void th_on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir,
			 const char *label, const char *info)
{
	struct th_result *r = user;

	(void)p;
	(void)f;
	(void)dir;
	(void)label;
	if (info && strcmp(info, "Telnet Data ...") == 0)
		r->info_cnt++;
}

static FILE *th_file(void)
{
	int fd = memfd_create("th", 0);

	return fd >= 0 ? fdopen(fd, "w+b") : NULL;
}

/* A connection to port in a fresh memfd pcap (tests/tcp_pcap.h writes it). */
static void tl_open(struct th_conv *cv, uint16_t port)
{
	FILE *f = th_file();

	assert_non_null(f);
	th_open(cv, f, port);
}

/* Text or bytes, in segments of at most seg bytes (0: as large as allowed). */
static void tl_send(struct th_conv *cv, int dir, const void *data, size_t len, size_t seg)
{
	th_send(cv, dir, data, len, seg);
}

static void th_str(struct th_conv *cv, int dir, const char *s, size_t seg)
{
	tl_send(cv, dir, s, strlen(s), seg);
}

static void th_run_cfg(struct th_conv *cv, struct th_result *r, bool show)
{
	struct ws_engine_cfg cfg;
	struct ws_bus bus;
	char path[64], err[256];

	th_seg(cv, 0, 0x11, NULL, 0);
	th_seg(cv, 1, 0x11, NULL, 0);
	th_seg(cv, 0, 0x10, NULL, 0);
	fflush(cv->f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(cv->f));
	memset(r, 0, sizeof(*r));
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, th_on_event, r);
	ws_engine_cfg_default(&cfg);
	cfg.want_info = true;
	cfg.show_credentials = show;
	struct ws_engine *e = ws_engine_new(&cfg, &bus);
	ws_engine_set_packet_hook(e, th_on_packet, r);
	ws_engine_run_file(e, path, err, sizeof(err));
	ws_engine_finish(e);
	ws_engine_free(e);
	fclose(cv->f);
}

static void th_run(struct th_conv *cv, struct th_result *r)
{
	th_run_cfg(cv, r, false);
}

static bool th_has_anom(const struct th_result *r, const char *name)
{
	for (size_t i = 0; i < r->anom_cnt; i++)
		if (strcmp(r->anom[i], name) == 0)
			return true;
	return false;
}

static bool opt_set(const uint8_t *map, uint8_t opt)
{
	return (map[opt >> 3] >> (opt & 7)) & 1;
}

static struct th_result *res(void)
{
	static struct th_result r;	/* big: kept off the stack */

	return &r;
}

/* ---- negotiation ---- */

static void test_negotiation_split_iac(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	/* server: IAC DO TTYPE | IAC WILL ECHO, with the IAC of the second alone at a segment's end */
	static const uint8_t s1[] = { 255, 253, 24, 255 };
	static const uint8_t s2[] = { 251, 1, 255, 251, 3 };
	/* client: IAC | WILL | TTYPE as three segments, then IAC DO ECHO, IAC DONT 66 */
	static const uint8_t c1[] = { 255, 251, 24, 255, 253, 1, 255, 254, 66 };

	(void)state;
	tl_open(&cv, 23);
	tl_send(&cv, 1, s1, sizeof(s1), 0);
	tl_send(&cv, 0, c1, 3, 1);
	tl_send(&cv, 1, s2, sizeof(s2), 0);
	tl_send(&cv, 0, c1 + 3, sizeof(c1) - 3, 0);
	th_run(&cv, r);
	assert_int_equal(r->tn_cnt, 1);
	const struct ws_ev_telnet *t = &r->tn[0];
	assert_true(opt_set(t->server.do_opt, 24));
	assert_true(opt_set(t->server.will, 1));
	assert_true(opt_set(t->server.will, 3));
	assert_false(opt_set(t->server.will, 24));
	assert_true(opt_set(t->client.will, 24));
	assert_true(opt_set(t->client.do_opt, 1));
	assert_true(opt_set(t->client.dont, 66));
	assert_int_equal(t->server.commands, 3);
	assert_int_equal(t->client.commands, 3);
	assert_int_equal(t->server.bytes, 0);
	assert_int_equal(t->client.bytes, 0);
	assert_int_equal(r->login_cnt, 0);
	assert_int_equal(r->anom_cnt, 0);
	/* one Info per data packet: 2 server + 3 client + 1 client */
	assert_int_equal(r->info_cnt, 6);
	assert_string_equal(ws_telnet_option_name(31), "Negotiate About Window Size");
	assert_null(ws_telnet_option_name(66));
}

/* ---- subnegotiations ---- */

static void test_sb_ttype_naws_environ(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static const uint8_t c[] = {
		255, 250, 24, 0, 'x', 't', 'e', 'r', 'm', 255, 240,		/* TTYPE IS "xterm" */
		255, 250, 31, 0, 255, 255, 0, 24, 255, 240,			/* NAWS 255 x 24, IAC doubled */
		255, 250, 39, 0, 0, 'U', 'S', 'E', 'R', 1, 'b', 'o', 'b',	/* NEW-ENVIRON IS VAR USER VALUE bob */
		3, 'X', 1, 'y', 255, 240,
		255, 250, 32, 0, '9', '6', '0', '0', ',', '9', '6', '0', '0', 255, 240,
		255, 250, 37, 3, 'a', 'l', 'i', 'c', 'e', 255, 240,		/* AUTHENTICATION NAME alice */
	};

	(void)state;
	tl_open(&cv, 23);
	tl_send(&cv, 0, c, sizeof(c), 7);
	th_run(&cv, r);
	assert_int_equal(r->tn_cnt, 1);
	const struct ws_ev_telnet *t = &r->tn[0];
	assert_string_equal(t->terminal_type, "xterm");
	assert_true(t->has_window);
	assert_int_equal(t->window_width, 255);
	assert_int_equal(t->window_height, 24);
	assert_string_equal(t->env_user, "bob");
	assert_string_equal(t->terminal_speed, "9600,9600");
	assert_string_equal(t->auth_name, "alice");
	assert_int_equal(t->client.subnegotiations, 5);
	assert_int_equal(t->client.bytes, 0);
	assert_false(t->sb_unclosed);
	assert_false(t->truncated);
	assert_int_equal(r->anom_cnt, 0);
}

static void test_sb_unclosed(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static uint8_t c[3 + 3000];

	(void)state;
	c[0] = 255;
	c[1] = 250;
	c[2] = 66;
	memset(c + 3, 'B', 3000);
	tl_open(&cv, 23);
	tl_send(&cv, 0, c, sizeof(c), 1000);
	th_run(&cv, r);
	assert_int_equal(r->tn_cnt, 1);
	assert_true(r->tn[0].sb_unclosed);
	assert_int_equal(r->tn[0].client.sb_max_len, 3000);
	assert_int_equal(r->tn[0].client.max_repeat, 3000);
	assert_int_equal(r->tn[0].client.max_repeat_byte, 'B');
	assert_int_equal(r->tn[0].client.bytes, 0);
	assert_true(th_has_anom(r, "telnet_sb_limit"));
	assert_true(th_has_anom(r, "telnet_sb_unclosed"));
}

/* A subnegotiation ended by a command instead of IAC SE: decoded, then the command. */
static void test_sb_no_se(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static const uint8_t c[] = { 255, 250, 24, 0, 'v', 't', '1', '0', '0', 255, 251, 1, 'x' };

	(void)state;
	tl_open(&cv, 23);
	tl_send(&cv, 0, c, sizeof(c), 0);
	th_run(&cv, r);
	assert_string_equal(r->tn[0].terminal_type, "vt100");
	assert_true(opt_set(r->tn[0].client.will, 1));
	assert_int_equal(r->tn[0].client.bytes, 1);
	assert_true(th_has_anom(r, "telnet_sb_no_se"));
	assert_false(r->tn[0].sb_unclosed);
}

static void test_iac_iac_and_bad_command(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static const uint8_t s[] = { 'a', 255, 255, 'b', 255, 100, 'c', 255, 241, '\r', '\n' };

	(void)state;
	tl_open(&cv, 23);
	tl_send(&cv, 1, s, sizeof(s), 2);
	th_run_cfg(&cv, r, true);
	assert_int_equal(r->tn_cnt, 1);
	/* a, 0xff, b, c, CR, LF */
	assert_int_equal(r->tn[0].server.bytes, 6);
	assert_int_equal(r->tn[0].server.commands, 2);	/* the bad one and NOP */
	assert_non_null(r->tn[0].server.transcript);
	assert_int_equal(r->tn[0].server.transcript_len, 6);
	assert_memory_equal(r->tn[0].server.transcript, "a\xff" "bc\r\n", 6);
	assert_true(th_has_anom(r, "telnet_bad_command"));
	assert_string_equal(r->tn[0].banner, "a\xff" "bc");
}

/* ---- logins ---- */

/* The client types one byte per packet and the server echoes each. */
static void login_echo(struct th_conv *cv, const char *typed)
{
	for (const char *p = typed; *p; p++) {
		tl_send(cv, 0, p, 1, 0);
		if (*p != '\r' && *p != '\n')
			tl_send(cv, 1, p, 1, 0);
	}
}

static void test_login_success_echo(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();

	(void)state;
	tl_open(&cv, 23);
	th_str(&cv, 1, "\r\nUbuntu 22.04 LTS\r\nhost login: ", 0);
	login_echo(&cv, "root\r");
	tl_send(&cv, 0, "\0", 1, 0);
	th_str(&cv, 1, "\r\nPassword: ", 0);
	th_str(&cv, 0, "s", 0);
	th_str(&cv, 0, "3", 0);
	th_str(&cv, 0, "cret\r\n", 0);
	th_str(&cv, 1, "\r\nLast login: Mon Jan  1 00:00:00 from 10.0.0.9\r\n", 0);
	th_str(&cv, 1, "root@host:~# ", 0);
	th_str(&cv, 0, "id\r\n", 0);
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 1);
	assert_string_equal(r->login[0].service, "telnet");
	assert_string_equal(r->login[0].user, "root");
	assert_string_equal(r->login[0].method, "password");
	assert_int_equal(r->login[0].success, 1);
	assert_true(r->login[0].password_sent);
	assert_string_equal(r->login_status[0], "Last login: Mon Jan  1 00:00:00 from 10.0.0.9");
	assert_int_equal(r->tn_cnt, 1);
	const struct ws_ev_telnet *t = &r->tn[0];
	assert_int_equal(t->attempts, 1);
	assert_int_equal(t->failures, 0);
	assert_int_equal(t->attempt_cnt, 1);
	assert_string_equal(t->attempt[0].user, "root");
	assert_string_equal(t->attempt[0].password, "<hidden>");
	assert_string_equal(t->banner, "Ubuntu 22.04 LTS");
	/* without --show-credentials nothing of the stream is kept */
	assert_null(t->client.transcript);
	assert_null(t->server.transcript);
}

static void test_login_show_credentials(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();

	(void)state;
	tl_open(&cv, 23);
	th_str(&cv, 1, "login: ", 0);
	th_str(&cv, 0, "admin\r\n", 0);
	th_str(&cv, 1, "Password:", 0);
	th_str(&cv, 0, "pw\x7fW!\r\n", 0);	/* DEL erases the w */
	th_str(&cv, 1, "\r\nWelcome to the router\r\n", 0);
	th_run_cfg(&cv, r, true);
	assert_int_equal(r->login_cnt, 1);
	assert_int_equal(r->login[0].success, 1);
	assert_string_equal(r->tn[0].attempt[0].password, "pW!");
	assert_non_null(r->tn[0].client.transcript);
	assert_string_equal(r->tn[0].client.transcript, "admin\r\npw\x7fW!\r\n");
	assert_string_equal(r->tn[0].server.transcript, "login: Password:\r\nWelcome to the router\r\n");
}

static void test_login_failure_then_success(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();

	(void)state;
	tl_open(&cv, 23);
	th_str(&cv, 1, "login: ", 0);
	th_str(&cv, 0, "bob\r\n", 0);
	th_str(&cv, 1, "Password: ", 0);
	th_str(&cv, 0, "guess1\r\n", 0);
	th_str(&cv, 1, "\r\nLogin incorrect\r\nlogin: ", 0);
	th_str(&cv, 0, "bobx\b\r\n", 0);		/* BS erases the x */
	th_str(&cv, 1, "Password: ", 0);
	th_str(&cv, 0, "right\r\n", 0);
	th_str(&cv, 1, "\r\n$ ", 0);
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 2);
	assert_int_equal(r->login[0].success, 0);
	assert_string_equal(r->login[0].user, "bob");
	assert_string_equal(r->login_status[0], "Login incorrect");
	assert_int_equal(r->login[1].success, 1);
	assert_string_equal(r->login[1].user, "bob");
	assert_string_equal(r->login_status[1], "$");
	assert_int_equal(r->tn[0].attempts, 2);
	assert_int_equal(r->tn[0].failures, 1);
	assert_false(r->tn[0].attempt[0].success);
}

/* A guessing client: the server reprompts without a message; the session ends mid-attempt. */
static void test_login_reprompt_and_unknown(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();

	(void)state;
	tl_open(&cv, 23);
	for (int i = 0; i < 3; i++) {
		char pw[16];

		th_str(&cv, 1, "\r\nUsername: ", 0);
		th_str(&cv, 0, "admin\r", 0);
		th_str(&cv, 1, "\r\nPassword: ", 0);
		snprintf(pw, sizeof(pw), "pw%d\r", i);
		th_str(&cv, 0, pw, 0);
	}
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 3);
	assert_int_equal(r->login[0].success, 0);
	assert_string_equal(r->login_status[0], "login prompt again");
	assert_int_equal(r->login[1].success, 0);
	assert_int_equal(r->login[2].success, -1);
	assert_string_equal(r->login_status[2], "session ended");
	assert_int_equal(r->tn[0].attempts, 3);
	assert_int_equal(r->tn[0].failures, 2);
}

/* A device asking only for a password, answering with a prompt the client never answers. */
static void test_login_password_only_device(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static const uint8_t env[] = { 255, 250, 39, 0, 0, 'U', 'S', 'E', 'R', 1, 'o', 'p', 's', 255, 240 };

	(void)state;
	tl_open(&cv, 23);
	tl_send(&cv, 0, env, sizeof(env), 0);
	th_str(&cv, 1, "\r\nUser Access Verification\r\n\r\nPassword: ", 0);
	th_str(&cv, 0, "cisco\r", 0);
	th_str(&cv, 1, "\r\nPassword: ", 0);
	th_str(&cv, 0, "cisco2\r", 0);
	th_str(&cv, 1, "\r\nRouter>", 0);
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 2);
	assert_int_equal(r->login[0].success, 0);
	assert_string_equal(r->login_status[0], "password prompt again");
	assert_string_equal(r->login[0].user, "ops");
	assert_int_equal(r->login[1].success, 1);
	assert_string_equal(r->login_status[1], "Router>");
	assert_string_equal(r->tn[0].banner, "User Access Verification");
}

/* "Last login:" is not a login prompt, and text before any prompt is not a user name. */
static void test_no_false_prompt(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();

	(void)state;
	tl_open(&cv, 23);
	th_str(&cv, 0, "hello\r\n", 0);
	th_str(&cv, 1, "Last login: yesterday\r\n", 0);
	th_str(&cv, 0, "ls\r\n", 0);
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 0);
	assert_int_equal(r->tn[0].attempts, 0);
}

/* RFC 2946: after IAC SB ENCRYPT START ... IAC SE the sender's bytes are ciphertext: counted only. */
static void test_encrypt_start(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static const uint8_t c[] = { 255, 250, 38, 1, 0, 255, 240, 'r', 'o', 255, 251 };

	(void)state;
	tl_open(&cv, 23);
	th_str(&cv, 1, "login: ", 0);
	tl_send(&cv, 0, c, sizeof(c), 0);
	th_str(&cv, 0, "ot\r\n", 0);
	th_run(&cv, r);
	assert_true(r->tn[0].client.encrypted);
	assert_false(r->tn[0].server.encrypted);
	assert_int_equal(r->tn[0].client.bytes, 8);
	assert_int_equal(r->tn[0].client.commands, 1);
	for (int o = 0; o < 256; o++)	/* the IAC WILL in the ciphertext is not a negotiation */
		assert_false(opt_set(r->tn[0].client.will, (uint8_t)o));
	assert_int_equal(r->login_cnt, 0);
}

/* A port-23 flow that never carries a byte: no telnet event. */
static void test_no_payload(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();

	(void)state;
	tl_open(&cv, 23);
	th_run(&cv, r);
	assert_int_equal(r->tn_cnt, 0);
	assert_int_equal(r->login_cnt, 0);
}

/* ---- long lines, gaps ---- */

static void test_long_line(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static char a[5000];

	(void)state;
	memset(a, 'A', sizeof(a));
	tl_open(&cv, 23);
	th_str(&cv, 1, "login: ", 0);
	tl_send(&cv, 0, a, sizeof(a), 1000);
	tl_send(&cv, 0, "\r\nxy\r\n", 6, 0);
	th_run(&cv, r);
	const struct ws_ev_telnet *t = &r->tn[0];
	assert_int_equal(t->client.max_line_len, 5000);
	assert_int_equal(t->client.long_lines, 1);
	assert_int_equal(t->client.max_repeat, 5000);
	assert_int_equal(t->client.max_repeat_byte, 'A');
	assert_int_equal(t->client.bytes, 5006);
	assert_true(th_has_anom(r, "telnet_line_limit"));
	/* the user name is cut at its cap and says so */
	assert_true(t->truncated);
	assert_int_equal(r->login_cnt, 1);
	assert_int_equal(strlen(r->login[0].user), WS_TELNET_USER_MAX - 1);
	assert_int_equal(r->login[0].success, -1);
}

static void test_gap(void **state)
{
	struct th_conv cv;
	struct th_result *r = res();
	static const uint8_t sb[] = { 255, 250, 24, 0, 'x' };

	(void)state;
	tl_open(&cv, 23);
	tl_send(&cv, 0, sb, sizeof(sb), 0);
	th_lose(&cv, 0, 10);
	th_str(&cv, 0, "abc", 0);
	th_run(&cv, r);
	assert_int_equal(r->tn[0].gaps, 1);
	assert_int_equal(r->tn[0].client.bytes, 3);	/* after the gap: data again */
	assert_string_equal(r->tn[0].terminal_type, "");	/* the cut subnegotiation is not decoded */
	assert_false(r->tn[0].sb_unclosed);
}

/* ---- every cut, byte by byte ---- */

struct step {
	int dir;
	const char *s;
	size_t len;
};

#define STEP(d, lit) { d, lit, sizeof(lit) - 1 }

static const struct step script[] = {
	STEP(1, "\xff\xfd\x18\xff\xfd\x1f\xff\xfb\x01"),
	STEP(0, "\xff\xfb\x18\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0"),
	STEP(1, "\xff\xfa\x18\x01\xff\xf0"),
	STEP(0, "\xff\xfa\x18\x00VT100\xff\xf0"),
	STEP(1, "\r\nlogin: "),
	STEP(0, "eve\r\n"),
	STEP(1, "eve\r\nPassword:"),
	STEP(0, "nope\r\n"),
	STEP(1, "\r\nLogin failed\r\nlogin: "),
	STEP(0, "eve\r\n"),
	STEP(1, "eve\r\nPassword:"),
	STEP(0, "yes\r\n"),
	STEP(1, "\r\nWelcome\r\n% "),
	STEP(0, "exit\r\n"),
};

/* Runs the script cut after limit bytes in all, each step in segments of seg bytes. */
static void run_script(struct th_result *r, size_t limit, size_t seg)
{
	struct th_conv cv;
	size_t used = 0;

	tl_open(&cv, 23);
	for (size_t i = 0; i < sizeof script / sizeof script[0] && used < limit; i++) {
		size_t n = script[i].len;

		if (n > limit - used)
			n = limit - used;
		tl_send(&cv, script[i].dir, script[i].s, n, seg);
		used += n;
	}
	th_run(&cv, r);
}

static size_t script_len(void)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
		n += script[i].len;
	return n;
}

static void test_script_whole(void **state)
{
	struct th_result *r = res();

	(void)state;
	run_script(r, SIZE_MAX, 0);
	assert_int_equal(r->login_cnt, 2);
	assert_int_equal(r->login[0].success, 0);
	assert_string_equal(r->login_status[0], "Login failed");
	assert_int_equal(r->login[1].success, 1);
	assert_string_equal(r->login_status[1], "Welcome");
	assert_string_equal(r->tn[0].terminal_type, "VT100");
	assert_int_equal(r->tn[0].window_width, 80);
	assert_int_equal(r->tn[0].window_height, 24);
	assert_int_equal(r->anom_cnt, 0);
}

static void test_every_cut(void **state)
{
	struct th_result *r = res();
	size_t total = script_len();

	(void)state;
	for (size_t k = 0; k <= total; k++) {
		run_script(r, k, 0);
		assert_int_equal(r->tn_cnt, k > 0 ? 1 : 0);
		assert_true(r->login_cnt <= 2);
		for (size_t i = 0; i < r->login_cnt; i++) {
			assert_string_equal(r->login[i].service, "telnet");
			assert_true(r->login[i].success >= -1 && r->login[i].success <= 1);
		}
		if (r->tn_cnt)
			assert_true(r->tn[0].attempts == r->login_cnt);
	}
}

static void test_byte_by_byte_same(void **state)
{
	static struct th_result whole, bytes;

	(void)state;
	run_script(&whole, SIZE_MAX, 0);
	run_script(&bytes, SIZE_MAX, 1);
	assert_int_equal(whole.login_cnt, bytes.login_cnt);
	assert_memory_equal(whole.login, bytes.login, sizeof(whole.login[0]) * whole.login_cnt);
	assert_memory_equal(whole.login_status, bytes.login_status, sizeof(whole.login_status));
	assert_int_equal(whole.tn_cnt, 1);
	assert_int_equal(bytes.tn_cnt, 1);
	assert_memory_equal(&whole.tn[0], &bytes.tn[0], sizeof(whole.tn[0]));
	assert_int_equal(whole.anom_cnt, bytes.anom_cnt);
	assert_true(bytes.info_cnt > whole.info_cnt);
}

/* ---- the NDJSON body ---- */

static void test_json(void **state)
{
	struct ws_ev_telnet e;
	struct ws_sb sb;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.client.will[24 >> 3] |= 1u << (24 & 7);
	e.server.do_opt[24 >> 3] |= 1u << (24 & 7);
	e.server.do_opt[66 >> 3] |= 1u << (66 & 7);
	snprintf(e.terminal_type, sizeof(e.terminal_type), "xterm");
	e.has_window = true;
	e.window_width = 80;
	e.window_height = 24;
	e.login = "failure";
	e.attempts = 1;
	e.failures = 1;
	e.attempt_cnt = 1;
	snprintf(e.attempt[0].user, sizeof(e.attempt[0].user), "ro\"ot");
	snprintf(e.attempt[0].password, sizeof(e.attempt[0].password), "<hidden>");
	e.attempt[0].password_sent = true;
	snprintf(e.attempt[0].status_name, sizeof(e.attempt[0].status_name), "Login incorrect");
	e.server.transcript = "a\r\n";
	e.server.transcript_len = 3;
	ws_sb_init(&sb, 1 << 20);
	ws_json_telnet(&sb, &e);
	assert_non_null(strstr(sb.buf, "\"client\":{\"bytes\":0"));
	assert_non_null(strstr(sb.buf, "\"will\":[\"Terminal Type\"]"));
	assert_non_null(strstr(sb.buf, "\"do\":[\"Terminal Type\",\"66\"]"));
	assert_non_null(strstr(sb.buf, "\"terminal_type\":\"xterm\",\"window_width\":80,\"window_height\":24"));
	assert_non_null(strstr(sb.buf, "\"user\":\"ro\\\"ot\",\"password\":\"<hidden>\",\"password_sent\":true,"
				      "\"success\":false,\"status_name\":\"Login incorrect\""));
	assert_non_null(strstr(sb.buf, "\"transcript\":\"a\\r\\n\""));
	assert_null(strstr(sb.buf, "\"env_user\""));
	assert_int_equal(sb.buf[0], ',');
	assert_int_equal(sb.buf[sb.len - 1], '}');
	ws_sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiation_split_iac),
		cmocka_unit_test(test_sb_ttype_naws_environ),
		cmocka_unit_test(test_sb_unclosed),
		cmocka_unit_test(test_sb_no_se),
		cmocka_unit_test(test_iac_iac_and_bad_command),
		cmocka_unit_test(test_login_success_echo),
		cmocka_unit_test(test_login_show_credentials),
		cmocka_unit_test(test_login_failure_then_success),
		cmocka_unit_test(test_login_reprompt_and_unknown),
		cmocka_unit_test(test_login_password_only_device),
		cmocka_unit_test(test_no_false_prompt),
		cmocka_unit_test(test_encrypt_start),
		cmocka_unit_test(test_no_payload),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_script_whole),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_byte_by_byte_same),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
