/*
 * cmd_import.c - capplan import: convert existing monitoring data.
 *
 * Parses the options, finds the importer in the table, runs it into a
 * sink over the output directory, and either commits every file and
 * prints one line per file (host, rows, time span, interval, coverage,
 * gaps) or, on any error, removes every temporary file and prints the
 * error once.  Notes the importers counted (rows skipped by a documented
 * rule, values clamped) become warnings on stderr.  prometheus --url
 * (a live server) shows its progress on one line when stderr is a
 * terminal; --queries prints the queries it runs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/num.h"
#include "common/strbuf.h"
#include "import/import.h"
#include "import/promql.h"

#define NAME "import"

static int
parse_seconds(const char *opt, const char *arg, double lo, double *out)
{
	const char *why;

	if (num_parse_double(arg, out, &why) == -1)
		return command_misuse(NAME, "%s: '%s' %s", opt, arg, why);
	if (*out < lo || *out > 366 * 86400.0)
		return command_misuse(NAME, "%s: '%s' is not between %g and "
		    "31622400 seconds", opt, arg, lo);
	return 0;
}

enum { OPT_DURATION = CMD_LONG_ONLY, OPT_INTERVAL, OPT_START, OPT_CPU_MHZ,
	OPT_CPU_MODEL, OPT_MERGE, OPT_QUERIES, OPT_END, OPT_DAYS, OPT_STEP,
	OPT_URL, OPT_USER, OPT_PASSWORD_FILE, OPT_TOKEN_FILE, OPT_MATCH,
	OPT_TIMEOUT };

const struct cmd_option cmd_import_options[] = {
	{ OPT_MERGE, "merge", NULL, "collect: merge folders of one host name" },
	{ OPT_QUERIES, "queries", NULL, "prometheus: print its queries, exit" },
	{ 'c', NULL, "uri", "libvirt: the URI (default: libvirt's own)" },
	{ 'o', NULL, "dir", "the folder to write to (default .)" },
	{ OPT_TOKEN_FILE, "bearer-token-file", "file",
	    "prometheus --url: a bearer token, first line" },
	{ OPT_CPU_MHZ, "cpu-mhz", "mhz", "sysstat: the CPU clock sadf lacks" },
	{ OPT_CPU_MODEL, "cpu-model", "model", "sysstat: the CPU model" },
	{ OPT_DAYS, "days", "days", "prometheus --url: the last days (default 7)" },
	{ OPT_DURATION, "duration", "seconds", "libvirt: how long (default 3600)" },
	{ OPT_END, "end", "time", "prometheus --url: the range's RFC 3339 end" },
	{ OPT_INTERVAL, "interval", "seconds", "the interval (libvirt 60, planetlab 300)" },
	{ OPT_MATCH, "match", "selector",
	    "prometheus: the instances, as {job=\"node\"}" },
	{ OPT_PASSWORD_FILE, "password-file", "file",
	    "prometheus --url: --user's password, first line" },
	{ OPT_START, "start", "time",
	    "planetlab: the first row; prometheus: the start" },
	{ OPT_STEP, "step", "seconds", "prometheus: the rows' interval (default 60)" },
	{ OPT_TIMEOUT, "timeout", "seconds",
	    "prometheus --url: per request (default 120)" },
	{ OPT_URL, "url", "url", "prometheus: the server to read from" },
	{ OPT_USER, "user", "name", "prometheus --url: basic authentication" },
	{ 0, NULL, NULL, NULL },
};

/* What the options said beyond import_opts. */
struct cmd_args {
	struct import_opts o;
	double days;		/* --days, or NaN */
	bool queries;		/* --queries */
	const char *live_only;	/* an option given that needs --url */
};

static int
parse_time(const char *opt, const char *arg, int64_t *out)
{
	const char *why;

	if (time_parse_rfc3339(arg, out, &why) == -1)
		return command_misuse(NAME, "%s: '%s' %s", opt, arg, why);
	return 0;
}

static int
parse_step(const char *arg, double *out)
{
	if (parse_seconds("--step", arg, 1, out) != 0)
		return EXIT_USAGE;
	if (*out != floor(*out) || *out > 86400)
		return command_misuse(NAME, "--step: '%s' is not a whole number "
		    "of seconds up to 86400", arg);
	return 0;
}

