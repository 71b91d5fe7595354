/*
 * engine.c - the pipeline driver: source -> decode -> flow -> reassembly ->
 * protocol identification and parsers -> events (see engine.h).
 *
 * Identification (proto.h): when a flow is created, the protocol registered
 * for its server port, if any, is its tentative service (identified_by
 * "port"); a payload probe that says YES replaces it (identified_by
 * "payload"), and so does an expectation announced by another flow (FTP data).
 * netbios-ssn is the one label a later, more specific YES may upgrade: a TCP
 * 139 session that carries SMB is "smb".
 *
 * Parsers get in-order bytes: reassembly hands over contiguous chunks; the
 * bytes a parser leaves unconsumed are kept per direction (WS_APP_PENDING_MAX)
 * and handed again, with what follows, when enough has arrived.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"
#include "core/limits.h"
#include "core/rd.h"
#include "engine/engine.h"
#include "proto/proto.h"
#include "reasm/reasm.h"

/* Expected connections announced by parsers (FTP PORT/PASV), a ring. */
#define WS_EXPECT_MAX 256
/*
 * A probe sees the start of a direction's stream, at most this much: what was
 * delivered so far is kept (only while probing) so that a message split over
 * segments, such as a Telnet login prompt after option negotiation, is judged
 * whole. 1 KiB holds every magic and header the probes look at.
 */
#define WS_PROBE_BYTES_MAX 1024

struct ws_expect {
	struct ws_addr addr;
	uint16_t port;
	const struct ws_proto *proto;
	uint64_t parent_id;
	int64_t ts_ns;
};

/* Bytes a parser left unconsumed in one direction. */
struct ws_pending {
	uint8_t *buf;
	size_t len;
	size_t cap;
	size_t need;		/* total wanted before the next feed; 0 = any more */
};

/* The engine's per-flow record (flow->user). */
struct ws_eflow {
	struct ws_pending pend[2];
	uint8_t *probe_buf[2];	/* stream start kept while probing, NULL once done */
	uint16_t probe_len[2];
};

struct ws_pctx {
	struct ws_engine *e;
	struct ws_flow *f;
	const struct ws_packet *p;
};

struct ws_file {
	char *name;
	char format[24];
};

struct ws_engine {
	struct ws_engine_cfg cfg;
	struct ws_bus *bus;
	struct ws_decoder *dec;
	struct ws_flow_table *ft;
	struct ws_run_stats st;
	struct ws_reasm_stats rst;
	ws_pkt_fn pkt_fn;
	void *pkt_user;
	struct ws_file *files;
	uint32_t file_cnt;
	struct ws_src *live;
	volatile sig_atomic_t stop;
	int64_t last_expire_ns;
	bool finished;

	/* the packet in flight */
	const struct ws_packet *cur;
	char info[WS_INFO_MAX];
	size_t info_len;
	const char *info_label;

	struct ws_expect expect[WS_EXPECT_MAX];
	uint32_t expect_next;
	uint32_t expect_cnt;
};

void ws_engine_cfg_default(struct ws_engine_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	ws_flow_cfg_default(&cfg->flow);
}

/* ---- parser context (proto.h) ---- */

struct ws_flow *ws_pctx_flow(struct ws_pctx *c)
{
	return c->f;
}

const struct ws_packet *ws_pctx_packet(struct ws_pctx *c)
{
	return c->p;
}

static void emit(struct ws_engine *e, enum ws_ev_type type, const struct ws_flow *f,
		 const struct ws_packet *p, const void *body)
{
	struct ws_event ev = {
		.type = type,
		.ts_ns = p ? p->ts_ns : (f ? f->last_ns : e->st.last_ns),
		.pkt_num = p ? p->num : 0,
		.file_idx = p ? p->file_idx : (f ? f->file_idx : 0),
		.flow = f,
		.body = body,
	};

	ws_bus_emit(e->bus, &ev);
}

void ws_pctx_emit(struct ws_pctx *c, enum ws_ev_type type, const void *body)
{
	emit(c->e, type, c->f, c->p, body);
}

