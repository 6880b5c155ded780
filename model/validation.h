/*
 * validation.h - predicted against measured contention: what capplan
 * validate writes and capplan report reads.
 *
 * A run replays some guests on some CPUs of a real hypervisor, slot by
 * slot, and records per guest and slot the demand it replayed, the CPU
 * it got, the ready time measured (runnable, not running) and the ready
 * time the model predicts; per slot the same summed or averaged over the
 * vCPUs, and the load from outside the guests that decides whether the
 * slot counts.  A set holds one run (capplan validate) or many (the
 * sweep) and the summary of the errors: median, 90th percentile, worst
 * and mean signed error (predicted - measured, in percentage points).
 *
 * The JSON form is capplan-validation version 1 (capplan-formats(5));
 * one field table drives the writer and the reader of the numbers.
 * Plain C types, so kvm/ and reports/ may include it.
 */
#ifndef MODEL_VALIDATION_H
#define MODEL_VALIDATION_H

#include <stdbool.h>
#include <stddef.h>

#define VALIDATION_FORMAT	"capplan-validation"
#define VALIDATION_VERSION	1

/* one guest in one slot; percentages of one test CPU per vCPU */
struct validation_point {
	double demand_pct;	/* what it would use alone */
	double work_pct;	/* the work it reports done */
	double achieved_pct;	/* vCPU run time over the window */
	double ready_pct;	/* measured: runnable, waiting for a CPU */
	double predicted_pct;	/* the model's ready % for this guest */
	double predicted_plain_pct;	/* the same without the overheads
					 * measured */
};

struct validation_guest {
	char *name;		/* the planned guest it stands for */
	double vcpus;
	double mem_mib;		/* as booted */
	double planned_mem_mib;	/* as planned */
};

struct validation_slot {
	double source;		/* the plan's slot it replays; NaN: none */
	char *label;		/* "14:00", "20 %", "trace 3" */
	bool used;		/* counted in the summary */
	char *left_out;		/* why not, or NULL */
	double foreign_pct;	/* busy on the test CPUs outside the guests'
				 * QEMU processes */
	double emulator_pct;	/* QEMU's threads besides the vCPUs */
	double steal_pct;	/* time the machine itself lost (steal) */
	double demand_cpus;	/* sum over the guests, test CPUs' worth */
	double achieved_cpus;
	double ready_pct;	/* mean per vCPU, measured */
	double predicted_pct;	/* mean per vCPU, the model */
	double predicted_plain_pct;	/* without the overheads measured */
};

struct validation_summary {
	size_t points;		/* guest-slots counted */
	size_t slots_used, slots_left_out;
	double median_abs_pts, p90_abs_pts, max_abs_pts, bias_pts;
	double slot_median_abs_pts, slot_p90_abs_pts;	/* host means */
	/* the points' errors of the model without the overheads measured
	 * (cpu_vm_overhead_pct and cpu_share_overhead_pct 0, the
	 * defaults) */
	double plain_median_abs_pts, plain_p90_abs_pts;
	double tolerance_pts;	/* the verdict's limit on the median */
	/* the counted points' work done, % of their demand: did the replay
	 * reproduce the load the model was given?  NaN: no work figures */
	double work_low_pct, work_high_pct;
	bool pass;
};

/* a replay whose work strays further from the demand than this is said:
 * the ready times measured then rest on another load than predicted */
#define VALIDATION_WORK_STRAY_PCT	10.0

/* did the counted points' work stray further than that from the demand?
 * false when there are no work figures */
bool validation_work_strays(const struct validation_summary *s);
/* the sentence that says so, for the text and the report, into buf of
 * size n; false, and buf empty, when there are no work figures */
bool validation_work_text(const struct validation_summary *s, char *buf,
    size_t n);

struct validation {
	char *name;		/* "host-001", "sweep c=2 n=4", ... */
	char *hypervisor;	/* "kvm" or "qemu" */
	char *hypervisor_why;	/* why not KVM; "" when KVM */
	char *libvirt_version, *qemu_version;
	char *kernel;		/* the guest kernel's file */
	char *kernel_boot;	/* how it boots (kvm/kernel.h); NULL: unsaid */
	char *plan_host, *model;	/* NULL in a sweep */
	double host_threads;	/* the planned host's logical CPUs */
	double host_guests, host_vcpus;	/* planned */
	double cu_per_cpu;	/* CU one test CPU stands for; NaN */
	char *cpus;		/* the test CPUs, as "0-1" */
	double ncpus;
	bool scaled;		/* a replica of a bigger host */
	char *scaling;		/* what was scaled and how */
	double mem_scale;	/* booted / planned memory */
	double loops_per_ms;	/* calibration, alone on the test CPUs */
	double vm_overhead_pct;	/* the hypervisor's CPU per unit of work,
				 * alone, measured; 0 when not measured */
	double share_overhead_pct;	/* time-sharing overhead measured; 0
					 * when the vCPUs never outnumber the
					 * CPUs */
	double calib_spread_pct;	/* (max - min) / median over guests */
	double slot_s, skip_s;	/* a slot, and its first seconds not used */
	double lag_max_s;	/* a sample read this late at worst */
	double foreign_max_pct;	/* slots above this are left out */
	char *queue;		/* the model's queue */
	struct validation_guest *guests;
	size_t nguests;
	struct validation_slot *slots;
	size_t nslots;
	struct validation_point *points;	/* [guest x nslots + slot] */
	struct validation_summary sum;
};

struct validation_set {
	bool sweep;
	struct validation *runs;
	size_t nruns;
	struct validation_summary sum;	/* over every run */
};

/* an empty run of nguests x nslots points, numbers NaN, strings NULL */
void validation_init(struct validation *v, size_t nguests, size_t nslots);
void validation_release(struct validation *v);
void validation_set_release(struct validation_set *s);

/*
 * Summarise the errors of v's used slots (guest points and slot means)
 * against tolerance_pts: sets v->sum.  Points with a NaN are skipped.
 */
void validation_summarise(struct validation *v, double tolerance_pts);
/* The same over every run of s, into s->sum. */
void validation_set_summarise(struct validation_set *s,
    double tolerance_pts);

/* Write s as capplan-validation JSON to path ("-" is stdout),
 * atomically.  -1 with ERROR_IO. */
int validation_set_write(const struct validation_set *s, const char *path);
/* Read one; -1 with "path: where: what" recorded (ERROR_DATA, or
 * ERROR_IO).  Release with validation_set_release(). */
int validation_set_read(struct validation_set *s, const char *path);

#endif
