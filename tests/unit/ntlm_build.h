/*
 * ntlm_build.h - test-only builders of NTLMSSP messages ([MS-NLMP] 2.2.1.1-
 * 2.2.1.3) and their SPNEGO wrappings (RFC 4178 4.2, RFC 2743 3.1), shared by
 * test_ntlmssp.c and test_smb2.c. Header only, static functions; buffers are
 * the caller's and large enough for the strings the tests use.
 *
 * AUTHENTICATE as built here: 88-byte fixed part (descriptors, flags,
 * version, MIC), then Domain, User, Workstation (UTF-16LE when Unicode),
 * LM response, NT response.
 */
#ifndef WS_TESTS_NTLM_BUILD_H
#define WS_TESTS_NTLM_BUILD_H

#include <stdint.h>
#include <string.h>

#define NB_UNICODE 0x00000001u
#define NB_VERSION 0x02000000u

static inline void nb_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void nb_le32(uint8_t *p, uint32_t v)
{
	nb_le16(p, (uint16_t)v);
	nb_le16(p + 2, (uint16_t)(v >> 16));
}

/* ASCII s as UTF-16LE (or as is when !unicode) at out; returns bytes written. */
static inline size_t nb_str(uint8_t *out, const char *s, int unicode)
{
	size_t n = strlen(s);

	if (!unicode) {
		memcpy(out, s, n);
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)s[i];
		out[2 * i + 1] = 0;
	}
	return 2 * n;
}

static inline void nb_desc(uint8_t *msg, size_t at, size_t len, size_t off)
{
	nb_le16(msg + at, (uint16_t)len);
	nb_le16(msg + at + 2, (uint16_t)len);
	nb_le32(msg + at + 4, (uint32_t)off);
}

static inline size_t nb_negotiate(uint8_t *out)
{
	memset(out, 0, 40);
	memcpy(out, "NTLMSSP\0", 8);
	nb_le32(out + 8, 1);
	nb_le32(out + 12, 0xe2088297u);	/* Unicode, NTLM, ESS, version, 128, 56 ... */
	nb_desc(out, 16, 0, 40);
	nb_desc(out, 24, 0, 40);
	out[32] = 10;
	out[33] = 0;
	nb_le16(out + 34, 19041);
	out[39] = 15;
	return 40;
}

