/*
 * ev_netbios.h - the body of WS_EV_NETBIOS: one NetBIOS message of the name
 * service (UDP 137, RFC 1002 4.2), datagram service (UDP 138, RFC 1002 4.4,
 * with the browser protocol inside [MS-BRWS]) or session service (TCP 139,
 * RFC 1002 4.3). Fields of the other services stay zero.
 *
 * Names are decoded (RFC 1001 14.1): the 15-character name with trailing
 * spaces removed and bytes outside printable ASCII written \xHH, the suffix
 * (16th byte) and, when known, whether it is a group name, with the knowledge
 * base's meaning of the suffix. Arrays are bounded; *_cnt says how many are
 * filled and *_total how many the message held.
 */
#ifndef WS_EVENT_EV_NETBIOS_H
#define WS_EVENT_EV_NETBIOS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/addr.h"

#define WS_NB_NAME_MAX 64	/* 15 bytes, each up to 4 when escaped, + NUL */
#define WS_NB_SCOPE_MAX 128
#define WS_NB_ADDRS_MAX 16	/* answer addresses kept per message */
#define WS_NB_STATUS_MAX 64	/* node status names kept (a table holds at most 255) */
#define WS_NB_TEXT_MAX 128	/* browser comment, OS strings */

enum ws_nb_service { WS_NB_NS = 1, WS_NB_DGM, WS_NB_SSN };

enum ws_nb_group { WS_NB_UNKNOWN = 0, WS_NB_UNIQUE, WS_NB_GROUP };

struct ws_nb_name {
	char name[WS_NB_NAME_MAX];
	uint8_t suffix;
	enum ws_nb_group type;
	const char *meaning;		/* the knowledge base's, NULL if unknown */
	char scope[WS_NB_SCOPE_MAX];	/* "" when none */
	bool present;
};

struct ws_nb_answer_addr {
	struct ws_addr addr;
	uint16_t nb_flags;		/* G, ONT bits (RFC 1002 4.2.1.3) */
};

struct ws_nb_status_entry {
	struct ws_nb_name name;
	uint16_t flags;			/* NAME_FLAGS: G, ONT, DRG, CNF, ACT, PRM */
};

struct ws_nb_browser {
	uint8_t command;		/* 1 host announcement, 2 request, 8 election, 9 backup list req, 12 domain ann., 15 local master ann. ... */
	const char *command_name;
	char server[WS_NB_NAME_MAX];	/* server or domain name */
	uint8_t os_major, os_minor;
	uint32_t server_type;		/* SV_TYPE_* bits */
	uint32_t periodicity_ms;
	char comment[WS_NB_TEXT_MAX];	/* comment, or for domain announcements the master browser name */
	uint32_t election_criteria;
	uint8_t election_version;
};

struct ws_ev_netbios {
	enum ws_nb_service service;

	/* name service */
	uint16_t trn_id;
	bool response;
	uint8_t opcode;			/* 0 query, 5 registration, 6 release, 7 WACK, 8 refresh, 15 multi-homed reg. */
	const char *opcode_name;
	uint8_t nm_flags;		/* AA TC RD RA B */
	uint8_t rcode;
	const char *rcode_name;
	uint16_t qtype;			/* 0x20 NB, 0x21 NBSTAT */
	struct ws_nb_name qname;	/* question, or the answer's RR name in a response */
	uint32_t ttl;
	bool has_ttl;			/* the message held a resource record (its TTL may be 0) */
	struct ws_nb_answer_addr addrs[WS_NB_ADDRS_MAX];
	uint8_t addr_cnt;
	uint16_t addr_total;
	struct ws_nb_status_entry status[WS_NB_STATUS_MAX];
	uint8_t status_cnt;
	uint16_t status_total;
	uint8_t unit_id[6];		/* node status: the MAC address */
	bool has_unit_id;

	/* datagram service */
	uint8_t msg_type;		/* 0x10 direct unique, 0x11 direct group, 0x12 broadcast, 0x13 error, 0x14-0x16 query */
	const char *msg_type_name;
	uint8_t dgm_flags;
	uint16_t dgm_id;
	struct ws_addr source_ip;
	uint16_t source_port;
	struct ws_nb_name src_name;
	struct ws_nb_name dst_name;
	char mailslot[64];		/* "\MAILSLOT\BROWSE" */
	bool to_subnet_broadcast;	/* sent to x.x.x.255: Network Neighborhood (R3) */
	bool has_browser;
	struct ws_nb_browser browser;

	/* session service */
	uint8_t ssn_type;		/* 0x00 message, 0x81 request, 0x82 positive, 0x83 negative, 0x84 retarget, 0x85 keep-alive */
	const char *ssn_type_name;
	uint8_t ssn_flags;
	uint32_t ssn_length;
	struct ws_nb_name called;
	struct ws_nb_name calling;
	uint8_t error_code;		/* negative response: 0x80 not listening on called name, 0x81 not listening for calling name, 0x82 called name not present, 0x83 insufficient resources, 0x8f unspecified */
	const char *error_name;
	struct ws_addr retarget_addr;
	uint16_t retarget_port;
	bool truncated;			/* the message was cut (snaplen or gap); fields are what was read */
};

#endif
