/*
 * smb1.c - SMB1 (CIFS) messages: header, AndX chains, the commands an analyst
 * reads, request/response pairing, logins and named-pipe data.
 *
 * Spec: [MS-CIFS] 2.2.3.1 (header), 2.2.3.2-3 (parameter and data blocks),
 * 2.2.4.x (commands: 2.2.4.52 NEGOTIATE, 2.2.4.53 SESSION_SETUP_ANDX, 2.2.4.55
 * TREE_CONNECT_ANDX, 2.2.4.64 NT_CREATE_ANDX, 2.2.4.41 OPEN_ANDX, 2.2.4.42
 * READ_ANDX, 2.2.4.43 WRITE_ANDX, 2.2.4.5 CLOSE, 2.2.4.33 TRANSACTION, 2.2.4.46
 * TRANSACTION2), 2.2.2.4 (DOS error classes); [MS-SMB] 2.2.4.5/2.2.4.6
 * (extended security session setup); [MS-RAP] (\PIPE\LANMAN, NetShareEnum).
 * Emits: smb (one per request/response pair, at the response; unanswered
 * requests at close), login (every answered legacy or NTLMSSP AUTHENTICATE
 * session setup), anomaly; pipe data goes to dcerpc.c.
 *
 *   0        4     5            9       10       12        14         22   24   26   28   30   32
 *   | \xFFSMB | Cmd | Status (4) | Flags | Flags2 | PIDHigh | Security | Rsv| TID| PID| UID| MID|
 *   | WordCount | Words (2*WordCount) | ByteCount | Bytes |   ... AndX blocks ...
 *
 * An AndX block's first four words bytes are AndXCommand, reserved, and
 * AndXOffset (from the header start); the chain is followed forward only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event/ev_smb.h"
#include "kb/smbkb.h"
#include "proto/dcerpc.h"
#include "proto/ntlmssp.h"
#include "proto/smb_flow.h"
#include "proto/smb_parts.h"

#define SMB1_HDR_LEN 32
#define SMB1_FLAGS_REPLY 0x80
#define SMB1_FLAGS2_EXT_SEC 0x0800
#define SMB1_FLAGS2_NT_STATUS 0x4000
#define SMB1_FLAGS2_UNICODE 0x8000
#define SMB1_NO_ANDX 0xff

/* Requests waiting for their response: Windows allows 50 outstanding
 * (MaxMpxCount), clients rarely have more than a few; beyond this the oldest
 * is reported unanswered. */
#define SMB1_PENDING_MAX 16
/* Commands followed in one AndX chain: real chains have two or three. */
#define SMB1_ANDX_MAX 8
/* Trees and files remembered per flow (for share and pipe names). */
#define SMB1_TREES_MAX 16
#define SMB1_FIDS_MAX 32
/* Dialects kept from a negotiate request (the event holds 16) and their length. */
#define SMB1_DIALECT_LEN 48

#define STATUS_SUCCESS 0x00000000u
#define STATUS_MORE_PROCESSING_REQUIRED 0xc0000016u

struct smb1_hdr {
	uint8_t cmd;
	uint32_t status;
	bool dos;
	uint8_t flags;
	uint16_t flags2;
	uint16_t tid, pid, uid, mid;
	bool reply;
	bool unicode;
};

/* What a session setup request said, for its login event. */
struct smb1_login {
	bool valid;		/* legacy request, or an NTLMSSP AUTHENTICATE */
	bool legacy;
	int ntlm_version;
	bool anonymous;
	bool password_sent;
	char user[WS_SMB_NAME_MAX];
	char domain[WS_SMB_NAME_MAX];
	char host[WS_SMB_NAME_MAX];
};

struct smb1_pend {
	bool used;
	uint8_t chain_pos;	/* 0 first command of its message */
	uint64_t seq;
	uint16_t mid, pid, uid, tid;
	uint8_t cmd;
	uint16_t fid;
	uint16_t sub;		/* TRANS2 subcommand, TRANS pipe function */
	struct ws_ev_smb ev;
	struct smb1_login login;
};

struct smb1_tree {
	bool used;
	uint16_t tid;
	char path[WS_SMB_PATH_MAX];
	char service[16];
};

struct smb1_fid {
	bool used;
	uint16_t fid;
	uint16_t tid;
	char name[WS_SMB_PATH_MAX];
};

struct smb1_state {
	struct smb1_pend pend[SMB1_PENDING_MAX];
	uint64_t seq;
	char dialects[WS_SMB_DIALECTS_MAX][SMB1_DIALECT_LEN];
	uint8_t dialect_cnt;
	struct smb1_tree trees[SMB1_TREES_MAX];
	uint8_t tree_next;
	struct smb1_fid fids[SMB1_FIDS_MAX];
	uint8_t fid_next;
};

/* One parameter/data block of a message, and where it is. */
struct smb1_blk {
	struct ws_rd whole;	/* the whole message, from the protocol id */
	struct ws_rd words;
	struct ws_rd bytes;
	uint8_t wc;
	size_t bytes_pos;	/* offset of bytes from the header start */
	bool ok;		/* WordCount and ByteCount fitted */
};

/* ---- names ---- */

/* Command names as Wireshark's Info column shows them ([MS-CIFS] 2.2.2.1). */
static const char *smb1_info_name(uint8_t cmd)
{
	switch (cmd) {
	case 0x00: return "Create Directory";
	case 0x01: return "Delete Directory";
	case 0x02: return "Open";
	case 0x03: return "Create";
	case 0x04: return "Close";
	case 0x05: return "Flush";
	case 0x06: return "Delete";
	case 0x07: return "Rename";
	case 0x08: return "Query Information";
	case 0x09: return "Set Information";
	case 0x0a: return "Read";
	case 0x0b: return "Write";
	case 0x0c: return "Lock Byte Range";
	case 0x0d: return "Unlock Byte Range";
	case 0x0e: return "Create Temp";
	case 0x0f: return "Create New";
	case 0x10: return "Check Directory";
	case 0x11: return "Process Exit";
	case 0x12: return "Seek";
	case 0x13: return "Lock And Read";
	case 0x14: return "Write And Unlock";
	case 0x1a: return "Read Raw";
	case 0x1b: return "Read MPX";
	case 0x1c: return "Read MPX Secondary";
	case 0x1d: return "Write Raw";
	case 0x1e: return "Write MPX";
	case 0x1f: return "Write MPX Secondary";
	case 0x20: return "Write Complete";
	case 0x22: return "Set Information2";
	case 0x23: return "Query Information2";
	case 0x24: return "Locking AndX";
	case 0x25: return "Trans";
	case 0x26: return "Trans Secondary";
	case 0x27: return "IOCTL";
	case 0x28: return "IOCTL Secondary";
	case 0x29: return "Copy";
	case 0x2a: return "Move";
	case 0x2b: return "Echo";
	case 0x2c: return "Write And Close";
	case 0x2d: return "Open AndX";
	case 0x2e: return "Read AndX";
	case 0x2f: return "Write AndX";
	case 0x31: return "Close And Tree Disconnect";
	case 0x32: return "Trans2";
	case 0x33: return "Trans2 Secondary";
	case 0x34: return "Find Close2";
	case 0x35: return "Find Notify Close";
	case 0x70: return "Tree Connect";
	case 0x71: return "Tree Disconnect";
	case 0x72: return "Negotiate Protocol";
	case 0x73: return "Session Setup AndX";
	case 0x74: return "Logoff AndX";
	case 0x75: return "Tree Connect AndX";
	case 0x80: return "Query Information Disk";
	case 0x81: return "Search";
	case 0x82: return "Find";
	case 0x83: return "Find Unique";
	case 0x84: return "Find Close";
	case 0xa0: return "NT Trans";
	case 0xa1: return "NT Trans Secondary";
	case 0xa2: return "NT Create AndX";
	case 0xa4: return "NT Cancel";
	case 0xa5: return "NT Rename";
	case 0xc0: return "Open Print File";
	case 0xc1: return "Write Print File";
	case 0xc2: return "Close Print File";
	case 0xc3: return "Get Print Queue";
	case 0xd8: return "Read Bulk";
	case 0xd9: return "Write Bulk";
	case 0xda: return "Write Bulk Data";
	default: return NULL;
	}
}

