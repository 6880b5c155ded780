/*
 * test_plan_json.c - plan.json and placement.csv: a plan written and read
 * back is the same plan; a damaged plan.json is refused with a message
 * naming where it is wrong.
 */
#include "testlib.h"

#include <math.h>

#include "common/error.h"
#include "planner/plan.h"


static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long n;
	char *buf;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return buf;
}

static double *
slots(size_t n, double base)
{
	double *v = calloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = base + (double)i * 0.25;
	return v;
}

/* two hosts (one an N+1 spare), three guests, a kept and a retired server */
static struct plan *
sample_plan(void)
{
	struct plan *p = plan_new();
	struct plan_host *h;
	struct plan_guest *g;
	size_t i;

	p->resolution = strdup("hour");
	p->nslots = 3;
	p->slot_s = 3600;
	p->percentile = 95;
	p->planned[RES_CPU] = p->planned[RES_MEM] = true;
	p->headroom[RES_CPU] = 0.2;
	p->headroom[RES_MEM] = 0.1;
	p->host_failures = 1;
	p->packer = strdup("ffd-l1-unit");
	p->search = strdup("converged");
	p->currency = strdup("EUR");
	p->peak_hosts = 2;
	p->spare_hosts = 1;
	p->bounds.continuous = 1;
	p->bounds.continuous_resource = RES_CPU;
	p->bounds.continuous_slot = 2;
	p->bounds.lower = 1;
	p->bounds.gap_pct = 0;
	p->bounds.load[RES_CPU] = slots(3, 0.1);
	h = plan_add_host(p, "host-001", "R640 \"big\"");
	h->capacity[RES_CPU] = 57.599;
	h->limit[RES_CPU] = 57.599 * 0.8;
	h->contention.cpu_ready_pct = 1.25;
	h->profile[RES_CPU] = slots(3, 2);
	h = plan_add_host(p, "host-002", "R640");
	h->spare = true;
	for (i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), i == 2 ? "=cmd|'/c calc'!A%zu" :
		    "web\n%zu", i);
		g = plan_add_guest(p, name);
		g->host = 0;
		g->vcpus = 2;
		g->mem_mib = 4096.5;
		g->why = strdup("first host with room at 14:00");
		g->profile[RES_CPU] = slots(3, (double)i);
		g->profile[RES_MEM] = slots(3, 1000);
	}
	p->hosts[0].guests = calloc(3, sizeof(size_t));
	for (i = 0; i < 3; i++)
		p->hosts[0].guests[i] = i;
	p->hosts[0].nguests = 3;
	plan_add_server(p, "db9", DECISION_KEEP, "excluded by policy");
	plan_add_server(p, "old1", DECISION_RETIRE, "idle: p95 CPU 0.4 %");
	return p;
}

