/*
 * test_nbdgm.c - the NetBIOS datagram service parser (src/proto/nbdgm.c)
 * and the browser protocol inside it, driven through the real engine
 * (tests/unit/harness.h) on datagrams built from RFC 1002 4.4.1/4.4.2,
 * [MS-CIFS] 2.2.4.33.1 (Transaction request to a mailslot) and [MS-BRWS]
 * 2.2: host announcement, election request, local master announcement and
 * domain announcement in a direct group datagram to x.x.x.255, an error
 * datagram, and every truncation (short datagram and snaplen cut).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "kb/kb.h"

static const uint8_t ip_src[4] = { 10, 77, 0, 10 };
static const uint8_t ip_bcast[4] = { 10, 77, 0, 255 };

struct msg {
	uint8_t b[600];
	size_t len;
};

static void put8(struct msg *m, uint8_t v) { m->b[m->len++] = v; }
static void put16be(struct msg *m, uint16_t v) { put8(m, (uint8_t)(v >> 8)); put8(m, (uint8_t)v); }
static void put16le(struct msg *m, uint16_t v) { put8(m, (uint8_t)v); put8(m, (uint8_t)(v >> 8)); }
static void put32le(struct msg *m, uint32_t v) { put16le(m, (uint16_t)v); put16le(m, (uint16_t)(v >> 16)); }
static void put_bytes(struct msg *m, const void *p, size_t n) { memcpy(m->b + m->len, p, n); m->len += n; }

static void put_name(struct msg *m, const char *name, uint8_t suffix)
{
	char enc[33];

	ws_nb_encode_name(name, suffix, enc);
	put8(m, 32);
	put_bytes(m, enc, 32);
	put8(m, 0);
}

/*
 * A direct group datagram (0x11, F set) from FILESRV<00> to LABNET<1d>
 * carrying a Transaction request to \MAILSLOT\BROWSE whose data is brws.
 */
static void build_dgm(struct msg *m, const struct msg *brws)
{
	static const char slot[] = "\\MAILSLOT\\BROWSE";
	size_t dlen_at;
	size_t smb_at;

	memset(m, 0, sizeof(*m));
	put8(m, 0x11);
	put8(m, 0x02);
	put16be(m, 0x8001);
	put_bytes(m, ip_src, 4);
	put16be(m, 138);
	dlen_at = m->len;
	put16be(m, 0);
	put16be(m, 0);
	put_name(m, "FILESRV", 0x00);
	put_name(m, "LABNET", 0x1d);
	smb_at = m->len;
	put_bytes(m, "\xffSMB", 4);
	put8(m, 0x25);
	for (int i = 0; i < 27; i++)
		put8(m, 0);
	put8(m, 17);	/* WordCount: 14 + SetupCount 3 */
	size_t data_off = 32 + 1 + 34 + 2 + sizeof(slot);
	put16le(m, 0);	/* TotalParameterCount */
	put16le(m, (uint16_t)brws->len);
	put16le(m, 0);
	put16le(m, 0);
	put8(m, 0);
	put8(m, 0);
	put16le(m, 0);	/* Flags */
	put32le(m, 0);	/* Timeout */
	put16le(m, 0);
	put16le(m, 0);	/* ParameterCount */
	put16le(m, (uint16_t)data_off);	/* ParameterOffset */
	put16le(m, (uint16_t)brws->len);
	put16le(m, (uint16_t)data_off);
	put8(m, 3);
	put8(m, 0);
	put16le(m, 1);	/* write mailslot */
	put16le(m, 1);
	put16le(m, 2);
	put16le(m, (uint16_t)(sizeof(slot) + brws->len));
	put_bytes(m, slot, sizeof(slot));
	assert_int_equal(m->len - smb_at, data_off);
	put_bytes(m, brws->b, brws->len);
	size_t dlen = m->len - 14;
	m->b[dlen_at] = (uint8_t)(dlen >> 8);
	m->b[dlen_at + 1] = (uint8_t)dlen;
}

/* [MS-BRWS] 2.2.1 layout, shared by host, local master and domain announcements. */
static void build_announce(struct msg *b, uint8_t cmd, const char *server, uint32_t type,
			   const char *comment)
{
	char name[16];

	memset(b, 0, sizeof(*b));
	memset(name, 0, sizeof(name));
	memcpy(name, server, strlen(server));
	put8(b, cmd);
	put8(b, 0);
	put32le(b, 720000);
	put_bytes(b, name, 16);
	put8(b, 6);
	put8(b, 1);
	put32le(b, type);
	put8(b, 15);
	put8(b, 1);
	put16le(b, 0xaa55);
	put_bytes(b, comment, strlen(comment) + 1);
}

static struct cap_result run_one(const struct msg *m)
{
	uint8_t frame[HARNESS_FRAME_MAX];
	const uint8_t *frames[1] = { frame };
	size_t lens[1];

	lens[0] = harness_udp_frame(frame, ip_src, ip_bcast, 138, 138, m->b, m->len);
	assert_true(lens[0] > 0);
	return run_frames(frames, lens, 1);
}

