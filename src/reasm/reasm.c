/*
 * reasm.c - TCP stream reassembly for both directions of one flow
 * (contract: reasm.h).
 *
 * Spec: RFC 9293 3.4 (sequence numbers: the SYN and the FIN each occupy one;
 * comparisons mod 2^32 through ws_seq_*; an ACK says every byte before it
 * was received), 3.10.7.4 (segment text is processed in order; a segment may
 * overlap data already received); RFC 1122 4.2.2.12 (an RST may carry
 * diagnostic text).
 *
 * Per direction: next, the sequence number of the next byte to deliver
 * (set by the SYN to its seq + 1, or, mid-stream, by the first segment that
 * carries data or a FIN), and a list of held out-of-order pieces, sorted,
 * not overlapping each other, each starting after next. Held pieces are
 * malloc'ed copies (one per piece); in-order data is handed straight from the
 * packet without a copy, which is the common case.
 *
 *   delivered        hole         held       hole      held
 *   ..........|next ........|seq  len|...........|seq  len|
 *
 * First bytes win: where a new segment covers held bytes, the held bytes are
 * kept (counted as an overlap, and a conflict when the bytes differ); bytes
 * before next are gone and the segment is trimmed (a retransmission when
 * nothing is left). A hole becomes a gap, reported once and skipped, when:
 *  - a cap is hit (WS_REASM_OOO_BYTES_MAX or _SEGS_MAX held in this
 *    direction): the hole up to the first held piece (or up to the new
 *    segment, if it comes first) is given up;
 *  - the peer acknowledges past next: those bytes were received, only not
 *    captured. The gap stops at the highest byte a segment of ours claimed
 *    (seen_hi: held data, a snaplen-cut tail) or at the FIN, so a forged ACK
 *    far ahead cannot make us skip real data and the ACK of a FIN (one past
 *    the last byte) is not taken for a missing byte;
 *  - a segment cut by the snaplen (payload_wire_len > payload_len) is in
 *    order: its held bytes are delivered, the rest is a gap;
 *  - the flow ends (ws_reasm_flush): holes up to seen_hi or the FIN.
 * A stream picked up mid-connection starts at its first segment with data or
 * FIN (a bare ACK does not say where data starts); bytes before that are
 * dropped as old. The FIN takes one sequence number once everything before
 * it was delivered, so a later segment claiming it is not stream data.
 * RST segments deliver nothing (their text is diagnostic, not stream data)
 * and their ACK is not trusted for gaps.
 *
 * Callbacks get pkt NULL when ws_reasm_flush releases bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "reasm/reasm.h"

/*
 * Segments starting further than this past next are ignored: RFC 7323 2.3
 * caps a scaled window at 2^30 bytes, so nothing legitimate can be that far
 * ahead, and keeping every held byte within 2^31 of next keeps the mod 2^32
 * comparisons unambiguous. NEEDSWORK: not counted in ws_reasm_stats.
 */
#define REASM_WINDOW_MAX	(1u << 30)

struct seg {
	struct seg *next;
	uint32_t seq;
	uint32_t len;
	uint8_t data[];
};

struct half {
	struct seg *held;	/* sorted by seq, disjoint, each after next */
	uint32_t next;		/* next sequence number to deliver */
	uint32_t seen_hi;	/* one past the highest byte any segment claimed (valid once started) */
	uint32_t fin_seq;	/* sequence number of the FIN (valid with fin_set) */
	uint32_t held_bytes;
	uint16_t held_cnt;
	uint8_t started;
	uint8_t fin_set;
	uint8_t fin_done;
};

struct ws_reasm {
	struct half h[2];
	uint64_t segments;
	uint64_t gap_bytes;
	uint32_t retransmissions;
	uint32_t overlaps;
	uint32_t overlap_conflicts;
	uint32_t gaps;
	uint32_t ooo_limit;
};

/* Everything a delivery needs, so that helpers stay short. */
struct ctx {
	struct ws_reasm *r;
	struct half *h;
	enum ws_dir dir;
	const struct ws_packet *p;
	const struct ws_reasm_cb *cb;
	void *user;
};

struct ws_reasm *ws_reasm_new(void)
{
	return calloc(1, sizeof(struct ws_reasm));
}

