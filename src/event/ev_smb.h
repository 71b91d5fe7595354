/*
 * ev_smb.h - bodies of WS_EV_SMB (one SMB1/SMB2/SMB3 request/response pair,
 * or one side of it when the other is missing), WS_EV_DCERPC and WS_EV_LOGIN.
 *
 * Strings are copied, bounded and NUL-terminated; *_truncated says a value was
 * longer than its field. Names of commands, statuses, dialects and FSCTLs come
 * from the knowledge base (static strings).
 */
#ifndef WS_EVENT_EV_SMB_H
#define WS_EVENT_EV_SMB_H

#include <stdbool.h>
#include <stdint.h>

#define WS_SMB_PATH_MAX 256
#define WS_SMB_DIALECTS_MAX 16
#define WS_SMB_NAME_MAX 128

struct ws_ev_smb {
	uint8_t version;		/* 1, 2 or 3 (3 when the dialect is 3.x) */
	uint16_t command;		/* SMB1: 0x00-0xff; SMB2: 0x0000-0x0012 */
	const char *command_name;	/* "SMB_COM_NEGOTIATE" / "NEGOTIATE" ... */
	const char *mnemonic;		/* seed 000's SMBr, SMBs, SMBu, SMB%, SMBt, SMBsm, or NULL */
	bool has_request, has_response;
	uint32_t status;		/* NT status (SMB1 DOS errors are mapped into class<<16|code with flag below) */
	bool dos_error;			/* SMB1 status is a DOS error class/code, not NT */
	const char *status_name;	/* "STATUS_SUCCESS", "STATUS_LOGON_FAILURE", "ERRSRV/ERRbadpw" ... */
	uint64_t msg_id;		/* SMB2 MessageId; SMB1 MID */
	uint64_t session_id;		/* SMB2 SessionId; SMB1 UID */
	uint32_t tree_id;		/* SMB2 TreeId; SMB1 TID */
	bool async, compounded, signed_msg, encrypted;
	uint64_t req_pcap_cnt;		/* frame number of the packet that completed the request, 0 if none */

	/* negotiate */
	const char *dialects[WS_SMB_DIALECTS_MAX];	/* offered: "NT LM 0.12", "2.02", "3.1.1" ... */
	uint8_t dialect_cnt;
	const char *dialect;		/* chosen, or NULL */
	uint16_t security_mode;
	uint32_t capabilities;

	/* tree connect / create / read / write */
	char share[WS_SMB_PATH_MAX];	/* \\server\share as sent, or as known for this TreeId */
	char service[16];		/* SMB1 tree connect service: "A:", "IPC", "?????" ; SMB2 share type "disk", "pipe", "print" */
	char filename[WS_SMB_PATH_MAX];
	bool filename_truncated;
	uint32_t create_disposition;
	uint32_t create_action;		/* response: superseded, opened, created, overwritten */
	uint64_t offset;
	uint32_t length;		/* read/write bytes requested */
	uint32_t data_length;		/* read/write bytes carried */
	uint32_t ioctl_code;
	const char *ioctl_name;
	char pipe[WS_SMB_NAME_MAX];	/* named pipe of a transaction, "\PIPE\srvsvc", "\PIPE\LANMAN" */
	char native_os[WS_SMB_NAME_MAX];	/* SMB1 session setup request: the client's NativeOS, "" if none */
	char server_native_os[WS_SMB_NAME_MAX];	/* SMB1 session setup response: the server's NativeOS, "" if none */
	const char *rap_name;		/* \PIPE\LANMAN transaction: the RAP function ([MS-RAP] 2.5.1: 0 "NetShareEnum", 104 "NetServerEnum2" ...), or NULL */
};

/* WS_EV_DCERPC */
struct ws_ev_dcerpc {
	uint8_t ptype;			/* 0 request, 2 response, 11 bind, 12 bind_ack, 13 bind_nak, 3 fault ... */
	const char *ptype_name;
	char interface_uuid[40];	/* "4b324fc8-1670-01d3-1278-5a47bf6ee188" */
	const char *interface;		/* "srvsvc", "samr", ... or NULL */
	uint16_t opnum;
	const char *operation;		/* "NetShareEnumAll", ... or NULL */
	uint32_t call_id;
	char pipe[WS_SMB_NAME_MAX];	/* the named pipe it came through, or "" over TCP */
	uint32_t status;		/* fault status */
};

/* WS_EV_LOGIN: one login attempt of any service, judged alike by detectors. */
struct ws_ev_login {
	const char *service;		/* "smb", "ftp", "telnet", "ssh", "mssql", "pgsql", "mysql" */
	char user[WS_SMB_NAME_MAX];
	char domain[WS_SMB_NAME_MAX];
	char host[WS_SMB_NAME_MAX];	/* the client's workstation name, when it says */
	const char *method;		/* "ntlmv1", "ntlmv2", "anonymous", "guest", "legacy", "password", "key", ... */
	int success;			/* 1 yes, 0 no, -1 unknown */
	uint32_t status;		/* the protocol's code (NT status, FTP reply, SQLSTATE as number ...) */
	const char *status_name;
	bool anonymous;
	bool guest;
	bool password_sent;		/* a password (or its hash) was sent */
};

#endif
