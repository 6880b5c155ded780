/*
 * pack_bfd.c - best fit decreasing by load.
 *
 * Guests in decreasing size order (as pack_ffd.c) each go on the host
 * that would be fullest after taking them: the largest weighted sum of
 * squared normalised load over every dimension (Mommessin et al.'s
 * "BFD-L2Load").  Squaring favours hosts already full in the dimensions
 * that matter, which packs hosts tighter than first fit when many hosts
 * stay open.  Ties break by host index.  Only the hosts pack_index.c
 * does not rule out are tested.
 */
#include <stdlib.h>
#include <string.h>

#include "planner/pack_int.h"

static double
load_after(const struct pack_state *st, size_t b, size_t i, int weight)
{
	const struct pack_problem *pb = st->pb;
	const double *load = st->bins[b].load, *v = item_demand(pb, i);
	double s = 0, x;
	size_t d;

	for (d = 0; d < pb->ndims; d++) {
		x = (load[d] + v[d]) * st->pp->inv_ref[d];
		s += pack_weight(st->pp, weight, d) * x * x;
	}
	return s;
}

int
pack_bfd(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	struct pack_state st;
	struct pack_keys keys;
	struct pack_tree tr;
	size_t *order = NULL, n, k, b, best;
	double score, top;
	int ret = -1;

	memset(&tr, 0, sizeof(tr));
	pack_keys_init(&keys, pp);
	if (state_init(&st, pb, pp) == -1)
		goto out;
	pack_bins_index(&tr, &keys, &st);
	order = pack_order(pp, self->size, self->weight, &n);
	for (k = 0; k < n; k++) {
		best = PACK_NONE;
		top = -1;
		pack_bins_query(&tr, &keys, pp, order[k]);
		for (b = pack_tree_next(&tr, 0); b < st.nbins;
		    b = pack_tree_next(&tr, b + 1)) {
			if (!state_fits(&st, b, order[k]))
				continue;
			score = load_after(&st, b, order[k], self->weight);
			if (score > top) {
				top = score;
				best = b;
			}
		}
		if (best == PACK_NONE)
			best = state_open_for(&st, order[k]);
		if (best == PACK_NONE) {
			pack_error_unplaceable(&st, order[k]);
			goto out;
		}
		state_add(&st, best, order[k]);
		pack_bins_update(&tr, &keys, &st, best);
	}
	state_to_solution(&st, s, self->name);
	ret = 0;
out:
	free(order);
	pack_tree_release(&tr);
	pack_keys_release(&keys);
	state_release(&st);
	return ret;
}
