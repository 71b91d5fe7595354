/*
 * md5.c - the MD5 message digest.
 *
 * Spec: RFC 1321. 3.1 padding (a 1 bit, zeros to 448 mod 512), 3.2 the
 * 64-bit little-endian bit length, 3.3 the initial words, 3.4 four rounds of
 * sixteen steps over each 512-bit block with the auxiliary functions F G H I
 * and the table T[i] = floor(2^32 * abs(sin(i))), 3.5 the digest A B C D
 * little-endian. Words are little-endian throughout.
 */
#include "core/md5.h"

#include <string.h>

/* RFC 1321 3.4: T[1..64], the integer part of 4294967296 * abs(sin(i)). */
static const uint32_t md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* RFC 1321 3.4: the left-rotation amounts, four per round. */
static const uint8_t md5_s[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t md5_rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32u - n));
}

static uint32_t md5_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One 512-bit block (RFC 1321 3.4). */
static void md5_block(uint32_t st[4], const uint8_t blk[64])
{
	uint32_t x[16];
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3];

	for (unsigned i = 0; i < 16; i++)
		x[i] = md5_le32(blk + 4 * i);
	for (unsigned i = 0; i < 64; i++) {
		unsigned round = i / 16;
		uint32_t f;
		unsigned k;

		if (round == 0) {
			f = (b & c) | (~b & d);		/* F */
			k = i;
		} else if (round == 1) {
			f = (b & d) | (c & ~d);		/* G */
			k = (1 + 5 * i) % 16;
		} else if (round == 2) {
			f = b ^ c ^ d;			/* H */
			k = (5 + 3 * i) % 16;
		} else {
			f = c ^ (b | ~d);		/* I */
			k = (7 * i) % 16;
		}
		uint32_t sum = a + f + x[k] + md5_t[i];
		a = d;
		d = c;
		c = b;
		b = b + md5_rotl(sum, md5_s[round][i % 4]);
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void ws_md5_init(struct ws_md5 *m)
{
	memset(m, 0, sizeof(*m));
	/* RFC 1321 3.3: word A 01 23 45 67, B 89 ab cd ef, ... (low byte first). */
	m->state[0] = 0x67452301;
	m->state[1] = 0xefcdab89;
	m->state[2] = 0x98badcfe;
	m->state[3] = 0x10325476;
}

void ws_md5_update(struct ws_md5 *m, const void *data, size_t n)
{
	const uint8_t *p = data;

	m->len += n;
	while (n > 0) {
		size_t take = 64 - m->held;

		if (take > n)
			take = n;
		memcpy(m->block + m->held, p, take);
		m->held += take;
		p += take;
		n -= take;
		if (m->held == 64) {
			md5_block(m->state, m->block);
			m->held = 0;
		}
	}
}

void ws_md5_final(struct ws_md5 *m, uint8_t out[WS_MD5_LEN])
{
	uint64_t bits = m->len * 8u;
	uint8_t pad[72];
	size_t padn = (m->held < 56 ? 56 : 120) - m->held;

	/* RFC 1321 3.1-3.2: 0x80, zeros to 56 mod 64, then the bit count. */
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (unsigned i = 0; i < 8; i++)
		pad[padn + i] = (uint8_t)(bits >> (8 * i));
	ws_md5_update(m, pad, padn + 8);
	for (unsigned i = 0; i < 4; i++)
		for (unsigned j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(m->state[i] >> (8 * j));
}

void ws_md5(const void *data, size_t n, uint8_t out[WS_MD5_LEN])
{
	struct ws_md5 m;

	ws_md5_init(&m);
	ws_md5_update(&m, data, n);
	ws_md5_final(&m, out);
}

void ws_md5_hex(const void *data, size_t n, char hex[WS_MD5_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t d[WS_MD5_LEN];

	ws_md5(data, n, d);
	for (unsigned i = 0; i < WS_MD5_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 0x0f];
	}
	hex[32] = '\0';
}
