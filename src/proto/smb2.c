/*
 * smb2.c - SMB2/SMB3 messages ([MS-SMB2]), handed whole by the NBSS framing
 * (smb_parts.h): one message body per call, starting at its protocol id.
 *
 * Spec: [MS-SMB2] 2.2.1 (sync/async header), 2.2.3-2.2.38 (commands),
 * 2.2.41 (transform header), 2.2.42 (compression transform header),
 * 3.2.4.1.4 / 3.3.5.2.7 (compounded requests: NextCommand, related flag).
 * Emits: WS_EV_SMB once per request/response pair (version 2, or 3 once a
 * 3.x dialect was negotiated), WS_EV_LOGIN per SESSION_SETUP carrying an
 * NTLMSSP AUTHENTICATE or a Kerberos AP-REQ (at its final response),
 * anomalies (smb2_compressed, smb2_bad_header, smb2_bad_next_command,
 * smb2_pending_limit), and the packet line Info text, worded as tshark's.
 *
 * Header (64 bytes, little-endian):
 *
 *   0 ProtocolId 0xFE 'S' 'M' 'B'   4 StructureSize (64)  6 CreditCharge
 *   8 Status (responses) / ChannelSequence   12 Command   14 Credits
 *  16 Flags   20 NextCommand   24 MessageId (8)
 *  32 sync: Reserved (4), TreeId (4)  |  async: AsyncId (8)
 *  40 SessionId (8)   48 Signature (16)   64 command body
 *
 * Offsets inside a body (names, buffers) count from the start of its own
 * header, so each compounded message is parsed through a reader fenced to
 * [its header, NextCommand) and fields are fetched relative to that fence.
 * Requests wait in a bounded table keyed by MessageId; an interim
 * STATUS_PENDING response keeps them waiting for the final one. TreeId ->
 * share and FileId -> name/pipe maps are bounded too (oldest replaced).
 * Requests still waiting when the flow ends are emitted by smb2_close()
 * (has_response false), oldest first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/ev_smb.h"
#include "kb/smbkb.h"
#include "proto/dcerpc.h"
#include "proto/ntlmssp.h"
#include "proto/smb_flow.h"
#include "proto/smb_parts.h"

/* Requests awaiting their response: clients keep up to a few dozen in flight
 * (pipelined reads); the oldest is emitted alone when a new one needs room. */
#define WS_SMB2_PENDING_MAX 32
/* Trees connected at once on one connection: a client rarely holds more than
 * a handful (IPC$ and the shares it browses). */
#define WS_SMB2_TREES_MAX 16
/* Open files remembered for their names: closed ones are forgotten, so this
 * bounds what one connection keeps open at a time, not in total. */
#define WS_SMB2_FILES_MAX 64
/* Commands in one compounded message: real clients chain 2-4. */
#define WS_SMB2_COMPOUND_MAX 32
/* Negotiate contexts walked (MS-SMB2 2.2.3.1 defines eight types). */
#define WS_SMB2_CONTEXTS_MAX 16

#define SMB2_HDR_LEN 64
#define SMB2_FLAGS_SERVER_TO_REDIR 0x00000001u
#define SMB2_FLAGS_ASYNC_COMMAND 0x00000002u
#define SMB2_FLAGS_RELATED_OPERATIONS 0x00000004u
#define SMB2_FLAGS_SIGNED 0x00000008u

#define STATUS_SUCCESS 0x00000000u
#define STATUS_PENDING 0x00000103u
#define STATUS_MORE_PROCESSING_REQUIRED 0xc0000016u

enum smb2_cmd {
	SMB2_NEGOTIATE, SMB2_SESSION_SETUP, SMB2_LOGOFF, SMB2_TREE_CONNECT, SMB2_TREE_DISCONNECT,
	SMB2_CREATE, SMB2_CLOSE, SMB2_FLUSH, SMB2_READ, SMB2_WRITE, SMB2_LOCK, SMB2_IOCTL,
	SMB2_CANCEL, SMB2_ECHO, SMB2_QUERY_DIRECTORY, SMB2_CHANGE_NOTIFY, SMB2_QUERY_INFO,
	SMB2_SET_INFO, SMB2_OPLOCK_BREAK, SMB2_CMD_COUNT
};

/* tshark's words for the Info column, by command. */
static const char *const smb2_info_names[SMB2_CMD_COUNT] = {
	"Negotiate Protocol", "Session Setup", "Session Logoff", "Tree Connect", "Tree Disconnect",
	"Create", "Close", "Flush", "Read", "Write", "Lock", "Ioctl", "Cancel", "KeepAlive", "Find",
	"Notify", "GetInfo", "SetInfo", "Break",
};

#define SMB2_SHARE_TYPE_PIPE 0x02
#define FSCTL_PIPE_TRANSCEIVE 0x0011c017u
/* MS-SMB2 2.2.13: a related request's FileId "from the previous operation". */
#define SMB2_FID_RELATED UINT64_MAX

/* [MS-SMB2] 2.2.9 share types as words. */
static const char *const share_types[] = { "", "disk", "pipe", "print" };

struct smb2_fid {
	uint64_t pid, vid;	/* FileId.Persistent, FileId.Volatile */
};

struct smb2_tree {
	bool used;
	uint8_t type;
	uint32_t id;
	uint64_t age;
	char share[WS_SMB_PATH_MAX];
};

struct smb2_file {
	bool used;
	bool pipe;
	bool name_truncated;
	struct smb2_fid fid;
	uint64_t age;
	char name[WS_SMB_PATH_MAX];
};

/* What a request told us, kept until its response. */
struct smb2_pend {
	bool used;
	bool async;
	bool signed_msg;
	bool compounded;
	bool has_fid;
	bool path_truncated;
	uint16_t cmd;
	uint8_t info_type, info_class;
	uint8_t dialect_cnt;
	uint16_t security_mode;
	uint32_t capabilities;
	uint32_t tree_id;
	uint32_t disposition;
	uint32_t length, data_length;
	uint32_t ioctl_code;
	uint64_t msg_id, session_id, age, offset;
	uint64_t req_pcap_cnt;		/* frame that completed the request */
	struct smb2_fid fid;
	const char *dialects[WS_SMB_DIALECTS_MAX];
	char path[WS_SMB_PATH_MAX];	/* tree connect path, create name, find pattern */
	/* session setup: the login attempt it carries, if any */
	bool login;
	bool login_anonymous;
	bool login_password_sent;
	const char *login_method;
	char user[WS_SMB_NAME_MAX];
	char domain[WS_SMB_NAME_MAX];
	char host[WS_SMB_NAME_MAX];
};

