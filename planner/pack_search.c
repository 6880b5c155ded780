/*
 * pack_search.c - local search: empty the least loaded hosts.
 *
 * A host is chosen (the least loaded first, by normalised L1 load) and
 * its guests are taken out.  Then, pass after pass, the free guests are
 * put back into the other hosts, directly where one fits, or by swapping
 * with guests already there so that the host gets fuller and the guests
 * left free get smaller: one free guest for one smaller guest, two free
 * guests for one, and one free guest for two (the moves of Levine and
 * Ducatelle's bin packing local search, here on vectors and with every
 * time slot checked).  The total size of the free guests falls with every
 * swap, so the passes end.  When no guest is left free a host has been
 * saved; when a pass changes nothing the moves are undone and the next
 * host is tried.  The search ends when every host has been tried since
 * the last success, when it reaches the lower bound, or when its budget
 * runs out.
 *
 * When every host has been tried, the search shakes the plan (iterated
 * local search): the guests of the least loaded host and of two hosts
 * drawn at random are taken out and put back first-fit in a random
 * order, from a random host on, and the emptying starts again from that
 * neighbouring plan.  The best plan seen is kept.  After SHAKES_IDLE
 * shakes without a better plan the search has converged.  The random
 * numbers come from a fixed seed.
 *
 * Its budget is counted in dimensions examined by fit tests, not in
 * seconds, so the same input gives the same plan on any machine; the
 * time limit is only a safety cap, and the plan says when it was hit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/pack_int.h"

const char *const pack_search_end_names[] = {
	"off", "converged", "effort", "time",
};

#define MAX_PASSES	50
#define SHAKES_IDLE	100	/* shakes without a better plan: converged */
#define SHAKE_BINS	3
#define PAIR_MAX	24	/* guests per host for 2-1 and 1-2 swaps */
#define ATTEMPTS	50	/* an attempt may spend 1/ATTEMPTS of the budget */

struct move {
	size_t item, from, to;	/* PACK_NONE: the free list */
};

struct search {
	struct pack_state st;
	double *size;		/* per item: normalised L1, Avg weights */
	size_t *free;		/* guests taken out */
	size_t nfree, capfree;
	struct move *log;	/* to undo a failed attempt */
	size_t nlog, caplog;
	size_t target;
	uint64_t rng;		/* xorshift64 state */
	uint64_t attempt_stop;	/* effort at which an attempt gives up */
	uint64_t next_report;	/* effort at which progress is told next */
	double t0;
	const struct pack_options *o;
	enum pack_search_end end;
};

static bool
out_of_budget(struct search *se)
{
	uint64_t budget = pack_effort(se->o->effort);
	double frac;

	/* progress: the share of the budget or of the time spent */
	if (se->o->progress.fn != NULL && se->st.effort >= se->next_report) {
		frac = (double)se->st.effort / (double)budget;
		if (se->o->time_limit_s > 0 && (mono_now_s() - se->t0) /
		    se->o->time_limit_s > frac)
			frac = (mono_now_s() - se->t0) / se->o->time_limit_s;
		se->o->progress.fn(se->o->progress.ctx, 0.5 + 0.5 *
		    (frac < 1 ? frac : 1));
		se->next_report = se->st.effort + budget / 100;
	}

	if (se->st.effort >= budget) {
		se->end = SEARCH_EFFORT;
		return true;
	}
	if (se->o->time_limit_s > 0 && mono_now_s() - se->t0 > se->o->time_limit_s) {
		se->end = SEARCH_TIME;
		return true;
	}
	return false;
}

/* move item from bin `from` (or the free list) to `to` (or free) */
static void
move(struct search *se, size_t item, size_t from, size_t to)
{
	size_t k;

	if (from != PACK_NONE) {
		state_remove(&se->st, from, item);
	} else {
		for (k = 0; k < se->nfree && se->free[k] != item; k++)
			;
		se->free[k] = se->free[--se->nfree];
	}
	if (to != PACK_NONE) {
		state_add(&se->st, to, item);
	} else {
		ALLOC_GROW(se->free, se->nfree + 1, se->capfree);
		se->free[se->nfree++] = item;
	}
	ALLOC_GROW(se->log, se->nlog + 1, se->caplog);
	se->log[se->nlog++] = (struct move){ item, from, to };
}

