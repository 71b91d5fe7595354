/*
 * test_smb2.c - the SMB2/SMB3 parser (src/proto/smb2.c) through the real
 * engine: crafted TCP conversations on port 445 ([MS-SMB2] 2.1 direct TCP
 * framing, 4-byte length prefix) are written as a pcap into a memfd and run
 * with ws_engine_run_file(); the smb and login events, anomalies and each
 * packet's Info text are collected and checked.
 *
 * Cases: negotiate 3.1.1 with contexts; session setup failing then
 * succeeding inside one connection (two login events); tree connect +
 * create + write on a pipe (share, file name, DCE/RPC hand-off);
 * compounded related requests; async STATUS_PENDING then the final
 * response; the encryption and compression transform headers; a hostile
 * NextCommand; and every truncation of a session setup message.
 *
 * Frame layout: Ethernet (RFC 894) | IPv4 (RFC 791, checksum set) | TCP
 * (RFC 793, 20 bytes, checksum 0: the engine does not verify it) | payload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "event/ev_smb.h"
#include "proto/smb_parts.h"
#include "ntlm_build.h"

#define EV_MAX 64
#define PKT_MAX 64
#define FRAME_MAX 4096

struct result {
	struct ws_ev_smb smb[EV_MAX];
	size_t smb_cnt;
	struct ws_ev_login login[EV_MAX];
	size_t login_cnt;
	char anom[EV_MAX][160];
	size_t anom_cnt;
	uint64_t type_cnt[WS_EV__COUNT];
	char info[PKT_MAX][512];
};

static void on_event(void *user, const struct ws_event *ev)
{
	struct result *r = user;

	r->type_cnt[ev->type]++;
	if (ev->type == WS_EV_SMB && r->smb_cnt < EV_MAX)
		memcpy(&r->smb[r->smb_cnt++], ev->body, sizeof(struct ws_ev_smb));
	else if (ev->type == WS_EV_LOGIN && r->login_cnt < EV_MAX)
		memcpy(&r->login[r->login_cnt++], ev->body, sizeof(struct ws_ev_login));
	else if (ev->type == WS_EV_ANOMALY && r->anom_cnt < EV_MAX) {
		const struct ws_ev_anomaly *a = ev->body;

		snprintf(r->anom[r->anom_cnt++], sizeof(r->anom[0]), "%s:%s", a->name, a->detail ? a->detail : "");
	}
}

static void on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir,
		      const char *label, const char *info)
{
	struct result *r = user;

	(void)f;
	(void)dir;
	(void)label;
	if (p->num >= 1 && p->num <= PKT_MAX && info)
		snprintf(r->info[p->num - 1], sizeof(r->info[0]), "%s", info);
}

/* ---- a TCP conversation as a pcap ---- */

struct conv {
	FILE *f;
	int fd;
	uint32_t seq[2];	/* next sequence number, by direction (0 client) */
	uint32_t n;
};

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static void frame(struct conv *c, int from_server, uint8_t tcp_flags, const uint8_t *data, size_t len)
{
	uint8_t fr[FRAME_MAX + 64];
	static const uint8_t cli[4] = { 10, 77, 0, 20 }, srv[4] = { 10, 77, 0, 10 };
	const uint8_t *s = from_server ? srv : cli, *d = from_server ? cli : srv;
	uint16_t sp = from_server ? 445 : 50000, dp = from_server ? 50000 : 445;
	size_t ip_len = 20 + 20 + len;
	uint32_t sum = 0;

	assert_true(len <= FRAME_MAX);
	memset(fr, 0, 54);
	memcpy(fr, from_server ? "\x02\0\0\0\0\x01" : "\x02\0\0\0\0\x02", 6);
	memcpy(fr + 6, from_server ? "\x02\0\0\0\0\x02" : "\x02\0\0\0\0\x01", 6);
	fr[12] = 0x08;
	uint8_t *ip = fr + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, s, 4);
	memcpy(ip + 16, d, 4);
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
	uint32_t sq = c->seq[from_server], ak = c->seq[!from_server];
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(sq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ak >> (24 - 8 * i));
	}
	t[12] = 0x50;
	t[13] = tcp_flags;
	t[14] = 0xff;
	t[15] = 0xff;
	if (len)
		memcpy(t + 20, data, len);
	c->seq[from_server] += (uint32_t)len + ((tcp_flags & 0x03) ? 1u : 0u);
	put32(c->f, 1000000000u + c->n);
	put32(c->f, c->n * 1000u);
	put32(c->f, (uint32_t)(54 + len));
	put32(c->f, (uint32_t)(54 + len));
	fwrite(fr, 1, 54 + len, c->f);
	c->n++;
}