struct smb2_state {
	uint16_t dialect;		/* negotiated, 0 until known */
	uint64_t clock;			/* ages entries for replacement */
	struct smb2_fid last_fid;	/* FileId of the previous command in a compound */
	bool last_fid_known;
	struct smb2_pend pend[WS_SMB2_PENDING_MAX];
	struct smb2_tree trees[WS_SMB2_TREES_MAX];
	struct smb2_file files[WS_SMB2_FILES_MAX];
};

/* The parsed header of one message. */
struct smb2_hdr {
	uint16_t credit_charge;
	uint32_t status;
	uint16_t cmd;
	uint32_t flags;
	uint32_t next;
	uint64_t msg_id;
	uint64_t async_id;
	uint32_t tree_id;
	uint64_t session_id;
	bool response;
	bool async;
};

/* ---- helpers over one message's fenced reader ---- */

/* The reader positioned at offset off from the message start (header). */
static struct ws_rd at(const struct ws_rd *m, size_t off)
{
	struct ws_rd r = *m;

	ws_rd_skip(&r, off);
	return r;
}

/* A buffer (offset from the header, length); cut to what is held. *cut says so. */
static struct ws_rd buffer(const struct ws_rd *m, size_t off, size_t len, bool *cut)
{
	struct ws_rd r = *m;
	size_t left = ws_rd_left(&r);

	if (off > left) {
		*cut = len > 0;
		ws_rd_init(&r, NULL, 0);
		return r;
	}
	ws_rd_skip(&r, off);
	if (len > ws_rd_left(&r)) {
		*cut = true;
		len = ws_rd_left(&r);
	}
	return ws_rd_sub(&r, len);
}

/* A UTF-16LE name at (off, len) from the header into dst; 0 when it was cut or did not fit. */
static int utf16_field(const struct ws_rd *m, size_t off, size_t len, char *dst, size_t cap)
{
	bool cut = false;
	struct ws_rd b = buffer(m, off, len, &cut);
	struct ws_view v = ws_rd_rest(&b);

	if (!ws_view_utf16le(v, dst, cap))
		return 0;
	return !cut;
}

static struct smb2_fid read_fid(struct ws_rd *r)
{
	struct smb2_fid f;

	f.pid = ws_rd_le64(r);
	f.vid = ws_rd_le64(r);
	return f;
}

static bool fid_eq(struct smb2_fid a, struct smb2_fid b)
{
	return a.pid == b.pid && a.vid == b.vid;
}

/* ---- state tables ---- */

static struct smb2_tree *tree_find(struct smb2_state *s, uint32_t id)
{
	for (size_t i = 0; i < WS_SMB2_TREES_MAX; i++)
		if (s->trees[i].used && s->trees[i].id == id)
			return &s->trees[i];
	return NULL;
}

static struct smb2_tree *tree_add(struct smb2_state *s, uint32_t id)
{
	struct smb2_tree *t = tree_find(s, id);

	if (!t) {
		t = &s->trees[0];
		for (size_t i = 0; i < WS_SMB2_TREES_MAX; i++) {
			if (!s->trees[i].used) {
				t = &s->trees[i];
				break;
			}
			if (s->trees[i].age < t->age)
				t = &s->trees[i];
		}
	}
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->id = id;
	t->age = ++s->clock;
	return t;
}

static struct smb2_file *file_find(struct smb2_state *s, struct smb2_fid fid)
{
	if (fid.pid == SMB2_FID_RELATED && fid.vid == SMB2_FID_RELATED && s->last_fid_known)
		fid = s->last_fid;
	for (size_t i = 0; i < WS_SMB2_FILES_MAX; i++)
		if (s->files[i].used && fid_eq(s->files[i].fid, fid))
			return &s->files[i];
	return NULL;
}

static struct smb2_file *file_add(struct smb2_state *s, struct smb2_fid fid)
{
	struct smb2_file *f = file_find(s, fid);

	if (!f) {
		f = &s->files[0];
		for (size_t i = 0; i < WS_SMB2_FILES_MAX; i++) {
			if (!s->files[i].used) {
				f = &s->files[i];
				break;
			}
			if (s->files[i].age < f->age)
				f = &s->files[i];
		}
	}
	memset(f, 0, sizeof(*f));
	f->used = true;
	f->fid = fid;
	f->age = ++s->clock;
	return f;
}

static struct smb2_pend *pend_find(struct smb2_state *s, uint64_t msg_id)
{
	for (size_t i = 0; i < WS_SMB2_PENDING_MAX; i++)
		if (s->pend[i].used && s->pend[i].msg_id == msg_id)
			return &s->pend[i];
	return NULL;
}

/* ---- events ---- */

static uint8_t smb_version(const struct smb2_state *s)
{
	return s->dialect >= 0x0300 && s->dialect != 0x02ff ? 3 : 2;
}

static const char *status_name(uint32_t status)
{
	return ws_kb_nt_status_name(status);
}

/* Fills share/filename of ev from the maps. */
static void ev_names(struct smb2_state *s, struct ws_ev_smb *ev, bool has_fid, struct smb2_fid fid)
{
	struct smb2_tree *t = tree_find(s, ev->tree_id);

	if (t) {
		snprintf(ev->share, sizeof(ev->share), "%s", t->share);
		if (t->type < sizeof(share_types) / sizeof(share_types[0]))
			snprintf(ev->service, sizeof(ev->service), "%s", share_types[t->type]);
	}
	if (has_fid) {
		struct smb2_file *f = file_find(s, fid);

		if (f) {
			snprintf(ev->filename, sizeof(ev->filename), "%s", f->name);
			ev->filename_truncated = f->name_truncated;
			if (f->pipe) {
				/* pipe names are short; a longer one is cut, as the field says */
				size_t n = strnlen(f->name, sizeof(ev->pipe) - 1);

				memcpy(ev->pipe, f->name, n);
				ev->pipe[n] = '\0';
			}
		}
	}
}

