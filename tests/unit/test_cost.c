/*
 * test_cost.c - model/cost.c against values worked by hand.
 *
 * Each expected number is computed in the comment above its assertion
 * from the formula in algorithms.md section 4, not taken from the code.
 * The curve is the Dell PowerEdge R640 of samples/hosts.csv (SPECpower
 * result power_ssj2008-20170829-00781).
 */
#include "testlib.h"

#include <math.h>

#include "common/policy.h"
#include "model/cost.h"

static const double r640_w[POWER_POINTS] = { 55, 125, 151, 176, 202, 232,
    261, 301, 357, 421, 469 };

static void
params_default(struct cost_params *cp)
{
	struct policy p;

	policy_init(&p);
	cost_params_from_policy(cp, &p);
	policy_release(&p);
}

static struct host_model
r640(void)
{
	static char name[] = "R640";
	struct host_model hm;

	memset(&hm, 0, sizeof(hm));
	hm.model = name;
	hm.sockets = 2;
	hm.cores = 56;
	hm.threads = 112;
	hm.cpu_rating = 57.599;
	hm.rack_units = 1;
	hm.price = 28000;
	hm.maint_per_year = 2200;
	memcpy(hm.power_w, r640_w, sizeof(r640_w));
	return hm;
}

static void
test_curve_at_37_pct_interpolates_between_30_and_40(void **state)
{
	(void)state;
	/* 176 + 0.7 x (202 - 176) = 194.2 W */
	assert_near(power_curve_w(r640_w, 0.37), 194.2, 1e-9);
	/* 95 %: 421 + 0.5 x (469 - 421) = 445 W */
	assert_near(power_curve_w(r640_w, 0.95), 445.0, 1e-9);
}

static void
test_curve_ends_and_clamping(void **state)
{
	(void)state;
	assert_near(power_curve_w(r640_w, 0.0), 55.0, 0);
	assert_near(power_curve_w(r640_w, 1.0), 469.0, 0);
	assert_near(power_curve_w(r640_w, 0.5), 232.0, 1e-9);
	assert_near(power_curve_w(r640_w, 1.3), 469.0, 0);
	assert_near(power_curve_w(r640_w, -0.2), 55.0, 0);
	assert_near(power_curve_w(r640_w, NAN), 55.0, 0);
}

static void
test_linear_power(void **state)
{
	(void)state;
	/* 100 + (300 - 100) x 0.25 = 150 W */
	assert_near(power_linear_w(100, 300, 0.25), 150.0, 1e-9);
	assert_near(power_linear_w(100, 300, 2.0), 300.0, 1e-9);
}

static void
test_btu_and_tons(void **state)
{
	(void)state;
	/* 1,000 W x 3.412142 = 3,412.142 BTU/h; / 12,000 = 0.28434517 t */
	assert_near(cooling_btu_per_h(1000), 3412.142, 1e-9);
	assert_near(cooling_tons(1000), 0.284345167, 1e-8);
	/* one ton of refrigeration is 3.517 kW (to 4 digits) */
	assert_near(cooling_tons(3516.85), 1.0, 1e-4);
}

static void
test_energy_pue_cost_and_co2(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);	/* PUE 1.6, 0.20 per kWh, 250 g/kWh */
	/* 200 W x 1.6 = 320 W; x 8,760 h = 2,803.2 kWh */
	assert_near(energy_kwh_per_year(&cp, 200), 2803.2, 1e-9);
	/* x 0.20 = 560.64 */
	assert_near(energy_cost_per_year(&cp, 200), 560.64, 1e-9);
	/* x 250 g = 700.8 kg */
	assert_near(co2_kg_per_year(&cp, 200), 700.8, 1e-9);
	cp.pue = 1.0;
	assert_near(energy_kwh_per_year(&cp, 200), 1752.0, 1e-9);
}

static void
test_straight_line_amortisation(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);	/* 5 years, 0 % */
	/* 28,000 / 5 = 5,600 a year */
	assert_near(purchase_per_year(&cp, 28000), 5600.0, 1e-9);
	cp.price_factor = 1.2;
	/* 33,600 / 5 = 6,720 */
	assert_near(purchase_per_year(&cp, 28000), 6720.0, 1e-9);
	cp.amortisation_years = 3;
	cp.price_factor = 1;
	assert_near(purchase_per_year(&cp, 30000), 10000.0, 1e-9);
}

static void
test_crf_amortisation(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);
	cp.interest_pct = 5;
	/*
	 * 1.05^5 = 1.2762815625; CRF = 0.05 x 1.2762815625 / 0.2762815625
	 * = 0.2309748; x 28,000 = 6,467.29
	 */
	assert_near(capital_recovery_factor(0.05, 5), 0.230974798, 1e-8);
	assert_near(purchase_per_year(&cp, 28000), 6467.294, 1e-3);
	assert_near(capital_recovery_factor(0, 4), 0.25, 0);
}