static void conv_open(struct conv *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = memfd_create("smb2", 0);
	assert_true(c->fd >= 0);
	c->f = fdopen(dup(c->fd), "wb");
	assert_non_null(c->f);
	put32(c->f, 0xa1b2c3d4u);
	put32(c->f, 2u | 4u << 16);
	put32(c->f, 0);
	put32(c->f, 0);
	put32(c->f, 65535);
	put32(c->f, 1);
	c->seq[0] = 1000;
	c->seq[1] = 5000;
	frame(c, 0, 0x02, NULL, 0);	/* SYN */
	frame(c, 1, 0x12, NULL, 0);	/* SYN ACK */
	frame(c, 0, 0x10, NULL, 0);	/* ACK */
}

/* One SMB message with its 4-byte direct-TCP prefix, in one segment. */
static void send_msg(struct conv *c, int from_server, const uint8_t *m, size_t len)
{
	uint8_t b[FRAME_MAX];

	assert_true(len + 4 <= sizeof(b));
	b[0] = 0;
	b[1] = (uint8_t)(len >> 16);
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	if (len)
		memcpy(b + 4, m, len);
	frame(c, from_server, 0x18, b, len + 4);
}

static struct result *conv_run(struct conv *c)
{
	struct result *r = calloc(1, sizeof(*r));
	struct ws_bus bus;
	struct ws_engine_cfg cfg;
	struct ws_engine *e;
	char path[64], err[256];

	assert_non_null(r);
	fclose(c->f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->fd);
	if (getenv("SMB2_DUMP")) {
		/* SMB2_DUMP=file keeps the last capture, to compare with tshark */
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "cp %s %s", path, getenv("SMB2_DUMP"));
		if (system(cmd) != 0)
			fprintf(stderr, "could not keep the capture\n");
	}
	ws_bus_init(&bus);
	ws_engine_cfg_default(&cfg);
	cfg.want_info = true;
	e = ws_engine_new(&cfg, &bus);
	assert_non_null(e);
	ws_bus_subscribe(&bus, on_event, r);
	ws_engine_set_packet_hook(e, on_packet, r);
	assert_int_equal(ws_engine_run_file(e, path, err, sizeof(err)), WS_RUN_OK);
	ws_engine_finish(e);
	ws_engine_free(e);
	close(c->fd);
	return r;
}

/* ---- SMB2 message builder ---- */

struct hdr {
	uint16_t cmd;
	uint32_t status;
	uint32_t flags;
	uint32_t next;
	uint64_t msg_id;
	uint32_t tree_id;
	uint64_t session_id;
	uint64_t async_id;
};

static void le64(uint8_t *p, uint64_t v)
{
	nb_le32(p, (uint32_t)v);
	nb_le32(p + 4, (uint32_t)(v >> 32));
}

/* Header + body into out; returns 64 + body_len. */
static size_t smb2(uint8_t *out, const struct hdr *h, const uint8_t *body, size_t body_len)
{
	memset(out, 0, 64);
	memcpy(out, "\xfeSMB", 4);
	nb_le16(out + 4, 64);
	nb_le32(out + 8, h->status);
	nb_le16(out + 12, h->cmd);
	nb_le16(out + 14, 1);
	nb_le32(out + 16, h->flags);
	nb_le32(out + 20, h->next);
	le64(out + 24, h->msg_id);
	if (h->flags & 2)
		le64(out + 32, h->async_id);
	else
		nb_le32(out + 36, h->tree_id);
	le64(out + 40, h->session_id);
	if (body_len)
		memcpy(out + 64, body, body_len);
	return 64 + body_len;
}

