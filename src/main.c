/*
 * main.c - the command line: subcommands, options, wiring, exit codes.
 *
 *   wiresift analyze [options] FILE...   report (+ NDJSON with --json)
 *   wiresift packets [options] FILE...   one line per packet, like tshark
 *   wiresift live -i IFACE [options]     the same analysis on a live interface
 *   wiresift port PORT[/tcp|/udp]        the knowledge base's entry for a port
 *   wiresift nbname SUFFIX|NAME          a NetBIOS suffix or an encoded name
 *
 * Exit codes: 0 done (a capture cut short is reported and still 0), 1 an input
 * could not be read at all, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"
#include "core/limits.h"
#include "detect/detect.h"
#include "detect/finding.h"
#include "detect/cmd.h"
#include "detect/login.h"
#include "engine/engine.h"
#include "event/event.h"
#include "inventory/inventory.h"
#include "output/kbprint.h"
#include "output/ndjson.h"
#include "output/pktline.h"
#include "output/report.h"

#define EXIT_DONE 0
#define EXIT_INPUT 1
#define EXIT_USAGE 2
/* Read problems listed in the report; more are still printed on stderr. */
#define RUN_PROBLEMS_MAX 32

static const char *progname = "wiresift";

static void usage_main(FILE *out)
{
	fprintf(out,
		"usage: wiresift <command> [options] [args]\n"
		"\n"
		"Reads captures (pcap, pcapng, gzip-compressed or not) or a live interface,\n"
		"recognises the services in them, and reports what happened and what looks\n"
		"like an attack.\n"
		"\n"
		"commands:\n"
		"  analyze FILE...     report on captures (services, hosts, conversations, findings)\n"
		"  packets FILE...     one summary line per packet, like Wireshark's packet list\n"
		"  live -i IFACE       analyse a live interface until Ctrl-C (or -c COUNT packets)\n"
		"  port PORT[/PROTO]   what the knowledge base knows of a port (class, service, risk, trojans)\n"
		"  nbname ARG          a NetBIOS suffix (1B) or first-level-encoded name, explained\n"
		"\n"
		"'wiresift COMMAND --help' shows each command's options.\n"
		"exit status: 0 done, 1 input unreadable, 2 usage error\n");
}

static void usage_analyze(FILE *out, const char *cmd)
{
	fprintf(out,
		"usage: wiresift %s [options] %s\n"
		"\n"
		"options:\n"
		"  -f, --filter BPF      only packets matching this capture filter (libpcap syntax)\n"
		"  -j, --json PATH       write NDJSON events to PATH ('-' = stdout, then no report)\n"
		"  -q, --quiet           no report on stdout\n"
		"  -s, --set NAME=VALUE  change a detection threshold (see below)\n"
		"      --max-flows N     live flows held at once (default %u)\n"
		"      --show-credentials  put passwords sent in cleartext into events (hidden otherwise)\n"
		"%s"
		"  -h, --help            this text\n"
		"\n"
		"thresholds (--set):\n",
		cmd, strcmp(cmd, "live") == 0 ? "-i IFACE" : "FILE...",
		(unsigned)WS_FLOW_MAX_DEFAULT,
		strcmp(cmd, "live") == 0 ?
		"  -i, --interface IFACE capture from this interface\n"
		"  -c, --count N         stop after N packets\n"
		"  -p, --packets         also print one line per packet\n" : "");
	{
		struct ws_detect_cfg c;

		ws_detect_cfg_default(&c);
		for (size_t i = 0; i < ws_detect_cfg_count(); i++)
			fprintf(out, "  %-18s %-8u %s\n", ws_detect_cfg_name(i),
				ws_detect_cfg_get(&c, i), ws_detect_cfg_doc(i));
	}
	fprintf(out, "\nexit status: 0 done (a capture cut short is reported and analysed as far as it goes),\n"
		"1 an input could not be read, 2 usage error\n");
}

static void usage_packets(FILE *out)
{
	fprintf(out,
		"usage: wiresift packets [options] FILE...\n"
		"\n"
		"One line per packet: number (tshark's frame number), time relative to the\n"
		"first packet, source, destination, protocol, length, info.\n"
		"\n"
		"options:\n"
		"  -f, --filter BPF   only packets matching this capture filter\n"
		"  -h, --help         this text\n");
}

