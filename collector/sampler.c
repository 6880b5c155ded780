/*
 * sampler.c - readings, sub-interval accumulation and row boundaries.
 *
 * Two readings are kept and swapped (the previous and the current), so
 * the steady state allocates nothing.  The per-row sources (source.h)
 * are read only when a row ends, against the part of the reading kept
 * from the row's start (base): a sub-sample reads just CPU, memory,
 * disks and network, whose peaks within the row need it.  Row boundaries are decided on the
 * UTC clock with a tolerance of EPS_S: a timer armed on CLOCK_BOOTTIME
 * for a UTC boundary can fire a few milliseconds early when NTP slews.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/cmath.h"
#include "collector/sampler.h"
#include "common/error.h"
#include "common/xalloc.h"

#define EPS_S 0.1		/* timer and slew tolerance */
#define STEP_S 1.0		/* larger clock disagreements are events */

struct sampler {
	struct sampler_cfg cfg;
	struct probe *probe;
	struct reading r[2];
	int cur;		/* r[cur] is the latest reading */
	struct reading base;	/* t and per_row at the row's start */
	struct accum acc;
	struct clocks row_start;
	double row_b;		/* the row ends past this boundary number */
	int64_t row_ts_ms;
	bool row_first;		/* started unaligned: may merge */
	bool started;		/* a row was written: no more "start" */
	bool stepped;		/* end the row at the next tick */
	unsigned failing;	/* bit per source whose last read failed */
};

struct sampler *
sampler_new(const struct sampler_cfg *cfg, struct probe *p)
{
	struct sampler *s = xcalloc(1, sizeof(*s));
	size_t i;

	s->cfg = *cfg;
	s->probe = p;
	for (i = 0; i < nsources; i++)
		sources[i]->reset(&s->acc);
	return s;
}

void
sampler_free(struct sampler *s)
{
	if (s == NULL)
		return;
	reading_release(&s->r[0]);
	reading_release(&s->r[1]);
	accum_release(&s->acc);
	free(s);
}

const struct reading *
sampler_last(const struct sampler *s)
{
	return &s->r[s->cur];
}

/*
 * Read the sources into r, those read once a row (per_row) or the others;
 * a failing source is reported once.
 */
static void
read_sources(struct sampler *s, struct reading *r, bool per_row)
{
	size_t i;

	for (i = 0; i < nsources; i++) {
		if (sources[i]->per_row != per_row)
			continue;
		if (sources[i]->read(s->probe, r) == 0) {
			s->failing &= ~(1u << i);
			continue;
		}
		s->acc.flags |= FLAG_READ_ERROR;
		if (!(s->failing & (1u << i)) && s->cfg.warn != NULL)
			s->cfg.warn(s->cfg.warn_ctx, error_last_msg());
		s->failing |= 1u << i;
	}
}

/* The row ends at r[cur]: read the per-row sources and add the row. */
static void
row_sources(struct sampler *s)
{
	struct reading *cur = &s->r[s->cur];
	size_t i;

	read_sources(s, cur, true);
	for (i = 0; i < nsources; i++)
		if (sources[i]->per_row)
			sources[i]->add(&s->acc, &s->base, cur,
			    cur->t.mono_s - s->base.t.mono_s);
}

/* the next row starts from r[cur] */
static void
base_keep(struct sampler *s)
{
	s->base.t = s->r[s->cur].t;
	s->base.per_row = s->r[s->cur].per_row;
}

static void
row_begin(struct sampler *s, const struct clocks *t, bool first)
{
	double b = cm_floor((t->real_s + EPS_S) / s->cfg.interval_s) *
	    s->cfg.interval_s;

	s->row_start = *t;
	s->row_b = cm_floor((t->real_s + EPS_S) / s->cfg.interval_s);
	s->row_first = first;
	/* on a boundary: the boundary itself, so rows of servers match */
	if (!s->cfg.once && fabs(t->real_s - b) <= EPS_S)
		s->row_ts_ms = (int64_t)b * 1000;
	else
		s->row_ts_ms = (int64_t)cm_floor(t->real_s * 1000.0);
}

int
sampler_start(struct sampler *s, const struct clocks *t)
{
	struct reading *r = &s->r[s->cur];

	r->t = *t;
	/* without CPU data there is nothing to collect: fail, not warn */
	if (source_cpu.read(s->probe, r) == -1)
		return -1;
	read_sources(s, r, false);
	read_sources(s, r, true);
	base_keep(s);
	row_begin(s, t, true);
	return 0;
}

/* Clock events and every source's accumulation for prev -> cur. */
static void
add_sub(struct sampler *s, const struct reading *prev,
    const struct reading *cur, double dt)
{
	double dboot = cur->t.boot_s - prev->t.boot_s;
	double dreal = cur->t.real_s - prev->t.real_s;
	size_t i;

	if (dboot - dt > STEP_S)
		s->acc.flags |= FLAG_SUSPEND;
	if (fabs(dreal - dboot) > STEP_S) {
		s->acc.flags |= FLAG_CLOCK_STEP;
		s->stepped = true;
	}
	if (cur->t.unsynced)
		s->acc.flags |= FLAG_TIME_UNSYNC;
	for (i = 0; i < nsources; i++)
		if (!sources[i]->per_row)
			sources[i]->add(&s->acc, prev, cur, dt);
	s->acc.dt_s += dt;
	s->acc.nsub++;
}

