/*
 * report.c - the text report (see report.h).
 *
 * Aggregation, from flow events only: one row per application protocol (the
 * flow's app, "unknown" when none) and a min-heap of the WS_REPORT_TOP_FLOWS
 * largest flows by bytes (the root is the smallest kept; a bigger flow
 * replaces it). Hosts come from the inventory and findings from the store at
 * print time. Tables are built cell by cell, then printed with each column as
 * wide as its widest cell.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/source.h"
#include "core/addr.h"
#include "core/timefmt.h"
#include "decode/decode.h"
#include "event/ev_smb.h"
#include "flow/flow.h"
#include "output/report.h"
#include "proto/proto.h"

struct svc {
	const struct ws_proto *app;	/* NULL for "unknown" and "other" */
	const char *name;
	uint64_t flows, pkts, bytes;
	uint64_t by_payload, by_port, by_expected;
	struct ws_addr servers[WS_REPORT_SERVERS_EXACT];
	uint32_t server_cnt;
	bool server_overflow;		/* more than WS_REPORT_SERVERS_EXACT: estimate */
	uint8_t server_bits[WS_REPORT_SERVER_BITS / 8];
};

struct conv {
	uint64_t id;
	uint8_t proto;
	struct ws_addr cli, srv;
	uint16_t cport, sport;
	const char *app;		/* registry name: lives for the run */
	uint64_t pkts[2];
	uint64_t bytes;
	int64_t dur_ns;
	enum ws_flow_state state;
};

/* One login row: (service, client, server, user, method). */
struct login_row {
	char service[16];
	struct ws_addr cli, srv;
	char user[96];			/* DOMAIN\user */
	char method[16];
	uint64_t ok, failed, unknown;
	struct {
		char name[48];
		uint64_t cnt;
	} st[WS_REPORT_LOGIN_STATUS];
	uint32_t st_cnt;
	uint64_t st_other;
};

/* One SMB fact: a dialect, an SMB1 pair, a share or a file. */
struct smb_row {
	struct ws_addr cli, srv;
	char a[WS_SMB_PATH_MAX];	/* dialect, share */
	char b[WS_SMB_PATH_MAX];	/* file name */
	char svc[16];			/* share type, from the tree connect */
	uint64_t cnt;
	uint64_t read, written;
};

struct smb_list {
	struct smb_row v[WS_REPORT_SMB_ROWS];
	uint32_t cnt;
	uint64_t dropped;
};

struct ws_report {
	struct svc *svc;		/* [0] unknown, [svc_cap - 1] other */
	size_t svc_cnt;			/* rows in use, including [0] */
	size_t svc_cap;
	struct conv top[WS_REPORT_TOP_FLOWS];	/* min-heap on bytes */
	size_t top_cnt;
	uint64_t flows;
	struct login_row *logins;	/* WS_REPORT_LOGIN_ROWS */
	uint32_t login_cnt;
	uint64_t logins_dropped;
	uint64_t smb_events;
	struct smb_list *dialects, *smb1, *shares, *files;
};

struct ws_report *ws_report_new(void)
{
	struct ws_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	/* One row per registered protocol, plus "unknown" and "other". */
	r->svc_cap = ws_proto_count() + 2;
	r->svc = calloc(r->svc_cap, sizeof(*r->svc));
	if (!r->svc) {
		free(r);
		return NULL;
	}
	r->logins = calloc(WS_REPORT_LOGIN_ROWS, sizeof(*r->logins));
	r->dialects = calloc(1, sizeof(*r->dialects));
	r->smb1 = calloc(1, sizeof(*r->smb1));
	r->shares = calloc(1, sizeof(*r->shares));
	r->files = calloc(1, sizeof(*r->files));
	if (!r->logins || !r->dialects || !r->smb1 || !r->shares || !r->files) {
		ws_report_free(r);
		return NULL;
	}
	r->svc[0].name = "unknown";
	r->svc[r->svc_cap - 1].name = "other";
	r->svc_cnt = 1;
	return r;
}

void ws_report_free(struct ws_report *r)
{
	if (!r)
		return;
	free(r->svc);
	free(r->logins);
	free(r->dialects);
	free(r->smb1);
	free(r->shares);
	free(r->files);
	free(r);
}

/* ---- aggregation ---- */

static struct svc *svc_row(struct ws_report *r, const struct ws_proto *app)
{
	if (!app)
		return &r->svc[0];
	for (size_t i = 1; i < r->svc_cnt; i++)
		if (r->svc[i].app == app)
			return &r->svc[i];
	if (r->svc_cnt + 1 >= r->svc_cap)
		return &r->svc[r->svc_cap - 1];	/* not in the registry: cannot happen, but bounded */
	r->svc[r->svc_cnt].app = app;
	r->svc[r->svc_cnt].name = app->name ? app->name : "?";
	return &r->svc[r->svc_cnt++];
}

static void svc_server(struct svc *s, const struct ws_addr *a)
{
	uint32_t h = ws_addr_hash(a, 0x2545f491u) % WS_REPORT_SERVER_BITS;

	s->server_bits[h / 8] |= (uint8_t)(1u << (h % 8));
	if (s->server_overflow)
		return;
	for (uint32_t i = 0; i < s->server_cnt; i++)
		if (ws_addr_eq(&s->servers[i], a))
			return;
	if (s->server_cnt < WS_REPORT_SERVERS_EXACT)
		s->servers[s->server_cnt++] = *a;
	else
		s->server_overflow = true;
}

/* Linear counting (Whang et al. 1990): n ~ m ln(m / zero bits). */
static uint64_t svc_server_estimate(const struct svc *s)
{
	uint32_t zero = 0;

	for (uint32_t i = 0; i < WS_REPORT_SERVER_BITS; i++)
		if (!(s->server_bits[i / 8] & (1u << (i % 8))))
			zero++;
	if (zero == 0)
		zero = 1;
	return (uint64_t)llround(WS_REPORT_SERVER_BITS * log((double)WS_REPORT_SERVER_BITS / zero));
}

