/*
 * hypervisor.h - which hypervisor runs capplan's test guests, and how a
 * guest is booted and told apart from a hung one.
 *
 * /dev/kvm can exist where KVM guests cannot run: nested virtualisation
 * that is advertised but hangs the guest before its first instruction is
 * the common case (this project's development VMs do exactly that).  So
 * KVM is not trusted from capabilities alone: hypervisor_probe() boots a
 * tiny guest (kvm/guest/mkinitramfs) with type 'kvm' and waits a few
 * seconds for its init to print a marker on the serial console; when the
 * marker does not come, the guest is destroyed and QEMU's TCG emulator
 * (type 'qemu') is checked the same way with a longer wait.
 *
 * libvirt prints its errors itself unless silenced; kvm_silence() is
 * called once and kvm_error() copies libvirt's last message into an
 * ERROR_BACKEND error.
 */
#ifndef KVM_HYPERVISOR_H
#define KVM_HYPERVISOR_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

#include "planner/domxml.h"

/*
 * Every test guest's kernel command line starts with this: the console on
 * the serial port, quiet, no reboot on panic.  (mitigations=off was
 * measured too, bench/guest-boot: it saves nothing.)
 */
#define GUEST_CMDLINE "console=ttyS0 quiet panic=-1"

enum hv_kind {
	HV_KVM,			/* hardware virtualisation */
	HV_TCG,			/* QEMU's emulator */
};

struct hv_probe {
	enum hv_kind kind;	/* what works */
	double boot_s;		/* its guest reached init in this time */
	bool kvm_tried;		/* /dev/kvm and libvirt's kvm type exist */
	double kvm_waited_s;	/* how long the KVM guest was given */
	char kvm_why[200];	/* why KVM was not used ("" if it was) */
};

/* Stop libvirt printing errors itself (once per process). */
void kvm_silence(void);
/* Record ERROR_BACKEND "<what>: <libvirt's last message>"; returns -1. */
int kvm_error(const char *what);
/* "kvm" or "qemu", the domain type of kind. */
const char *hypervisor_type(enum hv_kind kind);

struct kvm_conn;
/* kvm.h's connection as libvirt's, for kvm/ itself */
virConnectPtr kvm_conn_virt(struct kvm_conn *c);

/*
 * Create d as a transient domain and wait up to timeout_s seconds for
 * marker to appear in its console file d->serial_path (d->serial must be
 * DOMXML_SERIAL_FILE; the file is truncated first).  Returns 1 with the running domain in *dom (virDomainFree it)
 * and the time taken in *secs; 0 when the marker did not come (the
 * domain is destroyed); -1 with ERROR_BACKEND when libvirt refused it.
 */
int guest_boot(virConnectPtr conn, const struct domxml *d,
    const char *marker, double timeout_s, virDomainPtr *dom, double *secs);

/*
 * Find the hypervisor that runs guests here: KVM if /dev/kvm exists,
 * libvirt offers it and a probe guest prints marker on its console
 * within kvm_timeout_s, else TCG within tcg_timeout_s.  kernel and initrd
 * are the test guest's (absolute paths): the busybox test guest prints
 * "capplan-guest: ready", capplan-replay "capplan-replay: ready";
 * workdir takes the console logs.
 * -1 with ERROR_UNSUPPORTED when neither boots a guest (p->kvm_why says
 * why KVM did not), ERROR_BACKEND when libvirt refused a probe guest.
 */
int hypervisor_probe(virConnectPtr conn, const char *kernel,
    const char *initrd, const char *marker, const char *workdir,
    double kvm_timeout_s,
    double tcg_timeout_s, struct hv_probe *p);

#endif
