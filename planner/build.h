/*
 * build.h - the state of one planner_run() shared by build.c (packing)
 * and explain.c (the plan written from it).  Inside planner/ only.
 */
#ifndef PLANNER_BUILD_H
#define PLANNER_BUILD_H

#include "model/cost.h"
#include "planner/planner.h"

#define NSTATIC 4		/* vCPUs, committed memory, guest count,
				 * storage */

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
	/* trust zones (zones.c): zone 0 is the servers of no zone */
	uint32_t *zone;		/* per item; NULL: no server is in a zone */
	size_t nzones;		/* 1 + named zones */
	char **zone_name;	/* per zone; [0] NULL */
	const struct zone_rule **zone_rule;	/* per zone, or NULL */
	size_t *zone_type;	/* per zone: pack type, or PACK_NONE */
	size_t *zone_max;	/* per zone: most hosts, or PACK_NONE */
	/* existing hosts (brownfield.c): pinned bins npins .. npins +
	 * nexist - 1, after the [pin] hosts */
	size_t nexist;
	size_t *current;	/* per item: the existing host it runs on now,
				 * or PACK_NONE */
	bool *stay;		/* per item: the balancing leaves it; NULL */
	size_t *exist_type;	/* per existing host: its pack type */
	uint32_t *exist_domain;	/* per existing host: its domain, or
				 * UINT32_MAX (dealt like a new host) */
	uint32_t *pinned_zone, *pinned_domain;	/* per pinned bin */
	/* failure domains (ha.c) */
	size_t ndomains;	/* [ha] domains and the existing hosts'; 0 */
	const char **domain_name;	/* per domain (borrowed) */
	size_t *dgroup_off;	/* anti-affinity ids kept apart by domain,
				 * per item (CSR); NULL: none */
	uint32_t *dgroups;
	/* the problem */
	bool planned[RES_N];
	size_t ndims;
	size_t res_off[RES_N];	/* first dimension of each planned resource */
	size_t static_off;	/* first static dimension: the vCPUs, then the
				 * committed memory */
	size_t dim_guests;	/* the guest count's, or PACK_NONE */
	size_t dim_storage;	/* the storage GiB's, or PACK_NONE */
	struct pack_block blocks[RES_N + NSTATIC];
	size_t nblocks;
	double *demand;		/* nitems x ndims */
	/* d.v was freed after fill_demand(): every item is one server, whose
	 * rows in demand are its profile (explain.c points there) */
	bool demand_is_profiles;
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
	size_t *spare_model;	/* per spare: catalog model */
	size_t *spare_type;	/* per spare: its type, for pack_verify */
	uint32_t *spare_zone;	/* per spare: its zone */
	uint32_t *spare_domain;	/* per spare: its domain */
	size_t nspare;
	const char *failover_check;	/* "sets", "spares" or NULL */
	/* [placement] balance */
	size_t balance_moves;
	bool *balanced;		/* per item: moved by it; NULL */
	double peak_before, peak_after, spread_before, spread_after;
};

/* build.c: the pack types with first first, limits lim (b->cap or
 * b->fail); the problem over them; a catalog model's type; the yearly
 * cost of a host of model hm at mean_w, its purchase sunk when it
 * exists */
void host_year_cost(const struct build *b, const struct host_model *hm,
    double mean_w, bool sunk, struct cost_breakdown *cb);
void make_types(struct build *b, size_t first, const double *lim);
int make_problem(struct build *b);
size_t type_of_model(const struct build *b, size_t m);

/* brownfield.c: the existing hosts and their current guests (-1 on
 * error); the existing host server s runs on now, or PACK_NONE; the name
 * of pinned bin p; is bin bn an existing host; bin bn's name in the plan;
 * the existing hosts' types after the others (make_types()); bin bn's
 * type for its model (its existing type for an existing host); the
 * existing hosts' zones and domains for the pinned bins */
int brownfield_make(struct build *b);
void brownfield_home(struct build *b);
const char *fixed_name(const struct build *b, size_t p);
bool bin_is_existing(const struct build *b, size_t bn);
void bin_name(const struct build *b, size_t bn, char *buf, size_t len);
void brownfield_types(struct build *b, const double *lim);
size_t bin_type_of(const struct build *b, size_t bn);
void brownfield_zones(struct build *b, uint32_t *pinned_zone);
int brownfield_domains(struct build *b);

/* ha.c: the domain groups (-1 on error); the hosts dealt to the domains;
 * the spares N+k and domain failures need */
int domains_make(struct build *b);
void domains_balance(struct build *b);
void ha_spares(struct build *b);

/* the zone of every server and item, checked (zones.c): -1 on error,
 * unmet constraints added to b->res */
int zones_make(struct build *b);
/* the zone types of the current pack types (make_problem()): -1 when a
 * zone's model is not among them */
int zones_types(struct build *b);
/* the zone of bin bn of the solution (0 when empty or no zones) */
uint32_t zones_of_bin(const struct build *b, size_t bn);
void zones_release(struct build *b);

/* the plan from a packed build (explain.c) */
struct plan *explain_plan(struct build *b);

#endif
