/*
 * flow.c - the flow table: bidirectional flows keyed on the 5-tuple, client
 * and server roles, TCP connection state, idle timeouts by class, TCP port
 * reuse and a hard cap with least-recently-seen eviction (contract: flow.h).
 *
 * Spec: RFC 9293 3.5 and 3.6 (opening with SYN, SYN+ACK; closing with FIN;
 * RST in SYN-SENT rejects the connection), 3.4 (sequence numbers, ISN).
 *
 * Key. (IP version, IP protocol, the two address:port endpoints), made
 * symmetric by putting the smaller endpoint first, and hashed with SipHash-1-3
 * (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) under a
 * 128-bit key drawn from getrandom() per table, so that nobody who does not
 * know the key can aim packets at one chain. TCP and UDP use their ports; every
 * other protocol, ICMP and ICMPv6 included, uses ports 0: all ICMP between two
 * hosts is one flow (as the header promises cport/sport 0 for ICMP; tshark's
 * conversation tables have no ICMP to compare with). A TCP or UDP packet whose
 * header did not decode (l4_ok 0) has no reliable ports and gets no flow.
 *
 * Table. Open hashing: a power-of-two array of chain heads, chains linked
 * through hnext. The array doubles (rehash of every flow) when live flows
 * exceed the bucket count, up to the next power of two of max_flows. Flow
 * structs come from a free list of ended flows before malloc: the only
 * allocation on the packet path is the creation of a flow when none is free.
 *
 * Timeouts. Five classes (TCP new, TCP established, TCP closed/reset/rejected,
 * UDP, other), each a doubly linked list with the most recently seen flow at
 * the head. A packet moves its flow to the head of its (possibly new) class,
 * so each list is ordered by last_ns when time only moves forward, and
 * ws_flow_expire() only looks at the tails: O(expired + classes). Files read
 * one after the other may go back in time; last_ns never decreases and a
 * negative idle time never expires anything, so at worst an out-of-order list
 * delays an expiry, never makes a wrong one. A packet that finds its flow idle
 * past the timeout (the caller had not called ws_flow_expire yet) ends it and
 * starts a new one, so the result does not depend on how often expire runs.
 * Eviction at the cap and ws_flow_flush() take the oldest of the class tails
 * (least recently seen; with time going backwards, the least recently touched).
 *
 * TCP state. NEW until the other side sends anything -> ESTABLISHED. An RST
 * from the server while the client's SYN is unanswered (no SYN from the
 * server, no payload either way) -> REJECTED; any other RST -> RESET (a
 * flow already CLOSED by two FINs stays CLOSED). A FIN from each side ->
 * CLOSED; one FIN alone is a half-close and changes nothing.
 *
 * Port reuse. A SYN without ACK on a TCP flow that saw FIN or RST (or is in
 * CLOSED/RESET/REJECTED) ends the old flow (WS_END_PORT_REUSE) and starts a
 * new one, unless it is the client's SYN again with the client's ISN: that is
 * a retransmission of the same connection attempt (Windows retries a refused
 * SYN with the same ISN), kept in the same flow as tshark keeps it in the same
 * tcp.stream. A SYN from the server side after FIN/RST is always a new flow.
 *
 * has_mac: bit 0 when cli_mac is set, bit 1 when srv_mac is set. Each MAC is
 * the Ethernet source of the first packet from that side.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/limits.h"
#include "flow/flow.h"

enum flow_class {
	FC_TCP_NEW,
	FC_TCP_EST,
	FC_TCP_CLOSED,
	FC_UDP,
	FC_OTHER,
	FC__COUNT
};

/* The bucket array starts at this size (or smaller when the cap is smaller):
 * big enough that small captures never rehash, small enough to be free. */
#define FLOW_BUCKETS_INIT	4096u

#define IPPROTO_TCP_NUM		6
#define IPPROTO_UDP_NUM		17

struct lru {
	struct ws_flow *head, *tail;
};

