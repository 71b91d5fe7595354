/*
 * ftp.c - File Transfer Protocol control (TCP 21) and data (TCP 20)
 * connections: identification.
 *
 * Spec: RFC 959 4.1 (commands), 4.2 (replies: three digits, then SP or "-"
 * for a multi-line reply, text, CRLF), 5.4 (the server greets first with
 * 220); RFC 2389 (FEAT, OPTS), RFC 2428 (EPRT, EPSV), RFC 4217 (AUTH TLS,
 * PBSZ, PROT).
 * Emits: WS_EV_FTP per command with its final reply, WS_EV_LOGIN per
 * USER/PASS outcome, WS_EV_FTP_DATA per data connection; announces data
 * connections (PORT, EPRT, 227 PASV, 229 EPSV) with ws_pctx_expect.
 *
 * The greeting "220 ..." is shared with SMTP, and USER/PASS with POP3, so
 * YES needs a line that only FTP sends: a 220 greeting naming FTP, or a
 * command that only FTP has. Other well-formed replies and USER/PASS are
 * MAYBE: on port 21 the port decides.
 */
#include <string.h>

#include "event/ev_ftp.h"
#include "event/ev_smb.h"
#include "proto/proto.h"

/* RFC 959 does not cap a line; real greetings and commands are short, and a
 * probe looks at the first line only. */
#define FTP_PROBE_LINE_MAX 512u

static int ftp_has_ci(struct ws_rd line, const char *lit, size_t n)
{
	while (ws_rd_left(&line) >= n) {
		if (ws_rd_match_ci(&line, lit, n))
			return 1;
		ws_rd_skip(&line, 1);
	}
	return 0;
}

static int ftp_is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* RFC 959 4.2: a reply line, possibly cut short. */
static enum ws_probe ftp_reply(const struct ws_rd *c, int whole, struct ws_rd line)
{
	size_t held = ws_rd_left(c);

	for (size_t i = 0; i < 3 && i < held; i++)
		if (!ftp_is_digit(ws_rd_peek(c, i)))
			return WS_PROBE_NO;
	if (held > 3 && ws_rd_peek(c, 3) != ' ' && ws_rd_peek(c, 3) != '-')
		return WS_PROBE_NO;
	if (ws_rd_peek(c, 0) < '1' || ws_rd_peek(c, 0) > '5')
		return WS_PROBE_NO;
	if (!whole || held < 4)
		return WS_PROBE_MAYBE;
	if (!ws_rd_match(c, "220", 3) || ftp_has_ci(line, "SMTP", 4))
		return WS_PROBE_MAYBE;
	return ftp_has_ci(line, "FTP", 3) ? WS_PROBE_YES : WS_PROBE_MAYBE;
}

/* Commands only FTP has (RFC 959, 2389, 2428, 4217), then SP or the line end. */
static const char *const ftp_only_cmds[] = {
	"AUTH TLS", "AUTH SSL", "FEAT", "SYST", "EPSV", "PASV", "EPRT ", "PORT ",
	"PBSZ ", "TYPE ", "OPTS UTF8",
};

static enum ws_probe ftp_command(struct ws_rd line)
{
	size_t len = ws_rd_left(&line);

	for (size_t i = 0; i < sizeof ftp_only_cmds / sizeof ftp_only_cmds[0]; i++) {
		const char *cmd = ftp_only_cmds[i];
		size_t n = 0;

		while (cmd[n])
			n++;
		if (!ws_rd_match_ci(&line, cmd, n))
			continue;
		if (len == n || ws_rd_peek(&line, n) == ' ' || cmd[n - 1] == ' ')
			return WS_PROBE_YES;
	}
	if (ws_rd_match_ci(&line, "USER ", 5) || ws_rd_match_ci(&line, "PASS ", 5))
		return WS_PROBE_MAYBE;
	return WS_PROBE_NO;
}

static enum ws_probe ftp_probe(struct ws_rd *r, enum ws_dir dir, uint8_t l4)
{
	struct ws_rd c = *r;	/* a copy: the caller's reader does not move */
	struct ws_rd start = c;
	struct ws_view v;

