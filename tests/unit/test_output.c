/*
 * test_output.c - the outputs: NDJSON lines (valid JSON whatever the strings,
 * right fields and values), packet lines (exactly tshark 4.0's text for the
 * same packets: expected strings were taken from `tshark -r` on a capture of
 * these packets), and the text report (sections, findings, bounded tables).
 *
 * JSON validity is checked by a small RFC 8259 recogniser below, so the test
 * needs no jq: strings may hold no raw control byte, escapes must be valid,
 * and the bytes must be valid UTF-8.
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
#include "core/timefmt.h"
#include "detect/finding.h"
#include "event/event.h"
#include "flow/flow.h"
#include "output/ndjson.h"
#include "output/pktline.h"
#include "output/report.h"
#include "proto/proto.h"

#include "json_check.h"

static void test_json_checker_itself(void **state)
{
	(void)state;
	assert_true(json_str_ok("{\"a\":[1,2,{\"b\":\"x\\u0001\"}],\"c\":true,\"d\":-0.5}\n"));
	assert_false(json_str_ok("{\"a\":\"\x01\"}\n"));
	assert_false(json_str_ok("{\"a\":\"\xff\"}\n"));
	assert_false(json_str_ok("{\"a\":1,}\n"));
	assert_false(json_str_ok("{\"a\":\"x\\q\"}\n"));
	assert_false(json_str_ok("{\"a\":1}"));
	assert_false(json_str_ok("{\"a\":1}\n{}\n"));
}

/* ---- fixtures ---- */

static const struct ws_proto fake_smb = { .name = "smb", .label = "SMB" };

static void mkflow(struct ws_flow *f, uint64_t id, const char *cli, uint16_t cport, const char *srv,
		   uint16_t sport, uint64_t bytes)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->proto = 6;
	f->ip_ver = 4;
	assert_int_equal(ws_addr_parse(&f->cli, cli), 0);
	assert_int_equal(ws_addr_parse(&f->srv, srv), 0);
	f->cport = cport;
	f->sport = sport;
	f->first_ns = 1700000000LL * 1000000000LL;
	f->last_ns = f->first_ns + 2500000000LL;
	f->pkts[0] = 5;
	f->pkts[1] = 4;
	f->bytes[0] = bytes / 2;
	f->bytes[1] = bytes - bytes / 2;
	f->tcp_flags[0] = 0x1b;
	f->tcp_flags[1] = 0x12;
	f->state = WS_FLOW_CLOSED;
	f->end_reason = WS_END_TCP_CLOSE;
}

/* Runs one event through a writer on a memory stream; returns the text (free it). */
static char *ndjson_of(const struct ws_event *ev, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	struct ws_ndjson *w;

	assert_non_null(m);
	w = ws_ndjson_new(m);
	assert_non_null(w);
	ws_ndjson_on_event(w, ev);
	ws_ndjson_free(w);
	fclose(m);
	*len = n;
	return buf;
}

