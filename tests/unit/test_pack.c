/*
 * test_pack.c - the packing engine: every packer's result passes the
 * independent re-sum (pack_verify), the time-slot model packs what peak
 * sizing cannot, budgets, groups, pins and availability hold, and on
 * small random instances the heuristics are checked against the optimum
 * found by brute force and by GLPK (pack_exact).
 */
#include "testlib.h"

#include <math.h>
#include <stdbool.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "planner/pack.h"

/* a problem of n items of T slots x R resources, one host type */
struct fixture {
	struct pack_problem pb;
	struct pack_block blocks[8];
	struct pack_bintype type[2];
	double cap[2][64];
	double hard[64];
	double demand[64 * 64];
};

static void
fixture_init(struct fixture *f, size_t n, size_t nres, size_t nslots,
    double cap)
{
	size_t r, d;

	memset(f, 0, sizeof(*f));
	for (r = 0; r < nres; r++)
		f->blocks[r] = (struct pack_block){ r * nslots, nslots, 0,
		    (int)r };
	for (d = 0; d < nres * nslots; d++) {
		f->cap[0][d] = cap;
		f->cap[1][d] = cap;
	}
	f->type[0] = (struct pack_bintype){ .cap = f->cap[0], .cost = 1,
	    .available = PACK_NONE };
	f->type[1] = (struct pack_bintype){ .cap = f->cap[1], .cost = 1,
	    .available = PACK_NONE };
	f->pb = (struct pack_problem){ .nitems = n, .ndims = nres * nslots,
	    .demand = f->demand, .blocks = f->blocks, .nblocks = nres,
	    .types = f->type, .ntypes = 1 };
}

static size_t
run(const struct pack_problem *pb, const char *only, bool search,
    struct pack_solution *s)
{
	struct pack_options o;

	pack_options_init(&o);
	o.only = only;
	o.search = search;
	o.threads = 2;
	if (pack_run(pb, &o, s, NULL) == -1)
		fail_msg("pack_run: %s", error_last_msg());
	if (pack_verify(pb, s) == -1)
		fail_msg("pack_verify: %s", error_last_msg());
	return s->nbins;
}

/* two anti-correlated guests: peaks sum to 160 % of the host, but in no
 * slot do they exceed it */
static void
test_time_slots_pack_what_peaks_cannot(void **state)
{
	struct fixture f;
	struct pack_solution s;
	const double a[4] = { 80, 10, 80, 10 }, b[4] = { 10, 80, 10, 80 };

	(void)state;
	fixture_init(&f, 2, 1, 4, 100);
	memcpy(f.demand, a, sizeof(a));
	memcpy(f.demand + 4, b, sizeof(b));
	assert_int_equal(run(&f.pb, NULL, true, &s), 1);
	pack_solution_release(&s);
	/* the same guests sized by their peaks (one slot) need two hosts */
	fixture_init(&f, 2, 1, 1, 100);
	f.demand[0] = 80;
	f.demand[1] = 80;
	assert_int_equal(run(&f.pb, NULL, true, &s), 2);
	pack_solution_release(&s);
}

static void
test_every_packer_is_verified(void **state)
{
	struct fixture f;
	struct pack_solution s;
	size_t k, i;
	uint64_t x = 12345;

	(void)state;
	fixture_init(&f, 40, 2, 6, 100);
	for (i = 0; i < 40 * 12; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		f.demand[i] = (double)((x >> 33) % 40);
	}
	for (k = 0; k < npackers; k++) {
		run(&f.pb, packers[k].name, false, &s);
		assert_string_equal(s.packer, packers[k].name);
		pack_solution_release(&s);
	}
}

static void
test_verify_catches_an_overloaded_host(void **state)
{
	struct fixture f;
	struct pack_solution s;
	size_t bin_of[2] = { 0, 0 }, type[1] = { 0 };

	(void)state;
	fixture_init(&f, 2, 1, 2, 100);
	f.demand[0] = 60;
	f.demand[2] = 60;
	s = (struct pack_solution){ .nitems = 2, .nbins = 1, .bin_of = bin_of,
	    .bin_type = type, .cost = 1, .packer = "hand" };
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "bin 0 is over its limit "
	    "in dimension 0"));
}

