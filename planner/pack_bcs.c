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
 * BCS_BUDGET dimension-operations (under a second), and covers every
 * guest on inputs of up to a few thousand guests x a few hundred slots.
 */
#include <stdlib.h>

#include "common/xalloc.h"
#include "planner/pack_int.h"

#define BCS_BUDGET	1e9
#define BCS_MIN_WINDOW	32

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

struct live {
	size_t *rem;		/* guests in size order; PACK_NONE: placed */
	size_t *orig;		/* each entry's position in the first order */
	size_t n, head, dead;
};

static void
live_compact(struct live *l)
{
	size_t i, to = 0;

	for (i = l->head; i < l->n; i++)
		if (l->rem[i] != PACK_NONE) {
			l->orig[to] = l->orig[i];
			l->rem[to++] = l->rem[i];
		}
	l->n = to;
	l->head = 0;
	l->dead = 0;
}

static void
live_take(struct live *l, size_t pos)
{
	l->rem[pos] = PACK_NONE;
	l->dead++;
	while (l->head < l->n && l->rem[l->head] == PACK_NONE) {
		l->head++;
		l->dead--;
	}
	if (l->dead > 64 && l->dead * 2 > l->n - l->head)
		live_compact(l);
}

/* is bin b full for every guest left (pack_suffix_floor())? */
static bool
closed_early(const struct pack_state *st, size_t b, const struct live *l,
    const double *sufmin)
{
	return state_closed(st, b, sufmin + l->orig[l->head] *
	    st->pb->nblocks);
}

/* the best fitting guest for bin b: its position in l, or PACK_NONE */
static size_t
best_candidate(struct pack_state *st, struct live *l, size_t b,
    const struct pack_score *sc, pack_score_fn score, size_t window)
{
	size_t j, found = 0, best = PACK_NONE;
	double v, top = 0;

	for (j = l->head; j < l->n && found < window; j++) {
		if (l->rem[j] == PACK_NONE || !state_fits(st, b, l->rem[j]))
			continue;
		found++;
		v = score(st, sc, l->rem[j]);
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
	return state_open_for(st, l->rem[l->head]);
}

int
pack_bcs(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, pack_score_fn score, struct pack_solution *s)
{
	struct pack_state st;
	struct live l = { NULL, NULL, 0, 0, 0 };
	double *res = xreallocarray(NULL, pb->ndims + 1, sizeof(double));
	double *wr = xreallocarray(NULL, pb->ndims + 1, sizeof(double));
	double *w = xreallocarray(NULL, pb->ndims + 1, sizeof(double));
	struct pack_score sc = { res, w, pp->inv_ref, wr };
	size_t cur, pos, window, d;
	double *sufmin = NULL;
	int ret = -1;

	for (d = 0; d < pb->ndims; d++)
		w[d] = pack_weight(pp, self->weight, d);
	if (state_init(&st, pb, pp) == -1)
		goto out;
	l.rem = pack_order(pp, PACK_SIZE_L1, self->weight, &l.n);
	window = (size_t)(BCS_BUDGET / ((double)(l.n + 1) *
	    (double)(pb->ndims + 1)));
	if (window < BCS_MIN_WINDOW)
		window = BCS_MIN_WINDOW;
	cur = pb->npinned > 0 ? 0 : l.n > 0 ? state_open_for(&st, l.rem[0]) :
	    PACK_NONE;
	sufmin = pack_suffix_floor(pp, l.rem, l.n);
	l.orig = xcalloc(l.n + 1, sizeof(size_t));
	for (d = 0; d < l.n; d++)
		l.orig[d] = d;
	while (l.head < l.n) {
		if (cur == PACK_NONE) {
			pack_error_unplaceable(&st, l.rem[l.head]);
			goto out;
		}
		residual(&st, cur, res, wr, w);
		/* the guests left are among the first order's suffix from
		 * the head's position, so its floors bound theirs: a bin under
		 * them is full without a scan */
		pos = closed_early(&st, cur, &l, sufmin) ? PACK_NONE :
		    best_candidate(&st, &l, cur, &sc, score, window);
		if (pos != PACK_NONE) {
			state_add(&st, cur, l.rem[pos]);
			live_take(&l, pos);
			continue;
		}
		if (st.bins[cur].n == 0 && cur >= pb->npinned) {
			/* a fresh host takes none of them: no type fits */
			state_drop_last(&st);
			pack_error_unplaceable(&st, l.rem[l.head]);
			goto out;
		}
		cur = next_bin(&st, cur, &l);
	}
	state_to_solution(&st, s, self->name);
	ret = 0;
out:
	free(l.rem);
	free(l.orig);
	free(sufmin);
	free(res);
	free(wr);
	free(w);
	state_release(&st);
	return ret;
}