void ws_pctx_info(struct ws_pctx *c, const char *fmt, ...)
{
	struct ws_engine *e = c->e;
	va_list ap;
	int n;

	if (!e->cfg.want_info || !c->p || c->p != e->cur)
		return;
	if (e->info_len > 0 && e->info_len + 2 < sizeof(e->info)) {
		memcpy(e->info + e->info_len, "; ", 2);
		e->info_len += 2;
	}
	if (e->info_len + 1 >= sizeof(e->info))
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->info + e->info_len, sizeof(e->info) - e->info_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		e->info_len += (size_t)n < sizeof(e->info) - e->info_len ? (size_t)n : sizeof(e->info) - e->info_len - 1;
	if (!e->info_label && c->f && c->f->app)
		e->info_label = c->f->app->label;
}

bool ws_pctx_show_credentials(struct ws_pctx *c)
{
	return c->e->cfg.show_credentials;
}

void ws_pctx_label(struct ws_pctx *c, const char *label)
{
	if (c->e->cfg.want_info && c->p && c->p == c->e->cur)
		c->e->info_label = label;
}

static void anomaly(struct ws_engine *e, struct ws_flow *f, const struct ws_packet *p,
		    const char *layer, const char *name, const char *detail)
{
	struct ws_ev_anomaly a = { layer, name, detail };

	e->st.anomalies++;
	if (f) {
		if (f->anomaly_cnt >= WS_FLOW_ANOMALY_EVENTS_MAX)
			return;
		f->anomaly_cnt++;
	}
	emit(e, WS_EV_ANOMALY, f, p, &a);
}

void ws_pctx_anomaly(struct ws_pctx *c, const char *name, const char *detail)
{
	anomaly(c->e, c->f, c->p, "app", name, detail);
}

void ws_pctx_expect(struct ws_pctx *c, const struct ws_addr *addr, uint16_t port, const char *proto_name)
{
	struct ws_engine *e = c->e;
	const struct ws_proto *p = ws_proto_by_name(proto_name);
	struct ws_expect *x;

	if (!p)
		return;
	x = &e->expect[e->expect_next];
	x->addr = *addr;
	x->port = port;
	x->proto = p;
	x->parent_id = c->f ? c->f->id : 0;
	x->ts_ns = c->p ? c->p->ts_ns : 0;
	e->expect_next = (e->expect_next + 1) % WS_EXPECT_MAX;
	if (e->expect_cnt < WS_EXPECT_MAX)
		e->expect_cnt++;
}

/* ---- parser plumbing ---- */

/* Ends the current parser: close() lets it report and free what it holds. */
static void app_state_end(struct ws_engine *e, struct ws_flow *f)
{
	if (f->app && f->app->close && f->app_state) {
		struct ws_pctx c = { e, f, NULL };

		f->app->close(&c, f->app_state);
	}
	free(f->app_state);
	f->app_state = NULL;
}

static void app_state_alloc(struct ws_engine *e, struct ws_flow *f, const struct ws_proto *old)
{
	const struct ws_proto *now = f->app;

	f->app = old;
	app_state_end(e, f);
	f->app = now;
	f->app_state = NULL;
	if (f->app && f->app->feed && f->app->state_size)
		f->app_state = calloc(1, f->app->state_size);
}

static void set_app(struct ws_engine *e, struct ws_flow *f, const struct ws_proto *p, enum ws_ident how)
{
	struct ws_eflow *ef = f->user;
	const struct ws_proto *old = f->app;

	if (f->app == p) {
		if (how > f->ident)
			f->ident = how;
		return;
	}
	if (f->app && p && f->app->feed && f->app->feed == p->feed && f->app_state) {
		/* One decoder under two labels (netbios-ssn upgraded to smb): keep its state. */
		f->app = p;
		f->ident = how;
		return;
	}
	f->app = p;
	f->ident = how;
	f->app_failed = 0;
	if (ef) {
		for (int d = 0; d < 2; d++)
			ef->pend[d].len = ef->pend[d].need = 0;
	}
	app_state_alloc(e, f, old);
}

