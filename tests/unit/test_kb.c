/*
 * test_kb.c - the knowledge base (src/kb) and its printing (src/output/kbprint.c):
 * port classes (R14), the merged port table's invariants, seed 002's
 * annotated ports (R16) and seed 000/001's SQL, UPnP and SMB rows (R5, R10-R12),
 * the NetBIOS suffix table (R13) and the RFC 1001 14.1 name encoding (R19).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kb/kb.h"
#include "output/kbprint.h"

#define TCP WS_KB_TCP
#define UDP WS_KB_UDP

/* ---- ports ---- */

static void test_port_class_boundaries(void **state)
{
	(void)state;
	assert_int_equal(ws_kb_port_class(0), WS_PORT_WELL_KNOWN);
	assert_int_equal(ws_kb_port_class(1023), WS_PORT_WELL_KNOWN);
	assert_int_equal(ws_kb_port_class(1024), WS_PORT_REGISTERED);
	assert_int_equal(ws_kb_port_class(49151), WS_PORT_REGISTERED);
	assert_int_equal(ws_kb_port_class(49152), WS_PORT_DYNAMIC);
	assert_int_equal(ws_kb_port_class(65535), WS_PORT_DYNAMIC);
	assert_string_equal(ws_kb_port_class_name(WS_PORT_WELL_KNOWN), "well-known");
	assert_string_equal(ws_kb_port_class_name(WS_PORT_REGISTERED), "registered");
	assert_string_equal(ws_kb_port_class_name(WS_PORT_DYNAMIC), "dynamic");
	assert_string_equal(ws_kb_port_class_range(WS_PORT_REGISTERED), "1024-49151");
	assert_string_equal(ws_kb_risk_name(WS_RISK_INFO), "info");
	assert_string_equal(ws_kb_risk_name(WS_RISK_LOW), "low");
	assert_string_equal(ws_kb_risk_name(WS_RISK_MEDIUM), "medium");
	assert_string_equal(ws_kb_risk_name(WS_RISK_HIGH), "high");
}

static void test_rows_well_formed(void **state)
{
	size_t n = ws_kb_port_count();

	(void)state;
	assert_true(n > 150);
	for (size_t i = 0; i < n; i++) {
		const struct ws_port_info *r = ws_kb_port_at(i);

		assert_non_null(r);
		assert_non_null(r->service);
		assert_true(r->service[0] != '\0');
		assert_non_null(r->description);
		assert_true(r->description[0] != '\0');
		assert_non_null(r->source);
		assert_true(r->source[0] != '\0');
		assert_true(r->l4 == TCP || r->l4 == UDP || r->l4 == (TCP | UDP));
		assert_true(r->risk >= WS_RISK_INFO && r->risk <= WS_RISK_HIGH);
		assert_true(r->note == NULL || r->note[0] != '\0');
		assert_true(r->trojans == NULL || r->trojans[0] != '\0');
		/* Every row reaches itself through the lookup: sorted and not shadowed. */
		if (r->l4 & TCP)
			assert_ptr_equal(ws_kb_port(r->port, TCP), r);
		if (r->l4 & UDP)
			assert_ptr_equal(ws_kb_port(r->port, UDP), r);
	}
	assert_null(ws_kb_port_at(n));
}

/* No two rows cover one (port, transport): the seed/IANA merge left one each. */
static void test_no_duplicates(void **state)
{
	static uint8_t seen[65536];
	size_t n = ws_kb_port_count();

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < n; i++) {
		const struct ws_port_info *r = ws_kb_port_at(i);

		assert_int_equal(seen[r->port] & r->l4, 0);
		seen[r->port] |= r->l4;
	}
}

/* The binary search needs each table (seed rows, then IANA rows) sorted by (port, l4). */
static void test_tables_sorted(void **state)
{
	size_t n = ws_kb_port_count();
	size_t breaks = 0;

	(void)state;
	for (size_t i = 1; i < n; i++) {
		const struct ws_port_info *a = ws_kb_port_at(i - 1);
		const struct ws_port_info *b = ws_kb_port_at(i);

		if (a->port > b->port) {
			breaks++;	/* allowed once: where the IANA table starts */
			assert_string_equal(b->source, "IANA");
			continue;
		}
		assert_true(a->port < b->port || a->l4 < b->l4);
	}
	assert_true(breaks <= 1);
}

