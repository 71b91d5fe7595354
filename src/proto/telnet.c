/*
 * telnet.c - Telnet (TCP 23): identification, option negotiation, the text
 * stream, logins and a per-session summary.
 *
 * Spec: RFC 854 (NVT; commands: IAC 255, then SE 240 .. DONT 254; IAC IAC is
 * a data byte 255; CR LF and CR NUL end lines), RFC 855 (option negotiation:
 * IAC WILL/WONT/DO/DONT <option>, IAC SB <option> <parameters> IAC SE, IAC
 * doubled inside); option numbers from the IANA Telnet Options registry.
 * Subnegotiations decoded: RFC 1091 TERMINAL-TYPE IS, RFC 1073 NAWS (width16
 * height16), RFC 1079 TERMINAL-SPEED IS, RFC 1096 X-DISPLAY-LOCATION IS,
 * RFC 1408/1572 (NEW-)ENVIRON IS/INFO with VAR "USER", RFC 2941
 * AUTHENTICATION NAME, RFC 2946 ENCRYPT START (the sender's data that follows
 * is ciphertext: only counted).
 * Emits: login (service "telnet", one per attempt, when decided), telnet (one
 * per session, at close), anomaly; Info "Telnet Data ..." as tshark.
 *
 *   data ... | IAC | WILL/WONT/DO/DONT | option |
 *   data ... | IAC | SB | option | parameters (IAC IAC = 255) | IAC | SE |
 *
 * The stream is decoded byte by byte with the state kept per direction, so
 * a command cut anywhere between two segments (an IAC at the end of one)
 * decodes the same, and every byte is consumed at once: nothing is left to
 * the engine to hold. What grows is capped: a subnegotiation is kept up to
 * TELNET_SB_MAX (past it: counted, anomaly telnet_sb_limit), a text line up
 * to TELNET_LINE_MAX (past it: counted, anomaly telnet_line_limit); lengths
 * and the longest run of one byte are measured whatever the caps.
 *
 * Logins (there is no login command in Telnet; this follows what login(1)
 * and network devices print): a server line ending in "login:",
 * "username:" or "user name:" (spaces may follow) that the client answers
 * starts an attempt; the client's keystrokes up to CR or LF are the user
 * name, with BS/DEL erasing and ^U killing the line (the server's echo is
 * ignored: only what the client typed counts). A "password:" prompt then
 * collects the password (kept only with --show-credentials). After it a
 * server line holding "incorrect", "failed", "denied" or "invalid" is a
 * failure; one holding "last login" or "welcome", or a shell prompt (a line
 * ending in "$ ", "# ", "> ", "% ", or "$#>%" when the client types next)
 * is a success. A new login prompt answered while an attempt is open is a
 * failure ("login prompt again"), so each attempt of a guessing client is
 * counted. An attempt still open at the end is reported unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/ev_smb.h"
#include "event/ev_telnet.h"
#include "proto/proto.h"

#define TELNET_IAC 255
#define TELNET_DONT 254
#define TELNET_DO 253
#define TELNET_WONT 252
#define TELNET_WILL 251
#define TELNET_SB 250
#define TELNET_SE 240
#define TELNET_OPT_ASSIGNED_MAX 49
#define TELNET_OPT_EXOPL 255

#define TELOPT_TTYPE 24
#define TELOPT_NAWS 31
#define TELOPT_TSPEED 32
#define TELOPT_XDISPLOC 35
#define TELOPT_OLD_ENVIRON 36
#define TELOPT_AUTHENTICATION 37
#define TELOPT_ENCRYPT 38
#define TELOPT_NEW_ENVIRON 39

#define TELQUAL_IS 0		/* RFC 1091, 1079, 1096, 1572 */
#define TELQUAL_INFO 2		/* RFC 1572 */
#define ENV_VAR 0		/* RFC 1572 */
#define ENV_VALUE 1
#define ENV_ESC 2
#define ENV_USERVAR 3
#define AUTH_NAME 3		/* RFC 2941 */
#define ENCRYPT_START 1		/* RFC 2946 */

#define CH_BS 0x08
#define CH_NAK 0x15		/* ^U: kill the line */
#define CH_DEL 0x7f

