/*
 * nbdgm.c - NetBIOS Datagram Service (UDP 138): identification and parsing,
 * with the browser protocol carried inside.
 *
 * Spec: RFC 1002 4.4 (datagram service packets): 4.4.1 header, 4.4.2 direct
 * and broadcast datagrams, 4.4.3 error, 4.4.4 query request and responses;
 * RFC 1001 14.1 (first-level name encoding); [MS-CIFS] 2.2.4.33
 * (SMB_COM_TRANSACTION request, as [MS-MAIL] 2.2.1 uses it for a mailslot
 * write); [MS-BRWS] 2.2 (browser messages on \MAILSLOT\BROWSE).
 * Emits: netbios (service "dgm"), one per datagram, and the packet line's
 * Info as tshark writes it: the browser message ("Host Announcement FILESRV,
 * Workstation, Server, ...", "Browser Election Request") when there is one,
 * else the datagram type ("Direct_group datagram"). Anomalies:
 * nbdgm_truncated, nbdgm_bad_name, nbdgm_bad_length.
 *
 *   0       8       16              32
 *   | TYPE  | FLAGS | DGM_ID        |
 *   | SOURCE_IP                     |
 *   | SOURCE_PORT   | DGM_LENGTH    |   <- 0x10..0x12 only
 *   | PACKET_OFFSET | SOURCE_NAME ... DESTINATION_NAME ... USER_DATA
 *
 * FLAGS: 0 0 0 0 SNT(2) F M (the four high bits are reserved zero).
 * DGM_LENGTH counts the bytes after PACKET_OFFSET, so for a datagram held
 * whole it equals the UDP payload length less 14.
 *
 * USER_DATA of a mailslot write: an SMB1 header (32 bytes, "\xffSMB",
 * command 0x25), WordCount 17, the Transaction words (ParameterCount,
 * ParameterOffset, DataCount, DataOffset at word offsets 9..12, offsets
 * counted from the SMB header), SetupCount 3 (opcode 1 = write, priority,
 * class), ByteCount, the mailslot name (NUL-terminated), then the data. A
 * browser message on \MAILSLOT\BROWSE starts with its command byte; host,
 * local master and domain announcements ([MS-BRWS] 2.2.1, 2.2.6, 2.2.7):
 *   | cmd | update cnt | periodicity(32 LE, ms) | server name (16, NUL padded) |
 *   | os major | os minor | server type (32 LE) | version major/minor or
 *   | signature (4) | comment (NUL-terminated) |
 * election request (2.2.3): | cmd | version | criteria (32) | uptime (32) |
 *   | 0 (32) | server name (NUL-terminated) |
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "event/ev_netbios.h"
#include "kb/kb.h"
#include "proto/proto.h"
#include "proto/nbname.h"

#define NBDGM_DIRECT_UNIQUE 0x10
#define NBDGM_DIRECT_GROUP 0x11
#define NBDGM_BROADCAST 0x12
#define NBDGM_ERROR 0x13
#define NBDGM_QUERY_REQUEST 0x14
#define NBDGM_POS_QUERY_RESPONSE 0x15
#define NBDGM_NEG_QUERY_RESPONSE 0x16

#define NBDGM_HDR_LEN 10	/* TYPE .. SOURCE_PORT */
#define NBDGM_DATA_HDR_LEN 14	/* plus DGM_LENGTH, PACKET_OFFSET */

#define NBDGM_FLAG_MORE 0x01	/* M: more fragments follow */
#define NBDGM_FLAG_FIRST 0x02	/* F: first fragment */

#define SMB_COM_TRANSACTION 0x25
#define SMB_HDR_LEN 32
#define SMB_TRANS_WORDS 14	/* WordCount of a Transaction request without setup words */

/* [MS-BRWS] 2.2: browser commands. */
#define BRWS_HOST_ANNOUNCEMENT 1
#define BRWS_ANNOUNCEMENT_REQUEST 2
#define BRWS_REQUEST_ELECTION 8
#define BRWS_GET_BACKUP_LIST_REQUEST 9
#define BRWS_GET_BACKUP_LIST_RESPONSE 10
#define BRWS_BECOME_BACKUP 11
#define BRWS_DOMAIN_ANNOUNCEMENT 12
#define BRWS_MASTER_ANNOUNCEMENT 13
#define BRWS_RESET_STATE_REQUEST 14
#define BRWS_LOCAL_MASTER_ANNOUNCEMENT 15

