/*
 * validate.h - capplan validate: a planned host's guests on a real
 * hypervisor, their recorded demand replayed, the contention measured
 * and set beside the model's prediction.
 *
 * validate_env_open() gets the hypervisor ready: the test CPUs, the
 * guest kernel (Debian's newest /boot/vmlinuz-*) and capplan-replay, a
 * work folder, the libvirt connection and the probe that picks KVM or,
 * where a KVM guest hangs (nested KVM), QEMU's TCG, saying why.
 * validate_host() runs the replica of one planned host (kvm/replica.h),
 * validate_sweep() the sweep of the model's judgement: N one-vCPU
 * guests on c pinned CPUs at constant and traced demand.  Both fill
 * struct validation (model/validation.h): per guest and slot the demand,
 * the CPU achieved, the ready % measured from libvirt's vcpu.N.delay and
 * the ready % predicted by contention_eval() for the same guests on the
 * same CPUs.
 */
#ifndef KVM_VALIDATE_H
#define KVM_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/profile.h"
#include "model/validation.h"
#include "planner/plan.h"

#define VALIDATE_CPUS_MAX 1024

struct validate_opts {
	const char *uri;	/* libvirt; NULL: qemu:///system */
	const char *type;	/* "kvm" or "qemu" to skip the probe; NULL */
	const char *kernel;	/* NULL: the newest /boot/vmlinuz-* */
	const char *replay;	/* NULL: beside this capplan, or installed */
	const char *cpus;	/* the test CPUs, "0-1,3"; NULL: all online */
	bool keep;		/* keep the work folder */
	/* from the policy's [validate] */
	double slot_s, skip_s, burst_ms, tolerance_pts, foreign_max_pct;
	double mem_budget_mib;	/* 0: a quarter of MemAvailable, <= 8 GiB */
	int queue;		/* enum contention_queue */
	unsigned sweep_cpus;	/* bit c: sweep c CPUs; 0: 1 and 2 */
	void (*progress)(void *arg, const char *what);
	void *progress_arg;
};

struct validate_env;

/* NULL with the error recorded (ERROR_USAGE for a bad --cpus). */
/*
 * Parse --cpus: a list such as "0-1,3" of CPUs under online, into
 * cpus[0..*n) (at most VALIDATE_CPUS_MAX).  0, or -1 with ERROR_USAGE
 * for a CPU at or above online, a range backwards, or not a list.
 */
int validate_cpus_parse(const char *list, unsigned *cpus, size_t *n,
    long online);

struct validate_env *validate_env_open(const struct validate_opts *o);
/* Close the connection (every guest goes with it) and remove the work
 * folder unless o->keep; accepts NULL. */
void validate_env_close(struct validate_env *e);
/* The work folder (consoles of the guests are there when kept). */
const char *validate_env_workdir(const struct validate_env *e);

/*
 * Validate the plan's host named host (NULL: the one with the highest
 * predicted CPU peak), or the guests listed in guests (NULL-terminated;
 * then host is ignored), replaying profile slots first..last
 * (last = SIZE_MAX: to the end).  v is filled (release it) and
 * summarised.  -1 with the error recorded.
 */
int validate_host(struct validate_env *e, const struct plan *p,
    const struct profile_set *ps, const char *host, char *const *guests,
    size_t first, size_t last, struct validation *v);

/*
 * The sweep: for c in {1, 2} test CPUs (those there are) and N/c in
 * {0.5, 1, 2, 3, 4}, N one-vCPU guests, each replaying constant demand
 * of 20, 40, 60, 80 and 100 % and then 6 slots of a CPU trace cut from
 * samples[i mod nsamples] (nsamples may be 0: constant demand only).
 * One run per (c, N) into s (release it), summarised.  When out is set,
 * the runs done so far are written there after each run, so a sweep cut
 * short keeps them.
 */
int validate_sweep(struct validate_env *e, char *const *samples,
    size_t nsamples, const char *out, struct validation_set *s);

#endif
