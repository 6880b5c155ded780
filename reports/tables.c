/*
 * tables.c - the report's content, in reading order, as tables.
 *
 * Executive summary first (a headline and eight figures), then cost,
 * year by year, power / cooling / space / CO2, sensitivity, hosts,
 * contention, hourly load, guests, servers today, bounds, assumptions.
 * Every number printed anywhere in the report is a cell here, so the CSV
 * (every cell) holds every figure.  Cells keep user text raw: the
 * renderers escape it for their format.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/num.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "reports/report_int.h"
#include "reports/rtable.h"

#define S_SUMMARY "Summary"
#define S_COST "Cost"
#define S_POWER "Power, cooling, space and CO2"
#define S_SENS "Sensitivity"
#define S_HOSTS "Hosts"
#define S_GUESTS "Guests"
#define S_SERVERS "Servers today"
#define S_PLAN "Plan quality"
#define S_ASSUME "Assumptions"
#define S_VALID "Validated on a real hypervisor"
#define S_BACKTEST "Backtest: the plan on days it never saw"

/* "s" unless n is 1: "%zu host%s", n, S(n) */
#define S(n) ((n) == 1 ? "" : "s")

/* ---------------------------------------------------------- summary */

static void
sum_add(struct rtables *ts, const char *label, char *value, char *detail)
{
	ts->sum_label[ts->nsum] = xstrdup(label);
	ts->sum_value[ts->nsum] = value;
	ts->sum_detail[ts->nsum] = detail;
	ts->nsum++;
}

/* "3 x R640, 1 x R940": hosts by model, in the plan's order; none
 * when there are no hosts (also capplan compare's) */
char *
report_model_mix(const struct report *r, const char *none)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, n;

	for (i = 0; i < r->nhosts; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(r->hosts[j].ph->model,
			    r->hosts[i].ph->model) == 0)
				break;
		if (j < i)
			continue;
		for (j = i, n = 0; j < r->nhosts; j++)
			n += strcmp(r->hosts[j].ph->model,
			    r->hosts[i].ph->model) == 0;
		strbuf_addf(&sb, "%s%zu x %s", sb.len > 0 ? ", " : "", n,
		    r->hosts[i].ph->model);
	}
	if (sb.len == 0)
		strbuf_addstr(&sb, none);
	return strbuf_detach(&sb);
}

static void
summary_money(struct rtables *ts, const struct report *r)
{
	const struct report_money *m = &r->money;
	double before = cost_breakdown_total(&m->before_total);
	char a[64], b[64], c[64], pb[64];

	sum_add(ts, "Annual saving", rtable_printf("%s %s",
	    report_amount(m->saving_year, a, sizeof(a)), r->currency),
	    rtable_printf("%s over %.0f years, %.0f %% of today's cost",
	    report_amount(m->saving_total, b, sizeof(b)), r->cp.horizon_years,
	    before > 0 ? 100.0 * m->saving_total / before : 0.0));
	sum_add(ts, "Payback", xstrdup(report_payback_text(m->payback_month,
	    r->cp.horizon_years, pb, sizeof(pb))),
	    rtable_printf("investment %s: hosts %s, migration %s",
	    report_amount(m->purchase + m->migration, a, sizeof(a)),
	    report_amount(m->purchase, b, sizeof(b)),
	    report_amount(m->migration, c, sizeof(c))));
}

/* what the spares are for: "N+1", "N+2", "N+1 and domain failure" */
static void
spare_kind(const struct plan *p, char *buf, size_t len)
{
	if (p->domain_failures > 0)
		snprintf(buf, len, p->host_failures > 0 ? "N+%ld and domain "
		    "failure" : "domain failure", p->host_failures);
	else
		snprintf(buf, len, "N+%ld", p->host_failures > 0 ?
		    p->host_failures : 1);
}

static void
summary_plan(struct rtables *ts, const struct report *r)
{
	const struct plan *p = r->plan;
	const struct plan_bounds *bd = &p->bounds;
	size_t active = r->nhosts - r->nspares;
	char *mix = report_model_mix(r, "no hosts"), kind[48], exist[64];

	sum_add(ts, "Servers assessed", rtable_printf("%zu", r->nservers),
	    rtable_printf("%zu virtualized, %zu kept physical, %zu retired",
	    r->nvirtualized, r->nkept, r->nretired));
	spare_kind(p, kind, sizeof(kind));
	exist[0] = '\0';
	if (plan_count_existing(p) > 0)
		snprintf(exist, sizeof(exist), "; %zu existing, bought already",
		    plan_count_existing(p));
	sum_add(ts, "Hosts needed", rtable_printf("%zu", p->nhosts),
	    r->nhosts == 0 ? xstrdup("nothing is virtualized") :
	    rtable_printf("%s; %zu of them %s spare%s%s", mix, r->nspares, kind,
	    S(r->nspares), exist));
	free(mix);
	sum_add(ts, "Consolidation ratio", active > 0 ? rtable_printf("%.1f : 1",
	    (double)r->nvirtualized / (double)active) : xstrdup("n/a"),
	    xstrdup("guests per host, spares left out"));
	if (isfinite(bd->gap_pct) && isfinite(bd->lower))
		sum_add(ts, "Gap to the lower bound", rtable_printf("%+.1f %%",
		    bd->gap_pct), rtable_printf("%zu host%s against a lower bound "
		    "of %.0f%s", active, S(active), bd->lower,
		    isfinite(bd->optimum) ?
		    "; proved optimal" : ""));
	else
		sum_add(ts, "Gap to the lower bound", xstrdup("n/a"),
		    xstrdup("the plan holds no bound"));
}