/* [MS-CIFS] 2.2.6: TRANS2 subcommands. */
static const char *smb1_trans2_name(uint16_t sub)
{
	static const char *const names[] = {
		"OPEN2", "FIND_FIRST2", "FIND_NEXT2", "QUERY_FS_INFO", "SET_FS_INFO",
		"QUERY_PATH_INFO", "SET_PATH_INFO", "QUERY_FILE_INFO", "SET_FILE_INFO",
		"FSCTL", "IOCTL2", "FIND_NOTIFY_FIRST", "FIND_NOTIFY_NEXT",
		"CREATE_DIRECTORY", "SESSION_SETUP", NULL, "GET_DFS_REFERRAL",
		"REPORT_DFS_INCONSISTENCY",
	};

	return sub < sizeof(names) / sizeof(names[0]) ? names[sub] : NULL;
}

struct smb1_rap {
	uint16_t op;
	const char *name;
};

/* [MS-RAP] 2.5.1 RAPOpcode (names of the LAN Manager API), sorted by opcode. */
static const struct smb1_rap smb1_raps[] = {
	{ 0, "NetShareEnum" }, { 1, "NetShareGetInfo" }, { 2, "NetShareSetInfo" },
	{ 3, "NetShareAdd" }, { 4, "NetShareDel" }, { 6, "NetSessionEnum" },
	{ 7, "NetSessionGetInfo" }, { 9, "NetConnectionEnum" }, { 10, "NetFileEnum" },
	{ 13, "NetServerGetInfo" }, { 15, "NetServerDiskEnum" }, { 39, "NetServiceEnum" },
	{ 47, "NetGroupEnum" }, { 52, "NetGroupGetUsers" }, { 53, "NetUserEnum" },
	{ 56, "NetUserGetInfo" }, { 59, "NetUserGetGroups" }, { 63, "NetWkstaGetInfo" },
	{ 65, "NetUseEnum" }, { 69, "WPrintQEnum" }, { 70, "WPrintQGetInfo" },
	{ 74, "WPrintQPause" }, { 75, "WPrintQContinue" }, { 76, "WPrintJobEnum" },
	{ 77, "WPrintJobGetInfo" }, { 81, "WPrintJobDel" }, { 82, "WPrintJobPause" },
	{ 83, "WPrintJobContinue" }, { 84, "WPrintDestEnum" }, { 85, "WPrintDestGetInfo" },
	{ 91, "NetRemoteTOD" }, { 103, "WPrintQPurge" }, { 104, "NetServerEnum2" },
	{ 110, "NetUserModalsGet" }, { 115, "SetUserPassword" }, { 119, "NetGetDCName" },
	{ 131, "NetUserEnum2" }, { 132, "NetWkstaUserLogon" }, { 133, "NetWkstaUserLogoff" },
	{ 147, "WPrintJobSetInfo" }, { 205, "WPrintDriverEnum" }, { 214, "SamOEMChangePassword" },
	{ 215, "NetServerEnum3" },
};

static const char *smb1_rap_name(uint16_t op)
{
	for (size_t i = 0; i < sizeof(smb1_raps) / sizeof(smb1_raps[0]); i++)
		if (smb1_raps[i].op == op)
			return smb1_raps[i].name;
	return NULL;
}

struct smb1_doserr {
	uint8_t cls;
	uint16_t code;
	const char *name;
};

/* [MS-CIFS] 2.2.2.4: the common DOS error codes by class. */
static const struct smb1_doserr smb1_doserrs[] = {
	{ 0x01, 1, "ERRDOS/ERRbadfunc" }, { 0x01, 2, "ERRDOS/ERRbadfile" },
	{ 0x01, 3, "ERRDOS/ERRbadpath" }, { 0x01, 4, "ERRDOS/ERRnofids" },
	{ 0x01, 5, "ERRDOS/ERRnoaccess" }, { 0x01, 6, "ERRDOS/ERRbadfid" },
	{ 0x01, 8, "ERRDOS/ERRnomem" }, { 0x01, 18, "ERRDOS/ERRnofiles" },
	{ 0x01, 32, "ERRDOS/ERRbadshare" }, { 0x01, 33, "ERRDOS/ERRlock" },
	{ 0x01, 50, "ERRDOS/ERRunsup" }, { 0x01, 80, "ERRDOS/ERRfilexists" },
	{ 0x01, 87, "ERRDOS/ERRinvalidparam" }, { 0x01, 230, "ERRDOS/ERRbadpipe" },
	{ 0x01, 231, "ERRDOS/ERRpipebusy" }, { 0x01, 232, "ERRDOS/ERRpipeclosing" },
	{ 0x01, 233, "ERRDOS/ERRnotconnected" }, { 0x01, 234, "ERRDOS/ERRmoredata" },
	{ 0x02, 1, "ERRSRV/ERRerror" }, { 0x02, 2, "ERRSRV/ERRbadpw" },
	{ 0x02, 4, "ERRSRV/ERRaccess" }, { 0x02, 5, "ERRSRV/ERRinvtid" },
	{ 0x02, 6, "ERRSRV/ERRinvnetname" }, { 0x02, 7, "ERRSRV/ERRinvdevice" },
	{ 0x02, 22, "ERRSRV/ERRunknownsmb" }, { 0x02, 49, "ERRSRV/ERRqfull" },
	{ 0x02, 91, "ERRSRV/ERRbaduid" }, { 0x02, 2239, "ERRSRV/ERRaccountExpired" },
	{ 0x02, 0xffff, "ERRSRV/ERRnosupport" },
	{ 0x03, 19, "ERRHRD/ERRnowrite" }, { 0x03, 21, "ERRHRD/ERRnotready" },
	{ 0x03, 31, "ERRHRD/ERRgeneral" }, { 0x03, 32, "ERRHRD/ERRbadshare" },
	{ 0x03, 33, "ERRHRD/ERRlock" },
};

