/*
 * test_smb1.c - SMB1 ([MS-CIFS]) through the real engine: crafted NBSS/SMB1
 * messages in TCP segments on port 445, written as a pcap, read back by the
 * engine; the smb and login events and the Info column are checked.
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

#include "smb_harness.h"

static void negotiate_pair(struct th_conv *cv, size_t seg)
{
	struct mb m;

	mb_smb1(&m, 0x72, false, 0, 0xc801, 0, 0, 1);
	mb_u8(&m, 0);
	size_t bc = m.n;
	mb_le16(&m, 0);
	mb_u8(&m, 2); mb_str(&m, "PC NETWORK PROGRAM 1.0");
	mb_u8(&m, 2); mb_str(&m, "LANMAN1.0");
	mb_u8(&m, 2); mb_str(&m, "NT LM 0.12");
	uint16_t n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n;
	m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(cv, 0, m.b, m.n, seg);

	mb_smb1(&m, 0x72, true, 0, 0xc801, 0, 0, 1);
	mb_u8(&m, 17);
	mb_le16(&m, 2);		/* DialectIndex: NT LM 0.12 */
	mb_u8(&m, 0x03);	/* SecurityMode */
	mb_le16(&m, 50); mb_le16(&m, 1); mb_le32(&m, 16644); mb_le32(&m, 65536); mb_le32(&m, 0);
	mb_le32(&m, 0x8000e3fd);	/* Capabilities */
	mb_le32(&m, 0); mb_le32(&m, 0); mb_le16(&m, 0); mb_u8(&m, 0);
	mb_le16(&m, 0);
	mb_end(&m);
	th_send(cv, 1, m.b, m.n, seg);
}

/* Legacy (non-extended) session setup, WordCount 13, Unicode strings. */
static void legacy_setup(struct th_conv *cv, const char *user, const char *dom, uint32_t status, uint16_t mid)
{
	struct mb m;

	mb_smb1(&m, 0x73, false, 0, 0xc001, 0, 0, mid);
	mb_u8(&m, 13);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0);
	mb_le16(&m, 16644); mb_le16(&m, 50); mb_le16(&m, 0); mb_le32(&m, 0);
	mb_le16(&m, 24); mb_le16(&m, 24);	/* OEM and Unicode password lengths */
	mb_le32(&m, 0); mb_le32(&m, 0xd4);
	size_t bc = m.n;
	mb_le16(&m, 0);
	for (int i = 0; i < 48; i++)
		mb_u8(&m, 0x11);
	if (mb_pos(&m) & 1)
		mb_u8(&m, 0);	/* Unicode pad */
	mb_utf16(&m, user);
	mb_utf16(&m, dom);
	mb_utf16(&m, "Unix");
	mb_utf16(&m, "Samba");
	uint16_t n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n;
	m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(cv, 0, m.b, m.n, 0);

	mb_smb1(&m, 0x73, true, status, 0xc001, 0, status ? 0 : 100, mid);
	if (status) {
		mb_u8(&m, 0);
		mb_le16(&m, 0);
	} else {
		mb_u8(&m, 3);
		mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0);
		mb_le16(&m, 0);	/* Action */
		mb_le16(&m, 0);
	}
	mb_end(&m);
	th_send(cv, 1, m.b, m.n, 0);
}

static void tree_connect(struct th_conv *cv, const char *path)
{
	struct mb m;

	mb_smb1(&m, 0x75, false, 0, 0xc001, 0, 100, 5);
	mb_u8(&m, 4);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0);
	mb_le16(&m, 0); mb_le16(&m, 1);
	size_t bc = m.n;
	mb_le16(&m, 0);
	mb_u8(&m, 0);	/* password */
	if (mb_pos(&m) & 1)
		mb_u8(&m, 0);
	mb_utf16(&m, path);
	mb_str(&m, "?????");
	uint16_t n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n;
	m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(cv, 0, m.b, m.n, 0);

	mb_smb1(&m, 0x75, true, 0, 0xc001, 7, 100, 5);
	mb_u8(&m, 3);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0); mb_le16(&m, 1);
	mb_le16(&m, 4);
	mb_str(&m, "IPC");
	mb_end(&m);
	th_send(cv, 1, m.b, m.n, 0);
}

