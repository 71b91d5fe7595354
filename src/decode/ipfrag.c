/*
 * ipfrag.c - IPv4 and IPv6 fragment reassembly.
 *
 * Specs: RFC 791 3.2 and RFC 815 (IPv4 reassembly: key source, destination,
 * protocol, identification); RFC 8200 4.5 (IPv6: key source, destination,
 * identification). Overlaps: the first bytes received win, never rewritten
 * (RFC 5722 says drop an IPv6 datagram with overlaps; we keep the first copy
 * as Suricata's "first" policy does and count the overlap, so the analysis
 * still sees the traffic and the anomaly is reported).
 *
 * A set is one datagram in progress: a sorted list of received byte ranges
 * (merged, so never more ranges than fragments) and a buffer grown on demand
 * up to WS_FRAG_BYTES_MAX. Sets live in a hash table (WS_FRAG_BUCKETS chains)
 * and an age list by first fragment, which expiry walks from the oldest. Caps
 * (core/limits.h): WS_FRAG_DATAGRAMS_MAX sets, WS_FRAG_BYTES_MAX bytes and
 * WS_FRAG_PIECES_MAX fragments per set, WS_FRAG_TIMEOUT_S seconds.
 *
 * When a fragment completes a datagram, the set's buffer becomes the decoder's
 * done_buf (a pointer swap, no copy) and stays valid until the next datagram
 * completes, which is at the earliest during the next ws_decode().
 */
#include <stdlib.h>
#include <string.h>

#include "decode/decode_int.h"

#define NS_PER_S 1000000000LL

static uint32_t key_hash(const struct ws_frag_key *k)
{
	/* FNV-1a over the key fields. */
	uint32_t h = 2166136261u;
	size_t alen = k->v == 4 ? 4 : 16;

	h = (h ^ k->v) * 16777619u;
	h = (h ^ k->proto) * 16777619u;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((k->id >> (8 * i)) & 0xff)) * 16777619u;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ k->src[i]) * 16777619u;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ k->dst[i]) * 16777619u;
	return h;
}

static int key_eq(const struct ws_frag_key *a, const struct ws_frag_key *b)
{
	return a->v == b->v && a->proto == b->proto && a->id == b->id &&
	       memcmp(a->src, b->src, 16) == 0 && memcmp(a->dst, b->dst, 16) == 0;
}

static void set_unlink(struct ws_decoder *d, struct ws_frag_set *s)
{
	struct ws_frag_set **pp = &d->tab[s->hash & (WS_FRAG_BUCKETS - 1)];

	while (*pp && *pp != s)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = s->hnext;
	if (s->older)
		s->older->newer = s->newer;
	else
		d->oldest = s->newer;
	if (s->newer)
		s->newer->older = s->older;
	else
		d->newest = s->older;
	d->set_cnt--;
}

static void set_drop(struct ws_decoder *d, struct ws_frag_set *s)
{
	set_unlink(d, s);
	free(s->buf);
	free(s);
}

void ws_dec_frag_free_all(struct ws_decoder *d)
{
	while (d->oldest)
		set_drop(d, d->oldest);
}

static void expire_before(struct ws_decoder *d, int64_t now_ns)
{
	const int64_t timeout = (int64_t)WS_FRAG_TIMEOUT_S * NS_PER_S;

	while (d->oldest && now_ns - d->oldest->first_ns > timeout) {
		d->st.frag_timeouts++;
		set_drop(d, d->oldest);
	}
}

void ws_decoder_expire(struct ws_decoder *d, int64_t now_ns)
{
	expire_before(d, now_ns);
}

static struct ws_frag_set *set_find(struct ws_decoder *d, const struct ws_frag_key *k, uint32_t h)
{
	struct ws_frag_set *s = d->tab[h & (WS_FRAG_BUCKETS - 1)];

	while (s && !(s->hash == h && key_eq(&s->key, k)))
		s = s->hnext;
	return s;
}

static struct ws_frag_set *set_new(struct ws_decoder *d, const struct ws_frag_key *k,
				   uint32_t h, int64_t now_ns)
{
	struct ws_frag_set *s = calloc(1, sizeof(*s));
	struct ws_frag_set **head;

	if (!s)
		return NULL;
	s->hash = h;
	s->key = *k;
	s->first_ns = now_ns;
	head = &d->tab[h & (WS_FRAG_BUCKETS - 1)];
	s->hnext = *head;
	*head = s;
	s->older = d->newest;
	if (d->newest)
		d->newest->newer = s;
	else
		d->oldest = s;
	d->newest = s;
	d->set_cnt++;
	return s;
}

