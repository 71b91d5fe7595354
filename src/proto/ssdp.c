/*
 * ssdp.c - Simple Service Discovery Protocol (UDP 1900): identification.
 *
 * Spec: UPnP Device Architecture 2.0, 1.2 (advertisement: "NOTIFY *
 * HTTP/1.1") and 1.3 (search: "M-SEARCH * HTTP/1.1", answered by unicast
 * "HTTP/1.1 200 OK" carrying ST: and USN: headers); HTTPU over UDP, one
 * message per datagram.
 * Emits: nothing yet (probe only).
 *
 * The request line with the "*" target is the magic. A 200 response is
 * only SSDP when an ST: or USN: header follows (HTTP itself is TCP).
 */
#include "proto/proto.h"

/* Lines of an SSDP message are short; the probe reads that far per line. */
#define SSDP_PROBE_LINE_MAX 512u
/* Header lines walked looking for ST:/USN: before deciding. */
#define SSDP_PROBE_HEADERS_MAX 32

static enum ws_probe ssdp_response(struct ws_rd *c)
{
	struct ws_view v;

	for (int i = 0; i < SSDP_PROBE_HEADERS_MAX; i++) {
		struct ws_rd at = *c;

		if (ws_rd_line(c, &v, SSDP_PROBE_LINE_MAX) != 1)
			return WS_PROBE_MAYBE;
		if (v.len == 0)
			return WS_PROBE_NO;	/* end of headers, none of ours */
		if (ws_rd_match_ci(&at, "ST:", 3) || ws_rd_match_ci(&at, "USN:", 4))
			return WS_PROBE_YES;
	}
	return WS_PROBE_MAYBE;
}

static enum ws_probe ssdp_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	static const char *const lines[] = { "M-SEARCH * HTTP/1.1", "NOTIFY * HTTP/1.1" };
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	struct ws_rd start = c;
	struct ws_view v;

	(void)dir;
	if (l4 != WS_PROTO_UDP || ws_rd_left(&c) == 0)
		return WS_PROBE_NO;
	if (ws_rd_line(&c, &v, SSDP_PROBE_LINE_MAX) != 1) {
		/* No whole line: a prefix of a known start is plausible. */
		size_t held = ws_rd_left(&start);

		for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
			size_t n = 0;

			while (lines[i][n])
				n++;
			if (ws_rd_match(&start, lines[i], held < n ? held : n))
				return WS_PROBE_MAYBE;
		}
		return WS_PROBE_NO;
	}
	if (ws_view_eq(v, lines[0]) || ws_view_eq(v, lines[1]))
		return WS_PROBE_YES;
	if (ws_view_prefix_ci(v, "HTTP/1.1 200") || ws_view_prefix_ci(v, "HTTP/1.0 200"))
		return ssdp_response(&c);
	return WS_PROBE_NO;
}

const struct ws_proto ws_proto_ssdp = {
	.name = "ssdp",
	.label = "SSDP",
	.spec = "UPnP Device Architecture 2.0, 1.2-1.3",
	.l4 = WS_PROTO_UDP,
	.udp_ports = { 1900 },
	.probe = ssdp_probe,
};
