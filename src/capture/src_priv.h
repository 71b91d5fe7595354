/*
 * src_priv.h - the inside of struct ws_src, shared by the files of src/capture/
 * only (source.c: API, live and filter; input.c: buffered plain/gzip input;
 * pcapfile.c: classic pcap; pcapng.c: pcapng). Nothing outside capture/
 * includes this.
 *
 * Invariants of struct ws_in: buf[pos, end) are bytes read and not yet
 * consumed; 0 <= pos <= end <= cap <= WS_SRC_BUF_MAX. Bytes before pos stay
 * where they are until the next ws_in_need() that has to read, so a pointer
 * handed out for a consumed record stays valid until then (that is what
 * makes "valid until the next ws_src_next()" true without copying).
 */
#ifndef WS_CAPTURE_SRC_PRIV_H
#define WS_CAPTURE_SRC_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>
#include <zlib.h>

#include "capture/source.h"

/* Initial read buffer: one read() per MiB keeps syscalls out of the per-packet
 * cost (a 500 MB file is ~500 reads) while staying small beside the flow table. */
#define WS_SRC_BUF_INIT		(1u << 20)
/* Largest packet record we accept (caplen). The biggest real link MTUs
 * (loopback 64 KiB, GSO/TSO super-frames up to 256 KiB, USB captures of a few
 * MiB) fit with a wide margin; a larger declared length is a corrupt file. */
#define WS_SRC_RECORD_MAX	(16u << 20)
/* Largest pcapng block: a maximal record plus room for its options. */
#define WS_SRC_BLOCK_MAX	(WS_SRC_RECORD_MAX + (64u << 10))
/* The read buffer never grows past this: one maximal block (the largest
 * thing that must be held whole) plus a record header. */
#define WS_SRC_BUF_MAX		(WS_SRC_BLOCK_MAX + 64u)
/* Compressed bytes read per read() for gzip input. */
#define WS_SRC_GZ_IN		(256u << 10)
/* pcapng interfaces per section. Real captures have a handful (dumpcap on
 * every interface of a router: dozens); IDBs past the cap are counted as
 * skipped and so are the packets that name them. */
#define WS_SRC_IFACES_MAX	1024u
/* Compiled filter programs kept at once (one per link type met); past it the
 * oldest is replaced, so a file with many link types costs compiles, not memory. */
#define WS_SRC_FILTER_PROGS	8u
/* snaplen given to pcap_open_dead() when compiling a filter for a file. */
#define WS_SRC_FILTER_SNAPLEN	262144

/* Buffered input: read() into a large buffer, through inflate() when gzip. */
struct ws_in {
	int fd;
	bool own_fd;		/* false for stdin */
	bool eof;		/* the (decompressed) input has ended */
	bool gz;
	bool gz_member;		/* inside a gzip member (its end not yet seen) */
	bool gz_in_eof;		/* the compressed input has ended */
	bool gz_cut;		/* compressed input ended inside a member */
	z_stream zs;
	uint8_t *zin;		/* WS_SRC_GZ_IN compressed bytes */
	uint8_t *buf;
	size_t cap, pos, end;
	uint64_t off;		/* input offset of buf[pos] (decompressed) */
};

/* One pcapng interface (or the one implicit interface of a pcap file). */
struct ws_iface {
	int linktype;
	uint32_t snaplen;
	bool bad;		/* unusable (timestamp resolution we cannot convert) */
	/* ts units to ns: exactly one of the three ways is set. */
	uint64_t ts_mul;	/* units per second divides 1e9: ns = ts * ts_mul */
	uint64_t ts_div;	/* 10^10..10^19 units per second: ns = ts / ts_div */
	unsigned ts_shift;	/* 2^-ts_shift seconds (ts_shift 1..63) */
	int64_t ts_offset;	/* if_tsoffset, seconds */
};

struct ws_filter_prog {
	int linktype;
	struct bpf_program prog;
};

enum ws_src_kind { WS_SRC_PCAP, WS_SRC_PCAP_NSEC, WS_SRC_PCAPNG, WS_SRC_LIVE };

struct ws_src {
	enum ws_src_kind kind;
	volatile sig_atomic_t brk;	/* ws_src_break() was called */
	struct ws_in in;
	bool be;			/* file (or current pcapng section) is big-endian */
	uint64_t pkt_no;		/* packet records met so far, skipped ones too */
	uint64_t filtered, skipped;

	/* classic pcap */
	struct ws_iface pcap_if;
	size_t pcap_rec_len;		/* 16, or 24 for the modified format */

	/* pcapng: interfaces of the current section */
	struct ws_iface *ifs;
	uint32_t if_cnt, if_cap;
	int64_t last_ts;		/* for SPBs, which carry no timestamp */
	bool primed_err;		/* reading ahead at open met an error: */
	char primed_msg[WS_ERRBUF_SIZE];	/* returned by the first ws_src_next() */

	/* filter (files) */
	char *filter;
	struct ws_filter_prog progs[WS_SRC_FILTER_PROGS];
	unsigned prog_cnt, prog_next;

	/* live */
	pcap_t *live;
	bool live_nsec;
	int live_linktype;
};

/* input.c */
int ws_in_open(struct ws_in *in, const char *path, char *err, size_t errlen);
void ws_in_close(struct ws_in *in);
/* Slow path of ws_in_need(). */
int ws_in_fill(struct ws_in *in, size_t n, char *err, size_t errlen);

/*
 * Makes n bytes available at ws_in_ptr(): 1 if they are, 0 if the input ends
 * first (ws_in_held() tells how many are), -1 on a read or gzip error (err).
 * n must be at most WS_SRC_BUF_MAX.
 */
static inline int ws_in_need(struct ws_in *in, size_t n, char *err, size_t errlen)
{
	if (in->end - in->pos >= n)
		return 1;
	return ws_in_fill(in, n, err, errlen);
}

static inline const uint8_t *ws_in_ptr(const struct ws_in *in)
{
	return in->buf + in->pos;
}

static inline size_t ws_in_held(const struct ws_in *in)
{
	return in->end - in->pos;
}

static inline void ws_in_consume(struct ws_in *in, size_t n)
{
	in->pos += n;
	in->off += n;
}

/* pcapfile.c: the 24-byte file header is held at ws_in_ptr(). */
int ws_pcap_open(struct ws_src *s, char *err, size_t errlen);
enum ws_src_status ws_pcap_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen);

/* pcapng.c: the first block starts at ws_in_ptr(). */
int ws_pcapng_open(struct ws_src *s, char *err, size_t errlen);
enum ws_src_status ws_pcapng_next(struct ws_src *s, struct ws_raw_pkt *pkt, char *err, size_t errlen);
/* The link type of the first interface known, or -1. */
int ws_pcapng_first_linktype(const struct ws_src *s);


#endif