	(void)dir;	/* either side may be judged: mid-stream roles can be wrong */
	if (l4 != WS_PROTO_TCP || ws_rd_left(&c) == 0)
		return WS_PROBE_NO;
	int got = ws_rd_line(&c, &v, FTP_PROBE_LINE_MAX);
	if (got < 0)
		return WS_PROBE_NO;
	struct ws_rd line = start;
	if (got == 1) {
		if (!ws_view_printable(v))
			return WS_PROBE_NO;
		line = ws_rd_sub(&line, v.len);
	}
	if (ftp_is_digit(ws_rd_peek(&start, 0)))
		return ftp_reply(&start, got == 1, line);
	if (got == 0) {
		/* No line end yet: a command word of letters so far is plausible. */
		for (size_t i = 0; i < ws_rd_left(&start) && i < 4; i++) {
			int ch = ws_rd_peek(&start, i);

			if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
				return WS_PROBE_NO;
		}
		return WS_PROBE_MAYBE;
	}
	return ftp_command(line);
}

/* ---- the control connection: lines, commands, replies ---- */

/*
 * Line framing (RFC 959 4.1.3, 4.2): a command or reply line ends in CRLF;
 * a bare LF is accepted. Bytes are consumed one by one: the first
 * WS_FTP_LINE_MAX of a line are kept for parsing, the rest only counted, so
 * a megabyte of 'A' costs no memory. Commands wait in a queue for their
 * replies (a client may pipeline, RFC 959 4.2 pairs them in order); the
 * queue is bounded, and a command pushed out of it is reported unanswered.
 */
#define FTP_QUEUE_MAX 16	/* commands awaiting replies; clients pipeline a few at most */
#define FTP_INFO_MAX 200	/* bytes of a line shown in a packet's Info column */

struct ftp_line {
	uint8_t buf[WS_FTP_LINE_MAX];
	uint32_t kept;			/* bytes in buf */
	uint64_t len;			/* bytes of the line so far, LF excluded */
	uint32_t verb_len;		/* bytes before the first SP */
	bool in_arg;			/* the first SP was seen */
	bool verb_bad;			/* the first word is not 1-15 letters */
	bool too_long;			/* passed WS_FTP_LINE_MAX */
	bool skip;			/* after a gap: drop bytes up to the next LF */
	bool gapped;			/* bytes of this line were lost */
	bool last_cr;			/* the last byte was CR */
	uint8_t run_b;			/* the byte of the current run */
	uint64_t run;			/* its length */
	uint64_t arg_len;
	uint64_t line_run, arg_run;	/* longest runs: whole line, argument */
	uint8_t line_run_b, arg_run_b;
};

struct ftp_cmd {
	char verb[WS_FTP_VERB_MAX];
	char arg[WS_FTP_ARG_MAX];	/* PASS: "<hidden>" unless credentials are shown */
	uint32_t arg_len, arg_run;
	uint8_t arg_run_b;
	bool too_long, truncated;
	uint64_t pkt;
	uint32_t file;
	int64_t ts;
	uint32_t num;
	uint16_t prelim;
	struct ws_addr data_addr;	/* PORT/EPRT: what the client announced */
	uint16_t data_port;
};

struct ftp_reply {
	uint16_t code;			/* of the reply being read (multi-line) */
	bool in_multi;
	uint16_t lines;
	char text[WS_FTP_REPLY_MAX];	/* first line after the code */
	bool truncated;
	struct ws_addr addr;		/* 227/229: the endpoint announced */
	uint16_t port;
	bool has_port;
	char path[WS_FTP_PATH_MAX];	/* 257: the quoted directory */
	bool has_path;
};

struct ftp_state {
	struct ftp_line line[2];
	struct ftp_cmd q[FTP_QUEUE_MAX];
	uint32_t q_head, q_cnt;
	struct ftp_reply rep;
	char user[WS_FTP_USER_MAX];
	bool anonymous, logged_in, user_cut;
	char cwd[WS_FTP_PATH_MAX];
	bool cwd_cut;
	const char *mode;
	uint32_t cmd_num, cwd_count;
	bool tls;			/* AUTH answered 234: nothing more is readable */
	bool queue_warned;
	uint64_t info_pkt[2];		/* the last packet given an Info text, per direction */
	uint32_t info_file[2];
};

