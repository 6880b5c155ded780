/*
 * domxml.h - the one libvirt domain XML writer.
 *
 * capplan provision describes each planned guest as a domain that boots
 * its converted disk on a bridged NIC; capplan validate boots the same
 * guest (its vCPUs and memory, from provision_domain()) with a kernel and
 * an initramfs instead of the disk, pinned to the test CPUs, its serial
 * console on a socket; the hypervisor probe and the tests boot small
 * direct-kernel guests.  One struct says what a domain has, and one
 * function writes it, so the three cannot drift apart.
 *
 * Every string goes through one escape: XML's five entities, a newline
 * as &#10;, and bytes XML 1.0 cannot hold (control characters, invalid
 * UTF-8) as U+FFFD.  Plain C: kvm/ and planner/ both use it.
 */
#ifndef PLANNER_DOMXML_H
#define PLANNER_DOMXML_H

#include <stdbool.h>

#include "common/strbuf.h"

enum domxml_serial {
	DOMXML_SERIAL_NONE,
	DOMXML_SERIAL_PTY,	/* an interactive console */
	DOMXML_SERIAL_FILE,	/* written to serial_path */
	DOMXML_SERIAL_UNIX,	/* a socket QEMU makes at serial_path */
};

struct domxml {
	const char *comment;	/* an XML comment before the domain, or NULL */
	const char *type;	/* "kvm" or "qemu" (TCG) */
	const char *name;
	const char *uuid;	/* or NULL: libvirt makes one */
	const char *title;	/* or NULL */
	const char *description;	/* or NULL */
	unsigned long mem_mib;
	unsigned vcpus;
	/* boot: a kernel (direct kernel boot) when kernel is set, else disk */
	const char *kernel, *initrd, *cmdline;	/* absolute paths */
	const char *disk;	/* an image as vda, or NULL */
	const char *disk_format;	/* "qcow2" or "raw" */
	const char *bridge;	/* a NIC on this host bridge, or NULL */
	const char *network;	/* or on this libvirt network (not both) */
	const char *mac;	/* the NIC's MAC address, or NULL */
	unsigned vlan;		/* its VLAN tag (Open vSwitch), 0: none */
	const char *tap;	/* a NIC on this tap device, or NULL */
	enum domxml_serial serial;
	const char *serial_path;
	bool balloon;		/* a virtio balloon */
	unsigned balloon_period_s;	/* its statistics period; 0: none */
	const char *vcpu_cpuset;	/* pin every vCPU to these, or NULL */
	const char *emulator_cpuset;	/* pin QEMU's other threads, or NULL */
	bool restart_on_reboot;	/* a server that reboots comes back */
};

/* Every field empty: no boot, no devices, no balloon. */
void domxml_init(struct domxml *d);

/* Append d's domain XML to sb. */
void domxml_add(struct strbuf *sb, const struct domxml *d);

/* Append s to sb as XML text or attribute value (see above). */
void domxml_add_text(struct strbuf *sb, const char *s);

#endif
