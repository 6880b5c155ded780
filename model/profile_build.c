/*
 * profile_build.c - one server's profile from its samples (GSL).
 *
 * Every percentile is the type 7 quantile of the measured samples
 * (gsl_stats_quantile_from_sorted_data: linear between order statistics
 * at position q (n - 1)), so an awk script or a spreadsheet can check any
 * figure from the same file.  CPU is normalised first: demand in CU is
 * cpu_busy_pct / 100 x the server's cpu_rating (cpu_table.h).  The trend
 * is the least-squares line through (days since the first sample,
 * demand), gsl_fit_linear, with its standard error, fitted only over at
 * least TREND_MIN_DAYS (else not known: a daily cycle in a few days of
 * data is no trend); growth is projected only when it is significant
 * (slope above twice its standard error), and never downwards.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/tz.h"
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
	c->mem_peak_pct = p->mem_peak_pct;
	c->mem_margin = p->mem_margin;
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
	int64_t local = tz_local_ms(ts_ms);	/* [sizing] timezone */
	int64_t hours = local >= 0 ? local / 3600000 :
	    -((-local + 3599999) / 3600000);
	int64_t slot;

	if (k == SLOTS_HOUR)
		slot = hours % 24;
	else	/* 1970-01-01 00:00 was a Thursday, 72 h into its week */
		slot = (hours + 72) % 168;
	return (size_t)(slot < 0 ? slot + (int64_t)k : slot);
}

/* radix sort scratch, n of each */
struct sort_scratch {
	uint64_t *ka, *kb;
	unsigned char *ta, *tb;
};

/* doubles as unsigned keys in the same order (-0 just before +0) */
static uint64_t
key_of(double x)
{
	uint64_t b;

	memcpy(&b, &x, sizeof(b));
	return b >> 63 ? ~b : b | UINT64_C(1) << 63;
}

static double
double_of(uint64_t k)
{
	uint64_t b = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
	double x;

	memcpy(&x, &b, sizeof(x));
	return x;
}

static void
insertion_sort(double *v, unsigned char *tag, size_t n)
{
	unsigned char t;
	size_t i, pos;
	double x;

	for (i = 1; i < n; i++) {
		x = v[i];
		t = tag != NULL ? tag[i] : 0;
		for (pos = i; pos > 0 && v[pos - 1] > x; pos--) {
			v[pos] = v[pos - 1];
			if (tag != NULL)
				tag[pos] = tag[pos - 1];
		}
		v[pos] = x;
		if (tag != NULL)
			tag[pos] = t;
	}
}

/*
 * Sort n doubles (no NaN) ascending, and tag[] (may be NULL) with them,
 * using scratch of n keys in ka, kb and n tags in ta, tb: an LSD radix
 * sort of the IEEE bits, 8 passes of 8 bits, skipping a pass whose digit
 * is the same in every key; insertion sort for a few values.  Stable, so
 * values sorted here and then spread by tag stay sorted within a tag.
 * gsl_sort (a heapsort) took over half of a fleet's profiling time.
 */
static void
sort_tagged(double *v, unsigned char *tag, size_t n, struct sort_scratch *x)
{
	size_t cnt[8][256], i, pos, c;
	uint64_t *src = x->ka, *dst = x->kb, *t;
	unsigned char *tsrc = x->ta, *tdst = x->tb, *tt;
	int d;

	if (n < 48) {
		insertion_sort(v, tag, n);
		return;
	}
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++) {
		src[i] = key_of(v[i]);
		tsrc[i] = tag != NULL ? tag[i] : 0;
		for (d = 0; d < 8; d++)
			cnt[d][src[i] >> (8 * d) & 255]++;
	}
	for (d = 0; d < 8; d++) {
		if (cnt[d][src[0] >> (8 * d) & 255] == n)
			continue;
		for (i = 0, pos = 0; i < 256; i++) {
			c = cnt[d][i];
			cnt[d][i] = pos;
			pos += c;
		}
		for (i = 0; i < n; i++) {
			pos = cnt[d][src[i] >> (8 * d) & 255]++;
			dst[pos] = src[i];
			tdst[pos] = tsrc[i];
		}
		t = src, src = dst, dst = t;
		tt = tsrc, tsrc = tdst, tdst = tt;
	}
	for (i = 0; i < n; i++) {
		v[i] = double_of(src[i]);
		if (tag != NULL)
			tag[i] = tsrc[i];
	}
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
		array_sort(s, n, sizeof(*s), sample_cmp);
	for (i = 1, m = 1; i < n; i++)
		if (s[i].ts_ms != s[m - 1].ts_ms)
			s[m++] = s[i];
	*dups = n - m;
	return m;
}

