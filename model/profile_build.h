/*
 * profile_build.h - one server's samples in, its profile out.
 *
 * The fleet driver (profile_run.c) gathers one host's samples from every
 * file that holds them into an array of struct host_sample and calls
 * profile_build(); only one host's series per worker is in memory at a
 * time.  What a profile holds and how each figure is computed is in
 * capplan-profile(1).  Plain C types only.
 */
#ifndef MODEL_PROFILE_BUILD_H
#define MODEL_PROFILE_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "common/inventory.h"
#include "common/policy.h"
#include "common/samples.h"
#include "model/profile.h"

/* the demand columns kept per sample, before CPU normalisation */
enum hs_value {
	HS_CPU_PCT,		/* cpu_busy_pct */
	HS_MEM_MIB,		/* mem_used_mib */
	HS_DISK_IOPS,		/* disk_read_iops + disk_write_iops */
	HS_DISK_KIBPS,		/* disk_read_kibps + disk_write_kibps */
	HS_NET_KIBPS,		/* net_rx_kibps + net_tx_kibps */
	HS_MEM_TOTAL_MIB,	/* mem_total_mib */
	HS_N
};

/* one interval of one host, as kept between reading and profiling */
struct host_sample {
	int64_t ts_ms;		/* start of the interval, UTC */
	double interval_s;
	double v[HS_N];		/* NaN: not measured */
	float ncpu;		/* ncpu_online, NaN: not measured */
	uint32_t src;		/* input file index: on equal ts the lowest wins */
};

struct profile_config {
	double percentile;	/* sizing percentile, 50-100 */
	enum slot_kind slots;
	double min_days;	/* less is flagged short */
	double horizon_days;	/* growth projected this far */
	double headroom_cpu;	/* rightsizing: demand x (1 + headroom) */
	double mem_peak_pct;	/* memory: this percentile of active ... */
	double mem_margin;	/* ... x (1 + this), see capplan-profile(1) */
	double vcpu_cu;		/* CU one vCPU delivers */
};

/* The configuration a policy implies (resolution "series" and "peak"
 * profile by hour of day). */
void profile_config_from_policy(struct profile_config *c,
    const struct policy *p);

/* Fill h from a samples row. */
void host_sample_from(struct host_sample *h, const struct sample *s,
    uint32_t src);

/*
 * Build p (profile_init() is called here) for host from its n >= 1
 * samples s, which are sorted here by time (and input file on ties) and
 * of which only the first of each timestamp is kept: *dups counts the
 * others.  inv is the server's inventory row, or NULL.  Returns 0, or -1
 * with ERROR_MODEL (a GSL status) and p released.
 */
int profile_build(struct profile *p, const char *host, struct host_sample *s,
    size_t n, const struct server_inv *inv, const struct profile_config *c,
    size_t *dups);

/*
 * The q-quantile (0-1) of n sorted values, Hyndman and Fan's type 7
 * (linear between order statistics at position q (n - 1)), NaN when n is
 * 0.  What every percentile of a profile means.
 */
double profile_quantile_sorted(const double *v, size_t n, double q);

/* The slot (0 to k - 1) an interval starting at ts_ms falls in: hour of
 * day, or hour of week from Monday 00:00 UTC. */
size_t profile_slot_of(int64_t ts_ms, enum slot_kind k);

#endif
