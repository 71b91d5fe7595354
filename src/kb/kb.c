/*
 * kb.c - the port knowledge base: classes, risk names, the port table.
 *
 * Sources: ports.def (seeds 000, 001, 002 and IANA names, curated) and
 * iana_ports.def (generated from /etc/services by gen_iana.py); R14 for the
 * port classes. See kb.h for the contract.
 *
 * Two static const tables, each sorted by (port, l4) and disjoint (the
 * generator leaves out of iana_ports.def every pair ports.def covers), so a
 * lookup is a binary search in the curated table and then in the IANA one.
 * tests/unit/test_kb.c checks the order and the disjointness.
 */
#include "kb/kb.h"

/* l4 tokens of the .def files. */
#define KB_L4_TCP WS_KB_TCP
#define KB_L4_UDP WS_KB_UDP
#define KB_L4_TCP_UDP (WS_KB_TCP | WS_KB_UDP)

static const struct ws_port_info kb_seed[] = {
#define WS_PORT(port, l4, service, description, risk, note, trojans, source) \
	{ (port), KB_L4_##l4, (service), (description), WS_RISK_##risk, (note), (trojans), (source) },
#include "kb/ports.def"
#undef WS_PORT
};

static const struct ws_port_info kb_iana[] = {
#define WS_IANA(port, l4, service, description) \
	{ (port), KB_L4_##l4, (service), (description), WS_RISK_INFO, NULL, NULL, "IANA" },
#include "kb/iana_ports.def"
#undef WS_IANA
};

#define KB_SEED_CNT (sizeof(kb_seed) / sizeof(kb_seed[0]))
#define KB_IANA_CNT (sizeof(kb_iana) / sizeof(kb_iana[0]))

enum ws_port_class ws_kb_port_class(uint16_t port)
{
	/* R14, seed 002: fixed 0-1023, dynamic (IANA: registered) 1024-49151, private 49152-65535. */
	if (port <= 1023)
		return WS_PORT_WELL_KNOWN;
	if (port <= 49151)
		return WS_PORT_REGISTERED;
	return WS_PORT_DYNAMIC;
}

const char *ws_kb_port_class_name(enum ws_port_class c)
{
	switch (c) {
	case WS_PORT_WELL_KNOWN:
		return "well-known";
	case WS_PORT_REGISTERED:
		return "registered";
	case WS_PORT_DYNAMIC:
		return "dynamic";
	}
	return "?";
}

const char *ws_kb_port_class_range(enum ws_port_class c)
{
	switch (c) {
	case WS_PORT_WELL_KNOWN:
		return "0-1023";
	case WS_PORT_REGISTERED:
		return "1024-49151";
	case WS_PORT_DYNAMIC:
		return "49152-65535";
	}
	return "?";
}

const char *ws_kb_risk_name(enum ws_risk r)
{
	switch (r) {
	case WS_RISK_INFO:
		return "info";
	case WS_RISK_LOW:
		return "low";
	case WS_RISK_MEDIUM:
		return "medium";
	case WS_RISK_HIGH:
		return "high";
	}
	return "?";
}

/* First row of t (sorted by port) with this port whose l4 shares a bit with l4. */
static const struct ws_port_info *kb_search(const struct ws_port_info *t, size_t n,
					    uint16_t port, uint8_t l4)
{
	size_t lo = 0;
	size_t hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && t[lo].port == port; lo++) {
		if (t[lo].l4 & l4)
			return &t[lo];
	}
	return NULL;
}

static const struct ws_port_info *kb_lookup_one(uint16_t port, uint8_t l4)
{
	const struct ws_port_info *row = kb_search(kb_seed, KB_SEED_CNT, port, l4);

	if (row)
		return row;
	return kb_search(kb_iana, KB_IANA_CNT, port, l4);
}

const struct ws_port_info *ws_kb_port(uint16_t port, uint8_t l4)
{
	const struct ws_port_info *row = NULL;

	if (l4 & WS_KB_TCP)
		row = kb_lookup_one(port, WS_KB_TCP);
	if (!row && (l4 & WS_KB_UDP))
		row = kb_lookup_one(port, WS_KB_UDP);
	return row;
}

static bool kb_row_has_trojan(const struct ws_port_info *row)
{
	return row && row->trojans && row->trojans[0];
}

bool ws_kb_port_has_trojan(uint16_t port, uint8_t l4)
{
	if ((l4 & WS_KB_TCP) && kb_row_has_trojan(kb_lookup_one(port, WS_KB_TCP)))
		return true;
	return (l4 & WS_KB_UDP) && kb_row_has_trojan(kb_lookup_one(port, WS_KB_UDP));
}

size_t ws_kb_port_count(void)
{
	return KB_SEED_CNT + KB_IANA_CNT;
}

const struct ws_port_info *ws_kb_port_at(size_t i)
{
	if (i < KB_SEED_CNT)
		return &kb_seed[i];
	if (i - KB_SEED_CNT < KB_IANA_CNT)
		return &kb_iana[i - KB_SEED_CNT];
	return NULL;
}
