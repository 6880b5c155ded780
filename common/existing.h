/*
 * existing.h - the hosts a site already runs (capplan-existing,1).
 *
 * One row per KVM host that exists today: its name, its model in the host
 * catalog (capacity, power curve, rack units), where it is (rack, PDU,
 * room: the failure domains [ha] failure_domain picks from) and the
 * trust zone it is kept for, if any.  The guests on it now are named by
 * the inventory's current_host column.  Empty cells are unknown: "".
 * USED BY: capplan.
 */
#ifndef COMMON_EXISTING_H
#define COMMON_EXISTING_H

#include <stddef.h>

#include "common/strmap.h"
#include "common/table.h"

struct existing_host {
	char *host;		/* its name, unique */
	char *model;		/* a model of the host catalog */
	char *rack, *pdu, *room;	/* where it is; "" unknown */
	char *zone;		/* the trust zone it serves; "" any */
};

struct existing {
	struct existing_host *hosts;
	size_t nhosts;
	struct strmap index;	/* host -> position */
};

extern const struct table_spec existing_spec;

/* Load path; -1 with the error recorded.  info may be NULL. */
int existing_load(struct existing *ex, const char *path,
    struct table_info *info);
void existing_release(struct existing *ex);
/* the host named name, or NULL */
const struct existing_host *existing_find(const struct existing *ex,
    const char *name);

#endif
