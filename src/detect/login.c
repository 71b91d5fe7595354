/*
 * login.c - the login and SMB detector (see login.h).
 *
 * Sources: seed 000 (three failed logins are already suspicious: R4), the
 * issue 3 findings list, MITRE ATT&CK T1110.001 Password Guessing, T1110.003
 * Password Spraying, T1210 Exploitation of Remote Services (SMB1: MS17-010
 * EternalBlue/WannaCry, R12), T1135 Network Share Discovery, T1087 Account
 * Discovery. Operation numbers: [MS-SRVS] 3.1.4 (NetrShareEnum 15,
 * NetrShareEnumSticky 36), [MS-SAMR] 3.1.5 (SamrEnumerateDomainsInSamServer 6,
 * SamrEnumerateGroupsInDomain 11, SamrEnumerateUsersInDomain 13,
 * SamrEnumerateAliasesInDomain 15, SamrLookupNamesInDomain 17,
 * SamrLookupIdsInDomain 18, SamrQueryDisplayInformation 40/48/51),
 * [MS-LSAT] 3.1.4 (LsarEnumerateAccounts 11 is [MS-LSAD]; LsarLookupNames 14,
 * LsarLookupSids 15, LsarLookupSids2 57, LsarLookupNames2 58,
 * LsarLookupNames3 68, LsarLookupSids3 76, LsarLookupNames4 77).
 *
 * Records: one per (source, server, service) for guessing and the SMB kinds,
 * one per (source, service) with no server for spraying. A record keeps the
 * times of its last WS_LOGIN_RING_MAX failures (a sliding window: the
 * failures newer than now - login.window are counted), the user names tried
 * and the failures by status name. Failures are counted per login event, so
 * several tries inside one TCP connection all count.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/login.h"
#include "event/ev_smb.h"
#include "flow/flow.h"

/*
 * snprintf for texts: a finding's text may be cut at its field's size (titles
 * with two IPv6 addresses); through vsnprintf, so the compiler does not warn
 * about the cut it cannot rule out.
 */
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

/* Failures kept as evidence until a finding exists to receive them. */
#define LOGIN_EARLY_MAX 8u

struct user_ent {
	char name[WS_LOGIN_USER_LEN];	/* DOMAIN\user, or user */
	int64_t last_fail;
	uint32_t fails;
	uint32_t successes;
};

struct status_ent {
	char name[48];
	uint32_t cnt;
};

struct early {
	int64_t ts;
	uint64_t flow_id;
	uint64_t pkt;
	uint32_t file;
};

struct rec {
	struct ws_addr src, dst;	/* dst.v == 0: the per-source spraying record */
	char service[16];
	int64_t ring[WS_LOGIN_RING_MAX];
	uint32_t ring_head, ring_cnt;
	uint64_t failures, successes;
	struct user_ent *users;
	uint32_t user_cnt, user_cap;
	uint64_t users_dropped;
	struct status_ent st[WS_LOGIN_STATUS_MAX];
	uint32_t st_cnt;
	uint64_t st_other;
	struct early early[LOGIN_EARLY_MAX];
	uint32_t early_cnt;
	bool reached;			/* the guessing threshold was reached once */
	bool anon_ok;			/* an anonymous login succeeded (null session) */
	uint64_t share_enum, user_enum;
	struct ws_finding *guess, *spray, *succ, *null_fd, *share_fd, *user_fd, *smb1_fd;
};

struct table {
	struct rec **slots;
	size_t nslots;			/* power of two, 0 before the first record */
	size_t used;
};

struct ws_login_detect {
	struct ws_detect_cfg cfg;
	struct ws_findings *fs;
	struct table t;
	uint64_t dropped;		/* records refused at WS_LOGIN_PAIRS_MAX (x2: pairs and sources) */
};

struct ws_login_detect *ws_login_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs)
{
	struct ws_login_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	if (d->cfg.login_failures < 1)
		d->cfg.login_failures = 1;
	if (d->cfg.login_failures > WS_LOGIN_RING_MAX)
		d->cfg.login_failures = WS_LOGIN_RING_MAX;
	if (d->cfg.login_spray_users > WS_LOGIN_USERS_MAX)
		d->cfg.login_spray_users = WS_LOGIN_USERS_MAX;
	d->fs = fs;
	return d;
}

