/*
 * profile_build.c - one server's profile from its samples (GSL).
 *
 * Every percentile is the type 7 quantile of the measured samples
 * (gsl_stats_quantile_from_sorted_data: linear between order statistics
 * at position q (n - 1)), so an awk script or a spreadsheet can check any
 * figure from the same file.  CPU is normalised first: demand in CU is
 * cpu_busy_pct / 100 x the server's cpu_rating (cpu_table.h).  The trend
 * is the least-squares line through (days since the first sample,
 * demand), gsl_fit_linear, with its standard error; growth is projected
 * only when it is significant (slope above twice its standard error) and
 * measured over at least TREND_MIN_DAYS, so a daily cycle in a few days
 * of data is not extrapolated for a year, and never downwards.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "model/cpu_table.h"
#include "model/profile_build.h"

#define TREND_MIN_DAYS 14.0	/* two weekly cycles */
#define TREND_T 2.0		/* slope / standard error to project it */
#define GAPPY_COVERAGE 0.9
#define MEM_GRANULE_MIB 256.0
#define DAY_MS 86400000.0

void
profile_config_from_policy(struct profile_config *c, const struct policy *p)
{
	c->percentile = p->percentile;
	c->slots = p->resolution == RESOLUTION_WEEK ? SLOTS_WEEK : SLOTS_HOUR;
	c->min_days = (double)p->min_days;
	c->horizon_days = (double)p->horizon_months * 365.25 / 12.0;
	c->headroom_cpu = p->headroom_cpu;
	c->headroom_mem = p->headroom_mem;
	c->vcpu_cu = p->vcpu_cu;
}

/* a + b where both are measured, else NaN ("not measured", never 0):
 * NaN propagates through the sum */
static double
pair_sum(const struct sample *s, enum metric a, enum metric b)
{
	return s->v[a] + s->v[b];
}

void
host_sample_from(struct host_sample *h, const struct sample *s, uint32_t src)
{
	h->ts_ms = s->ts_ms;
	h->interval_s = s->interval_s;
	h->v[HS_CPU_PCT] = s->v[METRIC_CPU_BUSY_PCT];
	h->v[HS_MEM_MIB] = s->v[METRIC_MEM_USED_MIB];
	h->v[HS_DISK_IOPS] = pair_sum(s, METRIC_DISK_READ_IOPS,
	    METRIC_DISK_WRITE_IOPS);
	h->v[HS_DISK_KIBPS] = pair_sum(s, METRIC_DISK_READ_KIBPS,
	    METRIC_DISK_WRITE_KIBPS);
	h->v[HS_NET_KIBPS] = pair_sum(s, METRIC_NET_RX_KIBPS,
	    METRIC_NET_TX_KIBPS);
	h->v[HS_MEM_TOTAL_MIB] = s->v[METRIC_MEM_TOTAL_MIB];
	h->ncpu = (float)s->v[METRIC_NCPU_ONLINE];
	h->src = src;
}

double
profile_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

size_t
profile_slot_of(int64_t ts_ms, enum slot_kind k)
{
	int64_t hours = ts_ms >= 0 ? ts_ms / 3600000 :
	    -((-ts_ms + 3599999) / 3600000);
	int64_t slot;

	if (k == SLOTS_HOUR)
		slot = hours % 24;
	else	/* 1970-01-01 00:00 was a Thursday, 72 h into its week */
		slot = (hours + 72) % 168;
	return (size_t)(slot < 0 ? slot + (int64_t)k : slot);
}

static int
sample_cmp(const void *a, const void *b)
{
	const struct host_sample *x = a, *y = b;

	if (x->ts_ms != y->ts_ms)
		return x->ts_ms < y->ts_ms ? -1 : 1;
	return (x->src > y->src) - (x->src < y->src);
}

/* Sort by time (input file on ties) and keep the first of each time. */
static size_t
samples_sort_unique(struct host_sample *s, size_t n, size_t *dups)
{
	size_t i, m;

	for (i = 1; i < n; i++)
		if (sample_cmp(&s[i - 1], &s[i]) > 0)
			break;
	if (i < n)
		qsort(s, n, sizeof(*s), sample_cmp);
	for (i = 1, m = 1; i < n; i++)
		if (s[i].ts_ms != s[m - 1].ts_ms)
			s[m++] = s[i];
	*dups = n - m;
	return m;
}

/* the most common interval, to the millisecond; the shorter on a tie */
static double
interval_mode(const struct host_sample *s, size_t n, double *scratch)
{
	double best = NAN;
	size_t i, run, best_run = 0;

	for (i = 0; i < n; i++)
		scratch[i] = round(s[i].interval_s * 1000.0) / 1000.0;
	gsl_sort(scratch, 1, n);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && scratch[i + run] == scratch[i];
		    run++)
			;
		if (run > best_run) {
			best_run = run;
			best = scratch[i];
		}
	}
	return best;
}

