/*
 * test_md5.c - MD5 (core/md5.c) against the test suite of RFC 1321 A.5, plus
 * incremental updates across block boundaries agreeing with one-shot digests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/md5.h"

static void test_rfc1321_suite(void **unused)
{
	/* RFC 1321 A.5. */
	static const char *const v[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char hex[WS_MD5_HEX_LEN];

	(void)unused;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ws_md5_hex(v[i][0], strlen(v[i][0]), hex);
		assert_string_equal(hex, v[i][1]);
	}
}

/* Lengths around the 55/56/64-byte padding edges, fed in pieces of every size. */
static void test_incremental(void **unused)
{
	uint8_t buf[200], one[WS_MD5_LEN], inc[WS_MD5_LEN];

	(void)unused;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	for (size_t n = 0; n <= sizeof(buf); n++) {
		ws_md5(buf, n, one);
		for (size_t piece = 1; piece <= 65; piece += 16) {
			struct ws_md5 m;

			ws_md5_init(&m);
			for (size_t o = 0; o < n; o += piece)
				ws_md5_update(&m, buf + o, n - o < piece ? n - o : piece);
			ws_md5_final(&m, inc);
			assert_memory_equal(one, inc, WS_MD5_LEN);
		}
	}
	/* 56 bytes needs a second padding block: a known value. */
	char hex[WS_MD5_HEX_LEN];
	ws_md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 56, hex);
	assert_string_equal(hex, "3b0c8ac703f828b04c6c197006d17218");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1321_suite),
		cmocka_unit_test(test_incremental),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
