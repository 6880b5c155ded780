/*
 * plan.h - a consolidation plan in memory: the planner's output, the
 * reports', provisioning's and validation's input.  Plain C types only
 * (no GLPK, no jansson), so reports/ and kvm/ may include it.
 *
 * INTERFACE CONTRACT (stable: fields and functions are added, never
 * renamed or given a new meaning; the JSON form is capplan-plan version
 * PLAN_VERSION, documented in capplan-formats(5)):
 *
 * A plan holds the hosts it opens, each with its catalog model, its
 * capacity and limit (capacity x (1 - headroom)) per resource, the guests
 * placed on it, its predicted demand per time slot (the sum of its
 * guests' slot demand) and the contention the model predicts; the guests,
 * each with its sized vCPUs and memory, its own demand per slot and a
 * one-line "why this host"; the servers not virtualized (kept physical or
 * retired) with their reasons; and the lower bounds on the host count
 * with the plan's gap to them.
 *
 * Demand is in absolute units (model/profile.h): CPU in capacity units,
 * memory in MiB, disk in IOPS and KiB/s, network in KiB/s.  NaN means
 * "not known" (null in JSON); a resource the plan did not constrain has
 * planned[r] false and NULL profiles.
 *
 * Slots: 24 hour-of-day or 168 hour-of-week slots (UTC), the full aligned
 * series (slot i starts at start_ms + i x slot_s), or one slot holding
 * the sizing percentile (peak-based sizing).
 */
#ifndef PLANNER_PLAN_H
#define PLANNER_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"

#define PLAN_FORMAT	"capplan-plan"
#define PLAN_VERSION	1

/* what happens to an assessed server */
enum plan_decision {
	DECISION_VIRTUALIZE,	/* becomes a guest on a planned host */
	DECISION_KEEP,		/* stays a physical server */
	DECISION_RETIRE,	/* idle: switched off */
	DECISION_N
};

/* "virtualize", "keep", "retire" */
extern const char *const plan_decision_names[DECISION_N];

/* where a guest's memory size comes from */
enum plan_mem_source {
	MEM_SOURCE_SAMPLES,	/* its memory samples: the peak seen + margin */
	MEM_SOURCE_INSTALLED,	/* not measured: the installed memory */
	MEM_SOURCE_ASSUMED,	/* neither: [sizing] assumed_mem_mib */
	MEM_SOURCE_N
};

/* "samples", "installed", "assumed" */
extern const char *const plan_mem_source_names[MEM_SOURCE_N];

/* where a guest's disk GiB comes from ([storage] size) */
enum plan_storage_source {
	STORAGE_SOURCE_ALLOCATED,	/* the inventory's disk_gib */
	STORAGE_SOURCE_USED,		/* disk_used_gib x (1 + used_margin) */
	STORAGE_SOURCE_ASSUMED,		/* [storage] assumed_gib */
	STORAGE_SOURCE_N
};

/* "allocated", "used", "assumed" */
extern const char *const plan_storage_source_names[STORAGE_SOURCE_N];

/* guest flags */
#define PLAN_GUEST_PINNED	0x01	/* placed by a [pin NAME] section */
#define PLAN_GUEST_AFFINITY	0x02	/* in an [affinity NAME] group */
#define PLAN_GUEST_ANTI		0x04	/* in an [anti-affinity NAME] group */
#define PLAN_GUEST_LOW_CONF	0x08	/* its profile's confidence < 0.5 */
#define PLAN_GUEST_SWAP		0x10	/* active memory seen above mem_mib */
#define PLAN_GUEST_BALANCED	0x20	/* moved by the balancing */
#define PLAN_GUEST_MOVED	0x40	/* leaves its current_host */

/*
 * What the contention model predicts for one host (model/contention.h).
 * Percentages are 0-100; NaN where the model had nothing to say (no
 * disk capacity in the catalog, say).
 */
struct plan_contention {
	double cpu_ready_pct;		/* expected ready % per vCPU, mean */
	double cpu_ready_max_pct;	/* the same in the worst slot */
	double overload_pct;		/* slots over the limit, empirical */
	double overload_gauss_pct;	/* P(over the limit), Gaussian */
	double mux_gain;		/* CPU: sum of peaks / peak of sum */
	double mem_overcommit;		/* committed / physical memory */
	double swap_risk_pct;		/* P(active memory > physical) */
	double disk_util_pct;		/* peak slot, of the host's IOPS */
	double net_util_pct;		/* peak slot, of the host's KiB/s */
	double disk_latency_factor;	/* 1 / (1 - U) at the peak slot */
};

