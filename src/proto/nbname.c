/*
 * nbname.c - checks and skips an encoded NetBIOS name (see nbname.h).
 */
#include "proto/nbname.h"

/* RFC 1035 2.3.4 limits, which RFC 1002 4.1 applies to scope labels. */
#define NB_LABEL_MAX 63
#define NB_NAME_TOTAL_MAX 255

int ws_nb_name_skip(struct ws_rd *r)
{
	size_t total = 33;
	uint8_t len = ws_rd_u8(r);

	if (!ws_rd_ok(r))
		return -1;
	if (len != 32)
		return 0;
	for (int i = 0; i < 32; i++) {
		uint8_t ch = ws_rd_u8(r);

		if (!ws_rd_ok(r))
			return -1;
		if (ch < 'A' || ch > 'P')
			return 0;
	}
	for (;;) {
		len = ws_rd_u8(r);
		if (!ws_rd_ok(r))
			return -1;
		if (len == 0)
			return 1;
		total += 1u + len;
		if (len > NB_LABEL_MAX || total > NB_NAME_TOTAL_MAX)
			return 0;
		ws_rd_skip(r, len);
		if (!ws_rd_ok(r))
			return -1;
	}
}