/* Bytes of a subnegotiation the probe walks before it judges on what it saw. */
#define TELNET_PROBE_SB_MAX 256u
/*
 * Subnegotiation parameters kept for decoding. The ones we decode are short
 * (a terminal type, 4 bytes of NAWS, a few environment variables); a longer
 * one is counted to its end but not decoded (anomaly telnet_sb_limit), so an
 * unclosed subnegotiation never grows memory.
 */
#define TELNET_SB_MAX 512u
/*
 * Bytes of one text line kept for prompt and outcome matching. Prompts and
 * login messages are short; a longer line is counted (max_line_len) but its
 * tail is not kept (anomaly telnet_line_limit, once per direction).
 */
#define TELNET_LINE_MAX 1024u

enum tn_st { TN_DATA, TN_IAC, TN_OPT, TN_SB_OPT, TN_SB, TN_SB_IAC };
enum tn_prompt { TP_NONE, TP_LOGIN, TP_PASS };
/* Where the login stands: no prompt answered, typing the user, user sent, typing the password, waiting, logged in. */
enum tn_login { TL_IDLE, TL_USER, TL_USER_SENT, TL_PASS, TL_WAIT, TL_DONE };

/* One direction's decoder. */
struct tn_dir {
	uint8_t st;			/* enum tn_st */
	uint8_t cmd;			/* WILL/WONT/DO/DONT waiting for its option */
	uint8_t sb_opt;
	uint8_t prev;			/* the previous data byte (CR LF is one line end) */
	uint8_t prompt;			/* server: enum tn_prompt the current line ends with */
	uint8_t run_byte;
	bool sb_over;			/* this subnegotiation passed TELNET_SB_MAX */
	bool line_over;			/* this line passed TELNET_LINE_MAX */
	bool noted_sb_limit, noted_line_limit, noted_bad_cmd, noted_sb_no_se;
	uint32_t sb_len;		/* parameter bytes kept */
	uint64_t sb_total;		/* parameter bytes of this subnegotiation, all */
	uint64_t run;
	uint32_t line_len;		/* bytes kept of the current line, after line editing */
	uint64_t line_total;		/* bytes of the current line, all */
	uint8_t sb[TELNET_SB_MAX];
	char line[TELNET_LINE_MAX];
	char *transcript;		/* only with --show-credentials: WS_TELNET_TRANSCRIPT_MAX bytes */
	uint32_t transcript_len;
};

/* A session's decoder, allocated at its first byte (port-only flows such as scans cost no more than a pointer). */
struct tn_sess {
	struct tn_dir d[2];		/* by enum ws_dir */
	struct ws_ev_telnet ev;		/* the session event, filled as it goes */
	int8_t show;			/* --show-credentials: -1 not asked yet, 0, 1 */
	bool any;			/* a byte was seen */
	bool succeeded;
	int last_result;
	uint8_t login;			/* enum tn_login */
	bool pass_answered;
	uint32_t user_len, pass_len;	/* as typed (edited); stored up to the caps */
	char user[WS_TELNET_USER_MAX];
	char pass[WS_TELNET_PASS_MAX];
};

/* The per-flow state the engine allocates. */
struct telnet_state {
	struct tn_sess *s;
};

static int telnet_option_ok(uint8_t opt)
{
	return opt <= TELNET_OPT_ASSIGNED_MAX || opt == TELNET_OPT_EXOPL;
}

/* ---- identification ---- */

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
		size_t n = strlen(prompts[i]);

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

/* ---- small text helpers (on our own copies) ---- */

static struct ws_telnet_side *tn_side(struct tn_sess *st, enum ws_dir dir)
{
	return dir == WS_DIR_TO_SERVER ? &st->ev.client : &st->ev.server;
}

/* Copies what a reader has left, NULs dropped, into a C string; cut = truncated. */
static void tn_copy_rd(struct tn_sess *st, struct ws_rd *r, char *dst, size_t cap)
{
	size_t n = 0;

	while (ws_rd_left(r) > 0) {
		uint8_t b = ws_rd_u8(r);

		if (b == 0)
			continue;
		if (n + 1 >= cap) {
			st->ev.truncated = true;
			break;
		}
		dst[n++] = (char)b;
	}
	dst[n] = '\0';
}

