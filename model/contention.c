/*
 * contention.c - aggregate demand, overload risk, CPU ready time, memory
 * overcommit and I/O queueing of guests sharing a host (GSL).
 *
 * The CPU model is the finite-source (machine-repairman) queue: a host's
 * c logical CPUs serve N vCPUs, each alone busy a fraction u of the time.
 * Its stationary law is the Poisson-binomial law of the standalone busy
 * counts reweighted by w_k = k! / (c! c^(k-c)) above c, which for equal
 * u is the textbook M/M/c//N law, and exact for unequal u when the host
 * shares its CPUs out equally (a symmetric queue, product form).  The
 * ready fraction is E[(K - c)+] / N: the mean number of vCPUs waiting,
 * per vCPU.  Research notes (algorithms.md section 3.1, 3.4) report that
 * on libvirt guests pinned to one CPU this predicted the measured
 * run-queue wait to a median of 2 points, where a fluid model missed by
 * up to 25; Erlang C (an open queue, infinite sources) is the option.
 *
 * The Poisson-binomial recursion runs in plain doubles (fast); when a
 * host is so far overloaded that the law's mass sits where the
 * recursion's tail underflowed, it is redone in logarithms.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "model/contention.h"

const char *const contention_queue_names[] = { "finite", "erlang_c", NULL };

void
contention_options_init(struct contention_options *o)
{
	int r;

	memset(o, 0, sizeof(*o));
	for (r = 0; r < RES_N; r++)
		o->headroom[r] = 0.0;
	o->percentile = 95.0;
	o->queue = QUEUE_FINITE;
}

/* ---------------------------------------------------------- the queues */

double
queue_erlang_c(unsigned c, double a)
{
	double b = 1.0;
	unsigned n;

	if (a <= 0.0)
		return 0.0;
	if (c == 0 || a >= (double)c)
		return 1.0;
	for (n = 1; n <= c; n++)	/* Erlang B, B_n = a B / (n + a B) */
		b = a * b / ((double)n + a * b);
	return b / (1.0 - a / (double)c * (1.0 - b));
}

/* Poisson-binomial law of n sources into p[0..n], in doubles. */
static void
pb_linear(const double *u, size_t n, double *p)
{
	size_t i, k;

	p[0] = 1.0;
	for (i = 0; i < n; i++) {
		p[i + 1] = p[i] * u[i];
		for (k = i; k > 0; k--)
			p[k] = p[k] * (1.0 - u[i]) + p[k - 1] * u[i];
		p[0] *= 1.0 - u[i];
	}
}

