/*
 * dcerpc.h - DCE/RPC connection-oriented PDUs (C706 12.6, [MS-RPCE] 2.2) carried
 * on SMB named pipes; the SMB parts hand over what is written to and read
 * from a pipe.
 */
#ifndef WS_PROTO_DCERPC_H
#define WS_PROTO_DCERPC_H

#include <stdint.h>

#include "core/rd.h"
#include "flow/flow.h"
#include "proto/proto.h"

struct dcerpc_state;

/*
 * Bytes written to (WS_DIR_TO_SERVER) or read from (WS_DIR_TO_CLIENT) the named
 * pipe `pipe` ("\PIPE\srvsvc", "srvsvc", ...) on this flow; fid tells pipes
 * apart. May hold partial PDUs across calls (bounded). Emits WS_EV_DCERPC for
 * binds, bind acks and requests (with their response).
 */
void ws_dcerpc_pipe_data(struct ws_pctx *c, struct dcerpc_state **st, enum ws_dir dir,
			 uint64_t fid, const char *pipe, struct ws_rd *data);
void ws_dcerpc_free(struct dcerpc_state *st);

#endif
