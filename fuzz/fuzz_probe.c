/*
 * fuzz_probe.c - every protocol probe on arbitrary bytes, both directions,
 * TCP and UDP, and at every prefix length of the first 64 bytes (a probe
 * must not read past its reader, whatever the length).
 */
#include <stdint.h>

#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < ws_proto_count(); i++) {
		const struct ws_proto *p = ws_proto_at(i);

		if (!p->probe)
			continue;
		for (int dir = 0; dir < 2; dir++) {
			for (uint8_t l4 = WS_PROTO_TCP; l4 <= WS_PROTO_UDP; l4++) {
				size_t lim = size < 64 ? size : 64;

				for (size_t n = 0; n <= lim; n++) {
					struct ws_rd r;

					ws_rd_init(&r, data, n);
					(void)p->probe(&r, (enum ws_dir)dir, l4);
				}
				if (size > 64) {
					struct ws_rd r;

					ws_rd_init(&r, data, size);
					(void)p->probe(&r, (enum ws_dir)dir, l4);
				}
			}
		}
	}
	return 0;
}