static const char *smb1_status_name(uint32_t status, bool dos)
{
	if (!dos)
		return ws_kb_nt_status_name(status);
	if (status == 0)
		return "STATUS_SUCCESS";
	uint8_t cls = (uint8_t)(status >> 16);
	uint16_t code = (uint16_t)status;
	for (size_t i = 0; i < sizeof(smb1_doserrs) / sizeof(smb1_doserrs[0]); i++)
		if (smb1_doserrs[i].cls == cls && smb1_doserrs[i].code == code)
			return smb1_doserrs[i].name;
	switch (cls) {
	case 0x01: return "ERRDOS";
	case 0x02: return "ERRSRV";
	case 0x03: return "ERRHRD";
	default: return NULL;
	}
}

static bool smb1_is_andx(uint8_t cmd)
{
	switch (cmd) {
	case 0x24: case 0x2d: case 0x2e: case 0x2f: case 0x73: case 0x74: case 0x75: case 0xa2:
		return true;
	default:
		return false;
	}
}

/* ---- readers ---- */

static size_t smb1_pos(const struct smb1_blk *b, const struct ws_rd *r)
{
	return ws_rd_left(&b->whole) - ws_rd_left(r);
}

/*
 * A NUL-terminated string at r ([MS-CIFS] 2.2.1.1: Unicode strings start on
 * an even offset from the header, after one pad byte if needed). pos is r's
 * offset from the header start. Returns 0 when nothing was held.
 */
static int smb1_str(struct ws_rd *r, size_t pos, bool unicode, char *dst, size_t cap)
{
	size_t n = 0;

	dst[0] = '\0';
	if (ws_rd_left(r) == 0)
		return 0;
	if (unicode) {
		if (pos & 1)
			ws_rd_skip(r, 1);
		size_t left = ws_rd_left(r);
		while (n + 1 < left && (ws_rd_peek(r, n) != 0 || ws_rd_peek(r, n + 1) != 0))
			n += 2;
		if (n + 1 >= left)
			n = left & ~(size_t)1;
		ws_view_utf16le(ws_rd_view(r, n), dst, cap);
		ws_rd_skip(r, ws_rd_left(r) >= 2 ? 2 : ws_rd_left(r));
	} else {
		/* OEM text: printable bytes as they are (paths keep their
		 * backslashes), others as \xHH. */
		size_t o = 0;
		while (ws_rd_left(r) > 0) {
			uint8_t ch = ws_rd_u8(r);

			if (ch == 0)
				break;
			if (ch >= 0x20 && ch < 0x7f && o + 1 < cap)
				dst[o++] = (char)ch;
			else if ((ch < 0x20 || ch >= 0x7f) && o + 4 < cap)
				o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", ch);
		}
		dst[o] = '\0';
	}
	return 1;
}

/* The parameter and data blocks at offset off of the message. */
static struct smb1_blk smb1_block(const struct ws_rd *whole, size_t off)
{
	struct smb1_blk b;

	memset(&b, 0, sizeof(b));
	b.whole = *whole;
	struct ws_rd r = *whole;
	ws_rd_skip(&r, off);
	b.wc = ws_rd_u8(&r);
	b.words = ws_rd_sub(&r, 2u * b.wc);
	uint16_t bc = ws_rd_le16(&r);
	b.ok = ws_rd_ok(&r);
	b.bytes_pos = off + 1u + 2u * b.wc + 2u;
	/* A message cut short (its head only) holds fewer bytes than ByteCount. */
	b.bytes = ws_rd_sub(&r, bc <= ws_rd_left(&r) ? bc : ws_rd_left(&r));
	return b;
}

/* A sub-reader over [off, off + len) of the message, clipped to what is held. */
static struct ws_rd smb1_at(const struct ws_rd *whole, size_t off, size_t len)
{
	struct ws_rd r = *whole;

	ws_rd_skip(&r, off);
	if (len > ws_rd_left(&r))
		len = ws_rd_left(&r);
	return ws_rd_sub(&r, len);
}

/* ---- trees, files, pending requests ---- */

static struct smb1_tree *smb1_tree_find(struct smb1_state *st, uint16_t tid)
{
	for (size_t i = 0; i < SMB1_TREES_MAX; i++)
		if (st->trees[i].used && st->trees[i].tid == tid)
			return &st->trees[i];
	return NULL;
}

static void smb1_tree_add(struct smb1_state *st, uint16_t tid, const char *path, const char *service)
{
	struct smb1_tree *t = smb1_tree_find(st, tid);

	if (!t) {
		t = &st->trees[st->tree_next];
		st->tree_next = (uint8_t)((st->tree_next + 1) % SMB1_TREES_MAX);
	}
	t->used = true;
	t->tid = tid;
	snprintf(t->path, sizeof(t->path), "%s", path);
	snprintf(t->service, sizeof(t->service), "%s", service);
}

static bool smb1_tree_is_ipc(const struct smb1_tree *t)
{
	size_t n;

	if (!t)
		return false;
	if (strcmp(t->service, "IPC") == 0)
		return true;
	n = strlen(t->path);
	return n >= 4 && strcasecmp(t->path + n - 4, "IPC$") == 0;
}

static struct smb1_fid *smb1_fid_find(struct smb1_state *st, uint16_t fid)
{
	for (size_t i = 0; i < SMB1_FIDS_MAX; i++)
		if (st->fids[i].used && st->fids[i].fid == fid)
			return &st->fids[i];
	return NULL;
}

static void smb1_fid_add(struct smb1_state *st, uint16_t fid, uint16_t tid, const char *name)
{
	struct smb1_fid *f = smb1_fid_find(st, fid);

	/* A slot freed by a CLOSE first; else the oldest open file goes. */
	for (size_t i = 0; !f && i < SMB1_FIDS_MAX; i++)
		if (!st->fids[i].used)
			f = &st->fids[i];
	if (!f) {
		f = &st->fids[st->fid_next];
		st->fid_next = (uint8_t)((st->fid_next + 1) % SMB1_FIDS_MAX);
	}
	f->used = true;
	f->fid = fid;
	f->tid = tid;
	snprintf(f->name, sizeof(f->name), "%s", name);
}

