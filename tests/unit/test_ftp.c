/*
 * test_ftp.c - the FTP control parser (RFC 959, 2228, 2428) through the real
 * engine: commands and replies, multi-line replies, pipelining, logins
 * (success, failure, anonymous), PASV/EPSV/PORT/EPRT, AUTH TLS, a long line
 * of 'A' cut across segments, every truncation of a session, and the same
 * events whether fed whole or byte by byte.
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

#include "engine/engine.h"
#include "event/ev_ftp.h"
#include "event/ev_smb.h"
#include "event/event.h"
#include "../tcp_pcap.h"

/* ---- a small TCP harness: crafted segments -> pcap in a memfd -> engine ---- */

#define TH_EV_MAX 64
#define TH_PKT_MAX 4096

struct th_result {
	struct ws_ev_ftp ftp[TH_EV_MAX];
	size_t ftp_cnt;
	struct ws_ev_ftp_data data[8];
	size_t data_cnt;
	struct ws_ev_login login[TH_EV_MAX];
	size_t login_cnt;
	char anom[TH_EV_MAX][48];
	size_t anom_cnt;
	char info[TH_PKT_MAX][160];
	size_t pkt_cnt;
};

static void th_on_event(void *user, const struct ws_event *ev)
{
	struct th_result *r = user;

	if (ev->type == WS_EV_FTP && r->ftp_cnt < TH_EV_MAX)
		r->ftp[r->ftp_cnt++] = *(const struct ws_ev_ftp *)ev->body;
	if (ev->type == WS_EV_FTP_DATA && r->data_cnt < 8)
		r->data[r->data_cnt++] = *(const struct ws_ev_ftp_data *)ev->body;
	if (ev->type == WS_EV_LOGIN && r->login_cnt < TH_EV_MAX) {
		r->login[r->login_cnt] = *(const struct ws_ev_login *)ev->body;
		r->login[r->login_cnt++].status_name = NULL;	/* valid only during the call */
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
	if (r->pkt_cnt < TH_PKT_MAX)
		snprintf(r->info[r->pkt_cnt++], 160, "%s", info ? info : "");
}

static void th_run(struct th_conv *cv, struct th_result *r)
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
	struct ws_engine *e = ws_engine_new(&cfg, &bus);
	ws_engine_set_packet_hook(e, th_on_packet, r);
	ws_engine_run_file(e, path, err, sizeof(err));
	ws_engine_finish(e);
	ws_engine_free(e);
	fclose(cv->f);
}

static FILE *th_file(void)
{
	int fd = memfd_create("th", 0);

	return fd >= 0 ? fdopen(fd, "w+b") : NULL;
}
static struct th_result R;

/* One session: client lines and server lines alternating as given (NULL ends), seg bytes per segment. */
static void run_session(const char *const *script, size_t seg)
{
	struct th_conv cv;
	FILE *f = th_file();

	assert_non_null(f);
	th_open(&cv, f, 21);
	for (size_t i = 0; script[i]; i++) {
		const char *s = script[i];
		int dir = s[0] == 'S';

		th_send(&cv, dir, (const uint8_t *)s + 2, strlen(s + 2), seg);
	}
	th_run(&cv, &R);
}

static const char *const login_ok[] = {
	"S 220 (vsFTPd 3.0.3)\r\n",
	"C USER alice\r\n",
	"S 331 Please specify the password.\r\n",
	"C PASS s3cret\r\n",
	"S 230 Login successful.\r\n",
	"C PWD\r\n",
	"S 257 \"/home/alice\" is the current directory\r\n",
	"C CWD pub\r\n",
	"S 250 Directory successfully changed.\r\n",
	"C FEAT\r\n",
	"S 211-Features:\r\n EPSV\r\n PASV\r\n211 End\r\n",
	"C PASV\r\n",
	"S 227 Entering Passive Mode (10,0,0,2,100,85).\r\n",
	"C RETR file.txt\r\n",
	"S 150 Opening BINARY mode data connection.\r\n",
	"S 226 Transfer complete.\r\n",
	"C QUIT\r\n",
	"S 221 Goodbye.\r\n",
	NULL,
};

