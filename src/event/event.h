/*
 * event.h - typed events and the bus that carries them from parsers and the
 * engine to detectors, the inventory and the outputs.
 *
 * An event is emitted synchronously: every subscriber sees it, in subscription
 * order, before ws_bus_emit() returns; the event and its body are valid only
 * during that call (copy what must outlive it). Bodies are the structs named in
 * events.def; each is defined by the layer that fills it.
 */
#ifndef WS_EVENT_EVENT_H
#define WS_EVENT_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum ws_ev_type {
#define WS_EV(id, name, body, doc) WS_EV_##id,
#include "event/events.def"
#undef WS_EV
	WS_EV__COUNT
};

const char *ws_ev_name(enum ws_ev_type t);	/* the NDJSON event_type */
const char *ws_ev_doc(enum ws_ev_type t);

struct ws_flow;

struct ws_event {
	enum ws_ev_type type;
	int64_t ts_ns;			/* when it happened (capture clock) */
	uint64_t pkt_num;		/* the packet that completed it, 0 if none */
	uint32_t file_idx;
	const struct ws_flow *flow;	/* its flow, NULL for run-level events */
	const void *body;		/* struct named in events.def */
};

/* WS_EV_ANOMALY body. */
struct ws_ev_anomaly {
	const char *layer;	/* "stream", "app" */
	const char *name;	/* stable snake_case: "tcp_gap", "reasm_limit", "probe_mismatch", ... */
	const char *detail;	/* may be NULL */
};

/* WS_EV_STATS body: the run's totals. */
struct ws_run_stats {
	uint32_t files;
	uint64_t packets;
	uint64_t bytes;			/* frame bytes on the wire */
	uint64_t captured_bytes;
	int64_t first_ns, last_ns;
	uint64_t linktype_pkts[8];	/* by linktype_ids[i] */
	int linktype_ids[8];
	uint32_t linktype_cnt;
	uint64_t decode_errors_total;
	uint64_t decode_errors[32];	/* by enum ws_decode_err (WS_DE__COUNT <= 32) */
	uint64_t non_ip;		/* ARP, LLC, ... */
	uint64_t frag_held;		/* IP fragments waiting for the rest */
	uint64_t filtered;		/* packets a BPF filter dropped */
	uint64_t skipped_blocks;	/* unreadable capture blocks skipped */
	uint64_t read_errors;		/* files whose read ended early */
	uint64_t flows;
	uint64_t flows_timed_out;
	uint64_t flows_evicted;
	uint64_t flows_port_reuse;
	uint64_t flows_live_max;
	uint64_t reasm_gaps;
	uint64_t reasm_gap_bytes;
	uint64_t reasm_retransmissions;
	uint64_t reasm_overlaps;
	uint64_t reasm_ooo_limit;
	uint64_t app_pending_limit;
	uint64_t frag_datagrams;
	uint64_t anomalies;
	uint64_t findings;
};

typedef void (*ws_ev_fn)(void *user, const struct ws_event *ev);

#define WS_BUS_SUBS_MAX 16

struct ws_bus {
	struct {
		ws_ev_fn fn;
		void *user;
	} sub[WS_BUS_SUBS_MAX];
	int n;
	uint64_t emitted[WS_EV__COUNT];
};

void ws_bus_init(struct ws_bus *b);
/* 0, or -1 when WS_BUS_SUBS_MAX subscribers are already there. */
int ws_bus_subscribe(struct ws_bus *b, ws_ev_fn fn, void *user);
void ws_bus_emit(struct ws_bus *b, const struct ws_event *ev);

#endif