/* first, end, days, coverage, interval of sorted, unique samples */
static void
profile_time(struct profile *p, const struct host_sample *s, size_t n,
    double *scratch)
{
	double covered = 0.0, step, span;
	size_t i;

	for (i = 0; i < n; i++) {
		step = i + 1 < n ? (double)(s[i + 1].ts_ms - s[i].ts_ms) /
		    1000.0 : s[i].interval_s;
		covered += fmin(step, s[i].interval_s);
	}
	p->nsamples = n;
	p->first_ms = s[0].ts_ms;
	p->end_ms = s[n - 1].ts_ms + llround(s[n - 1].interval_s * 1000.0);
	span = (double)(p->end_ms - p->first_ms) / 1000.0;
	p->coverage = span > 0.0 ? fmin(1.0, covered / span) : 0.0;
	p->days = span / 86400.0;
	p->interval_s = interval_mode(s, n, scratch);
}

/* The measured values of column col (times k) into v and their day
 * offsets into x; returns how many. */
static size_t
gather(const struct host_sample *s, size_t n, int col, double k, double *v,
    double *x)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (!isnan(s[i].v[col])) {
			v[m] = s[i].v[col] * k;
			x[m++] = (double)(s[i].ts_ms - s[0].ts_ms) / DAY_MS;
		}
	return m;
}

/* least-squares slope per 30 days and its standard error, from m points */
static int
trend_fit(struct demand_stats *d, const double *x, const double *v, size_t m,
    const char *host, int r)
{
	double c0, c1, cov00, cov01, cov11, sumsq;
	int rc;

	d->trend_per_30d = d->trend_se = NAN;
	if (m < 3 || !(x[m - 1] > x[0]))
		return 0;
	rc = gsl_fit_linear(x, 1, v, 1, m, &c0, &c1, &cov00, &cov01, &cov11,
	    &sumsq);
	if (rc != GSL_SUCCESS)
		return error_set(ERROR_MODEL, "trend of %s of '%s' failed: %s",
		    resource_table[r].name, host, gsl_strerror(rc));
	d->trend_per_30d = c1 * 30.0;
	d->trend_se = sqrt(cov11) * 30.0;
	return 0;
}

/* Summary statistics of the m values v (sorted here); true in *grows
 * when growth is projected. */
static void
stats_of(struct demand_stats *d, double *v, size_t m,
    const struct profile_config *c, double days, bool *grows)
{
	double slope = d->trend_per_30d, se = d->trend_se;

	d->n = m;
	d->mean = m > 0 ? gsl_stats_mean(v, 1, m) : NAN;
	gsl_sort(v, 1, m);
	d->p50 = profile_quantile_sorted(v, m, 0.50);
	d->p90 = profile_quantile_sorted(v, m, 0.90);
	d->p95 = profile_quantile_sorted(v, m, 0.95);
	d->p99 = profile_quantile_sorted(v, m, 0.99);
	d->max = m > 0 ? v[m - 1] : NAN;
	d->burst = d->mean > 0.0 ? d->max / d->mean : NAN;
	d->sized = profile_quantile_sorted(v, m, c->percentile / 100.0);
	d->projected = d->sized;
	*grows = days >= TREND_MIN_DAYS && slope > 0.0 && se >= 0.0 &&
	    slope > TREND_T * se;
	if (*grows)
		d->projected += slope * c->horizon_days / 30.0;
}

/* Each slot's percentile of column col (times k). */
static void
slots_of(double *slot, const struct host_sample *s, size_t n, int col,
    double k, const unsigned char *where, const struct profile_config *c,
    double *scratch, size_t *start)
{
	size_t i, ns = (size_t)c->slots;

	memset(start, 0, (ns + 1) * sizeof(*start));
	for (i = 0; i < n; i++)
		if (!isnan(s[i].v[col]))
			start[where[i] + 1]++;
	for (i = 1; i <= ns; i++)
		start[i] += start[i - 1];
	for (i = 0; i < n; i++)
		if (!isnan(s[i].v[col]))
			scratch[start[where[i]]++] = s[i].v[col] * k;
	/* start[j] now ends slot j: slot j is [start[j-1], start[j]) */
	for (i = 0; i < ns; i++) {
		size_t lo = i == 0 ? 0 : start[i - 1], cnt = start[i] - lo;

		gsl_sort(scratch + lo, 1, cnt);
		slot[i] = profile_quantile_sorted(scratch + lo, cnt,
		    c->percentile / 100.0);
	}
}

