/*
 * test_num.c - strict number parsing and RFC 3339 times (common/num.c).
 *
 * Expected epoch values and day numbers were worked out independently
 * (Python's datetime, by hand for the offsets); the random round trips
 * check time_format_rfc3339() against the C library's gmtime_r() and
 * strftime(), which know nothing of days_from_civil.
 */
#include <math.h>
#include <stdbool.h>
#include <time.h>

#include "tests/unit/testlib.h"

#include "common/num.h"

/* 2026-11-26T03:41:00Z, from Python: datetime(...).timestamp() */
#define TS_20261126_034100 1795664460000LL

/* a small deterministic generator (xorshift64*), so failures repeat */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void
assert_double_rejected(const char *s, const char *want_why)
{
	double v = 42.0;
	const char *why = NULL;

	if (num_parse_double(s, &v, &why) != -1)
		fail_msg("'%s' was accepted as %g", s, v);
	assert_non_null(why);
	if (want_why != NULL)
		assert_string_equal(why, want_why);
	assert_true(v == 42.0);		/* *out untouched on failure */
}

static void
assert_double_accepted(const char *s, double want)
{
	double v = NAN;
	const char *why = NULL;

	if (num_parse_double(s, &v, &why) != 0)
		fail_msg("'%s' was refused: %s", s, why);
	assert_near(v, want, 0.0);
}

static void
test_parse_double_rejects_empty(void **state)
{
	(void)state;
	assert_double_rejected("", "is empty");
}

static void
test_parse_double_rejects_blanks(void **state)
{
	(void)state;
	assert_double_rejected(" 1", "is not a number");
	assert_double_rejected("1 ", "is not a number");
	assert_double_rejected("\t1", "is not a number");
	assert_double_rejected("1\n", "is not a number");
	assert_double_rejected(" ", "is not a number");
}

static void
test_parse_double_rejects_trailing_garbage(void **state)
{
	(void)state;
	assert_double_rejected("1abc", "is not a number");
	assert_double_rejected("1.2.3", "is not a number");
	assert_double_rejected("1e", "is not a number");
	assert_double_rejected("1e+", "is not a number");
	assert_double_rejected("--1", "is not a number");
	assert_double_rejected("1,5", "is not a number");
}

static void
test_parse_double_rejects_sign_or_point_alone(void **state)
{
	(void)state;
	assert_double_rejected(".", "is not a number");
	assert_double_rejected("-", "is not a number");
	assert_double_rejected("+", "is not a number");
	assert_double_rejected("e5", "is not a number");
	assert_double_rejected("-.e1", "is not a number");
}

static void
test_parse_double_rejects_nan_and_inf(void **state)
{
	(void)state;
	assert_double_rejected("nan", "is not a finite number");
	assert_double_rejected("NaN", "is not a finite number");
	assert_double_rejected("inf", "is not a finite number");
	assert_double_rejected("-inf", "is not a finite number");
	assert_double_rejected("+INF", "is not a finite number");
	assert_double_rejected("Infinity", "is not a finite number");
	/* other spellings strtod() takes are still not numbers */
	assert_double_rejected("nan(0x1)", NULL);
	assert_double_rejected("-nan", NULL);
}

static void
test_parse_double_rejects_hex(void **state)
{
	(void)state;
	assert_double_rejected("0x10", "is not a number");
	assert_double_rejected("0x1p3", "is not a number");
	assert_double_rejected("0X1A", "is not a number");
}

static void
test_parse_double_rejects_overflow(void **state)
{
	char big[400];

	(void)state;
	assert_double_rejected("1e999", "is out of range");
	assert_double_rejected("-1e999", "is out of range");
	assert_double_rejected("2e308", "is out of range");
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_double_rejected(big, "is out of range");
}

static void
test_parse_double_accepts_decimal_forms(void **state)
{
	(void)state;
	assert_double_accepted("-0.5", -0.5);
	assert_double_accepted("1e3", 1000.0);
	assert_double_accepted(".5", 0.5);
	assert_double_accepted("5.", 5.0);
	assert_double_accepted("+2", 2.0);
	assert_double_accepted("1E-3", 0.001);
	assert_double_accepted("2.5e+2", 250.0);
	assert_double_accepted("0", 0.0);
	assert_double_accepted("007", 7.0);
	assert_double_accepted("1.7976931348623157e308", 1.7976931348623157e308);
}

