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
 * plan.  Pinned guests are already in their hosts (state_init()).
 */
#include <stdlib.h>

#include "planner/pack_int.h"

int
pack_ffd(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	struct pack_state st;
	size_t *order = NULL, n, k;
	int ret = -1;

	if (state_init(&st, pb, pp) == -1)
		goto out;
	order = pack_order(pp, self->size, self->weight, &n);
	for (k = 0; k < n; k++)
		if (state_first_fit(&st, order[k]) == -1)
			goto out;
	state_to_solution(&st, s, self->name);
	ret = 0;
out:
	free(order);
	state_release(&st);
	return ret;
}