struct ws_flow_table {
	struct ws_flow_cfg cfg;
	ws_flow_end_fn on_end;
	void *user;
	uint64_t sip_k0, sip_k1;	/* the hash key */
	struct ws_flow **bucket;
	size_t nbucket;			/* a power of two */
	size_t nbucket_max;
	struct lru lru[FC__COUNT];
	struct ws_flow *free_list;	/* ended flows kept for reuse, linked by hnext */
	uint64_t next_id;
	struct ws_flow_stats stats;
};

/* The lookup key of one packet: endpoints in canonical order (lo first). */
struct flow_key {
	uint8_t ip_ver, proto;
	const struct ws_addr *lo_addr, *hi_addr;
	uint16_t lo_port, hi_port;
};

static const char *const state_names[] = {
	[WS_FLOW_NEW] = "new",
	[WS_FLOW_ESTABLISHED] = "established",
	[WS_FLOW_CLOSED] = "closed",
	[WS_FLOW_RESET] = "reset",
	[WS_FLOW_REJECTED] = "rejected",
};

static const char *const end_names[] = {
	[WS_END_NONE] = "none",
	[WS_END_TIMEOUT] = "timeout",
	[WS_END_TCP_CLOSE] = "tcp_close",
	[WS_END_PORT_REUSE] = "port_reuse",
	[WS_END_EVICTED] = "evicted",
	[WS_END_CAPTURE_END] = "capture_end",
};

static const char *const ident_names[] = {
	[WS_IDENT_NONE] = "none",
	[WS_IDENT_PORT] = "port",
	[WS_IDENT_PAYLOAD] = "payload",
	[WS_IDENT_EXPECTED] = "expected",
};

const char *ws_flow_state_name(enum ws_flow_state s)
{
	if ((unsigned)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[s];
}

const char *ws_flow_end_name(enum ws_flow_end e)
{
	if ((unsigned)e >= sizeof(end_names) / sizeof(end_names[0]))
		return "unknown";
	return end_names[e];
}

const char *ws_ident_name(enum ws_ident i)
{
	if ((unsigned)i >= sizeof(ident_names) / sizeof(ident_names[0]))
		return "unknown";
	return ident_names[i];
}

void ws_flow_cfg_default(struct ws_flow_cfg *cfg)
{
	const int64_t s = 1000000000;

	cfg->max_flows = WS_FLOW_MAX_DEFAULT;
	cfg->tcp_new_timeout_ns = WS_TIMEOUT_TCP_NEW_S * s;
	cfg->tcp_est_timeout_ns = WS_TIMEOUT_TCP_EST_S * s;
	cfg->tcp_closed_timeout_ns = WS_TIMEOUT_TCP_CLOSED_S * s;
	cfg->udp_timeout_ns = WS_TIMEOUT_UDP_S * s;
	cfg->other_timeout_ns = WS_TIMEOUT_OTHER_S * s;
}

/* ---- hashing: SipHash-1-3 over five 64-bit words ---- */

static inline uint64_t rotl64(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static inline void sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl64(s->v2, 32);
}

static inline void sip_word(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	s->v0 ^= m;
}

static inline uint64_t load_le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static uint32_t key_hash(const struct ws_flow_table *t, const struct flow_key *k)
{
	struct sip s = {
		.v0 = t->sip_k0 ^ 0x736f6d6570736575ull,
		.v1 = t->sip_k1 ^ 0x646f72616e646f6dull,
		.v2 = t->sip_k0 ^ 0x6c7967656e657261ull,
		.v3 = t->sip_k1 ^ 0x7465646279746573ull,
	};
	/* 16 + 16 + 8 bytes: addresses, then ports, protocol and version; the
	 * message length (40) goes in the top byte of a final word. */
	sip_word(&s, load_le64(k->lo_addr->b));
	sip_word(&s, load_le64(k->lo_addr->b + 8));
	sip_word(&s, load_le64(k->hi_addr->b));
	sip_word(&s, load_le64(k->hi_addr->b + 8));
	sip_word(&s, (uint64_t)k->lo_port | (uint64_t)k->hi_port << 16 |
		     (uint64_t)k->proto << 32 | (uint64_t)k->ip_ver << 40);
	sip_word(&s, (uint64_t)40 << 56);
	s.v2 ^= 0xff;
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	uint64_t h = s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
	return (uint32_t)(h ^ (h >> 32));
}

static void seed_key(struct ws_flow_table *t)
{
	uint8_t k[16];

	if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		/* No entropy source: a clock and an address are better than a constant. */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t a = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec;
		uint64_t b = (uint64_t)(uintptr_t)t * 0xc2b2ae3d27d4eb4full ^ (uint64_t)time(NULL);
		memcpy(k, &a, 8);
		memcpy(k + 8, &b, 8);
	}
	t->sip_k0 = load_le64(k);
	t->sip_k1 = load_le64(k + 8);
}