static void heap_down(struct conv *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct conv t;

		if (l < n && h[l].bytes < h[m].bytes)
			m = l;
		if (l + 1 < n && h[l + 1].bytes < h[m].bytes)
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void heap_up(struct conv *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct conv t;

		if (h[p].bytes <= h[i].bytes)
			return;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

static void top_add(struct ws_report *r, const struct ws_flow *f)
{
	struct conv c = {
		.id = f->id, .proto = f->proto, .cli = f->cli, .srv = f->srv,
		.cport = f->cport, .sport = f->sport,
		.app = f->app ? f->app->name : NULL,
		.pkts = { f->pkts[0], f->pkts[1] },
		.bytes = f->bytes[0] + f->bytes[1],
		.dur_ns = f->last_ns - f->first_ns,
		.state = f->state,
	};

	if (r->top_cnt < WS_REPORT_TOP_FLOWS) {
		r->top[r->top_cnt] = c;
		heap_up(r->top, r->top_cnt);
		r->top_cnt++;
	} else if (c.bytes > r->top[0].bytes) {
		r->top[0] = c;
		heap_down(r->top, r->top_cnt, 0);
	}
}

/* ---- logins and SMB ---- */

static void login_add(struct ws_report *r, const struct ws_flow *f, const struct ws_ev_login *l)
{
	const char *svc = l->service ? l->service : "unknown";
	const char *method = l->method ? l->method : "";
	const char *stn = l->status_name ? l->status_name : "";
	char user[96];
	struct login_row *row = NULL;

	if (l->domain[0])
		snprintf(user, sizeof(user), "%.40s\\%.50s", l->domain, l->user[0] ? l->user : (l->anonymous ? "(anonymous)" : "(empty)"));
	else
		snprintf(user, sizeof(user), "%.90s", l->user[0] ? l->user : (l->anonymous ? "(anonymous)" : "(empty)"));
	for (uint32_t i = 0; i < r->login_cnt; i++) {
		struct login_row *x = &r->logins[i];

		if (ws_addr_eq(&x->cli, &f->cli) && ws_addr_eq(&x->srv, &f->srv) && strncmp(x->service, svc, sizeof(x->service) - 1) == 0 &&
		    strcmp(x->user, user) == 0 && strncmp(x->method, method, sizeof(x->method) - 1) == 0) {
			row = x;
			break;
		}
	}
	if (!row) {
		if (r->login_cnt >= WS_REPORT_LOGIN_ROWS) {
			r->logins_dropped++;
			return;
		}
		row = &r->logins[r->login_cnt++];
		snprintf(row->service, sizeof(row->service), "%.15s", svc);
		row->cli = f->cli;
		row->srv = f->srv;
		snprintf(row->user, sizeof(row->user), "%s", user);
		snprintf(row->method, sizeof(row->method), "%.15s", method);
	}
	if (l->success > 0) {
		row->ok++;
		return;
	}
	if (l->success < 0) {
		row->unknown++;
		return;
	}
	row->failed++;
	if (!stn[0])
		stn = "unknown";
	for (uint32_t i = 0; i < row->st_cnt; i++)
		if (strcmp(row->st[i].name, stn) == 0) {
			row->st[i].cnt++;
			return;
		}
	if (row->st_cnt >= WS_REPORT_LOGIN_STATUS) {
		row->st_other++;
		return;
	}
	snprintf(row->st[row->st_cnt].name, sizeof(row->st[0].name), "%.47s", stn);
	row->st[row->st_cnt++].cnt = 1;
}

static struct smb_row *smb_get(struct smb_list *l, const struct ws_addr *cli, const struct ws_addr *srv,
			       const char *a, const char *b)
{
	static const struct ws_addr none;
	struct smb_row *x;

	cli = cli ? cli : &none;
	srv = srv ? srv : &none;
	for (uint32_t i = 0; i < l->cnt; i++) {
		x = &l->v[i];
		if (ws_addr_eq(&x->cli, cli) && ws_addr_eq(&x->srv, srv) &&
		    strncmp(x->a, a, sizeof(x->a) - 1) == 0 && strncmp(x->b, b, sizeof(x->b) - 1) == 0)
			return x;
	}
	if (l->cnt >= WS_REPORT_SMB_ROWS) {
		l->dropped++;
		return NULL;
	}
	x = &l->v[l->cnt++];
	x->cli = *cli;
	x->srv = *srv;
	snprintf(x->a, sizeof(x->a), "%.*s", (int)sizeof(x->a) - 1, a);
	snprintf(x->b, sizeof(x->b), "%.*s", (int)sizeof(x->b) - 1, b);
	return x;
}

static bool smb_is(const struct ws_ev_smb *m, uint16_t smb1, uint16_t smb2)
{
	return m->version == 1 ? m->command == smb1 : m->command == smb2;
}

static void smb_add(struct ws_report *r, const struct ws_flow *f, const struct ws_ev_smb *m)
{
	struct smb_row *x;
	char share[WS_SMB_PATH_MAX], name[WS_SMB_PATH_MAX];

	r->smb_events++;
	if (m->dialect && smb_is(m, 0x72, 0x0000)) {
		x = smb_get(r->dialects, NULL, NULL, m->dialect, "");
		if (x)
			x->cnt++;
	}
	/* As the detector judges it: an answered SMB1 message that is not an SMB1 negotiate answered with SMB 2. */
	if (m->version == 1 && m->has_response && !(m->command == 0x72 && m->dialect && strncmp(m->dialect, "SMB 2", 5) == 0)) {
		x = smb_get(r->smb1, &f->cli, &f->srv, "", "");
		if (x)
			x->cnt++;
	}
	snprintf(share, sizeof(share), "%.*s", (int)sizeof(share) - 1, m->share);
	snprintf(name, sizeof(name), "%.*s", (int)sizeof(name) - 1, m->filename);
	if (share[0]) {
		char svc[sizeof(m->service) + 1];

		snprintf(svc, sizeof(svc), "%.*s", (int)sizeof(m->service), m->service);
		/* The service is known on the tree connect; later requests name the share only. */
		x = smb_get(r->shares, NULL, &f->srv, share, "");
		if (x) {
			x->cnt++;
			if (svc[0] && !x->svc[0])
				snprintf(x->svc, sizeof(x->svc), "%.15s", svc);
		}
	}
	if (name[0]) {
		x = smb_get(r->files, NULL, &f->srv, share, name);
		if (!x)
			return;
		if (smb_is(m, 0xa2, 0x0005) || smb_is(m, 0x2d, 0x0005))
			x->cnt++;
		if (smb_is(m, 0x2e, 0x0008) || smb_is(m, 0x0a, 0x0008))
			x->read += m->data_length;
		if (smb_is(m, 0x2f, 0x0009) || smb_is(m, 0x0b, 0x0009))
			x->written += m->data_length;
	}
}

void ws_report_on_event(void *user, const struct ws_event *ev)
{
	struct ws_report *r = user;
	const struct ws_flow *f;
	struct svc *s;

	if (ev->type == WS_EV_LOGIN && ev->flow && ev->body) {
		login_add(r, ev->flow, ev->body);
		return;
	}
	if (ev->type == WS_EV_SMB && ev->flow && ev->body) {
		smb_add(r, ev->flow, ev->body);
		return;
	}
	if (ev->type != WS_EV_FLOW)
		return;
	f = ev->body ? ev->body : ev->flow;
	if (!f)
		return;
	r->flows++;
	s = svc_row(r, f->app);
	s->flows++;
	s->pkts += f->pkts[0] + f->pkts[1];
	s->bytes += f->bytes[0] + f->bytes[1];
	if (f->app) {
		if (f->ident == WS_IDENT_PAYLOAD)
			s->by_payload++;
		else if (f->ident == WS_IDENT_EXPECTED)
			s->by_expected++;
		else
			s->by_port++;
	}
	svc_server(s, &f->srv);
	top_add(r, f);
}

/* ---- text helpers ---- */

struct pen {
	FILE *out;
	bool color;
};

static void on(const struct pen *p, const char *sgr)
{
	if (p->color)
		fprintf(p->out, "\033[%sm", sgr);
}

static void off(const struct pen *p)
{
	if (p->color)
		fputs("\033[0m", p->out);
}

/* s into dst (cap bytes), control bytes as \xHH; returns strlen(dst). */
static size_t safe_copy(char *dst, size_t cap, const char *s)
{
	size_t n = 0;

	if (!cap)
		return 0;
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			if (n + 4 >= cap)
				break;
			snprintf(dst + n, cap - n, "\\x%02x", *c);
			n += 4;
		} else {
			if (n + 1 >= cap)
				break;
			dst[n++] = (char)*c;
		}
	}
	dst[n] = '\0';
	return n;
}

