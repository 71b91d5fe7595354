/*
 * smb2.c - placeholder; being written (issue 3).
 */
extern int ws_smb2_placeholder;
