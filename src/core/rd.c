/*
 * rd.c - the bounds-checked byte reader (see rd.h for the contract).
 */
#include <string.h>

#include "core/rd.h"

void ws_rd_init(struct ws_rd *r, const uint8_t *buf, size_t len)
{
	r->cur = buf;
	r->end = buf ? buf + len : buf;
	r->off = 0;
	r->err = WS_RD_OK;
}

void ws_rd_fail(struct ws_rd *r, enum ws_rd_err why)
{
	if (r->err == WS_RD_OK)
		r->err = why;
}

/* Reserve n bytes: the pointer to them, or NULL with SHORT set. */
static const uint8_t *take(struct ws_rd *r, size_t n)
{
	return ws_rd_take_(r, n);
}

uint32_t ws_rd_be24(struct ws_rd *r)
{
	const uint8_t *p = take(r, 3);

	return p ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : 0;
}

uint32_t ws_rd_le24(struct ws_rd *r)
{
	const uint8_t *p = take(r, 3);

	return p ? (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0] : 0;
}

uint64_t ws_rd_be64(struct ws_rd *r)
{
	uint64_t hi = ws_rd_be32(r);
	uint64_t lo = ws_rd_be32(r);

	return r->err ? 0 : hi << 32 | lo;
}

uint64_t ws_rd_le64(struct ws_rd *r)
{
	uint64_t lo = ws_rd_le32(r);
	uint64_t hi = ws_rd_le32(r);

	return r->err ? 0 : hi << 32 | lo;
}

void ws_rd_copy(struct ws_rd *r, void *dst, size_t n)
{
	const uint8_t *p = take(r, n);

	if (p)
		memcpy(dst, p, n);
	else if (n)
		memset(dst, 0, n);
}

struct ws_rd ws_rd_sub(struct ws_rd *r, size_t n)
{
	struct ws_rd sub;
	const uint8_t *p = take(r, n);

	ws_rd_init(&sub, p, p ? n : 0);
	if (!p)
		sub.err = r->err;
	return sub;
}

struct ws_view ws_rd_view(struct ws_rd *r, size_t n)
{
	struct ws_view v = { NULL, 0 };
	const uint8_t *p = take(r, n);

	if (p) {
		v.p = p;
		v.len = n;
	}
	return v;
}

struct ws_view ws_rd_rest(struct ws_rd *r)
{
	return ws_rd_view(r, ws_rd_left(r));
}

int ws_rd_line(struct ws_rd *r, struct ws_view *line, size_t max)
{
	size_t left = ws_rd_left(r);
	size_t scan = left < max ? left : max;
	const uint8_t *lf;
	size_t n;

	line->p = NULL;
	line->len = 0;
	if (r->err)
		return r->err == WS_RD_SHORT ? 0 : -1;
	lf = scan ? memchr(r->cur, '\n', scan) : NULL;
	if (!lf) {
		if (left >= max) {
			ws_rd_fail(r, WS_RD_LIMIT);
			return -1;
		}
		return 0;
	}
	n = (size_t)(lf - r->cur);
	line->p = r->cur;
	line->len = n > 0 && r->cur[n - 1] == '\r' ? n - 1 : n;
	(void)take(r, n + 1);
	return 1;
}

int ws_rd_match(const struct ws_rd *r, const void *lit, size_t n)
{
	if (n > ws_rd_left(r))
		return 0;
	return memcmp(r->cur, lit, n) == 0;
}

int ws_rd_match_ci(const struct ws_rd *r, const void *lit, size_t n)
{
	const uint8_t *l = lit;

	if (n > ws_rd_left(r))
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t a = r->cur[i], b = l[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b)
			return 0;
	}
	return 1;
}

