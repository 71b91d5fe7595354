/*
 * kbprint.c - `wiresift port ARG` and `wiresift nbname ARG`: the knowledge
 * base (kb/kb.h: seeds 000-002, IANA, RFC 1001 14.1 names) printed as plain
 * English for an analyst. See kbprint.h for the arguments and return codes.
 *
 *   445/tcp  microsoft-ds — SMB over TCP (direct host), Windows file sharing
 *     class:   well-known (0-1023)
 *     risk:    HIGH — Reachable from the internet or a WAN this is ...
 *     source:  seed 001, seed 000, IANA
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kb/kb.h"
#include "output/kbprint.h"

#define KBP_WIDTH 79		/* wrap long notes for an 80-column terminal */
#define KBP_INDENT 11		/* "  risk:    " */
#define KBP_NB_NAME_MAX 15	/* RFC 1001 14: 16 bytes with the suffix */
#define KBP_NB_ENC_LEN 32	/* RFC 1001 14.1 */

static const char KBP_USAGE_PORT[] =
	"expected PORT, PORT/tcp or PORT/udp with PORT 0-65535, e.g. 445 or 1900/udp";
static const char KBP_USAGE_NB[] =
	"expected a suffix (1B, 0x1B, <1B>), a 32-character encoded name (letters A-P) "
	"or NAME<XX> with NAME at most 15 characters, e.g. CLIENTE<20>";

/* Display width of a UTF-8 string: every byte but continuation bytes counts one. */
static size_t kbp_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	}
	return w;
}

/*
 * Print text from column col on, breaking at spaces before KBP_WIDTH;
 * continuation lines start at column KBP_INDENT. Ends with a newline.
 */
static void kbp_wrap(FILE *out, const char *text, size_t col)
{
	const char *p = text;

	while (*p) {
		const char *word_end = strchr(p, ' ');
		size_t len = word_end ? (size_t)(word_end - p) : strlen(p);
		size_t w = kbp_width(p, len);

		if (col > KBP_INDENT && col + 1 + w > KBP_WIDTH) {
			fprintf(out, "\n%*s", KBP_INDENT, "");
			col = KBP_INDENT;
		} else if (p != text) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, len, out);
		col += w;
		p += len;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static void kbp_upper(char *dst, const char *src, size_t max)
{
	size_t i = 0;

	for (; src[i] && i + 1 < max; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ? (char)(src[i] - 'a' + 'A') : src[i];
	dst[i] = '\0';
}

static void kbp_class(FILE *out, uint16_t port)
{
	enum ws_port_class c = ws_kb_port_class(port);

	fprintf(out, "  class:   %s (%s)", ws_kb_port_class_name(c), ws_kb_port_class_range(c));
	if (c == WS_PORT_DYNAMIC)
		fputs(" — usually a client's temporary (ephemeral) port", out);
	fputc('\n', out);
}

static const char *kbp_l4_label(uint8_t l4)
{
	if ((l4 & (WS_KB_TCP | WS_KB_UDP)) == (WS_KB_TCP | WS_KB_UDP))
		return "tcp+udp";
	return (l4 & WS_KB_TCP) ? "tcp" : "udp";
}

/* One row; label_l4 is the transport to show (the asked-for one, or the row's). */
static void kbp_port_row(FILE *out, const struct ws_port_info *row, uint8_t label_l4)
{
	char risk[8];

	fprintf(out, "%u/%s  %s — %s\n", (unsigned)row->port, kbp_l4_label(label_l4),
		row->service, row->description);
	kbp_class(out, row->port);
	kbp_upper(risk, ws_kb_risk_name(row->risk), sizeof(risk));
	fprintf(out, "  risk:    %s", risk);
	if (row->note) {
		fputs(" — ", out);
		kbp_wrap(out, row->note, KBP_INDENT + kbp_width(risk, strlen(risk)) + 3);
	} else {
		fputc('\n', out);
	}
	if (row->trojans) {
		fputs("  trojans: ", out);
		kbp_wrap(out, row->trojans, KBP_INDENT);
	}
	fprintf(out, "  source:  %s\n", row->source);
}

/* "445", "445/tcp", "445/UDP" -> port and l4 (both bits when no transport); false if malformed. */
static bool kbp_parse_port(const char *arg, uint16_t *port, uint8_t *l4)
{
	unsigned long v = 0;
	size_t i = 0;
	char proto[4];

	for (; arg[i] >= '0' && arg[i] <= '9'; i++) {
		if (i >= 5)
			return false;
		v = v * 10 + (unsigned long)(arg[i] - '0');
	}
	if (i == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	if (arg[i] == '\0') {
		*l4 = WS_KB_TCP | WS_KB_UDP;
		return true;
	}
	if (arg[i] != '/' || strlen(arg + i + 1) != 3)
		return false;
	kbp_upper(proto, arg + i + 1, sizeof(proto));
	if (strcmp(proto, "TCP") == 0)
		*l4 = WS_KB_TCP;
	else if (strcmp(proto, "UDP") == 0)
		*l4 = WS_KB_UDP;
	else
		return false;
	return true;
}

int ws_kbprint_port(FILE *out, FILE *err, const char *arg)
{
	uint16_t port;
	uint8_t l4;

	if (!arg || !kbp_parse_port(arg, &port, &l4)) {
		fprintf(err, "wiresift port: malformed argument '%s': %s\n", arg ? arg : "", KBP_USAGE_PORT);
		return 2;
	}
	if (l4 != (WS_KB_TCP | WS_KB_UDP)) {
		const struct ws_port_info *row = ws_kb_port(port, l4);

		if (row) {
			kbp_port_row(out, row, l4);
		} else {
			fprintf(out, "%u/%s  no known service\n", (unsigned)port, kbp_l4_label(l4));
			kbp_class(out, port);
		}
		return 0;
	}

	const struct ws_port_info *tcp = ws_kb_port(port, WS_KB_TCP);
	const struct ws_port_info *udp = ws_kb_port(port, WS_KB_UDP);

	if (tcp)
		kbp_port_row(out, tcp, tcp->l4);
	if (udp && udp != tcp) {
		if (tcp)
			fputc('\n', out);
		kbp_port_row(out, udp, udp->l4);
	}
	if (!tcp && !udp) {
		fprintf(out, "%u/tcp+udp  no known service\n", (unsigned)port);
		kbp_class(out, port);
	}
	return 0;
}

static int kbp_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly s[0..n) as one or two hex digits, with an optional 0x. */
static bool kbp_parse_suffix(const char *s, size_t n, uint8_t *suffix)
{
	int v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (n < 1 || n > 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = kbp_hex(s[i]);

		if (d < 0)
			return false;
		v = v * 16 + d;
	}
	*suffix = (uint8_t)v;
	return true;
}

/* The name with bytes outside printable ASCII (and the backslash) escaped. */
static void kbp_nb_name(FILE *out, const char *name, uint8_t suffix)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p >= 0x20 && *p <= 0x7E)
			fputc(*p, out);
		else
			fprintf(out, "\\x%02X", *p);
	}
	fprintf(out, "<%02X>", suffix);
}