static double
log_add(double a, double b)
{
	if (a == -INFINITY)
		return b;
	if (b == -INFINITY)
		return a;
	return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/* The same law as logarithms into lp[0..n]. */
static void
pb_log(const double *u, size_t n, double *lp)
{
	double lu, l1u;
	size_t i, k;

	lp[0] = 0.0;
	for (i = 0; i < n; i++) {
		lu = log(u[i]);
		l1u = log1p(-u[i]);
		lp[i + 1] = lp[i] + lu;
		for (k = i; k > 0; k--)
			lp[k] = log_add(lp[k] + l1u, lp[k - 1] + lu);
		lp[0] += l1u;
	}
}

/* log(w_k / w_(k-1)): k / c, and the time-sharing overhead, beyond c */
static double
log_w_step(size_t k, unsigned c, double share)
{
	return k > c ? log((double)k / (double)c) + log1p(share) : 0.0;
}

/* Reweight the log-law lp[0..n] by w_k into a normalised law p; returns
 * the k at which lp + log w is largest. */
static size_t
reweight(const double *lp, size_t n, unsigned c, double share, double *p)
{
	double lw = 0.0, top = -INFINITY, sum = 0.0;
	size_t k, at = 0;

	for (k = 0; k <= n; k++) {
		lw += log_w_step(k, c, share);
		p[k] = lp[k] + lw;
		if (p[k] > top) {
			top = p[k];
			at = k;
		}
	}
	for (k = 0; k <= n; k++)
		sum += (p[k] = exp(p[k] - top));
	for (k = 0; k <= n; k++)
		p[k] /= sum;
	return at;
}

void
queue_finite_law(const double *u, size_t n, unsigned c, double share,
    double *p)
{
	double *lp = xmalloc((n + 1) * sizeof(double));
	size_t k, last = 0, at;

	assert(c > 0);
	pb_linear(u, n, lp);
	for (k = 0; k <= n; k++) {
		if (lp[k] > 0.0)
			last = k;
		lp[k] = lp[k] > 0.0 ? log(lp[k]) : -INFINITY;
	}
	at = reweight(lp, n, c, share, p);
	/* the mass piles up where the doubles ran out: redo in logarithms */
	if (last < n && at + 1 >= last) {
		pb_log(u, n, lp);
		reweight(lp, n, c, share, p);
	}
	free(lp);
}

/* log of the normaliser sum_k PB(k) w_k of the law in lp[0..n] */
static double
log_norm(const double *lp, size_t n, unsigned c, double share)
{
	double lw = 0.0, z = -INFINITY;
	size_t k;

	for (k = 0; k <= n; k++) {
		lw += log_w_step(k, c, share);
		z = log_add(z, lp[k] + lw);
	}
	return z;
}

void
queue_ready_each(const double *u, size_t n, unsigned c, double share,
    double *out)
{
	double *lp = xmalloc((n + 1) * sizeof(double)), *v, lz, lw, r;
	size_t i, j, k;

	assert(c > 0);
	if (n == 0) {
		free(lp);
		return;
	}
	v = xmalloc(n * sizeof(double));
	pb_log(u, n, lp);
	lz = log_norm(lp, n, c, share);
	for (i = 0; i < n; i++) {
		/* the law of the others, then source i in state k */
		for (j = 0, k = 0; j < n; j++)
			if (j != i)
				v[k++] = u[j];
		pb_log(v, n - 1, lp);
		r = 0.0;
		lw = 0.0;
		for (k = 1; k <= n; k++) {
			lw += log_w_step(k, c, share);
			if (k > c && u[i] > 0.0)
				r += exp(log(u[i]) + lp[k - 1] + lw - lz) *
				    (double)(k - c) / (double)k;
		}
		out[i] = fmin(1.0, r);
	}
	free(v);
	free(lp);
}

double
queue_ready_frac(const double *u, size_t n, unsigned c, double share,
    enum contention_queue q)
{
	double *p, a = 0.0, rho, lq = 0.0;
	size_t k;

	if (n == 0)
		return 0.0;
	if (q == QUEUE_ERLANG_C) {
		for (k = 0; k < n; k++)
			a += u[k];
		rho = a / (double)c;
		if (rho >= 1.0)
			return 1.0;
		lq = queue_erlang_c(c, a) * rho / (1.0 - rho);
		return fmin(1.0, lq / (double)n);
	}
	p = xmalloc((n + 1) * sizeof(double));
	queue_finite_law(u, n, c, share, p);
	for (k = c + 1; k <= n; k++)
		lq += (double)(k - c) * p[k];
	free(p);
	return lq / (double)n;
}

/* ---------------------------------------------------------- the host */

static double
host_capacity(const struct contention_host *h, int r)
{
	switch (r) {
	case RES_CPU:
		return h->cpu_cu;
	case RES_MEM:
		return h->mem_mib;
	case RES_DISK_IOPS:
		return h->disk_iops;
	case RES_DISK_KIBPS:
		return h->disk_kibps;
	default:
		return h->net_kibps;
	}
}

static int
check_input(const struct contention_host *h, const struct contention_guest *g,
    size_t ng, size_t nslots)
{
	size_t i, t;
	int r;

	if (!(h->cpu_cu > 0.0) || !(h->threads >= 1.0) || !(h->mem_mib > 0.0))
		return error_set(ERROR_DATA, "host '%s' needs a CPU rating, "
		    "threads and memory", h->name != NULL ? h->name : "");
	if (nslots == 0)
		return error_set(ERROR_DATA, "no time slots to evaluate");
	for (i = 0; i < ng; i++) {
		if (!(g[i].vcpus >= 1.0) || !(g[i].mem_mib >= 0.0))
			return error_set(ERROR_DATA, "guest '%s' needs vCPUs and "
			    "memory", g[i].name != NULL ? g[i].name : "");
		for (r = 0; r < RES_N; r++)
			for (t = 0; g[i].demand[r] != NULL && t < nslots; t++)
				if (g[i].demand[r][t] < 0.0)
					return error_set(ERROR_DATA, "guest '%s' "
					    "has a negative %s demand", g[i].name,
					    resource_table[r].name);
	}
	return 0;
}

/* The largest measured value of a series, NaN when none is. */
static double
series_peak(const double *v, size_t n)
{
	double m = NAN;
	size_t t;

	for (t = 0; t < n; t++)
		if (!isnan(v[t]) && !(v[t] <= m))
			m = v[t];
	return m;
}

/* guest i's demand for r in slot t: a NaN slot counts as its peak */
static double
guest_demand(const struct contention_guest *g, int r, size_t t, double peak)
{
	double v = g->demand[r][t];

	return isnan(v) ? peak : v;
}

/* Sum the guests into c->agg[r] and res->sum_peaks, res->unmeasured. */
static void
aggregate(struct contention *c, const struct contention_guest *g, size_t ng,
    int r)
{
	struct contention_res *res = &c->res[r];
	double peak;
	size_t i, t;

	c->agg[r] = xcalloc(c->nslots, sizeof(double));
	for (i = 0; i < ng; i++) {
		peak = g[i].demand[r] != NULL ? series_peak(g[i].demand[r],
		    c->nslots) : NAN;
		if (!isnan(peak))
			for (t = 0; t < c->nslots; t++)
				c->agg[r][t] += guest_demand(&g[i], r, t, peak);
		else {
			res->unmeasured++;
			if (r != RES_MEM)
				continue;
			peak = g[i].mem_mib;	/* configured counts as active */
			for (t = 0; t < c->nslots; t++)
				c->agg[r][t] += peak;
		}
		res->sum_peaks += peak;
	}
}

/* page sharing and hypervisor overhead on the memory aggregate */
static void
memory_adjust(struct contention *c, const struct contention_guest *g,
    size_t ng, const struct contention_options *o)
{
	double committed = 0.0, delta;
	size_t i, t;

	for (i = 0; i < ng; i++)
		committed += g[i].mem_mib;
	c->mem_committed_mib = committed + (double)ng * o->mem_overhead_mib;
	delta = (double)ng * o->mem_overhead_mib - o->mem_dedupe * committed;
	for (t = 0; t < c->nslots; t++)
		c->agg[RES_MEM][t] = fmax(0.0, c->agg[RES_MEM][t] + delta);
	c->res[RES_MEM].sum_peaks += delta;
}

/* P(N(mean, sd^2) > x); a step when sd is 0 */
static double
gauss_over(double mean, double sd, double x)
{
	if (!(sd > 0.0))
		return mean > x ? 1.0 : 0.0;
	return gsl_cdf_ugaussian_Q((x - mean) / sd);
}

static double
share_over(const double *v, size_t n, double x)
{
	size_t t, k = 0;

	for (t = 0; t < n; t++)
		if (v[t] > x)
			k++;
	return (double)k / (double)n;
}

static double
latency(double u)
{
	return u < 1.0 ? 1.0 / (1.0 - u) : INFINITY;
}

/* Statistics of one resource's aggregate against the host. */
static void
resource_figures(struct contention *c, const struct contention_host *h,
    const struct contention_options *o, int r, double z)
{
	struct contention_res *res = &c->res[r];
	const double *a = c->agg[r];
	size_t n = c->nslots;

	res->capacity = host_capacity(h, r);
	res->constrained = isfinite(res->capacity) && res->capacity > 0.0;
	if (!res->constrained)
		res->capacity = NAN;
	res->limit = res->capacity * (1.0 - o->headroom[r]);
	res->peak = series_peak(a, n);
	res->mean = gsl_stats_mean(a, 1, n);
	/* the variance of a sum is the sum of all covariances: measured,
	 * not assumed independent */
	res->sd = n > 1 ? gsl_stats_sd_m(a, 1, n, res->mean) : 0.0;
	res->gain = res->peak > 0.0 ? res->sum_peaks / res->peak : NAN;
	res->gauss_demand = res->mean + z * res->sd;
	res->p_over_emp = res->constrained ? share_over(a, n, res->limit) : NAN;
	res->p_over_gauss = res->constrained ? gauss_over(res->mean, res->sd,
	    res->limit) : NAN;
	res->util_mean = res->mean / res->capacity;
	res->util_peak = res->peak / res->capacity;
	res->latency_mean = res->constrained ? latency(res->util_mean) : NAN;
	res->latency_peak = res->constrained ? latency(res->util_peak) : NAN;
}

/* Each guest's vCPUs busy alone a fraction u = demand / (vCPUs x CU per
 * host thread) of each slot; the ready % per slot, its mean and max. */
static void
cpu_ready(struct contention *c, const struct contention_host *h,
    const struct contention_guest *g, size_t ng,
    const struct contention_options *o)
{
	double cu_thread = h->cpu_cu / h->threads, *u, *peak, per, d;
	unsigned threads = (unsigned)floor(h->threads);
	size_t nv = 0, i, j, k, t;

	peak = xcalloc(ng + 1, sizeof(double));
	for (i = 0; i < ng; i++) {
		nv += (size_t)ceil(g[i].vcpus);
		c->vcpus += g[i].vcpus;
		peak[i] = g[i].demand[RES_CPU] != NULL ?
		    series_peak(g[i].demand[RES_CPU], c->nslots) : NAN;
	}
	c->vcpu_per_thread = c->vcpus / h->threads;
	u = xcalloc(nv + 1, sizeof(double));
	c->ready_slot = xcalloc(c->nslots, sizeof(double));
	for (t = 0; t < c->nslots; t++) {
		for (i = 0, k = 0; i < ng; i++) {
			d = isnan(peak[i]) ? 0.0 : guest_demand(&g[i], RES_CPU,
			    t, peak[i]);
			per = fmin(1.0, d / (ceil(g[i].vcpus) * cu_thread) *
			    (1.0 + o->cpu_overhead));
			for (j = 0; j < (size_t)ceil(g[i].vcpus); j++)
				u[k++] = per;
		}
		c->ready_slot[t] = 100.0 * queue_ready_frac(u, nv, threads,
		    o->share_overhead, o->queue);
	}
	c->ready_pct = gsl_stats_mean(c->ready_slot, 1, c->nslots);
	c->ready_pct_max = gsl_stats_max(c->ready_slot, 1, c->nslots);
	free(u);
	free(peak);
}

static void
memory_figures(struct contention *c, const struct contention_host *h)
{
	const struct contention_res *m = &c->res[RES_MEM];

	c->mem_overcommit = c->mem_committed_mib / h->mem_mib;
	c->mem_active_mib = m->mean;
	c->mem_active_peak_mib = m->peak;
	c->p_swap_emp = share_over(c->agg[RES_MEM], c->nslots, h->mem_mib);
	c->p_swap_gauss = gauss_over(m->mean, m->sd, h->mem_mib);
}

int
contention_eval(const struct contention_host *h,
    const struct contention_guest *g, size_t nguests, size_t nslots,
    const struct contention_options *o, struct contention *c)
{
	double p = fmin(fmax(o->percentile, 50.0), 99.9999), z;
	int r;

	memset(c, 0, sizeof(*c));
	if (check_input(h, g, nguests, nslots) == -1)
		return -1;
	z = gsl_cdf_ugaussian_Pinv(p / 100.0);
	if (!isfinite(z))
		return error_set(ERROR_MODEL, "no Gaussian quantile for the "
		    "%g th percentile", p);
	c->nslots = nslots;
	c->nguests = nguests;
	for (r = 0; r < RES_N; r++)
		aggregate(c, g, nguests, r);
	memory_adjust(c, g, nguests, o);
	for (r = 0; r < RES_N; r++)
		resource_figures(c, h, o, r, z);
	cpu_ready(c, h, g, nguests, o);
	memory_figures(c, h);
	return 0;
}

void
contention_release(struct contention *c)
{
	int r;

	if (c == NULL)
		return;
	for (r = 0; r < RES_N; r++)
		free(c->agg[r]);
	free(c->ready_slot);
	memset(c, 0, sizeof(*c));
}
