/*
 * ntlmssp.h - NTLMSSP messages [MS-NLMP] 2.2.1, found raw or inside an SPNEGO
 * (RFC 4178) / GSS-API (RFC 2743 3.1) security blob of an SMB session setup.
 */
#ifndef WS_PROTO_NTLMSSP_H
#define WS_PROTO_NTLMSSP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rd.h"

#define WS_NTLM_STR_MAX 128

struct ws_ntlmssp {
	uint32_t type;			/* 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE; 0 none */
	uint32_t flags;			/* NegotiateFlags */
	/* AUTHENTICATE */
	char user[WS_NTLM_STR_MAX];
	char domain[WS_NTLM_STR_MAX];
	char host[WS_NTLM_STR_MAX];	/* Workstation */
	uint16_t lm_len, nt_len;	/* response lengths */
	int ntlm_version;		/* 1 (24-byte NT response), 2 (longer), 0 none/anonymous */
	bool anonymous;			/* empty user and empty or 1-byte zero LM response [MS-NLMP] 3.2.5.1.2 */
	/* CHALLENGE */
	char target_name[WS_NTLM_STR_MAX];
	char nb_computer[WS_NTLM_STR_MAX];	/* AV pairs of TargetInfo */
	char nb_domain[WS_NTLM_STR_MAX];
	char dns_computer[WS_NTLM_STR_MAX];
	char dns_domain[WS_NTLM_STR_MAX];
	uint8_t version_major, version_minor;	/* OS version, when the VERSION field is present */
	uint16_t version_build;
	bool truncated;			/* a field pointed past the message or was cut */
};

/*
 * Looks for "NTLMSSP\0" in the blob (raw, or DER-wrapped: SPNEGO NegTokenInit
 * / NegTokenResp mechToken / responseToken) and parses it into out (zeroed
 * first). Returns 0 when a message was parsed, -1 when there is none. Does not
 * move r.
 */
int ws_ntlmssp_find(const struct ws_rd *r, struct ws_ntlmssp *out);

#endif
