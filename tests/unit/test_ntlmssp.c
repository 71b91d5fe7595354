/*
 * test_ntlmssp.c - ws_ntlmssp_find (src/proto/ntlmssp.c) on crafted bytes:
 * [MS-NLMP] NEGOTIATE / CHALLENGE / AUTHENTICATE raw and inside SPNEGO
 * NegTokenInit and NegTokenResp (RFC 4178), NTLMv1 vs v2, anonymous, OEM
 * strings, hostile descriptors, a DER walk that must not go past its
 * fences, and every truncation of each message (each prefix copied into a
 * buffer of exactly its size, so ASan sees any overread).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ntlmssp.h"
#include "ntlm_build.h"

static int find(const uint8_t *b, size_t n, struct ws_ntlmssp *out)
{
	struct ws_rd r;
	uint8_t *copy = malloc(n ? n : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, b, n);
	ws_rd_init(&r, copy, n);
	rc = ws_ntlmssp_find(&r, out);
	assert_ptr_equal(r.cur, copy);	/* the caller's reader does not move */
	free(copy);
	return rc;
}

static void test_negotiate_raw(void **state)
{
	uint8_t m[64];
	struct ws_ntlmssp n;
	size_t len = nb_negotiate(m);

	(void)state;
	assert_int_equal(find(m, len, &n), 0);
	assert_int_equal(n.type, 1);
	assert_int_equal(n.flags, 0xe2088297u);
	assert_int_equal(n.version_major, 10);
	assert_int_equal(n.version_build, 19041);
	assert_false(n.truncated);
}

static void test_challenge_av_pairs(void **state)
{
	uint8_t m[512], w[1024];
	struct ws_ntlmssp n;
	size_t len = nb_challenge(m);
	size_t wl = nb_spnego_resp(w, m, len);

	(void)state;
	assert_int_equal(find(w, wl, &n), 0);
	assert_int_equal(n.type, 2);
	assert_string_equal(n.target_name, "LABNET");
	assert_string_equal(n.nb_domain, "LABNET");
	assert_string_equal(n.nb_computer, "SRV1");
	assert_string_equal(n.dns_domain, "labnet.local");
	assert_string_equal(n.dns_computer, "srv1.labnet.local");
	assert_int_equal(n.version_major, 6);
	assert_int_equal(n.version_minor, 1);
	assert_int_equal(n.version_build, 7601);
	assert_false(n.truncated);
}

static void test_auth_v2_in_spnego_resp(void **state)
{
	uint8_t m[1024], w[2048];
	struct ws_ntlmssp n;
	size_t len = nb_authenticate(m, "LABNET", "alice", "WS01", 24, 120, 1);
	size_t wl = nb_spnego_resp(w, m, len);

	(void)state;
	assert_int_equal(find(w, wl, &n), 0);
	assert_int_equal(n.type, 3);
	assert_string_equal(n.user, "alice");
	assert_string_equal(n.domain, "LABNET");
	assert_string_equal(n.host, "WS01");
	assert_int_equal(n.nt_len, 120);
	assert_int_equal(n.lm_len, 24);
	assert_int_equal(n.ntlm_version, 2);
	assert_false(n.anonymous);
	assert_false(n.truncated);
}

static void test_auth_v1_in_spnego_init(void **state)
{
	uint8_t m[1024], w[2048];
	struct ws_ntlmssp n;
	size_t len = nb_authenticate(m, "DOM", "bob", "PC", 24, 24, 1);
	size_t wl = nb_spnego_init(w, m, len);

	(void)state;
	assert_int_equal(find(w, wl, &n), 0);
	assert_int_equal(n.type, 3);
	assert_string_equal(n.user, "bob");
	assert_int_equal(n.ntlm_version, 1);
}

static void test_auth_oem_strings(void **state)
{
	uint8_t m[1024];
	struct ws_ntlmssp n;
	size_t len = nb_authenticate(m, "DOM", "carol", "PC", 24, 24, 0);

	(void)state;
	assert_int_equal(find(m, len, &n), 0);
	assert_string_equal(n.user, "carol");
	assert_string_equal(n.domain, "DOM");
}

static void test_anonymous(void **state)
{
	uint8_t m[1024];
	struct ws_ntlmssp n;
	size_t len;

	(void)state;
	len = nb_authenticate(m, "", "", "WS01", 1, 0, 1);
	assert_int_equal(find(m, len, &n), 0);
	assert_true(n.anonymous);
	assert_int_equal(n.ntlm_version, 0);
	len = nb_authenticate(m, "", "", "", 0, 0, 1);
	assert_int_equal(find(m, len, &n), 0);
	assert_true(n.anonymous);
	/* a user name makes it not anonymous, even without responses */
	len = nb_authenticate(m, "", "guest", "", 0, 0, 1);
	assert_int_equal(find(m, len, &n), 0);
	assert_false(n.anonymous);
}

