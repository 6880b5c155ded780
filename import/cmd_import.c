/*
 * cmd_import.c - capplan import: convert existing monitoring data.
 *
 * Parses the options, finds the importer in the table, runs it into a
 * sink over the output directory, and either commits every file and
 * prints one line per file (host, rows, time span, interval, coverage,
 * gaps) or, on any error, removes every temporary file and prints the
 * error once.  Notes the importers counted (rows skipped by a documented
 * rule, values clamped) become warnings on stderr.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/num.h"
#include "import/import.h"

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
	OPT_CPU_MODEL, OPT_MERGE };

const struct cmd_option cmd_import_options[] = {
	{ OPT_MERGE, "merge", NULL, "collect: merge folders of one host name" },
	{ 'c', NULL, "uri", "libvirt: the URI (default: libvirt's own)" },
	{ 'o', NULL, "dir", "the folder to write to (default .)" },
	{ OPT_CPU_MHZ, "cpu-mhz", "mhz", "sysstat: the CPU clock sadf lacks" },
	{ OPT_CPU_MODEL, "cpu-model", "model", "sysstat: the CPU model" },
	{ OPT_DURATION, "duration", "seconds", "libvirt: how long (default 3600)" },
	{ OPT_INTERVAL, "interval", "seconds", "the interval (libvirt 60, planetlab 300)" },
	{ OPT_START, "start", "time", "planetlab: the first row's RFC 3339 time" },
	{ 0, NULL, NULL, NULL },
};

/* 0, or the exit status of a misuse (printed) */
static int
parse_value(int ch, const char *arg, struct import_opts *o)
{
	const char *why;

	switch (ch) {
	case OPT_DURATION:
		return parse_seconds("--duration", arg, 1, &o->duration_s);
	case OPT_INTERVAL:
		return parse_seconds("--interval", arg, 1, &o->interval_s);
	case OPT_START:
		if (time_parse_rfc3339(arg, &o->start_ms, &why) == -1)
			return command_misuse(NAME, "--start: '%s' %s", arg,
			    why);
		break;
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
	}
	return 0;
}

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct import_opts *o)
{
	struct cmd_getopt g;
	int ch, rc;

	command_getopt_init(&g, NAME);
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c': o->uri = optarg; break;
		case 'o': o->outdir = optarg; break;
		case OPT_MERGE: o->merge = true; break;
		case CMD_DONE: return g.status;
		default:
			if ((rc = parse_value(ch, optarg, o)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return command_misuse(NAME, "no format given");
	return CMD_RUN;
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
	int ret = EXIT_FAIL;

	if (sink == NULL)
		return command_fail(NAME);
	if (imp->run(sink, o, inputs, ninputs) == -1 ||
	    check_not_empty(sink, inputs, ninputs) == -1 ||
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

int
cmd_import(int argc, char **argv)
{
	struct import_opts o = { ".", NULL, IMPORT_NO_TIME, NAN, NAN, NULL,
	    NAN, false };
	const struct importer *imp;
	int rc;

	if ((rc = parse_args(argc, argv, &o)) != CMD_RUN)
		return rc;
	imp = importer_find(argv[optind]);
	if (imp == NULL)
		return list_formats(argv[optind], "unknown format");
	optind++;
	if (o.merge && strcmp(imp->name, "collect") != 0)
		return command_misuse(NAME, "--merge is for collect");
	if ((o.cpu_model != NULL || !isnan(o.cpu_mhz)) &&
	    strcmp(imp->name, "sysstat") != 0)
		return command_misuse(NAME, "--cpu-model and --cpu-mhz are for "
		    "sysstat, whose data lacks them; %s gives its own",
		    imp->name);
	if (imp->needs_inputs && optind >= argc)
		return command_misuse(NAME, "%s: no input given", imp->name);
	if (!imp->needs_inputs && optind < argc)
		return command_misuse(NAME, "%s takes no input operand ('%s')",
		    imp->name, argv[optind]);
	return run(imp, &o, argv + optind, (size_t)(argc - optind));
}
