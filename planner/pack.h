/*
 * pack.h - time-aware vector bin packing, independent of any file format.
 *
 * Items (guests) have a demand vector of ndims numbers; bins (hosts) of
 * a few types have a limit per dimension.  The dimensions come in blocks:
 * one block per resource holds its time slots (24, 168 or a full series),
 * and one-slot blocks hold static limits (vCPUs, committed memory, guest
 * count).  A bin fits a set of items when, in every block, the summed
 * demand stays within the limit in every slot, except that a block may
 * allow `allowed` slots over the limit (a violation budget) as long as
 * they stay within its hard capacity.  With one slot per resource this is
 * plain vector bin packing; with T slots it is the time-slot model of
 * Speitkamp and Bichler, so every heuristic applies unchanged.
 *
 * Anti-affinity: items sharing a group id never share a bin.  Pins: an
 * item may be fixed to one of npinned bins opened before any other; the
 * search never moves it.  Affinity (keep together) is not here: the
 * caller merges such items into one.  Trust zones: each item may carry a
 * zone, and items of two zones never share a bin; a zone may have its
 * own bin type and a most bins.  Failure domains: with ndomains > 0
 * every bin is in one domain (new bins go to the domain with the fewest),
 * and items sharing a domain group id are in bins of different domains.
 *
 * The heuristics are rows of packers[] (one file each); pack_portfolio()
 * runs them all (on every core) and keeps the best, and pack_search()
 * then tries to empty the least loaded bins.  All are deterministic: ties
 * break by item and bin index, the search counts its effort in fit tests
 * and uses a fixed-seed generator, and only its time limit (a safety cap)
 * can make the outcome depend on the machine.
 */
#ifndef PLANNER_PACK_H
#define PLANNER_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PACK_NONE ((size_t)-1)
#define PACK_ANY_ZONE UINT32_MAX	/* pinned_zone: no zone fixed */

/* Relative tolerance of every capacity comparison: a sum may exceed a
 * limit by this share of it (rounding in sums of thousands of terms). */
#define PACK_EPS 1e-9

struct pack_block {
	size_t off, len;	/* dimensions [off, off + len) */
	size_t allowed;		/* slots allowed over the limit */
	int resource;		/* the caller's tag (enum resource, or -1) */
};

struct pack_bintype {
	const double *cap;	/* ndims limits */
	const double *hard;	/* ndims, for allowed slots; NULL: = cap */
	double cost;		/* per bin and year; 1 when counting */
	size_t available;	/* PACK_NONE: unlimited */
	bool existing;		/* hosts that exist: pinned bins only, never
				 * opened new, not counted in available */
};

struct pack_problem {
	size_t nitems, ndims;
	const double *demand;	/* nitems x ndims, item-major, >= 0 */
	const struct pack_block *blocks;
	size_t nblocks;
	/* new bins take the first type with hosts left, in this order */
	const struct pack_bintype *types;
	size_t ntypes;
	/* anti-affinity: item i's groups are groups[group_off[i] ..
	 * group_off[i + 1]); group_off NULL: none */
	const size_t *group_off;
	const uint32_t *groups;
	/* pins: pin[i] < npinned, or PACK_NONE; pin NULL: none */
	const size_t *pin;
	const size_t *pinned_type;	/* the type of each pinned bin */
	size_t npinned;
	/* per pinned bin, its zone and domain when fixed (an existing host
	 * kept for a zone, in a rack): PACK_ZONE_ANY / UINT32_MAX when not;
	 * NULL: none fixed */
	const uint32_t *pinned_zone;
	const uint32_t *pinned_domain;
	/* trust zones: zone[i] < nzones per item (zone NULL: one zone).
	 * A bin holds items of one zone; zone z's bins are of type
	 * zone_type[z] alone unless that is PACK_NONE, and there are at most
	 * zone_max[z] of them (PACK_NONE: no limit); either array may be
	 * NULL. */
	const uint32_t *zone;
	size_t nzones;
	const size_t *zone_type;
	const size_t *zone_max;
	/* failure domains: bins are spread over ndomains (0: none); items
	 * sharing an id of dgroups[dgroup_off[i] .. dgroup_off[i + 1]) are in
	 * bins of different domains (dgroup_off NULL: none) */
	size_t ndomains;
	const size_t *dgroup_off;
	const uint32_t *dgroups;
};

/* the zone of item i (0 when the problem has none) */
static inline uint32_t
pack_item_zone(const struct pack_problem *pb, size_t i)
{
	return pb->zone != NULL ? pb->zone[i] : 0;
}

/* may zone z have bins of type t? */
static inline bool
pack_zone_allows(const struct pack_problem *pb, uint32_t z, size_t t)
{
	return pb->zone_type == NULL || pb->zone_type[z] == PACK_NONE ||
	    pb->zone_type[z] == t;
}