static void
summary_data(struct rtables *ts, const struct report *r)
{
	char *conf = isfinite(r->confidence_mean) ? rtable_printf("mean "
	    "confidence %.2f, weakest %.2f, %zu guest%s under 0.5",
	    r->confidence_mean, r->confidence_min, r->low_confidence,
	    S(r->low_confidence)) : xstrdup("no confidence given");
	char *span = isfinite(r->days_min) ? rtable_printf(", the shortest "
	    "%.2f days", r->days_min) : xstrdup("");

	if (r->servers_with_samples > 0)
		sum_add(ts, "Data coverage", rtable_printf("%zu of %zu measured",
		    r->servers_with_samples, r->nservers), rtable_printf("samples "
		    "cover %.0f %% of their span%s; %s",
		    100.0 * r->coverage_mean, span, conf));
	else
		sum_add(ts, "Data coverage", xstrdup("no samples"),
		    rtable_printf("today's power at idle or flat figures; %s",
		    conf));
	free(conf);
	free(span);
	sum_add(ts, "IT power", rtable_printf("%.1f to %.1f kW",
	    r->before.mean_w / 1000.0, r->after.mean_w / 1000.0),
	    rtable_printf("CO2 %.1f to %.1f t a year; %.0f to %.0f racks",
	    co2_kg_per_year(&r->cp, r->before.mean_w) / 1000.0,
	    co2_kg_per_year(&r->cp, r->after.mean_w) / 1000.0,
	    r->before.racks, r->after.racks));
}

/* "saves 1,234 EUR a year, 6,170 over 5 years" or "costs ... more" */
static char *
saving_phrase(const struct report *r)
{
	const struct report_money *m = &r->money;
	char a[64], b[64];

	return rtable_printf("%s %s %s a year%s, %s over %.0f years",
	    m->saving_total >= 0 ? "saves" : "costs",
	    report_amount(fabs(m->saving_year), a, sizeof(a)), r->currency,
	    m->saving_total >= 0 ? "" : " more than today",
	    report_amount(fabs(m->saving_total), b, sizeof(b)),
	    r->cp.horizon_years);
}

/* " The data: ..." after the headline: how far the plan can be trusted */
static char *
data_phrase(const struct report *r)
{
	char days[64] = "";

	if (!isfinite(r->confidence_min))
		return xstrdup("");
	if (isfinite(r->days_min))
		snprintf(days, sizeof(days), ", the shortest span of data %.2f "
		    "days", r->days_min);
	return rtable_printf(" %s: weakest confidence %.2f, %zu of %zu guest%s "
	    "under 0.5%s.", r->low_confidence > 0 ? "Too little data behind "
	    "part of it" : "The data", r->confidence_min, r->low_confidence,
	    r->nvirtualized, S(r->nvirtualized), days);
}

static void
summary_build(struct rtables *ts, const struct report *r)
{
	char pb[64], *saving = saving_phrase(r), *data = data_phrase(r);
	int month = r->money.payback_month;

	summary_plan(ts, r);
	summary_money(ts, r);
	summary_data(ts, r);
	ts->headline = rtable_printf("Moving %zu server%s onto %zu host%s (%zu "
	    "kept physical, %zu retired) %s; %s%s.%s", r->nvirtualized,
	    S(r->nvirtualized), r->plan->nhosts, S(r->plan->nhosts), r->nkept,
	    r->nretired, saving, month < 0 ? "the investment does not pay back within the horizon"
	    : "the investment pays back in ", month < 0 ? "" :
	    report_payback_text(month, r->cp.horizon_years, pb, sizeof(pb)),
	    data);
	free(saving);
	free(data);
}

/* ------------------------------------------------------------- cost */

static void
cost_table(struct rtables *ts, const struct report *r)
{
	const struct report_money *m = &r->money;
	const char *cur = r->currency;
	struct rtable *t;
	struct cell *c;
	char *units;
	int k;

	units = rtable_printf("|%s/year|%s/year|%s|%s|%s", cur, cur, cur, cur,
	    cur);
	t = rtables_add(ts, S_COST, "cost", rtable_printf("Cost by category, "
	    "before and after (%s)", cur), rtable_printf("Category|Before, per "
	    "year|After, per year|Before, %.0f years|After, %.0f years|"
	    "Saving, %.0f years", r->cp.horizon_years, r->cp.horizon_years,
	    r->cp.horizon_years), units, "cost");
	free(units);
	for (k = 0; k < COST_N; k++) {
		c = rtable_add_row(t);
		cell_set_text(&c[0], cost_cat_table[k].label);
		cell_set_amount(&c[1], m->before_year.v[k]);
		if (k == COST_MIGRATION)
			cell_set_text(&c[2], "one-off");
		else
			cell_set_amount(&c[2], m->after_year.v[k]);
		cell_set_amount(&c[3], m->before_total.v[k]);
		cell_set_amount(&c[4], m->after_total.v[k]);
		cell_set_amount(&c[5], m->before_total.v[k] - m->after_total.v[k]);
	}
	c = rtable_add_row(t);
	cell_set_text(&c[0], "Total");
	cell_set_amount(&c[1], cost_breakdown_total(&m->before_year));
	cell_set_amount(&c[2], cost_breakdown_total(&m->after_year));
	cell_set_amount(&c[3], cost_breakdown_total(&m->before_total));
	cell_set_amount(&c[4], cost_breakdown_total(&m->after_total));
	cell_set_amount(&c[5], m->saving_total);
	t->total = true;
	t->note = rtable_printf("Before: the %zu assessed server%s as they run "
	    "now. After: the %zu planned host%s, purchase amortised %s over "
	    "%.0f years, plus %zu server%s kept physical; %zu retired "
	    "server%s switched off. Migration is paid once.%s",
	    r->nservers - r->nvm, S(r->nservers - r->nvm), r->nhosts,
	    S(r->nhosts), r->cp.interest_pct > 0 ? "with a capital recovery "
	    "factor" : "straight-line", r->cp.amortisation_years, r->nkept,
	    S(r->nkept), r->nretired, S(r->nretired), plan_count_existing(
	    r->plan) > 0 ? " The existing hosts run before and after, their "
	    "purchase sunk; their guests today are counted with them, not as "
	    "servers, and do not migrate." : "");
}

