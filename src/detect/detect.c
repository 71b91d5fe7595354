/*
 * detect.c - the first detectors: port scans, exposed risky services, trojan
 * ports, protocols on non-standard ports. All work on flow events (flow.h):
 * a flow's state says whether the server answered (established), refused
 * (rejected: SYN answered by RST) or stayed silent (new).
 *
 * Scan state is bounded: one table of (source, target) pairs and one of
 * (source, port) pairs, each holding at most WS_SCAN_PAIRS_MAX entries; the
 * distinct ports/hosts of a pair are kept in a small set up to
 * WS_SCAN_SET_MAX, beyond which they are only counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timefmt.h"
#include "detect/detect.h"
#include "flow/flow.h"
#include "kb/kb.h"
#include "proto/proto.h"

/* Scan pairs tracked at once: a /16 sweep from one scanner fits. */
#define WS_SCAN_PAIRS_MAX 65536u
/* Distinct ports (or hosts) remembered exactly per pair; past it, counted. */
#define WS_SCAN_SET_MAX 1024u

struct opt {
	const char *name;
	size_t off;
	uint32_t def;
	uint32_t min, max;
	const char *doc;
};

#define OPT(n, field, d, lo, hi, doc) { n, offsetof(struct ws_detect_cfg, field), d, lo, hi, doc }
static const struct opt opts[] = {
	OPT("scan.ports", scan_ports, 20, 2, 65535,
	    "distinct ports of one host a source must try, unanswered or refused, to be a vertical port scan"),
	OPT("scan.hosts", scan_hosts, 20, 2, 1u << 24,
	    "distinct hosts a source must try on one port, unanswered or refused, to be a horizontal scan"),
	OPT("scan.window", scan_window_s, 300, 1, 86400,
	    "seconds within which those attempts must fall"),
	OPT("scan.fail_pct", scan_fail_pct, 60, 0, 100,
	    "share (percent) of the distinct ports (hosts) tried that must have refused or never answered"),
	OPT("trojan.min_bytes", trojan_min_bytes, 1, 0, 1u << 30,
	    "payload bytes a flow on a trojan port must carry before it is reported"),
	OPT("login.failures", login_failures, 3, 1, 64,
	    "failed logins of one source against one server and service, within login.window, for password guessing (seed 000: three already look suspicious)"),
	OPT("login.window", login_window_s, 300, 1, 86400,
	    "seconds within which those failed logins must fall"),
	OPT("login.spray_users", login_spray_users, 5, 2, 64,
	    "distinct user names one source must fail with, within login.window, for password spraying"),
	OPT("cmd.cwd_count", cmd_cwd_count, 10, 2, 64,
	    "CWD commands in one FTP session, within cmd.cwd_window, for a directory sweep (R7: scanners walk the tree)"),
	OPT("cmd.cwd_window", cmd_cwd_window_s, 60, 1, 86400,
	    "seconds within which those CWD commands must fall"),
	OPT("cmd.overflow_len", cmd_overflow_len, 256, 16, 1u << 20,
	    "bytes of one FTP argument beyond which it is an overflow attempt (real paths and names are shorter)"),
	OPT("cmd.overflow_run", cmd_overflow_run, 64, 8, 1u << 20,
	    "identical bytes in a row in one FTP argument that make it an overflow attempt ('AAAA...')"),
};
#undef OPT
#define OPT_CNT (sizeof(opts) / sizeof(opts[0]))

void ws_detect_cfg_default(struct ws_detect_cfg *cfg)
{
	for (size_t i = 0; i < OPT_CNT; i++)
		*(uint32_t *)((char *)cfg + opts[i].off) = opts[i].def;
}

int ws_detect_cfg_set(struct ws_detect_cfg *cfg, const char *name, const char *value)
{
	for (size_t i = 0; i < OPT_CNT; i++) {
		char *end;
		unsigned long v;

		if (strcmp(opts[i].name, name) != 0)
			continue;
		v = strtoul(value, &end, 10);
		if (end == value || *end || v < opts[i].min || v > opts[i].max)
			return -2;
		*(uint32_t *)((char *)cfg + opts[i].off) = (uint32_t)v;
		return 0;
	}
	return -1;
}