static bool ftp_is_alpha(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static int ftp_upper(int ch)
{
	return ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch;
}

static bool ftp_streq_ci(const char *a, const char *b)
{
	while (*a && *b && ftp_upper((uint8_t)*a) == ftp_upper((uint8_t)*b)) {
		a++;
		b++;
	}
	return *a == 0 && *b == 0;
}

static void ftp_copy(char *dst, size_t cap, const char *src, bool *cut)
{
	size_t n = strlen(src);

	if (n >= cap) {
		n = cap - 1;
		if (cut)
			*cut = true;
	}
	memcpy(dst, src, n);
	dst[n] = 0;
}

static void line_reset(struct ftp_line *l)
{
	bool skip = l->skip;

	memset(l, 0, sizeof(*l));
	l->skip = skip;
}

/* One byte of a line (not the LF): keep, count, measure runs. */
static void line_byte(struct ws_pctx *c, struct ftp_line *l, uint8_t b, enum ws_dir dir)
{
	if (l->kept < WS_FTP_LINE_MAX) {
		l->buf[l->kept++] = b;
	} else if (!l->too_long) {
		l->too_long = true;
		ws_pctx_anomaly(c, "ftp_line_too_long",
				dir == WS_DIR_TO_SERVER ? "command line over 1024 bytes" : "reply line over 1024 bytes");
	}
	l->len++;
	l->last_cr = b == '\r';
	if (!l->in_arg) {
		if (b == ' ') {
			l->in_arg = true;
			l->run = 0;
			return;
		}
		l->verb_len++;
		if (!ftp_is_alpha(b) || l->verb_len >= WS_FTP_VERB_MAX)
			l->verb_bad = true;
	} else {
		l->arg_len++;
	}
	if (l->run && b == l->run_b) {
		l->run++;
	} else {
		l->run = 1;
		l->run_b = b;
	}
	if (b == '\r')
		return;
	if (l->run > l->line_run) {
		l->line_run = l->run;
		l->line_run_b = b;
	}
	if (l->in_arg && l->run > l->arg_run) {
		l->arg_run = l->run;
		l->arg_run_b = b;
	}
}

/* The kept bytes of a line without its CR, as a reader. */
static struct ws_rd line_rd(const struct ftp_line *l)
{
	struct ws_rd r;
	uint32_t n = l->kept;

	if (n && l->last_cr && l->len == n)
		n--;
	ws_rd_init(&r, l->buf, n);
	return r;
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Packet lines: the first line completed in a packet names it, as tshark does. */
static void ftp_info(struct ws_pctx *c, struct ftp_state *s, enum ws_dir dir, const char *pre, const char *text)
{
	const struct ws_packet *p = ws_pctx_packet(c);

	if (!p || (s->info_pkt[dir] == p->num && s->info_file[dir] == p->file_idx))
		return;
	s->info_pkt[dir] = p->num;
	s->info_file[dir] = p->file_idx;
	ws_pctx_info(c, "%s: %s%.*s", dir == WS_DIR_TO_SERVER ? "Request" : "Response", pre, FTP_INFO_MAX, text);
}

/* ---- numbers and endpoints (RFC 959 4.1.2 PORT, 227; RFC 2428 EPRT, 229) ---- */

/* A decimal number of up to 5 digits, at most max; -1 if none. */
static long rd_num(struct ws_rd *r, long max)
{
	long v = 0;
	int digits = 0;

	while (digits < 6 && ws_rd_left(r) && ws_rd_peek(r, 0) >= '0' && ws_rd_peek(r, 0) <= '9') {
		v = v * 10 + (ws_rd_u8(r) - '0');
		digits++;
	}
	return digits == 0 || v > max ? -1 : v;
}

/* "h1,h2,h3,h4,p1,p2" (PORT's argument, the numbers of a 227 reply). */
static bool parse_hostport(struct ws_rd *r, struct ws_addr *a, uint16_t *port)
{
	long n[6];
	uint8_t b[4];

	for (int i = 0; i < 6; i++) {
		if (i && (ws_rd_left(r) == 0 || ws_rd_u8(r) != ','))
			return false;
		n[i] = rd_num(r, 255);
		if (n[i] < 0)
			return false;
	}
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)n[i];
	ws_addr_set4(a, b);
	*port = (uint16_t)(n[4] << 8 | n[5]);
	return true;
}

/* RFC 2428 2: EPRT <d><af><d><address><d><port><d>, d any of ASCII 33-126. */
static bool parse_eprt(struct ws_rd *r, struct ws_addr *a, uint16_t *port)
{
	char text[WS_ADDR_STRLEN];
	size_t n = 0;
	int d;
	long af, p;

	if (ws_rd_left(r) < 1)
		return false;
	d = ws_rd_u8(r);
	if (d < 33 || d > 126)
		return false;
	af = rd_num(r, 2);
	if ((af != 1 && af != 2) || ws_rd_left(r) == 0 || ws_rd_u8(r) != d)
		return false;
	while (ws_rd_left(r) && ws_rd_peek(r, 0) != d) {
		if (n + 1 >= sizeof(text))
			return false;
		text[n++] = (char)ws_rd_u8(r);
	}
	text[n] = 0;
	if (ws_rd_left(r) == 0 || ws_rd_u8(r) != d || ws_addr_parse(a, text) != 0)
		return false;
	if ((af == 1 && a->v != 4) || (af == 2 && a->v != 6))
		return false;
	p = rd_num(r, 65535);
	if (p < 0 || ws_rd_left(r) == 0 || ws_rd_u8(r) != d)
		return false;
	*port = (uint16_t)p;
	return true;
}

/* RFC 2428 3: 229 text "(<d><d><d><port><d>)". */
static bool parse_epsv(struct ws_rd *r, uint16_t *port)
{
	while (ws_rd_left(r) && ws_rd_peek(r, 0) != '(')
		ws_rd_skip(r, 1);
	if (ws_rd_left(r) < 5)
		return false;
	ws_rd_skip(r, 1);
	int d = ws_rd_u8(r);
	if (ws_rd_u8(r) != d || ws_rd_u8(r) != d)
		return false;
	long p = rd_num(r, 65535);
	if (p <= 0 || ws_rd_left(r) == 0 || ws_rd_u8(r) != d)
		return false;
	*port = (uint16_t)p;
	return true;
}

/* RFC 1123 4.1.2.6: a 227 reply's numbers start at its first digit. */
static bool parse_pasv(struct ws_rd *r, struct ws_addr *a, uint16_t *port)
{
	while (ws_rd_left(r) && !(ws_rd_peek(r, 0) >= '0' && ws_rd_peek(r, 0) <= '9'))
		ws_rd_skip(r, 1);
	return parse_hostport(r, a, port);
}

/* RFC 959 Appendix II: 257 "<path>" (a quote inside is doubled). */
static bool parse_257(struct ws_rd *r, char *dst, size_t cap)
{
	size_t n = 0;

	while (ws_rd_left(r) && ws_rd_peek(r, 0) != '"')
		ws_rd_skip(r, 1);
	if (ws_rd_left(r) == 0)
		return false;
	ws_rd_skip(r, 1);
	while (ws_rd_left(r)) {
		int ch = ws_rd_u8(r);

		if (ch == '"') {
			if (ws_rd_peek(r, 0) != '"')
				break;
			ws_rd_skip(r, 1);
		}
		if (ch < 0x20 || ch > 0x7e)
			ch = '?';
		if (n + 1 < cap)
			dst[n++] = (char)ch;
	}
	dst[n] = 0;
	return n > 0;
}

/* ---- paths ---- */

/* Drops the last component of a path. */
static void path_up(char *p)
{
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = 0;
	while (n > 0 && p[n - 1] != '/')
		p[--n] = 0;
	while (n > 1 && p[n - 1] == '/')
		p[--n] = 0;
}

/* base joined with arg (absolute arg replaces base), "." and ".." applied. */
static void path_join(const char *base, const char *arg, char *out, size_t cap, bool *cut)
{
	size_t n = 0;
	const char *a = arg;

	out[0] = 0;
	if (arg[0] != '/') {
		ftp_copy(out, cap, base, cut);
		n = strlen(out);
	}
	while (*a) {
		const char *e = a;
		size_t len;

		while (*e && *e != '/')
			e++;
		len = (size_t)(e - a);
		if (len == 0 && a == arg) {
			out[0] = '/';
			out[1] = 0;
			n = 1;
		} else if (len == 2 && a[0] == '.' && a[1] == '.') {
			path_up(out);
			n = strlen(out);
		} else if (len > 0 && !(len == 1 && a[0] == '.')) {
			if (n && out[n - 1] != '/' && n + 1 < cap)
				out[n++] = '/';
			if (n + len >= cap) {
				len = cap - 1 - n;
				*cut = true;
			}
			memcpy(out + n, a, len);
			n += len;
			out[n] = 0;
		}
		a = *e ? e + 1 : e;
	}
}

/* ---- commands ---- */

static bool ftp_anon_user(const char *u)
{
	return ftp_streq_ci(u, "anonymous") || ftp_streq_ci(u, "ftp");
}

static void ftp_expect(struct ws_pctx *c, const struct ws_addr *a, uint16_t port, const struct ws_addr *alt)
{
	static const uint8_t zero[16];

	if (port == 0)
		return;
	if (a->v && memcmp(a->b, zero, sizeof(zero)) != 0)
		ws_pctx_expect(c, a, port, "ftp-data");
	/* Behind NAT the announced address is not the one on the wire: expect both. */
	if (alt && alt->v && !ws_addr_eq(a, alt))
		ws_pctx_expect(c, alt, port, "ftp-data");
}

static void emit_ftp(struct ws_pctx *c, struct ftp_state *s, const struct ftp_cmd *cmd,
		     const struct ftp_reply *rep, uint16_t code);

/* The oldest command leaves the queue, unanswered. */
static void queue_drop_head(struct ws_pctx *c, struct ftp_state *s)
{
	emit_ftp(c, s, &s->q[s->q_head], NULL, 0);
	s->q_head = (s->q_head + 1) % FTP_QUEUE_MAX;
	s->q_cnt--;
}

static void on_command(struct ws_pctx *c, struct ftp_state *s, const struct ftp_line *l)
{
	struct ws_rd r = line_rd(l);
	struct ftp_cmd *cmd;
	const struct ws_packet *p = ws_pctx_packet(c);
	size_t vn = 0;

	if (l->len == 0 || (l->len == 1 && l->last_cr))
		return;		/* an empty line: nothing asked */
	if (s->q_cnt == FTP_QUEUE_MAX) {
		if (!s->queue_warned)
			ws_pctx_anomaly(c, "ftp_pending_limit", "16 commands without a reply");
		s->queue_warned = true;
		queue_drop_head(c, s);
	}
	cmd = &s->q[(s->q_head + s->q_cnt) % FTP_QUEUE_MAX];
	s->q_cnt++;
	memset(cmd, 0, sizeof(*cmd));
	cmd->num = ++s->cmd_num;
	cmd->pkt = p ? p->num : 0;
	cmd->file = p ? p->file_idx : 0;
	cmd->ts = p ? p->ts_ns : 0;
	cmd->too_long = l->too_long;
	while (ws_rd_left(&r) && ws_rd_peek(&r, 0) != ' ') {
		int ch = ws_rd_u8(&r);

		if (vn + 1 < sizeof(cmd->verb))
			cmd->verb[vn++] = (char)(ch >= 0x21 && ch <= 0x7e ? ftp_upper(ch) : '?');
		else
			cmd->truncated = true;
	}
	cmd->verb[vn] = 0;
	if (l->verb_bad) {
		/* No command word: the whole line is what was sent (overflow probes). */
		struct ws_rd all = line_rd(l);

		cmd->arg_len = clamp32(l->len - (l->last_cr ? 1 : 0));
		cmd->arg_run = clamp32(l->line_run);
		cmd->arg_run_b = l->line_run_b;
		if (!ws_view_cstr(ws_rd_rest(&all), cmd->arg, sizeof(cmd->arg)) || l->too_long)
			cmd->truncated = true;
	} else {
		struct ws_view arg = { NULL, 0 };

		if (l->in_arg) {
			ws_rd_skip(&r, 1);
			arg = ws_rd_rest(&r);
		}
		cmd->arg_len = clamp32(l->arg_len - (l->last_cr && l->arg_len ? 1 : 0));
		cmd->arg_run = clamp32(l->arg_run);
		cmd->arg_run_b = l->arg_run_b;
		if (strcmp(cmd->verb, "PASS") == 0 && !ws_pctx_show_credentials(c)) {
			ftp_copy(cmd->arg, sizeof(cmd->arg), arg.len || l->arg_len ? "<hidden>" : "", NULL);
		} else if (!ws_view_cstr(arg, cmd->arg, sizeof(cmd->arg)) || l->too_long) {
			cmd->truncated = true;
		}
		if (strcmp(cmd->verb, "PORT") == 0) {
			struct ws_rd a;

			ws_rd_init(&a, arg.p, arg.len);
			if (parse_hostport(&a, &cmd->data_addr, &cmd->data_port)) {
				s->mode = "active";
				ftp_expect(c, &cmd->data_addr, cmd->data_port, &ws_pctx_flow(c)->cli);
			} else {
				ws_pctx_anomaly(c, "ftp_bad_port", cmd->arg);
			}
		} else if (strcmp(cmd->verb, "EPRT") == 0) {
			struct ws_rd a;

			ws_rd_init(&a, arg.p, arg.len);
			if (parse_eprt(&a, &cmd->data_addr, &cmd->data_port)) {
				s->mode = "active";
				ftp_expect(c, &cmd->data_addr, cmd->data_port, &ws_pctx_flow(c)->cli);
			} else {
				ws_pctx_anomaly(c, "ftp_bad_eprt", cmd->arg);
			}
		}
	}
	if (strcmp(cmd->verb, "USER") == 0) {
		ftp_copy(s->user, sizeof(s->user), cmd->arg, &s->user_cut);
		s->anonymous = ftp_anon_user(s->user);
	}
	if (strcmp(cmd->verb, "CWD") == 0 || strcmp(cmd->verb, "XCWD") == 0)
		s->cwd_count++;
	if (l->verb_bad) {
		ftp_info(c, s, WS_DIR_TO_SERVER, "", cmd->arg);
	} else {
		char pre[WS_FTP_VERB_MAX + 1];

		memcpy(pre, cmd->verb, sizeof(cmd->verb));
		if (l->in_arg)
			strcat(pre, " ");
		ftp_info(c, s, WS_DIR_TO_SERVER, pre, cmd->arg);
	}
}

/* ---- replies ---- */

static void emit_login(struct ws_pctx *c, struct ftp_state *s, uint16_t code, const char *text, bool pass)
{
	struct ws_ev_login ev;

	memset(&ev, 0, sizeof(ev));
	ev.service = "ftp";
	ftp_copy(ev.user, sizeof(ev.user), s->user, NULL);
	ev.anonymous = s->anonymous;
	ev.method = s->anonymous ? "anonymous" : "password";
	ev.success = code >= 200 && code < 300 ? 1 : 0;
	ev.status = code;
	ev.status_name = text;
	ev.password_sent = pass;
	if (ev.success)
		s->logged_in = true;
	ws_pctx_emit(c, WS_EV_LOGIN, &ev);
}

static void emit_ftp(struct ws_pctx *c, struct ftp_state *s, const struct ftp_cmd *cmd,
		     const struct ftp_reply *rep, uint16_t code)
{
	struct ws_ev_ftp ev;

	memset(&ev, 0, sizeof(ev));
	if (cmd) {
		ftp_copy(ev.command, sizeof(ev.command), cmd->verb, NULL);
		ftp_copy(ev.arg, sizeof(ev.arg), cmd->arg, NULL);
		ev.arg_len = cmd->arg_len;
		ev.arg_run = cmd->arg_run;
		ev.arg_run_byte = cmd->arg_run_b;
		ev.line_too_long = cmd->too_long;
		ev.cmd_pkt = cmd->pkt;
		ev.cmd_file = cmd->file;
		ev.cmd_ts_ns = cmd->ts;
		ev.prelim_code = cmd->prelim;
		ev.cmd_num = cmd->num;
		ev.truncated = cmd->truncated;
		ev.data_addr = cmd->data_addr;
		ev.data_port = cmd->data_port;
	}
	ev.reply_code = code;
	if (rep && code) {
		ftp_copy(ev.reply, sizeof(ev.reply), rep->text, NULL);
		ev.reply_lines = rep->lines;
		ev.truncated |= rep->truncated;
		if (rep->has_port && cmd &&
		    (strcmp(cmd->verb, "PASV") == 0 || strcmp(cmd->verb, "EPSV") == 0)) {
			ev.data_addr = rep->addr;
			ev.data_port = rep->port;
		}
	}
	ftp_copy(ev.user, sizeof(ev.user), s->user, NULL);
	ev.truncated |= s->user_cut || s->cwd_cut;
	ev.anonymous = s->anonymous && s->user[0];
	ev.logged_in = s->logged_in;
	ftp_copy(ev.cwd, sizeof(ev.cwd), s->cwd, NULL);
	ev.mode = s->mode;
	ev.tls = s->tls;
	ev.cwd_count = s->cwd_count;
	if (cmd && cmd->arg[0]) {
		static const char *const down[] = { "RETR", "LIST", "NLST", "MLSD" };
		static const char *const up[] = { "STOR", "STOU", "APPE" };
		bool cut = false;

		for (size_t i = 0; i < sizeof(down) / sizeof(down[0]); i++)
			if (strcmp(cmd->verb, down[i]) == 0)
				ev.direction = "download";
		for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++)
			if (strcmp(cmd->verb, up[i]) == 0)
				ev.direction = "upload";
		if (ev.direction || strcmp(cmd->verb, "DELE") == 0) {
			/* LIST -la: options, not a path */
			if (cmd->arg[0] != '-')
				path_join(s->cwd, cmd->arg, ev.file, sizeof(ev.file), &cut);
			ev.truncated |= cut;
		}
	} else if (cmd && (strcmp(cmd->verb, "LIST") == 0 || strcmp(cmd->verb, "NLST") == 0 ||
			   strcmp(cmd->verb, "MLSD") == 0)) {
		ev.direction = "download";
		ftp_copy(ev.file, sizeof(ev.file), s->cwd, NULL);
	}
	ws_pctx_emit(c, WS_EV_FTP, &ev);
}