/* The pipe name of fid when it is open on an IPC$ tree, else NULL. */
static const char *smb1_pipe_of(struct smb1_state *st, uint16_t fid)
{
	struct smb1_fid *f = smb1_fid_find(st, fid);

	if (!f || !smb1_tree_is_ipc(smb1_tree_find(st, f->tid)))
		return NULL;
	return f->name;
}

static void smb1_ev_init(struct smb1_state *st, struct ws_ev_smb *ev, const struct smb1_hdr *h, uint8_t cmd)
{
	memset(ev, 0, sizeof(*ev));
	ev->version = 1;
	ev->command = cmd;
	ev->command_name = ws_kb_smb1_cmd_name(cmd);
	ev->mnemonic = ws_kb_smb1_mnemonic(cmd);
	ev->msg_id = h->mid;
	ev->session_id = h->uid;
	ev->tree_id = h->tid;
	ev->signed_msg = (h->flags2 & 0x0004) != 0;
	struct smb1_tree *t = smb1_tree_find(st, h->tid);
	if (t)
		snprintf(ev->share, sizeof(ev->share), "%s", t->path);
}

static void smb1_emit(struct ws_pctx *c, struct smb1_pend *p)
{
	ws_pctx_emit(c, WS_EV_SMB, &p->ev);
	p->used = false;
}

static struct smb1_pend *smb1_pend_new(struct ws_pctx *c, struct smb1_state *st)
{
	struct smb1_pend *oldest = NULL;

	for (size_t i = 0; i < SMB1_PENDING_MAX; i++) {
		if (!st->pend[i].used)
			return &st->pend[i];
		if (!oldest || st->pend[i].seq < oldest->seq)
			oldest = &st->pend[i];
	}
	ws_pctx_anomaly(c, "smb1_pending_limit", "request never answered dropped from the table");
	smb1_emit(c, oldest);
	return oldest;
}

static struct smb1_pend *smb1_pend_find(struct smb1_state *st, const struct smb1_hdr *h, uint8_t cmd)
{
	struct smb1_pend *best = NULL;

	for (size_t i = 0; i < SMB1_PENDING_MAX; i++) {
		struct smb1_pend *p = &st->pend[i];

		if (!p->used || p->mid != h->mid || p->pid != h->pid || p->cmd != cmd)
			continue;
		/* UID and TID match too, except where the response assigns them. */
		bool exact = (p->uid == h->uid || cmd == 0x73) && (p->tid == h->tid || cmd == 0x75);
		if (exact && (!best || p->seq < best->seq))
			best = p;
		else if (!best)
			best = p;
	}
	return best;
}

/* ---- commands: requests ---- */

/* [MS-CIFS] 2.2.4.52.1: dialect strings, each after a 0x02 buffer format byte. */
static void smb1_negotiate_req(struct smb1_state *st, struct smb1_pend *p, struct smb1_blk *b)
{
	st->dialect_cnt = 0;
	while (ws_rd_left(&b->bytes) > 0) {
		if (ws_rd_u8(&b->bytes) != 0x02)
			break;
		char tmp[SMB1_DIALECT_LEN];
		smb1_str(&b->bytes, 0, false, tmp, sizeof(tmp));
		if (st->dialect_cnt < WS_SMB_DIALECTS_MAX)
			snprintf(st->dialects[st->dialect_cnt], SMB1_DIALECT_LEN, "%s", tmp);
		if (st->dialect_cnt < 255)
			st->dialect_cnt++;
	}
	uint8_t n = st->dialect_cnt < WS_SMB_DIALECTS_MAX ? st->dialect_cnt : WS_SMB_DIALECTS_MAX;
	for (uint8_t i = 0; i < n; i++)
		p->ev.dialects[i] = st->dialects[i];
	p->ev.dialect_cnt = n;
}

static void smb1_ntlm_to_login(const struct ws_ntlmssp *n, struct smb1_login *l)
{
	l->valid = true;
	l->ntlm_version = n->ntlm_version;
	l->anonymous = n->anonymous;
	l->password_sent = n->nt_len > 0 || n->lm_len > 1;
	snprintf(l->user, sizeof(l->user), "%s", n->user);
	snprintf(l->domain, sizeof(l->domain), "%s", n->domain);
	snprintf(l->host, sizeof(l->host), "%s", n->host);
}

/* [MS-SMB] 2.2.4.6.1 (WordCount 12, security blob), [MS-CIFS] 2.2.4.53.1 (13, NT LM 0.12), (10, LANMAN). */
static void smb1_session_setup_req(struct ws_pctx *c, struct smb1_pend *p, const struct smb1_hdr *h,
				   struct smb1_blk *b)
{
	struct ws_rd w = b->words;
	struct smb1_login *l = &p->login;

	ws_rd_skip(&w, 4 + 2 + 2 + 2 + 4);	/* AndX, MaxBufferSize, MaxMpxCount, VcNumber, SessionKey */
	if (b->wc == 12) {
		uint16_t blob_len = ws_rd_le16(&w);
		struct ws_rd blob = ws_rd_sub(&b->bytes, blob_len <= ws_rd_left(&b->bytes) ? blob_len : ws_rd_left(&b->bytes));
		struct ws_ntlmssp n;

		/* [MS-SMB] 2.2.4.6.1: NativeOS follows the blob (after a pad). */
		smb1_str(&b->bytes, smb1_pos(b, &b->bytes), h->unicode, p->ev.native_os, sizeof(p->ev.native_os));
		if (ws_ntlmssp_find(&blob, &n) != 0) {
			ws_pctx_info(c, "Session Setup AndX Request");
			return;
		}
		if (n.type == 1) {
			ws_pctx_info(c, "Session Setup AndX Request, NTLMSSP_NEGOTIATE");
		} else if (n.type == 3) {
			smb1_ntlm_to_login(&n, l);
			ws_pctx_info(c, "Session Setup AndX Request, NTLMSSP_AUTH, User: %s\\%s", n.domain, n.user);
		} else {
			ws_pctx_info(c, "Session Setup AndX Request");
		}
		return;
	}
	if (b->wc != 13 && b->wc != 10) {
		ws_pctx_info(c, "Session Setup AndX Request");
		return;
	}
	uint16_t oem_len = ws_rd_le16(&w);
	uint16_t uni_len = b->wc == 13 ? ws_rd_le16(&w) : 0;
	struct ws_rd oem = ws_rd_sub(&b->bytes, oem_len <= ws_rd_left(&b->bytes) ? oem_len : ws_rd_left(&b->bytes));
	ws_rd_skip(&b->bytes, uni_len <= ws_rd_left(&b->bytes) ? uni_len : ws_rd_left(&b->bytes));
	size_t pos = smb1_pos(b, &b->bytes);
	l->valid = true;
	l->legacy = true;
	smb1_str(&b->bytes, pos, h->unicode, l->user, sizeof(l->user));
	smb1_str(&b->bytes, smb1_pos(b, &b->bytes), h->unicode, l->domain, sizeof(l->domain));
	/* [MS-CIFS] 2.2.4.53.1: NativeOS after AccountName and PrimaryDomain. */
	smb1_str(&b->bytes, smb1_pos(b, &b->bytes), h->unicode, p->ev.native_os, sizeof(p->ev.native_os));
	/* A password of nothing or one zero byte is no password ([MS-CIFS] 3.2.4.2.4). */
	l->password_sent = uni_len > 0 || oem_len > 1 || (oem_len == 1 && ws_rd_peek(&oem, 0) != 0);
	l->anonymous = l->user[0] == '\0' && !l->password_sent;
	if (l->user[0] == '\0')
		ws_pctx_info(c, "Session Setup AndX Request, User: anonymous");
	else
		ws_pctx_info(c, "Session Setup AndX Request, User: %s\\%s", l->domain, l->user);
}