static bool pending_append(struct ws_pending *pd, const uint8_t *data, size_t len)
{
	size_t want = pd->len + len;

	if (want > WS_APP_PENDING_MAX)
		return false;
	if (want > pd->cap) {
		size_t ncap = pd->cap ? pd->cap : 4096;
		uint8_t *nb;

		while (ncap < want)
			ncap *= 2;
		if (ncap > WS_APP_PENDING_MAX)
			ncap = WS_APP_PENDING_MAX;
		nb = realloc(pd->buf, ncap);
		if (!nb)
			return false;
		pd->buf = nb;
		pd->cap = ncap;
	}
	memcpy(pd->buf + pd->len, data, len);
	pd->len = want;
	return true;
}

/*
 * Feeds data to the parser until it stops consuming; returns how many bytes of
 * data were consumed (the rest is the caller's to keep).
 */
static size_t feed_loop(struct ws_pctx *c, enum ws_dir dir, const uint8_t *data, size_t len,
			size_t *need)
{
	struct ws_flow *f = c->f;
	size_t done = 0;

	*need = 0;
	while (done < len && !f->app_failed) {
		struct ws_rd r;
		struct ws_feed_res res;

		ws_rd_init(&r, data + done, len - done);
		res = f->app->feed(c, f->app_state, dir, &r);
		if (res.consumed > len - done)
			res.consumed = len - done;
		done += res.consumed;
		if (res.status == WS_FEED_ERROR) {
			f->app_failed = 1;
			anomaly(c->e, f, c->p, "app", "parser_error", f->app->name);
			break;
		}
		if (res.status == WS_FEED_INCOMPLETE) {
			*need = res.need;
			break;
		}
		if (res.consumed == 0)
			break;	/* OK without progress: wait for more */
	}
	return done;
}

static void deliver(struct ws_engine *e, struct ws_flow *f, enum ws_dir dir,
		    const uint8_t *data, size_t len, const struct ws_packet *p)
{
	struct ws_eflow *ef = f->user;
	struct ws_pending *pd = &ef->pend[dir];
	struct ws_pctx c = { e, f, p };
	size_t used;
	size_t need;

	if (!f->app || !f->app->feed || !f->app_state || f->app_failed)
		return;
	if (f->proto != 6) {
		/* A datagram is whole: what the parser leaves of it is not the start of the next. */
		(void)feed_loop(&c, dir, data, len, &need);
		return;
	}
	if (pd->len == 0) {
		/* Fast path: straight from the packet, keep only the rest. */
		used = feed_loop(&c, dir, data, len, &need);
		if (used < len && !f->app_failed) {
			if (!pending_append(pd, data + used, len - used)) {
				e->st.app_pending_limit++;
				anomaly(e, f, p, "app", "pending_limit", f->app->name);
				f->app_failed = 1;
			}
			pd->need = need;
		}
		return;
	}
	if (!pending_append(pd, data, len)) {
		e->st.app_pending_limit++;
		anomaly(e, f, p, "app", "pending_limit", f->app->name);
		f->app_failed = 1;
		pd->len = 0;
		return;
	}
	if (pd->need && pd->len < pd->need)
		return;
	used = feed_loop(&c, dir, pd->buf, pd->len, &need);
	memmove(pd->buf, pd->buf + used, pd->len - used);
	pd->len -= used;
	pd->need = need;
}

/* ---- identification ---- */

static uint8_t l4_of(const struct ws_flow *f)
{
	return f->proto == 6 ? WS_PROTO_TCP : WS_PROTO_UDP;
}

static bool is_upgradable(const struct ws_flow *f)
{
	return f->app && f->ident == WS_IDENT_PAYLOAD && strcmp(f->app->name, "netbios-ssn") == 0;
}

/* The protocol the ports suggest: the server's port first, then the client's. */
static const struct ws_proto *port_proto(const struct ws_flow *f)
{
	const struct ws_proto *p = ws_proto_by_port(l4_of(f), f->sport);

	return p ? p : ws_proto_by_port(l4_of(f), f->cport);
}

static enum ws_probe run_probe(const struct ws_proto *p, const uint8_t *data, size_t len,
			       enum ws_dir dir, uint8_t l4)
{
	struct ws_rd r;

	if (!p->probe || !(p->l4 & l4))
		return WS_PROBE_NO;
	ws_rd_init(&r, data, len);
	return p->probe(&r, dir, l4);
}

