/*
 * test_ssh.c - SSH (RFC 4253) through the real engine: version lines (with
 * comments, with lines before the server's, SSH-1.99, SSH-1.5), KEXINIT
 * parsing, negotiation and HASSH against independently computed MD5s, the
 * client stream split at 1, 7 and 100 bytes, cut at every length, hostile
 * packet_length and padding, and the encrypted phase: counting and the
 * authentication estimate per attempt.
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
#include "event/ev_smb.h"
#include "event/ev_ssh.h"
#include "event/event.h"
#include "../tcp_pcap.h"

/* ---- a small TCP harness: crafted segments -> pcap in a memfd -> engine ---- */

#define TH_EV_MAX 64
#define TH_PKT_MAX 4096
#define TH_LOGIN_MAX 64

struct th_result {
	struct ws_ev_ssh ssh[4];
	size_t ssh_cnt;
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

	if (ev->type == WS_EV_SSH && r->ssh_cnt < 4)
		r->ssh[r->ssh_cnt++] = *(const struct ws_ev_ssh *)ev->body;
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
/* ---- SSH builders (RFC 4253 6, 7.1) ---- */

struct mb {
	uint8_t b[8192];
	size_t n;
};

static void mb_put(struct mb *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void mb_be32(struct mb *m, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	mb_put(m, b, 4);
}

static void mb_str(struct mb *m, const char *s)
{
	mb_put(m, s, strlen(s));
}

/* RFC 4253 6: a cleartext binary packet around payload, padded to 8 with >= 4. */
static void mb_packet(struct mb *m, const uint8_t *payload, size_t len)
{
	size_t pad = 8 - (4 + 1 + len) % 8;

	if (pad < 4)
		pad += 8;
	mb_be32(m, (uint32_t)(1 + len + pad));
	uint8_t p = (uint8_t)pad;
	mb_put(m, &p, 1);
	mb_put(m, payload, len);
	uint8_t zero[16] = { 0 };
	mb_put(m, zero, pad);
}

static void mb_msg(struct mb *m, uint8_t type)
{
	mb_packet(m, &type, 1);
}

/* RFC 4253 7.1 KEXINIT with ten name-lists. */
static void mb_kexinit(struct mb *m, const char *const lists[10])
{
	struct mb p = { .n = 0 };
	uint8_t type = 20, cookie[16], tail[5] = { 0 };

	memset(cookie, 0xab, sizeof(cookie));
	mb_put(&p, &type, 1);
	mb_put(&p, cookie, 16);
	for (int i = 0; i < 10; i++) {
		mb_be32(&p, (uint32_t)strlen(lists[i]));
		mb_str(&p, lists[i]);
	}
	mb_put(&p, tail, 5);
	mb_packet(m, p.b, p.n);
}

static const char *const client_lists[10] = {
	"curve25519-sha256,diffie-hellman-group14-sha256", "ssh-ed25519,rsa-sha2-512",
	"aes128-ctr,aes256-gcm@openssh.com", "aes128-ctr", "hmac-sha2-256", "hmac-sha2-256",
	"none,zlib@openssh.com", "none", "", "",
};
static const char *const server_lists[10] = {
	"curve25519-sha256,diffie-hellman-group14-sha256", "rsa-sha2-512",
	"aes256-gcm@openssh.com,aes128-ctr", "chacha20-poly1305@openssh.com,aes128-ctr",
	"hmac-sha2-512,hmac-sha2-256", "hmac-sha2-512,hmac-sha2-256", "none", "none", "", "",
};
/* md5 of the strings below, computed independently (Python hashlib). */
#define CLIENT_HASSH "7b3f76e580e44aea1e396d8af55a8228"
#define SERVER_HASSH "44907943d18b6910e1dc15231bd199ea"
#define CLIENT_HASSH_STR \
	"curve25519-sha256,diffie-hellman-group14-sha256;aes128-ctr,aes256-gcm@openssh.com;hmac-sha2-256;" \
	"none,zlib@openssh.com"
#define SERVER_HASSH_STR \
	"curve25519-sha256,diffie-hellman-group14-sha256;chacha20-poly1305@openssh.com,aes128-ctr;" \
	"hmac-sha2-512,hmac-sha2-256;none"

#define CLIENT_BANNER "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
#define SERVER_BANNER "SSH-2.0-OpenSSH_8.4 FreeBSD-20200214\r\n"

static struct th_result *th_alloc(void)
{
	struct th_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

/* Client stream up to and with NEWKEYS: banner, KEXINIT, ECDH init, NEWKEYS. */
static void client_clear(struct mb *m)
{
	uint8_t ecdh[33] = { 30, 0, 0, 0, 29 };

	m->n = 0;
	mb_str(m, CLIENT_BANNER);
	mb_kexinit(m, client_lists);
	mb_packet(m, ecdh, sizeof(ecdh));
	mb_msg(m, 21);
}

static void server_clear(struct mb *m)
{
	uint8_t reply[40] = { 31 };

	m->n = 0;
	mb_str(m, SERVER_BANNER);
	mb_kexinit(m, server_lists);
	mb_packet(m, reply, sizeof(reply));
	mb_msg(m, 21);
}

static void check_kex(const struct ws_ev_ssh *e)
{
	assert_string_equal(e->client_version, "SSH-2.0-OpenSSH_9.2p1 Debian-2");
	assert_string_equal(e->client_proto, "2.0");
	assert_string_equal(e->client_software, "OpenSSH_9.2p1");
	assert_string_equal(e->client_comments, "Debian-2");
	assert_string_equal(e->server_software, "OpenSSH_8.4");
	assert_string_equal(e->server_comments, "FreeBSD-20200214");
	assert_string_equal(e->kex, "curve25519-sha256");
	assert_string_equal(e->host_key, "rsa-sha2-512");
	assert_string_equal(e->cipher_c2s, "aes128-ctr");
	assert_string_equal(e->cipher_s2c, "aes128-ctr");
	assert_string_equal(e->mac_c2s, "hmac-sha2-256");
	assert_string_equal(e->mac_s2c, "hmac-sha2-256");
	assert_string_equal(e->compression_c2s, "none");
	assert_string_equal(e->hassh, CLIENT_HASSH);
	assert_string_equal(e->hassh_server, SERVER_HASSH);
	assert_string_equal(e->hassh_string, CLIENT_HASSH_STR);
	assert_string_equal(e->hassh_server_string, SERVER_HASSH_STR);
	assert_true(e->encryption_started);
	assert_false(e->truncated);
}

/* Whole handshake, with the client's stream cut into seg-byte segments. */
static void run_handshake(struct th_result *r, size_t seg)
{
	struct th_conv cv;
	struct mb c, s;

	client_clear(&c);
	server_clear(&s);
	th_open(&cv, th_file(), 22);
	/* Server first (RFC 4253 4.2 allows either order), in one go. */
	th_send(&cv, 1, s.b, strlen(SERVER_BANNER), 0);
	th_send(&cv, 0, c.b, c.n, seg);
	th_send(&cv, 1, s.b + strlen(SERVER_BANNER), s.n - strlen(SERVER_BANNER), 0);
	th_run(&cv, r);
}

static void test_kexinit_hassh(void **unused)
{
	struct th_result *r = th_alloc();

	(void)unused;
	run_handshake(r, 0);
	assert_int_equal(r->ssh_cnt, 1);
	check_kex(&r->ssh[0]);
	assert_int_equal(r->ssh[0].auth_success, -1);
	assert_int_equal(r->login_cnt, 0);
	assert_true(th_has_info(r, "Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2)"));
	assert_true(th_has_info(r, "Server: Protocol (SSH-2.0-OpenSSH_8.4 FreeBSD-20200214)"));
	assert_true(th_has_info(r, "Key Exchange Init"));
	assert_true(th_has_info(r, "Server: Key Exchange Init, Elliptic Curve Diffie-Hellman Key Exchange Reply, New Keys"));
	assert_int_equal(r->anom_cnt, 0);
	free(r);
}

/* The same events whether the client's bytes come in 7-byte pieces or one by one. */
static void test_split_segments(void **unused)
{
	static const size_t segs[] = { 1, 7, 100 };

	(void)unused;
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		struct th_result *r = th_alloc();

		run_handshake(r, segs[i]);
		assert_int_equal(r->ssh_cnt, 1);
		check_kex(&r->ssh[0]);
		assert_int_equal(r->anom_cnt, 0);
		free(r);
	}
}

/* The client's stream cut at every length: no crash; what is whole is decoded. */
static void test_truncations(void **unused)
{
	struct mb c;

	(void)unused;
	client_clear(&c);
	size_t banner = strlen(CLIENT_BANNER);
	for (size_t cut = 0; cut < c.n; cut++) {
		struct th_result *r = th_alloc();
		struct th_conv cv;

		th_open(&cv, th_file(), 22);
		th_send(&cv, 0, c.b, cut, 0);
		th_run(&cv, r);
		if (cut < banner) {
			/* no whole version line: nothing SSH to report */
			assert_int_equal(r->ssh_cnt, 0);
		} else {
			assert_int_equal(r->ssh_cnt, 1);
			assert_string_equal(r->ssh[0].client_software, "OpenSSH_9.2p1");
			assert_false(r->ssh[0].encryption_started);
		}
		assert_int_equal(r->anom_cnt, 0);
		free(r);
	}
}

/* RFC 4253 4.2: lines before the server's version; SSH-1.99. */
static void test_banner_lines(void **unused)
{
	static const char srv[] = "Welcome\r\nauthorised use only\nSSH-1.99-Cisco-1.25\r\n";
	static const char cli[] = "SSH-2.0-PuTTY_Release_0.78\r\n";
	struct th_result *r = th_alloc();
	struct th_conv cv;

	(void)unused;
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, (const uint8_t *)srv, strlen(srv), 5);
	th_send(&cv, 0, (const uint8_t *)cli, strlen(cli), 0);
	th_run(&cv, r);
	assert_int_equal(r->ssh_cnt, 1);
	assert_string_equal(r->ssh[0].server_proto, "1.99");
	assert_string_equal(r->ssh[0].server_software, "Cisco-1.25");
	assert_string_equal(r->ssh[0].server_comments, "");
	assert_int_equal(r->ssh[0].server_pre_lines, 2);
	assert_string_equal(r->ssh[0].client_software, "PuTTY_Release_0.78");
	assert_int_equal(r->anom_cnt, 0);
	free(r);

	/* A client must not send lines first (RFC 4253 4.2): anomaly, no version. */
	static const char bad[] = "hello\r\nSSH-2.0-x\r\n";
	r = th_alloc();
	th_open(&cv, th_file(), 22);
	th_send(&cv, 0, (const uint8_t *)bad, strlen(bad), 0);
	th_send(&cv, 1, (const uint8_t *)cli, strlen(cli), 0);
	th_run(&cv, r);
	assert_true(th_has_anom(r, "ssh_too_many_lines"));
	assert_int_equal(r->ssh_cnt, 1);
	assert_string_equal(r->ssh[0].client_version, "");
	free(r);

	/* A line of 300 bytes with no LF: too long for a version. */
	uint8_t longline[300];
	memset(longline, 'S', sizeof(longline));
	r = th_alloc();
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, longline, sizeof(longline), 0);
	th_run(&cv, r);
	assert_true(th_has_anom(r, "ssh_banner_too_long"));
	free(r);
}

