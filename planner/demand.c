/*
 * demand.c - every server's demand per resource and time slot.
 *
 * hour, week  the profile's slots (the sizing percentile of the samples
 *             in each hour of the day or of the week, UTC).  A slot with
 *             no samples takes the server's largest slot.
 * peak        one slot: the profile's sizing percentile over the whole
 *             window (peak-based sizing).
 * series      the samples read again (common/samples.h) onto one grid
 *             for all servers: the step is the most common sample
 *             interval, slot 0 starts at the earliest sample (rounded
 *             down to the step), a slot holding several samples of a
 *             server takes the largest, and a slot with none takes the
 *             server's sizing percentile.  CPU becomes capacity units
 *             with the profile's cpu_rating, as capplan profile does.
 *             Memory: servers x slots x 5 x 8 bytes.
 *
 * A server whose profile shows significant growth (the trend flag) gets
 * its projected growth (projected - sized, when positive) added to every
 * slot.  A resource the server never measured counts 0, except memory,
 * which counts its sized memory in every slot (the conservative reading).
 * A memory slot is never above the sized memory: a guest cannot hold
 * more than it is given.  A virtualized server with no memory figure at
 * all takes the inventory's installed memory or [sizing]
 * assumed_mem_mib, with a warning; with neither the plan is refused
 * (demand_size_memory()): never 0.
 * The sized vCPUs and memory are the profile's; missing, they fall back
 * to the CPU peak over the policy's vcpu_cu and to the installed memory.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/samples.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "planner/planner.h"

#define SERIES_MAX_SLOTS 1000000

static const char *const day_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
    "Sat", "Sun" };

void
demand_slot_label(const struct demand *d, size_t slot, char *buf, size_t len)
{
	char ts[TIME_RFC3339_LEN];

	switch (d->resolution) {
	case RESOLUTION_HOUR:
		snprintf(buf, len, "%02zu:00", slot % 24);
		break;
	case RESOLUTION_WEEK:
		snprintf(buf, len, "%s %02zu:00", day_names[(slot / 24) % 7],
		    slot % 24);
		break;
	case RESOLUTION_SERIES:
		time_format_rfc3339(d->start_ms + (int64_t)((double)slot *
		    d->slot_s * 1000), ts);
		snprintf(buf, len, "%s", ts);
		break;
	default:
		snprintf(buf, len, "the sizing percentile");
		break;
	}
}

static void
demand_alloc(struct demand *d, size_t nservers, size_t nslots)
{
	d->nservers = nservers;
	d->nslots = nslots;
	d->v = xcalloc(nservers * RES_N * nslots + 1, sizeof(double));
	d->measured = xcalloc(nservers * RES_N + 1, sizeof(bool));
	d->vcpus = xcalloc(nservers + 1, sizeof(double));
	d->mem_mib = xcalloc(nservers + 1, sizeof(double));
	d->mem_source = xcalloc(nservers + 1, 1);
}

void
demand_release(struct demand *d)
{
	if (d == NULL)
		return;
	free(d->v);
	free(d->measured);
	free(d->vcpus);
	free(d->mem_mib);
	free(d->mem_source);
	free(d->storage_gib);
	free(d->storage_source);
	free(d->grow);
	free(d->grow_rule);
	memset(d, 0, sizeof(*d));
}

/* growth to add to every slot of resource r: the fitted trend, unless
 * the policy states server s's growth (growth.c) */
static double
growth(const struct demand *d, size_t s, const struct profile *p, int r)
{
	double g;

	if (!(p->flags & PROFILE_TREND) || growth_stated(d, s, r))
		return 0;
	g = p->stat[r].projected - p->stat[r].sized;
	return isfinite(g) && g > 0 ? g : 0;
}

/* server s has no memory figure: the inventory's, else the policy's */
static bool
memory_fallback(struct demand *d, size_t s, const struct planner_input *in)
{
	const struct server_inv *inv = in->inv != NULL ?
	    inventory_find(in->inv, in->ps->profiles[s].host) : NULL;

	if (inv != NULL && inv->mem_mib > 0) {
		d->mem_mib[s] = inv->mem_mib;
		d->mem_source[s] = MEM_SOURCE_INSTALLED;
	} else if (in->pol->assumed_mem_mib > 0) {
		d->mem_mib[s] = in->pol->assumed_mem_mib;
		d->mem_source[s] = MEM_SOURCE_ASSUMED;
	} else
		return false;
	return true;
}