struct plan_guest {
	char *name;		/* the server it replaces */
	size_t host;		/* index in plan->hosts */
	double vcpus;		/* sized whole vCPUs */
	double mem_mib;		/* sized (committed) memory */
	double mem_peak_mib;	/* active memory at its highest seen; NaN */
	enum plan_mem_source mem_source;
	double storage_gib;	/* disk it takes on its host; NaN: storage
				 * not planned */
	enum plan_storage_source storage_source;
	char *cpu_rating_source;	/* its profile's rating_source, or NULL */
	double cpu_rating;	/* CU of the server it replaces; NaN */
	double days;		/* of samples behind its profile; NaN */
	double coverage;	/* share of that span sampled, 0-1; NaN */
	double peak[RES_N];	/* its largest slot demand */
	double *profile[RES_N];	/* nslots values, NULL: not planned */
	char *why;		/* one line: why this host */
	char *group;		/* affinity or pin group name, or NULL */
	char *zone;		/* its trust zone, or NULL (none) */
	char *growth;		/* the section stating its growth,
				 * "[growth]" or "[growth NAME]"; NULL */
	char *current_host;	/* the existing host it runs on now, or NULL
				 * (a server to virtualize) */
	char *like;		/* a planned workload ([add NAME]): the
				 * server it is like; NULL: a real server */
	double confidence;	/* of its profile, 0-1; NaN: unknown */
	unsigned flags;		/* PLAN_GUEST_* */
};

struct plan_host {
	char *name;		/* "host-001", or a [pin NAME] name */
	char *model;		/* the catalog model */
	bool spare;		/* an N+k spare: no guests */
	char *zone;		/* the trust zone of its guests, or NULL */
	char *domain;		/* its failure domain, or NULL (none) */
	bool existing;		/* a host there is already: no purchase */
	double sockets, cores, threads;
	double capacity[RES_N];	/* catalog capacity; NaN: unconstrained */
	double limit[RES_N];	/* capacity x (1 - headroom) */
	size_t *guests;		/* indexes in plan->guests, by name */
	size_t nguests;
	double vcpus;		/* sum of its guests' vCPUs */
	double mem_committed_mib;	/* sum of its guests' memory */
	/* storage, when planned: usable (the catalog's storage_gib), less
	 * the headroom, and its guests' sum; NaN: not planned or not known */
	double storage_gib, storage_limit_gib, storage_committed_gib;
	double *profile[RES_N];	/* predicted demand per slot; NULL */
	double peak[RES_N];	/* its largest slot */
	double mean[RES_N];	/* mean over slots */
	double power_w;		/* mean over slots of the power curve at
				 * each slot's CPU utilisation; NaN */
	double cost_per_year;	/* model/cost.h; NaN when not costed */
	struct plan_contention contention;
};

/* a server the plan does not virtualize */
struct plan_server {
	char *name;
	enum plan_decision decision;	/* DECISION_KEEP or DECISION_RETIRE */
	char *reason;		/* one line */
};

/*
 * A migration wave (planner/waves.c, [waves] of capplan.conf(5)): the
 * hosts installed first, then the servers moved onto them, or retired.
 * Times are hours from the start of the migration; the moves of a wave
 * copy one server after another over one link of the policy's bandwidth,
 * so the wave's move time is the sum of its servers' downtimes.
 */
struct plan_wave {
	size_t *install;	/* indexes in plan->hosts, installed first */
	size_t ninstall;
	size_t *guests;		/* indexes in plan->guests, moved */
	size_t nguests;
	size_t *retire;		/* indexes in plan->servers, switched off */
	size_t nretire;
	double mem_mib;		/* memory to copy, all its guests */
	double disk_gib;	/* disk to move; servers of unknown disk: 0 */
	size_t disk_unknown;	/* guests with no disk size in the inventory */
	double start_h;		/* when it starts */
	double install_h;	/* hosts' installation (0: none) */
	double move_h;		/* the moves, one after another */
	double downtime_max_s;	/* the longest one server is down */
	double cost;		/* migration_per_server x moves; NaN: none */
};

/* how the waves were made: the policy's [waves] */
struct plan_migration {
	long max_servers;	/* 0: no waves made */
	long max_per_host;	/* 0: no limit */
	bool retire_first;
	double bandwidth_mibps;
	double host_install_h;
	struct plan_wave *waves;
	size_t nwaves;
};