/* an N+k spare is no bin, but it takes one of its type's hosts */
static void
test_verify_counts_the_spare_against_available(void **state)
{
	struct fixture f;
	struct pack_solution s;
	size_t bin_of[2] = { 0, 1 }, type[2] = { 0, 1 }, spare[2] = { 0, 1 };

	(void)state;
	fixture_init(&f, 2, 1, 1, 100);
	f.demand[0] = f.demand[1] = 60;
	f.type[1].available = 1;
	f.pb.ntypes = 2;
	s = (struct pack_solution){ .nitems = 2, .nbins = 2, .bin_of = bin_of,
	    .bin_type = type, .cost = 2, .packer = "hand" };
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	s.nspare = 1;
	s.spare_type = spare;
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	s.spare_type = spare + 1;
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "spare 1: type 1 over its "
	    "available count"));
	f.type[1].available = 2;
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	s.nspare = 2;
	s.spare_type = spare;
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	spare[0] = 1;
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "spare 2: type 1 over its "
	    "available count"));
	/* two bins of a type with one host available, no spare */
	type[0] = 1;
	s.nspare = 0;
	f.type[1].available = 1;
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "bin 1: type 1 over its "
	    "available count"));
}

/* pack_verify's own checks: a guest off its pinned host is refused */
static void
test_verify_catches_a_broken_pin(void **state)
{
	struct fixture f;
	struct pack_solution s;
	size_t bin_of[2] = { 1, 0 }, type[2] = { 0, 0 };
	size_t pin[2] = { 0, PACK_NONE }, ptype[1] = { 0 };

	(void)state;
	fixture_init(&f, 2, 1, 1, 100);
	f.demand[0] = f.demand[1] = 10;
	f.pb.pin = pin;
	f.pb.pinned_type = ptype;
	f.pb.npinned = 1;
	s = (struct pack_solution){ .nitems = 2, .nbins = 2, .bin_of = bin_of,
	    .bin_type = type, .cost = 2, .packer = "hand" };
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "item 0 left its pinned "
	    "bin"));
	bin_of[0] = 0;
	bin_of[1] = 1;
	assert_int_equal(pack_verify(&f.pb, &s), 0);
}

/* the search's shake step empties random hosts: never a pinned one.  On
 * 12 random instances with a third of the guests pinned to 4 hosts and
 * no lower bound (so the search shakes until it converges), every
 * pinned guest ends on its host. */
static void
test_shakes_keep_the_pins(void **state)
{
	struct fixture f;
	struct pack_solution s;
	struct pack_options o;
	size_t pin[24], ptype[4] = { 0 }, i, round;
	uint64_t x = 777;

	(void)state;
	for (round = 0; round < 12; round++) {
		fixture_init(&f, 24, 2, 4, 100);
		for (i = 0; i < 24 * 8; i++) {
			x = x * 6364136223846793005ULL +
			    1442695040888963407ULL;
			f.demand[i] = (double)(5 + (x >> 33) % 40);
		}
		for (i = 0; i < 24; i++)
			pin[i] = i < 8 ? i % 4 : PACK_NONE;
		f.pb.pin = pin;
		f.pb.pinned_type = ptype;
		f.pb.npinned = 4;
		pack_options_init(&o);
		o.search = true;
		o.threads = 1;
		o.lower = 0;
		if (pack_run(&f.pb, &o, &s, NULL) == -1)
			fail_msg("pack_run: %s", error_last_msg());
		for (i = 0; i < 8; i++)
			assert_int_equal(s.bin_of[i], i % 4);
		assert_int_equal(pack_verify(&f.pb, &s), 0);
		pack_solution_release(&s);
	}
}

static void
test_violation_budget_allows_slots_under_hard_cap(void **state)
{
	struct fixture f;
	struct pack_solution s;
	size_t d;

	(void)state;
	fixture_init(&f, 2, 1, 4, 80);
	for (d = 0; d < 4; d++)
		f.hard[d] = 100;
	f.type[0].hard = f.hard;
	/* together: 90 in slot 0 (over 80, under 100), 40 elsewhere */
	f.demand[0] = 45;
	f.demand[1] = f.demand[2] = f.demand[3] = 20;
	memcpy(f.demand + 4, f.demand, 4 * sizeof(double));
	assert_int_equal(run(&f.pb, NULL, true, &s), 2);
	pack_solution_release(&s);
	f.blocks[0].allowed = 1;
	assert_int_equal(run(&f.pb, NULL, true, &s), 1);
	pack_solution_release(&s);
	/* but never over the hard cap: 110 > 100 */
	f.demand[0] = f.demand[4] = 55;
	assert_int_equal(run(&f.pb, NULL, true, &s), 2);
	pack_solution_release(&s);
}

