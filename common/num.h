/*
 * num.h - strict parsing of numbers and RFC 3339 times from text.
 *
 * Input files are the contract between stages, so a cell is either a
 * whole, finite, decimal number or an error: no leading or trailing
 * blanks, no "nan"/"inf", no hex, no trailing garbage, no silent
 * overflow.  On failure these return -1 and point *why at a short static
 * phrase ("is not a number") that the caller puts after the quoted cell,
 * adding the file, line and column it knows and we do not.
 * USED BY: capplan and capplan-collect.
 */
#ifndef COMMON_NUM_H
#define COMMON_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int num_parse_double(const char *s, double *out, const char **why);
int num_parse_int64(const char *s, int64_t *out, const char **why);
/* a whole number in [lo, hi] */
int num_parse_long_range(const char *s, long lo, long hi, long *out,
    const char **why);
/*
 * Is v a whole number (and finite)?  Without floor(): capplan-collect links
 * common/ and no libm, and floor() is only inlined from -O1 up, so a
 * debug build (-O0) did not link.
 */
bool num_is_whole(double v);

/*
 * v with decimals digits after the point, into buf (NUM_FIXED_MAX bytes
 * at least): byte for byte what snprintf("%.*f") writes, sign of a
 * negative zero included, and its length returned.  Outputs write
 * millions of numbers (a 100,000-server plan's profiles: 67 million), and
 * printf's exact decimal expansion took a tenth of the plan's CPU: here a
 * value of at most 10^9 units of its last digit is scaled and rounded as
 * an integer, which is exact but within 10^-6 of a tie; ties, large
 * values, non-finite ones and more than 9 decimals go to snprintf.
 */
#define NUM_FIXED_MAX 352
size_t num_format_fixed(char *buf, double v, int decimals);

/* yes/no, true/false, 1/0, on/off (any case) */
int num_parse_bool(const char *s, bool *out, const char **why);

/*
 * Parse an RFC 3339 date-time ("2026-11-26T03:41:00Z", fractional seconds
 * and a "+hh:mm" offset allowed, 'T' may be a space) into milliseconds
 * since the Unix epoch, UTC.  A time without a zone is refused: a local
 * time in a capacity file duplicates or skips an hour at DST changes.
 * So is one that its offset takes out of the years 0000 to 9999 UTC
 * ("9999-12-31T23:30:00-01:00").
 */
int time_parse_rfc3339(const char *s, int64_t *ts_ms, const char **why);

/*
 * The times capplan reads and writes: the years 0000 to 9999 in UTC, all
 * that RFC 3339's four-digit year can say.  A time outside would be
 * written back as "10000-01-01T..." or "-001-...", which no reader takes,
 * so readers refuse it (and a sample that ends outside) on input.
 */
#define TIME_MIN_MS INT64_C(-62167219200000)	/* 0000-01-01T00:00:00Z */
#define TIME_MAX_MS INT64_C(253402300799999)	/* 9999-12-31T23:59:59.999Z */
#define TIME_RANGE_TEXT "the years 0000 to 9999 (UTC)"

/* Is ts_ms a time time_format_rfc3339() writes as RFC 3339? */
bool time_in_range(int64_t ts_ms);

/*
 * Format ts_ms as "YYYY-MM-DDTHH:MM:SSZ", with ".mmm" only when the
 * milliseconds are not zero.  buf must hold TIME_RFC3339_LEN bytes.
 */
#define TIME_RFC3339_LEN 32
void time_format_rfc3339(int64_t ts_ms, char *buf);

/* days since 1970-01-01 of a proleptic Gregorian date, and back */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
