/*
 * test_plan.c - planner_run() on fleets built in memory: time-aware
 * packing against peak sizing, N+1 with and without a spare, the host
 * model chosen by cost and mixed under 'available', downsizing, the
 * violation budget, guest count, pins with a model, candidates, and
 * constraints that cannot be met.  Every plan made here is re-summed
 * slot by slot from the profiles (not from the plan's own profiles).
 */
#include "testlib.h"

#include <math.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "planner/planner.h"

struct fleet {
	struct profile_set ps;
	struct hostcat hc;
	struct policy pol;
	struct planner_input in;
	struct planner_result res;
};

/* a server of rating 10 CU busy pct(h) % in each hour, mem MiB */
static void
server(struct fleet *f, const char *name, double (*pct)(int, double),
    double arg, double mem)
{
	struct profile *p;
	double peak = 0, v, sorted[24], median, x;
	int h, r, j;

	f->ps.profiles = xreallocarray(f->ps.profiles, f->ps.nprofiles + 1,
	    sizeof(*p));
	p = &f->ps.profiles[f->ps.nprofiles++];
	profile_init(p, name, SLOTS_HOUR);
	p->cpu_rating = 10;
	p->threads = 8;
	p->mem_total_mib = mem;
	p->days = 7;
	p->confidence = 1;
	for (h = 0; h < 24; h++) {
		v = pct(h, arg) / 100 * 10;
		p->slot[RES_CPU][h] = v;
		p->slot[RES_MEM][h] = mem / 2;
		peak = fmax(peak, v);
		for (j = h; j > 0 && sorted[j - 1] > v; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = v;
	}
	x = sorted[11];
	median = (x + sorted[12]) / 2;
	for (r = 0; r < RES_N; r++) {
		p->stat[r].n = r <= RES_MEM ? 168 : 0;
		p->stat[r].p50 = r == RES_CPU ? median : mem / 2;
		p->stat[r].p95 = r == RES_CPU ? peak : mem / 2;
		p->stat[r].sized = p->stat[r].p95;
		p->stat[r].projected = p->stat[r].p95;
		p->stat[r].max = p->stat[r].p95;
	}
	p->size_vcpus = 2;
	p->size_mem_mib = mem;
}

static double
by_day(int h, double pct)
{
	return h >= 8 && h < 20 ? pct : 5;
}

static double
by_night(int h, double pct)
{
	return h >= 8 && h < 20 ? 5 : pct;
}

static double
flat(int h, double pct)
{
	(void)h;
	return pct;
}

/* model: name, CU, threads, MiB, price, available (NaN: unlimited) */
static void
model(struct fleet *f, const char *name, double cu, double mib, double price,
    double available)
{
	struct host_model *m;
	int k;

	f->hc.models = xreallocarray(f->hc.models, f->hc.nmodels + 1,
	    sizeof(*m));
	m = &f->hc.models[f->hc.nmodels++];
	memset(m, 0, sizeof(*m));
	m->model = xstrdup(name);
	m->sockets = 1;
	m->cores = m->threads = 16;
	m->cpu_rating = cu;
	m->mem_mib = mib;
	m->disk_iops = m->disk_kibps = m->net_kibps = NAN;
	m->rack_units = 1;
	m->price = price;
	m->maint_per_year = 0;
	m->available = available;
	for (k = 0; k < POWER_POINTS; k++)
		m->power_w[k] = 50 + 10 * k;
}

static void
fleet_init(struct fleet *f)
{
	memset(f, 0, sizeof(*f));
	policy_init(&f->pol);
	f->pol.host_failures = 0;
	f->pol.headroom_cpu = 0;
	f->pol.headroom_mem = 0;
	f->pol.vcpu_per_pcpu = 16;
	f->in.ps = &f->ps;
	f->in.hc = &f->hc;
	f->in.pol = &f->pol;
	f->in.resolution = RESOLUTION_HOUR;
	f->in.search = true;
	f->in.time_limit_s = 30;
	f->in.threads = 2;
}

static void
fleet_release(struct fleet *f)
{
	profile_set_release(&f->ps);
	hostcat_release(&f->hc);
	policy_release(&f->pol);
	planner_result_release(&f->res);
}

/* run; check every host slot by slot from the profiles; return hosts */
static size_t
plan_ok(struct fleet *f)
{
	const struct plan *p;
	const struct host_model *m;
	double sum;
	size_t h, k, g;
	int rc = planner_run(&f->in, &f->res);

	if (rc != 0)
		fail_msg("planner_run gave %d: %s %s", rc, rc == 1 ?
		    f->res.infeasible[0] : "", rc == -1 ? error_last_msg() : "");
	p = f->res.plan;
	for (h = 0; h < p->nhosts; h++) {
		m = hostcat_find(&f->hc, p->hosts[h].model);
		assert_non_null(m);
		for (k = 0; k < 24; k++) {
			sum = 0;
			for (g = 0; g < p->hosts[h].nguests; g++)
				sum += profile_set_find(&f->ps, p->guests[
				    p->hosts[h].guests[g]].name)->slot[RES_CPU][k];
			assert_true(sum <= m->cpu_rating * (1 -
			    f->pol.headroom_cpu) * (1 + 1e-9));
		}
	}
	return p->nhosts - p->spare_hosts;
}

static void
test_complementary_guests_share_hosts(void **state)
{
	struct fleet f;
	char name[16];
	int i;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "day%d", i);
		server(&f, name, by_day, 60, 1024);
		snprintf(name, sizeof(name), "night%d", i);
		server(&f, name, by_night, 60, 1024);
	}
	/* 8 guests of 6 CU at their peaks need 4 hosts of 16 CU (two each);
	 * by the hour, a day and a night guest use 6.5 CU together */
	assert_int_equal(plan_ok(&f), 2);
	assert_int_equal(f.res.plan->peak_hosts, 4);
	assert_near(f.res.plan->bounds.lower, 2, 0);
	fleet_release(&f);
}

