/*
 * pack_balance.c - spread the load over the hosts a plan already has.
 *
 * Packing fills the first hosts and leaves the last nearly empty: the
 * demo's 69 guests and 1.  Once the host count is settled, this moves
 * guests, one at a time, from a host to another whose peak is lower,
 * when the higher of the two hosts' peaks after the move is below the
 * higher before: each move lowers the sorted list of host peaks
 * (lexicographically, highest first), so the highest peak falls first,
 * then the next, and the spread narrows; no move can raise any host
 * above the peak of the host it relieves.  A host's peak is its largest
 * share of a limit over every planned resource and slot (the static
 * limits aside).  Every move keeps every constraint (state_fits(): the
 * limits in every slot, anti-affinity, zones, domain groups), pinned
 * guests stay, and no host is opened, closed or changed in model.
 *
 * Items the caller marks to stay (guests of existing hosts, when moving
 * them is allowed but only to save hosts) are not moved.  pack_home()
 * sends such guests back to their home bin wherever it has room.
 *
 * Sources are taken highest peak first, a source's guests by their share
 * of the source's tightest dimension, largest first, and targets lowest
 * peak first; the first improving move is made.  The effort is counted in
 * dimensions examined, so the outcome does not depend on the machine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/pack_int.h"

#define BAL_EPS 1e-9

struct bal {
	struct pack_state st;
	const bool *stay;	/* per item: not to be moved; NULL */
	double *peak;		/* per bin */
	size_t *order;		/* bins by peak */
	uint64_t stop;		/* effort at which to give up */
	size_t moves;
};

/* is dimension d part of a resource's slots (not a static limit)? */
static bool
timed(const struct pack_problem *pb, size_t d, size_t *k)
{
	while (*k < pb->nblocks && d >= pb->blocks[*k].off + pb->blocks[*k].len)
		(*k)++;
	return pb->blocks[*k].resource >= 0;
}

/* bin b's peak share with v added (sign +1) or taken away (-1); v NULL:
 * as it is */
static double
peak_with(struct bal *ba, size_t b, const double *v, double sign)
{
	const struct pack_problem *pb = ba->st.pb;
	const double *cap = pb->types[ba->st.bins[b].type].cap;
	const double *load = ba->st.bins[b].load;
	double m = 0, x;
	size_t d, k = 0;

	ba->st.effort += pb->ndims;
	for (d = 0; d < pb->ndims; d++) {
		if (!timed(pb, d, &k) || !(cap[d] > 0) || !isfinite(cap[d]))
			continue;
		x = (load[d] + (v != NULL ? sign * v[d] : 0)) / cap[d];
		if (x > m)
			m = x;
	}
	return m;
}

static const double *peak_key;

