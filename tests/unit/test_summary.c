/*
 * test_summary.c - the bounded-memory running summary (model/summary.c).
 *
 * The exact quantile is checked against a computation done here: sort a
 * copy with qsort() and interpolate at q * (n - 1) (Hyndman and Fan's
 * type 7, the definition of gsl_stats_quantile_from_sorted_data).  The
 * P-square estimate is checked against the same exact value.
 */
#include <math.h>
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include "model/summary.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

/* uniform in [0, 1) */
static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Type 7 quantile of n values (copied and sorted here). */
static double
type7(const double *v, size_t n, double q)
{
	double *s = malloc(n * sizeof(*s)), h, r;
	size_t lo;

	assert_non_null(s);
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	h = q * (double)(n - 1);
	lo = (size_t)floor(h);
	r = lo + 1 < n ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) :
	    s[lo];
	free(s);
	return r;
}

static void
test_empty_summary_is_nan(void **state)
{
	struct summary *s = summary_new(0.95);
	bool est = true;

	(void)state;
	assert_int_equal(summary_count(s), 0);
	assert_true(isnan(summary_min(s)));
	assert_true(isnan(summary_max(s)));
	assert_true(isnan(summary_mean(s)));
	assert_true(isnan(summary_quantile(s, &est)));
	assert_false(est);
	summary_free(s);
	summary_free(NULL);
}

static void
test_min_mean_max(void **state)
{
	static const double v[] = { 3, -1, 7, 5, 0.5 };
	struct summary *s = summary_new(0.5);
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		summary_add(s, v[i]);
	assert_int_equal(summary_count(s), 5);
	assert_near(summary_min(s), -1, 0);
	assert_near(summary_max(s), 7, 0);
	assert_near(summary_mean(s), 14.5 / 5, 1e-12);
	summary_free(s);
}

static void
test_nan_is_ignored(void **state)
{
	struct summary *s = summary_new(0.5);
	bool est;

	(void)state;
	summary_add(s, NAN);
	summary_add(s, 4);
	summary_add(s, NAN);
	summary_add(s, 2);
	summary_add(s, NAN);
	assert_int_equal(summary_count(s), 2);
	assert_near(summary_mean(s), 3, 0);
	assert_near(summary_min(s), 2, 0);
	assert_near(summary_quantile(s, &est), 3, 1e-12);
	assert_false(est);
	summary_free(s);
	s = summary_new(0.9);
	summary_add(s, NAN);
	assert_int_equal(summary_count(s), 0);
	assert_true(isnan(summary_quantile(s, &est)));
	summary_free(s);
}

static void
test_median_of_even_count_interpolates(void **state)
{
	struct summary *s = summary_new(0.5);
	bool est;

	(void)state;
	summary_add(s, 4);
	summary_add(s, 1);
	summary_add(s, 3);
	summary_add(s, 2);
	/* h = 0.5 * 3 = 1.5: halfway between 2 and 3 */
	assert_near(summary_quantile(s, &est), 2.5, 1e-12);
	summary_free(s);
}

static void
test_single_value(void **state)
{
	struct summary *s = summary_new(0.99);
	bool est;

	(void)state;
	summary_add(s, 42);
	assert_near(summary_quantile(s, &est), 42, 0);
	assert_near(summary_min(s), 42, 0);
	assert_near(summary_max(s), 42, 0);
	summary_free(s);
}

static void
test_exact_quantile_matches_type7(void **state)
{
	static const double qs[] = { 0.01, 0.25, 0.5, 0.9, 0.95, 0.99 };
	static const size_t ns[] = { 1, 2, 3, 10, 101, 1000, 4097 };
	struct summary *s;
	double *v, got, want;
	size_t i, j, k;
	bool est;

	(void)state;
	v = malloc(4097 * sizeof(*v));
	assert_non_null(v);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
			s = summary_new(qs[i]);
			for (k = 0; k < ns[j]; k++) {
				/* skewed, with repeats, like utilisation */
				v[k] = floor(pow(rng_uniform(), 3) * 1000) / 10;
				summary_add(s, v[k]);
			}
			got = summary_quantile(s, &est);
			want = type7(v, ns[j], qs[i]);
			assert_false(est);
			if (fabs(got - want) > 1e-9 * (1 + fabs(want)))
				fail_msg("q=%g n=%zu: %.17g, expected %.17g",
				    qs[i], ns[j], got, want);
			summary_free(s);
		}
	}
	free(v);
}