struct pack_solution {
	size_t nitems;
	size_t nbins;
	size_t *bin_of;		/* per item */
	size_t *bin_type;	/* per bin */
	double cost;		/* sum of the bins' type costs */
	const char *packer;	/* static name */
	uint32_t *bin_domain;	/* per bin when the problem has domains;
				 * NULL: none */
	/* the N+k spares (0: none), each of type spare_type[k] (borrowed):
	 * no guests, but they count against their type's available hosts */
	size_t nspare;
	const size_t *spare_type;
};

void pack_solution_init(struct pack_solution *s);
void pack_solution_release(struct pack_solution *s);
void pack_solution_copy(struct pack_solution *dst,
    const struct pack_solution *src);
/* Is a better than b: fewer bins, then lower cost. */
bool pack_solution_better(const struct pack_solution *a,
    const struct pack_solution *b);

/*
 * Check the problem: dimensions covered by blocks, demand finite and
 * >= 0, limits >= 0, pins and groups in range.  -1 with ERROR_DATA.
 */
int pack_problem_check(const struct pack_problem *pb);
/* Does item i fit an empty bin of type t (its pins and groups aside)? */
bool pack_item_fits_type(const struct pack_problem *pb, size_t i, size_t t);
/* Do items[0..n) fit one bin of type t together (groups aside)? */
bool pack_fits_set(const struct pack_problem *pb, size_t t,
    const size_t *items, size_t n);
/*
 * N+k and failure domains (pack_ha.c).  The scenarios: every set of
 * `hosts' bins failing at once (enumerated while there are at most
 * max_sets such sets; k = 1 always), and with `domain' every domain
 * failing whole.  In each, the failed bins' guests must find room on the
 * bins that survive, first fit within the limits of pb (the failover
 * limits), anti-affinity and zones kept, or, failing that, each failed
 * bin's guests whole on a surviving empty spare of their zone.  The
 * spares are empty bins added to s's for the check.  Returns 0 when
 * every scenario is absorbed, 1 with *out the first that is not, 2 when
 * there are more sets of `hosts' bins than max_sets (domains not tried).
 */
#define PACK_FAIL_MAX 16	/* most bins failing together */

struct pack_spare {
	size_t type;
	uint32_t zone, domain;
};

struct pack_failures {
	size_t hosts;		/* k: bins failing together; 0: none */
	bool domain;		/* any one domain failing whole */
	size_t max_sets;	/* sets of k bins enumerated at most */
};

struct pack_failed {
	size_t bins[PACK_FAIL_MAX];	/* the bins that failed ... */
	size_t nbins;
	uint32_t domain;	/* ... or the domain; UINT32_MAX: none */
	uint32_t zone;		/* the zone of a guest left with no room */
};

int pack_failover(const struct pack_problem *pb, const struct pack_solution *s,
    const struct pack_spare *spares, size_t nspares,
    const struct pack_failures *f, struct pack_failed *out);

/*
 * Verify s against pb from scratch (an independent re-sum, not the
 * packers' running loads): every item in a bin, every bin within its
 * limits and budgets, groups apart, pins kept, availability respected
 * (the N+1 spares counted with the bins).
 * Returns 0, or -1 with ERROR_DATA naming the first violation.
 */
int pack_verify(const struct pack_problem *pb, const struct pack_solution *s);

/* a heuristic: fills s (initialised) or returns -1 with the error set */
struct pack_prep;
struct packer {
	const char *name;	/* "ffd-l1-avg" */
	int (*fn)(const struct pack_problem *pb, const struct pack_prep *pp,
	    const struct packer *self, struct pack_solution *s);
	int size;		/* PACK_SIZE_*: the size or score measure */
	int weight;		/* PACK_WEIGHT_* */
	bool quadratic;		/* O(n^2): bounded on large inputs */
	const char *what;	/* one line for the man page */
};

enum pack_size { PACK_SIZE_L1, PACK_SIZE_LINF, PACK_SIZE_L2 };
enum pack_weight { PACK_WEIGHT_UNIT, PACK_WEIGHT_AVG };

extern const struct packer packers[];
extern const size_t npackers;
const struct packer *packer_find(const char *name);

/* Shared, read-only precomputation for the packers (weights, sizes). */
struct pack_prep *pack_prep_new(const struct pack_problem *pb);
void pack_prep_free(struct pack_prep *pp);

struct pack_progress {
	void (*fn)(void *ctx, double done_frac);	/* may be NULL */
	void *ctx;
};

struct pack_options {
	const char *only;	/* run this packer only; NULL: portfolio */
	bool search;		/* run the local search after */
	double time_limit_s;	/* for the search; <= 0: no limit */
	uint64_t effort;	/* search budget in dimensions tested;
				 * 0: PACK_EFFORT_DEFAULT */
	size_t lower;		/* a lower bound: stop the search there */
	unsigned threads;	/* 0: the machine's cores */
	struct pack_progress progress;
};

void pack_options_init(struct pack_options *o);

/* 5e9 dimensions tested: a plan of 1,052 servers x 288 slots in 2.8 s,
 * of 100,000 x 843 in 52 s, about 12 s of them the search's
 * (bench/README.md; less when the lower bound is reached first) */