/* SSH-1.5 client, 1.99 server: SSH-1 packets, Public Key / Session Key, then encrypted. */
static void test_ssh1(void **unused)
{
	static const char srv[] = "SSH-1.99-OpenSSH_6.6.1\r\n";
	static const char cli[] = "SSH-1.5-OpenSSH_6.2\r\n";
	uint8_t pk[4 + 8 + 16], sk[4 + 8 + 16], enc[4 + 8];
	struct th_result *r = th_alloc();
	struct th_conv cv;

	(void)unused;
	/* length 16 (type, 11 data, CRC 4) after 8 - 16 % 8 = 8 padding bytes. */
	memset(pk, 0, sizeof(pk));
	pk[3] = 16;
	pk[12] = 2;
	memcpy(sk, pk, sizeof(sk));
	sk[12] = 3;
	memset(enc, 0x5a, sizeof(enc));
	enc[0] = 0; enc[1] = 0; enc[2] = 0; enc[3] = 5;	/* 3 padding + 5 */
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, (const uint8_t *)srv, strlen(srv), 0);
	th_send(&cv, 0, (const uint8_t *)cli, strlen(cli), 0);
	th_send(&cv, 1, pk, sizeof(pk), 0);
	th_send(&cv, 0, sk, sizeof(sk), 0);
	th_send(&cv, 1, enc, sizeof(enc), 0);
	th_run(&cv, r);
	assert_true(th_has_info(r, "Server: Public Key"));
	assert_true(th_has_info(r, "Client: Session Key"));
	assert_true(th_has_info(r, "Server: Encrypted packet (len=5)"));
	assert_int_equal(r->ssh_cnt, 1);
	assert_true(r->ssh[0].encryption_started);
	assert_int_equal(r->ssh[0].enc_packets_s2c, 1);
	assert_int_equal(r->anom_cnt, 0);
	free(r);
}

