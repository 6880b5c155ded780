/*
 * test_bound.c - lower bounds against hand-worked instances: the
 * continuous bound per (resource, slot), Martello-Toth L2 where it beats
 * the continuous bound, the clique bound from pairwise conflicts and
 * anti-affinity groups.
 */
#include "testlib.h"

#include <math.h>

#include "planner/pack.h"

static void
test_mt_l2_hand_worked(void **state)
{
	const double four_sixes[] = { 6, 6, 6, 6 };
	const double pairs[] = { 6, 6, 6, 6, 4, 4, 4, 4 };
	/* 7 + 4 > 10: the sevens go alone, the fours two by two: 5 bins,
	 * while the sum 33 / 10 gives only 4 */
	const double sevens[] = { 4, 7, 4, 7, 4, 7 };

	(void)state;
	assert_int_equal(bound_mt_l2(four_sixes, 4, 10), 4);
	assert_int_equal(bound_mt_l2(pairs, 8, 10), 4);
	assert_int_equal(bound_mt_l2(sevens, 6, 10), 5);
	assert_int_equal(bound_mt_l2(NULL, 0, 10), 0);
}

/* L2 by its definition (Martello and Toth 1990): the most, over every
 * threshold a in {0} and the sizes up to C / 2, of |J1| + |J2| + the
 * bins J3's volume needs beyond J2's room; O(n^2) */
static size_t
l2_by_definition(const double *w, size_t n, double c)
{
	size_t best = 0, i, j, n1, n2, l;
	double a, s2, s3, fill;

	for (i = 0; i <= n; i++) {
		a = i == n ? 0 : w[i];
		if (a > c / 2)
			continue;
		n1 = n2 = 0;
		s2 = s3 = 0;
		for (j = 0; j < n; j++) {
			if (w[j] > c - a)
				n1++;
			else if (w[j] > c / 2) {
				n2++;
				s2 += w[j];
			} else if (w[j] >= a)
				s3 += w[j];
		}
		fill = s3 - ((double)n2 * c - s2);
		l = n1 + n2 + (fill > 0 ? (size_t)ceil(fill / c - 1e-9) : 0);
		if (l > best)
			best = l;
	}
	return best;
}

/* random integer sizes, some sets all under half a bin (where no sort is
 * needed), some with large items: the bound is the definition's */
static void
test_mt_l2_against_its_definition(void **state)
{
	double w[40];
	uint64_t x = 88172645463325252ULL;
	size_t t, n, j, small = 0;
	double top;

	(void)state;
	for (t = 0; t < 400; t++) {
		n = 1 + t % 40;
		top = t % 2 == 0 ? 50 : 100;
		for (j = 0; j < n; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w[j] = (double)(1 + x % (uint64_t)top);
		}
		small += top == 50;
		assert_int_equal(bound_mt_l2(w, n, 100),
		    l2_by_definition(w, n, 100));
	}
	assert_true(small > 100);
}

/* Items over a third: five of 40 in bins of 100 fit two a bin, so 3
 * bins; volume and L2 (no item over a half) say 2, the dual feasible
 * function u_2 counts each as a half and says 3.  In a slot problem the
 * DFF bound is the plan's, and named. */
static void
test_dff_items_over_a_third(void **state)
{
	const double forty[] = { 40, 40, 40, 40, 40 };
	const double mixed[] = { 60, 60, 30, 30, 30, 30 };
	/* one slot where five items take 40 each, another quiet */
	const double demand[] = { 40, 1, 40, 1, 40, 1, 40, 1, 40, 1 };
	const double cap[] = { 100, 100 };
	struct pack_block blk = { 0, 2, 0, 0 };
	struct pack_bintype t = { .cap = cap, .cost = 1,
	    .available = PACK_NONE };
	struct pack_problem pb = { .nitems = 5, .ndims = 2, .demand = demand,
	    .blocks = &blk, .nblocks = 1, .types = &t, .ntypes = 1 };
	struct pack_bounds b;

	(void)state;
	assert_int_equal(bound_mt_l2(forty, 5, 100), 2);
	assert_int_equal(bound_dff(forty, 5, 100), 3);
	/* two of 60 need a bin each; the four of 30 fill 80 left over by
	 * them and need one more: 3; no DFF says more than the optimum */
	assert_int_equal(bound_dff(mixed, 6, 100), 3);
	assert_int_equal(bound_dff(NULL, 0, 100), 0);
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.continuous, 2);
	assert_int_equal(b.l2_max, 2);
	assert_int_equal(b.dff, 3);
	assert_int_equal(b.lower, 3);
	assert_string_equal(b.method, "dff");
	pack_bounds_release(&b);
}

static void
test_bounds_per_slot_and_clique(void **state)
{
	/* 3 items, 1 resource x 2 slots, limit 100: slot 1 sums to 230 */
	const double demand[] = { 10, 90, 20, 80, 30, 60 };
	const double cap[] = { 100, 100 };
	struct pack_block blk = { 0, 2, 0, 0 };
	struct pack_bintype t = { .cap = cap, .cost = 1,
	    .available = PACK_NONE };
	struct pack_problem pb = { .nitems = 3, .ndims = 2, .demand = demand,
	    .blocks = &blk, .nblocks = 1, .types = &t, .ntypes = 1 };
	struct pack_bounds b;

	(void)state;
	pack_bounds_compute(&pb, &b);
	assert_near(b.ratio[0], 0.6, 1e-12);
	assert_near(b.ratio[1], 2.3, 1e-12);
	assert_int_equal(b.continuous, 3);
	assert_int_equal(b.continuous_dim, 1);
	/* 90 + 80 > 100, 90 + 60 > 100, 80 + 60 > 100: a clique of 3 */
	assert_int_equal(b.clique, 3);
	assert_int_equal(b.lower, 3);
	pack_bounds_release(&b);
}