/* scratch space for one host, n values each */
struct build_scratch {
	double *v, *x, *sv;
	struct sort_scratch sort;
	unsigned char *where;	/* slot of each sample */
	unsigned char *tag;	/* slot of each gathered value */
	size_t start[SLOTS_WEEK + 1];
};

/* the most common interval, to the millisecond; the shorter on a tie */
static double
interval_mode(const struct host_sample *s, size_t n, struct build_scratch *b)
{
	double *scratch = b->v;
	double best = NAN;
	size_t i, run, best_run = 0;

	for (i = 0; i < n; i++)
		scratch[i] = round(s[i].interval_s * 1000.0) / 1000.0;
	sort_tagged(scratch, NULL, n, &b->sort);
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
    struct build_scratch *b)
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
	p->interval_s = interval_mode(s, n, b);
}

/* The measured values of column col (times k) into b->v, their slots
 * into b->tag and their day offsets into b->x; returns how many. */
static size_t
gather(const struct host_sample *s, size_t n, int col, double k,
    struct build_scratch *b)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (!isnan(s[i].v[col])) {
			b->v[m] = s[i].v[col] * k;
			b->tag[m] = b->where[i];
			b->x[m++] = (double)(s[i].ts_ms - s[0].ts_ms) / DAY_MS;
		}
	return m;
}

/* least-squares slope per 30 days and its standard error, from m points;
 * none (NaN) from less than TREND_MIN_DAYS: ten minutes of a busy spell
 * extrapolated gave +565 CU per 30 days */
