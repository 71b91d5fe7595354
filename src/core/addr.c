/*
 * addr.c - address formatting and classification (RFC 1918, RFC 4193, RFC 6598).
 */
#include <arpa/inet.h>
#include <string.h>

#include "core/addr.h"

void ws_addr_set4(struct ws_addr *a, const uint8_t b[4])
{
	memset(a, 0, sizeof(*a));
	a->v = 4;
	memcpy(a->b, b, 4);
}

void ws_addr_set6(struct ws_addr *a, const uint8_t b[16])
{
	memset(a, 0, sizeof(*a));
	a->v = 6;
	memcpy(a->b, b, 16);
}

int ws_addr_parse(struct ws_addr *a, const char *s)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		ws_addr_set4(a, b);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		ws_addr_set6(a, b);
		return 0;
	}
	return -1;
}

const char *ws_addr_fmt(const struct ws_addr *a, char buf[WS_ADDR_STRLEN])
{
	if (a->v == 4) {
		/* By hand: inet_ntop formats IPv4 through sprintf, a hot spot in NDJSON. */
		char *o = buf;

		for (int i = 0; i < 4; i++) {
			unsigned v = a->b[i];

			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
			*o++ = i < 3 ? '.' : '\0';
		}
	} else if (a->v == 6)
		inet_ntop(AF_INET6, a->b, buf, WS_ADDR_STRLEN);
	else
		strcpy(buf, "-");
	return buf;
}

int ws_addr_cmp(const struct ws_addr *x, const struct ws_addr *y)
{
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return memcmp(x->b, y->b, 16);
}

bool ws_addr_eq(const struct ws_addr *x, const struct ws_addr *y)
{
	return x->v == y->v && memcmp(x->b, y->b, x->v == 4 ? 4 : 16) == 0;
}

uint32_t ws_addr_hash(const struct ws_addr *a, uint32_t seed)
{
	/* FNV-1a over the significant bytes. */
	uint32_t h = 2166136261u ^ seed;
	int n = a->v == 4 ? 4 : 16;

	for (int i = 0; i < n; i++) {
		h ^= a->b[i];
		h *= 16777619u;
	}
	return h;
}

bool ws_addr_is_private(const struct ws_addr *a)
{
	const uint8_t *b = a->b;

	if (a->v == 4) {
		return b[0] == 10 || b[0] == 127 ||
		       (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		       (b[0] == 192 && b[1] == 168) ||
		       (b[0] == 169 && b[1] == 254) ||
		       (b[0] == 100 && (b[1] & 0xc0) == 64);
	}
	if (a->v == 6) {
		static const uint8_t loop[16] = { [15] = 1 };

		return (b[0] & 0xfe) == 0xfc ||			/* fc00::/7 ULA */
		       (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||	/* fe80::/10 */
		       memcmp(b, loop, 16) == 0;
	}
	return false;
}

bool ws_addr_is_subnet_broadcast(const struct ws_addr *a)
{
	return a->v == 4 && a->b[3] == 255;
}

bool ws_addr_is_multicast_or_broadcast(const struct ws_addr *a)
{
	static const uint8_t zero[16];

	if (a->v == 4)
		return (a->b[0] & 0xf0) == 0xe0 || a->b[3] == 255 ||
		       memcmp(a->b, zero, 4) == 0;
	if (a->v == 6)
		return a->b[0] == 0xff || memcmp(a->b, zero, 16) == 0;
	return false;
}

bool ws_addr_is_public(const struct ws_addr *a)
{
	if (a->v != 4 && a->v != 6)
		return false;
	if (ws_addr_is_private(a) || ws_addr_is_multicast_or_broadcast(a))
		return false;
	if (a->v == 4 && (a->b[0] == 0 || a->b[0] >= 240))
		return false;
	return true;
}