#define NBDGM_INFO_MAX 512	/* the Info text; longer is cut */
/* RFC 1035 2.3.4 limits, which RFC 1001 14.1 scopes follow. */
#define NBDGM_NAME_LEN_MAX 255
#define NBDGM_LABEL_LEN_MAX 63

/* Per flow: counts only; every datagram is parsed on its own. */
struct nbdgm_state {
	uint64_t msgs;
	uint64_t bad;
};

/* A name as read: the 16 decoded bytes and the scope, dotted. */
struct nbdgm_name {
	uint8_t raw[16];
	char scope[WS_NB_SCOPE_MAX];
};

enum nbdgm_name_res { NBDGM_NAME_OK, NBDGM_NAME_SHORT, NBDGM_NAME_BAD };

static const char *nbdgm_type_name(uint8_t type)
{
	switch (type) {
	case NBDGM_DIRECT_UNIQUE: return "Direct_unique datagram";
	case NBDGM_DIRECT_GROUP: return "Direct_group datagram";
	case NBDGM_BROADCAST: return "Broadcast datagram";
	case NBDGM_ERROR: return "Datagram error";
	case NBDGM_QUERY_REQUEST: return "Datagram query request";
	case NBDGM_POS_QUERY_RESPONSE: return "Datagram positive query response";
	case NBDGM_NEG_QUERY_RESPONSE: return "Datagram negative query response";
	default: return NULL;
	}
}

/* tshark's wording of [MS-BRWS] 2.2 commands. */
static const char *brws_command_name(uint8_t cmd)
{
	switch (cmd) {
	case BRWS_HOST_ANNOUNCEMENT: return "Host Announcement";
	case BRWS_ANNOUNCEMENT_REQUEST: return "Request Announcement";
	case BRWS_REQUEST_ELECTION: return "Browser Election Request";
	case BRWS_GET_BACKUP_LIST_REQUEST: return "Get Backup List Request";
	case BRWS_GET_BACKUP_LIST_RESPONSE: return "Get Backup List Response";
	case BRWS_BECOME_BACKUP: return "Become Backup Browser";
	case BRWS_DOMAIN_ANNOUNCEMENT: return "Domain/Workgroup Announcement";
	case BRWS_MASTER_ANNOUNCEMENT: return "Master Announcement";
	case BRWS_RESET_STATE_REQUEST: return "Reset Browser State Announcement";
	case BRWS_LOCAL_MASTER_ANNOUNCEMENT: return "Local Master Announcement";
	default: return NULL;
	}
}

/* [MS-RAP] 2.5.5.2.1 SV_TYPE_* bits, by bit number, in tshark's words. */
static const char *const brws_server_types[32] = {
	[0] = "Workstation", [1] = "Server", [2] = "SQL Server",
	[3] = "Domain Controller", [4] = "Backup Controller", [5] = "Time Source",
	[6] = "Apple Server", [7] = "Novell Server", [8] = "Domain Member Server",
	[9] = "Print Queue Server", [10] = "Dialin Server", [11] = "Xenix Server",
	[12] = "NT Workstation", [13] = "Windows for Workgroups", [15] = "NT Server",
	[16] = "Potential Browser", [17] = "Backup Browser", [18] = "Master Browser",
	[19] = "Domain Master Browser", [20] = "OSF", [21] = "VMS",
	[22] = "Windows 95 or above", [23] = "DFS server", [30] = "Local List Only",
	[31] = "Domain Enum",
};

