/*
 * cost.h - the cost, power, cooling and emissions model: plain C types.
 *
 * Shared by the planner (which host model is cheapest at the predicted
 * utilisation) and the reports (before/after totals), so both use the
 * same formulas; see ../shared/research/algorithms.md section 4.
 *
 *   power       an 11-point SPECpower curve (0, 10, ..., 100 % load),
 *               linearly interpolated, as CloudSim's PowerModelSpecPower;
 *               an existing server: its inventory idle/max watts,
 *               linear; else the policy's flat server_power_w; else (when
 *               that is 0) a shipped curve for its class (socket count)
 *   energy      facility kWh = IT W x PUE x 8,760 h / 1,000
 *   heat        BTU/h = IT W x 3.412142; tons = BTU/h / 12,000
 *   purchase    price x CRF(i, L) per year: straight-line price / L when
 *               the cost of money i is 0 (the default), else the capital
 *               recovery factor i(1+i)^L / ((1+i)^L - 1) (Hamilton's
 *               method with i = 5 %)
 *   space       rack units x rate per U per year; racks = ceil(U / per rack)
 *   licences    per core (at least min per socket and min per host) plus
 *               per socket, per year; hypervisor per socket per year
 *   CO2         facility kWh x grid g/kWh
 *
 * A year is 8,760 hours (365 days).  Amounts are in the policy's currency.
 * Utilisation is a fraction 0-1 of the machine's CPU capacity; values
 * outside are clamped.  No GSL here: planner/ and reports/ include this.
 */
#ifndef MODEL_COST_H
#define MODEL_COST_H

#include <stddef.h>

#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/policy.h"

#define HOURS_PER_YEAR 8760.0
#define BTU_PER_H_PER_W 3.412142	/* 1 W = 3.412142 BTU/h */
#define BTU_PER_H_PER_TON 12000.0	/* 1 ton of refrigeration */

/* cost categories, in the order reports list them */
enum cost_cat {
	COST_PURCHASE,		/* new hosts, amortised */
	COST_ENERGY,		/* IT power x PUE x price */
	COST_MAINT,		/* maintenance and support */
	COST_SPACE,		/* rack units */
	COST_LICENCE,		/* OS / software per core or socket */
	COST_HYPERVISOR,	/* hypervisor per socket */
	COST_MIGRATION,		/* one-off, per server moved */
	COST_N
};

struct cost_cat_info {
	const char *name;	/* "purchase": CSV and file names */
	const char *label;	/* "Purchase (amortised)": for people */
};

extern const struct cost_cat_info cost_cat_table[COST_N];

/* amounts per category, in currency (per year or over a horizon) */
struct cost_breakdown {
	double v[COST_N];
};

/*
 * The numbers of the policy's [cost] section the formulas use, copied so
 * the sensitivity analysis can vary them (price_factor scales every new
 * host's price; 1 normally).
 */
struct cost_params {
	double energy_per_kwh;
	double pue;
	double horizon_years;
	double amortisation_years;
	double interest_pct;		/* cost of money, % per year */
	double rack_unit_per_year;
	double rack_units_per_rack;
	double server_maint_per_year;
	double server_power_w;		/* 0: use the class curve */
	double server_rack_units;
	double host_maint_pct;		/* of price per year, when unknown */
	double license_per_core;
	double license_per_socket;
	double license_min_cores_socket;
	double license_min_cores_host;
	double hypervisor_per_socket;
	double migration_per_server;
	double co2_g_per_kwh;
	double price_factor;
};

/* Copy p's [cost] numbers into cp; price_factor = 1. */
void cost_params_from_policy(struct cost_params *cp, const struct policy *p);

/* ---------------------------------------------------------- power */

/*
 * Power in W at util_frac (clamped to 0-1) on an 11-point curve (W at 0,
 * 10, ..., 100 % load): linear interpolation between the two points
 * around it.  P(0.37) = P[3] + 0.7 (P[4] - P[3]).
 */
double power_curve_w(const double curve_w[POWER_POINTS], double util_frac);
/* idle_w + (max_w - idle_w) x util_frac (clamped): CloudSim's linear model */
double power_linear_w(double idle_w, double max_w, double util_frac);

/* where an existing server's power figure comes from */
enum power_source {
	POWER_INVENTORY,	/* inventory power_idle_w and power_max_w */
	POWER_FLAT,		/* policy server_power_w, whatever the load */
	POWER_CLASS,		/* a shipped SPECpower curve for its class */
};

extern const char *const power_source_names[];	/* "inventory", ... */

