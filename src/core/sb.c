/*
 * sb.c - string builder with a ceiling (see sb.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sb.h"

static char empty[1];

void ws_sb_init(struct ws_sb *sb, size_t max)
{
	sb->buf = empty;
	sb->len = 0;
	sb->cap = 0;
	sb->max = max;
	sb->overflow = false;
}

void ws_sb_free(struct ws_sb *sb)
{
	if (sb->cap)
		free(sb->buf);
	ws_sb_init(sb, sb->max);
}

void ws_sb_reset(struct ws_sb *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
	sb->overflow = false;
}

static bool grow(struct ws_sb *sb, size_t add)
{
	size_t need;
	size_t ncap;
	char *nb;

	if (sb->overflow)
		return false;
	if (add > sb->max || sb->len + add + 1 > sb->max) {
		sb->overflow = true;
		return false;
	}
	need = sb->len + add + 1;
	if (need <= sb->cap)
		return true;
	ncap = sb->cap ? sb->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (ncap > sb->max)
		ncap = sb->max;
	nb = sb->cap ? realloc(sb->buf, ncap) : malloc(ncap);
	if (!nb) {
		sb->overflow = true;
		return false;
	}
	if (!sb->cap)
		nb[0] = '\0';
	sb->buf = nb;
	sb->cap = ncap;
	return true;
}

void ws_sb_addn_grow(struct ws_sb *sb, const char *s, size_t n)
{
	if (!grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void ws_sb_add(struct ws_sb *sb, const char *s)
{
	ws_sb_addn(sb, s, strlen(s));
}

void ws_sb_vaddf(struct ws_sb *sb, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof(small)) {
		ws_sb_addn(sb, small, (size_t)n);
	} else if (grow(sb, (size_t)n)) {
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap2);
		sb->len += (size_t)n;
	}
	va_end(ap2);
}

void ws_sb_addf(struct ws_sb *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ws_sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t want;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		want = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		want = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		want = 4;
	else
		return 0;
	if (want > n)
		return 0;
	for (size_t i = 1; i < want; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return want;
}

void ws_sb_json_strn(struct ws_sb *sb, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	ws_sb_addc(sb, '"');
	while (i < n) {
		unsigned char c = s[i];
		size_t run = i;

		/* Copy plain runs in one go: the hot path for ASCII text. */
		while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			ws_sb_addn(sb, str + i, run - i);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };

			ws_sb_addn(sb, esc, 2);
			i++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n': ws_sb_add(sb, "\\n"); break;
			case '\r': ws_sb_add(sb, "\\r"); break;
			case '\t': ws_sb_add(sb, "\\t"); break;
			default: ws_sb_addf(sb, "\\u%04x", c); break;
			}
			i++;
		} else {
			size_t l = utf8_len(s + i, n - i);

			if (l) {
				ws_sb_addn(sb, str + i, l);
				i += l;
			} else {
				ws_sb_addf(sb, "\\u%04x", c);
				i++;
			}
		}
	}
	ws_sb_addc(sb, '"');
}

void ws_sb_json_str(struct ws_sb *sb, const char *s)
{
	if (!s) {
		ws_sb_add(sb, "null");
		return;
	}
	ws_sb_json_strn(sb, s, strlen(s));
}
