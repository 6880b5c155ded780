/*
 * compare.c - scenarios side by side as tables (rtable.h).
 *
 * Table "scenarios": one row per figure, a column for today (the first
 * scenario's servers as they are, the before side of capplan report)
 * and one per scenario.  Units are in the row's label because a column
 * mixes them.  Table "policy": the settings each plan was made with and
 * the cost figures of its policy, only those that differ between the
 * scenarios; the ones they share are listed in a note, so a reader sees
 * at once why two plans differ.  Scenario names are the plans' paths:
 * user text, escaped by every renderer, and never parsed as a "|" list.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "reports/compare.h"
#include "reports/report_int.h"

#define S_SCEN "Scenarios side by side"
#define S_POLICY "What differs between them"

/* the report's worst non-spare host for a contention figure */
static double
worst_host(const struct report *r, size_t off)
{
	const struct plan_host *ph;
	double v, worst = NAN;
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		ph = r->hosts[i].ph;
		v = *(const double *)((const char *)&ph->contention + off);
		if (!ph->spare && isfinite(v) && !(v <= worst))
			worst = v;
	}
	return worst;
}

enum fig {
	FIG_MACHINES, FIG_HOSTS, FIG_SPARES, FIG_MODELS, FIG_DECISIONS,
	FIG_COST_YEAR, FIG_COST_TOTAL, FIG_PURCHASE, FIG_SAVING, FIG_PAYBACK,
	FIG_POWER, FIG_COOLING, FIG_RACKS, FIG_CO2, FIG_OVERLOAD, FIG_READY,
	FIG_BOUND, FIG_GAP, FIG_N
};

static const char *const fig_labels[FIG_N] = {
	"Physical machines", "Hosts with guests", "N+1 spares",
	"Host models", "Servers virtualized / kept / retired",
	"Cost per year (%s)", "Cost over the horizon (%s)",
	"Hosts' purchase (%s)", "Saving over the horizon (%s)", "Payback",
	"IT power, mean (kW)", "Cooling load, peak hour (tons)", "Racks",
	"CO2 (t per year)", "Predicted overload, worst host (%% of slots)",
	"CPU ready, worst host (%% mean per vCPU)", "Lower bound (hosts)",
	"Gap to the lower bound (%%)",
};

/* figure k of today (before side of r) */
static void
fig_today(struct cell *c, const struct report *r, enum fig k)
{
	const struct report_money *m = &r->money;

	switch (k) {
	case FIG_MACHINES: cell_set_num(c, r->before.machines, 0); break;
	case FIG_COST_YEAR:
		cell_set_amount(c, cost_breakdown_total(&m->before_year));
		break;
	case FIG_COST_TOTAL:
		cell_set_amount(c, cost_breakdown_total(&m->before_total));
		break;
	case FIG_POWER: cell_set_num(c, r->before.mean_w / 1e3, 2); break;
	case FIG_COOLING: cell_set_num(c, cooling_tons(r->before.peak_w), 2);
		break;
	case FIG_RACKS: cell_set_num(c, r->before.racks, 0); break;
	case FIG_CO2:
		cell_set_num(c, co2_kg_per_year(&r->cp, r->before.mean_w) /
		    1e3, 2);
		break;
	default: break;
	}
}