/*
 * A tiny interest rate is straight-line amortisation plus a tiny bit:
 * CRF = 1/n + i (n + 1) / (2n) + i^2 (n^2 - 1) / (12n) + O(i^3).  The textbook formula lost
 * every digit to cancellation there and divided by zero from 1e-16.
 */
static void
test_crf_tiny_interest_is_straight_line(void **state)
{
	static const double rates[] = { 1e-6, 1e-9, 1e-12, 1e-15, 1e-16,
	    1e-300, 5e-324 };
	double i, crf;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		i = rates[k];
		crf = capital_recovery_factor(i, 5);
		assert_true(isfinite(crf));
		assert_near(crf, 0.2 + i * 0.6 + i * i * 0.4, 0.2 * 1e-13);
	}
	/* and a long horizon at a high rate: i g / (g - 1), g = 2^40 */
	assert_near(capital_recovery_factor(1, 40), 1 + 1 / (pow(2, 40) - 1),
	    1e-15);
}

static void
test_licence_minimums(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);	/* 8 per socket, 16 per host */
	assert_near(licence_cores(&cp, 12, 2), 16, 0);	/* host minimum */
	assert_near(licence_cores(&cp, 4, 1), 16, 0);
	assert_near(licence_cores(&cp, 56, 2), 56, 0);	/* above both */
	assert_near(licence_cores(&cp, 28, 4), 32, 0);	/* 4 x 8 */
	/* VMware: 16 per socket, none per host: 2 x 12 cores bill 32 */
	cp.license_min_cores_socket = 16;
	cp.license_min_cores_host = 0;
	assert_near(licence_cores(&cp, 24, 2), 32, 0);
	/* 32 x 100 + 2 x 50 = 3,300 a year */
	cp.license_per_core = 100;
	cp.license_per_socket = 50;
	assert_near(licence_per_year(&cp, 24, 2), 3300.0, 1e-9);
}

static void
test_host_cost_breakdown(void **state)
{
	struct cost_params cp;
	struct cost_breakdown b;
	struct host_model hm = r640();

	(void)state;
	params_default(&cp);
	host_cost_per_year(&cp, &hm, 0.37, &b);
	assert_near(b.v[COST_PURCHASE], 5600.0, 1e-9);
	/* 194.2 W x 1.6 x 8.76 = 2,721.9072 kWh; x 0.20 = 544.38144 */
	assert_near(b.v[COST_ENERGY], 544.38144, 1e-9);
	assert_near(b.v[COST_MAINT], 2200.0, 0);
	assert_near(b.v[COST_SPACE], 300.0, 0);	/* 1 U x 300 */
	assert_near(b.v[COST_LICENCE], 0.0, 0);
	assert_near(b.v[COST_MIGRATION], 0.0, 0);
	assert_near(host_cost_total_per_year(&cp, &hm, 0.37), 8644.38144,
	    1e-9);
	/* no maintenance figure: 8 % of 28,000 = 2,240 */
	hm.maint_per_year = NAN;
	host_cost_per_year(&cp, &hm, 0.37, &b);
	assert_near(b.v[COST_MAINT], 2240.0, 1e-9);
	/* at a mean power of 300 W: 300 x 1.6 x 8.76 x 0.20 = 840.96 */
	host_cost_at_power(&cp, &hm, 300, &b);
	assert_near(b.v[COST_ENERGY], 840.96, 1e-9);
	/* hypervisor 1,000 per socket: 2,000 */
	cp.hypervisor_per_socket = 1000;
	host_cost_per_year(&cp, &hm, 0.37, &b);
	assert_near(b.v[COST_HYPERVISOR], 2000.0, 0);
}

static void
test_server_power_sources(void **state)
{
	struct cost_params cp;
	struct server_power sp;
	struct server_inv s;

	(void)state;
	params_default(&cp);
	memset(&s, 0, sizeof(s));
	s.sockets = 2;
	s.power_idle_w = 100;
	s.power_max_w = 300;
	server_power_init(&sp, &s, &cp);
	assert_int_equal(sp.source, POWER_INVENTORY);
	assert_near(server_power_w(&sp, 0.25), 150.0, 1e-9);
	/* only one figure known: the policy's flat 250 W */
	s.power_max_w = NAN;
	server_power_init(&sp, &s, &cp);
	assert_int_equal(sp.source, POWER_FLAT);
	assert_near(server_power_w(&sp, 0.9), 250.0, 0);
	server_power_init(&sp, NULL, &cp);
	assert_int_equal(sp.source, POWER_FLAT);
	/* server_power_w = 0: the 2-socket class curve (IBM x3550 M3) */
	cp.server_power_w = 0;
	server_power_init(&sp, &s, &cp);
	assert_int_equal(sp.source, POWER_CLASS);
	assert_string_equal(sp.cls->name, "2-socket");
	/* 131 + 0.7 x (143 - 131) = 139.4 W */
	assert_near(server_power_w(&sp, 0.37), 139.4, 1e-9);
	s.sockets = NAN;
	server_power_init(&sp, &s, &cp);
	assert_string_equal(sp.cls->name, "1-socket");
	s.sockets = 8;
	server_power_init(&sp, &s, &cp);
	assert_string_equal(sp.cls->name, "4-socket");
}

