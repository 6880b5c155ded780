/*
 * compare.h - capplan compare: several plans (scenarios) side by side.
 *
 * Each scenario is one plan.json built into a struct report (report.c)
 * against the same host catalog and inventory, with its own policy or a
 * shared one.  compare.c turns them into two tables (rtable.h): the
 * figures a manager weighs (hosts, spares, cost per year and over the
 * horizon, payback, power, cooling, racks, CO2, predicted overload and
 * ready %, the bound gap) with a column per scenario beside today's, and
 * the settings in which the scenarios differ.  The same renderers as
 * capplan report print them; charts.c draws the one chart.
 */
#ifndef REPORTS_COMPARE_H
#define REPORTS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "reports/report.h"
#include "reports/rtable.h"

/* scenarios at most: a column each, and their names head the report */
#define COMPARE_MAX 8

struct compare_scenario {
	const char *name;		/* the plan's path, as given */
	const char *policy_path;	/* its policy, or NULL: built-in */
	const struct policy *pol;	/* that policy (borrowed) */
	const struct report *r;		/* borrowed */
};

struct compare_set {
	const struct compare_scenario *sc;
	size_t n;			/* 1 to COMPARE_MAX */
};

/* Build the tables of the scenarios in cs into ts (charts c may be NULL). */
void compare_build(struct rtables *ts, const struct compare_set *cs,
    const struct report_charts *c);

/*
 * The scenario index with the lowest cost over the horizon (ties: the
 * earlier) and the one with the fewest hosts, spares included.
 */
size_t compare_cheapest(const struct compare_set *cs);
size_t compare_fewest_hosts(const struct compare_set *cs);

/*
 * The one chart: each scenario's cost over its horizon by category beside
 * today's, as stacked bars.  As charts_write(): files in dir, gnuplot run
 * when render is set; c is filled even on failure.  -1 with the error.
 */
int charts_write_compare(struct report_charts *c, const struct compare_set *cs,
    const struct report_format *f, const char *dir, bool render);

#endif
