/*
 * cmd_compare.c - capplan compare: several plans side by side as HTML
 * (one chart), Markdown or CSV.
 *
 * Every plan is built into a report (report.c) against one host catalog
 * and inventory and either one policy for all (-c once, or none: the
 * built-in one) or a policy each (-c as often as there are plans, in the
 * same order); compare.c makes the tables and charts.c the chart, and
 * emit.c writes them through the formats of capplan report.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "reports/compare.h"
#include "reports/emit.h"

#define CMD "compare"

struct compare_opts {
	const char *format;
	const char *out;
	const char *inventory;
	const char *policies[COMPARE_MAX];
	size_t npolicies;
	bool render;
};

struct compare_data {
	struct hostcat hc;
	struct inventory inv;
	struct policy pol[COMPARE_MAX];
	struct plan *plan[COMPARE_MAX];
	struct report *rep[COMPARE_MAX];
	struct compare_scenario sc[COMPARE_MAX];
	size_t n, npol;
	bool have_hc, have_inv;
};

static int
policies_load(struct compare_data *d, const struct compare_opts *o)
{
	size_t i;

	if (o->npolicies == 0) {
		policy_init(&d->pol[0]);
		d->npol = 1;
		return 0;
	}
	for (i = 0; i < o->npolicies; i++) {
		if (policy_load(&d->pol[i], o->policies[i]) == -1)
			return -1;
		d->npol++;
	}
	return 0;
}

/* plan i built into its report against the shared inputs */
static int
scenario_load(struct compare_data *d, const struct compare_opts *o,
    size_t i, const char *path)
{
	struct report_inputs in;
	size_t k = d->npol == 1 ? 0 : i;

	d->plan[i] = plan_read_json(path);
	if (d->plan[i] == NULL)
		return -1;
	memset(&in, 0, sizeof(in));
	in.plan = d->plan[i];
	in.inv = d->have_inv ? &d->inv : NULL;
	in.hc = &d->hc;
	in.pol = &d->pol[k];
	in.plan_path = path;
	in.inv_path = o->inventory;
	in.policy_path = o->npolicies > 0 ? o->policies[k] : NULL;
	d->rep[i] = report_build(&in);
	if (d->rep[i] == NULL)
		return -1;
	d->sc[i].name = path;
	d->sc[i].policy_path = in.policy_path;
	d->sc[i].pol = &d->pol[k];
	d->sc[i].r = d->rep[i];
	d->n = i + 1;
	return 0;
}

static int
data_load(struct compare_data *d, const struct compare_opts *o, int argc,
    char **argv)
{
	int i;

	if (hostcat_load(&d->hc, argv[0], NULL) == -1)
		return -1;
	d->have_hc = true;
	if (o->inventory != NULL) {
		if (inventory_load(&d->inv, o->inventory, NULL) == -1)
			return -1;
		d->have_inv = true;
	}
	if (policies_load(d, o) == -1)
		return -1;
	for (i = 1; i < argc; i++)
		if (scenario_load(d, o, (size_t)i - 1, argv[i]) == -1)
			return -1;
	return 0;
}

static void
data_release(struct compare_data *d)
{
	size_t i;

	for (i = 0; i < COMPARE_MAX; i++) {
		report_free(d->rep[i]);
		plan_free(d->plan[i]);
	}
	for (i = 0; i < d->npol; i++)
		policy_release(&d->pol[i]);
	if (d->have_hc)
		hostcat_release(&d->hc);
	if (d->have_inv)
		inventory_release(&d->inv);
}

static int
compare_charts_cb(struct report_charts *c, const void *arg,
    const struct report_format *f, const char *dir, bool render)
{
	return charts_write_compare(c, arg, f, dir, render);
}

static void
compare_tables_cb(struct rtables *ts, const void *arg,
    const struct report_charts *c)
{
	compare_build(ts, arg, c);
}

/* amounts of scenarios in different currencies are not comparable */
static void
compare_warn(const struct compare_data *d)
{
	size_t i;

	for (i = 1; i < d->n; i++)
		if (strcmp(d->rep[i]->currency, d->rep[0]->currency) != 0)
			command_warn(CMD, "'%s' is costed in %s, '%s' in %s: "
			    "the amounts are shown unconverted", d->sc[i].name,
			    d->rep[i]->currency, d->sc[0].name,
			    d->rep[0]->currency);
}

static int
compare_run(const struct compare_opts *o, const struct report_format *f,
    int argc, char **argv)
{
	struct compare_data *d = xcalloc(1, sizeof(*d));
	struct compare_set cs;
	struct report_job j = { f, o->out, o->render, compare_charts_cb,
	    compare_tables_cb, &cs };
	int ret = EXIT_FAIL;

	if (data_load(d, o, argc, argv) == -1)
		goto out;
	cs.sc = d->sc;
	cs.n = d->n;
	if (report_job_run(&j) == -1)
		goto out;
	compare_warn(d);
	ret = EXIT_OK;
out:
	if (ret != EXIT_OK)
		command_fail(CMD);
	data_release(d);
	free(d);
	return ret;
}

const struct cmd_option cmd_compare_options[] = {
	{ 'n', NULL, NULL, "write the chart's script; do not run gnuplot" },
	{ 'c', NULL, "capplan.conf", "for all plans, or one per plan "
	    "(default: built-in)" },
	{ 'f', NULL, "format", "html, markdown, csv, xlsx, pdf, summary[-pdf]" },
	{ 'i', NULL, "inventory.csv", "the servers' power, rack units, cores" },
	{ 'o', NULL, "file", "write here, not to standard output" },
	{ 0, NULL, NULL, NULL },
};

static int
check_operands(const struct compare_opts *o, const struct report_format *f,
    int nplans)
{
	if (nplans < 1)
		return command_misuse(CMD, "need hosts.csv and at least one "
		    "plan.json");
	if (nplans > COMPARE_MAX)
		return command_misuse(CMD, "%d plans; at most %d side by side",
		    nplans, COMPARE_MAX);
	if (o->npolicies > 1 && o->npolicies != (size_t)nplans)
		return command_misuse(CMD, "%zu policies (-c) for %d plans: give "
		    "one for all, or one per plan", o->npolicies, nplans);
	if (strcmp(f->name, "markdown") == 0 && !ofile_target_is_file(o->out))
		return command_misuse(CMD, "markdown needs -o file: its chart "
		    "is a file beside it");
	return CMD_RUN;
}

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

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct compare_opts *o,
    const struct report_format **f)
{
	struct cmd_getopt g;
	int ch;

	command_getopt_init(&g, CMD);
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c':
			if (o->npolicies == COMPARE_MAX)
				return command_misuse(CMD, "more than %d "
				    "policies (-c)", COMPARE_MAX);
			o->policies[o->npolicies++] = optarg;
			break;
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
	return check_operands(o, *f, argc - optind - 1);
}

int
cmd_compare(int argc, char **argv)
{
	struct compare_opts o;
	const struct report_format *f = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = "html";
	o.out = "-";
	o.render = true;
	if ((rc = parse_args(argc, argv, &o, &f)) != CMD_RUN)
		return rc;
	return compare_run(&o, f, argc - optind, argv + optind);
}
