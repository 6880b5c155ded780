/*
 * cmd_backtest.c - capplan backtest: plan on the samples before a split,
 * judge the plan on the samples after it.
 *
 * Reads the host catalog, the policy, optionally the inventory, and the
 * samples; planner/backtest.c does the work.  Prints what was measured
 * as text (or capplan-backtest JSON with --json) on standard output or
 * -o, and with -p writes the plan made before the split.  Warnings of the
 * profile and plan steps go to standard error.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/num.h"
#include "common/ofile.h"
#include "common/policy.h"
#include "planner/backtest.h"
#include "planner/pack.h"

#define NAME "backtest"

struct args {
	const char *conf, *inventory, *model, *out, *plan, *packer;
	int resolution;		/* -1: the policy's */
	bool json, no_search, oracle;
	long threads;
	int64_t from_ms, split_ms, until_ms;
	double split_frac;
};

static int
parse_time(const char *opt, const char *s, int64_t *ms)
{
	const char *why;

	if (time_parse_rfc3339(s, ms, &why) == -1)
		return command_misuse(NAME, "%s '%s' %s", opt, s, why);
	return 0;
}

/* -s: an RFC 3339 time, or a share of the span such as "75%" */
static int
parse_split(const char *s, struct args *a)
{
	const char *why;
	char buf[32];
	size_t n = strlen(s);
	double v;

	if (n > 1 && n < sizeof(buf) && s[n - 1] == '%') {
		memcpy(buf, s, n - 1);
		buf[n - 1] = '\0';
		if (num_parse_double(buf, &v, &why) == -1 || !(v > 0 && v < 100))
			return command_misuse(NAME, "-s '%s' is not a share "
			    "between 0 and 100 %%", s);
		a->split_frac = v / 100;
		return 0;
	}
	return parse_time("-s", s, &a->split_ms);
}

static int
parse_resolution(const char *s, struct args *a)
{
	int r;

	for (r = 0; resolution_names[r] != NULL; r++)
		if (strcmp(s, resolution_names[r]) == 0) {
			a->resolution = r;
			return 0;
		}
	return command_misuse(NAME, "-r '%s' is not hour, week, series or "
	    "peak", s);
}

enum { OPT_FORESIGHT = CMD_LONG_ONLY, OPT_JSON, OPT_FROM, OPT_PACKER,
	OPT_UNTIL };

const struct cmd_option cmd_backtest_options[] = {
	{ 'n', NULL, NULL, "no local search: the best heuristic's plan" },
	{ OPT_FORESIGHT, "foresight", NULL, "also plan on the judged window itself" },
	{ OPT_JSON, "json", NULL, "capplan-backtest JSON, not text" },
	{ 'c', NULL, "capplan.conf", "the policy (default: built-in defaults)" },
	{ 'i', NULL, "inventory.csv", "the inventory of the servers" },
	{ 'j', NULL, "workers", "threads for the heuristics (default 0: all)" },
	{ 'm', NULL, "model", "use only this model of the catalog" },
	{ 'o', NULL, "file", "write the result here (default -: stdout)" },
	{ 'p', NULL, "plan.json", "also write the plan made before the split" },
	{ 'r', NULL, "hour | week | series | peak",
	    "the time slots, instead of the policy's" },
	{ 's', NULL, "split", "a time, or a share of the span (default 75%)" },
	{ OPT_FROM, "from", "time", "leave out the samples before it" },
	{ OPT_PACKER, "packer", "name", "one heuristic, not all" },
	{ OPT_UNTIL, "until", "time", "leave out the samples from it on" },
	{ 0, NULL, NULL, NULL },
};

