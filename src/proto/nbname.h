/*
 * nbname.h - the wire form of a NetBIOS name, shared by the name, datagram
 * and session service parsers (nbns.c, nbdgm.c, nbss.c).
 */
#ifndef WS_PROTO_NBNAME_H
#define WS_PROTO_NBNAME_H

#include "core/rd.h"

/*
 * RFC 1001 14.1: an encoded name is one 32-byte label, each byte 'A' + a
 * nibble of the 16-byte name, then the scope's labels (RFC 1035 rules: at
 * most 63 bytes each, 255 in all), then a zero byte. Moves r past it.
 * Returns 1 (a valid name), 0 (not one), -1 (cut short).
 */
int ws_nb_name_skip(struct ws_rd *r);

#endif
