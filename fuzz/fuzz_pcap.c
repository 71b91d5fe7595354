/*
 * fuzz_pcap.c - the whole path: a capture file (pcap, pcapng, gzip or not) ->
 * capture -> decode -> flow -> reassembly -> probes/parsers -> events ->
 * detectors, inventory, NDJSON and packet lines (to /dev/null). Any crash,
 * sanitizer report or leak is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "detect/detect.h"
#include "detect/cmd.h"
#include "detect/login.h"
#include "engine/engine.h"
#include "inventory/inventory.h"
#include "output/ndjson.h"
#include "output/pktline.h"

struct sink {
	FILE *out;
	int64_t first;
};

static void on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f,
		      enum ws_dir dir, const char *label, const char *info)
{
	struct sink *s = user;

	if (p->num == 1)
		s->first = p->ts_ns;
	ws_pktline_print(s->out, p, f, dir, label, info, s->first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_pcap", 0);
	char path[64];
	char err[512];
	struct ws_bus bus;
	struct ws_engine_cfg ecfg;
	struct ws_detect_cfg dcfg;
	struct ws_findings *fs;
	struct ws_detect *det;
	struct ws_login_detect *login;
	struct ws_cmd_detect *cmd;
	struct ws_inventory *inv;
	struct ws_engine *eng;
	struct ws_ndjson *nd;
	struct sink sink;

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	sink.out = fopen("/dev/null", "w");
	sink.first = 0;
	ws_bus_init(&bus);
	ws_engine_cfg_default(&ecfg);
	ecfg.want_info = true;
	ecfg.flow.max_flows = 64;	/* make eviction happen */
	ws_detect_cfg_default(&dcfg);
	fs = ws_findings_new();
	det = ws_detect_new(&dcfg, fs);
	login = ws_login_detect_new(&dcfg, fs);
	cmd = ws_cmd_detect_new(&dcfg, fs);
	inv = ws_inventory_new();
	nd = ws_ndjson_new(sink.out);
	eng = ws_engine_new(&ecfg, &bus);
	if (fs && det && login && cmd && inv && nd && eng && sink.out) {
		ws_bus_subscribe(&bus, ws_detect_on_event, det);
		ws_bus_subscribe(&bus, ws_login_detect_on_event, login);
		ws_bus_subscribe(&bus, ws_cmd_detect_on_event, cmd);
		ws_bus_subscribe(&bus, ws_inventory_on_event, inv);
		ws_bus_subscribe(&bus, ws_ndjson_on_event, nd);
		ws_engine_set_packet_hook(eng, on_packet, &sink);
		(void)ws_engine_run_file(eng, path, err, sizeof(err));
		ws_engine_finish(eng);
		ws_detect_finish(det);
		ws_login_detect_finish(login);
		ws_cmd_detect_finish(cmd);
		ws_findings_emit(fs, &bus);
		ws_inventory_emit(inv, &bus, 0);
		ws_engine_emit_stats(eng);
	}
	ws_engine_free(eng);
	if (nd)
		ws_ndjson_free(nd);
	ws_inventory_free(inv);
	ws_detect_free(det);
	ws_login_detect_free(login);
	ws_cmd_detect_free(cmd);
	ws_findings_free(fs);
	if (sink.out)
		fclose(sink.out);
	close(fd);
	return 0;
}