/* NativeOS of the legacy request, and the server's in a response with bytes
 * ([MS-CIFS] 2.2.4.53.2: Pad, NativeOS, NativeLanMan, PrimaryDomain). */
static void test_native_os(void **unused)
{
	struct th_conv cv;
	struct mb m;
	static struct th_result r;

	(void)unused;
	th_open(&cv, th_file(), 445);
	negotiate_pair(&cv, 0);
	legacy_setup(&cv, "alice", "LABNET", 0xc000006d, 2);
	/* A second request answered with WordCount 3 and three strings. */
	legacy_setup(&cv, "bob", "LABNET", 0, 3);
	mb_smb1(&m, 0x73, false, 0, 0x4001, 0, 0, 4);	/* OEM strings */
	mb_u8(&m, 10);	/* LANMAN form: no Unicode password length */
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0);
	mb_le16(&m, 16644); mb_le16(&m, 50); mb_le16(&m, 0); mb_le32(&m, 0);
	mb_le16(&m, 1); mb_le32(&m, 0);
	size_t bc = m.n;
	mb_le16(&m, 0);
	mb_u8(&m, 0);	/* empty password */
	mb_str(&m, "GUEST"); mb_str(&m, "WG"); mb_str(&m, "Windows 4.0"); mb_str(&m, "LM");
	uint16_t n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n; m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(&cv, 0, m.b, m.n, 0);
	mb_smb1(&m, 0x73, true, 0, 0xc001, 0, 101, 4);
	mb_u8(&m, 3);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0); mb_le16(&m, 0);
	bc = m.n;
	mb_le16(&m, 0);
	if (mb_pos(&m) & 1)
		mb_u8(&m, 0);
	mb_utf16(&m, "Windows Server 2003 3790"); mb_utf16(&m, "Windows Server 2003 5.2"); mb_utf16(&m, "LAB");
	n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n; m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(&cv, 1, m.b, m.n, 0);
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 4);
	assert_string_equal(r.smb[1].native_os, "Unix");
	assert_string_equal(r.smb[1].server_native_os, "");	/* error answer: no bytes */
	assert_string_equal(r.smb[3].native_os, "Windows 4.0");
	assert_string_equal(r.smb[3].server_native_os, "Windows Server 2003 3790");
	assert_true(r.smb[3].req_pcap_cnt > r.smb[1].req_pcap_cnt);
}

/* \PIPE\LANMAN transaction: RAPOpcode first in the parameters ([MS-RAP] 2.5.1). */
static void lanman_trans(struct th_conv *cv, uint16_t op, uint16_t mid)
{
	struct mb m;

	mb_smb1(&m, 0x25, false, 0, 0xc001, 7, 100, mid);
	mb_u8(&m, 14);
	mb_le16(&m, 8); mb_le16(&m, 0); mb_le16(&m, 8); mb_le16(&m, 4096);
	mb_u8(&m, 0); mb_u8(&m, 0); mb_le16(&m, 0); mb_le32(&m, 0);
	mb_le16(&m, 0);
	mb_le16(&m, 8);		/* ParameterCount */
	size_t poff = m.n;
	mb_le16(&m, 0);		/* ParameterOffset, set below */
	mb_le16(&m, 0); mb_le16(&m, 0);	/* DataCount, DataOffset */
	mb_u8(&m, 0); mb_u8(&m, 0);	/* SetupCount, reserved */
	size_t bc = m.n;
	mb_le16(&m, 0);
	if (mb_pos(&m) & 1)
		mb_u8(&m, 0);
	mb_utf16(&m, "\\PIPE\\LANMAN");
	uint16_t at = mb_pos(&m);
	m.b[poff] = (uint8_t)at; m.b[poff + 1] = (uint8_t)(at >> 8);
	mb_le16(&m, op); mb_str(&m, "WrLeh");
	uint16_t n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n; m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(cv, 0, m.b, m.n, 0);
	mb_smb1(&m, 0x25, true, 0, 0xc001, 7, 100, mid);
	mb_u8(&m, 0);
	mb_le16(&m, 0);
	mb_end(&m);
	th_send(cv, 1, m.b, m.n, 0);
}

