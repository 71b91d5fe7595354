/*
 * nbns.c - NetBIOS Name Service (UDP 137): identification and parsing.
 *
 * Spec: RFC 1002 4.2 (name service packets): 4.2.1.1 header, 4.2.1.2
 * question section, 4.2.1.3 resource records, 4.2.2-4.2.18 the messages
 * (query, registration, release, WACK, refresh, node status); RFC 1001 14.1
 * (first-level name encoding) and RFC 1035 4.1.4 (name pointers, which
 * RFC 1002 4.2.1 allows in the answer section).
 * Emits: netbios (service "ns"), one per datagram, and the packet line's Info
 * as tshark writes it ("Name query NB FILESRV<20>", "Name query response NB
 * 10.0.0.5", "Registration NB LABNET<00>", ...). Anomalies: nbns_truncated,
 * nbns_bad_name, nbns_bad_rdata.
 *
 *   0               16              32
 *   | NAME_TRN_ID   |R|OPCODE|NM_FLAGS|RCODE|
 *   | QDCOUNT       | ANCOUNT         |
 *   | NSCOUNT       | ARCOUNT         |
 *   | QUESTION_NAME: 0x20, 32 bytes 'A'..'P', scope labels, 0 |
 *   | QUESTION_TYPE (0x0020 NB, 0x0021 NBSTAT) | QUESTION_CLASS (0x0001) |
 *   RR: | RR_NAME (or a 0xC0 pointer) | TYPE | CLASS | TTL(32) | RDLENGTH | RDATA |
 *   NB RDATA: { NB_FLAGS(16: G ONT(2) 0...) NB_ADDRESS(32) } * n
 *   NBSTAT RDATA: NUM_NAMES(8) { NAME(16) NAME_FLAGS(16) } * n STATISTICS
 *     (UNIT_ID(48), the MAC address, first)
 *   WACK RDATA: the request's header flags (16).
 *
 * A request holds one question (and, for registration, refresh and release,
 * one additional record); a response holds one answer record whose name is
 * encoded the same way. The probe checks the header against that and the
 * first name, type and class, all inside the datagram. The parser reads any
 * count of each section, bounded by the datagram.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "event/ev_netbios.h"
#include "kb/kb.h"
#include "proto/proto.h"
#include "proto/nbname.h"

#define NBNS_HDR_LEN 12
#define NBNS_TYPE_NB 0x0020
#define NBNS_TYPE_NBSTAT 0x0021
#define NBNS_CLASS_IN 0x0001

#define NBNS_OP_QUERY 0
#define NBNS_OP_WACK 7

/* RFC 1035 4.1.4 leaves the chain length open; 16 hops is far more than any
 * honest message uses (NBNS answers point once, at the question). */
#define NBNS_NAME_HOPS_MAX 16
/* RFC 1035 2.3.4: a name is at most 255 bytes, a label 63. */
#define NBNS_NAME_LEN_MAX 255
#define NBNS_LABEL_LEN_MAX 63
/* Records looked at per message: an honest one has 1 or 2; the rest is
 * counted by the loop end (the datagram runs out first anyway). */
#define NBNS_RR_MAX 64
#define NBNS_INFO_MAX 512	/* the Info text; longer is cut */

static const char *const nbns_opcode_names[16] = {
	[0] = "Name query", [5] = "Registration", [6] = "Release",
	[7] = "Wait for acknowledgment", [8] = "Refresh",
	[9] = "Refresh (alternate opcode)", [15] = "Multi-homed registration",
};

/* RFC 1002 4.2.6 (and 4.2.5, 4.2.10, 4.2.14): RCODE values. */
static const char *nbns_rcode_name(unsigned rcode)
{
	switch (rcode) {
	case 0: return "NOERROR";
	case 1: return "FMT_ERR";
	case 2: return "SRV_ERR";
	case 3: return "NAM_ERR";
	case 4: return "IMP_ERR";
	case 5: return "RFS_ERR";
	case 6: return "ACT_ERR";
	case 7: return "CFT_ERR";
	default: return "UNKNOWN";
	}
}

/* tshark's wording of the same codes, for the Info column. */
static const char *nbns_rcode_text(unsigned rcode)
{
	switch (rcode) {
	case 1: return "Format error";
	case 2: return "Server failure";
	case 3: return "Requested name does not exist";
	case 4: return "Request is not implemented";
	case 5: return "Request was refused";
	case 6: return "Name is owned by another node";
	case 7: return "Name is in conflict";
	default: return "Unknown error";
	}
}