size_t ws_detect_cfg_count(void)
{
	return OPT_CNT;
}

const char *ws_detect_cfg_name(size_t i)
{
	return i < OPT_CNT ? opts[i].name : NULL;
}

const char *ws_detect_cfg_doc(size_t i)
{
	return i < OPT_CNT ? opts[i].doc : NULL;
}

uint32_t ws_detect_cfg_get(const struct ws_detect_cfg *cfg, size_t i)
{
	return i < OPT_CNT ? *(const uint32_t *)((const char *)cfg + opts[i].off) : 0;
}

/* ---- scan tracking ---- */

/* One (source, target host) or (source, port) pair. */
struct scan_pair {
	struct ws_addr src;
	struct ws_addr dst;	/* vertical: the target; horizontal: unused */
	uint16_t port;		/* horizontal: the port; vertical: 0 */
	uint8_t used;
	uint8_t proto;
	int64_t window_start;
	uint32_t attempts;
	uint32_t failed;
	uint32_t tried;		/* distinct ports (vertical) / hosts (horizontal) tried */
	uint32_t answered;	/* ...of which at least one attempt was answered */
	uint32_t set_cnt;
	uint32_t set_cap;
	uint64_t *set;		/* port or host hash, | 1 << 32 once answered */
	struct ws_finding *finding;
	/* the first failed attempts, to be the evidence once a finding is raised (allocated at the first failure) */
	struct scan_early *early;
	uint32_t early_cnt;
};

#define SCAN_EARLY_MAX (WS_FINDING_EVIDENCE_MAX / 2)

struct scan_early {
	int64_t ts;
	uint64_t flow_id;
	uint64_t pkt;
	uint32_t file;
};

/*
 * Pairs live in a vector; the open-addressing index holds 1-based positions
 * (4 bytes a slot), so the index stays small and only pairs that exist cost
 * a record.
 */
struct scan_table {
	struct scan_pair *v;
	size_t cnt, cap;
	uint32_t *slots;
	size_t nslots;		/* power of two, >= 2 * cnt */
	uint64_t dropped;
};

struct ws_detect {
	struct ws_detect_cfg cfg;
	struct ws_findings *fs;
	struct scan_table vert;
	struct scan_table horiz;
};

static uint32_t pair_hash(const struct ws_addr *src, const struct ws_addr *dst, uint16_t port, uint8_t proto)
{
	return (ws_addr_hash(src, 0x2545f491u) * 31u + ws_addr_hash(dst, 0x9e3779b9u)) * 31u + port * 7u + proto;
}

static bool pair_match(const struct scan_pair *sp, const struct ws_addr *src, const struct ws_addr *dst,
		       uint16_t port, uint8_t proto)
{
	return sp->port == port && sp->proto == proto && ws_addr_eq(&sp->src, src) && ws_addr_eq(&sp->dst, dst);
}

static bool table_reindex(struct scan_table *t, size_t n)
{
	uint32_t *ns = calloc(n, sizeof(*ns));

	if (!ns)
		return false;
	for (size_t i = 0; i < t->cnt; i++) {
		const struct scan_pair *o = &t->v[i];
		size_t j = pair_hash(&o->src, &o->dst, o->port, o->proto) & (n - 1);

		while (ns[j])
			j = (j + 1) & (n - 1);
		ns[j] = (uint32_t)(i + 1);
	}
	free(t->slots);
	t->slots = ns;
	t->nslots = n;
	return true;
}

