/*
 * inventory.h - the hosts seen in the run: addresses, MAC, the services each
 * offers (as server) and uses (as client), packets and bytes. Fed by flow
 * events; written out as WS_EV_HOST events at the end (ws_inventory_emit).
 * Later layers add NetBIOS names, OS strings, users and software.
 */
#ifndef WS_INVENTORY_INVENTORY_H
#define WS_INVENTORY_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "event/event.h"

#define WS_HOST_SERVICES_MAX 24

struct ws_host_service {
	uint8_t proto;		/* IP protocol */
	uint16_t port;
	const char *app;	/* app_proto name or NULL */
	uint64_t flows;
	uint64_t clients;	/* distinct clients, approximate beyond a few */
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
