/*
 * cmd_whatif.c - capplan whatif: would these servers fit on this host?
 *
 * A host model from the catalog and servers given by their profiles
 * (-p, with server names as operands, all by default) or by samples
 * files (profiled here as capplan profile would), evaluated by
 * model/whatif.c.  Prints the contention report as text or JSON; exits 3
 * when the host would be over the policy's limits.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/json.h"
#include "common/ofile.h"
#include "common/policy.h"
#include "model/profile_run.h"
#include "model/whatif.h"

#define GUESTS_SHOWN 8

struct whatif_args {
	const char *conf, *inventory, *model, *out, *profiles;
	bool json;
	int slots;		/* 0: the policy's */
};

static const char *
num(json_t *v, int decimals, char *buf, size_t size)
{
	if (!json_is_number(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f", decimals, json_number_value(v));
	return buf;
}

static double
get(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void
print_guests(FILE *fp, json_t *guests)
{
	json_t *g;
	size_t i, n = json_array_size(guests);

	fprintf(fp, "%-9s %zu", "guests", n);
	json_array_foreach(guests, i, g) {
		if (i == GUESTS_SHOWN)
			break;
		fprintf(fp, "%s%s (%.0f vCPU, %.0f MiB)", i == 0 ? ": " : ", ",
		    json_string_value(json_object_get(g, "server")),
		    get(g, "vcpus"), get(g, "mem_mib"));
	}
	if (n > GUESTS_SHOWN)
		fprintf(fp, ", and %zu more", n - GUESTS_SHOWN);
	fputc('\n', fp);
}

/* latency at the peak; "inf" when a constrained resource saturates */
static const char *
lat(json_t *r, char *buf, size_t size)
{
	if (json_is_true(json_object_get(r, "constrained")) &&
	    json_is_null(json_object_get(r, "latency_peak")) &&
	    json_is_number(json_object_get(r, "util_peak_pct")))
		return "inf";
	return num(json_object_get(r, "latency_peak"), 2, buf, size);
}

static void
print_resources(FILE *fp, json_t *res)
{
	char b[10][32];
	json_t *r;
	size_t i;
	int d;

	fprintf(fp, "\n%-10s %-5s %12s %12s %12s %12s %12s %6s %8s %8s %7s "
	    "%8s\n", "resource", "unit", "capacity", "limit", "peak", "mean",
	    "sum of peaks", "gain", "over %", "gauss %", "util %", "latency");
	json_array_foreach(res, i, r) {
		d = strcmp(json_string_value(json_object_get(r, "unit")),
		    "CU") == 0 ? 3 : 0;
		fprintf(fp, "%-10s %-5s %12s %12s %12s %12s %12s %6s %8s %8s %7s "
		    "%8s\n", json_string_value(json_object_get(r, "name")),
		    json_string_value(json_object_get(r, "unit")),
		    num(json_object_get(r, "capacity"), d, b[0], 32),
		    num(json_object_get(r, "limit"), d, b[1], 32),
		    num(json_object_get(r, "peak"), d, b[2], 32),
		    num(json_object_get(r, "mean"), d, b[3], 32),
		    num(json_object_get(r, "sum_of_peaks"), d, b[4], 32),
		    num(json_object_get(r, "mux_gain"), 2, b[5], 32),
		    num(json_object_get(r, "over_limit_slots_pct"), 1, b[6], 32),
		    num(json_object_get(r, "over_limit_gauss_pct"), 1, b[7], 32),
		    num(json_object_get(r, "util_peak_pct"), 1, b[8], 32),
		    lat(r, b[9], 32));
	}
}

/* names of a JSON array after lead, comma-separated */
static void
print_names(FILE *fp, json_t *a, const char *lead)
{
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		fprintf(fp, "%s%s", i == 0 ? lead : ", ", json_string_value(v));
}

/* the storage line, when the model has storage: every guest not sized
 * as [storage] size asks named */
static void
print_storage(FILE *fp, json_t *st)
{
	const char *size = json_string_value(json_object_get(st, "size"));
	bool used = size != NULL && strcmp(size, "used") == 0;

	if (!json_is_object(st))
		return;
	if (!json_is_true(json_object_get(st, "checked"))) {
		fprintf(fp, "%-9s not checked: no server here has a disk size "
		    "(disk_gib or disk_used_gib, -i)\n", "storage");
		return;
	}
	if (json_is_number(json_object_get(st, "committed_gib")))
		fprintf(fp, "%-9s %.1f GiB committed of %.1f usable (%s disk)",
		    "storage", get(st, "committed_gib"), get(st, "usable_gib"),
		    size);
	else
		fprintf(fp, "%-9s not known, %.1f GiB usable", "storage",
		    get(st, "usable_gib"));
	print_names(fp, json_object_get(st, "other_size"), used ?
	    "; by their allocated disk, no used size known: " :
	    "; by their used disk and margin, no allocated size known: ");
	print_names(fp, json_object_get(st, "assumed"),
	    "; [storage] assumed_gib for ");
	print_names(fp, json_object_get(st, "unknown"), "; no disk size: ");
	fputc('\n', fp);
}

static void
print_text(FILE *fp, json_t *o)
{
	json_t *h = json_object_get(o, "host"), *c = json_object_get(o, "cpu"),
	    *m = json_object_get(o, "memory"), *v;
	size_t i;

	fprintf(fp, "%-9s %s: %.3f CU, %.0f threads, %.0f MiB\n", "host",
	    json_string_value(json_object_get(h, "model")), get(h, "cpu_cu"),
	    get(h, "threads"), get(h, "mem_mib"));
	if (json_is_string(json_object_get(o, "zone")))
		fprintf(fp, "%-9s %s\n", "zone", json_string_value(
		    json_object_get(o, "zone")));
	print_guests(fp, json_object_get(o, "guests"));
	fprintf(fp, "%-9s %lld, %s; sizing percentile %g\n", "slots",
	    (long long)json_integer_value(json_object_get(o, "nslots")),
	    strcmp(json_string_value(json_object_get(o, "slot_kind")),
	    "week") == 0 ? "hours of the week" : "hours of the day",
	    get(o, "percentile"));
	print_resources(fp, json_object_get(o, "resources"));
	fprintf(fp, "\n%-9s %.0f vCPUs on %.0f threads (%.2f per thread); "
	    "ready %.2f %% per vCPU, worst slot %.2f %% (%s queue)\n", "cpu",
	    get(c, "vcpus"), get(c, "threads"), get(c, "vcpu_per_thread"),
	    get(c, "ready_pct"), get(c, "ready_max_pct"),
	    json_string_value(json_object_get(c, "queue")));
	fprintf(fp, "%-9s %.0f MiB committed of %.0f (overcommit %.2f); "
	    "active %.0f MiB expected, %.0f at peak; swap risk %.1f %% of "
	    "slots, %.1f %% Gaussian\n", "memory", get(m, "committed_mib"),
	    get(m, "physical_mib"), get(m, "overcommit"), get(m, "active_mib"),
	    get(m, "active_peak_mib"), get(m, "swap_risk_slots_pct"),
	    get(m, "swap_risk_gauss_pct"));
	print_storage(fp, json_object_get(o, "storage"));
	if (json_is_true(json_object_get(o, "fits"))) {
		fprintf(fp, "\n%-9s fits within the policy's limits\n",
		    "verdict");
		return;
	}
	fprintf(fp, "\n%-9s over the policy's limits:\n", "verdict");
	json_array_foreach(json_object_get(o, "violations"), i, v)
		fprintf(fp, "%-9s %s\n", "", json_string_value(
		    json_object_get(v, "message")));
}

enum { OPT_JSON = CMD_LONG_ONLY };

const struct cmd_option cmd_whatif_options[] = {
	{ OPT_JSON, "json", NULL, "write the report as JSON" },
	{ 'c', NULL, "capplan.conf", "the policy (default: built-in defaults)" },
	{ 'i', NULL, "inventory.csv", "the inventory, when profiling samples" },
	{ 'm', NULL, "model", "the host model (needed if the catalog has more)" },
	{ 'o', NULL, "file", "write here, not to standard output" },
	{ 'p', NULL, "profiles.csv", "read profiles instead of profiling samples" },
	{ 's', NULL, "hour | week", "when profiling: slots of the day or week" },
	{ 0, NULL, NULL, NULL },
};

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct whatif_args *a)
{
	struct cmd_getopt g;
	int ch;

	command_getopt_init(&g, "whatif");
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 'i': a->inventory = optarg; break;
		case 'm': a->model = optarg; break;
		case 'o': a->out = optarg; break;
		case 'p': a->profiles = optarg; break;
		case OPT_JSON: a->json = true; break;
		case 's':
			if (strcmp(optarg, "hour") != 0 &&
			    strcmp(optarg, "week") != 0)
				return command_misuse("whatif", "-s '%s' is not "
				    "hour or week", optarg);
			a->slots = strcmp(optarg, "week") == 0 ? SLOTS_WEEK :
			    SLOTS_HOUR;
			break;
		case CMD_DONE: return g.status;
		}
	}
	if (optind >= argc)
		return command_misuse("whatif", "no host catalog");
	if (a->profiles == NULL && optind + 1 >= argc)
		return command_misuse("whatif", "no samples file (or -p "
		    "profiles.csv)");
	return CMD_RUN;
}