/* A random decimal: sign, up to 20 digits, a point somewhere or none. */
static void
random_decimal(char *buf, size_t size)
{
	size_t n = 1 + rng_next() % 20, point = rng_next() % (n + 2), i, k = 0;

	if (rng_next() % 3 == 0)
		buf[k++] = rng_next() % 2 ? '-' : '+';
	for (i = 0; i < n && k + 2 < size; i++) {
		if (i == point)
			buf[k++] = '.';
		buf[k++] = (char)('0' + (i == 0 && rng_next() % 2 ?
		    0 : rng_next() % 10));
	}
	if (point == n)
		buf[k++] = '.';
	buf[k] = '\0';
}

/* Every decimal gives exactly the double strtod() gives, whichever way
 * num_parse_double() converts it. */
static void
test_parse_double_agrees_with_strtod(void **state)
{
	char buf[64];
	double v, want;
	const char *why;
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		random_decimal(buf, sizeof(buf));
		want = strtod(buf, NULL);
		if (num_parse_double(buf, &v, &why) != 0)
			fail_msg("'%s' refused: %s", buf, why);
		if (memcmp(&v, &want, sizeof(v)) != 0)
			fail_msg("'%s' gave %.17g, strtod %.17g", buf, v, want);
	}
	assert_double_accepted("0.1", 0.1);
	assert_double_accepted("123456789012345", 123456789012345.0);
	assert_double_accepted("0.0000000000000000000001", 1e-22);
	assert_double_accepted("9007199254740993", 9007199254740992.0);
}

static void
test_parse_int64_accepts_extremes(void **state)
{
	int64_t v = 0;
	const char *why;

	(void)state;
	assert_int_equal(num_parse_int64("9223372036854775807", &v, &why), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_parse_int64("-9223372036854775808", &v, &why), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(num_parse_int64("+17", &v, &why), 0);
	assert_true(v == 17);
	assert_int_equal(num_parse_int64("-0", &v, &why), 0);
	assert_true(v == 0);
}

static void
test_parse_int64_rejects_overflow(void **state)
{
	int64_t v = 5;
	const char *why = NULL;

	(void)state;
	assert_int_equal(num_parse_int64("9223372036854775808", &v, &why), -1);
	assert_string_equal(why, "is out of range");
	assert_int_equal(num_parse_int64("-9223372036854775809", &v, &why),
	    -1);
	assert_string_equal(why, "is out of range");
	assert_true(v == 5);
}

static void
test_parse_int64_rejects_non_integers(void **state)
{
	static const char *bad[] = { "1.0", "1e3", " 1", "1 ", "0x10", "1a",
	    "--1", "1-" };
	int64_t v;
	const char *why = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (num_parse_int64(bad[i], &v, &why) != -1)
			fail_msg("'%s' accepted as an integer", bad[i]);
		assert_string_equal(why, "is not a whole number");
	}
	assert_int_equal(num_parse_int64("", &v, &why), -1);
	assert_string_equal(why, "is empty");
	assert_int_equal(num_parse_int64("-", &v, &why), -1);
	assert_string_equal(why, "is not a number");
}

static void
test_parse_long_range_checks_both_ends(void **state)
{
	long v = 0;
	const char *why = NULL;

	(void)state;
	assert_int_equal(num_parse_long_range("1", 1, 10, &v, &why), 0);
	assert_int_equal(v, 1);
	assert_int_equal(num_parse_long_range("10", 1, 10, &v, &why), 0);
	assert_int_equal(v, 10);
	assert_int_equal(num_parse_long_range("-3", -5, 5, &v, &why), 0);
	assert_int_equal(v, -3);
	assert_int_equal(num_parse_long_range("0", 1, 10, &v, &why), -1);
	assert_string_equal(why, "is out of range");
	assert_int_equal(num_parse_long_range("11", 1, 10, &v, &why), -1);
	assert_string_equal(why, "is out of range");
	assert_int_equal(num_parse_long_range("2.5", 1, 10, &v, &why), -1);
	assert_string_equal(why, "is not a whole number");
	assert_int_equal(v, -3);
}

