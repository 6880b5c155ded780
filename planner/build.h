/*
 * build.h - the state of one planner_run() shared by build.c (packing)
 * and explain.c (the plan written from it).  Inside planner/ only.
 */
#ifndef PLANNER_BUILD_H
#define PLANNER_BUILD_H

#include "model/cost.h"
#include "planner/planner.h"

#define NSTATIC 3		/* vCPUs, committed memory, guest count */

struct build {
	const struct planner_input *in;
	struct planner_result *res;
	struct demand d;
	struct candidates cand;
	struct cost_params cp;
	/* items: a virtualized server, or an affinity group of them */
	size_t nitems;
	size_t *item_of;	/* per server: its item, or PACK_NONE */
	size_t *mem_off;	/* item -> servers: members[mem_off[i] ..] */
	size_t *members;
	const char **item_group;	/* per item: affinity group or NULL */
	size_t *pin;		/* per item: pinned bin or PACK_NONE */
	const struct server_group **pins;	/* per pinned bin */
	size_t npins;
	size_t *group_off;	/* anti-affinity ids per item (CSR) */
	uint32_t *groups;
	/* the problem */
	bool planned[RES_N];
	size_t ndims;
	size_t res_off[RES_N];	/* first dimension of each planned resource */
	size_t static_off;	/* first static dimension */
	struct pack_block blocks[RES_N + NSTATIC];
	size_t nblocks;
	double *demand;		/* nitems x ndims */
	double *cap, *hard, *fail;	/* nmodels x ndims */
	double *model_cost;	/* per model: a year at 50 % (tie-breaks) */
	/* the result */
	size_t chosen;		/* model of the plan */
	size_t *type_model;	/* pack type -> catalog model */
	struct pack_bintype *types;
	size_t ntypes;
	size_t *pinned_type;
	struct pack_problem pb;
	struct pack_solution sol;
	size_t *bin_model;	/* per bin: catalog model (after downsizing) */
	enum pack_search_end end;
	struct pack_bounds bounds;
	double lp, optimum;
	const char *exact;
	size_t peak_hosts;
	size_t spare_model;	/* PACK_NONE: no spare */
	size_t nspare;
};

/* the plan from a packed build (explain.c) */
struct plan *explain_plan(struct build *b);

#endif
