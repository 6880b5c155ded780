/*
 * contention.h - what happens when guests share a host.
 *
 * Given a host (capacity per resource, logical CPUs, memory) and the
 * guests placed on it (time-aligned demand series per resource: slot
 * profiles or full aligned series, all nslots long, plus vCPUs and
 * configured memory), contention_eval() predicts:
 *
 *   - per resource: the aggregate demand per slot, its peak and mean,
 *     the multiplexing gain (sum of the guests' peaks / peak of the sum),
 *     the overload probability against the policy limit (capacity x
 *     (1 - headroom)) both empirically (share of slots over it) and from
 *     a Gaussian with the measured covariance (the variance of the sum is
 *     the sum of all covariances), utilisation and the M/M/1 latency
 *     inflation 1 / (1 - U) at the mean and at the peak;
 *   - CPU: the expected ready % per vCPU (time runnable but not running)
 *     from the finite-source M/M/c//N queue (c = the host's logical CPUs,
 *     N = the guests' vCPUs, heterogeneous per-vCPU demand combined by a
 *     Poisson-binomial recursion), evaluated per slot and averaged; the
 *     open M/M/c (Erlang C) queue is an option;
 *   - memory: committed vs physical, the overcommit ratio, the expected
 *     (mean) active memory and the probability it exceeds physical
 *     memory (swap risk), empirical and Gaussian.
 *
 * Demand units are those of profile.h (CU, MiB, IOPS, KiB/s).  A NaN in
 * a guest's series (a slot with no samples) counts as that guest's
 * highest value in the series: the conservative reading.  A NULL series
 * is "not measured": the guest adds nothing to that resource (memory:
 * its configured memory counts as active) and is counted in
 * contention_res.unmeasured.  Plain C types only (no GSL), so planner/,
 * reports/ and kvm/ may include it.  See capplan-whatif(1) for the
 * formulas and the validation evidence behind the default queue.
 */
#ifndef MODEL_CONTENTION_H
#define MODEL_CONTENTION_H

#include <stdbool.h>
#include <stddef.h>

#include "model/profile.h"

enum contention_queue {
	QUEUE_FINITE,		/* M/M/c//N, Poisson-binomial (default) */
	QUEUE_ERLANG_C,		/* M/M/c, infinite source */
};

extern const char *const contention_queue_names[];	/* "finite", ... */

struct contention_host {
	const char *name;
	double cpu_cu;		/* capacity units */
	double threads;		/* logical CPUs the hypervisor schedules on */
	double mem_mib;
	double disk_iops;	/* NaN: not constrained */
	double disk_kibps;	/* NaN: not constrained */
	double net_kibps;	/* NaN: not constrained */
};

struct contention_guest {
	const char *name;
	double vcpus;
	double mem_mib;		/* configured (committed) memory */
	/* nslots values each (borrowed), or NULL: not measured */
	const double *demand[RES_N];
};

struct contention_options {
	double headroom[RES_N];	/* fraction of capacity kept free, 0-0.9 */
	double percentile;	/* for gauss_demand, 50-100 (exclusive) */
	enum contention_queue queue;
	double mem_dedupe;	/* share of configured memory shared, 0-0.3 */
	double mem_overhead_mib;	/* hypervisor overhead per guest */
	double cpu_overhead;	/* the hypervisor's own CPU per unit of a
				 * vCPU's work, alone (emulation, timer
				 * interrupts): a vCPU busy u in the guest
				 * is busy u (1 + this) on the host */
	double share_overhead;	/* CPU time lost to time-sharing, as a
				 * fraction of the work, when more vCPUs
				 * run than there are threads (0: none) */
};

/* one resource of the host */
struct contention_res {
	bool constrained;	/* the host has a capacity for it */
	size_t unmeasured;	/* guests with no series for it */
	double capacity;	/* NaN when not constrained */
	double limit;		/* capacity x (1 - headroom) */
	double peak, mean, sd;	/* of the aggregate over slots */
	double sum_peaks;	/* sum over guests of each one's peak */
	double gain;		/* sum_peaks / peak; NaN when peak is 0 */
	double gauss_demand;	/* mean + z_p sd */
	double p_over_emp;	/* share of slots with aggregate > limit */
	double p_over_gauss;	/* P(aggregate > limit), Gaussian */
	double util_mean, util_peak;	/* aggregate / capacity */
	double latency_mean, latency_peak;	/* 1 / (1 - U); inf at U >= 1 */
};

