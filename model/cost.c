/*
 * cost.c - power, energy, heat, capital, licence and payback formulas.
 *
 * Each function is one formula of algorithms.md section 4, kept small so
 * a unit test can check it against a value worked by hand.  The planner
 * calls host_cost_total_per_year() to choose host models; the report
 * adds up host_cost_per_year() and server_cost_per_year() over the plan
 * and the inventory.  Nothing here reads files or prints.
 *
 * Left out on purpose: the residual value of hosts at the end of the
 * horizon (straight-line charges only the years used), replacement of
 * the existing servers (their purchase is sunk), network and storage
 * gear, staff time other than the one-off migration per server.
 */
#include <math.h>
#include <stddef.h>

#include "model/cost.h"

const struct cost_cat_info cost_cat_table[COST_N] = {
	[COST_PURCHASE] = { "purchase", "Purchase (amortised)" },
	[COST_ENERGY] = { "energy", "Energy (IT x PUE)" },
	[COST_MAINT] = { "maintenance", "Maintenance" },
	[COST_SPACE] = { "space", "Rack space" },
	[COST_LICENCE] = { "licences", "Licences" },
	[COST_HYPERVISOR] = { "hypervisor", "Hypervisor" },
	[COST_MIGRATION] = { "migration", "Migration (one-off)" },
};

const char *const power_source_names[] = { "inventory", "flat",
    "class", NULL };

/*
 * Curves for existing servers whose inventory row gives no watts, used
 * when the policy's server_power_w is 0: a SPECpower_ssj2008 result of a
 * typical rack server of each size, as CloudSim ships them (the 1- and
 * 2-socket tables) or as third-party CloudSim models carry it (4-socket);
 * read from ../shared/data/power-models.
 */
const struct power_class power_class_table[] = {
	{ "1-socket", 1, "IBM System x3250 M3 (1 x Xeon X3470, 2009)",
	    "spec.org power_ssj2008-20091104-00213 via CloudSim "
	    "PowerModelSpecPowerIbmX3250XeonX3470",
	    { 41.6, 46.7, 52.3, 57.9, 65.4, 73, 80.7, 89.5, 99.6, 105,
		113 } },
	{ "2-socket", 2, "IBM System x3550 M3 (2 x Xeon X5670, 2010)",
	    "spec.org power_ssj2008-20100315-00239 via CloudSim "
	    "PowerModelSpecPowerIbmX3550XeonX5670",
	    { 66, 107, 120, 131, 143, 156, 173, 191, 211, 229, 247 } },
	{ "4-socket", 4, "Dell PowerEdge R820 (4 x Xeon E5-4650L, 2014)",
	    "spec.org power_ssj2008-20141023-00677 via a CloudSim-derived "
	    "model",
	    { 110, 149, 167, 188, 218, 237, 268, 307, 358, 414, 446 } },
};

const size_t power_class_count =
    sizeof(power_class_table) / sizeof(power_class_table[0]);

void
cost_params_from_policy(struct cost_params *cp, const struct policy *p)
{
	cp->energy_per_kwh = p->energy_per_kwh;
	cp->pue = p->pue;
	cp->horizon_years = (double)p->horizon_years;
	cp->amortisation_years = (double)p->amortisation_years;
	cp->interest_pct = p->interest_pct;
	cp->rack_unit_per_year = p->rack_unit_per_year;
	cp->rack_units_per_rack = (double)p->rack_units_per_rack;
	cp->server_maint_per_year = p->server_maint_per_year;
	cp->server_power_w = p->server_power_w;
	cp->server_rack_units = p->server_rack_units;
	cp->host_maint_pct = p->host_maint_pct;
	cp->license_per_core = p->license_per_core;
	cp->license_per_socket = p->license_per_socket;
	cp->license_min_cores_socket = (double)p->license_min_cores_socket;
	cp->license_min_cores_host = (double)p->license_min_cores_host;
	cp->hypervisor_per_socket = p->hypervisor_per_socket;
	cp->migration_per_server = p->migration_per_server;
	cp->co2_g_per_kwh = p->co2_g_per_kwh;
	cp->price_factor = 1.0;
}