static void test_ndjson_flow(void **state)
{
	struct ws_flow f;
	struct ws_event ev = { .type = WS_EV_FLOW };
	size_t n;
	char *s;

	(void)state;
	mkflow(&f, 42, "192.168.0.2", 1550, "192.168.0.1", 445, 1000);
	f.app = &fake_smb;
	f.ident = WS_IDENT_PAYLOAD;
	f.parent_id = 7;
	f.has_mac = WS_FLOW_MAC_CLI | WS_FLOW_MAC_SRV;
	memcpy(f.cli_mac, "\x00\x11\x22\x33\x44\x55", 6);
	memcpy(f.srv_mac, "\xaa\xbb\xcc\xdd\xee\xff", 6);
	ev.ts_ns = f.last_ns;
	ev.flow = &f;
	ev.body = &f;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "{\"timestamp\":\"2023-11-14T22:13:22.500000Z\",\"event_type\":\"flow\",\"flow_id\":42,"));
	assert_non_null(strstr(s, "\"src_ip\":\"192.168.0.2\",\"src_port\":1550,\"dest_ip\":\"192.168.0.1\",\"dest_port\":445,"
			       "\"proto\":\"TCP\",\"app_proto\":\"smb\",\"flow\":{"));
	assert_non_null(strstr(s, "\"start\":\"2023-11-14T22:13:20.000000Z\""));
	assert_non_null(strstr(s, "\"pkts_toserver\":5,\"pkts_toclient\":4,\"bytes_toserver\":500,\"bytes_toclient\":500"));
	assert_non_null(strstr(s, "\"identified_by\":\"payload\""));
	assert_non_null(strstr(s, "\"nonstandard_port\":false"));
	assert_non_null(strstr(s, "\"age\":2"));
	assert_non_null(strstr(s, "\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"12\""));
	assert_non_null(strstr(s, "\"parent_flow_id\":7"));
	assert_non_null(strstr(s, "\"src_mac\":\"00:11:22:33:44:55\",\"dest_mac\":\"aa:bb:cc:dd:ee:ff\""));
	free(s);

	/* Only the client's MAC is known (the server never answered). */
	f.has_mac = WS_FLOW_MAC_CLI;
	s = ndjson_of(&ev, &n);
	assert_non_null(strstr(s, "\"src_mac\":\"00:11:22:33:44:55\""));
	assert_null(strstr(s, "dest_mac"));
	free(s);

	/* No service, UDP, no MAC, no parent. */
	f.app = NULL;
	f.proto = 17;
	f.has_mac = 0;
	f.parent_id = 0;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "\"proto\":\"UDP\",\"app_proto\":\"unknown\""));
	assert_null(strstr(s, "parent_flow_id"));
	assert_null(strstr(s, "src_mac"));
	assert_null(strstr(s, "tcp_flags"));
	free(s);

	/* ICMP: no ports; an unnamed protocol is its number. */
	f.proto = 1;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_null(strstr(s, "src_port"));
	assert_non_null(strstr(s, "\"proto\":\"ICMP\""));
	free(s);
	f.proto = 47;
	s = ndjson_of(&ev, &n);
	assert_non_null(strstr(s, "\"proto\":\"47\""));
	free(s);
}

/* Quotes, backslashes, every control byte, invalid UTF-8, valid UTF-8. */
static const char hostile[] = "a\"b\\c\x01\x02\x1f\n\r\t/\x7f \xff\xfe \xc3\x28 \xe2\x82 \xc3\xa9 end";

static void test_ndjson_finding_hostile(void **state)
{
	struct ws_finding *fd = calloc(1, sizeof(*fd));
	struct ws_event ev = { .type = WS_EV_FINDING };
	size_t n;
	char *s;

	(void)state;
	fd->id = 3;
	fd->kind = "password_guessing";
	fd->severity = WS_SEV_HIGH;
	snprintf(fd->title, sizeof(fd->title), "Guessing %s", hostile);
	snprintf(fd->explanation, sizeof(fd->explanation), "%s", hostile);
	snprintf(fd->detail, sizeof(fd->detail), "users=%s", hostile);
	ws_addr_parse(&fd->src, "10.0.0.9");
	ws_addr_parse(&fd->dst, "10.0.0.1");
	fd->dst_port = 21;
	fd->proto = 6;
	snprintf(fd->service, sizeof(fd->service), "ftp");
	fd->count = 12;
	fd->first_ns = 1000000000LL;
	fd->last_ns = 2000000000LL;
	fd->flow_ids[0] = 4;
	fd->flow_ids[1] = 5;
	fd->flow_id_cnt = 2;
	fd->pkts[0] = 17;
	fd->pkt_cnt = 1;
	fd->evidence_total = 12;
	fd->mitre_id = "T1110.001";
	fd->mitre_name = "Password Guessing";
	ev.body = fd;
	ev.ts_ns = fd->last_ns;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "\"src_ip\":\"10.0.0.9\",\"dest_ip\":\"10.0.0.1\",\"dest_port\":21,\"proto\":\"TCP\",\"app_proto\":\"ftp\""));
	assert_null(strstr(s, "flow_id\":"));	/* no flow: no envelope flow_id */
	assert_non_null(strstr(s, "\"finding\":{\"id\":3,\"kind\":\"password_guessing\",\"severity\":\"high\""));
	assert_non_null(strstr(s, "\"explanation\":\"a\\\"b\\\\c\\u0001\\u0002\\u001f\\n\\r\\t/"));
	assert_non_null(strstr(s, "\\u00ff\\u00fe \\u00c3( \\u00e2\\u0082 \xc3\xa9 end\""));
	assert_non_null(strstr(s, "\"evidence\":{\"flow_ids\":[4,5],\"packets\":[17],\"total\":12}"));
	assert_non_null(strstr(s, "\"mitre\":{\"technique_id\":\"T1110.001\",\"technique\":\"Password Guessing\"}"));
	assert_non_null(strstr(s, "\"first_seen\":\"1970-01-01T00:00:01.000000Z\""));
	free(s);

	/* A title filling its array without a NUL is still bounded. */
	memset(fd->title, 'x', sizeof(fd->title));
	fd->mitre_id = NULL;
	fd->pkt_file[0] = 1;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_null(strstr(s, "mitre"));
	assert_non_null(strstr(s, "\"packet_files\":[1]"));
	free(s);
	free(fd);
}