static const char *kbp_nb_type(char type)
{
	return type == 'G' ? "group" : "unique";
}

static void kbp_nb_meaning(FILE *out, const char *lead, const struct ws_nb_suffix *row, bool show_if)
{
	fprintf(out, "%s%s (%s%s)", lead, row->meaning, show_if ? "if " : "", kbp_nb_type(row->type));
	if (row->role)
		fprintf(out, " — role: %s", row->role);
	fputc('\n', out);
}

/*
 * What a name with this suffix means: the special name it matches, or the
 * meaning if it is unique and the one if it is a group name (the group flag
 * travels in NB_FLAGS, not in the name). Returns 0, or 1 if unknown.
 */
static int kbp_nb_meanings(FILE *out, const char *name, uint8_t suffix)
{
	const struct ws_nb_suffix *best = ws_kb_nb_suffix(suffix, -1, name);
	const struct ws_nb_suffix *plain = ws_kb_nb_suffix(suffix, -1, NULL);

	if (!best) {
		fprintf(out, "  meaning: unknown suffix <%02X>\n", suffix);
		return 1;
	}
	if (best != plain) {
		kbp_nb_meaning(out, "  meaning: ", best, false);
		return 0;
	}

	const struct ws_nb_suffix *u = ws_kb_nb_suffix(suffix, 0, name);
	const struct ws_nb_suffix *g = ws_kb_nb_suffix(suffix, 1, name);

	if (u == g) {
		kbp_nb_meaning(out, "  meaning: ", u, false);
		return 0;
	}
	kbp_nb_meaning(out, "  meaning: ", u, u->type == 'U');
	kbp_nb_meaning(out, "           ", g, g->type == 'G');
	return 0;
}

