/*
 * test_report.c - reports/report.c against figures worked by hand.
 *
 * A plan of one host (model H: 10,000, 1,000 a year maintenance, 1 U,
 * 100 W idle rising 10 W per 10 % to 200 W, 10 CU) carrying one guest g1
 * at 5 CU in every hour slot (50 %: 150 W), plus a server kept (k1) and
 * one retired (r1).  The policy is the default one unless a test says.
 */
#include "testlib.h"

#include <math.h>

#include "common/error.h"
#include "common/policy.h"
#include "common/xalloc.h"
#include "planner/plan.h"
#include "reports/charts.h"
#include "reports/report.h"
#include "reports/report_int.h"
#include "reports/rtable.h"

struct fixture {
	struct plan *plan;
	struct hostcat hc;
	struct policy pol;
	struct report_inputs in;
};

static struct plan *
plan_make(const char *model)
{
	struct plan *p = plan_new();
	struct plan_host *h;
	struct plan_guest *g;
	size_t t;

	p->resolution = xstrdup("hour");
	p->nslots = 24;
	p->slot_s = 3600;
	p->percentile = 95;
	p->headroom[RES_CPU] = 0.2;
	p->planned[RES_CPU] = true;
	h = plan_add_host(p, "host-1", model);
	h->capacity[RES_CPU] = 10;
	h->profile[RES_CPU] = xcalloc(24, sizeof(double));
	h->guests = xcalloc(1, sizeof(size_t));
	h->nguests = 1;
	g = plan_add_guest(p, "g1");
	g->host = 0;
	g->vcpus = 2;
	g->mem_mib = 4096;
	g->confidence = 0.8;
	g->profile[RES_CPU] = xcalloc(24, sizeof(double));
	for (t = 0; t < 24; t++)
		p->hosts[0].profile[RES_CPU][t] = g->profile[RES_CPU][t] = 5.0;
	plan_add_server(p, "k1", DECISION_KEEP, "too big");
	plan_add_server(p, "r1", DECISION_RETIRE, "idle");
	p->bounds.lower = 1;
	p->bounds.gap_pct = 0;
	return p;
}

static int
setup(void **state)
{
	static char name[] = "H";
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct host_model *hm;
	int k;

	f->plan = plan_make("H");
	f->hc.models = hm = xcalloc(1, sizeof(*hm));
	f->hc.nmodels = 1;
	hm->model = name;
	hm->sockets = 2;
	hm->cores = 16;
	hm->threads = 32;
	hm->cpu_rating = 10;
	hm->rack_units = 1;
	hm->price = 10000;
	hm->maint_per_year = 1000;
	for (k = 0; k < POWER_POINTS; k++)
		hm->power_w[k] = 100 + 10 * k;
	policy_init(&f->pol);
	f->in.plan = f->plan;
	f->in.hc = &f->hc;
	f->in.pol = &f->pol;
	f->in.plan_path = "plan.json";
	f->in.hosts_path = "hosts.csv";
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	plan_free(f->plan);
	free(f->hc.models);
	policy_release(&f->pol);
	free(f);
	return 0;
}

static void
test_before_and_after_per_year(void **state)
{
	struct fixture *f = *state;
	struct report *r = report_build(&f->in);
	const struct report_money *m;

	assert_non_null(r);
	m = &r->money;
	assert_int_equal(r->nservers, 3);
	assert_int_equal(r->nvirtualized, 1);
	assert_int_equal(r->nkept, 1);
	assert_int_equal(r->nretired, 1);
	/* before: 3 servers x (250 W x 1.6 x 8.76 x 0.20 = 700.8, 600, 300) */
	assert_near(m->before_year.v[COST_ENERGY], 3 * 700.8, 1e-9);
	assert_near(m->before_year.v[COST_MAINT], 1800, 1e-9);
	assert_near(cost_breakdown_total(&m->before_year), 4802.4, 1e-9);
	/* the host at 50 %: 150 W */
	assert_near(r->hosts[0].mean_w, 150, 1e-9);
	assert_near(r->hosts[0].util_mean_pct, 50, 1e-9);
	/* after: host 2,000 + 420.48 + 1,000 + 300, kept k1 1,600.8 */
	assert_near(m->after_year.v[COST_PURCHASE], 2000, 1e-9);
	assert_near(m->after_year.v[COST_ENERGY], 420.48 + 700.8, 1e-9);
	assert_near(cost_breakdown_total(&m->after_year), 5321.28, 1e-9);
	assert_near(m->migration, 500, 0);
	/* horizon: 24,012 - (26,606.4 + 500) */
	assert_near(m->saving_total, -3094.4, 1e-6);
	assert_near(m->saving_year, -618.88, 1e-6);
	/* 10,500 invested, 1,481.12 a year saved: 86 months > 60 */
	assert_near(m->running_saving_year, 1481.12, 1e-6);
	assert_int_equal(m->payback_month, -1);
	report_free(r);
}

/* the summary's consolidation ratio leaves the N+1 spare out: one guest
 * on one active host is 1.0 : 1, not 0.5 : 1 over both */