static const char *human_bytes(uint64_t b, char buf[32])
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)b;
	int u = 0;

	if (b < 1024) {
		snprintf(buf, 32, "%llu B", (unsigned long long)b);
		return buf;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, 32, "%.1f %s", v, unit[u]);
	return buf;
}

static const char *human_dur(int64_t ns, char buf[32])
{
	int64_t s;

	if (ns < 0)
		ns = 0;
	s = ns / WS_NS_PER_SEC;
	if (s < 60)
		snprintf(buf, 32, "%.3f s", (double)ns / 1e9);
	else if (s < 3600)
		snprintf(buf, 32, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else
		snprintf(buf, 32, "%lldh%02lldm%02llds", (long long)(s / 3600),
			 (long long)(s / 60 % 60), (long long)(s % 60));
	return buf;
}

static const char *l4_name(uint8_t proto, char buf[8])
{
	switch (proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	default:
		snprintf(buf, 8, "ip%u", proto);
		return buf;
	}
}

/* addr:port, [v6]:port; the bare address for port-less protocols. */
static const char *endpoint(const struct ws_addr *a, uint16_t port, uint8_t proto, char buf[64])
{
	char t[WS_ADDR_STRLEN];

	ws_addr_fmt(a, t);
	if (proto != 6 && proto != 17 && proto != 132)
		snprintf(buf, 64, "%s", t);
	else if (a->v == 6)
		snprintf(buf, 64, "[%s]:%u", t, port);
	else
		snprintf(buf, 64, "%s:%u", t, port);
	return buf;
}

/* ---- tables ---- */

#define TBL_COLS 9
#define TBL_CELL 160

struct table {
	size_t ncol;
	size_t nrow;
	size_t cap;
	bool right[TBL_COLS];
	char (*cell)[TBL_COLS][TBL_CELL];
};

static bool tbl_init(struct table *t, size_t rows, const char *const *head, const bool *right, size_t ncol)
{
	t->ncol = ncol;
	t->nrow = 1;
	t->cap = rows + 1;
	t->cell = calloc(t->cap, sizeof(*t->cell));
	if (!t->cell)
		return false;
	for (size_t c = 0; c < ncol; c++) {
		safe_copy(t->cell[0][c], TBL_CELL, head[c]);
		t->right[c] = right[c];
	}
	return true;
}

/* A new row; NULL when the table is full. */
static char (*tbl_row(struct table *t))[TBL_CELL]
{
	if (t->nrow >= t->cap)
		return NULL;
	return t->cell[t->nrow++];
}

static void tbl_print(const struct pen *p, const struct table *t)
{
	size_t w[TBL_COLS] = { 0 };

	for (size_t r = 0; r < t->nrow; r++)
		for (size_t c = 0; c < t->ncol; c++) {
			size_t n = strlen(t->cell[r][c]);

			if (n > w[c])
				w[c] = n;
		}
	for (size_t r = 0; r < t->nrow; r++) {
		fputs("  ", p->out);
		if (r == 0)
			on(p, "4");
		for (size_t c = 0; c < t->ncol; c++) {
			const char *s = t->cell[r][c];
			int pad = (int)(w[c] - strlen(s));
			bool last = c + 1 == t->ncol;

			if (t->right[c])
				fprintf(p->out, "%*s%s", pad, "", s);
			else
				fprintf(p->out, "%s%*s", s, last ? 0 : pad, "");
			if (!last)
				fputs("  ", p->out);
		}
		if (r == 0)
			off(p);
		fputc('\n', p->out);
	}
}

static void tbl_free(struct table *t)
{
	free(t->cell);
	t->cell = NULL;
}

static void heading(const struct pen *p, const char *title)
{
	fputc('\n', p->out);
	on(p, "1");
	fputs(title, p->out);
	off(p);
	fputc('\n', p->out);
}

static void field(const struct pen *p, const char *name, const char *value)
{
	char safe[1024];

	safe_copy(safe, sizeof(safe), value);
	fprintf(p->out, "  %-16s %s\n", name, safe);
}

/* ---- sections ---- */

static void sec_capture(const struct pen *p, const struct ws_run_stats *st, const struct ws_report_files *files)
{
	char buf[1024], a[32], b[32];
	size_t n = 0;

	heading(p, "Capture");
	if (files && files->cnt) {
		for (uint32_t i = 0; i < files->cnt && n < sizeof(buf); i++) {
			const char *fmt = files->formats && files->formats[i] ? files->formats[i] : "";

			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s%s", i ? ", " : "",
					      files->names && files->names[i] ? files->names[i] : "?",
					      fmt[0] ? " (" : "", fmt, fmt[0] ? ")" : "");
		}
		field(p, files->cnt > 1 ? "Files" : "File", buf);
	}
	if (!st) {
		field(p, "Packets", "no totals");
		return;
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st->packets);
	field(p, "Packets", buf);
	snprintf(buf, sizeof(buf), "%s (%llu bytes on the wire, %llu captured)", human_bytes(st->bytes, a),
		 (unsigned long long)st->bytes, (unsigned long long)st->captured_bytes);
	field(p, "Bytes", buf);
	if (st->packets) {
		char t[WS_TIME_STRLEN];

		snprintf(buf, sizeof(buf), "%s UTC", ws_time_human(st->first_ns, t));
		field(p, "First packet", buf);
		snprintf(buf, sizeof(buf), "%s UTC", ws_time_human(st->last_ns, t));
		field(p, "Last packet", buf);
		field(p, "Duration", human_dur(st->last_ns - st->first_ns, b));
	}
	n = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < st->linktype_cnt && i < 8 && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %llu", i ? ", " : "",
				      ws_linktype_name(st->linktype_ids[i]),
				      (unsigned long long)st->linktype_pkts[i]);
	field(p, "Link types", n ? buf : "none");
	n = (size_t)snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st->decode_errors_total);
	if (st->decode_errors_total) {
		bool first = true;

		for (int e = 1; e < WS_DE__COUNT && e < 32 && n < sizeof(buf); e++) {
			if (!st->decode_errors[e])
				continue;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %llu", first ? " (" : ", ",
					      ws_decode_err_name((enum ws_decode_err)e),
					      (unsigned long long)st->decode_errors[e]);
			first = false;
		}
		if (!first && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, ")");
	}
	field(p, "Decode errors", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st->non_ip);
	field(p, "Non-IP frames", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st->filtered);
	field(p, "Filtered out", buf);
	snprintf(buf, sizeof(buf), "%llu (%llu timed out, %llu evicted at the cap, largest live %llu)",
		 (unsigned long long)st->flows, (unsigned long long)st->flows_timed_out,
		 (unsigned long long)st->flows_evicted, (unsigned long long)st->flows_live_max);
	field(p, "Flows", buf);
	if (st->reasm_gaps || st->reasm_retransmissions) {
		snprintf(buf, sizeof(buf), "%llu gaps (%llu bytes missing), %llu retransmissions, %llu overlaps",
			 (unsigned long long)st->reasm_gaps, (unsigned long long)st->reasm_gap_bytes,
			 (unsigned long long)st->reasm_retransmissions, (unsigned long long)st->reasm_overlaps);
		field(p, "TCP streams", buf);
	}
	if (!st->read_errors && !st->skipped_blocks && (!files || !files->problem_cnt)) {
		field(p, "Read problems", "none");
		return;
	}
	snprintf(buf, sizeof(buf), "%llu file(s) ended early, %llu unreadable block(s) skipped",
		 (unsigned long long)st->read_errors, (unsigned long long)st->skipped_blocks);
	field(p, "Read problems", buf);
	for (uint32_t i = 0; files && files->problems && i < files->problem_cnt; i++)
		field(p, "", files->problems[i]);
}

