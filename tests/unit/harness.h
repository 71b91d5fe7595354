/*
 * harness.h - drive parsers through the real engine, without a capture file
 * on disk: crafted Ethernet frames are written as a classic pcap (libpcap
 * format, LINKTYPE_ETHERNET, microsecond stamps) into a memfd, the engine
 * reads it as it would any file, and what came out is collected: the
 * NetBIOS event bodies (copied), the anomaly names, a count per event type,
 * and each packet's Protocol/Info columns from the packet hook.
 *
 * The engine keeps struct ws_pctx private, so a parser's feed() cannot be
 * called directly; going through ws_engine_run_file() also tests the probe,
 * the port switch and the flow plumbing on the way.
 *
 * Header only (static functions), no cmocka inside: tests and fuzzers
 * (fuzz/fuzz_<p>.c include it as "../tests/unit/harness.h") share it.
 *
 * Frame builder layout (RFC 894 Ethernet, RFC 791 IPv4 with a correct header
 * checksum, RFC 768 UDP with checksum 0 = none):
 *   | dst mac 6 | src mac 6 | 0x0800 | IPv4 20 | UDP 8 | payload |
 */
#ifndef WS_TESTS_HARNESS_H
#define WS_TESTS_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/engine.h"
#include "event/ev_netbios.h"

#define HARNESS_FRAME_MAX 2048	/* crafted frames stay within one Ethernet MTU or so */
#define HARNESS_EVENTS_MAX 256	/* NetBIOS events kept per run */
#define HARNESS_ANOM_MAX 64	/* anomaly names kept per run */
#define HARNESS_PKTS_MAX 256	/* packets whose columns are kept */

struct cap_nb_event {
	uint64_t pkt_num;
	struct ws_ev_netbios nb;
};

struct cap_result {
	int status;				/* enum ws_run_status */
	size_t nb_cnt;
	struct cap_nb_event *nb;		/* HARNESS_EVENTS_MAX entries */
	size_t anom_cnt;
	char anom[HARNESS_ANOM_MAX][64];	/* "name" or "name:detail" */
	uint64_t type_cnt[WS_EV__COUNT];
	size_t pkt_cnt;
	char *label[HARNESS_PKTS_MAX];		/* per packet (index num-1), NULL when no parser spoke */
	char *info[HARNESS_PKTS_MAX];
};

static inline void harness_on_event(void *user, const struct ws_event *ev)
{
	struct cap_result *res = user;

	res->type_cnt[ev->type]++;
	if (ev->type == WS_EV_NETBIOS && res->nb_cnt < HARNESS_EVENTS_MAX) {
		res->nb[res->nb_cnt].pkt_num = ev->pkt_num;
		memcpy(&res->nb[res->nb_cnt].nb, ev->body, sizeof(struct ws_ev_netbios));
		res->nb_cnt++;
	} else if (ev->type == WS_EV_ANOMALY && res->anom_cnt < HARNESS_ANOM_MAX) {
		const struct ws_ev_anomaly *a = ev->body;

		snprintf(res->anom[res->anom_cnt], sizeof(res->anom[0]), "%s%s%s",
			 a->name ? a->name : "", a->detail ? ":" : "", a->detail ? a->detail : "");
		res->anom_cnt++;
	}
}

static inline char *harness_strdup(const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static inline void harness_on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f,
			      enum ws_dir dir, const char *label, const char *info)
{
	struct cap_result *res = user;

	(void)f;
	(void)dir;
	if (p->num == 0 || p->num > HARNESS_PKTS_MAX)
		return;
	res->label[p->num - 1] = harness_strdup(label);
	res->info[p->num - 1] = harness_strdup(info);
	if (p->num > res->pkt_cnt)
		res->pkt_cnt = p->num;
}

static inline void harness_put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);	/* host order: the magic says which */
}

/* HARNESS_DUMP=dir keeps a copy of each capture (dir/run-XXXXXX.pcap), to show tshark. */
static inline void harness_dump(const char *path)
{
	const char *dir = getenv("HARNESS_DUMP");
	char out[512];
	char buf[4096];
	FILE *in;
	int fd;

	if (!dir)
		return;
	snprintf(out, sizeof(out), "%s/run-XXXXXX.pcap", dir);
	fd = mkstemps(out, 5);
	if (fd < 0)
		return;
	in = fopen(path, "rb");
	for (;;) {
		size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;

		if (n == 0 || write(fd, buf, n) != (ssize_t)n)
			break;
	}
	if (in)
		fclose(in);
	close(fd);
}