/* ---- the key of a packet ---- */

static bool packet_key(const struct ws_packet *p, struct flow_key *k, uint16_t *sp, uint16_t *dp)
{
	if (p->ip_ver != 4 && p->ip_ver != 6)
		return false;
	if (p->frag == WS_FRAG_HELD)
		return false;
	*sp = 0;
	*dp = 0;
	if (p->ip_proto == IPPROTO_TCP_NUM || p->ip_proto == IPPROTO_UDP_NUM) {
		if (!p->l4_ok)
			return false;
		*sp = p->sport;
		*dp = p->dport;
	}
	k->ip_ver = p->ip_ver;
	k->proto = p->ip_proto;
	int c = memcmp(p->src.b, p->dst.b, sizeof(p->src.b));
	if (c < 0 || (c == 0 && *sp <= *dp)) {
		k->lo_addr = &p->src;
		k->lo_port = *sp;
		k->hi_addr = &p->dst;
		k->hi_port = *dp;
	} else {
		k->lo_addr = &p->dst;
		k->lo_port = *dp;
		k->hi_addr = &p->src;
		k->hi_port = *sp;
	}
	return true;
}

static inline bool addr_same(const struct ws_addr *a, const struct ws_addr *b)
{
	/* addr.h: the unused bytes of an IPv4 address are zero. */
	return memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

/* Does f carry this packet? Sets *dir when it does. */
static bool flow_match(const struct ws_flow *f, const struct ws_packet *p, uint16_t sp, uint16_t dp,
		       enum ws_dir *dir)
{
	if (f->proto != p->ip_proto || f->ip_ver != p->ip_ver)
		return false;
	if (f->cport == sp && f->sport == dp && addr_same(&f->cli, &p->src) && addr_same(&f->srv, &p->dst)) {
		*dir = WS_DIR_TO_SERVER;
		return true;
	}
	if (f->cport == dp && f->sport == sp && addr_same(&f->cli, &p->dst) && addr_same(&f->srv, &p->src)) {
		*dir = WS_DIR_TO_CLIENT;
		return true;
	}
	return false;
}

/* ---- lists ---- */

static enum flow_class flow_class_of(const struct ws_flow *f)
{
	if (f->proto == IPPROTO_TCP_NUM) {
		switch (f->state) {
		case WS_FLOW_NEW:
			return FC_TCP_NEW;
		case WS_FLOW_ESTABLISHED:
			return FC_TCP_EST;
		default:
			return FC_TCP_CLOSED;
		}
	}
	if (f->proto == IPPROTO_UDP_NUM)
		return FC_UDP;
	return FC_OTHER;
}

static int64_t class_timeout(const struct ws_flow_table *t, unsigned c)
{
	switch (c) {
	case FC_TCP_NEW:
		return t->cfg.tcp_new_timeout_ns;
	case FC_TCP_EST:
		return t->cfg.tcp_est_timeout_ns;
	case FC_TCP_CLOSED:
		return t->cfg.tcp_closed_timeout_ns;
	case FC_UDP:
		return t->cfg.udp_timeout_ns;
	default:
		return t->cfg.other_timeout_ns;
	}
}

/*
 * Has a flow last seen at last been idle more than timeout at now? Only ever
 * when now is later (time going backwards expires nothing), and computed
 * unsigned so that no timestamp, however hostile, overflows.
 */
static bool idle_past(int64_t now, int64_t last, int64_t timeout)
{
	if (now <= last || timeout < 0)
		return false;
	return (uint64_t)now - (uint64_t)last > (uint64_t)timeout;
}

static void lru_unlink(struct ws_flow_table *t, struct ws_flow *f)
{
	struct lru *l = &t->lru[f->tclass];

	if (f->lprev)
		f->lprev->lnext = f->lnext;
	else
		l->head = f->lnext;
	if (f->lnext)
		f->lnext->lprev = f->lprev;
	else
		l->tail = f->lprev;
	f->lprev = NULL;
	f->lnext = NULL;
}

static void lru_push_head(struct ws_flow_table *t, struct ws_flow *f, unsigned c)
{
	struct lru *l = &t->lru[c];

	f->tclass = (uint8_t)c;
	f->lprev = NULL;
	f->lnext = l->head;
	if (l->head)
		l->head->lprev = f;
	else
		l->tail = f;
	l->head = f;
}

/* ---- hash chains ---- */

static void chain_unlink(struct ws_flow_table *t, struct ws_flow *f)
{
	struct ws_flow **pp = &t->bucket[f->hash & (t->nbucket - 1)];

	while (*pp && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = f->hnext;
	f->hnext = NULL;
}

static void chain_insert(struct ws_flow_table *t, struct ws_flow *f)
{
	struct ws_flow **head = &t->bucket[f->hash & (t->nbucket - 1)];

	f->hnext = *head;
	*head = f;
}

/* Doubles the bucket array; on allocation failure keeps the old one (longer chains, still correct). */
static void table_grow(struct ws_flow_table *t)
{
	size_t n = t->nbucket * 2;
	struct ws_flow **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return;
	for (size_t i = 0; i < t->nbucket; i++) {
		struct ws_flow *f = t->bucket[i];
		while (f) {
			struct ws_flow *next = f->hnext;
			size_t j = f->hash & (n - 1);
			f->hnext = nb[j];
			nb[j] = f;
			f = next;
		}
	}
	free(t->bucket);
	t->bucket = nb;
	t->nbucket = n;
}

/* ---- table ---- */

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n && p < ((size_t)1 << (sizeof(size_t) * 8 - 2)))
		p <<= 1;
	return p;
}

