/*
 * pack_index.c - trees that skip, in bulk, the hosts a guest cannot fit
 * and the guests a host cannot take.
 *
 * First fit tests a guest against the open hosts in order, best fit
 * against all of them, and the bin-centric packers test the guests left
 * against the open host: at 100,000 guests on 4,000 hosts those tests
 * were most of the planner's time (bench/README.md, scale), nearly all
 * of them failing.  A few keys summarise what a fit needs:
 *
 *   - a probe key per chosen slot: a guest needs its demand there within
 *     the host's room (its limit, or the higher of its limit and hard
 *     limit in a block that allows slots over, minus its load).  The probes are the slots of
 *     each block where the fleet's total demand is highest, where hosts
 *     fill first;
 *   - a slack key per block that allows no slot over: a guest needs its
 *     floor (its least demand in the block) within the host's smallest
 *     slack there, since the fit test rejects a guest over the slack at
 *     the tightest slot (pack_int.h).
 *
 * A pack_tree is a segment tree whose nodes hold, per key, the largest
 * value over the leaves below.  Over hosts a leaf holds the room; over
 * guests, the need negated.  A query q skips every subtree with some key
 * where q is above the maximum: no host below has the room the guest
 * needs, or no guest below needs as little as the host has.  Both are
 * necessary conditions only: every leaf found is still tested by
 * state_fits(), so the packers choose what they chose without the trees,
 * in the same order.  The room carries a margin of 1e-9 of the limit, so
 * rounding never skips a fit the fit test would accept.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "planner/pack_int.h"

#define PROBES_PER_BLOCK 3	/* probe slots per block */
#define ROOM_MARGIN 1e-9	/* of the limit, for rounding */
#define KEY_SLACK ((size_t)-1)	/* dim of a slack key */

/* ------------------------------------------------------------ keys */

/* the dimension of bl with the highest total demand not yet taken */
static size_t
probe_next(const struct pack_prep *pp, const struct pack_block *bl,
    const bool *taken)
{
	size_t d, best = PACK_NONE;

	for (d = bl->off; d < bl->off + bl->len; d++)
		if (!taken[d] && (best == PACK_NONE ||
		    pp->w_avg[d] > pp->w_avg[best]))
			best = d;
	return best;
}

static void
key_push(struct pack_keys *keys, size_t block, size_t dim)
{
	keys->block[keys->n] = block;
	keys->dim[keys->n++] = dim;
}

void
pack_keys_init(struct pack_keys *keys, const struct pack_prep *pp)
{
	const struct pack_problem *pb = pp->pb;
	size_t max = pb->nblocks * (PROBES_PER_BLOCK + 1) + 1, k, p, d;
	bool *taken = xcalloc(pb->ndims + 1, sizeof(bool));

	keys->n = 0;
	keys->dim = xreallocarray(NULL, max, sizeof(size_t));
	keys->block = xreallocarray(NULL, max, sizeof(size_t));
	for (k = 0; k < pb->nblocks; k++) {
		for (p = 0; p < PROBES_PER_BLOCK; p++) {
			d = probe_next(pp, &pb->blocks[k], taken);
			if (d == PACK_NONE)
				break;
			taken[d] = true;
			key_push(keys, k, d);
		}
		if (pb->blocks[k].allowed == 0 && pb->blocks[k].len > 1)
			key_push(keys, k, KEY_SLACK);
	}
	free(taken);
}

void
pack_keys_release(struct pack_keys *keys)
{
	free(keys->dim);
	free(keys->block);
	memset(keys, 0, sizeof(*keys));
}

/* bin b's room per key, times sign */
static void
keys_room(const struct pack_keys *keys, const struct pack_state *st,
    size_t b, double sign, double *out)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_bin *bin = &st->bins[b];
	const double *cx = st->pp->capx + bin->type * pb->ndims;
	const double *hx = st->pp->hardx + bin->type * pb->ndims;
	size_t j, k, d;
	double lim;

	for (j = 0; j < keys->n; j++) {
		k = keys->block[j];
		d = keys->dim[j];
		if (d == KEY_SLACK) {
			out[j] = sign * bin->slack[k];
			continue;
		}
		/* a slot over the limit is fine up to the hard limit, one
		 * within it whatever the hard limit */
		lim = pb->blocks[k].allowed == 0 || hx[d] < cx[d] ? cx[d] :
		    hx[d];
		out[j] = sign * (lim - bin->load[d] + ROOM_MARGIN * fabs(lim));
	}
}

