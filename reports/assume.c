/*
 * assume.c - the assumptions behind the report's figures, each with its
 * source, so a reader can see what to replace with real numbers.
 *
 * A [cost] value equal to the key's default in common/policy.c is
 * reported as the default with the reason capplan.conf(5) gives for it
 * (a value the user set to the default reads the same, which is true);
 * any other value is reported as set in the policy file.  The fixed
 * constants (hours per year, BTU and tons) and the modelling choices
 * (where power and load come from) follow.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tz.h"
#include "common/xalloc.h"
#include "reports/report_int.h"

#define MAX_ASSUMPTIONS 40

/* why each [cost] default is what it is (capplan.conf(5)) */
static const struct {
	const char *key;
	const char *why;
} default_why[] = {
	{ "currency", "a label only, no conversion" },
	{ "energy_per_kwh", "an EU average price; set your tariff" },
	{ "pue", "the Uptime Institute global survey average (1.58 in "
	    "2023)" },
	{ "horizon_years", "the usual life of a server" },
	{ "amortisation_years", "a common depreciation period for servers" },
	{ "interest_pct", "straight-line, no cost of money" },
	{ "rack_unit_per_year", "within colocation prices of 500 to 2,000 a "
	    "month per 42 U cabinet (143 to 571 per U per year)" },
	{ "rack_units_per_rack", "a full-height rack" },
	{ "server_maint_per_year", "an assumption with no published source; "
	    "set your contracts" },
	{ "server_power_w", "about the mean draw at low load of a 2010 "
	    "2-socket server (SPECpower_ssj2008)" },
	{ "server_rack_units", "the most common rack server height" },
	{ "host_maint_pct", "the ratio of the shipped sample catalog" },
	{ "license_per_core", "no per-core licences charged" },
	{ "license_per_socket", "no per-socket licences charged" },
	{ "license_min_cores_socket", "Windows Server's 8 cores per "
	    "processor" },
	{ "license_min_cores_host", "Windows Server's 16 cores per server" },
	{ "hypervisor_per_socket", "KVM, no hypervisor licence" },
	{ "migration_per_server", "an assumption with no published source; "
	    "set your own estimate" },
	{ "co2_g_per_kwh", "an EU average grid intensity" },
};

static const char *
why_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(default_why) / sizeof(default_why[0]); i++)
		if (strcmp(default_why[i].key, key) == 0)
			return default_why[i].why;
	return "see capplan.conf(5)";
}

static const struct conf_key *
cost_key(const char *key)
{
	size_t i;

	for (i = 0; i < policy_schema.nkeys; i++)
		if (strcmp(policy_schema.keys[i].section, "cost") == 0 &&
		    strcmp(policy_schema.keys[i].name, key) == 0)
			return &policy_schema.keys[i];
	return NULL;
}

static struct report_assumption *
assumption_add(struct report *r, const char *name)
{
	struct report_assumption *a;

	if (r->nassumptions == MAX_ASSUMPTIONS)
		abort();	/* a programming error: raise the limit */
	a = &r->assumptions[r->nassumptions++];
	snprintf(a->name, sizeof(a->name), "%s", name);
	return a;
}

static void
assumption_source(struct report_assumption *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->source, sizeof(a->source), fmt, ap);
	va_end(ap);
}

/* a [cost] key: value with unit, source from the policy or the default */
static void
cost_key_add(struct report *r, const struct report_inputs *in,
    const char *key, double v, const char *unit)
{
	const struct conf_key *k = cost_key(key);
	struct report_assumption *a = assumption_add(r, key);
	int dflt = k == NULL || strtod(k->def, NULL) == v;

	snprintf(a->value, sizeof(a->value), "%g%s%s", v, *unit ? " " : "",
	    unit);
	if (dflt || in->policy_path == NULL)
		assumption_source(a, "default: %s", why_of(key));
	else
		assumption_source(a, "set in %s [cost]", in->policy_path);
}