struct ws_flow_table *ws_flow_table_new(const struct ws_flow_cfg *cfg, ws_flow_end_fn on_end, void *user)
{
	struct ws_flow_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (cfg)
		t->cfg = *cfg;
	else
		ws_flow_cfg_default(&t->cfg);
	if (t->cfg.max_flows == 0)
		t->cfg.max_flows = WS_FLOW_MAX_DEFAULT;
	t->on_end = on_end;
	t->user = user;
	t->next_id = 1;
	t->nbucket_max = pow2_at_least(t->cfg.max_flows);
	t->nbucket = t->nbucket_max < FLOW_BUCKETS_INIT ? t->nbucket_max : FLOW_BUCKETS_INIT;
	t->bucket = calloc(t->nbucket, sizeof(*t->bucket));
	if (!t->bucket) {
		free(t);
		return NULL;
	}
	seed_key(t);
	return t;
}

/* Ends f: the callback, then unlink and recycle. */
static void flow_end(struct ws_flow_table *t, struct ws_flow *f, enum ws_flow_end why)
{
	f->end_reason = why;
	if (t->on_end)
		t->on_end(t->user, f);
	chain_unlink(t, f);
	lru_unlink(t, f);
	t->stats.ended++;
	t->stats.live--;
	switch (why) {
	case WS_END_TIMEOUT:
	case WS_END_TCP_CLOSE:
		t->stats.timed_out++;
		break;
	case WS_END_EVICTED:
		t->stats.evicted++;
		break;
	case WS_END_PORT_REUSE:
		t->stats.port_reuse++;
		break;
	default:
		break;
	}
	f->hnext = t->free_list;
	t->free_list = f;
}

static enum ws_flow_end timeout_reason(unsigned c)
{
	return c == FC_TCP_CLOSED ? WS_END_TCP_CLOSE : WS_END_TIMEOUT;
}

/* The least recently seen flow of all classes: the oldest of the tails. */
static struct ws_flow *oldest_flow(const struct ws_flow_table *t)
{
	struct ws_flow *best = NULL;

