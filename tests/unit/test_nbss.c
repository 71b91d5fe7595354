/*
 * test_nbss.c - NBSS framing (RFC 1002 4.3, MS-SMB2 2.1) through the real
 * engine: session control messages and their Info text, the 17-bit length,
 * every truncation of a session request, bad types, a gap mid-message with
 * resync, and an over-sized message passed over without buffering.
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
#include "event/ev_netbios.h"
#include "event/ev_smb.h"
#include "event/event.h"

#include "kb/kb.h"
/* ---- a small TCP harness: crafted segments -> pcap in a memfd -> engine ---- */

#define TH_EV_MAX 64
#define TH_PKT_MAX 4096
#define TH_SEG_MAX 1600

struct th_result {
	struct ws_ev_netbios nb[TH_EV_MAX];
	size_t nb_cnt;
	struct ws_ev_smb smb[TH_EV_MAX];
	size_t smb_cnt;
	struct ws_ev_login login[TH_EV_MAX];
	size_t login_cnt;
	char anom[TH_EV_MAX][48];
	size_t anom_cnt;
	char info[TH_PKT_MAX][160];
	size_t pkt_cnt;
};

struct th_conv {
	FILE *f;
	uint32_t seq[2];
	uint16_t port;
	uint32_t ts;
};

static void th_on_event(void *user, const struct ws_event *ev)
{
	struct th_result *r = user;

	if (ev->type == WS_EV_NETBIOS && r->nb_cnt < TH_EV_MAX)
		r->nb[r->nb_cnt++] = *(const struct ws_ev_netbios *)ev->body;
	if (ev->type == WS_EV_SMB && r->smb_cnt < TH_EV_MAX) {
		r->smb[r->smb_cnt] = *(const struct ws_ev_smb *)ev->body;
		/* dialect pointers live only during the call */
		memset(r->smb[r->smb_cnt].dialects, 0, sizeof(r->smb[r->smb_cnt].dialects));
		r->smb[r->smb_cnt].dialect = NULL;
		r->smb_cnt++;
	}
	if (ev->type == WS_EV_LOGIN && r->login_cnt < TH_EV_MAX)
		r->login[r->login_cnt++] = *(const struct ws_ev_login *)ev->body;
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

static void th_put(FILE *f, const void *b, size_t n)
{
	fwrite(b, 1, n, f);
}

static void th_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	th_put(f, b, 4);
}

/* One TCP segment, client (dir 0, 10.0.0.1) or server (dir 1, 10.0.0.2:port). */
static void th_seg(struct th_conv *cv, int dir, uint8_t flags, const uint8_t *data, size_t len)
{
	uint8_t fr[14 + 20 + 20 + TH_SEG_MAX];
	size_t n = 14 + 20 + 20 + len;
	uint16_t sp = dir ? cv->port : 40000, dp = dir ? 40000 : cv->port;
	uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };

	memset(fr, 0, 54);
	fr[5] = 1;
	fr[11] = 2;
	fr[12] = 0x08;
	uint8_t *ip = fr + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((n - 14) >> 8);
	ip[3] = (uint8_t)(n - 14);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, dir ? b : a, 4);
	memcpy(ip + 16, dir ? a : b, 4);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8);
	ip[11] = (uint8_t)~sum;
	uint8_t *t = ip + 20;
	t[0] = (uint8_t)(sp >> 8);
	t[1] = (uint8_t)sp;
	t[2] = (uint8_t)(dp >> 8);
	t[3] = (uint8_t)dp;
	uint32_t s = cv->seq[dir], ack = cv->seq[!dir];
	t[4] = (uint8_t)(s >> 24); t[5] = (uint8_t)(s >> 16); t[6] = (uint8_t)(s >> 8); t[7] = (uint8_t)s;
	t[8] = (uint8_t)(ack >> 24); t[9] = (uint8_t)(ack >> 16); t[10] = (uint8_t)(ack >> 8); t[11] = (uint8_t)ack;
	t[12] = 0x50;
	t[13] = flags;
	t[14] = 0xff;
	t[15] = 0xff;
	if (len)
		memcpy(t + 20, data, len);
	cv->seq[dir] += (uint32_t)len + ((flags & 0x03) ? 1u : 0u);
	th_le32(cv->f, ++cv->ts);
	th_le32(cv->f, 0);
	th_le32(cv->f, (uint32_t)n);
	th_le32(cv->f, (uint32_t)n);
	th_put(cv->f, fr, n);
}