static void probe(struct ws_engine *e, struct ws_flow *f, enum ws_dir dir,
		  const uint8_t *data, size_t len, const struct ws_packet *p)
{
	uint8_t l4 = l4_of(f);
	const struct ws_proto *yes = NULL;
	const struct ws_proto *port_p = port_proto(f);
	size_t n = ws_proto_count();

	if (f->probe_done || len == 0)
		return;
	if (len > WS_PROBE_BYTES_MAX)
		len = WS_PROBE_BYTES_MAX;
	/* The port's protocol first, then every other. */
	if (port_p && run_probe(port_p, data, len, dir, l4) == WS_PROBE_YES)
		yes = port_p;
	for (size_t i = 0; !yes && i < n; i++) {
		const struct ws_proto *cand = ws_proto_at(i);

		if (cand == port_p)
			continue;
		if (is_upgradable(f) && cand == f->app)
			continue;
		if (run_probe(cand, data, len, dir, l4) == WS_PROBE_YES)
			yes = cand;
	}
	if (yes) {
		if (f->ident != WS_IDENT_PAYLOAD || is_upgradable(f) || f->app == yes) {
			if (f->app != yes && f->ident == WS_IDENT_PAYLOAD && !is_upgradable(f))
				anomaly(e, f, p, "app", "probe_mismatch", yes->name);
			set_app(e, f, yes, WS_IDENT_PAYLOAD);
			f->nonstd_port = !ws_proto_has_port(yes, l4, f->sport) &&
					 !ws_proto_has_port(yes, l4, f->cport);
		} else if (f->app != yes) {
			anomaly(e, f, p, "app", "probe_mismatch", yes->name);
		}
		if (f->app == yes)
			f->app_seen[dir] = 1;
	}
	if (f->probe_pkts[dir] < 255)
		f->probe_pkts[dir]++;
	/* Done once the service is known from payload on both sides, or the budget is spent. */
	if (f->ident == WS_IDENT_PAYLOAD && !is_upgradable(f) && f->app_seen[0] && f->app_seen[1])
		f->probe_done = 1;
	if (f->probe_pkts[0] >= WS_PROBE_PKTS_MAX && f->probe_pkts[1] >= WS_PROBE_PKTS_MAX)
		f->probe_done = 1;
	if (f->ident == WS_IDENT_EXPECTED)
		f->probe_done = 1;
}

/* ---- reassembly callbacks ---- */

struct reasm_user {
	struct ws_engine *e;
	struct ws_flow *f;
};

static void probe_bufs_free(struct ws_eflow *ef)
{
	for (int d = 0; d < 2; d++) {
		free(ef->probe_buf[d]);
		ef->probe_buf[d] = NULL;
		ef->probe_len[d] = 0;
	}
}

/* Probes the stream start of dir, with this chunk added to what came before. */
static void probe_stream(struct ws_engine *e, struct ws_flow *f, enum ws_dir dir,
			 const uint8_t *data, size_t len, const struct ws_packet *pkt)
{
	struct ws_eflow *ef = f->user;
	size_t have = ef->probe_len[dir];
	size_t add;

	if (have == 0) {
		/* The common case: the first segment says it all. */
		probe(e, f, dir, data, len, pkt);
		if (f->probe_done || f->app_seen[dir])
			goto out;
	}
	if (have >= WS_PROBE_BYTES_MAX)
		goto out;
	if (!ef->probe_buf[dir]) {
		ef->probe_buf[dir] = malloc(WS_PROBE_BYTES_MAX);
		if (!ef->probe_buf[dir])
			goto out;
	}
	add = len < WS_PROBE_BYTES_MAX - have ? len : WS_PROBE_BYTES_MAX - have;
	memcpy(ef->probe_buf[dir] + have, data, add);
	ef->probe_len[dir] = (uint16_t)(have + add);
	if (have > 0)
		probe(e, f, dir, ef->probe_buf[dir], ef->probe_len[dir], pkt);
out:
	if (f->probe_done)
		probe_bufs_free(ef);
}

static void on_stream_data(void *user, enum ws_dir dir, const uint8_t *data, size_t len,
			   const struct ws_packet *pkt)
{
	struct reasm_user *u = user;

	if (!u->f->probe_done)
		probe_stream(u->e, u->f, dir, data, len, pkt);
	deliver(u->e, u->f, dir, data, len, pkt);
}