static void half_clear(struct half *h)
{
	struct seg *s = h->held;

	while (s) {
		struct seg *next = s->next;
		free(s);
		s = next;
	}
	h->held = NULL;
	h->held_bytes = 0;
	h->held_cnt = 0;
}

void ws_reasm_free(struct ws_reasm *r)
{
	if (!r)
		return;
	half_clear(&r->h[0]);
	half_clear(&r->h[1]);
	free(r);
}

size_t ws_reasm_held(const struct ws_reasm *r)
{
	return (size_t)r->h[0].held_bytes + r->h[1].held_bytes;
}

void ws_reasm_stats_add(const struct ws_reasm *r, struct ws_reasm_stats *sum)
{
	sum->segments += r->segments;
	sum->retransmissions += r->retransmissions;
	sum->overlaps += r->overlaps;
	sum->overlap_conflicts += r->overlap_conflicts;
	sum->gaps += r->gaps;
	sum->gap_bytes += r->gap_bytes;
	sum->ooo_limit += r->ooo_limit;
}

/* ---- delivery ---- */

static void emit_data(struct ctx *c, const uint8_t *data, uint32_t len)
{
	if (len == 0)
		return;
	c->h->next += len;
	if (c->cb && c->cb->data)
		c->cb->data(c->user, c->dir, data, len, c->p);
}

static void emit_gap(struct ctx *c, uint32_t len)
{
	if (len == 0)
		return;
	c->h->next += len;
	c->r->gaps++;
	c->r->gap_bytes += len;
	if (c->cb && c->cb->gap)
		c->cb->gap(c->user, c->dir, len, c->p);
}

/* Delivers the first held piece (what of it lies at or after next) and frees it. */
static void pop_held(struct ctx *c)
{
	struct seg *s = c->h->held;
	uint32_t skip = 0;

	c->h->held = s->next;
	c->h->held_bytes -= s->len;
	c->h->held_cnt--;
	if (ws_seq_lt(s->seq, c->h->next))
		skip = c->h->next - s->seq;
	if (skip < s->len)
		emit_data(c, s->data + skip, s->len - skip);
	free(s);
}

/* The FIN occupies one sequence number once everything before it is delivered. */
static void fin_check(struct half *h)
{
	if (h->fin_set && !h->fin_done && h->next == h->fin_seq) {
		h->next++;
		h->fin_done = 1;
	}
}

/* Delivers the held pieces that now continue the stream. */
static void release(struct ctx *c)
{
	while (c->h->held && ws_seq_le(c->h->held->seq, c->h->next))
		pop_held(c);
	fin_check(c->h);
}

/* Gives up the holes before x: gaps for them, held data between them delivered. */
static void skip_to(struct ctx *c, uint32_t x)
{
	while (ws_seq_lt(c->h->next, x)) {
		struct seg *s = c->h->held;
		if (s && ws_seq_lt(s->seq, x)) {
			if (ws_seq_gt(s->seq, c->h->next))
				emit_gap(c, s->seq - c->h->next);
			pop_held(c);
		} else {
			emit_gap(c, x - c->h->next);
		}
	}
	release(c);
}

/* ---- one segment's bytes ---- */

struct cover {
	bool overlap;		/* some bytes were already held */
	bool conflict;		/* ...and differed */
	uint32_t new_bytes;
};

/*
 * In order: seq == next. Delivers from the packet the bytes not held yet and,
 * where held pieces sit inside [seq, seq+len), those pieces (first wins).
 */
static void take_in_order(struct ctx *c, const uint8_t *data, uint32_t len, struct cover *cv)
{
	uint32_t seq = c->h->next;
	uint32_t end = seq + len;

	while (ws_seq_lt(c->h->next, end)) {
		struct seg *s = c->h->held;
		uint32_t at = c->h->next - seq;

		if (!s || ws_seq_ge(s->seq, end)) {
			cv->new_bytes += end - c->h->next;
			emit_data(c, data + at, end - c->h->next);
			break;
		}
		if (ws_seq_lt(c->h->next, s->seq)) {
			cv->new_bytes += s->seq - c->h->next;
			emit_data(c, data + at, s->seq - c->h->next);
		}
		/* The held piece starts at next (held pieces start after next,
		 * and what came before it was just delivered): its bytes win. */
		uint32_t os = c->h->next;
		uint32_t ov_end = ws_seq_lt(s->seq + s->len, end) ? s->seq + s->len : end;
		cv->overlap = true;
		if (ws_seq_lt(os, ov_end) && ws_seq_ge(os, s->seq) &&
		    memcmp(data + (os - seq), s->data + (os - s->seq), ov_end - os) != 0)
			cv->conflict = true;
		pop_held(c);
	}
	release(c);
}