void ws_login_detect_free(struct ws_login_detect *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->t.nslots; i++) {
		if (d->t.slots[i]) {
			free(d->t.slots[i]->users);
			free(d->t.slots[i]);
		}
	}
	free(d->t.slots);
	free(d);
}

/* ---- the record table ---- */

static uint32_t rec_hash(const struct ws_addr *src, const struct ws_addr *dst, const char *svc)
{
	uint32_t h = ws_addr_hash(src, 0x2545f491u) * 31u + ws_addr_hash(dst, 0x9e3779b9u);

	for (const char *s = svc; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static bool table_grow(struct table *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 256;
	struct rec **s = calloc(n, sizeof(*s));

	if (!s)
		return false;
	for (size_t i = 0; i < t->nslots; i++) {
		struct rec *r = t->slots[i];
		size_t j;

		if (!r)
			continue;
		j = rec_hash(&r->src, &r->dst, r->service) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = r;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return true;
}

static struct rec *rec_get(struct ws_login_detect *d, const struct ws_addr *src, const struct ws_addr *dst,
			   const char *svc)
{
	struct table *t = &d->t;
	size_t j;
	struct rec *r;

	if ((t->used + 1) * 2 > t->nslots) {
		if (t->used >= 2 * WS_LOGIN_PAIRS_MAX || !table_grow(t)) {
			if (!t->nslots)
				return NULL;
			/* Full: existing records still count, new causes are dropped. */
			j = rec_hash(src, dst, svc) & (t->nslots - 1);
			for (size_t k = 0; k < t->nslots && t->slots[j]; k++) {
				r = t->slots[j];
				if (ws_addr_eq(&r->src, src) && ws_addr_eq(&r->dst, dst) && strcmp(r->service, svc) == 0)
					return r;
				j = (j + 1) & (t->nslots - 1);
			}
			d->dropped++;
			return NULL;
		}
	}
	j = rec_hash(src, dst, svc) & (t->nslots - 1);
	while (t->slots[j]) {
		r = t->slots[j];
		if (ws_addr_eq(&r->src, src) && ws_addr_eq(&r->dst, dst) && strcmp(r->service, svc) == 0)
			return r;
		j = (j + 1) & (t->nslots - 1);
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->src = *src;
	r->dst = *dst;
	textf(r->service, sizeof(r->service), "%s", svc);
	t->slots[j] = r;
	t->used++;
	return r;
}

/* ---- facts kept per record ---- */

static struct user_ent *user_get(struct rec *r, const char *name)
{
	for (uint32_t i = 0; i < r->user_cnt; i++)
		if (strcmp(r->users[i].name, name) == 0)
			return &r->users[i];
	if (r->user_cnt >= WS_LOGIN_USERS_MAX) {
		r->users_dropped++;
		return NULL;
	}
	if (r->user_cnt == r->user_cap) {
		uint32_t nc = r->user_cap ? r->user_cap * 2 : 4;
		struct user_ent *nu = realloc(r->users, nc * sizeof(*nu));

		if (!nu)
			return NULL;
		r->users = nu;
		r->user_cap = nc;
	}
	memset(&r->users[r->user_cnt], 0, sizeof(r->users[0]));
	textf(r->users[r->user_cnt].name, WS_LOGIN_USER_LEN, "%s", name);
	return &r->users[r->user_cnt++];
}

static void status_add(struct rec *r, const char *name)
{
	for (uint32_t i = 0; i < r->st_cnt; i++) {
		if (strcmp(r->st[i].name, name) == 0) {
			r->st[i].cnt++;
			return;
		}
	}
	if (r->st_cnt >= WS_LOGIN_STATUS_MAX) {
		r->st_other++;
		return;
	}
	textf(r->st[r->st_cnt].name, sizeof(r->st[0].name), "%s", name);
	r->st[r->st_cnt++].cnt = 1;
}

/* Failures within the window ending at now. */
static uint32_t ring_in_window(const struct rec *r, int64_t now, int64_t win)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->ring_cnt; i++)
		if (now - r->ring[i] <= win)
			n++;
	return n;
}

static void ring_add(struct rec *r, int64_t ts)
{
	r->ring[r->ring_head] = ts;
	r->ring_head = (r->ring_head + 1) % WS_LOGIN_RING_MAX;
	if (r->ring_cnt < WS_LOGIN_RING_MAX)
		r->ring_cnt++;
}

/* Users whose last failure lies within the window. */
static uint32_t users_in_window(const struct rec *r, int64_t now, int64_t win)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->user_cnt; i++)
		if (r->users[i].fails && now - r->users[i].last_fail <= win)
			n++;
	return n;
}

