/*
 * pktline.h - one text line per packet, laid out as tshark's default output
 * (`tshark -r FILE`, Wireshark 4.0):
 *
 *     No.  Time        Source → Destination  Protocol Length Info
 *     "    3   0.002572  192.168.0.2 → 192.168.0.1  TCP 66 1550 → 23 [ACK] Seq=1 Ack=1 ..."
 *
 * Columns: number right-aligned in at least 5; relative seconds right-aligned
 * in at least 10; source right-aligned in at least 12; " → "; destination
 * left-aligned in at least 12; then protocol, frame length (wirelen) and Info,
 * separated by single spaces. Info is the parser's text when a parser spoke,
 * else tshark's transport summary (TCP flags with relative sequence numbers,
 * UDP ports and length, ICMP/ICMPv6 type, code and echo ids). Bytes outside
 * printable ASCII in the parser's text are written as \xHH, so a hostile
 * payload cannot drive the terminal.
 *
 * Known differences from tshark (we do not keep its per-flow analysis): no
 * window scaling of Win= (wire value shown), no [TCP Retransmission] /
 * [TCP Dup ACK] / "(request in N)" analysis notes, no SACK block edges
 * (SLE/SRE), MAC addresses unresolved (tshark prints "Apple_cf:75:28"), TCP
 * options listed in the order of the common stack layout that matches the
 * options present (the decoder does not keep their wire order), ARP Info not
 * decoded, IP fragment offsets not shown.
 */
#ifndef WS_OUTPUT_PKTLINE_H
#define WS_OUTPUT_PKTLINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/limits.h"
#include "decode/decode.h"
#include "flow/flow.h"

/*
 * One formatted line: the columns (at most ~200 bytes) plus an Info text of
 * WS_INFO_MAX bytes escaped at up to 4 bytes each, with room to spare.
 */
#define WS_PKTLINE_MAX (WS_INFO_MAX * 4u + 512u)

/*
 * Formats the line for p (no newline) into buf (cap bytes, always
 * NUL-terminated when cap > 0; cut if it does not fit) and returns its length.
 * f is p's flow or NULL; dir its direction in f. app_label / app_info are the
 * parser's Protocol column and Info text, or NULL. first_ts_ns is the time of
 * the first packet (the Time column is relative to it). decimals is the
 * precision of the Time column (tshark shows the capture's own: 6 for
 * microsecond files, 9 for nanosecond ones); clamped to 0..9.
 */
size_t ws_pktline_format(char *buf, size_t cap, const struct ws_packet *p, const struct ws_flow *f,
			 enum ws_dir dir, const char *app_label, const char *app_info,
			 int64_t first_ts_ns, int decimals);

/* Writes the line and a newline to out, with 6 decimals (microsecond captures). */
void ws_pktline_print(FILE *out, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir,
		      const char *app_label, const char *app_info, int64_t first_ts_ns);

#endif
