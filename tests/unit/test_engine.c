/*
 * test_engine.c - the pipeline driver on crafted captures: identification by
 * payload over port (and the non-standard-port mark), by port alone, a probe
 * that needs two segments, flow events and stats, a file cut short, an
 * unreadable file, several files in one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "proto/proto.h"

/* ---- a tiny pcap writer ---- */

struct cap {
	uint8_t buf[65536];
	size_t len;
	uint32_t t;
};

static void put(struct cap *c, const void *p, size_t n)
{
	assert_true(c->len + n <= sizeof(c->buf));
	memcpy(c->buf + c->len, p, n);
	c->len += n;
}

static void put32(struct cap *c, uint32_t v)
{
	put(c, &v, 4);	/* host order: the magic below says which */
}

static void cap_init(struct cap *c)
{
	uint16_t v[2] = { 2, 4 };

	c->len = 0;
	c->t = 1000;
	put32(c, 0xa1b2c3d4);
	put(c, v, 4);
	put32(c, 0);
	put32(c, 0);
	put32(c, 65535);
	put32(c, 1);	/* Ethernet */
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* One Ethernet/IPv4 frame with a TCP (proto 6) or UDP (17) segment. */
static void frame(struct cap *c, uint8_t proto, uint8_t a, uint8_t b, uint16_t sp, uint16_t dp,
		  uint32_t seq, uint32_t ack, uint8_t flags, const char *data)
{
	uint8_t f[1600];
	size_t dl = data ? strlen(data) : 0;
	size_t l4 = proto == 6 ? 20 : 8;
	size_t ipl = 20 + l4 + dl;
	size_t n = 14 + ipl;
	uint8_t *ip = f + 14, *t = f + 34;
	uint32_t hdr[4];

	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ipl >> 8);
	ip[3] = (uint8_t)ipl;
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, (uint8_t[]){ 10, 0, 0, a }, 4);
	memcpy(ip + 16, (uint8_t[]){ 10, 0, 0, b }, 4);
	uint16_t ck = csum(ip, 20);
	ip[10] = (uint8_t)(ck >> 8);
	ip[11] = (uint8_t)ck;
	t[0] = (uint8_t)(sp >> 8);
	t[1] = (uint8_t)sp;
	t[2] = (uint8_t)(dp >> 8);
	t[3] = (uint8_t)dp;
	if (proto == 6) {
		for (int i = 0; i < 4; i++) {
			t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
			t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
		}
		t[12] = 0x50;
		t[13] = flags;
		t[14] = 0xff;
		t[15] = 0xff;
	} else {
		t[4] = (uint8_t)((8 + dl) >> 8);
		t[5] = (uint8_t)(8 + dl);
	}
	if (dl)
		memcpy(t + l4, data, dl);
	hdr[0] = c->t++;
	hdr[1] = 0;
	hdr[2] = (uint32_t)n;
	hdr[3] = (uint32_t)n;
	put(c, hdr, sizeof(hdr));
	put(c, f, n);
}

static char *cap_file(const struct cap *c, size_t len)
{
	char *path = strdup("/tmp/ws_test_engine_XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, c->buf, len), (ssize_t)len);
	close(fd);
	return path;
}

/* ---- collecting events ---- */

struct seen {
	struct {
		char app[24];
		enum ws_ident ident;
		uint8_t nonstd;
		uint16_t sport, cport;
		uint64_t pkts[2];
		enum ws_flow_state state;
	} flows[16];
	int nflows;
	uint64_t stats_packets;
	int nstats;
};

static void on_ev(void *user, const struct ws_event *ev)
{
	struct seen *s = user;

	if (ev->type == WS_EV_FLOW && s->nflows < 16) {
		const struct ws_flow *f = ev->flow;

		snprintf(s->flows[s->nflows].app, sizeof(s->flows[0].app), "%s", f->app ? f->app->name : "");
		s->flows[s->nflows].ident = f->ident;
		s->flows[s->nflows].nonstd = f->nonstd_port;
		s->flows[s->nflows].sport = f->sport;
		s->flows[s->nflows].cport = f->cport;
		s->flows[s->nflows].pkts[0] = f->pkts[0];
		s->flows[s->nflows].pkts[1] = f->pkts[1];
		s->flows[s->nflows].state = f->state;
		s->nflows++;
	}
	if (ev->type == WS_EV_STATS) {
		s->stats_packets = ((const struct ws_run_stats *)ev->body)->packets;
		s->nstats++;
	}
}

static enum ws_run_status run(const char *const *paths, int n, struct seen *s)
{
	struct ws_bus bus;
	struct ws_engine_cfg cfg;
	struct ws_engine *e;
	enum ws_run_status worst = WS_RUN_OK;
	char err[512];

	memset(s, 0, sizeof(*s));
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, on_ev, s);
	ws_engine_cfg_default(&cfg);
	e = ws_engine_new(&cfg, &bus);
	assert_non_null(e);
	for (int i = 0; i < n; i++) {
		enum ws_run_status r = ws_engine_run_file(e, paths[i], err, sizeof(err));

		if (r > worst)
			worst = r;
	}
	ws_engine_finish(e);
	ws_engine_emit_stats(e);
	ws_engine_free(e);
	return worst;
}