static void test_rap_name(void **unused)
{
	struct th_conv cv;
	static struct th_result r;

	(void)unused;
	th_open(&cv, th_file(), 139);
	negotiate_pair(&cv, 0);
	tree_connect(&cv, "\\\\SRV\\IPC$");
	lanman_trans(&cv, 0, 10);
	lanman_trans(&cv, 104, 11);
	lanman_trans(&cv, 13, 12);
	lanman_trans(&cv, 63, 13);
	lanman_trans(&cv, 0x7777, 14);
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 7);
	assert_string_equal(r.smb[2].pipe, "\\PIPE\\LANMAN");
	assert_string_equal(r.smb[2].rap_name, "NetShareEnum");
	assert_string_equal(r.smb[3].rap_name, "NetServerEnum2");
	assert_string_equal(r.smb[4].rap_name, "NetServerGetInfo");
	assert_string_equal(r.smb[5].rap_name, "NetWkstaGetInfo");
	assert_null(r.smb[6].rap_name);	/* unknown opcode */
	assert_null(r.smb[1].rap_name);
	assert_true(th_has_info(&r, "NetServerEnum2 Request"));
	assert_true(th_has_info(&r, "NetShareEnum Response"));
}

static void test_negotiate(void **unused)
{
	struct th_conv cv;
	static struct th_result r;

	(void)unused;
	th_open(&cv, th_file(), 445);
	negotiate_pair(&cv, 0);
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 1);
	assert_int_equal(r.smb[0].command, 0x72);
	assert_true(r.smb[0].has_request && r.smb[0].has_response);
	assert_string_equal(r.smb[0].mnemonic, "SMBr");
	assert_int_equal(r.smb[0].capabilities, 0x8000e3fd);
	assert_int_equal(r.smb[0].dialect_cnt, 3);
	assert_true(th_has_info(&r, "Negotiate Protocol Request"));
	assert_true(th_has_info(&r, "Negotiate Protocol Response"));
}

/* The chosen dialect's name is valid during the event: check it live. */
static const char *seen_dialect_ok;
static void dialect_sub(void *user, const struct ws_event *ev)
{
	(void)user;
	if (ev->type == WS_EV_SMB) {
		const struct ws_ev_smb *s = ev->body;
		if (s->dialect && strcmp(s->dialect, "NT LM 0.12") == 0 && s->dialects[1] &&
		    strcmp(s->dialects[1], "LANMAN1.0") == 0)
			seen_dialect_ok = "yes";
	}
}

static void test_negotiate_dialect(void **unused)
{
	struct th_conv cv;
	struct ws_engine_cfg cfg;
	struct ws_bus bus;
	char path[64], err[128];

	(void)unused;
	th_open(&cv, th_file(), 445);
	negotiate_pair(&cv, 0);
	th_seg(&cv, 0, 0x11, NULL, 0);
	fflush(cv.f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(cv.f));
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, dialect_sub, NULL);
	ws_engine_cfg_default(&cfg);
	struct ws_engine *e = ws_engine_new(&cfg, &bus);
	ws_engine_run_file(e, path, err, sizeof(err));
	ws_engine_finish(e);
	ws_engine_free(e);
	fclose(cv.f);
	assert_non_null(seen_dialect_ok);
}