/* the sizes, and the memory slots: not measured, the sized memory; never
 * above it.  A memory size still unknown (NaN) is refused by
 * demand_size_memory() when the server is virtualized. */
static void
fill_sizes(struct demand *d, size_t s, const struct profile *p,
    const struct planner_input *in)
{
	const struct policy *pol = in->pol;
	double *mem = demand_row(d, s, RES_MEM), peak = 0;
	double *cpu = demand_row(d, s, RES_CPU);
	size_t k;

	for (k = 0; k < d->nslots; k++)
		if (cpu[k] > peak)
			peak = cpu[k];
	d->vcpus[s] = p->size_vcpus >= 1 ? p->size_vcpus :
	    fmax(1, ceil(peak / (pol->vcpu_cu > 0 ? pol->vcpu_cu : 1)));
	d->mem_mib[s] = p->size_mem_mib > 0 ? p->size_mem_mib :
	    p->mem_total_mib > 0 ? p->mem_total_mib : NAN;
	d->mem_source[s] = p->stat[RES_MEM].n > 0 ? MEM_SOURCE_SAMPLES :
	    MEM_SOURCE_INSTALLED;
	if (isnan(d->mem_mib[s]))
		(void)memory_fallback(d, s, in);
	/* a guest never holds more memory than it is given: a slot above
	 * that is swap inside the guest, which the plan warns about */
	for (k = 0; k < d->nslots; k++)
		if (!d->measured[s * RES_N + RES_MEM])
			mem[k] = isnan(d->mem_mib[s]) ? 0 : d->mem_mib[s];
		else if (mem[k] > d->mem_mib[s])
			mem[k] = d->mem_mib[s];
}

void
planner_names_add(struct strbuf *sb, size_t *n, const char *name)
{
	if ((*n)++ < 5)
		strbuf_addf(sb, "%s%s", *n > 1 ? ", " : "", name);
	else if (*n == 6)
		strbuf_addstr(sb, ", ...");
}

int
demand_size_memory(struct demand *d, const struct planner_input *in,
    const enum plan_decision *decision, struct planner_result *res)
{
	struct strbuf sb[MEM_SOURCE_N + 1];
	size_t s, n[MEM_SOURCE_N + 1] = { 0 }, k;
	int ret = 0;

	for (k = 0; k <= MEM_SOURCE_N; k++)
		strbuf_init(&sb[k]);
	for (s = 0; s < d->nservers; s++) {
		if (decision[s] != DECISION_VIRTUALIZE)
			continue;
		k = isnan(d->mem_mib[s]) ? MEM_SOURCE_N : d->mem_source[s];
		planner_names_add(&sb[k], &n[k], in->ps->profiles[s].host);
	}
	if (n[MEM_SOURCE_N] > 0)
		ret = error_set(ERROR_DATA, "the memory of %zu server%s is not "
		    "known (no memory samples, no installed memory in the "
		    "profile or the inventory): %s; measure it, give mem_mib in "
		    "the inventory (-i), or set [sizing] assumed_mem_mib",
		    n[MEM_SOURCE_N], n[MEM_SOURCE_N] == 1 ? "" : "s",
		    sb[MEM_SOURCE_N].buf);
	else if (n[MEM_SOURCE_INSTALLED] > 0)
		planner_warn(res, "memory not measured, so sized at the installed "
		    "memory: %zu server%s: %s", n[MEM_SOURCE_INSTALLED],
		    n[MEM_SOURCE_INSTALLED] == 1 ? "" : "s",
		    sb[MEM_SOURCE_INSTALLED].buf);
	if (ret == 0 && n[MEM_SOURCE_ASSUMED] > 0)
		planner_warn(res, "memory neither measured nor installed, so "
		    "sized at [sizing] assumed_mem_mib = %g MiB, an assumption: "
		    "%zu server%s: %s", in->pol->assumed_mem_mib,
		    n[MEM_SOURCE_ASSUMED], n[MEM_SOURCE_ASSUMED] == 1 ? "" : "s",
		    sb[MEM_SOURCE_ASSUMED].buf);
	for (k = 0; k <= MEM_SOURCE_N; k++)
		strbuf_release(&sb[k]);
	return ret;
}

