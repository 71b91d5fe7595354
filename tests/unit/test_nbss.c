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
#include "smb_harness.h"

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
