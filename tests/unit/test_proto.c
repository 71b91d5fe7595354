/*
 * test_proto.c - the protocol registry (src/proto/registry.c) and every
 * probe (src/proto/<name>.c), on crafted bytes.
 *
 * Samples are real-looking first messages of each side, built from the
 * specs each probe cites (the byte layouts are noted beside each one).
 * Checked: each sample is YES for its own protocol; no other probe says
 * YES to it (the cross matrix); every truncation runs clean (each prefix is
 * copied into a buffer of exactly its size, so ASan sees any overread),
 * never gives YES before the sample's magic is held, and for TCP never
 * gives NO (a stream prefix of a real message is at worst MAYBE); the
 * caller's reader never moves; hand-made negatives; lookups by port and
 * by name, and the port switch against the entries' port lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/proto.h"

struct sample {
	const char *id;
	const char *proto;	/* the protocol that must say YES */
	uint8_t l4;
	enum ws_dir dir;
	size_t magic_len;	/* fewer bytes than this must never be YES */
	const uint8_t *bytes;
	size_t len;
};

/* Generated from the specs' layouts (see each comment); lengths are exact. */
static const struct sample samples[] = {
	/* name query WORKGROUP<1d>, broadcast */
	{ "nbns_query", "netbios-ns", WS_PROTO_UDP, WS_DIR_TO_SERVER, 50,
		  (const uint8_t *)"\x8a\x21\x01\x10\x00\x01\x00\x00\x00\x00\x00\x00\x20\x46\x48\x45"
		  "\x50\x46\x43\x45\x4c\x45\x48\x46\x43\x45\x50\x46\x46\x46\x41\x43"
		  "\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x42\x4e\x00\x00\x20"
		  "\x00\x01",
		  50 },
	/* positive name query response FILESRV<20> */
	{ "nbns_response", "netbios-ns", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 50,
		  (const uint8_t *)"\x8a\x21\x85\x00\x00\x00\x00\x01\x00\x00\x00\x00\x20\x45\x47\x45"
		  "\x4a\x45\x4d\x45\x46\x46\x44\x46\x43\x46\x47\x43\x41\x43\x41\x43"
		  "\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x00\x00\x20"
		  "\x00\x01\x00\x04\x93\xe0\x00\x06\x00\x00\x0a\x00\x00\x05",
		  62 },
	/* node status query for * */
	{ "nbns_nbstat", "netbios-ns", WS_PROTO_UDP, WS_DIR_TO_SERVER, 50,
		  (const uint8_t *)"\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x20\x43\x4b\x41"
		  "\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41"
		  "\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x00\x00\x21"
		  "\x00\x01",
		  50 },
	/* name registration HOST1<00> with its additional record */
	{ "nbns_register", "netbios-ns", WS_PROTO_UDP, WS_DIR_TO_SERVER, 50,
		  (const uint8_t *)"\x70\x01\x29\x10\x00\x01\x00\x00\x00\x00\x00\x01\x20\x45\x49\x45"
		  "\x50\x46\x44\x46\x45\x44\x42\x43\x41\x43\x41\x43\x41\x43\x41\x43"
		  "\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x41\x41\x00\x00\x20"
		  "\x00\x01\xc0\x0c\x00\x20\x00\x01\x00\x04\x93\xe0\x00\x06\x00\x00"
		  "\x0a\x00\x00\x07",
		  68 },
	/* direct group datagram, browser announcement */
	{ "nbdgm_group", "netbios-dgm", WS_PROTO_UDP, WS_DIR_TO_SERVER, 82,
		  (const uint8_t *)"\x11\x02\x80\x03\x0a\x00\x00\x07\x00\x8a\x00\x9a\x00\x00\x20\x45"
		  "\x49\x45\x50\x46\x44\x46\x45\x44\x42\x43\x41\x43\x41\x43\x41\x43"
		  "\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x41\x41\x00"
		  "\x20\x46\x48\x45\x50\x46\x43\x45\x4c\x45\x48\x46\x43\x45\x50\x46"
		  "\x46\x46\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x42"
		  "\x4f\x00\xff\x53\x4d\x42\x25\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x11\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x5c\x4d\x41\x49\x4c\x53\x4c\x4f\x54\x5c\x42"
		  "\x52\x4f\x57\x53\x45\x00\x01\x00",
		  168 },
	/* datagram error: destination name not present */
	{ "nbdgm_error", "netbios-dgm", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 11,
		  (const uint8_t *)"\x13\x02\x00\x42\x0a\x00\x00\x05\x00\x8a\x82",
		  11 },
	/* session request FILESRV<20> from CLIENT1<00> */
	{ "nbss_request", "netbios-ssn", WS_PROTO_TCP, WS_DIR_TO_SERVER, 72,
		  (const uint8_t *)"\x81\x00\x00\x44\x20\x45\x47\x45\x4a\x45\x4d\x45\x46\x46\x44\x46"
		  "\x43\x46\x47\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43"
		  "\x41\x43\x41\x43\x41\x00\x20\x45\x44\x45\x4d\x45\x4a\x45\x46\x45"
		  "\x4f\x46\x45\x44\x42\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43"
		  "\x41\x43\x41\x43\x41\x41\x41\x00",
		  72 },
	/* positive session response */
	{ "nbss_positive", "netbios-ssn", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 4,
		  (const uint8_t *)"\x82\x00\x00\x00",
		  4 },
	/* negative session response: called name not present */
	{ "nbss_negative", "netbios-ssn", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 5,
		  (const uint8_t *)"\x83\x00\x00\x01\x82",
		  5 },
	/* SMB2 NEGOTIATE request, dialects 2.0.2 and 2.1 */
	{ "smb2_negotiate", "smb", WS_PROTO_TCP, WS_DIR_TO_SERVER, 16,
		  (const uint8_t *)"\x00\x00\x00\x68\xfe\x53\x4d\x42\x40\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\xff\xfe\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x24\x00\x02\x00\x01\x00\x00\x00\x7f\x00\x00\x00"
		  "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x02\x02\x10\x02",
		  108 },
	/* SMB2 NEGOTIATE response, dialect 2.1 */
	{ "smb2_negotiate_resp", "smb", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 16,
		  (const uint8_t *)"\x00\x00\x00\x80\xfe\x53\x4d\x42\x40\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\xff\xfe\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x41\x00\x01\x00\x10\x02\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00"
		  "\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00"
		  "\x00\x00\x00\x00",
		  132 },
	/* SMB1 NEGOTIATE in an NBSS session message (TCP 139) */
	{ "smb1_negotiate_nbss", "smb", WS_PROTO_TCP, WS_DIR_TO_SERVER, 37,
		  (const uint8_t *)"\x00\x00\x00\x47\xff\x53\x4d\x42\x72\x00\x00\x00\x00\x18\x53\xc8"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xfe"
		  "\x00\x00\x00\x00\x00\x24\x00\x02\x50\x43\x20\x4e\x45\x54\x57\x4f"
		  "\x52\x4b\x20\x50\x52\x4f\x47\x52\x41\x4d\x20\x31\x2e\x30\x00\x02"
		  "\x4e\x54\x20\x4c\x4d\x20\x30\x2e\x31\x32\x00",
		  75 },
	/* SMB3 transform header (encrypted message) */
	{ "smb3_transform", "smb", WS_PROTO_TCP, WS_DIR_TO_SERVER, 8,
		  (const uint8_t *)"\x00\x00\x00\x98\xfd\x53\x4d\x42\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07"
		  "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x64\x00\x00\x00\x00\x00\x01\x00"
		  "\x88\x77\x66\x55\x44\x33\x22\x11\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		  156 },
	/* vsftpd greeting */
	{ "ftp_greeting", "ftp", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 20,
		  (const uint8_t *)"\x32\x32\x30\x20\x28\x76\x73\x46\x54\x50\x64\x20\x33\x2e\x30\x2e"
		  "\x33\x29\x0d\x0a",
		  20 },
	/* multi-line greeting (Pure-FTPd) */
	{ "ftp_greeting_ml", "ftp", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 62,
		  (const uint8_t *)"\x32\x32\x30\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x20\x57\x65"
		  "\x6c\x63\x6f\x6d\x65\x20\x74\x6f\x20\x50\x75\x72\x65\x2d\x46\x54"
		  "\x50\x64\x20\x5b\x70\x72\x69\x76\x73\x65\x70\x5d\x20\x5b\x54\x4c"
		  "\x53\x5d\x20\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x2d\x0d\x0a\x32"
		  "\x32\x30\x2d\x59\x6f\x75\x20\x61\x72\x65\x20\x75\x73\x65\x72\x20"
		  "\x6e\x75\x6d\x62\x65\x72\x20\x31\x20\x6f\x66\x20\x35\x30\x20\x61"
		  "\x6c\x6c\x6f\x77\x65\x64\x2e\x0d\x0a\x32\x32\x30\x20\x54\x68\x69"
		  "\x73\x20\x69\x73\x20\x61\x20\x70\x72\x69\x76\x61\x74\x65\x20\x73"
		  "\x79\x73\x74\x65\x6d\x2e\x0d\x0a",
		  136 },
	/* client asks for TLS (RFC 4217) */
	{ "ftp_auth_tls", "ftp", WS_PROTO_TCP, WS_DIR_TO_SERVER, 10,
		  (const uint8_t *)"\x41\x55\x54\x48\x20\x54\x4c\x53\x0d\x0a",
		  10 },
	/* client asks for features (RFC 2389) */
	{ "ftp_feat", "ftp", WS_PROTO_TCP, WS_DIR_TO_SERVER, 6,
		  (const uint8_t *)"\x46\x45\x41\x54\x0d\x0a",
		  6 },
	/* server DO TTYPE, TSPEED, XDISPLOC, NEW-ENVIRON */
	{ "telnet_do", "telnet", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 3,
		  (const uint8_t *)"\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27",
		  12 },
	/* client WILL TTYPE, SB TTYPE IS XTERM SE, WILL NAWS */
	{ "telnet_will_sb", "telnet", WS_PROTO_TCP, WS_DIR_TO_SERVER, 3,
		  (const uint8_t *)"\xff\xfb\x18\xff\xfa\x18\x00\x58\x54\x45\x52\x4d\xff\xf0\xff\xfb"
		  "\x1f",
		  17 },
	/* login prompt (YES once "login:" is held) */
	{ "telnet_login", "telnet", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 38,
		  (const uint8_t *)"\x0d\x0a\x4f\x70\x65\x6e\x42\x53\x44\x2f\x69\x33\x38\x36\x20\x28"
		  "\x6f\x6f\x66\x29\x20\x28\x74\x74\x79\x70\x32\x29\x0d\x0a\x0d\x0a"
		  "\x6c\x6f\x67\x69\x6e\x3a\x20",
		  39 },
	/* OpenSSH banner */
	{ "ssh_server", "ssh", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 9,
		  (const uint8_t *)"\x53\x53\x48\x2d\x32\x2e\x30\x2d\x4f\x70\x65\x6e\x53\x53\x48\x5f"
		  "\x38\x2e\x39\x70\x31\x20\x55\x62\x75\x6e\x74\x75\x2d\x33\x75\x62"
		  "\x75\x6e\x74\x75\x30\x2e\x36\x0d\x0a",
		  41 },
	/* PuTTY banner */
	{ "ssh_client", "ssh", WS_PROTO_TCP, WS_DIR_TO_SERVER, 9,
		  (const uint8_t *)"\x53\x53\x48\x2d\x32\x2e\x30\x2d\x50\x75\x54\x54\x59\x5f\x52\x65"
		  "\x6c\x65\x61\x73\x65\x5f\x30\x2e\x37\x38\x0d\x0a",
		  28 },
	/* SSH-1 compatible server */
	{ "ssh_199", "ssh", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 10,
		  (const uint8_t *)"\x53\x53\x48\x2d\x31\x2e\x39\x39\x2d\x43\x69\x73\x63\x6f\x2d\x31"
		  "\x2e\x32\x35\x0a",
		  20 },
	/* PRELOGIN: version, encryption, instance, thread id, MARS */
	{ "tds_prelogin", "mssql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 47,
		  (const uint8_t *)"\x12\x01\x00\x2f\x00\x00\x01\x00\x00\x00\x1a\x00\x06\x01\x00\x20"
		  "\x00\x01\x02\x00\x21\x00\x01\x03\x00\x22\x00\x04\x04\x00\x26\x00"
		  "\x01\xff\x0f\x00\x07\xd0\x00\x00\x02\x00\x34\x12\x00\x00\x00",
		  47 },
	/* PRELOGIN response in a tabular result */
	{ "tds_prelogin_resp", "mssql", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 26,
		  (const uint8_t *)"\x04\x01\x00\x1a\x00\x00\x01\x00\x00\x00\x0b\x00\x06\x01\x00\x11"
		  "\x00\x01\xff\x0f\x00\x07\xd0\x00\x00\x02",
		  26 },
	/* LOGIN7, TDS 7.4 (no variable part) */
	{ "tds_login7", "mssql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 102,
		  (const uint8_t *)"\x10\x01\x00\x66\x00\x00\x01\x00\x5e\x00\x00\x00\x04\x00\x00\x74"
		  "\x00\x10\x00\x00\x00\x00\x00\x07\xd2\x04\x00\x00\x00\x00\x00\x00"
		  "\xe0\x03\x00\x00\x00\x00\x00\x00\x09\x04\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00",
		  102 },
	/* SQL batch with ALL_HEADERS */
	{ "tds_sql_batch", "mssql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 62,
		  (const uint8_t *)"\x01\x01\x00\x3e\x00\x34\x01\x00\x16\x00\x00\x00\x12\x00\x00\x00"
		  "\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x73\x00"
		  "\x65\x00\x6c\x00\x65\x00\x63\x00\x74\x00\x20\x00\x40\x00\x40\x00"
		  "\x76\x00\x65\x00\x72\x00\x73\x00\x69\x00\x6f\x00\x6e\x00",
		  62 },
	/* tabular result: ENVCHANGE, DONE */
	{ "tds_result", "mssql", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 32,
		  (const uint8_t *)"\x04\x01\x00\x20\x00\x34\x01\x00\xe3\x07\x00\x01\x03\x64\x00\x62"
		  "\x00\x31\x00\xfd\x00\x00\xc1\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		  32 },
	/* SQL browser: CLNT_UCAST_INST */
	{ "ssrp_inst", "mssql", WS_PROTO_UDP, WS_DIR_TO_SERVER, 13,
		  (const uint8_t *)"\x04\x4d\x53\x53\x51\x4c\x53\x45\x52\x56\x45\x52\x00",
		  13 },
	/* SQL browser: SVR_RESP */
	{ "ssrp_resp", "mssql", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 14,
		  (const uint8_t *)"\x05\x56\x00\x53\x65\x72\x76\x65\x72\x4e\x61\x6d\x65\x3b\x53\x51"
		  "\x4c\x31\x3b\x49\x6e\x73\x74\x61\x6e\x63\x65\x4e\x61\x6d\x65\x3b"
		  "\x4d\x53\x53\x51\x4c\x53\x45\x52\x56\x45\x52\x3b\x49\x73\x43\x6c"
		  "\x75\x73\x74\x65\x72\x65\x64\x3b\x4e\x6f\x3b\x56\x65\x72\x73\x69"
		  "\x6f\x6e\x3b\x31\x35\x2e\x30\x2e\x32\x30\x30\x30\x2e\x35\x3b\x74"
		  "\x63\x70\x3b\x31\x34\x33\x33\x3b\x3b",
		  89 },
	/* CONNECT with a connect descriptor (YES once "(DESCRIPTION=" is held) */
	{ "tns_connect", "oracle", WS_PROTO_TCP, WS_DIR_TO_SERVER, 71,
		  (const uint8_t *)"\x00\xc9\x00\x00\x01\x00\x00\x00\x01\x3a\x01\x2c\x0c\x41\x20\x00"
		  "\xff\xff\x7f\x08\x00\x00\x01\x00\x00\x8f\x00\x3a\x00\x00\x08\x00"
		  "\x41\x41\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x28\x44\x45\x53\x43\x52"
		  "\x49\x50\x54\x49\x4f\x4e\x3d\x28\x43\x4f\x4e\x4e\x45\x43\x54\x5f"
		  "\x44\x41\x54\x41\x3d\x28\x53\x45\x52\x56\x49\x43\x45\x5f\x4e\x41"
		  "\x4d\x45\x3d\x4f\x52\x43\x4c\x29\x28\x43\x49\x44\x3d\x28\x50\x52"
		  "\x4f\x47\x52\x41\x4d\x3d\x73\x71\x6c\x70\x6c\x75\x73\x29\x28\x48"
		  "\x4f\x53\x54\x3d\x64\x62\x29\x28\x55\x53\x45\x52\x3d\x6f\x72\x61"
		  "\x63\x6c\x65\x29\x29\x29\x28\x41\x44\x44\x52\x45\x53\x53\x3d\x28"
		  "\x50\x52\x4f\x54\x4f\x43\x4f\x4c\x3d\x54\x43\x50\x29\x28\x48\x4f"
		  "\x53\x54\x3d\x31\x30\x2e\x30\x2e\x30\x2e\x31\x29\x28\x50\x4f\x52"
		  "\x54\x3d\x31\x35\x32\x31\x29\x29\x29",
		  201 },
	/* ACCEPT, version 314 */
	{ "tns_accept", "oracle", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 30,
		  (const uint8_t *)"\x00\x1e\x00\x00\x02\x00\x00\x00\x01\x3a\x08\x01\x20\x00\xff\xff"
		  "\x01\x00\x00\x00\x00\x20\x41\x41\x00\x00\x00\x00\x00\x00",
		  30 },
	/* REFUSE: ORA-12514 (YES once "(DESCRIPTION=" is held) */
	{ "tns_refuse", "oracle", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 25,
		  (const uint8_t *)"\x00\x5f\x00\x00\x04\x00\x00\x00\x22\x00\x00\x53\x28\x44\x45\x53"
		  "\x43\x52\x49\x50\x54\x49\x4f\x4e\x3d\x28\x54\x4d\x50\x3d\x29\x28"
		  "\x56\x53\x4e\x4e\x55\x4d\x3d\x30\x29\x28\x45\x52\x52\x3d\x31\x32"
		  "\x35\x31\x34\x29\x28\x45\x52\x52\x4f\x52\x5f\x53\x54\x41\x43\x4b"
		  "\x3d\x28\x45\x52\x52\x4f\x52\x3d\x28\x43\x4f\x44\x45\x3d\x31\x32"
		  "\x35\x31\x34\x29\x28\x45\x4d\x46\x49\x3d\x34\x29\x29\x29\x29",
		  95 },
	/* StartupMessage 3.0 */
	{ "pg_startup", "pgsql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 58,
		  (const uint8_t *)"\x00\x00\x00\x3a\x00\x03\x00\x00\x75\x73\x65\x72\x00\x70\x6f\x73"
		  "\x74\x67\x72\x65\x73\x00\x64\x61\x74\x61\x62\x61\x73\x65\x00\x64"
		  "\x62\x31\x00\x61\x70\x70\x6c\x69\x63\x61\x74\x69\x6f\x6e\x5f\x6e"
		  "\x61\x6d\x65\x00\x70\x73\x71\x6c\x00\x00",
		  58 },
	/* SSLRequest */
	{ "pg_ssl", "pgsql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 8,
		  (const uint8_t *)"\x00\x00\x00\x08\x04\xd2\x16\x2f",
		  8 },
	/* AuthenticationMD5Password */
	{ "pg_auth_md5", "pgsql", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 9,
		  (const uint8_t *)"\x52\x00\x00\x00\x0c\x00\x00\x00\x05\x01\x02\x03\x04",
		  13 },
	/* ErrorResponse: password authentication failed */
	{ "pg_error", "pgsql", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 72,
		  (const uint8_t *)"\x45\x00\x00\x00\x47\x53\x46\x41\x54\x41\x4c\x00\x56\x46\x41\x54"
		  "\x41\x4c\x00\x43\x32\x38\x50\x30\x31\x00\x4d\x70\x61\x73\x73\x77"
		  "\x6f\x72\x64\x20\x61\x75\x74\x68\x65\x6e\x74\x69\x63\x61\x74\x69"
		  "\x6f\x6e\x20\x66\x61\x69\x6c\x65\x64\x20\x66\x6f\x72\x20\x75\x73"
		  "\x65\x72\x20\x22\x78\x22\x00\x00",
		  72 },
	/* HandshakeV10, 8.0.36 */
	{ "mysql_greeting", "mysql", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 78,
		  (const uint8_t *)"\x4a\x00\x00\x00\x0a\x38\x2e\x30\x2e\x33\x36\x00\x0b\x00\x00\x00"
		  "\x61\x62\x63\x64\x65\x66\x67\x68\x00\xff\xff\xff\x02\x00\xff\xdf"
		  "\x15\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x69\x6a\x6b\x6c\x6d"
		  "\x6e\x6f\x70\x71\x72\x73\x74\x00\x63\x61\x63\x68\x69\x6e\x67\x5f"
		  "\x73\x68\x61\x32\x5f\x70\x61\x73\x73\x77\x6f\x72\x64\x00",
		  78 },
	/* HandshakeResponse41 for root */
	{ "mysql_response", "mysql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 36,
		  (const uint8_t *)"\x50\x00\x00\x01\x85\xa6\xa6\x00\x00\x00\x00\x01\xff\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x72\x6f\x6f\x74\x00\x14\x00\x01\x02\x03\x04\x05"
		  "\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x6d\x79"
		  "\x73\x71\x6c\x5f\x6e\x61\x74\x69\x76\x65\x5f\x70\x61\x73\x73\x77"
		  "\x6f\x72\x64\x00",
		  84 },
	/* SSLRequest */
	{ "mysql_ssl", "mysql", WS_PROTO_TCP, WS_DIR_TO_SERVER, 36,
		  (const uint8_t *)"\x20\x00\x00\x01\x85\xae\xa6\x00\x00\x00\x00\x01\xff\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00",
		  36 },
	/* ERR_Packet 1130 instead of a greeting */
	{ "mysql_error", "mysql", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 69,
		  (const uint8_t *)"\x41\x00\x00\x00\xff\x6a\x04\x48\x6f\x73\x74\x20\x27\x31\x30\x2e"
		  "\x30\x2e\x30\x2e\x39\x27\x20\x69\x73\x20\x6e\x6f\x74\x20\x61\x6c"
		  "\x6c\x6f\x77\x65\x64\x20\x74\x6f\x20\x63\x6f\x6e\x6e\x65\x63\x74"
		  "\x20\x74\x6f\x20\x74\x68\x69\x73\x20\x4d\x79\x53\x51\x4c\x20\x73"
		  "\x65\x72\x76\x65\x72",
		  69 },
	/* M-SEARCH */
	{ "ssdp_msearch", "ssdp", WS_PROTO_UDP, WS_DIR_TO_SERVER, 21,
		  (const uint8_t *)"\x4d\x2d\x53\x45\x41\x52\x43\x48\x20\x2a\x20\x48\x54\x54\x50\x2f"
		  "\x31\x2e\x31\x0d\x0a\x48\x4f\x53\x54\x3a\x20\x32\x33\x39\x2e\x32"
		  "\x35\x35\x2e\x32\x35\x35\x2e\x32\x35\x30\x3a\x31\x39\x30\x30\x0d"
		  "\x0a\x4d\x41\x4e\x3a\x20\x22\x73\x73\x64\x70\x3a\x64\x69\x73\x63"
		  "\x6f\x76\x65\x72\x22\x0d\x0a\x4d\x58\x3a\x20\x31\x0d\x0a\x53\x54"
		  "\x3a\x20\x73\x73\x64\x70\x3a\x61\x6c\x6c\x0d\x0a\x0d\x0a",
		  94 },
	/* NOTIFY ssdp:alive */
	{ "ssdp_notify", "ssdp", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 19,
		  (const uint8_t *)"\x4e\x4f\x54\x49\x46\x59\x20\x2a\x20\x48\x54\x54\x50\x2f\x31\x2e"
		  "\x31\x0d\x0a\x48\x4f\x53\x54\x3a\x20\x32\x33\x39\x2e\x32\x35\x35"
		  "\x2e\x32\x35\x35\x2e\x32\x35\x30\x3a\x31\x39\x30\x30\x0d\x0a\x4e"
		  "\x54\x3a\x20\x75\x70\x6e\x70\x3a\x72\x6f\x6f\x74\x64\x65\x76\x69"
		  "\x63\x65\x0d\x0a\x4e\x54\x53\x3a\x20\x73\x73\x64\x70\x3a\x61\x6c"
		  "\x69\x76\x65\x0d\x0a\x55\x53\x4e\x3a\x20\x75\x75\x69\x64\x3a\x32"
		  "\x66\x34\x30\x32\x66\x38\x30\x2d\x64\x61\x35\x30\x2d\x31\x31\x65"
		  "\x31\x2d\x39\x62\x32\x33\x2d\x30\x30\x31\x37\x38\x38\x30\x39\x65"
		  "\x61\x36\x36\x3a\x3a\x75\x70\x6e\x70\x3a\x72\x6f\x6f\x74\x64\x65"
		  "\x76\x69\x63\x65\x0d\x0a\x0d\x0a",
		  152 },
	/* search response */
	{ "ssdp_response", "ssdp", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 72,
		  (const uint8_t *)"\x48\x54\x54\x50\x2f\x31\x2e\x31\x20\x32\x30\x30\x20\x4f\x4b\x0d"
		  "\x0a\x43\x41\x43\x48\x45\x2d\x43\x4f\x4e\x54\x52\x4f\x4c\x3a\x20"
		  "\x6d\x61\x78\x2d\x61\x67\x65\x3d\x31\x38\x30\x30\x0d\x0a\x45\x58"
		  "\x54\x3a\x0d\x0a\x53\x54\x3a\x20\x75\x70\x6e\x70\x3a\x72\x6f\x6f"
		  "\x74\x64\x65\x76\x69\x63\x65\x0d\x0a\x55\x53\x4e\x3a\x20\x75\x75"
		  "\x69\x64\x3a\x32\x66\x34\x30\x32\x66\x38\x30\x3a\x3a\x75\x70\x6e"
		  "\x70\x3a\x72\x6f\x6f\x74\x64\x65\x76\x69\x63\x65\x0d\x0a\x0d\x0a",
		  112 },
	/* A query www.example.com */
	{ "dns_query", "dns", WS_PROTO_UDP, WS_DIR_TO_SERVER, 33,
		  (const uint8_t *)"\x1a\x2b\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03\x77\x77\x77"
		  "\x07\x65\x78\x61\x6d\x70\x6c\x65\x03\x63\x6f\x6d\x00\x00\x01\x00"
		  "\x01",
		  33 },
	/* A answer */
	{ "dns_response", "dns", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 33,
		  (const uint8_t *)"\x1a\x2b\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\x03\x77\x77\x77"
		  "\x07\x65\x78\x61\x6d\x70\x6c\x65\x03\x63\x6f\x6d\x00\x00\x01\x00"
		  "\x01\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\x5d\xb8\xd8"
		  "\x22",
		  49 },
	/* AXFR request over TCP */
	{ "dns_tcp_axfr", "dns", WS_PROTO_TCP, WS_DIR_TO_SERVER, 31,
		  (const uint8_t *)"\x00\x1d\x0c\x0d\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07\x65"
		  "\x78\x61\x6d\x70\x6c\x65\x03\x63\x6f\x6d\x00\x00\xfc\x00\x01",
		  31 },
	/* mDNS PTR query, unicast-response bit */
	{ "mdns_query", "dns", WS_PROTO_UDP, WS_DIR_TO_SERVER, 46,
		  (const uint8_t *)"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x09\x5f\x73\x65"
		  "\x72\x76\x69\x63\x65\x73\x07\x5f\x64\x6e\x73\x2d\x73\x64\x04\x5f"
		  "\x75\x64\x70\x05\x6c\x6f\x63\x61\x6c\x00\x00\x0c\x80\x01",
		  46 },
	/* mDNS announcement, no question */
	{ "mdns_announce", "dns", WS_PROTO_UDP, WS_DIR_TO_CLIENT, 37,
		  (const uint8_t *)"\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00\x07\x70\x72\x69"
		  "\x6e\x74\x65\x72\x05\x6c\x6f\x63\x61\x6c\x00\x00\x01\x80\x01\x00"
		  "\x00\x00\x78\x00\x04\xc0\xa8\x01\x14",
		  41 },
	/* GET request */
	{ "http_get", "http", WS_PROTO_TCP, WS_DIR_TO_SERVER, 25,
		  (const uint8_t *)"\x47\x45\x54\x20\x2f\x69\x6e\x64\x65\x78\x2e\x68\x74\x6d\x6c\x20"
		  "\x48\x54\x54\x50\x2f\x31\x2e\x31\x0d\x0a\x48\x6f\x73\x74\x3a\x20"
		  "\x65\x78\x61\x6d\x70\x6c\x65\x2e\x63\x6f\x6d\x0d\x0a\x55\x73\x65"
		  "\x72\x2d\x41\x67\x65\x6e\x74\x3a\x20\x63\x75\x72\x6c\x2f\x38\x2e"
		  "\x35\x2e\x30\x0d\x0a\x0d\x0a",
		  71 },
	/* 200 response */
	{ "http_response", "http", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 12,
		  (const uint8_t *)"\x48\x54\x54\x50\x2f\x31\x2e\x31\x20\x32\x30\x30\x20\x4f\x4b\x0d"
		  "\x0a\x43\x6f\x6e\x74\x65\x6e\x74\x2d\x4c\x65\x6e\x67\x74\x68\x3a"
		  "\x20\x30\x0d\x0a\x0d\x0a",
		  38 },
	/* ClientHello */
	{ "tls_client_hello", "tls", WS_PROTO_TCP, WS_DIR_TO_SERVER, 11,
		  (const uint8_t *)"\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03\x00\x01\x02\x03\x04"
		  "\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14"
		  "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x00\x00\x02\x13\x01"
		  "\x01\x00\x00\x00",
		  52 },
	/* ServerHello */
	{ "tls_server_hello", "tls", WS_PROTO_TCP, WS_DIR_TO_CLIENT, 11,
		  (const uint8_t *)"\x16\x03\x03\x00\x2c\x02\x00\x00\x28\x03\x03\x20\x21\x22\x23\x24"
		  "\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33\x34"
		  "\x35\x36\x37\x38\x39\x3a\x3b\x3c\x3d\x3e\x3f\x00\x13\x01\x00\x00"
		  "\x00",
		  49 },
	/* EXCSAT request DSS */
	{ "drda_excsat", "db2", WS_PROTO_TCP, WS_DIR_TO_SERVER, 8,
		  (const uint8_t *)"\x00\x12\xd0\x41\x00\x01\x00\x0c\x10\x41\x00\x08\x11\x5e\xc1\xc2"
		  "\xc3\xc4",
		  18 },
};

#define SAMPLE_CNT (sizeof samples / sizeof samples[0])

static const char *probe_name(enum ws_probe p)
{
	return p == WS_PROBE_YES ? "YES" : p == WS_PROBE_MAYBE ? "MAYBE" : "NO";
}

/* Runs p's probe on a private copy of bytes[0..len) (exact size: ASan sees overreads). */
static enum ws_probe run(const struct ws_proto *p, const uint8_t *bytes, size_t len,
			 enum ws_dir dir, uint8_t l4)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct ws_rd r;
	enum ws_probe res;

	assert_non_null(copy);
	if (len)
		memcpy(copy, bytes, len);
	ws_rd_init(&r, copy, len);
	struct ws_rd before = r;
	res = p->probe(&r, dir, l4);
	/* The probe must not move or mark the caller's reader. */
	assert_ptr_equal(r.cur, before.cur);
	assert_ptr_equal(r.end, before.end);
	assert_int_equal(r.err, WS_RD_OK);
	assert_int_equal(r.off, before.off);
	free(copy);
	return res;
}

static const struct ws_proto *must(const char *name)
{
	const struct ws_proto *p = ws_proto_by_name(name);

	if (!p)
		fail_msg("no protocol named %s", name);
	return p;
}

static void test_samples_yes(void **state)
{
	(void)state;
	for (size_t i = 0; i < SAMPLE_CNT; i++) {
		const struct sample *s = &samples[i];
		enum ws_probe res = run(must(s->proto), s->bytes, s->len, s->dir, s->l4);

		if (res != WS_PROBE_YES)
			fail_msg("%s: %s says %s", s->id, s->proto, probe_name(res));
	}
}

/* Every probe against every other protocol's samples: no false YES. Both
 * directions are tried, since mid-stream roles can be reversed. */
static void test_cross_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < SAMPLE_CNT; i++) {
		const struct sample *s = &samples[i];

		for (size_t k = 0; k < ws_proto_count(); k++) {
			const struct ws_proto *p = ws_proto_at(k);

			if (!p->probe || strcmp(p->name, s->proto) == 0)
				continue;
			for (int d = 0; d < 2; d++) {
				enum ws_probe res = run(p, s->bytes, s->len, (enum ws_dir)d, s->l4);

				if (res == WS_PROBE_YES)
					fail_msg("%s (%s) is YES for %s", s->id, s->proto, p->name);
			}
		}
	}
}

