/*
 * ev_ftp.h - the body of WS_EV_FTP (issue 4). Being written: fields follow.
 */
#ifndef WS_EVENT_EV_FTP_H
#define WS_EVENT_EV_FTP_H

#include <stdbool.h>
#include <stdint.h>

struct ws_ev_ftp {
	bool truncated;
};

/* WS_EV_FTP_DATA: one data connection, tied to its control flow. */
struct ws_ev_ftp_data {
	bool truncated;
};

#endif
