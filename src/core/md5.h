/*
 * md5.h - the MD5 message digest (RFC 1321), for fingerprints such as HASSH.
 *
 * Not for security: MD5 is broken for collision resistance; it is used here
 * only because published fingerprints (HASSH, JA3) are defined over it.
 * Usage: ws_md5_init, any number of ws_md5_update, ws_md5_final; or ws_md5
 * for one buffer. The context holds no pointers and may be copied.
 */
#ifndef WS_CORE_MD5_H
#define WS_CORE_MD5_H

#include <stddef.h>
#include <stdint.h>

#define WS_MD5_LEN 16u		/* digest bytes */
#define WS_MD5_HEX_LEN 33u	/* 32 hex digits and a NUL */

struct ws_md5 {
	uint32_t state[4];	/* A B C D (RFC 1321 3.3) */
	uint64_t len;		/* message bytes so far */
	uint8_t block[64];	/* the partial 512-bit block */
	size_t held;		/* bytes in block */
};

void ws_md5_init(struct ws_md5 *m);
void ws_md5_update(struct ws_md5 *m, const void *data, size_t n);
void ws_md5_final(struct ws_md5 *m, uint8_t out[WS_MD5_LEN]);
/* One-shot; hex is lower case, NUL-terminated. */
void ws_md5(const void *data, size_t n, uint8_t out[WS_MD5_LEN]);
void ws_md5_hex(const void *data, size_t n, char hex[WS_MD5_HEX_LEN]);

#endif
