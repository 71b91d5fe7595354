/*
 * kbprint.h - the `wiresift port ARG` and `wiresift nbname ARG` commands'
 * printing: the knowledge base (kb/kb.h) rendered as plain English for an
 * analyst.
 *
 * Contract: results go to out, a one-line usage message to err; nothing else
 * is written, nothing is kept between calls. The return value is the exit
 * status for main.c: 0 done, 1 not found (nbname only), 2 malformed argument.
 */
#ifndef WS_OUTPUT_KBPRINT_H
#define WS_OUTPUT_KBPRINT_H

#include <stdio.h>

/*
 * arg: "445", "1900/udp", "23/tcp" (the transport in any case; port 0-65535).
 * Prints every matching row (TCP and UDP when no transport is given; a row
 * covering both is printed once as "N/tcp+udp") with class, service,
 * description, risk and note, trojans and source. A port with no row still
 * prints its class and "no known service". Returns 0, or 2 if arg is
 * malformed (message to err).
 */
int ws_kbprint_port(FILE *out, FILE *err, const char *arg);

/*
 * arg is one of:
 *   a suffix: one or two hex digits, "1B", "0x1b" or "<1B>": every row for it;
 *   a first-level encoded name, 32 characters 'A'..'P'
 *   ("EDEMEJEFEOFEEFCACACACACACACACACA"): the decoded "CLIENTE<20>" with the
 *   meaning and type of its suffix;
 *   a name with its suffix, "CLIENTE<20>" (name at most 15 bytes): its
 *   encoding and meaning. "__MSBROWSE__<01>" stands for the real name
 *   01 02 "__MSBROWSE__" 02.
 * Bytes outside printable ASCII are shown as \xNN. Returns 0; 1 if the
 * suffix has no known meaning (what could be decoded or encoded is still
 * printed); 2 if arg is malformed (message to err).
 */
int ws_kbprint_nbname(FILE *out, FILE *err, const char *arg);

#endif /* WS_OUTPUT_KBPRINT_H */
