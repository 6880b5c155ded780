/*
 * vrun.h - one validation run: guests booted on libvirt, their recorded
 * demand replayed, their vCPUs' run and wait times sampled.
 *
 * vrun_run() boots each guest as a transient domain (destroyed when the
 * connection closes, so nothing outlives capplan, even a killed one)
 * whose initramfs holds capplan-replay and the guest's series, pinned to
 * the test CPUs, its console on a Unix socket that capplan reads and
 * writes.  When every guest is ready, each calibrates alone in turn (its
 * loop iterations per ms on a test CPU, with the others idle); all then
 * start slot 0 together with the median rate.  Every sample_s seconds it
 * reads every guest's vCPU time and delay (libvirt) and the test CPUs'
 * busy and steal time (/proc/stat); the guests report the work done per
 * slot.  It stops at the end, on an error or on SIGINT or SIGTERM (then
 * -1 with "interrupted"), and destroys every guest it started.
 */
#ifndef KVM_VRUN_H
#define KVM_VRUN_H

#include <stdbool.h>
#include <stddef.h>

struct kvm_conn;

struct vrun_guest {
	const char *name;	/* who it stands for (for messages) */
	unsigned vcpus;
	unsigned long mem_mib;
	const double *cpu;	/* nslots: demand in vCPUs' worth */
	const double *mem;	/* nslots: active MiB to touch, or NULL */
};

struct vrun_opts {
	const char *type;	/* domain type: "kvm" or "qemu" */
	const char *kernel;	/* absolute paths */
	const char *replay;
	const char *workdir;	/* initramfs, sockets, console logs */
	const char *cpuset;	/* the test CPUs, "0-1" */
	const char *emulator_cpuset;	/* QEMU's other threads, or NULL */
	const unsigned *cpus;	/* the test CPUs, listed */
	size_t ncpus;
	double slot_s;		/* seconds per slot */
	double sample_s;	/* between samples (1 s) */
	double burst_ms;	/* mean burst of work */
	double calib_ms;	/* calibration per guest */
	double boot_timeout_s;
	unsigned seed;
	/* told what happens ("guests ready after 12 s"), or NULL */
	void (*progress)(void *arg, const char *what);
	void *progress_arg;
};

struct vrun_result {
	double loops_per_ms;	/* the median of the guests' */
	double calib_min, calib_max;
	double t0;		/* CLOCK_MONOTONIC when slot 0 started */
	double boot_s;		/* from the first create to all ready */
	double lag_max_s;	/* a sample's end after its due time, worst */
	/* vCPU seconds per second of work at half duty: one guest alone,
	 * and all together (more vCPUs than test CPUs); NaN: not run */
	double share_alone, share_all;
	size_t ng, nslots;
	size_t nsamples;
	double *t;		/* [nsamples] CLOCK_MONOTONIC s */
	double *vcpu_s;		/* [sample x ng + guest] summed over vCPUs */
	double *delay_s;	/* likewise */
	double *proc_s;		/* likewise, the whole QEMU process */
	double *busy_s;		/* [nsamples] the test CPUs, summed */
	double *steal_s;	/* [nsamples] */
	double *loops;		/* [guest x nslots + slot], over vCPUs */
	double *busy_ms;	/* likewise, the guests' own clock */
};

void vrun_opts_init(struct vrun_opts *o);
void vrun_result_release(struct vrun_result *r);

/*
 * Run ng guests for nslots slots on c (kvm_open()ed).  0, or -1 with the
 * error recorded (ERROR_BACKEND: libvirt or a guest; ERROR_IO).  r is
 * filled either way and must be released.
 */
int vrun_run(struct kvm_conn *c, const struct vrun_guest *g, size_t ng,
    size_t nslots, const struct vrun_opts *o, struct vrun_result *r);

#endif