/* one server's slots from its profile: slot values, or its percentile */
static void
from_profile(struct demand *d, size_t s, const struct profile *p)
{
	double *row, top, g;
	size_t k;
	int r;

	for (r = 0; r < RES_N; r++) {
		row = demand_row(d, s, r);
		d->measured[s * RES_N + r] = p->stat[r].n > 0;
		if (p->stat[r].n == 0)
			continue;
		g = growth(d, s, p, r);
		if (d->resolution == RESOLUTION_PEAK) {
			row[0] = (isfinite(p->stat[r].sized) ? p->stat[r].sized :
			    p->stat[r].max) + g;
			continue;
		}
		top = 0;
		for (k = 0; k < d->nslots; k++)
			if (isfinite(p->slot[r][k]) && p->slot[r][k] > top)
				top = p->slot[r][k];
		for (k = 0; k < d->nslots; k++)
			row[k] = (isfinite(p->slot[r][k]) ? p->slot[r][k] :
			    top) + g;
	}
}

static int
check_slots(const struct profile_set *ps, size_t want, const char *what)
{
	size_t i;

	for (i = 0; i < ps->nprofiles; i++)
		if (ps->profiles[i].nslots != want)
			return error_set(ERROR_DATA, "server '%s' has a profile "
			    "of %zu slots; resolution %s needs %zu (capplan "
			    "profile -s %s)", ps->profiles[i].host,
			    ps->profiles[i].nslots, what, want,
			    want == SLOTS_WEEK ? "week" : "hour");
	return 0;
}

static int
demand_from_profiles(struct demand *d, const struct planner_input *in)
{
	const struct profile_set *ps = in->ps;
	size_t s, nslots = 1;

	if (in->resolution == RESOLUTION_HOUR) {
		nslots = SLOTS_HOUR;
		d->slot_s = 3600;
	} else if (in->resolution == RESOLUTION_WEEK) {
		nslots = SLOTS_WEEK;
		d->slot_s = 3600;
	}
	if (nslots > 1 && check_slots(ps, nslots, resolution_names[
	    in->resolution]) == -1)
		return -1;
	if (nslots == 1)
		d->slot_s = NAN;
	demand_alloc(d, ps->nprofiles, nslots);
	for (s = 0; s < ps->nprofiles; s++) {
		from_profile(d, s, &ps->profiles[s]);
		fill_sizes(d, s, &ps->profiles[s], in);
	}
	return 0;
}

/* ------------------------------------------------------------ series */

struct point {
	int64_t ts_ms;
	float v[RES_N];		/* NaN: not measured */
};

struct series_rd {
	const struct planner_input *in;
	const struct profile_set *ps;
	struct strmap index;	/* host -> server */
	struct point **pts;	/* per server */
	size_t *npts, *cap;
	double *intervals;	/* all interval_s seen, for the mode */
	size_t nint, capint;
	size_t unknown;		/* rows of hosts without a profile */
	char *first_unknown;
};

static double
sum2(double a, double b)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a + b;
}

