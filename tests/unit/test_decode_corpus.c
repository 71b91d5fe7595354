/*
 * test_decode_corpus.c - the decoder over every capture of shared/corpus
 * (WS_CORPUS; the tests skip when it is not there).
 *
 * Captures are read with libpcap directly (not src/capture) so that this test
 * depends on the decoder alone; .gz captures are inflated with zlib into a
 * temporary file first. Checks: every packet of every capture decodes with no
 * error except in the one fuzzed capture, and spot values per link type that
 * were compared by hand with tshark -T fields (addresses, ports, VLAN ids,
 * the SLL source MAC, GRE decapsulation, PPPoE).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <zlib.h>

#include "decode/decode.h"

/* The corpus capture made by a fuzzer: its decode errors are expected. */
#define FUZZED "ndpi/fuzz-2006-06-26-2594.pcap"

static const char *corpus(void)
{
	const char *c = getenv("WS_CORPUS");
	char path[4096];
	FILE *f;

	if (!c)
		return NULL;
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", c);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fclose(f);
	return c;
}

static pcap_t *open_capture(const char *dir, const char *rel)
{
	char path[4096], eb[PCAP_ERRBUF_SIZE];
	size_t n = strlen(rel);
	gzFile gz;
	FILE *tmp;
	char buf[65536];
	int got;
	pcap_t *pc;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (n < 3 || strcmp(rel + n - 3, ".gz") != 0)
		return pcap_open_offline(path, eb);
	gz = gzopen(path, "rb");
	if (!gz)
		return NULL;
	tmp = tmpfile();
	if (!tmp) {
		gzclose(gz);
		return NULL;
	}
	while ((got = gzread(gz, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)got, tmp);
	gzclose(gz);
	rewind(tmp);
	pc = pcap_fopen_offline(tmp, eb);	/* owns tmp from here */
	if (!pc)
		fclose(tmp);
	return pc;
}

struct tally {
	uint64_t pkts, ip, l4, errs;
};

/* Decodes a capture; calls check(n, p) for frame want (0: none). */
static int run_capture(const char *dir, const char *rel, struct tally *t, uint64_t want,
		       struct ws_packet *out)
{
	pcap_t *pc = open_capture(dir, rel);
	struct ws_decoder *d;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct ws_packet p;

	if (!pc)
		return -1;
	d = ws_decoder_new();
	assert_non_null(d);
	memset(t, 0, sizeof(*t));
	while (pcap_next_ex(pc, &h, &data) == 1) {
		memset(&p, 0, sizeof(p));
		p.num = ++t->pkts;
		p.caplen = h->caplen;
		p.wirelen = h->len;
		p.data = data;
		p.linktype = pcap_datalink(pc);
		p.ts_ns = (int64_t)h->ts.tv_sec * 1000000000LL + (int64_t)h->ts.tv_usec * 1000;
		ws_decode(d, &p);
		if (p.payload_len)
			assert_true(p.payload_wire_len >= p.payload_len || p.frag == WS_FRAG_DONE);
		t->ip += p.ip_ver != 0;
		t->l4 += p.l4_ok;
		t->errs += p.err != WS_DE_NONE;
		if (p.num == want && out) {
			*out = p;
			out->data = NULL;
			out->payload = NULL;
		}
		if (p.num % 5000 == 0)
			ws_decoder_expire(d, p.ts_ns);
	}
	ws_decoder_free(d);
	pcap_close(pc);
	return 0;
}

static void test_whole_corpus(void **state)
{
	const char *dir = corpus();
	char path[4096], line[8192];
	FILE *m;
	unsigned files = 0, opened = 0;
	uint64_t pkts = 0, ip = 0;

	(void)state;
	if (!dir)
		skip();
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	m = fopen(path, "r");
	assert_non_null(m);
	assert_non_null(fgets(line, sizeof(line), m));	/* header */
	while (fgets(line, sizeof(line), m)) {
		char *rel = strtok(line, "\t");
		struct tally t;

		if (!rel)
			continue;
		files++;
		if (run_capture(dir, rel, &t, 0, NULL) < 0)
			continue;	/* e.g. a pcapng libpcap cannot read */
		opened++;
		pkts += t.pkts;
		ip += t.ip;
		if (strcmp(rel, FUZZED) == 0) {
			assert_true(t.errs > 0);
			continue;
		}
		if (t.errs)
			print_error("%s: %lu decode errors\n", rel, (unsigned long)t.errs);
		assert_int_equal(t.errs, 0);
	}
	fclose(m);
	assert_true(files > 0);
	assert_true(opened > files / 2);
	assert_true(ip > pkts / 2);
}

static struct ws_packet frame(const char *rel, uint64_t n)
{
	struct ws_packet p;
	struct tally t;

	memset(&p, 0, sizeof(p));
	if (run_capture(corpus(), rel, &t, n, &p) < 0)
		fail_msg("cannot open %s", rel);
	return p;
}

static void addr_is(const struct ws_addr *a, const char *want)
{
	char buf[WS_ADDR_STRLEN];

	assert_string_equal(ws_addr_fmt(a, buf), want);
}

/* Values from tshark -T fields on the same frames. */
static void test_spot_frames(void **state)
{
	static const uint8_t sll_mac[6] = { 0x00, 0x30, 0x2b, 0xd9, 0x38, 0x4c };
	struct ws_packet p;

	(void)state;
	if (!corpus())
		skip();
	/* BSD null, IPv6, UDP */
	p = frame("zeek/Traces/ssh/ssh-over-udp.pcap", 1);
	addr_is(&p.src, "::1");
	assert_int_equal(p.sport, 52806);
	assert_int_equal(p.dport, 1234);
	/* Linux SLL: the sender's MAC */
	p = frame("suricata-verify/smb-eicar-file/input.pcap", 1);
	addr_is(&p.src, "192.168.1.100");
	addr_is(&p.dst, "192.168.1.3");
	assert_int_equal(p.sport, 47114);
	assert_int_equal(p.dport, 445);
	assert_memory_equal(p.eth_src, sll_mac, 6);
	/* raw IP */
	p = frame("suricata-verify/pgsql/pgsql-cancel-request/input.pcap", 2);
	addr_is(&p.src, "100.96.199.113");
	assert_int_equal(p.sport, 5432);
	assert_int_equal(p.dport, 39704);
	/* GRE: the inner packet's addresses */
	p = frame("suricata-verify/bug-5633-gre-02/gre-sample.pcap", 1);
	addr_is(&p.src, "66.59.111.190");
	addr_is(&p.dst, "172.28.2.3");
	assert_int_equal(p.ip_proto, 1);
	/* QinQ, PPPoE, IPv6, ESP */
	p = frame("ndpi/custom_categories.pcapng", 85);
	assert_int_equal(p.vlan_cnt, 2);
	assert_int_equal(p.vlan[0], 285);
	assert_int_equal(p.vlan[1], 121);
	addr_is(&p.src, "2a01:e34:ef6f:4340:94be:5dac:c20a:d2a0");
	addr_is(&p.dst, "2001:1670:8:40a6:a08e:332b:aa69:18dc");
	assert_int_equal(p.ip_proto, 50);
	/* IPv6 carried under ethertype 0x0800: tshark decodes it anyway, we call it an error */
	p = frame(FUZZED, 669);
	assert_int_equal(p.err, WS_DE_IPV4_BAD_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_corpus),
		cmocka_unit_test(test_spot_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