/* The request half of an event, from a waiting request. */
static void ev_from_pend(struct smb2_state *s, const struct smb2_pend *p, struct ws_ev_smb *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->version = smb_version(s);
	ev->command = p->cmd;
	ev->command_name = ws_kb_smb2_cmd_name(p->cmd);
	ev->has_request = true;
	ev->msg_id = p->msg_id;
	ev->req_pcap_cnt = p->req_pcap_cnt;
	ev->session_id = p->session_id;
	ev->tree_id = p->tree_id;
	ev->async = p->async;
	ev->compounded = p->compounded;
	ev->signed_msg = p->signed_msg;
	for (size_t i = 0; i < p->dialect_cnt; i++)
		ev->dialects[i] = p->dialects[i];
	ev->dialect_cnt = p->dialect_cnt;
	ev->security_mode = p->security_mode;
	ev->capabilities = p->capabilities;
	ev->create_disposition = p->disposition;
	ev->offset = p->offset;
	ev->length = p->length;
	ev->data_length = p->data_length;
	ev->ioctl_code = p->ioctl_code;
	ev->ioctl_name = p->ioctl_code ? ws_kb_fsctl_name(p->ioctl_code) : NULL;
	ev_names(s, ev, p->has_fid, p->fid);
	if (p->cmd == SMB2_TREE_CONNECT) {
		snprintf(ev->share, sizeof(ev->share), "%s", p->path);
	} else if (p->cmd == SMB2_CREATE && ev->filename[0] == '\0') {
		snprintf(ev->filename, sizeof(ev->filename), "%s", p->path);
		ev->filename_truncated = p->path_truncated;
	}
}

/* A request that will get no response in our table: emitted alone. */
static void pend_emit_alone(struct ws_pctx *c, struct smb2_state *s, struct smb2_pend *p)
{
	struct ws_ev_smb ev;

	ev_from_pend(s, p, &ev);
	ws_pctx_emit(c, WS_EV_SMB, &ev);
	p->used = false;
}

/* The frame number of the packet being parsed, 0 at close. */
static uint64_t pkt_num(struct ws_pctx *c)
{
	const struct ws_packet *pk = ws_pctx_packet(c);

	return pk ? pk->num : 0;
}

static struct smb2_pend *pend_new(struct ws_pctx *c, struct smb2_state *s, uint64_t msg_id)
{
	struct smb2_pend *p = pend_find(s, msg_id);

	if (p) {
		/* A reused MessageId: the old request is answered by nobody. */
		pend_emit_alone(c, s, p);
	} else {
		p = &s->pend[0];
		for (size_t i = 0; i < WS_SMB2_PENDING_MAX; i++) {
			if (!s->pend[i].used) {
				p = &s->pend[i];
				break;
			}
			if (s->pend[i].age < p->age)
				p = &s->pend[i];
		}
		if (p->used) {
			ws_pctx_anomaly(c, "smb2_pending_limit", "WS_SMB2_PENDING_MAX requests awaiting a response");
			pend_emit_alone(c, s, p);
		}
	}
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->msg_id = msg_id;
	p->age = ++s->clock;
	p->req_pcap_cnt = pkt_num(c);
	return p;
}

/* ---- Info column ---- */

static void info_status(char *buf, size_t cap, uint32_t status)
{
	const char *n = status_name(status);

	if (n)
		snprintf(buf, cap, ", Error: %s", n);
	else
		snprintf(buf, cap, ", Error: 0x%08x", status);
}

/* ---- commands: requests ---- */

/* [MS-SMB2] 2.2.3: DialectCount at 2, SecurityMode 4, Capabilities 8, ClientGuid 12,
 * NegotiateContextOffset 28 / Count 32 (3.1.1), Dialects at 36. */
static void req_negotiate(struct ws_pctx *c, const struct ws_rd *m, struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 2);
	uint16_t cnt = ws_rd_le16(&r);
	bool has_311 = false;

	p->security_mode = ws_rd_le16(&r);
	ws_rd_skip(&r, 2);
	p->capabilities = ws_rd_le32(&r);
	ws_rd_skip(&r, 16);
	uint32_t ctx_off = ws_rd_le32(&r);
	uint16_t ctx_cnt = ws_rd_le16(&r);
	ws_rd_skip(&r, 2);
	for (uint16_t i = 0; i < cnt && ws_rd_ok(&r); i++) {
		uint16_t d = ws_rd_le16(&r);

		if (!ws_rd_ok(&r))
			break;
		if (d == 0x0311)
			has_311 = true;
		if (p->dialect_cnt < WS_SMB_DIALECTS_MAX) {
			const char *n = ws_kb_smb2_dialect_name(d);

			p->dialects[p->dialect_cnt++] = n ? n : "unknown";
		}
	}
	/* [MS-SMB2] 2.2.3.1: contexts, 8-byte aligned: Type (2), DataLength (2), Reserved (4), Data. */
	if (has_311 && ctx_cnt > 0) {
		struct ws_rd cr = at(m, ctx_off);

		for (uint16_t i = 0; i < ctx_cnt && i < WS_SMB2_CONTEXTS_MAX; i++) {
			ws_rd_skip(&cr, 2);
			uint16_t dlen = ws_rd_le16(&cr);
			ws_rd_skip(&cr, 4);
			if (!ws_rd_ok(&cr) || dlen > ws_rd_left(&cr)) {
				ws_pctx_anomaly(c, "smb2_bad_negotiate_context", "a negotiate context runs past the message");
				break;
			}
			ws_rd_skip(&cr, dlen);
			size_t pad = (8 - (dlen & 7u)) & 7u;
			if (i + 1 < ctx_cnt)
				ws_rd_skip(&cr, pad);
		}
	}
	ws_pctx_info(c, "Negotiate Protocol Request");
}

/* Kerberos inside the blob: the krb5 mechanism OID 1.2.840.113554.1.2.2 (or the
 * Microsoft variant 1.2.840.48018.1.2.2) followed by TOK_ID 01 00 (AP-REQ),
 * RFC 4121 4.1 / RFC 1964 1.1. */
static bool blob_has_krb5_apreq(const struct ws_rd *blob)
{
	static const uint8_t krb5[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00 };
	static const uint8_t mskrb5[] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00 };
	struct ws_rd r = *blob;

	while (ws_rd_left(&r) >= sizeof(krb5)) {
		if (ws_rd_match(&r, krb5, sizeof(krb5)) || ws_rd_match(&r, mskrb5, sizeof(mskrb5)))
			return true;
		ws_rd_skip(&r, 1);
	}
	return false;
}

/* [MS-SMB2] 2.2.5: Flags 2, SecurityMode 3, Capabilities 4, Channel 8,
 * SecurityBufferOffset 12, SecurityBufferLength 14, PreviousSessionId 16. */
