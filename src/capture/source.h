/*
 * source.h - where packets come from: capture files (pcap in both byte orders,
 * micro- and nanosecond; pcapng with several interfaces and mixed link types;
 * either one gzip-compressed) and live interfaces (libpcap).
 *
 * Ownership: a packet's data pointer is valid until the next ws_src_next() or
 * ws_src_close() on the same source. Nothing here prints; errors are written to
 * the caller's buffer (libpcap's errbuf convention).
 */
#ifndef WS_CAPTURE_SOURCE_H
#define WS_CAPTURE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#define WS_ERRBUF_SIZE 256

/* Link types we decode (values of the LINKTYPE_ registry, as in pcap files). */
#define WS_LINK_NULL		0	/* BSD loopback: 4-byte host-order AF */
#define WS_LINK_ETHERNET	1
#define WS_LINK_RAW		101	/* raw IPv4/IPv6 */
#define WS_LINK_LOOP		108	/* OpenBSD loopback: 4-byte network-order AF */
#define WS_LINK_LINUX_SLL	113
#define WS_LINK_IPV4		228
#define WS_LINK_IPV6		229
#define WS_LINK_LINUX_SLL2	276
/* DLT_RAW as some systems write it in files (12 or 14). */
#define WS_LINK_RAW_ALT12	12
#define WS_LINK_RAW_ALT14	14

struct ws_raw_pkt {
	int64_t ts_ns;		/* capture time, ns since the epoch */
	uint32_t caplen;	/* bytes held at data */
	uint32_t wirelen;	/* bytes on the wire */
	int linktype;
	uint32_t ifindex;	/* pcapng interface id; 0 otherwise */
	const uint8_t *data;
};

enum ws_src_status {
	WS_SRC_EOF = 0,
	WS_SRC_PKT = 1,
	WS_SRC_ERR = -1		/* err says why; packets returned before stay valid results */
};

struct ws_src;

/* Opens a pcap or pcapng file (gzip-compressed or not; "-" is stdin). 0 or -1. */
int ws_src_open_file(struct ws_src **out, const char *path, char *err, size_t errlen);
/* Opens a live interface (libpcap). 0 or -1. */
int ws_src_open_live(struct ws_src **out, const char *iface, int snaplen, int promisc,
		     char *err, size_t errlen);
/*
 * Applies a BPF filter (libpcap syntax). For files it is compiled once per link
 * type met and packets that do not match are skipped inside ws_src_next() and
 * counted (ws_src_filtered). 0 or -1 (err: the compiler's message).
 */
int ws_src_set_filter(struct ws_src *s, const char *bpf, char *err, size_t errlen);
/*
 * The next packet. WS_SRC_ERR on a truncated or corrupt file: err tells what and
 * where ("file ends in the middle of packet 1234 (header says 1514 bytes, 200
 * held)"); the caller reports what it read so far. A malformed block that can be
 * skipped is skipped and counted (ws_src_skipped), not an error.
 */
enum ws_src_status ws_src_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen);
/* Makes a blocked live ws_src_next() return WS_SRC_EOF soon (signal-safe). */
void ws_src_break(struct ws_src *s);
/* "pcap", "pcap-nsec", "pcapng", "live"; with ".gz" appended for compressed files. */
const char *ws_src_format(const struct ws_src *s);
uint64_t ws_src_filtered(const struct ws_src *s);
uint64_t ws_src_skipped(const struct ws_src *s);
void ws_src_close(struct ws_src *s);
/* "Ethernet", "Linux SLL", ... for reports. */
const char *ws_linktype_name(int linktype);

#endif
