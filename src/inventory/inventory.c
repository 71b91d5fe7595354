/*
 * inventory.c - hosts seen in the run (see inventory.h). Hosts live in a
 * vector with an open-addressing index; a host's offered services are a small
 * bounded array (WS_HOST_SERVICES_MAX). Peers and clients are counted
 * approximately with a 64-bit presence mask of address hashes, enough for a
 * report's "about N" without a set per host.
 */
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "inventory/inventory.h"
#include "proto/proto.h"

/* Hosts tracked; beyond it new hosts are counted but not kept. */
#define WS_HOSTS_MAX (1u << 20)

struct host_rec {
	struct ws_host h;
	uint64_t peer_mask;
};

struct ws_inventory {
	struct host_rec **v;
	size_t cnt;
	size_t cap;
	uint32_t *slots;
	size_t nslots;
	uint64_t dropped;
	bool sorted;
};

struct ws_inventory *ws_inventory_new(void)
{
	return calloc(1, sizeof(struct ws_inventory));
}

void ws_inventory_free(struct ws_inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->cnt; i++)
		free(inv->v[i]);
	free(inv->v);
	free(inv->slots);
	free(inv);
}

static bool reindex(struct ws_inventory *inv)
{
	size_t n = inv->nslots ? inv->nslots * 2 : 256;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return false;
	for (size_t i = 0; i < inv->cnt; i++) {
		size_t j = ws_addr_hash(&inv->v[i]->h.addr, 0) & (n - 1);

		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(inv->slots);
	inv->slots = s;
	inv->nslots = n;
	return true;
}

static struct host_rec *lookup(const struct ws_inventory *inv, const struct ws_addr *a, size_t *slot)
{
	size_t j;

	if (!inv->nslots)
		return NULL;
	j = ws_addr_hash(a, 0) & (inv->nslots - 1);
	while (inv->slots[j]) {
		struct host_rec *r = inv->v[inv->slots[j] - 1];

		if (ws_addr_eq(&r->h.addr, a))
			return r;
		j = (j + 1) & (inv->nslots - 1);
	}
	if (slot)
		*slot = j;
	return NULL;
}

static struct host_rec *get(struct ws_inventory *inv, const struct ws_addr *a)
{
	struct host_rec *r;
	size_t slot = 0;

	if ((inv->cnt + 1) * 2 > inv->nslots && !reindex(inv))
		return NULL;
	r = lookup(inv, a, &slot);
	if (r)
		return r;
	if (inv->cnt >= WS_HOSTS_MAX) {
		inv->dropped++;
		return NULL;
	}
	if (inv->cnt == inv->cap) {
		size_t nc = inv->cap ? inv->cap * 2 : 64;
		struct host_rec **nv = realloc(inv->v, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		inv->v = nv;
		inv->cap = nc;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->h.addr = *a;
	inv->v[inv->cnt++] = r;
	inv->slots[slot] = (uint32_t)inv->cnt;
	inv->sorted = false;
	return r;
}

static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;

	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

static void touch(struct host_rec *r, const struct ws_flow *f, const struct ws_addr *peer,
		  enum ws_dir out)
{
	struct ws_host *h = &r->h;
	enum ws_dir in = out == WS_DIR_TO_SERVER ? WS_DIR_TO_CLIENT : WS_DIR_TO_SERVER;

	if (h->pkts_sent + h->pkts_recv == 0 || f->first_ns < h->first_ns)
		h->first_ns = f->first_ns;
	if (f->last_ns > h->last_ns)
		h->last_ns = f->last_ns;
	h->pkts_sent += f->pkts[out];
	h->bytes_sent += f->bytes[out];
	h->pkts_recv += f->pkts[in];
	h->bytes_recv += f->bytes[in];
	r->peer_mask |= 1ull << (ws_addr_hash(peer, 1) & 63);
	h->peers = popcount64(r->peer_mask);
}

static void add_service(struct ws_host *h, const struct ws_flow *f)
{
	const char *app = f->app ? f->app->name : NULL;

	for (uint32_t i = 0; i < h->service_cnt; i++) {
		struct ws_host_service *s = &h->services[i];

		if (s->proto == f->proto && s->port == f->sport) {
			s->flows++;
			if (!s->app && app)
				s->app = app;
			return;
		}
	}
	if (h->service_cnt >= WS_HOST_SERVICES_MAX) {
		h->services_dropped++;
		return;
	}
	h->services[h->service_cnt++] = (struct ws_host_service){
		.proto = f->proto, .port = f->sport, .app = app, .flows = 1, .clients = 1,
	};
}

/* A service counts when the server answered: a refused scan probe is no service. */
static bool server_answered(const struct ws_flow *f)
{
	if (f->proto == 6)
		return f->tcp_flags[WS_DIR_TO_CLIENT] & WS_TH_SYN || f->payload_bytes[WS_DIR_TO_CLIENT] > 0;
	return f->pkts[WS_DIR_TO_CLIENT] > 0;
}

void ws_inventory_on_event(void *user, const struct ws_event *ev)
{
	struct ws_inventory *inv = user;
	const struct ws_flow *f;
	struct host_rec *c, *s;

	if (ev->type != WS_EV_FLOW || !ev->flow)
		return;
	f = ev->flow;
	c = get(inv, &f->cli);
	s = ws_addr_eq(&f->cli, &f->srv) ? NULL : get(inv, &f->srv);	/* a host talking to itself counts once */
	if (c) {
		touch(c, f, &f->srv, WS_DIR_TO_SERVER);
		c->h.flows_as_client++;
		if (f->has_mac & WS_FLOW_MAC_CLI && !c->h.has_mac) {
			memcpy(c->h.mac, f->cli_mac, 6);
			c->h.has_mac = 1;
		}
	}
	if (s) {
		touch(s, f, &f->cli, WS_DIR_TO_CLIENT);
		s->h.flows_as_server++;
		if (f->has_mac & WS_FLOW_MAC_SRV && !s->h.has_mac) {
			memcpy(s->h.mac, f->srv_mac, 6);
			s->h.has_mac = 1;
		}
		if ((f->proto == 6 || f->proto == 17) && server_answered(f))
			add_service(&s->h, f);
	}
}

size_t ws_inventory_count(const struct ws_inventory *inv)
{
	return inv->cnt;
}

static int by_bytes(const void *a, const void *b)
{
	const struct host_rec *x = *(struct host_rec *const *)a;
	const struct host_rec *y = *(struct host_rec *const *)b;
	uint64_t bx = x->h.bytes_sent + x->h.bytes_recv;
	uint64_t by = y->h.bytes_sent + y->h.bytes_recv;

	if (bx != by)
		return bx > by ? -1 : 1;
	return ws_addr_cmp(&x->h.addr, &y->h.addr);
}

void ws_inventory_sort(struct ws_inventory *inv)
{
	if (inv->sorted || inv->cnt == 0)
		return;
	qsort(inv->v, inv->cnt, sizeof(*inv->v), by_bytes);
	reindex(inv);
	inv->sorted = true;
}

const struct ws_host *ws_inventory_at(const struct ws_inventory *inv, size_t i)
{
	return i < inv->cnt ? &inv->v[i]->h : NULL;
}

const struct ws_host *ws_inventory_find(const struct ws_inventory *inv, const struct ws_addr *a)
{
	struct host_rec *r = lookup(inv, a, NULL);

	return r ? &r->h : NULL;
}

void ws_inventory_emit(struct ws_inventory *inv, struct ws_bus *bus, int64_t ts_ns)
{
	ws_inventory_sort(inv);
	for (size_t i = 0; i < inv->cnt; i++) {
		struct ws_event ev = {
			.type = WS_EV_HOST,
			.ts_ns = ts_ns,
			.flow = NULL,
			.body = &inv->v[i]->h,
		};

		ws_bus_emit(bus, &ev);
	}
}
