/*
 * pktline.c - packet lines in tshark's default layout (see pktline.h).
 *
 * Follows what Wireshark 4.0 shows, checked against `tshark -r` on the
 * corpus: column padding (tshark.c print_columns: 5 / 10 / 12 / 12), the TCP
 * summary of packet-tcp.c ("sport → dport [FLAGS] Seq= Ack= Win= Urg= Len="
 * then the options), relative sequence numbers (each direction counted from
 * its SYN, or from one before its first segment when no SYN was seen), the
 * ICMP summary of packet-icmp.c (type name left-aligned in 20, then the code
 * in parentheses or the echo id/seq/ttl) and ICMPv6's (RFC 4443 names).
 * Names of ICMP types and codes: RFC 792, RFC 1812 5.2.7.1, RFC 4443 2.1/3.1.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "output/pktline.h"

/* A bounded line being built: appends past cap are cut, never overflow. */
struct line {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
	size_t room;

	if (l->cap == 0)
		return;
	room = l->cap - 1 - l->len;
	if (n > room)
		n = room;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void putf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct line *l, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	put(l, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void pad(struct line *l, size_t n)
{
	while (n--)
		put(l, " ", 1);
}

/* s right-aligned (right) or left-aligned in at least width columns. */
static void col(struct line *l, const char *s, size_t width, bool right)
{
	size_t n = strlen(s);	/* our column texts are ASCII: bytes are columns */

	if (right && n < width)
		pad(l, width - n);
	put(l, s, n);
	if (!right && n < width)
		pad(l, width - n);
}

/* Parser text with bytes outside printable ASCII (and '\') as \xHH. UTF-8
 * passes as it is, as tshark shows it; control bytes never do. */
static void put_safe(struct line *l, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			putf(l, "\\x%02x", *c);
		else
			put(l, (const char *)c, 1);
	}
}

/* ---- addresses ---- */

static const char *mac_str(const uint8_t m[6], char buf[18])
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (memcmp(m, bcast, 6) == 0)
		return "Broadcast";	/* tshark's name for it */
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* ---- protocol column ---- */

static const char *ip_proto_label(uint8_t proto, uint8_t ip_ver)
{
	switch (proto) {
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 58: return "ICMPv6";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 112: return "VRRP";
	case 132: return "SCTP";
	default: return ip_ver == 6 ? "IPv6" : "IPv4";
	}
}

/* The name tshark's ipproto table gives, for fragment summaries. */
static const char *ipproto_name(uint8_t proto)
{
	switch (proto) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "ICMPv6";
	case 47: return "GRE";
	case 50: return "ESP";
	default: return "Unknown";
	}
}

static const char *ethertype_label(uint16_t et)
{
	switch (et) {
	case 0x0806: return "ARP";
	case 0x8035: return "RARP";
	case 0x86dd: return "IPv6";
	case 0x0800: return "IPv4";
	case 0x8863: return "PPPoED";
	case 0x8864: return "PPPoES";
	case 0x88cc: return "LLDP";
	case 0x888e: return "EAPOL";
	case 0x8137: return "IPX";
	default: return NULL;
	}
}

/* The layer a decode error belongs to, for the Protocol column. */
static const char *err_label(const struct ws_packet *p)
{
	switch (p->err) {
	case WS_DE_LINKTYPE_UNSUPPORTED: return "UNKNOWN";
	case WS_DE_ETH_TRUNCATED: return "ETH";
	case WS_DE_VLAN_TRUNCATED: return "802.1Q";
	case WS_DE_SLL_TRUNCATED: return "SLL";
	case WS_DE_NULL_TRUNCATED: return "NULL";
	case WS_DE_IPV4_TRUNCATED:
	case WS_DE_IPV4_BAD_VERSION:
	case WS_DE_IPV4_BAD_HLEN:
	case WS_DE_IPV4_BAD_LEN: return "IPv4";
	case WS_DE_IPV6_TRUNCATED:
	case WS_DE_IPV6_BAD_VERSION:
	case WS_DE_IPV6_EXT_TRUNCATED: return "IPv6";
	case WS_DE_TCP_TRUNCATED:
	case WS_DE_TCP_BAD_HLEN: return "TCP";
	case WS_DE_UDP_TRUNCATED:
	case WS_DE_UDP_BAD_LEN: return "UDP";
	case WS_DE_ICMP_TRUNCATED: return p->ip_ver == 6 ? "ICMPv6" : "ICMP";
	default: return p->ip_ver == 6 ? "IPv6" : "IPv4";
	}
}