/* [MS-CIFS] 2.2.4.55.1: Password, then Path (per FLAGS2) and Service (OEM). */
static void smb1_tree_connect_req(struct ws_ev_smb *ev, const struct smb1_hdr *h, struct smb1_blk *b)
{
	struct ws_rd w = b->words;

	ws_rd_skip(&w, 4 + 2);	/* AndX, Flags */
	uint16_t pw_len = ws_rd_le16(&w);
	ws_rd_skip(&b->bytes, pw_len <= ws_rd_left(&b->bytes) ? pw_len : ws_rd_left(&b->bytes));
	smb1_str(&b->bytes, smb1_pos(b, &b->bytes), h->unicode, ev->share, sizeof(ev->share));
	smb1_str(&b->bytes, 0, false, ev->service, sizeof(ev->service));
}

/* [MS-CIFS] 2.2.4.64.1: the file name after 24 words. */
static void smb1_nt_create_req(struct ws_ev_smb *ev, const struct smb1_hdr *h, struct smb1_blk *b)
{
	struct ws_rd w = b->words;

	ws_rd_skip(&w, 4 + 1 + 2 + 4 + 4 + 4 + 8 + 4 + 4);	/* up to CreateDisposition */
	ev->create_disposition = ws_rd_le32(&w);
	ev->filename_truncated = !smb1_str(&b->bytes, b->bytes_pos, h->unicode, ev->filename, sizeof(ev->filename));
}

/* Transaction and Transaction2 request words ([MS-CIFS] 2.2.4.33.1, 2.2.4.46.1). */
struct smb1_trans {
	uint16_t param_cnt, param_off, data_cnt, data_off;
	uint8_t setup_cnt;
	uint16_t setup[4];
};

static void smb1_trans_words(struct smb1_blk *b, bool reply, struct smb1_trans *t)
{
	struct ws_rd w = b->words;

	memset(t, 0, sizeof(*t));
	if (reply) {
		ws_rd_skip(&w, 2 + 2 + 2);	/* TotalParameterCount, TotalDataCount, Reserved */
		t->param_cnt = ws_rd_le16(&w);
		t->param_off = ws_rd_le16(&w);
		ws_rd_skip(&w, 2);
		t->data_cnt = ws_rd_le16(&w);
		t->data_off = ws_rd_le16(&w);
		ws_rd_skip(&w, 2);
	} else {
		ws_rd_skip(&w, 2 * 4 + 1 + 1 + 2 + 4 + 2);	/* counts, setup max, flags, timeout */
		t->param_cnt = ws_rd_le16(&w);
		t->param_off = ws_rd_le16(&w);
		t->data_cnt = ws_rd_le16(&w);
		t->data_off = ws_rd_le16(&w);
	}
	t->setup_cnt = ws_rd_u8(&w);
	ws_rd_skip(&w, 1);
	for (uint8_t i = 0; i < t->setup_cnt && i < 4; i++)
		t->setup[i] = ws_rd_le16(&w);
	if (!ws_rd_ok(&w))
		t->setup_cnt = 0;
}

/*
 * The file a TRANS2 request names ([MS-CIFS] 2.2.6.2.1 FIND_FIRST2: FileName
 * after 12 bytes of parameters; 2.2.6.6.1 QUERY_PATH_INFO and 2.2.6.7.1
 * SET_PATH_INFO: after 6; 2.2.6.16.1 GET_DFS_REFERRAL: after 2; 2.2.6.8.1
 * QUERY_FILE_INFO and 2.2.6.9.1 SET_FILE_INFO: a FID first).
 */
static void smb1_trans2_name_req(struct smb1_state *st, struct smb1_pend *p, const struct smb1_hdr *h,
				 struct smb1_blk *b, const struct smb1_trans *t)
{
	struct ws_rd prm = smb1_at(&b->whole, t->param_off, t->param_cnt);
	size_t skip;

	switch (p->sub) {
	case 0x01: skip = 12; break;
	case 0x05: case 0x06: skip = 6; break;
	case 0x10: skip = 2; break;
	case 0x07: case 0x08:
		p->fid = ws_rd_le16(&prm);
		if (!ws_rd_ok(&prm))
			p->fid = 0;
		return;
	default:
		return;
	}
	if (skip >= ws_rd_left(&prm))
		return;
	ws_rd_skip(&prm, skip);
	p->ev.filename_truncated = !smb1_str(&prm, (size_t)t->param_off + skip, h->unicode, p->ev.filename,
					     sizeof(p->ev.filename));
	(void)st;
}

