/*
 * view.c - bounded copies and decoding of borrowed bytes (see view.h).
 */
#include <string.h>

#include "core/view.h"

static bool printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

int ws_view_cstr(struct ws_view v, char *dst, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (cap == 0)
		return v.len == 0;
	for (size_t i = 0; i < v.len; i++) {
		uint8_t c = v.p[i];
		size_t need = printable(c) && c != '\\' ? 1 : (c == '\\' ? 2 : 4);

		if (o + need >= cap) {
			dst[o] = '\0';
			return 0;
		}
		if (c == '\\') {
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else if (printable(c)) {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = '\0';
	return 1;
}

static size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int ws_view_utf16le(struct ws_view v, char *dst, size_t cap)
{
	size_t o = 0;
	size_t i = 0;

	if (cap == 0)
		return v.len == 0;
	while (i + 1 < v.len) {
		uint32_t cp = (uint32_t)v.p[i] | (uint32_t)v.p[i + 1] << 8;
		char tmp[4];
		size_t n;

		i += 2;
		if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < v.len) {
			uint32_t lo = (uint32_t)v.p[i] | (uint32_t)v.p[i + 1] << 8;

			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else {
				cp = 0xfffd;
			}
		} else if (cp >= 0xd800 && cp < 0xe000) {
			cp = 0xfffd;
		}
		if (cp == 0)
			break;
		n = utf8_put(tmp, cp);
		if (o + n >= cap) {
			dst[o] = '\0';
			return 0;
		}
		memcpy(dst + o, tmp, n);
		o += n;
	}
	dst[o] = '\0';
	return 1;
}

bool ws_view_eq(struct ws_view v, const char *s)
{
	size_t n = strlen(s);

	return v.len == n && (n == 0 || memcmp(v.p, s, n) == 0);
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

bool ws_view_prefix_ci(struct ws_view v, const char *s)
{
	size_t n = strlen(s);

	if (v.len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(v.p[i]) != lower((uint8_t)s[i]))
			return false;
	return true;
}

bool ws_view_eq_ci(struct ws_view v, const char *s)
{
	return v.len == strlen(s) && ws_view_prefix_ci(v, s);
}

bool ws_view_printable(struct ws_view v)
{
	for (size_t i = 0; i < v.len; i++)
		if (!printable(v.p[i]) && v.p[i] != '\t')
			return false;
	return true;
}
