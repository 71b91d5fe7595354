/*
 * ssh.c - Secure Shell (TCP 22): version exchange, cleartext key exchange,
 * HASSH fingerprints, and an estimate of authentication from encrypted sizes.
 *
 * Spec: RFC 4253 4.2 (protocol version exchange): each side first sends
 * "SSH-protoversion-softwareversion SP comments CR LF", at most 255 bytes;
 * the server MAY send other lines first. protoversion is "2.0", "1.99" for a
 * server that also speaks SSH-1 (RFC 4253 5.1), or "1.x" for SSH-1
 * (draft-ylonen-ssh-protocol-00), whose binary protocol is not decoded here.
 * RFC 4253 6 (binary packet protocol), in cleartext until NEWKEYS:
 *
 *   uint32 packet_length | byte padding_length | payload | padding | MAC (none yet)
 *   payload = byte msg_type, ...; packet_length <= 35000 (RFC 4253 6.1)
 *
 * RFC 4253 7.1 KEXINIT (20): byte[16] cookie, ten name-lists (uint32 length,
 * comma-separated names: kex, server host key, ciphers c2s, s2c, MACs c2s, s2c,
 * compression c2s, s2c, languages c2s, s2c), boolean first_kex_packet_follows,
 * uint32 0. Negotiation picks the first client name the server also lists.
 * RFC 4253 7.3 NEWKEYS (21): what follows in that direction is encrypted.
 * HASSH (Salesforce): md5 of "kex;ciphers;macs;compression" of the client's
 * c2s lists (hassh) and of the server's s2c lists (hasshServer).
 *
 * After NEWKEYS only sizes are seen. The authentication estimate follows
 * Zeek's SSH analyzer (size reasoning, written anew): once the client has sent
 * encrypted data, the server's first encrypted segment is SERVICE_ACCEPT (size
 * S); USERAUTH_SUCCESS has a payload of 1 byte and so arrives as S - 16; the
 * first other reply (over S + 256 is a pre-auth banner, passed over once) is
 * the USERAUTH_FAILURE to the client's "none" probe, of size F; each later
 * reply of size F is one failed attempt, and S - 16 ends authentication with
 * a success. Each attempt is a login event (method "unknown": the request is
 * encrypted), success 1/0; a connection with client data that reached no
 * verdict (sizes that never line up, negotiated compression, a gap) gives one
 * login of success -1 and auth_attempts 0, as Zeek counts. Encrypted packets
 * are TCP segments with data, as tshark and Zeek count them.
 *
 * SSH-1 (a "1.x" version from either side, draft-ylonen-ssh-protocol-00 4):
 * uint32 length | 8 - length % 8 padding | type | data | CRC32, the length
 * always in clear; PUBLIC_KEY (server) and SESSION_KEY (client) start the
 * encryption. No authentication estimate for SSH-1.
 *
 * Emits: login (per attempt), ssh (one per connection, at close), anomalies
 * ssh_banner_too_long, ssh_too_many_lines, ssh_bad_version, ssh_packet_too_long,
 * ssh_bad_packet, ssh_bad_kexinit, ssh_gap.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/md5.h"
#include "event/ev_smb.h"
#include "event/ev_ssh.h"
#include "proto/proto.h"

/* RFC 4253 4.2: at most 255 bytes with CR LF; digits of a version part are
 * far fewer. */
#define SSH_VERSION_DIGITS_MAX 4u
#define SSH_LINE_MAX 255u
/* Lines a server may send before its version: RFC 4253 4.2 sets no number;
 * OpenSSH's client gives up after 1024 such lines, so do we (each is at most
 * SSH_LINE_MAX bytes, and none is kept). */
#define SSH_PRE_LINES_MAX 1024u
/* RFC 4253 6.1: implementations MUST handle 35000-byte packets; a larger
 * cleartext packet_length is taken as hostile or not SSH. */
#define SSH_PACKET_MAX 35000u
/* draft-ylonen-ssh-protocol-00 4: an SSH-1 packet is at most 262144 bytes. */
#define SSH1_PACKET_MAX 262144u
/* draft-ylonen-ssh-protocol-00 5: the messages before encryption. */
#define SSH1_SMSG_PUBLIC_KEY 2u
#define SSH1_CMSG_SESSION_KEY 3u
/* One name-list kept for negotiation; longer lists are cut (truncated). */
#define SSH_LIST_KEEP 768u
/* Bytes of Info text built per call (the engine caps at WS_INFO_MAX). */
#define SSH_INFO_MAX WS_INFO_MAX
/* A USERAUTH_FAILURE that follows SERVICE_ACCEPT by more than this is a
 * pre-auth banner (Zeek's 256). */
