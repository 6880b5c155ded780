/*
 * num.c - strict number and time parsing.
 *
 * strtod() alone accepts "  1", "1abc" (with endptr), "nan", "inf",
 * "0x1p3" and overflows to HUGE_VAL; a capacity file with any of those is
 * wrong, so the text is checked against the decimal grammar first and
 * strtod() only converts.  Times use Howard Hinnant's days_from_civil,
 * exact for every proleptic Gregorian date, instead of timegm(), which is
 * not POSIX and consults the TZ environment on some systems.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/num.h"

/* Is s a decimal number: [+-]digits[.digits][(e|E)[+-]digits]? */
static bool
is_decimal(const char *s)
{
	bool digits = false;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits = true;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits = true;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/*
 * Clinger's fast path: a decimal of at most 15 significant digits and at
 * most 22 digits after the point, with no exponent, is m / 10^k with m
 * and 10^k both exact doubles, and one IEEE division of exact operands
 * is correctly rounded: the same double strtod() returns, at a fraction
 * of its cost.  Returns false (leaving *out alone) for anything else,
 * which then takes the strtod() path.  Samples files are mostly such
 * numbers ("12.34"), so this is what makes reading them cheap.
 */
static bool
fast_decimal(const char *s, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	uint64_t m = 0;
	int ndig = 0, frac = -1;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (m == 0 && *s == '0' && frac < 0) {
				ndig = ndig == 0 ? 1 : ndig;
				continue;	/* leading zeros */
			}
			m = m * 10 + (uint64_t)(*s - '0');
			if (++ndig > 15)
				return false;
			if (frac >= 0 && ++frac > 22)
				return false;
		} else if (*s == '.' && frac < 0)
			frac = 0;
		else
			break;
	}
	if (*s != '\0' || ndig == 0)
		return false;
	*out = frac > 0 ? (double)m / pow10[frac] : (double)m;
	if (neg)
		*out = -*out;
	return true;
}

static int
why_set(const char **why, const char *phrase)
{
	if (why != NULL)
		*why = phrase;
	return -1;
}

int
num_parse_double(const char *s, double *out, const char **why)
{
	double v;

	if (*s == '\0')
		return why_set(why, "is empty");
	if (fast_decimal(s, out))
		return 0;
	if (!is_decimal(s)) {
		if (strcasecmp(s, "nan") == 0 || strcasecmp(s, "inf") == 0 ||
		    strcasecmp(s, "-inf") == 0 || strcasecmp(s, "+inf") == 0 ||
		    strcasecmp(s, "infinity") == 0)
			return why_set(why, "is not a finite number");
		return why_set(why, "is not a number");
	}
	errno = 0;
	v = strtod(s, NULL);
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return why_set(why, "is out of range");
	*out = v;
	return 0;
}

int
num_parse_int64(const char *s, int64_t *out, const char **why)
{
	const char *p = s;
	long long v;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '\0')
		return why_set(why, *s == '\0' ? "is empty" : "is not a number");
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return why_set(why, "is not a whole number");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return why_set(why, "is out of range");
	*out = v;
	return 0;
}

int
num_parse_long_range(const char *s, long lo, long hi, long *out,
    const char **why)
{
	int64_t v;

	if (num_parse_int64(s, &v, why) == -1)
		return -1;
	if (v < lo || v > hi)
		return why_set(why, "is out of range");
	*out = (long)v;
	return 0;
}

bool
num_is_whole(double v)
{
	if (!isfinite(v))		/* a macro, not a libm call */
		return false;
	/* from 2^53 up every double is whole, and the cast could overflow */
	if (v >= 9007199254740992.0 || v <= -9007199254740992.0)
		return true;
	return v == (double)(int64_t)v;
}