struct contention {
	size_t nslots, nguests;
	double *agg[RES_N];	/* aggregate demand per slot (owned) */
	struct contention_res res[RES_N];
	/* CPU: the run queue */
	double vcpus;		/* sum of the guests' vCPUs */
	double vcpu_per_thread;	/* vcpus / host threads */
	double *ready_slot;	/* ready % per vCPU, per slot (owned) */
	double ready_pct;	/* mean over slots */
	double ready_pct_max;	/* worst slot */
	/* memory */
	double mem_committed_mib;	/* sum of configured memory */
	double mem_overcommit;	/* committed / physical */
	double mem_active_mib;	/* expected active: mean of the aggregate */
	double mem_active_peak_mib;
	double p_swap_emp;	/* share of slots with active > physical */
	double p_swap_gauss;	/* P(active > physical), Gaussian */
};

/* Defaults: no headroom, the 95th percentile, the finite-source queue,
 * no page sharing, no overhead. */
void contention_options_init(struct contention_options *o);

/*
 * Evaluate nguests guests (nguests >= 0) of nslots (>= 1) slots on host h
 * into *c (release with contention_release()).  Returns 0, or -1 with
 * ERROR_DATA (a host without CPU capacity, threads or memory, a guest
 * without vCPUs, a negative demand) or ERROR_MODEL (a GSL status).
 */
int contention_eval(const struct contention_host *h,
    const struct contention_guest *g, size_t nguests, size_t nslots,
    const struct contention_options *o, struct contention *c);
void contention_release(struct contention *c);

/*
 * The closed forms behind the CPU figures, exported for tests and for
 * callers that have per-vCPU demand already.
 *
 * queue_erlang_c(): the probability that an arrival waits in an M/M/c
 * queue with offered load a = lambda / mu (Erlang C), by the stable
 * Erlang-B recursion; 1 when a >= c.
 */
double queue_erlang_c(unsigned c, double a);
/*
 * queue_finite_law(): the stationary law p[0..n] of the number of busy
 * or waiting vCPUs of the finite-source queue with c servers and n
 * sources, source i alone busy a fraction u[i] (0-1) of the time:
 * p_k proportional to PB(k) x w_k, PB the Poisson-binomial law of the
 * u[i] and w_k = 1 for k <= c, k! / (c! c^(k-c)) beyond.  With equal u
 * this is the M/M/c//N machine-repairman law.  Computed in logarithms, so
 * n of several thousand is fine.  p must hold n + 1 values.  share is
 * the time-sharing overhead: with k > c sources in, the c threads deliver
 * work at 1 / (1 + share) of their speed (context switches, cold caches),
 * so w_k gains a factor (1 + share) per source beyond c; the law keeps
 * its product form (the total service rate only depends on k).
 */
void queue_finite_law(const double *u, size_t n, unsigned c, double share,
    double *p);
/*
 * queue_ready_frac(): the mean ready fraction (0-1) per source,
 * E[(K - c)+] / n, for the chosen queue (Erlang C: the mean queue length
 * of M/M/c with a = sum of u, over n; 1 when saturated).  0 when n is 0.
 */
double queue_ready_frac(const double *u, size_t n, unsigned c, double share,
    enum contention_queue q);

/*
 * queue_ready_each(): the ready fraction (0-1) of each source of the
 * same finite-source queue served by processor sharing (what a
 * scheduler like Linux's CFS approximates): out[i] = E[1{i busy}
 * (K - c)+ / K], from the product form pi(S) ~ prod_{i in S} u_i /
 * (1 - u_i) w_|S|.  Their mean is queue_ready_frac()'s finite figure; a
 * source that is busy more often waits more.  O(n^3): for validation's
 * few guests, not for planning.  out must hold n values.
 */
void queue_ready_each(const double *u, size_t n, unsigned c, double share,
    double *out);

#endif