/* Does the sub-sample at t end the row? */
static bool
row_due(struct sampler *s, const struct clocks *t)
{
	double elapsed = t->mono_s - s->row_start.mono_s;
	double iv = s->cfg.interval_s, b;

	/* it would be written as 0.000 s, which no reader takes */
	if (elapsed < SAMPLES_INTERVAL_MIN_S)
		return false;
	if (s->stepped) {
		s->stepped = false;
		return true;
	}
	if (s->cfg.once)
		return elapsed >= iv - EPS_S;
	b = cm_floor((t->real_s + EPS_S) / iv);
	if (b <= s->row_b)
		return false;
	if (s->row_first && elapsed < iv / 2) {
		s->row_b = b;	/* too short: run on to the next boundary */
		return false;
	}
	return true;
}

/*
 * A cell capplan would refuse (capplan-formats(5): 0 to the metric's
 * max, used memory within the total) comes from a /proc file saying
 * what no kernel says, a load of 1e52 or a counter leaping by 2^63: it
 * is no measurement.  Empty, and the row says a source failed.
 */
static void
row_fit(struct row *row)
{
	double *used = &row->v[METRIC_MEM_USED_MIB];
	double *peak = &row->v[METRIC_MEM_USED_MAX_MIB];
	double tot = row->v[METRIC_MEM_TOTAL_MIB], *v;
	int m;

	for (m = 0; m < METRIC_N; m++) {
		v = &row->v[m];
		if (isnan(*v) || (*v >= 0.0 && *v <= metric_table[m].max))
			continue;
		*v = NAN;
		row->flags |= FLAG_READ_ERROR;
	}
	if (!isnan(tot) && ((!isnan(*used) && *used > tot * 1.001 + 1.0) ||
	    (!isnan(*peak) && *peak > tot * 1.001 + 1.0))) {
		*used = *peak = NAN;
		row->flags |= FLAG_READ_ERROR;
	}
}

static void
row_make(struct sampler *s, const struct clocks *t, unsigned flags,
    struct row *row)
{
	double iv = s->cfg.interval_s, boundary;
	size_t i;
	int m;

	for (m = 0; m < METRIC_N; m++)
		row->v[m] = NAN;
	row->ndisk = row->nnic = 0;
	for (i = 0; i < nsources; i++)
		sources[i]->finish(&s->acc, &s->r[s->cur], row);
	row->ts_ms = s->row_ts_ms;
	row->interval_s = t->mono_s - s->row_start.mono_s;
	row->flags = s->acc.flags | s->cfg.base_flags | flags;
	row_fit(row);
	if (!s->started)
		row->flags |= FLAG_START;
	boundary = cm_floor((t->real_s + EPS_S) / iv) * iv;
	if (!s->cfg.once && !(row->flags & (FLAG_PARTIAL | FLAG_CLOCK_STEP)) &&
	    t->real_s - boundary > s->cfg.sub_s / 2.0)
		row->flags |= FLAG_LATE;
	if (row->interval_s > 1.5 * iv)
		row->flags |= FLAG_GAP;
	s->started = true;
	for (i = 0; i < nsources; i++)
		sources[i]->reset(&s->acc);
	s->acc.dt_s = 0.0;
	s->acc.nsub = 0;
	s->acc.flags = 0;
}

/* Read at t and accumulate; -1 when t does not advance. */
static int
sub_sample(struct sampler *s, const struct clocks *t)
{
	struct reading *prev = &s->r[s->cur], *cur = &s->r[s->cur ^ 1];
	double dt = t->mono_s - prev->t.mono_s;

	if (!(dt > 0.0))
		return error_set(ERROR_DATA, "monotonic time %.3f s is not "
		    "after the previous sub-sample's %.3f s", t->mono_s,
		    prev->t.mono_s);
	cur->t = *t;
	read_sources(s, cur, false);
	add_sub(s, prev, cur, dt);
	s->cur ^= 1;
	return 0;
}

int
sampler_tick(struct sampler *s, const struct clocks *t, struct row *row)
{
	bool stepped;

	if (sub_sample(s, t) == -1)
		return -1;
	stepped = s->stepped;
	if (!row_due(s, t))
		return 0;
	row_sources(s);
	row_make(s, t, 0, row);
	base_keep(s);
	/* after a step or a late end, realign as at the start */
	row_begin(s, t, stepped || (row->flags & FLAG_LATE));
	return 1;
}

int
sampler_finish(struct sampler *s, const struct clocks *t, struct row *row)
{
	const struct clocks *last;

	/* t may be the time of the tick just taken: nothing new to read */
	if (t->mono_s > s->r[s->cur].t.mono_s && sub_sample(s, t) == -1)
		return -1;
	last = &s->r[s->cur].t;
	if (s->acc.nsub == 0 || last->mono_s - s->row_start.mono_s < 1.0)
		return 0;
	row_sources(s);
	row_make(s, last, FLAG_PARTIAL, row);
	base_keep(s);
	row_begin(s, last, true);
	return 1;
}

void
sampler_clock_stepped(struct sampler *s)
{
	s->acc.flags |= FLAG_CLOCK_STEP;
	s->stepped = true;
}
