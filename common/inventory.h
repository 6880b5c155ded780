/*
 * inventory.h - the server inventory (capplan-inventory,1).
 *
 * One row per server being assessed: what it is (CPU, memory, disks,
 * NICs, OS), what it costs to keep (power, rack units, age) and how
 * policy may treat it (group, tags).  Empty cells are unknown: NaN for
 * numbers, -1 for yes/no, "" for text; later stages fall back to the
 * samples, the shipped CPU table or the policy's defaults, and say so.
 * USED BY: capplan (read and written), capplan-collect (written).
 */
#ifndef COMMON_INVENTORY_H
#define COMMON_INVENTORY_H

#include <stddef.h>

#include "common/strmap.h"
#include "common/table.h"

struct server_inv {
	char *host;
	char *cpu_model;
	int cpu_masked;		/* the model string is generic (a VM) */
	double sockets, cores, threads;	/* threads = logical CPUs */
	double cpu_mhz;
	double cpu_rating;	/* capacity units; NaN = derive */
	double mem_mib;
	double disk_gib;	/* allocated: the disks' size */
	double disk_used_gib;	/* used: its file systems' used space */
	double disk_count;
	int disk_rotational;	/* any spinning disk */
	double nics;
	double nic_mbps;	/* sum of link speeds */
	char *os;
	char *kernel;
	char *virtual;		/* "no", or the hypervisor: kvm, vmware... */
	double power_idle_w, power_max_w;
	double rack_units;
	double age_years;
	char *group;
	char *tags;		/* ';'-separated */
	char *zone;		/* its trust zone ([zones]), "" none */
	char *current_host;	/* the existing host it runs on now, as a
				 * guest; "" none (capplan-existing) */
	/* written by capplan-collect; informational for capplan */
	char *arch;		/* uname -m: x86_64, aarch64 */
	char *container;	/* "no", or docker, podman, lxc... */
	char *disk_list;	/* "sda:931.5:rot;nvme0n1:476.9:ssd" */
	char *nic_list;		/* "eth0:10000;eth1:" (Mbit/s, empty unknown) */
};

struct inventory {
	struct server_inv *servers;
	size_t nservers;
	struct strmap index;	/* host -> position */
};

extern const struct table_spec inventory_spec;

/* Load path; -1 with the error recorded.  info may be NULL. */
int inventory_load(struct inventory *inv, const char *path,
    struct table_info *info);
/* As inventory_load(), naming the input name in messages. */
int inventory_load_named(struct inventory *inv, const char *path,
    const char *name, struct table_info *info);
void inventory_release(struct inventory *inv);
/*
 * Make s what capplan writes must be, so it reads back: every number its
 * column would refuse once written with the column's decimals (a memory
 * of 0.3 MiB is written "0", under the column's 1; a MemTotal of 5e50)
 * becomes unknown (NaN), and so do cores and threads (or sockets and
 * cores) that the row check would refuse together.  Returns how many
 * numbers it cleared.  USED BY: capplan import (its sink) and
 * capplan-collect (its inventory source), the inventory's two writers.
 */
size_t inventory_fit(struct server_inv *s);
/* the server named host, or NULL */
const struct server_inv *inventory_find(const struct inventory *inv,
    const char *host);
/* Does the server carry tag (a whole ';'-separated item)? */
int server_has_tag(const struct server_inv *s, const char *tag);

#endif
