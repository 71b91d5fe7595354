/*
 * inventory.c - hosts seen in the run (see inventory.h). Hosts live in a
 * vector with an open-addressing index; a host's offered services are a small
 * bounded array (WS_HOST_SERVICES_MAX). Peers and clients are counted
 * approximately with a 64-bit presence mask of address hashes, enough for a
 * report's "about N" without a set per host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/ev_smb.h"
#include "flow/flow.h"
#include "inventory/inventory.h"
#include "kb/kb.h"
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
	for (size_t i = 0; i < inv->cnt; i++) {
		free(inv->v[i]->h.win);
		free(inv->v[i]);
	}
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

/* ---- Windows networking facts (inventory.h) ---- */

static struct ws_host_win *win_of(struct ws_inventory *inv, const struct ws_addr *a)
{
	struct host_rec *r;

	if (!a || !a->v || ws_addr_is_multicast_or_broadcast(a))
		return NULL;
	r = get(inv, a);
	if (!r)
		return NULL;
	if (!r->h.win)
		r->h.win = calloc(1, sizeof(*r->h.win));
	return r->h.win;
}

static void add_role(struct ws_host_win *w, const char *role)
{
	if (!role)
		return;
	for (uint32_t i = 0; i < w->role_cnt; i++)
		if (strcmp(w->roles[i], role) == 0)
			return;
	if (w->role_cnt >= WS_HOST_ROLES_MAX) {
		w->roles_dropped++;
		return;
	}
	w->roles[w->role_cnt++] = role;
}

static void add_name(struct ws_host_win *w, const struct ws_nb_name *n, int group, uint16_t flags)
{
	const struct ws_nb_suffix *k;
	enum ws_nb_group type = n->type;

	if (!w || !n->name[0])
		return;
	if (type == WS_NB_UNKNOWN && group >= 0)
		type = group ? WS_NB_GROUP : WS_NB_UNIQUE;
	k = ws_kb_nb_suffix(n->suffix, type == WS_NB_UNKNOWN ? -1 : type == WS_NB_GROUP, n->name);
	/* A name the kb types differently (group vs unique) implies no role. */
	if (k && type != WS_NB_UNKNOWN && k->type != (type == WS_NB_GROUP ? 'G' : 'U'))
		k = NULL;
	if (k)
		add_role(w, k->role);
	for (uint32_t i = 0; i < w->name_cnt; i++) {
		struct ws_host_nbname *e = &w->names[i];

		if (e->suffix == n->suffix && strcmp(e->name, n->name) == 0) {
			if (e->type == WS_NB_UNKNOWN && type != WS_NB_UNKNOWN) {
				e->type = type;
				e->meaning = k ? k->meaning : n->meaning;
				e->role = k ? k->role : NULL;
			}
			if (flags)
				e->flags = flags;
			return;
		}
	}
	if (w->name_cnt >= WS_HOST_NB_NAMES_MAX) {
		w->names_dropped++;
		return;
	}
	w->names[w->name_cnt++] = (struct ws_host_nbname){
		.suffix = n->suffix, .type = type,
		.meaning = k ? k->meaning : n->meaning, .role = k ? k->role : NULL, .flags = flags,
	};
	snprintf(w->names[w->name_cnt - 1].name, WS_NB_NAME_MAX, "%s", n->name);
}

/* Adds s to a bounded list of strings; 1 if added or present. */
static void add_text(char (*list)[WS_HOST_TEXT_MAX], uint32_t *cnt, uint32_t *dropped, uint32_t max, const char *s)
{
	if (!s || !s[0])
		return;
	for (uint32_t i = 0; i < *cnt; i++)
		if (strncmp(list[i], s, WS_HOST_TEXT_MAX - 1) == 0)
			return;
	if (*cnt >= max) {
		(*dropped)++;
		return;
	}
	snprintf(list[(*cnt)++], WS_HOST_TEXT_MAX, "%s", s);
}

static void add_dialect(char (*list)[WS_HOST_DIALECT_LEN], uint32_t *cnt, uint32_t *dropped, const char *s)
{
	if (!s || !s[0])
		return;
	for (uint32_t i = 0; i < *cnt; i++)
		if (strncmp(list[i], s, WS_HOST_DIALECT_LEN - 1) == 0)
			return;
	if (*cnt >= WS_HOST_DIALECTS_MAX) {
		(*dropped)++;
		return;
	}
	snprintf(list[(*cnt)++], WS_HOST_DIALECT_LEN, "%s", s);
}