static void test_ndjson_anomaly_host_stats(void **state)
{
	struct ws_flow f;
	struct ws_ev_anomaly a = { "app", "probe_mismatch", hostile };
	struct ws_event ev = { .type = WS_EV_ANOMALY, .pkt_num = 99 };
	struct ws_host *h = calloc(1, sizeof(*h));
	struct ws_run_stats st = { 0 };
	size_t n;
	char *s;

	(void)state;
	mkflow(&f, 8, "10.1.1.1", 40000, "10.1.1.2", 139, 10);
	ev.flow = &f;
	ev.body = &a;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "\"flow_id\":8,\"pcap_cnt\":99,"));
	assert_non_null(strstr(s, "\"anomaly\":{\"layer\":\"app\",\"name\":\"probe_mismatch\",\"detail\":\"a\\\""));
	free(s);
	a.detail = NULL;
	ev.flow = NULL;
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "\"anomaly\":{\"layer\":\"app\",\"name\":\"probe_mismatch\"}"));
	free(s);

	ws_addr_parse(&h->addr, "fe80::1");
	h->has_mac = 1;
	memcpy(h->mac, "\x02\x00\x00\x00\x00\x01", 6);
	h->pkts_sent = 3;
	h->bytes_recv = 1234;
	h->flows_as_server = 2;
	h->services[0] = (struct ws_host_service){ 6, 445, "smb", 2, 1 };
	h->services[1] = (struct ws_host_service){ 17, 9999, NULL, 1, 1 };
	h->service_cnt = 2;
	ev = (struct ws_event){ .type = WS_EV_HOST, .body = h };
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "\"event_type\":\"host\",\"src_ip\":\"fe80::1\",\"host\":{\"ip\":\"fe80::1\",\"mac\":\"02:00:00:00:00:01\""));
	assert_non_null(strstr(s, "\"services\":[{\"proto\":\"TCP\",\"port\":445,\"app_proto\":\"smb\",\"flows\":2,\"clients\":1},"
			       "{\"proto\":\"UDP\",\"port\":9999,\"app_proto\":\"unknown\",\"flows\":1,\"clients\":1}]"));
	free(s);
	free(h);

	st.files = 1;
	st.packets = 10;
	st.bytes = 1000;
	st.linktype_ids[0] = 1;
	st.linktype_pkts[0] = 9;
	st.linktype_ids[1] = 113;
	st.linktype_pkts[1] = 1;
	st.linktype_cnt = 2;
	st.decode_errors_total = 3;
	st.decode_errors[WS_DE_IPV4_TRUNCATED] = 2;
	st.decode_errors[WS_DE_TCP_BAD_HLEN] = 1;
	st.findings = 4;
	ev = (struct ws_event){ .type = WS_EV_STATS, .body = &st };
	s = ndjson_of(&ev, &n);
	assert_true(json_line_ok(s, n));
	assert_non_null(strstr(s, "\"decode_errors\":{\"ipv4_truncated\":2,\"tcp_bad_hlen\":1}"));
	assert_non_null(strstr(s, "\"link_types\":{\"Ethernet\":9,"));
	assert_non_null(strstr(s, "\"findings\":4}}\n"));
	assert_null(strstr(s, "\"none\""));
	free(s);
}

