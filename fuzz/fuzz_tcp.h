/*
 * fuzz_tcp.h - the shared driver of the TCP parser fuzzers (fuzz_nbss.c,
 * fuzz_smb.c, fuzz_ftp.c, fuzz_ssh.c): the input is a list of records
 * [dir(1) len(2 BE) bytes], each one TCP segment of a connection to `port`
 * (dir bit 0: 0 client, 1 server; bit 1: the segment is lost, which the
 * parser sees as a gap). They are written as a pcap into a memfd after a
 * handshake and run through the real engine with packet lines and NDJSON
 * (to /dev/null), so every parser, event writer and Info path is exercised.
 * Header-only, included by one fuzzer each.
 */
#ifndef WS_FUZZ_TCP_H
#define WS_FUZZ_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine/engine.h"
#include "event/event.h"
#include "output/ndjson.h"
#include "../tests/tcp_pcap.h"

static void th_on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir,
			 const char *label, const char *info)
{
	(void)user;
	(void)p;
	(void)f;
	(void)dir;
	(void)label;
	(void)info;
}

/* Closes the connection and runs the capture through the engine. */
static void th_run(struct th_conv *cv)
{
	struct ws_engine_cfg cfg;
	struct ws_bus bus;
	struct ws_engine *e;
	struct ws_ndjson *nd;
	FILE *sink = fopen("/dev/null", "w");
	char path[64], err[256];

	th_seg(cv, 0, 0x11, NULL, 0);
	th_seg(cv, 1, 0x11, NULL, 0);
	th_seg(cv, 0, 0x10, NULL, 0);
	fflush(cv->f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(cv->f));
	ws_bus_init(&bus);
	nd = sink ? ws_ndjson_new(sink) : NULL;
	if (nd)
		ws_bus_subscribe(&bus, ws_ndjson_on_event, nd);
	ws_engine_cfg_default(&cfg);
	cfg.want_info = true;
	e = ws_engine_new(&cfg, &bus);
	if (e) {
		ws_engine_set_packet_hook(e, th_on_packet, NULL);
		ws_engine_run_file(e, path, err, sizeof(err));
		ws_engine_finish(e);
		ws_engine_free(e);
	}
	if (nd)
		ws_ndjson_free(nd);
	if (sink)
		fclose(sink);
	fclose(cv->f);
}

/* The whole fuzz input as one TCP connection to port. */
static int th_fuzz(const uint8_t *data, size_t size, uint16_t port)
{
	int fd = memfd_create("th", 0);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	struct th_conv cv;
	size_t i = 0;

	if (!f)
		return 0;
	th_open(&cv, f, port);
	while (i + 3 <= size) {
		uint8_t d = data[i];
		size_t len = (size_t)data[i + 1] << 8 | data[i + 2];

		i += 3;
		if (len > size - i)
			len = size - i;
		if (len > TH_SEG_MAX)
			len = TH_SEG_MAX;
		if (d & 2)
			th_lose(&cv, d & 1, len);
		else
			th_send(&cv, d & 1, data + i, len, 0);
		i += len;
	}
	th_run(&cv);
	return 0;
}

#endif
