/*
 * inventory.h - the hosts seen in the run: addresses, MAC, the services each
 * offers (as server) and uses (as client), packets and bytes. Fed by flow
 * events; written out as WS_EV_HOST events at the end (ws_inventory_emit).
 *
 * Windows networking facts (issue 3) come from netbios, smb and login events
 * and live in struct ws_host_win, allocated only for hosts that have some
 * (h->win is NULL otherwise), so a scan of a /8 does not pay for them:
 *   - NBNS registrations, refreshes and positive responses name the host at
 *     the address they carry (the packet's sender for a registration without
 *     one); node status responses give the responder's whole name table and
 *     its MAC (unit id);
 *   - NBSS session requests: the calling name names the client, the called
 *     name the server (except the generic *SMBSERVER);
 *   - browser announcements (host, local master) name the sender, with its OS
 *     version ("Windows 5.1") and server type bits; the datagram's source
 *     name names the sender too;
 *   - SMB: dialects the client offered, the dialect negotiated (both sides),
 *     shares (on the server), SMB1 native OS strings;
 *   - logins: user names, on the client that used them.
 * Each name's suffix meaning and role come from ws_kb_nb_suffix(); the
 * host's roles are the distinct roles of its names plus those of its browser
 * server type bits. Every array is bounded; *_dropped counts what did not fit.
 */
#ifndef WS_INVENTORY_INVENTORY_H
#define WS_INVENTORY_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "event/ev_netbios.h"
#include "event/event.h"

#define WS_HOST_SERVICES_MAX 24
/* NetBIOS names kept per host: a node status table of a busy server holds ~10-20. */
#define WS_HOST_NB_NAMES_MAX 24
/* Roles kept per host: from names and server type bits. */
#define WS_HOST_ROLES_MAX 12
/* OS strings per host: the browser version and the SMB1 native OS, a few variants. */
#define WS_HOST_OS_MAX 4
/* Dialects per list: an SMB2 negotiate offers at most ~6, an SMB1 one ~12. */
#define WS_HOST_DIALECTS_MAX 12
/* Shares and user names per host: enough to read, bounded against a spray. */
#define WS_HOST_SHARES_MAX 16
#define WS_HOST_USERS_MAX 16
/* Bytes of one text item (OS string, share path, user name) kept. */
#define WS_HOST_TEXT_MAX 96
#define WS_HOST_DIALECT_LEN 24

struct ws_host_service {
	uint8_t proto;		/* IP protocol */
	uint16_t port;
	const char *app;	/* app_proto name or NULL */
	uint64_t flows;
	uint64_t clients;	/* distinct clients, approximate beyond a few */
};

struct ws_host_nbname {
	char name[WS_NB_NAME_MAX];	/* as the event gave it (already escaped) */
	uint8_t suffix;
	enum ws_nb_group type;
	const char *meaning;		/* the knowledge base's, NULL if unknown */
	const char *role;		/* the knowledge base's, NULL if none */
	uint16_t flags;			/* node status NAME_FLAGS when from a status table, else 0 */
};

struct ws_host_win {
	struct ws_host_nbname names[WS_HOST_NB_NAMES_MAX];
	uint32_t name_cnt;
	uint32_t names_dropped;
	const char *roles[WS_HOST_ROLES_MAX];	/* static strings, distinct */
	uint32_t role_cnt;
	uint32_t roles_dropped;
	uint32_t server_type;		/* OR of browser announcements' SV_TYPE_* bits */
	bool has_server_type;
	char os[WS_HOST_OS_MAX][WS_HOST_TEXT_MAX];	/* "Windows 5.1", "Windows 5.1 (browser)", SMB1 native OS */
	uint32_t os_cnt;
	uint32_t os_dropped;
	char dialects_offered[WS_HOST_DIALECTS_MAX][WS_HOST_DIALECT_LEN];	/* as an SMB client */
	uint32_t dialects_offered_cnt;
	uint32_t dialects_offered_dropped;
	char dialects[WS_HOST_DIALECTS_MAX][WS_HOST_DIALECT_LEN];	/* negotiated, either side */
	uint32_t dialect_cnt;
	uint32_t dialects_dropped;
	char shares[WS_HOST_SHARES_MAX][WS_HOST_TEXT_MAX];	/* as an SMB server */
	uint32_t share_cnt;
	uint32_t shares_dropped;
	char users[WS_HOST_USERS_MAX][WS_HOST_TEXT_MAX];	/* DOMAIN\user logged in with, as a client */
	uint32_t user_cnt;
	uint32_t users_dropped;
};

struct ws_host {
	struct ws_addr addr;
	uint8_t has_mac;
	uint8_t mac[6];
	int64_t first_ns, last_ns;
	uint64_t pkts_sent, pkts_recv;
	uint64_t bytes_sent, bytes_recv;
	uint64_t flows_as_client, flows_as_server;
	uint64_t peers;		/* distinct peers, approximate */
	struct ws_host_service services[WS_HOST_SERVICES_MAX];	/* offered, as server */
	uint32_t service_cnt;
	uint32_t services_dropped;
	struct ws_host_win *win;	/* NetBIOS/SMB facts, NULL when none */
};

struct ws_inventory;

struct ws_inventory *ws_inventory_new(void);
void ws_inventory_free(struct ws_inventory *inv);
/* A bus subscriber: feed it every event. */
void ws_inventory_on_event(void *inv, const struct ws_event *ev);
size_t ws_inventory_count(const struct ws_inventory *inv);
/* Hosts sorted by bytes (sent + received), largest first, after ws_inventory_sort. */
void ws_inventory_sort(struct ws_inventory *inv);
const struct ws_host *ws_inventory_at(const struct ws_inventory *inv, size_t i);
const struct ws_host *ws_inventory_find(const struct ws_inventory *inv, const struct ws_addr *a);
/* Emits one WS_EV_HOST event per host. */
void ws_inventory_emit(struct ws_inventory *inv, struct ws_bus *bus, int64_t ts_ns);

#endif