static void smb1_trans_req(struct ws_pctx *c, struct smb1_state *st, struct smb1_pend *p,
			   const struct smb1_hdr *h, struct smb1_blk *b, struct dcerpc_state **rpc)
{
	struct smb1_trans t;

	smb1_trans_words(b, false, &t);
	smb1_str(&b->bytes, b->bytes_pos, h->unicode, p->ev.pipe, sizeof(p->ev.pipe));
	if (strcasecmp(p->ev.pipe, "\\PIPE\\LANMAN") == 0) {
		/* [MS-RAP] 2.5.1: RAPOpcode first in the parameters; 0 NetShareEnum. */
		struct ws_rd prm = smb1_at(&b->whole, t.param_off, t.param_cnt);
		uint16_t op = ws_rd_le16(&prm);
		p->sub = op;
		p->ev.rap_name = ws_rd_ok(&prm) ? smb1_rap_name(op) : NULL;
		if (p->ev.rap_name)
			ws_pctx_info(c, "%s Request", p->ev.rap_name);
		else
			ws_pctx_info(c, "Trans Request, \\PIPE\\LANMAN");
		return;
	}
	/* [MS-CIFS] 2.2.5.6 TRANS_TRANSACT_NMPIPE: Setup = function 0x0026, FID.
	 * Its Info is the DCE/RPC call's, as Wireshark shows it. */
	if (t.setup_cnt < 2 || t.setup[0] != 0x0026)
		ws_pctx_info(c, "Trans Request");
	if (t.setup_cnt >= 2 && t.setup[0] == 0x0026) {
		p->sub = t.setup[0];
		p->fid = t.setup[1];
		const char *pipe = smb1_pipe_of(st, p->fid);
		struct ws_rd data = smb1_at(&b->whole, t.data_off, t.data_cnt);
		if (pipe)
			snprintf(p->ev.pipe, sizeof(p->ev.pipe), "%s", pipe);
		ws_dcerpc_pipe_data(c, rpc, WS_DIR_TO_SERVER, p->fid, p->ev.pipe, &data);
	}
}

static void smb1_request(struct ws_pctx *c, struct smb1_state *st, struct dcerpc_state **rpc,
			 const struct smb1_hdr *h, uint8_t cmd, struct smb1_blk *b, uint8_t chain_pos)
{
	struct smb1_pend *p = smb1_pend_new(c, st);
	struct ws_ev_smb *ev = &p->ev;
	const char *name = smb1_info_name(cmd);
	struct ws_rd w = b->words;

	memset(p, 0, sizeof(*p));
	p->used = true;
	p->seq = ++st->seq;
	p->chain_pos = chain_pos;
	p->mid = h->mid;
	p->pid = h->pid;
	p->uid = h->uid;
	p->tid = h->tid;
	p->cmd = cmd;
	smb1_ev_init(st, ev, h, cmd);
	ev->has_request = true;
	const struct ws_packet *pk = ws_pctx_packet(c);
	ev->req_pcap_cnt = pk ? pk->num : 0;
	switch (cmd) {
	case 0x72:
		smb1_negotiate_req(st, p, b);
		ws_pctx_info(c, "Negotiate Protocol Request");
		break;
	case 0x73:
		smb1_session_setup_req(c, p, h, b);
		break;
	case 0x75:
		smb1_tree_connect_req(ev, h, b);
		ws_pctx_info(c, "Tree Connect AndX Request, Path: %s", ev->share);
		break;
	case 0xa2:
		smb1_nt_create_req(ev, h, b);
		ws_pctx_info(c, "NT Create AndX Request, Path: %s", ev->filename);
		break;
	case 0x2d:	/* [MS-CIFS] 2.2.4.41.1: FileName after 15 words */
		smb1_str(&b->bytes, b->bytes_pos, h->unicode, ev->filename, sizeof(ev->filename));
		ws_pctx_info(c, "Open AndX Request, Path: %s", ev->filename);
		break;
	case 0x2e: {	/* [MS-CIFS] 2.2.4.42.1 */
		ws_rd_skip(&w, 4);
		p->fid = ws_rd_le16(&w);
		ev->offset = ws_rd_le32(&w);
		ev->length = ws_rd_le16(&w);
		ws_rd_skip(&w, 2);
		uint32_t max_high = ws_rd_le32(&w);	/* MaxCountHigh ([MS-SMB] 2.2.4.2.1) */
		ws_rd_skip(&w, 2);
		if (b->wc == 12)
			ev->offset |= (uint64_t)ws_rd_le32(&w) << 32;
		if (max_high != 0xffffffffu)
			ev->length |= (max_high & 0xffffu) << 16;
		ws_pctx_info(c, "Read AndX Request, FID: 0x%04x, %u bytes at offset %llu", p->fid,
			     ev->length, (unsigned long long)ev->offset);
		break;
	}
	case 0x2f: {	/* [MS-CIFS] 2.2.4.43.1, [MS-SMB] 2.2.4.3.1 (DataLengthHigh) */
		ws_rd_skip(&w, 4);
		p->fid = ws_rd_le16(&w);
		ev->offset = ws_rd_le32(&w);
		ws_rd_skip(&w, 4);
		uint16_t mode = ws_rd_le16(&w);
		ws_rd_skip(&w, 2);
		uint32_t len_high = ws_rd_le16(&w);
		uint32_t len = ws_rd_le16(&w) | len_high << 16;
		uint16_t data_off = ws_rd_le16(&w);
		if (b->wc == 14)
			ev->offset |= (uint64_t)ws_rd_le32(&w) << 32;
		ev->length = len;
		ws_pctx_info(c, "Write AndX Request, FID: 0x%04x, %u bytes at offset %llu", p->fid, len,
			     (unsigned long long)ev->offset);
		struct ws_rd data = smb1_at(&b->whole, data_off, len);
		ev->data_length = (uint32_t)ws_rd_left(&data);
		const char *pipe = smb1_pipe_of(st, p->fid);
		if (pipe) {
			/* Message-mode pipe write: a 2-byte length may lead (WriteMode 0x0008). */
			if ((mode & 0x0008) && ws_rd_peek(&data, 0) != 0x05)
				ws_rd_skip(&data, 2);
			snprintf(ev->pipe, sizeof(ev->pipe), "%s", pipe);
			ws_dcerpc_pipe_data(c, rpc, WS_DIR_TO_SERVER, p->fid, pipe, &data);
		}
		break;
	}
	case 0x04:	/* [MS-CIFS] 2.2.4.5.1 */
		p->fid = ws_rd_le16(&w);
		ws_pctx_info(c, "Close Request, FID: 0x%04x", p->fid);
		break;
	case 0x24:	/* [MS-CIFS] 2.2.4.32.1 LOCKING_ANDX: FID after the AndX words */
		ws_rd_skip(&w, 4);
		p->fid = ws_rd_le16(&w);
		ws_pctx_info(c, "Locking AndX Request, FID: 0x%04x", p->fid);
		break;
	case 0x25:
		smb1_trans_req(c, st, p, h, b, rpc);
		break;
	case 0x32: {
		struct smb1_trans t;

		smb1_trans_words(b, false, &t);
		p->sub = t.setup_cnt ? t.setup[0] : 0xffff;
		smb1_trans2_name_req(st, p, h, b, &t);
		const char *sub = smb1_trans2_name(p->sub);
		if (sub)
			ws_pctx_info(c, "Trans2 Request, %s", sub);
		else
			ws_pctx_info(c, "Trans2 Request");
		break;
	}
	default:
		if (name)
			ws_pctx_info(c, "%s Request", name);
		else
			ws_pctx_info(c, "Unknown (0x%02x) Request", cmd);
		break;
	}
	if (p->fid) {
		struct smb1_fid *f = smb1_fid_find(st, p->fid);
		if (f)
			snprintf(ev->filename, sizeof(ev->filename), "%s", f->name);
	}
}

