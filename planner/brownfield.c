/*
 * brownfield.c - planning onto the hosts a site already has.
 *
 * With -e existing.csv, every existing host is a bin opened before any
 * new one, of its catalog model, and never closed: the packing fills
 * them first and buys new hosts only for what they cannot hold, and the
 * search, whose goal is fewer bins, can only save new ones.  Existing
 * hosts cost no purchase (sunk); their running costs count as any
 * host's.  The types of existing hosts are extra pack types that are
 * never opened new and count against no available count, so a model kept
 * for them with available = 0 (no longer sold) still describes them.
 *
 * Servers whose inventory names an existing host in current_host are the
 * guests it runs now: each stays on its host (a pin), unless [existing]
 * move = yes, when it is placed like any guest and the plan says which
 * moved where.  Their demand counts like any guest's.  They are guests
 * already, so no candidate rule keeps them physical or retires them.
 *
 * An existing host may be kept for a trust zone (its zone column), and
 * with [ha] failure_domain its rack, PDU or room is its failure domain;
 * the domains are then [ha] domains followed by the values the existing
 * hosts have that it does not list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/build.h"

/* the existing host server s runs on now, or PACK_NONE */
size_t
brownfield_current(const struct planner_input *in, size_t s)
{
	const struct server_inv *inv;
	const struct existing_host *h;

	if (in->ex == NULL || in->inv == NULL)
		return PACK_NONE;
	inv = inventory_find(in->inv, in->ps->profiles[s].host);
	if (inv == NULL || inv->current_host == NULL ||
	    inv->current_host[0] == '\0')
		return PACK_NONE;
	h = existing_find(in->ex, inv->current_host);
	return h != NULL ? (size_t)(h - in->ex->hosts) : PACK_NONE;
}

/* every current_host names an existing host */
static int
check_current(const struct build *b)
{
	const struct server_inv *inv;
	size_t s;

	for (s = 0; s < b->d.nservers; s++) {
		inv = inventory_find(b->in->inv, b->in->ps->profiles[s].host);
		if (inv == NULL || inv->current_host == NULL ||
		    inv->current_host[0] == '\0' ||
		    existing_find(b->in->ex, inv->current_host) != NULL)
			continue;
		return error_set(ERROR_DATA, "server '%s' runs on '%s' (the "
		    "inventory's current_host), which the existing hosts (-e) "
		    "do not list", inv->host, inv->current_host);
	}
	return 0;
}

/* the pinned bin of an existing host */
static size_t
bin_of_existing(const struct build *b, size_t e)
{
	return b->npins + e;
}

/* each item with its current host: pinned there unless guests may move;
 * an item whose members run on two hosts and may not move cannot be */
static void
pin_current(struct build *b)
{
	size_t it, j, s, e, first;

	b->current = xcalloc(b->nitems + 1, sizeof(size_t));
	for (it = 0; it < b->nitems; it++) {
		b->current[it] = PACK_NONE;
		first = PACK_NONE;
		for (j = b->mem_off[it]; j < b->mem_off[it + 1]; j++) {
			s = b->members[j];
			if ((e = brownfield_current(b->in, s)) == PACK_NONE)
				continue;
			if (first == PACK_NONE) {
				first = s;
				b->current[it] = e;
			} else if (e != b->current[it] &&
			    !b->in->pol->existing_move) {
				planner_infeasible(b->res, "affinity group '%s' "
				    "joins '%s' on '%s' and '%s' on '%s', which "
				    "stay where they are ([existing] move = no)",
				    b->item_group[it], b->in->ps->profiles[first].
				    host, b->in->ex->hosts[b->current[it]].host,
				    b->in->ps->profiles[s].host,
				    b->in->ex->hosts[e].host);
			}
		}
		if (b->current[it] == PACK_NONE || b->in->pol->existing_move)
			continue;
		if (b->pin[it] != PACK_NONE)
			planner_infeasible(b->res, "server '%s' is pinned to '%s' "
			    "but stays on existing host '%s' ([existing] move "
			    "= no)", b->in->ps->profiles[first].host,
			    b->pins[b->pin[it]]->name,
			    b->in->ex->hosts[b->current[it]].host);
		else
			b->pin[it] = bin_of_existing(b, b->current[it]);
	}
}

int
brownfield_make(struct build *b)
{
	if (b->in->ex == NULL)
		return 0;
	b->nexist = b->in->ex->nhosts;
	if (b->in->inv != NULL && check_current(b) == -1)
		return -1;
	pin_current(b);
	return 0;
}

/*
 * Guests of existing hosts that may move went where the packing put
 * them; send back those whose host still has room, and keep all of them
 * out of the balancing: a guest moves only when that saves a host.
 */
void
brownfield_home(struct build *b)
{
	size_t *home, it;

	if (b->current == NULL || !b->in->pol->existing_move)
		return;
	home = xcalloc(b->nitems + 1, sizeof(size_t));
	b->stay = xcalloc(b->nitems + 1, sizeof(bool));
	for (it = 0; it < b->nitems; it++) {
		home[it] = b->current[it] == PACK_NONE || b->pin[it] !=
		    PACK_NONE ? PACK_NONE : b->npins + b->current[it];
		b->stay[it] = b->current[it] != PACK_NONE;
	}
	(void)pack_home(&b->pb, &b->sol, home);
	free(home);
}