static void on_stream_gap(void *user, enum ws_dir dir, uint32_t len, const struct ws_packet *pkt)
{
	struct reasm_user *u = user;
	struct ws_flow *f = u->f;
	struct ws_eflow *ef = f->user;
	char detail[64];

	snprintf(detail, sizeof(detail), "%u bytes missing %s", len,
		 dir == WS_DIR_TO_SERVER ? "to server" : "to client");
	anomaly(u->e, f, pkt, "stream", "tcp_gap", detail);
	/* A parser mid-message cannot resync by itself: drop what it held. */
	ef->pend[dir].len = 0;
	ef->pend[dir].need = 0;
	if (f->app && f->app->gap && f->app_state && !f->app_failed) {
		struct ws_pctx c = { u->e, f, pkt };

		f->app->gap(&c, f->app_state, dir, len);
	}
}

static const struct ws_reasm_cb reasm_cb = { on_stream_data, on_stream_gap };

/* ---- flows ---- */

static void match_expectation(struct ws_engine *e, struct ws_flow *f)
{
	for (uint32_t i = 0; i < e->expect_cnt; i++) {
		struct ws_expect *x = &e->expect[i];

		if (x->proto && x->port == f->sport && ws_addr_eq(&x->addr, &f->srv)) {
			set_app(e, f, x->proto, WS_IDENT_EXPECTED);
			f->parent_id = x->parent_id;
			f->probe_done = 1;
			x->proto = NULL;	/* used */
			return;
		}
	}
}

static void flow_new(struct ws_engine *e, struct ws_flow *f)
{
	struct ws_eflow *ef = calloc(1, sizeof(*ef));

	f->user = ef;
	e->st.flows++;
	if (f->proto == 6 || f->proto == 17) {
		const struct ws_proto *pp = port_proto(f);

		if (pp)
			set_app(e, f, pp, WS_IDENT_PORT);
		if (e->expect_cnt)
			match_expectation(e, f);
	} else {
		f->probe_done = 1;
	}
}

static void flow_end(void *user, struct ws_flow *f)
{
	struct ws_engine *e = user;
	struct ws_eflow *ef = f->user;

	if (f->reasm) {
		struct reasm_user u = { e, f };

		ws_reasm_flush(f->reasm, &reasm_cb, &u);
		ws_reasm_stats_add(f->reasm, &e->rst);
		ws_reasm_free(f->reasm);
		f->reasm = NULL;
	}
	/* Also after a parser error: close() frees what its state points to. */
	app_state_end(e, f);
	emit(e, WS_EV_FLOW, f, NULL, f);
	if (ef) {
		free(ef->pend[0].buf);
		free(ef->pend[1].buf);
		probe_bufs_free(ef);
		free(ef);
		f->user = NULL;
	}
}

static void count_linktype(struct ws_run_stats *st, int lt)
{
	for (uint32_t i = 0; i < st->linktype_cnt; i++) {
		if (st->linktype_ids[i] == lt) {
			st->linktype_pkts[i]++;
			return;
		}
	}
	if (st->linktype_cnt < 8) {
		st->linktype_ids[st->linktype_cnt] = lt;
		st->linktype_pkts[st->linktype_cnt] = 1;
		st->linktype_cnt++;
	}
}

