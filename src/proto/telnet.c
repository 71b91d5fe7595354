/*
 * telnet.c - Telnet (TCP 23): identification.
 *
 * Spec: RFC 854 (commands: IAC 255, then SE 240 .. DONT 254), RFC 855
 * (option negotiation: IAC WILL/WONT/DO/DONT <option>, IAC SB <option> ...
 * IAC SE); option numbers from the IANA Telnet Options registry (0-49 and
 * 255 EXOPL are assigned).
 * Emits: nothing yet (probe only).
 *
 *   | IAC 0xFF | WILL 0xFB / WONT 0xFC / DO 0xFD / DONT 0xFE / SB 0xFA | option |
 *
 * Both ends usually open with negotiations. YES when the first bytes are
 * well-formed commands and at least one negotiates an assigned option;
 * printable text ending in a login prompt ("login:", "Username:") is YES too.
 */
#include "proto/proto.h"

#define TELNET_IAC 255
#define TELNET_SE 240
#define TELNET_SB 250
#define TELNET_WILL 251
#define TELNET_DONT 254
#define TELNET_OPT_ASSIGNED_MAX 49
#define TELNET_OPT_EXOPL 255
/* Bytes of a subnegotiation the probe walks before it judges on what it saw. */
#define TELNET_PROBE_SB_MAX 256u

static int telnet_option_ok(uint8_t opt)
{
	return opt <= TELNET_OPT_ASSIGNED_MAX || opt == TELNET_OPT_EXOPL;
}

/* Printable text that ends, after optional spaces, with a login prompt. */
static enum ws_probe telnet_prompt(const struct ws_rd *c)
{
	static const char *const prompts[] = { "login:", "username:", "user name:" };
	size_t len = ws_rd_left(c);
	size_t end = len;

	for (size_t i = 0; i < len; i++) {
		int ch = ws_rd_peek(c, i);

		if ((ch < 0x20 || ch > 0x7e) && ch != '\r' && ch != '\n' && ch != '\t')
			return WS_PROBE_NO;
	}
	while (end > 0 && ws_rd_peek(c, end - 1) == ' ')
		end--;
	for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
		size_t n = 0;

		while (prompts[i][n])
			n++;
		if (end < n)
			continue;
		struct ws_rd tail = *c;
		ws_rd_skip(&tail, end - n);
		if (ws_rd_match_ci(&tail, prompts[i], n))
			return WS_PROBE_YES;
	}
	return WS_PROBE_NO;
}

static enum ws_probe telnet_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	int negotiated = 0;

	(void)dir;
	if (l4 != WS_PROTO_TCP || ws_rd_left(&c) == 0)
		return WS_PROBE_NO;
	if (ws_rd_peek(&c, 0) != TELNET_IAC)
		return telnet_prompt(&c);
	/* Walk the leading commands; text may follow them. */
	while (ws_rd_left(&c) > 0 && ws_rd_peek(&c, 0) == TELNET_IAC) {
		ws_rd_skip(&c, 1);
		uint8_t cmd = ws_rd_u8(&c);
		if (!ws_rd_ok(&c))
			break;
		if (cmd < TELNET_SE)
			return WS_PROBE_NO;
		if (cmd == TELNET_IAC)	/* an escaped data byte 255 */
			break;
		if (cmd < TELNET_SB)
			continue;	/* SE, NOP, DM, BRK, IP, AO, AYT, EC, EL, GA */
		uint8_t opt = ws_rd_u8(&c);
		if (!ws_rd_ok(&c))
			break;
		if (!telnet_option_ok(opt))
			return WS_PROBE_NO;
		negotiated = 1;
		if (cmd == TELNET_SB) {
			/* RFC 855: parameters up to IAC SE. */
			size_t i = 0;

			while (i + 1 < ws_rd_left(&c) && i < TELNET_PROBE_SB_MAX &&
			       !(ws_rd_peek(&c, i) == TELNET_IAC && ws_rd_peek(&c, i + 1) == TELNET_SE))
				i++;
			if (i + 1 >= ws_rd_left(&c) || i >= TELNET_PROBE_SB_MAX)
				break;
			ws_rd_skip(&c, i + 2);
		}
	}
	return negotiated ? WS_PROBE_YES : WS_PROBE_MAYBE;
}

const struct ws_proto ws_proto_telnet = {
	.name = "telnet",
	.label = "TELNET",
	.spec = "RFC 854, RFC 855",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 23 },
	.probe = telnet_probe,
};
