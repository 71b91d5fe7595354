/*
 * dcerpc.c - DCE/RPC connection-oriented PDUs on SMB named pipes.
 *
 * Spec: C706 (DCE 1.1 RPC) 12.6 (connection-oriented PDUs), 14.1 (data
 * representation), A.1 (UUID layout); [MS-RPCE] 2.2.2 (Microsoft's additions:
 * bind-time feature negotiation, result 3 "negotiate ack").
 * Emits: dcerpc (bind / alter_context per interface offered, bind_ack /
 * alter_context_resp, bind_nak, request, response, fault), anomaly; the
 * packet line's Info column as tshark words it ("Bind: call_id: 2, Fragment:
 * Single, 1 context items: SRVSVC V3.0 (32bit NDR)", "NetShareEnumAll request").
 *
 * Common header (C706 12.6.3.1), integers in the byte order drep[0] says:
 *
 *   0        1            2       3           4          8          10          12        16
 *   | vers=5 | vers_minor | PTYPE | pfc_flags | drep[4]  | frag_len | auth_len  | call_id |
 *
 *   request   +16: alloc_hint(4) p_cont_id(2) opnum(2) [object UUID(16) if PFC_OBJECT_UUID]
 *   response  +16: alloc_hint(4) p_cont_id(2) cancel_count(1) reserved(1)
 *   fault     +16: alloc_hint(4) p_cont_id(2) cancel_count(1) reserved(1) status(4)
 *   bind, alter_context
 *             +16: max_xmit(2) max_recv(2) assoc_group(4) n_context_elem(1) pad(3)
 *                  { p_cont_id(2) n_transfer_syn(1) pad(1) abstract(16+4) transfer(20)... }
 *   bind_ack, alter_context_resp
 *             +16: max_xmit(2) max_recv(2) assoc_group(4) sec_addr_len(2) sec_addr
 *                  pad to 4 (from the PDU start) n_results(1) pad(3)
 *                  { result(2) reason(2) transfer(20) }...
 *   bind_nak  +16: provider_reject_reason(2) versions...
 *
 * The SMB parts hand over the bytes written to or read from a pipe; a PDU can
 * span several writes or reads and one write can hold several PDUs. Per pipe
 * (fid) and direction only the first DCERPC_HOLD_MAX bytes of a PDU are kept
 * (the headers we decode); stub data past them is counted off, never held.
 *
 * Events: a request is emitted when its first fragment is seen (its response
 * may never come, and there is no context to emit in at free time); the
 * response or fault is its own event carrying the request's opnum and
 * operation, paired by call_id. Binds emit one event per distinct interface
 * offered; bind_ack one, naming the first accepted interface.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/limits.h"
#include "kb/smbkb.h"
#include "proto/dcerpc.h"
#include "proto/dcerpc_int.h"

/*
 * Bytes of one PDU kept while it arrives: the common header plus the bind
 * context list or bind_ack result list (real clients send < 300 bytes; a
 * full DCERPC_ITEMS_MAX bind with 3 transfer syntaxes each is ~ 600). Stub
 * data past it is skipped, so a 64 KiB fragment costs no memory.
 */
#define DCERPC_HOLD_MAX 1024u
/* Presentation contexts remembered per pipe (clients use 1-3). */
#define DCERPC_CTX_MAX 16u
/* Requests awaiting their response per pipe (SMB pipes carry one call at a
 * time; more in flight is a client pipelining or a capture missing replies). */
#define DCERPC_CALLS_MAX 32u
/* Pipes (fids) followed per flow; the least recently used is dropped
 * (20-fids-no-close style traffic opens fids without ever closing them). */
#define DCERPC_PIPES_MAX 32u

/* Transfer syntaxes named like tshark: C706 NDR, [MS-RPCE] 2.2.4.12 NDR64. */
#define NDR32_UUID "8a885d04-1ceb-11c9-9fe8-08002b104860"
#define NDR64_UUID "71710533-beba-4937-8319-b5dbef9ccc36"

struct dcerpc_ctx {
	bool used;
	bool accepted;
	uint16_t ctx_id;
	uint8_t uuid[16];
	uint16_t ver_major, ver_minor;
};

struct dcerpc_call {
	bool used;
	uint32_t call_id;
	uint16_t ctx_id;
	uint16_t opnum;
};