/* ---- TCP ---- */

/* Flag names in packet-tcp.c's order (bit 0 upwards), "<None>" for none. */
static void tcp_flags(struct line *l, uint8_t flags)
{
	static const char *const names[8] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	bool any = false;

	put(l, "[", 1);
	for (int i = 0; i < 8; i++) {
		if (!(flags & (1u << i)))
			continue;
		if (any)
			put(l, ", ", 2);
		puts_(l, names[i]);
		any = true;
	}
	if (!any)
		puts_(l, "<None>");
	put(l, "]", 1);
}

/*
 * The relative base of direction d: its SYN's sequence number, or one before
 * its first segment when no SYN was seen (tshark's rule for streams picked up
 * mid-way, which makes that segment Seq=1). Returns false when d sent nothing.
 */
static bool seq_base(const struct ws_flow *f, int d, uint32_t *base)
{
	if (!f || !f->isn_set[d])
		return false;
	*base = f->tcp_flags[d] & WS_TH_SYN ? f->isn[d] : f->isn[d] - 1u;
	return true;
}

enum tcp_opt { OPT_END, OPT_MSS, OPT_WS, OPT_SACK_PERM, OPT_TS };

/*
 * The order the options are shown in. tshark follows the wire; the decoder
 * keeps values, not order, so the layout of the stack that sends this set is
 * assumed: Linux MSS,SACK_PERM,TS,NOP,WS (40-byte header); BSD/macOS
 * MSS,NOP,WS,NOP,NOP,TS,SACK_PERM,EOL (44); Windows MSS,NOP,WS,NOP,NOP,
 * SACK_PERM; older BSD/Solaris MSS,NOP,WS,NOP,NOP,TS.
 */
static const enum tcp_opt *tcp_opt_order(const struct ws_tcp_info *t)
{
	static const enum tcp_opt linux_order[] = { OPT_MSS, OPT_SACK_PERM, OPT_TS, OPT_WS, OPT_END };
	static const enum tcp_opt bsd_order[] = { OPT_MSS, OPT_WS, OPT_TS, OPT_SACK_PERM, OPT_END };
	static const enum tcp_opt win_order[] = { OPT_MSS, OPT_WS, OPT_SACK_PERM, OPT_TS, OPT_END };

	if (t->wscale < 0)
		return linux_order;
	if (t->sack_perm && t->has_ts)
		return t->hdr_len >= 44 ? bsd_order : linux_order;
	if (t->sack_perm)
		return win_order;
	return bsd_order;
}

static void tcp_options(struct line *l, const struct ws_tcp_info *t)
{
	for (const enum tcp_opt *o = tcp_opt_order(t); *o != OPT_END; o++) {
		switch (*o) {
		case OPT_MSS:
			if (t->mss)
				putf(l, " MSS=%u", t->mss);
			break;
		case OPT_WS:
			/* RFC 7323 2.3: a shift above 14 is used as 14. */
			if (t->wscale >= 0)
				putf(l, " WS=%u", 1u << (t->wscale > 14 ? 14 : t->wscale));
			break;
		case OPT_SACK_PERM:
			if (t->sack_perm)
				puts_(l, " SACK_PERM");
			break;
		case OPT_TS:
			if (t->has_ts)
				putf(l, " TSval=%u TSecr=%u", t->tsval, t->tsecr);
			break;
		case OPT_END:
			break;
		}
	}
}

/*
 * Len= as tshark counts it: what the IP header claims, but no more than the
 * frame carried on the wire (a header claiming more than the frame is not
 * believed); bytes cut by the snaplen still count.
 */