/* Each prefix: every probe runs clean; the own probe gives no YES before the
 * magic and, on TCP, no NO (a stream prefix is at worst MAYBE). */
static void test_truncations(void **state)
{
	(void)state;
	for (size_t i = 0; i < SAMPLE_CNT; i++) {
		const struct sample *s = &samples[i];
		const struct ws_proto *own = must(s->proto);

		for (size_t n = 0; n < s->len; n++) {
			for (size_t k = 0; k < ws_proto_count(); k++) {
				const struct ws_proto *p = ws_proto_at(k);

				if (p->probe && p != own)
					(void)run(p, s->bytes, n, s->dir, s->l4);
			}
			enum ws_probe res = run(own, s->bytes, n, s->dir, s->l4);
			if (n < s->magic_len && res == WS_PROBE_YES)
				fail_msg("%s: YES from %zu bytes (magic %zu)", s->id, n, s->magic_len);
			/* A login prompt is text: its prefixes are just text (NO). */
			if (s->l4 == WS_PROTO_TCP && n > 0 && res == WS_PROBE_NO &&
			    strcmp(s->id, "telnet_login") != 0)
				fail_msg("%s: NO on a %zu-byte prefix", s->id, n);
		}
	}
}

/* Hand-made inputs with the answer each probe must give. */
struct neg {
	const char *what;
	const char *proto;
	uint8_t l4;
	const char *bytes;
	size_t len;
	enum ws_probe want;
};

