/*
 * sb.h - a growable string builder with a hard ceiling (curl's dynbuf idea).
 *
 * Invariants: buf is never NULL after ws_sb_init (it points at a static ""
 * until the first append); len < cap unless cap is 0; the text is always
 * NUL-terminated. An append that would pass max sets overflow and appends
 * nothing more. Used by outputs to build lines; parsers use fixed fields.
 */
#ifndef WS_CORE_SB_H
#define WS_CORE_SB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ws_sb {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;		/* ceiling, bytes */
	bool overflow;
};

void ws_sb_init(struct ws_sb *sb, size_t max);
void ws_sb_free(struct ws_sb *sb);
void ws_sb_reset(struct ws_sb *sb);
void ws_sb_add(struct ws_sb *sb, const char *s);
/* The slow path of ws_sb_addn: grows the buffer (or marks overflow) first. */
void ws_sb_addn_grow(struct ws_sb *sb, const char *s, size_t n);
void ws_sb_addf(struct ws_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ws_sb_vaddf(struct ws_sb *sb, const char *fmt, va_list ap);
/* Appends n bytes; inline because outputs call it per token. */
static inline void ws_sb_addn(struct ws_sb *sb, const char *s, size_t n)
{
	if (!sb->overflow && n < sb->cap - sb->len && sb->cap) {
		memcpy(sb->buf + sb->len, s, n);
		sb->len += n;
		sb->buf[sb->len] = '\0';
		return;
	}
	ws_sb_addn_grow(sb, s, n);
}

static inline void ws_sb_addc(struct ws_sb *sb, char c)
{
	ws_sb_addn(sb, &c, 1);
}

/* A decimal number, without printf (outputs write many). */
static inline void ws_sb_addu(struct ws_sb *sb, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ws_sb_addn(sb, tmp + i, sizeof(tmp) - i);
}

/* A JSON string literal, quotes included; invalid UTF-8 bytes become \u00XX. */
void ws_sb_json_str(struct ws_sb *sb, const char *s);
void ws_sb_json_strn(struct ws_sb *sb, const char *s, size_t n);

#endif
