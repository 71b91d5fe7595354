/*
 * timefmt.c - timestamp formatting (see timefmt.h).
 */
#include <stdio.h>
#include <time.h>

#include "core/timefmt.h"

static void split(int64_t ns, time_t *sec, long *frac_ns)
{
	int64_t s = ns / WS_NS_PER_SEC;
	int64_t f = ns % WS_NS_PER_SEC;

	if (f < 0) {
		f += WS_NS_PER_SEC;
		s -= 1;
	}
	*sec = (time_t)s;
	*frac_ns = (long)f;
}

const char *ws_time_rfc3339(int64_t ns, char buf[WS_TIME_STRLEN])
{
	time_t sec;
	long frac;
	struct tm tm;

	split(ns, &sec, &frac);
	gmtime_r(&sec, &tm);
	snprintf(buf, WS_TIME_STRLEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, frac / 1000);
	return buf;
}

const char *ws_time_human(int64_t ns, char buf[WS_TIME_STRLEN])
{
	time_t sec;
	long frac;
	struct tm tm;

	split(ns, &sec, &frac);
	gmtime_r(&sec, &tm);
	snprintf(buf, WS_TIME_STRLEN, "%04d-%02d-%02d %02d:%02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}
