/*
 * src_inv.h - the inventory source: what this server is.
 *
 * One capplan-inventory row (common/inventory.h) read from the same root
 * as the counters: host name, CPU model and whether a hypervisor masks
 * it, sockets, cores and threads, nominal MHz, memory, whole physical
 * disks (size, rotational), physical NICs (speed), OS, kernel, whether
 * the server is itself a virtual machine (and which hypervisor) and
 * whether it runs in a container.  Every file is root-relative (the host
 * name from /proc/sys/kernel/hostname, not gethostname()), so a fake tree
 * gives a fake, stable inventory.  Power, rack units, age, group and tags
 * are the analyst's to fill in: left empty.
 */
#ifndef COLLECTOR_SRC_INV_H
#define COLLECTOR_SRC_INV_H

#include <stdbool.h>

#include "collector/probe.h"
#include "common/inventory.h"

/*
 * A new inventory row of the tree under p; free with inv_free().  Never
 * fails: what cannot be read is left unknown.  A file that is there but
 * not as the kernel writes it, so that a figure comes from another file,
 * adds a line to notes (unless NULL) naming the file and the fallback.
 */
struct server_inv *inv_collect(struct probe *p, struct strbuf *notes);
void inv_free(struct server_inv *inv);
/*
 * Is the text of inv, read from the system, UTF-8 as every capplan file
 * is?  The collector is the first reader of these files, so it refuses
 * (a reader would later refuse the samples): 0, or -1 with ERROR_DATA
 * naming the file, such as "proc/sys/kernel/hostname: not valid UTF-8".
 */
int inv_check_text(const struct server_inv *inv);

/* Is the generic CPU model string one a hypervisor shows instead of the
 * real one ("QEMU Virtual CPU", "Intel(R) Xeon(R) Processor")? */
bool cpu_model_masked(const char *model);

#endif
