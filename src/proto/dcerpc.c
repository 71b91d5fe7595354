/*
 * dcerpc.c - placeholder; being written (issue 3).
 */
extern int ws_dcerpc_placeholder;
