/*
 * netbios.c - NetBIOS names: the suffix table and the first-level encoding.
 *
 * Spec: RFC 1001 14.1 (first-level encoding: each half-octet of the 16-byte
 * name, high half first, is added to 'A', giving 32 characters 'A'..'P');
 * RFC 1001 14.2 / RFC 1002 4.1 carry it in packets, where a parser copies
 * the 32 bytes out through its ws_rd before calling ws_nb_decode_name().
 * Byte 16 of a name is its suffix (the service type); the first 15 bytes are
 * padded with spaces. Suffix meanings: seed 001's table (R13), kept in
 * netbios_suffix.def. See kb.h for the contract.
 *
 *   name:    | N0 | N1 | ... | N14 | SUFFIX |      16 bytes
 *   encoded: | hi(N0)+'A' | lo(N0)+'A' | ... | hi(SUFFIX)+'A' | lo(SUFFIX)+'A' |
 */
#include <string.h>

#include "kb/kb.h"

#define NB_NAME_LEN 15		/* bytes of the name proper (RFC 1001 14: 16 with the suffix) */
#define NB_ENC_LEN 32		/* first-level encoded length: two characters per byte */

enum nb_match { NB_MATCH_ANY, NB_MATCH_CONTAINS, NB_MATCH_PREFIX, NB_MATCH_EXACT };

struct nb_row {
	struct ws_nb_suffix info;	/* first member: &row->info is what callers get */
	enum nb_match match;
	const char *match_text;		/* for the special names; NULL for ANY */
};

static const struct nb_row nb_rows[] = {
#define WS_NB(suffix, type, pattern, meaning, role, match, text) \
	{ { (suffix), (type), (pattern), (meaning), (role) }, NB_MATCH_##match, (text) },
#include "kb/netbios_suffix.def"
#undef WS_NB
};

#define NB_ROW_CNT (sizeof(nb_rows) / sizeof(nb_rows[0]))

static char nb_upper(char c)
{
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 'A');
	return c;
}

/* Does s start with p, ignoring ASCII case? */
static bool nb_prefix_ci(const char *s, const char *p)
{
	for (; *p; s++, p++) {
		if (nb_upper(*s) != nb_upper(*p))
			return false;
	}
	return true;
}

static bool nb_equal_ci(const char *s, const char *p)
{
	return nb_prefix_ci(s, p) && strlen(s) == strlen(p);
}

static bool nb_contains_ci(const char *s, const char *p)
{
	for (; *s; s++) {
		if (nb_prefix_ci(s, p))
			return true;
	}
	return *p == '\0';
}

static bool nb_name_matches(const struct nb_row *row, const char *name)
{
	switch (row->match) {
	case NB_MATCH_ANY:
		return true;
	case NB_MATCH_CONTAINS:
		return nb_contains_ci(name, row->match_text);
	case NB_MATCH_PREFIX:
		return nb_prefix_ci(name, row->match_text);
	case NB_MATCH_EXACT:
		return nb_equal_ci(name, row->match_text);
	}
	return false;
}

static bool nb_type_fits(const struct nb_row *row, int group)
{
	if (group < 0)
		return true;
	return row->info.type == (group ? 'G' : 'U');
}

/*
 * The first row for this suffix that passes the filter: special rows or
 * generic (ANY) rows, of the asked-for type or of any type.
 */
static const struct nb_row *nb_first(uint8_t suffix, bool special, int group)
{
	for (size_t i = 0; i < NB_ROW_CNT; i++) {
		const struct nb_row *row = &nb_rows[i];

		if (row->info.suffix != suffix)
			continue;
		if ((row->match != NB_MATCH_ANY) != special)
			continue;
		if (nb_type_fits(row, group))
			return row;
	}
	return NULL;
}

const struct ws_nb_suffix *ws_kb_nb_suffix(uint8_t suffix, int group, const char *name)
{
	const struct nb_row *row = NULL;

	/* 1: a special name that this very name matches. */
	if (name) {
		for (size_t i = 0; i < NB_ROW_CNT && !row; i++) {
			const struct nb_row *r = &nb_rows[i];

			if (r->info.suffix == suffix && r->match != NB_MATCH_ANY &&
			    nb_type_fits(r, group) && nb_name_matches(r, name))
				row = r;
		}
	}
	/* 2: a generic row of the right type; 3: a special row of the right type. */
	if (!row)
		row = nb_first(suffix, false, group);
	if (!row && group >= 0)
		row = nb_first(suffix, true, group);
	/* 4: the suffix is known, the type is not what the table lists: say what it usually is. */
	if (!row)
		row = nb_first(suffix, false, -1);
	if (!row)
		row = nb_first(suffix, true, -1);
	return row ? &row->info : NULL;
}

size_t ws_kb_nb_suffix_count(void)
{
	return NB_ROW_CNT;
}

const struct ws_nb_suffix *ws_kb_nb_suffix_at(size_t i)
{
	if (i >= NB_ROW_CNT)
		return NULL;
	return &nb_rows[i].info;
}

int ws_nb_decode_name(const uint8_t *enc, size_t len, char name[16], uint8_t *suffix)
{
	uint8_t raw[NB_NAME_LEN + 1];
	size_t n;

	name[0] = '\0';
	*suffix = 0;
	if (!enc || len != NB_ENC_LEN)
		return -1;
	/* RFC 1001 14.1: every character is 'A' + a half-octet, so 'A'..'P'. */
	for (size_t i = 0; i < NB_ENC_LEN; i++) {
		if (enc[i] < 'A' || enc[i] > 'P')
			return -1;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)((enc[2 * i] - 'A') << 4 | (enc[2 * i + 1] - 'A'));

	n = NB_NAME_LEN;
	while (n > 0 && raw[n - 1] == ' ')
		n--;
	memcpy(name, raw, n);
	name[n] = '\0';
	*suffix = raw[NB_NAME_LEN];
	return 0;
}

void ws_nb_encode_name(const char *name, uint8_t suffix, char out[33])
{
	uint8_t raw[NB_NAME_LEN + 1];
	size_t n = name ? strlen(name) : 0;

	if (n > NB_NAME_LEN)
		n = NB_NAME_LEN;
	memset(raw, ' ', NB_NAME_LEN);
	if (n)
		memcpy(raw, name, n);
	raw[NB_NAME_LEN] = suffix;
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 * i] = (char)('A' + (raw[i] >> 4));
		out[2 * i + 1] = (char)('A' + (raw[i] & 0x0F));
	}
	out[NB_ENC_LEN] = '\0';
}
