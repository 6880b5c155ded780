/*
 * pack_ffd.c - first fit decreasing, with a choice of size measure.
 *
 * Guests are sorted by a scalar size of their normalised demand vector
 * (each dimension over the first host type's limit): the sum (L1), the
 * largest part (L-infinity) or the Euclidean norm (L2), with each
 * dimension weighted by 1 (Unit) or by the fleet's total demand in it
 * (Avg: scarce dimensions count more).  Each goes on the first host it
 * fits, in the order hosts were opened.  Panigrahy's "FFD-Sum" is
 * ffd-l1-unit; the weights are those of Mommessin et al. (2025), whose
 * measured gaps are in ../shared/research/algorithms.md section 1.3.
 *
 * Ties in size break by guest index, so the same input gives the same
 * plan.  Pinned guests are already in their hosts (state_init()).  The
 * open hosts are searched through pack_index.c, which skips runs of
 * hosts the guest cannot fit and finds the same first host.
 */
#include <stdlib.h>
#include <string.h>

#include "planner/pack_int.h"

int
pack_ffd(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	struct pack_state st;
	struct pack_keys keys;
	struct pack_tree tr;
	size_t *order = NULL, n, k, b, first = 0, i;
	double *sufmin = NULL;
	int ret = -1;

	memset(&tr, 0, sizeof(tr));
	pack_keys_init(&keys, pp);
	if (state_init(&st, pb, pp) == -1)
		goto out;
	pack_bins_index(&tr, &keys, &st);
	order = pack_order(pp, self->size, self->weight, &n);
	sufmin = pack_suffix_floor(pp, order, n);
	for (k = 0; k < n; k++) {
		i = order[k];
		/* bins full for every item left are skipped for good */
		while (first < st.nbins && state_closed(&st, first,
		    sufmin + k * pb->nblocks))
			first++;
		pack_bins_query(&tr, &keys, pp, i);
		for (b = pack_tree_next(&tr, first); b < st.nbins;
		    b = pack_tree_next(&tr, b + 1))
			if (state_fits(&st, b, i))
				break;
		if (b >= st.nbins && (b = state_open_for(&st, i)) == PACK_NONE) {
			pack_error_unplaceable(&st, i);
			goto out;
		}
		state_add(&st, b, i);
		pack_bins_update(&tr, &keys, &st, b);
	}
	state_to_solution(&st, s, self->name);
	ret = 0;
out:
	free(order);
	pack_tree_release(&tr);
	pack_keys_release(&keys);
	free(sufmin);
	state_release(&st);
	return ret;
}
