/*
 * dcerpc_int.h - dcerpc.c's insides, for its unit test and fuzzer only.
 *
 * dcerpc_parse_pdu() is the pure record parser (no state, no emission).
 * dcerpc_pipe_data_sink() is ws_dcerpc_pipe_data() with the engine replaced by
 * three callbacks, so the state machine can be driven without a struct ws_pctx.
 */
#ifndef WS_PROTO_DCERPC_INT_H
#define WS_PROTO_DCERPC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rd.h"
#include "event/ev_smb.h"
#include "flow/flow.h"

/* C706 12.6.3.1: the common header of every connection-oriented PDU. */
#define DCERPC_HDR_LEN 16

/* C706 12.6.3.1 PTYPE values (MS-RPCE 2.2.2.2 adds none we decode). */
#define DCERPC_REQUEST 0
#define DCERPC_RESPONSE 2
#define DCERPC_FAULT 3
#define DCERPC_BIND 11
#define DCERPC_BIND_ACK 12
#define DCERPC_BIND_NAK 13
#define DCERPC_ALTER_CONTEXT 14
#define DCERPC_ALTER_CONTEXT_RESP 15
#define DCERPC_AUTH3 16
#define DCERPC_SHUTDOWN 17
#define DCERPC_CO_CANCEL 18
#define DCERPC_ORPHANED 19

/* C706 12.6.3.1 pfc_flags. */
#define DCERPC_PFC_FIRST_FRAG 0x01
#define DCERPC_PFC_LAST_FRAG 0x02
#define DCERPC_PFC_OBJECT_UUID 0x80

/*
 * Context items (bind) and results (bind_ack) decoded per PDU. n_context_elem
 * is a byte, but clients offer one interface with two or three transfer
 * syntaxes (32-bit NDR, 64-bit NDR, bind-time feature negotiation); the rest
 * are counted, not kept.
 */
#define DCERPC_ITEMS_MAX 8

struct dcerpc_syntax {
	uint8_t uuid[16];	/* wire (little-endian fields) order, whatever the PDU's drep */
	uint16_t ver_major, ver_minor;
};

struct dcerpc_ctx_item {
	uint16_t ctx_id;
	uint8_t n_transfer;
	struct dcerpc_syntax abstract;
	struct dcerpc_syntax transfer;	/* the first transfer syntax offered */
};

struct dcerpc_result {
	uint16_t result;	/* 0 acceptance, 1 user rejection, 2 provider rejection, 3 negotiate ack (MS-RPCE 2.2.2.4) */
	uint16_t reason;
	struct dcerpc_syntax transfer;
};

struct dcerpc_pdu {
	/* common header */
	uint8_t vers, vers_minor, ptype, flags;
	uint8_t drep[4];
	bool big_endian;	/* drep[0] integer representation 0 (C706 14.1) */
	uint16_t frag_len, auth_len;
	uint32_t call_id;
	bool truncated;		/* the body ended before the fields we decode */

	/* request / response / fault */
	uint32_t alloc_hint;
	uint16_t ctx_id;
	uint16_t opnum;		/* request */
	bool has_object;
	uint8_t object[16];
	uint8_t cancel_count;	/* response, fault */
	uint32_t status;	/* fault */

	/* bind / alter_context and their acks */
	uint16_t max_xmit, max_recv;
	uint32_t assoc_group;
	uint8_t item_total;	/* n_context_elem or n_results on the wire */
	uint8_t item_cnt;	/* decoded into ctx[] or results[] */
	struct dcerpc_ctx_item ctx[DCERPC_ITEMS_MAX];
	struct dcerpc_result results[DCERPC_ITEMS_MAX];
	char sec_addr[WS_SMB_NAME_MAX];	/* bind_ack: the port_any_t, e.g. "\PIPE\srvsvc" */

	uint16_t reject_reason;	/* bind_nak */
};

/*
 * Parses the 16-byte common header. Returns 1 when it is a plausible
 * version 5 connection-oriented header (frag_len then says how long the PDU
 * is), 0 when it is not one (resynchronise), -1 when fewer than 16 bytes are
 * held.
 */
int dcerpc_parse_hdr(struct ws_rd *r, struct dcerpc_pdu *out);
/*
 * Parses one PDU from r, which holds its first bytes (all of it, or as many as
 * were kept). Returns 1 and fills *out; sets out->truncated when the body
 * stopped before a field we decode. Returns 0 or -1 as dcerpc_parse_hdr.
 */
int dcerpc_parse_pdu(struct ws_rd *r, struct dcerpc_pdu *out);

struct dcerpc_sink {
	void (*emit)(void *u, const struct ws_ev_dcerpc *ev);
	void (*info)(void *u, const char *text);
	void (*anomaly)(void *u, const char *name, const char *detail);
	void *u;
};

struct dcerpc_state;
void dcerpc_pipe_data_sink(const struct dcerpc_sink *k, struct dcerpc_state **st, enum ws_dir dir,
			   uint64_t fid, const char *pipe, struct ws_rd *data);

#endif