#define NEG(what, proto, l4, lit, want) { what, proto, WS_PROTO_##l4, lit, sizeof(lit) - 1, WS_PROBE_##want }

static const struct neg negs[] = {
	NEG("SMTP greeting is not FTP", "ftp", TCP, "220 mail.example.com ESMTP Postfix\r\n", MAYBE),
	NEG("a 220 greeting not naming FTP", "ftp", TCP, "220 Welcome\r\n", MAYBE),
	NEG("USER is POP3's too", "ftp", TCP, "USER bob\r\n", MAYBE),
	NEG("POP3 greeting", "ftp", TCP, "+OK POP3 server ready\r\n", NO),
	NEG("reply code 600", "ftp", TCP, "600 what\r\n", NO),
	NEG("binary line", "ftp", TCP, "220 \x01\x02 FTP\r\n", NO),
	NEG("SMB2 shorter than its header", "smb", TCP, "\x00\x00\x00\x10\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00", NO),
	NEG("SMB2 StructureSize 65", "smb", TCP,
	    "\x00\x00\x00\x68\xfeSMB\x41\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00", NO),
	NEG("SMB2 command 0x13", "smb", TCP,
	    "\x00\x00\x00\x68\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x13\x00\x01\x00", NO),
	NEG("SMB1 WordCount past the length", "smb", TCP,
	    "\x00\x00\x00\x23\xffSMB\x72\x00\x00\x00\x00\x18\x53\xc8\x00\x00\x00\x00\x00\x00\x00\x00"
	    "\x00\x00\x00\x00\xff\xff\xfe\xff\x00\x00\x00\x00\x11\x00\x00", NO),
	NEG("'SMB' magic with a wrong first byte", "smb", TCP, "\x00\x00\x00\x68\xfbSMB", NO),
	NEG("session request: smb waits", "smb", TCP, "\x81\x00\x00\x44\x20\x45", MAYBE),
	NEG("session message with SMB: netbios-ssn leaves it to smb", "netbios-ssn", TCP,
	    "\x00\x00\x00\x68\xfeSMB\x40\x00", MAYBE),
	NEG("NBSS reserved flag bits", "netbios-ssn", TCP, "\x82\x02\x00\x00", NO),
	NEG("NBSS positive response with a body", "netbios-ssn", TCP, "\x82\x00\x00\x01\x00", NO),
	NEG("NBSS negative response, unknown code", "netbios-ssn", TCP, "\x83\x00\x00\x01\x10", NO),
	NEG("NBSS type 0x86", "netbios-ssn", TCP, "\x86\x00\x00\x00", NO),
	NEG("NBSS keepalive", "netbios-ssn", TCP, "\x85\x00\x00\x00", YES),
	NEG("NBSS retarget", "netbios-ssn", TCP, "\x84\x00\x00\x06\x0a\x00\x00\x01\x00\x8b", YES),
	NEG("session request, name not encoded", "netbios-ssn", TCP,
	    "\x81\x00\x00\x44\x20" "abcdefghijklmnopabcdefghijklmnop", NO),
	NEG("NBNS opcode 3", "netbios-ns", UDP,
	    "\x00\x01\x18\x00\x00\x01\x00\x00\x00\x00\x00\x00\x20", NO),
	NEG("NBNS reserved NM_FLAGS bits", "netbios-ns", UDP,
	    "\x00\x01\x00\x40\x00\x01\x00\x00\x00\x00\x00\x00\x20", NO),
	NEG("NBNS request with answers", "netbios-ns", UDP,
	    "\x00\x01\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00\x20", NO),
	NEG("NBNS query over TCP", "netbios-ns", TCP, "\x00\x01\x01\x10\x00\x01\x00\x00\x00\x00\x00\x00", NO),
	NEG("NBDGM reserved flag bits", "netbios-dgm", UDP, "\x11\x12\x00\x01\x0a\x00\x00\x01\x00\x8a", NO),
	NEG("NBDGM length disagrees", "netbios-dgm", UDP,
	    "\x11\x02\x00\x01\x0a\x00\x00\x01\x00\x8a\x00\x50\x00\x00\x20\x41", NO),
	NEG("NBDGM type 0x17", "netbios-dgm", UDP, "\x17\x02\x00\x01", NO),
	NEG("DNS opcode 3", "dns", UDP,
	    "\x00\x01\x18\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x61\x00\x00\x01\x00\x01", NO),
	NEG("DNS Z bit", "dns", UDP,
	    "\x00\x01\x01\x40\x00\x01\x00\x00\x00\x00\x00\x00\x01\x61\x00\x00\x01\x00\x01", NO),
	NEG("DNS query without question", "dns", UDP,
	    "\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", NO),
	NEG("DNS counts larger than the message", "dns", UDP,
	    "\x00\x01\x81\x80\x00\x01\x00\x09\x00\x00\x00\x00\x01\x61\x00\x00\x01\x00\x01", NO),
	NEG("DNS lone query with trailing bytes", "dns", UDP,
	    "\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x61\x00\x00\x01\x00\x01\x00", NO),
	NEG("DNS class 7", "dns", UDP,
	    "\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x61\x00\x00\x01\x00\x07", NO),
	NEG("DNS label of 64", "dns", UDP,
	    "\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x40\x61\x00\x00\x01\x00\x01", NO),
	NEG("DNS over TCP, length under a header", "dns", TCP, "\x00\x05\x00\x01\x01\x00\x00", NO),
	NEG("NetBIOS-looking name with a damaged byte: dns leaves it to the port", "dns", UDP,
	    "\x84\xe7\x01\x10\x00\x01\x00\x00\x00\x00\x00\x00\x20"
	    "EFEDEJFPEEEPENEBEJEOSACACACACABM\x00\x00\x20\x00\x01", MAYBE),
	NEG("the same, netbios-ns: not encoded, NO", "netbios-ns", UDP,
	    "\x84\xe7\x01\x10\x00\x01\x00\x00\x00\x00\x00\x00\x20"
	    "EFEDEJFPEEEPENEBEJEOSACACACACABM\x00\x00\x20\x00\x01", NO),
	NEG("TDS window not 0", "mssql", TCP, "\x12\x01\x00\x08\x00\x00\x01\x01", NO),
	NEG("TDS type 5", "mssql", TCP, "\x05\x01\x00\x08\x00\x00\x01\x00", NO),
	NEG("TDS undefined status bit", "mssql", TCP, "\x12\x04\x00\x08\x00\x00\x01\x00", NO),
	NEG("TDS length under a header", "mssql", TCP, "\x12\x01\x00\x04\x00\x00\x01\x00", NO),
	NEG("TDS attention", "mssql", TCP, "\x06\x01\x00\x08\x00\x00\x01\x00", YES),
	NEG("TDS packet followed by garbage", "mssql", TCP, "\x06\x01\x00\x08\x00\x00\x01\x00\x99", NO),
	NEG("TDS pre-login without VERSION first", "mssql", TCP,
	    "\x12\x01\x00\x0e\x00\x00\x01\x00\x01\x00\x06\x00\x01\xff", NO),
	NEG("SSRP broadcast: one byte is too little", "mssql", UDP, "\x02", MAYBE),
	NEG("SSRP response, size disagrees", "mssql", UDP, "\x05\x30\x00ServerName;A;", NO),
	NEG("TNS checksum set", "oracle", TCP, "\x00\x3a\x12\x34\x01\x00\x00\x00\x01\x3a\x01\x2c", NO),
	NEG("TNS type 8", "oracle", TCP, "\x00\x08\x00\x00\x08\x00\x00\x00", NO),
	NEG("TNS connect version 200", "oracle", TCP,
	    "\x00\x3a\x00\x00\x01\x00\x00\x00\x00\xc8\x00\xc8\x0c\x41\x20\x00\xff\xff\x7f\x08\x00\x00\x01\x00"
	    "\x00\x00\x00\x3a", NO),
	NEG("TNS data packet", "oracle", TCP, "\x00\x0b\x00\x00\x06\x00\x00\x00\x00\x00\x01", MAYBE),
	NEG("PG protocol 2.0 startup", "pgsql", TCP, "\x00\x00\x00\x09\x00\x02\x00\x00\x00", NO),
	NEG("PG SSLRequest of length 9", "pgsql", TCP, "\x00\x00\x00\x09\x04\xd2\x16\x2f\x00", NO),
	NEG("PG 'N' refusing SSL: one byte", "pgsql", TCP, "N", MAYBE),
	NEG("PG auth ok with a wrong length", "pgsql", TCP, "R\x00\x00\x00\x0c\x00\x00\x00\x00", NO),
	NEG("PG startup, key not printable", "pgsql", TCP, "\x00\x00\x00\x0b\x00\x03\x00\x00\x01\x00\x00", NO),
	NEG("MySQL greeting, sequence 2", "mysql", TCP, "\x05\x00\x00\x02\x0a\x35\x2e\x30\x00", NO),
	NEG("MySQL greeting, filler not 0", "mysql", TCP,
	    "\x1a\x00\x00\x00\x0a" "5.7\x00" "\x01\x00\x00\x00" "abcdefgh" "\x01" "\xff\xff" "\x08\x02\x00\x00\x00\x00", NO),
	NEG("MySQL response without 4.1 flag", "mysql", TCP,
	    "\x20\x00\x00\x01\x85\x00\x00\x00\x00\x00\x00\x01\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", NO),
	NEG("SSH-3.0", "ssh", TCP, "SSH-3.0-x\r\n", NO),
	NEG("SSH, empty software version", "ssh", TCP, "SSH-2.0-\r\n", NO),
	NEG("SSH, no dash", "ssh", TCP, "SSH-2.0 OpenSSH\r\n", NO),
	NEG("TLS version 3.5", "tls", TCP, "\x16\x03\x05\x00\x30\x01", NO),
	NEG("TLS application data, cut short", "tls", TCP, "\x17\x03\x03\x00\x20\x11\x22", MAYBE),
	NEG("TLS application data, whole", "tls", TCP, "\x17\x03\x03\x00\x02\x11\x22", YES),
	NEG("TLS application data, then another record", "tls", TCP, "\x17\x03\x03\x00\x01\x11\x15\x03\x03", YES),
	NEG("TLS application data, then garbage", "tls", TCP, "\x17\x03\x03\x00\x01\x11\x99\x03\x03", NO),
	NEG("TLS change cipher spec of 2 bytes", "tls", TCP, "\x14\x03\x03\x00\x02\x01\x01", NO),
	NEG("TLS change cipher spec", "tls", TCP, "\x14\x03\x03\x00\x01\x01", YES),
	NEG("TLS hello longer than its record", "tls", TCP, "\x16\x03\x01\x00\x30\x01\x00\x01\x00\x03\x03", NO),
	NEG("TLS record over the maximum", "tls", TCP, "\x16\x03\x01\x48\x01\x01", NO),
	NEG("HTTP/2.0 in a request line", "http", TCP, "GET / HTTP/2.0\r\n", NO),
	NEG("unknown method", "http", TCP, "HELLO / HTTP/1.1\r\n", NO),
	NEG("no target", "http", TCP, "GET  HTTP/1.1\r\n", NO),
	NEG("status 600", "http", TCP, "HTTP/1.1 600 X\r\n", NO),
	NEG("method word cut short", "http", TCP, "PROP", MAYBE),
	NEG("request line not ended yet", "http", TCP, "GET /very/long/path", MAYBE),
	NEG("SSDP over TCP", "ssdp", TCP, "M-SEARCH * HTTP/1.1\r\n", NO),
	NEG("HTTP response over UDP without ST/USN", "ssdp", UDP, "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", NO),
	NEG("M-SEARCH with a path target", "ssdp", UDP, "M-SEARCH / HTTP/1.1\r\n\r\n", NO),
	NEG("telnet IAC with a data byte", "telnet", TCP, "\xff\x10\x01", NO),
	NEG("telnet WILL an unassigned option", "telnet", TCP, "\xff\xfb\x99", NO),
	NEG("telnet text without a prompt", "telnet", TCP, "hello world\r\n", NO),
	NEG("telnet IAC cut short", "telnet", TCP, "\xff\xfd", MAYBE),
	NEG("DRDA DDM length disagrees", "db2", TCP, "\x00\x12\xd0\x41\x00\x01\x00\x0b\x10\x41", NO),
	NEG("DRDA DSS type 0", "db2", TCP, "\x00\x12\xd0\x40\x00\x01\x00\x0c\x10\x41", NO),
	NEG("DRDA no magic", "db2", TCP, "\x00\x12\xd1\x41\x00\x01\x00\x0c\x10\x41", NO),
};