	for (unsigned c = 0; c < FC__COUNT; c++) {
		struct ws_flow *f = t->lru[c].tail;
		if (!f)
			continue;
		if (!best || f->last_ns < best->last_ns ||
		    (f->last_ns == best->last_ns && f->id < best->id))
			best = f;
	}
	return best;
}

void ws_flow_flush(struct ws_flow_table *t)
{
	struct ws_flow *f = oldest_flow(t);

	while (f) {
		flow_end(t, f, WS_END_CAPTURE_END);
		f = oldest_flow(t);
	}
}

void ws_flow_table_free(struct ws_flow_table *t)
{
	if (!t)
		return;
	ws_flow_flush(t);
	struct ws_flow *f = t->free_list;
	while (f) {
		struct ws_flow *next = f->hnext;
		free(f);
		f = next;
	}
	free(t->bucket);
	free(t);
}

const struct ws_flow_stats *ws_flow_table_stats(const struct ws_flow_table *t)
{
	return &t->stats;
}

void ws_flow_expire(struct ws_flow_table *t, int64_t now_ns)
{
	for (unsigned c = 0; c < FC__COUNT; c++) {
		int64_t to = class_timeout(t, c);
		struct ws_flow *f = t->lru[c].tail;
		while (f && idle_past(now_ns, f->last_ns, to)) {
			flow_end(t, f, timeout_reason(c));
			f = t->lru[c].tail;
		}
	}
}

/* ---- creation and per-packet update ---- */

/* Is the sender of p the client of a new flow? flow.h: roles. */
static bool sender_is_client(const struct ws_packet *p, uint16_t sp, uint16_t dp)
{
	if (p->ip_proto == IPPROTO_TCP_NUM) {
		uint8_t fl = p->tcp.flags & (WS_TH_SYN | WS_TH_ACK);
		if (fl == WS_TH_SYN)
			return true;
		if (fl == (WS_TH_SYN | WS_TH_ACK))
			return false;
	}
	if (sp != dp)
		return sp > dp;
	return true;
}

static struct ws_flow *flow_create(struct ws_flow_table *t, const struct ws_packet *p, uint16_t sp,
				   uint16_t dp, uint32_t hash, enum ws_dir *dir)
{
	if (t->stats.live >= t->cfg.max_flows) {
		struct ws_flow *old = oldest_flow(t);
		if (old)
			flow_end(t, old, WS_END_EVICTED);
	}
	struct ws_flow *f = t->free_list;
	if (f)
		t->free_list = f->hnext;
	else
		f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->id = t->next_id++;
	f->proto = p->ip_proto;
	f->ip_ver = p->ip_ver;
	if (sender_is_client(p, sp, dp)) {
		f->cli = p->src;
		f->srv = p->dst;
		f->cport = sp;
		f->sport = dp;
		*dir = WS_DIR_TO_SERVER;
	} else {
		f->cli = p->dst;
		f->srv = p->src;
		f->cport = dp;
		f->sport = sp;
		*dir = WS_DIR_TO_CLIENT;
	}
	f->first_ns = p->ts_ns;
	f->last_ns = p->ts_ns;
	f->first_pkt = p->num;
	f->file_idx = p->file_idx;
	f->state = WS_FLOW_NEW;
	f->hash = hash;
	chain_insert(t, f);
	lru_push_head(t, f, flow_class_of(f));
	t->stats.created++;
	t->stats.live++;
	if (t->stats.live > t->stats.live_max)
		t->stats.live_max = t->stats.live;
	if (t->stats.live > t->nbucket && t->nbucket < t->nbucket_max)
		table_grow(t);
	return f;
}

/* Should this SYN end f and start a new connection on the same 5-tuple? */
static bool is_port_reuse(const struct ws_flow *f, const struct ws_packet *p, enum ws_dir dir)
{
	if (f->proto != IPPROTO_TCP_NUM)
		return false;
	if ((p->tcp.flags & (WS_TH_SYN | WS_TH_ACK | WS_TH_RST)) != WS_TH_SYN)
		return false;
	bool ended = f->state == WS_FLOW_CLOSED || f->state == WS_FLOW_RESET ||
		     f->state == WS_FLOW_REJECTED ||
		     ((f->tcp_flags[0] | f->tcp_flags[1]) & (WS_TH_FIN | WS_TH_RST));
	if (!ended)
		return false;
	/* The client's SYN again with its ISN: a retransmitted attempt, not a new one. */
	if (dir == WS_DIR_TO_SERVER && f->isn_set[0] && (f->tcp_flags[0] & WS_TH_SYN) &&
	    f->isn[0] == p->tcp.seq)
		return false;
	return true;
}