static void
years_table(struct rtables *ts, const struct report *r)
{
	const char *cur = r->currency;
	struct rtable *t;
	struct cell *c;
	char *units, pb[64];
	int i;

	units = rtable_printf("year|%s|%s|%s|%s|%s|%s", cur, cur, cur, cur, cur,
	    cur);
	t = rtables_add(ts, S_COST, "years", rtable_printf("Year by year (%s)",
	    cur), xstrdup("Year|Before|After, amortised|Saving|Cumulative "
	    "saving|After, cash|Cumulative cash saving"), units, NULL);
	free(units);
	for (i = 0; i < r->nyears; i++) {
		c = rtable_add_row(t);
		cell_set_num(&c[0], r->years[i].year, 0);
		cell_set_amount(&c[1], r->years[i].before);
		cell_set_amount(&c[2], r->years[i].after);
		cell_set_amount(&c[3], r->years[i].saving);
		cell_set_amount(&c[4], r->years[i].cumulative);
		cell_set_amount(&c[5], r->years[i].cash_after);
		cell_set_amount(&c[6], r->years[i].cash_cumulative);
	}
	t->note = rtable_printf("Cash: hosts are paid when bought (and bought "
	    "again every %.0f years), migration in year 1, running costs "
	    "month by month. Payback: %s.", r->cp.amortisation_years,
	    report_payback_text(r->money.payback_month, r->cp.horizon_years,
	    pb, sizeof(pb)));
}

/* -------------------------------------------------------- footprint */

static void
fp_row(struct rtable *t, const char *what, double before, double after,
    int decimals)
{
	struct cell *c = rtable_add_row(t);

	cell_set_text(&c[0], what);
	cell_set_num(&c[1], before, decimals);
	cell_set_num(&c[2], after, decimals);
	cell_set_num(&c[3], after - before, decimals);
}

static void
footprint_table(struct rtables *ts, const struct report *r)
{
	const struct cost_params *cp = &r->cp;
	const struct report_side *b = &r->before, *a = &r->after;
	struct rtable *t;
	char *what;

	t = rtables_add(ts, S_POWER, "footprint", xstrdup("Power, cooling, "
	    "space and CO2"), xstrdup("Figure|Before|After|Change"), "|||",
	    "power");
	fp_row(t, "Physical machines", b->machines, a->machines, 0);
	fp_row(t, "IT power, mean (kW)", b->mean_w / 1e3, a->mean_w / 1e3, 2);
	fp_row(t, "IT power, peak hour (kW)", b->peak_w / 1e3,
	    a->peak_w / 1e3, 2);
	what = rtable_printf("Facility power, mean, x PUE %.2f (kW)", cp->pue);
	fp_row(t, what, b->mean_w * cp->pue / 1e3, a->mean_w * cp->pue / 1e3,
	    2);
	free(what);
	fp_row(t, "Energy, facility (MWh per year)",
	    energy_kwh_per_year(cp, b->mean_w) / 1e3,
	    energy_kwh_per_year(cp, a->mean_w) / 1e3, 1);
	fp_row(t, "Cooling load, peak hour (kW)", b->peak_w / 1e3,
	    a->peak_w / 1e3, 2);
	fp_row(t, "Cooling load, peak hour (BTU/h)", cooling_btu_per_h(
	    b->peak_w), cooling_btu_per_h(a->peak_w), 0);
	fp_row(t, "Cooling load, peak hour (tons of refrigeration)",
	    cooling_tons(b->peak_w), cooling_tons(a->peak_w), 2);
	fp_row(t, "Rack units (U)", b->rack_units, a->rack_units, 1);
	what = rtable_printf("Racks of %.0f U", cp->rack_units_per_rack);
	fp_row(t, what, b->racks, a->racks, 0);
	free(what);
	fp_row(t, "CO2 (t per year)", co2_kg_per_year(cp, b->mean_w) / 1e3,
	    co2_kg_per_year(cp, a->mean_w) / 1e3, 2);
	t->note = rtable_printf("Cooling load is the heat of the IT power (1 W "
	    "= 3.412142 BTU/h, 1 ton = 12,000 BTU/h), sized at the busiest "
	    "hour of the day; the facility's own overhead is in the PUE. "
	    "CO2 at %g g/kWh of facility energy.", cp->co2_g_per_kwh);
}

static void
sensitivity_table(struct rtables *ts, const struct report *r)
{
	const char *cur = r->currency;
	const struct report_sens *s;
	struct rtable *t;
	struct cell *c;
	char *units, pb[64];
	size_t i;

	units = rtable_printf("||%s/year|%s|", cur, cur);
	t = rtables_add(ts, S_SENS, "sensitivity", rtable_printf("Sensitivity: one "
	    "assumption changed at a time (%s)", cur), xstrdup("Case|Value|"
	    "Saving per year|Saving over the horizon|Payback"), units, NULL);
	free(units);
	for (i = 0; i < r->nsens; i++) {
		s = &r->sens[i];
		c = rtable_add_row(t);
		cell_set_text(&c[0], s->what);
		cell_set_text(&c[1], s->value);
		cell_set_amount(&c[2], s->money.saving_year);
		cell_set_amount(&c[3], s->money.saving_total);
		cell_set_text(&c[4], report_payback_text(s->money.payback_month,
		    strncmp(s->what, "horizon", 7) == 0 ? atof(s->value) :
		    r->cp.horizon_years, pb, sizeof(pb)));
	}
}

