/*
 * test_whatif.c - capplan whatif's policy check (model/whatif.c): a
 * resource over its limit (capacity less headroom) in more slots than
 * violation_pct allows is a violation, in fewer it is not.  Until this
 * test only the golden cases saw the check.
 */
#include "testlib.h"

#include <math.h>

#include "common/xalloc.h"
#include "model/whatif.h"

/* a server of 10 CU and 8 threads, using cu(h) CU in hour h, 1 GiB */
static void
server(struct profile_set *ps, const char *name, double day_cu,
    double night_cu)
{
	struct profile *p;
	int h, r;

	ps->profiles = xreallocarray(ps->profiles, ps->nprofiles + 1,
	    sizeof(*p));
	p = &ps->profiles[ps->nprofiles++];
	profile_init(p, name, SLOTS_HOUR);
	p->cpu_rating = 10;
	p->threads = 8;
	p->mem_total_mib = 1024;
	p->days = 7;
	p->confidence = 1;
	for (h = 0; h < 24; h++) {
		p->slot[RES_CPU][h] = h >= 8 && h < 20 ? day_cu : night_cu;
		p->slot[RES_MEM][h] = 512;
	}
	for (r = 0; r < RES_N; r++) {
		p->stat[r].n = r <= RES_MEM ? 168 : 0;
		p->stat[r].p50 = r == RES_CPU ? night_cu : 512;
		p->stat[r].p95 = r == RES_CPU ? fmax(day_cu, night_cu) : 512;
		p->stat[r].sized = p->stat[r].projected = p->stat[r].max =
		    p->stat[r].p95;
	}
	p->size_vcpus = 2;
	p->size_mem_mib = 1024;
}

/* the "what" of every violation, comma separated */
static char *
violations(json_t *root)
{
	json_t *v = json_object_get(root, "violations"), *o;
	char buf[512] = "";
	size_t i;

	json_array_foreach(v, i, o) {
		strncat(buf, json_string_value(json_object_get(o, "what")),
		    sizeof(buf) - strlen(buf) - 2);
		strcat(buf, ",");
	}
	return xstrdup(buf);
}

/* 3 CU + 6 CU by day (3 by night) on a 10 CU host with 20 % headroom:
 * 9 CU over the 8 CU limit in the 12 day hours, 50 % of the slots */
static void
test_limit_in_more_slots_than_violation_pct(void **state)
{
	struct profile_set ps = { NULL, 0, 0 };
	struct host_model m = { 0 };
	struct policy pol;
	static char na[] = "a", nb[] = "b", hn[] = "h";
	char *const names[] = { na, nb };
	json_t *root;
	char *what;
	bool over;

	(void)state;
	server(&ps, "a", 3, 3);
	server(&ps, "b", 6, 3);
	m.model = hn;
	m.sockets = 1;
	m.cores = m.threads = 16;
	m.cpu_rating = 10;
	m.mem_mib = 65536;
	m.disk_iops = m.disk_kibps = m.net_kibps = NAN;
	policy_init(&pol);
	pol.headroom_cpu = 0.2;
	pol.min_days = 1;
	pol.violation_pct = 40;
	root = whatif_report(&m, &ps, names, 2, &pol, NULL, &over);
	assert_non_null(root);
	what = violations(root);
	assert_non_null(strstr(what, "cpu_cu,"));
	assert_true(over);
	free(what);
	json_decref(root);
	pol.violation_pct = 60;
	root = whatif_report(&m, &ps, names, 2, &pol, NULL, &over);
	assert_non_null(root);
	what = violations(root);
	assert_null(strstr(what, "cpu_cu,"));
	free(what);
	json_decref(root);
	policy_release(&pol);
	profile_set_release(&ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_in_more_slots_than_violation_pct),
	};

	return cmocka_run_group_tests_name("whatif", tests, NULL, NULL);
}
