/*
 * backtest.h - how a plan does on days it never saw: capplan backtest.
 *
 * The samples are split at a time.  What comes before it (from --from)
 * is profiled and planned, as capplan profile and capplan plan would;
 * what comes after it (up to --until) is replayed against that plan,
 * independently of the planner's sizing: each guest's raw samples are
 * averaged per slot of the samples' most common interval and summed per
 * host, and each host-slot is compared with the host's limit (capacity
 * x (1 - headroom)) and capacity, per planned resource; each guest's
 * memory with the memory it was given.  The plan's own overload
 * prediction (empirical and Gaussian, over its planning slots) is kept
 * beside what was measured.  The figures are struct backtest
 * (planner/plan.h), written as capplan-backtest JSON.
 */
#ifndef PLANNER_BACKTEST_H
#define PLANNER_BACKTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/policy.h"
#include "planner/plan.h"

struct backtest_input {
	const struct policy *pol;
	const struct hostcat *hc;
	const struct inventory *inv;	/* NULL: none */
	char *const *samples;
	size_t nsamples;
	int resolution;			/* enum resolution */
	const char *model;		/* only this catalog model; NULL */
	const char *packer;		/* one heuristic; NULL: portfolio */
	bool search;
	unsigned threads;		/* 0: every core */
	double time_limit_s;
	int64_t from_ms, until_ms;	/* INT64_MIN, INT64_MAX: open */
	int64_t split_ms;		/* INT64_MIN: split_frac of the span */
	double split_frac;		/* 0-1 */
	bool oracle;			/* plan on the judged window itself:
					 * perfect foresight, a yardstick */
	double cpu_margin;		/* the plan's CPU demand x (1 + this) */
};

struct backtest_result {
	struct backtest bt;
	struct plan *plan;		/* the plan made before the split */
	char **warnings;		/* profile's and plan's, one line each */
	size_t nwarnings;
	char **infeasible;		/* no plan: why, one line each */
	size_t ninfeasible;
};

/*
 * Run it.  0 with res->bt and res->plan set; 1 when no plan meets the
 * constraints on the planning window (res->infeasible says why); -1 with
 * the error recorded (a samples file that does not read, no samples on
 * one side of the split).  Release res with backtest_result_release()
 * in every case.
 */
int backtest_run(const struct backtest_input *in, struct backtest_result *res);
void backtest_result_release(struct backtest_result *res);

#endif
