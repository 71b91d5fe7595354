/*
 * addr.h - IPv4/IPv6 addresses: one value type, formatting, classification.
 *
 * An IPv4 address is held in b[0..3] with the rest zero, so that comparing and
 * hashing whole structs is well defined.
 */
#ifndef WS_CORE_ADDR_H
#define WS_CORE_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#define WS_ADDR_STRLEN 46	/* INET6_ADDRSTRLEN */

struct ws_addr {
	uint8_t v;		/* 4 or 6; 0 = none */
	uint8_t b[16];
};

void ws_addr_set4(struct ws_addr *a, const uint8_t b[4]);
void ws_addr_set6(struct ws_addr *a, const uint8_t b[16]);
/* Returns 0 on success; parses dotted quad or IPv6 text. */
int ws_addr_parse(struct ws_addr *a, const char *s);
const char *ws_addr_fmt(const struct ws_addr *a, char buf[WS_ADDR_STRLEN]);
int ws_addr_cmp(const struct ws_addr *x, const struct ws_addr *y);
bool ws_addr_eq(const struct ws_addr *x, const struct ws_addr *y);
uint32_t ws_addr_hash(const struct ws_addr *a, uint32_t seed);
/* RFC 1918, RFC 4193 ULA, loopback, link-local, CGNAT 100.64/10. */
bool ws_addr_is_private(const struct ws_addr *a);
/* Multicast, broadcast (255.255.255.255 and any x.x.x.255), 0.0.0.0, unspecified. */
bool ws_addr_is_multicast_or_broadcast(const struct ws_addr *a);
/* x.x.x.255: a subnet broadcast as Network Neighborhood uses it (seed 000, R3). */
bool ws_addr_is_subnet_broadcast(const struct ws_addr *a);
/* Routable on the internet: not private, not multicast/broadcast, not reserved. */
bool ws_addr_is_public(const struct ws_addr *a);

#endif