static void
test_anti_affinity_and_pins(void **state)
{
	struct fixture f;
	struct pack_solution s;
	size_t off[4] = { 0, 1, 2, 2 }, pin[3] = { PACK_NONE, PACK_NONE, 0 };
	size_t ptype[1] = { 0 };
	uint32_t groups[2] = { 7, 7 };

	(void)state;
	fixture_init(&f, 3, 1, 1, 100);
	f.demand[0] = f.demand[1] = f.demand[2] = 10;
	f.pb.group_off = off;
	f.pb.groups = groups;
	assert_int_equal(run(&f.pb, NULL, true, &s), 2);
	assert_int_not_equal(s.bin_of[0], s.bin_of[1]);
	pack_solution_release(&s);
	f.pb.pin = pin;
	f.pb.pinned_type = ptype;
	f.pb.npinned = 1;
	assert_int_equal(run(&f.pb, NULL, true, &s), 2);
	assert_int_equal(s.bin_of[2], 0);
	pack_solution_release(&s);
}

static void
test_availability_uses_the_next_model_then_fails(void **state)
{
	struct fixture f;
	struct pack_solution s;
	struct pack_options o;
	size_t i;

	(void)state;
	fixture_init(&f, 4, 1, 1, 100);
	for (i = 0; i < 4; i++)
		f.demand[i] = 60;
	f.type[0].available = 2;
	f.type[1].cost = 3;
	f.pb.ntypes = 2;
	assert_int_equal(run(&f.pb, NULL, true, &s), 4);
	assert_near(s.cost, 2 * 1 + 2 * 3, 1e-12);
	pack_solution_release(&s);
	f.type[1].available = 1;
	pack_options_init(&o);
	assert_int_equal(pack_run(&f.pb, &o, &s, NULL), -1);
	assert_non_null(strstr(error_last_msg(), "available"));
	pack_solution_release(&s);
	/* a guest no model can hold */
	f.type[1].available = PACK_NONE;
	f.demand[0] = 101;
	assert_int_equal(pack_run(&f.pb, &o, &s, NULL), -1);
	assert_non_null(strstr(error_last_msg(), "item 0 fits no host type"));
	pack_solution_release(&s);
}

/* ------------------------------------------- against the optimum */

static size_t best_bins;

/* brute force: item i into each open bin or a new one */
static void
brute(const struct pack_problem *pb, double *load, size_t i, size_t nb)
{
	size_t b, d;
	bool ok;

	if (nb >= best_bins)
		return;
	if (i == pb->nitems) {
		best_bins = nb;
		return;
	}
	for (b = 0; b <= nb; b++) {
		ok = true;
		for (d = 0; d < pb->ndims && ok; d++)
			ok = load[b * pb->ndims + d] + pb->demand[i * pb->ndims +
			    d] <= pb->types[0].cap[d];
		if (!ok)
			continue;
		for (d = 0; d < pb->ndims; d++)
			load[b * pb->ndims + d] += pb->demand[i * pb->ndims + d];
		brute(pb, load, i + 1, b == nb ? nb + 1 : nb);
		for (d = 0; d < pb->ndims; d++)
			load[b * pb->ndims + d] -= pb->demand[i * pb->ndims + d];
	}
}

