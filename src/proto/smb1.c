/*
 * smb1.c - placeholder; being written (issue 3).
 */
extern int ws_smb1_placeholder;
