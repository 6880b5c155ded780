/*
 * hostcat.h - the target host catalog (capplan-hosts,1).
 *
 * The host models a plan may buy: capacity (cpu_rating in capacity units,
 * cores, memory, optional disk and network capacity), cost (price,
 * maintenance, rack units) and an 11-point power curve in watts at 0, 10,
 * ..., 100 % load, as SPECpower_ssj2008 reports it.
 * USED BY: capplan.
 */
#ifndef COMMON_HOSTCAT_H
#define COMMON_HOSTCAT_H

#include <stddef.h>

#include "common/table.h"

#define POWER_POINTS 11

struct host_model {
	char *model;
	double sockets, cores, threads;
	double cpu_rating;	/* capacity units */
	double mem_mib;
	double disk_iops;	/* NaN: not constrained */
	double disk_kibps;
	double net_kibps;
	double storage_gib;	/* usable guest storage; NaN: not known */
	double rack_units;
	double price;
	double power_w[POWER_POINTS];
	double maint_per_year;
	double available;	/* NaN: unlimited */
};

struct hostcat {
	struct host_model *models;
	size_t nmodels;
};

extern const struct table_spec hostcat_spec;

int hostcat_load(struct hostcat *hc, const char *path,
    struct table_info *info);
void hostcat_release(struct hostcat *hc);
const struct host_model *hostcat_find(const struct hostcat *hc,
    const char *model);

#endif