size_t
num_format_fixed(char *buf, double v, int decimals)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9 };
	char tmp[24];
	double x, frac;
	uint64_t n;
	size_t len = 0, k = 0;
	int d;

	if (decimals < 0 || decimals > 9 || !isfinite(v))
		return (size_t)snprintf(buf, NUM_FIXED_MAX, "%.*f", decimals, v);
	x = (signbit(v) ? -v : v) * p10[decimals];
	if (!(x < 1e9))
		return (size_t)snprintf(buf, NUM_FIXED_MAX, "%.*f", decimals, v);
	n = (uint64_t)x;
	frac = x - (double)n;	/* exact: x < 2^53 */
	/* x is within 1.2e-7 of the exact product: only a near tie could
	 * round the other way (printf breaks exact ties to even) */
	if (frac > 0.5 - 1e-6 && frac < 0.5 + 1e-6)
		return (size_t)snprintf(buf, NUM_FIXED_MAX, "%.*f", decimals, v);
	n += frac > 0.5;
	if (signbit(v))
		buf[len++] = '-';
	do {			/* the digits, last first */
		tmp[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	while (k <= (size_t)decimals)	/* "0.05": at least one before */
		tmp[k++] = '0';
	while (k > (size_t)decimals)
		buf[len++] = tmp[--k];
	if (decimals > 0)
		buf[len++] = '.';
	for (d = 0; d < decimals; d++)
		buf[len++] = tmp[--k];
	buf[len] = '\0';
	return len;
}

int
num_parse_bool(const char *s, bool *out, const char **why)
{
	static const char *yes[] = { "yes", "true", "1", "on" };
	static const char *no[] = { "no", "false", "0", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return why_set(why, "is not yes or no");
}

int64_t
time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Read exactly n digits at *p into *v, advancing *p. */
static bool
digits(const char **p, int n, unsigned *v)
{
	*v = 0;
	for (; n > 0; n--, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (unsigned)(**p - '0');
	}
	return true;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Parse ".fff" (any number of digits, ms kept) and the zone. */
static int
parse_frac_zone(const char *p, int64_t *ms, int64_t *off_s, const char **why)
{
	unsigned hh, mm, scale = 100;

	*ms = 0;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return why_set(why, "has a bad fraction of a second");
		for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
			*ms += (*p - '0') * (int64_t)scale;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*off_s = 0;
		return 0;
	}
	if (*p == '\0')
		return why_set(why, "has no time zone (end it with Z for UTC)");
	if ((*p != '+' && *p != '-') || !digits(&(const char *){ p + 1 }, 2, &hh))
		return why_set(why, "is not an RFC 3339 time");
	if (p[3] != ':' || !digits(&(const char *){ p + 4 }, 2, &mm) ||
	    p[6] != '\0' || hh > 23 || mm > 59)
		return why_set(why, "is not an RFC 3339 time");
	*off_s = (int64_t)(hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
	return 0;
}

/* Parse "YYYY-MM-DDTHH:MM:SS" at s into the six fields; true if well formed. */
static bool
parse_date_time(const char *s, unsigned f[6], const char **rest)
{
	static const char sep[] = { '-', '-', 'T', ':', ':', '\0' };
	const char *p = s;
	int i;

	for (i = 0; i < 6; i++) {
		if (!digits(&p, i == 0 ? 4 : 2, &f[i]))
			return false;
		if (i == 5)
			break;
		if (*p != sep[i] && !(i == 2 && (*p == 't' || *p == ' ')))
			return false;
		p++;
	}
	*rest = p;
	return true;
}

int
time_parse_rfc3339(const char *s, int64_t *ts_ms, const char **why)
{
	const char *p;
	unsigned f[6];
	int64_t ms, off_s, days;

	if (!parse_date_time(s, f, &p))
		return why_set(why, *s == '\0' ? "is empty" :
		    "is not an RFC 3339 time (like 2026-11-26T03:41:00Z)");
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 ||
	    f[2] > days_in_month(f[0], f[1]) || f[3] > 23 || f[4] > 59 ||
	    f[5] > 59)
		return why_set(why, "is not a valid date and time");
	if (parse_frac_zone(p, &ms, &off_s, why) == -1)
		return -1;
	days = time_days_from_civil(f[0], f[1], f[2]);
	ms += ((days * 86400 + f[3] * 3600 + f[4] * 60 + f[5]) - off_s) * 1000;
	if (!time_in_range(ms))
		return why_set(why, "is outside " TIME_RANGE_TEXT);
	*ts_ms = ms;
	return 0;
}

bool
time_in_range(int64_t ts_ms)
{
	return ts_ms >= TIME_MIN_MS && ts_ms <= TIME_MAX_MS;
}

void
time_format_rfc3339(int64_t ts_ms, char *buf)
{
	int64_t s = ts_ms >= 0 ? ts_ms / 1000 : (ts_ms - 999) / 1000;
	int64_t ms = ts_ms - s * 1000;
	int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
	int64_t sod = s - days * 86400, y;
	unsigned m, d;

	time_civil_from_days(days, &y, &m, &d);
	if (ms != 0)
		snprintf(buf, TIME_RFC3339_LEN,
		    "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
		    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
		    (int)ms);
	else
		snprintf(buf, TIME_RFC3339_LEN,
		    "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}
