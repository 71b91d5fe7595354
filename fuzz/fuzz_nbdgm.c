/*
 * fuzz_nbdgm.c - the NetBIOS datagram service and browser protocol (src/proto/nbdgm.c):
 * the input is one UDP payload to port 138, sent twice on one flow (after a
 * valid first datagram could have set the protocol, and as the first one),
 * whole and with the capture cut at half its length, through the real engine
 * (tests/unit/harness.h). Any crash, sanitizer report or leak is a bug.
 * Seeds: fuzz/corpus/nbdgm/ (raw payloads).
 */
#include <stdint.h>
#include <stddef.h>

#include "../tests/unit/harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t src[4] = { 10, 0, 0, 1 };
	static const uint8_t dst[4] = { 10, 0, 0, 255 };
	uint8_t f[HARNESS_FRAME_MAX];
	const uint8_t *frames[2] = { f, f };
	size_t lens[2];
	struct cap_result r;

	lens[0] = harness_udp_frame(f, src, dst, 138, 138, data, size);
	if (lens[0] == 0)
		return 0;
	lens[1] = lens[0];
	r = run_frames(frames, lens, 2);
	cap_free(&r);
	r = run_frames_snap(frames, lens, 2, (uint32_t)(42 + size / 2));
	cap_free(&r);
	return 0;
}
