/*
 * smb_flow.h - the per-flow state and the feed shared by the "netbios-ssn"
 * (nbss.c) and "smb" (smb.c) protocol entries (see smb_parts.h): one layout,
 * so that the engine's upgrade of a TCP 139 flow from netbios-ssn to smb keeps
 * parsing with the same functions.
 *
 * Framing (RFC 1002 4.3.1, MS-SMB2 2.1): every message is a 4-byte header and
 * a body. Session messages (type 0x00) read the header as a zero byte and a
 * 24-bit length (on TCP 139 the FLAGS byte then holds the E bit as length bit
 * 16 and must be 0 or 1 otherwise; on 445 it is the top byte of the 24-bit
 * StreamProtocolLength); the session control messages 0x81-0x85 carry a
 * 17-bit length.
 *
 * Invariants: a direction is in exactly one of three modes: in step (the next
 * byte is a header), skipping (skip > 0: the rest of a message too big to hold
 * is passed over without being buffered) or resyncing (after a gap, looking for
 * the next plausible header). The part states (smb1, smb2, rpc) are allocated
 * by their parts on first use and freed by ws_smb_flow_close().
 */
#ifndef WS_PROTO_SMB_FLOW_H
#define WS_PROTO_SMB_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/proto.h"
#include "proto/smb_parts.h"

/* Largest message length taken at all: [MS-SMB2] 2.1 allows 24 bits, no real
 * SMB2 message is over 8 MiB (MaxWriteSize of Windows); above 16 MiB the
 * header is not a header and the direction resyncs. */
#define NBSS_MSG_MAX (16u * 1024u * 1024u)
/* Largest message held whole (below WS_APP_PENDING_MAX so that a following
 * segment still fits beside it): SMB1's 64 KiB buffers and SMB2's 64 KiB
 * credits with their headers. Bigger messages are READ/WRITE data: only their
 * head is parsed. */
#define NBSS_HOLD_MAX (128u * 1024u)
/* The head of an over-sized message that is waited for before parsing it:
 * every SMB1 and SMB2 header with its READ/WRITE parameters fits in it. */
#define NBSS_HEAD_MAX 4096u
/* Bytes scanned for a header after a gap before the flow is given up. */
#define NBSS_RESYNC_MAX (4u * 1024u * 1024u)

struct smb_flow_dir {
	uint32_t skip;		/* bytes of the current over-sized message still to pass over */
	uint32_t resync_seen;	/* bytes scanned while resyncing */
	bool resync;		/* lost step after a gap: look for a header */
};

struct smb_flow {
	struct smb_flow_dir d[2];
	bool dead;		/* gave up (could not resync): bytes are dropped */
	struct smb1_state *smb1;
	struct smb2_state *smb2;
	struct dcerpc_state *rpc;
};

struct ws_feed_res ws_smb_flow_feed(struct ws_pctx *c, void *state, enum ws_dir dir, struct ws_rd *r);
void ws_smb_flow_gap(struct ws_pctx *c, void *state, enum ws_dir dir, uint32_t len);
void ws_smb_flow_close(struct ws_pctx *c, void *state);

/* smb1.c: emits the requests still waiting for an answer (has_response false). */
void smb1_close(struct ws_pctx *c, struct smb1_state *st);
/* smb2.c: the same for SMB2/3 requests (an interim STATUS_PENDING answer is
 * not an answer: such a request is emitted with has_response false too). */
void smb2_close(struct ws_pctx *c, struct smb2_state *st);

#endif
