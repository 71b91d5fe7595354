/*
 * ndjson.h - the NDJSON writer: one JSON object per line for every event on
 * the bus, in Suricata's EVE envelope (DESIGN.md "Events and outputs";
 * docs/events.md lists every field).
 *
 *   {"timestamp":"2026-11-22T03:49:05.123456Z","event_type":"flow",
 *    "flow_id":7,"pcap_cnt":12,"src_ip":"10.0.0.1","src_port":50123,
 *    "dest_ip":"10.0.0.2","dest_port":445,"proto":"TCP","app_proto":"smb",
 *    "flow":{...}}
 *
 * src is the client (initiator), dest the server. For a finding the envelope
 * addresses are the finding's acting host and target; for a host event
 * src_ip is the host. Fields without a value are left out, never null.
 *
 * Contract: the writer does not own out (the caller opens and closes it).
 * One reusable line buffer per writer, capped at WS_JSON_LINE_MAX; one
 * fwrite per line; no allocation per event once the buffer has grown. An
 * event whose line would pass the cap is written as its envelope with
 * "truncated":true. Every string is escaped (ws_sb_json_str): control bytes
 * and invalid UTF-8 never reach the output raw, so every line parses.
 * Not thread-safe: one writer per output stream.
 */
#ifndef WS_OUTPUT_NDJSON_H
#define WS_OUTPUT_NDJSON_H

#include <stdint.h>
#include <stdio.h>

#include "event/event.h"

struct ws_ndjson;

/* NULL when out of memory. */
struct ws_ndjson *ws_ndjson_new(FILE *out);
/* Flushes nothing and closes nothing: the FILE belongs to the caller. NULL-safe. */
void ws_ndjson_free(struct ws_ndjson *w);
/* A bus subscriber (ws_ev_fn): w is the struct ws_ndjson *. */
void ws_ndjson_on_event(void *w, const struct ws_event *ev);
/* Lines written, and events cut at WS_JSON_LINE_MAX. */
uint64_t ws_ndjson_lines(const struct ws_ndjson *w);
uint64_t ws_ndjson_truncated(const struct ws_ndjson *w);

#endif
