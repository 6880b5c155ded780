/*
 * cmd_profile.c - capplan profile: samples (+ inventory, policy) in, one
 * demand profile per server out (capplan-profiles,1 CSV, or JSON).
 *
 * Options override the policy's [sizing] percentile and resolution; the
 * work is model/profile_run.c's.  Warnings (rows skipped by a documented
 * rule, inventory servers without samples) go to stderr; stdout carries
 * the profiles only.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/inventory.h"
#include "common/num.h"
#include "common/policy.h"
#include "model/profile_run.h"

struct profile_args {
	const char *conf, *inventory, *out;
	bool json, verbose;
	double percentile;	/* NaN: the policy's */
	int slots;		/* 0: the policy's */
	long workers, budget_mib;
};

static int
parse_number(const char *opt, const char *s, double lo, double hi,
    double *out)
{
	const char *why;

	if (num_parse_double(s, out, &why) == -1)
		return command_misuse("profile", "%s '%s' %s", opt, s, why);
	if (*out < lo || *out > hi)
		return command_misuse("profile", "%s '%s' is not between %g and "
		    "%g", opt, s, lo, hi);
	return 0;
}

static int
parse_slots(const char *s, int *out)
{
	if (strcmp(s, "hour") == 0)
		*out = SLOTS_HOUR;
	else if (strcmp(s, "week") == 0)
		*out = SLOTS_WEEK;
	else
		return command_misuse("profile", "-s '%s' is not hour or week",
		    s);
	return 0;
}

static int
parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
	const char *why;

	if (num_parse_long_range(s, lo, hi, out, &why) == -1)
		return command_misuse("profile", "%s '%s' %s", opt, s, why);
	return 0;
}

enum { OPT_JSON = CMD_LONG_ONLY };

const struct cmd_option cmd_profile_options[] = {
	{ 'v', NULL, NULL, "print counts of files, rows, workers to stderr" },
	{ OPT_JSON, "json", NULL, "write JSON instead of CSV" },
	{ 'c', NULL, "capplan.conf", "the policy (default: built-in defaults)" },
	{ 'i', NULL, "inventory.csv", "the inventory: CPU ratings, CPUs, memory" },
	{ 'j', NULL, "workers", "threads, 1 to 64 (default: one per CPU)" },
	{ 'm', NULL, "mib", "samples held in memory, MiB (default 256)" },
	{ 'o', NULL, "file", "write here, not to standard output" },
	{ 'q', NULL, "percentile", "the sizing percentile, 50 to 100" },
	{ 's', NULL, "hour | week", "slots of the day or of the week" },
	{ 0, NULL, NULL, NULL },
};

/* 0, or the exit status of a misuse (printed) */
static int
parse_value(int ch, const char *arg, struct profile_args *a)
{
	switch (ch) {
	case 'q': return parse_number("-q", arg, 50, 100, &a->percentile);
	case 's': return parse_slots(arg, &a->slots);
	case 'j': return parse_long("-j", arg, 1, 64, &a->workers);
	case 'm': return parse_long("-m", arg, 0, 1 << 20, &a->budget_mib);
	}
	return 0;
}

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct profile_args *a)
{
	struct cmd_getopt g;
	int ch, rc;

	command_getopt_init(&g, "profile");
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 'i': a->inventory = optarg; break;
		case 'o': a->out = optarg; break;
		case OPT_JSON: a->json = true; break;
		case 'v': a->verbose = true; break;
		case CMD_DONE: return g.status;
		default:
			if ((rc = parse_value(ch, optarg, a)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return command_misuse("profile", "no samples file");
	return CMD_RUN;
}

static void
print_stats(const struct profile_run *run, size_t nfiles, size_t nprofiles)
{
	fprintf(stderr, "capplan profile: %zu profile%s from %zu file%s, %zu "
	    "rows, %u worker%s, %zu bytes spilled\n", nprofiles,
	    nprofiles == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s",
	    run->rows, run->used_workers, run->used_workers == 1 ? "" : "s",
	    run->spilled_bytes);
}

static int
run_profile(const struct profile_args *a, char **files, size_t nfiles,
    const struct policy *pol, const struct inventory *inv)
{
	struct profile_config cfg;
	struct profile_run run = { 0 };
	struct profile_set ps;
	size_t i;
	int ret = EXIT_OK;

	profile_config_from_policy(&cfg, pol);
	if (!isnan(a->percentile))
		cfg.percentile = a->percentile;
	if (a->slots != 0)
		cfg.slots = (enum slot_kind)a->slots;
	run.cfg = &cfg;
	run.inv = inv;
	run.workers = (unsigned)a->workers;
	run.budget_bytes = a->budget_mib < 0 ? PROFILE_RUN_BUDGET_DEFAULT :
	    (size_t)a->budget_mib << 20;
	if (profile_run(&run, files, nfiles, &ps) == -1)
		ret = command_fail("profile");
	for (i = 0; i < run.nwarnings; i++)
		command_warn("profile", "%s", run.warnings[i]);
	if (ret == EXIT_OK && profile_set_write(&ps, a->out, a->json) == -1)
		ret = command_fail("profile");
	if (ret == EXIT_OK && a->verbose)
		print_stats(&run, nfiles, ps.nprofiles);
	profile_set_release(&ps);
	profile_run_release(&run);
	return ret;
}

int
cmd_profile(int argc, char **argv)
{
	struct profile_args a = { NULL, NULL, "-", false, false, NAN, 0, 0,
	    -1 };
	struct inventory inv;
	struct policy pol;
	bool have_inv = false;
	int ret;

	if ((ret = parse_args(argc, argv, &a)) != CMD_RUN)
		return ret;
	if (a.conf != NULL ? policy_load(&pol, a.conf) : (policy_init(&pol), 0))
		return command_fail("profile");
	ret = EXIT_FAIL;
	if (a.inventory != NULL) {
		if (inventory_load(&inv, a.inventory, NULL) == -1) {
			command_fail("profile");
			goto out;
		}
		have_inv = true;
	}
	ret = run_profile(&a, argv + optind, (size_t)(argc - optind), &pol,
	    have_inv ? &inv : NULL);
out:
	if (have_inv)
		inventory_release(&inv);
	policy_release(&pol);
	return ret;
}
