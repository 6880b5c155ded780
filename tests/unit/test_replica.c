/*
 * test_replica.c - which guests a validation runs (kvm/replica.c): a
 * host bigger than the test CPUs is scaled to a subset that keeps the
 * vCPUs and demand per CPU; a small one runs whole; memory fits the
 * budget; a guest without a profile is refused.
 */
#include <math.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/xalloc.h"
#include "kvm/replica.h"

/* a host of threads logical CPUs (1 CU each) with n one-vCPU guests
 * g00, g01, ...; guest i demands cu[i % 4] CU in every slot */
static struct plan *
make_plan(struct profile_set *ps, double threads, size_t n)
{
	static const double cu[4] = { 0.2, 0.4, 0.6, 0.8 };
	struct plan *p = plan_new();
	struct plan_host *h = plan_add_host(p, "host-001", "big");
	struct plan_guest *g;
	char name[16];
	size_t i, t;

	h->threads = threads;
	h->capacity[RES_CPU] = threads;
	h->guests = xcalloc(n, sizeof(size_t));
	h->nguests = n;
	h->vcpus = (double)n;
	ps->profiles = xcalloc(n, sizeof(struct profile));
	ps->nprofiles = n;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "g%02zu", i);
		g = plan_add_guest(p, name);
		g->host = 0;
		g->vcpus = 1;
		g->mem_mib = 4096;
		p->hosts[0].guests[i] = i;
		profile_init(&ps->profiles[i], name, SLOTS_HOUR);
		for (t = 0; t < 24; t++) {
			ps->profiles[i].slot[RES_CPU][t] = cu[i % 4];
			ps->profiles[i].slot[RES_MEM][t] = 2048;
		}
	}
	return p;
}

static void
test_big_host_is_scaled_keeping_density(void **state)
{
	struct profile_set ps = { NULL, 0, 0 };
	struct plan *p = make_plan(&ps, 16, 32);
	struct replica r;
	double v = 0, d = 0;
	size_t i;

	(void)state;
	/* 32 vCPUs on 16 CPUs (2 per CPU), mean 0.5 CU each: 1 CPU's worth
	 * per CPU; on 2 CPUs: 4 vCPUs, 2 CPUs' worth */
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 2, 0, 5,
	    1e6), 0);
	assert_true(r.scaled);
	assert_int_equal(r.ncpus, 2);
	assert_int_equal(r.nslots, 6);
	assert_near(r.cu_per_cpu, 1.0, 1e-12);
	for (i = 0; i < r.ng; i++) {
		v += r.g[i].vcpus;
		d += r.g[i].cpu[0];
	}
	assert_near(v, 4, 1e-12);
	assert_near(d, 2.0, 1e-9);
	assert_non_null(strstr(r.scaling, "2.00 per CPU"));
	replica_release(&r);
	/* the same input, the same subset */
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 2, 0, 5,
	    1e6), 0);
	assert_string_equal(r.g[0].name, "g00");
	replica_release(&r);
	plan_free(p);
	profile_set_release(&ps);
}

static void
test_small_host_runs_whole(void **state)
{
	struct profile_set ps = { NULL, 0, 0 };
	struct plan *p = make_plan(&ps, 2, 3);
	struct replica r;

	(void)state;
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 8, 0, 23,
	    1e6), 0);
	assert_false(r.scaled);
	assert_int_equal(r.ncpus, 2);
	assert_int_equal(r.ng, 3);
	assert_near(r.g[2].cpu[23], 0.6, 1e-12);
	assert_near(r.mem_scale, 1.0, 1e-12);
	assert_int_equal(r.g[0].mem_mib, 4096);
	assert_near(r.g[0].mem[0], 2048, 1e-9);
	replica_release(&r);
	plan_free(p);
	profile_set_release(&ps);
}

/* demand in test CPUs' worth: CU over the CU a CPU stands for (2 here),
 * capped at the guest's vCPUs, and a slot without samples counting as
 * the guest's highest slot */
static void
test_demand_per_cpu_capped_and_unseen_slots(void **state)
{
	struct profile_set ps = { NULL, 0, 0 };
	struct plan *p = make_plan(&ps, 2, 3);
	struct replica r;

	(void)state;
	p->hosts[0].capacity[RES_CPU] = 4;
	ps.profiles[0].slot[RES_CPU][5] = 3.0;		/* 1.5 CPUs > 1 vCPU */
	ps.profiles[1].slot[RES_CPU][3] = 1.2;		/* g01's highest */
	ps.profiles[1].slot[RES_CPU][7] = NAN;		/* no samples */
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 8, 0, 23,
	    1e6), 0);
	assert_false(r.scaled);
	assert_near(r.cu_per_cpu, 2.0, 1e-12);
	assert_near(r.g[2].cpu[0], 0.3, 1e-12);		/* 0.6 CU */
	assert_near(r.g[0].cpu[5], 1.0, 1e-12);		/* capped */
	assert_near(r.g[0].cpu[4], 0.1, 1e-12);
	assert_near(r.g[1].cpu[7], 0.6, 1e-12);		/* as slot 3 */
	assert_near(r.g[1].cpu[6], 0.2, 1e-12);
	replica_release(&r);
	plan_free(p);
	profile_set_release(&ps);
}

static void
test_memory_is_scaled_to_the_budget(void **state)
{
	struct profile_set ps = { NULL, 0, 0 };
	struct plan *p = make_plan(&ps, 2, 3);
	struct replica r;

	(void)state;
	/* 3 x 4096 MiB into 1536: x 0.125, 512 MiB each, active 256 */
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 2, 0, 0,
	    1536), 0);
	assert_near(r.mem_scale, 0.125, 1e-12);
	assert_int_equal(r.g[1].mem_mib, 512);
	assert_near(r.g[1].mem[0], 256, 1e-9);
	replica_release(&r);
	/* never under the floor; the working set leaves the guest's OS room */
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 2, 0, 0,
	    30), 0);
	assert_int_equal(r.g[0].mem_mib, REPLICA_MIN_MEM_MIB);
	assert_true(r.g[0].mem[0] <= REPLICA_MIN_MEM_MIB -
	    REPLICA_GUEST_OS_MIB);
	replica_release(&r);
	plan_free(p);
	profile_set_release(&ps);
}

static void
test_guest_without_profile_is_refused(void **state)
{
	struct profile_set ps = { NULL, 0, 0 };
	struct plan *p = make_plan(&ps, 2, 3);
	struct replica r;

	(void)state;
	free(ps.profiles[1].host);
	ps.profiles[1].host = strdup("someone-else");
	error_clear();
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 2, 0, 0,
	    1e6), -1);
	assert_non_null(strstr(error_last_msg(), "guest 'g01' of 'host-001' "
	    "has no profile"));
	assert_int_equal(replica_of_host(&r, p, &p->hosts[0], &ps, 2, 20, 30,
	    1e6), -1);
	plan_free(p);
	profile_set_release(&ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_host_is_scaled_keeping_density),
		cmocka_unit_test(test_small_host_runs_whole),
		cmocka_unit_test(test_demand_per_cpu_capped_and_unseen_slots),
		cmocka_unit_test(test_memory_is_scaled_to_the_budget),
		cmocka_unit_test(test_guest_without_profile_is_refused),
	};

	return cmocka_run_group_tests_name("replica", tests, NULL, NULL);
}
