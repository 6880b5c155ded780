/*
 * guestnet.h - each guest's network as the inventory gives it, for
 * capplan provision: the columns net_bridge (a host bridge) or
 * net_network (a libvirt network), net_vlan (a tag, 1-4094, which needs
 * an Open vSwitch bridge) and net_mac (the server's MAC address, kept so
 * DHCP reservations and licences still match).  Other inventory columns
 * are ignored here; a server without these columns gets provision's -b
 * bridge and a new MAC.
 */
#ifndef PLANNER_GUESTNET_H
#define PLANNER_GUESTNET_H

#include <stddef.h>

struct guestnet {
	char *host;		/* the server */
	char *bridge;		/* "" when not given */
	char *network;		/* "" when not given */
	double vlan;		/* NaN when not given */
	char *mac;		/* "" when not given */
};

struct guestnets {
	struct guestnet *rows;
	size_t n;
};

/*
 * Read the network columns of inventory path.  A MAC that is not six
 * hex pairs or is multicast, a bridge and a network both given, a name
 * holding a control character, ',' or '\'' is "path:line: ..." and -1.
 */
int guestnets_load(struct guestnets *g, const char *path);
void guestnets_release(struct guestnets *g);
/* The row of server name, or NULL; g may be NULL. */
const struct guestnet *guestnets_find(const struct guestnets *g,
    const char *name);

#endif