static void test_ndjson_too_long_is_cut(void **state)
{
	size_t big = WS_JSON_LINE_MAX + 100;
	char *d = malloc(big + 1);
	struct ws_ev_anomaly a = { "app", "x", d };
	struct ws_event ev = { .type = WS_EV_ANOMALY, .body = &a };
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	struct ws_ndjson *w = ws_ndjson_new(m);

	(void)state;
	memset(d, 'q', big);
	d[big] = '\0';
	ws_ndjson_on_event(w, &ev);
	a.detail = "short";
	ws_ndjson_on_event(w, &ev);	/* the writer recovers for the next event */
	assert_int_equal(ws_ndjson_truncated(w), 1);
	assert_int_equal(ws_ndjson_lines(w), 2);
	ws_ndjson_free(w);
	fclose(m);
	assert_non_null(strstr(buf, "\"truncated\":true}\n"));
	assert_non_null(strstr(buf, "\"detail\":\"short\"}}\n"));
	assert_true(json_line_ok(buf, (size_t)(strchr(buf, '\n') - buf) + 1));
	free(buf);
	free(d);
}

/* ---- packet lines ---- */

#define T0 (1700000000LL * 1000000000LL)

static void mkpkt(struct ws_packet *p, uint64_t num, int64_t ts, const char *src, const char *dst,
		  uint8_t proto, uint32_t wirelen)
{
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->ts_ns = ts;
	p->wirelen = wirelen;
	p->caplen = wirelen;
	p->ip_ver = strchr(src, ':') ? 6 : 4;
	ws_addr_parse(&p->src, src);
	ws_addr_parse(&p->dst, dst);
	p->ip_proto = proto;
	p->ttl = 64;
	p->l4_ok = 1;
	p->tcp.wscale = -1;
}

static void expect_line(const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir, const char *want)
{
	char buf[WS_PKTLINE_MAX];

	ws_pktline_format(buf, sizeof(buf), p, f, dir, NULL, NULL, T0, 6);
	assert_string_equal(buf, want);
}

static void tcp_set(struct ws_packet *p, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags,
		    uint16_t win, uint32_t len)
{
	p->sport = sp;
	p->dport = dp;
	p->tcp.seq = seq;
	p->tcp.ack = ack;
	p->tcp.flags = flags;
	p->tcp.win = win;
	p->tcp.hdr_len = 20;
	p->payload_len = len;
	p->payload_wire_len = len;
}