static int
by_peak(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (peak_key[x] != peak_key[y])
		return peak_key[x] > peak_key[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* the bins, highest peak first (ties by index) */
static void
sort_bins(struct bal *ba)
{
	size_t b;

	for (b = 0; b < ba->st.nbins; b++)
		ba->order[b] = b;
	peak_key = ba->peak;
	array_sort(ba->order, ba->st.nbins, sizeof(size_t), by_peak);
}

/* move a guest of bin b to the lowest bin it relieves b into; true when
 * one moved */
static bool
relieve(struct bal *ba, size_t b)
{
	struct pack_state *st = &ba->st;
	const struct pack_problem *pb = st->pb;
	size_t j, t, c, i;
	double nb, nc;

	for (j = 0; j < st->bins[b].n; j++) {
		i = st->bins[b].items[j];
		if ((pb->pin != NULL && pb->pin[i] != PACK_NONE) ||
		    (ba->stay != NULL && ba->stay[i]))
			continue;
		nb = peak_with(ba, b, item_demand(pb, i), -1);
		if (!(nb < ba->peak[b] - BAL_EPS))
			continue;	/* b's peak is not where i is */
		for (t = st->nbins; t-- > 0;) {
			c = ba->order[t];
			if (ba->peak[c] >= ba->peak[b] - BAL_EPS)
				break;	/* the rest are as high as b */
			if (st->effort > ba->stop)
				return false;
			if (!state_fits(st, c, i))
				continue;
			nc = peak_with(ba, c, item_demand(pb, i), 1);
			if (!(nc < ba->peak[b] - BAL_EPS))
				continue;
			state_remove(st, b, i);
			state_add(st, c, i);
			ba->peak[b] = nb;
			ba->peak[c] = nc;
			ba->moves++;
			return true;
		}
	}
	return false;
}

/* the guests of each bin, the one with the largest share of the bin's
 * tightest dimension first */
static void
sort_items(struct bal *ba, size_t b)
{
	struct pack_bin *bin = &ba->st.bins[b];
	const struct pack_problem *pb = ba->st.pb;
	size_t j, k, d = 0, best;
	double x, top = -1;
	const double *cap = pb->types[bin->type].cap;

	for (k = 0, j = 0; j < pb->ndims; j++)
		if (timed(pb, j, &k) && cap[j] > 0 && isfinite(cap[j]) &&
		    bin->load[j] / cap[j] > top) {
			top = bin->load[j] / cap[j];
			d = j;
		}
	/* selection sort: a bin holds tens of guests, not thousands */
	for (j = 0; j < bin->n; j++) {
		best = j;
		for (k = j + 1; k < bin->n; k++) {
			x = item_demand(pb, bin->items[k])[d];
			if (x > item_demand(pb, bin->items[best])[d] ||
			    (x == item_demand(pb, bin->items[best])[d] &&
			    bin->items[k] < bin->items[best]))
				best = k;
		}
		k = bin->items[j];
		bin->items[j] = bin->items[best];
		bin->items[best] = k;
	}
}

size_t
pack_balance(const struct pack_problem *pb, struct pack_solution *s,
    const bool *stay, uint64_t effort)
{
	struct pack_prep *pp = pack_prep_new(pb);
	struct bal ba;
	size_t b, k;
	bool moved = true;

	memset(&ba, 0, sizeof(ba));
	state_from_solution(&ba.st, pb, pp, s);
	ba.stay = stay;
	ba.stop = effort;
	ba.peak = xcalloc(ba.st.nbins + 1, sizeof(double));
	ba.order = xcalloc(ba.st.nbins + 1, sizeof(size_t));
	for (b = 0; b < ba.st.nbins; b++)
		ba.peak[b] = peak_with(&ba, b, NULL, 0);
	while (moved && ba.st.effort <= ba.stop) {
		sort_bins(&ba);
		moved = false;
		for (k = 0; k < ba.st.nbins && !moved; k++) {
			b = ba.order[k];
			sort_items(&ba, b);
			moved = relieve(&ba, b);
		}
	}
	if (ba.moves > 0)
		state_to_solution(&ba.st, s, s->packer);
	state_release(&ba.st);
	free(ba.peak);
	free(ba.order);
	pack_prep_free(pp);
	return ba.moves;
}

size_t
pack_home(const struct pack_problem *pb, struct pack_solution *s,
    const size_t *home)
{
	struct pack_prep *pp = pack_prep_new(pb);
	struct pack_state st;
	size_t i, from, moves = 0;

	state_from_solution(&st, pb, pp, s);
	for (i = 0; i < pb->nitems; i++) {
		from = st.bin_of[i];
		if (home[i] == PACK_NONE || home[i] == from ||
		    home[i] >= st.nbins)
			continue;
		state_remove(&st, from, i);
		if (state_fits(&st, home[i], i)) {
			state_add(&st, home[i], i);
			moves++;
		} else {
			state_add(&st, from, i);
		}
	}
	if (moves > 0)
		state_to_solution(&st, s, s->packer);
	state_release(&st);
	pack_prep_free(pp);
	return moves;
}