/* ------------------------------------------------------------ hosts */

/* does some host of the plan belong to a trust zone? */
static bool
plan_has_zones(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nhosts; i++)
		if (p->hosts[i].zone != NULL)
			return true;
	return false;
}

static void
hosts_table(struct rtables *ts, const struct report *r,
    const struct report_charts *ch)
{
	const struct plan_host *ph;
	struct rtable *t;
	struct cell *c;
	char *units;
	size_t i, busy = 0, col;
	bool zones = plan_has_zones(r->plan), doms = r->plan->ndomains > 0,
	    exist = plan_count_existing(r->plan) > 0,
	    stor = r->plan->storage_size != NULL;
	char spare[64];

	units = rtable_printf("||count|count|GiB|%%|%%|W|%s/year|%s%s%s%s",
	    r->currency, zones ? "|" : "", doms ? "|" : "", exist ? "|" : "",
	    stor ? "|GiB|GiB" : "");
	t = rtables_add(ts, S_HOSTS, "hosts", xstrdup("Planned hosts"),
	    rtable_printf("Host|Model|Guests|vCPUs|Memory committed (GiB)|CPU "
	    "mean (%%)|CPU peak slot (%%)|Power, mean (W)|Cost per year "
	    "(%s)|Spare%s%s%s%s", r->currency, zones ? "|Zone" : "", doms ?
	    "|Domain" : "", exist ? "|Existing" : "", stor ? "|Storage "
	    "committed (GiB)|Storage limit (GiB)" : ""), units, "host-");
	spare_kind(r->plan, spare, sizeof(spare) - 8);
	strcat(spare, " spare");
	free(units);
	for (i = 0; i < r->nhosts; i++) {
		ph = r->hosts[i].ph;
		c = rtable_add_row(t);
		cell_set_text(&c[0], ph->name);
		cell_set_text(&c[1], ph->model);
		cell_set_num(&c[2], (double)ph->nguests, 0);
		cell_set_num(&c[3], ph->vcpus, 0);
		cell_set_num(&c[4], ph->mem_committed_mib / 1024.0, 1);
		cell_set_num(&c[5], r->hosts[i].util_mean_pct, 1);
		cell_set_num(&c[6], r->hosts[i].util_peak_pct, 1);
		cell_set_num(&c[7], r->hosts[i].mean_w, 0);
		cell_set_amount(&c[8], r->hosts[i].cost_per_year);
		cell_set_text(&c[9], ph->spare ? spare : "");
		col = 10;
		if (zones)
			cell_set_text(&c[col++], ph->zone != NULL ? ph->zone :
			    "(none)");
		if (doms)
			cell_set_text(&c[col++], ph->domain);
		if (exist)
			cell_set_text(&c[col++], ph->existing ? "yes, no purchase" :
			    "new");
		if (stor) {
			cell_set_num(&c[col++], ph->storage_committed_gib, 1);
			cell_set_num(&c[col], ph->storage_limit_gib, 1);
		}
	}
	for (i = 0; i < r->nhosts; i++)
		busy += r->hosts[i].ph->nguests > 0;
	t->note = rtable_printf("CPU is the plan's predicted demand per slot "
	    "(%s, summed) over the host's capacity; the headroom limit is "
	    "%.0f %% of capacity. Power is the host's 11-point curve at that "
	    "load, averaged over the slots.%s", r->plan->sizing != NULL ?
	    r->plan->sizing : "the sizing percentile of each guest",
	    100.0 * (1.0 -
	    r->plan->headroom[RES_CPU]), ch != NULL && ch->hosts_charted > 0
	    && ch->hosts_charted < busy ? " Charts follow for the hosts with the highest predicted "
	    "peak, one per host up to a limit; the heat map shows all." : "");
}

static void
contention_table(struct rtables *ts, const struct report *r)
{
	const struct plan_contention *k;
	struct rtable *t;
	struct cell *c;
	size_t i;

	t = rtables_add(ts, S_HOSTS, "contention", xstrdup("Contention the "
	    "model predicts per host"), xstrdup("Host|CPU ready, mean (%)|"
	    "CPU ready, worst slot (%)|Slots over the limit (%)|P(CPU over "
	    "the limit) (%)|Multiplexing gain|Memory overcommit|Swap risk "
	    "(%)|Disk, peak (%)|Network, peak (%)"),
	    "|%|%|%|%|ratio|ratio|%|%|%", "contention");
	for (i = 0; i < r->nhosts; i++) {
		k = &r->hosts[i].ph->contention;
		c = rtable_add_row(t);
		cell_set_text(&c[0], r->hosts[i].ph->name);
		cell_set_num(&c[1], k->cpu_ready_pct, 2);
		cell_set_num(&c[2], k->cpu_ready_max_pct, 2);
		cell_set_num(&c[3], k->overload_pct, 2);
		cell_set_num(&c[4], k->overload_gauss_pct, 2);
		cell_set_num(&c[5], k->mux_gain, 2);
		cell_set_num(&c[6], k->mem_overcommit, 2);
		cell_set_num(&c[7], k->swap_risk_pct, 2);
		cell_set_num(&c[8], k->disk_util_pct, 1);
		cell_set_num(&c[9], k->net_util_pct, 1);
	}
	t->note = rtable_printf("CPU ready is the share of time a vCPU waits "
	    "for a physical CPU; the target is under 5 %%. '-': the model had "
	    "nothing to say (no capacity given for that resource).%s",
	    r->nhosts > 0 && !report_contention_any(r) ? " No host has any "
	    "ready time, overload or swap risk predicted: there is no chart "
	    "of them." : "");
}

