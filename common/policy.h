/*
 * policy.h - the planning policy, read from capplan.conf (INI).
 *
 * Every key has a default and a unit, listed in policy.c's key table and
 * documented in capplan.conf(5) (a test checks the two agree), so an empty
 * file is a complete policy.  Groups of servers (affinity, anti-affinity)
 * are sections with a name: [affinity web] servers = web1, web2.
 * USED BY: capplan.
 */
#ifndef COMMON_POLICY_H
#define COMMON_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/conf.h"
#include "common/inventory.h"
#include "common/strmap.h"

enum resolution {
	RESOLUTION_HOUR,	/* 24 hour-of-day slots */
	RESOLUTION_WEEK,	/* 168 hour-of-week slots */
	RESOLUTION_SERIES,	/* the full aligned series */
	RESOLUTION_PEAK,	/* one slot: the sizing percentile (peak sizing) */
};

/* [ha] failure_domain: which column of the existing hosts */
enum failure_domain {
	FAILURE_DOMAIN_NONE, FAILURE_DOMAIN_RACK, FAILURE_DOMAIN_PDU,
	FAILURE_DOMAIN_ROOM,
};

/* [placement] balance: what to do with the hosts once counted */
enum balance {
	BALANCE_PEAK,		/* lower the highest host peaks, in turn */
	BALANCE_NONE,		/* keep the packing's placement */
};

/* [storage] size: the disk GiB a guest takes on its host */
enum storage_size {
	STORAGE_ALLOCATED,	/* the inventory's disk_gib (thick) */
	STORAGE_USED,		/* disk_used_gib x (1 + used_margin) (thin) */
};

enum server_group_kind {
	GROUP_AFFINITY,		/* keep together on one host */
	GROUP_ANTI_AFFINITY,	/* keep on different hosts */
	GROUP_PIN,		/* on the planned host named after the group */
};

struct server_group {
	enum server_group_kind kind;
	char *name;
	struct conf_list servers;
	size_t line;		/* where it was defined */
	char *model;		/* GROUP_PIN: the host's model, or NULL */
	bool apart_domains;	/* GROUP_ANTI_AFFINITY: in different
				 * failure domains, not only hosts */
};

/*
 * A trust zone's section, [zone NAME]: servers named into the zone (with
 * those the inventory or [zones] separate put there), the model of its
 * hosts and how many it may have.
 */
/*
 * [growth] (every server) and [growth NAME] (its servers, or the
 * inventory group NAME when it lists none): growth stated by the user
 * over [sizing] horizon_months, in percent per resource; NaN where not
 * stated.  A stated figure replaces the fitted trend for that resource.
 */
enum growth_res {
	GROWTH_CPU, GROWTH_MEM, GROWTH_DISK, GROWTH_NET, GROWTH_STORAGE,
	GROWTH_N
};

/* "cpu_pct", "mem_pct", "disk_pct", "net_pct", "storage_pct" */
extern const char *const growth_key_names[GROWTH_N];

struct growth_rule {
	char *name;		/* "" for [growth] */
	struct conf_list servers;	/* may be empty */
	double pct[GROWTH_N];	/* NaN: not stated */
	size_t line;		/* where it was defined */
};

/* [add NAME]: count more servers like an existing one, planned as
 * NAME-1 ... NAME-count */
struct add_rule {
	char *name;
	char *like;		/* the server they are like; NULL: not given */
	long count;		/* 0: not given (1) */
	size_t line;
};

struct zone_rule {
	char *name;
	struct conf_list servers;	/* may be empty */
	char *model;		/* its hosts' catalog model, or NULL */
	long max_hosts;		/* 0: no limit */
	size_t line;		/* where it was defined */
};