#define SSH_BANNER_EXTRA 256
/* USERAUTH_SUCCESS is one padding block (16) smaller than SERVICE_ACCEPT. */
#define SSH_SUCCESS_DELTA 16

/* RFC 4253 12 / RFC 4250 4.1.2: message numbers used here. */
enum {
	SSH_MSG_DISCONNECT = 1, SSH_MSG_IGNORE = 2, SSH_MSG_UNIMPLEMENTED = 3, SSH_MSG_DEBUG = 4,
	SSH_MSG_SERVICE_REQUEST = 5, SSH_MSG_SERVICE_ACCEPT = 6, SSH_MSG_EXT_INFO = 7,
	SSH_MSG_KEXINIT = 20, SSH_MSG_NEWKEYS = 21,
};

/* KEXINIT name-lists we keep, by RFC 4253 7.1 order (languages dropped). */
enum { L_KEX, L_HOSTKEY, L_ENC_C2S, L_ENC_S2C, L_MAC_C2S, L_MAC_S2C, L_COMP_C2S, L_COMP_S2C, L__COUNT };

/*
 * SSH_BANNER: lines until the version; SSH_CLEAR: SSH-2 packets until NEWKEYS;
 * SSH_ENCRYPTED: SSH-2 after NEWKEYS, sizes only; SSH_V1_CLEAR / SSH_V1_ENC:
 * SSH-1 packets, whose length stays in clear (before and after the session
 * key); SSH_OPAQUE: given up, bytes passed over.
 */
enum ssh_phase { SSH_BANNER, SSH_CLEAR, SSH_ENCRYPTED, SSH_V1_CLEAR, SSH_V1_ENC, SSH_OPAQUE };

struct ssh_side {
	enum ssh_phase phase;
	bool kexinit;
	char list[L__COUNT][SSH_LIST_KEEP];
	char hassh_str[WS_SSH_HASSH_STR_MAX];
	char hassh[WS_SSH_HASSH_LEN];
	uint64_t enc_pkts;
	uint64_t enc_bytes;
};

struct ssh_state {
	struct ssh_side side[2];	/* by enum ws_dir: 0 client -> server */
	struct ws_ev_ssh ev;		/* versions, filled as they come */
	bool gap;
	/* The authentication estimate (see the top of the file). */
	bool client_enc;
	bool decided;
	bool banner_skipped;
	uint32_t accept_size;
	uint32_t failure_size;
	uint32_t attempts;
	uint64_t client_enc_cnt;	/* client segments after its NEWKEYS */
};

static const char *ssh_who(enum ws_dir dir)
{
	return dir == WS_DIR_TO_SERVER ? "Client" : "Server";
}