static struct scan_pair *pair_get(struct scan_table *t, const struct ws_addr *src,
				  const struct ws_addr *dst, uint16_t port, uint8_t proto, bool create)
{
	struct scan_pair *sp;
	size_t j;

	if (create && (t->cnt + 1) * 2 > t->nslots && t->cnt < WS_SCAN_PAIRS_MAX)
		(void)table_reindex(t, t->nslots ? t->nslots * 2 : 1024);
	if (!t->nslots)
		return NULL;
	j = pair_hash(src, dst, port, proto) & (t->nslots - 1);
	while (t->slots[j]) {
		sp = &t->v[t->slots[j] - 1];
		if (pair_match(sp, src, dst, port, proto))
			return sp;
		j = (j + 1) & (t->nslots - 1);
	}
	if (!create || (t->cnt + 1) * 2 > t->nslots || t->cnt >= WS_SCAN_PAIRS_MAX) {
		if (create)
			t->dropped++;
		return NULL;
	}
	if (t->cnt == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256;
		struct scan_pair *nv = realloc(t->v, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		t->v = nv;
		t->cap = nc;
	}
	sp = &t->v[t->cnt];
	memset(sp, 0, sizeof(*sp));
	sp->used = 1;
	sp->src = *src;
	sp->dst = *dst;
	sp->port = port;
	sp->proto = proto;
	t->cnt++;
	t->slots[j] = (uint32_t)t->cnt;
	return sp;
}

#define ANSWERED (1ull << 32)

/* Records an attempt on item v; keeps tried/answered counts of distinct items. */
static void set_add(struct scan_pair *sp, uint32_t v, bool ok)
{
	for (uint32_t i = 0; i < sp->set_cnt; i++) {
		if ((uint32_t)sp->set[i] != v)
			continue;
		if (ok && !(sp->set[i] & ANSWERED)) {
			sp->set[i] |= ANSWERED;
			sp->answered++;
		}
		return;
	}
	/* Past the cap every value counts as new: an estimate. */
	sp->tried++;
	if (ok)
		sp->answered++;
	if (sp->set_cnt >= WS_SCAN_SET_MAX)
		return;
	if (sp->set_cnt == sp->set_cap) {
		uint32_t nc = sp->set_cap ? sp->set_cap * 2 : 16;
		uint64_t *ns = realloc(sp->set, nc * sizeof(*ns));

		if (!ns)
			return;
		sp->set = ns;
		sp->set_cap = nc;
	}
	sp->set[sp->set_cnt++] = v | (ok ? ANSWERED : 0);
}

static void table_free(struct scan_table *t)
{
	for (size_t i = 0; i < t->cnt; i++) {
		free(t->v[i].set);
		free(t->v[i].early);
	}
	free(t->v);
	free(t->slots);
}

struct ws_detect *ws_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs)
{
	struct ws_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->fs = fs;
	return d;
}

void ws_detect_free(struct ws_detect *d)
{
	if (!d)
		return;
	table_free(&d->vert);
	table_free(&d->horiz);
	free(d);
}

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 6: return "TCP";
	case 17: return "UDP";
	default: return "IP";
	}
}

static uint8_t kb_l4(uint8_t proto)
{
	return proto == 17 ? WS_KB_UDP : WS_KB_TCP;
}

/* Did this flow's attempt fail: refused, or never answered? */
static bool attempt_failed(const struct ws_flow *f)
{
	if (f->proto == 6)
		return f->state == WS_FLOW_REJECTED || f->state == WS_FLOW_NEW;
	return f->pkts[WS_DIR_TO_CLIENT] == 0;
}