static void early_add(struct rec *r, const struct ws_event *ev)
{
	if (r->early_cnt >= LOGIN_EARLY_MAX)
		return;
	r->early[r->early_cnt].ts = ev->ts_ns;
	r->early[r->early_cnt].flow_id = ev->flow ? ev->flow->id : 0;
	r->early[r->early_cnt].pkt = ev->pkt_num;
	r->early[r->early_cnt].file = ev->file_idx;
	r->early_cnt++;
}

static void evidence(struct ws_finding *f, const struct ws_event *ev)
{
	ws_finding_evidence(f, ev->ts_ns, ev->flow ? ev->flow->id : 0, ev->pkt_num, ev->file_idx);
}

static void evidence_early(struct ws_finding *f, const struct rec *r)
{
	for (uint32_t i = 0; i < r->early_cnt; i++)
		ws_finding_evidence(f, r->early[i].ts, r->early[i].flow_id, r->early[i].pkt, r->early[i].file);
}

/* "a, b, c (+2 more)" of the users, into buf. */
static size_t users_text(const struct rec *r, char *buf, size_t cap, bool fails_only)
{
	size_t n = 0;
	uint32_t shown = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < r->user_cnt && n < cap; i++) {
		if (fails_only && !r->users[i].fails)
			continue;
		if (shown == 12) {
			n += (size_t)textf(buf + n, cap - n, ", ...");
			break;
		}
		n += (size_t)textf(buf + n, cap - n, "%s%s", shown ? ", " : "", r->users[i].name);
		shown++;
	}
	if (n < cap && r->users_dropped)
		n += (size_t)textf(buf + n, cap - n, " (+%llu more not kept)", (unsigned long long)r->users_dropped);
	return n < cap ? n : cap - 1;
}

static void status_text(const struct rec *r, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < r->st_cnt && n < cap; i++)
		n += (size_t)textf(buf + n, cap - n, "%s%s=%u", i ? ", " : "", r->st[i].name, r->st[i].cnt);
	if (n < cap && r->st_other)
		textf(buf + n, cap - n, "%sother=%llu", n ? ", " : "", (unsigned long long)r->st_other);
}

static void pair_detail(const struct rec *r, struct ws_finding *f)
{
	char users[512], st[256];

	users_text(r, users, sizeof(users), true);
	status_text(r, st, sizeof(st));
	textf(f->detail, sizeof(f->detail), "failures=%llu; successes=%llu; users_tried=%s; failures_by_status=%s",
		 (unsigned long long)r->failures, (unsigned long long)r->successes,
		 users[0] ? users : "-", st[0] ? st : "-");
}

/* ---- logins ---- */

static void user_name(const struct ws_ev_login *l, char *out, size_t cap)
{
	const char *u = l->user[0] ? l->user : (l->anonymous ? "(anonymous)" : "(empty)");

	if (l->domain[0])
		textf(out, cap, "%.*s\\%.*s", 40, l->domain, 60, u);
	else
		textf(out, cap, "%s", u);
}

static void guessing(struct ws_login_detect *d, struct rec *r, const struct ws_event *ev, uint32_t in_win)
{
	struct ws_finding *f = r->guess;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool is_new;

	if (!f) {
		if (in_win < d->cfg.login_failures)
			return;
		f = ws_findings_get(d->fs, "password_guessing", &r->src, &r->dst, 0,
				    ev->flow ? ev->flow->proto : 6, r->service, &is_new);
		if (!f)
			return;
		r->guess = f;
		f->severity = WS_SEV_HIGH;
		f->mitre_id = "T1110.001";
		f->mitre_name = "Brute Force: Password Guessing";
		evidence_early(f, r);
	} else {
		evidence(f, ev);
	}
	f->count = r->failures;
	ws_addr_fmt(&r->src, a);
	ws_addr_fmt(&r->dst, b);
	textf(f->title, sizeof(f->title), "Password guessing over %s: %s failed %llu logins against %s",
		 r->service, a, (unsigned long long)r->failures, b);
	textf(f->explanation, sizeof(f->explanation),
		 "%s failed to log in to %s over %s %llu times, at least %u of them within %u s. Repeated "
		 "failures from one source are how passwords are guessed (seed 000: three failures are "
		 "already suspicious). Check whether the accounts tried are real and whether a later login "
		 "from %s succeeded; lock out or block the source and enforce strong passwords.",
		 a, b, r->service, (unsigned long long)r->failures, d->cfg.login_failures, d->cfg.login_window_s, a);
	pair_detail(r, f);
}

