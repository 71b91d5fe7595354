/*
 * smbkb.c - SMB names (see smbkb.h). Starter tables; issue 3 completes them.
 */
#include <stddef.h>
#include <string.h>

#include "kb/smbkb.h"

struct tok32 {
	uint32_t v;
	const char *s;
};

static const char *find32(const struct tok32 *t, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return NULL;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct tok32 nt_status[] = {
	{ 0x00000000, "STATUS_SUCCESS" },
	{ 0xc0000016, "STATUS_MORE_PROCESSING_REQUIRED" },
	{ 0xc000006d, "STATUS_LOGON_FAILURE" },
	{ 0xc0000022, "STATUS_ACCESS_DENIED" },
};

const char *ws_kb_nt_status_name(uint32_t status)
{
	return find32(nt_status, N(nt_status), status);
}

static const struct tok32 smb1_cmds[] = {
	{ 0x72, "SMB_COM_NEGOTIATE" },
	{ 0x73, "SMB_COM_SESSION_SETUP_ANDX" },
	{ 0x74, "SMB_COM_LOGOFF_ANDX" },
	{ 0x75, "SMB_COM_TREE_CONNECT_ANDX" },
	{ 0x25, "SMB_COM_TRANSACTION" },
};

const char *ws_kb_smb1_cmd_name(uint8_t cmd)
{
	return find32(smb1_cmds, N(smb1_cmds), cmd);
}

static const struct tok32 smb1_mnemonics[] = {
	{ 0x72, "SMBr" }, { 0x73, "SMBs" }, { 0x75, "SMBu" }, { 0x25, "SMB%" }, { 0x74, "SMBt" },
};

const char *ws_kb_smb1_mnemonic(uint8_t cmd)
{
	return find32(smb1_mnemonics, N(smb1_mnemonics), cmd);
}

static const char *const smb2_cmds[] = {
	"NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT", "TREE_DISCONNECT", "CREATE", "CLOSE",
	"FLUSH", "READ", "WRITE", "LOCK", "IOCTL", "CANCEL", "ECHO", "QUERY_DIRECTORY",
	"CHANGE_NOTIFY", "QUERY_INFO", "SET_INFO", "OPLOCK_BREAK",
};

const char *ws_kb_smb2_cmd_name(uint16_t cmd)
{
	return cmd < N(smb2_cmds) ? smb2_cmds[cmd] : NULL;
}

static const struct tok32 dialects[] = {
	{ 0x0202, "2.0.2" }, { 0x0210, "2.1" }, { 0x0300, "3.0" }, { 0x0302, "3.0.2" }, { 0x0311, "3.1.1" },
	{ 0x02ff, "2.???" },
};

const char *ws_kb_smb2_dialect_name(uint16_t dialect)
{
	return find32(dialects, N(dialects), dialect);
}

static const struct tok32 fsctls[] = {
	{ 0x0011c017, "FSCTL_PIPE_TRANSCEIVE" },
	{ 0x00140204, "FSCTL_VALIDATE_NEGOTIATE_INFO" },
};

const char *ws_kb_fsctl_name(uint32_t code)
{
	return find32(fsctls, N(fsctls), code);
}
