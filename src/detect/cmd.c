/*
 * cmd.c - detectors on what clients send in cleartext services (see cmd.h).
 *
 * Sources: the issue 4 findings list and seed rows R7 (a scanner walking an
 * FTP tree with many CWD, and a USER of 'A' x 600: a buffer overflow probe);
 * MITRE ATT&CK T1083 File and Directory Discovery, T1190 Exploit
 * Public-Facing Application, T1040 Network Sniffing, T1078.001 Valid
 * Accounts: Default Accounts.
 *
 * Inputs: WS_EV_FTP (CWD times, argument lengths and runs) and WS_EV_LOGIN
 * (service, user, password_sent, anonymous, success). One finding per cause
 * (kind, source, server, service): later evidence updates it.
 *
 * ftp_cwd_sweep keeps, per FTP session (control flow), the times of its last
 * CMD_CWD_RING_MAX CWD commands in a small table indexed by flow id; a
 * session whose cmd.cwd_count newest CWD fall within cmd.cwd_window seconds
 * raises (or feeds) the finding of its (client, server) pair.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/cmd.h"
#include "event/ev_ftp.h"
#include "event/ev_smb.h"
#include "flow/flow.h"

/* cmd.cwd_count is capped here: the ring holds that many CWD times per session. */
#define CMD_CWD_RING_MAX 64u
/* FTP sessions followed at once; a newer session takes an older one's slot. */
#define CMD_SESSIONS_MAX 1024u
/* User names named in a cleartext_credentials finding's detail. */
#define CMD_USERS_SHOWN 8u

struct cwd_sess {
	uint64_t flow_id;		/* 0 = free */
	int64_t ring[CMD_CWD_RING_MAX];
	uint32_t head, cnt;
	uint64_t total;			/* CWD in the session */
	bool counted;			/* its CWD already feed the finding */
};

struct ws_cmd_detect {
	struct ws_detect_cfg cfg;
	struct ws_findings *fs;
	struct cwd_sess sess[CMD_SESSIONS_MAX];
};

static int textf(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int textf(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
	return n < 0 ? 0 : n;
}

struct ws_cmd_detect *ws_cmd_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs)
{
	struct ws_cmd_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	if (d->cfg.cmd_cwd_count < 1)
		d->cfg.cmd_cwd_count = 1;
	if (d->cfg.cmd_cwd_count > CMD_CWD_RING_MAX)
		d->cfg.cmd_cwd_count = CMD_CWD_RING_MAX;
	if (d->cfg.cmd_overflow_run < 2)
		d->cfg.cmd_overflow_run = 2;
	d->fs = fs;
	return d;
}

static struct ws_finding *get(struct ws_cmd_detect *d, const char *kind, const struct ws_flow *f,
			      const char *service, bool *is_new)
{
	return ws_findings_get(d->fs, kind, &f->cli, &f->srv, f->sport, f->proto, service, is_new);
}

/* ---- ftp_cwd_sweep ---- */

static void cwd_title(struct ws_finding *fd)
{
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	double secs = (double)(fd->last_ns - fd->first_ns) / 1e9;
	double rate = secs > 0 ? (double)fd->count / secs : (double)fd->count;

	textf(fd->title, sizeof(fd->title), "%s changed directory %" PRIu64 " times on FTP server %s (%.1f per second)",
	      ws_addr_fmt(&fd->src, a), fd->count, ws_addr_fmt(&fd->dst, b), rate);
	textf(fd->detail, sizeof(fd->detail), "cwd=%" PRIu64 "; seconds=%.1f; rate_per_s=%.2f", fd->count, secs, rate);
}