static void spraying(struct ws_login_detect *d, struct rec *s, const struct ws_event *ev, uint32_t users)
{
	struct ws_finding *f = s->spray;
	char a[WS_ADDR_STRLEN], list[512];
	bool is_new;

	if (!f) {
		if (users < d->cfg.login_spray_users)
			return;
		f = ws_findings_get(d->fs, "password_spraying", &s->src, NULL, 0,
				    ev->flow ? ev->flow->proto : 6, s->service, &is_new);
		if (!f)
			return;
		s->spray = f;
		f->severity = WS_SEV_HIGH;
		f->mitre_id = "T1110.003";
		f->mitre_name = "Brute Force: Password Spraying";
		evidence_early(f, s);
	} else {
		evidence(f, ev);
	}
	f->count = s->failures;
	ws_addr_fmt(&s->src, a);
	users_text(s, list, sizeof(list), true);
	textf(f->title, sizeof(f->title), "Password spraying over %s: %s failed logins as %u different users",
		 s->service, a, s->user_cnt);
	textf(f->explanation, sizeof(f->explanation),
		 "%s failed %s logins under %u different user names (at least %u within %u s). Trying a few "
		 "common passwords across many accounts avoids per-account lockouts: it is password spraying. "
		 "Check the accounts named for a later successful login and block the source.",
		 a, s->service, s->user_cnt, users, d->cfg.login_window_s);
	textf(f->detail, sizeof(f->detail), "failures=%llu; users_tried=%s",
		 (unsigned long long)s->failures, list[0] ? list : "-");
}

static void succeeded(struct ws_login_detect *d, struct rec *r, const struct ws_event *ev, const char *user)
{
	struct ws_finding *f = r->succ;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool is_new;

	if (!f) {
		f = ws_findings_get(d->fs, "guess_succeeded", &r->src, &r->dst, 0,
				    ev->flow ? ev->flow->proto : 6, r->service, &is_new);
		if (!f)
			return;
		r->succ = f;
		f->severity = WS_SEV_CRITICAL;
		f->mitre_id = "T1110.001";
		f->mitre_name = "Brute Force: Password Guessing";
	}
	evidence(f, ev);
	f->count++;
	ws_addr_fmt(&r->src, a);
	ws_addr_fmt(&r->dst, b);
	textf(f->title, sizeof(f->title), "Login succeeded after guessing: %s logged in to %s over %s as %.40s",
		 a, b, r->service, user);
	textf(f->explanation, sizeof(f->explanation),
		 "After %llu failed logins, %s logged in successfully to %s over %s as %s. A success that "
		 "follows a run of failures is most likely a guessed password: treat the account as "
		 "compromised, change its password, and review what the session did next (shares, files, "
		 "remote commands).",
		 (unsigned long long)r->failures, a, b, r->service, user);
	pair_detail(r, f);
}

static void null_session_text(struct rec *r)
{
	struct ws_finding *f = r->null_fd;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool enumerated = r->share_enum || r->user_enum;

	if (!f)
		return;
	ws_addr_fmt(&r->src, a);
	ws_addr_fmt(&r->dst, b);
	f->severity = enumerated ? WS_SEV_HIGH : WS_SEV_MEDIUM;
	textf(f->title, sizeof(f->title), "SMB null session: %s logged in anonymously to %s%s",
		 a, b, enumerated ? " and enumerated it" : "");
	textf(f->explanation, sizeof(f->explanation),
		 "%s opened an anonymous (null) SMB session on %s and the server accepted it. Null sessions "
		 "let anyone list shares, users and groups without a password (R17), the first step of many "
		 "attacks.%s Disable anonymous access (RestrictAnonymous, restrict null session pipes and "
		 "shares) unless it is really needed.",
		 a, b, enumerated ? " This one was followed by enumeration over DCE/RPC." : "");
	textf(f->detail, sizeof(f->detail), "anonymous_logins=%llu; share_enumeration_calls=%llu; user_enumeration_calls=%llu",
		 (unsigned long long)f->count, (unsigned long long)r->share_enum, (unsigned long long)r->user_enum);
}