static void
test_n_plus_1_spare_only_when_needed(void **state)
{
	struct fleet f;
	char name[16];
	int i;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	f.pol.host_failures = 1;
	f.pol.max_guests = 2;
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		server(&f, name, flat, 20, 1024);
	}
	/* 3 hosts of 2 guests of 2 CU: any host's guests fit the others'
	 * CPU, but not their guest count */
	assert_int_equal(plan_ok(&f), 3);
	assert_int_equal(f.res.plan->spare_hosts, 1);
	assert_true(f.res.plan->hosts[3].spare);
	planner_result_release(&f.res);
	f.pol.max_guests = 3;
	/* 2 hosts of 3: a failed host's 3 guests do not fit 3 slots left */
	assert_int_equal(plan_ok(&f), 2);
	assert_int_equal(f.res.plan->spare_hosts, 1);
	planner_result_release(&f.res);
	f.pol.max_guests = 0;
	/* one host holds all six (12 CU of 16); losing it needs a spare */
	assert_int_equal(plan_ok(&f), 1);
	assert_int_equal(f.res.plan->spare_hosts, 1);
	planner_result_release(&f.res);
	f.pol.max_guests = 4;
	/* 2 hosts (4 + 2): each can take the other's guests by CPU (8 + 4
	 * <= 16) but not by count (4 + 4 > 4): spare */
	assert_int_equal(plan_ok(&f), 2);
	assert_int_equal(f.res.plan->spare_hosts, 1);
	planner_result_release(&f.res);
	f.pol.max_guests = 6;
	/* room for 6 per host: 12 CU on one host; its loss needs a spare,
	 * and a second host would have been absorbed... one host here */
	assert_int_equal(plan_ok(&f), 1);
	fleet_release(&f);
}

static void
test_n_plus_1_absorbed_without_spare(void **state)
{
	struct fleet f;
	char name[16];
	int i;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	f.pol.host_failures = 1;
	f.pol.headroom_cpu = 0.5;	/* limit 8 CU: the rest is failover room */
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		server(&f, name, flat, 20, 1024);
	}
	/* 12 CU in hosts of 8: 2 hosts of 6 CU would leave 10 CU free
	 * each, enough for the other's 6: no spare */
	assert_int_equal(plan_ok(&f), 2);
	assert_int_equal(f.res.plan->spare_hosts, 0);
	fleet_release(&f);
}