/* threads, installed memory and the CPU rating, from inventory or
 * samples */
static void
profile_capacity(struct profile *p, const struct host_sample *s, size_t n,
    const struct server_inv *inv)
{
	struct cpu_rating cr;
	double ncpu = NAN, mem = NAN;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isnan(s[i].ncpu) && !(s[i].ncpu <= ncpu))
			ncpu = s[i].ncpu;
		if (!isnan(s[i].v[HS_MEM_TOTAL_MIB]) &&
		    !(s[i].v[HS_MEM_TOTAL_MIB] <= mem))
			mem = s[i].v[HS_MEM_TOTAL_MIB];
	}
	cpu_rating_of(inv, ncpu, &cr);
	p->cpu_rating = cr.cu;
	p->rating_source = cr.source;
	if (cr.masked)
		p->flags |= PROFILE_CPU_MASKED;
	p->threads = inv != NULL && isfinite(inv->threads) ? inv->threads :
	    ncpu;
	p->mem_total_mib = inv != NULL && isfinite(inv->mem_mib) ?
	    inv->mem_mib : mem;
	if (inv == NULL)
		p->flags |= PROFILE_NO_INVENTORY;
}

/* The VM this server needs: vCPUs and memory (see capplan-profile(1)). */
static void
profile_rightsize(struct profile *p, const struct profile_config *c)
{
	double cpu = p->stat[RES_CPU].projected, mem;

	if (isnan(cpu))
		p->size_vcpus = isnan(p->threads) ? 1.0 : p->threads;
	else
		p->size_vcpus = fmax(1.0, ceil(cpu * (1.0 + c->headroom_cpu) /
		    c->vcpu_cu - 1e-9));
	if (p->stat[RES_MEM].n > 0)
		mem = p->stat[RES_MEM].projected * (1.0 + c->headroom_mem);
	else
		mem = p->mem_total_mib;
	p->size_mem_mib = isnan(mem) ? NAN : fmax(MEM_GRANULE_MIB,
	    ceil(mem / MEM_GRANULE_MIB - 1e-9) * MEM_GRANULE_MIB);
}

static void
profile_flags(struct profile *p, const struct profile_config *c)
{
	if (p->days < c->min_days)
		p->flags |= PROFILE_SHORT;
	if (p->coverage < GAPPY_COVERAGE)
		p->flags |= PROFILE_GAPPY;
	if (p->stat[RES_MEM].n == 0)
		p->flags |= PROFILE_NO_MEM;
	p->confidence = p->coverage * fmin(1.0, p->days / c->min_days);
}

/* scratch space for one host */
struct build_scratch {
	double *v, *x, *sv;
	unsigned char *where;
	size_t start[SLOTS_WEEK + 1];
};

static int
profile_resources(struct profile *p, const struct host_sample *s, size_t n,
    const struct profile_config *c, struct build_scratch *b)
{
	double k;
	size_t i, m;
	bool grows;
	int r;

	for (i = 0; i < n; i++)
		b->where[i] = (unsigned char)profile_slot_of(s[i].ts_ms, c->slots);
	for (r = 0; r < RES_N; r++) {
		/* enum resource and the first HS_ values are in one order */
		k = r == RES_CPU ? p->cpu_rating / 100.0 : 1.0;
		m = gather(s, n, r, k, b->v, b->x);
		if (trend_fit(&p->stat[r], b->x, b->v, m, p->host, r) == -1)
			return -1;
		stats_of(&p->stat[r], b->v, m, c, p->days, &grows);
		if (grows)
			p->flags |= PROFILE_TREND;
		slots_of(p->slot[r], s, n, r, k, b->where, c, b->sv, b->start);
	}
	return 0;
}

int
profile_build(struct profile *p, const char *host, struct host_sample *s,
    size_t n, const struct server_inv *inv, const struct profile_config *c,
    size_t *dups)
{
	struct build_scratch b;
	int ret;

	assert(n > 0);
	profile_init(p, host, c->slots);
	p->percentile = c->percentile;
	n = samples_sort_unique(s, n, dups);
	b.v = xmalloc(n * sizeof(double));
	b.x = xmalloc(n * sizeof(double));
	b.sv = xmalloc(n * sizeof(double));
	b.where = xmalloc(n);
	profile_time(p, s, n, b.v);
	profile_capacity(p, s, n, inv);
	ret = profile_resources(p, s, n, c, &b);
	if (ret == 0) {
		profile_flags(p, c);
		profile_rightsize(p, c);
	} else
		profile_release(p);
	free(b.v);
	free(b.x);
	free(b.sv);
	free(b.where);
	return ret;
}