static void null_session(struct ws_login_detect *d, struct rec *r, const struct ws_event *ev)
{
	bool is_new;

	r->anon_ok = true;
	if (!r->null_fd) {
		r->null_fd = ws_findings_get(d->fs, "null_session", &r->src, &r->dst, 0,
					     ev->flow ? ev->flow->proto : 6, "smb", &is_new);
		if (!r->null_fd)
			return;
		r->null_fd->mitre_id = "T1087";
		r->null_fd->mitre_name = "Account Discovery";
	}
	evidence(r->null_fd, ev);
	r->null_fd->count++;
	null_session_text(r);
}

static void on_login(struct ws_login_detect *d, const struct ws_event *ev, const struct ws_ev_login *l)
{
	static const struct ws_addr none;
	const struct ws_flow *fl = ev->flow;
	const char *svc = l->service && l->service[0] ? l->service : "unknown";
	int64_t win = (int64_t)d->cfg.login_window_s * 1000000000LL;
	char user[WS_LOGIN_USER_LEN + 48];
	struct rec *r, *s;
	struct user_ent *u;

	if (!fl || l->success < 0)
		return;
	r = rec_get(d, &fl->cli, &fl->srv, svc);
	s = rec_get(d, &fl->cli, &none, svc);
	user_name(l, user, sizeof(user));
	if (l->success) {
		if (r) {
			r->successes++;
			u = user_get(r, user);
			if (u)
				u->successes++;
			/* An anonymous login after the failures guessed nothing. */
			if (r->reached && !l->anonymous && (l->user[0] || strcmp(svc, "smb") != 0))
				succeeded(d, r, ev, user);
			if (r->guess)
				pair_detail(r, r->guess);
			if (l->anonymous && strcmp(svc, "smb") == 0)
				null_session(d, r, ev);
		}
		return;
	}
	/*
	 * A refused anonymous login guesses no password: Windows clients try
	 * one before binding a channel or browsing, and servers that refuse
	 * null sessions answer each with ACCESS_DENIED.
	 */
	if (l->anonymous || (!l->user[0] && strcmp(svc, "smb") == 0))
		return;	/* (SSH's user is encrypted: an empty user there is unknown, not anonymous) */
	if (r) {
		uint32_t in_win;

		r->failures++;
		ring_add(r, ev->ts_ns);
		status_add(r, l->status_name && l->status_name[0] ? l->status_name : "unknown");
		u = user_get(r, user);
		if (u) {
			u->fails++;
			u->last_fail = ev->ts_ns;
		}
		if (!r->guess)
			early_add(r, ev);
		in_win = ring_in_window(r, ev->ts_ns, win);
		if (in_win >= d->cfg.login_failures)
			r->reached = true;
		guessing(d, r, ev, in_win);
	}
	if (s) {
		s->failures++;
		u = user_get(s, user);
		if (u) {
			u->fails++;
			u->last_fail = ev->ts_ns;
		}
		if (!s->spray)
			early_add(s, ev);
		spraying(d, s, ev, users_in_window(s, ev->ts_ns, win));
	}
}

static void enumeration(struct ws_login_detect *d, const struct ws_event *ev, int kind, const char *op);

/* ---- SMB1 ---- */

static bool is_smb2_dialect(const char *s)
{
	return s && strncmp(s, "SMB 2", 5) == 0;
}