/* ---- wiring shared by analyze, packets and live ---- */

struct run {
	struct ws_bus bus;
	struct ws_engine_cfg ecfg;
	struct ws_detect_cfg dcfg;
	struct ws_engine *eng;
	struct ws_findings *fs;
	struct ws_detect *det;
	struct ws_login_detect *login;
	struct ws_cmd_detect *cmd;
	struct ws_inventory *inv;
	struct ws_report *rep;
	struct ws_ndjson *nd;
	FILE *json_out;
	bool report;
	bool packets;
	int64_t first_ts;
	bool have_first;
	int decimals;				/* of the relative time: the file's precision, as tshark */
	char line[WS_PKTLINE_MAX];
	char *problems[RUN_PROBLEMS_MAX];	/* read problems, for the report */
	uint32_t problem_cnt;
};

static struct ws_engine *volatile live_engine;

static void on_signal(int sig)
{
	(void)sig;
	if (live_engine)
		ws_engine_stop(live_engine);
}

static void on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f,
		      enum ws_dir dir, const char *label, const char *info)
{
	struct run *r = user;

	if (!r->have_first || p->num == 1) {
		r->first_ts = p->ts_ns;
		r->have_first = true;
	}
	if (p->num == 1)
		r->decimals = strncmp(ws_engine_file_format(r->eng, p->file_idx), "pcap-nsec", 9) == 0 ? 9 : 6;
	ws_pktline_format(r->line, sizeof(r->line), p, f, dir, label, info, r->first_ts, r->decimals);
	fputs(r->line, stdout);
	fputc('\n', stdout);
}

static int setup(struct run *r)
{
	ws_bus_init(&r->bus);
	r->fs = ws_findings_new();
	r->det = ws_detect_new(&r->dcfg, r->fs);
	r->login = ws_login_detect_new(&r->dcfg, r->fs);
	r->cmd = ws_cmd_detect_new(&r->dcfg, r->fs);
	r->inv = ws_inventory_new();
	r->eng = ws_engine_new(&r->ecfg, &r->bus);
	if (!r->fs || !r->det || !r->login || !r->cmd || !r->inv || !r->eng) {
		fprintf(stderr, "%s: out of memory\n", progname);
		return -1;
	}
	ws_bus_subscribe(&r->bus, ws_detect_on_event, r->det);
	ws_bus_subscribe(&r->bus, ws_login_detect_on_event, r->login);
	ws_bus_subscribe(&r->bus, ws_cmd_detect_on_event, r->cmd);
	ws_bus_subscribe(&r->bus, ws_inventory_on_event, r->inv);
	if (r->report) {
		r->rep = ws_report_new();
		if (!r->rep)
			return -1;
		ws_bus_subscribe(&r->bus, ws_report_on_event, r->rep);
	}
	if (r->json_out) {
		r->nd = ws_ndjson_new(r->json_out);
		if (!r->nd)
			return -1;
		ws_bus_subscribe(&r->bus, ws_ndjson_on_event, r->nd);
	}
	if (r->packets)
		ws_engine_set_packet_hook(r->eng, on_packet, r);
	return 0;
}

static void finish(struct run *r)
{
	const struct ws_run_stats *st;

	ws_engine_finish(r->eng);
	ws_detect_finish(r->det);
	ws_login_detect_finish(r->login);
	ws_cmd_detect_finish(r->cmd);
	ws_findings_emit(r->fs, &r->bus);
	st = ws_engine_stats(r->eng);
	ws_inventory_emit(r->inv, &r->bus, st->last_ns);
	ws_engine_stats_mut(r->eng)->findings = ws_findings_count(r->fs);
	ws_engine_emit_stats(r->eng);
	if (r->report) {
		uint32_t n = ws_engine_file_count(r->eng);
		const char **names = calloc(n ? n : 1, sizeof(*names));
		const char **formats = calloc(n ? n : 1, sizeof(*formats));
		struct ws_report_files files = {
			names, formats, n, (const char *const *)r->problems, r->problem_cnt,
		};

		for (uint32_t i = 0; names && formats && i < n; i++) {
			names[i] = ws_engine_file_name(r->eng, i);
			formats[i] = ws_engine_file_format(r->eng, i);
		}
		if (!names || !formats)
			files.cnt = 0;
		ws_report_print(r->rep, stdout, ws_engine_stats(r->eng), r->inv, r->fs, &files,
				WS_REPORT_COLOR_AUTO);
		free(names);
		free(formats);
	}
	fflush(stdout);
	if (r->json_out)
		fflush(r->json_out);
}

