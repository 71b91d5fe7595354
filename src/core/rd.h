/*
 * rd.h - the bounds-checked byte reader: the only road to packet and stream bytes.
 *
 * Invariants: cur <= end always; once err is set it stays set (sticky: the first
 * failure wins) and every later read returns 0 without moving. A read that does
 * not fit sets WS_RD_SHORT. Bounds are tested as "n > left", never by forming
 * cur + n past end. A length field taken from the wire becomes a sub-reader fence
 * (ws_rd_sub) at once, so a parser cannot read past the record it is in.
 *
 * WS_RD_SHORT on a stream means "wait for more bytes"; on a datagram or a
 * snaplen-cut packet it is a truncation. WS_RD_BAD: the bytes contradict the spec.
 * WS_RD_LIMIT: they pass one of our caps (core/limits.h).
 */
#ifndef WS_CORE_RD_H
#define WS_CORE_RD_H

#include <stddef.h>
#include <stdint.h>

#include "core/view.h"

enum ws_rd_err { WS_RD_OK, WS_RD_SHORT, WS_RD_BAD, WS_RD_LIMIT };

struct ws_rd {
	const uint8_t *cur;	/* next unread byte */
	const uint8_t *end;	/* one past the last byte held */
	size_t off;		/* bytes consumed since init, for messages */
	enum ws_rd_err err;	/* sticky: the first failure wins */
};

void ws_rd_init(struct ws_rd *r, const uint8_t *buf, size_t len);
static inline uint8_t ws_rd_u8(struct ws_rd *r);
static inline uint16_t ws_rd_be16(struct ws_rd *r);
static inline uint16_t ws_rd_le16(struct ws_rd *r);
uint32_t ws_rd_be24(struct ws_rd *r);
uint32_t ws_rd_le24(struct ws_rd *r);
static inline uint32_t ws_rd_be32(struct ws_rd *r);
static inline uint32_t ws_rd_le32(struct ws_rd *r);
uint64_t ws_rd_be64(struct ws_rd *r);
uint64_t ws_rd_le64(struct ws_rd *r);
/* Copies n bytes to dst; on a short read dst is zeroed and nothing moves. */
void ws_rd_copy(struct ws_rd *r, void *dst, size_t n);
static inline void ws_rd_skip(struct ws_rd *r, size_t n);
/* A child reader over the next n bytes; the parent moves past them. */
struct ws_rd ws_rd_sub(struct ws_rd *r, size_t n);
/* A view of the next n bytes (to copy, decode or print); the reader moves past them. */
struct ws_view ws_rd_view(struct ws_rd *r, size_t n);
/* All bytes left, as a view; the reader is then empty. */
struct ws_view ws_rd_rest(struct ws_rd *r);
/*
 * A text line ending in LF (a CR before it is dropped from the view).
 * Returns 1 and moves past the terminator when a whole line of at most max bytes
 * is held; 0 (no move, no error) when no LF is held yet and fewer than max bytes
 * are left; -1 with WS_RD_LIMIT when max bytes pass without an LF.
 */
int ws_rd_line(struct ws_rd *r, struct ws_view *line, size_t max);
/* Do the next n bytes equal lit? Does not advance; 0 when fewer are held. */
int ws_rd_match(const struct ws_rd *r, const void *lit, size_t n);
/* Same, ignoring ASCII case. */
int ws_rd_match_ci(const struct ws_rd *r, const void *lit, size_t n);
/* Look at byte i ahead without moving; 0 and no error if not held. */
static inline int ws_rd_peek(const struct ws_rd *r, size_t i);
/* The parser marks BAD or LIMIT (or SHORT); the first failure wins. */
void ws_rd_fail(struct ws_rd *r, enum ws_rd_err why);

static inline int ws_rd_ok(const struct ws_rd *r)
{
	return r->err == WS_RD_OK;
}

static inline size_t ws_rd_left(const struct ws_rd *r)
{
	return r->err ? 0 : (size_t)(r->end - r->cur);
}

/* The unread bytes, for a probe that scans; NULL-safe with ws_rd_left(). */
static inline const uint8_t *ws_rd_ptr(const struct ws_rd *r)
{
	return r->cur;
}

/*
 * The small fixed-size reads are inline: parsers call them per field and
 * some per byte, and an out-of-line call cost more than the read. Each one
 * tests "n > left" before touching a byte, as the contract says.
 */
static inline const uint8_t *ws_rd_take_(struct ws_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->err)
		return NULL;
	if (n > (size_t)(r->end - r->cur)) {
		r->err = WS_RD_SHORT;
		return NULL;
	}
	p = r->cur;
	r->cur += n;
	r->off += n;
	return p;
}

static inline uint8_t ws_rd_u8(struct ws_rd *r)
{
	const uint8_t *p = ws_rd_take_(r, 1);

	return p ? p[0] : 0;
}

static inline uint16_t ws_rd_be16(struct ws_rd *r)
{
	const uint8_t *p = ws_rd_take_(r, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint16_t ws_rd_le16(struct ws_rd *r)
{
	const uint8_t *p = ws_rd_take_(r, 2);

	return p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

static inline uint32_t ws_rd_be32(struct ws_rd *r)
{
	const uint8_t *p = ws_rd_take_(r, 4);

	if (!p)
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t ws_rd_le32(struct ws_rd *r)
{
	const uint8_t *p = ws_rd_take_(r, 4);

	if (!p)
		return 0;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline void ws_rd_skip(struct ws_rd *r, size_t n)
{
	(void)ws_rd_take_(r, n);
}

static inline int ws_rd_peek(const struct ws_rd *r, size_t i)
{
	if (i >= ws_rd_left(r))
		return 0;
	return r->cur[i];
}

#endif
