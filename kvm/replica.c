/*
 * replica.c - a planned host's guests, scaled to the test CPUs.
 *
 * Demand comes from each guest's profile (the slot values the planner
 * packs: capplan-profiles' cpu_cu_hNN and mem_mib_hNN), in CU, and runs
 * as CU / (the host model's CU per logical CPU) test CPUs' worth, capped
 * at the guest's vCPUs.  A slot with no samples counts as the guest's
 * highest slot, as model/contention.c reads it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "kvm/replica.h"

/* one candidate: its series in test CPUs' worth */
struct cand {
	const struct plan_guest *pg;
	const struct profile *prof;
	double *d;		/* [nslots] */
	bool in;
};

void
replica_release(struct replica *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ng; i++) {
		free(r->g[i].name);
		free(r->g[i].cpu);
		free(r->g[i].mem);
	}
	free(r->g);
	free(r->source);
	free(r->scaling);
	memset(r, 0, sizeof(*r));
}

static double
slot_or_max(const double *v, size_t n, size_t k)
{
	double m = NAN;
	size_t i;

	if (v == NULL)
		return 0.0;
	if (isfinite(v[k]))
		return v[k];
	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && !(v[i] <= m))
			m = v[i];
	return isfinite(m) ? m : 0.0;
}

static int
cands_make(struct replica *r, const struct plan *p,
    const struct plan_host *h, const struct profile_set *ps, size_t first,
    struct cand *c)
{
	const struct profile *pr;
	size_t i, t;
	double v;

	for (i = 0; i < h->nguests; i++) {
		c[i].pg = &p->guests[h->guests[i]];
		pr = profile_set_find(ps, c[i].pg->name);
		if (pr == NULL)
			return error_set(ERROR_DATA, "guest '%s' of '%s' has no "
			    "profile in the profiles file", c[i].pg->name,
			    h->name);
		if (first + r->nslots > pr->nslots)
			return error_set(ERROR_DATA, "slots %zu-%zu: the "
			    "profiles have %zu slots", first, first + r->nslots
			    - 1, pr->nslots);
		c[i].prof = pr;
		c[i].d = xcalloc(r->nslots, sizeof(double));
		for (t = 0; t < r->nslots; t++) {
			v = slot_or_max(pr->slot[RES_CPU], pr->nslots,
			    first + t) / r->cu_per_cpu;
			c[i].d[t] = fmin(v, ceil(c[i].pg->vcpus));
		}
	}
	return 0;
}

/* squared relative error of the subset (plus candidate add) */
static double
subset_error(const struct cand *c, size_t n, size_t add, size_t nslots,
    double vt, const double *dt, double dmean)
{
	double v = 0, e = 0, s;
	size_t i, t;

	for (i = 0; i < n; i++)
		if (c[i].in || i == add)
			v += ceil(c[i].pg->vcpus);
	for (t = 0; t < nslots; t++) {
		for (i = 0, s = 0; i < n; i++)
			if (c[i].in || i == add)
				s += c[i].d[t];
		e += (s - dt[t]) * (s - dt[t]);
	}
	return (v - vt) * (v - vt) / (vt * vt) + e / (double)nslots /
	    (dmean * dmean);
}

/* swap one guest in for one out while that lowers the error */
static void
improve(struct cand *c, size_t n, size_t nslots, double vt,
    const double *dt, double dmean, double cur)
{
	bool better = true;
	double e;
	size_t i, j;

	while (better) {
		better = false;
		for (i = 0; i < n && !better; i++) {
			if (!c[i].in)
				continue;
			c[i].in = false;
			for (j = 0; j < n && !better; j++)
				if (j != i && !c[j].in && (e = subset_error(c, n,
				    j, nslots, vt, dt, dmean)) < cur - 1e-12) {
					c[j].in = better = true;
					cur = e;
				}
			if (!better)
				c[i].in = true;
		}
	}
}

/* choose the subset: greedy on the error, ties to the earlier name,
 * then single swaps */
static void
choose(struct cand *c, size_t n, size_t nslots, double f)
{
	double *dt = xcalloc(nslots, sizeof(double)), vt = 0, dmean = 0;
	double best, cur, e;
	size_t i, t, pick;

	for (i = 0; i < n; i++) {
		vt += ceil(c[i].pg->vcpus) * f;
		for (t = 0; t < nslots; t++)
			dt[t] += c[i].d[t] * f;
	}
	for (t = 0; t < nslots; t++)
		dmean += dt[t] / (double)nslots;
	dmean = fmax(dmean, 1e-9);
	cur = subset_error(c, n, n, nslots, vt, dt, dmean);
	for (;;) {
		best = cur;
		pick = n;
		for (i = 0; i < n; i++)
			if (!c[i].in && (e = subset_error(c, n, i, nslots, vt,
			    dt, dmean)) < best - 1e-12) {
				best = e;
				pick = i;
			}
		if (pick == n)
			break;
		c[pick].in = true;
		cur = best;
	}
	improve(c, n, nslots, vt, dt, dmean, cur);
	free(dt);
}