static void test_smb_445(void **state)
{
	const struct ws_port_info *r = ws_kb_port(445, TCP);

	(void)state;
	assert_non_null(r);
	assert_string_equal(r->service, "microsoft-ds");
	assert_int_equal(r->risk, WS_RISK_HIGH);
	assert_non_null(r->note);
	assert_non_null(strstr(r->note, "wormable"));
	assert_non_null(strstr(r->note, "EternalBlue"));
	assert_non_null(strstr(r->note, "WannaCry"));
	/* R11: the services carried over 445. */
	assert_non_null(strstr(r->note, "SMB2"));
	assert_non_null(strstr(r->note, "DFS"));
	assert_non_null(strstr(r->note, "LSARPC"));
	assert_non_null(strstr(r->note, "NetLogon"));
	assert_non_null(strstr(r->note, "SAMR"));
	assert_non_null(strstr(r->note, "SrvSvc"));
	assert_non_null(strstr(r->source, "seed 001"));
	assert_non_null(strstr(r->source, "IANA"));
}

static void test_netbios_ports(void **state)
{
	(void)state;
	assert_string_equal(ws_kb_port(137, UDP)->service, "netbios-ns");
	assert_string_equal(ws_kb_port(138, UDP)->service, "netbios-dgm");
	assert_string_equal(ws_kb_port(139, TCP)->service, "netbios-ssn");
	assert_int_equal(ws_kb_port(139, TCP)->risk, WS_RISK_HIGH);
	assert_non_null(strstr(ws_kb_port(139, TCP)->note, "wormable"));
	assert_int_equal(ws_kb_port(137, UDP)->risk, WS_RISK_HIGH);
	assert_int_equal(ws_kb_port(23, TCP)->risk, WS_RISK_HIGH);
	assert_non_null(strstr(ws_kb_port(23, TCP)->note, "cleartext"));
	assert_int_equal(ws_kb_port(21, TCP)->risk, WS_RISK_MEDIUM);
	assert_string_equal(ws_kb_port(20, TCP)->service, "ftp-data");
}

static void test_trojans(void **state)
{
	const struct ws_port_info *r = ws_kb_port(7626, TCP);

	(void)state;
	assert_non_null(r);
	assert_true(ws_kb_port_has_trojan(7626, TCP));
	assert_non_null(strstr(r->trojans, "Glacier"));
	assert_true(ws_kb_port_has_trojan(21, TCP));
	assert_non_null(strstr(ws_kb_port(21, TCP)->trojans, "Doly Trojan"));
	assert_non_null(strstr(ws_kb_port(6776, TCP)->trojans, "SubSeven"));
	assert_non_null(strstr(ws_kb_port(31, TCP)->trojans, "Hackers Paradise"));
	assert_int_equal(ws_kb_port(1243, TCP)->risk, WS_RISK_LOW);
	assert_false(ws_kb_port_has_trojan(445, TCP));
	assert_false(ws_kb_port_has_trojan(7626, UDP));
	assert_false(ws_kb_port_has_trojan(31338, TCP));
}

