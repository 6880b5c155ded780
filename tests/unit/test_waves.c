/*
 * test_waves.c - plan_waves_make() on plans built in memory: every wave
 * within max_servers and max_per_host, every guest moved exactly once,
 * affinity groups in one wave, each host installed no later than its
 * first guest arrives, retirements first or last, the downtime from
 * memory and disk at the bandwidth, an oversized group alone with a
 * warning, and no waves at max_servers 0.
 */
#include "testlib.h"

#include <math.h>
#include <string.h>

#include "common/xalloc.h"
#include "planner/planner.h"

/* hosts h0..h(nh-1); guests g00.. round-robin; one retired server */
static struct plan *
plan_make(size_t nh, size_t ng, const char *group, size_t ngroup)
{
	struct plan *p = plan_new();
	struct plan_guest *g;
	char name[32];
	size_t i;

	for (i = 0; i < nh; i++) {
		snprintf(name, sizeof(name), "h%zu", i);
		plan_add_host(p, name, "M");
	}
	for (i = 0; i < ng; i++) {
		snprintf(name, sizeof(name), "g%02zu", i);
		g = plan_add_guest(p, name);
		g->host = i % nh;
		g->mem_mib = 1024;
		g->mem_peak_mib = NAN;
		if (i < ngroup) {
			g->group = xstrdup(group);
			g->flags |= PLAN_GUEST_AFFINITY;
		}
	}
	plan_add_server(p, "old", DECISION_RETIRE, "idle");
	return p;
}

static void
policy_waves(struct policy *pol, long max, long per_host, bool retire_first)
{
	policy_init(pol);
	pol->wave_max_servers = max;
	pol->wave_max_per_host = per_host;
	pol->wave_retire_first = retire_first;
	pol->wave_bandwidth_mibps = 100;
	pol->wave_host_install_h = 2;
	pol->migration_per_server = 10;
}

/* the wave index of guest gi, asserting it is in exactly one */
static size_t
wave_of(const struct plan *p, size_t gi)
{
	size_t w, j, found = SIZE_MAX;

	for (w = 0; w < p->migration.nwaves; w++)
		for (j = 0; j < p->migration.waves[w].nguests; j++)
			if (p->migration.waves[w].guests[j] == gi) {
				assert_true(found == SIZE_MAX);
				found = w;
			}
	assert_true(found != SIZE_MAX);
	return found;
}

static size_t
install_wave(const struct plan *p, size_t h)
{
	size_t w, j;

	for (w = 0; w < p->migration.nwaves; w++)
		for (j = 0; j < p->migration.waves[w].ninstall; j++)
			if (p->migration.waves[w].install[j] == h)
				return w;
	fail_msg("host %zu never installed", h);
	return SIZE_MAX;
}

static void
check_limits(const struct plan *p, long max, long per_host)
{
	const struct plan_wave *w;
	size_t i, j, n[16];

	for (i = 0; i < p->migration.nwaves; i++) {
		w = &p->migration.waves[i];
		assert_true(w->nguests + w->nretire <= (size_t)max);
		memset(n, 0, sizeof(n));
		for (j = 0; j < w->nguests; j++)
			n[p->guests[w->guests[j]].host]++;
		for (j = 0; per_host > 0 && j < p->nhosts; j++)
			assert_true(n[j] <= (size_t)per_host);
	}
	for (i = 0; i < p->nguests; i++)
		assert_true(install_wave(p, p->guests[i].host) <= wave_of(p, i));
}

static void
test_waves_respect_limits_and_hosts_come_first(void **state)
{
	struct plan *p = plan_make(3, 14, "app", 0);
	struct planner_result res;
	struct policy pol;

	(void)state;
	memset(&res, 0, sizeof(res));
	policy_waves(&pol, 4, 1, false);
	assert_int_equal(plan_waves_make(p, NULL, &pol, &res), 0);
	check_limits(p, 4, 1);
	/* 14 guests, 3 at most a wave (one per host), then the retirement */
	assert_int_equal(p->migration.nwaves, 6);
	assert_int_equal(p->migration.waves[5].nretire, 1);
	assert_int_equal(p->migration.waves[5].nguests, 0);
	/* 1 GiB at 100 MiB/s: 10.24 s each, 3 a wave */
	assert_near(p->migration.waves[0].downtime_max_s, 10.24, 1e-9);
	assert_near(p->migration.waves[0].move_h, 3 * 10.24 / 3600, 1e-12);
	assert_near(p->migration.waves[0].install_h, 2, 0);
	assert_near(p->migration.waves[1].start_h, 2 + 3 * 10.24 / 3600,
	    1e-12);
	assert_near(p->migration.waves[0].cost, 30, 0);
	assert_int_equal(p->migration.waves[0].disk_unknown, 3);
	assert_int_equal(res.nwarnings, 1);
	planner_result_release(&res);
	policy_release(&pol);
	plan_free(p);
}

static void
test_waves_affinity_group_together_retire_first(void **state)
{
	struct plan *p = plan_make(2, 9, "app", 3);
	struct planner_result res;
	struct policy pol;
	size_t w0;

	(void)state;
	memset(&res, 0, sizeof(res));
	policy_waves(&pol, 3, 0, true);
	assert_int_equal(plan_waves_make(p, NULL, &pol, &res), 0);
	check_limits(p, 3, 0);
	assert_int_equal(p->migration.waves[0].nretire, 1);
	assert_int_equal(p->migration.waves[0].nguests, 0);
	w0 = wave_of(p, 0);
	assert_int_equal(wave_of(p, 1), w0);
	assert_int_equal(wave_of(p, 2), w0);
	planner_result_release(&res);
	policy_release(&pol);
	plan_free(p);
}

static void
test_waves_oversized_group_moves_alone_with_warning(void **state)
{
	struct plan *p = plan_make(2, 6, "big", 5);
	struct planner_result res;
	struct policy pol;
	size_t i, w;

	(void)state;
	memset(&res, 0, sizeof(res));
	policy_waves(&pol, 2, 0, false);
	assert_int_equal(plan_waves_make(p, NULL, &pol, &res), 0);
	w = wave_of(p, 0);
	for (i = 1; i < 5; i++)
		assert_int_equal(wave_of(p, i), w);
	assert_int_equal(p->migration.waves[w].nguests, 5);
	assert_true(res.nwarnings >= 1);
	assert_non_null(strstr(res.warnings[0], "'big' (5 servers)"));
	planner_result_release(&res);
	policy_release(&pol);
	plan_free(p);
}

static void
test_waves_none_when_max_servers_is_zero(void **state)
{
	struct plan *p = plan_make(2, 6, "x", 0);
	struct planner_result res;
	struct policy pol;

	(void)state;
	memset(&res, 0, sizeof(res));
	policy_waves(&pol, 0, 0, false);
	assert_int_equal(plan_waves_make(p, NULL, &pol, &res), 0);
	assert_int_equal(p->migration.nwaves, 0);
	assert_int_equal(res.nwarnings, 0);
	policy_release(&pol);
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waves_respect_limits_and_hosts_come_first),
		cmocka_unit_test(test_waves_affinity_group_together_retire_first),
		cmocka_unit_test(
		    test_waves_oversized_group_moves_alone_with_warning),
		cmocka_unit_test(test_waves_none_when_max_servers_is_zero),
	};

	return cmocka_run_group_tests_name("waves", tests, NULL, NULL);
}