static void
test_consolidation_ratio_leaves_out_spares(void **state)
{
	struct fixture *f = *state;
	struct plan_host *h = plan_add_host(f->plan, "spare-1", "H");
	struct report *r;
	struct rtables ts;
	size_t i;

	h->spare = true;
	h->capacity[RES_CPU] = 10;
	h->profile[RES_CPU] = xcalloc(24, sizeof(double));
	f->plan->spare_hosts = 1;
	r = report_build(&f->in);
	if (r == NULL)
		fail_msg("%s", error_last_msg());
	assert_int_equal(r->nspares, 1);
	rtables_build(&ts, r, NULL);
	for (i = 0; i < ts.nsum; i++)
		if (strcmp(ts.sum_label[i], "Consolidation ratio") == 0)
			break;
	assert_true(i < ts.nsum);
	assert_string_equal(ts.sum_value[i], "1.0 : 1");
	rtables_release(&ts);
	report_free(r);
}

/* the HTML format escapes every name it prints: a guest, a host and a
 * model named with markup show as text in the tables */
static void
test_html_names_are_escaped(void **state)
{
	struct fixture *f = *state;
	struct report *r;
	struct rtables ts;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	free(f->plan->guests[0].name);
	f->plan->guests[0].name = xstrdup("<script>g</script>");
	free(f->plan->hosts[0].name);
	f->plan->hosts[0].name = xstrdup("h\"><img src=x onerror=alert(1)>");
	r = report_build(&f->in);
	if (r == NULL)
		fail_msg("%s", error_last_msg());
	rtables_build(&ts, r, NULL);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(fmt_html_write(&ts, NULL, fp, "report.html"), 0);
	fclose(fp);
	rtables_release(&ts);
	assert_null(strstr(buf, "<script"));
	assert_null(strstr(buf, "<img"));
	assert_non_null(strstr(buf, "&lt;script&gt;g&lt;/script&gt;"));
	assert_non_null(strstr(buf, "h&quot;&gt;&lt;img src=x"));
	free(buf);
	report_free(r);
}

static void
test_payback_and_years(void **state)
{
	struct fixture *f = *state;
	struct report *r;
	const struct report_money *m;

	f->pol.server_maint_per_year = 3000;
	r = report_build(&f->in);
	assert_non_null(r);
	m = &r->money;
	/* per server 700.8 + 3,000 + 300 = 4,000.8; x 3 = 12,002.4 */
	assert_near(cost_breakdown_total(&m->before_year), 12002.4, 1e-6);
	/* running after: 5,721.28 - 2,000 + 4,000.8 - 1,600.8 ... */
	assert_near(cost_breakdown_total(&m->after_year), 7721.28, 1e-6);
	/* 12,002.4 - 5,721.28 = 6,281.12 a year, 523.43 a month:
	 * 10,500 / 523.43 = 20.06, so month 21 */
	assert_near(m->running_saving_year, 6281.12, 1e-6);
	assert_int_equal(m->payback_month, 21);
	assert_int_equal(r->nyears, 5);
	/* year 1 cash: 5,721.28 running + 10,000 + 500 */
	assert_near(r->years[0].cash_after, 16221.28, 1e-6);
	assert_near(r->years[4].cumulative, m->saving_total, 1e-6);
	assert_near(r->years[4].cash_cumulative, m->saving_total, 1e-6);
	report_free(r);
}

static void
test_sensitivity_rows(void **state)
{
	struct fixture *f = *state;
	struct report *r = report_build(&f->in);
	size_t i;

	assert_non_null(r);
	assert_int_equal(r->nsens, 9);
	assert_string_equal(r->sens[0].what, "base case");
	assert_near(r->sens[0].money.saving_total, r->money.saving_total, 0);
	for (i = 0; i < r->nsens; i++)
		if (strcmp(r->sens[i].what, "host price +20 %") == 0)
			/* 20 % of 2,000 a year over 5 years costs 2,000 more */
			assert_near(r->sens[i].money.saving_total,
			    r->money.saving_total - 2000, 1e-6);
		else if (strcmp(r->sens[i].what, "energy price -20 %") == 0)
			/* energy before 2,102.4, after 1,121.28 a year */
			assert_near(r->sens[i].money.saving_year,
			    r->money.saving_year - 0.2 * (2102.4 - 1121.28),
			    1e-6);
	report_free(r);
}

static void
test_footprint(void **state)
{
	struct fixture *f = *state;
	struct report *r = report_build(&f->in);

	assert_non_null(r);
	assert_near(r->before.machines, 3, 0);
	assert_near(r->after.machines, 2, 0);	/* host + kept */
	assert_near(r->before.mean_w, 750, 1e-9);
	assert_near(r->after.mean_w, 400, 1e-9);
	assert_near(r->before.rack_units, 3, 0);
	assert_near(r->after.racks, 1, 0);
	report_free(r);
}

