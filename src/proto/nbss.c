/*
 * nbss.c - NetBIOS Session Service (TCP 139) and the SMB framing on TCP 445:
 * identification, and the feed shared with the "smb" entry (smb_flow.h).
 *
 * Spec: RFC 1002 4.3 (session service packets): 4.3.1 header, 4.3.2 session
 * request, 4.3.3 positive response, 4.3.4 negative response, 4.3.5 retarget
 * response, 4.3.6 session message, 4.3.7 keep alive; RFC 1001 14.1 (names);
 * MS-SMB2 2.1 (direct TCP transport: 0x00 and a 24-bit length).
 * Emits: netbios (service ssn) per session control message, anomaly; session
 * message bodies go to smb1.c (0xFF 'SMB') or smb2.c (0xFE/0xFD/0xFC 'SMB').
 *
 *   0       8       16                      31
 *   | TYPE  | FLAGS |         LENGTH         |
 *
 * FLAGS: seven reserved zero bits and E (the low bit), which extends LENGTH
 * to 17 bits. Each control message has a fixed body length; a session
 * request carries the called and the calling names, encoded.
 *
 * A session message (type 0x00) is left to the "smb" probe: its body is
 * SMB on TCP 139 in practice. This probe answers MAYBE to it, so that a flow
 * on 139 that first shows a session request is named "netbios-ssn" and the
 * engine upgrades it to "smb" when the smb probe then says YES (a probe
 * result for a more specific protocol upgrades netbios-ssn to smb).
 *
 * Feed: whole messages are parsed; one that is not all held is waited for
 * (INCOMPLETE with its total length) up to NBSS_HOLD_MAX. A bigger one (READ
 * or WRITE data) is parsed from its first NBSS_HEAD_MAX bytes and the rest is
 * passed over as it comes, never buffered. After a gap the direction looks for
 * the next "0x00 len 0xFF/FE/FD/FC SMB" header; a gap that falls inside bytes
 * being passed over costs nothing.
 */
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "event/ev_netbios.h"
#include "kb/kb.h"
#include "proto/dcerpc.h"
#include "proto/proto.h"
#include "proto/smb_flow.h"
#include "proto/nbname.h"

#define NBSS_HDR_LEN 4
#define NBSS_MESSAGE 0x00
#define NBSS_REQUEST 0x81
#define NBSS_POSITIVE 0x82
#define NBSS_NEGATIVE 0x83
#define NBSS_RETARGET 0x84
#define NBSS_KEEPALIVE 0x85

/* 4.3.2: the two names fill the body exactly. */
static enum ws_probe nbss_request(struct ws_rd *c, uint32_t len)
{
	if (len > ws_rd_left(c)) {
		/* Cut short: judge the names as far as they are held. */
		int name = ws_nb_name_skip(c);

		if (name == 0)
			return WS_PROBE_NO;
		if (name > 0)
			name = ws_nb_name_skip(c);
		return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
	}
	struct ws_rd body = ws_rd_sub(c, len);
	if (ws_nb_name_skip(&body) != 1 || ws_nb_name_skip(&body) != 1)
		return WS_PROBE_NO;
	return ws_rd_left(&body) == 0 ? WS_PROBE_YES : WS_PROBE_NO;
}

static enum ws_probe nbss_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 != WS_PROTO_TCP)
		return WS_PROBE_NO;
	uint8_t type = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_NO;
	if (type != NBSS_MESSAGE && (type < NBSS_REQUEST || type > NBSS_KEEPALIVE))
		return WS_PROBE_NO;
	uint8_t flags = ws_rd_u8(&c);
	uint32_t len = ws_rd_be16(&c) | (uint32_t)(flags & 0x01) << 16;
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (flags & 0xfe)	/* 4.3.1: reserved bits */
		return WS_PROBE_NO;

	size_t rest = ws_rd_left(&c);
	switch (type) {
	case NBSS_MESSAGE:
		return WS_PROBE_MAYBE;
	case NBSS_REQUEST:
		return nbss_request(&c, len);
	case NBSS_POSITIVE:
	case NBSS_KEEPALIVE:
		/* Four bytes alone: the segment must hold nothing else. */
		if (len != 0)
			return WS_PROBE_NO;
		return rest == 0 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	case NBSS_NEGATIVE: {
		/* 4.3.4: ERROR_CODE 0x80 not listening on called name, 0x81 not
		 * listening for calling name, 0x82 called name not present,
		 * 0x83 insufficient resources, 0x8F unspecified error. */
		if (len != 1)
			return WS_PROBE_NO;
		uint8_t code = ws_rd_u8(&c);
		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if ((code < 0x80 || code > 0x83) && code != 0x8f)
			return WS_PROBE_NO;
		return rest == 1 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	}
	case NBSS_RETARGET:
		/* 4.3.5: RETARGET_IP_ADDRESS(32) PORT(16). */
		if (len != 6)
			return WS_PROBE_NO;
		return rest == 6 ? WS_PROBE_YES : WS_PROBE_MAYBE;
	default:
		return WS_PROBE_NO;
	}
}

