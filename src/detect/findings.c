/*
 * findings.c - the finding store: one finding per cause, updated as evidence
 * grows (see finding.h). A cause is (kind, source, target, port, protocol,
 * service); lookups go through a small open hash table over the vector.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/finding.h"

struct ws_findings {
	struct ws_finding **v;
	size_t cnt;
	size_t cap;
	uint32_t *slots;	/* 1-based indices into v; 0 = empty */
	size_t nslots;		/* power of two, kept at least 2x cnt */
};

const char *ws_severity_name(enum ws_severity s)
{
	static const char *const n[] = { "info", "low", "medium", "high", "critical" };

	return (unsigned)s <= WS_SEV_CRITICAL ? n[s] : "info";
}

struct ws_findings *ws_findings_new(void)
{
	return calloc(1, sizeof(struct ws_findings));
}

void ws_findings_free(struct ws_findings *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->cnt; i++)
		free(fs->v[i]);
	free(fs->v);
	free(fs->slots);
	free(fs);
}

static uint32_t key_hash(const char *kind, const struct ws_addr *src, const struct ws_addr *dst,
			 uint16_t port, uint8_t proto, const char *service)
{
	uint32_t h = 2166136261u;

	for (const char *s = kind; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	for (const char *s = service; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	h ^= ws_addr_hash(src, 0x9e3779b9u);
	h = h * 31 + ws_addr_hash(dst, 0x85ebca6bu);
	h = h * 31 + port;
	h = h * 31 + proto;
	return h;
}

static bool key_eq(const struct ws_finding *f, const char *kind, const struct ws_addr *src,
		   const struct ws_addr *dst, uint16_t port, uint8_t proto, const char *service)
{
	return strcmp(f->kind, kind) == 0 && f->dst_port == port && f->proto == proto &&
	       ws_addr_cmp(&f->key_src, src) == 0 && ws_addr_cmp(&f->key_dst, dst) == 0 &&
	       strcmp(f->service, service) == 0;
}

static bool rehash(struct ws_findings *fs)
{
	size_t n = fs->nslots ? fs->nslots * 2 : 64;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return false;
	for (size_t i = 0; i < fs->cnt; i++) {
		struct ws_finding *f = fs->v[i];
		size_t j = key_hash(f->kind, &f->key_src, &f->key_dst, f->dst_port, f->proto, f->service) & (n - 1);

		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(fs->slots);
	fs->slots = s;
	fs->nslots = n;
	return true;
}

struct ws_finding *ws_findings_get(struct ws_findings *fs, const char *kind,
				   const struct ws_addr *src, const struct ws_addr *dst,
				   uint16_t dst_port, uint8_t proto, const char *service, bool *is_new)
{
	static const struct ws_addr none;
	const struct ws_addr *s = src ? src : &none;
	const struct ws_addr *d = dst ? dst : &none;
	const char *svc = service ? service : "";
	struct ws_finding *f;
	size_t j;

	*is_new = false;
	if ((fs->cnt + 1) * 2 > fs->nslots && !rehash(fs))
		return NULL;
	j = key_hash(kind, s, d, dst_port, proto, svc) & (fs->nslots - 1);
	while (fs->slots[j]) {
		f = fs->v[fs->slots[j] - 1];
		if (key_eq(f, kind, s, d, dst_port, proto, svc))
			return f;
		j = (j + 1) & (fs->nslots - 1);
	}
	if (fs->cnt == fs->cap) {
		size_t nc = fs->cap ? fs->cap * 2 : 16;
		struct ws_finding **nv = realloc(fs->v, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		fs->v = nv;
		fs->cap = nc;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->id = fs->cnt + 1;
	f->kind = kind;
	f->src = *s;
	f->dst = *d;
	f->key_src = *s;
	f->key_dst = *d;
	f->dst_port = dst_port;
	f->proto = proto;
	snprintf(f->service, sizeof(f->service), "%s", svc);
	fs->v[fs->cnt++] = f;
	fs->slots[j] = (uint32_t)fs->cnt;
	*is_new = true;
	return f;
}

void ws_finding_evidence(struct ws_finding *f, int64_t ts_ns, uint64_t flow_id, uint64_t pkt_num, uint32_t file_idx)
{
	if (f->evidence_total == 0 || ts_ns < f->first_ns)
		f->first_ns = ts_ns;
	if (f->evidence_total == 0 || ts_ns > f->last_ns)
		f->last_ns = ts_ns;
	f->evidence_total++;
	if (flow_id) {
		bool seen = false;

		for (uint32_t i = 0; i < f->flow_id_cnt; i++)
			seen = seen || f->flow_ids[i] == flow_id;
		if (!seen && f->flow_id_cnt < WS_FINDING_EVIDENCE_MAX)
			f->flow_ids[f->flow_id_cnt++] = flow_id;
	}
	if (pkt_num && f->pkt_cnt < WS_FINDING_EVIDENCE_MAX) {
		f->pkts[f->pkt_cnt] = pkt_num;
		f->pkt_file[f->pkt_cnt] = file_idx;
		f->pkt_cnt++;
	}
}

size_t ws_findings_count(const struct ws_findings *fs)
{
	return fs->cnt;
}

const struct ws_finding *ws_findings_at(const struct ws_findings *fs, size_t i)
{
	return i < fs->cnt ? fs->v[i] : NULL;
}

void ws_findings_emit(struct ws_findings *fs, struct ws_bus *bus)
{
	for (size_t i = 0; i < fs->cnt; i++) {
		const struct ws_finding *f = fs->v[i];
		struct ws_event ev = {
			.type = WS_EV_FINDING,
			.ts_ns = f->last_ns,
			.pkt_num = f->pkt_cnt ? f->pkts[0] : 0,
			.file_idx = f->pkt_cnt ? f->pkt_file[0] : 0,
			.flow = NULL,
			.body = f,
		};

		ws_bus_emit(bus, &ev);
	}
}
