/*
 * proto.h - what the engine knows of an application protocol: one table entry
 * per protocol (bottom of src/proto/<name>.c), listed in registry.c.
 *
 * Identification: for the first WS_PROBE_PKTS_MAX payload packets of each
 * direction the engine runs probes, those registered for the flow's ports
 * first. A probe looks at the start of one direction's stream (or one
 * datagram) and says YES (this is surely it), MAYBE (could be, need more), or
 * NO. YES wins (identified_by "payload"); when probing ends without a YES the
 * port's protocol, if any, is kept (identified_by "port"). A YES on a port not
 * registered for the protocol marks the flow nonstd_port.
 *
 * Parsing: feed() gets reassembled bytes of one direction (TCP) or one whole
 * datagram (UDP) through a reader, and returns how much it consumed and, if it
 * needs more to go on, how much in total it needs. Unconsumed bytes are kept by
 * the engine (within WS_APP_PENDING_MAX) and handed again with what follows.
 * State lives in state_size zeroed bytes per flow; no file-static mutable state.
 */
#ifndef WS_PROTO_PROTO_H
#define WS_PROTO_PROTO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rd.h"
#include "decode/decode.h"
#include "event/event.h"
#include "flow/flow.h"

enum ws_probe { WS_PROBE_NO, WS_PROBE_MAYBE, WS_PROBE_YES };

#define WS_PROTO_TCP 1u
#define WS_PROTO_UDP 2u
#define WS_PROTO_PORTS_MAX 8

enum ws_feed_status { WS_FEED_OK, WS_FEED_INCOMPLETE, WS_FEED_ERROR };

struct ws_feed_res {
	enum ws_feed_status status;
	size_t consumed;	/* bytes of the reader's input used up */
	size_t need;		/* with INCOMPLETE: total bytes wanted from the first unconsumed one (0 = unknown, any more) */
};

#define WS_FEED_OK_RES(c) ((struct ws_feed_res){ WS_FEED_OK, (c), 0 })
#define WS_INCOMPLETE(c, n) ((struct ws_feed_res){ WS_FEED_INCOMPLETE, (c), (n) })
#define WS_FEED_ERR(c) ((struct ws_feed_res){ WS_FEED_ERROR, (c), 0 })

/* The engine's side of a parser call: opaque to parsers, used through the functions below. */
struct ws_pctx;

struct ws_proto {
	const char *name;		/* app_proto value: "smb", "netbios-ns", ... */
	const char *label;		/* packet lines' Protocol column: "SMB", "NBNS", ... */
	const char *spec;		/* the normative reference */
	uint8_t l4;			/* WS_PROTO_TCP | WS_PROTO_UDP */
	uint16_t tcp_ports[WS_PROTO_PORTS_MAX];	/* registered ports, 0-terminated */
	uint16_t udp_ports[WS_PROTO_PORTS_MAX];
	/*
	 * r holds the first bytes of one direction (TCP: the stream start as far as
	 * reassembled, at least one segment; UDP: one datagram). l4 is
	 * WS_PROTO_TCP or WS_PROTO_UDP. Must not keep pointers. NULL = port only.
	 */
	enum ws_probe (*probe)(struct ws_rd *r, enum ws_dir dir, uint8_t l4);
	size_t state_size;
	struct ws_feed_res (*feed)(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r);
	void (*gap)(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len);
	void (*close)(struct ws_pctx *c, void *state);
};

/* registry.c */
size_t ws_proto_count(void);
const struct ws_proto *ws_proto_at(size_t i);
const struct ws_proto *ws_proto_by_name(const char *name);
/* The protocol registered for this port (l4 = WS_PROTO_TCP or WS_PROTO_UDP), or NULL. */
const struct ws_proto *ws_proto_by_port(uint8_t l4, uint16_t port);
/* Is port registered for p? */
int ws_proto_has_port(const struct ws_proto *p, uint8_t l4, uint16_t port);

/* Implemented by the engine, called by parsers. */
struct ws_flow *ws_pctx_flow(struct ws_pctx *c);
/* The packet being processed (NULL at close). */
const struct ws_packet *ws_pctx_packet(struct ws_pctx *c);
/* Emits an event on this flow at the current packet. */
void ws_pctx_emit(struct ws_pctx *c, enum ws_ev_type type, const void *body);
/* Appends to the current packet's Info column ("; " between messages). */
void ws_pctx_info(struct ws_pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An anomaly on this flow (bounded per flow by WS_FLOW_ANOMALY_EVENTS_MAX). */
void ws_pctx_anomaly(struct ws_pctx *c, const char *name, const char *detail);
/*
 * May a password go into an event? Only when the user asked
 * (--show-credentials); otherwise write "<hidden>" where one was sent.
 */
bool ws_pctx_show_credentials(struct ws_pctx *c);
/* Sets the current packet's Protocol column ("SMB2" on a flow labelled smb); label must be static. */
void ws_pctx_label(struct ws_pctx *c, const char *label);
/*
 * Announces a connection to come (FTP PORT/PASV): a flow to addr:port (from
 * any source port), within the capture, will be labelled with proto_name,
 * identified_by "expected", with parent_id this flow.
 */
void ws_pctx_expect(struct ws_pctx *c, const struct ws_addr *addr, uint16_t port, const char *proto_name);

#endif