static void req_session_setup(struct ws_pctx *c, const struct ws_rd *m, struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 3);
	struct ws_ntlmssp n;
	bool cut = false;

	p->security_mode = ws_rd_u8(&r);
	p->capabilities = ws_rd_le32(&r);
	ws_rd_skip(&r, 4);
	uint16_t off = ws_rd_le16(&r);
	uint16_t len = ws_rd_le16(&r);
	struct ws_rd blob = buffer(m, off, len, &cut);

	if (ws_ntlmssp_find(&blob, &n) == 0) {
		if (n.type == 1) {
			ws_pctx_info(c, "Session Setup Request, NTLMSSP_NEGOTIATE");
			return;
		}
		if (n.type == 3) {
			p->login = true;
			snprintf(p->user, sizeof(p->user), "%s", n.user);
			snprintf(p->domain, sizeof(p->domain), "%s", n.domain);
			snprintf(p->host, sizeof(p->host), "%s", n.host);
			p->login_anonymous = n.anonymous;
			p->login_password_sent = !n.anonymous && (n.nt_len > 0 || n.lm_len > 1);
			p->login_method = n.anonymous ? "anonymous" : n.ntlm_version == 1 ? "ntlmv1" : "ntlmv2";
			ws_pctx_info(c, "Session Setup Request, NTLMSSP_AUTH, User: %s\\%s", n.domain, n.user);
			return;
		}
	} else if (blob_has_krb5_apreq(&blob)) {
		p->login = true;
		p->login_method = "kerberos";
	}
	ws_pctx_info(c, "Session Setup Request");
}

/* [MS-SMB2] 2.2.9: Flags 2, PathOffset 4, PathLength 6. */
static void req_tree_connect(struct ws_pctx *c, const struct ws_rd *m, struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 4);
	uint16_t off = ws_rd_le16(&r);
	uint16_t len = ws_rd_le16(&r);

	if (ws_rd_ok(&r))
		p->path_truncated = !utf16_field(m, off, len, p->path, sizeof(p->path));
	ws_pctx_info(c, "Tree Connect Request Tree: %s", p->path);
}

/* [MS-SMB2] 2.2.13: CreateDisposition at 36, NameOffset 44, NameLength 46. */
static void req_create(struct ws_pctx *c, const struct ws_rd *m, struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 36);

	p->disposition = ws_rd_le32(&r);
	ws_rd_skip(&r, 4);
	uint16_t off = ws_rd_le16(&r);
	uint16_t len = ws_rd_le16(&r);
	if (ws_rd_ok(&r))
		p->path_truncated = !utf16_field(m, off, len, p->path, sizeof(p->path));
	ws_pctx_info(c, "Create Request File: %s", p->path);
}

/* " File: name" when the FileId is known (tshark prints it then). */
static const char *known_name(struct smb2_state *s, struct smb2_fid fid)
{
	struct smb2_file *f;

	if (fid.pid == SMB2_FID_RELATED && fid.vid == SMB2_FID_RELATED)
		return NULL;	/* tshark does not resolve related FileIds */
	f = file_find(s, fid);
	return f ? f->name : NULL;
}

/* Hands pipe bytes to DCE/RPC when fid is an open pipe. */
static void pipe_data(struct ws_pctx *c, struct smb2_state *s, struct dcerpc_state **rpc,
		      enum ws_dir dir, struct smb2_fid fid, struct ws_rd *data)
{
	struct smb2_file *f = file_find(s, fid);

	if (f && f->pipe && ws_rd_left(data) > 0)
		ws_dcerpc_pipe_data(c, rpc, dir, f->fid.vid, f->name, data);
}

/* READ [MS-SMB2] 2.2.19: Length 4, Offset 8, FileId 16. WRITE 2.2.21: DataOffset 2,
 * Length 4, Offset 8, FileId 16, data at DataOffset. */
static void req_read_write(struct ws_pctx *c, struct smb2_state *s, struct dcerpc_state **rpc,
			   const struct ws_rd *m, struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 2);
	uint16_t data_off = ws_rd_le16(&r);

	p->length = ws_rd_le32(&r);
	p->offset = ws_rd_le64(&r);
	p->fid = read_fid(&r);
	p->has_fid = ws_rd_ok(&r);
	const char *name = known_name(s, p->fid);
	bool wr = p->cmd == SMB2_WRITE;
	char fbuf[WS_SMB_PATH_MAX + 16] = "";

	if (name)
		snprintf(fbuf, sizeof(fbuf), " File: %s", name);
	ws_pctx_info(c, "%s Request Len:%u Off:%llu%s", wr ? "Write" : "Read", (unsigned)p->length,
		     (unsigned long long)p->offset, fbuf);
	if (wr && p->has_fid) {
		bool cut = false;
		struct ws_rd data = buffer(m, data_off, p->length, &cut);

		p->data_length = (uint32_t)ws_rd_left(&data);
		pipe_data(c, s, rpc, WS_DIR_TO_SERVER, p->fid, &data);
	}
}

/*
 * What tshark shows of an ioctl's input: the pipe waited for ([MS-FSCC]
 * 2.3.49 FSCTL_PIPE_WAIT: Timeout 8, NameLength 4, TimeoutSpecified 1,
 * Padding 1, Name) or the path of a DFS referral request ([MS-DFSC] 2.2.2:
 * MaxReferralLevel 2, RequestFileName NUL-terminated UTF-16LE).
 */
static void ioctl_input_name(const struct ws_rd *m, uint32_t code, uint32_t off, uint32_t cnt,
			     char *out, size_t cap)
{
	char name[WS_SMB_PATH_MAX] = "";
	bool cut = false;
	struct ws_rd in = buffer(m, off, cnt, &cut);

	if (code == 0x00110018u) {
		ws_rd_skip(&in, 8);
		uint32_t len = ws_rd_le32(&in);
		ws_rd_skip(&in, 2);
		if (!ws_rd_ok(&in) || len > ws_rd_left(&in))
			return;
		ws_view_utf16le(ws_rd_view(&in, len), name, sizeof(name));
		snprintf(out, cap, " Pipe: %s", name);
	} else if (code == 0x00060194u) {
		ws_rd_skip(&in, 2);
		if (!ws_rd_ok(&in))
			return;
		ws_view_utf16le(ws_rd_rest(&in), name, sizeof(name));
		snprintf(out, cap, ", File: %s", name);
	}
}