static void test_sql_and_upnp(void **state)
{
	static const struct {
		uint16_t port;
		uint8_t l4;
		const char *service;
	} want[] = {
		{ 1433, TCP, "ms-sql-s" }, { 1434, UDP, "ms-sql-m" }, { 3306, TCP, "mysql" },
		{ 1520, TCP, "oracle" }, { 1521, TCP, "oracle" }, { 50000, TCP, "db2" },
		{ 5000, TCP, "sybase" }, { 5432, TCP, "postgresql" },
		{ 1900, UDP, "ssdp" }, { 2869, TCP, "upnp-host" }, { 80, TCP, "http" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ws_port_info *r = ws_kb_port(want[i].port, want[i].l4);

		assert_non_null(r);
		assert_string_equal(r->service, want[i].service);
	}
	assert_int_equal(ws_kb_port(1433, TCP)->risk, WS_RISK_MEDIUM);
	assert_non_null(strstr(ws_kb_port(1900, UDP)->note, "M-SEARCH"));
	/* TCP and UDP ports are distinct (R14). */
	assert_null(ws_kb_port(1900, TCP));
	assert_null(ws_kb_port(1434, TCP));
}

/* R15, R16: every port that seed 002 names has a row on some transport. */
static void test_seed_002_ports(void **state)
{
	static const uint16_t ports[] = {
		/* the two common-port tables */
		0, 1, 7, 9, 11, 13, 17, 19, 20, 21, 22, 23, 25, 37, 43, 53, 67, 68, 69, 70, 79, 80,
		88, 109, 110, 111, 113, 119, 123, 137, 138, 139, 143, 161, 179, 220, 443, 514, 636,
		1080,
		/* the annotated list */
		31, 42, 99, 102, 135, 177, 389, 456, 513, 544, 548, 553, 555, 568, 569, 635, 666,
		993, 1001, 1011, 1024, 1025, 1033, 1170, 1234, 1243, 6711, 6776, 1245, 1433, 1492,
		1500, 1503, 1524, 1600, 1720, 1731, 1807, 1981, 1999, 2000, 2001, 2023, 2049, 2115,
		2140, 3150, 2500,
		/* the introduction */
		4000, 7626,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		const struct ws_port_info *t = ws_kb_port(ports[i], TCP);
		const struct ws_port_info *u = ws_kb_port(ports[i], UDP);

		if (!(t && strstr(t->source, "seed 002")) && !(u && strstr(u->source, "seed 002")))
			fail_msg("port %u from seed 002 has no seed 002 row", (unsigned)ports[i]);
	}
}

static void test_unknown_and_iana(void **state)
{
	const struct ws_port_info *r;

	(void)state;
	assert_null(ws_kb_port(31338, TCP));
	assert_null(ws_kb_port(65000, UDP));
	assert_null(ws_kb_port(445, 0));
	/* A pure IANA row (generated) and a merged one. */
	r = ws_kb_port(995, TCP);
	assert_non_null(r);
	assert_string_equal(r->service, "pop3s");
	assert_string_equal(r->source, "IANA");
	assert_int_equal(r->risk, WS_RISK_INFO);
	r = ws_kb_port(143, TCP);
	assert_string_equal(r->service, "imap");
	assert_non_null(strstr(r->source, "seed 002"));
	assert_non_null(strstr(r->source, "IANA"));
	assert_non_null(r->note);
}

/* ---- NetBIOS suffixes ---- */

static void test_nb_suffix_lookup(void **state)
{
	const struct ws_nb_suffix *s;

	(void)state;
	s = ws_kb_nb_suffix(0x1B, 0, NULL);
	assert_non_null(s);
	assert_string_equal(s->meaning, "Domain Master Browser");
	assert_int_equal(s->type, 'U');
	s = ws_kb_nb_suffix(0x1C, 1, "CORP");
	assert_string_equal(s->meaning, "Domain Controllers");
	assert_string_equal(s->role, "domain controller");
	s = ws_kb_nb_suffix(0x00, 1, "WORKGROUP");
	assert_string_equal(s->meaning, "Domain Name");
	s = ws_kb_nb_suffix(0x00, 0, "SISTEM");
	assert_string_equal(s->meaning, "Workstation Service");
	assert_string_equal(s->role, "workstation");
	s = ws_kb_nb_suffix(0x00, -1, NULL);
	assert_string_equal(s->meaning, "Workstation Service");
	s = ws_kb_nb_suffix(0x01, 1, "\x01\x02__MSBROWSE__\x02");
	assert_string_equal(s->meaning, "Master Browser");
	assert_int_equal(s->type, 'G');
	s = ws_kb_nb_suffix(0x01, -1, "\x01\x02__MSBROWSE__\x02");
	assert_string_equal(s->meaning, "Master Browser");
	s = ws_kb_nb_suffix(0x01, 0, "HOST");
	assert_string_equal(s->meaning, "Messenger Service");
	s = ws_kb_nb_suffix(0x1D, -1, NULL);
	assert_string_equal(s->meaning, "Master Browser");
	s = ws_kb_nb_suffix(0x1E, 1, NULL);
	assert_string_equal(s->meaning, "Browser Service Elections");
	s = ws_kb_nb_suffix(0x20, 0, "CLIENTE");
	assert_string_equal(s->meaning, "File Server Service");
	assert_string_equal(s->role, "file server");
	s = ws_kb_nb_suffix(0x03, 0, NULL);
	assert_string_equal(s->meaning, "Messenger Service");
	assert_null(ws_kb_nb_suffix(0x7A, -1, NULL));
}

static void test_nb_special_names(void **state)
{
	const struct ws_nb_suffix *s;

	(void)state;
	s = ws_kb_nb_suffix(0x1C, 1, "INet~Services");
	assert_string_equal(s->meaning, "IIS");
	s = ws_kb_nb_suffix(0x00, 0, "IS~WEBHOST");
	assert_string_equal(s->meaning, "IIS");
	s = ws_kb_nb_suffix(0x00, 0, "ISLAND");	/* not IS~: an ordinary workstation */
	assert_string_equal(s->meaning, "Workstation Service");
	s = ws_kb_nb_suffix(0x20, -1, "Forte_$ND800ZA");
	assert_string_equal(s->meaning, "DCA IrmaLan Gateway Server Service");
	s = ws_kb_nb_suffix(0x2F, -1, "IRISMULTICAST");
	assert_string_equal(s->meaning, "Lotus Notes");
	s = ws_kb_nb_suffix(0x33, 1, "IRISNAMESERVER");
	assert_string_equal(s->meaning, "Lotus Notes");
	s = ws_kb_nb_suffix(0x2B, 0, "NOTES1");
	assert_string_equal(s->meaning, "Lotus Notes Server Service");
}

static void test_nb_table(void **state)
{
	size_t n = ws_kb_nb_suffix_count();
	size_t messenger01 = 0;

	(void)state;
	assert_true(n >= 36);	/* seed 001 lists 36 rows */
	for (size_t i = 0; i < n; i++) {
		const struct ws_nb_suffix *s = ws_kb_nb_suffix_at(i);

		assert_true(s->type == 'U' || s->type == 'G');
		assert_true(s->name_pattern && s->name_pattern[0]);
		assert_true(s->meaning && s->meaning[0]);
		if (s->suffix == 0x01 && s->type == 'U')
			messenger01++;
	}
	assert_int_equal(messenger01, 1);	/* the seed's <computername> 01 U Messenger row */
	assert_null(ws_kb_nb_suffix_at(n));
}

/* ---- RFC 1001 14.1 encoding ---- */

static void test_nb_decode(void **state)
{
	static const char cliente[] = "EDEMEJEFEOFEEFCACACACACACACACACA";
	char name[16];
	uint8_t suffix = 0xff;

	(void)state;
	assert_int_equal(ws_nb_decode_name((const uint8_t *)cliente, 32, name, &suffix), 0);
	assert_string_equal(name, "CLIENTE");
	assert_int_equal(suffix, 0x20);

	/* SISTEM<00>: six letters, nine spaces (CA), suffix 00 (AA). */
	static const char sistem[] = "FDEJFDFEEFENCACACACACACACACACAAA";

	assert_int_equal(ws_nb_decode_name((const uint8_t *)sistem, 32, name, &suffix), 0);
	assert_string_equal(name, "SISTEM");
	assert_int_equal(suffix, 0x00);

	/* RFC 1001 14.1's own example, "THE NETBIOS NAME" as 16 bytes. */
	static const char rfc[] = "FEEIEFCAEOEFFEECEJEPFDCAEOEBENEF";

	assert_int_equal(ws_nb_decode_name((const uint8_t *)rfc, 32, name, &suffix), 0);
	assert_string_equal(name, "THE NETBIOS NAM");
	assert_int_equal(suffix, 'E');
}

static void test_nb_decode_bad(void **state)
{
	static const char cliente[] = "EDEMEJEFEOFEEFCACACACACACACACACA";
	char bad[33];
	char name[16];
	uint8_t suffix;

	(void)state;
	assert_int_equal(ws_nb_decode_name((const uint8_t *)cliente, 31, name, &suffix), -1);
	assert_int_equal(ws_nb_decode_name((const uint8_t *)cliente, 33, name, &suffix), -1);
	assert_int_equal(ws_nb_decode_name((const uint8_t *)cliente, 0, name, &suffix), -1);
	assert_string_equal(name, "");
	memcpy(bad, cliente, sizeof(bad));
	bad[5] = 'Q';	/* one past 'P' */
	assert_int_equal(ws_nb_decode_name((const uint8_t *)bad, 32, name, &suffix), -1);
	bad[5] = '@';	/* one before 'A' */
	assert_int_equal(ws_nb_decode_name((const uint8_t *)bad, 32, name, &suffix), -1);
	bad[5] = 'j';	/* lower case is not first-level encoding */
	assert_int_equal(ws_nb_decode_name((const uint8_t *)bad, 32, name, &suffix), -1);
	bad[5] = 'J';
	bad[31] = 'P';	/* last character: suffix low nibble 0x0F, fine */
	assert_int_equal(ws_nb_decode_name((const uint8_t *)bad, 32, name, &suffix), 0);
	assert_int_equal(suffix, 0x2F);
}

static void test_nb_round_trip(void **state)
{
	static const char *const names[] = {
		"CLIENTE", "SISTEM", "", "A", "FIFTEEN-CHARS!!", "\x01\x02__MSBROWSE__\x02",
		"IS~HOST", "WITH SPACE",
	};
	char enc[33];
	char name[16];
	uint8_t suffix;

	(void)state;
	ws_nb_encode_name("CLIENTE", 0x20, enc);
	assert_string_equal(enc, "EDEMEJEFEOFEEFCACACACACACACACACA");
	ws_nb_encode_name("SISTEM", 0x00, enc);
	assert_string_equal(enc, "FDEJFDFEEFENCACACACACACACACACAAA");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (unsigned sfx = 0; sfx < 256; sfx += 0x1F) {
			ws_nb_encode_name(names[i], (uint8_t)sfx, enc);
			assert_int_equal(strlen(enc), 32);
			assert_int_equal(ws_nb_decode_name((const uint8_t *)enc, 32, name, &suffix), 0);
			assert_string_equal(name, names[i]);
			assert_int_equal(suffix, sfx);
		}
	}
	/* Longer names are cut at 15 bytes. */
	ws_nb_encode_name("SIXTEEN-CHARS-XY", 0x20, enc);
	assert_int_equal(ws_nb_decode_name((const uint8_t *)enc, 32, name, &suffix), 0);
	assert_string_equal(name, "SIXTEEN-CHARS-X");
}

