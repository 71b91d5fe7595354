/*
 * json_ftp.c - NDJSON bodies of the ftp and ftp_data events (see json_app.h;
 * fields as in event/ev_ftp.h, whose names are the keys). Empty strings,
 * zero codes and unset endpoints are left out; counts are always written.
 */
#include <inttypes.h>

#include "core/addr.h"
#include "output/json_app.h"

/* ,"key": (no comma first); no printf: ftp events are the most numerous. */
static void key_of(struct ws_sb *sb, const char *key, bool *first)
{
	if (!*first)
		ws_sb_addc(sb, ',');
	ws_sb_addc(sb, '"');
	ws_sb_add(sb, key);
	ws_sb_addn(sb, "\":", 2);
	*first = false;
}

static void str_field(struct ws_sb *sb, const char *key, const char *v, bool *first)
{
	if (!v || !v[0])
		return;
	key_of(sb, key, first);
	ws_sb_json_str(sb, v);
}

static void bool_field(struct ws_sb *sb, const char *key, bool v, bool *first)
{
	if (!v)
		return;
	key_of(sb, key, first);
	ws_sb_add(sb, "true");
}

static void num_field(struct ws_sb *sb, const char *key, uint64_t v, bool *first)
{
	key_of(sb, key, first);
	ws_sb_addu(sb, v);
}

void ws_json_ftp(struct ws_sb *sb, const struct ws_ev_ftp *e)
{
	bool first = true;

	ws_sb_add(sb, ",\"ftp\":{");
	str_field(sb, "command", e->command, &first);
	str_field(sb, "arg", e->arg, &first);
	num_field(sb, "arg_len", e->arg_len, &first);
	num_field(sb, "arg_run", e->arg_run, &first);
	if (e->arg_run)
		num_field(sb, "arg_run_byte", e->arg_run_byte, &first);
	bool_field(sb, "line_too_long", e->line_too_long, &first);
	if (e->cmd_pkt)
		num_field(sb, "cmd_pkt", e->cmd_pkt, &first);
	if (e->reply_code)
		num_field(sb, "reply_code", e->reply_code, &first);
	if (e->prelim_code)
		num_field(sb, "prelim_code", e->prelim_code, &first);
	str_field(sb, "reply", e->reply, &first);
	if (e->reply_lines > 1)
		num_field(sb, "reply_lines", e->reply_lines, &first);
	str_field(sb, "user", e->user, &first);
	bool_field(sb, "anonymous", e->anonymous, &first);
	bool_field(sb, "logged_in", e->logged_in, &first);
	str_field(sb, "cwd", e->cwd, &first);
	str_field(sb, "mode", e->mode, &first);
	if (e->data_addr.v && e->data_port) {
		char a[WS_ADDR_STRLEN];

		ws_sb_add(sb, ",\"data_addr\":");
		ws_sb_json_str(sb, ws_addr_fmt(&e->data_addr, a));
		num_field(sb, "data_port", e->data_port, &first);
	}
	str_field(sb, "file", e->file, &first);
	str_field(sb, "direction", e->direction, &first);
	bool_field(sb, "tls", e->tls, &first);
	num_field(sb, "cmd_num", e->cmd_num, &first);
	num_field(sb, "cwd_count", e->cwd_count, &first);
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