static void
policy_assumptions(struct report *r, const struct report_inputs *in)
{
	const struct cost_params *cp = &r->cp;
	char unit[64];

	snprintf(unit, sizeof(unit), "%s/kWh", r->currency);
	cost_key_add(r, in, "energy_per_kwh", cp->energy_per_kwh, unit);
	cost_key_add(r, in, "pue", cp->pue, "");
	cost_key_add(r, in, "co2_g_per_kwh", cp->co2_g_per_kwh, "g/kWh");
	cost_key_add(r, in, "horizon_years", cp->horizon_years, "years");
	cost_key_add(r, in, "amortisation_years", cp->amortisation_years,
	    "years");
	cost_key_add(r, in, "interest_pct", cp->interest_pct, "%/year");
	snprintf(unit, sizeof(unit), "%s/U/year", r->currency);
	cost_key_add(r, in, "rack_unit_per_year", cp->rack_unit_per_year, unit);
	cost_key_add(r, in, "rack_units_per_rack", cp->rack_units_per_rack,
	    "U");
	cost_key_add(r, in, "server_rack_units", cp->server_rack_units, "U");
	snprintf(unit, sizeof(unit), "%s/year", r->currency);
	cost_key_add(r, in, "server_maint_per_year", cp->server_maint_per_year,
	    unit);
	cost_key_add(r, in, "server_power_w", cp->server_power_w, "W");
	cost_key_add(r, in, "host_maint_pct", cp->host_maint_pct, "%/year");
	snprintf(unit, sizeof(unit), "%s/core/year", r->currency);
	cost_key_add(r, in, "license_per_core", cp->license_per_core, unit);
	snprintf(unit, sizeof(unit), "%s/socket/year", r->currency);
	cost_key_add(r, in, "license_per_socket", cp->license_per_socket, unit);
	cost_key_add(r, in, "license_min_cores_socket",
	    cp->license_min_cores_socket, "cores");
	cost_key_add(r, in, "license_min_cores_host",
	    cp->license_min_cores_host, "cores");
	cost_key_add(r, in, "hypervisor_per_socket", cp->hypervisor_per_socket,
	    unit);
	snprintf(unit, sizeof(unit), "%s/server", r->currency);
	cost_key_add(r, in, "migration_per_server", cp->migration_per_server,
	    unit);
}

static void
constant_assumptions(struct report *r)
{
	struct report_assumption *a;

	a = assumption_add(r, "hours per year");
	snprintf(a->value, sizeof(a->value), "8,760");
	assumption_source(a, "365 days; energy = mean power x 8,760 h");
	a = assumption_add(r, "heat");
	snprintf(a->value, sizeof(a->value), "1 W = 3.412142 BTU/h");
	assumption_source(a, "all IT power becomes heat; the cooling load is "
	    "the IT power (ASHRAE conversion)");
	a = assumption_add(r, "ton of refrigeration");
	snprintf(a->value, sizeof(a->value), "12,000 BTU/h = 3.517 kW");
	assumption_source(a, "definition");
	a = assumption_add(r, "amortisation");
	snprintf(a->value, sizeof(a->value), "%s", r->cp.interest_pct > 0 ?
	    "capital recovery factor" : "straight-line");
	assumption_source(a, "price x i(1+i)^L / ((1+i)^L - 1) per year, "
	    "price / L when i = 0; hosts bought again every L years; "
	    "no residual value");
}

static void
power_assumptions(struct report *r, const struct report_inputs *in)
{
	struct report_assumption *a;
	size_t i;

	a = assumption_add(r, "new hosts' power");
	snprintf(a->value, sizeof(a->value), "11-point curves");
	assumption_source(a, "host catalog %s (SPECpower_ssj2008 points at "
	    "0, 10, ..., 100 %% load), interpolated linearly",
	    in->hosts_path);
	a = assumption_add(r, "new hosts' load");
	if (isfinite(r->plan->percentile))
		snprintf(a->value, sizeof(a->value), "p%g per %s slot",
		    r->plan->percentile, r->plan->resolution != NULL ?
		    r->plan->resolution : "?");
	else
		snprintf(a->value, sizeof(a->value), "the samples per %s slot",
		    r->plan->resolution != NULL ? r->plan->resolution : "?");
	assumption_source(a, "the plan's predicted demand per slot (%s, "
	    "above the mean: energy after is an upper estimate); N+1 spares "
	    "idle but powered", r->plan->sizing != NULL ? r->plan->sizing :
	    "the sizing percentile");
	a = assumption_add(r, "existing servers' power");
	snprintf(a->value, sizeof(a->value), "%zu inventory, %zu flat, "
	    "%zu class", r->power_source_count[POWER_INVENTORY],
	    r->power_source_count[POWER_FLAT],
	    r->power_source_count[POWER_CLASS]);
	assumption_source(a, "inventory power_idle_w and power_max_w, linear; "
	    "else server_power_w; else (server_power_w = 0) a class curve");
	for (i = 0; r->power_source_count[POWER_CLASS] > 0 &&
	    i < power_class_count; i++) {
		a = assumption_add(r, "class curve");
		snprintf(a->value, sizeof(a->value), "%s: %s",
		    power_class_table[i].name, power_class_table[i].system);
		assumption_source(a, "%s", power_class_table[i].source);
	}
	a = assumption_add(r, "existing servers' load");
	snprintf(a->value, sizeof(a->value), "%zu of %zu servers measured",
	    r->servers_with_samples, r->nservers);
	assumption_source(a, "CPU busy of every sample, power per sample, "
	    "averaged by hour of day (%s); servers without samples at idle "
	    "power (or the flat figure)", tz_name());
}