static void test_pktline_tcp(void **state)
{
	struct ws_flow f;
	struct ws_packet p;

	(void)state;
	mkflow(&f, 1, "10.0.0.1", 50123, "10.0.0.2", 445, 0);
	f.isn[0] = 1000000;
	f.isn[1] = 5000000;
	f.isn_set[0] = f.isn_set[1] = 1;
	f.tcp_flags[0] = WS_TH_SYN | WS_TH_ACK | WS_TH_PSH | WS_TH_FIN;
	f.tcp_flags[1] = WS_TH_SYN | WS_TH_ACK | WS_TH_RST;

	mkpkt(&p, 1, T0, "10.0.0.1", "10.0.0.2", 6, 74);
	tcp_set(&p, 50123, 445, 1000000, 0, WS_TH_SYN, 64240, 0);
	p.tcp.hdr_len = 40;
	p.tcp.mss = 1460;
	p.tcp.sack_perm = 1;
	p.tcp.has_ts = 1;
	p.tcp.tsval = 1000;
	p.tcp.wscale = 7;
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "    1   0.000000     10.0.0.1 \u2192 10.0.0.2     TCP 74 50123 \u2192 445 [SYN] Seq=0 Win=64240 Len=0 "
		    "MSS=1460 SACK_PERM TSval=1000 TSecr=0 WS=128");

	mkpkt(&p, 2, T0 + 1234000, "10.0.0.2", "10.0.0.1", 6, 74);
	tcp_set(&p, 445, 50123, 5000000, 1000001, WS_TH_SYN | WS_TH_ACK, 65160, 0);
	p.tcp.hdr_len = 40;
	p.tcp.mss = 1460;
	p.tcp.sack_perm = 1;
	p.tcp.has_ts = 1;
	p.tcp.tsval = 2000;
	p.tcp.tsecr = 1000;
	p.tcp.wscale = 7;
	expect_line(&p, &f, WS_DIR_TO_CLIENT,
		    "    2   0.001234     10.0.0.2 \u2192 10.0.0.1     TCP 74 445 \u2192 50123 [SYN, ACK] Seq=0 Ack=1 Win=65160 "
		    "Len=0 MSS=1460 SACK_PERM TSval=2000 TSecr=1000 WS=128");

	/* Data: tshark shows Win=64256 (scaled); we show the wire value 502. */
	mkpkt(&p, 4, T0 + 1003702000, "10.0.0.1", "10.0.0.2", 6, 78);
	tcp_set(&p, 50123, 445, 1000001, 5000001, WS_TH_PSH | WS_TH_ACK, 502, 12);
	p.tcp.hdr_len = 32;
	p.tcp.has_ts = 1;
	p.tcp.tsval = 1002;
	p.tcp.tsecr = 2000;
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "    4   1.003702     10.0.0.1 \u2192 10.0.0.2     TCP 78 50123 \u2192 445 [PSH, ACK] Seq=1 Ack=1 Win=502 "
		    "Len=12 TSval=1002 TSecr=2000");

	mkpkt(&p, 5, T0 + 1004936000, "10.0.0.1", "10.0.0.2", 6, 54);
	tcp_set(&p, 50123, 445, 1000013, 5000001, WS_TH_FIN | WS_TH_ACK, 502, 0);
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "    5   1.004936     10.0.0.1 \u2192 10.0.0.2     TCP 54 50123 \u2192 445 [FIN, ACK] Seq=13 Ack=1 Win=502 Len=0");

	mkpkt(&p, 6, T0 + 1006170000, "10.0.0.2", "10.0.0.1", 6, 54);
	tcp_set(&p, 445, 50123, 5000001, 1000014, WS_TH_RST | WS_TH_ACK, 0, 0);
	expect_line(&p, &f, WS_DIR_TO_CLIENT,
		    "    6   1.006170     10.0.0.2 \u2192 10.0.0.1     TCP 54 445 \u2192 50123 [RST, ACK] Seq=1 Ack=14 Win=0 Len=0");

	/* No flags; SYN+ECE+CWR; FIN+PSH+URG with Urg=; Windows option order. */
	mkflow(&f, 2, "10.0.0.1", 40000, "10.0.0.2", 80, 0);
	f.isn[0] = 7;
	f.isn_set[0] = 1;
	f.tcp_flags[0] = 0;
	f.tcp_flags[1] = 0;
	mkpkt(&p, 11, T0 + 3012340000, "10.0.0.1", "10.0.0.2", 6, 54);
	tcp_set(&p, 40000, 80, 7, 0, 0, 1024, 0);
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "   11   3.012340     10.0.0.1 \u2192 10.0.0.2     TCP 54 40000 \u2192 80 [<None>] Seq=1 Win=1024 Len=0");
	f.tcp_flags[0] = 0xc2;
	tcp_set(&p, 40001, 80, 7, 0, 0xc2, 1024, 0);
	p.num = 12;
	p.ts_ns = T0 + 3013574000;
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "   12   3.013574     10.0.0.1 \u2192 10.0.0.2     TCP 54 40001 \u2192 80 [SYN, ECE, CWR] Seq=0 Win=1024 Len=0");
	f.tcp_flags[0] = 0x29;
	tcp_set(&p, 40002, 80, 7, 9, 0x29, 1024, 0);
	p.tcp.urp = 5;
	p.num = 13;
	p.ts_ns = T0 + 4014808000;
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "   13   4.014808     10.0.0.1 \u2192 10.0.0.2     TCP 54 40002 \u2192 80 [FIN, PSH, URG] Seq=1 Win=1024 Urg=5 Len=0");
	f.isn[0] = 1;
	f.tcp_flags[0] = WS_TH_SYN;
	mkpkt(&p, 14, T0 + 4016042000, "10.0.0.1", "10.0.0.2", 6, 66);
	tcp_set(&p, 40003, 3389, 1, 0, WS_TH_SYN, 8192, 0);
	p.tcp.hdr_len = 32;
	p.tcp.mss = 1460;
	p.tcp.wscale = 8;
	p.tcp.sack_perm = 1;
	expect_line(&p, &f, WS_DIR_TO_SERVER,
		    "   14   4.016042     10.0.0.1 \u2192 10.0.0.2     TCP 66 40003 \u2192 3389 [SYN] Seq=0 Win=8192 Len=0 "
		    "MSS=1460 WS=256 SACK_PERM");

	/* A SYN-less reply (closed port) counts from one before its first segment. */
	mkflow(&f, 3, "172.16.0.8", 36050, "64.13.134.52", 113, 0);
	f.isn[0] = 100;
	f.isn[1] = 2462244745u;
	f.isn_set[0] = f.isn_set[1] = 1;
	f.tcp_flags[0] = WS_TH_SYN;
	f.tcp_flags[1] = WS_TH_RST | WS_TH_ACK;
	mkpkt(&p, 14, T0 + 126832000, "64.13.134.52", "172.16.0.8", 6, 60);
	tcp_set(&p, 113, 36050, 2462244745u, 101, WS_TH_RST | WS_TH_ACK, 0, 0);
	expect_line(&p, &f, WS_DIR_TO_CLIENT,
		    "   14   0.126832 64.13.134.52 \u2192 172.16.0.8   TCP 60 113 \u2192 36050 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0");

	/* No flow at all: raw numbers. */
	expect_line(&p, NULL, WS_DIR_TO_CLIENT,
		    "   14   0.126832 64.13.134.52 \u2192 172.16.0.8   TCP 60 113 \u2192 36050 [RST, ACK] Seq=2462244745 Ack=101 Win=0 Len=0");
}