static void test_hostile_descriptors(void **state)
{
	uint8_t m[1024];
	struct ws_ntlmssp n;
	size_t len = nb_authenticate(m, "LABNET", "alice", "WS01", 24, 120, 1);

	(void)state;
	/* UserName offset far past the end */
	nb_le32(m + 36 + 4, 0xfffffff0u);
	assert_int_equal(find(m, len, &n), 0);
	assert_true(n.truncated);
	assert_string_equal(n.user, "");
	assert_string_equal(n.domain, "LABNET");
	/* length that would wrap when added to the offset */
	len = nb_authenticate(m, "LABNET", "alice", "WS01", 24, 120, 1);
	nb_le16(m + 28, 0xffff);
	assert_int_equal(find(m, len, &n), 0);
	assert_true(n.truncated);
	assert_string_equal(n.domain, "");
	assert_string_equal(n.user, "alice");
	/* TargetInfo with an AV pair longer than the list */
	len = nb_challenge(m);
	nb_le16(m + 56 + 12 + 2, 0x7fff);	/* first AvLen, after the TargetName "LABNET" */
	assert_int_equal(find(m, len, &n), 0);
	assert_true(n.truncated);
}

static void test_not_ntlmssp(void **state)
{
	static const uint8_t junk[] = "hello world, no signature here";
	/* a krb5-ish blob: GSS 0x60 with the krb5 OID and no NTLMSSP */
	static const uint8_t krb[] = { 0x60, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01,
				       0x02, 0x02, 0x01, 0x00, 0x6e, 0x00 };
	/* indefinite length and an over-long length: the DER walk stops */
	static const uint8_t bad_der[] = { 0x60, 0x80, 0xa0, 0x84, 0xff, 0xff, 0xff, 0xff, 0x04 };
	struct ws_ntlmssp n;

	(void)state;
	assert_int_equal(find(junk, sizeof(junk), &n), -1);
	assert_int_equal(n.type, 0);
	assert_int_equal(find(krb, sizeof(krb), &n), -1);
	assert_int_equal(find(bad_der, sizeof(bad_der), &n), -1);
	assert_int_equal(find(junk, 0, &n), -1);
}

/* Deep nesting: 20 levels of constructed [0] with exact lengths; the walk stops
 * at its depth cap and the fallback search still finds the message. */
static void test_deep_nesting(void **state)
{
	uint8_t a[512], b[512];
	uint8_t m[64];
	size_t ml = nb_negotiate(m);
	size_t n;
	struct ws_ntlmssp out;

	(void)state;
	n = nb_tlv(a, 0x04, m, ml);
	for (size_t i = 0; i < 20; i++) {
		n = nb_tlv(b, 0xa0, a, n);
		memcpy(a, b, n);
	}
	assert_true(n < sizeof(a));
	assert_int_equal(find(a, n, &out), 0);
	assert_int_equal(out.type, 1);
}

/* Every prefix of every message, raw and wrapped: never crash, never read past. */
static void test_every_truncation(void **state)
{
	uint8_t msgs[4][2048];
	size_t lens[4];
	uint8_t tmp[1024];

	(void)state;
	lens[0] = nb_negotiate(msgs[0]);
	lens[1] = nb_challenge(msgs[1]);
	lens[2] = nb_authenticate(msgs[2], "LABNET", "alice", "WS01", 24, 120, 1);
	size_t al = nb_authenticate(tmp, "LABNET", "alice", "WS01", 24, 120, 1);
	lens[3] = nb_spnego_init(msgs[3], tmp, al);
	for (size_t k = 0; k < 4; k++) {
		for (size_t n = 0; n <= lens[k]; n++) {
			struct ws_ntlmssp out;
			int rc = find(msgs[k], n, &out);

			if (n == lens[k]) {
				assert_int_equal(rc, 0);
				assert_false(out.truncated);
			}
			if (k == 2 && rc == 0 && n < lens[k])
				assert_true(out.truncated || out.type == 3);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate_raw),
		cmocka_unit_test(test_challenge_av_pairs),
		cmocka_unit_test(test_auth_v2_in_spnego_resp),
		cmocka_unit_test(test_auth_v1_in_spnego_init),
		cmocka_unit_test(test_auth_oem_strings),
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_hostile_descriptors),
		cmocka_unit_test(test_not_ntlmssp),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_every_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
