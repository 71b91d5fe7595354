/*
 * ev_ssh.h - the body of WS_EV_SSH (issue 4). Being written: fields follow.
 */
#ifndef WS_EVENT_EV_SSH_H
#define WS_EVENT_EV_SSH_H

#include <stdbool.h>
#include <stdint.h>

struct ws_ev_ssh {
	bool truncated;
};

#endif