/* [MS-SMB2] 2.2.31: CtlCode 4, FileId 8, InputOffset 24, InputCount 28. */
static void req_ioctl(struct ws_pctx *c, struct smb2_state *s, struct dcerpc_state **rpc,
		      const struct ws_rd *m, struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 4);

	p->ioctl_code = ws_rd_le32(&r);
	p->fid = read_fid(&r);
	uint32_t in_off = ws_rd_le32(&r);
	uint32_t in_cnt = ws_rd_le32(&r);
	p->has_fid = ws_rd_ok(&r);
	const char *n = ws_kb_fsctl_name(p->ioctl_code);
	const char *name = known_name(s, p->fid);
	char fbuf[WS_SMB_PATH_MAX + 16] = "";

	if (name)
		snprintf(fbuf, sizeof(fbuf), ", File: %s", name);
	ioctl_input_name(m, p->ioctl_code, in_off, in_cnt, fbuf, sizeof(fbuf));
	if (n)
		ws_pctx_info(c, "Ioctl Request %s%s", n, fbuf);
	else
		ws_pctx_info(c, "Ioctl Request 0x%08x%s", p->ioctl_code, fbuf);
	if (p->ioctl_code == FSCTL_PIPE_TRANSCEIVE && p->has_fid) {
		bool cut = false;
		struct ws_rd data = buffer(m, in_off, in_cnt, &cut);

		p->data_length = (uint32_t)ws_rd_left(&data);
		pipe_data(c, s, rpc, WS_DIR_TO_SERVER, p->fid, &data);
	}
}

/* [MS-SMB2] 2.2.33 FileInformationClass as tshark names it. */
static const char *find_class_name(uint8_t cls)
{
	switch (cls) {
	case 0x01: return "SMB2_FIND_DIRECTORY_INFO";
	case 0x02: return "SMB2_FIND_FULL_DIRECTORY_INFO";
	case 0x03: return "SMB2_FIND_BOTH_DIRECTORY_INFO";
	case 0x0c: return "SMB2_FIND_NAME_INFO";
	case 0x25: return "SMB2_FIND_ID_BOTH_DIRECTORY_INFO";
	case 0x26: return "SMB2_FIND_ID_FULL_DIRECTORY_INFO";
	default: return "SMB2_FIND_UNKNOWN";
	}
}

/* [MS-SMB2] 2.2.33: FileInformationClass 2, Flags 3, FileIndex 4, FileId 8,
 * FileNameOffset 24, FileNameLength 26. */
static void req_query_directory(struct ws_pctx *c, struct smb2_state *s, const struct ws_rd *m,
				struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 2);

	p->info_class = ws_rd_u8(&r);
	ws_rd_skip(&r, 5);
	p->fid = read_fid(&r);
	uint16_t off = ws_rd_le16(&r);
	uint16_t len = ws_rd_le16(&r);
	p->has_fid = ws_rd_ok(&r);
	if (p->has_fid)
		p->path_truncated = !utf16_field(m, off, len, p->path, sizeof(p->path));
	const char *name = known_name(s, p->fid);
	char fbuf[WS_SMB_PATH_MAX + 16] = "";

	if (name)
		snprintf(fbuf, sizeof(fbuf), " File: %s", name);
	ws_pctx_info(c, "Find Request%s %s Pattern: %s", fbuf, find_class_name(p->info_class), p->path);
}

/* Information classes as tshark names them: [MS-FSCC] 2.4 (file), 2.5 (file system). */
static const char *info_class_name(uint8_t type, uint8_t cls)
{
	static const char *const file[] = {
		[0x04] = "SMB2_FILE_BASIC_INFO", [0x05] = "SMB2_FILE_STANDARD_INFO",
		[0x06] = "SMB2_FILE_INTERNAL_INFO", [0x07] = "SMB2_FILE_EA_INFO",
		[0x08] = "SMB2_FILE_ACCESS_INFO", [0x0a] = "SMB2_FILE_RENAME_INFO",
		[0x0d] = "SMB2_FILE_DISPOSITION_INFO", [0x0e] = "SMB2_FILE_POSITION_INFO",
		[0x0f] = "SMB2_FILE_FULL_EA_INFO", [0x10] = "SMB2_FILE_MODE_INFO",
		[0x11] = "SMB2_FILE_ALIGNMENT_INFO", [0x12] = "SMB2_FILE_ALL_INFO",
		[0x13] = "SMB2_FILE_ALLOCATION_INFO", [0x14] = "SMB2_FILE_ENDOFFILE_INFO",
		[0x15] = "SMB2_FILE_ALTERNATE_NAME_INFO", [0x16] = "SMB2_FILE_STREAM_INFO",
		[0x1c] = "SMB2_FILE_COMPRESSION_INFO", [0x22] = "SMB2_FILE_NETWORK_OPEN_INFO",
		[0x23] = "SMB2_FILE_ATTRIBUTE_TAG_INFO", [0x30] = "SMB2_FILE_NORMALIZED_NAME_INFO",
	};
	static const char *const fs[] = {
		[0x01] = "FileFsVolumeInformation", [0x02] = "FileFsLabelInformation",
		[0x03] = "FileFsSizeInformation", [0x04] = "FileFsDeviceInformation",
		[0x05] = "FileFsAttributeInformation", [0x06] = "FileFsControlInformation",
		[0x07] = "FileFsFullSizeInformation", [0x08] = "FileFsObjectIdInformation",
		[0x0b] = "FileFsSectorSizeInformation",
	};

	if (type == 1 && cls < sizeof(file) / sizeof(file[0]))
		return file[cls];
	if (type == 2 && cls < sizeof(fs) / sizeof(fs[0]))
		return fs[cls];
	if (type == 3)
		return "SMB2_SEC_INFO_00";
	return NULL;
}

/* [MS-SMB2] 2.2.37 / 2.2.39: InfoType and FileInfoClass, then the FileId at
 * 24 (QUERY_INFO) or 16 (SET_INFO). */
static void req_info(struct ws_pctx *c, struct smb2_state *s, const struct ws_rd *m,
		     struct smb2_pend *p)
{
	static const char *const types[] = { "", "FILE_INFO", "FS_INFO", "SEC_INFO", "QUOTA_INFO" };
	struct ws_rd r = at(m, SMB2_HDR_LEN + 2);

	p->info_type = ws_rd_u8(&r);
	p->info_class = ws_rd_u8(&r);
	ws_rd_skip(&r, p->cmd == SMB2_QUERY_INFO ? 20 : 12);
	p->fid = read_fid(&r);
	p->has_fid = ws_rd_ok(&r);
	const char *name = known_name(s, p->fid);
	const char *t = p->info_type < 5 ? types[p->info_type] : "";
	const char *cls = info_class_name(p->info_type, p->info_class);
	char fbuf[WS_SMB_PATH_MAX + 16] = "";
	char cbuf[8];

	if (name)
		snprintf(fbuf, sizeof(fbuf), " File: %s", name);
	if (!cls) {
		snprintf(cbuf, sizeof(cbuf), "0x%02x", p->info_class);
		cls = cbuf;
	}
	ws_pctx_info(c, "%s Request %s/%s%s", p->cmd == SMB2_QUERY_INFO ? "GetInfo" : "SetInfo",
		     t, cls, fbuf);
}

