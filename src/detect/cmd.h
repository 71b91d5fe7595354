/*
 * cmd.h - detectors on what clients send in cleartext services (issue 4):
 * ftp_cwd_sweep (R7: many CWD in a short time, scanner behaviour),
 * overflow_attempt (R7: an argument far longer than the protocol expects, or a
 * long run of one byte), cleartext_credentials, anonymous_login. Fed by ftp,
 * telnet and login events; a bus subscriber like the others.
 */
#ifndef WS_DETECT_CMD_H
#define WS_DETECT_CMD_H

#include "detect/detect.h"
#include "detect/finding.h"
#include "event/event.h"

struct ws_cmd_detect;

struct ws_cmd_detect *ws_cmd_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs);
void ws_cmd_detect_on_event(void *d, const struct ws_event *ev);
void ws_cmd_detect_finish(struct ws_cmd_detect *d);
void ws_cmd_detect_free(struct ws_cmd_detect *d);

#endif
