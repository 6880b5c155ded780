/*
 * replica.h - which guests a validation runs, on how many CPUs, with
 * which demand per slot.
 *
 * A planned host usually has far more logical CPUs than the machine that
 * validates it.  Its replica runs on c' test CPUs, each standing for one
 * of the host's logical CPUs (its CU per thread), with a deterministic
 * subset of its guests chosen so that the vCPUs per CPU and the demand
 * per CPU in every slot stay as close as they can to the host's: greedy,
 * adding the guest that most reduces the squared relative error of both,
 * ties by name, until no guest reduces it, then swapping one guest in for
 * one out while that reduces it.  When the host has no more
 * logical CPUs than the test CPUs, it runs whole on as many CPUs as it
 * has.  Memory is scaled by one factor so the guests fit a budget; each
 * guest touches its slot's active memory times that factor.
 */
#ifndef KVM_REPLICA_H
#define KVM_REPLICA_H

#include <stdbool.h>
#include <stddef.h>

#include "model/profile.h"
#include "planner/plan.h"

/* Debian's kernel and capplan-replay: 128 MiB boots, but a guest that
 * also touches a working set deadlocks on memory (kernel panic) */
#define REPLICA_MIN_MEM_MIB 256
#define REPLICA_GUEST_OS_MIB 160	/* not for the working set */

struct replica_guest {
	char *name;		/* the planned guest */
	unsigned vcpus;
	double planned_mem_mib;
	unsigned long mem_mib;	/* as booted */
	double *cpu;		/* [nslots] test CPUs' worth, 0 to vcpus */
	double *mem;		/* [nslots] active MiB to touch */
};

struct replica {
	const char *host;	/* the plan's host (borrowed) */
	const char *model;
	double host_threads, host_vcpus;
	size_t host_guests;
	double cu_per_cpu;	/* CU a test CPU stands for */
	size_t ncpus;		/* test CPUs used */
	bool scaled;
	char *scaling;		/* what was scaled and how, one line */
	double mem_scale;
	size_t nslots;
	size_t *source;		/* [nslots] the profile slot replayed */
	struct replica_guest *g;
	size_t ng;
};

/*
 * The replica of plan host h on up to ncpus test CPUs, replaying profile
 * slots first..last (inclusive) of each guest's profile in ps, within
 * mem_budget_mib of guest memory.  -1 with ERROR_DATA (a guest with no
 * profile, a host without CPU capacity, slots out of range).
 */
int replica_of_host(struct replica *r, const struct plan *p,
    const struct plan_host *h, const struct profile_set *ps, size_t ncpus,
    size_t first, size_t last, double mem_budget_mib);
void replica_release(struct replica *r);

#endif