static void
hours_table(struct rtables *ts, const struct report *r)
{
	struct strbuf heads = STRBUF_INIT, units = STRBUF_INIT;
	struct rtable *t;
	struct cell *c;
	size_t i;
	int h;

	strbuf_addstr(&heads, "Host");
	for (h = 0; h < REPORT_HOURS; h++) {
		strbuf_addf(&heads, "|%02d", h);
		strbuf_addstr(&units, "|%");
	}
	t = rtables_add(ts, S_HOSTS, "host-hours", rtable_printf("Mean predicted CPU "
	    "by hour of day, %s (%% of capacity)", tz_name()),
	    strbuf_detach(&heads),
	    units.buf, "heatmap");
	for (i = 0; i < r->nhosts; i++) {
		c = rtable_add_row(t);
		cell_set_text(&c[0], r->hosts[i].ph->name);
		for (h = 0; h < REPORT_HOURS; h++)
			cell_set_num(&c[h + 1], r->hosts[i].hour_util_pct[h], 0);
	}
	strbuf_release(&heads);
	strbuf_release(&units);
}

/* ----------------------------------------------------------- guests */

static void
guests_table(struct rtables *ts, const struct report *r)
{
	const struct plan *p = r->plan;
	const struct plan_guest *g;
	struct rtable *t;
	struct cell *c;
	size_t i;

	t = rtables_add(ts, S_GUESTS, "guests", xstrdup("Guests and why each "
	    "is where it is"), xstrdup("Guest|Host|vCPUs|Memory (GiB)|CPU "
	    "peak (CU)|Confidence|Group|Why this host"),
	    "||count|GiB|CU|0-1||", "guest-sizes");
	for (i = 0; i < p->nguests; i++) {
		g = &p->guests[i];
		c = rtable_add_row(t);
		cell_set_text(&c[0], g->name);
		cell_set_text(&c[1], plan_guest_host(p, g) != NULL ?
		    plan_guest_host(p, g)->name : NULL);
		cell_set_num(&c[2], g->vcpus, 0);
		cell_set_num(&c[3], g->mem_mib / 1024.0, 2);
		cell_set_num(&c[4], g->peak[RES_CPU], 3);
		cell_set_num(&c[5], g->confidence, 2);
		cell_set_text(&c[6], g->group);
		cell_set_text(&c[7], g->why);
	}
}

static void
servers_table(struct rtables *ts, const struct report *r)
{
	const struct report_server *s;
	struct rtable *t;
	struct cell *c;
	char *units;
	size_t i;

	units = rtable_printf("|||%%|%%|count|W|%s/year|", r->currency);
	t = rtables_add(ts, S_SERVERS, "servers", rtable_printf("Servers as they "
	    "run now (%s)", r->currency), rtable_printf("Server|Decision|Power "
	    "model|CPU measured, mean (%%)|Coverage (%%)|Samples|Power, mean "
	    "(W)|Cost per year (%s)|Host, or why not virtualized",
	    r->currency), units, NULL);
	free(units);
	for (i = 0; i < r->nservers; i++) {
		s = &r->servers[i];
		c = rtable_add_row(t);
		cell_set_text(&c[0], s->name);
		cell_set_text(&c[1], plan_decision_names[s->decision]);
		if (s->power.source == POWER_CLASS)
			c[2].text = rtable_printf("class %s", s->power.cls->name);
		else
			c[2].text = xstrdup(power_source_names[
			    s->power.source]);
		c[2].kind = CELL_TEXT;
		cell_set_num(&c[3], s->util_mean_pct, 1);
		cell_set_num(&c[4], 100.0 * s->coverage, 1);
		cell_set_num(&c[5], (double)s->nsamples, 0);
		cell_set_num(&c[6], s->mean_w, 1);
		cell_set_amount(&c[7], s->cost_per_year);
		cell_set_text(&c[8], s->host != NULL ? s->host : s->reason);
	}
	t->note = rtable_printf("Power model: inventory (idle and max watts, "
	    "linear in the load), flat (server_power_w, %g W) or class (a "
	    "SPECpower curve by socket count). A server without samples is "
	    "counted at its idle power.", r->cp.server_power_w);
}

/* ----------------------------------------------------------- bounds */

static void
bound_row(struct rtable *t, const char *what, double v, int decimals)
{
	struct cell *c = rtable_add_row(t);

	cell_set_text(&c[0], what);
	cell_set_num(&c[1], v, decimals);
}

/* " Then balanced: ...", or "" */
static const char *
balance_note(const struct plan *p)
{
	if (p->balance.objective == NULL)
		return "";
	if (strcmp(p->balance.objective, "peak") != 0)
		return " The hosts were not balanced ([placement] balance = "
		    "none): the first are the fullest.";
	return " Then the load was spread over the hosts, highest peak first "
	    "([placement] balance = peak), with no host added.";
}

