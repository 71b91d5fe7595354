/*
 * json_ssh.c - NDJSON body of the ssh event(s) (see json_app.h).
 */
#include "output/json_app.h"

void ws_json_ssh(struct ws_sb *sb, const struct ws_ev_ssh *e)
{
	ws_sb_add(sb, ",\"ssh\":{");
	if (e->truncated)
		ws_sb_add(sb, "\"truncated\":true");
	ws_sb_addc(sb, '}');
}