static void tn_copy_str(struct tn_sess *st, char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap) {
		n = cap - 1;
		st->ev.truncated = true;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static char tn_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* Does s[0..n) end with lit (ASCII case ignored)? */
static bool tn_ends_ci(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++)
		if (tn_lower(s[n - m + i]) != lit[i])
			return false;
	return true;
}

/* Does s[0..n) hold lit (lower case) anywhere, ASCII case ignored? */
static bool tn_has_ci(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;

		while (k < m && tn_lower(s[i + k]) == lit[k])
			k++;
		if (k == m)
			return true;
	}
	return false;
}

/* The kept line without leading and trailing blanks: start and length. */
static size_t tn_trim(const struct tn_dir *d, size_t *start)
{
	size_t b = 0, e = d->line_len;

	while (b < e && (d->line[b] == ' ' || d->line[b] == '\t'))
		b++;
	while (e > b && (d->line[e - 1] == ' ' || d->line[e - 1] == '\t'))
		e--;
	*start = b;
	return e - b;
}

static void tn_note(struct ws_pctx *c, bool *noted, const char *name, const char *detail)
{
	if (*noted)
		return;
	*noted = true;
	ws_pctx_anomaly(c, name, detail);
}

/* ---- logins ---- */

static bool tn_attempt_open(const struct tn_sess *st)
{
	return st->login == TL_USER_SENT || st->login == TL_PASS || st->login == TL_WAIT;
}

/* An attempt is decided: record it in the session and emit its login event. */
static void tn_conclude(struct ws_pctx *c, struct tn_sess *st, int success, const char *why, size_t why_len)
{
	struct ws_telnet_attempt spare;
	struct ws_telnet_attempt *a = &spare;
	struct ws_ev_login lg;
	const char *user = st->user;

	if (st->ev.attempt_cnt < WS_TELNET_ATTEMPTS_MAX)
		a = &st->ev.attempt[st->ev.attempt_cnt++];
	memset(a, 0, sizeof(*a));
	/* Password-only prompts (network devices): the name the client announced, if any. */
	if (st->user[0] == '\0' && st->ev.env_user[0])
		user = st->ev.env_user;
	else if (st->user[0] == '\0')
		user = st->ev.auth_name;
	snprintf(a->user, sizeof(a->user), "%s", user);
	a->password_sent = st->pass_answered;
	if (st->pass_answered)
		snprintf(a->password, sizeof(a->password), "%s", st->show == 1 ? st->pass : "<hidden>");
	a->success = success;
	tn_copy_str(st, a->status_name, sizeof(a->status_name), why, why_len);
	st->ev.attempts++;
	if (success == 0)
		st->ev.failures++;
	if (success == 1)
		st->succeeded = true;
	st->last_result = success;

	memset(&lg, 0, sizeof(lg));
	lg.service = "telnet";
	snprintf(lg.user, sizeof(lg.user), "%s", a->user);
	lg.method = "password";
	lg.success = success;
	lg.status = 0;
	lg.status_name = a->status_name;
	lg.password_sent = a->password_sent;
	ws_pctx_emit(c, WS_EV_LOGIN, &lg);
	st->login = success == 1 ? TL_DONE : TL_IDLE;
}

static void tn_conclude_line(struct ws_pctx *c, struct tn_sess *st, int success)
{
	const struct tn_dir *srv = &st->d[WS_DIR_TO_CLIENT];
	size_t b;
	size_t n = tn_trim(srv, &b);

	tn_conclude(c, st, success, srv->line + b, n);
}

/* Does the server's current line end like a shell or device prompt ("$", "#", ">", "%")? */
static bool tn_shell_prompt(const struct tn_dir *srv)
{
	size_t b;
	size_t n = tn_trim(srv, &b);

	if (n == 0 || srv->line_over)
		return false;
	char last = srv->line[b + n - 1];
	return last == '$' || last == '#' || last == '>' || last == '%';
}

