/*
 * sizing.c - a sizing chosen to hold out of sample: [sizing]
 * target_overload_pct.
 *
 * A plan's overload measured on the samples it was made from says only
 * what its sizing allowed.  With a target, the planning window's samples
 * are split once more: each sizing of a ladder, from the leanest to the
 * safest, plans on the first two thirds and is judged on the last third
 * by capplan backtest's replay (planner/backtest.c); the sizing kept is
 * the first, the leanest, whose share of host-slots over the limit there
 * is within the target, with none over capacity; when none is, the
 * safest.  The plan is then made on the whole window with it, and says
 * which sizing it is and what it measured (expected_overload_pct): the
 * risk it expects.
 *
 * The ladder, leanest first: the hour-of-day profile at the 95th, 99th
 * and 100th percentile, the 100th with 10 % more CPU (a margin for bursts
 * beyond any seen), and peak-based sizing at the 100th.  The ladder is
 * ordered, not ranked by the host counts of the trials: on a third of a
 * window those differ by one host either way by chance (a first version
 * ranked them, and took the full series plus a margin, which used a host
 * more than the hour-of-day profile in the final plan).  A sizing's
 * percentile re-profiles the servers from the samples (with the plan's
 * inventory).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "model/profile_run.h"
#include "planner/backtest.h"
#include "planner/planner.h"

struct rung {
	int resolution;
	double percentile;
	double cpu_margin;
};

static const struct rung ladder[] = {
	{ RESOLUTION_HOUR, 95, 0 },
	{ RESOLUTION_HOUR, 99, 0 },
	{ RESOLUTION_HOUR, 100, 0 },
	{ RESOLUTION_HOUR, 100, 0.10 },
	{ RESOLUTION_PEAK, 100, 0 },
};

#define NRUNGS (sizeof(ladder) / sizeof(ladder[0]))

struct trial {
	bool ok;		/* a plan was made and judged */
	size_t hosts;
	double cost, over_limit_pct, over_capacity_pct;
};

/* "hour p99", "hour p100 +10 % CPU" */
static void
rung_name(const struct rung *g, char *buf, size_t len)
{
	snprintf(buf, len, "%s p%g%s", resolution_names[g->resolution],
	    g->percentile, g->cpu_margin > 0 ? " +10 % CPU" : "");
}

/* the policy of rung g: its percentile, no target (no recursion) */
static void
rung_policy(const struct policy *pol, const struct rung *g,
    struct policy *out)
{
	*out = *pol;
	out->target_overload_pct = 0;
	out->percentile = g->percentile;
}

/* plan with rung g on the first two thirds of the window, judge it on
 * the last third */
static void
try_rung(const struct planner_input *in, const struct rung *g,
    struct trial *t)
{
	struct backtest_input bi;
	struct backtest_result br;
	struct policy pol;

	rung_policy(in->pol, g, &pol);
	memset(&bi, 0, sizeof(bi));
	bi.pol = &pol;
	bi.hc = in->hc;
	bi.inv = in->inv;
	bi.samples = in->samples;
	bi.nsamples = in->nsamples;
	bi.resolution = g->resolution;
	bi.model = in->model;
	bi.packer = in->packer;
	bi.search = in->search;
	bi.threads = in->threads;
	bi.time_limit_s = in->time_limit_s;
	bi.from_ms = in->windowed ? in->from_ms : INT64_MIN;
	bi.until_ms = in->windowed ? in->until_ms : INT64_MAX;
	bi.split_ms = INT64_MIN;
	bi.split_frac = 2.0 / 3.0;
	bi.cpu_margin = g->cpu_margin;
	memset(t, 0, sizeof(*t));
	if (backtest_run(&bi, &br) == 0) {
		t->ok = true;
		t->hosts = br.bt.nhosts;
		t->cost = br.bt.plan_cost_per_year;
		t->over_limit_pct = br.bt.host_slots > 0 ? 100.0 *
		    (double)br.bt.over_limit / (double)br.bt.host_slots : 0;
		t->over_capacity_pct = br.bt.host_slots > 0 ? 100.0 *
		    (double)br.bt.over_capacity / (double)br.bt.host_slots : 0;
	}
	backtest_result_release(&br);
}

