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
score_l2(const struct pack_state *st, const double *res, size_t i,
    int weight)
{
	const struct pack_problem *pb = st->pb;
	const double *v = item_demand(pb, i);
	double s = 0, x;
	size_t d;

	for (d = 0; d < pb->ndims; d++) {
		x = res[d] - v[d] * st->pp->inv_ref[d];
		s += pack_weight(st->pp, weight, d) * x * x;
	}
	return -s;
}

int
pack_l2(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *self, struct pack_solution *s)
{
	return pack_bcs(pb, pp, self, score_l2, s);
}