/* ---- session control messages (RFC 1002 4.3.2-4.3.7) ---- */

static const char *nbss_type_name(uint8_t type)
{
	switch (type) {
	case NBSS_MESSAGE:
		return "Session message";
	case NBSS_REQUEST:
		return "Session request";
	case NBSS_POSITIVE:
		return "Positive session response";
	case NBSS_NEGATIVE:
		return "Negative session response";
	case NBSS_RETARGET:
		return "Retarget session response";
	case NBSS_KEEPALIVE:
		return "Session keep-alive";
	default:
		return NULL;
	}
}

/* 4.3.4 ERROR_CODE, worded as Wireshark's NBSS dissector shows them. */
static const char *nbss_error_name(uint8_t code)
{
	switch (code) {
	case 0x80:
		return "Not listening on called name";
	case 0x81:
		return "Not listening for calling name";
	case 0x82:
		return "Called name not present";
	case 0x83:
		return "Called name present, but insufficient resources";
	case 0x8f:
		return "Unspecified error";
	default:
		return NULL;
	}
}

/*
 * One encoded name with its scope (RFC 1001 14.1, 4.3.2: "CALLED NAME",
 * "CALLING NAME"). Returns 1 when read whole, 0 otherwise (out keeps what was
 * read, present only when the 32 characters decoded).
 */
static int nbss_read_name(struct ws_rd *r, struct ws_nb_name *out)
{
	uint8_t enc[32];
	char raw[16];
	uint8_t suffix;
	size_t scope_len = 0;
	size_t total = 33;

	memset(out, 0, sizeof(*out));
	if (ws_rd_u8(r) != 32)
		return 0;
	ws_rd_copy(r, enc, sizeof(enc));
	if (!ws_rd_ok(r) || ws_nb_decode_name(enc, sizeof(enc), raw, &suffix) != 0)
		return 0;
	struct ws_view v = { (const uint8_t *)raw, strlen(raw) };
	ws_view_cstr(v, out->name, sizeof(out->name));
	out->suffix = suffix;
	out->type = WS_NB_UNKNOWN;	/* a session request carries no NB flags */
	const struct ws_nb_suffix *k = ws_kb_nb_suffix(suffix, -1, raw);
	out->meaning = k ? k->meaning : NULL;
	out->present = true;
	/* Scope: labels up to a zero length, at most 255 bytes in all. */
	for (;;) {
		uint8_t len = ws_rd_u8(r);

		if (!ws_rd_ok(r))
			return 0;
		if (len == 0)
			return 1;
		total += 1u + len;
		if (len > 63 || total > 255)
			return 0;
		struct ws_view label = ws_rd_view(r, len);
		if (!ws_rd_ok(r))
			return 0;
		if (scope_len > 0 && scope_len + 1 < sizeof(out->scope))
			out->scope[scope_len++] = '.';
		if (scope_len + 1 < sizeof(out->scope)) {
			ws_view_cstr(label, out->scope + scope_len, sizeof(out->scope) - scope_len);
			scope_len = strlen(out->scope);
		}
	}
}

static void nbss_control(struct ws_pctx *c, uint8_t type, uint8_t flags, uint32_t len,
			 struct ws_rd *body)
{
	struct ws_ev_netbios ev;