static void test_pktline_udp_icmp(void **state)
{
	struct ws_packet p;

	(void)state;
	mkpkt(&p, 7, T0 + 2007404000, "10.0.0.1", "10.0.0.2", 17, 52);
	p.sport = 5353;
	p.dport = 53;
	p.udp_len = 18;
	p.payload_len = p.payload_wire_len = 10;
	expect_line(&p, NULL, WS_DIR_TO_SERVER,
		    "    7   2.007404     10.0.0.1 \u2192 10.0.0.2     UDP 52 5353 \u2192 53 Len=10");

	mkpkt(&p, 8, T0 + 2008638000, "10.0.0.1", "10.0.0.2", 1, 50);
	p.icmp_type = 8;
	p.icmp_id = 1;
	p.icmp_seq = 1;
	expect_line(&p, NULL, WS_DIR_TO_SERVER,
		    "    8   2.008638     10.0.0.1 \u2192 10.0.0.2     ICMP 50 Echo (ping) request  id=0x0001, seq=1/256, ttl=64");
	mkpkt(&p, 9, T0 + 2009872000, "10.0.0.2", "10.0.0.1", 1, 50);
	p.icmp_type = 0;
	p.icmp_id = 1;
	p.icmp_seq = 1;
	p.ttl = 63;
	expect_line(&p, NULL, WS_DIR_TO_CLIENT,
		    "    9   2.009872     10.0.0.2 \u2192 10.0.0.1     ICMP 50 Echo (ping) reply    id=0x0001, seq=1/256, ttl=63");
	mkpkt(&p, 10, T0 + 3011106000, "10.0.0.2", "10.0.0.1", 1, 70);
	p.icmp_type = 3;
	p.icmp_code = 3;
	expect_line(&p, NULL, WS_DIR_TO_CLIENT,
		    "   10   3.011106     10.0.0.2 \u2192 10.0.0.1     ICMP 70 Destination unreachable (Port unreachable)");
	mkpkt(&p, 15, T0 + 4017276000, "2001:db8::1", "2001:db8::2", 58, 66);
	p.icmp_type = 128;
	p.icmp_id = 0x1a2b;
	p.icmp_seq = 7;
	expect_line(&p, NULL, WS_DIR_TO_SERVER,
		    "   15   4.017276  2001:db8::1 \u2192 2001:db8::2  ICMPv6 66 Echo (ping) request id=0x1a2b, seq=7, hop limit=64");
}

