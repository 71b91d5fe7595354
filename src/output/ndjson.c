/*
 * ndjson.c - the NDJSON event writer (see ndjson.h).
 *
 * Format: one JSON text (RFC 8259) per line, LF-terminated (NDJSON), in
 * Suricata's EVE envelope: timestamp, event_type, flow_id, pcap_cnt, src_ip,
 * src_port, dest_ip, dest_port, proto, app_proto, then one object named after
 * the event type (events.def). The fields of each body are documented in
 * docs/events.md; a field added here must be added there.
 *
 * Commas are placed by looking at the last byte written: after '{' or '['
 * none is needed. Keys are literals of this file (plain ASCII); every value
 * that comes from input goes through ws_sb_json_str.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"
#include "core/addr.h"
#include "core/limits.h"
#include "core/sb.h"
#include "core/timefmt.h"
#include "decode/decode.h"
#include "detect/finding.h"
#include "flow/flow.h"
#include "inventory/inventory.h"
#include "proto/proto.h"
#include "output/ndjson.h"

struct ws_ndjson {
	FILE *out;
	struct ws_sb sb;	/* the line being built, reused for every event */
	uint64_t lines;
	uint64_t truncated;
	/* The last second formatted ("2026-11-22T03:49:05"): gmtime is the
	 * costliest step of a line, and events come in time order. */
	int64_t cached_sec;
	char cached[WS_TIME_STRLEN];
};

struct ws_ndjson *ws_ndjson_new(FILE *out)
{
	struct ws_ndjson *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->out = out;
	ws_sb_init(&w->sb, WS_JSON_LINE_MAX);
	return w;
}

void ws_ndjson_free(struct ws_ndjson *w)
{
	if (!w)
		return;
	ws_sb_free(&w->sb);
	free(w);
}

uint64_t ws_ndjson_lines(const struct ws_ndjson *w)
{
	return w->lines;
}

uint64_t ws_ndjson_truncated(const struct ws_ndjson *w)
{
	return w->truncated;
}

/* ---- small writers ---- */

static void sep(struct ws_sb *sb)
{
	char last = sb->len ? sb->buf[sb->len - 1] : '\0';

	if (last != '{' && last != '[' && last != '\0')
		ws_sb_addc(sb, ',');
}

/* ,"k": */
static void key(struct ws_sb *sb, const char *k)
{
	sep(sb);
	ws_sb_addc(sb, '"');
	ws_sb_add(sb, k);
	ws_sb_addn(sb, "\":", 2);
}

static void put_u64(struct ws_sb *sb, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ws_sb_addn(sb, tmp + i, sizeof(tmp) - i);
}

static void kv_u64(struct ws_sb *sb, const char *k, uint64_t v)
{
	key(sb, k);
	put_u64(sb, v);
}

static void kv_str(struct ws_sb *sb, const char *k, const char *v)
{
	key(sb, k);
	ws_sb_json_str(sb, v);
}

static void kv_bool(struct ws_sb *sb, const char *k, bool v)
{
	key(sb, k);
	ws_sb_add(sb, v ? "true" : "false");
}

