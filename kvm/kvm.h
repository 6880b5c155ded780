/*
 * kvm.h - what the rest of capplan may call in kvm/, in plain C.
 *
 * kvm/ is the only folder that includes libvirt; other folders reach it
 * through this header, which names no libvirt type.  It offers a
 * connection and one sampler of every running guest's statistics (one
 * callback per guest per snapshot), which capplan import libvirt and
 * capplan validate both use.
 */
#ifndef KVM_KVM_H
#define KVM_KVM_H

#include <stddef.h>

#define KVM_VCPU_MAX 256	/* per-vCPU figures kept for this many */

/*
 * One guest's counters at one moment, from one
 * virConnectGetAllDomainStats() call; NaN where libvirt gave none.
 * Counters only grow while the guest runs; times are in ns, sizes in
 * KiB (balloon) or bytes (block, net).
 */
struct kvm_dom_stats {
	const char *name;	/* the domain's name (borrowed) */
	double mono_s;		/* CLOCK_MONOTONIC when read */
	double cpu_ns;		/* cpu.time: the whole QEMU process */
	double vcpu_ns;		/* vcpu.N.time summed: vCPU threads run */
	double delay_ns;	/* vcpu.N.delay summed: runnable, waiting */
	double vcpus;		/* vcpu.current */
	size_t nvcpu;		/* per-vCPU figures below (<= KVM_VCPU_MAX) */
	const double *vcpu_time_ns;	/* [nvcpu] (borrowed) */
	const double *vcpu_delay_ns;	/* [nvcpu] (borrowed) */
	double rd_reqs, wr_reqs, rd_bytes, wr_bytes;	/* summed over disks */
	double rx_bytes, tx_bytes;	/* summed over interfaces */
	double bal_cur, bal_max, bal_avail, bal_usable, bal_rss;  /* KiB */
	double bal_major_faults;	/* the guest's own major faults */
	double bal_swap_in, bal_swap_out;	/* KiB the guest swapped */
};

struct kvm_conn;

/* Connect to uri (NULL: libvirt's default).  NULL with ERROR_BACKEND. */
struct kvm_conn *kvm_open(const char *uri);
/* Accepts NULL. */
void kvm_close(struct kvm_conn *c);

/* what a snapshot reads: everything, or the CPU figures only (cpu.time
 * and vcpu.N: no query of the guests' balloon, disks or NICs, which
 * costs QEMU and libvirtd CPU time of their own) */
enum kvm_stats_what {
	KVM_STATS_ALL,
	KVM_STATS_CPU,
};

/*
 * One snapshot of every running guest: fn(arg, s) for each, s valid
 * during the call only (figures not read are NaN).  Returns the number
 * of guests, -1 with ERROR_BACKEND when libvirt failed (nothing was
 * called), or fn's -1 (which stops the snapshot).
 */
int kvm_stats_each(struct kvm_conn *c, enum kvm_stats_what what,
    int (*fn)(void *arg, const struct kvm_dom_stats *s), void *arg);

/* The running guest's domain type ("kvm", "qemu", or "" when unknown);
 * free() it. */
char *kvm_domain_type(struct kvm_conn *c, const char *name);

#endif
