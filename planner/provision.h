/*
 * provision.h - a plan as files that build it: one libvirt domain XML
 * per guest, a virt-install script and an Ansible inventory.
 *
 * Every name in the plan reaches XML, a shell script, YAML and file
 * names.  A name is used only if it is valid UTF-8 of 1 to 200 bytes with
 * no control character and no '/', and does not start with '.' or '-';
 * others are refused, naming the guest or host.  Accepted names are then
 * escaped for each language: XML entities, single quotes for the shell
 * (and double quotes inside virt-install's own option syntax), double-
 * quoted YAML, and an Ansible host key of letters, digits, '.', '_' and
 * '-' (other names get "guest-N" and keep the real one in capplan_name).
 * Two names are derived, because tools refuse what the name may hold:
 * the libvirt domain name has '_' for spaces and a hash appended when the
 * name has spaces (virt-install refuses them; the name stays the
 * domain's title), and the disk image is named after the guest with
 * every character but letters, digits, '.', '_' and '-' made '_' and a
 * hash appended when any was (libvirt's storage pools refuse them).
 */
#ifndef PLANNER_PROVISION_H
#define PLANNER_PROVISION_H

#include <stdbool.h>
#include <stddef.h>

#include "common/inventory.h"
#include "common/strbuf.h"
#include "planner/domxml.h"
#include "planner/guestnet.h"
#include "planner/hostmap.h"
#include "planner/plan.h"

/* guests planned with less memory get this much: a guest of 256 MiB
 * boots no server OS, and is a sizing accident, not a plan */
#define PROVISION_MIN_MEM_MIB 512

struct provision_options {
	const char *dir;	/* output directory, made if missing */
	const char *bridge;	/* host bridge for the guests' NIC */
	const char *disk_dir;	/* where the guest disk images live */
	const char *uri;	/* libvirt URI, "%s" = the host's name */
	const char *domain_type;	/* "kvm" or "qemu" */
	long min_mem_mib;	/* memory floor, MiB (-M) */
	const struct hostmap *map;	/* real host names, or NULL */
	const struct inventory *inv;	/* disk sizes, or NULL */
	const struct guestnets *nets;	/* networks, or NULL */
};

struct provision_stats {
	size_t domains;		/* domain XML files written */
	size_t hosts;		/* hosts in the inventory */
	size_t mem_raised;	/* guests raised to the memory floor */
	size_t disk_unknown;	/* guests with no disk size: $DISK_GIB */
	size_t hosts_unmapped;	/* hosts the map does not name (with a map) */
	size_t ansible_renamed;	/* guests given a safe Ansible key */
};

void provision_options_init(struct provision_options *o);

/*
 * Is name usable (see above)?  When not, *why says why in a few words.
 */
bool provision_name_ok(const char *name, const char **why);
/* Does s hold no control character (for addresses and URIs)? */
bool provision_text_ok(const char *s);

/*
 * A planned guest as a domain (planner/domxml.h): its derived name and
 * UUID, its own name as title, the host and reason as description, its
 * vCPUs and memory, its disk image in o->disk_dir and a NIC on
 * o->bridge.  The strings live in pd until provision_domain_release().
 * capplan validate boots the same domain with a kernel in place of the
 * disk.
 */
struct provision_domain {
	struct domxml xml;
	struct strbuf name, desc, disk;
	char uuid[40];
};
void provision_domain_init(struct provision_domain *pd, const struct plan *p,
    const struct plan_guest *g, const struct provision_options *o);
void provision_domain_release(struct provision_domain *pd);

/*
 * Write <dir>/domains/<guest>.xml for every guest, <dir>/install.sh and
 * <dir>/inventory.yml, each atomically; the same plan gives the same
 * bytes.  Hosts named in o->map are written by their real names (the
 * plan's stays in capplan_name); guests under o->min_mem_mib get that
 * much; a new empty disk is the inventory's disk_gib of the server.
 * Returns 0 with st counting what was assumed, or -1 with the error
 * recorded: ERROR_DATA for a refused name or a map row naming no host
 * of the plan (nothing is written then), ERROR_IO for the files.
 */
int provision_write(const struct plan *p, const struct provision_options *o,
    struct provision_stats *st);

#endif
