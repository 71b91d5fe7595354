/*
 * test_rd.c - the byte reader, views and string builder: bounds, sticky
 * errors, fences, lines, escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/addr.h"
#include "core/rd.h"
#include "core/sb.h"
#include "core/timefmt.h"
#include "core/view.h"

static void test_ints(void **state)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	struct ws_rd r;

	(void)state;
	ws_rd_init(&r, b, sizeof(b));
	assert_int_equal(ws_rd_u8(&r), 1);
	assert_int_equal(ws_rd_be16(&r), 0x0203);
	assert_int_equal(ws_rd_le16(&r), 0x0504);
	assert_int_equal(ws_rd_be24(&r), 0x060708);
	assert_int_equal(ws_rd_le32(&r), 0x0c0b0a09);
	assert_true(ws_rd_be64(&r) == 0x0d0e0f1011121314ull);
	assert_int_equal(ws_rd_left(&r), 0);
	assert_true(ws_rd_ok(&r));
	assert_int_equal(r.off, sizeof(b));
}

static void test_short_is_sticky(void **state)
{
	static const uint8_t b[] = { 0xaa, 0xbb, 0xcc };
	struct ws_rd r;

	(void)state;
	ws_rd_init(&r, b, sizeof(b));
	assert_int_equal(ws_rd_be32(&r), 0);
	assert_int_equal(r.err, WS_RD_SHORT);
	/* Nothing moved, and later reads that would fit still return 0. */
	assert_ptr_equal(r.cur, b);
	assert_int_equal(ws_rd_u8(&r), 0);
	assert_int_equal(ws_rd_left(&r), 0);
	ws_rd_fail(&r, WS_RD_BAD);
	assert_int_equal(r.err, WS_RD_SHORT);	/* first failure wins */
}

static void test_huge_skip_no_overflow(void **state)
{
	static const uint8_t b[4];
	struct ws_rd r;

	(void)state;
	ws_rd_init(&r, b, sizeof(b));
	ws_rd_skip(&r, SIZE_MAX);
	assert_int_equal(r.err, WS_RD_SHORT);
	ws_rd_init(&r, b, sizeof(b));
	ws_rd_u8(&r);
	(void)ws_rd_view(&r, SIZE_MAX - 1);
	assert_int_equal(r.err, WS_RD_SHORT);
}

static void test_sub_fence(void **state)
{
	static const uint8_t b[] = { 0, 3, 'a', 'b', 'c', 'X' };
	struct ws_rd r, sub;
	uint16_t len;

	(void)state;
	ws_rd_init(&r, b, sizeof(b));
	len = ws_rd_be16(&r);
	sub = ws_rd_sub(&r, len);
	assert_int_equal(ws_rd_left(&sub), 3);
	assert_int_equal(ws_rd_u8(&r), 'X');
	ws_rd_skip(&sub, 3);
	assert_int_equal(ws_rd_u8(&sub), 0);	/* the fence holds: X is not reachable */
	assert_int_equal(sub.err, WS_RD_SHORT);
	assert_true(ws_rd_ok(&r));

	/* A length past the end: the child is empty and short, the parent short. */
	ws_rd_init(&r, b, sizeof(b));
	sub = ws_rd_sub(&r, 100);
	assert_int_equal(sub.err, WS_RD_SHORT);
	assert_int_equal(r.err, WS_RD_SHORT);
}

static void test_lines(void **state)
{
	static const char t[] = "USER bob\r\nPASS x\nNOEOL";
	struct ws_rd r;
	struct ws_view v;

	(void)state;
	ws_rd_init(&r, (const uint8_t *)t, strlen(t));
	assert_int_equal(ws_rd_line(&r, &v, 100), 1);
	assert_true(ws_view_eq(v, "USER bob"));
	assert_int_equal(ws_rd_line(&r, &v, 100), 1);
	assert_true(ws_view_eq(v, "PASS x"));
	assert_int_equal(ws_rd_line(&r, &v, 100), 0);	/* wait for more */
	assert_int_equal(ws_rd_left(&r), 5);
	assert_int_equal(ws_rd_line(&r, &v, 4), -1);	/* too long without LF */
	assert_int_equal(r.err, WS_RD_LIMIT);
}