/* Bounded append to a NUL-terminated buffer; the text is cut at cap. */
static void nbdgm_app(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void nbdgm_app(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

/* Appends bytes, \xHH outside printable ASCII. */
static void nbdgm_app_escaped(char *buf, size_t cap, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			nbdgm_app(buf, cap, "%c", p[i]);
		else
			nbdgm_app(buf, cap, "\\x%02x", p[i]);
	}
}

/*
 * RFC 1001 14.1 name at r: a 32-byte label 'A'..'P', scope labels, a zero.
 * The datagram service carries names whole (no pointers).
 */
static enum nbdgm_name_res nbdgm_read_name(struct ws_rd *r, struct nbdgm_name *out, const char **why)
{
	uint8_t enc[32];
	char trimmed[16];
	uint8_t suffix;
	size_t total = 33;
	uint8_t len = ws_rd_u8(r);

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (!ws_rd_ok(r))
		return NBDGM_NAME_SHORT;
	if (len != 32) {
		*why = "first label is not 32 bytes";
		return NBDGM_NAME_BAD;
	}
	ws_rd_copy(r, enc, sizeof(enc));
	if (!ws_rd_ok(r))
		return NBDGM_NAME_SHORT;
	if (ws_nb_decode_name(enc, sizeof(enc), trimmed, &suffix) != 0) {
		*why = "character outside A-P";
		return NBDGM_NAME_BAD;
	}
	for (int i = 0; i < 16; i++)
		out->raw[i] = (uint8_t)((enc[2 * i] - 'A') << 4 | (enc[2 * i + 1] - 'A'));
	for (;;) {
		len = ws_rd_u8(r);
		if (!ws_rd_ok(r))
			return NBDGM_NAME_SHORT;
		if (len == 0)
			return NBDGM_NAME_OK;
		total += 1u + len;
		if (len > NBDGM_LABEL_LEN_MAX || total > NBDGM_NAME_LEN_MAX) {
			*why = "scope label too long";
			return NBDGM_NAME_BAD;
		}
		struct ws_view v = ws_rd_view(r, len);
		if (!ws_rd_ok(r))
			return NBDGM_NAME_SHORT;
		nbdgm_app(out->scope, sizeof(out->scope), "%s", out->scope[0] ? "." : "");
		nbdgm_app_escaped(out->scope, sizeof(out->scope), v.p, v.len);
	}
}

/* The event's form: 15 bytes, trailing spaces gone, \xHH outside printable ASCII. */
static void nbdgm_name_event(struct ws_nb_name *dst, const struct nbdgm_name *n, int group)
{
	size_t end = 15;

	memset(dst, 0, sizeof(*dst));
	while (end > 0 && n->raw[end - 1] == ' ')
		end--;
	nbdgm_app_escaped(dst->name, sizeof(dst->name), n->raw, end);
	dst->suffix = n->raw[15];
	dst->type = group < 0 ? WS_NB_UNKNOWN : group ? WS_NB_GROUP : WS_NB_UNIQUE;
	const struct ws_nb_suffix *s = ws_kb_nb_suffix(dst->suffix, group, dst->name);
	dst->meaning = s ? s->meaning : NULL;
	snprintf(dst->scope, sizeof(dst->scope), "%s", n->scope);
	dst->present = true;
}

/* A NUL-terminated string of at most the reader's bytes; the rest past cap is dropped. */
static void nbdgm_cstr(struct ws_rd *r, char *out, size_t cap)
{
	out[0] = 0;
	while (ws_rd_left(r) > 0) {
		uint8_t ch = ws_rd_u8(r);

		if (ch == 0)
			return;
		nbdgm_app_escaped(out, cap, &ch, 1);
	}
	ws_rd_fail(r, WS_RD_SHORT);	/* no terminator held */
}

/*
 * [MS-BRWS] 2.2: one browser message. Fills ev->browser, writes the Info.
 * Returns false when the message was cut.
 */
static bool brws_parse(struct ws_rd *r, struct ws_ev_netbios *ev, char *info, size_t icap)
{
	struct ws_nb_browser *b = &ev->browser;
	uint8_t cmd = ws_rd_u8(r);

	if (!ws_rd_ok(r))
		return false;
	ev->has_browser = true;
	b->command = cmd;
	b->command_name = brws_command_name(cmd);
	if (b->command_name)
		nbdgm_app(info, icap, "%s", b->command_name);
	else
		nbdgm_app(info, icap, "Unknown command:0x%02x", cmd);
	switch (cmd) {
	case BRWS_HOST_ANNOUNCEMENT:
	case BRWS_DOMAIN_ANNOUNCEMENT:
	case BRWS_LOCAL_MASTER_ANNOUNCEMENT: {
		ws_rd_skip(r, 1);	/* UpdateCount */
		b->periodicity_ms = ws_rd_le32(r);
		struct ws_view name = ws_rd_view(r, 16);
		if (!ws_rd_ok(r))
			return false;
		size_t n = 0;
		while (n < 16 && name.p[n] != 0)
			n++;
		nbdgm_app_escaped(b->server, sizeof(b->server), name.p, n);
		nbdgm_app(info, icap, " %s", b->server);
		b->os_major = ws_rd_u8(r);
		b->os_minor = ws_rd_u8(r);
		b->server_type = ws_rd_le32(r);
		if (!ws_rd_ok(r))
			return false;
		for (int i = 0; i < 32; i++) {
			if (!(b->server_type & (1u << i)))
				continue;
			if (brws_server_types[i])
				nbdgm_app(info, icap, ", %s", brws_server_types[i]);
			else
				nbdgm_app(info, icap, ", Unknown server type:%d", i);
		}
		/* Browser version major/minor and signature; for a domain
		 * announcement, 4 bytes [MS-BRWS] leaves unspecified. */
		ws_rd_skip(r, 4);
		/* Comment; for a domain announcement the local master's name. */
		nbdgm_cstr(r, b->comment, sizeof(b->comment));
		break;
	}
	case BRWS_ANNOUNCEMENT_REQUEST:
		ws_rd_skip(r, 1);	/* Unused */
		nbdgm_cstr(r, b->server, sizeof(b->server));	/* ResponseName */
		nbdgm_app(info, icap, " %s", b->server);
		break;
	case BRWS_REQUEST_ELECTION:
		b->election_version = ws_rd_u8(r);
		b->election_criteria = ws_rd_le32(r);
		ws_rd_skip(r, 4 + 4);	/* Uptime, Unused */
		nbdgm_cstr(r, b->server, sizeof(b->server));
		break;
	case BRWS_GET_BACKUP_LIST_REQUEST:
		ws_rd_skip(r, 1 + 4);	/* RequestedCount, Token */
		break;
	case BRWS_GET_BACKUP_LIST_RESPONSE:
		ws_rd_skip(r, 1 + 4);	/* BackupServerCount, Token */
		nbdgm_cstr(r, b->server, sizeof(b->server));	/* the first backup server */
		break;
	case BRWS_BECOME_BACKUP:
	case BRWS_MASTER_ANNOUNCEMENT:
		nbdgm_cstr(r, b->server, sizeof(b->server));	/* BrowserToPromote, MasterBrowserServerName */
		break;
	case BRWS_RESET_STATE_REQUEST:
		ws_rd_skip(r, 1);	/* Options */
		break;
	default:
		break;
	}
	return ws_rd_ok(r);
}

/*
 * [MS-CIFS] 2.2.4.33.1 Transaction request carrying a mailslot write. r holds
 * the user data. Returns 1 and sets *data to the transaction data when it is
 * one, 0 when the user data is something else, -1 when it was cut.
 */
static int smb_mailslot(struct ws_rd *r, struct ws_ev_netbios *ev, struct ws_rd *data)
{
	const struct ws_rd smb = *r;

	if (!ws_rd_match(r, "\xffSMB", 4))
		return ws_rd_left(r) < 4 ? -1 : 0;
	ws_rd_skip(r, 4);
	uint8_t cmd = ws_rd_u8(r);
	ws_rd_skip(r, SMB_HDR_LEN - 5);
	uint8_t wc = ws_rd_u8(r);
	if (!ws_rd_ok(r))
		return -1;
	if (cmd != SMB_COM_TRANSACTION || wc < SMB_TRANS_WORDS)
		return 0;
	struct ws_rd words = ws_rd_sub(r, (size_t)wc * 2);
	ws_rd_skip(&words, 18);	/* Total*, Max*, Reserved1, Flags, Timeout, Reserved2 */
	ws_rd_skip(&words, 4);	/* ParameterCount, ParameterOffset */
	uint16_t data_cnt = ws_rd_le16(&words);
	uint16_t data_off = ws_rd_le16(&words);
	uint16_t bc = ws_rd_le16(r);
	if (!ws_rd_ok(&words) || !ws_rd_ok(r))
		return -1;
	/* SMB_Data: the mailslot name first (OEM characters; [MS-MAIL] 2.2.1). */
	bool cut = bc > ws_rd_left(r);
	struct ws_rd bytes = ws_rd_sub(r, cut ? ws_rd_left(r) : bc);
	nbdgm_cstr(&bytes, ev->mailslot, sizeof(ev->mailslot));
	if (!ws_rd_ok(&bytes))
		return -1;
	/* DataOffset counts from the SMB header's first byte. */
	*data = smb;
	ws_rd_skip(data, data_off);
	if (!ws_rd_ok(data))
		return -1;
	cut = data_cnt > ws_rd_left(data);
	*data = ws_rd_sub(data, cut ? ws_rd_left(data) : data_cnt);
	return cut ? -1 : 1;
}

static void nbdgm_parse(struct ws_pctx *c, struct ws_rd *r, struct ws_ev_netbios *ev,
			char *info, size_t icap)
{
	size_t dgram_len = ws_rd_left(r);
	struct nbdgm_name nm;
	const char *why;
	enum nbdgm_name_res nr;
	uint8_t src_ip[4];

	ev->msg_type = ws_rd_u8(r);
	ev->dgm_flags = ws_rd_u8(r);
	ev->dgm_id = ws_rd_be16(r);
	ws_rd_copy(r, src_ip, 4);
	ev->source_port = ws_rd_be16(r);
	if (!ws_rd_ok(r))
		return;
	ws_addr_set4(&ev->source_ip, src_ip);
	ev->msg_type_name = nbdgm_type_name(ev->msg_type);
	if (ev->msg_type == NBDGM_ERROR) {
		ev->error_code = ws_rd_u8(r);	/* 4.4.3: 0x82 .. 0x84 */
		return;
	}
	if (ev->msg_type < NBDGM_DIRECT_UNIQUE || ev->msg_type > NBDGM_NEG_QUERY_RESPONSE)
		return;
	if (ev->msg_type <= NBDGM_BROADCAST) {
		uint16_t dlen = ws_rd_be16(r);

		ws_rd_skip(r, 2);	/* PACKET_OFFSET */
		if (!ws_rd_ok(r))
			return;
		if (dlen > dgram_len - NBDGM_DATA_HDR_LEN) {
			ws_pctx_anomaly(c, "nbdgm_bad_length", "DGM_LENGTH beyond the datagram");
			ws_rd_fail(r, WS_RD_SHORT);
			return;
		}
		struct ws_rd body = ws_rd_sub(r, dlen);

		nr = nbdgm_read_name(&body, &nm, &why);
		if (nr == NBDGM_NAME_OK) {
			nbdgm_name_event(&ev->src_name, &nm, -1);
			nr = nbdgm_read_name(&body, &nm, &why);
		}
		if (nr == NBDGM_NAME_OK)
			nbdgm_name_event(&ev->dst_name, &nm, ev->msg_type == NBDGM_DIRECT_UNIQUE ? 0
							     : ev->msg_type == NBDGM_DIRECT_GROUP ? 1 : -1);
		if (nr != NBDGM_NAME_OK) {
			if (nr == NBDGM_NAME_BAD)
				ws_pctx_anomaly(c, "nbdgm_bad_name", why);
			ws_rd_fail(r, nr == NBDGM_NAME_BAD ? WS_RD_BAD : WS_RD_SHORT);
			return;
		}
		/* Only a whole datagram (first fragment, no more) holds a whole SMB. */
		if ((ev->dgm_flags & (NBDGM_FLAG_FIRST | NBDGM_FLAG_MORE)) != NBDGM_FLAG_FIRST)
			return;
		struct ws_rd data;
		int sm = smb_mailslot(&body, ev, &data);
		if (sm < 0)
			ws_rd_fail(r, WS_RD_SHORT);
		/* NEEDSWORK: \MAILSLOT\LANMAN carries the older LAN Manager
		 * announcement format; only \MAILSLOT\BROWSE is decoded. */
		if (sm != 0 && strcmp(ev->mailslot, "\\MAILSLOT\\BROWSE") == 0 &&
		    !brws_parse(&data, ev, info, icap))
			ws_rd_fail(r, WS_RD_SHORT);
		return;
	}
	/* 4.4.4: query request and responses carry DESTINATION_NAME only. */
	nr = nbdgm_read_name(r, &nm, &why);
	if (nr == NBDGM_NAME_OK)
		nbdgm_name_event(&ev->dst_name, &nm, -1);
	else if (nr == NBDGM_NAME_BAD)
		ws_pctx_anomaly(c, "nbdgm_bad_name", why);
	else
		ws_rd_fail(r, WS_RD_SHORT);
}

static struct ws_feed_res nbdgm_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct nbdgm_state *st = state;
	struct ws_ev_netbios ev;
	char info[NBDGM_INFO_MAX] = "";
	size_t len = ws_rd_left(r);
	const struct ws_packet *p = ws_pctx_packet(c);

	(void)dir;
	memset(&ev, 0, sizeof(ev));
	ev.service = WS_NB_DGM;
	nbdgm_parse(c, r, &ev, info, sizeof(info));
	if (r->err == WS_RD_SHORT || (p && p->payload_wire_len > p->payload_len))
		ev.truncated = true;
	if (p && p->ip_ver == 4)
		ev.to_subnet_broadcast = ws_addr_is_subnet_broadcast(&p->dst);
	if (ev.truncated)
		ws_pctx_anomaly(c, "nbdgm_truncated", NULL);
	if (r->err != WS_RD_OK)
		st->bad++;
	st->msgs++;
	if (!ev.has_browser) {
		if (ev.msg_type_name)
			nbdgm_app(info, sizeof(info), "%s", ev.msg_type_name);
		else
			nbdgm_app(info, sizeof(info), "Unknown (0x%02x)", ev.msg_type);
	}
	ws_pctx_emit(c, WS_EV_NETBIOS, &ev);
	ws_pctx_info(c, "%s", info);
	return WS_FEED_OK_RES(len);
}