/* A whole server line: the banner, or the outcome of an open attempt. */
static void tn_server_line(struct ws_pctx *c, struct tn_sess *st)
{
	static const char *const fail[] = { "incorrect", "failed", "denied", "invalid" };
	static const char *const ok[] = { "last login", "welcome" };
	const struct tn_dir *srv = &st->d[WS_DIR_TO_CLIENT];
	size_t b;
	size_t n = tn_trim(srv, &b);

	if (n == 0)
		return;
	if (st->ev.banner[0] == '\0')
		tn_copy_str(st, st->ev.banner, sizeof(st->ev.banner), srv->line + b, n);
	if (st->login != TL_USER_SENT && st->login != TL_WAIT)
		return;
	for (size_t i = 0; i < sizeof fail / sizeof fail[0]; i++) {
		if (tn_has_ci(srv->line + b, n, fail[i])) {
			tn_conclude(c, st, 0, srv->line + b, n);
			return;
		}
	}
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (tn_has_ci(srv->line + b, n, ok[i])) {
			tn_conclude(c, st, 1, srv->line + b, n);
			return;
		}
	}
}

/* A printable byte was added to the server's line: is it now a prompt? */
static void tn_server_char(struct ws_pctx *c, struct tn_sess *st, uint8_t b)
{
	struct tn_dir *srv = &st->d[WS_DIR_TO_CLIENT];
	size_t n = srv->line_len;

	if (srv->line_over) {
		srv->prompt = TP_NONE;
		return;
	}
	if (b == ':') {
		srv->prompt = TP_NONE;
		if (tn_ends_ci(srv->line, n, "login:") || tn_ends_ci(srv->line, n, "username:") ||
		    tn_ends_ci(srv->line, n, "user name:"))
			srv->prompt = TP_LOGIN;
		else if (tn_ends_ci(srv->line, n, "password:") || tn_ends_ci(srv->line, n, "passcode:"))
			srv->prompt = TP_PASS;
		return;
	}
	if (b != ' ' && b != '\t') {
		srv->prompt = TP_NONE;
		return;
	}
	/* "$ ", "# ", "> ", "% " after the password: a shell. */
	if ((st->login == TL_WAIT || st->login == TL_USER_SENT) && n >= 2) {
		char p = srv->line[n - 2];

		if (p == '$' || p == '#' || p == '>' || p == '%')
			tn_conclude_line(c, st, 1);
	}
}

/* One keystroke of the client (a data byte, NUL and the LF of CR LF left out). */
static void tn_client_key(struct ws_pctx *c, struct tn_sess *st, uint8_t b)
{
	struct tn_dir *srv = &st->d[WS_DIR_TO_CLIENT];
	bool eol = b == '\r' || b == '\n';

	if (st->login == TL_DONE)
		return;
	if (srv->prompt == TP_LOGIN) {
		srv->prompt = TP_NONE;
		if (tn_attempt_open(st))
			tn_conclude(c, st, 0, "login prompt again", strlen("login prompt again"));
		st->login = TL_USER;
		st->user_len = 0;
		st->user[0] = '\0';
		st->pass_len = 0;
		st->pass[0] = '\0';
		st->pass_answered = false;
	} else if (srv->prompt == TP_PASS) {
		srv->prompt = TP_NONE;
		if (st->login == TL_WAIT)
			tn_conclude(c, st, 0, "password prompt again", strlen("password prompt again"));
		st->login = TL_PASS;
		st->pass_len = 0;
		st->pass[0] = '\0';
		st->pass_answered = false;
	} else if ((st->login == TL_WAIT || st->login == TL_USER_SENT) && tn_shell_prompt(srv)) {
		tn_conclude_line(c, st, 1);
		return;
	}
	if (st->login == TL_USER) {
		if (eol) {
			if (st->user_len > 0)
				st->login = TL_USER_SENT;
		} else if (b == CH_BS || b == CH_DEL) {
			if (st->user_len > 0)
				st->user_len--;
		} else if (b == CH_NAK) {
			st->user_len = 0;
		} else if (b >= 0x20) {
			if (st->user_len < WS_TELNET_USER_MAX - 1)
				st->user[st->user_len] = (char)b;
			else
				st->ev.truncated = true;
			st->user_len++;
		}
		st->user[st->user_len < WS_TELNET_USER_MAX ? st->user_len : WS_TELNET_USER_MAX - 1] = '\0';
		return;
	}
	if (st->login == TL_PASS) {
		if (eol) {
			st->pass_answered = true;
			st->login = TL_WAIT;
		} else if (b == CH_BS || b == CH_DEL) {
			if (st->pass_len > 0)
				st->pass_len--;
		} else if (b == CH_NAK) {
			st->pass_len = 0;
		} else if (b >= 0x20) {
			/* The password itself is kept only when the user asked to see it. */
			if (st->show == 1 && st->pass_len < WS_TELNET_PASS_MAX - 1)
				st->pass[st->pass_len] = (char)b;
			st->pass_len++;
		}
		if (st->show == 1)
			st->pass[st->pass_len < WS_TELNET_PASS_MAX ? st->pass_len : WS_TELNET_PASS_MAX - 1] = '\0';
	}
}

