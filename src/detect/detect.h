/*
 * detect.h - the detectors: correlators that turn events into findings.
 * They see events only (never bytes or parser state), keep their own state by
 * address, and read thresholds from struct ws_detect_cfg, whose every field has
 * a name, a documented default and can be set from the command line
 * (wiresift analyze --set scan.ports=10).
 *
 * Kinds raised now:
 *   port_scan        one source probing many ports of one host (vertical) or one
 *                    port on many hosts (horizontal), mostly unanswered/refused
 *   exposed_service  a risky service used between a public and a private address
 *   trojan_port      traffic on a port tied to a trojan that no protocol explains
 *   nonstandard_port a recognised protocol on a port not registered for it
 */
#ifndef WS_DETECT_DETECT_H
#define WS_DETECT_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "event/event.h"

struct ws_detect_cfg {
	uint32_t scan_ports;		/* distinct ports of one host, failed, for a vertical scan */
	uint32_t scan_hosts;		/* distinct hosts on one port, failed, for a horizontal scan */
	uint32_t scan_window_s;		/* the attempts must fall within this many seconds */
	uint32_t scan_fail_pct;		/* at least this share (%) of attempts unanswered or refused */
	uint32_t trojan_min_bytes;	/* payload bytes before a trojan port counts */
	uint32_t login_failures;	/* failed logins of one source against one server/service for password_guessing */
	uint32_t login_window_s;	/* those failures must fall within this many seconds */
	uint32_t login_spray_users;	/* distinct user names failed from one source for password_spraying */
	uint32_t cmd_cwd_count;		/* CWD commands in one FTP session, within cmd_cwd_window_s, for ftp_cwd_sweep */
	uint32_t cmd_cwd_window_s;	/* those CWD must fall within this many seconds */
	uint32_t cmd_overflow_len;	/* an argument longer than this many bytes is an overflow_attempt */
	uint32_t cmd_overflow_run;	/* ... and so is a run of this many identical bytes */
};

void ws_detect_cfg_default(struct ws_detect_cfg *cfg);
/* Sets "name=value"-style option: 0 ok, -1 unknown name, -2 bad value. */
int ws_detect_cfg_set(struct ws_detect_cfg *cfg, const char *name, const char *value);
/* Iterates the options with their current values and docs (for --help and reports). */
size_t ws_detect_cfg_count(void);
const char *ws_detect_cfg_name(size_t i);
const char *ws_detect_cfg_doc(size_t i);
uint32_t ws_detect_cfg_get(const struct ws_detect_cfg *cfg, size_t i);

struct ws_detect;

struct ws_detect *ws_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs);
void ws_detect_free(struct ws_detect *d);
/* A bus subscriber. */
void ws_detect_on_event(void *d, const struct ws_event *ev);
/* The run ended: complete the findings' texts. */
void ws_detect_finish(struct ws_detect *d);

#endif
