/*
 * zones.c - trust zones: which servers may never share a host.
 *
 * A server's zone comes from, in this order: the inventory's zone column;
 * each rule of [zones] separate, "tag:NAME" (servers carrying the
 * inventory tag NAME are in zone NAME) or "group:NAME" (servers of the
 * inventory group NAME); a [zone NAME] section's servers.  A server
 * given two different zones is an unmet constraint naming both and where
 * each came from, as is an affinity group or a pin joining servers of two
 * zones: no plan can honour them.  Servers in no zone share zone 0 with
 * each other and with no named zone.
 *
 * Zone ids are 1, 2, ... in the order of the names (strcmp), so the plan
 * does not depend on the order of the inputs.  When no placed server is
 * in a zone there are no zones at all (b->zone NULL), and the packing
 * runs exactly as without this file.
 *
 * Zones are checked in the pack kernel (pack.c: a host holds items of
 * one zone), with each zone's [zone NAME] model and max_hosts; the bound
 * adds up the zones' own bounds (bound.c).
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "planner/build.h"

/* a server's zone, and where it came from (for messages) */
struct zsrc {
	const char *name;	/* NULL: none */
	char from[96];
};

/* give server s zone name from `from'; a second, different one is an
 * unmet constraint */
static void
zone_set(struct build *b, struct zsrc *z, size_t s, const char *name,
    const char *from)
{
	if (z[s].name == NULL) {
		z[s].name = name;
		snprintf(z[s].from, sizeof(z[s].from), "%s", from);
		return;
	}
	if (strcmp(z[s].name, name) == 0)
		return;
	planner_infeasible(b->res, "server '%s' is in zone '%s' (%s) and in "
	    "zone '%s' (%s): a server belongs to one zone",
	    b->in->ps->profiles[s].host, z[s].name, z[s].from, name, from);
}

struct zctx {
	struct build *b;
	struct zsrc *z;
	size_t s;
};

static void
on_zone(void *ctx, const char *zone, const char *from)
{
	struct zctx *c = ctx;

	zone_set(c->b, c->z, c->s, zone, from);
}

/* the inventory's zone column, then [zones] separate */
static int
zones_from_inventory(struct build *b, struct zsrc *z)
{
	const struct policy *pol = b->in->pol;
	const struct server_inv *inv;
	struct zctx c = { b, z, 0 };

	if (pol->zone_separate.nitems > 0 && b->in->inv == NULL)
		return error_set(ERROR_USAGE, "[zones] separate = %s needs the "
		    "inventory (-i) to find the servers' %s",
		    pol->zone_separate.items[0], strncmp(
		    pol->zone_separate.items[0], "tag:", 4) == 0 ? "tags" :
		    "groups");
	if (b->in->inv == NULL)
		return 0;
	for (c.s = 0; c.s < b->d.nservers; c.s++) {
		inv = inventory_find(b->in->inv, b->in->ps->profiles[c.s].host);
		if (inv != NULL)
			policy_inv_zones(pol, inv, on_zone, &c);
	}
	return 0;
}

/* [zone NAME] servers; a name with no profile is a warning, as for
 * groups: the policy may cover more servers than this plan */
