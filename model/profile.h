/*
 * profile.h - per-server demand profiles: the model's output, the planner's
 * input.  Plain C types only (no GSL), so planner/, reports/ and kvm/ may
 * include it.
 *
 * INTERFACE CONTRACT (fixed before the code behind it is written, so the
 * planner can be built against it at the same time; change it only with
 * everyone who includes it):
 *
 * A profile holds, per resource, summary statistics of the server's demand
 * in absolute units (CPU in capacity units, CU = busy fraction x the
 * server's cpu_rating; memory in MiB; disk in IOPS and KiB/s; network in
 * KiB/s), a slot profile (24 hour-of-day or 168 hour-of-week slots, each
 * the policy's sizing percentile of the samples falling in that slot, by
 * the interval's start in UTC), trend, coverage and confidence, and the
 * rightsized VM (vCPUs and memory).  NaN means "not measured".
 */
#ifndef MODEL_PROFILE_H
#define MODEL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum resource {
	RES_CPU,		/* capacity units (CU) */
	RES_MEM,		/* MiB */
	RES_DISK_IOPS,		/* reads + writes per second */
	RES_DISK_KIBPS,		/* KiB read + written per second */
	RES_NET_KIBPS,		/* KiB received + sent per second */
	RES_N
};

struct resource_info {
	const char *name;	/* "cpu_cu", "mem_mib", "disk_iops", ... */
	const char *unit;	/* "CU", "MiB", "1/s", "KiB/s", "KiB/s" */
};

extern const struct resource_info resource_table[RES_N];

/* where a server's cpu_rating came from */
enum rating_source {
	RATING_INVENTORY,	/* the inventory's cpu_rating column */
	RATING_TABLE,		/* the shipped CPU model table (SPECpower) */
	RATING_CORES_MHZ,	/* cores x MHz x the stated generation factor */
	RATING_ASSUMED,		/* nothing known: one CU per logical CPU */
};

extern const char *const rating_source_names[];	/* "inventory", ... */

enum slot_kind {
	SLOTS_HOUR = 24,	/* hour of day, UTC */
	SLOTS_WEEK = 168,	/* hour of week, Monday 00:00 UTC first */
};

/* flags on a profile: why it deserves less trust */
#define PROFILE_SHORT		0x01	/* fewer days than policy min_days */
#define PROFILE_GAPPY		0x02	/* coverage under 90 % */
#define PROFILE_CPU_MASKED	0x04	/* generic CPU model string */
#define PROFILE_NO_INVENTORY	0x08	/* server missing from the inventory */
#define PROFILE_NO_MEM		0x10	/* memory not measured: sized from inventory */
#define PROFILE_TREND		0x20	/* significant growth projected */
#define PROFILE_MEM_RISK	0x40	/* sized memory under the peak seen */
#define PROFILE_NFLAGS		7

/* "short", "gappy", "cpu_masked", "no_inventory", "no_mem", "trend",
 * "mem_below_peak" */
extern const char *const profile_flag_names[PROFILE_NFLAGS];

struct demand_stats {
	double mean, p50, p90, p95, p99, max;
	double burst;		/* max / mean */
	double trend_per_30d;	/* least-squares slope, units per 30 days */
	double trend_se;	/* its standard error */
	double projected;	/* sizing percentile + slope x horizon */
	double sized;		/* the policy's sizing percentile */
	size_t n;		/* measured samples behind these figures */
};

struct profile {
	char *host;
	/* CPU normalisation */
	double cpu_rating;	/* CU of the whole server */
	enum rating_source rating_source;
	double threads;		/* logical CPUs (inventory, else samples) */
	double mem_total_mib;	/* installed (inventory, else samples) */
	/* the data behind it */
	size_t nsamples;
	int64_t first_ms, end_ms;
	double interval_s;	/* the most common interval */
	double days;
	double coverage;	/* 0-1: intervals present / expected */
	double confidence;	/* 0-1: falls with short or gappy data */
	unsigned flags;		/* PROFILE_* */
	/* demand */
	struct demand_stats stat[RES_N];
	enum slot_kind slot_kind;
	size_t nslots;		/* 24 or 168 */
	double *slot[RES_N];	/* nslots values each; NaN: no samples */
	/* rightsizing: what the server needs as a VM */
	double size_vcpus;	/* whole vCPUs */
	double size_mem_mib;
	double percentile;	/* the sizing percentile of slots and sized */
};

struct profile_set {
	struct profile *profiles;
	size_t nprofiles;
	double percentile;	/* the sizing percentile used, 50-100 */
};

extern const char *const slot_kind_names[];	/* "hour", "week" */

/*
 * Read a profiles file written by capplan profile (capplan-profiles,1).
 * -1 with "file:line:column: ..." recorded.  Release with
 * profile_set_release().
 */
int profile_set_read(struct profile_set *ps, const char *path);
/* As profile_set_read(), naming the input name in messages. */
int profile_set_read_named(struct profile_set *ps, const char *path,
    const char *name);
void profile_set_release(struct profile_set *ps);
/* the profile of host, or NULL */
const struct profile *profile_set_find(const struct profile_set *ps,
    const char *host);
/* Zero p, copy host (may be NULL) and allocate k slots per resource,
 * all NaN. */
void profile_init(struct profile *p, const char *host, enum slot_kind k);
/* Free what p owns (host, slots); p itself is not freed. */
void profile_release(struct profile *p);
/*
 * Write ps to path ("-" is stdout) as capplan-profiles,1 CSV or, with
 * json set, as the same figures in JSON; atomically (temporary file,
 * rename).  -1 with ERROR_IO.  Every profile must have the same slot kind.
 */
int profile_set_write(const struct profile_set *ps, const char *path,
    bool json);

/* what profile_set_notes() tells about */
#define PROFILE_NOTE_MEM	0x01	/* memory not measured */
#define PROFILE_NOTE_RATING	0x02	/* CPU rating from a fallback */
#define PROFILE_NOTE_DATA	0x04	/* fewer days than min_days, gappy */
#define PROFILE_NOTES_ALL	0x07

/*
 * Tell fn, one line at a time, which profiles of ps rest on an
 * assumption or on too little data, among the kinds in which: memory
 * not measured (sized at the installed memory, or not at all); a CPU
 * rating from cores x MHz x the generation factor, or assumed at 1 CU
 * per logical CPU; fewer days than min_days; samples covering under
 * 90 % of their span.  Each line names the servers (five, then "...")
 * and what was assumed, e.g. "CPU rating unknown ...: 2 servers: a, b".
 * Nothing is called when nothing is to be said.
 */
void profile_set_notes(const struct profile_set *ps, double min_days,
    unsigned which, void (*fn)(void *ctx, const char *line), void *ctx);

#endif