static size_t negotiate_req(uint8_t *out)
{
	uint8_t b[256];
	static const uint16_t d[] = { 0x0202, 0x0210, 0x0300, 0x0302, 0x0311 };
	size_t o;

	memset(b, 0, sizeof(b));
	nb_le16(b, 36);
	nb_le16(b + 2, 5);
	nb_le16(b + 4, 1);	/* signing enabled */
	nb_le32(b + 8, 0x7f);
	for (size_t i = 0; i < 5; i++)
		nb_le16(b + 36 + 2 * i, d[i]);
	o = 36 + 10;
	o = (o + 7) & ~(size_t)7;	/* contexts start 8-aligned from the header */
	o = ((64 + o + 7) & ~(size_t)7) - 64;
	nb_le32(b + 28, (uint32_t)(64 + o));
	nb_le16(b + 32, 2);
	/* PREAUTH_INTEGRITY: 1 hash (SHA-512), 32-byte salt */
	nb_le16(b + o, 1);
	nb_le16(b + o + 2, 38);
	nb_le16(b + o + 8, 1);
	nb_le16(b + o + 10, 32);
	nb_le16(b + o + 12, 1);
	o += 8 + 38;
	o = (o + 7) & ~(size_t)7;
	/* ENCRYPTION: AES-128-GCM, AES-128-CCM */
	nb_le16(b + o, 2);
	nb_le16(b + o + 2, 6);
	nb_le16(b + o + 8, 2);
	nb_le16(b + o + 10, 2);
	nb_le16(b + o + 12, 1);
	o += 8 + 6;
	struct hdr h = { .cmd = 0, .msg_id = 0 };
	return smb2(out, &h, b, o);
}

static size_t negotiate_resp(uint8_t *out, uint16_t dialect)
{
	uint8_t b[72];
	struct hdr h = { .cmd = 0, .flags = 1, .msg_id = 0 };

	memset(b, 0, sizeof(b));
	nb_le16(b, 65);
	nb_le16(b + 2, 3);	/* signing enabled and required */
	nb_le16(b + 4, dialect);
	nb_le32(b + 24, 0x2f);
	return smb2(out, &h, b, 64);
}

static size_t session_setup_req(uint8_t *out, uint64_t mid, uint64_t sid, const uint8_t *tok, size_t tl)
{
	uint8_t b[2048];
	struct hdr h = { .cmd = 1, .msg_id = mid, .session_id = sid };

	memset(b, 0, 24);
	nb_le16(b, 25);
	nb_le16(b + 12, 64 + 24);
	nb_le16(b + 14, (uint16_t)tl);
	if (tl)
		memcpy(b + 24, tok, tl);
	return smb2(out, &h, b, 24 + tl);
}

static size_t session_setup_resp(uint8_t *out, uint64_t mid, uint64_t sid, uint32_t status, uint16_t sflags,
				 const uint8_t *tok, size_t tl)
{
	uint8_t b[2048];
	struct hdr h = { .cmd = 1, .flags = 1, .msg_id = mid, .session_id = sid, .status = status };

	memset(b, 0, 8);
	nb_le16(b, 9);
	nb_le16(b + 2, sflags);
	nb_le16(b + 4, tl ? 64 + 8 : 0);
	nb_le16(b + 6, (uint16_t)tl);
	if (tl)
		memcpy(b + 8, tok, tl);
	return smb2(out, &h, b, 8 + tl);
}

static size_t error_resp(uint8_t *out, uint16_t cmd, uint64_t mid, uint32_t status, uint32_t flags, uint64_t async_id)
{
	static const uint8_t b[9] = { 9 };
	struct hdr h = { .cmd = cmd, .flags = 1 | flags, .msg_id = mid, .status = status, .async_id = async_id };

	return smb2(out, &h, b, 9);
}