/* Appends to the call's Info text, ", " between messages as tshark does. */
static void ssh_info_add(char *info, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ssh_info_add(char *info, const char *fmt, ...)
{
	size_t n = strlen(info);
	va_list ap;

	if (n + 3 >= SSH_INFO_MAX)
		return;
	if (n > 0) {
		memcpy(info + n, ", ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(info + n, SSH_INFO_MAX - n, fmt, ap);
	va_end(ap);
}

/* Copies a view into a field; true when it was cut. */
static bool ssh_copy(char *dst, size_t cap, struct ws_view v)
{
	return ws_view_cstr(v, dst, cap) == 0;
}

static int ssh_is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* Bytes up to (not including) stop, or to the end; the reader moves past them. */
static struct ws_view ssh_until(struct ws_rd *r, int stop)
{
	size_t n = 0;
	size_t left = ws_rd_left(r);

	while (n < left && ws_rd_peek(r, n) != stop)
		n++;
	return ws_rd_view(r, n);
}

/*
 * RFC 4253 4.2: "SSH-protoversion-softwareversion SP comments". Fills the
 * side's fields of ev; false when the line is not a version line.
 */
static bool ssh_parse_version(struct ws_ev_ssh *ev, enum ws_dir dir, struct ws_view line)
{
	struct ws_rd r;
	bool client = dir == WS_DIR_TO_SERVER;

	ws_rd_init(&r, line.p, line.len);
	if (!ws_rd_match(&r, "SSH-", 4))
		return false;
	ev->truncated |= ssh_copy(client ? ev->client_version : ev->server_version, WS_SSH_VERSION_MAX, line);
	ws_rd_skip(&r, 4);
	struct ws_view proto = ssh_until(&r, '-');
	if (ws_rd_u8(&r) != '-' || proto.len == 0)
		return false;
	ev->truncated |= ssh_copy(client ? ev->client_proto : ev->server_proto, WS_SSH_PROTO_MAX, proto);
	struct ws_view soft = ssh_until(&r, ' ');
	ev->truncated |= ssh_copy(client ? ev->client_software : ev->server_software, WS_SSH_VERSION_MAX, soft);
	if (ws_rd_left(&r) > 0) {
		ws_rd_skip(&r, 1);
		struct ws_view rest = ws_rd_rest(&r);
		ev->truncated |= ssh_copy(client ? ev->client_comments : ev->server_comments,
					  WS_SSH_VERSION_MAX, rest);
	}
	return true;
}

/* Is this protoversion SSH-1 only ("1.x" but not "1.99")? */
static bool ssh_proto_is_v1(const char *proto)
{
	return proto[0] == '1' && proto[1] == '.' && strcmp(proto, "1.99") != 0;
}

/* Is name one of the comma-separated list? */
static bool ssh_list_has(const char *list, const char *name, size_t name_len)
{
	const char *p = list;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == name_len && memcmp(p, name, n) == 0)
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

/* RFC 4253 7.1: the first client algorithm the server also lists, or "". */
static void ssh_negotiate(char *out, const char *client, const char *server)
{
	const char *p = client;

	out[0] = '\0';
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n > 0 && n < WS_SSH_ALG_MAX && ssh_list_has(server, p, n)) {
			memcpy(out, p, n);
			out[n] = '\0';
			return;
		}
		if (!comma)
			return;
		p = comma + 1;
	}
}

/* HASSH input, in order: kex, then the lists of the sender's own direction. */
static void ssh_hassh_lists(enum ws_dir dir, int idx[4])
{
	bool client = dir == WS_DIR_TO_SERVER;

	idx[0] = L_KEX;
	idx[1] = client ? L_ENC_C2S : L_ENC_S2C;
	idx[2] = client ? L_MAC_C2S : L_MAC_S2C;
	idx[3] = client ? L_COMP_C2S : L_COMP_S2C;
}

/* Appends src to dst (cap bytes); true when it was cut. */
static bool ssh_append(char *dst, size_t cap, const char *src)
{
	size_t have = strlen(dst);
	size_t n = strlen(src);
	bool cut = have + n >= cap;

	if (cut)
		n = have + 1 < cap ? cap - have - 1 : 0;
	memcpy(dst + have, src, n);
	dst[have + n] = '\0';
	return cut;
}

/*
 * RFC 4253 7.1 KEXINIT payload after the message byte. Keeps the name-lists,
 * computes the HASSH over the whole lists. False when a list is cut short.
 */
static bool ssh_parse_kexinit(struct ssh_state *st, enum ws_dir dir, struct ws_rd *p)
{
	struct ssh_side *s = &st->side[dir];
	struct ws_view lists[10];
	int hidx[4];
	struct ws_md5 md5;
	uint8_t digest[WS_MD5_LEN];

	ws_rd_skip(p, 16);	/* cookie */
	for (int i = 0; i < 10; i++) {
		uint32_t n = ws_rd_be32(p);

		lists[i] = ws_rd_view(p, n);
	}
	ws_rd_u8(p);		/* first_kex_packet_follows */
	ws_rd_be32(p);		/* reserved */
	if (!ws_rd_ok(p))
		return false;
	for (int i = 0; i < L__COUNT; i++)
		st->ev.truncated |= ssh_copy(s->list[i], SSH_LIST_KEEP, lists[i]);
	ssh_hassh_lists(dir, hidx);
	ws_md5_init(&md5);
	s->hassh_str[0] = '\0';
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			ws_md5_update(&md5, ";", 1);
		ws_md5_update(&md5, lists[hidx[i]].p, lists[hidx[i]].len);
		if (i > 0)
			st->ev.truncated |= ssh_append(s->hassh_str, sizeof(s->hassh_str), ";");
		st->ev.truncated |= ssh_append(s->hassh_str, sizeof(s->hassh_str), s->list[hidx[i]]);
	}
	ws_md5_final(&md5, digest);
	for (unsigned i = 0; i < WS_MD5_LEN; i++)
		snprintf(s->hassh + 2 * i, 3, "%02x", digest[i]);
	s->kexinit = true;
	return true;
}