static void process(struct ws_engine *e, struct ws_packet *p)
{
	struct ws_run_stats *st = &e->st;
	struct ws_flow *f = NULL;
	enum ws_dir dir = WS_DIR_TO_SERVER;
	enum ws_decode_err err;

	st->packets++;
	st->bytes += p->wirelen;
	st->captured_bytes += p->caplen;
	if (st->packets == 1 || p->ts_ns < st->first_ns)
		st->first_ns = p->ts_ns;
	if (p->ts_ns > st->last_ns)
		st->last_ns = p->ts_ns;
	count_linktype(st, p->linktype);
	e->cur = p;
	e->info_len = 0;
	e->info[0] = '\0';
	e->info_label = NULL;

	err = ws_decode(e->dec, p);
	if (err != WS_DE_NONE) {
		st->decode_errors_total++;
		if ((unsigned)err < 32)
			st->decode_errors[err]++;
	} else if (p->ip_ver == 0) {
		st->non_ip++;
	} else if (p->frag == WS_FRAG_HELD) {
		st->frag_held++;
	}

	if (err == WS_DE_NONE && p->ip_ver && p->l4_ok) {
		f = ws_flow_track(e->ft, p, &dir);
		if (f && f->pkts[0] + f->pkts[1] == 1)
			flow_new(e, f);
	}
	if (f && p->payload_len > 0 && (f->proto == 6 || f->proto == 17)) {
		if (f->proto == 17) {
			if (!f->probe_done)
				probe(e, f, dir, p->payload, p->payload_len, p);
			deliver(e, f, dir, p->payload, p->payload_len, p);
		}
	}
	if (f && f->proto == 6) {
		if (p->tcp.flags & WS_TH_SYN && !f->syn_seen[dir]) {
			f->syn_seen[dir] = 1;
			f->wscale[dir] = p->tcp.wscale;
		}
		if (p->tcp.flags & WS_TH_ACK && !f->ack_base_set[dir] && !f->isn_set[!dir]) {
			f->ack_base[dir] = p->tcp.ack - 1u;
			f->ack_base_set[dir] = 1;
		}
		/* Every segment goes to reassembly: SYN/FIN/ACK move sequence state too. */
		if (!f->reasm && (p->payload_len > 0 || (p->tcp.flags & (WS_TH_SYN | WS_TH_FIN))))
			f->reasm = ws_reasm_new();
		if (f->reasm) {
			struct reasm_user u = { e, f };

			ws_reasm_segment(f->reasm, dir, p, &reasm_cb, &u);
		}
	}
	if (e->pkt_fn)
		e->pkt_fn(e->pkt_user, p, f, dir, e->info_len ? e->info_label : NULL,
			  e->info_len ? e->info : NULL);
	e->cur = NULL;

	/* Timeouts run on the capture clock, at most once per capture second. */
	if (p->ts_ns - e->last_expire_ns >= 1000000000LL || p->ts_ns < e->last_expire_ns) {
		ws_flow_expire(e->ft, p->ts_ns);
		ws_decoder_expire(e->dec, p->ts_ns);
		e->last_expire_ns = p->ts_ns;
	}
}

/* ---- runs ---- */

struct ws_engine *ws_engine_new(const struct ws_engine_cfg *cfg, struct ws_bus *bus)
{
	struct ws_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->cfg = *cfg;
	e->bus = bus;
	e->dec = ws_decoder_new();
	e->ft = ws_flow_table_new(&e->cfg.flow, flow_end, e);
	if (!e->dec || !e->ft) {
		ws_engine_free(e);
		return NULL;
	}
	return e;
}

void ws_engine_free(struct ws_engine *e)
{
	if (!e)
		return;
	if (e->ft)
		ws_flow_table_free(e->ft);
	if (e->dec)
		ws_decoder_free(e->dec);
	for (uint32_t i = 0; i < e->file_cnt; i++)
		free(e->files[i].name);
	free(e->files);
	free(e);
}

void ws_engine_set_packet_hook(struct ws_engine *e, ws_pkt_fn fn, void *user)
{
	e->pkt_fn = fn;
	e->pkt_user = user;
}

static uint32_t add_file(struct ws_engine *e, const char *name, const char *format)
{
	struct ws_file *nf = realloc(e->files, (e->file_cnt + 1) * sizeof(*nf));

	if (!nf)
		return e->file_cnt ? e->file_cnt - 1 : 0;
	e->files = nf;
	nf[e->file_cnt].name = strdup(name);
	snprintf(nf[e->file_cnt].format, sizeof(nf[e->file_cnt].format), "%s", format);
	return e->file_cnt++;
}