static int kbp_nb_suffix_rows(FILE *out, uint8_t suffix)
{
	size_t found = 0;

	fprintf(out, "<%02X>  NetBIOS name suffix 0x%02X\n", suffix, suffix);
	for (size_t i = 0; i < ws_kb_nb_suffix_count(); i++) {
		const struct ws_nb_suffix *row = ws_kb_nb_suffix_at(i);
		char label[64];

		if (row->suffix != suffix)
			continue;
		snprintf(label, sizeof(label), "%s<%02X>", row->name_pattern, suffix);
		fprintf(out, "  %-24s %-6s  %s", label, kbp_nb_type(row->type), row->meaning);
		if (row->role)
			fprintf(out, " — role: %s", row->role);
		fputc('\n', out);
		found++;
	}
	if (!found) {
		fputs("  no known meaning\n", out);
		return 1;
	}
	return 0;
}

static bool kbp_is_encoded(const char *arg)
{
	if (strlen(arg) != KBP_NB_ENC_LEN)
		return false;
	for (const char *p = arg; *p; p++) {
		if (*p < 'A' || *p > 'P')
			return false;
	}
	return true;
}

static int kbp_nb_decode(FILE *out, const char *arg)
{
	char name[16];
	uint8_t suffix;

	if (ws_nb_decode_name((const uint8_t *)arg, strlen(arg), name, &suffix) != 0)
		return 2;
	fprintf(out, "%s\n  name:    ", arg);
	kbp_nb_name(out, name, suffix);
	fputc('\n', out);
	return kbp_nb_meanings(out, name, suffix);
}

/* "NAME<XX>": name and suffix; false if malformed. name gets the raw bytes. */
static bool kbp_parse_named(const char *arg, char name[KBP_NB_NAME_MAX + 1], uint8_t *suffix)
{
	const char *lt = strrchr(arg, '<');
	size_t len = strlen(arg);
	size_t name_len;

	if (!lt || len < 3 || arg[len - 1] != '>')
		return false;
	name_len = (size_t)(lt - arg);
	if (name_len == 0 || name_len > KBP_NB_NAME_MAX)
		return false;
	if (!kbp_parse_suffix(lt + 1, len - name_len - 2, suffix))
		return false;
	memcpy(name, arg, name_len);
	name[name_len] = '\0';
	return true;
}

static int kbp_nb_encode(FILE *out, const char *arg, const char *given, uint8_t suffix)
{
	/* Master browser name: 01 02 "__MSBROWSE__" 02, suffix 01 (seed 001's "\--__MSBROWSE__"). */
	static const char msbrowse[] = "\x01\x02__MSBROWSE__\x02";
	char name[KBP_NB_NAME_MAX + 1];
	char enc[KBP_NB_ENC_LEN + 1];
	const char *remark = NULL;

	/* Encoded byte for byte: Windows upper-cases names, but "INet~Services" is not. */
	kbp_upper(name, given, sizeof(name));
	if (strcmp(name, "__MSBROWSE__") == 0) {
		memcpy(name, msbrowse, sizeof(msbrowse));
		remark = "the master browser name's real bytes";
	} else {
		bool special = ws_kb_nb_suffix(suffix, -1, given) != ws_kb_nb_suffix(suffix, -1, NULL);

		if (strcmp(name, given) != 0 && !special)
			remark = "encoded as given; Windows names are usually upper case";
		memcpy(name, given, strlen(given) + 1);
	}
	ws_nb_encode_name(name, suffix, enc);
	fprintf(out, "%s\n  name:    ", arg);
	kbp_nb_name(out, name, suffix);
	if (remark)
		fprintf(out, "  (%s)", remark);
	fprintf(out, "\n  encoded: %s\n", enc);
	return kbp_nb_meanings(out, name, suffix);
}

int ws_kbprint_nbname(FILE *out, FILE *err, const char *arg)
{
	size_t len = arg ? strlen(arg) : 0;
	uint8_t suffix;
	char name[KBP_NB_NAME_MAX + 1];

	if (len >= 3 && arg[0] == '<' && arg[len - 1] == '>' &&
	    kbp_parse_suffix(arg + 1, len - 2, &suffix))
		return kbp_nb_suffix_rows(out, suffix);
	if (len > 0 && kbp_parse_suffix(arg, len, &suffix))
		return kbp_nb_suffix_rows(out, suffix);
	if (len > 0 && kbp_is_encoded(arg))
		return kbp_nb_decode(out, arg);
	if (len > 0 && kbp_parse_named(arg, name, &suffix))
		return kbp_nb_encode(out, arg, name, suffix);
	fprintf(err, "wiresift nbname: malformed argument '%s': %s\n", arg ? arg : "", KBP_USAGE_NB);
	return 2;
}
