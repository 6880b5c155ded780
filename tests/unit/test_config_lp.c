/*
 * test_config_lp.c - bench/config-lp.c (bench/planetlab-run -L) against
 * hand-worked instances whose configuration LP is known: its figures are
 * quoted in bench/README.md, so the estimate must be right where the
 * answer can be worked out.
 */
#include "testlib.h"

#include <math.h>

#include "bench/config-lp.h"
#include "common/xalloc.h"

#define MAX_ITEMS 8

struct inst {
	double demand[MAX_ITEMS * 2];
	double cap[2];
	struct pack_block blk;
	struct pack_bintype type;
	struct pack_problem pb;
	struct pack_solution start;	/* every item on a host of its own */
};

/* n items of nd (1 or 2) slots on hosts of capacity 10 per slot */
static void
inst_init(struct inst *in, const double *d, size_t n, size_t nd)
{
	size_t i;

	memset(in, 0, sizeof(*in));
	memcpy(in->demand, d, n * nd * sizeof(double));
	in->cap[0] = in->cap[1] = 10;
	in->blk = (struct pack_block){ 0, nd, 0, 0 };
	in->type = (struct pack_bintype){ .cap = in->cap, .cost = 1,
	    .available = PACK_NONE };
	in->pb = (struct pack_problem){ .nitems = n, .ndims = nd,
	    .demand = in->demand, .blocks = &in->blk, .nblocks = 1,
	    .types = &in->type, .ntypes = 1 };
	pack_solution_init(&in->start);
	in->start.nitems = n;
	in->start.nbins = n;
	in->start.bin_of = xcalloc(n, sizeof(size_t));
	in->start.bin_type = xcalloc(n, sizeof(size_t));
	for (i = 0; i < n; i++)
		in->start.bin_of[i] = i;
}

static void
estimate(struct inst *in, struct config_lp *r)
{
	assert_int_equal(config_lp_estimate(&in->pb, &in->start, 10, 5, r),
	    0);
	pack_solution_release(&in->start);
}

/* three items of 4 on hosts of 10: any two share a host, never three, so
 * the LP takes each pair at 1/2 (1.5) while a plan needs 2 hosts */
static void
test_three_items_of_four_is_one_and_a_half(void **state)
{
	const double d[] = { 4, 4, 4 };
	struct inst in;
	struct config_lp r;

	(void)state;
	inst_init(&in, d, 3, 1);
	estimate(&in, &r);
	assert_true(r.converged);
	assert_true(fabs(r.master - 1.5) < 1e-6);
	assert_int_equal(r.hosts, 2);
	assert_int_equal(r.over, 0);
	assert_true(r.columns > 3);	/* pairs were priced in */
}

/* Two slots: A and C are busy in the first, B and D in the second.  Peak
 * sizes (6 each) allow one item a host, 4 hosts; the series lets a busy
 * item share with one quiet at that time, 2 hosts, and the LP is 2. */
static void
test_complementary_items_share_hosts(void **state)
{
	const double d[] = { 6, 1, 1, 6, 6, 1, 1, 6 };
	struct inst in;
	struct config_lp r;

	(void)state;
	inst_init(&in, d, 4, 2);
	estimate(&in, &r);
	assert_true(r.converged);
	assert_true(fabs(r.master - 2) < 1e-6);
	assert_int_equal(r.hosts, 2);
	assert_int_equal(r.over, 0);
}

/* items over half a host go alone: the LP is the count of them */
static void
test_large_items_go_alone(void **state)
{
	const double d[] = { 6, 6, 6, 6, 6 };
	struct inst in;
	struct config_lp r;

	(void)state;
	inst_init(&in, d, 5, 1);
	estimate(&in, &r);
	assert_true(r.converged);
	assert_true(fabs(r.master - 5) < 1e-6);
	assert_int_equal(r.hosts, 5);
	assert_int_equal(r.columns, 5);		/* no set of two fits */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_items_of_four_is_one_and_a_half),
		cmocka_unit_test(test_complementary_items_share_hosts),
		cmocka_unit_test(test_large_items_go_alone),
	};

	return cmocka_run_group_tests_name("config_lp", tests, NULL, NULL);
}
