/*
 * login.c - placeholder; being written (issue 3).
 */
extern int ws_login_placeholder;
