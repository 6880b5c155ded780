/*
 * pack_repair.c - empty a host by repairing overflow (tabu search).
 *
 * The swaps of pack_search.c keep every host feasible, which works when
 * hosts hold a few guests each.  When they hold a hundred guests with
 * daily curves, a host is saved only by many small moves that are each
 * infeasible on their own.  This search gives up the feasibility for a
 * while: the target host's guests are spread over the others where they
 * add the least overflow (the sum over dimensions of the load above the
 * limit, each over the limit's size), then guests move one at a time out
 * of the most overflowing host to wherever the total overflow falls most.
 * A guest may not go back to a host it just left for a few moves (tabu),
 * unless that gives the lowest overflow seen (aspiration), so the search
 * can walk across plateaus.  Overflow zero is a feasible plan with one
 * host fewer; running out of effort, or STALL_BASE + STALL_PER_GUEST x
 * (guests moved) moves without a new lowest overflow, restores the plan
 * it started from.
 *
 * Slots with a violation budget are held to their limit here (stricter
 * than needed, so a plan it finds is feasible); anti-affinity is never
 * broken and pinned guests never move.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "planner/pack_int.h"

#define TENURE_MIN 7
#define TENURE_SPAN 10
#define STALL_BASE 1000
#define STALL_PER_GUEST 50

struct repair {
	struct pack_state *st;
	size_t target;
	double *ovf;		/* per bin */
	size_t *tabu_bin;	/* per item: the bin it may not return to */
	uint64_t *tabu_until;	/* per item: until this iteration */
	uint64_t iter;
	uint64_t *rng;
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double
bin_ovf(const struct pack_state *st, size_t b)
{
	const struct pack_problem *pb = st->pb;
	const double *cx = st->pp->capx + st->bins[b].type * pb->ndims;
	const double *load = st->bins[b].load;
	double s = 0;
	size_t d;

	for (d = 0; d < pb->ndims; d++)
		if (load[d] > cx[d])
			s += (load[d] - cx[d]) * st->pp->inv_ref[d];
	return s;
}

/* change in bin b's overflow if item i left it (<= 0) */
static double
delta_out(struct pack_state *st, size_t b, size_t i)
{
	const struct pack_problem *pb = st->pb;
	const double *cx = st->pp->capx + st->bins[b].type * pb->ndims;
	const double *load = st->bins[b].load, *v = item_demand(pb, i);
	double s = 0, x;
	size_t d;

	st->effort += pb->ndims;
	for (d = 0; d < pb->ndims; d++) {
		if (load[d] <= cx[d])
			continue;
		x = load[d] - v[d];
		s -= ((load[d] - cx[d]) - (x > cx[d] ? x - cx[d] : 0)) *
		    st->pp->inv_ref[d];
	}
	return s;
}

/* change in bin c's overflow if item i came (>= 0) */
static double
delta_in(struct pack_state *st, size_t c, size_t i)
{
	const struct pack_problem *pb = st->pb;
	const double *cx = st->pp->capx + st->bins[c].type * pb->ndims;
	const double *load = st->bins[c].load, *v = item_demand(pb, i);
	double s = 0, x;
	size_t d;

	st->effort += pb->ndims;
	for (d = 0; d < pb->ndims; d++) {
		x = load[d] + v[d];
		if (x <= cx[d])
			continue;
		s += (x - (load[d] > cx[d] ? load[d] : cx[d])) *
		    st->pp->inv_ref[d];
	}
	return s;
}

static double
total(const struct repair *rp)
{
	double s = 0;
	size_t b;

	for (b = 0; b < rp->st->nbins; b++)
		s += rp->ovf[b];
	return s;
}

/* spread the target's guests where they add the least overflow; false
 * when one of them has nowhere to go (anti-affinity everywhere) */
static bool
spread(struct repair *rp)
{
	struct pack_state *st = rp->st;
	struct pack_bin *tb = &st->bins[rp->target];
	size_t i, c, best;
	double d, top;

	while (tb->n > 0) {
		i = tb->items[tb->n - 1];
		state_remove(st, rp->target, i);
		best = PACK_NONE;
		top = INFINITY;
		for (c = 0; c < st->nbins; c++) {
			if (c == rp->target || state_conflicts(st, c, i, NULL, 0))
				continue;
			d = delta_in(st, c, i);
			if (d < top) {
				top = d;
				best = c;
			}
		}
		if (best == PACK_NONE) {
			state_add(st, rp->target, i);
			return false;
		}
		state_add(st, best, i);
		rp->tabu_bin[i] = rp->target;
		rp->tabu_until[i] = UINT64_MAX;
	}
	for (c = 0; c < st->nbins; c++)
		rp->ovf[c] = bin_ovf(st, c);
	return true;
}

