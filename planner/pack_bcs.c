/*
 * pack_bcs.c - the bin-centric driver behind the dot-product and
 * norm-based greedy packers (Panigrahy et al. 2011).
 *
 * One host is open at a time.  Among the guests left that fit it, the one
 * with the highest score against the host's residual capacity goes in;
 * when none fits, the host is closed and the next opens (pinned hosts
 * first, in order).  The score is the caller's (pack_dot.c, pack_l2.c).
 *
 * Every step scans the guests left, so the packer is quadratic.  On large
 * inputs the scan stops after a window of fitting candidates, taken in
 * decreasing size order; the window keeps the whole run near
 * BCS_BUDGET dimension-operations (under a second), a candidate costing
 * its dimensions plus BCS_VISIT_DIMS for the tree walk and the fit
 * test's set-up, and covers every guest on inputs of up to a few
 * thousand guests x a few hundred slots.  Without BCS_VISIT_DIMS, the
 * peak-based comparison (a dimension per resource) of 100,000 servers
 * scanned about 1,600 candidates a step: 38 of the run's 83 s of CPU.
 * The scan goes through pack_index.c's tree over the guests left, which
 * skips runs of guests the host cannot take: near a host's end most
 * guests are too big for it, and the scan was most of the run.
 */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "planner/pack_int.h"

#define BCS_BUDGET	1e9
#define BCS_MIN_WINDOW	32
#define BCS_VISIT_DIMS	64	/* a candidate's tree walk and fit set-up */

/* the open host's residual, and w x inv x residual, per dimension */
static void
residual(const struct pack_state *st, size_t b, double *res, double *wr,
    const double *w)
{
	const struct pack_problem *pb = st->pb;
	const double *cap = pb->types[st->bins[b].type].cap;
	const double *inv = st->pp->inv_ref;
	size_t d;
	double r;

	for (d = 0; d < pb->ndims; d++) {
		r = (cap[d] - st->bins[b].load[d]) * inv[d];
		res[d] = r > 0 ? r : 0;
		wr[d] = w[d] * inv[d] * res[d];
	}
}

/* the guests in size order, those placed, the first not placed, and the
 * tree over them (pack_index.c) */
struct live {
	size_t *order;
	bool *taken;
	size_t n, head;
	struct pack_keys keys;
	struct pack_tree tree;
};

static void
live_take(struct live *l, size_t pos)
{
	l->taken[pos] = true;
	pack_items_take(&l->tree, pos);
	while (l->head < l->n && l->taken[l->head])
		l->head++;
}

/* is bin b full for every guest left (pack_suffix_floor())? */
static bool
closed_early(const struct pack_state *st, size_t b, const struct live *l,
    const double *sufmin)
{
	return state_closed(st, b, sufmin + l->head * st->pb->nblocks);
}

/* the best fitting guest for bin b: its position in l, or PACK_NONE */
static size_t
best_candidate(struct pack_state *st, struct live *l, size_t b,
    const struct pack_score *sc, pack_score_fn score, size_t window)
{
	size_t j, found = 0, best = PACK_NONE;
	double v, top = 0;

	pack_items_query(&l->tree, &l->keys, st, b);
	for (j = pack_tree_next(&l->tree, l->head); j < l->n && found < window;
	    j = pack_tree_next(&l->tree, j + 1)) {
		if (l->taken[j] || !state_fits(st, b, l->order[j]))
			continue;
		found++;
		v = score(st, sc, l->order[j]);
		if (best == PACK_NONE || v > top) {
			top = v;
			best = j;
		}
	}
	return best;
}

/* the next bin to fill: the next pinned one, else a new one */
static size_t
next_bin(struct pack_state *st, size_t cur, const struct live *l)
{
	if (cur + 1 < st->pb->npinned)
		return cur + 1;
	return state_open_for(st, l->order[l->head]);
}

int
pack_bcs(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, pack_score_fn score, struct pack_solution *s)
{
	struct pack_state st;
	struct live l;
	double *res = xreallocarray(NULL, pb->ndims + 1, sizeof(double));
	double *wr = xreallocarray(NULL, pb->ndims + 1, sizeof(double));
	double *w = xreallocarray(NULL, pb->ndims + 1, sizeof(double));
	struct pack_score sc = { res, w, pp->inv_ref, wr };
	size_t cur, pos, window, d;
	double *sufmin = NULL;
	int ret = -1;

	memset(&l, 0, sizeof(l));
	for (d = 0; d < pb->ndims; d++)
		w[d] = pack_weight(pp, self->weight, d);
	if (state_init(&st, pb, pp) == -1)
		goto out;
	l.order = pack_order(pp, PACK_SIZE_L1, self->weight, &l.n);
	l.taken = xcalloc(l.n + 1, sizeof(bool));
	pack_keys_init(&l.keys, pp);
	pack_items_index(&l.tree, &l.keys, pp, l.order, l.n);
	window = (size_t)(BCS_BUDGET / ((double)(l.n + 1) *
	    (double)(pb->ndims + BCS_VISIT_DIMS)));
	if (window < BCS_MIN_WINDOW)
		window = BCS_MIN_WINDOW;
	cur = pb->npinned > 0 ? 0 : l.n > 0 ? state_open_for(&st, l.order[0]) :
	    PACK_NONE;
	sufmin = pack_suffix_floor(pp, l.order, l.n);
	while (l.head < l.n) {
		if (cur == PACK_NONE) {
			pack_error_unplaceable(&st, l.order[l.head]);
			goto out;
		}
		residual(&st, cur, res, wr, w);
		/* the guests left are among the first order's suffix from
		 * the head's position, so its floors bound theirs: a bin under
		 * them is full without a scan */
		pos = closed_early(&st, cur, &l, sufmin) ? PACK_NONE :
		    best_candidate(&st, &l, cur, &sc, score, window);
		if (pos != PACK_NONE) {
			state_add(&st, cur, l.order[pos]);
			live_take(&l, pos);
			continue;
		}
		if (st.bins[cur].n == 0 && cur >= pb->npinned) {
			/* a fresh host takes none of them: no type fits */
			state_drop_last(&st);
			pack_error_unplaceable(&st, l.order[l.head]);
			goto out;
		}
		cur = next_bin(&st, cur, &l);
	}
	state_to_solution(&st, s, self->name);
	ret = 0;
out:
	free(l.order);
	free(l.taken);
	pack_tree_release(&l.tree);
	pack_keys_release(&l.keys);
	free(sufmin);
	free(res);
	free(wr);
	free(w);
	state_release(&st);
	return ret;
}
