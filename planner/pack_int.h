/*
 * pack_int.h - what the packers share inside planner/: the packing state
 * (bins with running loads) and its fit kernel.  Not for other folders.
 *
 * A bin keeps, besides its load per dimension, the smallest slack of each
 * block and where it is.  Most fit tests end there: an item whose peak in
 * a block is within the block's smallest slack fits it whatever the slot
 * (fast accept), and an item that does not fit the tightest slot does not
 * fit (fast reject, when no violation budget applies).  Only the rest are
 * checked slot by slot.  On a 168-slot plan this makes first fit over
 * thousands of bins cheap.
 */
#ifndef PLANNER_PACK_INT_H
#define PLANNER_PACK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "planner/pack.h"

struct pack_prep {
	const struct pack_problem *pb;
	double *inv_ref;	/* ndims: 1 / types[0] limit, 0 where 0 */
	double *w_avg;		/* ndims: total normalised demand */
	double *peak;		/* nitems x nblocks: max over the block */
	double *floor;		/* nitems x nblocks: min over the block */
	double *capx;		/* ntypes x ndims: limit x (1 + PACK_EPS) */
	double *hardx;		/* ntypes x ndims: hard x (1 + PACK_EPS) */
	bool *fits_some;	/* per item: fits an empty bin of some type */
	size_t *dmem_off;	/* domain group -> its items (CSR) */
	size_t *dmembers;
	uint32_t ndgroups;
	size_t *roomy;		/* the types, roomiest first (normalised
				 * limits summed): a zone with a most hosts
				 * opens these first, downsized later */
	bool budget;		/* some block allows violations */
};

struct pack_bin {
	size_t type;
	size_t *items;
	size_t n, cap;
	double *load;		/* ndims */
	double *slack;		/* nblocks: min over the block of capx - load */
	size_t *argmin;		/* nblocks: a dimension where it is reached */
	uint32_t *groups;	/* anti-affinity groups present (with repeats) */
	size_t ng, capg;
	size_t npinned;		/* pinned items in it */
	uint32_t zone;		/* the zone of its items; PACK_ZONE_ANY
				 * until the first comes or it is opened
				 * for one */
	uint32_t domain;	/* its failure domain (0 without domains) */
};

#define PACK_ZONE_ANY PACK_ANY_ZONE

struct pack_state {
	const struct pack_problem *pb;
	const struct pack_prep *pp;
	struct pack_bin *bins;
	size_t nbins, capbins;
	size_t *bin_of;		/* per item, PACK_NONE when unplaced */
	size_t *used;		/* bins per type */
	size_t *zone_bins;	/* bins per zone (nzones entries) */
	size_t *domain_bins;	/* bins per domain (ndomains entries) */
	uint64_t effort;	/* dimensions examined by fit tests */
};

static inline const double *
item_demand(const struct pack_problem *pb, size_t i)
{
	return pb->demand + i * pb->ndims;
}

/* Set up with the pinned bins open and the pinned items in them; -1
 * with ERROR_DATA when a pinned item does not fit its bin. */
int state_init(struct pack_state *st, const struct pack_problem *pb,
    const struct pack_prep *pp);
void state_release(struct pack_state *st);
/* A new empty bin of the first type with hosts left; PACK_NONE if none. */
size_t state_open(struct pack_state *st);
/* As state_open(), of type t. */
size_t state_open_type(struct pack_state *st, size_t t);
/* A new empty bin of the first type with hosts left that item i fits
 * when empty; PACK_NONE if none. */
size_t state_open_for(struct pack_state *st, size_t i);
/* A new empty bin of type t, whatever its available count, of zone
 * zone and domain domain: a spare for pack_failover(). */
size_t state_open_spare(struct pack_state *st, size_t t, uint32_t zone,
    uint32_t domain);
/* Drop the last bin, which must be empty. */
void state_drop_last(struct pack_state *st);
bool state_fits(struct pack_state *st, size_t b, size_t i);
/* Would bin b fit after its items out[0..nout) leave and in[0..nin)
 * come?  Groups and pins are the caller's business. */
bool state_fits_swap(struct pack_state *st, size_t b, const size_t *out,
    size_t nout, const size_t *in, size_t nin);
/* Does item i share an anti-affinity group with bin b (ignoring the
 * items in skip[0..nskip))? */
bool state_conflicts(const struct pack_state *st, size_t b, size_t i,
    const size_t *skip, size_t nskip);
void state_add(struct pack_state *st, size_t b, size_t i);
void state_remove(struct pack_state *st, size_t b, size_t i);
/* Remove empty bins (renumbering the rest, order kept). */
void state_compact(struct pack_state *st);
/* Normalised L1 load of bin b: sum over dimensions of load / limit. */
double state_load_l1(const struct pack_state *st, size_t b);
/* Place item i in the first bin that fits, opening one if none does;
 * -1 with ERROR_DATA when no bin can be opened. */
