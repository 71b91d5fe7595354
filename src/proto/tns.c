/*
 * tns.c - Oracle Transparent Network Substrate (TCP 1521, 1520):
 * identification.
 *
 * Spec: Oracle publishes no TNS specification. The layout below is the one
 * commonly documented (and dissected by Wireshark's TNS dissector); the
 * connect descriptor syntax "(DESCRIPTION=(ADDRESS=...)(CONNECT_DATA=...))"
 * and refusal data "(DESCRIPTION=(ERR=...))" are from the Oracle Net
 * Services Reference.
 * Emits: nothing yet (probe only).
 *
 *   0                16                32
 *   | Packet Length  | Packet Checksum  |
 *   | Type  | Flags  | Header Checksum  |
 *   CONNECT (1): Version, Version Compatible, Service Options, SDU, TDU,
 *     NT Protocol Characteristics, Line Turnaround, Value of 1 in Hardware,
 *     Connect Data Length, Connect Data Offset (from the packet start), ...
 *   ACCEPT (2): Version, Service Options, SDU, TDU, Value of 1 in Hardware,
 *     Accept Data Length, Accept Data Offset, ...
 *   REFUSE (4): User Reason, System Reason, Data Length, Data "(DESCRIPTION=..."
 *   REDIRECT (5): Data Length, Data "(ADDRESS=..." or "(DESCRIPTION=..."
 *
 * Checksums are unused (zero) in practice. YES for a connect whose version
 * is plausible, whose hardware "1" reads as 1 either way round, and whose
 * connect data, where held, opens a connect descriptor; for an accept,
 * refuse or redirect whose lengths agree with the segment.
 */
#include "proto/proto.h"

#define TNS_HDR_LEN 8
#define TNS_CONNECT 1
#define TNS_ACCEPT 2
#define TNS_REFUSE 4
#define TNS_REDIRECT 5
#define TNS_DATA 6
#define TNS_CONTROL 14
#define TNS_CONNECT_FIXED_LEN 34	/* header + fields to connect data offset + max receivable */
#define TNS_ACCEPT_FIXED_LEN 24
/* Versions seen: 300 (Oracle 7) to 319 (Oracle 23). */
#define TNS_VERSION_MIN 300
#define TNS_VERSION_MAX 399

static int tns_version_ok(uint16_t v)
{
	return v >= TNS_VERSION_MIN && v <= TNS_VERSION_MAX;
}

static int tns_hw_one_ok(uint16_t v)
{
	return v == 0x0001 || v == 0x0100;
}

/*
 * Does a connect descriptor start here ("(DESCRIPTION=", "(ADDRESS=",
 * "(CONNECT_DATA=", "(ERR=")? YES, NO, or MAYBE when what is held is a
 * prefix of one.
 */
static enum ws_probe tns_descriptor(const struct ws_rd *c)
{
	static const char *const starts[] = { "(DESCRIPTION=", "(ADDRESS=", "(CONNECT_DATA=", "(ERR=" };
	size_t held = ws_rd_left(c);
	enum ws_probe res = WS_PROBE_NO;

	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		size_t n = 0;

		while (starts[i][n])
			n++;
		if (held >= n && ws_rd_match_ci(c, starts[i], n))
			return WS_PROBE_YES;
		if (held < n && ws_rd_match_ci(c, starts[i], held))
			res = WS_PROBE_MAYBE;
	}
	return res;
}

static enum ws_probe tns_connect(struct ws_rd pkt, uint16_t len)
{
	struct ws_rd c = pkt;

	ws_rd_skip(&c, TNS_HDR_LEN);
	uint16_t version = ws_rd_be16(&c);
	uint16_t compat = ws_rd_be16(&c);
	ws_rd_skip(&c, 2 * 5);	/* service options, SDU, TDU, NT chars, line turnaround */
	uint16_t hw_one = ws_rd_be16(&c);
	uint16_t data_len = ws_rd_be16(&c);
	uint16_t data_off = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (!tns_version_ok(version) || compat < TNS_VERSION_MIN || compat > version ||
	    !tns_hw_one_ok(hw_one) || len < TNS_CONNECT_FIXED_LEN)
		return WS_PROBE_NO;
	if (data_len == 0)
		return WS_PROBE_YES;
	if (data_off < TNS_CONNECT_FIXED_LEN)
		return WS_PROBE_NO;
	/* Long connect data may come in the next packet; only judge it when
	 * this packet holds it. */
	if ((uint32_t)data_off + data_len > len)
		return WS_PROBE_YES;
	struct ws_rd d = pkt;
	ws_rd_skip(&d, data_off);
	return tns_descriptor(&d);
}

static enum ws_probe tns_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	struct ws_rd pkt = c;
	size_t held = ws_rd_left(&c);

	(void)dir;
	if (l4 != WS_PROTO_TCP || held == 0)
		return WS_PROBE_NO;
	uint16_t len = ws_rd_be16(&c);
	uint16_t pkt_sum = ws_rd_be16(&c);
	uint8_t type = ws_rd_u8(&c);
	ws_rd_skip(&c, 1);	/* flags */
	uint16_t hdr_sum = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (type < TNS_CONNECT || type > TNS_CONTROL || type == 8 || type == 10)
		return WS_PROBE_NO;
	if (pkt_sum != 0 || hdr_sum != 0)
		return WS_PROBE_NO;
	if (len < TNS_HDR_LEN && type != TNS_DATA)
		return WS_PROBE_NO;
	switch (type) {
	case TNS_CONNECT:
		return tns_connect(pkt, len);
	case TNS_ACCEPT: {
		uint16_t version = ws_rd_be16(&c);

		ws_rd_skip(&c, 2 * 3);	/* service options, SDU, TDU */
		uint16_t hw_one = ws_rd_be16(&c);
		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if (!tns_version_ok(version) || !tns_hw_one_ok(hw_one) || len < TNS_ACCEPT_FIXED_LEN)
			return WS_PROBE_NO;
		return len == held ? WS_PROBE_YES : WS_PROBE_MAYBE;
	}
	case TNS_REFUSE:
	case TNS_REDIRECT: {
		/* Refuse: user and system reasons before the data length. */
		size_t fixed = type == TNS_REFUSE ? TNS_HDR_LEN + 4 : TNS_HDR_LEN + 2;

		ws_rd_skip(&c, fixed - TNS_HDR_LEN - 2);
		uint16_t data_len = ws_rd_be16(&c);
		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if (fixed + data_len != len)
			return WS_PROBE_NO;
		return tns_descriptor(&c);
	}
	default:
		/* Data, marker, resend ...: a well-formed header, nothing more. */
		return WS_PROBE_MAYBE;
	}
}

const struct ws_proto ws_proto_oracle = {
	.name = "oracle",
	.label = "TNS",
	.spec = "Oracle Net TNS (no public specification)",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 1521, 1520 },
	.probe = tns_probe,
};
