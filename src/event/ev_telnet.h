/*
 * ev_telnet.h - the body of WS_EV_TELNET: one Telnet session, emitted once
 * when its flow ends. Filled by src/proto/telnet.c; written by
 * src/output/json_telnet.c (field names = JSON keys; do_opt is "do").
 *
 * Spec: RFC 854 (NVT, IAC commands), RFC 855 (option negotiation and
 * subnegotiation), option numbers from the IANA Telnet Options registry;
 * options decoded: RFC 1091 terminal type, RFC 1073 NAWS, RFC 1079 terminal
 * speed, RFC 1096 X display location, RFC 1572 NEW-ENVIRON (USER),
 * RFC 2941 AUTHENTICATION (NAME), RFC 2946 ENCRYPT (START).
 *
 * Strings are copied, bounded and NUL-terminated; what was cut sets truncated.
 * Each login attempt is also a WS_EV_LOGIN (service "telnet") when decided.
 * Passwords are "<hidden>" unless --show-credentials, and so are transcripts:
 * without it they are not even kept (transcript is NULL).
 */
#ifndef WS_EVENT_EV_TELNET_H
#define WS_EVENT_EV_TELNET_H

#include <stdbool.h>
#include <stdint.h>

/* Terminal type names are short ("xterm-256color"); RFC 1091 allows 40 characters. */
#define WS_TELNET_TERM_MAX 48
/* Terminal speed "38400,38400", X display "host.domain:0.0", env/auth user names. */
#define WS_TELNET_VALUE_MAX 64
/* A user name typed at the login prompt (login(1) itself takes at most 32). */
#define WS_TELNET_USER_MAX 64
/* A password kept only with --show-credentials. */
#define WS_TELNET_PASS_MAX 64
/* The server line that decided a login ("Login incorrect", "Last login: ..."). */
#define WS_TELNET_STATUS_MAX 128
/* The server's first text line (system name, device banner). */
#define WS_TELNET_BANNER_MAX 128
/*
 * Attempts described in the session event; more are counted in attempts
 * (each one is a login event anyway, which is what guessing detection reads).
 */
#define WS_TELNET_ATTEMPTS_MAX 8
/* Transcript bytes kept per direction with --show-credentials: a login and a few commands. */
#define WS_TELNET_TRANSCRIPT_MAX 8192u

struct ws_telnet_attempt {
	char user[WS_TELNET_USER_MAX];		/* what the client typed, line editing applied */
	char password[WS_TELNET_PASS_MAX];	/* "<hidden>" unless --show-credentials; "" when none was asked */
	bool password_sent;			/* the password prompt was answered */
	int success;				/* 1 yes, 0 no, -1 unknown (the session ended first) */
	char status_name[WS_TELNET_STATUS_MAX];	/* the deciding server line, or why ("login prompt again") */
};

/* What one side (the client or the server) sent. */
struct ws_telnet_side {
	uint8_t will[32];		/* options this side said IAC WILL to (bitmap, bit n = option n) */
	uint8_t wont[32];
	uint8_t do_opt[32];		/* IAC DO: options it asked the other side to perform ("do" in JSON) */
	uint8_t dont[32];
	uint64_t bytes;			/* data bytes after IAC decoding (IAC IAC counts as one) */
	uint64_t commands;		/* IAC commands, negotiations and subnegotiations included */
	uint64_t subnegotiations;
	uint64_t sb_max_len;		/* longest subnegotiation parameter (an unclosed one counts as it stood) */
	uint64_t max_line_len;		/* longest text line in bytes, whatever the cap */
	uint64_t long_lines;		/* lines longer than the parser's line cap */
	uint64_t max_repeat;		/* longest run of one repeated byte (data and subnegotiation) */
	uint8_t max_repeat_byte;	/* that byte */
	bool encrypted;			/* ENCRYPT START seen: the rest of this side is ciphertext */
	const char *transcript;		/* data bytes as sent, only with --show-credentials, else NULL */
	uint32_t transcript_len;
	bool transcript_truncated;	/* more than WS_TELNET_TRANSCRIPT_MAX bytes were sent */
};

struct ws_ev_telnet {
	struct ws_telnet_side client, server;
	char terminal_type[WS_TELNET_TERM_MAX];		/* SB TERMINAL-TYPE IS, the last one sent */
	uint16_t window_width, window_height;		/* SB NAWS, valid when has_window */
	bool has_window;
	char terminal_speed[WS_TELNET_VALUE_MAX];	/* SB TERMINAL-SPEED IS "tx,rx" */
	char x_display[WS_TELNET_VALUE_MAX];		/* SB X-DISPLAY-LOCATION IS */
	char env_user[WS_TELNET_VALUE_MAX];		/* SB (NEW-)ENVIRON IS/INFO VAR "USER" */
	char auth_name[WS_TELNET_VALUE_MAX];		/* SB AUTHENTICATION NAME */
	char banner[WS_TELNET_BANNER_MAX];		/* the server's first non-empty line */
	const char *login;				/* "success", "failure", "unknown" or "none" */
	uint32_t attempts;				/* login attempts, all of them */
	uint32_t failures;
	struct ws_telnet_attempt attempt[WS_TELNET_ATTEMPTS_MAX];	/* the first attempt_cnt of them */
	uint8_t attempt_cnt;
	bool sb_unclosed;				/* the session ended inside a subnegotiation */
	uint32_t gaps;					/* stream gaps (bytes never seen) */
	bool truncated;					/* a string above was cut at its cap */
};

/* IANA Telnet Options registry names (as tshark shows them), or NULL when unassigned. */
static inline const char *ws_telnet_option_name(uint8_t opt)
{
	static const char *const names[] = {
		"Binary Transmission", "Echo", "Reconnection", "Suppress Go Ahead",
		"Approx Message Size Negotiation", "Status", "Timing Mark",
		"Remote Controlled Trans and Echo", "Output Line Width", "Output Page Size",
		"Output Carriage-Return Disposition", "Output Horizontal Tab Stops",
		"Output Horizontal Tab Disposition", "Output Formfeed Disposition",
		"Output Vertical Tabstops", "Output Vertical Tab Disposition",
		"Output Linefeed Disposition", "Extended ASCII", "Logout", "Byte Macro",
		"Data Entry Terminal", "SUPDUP", "SUPDUP Output", "Send Location",
		"Terminal Type", "End of Record", "TACACS User Identification", "Output Marking",
		"Terminal Location Number", "Telnet 3270 Regime", "X.3 PAD",
		"Negotiate About Window Size", "Terminal Speed", "Remote Flow Control", "Linemode",
		"X Display Location", "Environment Option", "Authentication Option",
		"Encryption Option", "New Environment Option", "TN3270E", "XAUTH", "CHARSET",
		"Remote Serial Port", "Com Port Control Option", "Suppress Local Echo",
		"Start TLS", "KERMIT", "SEND-URL", "FORWARD_X",
	};

	if (opt < sizeof names / sizeof names[0])
		return names[opt];
	if (opt == 138)
		return "TELOPT PRAGMA LOGON";
	if (opt == 139)
		return "TELOPT SSPI LOGON";
	if (opt == 140)
		return "TELOPT PRAGMA HEARTBEAT";
	if (opt == 255)
		return "Extended-Options-List";
	return NULL;
}

#endif