static void
test_small_instances_against_the_optimum(void **state)
{
	struct fixture f;
	struct pack_solution ffd, all, ex;
	struct pack_bounds bd;
	double load[8 * 6];
	uint64_t x = 99;
	size_t trial, i, n, opt, ffd_worse = 0;
	double lp;
	bool optimal;

	(void)state;
	for (trial = 0; trial < 60; trial++) {
		n = 3 + trial % 6;	/* 3 to 8 guests */
		fixture_init(&f, n, 2, 3, 100);
		for (i = 0; i < n * 6; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			f.demand[i] = (double)(5 + (x >> 33) % 55);
		}
		memset(load, 0, sizeof(load));
		best_bins = n + 1;
		brute(&f.pb, load, 0, 0);
		opt = best_bins;
		pack_bounds_compute(&f.pb, &bd);
		assert_true(bd.lower <= opt);
		run(&f.pb, "ffd-l1-unit", false, &ffd);
		run(&f.pb, NULL, true, &all);
		assert_true(opt <= ffd.nbins);
		assert_true(all.nbins <= ffd.nbins);
		/* FFD's absolute worst case in d dimensions is far off; on
		 * these it stays within one host of the optimum */
		assert_true(ffd.nbins <= opt + 1);
		ffd_worse += ffd.nbins > opt;
		assert_int_equal(all.nbins, opt);
		/* GLPK agrees with the brute force */
		pack_solution_init(&ex);
		pack_solution_copy(&ex, &ffd);
		assert_true(pack_exact_solve(&f.pb, &ex, bd.lower, 30,
		    &optimal) == 0);
		assert_true(optimal);
		assert_int_equal(ex.nbins, opt);
		assert_int_equal(pack_verify(&f.pb, &ex), 0);
		assert_int_equal(pack_exact_lp(&f.pb, &ffd, 30, &lp), 0);
		assert_true(lp <= (double)opt && lp >= (double)bd.continuous);
		pack_solution_release(&ex);
		pack_solution_release(&ffd);
		pack_solution_release(&all);
		pack_bounds_release(&bd);
	}
	/* the check is not vacuous: FFD missed the optimum sometimes */
	assert_true(ffd_worse > 0);
}

static void
test_same_input_same_plan(void **state)
{
	struct fixture f;
	struct pack_solution a, b;
	uint64_t x = 7;
	size_t i;

	(void)state;
	fixture_init(&f, 60, 2, 8, 100);
	for (i = 0; i < 60 * 16; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		f.demand[i] = (double)((x >> 33) % 30);
	}
	run(&f.pb, NULL, true, &a);
	run(&f.pb, NULL, true, &b);
	assert_int_equal(a.nbins, b.nbins);
	assert_memory_equal(a.bin_of, b.bin_of, 60 * sizeof(size_t));
	pack_solution_release(&a);
	pack_solution_release(&b);
}

/* six small guests of three zones: each zone on hosts of its own, every
 * packer and the search; a zone's type and its most hosts hold */
static void
test_zones_never_share_a_host(void **state)
{
	struct fixture f;
	struct pack_solution s;
	struct pack_options o;
	const uint32_t zone[6] = { 0, 1, 2, 0, 1, 2 };
	const size_t ztype[3] = { PACK_NONE, 1, PACK_NONE };
	size_t zmax[3] = { PACK_NONE, PACK_NONE, 1 };
	size_t k, i;

	(void)state;
	fixture_init(&f, 6, 1, 2, 100);
	for (i = 0; i < 12; i++)
		f.demand[i] = 10;
	f.pb.zone = zone;
	f.pb.nzones = 3;
	f.pb.ntypes = 2;
	f.pb.zone_type = ztype;
	f.pb.zone_max = zmax;
	for (k = 0; k < npackers; k++) {
		assert_int_equal(run(&f.pb, packers[k].name, true, &s), 3);
		for (i = 0; i < 3; i++)
			assert_int_equal(s.bin_of[i], s.bin_of[i + 3]);
		assert_true(s.bin_of[0] != s.bin_of[1]);
		assert_true(s.bin_of[1] != s.bin_of[2]);
		assert_int_equal(s.bin_type[s.bin_of[1]], 1);
		pack_solution_release(&s);
	}
	/* zone 2 on at most one host: two guests that cannot share one */
	f.demand[2 * 2] = f.demand[5 * 2] = 60;
	pack_options_init(&o);
	o.threads = 1;
	assert_int_equal(pack_run(&f.pb, &o, &s, NULL), -1);
	assert_non_null(strstr(error_last_msg(), "zone 2"));
	pack_solution_release(&s);
	zmax[2] = 2;
	assert_int_equal(run(&f.pb, NULL, true, &s), 4);
	pack_solution_release(&s);
}

/* pack_verify() refuses two zones on one host, a zone on another type
 * than its own, and a zone over its most hosts */