static double
clamp01(double u)
{
	if (!(u > 0.0))		/* also NaN: no load known, idle */
		return 0.0;
	return u > 1.0 ? 1.0 : u;
}

double
power_curve_w(const double curve_w[POWER_POINTS], double util_frac)
{
	double x = clamp01(util_frac) * (POWER_POINTS - 1);
	int k = (int)floor(x);

	if (k >= POWER_POINTS - 1)
		return curve_w[POWER_POINTS - 1];
	return curve_w[k] + (curve_w[k + 1] - curve_w[k]) * (x - k);
}

double
power_linear_w(double idle_w, double max_w, double util_frac)
{
	return idle_w + (max_w - idle_w) * clamp01(util_frac);
}

static const struct power_class *
power_class_for(double sockets)
{
	size_t i;

	if (!(sockets >= 1.0))
		sockets = 1.0;
	for (i = 0; i < power_class_count; i++)
		if (sockets <= power_class_table[i].sockets)
			return &power_class_table[i];
	return &power_class_table[power_class_count - 1];
}

void
server_power_init(struct server_power *sp, const struct server_inv *s,
    const struct cost_params *cp)
{
	sp->idle_w = sp->max_w = sp->flat_w = NAN;
	sp->cls = NULL;
	if (s != NULL && isfinite(s->power_idle_w) &&
	    isfinite(s->power_max_w)) {
		sp->source = POWER_INVENTORY;
		sp->idle_w = s->power_idle_w;
		sp->max_w = s->power_max_w;
	} else if (cp->server_power_w > 0.0) {
		sp->source = POWER_FLAT;
		sp->flat_w = cp->server_power_w;
	} else {
		sp->source = POWER_CLASS;
		sp->cls = power_class_for(s != NULL ? s->sockets : NAN);
	}
}

double
server_power_w(const struct server_power *sp, double util_frac)
{
	switch (sp->source) {
	case POWER_INVENTORY:
		return power_linear_w(sp->idle_w, sp->max_w, util_frac);
	case POWER_FLAT:
		return sp->flat_w;
	case POWER_CLASS:
		return power_curve_w(sp->cls->curve_w, util_frac);
	}
	return NAN;
}

double
energy_kwh_per_year(const struct cost_params *cp, double it_w)
{
	return it_w * cp->pue * HOURS_PER_YEAR / 1000.0;
}

double
energy_cost_per_year(const struct cost_params *cp, double it_w)
{
	return energy_kwh_per_year(cp, it_w) * cp->energy_per_kwh;
}

double
co2_kg_per_year(const struct cost_params *cp, double it_w)
{
	return energy_kwh_per_year(cp, it_w) * cp->co2_g_per_kwh / 1000.0;
}

double
cooling_btu_per_h(double it_w)
{
	return it_w * BTU_PER_H_PER_W;
}

double
cooling_tons(double it_w)
{
	return cooling_btu_per_h(it_w) / BTU_PER_H_PER_TON;
}

double
racks_for_units(const struct cost_params *cp, double units)
{
	if (!(units > 0.0))
		return 0.0;
	/* 1e-9: 84 U over 42 per rack is 2 racks, not 3 after rounding */
	return ceil(units / cp->rack_units_per_rack - 1e-9);
}

/*
 * i g / (g - 1) with g = (1 + i)^n is i + i / (g - 1), and g - 1 is
 * expm1(n log1p(i)): no cancellation for a tiny i, where pow(1 + i, n)
 * - 1 loses every digit (1e-12 was off in the fifth digit) and then is 0
 * (1e-16 gave a cost of inf).  As i goes to 0 this goes to 1 / n.
 */
double
capital_recovery_factor(double interest_frac, double years)
{
	double gm1;

	if (interest_frac == 0.0)
		return 1.0 / years;
	gm1 = expm1(years * log1p(interest_frac));
	return interest_frac + interest_frac / gm1;
}

