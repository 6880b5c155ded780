/*
 * tz.c - the slots' time zone: see tz.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "common/tz.h"

static char zone[128] = "UTC";
static int local;		/* a zone other than UTC is in use */

/* a tz database name: letters, digits, '_', '-', '+' and '/' between
 * parts, no "..", not absolute, and a file of that name in the folder */
static int
tz_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	const char *c;

	if (name[0] == '/' || strstr(name, "..") != NULL ||
	    strlen(name) >= sizeof(zone))
		return 0;
	for (c = name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("_-+/", *c) != NULL))
			return 0;
	snprintf(path, sizeof(path), "%s/%s", dir != NULL && dir[0] != '\0' ?
	    dir : "/usr/share/zoneinfo", name);
	return access(path, R_OK) == 0;
}

int
tz_use(const char *name)
{
	if (name == NULL || name[0] == '\0' || strcmp(name, "UTC") == 0) {
		local = 0;
		snprintf(zone, sizeof(zone), "UTC");
		return 0;
	}
	if (!tz_exists(name))
		return error_set(ERROR_DATA, "'%s' is not a time zone of the tz "
		    "database (a name such as Europe/Berlin, under $TZDIR or "
		    "/usr/share/zoneinfo)", name);
	snprintf(zone, sizeof(zone), "%s", name);
	if (setenv("TZ", zone, 1) == -1)
		return error_set_errno(ERROR_IO, "cannot set TZ");
	tzset();
	local = 1;
	return 0;
}

const char *
tz_name(void)
{
	return zone;
}

/* days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant) */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
tz_local_ms(int64_t ts_ms)
{
	time_t t;
	struct tm tm;
	int64_t local_s;

	if (!local)
		return ts_ms;
	t = (time_t)(ts_ms >= 0 ? ts_ms / 1000 : -((-ts_ms + 999) / 1000));
	if (localtime_r(&t, &tm) == NULL)
		return ts_ms;
	/* the local wall clock read as if it were UTC, less the instant:
	 * the offset (POSIX has no tm_gmtoff) */
	local_s = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec;
	return ts_ms + (local_s - (int64_t)t) * 1000;
}
