/*
 * cmath.h - the four libm functions the collector needs, inline.
 *
 * floor, round, fmax and fmin are the collector's only uses of libm, and
 * mapping libm costs about 400 KiB of resident memory (its pages are
 * faulted in around the few it needs): a fifth of the 2 MiB budget
 * (bench/collector).  glibc's libm cannot be linked statically into a
 * PIE (its floor is an IFUNC resolved by ld.so), so these stand in.
 * They serve times, counts and rates, and numbers parsed from /proc and
 * /sys, which can be anything: NaN, infinities and values beyond 2^62
 * (all of which are whole numbers already) are returned as they are.
 */
#ifndef COLLECTOR_CMATH_H
#define COLLECTOR_CMATH_H

#include <math.h>
#include <stdint.h>

/* floor(); converting x outside int64_t's range is undefined behaviour */
static inline double
cm_floor(double x)
{
	double t;

	if (!(x > -4e18 && x < 4e18))
		return x;
	t = (double)(int64_t)x;	/* truncates toward zero */
	return t > x ? t - 1.0 : t;
}

/* round() (halves away from zero) */
static inline double
cm_round(double x)
{
	return x < 0 ? -cm_floor(-x + 0.5) : cm_floor(x + 0.5);
}

/* fmax() and fmin(): a NaN argument gives the other one */
static inline double
cm_max(double a, double b)
{
	return isnan(a) || b > a ? b : a;
}

static inline double
cm_min(double a, double b)
{
	return isnan(a) || b < a ? b : a;
}

#endif