static void
undo(struct search *se)
{
	struct move m;

	while (se->nlog > 0) {
		m = se->log[--se->nlog];
		move(se, m.item, m.to, m.from);
		se->nlog--;	/* move() logged the undo itself */
	}
}

static bool
pinned(const struct search *se, size_t i)
{
	return se->st.pb->pin != NULL && se->st.pb->pin[i] != PACK_NONE;
}

/* put free guests straight into hosts where they fit */
static bool
insert_direct(struct search *se)
{
	bool progress = false;
	size_t k, b, i;

	for (k = 0; k < se->nfree; k++) {
		i = se->free[k];
		for (b = 0; b < se->st.nbins; b++) {
			if (b == se->target || !state_fits(&se->st, b, i))
				continue;
			move(se, i, PACK_NONE, b);
			progress = true;
			k--;	/* free[k] now holds another guest */
			break;
		}
	}
	return progress;
}

static bool
swap_ok(struct search *se, size_t b, const size_t *out, size_t nout,
    const size_t *in, size_t nin)
{
	size_t j;

	for (j = 0; j < nin; j++)
		if (state_conflicts(&se->st, b, in[j], out, nout))
			return false;
	return state_fits_swap(&se->st, b, out, nout, in, nin);
}

/* one free guest replaces one smaller guest of bin b */
static bool
swap_11(struct search *se, size_t b)
{
	struct pack_bin *bin = &se->st.bins[b];
	size_t x, k, out, in;

	for (x = 0; x < bin->n; x++) {
		out = bin->items[x];
		if (pinned(se, out))
			continue;
		for (k = 0; k < se->nfree; k++) {
			in = se->free[k];
			if (se->size[in] <= se->size[out] * (1 + 1e-9) ||
			    !swap_ok(se, b, &out, 1, &in, 1))
				continue;
			move(se, out, b, PACK_NONE);
			move(se, in, PACK_NONE, b);
			return true;
		}
	}
	return false;
}

/* two free guests replace one guest of bin b */
static bool
swap_21(struct search *se, size_t b)
{
	struct pack_bin *bin = &se->st.bins[b];
	size_t x, k1, k2, out, in[2];

	for (x = 0; x < bin->n; x++) {
		out = bin->items[x];
		if (pinned(se, out))
			continue;
		for (k1 = 0; k1 < se->nfree; k1++)
			for (k2 = k1 + 1; k2 < se->nfree; k2++) {
				in[0] = se->free[k1];
				in[1] = se->free[k2];
				if (se->size[in[0]] + se->size[in[1]] <=
				    se->size[out] * (1 + 1e-9) ||
				    !swap_ok(se, b, &out, 1, in, 2))
					continue;
				move(se, out, b, PACK_NONE);
				move(se, in[0], PACK_NONE, b);
				move(se, in[1], PACK_NONE, b);
				return true;
			}
	}
	return false;
}

/* one free guest replaces two guests of bin b */
static bool
swap_12(struct search *se, size_t b)
{
	struct pack_bin *bin = &se->st.bins[b];
	size_t x1, x2, k, out[2], in;

	for (x1 = 0; x1 < bin->n; x1++)
		for (x2 = x1 + 1; x2 < bin->n; x2++) {
			out[0] = bin->items[x1];
			out[1] = bin->items[x2];
			if (pinned(se, out[0]) || pinned(se, out[1]))
				continue;
			for (k = 0; k < se->nfree; k++) {
				in = se->free[k];
				if (se->size[in] <= (se->size[out[0]] +
				    se->size[out[1]]) * (1 + 1e-9) ||
				    !swap_ok(se, b, out, 2, &in, 1))
					continue;
				move(se, out[0], b, PACK_NONE);
				move(se, out[1], b, PACK_NONE);
				move(se, in, PACK_NONE, b);
				return true;
			}
		}
	return false;
}