/* tshark's names of the key exchange messages 30-34, by the chosen method. */
static const char *ssh_kex_msg_name(const struct ssh_state *st, uint8_t type)
{
	const char *kex = st->ev.kex;

	if (strncmp(kex, "diffie-hellman-group-exchange", 29) == 0) {
		static const char *const gex[] = {
			"Diffie-Hellman Group Exchange Request (Old)", "Diffie-Hellman Group Exchange Group",
			"Diffie-Hellman Group Exchange Init", "Diffie-Hellman Group Exchange Reply",
			"Diffie-Hellman Group Exchange Request",
		};
		return gex[type - 30];
	}
	if (strncmp(kex, "diffie-hellman-group", 20) == 0 || strncmp(kex, "sntrup", 6) == 0) {
		if (type == 30)
			return "Diffie-Hellman Key Exchange Init";
		if (type == 31)
			return "Diffie-Hellman Key Exchange Reply";
	}
	if (kex[0] != '\0' && strncmp(kex, "diffie-hellman", 14) != 0) {
		if (type == 30)
			return "Elliptic Curve Diffie-Hellman Key Exchange Init";
		if (type == 31)
			return "Elliptic Curve Diffie-Hellman Key Exchange Reply";
	}
	return NULL;
}

static const char *ssh_msg_name(uint8_t type)
{
	switch (type) {
	case SSH_MSG_DISCONNECT: return "Disconnect";
	case SSH_MSG_IGNORE: return "Ignore";
	case SSH_MSG_UNIMPLEMENTED: return "Unimplemented";
	case SSH_MSG_DEBUG: return "Debug";
	case SSH_MSG_SERVICE_REQUEST: return "Service Request";
	case SSH_MSG_SERVICE_ACCEPT: return "Service Accept";
	case SSH_MSG_EXT_INFO: return "Extension Info";
	case SSH_MSG_KEXINIT: return "Key Exchange Init";
	case SSH_MSG_NEWKEYS: return "New Keys";
	default: return NULL;
	}
}

/* Once both KEXINITs are held: the algorithms negotiation picks. */
static void ssh_pick_algorithms(struct ssh_state *st)
{
	const struct ssh_side *c = &st->side[WS_DIR_TO_SERVER];
	const struct ssh_side *s = &st->side[WS_DIR_TO_CLIENT];
	struct ws_ev_ssh *ev = &st->ev;

	ssh_negotiate(ev->kex, c->list[L_KEX], s->list[L_KEX]);
	ssh_negotiate(ev->host_key, c->list[L_HOSTKEY], s->list[L_HOSTKEY]);
	ssh_negotiate(ev->cipher_c2s, c->list[L_ENC_C2S], s->list[L_ENC_C2S]);
	ssh_negotiate(ev->cipher_s2c, c->list[L_ENC_S2C], s->list[L_ENC_S2C]);
	ssh_negotiate(ev->mac_c2s, c->list[L_MAC_C2S], s->list[L_MAC_C2S]);
	ssh_negotiate(ev->mac_s2c, c->list[L_MAC_S2C], s->list[L_MAC_S2C]);
	ssh_negotiate(ev->compression_c2s, c->list[L_COMP_C2S], s->list[L_COMP_C2S]);
	ssh_negotiate(ev->compression_s2c, c->list[L_COMP_S2C], s->list[L_COMP_S2C]);
}