static void test_login_session(void **st)
{
	(void)st;
	run_session(login_ok, 0);
	assert_int_equal(R.ftp_cnt, 9);
	assert_string_equal(R.ftp[0].command, "");
	assert_int_equal(R.ftp[0].reply_code, 220);
	assert_string_equal(R.ftp[1].command, "USER");
	assert_string_equal(R.ftp[1].arg, "alice");
	assert_int_equal(R.ftp[1].reply_code, 331);
	assert_string_equal(R.ftp[2].arg, "<hidden>");
	assert_true(R.ftp[2].logged_in);
	assert_string_equal(R.ftp[3].cwd, "/home/alice");
	assert_string_equal(R.ftp[4].cwd, "/home/alice/pub");
	assert_int_equal(R.ftp[4].cwd_count, 1);
	assert_string_equal(R.ftp[5].command, "FEAT");
	assert_int_equal(R.ftp[5].reply_lines, 4);
	assert_string_equal(R.ftp[5].reply, "Features:");
	assert_string_equal(R.ftp[6].mode, "passive");
	assert_int_equal(R.ftp[6].data_port, 100 * 256 + 85);
	assert_int_equal(R.ftp[7].reply_code, 226);
	assert_int_equal(R.ftp[7].prelim_code, 150);
	assert_string_equal(R.ftp[7].file, "/home/alice/pub/file.txt");
	assert_string_equal(R.ftp[7].direction, "download");
	assert_int_equal(R.login_cnt, 1);
	assert_string_equal(R.login[0].service, "ftp");
	assert_string_equal(R.login[0].user, "alice");
	assert_string_equal(R.login[0].method, "password");
	assert_int_equal(R.login[0].success, 1);
	assert_int_equal(R.login[0].status, 230);
	assert_true(R.login[0].password_sent);
	/* Info like tshark's */
	bool seen_req = false, seen_resp = false;
	for (size_t i = 0; i < R.pkt_cnt; i++) {
		seen_req |= strcmp(R.info[i], "Request: USER alice") == 0;
		seen_resp |= strcmp(R.info[i], "Response: 230 Login successful.") == 0;
		assert_null(strstr(R.info[i], "s3cret"));
	}
	assert_true(seen_req);
	assert_true(seen_resp);
}

/* The same events whatever the segmentation. */
static void test_byte_by_byte(void **st)
{
	static struct ws_ev_ftp whole[TH_EV_MAX];
	size_t n;

	(void)st;
	run_session(login_ok, 0);
	n = R.ftp_cnt;
	memcpy(whole, R.ftp, sizeof(whole));
	for (size_t seg = 1; seg <= 7; seg += 3) {
		run_session(login_ok, seg);
		assert_int_equal(R.ftp_cnt, n);
		for (size_t i = 0; i < n; i++) {
			assert_string_equal(R.ftp[i].command, whole[i].command);
			assert_string_equal(R.ftp[i].arg, whole[i].arg);
			assert_string_equal(R.ftp[i].reply, whole[i].reply);
			assert_int_equal(R.ftp[i].reply_code, whole[i].reply_code);
			assert_string_equal(R.ftp[i].cwd, whole[i].cwd);
		}
		assert_int_equal(R.login_cnt, 1);
	}
}

static void test_failed_and_anonymous(void **st)
{
	static const char *const s[] = {
		"S 220 FTP ready\r\n",
		"C USER bob\r\n", "S 331 Password required\r\n",
		"C PASS x\r\n", "S 530 Login incorrect.\r\n",
		"C USER Anonymous\r\n", "S 331 Guest login ok\r\n",
		"C PASS me@x\r\n", "S 230 Guest login ok\r\n",
		NULL,
	};

	(void)st;
	run_session(s, 0);
	assert_int_equal(R.login_cnt, 2);
	assert_int_equal(R.login[0].success, 0);
	assert_int_equal(R.login[0].status, 530);
	assert_string_equal(R.login[0].user, "bob");
	assert_int_equal(R.login[1].success, 1);
	assert_true(R.login[1].anonymous);
	assert_string_equal(R.login[1].method, "anonymous");
}

/* Commands sent before replies come are paired in order. */
static void test_pipelining(void **st)
{
	static const char *const s[] = {
		"C USER a\r\nPASS b\r\nSYST\r\nTYPE I\r\n",
		"S 331 ok\r\n230 in\r\n215 UNIX Type: L8\r\n200 Switching\r\n",
		NULL,
	};

	(void)st;
	run_session(s, 0);
	assert_int_equal(R.ftp_cnt, 4);
	assert_string_equal(R.ftp[2].command, "SYST");
	assert_int_equal(R.ftp[2].reply_code, 215);
	assert_string_equal(R.ftp[3].arg, "I");
	assert_int_equal(R.ftp[3].reply_code, 200);
	assert_int_equal(R.login_cnt, 1);
	assert_int_equal(R.login[0].success, 1);
}

static void test_port_eprt_epsv(void **st)
{
	static const char *const s[] = {
		"C PORT 10,0,0,1,156,64\r\n", "S 200 PORT command successful\r\n",
		"C EPRT |2|2001:db8::1|5282|\r\n", "S 200 EPRT ok\r\n",
		"C EPSV\r\n", "S 229 Entering Extended Passive Mode (|||6446|)\r\n",
		"C PORT 1,2,3\r\n", "S 501 Illegal PORT command.\r\n",
		NULL,
	};
	char a[WS_ADDR_STRLEN];

	(void)st;
	run_session(s, 0);
	assert_int_equal(R.ftp_cnt, 4);
	assert_string_equal(R.ftp[0].mode, "active");
	assert_string_equal(ws_addr_fmt(&R.ftp[0].data_addr, a), "10.0.0.1");
	assert_int_equal(R.ftp[0].data_port, 156 * 256 + 64);
	assert_string_equal(ws_addr_fmt(&R.ftp[1].data_addr, a), "2001:db8::1");
	assert_int_equal(R.ftp[1].data_port, 5282);
	assert_string_equal(R.ftp[2].mode, "passive");
	assert_int_equal(R.ftp[2].data_port, 6446);
	assert_string_equal(ws_addr_fmt(&R.ftp[2].data_addr, a), "10.0.0.2");
	assert_int_equal(R.ftp[3].data_port, 0);
	bool bad = false;
	for (size_t i = 0; i < R.anom_cnt; i++)
		bad |= strcmp(R.anom[i], "ftp_bad_port") == 0;
	assert_true(bad);
}