static void
test_verify_catches_zones(void **state)
{
	struct fixture f;
	struct pack_solution s;
	const uint32_t zone[2] = { 0, 1 };
	const size_t ztype[2] = { PACK_NONE, 1 };
	const size_t zmax[2] = { 1, PACK_NONE };
	size_t bin_of[2] = { 0, 0 }, type[2] = { 0, 0 };

	(void)state;
	fixture_init(&f, 2, 1, 1, 100);
	f.demand[0] = f.demand[1] = 10;
	f.pb.zone = zone;
	f.pb.nzones = 2;
	f.pb.ntypes = 2;
	s = (struct pack_solution){ .nitems = 2, .nbins = 1, .bin_of = bin_of,
	    .bin_type = type, .cost = 1, .packer = "hand" };
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "holds zones 0 and 1"));
	bin_of[1] = 1;
	s.nbins = 2;
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	f.pb.zone_type = ztype;
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "bin 1 of zone 1 is of type 0"));
	type[1] = 1;
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	f.pb.zone_max = zmax;
	f.pb.zone = (const uint32_t[2]){ 0, 0 };
	f.pb.zone_type = NULL;
	assert_int_equal(pack_verify(&f.pb, &s), -1);
	assert_non_null(strstr(error_last_msg(), "zone 0 has more than 1 bins"));
}

/* N+k and domains: two full bins of two guests each (50 % a guest) */
static void
test_failover_sets_spares_and_domains(void **state)
{
	struct fixture f;
	size_t bin_of[4] = { 0, 0, 1, 1 }, type[2] = { 0, 0 };
	uint32_t dom[2] = { 0, 1 };
	struct pack_solution s = { .nitems = 4, .nbins = 2, .bin_of = bin_of,
	    .bin_type = type, .cost = 2, .packer = "hand" };
	struct pack_spare sp[2] = { { 0, 0, 1 }, { 0, 0, 0 } };
	struct pack_failures hosts1 = { 1, false, 100 }, hosts2 = { 2, false,
	    100 }, rack = { 0, true, 100 }, few = { 2, false, 2 };
	struct pack_failed out;

	(void)state;
	fixture_init(&f, 4, 1, 1, 100);
	f.demand[0] = f.demand[1] = f.demand[2] = f.demand[3] = 50;
	/* no room anywhere: the loss of bin 0 is not absorbed */
	assert_int_equal(pack_failover(&f.pb, &s, NULL, 0, &hosts1, &out), 1);
	assert_int_equal(out.nbins, 1);
	assert_int_equal(out.bins[0], 0);
	/* a spare takes in either bin, but not both */
	assert_int_equal(pack_failover(&f.pb, &s, sp, 1, &hosts1, &out), 0);
	assert_int_equal(pack_failover(&f.pb, &s, sp, 1, &hosts2, &out), 1);
	assert_int_equal(pack_failover(&f.pb, &s, sp, 2, &hosts2, &out), 0);
	/* more sets of 2 of the 3 bins than max_sets: not enumerated */
	assert_int_equal(pack_failover(&f.pb, &s, sp, 1, &few, &out), 2);
	/* racks: bin 0 in rack 0, bin 1 in rack 1; a spare in rack 1 covers
	 * rack 0 only, one in each covers both */
	f.pb.ndomains = 2;
	s.bin_domain = dom;
	assert_int_equal(pack_failover(&f.pb, &s, sp, 1, &rack, &out), 1);
	assert_int_equal(out.domain, 1);
	assert_int_equal(pack_failover(&f.pb, &s, sp, 2, &rack, &out), 0);
}

/* {50, 30, 20} and {40, 30, 30} fill two hosts; first fit decreasing
 * needs three for the six guests, but each host's guests go whole on a
 * spare of its own: two spares see the plan through both failing */