static struct seg *seg_new(uint32_t seq, const uint8_t *data, uint32_t len)
{
	struct seg *s = malloc(sizeof(*s) + len);

	if (!s)
		return NULL;
	s->next = NULL;
	s->seq = seq;
	s->len = len;
	memcpy(s->data, data, len);
	return s;
}

/*
 * Out of order: seq after next. Holds copies of the bytes not held yet. With
 * insert false, only measures (pieces and bytes it would add) so that the caps
 * are checked before anything changes. Returns false on allocation failure.
 */
static bool hold(struct half *h, uint32_t seq, const uint8_t *data, uint32_t len, bool insert,
		 struct cover *cv, uint32_t *pieces)
{
	struct seg **pp = &h->held;
	uint32_t cur = seq;
	uint32_t end = seq + len;

	while (ws_seq_lt(cur, end)) {
		struct seg *s = *pp;
		uint32_t piece_end = end;
		if (s && ws_seq_le(s->seq + s->len, cur)) {
			pp = &s->next;
			continue;
		}
		if (s && ws_seq_lt(s->seq, end))
			piece_end = ws_seq_gt(s->seq, cur) ? s->seq : cur;
		if (ws_seq_lt(cur, piece_end)) {
			uint32_t n = piece_end - cur;
			(*pieces)++;
			cv->new_bytes += n;
			if (insert) {
				struct seg *ns = seg_new(cur, data + (cur - seq), n);
				if (!ns)
					return false;
				ns->next = s;
				*pp = ns;
				pp = &ns->next;
				h->held_bytes += n;
				h->held_cnt++;
			}
			cur = piece_end;
		}
		if (!s || ws_seq_ge(s->seq, end))
			break;
		/* s covers [cur, ...): the held bytes win. */
		uint32_t ov_end = ws_seq_lt(s->seq + s->len, end) ? s->seq + s->len : end;
		if (!insert) {
			cv->overlap = true;
			if (memcmp(data + (cur - seq), s->data + (cur - s->seq), ov_end - cur) != 0)
				cv->conflict = true;
		}
		cur = ov_end;
		pp = &s->next;
	}
	return true;
}

static void count_cover(struct ws_reasm *r, const struct cover *cv)
{
	if (cv->new_bytes == 0)
		r->retransmissions++;
	else if (cv->overlap)
		r->overlaps++;
	if (cv->conflict)
		r->overlap_conflicts++;
}

/*
 * Holds [seq, seq+len) after next, within the caps. When they would be passed,
 * gives up the first hole (up to the first held piece, or to seq if the new
 * segment comes first), delivers what follows, and tries again; the segment
 * may then be in order.
 */
static void take_out_of_order(struct ctx *c, uint32_t seq, const uint8_t *data, uint32_t len,
			      struct cover *cv)
{
	struct half *h = c->h;

	for (;;) {
		if (ws_seq_lt(seq, h->next)) {
			/* The cap moved next into or past this segment. */
			uint32_t cut = h->next - seq;
			if (cut >= len) {
				cv->overlap = true;
				return;
			}
			cv->overlap = true;
			seq += cut;
			data += cut;
			len -= cut;
		}
		if (seq == h->next) {
			take_in_order(c, data, len, cv);
			return;
		}
		struct cover probe = { 0 };
		uint32_t pieces = 0;
		hold(h, seq, data, len, false, &probe, &pieces);
		if (h->held_cnt + pieces <= WS_REASM_OOO_SEGS_MAX &&
		    (uint64_t)h->held_bytes + probe.new_bytes <= WS_REASM_OOO_BYTES_MAX) {
			cv->overlap = cv->overlap || probe.overlap;
			cv->conflict = cv->conflict || probe.conflict;
			cv->new_bytes += probe.new_bytes;
			if (!hold(h, seq, data, len, true, &probe, &pieces)) {
				/* Out of memory: the bytes are lost like a cap hit. */
				c->r->ooo_limit++;
			}
			return;
		}
		c->r->ooo_limit++;
		uint32_t x = seq;
		if (h->held && ws_seq_lt(h->held->seq, x))
			x = h->held->seq;
		skip_to(c, x);
	}
}