/* As tshark names RR types: NB and NBSTAT only (A, NS and NULL are "Unknown"). */
static const char *nbns_type_text(uint16_t type)
{
	switch (type) {
	case NBNS_TYPE_NB: return "NB";
	case NBNS_TYPE_NBSTAT: return "NBSTAT";
	default: return "Unknown";
	}
}

/* A name as read: the 16 decoded bytes and the scope, dotted. */
struct nbns_name {
	uint8_t raw[16];
	char scope[WS_NB_SCOPE_MAX];
};

enum nbns_name_res { NBNS_NAME_OK, NBNS_NAME_SHORT, NBNS_NAME_BAD };

/* Per flow: counts only; every datagram is parsed on its own. */
struct nbns_state {
	uint64_t msgs;
	uint64_t bad;
};

/* Bounded append to a NUL-terminated buffer; the text is cut at cap. */
static void nbns_app(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void nbns_app(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

/* A scope label's bytes, escaped \xHH outside printable ASCII, after a dot. */
static void nbns_scope_add(char *scope, struct ws_view v)
{
	size_t len = strlen(scope);

	if (len + 2 >= WS_NB_SCOPE_MAX)
		return;
	scope[len++] = '.';
	scope[len] = 0;
	for (size_t i = 0; i < v.len; i++) {
		uint8_t ch = v.p[i];

		if (ch >= 0x20 && ch < 0x7f)
			nbns_app(scope, WS_NB_SCOPE_MAX, "%c", ch);
		else
			nbns_app(scope, WS_NB_SCOPE_MAX, "\\x%02x", ch);
	}
}

/*
 * Reads one encoded name at r (RFC 1001 14.1: a 32-byte first label, scope
 * labels, a zero byte; RFC 1035 4.1.4: a 0xC0 pointer may replace the rest).
 * msg is a reader at the start of the message, for pointers. On return r is
 * past the name as it sits at r (past the first pointer, if any). A pointer
 * must point before itself, the chain is at most NBNS_NAME_HOPS_MAX long and
 * the name NBNS_NAME_LEN_MAX bytes, so no input loops. why says what was bad.
 */
static enum nbns_name_res nbns_read_name(const struct ws_rd *msg, struct ws_rd *r,
					 struct nbns_name *out, const char **why)
{
	struct ws_rd cur = *r;
	bool jumped = false;
	unsigned hops = 0;
	size_t total = 0;
	unsigned labels = 0;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	for (;;) {
		size_t pos = (size_t)(ws_rd_ptr(&cur) - ws_rd_ptr(msg));
		uint8_t len = ws_rd_u8(&cur);

		if (!ws_rd_ok(&cur))
			break;
		if ((len & 0xc0) == 0xc0) {
			uint8_t lo = ws_rd_u8(&cur);
			size_t target = (size_t)(len & 0x3f) << 8 | lo;

			if (!ws_rd_ok(&cur))
				break;
			if (!jumped) {
				*r = cur;
				jumped = true;
			}
			if (++hops > NBNS_NAME_HOPS_MAX) {
				*why = "pointer chain too long";
				return NBNS_NAME_BAD;
			}
			if (target >= pos) {
				*why = "pointer does not point backward";
				return NBNS_NAME_BAD;
			}
			cur = *msg;
			ws_rd_skip(&cur, target);
			continue;
		}
		if (len & 0xc0) {
			*why = "reserved label type";
			return NBNS_NAME_BAD;
		}
		if (len == 0) {
			if (labels == 0) {
				*why = "empty name";
				return NBNS_NAME_BAD;
			}
			if (!jumped)
				*r = cur;
			return NBNS_NAME_OK;
		}
		total += 1u + len;
		if (total > NBNS_NAME_LEN_MAX) {
			*why = "name longer than 255 bytes";
			return NBNS_NAME_BAD;
		}
		if (labels == 0) {
			uint8_t enc[32];
			char trimmed[16];
			uint8_t suffix;

			if (len != 32) {
				*why = "first label is not 32 bytes";
				return NBNS_NAME_BAD;
			}
			ws_rd_copy(&cur, enc, sizeof(enc));
			if (!ws_rd_ok(&cur))
				break;
			if (ws_nb_decode_name(enc, sizeof(enc), trimmed, &suffix) != 0) {
				*why = "character outside A-P";
				return NBNS_NAME_BAD;
			}
			/* The kb checked the alphabet; keep all 16 bytes, NULs too. */
			for (int i = 0; i < 16; i++)
				out->raw[i] = (uint8_t)((enc[2 * i] - 'A') << 4 | (enc[2 * i + 1] - 'A'));
		} else {
			if (len > NBNS_LABEL_LEN_MAX) {
				*why = "label longer than 63 bytes";
				return NBNS_NAME_BAD;
			}
			struct ws_view v = ws_rd_view(&cur, len);

			if (!ws_rd_ok(&cur))
				break;
			nbns_scope_add(out->scope, v);
		}
		labels++;
	}
	/* The datagram ended inside the name (or a pointer led past its end). */
	if (jumped) {
		*why = "pointer leads past the end";
		return NBNS_NAME_BAD;
	}
	*r = cur;
	return NBNS_NAME_SHORT;
}

/* The event's form: 15 bytes, trailing spaces gone, \xHH outside printable ASCII. */
static void nbns_name_event(struct ws_nb_name *dst, const struct nbns_name *n, int group)
{
	size_t end = 15;

	memset(dst, 0, sizeof(*dst));
	while (end > 0 && n->raw[end - 1] == ' ')
		end--;
	for (size_t i = 0; i < end; i++) {
		uint8_t ch = n->raw[i];

		if (ch >= 0x20 && ch < 0x7f)
			nbns_app(dst->name, sizeof(dst->name), "%c", ch);
		else
			nbns_app(dst->name, sizeof(dst->name), "\\x%02x", ch);
	}
	dst->suffix = n->raw[15];
	dst->type = group < 0 ? WS_NB_UNKNOWN : group ? WS_NB_GROUP : WS_NB_UNIQUE;
	const struct ws_nb_suffix *s = ws_kb_nb_suffix(dst->suffix, group, dst->name);
	dst->meaning = s ? s->meaning : NULL;
	snprintf(dst->scope, sizeof(dst->scope), "%s", n->scope[0] == '.' ? n->scope + 1 : n->scope);
	dst->present = true;
}

/* tshark's form for the Info column: NAME<xx>, <xx> for unprintable bytes, then .scope. */
static void nbns_name_info(char *buf, size_t cap, const struct nbns_name *n)
{
	size_t end = 15;

	while (end > 0 && n->raw[end - 1] == ' ')
		end--;
	for (size_t i = 0; i < end; i++) {
		uint8_t ch = n->raw[i];

		if (ch >= 0x20 && ch < 0x7f)
			nbns_app(buf, cap, "%c", ch);
		else
			nbns_app(buf, cap, "<%02x>", ch);
	}
	nbns_app(buf, cap, "<%02x>%s", n->raw[15], n->scope);
}

static void nbns_set_group(struct ws_nb_name *nm, uint16_t nb_flags)
{
	int group = (nb_flags & 0x8000) != 0;	/* RFC 1002 4.2.1.3: G */
	const struct ws_nb_suffix *s = ws_kb_nb_suffix(nm->suffix, group, nm->name);

	nm->type = group ? WS_NB_GROUP : WS_NB_UNIQUE;
	nm->meaning = s ? s->meaning : NULL;
}

/* Node status RDATA (RFC 1002 4.2.18). */
static void nbns_parse_nbstat(struct ws_rd *rd, struct ws_ev_netbios *ev)
{
	uint8_t n = ws_rd_u8(rd);

	if (!ws_rd_ok(rd))
		return;
	ev->status_total = n;
	for (unsigned i = 0; i < n; i++) {
		struct nbns_name nm;

		memset(&nm, 0, sizeof(nm));
		ws_rd_copy(rd, nm.raw, 16);
		uint16_t flags = ws_rd_be16(rd);
		if (!ws_rd_ok(rd))
			return;
		if (ev->status_cnt < WS_NB_STATUS_MAX) {
			struct ws_nb_status_entry *e = &ev->status[ev->status_cnt++];

			/* NAME_FLAGS: G(15) ONT(14-13) DRG CNF ACT PRM (12-9). */
			nbns_name_event(&e->name, &nm, (flags & 0x8000) != 0);
			e->flags = flags;
		}
	}
	/* STATISTICS: UNIT_ID first (RFC 1002 4.2.18), the adapter's MAC. */
	ws_rd_copy(rd, ev->unit_id, 6);
	if (ws_rd_ok(rd))
		ev->has_unit_id = true;
}

/*
 * One resource record. The first record of a response names the message
 * (qname, qtype, ttl); NB records give addresses, NBSTAT the name table.
 * Returns false when the datagram ended inside it.
 */
static bool nbns_parse_rr(struct ws_pctx *c, const struct ws_rd *msg, struct ws_rd *r,
			  struct ws_ev_netbios *ev, bool first, bool answer, char *info, size_t icap)
{
	struct nbns_name nm;
	const char *why;
	enum nbns_name_res nr = nbns_read_name(msg, r, &nm, &why);

	if (nr == NBNS_NAME_SHORT)
		return false;
	if (nr == NBNS_NAME_BAD) {
		ws_pctx_anomaly(c, "nbns_bad_name", why);
		ws_rd_fail(r, WS_RD_BAD);
		return true;
	}
	uint16_t type = ws_rd_be16(r);
	ws_rd_skip(r, 2);	/* RR_CLASS */
	uint32_t ttl = ws_rd_be32(r);
	uint16_t rdlen = ws_rd_be16(r);
	if (!ws_rd_ok(r))
		return false;
	if (first && !ev->qname.present) {
		nbns_name_event(&ev->qname, &nm, -1);
		ev->qtype = type;
	}
	if (first || !ev->has_ttl) {
		ev->ttl = ttl;	/* a request's TTL is in its additional record */
		ev->has_ttl = true;
	}
	/* tshark writes no type for a WACK's record. */
	if (answer && !(ev->opcode == NBNS_OP_WACK && ev->response))
		nbns_app(info, icap, " %s", nbns_type_text(type));

	bool cut = rdlen > ws_rd_left(r);
	struct ws_rd rd = ws_rd_sub(r, cut ? ws_rd_left(r) : rdlen);

	if (type == NBNS_TYPE_NB && ev->opcode == NBNS_OP_WACK && ev->response) {
		/* RFC 1002 4.2.16: WACK RDATA is the request's header flags. */
		ws_rd_skip(&rd, 2);
	} else if (type == NBNS_TYPE_NB) {
		while (ws_rd_left(&rd) >= 6) {
			uint16_t flags = ws_rd_be16(&rd);
			uint8_t a[4];

			ws_rd_copy(&rd, a, 4);
			if (ev->addr_cnt == 0 && ev->addr_total == 0 && ev->qname.present)
				nbns_set_group(&ev->qname, flags);
			if (ev->addr_cnt < WS_NB_ADDRS_MAX) {
				ws_addr_set4(&ev->addrs[ev->addr_cnt].addr, a);
				ev->addrs[ev->addr_cnt].nb_flags = flags;
				ev->addr_cnt++;
			}
			if (ev->addr_total < UINT16_MAX)
				ev->addr_total++;
			/* tshark names the first address only. */
			if (answer && ev->addr_total == 1) {
				char s[WS_ADDR_STRLEN];
				struct ws_addr ad;

				ws_addr_set4(&ad, a);
				nbns_app(info, icap, " %s", ws_addr_fmt(&ad, s));
			}
		}
		if (ws_rd_left(&rd) != 0 && !cut)
			ws_pctx_anomaly(c, "nbns_bad_rdata", "NB RDATA not a multiple of 6 bytes");
	} else if (type == NBNS_TYPE_NBSTAT) {
		nbns_parse_nbstat(&rd, ev);
		if (!ws_rd_ok(&rd))
			cut = true;
	}
	return !cut;
}

static void nbns_parse(struct ws_pctx *c, struct ws_rd *r, struct ws_ev_netbios *ev,
		       char *info, size_t icap)
{
	const struct ws_rd msg = *r;

	ev->trn_id = ws_rd_be16(r);
	uint16_t flags = ws_rd_be16(r);
	uint16_t qd = ws_rd_be16(r);
	uint16_t an = ws_rd_be16(r);
	uint16_t ns = ws_rd_be16(r);
	uint16_t ar = ws_rd_be16(r);
	if (!ws_rd_ok(r)) {
		ev->truncated = true;
		return;
	}
	/* RFC 1002 4.2.1.1: R(15) OPCODE(14-11) NM_FLAGS(10-4: AA TC RD RA 0 0 B) RCODE(3-0). */
	ev->response = (flags & 0x8000) != 0;
	ev->opcode = (flags >> 11) & 0x0f;
	ev->nm_flags = (flags >> 4) & 0x7f;
	ev->rcode = flags & 0x0f;
	ev->opcode_name = nbns_opcode_names[ev->opcode];
	ev->rcode_name = nbns_rcode_name(ev->rcode);
	if (ev->opcode_name)
		nbns_app(info, icap, "%s", ev->opcode_name);
	else
		nbns_app(info, icap, "Unknown operation (%u)", ev->opcode);
	if (ev->response) {
		nbns_app(info, icap, " response");
		if (ev->rcode)
			nbns_app(info, icap, ", %s", nbns_rcode_text(ev->rcode));
	}

	for (unsigned i = 0; i < qd && ws_rd_ok(r); i++) {
		struct nbns_name nm;
		const char *why;
		enum nbns_name_res nr = nbns_read_name(&msg, r, &nm, &why);

		if (nr == NBNS_NAME_SHORT) {
			ws_rd_fail(r, WS_RD_SHORT);
			break;
		}
		if (nr == NBNS_NAME_BAD) {
			ws_pctx_anomaly(c, "nbns_bad_name", why);
			ws_rd_fail(r, WS_RD_BAD);
			break;
		}
		uint16_t type = ws_rd_be16(r);
		ws_rd_skip(r, 2);	/* QUESTION_CLASS */
		if (i == 0) {
			nbns_name_event(&ev->qname, &nm, -1);
			ev->qtype = type;
		}
		if (!ws_rd_ok(r))
			break;
		nbns_app(info, icap, " %s ", nbns_type_text(type));
		nbns_name_info(info, icap, &nm);
	}
	unsigned rrs = (unsigned)an + ns + ar;
	for (unsigned i = 0; i < rrs && i < NBNS_RR_MAX && ws_rd_ok(r); i++) {
		bool answer = i < an;

		if (!nbns_parse_rr(c, &msg, r, ev, i == 0 && qd == 0, answer, info, icap))
			ws_rd_fail(r, WS_RD_SHORT);
	}
	if (r->err == WS_RD_SHORT)
		ev->truncated = true;
}

static struct ws_feed_res nbns_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct nbns_state *st = state;
	struct ws_ev_netbios ev;
	char info[NBNS_INFO_MAX] = "";
	size_t len = ws_rd_left(r);
	const struct ws_packet *p = ws_pctx_packet(c);

	(void)dir;
	memset(&ev, 0, sizeof(ev));
	ev.service = WS_NB_NS;
	nbns_parse(c, r, &ev, info, sizeof(info));
	/* The datagram as held may be shorter than sent (snaplen). */
	if (p && p->payload_wire_len > p->payload_len)
		ev.truncated = true;
	if (ev.truncated)
		ws_pctx_anomaly(c, "nbns_truncated", NULL);
	if (r->err != WS_RD_OK)
		st->bad++;
	st->msgs++;
	ws_pctx_emit(c, WS_EV_NETBIOS, &ev);
	ws_pctx_info(c, "%s", info);
	return WS_FEED_OK_RES(len);
}

static enum ws_probe nbns_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */

	(void)dir;
	if (l4 != WS_PROTO_UDP)
		return WS_PROBE_NO;
	ws_rd_skip(&c, 2);	/* NAME_TRN_ID */
	uint16_t flags = ws_rd_be16(&c);
	uint16_t qd = ws_rd_be16(&c);
	uint16_t an = ws_rd_be16(&c);
	uint16_t ns = ws_rd_be16(&c);
	uint16_t ar = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;

	unsigned response = flags >> 15;
	unsigned opcode = (flags >> 11) & 0x0f;
	/* RFC 1002 4.2.1.1: query 0, registration 5, release 6, WACK 7,
	 * refresh 8; 9 (refresh) and 15 (multi-homed registration) in use by
	 * Windows. */
	if (opcode != 0 && (opcode < 5 || opcode > 9) && opcode != 15)
		return WS_PROBE_NO;
	/* NM_FLAGS: AA TC RD RA 0 0 B; the two middle bits are reserved zero. */
	if (flags & 0x0060)
		return WS_PROBE_NO;
	if (!response && (qd != 1 || an != 0 || ns != 0 || ar > 1 || (flags & 0x000f)))
		return WS_PROBE_NO;
	if (response && (qd != 0 || an != 1 || ns != 0 || ar != 0))
		return WS_PROBE_NO;

	int name = ws_nb_name_skip(&c);
	if (name == 0)
		return WS_PROBE_NO;
	if (name < 0)
		return WS_PROBE_MAYBE;
	uint16_t type = ws_rd_be16(&c);
	uint16_t cls = ws_rd_be16(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if ((type != NBNS_TYPE_NB && type != NBNS_TYPE_NBSTAT) || cls != NBNS_CLASS_IN)
		return WS_PROBE_NO;
	return WS_PROBE_YES;
}

const struct ws_proto ws_proto_nbns = {
	.name = "netbios-ns",
	.label = "NBNS",
	.spec = "RFC 1002 4.2",
	.l4 = WS_PROTO_UDP,
	.udp_ports = { 137 },
	.probe = nbns_probe,
	.state_size = sizeof(struct nbns_state),
	.feed = nbns_feed,
};