static void sec_services(const struct pen *p, const struct ws_report *r)
{
	static const char *const head[] = { "Service", "Flows", "Packets", "Bytes", "Servers",
					    "Identified by", "Server addresses" };
	static const bool right[] = { false, true, true, true, true, false, false };
	struct table t;
	size_t order[256];
	size_t n = 0;

	heading(p, "Services");
	if (!r->flows) {
		fputs("  No flows.\n", p->out);
		return;
	}
	/* Rows by bytes, largest first; "unknown" and "other" last. */
	for (size_t i = 1; i < r->svc_cnt && n < 254; i++)
		order[n++] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && r->svc[order[j]].bytes > r->svc[order[j - 1]].bytes; j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	if (r->svc[r->svc_cap - 1].flows)
		order[n++] = r->svc_cap - 1;
	if (r->svc[0].flows)
		order[n++] = 0;
	if (!tbl_init(&t, n, head, right, 7))
		return;
	for (size_t k = 0; k < n; k++) {
		const struct svc *s = &r->svc[order[k]];
		char (*row)[TBL_CELL] = tbl_row(&t);
		char a[32];
		size_t m = 0;

		if (!row)
			break;
		safe_copy(row[0], TBL_CELL, s->name);
		snprintf(row[1], TBL_CELL, "%llu", (unsigned long long)s->flows);
		snprintf(row[2], TBL_CELL, "%llu", (unsigned long long)s->pkts);
		snprintf(row[3], TBL_CELL, "%s", human_bytes(s->bytes, a));
		if (s->server_overflow)
			snprintf(row[4], TBL_CELL, "~%llu", (unsigned long long)svc_server_estimate(s));
		else
			snprintf(row[4], TBL_CELL, "%u", s->server_cnt);
		if (s->app)
			snprintf(row[5], TBL_CELL, "payload %llu, port %llu%s",
				 (unsigned long long)s->by_payload, (unsigned long long)s->by_port,
				 s->by_expected ? ", announced" : "");
		else
			snprintf(row[5], TBL_CELL, "-");
		for (uint32_t i = 0; i < s->server_cnt && i < WS_REPORT_SERVERS_LISTED; i++) {
			char t4[WS_ADDR_STRLEN];

			m += (size_t)snprintf(row[6] + m, TBL_CELL - m, "%s%s", i ? ", " : "",
					      ws_addr_fmt(&s->servers[i], t4));
			if (m >= TBL_CELL)
				break;
		}
		if (m < TBL_CELL && (s->server_cnt > WS_REPORT_SERVERS_LISTED || s->server_overflow))
			snprintf(row[6] + m, TBL_CELL - m, ", ...");
	}
	tbl_print(p, &t);
	tbl_free(&t);
}

