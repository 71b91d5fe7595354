/*
 * json_telnet.c - NDJSON body of the telnet event(s) (see json_app.h).
 */
#include "output/json_app.h"

void ws_json_telnet(struct ws_sb *sb, const struct ws_ev_telnet *e)
{
	ws_sb_add(sb, ",\"telnet\":{");
	if (e->truncated)
		ws_sb_add(sb, "\"truncated\":true");
	ws_sb_addc(sb, '}');
}