static void
test_samples_give_power_by_hour(void **state)
{
	struct fixture *f = *state;
	struct report *r;
	const struct report_server *s;
	const char *path;
	char text[4096];
	size_t n = 0;
	int h;

	/* class curve (1 socket, IBM x3250): 50 % is 73 W, 20 % is 52.3 W */
	f->pol.server_power_w = 0;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "capplan-samples,1\n"
	    "host,ts,interval_s,cpu_busy_pct\n");
	for (h = 0; h < 24; h++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "g1,2026-01-05T%02d:00:00Z,3600,%s\n", h, h < 12 ? "50" :
		    "20");
	path = test_write_file("g1", ".samples.csv", text);
	f->in.samples = &path;
	f->in.nsamples = 1;
	r = report_build(&f->in);
	assert_non_null(r);
	s = report_server_find(r, "g1");
	assert_non_null(s);
	assert_int_equal(s->nsamples, 24);
	assert_near(s->hour_w[3], 73.0, 1e-9);
	assert_near(s->hour_w[15], 52.3, 1e-9);
	assert_near(s->mean_w, (73.0 + 52.3) / 2, 1e-9);
	assert_near(s->util_mean_pct, 35, 1e-9);
	assert_near(s->coverage, 1, 1e-9);
	/* r1 has no samples: idle, 41.6 W */
	assert_near(report_server_find(r, "r1")->mean_w, 41.6, 1e-9);
	assert_int_equal(r->servers_with_samples, 1);
	report_free(r);
	unlink(path);
}

static void
test_unknown_model_fails(void **state)
{
	struct fixture *f = *state;

	free(f->plan->hosts[0].model);
	f->plan->hosts[0].model = xstrdup("Nope 9000");
	assert_null(report_build(&f->in));
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_non_null(strstr(error_last_msg(), "'Nope 9000'"));
}

static void
test_slot_hours(void **state)
{
	struct plan *p = plan_new();

	(void)state;
	p->resolution = xstrdup("series");
	p->slot_s = 1800;
	p->start_ms = 5400000;	/* 01:30 UTC */
	assert_int_equal(report_slot_hour(p, 0), 1);
	assert_int_equal(report_slot_hour(p, 1), 2);
	assert_int_equal(report_slot_hour(p, 45), 0);	/* 24:00 */
	free(p->resolution);
	p->resolution = xstrdup("week");
	p->slot_s = 3600;
	assert_int_equal(report_slot_hour(p, 24 + 5), 5);
	plan_free(p);
}

static void
test_amount_text(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(report_amount(1234567.4, buf, sizeof(buf)),
	    "1,234,567");
	assert_string_equal(report_amount(-999.6, buf, sizeof(buf)), "-1,000");
	assert_string_equal(report_amount(-0.2, buf, sizeof(buf)), "0");
	assert_string_equal(report_amount(NAN, buf, sizeof(buf)), "-");
	assert_string_equal(report_payback_text(35, 5, buf, sizeof(buf)),
	    "35 months");
	assert_string_equal(report_payback_text(1, 5, buf, sizeof(buf)),
	    "1 month");
	assert_string_equal(report_payback_text(-1, 5, buf, sizeof(buf)),
	    "not within 5 years");
}

/* 30 hosts, two of them empty: the 24 with the highest peak get a
 * chart, in plan order; with fewer than the limit every host with
 * guests does */
static void
test_pick_hosts_for_charts(void **state)
{
	struct plan_host ph[30];
	struct report_host rh[30];
	struct report r;
	size_t idx[CHARTS_HOSTS_MAX], n, i;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(ph, 0, sizeof(ph));
	memset(rh, 0, sizeof(rh));
	for (i = 0; i < 30; i++) {
		ph[i].nguests = i == 3 || i == 17 ? 0 : 1;
		rh[i].ph = &ph[i];
		/* hosts 0, 1, 2, 4 are the coolest; host 3 is empty but
		 * would be the hottest */
		rh[i].util_peak_pct = i < 5 ? 10.0 + (double)i : 50.0;
	}
	rh[3].util_peak_pct = 99.0;
	rh[29].util_peak_pct = NAN;	/* no profile: charted last */
	r.hosts = rh;
	r.nhosts = 30;
	n = charts_pick_hosts(&r, idx, CHARTS_HOSTS_MAX);
	assert_int_equal(n, 24);
	/* 28 with guests; left out: 29 (NaN) and 0, 1, 2 (coolest) */
	assert_int_equal(idx[0], 4);
	for (i = 1; i < n; i++)
		assert_true(idx[i] > idx[i - 1]);
	for (i = 0; i < n; i++)
		assert_true(idx[i] != 3 && idx[i] != 17 && idx[i] != 29 &&
		    idx[i] > 2);
	r.nhosts = 10;
	n = charts_pick_hosts(&r, idx, CHARTS_HOSTS_MAX);
	assert_int_equal(n, 9);
	assert_int_equal(idx[3], 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_before_and_after_per_year,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_consolidation_ratio_leaves_out_spares, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_names_are_escaped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_payback_and_years, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sensitivity_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_footprint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_samples_give_power_by_hour,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_model_fails, setup,
		    teardown),
		cmocka_unit_test(test_slot_hours),
		cmocka_unit_test(test_amount_text),
		cmocka_unit_test(test_pick_hosts_for_charts),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