static void
test_model_by_cost_and_mix_under_available(void **state)
{
	struct fleet f;
	char name[16];
	size_t h, big = 0;
	int i;

	(void)state;
	fleet_init(&f);
	model(&f, "small", 10, 1e6, 2000, NAN);
	model(&f, "big", 40, 1e6, 5000, NAN);
	/* the price alone decides: no energy or space cost */
	f.pol.energy_per_kwh = 0;
	f.pol.rack_unit_per_year = 0;
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		server(&f, name, flat, 45, 1024);
	}
	/* 8 x 4.5 CU = 36 CU: one big host (5000) beats four small ones
	 * (two guests each, 4 x 2000) */
	assert_int_equal(plan_ok(&f), 1);
	assert_string_equal(f.res.plan->hosts[0].model, "big");
	planner_result_release(&f.res);
	/* at 9000 a big host costs more than four small ones */
	f.hc.models[1].price = 9000;
	assert_int_equal(plan_ok(&f), 4);
	for (h = 0; h < f.res.plan->nhosts; h++)
		assert_string_equal(f.res.plan->hosts[h].model, "small");
	planner_result_release(&f.res);
	/* 12 guests, 2 small hosts available: 2 small + 1 big (13000)
	 * beats 2 big (18000) */
	for (i = 8; i < 12; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		server(&f, name, flat, 45, 1024);
	}
	f.hc.models[0].available = 2;
	assert_int_equal(plan_ok(&f), 3);
	for (h = 0; h < f.res.plan->nhosts; h++)
		big += strcmp(f.res.plan->hosts[h].model, "big") == 0;
	assert_int_equal(big, 1);
	fleet_release(&f);
}

/* [overcommit] mem: four guests given 2048 MiB each (using 1024) on
 * hosts of 4096 MiB: two per host at 1.0, all four on one at 2.0 */
static void
test_memory_overcommit_packs_committed_memory(void **state)
{
	struct fleet f;
	char name[16];
	int i;

	(void)state;
	fleet_init(&f);
	model(&f, "m", 40, 4096, 2000, NAN);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		server(&f, name, flat, 5, 2048);
	}
	f.pol.mem_overcommit = 1.0;
	assert_int_equal(plan_ok(&f), 2);
	planner_result_release(&f.res);
	f.pol.mem_overcommit = 2.0;
	assert_int_equal(plan_ok(&f), 1);
	fleet_release(&f);
}

/* downsizing keeps to 'available': one guest a host, the cheap small
 * model has one host left, so the second host stays big */
static void
test_downsize_respects_available(void **state)
{
	struct fleet f;
	size_t h, small = 0;

	(void)state;
	fleet_init(&f);
	model(&f, "big", 40, 1e6, 5000, NAN);
	model(&f, "small", 10, 1e6, 1000, 1);
	f.pol.energy_per_kwh = 0;
	f.pol.rack_unit_per_year = 0;
	f.pol.max_guests = 1;
	server(&f, "a", flat, 45, 1024);
	server(&f, "b", flat, 45, 1024);
	assert_int_equal(plan_ok(&f), 2);
	for (h = 0; h < f.res.plan->nhosts; h++)
		small += strcmp(f.res.plan->hosts[h].model, "small") == 0;
	assert_int_equal(small, 1);
	fleet_release(&f);
}

static void
test_violation_budget(void **state)
{
	struct fleet f;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	f.pol.headroom_cpu = 0.25;	/* limit 12 of 16 CU */
	/* together 14 CU in one hour (over 12, under 16), 10 otherwise */
	server(&f, "a", flat, 50, 1024);
	server(&f, "b", flat, 50, 1024);
	f.ps.profiles[1].slot[RES_CPU][3] = 9;
	f.ps.profiles[1].stat[RES_CPU].p95 = 9;
	assert_int_equal(plan_ok(&f), 2);
	planner_result_release(&f.res);
	f.pol.violation_pct = 5;	/* one slot of 24 */
	assert_int_equal(planner_run(&f.in, &f.res), 0);
	assert_int_equal(f.res.plan->nhosts, 1);
	fleet_release(&f);
}

static void
test_candidates_and_unmet_constraints(void **state)
{
	struct fleet f;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	server(&f, "hot", flat, 95, 1024);	/* saturated */
	server(&f, "ok1", flat, 30, 1024);
	server(&f, "ok2", flat, 30, 1024);
	assert_int_equal(planner_run(&f.in, &f.res), 0);
	assert_int_equal(f.res.plan->nguests, 2);
	assert_int_equal(f.res.plan->nservers, 1);
	assert_int_equal(f.res.plan->servers[0].decision, DECISION_KEEP);
	assert_non_null(strstr(f.res.plan->servers[0].reason, "saturated"));
	planner_result_release(&f.res);
	/* the two OK servers may not share, and only one host exists */
	f.hc.models[0].available = 1;
	policy_release(&f.pol);
	assert_int_equal(policy_load(&f.pol, test_write_file("anti", ".conf",
	    "[anti-affinity x]\nservers = ok1, ok2\n")), 0);
	f.pol.headroom_cpu = 0;
	f.pol.vcpu_per_pcpu = 16;
	assert_int_equal(planner_run(&f.in, &f.res), 1);
	assert_non_null(strstr(f.res.infeasible[0], "not enough hosts"));
	fleet_release(&f);
}

