/*
 * view.h - a borrowed run of bytes (from ws_rd_view) and the helpers that may
 * touch it: bounded copies, escaping, UTF-16LE decoding, comparison.
 *
 * A view never owns its bytes; it is valid as long as the buffer it was taken
 * from (a packet, or a reassembled stream chunk). Copy what must outlive that.
 */
#ifndef WS_CORE_VIEW_H
#define WS_CORE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ws_view {
	const uint8_t *p;
	size_t len;
};

/*
 * Copies the view into dst (cap bytes, always NUL-terminated when cap > 0), with
 * bytes outside printable ASCII written as \xHH. Returns 1 if it all fit, 0 if
 * the copy was truncated (the caller sets its event's truncated flag).
 */
int ws_view_cstr(struct ws_view v, char *dst, size_t cap);
/* UTF-16LE to UTF-8 (unpaired surrogates become U+FFFD), NUL-terminated; 1 if all fit. */
int ws_view_utf16le(struct ws_view v, char *dst, size_t cap);
bool ws_view_eq(struct ws_view v, const char *s);
bool ws_view_eq_ci(struct ws_view v, const char *s);
bool ws_view_prefix_ci(struct ws_view v, const char *s);
/* Are all bytes printable ASCII or tab? */
bool ws_view_printable(struct ws_view v);

#endif