static void th_open(struct th_conv *cv, FILE *f, uint16_t port)
{
	memset(cv, 0, sizeof(*cv));
	cv->f = f;
	cv->port = port;
	cv->seq[0] = 1000;
	cv->seq[1] = 5000;
	th_le32(f, 0xa1b2c3d4);
	uint8_t v[4] = { 2, 0, 4, 0 };
	th_put(f, v, 4);
	th_le32(f, 0);
	th_le32(f, 0);
	th_le32(f, 65535);
	th_le32(f, 1);
	th_seg(cv, 0, 0x02, NULL, 0);
	th_seg(cv, 1, 0x12, NULL, 0);
	th_seg(cv, 0, 0x10, NULL, 0);
}

/* Data in segments of at most seg bytes (0: one segment up to TH_SEG_MAX). */
static void th_send(struct th_conv *cv, int dir, const uint8_t *data, size_t len, size_t seg)
{
	if (seg == 0 || seg > TH_SEG_MAX)
		seg = TH_SEG_MAX;
	for (size_t o = 0; o < len; o += seg)
		th_seg(cv, dir, 0x18, data + o, len - o < seg ? len - o : seg);
}

/* Skips len bytes of dir's stream: the receiver sees a gap. */
__attribute__((unused)) static void th_lose(struct th_conv *cv, int dir, size_t len)
{
	cv->seq[dir] += (uint32_t)len;
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

__attribute__((unused)) static bool th_has_anom(const struct th_result *r, const char *name)
{
	for (size_t i = 0; i < r->anom_cnt; i++)
		if (strcmp(r->anom[i], name) == 0)
			return true;
	return false;
}

__attribute__((unused)) static bool th_has_info(const struct th_result *r, const char *text)
{
	for (size_t i = 0; i < r->pkt_cnt; i++)
		if (strstr(r->info[i], text))
			return true;
	return false;
}
/* ---- SMB1 builders ([MS-CIFS] 2.2.3.1) ---- */

struct mb {
	uint8_t b[70000];
	size_t n;
};

static void mb_u8(struct mb *m, uint8_t v) { m->b[m->n++] = v; }
static void mb_le16(struct mb *m, uint16_t v) { mb_u8(m, (uint8_t)v); mb_u8(m, (uint8_t)(v >> 8)); }
static void mb_le32(struct mb *m, uint32_t v) { mb_le16(m, (uint16_t)v); mb_le16(m, (uint16_t)(v >> 16)); }
__attribute__((unused)) static void mb_str(struct mb *m, const char *s) { size_t l = strlen(s) + 1; memcpy(m->b + m->n, s, l); m->n += l; }
__attribute__((unused)) static void mb_utf16(struct mb *m, const char *s) { for (; *s; s++) mb_le16(m, (uint8_t)*s); mb_le16(m, 0); }

/* NBSS header (4 bytes, filled by mb_end) then the SMB1 header. */
static void mb_smb1(struct mb *m, uint8_t cmd, bool reply, uint32_t status, uint16_t flags2,
		    uint16_t tid, uint16_t uid, uint16_t mid)
{
	m->n = 4;
	mb_u8(m, 0xff); mb_u8(m, 'S'); mb_u8(m, 'M'); mb_u8(m, 'B');
	mb_u8(m, cmd);
	mb_le32(m, status);
	mb_u8(m, reply ? 0x98 : 0x18);
	mb_le16(m, flags2);
	mb_le16(m, 0);
	for (int i = 0; i < 8; i++)
		mb_u8(m, 0);
	mb_le16(m, 0);
	mb_le16(m, tid);
	mb_le16(m, 0x1234);	/* PID */
	mb_le16(m, uid);
	mb_le16(m, mid);
}

static void mb_end(struct mb *m)
{
	size_t len = m->n - 4;

	m->b[0] = 0;
	m->b[1] = (uint8_t)(len >> 16);
	m->b[2] = (uint8_t)(len >> 8);
	m->b[3] = (uint8_t)len;
}

/* The offset of the next byte from the SMB header start. */
__attribute__((unused)) static uint16_t mb_pos(const struct mb *m)
{
	return (uint16_t)(m->n - 4);
}

/* 0x81 request: called CLIENTE<20>, calling SISTEM<00> (seed 004). */
static size_t session_request(uint8_t *out)
{
	char enc[33];
	size_t n = 4;

	out[n++] = 32;
	ws_nb_encode_name("CLIENTE", 0x20, enc);
	memcpy(out + n, enc, 32);
	n += 32;
	out[n++] = 0;
	out[n++] = 32;
	ws_nb_encode_name("SISTEM", 0x00, enc);
	memcpy(out + n, enc, 32);
	n += 32;
	out[n++] = 0;
	out[0] = 0x81;
	out[1] = 0;
	out[2] = 0;
	out[3] = (uint8_t)(n - 4);
	return n;
}

static void echo_req(struct mb *m, uint16_t mid)
{
	mb_smb1(m, 0x2b, false, 0, 0xc001, 0, 0, mid);
	mb_u8(m, 1);
	mb_le16(m, 1);
	mb_le16(m, 4);
	mb_le32(m, 0x41414141);
	mb_end(m);
}

static void test_session_messages(void **unused)
{
	struct th_conv cv;
	static struct th_result r;
	uint8_t req[80];
	size_t n = session_request(req);
	const uint8_t pos[] = { 0x82, 0, 0, 0 };
	const uint8_t neg[] = { 0x83, 0, 0, 1, 0x82 };
	const uint8_t ret[] = { 0x84, 0, 0, 6, 10, 1, 2, 3, 0x01, 0xbd };
	const uint8_t ka[] = { 0x85, 0, 0, 0 };

	(void)unused;
	th_open(&cv, th_file(), 139);
	th_send(&cv, 0, req, n, 0);
	th_send(&cv, 1, neg, sizeof(neg), 0);
	th_send(&cv, 1, ret, sizeof(ret), 0);
	th_send(&cv, 0, req, n, 0);
	th_send(&cv, 1, pos, sizeof(pos), 0);
	th_send(&cv, 0, ka, sizeof(ka), 0);
	th_run(&cv, &r);
	assert_int_equal(r.nb_cnt, 6);
	assert_int_equal(r.nb[0].service, WS_NB_SSN);
	assert_int_equal(r.nb[0].ssn_type, 0x81);
	assert_string_equal(r.nb[0].called.name, "CLIENTE");
	assert_int_equal(r.nb[0].called.suffix, 0x20);
	assert_string_equal(r.nb[0].calling.name, "SISTEM");
	assert_int_equal(r.nb[0].calling.suffix, 0x00);
	assert_non_null(r.nb[0].called.meaning);
	assert_int_equal(r.nb[1].error_code, 0x82);
	assert_string_equal(r.nb[1].error_name, "Called name not present");
	assert_int_equal(r.nb[2].retarget_port, 445);
	assert_int_equal(r.nb[4].ssn_type, 0x82);
	assert_int_equal(r.nb[5].ssn_type, 0x85);
	assert_true(th_has_info(&r, "Session request, to CLIENTE<20> from SISTEM<00>"));
	assert_true(th_has_info(&r, "Negative session response, Called name not present"));
	assert_true(th_has_info(&r, "Retarget session response"));
	assert_true(th_has_info(&r, "Positive session response"));
	assert_true(th_has_info(&r, "Session keep-alive"));
}

/* Every cut of a session request: no event for it, no crash. */
static void test_request_truncations(void **unused)
{
	uint8_t req[80];
	size_t n = session_request(req);

	(void)unused;
	for (size_t cut = 0; cut < n; cut++) {
		struct th_conv cv;
		static struct th_result r;

		th_open(&cv, th_file(), 139);
		th_send(&cv, 0, req, cut, 0);
		th_run(&cv, &r);
		assert_int_equal(r.nb_cnt, 0);
	}
	/* A length that lies (names shorter than the body says). */
	struct th_conv cv;
	static struct th_result r;
	req[3] = 40;
	th_open(&cv, th_file(), 139);
	th_send(&cv, 0, req, 44, 0);
	th_run(&cv, &r);
	assert_int_equal(r.nb_cnt, 1);
	assert_true(r.nb[0].truncated);
	assert_true(th_has_anom(&r, "nbss_bad_name"));
}

/* E bit: a 65540-byte session message (17-bit length), then a keep-alive. */
static void test_17bit_length(void **unused)
{
	struct th_conv cv;
	static struct th_result r;
	static uint8_t big[4 + 65540];
	const uint8_t ka[] = { 0x85, 0, 0, 0 };
	uint8_t req[80];
	size_t n = session_request(req);

	(void)unused;
	memset(big, 'x', sizeof(big));
	big[0] = 0;
	big[1] = 0x01;
	big[2] = 0x00;
	big[3] = 0x04;
	th_open(&cv, th_file(), 139);
	th_send(&cv, 0, req, n, 0);
	th_send(&cv, 0, big, sizeof(big), 1400);
	th_send(&cv, 0, ka, sizeof(ka), 0);
	th_run(&cv, &r);
	assert_int_equal(r.nb_cnt, 2);
	assert_int_equal(r.nb[1].ssn_type, 0x85);
	assert_true(th_has_anom(&r, "nbss_not_smb"));
	assert_false(th_has_anom(&r, "nbss_bad_type"));
}

static void test_bad_type(void **unused)
{
	struct th_conv cv;
	static struct th_result r;
	const uint8_t bad[] = { 0x99, 0, 0, 0 };
	struct mb m;

	(void)unused;
	th_open(&cv, th_file(), 445);
	echo_req(&m, 1);
	th_send(&cv, 0, m.b, m.n, 0);
	th_send(&cv, 0, bad, sizeof(bad), 0);
	echo_req(&m, 2);
	th_send(&cv, 0, m.b, m.n, 0);
	th_run(&cv, &r);
	assert_true(th_has_anom(&r, "nbss_bad_type"));
	assert_int_equal(r.smb_cnt, 2);	/* resynced on the second echo */
	assert_int_equal(r.smb[1].msg_id, 2);
}

/* A gap inside a message: that message is lost, the next one is found. */
static void test_gap_resync(void **unused)
{
	struct th_conv cv;
	static struct th_result r;
	struct mb m;

	(void)unused;
	th_open(&cv, th_file(), 445);
	echo_req(&m, 1);
	th_send(&cv, 0, m.b, m.n, 0);
	echo_req(&m, 2);
	th_send(&cv, 0, m.b, 20, 0);
	th_lose(&cv, 0, 10);
	th_send(&cv, 0, m.b + 30, m.n - 30, 0);
	echo_req(&m, 3);
	th_send(&cv, 0, m.b, m.n, 0);
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 2);
	assert_int_equal(r.smb[0].msg_id, 1);
	assert_int_equal(r.smb[1].msg_id, 3);
}