/* figure k of a scenario's money and plan */
static void
fig_plan(struct cell *c, const struct report *r, enum fig k)
{
	const struct report_money *m = &r->money;
	const struct plan *p = r->plan;
	char buf[64], *s;

	switch (k) {
	case FIG_MODELS:
		s = report_model_mix(r, "none");
		cell_set_text(c, s);
		free(s);
		break;
	case FIG_HOSTS:
		cell_set_num(c, (double)(r->nhosts - r->nspares), 0);
		break;
	case FIG_SPARES: cell_set_num(c, (double)r->nspares, 0); break;
	case FIG_DECISIONS:
		snprintf(buf, sizeof(buf), "%zu / %zu / %zu", r->nvirtualized,
		    r->nkept, r->nretired);
		cell_set_text(c, buf);
		break;
	case FIG_PURCHASE: cell_set_amount(c, m->purchase); break;
	case FIG_SAVING: cell_set_amount(c, m->saving_total); break;
	case FIG_PAYBACK:
		cell_set_text(c, report_payback_text(m->payback_month,
		    r->cp.horizon_years, buf, sizeof(buf)));
		break;
	case FIG_BOUND: cell_set_num(c, p->bounds.lower, 0); break;
	case FIG_GAP: cell_set_num(c, p->bounds.gap_pct, 1); break;
	default: break;
	}
}

/* figure k of a scenario: its after side, else fig_plan() */
static void
fig_after(struct cell *c, const struct report *r, enum fig k)
{
	const struct report_money *m = &r->money;

	switch (k) {
	case FIG_MACHINES: cell_set_num(c, r->after.machines, 0); break;
	case FIG_COST_YEAR:
		cell_set_amount(c, cost_breakdown_total(&m->after_year));
		break;
	case FIG_COST_TOTAL:
		cell_set_amount(c, cost_breakdown_total(&m->after_total));
		break;
	case FIG_POWER: cell_set_num(c, r->after.mean_w / 1e3, 2); break;
	case FIG_COOLING: cell_set_num(c, cooling_tons(r->after.peak_w), 2);
		break;
	case FIG_RACKS: cell_set_num(c, r->after.racks, 0); break;
	case FIG_CO2:
		cell_set_num(c, co2_kg_per_year(&r->cp, r->after.mean_w) /
		    1e3, 2);
		break;
	case FIG_OVERLOAD:
		cell_set_num(c, worst_host(r, offsetof(struct plan_contention,
		    overload_pct)), 2);
		break;
	case FIG_READY:
		cell_set_num(c, worst_host(r, offsetof(struct plan_contention,
		    cpu_ready_pct)), 2);
		break;
	default: fig_plan(c, r, k); break;
	}
}

/* how many columns a "|"-separated list names */
static size_t
cols_count(const char *s)
{
	size_t n = 1;

	for (; *s != '\0'; s++)
		n += *s == '|';
	return n;
}

/* a table whose columns after those of first are the scenarios' names */
static struct rtable *
table_scenarios(struct rtables *ts, const struct compare_set *cs,
    const char *section, const char *id, char *title, const char *first)
{
	struct strbuf heads = STRBUF_INIT, units = STRBUF_INIT;
	struct rtable *t;
	size_t i, n0;

	n0 = cols_count(first);
	strbuf_addstr(&heads, first);
	for (i = 1; i < n0; i++)
		strbuf_addch(&units, '|');
	for (i = 0; i < cs->n; i++) {
		strbuf_addstr(&heads, "|x");
		strbuf_addch(&units, '|');
	}
	strbuf_grow(&units, 0);
	t = rtables_add(ts, section, id, title, strbuf_detach(&heads),
	    units.buf, NULL);
	for (i = 0; i < cs->n; i++) {
		free(t->heads[n0 + i]);
		t->heads[n0 + i] = xstrdup(cs->sc[i].name);
	}
	strbuf_release(&units);
	return t;
}

static void
scenarios_table(struct rtables *ts, const struct compare_set *cs,
    const struct report_charts *c)
{
	const struct report *r0 = cs->sc[0].r;
	struct rtable *t;
	struct cell *row;
	char *label;
	size_t i;
	int k;

	t = table_scenarios(ts, cs, S_SCEN, "scenarios", xstrdup("Figures "
	    "by scenario, beside today's"), "Figure|Today");
	t->chart = charts_find(c, "compare") != NULL ? "compare" : NULL;
	for (k = 0; k < FIG_N; k++) {
		row = rtable_add_row(t);
		label = rtable_printf(fig_labels[k], r0->currency);
		cell_set_text(&row[0], label);
		free(label);
		fig_today(&row[1], r0, (enum fig)k);
		for (i = 0; i < cs->n; i++)
			fig_after(&row[2 + i], cs->sc[i].r, (enum fig)k);
	}
	t->note = rtable_printf("Today is the servers of the first plan as they "
	    "are now. Costs are the amortised view of capplan report, each "
	    "scenario at its own policy's prices and horizon; overload and "
	    "ready are the model's predictions for the worst host with guests; "
	    "the gap is to the plan's own lower bound on its host count.");
}