/* ---- the data stream ---- */

static void tn_run(struct ws_telnet_side *s, struct tn_dir *d, uint8_t b)
{
	if (d->run > 0 && d->run_byte == b) {
		d->run++;
	} else {
		d->run_byte = b;
		d->run = 1;
	}
	if (d->run > s->max_repeat) {
		s->max_repeat = d->run;
		s->max_repeat_byte = b;
	}
}

static void tn_transcript(struct tn_sess *st, struct ws_telnet_side *s, struct tn_dir *d, uint8_t b)
{
	if (st->show != 1)
		return;
	if (!d->transcript && !s->transcript_truncated) {
		d->transcript = malloc(WS_TELNET_TRANSCRIPT_MAX);
		if (!d->transcript)
			s->transcript_truncated = true;	/* no memory: say it is not all there */
	}
	if (!d->transcript)
		return;
	if (d->transcript_len < WS_TELNET_TRANSCRIPT_MAX)
		d->transcript[d->transcript_len++] = (char)b;
	else
		s->transcript_truncated = true;
}

static void tn_line_reset(struct tn_dir *d)
{
	d->line_len = 0;
	d->line_total = 0;
	d->line_over = false;
	d->prompt = TP_NONE;
}

/* One data byte of one direction (after IAC decoding). */
static void tn_data(struct ws_pctx *c, struct tn_sess *st, enum ws_dir dir, uint8_t b)
{
	struct ws_telnet_side *s = tn_side(st, dir);
	struct tn_dir *d = &st->d[dir];
	uint8_t prev = d->prev;

	s->bytes++;
	d->prev = b;
	tn_run(s, d, b);
	tn_transcript(st, s, d, b);
	if (b == 0)
		return;		/* RFC 854: NUL is a no-op (CR NUL is a bare CR) */
	if (dir == WS_DIR_TO_SERVER && !(b == '\n' && prev == '\r'))
		tn_client_key(c, st, b);
	if (b == '\r' || b == '\n') {
		if (dir == WS_DIR_TO_CLIENT)
			tn_server_line(c, st);
		tn_line_reset(d);
		return;
	}
	if (b == CH_BS || b == CH_DEL) {
		if (d->line_len > 0 && !d->line_over)
			d->line_len--;
		return;
	}
	d->line_total++;
	if (d->line_total > s->max_line_len)
		s->max_line_len = d->line_total;
	if (d->line_over)
		return;
	if (d->line_len + 1 >= TELNET_LINE_MAX) {
		char detail[96];

		d->line_over = true;
		s->long_lines++;
		snprintf(detail, sizeof(detail), "a %s line passed %u bytes without CR or LF",
			 dir == WS_DIR_TO_SERVER ? "client" : "server", TELNET_LINE_MAX);
		tn_note(c, &d->noted_line_limit, "telnet_line_limit", detail);
		if (dir == WS_DIR_TO_CLIENT)
			tn_server_char(c, st, b);
		return;
	}
	d->line[d->line_len++] = (char)b;
	if (dir == WS_DIR_TO_CLIENT)
		tn_server_char(c, st, b);
}

/* ---- subnegotiations ---- */

