/*
 * dcerpckb.c - DCE/RPC interface UUIDs and operation names ([MS-SRVS],
 * [MS-SAMR], [MS-LSAT], [MS-NRPC], [MS-WKST], [MS-RRP], [MS-SCMR], [MS-RPRN]
 * ...), see smbkb.h. Starter table; issue 3 completes it.
 */
#include <stddef.h>
#include <string.h>

#include "kb/smbkb.h"

const char *ws_kb_dcerpc_iface_name(const uint8_t uuid[16])
{
	/* srvsvc 4b324fc8-1670-01d3-1278-5a47bf6ee188 */
	static const uint8_t srvsvc[16] = { 0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
					    0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88 };

	return memcmp(uuid, srvsvc, 16) == 0 ? "srvsvc" : NULL;
}

const char *ws_kb_dcerpc_op_name(const char *iface, uint16_t opnum)
{
	if (iface && strcmp(iface, "srvsvc") == 0 && opnum == 15)
		return "NetShareEnumAll";
	return NULL;
}