/* ---- commands: responses ---- */

static void smb1_login_emit(struct ws_pctx *c, struct smb1_pend *p, const struct smb1_hdr *h, uint16_t action)
{
	struct ws_ev_login lg;
	const struct smb1_login *l = &p->login;

	if (!l->valid)
		return;
	memset(&lg, 0, sizeof(lg));
	lg.service = "smb";
	snprintf(lg.user, sizeof(lg.user), "%s", l->user);
	snprintf(lg.domain, sizeof(lg.domain), "%s", l->domain);
	snprintf(lg.host, sizeof(lg.host), "%s", l->host);
	lg.status = h->status;
	lg.status_name = p->ev.status_name;
	lg.success = h->status == STATUS_SUCCESS ? 1 : 0;
	lg.anonymous = l->anonymous;
	/* [MS-CIFS] 2.2.4.53.2: Action bit 0 SMB_SETUP_GUEST. */
	lg.guest = lg.success && (action & 0x0001);
	lg.password_sent = l->password_sent;
	if (l->anonymous)
		lg.method = "anonymous";
	else if (lg.guest)
		lg.method = "guest";
	else if (l->legacy)
		lg.method = "legacy";
	else
		lg.method = l->ntlm_version == 1 ? "ntlmv1" : "ntlmv2";
	ws_pctx_emit(c, WS_EV_LOGIN, &lg);
}

/* Info suffix ", Error: <status>" of a failed response. */
static void smb1_info_resp(struct ws_pctx *c, const char *what, const char *extra, const struct ws_ev_smb *ev)
{
	if (ev->status == 0)
		ws_pctx_info(c, "%s Response%s", what, extra);
	else if (ev->status_name)
		ws_pctx_info(c, "%s Response%s, Error: %s", what, extra, ev->status_name);
	else
		ws_pctx_info(c, "%s Response%s, Error: 0x%08x", what, extra, ev->status);
}

static void smb1_response(struct ws_pctx *c, struct smb1_state *st, struct dcerpc_state **rpc,
			  const struct smb1_hdr *h, uint8_t cmd, struct smb1_blk *b)
{
	struct smb1_pend local;
	struct smb1_pend *p = smb1_pend_find(st, h, cmd);
	struct ws_ev_smb *ev;
	struct ws_rd w = b->words;
	char extra[96] = "";
	const char *name = smb1_info_name(cmd);
	uint16_t action = 0;

	if (!p) {
		memset(&local, 0, sizeof(local));
		p = &local;
		p->cmd = cmd;
		smb1_ev_init(st, &p->ev, h, cmd);
	}
	ev = &p->ev;
	ev->has_response = true;
	ev->status = h->status;
	ev->dos_error = h->dos;
	ev->status_name = smb1_status_name(h->status, h->dos);
	ev->session_id = h->uid;
	ev->tree_id = h->tid;
	/* Seed 000: a failed session setup reads "SMBsm". */
	if (cmd == 0x73 && h->status != 0 && h->status != STATUS_MORE_PROCESSING_REQUIRED)
		ev->mnemonic = "SMBsm";
	switch (cmd) {
	case 0x72:	/* [MS-CIFS] 2.2.4.52.2 */
		if (b->wc >= 1) {
			uint16_t idx = ws_rd_le16(&w);
			if (idx < st->dialect_cnt && idx < WS_SMB_DIALECTS_MAX)
				ev->dialect = st->dialects[idx];
			if (b->wc == 17) {
				ev->security_mode = ws_rd_u8(&w);
				ws_rd_skip(&w, 2 + 2 + 4 + 4 + 4);
				ev->capabilities = ws_rd_le32(&w);
			} else if (b->wc == 13) {
				ev->security_mode = ws_rd_le16(&w);
			}
		}
		break;
	case 0x73:
		if (b->wc >= 3) {
			ws_rd_skip(&w, 4);
			action = ws_rd_le16(&w);
		}
		if (b->wc == 4) {
			uint16_t blob_len = ws_rd_le16(&w);
			struct ws_rd blob = ws_rd_sub(&b->bytes, blob_len <= ws_rd_left(&b->bytes) ? blob_len : ws_rd_left(&b->bytes));
			struct ws_ntlmssp n;
			if (ws_ntlmssp_find(&blob, &n) == 0 && n.type == 2)
				snprintf(extra, sizeof(extra), ", NTLMSSP_CHALLENGE");
		}
		/* [MS-CIFS] 2.2.4.53.2, [MS-SMB] 2.2.4.6.2: NativeOS first after
		 * the blob (WordCount 4) or at the start of the bytes (3). */
		if (b->wc == 3 || b->wc == 4)
			smb1_str(&b->bytes, smb1_pos(b, &b->bytes), h->unicode, ev->server_native_os,
				 sizeof(ev->server_native_os));
		break;
	case 0x75:	/* [MS-CIFS] 2.2.4.55.2: Service (OEM) after the words */
		if (b->wc >= 2)
			smb1_str(&b->bytes, 0, false, ev->service, sizeof(ev->service));
		if (h->status == 0)
			smb1_tree_add(st, h->tid, ev->share, ev->service);
		break;
	case 0xa2:	/* [MS-CIFS] 2.2.4.64.2 */
		if (b->wc >= 34) {
			ws_rd_skip(&w, 4 + 1);
			p->fid = ws_rd_le16(&w);
			ev->create_action = ws_rd_le32(&w);
			smb1_fid_add(st, p->fid, h->tid, ev->filename);
			snprintf(extra, sizeof(extra), ", FID: 0x%04x", p->fid);
		}
		break;
	case 0x2d:	/* [MS-CIFS] 2.2.4.41.2 */
		if (b->wc >= 15) {
			ws_rd_skip(&w, 4);
			p->fid = ws_rd_le16(&w);
			smb1_fid_add(st, p->fid, h->tid, ev->filename);
			snprintf(extra, sizeof(extra), ", FID: 0x%04x", p->fid);
		}
		break;
	case 0x2e:	/* [MS-CIFS] 2.2.4.42.2 */
		if (b->wc >= 12) {
			ws_rd_skip(&w, 4 + 2 + 2 + 2);
			uint32_t len = ws_rd_le16(&w);
			uint16_t data_off = ws_rd_le16(&w);
			len |= (uint32_t)ws_rd_le16(&w) << 16;	/* [MS-SMB] 2.2.4.2.2 DataLengthHigh */
			struct ws_rd data = smb1_at(&b->whole, data_off, len);
			ev->data_length = len;
			snprintf(extra, sizeof(extra), ", FID: 0x%04x, %u bytes", p->fid, len);
			const char *pipe = smb1_pipe_of(st, p->fid);
			if (pipe && h->status == 0) {
				snprintf(ev->pipe, sizeof(ev->pipe), "%s", pipe);
				ws_dcerpc_pipe_data(c, rpc, WS_DIR_TO_CLIENT, p->fid, pipe, &data);
			}
		}
		break;
	case 0x2f:	/* [MS-CIFS] 2.2.4.43.2 */
		if (b->wc >= 6) {
			ws_rd_skip(&w, 4);
			uint32_t cnt = ws_rd_le16(&w);
			ws_rd_skip(&w, 2);
			cnt |= (uint32_t)ws_rd_le16(&w) << 16;
			ev->data_length = cnt;
			snprintf(extra, sizeof(extra), ", FID: 0x%04x, %u bytes", p->fid, cnt);
		}
		break;
	case 0x04:
		snprintf(extra, sizeof(extra), ", FID: 0x%04x", p->fid);
		if (h->status == 0 && ev->has_request) {
			/* [MS-CIFS] 3.3.5.6: the FID is no longer valid. */
			struct smb1_fid *f = smb1_fid_find(st, p->fid);
			if (f)
				f->used = false;
		}
		break;
	case 0x25:
		if (p->sub == 0x0026 && ev->pipe[0] && h->status == 0) {
			struct smb1_trans t;
			smb1_trans_words(b, true, &t);
			struct ws_rd data = smb1_at(&b->whole, t.data_off, t.data_cnt);
			ws_dcerpc_pipe_data(c, rpc, WS_DIR_TO_CLIENT, p->fid, ev->pipe, &data);
		}
		break;
	case 0x32: {
		const char *sub = ev->has_request ? smb1_trans2_name(p->sub) : NULL;
		if (sub)
			snprintf(extra, sizeof(extra), ", %s", sub);
		break;
	}
	default:
		break;
	}
	if (cmd == 0x25 && p->sub == 0x0026 && h->status == 0)
		;	/* the DCE/RPC response spoke */
	else if (cmd == 0x25 && ev->rap_name)
		smb1_info_resp(c, ev->rap_name, extra, ev);
	else if (name)
		smb1_info_resp(c, name, extra, ev);
	else
		smb1_info_resp(c, "Unknown", extra, ev);
	ws_pctx_emit(c, WS_EV_SMB, ev);
	if (cmd == 0x73 && p != &local && h->status != STATUS_MORE_PROCESSING_REQUIRED)
		smb1_login_emit(c, p, h, action);
	p->used = false;
}