static int
trend_fit(struct demand_stats *d, const double *x, const double *v, size_t m,
    const char *host, int r)
{
	double c0, c1, cov00, cov01, cov11, sumsq;
	int rc;

	d->trend_per_30d = d->trend_se = NAN;
	if (m < 3 || !(x[m - 1] - x[0] >= TREND_MIN_DAYS))
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

/* Summary statistics of the m sorted values v (mean already in d); true
 * in *grows when growth is projected. */
static void
stats_of(struct demand_stats *d, const double *v, size_t m,
    const struct profile_config *c, double days, bool *grows)
{
	double slope = d->trend_per_30d, se = d->trend_se;

	d->n = m;
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

/* Each slot's percentile, from the m sorted values in b->v and their
 * slots in b->tag: spread by slot in order, each slot stays sorted. */
static void
slots_of(double *slot, size_t m, const struct profile_config *c,
    struct build_scratch *b)
{
	size_t *start = b->start, i, lo, ns = (size_t)c->slots;

	memset(start, 0, (ns + 1) * sizeof(*start));
	for (i = 0; i < m; i++)
		start[b->tag[i] + 1]++;
	for (i = 1; i <= ns; i++)
		start[i] += start[i - 1];
	for (i = 0; i < m; i++)
		b->sv[start[b->tag[i]]++] = b->v[i];
	/* start[j] now ends slot j: slot j is [start[j-1], start[j]) */
	for (i = 0; i < ns; i++) {
		lo = i == 0 ? 0 : start[i - 1];
		slot[i] = profile_quantile_sorted(b->sv + lo, start[i] - lo,
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

/*
 * The VM this server needs: vCPUs and memory (see capplan-profile(1)).
 * Memory holds the mem_peak_pct quantile of the active memory seen
 * (mem_peak: the peak itself by default) and any projected growth, and
 * never less than the sizing percentile projected, plus mem_margin: a VM
 * given less than it was seen to use swaps, which no headroom on the host
 * repairs.  Below the peak is a stated risk (flag mem_below_peak).
 */
static void
profile_rightsize(struct profile *p, const struct profile_config *c,
    double mem_peak)
{
	const struct demand_stats *m = &p->stat[RES_MEM];
	double cpu = p->stat[RES_CPU].projected, mem, growth;

	if (isnan(cpu))
		p->size_vcpus = isnan(p->threads) ? 1.0 : p->threads;
	else
		p->size_vcpus = fmax(1.0, ceil(cpu * (1.0 + c->headroom_cpu) /
		    c->vcpu_cu - 1e-9));
	if (m->n > 0) {
		growth = fmax(0.0, m->projected - m->sized);
		mem = fmax(m->projected, mem_peak + growth) *
		    (1.0 + c->mem_margin);
	} else
		mem = p->mem_total_mib;
	p->size_mem_mib = isnan(mem) ? NAN : fmax(MEM_GRANULE_MIB,
	    ceil(mem / MEM_GRANULE_MIB - 1e-9) * MEM_GRANULE_MIB);
	if (m->n > 0 && p->size_mem_mib < m->max)
		p->flags |= PROFILE_MEM_RISK;
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

/* Every resource's figures; *mem_peak is the mem_peak_pct quantile of
 * the memory samples (NaN: none). */
static int
profile_resources(struct profile *p, const struct host_sample *s, size_t n,
    const struct profile_config *c, struct build_scratch *b,
    double *mem_peak)
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
		m = gather(s, n, r, k, b);
		if (trend_fit(&p->stat[r], b->x, b->v, m, p->host, r) == -1)
			return -1;
		p->stat[r].mean = m > 0 ? gsl_stats_mean(b->v, 1, m) : NAN;
		sort_tagged(b->v, b->tag, m, &b->sort);
		stats_of(&p->stat[r], b->v, m, c, p->days, &grows);
		if (r == RES_MEM)
			*mem_peak = profile_quantile_sorted(b->v, m,
			    c->mem_peak_pct / 100.0);
		if (grows)
			p->flags |= PROFILE_TREND;
		slots_of(p->slot[r], m, c, b);
	}
	return 0;
}

int
profile_build(struct profile *p, const char *host, struct host_sample *s,
    size_t n, const struct server_inv *inv, const struct profile_config *c,
    size_t *dups)
{
	struct build_scratch b;
	double mem_peak = NAN;
	int ret;

	assert(n > 0);
	profile_init(p, host, c->slots);
	p->percentile = c->percentile;
	n = samples_sort_unique(s, n, dups);
	b.v = xmalloc(n * sizeof(double));
	b.x = xmalloc(n * sizeof(double));
	b.sv = xmalloc(n * sizeof(double));
	b.sort.ka = xmalloc(n * sizeof(uint64_t));
	b.sort.kb = xmalloc(n * sizeof(uint64_t));
	b.sort.ta = xmalloc(n);
	b.sort.tb = xmalloc(n);
	b.where = xmalloc(n);
	b.tag = xmalloc(n);
	profile_time(p, s, n, &b);
	profile_capacity(p, s, n, inv);
	ret = profile_resources(p, s, n, c, &b, &mem_peak);
	if (ret == 0) {
		profile_flags(p, c);
		profile_rightsize(p, c, mem_peak);
	} else
		profile_release(p);
	free(b.v);
	free(b.x);
	free(b.sv);
	free(b.sort.ka);
	free(b.sort.kb);
	free(b.sort.ta);
	free(b.sort.tb);
	free(b.where);
	free(b.tag);
	return ret;
}
