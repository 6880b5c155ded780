/*
 * guestnet.c - the inventory's network columns (guestnet.h).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/table.h"
#include "planner/guestnet.h"

#define TXT(n, f) { n, COL_TEXT, false, false, 0, 0, \
	offsetof(struct guestnet, f), 0, "" }

static const struct col_spec guestnet_cols[] = {
	{ "host", COL_TEXT, true, true, 0, 0, offsetof(struct guestnet, host),
	    0, "" },
	TXT("net_bridge", bridge),
	TXT("net_network", network),
	{ "net_vlan", COL_INT, false, false, 1, 4094,
	    offsetof(struct guestnet, vlan), 0, "tag" },
	TXT("net_mac", mac),
};

/* six pairs of hex digits joined by ':', unicast */
static bool
mac_ok(const char *s)
{
	size_t i;
	int low;

	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	/* the low bit of the first byte marks a multicast address */
	low = isdigit((unsigned char)s[1]) ? s[1] - '0' :
	    tolower((unsigned char)s[1]) - 'a' + 10;
	return (low & 1) == 0;
}

static bool
name_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ',' ||
		    *s == '\'')
			return false;
	return true;
}

static int
guestnet_check(const void *row, const char *path, size_t line)
{
	const struct guestnet *g = row;

	if (g->bridge[0] != '\0' && g->network[0] != '\0')
		return error_at(ERROR_DATA, path, line, 0, "'%s' has both "
		    "net_bridge and net_network: give one", g->host);
	if (!name_ok(g->bridge) || !name_ok(g->network))
		return error_at(ERROR_DATA, path, line, 0, "'%s': net_bridge "
		    "and net_network take no control character, ',' or "
		    "quote", g->host);
	if (g->mac[0] != '\0' && !mac_ok(g->mac))
		return error_at(ERROR_DATA, path, line, 0, "'%s': net_mac '%s' "
		    "is not a unicast MAC address (six hex pairs joined by "
		    "':')", g->host, g->mac);
	return 0;
}

static const struct table_spec guestnet_spec = {
	FORMAT_INVENTORY, guestnet_cols,
	sizeof(guestnet_cols) / sizeof(guestnet_cols[0]),
	sizeof(struct guestnet), 0, guestnet_check,
};

int
guestnets_load(struct guestnets *g, const char *path)
{
	void *rows = NULL;

	memset(g, 0, sizeof(*g));
	if (table_read(&guestnet_spec, path, &rows, &g->n, NULL) == -1)
		return -1;
	g->rows = rows;
	return 0;
}

void
guestnets_release(struct guestnets *g)
{
	if (g == NULL)
		return;
	table_free(&guestnet_spec, g->rows, g->n);
	memset(g, 0, sizeof(*g));
}

const struct guestnet *
guestnets_find(const struct guestnets *g, const char *name)
{
	size_t i;

	for (i = 0; g != NULL && i < g->n; i++)
		if (strcmp(g->rows[i].host, name) == 0)
			return &g->rows[i];
	return NULL;
}
