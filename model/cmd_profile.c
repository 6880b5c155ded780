/*
 * cmd_profile.c - capplan profile: samples (+ inventory, policy) in, one
 * demand profile per server out (capplan-profiles,1 CSV, or JSON).
 *
 * Options override the policy's [sizing] percentile and resolution; the
 * work is model/profile_run.c's.  Warnings (rows skipped by a documented
 * rule, inventory servers without samples) go to stderr; stdout carries
 * the profiles only.
 */
#include <getopt.h>
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

/* 0, or the exit status of a misuse (printed) */
static int
parse_args(int argc, char **argv, struct profile_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "c:hi:j:m:o:q:s:v",
	    opts, NULL)) != -1) {
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 'i': a->inventory = optarg; break;
		case 'o': a->out = optarg; break;
		case 'J': a->json = true; break;
		case 'v': a->verbose = true; break;
		case 'q':
			rc = parse_number("-q", optarg, 50, 100, &a->percentile);
			break;
		case 's': rc = parse_slots(optarg, &a->slots); break;
		case 'j': rc = parse_long("-j", optarg, 1, 64, &a->workers); break;
		case 'm':
			rc = parse_long("-m", optarg, 0, 1 << 20, &a->budget_mib);
			break;
		case 'h':
			command_usage(stdout, "profile");
			return -1;
		default:
			command_usage(stderr, "profile");
			return EXIT_USAGE;
		}
	}
	if (rc == 0 && optind >= argc)
		return command_misuse("profile", "no samples file");
	return rc;
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

	if ((ret = parse_args(argc, argv, &a)) != 0)
		return ret < 0 ? EXIT_OK : ret;
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