static enum ws_run_status run_source(struct ws_engine *e, struct ws_src *src, uint32_t idx,
				     uint64_t count, char *err, size_t errlen)
{
	struct ws_raw_pkt raw;
	struct ws_packet p;
	uint64_t num = 0;
	enum ws_src_status s;
	enum ws_run_status rs = WS_RUN_OK;

	for (;;) {
		if (e->stop)
			break;
		s = ws_src_next(src, &raw, err, errlen);
		if (s == WS_SRC_EOF)
			break;
		if (s == WS_SRC_ERR) {
			e->st.read_errors++;
			rs = WS_RUN_CUT_SHORT;
			break;
		}
		memset(&p, 0, sizeof(p));
		p.num = ++num;
		p.file_idx = idx;
		p.ts_ns = raw.ts_ns;
		p.caplen = raw.caplen;
		p.wirelen = raw.wirelen;
		p.linktype = raw.linktype;
		p.data = raw.data;
		process(e, &p);
		if (count && num >= count)
			break;
	}
	e->st.filtered += ws_src_filtered(src);
	e->st.skipped_blocks += ws_src_skipped(src);
	return rs;
}

enum ws_run_status ws_engine_run_file(struct ws_engine *e, const char *path, char *err, size_t errlen)
{
	struct ws_src *src = NULL;
	enum ws_run_status rs;
	uint32_t idx;

	if (ws_src_open_file(&src, path, err, errlen) != 0)
		return WS_RUN_UNREADABLE;
	if (e->cfg.bpf && ws_src_set_filter(src, e->cfg.bpf, err, errlen) != 0) {
		ws_src_close(src);
		return WS_RUN_UNREADABLE;
	}
	idx = add_file(e, path, ws_src_format(src));
	e->st.files++;
	rs = run_source(e, src, idx, 0, err, errlen);
	ws_src_close(src);
	return rs;
}

enum ws_run_status ws_engine_run_live(struct ws_engine *e, const char *iface, uint64_t count,
				      char *err, size_t errlen)
{
	struct ws_src *src = NULL;
	enum ws_run_status rs;
	uint32_t idx;

	if (ws_src_open_live(&src, iface, 262144, 1, err, errlen) != 0)
		return WS_RUN_UNREADABLE;
	if (e->cfg.bpf && ws_src_set_filter(src, e->cfg.bpf, err, errlen) != 0) {
		ws_src_close(src);
		return WS_RUN_UNREADABLE;
	}
	idx = add_file(e, iface, "live");
	e->st.files++;
	e->live = src;
	rs = run_source(e, src, idx, count, err, errlen);
	e->live = NULL;
	ws_src_close(src);
	return rs;
}

void ws_engine_stop(struct ws_engine *e)
{
	e->stop = 1;
	if (e->live)
		ws_src_break(e->live);
}

void ws_engine_finish(struct ws_engine *e)
{
	const struct ws_flow_stats *fs;
	const struct ws_decode_stats *ds;

	if (e->finished)
		return;
	e->finished = true;
	ws_flow_flush(e->ft);
	fs = ws_flow_table_stats(e->ft);
	ds = ws_decoder_stats(e->dec);
	e->st.flows_timed_out = fs->timed_out;
	e->st.flows_evicted = fs->evicted;
	e->st.flows_port_reuse = fs->port_reuse;
	e->st.flows_live_max = fs->live_max;
	e->st.frag_datagrams = ds->frag_datagrams;
	e->st.reasm_gaps = e->rst.gaps;
	e->st.reasm_gap_bytes = e->rst.gap_bytes;
	e->st.reasm_retransmissions = e->rst.retransmissions;
	e->st.reasm_overlaps = e->rst.overlaps;
	e->st.reasm_ooo_limit = e->rst.ooo_limit;
}

void ws_engine_emit_stats(struct ws_engine *e)
{
	emit(e, WS_EV_STATS, NULL, NULL, &e->st);
}

struct ws_run_stats *ws_engine_stats_mut(struct ws_engine *e)
{
	return &e->st;
}

const struct ws_run_stats *ws_engine_stats(const struct ws_engine *e)
{
	return &e->st;
}

const char *ws_engine_file_name(const struct ws_engine *e, uint32_t file_idx)
{
	return file_idx < e->file_cnt ? e->files[file_idx].name : "";
}

const char *ws_engine_file_format(const struct ws_engine *e, uint32_t file_idx)
{
	return file_idx < e->file_cnt ? e->files[file_idx].format : "";
}

uint32_t ws_engine_file_count(const struct ws_engine *e)
{
	return e->file_cnt;
}
