/*
 * report.h - the text report: an analyst's summary of a run, in sections
 * (Capture, Services, Hosts, NetBIOS names, Logins, SMB, Top conversations,
 * Findings), plain words and aligned columns. The NetBIOS names, Logins and
 * SMB sections appear only when the run saw such traffic.
 *
 * Use: create one report, subscribe ws_report_on_event to the bus (it
 * aggregates flow events: per service, and the top flows by bytes), and at
 * the end call ws_report_print with the run's totals, the inventory and the
 * findings:
 *
 *     struct ws_report *r = ws_report_new();
 *     ws_bus_subscribe(&bus, ws_report_on_event, r);
 *     ... run, ws_engine_finish ...
 *     struct ws_report_files files = { names, formats, n, problems, n_problems };
 *     ws_report_print(r, stdout, ws_engine_stats(e), inv, fs, &files, WS_REPORT_COLOR_AUTO);
 *     ws_report_free(r);
 *
 * Logins and SMB come from login and smb events: at most
 * WS_REPORT_LOGIN_ROWS (service, client, server, user, method) rows, the
 * WS_REPORT_TOP_LOGINS with the most attempts printed; at most
 * WS_REPORT_SMB_ROWS dialects, SMB1 pairs, shares and files each; what does
 * not fit is counted and said. NetBIOS names come from the inventory.
 *
 * Memory: bounded whatever the input. The service table has one row per
 * application protocol in the registry plus "unknown" and "other" (sized at
 * ws_report_new); each row lists at most WS_REPORT_SERVERS_LISTED servers and
 * counts distinct servers exactly up to WS_REPORT_SERVERS_EXACT, then
 * estimates (linear counting over a WS_REPORT_SERVER_BITS-bit map). The top
 * conversations are a min-heap of WS_REPORT_TOP_FLOWS flows. Nothing grows
 * per flow.
 *
 * Text from the input (titles, explanations, details) is printed with
 * control bytes escaped as \xHH: a hostile capture cannot drive the terminal.
 * Colour only with WS_REPORT_COLOR_ALWAYS, or AUTO when out is a terminal and
 * NO_COLOR is not set (https://no-color.org).
 */
#ifndef WS_OUTPUT_REPORT_H
#define WS_OUTPUT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "detect/finding.h"
#include "event/event.h"
#include "inventory/inventory.h"

/* Rows of "Top conversations": a screenful. */
#define WS_REPORT_TOP_FLOWS 10
/* Rows of "Hosts": a screenful, the busiest first. */
#define WS_REPORT_TOP_HOSTS 15
/* Servers named per service row; more would not fit the line. */
#define WS_REPORT_SERVERS_LISTED 3
/* Distinct servers counted exactly per service; past it, estimated. */
#define WS_REPORT_SERVERS_EXACT 32
/* Bits of the per-service estimate map: under 2% error to ~2000 servers, 256 bytes. */
#define WS_REPORT_SERVER_BITS 2048

/* Login rows kept (service, client, server, user, method). */
#define WS_REPORT_LOGIN_ROWS 256
/* Login rows printed: the most attempts first. */
#define WS_REPORT_TOP_LOGINS 20
/* Dialects, SMB1 pairs, shares and files kept each; a screenful printed. */
#define WS_REPORT_SMB_ROWS 64
#define WS_REPORT_TOP_SMB 15
/* Hosts listed in "NetBIOS names". */
#define WS_REPORT_NB_HOSTS 32
/* Failure status names counted per login row. */
#define WS_REPORT_LOGIN_STATUS 4

enum ws_report_color {
	WS_REPORT_COLOR_AUTO,	/* if out is a terminal and NO_COLOR is unset */
	WS_REPORT_COLOR_NEVER,
	WS_REPORT_COLOR_ALWAYS
};

/* What was read, for the Capture section; every field may be empty/NULL. */
struct ws_report_files {
	const char *const *names;	/* by file_idx */
	const char *const *formats;	/* "pcap", "pcapng.gz", ... by file_idx (ws_engine_file_format) */
	uint32_t cnt;
	const char *const *problems;	/* read problems, one message each (the engine's err text) */
	uint32_t problem_cnt;
};

struct ws_report;

/* NULL when out of memory. */
struct ws_report *ws_report_new(void);
void ws_report_free(struct ws_report *r);	/* NULL-safe */
/* A bus subscriber (ws_ev_fn): r is the struct ws_report *. Uses flow, login and smb events. */
void ws_report_on_event(void *r, const struct ws_event *ev);
/*
 * Writes the report to out. st, inv, fs and files may each be NULL (the
 * section says so or is left out). Does not change inv or fs.
 */
void ws_report_print(struct ws_report *r, FILE *out, const struct ws_run_stats *st,
		     const struct ws_inventory *inv, const struct ws_findings *fs,
		     const struct ws_report_files *files, enum ws_report_color color);

#endif
