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
score_dot(const struct pack_state *st, const struct pack_score *sc, size_t i)
{
	const double *v = item_demand(st->pb, i), *wr = sc->wr;
	size_t d, n = st->pb->ndims;
	double s = 0;

	/* sum of weight x (v / limit) x residual, folded into wr */
	for (d = 0; d < n; d++)
		s += v[d] * wr[d];
	return s;
}

int
pack_dot(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	return pack_bcs(pb, pp, self, score_dot, s);
}
