/*
 * timefmt.h - timestamps: nanoseconds since the Unix epoch (int64_t, good to
 * the year 2262), formatted as RFC 3339 UTC with microseconds.
 */
#ifndef WS_CORE_TIMEFMT_H
#define WS_CORE_TIMEFMT_H

#include <stdint.h>

#define WS_NS_PER_SEC 1000000000LL
#define WS_TIME_STRLEN 96	/* room for any int the formats could print */

/* "2026-11-22T03:49:05.123456Z" */
const char *ws_time_rfc3339(int64_t ns, char buf[WS_TIME_STRLEN]);
/* "2026-11-22 03:49:05" (UTC), for reports. */
const char *ws_time_human(int64_t ns, char buf[WS_TIME_STRLEN]);

#endif