/* the hosts' peaks before and after balancing */
static void
balance_rows(struct rtables *ts, const struct plan *p)
{
	const struct plan_balance *b = &p->balance;
	struct rtable *t;
	struct cell *c;

	if (!isfinite(b->peak_pct))
		return;
	t = rtables_add(ts, S_PLAN, "balance", xstrdup("The load spread over "
	    "the hosts"), xstrdup("Figure|Before|After"), "|%|%", NULL);
	c = rtable_add_row(t);
	cell_set_text(&c[0], "Highest host peak, % of its limit");
	cell_set_num(&c[1], b->peak_before_pct, 1);
	cell_set_num(&c[2], b->peak_pct, 1);
	c = rtable_add_row(t);
	cell_set_text(&c[0], "Highest less lowest host peak, points");
	cell_set_num(&c[1], b->spread_before_pct, 1);
	cell_set_num(&c[2], b->spread_pct, 1);
	t->note = rtable_printf("%zu guest%s moved to balance the hosts.",
	    b->moves, S(b->moves));
}

static void
bounds_table(struct rtables *ts, const struct report *r)
{
	const struct plan *p = r->plan;
	const struct plan_bounds *b = &p->bounds;
	struct rtable *t;
	struct cell *c;
	char spares[64];

	t = rtables_add(ts, S_PLAN, "bounds", xstrdup("The plan against lower "
	    "bounds on the host count"), xstrdup("Figure|Hosts"), "|hosts",
	    NULL);
	bound_row(t, "Hosts in the plan, spares left out",
	    (double)(r->nhosts - r->nspares), 0);
	spare_kind(p, spares, sizeof(spares) - 8);
	strcat(spares, " spares");
	bound_row(t, spares, (double)r->nspares, 0);
	bound_row(t, "Hosts with peak-based sizing", p->peak_hosts > 0 ?
	    (double)p->peak_hosts : NAN, 0);
	bound_row(t, "Continuous bound (per resource and slot)",
	    b->continuous, 0);
	bound_row(t, "Martello-Toth L2 bound", b->l2_max, 0);
	bound_row(t, "Clique bound", b->clique, 0);
	if (isfinite(b->zones))
		bound_row(t, "Trust zones (each zone's bound, summed)",
		    b->zones, 0);
	bound_row(t, "Static limits (vCPU, memory, guests)", b->other, 0);
	bound_row(t, "Lower bound (the largest)", b->lower, 0);
	bound_row(t, "LP bound (--exact)", b->lp, 0);
	bound_row(t, "Proved optimum", b->optimum, 0);
	c = rtable_add_row(t);
	cell_set_text(&c[0], "Gap to the lower bound (%)");
	cell_set_num(&c[1], b->gap_pct, 1);
	t->note = rtable_printf("Found by %s; local search: %s.%s", p->packer !=
	    NULL ? p->packer : "-", p->search != NULL ? p->search : "-",
	    balance_note(p));
	balance_rows(ts, p);
}

/* ------------------------------------------------------------ backtest */

static double
pct_of(size_t part, size_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : NAN;
}

static char *
bt_time(int64_t ms)
{
	char ts[TIME_RFC3339_LEN];

	if (ms == INT64_MIN || ms == INT64_MAX)
		return xstrdup("-");
	time_format_rfc3339(ms, ts);
	return xstrdup(ts);
}

static void
bt_row(struct rtable *t, const char *what, double v, int decimals)
{
	struct cell *c = rtable_add_row(t);

	cell_set_text(&c[0], what);
	cell_set_num(&c[1], v, decimals);
}

/* the measured totals, one figure a row */
static void
backtest_summary(struct rtables *ts, const struct backtest *bt)
{
	char *a = bt_time(bt->from_ms), *b = bt_time(bt->split_ms),
	    *c = bt_time(bt->until_ms), *a2;
	struct rtable *t;
	int r;

	t = rtables_add(ts, S_BACKTEST, "backtest", xstrdup("Measured after "
	    "the split"), xstrdup("Figure|Value"), "|", NULL);
	bt_row(t, "Days planned on", (double)(bt->split_ms - bt->from_ms) /
	    86400000.0, 2);
	bt_row(t, "Days judged", (double)(bt->until_ms - bt->split_ms) /
	    86400000.0, 2);
	bt_row(t, "Hosts judged", (double)bt->nhosts, 0);
	bt_row(t, "Host-slots judged", (double)bt->host_slots, 0);
	bt_row(t, "Host-slots over the limit (%)", pct_of(bt->over_limit,
	    bt->host_slots), 4);
	bt_row(t, "Host-slots over capacity (%)", pct_of(bt->over_capacity,
	    bt->host_slots), 4);
	bt_row(t, "Guest-slots above the guest's memory",
	    (double)bt->mem_over_committed, 0);
	for (r = 0; r < RES_N; r++)
		if (!isnan(bt->res_peak_pct[r])) {
			a2 = rtable_printf("Worst peak of %s (%% of capacity)",
			    resource_table[r].name);
			bt_row(t, a2, bt->res_peak_pct[r], 1);
			free(a2);
		}
	t->note = rtable_printf("Planned on %s to %s%s, judged on %s to %s in "
	    "slots of %g s: each guest's samples averaged per slot and summed "
	    "per host, independently of the plan's sizing (%s). %zu servers had "
	    "samples after the split; %zu of them were not placed.", a, b,
	    bt->oracle ? " (with foresight: the judged days themselves)" : "",
	    b, c, bt->slot_s, bt->sizing != NULL ? bt->sizing : "?",
	    bt->servers, bt->unplaced);
	free(a);
	free(b);
	free(c);
}