/* ------------------------------------------------------------ names */

const char *
fixed_name(const struct build *b, size_t p)
{
	return p < b->npins ? b->pins[p]->name :
	    b->in->ex->hosts[p - b->npins].host;
}

bool
bin_is_existing(const struct build *b, size_t bn)
{
	return bn >= b->npins && bn < b->npins + b->nexist;
}

/* is name an existing host's or a pin's (new hosts must not take it)? */
static bool
name_taken(const struct build *b, const char *name)
{
	size_t p;

	for (p = 0; p < b->npins + b->nexist; p++)
		if (strcmp(fixed_name(b, p), name) == 0)
			return true;
	return false;
}

void
bin_name(const struct build *b, size_t bn, char *buf, size_t len)
{
	size_t k, num = 0;

	if (bn < b->npins + b->nexist) {
		snprintf(buf, len, "%s", fixed_name(b, bn));
		return;
	}
	if (bn >= b->sol.nbins) {
		snprintf(buf, len, "spare-%zu", bn - b->sol.nbins + 1);
		return;
	}
	/* host-001, host-002, ... over the new hosts, skipping a name an
	 * existing host or a pin has */
	for (k = b->npins + b->nexist; k <= bn; k++)
		do
			snprintf(buf, len, "host-%03zu", ++num);
		while (name_taken(b, buf));
}

/* ------------------------------------------------------------ types */

void
brownfield_types(struct build *b, const double *lim)
{
	const struct host_model *hm;
	size_t e, f, m;

	free(b->exist_type);
	b->exist_type = xcalloc(b->nexist + 1, sizeof(size_t));
	for (e = 0; e < b->nexist; e++) {
		hm = hostcat_find(b->in->hc, b->in->ex->hosts[e].model);
		m = (size_t)(hm - b->in->hc->models);
		for (f = 0; f < e; f++)
			if (b->type_model[b->exist_type[f]] == m)
				break;
		if (f < e) {
			b->exist_type[e] = b->exist_type[f];
			continue;
		}
		b->type_model[b->ntypes] = m;
		b->types[b->ntypes] = (struct pack_bintype){ .cap = lim +
		    m * b->ndims, .hard = b->hard + m * b->ndims, .cost = 0,
		    .available = PACK_NONE, .existing = true };
		b->exist_type[e] = b->ntypes++;
	}
}

size_t
bin_type_of(const struct build *b, size_t bn)
{
	if (bin_is_existing(b, bn))
		return b->exist_type[bn - b->npins];
	return type_of_model(b, b->bin_model[bn]);
}

/* ------------------------------------------------------------ zones */

/* each existing host's zone (its zone column; none when empty) for the
 * pinned bins: a host kept for a zone no guest is in stays empty */
void
brownfield_zones(struct build *b, uint32_t *pinned_zone)
{
	const char *z;
	size_t e, k;

	for (e = 0; e < b->nexist; e++) {
		z = b->in->ex->hosts[e].zone;
		pinned_zone[b->npins + e] = PACK_ANY_ZONE;
		if (z == NULL || z[0] == '\0')
			continue;
		/* zones_make() numbered the existing hosts' zones too */
		for (k = 1; k < b->nzones; k++)
			if (strcmp(b->zone_name[k], z) == 0)
				pinned_zone[b->npins + e] = (uint32_t)k;
	}
}

/* ------------------------------------------------------------ domains */

/* the existing host's failure-domain attribute, or NULL */
static const char *
attribute(const struct build *b, size_t e)
{
	const struct existing_host *h = &b->in->ex->hosts[e];

	switch (b->in->pol->failure_domain) {
	case FAILURE_DOMAIN_RACK: return h->rack;
	case FAILURE_DOMAIN_PDU: return h->pdu;
	case FAILURE_DOMAIN_ROOM: return h->room;
	default: return NULL;
	}
}

static size_t
domain_index(const struct build *b, const char *name)
{
	size_t d;

	for (d = 0; d < b->ndomains; d++)
		if (strcmp(b->domain_name[d], name) == 0)
			return d;
	return PACK_NONE;
}

int
brownfield_domains(struct build *b)
{
	const struct policy *pol = b->in->pol;
	const char *a;
	size_t e, d;

	b->domain_name = xcalloc(pol->domains.nitems + b->nexist + 1,
	    sizeof(char *));
	for (d = 0; d < pol->domains.nitems; d++)
		b->domain_name[b->ndomains++] = pol->domains.items[d];
	b->exist_domain = xcalloc(b->nexist + 1, sizeof(uint32_t));
	for (e = 0; e < b->nexist; e++) {
		b->exist_domain[e] = UINT32_MAX;
		if (pol->failure_domain == FAILURE_DOMAIN_NONE)
			continue;
		a = attribute(b, e);
		if (a == NULL || a[0] == '\0')
			return error_set(ERROR_DATA, "existing host '%s' has no "
			    "%s, which [ha] failure_domain makes its domain",
			    b->in->ex->hosts[e].host,
			    failure_domain_names[pol->failure_domain]);
		if ((d = domain_index(b, a)) == PACK_NONE)
			b->domain_name[(d = b->ndomains++)] = a;
		b->exist_domain[e] = (uint32_t)d;
	}
	return 0;
}