/* A 300 KiB WRITE AndX: parsed from its head, the data passed over (no
 * pending_limit), and a gap inside the data does not lose step. */
static void test_big_message(void **unused)
{
	static struct mb m;
	struct th_conv cv;
	static struct th_result r;
	const uint32_t data_len = 300u * 1024u;
	static uint8_t zero[TH_SEG_MAX];

	(void)unused;
	mb_smb1(&m, 0x2f, false, 0, 0xc001, 1, 100, 7);
	mb_u8(&m, 14);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0);
	mb_le16(&m, 0x4000);	/* FID */
	mb_le32(&m, 0);
	mb_le32(&m, 0);
	mb_le16(&m, 0);
	mb_le16(&m, 0);
	mb_le16(&m, (uint16_t)(data_len >> 16));
	mb_le16(&m, (uint16_t)data_len);
	mb_le16(&m, 64);	/* DataOffset */
	mb_le32(&m, 0);
	mb_le16(&m, 0);	/* ByteCount (as large writes do) */
	mb_u8(&m, 0);
	size_t head = m.n;
	size_t len = head - 4 + data_len;
	m.b[0] = 0;
	m.b[1] = (uint8_t)(len >> 16);
	m.b[2] = (uint8_t)(len >> 8);
	m.b[3] = (uint8_t)len;
	th_open(&cv, th_file(), 445);
	th_send(&cv, 0, m.b, head, 0);
	size_t sent = 0;
	while (sent < data_len) {
		size_t k = data_len - sent < sizeof(zero) ? data_len - sent : sizeof(zero);
		if (sent == 100u * 1024u)
			th_lose(&cv, 0, k);	/* a lost segment inside the data */
		else
			th_send(&cv, 0, zero, k, 0);
		sent += k;
	}
	struct mb e;
	echo_req(&e, 8);
	th_send(&cv, 0, e.b, e.n, 0);
	th_run(&cv, &r);
	assert_false(th_has_anom(&r, "pending_limit"));
	assert_int_equal(r.smb_cnt, 2);
	assert_int_equal(r.smb[0].command, 0x2f);
	assert_int_equal(r.smb[0].length, data_len);
	assert_int_equal(r.smb[1].command, 0x2b);
	assert_int_equal(r.smb[1].msg_id, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_messages),
		cmocka_unit_test(test_request_truncations),
		cmocka_unit_test(test_17bit_length),
		cmocka_unit_test(test_bad_type),
		cmocka_unit_test(test_gap_resync),
		cmocka_unit_test(test_big_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