/* a shipped curve for a class of existing server */
struct power_class {
	const char *name;	/* "2-socket" */
	double sockets;		/* the class covers servers with up to this many */
	const char *system;	/* the SPECpower system the curve is from */
	const char *source;	/* its spec.org result and where we read it */
	double curve_w[POWER_POINTS];
};

extern const struct power_class power_class_table[];
extern const size_t power_class_count;

/* an existing server's power model, resolved once */
struct server_power {
	enum power_source source;
	double idle_w, max_w;		/* POWER_INVENTORY */
	double flat_w;			/* POWER_FLAT */
	const struct power_class *cls;	/* POWER_CLASS */
};

/*
 * Resolve the power model of the existing server s (NULL: not in the
 * inventory): its inventory idle and max watts when both are known, else
 * cp->server_power_w when above 0, else the class curve of its socket
 * count (1 when unknown; the largest class for more sockets).
 */
void server_power_init(struct server_power *sp, const struct server_inv *s,
    const struct cost_params *cp);
/* Power in W of the server at util_frac. */
double server_power_w(const struct server_power *sp, double util_frac);

/* ------------------------------------------- energy, heat, emissions */

/* IT W drawn all year -> facility kWh per year (x PUE). */
double energy_kwh_per_year(const struct cost_params *cp, double it_w);
/* Energy cost per year of IT W drawn all year. */
double energy_cost_per_year(const struct cost_params *cp, double it_w);
/* kg CO2 per year of IT W drawn all year. */
double co2_kg_per_year(const struct cost_params *cp, double it_w);
/* Heat load of IT W: BTU/h and tons of refrigeration. */
double cooling_btu_per_h(double it_w);
double cooling_tons(double it_w);
/* Whole racks for units rack units (0 for 0). */
double racks_for_units(const struct cost_params *cp, double units);

/* ---------------------------------------------------- capital, licences */

/*
 * Capital recovery factor: the share of a price paid each year to repay it
 * over years at interest_frac a year; 1 / years when interest_frac is 0.
 */
double capital_recovery_factor(double interest_frac, double years);
/* Purchase of price (x price_factor) spread per year (CRF). */
double purchase_per_year(const struct cost_params *cp, double price);
/* Cores billed: max(cores, sockets x min per socket, min per host). */
double licence_cores(const struct cost_params *cp, double cores,
    double sockets);
/* Licences per year: billed cores x per core + sockets x per socket. */
double licence_per_year(const struct cost_params *cp, double cores,
    double sockets);

/* ------------------------------------------------------- per machine */

/*
 * Yearly cost of one new host of model hm at util_frac of its CPU
 * capacity: purchase, energy, maintenance (the catalog's, else
 * host_maint_pct of the price), space, licences, hypervisor.  Migration
 * is per server moved, not per host, so it is 0 here.
 */
void host_cost_per_year(const struct cost_params *cp,
    const struct host_model *hm, double util_frac, struct cost_breakdown *out);
/*
 * As host_cost_per_year(), with the host's mean IT power it_w given
 * instead of a utilisation (the mean of the curve over time slots is not
 * the curve at the mean utilisation).
 */
void host_cost_at_power(const struct cost_params *cp,
    const struct host_model *hm, double it_w, struct cost_breakdown *out);
/* The sum of host_cost_per_year(): what the planner minimises. */
double host_cost_total_per_year(const struct cost_params *cp,
    const struct host_model *hm, double util_frac);
/*
 * Yearly cost of one existing server drawing mean_w (its mean power over
 * the year, IT side): energy, maintenance, space (inventory rack units,
 * else server_rack_units), licences on its cores and sockets (inventory,
 * else 1 socket and its threads or 1 core).  s may be NULL.
 */
void server_cost_per_year(const struct cost_params *cp,
    const struct server_inv *s, double mean_w, struct cost_breakdown *out);
double cost_breakdown_total(const struct cost_breakdown *b);

/* ------------------------------------------------------------ payback */

/*
 * The month (1-based) at whose end the cumulative cash flow first turns
 * non-negative: purchase (the hosts' catalog prices; price_factor is
 * applied here, as in purchase_per_year()) paid at the start of month 1
 * and again every amortisation_years within the horizon (hosts are
 * renewed), oneoff (the migration) at the start of month 1, and
 * saving_per_year (the running costs saved: energy, maintenance, space,
 * licences) earned evenly each month.  0 when nothing is invested and saving_per_year >= 0; -1 when
 * it does not pay back within horizon_years.
 */
int payback_month(const struct cost_params *cp, double purchase,
    double oneoff, double saving_per_year);

#endif