/* RFC 4253 6.1: packet_length over 35000 is refused, and decoding stops. */
static void test_hostile_length(void **unused)
{
	struct th_result *r = th_alloc();
	struct th_conv cv;
	struct mb c = { .n = 0 };

	(void)unused;
	mb_str(&c, CLIENT_BANNER);
	mb_be32(&c, 35001);
	uint8_t rest[8] = { 4, 20 };
	mb_put(&c, rest, sizeof(rest));
	mb_kexinit(&c, client_lists);	/* after the bad one: must not be read */
	th_open(&cv, th_file(), 22);
	th_send(&cv, 0, c.b, c.n, 0);
	th_run(&cv, r);
	assert_true(th_has_anom(r, "ssh_packet_too_long"));
	assert_int_equal(r->ssh_cnt, 1);
	assert_string_equal(r->ssh[0].hassh, "");
	free(r);

	/* padding_length that does not fit packet_length. */
	r = th_alloc();
	c.n = 0;
	mb_str(&c, CLIENT_BANNER);
	uint8_t badpad[16] = { 0, 0, 0, 12, 200, 20 };
	mb_put(&c, badpad, sizeof(badpad));
	th_open(&cv, th_file(), 22);
	th_send(&cv, 0, c.b, c.n, 0);
	th_run(&cv, r);
	assert_true(th_has_anom(r, "ssh_bad_packet"));
	free(r);

	/* A KEXINIT whose name-list runs past the packet. */
	r = th_alloc();
	c.n = 0;
	mb_str(&c, CLIENT_BANNER);
	uint8_t kex[1 + 16 + 4] = { 20 };
	kex[17] = 0x7f;	/* first list: 2 GiB */
	mb_packet(&c, kex, sizeof(kex));
	th_open(&cv, th_file(), 22);
	th_send(&cv, 0, c.b, c.n, 0);
	th_run(&cv, r);
	assert_true(th_has_anom(r, "ssh_bad_kexinit"));
	assert_string_equal(r->ssh[0].hassh, "");
	free(r);
}

