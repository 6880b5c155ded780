/*
 * sampler.h - sub-samples in, rows out: the collector's clock-free core.
 *
 * The caller (collector/main.c, or a test) takes a reading of the clocks
 * and calls sampler_tick() every sub-sample period; the sampler reads
 * every source through the probe, accumulates the sub-interval and says
 * when a row is complete.  It never reads a clock itself, so the same
 * code runs live, on replayed snapshots (--replay) and in unit tests with
 * made-up times, and golden tests are byte-stable.
 *
 * Row boundaries are multiples of the row interval on the UTC clock, so
 * rows of different servers share timestamps and their demand can be
 * summed; the interval's length is measured on CLOCK_MONOTONIC, which
 * neither steps nor counts suspend.  Research §7 has the rules:
 *   - the first reading is a baseline only; the first row runs to the
 *     first boundary (flag start), merged with the next row when it
 *     would be shorter than half an interval;
 *   - a row ending more than half a sub-sample late is flagged late, and
 *     one that spans missed boundaries is one row flagged gap, never a
 *     row per missed boundary;
 *   - boot time ahead of monotonic time by more than 1 s is a suspend,
 *     UTC time apart from boot time by more than 1 s is a clock step:
 *     the row ends there, flagged, and the next one realigns;
 *   - a stop (SIGTERM, --duration) writes the row so far, flagged
 *     partial, when it covers at least a second.
 */
#ifndef COLLECTOR_SAMPLER_H
#define COLLECTOR_SAMPLER_H

#include <stdbool.h>

#include "collector/probe.h"
#include "collector/source.h"

struct sampler_cfg {
	int interval_s;		/* row length; rows align to its multiples */
	int sub_s;		/* sub-sample period; divides interval_s */
	bool once;		/* one row of interval_s from the start */
	unsigned base_flags;	/* put on every row (in_container) */
	/* told once about each source that starts failing; may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

struct sampler;

/* A sampler reading through p (borrowed; it must outlive the sampler). */
struct sampler *sampler_new(const struct sampler_cfg *cfg, struct probe *p);
void sampler_free(struct sampler *s);

/*
 * Take the baseline reading at time t.  Returns 0, or -1 with the error
 * recorded when /proc/stat cannot be read: a collector without CPU data
 * has nothing to say.
 */
int sampler_start(struct sampler *s, const struct clocks *t);

/*
 * Take a sub-sample at time t (after the previous one on the monotonic
 * clock).  Returns 1 with *row filled when t ends a row, 0 when the row
 * goes on, -1 (error recorded) when t does not advance.  row keeps its
 * arrays between calls; release it with row_release().
 */
int sampler_tick(struct sampler *s, const struct clocks *t, struct row *row);

/*
 * A last sub-sample at time t, on stop (t may repeat the last tick's
 * time: then nothing more is read): 1 with a partial row in *row when
 * the row so far covers at least one second, else 0; -1 as for
 * sampler_tick().
 */
int sampler_finish(struct sampler *s, const struct clocks *t, struct row *row);

/* The UTC clock was set (TFD_TIMER_CANCEL_ON_SET fired): end the row at
 * the next tick, flagged clock_step. */
void sampler_clock_stepped(struct sampler *s);

/* The latest reading (for the inventory's view of disks and NICs). */
const struct reading *sampler_last(const struct sampler *s);

#endif
