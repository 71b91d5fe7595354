/*
 * ev_telnet.h - the body of WS_EV_TELNET (issue 4). Being written: fields follow.
 */
#ifndef WS_EVENT_EV_TELNET_H
#define WS_EVENT_EV_TELNET_H

#include <stdbool.h>
#include <stdint.h>

struct ws_ev_telnet {
	bool truncated;
};

#endif