/* A final reply (2xx-6xx) completes the oldest command: apply what it changes, emit. */
static void on_final(struct ws_pctx *c, struct ftp_state *s, const struct ftp_reply *rep)
{
	uint16_t code = rep->code;
	struct ftp_cmd *cmd;
	bool ok = code >= 200 && code < 300;

	if (s->q_cnt == 0) {
		emit_ftp(c, s, NULL, rep, code);	/* the greeting, or a reply nothing asked for */
		return;
	}
	cmd = &s->q[s->q_head];
	if (strcmp(cmd->verb, "USER") == 0) {
		if (code == 230 || code >= 400)
			emit_login(c, s, code, rep->text, false);
	} else if (strcmp(cmd->verb, "PASS") == 0) {
		if (ok || code >= 400)
			emit_login(c, s, code, rep->text, true);
	} else if (strcmp(cmd->verb, "AUTH") == 0 && code == 234) {
		s->tls = true;
	} else if ((strcmp(cmd->verb, "CWD") == 0 || strcmp(cmd->verb, "XCWD") == 0) && ok) {
		char next[WS_FTP_PATH_MAX];

		path_join(s->cwd, cmd->arg, next, sizeof(next), &s->cwd_cut);
		ftp_copy(s->cwd, sizeof(s->cwd), next, NULL);
	} else if ((strcmp(cmd->verb, "CDUP") == 0 || strcmp(cmd->verb, "XCUP") == 0) && ok) {
		path_up(s->cwd);
	} else if ((strcmp(cmd->verb, "PWD") == 0 || strcmp(cmd->verb, "XPWD") == 0) && code == 257 &&
		   rep->has_path) {
		ftp_copy(s->cwd, sizeof(s->cwd), rep->path, &s->cwd_cut);
	} else if ((strcmp(cmd->verb, "PASV") == 0 && code == 227) ||
		   (strcmp(cmd->verb, "EPSV") == 0 && code == 229)) {
		if (rep->has_port) {
			s->mode = "passive";
			ftp_expect(c, &rep->addr, rep->port, &ws_pctx_flow(c)->srv);
		} else {
			ws_pctx_anomaly(c, "ftp_bad_pasv", rep->text);
		}
	}
	emit_ftp(c, s, cmd, rep, code);
	s->q_head = (s->q_head + 1) % FTP_QUEUE_MAX;
	s->q_cnt--;
}