static void test_legacy_logins(void **unused)
{
	struct th_conv cv;
	static struct th_result r;

	(void)unused;
	th_open(&cv, th_file(), 445);
	negotiate_pair(&cv, 0);
	legacy_setup(&cv, "alice", "LABNET", 0xc000006d, 2);
	legacy_setup(&cv, "bob", "LABNET", 0, 3);
	th_run(&cv, &r);
	assert_int_equal(r.login_cnt, 2);
	assert_string_equal(r.login[0].service, "smb");
	assert_string_equal(r.login[0].user, "alice");
	assert_string_equal(r.login[0].domain, "LABNET");
	assert_int_equal(r.login[0].success, 0);
	assert_int_equal(r.login[0].status, 0xc000006d);
	assert_string_equal(r.login[0].status_name, "STATUS_LOGON_FAILURE");
	assert_string_equal(r.login[0].method, "legacy");
	assert_true(r.login[0].password_sent);
	assert_string_equal(r.login[1].user, "bob");
	assert_int_equal(r.login[1].success, 1);
	assert_int_equal(r.smb_cnt, 3);
	assert_string_equal(r.smb[1].mnemonic, "SMBsm");
	assert_string_equal(r.smb[2].mnemonic, "SMBs");
	assert_true(th_has_info(&r, "Session Setup AndX Request, User: LABNET\\alice"));
	assert_true(th_has_info(&r, "Session Setup AndX Response, Error: STATUS_LOGON_FAILURE"));
}

static void test_tree_connect(void **unused)
{
	struct th_conv cv;
	static struct th_result r;

	(void)unused;
	th_open(&cv, th_file(), 445);
	tree_connect(&cv, "\\\\10.77.0.10\\IPC$");
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 1);
	assert_string_equal(r.smb[0].share, "\\\\10.77.0.10\\IPC$");
	assert_string_equal(r.smb[0].service, "IPC");
	assert_string_equal(r.smb[0].mnemonic, "SMBu");
	assert_true(th_has_info(&r, "Tree Connect AndX Request, Path: \\\\10.77.0.10\\IPC$"));
}

/* NTLMSSP AUTHENTICATE ([MS-NLMP] 2.2.1.3) as a raw security blob. */
static void ntlm_auth(struct mb *m, const char *user, const char *dom, const char *host, uint16_t nt_len)
{
	size_t start = m->n;
	uint16_t lu = (uint16_t)(2 * strlen(user)), ld = (uint16_t)(2 * strlen(dom)), lh = (uint16_t)(2 * strlen(host));
	uint32_t off = 64;

	memcpy(m->b + m->n, "NTLMSSP", 8);
	m->n += 8;
	mb_le32(m, 3);
	mb_le16(m, 24); mb_le16(m, 24); mb_le32(m, off);		/* LM */
	mb_le16(m, nt_len); mb_le16(m, nt_len); mb_le32(m, off + 24);	/* NT */
	uint32_t p = off + 24 + nt_len;
	mb_le16(m, ld); mb_le16(m, ld); mb_le32(m, p);
	mb_le16(m, lu); mb_le16(m, lu); mb_le32(m, p + ld);
	mb_le16(m, lh); mb_le16(m, lh); mb_le32(m, p + ld + lu);
	mb_le16(m, 0); mb_le16(m, 0); mb_le32(m, p + ld + lu + lh);
	mb_le32(m, 0x00088215);	/* flags: UNICODE ... */
	while (m->n - start < off)
		mb_u8(m, 0);
	for (int i = 0; i < 24 + nt_len; i++)
		mb_u8(m, 0x22);
	for (const char *s = dom; *s; s++) mb_le16(m, (uint8_t)*s);
	for (const char *s = user; *s; s++) mb_le16(m, (uint8_t)*s);
	for (const char *s = host; *s; s++) mb_le16(m, (uint8_t)*s);
}