/* 0, or the exit status of a misuse (printed) */
static int
parse_value(int ch, const char *arg, struct args *a)
{
	const char *why;

	switch (ch) {
	case 'r': return parse_resolution(arg, a);
	case 's': return parse_split(arg, a);
	case OPT_FROM: return parse_time("--from", arg, &a->from_ms);
	case OPT_UNTIL: return parse_time("--until", arg, &a->until_ms);
	case 'j':
		if (num_parse_long_range(arg, 0, 1024, &a->threads, &why)
		    == -1)
			return command_misuse(NAME, "-j '%s' %s", arg, why);
		return 0;
	}
	return 0;
}

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct args *a)
{
	struct cmd_getopt g;
	int ch, rc;

	command_getopt_init(&g, NAME);
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 'i': a->inventory = optarg; break;
		case 'm': a->model = optarg; break;
		case 'n': a->no_search = true; break;
		case 'o': a->out = optarg; break;
		case 'p': a->plan = optarg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_FORESIGHT: a->oracle = true; break;
		case OPT_PACKER: a->packer = optarg; break;
		case CMD_DONE: return g.status;
		default:
			if ((rc = parse_value(ch, optarg, a)) != 0)
				return rc;
		}
	}
	if (argc - optind < 2)
		return command_misuse(NAME, "need hosts.csv and samples files");
	if (a->packer != NULL && packer_find(a->packer) == NULL)
		return command_misuse(NAME, "unknown packer '%s' (capplan plan "
		    "--packer x lists them)", a->packer);
	if (a->split_ms != INT64_MIN && (a->split_ms <= a->from_ms ||
	    a->split_ms >= a->until_ms))
		return command_misuse(NAME, "-s must fall between --from and "
		    "--until");
	return CMD_RUN;
}

/* ------------------------------------------------------------ text */

static double
share(size_t part, size_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : NAN;
}

static void
print_window(FILE *fp, const struct backtest *bt)
{
	char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN], c[TIME_RFC3339_LEN];

	time_format_rfc3339(bt->from_ms, a);
	time_format_rfc3339(bt->split_ms, b);
	time_format_rfc3339(bt->until_ms, c);
	fprintf(fp, "%-10s planned on %s to %s (%.2f days), judged on %s to "
	    "%s (%.2f days) in slots of %g s\n", "window", a, b,
	    (double)(bt->split_ms - bt->from_ms) / 86400000.0, b, c,
	    (double)(bt->until_ms - bt->split_ms) / 86400000.0, bt->slot_s);
}

static void
print_summary(FILE *fp, const struct backtest *bt)
{
	int r;

	print_window(fp, bt);
	if (bt->oracle)
		fprintf(fp, "%-10s planned on the judged window itself "
		    "(--foresight): a yardstick no plan can reach\n", "");
	fprintf(fp, "%-10s %s: %s; %zu host%s + %zu spare, %.2f a year\n",
	    "plan", bt->resolution, bt->sizing != NULL ? bt->sizing : "?",
	    bt->nhosts, bt->nhosts == 1 ? "" : "s", bt->spares,
	    bt->plan_cost_per_year);
	fprintf(fp, "%-10s %zu with samples after the split: %zu guests, %zu "
	    "not placed (retired, kept or new); %.2f %% of guest-slots "
	    "without a sample\n", "servers", bt->servers, bt->guests,
	    bt->unplaced, share(bt->guest_slots_missing, bt->guest_slots));
	fprintf(fp, "%-10s %zu host-slots: %.4f %% over the limit (%zu), "
	    "%.4f %% over capacity (%zu); %zu guest-slots above the guest's "
	    "memory\n", "measured", bt->host_slots, share(bt->over_limit,
	    bt->host_slots), bt->over_limit, share(bt->over_capacity,
	    bt->host_slots), bt->over_capacity, bt->mem_over_committed);
	for (r = 0; r < RES_N; r++)
		if (!isnan(bt->res_peak_pct[r]))
			fprintf(fp, "%-10s %s: %.4f %% over the limit, %.4f %% over "
			    "capacity, worst peak %.1f %% of capacity\n", "",
			    resource_table[r].name, share(bt->res_over_limit[r],
			    bt->host_slots), share(bt->res_over_capacity[r],
			    bt->host_slots), bt->res_peak_pct[r]);
}

/* "%.3f", or "-" when not known */
static const char *
fmt3(double v, char *buf)
{
	if (isnan(v))
		return "-";
	snprintf(buf, 32, "%.3f", v);
	return buf;
}

