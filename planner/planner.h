/*
 * planner.h - from profiles, inventory, host catalog and policy to a plan.
 *
 * planner_run() is what capplan plan calls.  Its stages, each in its own
 * file:
 *
 *   demand.c      every server's demand per resource and time slot: the
 *                 profiles' hour-of-day or hour-of-week slots, one slot
 *                 at the sizing percentile (peak), or the full series
 *                 read again from the samples, on one aligned grid;
 *   candidates.c  virtualize, keep physical or retire, with a reason;
 *   build.c       guests become items (affinity groups merged), host
 *                 models become bin types with limits per slot and the
 *                 static limits (vCPUs, committed memory, guest count);
 *                 the cheapest model is chosen, packed with the
 *                 portfolio and the search, hosts downsized where a
 *                 cheaper model holds their guests, N+1 checked, bounds
 *                 computed, GLPK asked when --exact;
 *   explain.c     the plan itself: hosts with their predicted profile,
 *                 contention (model/contention.h) and cost
 *                 (model/cost.h), guests with a "why this host" line.
 *
 * Constraints that cannot be met (an affinity group bigger than any
 * host, a pin that does not fit, too few hosts available, ...) are not
 * errors: planner_run() returns 1 with one line per constraint, and the
 * command exits 3.
 */
#ifndef PLANNER_PLANNER_H
#define PLANNER_PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/existing.h"
#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/policy.h"
#include "model/profile.h"
#include "planner/pack.h"
#include "planner/plan.h"

struct planner_input {
	const struct profile_set *ps;
	const struct inventory *inv;	/* NULL: none */
	const struct existing *ex;	/* the hosts there are; NULL: none */
	const struct hostcat *hc;
	const struct policy *pol;
	int resolution;			/* enum resolution */
	char *const *samples;		/* series: the samples files */
	size_t nsamples;
	const char *model;		/* only this catalog model; NULL */
	const char *packer;		/* one heuristic; NULL: portfolio */
	bool search;
	double time_limit_s;		/* search and --exact; <= 0: none */
	uint64_t effort;		/* 0: PACK_EFFORT_DEFAULT */
	bool exact;
	bool diagnose;			/* infeasible: find the binding
					 * constraints (diagnose.c) */
	unsigned threads;		/* 0: every core */
	struct pack_progress progress;
	bool windowed;			/* series: only the samples in */
	int64_t from_ms, until_ms;	/* [from_ms, until_ms) */
	double cpu_margin;		/* CPU demand x (1 + this) */
	bool no_zones;			/* diagnose.c: zones relaxed */
	/* [add NAME] (added.c): the last nadded profiles are planned
	 * workloads, each like profile added_like[i]; 0 until expanded */
	size_t nadded;
	const size_t *added_like;
};

struct planner_result {
	struct plan *plan;		/* NULL unless planner_run() gave 0 */
	char **infeasible;		/* one line per unmet constraint */
	size_t ninfeasible;
	char **warnings;		/* one line each */
	size_t nwarnings;
};

/*
 * Make a plan.  Returns 0 with res->plan set, 1 when the constraints
 * cannot be met (res->infeasible says which), or -1 with the error
 * recorded (bad input: a group naming an unknown server, profiles of the
 * wrong slot kind, a samples file that fails to read).  Release res with
 * planner_result_release() in every case.
 */
int planner_run(const struct planner_input *in, struct planner_result *res);
/*
 * planner_run() when the policy sets target_overload_pct (sizing.c): the
 * sizing is chosen on the samples files by validation, then the plan is
 * made with it and says so.  Same returns.
 */
int planner_run_target(const struct planner_input *in,
    struct planner_result *res);
void planner_result_release(struct planner_result *res);

/* ------------------------------------------------- inside planner/ */

/* the input with the [add NAME] servers appended (added.c) */
struct added {
	struct planner_input in;	/* the input to plan with */
	struct profile_set ps;
	struct inventory inv;
	char **names;			/* the added servers' names */
	size_t *like;			/* each one's source profile */
	size_t nadded;
};
/* Fill a from in: a->in is in itself when the policy adds nothing.
 * -1 with the error set: [add] without like, an unknown server, a name
 * taken, the series resolution. */
int added_make(struct added *a, const struct planner_input *in);
void added_release(struct added *a);
struct candidates;
/* Added servers are guests: one too big for every model is an unmet
 * constraint, any other decision is overridden, with a warning. */
void added_decide(struct candidates *c, const struct planner_input *in,
    struct planner_result *res);