/* item i's need per key, times sign */
static void
keys_need(const struct pack_keys *keys, const struct pack_prep *pp,
    size_t i, double sign, double *out)
{
	const struct pack_problem *pb = pp->pb;
	const double *v = item_demand(pb, i);
	size_t j;

	for (j = 0; j < keys->n; j++)
		out[j] = sign * (keys->dim[j] == KEY_SLACK ?
		    pp->floor[i * pb->nblocks + keys->block[j]] :
		    v[keys->dim[j]]);
}

/* ------------------------------------------------------------ tree */

static void
node_pull(struct pack_tree *t, size_t node)
{
	double *m = t->max + node * t->nkeys;
	const double *l = t->max + 2 * node * t->nkeys;
	const double *r = l + t->nkeys;
	size_t j;

	for (j = 0; j < t->nkeys; j++)
		m[j] = l[j] > r[j] ? l[j] : r[j];
}

/* room for n leaves at least, the leaves set so far kept */
static void
tree_resize(struct pack_tree *t, size_t n)
{
	size_t leaves = 1, j, node, old = t->leaves;
	double *max;

	while (leaves < n)
		leaves *= 2;
	max = xreallocarray(NULL, 2 * leaves * t->nkeys + 1, sizeof(double));
	for (j = 0; j < 2 * leaves * t->nkeys; j++)
		max[j] = -INFINITY;
	if (t->max != NULL)
		memcpy(max + leaves * t->nkeys, t->max + old * t->nkeys,
		    old * t->nkeys * sizeof(double));
	free(t->max);
	t->max = max;
	t->leaves = leaves;
	for (node = leaves; node-- > 1;)
		node_pull(t, node);
}

static void
tree_init(struct pack_tree *t, size_t nkeys, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->nkeys = nkeys;
	t->q = xcalloc(nkeys + 1, sizeof(double));
	t->leaf = xcalloc(nkeys + 1, sizeof(double));
	tree_resize(t, n > 0 ? n : 1);
}

void
pack_tree_release(struct pack_tree *t)
{
	free(t->max);
	free(t->q);
	free(t->leaf);
	memset(t, 0, sizeof(*t));
}

/* leaf p takes t->leaf */
static void
tree_set(struct pack_tree *t, size_t p)
{
	size_t node;

	if (p >= t->leaves)
		tree_resize(t, p + 1);
	node = t->leaves + p;
	memcpy(t->max + node * t->nkeys, t->leaf, t->nkeys * sizeof(double));
	for (node /= 2; node >= 1; node /= 2)
		node_pull(t, node);
}

static bool
node_may(const struct pack_tree *t, size_t node)
{
	const double *m = t->max + node * t->nkeys;
	size_t j;

	for (j = 0; j < t->nkeys; j++)
		if (t->q[j] > m[j])
			return false;
	return true;
}

/*
 * From leaf from rightwards, bottom up: a node that may do is entered
 * (its left child next), one that may not is skipped for the subtree to
 * its right.  Consecutive candidates cost a few nodes each, a pruned run
 * one node per level at most.  A node may do without either child doing
 * (their maxima come from different leaves): the search then leaves it.
 */
size_t
pack_tree_next(const struct pack_tree *t, size_t from)
{
	size_t node;

	if (from >= t->leaves)
		return PACK_NONE;
	node = t->leaves + from;
	for (;;) {
		if (node_may(t, node)) {
			if (node >= t->leaves)
				return node - t->leaves;
			node *= 2;
			continue;
		}
		while (node & 1)
			node /= 2;	/* a right child: its parent is done */
		if (node == 0)
			return PACK_NONE;
		node++;
	}
}

/* ------------------------------------------------------------ uses */

void
pack_bins_index(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_state *st)
{
	size_t b;

	tree_init(t, keys->n, st->nbins);
	for (b = 0; b < st->nbins; b++)
		pack_bins_update(t, keys, st, b);
}

void
pack_bins_update(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_state *st, size_t b)
{
	keys_room(keys, st, b, 1, t->leaf);
	tree_set(t, b);
}

void
pack_bins_query(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_prep *pp, size_t i)
{
	keys_need(keys, pp, i, 1, t->q);
}

void
pack_items_index(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_prep *pp, const size_t *order, size_t n)
{
	size_t p;

	tree_init(t, keys->n, n);
	for (p = 0; p < n; p++)
		keys_need(keys, pp, order[p], -1, t->max + (t->leaves + p) *
		    t->nkeys);
	for (p = t->leaves; p-- > 1;)
		node_pull(t, p);
}

void
pack_items_take(struct pack_tree *t, size_t p)
{
	size_t j;

	for (j = 0; j < t->nkeys; j++)
		t->leaf[j] = -INFINITY;
	tree_set(t, p);
}

void
pack_items_query(struct pack_tree *t, const struct pack_keys *keys,
    const struct pack_state *st, size_t b)
{
	keys_room(keys, st, b, -1, t->q);
}
