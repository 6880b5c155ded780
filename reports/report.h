/*
 * report.h - the consolidation report: every figure, computed once, and
 * the table of output formats that print it.
 *
 * report_build() turns a plan (planner/plan.h), the inventory, the host
 * catalog, the policy and optionally the servers' samples into a struct
 * report: the before and after sides (cost by category, power by hour of
 * day, heat, space, CO2), the year-by-year cash flow and payback, the
 * sensitivity table, per-host and per-server rows and the list of
 * assumptions with their sources.  The formats (fmt_*.c) only print it;
 * the charts (charts.c) only draw it.  All money uses model/cost.h, the
 * planner's cost model, so the report and the plan cannot disagree.
 *
 * Names (of hosts, guests, servers) are borrowed from the plan and are
 * untrusted text: every format escapes them (reports/escape.h).
 */
#ifndef REPORTS_REPORT_H
#define REPORTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/policy.h"
#include "model/cost.h"
#include "model/validation.h"
#include "planner/plan.h"

#define REPORT_HOURS 24
#define REPORT_MAX_YEARS 30

/* an assessed server as it is now (the "before" side) */
struct report_server {
	const char *name;		/* borrowed from the plan */
	enum plan_decision decision;
	const char *host;		/* its planned host, or NULL */
	const char *reason;		/* kept / retired: why; else NULL */
	const struct server_inv *inv;	/* NULL: not in the inventory */
	bool vm;			/* a guest of an existing host now:
					 * no machine of its own before */
	struct server_power power;
	size_t nsamples;		/* 0: no samples given for it */
	double coverage;		/* 0-1 of its span; NaN: no samples */
	double util_mean_pct;		/* measured CPU busy; NaN */
	double hour_w[REPORT_HOURS];	/* mean IT power by hour (UTC) */
	double mean_w;			/* mean of hour_w */
	double cost_per_year;		/* at the policy's figures */
};

/* a planned host (the "after" side) */
struct report_host {
	const struct plan_host *ph;	/* borrowed from the plan */
	const struct host_model *hm;	/* its catalog row */
	struct host_model sunk;		/* an existing host's row, no price */
	double util_mean_pct;		/* predicted CPU, mean over slots */
	double util_peak_pct;		/* and its highest slot */
	double hour_util_pct[REPORT_HOURS];	/* by hour of day (UTC) */
	double hour_w[REPORT_HOURS];
	double mean_w;
	double cost_per_year;
};

/* one side's physical footprint (does not depend on prices) */
struct report_side {
	double machines;		/* physical boxes */
	double hour_w[REPORT_HOURS];	/* IT power by hour of day */
	double mean_w;			/* mean IT power */
	double peak_w;			/* its highest hour */
	double rack_units;
	double racks;
};

/* every money figure, for one set of cost parameters */
struct report_money {
	struct cost_breakdown before_year, after_year;	/* per year */
	struct cost_breakdown before_total, after_total; /* over the horizon */
	double purchase;		/* hosts' prices (x price factor) */
	double migration;		/* one-off */
	double running_saving_year;	/* before - after running costs */
	double saving_total;		/* over the horizon, all costs */
	double saving_year;		/* saving_total / horizon */
	int payback_month;		/* model/cost.h payback_month() */
};

/* a row of the sensitivity table */
struct report_sens {
	char what[64];			/* "energy price -20 %" */
	char value[64];			/* "0.16 EUR/kWh" */
	struct report_money money;
};

/* an assumption and where it comes from */
struct report_assumption {
	char name[48];
	char value[96];
	char source[512];
};

struct report_year {
	int year;			/* 1-based */
	double before, after;		/* amortised view, all costs */
	double saving, cumulative;
	double cash_after;		/* purchases paid when made */
	double cash_cumulative;		/* cumulative cash saving */
};

struct report_inputs {
	const struct plan *plan;
	const struct inventory *inv;	/* may be NULL */
	const struct hostcat *hc;
	const struct policy *pol;
	const char *plan_path, *inv_path, *hosts_path, *policy_path;
	const char *const *samples;	/* samples files, may be 0 */
	size_t nsamples;
	/* capplan validate's results (-V), or NULL */
	const struct validation_set *validation;
	const struct backtest *bt;	/* capplan backtest's, or NULL */
};