/* Commands whose request carries a FileId at body offset 8 (CLOSE 2.2.15,
 * FLUSH 2.2.17, LOCK 2.2.26, CHANGE_NOTIFY 2.2.35, OPLOCK_BREAK ack 2.2.24). */
static void req_fid_at8(struct ws_pctx *c, struct smb2_state *s, const struct ws_rd *m,
			struct smb2_pend *p)
{
	struct ws_rd r = at(m, SMB2_HDR_LEN + 8);

	p->fid = read_fid(&r);
	p->has_fid = ws_rd_ok(&r);
	const char *name = known_name(s, p->fid);

	if (p->cmd == SMB2_CLOSE && name)
		ws_pctx_info(c, "Close Request File: %s", name);
	else
		ws_pctx_info(c, "%s Request", smb2_info_names[p->cmd]);
}

static void request(struct ws_pctx *c, struct smb2_state *s, struct dcerpc_state **rpc,
		    const struct ws_rd *m, const struct smb2_hdr *h, bool compounded)
{
	struct smb2_pend *p;

	if (h->cmd == SMB2_CANCEL) {
		/* [MS-SMB2] 3.2.4.24: no response; it names the request it cancels. */
		struct smb2_pend tmp;

		memset(&tmp, 0, sizeof(tmp));
		tmp.cmd = h->cmd;
		tmp.msg_id = h->msg_id;
		tmp.session_id = h->session_id;
		tmp.async = h->async;
		tmp.req_pcap_cnt = pkt_num(c);
		ws_pctx_info(c, "Cancel Request");
		pend_emit_alone(c, s, &tmp);
		return;
	}
	p = pend_new(c, s, h->msg_id);
	p->cmd = h->cmd;
	p->session_id = h->session_id;
	p->tree_id = h->tree_id;
	p->async = h->async;
	p->signed_msg = h->flags & SMB2_FLAGS_SIGNED;
	p->compounded = compounded;
	switch (h->cmd) {
	case SMB2_NEGOTIATE:
		req_negotiate(c, m, p);
		break;
	case SMB2_SESSION_SETUP:
		req_session_setup(c, m, p);
		break;
	case SMB2_TREE_CONNECT:
		req_tree_connect(c, m, p);
		break;
	case SMB2_CREATE:
		req_create(c, m, p);
		break;
	case SMB2_READ:
	case SMB2_WRITE:
		req_read_write(c, s, rpc, m, p);
		break;
	case SMB2_IOCTL:
		req_ioctl(c, s, rpc, m, p);
		break;
	case SMB2_QUERY_DIRECTORY:
		req_query_directory(c, s, m, p);
		break;
	case SMB2_QUERY_INFO:
	case SMB2_SET_INFO:
		req_info(c, s, m, p);
		break;
	case SMB2_CLOSE:
	case SMB2_FLUSH:
	case SMB2_LOCK:
	case SMB2_CHANGE_NOTIFY:
	case SMB2_OPLOCK_BREAK:
		req_fid_at8(c, s, m, p);
		break;
	default:	/* LOGOFF, TREE_DISCONNECT, ECHO: a bare StructureSize */
		ws_pctx_info(c, "%s Request", smb2_info_names[h->cmd]);
		break;
	}
	if (p->has_fid && p->fid.pid != SMB2_FID_RELATED) {
		s->last_fid = p->fid;
		s->last_fid_known = true;
	}
}

/* ---- commands: responses ---- */

static void emit_login(struct ws_pctx *c, const struct smb2_pend *p, uint32_t status, uint16_t session_flags)
{
	struct ws_ev_login l;

	memset(&l, 0, sizeof(l));
	l.service = "smb";
	snprintf(l.user, sizeof(l.user), "%s", p->user);
	snprintf(l.domain, sizeof(l.domain), "%s", p->domain);
	snprintf(l.host, sizeof(l.host), "%s", p->host);
	l.method = p->login_method;
	l.success = status == STATUS_SUCCESS;
	l.status = status;
	l.status_name = status_name(status);
	l.anonymous = p->login_anonymous;
	l.password_sent = p->login_password_sent;
	/* [MS-SMB2] 2.2.6: SMB2_SESSION_FLAG_IS_GUEST 0x1, IS_NULL 0x2. */
	if (l.success && (session_flags & 0x0002)) {
		l.anonymous = true;
		l.method = "anonymous";
	} else if (l.success && (session_flags & 0x0001)) {
		l.guest = true;
		l.method = "guest";
	}
	ws_pctx_emit(c, WS_EV_LOGIN, &l);
}