static void test_host_announcement(void **state)
{
	struct msg b;
	struct msg m;
	(void)state;

	build_announce(&b, 1, "FILESRV", 0x00819a03, "file server");
	build_dgm(&m, &b);
	struct cap_result r = run_one(&m);

	assert_int_equal(r.nb_cnt, 1);
	const struct ws_ev_netbios *ev = &r.nb[0].nb;
	assert_string_equal(r.info[0], "Host Announcement FILESRV, Workstation, Server, Print Queue Server, "
				       "Xenix Server, NT Workstation, NT Server, Potential Browser, DFS server");
	assert_int_equal(ev->service, WS_NB_DGM);
	assert_int_equal(ev->msg_type, 0x11);
	assert_string_equal(ev->msg_type_name, "Direct_group datagram");
	assert_int_equal(ev->dgm_id, 0x8001);
	assert_int_equal(ev->source_port, 138);
	assert_string_equal(ev->src_name.name, "FILESRV");
	assert_string_equal(ev->dst_name.name, "LABNET");
	assert_int_equal(ev->dst_name.suffix, 0x1d);
	assert_int_equal(ev->dst_name.type, WS_NB_GROUP);
	assert_string_equal(ev->mailslot, "\\MAILSLOT\\BROWSE");
	assert_true(ev->to_subnet_broadcast);
	assert_true(ev->has_browser);
	assert_int_equal(ev->browser.command, 1);
	assert_string_equal(ev->browser.server, "FILESRV");
	assert_int_equal(ev->browser.os_major, 6);
	assert_int_equal(ev->browser.os_minor, 1);
	assert_int_equal(ev->browser.server_type, 0x00819a03);
	assert_int_equal(ev->browser.periodicity_ms, 720000);
	assert_string_equal(ev->browser.comment, "file server");
	assert_false(ev->truncated);
	assert_int_equal(r.anom_cnt, 0);
	cap_free(&r);
}

static void test_other_browser_messages(void **state)
{
	struct msg b;
	struct msg m;
	(void)state;

	build_announce(&b, 15, "FILESRV", 0x00049003, "");
	build_dgm(&m, &b);
	struct cap_result r = run_one(&m);
	assert_string_equal(r.info[0], "Local Master Announcement FILESRV, Workstation, Server, NT Workstation, "
				       "NT Server, Master Browser");
	assert_int_equal(r.nb[0].nb.browser.command, 15);
	cap_free(&r);

	build_announce(&b, 12, "LABNET", 0x80001000, "FILESRV");
	build_dgm(&m, &b);
	r = run_one(&m);
	assert_string_equal(r.info[0], "Domain/Workgroup Announcement LABNET, NT Workstation, Domain Enum");
	assert_string_equal(r.nb[0].nb.browser.server, "LABNET");
	assert_string_equal(r.nb[0].nb.browser.comment, "FILESRV");
	cap_free(&r);

	memset(&b, 0, sizeof(b));
	put8(&b, 8);
	put8(&b, 1);
	put32le(&b, 0x20011f04);
	put32le(&b, 1000);
	put32le(&b, 0);
	put_bytes(&b, "FILESRV", 8);
	build_dgm(&m, &b);
	r = run_one(&m);
	assert_string_equal(r.info[0], "Browser Election Request");
	assert_int_equal(r.nb[0].nb.browser.election_version, 1);
	assert_int_equal(r.nb[0].nb.browser.election_criteria, 0x20011f04);
	assert_string_equal(r.nb[0].nb.browser.server, "FILESRV");
	assert_false(r.nb[0].nb.truncated);
	cap_free(&r);
}

static void test_error_datagram(void **state)
{
	static const uint8_t err[11] = { 0x13, 0x02, 0x00, 0x01, 10, 77, 0, 10, 0x00, 0x8a, 0x82 };
	struct msg m;
	(void)state;

	memset(&m, 0, sizeof(m));
	put_bytes(&m, err, sizeof(err));
	struct cap_result r = run_one(&m);
	assert_int_equal(r.nb_cnt, 1);
	assert_string_equal(r.info[0], "Datagram error");
	assert_int_equal(r.nb[0].nb.error_code, 0x82);
	cap_free(&r);
}

static void test_truncations(void **state)
{
	struct msg b;
	struct msg m;
	uint8_t (*buf)[HARNESS_FRAME_MAX];
	const uint8_t *frames[HARNESS_PKTS_MAX];
	size_t lens[HARNESS_PKTS_MAX];
	(void)state;

	build_announce(&b, 1, "FILESRV", 0x00819a03, "file server");
	build_dgm(&m, &b);
	assert_true(m.len < HARNESS_PKTS_MAX);
	buf = calloc(m.len, HARNESS_FRAME_MAX);
	assert_non_null(buf);
	for (size_t cut = 1; cut < m.len; cut++) {
		frames[cut - 1] = buf[cut - 1];
		lens[cut - 1] = harness_udp_frame(buf[cut - 1], ip_src, ip_bcast, 138, 138, m.b, cut);
	}
	struct cap_result r = run_frames(frames, lens, m.len - 1);
	/* Cuts too short for the probe still reach the port's parser. */
	assert_int_equal(r.nb_cnt, m.len - 1);
	for (size_t i = 0; i < r.nb_cnt; i++)
		assert_true(r.nb[i].nb.truncated);
	cap_free(&r);

	frames[0] = buf[0];
	lens[0] = harness_udp_frame(buf[0], ip_src, ip_bcast, 138, 138, m.b, m.len);
	for (size_t cut = 43; cut < lens[0]; cut++) {
		r = run_frames_snap(frames, lens, 1, (uint32_t)cut);
		assert_int_equal(r.nb_cnt, 1);
		assert_true(r.nb[0].nb.truncated);
		cap_free(&r);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_announcement),
		cmocka_unit_test(test_other_browser_messages),
		cmocka_unit_test(test_error_datagram),
		cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
