/*
 * limits.h - every cap on what input can make wiresift hold, with its reason.
 *
 * Reaching a cap is counted (stats) and, where a flow is concerned, reported as
 * an anomaly event naming the cap; it is never unbounded growth. Defaults can
 * be overridden at run time where the option exists (see ws_engine_cfg).
 */
#ifndef WS_CORE_LIMITS_H
#define WS_CORE_LIMITS_H

/* Live flows at once. ~400 bytes each with reassembly idle: 256Ki flows is
 * ~100 MiB, below the half of ndpiReader's footprint we aim for on big runs. */
#define WS_FLOW_MAX_DEFAULT		(256u * 1024u)

/* Idle timeouts (seconds). TCP before the handshake completes is short, as a
 * scan leaves thousands of such flows; after it, Suricata's 3600 s; closed
 * flows linger for late retransmissions; UDP and ICMP as Zeek's defaults. */
#define WS_TIMEOUT_TCP_NEW_S		60
#define WS_TIMEOUT_TCP_EST_S		3600
#define WS_TIMEOUT_TCP_CLOSED_S		30
#define WS_TIMEOUT_UDP_S		120
#define WS_TIMEOUT_OTHER_S		60

/* Out-of-order bytes held per TCP direction before a gap is declared:
 * enough for a window of 64 KiB segments ahead of one loss. */
#define WS_REASM_OOO_BYTES_MAX		(256u * 1024u)
/* Out-of-order segments held per direction (bounds list walking). */
#define WS_REASM_OOO_SEGS_MAX		512u

/* Bytes a parser may leave unconsumed per direction while it waits for the
 * rest of a message: the largest SMB2 message we parse whole (64 KiB + hdr)
 * with margin. Past it the parser is told it cannot have more (LIMIT). */
#define WS_APP_PENDING_MAX		(256u * 1024u)

/* IPv4/IPv6 fragment reassembly: datagrams in progress, bytes per datagram
 * (the IP maximum), fragments per datagram, and how long a datagram waits. */
#define WS_FRAG_DATAGRAMS_MAX		4096u
#define WS_FRAG_BYTES_MAX		65535u
#define WS_FRAG_PIECES_MAX		128u
#define WS_FRAG_TIMEOUT_S		30

/* Payload packets per direction that probes may look at before the flow is
 * left to its port (nDPI gives up after a similar handful). */
#define WS_PROBE_PKTS_MAX		8u

/* Info column text of one packet. */
#define WS_INFO_MAX			512u

/* Anomaly events per flow: a hostile flow could raise one per packet. */
#define WS_FLOW_ANOMALY_EVENTS_MAX	32u

/* Evidence kept per finding (flow ids and packet numbers). */
#define WS_FINDING_EVIDENCE_MAX		16u

/* One NDJSON line; longer events are cut and marked truncated. */
#define WS_JSON_LINE_MAX		(1024u * 1024u)

#endif