static void scan_update(struct ws_detect *d, struct scan_pair *sp, const struct ws_flow *f,
			bool failed, uint32_t item, bool vertical)
{
	const struct ws_detect_cfg *c = &d->cfg;
	int64_t win = (int64_t)c->scan_window_s * 1000000000LL;
	uint32_t threshold = vertical ? c->scan_ports : c->scan_hosts;
	bool is_new;
	struct ws_finding *fd;

	uint32_t refused;

	if (!sp->finding && sp->attempts && f->first_ns - sp->window_start > win) {
		/* The window passed without a scan: start over. */
		sp->attempts = sp->failed = sp->tried = sp->answered = 0;
		sp->set_cnt = 0;
		sp->early_cnt = 0;
	}
	if (sp->attempts == 0)
		sp->window_start = f->first_ns;
	sp->attempts++;
	sp->failed += failed;
	set_add(sp, item, !failed);
	if (failed && !sp->finding && !sp->early)
		sp->early = calloc(SCAN_EARLY_MAX, sizeof(*sp->early));
	if (failed && !sp->finding && sp->early && sp->early_cnt < SCAN_EARLY_MAX) {
		sp->early[sp->early_cnt].ts = f->first_ns;
		sp->early[sp->early_cnt].flow_id = f->id;
		sp->early[sp->early_cnt].pkt = f->first_pkt;
		sp->early[sp->early_cnt].file = f->file_idx;
		sp->early_cnt++;
	}
	/*
	 * Judged on distinct ports (hosts), not attempts: a scanner that also
	 * hammers the one port that answered (password guessing) is still a
	 * scanner of the ports that did not.
	 */
	refused = sp->tried - sp->answered;
	if (refused < threshold || (uint64_t)refused * 100 < (uint64_t)sp->tried * c->scan_fail_pct)
		return;
	fd = sp->finding;
	if (!fd) {
		fd = ws_findings_get(d->fs, "port_scan", &f->cli, vertical ? &f->srv : NULL,
				     vertical ? 0 : f->sport, f->proto, "", &is_new);
		if (!fd)
			return;
		sp->finding = fd;
		fd->severity = WS_SEV_MEDIUM;
		fd->mitre_id = "T1046";
		fd->mitre_name = "Network Service Discovery";
		for (uint32_t i = 0; i < sp->early_cnt; i++)
			ws_finding_evidence(fd, sp->early[i].ts, sp->early[i].flow_id, sp->early[i].pkt, sp->early[i].file);
	}
	if (failed)
		ws_finding_evidence(fd, f->first_ns, f->id, f->first_pkt, f->file_idx);
	fd->count = sp->tried;
}

/* The words of a scan finding, written once at the end (not per flow). */
static void scan_texts(const struct ws_detect_cfg *c, struct scan_pair *sp, bool vertical)
{
	struct ws_finding *fd = sp->finding;
	uint32_t refused = sp->tried - sp->answered;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];

	ws_addr_fmt(&sp->src, a);
	if (vertical) {
		ws_addr_fmt(&sp->dst, b);
		snprintf(fd->title, sizeof(fd->title), "%s port scan: %s probed %u %s ports of %s, %u open",
			 proto_name(sp->proto), a, sp->tried, proto_name(sp->proto), b, sp->answered);
	} else {
		snprintf(fd->title, sizeof(fd->title), "%s sweep: %s probed %s port %u on %u hosts, %u answered",
			 proto_name(sp->proto), a, proto_name(sp->proto), sp->port, sp->tried, sp->answered);
	}
	snprintf(fd->detail, sizeof(fd->detail), "attempts=%u; failed_attempts=%u; %s_tried=%u; %s_answered=%u",
		 sp->attempts, sp->failed, vertical ? "ports" : "hosts", sp->tried,
		 vertical ? "ports" : "hosts", sp->answered);
	snprintf(fd->explanation, sizeof(fd->explanation),
		 "One source tried %u different %s within %u s and %u of them refused or never answered: "
		 "this is how a scanner (nmap, masscan, a worm) maps which services are open before "
		 "attacking them. Check whether %s is yours; if not, block it and look for logins or "
		 "exploits that followed from it against the %u that did answer.",
		 sp->tried, vertical ? "ports of one host" : "hosts on one port",
		 c->scan_window_s, refused, a, sp->answered);
}

static void table_texts(const struct ws_detect_cfg *c, struct scan_table *t, bool vertical)
{
	for (size_t i = 0; i < t->cnt; i++)
		if (t->v[i].finding)
			scan_texts(c, &t->v[i], vertical);
}