static void
test_server_cost_defaults(void **state)
{
	struct cost_params cp;
	struct cost_breakdown b;

	(void)state;
	params_default(&cp);
	server_cost_per_year(&cp, NULL, 250, &b);
	/* 250 W x 1.6 x 8.76 x 0.20 = 700.8 */
	assert_near(b.v[COST_ENERGY], 700.8, 1e-9);
	assert_near(b.v[COST_MAINT], 600.0, 0);
	assert_near(b.v[COST_SPACE], 300.0, 0);
	assert_near(b.v[COST_PURCHASE], 0.0, 0);
	assert_near(cost_breakdown_total(&b), 1600.8, 1e-9);
}

static void
test_racks(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);	/* 42 U a rack */
	assert_near(racks_for_units(&cp, 84), 2, 0);
	assert_near(racks_for_units(&cp, 85), 3, 0);
	assert_near(racks_for_units(&cp, 1), 1, 0);
	assert_near(racks_for_units(&cp, 0), 0, 0);
}

static void
test_payback_month(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);	/* 5-year horizon and amortisation */
	/* -60,000 - 10,000 + 2,000 m >= 0 at m = 35 */
	assert_int_equal(payback_month(&cp, 60000, 10000, 24000), 35);
	/* exactly repaid after 12 months */
	assert_int_equal(payback_month(&cp, 24000, 0, 24000), 12);
	/* host prices 20 % higher: -72,000 - 10,000 + 2,000 m: m = 41 */
	cp.price_factor = 1.2;
	assert_int_equal(payback_month(&cp, 60000, 10000, 24000), 41);
	cp.price_factor = 1;
	/* nothing invested */
	assert_int_equal(payback_month(&cp, 0, 0, 100), 0);
	/* a loss never pays back */
	assert_int_equal(payback_month(&cp, 1000, 0, -5), -1);
	/* not within a 2-year horizon */
	cp.horizon_years = 2;
	assert_int_equal(payback_month(&cp, 60000, 10000, 24000), -1);
	/* renewed every year: 30,000 a year against 24,000 saved never pays */
	cp.horizon_years = 3;
	cp.amortisation_years = 1;
	assert_int_equal(payback_month(&cp, 30000, 0, 24000), -1);
	/* 12,000 a year against 2,000 a month: month 6 */
	assert_int_equal(payback_month(&cp, 12000, 0, 24000), 6);
}

static void
test_policy_defaults_reach_params(void **state)
{
	struct cost_params cp;

	(void)state;
	params_default(&cp);
	assert_near(cp.pue, 1.6, 0);
	assert_near(cp.energy_per_kwh, 0.20, 0);
	assert_near(cp.horizon_years, 5, 0);
	assert_near(cp.interest_pct, 0, 0);
	assert_near(cp.server_rack_units, 1, 0);
	assert_near(cp.host_maint_pct, 8, 0);
	assert_near(cp.license_min_cores_host, 16, 0);
	assert_near(cp.price_factor, 1, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curve_at_37_pct_interpolates_between_30_and_40),
		cmocka_unit_test(test_curve_ends_and_clamping),
		cmocka_unit_test(test_linear_power),
		cmocka_unit_test(test_btu_and_tons),
		cmocka_unit_test(test_energy_pue_cost_and_co2),
		cmocka_unit_test(test_straight_line_amortisation),
		cmocka_unit_test(test_crf_amortisation),
		cmocka_unit_test(test_crf_tiny_interest_is_straight_line),
		cmocka_unit_test(test_licence_minimums),
		cmocka_unit_test(test_host_cost_breakdown),
		cmocka_unit_test(test_server_power_sources),
		cmocka_unit_test(test_server_cost_defaults),
		cmocka_unit_test(test_racks),
		cmocka_unit_test(test_payback_month),
		cmocka_unit_test(test_policy_defaults_reach_params),
	};

	return cmocka_run_group_tests_name("cost", tests, NULL, NULL);
}