/* "a, b, c, d, e, ..." of the guests for which keep() holds, into buf */
static size_t
guest_names(const struct plan *p, bool (*keep)(const struct plan_guest *),
    char *buf, size_t size)
{
	size_t i, n = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nguests; i++) {
		if (!keep(&p->guests[i]))
			continue;
		if (n++ < 5 && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    n > 1 ? ", " : "", p->guests[i].name);
		else if (n == 6 && len < size)
			len += (size_t)snprintf(buf + len, size - len, ", ...");
	}
	return n;
}

static bool
added(const struct plan_guest *g)
{
	return g->like != NULL;
}

static bool
mem_installed(const struct plan_guest *g)
{
	return g->mem_source == MEM_SOURCE_INSTALLED;
}

static bool
mem_assumed(const struct plan_guest *g)
{
	return g->mem_source == MEM_SOURCE_ASSUMED;
}

static bool
rating_estimated(const struct plan_guest *g)
{
	return g->cpu_rating_source != NULL &&
	    strcmp(g->cpu_rating_source, "cores_mhz") == 0;
}

static bool
rating_assumed(const struct plan_guest *g)
{
	return g->cpu_rating_source != NULL &&
	    strcmp(g->cpu_rating_source, "assumed") == 0;
}

/* one row when some guests' figure rests on an assumption */
static void
guests_row(struct report *r, const char *name, const char *what,
    bool (*keep)(const struct plan_guest *))
{
	struct report_assumption *a;
	char names[300];
	size_t n = guest_names(r->plan, keep, names, sizeof(names));

	if (n == 0)
		return;
	a = assumption_add(r, name);
	snprintf(a->value, sizeof(a->value), "%zu guest%s", n, n == 1 ? "" :
	    "s");
	assumption_source(a, "%s: %s", what, names);
}

/* what the plan's sizing assumed for some guests (plan.json's mem_source
 * and cpu_rating_source) */
static void
plan_assumptions(struct report *r, const struct report_inputs *in)
{
	char what[160];

	guests_row(r, "servers added", "planned workloads ([add NAME] in the "
	    "policy), each with the profile and inventory row of the server "
	    "it is like, and no machine today", added);
	guests_row(r, "memory not measured", "given their installed memory "
	    "(inventory or samples' total)", mem_installed);
	snprintf(what, sizeof(what), "neither measured nor installed: given "
	    "[sizing] assumed_mem_mib = %g MiB", in->pol->assumed_mem_mib);
	guests_row(r, "memory assumed", what, mem_assumed);
	guests_row(r, "CPU rating estimated", "CPU model not in the table: "
	    "cores x MHz x a generation factor (capplan-profile(1))",
	    rating_estimated);
	guests_row(r, "CPU rating assumed", "no rating, model or speed: 1 CU "
	    "per logical CPU", rating_assumed);
}

/* the growth the policy states (plan.json's settings.growth): a row per
 * section, the first GROWTH_ROWS of them, then one for the rest */
#define GROWTH_ROWS 8

static void
growth_assumptions(struct report *r)
{
	struct report_assumption *a;
	const char *line, *colon;
	size_t i;

	for (i = 0; i < r->plan->ngrowth && i < GROWTH_ROWS; i++) {
		line = r->plan->growth[i];
		colon = strstr(line, "]:");
		a = assumption_add(r, "growth stated");
		snprintf(a->value, sizeof(a->value), "%.*s", colon != NULL ?
		    (int)(colon - line + 1) : (int)strlen(line), line);
		assumption_source(a, "%s (capplan.conf)", colon != NULL ?
		    colon + 3 : line);
	}
	if (r->plan->ngrowth > GROWTH_ROWS) {
		a = assumption_add(r, "growth stated");
		snprintf(a->value, sizeof(a->value), "%zu more sections",
		    r->plan->ngrowth - GROWTH_ROWS);
		assumption_source(a, "the plan's settings.growth lists them");
	}
}

void
report_assumptions_build(struct report *r, const struct report_inputs *in)
{
	r->assumptions = xcalloc(MAX_ASSUMPTIONS, sizeof(*r->assumptions));
	growth_assumptions(r);
	plan_assumptions(r, in);
	policy_assumptions(r, in);
	constant_assumptions(r);
	power_assumptions(r, in);
}
