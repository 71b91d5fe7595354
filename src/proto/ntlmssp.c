/*
 * ntlmssp.c - NTLMSSP messages inside SMB security blobs (see ntlmssp.h).
 *
 * Spec: [MS-NLMP] 2.2.1.1 NEGOTIATE_MESSAGE, 2.2.1.2 CHALLENGE_MESSAGE,
 * 2.2.1.3 AUTHENTICATE_MESSAGE, 2.2.2.1 AV_PAIR, 2.2.2.5 NegotiateFlags,
 * 2.2.2.10 VERSION; the wrapping: RFC 2743 3.1 (GSS-API InitialContextToken,
 * APPLICATION 0 = 0x60), RFC 4178 4.2 (SPNEGO NegTokenInit [0] with mechToken
 * [2], NegTokenResp [1] with responseToken [2]), X.690 (DER TLV).
 *
 * Every message starts with Signature "NTLMSSP\0" (8) and MessageType (4, LE).
 * Variable fields are referenced by 8-byte descriptors, offsets counted from
 * the Signature:
 *
 *   | Len (2) | MaxLen (2) | BufferOffset (4) |
 *
 *   NEGOTIATE     12 NegotiateFlags, 16 DomainName, 24 Workstation, 32 Version
 *   CHALLENGE     12 TargetName, 20 NegotiateFlags, 24 ServerChallenge (8),
 *                 32 Reserved (8), 40 TargetInfo, 48 Version
 *   AUTHENTICATE  12 LmChallengeResponse, 20 NtChallengeResponse, 28 DomainName,
 *                 36 UserName, 44 Workstation, 52 EncryptedRandomSessionKey,
 *                 60 NegotiateFlags, 64 Version, 72 MIC (16)
 *
 * A descriptor whose bytes lie outside the message leaves its value empty and
 * sets truncated; nothing outside the message is read. The DER walk only
 * follows definite lengths, to NTLM_DER_DEPTH_MAX levels and
 * NTLM_DER_ELEMS_MAX elements; when it finds nothing, "NTLMSSP\0" is searched
 * for in the blob as a fallback (tolerates non-DER wrappers seen in the wild).
 */
#include <string.h>

#include "proto/ntlmssp.h"

#define NTLM_SIG "NTLMSSP\0"
#define NTLM_SIG_LEN 8
#define NTLM_NEGOTIATE 1u
#define NTLM_CHALLENGE 2u
#define NTLM_AUTHENTICATE 3u

#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u	/* [MS-NLMP] 2.2.2.5 flag A */
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u	/* flag T */

/* [MS-NLMP] 2.2.2.1 AvId values we keep. */
#define MSV_AV_EOL 0
#define MSV_AV_NB_COMPUTER 1
#define MSV_AV_NB_DOMAIN 2
#define MSV_AV_DNS_COMPUTER 3
#define MSV_AV_DNS_DOMAIN 4

/* SPNEGO nests GSS app 0 > [0] > SEQUENCE > [2] > OCTET STRING: 5 levels; 8 leaves room. */
#define NTLM_DER_DEPTH_MAX 8
/* A NegTokenInit holds a handful of elements; 64 bounds a hostile flat list. */
#define NTLM_DER_ELEMS_MAX 64
/* AV pairs in a TargetInfo: about ten are defined; 64 bounds a hostile list. */
#define NTLM_AV_PAIRS_MAX 64

/* One descriptor: the bytes it points at, within msg; 0 ok, -1 outside (v empty). */
static int ntlm_field(const struct ws_rd *msg, size_t desc_off, struct ws_view *v)
{
	struct ws_rd d = *msg;
	struct ws_rd b = *msg;

	v->p = NULL;
	v->len = 0;
	ws_rd_skip(&d, desc_off);
	uint16_t len = ws_rd_le16(&d);
	ws_rd_skip(&d, 2);	/* MaxLen: not used by receivers */
	uint32_t off = ws_rd_le32(&d);
	if (!ws_rd_ok(&d))
		return -1;
	if (len == 0)
		return 0;
	if (off > ws_rd_left(&b) || len > ws_rd_left(&b) - off)
		return -1;
	ws_rd_skip(&b, off);
	*v = ws_rd_view(&b, len);
	return 0;
}

/* A string field: UTF-16LE when the Unicode flag was negotiated, else OEM (printed escaped). */
static void ntlm_string(const struct ws_rd *msg, size_t desc_off, bool unicode, char *dst,
			struct ws_ntlmssp *out)
{
	struct ws_view v;
	int fit;