/* One cleartext packet's payload (msg type first). */
static void ssh_message(struct ws_pctx *c, struct ssh_state *st, enum ws_dir dir, struct ws_rd *p, char *info)
{
	uint8_t type = ws_rd_u8(p);
	const char *name = ssh_msg_name(type);

	if (type == SSH_MSG_KEXINIT) {
		if (!ssh_parse_kexinit(st, dir, p))
			ws_pctx_anomaly(c, "ssh_bad_kexinit", "a name-list runs past the packet");
		else if (st->side[!dir].kexinit)
			ssh_pick_algorithms(st);
	} else if (type == SSH_MSG_NEWKEYS) {
		st->side[dir].phase = SSH_ENCRYPTED;
		st->ev.encryption_started = true;
	} else if (type >= 30 && type <= 34) {
		name = ssh_kex_msg_name(st, type);
	}
	if (name)
		ssh_info_add(info, "%s", name);
	else
		ssh_info_add(info, "Unknown (%u)", type);
}

static void ssh_login(struct ws_pctx *c, int success)
{
	struct ws_ev_login l;

	memset(&l, 0, sizeof(l));
	l.service = "ssh";
	l.method = "unknown";	/* the request is encrypted: password or key cannot be told */
	l.success = success;
	l.status_name = "estimated";
	ws_pctx_emit(c, WS_EV_LOGIN, &l);
}

/*
 * Compression changes sizes: like Zeek (compression_algorithms), no estimate
 * when any was negotiated, even zlib@openssh.com, which starts only after
 * authentication but is what Zeek's baselines reflect.
 */
static bool ssh_compressed(const struct ws_ev_ssh *ev)
{
	return (ev->compression_c2s[0] != '\0' && strcmp(ev->compression_c2s, "none") != 0) ||
	       (ev->compression_s2c[0] != '\0' && strcmp(ev->compression_s2c, "none") != 0);
}

/* The estimate, per encrypted segment of len bytes (see the top of the file). */
static void ssh_auth_segment(struct ws_pctx *c, struct ssh_state *st, enum ws_dir dir, uint32_t len)
{
	if (dir == WS_DIR_TO_SERVER)
		st->client_enc_cnt++;
	if (st->decided || st->gap || ssh_compressed(&st->ev))
		return;
	if (dir == WS_DIR_TO_SERVER) {
		st->client_enc = true;
		return;
	}
	if (!st->client_enc)
		return;
	if (!st->accept_size) {
		st->accept_size = len;
		return;
	}
	int64_t rel = (int64_t)len - (int64_t)st->accept_size;
	if (rel == -SSH_SUCCESS_DELTA && (!st->failure_size || len != st->failure_size)) {
		st->decided = true;
		st->attempts++;
		ssh_login(c, 1);
		return;
	}
	if (!st->failure_size) {
		if (!st->banner_skipped && rel > SSH_BANNER_EXTRA) {
			st->banner_skipped = true;
			return;
		}
		st->failure_size = len;	/* the answer to the "none" probe */
		return;
	}
	if (len == st->failure_size) {
		st->attempts++;
		ssh_login(c, 0);
	}
}