/* the collector's floor()-free test (it links no libm) */
static void
test_is_whole_without_libm(void **state)
{
	(void)state;
	assert_true(num_is_whole(0.0) && num_is_whole(-0.0));
	assert_true(num_is_whole(4.0) && num_is_whole(-3.0));
	assert_true(num_is_whole(1e15) && num_is_whole(9007199254740992.0));
	assert_true(num_is_whole(1e300) && num_is_whole(-1e300));
	assert_false(num_is_whole(0.5) || num_is_whole(-2.25));
	assert_false(num_is_whole(4503599627370495.5));
	assert_false(num_is_whole(NAN) || num_is_whole(INFINITY) ||
	    num_is_whole(-INFINITY));
}

static void
test_parse_bool_accepts_words_in_any_case(void **state)
{
	static const char *yes[] = { "yes", "YES", "True", "1", "on", "ON" };
	static const char *no[] = { "no", "No", "FALSE", "0", "off", "oFF" };
	const char *why;
	bool b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		assert_int_equal(num_parse_bool(yes[i], &b, &why), 0);
		assert_true(b);
		b = true;
		assert_int_equal(num_parse_bool(no[i], &b, &why), 0);
		assert_false(b);
	}
}

static void
test_parse_bool_rejects_other_text(void **state)
{
	static const char *bad[] = { "", "y", "n", "2", " yes", "yes ",
	    "enabled", "truee" };
	const char *why = NULL;
	bool b = true;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (num_parse_bool(bad[i], &b, &why) != -1)
			fail_msg("'%s' accepted as a bool", bad[i]);
		assert_string_equal(why, "is not yes or no");
		assert_true(b);
	}
}

static void
assert_time(const char *s, int64_t want)
{
	int64_t ts = 0;
	const char *why = NULL;

	if (time_parse_rfc3339(s, &ts, &why) != 0)
		fail_msg("'%s' refused: %s", s, why);
	if (ts != want)
		fail_msg("'%s' gave %lld ms, expected %lld", s, (long long)ts,
		    (long long)want);
}

static void
assert_time_refused(const char *s)
{
	int64_t ts = 12345;
	const char *why = NULL;

	if (time_parse_rfc3339(s, &ts, &why) != -1)
		fail_msg("'%s' accepted as %lld ms", s, (long long)ts);
	assert_non_null(why);
	assert_true(ts == 12345);
}

static void
test_time_parse_utc_z(void **state)
{
	(void)state;
	assert_time("1970-01-01T00:00:00Z", 0);
	assert_time("2026-11-26T03:41:00Z", TS_20261126_034100);
	assert_time("2026-11-26t03:41:00z", TS_20261126_034100);
	assert_time("2026-11-26 03:41:00Z", TS_20261126_034100);
	assert_time("1969-12-31T23:59:59Z", -1000);
	assert_time("2000-03-01T00:00:00Z", 11017LL * 86400000);
}

static void
test_time_parse_offsets_convert_to_utc(void **state)
{
	(void)state;
	/* 05:41 at +02:00 is 03:41 UTC */
	assert_time("2026-11-26T05:41:00+02:00", TS_20261126_034100);
	/* 22:11 the day before at -05:30 is 03:41 UTC */
	assert_time("2026-11-25T22:11:00-05:30", TS_20261126_034100);
	assert_time("2026-11-26T03:41:00+00:00", TS_20261126_034100);
	assert_time("2026-11-26T03:41:00-00:00", TS_20261126_034100);
	/* the offset can cross midnight into a new year */
	assert_time("2027-01-01T01:00:00+02:00", 1798758000000LL);
}

static void
test_time_parse_keeps_milliseconds(void **state)
{
	(void)state;
	assert_time("2026-11-26T03:41:00.5Z", TS_20261126_034100 + 500);
	assert_time("2026-11-26T03:41:00.123Z", TS_20261126_034100 + 123);
	assert_time("2026-11-26T03:41:00.123999Z", TS_20261126_034100 + 123);
	assert_time("2026-11-26T03:41:00.007Z", TS_20261126_034100 + 7);
	assert_time("2026-11-26T05:41:00.250+02:00", TS_20261126_034100 + 250);
	assert_time("1969-12-31T23:59:59.999Z", -1);
	assert_time_refused("2026-11-26T03:41:00.Z");
	assert_time_refused("2026-11-26T03:41:00,5Z");
}

