/*
 * fuzz_telnet.c - the Telnet decoder (proto/telnet.c) through the real engine
 * on TCP port 23. Input: one flags byte (bit 0: --show-credentials), then
 * records of [dir(1) len(2 BE) bytes], each one TCP segment (dir bit 0: 0
 * client, 1 server; bit 1: drop the segment, which the parser sees as a gap).
 *
 * When no segment is dropped the input is run twice, as given and with every
 * segment cut into one-byte segments, and the telnet and login events must
 * be the same (STYLE.md section 7: a parser yields the same events whether
 * its bytes arrive whole or one at a time); a difference aborts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine/engine.h"
#include "event/ev_smb.h"
#include "event/ev_telnet.h"
#include "event/event.h"
#include "../tests/tcp_pcap.h"

#define TH_EV_MAX 16
/* Bytes of input cut into one-byte segments for the comparison run (keeps each run quick). */
#define FZ_SPLIT_MAX 4096u

struct th_result {
	struct ws_ev_telnet tn;
	char transcript[2][WS_TELNET_TRANSCRIPT_MAX];
	size_t tn_cnt;
	struct ws_ev_login login[TH_EV_MAX];
	char login_status[TH_EV_MAX][WS_TELNET_STATUS_MAX];
	size_t login_cnt;
};

static void th_on_event(void *user, const struct ws_event *ev)
{
	struct th_result *r = user;

	if (ev->type == WS_EV_TELNET) {
		const struct ws_ev_telnet *t = ev->body;

		if (r->tn_cnt++ == 0) {
			r->tn = *t;
			/* check what the writer would read: the transcripts' bytes */
			if (t->client.transcript)
				memcpy(r->transcript[0], t->client.transcript, t->client.transcript_len);
			if (t->server.transcript)
				memcpy(r->transcript[1], t->server.transcript, t->server.transcript_len);
			if (t->client.transcript_len > WS_TELNET_TRANSCRIPT_MAX ||
			    t->server.transcript_len > WS_TELNET_TRANSCRIPT_MAX)
				abort();
			r->tn.client.transcript = NULL;
			r->tn.server.transcript = NULL;
		}
	}
	if (ev->type == WS_EV_LOGIN && r->login_cnt < TH_EV_MAX) {
		const struct ws_ev_login *l = ev->body;

		r->login[r->login_cnt] = *l;
		snprintf(r->login_status[r->login_cnt], WS_TELNET_STATUS_MAX, "%s", l->status_name ? l->status_name : "");
		r->login[r->login_cnt].status_name = NULL;
		r->login_cnt++;
	}
}

/* A connection to port in a fresh memfd pcap (tests/tcp_pcap.h writes it). */
static bool tl_open(struct th_conv *cv, uint16_t port)
{
	int fd = memfd_create("th", 0);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;

	if (!f)
		return false;
	th_open(cv, f, port);
	return true;
}

static void th_run(struct th_conv *cv, struct th_result *r, bool show)
{
	struct ws_engine_cfg cfg;
	struct ws_bus bus;
	char path[64], err[256];

	th_seg(cv, 0, 0x11, NULL, 0);
	th_seg(cv, 1, 0x11, NULL, 0);
	th_seg(cv, 0, 0x10, NULL, 0);
	fflush(cv->f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(cv->f));
	memset(r, 0, sizeof(*r));
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, th_on_event, r);
	ws_engine_cfg_default(&cfg);
	cfg.want_info = true;
	cfg.show_credentials = show;
	struct ws_engine *e = ws_engine_new(&cfg, &bus);
	ws_engine_run_file(e, path, err, sizeof(err));
	ws_engine_finish(e);
	ws_engine_free(e);
	fclose(cv->f);
}

/* Replays the records; split: one-byte segments. Returns false when a segment was dropped. */
static bool replay(const uint8_t *data, size_t size, bool split, struct th_result *r, bool show)
{
	struct th_conv cv;
	bool whole = true;
	size_t i = 0;

	if (!tl_open(&cv, 23))
		return false;
	while (i + 3 <= size) {
		uint8_t d = data[i];
		size_t len = (size_t)data[i + 1] << 8 | data[i + 2];

		i += 3;
		if (len > size - i)
			len = size - i;
		if (len > TH_SEG_MAX)
			len = TH_SEG_MAX;
		if (d & 2) {
			cv.seq[d & 1] += (uint32_t)len;
			whole = false;
		} else if (split) {
			for (size_t k = 0; k < len; k++)
				th_seg(&cv, d & 1, 0x18, data + i + k, 1);
		} else if (len) {
			th_seg(&cv, d & 1, 0x18, data + i, len);
		}
		i += len;
	}
	th_run(&cv, r, show);
	return whole;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct th_result a, b;
	bool show;

	if (size < 1)
		return 0;
	show = data[0] & 1;
	if (!replay(data + 1, size - 1, false, &a, show) || size > FZ_SPLIT_MAX)
		return 0;
	(void)replay(data + 1, size - 1, true, &b, show);
	/* Only a flow both runs decoded as telnet is compared (the probes may name it otherwise). */
	if (a.tn_cnt != 1 || b.tn_cnt != 1)
		return 0;
	if (memcmp(&a.tn, &b.tn, sizeof(a.tn)) != 0 || memcmp(a.transcript, b.transcript, sizeof(a.transcript)) != 0)
		abort();
	if (a.login_cnt != b.login_cnt || memcmp(a.login, b.login, sizeof(a.login)) != 0 ||
	    memcmp(a.login_status, b.login_status, sizeof(a.login_status)) != 0)
		abort();
	return 0;
}
