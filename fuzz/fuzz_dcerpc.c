/*
 * fuzz_dcerpc.c - DCE/RPC PDUs on named pipes (src/proto/dcerpc.c).
 *
 * The input is parsed once as one PDU (dcerpc_parse_pdu), then replayed into
 * the pipe state machine as chunks: a control byte (bit 0 the direction,
 * bits 1-2 the fid, bit 3 the pipe name), a length byte (1-256 bytes), then
 * the chunk, so PDUs land split across writes and reads of several pipes, as
 * the SMB parts hand them over.
 */
#include <stdint.h>

#include "proto/dcerpc.h"
#include "proto/dcerpc_int.h"

static void nop_emit(void *u, const struct ws_ev_dcerpc *ev)
{
	(void)u;
	(void)ev;
}

static void nop_info(void *u, const char *text)
{
	(void)u;
	(void)text;
}

static void nop_anomaly(void *u, const char *name, const char *detail)
{
	(void)u;
	(void)name;
	(void)detail;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dcerpc_sink k = { nop_emit, nop_info, nop_anomaly, NULL };
	struct dcerpc_state *st = NULL;
	struct dcerpc_pdu pdu;
	struct ws_rd r;
	size_t i = 0;

	ws_rd_init(&r, data, size);
	(void)dcerpc_parse_pdu(&r, &pdu);

	while (i < size) {
		uint8_t ctl = data[i++];
		/* chunk length: 1-256 bytes, from the next byte when held */
		size_t len = i < size ? (size_t)data[i++] + 1 : 1;

		if (len > size - i)
			len = size - i;
		ws_rd_init(&r, data + i, len);
		dcerpc_pipe_data_sink(&k, &st, (ctl & 1) ? WS_DIR_TO_CLIENT : WS_DIR_TO_SERVER,
				      (uint64_t)((ctl >> 1) & 3), (ctl & 8) ? "\\PIPE\\srvsvc" : "samr", &r);
		i += len;
	}
	ws_dcerpc_free(st);
	return 0;
}