/* NEG, CHALLENGE, AUTH -> status, on message ids base..base+1. */
static void logon(struct conv *c, uint64_t base, const char *user, uint32_t status, uint16_t sflags)
{
	uint8_t m[2048], tok[1024], w[2048];
	size_t tl, wl, n;

	tl = nb_negotiate(tok);
	wl = nb_spnego_init(w, tok, tl);
	n = session_setup_req(m, base, 0, w, wl);
	send_msg(c, 0, m, n);
	tl = nb_challenge(tok);
	wl = nb_spnego_resp(w, tok, tl);
	n = session_setup_resp(m, base, 0x55, 0xc0000016u, 0, w, wl);
	send_msg(c, 1, m, n);
	tl = nb_authenticate(tok, "LABNET", user, "WS01", 24, 120, 1);
	wl = nb_spnego_resp(w, tok, tl);
	n = session_setup_req(m, base + 1, 0x55, w, wl);
	send_msg(c, 0, m, n);
	n = session_setup_resp(m, base + 1, 0x55, status, sflags, NULL, 0);
	send_msg(c, 1, m, n);
}

static const struct ws_ev_smb *find_smb(const struct result *r, uint16_t cmd, size_t nth)
{
	for (size_t i = 0; i < r->smb_cnt; i++)
		if (r->smb[i].command == cmd && nth-- == 0)
			return &r->smb[i];
	return NULL;
}

/* ---- tests ---- */

static void test_negotiate_311(void **state)
{
	struct conv c;
	uint8_t m[512];
	size_t n;

	(void)state;
	conv_open(&c);
	n = negotiate_req(m);
	send_msg(&c, 0, m, n);
	n = negotiate_resp(m, 0x0311);
	send_msg(&c, 1, m, n);
	struct result *r = conv_run(&c);
	const struct ws_ev_smb *e = find_smb(r, 0, 0);

	assert_non_null(e);
	assert_true(e->has_request && e->has_response);
	assert_int_equal(e->version, 3);
	assert_int_equal(e->dialect_cnt, 5);
	assert_string_equal(e->dialects[0], "2.0.2");
	assert_string_equal(e->dialects[4], "3.1.1");
	assert_string_equal(e->dialect, "3.1.1");
	assert_int_equal(e->security_mode, 3);
	assert_int_equal(e->capabilities, 0x2f);
	assert_string_equal(e->command_name, "NEGOTIATE");
	assert_string_equal(r->info[3], "Negotiate Protocol Request");
	assert_string_equal(r->info[4], "Negotiate Protocol Response");
	assert_int_equal(r->anom_cnt, 0);
	free(r);
}

static void test_two_logins_one_connection(void **state)
{
	struct conv c;
	uint8_t m[512];
	size_t n;

	(void)state;
	conv_open(&c);
	n = negotiate_req(m);
	send_msg(&c, 0, m, n);
	n = negotiate_resp(m, 0x0302);
	send_msg(&c, 1, m, n);
	logon(&c, 1, "alice", 0xc000006du, 0);
	logon(&c, 3, "alice", 0, 0);
	struct result *r = conv_run(&c);

	assert_int_equal(r->login_cnt, 2);
	assert_string_equal(r->login[0].service, "smb");
	assert_string_equal(r->login[0].user, "alice");
	assert_string_equal(r->login[0].domain, "LABNET");
	assert_string_equal(r->login[0].host, "WS01");
	assert_string_equal(r->login[0].method, "ntlmv2");
	assert_int_equal(r->login[0].success, 0);
	assert_int_equal(r->login[0].status, 0xc000006du);
	assert_string_equal(r->login[0].status_name, "STATUS_LOGON_FAILURE");
	assert_true(r->login[0].password_sent);
	assert_int_equal(r->login[1].success, 1);
	assert_string_equal(r->login[1].status_name, "STATUS_SUCCESS");
	/* Info as tshark words it */
	assert_string_equal(r->info[5], "Session Setup Request, NTLMSSP_NEGOTIATE");
	assert_string_equal(r->info[6], "Session Setup Response, Error: STATUS_MORE_PROCESSING_REQUIRED, NTLMSSP_CHALLENGE");
	assert_string_equal(r->info[7], "Session Setup Request, NTLMSSP_AUTH, User: LABNET\\alice");
	assert_string_equal(r->info[8], "Session Setup Response, Error: STATUS_LOGON_FAILURE");
	assert_string_equal(r->info[12], "Session Setup Response");
	/* one smb event per pair: negotiate + 4 session setups, all version 3 (3.0.2) */
	assert_int_equal(r->smb_cnt, 5);
	assert_int_equal(r->smb[2].version, 3);
	free(r);
}

