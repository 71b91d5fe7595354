/*
 * ev_ftp.h - the bodies of WS_EV_FTP (one FTP command with its final reply)
 * and WS_EV_FTP_DATA (one data connection, at its end). Filled by
 * src/proto/ftp.c; written by src/output/json_ftp.c (field names = JSON keys).
 *
 * Spec: RFC 959 (commands, replies, PORT/PASV), RFC 2428 (EPRT/EPSV),
 * RFC 2228 / RFC 4217 (AUTH TLS).
 */
#ifndef WS_EVENT_EV_FTP_H
#define WS_EVENT_EV_FTP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/addr.h"

/* Command verbs are 3-4 letters (RFC 959 5.3.1); longer words are cut and flagged. */
#define WS_FTP_VERB_MAX 16
/*
 * Bytes of an argument or reply text kept in an event. A path is rarely
 * longer; what is cut is flagged (truncated) and its full length kept in
 * arg_len, so an overflow attempt is still measured.
 */
#define WS_FTP_ARG_MAX 256
#define WS_FTP_REPLY_MAX 256
#define WS_FTP_PATH_MAX 256
#define WS_FTP_USER_MAX 128
/*
 * Bytes of one command or reply line held for parsing. RFC 959 sets no
 * limit; real commands are far shorter (vsftpd refuses lines over 4096). A
 * longer line raises the anomaly ftp_line_too_long and is consumed and
 * counted (length, longest run of one byte), never buffered whole.
 */
#define WS_FTP_LINE_MAX 1024

struct ws_ev_ftp {
	char command[WS_FTP_VERB_MAX];	/* upper-cased verb, "" for a reply no command asked for (the 220 greeting) */
	char arg[WS_FTP_ARG_MAX];	/* argument as sent (PASS: "<hidden>" unless --show-credentials) */
	uint32_t arg_len;		/* the argument's full length in bytes, however long */
	uint32_t arg_run;		/* longest run of one repeated byte in the argument */
	uint8_t arg_run_byte;		/* that byte */
	bool line_too_long;		/* the command line passed WS_FTP_LINE_MAX (anomaly raised) */
	uint64_t cmd_pkt;		/* packet (tshark frame number) that completed the command, 0 if none */
	uint32_t cmd_file;
	int64_t cmd_ts_ns;		/* when the command was sent */
	uint16_t reply_code;		/* final reply (2xx-5xx), 0 when none came */
	uint16_t prelim_code;		/* a 1xx reply before it (150 "Opening data connection"), 0 if none */
	char reply[WS_FTP_REPLY_MAX];	/* text of the final reply's first line */
	uint16_t reply_lines;		/* lines of the final reply (> 1: multi-line "123-" ... "123 ") */
	char user[WS_FTP_USER_MAX];	/* the session's user so far (last USER argument) */
	bool anonymous;			/* that user is "anonymous" or "ftp" */
	bool logged_in;			/* a login succeeded in this session */
	char cwd[WS_FTP_PATH_MAX];	/* working directory as tracked (CWD/CDUP/PWD replies), "" unknown */
	const char *mode;		/* data channel: "active" (PORT/EPRT) or "passive" (PASV/EPSV), NULL when not set */
	struct ws_addr data_addr;	/* the data endpoint announced by this command or its reply (v 0: none) */
	uint16_t data_port;
	char file[WS_FTP_PATH_MAX];	/* RETR/STOR/STOU/APPE/DELE/LIST/NLST/MLSD: the path, joined to cwd when relative */
	const char *direction;		/* "download" (RETR, LIST...), "upload" (STOR...), NULL */
	bool tls;			/* AUTH accepted with 234: the rest of the session is encrypted */
	uint32_t cmd_num;		/* this command's number in the session, 1-based (0: unsolicited reply) */
	uint32_t cwd_count;		/* CWD commands in the session so far */
	bool truncated;			/* a text field above was cut at its cap */
};

/* WS_EV_FTP_DATA: one data connection, tied to its control flow (parent_id). */
struct ws_ev_ftp_data {
	uint64_t parent_id;		/* the control flow that announced it, 0 if not known */
	const char *mode;		/* "active" when the data connection came from port 20 (a server
					 * connecting back, RFC 959 3.2), else NULL: not known from this flow */
	uint64_t bytes_to_server;	/* payload bytes toward the data flow's server (passive: uploads) */
	uint64_t bytes_to_client;	/* payload bytes toward the data flow's client (passive: downloads) */
	uint32_t gaps;			/* stream gaps (bytes missed are counted above) */
	bool truncated;			/* gaps: the counts include bytes not seen */
};

#endif