/*
 * The sender of a NetBIOS message on its flow. The event does not say the
 * direction: a request goes client -> server and a response back, unless the
 * flow was created by the message itself (a response to a broadcast query
 * starts its own flow, with the responder as client).
 * NEEDSWORK: events should carry the packet's direction.
 */
static const struct ws_addr *nb_sender(const struct ws_flow *f, bool response)
{
	if (response)
		return f->pkts[WS_DIR_TO_CLIENT] ? &f->srv : &f->cli;
	return f->pkts[WS_DIR_TO_SERVER] ? &f->cli : &f->srv;
}

/* [MS-BRWS] 2.2.1 / [MS-RAP] SV_TYPE_* bits that say what a host is. */
static void server_type_roles(struct ws_host_win *w, uint32_t t)
{
	static const struct {
		uint32_t bit;
		const char *role;
	} bits[] = {
		{ 0x00000002, "file server" },
		{ 0x00000004, "SQL server" },
		{ 0x00000008, "domain controller" },
		{ 0x00000010, "backup domain controller" },
		{ 0x00000020, "time source" },
		{ 0x00000200, "print server" },
		{ 0x00000400, "dial-in server" },
		{ 0x00020000, "backup browser" },
		{ 0x00040000, "master browser" },
		{ 0x00080000, "domain master browser" },
		{ 0x00800000, "DFS server" },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (t & bits[i].bit)
			add_role(w, bits[i].role);
}

static void nb_ns(struct ws_inventory *inv, const struct ws_flow *f, const struct ws_ev_netbios *n)
{
	const struct ws_addr *snd = nb_sender(f, n->response);
	struct ws_host_win *w;
	uint8_t cnt;

	/* Node status response: the responder's whole table, and its MAC. */
	if (n->response && n->qtype == 0x21 && n->rcode == 0) {
		struct host_rec *r;

		w = win_of(inv, snd);
		if (!w)
			return;
		cnt = n->status_cnt < WS_NB_STATUS_MAX ? n->status_cnt : WS_NB_STATUS_MAX;
		for (uint8_t i = 0; i < cnt; i++)
			add_name(w, &n->status[i].name, n->status[i].flags & 0x8000 ? 1 : 0, n->status[i].flags);
		r = lookup(inv, snd, NULL);
		if (r && n->has_unit_id && !r->h.has_mac &&
		    (n->unit_id[0] | n->unit_id[1] | n->unit_id[2] | n->unit_id[3] | n->unit_id[4] | n->unit_id[5])) {
			memcpy(r->h.mac, n->unit_id, 6);
			r->h.has_mac = 1;
		}
		return;
	}
	if (n->qtype != 0x20 || !n->qname.name[0])
		return;
	/* 5 registration, 8/9 refresh, 15 multi-homed registration; 0 a positive query answer. */
	if (!(n->opcode == 5 || n->opcode == 8 || n->opcode == 9 || n->opcode == 15 ||
	      (n->opcode == 0 && n->response)))
		return;
	if (n->response && n->rcode != 0)
		return;
	cnt = n->addr_cnt < WS_NB_ADDRS_MAX ? n->addr_cnt : WS_NB_ADDRS_MAX;
	for (uint8_t i = 0; i < cnt; i++)
		add_name(win_of(inv, &n->addrs[i].addr), &n->qname, n->addrs[i].nb_flags & 0x8000 ? 1 : 0, 0);
	if (!cnt && !n->response)
		add_name(win_of(inv, snd), &n->qname, -1, 0);
}

static void nb_dgm(struct ws_inventory *inv, const struct ws_flow *f, const struct ws_ev_netbios *n)
{
	const struct ws_addr *snd = n->source_ip.v ? &n->source_ip : nb_sender(f, false);
	struct ws_host_win *w = win_of(inv, snd);
	const struct ws_nb_browser *b = &n->browser;

	if (!w)
		return;
	if (n->src_name.present || n->src_name.name[0])
		add_name(w, &n->src_name, -1, 0);
	/* 1 host announcement, 15 local master announcement: the sender's own facts. */
	if (!n->has_browser || (b->command != 1 && b->command != 15))
		return;
	if (b->os_major || b->os_minor) {
		char os[WS_HOST_TEXT_MAX];

		snprintf(os, sizeof(os), "Windows %u.%u", b->os_major, b->os_minor);
		add_text(w->os, &w->os_cnt, &w->os_dropped, WS_HOST_OS_MAX, os);
	}
	w->server_type |= b->server_type;
	w->has_server_type = true;
	server_type_roles(w, b->server_type);
}

static bool looks_like_ipv4(const char *s)
{
	struct ws_addr a;

	return ws_addr_parse(&a, s) == 0;
}

static void nb_ssn(struct ws_inventory *inv, const struct ws_flow *f, const struct ws_ev_netbios *n)
{
	if (n->ssn_type != 0x81)
		return;
	if (n->calling.name[0])
		add_name(win_of(inv, &f->cli), &n->calling, -1, 0);
	/*
	 * *SMBSERVER is the generic name of any server (MS-CIFS 3.2.4.2.2), and
	 * clients given an address (smbclient //10.0.0.5) call the address
	 * itself: neither is this server's name.
	 */
	if (n->called.name[0] && strcmp(n->called.name, "*SMBSERVER") != 0 && !looks_like_ipv4(n->called.name))
		add_name(win_of(inv, &f->srv), &n->called, -1, 0);
}

static void on_netbios(struct ws_inventory *inv, const struct ws_flow *f, const struct ws_ev_netbios *n)
{
	switch (n->service) {
	case WS_NB_NS: nb_ns(inv, f, n); break;
	case WS_NB_DGM: nb_dgm(inv, f, n); break;
	case WS_NB_SSN: nb_ssn(inv, f, n); break;
	default: break;
	}
}

static void on_smb(struct ws_inventory *inv, const struct ws_flow *f, const struct ws_ev_smb *m)
{
	struct ws_host_win *c = NULL, *s = NULL;
	uint8_t n = m->dialect_cnt < WS_SMB_DIALECTS_MAX ? m->dialect_cnt : WS_SMB_DIALECTS_MAX;
	bool negotiate = (m->version == 1 && m->command == 0x72) || (m->version != 1 && m->command == 0);

	if (negotiate && (n || m->dialect)) {
		c = win_of(inv, &f->cli);
		s = win_of(inv, &f->srv);
		for (uint8_t i = 0; c && i < n; i++)
			add_dialect(c->dialects_offered, &c->dialects_offered_cnt, &c->dialects_offered_dropped,
				    m->dialects[i]);
		if (c)
			add_dialect(c->dialects, &c->dialect_cnt, &c->dialects_dropped, m->dialect);
		if (s)
			add_dialect(s->dialects, &s->dialect_cnt, &s->dialects_dropped, m->dialect);
	}
	if (m->share[0]) {
		s = win_of(inv, &f->srv);
		if (s)
			add_text(s->shares, &s->share_cnt, &s->shares_dropped, WS_HOST_SHARES_MAX, m->share);
	}
	if (m->native_os[0]) {
		c = win_of(inv, &f->cli);
		if (c)
			add_text(c->os, &c->os_cnt, &c->os_dropped, WS_HOST_OS_MAX, m->native_os);
	}
	if (m->server_native_os[0]) {
		s = win_of(inv, &f->srv);
		if (s)
			add_text(s->os, &s->os_cnt, &s->os_dropped, WS_HOST_OS_MAX, m->server_native_os);
	}
}

static void on_login(struct ws_inventory *inv, const struct ws_flow *f, const struct ws_ev_login *l)
{
	struct ws_host_win *c;
	char u[WS_HOST_TEXT_MAX];

	if (!l->user[0])
		return;
	c = win_of(inv, &f->cli);
	if (!c)
		return;
	if (l->domain[0])
		snprintf(u, sizeof(u), "%.40s\\%.50s", l->domain, l->user);
	else
		snprintf(u, sizeof(u), "%.95s", l->user);
	add_text(c->users, &c->user_cnt, &c->users_dropped, WS_HOST_USERS_MAX, u);
}

void ws_inventory_on_event(void *user, const struct ws_event *ev)
{
	struct ws_inventory *inv = user;
	const struct ws_flow *f;
	struct host_rec *c, *s;

	if (ev->flow && ev->body) {
		switch (ev->type) {
		case WS_EV_NETBIOS: on_netbios(inv, ev->flow, ev->body); return;
		case WS_EV_SMB: on_smb(inv, ev->flow, ev->body); return;
		case WS_EV_LOGIN: on_login(inv, ev->flow, ev->body); return;
		default: break;
		}
	}
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
