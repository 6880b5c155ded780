/*
 * series.c - the time series type and its coverage arithmetic.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "common/error.h"
#include "common/series.h"
#include "common/sort.h"
#include "common/xalloc.h"

struct series *
series_new(const char *name, int64_t interval_ms)
{
	struct series *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->interval_ms = interval_ms;
	return s;
}

void
series_free(struct series *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s->ts_ms);
	free(s->values);
	free(s);
}

int
series_append(struct series *s, int64_t ts_ms, double v)
{
	size_t cap;

	if (s->len > 0 && ts_ms <= s->ts_ms[s->len - 1])
		return error_set(ERROR_DATA,
		    "series '%s': time %lld ms is not after %lld ms", s->name,
		    (long long)ts_ms, (long long)s->ts_ms[s->len - 1]);
	cap = s->cap;
	ALLOC_GROW(s->ts_ms, s->len + 1, cap);
	ALLOC_GROW(s->values, s->len + 1, s->cap);
	s->ts_ms[s->len] = ts_ms;
	s->values[s->len++] = v;
	return 0;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t
series_interval_estimate(const struct series *s)
{
	int64_t *d, med;
	size_t i;

	if (s->len < 2)
		return 0;
	d = xreallocarray(NULL, s->len - 1, sizeof(*d));
	for (i = 1; i < s->len; i++)
		d[i - 1] = s->ts_ms[i] - s->ts_ms[i - 1];
	array_sort(d, s->len - 1, sizeof(*d), cmp_i64);
	med = d[(s->len - 1) / 2];
	free(d);
	return med;
}

static int64_t
interval_of(const struct series *s)
{
	return s->interval_ms > 0 ? s->interval_ms :
	    series_interval_estimate(s);
}

size_t
series_count_measured(const struct series *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->len; i++)
		n += !isnan(s->values[i]);
	return n;
}

double
series_coverage(const struct series *s)
{
	int64_t iv = interval_of(s);
	double expected;

	if (s->len == 0)
		return 0.0;
	if (iv <= 0)
		return series_count_measured(s) > 0 ? 1.0 : 0.0;
	expected = floor((double)(s->ts_ms[s->len - 1] - s->ts_ms[0]) /
	    (double)iv) + 1.0;
	assert(expected >= 1.0);
	return fmin(1.0, (double)series_count_measured(s) / expected);
}

size_t
series_gap_count(const struct series *s)
{
	int64_t iv = interval_of(s);
	size_t i, n = 0;

	if (iv <= 0)
		return 0;
	for (i = 1; i < s->len; i++)
		n += (s->ts_ms[i] - s->ts_ms[i - 1]) * 2 > iv * 3;
	return n;
}