	memset(&ev, 0, sizeof(ev));
	ev.service = WS_NB_SSN;
	ev.ssn_type = type;
	ev.ssn_type_name = nbss_type_name(type);
	ev.ssn_flags = flags;
	ev.ssn_length = len;
	switch (type) {
	case NBSS_REQUEST: {
		int ok = nbss_read_name(body, &ev.called);

		if (ok)
			ok = nbss_read_name(body, &ev.calling);
		ev.truncated = !ok;
		if (!ok)
			ws_pctx_anomaly(c, "nbss_bad_name", "session request names do not decode");
		if (ev.called.present && ev.calling.present)
			ws_pctx_info(c, "Session request, to %s<%02X> from %s<%02X>", ev.called.name,
				     ev.called.suffix, ev.calling.name, ev.calling.suffix);
		else
			ws_pctx_info(c, "Session request");
		break;
	}
	case NBSS_NEGATIVE:
		ev.error_code = ws_rd_u8(body);
		ev.truncated = !ws_rd_ok(body);
		ev.error_name = nbss_error_name(ev.error_code);
		if (ev.truncated)
			ws_pctx_info(c, "Negative session response");
		else if (ev.error_name)
			ws_pctx_info(c, "Negative session response, %s", ev.error_name);
		else
			ws_pctx_info(c, "Negative session response, Unknown (0x%02x)", ev.error_code);
		break;
	case NBSS_RETARGET: {
		uint8_t ip[4];
		char text[WS_ADDR_STRLEN];

		ws_rd_copy(body, ip, sizeof(ip));
		ev.retarget_port = ws_rd_be16(body);
		ev.truncated = !ws_rd_ok(body);
		if (!ev.truncated) {
			ws_addr_set4(&ev.retarget_addr, ip);
			ws_addr_fmt(&ev.retarget_addr, text);
			ws_pctx_info(c, "Retarget session response, %s:%u", text, ev.retarget_port);
		} else {
			ws_pctx_info(c, "Retarget session response");
		}
		break;
	}
	default:	/* positive response, keep-alive: no body */
		ws_pctx_info(c, "%s", type == NBSS_POSITIVE ? "Positive session response" : "Session keep-alive");
		break;
	}
	if (type != NBSS_REQUEST && len != (type == NBSS_NEGATIVE ? 1u : type == NBSS_RETARGET ? 6u : 0u))
		ws_pctx_anomaly(c, "nbss_bad_length", ev.ssn_type_name);
	ws_pctx_emit(c, WS_EV_NETBIOS, &ev);
}

/* ---- the shared feed ---- */

/* 0xFF/0xFE/0xFD/0xFC 'S' 'M' 'B' at byte i of r? */
static bool smb_magic_at(const struct ws_rd *r, size_t i)
{
	int p = ws_rd_peek(r, i);

	return p >= 0xfc && ws_rd_peek(r, i + 1) == 'S' && ws_rd_peek(r, i + 2) == 'M' &&
	       ws_rd_peek(r, i + 3) == 'B';
}

/* A session message body: SMB1 or SMB2/3; anything else is skipped. */
static void nbss_session_message(struct ws_pctx *c, struct smb_flow *st, enum ws_dir dir,
				 struct ws_rd *body)
{
	if (!smb_magic_at(body, 0)) {
		if (ws_rd_left(body) == 0)
			ws_pctx_info(c, "Session message");	/* empty: used as a keep-alive */
		else
			ws_pctx_anomaly(c, "nbss_not_smb", "session message does not hold SMB");
		return;
	}
	if (ws_rd_peek(body, 0) == 0xff)
		smb1_msg(c, &st->smb1, &st->rpc, dir, body);
	else
		smb2_msg(c, &st->smb2, &st->rpc, dir, body);
}

/*
 * Looks for a plausible header after a gap. Returns the bytes to drop before
 * it, with *found set, or the bytes that can surely be dropped (all but the
 * last 7, which may start a header).
 */
static size_t nbss_resync_scan(const struct ws_rd *r, bool *found)
{
	size_t left = ws_rd_left(r);

	*found = false;
	for (size_t i = 0; i + 8 <= left; i++) {
		if (ws_rd_peek(r, i) != 0x00 || !smb_magic_at(r, i + 4))
			continue;
		uint32_t len = (uint32_t)ws_rd_peek(r, i + 1) << 16 |
			       (uint32_t)ws_rd_peek(r, i + 2) << 8 | (uint32_t)ws_rd_peek(r, i + 3);
		if (len < 32 || len > NBSS_MSG_MAX)
			continue;
		*found = true;
		return i;
	}
	return left > 7 ? left - 7 : 0;
}