/* per host and resource: measured beside predicted */
static void
backtest_hosts(struct rtables *ts, const struct backtest *bt)
{
	const struct backtest_host *h;
	struct rtable *t;
	struct cell *c;
	size_t i;
	int r;

	t = rtables_add(ts, S_BACKTEST, "backtest-hosts", xstrdup("Each host, "
	    "measured and predicted"), xstrdup("Host: resource|Guests|Slots|"
	    "Over the limit|Over capacity|Peak|Predicted|Predicted, "
	    "Gaussian"), "|||%|%|% of capacity|%|%", NULL);
	for (i = 0; i < bt->nhosts; i++) {
		h = &bt->hosts[i];
		for (r = 0; r < RES_N; r++) {
			if (!h->res[r].judged)
				continue;
			c = rtable_add_row(t);
			c[0].kind = CELL_TEXT;
			c[0].text = rtable_printf("%s: %s", h->name,
			    resource_table[r].name);
			cell_set_num(&c[1], (double)h->nguests, 0);
			cell_set_num(&c[2], (double)h->slots, 0);
			cell_set_num(&c[3], pct_of(h->res[r].over_limit, h->slots), 3);
			cell_set_num(&c[4], pct_of(h->res[r].over_capacity, h->slots), 3);
			cell_set_num(&c[5], 100 * h->res[r].peak / h->res[r].capacity, 1);
			cell_set_num(&c[6], h->res[r].predicted_pct, 3);
			cell_set_num(&c[7], h->res[r].predicted_gauss_pct, 3);
		}
	}
	t->note = xstrdup("Predicted is the plan's own share of slots over "
	    "the limit, over the slots it was planned on (CPU), empirical and "
	    "Gaussian: out of sample it is 0 by construction where the plan "
	    "kept every slot under the limit.");
}

static void
backtest_tables(struct rtables *ts, const struct report *r)
{
	if (r->bt == NULL)
		return;
	backtest_summary(ts, r->bt);
	backtest_hosts(ts, r->bt);
}

static void
assumptions_table(struct rtables *ts, const struct report *r)
{
	struct rtable *t;
	struct cell *c;
	size_t i;

	t = rtables_add(ts, S_ASSUME, "assumptions", xstrdup("Every assumption "
	    "and its source"), xstrdup("Assumption|Value|Source"), "||",
	    NULL);
	for (i = 0; i < r->nassumptions; i++) {
		c = rtable_add_row(t);
		cell_set_text(&c[0], r->assumptions[i].name);
		cell_set_text(&c[1], r->assumptions[i].value);
		cell_set_text(&c[2], r->assumptions[i].source);
	}
}

/* ------------------------------------------------- validation (-V) */

static void
kv_row(struct rtable *t, const char *k, char *v)
{
	struct cell *c = rtable_add_row(t);

	cell_set_text(&c[0], k);
	cell_set_text(&c[1], v);
	free(v);
}

static void
validation_summary(struct rtables *ts, const struct validation_set *vs)
{
	const struct validation *v = &vs->runs[0];
	const struct validation_summary *s = &vs->sum;
	struct rtable *t;
	char work[256];

	t = rtables_add(ts, S_VALID, "validation", xstrdup(vs->sweep ?
	    "The model's sweep: predicted against measured CPU ready" :
	    "Predicted against measured CPU ready"), xstrdup("What|Value"),
	    "|", NULL);
	kv_row(t, "Hypervisor", rtable_printf("%s%s%s; libvirt %s, QEMU %s",
	    strcmp(v->hypervisor, "kvm") == 0 ? "KVM" : "QEMU TCG (software "
	    "emulation)", *v->hypervisor_why != '\0' ? ": KVM not used: " :
	    "", v->hypervisor_why, v->libvirt_version, v->qemu_version));
	if (v->kernel != NULL && v->kernel_boot != NULL)
		kv_row(t, "Guest kernel", rtable_printf("%s: %s", v->kernel,
		    v->kernel_boot));
	if (!vs->sweep && v->plan_host != NULL)
		kv_row(t, "Planned host", rtable_printf("%s (%s), %.4g CU per "
		    "logical CPU", v->plan_host, v->model, v->cu_per_cpu));
	if (!vs->sweep && v->scaling != NULL)
		kv_row(t, v->scaled ? "Scaled replica" : "Guests run",
		    xstrdup(v->scaling));
	if (vs->sweep)
		kv_row(t, "Runs", rtable_printf("%zu: N one-vCPU guests on c "
		    "pinned CPUs, constant and traced demand", vs->nruns));
	kv_row(t, "Test CPUs", rtable_printf("%s; calibration %.0f loop "
	    "iterations per ms", v->cpus, v->loops_per_ms));
	kv_row(t, "Slots", rtable_printf("%zu counted, %zu left out (foreign "
	    "load over %.0f %%); %.0f s each, the first %.0f s not measured",
	    s->slots_used, s->slots_left_out, v->foreign_max_pct, v->slot_s,
	    v->skip_s));
	kv_row(t, "Error of the ready %, guest-slots", rtable_printf("%zu "
	    "points: median %.2f, p90 %.2f, max %.2f points; bias %+.2f",
	    s->points, s->median_abs_pts, s->p90_abs_pts, s->max_abs_pts,
	    s->bias_pts));
	kv_row(t, "Error per slot (host means)", rtable_printf("median %.2f, "
	    "p90 %.2f points", s->slot_median_abs_pts, s->slot_p90_abs_pts));
	if (isfinite(s->plain_median_abs_pts))
		kv_row(t, "Error without the overheads measured", rtable_printf(
		    "median %.2f, p90 %.2f points", s->plain_median_abs_pts,
		    s->plain_p90_abs_pts));
	if (!vs->sweep && (v->share_overhead_pct > 0 ||
	    v->vm_overhead_pct > 0))
		kv_row(t, "Overheads measured", rtable_printf("the hypervisor "
		    "%.1f %% of a vCPU's work; time-sharing %.1f %%",
		    v->vm_overhead_pct, v->share_overhead_pct));
	if (validation_work_text(s, work, sizeof(work)))
		kv_row(t, "Work replayed", xstrdup(work));
	kv_row(t, "Verdict", rtable_printf("%s: the median error is %s the "
	    "tolerance of %.2f points", s->points == 0 ? "nothing measured" :
	    s->pass ? "pass" : "FAIL", s->pass ? "within" : "over",
	    s->tolerance_pts));
	t->note = xstrdup("capplan validate booted the guests on libvirt, "
	    "replayed their recorded demand and read each vCPU's ready time "
	    "(libvirt's vcpu.N.delay); the prediction is the model's for "
	    "the same guests on the same CPUs.  Error = predicted - "
	    "measured, in percentage points.");
}