static int
series_row(const struct sample *sm, void *ctx)
{
	struct series_rd *rd = ctx;
	const struct profile *p;
	struct point *pt;
	size_t s;

	if (rd->in->windowed && (sm->ts_ms < rd->in->from_ms ||
	    sm->ts_ms >= rd->in->until_ms))
		return 0;
	if (!strmap_get(&rd->index, sm->host, &s)) {
		if (rd->unknown++ == 0)
			rd->first_unknown = xstrdup(sm->host);
		return 0;
	}
	p = &rd->ps->profiles[s];
	ALLOC_GROW(rd->pts[s], rd->npts[s] + 1, rd->cap[s]);
	pt = &rd->pts[s][rd->npts[s]++];
	pt->ts_ms = sm->ts_ms;
	pt->v[RES_CPU] = (float)(sm->v[METRIC_CPU_BUSY_PCT] / 100 *
	    p->cpu_rating);
	pt->v[RES_MEM] = (float)sm->v[METRIC_MEM_USED_MIB];
	pt->v[RES_DISK_IOPS] = (float)sum2(sm->v[METRIC_DISK_READ_IOPS],
	    sm->v[METRIC_DISK_WRITE_IOPS]);
	pt->v[RES_DISK_KIBPS] = (float)sum2(sm->v[METRIC_DISK_READ_KIBPS],
	    sm->v[METRIC_DISK_WRITE_KIBPS]);
	pt->v[RES_NET_KIBPS] = (float)sum2(sm->v[METRIC_NET_RX_KIBPS],
	    sm->v[METRIC_NET_TX_KIBPS]);
	ALLOC_GROW(rd->intervals, rd->nint + 1, rd->capint);
	rd->intervals[rd->nint++] = sm->interval_s;
	return 0;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the most common value (the smallest of equals) */
static double
mode_of(double *v, size_t n)
{
	size_t i, run = 0, best = 0;
	double m = NAN;

	if (n == 0)
		return NAN;
	array_sort(v, n, sizeof(double), dbl_cmp);
	for (i = 0; i < n; i++) {
		run = i > 0 && v[i] == v[i - 1] ? run + 1 : 1;
		if (run > best) {
			best = run;
			m = v[i];
		}
	}
	return m;
}

static int
series_grid(struct series_rd *rd, struct demand *d)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN, step;
	size_t s, k;

	d->slot_s = mode_of(rd->intervals, rd->nint);
	if (!(d->slot_s > 0))
		return error_set(ERROR_DATA, "the samples have no interval to "
		    "build a series on");
	step = (int64_t)llround(d->slot_s * 1000);
	for (s = 0; s < rd->ps->nprofiles; s++) {
		if (rd->npts[s] == 0)
			return error_set(ERROR_DATA, "server '%s' has a profile "
			    "but no samples in the files given",
			    rd->ps->profiles[s].host);
		for (k = 0; k < rd->npts[s]; k++) {
			if (rd->pts[s][k].ts_ms < lo)
				lo = rd->pts[s][k].ts_ms;
			if (rd->pts[s][k].ts_ms > hi)
				hi = rd->pts[s][k].ts_ms;
		}
	}
	lo -= ((lo % step) + step) % step;
	for (s = 0, k = 0; s < rd->ps->nprofiles; s++)
		if (rd->npts[s] > k)
			k = rd->npts[s];
	if ((hi - lo) / step + 1 > 4 * (int64_t)k)
		return error_set(ERROR_DATA, "the samples do not overlap in "
		    "time: they span %lld slots of %g s but no server has more "
		    "than %zu samples (resolution series needs the servers "
		    "measured over the same period; use hour or week)",
		    (long long)((hi - lo) / step + 1), d->slot_s, k);
	if ((hi - lo) / step + 1 > SERIES_MAX_SLOTS)
		return error_set(ERROR_DATA, "the samples span %lld slots of "
		    "%g s, more than %d", (long long)((hi - lo) / step + 1),
		    d->slot_s, SERIES_MAX_SLOTS);
	d->start_ms = lo;
	demand_alloc(d, rd->ps->nprofiles, (size_t)((hi - lo) / step + 1));
	return 0;
}

static void
series_fill(struct series_rd *rd, struct demand *d, size_t s)
{
	const struct profile *p = &rd->ps->profiles[s];
	int64_t step = (int64_t)llround(d->slot_s * 1000);
	double *row, g;
	size_t k, slot;
	int r;

	for (r = 0; r < RES_N; r++) {
		row = demand_row(d, s, r);
		for (k = 0; k < d->nslots; k++)
			row[k] = NAN;
		for (k = 0; k < rd->npts[s]; k++) {
			slot = (size_t)((rd->pts[s][k].ts_ms - d->start_ms) / step);
			if (!isnan(rd->pts[s][k].v[r]) && !(row[slot] >=
			    rd->pts[s][k].v[r]))
				row[slot] = rd->pts[s][k].v[r];
		}
		d->measured[s * RES_N + r] = p->stat[r].n > 0;
		g = growth(d, s, p, r);
		for (k = 0; k < d->nslots; k++) {
			if (isnan(row[k]))
				row[k] = p->stat[r].n > 0 &&
				    isfinite(p->stat[r].sized) ?
				    p->stat[r].sized : 0;
			row[k] += g;
		}
	}
}