static bool is_digit3(struct ws_rd r)
{
	return ws_rd_left(&r) >= 3 && ftp_is_digit(ws_rd_peek(&r, 0)) && ftp_is_digit(ws_rd_peek(&r, 1)) &&
	       ftp_is_digit(ws_rd_peek(&r, 2));
}

/* RFC 959 4.2: "123 text", or "123-text" ... "123 text" across lines. */
static void on_reply_line(struct ws_pctx *c, struct ftp_state *s, const struct ftp_line *l)
{
	struct ws_rd r = line_rd(l);
	struct ftp_reply *rep = &s->rep;
	char info[FTP_INFO_MAX];
	struct ws_rd all = r;

	if (!ws_view_cstr(ws_rd_rest(&all), info, sizeof(info)))
		info[sizeof(info) - 1] = 0;
	if (l->len == 0 || (l->len == 1 && l->last_cr))
		return;
	ftp_info(c, s, WS_DIR_TO_CLIENT, "", info);
	if (rep->in_multi) {
		rep->lines++;
		if (!is_digit3(r) || ws_rd_peek(&r, 3) == '-')
			return;
		uint16_t code = (uint16_t)((ws_rd_peek(&r, 0) - '0') * 100 + (ws_rd_peek(&r, 1) - '0') * 10 +
					   (ws_rd_peek(&r, 2) - '0'));
		if (code != rep->code || (ws_rd_left(&r) > 3 && ws_rd_peek(&r, 3) != ' '))
			return;	/* a continuation line that happens to start with digits */
		rep->in_multi = false;
	} else {
		if (!is_digit3(r) || ws_rd_peek(&r, 0) < '1' || ws_rd_peek(&r, 0) > '6') {
			ws_pctx_anomaly(c, "ftp_bad_reply", info);
			return;
		}
		memset(rep, 0, sizeof(*rep));
		rep->code = (uint16_t)((ws_rd_peek(&r, 0) - '0') * 100 + (ws_rd_peek(&r, 1) - '0') * 10 +
				       (ws_rd_peek(&r, 2) - '0'));
		rep->lines = 1;
		ws_rd_skip(&r, 3);
		if (ws_rd_left(&r) && ws_rd_peek(&r, 0) == '-')
			rep->in_multi = true;
		if (ws_rd_left(&r) && (ws_rd_peek(&r, 0) == '-' || ws_rd_peek(&r, 0) == ' '))
			ws_rd_skip(&r, 1);
		struct ws_rd body = r;
		if (!ws_view_cstr(ws_rd_rest(&body), rep->text, sizeof(rep->text)) || l->too_long)
			rep->truncated = true;
		body = r;
		if (rep->code == 227)
			rep->has_port = parse_pasv(&body, &rep->addr, &rep->port);
		if (rep->code == 229 && parse_epsv(&body, &rep->port)) {
			rep->has_port = true;
			rep->addr = ws_pctx_flow(c)->srv;
		}
		if (rep->code == 257)
			rep->has_path = parse_257(&body, rep->path, sizeof(rep->path));
		if (rep->in_multi)
			return;
	}
	if (rep->code < 200) {
		if (s->q_cnt)
			s->q[s->q_head].prelim = rep->code;
		return;
	}
	on_final(c, s, rep);
}