struct report {
	const struct plan *plan;
	const struct backtest *bt;	/* borrowed; NULL: no backtest */
	struct cost_params cp;
	const char *currency;
	const char *plan_path;
	/* before: every assessed server; after: planned hosts */
	struct report_server *servers;	/* sorted by name */
	size_t nservers;
	struct report_host *hosts;	/* in plan order */
	size_t nhosts;
	size_t nvirtualized, nkept, nretired;
	size_t nvm;			/* of the virtualized, guests already */
	size_t nspares;			/* hosts marked spare (N+1) */
	struct report_side before, after;
	struct report_money money;
	struct report_year years[REPORT_MAX_YEARS];
	int nyears;
	struct report_sens *sens;
	size_t nsens;
	struct report_assumption *assumptions;
	size_t nassumptions;
	/* data behind the before side */
	size_t servers_with_samples;
	size_t samples_unmatched;	/* files naming no assessed server */
	double coverage_mean;		/* over servers with samples; NaN */
	double confidence_mean;		/* the plan's guests; NaN */
	double confidence_min;		/* the weakest guest's; NaN */
	size_t low_confidence;		/* guests under 0.5 */
	double days_min;		/* the shortest guest data, days; NaN */
	const struct validation_set *validation;	/* or NULL */
	size_t power_source_count[3];	/* enum power_source */
};

/*
 * Build the report.  Samples, when given, are streamed once each to get
 * every server's CPU utilisation and power hour by hour.  Returns a new
 * report (report_free()) or NULL with the error recorded: a plan host
 * whose model is not in the catalog, a samples file that does not read.
 * in must outlive the report (names and rows are borrowed).
 */
struct report *report_build(const struct report_inputs *in);
void report_free(struct report *r);

/*
 * Does any host of r have CPU ready (worst slot), a chance of CPU over
 * the limit or a swap risk above 0?  Without, the contention chart would
 * be empty and is left out.
 */
bool report_contention_any(const struct report *r);

/* Money figures of r for cost parameters cp (the sensitivity table). */
void report_money_compute(const struct report *r,
    const struct cost_params *cp, struct report_money *out);

/* "12,345" style amount: whole currency units with thousands commas. */
const char *report_amount(double v, char *buf, size_t size);
/* "35 months", "immediately", "not within 5 years" */
const char *report_payback_text(int month, double horizon_years, char *buf,
    size_t size);

/* ------------------------------------------------------------ charts */

struct rtables;

struct report_chart {
	char name[32];			/* file stem: "cost", "host-001" */
	char title[160];		/* plain text, may hold a host name */
	char *script;			/* path of the .gp */
	char *image;			/* path of the .svg or .png */
	bool rendered;			/* gnuplot ran and wrote image */
};

struct report_charts {
	char *dir;			/* where .gp, .dat and images go */
	struct report_chart *charts;
	size_t ncharts;
	size_t hosts_charted;		/* per-host charts (at most a limit) */
};

/* ----------------------------------------------------------- formats */

struct report_format {
	const char *name;		/* for -f */
	const char *ext;		/* default file ending */
	const char *what;		/* one line for the usage listing */
	const char *term;		/* gnuplot terminal, NULL: no charts */
	const char *image_ext;		/* "svg", "png" */
	/* write the tables ts (and their charts, may be NULL) to fp;
	 * -1 with the error recorded */
	int (*write)(const struct rtables *ts, const struct report_charts *c,
	    FILE *fp, const char *name);
};

extern const struct report_format report_formats[];
extern const size_t report_nformats;

/* The format named name, or NULL. */
const struct report_format *report_format_find(const char *name);
/* "html, markdown, csv": the formats' names, appended to sb. */
struct strbuf;
void report_formats_list(struct strbuf *sb);

int fmt_html_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);
int fmt_markdown_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);
int fmt_csv_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);
int fmt_xlsx_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);
int fmt_pdf_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);
int fmt_summary_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);
int fmt_summary_pdf_write(const struct rtables *ts,
    const struct report_charts *c,
    FILE *fp, const char *name);

#endif
