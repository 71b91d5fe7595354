/*
 * json_telnet.c - NDJSON body of the telnet event (see json_app.h and
 * event/ev_telnet.h): `,"telnet":{...}`. Field names are the struct's, but
 * for do_opt, written "do"; option bitmaps become arrays of option names
 * (IANA registry names; an unassigned option is its number as a string).
 * Passwords and transcripts appear only when the parser kept them, which it
 * does only with --show-credentials.
 */
#include <stdio.h>
#include <string.h>

#include "output/json_app.h"

static void opt_list(struct ws_sb *sb, const char *key, const uint8_t map[32])
{
	bool first = true;

	ws_sb_addf(sb, ",\"%s\":[", key);
	for (unsigned opt = 0; opt < 256; opt++) {
		if (!(map[opt >> 3] & (1u << (opt & 7))))
			continue;
		const char *name = ws_telnet_option_name((uint8_t)opt);
		char num[8];

		if (!name) {
			snprintf(num, sizeof(num), "%u", opt);
			name = num;
		}
		if (!first)
			ws_sb_addc(sb, ',');
		first = false;
		ws_sb_json_str(sb, name);
	}
	ws_sb_addc(sb, ']');
}

static void side(struct ws_sb *sb, const char *key, const struct ws_telnet_side *s)
{
	ws_sb_addf(sb, "\"%s\":{\"bytes\":%llu,\"commands\":%llu,\"subnegotiations\":%llu", key,
		   (unsigned long long)s->bytes, (unsigned long long)s->commands,
		   (unsigned long long)s->subnegotiations);
	opt_list(sb, "will", s->will);
	opt_list(sb, "wont", s->wont);
	opt_list(sb, "do", s->do_opt);
	opt_list(sb, "dont", s->dont);
	ws_sb_addf(sb, ",\"sb_max_len\":%llu,\"max_line_len\":%llu,\"long_lines\":%llu,"
		   "\"max_repeat\":%llu,\"max_repeat_byte\":%u",
		   (unsigned long long)s->sb_max_len, (unsigned long long)s->max_line_len,
		   (unsigned long long)s->long_lines, (unsigned long long)s->max_repeat, s->max_repeat_byte);
	if (s->encrypted)
		ws_sb_add(sb, ",\"encrypted\":true");
	if (s->transcript) {
		ws_sb_add(sb, ",\"transcript\":");
		ws_sb_json_strn(sb, s->transcript, s->transcript_len);
	}
	if (s->transcript_truncated)
		ws_sb_add(sb, ",\"transcript_truncated\":true");
	ws_sb_addc(sb, '}');
}

static void str_field(struct ws_sb *sb, const char *key, const char *v)
{
	if (!v[0])
		return;
	ws_sb_addf(sb, ",\"%s\":", key);
	ws_sb_json_str(sb, v);
}

void ws_json_telnet(struct ws_sb *sb, const struct ws_ev_telnet *e)
{
	ws_sb_add(sb, ",\"telnet\":{");
	side(sb, "client", &e->client);
	ws_sb_addc(sb, ',');
	side(sb, "server", &e->server);
	str_field(sb, "terminal_type", e->terminal_type);
	if (e->has_window)
		ws_sb_addf(sb, ",\"window_width\":%u,\"window_height\":%u", e->window_width, e->window_height);
	str_field(sb, "terminal_speed", e->terminal_speed);
	str_field(sb, "x_display", e->x_display);
	str_field(sb, "env_user", e->env_user);
	str_field(sb, "auth_name", e->auth_name);
	str_field(sb, "banner", e->banner);
	ws_sb_add(sb, ",\"login\":");
	ws_sb_json_str(sb, e->login ? e->login : "none");
	ws_sb_addf(sb, ",\"attempts\":%u,\"failures\":%u,\"attempt\":[", e->attempts, e->failures);
	for (unsigned i = 0; i < e->attempt_cnt && i < WS_TELNET_ATTEMPTS_MAX; i++) {
		const struct ws_telnet_attempt *a = &e->attempt[i];

		if (i)
			ws_sb_addc(sb, ',');
		ws_sb_add(sb, "{\"user\":");
		ws_sb_json_str(sb, a->user);
		if (a->password_sent) {
			ws_sb_add(sb, ",\"password\":");
			ws_sb_json_str(sb, a->password);
		}
		ws_sb_addf(sb, ",\"password_sent\":%s", a->password_sent ? "true" : "false");
		if (a->success >= 0)	/* as the login event: no "success" when not known */
			ws_sb_addf(sb, ",\"success\":%s", a->success ? "true" : "false");
		ws_sb_add(sb, ",\"status_name\":");
		ws_sb_json_str(sb, a->status_name);
		ws_sb_addc(sb, '}');
	}
	ws_sb_addc(sb, ']');
	if (e->sb_unclosed)
		ws_sb_add(sb, ",\"sb_unclosed\":true");
	if (e->gaps)
		ws_sb_addf(sb, ",\"gaps\":%u", e->gaps);
	if (e->truncated)
		ws_sb_add(sb, ",\"truncated\":true");
	ws_sb_addc(sb, '}');
}