static const char *const role_prio[] = {
	"domain controller", "backup domain controller", "domain master browser", "master browser",
	"file server", "print server", "SQL server", "web server (IIS)", "Exchange server",
};

static void role_summary(const struct ws_host *h, char *buf, size_t cap)
{
	size_t n = 0;
	uint32_t cnt = h->service_cnt < WS_HOST_SERVICES_MAX ? h->service_cnt : WS_HOST_SERVICES_MAX;

	buf[0] = '\0';
	if (h->win && h->win->role_cnt) {
				uint32_t roles = h->win->role_cnt < WS_HOST_ROLES_MAX ? h->win->role_cnt : WS_HOST_ROLES_MAX;

		const char *pick[3];
		uint32_t np = 0;

		/* Roles that matter most to an analyst first, then the others as seen. */
		for (size_t k = 0; k < sizeof(role_prio) / sizeof(role_prio[0]) && np < 3; k++)
			for (uint32_t i = 0; i < roles; i++)
				if (strcmp(h->win->roles[i], role_prio[k]) == 0 && np < 3)
					pick[np++] = h->win->roles[i];
		for (uint32_t i = 0; i < roles && np < 3; i++) {
			bool dup = false;

			for (uint32_t j = 0; j < np; j++)
				dup = dup || pick[j] == h->win->roles[i];
			if (!dup)
				pick[np++] = h->win->roles[i];
		}
		for (uint32_t i = 0; i < np && n < cap; i++)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", pick[i]);
		if (n < cap && roles + h->win->roles_dropped > 3)
			n += (size_t)snprintf(buf + n, cap - n, " +%u roles", roles + h->win->roles_dropped - 3);
	}
	for (uint32_t i = 0; i < cnt && i < 4 && n < cap; i++) {
		const struct ws_host_service *s = &h->services[i];
		const char *lead = i ? ", " : n ? "; server: " : "server: ";
		char l4[8];

		if (s->app)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s(%u)", lead, s->app, s->port);
		else
			n += (size_t)snprintf(buf + n, cap - n, "%s%s/%u", lead, l4_name(s->proto, l4), s->port);
	}
	if (n < cap && cnt + h->services_dropped > 4)
		n += (size_t)snprintf(buf + n, cap - n, " +%u more", cnt + h->services_dropped - 4);
	if (n < cap && h->flows_as_client)
		n += (size_t)snprintf(buf + n, cap - n, "%sclient in %llu flow%s", n ? "; " : "",
				      (unsigned long long)h->flows_as_client, h->flows_as_client == 1 ? "" : "s");
	if (n < cap && h->peers)
		snprintf(buf + n, cap - n, "%s%llu peer%s", n ? "; " : "",
			 (unsigned long long)h->peers, h->peers == 1 ? "" : "s");
}

static void sec_hosts(const struct pen *p, const struct ws_inventory *inv)
{
	static const char *const head[] = { "Address", "MAC", "Role", "Packets", "Bytes" };
	static const bool right[] = { false, false, false, true, true };
	const struct ws_host *top[WS_REPORT_TOP_HOSTS];
	size_t n = 0, total;
	struct table t;

	heading(p, "Hosts");
	total = inv ? ws_inventory_count(inv) : 0;
	if (!total) {
		fputs("  No hosts.\n", p->out);
		return;
	}
	/* The busiest WS_REPORT_TOP_HOSTS by bytes, by insertion into a short sorted array. */
	for (size_t i = 0; i < total; i++) {
		const struct ws_host *h = ws_inventory_at(inv, i);
		uint64_t b = h->bytes_sent + h->bytes_recv;
		size_t j;

		if (n == WS_REPORT_TOP_HOSTS && b <= top[n - 1]->bytes_sent + top[n - 1]->bytes_recv)
			continue;
		j = n < WS_REPORT_TOP_HOSTS ? n++ : n - 1;
		while (j > 0 && top[j - 1]->bytes_sent + top[j - 1]->bytes_recv < b) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = h;
	}
	if (!tbl_init(&t, n, head, right, 5))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ws_host *h = top[i];
		char (*row)[TBL_CELL] = tbl_row(&t);
		char a[32];

		ws_addr_fmt(&h->addr, row[0]);
		if (h->has_mac)
			snprintf(row[1], TBL_CELL, "%02x:%02x:%02x:%02x:%02x:%02x", h->mac[0], h->mac[1],
				 h->mac[2], h->mac[3], h->mac[4], h->mac[5]);
		else
			snprintf(row[1], TBL_CELL, "-");
		role_summary(h, row[2], TBL_CELL);
		snprintf(row[3], TBL_CELL, "%llu", (unsigned long long)(h->pkts_sent + h->pkts_recv));
		snprintf(row[4], TBL_CELL, "%s", human_bytes(h->bytes_sent + h->bytes_recv, a));
	}
	tbl_print(p, &t);
	tbl_free(&t);
	if (total > n)
		fprintf(p->out, "  (%zu more hosts, fewer bytes)\n", total - n);
}

/* ---- NetBIOS names, logins, SMB ---- */

static int host_addr_cmp(const void *x, const void *y)
{
	const struct ws_host *a = *(const struct ws_host *const *)x;
	const struct ws_host *b = *(const struct ws_host *const *)y;

	return ws_addr_cmp(&a->addr, &b->addr);
}

static const char *nb_type_name(enum ws_nb_group g)
{
	return g == WS_NB_GROUP ? "group" : g == WS_NB_UNIQUE ? "unique" : "?";
}