static void line_end(struct ws_pctx *c, struct ftp_state *s, enum ws_dir dir)
{
	struct ftp_line *l = &s->line[dir];

	if (dir == WS_DIR_TO_SERVER)
		on_command(c, s, l);
	else
		on_reply_line(c, s, l);
	line_reset(l);
}

static struct ws_feed_res ftp_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct ftp_state *s = state;
	struct ftp_line *l = &s->line[dir];
	size_t n = ws_rd_left(r);

	for (size_t i = 0; i < n && !s->tls; i++) {
		uint8_t b = ws_rd_u8(r);

		if (b == '\n') {
			if (l->skip)
				l->skip = false;
			else
				line_end(c, s, dir);
			line_reset(l);
		} else if (!l->skip) {
			line_byte(c, l, b, dir);
		}
	}
	/* After AUTH TLS (234) the rest is TLS records: consumed, not parsed. */
	ws_rd_skip(r, ws_rd_left(r));
	return WS_FEED_OK_RES(n);
}

static void ftp_gap(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len)
{
	struct ftp_state *s = state;
	struct ftp_line *l = &s->line[dir];

	(void)c;
	if (l->len == 0) {
		l->skip = true;		/* the next bytes may be the middle of a line */
		return;
	}
	/* A long line losing bytes stays measured: count what was lost. */
	l->gapped = true;
	l->len += len;
	if (l->in_arg)
		l->arg_len += len;
	l->run = 0;
}

