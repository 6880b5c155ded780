/*
 * cmd_report.c - capplan report: the plan's before/after cost, power,
 * cooling, space and CO2, with charts, as HTML, Markdown or CSV.
 *
 * Reads plan.json (planner/plan.h), the host catalog, and optionally the
 * inventory, the policy and the servers' samples; builds every figure
 * (report.c), writes the charts' gnuplot scripts and data into
 * "<output stem>-charts/" and runs gnuplot on them (unless -n), then
 * writes the report atomically.  HTML to standard output renders its
 * charts in a temporary directory that is removed afterwards.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "common/tz.h"
#include "reports/charts.h"
#include "reports/emit.h"
#include "reports/report.h"
#include "reports/rtable.h"

#define CMD "report"

struct report_opts {
	const char *format;
	const char *out;
	const char *policy;
	const char *inventory;
	const char *validation;	/* -V validation.json, or NULL */
	const char *backtest;	/* -b backtest.json, or NULL */
	bool render;
};

struct report_data {
	struct plan *plan;
	struct hostcat hc;
	struct inventory inv;
	struct policy pol;
	struct validation_set vs;
	struct backtest bt;
	bool have_hc, have_inv, have_pol, have_vs, have_bt;
};

static int
formats_misuse(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	report_formats_list(&sb);
	rc = command_misuse(CMD, "unknown format '%s'; the formats are %s",
	    name, sb.buf);
	strbuf_release(&sb);
	return rc;
}

static int
data_load(struct report_data *d, const struct report_opts *o,
    const char *plan_path, const char *hosts_path)
{
	d->plan = plan_read_json(plan_path);
	if (d->plan == NULL)
		return -1;
	if (hostcat_load(&d->hc, hosts_path, NULL) == -1)
		return -1;
	d->have_hc = true;
	if (o->inventory != NULL) {
		if (inventory_load(&d->inv, o->inventory, NULL) == -1)
			return -1;
		d->have_inv = true;
	}
	if (o->policy != NULL) {
		if (policy_load(&d->pol, o->policy) == -1)
			return -1;
	} else {
		policy_init(&d->pol);
	}
	d->have_pol = true;
	if (o->validation != NULL) {
		if (validation_set_read(&d->vs, o->validation) == -1)
			return -1;
		d->have_vs = true;
	}
	if (o->backtest != NULL) {
		if (backtest_read_json(&d->bt, o->backtest) == -1)
			return -1;
		d->have_bt = true;
	}
	return 0;
}

static void
data_release(struct report_data *d)
{
	plan_free(d->plan);
	if (d->have_bt)
		backtest_release(&d->bt);
	if (d->have_vs)
		validation_set_release(&d->vs);
	if (d->have_hc)
		hostcat_release(&d->hc);
	if (d->have_inv)
		inventory_release(&d->inv);
	if (d->have_pol)
		policy_release(&d->pol);
}

static int
report_charts_cb(struct report_charts *c, const void *arg,
    const struct report_format *f, const char *dir, bool render)
{
	return charts_write(c, arg, f, dir, render);
}

static void
report_tables_cb(struct rtables *ts, const void *arg,
    const struct report_charts *c)
{
	rtables_build(ts, arg, c);
}

static int
report_emit(const struct report *r, const struct report_format *f,
    const struct report_opts *o)
{
	struct report_job j = { f, o->out, o->render, report_charts_cb,
	    report_tables_cb, r };

	return report_job_run(&j);
}

/* the plan's own cost of its hosts against the report's, same model */
static void
report_check_cost(const struct report *r)
{
	double sum = 0.0, want = r->plan->cost_per_year;
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		sum += r->hosts[i].cost_per_year;
	if (isfinite(want) && fabs(sum - want) > 0.005 * fmax(1.0, fabs(want)))
		command_warn(CMD, "the plan costs its hosts %.2f a year, the "
		    "report %.2f: was the plan made with another policy or host "
		    "catalog?", want, sum);
}

/*
 * Guests whose plan rests on too little data: confidence under 0.5, or
 * fewer days than the policy's min_days; one line each, five named.
 */
static void
report_warn_data(const struct report *r, long min_days)
{
	const struct plan_guest *g;
	struct strbuf sb[2] = { STRBUF_INIT, STRBUF_INIT };
	size_t i, n[2] = { 0, 0 };

	for (i = 0; i < r->plan->nguests; i++) {
		g = &r->plan->guests[i];
		if (g->confidence < 0.5 && n[0]++ < 5)
			strbuf_addf(&sb[0], "%s%s (%.2f)", n[0] > 1 ? ", " : "",
			    g->name, g->confidence);
		if (g->days < (double)min_days && n[1]++ < 5)
			strbuf_addf(&sb[1], "%s%s (%.2f days)", n[1] > 1 ?
			    ", " : "", g->name, g->days);
	}
	if (n[0] > 0)
		command_warn(CMD, "confidence under 0.5, too little data behind "
		    "the plan: %zu guest%s: %s%s", n[0], n[0] == 1 ? "" : "s",
		    sb[0].buf, n[0] > 5 ? ", ..." : "");
	if (n[1] > 0)
		command_warn(CMD, "less data than min_days (%ld days): %zu "
		    "guest%s: %s%s", min_days, n[1], n[1] == 1 ? "" : "s",
		    sb[1].buf, n[1] > 5 ? ", ..." : "");
	strbuf_release(&sb[0]);
	strbuf_release(&sb[1]);
}

