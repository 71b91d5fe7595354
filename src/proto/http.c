/*
 * http.c - Hypertext Transfer Protocol/1.x (TCP 80, 8080 ...):
 * identification.
 *
 * Spec: RFC 9112 3 (request line: method SP request-target SP
 * HTTP-version CRLF), 4 (status line: HTTP-version SP 3DIGIT SP
 * [reason-phrase] CRLF), 2.3 (HTTP-version "HTTP/" DIGIT "." DIGIT);
 * RFC 9110 9 (methods), RFC 4918 9 (WebDAV methods).
 * Emits: nothing yet (probe only).
 *
 * YES for a whole request line with a known method and "HTTP/1.x", or for
 * a status line's first twelve bytes "HTTP/1.x DDD". A known method whose
 * line has not ended yet is MAYBE. SSDP (the same syntax over UDP) is not
 * HTTP here: this probe is TCP only.
 */
#include "proto/proto.h"

/* Request lines longer than this are judged on their method alone (MAYBE):
 * 8000 octets is RFC 9112 3's recommended minimum support. */
#define HTTP_PROBE_LINE_MAX 8192u
#define HTTP_STATUS_LEN 12	/* "HTTP/1.1 200" */

static const char *const http_methods[] = {
	"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH",
};

static size_t http_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* A known method and SP at the start; returns the bytes to skip, 0 if none.
 * *partial is set when what is held is a prefix of a method. */
static size_t http_method(const struct ws_rd *c, int *partial)
{
	size_t held = ws_rd_left(c);

	*partial = 0;
	for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++) {
		size_t n = http_strlen(http_methods[i]);

		if (held <= n) {
			if (ws_rd_match(c, http_methods[i], held))
				*partial = 1;
			continue;
		}
		if (ws_rd_match(c, http_methods[i], n) && ws_rd_peek(c, n) == ' ')
			return n + 1;
	}
	return 0;
}

/* "HTTP/1." DIGIT at c. */
static int http_version(const struct ws_rd *c)
{
	int d = ws_rd_peek(c, 7);

	return ws_rd_match(c, "HTTP/1.", 7) && d >= '0' && d <= '9';
}

static enum ws_probe http_request(struct ws_rd *c, size_t skip)
{
	struct ws_rd start = *c;
	struct ws_view v;
	int got = ws_rd_line(c, &v, HTTP_PROBE_LINE_MAX);

	if (got != 1)
		return got == 0 || ws_rd_left(&start) >= HTTP_PROBE_LINE_MAX ? WS_PROBE_MAYBE : WS_PROBE_NO;
	/* method SP target SP "HTTP/1.x": the version is the line's last 8 bytes. */
	if (v.len < skip + 1 + 1 + 8)
		return WS_PROBE_NO;
	struct ws_rd line = ws_rd_sub(&start, v.len);
	struct ws_rd tail = line;
	ws_rd_skip(&tail, v.len - 9);
	if (ws_rd_peek(&tail, 0) != ' ')
		return WS_PROBE_NO;
	ws_rd_skip(&tail, 1);
	if (!http_version(&tail))
		return WS_PROBE_NO;
	/* request-target: at least one byte, no SP, no controls. */
	ws_rd_skip(&line, skip);
	for (size_t i = 0; i + 9 < ws_rd_left(&line); i++) {
		int ch = ws_rd_peek(&line, i);

		if (ch <= 0x20 || ch == 0x7f)
			return WS_PROBE_NO;
	}
	return WS_PROBE_YES;
}

static enum ws_probe http_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t held = ws_rd_left(&c);
	int partial;

	(void)dir;
	if (l4 != WS_PROTO_TCP || held == 0)
		return WS_PROBE_NO;
	if (ws_rd_match(&c, "HTTP/1.", held < 7 ? held : 7)) {
		if (held < HTTP_STATUS_LEN)
			return WS_PROBE_MAYBE;
		int d1 = ws_rd_peek(&c, 9), d2 = ws_rd_peek(&c, 10), d3 = ws_rd_peek(&c, 11);
		if (!http_version(&c) || ws_rd_peek(&c, 8) != ' ' || d1 < '1' || d1 > '5' ||
		    d2 < '0' || d2 > '9' || d3 < '0' || d3 > '9')
			return WS_PROBE_NO;
		if (held > HTTP_STATUS_LEN) {
			int after = ws_rd_peek(&c, HTTP_STATUS_LEN);

			if (after != ' ' && after != '\r' && after != '\n')
				return WS_PROBE_NO;
		}
		return WS_PROBE_YES;
	}
	size_t skip = http_method(&c, &partial);
	if (skip == 0)
		return partial ? WS_PROBE_MAYBE : WS_PROBE_NO;
	return http_request(&c, skip);
}

const struct ws_proto ws_proto_http = {
	.name = "http",
	.label = "HTTP",
	.spec = "RFC 9112",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 80, 8080, 8000, 8008, 81, 8181 },
	.probe = http_probe,
};