static uint32_t tcp_len(const struct ws_packet *p)
{
	uint64_t on_wire = (uint64_t)p->payload_len + (p->wirelen > p->caplen ? p->wirelen - p->caplen : 0);

	if (p->frag == WS_FRAG_DONE)
		return p->payload_wire_len;	/* reassembled: the datagram, not this frame */
	return p->payload_wire_len < on_wire ? p->payload_wire_len : (uint32_t)on_wire;
}

/*
 * The window as tshark shows it: scaled (RFC 7323) once both SYNs were seen
 * with a window-scale option; raw in SYNs, and raw when the handshake was not
 * seen or one side did not offer scaling.
 */
static uint32_t tcp_win(const struct ws_tcp_info *t, const struct ws_flow *f, enum ws_dir dir)
{
	int sh;

	if (!f || t->flags & WS_TH_SYN || !f->syn_seen[0] || !f->syn_seen[1] ||
	    f->wscale[0] < 0 || f->wscale[1] < 0)
		return t->win;
	sh = f->wscale[dir] > 14 ? 14 : f->wscale[dir];
	return (uint32_t)t->win << sh;
}

static void tcp_info(struct line *l, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir)
{
	const struct ws_tcp_info *t = &p->tcp;
	int other = dir == WS_DIR_TO_SERVER ? WS_DIR_TO_CLIENT : WS_DIR_TO_SERVER;
	uint32_t base;

	putf(l, "%u \u2192 %u ", p->sport, p->dport);
	tcp_flags(l, t->flags);
	putf(l, " Seq=%u", seq_base(f, (int)dir, &base) ? t->seq - base : t->seq);
	if (t->flags & WS_TH_ACK) {
		/*
		 * Relative to the other side's base. When that side sent nothing,
		 * tshark takes this first ACK minus one as its base (Ack=1); later
		 * ACKs of such a one-sided flow are shown raw here.
		 */
		if (seq_base(f, other, &base))
			putf(l, " Ack=%u", t->ack - base);
		else if (f && f->ack_base_set[dir])
			putf(l, " Ack=%u", t->ack - f->ack_base[dir]);
		else
			putf(l, " Ack=%u", t->ack);
	}
	putf(l, " Win=%u", tcp_win(t, f, dir));
	if (t->flags & WS_TH_URG)
		putf(l, " Urg=%u", t->urp);
	putf(l, " Len=%u", tcp_len(p));
	tcp_options(l, t);
}

/* ---- ICMP ---- */

static const char *icmp_type_name(uint8_t type)
{
	switch (type) {
	case 0: return "Echo (ping) reply";
	case 3: return "Destination unreachable";
	case 4: return "Source quench (flow control)";
	case 5: return "Redirect";
	case 6: return "Alternate host address";
	case 8: return "Echo (ping) request";
	case 9: return "Router advertisement";
	case 10: return "Router solicitation";
	case 11: return "Time-to-live exceeded";
	case 12: return "Parameter problem";
	case 13: return "Timestamp request";
	case 14: return "Timestamp reply";
	case 15: return "Information request";
	case 16: return "Information reply";
	case 17: return "Address mask request";
	case 18: return "Address mask reply";
	default: return "Unknown ICMP (obsolete or malformed?)";
	}
}

static const char *icmp_code_name(uint8_t type, uint8_t code)
{
	static const char *const unreach[] = {
		"Network unreachable", "Host unreachable", "Protocol unreachable",
		"Port unreachable", "Fragmentation needed", "Source route failed",
		"Destination network unknown", "Destination host unknown",
		"Source host isolated", "Network administratively prohibited",
		"Host administratively prohibited", "Network unreachable for TOS",
		"Host unreachable for TOS", "Communication administratively filtered",
		"Host precedence violation", "Precedence cutoff in effect",
	};
	static const char *const redirect[] = {
		"Redirect for network", "Redirect for host",
		"Redirect for TOS and network", "Redirect for TOS and host",
	};
	static const char *const exceeded[] = {
		"Time to live exceeded in transit", "Fragment reassembly time exceeded",
	};

	switch (type) {
	case 3: return code < sizeof(unreach) / sizeof(unreach[0]) ? unreach[code] : "Unknown code";
	case 5: return code < sizeof(redirect) / sizeof(redirect[0]) ? redirect[code] : "Unknown code";
	case 11: return code < sizeof(exceeded) / sizeof(exceeded[0]) ? exceeded[code] : "Unknown code";
	default: return NULL;
	}
}

