/*
 * pack_l2.c - bin-centric norm-based greedy (Panigrahy et al.'s
 * "L2 norm", Mommessin et al.'s BCS-L2Norm).
 *
 * The open host takes the fitting guest that leaves the smallest
 * weighted squared distance between the host's normalised residual and
 * the guest's normalised demand: the guest whose shape best matches the
 * hole.  It does well where guests are complementary (a CPU-heavy and a
 * memory-heavy guest share a host), which dot product can miss.
 */
#include "planner/pack_int.h"

static double
score_l2(const struct pack_state *st, const struct pack_score *sc, size_t i)
{
	const double *v = item_demand(st->pb, i), *res = sc->res;
	const double *inv = sc->inv, *w = sc->w;
	size_t d, n = st->pb->ndims;
	double s = 0, x;

	for (d = 0; d < n; d++) {
		x = res[d] - v[d] * inv[d];
		s += w[d] * x * x;
	}
	return -s;
}

int
pack_l2(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	return pack_bcs(pb, pp, self, score_l2, s);
}
