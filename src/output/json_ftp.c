/*
 * json_ftp.c - NDJSON bodies of the ftp and ftp_data events (see json_app.h;
 * fields as in event/ev_ftp.h, whose names are the keys). Empty strings,
 * zero codes and unset endpoints are left out; counts are always written.
 */
#include <inttypes.h>

#include "core/addr.h"
#include "output/json_app.h"

static void str_field(struct ws_sb *sb, const char *key, const char *v, bool *first)
{
	if (!v || !v[0])
		return;
	ws_sb_addf(sb, "%s\"%s\":", *first ? "" : ",", key);
	ws_sb_json_str(sb, v);
	*first = false;
}

static void bool_field(struct ws_sb *sb, const char *key, bool v, bool *first)
{
	if (!v)
		return;
	ws_sb_addf(sb, "%s\"%s\":true", *first ? "" : ",", key);
	*first = false;
}

void ws_json_ftp(struct ws_sb *sb, const struct ws_ev_ftp *e)
{
	bool first = true;

	ws_sb_add(sb, ",\"ftp\":{");
	str_field(sb, "command", e->command, &first);
	str_field(sb, "arg", e->arg, &first);
	ws_sb_addf(sb, "%s\"arg_len\":%" PRIu32 ",\"arg_run\":%" PRIu32, first ? "" : ",", e->arg_len, e->arg_run);
	first = false;
	if (e->arg_run)
		ws_sb_addf(sb, ",\"arg_run_byte\":%u", (unsigned)e->arg_run_byte);
	bool_field(sb, "line_too_long", e->line_too_long, &first);
	if (e->cmd_pkt)
		ws_sb_addf(sb, ",\"cmd_pkt\":%" PRIu64, e->cmd_pkt);
	if (e->reply_code)
		ws_sb_addf(sb, ",\"reply_code\":%u", (unsigned)e->reply_code);
	if (e->prelim_code)
		ws_sb_addf(sb, ",\"prelim_code\":%u", (unsigned)e->prelim_code);
	str_field(sb, "reply", e->reply, &first);
	if (e->reply_lines > 1)
		ws_sb_addf(sb, ",\"reply_lines\":%u", (unsigned)e->reply_lines);
	str_field(sb, "user", e->user, &first);
	bool_field(sb, "anonymous", e->anonymous, &first);
	bool_field(sb, "logged_in", e->logged_in, &first);
	str_field(sb, "cwd", e->cwd, &first);
	str_field(sb, "mode", e->mode, &first);
	if (e->data_addr.v && e->data_port) {
		char a[WS_ADDR_STRLEN];

		ws_sb_add(sb, ",\"data_addr\":");
		ws_sb_json_str(sb, ws_addr_fmt(&e->data_addr, a));
		ws_sb_addf(sb, ",\"data_port\":%u", (unsigned)e->data_port);
	}
	str_field(sb, "file", e->file, &first);
	str_field(sb, "direction", e->direction, &first);
	bool_field(sb, "tls", e->tls, &first);
	ws_sb_addf(sb, ",\"cmd_num\":%" PRIu32 ",\"cwd_count\":%" PRIu32, e->cmd_num, e->cwd_count);
	bool_field(sb, "truncated", e->truncated, &first);
	ws_sb_addc(sb, '}');
}

void ws_json_ftp_data(struct ws_sb *sb, const struct ws_ev_ftp_data *e)
{
	bool first = false;

	ws_sb_add(sb, ",\"ftp_data\":{");
	ws_sb_addf(sb, "\"parent_id\":%" PRIu64, e->parent_id);
	str_field(sb, "mode", e->mode, &first);
	ws_sb_addf(sb, ",\"bytes_to_server\":%" PRIu64 ",\"bytes_to_client\":%" PRIu64 ",\"gaps\":%" PRIu32,
		   e->bytes_to_server, e->bytes_to_client, e->gaps);
	bool_field(sb, "truncated", e->truncated, &first);
	ws_sb_addc(sb, '}');
}
