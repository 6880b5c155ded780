/*
 * summary.c - bounded-memory running summary on GSL.
 *
 * The mean is a running (Welford) mean, stable over millions of values.
 * Values are kept until SUMMARY_EXACT_MAX; the first value past that
 * moves them all into a P-square workspace and frees the array.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rstat.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "common/xalloc.h"
#include "model/summary.h"

struct summary {
	double q;
	size_t n;
	double min, max, mean;
	double *vals;		/* exact phase, NULL after */
	size_t nvals, cap;
	bool sorted;
	gsl_rstat_quantile_workspace *p2;
};

struct summary *
summary_new(double q)
{
	struct summary *s = xcalloc(1, sizeof(*s));

	s->q = q;
	s->min = INFINITY;
	s->max = -INFINITY;
	return s;
}

void
summary_free(struct summary *s)
{
	if (s == NULL)
		return;
	free(s->vals);
	if (s->p2 != NULL)
		gsl_rstat_quantile_free(s->p2);
	free(s);
}

static void
go_estimated(struct summary *s)
{
	size_t i;

	s->p2 = gsl_rstat_quantile_alloc(s->q);
	if (s->p2 == NULL)
		xalloc_oom(sizeof(*s->p2));	/* only allocation fails here */
	for (i = 0; i < s->nvals; i++)
		gsl_rstat_quantile_add(s->vals[i], s->p2);
	free(s->vals);
	s->vals = NULL;
	s->nvals = s->cap = 0;
}

void
summary_add(struct summary *s, double v)
{
	if (isnan(v))
		return;
	s->n++;
	s->mean += (v - s->mean) / (double)s->n;
	if (v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
	if (s->p2 == NULL && s->nvals == SUMMARY_EXACT_MAX)
		go_estimated(s);
	if (s->p2 != NULL) {
		gsl_rstat_quantile_add(v, s->p2);
		return;
	}
	ALLOC_GROW(s->vals, s->nvals + 1, s->cap);
	s->vals[s->nvals++] = v;
	s->sorted = false;
}

size_t
summary_count(const struct summary *s)
{
	return s->n;
}

double
summary_min(const struct summary *s)
{
	return s->n > 0 ? s->min : NAN;
}

double
summary_max(const struct summary *s)
{
	return s->n > 0 ? s->max : NAN;
}

double
summary_mean(const struct summary *s)
{
	return s->n > 0 ? s->mean : NAN;
}

double
summary_quantile(struct summary *s, bool *estimated)
{
	*estimated = s->p2 != NULL;
	if (s->n == 0)
		return NAN;
	if (s->p2 != NULL)
		return gsl_rstat_quantile_get(s->p2);
	if (!s->sorted) {
		gsl_sort(s->vals, 1, s->nvals);
		s->sorted = true;
	}
	return gsl_stats_quantile_from_sorted_data(s->vals, 1, s->nvals,
	    s->q);
}