static void scan_flow(struct ws_detect *d, const struct ws_flow *f)
{
	bool failed;
	struct scan_pair *sp;

	if (f->proto != 6 && f->proto != 17)
		return;
	if (ws_addr_is_multicast_or_broadcast(&f->srv))
		return;
	failed = attempt_failed(f);
	sp = pair_get(&d->vert, &f->cli, &f->srv, 0, f->proto, true);
	if (sp)
		scan_update(d, sp, f, failed, f->sport, true);
	if (f->proto != 6)
		return;	/* UDP to many hosts on one port is too often plain service use */
	sp = pair_get(&d->horiz, &f->cli, &(struct ws_addr){ 0 }, f->sport, f->proto, true);
	if (sp)
		scan_update(d, sp, f, failed, ws_addr_hash(&f->srv, 7), false);
}

/* ---- exposure, trojans, non-standard ports ---- */

static bool answered(const struct ws_flow *f)
{
	if (f->proto == 6)
		return f->state == WS_FLOW_ESTABLISHED || f->state == WS_FLOW_CLOSED ||
		       (f->state == WS_FLOW_RESET && f->pkts[WS_DIR_TO_CLIENT] > 1);
	return f->pkts[WS_DIR_TO_CLIENT] > 0;
}

static const char *service_name(const struct ws_flow *f, const struct ws_port_info *pi)
{
	if (f->app)
		return f->app->name;
	return pi ? pi->service : "";
}

static void exposure_flow(struct ws_detect *d, const struct ws_flow *f)
{
	const struct ws_port_info *pi = ws_kb_port(f->sport, kb_l4(f->proto));
	bool inbound, outbound, is_new;
	struct ws_finding *fd;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	const char *svc;

	if ((f->proto != 6 && f->proto != 17) || !pi || pi->risk < WS_RISK_MEDIUM || !answered(f))
		return;
	inbound = ws_addr_is_public(&f->cli) && ws_addr_is_private(&f->srv);
	/* Outbound use matters only for the worst: SMB/NetBIOS/Telnet leak credentials and hashes. */
	outbound = ws_addr_is_private(&f->cli) && ws_addr_is_public(&f->srv) && pi->risk == WS_RISK_HIGH;
	if (!inbound && !outbound)
		return;
	svc = service_name(f, pi);
	fd = ws_findings_get(d->fs, "exposed_service", NULL, &f->srv, f->sport, f->proto, svc, &is_new);
	if (!fd)
		return;
	if (is_new) {
		fd->src = f->cli;
		fd->severity = pi->risk == WS_RISK_HIGH ? (inbound ? WS_SEV_HIGH : WS_SEV_MEDIUM) : WS_SEV_MEDIUM;
		fd->mitre_id = inbound ? "T1190" : "T1133";
		fd->mitre_name = inbound ? "Exploit Public-Facing Application" : "External Remote Services";
		ws_addr_fmt(&f->cli, a);
		ws_addr_fmt(&f->srv, b);
		snprintf(fd->title, sizeof(fd->title), "%s (%u/%s) %s between public %s and private %s",
			 svc, f->sport, proto_name(f->proto), inbound ? "reachable from the internet" : "used across the internet",
			 inbound ? a : b, inbound ? b : a);
		snprintf(fd->explanation, sizeof(fd->explanation),
			 "%s %s %s. %s%s",
			 pi->description ? pi->description : svc,
			 inbound ? "on a private host answered a public address:" : "was used by a private host towards a public server:",
			 inbound ? "the service is exposed beyond the LAN" : "its traffic and credentials cross the internet",
			 pi->note ? pi->note : "",
			 pi->note ? "" : " Restrict it to the LAN or a VPN.");
	}
	ws_finding_evidence(fd, f->first_ns, f->id, f->first_pkt, f->file_idx);
	fd->count++;
	snprintf(fd->detail, sizeof(fd->detail), "flows=%llu; direction=%s",
		 (unsigned long long)fd->count, inbound ? "inbound" : "outbound");
}