/* Bytes of dir after its NEWKEYS: counted, sized, never read. */
static void ssh_encrypted(struct ws_pctx *c, struct ssh_state *st, enum ws_dir dir, size_t n, char *info)
{
	struct ssh_side *s = &st->side[dir];

	if (n == 0)
		return;
	s->enc_pkts++;
	s->enc_bytes += n;
	if (info)
		ssh_info_add(info, "Encrypted packet (len=%zu)", n);
	ssh_auth_segment(c, st, dir, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
}

/*
 * The version exchange: lines until "SSH-". Returns 1 to go on, 0 when a
 * whole line is not held yet, -1 when this direction is given up.
 */
static int ssh_banner(struct ws_pctx *c, struct ssh_state *st, enum ws_dir dir, struct ws_rd *r, char *info)
{
	struct ws_view line;
	int got = ws_rd_line(r, &line, SSH_LINE_MAX);

	if (got == 0)
		return 0;
	if (got < 0) {
		ws_pctx_anomaly(c, "ssh_banner_too_long", "no line end within 255 bytes (RFC 4253 4.2)");
		return -1;
	}
	struct ws_rd lr;

	ws_rd_init(&lr, line.p, line.len);
	if (!ws_rd_match(&lr, "SSH-", 4)) {
		/* RFC 4253 4.2: only the server may send other lines first. */
		if (dir == WS_DIR_TO_CLIENT)
			st->ev.server_pre_lines++;
		if (dir == WS_DIR_TO_SERVER || st->ev.server_pre_lines > SSH_PRE_LINES_MAX) {
			ws_pctx_anomaly(c, "ssh_too_many_lines", dir == WS_DIR_TO_SERVER ?
					"client line before its version" : "too many lines before the version");
			return -1;
		}
		return 1;
	}
	if (!ssh_parse_version(&st->ev, dir, line)) {
		ws_pctx_anomaly(c, "ssh_bad_version", "no protoversion-softwareversion");
		return -1;
	}
	ssh_info_add(info, "Protocol (%s)", dir == WS_DIR_TO_SERVER ? st->ev.client_version : st->ev.server_version);
	/* RFC 4253 5.1: a 1.99 server talking to a 1.x client speaks SSH-1 too. */
	bool v1 = ssh_proto_is_v1(st->ev.client_proto) || ssh_proto_is_v1(st->ev.server_proto);
	st->side[dir].phase = v1 ? SSH_V1_CLEAR : SSH_CLEAR;
	if (v1 && st->side[!dir].phase == SSH_CLEAR)
		st->side[!dir].phase = SSH_V1_CLEAR;
	return 1;
}

/*
 * One cleartext binary packet (RFC 4253 6). Returns 1 when one was taken,
 * 0 when more bytes are needed (*need: the packet's total), -1 on a bad one.
 */
static int ssh_packet(struct ws_pctx *c, struct ssh_state *st, enum ws_dir dir, struct ws_rd *r, size_t *need,
		      char *info)
{
	struct ws_rd h = *r;
	uint32_t plen = ws_rd_be32(&h);
	uint8_t pad = ws_rd_u8(&h);

	if (!ws_rd_ok(&h)) {
		*need = 5;
		return 0;
	}
	if (plen > SSH_PACKET_MAX) {
		ws_pctx_anomaly(c, "ssh_packet_too_long", "packet_length over 35000 (RFC 4253 6.1)");
		return -1;
	}
	/* RFC 4253 6: padding at least 4 bytes, payload at least the msg byte. */
	if (plen < 2u + pad || pad < 4) {
		ws_pctx_anomaly(c, "ssh_bad_packet", "padding_length does not fit packet_length");
		return -1;
	}
	if (ws_rd_left(r) < 4u + plen) {
		*need = 4u + plen;
		return 0;
	}
	ws_rd_skip(r, 5);
	struct ws_rd payload = ws_rd_sub(r, plen - 1u - pad);
	ws_rd_skip(r, pad);
	ssh_message(c, st, dir, &payload, info);
	return 1;
}

/*
 * One SSH-1 packet (draft-ylonen-ssh-protocol-00 4): uint32 length (type,
 * data and CRC), 8 - length % 8 bytes of padding, type, data, CRC32. Only the
 * length is in clear once the session key is sent. Returns as ssh_packet.
 */
static int ssh1_packet(struct ws_pctx *c, struct ssh_state *st, enum ws_dir dir, struct ws_rd *r, size_t *need,
		       char *info)
{
	struct ssh_side *s = &st->side[dir];
	struct ws_rd h = *r;
	uint32_t len = ws_rd_be32(&h);

	if (!ws_rd_ok(&h)) {
		*need = 4;
		return 0;
	}
	if (len > SSH1_PACKET_MAX || len < 5) {
		ws_pctx_anomaly(c, "ssh_packet_too_long", "SSH-1 length out of 5..262144");
		return -1;
	}
	size_t pad = 8u - len % 8u;
	size_t total = 4u + pad + len;
	if (ws_rd_left(r) < total) {
		*need = total;
		return 0;
	}
	ws_rd_skip(r, 4 + pad);
	uint8_t type = ws_rd_u8(r);
	ws_rd_skip(r, len - 1u);
	if (s->phase == SSH_V1_ENC) {
		s->enc_pkts++;
		s->enc_bytes += total;
		ssh_info_add(info, "Encrypted packet (len=%u)", len);
		return 1;
	}
	if (dir == WS_DIR_TO_CLIENT && type == SSH1_SMSG_PUBLIC_KEY) {
		ssh_info_add(info, "Public Key");
		s->phase = SSH_V1_ENC;	/* the server's next message is encrypted */
	} else if (dir == WS_DIR_TO_SERVER && type == SSH1_CMSG_SESSION_KEY) {
		ssh_info_add(info, "Session Key");
		s->phase = SSH_V1_ENC;
		st->ev.encryption_started = true;
	} else {
		ssh_info_add(info, "Unknown (%u)", type);
	}
	return 1;
}

static struct ws_feed_res ssh_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct ssh_state *st = state;
	struct ssh_side *s = &st->side[dir];
	char info[SSH_INFO_MAX];
	size_t start = r->off;
	struct ws_feed_res res;

	info[0] = '\0';
	for (;;) {
		if (s->phase == SSH_BANNER) {
			int got = ssh_banner(c, st, dir, r, info);

			if (got == 0) {
				res = WS_INCOMPLETE(r->off - start, 0);
				break;
			}
			if (got < 0)
				s->phase = SSH_OPAQUE;
			continue;
		}
		if (s->phase == SSH_CLEAR || s->phase == SSH_V1_CLEAR || s->phase == SSH_V1_ENC) {
			size_t need = 0;

			if (ws_rd_left(r) == 0) {
				res = WS_FEED_OK_RES(r->off - start);
				break;
			}
			int got = s->phase == SSH_CLEAR ? ssh_packet(c, st, dir, r, &need, info) :
				  ssh1_packet(c, st, dir, r, &need, info);
			if (got == 0) {
				res = WS_INCOMPLETE(r->off - start, need);
				break;
			}
			if (got < 0)
				s->phase = SSH_OPAQUE;
			continue;
		}
		size_t n = ws_rd_left(r);
		/* tshark names only the NEWKEYS when encrypted bytes follow it in one segment. */
		if (s->phase == SSH_ENCRYPTED)
			ssh_encrypted(c, st, dir, n, info[0] == '\0' ? info : NULL);
		ws_rd_skip(r, n);
		res = WS_FEED_OK_RES(r->off - start);
		break;
	}
	if (info[0] != '\0')
		ws_pctx_info(c, "%s: %s", ssh_who(dir), info);
	return res;
}

