/*
 * pack_dot.c - bin-centric dot product (Panigrahy et al.'s "DotProduct",
 * Mommessin et al.'s BCS-DP1).
 *
 * The open host takes the fitting guest whose normalised demand has the
 * largest weighted dot product with the host's normalised residual: the
 * guest that uses most of what the host has most of left.  With Avg
 * weights it was the best single heuristic on the hard benchmark of
 * Mommessin et al. (8.5 % above the optimum on average; section 1.3 of
 * ../shared/research/algorithms.md), so the portfolio always has it.
 */
#include "planner/pack_int.h"

static double
score_dot(const struct pack_state *st, const double *res, size_t i,
    int weight)
{
	const struct pack_problem *pb = st->pb;
	const double *v = item_demand(pb, i);
	double s = 0;
	size_t d;

	for (d = 0; d < pb->ndims; d++)
		s += pack_weight(st->pp, weight, d) * v[d] *
		    st->pp->inv_ref[d] * res[d];
	return s;
}

int
pack_dot(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	return pack_bcs(pb, pp, self, score_dot, s);
}