struct plan_bounds {
	/* ratio sum of demand / limit per (resource, slot); NULL if not
	 * planned.  The continuous bound is the ceiling of its maximum. */
	double *load[RES_N];
	double continuous;	/* max over (r, t) of ceil(sum / limit) */
	int continuous_resource;	/* where it is reached; -1: none */
	size_t continuous_slot;
	double l2[RES_N];	/* Martello-Toth L2, per resource; NaN */
	double l2_max;
	double dff;		/* dual feasible functions (items over a
				 * third, ...), max over the dimensions */
	double clique;		/* greedy clique of pairwise conflicts */
	double zones;		/* sum of the zones' own bounds; NaN: no
				 * zones */
	double existing;	/* hosts that exist; NaN: none */
	double beyond;		/* new hosts they need at least; NaN */
	double other;		/* static limits: vCPU, memory, guest count */
	double lower;		/* the max of the above */
	char *method;		/* the bound that gives lower: "continuous",
				 * "l2", "dff", "clique", "zones",
				 * "existing", "pinned", "lp"; NULL */
	double lp;		/* ceil of the configuration LP; NaN */
	double optimum;		/* proved optimal host count; NaN */
	double gap_pct;		/* (hosts - lower) / lower x 100 */
};

/* the hosts' load spread once counted ([placement] balance) */
struct plan_balance {
	char *objective;	/* "peak", "none"; NULL: not known */
	size_t moves;		/* guests moved */
	/* the highest host peak (largest share of a limit over the planned
	 * resources and slots), and highest less lowest, in percent of the
	 * limit, before and after; NaN: not known */
	double peak_before_pct, peak_pct;
	double spread_before_pct, spread_pct;
};

struct plan {
	int version;		/* PLAN_VERSION when made here */
	/* settings it was made with */
	char *resolution;	/* "hour", "week", "series", "peak" */
	char *timezone;		/* of the hour and week slots: "UTC" or a
				 * tz database name; NULL: UTC */
	/* one block holding every guest's profile rows when set (the
	 * planner's demand, handed over rather than copied: 537 MB for
	 * 100,000 servers); the guests' pointers point into it */
	double *profile_block;
	size_t nslots;
	double slot_s;		/* seconds a slot stands for */
	int64_t start_ms;	/* series: start of slot 0; else 0 */
	double percentile;	/* percentile of the slots' demand; NaN in
				 * series (the samples themselves) */
	char *sizing;		/* what a guest's demand per slot is, for
				 * people */
	double vm_percentile;	/* of the guests' vCPU and memory sizes
				 * (their profiles'); NaN: unknown */
	double target_overload_pct;	/* the policy's; NaN: none */
	double expected_overload_pct;	/* measured by validation when the
					 * sizing was chosen for it; NaN */
	double violation_pct;	/* share of slots allowed over a limit */
	double headroom[RES_N];	/* fraction kept free */
	bool planned[RES_N];	/* resource constrained by the plan */
	double vcpu_per_pcpu;	/* overcommit limits */
	double mem_overcommit;
	char *storage_size;	/* [storage] size: "allocated", "used";
				 * NULL: storage not planned */
	double storage_headroom;	/* fraction of storage_gib kept free */
	double storage_used_margin;	/* added to a used size */
	long max_guests;	/* 0: none */
	long host_failures;	/* k of N+k: hosts failing together */
	long domain_failures;	/* 1: a whole domain may fail */
	char **domains;		/* the failure domains; NULL: none */
	size_t ndomains;
	char **growth;		/* the stated growth, one line per section
				 * ([growth]); NULL: none */
	size_t ngrowth;
	char *failover_check;	/* "sets": every failure scenario tried;
				 * "spares": k spares a zone; NULL: none */
	char *currency;
	/* how it was found */
	char *packer;		/* the heuristic whose result was kept */
	char *search;		/* local search: "converged", "effort",
				 * "time" or "off" */
	double search_effort_dims; /* its budget (--effort); NaN unknown */
	char *exact;		/* --exact: "optimal", "bound", "time",
				 * "skipped" or NULL (not asked) */
	/* what it found */
	size_t peak_hosts;	/* hosts with peak-based sizing; 0 unknown */
	size_t spare_hosts;	/* added for N+k and domain failures */
	double cost_per_year;	/* hosts, NaN when not costed */
	struct plan_host *hosts;
	size_t nhosts;		/* including spares */
	struct plan_guest *guests;
	size_t nguests;
	struct plan_server *servers;	/* kept and retired */
	size_t nservers;
	struct plan_bounds bounds;
	struct plan_balance balance;
	struct plan_migration migration;	/* nwaves 0: none */
};

/* An empty plan: version PLAN_VERSION, every number NaN or 0. */
struct plan *plan_new(void);
void plan_free(struct plan *p);

/*
 * Append a host, guest or server and return it, zeroed (numbers NaN) with
 * the name (and model) copied.  Pointers returned earlier may move: keep
 * indexes, not pointers, across calls.
 */
struct plan_host *plan_add_host(struct plan *p, const char *name,
    const char *model);
struct plan_guest *plan_add_guest(struct plan *p, const char *name);
struct plan_server *plan_add_server(struct plan *p, const char *name,
    enum plan_decision d, const char *reason);