static void
validation_slots(struct rtables *ts, const struct validation_set *vs)
{
	const struct validation_slot *sl;
	struct rtable *t;
	struct cell *c;
	size_t i, k;

	t = rtables_add(ts, S_VALID, "validation-slots", xstrdup("Per slot: "
	    "demand, CPU achieved, ready measured and predicted"),
	    xstrdup(vs->sweep ? "Run, slot|Demand (CPUs)|Achieved (CPUs)|"
	    "Foreign load (%)|Ready, measured (%)|Ready, predicted (%)|Error "
	    "(points)|Counted" : "Slot|Demand (CPUs)|Achieved (CPUs)|Foreign "
	    "load (%)|Ready, measured (%)|Ready, predicted (%)|Error "
	    "(points)|Counted"), "|CPUs|CPUs|%|%|%|points|", "validation");
	for (i = 0; i < vs->nruns; i++)
		for (k = 0; k < vs->runs[i].nslots; k++) {
			sl = &vs->runs[i].slots[k];
			c = rtable_add_row(t);
			if (vs->sweep)
				c[0].text = rtable_printf("%s, %s", vs->runs[i].name,
				    sl->label);
			c[0].kind = CELL_TEXT;
			if (!vs->sweep)
				c[0].text = xstrdup(sl->label);
			cell_set_num(&c[1], sl->demand_cpus, 3);
			cell_set_num(&c[2], sl->achieved_cpus, 3);
			cell_set_num(&c[3], sl->foreign_pct, 1);
			cell_set_num(&c[4], sl->ready_pct, 2);
			cell_set_num(&c[5], sl->predicted_pct, 2);
			cell_set_num(&c[6], sl->predicted_pct - sl->ready_pct, 2);
			cell_set_text(&c[7], sl->used ? "yes" : sl->left_out);
		}
}

static void
validation_guests(struct rtables *ts, const struct validation *v)
{
	const struct validation_point *p;
	struct rtable *t;
	struct cell *c;
	size_t g, k;

	t = rtables_add(ts, S_VALID, "validation-guests", xstrdup("Per guest "
	    "and slot"), xstrdup("Slot|Guest|Demand (%)|Work done (%)|"
	    "Achieved (%)|Ready, measured (%)|Ready, predicted (%)|Error "
	    "(points)"), "||%|%|%|%|%|points", NULL);
	for (k = 0; k < v->nslots; k++)
		for (g = 0; g < v->nguests; g++) {
			p = &v->points[g * v->nslots + k];
			c = rtable_add_row(t);
			cell_set_text(&c[0], v->slots[k].label);
			cell_set_text(&c[1], v->guests[g].name);
			cell_set_num(&c[2], p->demand_pct, 1);
			cell_set_num(&c[3], p->work_pct, 1);
			cell_set_num(&c[4], p->achieved_pct, 1);
			cell_set_num(&c[5], p->ready_pct, 2);
			cell_set_num(&c[6], p->predicted_pct, 2);
			cell_set_num(&c[7], p->predicted_pct - p->ready_pct, 2);
		}
	t->note = xstrdup("Per vCPU, in % of one test CPU: the demand it "
	    "would use alone, the work it reports done, the vCPU time it "
	    "got, and the time it waited for a CPU.");
}

static void
validation_tables(struct rtables *ts, const struct report *r)
{
	if (r->validation == NULL || r->validation->nruns == 0)
		return;
	validation_summary(ts, r->validation);
	validation_slots(ts, r->validation);
	if (!r->validation->sweep)
		validation_guests(ts, &r->validation->runs[0]);
}

void
rtables_build(struct rtables *ts, const struct report *r,
    const struct report_charts *c)
{
	memset(ts, 0, sizeof(*ts));
	ts->title = "Server consolidation report";
	ts->sub[ts->nsub++] = xstrdup(r->plan_path);
	ts->sub[ts->nsub++] = rtable_printf("%zu servers", r->nservers);
	ts->sub[ts->nsub++] = rtable_printf("%.0f-year horizon",
	    r->cp.horizon_years);
	ts->sub[ts->nsub++] = xstrdup(r->currency);
	ts->footer = "from the plan, inventory, host catalog, policy and "
	    "samples named under Assumptions";
	summary_build(ts, r);
	cost_table(ts, r);
	years_table(ts, r);
	footprint_table(ts, r);
	sensitivity_table(ts, r);
	hosts_table(ts, r, c);
	contention_table(ts, r);
	hours_table(ts, r);
	guests_table(ts, r);
	servers_table(ts, r);
	bounds_table(ts, r);
	report_waves_tables(ts, r);
	validation_tables(ts, r);
	backtest_tables(ts, r);
	assumptions_table(ts, r);
}