static const struct host_model *
pick_model(const struct hostcat *hc, const char *name, const char *path)
{
	const struct host_model *m;

	if (name != NULL) {
		if ((m = hostcat_find(hc, name)) == NULL)
			error_set(ERROR_DATA, "no model '%s' in '%s'", name, path);
		return m;
	}
	if (hc->nmodels != 1) {
		error_set(ERROR_USAGE, "'%s' has %zu models: name one with -m",
		    path, hc->nmodels);
		return NULL;
	}
	return &hc->models[0];
}

/* The servers' profiles: read from -p, or made from the samples. */
static int
get_profiles(const struct whatif_args *a, char **files, size_t nfiles,
    const struct policy *pol, const struct inventory *inv,
    struct profile_set *ps)
{
	struct profile_config cfg;
	struct profile_run run = { 0 };
	size_t i;
	int ret;

	if (a->profiles != NULL)
		return profile_set_read(ps, a->profiles);
	profile_config_from_policy(&cfg, pol);
	if (a->slots != 0)
		cfg.slots = (enum slot_kind)a->slots;
	run.cfg = &cfg;
	run.inv = inv;
	run.budget_bytes = PROFILE_RUN_BUDGET_DEFAULT;
	ret = profile_run(&run, files, nfiles, ps);
	for (i = 0; i < run.nwarnings; i++)
		command_warn("whatif", "%s", run.warnings[i]);
	profile_run_release(&run);
	return ret;
}

