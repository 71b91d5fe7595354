/*
 * smbkb.h - names for SMB: NT status codes [MS-ERREF] 2.3, SMB1 commands
 * [MS-CIFS] 2.2.2.1, SMB2 commands [MS-SMB2] 2.2.1, dialects, FSCTL codes,
 * DCE/RPC interfaces and operations. Static tables; NULL when unknown.
 */
#ifndef WS_KB_SMBKB_H
#define WS_KB_SMBKB_H

#include <stdint.h>

const char *ws_kb_nt_status_name(uint32_t status);	/* "STATUS_LOGON_FAILURE" */
const char *ws_kb_smb1_cmd_name(uint8_t cmd);		/* "SMB_COM_NEGOTIATE" */
const char *ws_kb_smb1_mnemonic(uint8_t cmd);		/* seed 000: 0x72 "SMBr", 0x73 "SMBs", 0x75 "SMBu", 0x25 "SMB%", 0x74 "SMBt" */
const char *ws_kb_smb2_cmd_name(uint16_t cmd);		/* "NEGOTIATE", "SESSION_SETUP", ... */
const char *ws_kb_smb2_dialect_name(uint16_t dialect);	/* 0x0311 -> "3.1.1"; 0x02ff -> "2.???" */
const char *ws_kb_fsctl_name(uint32_t code);		/* "FSCTL_PIPE_TRANSCEIVE" */
/* uuid as 16 bytes in wire order (little-endian fields, C706 A.1 / MS-RPCE 2.2.2.1). */
const char *ws_kb_dcerpc_iface_name(const uint8_t uuid[16]);
const char *ws_kb_dcerpc_op_name(const char *iface, uint16_t opnum);

#endif