/*
 * Runs the frames through the engine. snaplen > 0 cuts each frame to that
 * many captured bytes (the record keeps the original length), as a capture
 * with a small snaplen would. The result must be freed with cap_free().
 */
static inline struct cap_result run_frames_snap(const uint8_t *const frames[], const size_t lens[],
					 size_t n, uint32_t snaplen)
{
	struct cap_result res;
	struct ws_bus bus;
	struct ws_engine_cfg cfg;
	struct ws_engine *eng;
	char path[64];
	char err[256];
	int fd;
	FILE *f;

	memset(&res, 0, sizeof(res));
	res.status = -1;
	res.nb = calloc(HARNESS_EVENTS_MAX, sizeof(*res.nb));
	if (!res.nb)
		return res;
	fd = memfd_create("harness", 0);
	if (fd < 0)
		return res;
	f = fdopen(dup(fd), "wb");
	if (!f) {
		close(fd);
		return res;
	}
	/* pcap global header: magic, v2.4, zone, sigfigs, snaplen, Ethernet */
	harness_put32(f, 0xa1b2c3d4u);
	harness_put32(f, 2u | 4u << 16);
	harness_put32(f, 0);
	harness_put32(f, 0);
	harness_put32(f, 65535);
	harness_put32(f, 1);
	for (size_t i = 0; i < n; i++) {
		uint32_t cap = (uint32_t)lens[i];

		if (snaplen && cap > snaplen)
			cap = snaplen;
		harness_put32(f, 1000000000u + (uint32_t)i);	/* one second apart */
		harness_put32(f, 0);
		harness_put32(f, cap);
		harness_put32(f, (uint32_t)lens[i]);
		fwrite(frames[i], 1, cap, f);
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	harness_dump(path);

	ws_bus_init(&bus);
	ws_engine_cfg_default(&cfg);
	cfg.want_info = true;
	eng = ws_engine_new(&cfg, &bus);
	if (eng) {
		ws_bus_subscribe(&bus, harness_on_event, &res);
		ws_engine_set_packet_hook(eng, harness_on_packet, &res);
		res.status = (int)ws_engine_run_file(eng, path, err, sizeof(err));
		ws_engine_finish(eng);
		ws_engine_free(eng);
	}
	close(fd);
	return res;
}

static inline struct cap_result run_frames(const uint8_t *const frames[], const size_t lens[], size_t n)
{
	return run_frames_snap(frames, lens, n, 0);
}

static inline void cap_free(struct cap_result *res)
{
	free(res->nb);
	res->nb = NULL;
	for (size_t i = 0; i < HARNESS_PKTS_MAX; i++) {
		free(res->label[i]);
		free(res->info[i]);
		res->label[i] = res->info[i] = NULL;
	}
}

/* Does the run hold an anomaly whose name (before any ":detail") is name? */
static inline int cap_has_anomaly(const struct cap_result *res, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < res->anom_cnt; i++) {
		if (strncmp(res->anom[i], name, n) == 0 && (res->anom[i][n] == 0 || res->anom[i][n] == ':'))
			return 1;
	}
	return 0;
}

/*
 * Builds Ethernet/IPv4/UDP around payload into out (HARNESS_FRAME_MAX bytes).
 * src and dst are IPv4 addresses as four bytes. Returns the frame length, or
 * 0 if it would not fit.
 */
static inline size_t harness_udp_frame(uint8_t *out, const uint8_t src[4], const uint8_t dst[4],
				uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len)
{
	static const uint8_t mac_dst[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mac_src[6] = { 0x00, 0x0c, 0x29, 0x11, 0x22, 0x33 };
	size_t ip_len = 20 + 8 + len;
	uint32_t sum = 0;
	uint8_t *ip = out + 14;
	uint8_t *udp = ip + 20;

	if (14 + ip_len > HARNESS_FRAME_MAX)
		return 0;
	memcpy(out, mac_dst, 6);
	memcpy(out + 6, mac_src, 6);
	out[12] = 0x08;
	out[13] = 0x00;
	ip[0] = 0x45;
	ip[1] = 0;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[4] = 0x12;
	ip[5] = 0x34;
	ip[6] = 0;
	ip[7] = 0;
	ip[8] = 128;
	ip[9] = 17;
	ip[10] = 0;
	ip[11] = 0;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)((8 + len) >> 8);
	udp[5] = (uint8_t)(8 + len);
	udp[6] = 0;
	udp[7] = 0;
	if (len)
		memcpy(udp + 8, payload, len);
	return 14 + ip_len;
}

#endif /* WS_TESTS_HARNESS_H */