static void
series_release(struct series_rd *rd)
{
	size_t s;

	for (s = 0; s < rd->ps->nprofiles; s++)
		free(rd->pts[s]);
	free(rd->pts);
	free(rd->npts);
	free(rd->cap);
	free(rd->intervals);
	free(rd->first_unknown);
	strmap_release(&rd->index);
}

/* a planned workload ([add NAME] like = X) runs X's samples, slot for
 * slot, as with the other resolutions it has X's profile */
static void
series_added(struct series_rd *rd, const struct planner_input *in)
{
	size_t i, s, like;

	for (i = 0; i < in->nadded; i++) {
		s = in->ps->nprofiles - in->nadded + i;
		like = in->added_like[i];
		rd->npts[s] = rd->cap[s] = rd->npts[like];
		rd->pts[s] = rd->npts[like] == 0 ? NULL : xmemdup(rd->pts[like],
		    rd->npts[like] * sizeof(*rd->pts[like]));
	}
}

static int
demand_from_samples(struct demand *d, const struct planner_input *in,
    struct planner_result *res)
{
	static const struct samples_ops ops = { NULL, series_row };
	struct series_rd rd;
	size_t s, f;
	int ret = -1;

	if (in->nsamples == 0)
		return error_set(ERROR_USAGE, "resolution series needs the "
		    "samples files after hosts.csv");
	memset(&rd, 0, sizeof(rd));
	rd.in = in;
	rd.ps = in->ps;
	strmap_init(&rd.index);
	rd.pts = xcalloc(in->ps->nprofiles + 1, sizeof(*rd.pts));
	rd.npts = xcalloc(in->ps->nprofiles + 1, sizeof(size_t));
	rd.cap = xcalloc(in->ps->nprofiles + 1, sizeof(size_t));
	/* the planned workloads ([add]) have no samples of their own: rows
	 * under their names belong to no profile */
	for (s = 0; s < in->ps->nprofiles - in->nadded; s++)
		strmap_put(&rd.index, in->ps->profiles[s].host, s, NULL);
	for (f = 0; f < in->nsamples; f++)
		if (samples_read(in->samples[f], &ops, &rd, NULL) == -1)
			goto out;
	series_added(&rd, in);
	if (rd.unknown > 0)
		planner_warn(res, "%zu samples rows of servers with no profile "
		    "ignored (the first: '%s')", rd.unknown, rd.first_unknown);
	if (series_grid(&rd, d) == -1)
		goto out;
	for (s = 0; s < in->ps->nprofiles; s++) {
		series_fill(&rd, d, s);
		fill_sizes(d, s, &in->ps->profiles[s], in);
	}
	ret = 0;
out:
	series_release(&rd);
	return ret;
}

/* a margin on every server's CPU demand (sizing.c's ladder) */
static void
cpu_margin(struct demand *d, double m)
{
	double *row;
	size_t s, k;

	for (s = 0; m > 0 && s < d->nservers; s++)
		for (row = demand_row(d, s, RES_CPU), k = 0; k < d->nslots; k++)
			row[k] *= 1 + m;
}

int
demand_build(struct demand *d, const struct planner_input *in,
    struct planner_result *res)
{
	int rc;

	memset(d, 0, sizeof(*d));
	d->resolution = in->resolution;
	if (growth_resolve(d, in) == -1)
		return -1;
	if (in->resolution == RESOLUTION_SERIES)
		rc = demand_from_samples(d, in, res);
	else
		rc = demand_from_profiles(d, in);
	if (rc == 0) {
		growth_apply(d);
		cpu_margin(d, in->cpu_margin);
	}
	return rc;
}