/* ---- kbprint ---- */

/* Run fn(out, err, arg); the text written to out and err, and the return code. */
struct kbp_run {
	int rc;
	char out[8192];
	char err[1024];
};

static void kbp_slurp(FILE *f, char *buf, size_t max)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, max - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void kbp_run(struct kbp_run *run, int (*fn)(FILE *, FILE *, const char *), const char *arg)
{
	FILE *out = tmpfile();
	FILE *err = tmpfile();

	assert_non_null(out);
	assert_non_null(err);
	run->rc = fn(out, err, arg);
	kbp_slurp(out, run->out, sizeof(run->out));
	kbp_slurp(err, run->err, sizeof(run->err));
}

static void test_kbprint_port(void **state)
{
	static struct kbp_run run;

	(void)state;
	kbp_run(&run, ws_kbprint_port, "445");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "445/tcp  microsoft-ds"));
	assert_non_null(strstr(run.out, "well-known (0-1023)"));
	assert_non_null(strstr(run.out, "HIGH"));
	assert_non_null(strstr(run.out, "wormable"));
	assert_non_null(strstr(run.out, "seed 001"));
	assert_string_equal(run.err, "");

	kbp_run(&run, ws_kbprint_port, "1900/udp");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "1900/udp  ssdp"));
	assert_non_null(strstr(run.out, "registered (1024-49151)"));

	kbp_run(&run, ws_kbprint_port, "7626/TCP");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "trojans: Glacier"));

	kbp_run(&run, ws_kbprint_port, "7");
	assert_non_null(strstr(run.out, "7/tcp+udp  echo"));

	kbp_run(&run, ws_kbprint_port, "60000");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "no known service"));
	assert_non_null(strstr(run.out, "dynamic (49152-65535)"));

	kbp_run(&run, ws_kbprint_port, "1900/tcp");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "1900/tcp  no known service"));

	static const char *const bad[] = { "", "abc", "65536", "123456", "445/sctp", "445/", "/tcp",
					   " 445", "445 ", "-1", "44a" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kbp_run(&run, ws_kbprint_port, bad[i]);
		assert_int_equal(run.rc, 2);
		assert_string_equal(run.out, "");
		assert_non_null(strstr(run.err, "malformed"));
	}
	kbp_run(&run, ws_kbprint_port, NULL);
	assert_int_equal(run.rc, 2);
}