/* pair moves cost items^2 x free: only on hosts of a few guests (with
 * many small guests per host, the repair search does better) */
static bool
pairs_ok(const struct search *se, size_t b)
{
	return se->st.bins[b].n <= PAIR_MAX && se->nfree <= PAIR_MAX;
}

static bool
swap_pass(struct search *se)
{
	bool progress = false;
	size_t b;

	for (b = 0; b < se->st.nbins && se->nfree > 0; b++) {
		if (b == se->target)
			continue;
		while (se->nfree > 0 && (swap_11(se, b) || (pairs_ok(se, b) &&
		    (swap_21(se, b) || swap_12(se, b))))) {
			progress = true;
			insert_direct(se);
		}
		if (out_of_budget(se) || se->st.effort > se->attempt_stop)
			break;
	}
	return progress;
}

/* try to empty bin t; true when it is empty (and dropped) */
static bool
try_empty(struct search *se, size_t t)
{
	struct pack_bin *bin = &se->st.bins[t];
	int pass;

	se->target = t;
	se->nlog = 0;
	se->attempt_stop = se->st.effort + pack_effort(se->o->effort) /
	    ATTEMPTS;
	while (bin->n > 0)
		move(se, bin->items[bin->n - 1], t, PACK_NONE);
	insert_direct(se);
	/* swaps pay on hosts of few guests; with many, the repair search
	 * (pack_repair.c) gets the effort instead */
	if (se->st.pb->nitems > PAIR_MAX * se->st.nbins)
		pass = MAX_PASSES;
	else
		pass = 0;
	for (; pass < MAX_PASSES && se->nfree > 0; pass++)
		if (!swap_pass(se) || se->end != SEARCH_CONVERGED ||
		    se->st.effort > se->attempt_stop)
			break;
	if (se->nfree == 0) {
		state_compact(&se->st);
		return true;
	}
	undo(se);
	return false;
}

struct ranked {
	double load;
	size_t b;
};

static int
ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->load != y->load)
		return x->load < y->load ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* the k-th least loaded bin without pinned guests, or PACK_NONE */
static size_t
kth_lightest(struct search *se, size_t k)
{
	struct ranked *r = xreallocarray(NULL, se->st.nbins + 1, sizeof(*r));
	size_t b, n = 0, ret = PACK_NONE;

	for (b = 0; b < se->st.nbins; b++)
		if (se->st.bins[b].npinned == 0)
			r[n++] = (struct ranked){ state_load_l1(&se->st, b), b };
	array_sort(r, n, sizeof(*r), ranked_cmp);
	if (k < n)
		ret = r[k].b;
	free(r);
	return ret;
}

static void
sizes(struct search *se)
{
	const struct pack_problem *pb = se->st.pb;
	const struct pack_prep *pp = se->st.pp;
	size_t i, d;

	se->size = xcalloc(pb->nitems + 1, sizeof(double));
	for (i = 0; i < pb->nitems; i++)
		for (d = 0; d < pb->ndims; d++)
			se->size[i] += item_demand(pb, i)[d] * pp->inv_ref[d] *
			    pp->w_avg[d];
}

static uint64_t
rnd(struct search *se)
{
	se->rng ^= se->rng << 13;
	se->rng ^= se->rng >> 7;
	se->rng ^= se->rng << 17;
	return se->rng;
}

/* take out the guests of the lightest host and SHAKE_BINS - 1 others
 * drawn at random, and put them back first-fit in a random order; false
 * when one finds no host (a domain group may leave none: the caller
 * goes back to the best plan) */