static int
parse_days(const char *arg, double *out)
{
	const char *why;

	if (num_parse_double(arg, out, &why) == -1)
		return command_misuse(NAME, "--days: '%s' %s", arg, why);
	if (!(*out > 0) || *out > 366)
		return command_misuse(NAME, "--days: '%s' is not more than 0 "
		    "and at most 366 days", arg);
	return 0;
}

/* An option that only --url reads: its value into *field. */
static int
live_text(struct cmd_args *a, const char *opt, const char *arg,
    const char **field)
{
	a->live_only = opt;
	*field = arg;
	return 0;
}

/* The options of prometheus --url: 0, or the exit status of a misuse. */
static int
parse_live(int ch, const char *arg, struct cmd_args *a)
{
	struct import_opts *o = &a->o;

	switch (ch) {
	case OPT_STEP:
		return parse_step(arg, &o->step_s);
	case OPT_MATCH:
		o->match = arg;
		return 0;
	case OPT_URL:
		o->url = arg;
		return 0;
	case OPT_END:
		a->live_only = "--end";
		return parse_time("--end", arg, &o->end_ms);
	case OPT_DAYS:
		a->live_only = "--days";
		return parse_days(arg, &a->days);
	case OPT_TIMEOUT:
		a->live_only = "--timeout";
		return parse_seconds("--timeout", arg, 0.1, &o->timeout_s);
	case OPT_USER:
		return live_text(a, "--user", arg, &o->user);
	case OPT_PASSWORD_FILE:
		return live_text(a, "--password-file", arg,
		    &o->password_file);
	case OPT_TOKEN_FILE:
		return live_text(a, "--bearer-token-file", arg,
		    &o->token_file);
	}
	return 0;
}