static void ftp_close(struct ws_pctx *c, void *state)
{
	struct ftp_state *s = state;

	if (!s->tls) {
		/* A line cut by the end of the connection is still what was sent. */
		for (int d = 0; d < 2; d++)
			if (s->line[d].len && !s->line[d].skip)
				line_end(c, s, (enum ws_dir)d);
	}
	while (s->q_cnt)
		queue_drop_head(c, s);
}

const struct ws_proto ws_proto_ftp = {
	.name = "ftp",
	.label = "FTP",
	.spec = "RFC 959",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 21 },
	.probe = ftp_probe,
	.state_size = sizeof(struct ftp_state),
	.feed = ftp_feed,
	.gap = ftp_gap,
	.close = ftp_close,
};

/* ---- the data connection (RFC 959 3.2): bytes counted per direction ---- */

struct ftp_data_state {
	uint64_t bytes[2];
	uint32_t gaps;
};

static struct ws_feed_res ftp_data_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct ftp_data_state *s = state;
	size_t n = ws_rd_left(r);

	s->bytes[dir] += n;
	ws_pctx_info(c, "FTP Data: %zu bytes", n);
	ws_rd_skip(r, n);
	return WS_FEED_OK_RES(n);
}

static void ftp_data_gap(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len)
{
	struct ftp_data_state *s = state;

	(void)c;
	s->bytes[dir] += len;
	s->gaps++;
}

static void ftp_data_close(struct ws_pctx *c, void *state)
{
	struct ftp_data_state *s = state;
	const struct ws_flow *f = ws_pctx_flow(c);
	struct ws_ev_ftp_data ev;

	memset(&ev, 0, sizeof(ev));
	ev.parent_id = f->parent_id;
	/* RFC 959 3.2: in active mode the server connects from its port 20 (L-1). */
	ev.mode = f->cport == 20 ? "active" : NULL;
	ev.bytes_to_server = s->bytes[WS_DIR_TO_SERVER];
	ev.bytes_to_client = s->bytes[WS_DIR_TO_CLIENT];
	ev.gaps = s->gaps;
	ev.truncated = s->gaps > 0;
	ws_pctx_emit(c, WS_EV_FTP_DATA, &ev);
}

const struct ws_proto ws_proto_ftp_data = {
	.name = "ftp-data",
	.label = "FTP-DATA",
	.spec = "RFC 959 3.2",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 20 },
	.state_size = sizeof(struct ftp_data_state),
	.feed = ftp_data_feed,
	.gap = ftp_data_gap,
	.close = ftp_data_close,
};