/* disk and network p95s of the last server added; NaN: not measured */
static void
server_io(struct fleet *f, double iops, double disk_kibps, double net_kibps)
{
	struct profile *p = &f->ps.profiles[f->ps.nprofiles - 1];
	const double v[3] = { iops, disk_kibps, net_kibps };
	const int res[3] = { RES_DISK_IOPS, RES_DISK_KIBPS, RES_NET_KIBPS };
	int i;

	for (i = 0; i < 3; i++) {
		p->stat[res[i]].n = isnan(v[i]) ? 0 : 168;
		p->stat[res[i]].p95 = v[i];
	}
}

static const struct plan_guest *
guest_named(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nguests; i++)
		if (strcmp(p->guests[i].name, name) == 0)
			return &p->guests[i];
	fail_msg("no guest '%s'", name);
	return NULL;
}

/* Rule 4 with the disk measured by IOPS, by KiB/s (Bitbrains) or both,
 * or not at all, a busy network, and too few days; the CPU of all but
 * g-busy is idle (1 %). */
static void
test_idle_servers_retired_on_evidence(void **state)
{
	const struct plan *p;
	struct fleet f;
	size_t i;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	server(&f, "a-iops", flat, 1, 1024);
	server_io(&f, 1, NAN, 2);
	server(&f, "b-kibps", flat, 1, 1024);
	server_io(&f, NAN, 20, 2);
	server(&f, "c-both", flat, 1, 1024);
	server_io(&f, 1, 20, 2);
	server(&f, "d-disk-busy", flat, 1, 1024);
	server_io(&f, 1, 100, 2);	/* over the default 64 KiB/s */
	server(&f, "e-no-disk", flat, 1, 1024);
	server_io(&f, NAN, NAN, 2);
	server(&f, "f-net-busy", flat, 1, 1024);
	server_io(&f, 1, 20, 50);
	server(&f, "g-busy", flat, 30, 1024);
	server_io(&f, 1, 20, 2);
	server(&f, "h-short", flat, 1, 1024);
	server_io(&f, 1, 20, 2);
	f.ps.profiles[f.ps.nprofiles - 1].days = 2;	/* min_days is 7 */
	assert_int_equal(planner_run(&f.in, &f.res), 0);
	p = f.res.plan;
	assert_int_equal(p->nservers, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(p->servers[i].decision, DECISION_RETIRE);
	assert_string_equal(p->servers[0].name, "a-iops");
	assert_non_null(strstr(p->servers[0].reason, "disk 1.00 IOPS "
	    "(under 5), network 2.00 KiB/s (under 10)"));
	assert_string_equal(p->servers[1].name, "b-kibps");
	assert_non_null(strstr(p->servers[1].reason, "disk 20.00 KiB/s "
	    "(under 64)"));
	assert_string_equal(p->servers[2].name, "c-both");
	assert_non_null(strstr(p->servers[2].reason, "disk 1.00 IOPS "
	    "(under 5), disk 20.00 KiB/s (under 64)"));
	/* the others are guests; those with an idle CPU say why they stay */
	assert_int_equal(p->nguests, 5);
	assert_non_null(strstr(guest_named(p, "h-short")->why,
	    "not retired though idle (p95 CPU 1.00 %, disk 1.00 IOPS (under "
	    "5), disk 20.00 KiB/s (under 64), network 2.00 KiB/s (under 10)): "
	    "only 2.0 days of data, min_days is 7"));
	assert_non_null(strstr(guest_named(p, "d-disk-busy")->why,
	    "not retired though its p95 CPU 1.00 % is under 2 %: disk "
	    "100.00 KiB/s (retire under 64)"));
	assert_non_null(strstr(guest_named(p, "e-no-disk")->why,
	    "not retired though its p95 CPU 1.00 % is under 2 %: disk not "
	    "measured"));
	assert_non_null(strstr(guest_named(p, "f-net-busy")->why,
	    ": network 50.00 KiB/s (retire under 10)"));
	assert_null(strstr(guest_named(p, "g-busy")->why, "retire"));
	fleet_release(&f);
}

/* retire_cpu_pct over saturated_cpu_pct: a saturated server's CPU is
 * "idle" too, but it stays physical, for saturation (LeakSanitizer
 * checked that the idle note is freed on that path) */
static void
test_saturated_under_a_high_retire_limit(void **state)
{
	struct fleet f;

	(void)state;
	fleet_init(&f);
	model(&f, "m16", 16, 1e6, 5000, NAN);
	f.pol.retire_cpu_pct = 100;
	server(&f, "hot", flat, 95, 1024);
	server_io(&f, 1, 20, 50);
	server(&f, "ok", flat, 30, 1024);
	server_io(&f, 1, 20, 50);
	assert_int_equal(planner_run(&f.in, &f.res), 0);
	assert_int_equal(f.res.plan->nservers, 1);
	assert_int_equal(f.res.plan->servers[0].decision, DECISION_KEEP);
	assert_non_null(strstr(f.res.plan->servers[0].reason, "saturated"));
	assert_non_null(strstr(guest_named(f.res.plan, "ok")->why,
	    "not retired though its p95 CPU 30.00 % is under 100 %"));
	fleet_release(&f);
}

/*
 * A model with no network capacity at all (the catalog reader refuses a
 * 0, this one is built in memory) takes no server that uses the network:
 * the server stays physical and says why, where too_big_reason() used to
 * find no model (its INFINITY was never below INFINITY), call the server
 * a guest and leave the packer to report "affinity group '?' does not
 * fit".
 */
static void
test_zero_capacity_model_keeps_server_physical(void **state)
{
	struct fleet f;
	struct profile *p;
	int h;

	(void)state;
	fleet_init(&f);
	model(&f, "no-net", 16, 1e6, 5000, NAN);
	f.hc.models[0].net_kibps = 0;
	server(&f, "web", flat, 30, 1024);
	server_io(&f, 100, 1000, 500);
	p = &f.ps.profiles[0];
	for (h = 0; h < 24; h++)
		p->slot[RES_NET_KIBPS][h] = 500;
	assert_int_equal(planner_run(&f.in, &f.res), 0);
	assert_int_equal(f.res.plan->nguests, 0);
	assert_int_equal(f.res.plan->nservers, 1);
	assert_int_equal(f.res.plan->servers[0].decision, DECISION_KEEP);
	assert_string_equal(f.res.plan->servers[0].reason, "bigger than any "
	    "host model: needs net_kibps, of which 'no-net', the roomiest "
	    "for it, has none");
	fleet_release(&f);
}

static void
test_pin_with_model(void **state)
{
	struct fleet f;
	size_t i;

	(void)state;
	fleet_init(&f);
	model(&f, "small", 10, 1e6, 2000, NAN);
	model(&f, "big", 40, 1e6, 9000, NAN);
	policy_release(&f.pol);
	assert_int_equal(policy_load(&f.pol, test_write_file("pin", ".conf",
	    "[pin vault]\nmodel = big\nservers = db\n")), 0);
	f.pol.headroom_cpu = 0;
	server(&f, "db", flat, 30, 1024);
	server(&f, "web", flat, 30, 1024);
	plan_ok(&f);
	assert_string_equal(f.res.plan->hosts[0].name, "vault");
	assert_string_equal(f.res.plan->hosts[0].model, "big");
	for (i = 0; i < f.res.plan->nguests; i++)
		if (strcmp(f.res.plan->guests[i].name, "db") == 0)
			assert_int_equal(f.res.plan->guests[i].host, 0);
	/* the plan's why says so */
	assert_non_null(strstr(f.res.plan->guests[0].why, "pin vault"));
	fleet_release(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complementary_guests_share_hosts),
		cmocka_unit_test(test_n_plus_1_spare_only_when_needed),
		cmocka_unit_test(test_n_plus_1_absorbed_without_spare),
		cmocka_unit_test(test_model_by_cost_and_mix_under_available),
		cmocka_unit_test(test_memory_overcommit_packs_committed_memory),
		cmocka_unit_test(test_downsize_respects_available),
		cmocka_unit_test(test_violation_budget),
		cmocka_unit_test(test_candidates_and_unmet_constraints),
		cmocka_unit_test(test_pin_with_model),
		cmocka_unit_test(test_zero_capacity_model_keeps_server_physical),
		cmocka_unit_test(test_idle_servers_retired_on_evidence),
		cmocka_unit_test(test_saturated_under_a_high_retire_limit),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
