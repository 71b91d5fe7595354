/*
 * json_check.h - a strict JSON recogniser (RFC 8259) for the output tests:
 * json_line_ok() says whether one NDJSON line is exactly one valid JSON
 * object followed by a newline, so the tests need no jq. Header-only.
 */
#ifndef WS_TESTS_JSON_CHECK_H
#define WS_TESTS_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* ---- a JSON recogniser (RFC 8259) ---- */

struct jp {
	const unsigned char *s;
	size_t i, n;
	int depth;
};

__attribute__((unused)) static int j_value(struct jp *p);

__attribute__((unused)) static void j_ws(struct jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

__attribute__((unused)) static int j_lit(struct jp *p, const char *lit)
{
	size_t l = strlen(lit);

	if (p->n - p->i < l || memcmp(p->s + p->i, lit, l) != 0)
		return 0;
	p->i += l;
	return 1;
}

__attribute__((unused)) static int j_utf8(struct jp *p)
{
	unsigned char c = p->s[p->i];
	size_t want;

	if (c >= 0xc2 && c <= 0xdf)
		want = 1;
	else if ((c & 0xf0) == 0xe0)
		want = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		want = 3;
	else
		return 0;
	if (p->n - p->i - 1 < want)
		return 0;
	for (size_t k = 1; k <= want; k++)
		if ((p->s[p->i + k] & 0xc0) != 0x80)
			return 0;
	p->i += want + 1;
	return 1;
}

__attribute__((unused)) static int j_string(struct jp *p)
{
	if (p->i >= p->n || p->s[p->i] != '"')
		return 0;
	p->i++;
	while (p->i < p->n) {
		unsigned char c = p->s[p->i];

		if (c == '"') {
			p->i++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			p->i++;
			if (p->i >= p->n)
				return 0;
			c = p->s[p->i];
			if (c == 'u') {
				for (int k = 1; k <= 4; k++)
					if (p->i + (size_t)k >= p->n || !strchr("0123456789abcdefABCDEF", p->s[p->i + (size_t)k]) ||
					    p->s[p->i + (size_t)k] == 0)
						return 0;
				p->i += 5;
			} else if (strchr("\"\\/bfnrt", c) && c) {
				p->i++;
			} else {
				return 0;
			}
		} else if (c >= 0x80) {
			if (!j_utf8(p))
				return 0;
		} else {
			p->i++;
		}
	}
	return 0;
}

__attribute__((unused)) static int j_number(struct jp *p)
{
	size_t st = p->i;

	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0') {
		p->i++;
	} else {
		if (p->i >= p->n || p->s[p->i] < '1' || p->s[p->i] > '9')
			return 0;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	}
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
			return 0;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	}
	return p->i > st;
}

__attribute__((unused)) static int j_container(struct jp *p, char open, char close, int obj)
{
	if (++p->depth > 64)
		return 0;
	p->i++;		/* open */
	j_ws(p);
	if (p->i < p->n && p->s[p->i] == (unsigned char)close) {
		p->i++;
		p->depth--;
		return 1;
	}
	for (;;) {
		j_ws(p);
		if (obj) {
			if (!j_string(p))
				return 0;
			j_ws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				return 0;
			p->i++;
		}
		if (!j_value(p))
			return 0;
		j_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == (unsigned char)close) {
			p->i++;
			p->depth--;
			return 1;
		}
		return 0;
	}
	(void)open;
}

__attribute__((unused)) static int j_value(struct jp *p)
{
	j_ws(p);
	if (p->i >= p->n)
		return 0;
	switch (p->s[p->i]) {
	case '{': return j_container(p, '{', '}', 1);
	case '[': return j_container(p, '[', ']', 0);
	case '"': return j_string(p);
	case 't': return j_lit(p, "true");
	case 'f': return j_lit(p, "false");
	case 'n': return j_lit(p, "null");
	default: return j_number(p);
	}
}

/* One JSON object then exactly one LF and nothing else. */
__attribute__((unused)) static int json_line_ok(const char *s, size_t n)
{
	struct jp p = { (const unsigned char *)s, 0, n, 0 };

	if (n < 3 || s[n - 1] != '\n' || s[0] != '{')
		return 0;
	if (memchr(s, '\n', n - 1))
		return 0;
	p.n = n - 1;
	if (!j_value(&p))
		return 0;
	return p.i == p.n;
}

__attribute__((unused)) static int json_str_ok(const char *s)
{
	return json_line_ok(s, strlen(s));
}

#endif
