/*
 * config-lp.h - an estimate of the configuration LP of a packing problem
 * by column generation with heuristic pricing (bench/planetlab-run -L).
 *
 * Not a lower bound: the pricing is greedy, so a column it misses can
 * lower the LP further.  What it does give is an upper bound on the
 * configuration LP (the restricted master's optimum is never below the
 * full LP's), so on how high any bound of that family could ever go,
 * and, from the integer master over the columns found, a plan to set
 * beside the planner's.  planner/pack_exact.c has the exact version
 * (pricing as a MIP), which on large time-slot instances never finishes
 * its first pricing.
 */
#ifndef BENCH_CONFIG_LP_H
#define BENCH_CONFIG_LP_H

#include <stdbool.h>
#include <stddef.h>

#include "planner/pack.h"

struct config_lp {
	size_t rounds;		/* master LPs solved */
	size_t columns;		/* columns in the master at the end */
	double master;		/* the last master LP's optimum */
	double price;		/* its best pricing value found (> 1: not
				 * converged) */
	bool converged;		/* the pricing found no column */
	size_t hosts;		/* hosts of the integer master's plan, 0: none */
	size_t over;		/* its host-dimensions over the limit */
};

/* Column generation from start's bins for cg_s seconds (or until the
 * heuristic pricing finds no column), then the integer master over the
 * columns by diving for at most ip_s seconds (no plan when it runs
 * out).  Single bin type, no groups or pins: the problems of
 * bench/planetlab-run.  0, or -1 with the error set. */
int config_lp_estimate(const struct pack_problem *pb,
    const struct pack_solution *start, double cg_s, double ip_s,
    struct config_lp *r);

#endif