static void test_auth_tls(void **st)
{
	static const char *const s[] = {
		"S 220 ready\r\n",
		"C AUTH TLS\r\n", "S 234 Proceed with negotiation.\r\n",
		"C \x16\x03\x01\x00\x05USER x\r\n", "S \x16\x03\x03\x00\x02\r\n",
		NULL,
	};

	(void)st;
	run_session(s, 0);
	assert_int_equal(R.ftp_cnt, 2);
	assert_string_equal(R.ftp[1].command, "AUTH");
	assert_true(R.ftp[1].tls);
	assert_int_equal(R.login_cnt, 0);
}

/* 'A' x 100000 with no verb, in 1400-byte segments, then one ordinary command. */
static void test_long_line(void **st)
{
	struct th_conv cv;
	FILE *f = th_file();
	size_t n = 100000;
	uint8_t *big = malloc(n + 2);

	(void)st;
	assert_non_null(big);
	memset(big, 'A', n);
	big[n] = '\r';
	big[n + 1] = '\n';
	th_open(&cv, f, 21);
	th_send(&cv, 0, (const uint8_t *)"USER ", 5, 0);
	th_send(&cv, 0, big, n + 2, 1400);
	th_send(&cv, 1, (const uint8_t *)"500 too long\r\n", 14, 0);
	th_send(&cv, 0, big + n - 10, 12, 0);
	th_run(&cv, &R);
	free(big);
	assert_int_equal(R.ftp_cnt, 2);
	assert_string_equal(R.ftp[0].command, "USER");
	assert_int_equal(R.ftp[0].arg_len, n);
	assert_int_equal(R.ftp[0].arg_run, n);
	assert_int_equal(R.ftp[0].arg_run_byte, 'A');
	assert_true(R.ftp[0].line_too_long);
	assert_true(R.ftp[0].truncated);
	assert_int_equal(strlen(R.ftp[0].arg), WS_FTP_ARG_MAX - 1);
	assert_int_equal(R.ftp[0].reply_code, 500);
	/* "AAAAAAAAAA": a word of ten letters is a verb; no reply: reported at close */
	assert_int_equal(R.ftp[1].reply_code, 0);
	bool anom = false;
	for (size_t i = 0; i < R.anom_cnt; i++)
		anom |= strcmp(R.anom[i], "ftp_line_too_long") == 0;
	assert_true(anom);
}

/* Every prefix of a session: no crash, never more events than the whole. */
static void test_truncations(void **st)
{
	char all[2048];
	size_t len = 0;

	(void)st;
	for (size_t i = 0; login_ok[i]; i++) {
		size_t l = strlen(login_ok[i] + 2);

		memcpy(all + len, login_ok[i] + 2, l);
		len += l;
	}
	/* client bytes only, cut at every length */
	for (size_t cut = 0; cut < 120; cut++) {
		struct th_conv cv;
		FILE *f = th_file();
		static const char cmds[] = "USER alice\r\nPASS s3cret\r\nPWD\r\nCWD pub\r\nPASV\r\nRETR file.txt\r\nQUIT\r\n";
		size_t n = cut < sizeof(cmds) - 1 ? cut : sizeof(cmds) - 1;

		th_open(&cv, f, 21);
		th_send(&cv, 0, (const uint8_t *)cmds, n, 0);
		th_send(&cv, 1, (const uint8_t *)all, cut < len ? cut : len, 0);
		th_run(&cv, &R);
		assert_true(R.ftp_cnt <= 9);
		assert_true(R.login_cnt <= 1);
	}
}

static void test_gap(void **st)
{
	struct th_conv cv;
	FILE *f = th_file();

	(void)st;
	th_open(&cv, f, 21);
	th_send(&cv, 0, (const uint8_t *)"USER alice\r\n", 12, 0);
	th_send(&cv, 1, (const uint8_t *)"331 pw\r\n", 8, 0);
	th_lose(&cv, 0, 7);	/* "PASS xx" lost */
	th_send(&cv, 0, (const uint8_t *)"x\r\nSYST\r\n", 9, 0);
	th_send(&cv, 1, (const uint8_t *)"215 UNIX\r\n", 10, 0);
	th_run(&cv, &R);
	assert_true(R.ftp_cnt >= 2);
	assert_string_equal(R.ftp[0].command, "USER");
	assert_string_equal(R.ftp[1].command, "SYST");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_session),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_failed_and_anonymous),
		cmocka_unit_test(test_pipelining),
		cmocka_unit_test(test_port_eprt_epsv),
		cmocka_unit_test(test_auth_tls),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