static void test_pktline_other(void **state)
{
	struct ws_packet p;
	char buf[WS_PKTLINE_MAX];
	char small[40];
	size_t n;

	(void)state;
	/* ARP: MAC addresses, broadcast by name. */
	memset(&p, 0, sizeof(p));
	p.num = 100;
	p.ts_ns = T0 + 6021440000;
	p.wirelen = 42;
	p.has_eth = 1;
	memcpy(p.eth_src, "\x00\x80\x8f\x9a\xae\xbd", 6);
	memset(p.eth_dst, 0xff, 6);
	p.ethertype = 0x0806;
	expect_line(&p, NULL, WS_DIR_TO_SERVER,
		    "  100   6.021440 00:80:8f:9a:ae:bd \u2192 Broadcast    ARP 42 ");

	/* A parser's label and text; control bytes in it are escaped. */
	mkpkt(&p, 3, T0 - 5000, "10.0.0.1", "10.0.0.2", 6, 60);
	ws_pktline_format(buf, sizeof(buf), &p, NULL, WS_DIR_TO_SERVER, "FTP", "Request: USER a\x1b[2J\x07", T0, 6);
	assert_string_equal(buf, "    3  -0.000005     10.0.0.1 \u2192 10.0.0.2     FTP 60 Request: USER a\\x1b[2J\\x07");

	/* Nanosecond precision. */
	mkpkt(&p, 3, T0 + 123456789, "10.0.0.1", "10.0.0.2", 17, 60);
	p.l4_ok = 0;
	ws_pktline_format(buf, sizeof(buf), &p, NULL, WS_DIR_TO_SERVER, NULL, NULL, T0, 9);
	assert_string_equal(buf, "    3 0.123456789     10.0.0.1 \u2192 10.0.0.2     UDP 60 ");

	/* A held fragment and a decode error. */
	mkpkt(&p, 5, T0, "10.0.0.1", "10.0.0.2", 17, 1514);
	p.frag = WS_FRAG_HELD;
	p.ip_id = 0xabcd;
	expect_line(&p, NULL, WS_DIR_TO_SERVER,
		    "    5   0.000000     10.0.0.1 \u2192 10.0.0.2     IPv4 1514 Fragmented IP protocol (proto=UDP 17, ID=abcd)");
	mkpkt(&p, 6, T0, "10.0.0.1", "10.0.0.2", 6, 40);
	p.err = WS_DE_TCP_TRUNCATED;
	p.l4_ok = 0;
	expect_line(&p, NULL, WS_DIR_TO_SERVER,
		    "    6   0.000000     10.0.0.1 \u2192 10.0.0.2     TCP 40 [Malformed Packet: tcp_truncated]");

	/* A small buffer: cut, NUL-terminated, never past cap. */
	n = ws_pktline_format(small, sizeof(small), &p, NULL, WS_DIR_TO_SERVER, NULL, NULL, T0, 6);
	assert_int_equal(n, sizeof(small) - 1);
	assert_int_equal(strlen(small), n);
	n = ws_pktline_format(small, 0, &p, NULL, WS_DIR_TO_SERVER, NULL, NULL, T0, 6);
	assert_int_equal(n, 0);
}

/* ---- report ---- */

