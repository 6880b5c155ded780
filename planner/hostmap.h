/*
 * hostmap.h - the host-mapping file of capplan provision: each planned
 * host ("host-001", "spare-1", a [pin] name) given the real machine that
 * will be it.
 *
 * capplan-hostmap version 1 (capplan-formats(5)): a format record, a
 * header, then one row per planned host: host (the plan's name, unique),
 * name (the real host name), ansible_host (the address Ansible connects
 * to, empty: the name) and uri (its libvirt URI, empty: provision's -u
 * template with the real name).  Read with common/table.h.
 */
#ifndef PLANNER_HOSTMAP_H
#define PLANNER_HOSTMAP_H

#include <stddef.h>

struct hostmap_row {
	char *host;		/* the plan's host name */
	char *name;		/* the real host name */
	char *ansible_host;	/* "" when not given */
	char *uri;		/* "" when not given */
};

struct hostmap {
	struct hostmap_row *rows;
	size_t n;
	char *path;		/* for messages */
};

/* Read path; -1 with "path:line:column: ..." recorded. */
int hostmap_load(struct hostmap *m, const char *path);
void hostmap_release(struct hostmap *m);
/* The row of plan host name, or NULL; m may be NULL. */
const struct hostmap_row *hostmap_find(const struct hostmap *m,
    const char *host);

#endif