static void test_kbprint_nbname(void **state)
{
	static struct kbp_run run;

	(void)state;
	kbp_run(&run, ws_kbprint_nbname, "EDEMEJEFEOFEEFCACACACACACACACACA");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "CLIENTE<20>"));
	assert_non_null(strstr(run.out, "File Server Service"));
	assert_non_null(strstr(run.out, "unique"));

	kbp_run(&run, ws_kbprint_nbname, "CLIENTE<20>");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "EDEMEJEFEOFEEFCACACACACACACACACA"));
	assert_non_null(strstr(run.out, "File Server Service"));

	kbp_run(&run, ws_kbprint_nbname, "SISTEM<00>");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "FDEJFDFEEFENCACACACACACACACACAAA"));
	assert_non_null(strstr(run.out, "Workstation Service"));
	assert_non_null(strstr(run.out, "Domain Name"));

	static const char *const sfx1b[] = { "1B", "0x1b", "<1B>", "1b" };

	for (size_t i = 0; i < sizeof(sfx1b) / sizeof(sfx1b[0]); i++) {
		kbp_run(&run, ws_kbprint_nbname, sfx1b[i]);
		assert_int_equal(run.rc, 0);
		assert_non_null(strstr(run.out, "Domain Master Browser"));
	}
	kbp_run(&run, ws_kbprint_nbname, "00");
	assert_non_null(strstr(run.out, "Workstation Service"));
	assert_non_null(strstr(run.out, "Domain Name"));
	assert_non_null(strstr(run.out, "IIS"));

	kbp_run(&run, ws_kbprint_nbname, "__MSBROWSE__<01>");
	assert_int_equal(run.rc, 0);
	assert_non_null(strstr(run.out, "Master Browser"));
	assert_non_null(strstr(run.out, "\\x01\\x02__MSBROWSE__\\x02<01>"));

	/* Not found: an unknown suffix, asked for or decoded. */
	kbp_run(&run, ws_kbprint_nbname, "7A");
	assert_int_equal(run.rc, 1);
	kbp_run(&run, ws_kbprint_nbname, "HOST<7A>");
	assert_int_equal(run.rc, 1);
	assert_non_null(strstr(run.out, "HOST<7A>"));

	static const char *const bad[] = {
		"", "<>", "<1G>", "0x", "0x123", "CLIENTE", "CLIENTE<>", "CLIENTE<123>",
		"SIXTEEN-CHARS-XY<20>", "<20", "EDEMEJEFEOFEEFCACACACACACACACACQ",
		"edemejefeofeefcacacacacacacacaca",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kbp_run(&run, ws_kbprint_nbname, bad[i]);
		if (run.rc != 2)
			fail_msg("'%s' gave %d, not 2", bad[i], run.rc);
		assert_non_null(strstr(run.err, "malformed"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_class_boundaries),
		cmocka_unit_test(test_rows_well_formed),
		cmocka_unit_test(test_no_duplicates),
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test(test_smb_445),
		cmocka_unit_test(test_netbios_ports),
		cmocka_unit_test(test_trojans),
		cmocka_unit_test(test_sql_and_upnp),
		cmocka_unit_test(test_seed_002_ports),
		cmocka_unit_test(test_unknown_and_iana),
		cmocka_unit_test(test_nb_suffix_lookup),
		cmocka_unit_test(test_nb_special_names),
		cmocka_unit_test(test_nb_table),
		cmocka_unit_test(test_nb_decode),
		cmocka_unit_test(test_nb_decode_bad),
		cmocka_unit_test(test_nb_round_trip),
		cmocka_unit_test(test_kbprint_port),
		cmocka_unit_test(test_kbprint_nbname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