struct ws_feed_res ws_smb_flow_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct smb_flow *st = state;
	struct smb_flow_dir *d = &st->d[dir];
	size_t consumed = 0;

	if (st->dead) {
		size_t all = ws_rd_left(r);

		ws_rd_skip(r, all);
		return WS_FEED_OK_RES(all);
	}
	while (ws_rd_left(r) > 0) {
		if (d->skip > 0) {
			size_t n = ws_rd_left(r) < d->skip ? ws_rd_left(r) : d->skip;

			ws_rd_skip(r, n);
			d->skip -= (uint32_t)n;
			consumed += n;
			continue;
		}
		if (d->resync) {
			bool found;
			size_t drop = nbss_resync_scan(r, &found);

			ws_rd_skip(r, drop);
			consumed += drop;
			d->resync_seen += (uint32_t)drop;
			if (found) {
				d->resync = false;
				d->resync_seen = 0;
				continue;
			}
			if (d->resync_seen > NBSS_RESYNC_MAX) {
				ws_pctx_anomaly(c, "nbss_resync_failed", "no SMB header found after a gap");
				st->dead = true;
				size_t all = ws_rd_left(r);
				ws_rd_skip(r, all);
				return WS_FEED_OK_RES(consumed + all);
			}
			return WS_INCOMPLETE(consumed, 8);
		}
		if (ws_rd_left(r) < NBSS_HDR_LEN)
			return WS_INCOMPLETE(consumed, NBSS_HDR_LEN);

		/* 4.3.1 / MS-SMB2 2.1: the header. */
		struct ws_rd h = *r;
		uint8_t type = ws_rd_u8(&h);
		uint8_t flags = ws_rd_u8(&h);
		uint32_t len = ws_rd_be16(&h);
		if (type == NBSS_MESSAGE) {
			len |= (uint32_t)flags << 16;	/* 24 bits on 445, E bit on 139 */
			if (len > NBSS_MSG_MAX) {
				ws_pctx_anomaly(c, "nbss_length_limit", "session message over 16 MiB");
				d->resync = true;
				ws_rd_skip(r, 1);
				consumed++;
				continue;
			}
		} else if (type >= NBSS_REQUEST && type <= NBSS_KEEPALIVE) {
			if (flags & 0xfe) {
				ws_pctx_anomaly(c, "nbss_bad_flags", "reserved FLAGS bits set");
				d->resync = true;
				ws_rd_skip(r, 1);
				consumed++;
				continue;
			}
			len |= (uint32_t)(flags & 0x01) << 16;
		} else {
			char detail[32];

			snprintf(detail, sizeof(detail), "type 0x%02x", type);
			ws_pctx_anomaly(c, "nbss_bad_type", detail);
			d->resync = true;
			ws_rd_skip(r, 1);
			consumed++;
			continue;
		}

		size_t total = NBSS_HDR_LEN + (size_t)len;
		if (total <= NBSS_HOLD_MAX) {
			if (ws_rd_left(r) < total)
				return WS_INCOMPLETE(consumed, total);
			ws_rd_skip(r, NBSS_HDR_LEN);
			struct ws_rd body = ws_rd_sub(r, len);
			if (type == NBSS_MESSAGE)
				nbss_session_message(c, st, dir, &body);
			else
				nbss_control(c, type, flags, len, &body);
			consumed += total;
			continue;
		}
		/* Too big to hold: parse its head, pass over the rest. */
		if (type != NBSS_MESSAGE) {
			ws_pctx_anomaly(c, "nbss_bad_length", nbss_type_name(type));
			ws_rd_skip(r, NBSS_HDR_LEN);
			consumed += NBSS_HDR_LEN;
			d->skip = len;
			continue;
		}
		if (ws_rd_left(r) < NBSS_HDR_LEN + NBSS_HEAD_MAX)
			return WS_INCOMPLETE(consumed, NBSS_HDR_LEN + NBSS_HEAD_MAX);
		ws_rd_skip(r, NBSS_HDR_LEN);
		size_t held = ws_rd_left(r) < len ? ws_rd_left(r) : len;
		struct ws_rd body = ws_rd_sub(r, held);
		nbss_session_message(c, st, dir, &body);
		consumed += NBSS_HDR_LEN + held;
		d->skip = (uint32_t)(len - held);
	}
	return WS_FEED_OK_RES(consumed);
}

void ws_smb_flow_gap(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len)
{
	struct smb_flow *st = state;
	struct smb_flow_dir *d = &st->d[dir];

	(void)c;
	if (d->skip >= len && !d->resync) {
		/* The missing bytes were data we would have passed over anyway. */
		d->skip -= len;
		return;
	}
	/* Mid-message (the engine dropped what it held) or past the skipped
	 * part: the next header is somewhere ahead. */
	d->skip = 0;
	d->resync = true;
	d->resync_seen = 0;
}

void ws_smb_flow_close(struct ws_pctx *c, void *state)
{
	struct smb_flow *st = state;

	if (st->smb1) {
		smb1_close(c, st->smb1);
		smb1_free(st->smb1);
		st->smb1 = NULL;
	}
	if (st->smb2) {
		smb2_close(c, st->smb2);
		smb2_free(st->smb2);
		st->smb2 = NULL;
	}
	if (st->rpc) {
		ws_dcerpc_free(st->rpc);
		st->rpc = NULL;
	}
}

const struct ws_proto ws_proto_nbss = {
	.name = "netbios-ssn",
	.label = "NBSS",
	.spec = "RFC 1002 4.3",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 139 },
	.probe = nbss_probe,
	.state_size = sizeof(struct smb_flow),
	.feed = ws_smb_flow_feed,
	.gap = ws_smb_flow_gap,
	.close = ws_smb_flow_close,
};
