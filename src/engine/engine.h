/*
 * engine.h - the pipeline driver: source -> decode -> flow -> reassembly ->
 * protocol identification and parsers -> events on the bus.
 *
 * One engine per run (later: one per worker). It owns the decoder, the flow
 * table and per-flow parser state; it emits WS_EV_FLOW when a flow ends and
 * WS_EV_STATS at ws_engine_finish(). It never prints.
 */
#ifndef WS_ENGINE_ENGINE_H
#define WS_ENGINE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "event/event.h"
#include "flow/flow.h"

struct ws_engine_cfg {
	struct ws_flow_cfg flow;
	const char *bpf;		/* filter or NULL */
	bool want_info;			/* build per-packet Info text (packets command) */
	bool show_credentials;		/* parsers may put passwords in events (--show-credentials) */
};
void ws_engine_cfg_default(struct ws_engine_cfg *cfg);

/*
 * Called once per packet after it went through the pipeline (packets command).
 * f is NULL for packets without a flow; app_label and app_info are the parser's
 * Protocol column and Info text for this packet, NULL when no parser spoke.
 */
typedef void (*ws_pkt_fn)(void *user, const struct ws_packet *p, const struct ws_flow *f,
			  enum ws_dir dir, const char *app_label, const char *app_info);

struct ws_engine;

struct ws_engine *ws_engine_new(const struct ws_engine_cfg *cfg, struct ws_bus *bus);
void ws_engine_free(struct ws_engine *e);
void ws_engine_set_packet_hook(struct ws_engine *e, ws_pkt_fn fn, void *user);

enum ws_run_status {
	WS_RUN_OK = 0,
	WS_RUN_UNREADABLE = 1,		/* could not open or not a capture: nothing read */
	WS_RUN_CUT_SHORT = 2		/* read ended early (truncated/corrupt): what was read counts */
};
/* Reads a whole file into the pipeline. err gets the reason when not OK. */
enum ws_run_status ws_engine_run_file(struct ws_engine *e, const char *path, char *err, size_t errlen);
/* Reads a live interface until ws_engine_stop() or count packets (0 = no limit). */
enum ws_run_status ws_engine_run_live(struct ws_engine *e, const char *iface, uint64_t count,
				      char *err, size_t errlen);
/* Signal-safe: makes a live run return soon. */
void ws_engine_stop(struct ws_engine *e);
/*
 * Ends every flow (their flow events go out now) and completes the totals.
 * Call once, after the last run; then let detectors emit their findings, and
 * last ws_engine_emit_stats().
 */
void ws_engine_finish(struct ws_engine *e);
/* Emits the WS_EV_STATS event with the run's totals. */
void ws_engine_emit_stats(struct ws_engine *e);
const struct ws_run_stats *ws_engine_stats(const struct ws_engine *e);
/* For the caller to add what only it knows (findings count) before the stats event. */
struct ws_run_stats *ws_engine_stats_mut(struct ws_engine *e);
uint32_t ws_engine_file_count(const struct ws_engine *e);
/* Names of the files read, by file_idx. */
const char *ws_engine_file_name(const struct ws_engine *e, uint32_t file_idx);
const char *ws_engine_file_format(const struct ws_engine *e, uint32_t file_idx);

#endif