static bool
shake(struct search *se)
{
	struct pack_state *st = &se->st;
	size_t k, b, j, i, tmp, start;

	se->nfree = 0;
	for (k = 0; k < SHAKE_BINS; k++) {
		b = k == 0 ? kth_lightest(se, 0) : rnd(se) % st->nbins;
		if (b == PACK_NONE || st->bins[b].npinned > 0)
			continue;
		while (st->bins[b].n > 0) {
			i = st->bins[b].items[st->bins[b].n - 1];
			state_remove(st, b, i);
			ALLOC_GROW(se->free, se->nfree + 1, se->capfree);
			se->free[se->nfree++] = i;
		}
	}
	for (k = se->nfree; k > 1; k--) {
		j = rnd(se) % k;
		tmp = se->free[k - 1];
		se->free[k - 1] = se->free[j];
		se->free[j] = tmp;
	}
	start = rnd(se) % st->nbins;
	for (k = 0; k < se->nfree; k++) {
		i = se->free[k];
		for (j = 0; j < st->nbins; j++) {
			b = (start + j) % st->nbins;
			if (state_fits(st, b, i)) {
				state_add(st, b, i);
				break;
			}
		}
		if (j == st->nbins) {
			b = state_open_for(st, i);
			if (b == PACK_NONE)
				return false;
			state_add(st, b, i);
		}
	}
	se->nfree = 0;
	state_compact(st);
	return true;
}

/* a tenth of the budget for one repair attempt */
static uint64_t
repair_effort(const struct search *se)
{
	return pack_effort(se->o->effort) / 10;
}

/* is the current state better than best: fewer hosts, then cheaper */
static bool
state_better(const struct pack_state *st, const struct pack_solution *best)
{
	double cost = 0;
	size_t b;

	if (st->nbins != best->nbins)
		return st->nbins < best->nbins;
	for (b = 0; b < st->nbins; b++)
		cost += st->pb->types[st->bins[b].type].cost;
	return cost < best->cost - 1e-9 * best->cost;
}

enum pack_search_end
pack_search(const struct pack_problem *pb, const struct pack_prep *pp,
    struct pack_solution *s, const struct pack_options *o)
{
	struct search se;
	struct pack_solution best;
	size_t tried = 0, idle = 0, t;
	const char *name = s->packer;

	memset(&se, 0, sizeof(se));
	se.o = o;
	se.t0 = mono_now_s();
	se.end = SEARCH_CONVERGED;
	se.rng = 0x9e3779b97f4a7c15ULL;
	state_from_solution(&se.st, pb, pp, s);
	pack_solution_init(&best);
	pack_solution_copy(&best, s);
	sizes(&se);
	while (best.nbins > o->lower && !out_of_budget(&se)) {
		t = kth_lightest(&se, tried);
		if (t != PACK_NONE && try_empty(&se, t)) {
			tried = 0;
			continue;
		}
		if (t != PACK_NONE) {
			tried++;
			continue;
		}
		/* every host holds pinned guests: none can be emptied */
		if ((t = kth_lightest(&se, 0)) == PACK_NONE)
			break;
		/* every host tried: repair overflow on the lightest */
		if (se.st.nbins > o->lower && pack_repair_empty(&se.st, t,
		    repair_effort(&se), &se.rng)) {
			tried = 0;
			continue;
		}
		/* then keep the best, and shake */
		if (state_better(&se.st, &best)) {
			state_to_solution(&se.st, &best, name);
			idle = 0;
		} else if (++idle >= SHAKES_IDLE) {
			break;
		}
		if (se.st.nbins > best.nbins + 1)
			state_restore(&se.st, &best);
		if (!shake(&se)) {
			se.nfree = 0;
			state_restore(&se.st, &best);
		}
		tried = 0;
	}
	if (state_better(&se.st, &best))
		state_to_solution(&se.st, &best, name);
	pack_solution_release(s);
	*s = best;
	state_release(&se.st);
	free(se.size);
	free(se.free);
	free(se.log);
	return se.end;
}