static void ssh_gap(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len)
{
	struct ssh_state *st = state;

	(void)len;
	st->gap = true;		/* sizes no longer line up: no more estimating */
	if (st->side[dir].phase == SSH_BANNER || st->side[dir].phase == SSH_CLEAR) {
		ws_pctx_anomaly(c, "ssh_gap", "bytes lost before encryption: decoding stops");
		st->side[dir].phase = SSH_OPAQUE;
	}
}

static void ssh_close(struct ws_pctx *c, void *state)
{
	struct ssh_state *st = state;
	struct ws_ev_ssh *ev = &st->ev;
	const struct ssh_side *cs = &st->side[WS_DIR_TO_SERVER];
	const struct ssh_side *ss = &st->side[WS_DIR_TO_CLIENT];

	if (ev->client_version[0] == '\0' && ev->server_version[0] == '\0' && !cs->kexinit && !ss->kexinit)
		return;		/* nothing SSH was seen */
	if (cs->kexinit) {
		memcpy(ev->hassh, cs->hassh, sizeof(ev->hassh));
		memcpy(ev->hassh_string, cs->hassh_str, sizeof(ev->hassh_string));
	}
	if (ss->kexinit) {
		memcpy(ev->hassh_server, ss->hassh, sizeof(ev->hassh_server));
		memcpy(ev->hassh_server_string, ss->hassh_str, sizeof(ev->hassh_server_string));
	}
	ev->enc_packets_c2s = cs->enc_pkts;
	ev->enc_bytes_c2s = cs->enc_bytes;
	ev->enc_packets_s2c = ss->enc_pkts;
	ev->enc_bytes_s2c = ss->enc_bytes;
	ev->auth_attempts = st->attempts;
	if (st->decided)
		ev->auth_success = 1;
	else if (st->attempts > 0)
		ev->auth_success = 0;
	else
		ev->auth_success = -1;
	/*
	 * Client data past its SERVICE_REQUEST that reached no verdict (sizes did
	 * not line up, compression, a gap): one attempt of unknown outcome.
	 */
	if (!st->decided && st->attempts == 0 && st->client_enc_cnt > 1)
		ssh_login(c, -1);	/* auth_attempts stays 0, as Zeek counts */
	ws_pctx_emit(c, WS_EV_SSH, ev);
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
	.spec = "RFC 4253",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 22 },
	.probe = ssh_probe,
	.state_size = sizeof(struct ssh_state),
	.feed = ssh_feed,
	.gap = ssh_gap,
	.close = ssh_close,
};
