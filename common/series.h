/*
 * series.h - a time series of one metric of one server.
 *
 * Timestamps are milliseconds since the epoch (UTC), strictly increasing;
 * a value of NaN means "not measured" (an empty CSV cell), never zero.
 * interval_ms is the nominal spacing the source declared; gaps are
 * missing intervals and show up in coverage, they are not filled.
 * USED BY: capplan.
 */
#ifndef COMMON_SERIES_H
#define COMMON_SERIES_H

#include <stddef.h>
#include <stdint.h>

struct series {
	char *name;		/* "web01.cpu_busy_pct" */
	int64_t *ts_ms;
	double *values;
	size_t len, cap;
	int64_t interval_ms;	/* nominal interval; 0 when unknown */
};

struct series *series_new(const char *name, int64_t interval_ms);
void series_free(struct series *s);
/*
 * Append a point.  Returns -1 with ERROR_DATA when ts_ms is not after the
 * last point (the readers check order first, so this is their backstop).
 */
int series_append(struct series *s, int64_t ts_ms, double v);
/*
 * The interval implied by the data: the median spacing of consecutive
 * points, or 0 with fewer than two points.
 */
int64_t series_interval_estimate(const struct series *s);
/*
 * Share of the intervals between the first and last point (inclusive)
 * that hold a measured value, in [0, 1]; 0 for an empty series.  Uses
 * interval_ms, or the estimate when that is 0.
 */
double series_coverage(const struct series *s);
/* Number of spacings longer than 1.5 intervals. */
size_t series_gap_count(const struct series *s);
/* Number of measured (non-NaN) values. */
size_t series_count_measured(const struct series *s);

#endif