static void on_smb(struct ws_login_detect *d, const struct ws_event *ev, const struct ws_ev_smb *m)
{
	const struct ws_flow *fl = ev->flow;
	struct rec *r;
	struct ws_finding *f;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool is_new, smb1 = false;
	const char *how = NULL;

	if (!fl)
		return;
	/* [MS-RAP] NetShareEnum over \PIPE\LANMAN: the share listing of old clients. */
	if (m->rap_name && strcmp(m->rap_name, "NetShareEnum") == 0) {
		enumeration(d, ev, 0, "NetShareEnum (LANMAN)");
		return;
	}
	if (m->version != 1)
		return;
	if (m->command == 0x72) {
		/* A multi-protocol negotiate that offers SMB 2 is not yet SMB1: the answer decides. */
		bool offers_smb2 = false;

		for (uint8_t i = 0; i < m->dialect_cnt && i < WS_SMB_DIALECTS_MAX; i++)
			offers_smb2 = offers_smb2 || is_smb2_dialect(m->dialects[i]);
		if (m->has_response && m->dialect && !is_smb2_dialect(m->dialect)) {
			smb1 = true;
			how = "negotiated";
		} else if (!m->has_response && !offers_smb2 && m->dialect_cnt) {
			smb1 = true;
			how = "offered (only SMB1 dialects)";
		}
	} else if (m->has_response) {
		smb1 = true;
		how = "used";
	}
	if (!smb1)
		return;
	r = rec_get(d, &fl->cli, &fl->srv, "smb");
	if (!r)
		return;
	f = r->smb1_fd;
	if (!f) {
		f = ws_findings_get(d->fs, "smb1_in_use", &fl->cli, &fl->srv, 0, fl->proto, "smb", &is_new);
		if (!f)
			return;
		r->smb1_fd = f;
		f->severity = WS_SEV_MEDIUM;
		f->mitre_id = "T1210";
		f->mitre_name = "Exploitation of Remote Services";
		ws_addr_fmt(&fl->cli, a);
		ws_addr_fmt(&fl->srv, b);
		textf(f->title, sizeof(f->title), "SMB1 in use between %s and %s", a, b);
		textf(f->explanation, sizeof(f->explanation),
			 "%s and %s speak SMB version 1 (CIFS). SMB1 is the wormable protocol of MS17-010 "
			 "(EternalBlue, used by WannaCry and NotPetya) and lacks the integrity protections of "
			 "SMB2/3 (R12). Disable SMB1 on both hosts; find which old system or device still needs it.",
			 a, b);
	}
	evidence(f, ev);
	f->count++;
	if (m->command == 0x72 || !f->detail[0])
		textf(f->detail, sizeof(f->detail), "smb1=%s; dialect=%s; smb1_messages=%llu", how,
			 m->dialect ? m->dialect : "-", (unsigned long long)f->count);
}

/* ---- DCE/RPC enumeration ---- */

struct op_rule {
	const char *iface;
	uint16_t opnum;
	const char *name;
	bool users;			/* user enumeration, else share enumeration */
};

static const struct op_rule op_rules[] = {
	{ "srvsvc", 15, "NetShareEnumAll", false },
	{ "srvsvc", 36, "NetShareEnumSticky", false },
	{ "samr", 6, "SamrEnumerateDomainsInSamServer", true },
	{ "samr", 11, "SamrEnumerateGroupsInDomain", true },
	{ "samr", 13, "SamrEnumerateUsersInDomain", true },
	{ "samr", 15, "SamrEnumerateAliasesInDomain", true },
	{ "samr", 17, "SamrLookupNamesInDomain", true },
	{ "samr", 18, "SamrLookupIdsInDomain", true },
	{ "samr", 40, "SamrQueryDisplayInformation", true },
	{ "samr", 48, "SamrQueryDisplayInformation2", true },
	{ "samr", 51, "SamrQueryDisplayInformation3", true },
	{ "lsarpc", 11, "LsarEnumerateAccounts", true },
	{ "lsarpc", 14, "LsarLookupNames", true },
	{ "lsarpc", 15, "LsarLookupSids", true },
	{ "lsarpc", 57, "LsarLookupSids2", true },
	{ "lsarpc", 58, "LsarLookupNames2", true },
	{ "lsarpc", 68, "LsarLookupNames3", true },
	{ "lsarpc", 76, "LsarLookupSids3", true },
	{ "lsarpc", 77, "LsarLookupNames4", true },
};

/* -1 not enumeration, 0 shares, 1 users; *name the operation. */
static int enum_kind(const struct ws_ev_dcerpc *c, const char **name)
{
	static const char *const share_ops[] = { "NetShareEnum", "NetrShareEnum" };
	static const char *const user_ops[] = { "SamrEnumerate", "SamrLookupNames", "SamrLookupIds",
						"SamrQueryDisplayInformation", "LsarLookupSids",
						"LsarLookupNames", "LsarEnumerateAccounts" };
	const char *op = c->operation;

	if (op) {
		for (size_t i = 0; i < sizeof(share_ops) / sizeof(share_ops[0]); i++)
			if (strncmp(op, share_ops[i], strlen(share_ops[i])) == 0) {
				*name = op;
				return 0;
			}
		for (size_t i = 0; i < sizeof(user_ops) / sizeof(user_ops[0]); i++)
			if (strncmp(op, user_ops[i], strlen(user_ops[i])) == 0) {
				*name = op;
				return 1;
			}
	}
	if (!c->interface)
		return -1;
	for (size_t i = 0; i < sizeof(op_rules) / sizeof(op_rules[0]); i++)
		if (op_rules[i].opnum == c->opnum && strcmp(op_rules[i].iface, c->interface) == 0) {
			*name = op ? op : op_rules[i].name;
			return op_rules[i].users;
		}
	return -1;
}