static void
test_plan_round_trip_same_bytes(void **state)
{
	struct plan *p = sample_plan(), *q;
	const char *dir = getenv("TMPDIR");
	char a[512], b[512];
	char *ta, *tb;

	(void)state;
	snprintf(a, sizeof(a), "%s/plan-a-%ld.json", dir ? dir : "/tmp",
	    (long)getpid());
	snprintf(b, sizeof(b), "%s/plan-b-%ld.json", dir ? dir : "/tmp",
	    (long)getpid());
	assert_int_equal(plan_write_json(p, a), 0);
	q = plan_read_json(a);
	if (q == NULL)
		fail_msg("%s", error_last_msg());
	assert_int_equal(q->nhosts, 2);
	assert_int_equal(q->nguests, 3);
	assert_int_equal(q->nservers, 2);
	assert_true(q->hosts[1].spare);
	assert_string_equal(q->hosts[0].model, "R640 \"big\"");
	assert_string_equal(q->guests[0].name, "web\n0");
	assert_int_equal(q->guests[2].host, 0);
	assert_int_equal(q->hosts[0].nguests, 3);
	assert_near(q->guests[1].profile[RES_CPU][2], 1.5, 1e-12);
	assert_near(q->hosts[0].contention.cpu_ready_pct, 1.25, 1e-12);
	assert_true(isnan(q->hosts[0].contention.swap_risk_pct));
	assert_int_equal(q->servers[1].decision, DECISION_RETIRE);
	assert_int_equal(q->spare_hosts, 1);
	assert_int_equal(q->bounds.continuous_resource, RES_CPU);
	assert_int_equal(plan_write_json(q, b), 0);
	ta = slurp(a);
	tb = slurp(b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	if (getenv("KEEP_PLAN") == NULL)
		unlink(a);
	unlink(b);
	plan_free(p);
	plan_free(q);
}

/*
 * Numbers from 1e15 on are written as JSON reals: %f made integer
 * literals jansson refuses ("too big integer") and cut numbers past 63
 * digits short (found by tests/fuzz/fuzz_plan.c's read-back check).
 */
static void
test_huge_numbers_read_back(void **state)
{
	struct plan *p = sample_plan(), *q;
	const char *dir = getenv("TMPDIR");
	char a[512];

	(void)state;
	p->guests[0].profile[RES_CPU][1] = 4.4444444444444446e46;
	p->guests[0].profile[RES_CPU][2] = 1e300;
	p->guests[1].profile[RES_CPU][0] = 1e15;
	p->guests[1].profile[RES_CPU][1] = 999999999999999.9;
	snprintf(a, sizeof(a), "%s/plan-huge-%ld.json", dir ? dir : "/tmp",
	    (long)getpid());
	assert_int_equal(plan_write_json(p, a), 0);
	q = plan_read_json(a);
	if (q == NULL)
		fail_msg("%s", error_last_msg());
	assert_true(q->guests[0].profile[RES_CPU][1] == 4.4444444444444446e46);
	assert_true(q->guests[0].profile[RES_CPU][2] == 1e300);
	assert_true(q->guests[1].profile[RES_CPU][0] == 1e15);
	assert_near(q->guests[1].profile[RES_CPU][1], 999999999999999.9, 0.1);
	unlink(a);
	plan_free(p);
	plan_free(q);
}

/* the summary's consolidation ratio: guests per host, the N+1 spare left
 * out (3 guests on 1 active host, not 1.5 over both) */
static void
test_consolidation_ratio_leaves_out_spares(void **state)
{
	struct plan *p = sample_plan();
	const char *dir = getenv("TMPDIR");
	char a[512];
	char *t;

	(void)state;
	snprintf(a, sizeof(a), "%s/plan-ratio-%ld.json", dir ? dir : "/tmp",
	    (long)getpid());
	assert_int_equal(plan_write_json(p, a), 0);
	t = slurp(a);
	assert_non_null(strstr(t, "\"consolidation_ratio\": 3,"));
	free(t);
	p->spare_hosts = 0;
	p->hosts[1].spare = false;
	assert_int_equal(plan_write_json(p, a), 0);
	t = slurp(a);
	assert_non_null(strstr(t, "\"consolidation_ratio\": 1.5,"));
	free(t);
	unlink(a);
	plan_free(p);
}

static void
test_placement_csv_sorted_and_defused(void **state)
{
	struct plan *p = sample_plan();
	const char *path = test_write_file("placement", ".csv", "");
	char *t;

	(void)state;
	assert_int_equal(plan_write_placement(p, path), 0);
	t = slurp(path);
	assert_non_null(strstr(t, "capplan-placement,1\nserver,decision,host,"
	    "model,vcpus,mem_mib,reason,current_host,storage_gib,zone\n"));
	/* the formula-looking name is defused and sorts first */
	assert_non_null(strstr(t, "zone\n'=cmd|'/c calc'!A2,"
	    "virtualize,host-001,"));
	assert_non_null(strstr(t, "db9,keep,,,,,excluded by policy,,,\n"));
	assert_non_null(strstr(t, "\"web\n0\",virtualize"));
	free(t);
	plan_free(p);
}

static void
expect_refused(const char *tag, const char *text, const char *msg)
{
	const char *path = test_write_file(tag, ".json", text);
	struct plan *p = plan_read_json(path);

	assert_null(p);
	if (strstr(error_last_msg(), msg) == NULL)
		fail_msg("message '%s' lacks '%s'", error_last_msg(), msg);
}

#define HEAD "{\"format\": \"capplan-plan\", \"version\": 1, " \
	"\"settings\": {\"resolution\": \"hour\", \"slots\": 2}, "

static void
test_plan_read_refuses_damage(void **state)
{
	(void)state;
	expect_refused("syntax", "{\"format\": ", "1:");
	expect_refused("kind", "{\"format\": \"capplan-x\"}",
	    "expected 'capplan-plan'");
	expect_refused("newer", "{\"format\": \"capplan-plan\", \"version\": 9}",
	    "version 9 is not supported");
	assert_int_equal(error_last_kind(), ERROR_UNSUPPORTED);
	expect_refused("unknown-host", HEAD "\"hosts\": [], \"guests\": "
	    "[{\"name\": \"a\", \"host\": \"h9\"}], \"servers\": []}",
	    "guests[0]: guest 'a' is on unknown host 'h9'");
	expect_refused("dup-host", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\"}, {\"name\": \"h\", \"model\": \"m\"}]}",
	    "hosts[1]: host 'h' appears twice");
	expect_refused("list", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"guests\": []}], \"guests\": [{\"name\": "
	    "\"a\", \"host\": \"h\"}], \"servers\": []}",
	    "'guests' does not list the 1 guests placed on 'h'");
	/* a guest listed twice and another not at all, the count right: read
	 * as a host holding one guest twice (found by fuzz_plan) */
	expect_refused("list-twice", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"guests\": [\"b\", \"b\"]}], \"guests\": "
	    "[{\"name\": \"a\", \"host\": \"h\"}, {\"name\": \"b\", "
	    "\"host\": \"h\"}], \"servers\": []}",
	    "hosts[0]: guests[1] 'b' is listed twice");
	expect_refused("slots", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"profile\": {\"cpu_cu\": [1]}}]}",
	    "profile.cpu_cu must be an array of 2 numbers");
	expect_refused("neg", HEAD "\"hosts\": [], \"guests\": [], "
	    "\"servers\": [{\"name\": \"s\", \"decision\": \"maybe\"}]}",
	    "decision 'maybe' is not keep or retire");
	expect_refused("twice", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"guests\": [\"a\"]}], \"guests\": "
	    "[{\"name\": \"a\", \"host\": \"h\"}], \"servers\": "
	    "[{\"name\": \"a\", \"decision\": \"keep\"}]}",
	    "server 'a' appears twice");
	expect_refused("missing", "/nonexistent/plan.json", "");
}

/*
 * Every member the writer writes, the reader reads: one field table per
 * object drives both.  Each number gets a value of its own (whole where
 * written with no decimals) and must come back, and a nested object's
 * range errors name where they are.
 */
static void
test_every_field_read_back(void **state)
{
	struct plan *p = sample_plan(), *q;
	const char *path = test_write_file("fields", ".json", "");
	struct plan_contention *c = &p->hosts[0].contention;
	double *cv = &c->cpu_ready_pct;
	size_t i;

	(void)state;
	p->violation_pct = 2.5;
	p->vcpu_per_pcpu = 4.25;
	p->mem_overcommit = 1.5;
	p->max_guests = 30;
	p->exact = strdup("bound");
	p->cost_per_year = 12345.67;
	p->search_effort_dims = 5e9;
	p->bounds.l2[RES_MEM] = 3;
	p->bounds.l2_max = 3;
	p->bounds.clique = 2;
	p->bounds.other = 1;
	p->bounds.lp = 2;
	p->bounds.optimum = 2;
	p->hosts[0].sockets = 2;
	p->hosts[0].cores = 40;
	p->hosts[0].threads = 80;
	p->hosts[0].vcpus = 6;
	p->hosts[0].mem_committed_mib = 12289.5;
	p->hosts[0].power_w = 310.5;
	p->hosts[0].cost_per_year = 4321.25;
	p->hosts[0].mean[RES_MEM] = 2048;
	for (i = 0; i < sizeof(*c) / sizeof(double); i++)
		cv[i] = 1.0 + (double)i;
	p->guests[1].confidence = 0.875;
	p->guests[1].group = strdup("app");
	p->guests[1].flags |= PLAN_GUEST_PINNED;
	p->guests[1].peak[RES_CPU] = 3.5;
	assert_int_equal(plan_write_json(p, path), 0);
	q = plan_read_json(path);
	if (q == NULL)
		fail_msg("%s", error_last_msg());
	assert_near(q->violation_pct, 2.5, 0);
	assert_near(q->vcpu_per_pcpu, 4.25, 0);
	assert_near(q->mem_overcommit, 1.5, 0);
	assert_int_equal(q->max_guests, 30);
	assert_int_equal(q->host_failures, 1);
	assert_string_equal(q->exact, "bound");
	assert_near(q->cost_per_year, 12345.67, 1e-9);
	assert_near(q->search_effort_dims, 5e9, 0);
	assert_int_equal(q->peak_hosts, 2);
	assert_near(q->bounds.l2[RES_MEM], 3, 0);
	assert_near(q->bounds.clique + q->bounds.other + q->bounds.lp +
	    q->bounds.optimum, 7, 0);
	assert_int_equal(q->bounds.continuous_slot, 2);
	assert_near(q->bounds.load[RES_CPU][1], 0.35, 1e-12);
	assert_near(q->hosts[0].sockets + q->hosts[0].cores +
	    q->hosts[0].threads, 122, 0);
	assert_near(q->hosts[0].mem_committed_mib, 12289.5, 0);
	assert_near(q->hosts[0].power_w, 310.5, 0);
	assert_near(q->hosts[0].cost_per_year, 4321.25, 0);
	assert_near(q->hosts[0].mean[RES_MEM], 2048, 0);
	cv = &q->hosts[0].contention.cpu_ready_pct;
	for (i = 0; i < sizeof(*c) / sizeof(double); i++)
		assert_near(cv[i], 1.0 + (double)i, 0);
	assert_near(q->guests[1].confidence, 0.875, 0);
	assert_string_equal(q->guests[1].group, "app");
	assert_true(q->guests[1].flags & PLAN_GUEST_PINNED);
	assert_false(q->guests[0].flags & PLAN_GUEST_PINNED);
	assert_near(q->guests[1].peak[RES_CPU], 3.5, 0);
	assert_string_equal(q->servers[0].reason, "excluded by policy");
	plan_free(q);
	plan_free(p);
	expect_refused("nested", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"contention\": {\"swap_risk_pct\": 101}}]}",
	    "hosts[0].contention: 'swap_risk_pct' is 101, outside 0 to 100");
	expect_refused("whole", HEAD "\"summary\": {\"spare_hosts\": 1.5}}",
	    "summary: 'spare_hosts' must be a whole number");
}

/* storage: the settings, each host's figures and each guest's size and
 * source come back; an unknown source is refused, and a plan without
 * storage reads back with none */
static void
test_storage_read_back(void **state)
{
	struct plan *p = sample_plan(), *q;
	const char *path = test_write_file("storage", ".json", "");

	(void)state;
	p->storage_size = strdup("used");
	p->storage_headroom = 0.15;
	p->storage_used_margin = 0.25;
	p->hosts[0].storage_gib = 7152.6;
	p->hosts[0].storage_limit_gib = 6079.7;
	p->hosts[0].storage_committed_gib = 312.5;
	p->guests[0].storage_gib = 100;
	p->guests[1].storage_gib = 62.5;
	p->guests[1].storage_source = STORAGE_SOURCE_USED;
	p->guests[2].storage_gib = 150;
	p->guests[2].storage_source = STORAGE_SOURCE_ASSUMED;
	assert_int_equal(plan_write_json(p, path), 0);
	q = plan_read_json(path);
	if (q == NULL)
		fail_msg("%s", error_last_msg());
	assert_string_equal(q->storage_size, "used");
	assert_near(q->storage_headroom, 0.15, 0);
	assert_near(q->storage_used_margin, 0.25, 0);
	assert_near(q->hosts[0].storage_gib, 7152.6, 1e-9);
	assert_near(q->hosts[0].storage_limit_gib, 6079.7, 1e-9);
	assert_near(q->hosts[0].storage_committed_gib, 312.5, 0);
	assert_true(isnan(q->hosts[1].storage_gib));
	assert_near(q->guests[1].storage_gib, 62.5, 0);
	assert_int_equal(q->guests[0].storage_source, STORAGE_SOURCE_ALLOCATED);
	assert_int_equal(q->guests[1].storage_source, STORAGE_SOURCE_USED);
	assert_int_equal(q->guests[2].storage_source, STORAGE_SOURCE_ASSUMED);
	plan_free(q);
	plan_free(p);
	p = sample_plan();
	assert_int_equal(plan_write_json(p, path), 0);
	q = plan_read_json(path);
	assert_non_null(q);
	assert_null(q->storage_size);
	assert_true(isnan(q->guests[0].storage_gib));
	plan_free(q);
	plan_free(p);
	expect_refused("source", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"guests\": [\"a\"]}], \"guests\": "
	    "[{\"name\": \"a\", \"host\": \"h\", \"storage_gib\": 5, "
	    "\"storage_source\": \"thin\"}], \"servers\": []}",
	    "'storage_source' 'thin' is not allocated, used or assumed");
	expect_refused("negative", HEAD "\"hosts\": [{\"name\": \"h\", "
	    "\"model\": \"m\", \"storage_gib\": -1}]}",
	    "'storage_gib' is -1, outside 0 to");
}

/* stated growth: the settings' lines and each guest's section */
static void
test_growth_read_back(void **state)
{
	struct plan *p = sample_plan(), *q;
	const char *path = test_write_file("growth", ".json", "");

	(void)state;
	p->growth = calloc(3, sizeof(char *));
	p->growth[p->ngrowth++] = strdup("[growth]: cpu +30 % over 12 months");
	p->growth[p->ngrowth++] = strdup("[growth web]: mem +10 %");
	p->guests[2].growth = strdup("[growth web]");
	assert_int_equal(plan_write_json(p, path), 0);
	q = plan_read_json(path);
	if (q == NULL)
		fail_msg("%s", error_last_msg());
	assert_int_equal(q->ngrowth, 2);
	assert_string_equal(q->growth[1], "[growth web]: mem +10 %");
	assert_null(q->guests[0].growth);
	assert_string_equal(q->guests[2].growth, "[growth web]");
	plan_free(q);
	plan_free(p);
	expect_refused("growth", "{\"format\": \"capplan-plan\", "
	    "\"version\": 1, \"settings\": {\"resolution\": \"hour\", "
	    "\"slots\": 2, \"growth\": [1]}}",
	    "growth: item 0 is not a string");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_round_trip_same_bytes),
		cmocka_unit_test(test_huge_numbers_read_back),
		cmocka_unit_test(test_consolidation_ratio_leaves_out_spares),
		cmocka_unit_test(test_every_field_read_back),
		cmocka_unit_test(test_placement_csv_sorted_and_defused),
		cmocka_unit_test(test_plan_read_refuses_damage),
		cmocka_unit_test(test_storage_read_back),
		cmocka_unit_test(test_growth_read_back),
	};

	return cmocka_run_group_tests_name("plan_json", tests, NULL, NULL);
}