	dst[0] = '\0';
	if (ntlm_field(msg, desc_off, &v) < 0) {
		out->truncated = true;
		return;
	}
	if (v.len == 0)
		return;
	fit = unicode ? ws_view_utf16le(v, dst, WS_NTLM_STR_MAX) : ws_view_cstr(v, dst, WS_NTLM_STR_MAX);
	if (!fit)
		out->truncated = true;
}

/* [MS-NLMP] 2.2.2.10 VERSION at off, when the flag says it is there and it is held. */
static void ntlm_version(const struct ws_rd *msg, size_t off, struct ws_ntlmssp *out)
{
	struct ws_rd r = *msg;

	if (!(out->flags & NTLMSSP_NEGOTIATE_VERSION))
		return;
	ws_rd_skip(&r, off);
	uint8_t major = ws_rd_u8(&r);
	uint8_t minor = ws_rd_u8(&r);
	uint16_t build = ws_rd_le16(&r);
	if (!ws_rd_ok(&r)) {
		out->truncated = true;
		return;
	}
	out->version_major = major;
	out->version_minor = minor;
	out->version_build = build;
}

/* [MS-NLMP] 2.2.2.1: AvId (2), AvLen (2), Value; MsvAvEOL ends the list. Always UTF-16LE. */
static void ntlm_target_info(const struct ws_rd *msg, struct ws_ntlmssp *out)
{
	struct ws_view ti;
	struct ws_rd r;

	if (ntlm_field(msg, 40, &ti) < 0) {
		out->truncated = true;
		return;
	}
	ws_rd_init(&r, ti.p, ti.len);
	for (size_t i = 0; i < NTLM_AV_PAIRS_MAX && ws_rd_left(&r) > 0; i++) {
		uint16_t id = ws_rd_le16(&r);
		uint16_t len = ws_rd_le16(&r);
		char *dst = NULL;

		if (!ws_rd_ok(&r) || len > ws_rd_left(&r)) {
			out->truncated = true;
			return;
		}
		struct ws_view v = ws_rd_view(&r, len);
		if (id == MSV_AV_EOL)
			return;
		switch (id) {
		case MSV_AV_NB_COMPUTER:
			dst = out->nb_computer;
			break;
		case MSV_AV_NB_DOMAIN:
			dst = out->nb_domain;
			break;
		case MSV_AV_DNS_COMPUTER:
			dst = out->dns_computer;
			break;
		case MSV_AV_DNS_DOMAIN:
			dst = out->dns_domain;
			break;
		default:
			break;
		}
		if (dst && !ws_view_utf16le(v, dst, WS_NTLM_STR_MAX))
			out->truncated = true;
	}
}

static void ntlm_negotiate(const struct ws_rd *msg, struct ws_ntlmssp *out)
{
	struct ws_rd r = *msg;

	ws_rd_skip(&r, 12);
	out->flags = ws_rd_le32(&r);
	if (!ws_rd_ok(&r)) {
		out->truncated = true;
		return;
	}
	/* Domain and workstation are OEM here ([MS-NLMP] 2.2.1.1); usually empty. */
	ntlm_string(msg, 16, false, out->domain, out);
	ntlm_string(msg, 24, false, out->host, out);
	ntlm_version(msg, 32, out);
}

static void ntlm_challenge(const struct ws_rd *msg, struct ws_ntlmssp *out)
{
	struct ws_rd r = *msg;

	ws_rd_skip(&r, 20);
	out->flags = ws_rd_le32(&r);
	if (!ws_rd_ok(&r)) {
		out->truncated = true;
		return;
	}
	ntlm_string(msg, 12, out->flags & NTLMSSP_NEGOTIATE_UNICODE, out->target_name, out);
	if (ws_rd_left(msg) >= 48)
		ntlm_target_info(msg, out);
	ntlm_version(msg, 48, out);
}