static void enumeration(struct ws_login_detect *d, const struct ws_event *ev, int kind, const char *op)
{
	const struct ws_flow *fl = ev->flow;
	struct rec *r = rec_get(d, &fl->cli, &fl->srv, "smb");
	struct ws_finding **slot;
	struct ws_finding *f;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	bool is_new;
	size_t n;

	if (!r)
		return;
	if (kind)
		r->user_enum++;
	else
		r->share_enum++;
	slot = kind ? &r->user_fd : &r->share_fd;
	f = *slot;
	ws_addr_fmt(&fl->cli, a);
	ws_addr_fmt(&fl->srv, b);
	if (!f) {
		f = ws_findings_get(d->fs, kind ? "user_enumeration" : "share_enumeration", &fl->cli, &fl->srv,
				    0, fl->proto, "dcerpc", &is_new);
		if (!f)
			return;
		*slot = f;
		f->severity = kind ? WS_SEV_MEDIUM : WS_SEV_LOW;
		f->mitre_id = kind ? "T1087" : "T1135";
		f->mitre_name = kind ? "Account Discovery" : "Network Share Discovery";
		if (kind) {
			textf(f->title, sizeof(f->title), "User enumeration: %s listed accounts of %s over DCE/RPC", a, b);
			textf(f->explanation, sizeof(f->explanation),
				 "%s called SAMR/LSA operations on %s that list user accounts or turn SIDs into "
				 "names. Attackers do this to pick accounts for password guessing or privilege "
				 "escalation; administration tools do it too. Check who %s is, and restrict "
				 "anonymous SAMR/LSA access.", a, b, a);
		} else {
			textf(f->title, sizeof(f->title), "Share enumeration: %s listed the shares of %s", a, b);
			textf(f->explanation, sizeof(f->explanation),
				 "%s asked %s for its list of shares (srvsvc NetShareEnum). Browsing does this, and so "
				 "does an attacker or a worm looking for writable shares to spread to. Check "
				 "whether %s should be browsing %s.", a, b, a, b);
		}
	}
	evidence(f, ev);
	f->count++;
	n = strnlen(f->detail, sizeof(f->detail));
	if (!n)
		n = (size_t)textf(f->detail, sizeof(f->detail), "operations=");
	/* Each operation name once in the detail. */
	if (n < sizeof(f->detail) && !strstr(f->detail, op))
		textf(f->detail + n, sizeof(f->detail) - n, "%s%s", f->detail[n - 1] == '=' ? "" : ", ", op);
	if (r->null_fd)
		null_session_text(r);
}

static void on_dcerpc(struct ws_login_detect *d, const struct ws_event *ev, const struct ws_ev_dcerpc *c)
{
	const char *op = NULL;
	int kind;

	/* Requests only (ptype 0): a response would count the same call twice. */
	if (!ev->flow || c->ptype != 0)
		return;
	kind = enum_kind(c, &op);
	if (kind < 0 || !op)
		return;
	enumeration(d, ev, kind, op);
}

/* ---- bus ---- */

void ws_login_detect_on_event(void *user, const struct ws_event *ev)
{
	struct ws_login_detect *d = user;

	if (!ev->body)
		return;
	switch (ev->type) {
	case WS_EV_LOGIN:
		on_login(d, ev, ev->body);
		break;
	case WS_EV_SMB:
		on_smb(d, ev, ev->body);
		break;
	case WS_EV_DCERPC:
		on_dcerpc(d, ev, ev->body);
		break;
	default:
		break;
	}
}

void ws_login_detect_finish(struct ws_login_detect *d)
{
	/* Texts are complete as evidence arrives; nothing is pending at the end. */
	(void)d;
}