/* every server's demand, on one grid of slots */
struct demand {
	size_t nservers;	/* = ps->nprofiles, in its order */
	size_t nslots;
	double slot_s;
	int64_t start_ms;	/* series only */
	int resolution;
	double *v;		/* nservers x RES_N x nslots */
	bool *measured;		/* nservers x RES_N */
	double *vcpus;		/* sized, per server */
	double *mem_mib;	/* sized (committed), per server; NaN */
	unsigned char *mem_source;	/* enum plan_mem_source, per server */
	/* storage (storage.c): planned when a catalog model has
	 * storage_gib and a server a disk figure */
	bool storage;
	double *storage_gib;	/* per server; NaN: not known */
	unsigned char *storage_source;	/* enum plan_storage_source */
	/* stated growth (growth.c): per server and enum growth_res, the
	 * factor 1 + pct / 100, NaN where not stated; per server its rule
	 * in pol->growth, or SIZE_MAX */
	double *grow;
	size_t *grow_rule;
};

static inline double *
demand_row(const struct demand *d, size_t server, int r)
{
	return d->v + (server * RES_N + (size_t)r) * d->nslots;
}

int demand_build(struct demand *d, const struct planner_input *in,
    struct planner_result *res);
/*
 * Give every virtualized server (decision[s] == DECISION_VIRTUALIZE) a
 * memory size: its profile's, else its installed memory (profile or
 * inventory), else [sizing] assumed_mem_mib; warns about each but the
 * first.  -1 with ERROR_DATA naming the servers when some have none.
 */
int demand_size_memory(struct demand *d, const struct planner_input *in,
    const enum plan_decision *decision, struct planner_result *res);
void demand_release(struct demand *d);
/*
 * Stated growth (growth.c).  growth_resolve(): every server's factors
 * and rule; -1 with ERROR_DATA for a server two named sections claim.
 * growth_stated(): does server s have a stated figure for resource r
 * (then its fitted trend is not added)?  growth_apply(): multiply the
 * stated resources' slots, vCPUs and memory.  growth_res(): the
 * enum growth_res of a resource.
 */
int growth_resolve(struct demand *d, const struct planner_input *in);
bool growth_stated(const struct demand *d, size_t s, int r);
void growth_apply(struct demand *d);
int growth_res(int r);
/* add name to a list of up to five names, then "...", counting in *n */
struct strbuf;
void planner_names_add(struct strbuf *sb, size_t *n, const char *name);
/*
 * Storage (storage.c).  storage_size(): every server's disk GiB by
 * [storage] size, from the inventory (disk_gib allocated, disk_used_gib
 * used), the other figure as fallback, else [storage] assumed_gib; and
 * whether storage is planned at all (d->storage).  storage_check(): warns
 * about the fallbacks among the virtualized servers, or -1 with
 * ERROR_DATA naming those with no figure.
 */
void storage_size(struct demand *d, const struct planner_input *in,
    struct planner_result *res);
int storage_check(struct demand *d, const struct planner_input *in,
    const enum plan_decision *decision, struct planner_result *res);
/* a slot's name for people: "14:00", "Tue 14:00", an RFC 3339 time */
void demand_slot_label(const struct demand *d, size_t slot, char *buf,
    size_t len);

/* the decision about each server, with a reason */
struct candidates {
	enum plan_decision *decision;	/* per server */
	char **reason;			/* per server; NULL to virtualize */
};

int candidates_classify(struct candidates *c, const struct demand *d,
    const struct planner_input *in);
/* the existing host (its index in in->ex) server s runs on now as a
 * guest, or PACK_NONE (brownfield.c) */
size_t brownfield_current(const struct planner_input *in, size_t s);
void candidates_release(struct candidates *c, size_t n);

/*
 * The plan of in is infeasible (res says where the packing stopped): add
 * lines naming the classes of constraint that bind, found by relaxing
 * each class, then each pair, in quick plans of their own.
 */
void planner_diagnose(const struct planner_input *in,
    struct planner_result *res, size_t nguests);

/* add a line to res's warnings or infeasible list */
/*
 * Order p's moves into migration waves by the policy's [waves] (none when
 * max_servers is 0; planner/waves.c says how), into p->migration, with
 * what is assumed (a disk size not known) told through res's warnings.
 * inv may be NULL.  Returns 0.
 */
int plan_waves_make(struct plan *p, const struct inventory *inv,
    const struct policy *pol, struct planner_result *res);
void planner_warn(struct planner_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void planner_infeasible(struct planner_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