static void test_match(void **state)
{
	static const char t[] = "SSH-2.0-x";
	struct ws_rd r;

	(void)state;
	ws_rd_init(&r, (const uint8_t *)t, strlen(t));
	assert_true(ws_rd_match(&r, "SSH-", 4));
	assert_true(ws_rd_match_ci(&r, "ssh-2", 5));
	assert_false(ws_rd_match(&r, "SSH-2.0-xyz", 11));
	assert_int_equal(ws_rd_peek(&r, 3), '-');
	assert_int_equal(ws_rd_peek(&r, 100), 0);
	assert_int_equal(ws_rd_left(&r), strlen(t));
}

static void test_view_escape(void **state)
{
	static const uint8_t b[] = { 'a', 0x00, '\\', 0xff, 'z' };
	struct ws_view v = { b, sizeof(b) };
	char out[64];
	char tiny[4];

	(void)state;
	assert_int_equal(ws_view_cstr(v, out, sizeof(out)), 1);
	assert_string_equal(out, "a\\x00\\\\\\xffz");
	assert_int_equal(ws_view_cstr(v, tiny, sizeof(tiny)), 0);
	assert_string_equal(tiny, "a");
}

static void test_utf16(void **state)
{
	/* "select" in UTF-16LE, as MS-SQL sends it (R5), then U+00E9 and a lone surrogate. */
	static const uint8_t b[] = { 's', 0, 'e', 0, 'l', 0, 'e', 0, 'c', 0, 't', 0, 0xe9, 0, 0x00, 0xd8 };
	struct ws_view v = { b, sizeof(b) };
	char out[64];

	(void)state;
	assert_int_equal(ws_view_utf16le(v, out, sizeof(out)), 1);
	assert_string_equal(out, "select\xc3\xa9\xef\xbf\xbd");
}

static void test_sb_json(void **state)
{
	struct ws_sb sb;

	(void)state;
	ws_sb_init(&sb, 1024);
	ws_sb_json_str(&sb, "a\"b\\c\n\x01\xff\xc3\xa9");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\\u00ff\xc3\xa9\"");
	ws_sb_reset(&sb);
	ws_sb_addf(&sb, "%d-%s", 42, "x");
	assert_string_equal(sb.buf, "42-x");
	ws_sb_free(&sb);

	ws_sb_init(&sb, 8);
	ws_sb_add(&sb, "12345");
	ws_sb_add(&sb, "6789");	/* would pass the ceiling */
	assert_true(sb.overflow);
	assert_string_equal(sb.buf, "12345");
	ws_sb_free(&sb);
}

static void test_addr(void **state)
{
	struct ws_addr a;
	char buf[WS_ADDR_STRLEN];

	(void)state;
	assert_int_equal(ws_addr_parse(&a, "192.168.1.5"), 0);
	assert_true(ws_addr_is_private(&a));
	assert_false(ws_addr_is_public(&a));
	assert_string_equal(ws_addr_fmt(&a, buf), "192.168.1.5");
	assert_int_equal(ws_addr_parse(&a, "194.144.45.46"), 0);
	assert_true(ws_addr_is_public(&a));
	assert_int_equal(ws_addr_parse(&a, "10.0.0.255"), 0);
	assert_true(ws_addr_is_subnet_broadcast(&a));
	assert_false(ws_addr_is_public(&a));
	assert_int_equal(ws_addr_parse(&a, "172.31.0.1"), 0);
	assert_true(ws_addr_is_private(&a));
	assert_int_equal(ws_addr_parse(&a, "172.32.0.1"), 0);
	assert_false(ws_addr_is_private(&a));
	assert_int_equal(ws_addr_parse(&a, "fe80::1"), 0);
	assert_true(ws_addr_is_private(&a));
	assert_int_equal(ws_addr_parse(&a, "2001:db8::1"), 0);
	assert_true(ws_addr_is_public(&a));
	assert_string_equal(ws_addr_fmt(&a, buf), "2001:db8::1");
	assert_int_equal(ws_addr_parse(&a, "ff02::1"), 0);
	assert_false(ws_addr_is_public(&a));
	assert_int_equal(ws_addr_parse(&a, "nonsense"), -1);
}

static void test_time(void **state)
{
	char buf[WS_TIME_STRLEN];

	(void)state;
	assert_string_equal(ws_time_rfc3339(1258544215123456789LL, buf), "2009-11-18T11:36:55.123456Z");
	assert_string_equal(ws_time_rfc3339(0, buf), "1970-01-01T00:00:00.000000Z");
	assert_string_equal(ws_time_rfc3339(-1, buf), "1969-12-31T23:59:59.999999Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_short_is_sticky),
		cmocka_unit_test(test_huge_skip_no_overflow),
		cmocka_unit_test(test_sub_fence),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_view_escape),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_sb_json),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