static void
test_clique_two_dimensions_and_groups(void **state)
{
	/* a (60, 10) and b (10, 60) fit together; c (60, 60) fits neither;
	 * d, e small but in one anti-affinity group with c */
	const double demand[] = { 60, 10, 10, 60, 60, 60, 5, 5, 5, 5 };
	const double cap[] = { 100, 100 };
	struct pack_block blk[2] = { { 0, 1, 0, 0 }, { 1, 1, 0, 1 } };
	struct pack_bintype t = { .cap = cap, .cost = 1,
	    .available = PACK_NONE };
	size_t off[6] = { 0, 0, 0, 1, 2, 3 };
	uint32_t groups[3] = { 1, 1, 1 };
	struct pack_problem pb = { .nitems = 5, .ndims = 2, .demand = demand,
	    .blocks = blk, .nblocks = 2, .types = &t, .ntypes = 1 };
	struct pack_bounds b;

	(void)state;
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.clique, 2);
	assert_int_equal(b.continuous, 2);
	pack_bounds_release(&b);
	pb.group_off = off;
	pb.groups = groups;
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.clique, 3);
	assert_int_equal(b.lower, 3);
	pack_bounds_release(&b);
}

/* the lower bound takes L2 where L2 beats the continuous bound and the
 * clique: the sevens of test_mt_l2_hand_worked as items, continuous 4,
 * a clique of at most 4 (three sevens and a four; the greedy search may
 * find fewer), L2 5 */
static void
test_lower_takes_the_largest_bound(void **state)
{
	const double demand[] = { 4, 7, 4, 7, 4, 7 };
	const double cap[] = { 10 };
	struct pack_block blk = { 0, 1, 0, 0 };
	struct pack_bintype t = { .cap = cap, .cost = 1,
	    .available = PACK_NONE };
	struct pack_problem pb = { .nitems = 6, .ndims = 1, .demand = demand,
	    .blocks = &blk, .nblocks = 1, .types = &t, .ntypes = 1 };
	struct pack_bounds b;

	(void)state;
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.continuous, 4);
	assert_true(b.clique <= 4);
	assert_int_equal(b.l2_max, 5);
	assert_int_equal(b.lower, 5);
	/* DFF finds 5 too; the bound is told as L2's, found first */
	assert_true(b.dff <= 5);
	assert_string_equal(b.method, "l2");
	pack_bounds_release(&b);
}

static void
test_budget_blocks_use_the_hard_cap(void **state)
{
	const double demand[] = { 90, 90 };
	const double cap[] = { 80 }, hard[] = { 100 };
	struct pack_block blk = { 0, 1, 1, 0 };
	struct pack_bintype t = { .cap = cap, .hard = hard, .cost = 1,
	    .available = PACK_NONE };
	struct pack_problem pb = { .nitems = 2, .ndims = 1, .demand = demand,
	    .blocks = &blk, .nblocks = 1, .types = &t, .ntypes = 1 };
	struct pack_bounds b;

	(void)state;
	pack_bounds_compute(&pb, &b);
	assert_near(b.ratio[0], 1.8, 1e-12);
	assert_int_equal(b.continuous, 2);
	pack_bounds_release(&b);
}

/* four items of 30 % fit one host, but in two zones they need two; in
 * four zones, four (the clique sees it too); a zone's own type counts */
static void
test_zones_add_up(void **state)
{
	const double demand[] = { 30, 30, 30, 30 };
	const double cap[] = { 100 }, small[] = { 40 };
	struct pack_block blk = { 0, 1, 0, 0 };
	struct pack_bintype t[2] = { { .cap = cap, .cost = 1,
	    .available = PACK_NONE }, { .cap = small, .cost = 1,
	    .available = PACK_NONE } };
	uint32_t zone[4] = { 0, 0, 1, 1 };
	size_t ztype[2] = { PACK_NONE, PACK_NONE };
	struct pack_problem pb = { .nitems = 4, .ndims = 1, .demand = demand,
	    .blocks = &blk, .nblocks = 1, .types = t, .ntypes = 2,
	    .zone = zone, .nzones = 2, .zone_type = ztype };
	struct pack_bounds b;

	(void)state;
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.continuous, 2);
	assert_int_equal(b.zones, 2);
	assert_int_equal(b.lower, 2);
	pack_bounds_release(&b);
	ztype[1] = 1;		/* zone 1's hosts hold one item each */
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.zones, 3);
	assert_int_equal(b.lower, 3);
	/* the roomiest type zone 1 may have is its own */
	assert_int_equal(pack_bounds_zone(&pb, 1), 2);
	/* zone 0 may have both: the roomiest is 100 */
	assert_int_equal(pack_bounds_zone(&pb, 0), 1);
	pack_bounds_release(&b);
	zone[1] = 2;
	zone[3] = 3;
	pb.nzones = 4;
	pb.zone_type = NULL;
	pack_bounds_compute(&pb, &b);
	assert_int_equal(b.clique, 4);
	assert_int_equal(b.zones, 4);
	assert_int_equal(b.lower, 4);
	pack_bounds_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mt_l2_hand_worked),
		cmocka_unit_test(test_mt_l2_against_its_definition),
		cmocka_unit_test(test_dff_items_over_a_third),
		cmocka_unit_test(test_bounds_per_slot_and_clique),
		cmocka_unit_test(test_clique_two_dimensions_and_groups),
		cmocka_unit_test(test_lower_takes_the_largest_bound),
		cmocka_unit_test(test_budget_blocks_use_the_hard_cap),
		cmocka_unit_test(test_zones_add_up),
	};

	return cmocka_run_group_tests_name("bound", tests, NULL, NULL);
}
