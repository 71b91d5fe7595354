/*
 * registry.c - the list of application protocols the engine knows (see
 * proto.h for the contract), and lookups by name and by port.
 *
 * Order matters where probes overlap: the engine tries the flow's port
 * protocol first, then the others in this order, so the more specific come
 * first: "smb" before "netbios-ssn" (an NBSS session message holding SMB is
 * SMB), "netbios-ns" before "dns" (same message format).
 *
 * The port switch below is the fast path for each new flow. It must agree
 * with the tcp_ports/udp_ports of the entries (tests/unit/test_proto.c
 * checks both ways). Where two protocols share a port (TCP 139: netbios-ssn
 * and smb) the port names the general one; a YES from the more specific
 * probe upgrades the flow (the engine does this, see nbss.c).
 */
#include <string.h>

#include "proto/proto.h"

extern const struct ws_proto ws_proto_smb;
extern const struct ws_proto ws_proto_nbss;
extern const struct ws_proto ws_proto_nbns;
extern const struct ws_proto ws_proto_nbdgm;
extern const struct ws_proto ws_proto_dns;
extern const struct ws_proto ws_proto_ftp;
extern const struct ws_proto ws_proto_ftp_data;
extern const struct ws_proto ws_proto_telnet;
extern const struct ws_proto ws_proto_ssh;
extern const struct ws_proto ws_proto_mssql;
extern const struct ws_proto ws_proto_oracle;
extern const struct ws_proto ws_proto_pgsql;
extern const struct ws_proto ws_proto_mysql;
extern const struct ws_proto ws_proto_db2;
extern const struct ws_proto ws_proto_ssdp;
extern const struct ws_proto ws_proto_http;
extern const struct ws_proto ws_proto_tls;

static const struct ws_proto *const protos[] = {
	&ws_proto_smb,
	&ws_proto_nbss,
	&ws_proto_nbns,
	&ws_proto_nbdgm,
	&ws_proto_dns,
	&ws_proto_ftp,
	&ws_proto_ftp_data,
	&ws_proto_telnet,
	&ws_proto_ssh,
	&ws_proto_mssql,
	&ws_proto_oracle,
	&ws_proto_pgsql,
	&ws_proto_mysql,
	&ws_proto_db2,
	&ws_proto_ssdp,
	&ws_proto_http,
	&ws_proto_tls,
};

size_t ws_proto_count(void)
{
	return sizeof protos / sizeof protos[0];
}

const struct ws_proto *ws_proto_at(size_t i)
{
	return i < ws_proto_count() ? protos[i] : NULL;
}

const struct ws_proto *ws_proto_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ws_proto_count(); i++)
		if (strcmp(protos[i]->name, name) == 0)
			return protos[i];
	return NULL;
}

static const struct ws_proto *by_tcp_port(uint16_t port)
{
	switch (port) {
	case 20: return &ws_proto_ftp_data;
	case 21: return &ws_proto_ftp;
	case 22: return &ws_proto_ssh;
	case 23: return &ws_proto_telnet;
	case 53: return &ws_proto_dns;
	case 80: case 81: case 8000: case 8008: case 8080: case 8181: return &ws_proto_http;
	case 139: return &ws_proto_nbss;
	case 443: case 8443: return &ws_proto_tls;
	case 445: return &ws_proto_smb;
	case 446: case 50000: return &ws_proto_db2;
	case 1433: case 1434: return &ws_proto_mssql;
	case 1520: case 1521: return &ws_proto_oracle;
	case 3306: return &ws_proto_mysql;
	case 5432: return &ws_proto_pgsql;
	default: return NULL;
	}
}

static const struct ws_proto *by_udp_port(uint16_t port)
{
	switch (port) {
	case 53: case 5353: case 5355: return &ws_proto_dns;
	case 137: return &ws_proto_nbns;
	case 138: return &ws_proto_nbdgm;
	case 1434: return &ws_proto_mssql;
	case 1900: return &ws_proto_ssdp;
	default: return NULL;
	}
}

const struct ws_proto *ws_proto_by_port(uint8_t l4, uint16_t port)
{
	if (l4 == WS_PROTO_TCP)
		return by_tcp_port(port);
	if (l4 == WS_PROTO_UDP)
		return by_udp_port(port);
	return NULL;
}

int ws_proto_has_port(const struct ws_proto *p, uint8_t l4, uint16_t port)
{
	const uint16_t *ports;

	if (!p || port == 0)
		return 0;
	if (l4 == WS_PROTO_TCP)
		ports = p->tcp_ports;
	else if (l4 == WS_PROTO_UDP)
		ports = p->udp_ports;
	else
		return 0;
	for (size_t i = 0; i < WS_PROTO_PORTS_MAX && ports[i]; i++)
		if (ports[i] == port)
			return 1;
	return 0;
}