/* RFC 1572 (and 1408): IS/INFO, then VAR/USERVAR name [VALUE value] ...; ESC quotes the next byte. */
static void tn_sb_environ(struct tn_sess *st, struct ws_rd *r)
{
	char name[16], value[WS_TELNET_VALUE_MAX];
	size_t nl = 0, vl = 0;
	int in = 0;	/* 0 nowhere, 1 name, 2 value */
	bool cut = false;

	uint8_t q = ws_rd_u8(r);
	if (!ws_rd_ok(r) || (q != TELQUAL_IS && q != TELQUAL_INFO))
		return;
	for (;;) {
		bool end = ws_rd_left(r) == 0;
		uint8_t b = end ? 0 : ws_rd_u8(r);

		if (end || (b == ENV_VAR || b == ENV_USERVAR || b == ENV_VALUE)) {
			if (in && nl == 4 && memcmp(name, "USER", 4) == 0 && vl > 0) {
				memcpy(st->ev.env_user, value, vl);
				st->ev.env_user[vl] = '\0';
				if (cut)
					st->ev.truncated = true;
			}
			if (end)
				return;
			if (b == ENV_VALUE) {
				in = 2;
				vl = 0;
				cut = false;
			} else {
				in = 1;
				nl = vl = 0;
				cut = false;
			}
			continue;
		}
		if (b == ENV_ESC) {
			b = ws_rd_u8(r);
			if (!ws_rd_ok(r))
				continue;
		}
		if (in == 1 && nl < sizeof(name))
			name[nl++] = (char)b;
		else if (in == 1)
			nl = sizeof(name) + 1;	/* too long to be USER */
		else if (in == 2 && vl + 1 < sizeof(value) && b != 0)
			value[vl++] = (char)b;
		else if (in == 2)
			cut = true;
	}
}

/* IAC SE ended a subnegotiation (or something else did): decode what was kept. */
static void tn_sb_end(struct ws_pctx *c, struct tn_sess *st, enum ws_dir dir)
{
	struct tn_dir *d = &st->d[dir];
	struct ws_telnet_side *s = tn_side(st, dir);
	struct ws_rd r;

	if (d->sb_total > s->sb_max_len)
		s->sb_max_len = d->sb_total;
	if (d->sb_over)
		return;		/* not all kept: not decoded */
	ws_rd_init(&r, d->sb, d->sb_len);
	switch (d->sb_opt) {
	case TELOPT_TTYPE:
		if (ws_rd_u8(&r) == TELQUAL_IS && ws_rd_ok(&r))
			tn_copy_rd(st, &r, st->ev.terminal_type, sizeof(st->ev.terminal_type));
		break;
	case TELOPT_NAWS: {
		/* RFC 1073: WIDTH[1] WIDTH[0] HEIGHT[1] HEIGHT[0], IAC doubled (undone already). */
		uint16_t w = ws_rd_be16(&r);
		uint16_t h = ws_rd_be16(&r);

		if (ws_rd_ok(&r)) {
			st->ev.window_width = w;
			st->ev.window_height = h;
			st->ev.has_window = true;
		}
		break;
	}
	case TELOPT_TSPEED:
		if (ws_rd_u8(&r) == TELQUAL_IS && ws_rd_ok(&r))
			tn_copy_rd(st, &r, st->ev.terminal_speed, sizeof(st->ev.terminal_speed));
		break;
	case TELOPT_XDISPLOC:
		if (ws_rd_u8(&r) == TELQUAL_IS && ws_rd_ok(&r))
			tn_copy_rd(st, &r, st->ev.x_display, sizeof(st->ev.x_display));
		break;
	case TELOPT_OLD_ENVIRON:
	case TELOPT_NEW_ENVIRON:
		tn_sb_environ(st, &r);
		break;
	case TELOPT_AUTHENTICATION:
		if (ws_rd_u8(&r) == AUTH_NAME && ws_rd_ok(&r))
			tn_copy_rd(st, &r, st->ev.auth_name, sizeof(st->ev.auth_name));
		break;
	case TELOPT_ENCRYPT:
		/* RFC 2946: the sender of START encrypts all that it sends after IAC SE. */
		if (ws_rd_u8(&r) == ENCRYPT_START && ws_rd_ok(&r))
			s->encrypted = true;
		break;
	default:
		break;
	}
	(void)c;
}