static void test_report(void **state)
{
	struct ws_report *r = ws_report_new();
	struct ws_findings *fs = ws_findings_new();
	struct ws_flow f;
	struct ws_event ev = { .type = WS_EV_FLOW };
	struct ws_run_stats st = { 0 };
	struct ws_addr src, dst;
	struct ws_finding *fd;
	bool is_new;
	const char *names[] = { "scan.pcap" };
	const char *formats[] = { "pcap" };
	struct ws_report_files files = { names, formats, 1, NULL, 0 };
	char *buf = NULL;
	size_t n = 0;
	FILE *m;
	char *line;

	(void)state;
	assert_non_null(r);
	/* 25 flows of rising size: only the 10 largest are kept and shown, largest first. */
	for (int i = 1; i <= 25; i++) {
		char cli[32];

		snprintf(cli, sizeof(cli), "10.0.0.%d", i);
		mkflow(&f, (uint64_t)i, cli, (uint16_t)(40000 + i), "10.0.0.200", 445, (uint64_t)i * 1000);
		f.app = i % 2 ? &fake_smb : NULL;
		f.ident = WS_IDENT_PAYLOAD;
		ev.flow = &f;
		ev.body = &f;
		ws_report_on_event(r, &ev);
	}
	ws_addr_parse(&src, "10.0.0.66");
	ws_addr_parse(&dst, "10.0.0.200");
	fd = ws_findings_get(fs, "port_scan", &src, &dst, 0, 6, "", &is_new);
	fd->severity = WS_SEV_MEDIUM;
	snprintf(fd->title, sizeof(fd->title), "Port scan of 10.0.0.200");
	snprintf(fd->explanation, sizeof(fd->explanation),
		 "One host tried many ports of another in a short time. This is how attackers map the services "
		 "a machine offers before they try to break in; find out who runs it and why. %s", "\x1b[31m");
	fd->count = 1000;
	fd->mitre_id = "T1046";
	fd->mitre_name = "Network Service Discovery";
	ws_finding_evidence(fd, T0, 3, 17, 0);
	fd = ws_findings_get(fs, "password_guessing", &src, &dst, 21, 6, "ftp", &is_new);
	fd->severity = WS_SEV_HIGH;
	snprintf(fd->title, sizeof(fd->title), "Password guessing against FTP");
	snprintf(fd->explanation, sizeof(fd->explanation), "Many failed logins.");

	st.files = 1;
	st.packets = 100;
	st.bytes = 6400;
	st.first_ns = T0;
	st.last_ns = T0 + 65 * WS_NS_PER_SEC;
	st.decode_errors_total = 1;
	st.decode_errors[WS_DE_IPV4_TRUNCATED] = 1;

	m = open_memstream(&buf, &n);
	ws_report_print(r, m, &st, NULL, fs, &files, WS_REPORT_COLOR_NEVER);
	fclose(m);
	for (const char *h = "Capture\n"; h; h = NULL)
		assert_non_null(strstr(buf, h));
	assert_non_null(strstr(buf, "\nServices\n"));
	assert_non_null(strstr(buf, "\nHosts\n"));
	assert_non_null(strstr(buf, "\nTop conversations\n"));
	assert_non_null(strstr(buf, "\nFindings\n"));
	assert_non_null(strstr(buf, "scan.pcap (pcap)"));
	assert_non_null(strstr(buf, "1m05s"));
	assert_non_null(strstr(buf, "1 (ipv4_truncated 1)"));
	assert_non_null(strstr(buf, "No hosts."));
	/* HIGH before MEDIUM, explanation wrapped and escaped, evidence and MITRE named. */
	assert_non_null(strstr(buf, "[HIGH] Password guessing against FTP"));
	assert_true(strstr(buf, "[HIGH]") < strstr(buf, "[MEDIUM] Port scan of 10.0.0.200"));
	assert_non_null(strstr(buf, "    One host tried many ports"));
	assert_non_null(strstr(buf, "\\x1b[31m"));
	assert_null(strchr(buf, '\x1b'));
	assert_non_null(strstr(buf, "T1046 Network Service Discovery"));
	assert_non_null(strstr(buf, "flows 3; packets 17"));
	/* Services: smb and unknown rows; 13 smb flows (odd i), 12 unknown. */
	assert_non_null(strstr(buf, "  smb "));
	assert_non_null(strstr(buf, "  unknown "));
	assert_non_null(strstr(buf, "payload 13, port 0"));
	/* Top conversations: flow 25 first, flow 15 last, 14 not shown. */
	assert_non_null(strstr(buf, "10.0.0.25:40025"));
	assert_non_null(strstr(buf, "10.0.0.16:40016"));
	assert_null(strstr(buf, "10.0.0.15:40015"));
	assert_true(strstr(buf, "10.0.0.25:40025") < strstr(buf, "10.0.0.24:40024"));
	/* Every line fits 100 columns, give or take the table rows. */
	line = buf;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (strncmp(line, "    ", 4) == 0 && line[4] != ' ')
			assert_true(len <= 100);
		line = nl ? nl + 1 : NULL;
	}
	free(buf);

	/* Empty run: the sections still read. */
	buf = NULL;
	m = open_memstream(&buf, &n);
	ws_report_free(r);
	r = ws_report_new();
	ws_report_print(r, m, NULL, NULL, NULL, NULL, WS_REPORT_COLOR_NEVER);
	fclose(m);
	assert_non_null(strstr(buf, "No findings."));
	assert_non_null(strstr(buf, "No flows."));
	free(buf);
	ws_report_free(r);
	ws_findings_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker_itself),
		cmocka_unit_test(test_ndjson_flow),
		cmocka_unit_test(test_ndjson_finding_hostile),
		cmocka_unit_test(test_ndjson_anomaly_host_stats),
		cmocka_unit_test(test_ndjson_too_long_is_cut),
		cmocka_unit_test(test_pktline_tcp),
		cmocka_unit_test(test_pktline_udp_icmp),
		cmocka_unit_test(test_pktline_other),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
