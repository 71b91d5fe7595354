/*
 * ssh.c - Secure Shell (TCP 22): identification.
 *
 * Spec: RFC 4253 4.2 (protocol version exchange): each side first sends
 * "SSH-protoversion-softwareversion SP comments CR LF"; protoversion is
 * "2.0", or "1.99" for a server that also speaks SSH-1, or "1.x" for SSH-1
 * (draft-ylonen-ssh-protocol-00).
 * Emits: nothing yet (probe only).
 *
 * YES needs "SSH-", a version of digits "." digits, "-" and one byte of the
 * software version. RFC 4253 lets a server send other lines before its
 * version; those are not looked for (NO here; the port decides on 22).
 */
#include "proto/proto.h"

/* RFC 4253 4.2: at most 255 bytes with CR LF; digits of a version part are
 * far fewer. */
#define SSH_VERSION_DIGITS_MAX 4u

static int ssh_is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* Digits up to SSH_VERSION_DIGITS_MAX at c; returns the count, or -1 if cut short. */
static int ssh_digits(struct ws_rd *c)
{
	int n = 0;

	while ((size_t)n <= SSH_VERSION_DIGITS_MAX) {
		if (ws_rd_left(c) == 0)
			return -1;
		if (!ssh_is_digit(ws_rd_peek(c, 0)))
			return n;
		ws_rd_skip(c, 1);
		n++;
	}
	return 0;	/* too many digits: not a version */
}

static enum ws_probe ssh_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t held = ws_rd_left(&c);

	(void)dir;
	if (l4 != WS_PROTO_TCP || held == 0)
		return WS_PROBE_NO;
	if (held < 6) {
		/* Cut short: a prefix of "SSH-2." or "SSH-1." is plausible. */
		if (ws_rd_match(&c, "SSH-2.", held) || ws_rd_match(&c, "SSH-1.", held))
			return WS_PROBE_MAYBE;
		return WS_PROBE_NO;
	}
	if (!ws_rd_match(&c, "SSH-2.", 6) && !ws_rd_match(&c, "SSH-1.", 6))
		return WS_PROBE_NO;
	ws_rd_skip(&c, 6);
	int minor = ssh_digits(&c);
	if (minor < 0)
		return WS_PROBE_MAYBE;
	if (minor == 0)
		return WS_PROBE_NO;
	uint8_t dash = ws_rd_u8(&c);
	uint8_t soft = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return dash == '-' || held == 6u + (size_t)minor ? WS_PROBE_MAYBE : WS_PROBE_NO;
	/* softwareversion: printable US-ASCII, no space or minus. */
	if (dash != '-' || soft <= 0x20 || soft > 0x7e || soft == '-')
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

const struct ws_proto ws_proto_ssh = {
	.name = "ssh",
	.label = "SSH",
	.spec = "RFC 4253 4.2",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 22 },
	.probe = ssh_probe,
};