static void response(struct ws_pctx *c, struct smb2_state *s, struct dcerpc_state **rpc,
		     const struct ws_rd *m, const struct smb2_hdr *h, bool compounded)
{
	struct smb2_pend *p = pend_find(s, h->msg_id);
	struct smb2_pend none;
	struct ws_ev_smb ev;
	char err[96] = "";
	char extra[WS_SMB_PATH_MAX + 64] = "";
	uint16_t session_flags = 0;
	bool is_error = (h->status >> 30) == 3u;
	struct ws_rd r;
	struct ws_rd deferred;		/* pipe bytes for DCE/RPC, handed on after our Info text */
	bool have_deferred = false;

	if (h->status != STATUS_SUCCESS)
		info_status(err, sizeof(err), h->status);
	if (p && p->cmd != h->cmd)
		p = NULL;	/* not its answer: leave the request waiting */
	if (!p) {
		memset(&none, 0, sizeof(none));
		none.cmd = h->cmd;
		none.msg_id = h->msg_id;
		none.session_id = h->session_id;
		none.tree_id = h->tree_id;
	}
	struct smb2_pend *q = p ? p : &none;

	/* [MS-SMB2] 3.3.4.2: an interim response; the final one follows. */
	if (h->status == STATUS_PENDING && h->async) {
		q->async = true;
		ws_pctx_info(c, "%s Response%s", smb2_info_names[h->cmd], err);
		return;
	}
	ev_from_pend(s, q, &ev);
	ev.has_request = p != NULL;
	ev.has_response = true;
	ev.status = h->status;
	ev.status_name = status_name(h->status);
	ev.async = ev.async || h->async;
	ev.compounded = ev.compounded || compounded;
	ev.signed_msg = ev.signed_msg || (h->flags & SMB2_FLAGS_SIGNED);
	if (h->tree_id && !ev.tree_id)
		ev.tree_id = h->tree_id;
	if (!ev.session_id)
		ev.session_id = h->session_id;

	switch (h->cmd) {
	case SMB2_NEGOTIATE:
		/* [MS-SMB2] 2.2.4: SecurityMode 2, DialectRevision 4, Capabilities 24. */
		if (!is_error) {
			r = at(m, SMB2_HDR_LEN + 2);
			ev.security_mode = ws_rd_le16(&r);
			uint16_t d = ws_rd_le16(&r);
			ws_rd_skip(&r, 18);
			ev.capabilities = ws_rd_le32(&r);
			if (ws_rd_ok(&r)) {
				s->dialect = d;
				ev.dialect = ws_kb_smb2_dialect_name(d);
				ev.version = smb_version(s);
			}
		}
		break;
	case SMB2_SESSION_SETUP:
		/* [MS-SMB2] 2.2.6: SessionFlags 2, SecurityBufferOffset 4, Length 6. */
		if (!is_error || h->status == STATUS_MORE_PROCESSING_REQUIRED) {
			struct ws_ntlmssp n;
			bool cut = false;

			r = at(m, SMB2_HDR_LEN + 2);
			session_flags = ws_rd_le16(&r);
			uint16_t off = ws_rd_le16(&r);
			uint16_t len = ws_rd_le16(&r);
			struct ws_rd blob = buffer(m, off, len, &cut);
			if (ws_rd_ok(&r) && ws_ntlmssp_find(&blob, &n) == 0 && n.type == 2)
				snprintf(extra, sizeof(extra), ", NTLMSSP_CHALLENGE");
		}
		if (p && p->login)
			emit_login(c, p, h->status, session_flags);
		break;
	case SMB2_TREE_CONNECT:
		/* [MS-SMB2] 2.2.10: ShareType at 2. */
		if (!is_error && p) {
			r = at(m, SMB2_HDR_LEN + 2);
			uint8_t type = ws_rd_u8(&r);
			if (ws_rd_ok(&r)) {
				struct smb2_tree *t = tree_add(s, h->tree_id);

				t->type = type;
				snprintf(t->share, sizeof(t->share), "%s", p->path);
				ev.tree_id = h->tree_id;
				if (type < sizeof(share_types) / sizeof(share_types[0]))
					snprintf(ev.service, sizeof(ev.service), "%s", share_types[type]);
			}
		}
		break;
	case SMB2_CREATE:
		/* [MS-SMB2] 2.2.14: CreateAction 4, FileId 64. */
		if (!is_error) {
			r = at(m, SMB2_HDR_LEN + 4);
			ev.create_action = ws_rd_le32(&r);
			ws_rd_skip(&r, 56);
			struct smb2_fid fid = read_fid(&r);
			if (ws_rd_ok(&r) && p) {
				struct smb2_file *f = file_add(s, fid);
				struct smb2_tree *t = tree_find(s, p->tree_id);

				snprintf(f->name, sizeof(f->name), "%s", p->path);
				f->name_truncated = p->path_truncated;
				f->pipe = t && t->type == SMB2_SHARE_TYPE_PIPE;
				s->last_fid = fid;
				s->last_fid_known = true;
			}
		}
		break;
	case SMB2_CLOSE:
		if (!is_error && p && p->has_fid) {
			struct smb2_file *f = file_find(s, p->fid);

			if (f)
				f->used = false;
		}
		break;
	case SMB2_TREE_DISCONNECT:
		if (!is_error) {
			struct smb2_tree *t = tree_find(s, ev.tree_id);

			if (t)
				t->used = false;
		}
		break;
	case SMB2_READ:
		/* [MS-SMB2] 2.2.20: DataOffset (1) at 2, DataLength 4. */
		if (!is_error || h->status == 0x80000005u) {
			r = at(m, SMB2_HDR_LEN + 2);
			uint8_t off = ws_rd_u8(&r);
			ws_rd_skip(&r, 1);
			uint32_t len = ws_rd_le32(&r);
			if (ws_rd_ok(&r)) {
				bool cut = false;
				struct ws_rd data = buffer(m, off, len, &cut);

				ev.data_length = (uint32_t)ws_rd_left(&data);
				if (p && p->has_fid) {
					deferred = data;
					have_deferred = true;
				}
			}
		}
		break;
	case SMB2_WRITE:
		/* [MS-SMB2] 2.2.22: Count at 4. */
		if (!is_error) {
			r = at(m, SMB2_HDR_LEN + 4);
			uint32_t cnt = ws_rd_le32(&r);
			if (ws_rd_ok(&r))
				ev.data_length = cnt;
		}
		break;
	case SMB2_IOCTL:
		/* [MS-SMB2] 2.2.32: CtlCode 4, FileId 8, OutputOffset 32, OutputCount 36. */
		if (!is_error || h->status == 0x80000005u) {
			r = at(m, SMB2_HDR_LEN + 4);
			uint32_t code = ws_rd_le32(&r);
			ws_rd_skip(&r, 24);
			uint32_t out_off = ws_rd_le32(&r);
			uint32_t out_cnt = ws_rd_le32(&r);
			if (ws_rd_ok(&r)) {
				const char *n = ws_kb_fsctl_name(code);

				ev.ioctl_code = code;
				ev.ioctl_name = n;
				if (n)
					snprintf(extra, sizeof(extra), " %s", n);
				if (code == FSCTL_PIPE_TRANSCEIVE && p && p->has_fid) {
					bool cut = false;
					deferred = buffer(m, out_off, out_cnt, &cut);
					have_deferred = true;
				}
			}
		}
		break;
	case SMB2_QUERY_DIRECTORY:
		if (p)
			snprintf(extra, sizeof(extra), " %s Pattern: %s", find_class_name(p->info_class), p->path);
		break;
	case SMB2_OPLOCK_BREAK:
		if (!p && h->msg_id == UINT64_MAX) {
			/* [MS-SMB2] 2.2.23: a server notification, not an answer. */
			ev.has_response = false;
			r = at(m, SMB2_HDR_LEN);
			/* [MS-SMB2] 2.2.23.2: a lease break notification is 44 bytes. */
			ws_pctx_info(c, "%s", ws_rd_le16(&r) == 44 ? "Lease Break Notification" : "Oplock Break Notification");
			ws_pctx_emit(c, WS_EV_SMB, &ev);
			return;
		}
		break;
	default:
		break;
	}
	if (h->cmd == SMB2_CREATE && !is_error)
		ws_pctx_info(c, "Create Response File: %s", ev.filename);
	else
		ws_pctx_info(c, "%s Response%s%s", smb2_info_names[h->cmd], err, extra);
	ws_pctx_emit(c, WS_EV_SMB, &ev);
	if (have_deferred)
		pipe_data(c, s, rpc, WS_DIR_TO_CLIENT, q->fid, &deferred);
	if (p)
		p->used = false;
}

