/*
 * cmd_inspect.c - capplan inspect: summarise and validate data files.
 *
 * The first thing a user runs on their data.  Every file is read to the
 * end and checked by the reader of its kind; a bad file gets its one-line
 * error and the others are still inspected, and the exit status is 1 if
 * any file failed.  Warnings (rows skipped by a documented policy) go to
 * stderr in both output modes and into the JSON.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/json.h"
#include "model/inspect.h"

#define HOSTS_SHOWN 5

/* A JSON number as text: integers as they are, reals with 2 decimals
 * (or none when whole and short is set), null as "-". */
static const char *
num_text(json_t *v, bool short_whole, char *buf, size_t size)
{
	double d = json_real_value(v);

	if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v) && short_whole && d == floor(d) &&
	    fabs(d) < 1e15)
		snprintf(buf, size, "%.0f", d);
	else if (json_is_real(v))
		snprintf(buf, size, "%.2f", d);
	else
		snprintf(buf, size, "-");
	return buf;
}

static void
print_names(FILE *fp, const char *label, json_t *a, const char *key)
{
	size_t i, n = json_array_size(a);
	json_t *e;

	fprintf(fp, "  %-10s %zu", label, n);
	for (i = 0; i < n && i < HOSTS_SHOWN; i++) {
		e = json_array_get(a, i);
		if (key != NULL)
			e = json_object_get(e, key);
		fprintf(fp, "%s%s", i == 0 ? ": " : ", ", json_string_value(e));
	}
	if (n > HOSTS_SHOWN)
		fprintf(fp, ", and %zu more", n - HOSTS_SHOWN);
	fputc('\n', fp);
}

static void
print_list(FILE *fp, const char *label, json_t *a)
{
	size_t i;

	fprintf(fp, "  %-10s", label);
	for (i = 0; i < json_array_size(a); i++)
		fprintf(fp, " %s", json_string_value(json_array_get(a, i)));
	if (json_array_size(a) == 0)
		fprintf(fp, " (none)");
	fputc('\n', fp);
}

static void
print_time(FILE *fp, json_t *o)
{
	char b1[32], b2[32], b3[32];
	json_t *first = json_object_get(o, "first");

	if (json_is_null(first) || first == NULL)
		return;
	fprintf(fp, "  %-10s %s to %s (%s days)\n", "time",
	    json_string_value(first),
	    json_string_value(json_object_get(o, "end")),
	    num_text(json_object_get(o, "days"), true, b1, sizeof(b1)));
	fprintf(fp, "  %-10s %s s\n", "interval",
	    num_text(json_object_get(o, "interval_s"), true, b1, sizeof(b1)));
	fprintf(fp, "  %-10s %.1f %% (%s of %s intervals)\n", "coverage",
	    100.0 * json_number_value(json_object_get(o, "coverage")),
	    num_text(json_object_get(o, "rows"), true, b2, sizeof(b2)),
	    num_text(json_object_get(o, "expected_intervals"), true, b3,
	    sizeof(b3)));
}

static void
print_metrics(FILE *fp, json_t *metrics)
{
	static const char *keys[] = { "n", "min", "mean", "p95", "max" };
	char buf[32];
	json_t *m;
	size_t i, k;

	if (json_array_size(metrics) == 0)
		return;
	fprintf(fp, "  %-20s %-13s %9s %12s %12s %12s %12s\n", "column", "unit",
	    "n", "min", "mean", "p95", "max");
	json_array_foreach(metrics, i, m) {
		fprintf(fp, "  %-20s %-13s", json_string_value(
		    json_object_get(m, "name")), json_string_value(
		    json_object_get(m, "unit")));
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			fprintf(fp, k == 0 ? " %9s" : " %12s", num_text(
			    json_object_get(m, keys[k]), false, buf,
			    sizeof(buf)));
		fprintf(fp, "%s\n", json_is_true(json_object_get(m,
		    "p95_estimated")) ? "  (p95 estimated)" : "");
	}
}

static void
print_text(FILE *fp, json_t *o)
{
	char buf[32];
	json_t *hosts = json_object_get(o, "hosts");

	fprintf(fp, "%s\n  %-10s %s version %lld\n", json_string_value(
	    json_object_get(o, "file")), "kind", json_string_value(
	    json_object_get(o, "kind")), (long long)json_integer_value(
	    json_object_get(o, "version")));
	if (hosts != NULL)
		print_names(fp, "hosts", hosts, json_is_object(
		    json_array_get(hosts, 0)) ? "host" : NULL);
	if (json_object_get(o, "models") != NULL)
		print_names(fp, "models", json_object_get(o, "models"), NULL);
	fprintf(fp, "  %-10s %s\n", "rows", num_text(json_object_get(o,
	    "rows"), true, buf, sizeof(buf)));
	print_time(fp, o);
	print_list(fp, "columns", json_object_get(o, "columns"));
	if (json_object_get(o, "extra_columns") != NULL)
		print_list(fp, "ignored", json_object_get(o,
		    "extra_columns"));
	print_metrics(fp, json_object_get(o, "metrics"));
}

static void
print_warnings(json_t *o)
{
	json_t *w;
	size_t i;

	json_array_foreach(json_object_get(o, "warnings"), i, w)
		command_warn("inspect", "%s", json_string_value(w));
}

/*
 * Inspect one file into files (JSON) or stdout (text); -1 if it failed.
 * *printed says whether a text block is already out (a blank line goes
 * between blocks).
 */
static int
inspect_one(const char *path, json_t *files, bool *printed)
{
	json_t *o = inspect_file(path), *err;

	if (o == NULL) {
		command_fail("inspect");
		if (files != NULL) {
			err = json_object();
			json_put(err, "file", json_str(strcmp(path, "-") == 0 ?
			    "<stdin>" : path));
			json_put(err, "error", json_str(error_last_msg()));
			json_array_append_new(files, err);
		}
		return -1;
	}
	print_warnings(o);
	if (files != NULL)
		json_array_append_new(files, o);
	else {
		if (*printed)
			putchar('\n');
		print_text(stdout, o);
		*printed = true;
		json_decref(o);
	}
	return 0;
}

enum { OPT_JSON = CMD_LONG_ONLY };

const struct cmd_option cmd_inspect_options[] = {
	{ OPT_JSON, "json", NULL, "print one JSON document for all files" },
	{ 0, NULL, NULL, NULL },
};

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, bool *json)
{
	struct cmd_getopt g;
	int ch;

	command_getopt_init(&g, "inspect");
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case OPT_JSON: *json = true; break;
		case CMD_DONE: return g.status;
		}
	}
	if (optind >= argc)
		return command_misuse("inspect", "no file to inspect");
	return CMD_RUN;
}

int
cmd_inspect(int argc, char **argv)
{
	json_t *root = NULL, *files = NULL;
	bool printed = false, json = false;
	int i, ret = EXIT_OK;

	if ((ret = parse_args(argc, argv, &json)) != CMD_RUN)
		return ret;
	ret = EXIT_OK;
	if (json) {
		root = json_object();
		files = json_array();
	}
	for (i = optind; i < argc; i++)
		if (inspect_one(argv[i], files, &printed) == -1)
			ret = EXIT_FAIL;
	if (root != NULL) {
		json_put(root, "files", files);
		if (json_write(root, stdout, "<stdout>") == -1)
			ret = command_fail("inspect");
		json_decref(root);
	}
	return ret;
}