enum set {
	SET_POLICY, SET_RESOLUTION, SET_SIZING, SET_PERCENTILE,
	SET_HEADROOM_CPU, SET_HEADROOM_MEM, SET_VCPU, SET_MEMOC,
	SET_MAXGUESTS, SET_FAILURES, SET_TARGET, SET_PACKER, SET_GROWTH,
	SET_CURRENCY,
	SET_ENERGY, SET_PUE, SET_HORIZON, SET_CO2, SET_N
};

static const char *const set_labels[SET_N] = {
	"Policy file", "Time resolution", "Sizing", "Sizing percentile",
	"Headroom, CPU (fraction kept free)", "Headroom, memory (fraction)",
	"vCPUs per core at most", "Memory overcommit at most",
	"Guests per host at most", "Host failures covered (N+1)",
	"Target overload (% of slots)", "Packing heuristic kept",
	"Growth projected (months, its -c policy)", "Currency",
	"Energy price per kWh", "PUE", "Horizon (years)",
	"Grid CO2 (g/kWh)",
};

/* s, or "-" for NULL */
static void
add_str(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, s != NULL ? s : "-");
}

/* "%g" of v, or "-" for NaN */
static void
add_num(struct strbuf *sb, double v)
{
	if (isfinite(v))
		strbuf_addf(sb, "%g", v);
	else
		strbuf_addstr(sb, "-");
}

/* setting k of scenario s as text */
static void
set_text(struct strbuf *sb, const struct compare_scenario *s, enum set k)
{
	const struct plan *p = s->r->plan;
	const struct cost_params *cp = &s->r->cp;

	switch (k) {
	case SET_POLICY: strbuf_addstr(sb, s->policy_path != NULL ?
		    s->policy_path : "built-in defaults"); break;
	case SET_RESOLUTION: add_str(sb, p->resolution); break;
	case SET_SIZING: add_str(sb, p->sizing); break;
	case SET_PERCENTILE: add_num(sb, p->percentile); break;
	case SET_HEADROOM_CPU: add_num(sb, p->headroom[RES_CPU]); break;
	case SET_HEADROOM_MEM: add_num(sb, p->headroom[RES_MEM]); break;
	case SET_VCPU: add_num(sb, p->vcpu_per_pcpu); break;
	case SET_MEMOC: add_num(sb, p->mem_overcommit); break;
	case SET_MAXGUESTS:
		if (p->max_guests > 0)
			strbuf_addf(sb, "%ld", p->max_guests);
		else
			strbuf_addstr(sb, "no limit");
		break;
	case SET_FAILURES: strbuf_addf(sb, "%ld", p->host_failures); break;
	case SET_TARGET: add_num(sb, p->target_overload_pct); break;
	case SET_PACKER: add_str(sb, p->packer); break;
	case SET_GROWTH: strbuf_addf(sb, "%ld", s->pol->horizon_months); break;
	case SET_CURRENCY: add_str(sb, s->r->currency); break;
	case SET_ENERGY: add_num(sb, cp->energy_per_kwh); break;
	case SET_PUE: add_num(sb, cp->pue); break;
	case SET_HORIZON: add_num(sb, cp->horizon_years); break;
	case SET_CO2: add_num(sb, cp->co2_g_per_kwh); break;
	case SET_N: break;
	}
}