static uint16_t swap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

static void icmp_info(struct line *l, const struct ws_packet *p)
{
	const char *code = icmp_code_name(p->icmp_type, p->icmp_code);

	putf(l, "%-20s", icmp_type_name(p->icmp_type));
	if (code) {
		putf(l, " (%s)", code);
	} else if (p->icmp_type == 0 || p->icmp_type == 8) {
		/* seq shown big-endian / little-endian, as tshark does */
		putf(l, " id=0x%04x, seq=%u/%u, ttl=%u", p->icmp_id, p->icmp_seq,
		     swap16(p->icmp_seq), p->ttl);
	} else {
		while (l->len && l->buf[l->len - 1] == ' ')
			l->buf[--l->len] = '\0';
	}
}

static const char *icmp6_type_name(uint8_t type)
{
	switch (type) {
	case 1: return "Destination Unreachable";
	case 2: return "Packet Too Big";
	case 3: return "Time Exceeded";
	case 4: return "Parameter Problem";
	case 128: return "Echo (ping) request";
	case 129: return "Echo (ping) reply";
	case 130: return "Multicast Listener Query";
	case 131: return "Multicast Listener Report";
	case 132: return "Multicast Listener Done";
	case 133: return "Router Solicitation";
	case 134: return "Router Advertisement";
	case 135: return "Neighbor Solicitation";
	case 136: return "Neighbor Advertisement";
	case 137: return "Redirect";
	case 143: return "Multicast Listener Report Message v2";
	default: return "Unknown ICMPv6";
	}
}

static const char *icmp6_code_name(uint8_t type, uint8_t code)
{
	static const char *const unreach[] = {
		"no route to destination", "communication with destination administratively prohibited",
		"beyond scope of source address", "address unreachable", "port unreachable",
		"source address failed ingress/egress policy", "reject route to destination",
	};
	static const char *const exceeded[] = {
		"hop limit exceeded in transit", "fragment reassembly time exceeded",
	};

	if (type == 1)
		return code < sizeof(unreach) / sizeof(unreach[0]) ? unreach[code] : "Unknown code";
	if (type == 3)
		return code < sizeof(exceeded) / sizeof(exceeded[0]) ? exceeded[code] : "Unknown code";
	return NULL;
}

static void icmp6_info(struct line *l, const struct ws_packet *p)
{
	const char *code = icmp6_code_name(p->icmp_type, p->icmp_code);

	puts_(l, icmp6_type_name(p->icmp_type));
	if (code)
		putf(l, " (%s)", code);
	if (p->icmp_type == 128 || p->icmp_type == 129)
		putf(l, " id=0x%04x, seq=%u, hop limit=%u", p->icmp_id, p->icmp_seq, p->ttl);
}

/* ---- the line ---- */

static void time_col(struct line *l, int64_t rel, int decimals)
{
	char t[40];
	uint64_t mag = rel < 0 ? (uint64_t)-(rel + 1) + 1u : (uint64_t)rel;
	uint32_t frac = (uint32_t)(mag % 1000000000u);
	int n;

	n = snprintf(t, sizeof(t), "%s%llu", rel < 0 ? "-" : "", (unsigned long long)(mag / 1000000000u));
	if (n > 0 && decimals > 0 && (size_t)n + 1 + (size_t)decimals < sizeof(t)) {
		/* The first `decimals` of nine digits: truncated, as tshark does. */
		t[n++] = '.';
		for (int i = 0; i < decimals; i++) {
			uint32_t p10 = 100000000u;

			for (int j = 0; j < i; j++)
				p10 /= 10;
			t[n++] = (char)('0' + frac / p10 % 10);
		}
		t[n] = '\0';
	}
	col(l, t, 10, true);
}