static void test_negatives(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof negs / sizeof negs[0]; i++) {
		const struct neg *n = &negs[i];
		const struct ws_proto *p = must(n->proto);

		for (int d = 0; d < 2; d++) {
			enum ws_probe res = run(p, (const uint8_t *)n->bytes, n->len, (enum ws_dir)d, n->l4);

			if (res != n->want)
				fail_msg("%s (%s): %s, want %s", n->what, n->proto, probe_name(res),
					 probe_name(n->want));
		}
	}
}

/* A TCP-only probe says NO to UDP and the other way round; nothing on l4 0. */
static void test_wrong_transport(void **state)
{
	(void)state;
	for (size_t i = 0; i < SAMPLE_CNT; i++) {
		const struct sample *s = &samples[i];
		const struct ws_proto *p = must(s->proto);
		uint8_t other = s->l4 == WS_PROTO_TCP ? WS_PROTO_UDP : WS_PROTO_TCP;

		if (!(p->l4 & other))
			assert_int_equal(run(p, s->bytes, s->len, s->dir, other), WS_PROBE_NO);
		assert_int_equal(run(p, s->bytes, s->len, s->dir, 0), WS_PROBE_NO);
	}
}

/* Big and hostile inputs: all 0xff, all 0x00, a length field of 0xffff over
 * few bytes; every probe, both transports, no crash and no YES from filler. */
