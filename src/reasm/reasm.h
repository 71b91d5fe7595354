/*
 * reasm.h - TCP stream reassembly, both directions of one flow.
 *
 * Delivers each direction's bytes in sequence order, once: retransmissions
 * are dropped, overlaps keep the first bytes seen (counted; a conflicting
 * overlap is counted apart), out-of-order segments wait within
 * WS_REASM_OOO_BYTES_MAX / WS_REASM_OOO_SEGS_MAX. A hole that will not be
 * filled (cap reached, the peer acknowledged past it, or the flow ended) is
 * reported once as a gap of its length and delivery resumes after it.
 * Sequence numbers are compared only through wrap-safe helpers. A stream
 * picked up mid-connection starts at the first segment seen.
 */
#ifndef WS_REASM_REASM_H
#define WS_REASM_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "flow/flow.h"

/* Wrap-safe sequence comparisons (RFC 793 arithmetic, mod 2^32). */
static inline bool ws_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool ws_seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool ws_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool ws_seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

struct ws_reasm_cb {
	/* In-order bytes of one direction; pkt is the packet whose arrival released them. */
	void (*data)(void *user, enum ws_dir dir, const uint8_t *data, size_t len, const struct ws_packet *pkt);
	/* len bytes of this direction will never arrive. */
	void (*gap)(void *user, enum ws_dir dir, uint32_t len, const struct ws_packet *pkt);
};

struct ws_reasm_stats {
	uint64_t segments;
	uint64_t retransmissions;	/* segments with no new bytes */
	uint64_t overlaps;		/* segments partly covering bytes already held or delivered */
	uint64_t overlap_conflicts;	/* ...with different bytes there */
	uint64_t gaps;
	uint64_t gap_bytes;
	uint64_t ooo_limit;		/* times a cap forced a gap */
};

struct ws_reasm;

struct ws_reasm *ws_reasm_new(void);
void ws_reasm_free(struct ws_reasm *r);
/*
 * One TCP segment of direction dir (p is decoded; its payload, SYN and FIN
 * flags and ack are used). Calls cb->data / cb->gap zero or more times.
 * Payload bytes past p->payload_len (snaplen cut) count as a gap.
 */
void ws_reasm_segment(struct ws_reasm *r, enum ws_dir dir, const struct ws_packet *p,
		      const struct ws_reasm_cb *cb, void *user);
/* The flow ends: delivers what is held, reporting the holes before it as gaps. */
void ws_reasm_flush(struct ws_reasm *r, const struct ws_reasm_cb *cb, void *user);
/* Bytes held out of order now (both directions), for memory accounting. */
size_t ws_reasm_held(const struct ws_reasm *r);
/* Adds this flow's counters into *sum. */
void ws_reasm_stats_add(const struct ws_reasm *r, struct ws_reasm_stats *sum);

#endif