static void tn_sb_byte(struct ws_pctx *c, struct tn_sess *st, enum ws_dir dir, uint8_t b)
{
	struct tn_dir *d = &st->d[dir];

	d->sb_total++;
	tn_run(tn_side(st, dir), d, b);
	if (d->sb_len < TELNET_SB_MAX) {
		d->sb[d->sb_len++] = b;
		return;
	}
	if (!d->sb_over) {
		char detail[96];

		d->sb_over = true;
		snprintf(detail, sizeof(detail), "subnegotiation of option %u passed %u bytes", d->sb_opt,
			 TELNET_SB_MAX);
		tn_note(c, &d->noted_sb_limit, "telnet_sb_limit", detail);
	}
}

/* ---- commands ---- */

static void tn_set(uint8_t *map, uint8_t opt)
{
	map[opt >> 3] |= (uint8_t)(1u << (opt & 7));
}

/* The byte after IAC (outside a subnegotiation). */
static void tn_command(struct ws_pctx *c, struct tn_sess *st, enum ws_dir dir, uint8_t b)
{
	struct tn_dir *d = &st->d[dir];
	struct ws_telnet_side *s = tn_side(st, dir);

	d->st = TN_DATA;
	if (b == TELNET_IAC) {
		tn_data(c, st, dir, b);		/* RFC 854: IAC IAC is the data byte 255 */
		return;
	}
	s->commands++;
	if (b >= TELNET_WILL) {
		d->cmd = b;
		d->st = TN_OPT;
	} else if (b == TELNET_SB) {
		s->subnegotiations++;
		d->st = TN_SB_OPT;
	} else if (b < TELNET_SE) {
		/* RFC 854 defines no command below SE (240). */
		tn_note(c, &d->noted_bad_cmd, "telnet_bad_command", "IAC followed by a byte below 240");
	}
	/* SE out of place, NOP, DM, BRK, IP, AO, AYT, EC, EL, GA: counted only. */
}

static void tn_negotiate(struct tn_sess *st, enum ws_dir dir, uint8_t cmd, uint8_t opt)
{
	struct ws_telnet_side *s = tn_side(st, dir);

	if (cmd == TELNET_WILL)
		tn_set(s->will, opt);
	else if (cmd == TELNET_WONT)
		tn_set(s->wont, opt);
	else if (cmd == TELNET_DO)
		tn_set(s->do_opt, opt);
	else
		tn_set(s->dont, opt);
}

static void tn_byte(struct ws_pctx *c, struct tn_sess *st, enum ws_dir dir, uint8_t b)
{
	struct tn_dir *d = &st->d[dir];

	switch (d->st) {
	case TN_DATA:
		if (b == TELNET_IAC)
			d->st = TN_IAC;
		else
			tn_data(c, st, dir, b);
		break;
	case TN_IAC:
		tn_command(c, st, dir, b);
		break;
	case TN_OPT:
		tn_negotiate(st, dir, d->cmd, b);
		d->st = TN_DATA;
		break;
	case TN_SB_OPT:
		d->sb_opt = b;
		d->sb_len = 0;
		d->sb_total = 0;
		d->sb_over = false;
		d->st = TN_SB;
		break;
	case TN_SB:
		if (b == TELNET_IAC)
			d->st = TN_SB_IAC;
		else
			tn_sb_byte(c, st, dir, b);
		break;
	default:	/* TN_SB_IAC */
		if (b == TELNET_IAC) {
			d->st = TN_SB;
			tn_sb_byte(c, st, dir, b);
		} else if (b == TELNET_SE) {
			d->st = TN_DATA;
			tn_sb_end(c, st, dir);
		} else {
			/* RFC 855: IAC inside parameters is doubled; anything else ends them. */
			tn_note(c, &d->noted_sb_no_se, "telnet_sb_no_se", "subnegotiation ended by a command, not IAC SE");
			tn_sb_end(c, st, dir);
			tn_command(c, st, dir, b);
		}
		break;
	}
}

static struct ws_feed_res telnet_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r)
{
	struct telnet_state *ts = state;
	size_t n = ws_rd_left(r);