static int find_port(const struct seen *s, uint16_t sport)
{
	for (int i = 0; i < s->nflows; i++)
		if (s->flows[i].sport == sport)
			return i;
	return -1;
}

static void handshake(struct cap *c, uint8_t a, uint8_t b, uint16_t cp, uint16_t sp)
{
	frame(c, 6, a, b, cp, sp, 100, 0, 0x02, NULL);
	frame(c, 6, b, a, sp, cp, 500, 101, 0x12, NULL);
	frame(c, 6, a, b, cp, sp, 101, 501, 0x10, NULL);
}

static void test_payload_beats_port(void **state)
{
	struct cap c;
	struct seen s;
	char *path;
	int i;

	(void)state;
	cap_init(&c);
	/* SSH on port 80: the payload says SSH, port 80 says HTTP. */
	handshake(&c, 1, 2, 40000, 80);
	frame(&c, 6, 2, 1, 80, 40000, 501, 101, 0x18, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
	frame(&c, 6, 1, 2, 40000, 80, 101, 533, 0x18, "SSH-2.0-OpenSSH_9.2p1\r\n");
	/* A SYN to 445 refused: only the port speaks. */
	frame(&c, 6, 1, 2, 40001, 445, 900, 0, 0x02, NULL);
	frame(&c, 6, 2, 1, 445, 40001, 0, 901, 0x14, NULL);
	path = cap_file(&c, c.len);
	assert_int_equal(run((const char *[]){ path }, 1, &s), WS_RUN_OK);
	unlink(path);
	free(path);

	i = find_port(&s, 80);
	assert_true(i >= 0);
	assert_string_equal(s.flows[i].app, "ssh");
	assert_int_equal(s.flows[i].ident, WS_IDENT_PAYLOAD);
	assert_int_equal(s.flows[i].nonstd, 1);
	assert_int_equal(s.flows[i].cport, 40000);
	assert_int_equal(s.flows[i].pkts[0], 3);
	assert_int_equal(s.flows[i].pkts[1], 2);

	i = find_port(&s, 445);
	assert_true(i >= 0);
	assert_string_equal(s.flows[i].app, "smb");
	assert_int_equal(s.flows[i].ident, WS_IDENT_PORT);
	assert_int_equal(s.flows[i].nonstd, 0);
	assert_int_equal(s.flows[i].state, WS_FLOW_REJECTED);
	assert_int_equal(s.nstats, 1);
	assert_int_equal(s.stats_packets, 7);
}

static void test_probe_across_segments(void **state)
{
	struct cap c;
	struct seen s;
	char *path;
	int i;

	(void)state;
	cap_init(&c);
	/* An SSH banner cut in three segments, on an unregistered port. */
	handshake(&c, 1, 2, 40000, 2222);
	frame(&c, 6, 2, 1, 2222, 40000, 501, 101, 0x18, "SS");
	frame(&c, 6, 2, 1, 2222, 40000, 503, 101, 0x18, "H-2.0-Open");
	frame(&c, 6, 2, 1, 2222, 40000, 513, 101, 0x18, "SSH_9.2\r\n");
	path = cap_file(&c, c.len);
	run((const char *[]){ path }, 1, &s);
	unlink(path);
	free(path);
	i = find_port(&s, 2222);
	assert_true(i >= 0);
	assert_string_equal(s.flows[i].app, "ssh");
	assert_int_equal(s.flows[i].ident, WS_IDENT_PAYLOAD);
}

static void test_udp_and_files(void **state)
{
	struct cap c1, c2;
	struct seen s;
	char *p1, *p2;
	int i;

	(void)state;
	cap_init(&c1);
	frame(&c1, 17, 1, 2, 5000, 1900, 0, 0, 0,
	      "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n");
	cap_init(&c2);
	frame(&c2, 17, 1, 3, 50001, 9999, 0, 0, 0, "hello");
	p1 = cap_file(&c1, c1.len);
	p2 = cap_file(&c2, c2.len);
	assert_int_equal(run((const char *[]){ p1, p2 }, 2, &s), WS_RUN_OK);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	assert_int_equal(s.nflows, 2);
	i = find_port(&s, 1900);
	assert_true(i >= 0);
	assert_string_equal(s.flows[i].app, "ssdp");
	i = find_port(&s, 9999);
	assert_true(i >= 0);
	assert_string_equal(s.flows[i].app, "");
	assert_int_equal(s.stats_packets, 2);
}

static void test_cut_short_and_unreadable(void **state)
{
	struct cap c;
	struct seen s;
	char *path;

	(void)state;
	cap_init(&c);
	handshake(&c, 1, 2, 40000, 22);
	/* Cut 10 bytes into the last record: two packets are read, then the error. */
	path = cap_file(&c, c.len - 30);
	assert_int_equal(run((const char *[]){ path }, 1, &s), WS_RUN_CUT_SHORT);
	assert_int_equal(s.stats_packets, 2);
	assert_int_equal(s.nflows, 1);
	unlink(path);
	free(path);

	assert_int_equal(run((const char *[]){ "/nonexistent/ws.pcap" }, 1, &s), WS_RUN_UNREADABLE);
	assert_int_equal(s.stats_packets, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_beats_port),
		cmocka_unit_test(test_probe_across_segments),
		cmocka_unit_test(test_udp_and_files),
		cmocka_unit_test(test_cut_short_and_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