/* "a, b, c" of a list of fixed-size strings; each escaped. */
static void text_list(char *buf, size_t cap, const char *base, size_t stride, uint32_t cnt, uint32_t max)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < cnt && i < max && n + 3 < cap; i++) {
		char one[TBL_CELL];

		safe_copy(one, sizeof(one), base + i * stride);
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", one);
	}
}

static void sec_netbios(const struct pen *p, const struct ws_inventory *inv)
{
	static const char *const head[] = { "Host", "Name", "Type", "Meaning", "Roles, OS" };
	static const bool right[] = { false, false, false, false, false };
	const struct ws_host *hosts[WS_REPORT_NB_HOSTS];
	size_t n = 0, more = 0, rows = 0, total = inv ? ws_inventory_count(inv) : 0;
	struct table t;

	for (size_t i = 0; i < total; i++) {
		const struct ws_host *h = ws_inventory_at(inv, i);

		if (!h->win || !h->win->name_cnt)
			continue;
		if (n == WS_REPORT_NB_HOSTS) {
			more++;
			continue;
		}
		hosts[n++] = h;
		rows += h->win->name_cnt < WS_HOST_NB_NAMES_MAX ? h->win->name_cnt : WS_HOST_NB_NAMES_MAX;
	}
	if (!n)
		return;
	heading(p, "NetBIOS names");
	qsort(hosts, n, sizeof(hosts[0]), host_addr_cmp);
	if (!tbl_init(&t, rows, head, right, 5))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ws_host_win *w = hosts[i]->win;
		uint32_t cnt = w->name_cnt < WS_HOST_NB_NAMES_MAX ? w->name_cnt : WS_HOST_NB_NAMES_MAX;

		for (uint32_t k = 0; k < cnt; k++) {
			const struct ws_host_nbname *e = &w->names[k];
			char (*row)[TBL_CELL] = tbl_row(&t);
			char nm[TBL_CELL];

			if (!row)
				break;
			safe_copy(nm, sizeof(nm), e->name);
			snprintf(row[1], TBL_CELL, "%.100s<%02X>", nm, e->suffix);
			snprintf(row[2], TBL_CELL, "%s", nb_type_name(e->type));
			snprintf(row[3], TBL_CELL, "%s", e->meaning ? e->meaning : "-");
			if (k)
				continue;
			ws_addr_fmt(&hosts[i]->addr, row[0]);
			{
				size_t m = 0;

				for (uint32_t j = 0; j < w->role_cnt && j < WS_HOST_ROLES_MAX && m < TBL_CELL; j++)
					m += (size_t)snprintf(row[4] + m, TBL_CELL - m, "%s%s", j ? ", " : "", w->roles[j]);
				if (w->os_cnt && m + 4 < TBL_CELL) {
					char os[TBL_CELL];

					text_list(os, sizeof(os), w->os[0], sizeof(w->os[0]), w->os_cnt, WS_HOST_OS_MAX);
					snprintf(row[4] + m, TBL_CELL - m, "%s%s", m ? "; " : "", os);
				}
			}
		}
	}
	tbl_print(p, &t);
	tbl_free(&t);
	if (more)
		fprintf(p->out, "  (%zu more hosts with NetBIOS names)\n", more);
}

static int login_cmp(const void *x, const void *y)
{
	const struct login_row *a = *(const struct login_row *const *)x;
	const struct login_row *b = *(const struct login_row *const *)y;
	uint64_t na = a->ok + a->failed + a->unknown, nb = b->ok + b->failed + b->unknown;

	if (na != nb)
		return na < nb ? 1 : -1;
	return a < b ? -1 : a > b;
}

static void sec_logins(const struct pen *p, const struct ws_report *r)
{
	static const char *const head[] = { "Service", "Client", "Server", "User", "Method", "OK", "Failed",
					    "Failures by status" };
	static const bool right[] = { false, false, false, false, false, true, true, false };
	const struct login_row *v[WS_REPORT_LOGIN_ROWS];
	size_t n = r->login_cnt, shown;
	struct table t;

	if (!n)
		return;
	heading(p, "Logins");
	for (size_t i = 0; i < n; i++)
		v[i] = &r->logins[i];
	qsort(v, n, sizeof(v[0]), login_cmp);
	shown = n < WS_REPORT_TOP_LOGINS ? n : WS_REPORT_TOP_LOGINS;
	if (!tbl_init(&t, shown, head, right, 8))
		return;
	for (size_t i = 0; i < shown; i++) {
		const struct login_row *x = v[i];
		char (*row)[TBL_CELL] = tbl_row(&t);
		size_t m = 0;

		safe_copy(row[0], TBL_CELL, x->service);
		ws_addr_fmt(&x->cli, row[1]);
		ws_addr_fmt(&x->srv, row[2]);
		safe_copy(row[3], TBL_CELL, x->user);
		safe_copy(row[4], TBL_CELL, x->method[0] ? x->method : "-");
		snprintf(row[5], TBL_CELL, "%llu", (unsigned long long)x->ok);
		snprintf(row[6], TBL_CELL, "%llu", (unsigned long long)x->failed);
		for (uint32_t k = 0; k < x->st_cnt && m < TBL_CELL; k++) {
			char nm[64];

			safe_copy(nm, sizeof(nm), x->st[k].name);
			m += (size_t)snprintf(row[7] + m, TBL_CELL - m, "%s%s %llu", k ? ", " : "", nm,
					      (unsigned long long)x->st[k].cnt);
		}
		if (m < TBL_CELL && x->st_other)
			m += (size_t)snprintf(row[7] + m, TBL_CELL - m, ", other %llu", (unsigned long long)x->st_other);
		if (!m)
			snprintf(row[7], TBL_CELL, "-");
	}
	tbl_print(p, &t);
	tbl_free(&t);
	if (n > shown || r->logins_dropped)
		fprintf(p->out, "  (%zu more rows with fewer attempts%s)\n", n - shown,
			r->logins_dropped ? ", and more past the report's cap" : "");
}

static int smb_cnt_cmp(const void *x, const void *y)
{
	const struct smb_row *a = *(const struct smb_row *const *)x;
	const struct smb_row *b = *(const struct smb_row *const *)y;
	uint64_t na = a->cnt + a->read + a->written, nb = b->cnt + b->read + b->written;

	if (na != nb)
		return na < nb ? 1 : -1;
	return a < b ? -1 : a > b;
}