/* the host a guest runs on */
const struct plan_host *plan_guest_host(const struct plan *p,
    const struct plan_guest *g);
/* The guest named name, or NULL (linear: for tests and small tools). */
const struct plan_guest *plan_find_guest(const struct plan *p,
    const char *name);
/* A slot's name for people: "14:00" (hour), "Tue 14:00" (week), the
 * slot's RFC 3339 start (series), "peak" (one slot). */
void plan_slot_label(const struct plan *p, size_t slot, char *buf,
    size_t len);
/* Append an empty wave to p and return it (numbers 0, cost NaN). */
struct plan_wave *plan_add_wave(struct plan *p);

/* count of servers with decision d (guests count as DECISION_VIRTUALIZE) */
size_t plan_count(const struct plan *p, enum plan_decision d);
/* hosts that exist already; guests leaving the host they run on now */
size_t plan_count_existing(const struct plan *p);
size_t plan_count_moves(const struct plan *p);
/* guests that are planned workloads ([add NAME]) */
size_t plan_count_added(const struct plan *p);

/*
 * Write p as JSON (capplan-plan version 1) to path ("-" is stdout),
 * atomically.  Deterministic: same plan, same bytes.  -1 with ERROR_IO.
 */
int plan_write_json(const struct plan *p, const char *path);
/*
 * Read a plan.json.  Returns a new plan (plan_free()), or NULL with the
 * error recorded: ERROR_IO, ERROR_DATA ("path: ...: what is wrong") or
 * ERROR_UNSUPPORTED for a newer version.  Every index and count is
 * checked, so a reader may trust guest->host < nhosts and the like.
 */
struct plan *plan_read_json(const char *path);
/*
 * Write placement.csv (capplan-placement,1): one row per assessed server,
 * sorted by name: server, decision, host, model, vcpus, mem_mib, reason.
 * -1 with ERROR_IO.
 */
int plan_write_placement(const struct plan *p, const char *path);

/* ------------------------------------------------------------ backtest */

#define BACKTEST_FORMAT		"capplan-backtest"
#define BACKTEST_VERSION	1

/*
 * A plan measured on samples it was not made from (capplan backtest,
 * planner/backtest.c): the samples after the split re-summed per host
 * per slot, each slot as long as the samples' most common interval, and
 * compared with each host's limit (capacity x (1 - headroom)) and
 * capacity.  Counts are of host-slots in which at least one guest of the
 * host reported; a guest with no sample in a slot adds nothing to it.
 */
struct backtest_res {
	bool judged;		/* planned and the host has a capacity */
	double capacity, limit;
	double peak;		/* the highest slot's demand */
	size_t over_limit;	/* slots over the limit */
	size_t over_capacity;	/* slots over the capacity */
	double predicted_pct;	/* the plan's overload (CPU), empirical */
	double predicted_gauss_pct;	/* and Gaussian; NaN elsewhere */
};

struct backtest_host {
	char *name, *model;
	size_t nguests;
	size_t slots;		/* slots with at least one guest's sample */
	size_t over_limit;	/* slots with some resource over its limit */
	size_t over_capacity;	/* ... over its capacity */
	size_t mem_over_committed;	/* guest-slots above the guest's
					 * sized memory */
	double mem_over_committed_max_mib;	/* the largest excess */
	struct backtest_res res[RES_N];
};

struct backtest {
	int version;
	int64_t from_ms, split_ms, until_ms;	/* planned on [from, split),
						 * judged on [split, until) */
	double slot_s;
	char *resolution, *sizing;	/* the plan's */
	double target_pct;	/* [sizing] target_overload_pct; NaN */
	bool oracle;		/* planned on the judged window itself */
	size_t servers;		/* with samples after the split */
	size_t guests;		/* of them, placed by the plan */
	size_t unplaced;	/* the rest: retired, kept, or new */
	size_t guest_slots, guest_slots_missing;
	size_t spares;		/* N+1 spares (not judged) */
	double plan_cost_per_year;
	struct backtest_host *hosts;	/* the plan's active hosts */
	size_t nhosts;
	/* totals over the hosts */
	size_t host_slots, over_limit, over_capacity, mem_over_committed;
	size_t res_over_limit[RES_N], res_over_capacity[RES_N];
	double res_peak_pct[RES_N];	/* worst host's peak / capacity */
};

void backtest_release(struct backtest *bt);
/* Write bt as JSON (capplan-backtest version 1, capplan-formats(5)) to
 * path ("-" is stdout), atomically.  -1 with ERROR_IO. */
int backtest_write_json(const struct backtest *bt, const char *path);
/* Read one; -1 with ERROR_IO, ERROR_DATA or ERROR_UNSUPPORTED recorded,
 * bt then released. */
int backtest_read_json(struct backtest *bt, const char *path);

#endif