static void info_col(struct line *l, const struct ws_packet *p, const struct ws_flow *f,
		     enum ws_dir dir, const char *app_info)
{
	if (app_info) {
		put_safe(l, app_info);
		return;
	}
	if (p->err != WS_DE_NONE) {
		putf(l, "[Malformed Packet: %s]", ws_decode_err_name(p->err));
		return;
	}
	if (p->ip_ver == 0)
		return;		/* ARP and other non-IP frames: not decoded further */
	if (p->frag == WS_FRAG_HELD) {
		if (p->ip_ver == 4)
			putf(l, "Fragmented IP protocol (proto=%s %u, ID=%04x)",
			     ipproto_name(p->ip_proto), p->ip_proto, p->ip_id);
		else
			putf(l, "IPv6 fragment (nxt=%u)", p->ip_proto);
		return;
	}
	if (!p->l4_ok)
		return;
	switch (p->ip_proto) {
	case 6:
		tcp_info(l, p, f, dir);
		break;
	case 17:
		putf(l, "%u \u2192 %u Len=%u", p->sport, p->dport,
		     p->udp_len >= 8 ? p->udp_len - 8u : p->payload_wire_len);
		break;
	case 1:
		if (p->ip_ver == 4)
			icmp_info(l, p);
		break;
	case 58:
		icmp6_info(l, p);
		break;
	default:
		break;
	}
}

static const char *proto_col(const struct ws_packet *p, const char *app_label, char buf[8])
{
	const char *et;

	if (app_label)
		return app_label;
	if (p->err != WS_DE_NONE)
		return err_label(p);
	if (p->ip_ver == 0) {
		et = ethertype_label(p->ethertype);
		if (et)
			return et;
		snprintf(buf, 8, "0x%04x", p->ethertype);
		return buf;
	}
	if (p->frag == WS_FRAG_HELD)
		return p->ip_ver == 6 ? "IPv6" : "IPv4";
	return ip_proto_label(p->ip_proto, p->ip_ver);
}

size_t ws_pktline_format(char *buf, size_t cap, const struct ws_packet *p, const struct ws_flow *f,
			 enum ws_dir dir, const char *app_label, const char *app_info,
			 int64_t first_ts_ns, int decimals)
{
	struct line l = { buf, cap, 0 };
	char num[24];
	char src[WS_ADDR_STRLEN], dst[WS_ADDR_STRLEN];
	char smac[18], dmac[18];
	char etbuf[8];
	const char *s = "", *d = "";

	if (cap)
		buf[0] = '\0';
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;

	snprintf(num, sizeof(num), "%llu", (unsigned long long)p->num);
	col(&l, num, 5, true);
	put(&l, " ", 1);
	time_col(&l, p->ts_ns - first_ts_ns, decimals);
	put(&l, " ", 1);

	if (p->ip_ver && p->src.v) {
		s = ws_addr_fmt(&p->src, src);
		d = ws_addr_fmt(&p->dst, dst);
	} else if (p->has_eth) {
		s = mac_str(p->eth_src, smac);
		d = mac_str(p->eth_dst, dmac);
	}
	col(&l, s, 12, true);
	puts_(&l, " \u2192 ");
	col(&l, d, 12, false);
	put(&l, " ", 1);
	put_safe(&l, proto_col(p, app_label, etbuf));
	putf(&l, " %u ", p->wirelen);
	info_col(&l, p, f, dir, app_info);
	return l.len;
}

void ws_pktline_print(FILE *out, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir,
		      const char *app_label, const char *app_info, int64_t first_ts_ns)
{
	char buf[WS_PKTLINE_MAX];
	size_t n = ws_pktline_format(buf, sizeof(buf), p, f, dir, app_label, app_info, first_ts_ns, 6);

	buf[n] = '\n';
	fwrite(buf, 1, n + 1, out);
}