static void ntlm_authenticate(const struct ws_rd *msg, struct ws_ntlmssp *out)
{
	struct ws_rd r = *msg;
	struct ws_view lm = { NULL, 0 };
	struct ws_view nt;

	ws_rd_skip(&r, 12);
	out->lm_len = ws_rd_le16(&r);
	ws_rd_skip(&r, 6);
	out->nt_len = ws_rd_le16(&r);
	ws_rd_skip(&r, 38);	/* to NegotiateFlags at 60 */
	out->flags = ws_rd_le32(&r);
	if (!ws_rd_ok(&r)) {
		/* Without NegotiateFlags (cut, or the oldest form): assume Unicode. */
		out->truncated = true;
		out->flags = NTLMSSP_NEGOTIATE_UNICODE;
	}
	bool unicode = out->flags & NTLMSSP_NEGOTIATE_UNICODE;
	ntlm_string(msg, 28, unicode, out->domain, out);
	ntlm_string(msg, 36, unicode, out->user, out);
	ntlm_string(msg, 44, unicode, out->host, out);
	if (ntlm_field(msg, 12, &lm) < 0 || ntlm_field(msg, 20, &nt) < 0)
		out->truncated = true;
	/* [MS-NLMP] 3.3.1/3.3.2: an NTLMv1 response is 24 bytes; NTLMv2 is longer. */
	if (out->nt_len == 24)
		out->ntlm_version = 1;
	else if (out->nt_len > 24)
		out->ntlm_version = 2;
	/* [MS-NLMP] 3.2.5.1.2: anonymous = no user, no NT response, LM empty or one zero byte. */
	struct ws_rd lmr;
	ws_rd_init(&lmr, lm.p, lm.len);
	bool lm_empty = out->lm_len == 0 || (lm.len == 1 && ws_rd_u8(&lmr) == 0);
	if (out->user[0] == '\0' && out->nt_len == 0 && lm_empty) {
		out->anonymous = true;
		out->ntlm_version = 0;
	}
	ntlm_version(msg, 64, out);
}

/* msg starts at the Signature. */
static int ntlm_parse(struct ws_rd msg, struct ws_ntlmssp *out)
{
	struct ws_rd r = msg;

	if (!ws_rd_match(&r, NTLM_SIG, NTLM_SIG_LEN))
		return -1;
	ws_rd_skip(&r, NTLM_SIG_LEN);
	out->type = ws_rd_le32(&r);
	if (!ws_rd_ok(&r)) {
		out->type = 0;
		return -1;
	}
	switch (out->type) {
	case NTLM_NEGOTIATE:
		ntlm_negotiate(&msg, out);
		break;
	case NTLM_CHALLENGE:
		ntlm_challenge(&msg, out);
		break;
	case NTLM_AUTHENTICATE:
		ntlm_authenticate(&msg, out);
		break;
	default:
		break;	/* an unknown type is still an NTLMSSP message */
	}
	return 0;
}

/*
 * X.690 8.1: one TLV. Returns the tag, the content as *content; -1 on a
 * high tag number, an indefinite length or a length past the reader.
 */
static int der_tlv(struct ws_rd *r, struct ws_rd *content)
{
	uint8_t tag = ws_rd_u8(r);
	uint8_t l0 = ws_rd_u8(r);
	size_t len = 0;

	if (!ws_rd_ok(r) || (tag & 0x1f) == 0x1f || l0 == 0x80)
		return -1;
	if (l0 < 0x80) {
		len = l0;
	} else {
		size_t n = l0 & 0x7fu;

		if (n > 4)
			return -1;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | ws_rd_u8(r);
	}
	if (!ws_rd_ok(r) || len > ws_rd_left(r))
		return -1;
	*content = ws_rd_sub(r, len);
	return tag;
}

/* Depth-first over constructed elements; an OCTET STRING holding NTLMSSP wins. */
static int der_walk(struct ws_rd r, int depth, size_t *elems, struct ws_ntlmssp *out)
{
	if (depth > NTLM_DER_DEPTH_MAX)
		return -1;
	while (ws_rd_left(&r) > 0) {
		struct ws_rd content;
		int tag;

		if (++*elems > NTLM_DER_ELEMS_MAX)
			return -1;
		tag = der_tlv(&r, &content);
		if (tag < 0)
			return -1;
		if (tag == 0x04 && ntlm_parse(content, out) == 0)
			return 0;
		if ((tag & 0x20) && der_walk(content, depth + 1, elems, out) == 0)
			return 0;
	}
	return -1;
}

int ws_ntlmssp_find(const struct ws_rd *r, struct ws_ntlmssp *out)
{
	struct ws_rd blob = *r;
	size_t elems = 0;

	memset(out, 0, sizeof(*out));
	if (!ws_rd_ok(&blob))
		return -1;
	if (ntlm_parse(blob, out) == 0)
		return 0;
	if (der_walk(blob, 0, &elems, out) == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	/* Fallback: the signature anywhere in the blob. */
	const uint8_t *p = ws_rd_ptr(&blob);
	size_t left = ws_rd_left(&blob);
	for (size_t i = 0; left >= NTLM_SIG_LEN && i <= left - NTLM_SIG_LEN; i++) {
		if (p[i] == 'N' && memcmp(p + i, NTLM_SIG, NTLM_SIG_LEN) == 0) {
			struct ws_rd m = blob;

			ws_rd_skip(&m, i);
			return ntlm_parse(m, out);
		}
	}
	return -1;
}