struct dcerpc_dir {
	uint8_t hold[DCERPC_HOLD_MAX];
	uint32_t held;		/* bytes of the current PDU in hold */
	uint32_t skip;		/* bytes of the current PDU still to pass over */
};

struct dcerpc_pipe {
	uint64_t fid;
	uint64_t last_use;
	char name[WS_SMB_NAME_MAX];
	struct dcerpc_dir dir[2];
	struct dcerpc_ctx ctx[DCERPC_CTX_MAX];
	/* the last bind's context ids, in order, to read its ack's results against */
	uint32_t bind_call_id;
	uint8_t bind_cnt;
	uint16_t bind_ids[DCERPC_ITEMS_MAX];
	struct dcerpc_call calls[DCERPC_CALLS_MAX];
};

struct dcerpc_state {
	uint64_t tick;
	struct dcerpc_pipe *pipes[DCERPC_PIPES_MAX];
};

/* ---- records ---------------------------------------------------------- */

static uint16_t rd16(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be16(r) : ws_rd_le16(r);
}

static uint32_t rd32(struct ws_rd *r, bool be)
{
	return be ? ws_rd_be32(r) : ws_rd_le32(r);
}

/* C706 A.1: time_low(4) time_mid(2) time_hi_and_version(2) in drep order,
 * then clock_seq and node as bytes. Stored in little-endian wire order. */
static void rd_uuid(struct ws_rd *r, bool be, uint8_t out[16])
{
	uint32_t tl = rd32(r, be);
	uint16_t tm = rd16(r, be);
	uint16_t th = rd16(r, be);

	out[0] = (uint8_t)tl;
	out[1] = (uint8_t)(tl >> 8);
	out[2] = (uint8_t)(tl >> 16);
	out[3] = (uint8_t)(tl >> 24);
	out[4] = (uint8_t)tm;
	out[5] = (uint8_t)(tm >> 8);
	out[6] = (uint8_t)th;
	out[7] = (uint8_t)(th >> 8);
	ws_rd_copy(r, out + 8, 8);
}

/* C706 12.6.3.1 p_syntax_id_t: if_uuid, then if_version as u32 with the
 * major version in the low 16 bits. */
static void rd_syntax(struct ws_rd *r, bool be, struct dcerpc_syntax *s)
{
	uint32_t v;

	rd_uuid(r, be, s->uuid);
	v = rd32(r, be);
	s->ver_major = (uint16_t)(v & 0xffff);
	s->ver_minor = (uint16_t)(v >> 16);
}

int dcerpc_parse_hdr(struct ws_rd *r, struct dcerpc_pdu *out)
{
	memset(out, 0, sizeof(*out));
	if (ws_rd_left(r) < DCERPC_HDR_LEN)
		return -1;
	out->vers = ws_rd_u8(r);
	out->vers_minor = ws_rd_u8(r);
	out->ptype = ws_rd_u8(r);
	out->flags = ws_rd_u8(r);
	ws_rd_copy(r, out->drep, 4);
	/* C706 14.1: drep[0] high nibble is the integer representation, 1 = little endian. */
	out->big_endian = (out->drep[0] & 0xf0) == 0;
	out->frag_len = rd16(r, out->big_endian);
	out->auth_len = rd16(r, out->big_endian);
	out->call_id = rd32(r, out->big_endian);
	/* C706 12.6.3.1: rpc_vers 5, rpc_vers_minor 0 or 1; PTYPE 0-19. */
	if (out->vers != 5 || out->vers_minor > 1 || out->ptype > DCERPC_ORPHANED)
		return 0;
	if ((out->drep[0] & 0xf0) > 0x10)
		return 0;
	if (out->frag_len < DCERPC_HDR_LEN)
		return 0;
	return 1;
}