/*
 * After NEWKEYS: only sizes. Client service request (40), server accept
 * (S = 52), "none" probe answered by a failure of F = 68, two password
 * attempts answered with F (2 failures), a third answered with S - 16
 * (success), then a session.
 */
static void test_encrypted_auth(void **unused)
{
	struct th_result *r = th_alloc();
	struct th_conv cv;
	struct mb c, s;
	uint8_t junk[600];

	(void)unused;
	memset(junk, 0xc3, sizeof(junk));
	client_clear(&c);
	server_clear(&s);
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, s.b, s.n, 0);
	th_send(&cv, 0, c.b, c.n, 0);
	th_send(&cv, 0, junk, 40, 0);	/* SERVICE_REQUEST */
	th_send(&cv, 1, junk, 52, 0);	/* SERVICE_ACCEPT */
	th_send(&cv, 0, junk, 60, 0);	/* USERAUTH_REQUEST none */
	th_send(&cv, 1, junk, 68, 0);	/* USERAUTH_FAILURE */
	for (int i = 0; i < 2; i++) {
		th_send(&cv, 0, junk, 100, 0);	/* password */
		th_send(&cv, 1, junk, 68, 0);	/* failure */
	}
	th_send(&cv, 0, junk, 100, 0);
	th_send(&cv, 1, junk, 36, 0);	/* USERAUTH_SUCCESS */
	th_send(&cv, 0, junk, 120, 0);
	th_send(&cv, 1, junk, 500, 0);
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 3);
	assert_int_equal(r->login[0].success, 0);
	assert_int_equal(r->login[1].success, 0);
	assert_int_equal(r->login[2].success, 1);
	assert_string_equal(r->login[0].service, "ssh");
	assert_string_equal(r->login[0].status_name, "estimated");
	assert_int_equal(r->ssh_cnt, 1);
	check_kex(&r->ssh[0]);
	assert_int_equal(r->ssh[0].auth_attempts, 3);
	assert_int_equal(r->ssh[0].auth_success, 1);
	assert_int_equal(r->ssh[0].enc_packets_c2s, 6);
	assert_int_equal(r->ssh[0].enc_bytes_c2s, 40 + 60 + 100 * 3 + 120);
	assert_int_equal(r->ssh[0].enc_packets_s2c, 6);
	assert_int_equal(r->ssh[0].enc_bytes_s2c, 52 + 68 * 3 + 36 + 500);
	assert_true(th_has_info(r, "Client: Encrypted packet (len=100)"));
	assert_true(th_has_info(r, "Server: Encrypted packet (len=36)"));
	free(r);

	/* Failures only, then the connection closes: every attempt counted, success 0. */
	r = th_alloc();
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, s.b, s.n, 0);
	th_send(&cv, 0, c.b, c.n, 0);
	th_send(&cv, 0, junk, 40, 0);
	th_send(&cv, 1, junk, 52, 0);
	th_send(&cv, 0, junk, 60, 0);
	th_send(&cv, 1, junk, 68, 0);
	for (int i = 0; i < 5; i++) {
		th_send(&cv, 0, junk, 100, 0);
		th_send(&cv, 1, junk, 68, 0);
	}
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 5);
	for (size_t i = 0; i < r->login_cnt; i++)
		assert_int_equal(r->login[i].success, 0);
	assert_int_equal(r->ssh[0].auth_attempts, 5);
	assert_int_equal(r->ssh[0].auth_success, 0);
	free(r);

	/* Sizes that never line up: one login of unknown outcome. */
	r = th_alloc();
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, s.b, s.n, 0);
	th_send(&cv, 0, c.b, c.n, 0);
	th_send(&cv, 0, junk, 40, 0);
	th_send(&cv, 1, junk, 52, 0);
	th_send(&cv, 0, junk, 60, 0);
	th_send(&cv, 1, junk, 68, 0);
	th_send(&cv, 0, junk, 100, 0);
	th_send(&cv, 1, junk, 90, 0);
	th_run(&cv, r);
	assert_int_equal(r->login_cnt, 1);
	assert_int_equal(r->login[0].success, -1);
	assert_int_equal(r->ssh[0].auth_success, -1);
	assert_int_equal(r->ssh[0].auth_attempts, 0);
	free(r);
}