static void on_cwd(struct ws_cmd_detect *d, const struct ws_event *ev, const struct ws_ev_ftp *e)
{
	const struct ws_flow *f = ev->flow;
	struct cwd_sess *s = &d->sess[f->id % CMD_SESSIONS_MAX];
	int64_t ts = e->cmd_ts_ns ? e->cmd_ts_ns : ev->ts_ns;
	uint64_t pkt = e->cmd_pkt ? e->cmd_pkt : ev->pkt_num;
	uint32_t need = d->cfg.cmd_cwd_count;

	if (s->flow_id != f->id) {
		memset(s, 0, sizeof(*s));
		s->flow_id = f->id;
	}
	s->ring[(s->head + s->cnt) % CMD_CWD_RING_MAX] = ts;
	if (s->cnt < CMD_CWD_RING_MAX)
		s->cnt++;
	else
		s->head = (s->head + 1) % CMD_CWD_RING_MAX;
	s->total++;
	if (!s->counted) {
		if (s->cnt < need)
			return;
		/* the need-th newest CWD, against the newest */
		int64_t oldest = s->ring[(s->head + s->cnt - need) % CMD_CWD_RING_MAX];
		if (ts - oldest > (int64_t)d->cfg.cmd_cwd_window_s * 1000000000)
			return;
	}
	bool is_new;
	struct ws_finding *fd = get(d, "ftp_cwd_sweep", f, "ftp", &is_new);
	if (!fd)
		return;
	if (!s->counted) {
		/* the CWD that reached the threshold count, and their times */
		s->counted = true;
		fd->count += need - 1;
		int64_t first = s->ring[(s->head + s->cnt - need) % CMD_CWD_RING_MAX];
		if (!fd->first_ns || first < fd->first_ns)
			fd->first_ns = first;
	}
	if (is_new) {
		fd->severity = WS_SEV_MEDIUM;
		fd->mitre_id = "T1083";
		fd->mitre_name = "File and Directory Discovery";
		textf(fd->explanation, sizeof(fd->explanation),
		      "One FTP session changed directory at least %u times within %u seconds. People browse a few "
		      "folders; a program that walks the whole tree this fast is looking for what the server holds "
		      "(files to steal, writable places to drop a file). Check who this client is, what it "
		      "downloaded, and whether anonymous or weak-password access should be allowed at all.",
		      need, d->cfg.cmd_cwd_window_s);
	}
	fd->count++;
	ws_finding_evidence(fd, ts, f->id, pkt, e->cmd_pkt ? e->cmd_file : ev->file_idx);
	cwd_title(fd);
}

/* ---- overflow_attempt ---- */

static void on_overflow(struct ws_cmd_detect *d, const struct ws_event *ev, const struct ws_ev_ftp *e)
{
	const struct ws_flow *f = ev->flow;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool is_new;
	struct ws_finding *fd = get(d, "overflow_attempt", f, "ftp", &is_new);

	if (!fd)
		return;
	if (is_new) {
		fd->severity = WS_SEV_HIGH;
		fd->mitre_id = "T1190";
		fd->mitre_name = "Exploit Public-Facing Application";
		textf(fd->explanation, sizeof(fd->explanation),
		      "An FTP command carried an argument far longer than any real name or path (over %u bytes), or "
		      "a long run of one repeated byte. That is how buffer overflow exploits and fuzzers probe a "
		      "server: the filler ('AAAA...') overruns a fixed-size buffer. Check whether the server "
		      "software is vulnerable and still running, update it, and look at what the client did next.",
		      d->cfg.cmd_overflow_len);
	}
	fd->count++;
	ws_finding_evidence(fd, e->cmd_ts_ns ? e->cmd_ts_ns : ev->ts_ns, f->id, e->cmd_pkt ? e->cmd_pkt : ev->pkt_num,
			    e->cmd_pkt ? e->cmd_file : ev->file_idx);
	textf(fd->title, sizeof(fd->title), "Possible buffer overflow attempt from %s against FTP server %s (%s, %" PRIu32
	      " bytes)", ws_addr_fmt(&fd->src, a), ws_addr_fmt(&fd->dst, b), e->command[0] ? e->command : "no command",
	      e->arg_len);
	textf(fd->detail, sizeof(fd->detail), "command=%s; arg_len=%" PRIu32 "; longest_run=%" PRIu32
		      "; run_byte=0x%02x; line_too_long=%s; attempts=%" PRIu64, e->command[0] ? e->command : "-",
	      e->arg_len, e->arg_run, (unsigned)e->arg_run_byte, e->line_too_long ? "yes" : "no", fd->count);
}

/* ---- logins: cleartext_credentials, anonymous_login ---- */

static const char *const cleartext_services[] = {
	"ftp", "telnet", "pop3", "imap", "http-basic", "pgsql-cleartext", "mysql-old",
};

static bool is_cleartext(const char *svc)
{
	for (size_t i = 0; i < sizeof(cleartext_services) / sizeof(cleartext_services[0]); i++)
		if (strcmp(svc, cleartext_services[i]) == 0)
			return true;
	return false;
}