static void parse_bind(struct ws_rd *r, struct dcerpc_pdu *p)
{
	bool be = p->big_endian;

	p->max_xmit = rd16(r, be);
	p->max_recv = rd16(r, be);
	p->assoc_group = rd32(r, be);
	p->item_total = ws_rd_u8(r);
	ws_rd_skip(r, 3);
	for (unsigned i = 0; i < p->item_total && ws_rd_ok(r); i++) {
		struct dcerpc_ctx_item it;

		memset(&it, 0, sizeof(it));
		it.ctx_id = rd16(r, be);
		it.n_transfer = ws_rd_u8(r);
		ws_rd_skip(r, 1);
		rd_syntax(r, be, &it.abstract);
		for (unsigned t = 0; t < it.n_transfer; t++) {
			struct dcerpc_syntax s;

			rd_syntax(r, be, &s);
			if (t == 0)
				it.transfer = s;
		}
		if (!ws_rd_ok(r))
			break;
		if (p->item_cnt < DCERPC_ITEMS_MAX)
			p->ctx[p->item_cnt++] = it;
	}
}

static void parse_bind_ack(struct ws_rd *r, struct dcerpc_pdu *p)
{
	bool be = p->big_endian;
	uint16_t addr_len;
	size_t pos;

	p->max_xmit = rd16(r, be);
	p->max_recv = rd16(r, be);
	p->assoc_group = rd32(r, be);
	addr_len = rd16(r, be);
	if (addr_len > ws_rd_left(r)) {
		ws_rd_fail(r, WS_RD_SHORT);
		return;
	}
	{
		struct ws_view v = ws_rd_view(r, addr_len);

		/* port_spec is NUL-terminated (C706 12.6.3.1 port_any_t). */
		if (v.len > 0 && v.p[v.len - 1] == 0)
			v.len--;
		ws_view_cstr(v, p->sec_addr, sizeof(p->sec_addr));
	}
	/* C706 12.6.3.4: the result list is 4-byte aligned from the PDU start. */
	pos = DCERPC_HDR_LEN + 10 + (size_t)addr_len;
	ws_rd_skip(r, (4 - pos % 4) % 4);
	p->item_total = ws_rd_u8(r);
	ws_rd_skip(r, 3);
	for (unsigned i = 0; i < p->item_total && ws_rd_ok(r); i++) {
		struct dcerpc_result res;

		res.result = rd16(r, be);
		res.reason = rd16(r, be);
		rd_syntax(r, be, &res.transfer);
		if (!ws_rd_ok(r))
			break;
		if (p->item_cnt < DCERPC_ITEMS_MAX)
			p->results[p->item_cnt++] = res;
	}
}

int dcerpc_parse_pdu(struct ws_rd *r, struct dcerpc_pdu *out)
{
	int rc = dcerpc_parse_hdr(r, out);
	bool be = out->big_endian;
	struct ws_rd b;
	size_t body_len;

	if (rc != 1)
		return rc;
	/* The body is fenced by frag_length, less the auth trailer, within what is held. */
	body_len = (size_t)out->frag_len - DCERPC_HDR_LEN;
	if (body_len > ws_rd_left(r))
		body_len = ws_rd_left(r);
	b = ws_rd_sub(r, body_len);
	switch (out->ptype) {
	case DCERPC_REQUEST:
		out->alloc_hint = rd32(&b, be);
		out->ctx_id = rd16(&b, be);
		out->opnum = rd16(&b, be);
		if (out->flags & DCERPC_PFC_OBJECT_UUID) {
			out->has_object = true;
			rd_uuid(&b, be, out->object);
		}
		break;
	case DCERPC_RESPONSE:
		out->alloc_hint = rd32(&b, be);
		out->ctx_id = rd16(&b, be);
		out->cancel_count = ws_rd_u8(&b);
		ws_rd_skip(&b, 1);
		break;
	case DCERPC_FAULT:
		out->alloc_hint = rd32(&b, be);
		out->ctx_id = rd16(&b, be);
		out->cancel_count = ws_rd_u8(&b);
		ws_rd_skip(&b, 1);
		out->status = rd32(&b, be);
		break;
	case DCERPC_BIND:
	case DCERPC_ALTER_CONTEXT:
		parse_bind(&b, out);
		break;
	case DCERPC_BIND_ACK:
	case DCERPC_ALTER_CONTEXT_RESP:
		parse_bind_ack(&b, out);
		break;
	case DCERPC_BIND_NAK:
		out->reject_reason = rd16(&b, be);
		break;
	default:
		break;
	}
	if (!ws_rd_ok(&b))
		out->truncated = true;
	return 1;
}

/* ---- names ------------------------------------------------------------ */