static void
print_hosts(FILE *fp, const struct backtest *bt)
{
	const struct backtest_host *h;
	const struct backtest_res *x;
	char p1[32], p2[32];
	size_t i;
	int r;

	fprintf(fp, "\n%-12s %-10s %6s %6s %8s %8s %7s %9s %8s\n", "host",
	    "resource", "guests", "slots", "limit %", "cap %", "peak %",
	    "predicted", "gauss %");
	for (i = 0; i < bt->nhosts; i++) {
		h = &bt->hosts[i];
		for (r = 0; r < RES_N; r++) {
			x = &h->res[r];
			if (!x->judged)
				continue;
			fprintf(fp, "%-12s %-10s %6zu %6zu %8.3f %8.3f %7.1f "
			    "%9s %8s\n", h->name, resource_table[r].name,
			    h->nguests, h->slots, share(x->over_limit, h->slots),
			    share(x->over_capacity, h->slots), 100 * x->peak /
			    x->capacity, fmt3(x->predicted_pct, p1),
			    fmt3(x->predicted_gauss_pct, p2));
		}
	}
}

static int
write_text(const struct backtest *bt, const char *path)
{
	struct ofile *of = ofile_open(path);

	if (of == NULL)
		return -1;
	print_summary(of->fp, bt);
	print_hosts(of->fp, bt);
	return ofile_commit(of);
}

/* ------------------------------------------------------------ run */

struct inputs {
	struct policy pol;
	struct hostcat hc;
	struct inventory inv;
	bool have_pol, have_hc, have_inv;
};

static int
load(const struct args *a, const char *hosts, struct inputs *in)
{
	memset(in, 0, sizeof(*in));
	if (a->conf != NULL ? policy_load(&in->pol, a->conf) :
	    (policy_init(&in->pol), 0))
		return -1;
	in->have_pol = true;
	if (hostcat_load(&in->hc, hosts, NULL) == -1)
		return -1;
	in->have_hc = true;
	if (in->hc.nmodels == 0)
		return error_set(ERROR_DATA, "%s: the host catalog has no "
		    "model", hosts);
	if (a->inventory != NULL) {
		if (inventory_load(&in->inv, a->inventory, NULL) == -1)
			return -1;
		in->have_inv = true;
	}
	return 0;
}

static void
unload(struct inputs *in)
{
	if (in->have_pol)
		policy_release(&in->pol);
	if (in->have_hc)
		hostcat_release(&in->hc);
	if (in->have_inv)
		inventory_release(&in->inv);
}

static int
report(const struct args *a, struct backtest_result *res, int rc)
{
	size_t i;

	for (i = 0; i < res->nwarnings; i++)
		command_warn(NAME, "%s", res->warnings[i]);
	if (rc == -1)
		return command_fail(NAME);
	if (rc == 1) {
		printf("no plan meets the constraints on the samples before the "
		    "split:\n");
		for (i = 0; i < res->ninfeasible; i++)
			printf("  %s\n", res->infeasible[i]);
		return EXIT_NO;
	}
	if ((a->plan != NULL && plan_write_json(res->plan, a->plan) == -1) ||
	    (a->json ? backtest_write_json(&res->bt, a->out) :
	    write_text(&res->bt, a->out)) == -1)
		return command_fail(NAME);
	return EXIT_OK;
}

int
cmd_backtest(int argc, char **argv)
{
	struct args a = { NULL, NULL, NULL, "-", NULL, NULL, -1, false, false,
	    false, 0, INT64_MIN, INT64_MIN, INT64_MAX, 0.75 };
	struct backtest_input bi;
	struct backtest_result res;
	struct inputs in;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != CMD_RUN)
		return rc;
	if (load(&a, argv[optind], &in) == -1) {
		unload(&in);
		return command_fail(NAME);
	}
	memset(&bi, 0, sizeof(bi));
	bi.pol = &in.pol;
	bi.hc = &in.hc;
	bi.inv = in.have_inv ? &in.inv : NULL;
	bi.samples = argv + optind + 1;
	bi.nsamples = (size_t)(argc - optind - 1);
	bi.resolution = a.resolution >= 0 ? a.resolution : in.pol.resolution;
	bi.model = a.model;
	bi.packer = a.packer;
	bi.search = !a.no_search;
	bi.threads = (unsigned)a.threads;
	bi.time_limit_s = 60;
	bi.from_ms = a.from_ms;
	bi.until_ms = a.until_ms;
	bi.split_ms = a.split_ms;
	bi.split_frac = a.split_frac;
	bi.oracle = a.oracle;
	rc = report(&a, &res, backtest_run(&bi, &res));
	backtest_result_release(&res);
	unload(&in);
	return rc;
}