/* Adds user to the detail's "users=" list (once, up to CMD_USERS_SHOWN). */
static void detail_user(struct ws_finding *fd, const char *user)
{
	char *p = strstr(fd->detail, "users=");
	size_t n = 0;

	if (!p) {
		textf(fd->detail, sizeof(fd->detail), "users=%s", user);
		return;
	}
	p += 6;
	for (const char *q = p; *q; q++)
		if (*q == ',')
			n++;
	if (n + 1 >= CMD_USERS_SHOWN)
		return;
	/* already listed? */
	size_t ul = strlen(user);
	for (const char *q = p; *q;) {
		const char *e = strchr(q, ',');
		size_t l = e ? (size_t)(e - q) : strlen(q);

		if (l == ul && strncmp(q, user, l) == 0)
			return;
		q = e ? e + 1 : q + l;
	}
	size_t len = strlen(fd->detail);
	textf(fd->detail + len, sizeof(fd->detail) - len, ",%s", user);
}

static void on_login(struct ws_cmd_detect *d, const struct ws_event *ev, const struct ws_ev_login *l)
{
	const struct ws_flow *f = ev->flow;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool is_new;
	struct ws_finding *fd;

	if (!f || !l->service)
		return;
	if (strcmp(l->service, "ftp") == 0 && l->anonymous && l->success == 1) {
		fd = get(d, "anonymous_login", f, l->service, &is_new);
		if (fd) {
			if (is_new) {
				fd->severity = WS_SEV_LOW;
				fd->mitre_id = "T1078.001";
				fd->mitre_name = "Valid Accounts: Default Accounts";
				textf(fd->explanation, sizeof(fd->explanation),
				      "The FTP server let this client in as '%s' without a real account. Anonymous "
				      "FTP is fine for a public download mirror, but anywhere else it lets anyone read "
				      "(and sometimes write) files. Make sure nothing private is reachable this way.",
				      l->user[0] ? l->user : "anonymous");
			}
			fd->count++;
			ws_finding_evidence(fd, ev->ts_ns, f->id, ev->pkt_num, ev->file_idx);
			textf(fd->title, sizeof(fd->title), "Anonymous FTP login from %s to %s accepted",
			      ws_addr_fmt(&fd->src, a), ws_addr_fmt(&fd->dst, b));
			detail_user(fd, l->user[0] ? l->user : "anonymous");
		}
		return;
	}
	if (!l->password_sent || l->anonymous || !is_cleartext(l->service))
		return;
	fd = get(d, "cleartext_credentials", f, l->service, &is_new);
	if (!fd)
		return;
	if (is_new) {
		fd->severity = WS_SEV_LOW;
		fd->mitre_id = "T1040";
		fd->mitre_name = "Network Sniffing";
		textf(fd->explanation, sizeof(fd->explanation),
		      "A password was sent over %s, which does not encrypt it: anyone who can see this traffic (on "
		      "the same network, Wi-Fi or path) can read it, as this capture could. Use the encrypted "
		      "variant (SFTP or FTPS, SSH instead of Telnet, TLS for mail and databases) and change the "
		      "password if this crossed an untrusted network. The password itself is not shown (only with "
		      "--show-credentials).", l->service);
	}
	/* A password that worked is worth more to whoever listens. */
	if (l->success == 1)
		fd->severity = WS_SEV_MEDIUM;
	fd->count++;
	ws_finding_evidence(fd, ev->ts_ns, f->id, ev->pkt_num, ev->file_idx);
	detail_user(fd, l->user[0] ? l->user : "(none)");
	textf(fd->title, sizeof(fd->title), "Cleartext %s password sent by %s to %s (user %s)", l->service,
	      ws_addr_fmt(&fd->src, a), ws_addr_fmt(&fd->dst, b), l->user[0] ? l->user : "(none)");
}

void ws_cmd_detect_on_event(void *user, const struct ws_event *ev)
{
	struct ws_cmd_detect *d = user;

	if (!ev->flow || !ev->body)
		return;
	if (ev->type == WS_EV_FTP) {
		const struct ws_ev_ftp *e = ev->body;

		if (strcmp(e->command, "CWD") == 0 || strcmp(e->command, "XCWD") == 0)
			on_cwd(d, ev, e);
		if (e->arg_len > d->cfg.cmd_overflow_len || e->arg_run >= d->cfg.cmd_overflow_run)
			on_overflow(d, ev, e);
	} else if (ev->type == WS_EV_LOGIN) {
		on_login(d, ev, ev->body);
	}
}

void ws_cmd_detect_finish(struct ws_cmd_detect *d)
{
	(void)d;	/* titles and details are kept current as evidence comes */
}

void ws_cmd_detect_free(struct ws_cmd_detect *d)
{
	free(d);
}