static void test_guest_and_anonymous(void **state)
{
	struct conv c;
	uint8_t m[2048], tok[512];
	size_t n, tl;

	(void)state;
	conv_open(&c);
	logon(&c, 1, "nobody", 0, 0x0001);	/* guest */
	tl = nb_authenticate(tok, "", "", "", 1, 0, 1);
	n = session_setup_req(m, 3, 0, tok, tl);	/* raw NTLMSSP, anonymous */
	send_msg(&c, 0, m, n);
	n = session_setup_resp(m, 3, 0x66, 0, 0x0002, NULL, 0);
	send_msg(&c, 1, m, n);
	struct result *r = conv_run(&c);

	assert_int_equal(r->login_cnt, 2);
	assert_true(r->login[0].guest);
	assert_string_equal(r->login[0].method, "guest");
	assert_true(r->login[1].anonymous);
	assert_string_equal(r->login[1].method, "anonymous");
	assert_false(r->login[1].password_sent);
	free(r);
}

static size_t tree_connect_req(uint8_t *out, uint64_t mid, const char *path)
{
	uint8_t b[512];
	struct hdr h = { .cmd = 3, .msg_id = mid, .session_id = 0x55 };
	size_t pl;

	memset(b, 0, 8);
	nb_le16(b, 9);
	pl = nb_str(b + 8, path, 1);
	nb_le16(b + 4, 64 + 8);
	nb_le16(b + 6, (uint16_t)pl);
	return smb2(out, &h, b, 8 + pl);
}

static size_t tree_connect_resp(uint8_t *out, uint64_t mid, uint32_t tid, uint8_t type)
{
	uint8_t b[16] = { 16 };
	struct hdr h = { .cmd = 3, .flags = 1, .msg_id = mid, .session_id = 0x55, .tree_id = tid };

	b[2] = type;
	return smb2(out, &h, b, 16);
}

static size_t create_req(uint8_t *out, uint64_t mid, uint32_t tid, const char *name, uint32_t flags, uint32_t next)
{
	uint8_t b[512];
	struct hdr h = { .cmd = 5, .msg_id = mid, .session_id = 0x55, .tree_id = tid, .flags = flags, .next = next };
	size_t nl;

	memset(b, 0, 56);
	nb_le16(b, 57);
	nb_le32(b + 36, 1);	/* FILE_OPEN */
	nl = nb_str(b + 56, name, 1);
	nb_le16(b + 44, 64 + 56);
	nb_le16(b + 46, (uint16_t)nl);
	return smb2(out, &h, b, 56 + nl);
}

static size_t create_resp(uint8_t *out, uint64_t mid, uint32_t tid, uint64_t fid, uint32_t flags, uint32_t next)
{
	uint8_t b[88];
	struct hdr h = { .cmd = 5, .flags = 1 | flags, .msg_id = mid, .session_id = 0x55, .tree_id = tid, .next = next };

	memset(b, 0, sizeof(b));
	nb_le16(b, 89);
	nb_le32(b + 4, 1);	/* FILE_OPENED */
	le64(b + 64, fid);
	le64(b + 72, fid + 1);
	return smb2(out, &h, b, 88);
}

/* A DCE/RPC bind to srvsvc (C706 12.6.4.3), 72 bytes. */
static size_t dcerpc_bind(uint8_t *b)
{
	static const uint8_t srvsvc[16] = { 0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
					    0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88 };
	static const uint8_t ndr[16] = { 0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
					 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60 };

	memset(b, 0, 72);
	b[0] = 5;
	b[2] = 11;
	b[3] = 3;
	b[4] = 0x10;
	nb_le16(b + 8, 72);
	nb_le32(b + 12, 1);
	nb_le16(b + 16, 4280);
	nb_le16(b + 18, 4280);
	b[24] = 1;
	b[30] = 1;
	memcpy(b + 32, srvsvc, 16);
	nb_le16(b + 48, 3);
	memcpy(b + 52, ndr, 16);
	nb_le32(b + 68, 2);
	return 72;
}