/* 0, or the exit status of a misuse (printed) */
static int
parse_value(int ch, const char *arg, struct cmd_args *a)
{
	struct import_opts *o = &a->o;
	const char *why;

	switch (ch) {
	case OPT_DURATION:
		return parse_seconds("--duration", arg, 1, &o->duration_s);
	case OPT_INTERVAL:
		return parse_seconds("--interval", arg, 1, &o->interval_s);
	case OPT_START:
		return parse_time("--start", arg, &o->start_ms);
	case OPT_CPU_MODEL:
		if (*arg == '\0')
			return command_misuse(NAME, "--cpu-model: empty");
		o->cpu_model = arg;
		break;
	case OPT_CPU_MHZ:
		if (num_parse_double(arg, &o->cpu_mhz, &why) == -1 ||
		    !(o->cpu_mhz >= 1 && o->cpu_mhz <= 100000))
			return command_misuse(NAME, "--cpu-mhz: '%s' is not a "
			    "clock in MHz from 1 to 100000", arg);
		break;
	default:
		return parse_live(ch, arg, a);
	}
	return 0;
}

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct cmd_args *a)
{
	struct cmd_getopt g;
	int ch, rc;

	command_getopt_init(&g, NAME);
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c': a->o.uri = optarg; break;
		case 'o': a->o.outdir = optarg; break;
		case OPT_MERGE: a->o.merge = true; break;
		case OPT_QUERIES: a->queries = true; break;
		case CMD_DONE: return g.status;
		default:
			if ((rc = parse_value(ch, optarg, a)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return command_misuse(NAME, "no format given");
	return CMD_RUN;
}

/* The range of --url: --start and --end, or --days up to now. */
static int
live_range(struct cmd_args *a)
{
	struct import_opts *o = &a->o;
	bool start = o->start_ms != IMPORT_NO_TIME;
	bool end = o->end_ms != IMPORT_NO_TIME;

	if (!isnan(a->days) && (start || end))
		return command_misuse(NAME, "--days or --start and --end, not "
		    "both");
	if (start != end)
		return command_misuse(NAME, "--start and --end go together "
		    "(or --days)");
	if (!start) {
		o->end_ms = (int64_t)time(NULL) * 1000;
		o->start_ms = o->end_ms - (int64_t)((isnan(a->days) ? 7 :
		    a->days) * 86400e3);
	}
	if (o->end_ms <= o->start_ms)
		return command_misuse(NAME, "--end is not after --start");
	return 0;
}

/* The options that belong to one format or mode, checked together. */
static int
check_mode(struct cmd_args *a, const struct importer *imp)
{
	bool prom = strcmp(imp->name, "prometheus") == 0;

	if (!prom && (a->o.url != NULL || a->queries || a->o.match != NULL ||
	    !isnan(a->o.step_s) || a->live_only != NULL))
		return command_misuse(NAME, "%s: --url, --queries, --match, "
		    "--step and the options of --url are for prometheus",
		    imp->name);
	if (!prom)
		return 0;
	if (isnan(a->o.step_s))
		a->o.step_s = 60;
	if (isnan(a->o.timeout_s))
		a->o.timeout_s = 120;
	if (a->queries && a->o.url != NULL)
		return command_misuse(NAME, "--queries or --url, not both");
	if (a->o.url == NULL && !a->queries && (a->live_only != NULL ||
	    a->o.match != NULL))
		return command_misuse(NAME, "%s needs --url", a->live_only !=
		    NULL ? a->live_only : "--match");
	return a->o.url != NULL ? live_range(a) : 0;
}

/* --queries: the table's queries with the step and matchers given. */
static int
print_queries(const struct import_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	char *m = o->match != NULL ? promql_selector_matchers(o->match) :
	    NULL;
	size_t i;

	if (o->match != NULL && m == NULL)
		return command_misuse(NAME, "--match: '%s' is not a selector in "
		    "braces, such as {job=\"node\"}", o->match);
	for (i = 0; i < npromql_queries; i++) {
		strbuf_reset(&sb);
		promql_expand(&sb, promql_queries[i].tmpl, (long)o->step_s, 0,
		    m);
		printf("%s\t%s\n", metric_table[promql_queries[i].metric].name,
		    sb.buf);
	}
	strbuf_release(&sb);
	free(m);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* On a terminal: one line, rewritten. */
static void
progress(void *arg, const char *what)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kcapplan %s: %s", NAME, what);
	fflush(stderr);
}

static void
print_results(const struct import_sink *sink)
{
	const struct import_result *r;
	char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN];
	size_t n = import_sink_results(sink, &r), i, w = 4, rows = 0, ninv;
	const char *inv = import_sink_inventory_path(sink, &ninv);

	for (i = 0; i < n; i++)
		if (strlen(r[i].host) > w)
			w = strlen(r[i].host);
	printf("%-*s %8s  %-20s  %-20s  %8s  %8s  %5s  %s\n", (int)w, "host",
	    "rows", "first", "end", "interval", "coverage", "gaps", "file");
	for (i = 0; i < n; i++) {
		rows += r[i].rows;
		if (r[i].rows == 0) {
			printf("%-*s %8s  %-20s  %-20s  %8s  %8s  %5s  %s\n",
			    (int)w, r[i].host, "0", "-", "-", "-", "-", "-",
			    r[i].path);
			continue;
		}
		time_format_rfc3339(r[i].first_ms, a);
		time_format_rfc3339(r[i].end_ms, b);
		printf("%-*s %8zu  %-20s  %-20s  %6g s  %6.1f %%  %5zu  %s\n",
		    (int)w, r[i].host, r[i].rows, a, b, r[i].interval_s,
		    100.0 * r[i].coverage, r[i].gaps, r[i].path);
	}
	printf("%zu host%s, %zu rows", n, n == 1 ? "" : "s", rows);
	if (inv != NULL)
		printf("; inventory of %zu server%s: %s", ninv, ninv == 1 ? "" :
		    "s", inv);
	printf("\n");
}

static void
print_notes(const struct import_sink *sink)
{
	const struct import_note *nt;
	size_t n = import_sink_notes(sink, &nt), i;

	for (i = 0; i < n; i++) {
		if (nt[i].first_file == NULL)
			command_warn(NAME, "%zu %s", nt[i].count, nt[i].what);
		else if (nt[i].first_line == 0)
			command_warn(NAME, "%zu %s (the first: %s)",
			    nt[i].count, nt[i].what, nt[i].first_file);
		else
			command_warn(NAME, "%zu %s (the first: %s:%zu)",
			    nt[i].count, nt[i].what, nt[i].first_file,
			    nt[i].first_line);
	}
}

/* Nothing to write is an error: a header and no record, or every
 * record skipped; "0 rows" and exit 0 would hide it. */
static int
check_not_empty(const struct import_sink *sink, char **inputs,
    size_t ninputs)
{
	const struct import_note *nt;
	const char *why;

	if (import_sink_rows(sink) > 0)
		return 0;
	print_notes(sink);
	why = import_sink_notes(sink, &nt) > 0 ?
	    " (the warnings above say what was skipped)" : "";
	if (ninputs == 1)
		return error_set(ERROR_DATA, "%s: nothing imported: no samples "
		    "in it%s", inputs[0], why);
	if (ninputs == 0)
		return error_set(ERROR_DATA, "nothing imported: no samples%s",
		    why);
	return error_set(ERROR_DATA, "nothing imported: no samples in the "
	    "%zu inputs%s", ninputs, why);
}

static int
run(const struct importer *imp, const struct import_opts *o, char **inputs,
    size_t ninputs)
{
	struct import_sink *sink = import_sink_new(o->outdir);
	int ret = EXIT_FAIL, rc;

	if (sink == NULL)
		return command_fail(NAME);
	rc = imp->run(sink, o, inputs, ninputs);
	if (o->progress != NULL)
		fprintf(stderr, "\r\033[K");
	if (rc == -1 || check_not_empty(sink, inputs, ninputs) == -1 ||
	    import_sink_commit(sink) == -1) {
		ret = error_last_kind() == ERROR_USAGE ? EXIT_USAGE : EXIT_FAIL;
		command_fail(NAME);
		if (ret == EXIT_USAGE)
			command_usage(stderr, NAME);
		goto out;
	}
	print_notes(sink);
	print_results(sink);
	ret = EXIT_OK;		/* capplan.c checks that stdout got it all */
out:
	import_sink_free(sink);
	return ret;
}

static int
list_formats(const char *fmt, const char *why)
{
	size_t i;

	fprintf(stderr, "capplan %s: %s '%s'; the formats are:\n", NAME, why,
	    fmt);
	for (i = 0; i < nimporters; i++)
		fprintf(stderr, "  %-11s %s\n", importers[i].name,
		    importers[i].what);
	command_usage(stderr, NAME);
	return EXIT_USAGE;
}

/* Knobs for tests: smaller requests than the importer would make. */
static void
test_knobs(struct import_opts *o)
{
	const char *v = getenv("CAPPLAN_TEST_PROM_POINTS");

	if (v != NULL)
		o->chunk_points = (size_t)strtoul(v, NULL, 10);
	if ((v = getenv("CAPPLAN_TEST_PROM_BATCH")) != NULL)
		o->batch = (size_t)strtoul(v, NULL, 10);
}

int
cmd_import(int argc, char **argv)
{
	struct cmd_args a;
	const struct importer *imp;
	int rc;

	memset(&a, 0, sizeof(a));
	a.o.outdir = ".";
	a.o.start_ms = a.o.end_ms = IMPORT_NO_TIME;
	a.o.interval_s = a.o.duration_s = a.o.cpu_mhz = a.o.step_s =
	    a.o.timeout_s = NAN;
	a.days = NAN;
	if ((rc = parse_args(argc, argv, &a)) != CMD_RUN)
		return rc;
	imp = importer_find(argv[optind]);
	if (imp == NULL)
		return list_formats(argv[optind], "unknown format");
	optind++;
	if (a.o.merge && strcmp(imp->name, "collect") != 0)
		return command_misuse(NAME, "--merge is for collect");
	if ((a.o.cpu_model != NULL || !isnan(a.o.cpu_mhz)) &&
	    strcmp(imp->name, "sysstat") != 0)
		return command_misuse(NAME, "--cpu-model and --cpu-mhz are for "
		    "sysstat, whose data lacks them; %s gives its own",
		    imp->name);
	if ((rc = check_mode(&a, imp)) != 0)
		return rc;
	if (a.queries && optind < argc)
		return command_misuse(NAME, "--queries takes no input operand "
		    "('%s')", argv[optind]);
	if (a.queries)
		return print_queries(&a.o);
	if (imp->needs_inputs && optind >= argc)
		return command_misuse(NAME, "%s: no input given", imp->name);
	if (!imp->needs_inputs && imp->run != import_prometheus &&
	    optind < argc)
		return command_misuse(NAME, "%s takes no input operand ('%s')",
		    imp->name, argv[optind]);
	test_knobs(&a.o);
	if (a.o.url != NULL && isatty(STDERR_FILENO))
		a.o.progress = progress;
	return run(imp, &a.o, argv + optind, (size_t)(argc - optind));
}