/* The rows of l, most used first, at most WS_REPORT_TOP_SMB; returns how many. */
static size_t smb_sorted(const struct smb_list *l, const struct smb_row **v)
{
	for (uint32_t i = 0; i < l->cnt; i++)
		v[i] = &l->v[i];
	qsort(v, l->cnt, sizeof(v[0]), smb_cnt_cmp);
	return l->cnt < WS_REPORT_TOP_SMB ? l->cnt : WS_REPORT_TOP_SMB;
}

static void smb_more(const struct pen *p, const struct smb_list *l, size_t shown, const char *what)
{
	if (l->cnt > shown || l->dropped)
		fprintf(p->out, "  (%zu more %s%s)\n", (size_t)(l->cnt - shown), what,
			l->dropped ? ", and more past the report's cap" : "");
}

static void sec_smb(const struct pen *p, const struct ws_report *r)
{
	const struct smb_row *v[WS_REPORT_SMB_ROWS];
	char buf[1024];
	size_t n, m = 0;
	struct table t;

	if (!r->smb_events)
		return;
	heading(p, "SMB");
	n = smb_sorted(r->dialects, v);
	buf[0] = '\0';
	for (size_t i = 0; i < n && m < sizeof(buf); i++) {
		char d[64];

		safe_copy(d, sizeof(d), v[i]->a);
		m += (size_t)snprintf(buf + m, sizeof(buf) - m, "%s%s (%llu)", i ? ", " : "", d,
				      (unsigned long long)v[i]->cnt);
	}
	field(p, "Dialects", m ? buf : "none negotiated in the capture");
	n = smb_sorted(r->smb1, v);
	m = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && m < sizeof(buf); i++) {
		char a[WS_ADDR_STRLEN], b[WS_ADDR_STRLEN];

		m += (size_t)snprintf(buf + m, sizeof(buf) - m, "%s%s -> %s (%llu messages)", i ? ", " : "",
				      ws_addr_fmt(&v[i]->cli, a), ws_addr_fmt(&v[i]->srv, b),
				      (unsigned long long)v[i]->cnt);
	}
	field(p, "SMB1", m ? buf : "not seen");
	if (r->shares->cnt) {
		static const char *const head[] = { "Server", "Share", "Type", "Requests" };
		static const bool right[] = { false, false, false, true };

		n = smb_sorted(r->shares, v);
		if (tbl_init(&t, n, head, right, 4)) {
			fputs("  Shares\n", p->out);
			for (size_t i = 0; i < n; i++) {
				char (*row)[TBL_CELL] = tbl_row(&t);

				ws_addr_fmt(&v[i]->srv, row[0]);
				safe_copy(row[1], TBL_CELL, v[i]->a);
				safe_copy(row[2], TBL_CELL, v[i]->svc[0] ? v[i]->svc : "-");
				snprintf(row[3], TBL_CELL, "%llu", (unsigned long long)v[i]->cnt);
			}
			tbl_print(p, &t);
			tbl_free(&t);
			smb_more(p, r->shares, n, "shares");
		}
	}
	if (r->files->cnt) {
		static const char *const head[] = { "Server", "Share", "File", "Opens", "Read", "Written" };
		static const bool right[] = { false, false, false, true, true, true };

		n = smb_sorted(r->files, v);
		if (tbl_init(&t, n, head, right, 6)) {
			fputs("  Files\n", p->out);
			for (size_t i = 0; i < n; i++) {
				char (*row)[TBL_CELL] = tbl_row(&t);
				char a[32];

				ws_addr_fmt(&v[i]->srv, row[0]);
				safe_copy(row[1], TBL_CELL, v[i]->a[0] ? v[i]->a : "-");
				safe_copy(row[2], TBL_CELL, v[i]->b);
				snprintf(row[3], TBL_CELL, "%llu", (unsigned long long)v[i]->cnt);
				snprintf(row[4], TBL_CELL, "%s", human_bytes(v[i]->read, a));
				snprintf(row[5], TBL_CELL, "%s", human_bytes(v[i]->written, a));
			}
			tbl_print(p, &t);
			tbl_free(&t);
			smb_more(p, r->files, n, "files");
		}
	}
}