static void test_pipe_write(void **state)
{
	struct conv c;
	uint8_t m[1024], b[256];
	size_t n;

	(void)state;
	conv_open(&c);
	n = tree_connect_req(m, 10, "\\\\10.77.0.10\\IPC$");
	send_msg(&c, 0, m, n);
	n = tree_connect_resp(m, 10, 7, 2);
	send_msg(&c, 1, m, n);
	n = create_req(m, 11, 7, "srvsvc", 0, 0);
	send_msg(&c, 0, m, n);
	n = create_resp(m, 11, 7, 0x100, 0, 0);
	send_msg(&c, 1, m, n);
	/* WRITE 2.2.21: DataOffset 2, Length 4, Offset 8, FileId 16, data at 64+48 */
	memset(b, 0, 48);
	nb_le16(b, 49);
	nb_le16(b + 2, 64 + 48);
	size_t dl = dcerpc_bind(b + 48);
	nb_le32(b + 4, (uint32_t)dl);
	le64(b + 16, 0x100);
	le64(b + 24, 0x101);
	struct hdr h = { .cmd = 9, .msg_id = 12, .session_id = 0x55, .tree_id = 7 };
	n = smb2(m, &h, b, 48 + dl);
	send_msg(&c, 0, m, n);
	uint8_t wr[16] = { 17 };
	nb_le32(wr + 4, (uint32_t)dl);
	struct hdr hr = { .cmd = 9, .flags = 1, .msg_id = 12, .session_id = 0x55, .tree_id = 7 };
	n = smb2(m, &hr, wr, 16);
	send_msg(&c, 1, m, n);
	struct result *r = conv_run(&c);

	const struct ws_ev_smb *tc = find_smb(r, 3, 0);
	assert_non_null(tc);
	assert_string_equal(tc->share, "\\\\10.77.0.10\\IPC$");
	assert_string_equal(tc->service, "pipe");
	const struct ws_ev_smb *cr = find_smb(r, 5, 0);
	assert_non_null(cr);
	assert_string_equal(cr->filename, "srvsvc");
	assert_string_equal(cr->share, "\\\\10.77.0.10\\IPC$");
	assert_int_equal(cr->create_disposition, 1);
	assert_int_equal(cr->create_action, 1);
	const struct ws_ev_smb *w = find_smb(r, 9, 0);
	assert_non_null(w);
	assert_string_equal(w->filename, "srvsvc");
	assert_string_equal(w->share, "\\\\10.77.0.10\\IPC$");
	assert_string_equal(w->pipe, "srvsvc");
	assert_int_equal(w->length, dl);
	assert_int_equal(w->data_length, dl);
	assert_string_equal(r->info[3], "Tree Connect Request Tree: \\\\10.77.0.10\\IPC$");
	assert_string_equal(r->info[5], "Create Request File: srvsvc");
	assert_true(strncmp(r->info[7], "Write Request Len:72 Off:0 File: srvsvc", 39) == 0);
	assert_true(r->type_cnt[WS_EV_DCERPC] >= 1);	/* the bind reached dcerpc */
	free(r);
}