static int
write_report(json_t *o, const struct whatif_args *a)
{
	struct ofile *of;

	if (a->json)
		return json_write_path(o, a->out);
	if ((of = ofile_open(a->out)) == NULL)
		return -1;
	print_text(of->fp, o);
	return ofile_commit(of);
}

static int
run_whatif(const struct whatif_args *a, char **ops, size_t nops,
    const struct policy *pol)
{
	const struct host_model *m;
	struct profile_set ps = { 0 };
	struct inventory inv;
	struct hostcat hc;
	json_t *o = NULL;
	bool over = false, have_inv = false;
	int ret = EXIT_FAIL;

	if (hostcat_load(&hc, ops[0], NULL) == -1)
		return command_fail("whatif");
	if (a->inventory != NULL) {
		if (inventory_load(&inv, a->inventory, NULL) == -1)
			goto out;
		have_inv = true;
	}
	if ((m = pick_model(&hc, a->model, ops[0])) == NULL ||
	    get_profiles(a, ops + 1, nops - 1, pol, have_inv ? &inv : NULL,
	    &ps) == -1 ||
	    (o = whatif_report(m, &ps, a->profiles != NULL ? ops + 1 : NULL,
	    a->profiles != NULL ? nops - 1 : 0, pol, have_inv ? &inv : NULL,
	    &over)) == NULL ||
	    write_report(o, a) == -1)
		goto out;
	ret = over ? EXIT_NO : EXIT_OK;
out:
	if (ret == EXIT_FAIL)
		command_fail("whatif");
	json_decref(o);
	profile_set_release(&ps);
	if (have_inv)
		inventory_release(&inv);
	hostcat_release(&hc);
	return ret;
}

int
cmd_whatif(int argc, char **argv)
{
	struct whatif_args a = { NULL, NULL, NULL, "-", NULL, false, 0 };
	struct policy pol;
	int ret;

	if ((ret = parse_args(argc, argv, &a)) != CMD_RUN)
		return ret;
	if (a.conf != NULL ? policy_load(&pol, a.conf) : (policy_init(&pol), 0))
		return command_fail("whatif");
	ret = run_whatif(&a, argv + optind, (size_t)(argc - optind), &pol);
	policy_release(&pol);
	return ret;
}