int state_first_fit(struct pack_state *st, size_t i);
void state_to_solution(const struct pack_state *st, struct pack_solution *s,
    const char *name);
/* Load s into a fresh state (st uninitialised). */
void state_from_solution(struct pack_state *st, const struct pack_problem *pb,
    const struct pack_prep *pp, const struct pack_solution *s);
/* Go back to s (a plan of st's problem), keeping the effort spent so
 * far: a search's budget is not given again by a restore. */
void state_restore(struct pack_state *st, const struct pack_solution *s);

/*
 * Suffix minima of the items' floors along order[0..n): the returned
 * n x nblocks array holds at [p] the smallest floor of order[p..n) per
 * block.  A bin whose slack in some block is under it can take none of
 * the items from position p on, nor later (the minima only grow): first
 * fit skips it for good.
 */
double *pack_suffix_floor(const struct pack_prep *pp, const size_t *order,
    size_t n);
/* Is bin b closed for the items left, by pack_suffix_floor()'s row? */
bool state_closed(const struct pack_state *st, size_t b,
    const double *sufmin);

/*
 * Trees that skip the bins an item cannot fit, and the items a bin
 * cannot take (pack_index.c), by necessary conditions on a few keys:
 * every leaf pack_tree_next() gives must still pass state_fits(), and
 * may lie past the last bin or item.
 */
struct pack_keys {
	size_t n;
	size_t *dim;		/* per key: a probe slot, or a slack key */
	size_t *block;		/* per key: its block */
};
struct pack_tree {
	size_t nkeys, leaves;	/* leaves: a power of two */
	double *max;		/* 2 x leaves x nkeys: each node's maxima */
	double *q;		/* nkeys: the query */
	double *leaf;		/* nkeys: scratch for a leaf's values */
};
void pack_keys_init(struct pack_keys *keys, const struct pack_prep *pp);
void pack_keys_release(struct pack_keys *keys);
void pack_tree_release(struct pack_tree *t);
/* The first leaf from on that the query may take, or PACK_NONE. */
size_t pack_tree_next(const struct pack_tree *t, size_t from);
/* Over bins: index every open bin, update bin b after state_add() (a
 * new bin too; bins are never removed under it), query for item i. */
void pack_bins_index(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_state *st);
void pack_bins_update(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_state *st, size_t b);
void pack_bins_query(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_prep *pp, size_t i);
/* Over items order[0..n): index them, take the one at position p out,
 * query for bin b. */
void pack_items_index(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_prep *pp, const size_t *order, size_t n);
void pack_items_take(struct pack_tree *t, size_t p);
void pack_items_query(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_state *st, size_t b);

/* The error for an item that no bin can take. */
int pack_error_unplaceable(const struct pack_state *st, size_t i);

/*
 * Item indices, unpinned ones only, sorted by decreasing size measure
 * (PACK_SIZE_*) under weights (PACK_WEIGHT_*), ties by index.  Sets *n.
 * Owned by the caller.
 */
size_t *pack_order(const struct pack_prep *pp, int size, int weight,
    size_t *n);
/* Every item, pinned or not, in the same order as pack_order(). */
size_t *pack_order_all(const struct pack_prep *pp, int size, int weight);
/* The weight of dimension d. */
static inline double
pack_weight(const struct pack_prep *pp, int weight, size_t d)
{
	return weight == PACK_WEIGHT_AVG ? pp->w_avg[d] : 1.0;
}

/*
 * The bin-centric driver (pack_bcs.c): fill one host at a time with the
 * fitting guest of highest score(st, res, i, weight), res being the open
 * host's normalised residual per dimension.
 */
struct pack_score {
	const double *res;	/* the open host's normalised residual */
	const double *w;	/* the weight of each dimension */
	const double *inv;	/* 1 / reference limit, per dimension */
	const double *wr;	/* w x inv x res, per dimension */
};
typedef double (*pack_score_fn)(const struct pack_state *st,
    const struct pack_score *sc, size_t i);
int pack_bcs(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, pack_score_fn score, struct pack_solution *s);

/*
 * Empty bin target by letting the others overflow and repairing them
 * (pack_repair.c), within effort more dimensions tested.  True when it
 * succeeded (the bin is gone); false leaves st as it was.
 */
bool pack_repair_empty(struct pack_state *st, size_t target,
    uint64_t effort, uint64_t *rng);

/* the packers (one file each) */
int pack_ffd(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s);
int pack_bfd(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s);
int pack_dot(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s);
int pack_l2(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s);

#endif