static void trojan_flow(struct ws_detect *d, const struct ws_flow *f)
{
	const struct ws_port_info *pi;
	struct ws_finding *fd;
	bool is_new;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];

	if ((f->proto != 6 && f->proto != 17) || f->ident == WS_IDENT_PAYLOAD || f->ident == WS_IDENT_EXPECTED)
		return;
	/* The port's decoder read the flow without giving up: the protocol explains it. */
	if (f->app && f->app->feed && !f->app_failed)
		return;
	if (f->payload_bytes[0] + f->payload_bytes[1] < d->cfg.trojan_min_bytes || !answered(f))
		return;
	if (!ws_kb_port_has_trojan(f->sport, kb_l4(f->proto)))
		return;
	pi = ws_kb_port(f->sport, kb_l4(f->proto));
	fd = ws_findings_get(d->fs, "trojan_port", &f->cli, &f->srv, f->sport, f->proto, "", &is_new);
	if (!fd)
		return;
	if (is_new) {
		fd->severity = WS_SEV_LOW;
		fd->mitre_id = "T1571";
		fd->mitre_name = "Non-Standard Port";
		ws_addr_fmt(&f->cli, a);
		ws_addr_fmt(&f->srv, b);
		snprintf(fd->title, sizeof(fd->title), "Traffic on %u/%s, a port known for trojans (%s), %s -> %s",
			 f->sport, proto_name(f->proto), pi && pi->trojans ? pi->trojans : "?", a, b);
		snprintf(fd->explanation, sizeof(fd->explanation),
			 "Port %u is used by known trojans (%s) and wiresift recognised no protocol in this "
			 "traffic that would explain it. Legitimate software may use the port too, so this is "
			 "a lead, not a verdict: check which program listens on %s port %u.",
			 f->sport, pi && pi->trojans ? pi->trojans : "?", b, f->sport);
	}
	ws_finding_evidence(fd, f->first_ns, f->id, f->first_pkt, f->file_idx);
	fd->count++;
}

static void nonstd_flow(struct ws_detect *d, const struct ws_flow *f)
{
	struct ws_finding *fd;
	bool is_new;
	char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];
	const char *name;

	if (!f->nonstd_port || !f->app || f->ident != WS_IDENT_PAYLOAD)
		return;
	name = f->app->name;
	fd = ws_findings_get(d->fs, "nonstandard_port", NULL, &f->srv, f->sport, f->proto, name, &is_new);
	if (!fd)
		return;
	if (is_new) {
		bool common = !strcmp(name, "http") || !strcmp(name, "tls") || !strcmp(name, "dns");

		fd->src = f->cli;
		fd->severity = common ? WS_SEV_INFO : WS_SEV_LOW;
		fd->mitre_id = "T1571";
		fd->mitre_name = "Non-Standard Port";
		ws_addr_fmt(&f->cli, a);
		ws_addr_fmt(&f->srv, b);
		snprintf(fd->title, sizeof(fd->title), "%s on non-standard port %u/%s at %s",
			 f->app->label, f->sport, proto_name(f->proto), b);
		snprintf(fd->explanation, sizeof(fd->explanation),
			 "The payload is %s, but port %u is not registered for it. Services moved to other "
			 "ports escape port-based firewall rules and monitoring; tunnels and backdoors do "
			 "this on purpose. Confirm that %s is meant to run %s on that port (first client: %s).",
			 f->app->label, f->sport, b, f->app->label, a);
	}
	ws_finding_evidence(fd, f->first_ns, f->id, f->first_pkt, f->file_idx);
	fd->count++;
}

void ws_detect_on_event(void *user, const struct ws_event *ev)
{
	struct ws_detect *d = user;
	const struct ws_flow *f;

	if (ev->type != WS_EV_FLOW || !ev->flow)
		return;
	f = ev->flow;
	scan_flow(d, f);
	exposure_flow(d, f);
	trojan_flow(d, f);
	nonstd_flow(d, f);
}

void ws_detect_finish(struct ws_detect *d)
{
	table_texts(&d->cfg, &d->vert, true);
	table_texts(&d->cfg, &d->horiz, false);
}
