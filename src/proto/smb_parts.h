/*
 * smb_parts.h - how the SMB pieces fit together (issue 3).
 *
 *   nbss.c / smb.c   framing: the 4-byte NBSS header (RFC 1002 4.3.1) on TCP 139,
 *                    the same header as "direct TCP" on 445 (MS-SMB2 2.1). Session
 *                    messages 0x81-0x85 become netbios events; type 0x00 bodies go
 *                    to smb1 (\xffSMB) or smb2 (\xfeSMB, \xfdSMB transform,
 *                    \xfcSMB compressed). One feed serves both the "netbios-ssn"
 *                    and the "smb" protocol entries, so an upgrade of the label
 *                    keeps parsing in step.
 *   smb1.c           [MS-CIFS]/[MS-SMB] messages      -> smb, login events
 *   smb2.c           [MS-SMB2] messages               -> smb, login events
 *   ntlmssp.c        [MS-NLMP] inside security blobs   (used by smb1, smb2)
 *   dcerpc.c         [C706]/[MS-RPCE] on named pipes   -> dcerpc events
 *
 * Each part keeps its own per-flow state behind a pointer it allocates on
 * first use and frees in its *_free(); the framing owns the pointers.
 */
#ifndef WS_PROTO_SMB_PARTS_H
#define WS_PROTO_SMB_PARTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rd.h"
#include "flow/flow.h"
#include "proto/proto.h"

struct smb1_state;
struct smb2_state;
struct dcerpc_state;

/*
 * One whole SMB1 / SMB2 message (the body of one NBSS type-0x00 message,
 * starting at the protocol id), in direction dir. *st is the part's state,
 * allocated on first use. msg_len is the NBSS length (the reader may hold
 * fewer bytes when the message was cut by a gap; then parse what is there and
 * mark the event truncated).
 */
void smb1_msg(struct ws_pctx *c, struct smb1_state **st, struct dcerpc_state **rpc, enum ws_dir dir, struct ws_rd *msg);
void smb2_msg(struct ws_pctx *c, struct smb2_state **st, struct dcerpc_state **rpc, enum ws_dir dir, struct ws_rd *msg);
void smb1_free(struct smb1_state *st);
void smb2_free(struct smb2_state *st);

#endif
