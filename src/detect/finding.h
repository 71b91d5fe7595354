/*
 * finding.h - a detector's judgement, and the store that keeps one finding per
 * cause (kind + source + target + service), updated as evidence grows rather
 * than repeated. Findings are emitted as WS_EV_FINDING events when the run
 * ends (ws_findings_emit), in the order they were first raised.
 */
#ifndef WS_DETECT_FINDING_H
#define WS_DETECT_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/limits.h"
#include "event/event.h"

enum ws_severity { WS_SEV_INFO, WS_SEV_LOW, WS_SEV_MEDIUM, WS_SEV_HIGH, WS_SEV_CRITICAL };
const char *ws_severity_name(enum ws_severity s);	/* "info", "low", "medium", "high", "critical" */

#define WS_FINDING_TITLE_MAX 160
#define WS_FINDING_TEXT_MAX 1024

struct ws_finding {
	uint64_t id;			/* 1, 2, ... in order raised */
	const char *kind;		/* "port_scan", "exposed_service", "trojan_port", "nonstandard_port", ... */
	enum ws_severity severity;
	char title[WS_FINDING_TITLE_MAX];	/* one line */
	char explanation[WS_FINDING_TEXT_MAX];	/* why it matters, what to do */
	struct ws_addr src;		/* the acting host: attacker, scanner, client */
	struct ws_addr dst;		/* the target (server); v == 0 when many */
	uint16_t dst_port;		/* 0 when many */
	uint8_t proto;			/* IP protocol, 0 when mixed */
	char service[32];		/* app_proto or port service name; "" when none */
	uint64_t count;			/* how many times the cause was seen (attempts, ports, flows) */
	int64_t first_ns, last_ns;
	uint64_t flow_ids[WS_FINDING_EVIDENCE_MAX];
	uint32_t flow_id_cnt;
	uint64_t pkts[WS_FINDING_EVIDENCE_MAX];	/* packet numbers (tshark frame numbers) */
	uint32_t pkt_file[WS_FINDING_EVIDENCE_MAX];
	uint32_t pkt_cnt;
	uint64_t evidence_total;	/* evidence items seen, kept or not */
	const char *mitre_id;		/* "T1046" or NULL */
	const char *mitre_name;		/* "Network Service Discovery" */
	char detail[WS_FINDING_TEXT_MAX];	/* kind-specific facts, e.g. the ports tried, as "k=v; ..." text for the report */
	/* the cause's key, as given to ws_findings_get (src/dst above may be refined by the detector) */
	struct ws_addr key_src, key_dst;
};

struct ws_findings;

struct ws_findings *ws_findings_new(void);
void ws_findings_free(struct ws_findings *fs);
/*
 * The finding for this cause, created (zeroed, with id, kind, src, dst, port,
 * service set) if it is new; *is_new tells which. The pointer stays valid until
 * ws_findings_free.
 */
struct ws_finding *ws_findings_get(struct ws_findings *fs, const char *kind,
				   const struct ws_addr *src, const struct ws_addr *dst,
				   uint16_t dst_port, uint8_t proto, const char *service, bool *is_new);
/* Adds evidence: widens first/last, keeps up to WS_FINDING_EVIDENCE_MAX ids. */
void ws_finding_evidence(struct ws_finding *f, int64_t ts_ns, uint64_t flow_id, uint64_t pkt_num, uint32_t file_idx);
size_t ws_findings_count(const struct ws_findings *fs);
const struct ws_finding *ws_findings_at(const struct ws_findings *fs, size_t i);
/* Emits every finding as a WS_EV_FINDING event. */
void ws_findings_emit(struct ws_findings *fs, struct ws_bus *bus);

#endif
