/*
 * tz.h - the time zone of hour-of-day and day-of-week slots ([sizing]
 * timezone of capplan.conf).
 *
 * UTC by default.  Another zone is a tz database name (Europe/Berlin)
 * that must exist under the zoneinfo folder ($TZDIR, else
 * /usr/share/zoneinfo): the C library would silently take an unknown
 * name for UTC.  It is set once for the process (TZ, tzset()); a
 * timestamp's local time is then found at that instant, so daylight
 * saving days have 23 or 25 local hours: the hour skipped in spring
 * gets no sample, the hour repeated in autumn gets two hours' samples.
 * USED BY: capplan.
 */
#ifndef COMMON_TZ_H
#define COMMON_TZ_H

#include <stdint.h>

/* Use zone name ("UTC" or "" for UTC).  -1 with ERROR_DATA when the
 * name is not a zone of the tz database. */
int tz_use(const char *name);
/* the zone in use: "UTC" or its name */
const char *tz_name(void);
/* ts_ms moved by the zone's offset from UTC at that instant (ts_ms
 * itself in UTC), so hours and days counted from it are local */
int64_t tz_local_ms(int64_t ts_ms);

#endif
