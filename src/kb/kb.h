/*
 * kb.h - the knowledge base: what a port number and a NetBIOS name suffix mean.
 *
 * Sources: the seed documents (shared/seeds: 000 common services, 001 SMB and
 * NetBIOS ports and the name-suffix table, 002 the annotated port list with
 * security notes and trojan names) and the IANA service-name registry as
 * shipped in /etc/services (src/kb/gen_iana.py). Requirements R1, R5, R6, R10,
 * R11-R16 of shared/seeds/README.md. The NetBIOS name encoding is RFC 1001
 * 14.1 ("first-level encoding").
 *
 * Contract: every table is static const data that lives for the whole run;
 * every pointer returned here (rows and their strings) stays valid for ever
 * and must not be freed. Nothing here allocates, prints or keeps state, so
 * every function is safe to call from any thread.
 *
 * Invariants of the port table (checked by tests/unit/test_kb.c):
 *   - at most one row covers a given (port, transport): seed rows (ports.def)
 *     win over IANA rows (iana_ports.def), which the generator leaves out
 *     where a seed row exists; a merged seed row carries IANA's name and says
 *     "IANA" in its source;
 *   - every row has a non-empty service and description and l4 is WS_KB_TCP,
 *     WS_KB_UDP or both;
 *   - lookups are O(log n).
 */
#ifndef WS_KB_KB_H
#define WS_KB_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* R14 (seed 002): 0-1023 well-known, 1024-49151 registered, 49152-65535 dynamic. */
enum ws_port_class { WS_PORT_WELL_KNOWN, WS_PORT_REGISTERED, WS_PORT_DYNAMIC };

/* How serious an exposed service is, ordered: a larger value is worse. */
enum ws_risk { WS_RISK_INFO, WS_RISK_LOW, WS_RISK_MEDIUM, WS_RISK_HIGH };

/* Transport bits of struct ws_port_info.l4; TCP and UDP ports are distinct (R14). */
#define WS_KB_TCP 1u
#define WS_KB_UDP 2u

struct ws_port_info {
	uint16_t port;
	uint8_t l4;		/* WS_KB_TCP, WS_KB_UDP or both */
	const char *service;	/* short name as IANA / the app_proto: "microsoft-ds", "ftp" ... */
	const char *description;/* one line, English */
	enum ws_risk risk;
	const char *note;	/* the security note, English; NULL if none */
	const char *trojans;	/* comma-separated trojan names known to use it; NULL if none */
	const char *source;	/* "seed 002", "seed 001", "seed 000", "IANA", joined by ", " */
};

enum ws_port_class ws_kb_port_class(uint16_t port);
/* "well-known", "registered", "dynamic". */
const char *ws_kb_port_class_name(enum ws_port_class c);
/* The range of a class as text: "0-1023", "1024-49151", "49152-65535". */
const char *ws_kb_port_class_range(enum ws_port_class c);
/* "info", "low", "medium", "high"; "?" for a value outside the enum. */
const char *ws_kb_risk_name(enum ws_risk r);

/*
 * The row for this port on this transport (l4 is WS_KB_TCP or WS_KB_UDP; a
 * value with both bits asks for a row that covers either, TCP first), or NULL
 * if the port is unknown. O(log n): two binary searches, one per table.
 */
const struct ws_port_info *ws_kb_port(uint16_t port, uint8_t l4);
/* Does some trojan in the seeds use this port on this transport? */
bool ws_kb_port_has_trojan(uint16_t port, uint8_t l4);
/* All rows: seed rows in port order, then IANA-only rows in port order. */
size_t ws_kb_port_count(void);
/* Row i for i < ws_kb_port_count(), else NULL. */
const struct ws_port_info *ws_kb_port_at(size_t i);

struct ws_nb_suffix {
	uint8_t suffix;
	char type;		/* 'U' unique or 'G' group */
	const char *name_pattern;/* "<computername>", "<domain>", "<\\--__MSBROWSE__>", "IRISMULTICAST" ... */
	const char *meaning;	/* "Workstation Service", "Domain Master Browser" ... */
	const char *role;	/* short role for an inventory: "workstation", "file server" ...; or NULL */
};

/*
 * The best row for a NetBIOS name with this suffix (R13, seed 001 table).
 * Special names are tried first when name is given: a name containing
 * "__MSBROWSE__" with <01> is the Master Browser; a name starting "IS~" with
 * <00>, or "INet~Services" with <1C>, is IIS; IRISMULTICAST <2F>,
 * IRISNAMESERVER <33> (Lotus Notes) and Forte_$ND800ZA <20> are matched by
 * their exact name. Otherwise the row is chosen by suffix and group flag
 * (group: -1 unknown, 0 unique, 1 group): <00> unique is Workstation Service,
 * <00> group is Domain Name, <1C> group is Domain Controllers, and so on; when
 * no row has the asked-for type, the first row for the suffix is returned.
 * NULL if the suffix is unknown. name may be NULL; names are compared ignoring
 * ASCII case, as Windows upper-cases them.
 */
const struct ws_nb_suffix *ws_kb_nb_suffix(uint8_t suffix, int group, const char *name);
size_t ws_kb_nb_suffix_count(void);
/* Row i for i < ws_kb_nb_suffix_count(), else NULL. */
const struct ws_nb_suffix *ws_kb_nb_suffix_at(size_t i);

/*
 * RFC 1001 14.1 first-level decoding: 32 characters 'A'..'P', two per byte
 * (high nibble first, each nibble added to 'A'), give the 16 bytes of a
 * NetBIOS name. name receives the first 15 bytes with trailing spaces removed,
 * NUL-terminated (other bytes are kept as they are: the caller escapes them
 * for display; an embedded NUL ends the C string early); *suffix receives
 * byte 16. Returns 0, or -1 (name set to "", *suffix to 0) if len != 32 or a
 * character lies outside 'A'..'P'. Works on plain bytes: a parser copies the
 * 32 bytes out through its ws_rd first. enc need not be NUL-terminated.
 */
int ws_nb_decode_name(const uint8_t *enc, size_t len, char name[16], uint8_t *suffix);

/*
 * RFC 1001 14.1 first-level encoding, the inverse: name (at most 15 bytes
 * used; shorter names are padded with spaces; bytes are taken as given, not
 * upper-cased) and suffix become 32 characters 'A'..'P' and a NUL in out.
 */
void ws_nb_encode_name(const char *name, uint8_t suffix, char out[33]);

#endif /* WS_KB_KB_H */