static void test_extended_auth(void **unused)
{
	struct th_conv cv;
	static struct th_result r;
	struct mb m;

	(void)unused;
	th_open(&cv, th_file(), 445);
	mb_smb1(&m, 0x73, false, 0, 0xc801, 0, 0, 4);
	mb_u8(&m, 12);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0);
	mb_le16(&m, 16644); mb_le16(&m, 50); mb_le16(&m, 0); mb_le32(&m, 0);
	size_t bl = m.n;
	mb_le16(&m, 0);
	mb_le32(&m, 0); mb_le32(&m, 0x800000d4);
	size_t bc = m.n;
	mb_le16(&m, 0);
	size_t b0 = m.n;
	ntlm_auth(&m, "alice", "LABNET", "CLIENTPC", 48);
	uint16_t blen = (uint16_t)(m.n - b0);
	m.b[bl] = (uint8_t)blen;
	m.b[bl + 1] = (uint8_t)(blen >> 8);
	uint16_t n = (uint16_t)(m.n - bc - 2);
	m.b[bc] = (uint8_t)n;
	m.b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(&m);
	th_send(&cv, 0, m.b, m.n, 0);
	mb_smb1(&m, 0x73, true, 0, 0xc801, 0, 100, 4);
	mb_u8(&m, 4);
	mb_u8(&m, 0xff); mb_u8(&m, 0); mb_le16(&m, 0); mb_le16(&m, 0); mb_le16(&m, 0);
	mb_le16(&m, 0);
	mb_end(&m);
	th_send(&cv, 1, m.b, m.n, 0);
	th_run(&cv, &r);
	assert_int_equal(r.login_cnt, 1);
	assert_string_equal(r.login[0].user, "alice");
	assert_string_equal(r.login[0].domain, "LABNET");
	assert_string_equal(r.login[0].host, "CLIENTPC");
	assert_string_equal(r.login[0].method, "ntlmv2");
	assert_int_equal(r.login[0].success, 1);
	assert_true(th_has_info(&r, "Session Setup AndX Request, NTLMSSP_AUTH, User: LABNET\\alice"));
}

/* Session setup chained to a tree connect; then a chain whose AndXOffset goes back. */
static void andx_msg(struct mb *m, uint16_t andx_off_override)
{
	mb_smb1(m, 0x73, false, 0, 0x0001, 0, 0, 9);	/* ASCII */
	mb_u8(m, 10);
	size_t andx = m->n;
	mb_u8(m, 0x75); mb_u8(m, 0); mb_le16(m, 0);
	mb_le16(m, 4096); mb_le16(m, 2); mb_le16(m, 0); mb_le32(m, 0);
	mb_le16(m, 1);	/* password length */
	mb_le32(m, 0);
	size_t bc = m->n;
	mb_le16(m, 0);
	mb_u8(m, 0);
	mb_str(m, "GUEST");
	mb_str(m, "");
	mb_str(m, "DOS");
	mb_str(m, "LM");
	uint16_t n = (uint16_t)(m->n - bc - 2);
	m->b[bc] = (uint8_t)n;
	m->b[bc + 1] = (uint8_t)(n >> 8);
	uint16_t next = andx_off_override ? andx_off_override : mb_pos(m);
	m->b[andx + 2] = (uint8_t)next;
	m->b[andx + 3] = (uint8_t)(next >> 8);
	mb_u8(m, 4);
	mb_u8(m, 0xff); mb_u8(m, 0); mb_le16(m, 0);
	mb_le16(m, 0); mb_le16(m, 1);
	bc = m->n;
	mb_le16(m, 0);
	mb_u8(m, 0);
	mb_str(m, "\\\\WIN98\\PUBLIC");
	mb_str(m, "?????");
	n = (uint16_t)(m->n - bc - 2);
	m->b[bc] = (uint8_t)n;
	m->b[bc + 1] = (uint8_t)(n >> 8);
	mb_end(m);
}