/* CHALLENGE from server SRV1 in domain LABNET (labnet.local). */
static inline size_t nb_challenge(uint8_t *out)
{
	size_t o = 56;
	size_t tn, ti0;

	memset(out, 0, 56);
	memcpy(out, "NTLMSSP\0", 8);
	nb_le32(out + 8, 2);
	nb_le32(out + 20, 0xe2898215u);
	memcpy(out + 24, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	out[48] = 6;
	out[49] = 1;
	nb_le16(out + 50, 7601);
	out[55] = 15;
	tn = nb_str(out + o, "LABNET", 1);
	nb_desc(out, 12, tn, o);
	o += tn;
	ti0 = o;
	static const struct { uint16_t id; const char *v; } av[] = {
		{ 2, "LABNET" }, { 1, "SRV1" }, { 4, "labnet.local" }, { 3, "srv1.labnet.local" },
	};
	for (size_t i = 0; i < 4; i++) {
		size_t n = nb_str(out + o + 4, av[i].v, 1);

		nb_le16(out + o, av[i].id);
		nb_le16(out + o + 2, (uint16_t)n);
		o += 4 + n;
	}
	nb_le16(out + o, 7);	/* Timestamp */
	nb_le16(out + o + 2, 8);
	memset(out + o + 4, 0x11, 8);
	o += 12;
	nb_le32(out + o, 0);	/* MsvAvEOL */
	o += 4;
	nb_desc(out, 40, o - ti0, ti0);
	return o;
}

static inline size_t nb_authenticate(uint8_t *out, const char *dom, const char *user, const char *host,
			      size_t lm_len, size_t nt_len, int unicode)
{
	size_t o = 88;
	size_t n;

	memset(out, 0, 88);
	memcpy(out, "NTLMSSP\0", 8);
	nb_le32(out + 8, 3);
	nb_le32(out + 60, (unicode ? NB_UNICODE : 0) | 0x00088200u | NB_VERSION);
	out[64] = 10;
	nb_le16(out + 66, 19041);
	out[71] = 15;
	n = nb_str(out + o, dom, unicode);
	nb_desc(out, 28, n, o);
	o += n;
	n = nb_str(out + o, user, unicode);
	nb_desc(out, 36, n, o);
	o += n;
	n = nb_str(out + o, host, unicode);
	nb_desc(out, 44, n, o);
	o += n;
	memset(out + o, 0, lm_len);
	nb_desc(out, 12, lm_len, o);
	o += lm_len;
	memset(out + o, 0x5a, nt_len);
	nb_desc(out, 20, nt_len, o);
	o += nt_len;
	nb_desc(out, 52, 0, o);
	return o;
}

/* DER length at out; returns its size. */
static inline size_t nb_der_len(uint8_t *out, size_t len)
{
	if (len < 0x80) {
		out[0] = (uint8_t)len;
		return 1;
	}
	out[0] = 0x82;
	out[1] = (uint8_t)(len >> 8);
	out[2] = (uint8_t)len;
	return 3;
}

/* tag, DER length, content into out; returns the TLV size. */
static inline size_t nb_tlv(uint8_t *out, uint8_t tag, const uint8_t *content, size_t len)
{
	size_t h;

	out[0] = tag;
	h = 1 + nb_der_len(out + 1, len);
	memmove(out + h, content, len);
	return h + len;
}

/*
 * GSS-API InitialContextToken with SPNEGO NegTokenInit: 0x60 { OID spnego,
 * [0] { SEQUENCE { [0] mechTypes { OID ntlmssp }, [2] { OCTET STRING tok } } } }.
 */
static inline size_t nb_spnego_init(uint8_t *out, const uint8_t *tok, size_t tok_len)
{
	static const uint8_t spnego_oid[] = { 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
	static const uint8_t mech_types[] = { 0xa0, 0x0e, 0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
					      0x01, 0x82, 0x37, 0x02, 0x02, 0x0a };
	uint8_t a[4096], b[4096];
	size_t n, m;

	n = nb_tlv(a, 0x04, tok, tok_len);		/* OCTET STRING */
	n = nb_tlv(b, 0xa2, a, n);			/* [2] mechToken */
	memcpy(a, mech_types, sizeof(mech_types));
	memcpy(a + sizeof(mech_types), b, n);
	n = nb_tlv(b, 0x30, a, sizeof(mech_types) + n);	/* SEQUENCE */
	n = nb_tlv(a, 0xa0, b, n);			/* [0] NegTokenInit */
	memcpy(b, spnego_oid, sizeof(spnego_oid));
	memcpy(b + sizeof(spnego_oid), a, n);
	m = nb_tlv(out, 0x60, b, sizeof(spnego_oid) + n);
	return m;
}

/* NegTokenResp: [1] { SEQUENCE { [0] { ENUMERATED 1 }, [2] { OCTET STRING tok } } }. */
static inline size_t nb_spnego_resp(uint8_t *out, const uint8_t *tok, size_t tok_len)
{
	static const uint8_t state[] = { 0xa0, 0x03, 0x0a, 0x01, 0x01 };
	uint8_t a[4096], b[4096];
	size_t n;

	n = nb_tlv(a, 0x04, tok, tok_len);
	n = nb_tlv(b, 0xa2, a, n);
	memcpy(a, state, sizeof(state));
	memcpy(a + sizeof(state), b, n);
	n = nb_tlv(b, 0x30, a, sizeof(state) + n);
	return nb_tlv(out, 0xa1, b, n);
}

#endif
