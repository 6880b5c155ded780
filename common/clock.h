/*
 * clock.h - seconds on CLOCK_MONOTONIC, for time limits, progress and
 * intervals: one reading for the planner's budgets, the libvirt
 * importer's sampling and validate's slots.
 * USED BY: capplan and the benchmarks.
 */
#ifndef COMMON_CLOCK_H
#define COMMON_CLOCK_H

#include <time.h>

static inline double
mono_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