static void test_filler(void **state)
{
	static uint8_t buf[70000];
	const uint8_t fills[] = { 0x00, 0xff, 0x20, 'A', 0x16 };

	(void)state;
	for (size_t f = 0; f < sizeof fills; f++) {
		memset(buf, fills[f], sizeof buf);
		for (size_t k = 0; k < ws_proto_count(); k++) {
			const struct ws_proto *p = ws_proto_at(k);

			if (!p->probe)
				continue;
			for (uint8_t l4 = 1; l4 <= 2; l4++) {
				enum ws_probe res = run(p, buf, sizeof buf, WS_DIR_TO_SERVER, l4);

				if (res == WS_PROBE_YES)
					fail_msg("%s says YES to %zu bytes of 0x%02x", p->name, sizeof buf, fills[f]);
			}
		}
	}
}

static void test_registry(void **state)
{
	(void)state;
	assert_true(ws_proto_count() >= 17);
	assert_null(ws_proto_at(ws_proto_count()));
	for (size_t i = 0; i < ws_proto_count(); i++) {
		const struct ws_proto *p = ws_proto_at(i);

		assert_non_null(p);
		assert_non_null(p->name);
		assert_non_null(p->label);
		assert_non_null(p->spec);
		assert_ptr_equal(ws_proto_by_name(p->name), p);
		assert_true(p->l4 & (WS_PROTO_TCP | WS_PROTO_UDP));
		/* A decoder keeps per-flow state and is fed; gap and close need a feed. */
		if (p->feed)
			assert_true(p->state_size > 0);
		if (p->gap || p->close)
			assert_non_null(p->feed);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ws_proto_at(j)->name, p->name);
		/* Ports agree with the transports and with the port switch. */
		for (uint8_t l4 = 1; l4 <= 2; l4++) {
			const uint16_t *ports = l4 == WS_PROTO_TCP ? p->tcp_ports : p->udp_ports;

			if (!(p->l4 & l4))
				assert_int_equal(ports[0], 0);
			for (size_t k = 0; k < WS_PROTO_PORTS_MAX && ports[k]; k++) {
				const struct ws_proto *q = ws_proto_by_port(l4, ports[k]);

				assert_true(ws_proto_has_port(p, l4, ports[k]));
				if (!q)
					fail_msg("%s port %u/%u is not in the switch", p->name, ports[k], l4);
				assert_true(ws_proto_has_port(q, l4, ports[k]));
			}
		}
	}
	/* Every port the switch answers for is in its protocol's list. */
	for (uint32_t port = 0; port <= 65535; port++)
		for (uint8_t l4 = 1; l4 <= 2; l4++) {
			const struct ws_proto *q = ws_proto_by_port(l4, (uint16_t)port);

			if (q && !ws_proto_has_port(q, l4, (uint16_t)port))
				fail_msg("switch: %u/%u -> %s, not in its list", port, l4, q->name);
		}
	assert_null(ws_proto_by_name("nosuch"));
	assert_null(ws_proto_by_name(NULL));
	assert_null(ws_proto_by_name(""));
	assert_int_equal(ws_proto_has_port(NULL, WS_PROTO_TCP, 445), 0);
}