static const char *ptype_name(uint8_t t)
{
	static const char *const names[] = {
		"request", "ping", "response", "fault", "working", "nocall", "reject", "ack",
		"cl_cancel", "fack", "cancel_ack", "bind", "bind_ack", "bind_nak",
		"alter_context", "alter_context_resp", "auth3", "shutdown", "co_cancel", "orphaned",
	};

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
}

/* tshark's Info words for the PDU types. */
static const char *ptype_label(uint8_t t)
{
	switch (t) {
	case DCERPC_REQUEST: return "Request";
	case DCERPC_RESPONSE: return "Response";
	case DCERPC_FAULT: return "Fault";
	case DCERPC_BIND: return "Bind";
	case DCERPC_BIND_ACK: return "Bind_ack";
	case DCERPC_BIND_NAK: return "Bind_nak";
	case DCERPC_ALTER_CONTEXT: return "Alter_context";
	case DCERPC_ALTER_CONTEXT_RESP: return "Alter_context_resp";
	case DCERPC_AUTH3: return "AUTH3";
	case DCERPC_SHUTDOWN: return "Shutdown";
	case DCERPC_CO_CANCEL: return "Co_cancel";
	case DCERPC_ORPHANED: return "Orphaned";
	default: return "Unknown";
	}
}

static const char *frag_name(uint8_t flags)
{
	switch (flags & (DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG)) {
	case DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG: return "Single";
	case DCERPC_PFC_FIRST_FRAG: return "1st";
	case DCERPC_PFC_LAST_FRAG: return "Last";
	default: return "Mid";
	}
}

/* [MS-RPCE] 2.2.2.4 p_cont_def_result_t. */
static const char *result_name(uint16_t r)
{
	switch (r) {
	case 0: return "Acceptance";
	case 1: return "User rejection";
	case 2: return "Provider rejection";
	case 3: return "Negotiate ACK";
	default: return "Unknown result";
	}
}

/* C706 Appendix E / [MS-RPCE] 3.3.2.2 fault status codes seen in practice. */
static const char *fault_name(uint32_t s)
{
	switch (s) {
	case 0x00000005: return "nca_s_fault_access_denied";
	case 0x1c010002: return "nca_op_rng_error";
	case 0x1c010003: return "nca_unk_if";
	case 0x1c000001: return "nca_s_fault_int_div_by_zero";
	case 0x1c00001a: return "nca_s_fault_remote_no_memory";
	case 0x1c000021: return "nca_s_fault_context_mismatch";
	case 0x1c010013: return "nca_proto_error";
	case 0x1c00000d: return "nca_s_fault_ndr";
	default: return NULL;
	}
}