#define PACK_EFFORT_DEFAULT 5000000000ULL

/* the budget an effort option stands for: itself, or the default for 0 */
static inline uint64_t
pack_effort(uint64_t effort)
{
	return effort > 0 ? effort : PACK_EFFORT_DEFAULT;
}

enum pack_search_end {
	SEARCH_OFF, SEARCH_CONVERGED, SEARCH_EFFORT, SEARCH_TIME,
};
extern const char *const pack_search_end_names[];

/*
 * Pack pb with the portfolio (or o->only), then search if asked.  s is
 * initialised here and owned by the caller.  Returns 0, or -1 with the
 * error set: ERROR_DATA when an item fits no bin type or the bins
 * available run out (the caller turns these into a report per
 * constraint).  *end tells how the search ended (may be NULL).
 */
int pack_run(const struct pack_problem *pb, const struct pack_options *o,
    struct pack_solution *s, enum pack_search_end *end);

/*
 * The local search alone: try to empty the least loaded bins of s by
 * moving and swapping their items into the others, keeping s feasible;
 * s improves in place.  Returns how it ended.
 */
enum pack_search_end pack_search(const struct pack_problem *pb,
    const struct pack_prep *pp, struct pack_solution *s,
    const struct pack_options *o);

/*
 * Spread the load over the bins of s (pack_balance.c): move items from
 * bins of higher peak (largest share of a limit over the blocks of a
 * resource) to bins of lower, while the higher of the two peaks falls,
 * keeping every constraint and every bin, within effort dimensions
 * examined.  s improves in place; returns the moves made.
 */
size_t pack_balance(const struct pack_problem *pb, struct pack_solution *s,
    const bool *stay, uint64_t effort);
/* Move each item i with home[i] != PACK_NONE back to bin home[i] when it
 * fits there, in item order; returns the moves made. */
size_t pack_home(const struct pack_problem *pb, struct pack_solution *s,
    const size_t *home);

/*
 * Lower bounds on the number of bins of types[0] (bound.c).  Blocks with
 * a violation budget are bounded with their hard capacity, which no slot
 * may exceed.  Each bound is valid for any packing of pb into bins of
 * types[0] alone; with a mix of types they bound that homogeneous plan.
 * With zones, items of different zones conflict (the clique), and each
 * zone's items are bounded alone, on its own type when it has one: no
 * bin holds two zones, so the plan needs the sum of those bounds.
 */
struct pack_bounds {
	double *ratio;		/* per dimension: sum of demand / limit */
	size_t continuous;	/* max over dimensions of ceil(ratio) */
	size_t continuous_dim;
	size_t *l2;		/* per block: Martello-Toth L2, max over its
				 * dimensions */
	size_t l2_max;
	size_t dff;		/* Fekete-Schepers dual feasible functions,
				 * max over the dimensions */
	size_t clique;		/* greedy clique of pairwise conflicts */
	const char *method;	/* static name of the bound that gives
				 * lower: "continuous", "l2", "dff",
				 * "clique", "zones", "existing", "pinned" */
	size_t zones;		/* with zones: the sum over the zones of
				 * each zone's own bound; else 0 */
	size_t existing;	/* pinned bins of existing types */
	size_t beyond;		/* with those: bins needed beyond them */
	size_t lower;		/* the max of the above, or with existing
				 * bins their count plus beyond */
};

void pack_bounds_compute(const struct pack_problem *pb,
    struct pack_bounds *b);
/* The largest bound on zone z's items alone, in bins as roomy in each
 * dimension as the roomiest type the zone may have: valid for any mix. */
size_t pack_bounds_zone(const struct pack_problem *pb, uint32_t z);
void pack_bounds_release(struct pack_bounds *b);
/* Martello-Toth L2 of one dimension: n weights w (any order) in bins of
 * capacity c.  Exported for tests. */
size_t bound_mt_l2(const double *w, size_t n, double c);
/* The dual feasible function bound of one dimension (bound.c). */
size_t bound_dff(const double *w, size_t n, double c);

/*
 * Exact methods with GLPK (pack_exact.c), on bins of types[0].
 *
 * pack_exact_lp(): the configuration LP (Gilmore-Gomory) by column
 * generation, the pricing a 0-1 multi-dimensional knapsack solved as a
 * MIP; start is a feasible solution whose bins seed the columns.  On
 * success *lp is the ceiling of the LP optimum (a lower bound on OPT,
 * usually equal to it), or a Farley bound when the time ran out.
 * pack_exact_solve(): the assignment MIP with at most start->nbins - 1
 * bins; improves *s when it finds fewer bins, sets *optimal when OPT is
 * proved.  Both return 0, 1 when the time limit stopped them (results
 * still valid), or -1 with the error set.
 */
int pack_exact_lp(const struct pack_problem *pb,
    const struct pack_solution *start, double time_limit_s, double *lp);
int pack_exact_solve(const struct pack_problem *pb, struct pack_solution *s,
    size_t lower, double time_limit_s, bool *optimal);

#endif
