/*
 * flow.h - the flow table: bidirectional flows keyed on the 5-tuple, with
 * client/server roles, TCP state, idle timeouts, port reuse and a hard cap.
 *
 * Roles: the client is the side that sent the first SYN (without ACK); if the
 * first packet is a SYN+ACK, its receiver; otherwise the side with the higher
 * port (the ephemeral one); on equal ports, the sender of the first packet.
 * Direction WS_DIR_TO_SERVER is client -> server.
 *
 * Lifetime: a flow is created by ws_flow_track() and ended by timeout, TCP port
 * reuse (a new SYN after the old connection closed), eviction at the cap (the
 * least recently seen first) or ws_flow_flush(). Every end calls the table's
 * on_end callback once, before the flow's memory is freed: the engine uses it
 * to close parsers and emit the flow event. The table never touches app_state
 * or reasm; their owner (the engine) frees them in on_end.
 */
#ifndef WS_FLOW_FLOW_H
#define WS_FLOW_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "decode/decode.h"

enum ws_dir { WS_DIR_TO_SERVER = 0, WS_DIR_TO_CLIENT = 1 };

enum ws_flow_state {
	WS_FLOW_NEW,		/* one side only so far (TCP: SYN without answer) */
	WS_FLOW_ESTABLISHED,	/* both sides spoke (TCP: SYN-ACK seen, or data both ways mid-stream) */
	WS_FLOW_CLOSED,		/* TCP FIN seen */
	WS_FLOW_RESET,		/* TCP RST after establishment */
	WS_FLOW_REJECTED	/* TCP SYN answered by RST: port closed */
};

enum ws_flow_end {
	WS_END_NONE,
	WS_END_TIMEOUT,		/* idle past its timeout */
	WS_END_TCP_CLOSE,	/* closed or reset, then lingered */
	WS_END_PORT_REUSE,	/* a new connection on the same 5-tuple */
	WS_END_EVICTED,		/* the table was full and it was the least recently seen */
	WS_END_CAPTURE_END	/* the input ended */
};

enum ws_ident {
	WS_IDENT_NONE,		/* no service known */
	WS_IDENT_PORT,		/* only the port speaks for it */
	WS_IDENT_PAYLOAD,	/* a payload probe said yes */
	WS_IDENT_EXPECTED	/* announced by another flow (FTP data channel) */
};

const char *ws_flow_state_name(enum ws_flow_state s);	/* "new", "established", "closed", "reset", "rejected" */
const char *ws_flow_end_name(enum ws_flow_end e);	/* "timeout", "tcp_close", "port_reuse", "evicted", "capture_end" */
const char *ws_ident_name(enum ws_ident i);		/* "none", "port", "payload", "expected" */

#define WS_FLOW_MAC_CLI 0x01
#define WS_FLOW_MAC_SRV 0x02

struct ws_proto;
struct ws_reasm;

struct ws_flow {
	uint64_t id;			/* unique in the run, never 0: NDJSON flow_id */
	uint8_t proto;			/* IP protocol: 6, 17, 1, 58, ... */
	uint8_t ip_ver;
	struct ws_addr cli, srv;
	uint16_t cport, sport;		/* client's and server's ports (0 for ICMP) */
	int64_t first_ns, last_ns;
	uint64_t pkts[2];		/* by enum ws_dir */
	uint64_t bytes[2];		/* frame bytes on the wire, by enum ws_dir */
	uint64_t payload_bytes[2];	/* transport payload bytes, by enum ws_dir */
	uint64_t first_pkt, last_pkt;	/* packet numbers (in their files) */
	uint32_t file_idx;		/* file of the first packet */
	uint8_t tcp_flags[2];		/* OR of the TCP flags seen, by direction */
	uint32_t isn[2];		/* first sequence number seen, by direction */
	uint8_t isn_set[2];
	uint8_t has_mac;		/* WS_FLOW_MAC_CLI | WS_FLOW_MAC_SRV: which of the MACs below is known */
	uint8_t cli_mac[6], srv_mac[6];
	enum ws_flow_state state;
	enum ws_flow_end end_reason;

	/* service identification and parsing: written by the engine */
	const struct ws_proto *app;
	enum ws_ident ident;
	uint8_t probe_pkts[2];		/* payload packets probed, by direction */
	uint8_t probe_done;
	uint8_t app_seen[2];		/* the app protocol was recognised in this direction */
	uint8_t nonstd_port;		/* recognised by payload on a port not registered for it */
	uint8_t app_failed;		/* the parser gave up (error); no more feeding */
	uint16_t anomaly_cnt;
	void *app_state;
	struct ws_reasm *reasm;
	uint64_t parent_id;		/* the control flow that announced it (FTP data), or 0 */
	void *user;			/* the engine's per-flow record */
	/* TCP details for packet lines, written by the engine */
	uint8_t syn_seen[2];		/* a SYN was seen in this direction */
	int8_t wscale[2];		/* its window-scale shift, -1 when the SYN had none */
	uint8_t ack_base_set[2];
	uint32_t ack_base[2];		/* one-sided flows: first ACK - 1 in this direction (tshark's Ack=1) */

	/* table links: flow.c only */
	struct ws_flow *hnext;
	struct ws_flow *lprev, *lnext;
	uint8_t tclass;			/* which timeout list */
	uint32_t hash;
};

struct ws_flow_cfg {
	size_t max_flows;		/* WS_FLOW_MAX_DEFAULT */
	int64_t tcp_new_timeout_ns;
	int64_t tcp_est_timeout_ns;
	int64_t tcp_closed_timeout_ns;
	int64_t udp_timeout_ns;
	int64_t other_timeout_ns;
};
void ws_flow_cfg_default(struct ws_flow_cfg *cfg);

struct ws_flow_stats {
	uint64_t created;
	uint64_t ended;
	uint64_t timed_out;
	uint64_t evicted;
	uint64_t port_reuse;
	uint64_t live;
	uint64_t live_max;
};

typedef void (*ws_flow_end_fn)(void *user, struct ws_flow *f);

struct ws_flow_table;

struct ws_flow_table *ws_flow_table_new(const struct ws_flow_cfg *cfg, ws_flow_end_fn on_end, void *user);
void ws_flow_table_free(struct ws_flow_table *t);	/* flushes first */
/*
 * The flow of a decoded IP packet with a transport layer (TCP, UDP, ICMP,
 * ICMPv6, or any other IP protocol keyed with ports 0), created if new. Sets
 * *dir, updates counters, TCP flags and state, last_ns, MACs; may end an older
 * flow (port reuse, or eviction at the cap) through on_end first. NULL when the
 * packet has no flow (not IP, or a fragment still held).
 */
struct ws_flow *ws_flow_track(struct ws_flow_table *t, const struct ws_packet *p, enum ws_dir *dir);
/* Ends flows idle past their timeout at capture time now_ns. Cheap when nothing is due. */
void ws_flow_expire(struct ws_flow_table *t, int64_t now_ns);
/* Ends every flow (WS_END_CAPTURE_END), oldest first. */
void ws_flow_flush(struct ws_flow_table *t);
const struct ws_flow_stats *ws_flow_table_stats(const struct ws_flow_table *t);

#endif