/* tshark's interface labels where they differ from the upper-cased name. */
static const char *iface_label(const char *name, char *buf, size_t cap)
{
	size_t i;

	if (strcmp(name, "netlogon") == 0)
		return "RPC_NETLOGON";
	if (strcmp(name, "epmapper") == 0)
		return "EPMv4";
	if (strcmp(name, "IRemoteSCMActivator") == 0)
		return "ISystemActivator";
	if (strcmp(name, "IObjectExporter") == 0 || strcmp(name, "tsch") == 0)
		return name;
	for (i = 0; name[i] && i + 1 < cap; i++)
		buf[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
	buf[i] = '\0';
	return buf;
}

static void uuid_fmt(const uint8_t u[16], char out[40])
{
	unsigned tl = (unsigned)u[0] | (unsigned)u[1] << 8 | (unsigned)u[2] << 16 | (unsigned)u[3] << 24;
	unsigned tm = (unsigned)u[4] | (unsigned)u[5] << 8;
	unsigned th = (unsigned)u[6] | (unsigned)u[7] << 8;

	snprintf(out, 40, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", tl, tm, th,
		 u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* ---- state ------------------------------------------------------------ */

/* "\PIPE\srvsvc", "\srvsvc", "srvsvc" -> "srvsvc". */
static void pipe_short_name(const char *pipe, char *out, size_t cap)
{
	const char *p = pipe ? pipe : "";

	while (*p == '\\')
		p++;
	if (strncasecmp(p, "PIPE\\", 5) == 0)
		p += 5;
	snprintf(out, cap, "%s", p);
}

static struct dcerpc_pipe *pipe_get(const struct dcerpc_sink *k, struct dcerpc_state *s, uint64_t fid)
{
	struct dcerpc_pipe *p;
	size_t victim = 0;

	s->tick++;
	for (size_t i = 0; i < DCERPC_PIPES_MAX; i++) {
		if (s->pipes[i] && s->pipes[i]->fid == fid) {
			s->pipes[i]->last_use = s->tick;
			return s->pipes[i];
		}
	}
	for (size_t i = 0; i < DCERPC_PIPES_MAX; i++) {
		if (!s->pipes[i]) {
			victim = i;
			break;
		}
		if (s->pipes[i]->last_use < s->pipes[victim]->last_use)
			victim = i;
	}
	p = s->pipes[victim];
	if (p) {
		k->anomaly(k->u, "dcerpc_pipes_limit", "DCERPC_PIPES_MAX pipes followed; the least recently used is dropped");
		memset(p, 0, sizeof(*p));
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		s->pipes[victim] = p;
	}
	p->fid = fid;
	p->last_use = s->tick;
	return p;
}

static struct dcerpc_ctx *ctx_find(struct dcerpc_pipe *p, uint16_t id)
{
	for (size_t i = 0; i < DCERPC_CTX_MAX; i++)
		if (p->ctx[i].used && p->ctx[i].ctx_id == id)
			return &p->ctx[i];
	return NULL;
}

static struct dcerpc_ctx *ctx_put(struct dcerpc_pipe *p, uint16_t id)
{
	struct dcerpc_ctx *c = ctx_find(p, id);

	for (size_t i = 0; !c && i < DCERPC_CTX_MAX; i++)
		if (!p->ctx[i].used)
			c = &p->ctx[i];
	if (!c)
		c = &p->ctx[id % DCERPC_CTX_MAX];	/* full: overwrite one */
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->ctx_id = id;
	return c;
}

static void ev_init(struct ws_ev_dcerpc *ev, const struct dcerpc_pdu *pdu, const struct dcerpc_pipe *p)
{
	memset(ev, 0, sizeof(*ev));
	ev->ptype = pdu->ptype;
	ev->ptype_name = ptype_name(pdu->ptype);
	ev->call_id = pdu->call_id;
	snprintf(ev->pipe, sizeof(ev->pipe), "%s", p->name);
}

static void ev_iface(struct ws_ev_dcerpc *ev, const uint8_t uuid[16])
{
	uuid_fmt(uuid, ev->interface_uuid);
	ev->interface = ws_kb_dcerpc_iface_name(uuid);
}

static void on_bind(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	char info[WS_INFO_MAX];
	int n;

	n = snprintf(info, sizeof(info), "%s: call_id: %u, Fragment: %s, %u context items: ",
		     ptype_label(pdu->ptype), pdu->call_id, frag_name(pdu->flags), pdu->item_total);
	p->bind_call_id = pdu->call_id;
	p->bind_cnt = 0;
	for (unsigned i = 0; i < pdu->item_cnt; i++) {
		const struct dcerpc_ctx_item *it = &pdu->ctx[i];
		struct dcerpc_ctx *c = ctx_put(p, it->ctx_id);
		const char *name = ws_kb_dcerpc_iface_name(it->abstract.uuid);
		char ubuf[40], tbuf[40], lbuf[64];
		const char *label;
		const char *tname;
		bool seen = false;

		memcpy(c->uuid, it->abstract.uuid, 16);
		c->ver_major = it->abstract.ver_major;
		c->ver_minor = it->abstract.ver_minor;
		p->bind_ids[p->bind_cnt++] = it->ctx_id;

		uuid_fmt(it->abstract.uuid, ubuf);
		uuid_fmt(it->transfer.uuid, tbuf);
		label = name ? iface_label(name, lbuf, sizeof(lbuf)) : ubuf;
		tname = strcmp(tbuf, NDR32_UUID) == 0 ? "32bit NDR" : strcmp(tbuf, NDR64_UUID) == 0 ? "64bit NDR" : tbuf;
		if (n >= 0 && (size_t)n < sizeof(info))
			n += snprintf(info + n, sizeof(info) - (size_t)n, "%s%s V%u.%u (%s)", i ? ", " : "",
				      label, it->abstract.ver_major, it->abstract.ver_minor, tname);

		/* One event per interface: the same one offered with several transfer syntaxes counts once. */
		for (unsigned j = 0; j < i; j++)
			if (memcmp(pdu->ctx[j].abstract.uuid, it->abstract.uuid, 16) == 0)
				seen = true;
		if (!seen) {
			struct ws_ev_dcerpc ev;

			ev_init(&ev, pdu, p);
			ev_iface(&ev, it->abstract.uuid);
			k->emit(k->u, &ev);
		}
	}
	k->info(k->u, info);
	if (pdu->item_total > pdu->item_cnt)
		k->anomaly(k->u, "dcerpc_items_limit", "bind context items past DCERPC_ITEMS_MAX or past the bytes kept were not decoded");
}

static void on_bind_ack(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	char info[WS_INFO_MAX];
	struct ws_ev_dcerpc ev;
	const struct dcerpc_ctx *named = NULL;
	int n;

	n = snprintf(info, sizeof(info), "%s: call_id: %u, Fragment: %s, max_xmit: %u max_recv: %u, %u results: ",
		     ptype_label(pdu->ptype), pdu->call_id, frag_name(pdu->flags), pdu->max_xmit, pdu->max_recv,
		     pdu->item_total);
	for (unsigned i = 0; i < pdu->item_cnt; i++) {
		const struct dcerpc_result *res = &pdu->results[i];
		struct dcerpc_ctx *c = NULL;

		if (n >= 0 && (size_t)n < sizeof(info))
			n += snprintf(info + n, sizeof(info) - (size_t)n, "%s%s", i ? ", " : "", result_name(res->result));
		/* C706 12.6.3.4: results come in the order of the bind's context items. */
		if (p->bind_call_id == pdu->call_id && i < p->bind_cnt)
			c = ctx_find(p, p->bind_ids[i]);
		if (!c)
			continue;
		c->accepted = res->result == 0;
		if (c->accepted && !named)
			named = c;
	}
	k->info(k->u, info);
	ev_init(&ev, pdu, p);
	if (!named && p->bind_call_id == pdu->call_id && p->bind_cnt > 0)
		named = ctx_find(p, p->bind_ids[0]);
	if (named)
		ev_iface(&ev, named->uuid);
	/* the first rejection's reason, when nothing was accepted */
	for (unsigned i = 0; i < pdu->item_cnt && !(named && named->accepted); i++)
		if (pdu->results[i].result == 1 || pdu->results[i].result == 2) {
			ev.status = pdu->results[i].reason;
			break;
		}
	k->emit(k->u, &ev);
}

static void on_bind_nak(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	char info[WS_INFO_MAX];
	struct ws_ev_dcerpc ev;
	struct dcerpc_ctx *c = NULL;

	snprintf(info, sizeof(info), "Bind_nak: call_id: %u, Fragment: %s, reject reason: %u",
		 pdu->call_id, frag_name(pdu->flags), pdu->reject_reason);
	k->info(k->u, info);
	ev_init(&ev, pdu, p);
	ev.status = pdu->reject_reason;
	if (p->bind_call_id == pdu->call_id && p->bind_cnt > 0)
		c = ctx_find(p, p->bind_ids[0]);
	if (c)
		ev_iface(&ev, c->uuid);
	k->emit(k->u, &ev);
}

static struct dcerpc_call *call_find(struct dcerpc_pipe *p, uint32_t call_id)
{
	for (size_t i = 0; i < DCERPC_CALLS_MAX; i++)
		if (p->calls[i].used && p->calls[i].call_id == call_id)
			return &p->calls[i];
	return NULL;
}

static void call_put(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	struct dcerpc_call *c = call_find(p, pdu->call_id);

	for (size_t i = 0; !c && i < DCERPC_CALLS_MAX; i++)
		if (!p->calls[i].used)
			c = &p->calls[i];
	if (!c) {
		k->anomaly(k->u, "dcerpc_calls_limit", "DCERPC_CALLS_MAX requests await a response; one is forgotten");
		c = &p->calls[pdu->call_id % DCERPC_CALLS_MAX];
	}
	c->used = true;
	c->call_id = pdu->call_id;
	c->ctx_id = pdu->ctx_id;
	c->opnum = pdu->opnum;
}

/* Interface and operation of a call on context ctx_id, into ev. */
static void ev_call(struct ws_ev_dcerpc *ev, struct dcerpc_pipe *p, uint16_t ctx_id, uint16_t opnum)
{
	const struct dcerpc_ctx *c = ctx_find(p, ctx_id);

	ev->opnum = opnum;
	if (c)
		ev_iface(ev, c->uuid);
	ev->operation = ws_kb_dcerpc_op_name(ev->interface, opnum);
}

static void on_request(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	char info[WS_INFO_MAX];
	struct ws_ev_dcerpc ev;

	ev_init(&ev, pdu, p);
	ev_call(&ev, p, pdu->ctx_id, pdu->opnum);
	if (ev.operation)
		snprintf(info, sizeof(info), "%s request", ev.operation);
	else
		snprintf(info, sizeof(info), "Request: call_id: %u, Fragment: %s, opnum: %u, Ctx: %u",
			 pdu->call_id, frag_name(pdu->flags), pdu->opnum, pdu->ctx_id);
	k->info(k->u, info);
	/* C706 12.6.3.1: a call's later fragments repeat the header; emit once, at the first. */
	if (!(pdu->flags & DCERPC_PFC_FIRST_FRAG))
		return;
	call_put(k, p, pdu);
	k->emit(k->u, &ev);
}

static void on_response(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	char info[WS_INFO_MAX];
	struct ws_ev_dcerpc ev;
	struct dcerpc_call *call = call_find(p, pdu->call_id);
	const char *fault = pdu->ptype == DCERPC_FAULT ? fault_name(pdu->status) : NULL;
	char sbuf[16];

	ev_init(&ev, pdu, p);
	if (call) {
		ev_call(&ev, p, call->ctx_id, call->opnum);
	} else {
		/* no request seen: the interface is known from the context, the operation is not */
		ev_call(&ev, p, pdu->ctx_id, 0);
		ev.operation = NULL;
	}
	if (pdu->ptype == DCERPC_FAULT) {
		ev.status = pdu->status;
		snprintf(sbuf, sizeof(sbuf), "0x%08x", pdu->status);
		snprintf(info, sizeof(info), "Fault: call_id: %u, Fragment: %s, Ctx: %u, status: %s",
			 pdu->call_id, frag_name(pdu->flags), pdu->ctx_id, fault ? fault : sbuf);
	} else if (ev.operation) {
		snprintf(info, sizeof(info), "%s response", ev.operation);
	} else {
		snprintf(info, sizeof(info), "Response: call_id: %u, Fragment: %s, Ctx: %u",
			 pdu->call_id, frag_name(pdu->flags), pdu->ctx_id);
	}
	k->info(k->u, info);
	if (pdu->ptype == DCERPC_RESPONSE && !(pdu->flags & DCERPC_PFC_FIRST_FRAG))
		return;
	k->emit(k->u, &ev);
	/* The call is over at its last fragment, or at a fault. */
	if (call && (pdu->ptype == DCERPC_FAULT || (pdu->flags & DCERPC_PFC_LAST_FRAG)))
		call->used = false;
}

static void on_pdu(const struct dcerpc_sink *k, struct dcerpc_pipe *p, const struct dcerpc_pdu *pdu)
{
	char info[WS_INFO_MAX];

	if (pdu->truncated) {
		k->anomaly(k->u, "dcerpc_truncated", "a PDU ended (frag_length or the bytes kept) before its fields");
		/* What a bind decoded is still worth reporting; a call without its opnum is not. */
		if (pdu->ptype != DCERPC_BIND && pdu->ptype != DCERPC_ALTER_CONTEXT &&
		    pdu->ptype != DCERPC_BIND_ACK && pdu->ptype != DCERPC_ALTER_CONTEXT_RESP)
			return;
	}
	switch (pdu->ptype) {
	case DCERPC_BIND:
	case DCERPC_ALTER_CONTEXT:
		on_bind(k, p, pdu);
		break;
	case DCERPC_BIND_ACK:
	case DCERPC_ALTER_CONTEXT_RESP:
		on_bind_ack(k, p, pdu);
		break;
	case DCERPC_BIND_NAK:
		on_bind_nak(k, p, pdu);
		break;
	case DCERPC_REQUEST:
		on_request(k, p, pdu);
		break;
	case DCERPC_RESPONSE:
	case DCERPC_FAULT:
		on_response(k, p, pdu);
		break;
	default:
		snprintf(info, sizeof(info), "%s: call_id: %u, Fragment: %s", ptype_label(pdu->ptype),
			 pdu->call_id, frag_name(pdu->flags));
		k->info(k->u, info);
		break;
	}
}

/*
 * One direction of one pipe: bytes are kept until the PDU's first
 * min(frag_length, DCERPC_HOLD_MAX) are held, then it is parsed and the rest
 * of it skipped as it comes.
 */
static void dir_feed(const struct dcerpc_sink *k, struct dcerpc_pipe *p, struct dcerpc_dir *d, struct ws_rd *data)
{
	while (ws_rd_left(data) > 0) {
		struct dcerpc_pdu pdu;
		struct ws_rd h;
		size_t want, n;

		if (d->skip > 0) {
			n = ws_rd_left(data) < d->skip ? ws_rd_left(data) : d->skip;
			ws_rd_skip(data, n);
			d->skip -= (uint32_t)n;
			continue;
		}
		want = DCERPC_HDR_LEN;
		if (d->held >= DCERPC_HDR_LEN) {
			ws_rd_init(&h, d->hold, d->held);
			if (dcerpc_parse_hdr(&h, &pdu) != 1)
				break;	/* cannot happen: checked when the header completed */
			want = pdu.frag_len < DCERPC_HOLD_MAX ? pdu.frag_len : DCERPC_HOLD_MAX;
		}
		n = want - d->held;
		if (n > ws_rd_left(data))
			n = ws_rd_left(data);
		ws_rd_copy(data, d->hold + d->held, n);
		d->held += (uint32_t)n;
		if (d->held < want)
			return;	/* wait for the next write or read */
		ws_rd_init(&h, d->hold, d->held);
		if (want == DCERPC_HDR_LEN) {
			if (dcerpc_parse_hdr(&h, &pdu) != 1) {
				/* Not a PDU start: lost bytes or not DCE/RPC. Drop this chunk and resynchronise. */
				k->anomaly(k->u, "dcerpc_bad_header", "not a version 5 connection-oriented PDU header, or frag_length < 16");
				d->held = 0;
				ws_rd_skip(data, ws_rd_left(data));
				return;
			}
			if (pdu.frag_len > DCERPC_HDR_LEN)
				continue;	/* now the body */
		}
		dcerpc_parse_pdu(&h, &pdu);
		d->held = 0;
		d->skip = (uint32_t)pdu.frag_len - (uint32_t)want;
		on_pdu(k, p, &pdu);
	}
}

void dcerpc_pipe_data_sink(const struct dcerpc_sink *k, struct dcerpc_state **st, enum ws_dir dir,
			   uint64_t fid, const char *pipe, struct ws_rd *data)
{
	struct dcerpc_pipe *p;

	if (!*st) {
		*st = calloc(1, sizeof(**st));
		if (!*st)
			return;
	}
	p = pipe_get(k, *st, fid);
	if (!p)
		return;
	if (pipe && pipe[0])
		pipe_short_name(pipe, p->name, sizeof(p->name));
	dir_feed(k, p, &p->dir[dir == WS_DIR_TO_CLIENT ? 1 : 0], data);
}

void ws_dcerpc_free(struct dcerpc_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < DCERPC_PIPES_MAX; i++)
		free(st->pipes[i]);
	free(st);
}

/* ---- the engine's side ------------------------------------------------ */

static void sink_emit(void *u, const struct ws_ev_dcerpc *ev)
{
	ws_pctx_emit(u, WS_EV_DCERPC, ev);
}

static void sink_info(void *u, const char *text)
{
	ws_pctx_info(u, "%s", text);
}

static void sink_anomaly(void *u, const char *name, const char *detail)
{
	ws_pctx_anomaly(u, name, detail);
}

void ws_dcerpc_pipe_data(struct ws_pctx *c, struct dcerpc_state **st, enum ws_dir dir,
			 uint64_t fid, const char *pipe, struct ws_rd *data)
{
	const struct dcerpc_sink k = { sink_emit, sink_info, sink_anomaly, c };

	dcerpc_pipe_data_sink(&k, st, dir, fid, pipe, data);
}