/* the most overflowing bin, ties broken at random */
static size_t
worst_bin(struct repair *rp)
{
	size_t b, best = PACK_NONE, ties = 0;

	for (b = 0; b < rp->st->nbins; b++) {
		if (rp->ovf[b] <= 0)
			continue;
		if (best == PACK_NONE || rp->ovf[b] > rp->ovf[best] * (1 + 1e-9)) {
			best = b;
			ties = 1;
		} else if (rp->ovf[b] >= rp->ovf[best] * (1 - 1e-9) &&
		    rnd(rp->rng) % ++ties == 0) {
			best = b;
		}
	}
	return best;
}

/* one move out of bin b: the best non-tabu one (or aspirating) */
static bool
step(struct repair *rp, size_t b, double now, double best_seen)
{
	struct pack_state *st = rp->st;
	size_t k, c, i, mi = PACK_NONE, mc = PACK_NONE;
	double out, d, top = INFINITY;
	bool tabu;

	for (k = 0; k < st->bins[b].n; k++) {
		i = st->bins[b].items[k];
		if (st->pb->pin != NULL && st->pb->pin[i] != PACK_NONE)
			continue;
		out = delta_out(st, b, i);
		for (c = 0; c < st->nbins; c++) {
			if (c == b || c == rp->target ||
			    state_conflicts(st, c, i, NULL, 0))
				continue;
			d = out + delta_in(st, c, i);
			tabu = rp->tabu_bin[i] == c && rp->iter < rp->tabu_until[i];
			if (tabu && now + d >= best_seen - 1e-12)
				continue;
			if (d < top - 1e-12 || (d <= top + 1e-12 &&
			    rnd(rp->rng) % 2 == 0)) {
				top = d;
				mi = i;
				mc = c;
			}
		}
	}
	if (mi == PACK_NONE)
		return false;
	state_remove(st, b, mi);
	state_add(st, mc, mi);
	rp->ovf[b] = bin_ovf(st, b);
	rp->ovf[mc] = bin_ovf(st, mc);
	rp->tabu_bin[mi] = b;
	rp->tabu_until[mi] = rp->iter + TENURE_MIN + rnd(rp->rng) % TENURE_SPAN;
	return true;
}

bool
pack_repair_empty(struct pack_state *st, size_t target, uint64_t effort,
    uint64_t *rng)
{
	struct pack_solution save;
	struct repair rp;
	uint64_t stop = st->effort + effort;
	double now, best_seen;
	uint64_t improved = 0, stall;
	size_t b;
	bool ok = false;

	if (st->nbins < 2 || target == PACK_NONE ||
	    st->bins[target].npinned > 0)
		return false;
	pack_solution_init(&save);
	state_to_solution(st, &save, NULL);
	memset(&rp, 0, sizeof(rp));
	rp.st = st;
	rp.target = target;
	rp.rng = rng;
	rp.ovf = xcalloc(st->nbins + 1, sizeof(double));
	rp.tabu_bin = xcalloc(st->pb->nitems + 1, sizeof(size_t));
	rp.tabu_until = xcalloc(st->pb->nitems + 1, sizeof(uint64_t));
	/* give up after this many moves without a new lowest overflow */
	stall = STALL_BASE + STALL_PER_GUEST * st->bins[target].n;
	best_seen = now = spread(&rp) ? total(&rp) : INFINITY;
	while (st->bins[target].n == 0 && now > 0 && st->effort < stop &&
	    rp.iter - improved < stall) {
		b = worst_bin(&rp);
		if (b == PACK_NONE || !step(&rp, b, now, best_seen))
			break;
		rp.iter++;
		now = total(&rp);
		if (now < best_seen * (1 - 1e-9)) {
			best_seen = now;
			improved = rp.iter;
		}
	}
	ok = st->bins[target].n == 0 && now <= 0;
	if (ok)
		state_compact(st);
	else
		state_restore(st, &save);	/* the effort stays spent */
	pack_solution_release(&save);
	free(rp.ovf);
	free(rp.tabu_bin);
	free(rp.tabu_until);
	return ok;
}