/* A gap before encryption stops decoding that direction; one after it stops the estimate. */
static void test_gaps(void **unused)
{
	struct th_result *r = th_alloc();
	struct th_conv cv;
	struct mb c, s;
	uint8_t junk[200];

	(void)unused;
	memset(junk, 0x77, sizeof(junk));
	client_clear(&c);
	server_clear(&s);
	size_t banner = strlen(CLIENT_BANNER);
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, s.b, s.n, 0);
	th_send(&cv, 0, c.b, banner + 10, 0);
	th_lose(&cv, 0, 50);
	th_send(&cv, 0, c.b + banner + 60, c.n - banner - 60, 0);
	th_run(&cv, r);
	assert_true(th_has_anom(r, "ssh_gap"));
	assert_int_equal(r->ssh_cnt, 1);
	assert_string_equal(r->ssh[0].hassh, "");
	assert_string_equal(r->ssh[0].hassh_server, SERVER_HASSH);
	assert_string_equal(r->ssh[0].client_software, "OpenSSH_9.2p1");
	free(r);

	r = th_alloc();
	th_open(&cv, th_file(), 22);
	th_send(&cv, 1, s.b, s.n, 0);
	th_send(&cv, 0, c.b, c.n, 0);
	th_send(&cv, 0, junk, 40, 0);
	th_send(&cv, 1, junk, 52, 0);
	th_send(&cv, 0, junk, 60, 0);
	th_lose(&cv, 1, 68);
	th_send(&cv, 0, junk, 100, 0);
	th_send(&cv, 1, junk, 68, 0);
	th_send(&cv, 0, junk, 100, 0);
	th_send(&cv, 1, junk, 68, 0);
	th_run(&cv, r);
	assert_false(th_has_anom(r, "ssh_gap"));	/* encrypted bytes lost: nothing to resync */
	assert_int_equal(r->ssh[0].auth_attempts, 0);
	assert_int_equal(r->ssh[0].auth_success, -1);
	assert_int_equal(r->login_cnt, 1);
	assert_int_equal(r->login[0].success, -1);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kexinit_hassh),
		cmocka_unit_test(test_split_segments),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_banner_lines),
		cmocka_unit_test(test_ssh1),
		cmocka_unit_test(test_hostile_length),
		cmocka_unit_test(test_encrypted_auth),
		cmocka_unit_test(test_gaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