static void test_compound_and_async(void **state)
{
	struct conv c;
	uint8_t m[2048], one[512];
	size_t n, a, b2;

	(void)state;
	conv_open(&c);
	n = tree_connect_req(m, 1, "\\\\srv\\data");
	send_msg(&c, 0, m, n);
	n = tree_connect_resp(m, 1, 9, 1);
	send_msg(&c, 1, m, n);
	/* CREATE + CLOSE(related, FileId all ones), compounded */
	a = create_req(m, 2, 9, "dir\\a.txt", 0, 0);
	size_t pad = (8 - (a & 7)) & 7;
	memset(m + a, 0, pad);
	nb_le32(m + 20, (uint32_t)(a + pad));
	uint8_t cb[24] = { 24 };
	memset(cb + 8, 0xff, 16);
	struct hdr ch = { .cmd = 6, .msg_id = 3, .session_id = 0x55, .tree_id = 9, .flags = 4 };
	b2 = smb2(m + a + pad, &ch, cb, 24);
	send_msg(&c, 0, m, a + pad + b2);
	a = create_resp(m, 2, 9, 0x200, 0, 0);
	pad = (8 - (a & 7)) & 7;
	memset(m + a, 0, pad);
	nb_le32(m + 20, (uint32_t)(a + pad));
	uint8_t cr[60] = { 60 };
	struct hdr crh = { .cmd = 6, .flags = 1 | 4, .msg_id = 3, .session_id = 0x55, .tree_id = 9 };
	b2 = smb2(m + a + pad, &crh, cr, 60);
	send_msg(&c, 1, m, a + pad + b2);
	/* IOCTL, interim STATUS_PENDING (async), then the final answer */
	uint8_t ib[56] = { 57 };
	nb_le32(ib + 4, 0x00140204u);
	memset(ib + 8, 0xff, 16);
	struct hdr ih = { .cmd = 11, .msg_id = 4, .session_id = 0x55, .tree_id = 9 };
	n = smb2(one, &ih, ib, 56);
	send_msg(&c, 0, one, n);
	n = error_resp(one, 11, 4, 0x103, 2, 0x77);
	send_msg(&c, 1, one, n);
	uint8_t ir[48] = { 49 };
	nb_le32(ir + 4, 0x00140204u);
	struct hdr irh = { .cmd = 11, .flags = 1 | 2, .msg_id = 4, .async_id = 0x77, .session_id = 0x55 };
	n = smb2(one, &irh, ir, 48);
	send_msg(&c, 1, one, n);
	struct result *r = conv_run(&c);

	const struct ws_ev_smb *cre = find_smb(r, 5, 0);
	const struct ws_ev_smb *clo = find_smb(r, 6, 0);
	assert_non_null(cre);
	assert_non_null(clo);
	assert_true(cre->compounded && clo->compounded);
	assert_string_equal(clo->filename, "dir\\a.txt");	/* related FileId resolved */
	assert_string_equal(clo->share, "\\\\srv\\data");
	assert_string_equal(r->info[5], "Create Request File: dir\\a.txt; Close Request");
	assert_string_equal(r->info[6], "Create Response File: dir\\a.txt; Close Response");
	/* one event for the ioctl, with the final status */
	assert_non_null(find_smb(r, 11, 0));
	assert_null(find_smb(r, 11, 1));
	const struct ws_ev_smb *io = find_smb(r, 11, 0);
	assert_int_equal(io->status, 0);
	assert_true(io->async);
	assert_true(io->has_request);
	assert_string_equal(io->ioctl_name, "FSCTL_VALIDATE_NEGOTIATE_INFO");
	assert_string_equal(r->info[8], "Ioctl Response, Error: STATUS_PENDING");
	free(r);
}

/* Requests without their final answer are emitted at flow end (smb2_close),
 * oldest first, with has_response false; an interim STATUS_PENDING is no answer. */
static void test_unanswered_at_close(void **state)
{
	struct conv c;
	uint8_t m[2048], one[512];
	size_t n;

	(void)state;
	conv_open(&c);
	n = tree_connect_req(m, 1, "\\\\srv\\data");
	send_msg(&c, 0, m, n);
	n = tree_connect_resp(m, 1, 9, 1);
	send_msg(&c, 1, m, n);
	n = create_req(m, 2, 9, "lost.txt", 0, 0);
	send_msg(&c, 0, m, n);
	uint8_t ib[56] = { 57 };
	nb_le32(ib + 4, 0x00140204u);
	memset(ib + 8, 0xff, 16);
	struct hdr ih = { .cmd = 11, .msg_id = 3, .session_id = 0x55, .tree_id = 9 };
	n = smb2(one, &ih, ib, 56);
	send_msg(&c, 0, one, n);
	n = error_resp(one, 11, 3, 0x103, 2, 0x77);
	send_msg(&c, 1, one, n);
	struct result *r = conv_run(&c);

	assert_int_equal(r->smb_cnt, 3);
	assert_int_equal(r->smb[0].command, 3);
	assert_true(r->smb[0].has_request && r->smb[0].has_response);
	assert_true(r->smb[0].req_pcap_cnt > 0);
	/* at close, oldest first */
	assert_int_equal(r->smb[1].command, 5);
	assert_true(r->smb[1].has_request);
	assert_false(r->smb[1].has_response);
	assert_string_equal(r->smb[1].filename, "lost.txt");
	assert_string_equal(r->smb[1].share, "\\\\srv\\data");
	assert_int_equal(r->smb[2].command, 11);
	assert_false(r->smb[2].has_response);
	assert_true(r->smb[2].async);
	assert_true(r->smb[1].req_pcap_cnt > r->smb[0].req_pcap_cnt);
	assert_true(r->smb[2].req_pcap_cnt > r->smb[1].req_pcap_cnt);
	free(r);
}