/* does setting k differ between the scenarios? */
static bool
set_differs(const struct compare_set *cs, enum set k)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	bool differs = false;
	size_t i;

	strbuf_grow(&a, 0);
	set_text(&a, &cs->sc[0], k);
	for (i = 1; i < cs->n && !differs; i++) {
		strbuf_reset(&b);
		strbuf_grow(&b, 0);
		set_text(&b, &cs->sc[i], k);
		differs = strcmp(a.buf, b.buf) != 0;
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return differs;
}

static void
policy_row(struct rtable *t, const struct compare_set *cs, enum set k)
{
	struct strbuf sb = STRBUF_INIT;
	struct cell *row = rtable_add_row(t);
	size_t i;

	cell_set_text(&row[0], set_labels[k]);
	for (i = 0; i < cs->n; i++) {
		strbuf_reset(&sb);
		strbuf_grow(&sb, 0);
		set_text(&sb, &cs->sc[i], k);
		cell_set_text(&row[1 + i], sb.buf);
	}
	strbuf_release(&sb);
}

static void
policy_table(struct rtables *ts, const struct compare_set *cs)
{
	struct strbuf same = STRBUF_INIT;
	struct rtable *t;
	int k;

	t = table_scenarios(ts, cs, S_POLICY, "policy", xstrdup("Settings "
	    "that differ"), "Setting");
	for (k = 0; k < SET_N; k++) {
		if (set_differs(cs, (enum set)k)) {
			policy_row(t, cs, (enum set)k);
			continue;
		}
		strbuf_addf(&same, "%s%s: ", same.len > 0 ? "; " : "",
		    set_labels[k]);
		set_text(&same, &cs->sc[0], (enum set)k);
	}
	if (t->nrows == 0)
		policy_row(t, cs, SET_POLICY);
	t->note = rtable_printf("%s%s.", t->nrows > 0 && same.len > 0 ?
	    "The same in every scenario: " : "", same.len > 0 ? same.buf :
	    "Every setting differs");
	strbuf_release(&same);
}

size_t
compare_cheapest(const struct compare_set *cs)
{
	size_t i, best = 0;
	double v, bv = INFINITY;

	for (i = 0; i < cs->n; i++) {
		v = cost_breakdown_total(&cs->sc[i].r->money.after_total);
		if (v < bv) {
			bv = v;
			best = i;
		}
	}
	return best;
}

size_t
compare_fewest_hosts(const struct compare_set *cs)
{
	size_t i, best = 0;

	for (i = 1; i < cs->n; i++)
		if (cs->sc[i].r->nhosts < cs->sc[best].r->nhosts)
			best = i;
	return best;
}

static char *
headline(const struct compare_set *cs)
{
	const struct compare_scenario *c = &cs->sc[compare_cheapest(cs)];
	const struct compare_scenario *f = &cs->sc[compare_fewest_hosts(cs)];
	char buf[64];

	report_amount(cost_breakdown_total(&c->r->money.after_total), buf,
	    sizeof(buf));
	return rtable_printf("%zu scenarios. The cheapest over its horizon is "
	    "%s at %s %s with %zu host%s; the fewest hosts, %zu, are %s's.",
	    cs->n, c->name, buf, c->r->currency, c->r->nhosts,
	    c->r->nhosts == 1 ? "" : "s", f->r->nhosts, f->name);
}

void
compare_build(struct rtables *ts, const struct compare_set *cs,
    const struct report_charts *c)
{
	size_t i;

	assert(cs->n > 0);
	memset(ts, 0, sizeof(*ts));
	ts->title = "Consolidation scenarios compared";
	for (i = 0; i < cs->n && ts->nsub < 8; i++)
		ts->sub[ts->nsub++] = xstrdup(cs->sc[i].name);
	ts->footer = "from the plans, inventory, host catalog and policies "
	    "named above";
	ts->headline = headline(cs);
	scenarios_table(ts, cs, c);
	policy_table(ts, cs);
}