static void
test_time_parse_leap_days(void **state)
{
	(void)state;
	assert_time("2024-02-29T00:00:00Z", 19782LL * 86400000);
	assert_time("2000-02-29T12:00:00Z", (11016LL * 86400 + 43200) * 1000);
	assert_time_refused("2023-02-29T00:00:00Z");
	assert_time_refused("1900-02-29T00:00:00Z");
	assert_time_refused("2100-02-29T00:00:00Z");
	assert_time("2023-02-28T00:00:00Z", 19416LL * 86400000);
}

static void
test_time_parse_refuses_no_zone(void **state)
{
	int64_t ts;
	const char *why = NULL;

	(void)state;
	assert_int_equal(time_parse_rfc3339("2026-11-26T03:41:00", &ts, &why),
	    -1);
	assert_non_null(strstr(why, "time zone"));
	assert_int_equal(time_parse_rfc3339("2026-11-26T03:41:00.5", &ts,
	    &why), -1);
	assert_non_null(strstr(why, "time zone"));
}

static void
test_time_parse_refuses_out_of_range_fields(void **state)
{
	(void)state;
	assert_time_refused("2026-11-26T24:00:00Z");
	assert_time_refused("2026-11-26T23:60:00Z");
	assert_time_refused("2026-11-26T23:59:60Z");
	assert_time_refused("2026-13-01T00:00:00Z");
	assert_time_refused("2026-00-01T00:00:00Z");
	assert_time_refused("2026-11-00T00:00:00Z");
	assert_time_refused("2026-11-31T00:00:00Z");
	assert_time_refused("2026-01-32T00:00:00Z");
}

/*
 * Years 0000 to 9999 in UTC, the ends included, and nothing an offset
 * takes outside: those were read, then written back as "10000-01-01T..."
 * or "-001-12-31T...", which no reader takes.
 */
