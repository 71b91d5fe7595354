/*
 * ntlmssp.c - placeholder; being written (issue 3).
 */
extern int ws_ntlmssp_placeholder;