/*
 * Is there a hole in h that an ACK or the end could declare lost? *end gets
 * where the known bytes stop: the highest byte any segment claimed, or the
 * FIN (not one past it: the FIN is no byte).
 */
static bool hole_end(const struct half *h, uint32_t *end)
{
	if (!h->started)
		return false;
	*end = h->seen_hi;
	if (h->fin_set && !h->fin_done && ws_seq_gt(h->fin_seq, *end))
		*end = h->fin_seq;
	return ws_seq_gt(*end, h->next);
}

void ws_reasm_segment(struct ws_reasm *r, enum ws_dir dir, const struct ws_packet *p,
		      const struct ws_reasm_cb *cb, void *user)
{
	unsigned d = (unsigned)dir & 1u;
	uint8_t fl = p->tcp.flags;
	struct ctx c = { .r = r, .dir = (enum ws_dir)d, .p = p, .cb = cb, .user = user };

	r->segments++;

	/* The peer's ACK: holes it covers in the other direction are lost. */
	struct half *o = &r->h[d ^ 1u];
	uint32_t limit;
	if ((fl & WS_TH_ACK) && !(fl & WS_TH_RST) && ws_seq_gt(p->tcp.ack, o->next) && hole_end(o, &limit)) {
		struct ctx oc = c;
		oc.h = o;
		oc.dir = (enum ws_dir)(d ^ 1u);
		skip_to(&oc, ws_seq_lt(p->tcp.ack, limit) ? p->tcp.ack : limit);
	}
	if (fl & WS_TH_RST)
		return;

	struct half *h = &r->h[d];
	c.h = h;
	uint32_t seq = p->tcp.seq;
	if (fl & WS_TH_SYN)
		seq++;		/* RFC 9293 3.4: the SYN occupies one sequence number */
	uint32_t len = p->payload ? p->payload_len : 0;
	uint32_t wire = p->payload_wire_len > len ? p->payload_wire_len : len;
	const uint8_t *data = p->payload;

	if (!h->started) {
		if (!(fl & (WS_TH_SYN | WS_TH_FIN)) && wire == 0)
			return;		/* a bare ACK does not say where data starts */
		h->next = seq;
		h->seen_hi = seq;
		h->started = 1;
	}
	if (ws_seq_gt(seq, h->next) && seq - h->next > REASM_WINDOW_MAX)
		return;
	if ((fl & WS_TH_FIN) && !h->fin_set) {
		h->fin_set = 1;
		h->fin_seq = seq + wire;
	}
	if (wire == 0) {
		fin_check(h);
		return;
	}

	struct cover cv = { 0 };
	uint32_t wire_end = seq + wire;
	if (ws_seq_gt(wire_end, h->seen_hi))
		h->seen_hi = wire_end;
	if (ws_seq_le(wire_end, h->next)) {
		r->retransmissions++;
		return;
	}
	if (ws_seq_lt(seq, h->next)) {
		/* Partly before next: those bytes were delivered already. */
		uint32_t cut = h->next - seq;
		cv.overlap = true;
		seq += cut;
		if (cut < len) {
			data += cut;
			len -= cut;
		} else {
			len = 0;
		}
	}
	if (len > 0) {
		if (seq == h->next)
			take_in_order(&c, data, len, &cv);
		else
			take_out_of_order(&c, seq, data, len, &cv);
	}
	if (wire > len) {
		/* Snaplen cut: bytes past the held part existed, so this was no
		 * mere retransmission. In order, the rest is lost at once; out of
		 * order it stays a hole until an ACK, a cap or the flush. */
		cv.new_bytes++;
		if (!ws_seq_lt(h->next, seq))
			skip_to(&c, wire_end);
	}
	fin_check(h);
	count_cover(r, &cv);
}

void ws_reasm_flush(struct ws_reasm *r, const struct ws_reasm_cb *cb, void *user)
{
	for (unsigned d = 0; d < 2; d++) {
		struct half *h = &r->h[d];
		struct ctx c = { .r = r, .h = h, .dir = (enum ws_dir)d, .p = NULL, .cb = cb, .user = user };
		uint32_t limit;
		if (hole_end(h, &limit))
			skip_to(&c, limit);
		half_clear(h);
	}
}
