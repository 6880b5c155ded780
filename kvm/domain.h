/*
 * domain.h - libvirt domain XML for capplan's own test guests.
 *
 * The guests that capplan starts (the hypervisor probe, the libvirt
 * importer's tests, capplan validate) are direct-kernel-boot domains: a
 * kernel, an initramfs and a command line, no firmware disk, a serial
 * console written to a file, and optionally a raw disk, a tap NIC with
 * no bridge, and a virtio balloon reporting guest memory statistics.
 * Every string placed in the XML is escaped.
 */
#ifndef KVM_DOMAIN_H
#define KVM_DOMAIN_H

struct guest_spec {
	const char *name;	/* domain name */
	const char *type;	/* "kvm" or "qemu" (TCG) */
	const char *kernel;	/* paths, absolute */
	const char *initrd;
	const char *cmdline;	/* kernel command line */
	unsigned vcpus;
	unsigned long mem_mib;
	const char *serial_log;	/* the console goes here; NULL: none */
	const char *disk;	/* a raw image as vda, or NULL */
	const char *tap;	/* a tap device name for a NIC, or NULL */
	unsigned balloon_period_s;	/* guest memory stats; 0: none */
};

/* The domain XML of g (free() it). */
char *domain_xml(const struct guest_spec *g);

/* s with &, <, >, " and ' as XML entities (free() it). */
char *xml_escape(const char *s);

#endif