/* ---- framing inside one NBSS message ---- */

static int parse_hdr(struct ws_rd *r, struct smb2_hdr *h)
{
	memset(h, 0, sizeof(*h));
	ws_rd_skip(r, 4);	/* ProtocolId, checked by the caller */
	uint16_t size = ws_rd_le16(r);
	h->credit_charge = ws_rd_le16(r);
	h->status = ws_rd_le32(r);
	h->cmd = ws_rd_le16(r);
	ws_rd_skip(r, 2);
	h->flags = ws_rd_le32(r);
	h->next = ws_rd_le32(r);
	h->msg_id = ws_rd_le64(r);
	h->async = h->flags & SMB2_FLAGS_ASYNC_COMMAND;
	if (h->async) {
		h->async_id = ws_rd_le64(r);
	} else {
		ws_rd_skip(r, 4);
		h->tree_id = ws_rd_le32(r);
	}
	h->session_id = ws_rd_le64(r);
	ws_rd_skip(r, 16);
	h->response = h->flags & SMB2_FLAGS_SERVER_TO_REDIR;
	if (!ws_rd_ok(r))
		return -1;
	/* [MS-SMB2] 2.2.1: StructureSize MUST be 64. */
	if (h->cmd >= SMB2_CMD_COUNT)
		return -2;
	return size != SMB2_HDR_LEN ? -3 : 0;
}

/* [MS-SMB2] 2.2.41: Signature 4, Nonce 20, OriginalMessageSize 36, Flags 42, SessionId 44. */
static void transform(struct ws_pctx *c, struct smb2_state *s, enum ws_dir dir, struct ws_rd *msg)
{
	struct ws_rd r = at(msg, 36);
	struct ws_ev_smb ev;

	memset(&ev, 0, sizeof(ev));
	ws_rd_skip(&r, 8);
	ev.session_id = ws_rd_le64(&r);
	ev.version = 3;
	ev.command = 0xffff;
	ev.command_name = "ENCRYPTED";
	ev.encrypted = true;
	ev.has_request = dir == WS_DIR_TO_SERVER;
	ev.has_response = dir == WS_DIR_TO_CLIENT;
	(void)s;
	ws_pctx_info(c, "Encrypted SMB3");
	ws_pctx_emit(c, WS_EV_SMB, &ev);
}

/* [MS-SMB2] 2.2.42: OriginalCompressedSegmentSize 4, CompressionAlgorithm 8,
 * Flags 10, Offset/Length 12. CVE-2020-0796 (SMBGhost) overflows the sum of
 * the original size and the offset: both are named. */
static void compressed(struct ws_pctx *c, struct ws_rd *msg)
{
	struct ws_rd r = at(msg, 4);
	uint32_t orig = ws_rd_le32(&r);
	uint16_t alg = ws_rd_le16(&r);
	uint16_t flags = ws_rd_le16(&r);
	uint32_t off = ws_rd_le32(&r);
	char detail[128];

	if (!ws_rd_ok(&r)) {
		ws_pctx_anomaly(c, "smb2_compressed", "compression transform header cut short");
		ws_pctx_info(c, "Compressed SMB3");
		return;
	}
	snprintf(detail, sizeof(detail), "original size %u, offset %u, algorithm %u, flags %u%s",
		 (unsigned)orig, (unsigned)off, (unsigned)alg, (unsigned)flags,
		 (uint64_t)orig + off > UINT32_MAX ? " (size + offset overflows 32 bits: CVE-2020-0796)" : "");
	ws_pctx_anomaly(c, "smb2_compressed", detail);
	ws_pctx_info(c, "Compressed SMB3");
}

void smb2_msg(struct ws_pctx *c, struct smb2_state **st, struct dcerpc_state **rpc, enum ws_dir dir,
	      struct ws_rd *msg)
{
	struct smb2_state *s = *st;
	uint8_t proto = (uint8_t)ws_rd_peek(msg, 0);

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return;
		*st = s;
	}
	ws_pctx_label(c, "SMB2");	/* tshark's Protocol column for SMB2/3 */
	if (proto == 0xfd) {
		transform(c, s, dir, msg);
		return;
	}
	if (proto == 0xfc) {
		compressed(c, msg);
		return;
	}
	struct ws_rd rest = *msg;
	s->last_fid_known = false;
	for (size_t i = 0; i < WS_SMB2_COMPOUND_MAX && ws_rd_left(&rest) > 0; i++) {
		struct ws_rd hr = rest;
		struct smb2_hdr h;
		struct ws_rd m;
		int rc;

		if (!ws_rd_match(&hr, "\xfeSMB", 4)) {
			ws_pctx_anomaly(c, "smb2_bad_header", "no SMB2 protocol id where a message should start");
			return;
		}
		rc = parse_hdr(&hr, &h);
		if (rc == -1) {
			ws_pctx_anomaly(c, "truncated", "SMB2 header cut short");
			return;
		}
		if (rc == -2) {
			ws_pctx_anomaly(c, "smb2_bad_header", "unknown command");
			return;
		}
		if (rc == -3)	/* noted; parsed on, as Wireshark does */
			ws_pctx_anomaly(c, "smb2_bad_header", "StructureSize is not 64");
		/* [MS-SMB2] 3.3.5.2.7: NextCommand is 8-byte aligned and points forward. */
		if (h.next != 0 && (h.next < SMB2_HDR_LEN || (h.next & 7u) != 0 || h.next > ws_rd_left(&rest))) {
			ws_pctx_anomaly(c, "smb2_bad_next_command", "NextCommand does not point at a later message");
			h.next = 0;
		}
		bool compounded = i > 0 || h.next != 0;
		if (h.next != 0)
			m = ws_rd_sub(&rest, h.next);
		else
			m = ws_rd_sub(&rest, ws_rd_left(&rest));
		/* A session's requests are client to server; trust the flag over the direction. */
		if (h.response)
			response(c, s, rpc, &m, &h, compounded);
		else
			request(c, s, rpc, &m, &h, compounded);
		if (h.next == 0)
			break;
	}
}

void smb2_close(struct ws_pctx *c, struct smb2_state *st)
{
	if (!st)
		return;
	/* Oldest first: the one with the smallest age, until none is left. */
	for (;;) {
		struct smb2_pend *oldest = NULL;

		for (size_t i = 0; i < WS_SMB2_PENDING_MAX; i++)
			if (st->pend[i].used && (!oldest || st->pend[i].age < oldest->age))
				oldest = &st->pend[i];
		if (!oldest)
			return;
		pend_emit_alone(c, st, oldest);
	}
}

void smb2_free(struct smb2_state *st)
{
	free(st);
}