/* ---- the message ---- */

void smb1_msg(struct ws_pctx *c, struct smb1_state **stp, struct dcerpc_state **rpc, enum ws_dir dir,
	      struct ws_rd *msg)
{
	struct smb1_hdr h;
	struct ws_rd whole = *msg;
	struct ws_rd r = *msg;

	(void)dir;
	if (!*stp) {
		*stp = calloc(1, sizeof(**stp));
		if (!*stp)
			return;
	}
	struct smb1_state *st = *stp;

	/* [MS-CIFS] 2.2.3.1 */
	memset(&h, 0, sizeof(h));
	ws_rd_skip(&r, 4);
	h.cmd = ws_rd_u8(&r);
	struct ws_rd status = ws_rd_sub(&r, 4);
	h.flags = ws_rd_u8(&r);
	h.flags2 = ws_rd_le16(&r);
	ws_rd_skip(&r, 2 + 8 + 2);	/* PIDHigh, SecurityFeatures, Reserved */
	h.tid = ws_rd_le16(&r);
	h.pid = ws_rd_le16(&r);
	h.uid = ws_rd_le16(&r);
	h.mid = ws_rd_le16(&r);
	if (!ws_rd_ok(&r)) {
		ws_pctx_anomaly(c, "smb1_truncated", "header cut short");
		return;
	}
	h.reply = (h.flags & SMB1_FLAGS_REPLY) != 0;
	h.unicode = (h.flags2 & SMB1_FLAGS2_UNICODE) != 0;
	if (h.flags2 & SMB1_FLAGS2_NT_STATUS) {
		h.status = ws_rd_le32(&status);
	} else {
		/* [MS-CIFS] 2.2.3.1: ErrorClass(1) Reserved(1) ErrorCode(2). */
		uint8_t cls = ws_rd_u8(&status);
		ws_rd_skip(&status, 1);
		uint16_t code = ws_rd_le16(&status);
		h.dos = true;
		h.status = cls ? (uint32_t)cls << 16 | code : 0;
	}

	uint8_t cmd = h.cmd;
	size_t off = SMB1_HDR_LEN;
	size_t total = ws_rd_left(&whole);
	for (uint8_t i = 0; i < SMB1_ANDX_MAX; i++) {
		struct smb1_blk b = smb1_block(&whole, off);

		if (!b.ok) {
			/* A response may end after its header on error; a request may not. */
			if (h.reply) {
				b.wc = 0;
				smb1_response(c, st, rpc, &h, cmd, &b);
			} else {
				ws_pctx_anomaly(c, "smb1_truncated", "parameter block cut short");
			}
			return;
		}
		if (h.reply)
			smb1_response(c, st, rpc, &h, cmd, &b);
		else
			smb1_request(c, st, rpc, &h, cmd, &b, i);
		if (!smb1_is_andx(cmd) || b.wc < 2)
			return;
		struct ws_rd w = b.words;
		uint8_t next = ws_rd_u8(&w);
		ws_rd_skip(&w, 1);
		uint16_t next_off = ws_rd_le16(&w);
		if (next == SMB1_NO_ANDX)
			return;
		/* Forward only, and inside the message. */
		if (next_off <= off || next_off >= total) {
			ws_pctx_anomaly(c, "smb1_andx_bad_offset", next_off <= off ? "AndXOffset does not move forward"
										: "AndXOffset past the message");
			return;
		}
		cmd = next;
		off = next_off;
	}
	ws_pctx_anomaly(c, "smb1_andx_limit", "AndX chain longer than SMB1_ANDX_MAX");
}

void smb1_close(struct ws_pctx *c, struct smb1_state *st)
{
	if (!st)
		return;
	/* Oldest first. */
	for (;;) {
		struct smb1_pend *oldest = NULL;

		for (size_t i = 0; i < SMB1_PENDING_MAX; i++)
			if (st->pend[i].used && (!oldest || st->pend[i].seq < oldest->seq))
				oldest = &st->pend[i];
		if (!oldest)
			return;
		smb1_emit(c, oldest);
	}
}

void smb1_free(struct smb1_state *st)
{
	free(st);
}