/* "2026-11-22T03:49:05.123456Z"; the seconds part is formatted once per second. */
static void kv_time(struct ws_ndjson *w, const char *k, int64_t ns)
{
	struct ws_sb *sb = &w->sb;
	int64_t sec = ns / WS_NS_PER_SEC;
	int64_t frac = ns % WS_NS_PER_SEC;
	char us[8];

	if (frac < 0) {
		frac += WS_NS_PER_SEC;
		sec--;
	}
	if (!w->cached[0] || w->cached_sec != sec) {
		ws_time_rfc3339(sec * WS_NS_PER_SEC, w->cached);
		w->cached[19] = '\0';	/* keep "YYYY-MM-DDTHH:MM:SS" */
		w->cached_sec = sec;
	}
	key(sb, k);
	ws_sb_addc(sb, '"');
	ws_sb_addn(sb, w->cached, 19);
	frac /= 1000;
	us[0] = '.';
	for (int i = 6; i >= 1; i--) {
		us[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	us[7] = 'Z';
	ws_sb_addn(sb, us, 8);
	ws_sb_addc(sb, '"');
}

static void kv_addr(struct ws_sb *sb, const char *k, const struct ws_addr *a)
{
	char t[WS_ADDR_STRLEN];

	key(sb, k);
	ws_sb_addc(sb, '"');
	ws_sb_add(sb, ws_addr_fmt(a, t));
	ws_sb_addc(sb, '"');
}

static void kv_mac(struct ws_sb *sb, const char *k, const uint8_t m[6])
{
	static const char hex[] = "0123456789abcdef";
	char t[19];

	for (int i = 0; i < 6; i++) {
		t[i * 3] = hex[m[i] >> 4];
		t[i * 3 + 1] = hex[m[i] & 15];
		t[i * 3 + 2] = ':';
	}
	t[17] = '"';
	key(sb, k);
	ws_sb_addc(sb, '"');
	ws_sb_addn(sb, t, 18);
}

/* The EVE proto value: the name Suricata uses, else the number as a string. */
static void kv_proto(struct ws_sb *sb, uint8_t proto)
{
	key(sb, "proto");
	switch (proto) {
	case 6: ws_sb_add(sb, "\"TCP\""); break;
	case 17: ws_sb_add(sb, "\"UDP\""); break;
	case 1: ws_sb_add(sb, "\"ICMP\""); break;
	case 58: ws_sb_add(sb, "\"IPv6-ICMP\""); break;
	case 132: ws_sb_add(sb, "\"SCTP\""); break;
	default:
		ws_sb_addc(sb, '"');
		put_u64(sb, proto);
		ws_sb_addc(sb, '"');
		break;
	}
}

static bool has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

/* ---- envelope ---- */

static void envelope_head(struct ws_ndjson *w, const struct ws_event *ev)
{
	struct ws_sb *sb = &w->sb;
	ws_sb_addc(sb, '{');
	kv_time(w, "timestamp", ev->ts_ns);
	kv_str(sb, "event_type", ws_ev_name(ev->type));
}

static void envelope_flow(struct ws_ndjson *w, const struct ws_event *ev, const struct ws_flow *f)
{
	struct ws_sb *sb = &w->sb;
	kv_u64(sb, "flow_id", f->id);
	if (ev->pkt_num)
		kv_u64(sb, "pcap_cnt", ev->pkt_num);
	kv_addr(sb, "src_ip", &f->cli);
	if (has_ports(f->proto))
		kv_u64(sb, "src_port", f->cport);
	kv_addr(sb, "dest_ip", &f->srv);
	if (has_ports(f->proto))
		kv_u64(sb, "dest_port", f->sport);
	kv_proto(sb, f->proto);
	kv_str(sb, "app_proto", f->app && f->app->name ? f->app->name : "unknown");
}

/* ---- bodies ---- */

static void tcp_flags_hex(struct ws_sb *sb, const char *k, uint8_t flags)
{
	key(sb, k);
	ws_sb_addf(sb, "\"%02x\"", flags);
}

static void body_flow(struct ws_ndjson *w, const struct ws_flow *f)
{
	struct ws_sb *sb = &w->sb;
	int64_t age = (f->last_ns - f->first_ns) / WS_NS_PER_SEC;

	key(sb, "flow");
	ws_sb_addc(sb, '{');
	kv_time(w, "start", f->first_ns);
	kv_time(w, "end", f->last_ns);
	kv_u64(sb, "pkts_toserver", f->pkts[WS_DIR_TO_SERVER]);
	kv_u64(sb, "pkts_toclient", f->pkts[WS_DIR_TO_CLIENT]);
	kv_u64(sb, "bytes_toserver", f->bytes[WS_DIR_TO_SERVER]);
	kv_u64(sb, "bytes_toclient", f->bytes[WS_DIR_TO_CLIENT]);
	kv_str(sb, "state", ws_flow_state_name(f->state));
	kv_str(sb, "end_reason", ws_flow_end_name(f->end_reason));
	kv_str(sb, "identified_by", ws_ident_name(f->ident));
	kv_bool(sb, "nonstandard_port", f->nonstd_port != 0);
	kv_u64(sb, "age", age > 0 ? (uint64_t)age : 0);
	if (f->proto == 6) {
		tcp_flags_hex(sb, "tcp_flags", (uint8_t)(f->tcp_flags[0] | f->tcp_flags[1]));
		tcp_flags_hex(sb, "tcp_flags_ts", f->tcp_flags[WS_DIR_TO_SERVER]);
		tcp_flags_hex(sb, "tcp_flags_tc", f->tcp_flags[WS_DIR_TO_CLIENT]);
	}
	if (f->parent_id)
		kv_u64(sb, "parent_flow_id", f->parent_id);
	if (f->has_mac & WS_FLOW_MAC_CLI)
		kv_mac(sb, "src_mac", f->cli_mac);
	if (f->has_mac & WS_FLOW_MAC_SRV)
		kv_mac(sb, "dest_mac", f->srv_mac);
	ws_sb_addc(sb, '}');
}

static void body_anomaly(struct ws_sb *sb, const struct ws_ev_anomaly *a)
{
	key(sb, "anomaly");
	ws_sb_addc(sb, '{');
	kv_str(sb, "layer", a->layer ? a->layer : "");
	kv_str(sb, "name", a->name ? a->name : "");
	if (a->detail)
		kv_str(sb, "detail", a->detail);
	ws_sb_addc(sb, '}');
}

/* A char array filled by a detector: bounded by its size even without a NUL. */
static void kv_arr(struct ws_sb *sb, const char *k, const char *s, size_t cap)
{
	key(sb, k);
	ws_sb_json_strn(sb, s, strnlen(s, cap));
}

static void envelope_finding(struct ws_ndjson *w, const struct ws_event *ev, const struct ws_finding *f)
{
	struct ws_sb *sb = &w->sb;
	if (ev->flow)
		kv_u64(sb, "flow_id", ev->flow->id);
	if (ev->pkt_num)
		kv_u64(sb, "pcap_cnt", ev->pkt_num);
	if (f->src.v)
		kv_addr(sb, "src_ip", &f->src);
	if (f->dst.v)
		kv_addr(sb, "dest_ip", &f->dst);
	if (f->dst_port)
		kv_u64(sb, "dest_port", f->dst_port);
	if (f->proto)
		kv_proto(sb, f->proto);
	if (f->service[0])
		kv_arr(sb, "app_proto", f->service, sizeof(f->service));
}

static void body_finding(struct ws_ndjson *w, const struct ws_finding *f)
{
	struct ws_sb *sb = &w->sb;
	uint32_t n;
	bool multi_file = false;

	key(sb, "finding");
	ws_sb_addc(sb, '{');
	kv_u64(sb, "id", f->id);
	kv_str(sb, "kind", f->kind ? f->kind : "");
	kv_str(sb, "severity", ws_severity_name(f->severity));
	kv_arr(sb, "title", f->title, sizeof(f->title));
	kv_arr(sb, "explanation", f->explanation, sizeof(f->explanation));
	kv_arr(sb, "service", f->service, sizeof(f->service));
	kv_u64(sb, "count", f->count);
	kv_time(w, "first_seen", f->first_ns);
	kv_time(w, "last_seen", f->last_ns);

	key(sb, "evidence");
	ws_sb_addc(sb, '{');
	key(sb, "flow_ids");
	ws_sb_addc(sb, '[');
	n = f->flow_id_cnt < WS_FINDING_EVIDENCE_MAX ? f->flow_id_cnt : WS_FINDING_EVIDENCE_MAX;
	for (uint32_t i = 0; i < n; i++) {
		sep(sb);
		put_u64(sb, f->flow_ids[i]);
	}
	ws_sb_addc(sb, ']');
	key(sb, "packets");
	ws_sb_addc(sb, '[');
	n = f->pkt_cnt < WS_FINDING_EVIDENCE_MAX ? f->pkt_cnt : WS_FINDING_EVIDENCE_MAX;
	for (uint32_t i = 0; i < n; i++) {
		sep(sb);
		put_u64(sb, f->pkts[i]);
		if (f->pkt_file[i])
			multi_file = true;
	}
	ws_sb_addc(sb, ']');
	if (multi_file) {
		/* Packet numbers restart in every file: say which file each is in. */
		key(sb, "packet_files");
		ws_sb_addc(sb, '[');
		for (uint32_t i = 0; i < n; i++) {
			sep(sb);
			put_u64(sb, f->pkt_file[i]);
		}
		ws_sb_addc(sb, ']');
	}
	kv_u64(sb, "total", f->evidence_total);
	ws_sb_addc(sb, '}');

	if (f->mitre_id) {
		key(sb, "mitre");
		ws_sb_addc(sb, '{');
		kv_str(sb, "technique_id", f->mitre_id);
		if (f->mitre_name)
			kv_str(sb, "technique", f->mitre_name);
		ws_sb_addc(sb, '}');
	}
	if (f->detail[0])
		kv_arr(sb, "detail", f->detail, sizeof(f->detail));
	ws_sb_addc(sb, '}');
}

static const char *l4_name(uint8_t proto)
{
	switch (proto) {
	case 6: return "TCP";
	case 17: return "UDP";
	case 132: return "SCTP";
	default: return NULL;
	}
}

static void body_host(struct ws_ndjson *w, const struct ws_host *h)
{
	struct ws_sb *sb = &w->sb;
	uint32_t n = h->service_cnt < WS_HOST_SERVICES_MAX ? h->service_cnt : WS_HOST_SERVICES_MAX;

	key(sb, "host");
	ws_sb_addc(sb, '{');
	kv_addr(sb, "ip", &h->addr);
	if (h->has_mac)
		kv_mac(sb, "mac", h->mac);
	kv_time(w, "first_seen", h->first_ns);
	kv_time(w, "last_seen", h->last_ns);
	kv_u64(sb, "pkts_sent", h->pkts_sent);
	kv_u64(sb, "pkts_recv", h->pkts_recv);
	kv_u64(sb, "bytes_sent", h->bytes_sent);
	kv_u64(sb, "bytes_recv", h->bytes_recv);
	kv_u64(sb, "flows_as_client", h->flows_as_client);
	kv_u64(sb, "flows_as_server", h->flows_as_server);
	kv_u64(sb, "peers", h->peers);
	key(sb, "services");
	ws_sb_addc(sb, '[');
	for (uint32_t i = 0; i < n; i++) {
		const struct ws_host_service *s = &h->services[i];
		const char *pn = l4_name(s->proto);

		sep(sb);
		ws_sb_addc(sb, '{');
		key(sb, "proto");
		if (pn) {
			ws_sb_json_str(sb, pn);
		} else {
			ws_sb_addc(sb, '"');
			put_u64(sb, s->proto);
			ws_sb_addc(sb, '"');
		}
		kv_u64(sb, "port", s->port);
		kv_str(sb, "app_proto", s->app ? s->app : "unknown");
		kv_u64(sb, "flows", s->flows);
		kv_u64(sb, "clients", s->clients);
		ws_sb_addc(sb, '}');
	}
	ws_sb_addc(sb, ']');
	if (h->services_dropped)
		kv_u64(sb, "services_dropped", h->services_dropped);
	ws_sb_addc(sb, '}');
}

static void linktypes(struct ws_sb *sb, const struct ws_run_stats *st)
{
	uint32_t n = st->linktype_cnt < 8 ? st->linktype_cnt : 8;

	key(sb, "link_types");
	ws_sb_addc(sb, '{');
	for (uint32_t i = 0; i < n; i++) {
		const char *name = ws_linktype_name(st->linktype_ids[i]);
		uint64_t cnt = st->linktype_pkts[i];
		bool dup = false;

		/* Two link type numbers can share a name (raw IP): one key, summed. */
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(ws_linktype_name(st->linktype_ids[j]), name) == 0)
				dup = true;
		if (dup)
			continue;
		for (uint32_t j = i + 1; j < n; j++)
			if (strcmp(ws_linktype_name(st->linktype_ids[j]), name) == 0)
				cnt += st->linktype_pkts[j];
		sep(sb);
		ws_sb_json_str(sb, name);
		ws_sb_addc(sb, ':');
		put_u64(sb, cnt);
	}
	ws_sb_addc(sb, '}');
}

static void body_stats(struct ws_ndjson *w, const struct ws_run_stats *st)
{
	struct ws_sb *sb = &w->sb;
	key(sb, "stats");
	ws_sb_addc(sb, '{');
	kv_u64(sb, "files", st->files);
	kv_u64(sb, "packets", st->packets);
	kv_u64(sb, "bytes", st->bytes);
	kv_u64(sb, "captured_bytes", st->captured_bytes);
	if (st->packets) {
		kv_time(w, "first_ts", st->first_ns);
		kv_time(w, "last_ts", st->last_ns);
	}
	linktypes(sb, st);
	kv_u64(sb, "decode_errors_total", st->decode_errors_total);
	key(sb, "decode_errors");
	ws_sb_addc(sb, '{');
	for (int e = 0; e < WS_DE__COUNT && e < 32; e++) {
		if (!st->decode_errors[e])
			continue;
		kv_u64(sb, ws_decode_err_name((enum ws_decode_err)e), st->decode_errors[e]);
	}
	ws_sb_addc(sb, '}');
	kv_u64(sb, "non_ip", st->non_ip);
	kv_u64(sb, "frag_held", st->frag_held);
	kv_u64(sb, "frag_datagrams", st->frag_datagrams);
	kv_u64(sb, "filtered", st->filtered);
	kv_u64(sb, "skipped_blocks", st->skipped_blocks);
	kv_u64(sb, "read_errors", st->read_errors);
	kv_u64(sb, "flows", st->flows);
	kv_u64(sb, "flows_timed_out", st->flows_timed_out);
	kv_u64(sb, "flows_evicted", st->flows_evicted);
	kv_u64(sb, "flows_port_reuse", st->flows_port_reuse);
	kv_u64(sb, "flows_live_max", st->flows_live_max);
	kv_u64(sb, "reasm_gaps", st->reasm_gaps);
	kv_u64(sb, "reasm_gap_bytes", st->reasm_gap_bytes);
	kv_u64(sb, "reasm_retransmissions", st->reasm_retransmissions);
	kv_u64(sb, "reasm_overlaps", st->reasm_overlaps);
	kv_u64(sb, "reasm_ooo_limit", st->reasm_ooo_limit);
	kv_u64(sb, "app_pending_limit", st->app_pending_limit);
	kv_u64(sb, "anomalies", st->anomalies);
	kv_u64(sb, "findings", st->findings);
	ws_sb_addc(sb, '}');
}

/* ---- dispatch ---- */

static void build(struct ws_ndjson *w, const struct ws_event *ev)
{
	struct ws_sb *sb = &w->sb;
	envelope_head(w, ev);
	switch (ev->type) {
	case WS_EV_FLOW: {
		const struct ws_flow *f = ev->body ? ev->body : ev->flow;

		if (f) {
			envelope_flow(w, ev, f);
			body_flow(w, f);
		}
		break;
	}
	case WS_EV_ANOMALY:
		if (ev->flow)
			envelope_flow(w, ev, ev->flow);
		else if (ev->pkt_num)
			kv_u64(sb, "pcap_cnt", ev->pkt_num);
		if (ev->body)
			body_anomaly(sb, ev->body);
		break;
	case WS_EV_FINDING:
		if (ev->body) {
			envelope_finding(w, ev, ev->body);
			body_finding(w, ev->body);
		}
		break;
	case WS_EV_HOST:
		if (ev->body) {
			kv_addr(sb, "src_ip", &((const struct ws_host *)ev->body)->addr);
			body_host(w, ev->body);
		}
		break;
	case WS_EV_STATS:
		if (ev->body)
			body_stats(w, ev->body);
		break;
	default:
		/* A type added to events.def before this writer knows it: envelope only. */
		if (ev->flow)
			envelope_flow(w, ev, ev->flow);
		break;
	}
	ws_sb_addn(sb, "}\n", 2);
}

void ws_ndjson_on_event(void *user, const struct ws_event *ev)
{
	struct ws_ndjson *w = user;
	struct ws_sb *sb = &w->sb;

	ws_sb_reset(sb);
	build(w, ev);
	if (sb->overflow) {
		/* Past WS_JSON_LINE_MAX (or out of memory): the envelope alone, marked. */
		ws_sb_reset(sb);
		envelope_head(w, ev);
		if (ev->flow)
			kv_u64(sb, "flow_id", ev->flow->id);
		kv_bool(sb, "truncated", true);
		ws_sb_addn(sb, "}\n", 2);
		w->truncated++;
		if (sb->overflow)
			return;
	}
	fwrite(sb->buf, 1, sb->len, w->out);
	w->lines++;
}