static void teardown(struct run *r)
{
	ws_engine_free(r->eng);
	ws_detect_free(r->det);
	ws_login_detect_free(r->login);
	ws_cmd_detect_free(r->cmd);
	ws_findings_free(r->fs);
	ws_inventory_free(r->inv);
	if (r->rep)
		ws_report_free(r->rep);
	if (r->nd)
		ws_ndjson_free(r->nd);
	if (r->json_out && r->json_out != stdout)
		fclose(r->json_out);
	for (uint32_t i = 0; i < r->problem_cnt; i++)
		free(r->problems[i]);
}

static void note_problem(struct run *r, const char *what, const char *err)
{
	char buf[1024];

	fprintf(stderr, "%s: %s: %s\n", progname, what, err);
	if (r->problem_cnt >= RUN_PROBLEMS_MAX)
		return;
	snprintf(buf, sizeof(buf), "%s: %s", what, err);
	r->problems[r->problem_cnt] = strdup(buf);
	if (r->problems[r->problem_cnt])
		r->problem_cnt++;
}

static int set_threshold(struct run *r, const char *arg)
{
	char name[64];
	const char *eq = strchr(arg, '=');
	int rc;

	if (!eq || (size_t)(eq - arg) >= sizeof(name)) {
		fprintf(stderr, "%s: --set wants NAME=VALUE, got '%s'\n", progname, arg);
		return -1;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	rc = ws_detect_cfg_set(&r->dcfg, name, eq + 1);
	if (rc == -1)
		fprintf(stderr, "%s: unknown threshold '%s' (see --help)\n", progname, name);
	else if (rc == -2)
		fprintf(stderr, "%s: bad value for %s: '%s'\n", progname, name, eq + 1);
	return rc ? -1 : 0;
}

static int open_json(struct run *r, const char *path)
{
	if (strcmp(path, "-") == 0) {
		r->json_out = stdout;
		r->report = false;
		return 0;
	}
	r->json_out = fopen(path, "w");
	if (!r->json_out) {
		fprintf(stderr, "%s: cannot write %s: %s\n", progname, path, strerror(errno));
		return -1;
	}
	return 0;
}

enum { OPT_MAX_FLOWS = 256, OPT_SHOW_CREDS };

static int cmd_run(int argc, char **argv, const char *cmd)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "json", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "set", required_argument, NULL, 's' },
		{ "interface", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "packets", no_argument, NULL, 'p' },
		{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
		{ "show-credentials", no_argument, NULL, OPT_SHOW_CREDS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool is_packets = strcmp(cmd, "packets") == 0;
	bool is_live = strcmp(cmd, "live") == 0;
	struct run r = { .report = !is_packets, .packets = is_packets };
	const char *iface = NULL;
	const char *json_path = NULL;
	unsigned long long count = 0;
	int c;
	int rc = EXIT_DONE;
	char err[WS_ERRBUF_SIZE + 256];

	ws_engine_cfg_default(&r.ecfg);
	ws_detect_cfg_default(&r.dcfg);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:j:qs:i:c:ph", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			r.ecfg.bpf = optarg;
			break;
		case 'j':
			json_path = optarg;
			break;
		case 'q':
			r.report = false;
			break;
		case 's':
			if (set_threshold(&r, optarg))
				return EXIT_USAGE;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'c':
			count = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			r.packets = true;
			break;
		case OPT_MAX_FLOWS: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);

			if (*end || v < 16) {
				fprintf(stderr, "%s: --max-flows wants a number >= 16\n", progname);
				return EXIT_USAGE;
			}
			r.ecfg.flow.max_flows = (size_t)v;
			break;
		}
		case OPT_SHOW_CREDS:
			r.ecfg.show_credentials = true;
			break;
		case 'h':
			if (is_packets)
				usage_packets(stdout);
			else
				usage_analyze(stdout, cmd);
			return EXIT_DONE;
		default:
			if (is_packets)
				usage_packets(stderr);
			else
				usage_analyze(stderr, cmd);
			return EXIT_USAGE;
		}
	}
	if (is_packets && (json_path || r.report)) {
		r.report = false;
	}
	if (is_live ? !iface : optind >= argc) {
		fprintf(stderr, "%s %s: %s\n", progname, cmd, is_live ? "-i IFACE is required" : "no capture file given");
		if (is_packets)
			usage_packets(stderr);
		else
			usage_analyze(stderr, cmd);
		return EXIT_USAGE;
	}
	if (is_packets && json_path) {
		fprintf(stderr, "%s packets: --json belongs to analyze and live\n", progname);
		return EXIT_USAGE;
	}
	if (json_path && open_json(&r, json_path))
		return EXIT_INPUT;
	r.ecfg.want_info = r.packets;
	if (setup(&r)) {
		teardown(&r);
		return EXIT_INPUT;
	}
	if (is_live) {
		enum ws_run_status s;

		live_engine = r.eng;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		s = ws_engine_run_live(r.eng, iface, count, err, sizeof(err));
		live_engine = NULL;
		if (s == WS_RUN_UNREADABLE) {
			note_problem(&r, iface, err);
			rc = EXIT_INPUT;
		}
	} else {
		for (int i = optind; i < argc; i++) {
			enum ws_run_status s = ws_engine_run_file(r.eng, argv[i], err, sizeof(err));

			if (s == WS_RUN_UNREADABLE) {
				note_problem(&r, argv[i], err);
				rc = EXIT_INPUT;
			} else if (s == WS_RUN_CUT_SHORT) {
				strncat(err, "; the packets read before it are analysed", sizeof(err) - strlen(err) - 1);
				note_problem(&r, argv[i], err);
			}
		}
	}
	finish(&r);
	teardown(&r);
	return rc;
}

