/*
 * ev_ssh.h - the body of WS_EV_SSH: one per SSH connection, emitted when the
 * flow ends (src/proto/ssh.c).
 *
 * Strings are NUL-terminated, copied and bounded; a string cut to its field
 * sets truncated (the HASSH digests are always over the whole lists).
 * Algorithms are the ones RFC 4253 7.1 negotiation picks: the first on the
 * client's list that the server also offers; "" when a side's KEXINIT was not
 * seen. auth_success is Zeek's estimate from encrypted packet sizes:
 * 1 yes, 0 every attempt failed, -1 cannot tell.
 */
#ifndef WS_EVENT_EV_SSH_H
#define WS_EVENT_EV_SSH_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 4253 4.2: the identification line is at most 255 bytes with CR LF. */
#define WS_SSH_VERSION_MAX 256u
/* "2.0", "1.99", "1.5": a few digits. */
#define WS_SSH_PROTO_MAX 16u
/* One algorithm name: RFC 4251 6 caps names at 64 characters. */
#define WS_SSH_ALG_MAX 65u
/* A HASSH string: four name-lists joined by ';'. OpenSSH 9's are ~500 bytes;
 * longer ones are cut (truncated) but still hashed whole. */
#define WS_SSH_HASSH_STR_MAX 1024u
#define WS_SSH_HASSH_LEN 33u	/* 32 hex digits and a NUL */

struct ws_ev_ssh {
	char client_version[WS_SSH_VERSION_MAX];	/* the whole line, without CR LF */
	char client_proto[WS_SSH_PROTO_MAX];		/* protoversion: "2.0", "1.99", "1.5" */
	char client_software[WS_SSH_VERSION_MAX];	/* softwareversion */
	char client_comments[WS_SSH_VERSION_MAX];	/* after the first space, if any */
	char server_version[WS_SSH_VERSION_MAX];
	char server_proto[WS_SSH_PROTO_MAX];
	char server_software[WS_SSH_VERSION_MAX];
	char server_comments[WS_SSH_VERSION_MAX];
	uint32_t server_pre_lines;			/* lines before the server's version (RFC 4253 4.2) */
	char kex[WS_SSH_ALG_MAX];
	char host_key[WS_SSH_ALG_MAX];
	char cipher_c2s[WS_SSH_ALG_MAX];
	char cipher_s2c[WS_SSH_ALG_MAX];
	char mac_c2s[WS_SSH_ALG_MAX];
	char mac_s2c[WS_SSH_ALG_MAX];
	char compression_c2s[WS_SSH_ALG_MAX];
	char compression_s2c[WS_SSH_ALG_MAX];
	char hassh[WS_SSH_HASSH_LEN];			/* client: md5(kex;ciphers_c2s;macs_c2s;compression_c2s) */
	char hassh_server[WS_SSH_HASSH_LEN];		/* server: md5(kex;ciphers_s2c;macs_s2c;compression_s2c) */
	char hassh_string[WS_SSH_HASSH_STR_MAX];
	char hassh_server_string[WS_SSH_HASSH_STR_MAX];
	bool encryption_started;			/* NEWKEYS seen from either side */
	uint32_t auth_attempts;
	int auth_success;				/* 1, 0, -1 unknown */
	uint64_t enc_packets_c2s;			/* after NEWKEYS: TCP segments carrying data */
	uint64_t enc_packets_s2c;
	uint64_t enc_bytes_c2s;
	uint64_t enc_bytes_s2c;
	bool truncated;
};

#endif