static void test_transforms(void **state)
{
	struct conv c;
	uint8_t m[256];

	(void)state;
	conv_open(&c);
	memset(m, 0, sizeof(m));
	memcpy(m, "\xfdSMB", 4);
	nb_le32(m + 36, 100);
	le64(m + 44, 0x1234);
	send_msg(&c, 0, m, 52 + 100);
	memset(m, 0, 32);
	memcpy(m, "\xfcSMB", 4);
	nb_le32(m + 4, 0xffffffffu);	/* SMBGhost-style original size */
	nb_le16(m + 8, 1);
	nb_le32(m + 12, 0x10);
	send_msg(&c, 0, m, 32);
	struct result *r = conv_run(&c);

	assert_int_equal(r->smb_cnt, 1);
	assert_true(r->smb[0].encrypted);
	assert_string_equal(r->smb[0].command_name, "ENCRYPTED");
	assert_int_equal(r->smb[0].session_id, 0x1234);
	assert_string_equal(r->info[3], "Encrypted SMB3");
	int seen = 0;
	for (size_t i = 0; i < r->anom_cnt; i++)
		if (strncmp(r->anom[i], "smb2_compressed:original size 4294967295, offset 16", 51) == 0)
			seen = 1;
	assert_true(seen);
	free(r);
}

static void test_bad_next_command(void **state)
{
	struct conv c;
	uint8_t m[512];
	size_t n;

	(void)state;
	conv_open(&c);
	struct hdr h = { .cmd = 13, .msg_id = 1, .next = 8 };	/* points back into the header */
	uint8_t eb[4] = { 4 };
	n = smb2(m, &h, eb, 4);
	send_msg(&c, 0, m, n);
	struct hdr h2 = { .cmd = 13, .msg_id = 2, .next = 0x7ffffff8u };	/* far past the end */
	n = smb2(m, &h2, eb, 4);
	send_msg(&c, 0, m, n);
	struct result *r = conv_run(&c);
	size_t bad = 0;

	for (size_t i = 0; i < r->anom_cnt; i++)
		bad += strncmp(r->anom[i], "smb2_bad_next_command", 21) == 0;
	assert_int_equal(bad, 2);
	assert_string_equal(r->info[3], "KeepAlive Request");
	free(r);
}

/* Each prefix of a session setup AUTH and a create response as a whole message. */
static void test_every_truncation(void **state)
{
	uint8_t full[2048], tok[1024], w[2048];
	size_t tl, wl, len;

	(void)state;
	tl = nb_authenticate(tok, "LABNET", "alice", "WS01", 24, 120, 1);
	wl = nb_spnego_resp(w, tok, tl);
	len = session_setup_req(full, 1, 0x55, w, wl);
	for (size_t cut = 0; cut <= len; cut += (cut < 100 ? 1 : 7)) {
		struct conv c;

		conv_open(&c);
		send_msg(&c, 0, full, cut);
		uint8_t m[512];
		size_t n = session_setup_resp(m, 1, 0x55, 0xc000006du, 0, NULL, 0);
		send_msg(&c, 1, m, n);
		struct result *r = conv_run(&c);
		/* a whole request gives a login; a cut one at most one, never a crash */
		assert_true(r->login_cnt <= 1);
		if (cut == len)
			assert_int_equal(r->login_cnt, 1);
		free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate_311),
		cmocka_unit_test(test_two_logins_one_connection),
		cmocka_unit_test(test_guest_and_anonymous),
		cmocka_unit_test(test_pipe_write),
		cmocka_unit_test(test_compound_and_async),
		cmocka_unit_test(test_transforms),
		cmocka_unit_test(test_bad_next_command),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_unanswered_at_close),
	};

	smb2_free(NULL);	/* NULL is a no-op */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
