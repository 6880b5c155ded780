/*
 * test_series.c - time series order and coverage arithmetic
 * (common/series.c).  Expected values are counted by hand from the
 * timestamps in each test.
 */
#include <math.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/series.h"

#define MIN_MS 60000

/* A series of the given offsets in minutes, value = minute. */
static struct series *
series_of(const int *minutes, size_t n, int64_t interval_ms)
{
	struct series *s = series_new("web01.cpu_busy_pct", interval_ms);
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(series_append(s, (int64_t)minutes[i] * MIN_MS,
		    minutes[i]), 0);
	return s;
}

static void
test_append_keeps_points_in_order(void **state)
{
	struct series *s = series_new("web01.cpu_busy_pct", MIN_MS);
	int i;

	(void)state;
	assert_string_equal(s->name, "web01.cpu_busy_pct");
	assert_int_equal(s->len, 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(series_append(s, -5000 + i * 1000LL, i), 0);
	assert_int_equal(s->len, 1000);
	assert_true(s->ts_ms[0] == -5000 && s->ts_ms[999] == 994000);
	assert_near(s->values[999], 999.0, 0.0);
	series_free(s);
}

static void
test_append_refuses_equal_time(void **state)
{
	struct series *s = series_new("web01.mem", 0);

	(void)state;
	assert_int_equal(series_append(s, 1000, 1.0), 0);
	error_clear();
	assert_int_equal(series_append(s, 1000, 2.0), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_non_null(strstr(error_last_msg(), "'web01.mem'"));
	assert_int_equal(s->len, 1);
	series_free(s);
}

static void
test_append_refuses_earlier_time(void **state)
{
	struct series *s = series_new("web01.mem", 0);

	(void)state;
	assert_int_equal(series_append(s, 5000, 1.0), 0);
	assert_int_equal(series_append(s, 4000, 2.0), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_non_null(strstr(error_last_msg(), "4000"));
	assert_non_null(strstr(error_last_msg(), "5000"));
	assert_int_equal(series_append(s, 6000, 3.0), 0);
	assert_int_equal(s->len, 2);
	assert_near(s->values[1], 3.0, 0.0);
	series_free(s);
}

static void
test_interval_estimate_needs_two_points(void **state)
{
	static const int one[] = { 5 };
	struct series *s = series_new("x", 0);

	(void)state;
	assert_true(series_interval_estimate(s) == 0);
	series_free(s);
	s = series_of(one, 1, 0);
	assert_true(series_interval_estimate(s) == 0);
	series_free(s);
}

static void
test_interval_estimate_is_median_spacing(void **state)
{
	/* spacings 1, 1, 5, 1, 30, 1, 1: the median is 1 minute */
	static const int a[] = { 0, 1, 2, 7, 8, 38, 39, 40 };
	/* spacings 2, 10, 3: the median is 3 minutes */
	static const int b[] = { 0, 2, 12, 15 };
	struct series *s;

	(void)state;
	s = series_of(a, sizeof(a) / sizeof(a[0]), 0);
	assert_true(series_interval_estimate(s) == MIN_MS);
	series_free(s);
	s = series_of(b, sizeof(b) / sizeof(b[0]), 0);
	assert_true(series_interval_estimate(s) == 3 * MIN_MS);
	series_free(s);
}

static void
test_coverage_full_series_is_one(void **state)
{
	static const int m[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct series *s = series_of(m, 10, MIN_MS);

	(void)state;
	assert_near(series_coverage(s), 1.0, 1e-12);
	assert_int_equal(series_gap_count(s), 0);
	assert_int_equal(series_count_measured(s), 10);
	series_free(s);
}

static void
test_coverage_counts_gaps(void **state)
{
	/* 0..9 minutes expected, 3 and 6 missing: 8 of 10 */
	static const int m[] = { 0, 1, 2, 4, 5, 7, 8, 9 };
	struct series *s = series_of(m, 8, MIN_MS);

	(void)state;
	assert_near(series_coverage(s), 0.8, 1e-12);
	assert_int_equal(series_gap_count(s), 2);
	series_free(s);
}

static void
test_coverage_does_not_count_nan(void **state)
{
	static const int m[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct series *s = series_of(m, 10, MIN_MS);

	(void)state;
	s->values[2] = NAN;
	s->values[9] = NAN;
	s->values[0] = NAN;
	assert_int_equal(series_count_measured(s), 7);
	assert_near(series_coverage(s), 0.7, 1e-12);
	/* NaN is a missing value, not a gap in time */
	assert_int_equal(series_gap_count(s), 0);
	series_free(s);
}

static void
test_coverage_uses_estimate_without_interval(void **state)
{
	/* spacings 1, 1, 1, 3, 1, 1: the estimate is 1 minute */
	static const int m[] = { 0, 1, 2, 3, 6, 7, 8 };
	struct series *s = series_of(m, 7, 0);

	(void)state;
	/* first to last is 8 minutes: 9 slots, 7 measured */
	assert_near(series_coverage(s), 7.0 / 9.0, 1e-12);
	assert_int_equal(series_gap_count(s), 1);
	series_free(s);
}

static void
test_coverage_uses_declared_interval(void **state)
{
	/* points every minute, declared interval 2 minutes: no more than 1 */
	static const int m[] = { 0, 1, 2, 3, 4 };
	/* points every 4 minutes at a 2-minute interval: 3 of 5 slots */
	static const int w[] = { 0, 4, 8 };
	struct series *s;

	(void)state;
	s = series_of(m, 5, 2 * MIN_MS);
	assert_near(series_coverage(s), 1.0, 1e-12);
	assert_int_equal(series_gap_count(s), 0);
	series_free(s);
	s = series_of(w, 3, 2 * MIN_MS);
	assert_near(series_coverage(s), 3.0 / 5.0, 1e-12);
	assert_int_equal(series_gap_count(s), 2);
	series_free(s);
}

static void
test_coverage_of_empty_and_single_series(void **state)
{
	static const int one[] = { 3 };
	struct series *s = series_new("x", MIN_MS);

	(void)state;
	assert_near(series_coverage(s), 0.0, 0.0);
	assert_int_equal(series_gap_count(s), 0);
	series_free(s);
	s = series_of(one, 1, 0);
	assert_near(series_coverage(s), 1.0, 0.0);
	s->values[0] = NAN;
	assert_near(series_coverage(s), 0.0, 0.0);
	series_free(s);
}

static void
test_gap_is_longer_than_one_and_a_half_intervals(void **state)
{
	/* seconds: spacings 60, 90 (exactly 1.5: no gap), 91 (gap), 180 */
	static const int64_t ts[] = { 0, 60, 150, 241, 421 };
	struct series *s = series_new("x", MIN_MS);
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		assert_int_equal(series_append(s, ts[i] * 1000, 1.0), 0);
	assert_int_equal(series_gap_count(s), 2);
	series_free(s);
	series_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_keeps_points_in_order),
		cmocka_unit_test(test_append_refuses_equal_time),
		cmocka_unit_test(test_append_refuses_earlier_time),
		cmocka_unit_test(test_interval_estimate_needs_two_points),
		cmocka_unit_test(test_interval_estimate_is_median_spacing),
		cmocka_unit_test(test_coverage_full_series_is_one),
		cmocka_unit_test(test_coverage_counts_gaps),
		cmocka_unit_test(test_coverage_does_not_count_nan),
		cmocka_unit_test(test_coverage_uses_estimate_without_interval),
		cmocka_unit_test(test_coverage_uses_declared_interval),
		cmocka_unit_test(test_coverage_of_empty_and_single_series),
		cmocka_unit_test(test_gap_is_longer_than_one_and_a_half_intervals),
	};

	return cmocka_run_group_tests_name("series", tests, NULL, NULL);
}