static void
test_failover_whole_hosts_on_spares(void **state)
{
	struct fixture f;
	size_t bin_of[6] = { 0, 0, 0, 1, 1, 1 }, type[2] = { 0, 0 };
	const double d[6] = { 50, 30, 20, 40, 30, 30 };
	struct pack_solution s = { .nitems = 6, .nbins = 2, .bin_of = bin_of,
	    .bin_type = type, .cost = 2, .packer = "hand" };
	struct pack_spare sp[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	struct pack_failures two = { 2, false, 100 };
	struct pack_failed out;

	(void)state;
	fixture_init(&f, 6, 1, 1, 100);
	memcpy(f.demand, d, sizeof(d));
	assert_int_equal(pack_failover(&f.pb, &s, sp, 2, &two, &out), 0);
}

/* three guests of 30 % on one host and one of 10 % on the other: one
 * moves, the highest peak falls from 90 % to 60 %; a pinned guest and
 * one whose move would raise the other host above 90 % do not */
static void
test_balance_lowers_the_highest_peak(void **state)
{
	struct fixture f;
	size_t bin_of[4] = { 0, 0, 0, 1 }, type[2] = { 0, 0 }, *bo;
	struct pack_solution s = { .nitems = 4, .nbins = 2 };
	const double d[8] = { 30, 30, 30, 30, 30, 30, 10, 10 };
	size_t pin[4] = { 0, 0, 0, PACK_NONE }, ptype[1] = { 0 };

	(void)state;
	fixture_init(&f, 4, 1, 2, 100);
	memcpy(f.demand, d, sizeof(d));
	s.bin_of = xmemdup(bin_of, sizeof(bin_of));
	s.bin_type = xmemdup(type, sizeof(type));
	assert_int_equal(pack_balance(&f.pb, &s, NULL, 1000000), 1);
	assert_int_equal(pack_verify(&f.pb, &s), 0);
	bo = s.bin_of;
	assert_int_equal((bo[0] == 1) + (bo[1] == 1) + (bo[2] == 1), 1);
	/* balanced already: nothing to do */
	assert_int_equal(pack_balance(&f.pb, &s, NULL, 1000000), 0);
	pack_solution_release(&s);
	/* pinned guests stay where they are */
	f.pb.pin = pin;
	f.pb.pinned_type = ptype;
	f.pb.npinned = 1;
	s = (struct pack_solution){ .nitems = 4, .nbins = 2 };
	s.bin_of = xmemdup(bin_of, sizeof(bin_of));
	s.bin_type = xmemdup(type, sizeof(type));
	assert_int_equal(pack_balance(&f.pb, &s, NULL, 1000000), 0);
	pack_solution_release(&s);
}

/* items of one domain group go to bins of different domains, and
 * pack_verify() refuses them in one */
static void
test_domain_groups_keep_apart(void **state)
{
	struct fixture f;
	struct pack_solution s;
	const size_t off[4] = { 0, 1, 2, 2 };
	const uint32_t dg[2] = { 7, 7 };
	size_t k;

	(void)state;
	fixture_init(&f, 3, 1, 1, 100);
	f.demand[0] = f.demand[1] = f.demand[2] = 10;
	f.pb.ndomains = 2;
	f.pb.dgroup_off = off;
	f.pb.dgroups = dg;
	for (k = 0; k < npackers; k++) {
		run(&f.pb, packers[k].name, true, &s);
		assert_non_null(s.bin_domain);
		assert_true(s.bin_domain[s.bin_of[0]] !=
		    s.bin_domain[s.bin_of[1]]);
		s.bin_domain[s.bin_of[0]] = s.bin_domain[s.bin_of[1]];
		if (s.bin_of[0] != s.bin_of[1]) {
			assert_int_equal(pack_verify(&f.pb, &s), -1);
			assert_non_null(strstr(error_last_msg(), "share domain "
			    "group 7"));
		}
		pack_solution_release(&s);
	}
	/* one domain: no plan */
	f.pb.ndomains = 1;
	{
		struct pack_options o;

		pack_options_init(&o);
		o.threads = 1;
		assert_int_equal(pack_run(&f.pb, &o, &s, NULL), -1);
		pack_solution_release(&s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_slots_pack_what_peaks_cannot),
		cmocka_unit_test(test_every_packer_is_verified),
		cmocka_unit_test(test_verify_catches_an_overloaded_host),
		cmocka_unit_test(test_verify_counts_the_spare_against_available),
		cmocka_unit_test(test_verify_catches_a_broken_pin),
		cmocka_unit_test(test_shakes_keep_the_pins),
		cmocka_unit_test(test_violation_budget_allows_slots_under_hard_cap),
		cmocka_unit_test(test_anti_affinity_and_pins),
		cmocka_unit_test(test_availability_uses_the_next_model_then_fails),
		cmocka_unit_test(test_small_instances_against_the_optimum),
		cmocka_unit_test(test_same_input_same_plan),
		cmocka_unit_test(test_zones_never_share_a_host),
		cmocka_unit_test(test_verify_catches_zones),
		cmocka_unit_test(test_failover_sets_spares_and_domains),
		cmocka_unit_test(test_failover_whole_hosts_on_spares),
		cmocka_unit_test(test_balance_lowers_the_highest_peak),
		cmocka_unit_test(test_domain_groups_keep_apart),
	};

	return cmocka_run_group_tests_name("pack", tests, NULL, NULL);
}