struct policy {
	/* [sizing] */
	double percentile;	/* sizing percentile, 50-100 */
	int resolution;		/* enum resolution */
	long min_days;		/* less data than this is flagged */
	long horizon_months;	/* growth projected this far ahead */
	double vcpu_cu;		/* CU one vCPU delivers, for rightsizing */
	double mem_peak_pct;	/* memory a VM is given holds this
				 * percentile of its active memory (100:
				 * the peak seen) ... */
	double mem_margin;	/* ... plus this fraction */
	char *timezone;		/* hour-of-day slots' zone: "UTC" or a tz
				 * database name (common/tz.h) */
	double assumed_mem_mib;	/* memory of a server with no memory
				 * samples or installed memory; 0: refuse */
	double target_overload_pct;	/* host-slots over the limit the
					 * sizing is chosen for; 0: none */
	/* [headroom]: fraction of each host resource kept free */
	double headroom_cpu, headroom_mem, headroom_disk, headroom_net;
	double headroom_storage;	/* of the hosts' storage_gib */
	/* [storage] */
	int storage_size;	/* enum storage_size: a guest's disk GiB */
	double storage_used_margin;	/* added to the used GiB */
	double storage_assumed_gib;	/* a guest with no disk figure; 0:
					 * refuse */
	/* [overcommit] */
	double vcpu_per_pcpu;	/* vCPUs per physical thread */
	double mem_overcommit;	/* committed / physical memory */
	long max_guests;	/* per host; 0 = no limit */
	double violation_pct;	/* share of slots allowed over the limit */
	double ready_pct;	/* CPU ready % per vCPU allowed (contention) */
	int cpu_queue;		/* enum contention_queue: finite, erlang_c */
	double mem_dedupe;	/* share of guest memory assumed shared */
	double cpu_share_overhead_pct;	/* CPU lost to time-sharing, % */
	double cpu_vm_overhead_pct;	/* hypervisor CPU per vCPU work, % */
	/* [ha] */
	long host_failures;	/* k of N+k: hosts failing together */
	double failover_headroom;	/* kept free on hosts taking over */
	struct conf_list domains;	/* failure domains new hosts go in */
	long domain_failures;	/* 0, or 1: a whole domain may fail */
	int failure_domain;	/* enum failure_domain: the existing hosts'
				 * attribute that is their domain */
	/* [existing] */
	bool existing_move;	/* current guests may move */
	/* [placement] */
	int balance;		/* enum balance */
	/* [zones]: "tag:NAME" and "group:NAME" rules, each a zone */
	struct conf_list zone_separate;
	/* [candidates] */
	double retire_cpu_pct;	/* p95 CPU busy under this ... */
	double retire_iops;	/* ... and p95 disk IOPS under this ... */
	double retire_disk_kibps;	/* ... and p95 disk KiB/s ... */
	double retire_net_kibps;	/* ... and p95 network: retire */
	double saturated_cpu_pct;	/* p50 CPU at or above: keep physical */
	struct conf_list exclude;	/* servers kept physical */
	struct conf_list keep_tags;	/* tags that keep a server physical */
	/* [cost] */
	char *currency;
	double energy_per_kwh;	/* currency per kWh */
	double pue;
	long horizon_years;
	long amortisation_years;
	double interest_pct;	/* cost of money, % per year (0: straight line) */
	double rack_unit_per_year;	/* currency per U per year */
	long rack_units_per_rack;
	double server_maint_per_year;	/* existing servers, when unknown */
	double server_power_w;	/* existing servers' mean draw, when unknown */
	double server_rack_units;	/* existing servers' height, when unknown */
	double host_maint_pct;	/* new hosts' maintenance, % of price/year */
	double license_per_core;
	double license_per_socket;
	long license_min_cores_socket;	/* cores billed per socket at least */
	long license_min_cores_host;	/* cores billed per host at least */
	double hypervisor_per_socket;
	double migration_per_server;
	double co2_g_per_kwh;
	/* [validate] */
	double validate_tolerance_pts;	/* median error allowed, points */
	double validate_foreign_max_pct;	/* slots with more are left out */
	double validate_slot_s;		/* seconds a slot is replayed */
	double validate_skip_s;		/* its first seconds not measured */
	double validate_burst_ms;	/* mean burst of the replayed work */
	double validate_mem_budget_mib;	/* guests' memory; 0: automatic */
	/* [waves] */
	long wave_max_servers;	/* servers per wave; 0: no waves */
	long wave_max_per_host;	/* guests per target host and wave; 0 */
	bool wave_retire_first;	/* retirements before the moves */
	double wave_bandwidth_mibps;	/* to copy memory and disk, MiB/s */
	double wave_host_install_h;	/* hours to install a wave's hosts */
	/* named sections */
	struct zone_rule *zones;	/* [zone NAME], in file order */
	size_t nzones, zones_cap;
	struct growth_rule *growth;	/* [growth], [growth NAME], in file
					 * order */
	size_t ngrowth, growth_cap;
	struct add_rule *adds;	/* [add NAME], in file order */
	size_t nadds, adds_cap;
	struct server_group *groups;
	size_t ngroups;
	size_t groups_cap;	/* policy.c: groups grow geometrically ... */
	struct strmap group_index;	/* ... and "kind name" -> index */
};

extern const struct conf_schema policy_schema;
extern const char *const resolution_names[];
extern const char *const cpu_queue_names[];	/* "finite", "erlang_c" */
extern const char *const balance_names[];	/* "peak", "none" */
extern const char *const storage_size_names[];	/* "allocated", "used" */
extern const char *const failure_domain_names[];	/* "none", "rack", ... */

/* the [zone NAME] section of name, or NULL */
const struct zone_rule *policy_zone(const struct policy *p, const char *name);
/*
 * The disk GiB server inv takes on its host by [storage] size: its
 * allocated disk (disk_gib) or its used disk (disk_used_gib) times 1 +
 * used_margin, the other standing in when the one asked for is missing;
 * *from_used says which was taken.  NaN when inv is NULL or has neither
 * (never 0: [storage] assumed_gib is the caller's to apply, and say).
 */
double policy_storage_gib(const struct policy *p, const struct server_inv *inv,
    bool *from_used);
/*
 * The trust zones an inventory row puts its server in, in order: its
 * zone column, then each rule of [zones] separate it matches (tag:NAME,
 * group:NAME): fn(ctx, zone, from) for each, from saying where it came
 * from ("[zones] separate tag:dmz").  [zone NAME] servers are the
 * caller's to look up.
 */
void policy_inv_zones(const struct policy *p, const struct server_inv *inv,
    void (*fn)(void *ctx, const char *zone, const char *from), void *ctx);

/* Defaults only (no file). */
void policy_init(struct policy *p);
/* Defaults, then path.  -1 with "path:line: ..." recorded. */
int policy_load(struct policy *p, const char *path);
void policy_release(struct policy *p);

#endif