/* the rung to plan with: the first, the leanest, within the target;
 * else the last */
static size_t
choose(const struct trial *t, double target)
{
	size_t i;

	for (i = 0; i < NRUNGS; i++)
		if (t[i].ok && t[i].over_limit_pct <= target &&
		    t[i].over_capacity_pct == 0)
			return i;
	return NRUNGS - 1;
}

/* the servers of in->ps, profiled again from the samples at percentile p
 * over the planning window */
static int
reprofile(const struct planner_input *in, double p, struct profile_set *ps)
{
	struct profile_config cfg;
	struct profile_run run = { 0 };
	struct profile tmp;
	size_t i, n = 0;
	int rc;

	profile_config_from_policy(&cfg, in->pol);
	cfg.percentile = p;
	if (in->resolution == RESOLUTION_WEEK)
		cfg.slots = SLOTS_WEEK;
	run.cfg = &cfg;
	run.inv = in->inv;
	run.workers = in->threads;
	run.budget_bytes = PROFILE_RUN_BUDGET_DEFAULT;
	run.windowed = in->windowed;
	run.from_ms = in->from_ms;
	run.until_ms = in->until_ms;
	rc = profile_run(&run, in->samples, in->nsamples, ps);
	profile_run_release(&run);
	for (i = 0; rc == 0 && i < ps->nprofiles; i++) {
		if (profile_set_find(in->ps, ps->profiles[i].host) == NULL) {
			profile_release(&ps->profiles[i]);
			continue;
		}
		tmp = ps->profiles[i];
		ps->profiles[n++] = tmp;
	}
	if (rc == 0)
		ps->nprofiles = n;
	return rc;
}

/* what the plan says of the sizing chosen and the risk it expects */
static void
state(struct plan *p, const struct rung *g, const struct trial *t,
    double target)
{
	char name[48], buf[512];

	rung_name(g, name, sizeof(name));
	snprintf(buf, sizeof(buf), "%s (chosen for target_overload_pct %g: "
	    "%.4f %% of host-slots over the limit when planned on the first "
	    "two thirds of the window and judged on the last); %s", name,
	    target, t->over_limit_pct, p->sizing != NULL ? p->sizing : "");
	free(p->sizing);
	p->sizing = xstrdup(buf);
	p->target_overload_pct = target;
	p->expected_overload_pct = t->over_limit_pct;
}

int
planner_run_target(const struct planner_input *in,
    struct planner_result *res)
{
	struct trial t[NRUNGS];
	struct planner_input q = *in;
	struct profile_set ps = { 0 };
	struct policy pol;
	size_t i, k;
	int rc;

	if (in->nsamples == 0)
		return error_set(ERROR_USAGE, "[sizing] target_overload_pct "
		    "chooses the sizing on the samples: give the samples files "
		    "after hosts.csv");
	for (i = 0; i < NRUNGS; i++)
		try_rung(in, &ladder[i], &t[i]);
	k = choose(t, in->pol->target_overload_pct);
	rung_policy(in->pol, &ladder[k], &pol);
	if (reprofile(in, ladder[k].percentile, &ps) == -1) {
		profile_set_release(&ps);
		return -1;
	}
	q.ps = &ps;
	q.pol = &pol;
	q.resolution = ladder[k].resolution;
	q.cpu_margin = ladder[k].cpu_margin;
	rc = planner_run(&q, res);
	if (rc == 0)
		state(res->plan, &ladder[k], &t[k],
		    in->pol->target_overload_pct);
	if (!t[k].ok || t[k].over_limit_pct > in->pol->target_overload_pct)
		planner_warn(res, "no sizing met target_overload_pct %g on the "
		    "last third of the window; planned with the safest, %s",
		    in->pol->target_overload_pct, "peak p100");
	profile_set_release(&ps);
	return rc;
}