double
purchase_per_year(const struct cost_params *cp, double price)
{
	return price * cp->price_factor *
	    capital_recovery_factor(cp->interest_pct / 100.0,
	    cp->amortisation_years);
}

double
licence_cores(const struct cost_params *cp, double cores, double sockets)
{
	double n = cores;

	if (n < sockets * cp->license_min_cores_socket)
		n = sockets * cp->license_min_cores_socket;
	if (n < cp->license_min_cores_host)
		n = cp->license_min_cores_host;
	return n;
}

double
licence_per_year(const struct cost_params *cp, double cores, double sockets)
{
	return licence_cores(cp, cores, sockets) * cp->license_per_core +
	    sockets * cp->license_per_socket;
}

void
host_cost_per_year(const struct cost_params *cp, const struct host_model *hm,
    double util_frac, struct cost_breakdown *out)
{
	host_cost_at_power(cp, hm, power_curve_w(hm->power_w, util_frac), out);
}

void
host_cost_at_power(const struct cost_params *cp, const struct host_model *hm,
    double it_w, struct cost_breakdown *out)
{
	double maint = hm->maint_per_year;

	if (!isfinite(maint))
		maint = hm->price * cp->price_factor * cp->host_maint_pct /
		    100.0;
	out->v[COST_PURCHASE] = purchase_per_year(cp, hm->price);
	out->v[COST_ENERGY] = energy_cost_per_year(cp, it_w);
	out->v[COST_MAINT] = maint;
	out->v[COST_SPACE] = hm->rack_units * cp->rack_unit_per_year;
	out->v[COST_LICENCE] = licence_per_year(cp, hm->cores, hm->sockets);
	out->v[COST_HYPERVISOR] = hm->sockets * cp->hypervisor_per_socket;
	out->v[COST_MIGRATION] = 0.0;
}

double
host_cost_total_per_year(const struct cost_params *cp,
    const struct host_model *hm, double util_frac)
{
	struct cost_breakdown b;

	host_cost_per_year(cp, hm, util_frac, &b);
	return cost_breakdown_total(&b);
}

/* the known value, else the fallback */
static double
or_else(double v, double fallback)
{
	return isfinite(v) && v > 0.0 ? v : fallback;
}

void
server_cost_per_year(const struct cost_params *cp, const struct server_inv *s,
    double mean_w, struct cost_breakdown *out)
{
	double units = cp->server_rack_units, sockets = 1.0, cores = 1.0;

	if (s != NULL) {
		units = or_else(s->rack_units, units);
		sockets = or_else(s->sockets, sockets);
		cores = or_else(s->cores, or_else(s->threads, cores));
	}
	out->v[COST_PURCHASE] = 0.0;
	out->v[COST_ENERGY] = energy_cost_per_year(cp, mean_w);
	out->v[COST_MAINT] = cp->server_maint_per_year;
	out->v[COST_SPACE] = units * cp->rack_unit_per_year;
	out->v[COST_LICENCE] = licence_per_year(cp, cores, sockets);
	out->v[COST_HYPERVISOR] = 0.0;
	out->v[COST_MIGRATION] = 0.0;
}

double
cost_breakdown_total(const struct cost_breakdown *b)
{
	double t = 0.0;
	int c;

	for (c = 0; c < COST_N; c++)
		t += b->v[c];
	return t;
}

int
payback_month(const struct cost_params *cp, double purchase, double oneoff,
    double saving_per_year)
{
	int months = (int)lround(cp->horizon_years * 12.0);
	int renew = (int)lround(cp->amortisation_years * 12.0);
	double cum = -oneoff;
	int m;

	purchase *= cp->price_factor;

	if (purchase <= 0.0 && oneoff <= 0.0 && saving_per_year >= 0.0)
		return 0;
	for (m = 1; m <= months; m++) {
		if ((m - 1) % renew == 0)
			cum -= purchase;
		cum += saving_per_year / 12.0;
		/* 1e-6: a saving that exactly repays is not lost to rounding */
		if (cum >= -1e-6)
			return m;
	}
	return -1;
}