static enum ws_probe nbdgm_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	size_t dgram_len = ws_rd_left(&c);

	(void)dir;
	if (l4 != WS_PROTO_UDP)
		return WS_PROBE_NO;
	uint8_t type = ws_rd_u8(&c);
	if (!ws_rd_ok(&c) || type < NBDGM_DIRECT_UNIQUE || type > NBDGM_NEG_QUERY_RESPONSE)
		return WS_PROBE_NO;
	uint8_t flags = ws_rd_u8(&c);
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;
	if (flags & 0xf0)	/* 4.4.1: reserved bits */
		return WS_PROBE_NO;
	ws_rd_skip(&c, 2 + 4 + 2);	/* DGM_ID, SOURCE_IP, SOURCE_PORT */
	if (!ws_rd_ok(&c))
		return WS_PROBE_MAYBE;

	if (type == NBDGM_ERROR) {
		/* 4.4.3: ERROR_CODE 0x82 no such name, 0x83 bad source, 0x84 bad destination. */
		uint8_t code = ws_rd_u8(&c);

		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if (code < 0x82 || code > 0x84 || dgram_len != NBDGM_HDR_LEN + 1)
			return WS_PROBE_NO;
		return WS_PROBE_YES;
	}
	if (type <= NBDGM_BROADCAST) {
		uint16_t dlen = ws_rd_be16(&c);

		ws_rd_skip(&c, 2);	/* PACKET_OFFSET */
		if (!ws_rd_ok(&c))
			return WS_PROBE_MAYBE;
		if (dlen != dgram_len - NBDGM_DATA_HDR_LEN)
			return WS_PROBE_NO;
		/* SOURCE_NAME, then DESTINATION_NAME (only the first of a
		 * fragmented datagram carries both, and it is the one probed). */
		int name = ws_nb_name_skip(&c);
		if (name <= 0)
			return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
		name = ws_nb_name_skip(&c);
		if (name <= 0)
			return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
		return WS_PROBE_YES;
	}
	/* 4.4.4: query request and responses carry DESTINATION_NAME only. */
	int name = ws_nb_name_skip(&c);
	if (name <= 0)
		return name == 0 ? WS_PROBE_NO : WS_PROBE_MAYBE;
	return ws_rd_left(&c) == 0 ? WS_PROBE_YES : WS_PROBE_NO;
}

const struct ws_proto ws_proto_nbdgm = {
	.name = "netbios-dgm",
	.label = "NBDGM",
	.spec = "RFC 1002 4.4",
	.l4 = WS_PROTO_UDP,
	.udp_ports = { 138 },
	.probe = nbdgm_probe,
	.state_size = sizeof(struct nbdgm_state),
	.feed = nbdgm_feed,
};