static void
test_time_parse_refuses_years_outside_0000_9999(void **state)
{
	char buf[TIME_RFC3339_LEN];
	const char *why;
	int64_t ts;

	(void)state;
	assert_int_equal(time_parse_rfc3339("0000-01-01T00:00:00Z", &ts, &why),
	    0);
	assert_true(ts == TIME_MIN_MS);
	time_format_rfc3339(ts, buf);
	assert_string_equal(buf, "0000-01-01T00:00:00Z");
	assert_int_equal(time_parse_rfc3339("9999-12-31T23:59:59.999Z", &ts,
	    &why), 0);
	assert_true(ts == TIME_MAX_MS);
	time_format_rfc3339(ts, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59.999Z");
	assert_int_equal(time_parse_rfc3339("9999-12-31T23:30:00-01:00", &ts,
	    &why), -1);
	assert_string_equal(why, "is outside the years 0000 to 9999 (UTC)");
	assert_time_refused("0000-01-01T00:30:00+01:00");
	assert_time_refused("0000-01-01T00:00:00.999+00:01");
	assert_true(time_in_range(TIME_MIN_MS) && time_in_range(TIME_MAX_MS));
	assert_false(time_in_range(TIME_MIN_MS - 1));
	assert_false(time_in_range(TIME_MAX_MS + 1));
}

static void
test_time_parse_refuses_malformed_text(void **state)
{
	(void)state;
	assert_time_refused("");
	assert_time_refused("2026-11-26");
	assert_time_refused("2026-1-26T03:41:00Z");
	assert_time_refused("26-11-26T03:41:00Z");
	assert_time_refused("2026/11/26T03:41:00Z");
	assert_time_refused("2026-11-26X03:41:00Z");
	assert_time_refused("2026-11-26T03:41Z");
	assert_time_refused(" 2026-11-26T03:41:00Z");
	assert_time_refused("2026-11-26T03:41:00Z ");
	assert_time_refused("2026-11-26T03:41:00ZZ");
	assert_time_refused("2026-11-26T03:41:00+02");
	assert_time_refused("2026-11-26T03:41:00+0200");
	assert_time_refused("2026-11-26T03:41:00+02:00:00");
	assert_time_refused("2026-11-26T03:41:00+24:00");
	assert_time_refused("2026-11-26T03:41:00+02:60");
	assert_time_refused("2026-11-26T03:41:00 +02:00");
	assert_time_refused("1795664460");
}

static void
test_time_format_known_values(void **state)
{
	char buf[TIME_RFC3339_LEN];

	(void)state;
	time_format_rfc3339(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	time_format_rfc3339(TS_20261126_034100, buf);
	assert_string_equal(buf, "2026-11-26T03:41:00Z");
	time_format_rfc3339(TS_20261126_034100 + 7, buf);
	assert_string_equal(buf, "2026-11-26T03:41:00.007Z");
	time_format_rfc3339(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
	time_format_rfc3339(-1000, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	time_format_rfc3339(-86400000, buf);
	assert_string_equal(buf, "1969-12-31T00:00:00Z");
	/* 1900-01-01 is day -25567 (Python) */
	time_format_rfc3339(-25567LL * 86400000 + 1, buf);
	assert_string_equal(buf, "1900-01-01T00:00:00.001Z");
}

/* The seconds part through the C library, for comparison. */
static void
libc_format(int64_t ts_ms, char *buf, size_t size)
{
	time_t t = (time_t)(ts_ms >= 0 ? ts_ms / 1000 : (ts_ms - 999) / 1000);
	struct tm tm;

	assert_non_null(gmtime_r(&t, &tm));
	assert_true(strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm) > 0);
}

static void
test_time_format_round_trips_random_times(void **state)
{
	/* from 1000-01-01 to 9999-12-31, so many are before 1970 */
	const int64_t lo = -30610224000000LL, hi = 253402300799999LL;
	char buf[TIME_RFC3339_LEN], ref[64];
	int64_t ts, back;
	const char *why;
	int i, before = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		ts = lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
		if (i % 4 == 0)
			ts -= ts % 1000;	/* whole seconds: no ".mmm" */
		before += ts < 0;
		time_format_rfc3339(ts, buf);
		libc_format(ts, ref, sizeof(ref));
		if (strncmp(buf, ref, strlen(ref)) != 0)
			fail_msg("%lld ms: formatted %s, libc says %s",
			    (long long)ts, buf, ref);
		assert_int_equal(strlen(buf), ts % 1000 == 0 ? 20 : 24);
		if (time_parse_rfc3339(buf, &back, &why) != 0)
			fail_msg("'%s' refused: %s", buf, why);
		if (back != ts)
			fail_msg("%lld -> %s -> %lld", (long long)ts, buf,
			    (long long)back);
	}
	assert_true(before > 1000);
}

static void
test_days_from_civil_known_dates(void **state)
{
	(void)state;
	/* each from Python: (date(y, m, d) - date(1970, 1, 1)).days */
	assert_true(time_days_from_civil(1970, 1, 1) == 0);
	assert_true(time_days_from_civil(1969, 12, 31) == -1);
	assert_true(time_days_from_civil(2000, 3, 1) == 11017);
	assert_true(time_days_from_civil(2024, 2, 29) == 19782);
	assert_true(time_days_from_civil(1900, 1, 1) == -25567);
	assert_true(time_days_from_civil(1, 1, 1) == -719162);
	assert_true(time_days_from_civil(2038, 1, 19) == 24855);
	assert_true(time_days_from_civil(9999, 12, 31) == 2932896);
	assert_true(time_days_from_civil(1600, 2, 29) == -135081);
}

/* Every day from year 1 to 9999: civil_from_days inverts days_from_civil
 * and consecutive days are consecutive dates. */
static void
test_civil_from_days_walks_every_day(void **state)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int64_t day, y, py = 1;
	unsigned m, d, pm = 1, pd = 1, dim;
	bool leap;

	(void)state;
	assert_true(time_days_from_civil(1, 1, 1) == -719162);
	for (day = -719161; day <= 2932896; day++) {
		time_civil_from_days(day, &y, &m, &d);
		leap = (py % 4 == 0 && py % 100 != 0) || py % 400 == 0;
		dim = pm == 2 && leap ? 29 : mdays[pm - 1];
		if (pd < dim)
			assert_true(y == py && m == pm && d == pd + 1);
		else if (pm < 12)
			assert_true(y == py && m == pm + 1 && d == 1);
		else
			assert_true(y == py + 1 && m == 1 && d == 1);
		if (time_days_from_civil(y, m, d) != day)
			fail_msg("day %lld -> %lld-%u-%u -> %lld", (long long)day,
			    (long long)y, m, d,
			    (long long)time_days_from_civil(y, m, d));
		py = y;
		pm = m;
		pd = d;
	}
	assert_true(py == 9999 && pm == 12 && pd == 31);
}

/* num_format_fixed() is snprintf("%.*f") byte for byte */
static void
expect_fixed(double v, int decimals)
{
	char want[NUM_FIXED_MAX], got[NUM_FIXED_MAX];
	int n = snprintf(want, sizeof(want), "%.*f", decimals, v);

	assert_int_equal(num_format_fixed(got, v, decimals), (size_t)n);
	if (strcmp(got, want) != 0)
		fail_msg("%.17g with %d decimals: '%s', printf says '%s'", v,
		    decimals, got, want);
}

static void
test_format_fixed_is_printf(void **state)
{
	static const double edge[] = { 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125,
	    0.375, 1.005, 2.675, 0.045, 1e-300, -1e-300, 999999999.4,
	    999999999.5, 1e9, 4.35, 1e15, -123456.789, 0.1, 0.7, 1e-7,
	    9.9999995, 9.995, 99.5, 1e308, 5e-324 };
	uint64_t s = 88172645463325252ULL;
	size_t i;
	int d;

	(void)state;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (d = 0; d <= 10; d++)
			expect_fixed(edge[i], d);
	expect_fixed(NAN, 2);
	expect_fixed(-INFINITY, 2);
	/* 200,000 values of every magnitude a profile has, and their
	 * halves and neighbours (ties and near ties) */
	for (i = 0; i < 200000; i++) {
		double v, m;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		m = (double)(s >> 11) / 9007199254740992.0;	/* [0, 1) */
		v = m * pow(10.0, (double)(s % 13) - 4.0);
		if (s & 1)
			v = -v;
		d = (int)(s >> 59) % 7;
		if (i % 3 == 0)	/* k + 0.5 at the last digit: a tie */
			v = (floor(v * pow(10.0, d)) + 0.5) / pow(10.0, d);
		expect_fixed(v, d);
		expect_fixed(nextafter(v, 0.0), d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_double_rejects_empty),
		cmocka_unit_test(test_parse_double_rejects_blanks),
		cmocka_unit_test(test_parse_double_rejects_trailing_garbage),
		cmocka_unit_test(test_parse_double_rejects_sign_or_point_alone),
		cmocka_unit_test(test_parse_double_rejects_nan_and_inf),
		cmocka_unit_test(test_parse_double_rejects_hex),
		cmocka_unit_test(test_parse_double_rejects_overflow),
		cmocka_unit_test(test_parse_double_accepts_decimal_forms),
		cmocka_unit_test(test_parse_double_agrees_with_strtod),
		cmocka_unit_test(test_parse_int64_accepts_extremes),
		cmocka_unit_test(test_parse_int64_rejects_overflow),
		cmocka_unit_test(test_parse_int64_rejects_non_integers),
		cmocka_unit_test(test_parse_long_range_checks_both_ends),
		cmocka_unit_test(test_is_whole_without_libm),
		cmocka_unit_test(test_parse_bool_accepts_words_in_any_case),
		cmocka_unit_test(test_parse_bool_rejects_other_text),
		cmocka_unit_test(test_time_parse_utc_z),
		cmocka_unit_test(test_time_parse_offsets_convert_to_utc),
		cmocka_unit_test(test_time_parse_keeps_milliseconds),
		cmocka_unit_test(test_time_parse_leap_days),
		cmocka_unit_test(test_time_parse_refuses_no_zone),
		cmocka_unit_test(test_time_parse_refuses_out_of_range_fields),
		cmocka_unit_test(test_time_parse_refuses_years_outside_0000_9999),
		cmocka_unit_test(test_time_parse_refuses_malformed_text),
		cmocka_unit_test(test_time_format_known_values),
		cmocka_unit_test(test_time_format_round_trips_random_times),
		cmocka_unit_test(test_days_from_civil_known_dates),
		cmocka_unit_test(test_civil_from_days_walks_every_day),
		cmocka_unit_test(test_format_fixed_is_printf),
	};

	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
