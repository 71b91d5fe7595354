/*
 * json_ftp.c - NDJSON body of the ftp event(s) (see json_app.h).
 */
#include "output/json_app.h"

void ws_json_ftp(struct ws_sb *sb, const struct ws_ev_ftp *e)
{
	ws_sb_add(sb, ",\"ftp\":{");
	if (e->truncated)
		ws_sb_add(sb, "\"truncated\":true");
	ws_sb_addc(sb, '}');
}

void ws_json_ftp_data(struct ws_sb *sb, const struct ws_ev_ftp_data *e)
{
	ws_sb_add(sb, ",\"ftp_data\":{");
	if (e->truncated)
		ws_sb_add(sb, "\"truncated\":true");
	ws_sb_addc(sb, '}');
}
