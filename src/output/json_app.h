/*
 * json_app.h - NDJSON body writers of the application events of issue 4, one
 * per file (json_<proto>.c). Each appends `,"<event_type>":{...}` to sb.
 */
#ifndef WS_OUTPUT_JSON_APP_H
#define WS_OUTPUT_JSON_APP_H

#include "core/sb.h"
#include "event/ev_ftp.h"
#include "event/ev_ssh.h"
#include "event/ev_telnet.h"

void ws_json_ftp(struct ws_sb *sb, const struct ws_ev_ftp *e);
void ws_json_ftp_data(struct ws_sb *sb, const struct ws_ev_ftp_data *e);
void ws_json_telnet(struct ws_sb *sb, const struct ws_ev_telnet *e);
void ws_json_ssh(struct ws_sb *sb, const struct ws_ev_ssh *e);

#endif