	if (n == 0)
		return WS_FEED_OK_RES(0);
	if (!ts->s) {
		ts->s = calloc(1, sizeof(*ts->s));
		if (!ts->s)
			return WS_FEED_ERR(0);
	}
	struct tn_sess *st = ts->s;
	struct ws_telnet_side *s = tn_side(st, dir);

	if (!st->any) {
		st->any = true;
		st->show = ws_pctx_show_credentials(c) ? 1 : 0;
		st->ev.login = "none";
	}
	ws_pctx_info(c, "Telnet Data ...");
	if (s->encrypted) {
		s->bytes += n;
		ws_rd_skip(r, n);
		return WS_FEED_OK_RES(n);
	}
	while (ws_rd_left(r) > 0) {
		uint8_t b = ws_rd_u8(r);

		tn_byte(c, st, dir, b);
		if (s->encrypted) {
			/* ENCRYPT START just ended: the rest is ciphertext. */
			s->bytes += ws_rd_left(r);
			ws_rd_skip(r, ws_rd_left(r));
		}
	}
	return WS_FEED_OK_RES(n);
}

/* Bytes were lost: whatever was being decoded in that direction is abandoned. */
static void telnet_gap(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len)
{
	struct telnet_state *ts = state;
	struct tn_sess *st = ts->s;

	(void)len;
	if (!st)
		return;		/* nothing decoded yet: nothing to abandon */
	struct tn_dir *d = &st->d[dir];

	st->ev.gaps++;
	if (d->st == TN_SB || d->st == TN_SB_IAC) {
		d->sb_over = true;	/* cut: not decoded, but its length counts */
		tn_sb_end(c, st, dir);
	}
	d->st = TN_DATA;
	d->prev = 0;
	d->run = 0;
	tn_line_reset(d);
	if (dir == WS_DIR_TO_SERVER && (st->login == TL_USER || st->login == TL_PASS))
		st->ev.truncated = true;	/* keystrokes lost: the name or password may be incomplete */
}

static void telnet_close(struct ws_pctx *c, void *state)
{
	struct telnet_state *ts = state;
	struct tn_sess *st = ts->s;

	if (!st)
		return;
	ts->s = NULL;
	if (!st->any) {
		free(st);
		return;
	}
	for (int dir = 0; dir < 2; dir++) {
		struct tn_dir *d = &st->d[dir];
		struct ws_telnet_side *s = tn_side(st, (enum ws_dir)dir);

		if (d->st == TN_SB || d->st == TN_SB_IAC) {
			char detail[96];

			if (d->sb_total > s->sb_max_len)
				s->sb_max_len = d->sb_total;
			st->ev.sb_unclosed = true;
			snprintf(detail, sizeof(detail), "subnegotiation of option %u open at the end (%llu bytes)",
				 d->sb_opt, (unsigned long long)d->sb_total);
			ws_pctx_anomaly(c, "telnet_sb_unclosed", detail);
		}
		s->transcript = d->transcript;
		s->transcript_len = d->transcript_len;
	}
	/* A shell prompt the client never answered still ends the login. */
	if ((st->login == TL_WAIT || st->login == TL_USER_SENT) && tn_shell_prompt(&st->d[WS_DIR_TO_CLIENT]))
		tn_conclude_line(c, st, 1);
	if (tn_attempt_open(st))
		tn_conclude(c, st, -1, "session ended", strlen("session ended"));
	if (st->succeeded)
		st->ev.login = "success";
	else if (st->ev.attempts == 0)
		st->ev.login = "none";
	else if (st->last_result < 0)
		st->ev.login = "unknown";
	else
		st->ev.login = "failure";
	ws_pctx_emit(c, WS_EV_TELNET, &st->ev);
	for (int dir = 0; dir < 2; dir++)
		free(st->d[dir].transcript);
	free(st);
}

const struct ws_proto ws_proto_telnet = {
	.name = "telnet",
	.label = "TELNET",
	.spec = "RFC 854, RFC 855",
	.l4 = WS_PROTO_TCP,
	.tcp_ports = { 23 },
	.probe = telnet_probe,
	.state_size = sizeof(struct tn_sess),
	.feed = telnet_feed,
	.gap = telnet_gap,
	.close = telnet_close,
};