static void
guest_take(struct replica *r, struct cand *c, size_t first)
{
	struct replica_guest *g = &r->g[r->ng++];
	size_t t;

	g->name = xstrdup(c->pg->name);
	g->vcpus = (unsigned)fmax(1.0, ceil(c->pg->vcpus));
	g->planned_mem_mib = c->pg->mem_mib;
	g->cpu = c->d;
	c->d = NULL;
	g->mem = xcalloc(r->nslots, sizeof(double));
	(void)first;
	for (t = 0; t < r->nslots; t++)
		g->mem[t] = slot_or_max(c->prof->slot[RES_MEM], c->prof->nslots,
		    r->source[t]);
}

/* one factor for all, so the booted guests fit the budget */
static void
scale_memory(struct replica *r, double budget)
{
	double sum = 0, room;
	size_t i, t;

	for (i = 0; i < r->ng; i++)
		sum += isfinite(r->g[i].planned_mem_mib) ?
		    r->g[i].planned_mem_mib : REPLICA_MIN_MEM_MIB;
	r->mem_scale = sum > budget ? budget / sum : 1.0;
	for (i = 0; i < r->ng; i++) {
		r->g[i].mem_mib = (unsigned long)fmax(REPLICA_MIN_MEM_MIB,
		    ceil((isfinite(r->g[i].planned_mem_mib) ?
		    r->g[i].planned_mem_mib : 0) * r->mem_scale));
		room = (double)r->g[i].mem_mib - REPLICA_GUEST_OS_MIB;
		for (t = 0; t < r->nslots; t++)
			r->g[i].mem[t] = fmin(room, r->g[i].mem[t] *
			    r->mem_scale);
	}
}

/* the mean over slots of the summed demand, in test CPUs' worth */
static double
mean_demand(const struct cand *c, size_t n, size_t nslots)
{
	double d = 0;
	size_t i, t;

	for (i = 0; i < n; i++)
		for (t = 0; t < nslots; t++)
			d += c[i].d[t] / (double)nslots;
	return d;
}

static void
describe(struct replica *r, double pd)
{
	struct strbuf sb = STRBUF_INIT;
	double v = 0, rd = 0;
	size_t i, t;

	for (i = 0; i < r->ng; i++)
		v += r->g[i].vcpus;
	for (i = 0; i < r->ng; i++)
		for (t = 0; t < r->nslots; t++)
			rd += r->g[i].cpu[t] / (double)r->nslots;
	strbuf_addf(&sb, "%s has %.0f logical CPUs, %zu guests, %.0f vCPUs "
	    "(%.2f per CPU), mean demand %.3f CPUs per CPU; ", r->host,
	    r->host_threads, r->host_guests, r->host_vcpus, r->host_vcpus /
	    r->host_threads, pd / r->host_threads);
	strbuf_addf(&sb, "%s %zu guest%s, %.0f vCPUs on %zu test CPUs (%.2f "
	    "per CPU), mean demand %.3f CPUs per CPU; memory x %.4f",
	    r->scaled ? "the replica runs" : "all run:", r->ng,
	    r->ng == 1 ? "" : "s", v, r->ncpus,
	    v / (double)r->ncpus, rd / (double)r->ncpus, r->mem_scale);
	r->scaling = strbuf_detach(&sb);
}

int
replica_of_host(struct replica *r, const struct plan *p,
    const struct plan_host *h, const struct profile_set *ps, size_t ncpus,
    size_t first, size_t last, double mem_budget_mib)
{
	struct cand *c;
	size_t i, t;
	double pd;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!(h->threads >= 1) || !(h->capacity[RES_CPU] > 0))
		return error_set(ERROR_DATA, "host '%s' has no CPU capacity or "
		    "logical CPUs in the plan", h->name);
	if (h->nguests == 0)
		return error_set(ERROR_DATA, "host '%s' has no guests",
		    h->name);
	r->host = h->name;
	r->model = h->model;
	r->host_threads = h->threads;
	r->host_vcpus = h->vcpus;
	r->host_guests = h->nguests;
	r->cu_per_cpu = h->capacity[RES_CPU] / h->threads;
	r->nslots = last - first + 1;
	r->source = xcalloc(r->nslots, sizeof(size_t));
	for (t = 0; t < r->nslots; t++)
		r->source[t] = first + t;
	c = xcalloc(h->nguests, sizeof(*c));
	if (cands_make(r, p, h, ps, first, c) == -1)
		goto out;
	pd = mean_demand(c, h->nguests, r->nslots);
	r->scaled = h->threads > (double)ncpus;
	r->ncpus = r->scaled ? ncpus : (size_t)ceil(h->threads);
	if (r->scaled)
		choose(c, h->nguests, r->nslots, (double)ncpus / h->threads);
	r->g = xcalloc(h->nguests, sizeof(*r->g));
	for (i = 0; i < h->nguests; i++)
		if (c[i].in || !r->scaled)
			guest_take(r, &c[i], first);
	if (r->ng == 0) {
		error_set(ERROR_DATA, "no subset of the %zu guests of '%s' "
		    "stands for it on %zu CPUs: its demand per CPU is too low",
		    h->nguests, h->name, ncpus);
		goto out;
	}
	scale_memory(r, mem_budget_mib);
	describe(r, pd);
	ret = 0;
out:
	for (i = 0; i < h->nguests; i++)
		free(c[i].d);
	free(c);
	if (ret == -1)
		replica_release(r);
	return ret;
}