static void
report_warn(const struct report *r, size_t nsamples, long min_days)
{
	report_warn_data(r, min_days);
	report_check_cost(r);
	if (r->plan->currency != NULL &&
	    strcmp(r->plan->currency, r->currency) != 0)
		command_warn(CMD, "the plan was made in %s, the policy says %s: "
		    "amounts are reported in %s, unconverted",
		    r->plan->currency, r->currency, r->currency);
	if (r->plan->timezone != NULL &&
	    strcmp(r->plan->timezone, tz_name()) != 0)
		command_warn(CMD, "the plan's hours are in %s, the policy's "
		    "timezone is %s: the hosts' hours are reported as the plan "
		    "has them, the servers' in %s", r->plan->timezone,
		    tz_name(), tz_name());
	if (r->samples_unmatched > 0)
		command_warn(CMD, "%zu samples file(s) name no server of the "
		    "plan", r->samples_unmatched);
	if (nsamples > 0 && r->servers_with_samples < r->nservers)
		command_warn(CMD, "%zu of %zu servers have no samples: their "
		    "power today is taken at idle (or the flat figure)",
		    r->nservers - r->servers_with_samples, r->nservers);
}

static int
report_run(const struct report_opts *o, const struct report_format *f,
    int argc, char **argv)
{
	struct report_data d;
	struct report_inputs in;
	struct report *r = NULL;
	int ret = EXIT_FAIL;

	memset(&d, 0, sizeof(d));
	if (data_load(&d, o, argv[0], argv[1]) == -1)
		goto out;
	memset(&in, 0, sizeof(in));
	in.plan = d.plan;
	in.inv = d.have_inv ? &d.inv : NULL;
	in.hc = &d.hc;
	in.pol = &d.pol;
	in.plan_path = argv[0];
	in.hosts_path = argv[1];
	in.inv_path = o->inventory;
	in.policy_path = o->policy;
	in.samples = (const char *const *)(argv + 2);
	in.nsamples = (size_t)(argc - 2);
	in.validation = d.have_vs ? &d.vs : NULL;
	in.bt = d.have_bt ? &d.bt : NULL;
	r = report_build(&in);
	if (r == NULL || report_emit(r, f, o) == -1)
		goto out;
	report_warn(r, in.nsamples, d.pol.min_days);
	ret = EXIT_OK;
out:
	if (ret != EXIT_OK)
		command_fail(CMD);
	report_free(r);
	data_release(&d);
	return ret;
}

const struct cmd_option cmd_report_options[] = {
	{ 'n', NULL, NULL, "write the charts' scripts; do not run gnuplot" },
	{ 'V', NULL, "validation.json", "add capplan validate's results" },
	{ 'b', NULL, "backtest.json", "add capplan backtest --json's results" },
	{ 'c', NULL, "capplan.conf", "the policy's cost assumptions (default: built-in)" },
	{ 'f', NULL, "format", "html, markdown, csv, xlsx, pdf, summary[-pdf]" },
	{ 'i', NULL, "inventory.csv", "the servers' power, rack units, cores" },
	{ 'o', NULL, "file", "write here, not to standard output" },
	{ 0, NULL, NULL, NULL },
};

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct report_opts *o,
    const struct report_format **f)
{
	struct cmd_getopt g;
	int ch;

	command_getopt_init(&g, CMD);
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'V': o->validation = optarg; break;
		case 'b': o->backtest = optarg; break;
		case 'c': o->policy = optarg; break;
		case 'f': o->format = optarg; break;
		case 'i': o->inventory = optarg; break;
		case 'n': o->render = false; break;
		case 'o': o->out = optarg; break;
		case CMD_DONE: return g.status;
		}
	}
	*f = report_format_find(o->format);
	if (*f == NULL)
		return formats_misuse(o->format);
	if (argc - optind < 2)
		return command_misuse(CMD, "need plan.json and hosts.csv");
	if (strcmp((*f)->name, "markdown") == 0 && !ofile_target_is_file(o->out))
		return command_misuse(CMD, "markdown needs -o file: its charts "
		    "are files beside it");
	return CMD_RUN;
}

int
cmd_report(int argc, char **argv)
{
	struct report_opts o = { "html", "-", NULL, NULL, NULL, NULL, true };
	const struct report_format *f = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, &o, &f)) != CMD_RUN)
		return rc;
	return report_run(&o, f, argc - optind, argv + optind);
}
