/*
 * test_pack_search.c - the local search's budget (planner/pack_search.c,
 * pack_repair.c): work spent stays spent.  A repair that fails goes back
 * to the plan it started from, and so does the search to its best plan;
 * neither may give the budget back, or the search runs on far past it
 * (until the time limit) and the same budget means different work.
 */
#include "testlib.h"

#include <stdbool.h>

#include "common/error.h"
#include "planner/pack.h"
#include "planner/pack_int.h"

#define NSLOTS 4
#define MAXN 64

struct inst {
	struct pack_problem pb;
	struct pack_block block;
	struct pack_bintype type;
	double cap[NSLOTS];
	double demand[MAXN * NSLOTS];
};

static void
inst_make(struct inst *x, size_t n)
{
	size_t d;

	memset(x, 0, sizeof(*x));
	x->block = (struct pack_block){ 0, NSLOTS, 0, 0 };
	for (d = 0; d < NSLOTS; d++)
		x->cap[d] = 100;
	x->type = (struct pack_bintype){ .cap = x->cap, .cost = 1,
	    .available = PACK_NONE };
	x->pb = (struct pack_problem){ .nitems = n, .ndims = NSLOTS,
	    .demand = x->demand, .blocks = &x->block, .nblocks = 1,
	    .types = &x->type, .ntypes = 1 };
}

/* three guests of 60 % on three hosts: no host can be emptied */
static void
test_failed_repair_keeps_its_effort(void **state)
{
	struct inst x;
	struct pack_prep *pp;
	struct pack_state st;
	uint64_t rng = 42;
	size_t i, b;

	(void)state;
	inst_make(&x, 3);
	for (i = 0; i < 3 * NSLOTS; i++)
		x.demand[i] = 60;
	pp = pack_prep_new(&x.pb);
	assert_int_equal(state_init(&st, &x.pb, pp), 0);
	for (i = 0; i < 3; i++) {
		b = state_open_for(&st, i);
		assert_int_not_equal(b, PACK_NONE);
		state_add(&st, b, i);
	}
	st.effort = 1000;
	assert_false(pack_repair_empty(&st, 0, 1000000, &rng));
	/* the plan is back, and the work it tried is counted */
	assert_int_equal(st.nbins, 3);
	for (b = 0; b < 3; b++)
		assert_int_equal(st.bins[b].n, 1);
	assert_true(st.effort > 1000);
	state_release(&st);
	pack_prep_free(pp);
}

/*
 * Guests of 34 % in every slot: two fit a host, three do not, so the
 * volume bound (n x 0.34) is never reached and the search spends all it
 * is given.  With a small budget it must end by its budget, not by
 * running on (its failed repairs used to hand the budget back, so it
 * ended only by converging after many rounds).
 */
static void
test_search_ends_on_its_budget(void **state)
{
	struct inst x;
	struct pack_options o;
	struct pack_solution s;
	enum pack_search_end end;
	size_t i;

	(void)state;
	inst_make(&x, 41);
	for (i = 0; i < 41 * NSLOTS; i++)
		x.demand[i] = 34;
	pack_options_init(&o);
	o.search = true;
	o.threads = 1;
	o.lower = 0;
	o.effort = 20000;
	assert_int_equal(pack_run(&x.pb, &o, &s, &end), 0);
	assert_int_equal(pack_verify(&x.pb, &s), 0);
	assert_int_equal(s.nbins, 21);
	assert_string_equal(pack_search_end_names[end], "effort");
	pack_solution_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_repair_keeps_its_effort),
		cmocka_unit_test(test_search_ends_on_its_budget),
	};

	return cmocka_run_group_tests_name("pack_search", tests, NULL, NULL);
}