static void test_andx(void **unused)
{
	struct th_conv cv;
	static struct th_result r;
	struct mb m;

	(void)unused;
	th_open(&cv, th_file(), 139);
	andx_msg(&m, 0);
	th_send(&cv, 0, m.b, m.n, 0);
	th_run(&cv, &r);
	/* Both commands seen (unanswered: reported at close), no anomaly. */
	assert_int_equal(r.smb_cnt, 2);
	assert_int_equal(r.smb[0].command, 0x73);
	assert_int_equal(r.smb[1].command, 0x75);
	assert_false(r.smb[1].has_response);
	assert_string_equal(r.smb[1].share, "\\\\WIN98\\PUBLIC");
	assert_false(th_has_anom(&r, "smb1_andx_bad_offset"));
	assert_true(th_has_info(&r, "Session Setup AndX Request, User: \\GUEST; Tree Connect AndX Request, Path: \\\\WIN98\\PUBLIC"));

	th_open(&cv, th_file(), 139);
	andx_msg(&m, 20);	/* points back into the header */
	th_send(&cv, 0, m.b, m.n, 0);
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 1);
	assert_true(th_has_anom(&r, "smb1_andx_bad_offset"));

	th_open(&cv, th_file(), 139);
	andx_msg(&m, 60000);	/* past the message */
	th_send(&cv, 0, m.b, m.n, 0);
	th_run(&cv, &r);
	assert_int_equal(r.smb_cnt, 1);
	assert_true(th_has_anom(&r, "smb1_andx_bad_offset"));
}

/* Byte by byte: the same events as whole segments. */
static void test_byte_by_byte(void **unused)
{
	struct th_conv cv;
	static struct th_result whole, bytes;

	(void)unused;
	th_open(&cv, th_file(), 445);
	negotiate_pair(&cv, 0);
	legacy_setup(&cv, "alice", "LABNET", 0xc000006d, 2);
	th_run(&cv, &whole);
	th_open(&cv, th_file(), 445);
	negotiate_pair(&cv, 1);
	legacy_setup(&cv, "alice", "LABNET", 0xc000006d, 2);
	th_run(&cv, &bytes);
	assert_int_equal(whole.smb_cnt, 2);
	assert_int_equal(bytes.smb_cnt, whole.smb_cnt);
	assert_int_equal(bytes.login_cnt, whole.login_cnt);
	for (size_t i = 0; i < whole.smb_cnt; i++) {
		/* The request's frame number differs: one segment per byte. */
		assert_true(bytes.smb[i].req_pcap_cnt > whole.smb[i].req_pcap_cnt);
		bytes.smb[i].req_pcap_cnt = whole.smb[i].req_pcap_cnt = 0;
		assert_memory_equal(&bytes.smb[i], &whole.smb[i], sizeof(whole.smb[i]));
	}
	assert_string_equal(bytes.login[0].user, "alice");
}

/* Every truncation of a negotiate response: no crash, no wrong event. */
static void test_truncations(void **unused)
{
	struct mb m;

	(void)unused;
	mb_smb1(&m, 0x72, true, 0, 0xc801, 0, 0, 1);
	mb_u8(&m, 17);
	for (int i = 0; i < 34; i++)
		mb_u8(&m, 0);
	mb_le16(&m, 0);
	size_t full = m.n;
	for (size_t cut = 5; cut < full; cut++) {
		struct th_conv cv;
		static struct th_result r;
		struct mb t = m;

		t.n = cut;
		mb_end(&t);
		th_open(&cv, th_file(), 445);
		th_send(&cv, 1, t.b, t.n, 0);
		th_run(&cv, &r);
		if (cut < 4 + 32)
			assert_int_equal(r.smb_cnt, 0);
		else
			assert_int_equal(r.smb_cnt, 1);	/* header whole: the response is reported */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_negotiate_dialect),
		cmocka_unit_test(test_legacy_logins),
		cmocka_unit_test(test_tree_connect),
		cmocka_unit_test(test_extended_auth),
		cmocka_unit_test(test_andx),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_native_os),
		cmocka_unit_test(test_rap_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