static void test_by_port(void **state)
{
	static const struct {
		uint8_t l4;
		uint16_t port;
		const char *name;
	} want[] = {
		{ WS_PROTO_UDP, 137, "netbios-ns" }, { WS_PROTO_UDP, 138, "netbios-dgm" },
		{ WS_PROTO_TCP, 139, "netbios-ssn" }, { WS_PROTO_TCP, 445, "smb" },
		{ WS_PROTO_TCP, 21, "ftp" }, { WS_PROTO_TCP, 20, "ftp-data" },
		{ WS_PROTO_TCP, 23, "telnet" }, { WS_PROTO_TCP, 22, "ssh" },
		{ WS_PROTO_TCP, 1433, "mssql" }, { WS_PROTO_UDP, 1434, "mssql" },
		{ WS_PROTO_TCP, 1521, "oracle" }, { WS_PROTO_TCP, 1520, "oracle" },
		{ WS_PROTO_TCP, 5432, "pgsql" }, { WS_PROTO_TCP, 3306, "mysql" },
		{ WS_PROTO_UDP, 1900, "ssdp" }, { WS_PROTO_UDP, 53, "dns" }, { WS_PROTO_TCP, 53, "dns" },
		{ WS_PROTO_UDP, 5353, "dns" }, { WS_PROTO_UDP, 5355, "dns" },
		{ WS_PROTO_TCP, 80, "http" }, { WS_PROTO_TCP, 8080, "http" },
		{ WS_PROTO_TCP, 443, "tls" }, { WS_PROTO_TCP, 50000, "db2" },
		{ WS_PROTO_UDP, 139, NULL }, { WS_PROTO_TCP, 137, NULL }, { WS_PROTO_UDP, 445, NULL },
		{ WS_PROTO_TCP, 1434, "mssql" }, { WS_PROTO_UDP, 443, NULL }, { WS_PROTO_TCP, 0, NULL },
		{ WS_PROTO_TCP, 65535, NULL }, { 0, 445, NULL }, { 3, 445, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct ws_proto *p = ws_proto_by_port(want[i].l4, want[i].port);

		if (!want[i].name) {
			if (p)
				fail_msg("%u/%u -> %s, want none", want[i].port, want[i].l4, p->name);
			continue;
		}
		if (!p || strcmp(p->name, want[i].name) != 0)
			fail_msg("%u/%u -> %s, want %s", want[i].port, want[i].l4, p ? p->name : "none",
				 want[i].name);
	}
	/* TCP 139 names netbios-ssn, but smb is registered there too. */
	assert_true(ws_proto_has_port(must("smb"), WS_PROTO_TCP, 139));
	assert_null(must("ftp-data")->probe);
}

static void test_labels(void **state)
{
	static const char *const want[][2] = {
		{ "netbios-ns", "NBNS" }, { "netbios-dgm", "NBDGM" }, { "netbios-ssn", "NBSS" },
		{ "smb", "SMB" }, { "ftp", "FTP" }, { "ftp-data", "FTP-DATA" }, { "telnet", "TELNET" },
		{ "ssh", "SSH" }, { "mssql", "TDS" }, { "oracle", "TNS" }, { "pgsql", "PGSQL" },
		{ "mysql", "MySQL" }, { "ssdp", "SSDP" }, { "dns", "DNS" }, { "http", "HTTP" },
		{ "tls", "TLS" }, { "db2", "DRDA" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(must(want[i][0])->label, want[i][1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_by_port),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_samples_yes),
		cmocka_unit_test(test_cross_matrix),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_wrong_transport),
		cmocka_unit_test(test_filler),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