static void tcp_update_state(struct ws_flow *f, const struct ws_packet *p, enum ws_dir dir)
{
	uint8_t fl = p->tcp.flags;
	unsigned other = dir ^ 1u;

	if (fl & WS_TH_RST) {
		if (f->state == WS_FLOW_CLOSED || f->state == WS_FLOW_REJECTED)
			return;
		bool syn_unanswered = dir == WS_DIR_TO_CLIENT && (f->tcp_flags[WS_DIR_TO_SERVER] & WS_TH_SYN) &&
				      !(f->tcp_flags[WS_DIR_TO_CLIENT] & WS_TH_SYN) &&
				      f->payload_bytes[0] == 0 && f->payload_bytes[1] == 0;
		f->state = syn_unanswered ? WS_FLOW_REJECTED : WS_FLOW_RESET;
		return;
	}
	if (f->state == WS_FLOW_NEW && f->pkts[other] > 0)
		f->state = WS_FLOW_ESTABLISHED;
	if ((f->tcp_flags[0] & WS_TH_FIN) && (f->tcp_flags[1] & WS_TH_FIN) &&
	    (f->state == WS_FLOW_NEW || f->state == WS_FLOW_ESTABLISHED))
		f->state = WS_FLOW_CLOSED;
}

static void flow_update(struct ws_flow_table *t, struct ws_flow *f, const struct ws_packet *p, enum ws_dir dir)
{
	unsigned d = dir;

	if (p->ts_ns > f->last_ns)
		f->last_ns = p->ts_ns;
	f->last_pkt = p->num;
	f->pkts[d]++;
	f->bytes[d] += p->wirelen;
	f->payload_bytes[d] += p->payload_wire_len > p->payload_len ? p->payload_wire_len : p->payload_len;
	if (p->has_eth && !(f->has_mac & (1u << d))) {
		memcpy(d == WS_DIR_TO_SERVER ? f->cli_mac : f->srv_mac, p->eth_src, 6);
		f->has_mac |= (uint8_t)(1u << d);
	}
	if (f->proto == IPPROTO_TCP_NUM) {
		f->tcp_flags[d] |= p->tcp.flags;
		if (!f->isn_set[d]) {
			f->isn[d] = p->tcp.seq;
			f->isn_set[d] = 1;
		}
		tcp_update_state(f, p, dir);
	} else if (f->state == WS_FLOW_NEW && f->pkts[0] > 0 && f->pkts[1] > 0) {
		f->state = WS_FLOW_ESTABLISHED;
	}
	lru_unlink(t, f);
	lru_push_head(t, f, flow_class_of(f));
}

struct ws_flow *ws_flow_track(struct ws_flow_table *t, const struct ws_packet *p, enum ws_dir *dir)
{
	struct flow_key k;
	uint16_t sp, dp;
	enum ws_dir d = WS_DIR_TO_SERVER;

	if (!packet_key(p, &k, &sp, &dp))
		return NULL;
	uint32_t h = key_hash(t, &k);
	struct ws_flow *f = t->bucket[h & (t->nbucket - 1)];
	while (f && !(f->hash == h && flow_match(f, p, sp, dp, &d)))
		f = f->hnext;

	if (f) {
		unsigned c = f->tclass;
		if (idle_past(p->ts_ns, f->last_ns, class_timeout(t, c))) {
			flow_end(t, f, timeout_reason(c));
			f = NULL;
		} else if (is_port_reuse(f, p, d)) {
			flow_end(t, f, WS_END_PORT_REUSE);
			f = NULL;
		}
	}
	if (!f) {
		f = flow_create(t, p, sp, dp, h, &d);
		if (!f)
			return NULL;
	}
	flow_update(t, f, p, d);
	*dir = d;
	return f;
}