static int cmd_port(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: wiresift port PORT[/tcp|/udp]\n\n"
		       "Prints the port's class (well-known 0-1023, registered 1024-49151,\n"
		       "dynamic 49152-65535), service, risk with its note, and trojans known to use it.\n");
		return EXIT_DONE;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: wiresift port PORT[/tcp|/udp]\n");
		return EXIT_USAGE;
	}
	return ws_kbprint_port(stdout, stderr, argv[1]);
}

static int cmd_nbname(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: wiresift nbname SUFFIX | ENCODED-NAME | NAME<XX>\n\n"
		       "  wiresift nbname 1B                                 what suffix <1B> means\n"
		       "  wiresift nbname EDEMEJEFEOFEEFCACACACACACACACACA   decode a first-level-encoded name (RFC 1001 14.1)\n"
		       "  wiresift nbname 'CLIENTE<20>'                      encode a name and explain its suffix\n");
		return EXIT_DONE;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: wiresift nbname SUFFIX | ENCODED-NAME | NAME<XX>\n");
		return EXIT_USAGE;
	}
	return ws_kbprint_nbname(stdout, stderr, argv[1]);
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage_main(stdout);
		return EXIT_DONE;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("wiresift 0.1.0\n");
		return EXIT_DONE;
	}
	if (!strcmp(cmd, "analyze") || !strcmp(cmd, "analyse") || !strcmp(cmd, "packets") || !strcmp(cmd, "live"))
		return cmd_run(argc - 1, argv + 1, !strcmp(cmd, "analyse") ? "analyze" : cmd);
	if (!strcmp(cmd, "port"))
		return cmd_port(argc - 1, argv + 1);
	if (!strcmp(cmd, "nbname"))
		return cmd_nbname(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n\n", progname, cmd);
	usage_main(stderr);
	return EXIT_USAGE;
}
