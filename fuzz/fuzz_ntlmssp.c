/*
 * fuzz_ntlmssp.c - libFuzzer target for ws_ntlmssp_find (src/proto/ntlmssp.c):
 * the input is one security blob, raw NTLMSSP or SPNEGO/GSS-API wrapped
 * ([MS-NLMP] 2.2.1, RFC 4178). The input is copied into a buffer of exactly
 * its size so that ASan sees any read past the blob; the parsed strings must
 * be NUL-terminated within their fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ntlmssp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct ws_ntlmssp out;
	struct ws_rd r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	ws_rd_init(&r, copy, size);
	if (ws_ntlmssp_find(&r, &out) == 0) {
		if (memchr(out.user, 0, sizeof(out.user)) == NULL ||
		    memchr(out.domain, 0, sizeof(out.domain)) == NULL ||
		    memchr(out.host, 0, sizeof(out.host)) == NULL ||
		    memchr(out.nb_computer, 0, sizeof(out.nb_computer)) == NULL ||
		    memchr(out.dns_domain, 0, sizeof(out.dns_domain)) == NULL)
			abort();
	}
	if (r.cur != copy)
		abort();	/* the caller's reader must not move */
	free(copy);
	return 0;
}