static void
zones_from_policy(struct build *b, struct zsrc *z)
{
	const struct policy *pol = b->in->pol;
	const struct zone_rule *r;
	const struct profile *p;
	char from[96];
	size_t i, j;

	for (i = 0; i < pol->nzones; i++) {
		r = &pol->zones[i];
		snprintf(from, sizeof(from), "[zone %s], line %zu", r->name,
		    r->line);
		for (j = 0; j < r->servers.nitems; j++) {
			p = profile_set_find(b->in->ps, r->servers.items[j]);
			if (p == NULL)
				planner_warn(b->res, "zone '%s' (capplan.conf "
				    "line %zu) names server '%s', which has no "
				    "profile: left out", r->name, r->line,
				    r->servers.items[j]);
			else
				zone_set(b, z, (size_t)(p - b->in->ps->profiles),
				    r->name, from);
		}
	}
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the zones of the placed servers and of the existing hosts, named and
 * numbered */
static void
zones_number(struct build *b, const struct zsrc *z)
{
	size_t ne = b->in->ex != NULL ? b->in->ex->nhosts : 0;
	const char **names = xcalloc(b->d.nservers + ne + 1, sizeof(char *));
	size_t s, n = 0, k;

	for (s = 0; s < b->d.nservers; s++)
		if (b->item_of[s] != PACK_NONE && z[s].name != NULL)
			names[n++] = z[s].name;
	for (k = 0; k < ne; k++)
		if (b->in->ex->hosts[k].zone[0] != '\0')
			names[n++] = b->in->ex->hosts[k].zone;
	array_sort(names, n, sizeof(char *), str_cmp);
	b->zone_name = xcalloc(n + 2, sizeof(char *));
	b->nzones = 1;
	for (k = 0; k < n; k++)
		if (k == 0 || strcmp(names[k], names[k - 1]) != 0)
			b->zone_name[b->nzones++] = xstrdup(names[k]);
	free(names);
}

static uint32_t
zone_id(const struct build *b, const char *name)
{
	size_t k;

	if (name == NULL)
		return 0;
	for (k = 1; k < b->nzones; k++)
		if (strcmp(b->zone_name[k], name) == 0)
			return (uint32_t)k;
	return 0;
}

static const char *
zone_label(const struct build *b, uint32_t z)
{
	return z == 0 ? "(none)" : b->zone_name[z];
}

/* every member of an item in the item's zone; a pin's items in one */
static void
zones_items(struct build *b, const struct zsrc *zs)
{
	size_t nfixed = b->npins + b->nexist;
	uint32_t *pin_zone = xcalloc(nfixed + 1, sizeof(uint32_t)), z;
	size_t it, j, s, first;

	for (it = 0; it < nfixed; it++)
		pin_zone[it] = it >= b->npins && b->in->ex->hosts[it -
		    b->npins].zone[0] != '\0' ? zone_id(b, b->in->ex->hosts[
		    it - b->npins].zone) : UINT32_MAX;
	b->zone = xcalloc(b->nitems + 1, sizeof(uint32_t));
	for (it = 0; it < b->nitems; it++) {
		first = b->members[b->mem_off[it]];
		b->zone[it] = zone_id(b, zs[first].name);
		for (j = b->mem_off[it] + 1; j < b->mem_off[it + 1]; j++) {
			s = b->members[j];
			if ((z = zone_id(b, zs[s].name)) != b->zone[it])
				planner_infeasible(b->res, "affinity group '%s' "
				    "joins '%s' of zone '%s' and '%s' of zone "
				    "'%s', which may not share a host",
				    b->item_group[it], b->in->ps->profiles[first].
				    host, zone_label(b, b->zone[it]),
				    b->in->ps->profiles[s].host, zone_label(b, z));
		}
		if (b->pin[it] == PACK_NONE)
			continue;
		if (pin_zone[b->pin[it]] == UINT32_MAX)
			pin_zone[b->pin[it]] = b->zone[it];
		else if (pin_zone[b->pin[it]] != b->zone[it])
			planner_infeasible(b->res, "%s '%s' puts servers of "
			    "zones '%s' and '%s' on one host", b->pin[it] <
			    b->npins ? "pin" : "existing host",
			    fixed_name(b, b->pin[it]), zone_label(b,
			    pin_zone[b->pin[it]]), zone_label(b, b->zone[it]));
	}
	free(pin_zone);
}

/* each zone's section: its model (by name, for make_problem()) and most
 * hosts; sections naming a zone no placed server is in are told */
static void
zones_rules(struct build *b)
{
	const struct policy *pol = b->in->pol;
	size_t k, i;

	b->zone_rule = xcalloc(b->nzones + 1, sizeof(*b->zone_rule));
	b->zone_max = xcalloc(b->nzones + 1, sizeof(size_t));
	b->zone_type = xcalloc(b->nzones + 1, sizeof(size_t));
	for (k = 0; k < b->nzones; k++) {
		b->zone_rule[k] = k == 0 ? NULL : policy_zone(pol,
		    b->zone_name[k]);
		b->zone_max[k] = b->zone_rule[k] != NULL &&
		    b->zone_rule[k]->max_hosts > 0 ?
		    (size_t)b->zone_rule[k]->max_hosts : PACK_NONE;
		b->zone_type[k] = PACK_NONE;
	}
	for (i = 0; i < pol->nzones; i++)
		if (zone_id(b, pol->zones[i].name) == 0)
			planner_warn(b->res, "zone '%s' (capplan.conf line %zu) "
			    "has no virtualized server", pol->zones[i].name,
			    pol->zones[i].line);
}

int
zones_make(struct build *b)
{
	const struct policy *pol = b->in->pol;
	struct zsrc *z;
	size_t i;
	int ret = -1;

	b->nzones = 1;
	if (b->in->no_zones)
		return 0;
	for (i = 0; i < pol->nzones; i++)
		if (pol->zones[i].model != NULL && hostcat_find(b->in->hc,
		    pol->zones[i].model) == NULL)
			return error_set(ERROR_DATA, "zone '%s' (capplan.conf "
			    "line %zu) names model '%s', which is not in the "
			    "host catalog", pol->zones[i].name,
			    pol->zones[i].line, pol->zones[i].model);
	z = xcalloc(b->d.nservers + 1, sizeof(*z));
	if (zones_from_inventory(b, z) == -1)
		goto out;
	zones_from_policy(b, z);
	zones_number(b, z);
	zones_rules(b);
	if (b->nzones > 1)
		zones_items(b, z);
	ret = 0;
out:
	free(z);
	return ret;
}

int
zones_types(struct build *b)
{
	const struct zone_rule *r;
	const struct host_model *hm;
	size_t k, t;

	for (k = 0; k < b->nzones && b->zone_type != NULL; k++) {
		b->zone_type[k] = PACK_NONE;
		r = b->zone_rule[k];
		if (r == NULL || r->model == NULL)
			continue;
		hm = hostcat_find(b->in->hc, r->model);
		for (t = 0; t < b->ntypes; t++)
			if (&b->in->hc->models[b->type_model[t]] == hm)
				b->zone_type[k] = t;
		if (b->zone_type[k] == PACK_NONE)
			return error_set(ERROR_DATA, "zone '%s' needs model "
			    "'%s', which -m or its available count of 0 rules "
			    "out", r->name, r->model);
	}
	return 0;
}

uint32_t
zones_of_bin(const struct build *b, size_t bn)
{
	size_t it;

	if (b->zone == NULL)
		return 0;
	for (it = 0; it < b->nitems; it++)
		if (b->sol.bin_of[it] == bn)
			return b->zone[it];
	return 0;
}

void
zones_release(struct build *b)
{
	size_t k;

	for (k = 0; b->zone_name != NULL && k < b->nzones; k++)
		free(b->zone_name[k]);
	free(b->zone_name);
	free(b->zone_rule);
	free(b->zone_type);
	free(b->zone_max);
	free(b->zone);
}
