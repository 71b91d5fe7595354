/*
 * ftp.c - File Transfer Protocol control (TCP 21) and data (TCP 20)
 * connections: identification.
 *
 * Spec: RFC 959 4.1 (commands), 4.2 (replies: three digits, then SP or "-"
 * for a multi-line reply, text, CRLF), 5.4 (the server greets first with
 * 220); RFC 2389 (FEAT, OPTS), RFC 2428 (EPRT, EPSV), RFC 4217 (AUTH TLS,
 * PBSZ, PROT).
 * Emits: nothing yet (probe only; data connections are found through the
 * control connection's PORT/PASV replies by the engine's expectations).
 *
 * The greeting "220 ..." is shared with SMTP, and USER/PASS with POP3, so
 * YES needs a line that only FTP sends: a 220 greeting naming FTP, or a
 * command that only FTP has. Other well-formed replies and USER/PASS are
 * MAYBE: on port 21 the port decides.
 */
#include "proto/proto.h"

/* RFC 959 does not cap a line; real greetings and commands are short, and a
 * probe looks at the first line only. */
#define FTP_PROBE_LINE_MAX 512u

static int ftp_has_ci(struct ws_rd line, const char *lit, size_t n)
{
	while (ws_rd_left(&line) >= n) {
		if (ws_rd_match_ci(&line, lit, n))
			return 1;
		ws_rd_skip(&line, 1);
	}
	return 0;
}

static int ftp_is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* RFC 959 4.2: a reply line, possibly cut short. */
static enum ws_probe ftp_reply(const struct ws_rd *c, int whole, struct ws_rd line)
{
	size_t held = ws_rd_left(c);

	for (size_t i = 0; i < 3 && i < held; i++)
		if (!ftp_is_digit(ws_rd_peek(c, i)))
			return WS_PROBE_NO;
	if (held > 3 && ws_rd_peek(c, 3) != ' ' && ws_rd_peek(c, 3) != '-')
		return WS_PROBE_NO;
	if (ws_rd_peek(c, 0) < '1' || ws_rd_peek(c, 0) > '5')
		return WS_PROBE_NO;
	if (!whole || held < 4)
		return WS_PROBE_MAYBE;
	if (!ws_rd_match(c, "220", 3) || ftp_has_ci(line, "SMTP", 4))
		return WS_PROBE_MAYBE;
	return ftp_has_ci(line, "FTP", 3) ? WS_PROBE_YES : WS_PROBE_MAYBE;
}

/* Commands only FTP has (RFC 959, 2389, 2428, 4217), then SP or the line end. */
static const char *const ftp_only_cmds[] = {
	"AUTH TLS", "AUTH SSL", "FEAT", "SYST", "EPSV", "PASV", "EPRT ", "PORT ",
	"PBSZ ", "TYPE ", "OPTS UTF8",
};

static enum ws_probe ftp_command(struct ws_rd line)
{
	size_t len = ws_rd_left(&line);

	for (size_t i = 0; i < sizeof ftp_only_cmds / sizeof ftp_only_cmds[0]; i++) {
		const char *cmd = ftp_only_cmds[i];
		size_t n = 0;

		while (cmd[n])
			n++;
		if (!ws_rd_match_ci(&line, cmd, n))
			continue;
		if (len == n || ws_rd_peek(&line, n) == ' ' || cmd[n - 1] == ' ')
			return WS_PROBE_YES;
	}
	if (ws_rd_match_ci(&line, "USER ", 5) || ws_rd_match_ci(&line, "PASS ", 5))
		return WS_PROBE_MAYBE;
	return WS_PROBE_NO;
}

static enum ws_probe ftp_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	struct ws_rd start = c;
	struct ws_view v;

	(void)dir;	/* either side may be judged: mid-stream roles can be wrong */
	if (l4 != WS_PROTO_TCP || ws_rd_left(&c) == 0)
		return WS_PROBE_NO;
	int got = ws_rd_line(&c, &v, FTP_PROBE_LINE_MAX);
	if (got < 0)
		return WS_PROBE_NO;
	struct ws_rd line = start;
	if (got == 1) {
		if (!ws_view_printable(v))
			return WS_PROBE_NO;
		line = ws_rd_sub(&line, v.len);
	}
	if (ftp_is_digit(ws_rd_peek(&start, 0)))
		return ftp_reply(&start, got == 1, line);
	if (got == 0) {
		/* No line end yet: a command word of letters so far is plausible. */
		for (size_t i = 0; i < ws_rd_left(&start) && i < 4; i++) {
			int ch = ws_rd_peek(&start, i);

			if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
				return WS_PROBE_NO;
		}
		return WS_PROBE_MAYBE;
	}
	return ftp_command(line);
}

const struct ws_proto ws_proto_ftp = {
	.name = "ftp",
	.label = "FTP",
	.spec = "RFC 959",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 21 },
	.probe = ftp_probe,
};

/* RFC 959 3.2: the data connection; nothing in its bytes names it. */
const struct ws_proto ws_proto_ftp_data = {
	.name = "ftp-data",
	.label = "FTP-DATA",
	.spec = "RFC 959 3.2",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 20 },
};