static int conv_cmp(const void *x, const void *y)
{
	const struct conv *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? 1 : -1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void sec_conversations(const struct pen *p, const struct ws_report *r)
{
	static const char *const head[] = { "Client", "Server", "Service", "Pkts >", "Pkts <",
					    "Bytes", "Duration", "State", "Flow" };
	static const bool right[] = { false, false, false, true, true, true, true, false, true };
	struct conv c[WS_REPORT_TOP_FLOWS];
	struct table t;

	heading(p, "Top conversations");
	if (!r->top_cnt) {
		fputs("  No flows.\n", p->out);
		return;
	}
	memcpy(c, r->top, r->top_cnt * sizeof(c[0]));
	qsort(c, r->top_cnt, sizeof(c[0]), conv_cmp);
	if (!tbl_init(&t, r->top_cnt, head, right, 9))
		return;
	for (size_t i = 0; i < r->top_cnt; i++) {
		char (*row)[TBL_CELL] = tbl_row(&t);
		char e[64], a[32], l4[8];

		snprintf(row[0], TBL_CELL, "%s", endpoint(&c[i].cli, c[i].cport, c[i].proto, e));
		snprintf(row[1], TBL_CELL, "%s", endpoint(&c[i].srv, c[i].sport, c[i].proto, e));
		snprintf(row[2], TBL_CELL, "%s/%s", l4_name(c[i].proto, l4), c[i].app ? c[i].app : "unknown");
		snprintf(row[3], TBL_CELL, "%llu", (unsigned long long)c[i].pkts[0]);
		snprintf(row[4], TBL_CELL, "%llu", (unsigned long long)c[i].pkts[1]);
		snprintf(row[5], TBL_CELL, "%s", human_bytes(c[i].bytes, a));
		snprintf(row[6], TBL_CELL, "%s", human_dur(c[i].dur_ns, a));
		snprintf(row[7], TBL_CELL, "%s", ws_flow_state_name(c[i].state));
		snprintf(row[8], TBL_CELL, "%llu", (unsigned long long)c[i].id);
	}
	tbl_print(p, &t);
	tbl_free(&t);
	fputs("  (> client to server, < server to client)\n", p->out);
}

/* Words of s (already escaped) wrapped at width columns, each line indented. */
static void wrap(FILE *out, const char *s, size_t indent, size_t width)
{
	size_t col = 0;

	while (*s) {
		size_t w = 0;

		while (*s == ' ' || *s == '\n')
			s++;
		while (s[w] && s[w] != ' ' && s[w] != '\n')
			w++;
		if (!w)
			break;
		if (col && col + 1 + w > width) {
			fputc('\n', out);
			col = 0;
		}
		if (!col) {
			fprintf(out, "%*s", (int)indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(s, 1, w, out);
		col += w;
		s += w;
	}
	if (col)
		fputc('\n', out);
}

static int finding_cmp(const void *x, const void *y)
{
	const struct ws_finding *a = *(const struct ws_finding *const *)x;
	const struct ws_finding *b = *(const struct ws_finding *const *)y;

	if (a->severity != b->severity)
		return a->severity < b->severity ? 1 : -1;
	if (a->first_ns != b->first_ns)
		return a->first_ns < b->first_ns ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static const char *sev_color(enum ws_severity s)
{
	switch (s) {
	case WS_SEV_CRITICAL:
	case WS_SEV_HIGH: return "1;31";
	case WS_SEV_MEDIUM: return "33";
	default: return "36";
	}
}

static void one_finding(const struct pen *p, const struct ws_finding *f)
{
	char text[WS_FINDING_TEXT_MAX * 4 + 1];
	char sev[16], a[WS_ADDR_STRLEN], t1[WS_TIME_STRLEN], t2[WS_TIME_STRLEN];
	const char *name = ws_severity_name(f->severity);
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof(sev); i++)
		sev[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
	sev[i] = '\0';
	fputc('\n', p->out);
	on(p, sev_color(f->severity));
	fprintf(p->out, "[%s]", sev);
	off(p);
	safe_copy(text, sizeof(text), f->title);
	fprintf(p->out, " %s\n", text);
	safe_copy(text, sizeof(text), f->explanation);
	wrap(p->out, text, 4, 100);

	fprintf(p->out, "    %-10s %s", "Source", f->src.v ? ws_addr_fmt(&f->src, a) : "various");
	fprintf(p->out, " -> %s", f->dst.v ? ws_addr_fmt(&f->dst, a) : "many hosts");
	if (f->dst_port)
		fprintf(p->out, " port %u", f->dst_port);
	fputc('\n', p->out);
	if (f->service[0]) {
		safe_copy(text, sizeof(text), f->service);
		fprintf(p->out, "    %-10s %s\n", "Service", text);
	}
	fprintf(p->out, "    %-10s %llu, from %s to %s UTC\n", "Seen", (unsigned long long)f->count,
		ws_time_human(f->first_ns, t1), ws_time_human(f->last_ns, t2));
	if (f->flow_id_cnt || f->pkt_cnt) {
		uint32_t nf = f->flow_id_cnt < WS_FINDING_EVIDENCE_MAX ? f->flow_id_cnt : WS_FINDING_EVIDENCE_MAX;
		uint32_t np = f->pkt_cnt < WS_FINDING_EVIDENCE_MAX ? f->pkt_cnt : WS_FINDING_EVIDENCE_MAX;

		fprintf(p->out, "    %-10s", "Evidence");
		if (nf) {
			fputs(" flows", p->out);
			for (uint32_t k = 0; k < nf; k++)
				fprintf(p->out, "%s%llu", k ? ", " : " ", (unsigned long long)f->flow_ids[k]);
			if (np)
				fputc(';', p->out);
		}
		if (np) {
			fputs(" packets", p->out);
			for (uint32_t k = 0; k < np; k++) {
				fprintf(p->out, "%s%llu", k ? ", " : " ", (unsigned long long)f->pkts[k]);
				if (f->pkt_file[k])
					fprintf(p->out, " (file %u)", f->pkt_file[k] + 1);
			}
		}
		if (f->evidence_total > (uint64_t)(nf > np ? nf : np))
			fprintf(p->out, " (of %llu)", (unsigned long long)f->evidence_total);
		fputc('\n', p->out);
	}
	if (f->mitre_id) {
		safe_copy(text, sizeof(text), f->mitre_name ? f->mitre_name : "");
		fprintf(p->out, "    %-10s %s %s\n", "MITRE", f->mitre_id, text);
	}
	if (f->detail[0]) {
		safe_copy(text, sizeof(text), f->detail);
		fprintf(p->out, "    %s\n", "Detail");
		wrap(p->out, text, 6, 100);
	}
}

static void sec_findings(const struct pen *p, const struct ws_findings *fs)
{
	size_t n = fs ? ws_findings_count(fs) : 0;
	const struct ws_finding **v;

	heading(p, "Findings");
	if (!n) {
		fputs("  No findings.\n", p->out);
		return;
	}
	v = malloc(n * sizeof(*v));
	if (!v) {
		fputs("  (out of memory listing findings)\n", p->out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = ws_findings_at(fs, i);
	qsort(v, n, sizeof(*v), finding_cmp);
	for (size_t i = 0; i < n; i++)
		one_finding(p, v[i]);
	free(v);
}

void ws_report_print(struct ws_report *r, FILE *out, const struct ws_run_stats *st,
		     const struct ws_inventory *inv, const struct ws_findings *fs,
		     const struct ws_report_files *files, enum ws_report_color color)
{
	struct pen p = { out, false };

	if (color == WS_REPORT_COLOR_ALWAYS)
		p.color = true;
	else if (color == WS_REPORT_COLOR_AUTO)
		p.color = isatty(fileno(out)) && !getenv("NO_COLOR");
	sec_capture(&p, st, files);
	sec_services(&p, r);
	sec_hosts(&p, inv);
	sec_netbios(&p, inv);
	sec_logins(&p, r);
	sec_smb(&p, r);
	sec_conversations(&p, r);
	sec_findings(&p, fs);
}