static void
test_quantile_after_more_values(void **state)
{
	struct summary *s = summary_new(0.9);
	double v[200];
	bool est;
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++) {
		v[i] = rng_uniform();
		summary_add(s, v[i]);
	}
	assert_near(summary_quantile(s, &est), type7(v, 100, 0.9), 1e-12);
	/* values added after a query count too */
	for (i = 100; i < 200; i++) {
		v[i] = 10 + rng_uniform();
		summary_add(s, v[i]);
	}
	assert_near(summary_quantile(s, &est), type7(v, 200, 0.9), 1e-12);
	assert_int_equal(summary_count(s), 200);
	summary_free(s);
}

static void
test_exact_up_to_limit_then_estimated(void **state)
{
	struct summary *s = summary_new(0.5);
	size_t i, n = SUMMARY_EXACT_MAX, more = 20000;
	double *v = malloc((n + more) * sizeof(*v)), q, truth;
	bool est = true;

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++) {
		v[i] = rng_uniform() * 100;
		summary_add(s, v[i]);
	}
	q = summary_quantile(s, &est);
	assert_false(est);
	assert_near(q, type7(v, n, 0.5), 1e-12);
	summary_add(s, NAN);		/* not a value: still exact */
	summary_quantile(s, &est);
	assert_false(est);
	/* from the next value on, an estimate over all the values: the
	 * later ones alone (from [100, 200)) would put it near 150 */
	for (i = n; i < n + more; i++) {
		v[i] = 100 + rng_uniform() * 100;
		summary_add(s, v[i]);
		if (i == n) {
			summary_quantile(s, &est);
			assert_true(est);
		}
	}
	assert_int_equal(summary_count(s), n + more);
	truth = type7(v, n + more, 0.5);
	q = summary_quantile(s, &est);
	assert_true(est);
	/* P-square follows a stream whose level jumps only loosely (about
	 * 7 % off here); without the first values it would be 130 % off */
	if (fabs(q - truth) > 0.1 * truth)
		fail_msg("median estimate %g, exact %g", q, truth);
	free(v);
	summary_free(s);
}

static void
test_estimate_within_1pct_for_200k_uniform(void **state)
{
	struct summary *s = summary_new(0.95);
	size_t i, n = 200000;
	double *v = malloc(n * sizeof(*v)), truth, got, sum = 0;
	double lo = INFINITY, hi = -INFINITY;
	bool est = false;

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++) {
		v[i] = rng_uniform() * 100;
		sum += v[i];
		lo = fmin(lo, v[i]);
		hi = fmax(hi, v[i]);
		summary_add(s, v[i]);
	}
	truth = type7(v, n, 0.95);
	got = summary_quantile(s, &est);
	assert_true(est);
	if (fabs(got - truth) > 0.01 * truth)
		fail_msg("p95 estimate %g, exact %g", got, truth);
	/* min, max and mean stay exact whatever the quantile does */
	assert_int_equal(summary_count(s), n);
	assert_near(summary_min(s), lo, 0);
	assert_near(summary_max(s), hi, 0);
	assert_near(summary_mean(s), sum / (double)n, 1e-9);
	free(v);
	summary_free(s);
}

static void
test_mean_is_stable_on_large_offsets(void **state)
{
	struct summary *s = summary_new(0.5);
	size_t i;

	(void)state;
	/* 1e9 + 0..9, a million times: the mean keeps its fraction */
	for (i = 0; i < 1000000; i++)
		summary_add(s, 1e9 + (double)(i % 10));
	assert_near(summary_mean(s), 1e9 + 4.5, 1e-6);
	summary_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_summary_is_nan),
		cmocka_unit_test(test_min_mean_max),
		cmocka_unit_test(test_nan_is_ignored),
		cmocka_unit_test(test_median_of_even_count_interpolates),
		cmocka_unit_test(test_single_value),
		cmocka_unit_test(test_exact_quantile_matches_type7),
		cmocka_unit_test(test_quantile_after_more_values),
		cmocka_unit_test(test_exact_up_to_limit_then_estimated),
		cmocka_unit_test(test_estimate_within_1pct_for_200k_uniform),
		cmocka_unit_test(test_mean_is_stable_on_large_offsets),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