static int set_reserve(struct ws_frag_set *s, uint32_t need)
{
	uint32_t cap;
	uint8_t *nb;

	if (need <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 2048;
	while (cap < need)
		cap *= 2;
	if (cap > WS_FRAG_BYTES_MAX)
		cap = WS_FRAG_BYTES_MAX;
	nb = realloc(s->buf, cap);
	if (!nb)
		return -1;
	s->buf = nb;
	s->cap = cap;
	return 0;
}

/* Copies data bytes [a, b) of the fragment that starts at lo into the set. */
static void copy_span(struct ws_frag_set *s, const struct ws_rd *data, uint32_t lo,
		      uint32_t a, uint32_t b)
{
	struct ws_rd t = *data;

	ws_rd_skip(&t, a - lo);
	ws_rd_copy(&t, s->buf + a, b - a);
}

/* Fills the holes of [lo, hi) from the fragment; returns 1 if it overlapped
 * bytes already held (those are kept). */
static int fill_holes(struct ws_frag_set *s, const struct ws_rd *data, uint32_t lo, uint32_t hi)
{
	uint32_t cur = lo;
	int overlap = 0;

	for (uint32_t i = 0; i < s->cov_cnt && cur < hi; i++) {
		const struct ws_frag_range *c = &s->cov[i];

		if (c->hi <= cur)
			continue;
		if (c->lo >= hi)
			break;
		overlap = 1;
		if (c->lo > cur)
			copy_span(s, data, lo, cur, c->lo);
		cur = c->hi;
	}
	if (cur < hi)
		copy_span(s, data, lo, cur, hi);
	return overlap;
}

/* Adds [lo, hi) to the sorted, merged range list. Ranges that touch merge. */
static void cov_add(struct ws_frag_set *s, uint32_t lo, uint32_t hi)
{
	uint32_t i = 0, j;

	while (i < s->cov_cnt && s->cov[i].hi < lo)
		i++;
	/* cov[i..j) touch or overlap [lo, hi): fold them into one. */
	j = i;
	while (j < s->cov_cnt && s->cov[j].lo <= hi) {
		if (s->cov[j].lo < lo)
			lo = s->cov[j].lo;
		if (s->cov[j].hi > hi)
			hi = s->cov[j].hi;
		j++;
	}
	if (j == i) {
		/* no neighbour: insert at i (cov_cnt < pieces cap, checked by caller) */
		memmove(&s->cov[i + 1], &s->cov[i], (s->cov_cnt - i) * sizeof(s->cov[0]));
		s->cov_cnt++;
	} else if (j > i + 1) {
		memmove(&s->cov[i + 1], &s->cov[j], (s->cov_cnt - j) * sizeof(s->cov[0]));
		s->cov_cnt -= j - i - 1;
	}
	s->cov[i].lo = lo;
	s->cov[i].hi = hi;
}

static int set_complete(const struct ws_frag_set *s)
{
	return s->have_last && s->have_first && s->cov_cnt == 1 &&
	       s->cov[0].lo == 0 && s->cov[0].hi == s->total;
}

enum ws_decode_err ws_dec_frag_add(struct ws_decoder *d, const struct ws_frag_in *in,
				   struct ws_frag_out *out)
{
	uint32_t h = key_hash(&in->key);
	uint32_t len = (uint32_t)ws_rd_left(&in->data);
	uint32_t lo = in->off, hi;
	struct ws_frag_set *s;
	uint8_t *tmp;
	uint32_t tmp_cap;

	out->done = 0;
	expire_before(d, in->ts_ns);
	if (len > WS_FRAG_BYTES_MAX || lo > WS_FRAG_BYTES_MAX - len) {
		d->st.frag_limit++;
		return WS_DE_FRAG_LIMIT;
	}
	hi = lo + len;
	s = set_find(d, &in->key, h);
	if (!s) {
		if (d->set_cnt >= WS_FRAG_DATAGRAMS_MAX) {
			d->st.frag_limit++;
			return WS_DE_FRAG_LIMIT;
		}
		s = set_new(d, &in->key, h, in->ts_ns);
		if (!s) {
			d->st.frag_limit++;
			return WS_DE_FRAG_LIMIT;
		}
	}
	/* The last fragment fixes the size; nothing may lie past it. */
	if (!in->more) {
		if (s->have_last && s->total != hi)
			return WS_DE_FRAG_BAD;
		if (s->cov_cnt && s->cov[s->cov_cnt - 1].hi > hi)
			return WS_DE_FRAG_BAD;
	} else if (s->have_last && hi > s->total) {
		return WS_DE_FRAG_BAD;
	}
	if (s->pieces >= WS_FRAG_PIECES_MAX || set_reserve(s, hi) < 0) {
		d->st.frag_limit++;
		return WS_DE_FRAG_LIMIT;
	}
	if (len) {
		if (fill_holes(s, &in->data, lo, hi))
			d->st.frag_overlaps++;
		cov_add(s, lo, hi);
	}
	s->pieces++;
	if (!in->more) {
		s->have_last = 1;
		s->total = hi;
	}
	if (lo == 0 && !s->have_first) {
		s->have_first = 1;
		s->next_proto = in->next_proto;
		s->hdr_len = in->hdr_len;
	}
	if (!set_complete(s))
		return WS_DE_NONE;

	/* Done: hand the buffer over to the decoder; the old done_buf goes with the set. */
	tmp = d->done_buf;
	tmp_cap = d->done_cap;
	d->done_buf = s->buf;
	d->done_cap = s->cap;
	s->buf = tmp;
	s->cap = tmp_cap;
	out->done = 1;
	out->buf = d->done_buf;
	out->len = s->total;
	out->next_proto = s->next_proto;
	out->hdr_len = s->hdr_len;
	out->cnt = s->pieces;
	d->st.frag_datagrams++;
	set_drop(d, s);
	return WS_DE_NONE;
}
