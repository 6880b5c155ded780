/*
 * growth.c - growth stated in the policy ([growth], [growth NAME]).
 *
 * Each server gets the figures of the named section that lists it (or,
 * when that section lists none, of the section named after its
 * inventory group), resource by resource falling back to [growth]; a
 * server two named sections claim is refused.  A stated figure is growth
 * over the horizon ([sizing] horizon_months): every slot of the resource
 * is multiplied by 1 + pct / 100, in place of the fitted trend (which
 * would count the growth twice), and so are the sized vCPUs (rounded up)
 * and memory; storage_pct multiplies the disk size (storage.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "planner/planner.h"

int
growth_res(int r)
{
	switch (r) {
	case RES_CPU: return GROWTH_CPU;
	case RES_MEM: return GROWTH_MEM;
	case RES_NET_KIBPS: return GROWTH_NET;
	default: return GROWTH_DISK;
	}
}

/* the named rule that takes server s, or SIZE_MAX; -1 when two do */
static int
rule_of(const struct planner_input *in, size_t s, const struct strmap *listed,
    size_t *out)
{
	const struct policy *pol = in->pol;
	const char *host = in->ps->profiles[s].host;
	const struct server_inv *inv = in->inv != NULL ?
	    inventory_find(in->inv, host) : NULL;
	size_t i, r = SIZE_MAX;

	(void)strmap_get(listed, host, &r);
	for (i = 0; i < pol->ngrowth; i++) {
		if (pol->growth[i].name[0] == '\0' ||
		    pol->growth[i].servers.nitems > 0 || inv == NULL ||
		    inv->group == NULL || strcmp(inv->group,
		    pol->growth[i].name) != 0 || i == r)
			continue;
		if (r != SIZE_MAX)
			return error_set(ERROR_DATA, "server '%s' is in growth "
			    "sections '%s' (line %zu) and '%s' (line %zu): "
			    "say its growth once", host, pol->growth[r].name,
			    pol->growth[r].line, pol->growth[i].name,
			    pol->growth[i].line);
		r = i;
	}
	*out = r;
	return 0;
}

/* the named rules' listed servers -> rule; -1 for one listed twice */
static int
growth_listed(const struct policy *pol, struct strmap *listed)
{
	const struct growth_rule *g;
	size_t i, j, first;

	for (i = 0; i < pol->ngrowth; i++) {
		g = &pol->growth[i];
		for (j = 0; j < g->servers.nitems; j++)
			if (!strmap_put(listed, g->servers.items[j], i, &first))
				return error_set(ERROR_DATA, "server '%s' is in "
				    "growth sections '%s' (line %zu) and '%s' "
				    "(line %zu): say its growth once",
				    g->servers.items[j], pol->growth[first].name,
				    pol->growth[first].line, g->name, g->line);
	}
	return 0;
}

/* server s's factors from rule r (SIZE_MAX: none) and [growth] */
static void
growth_set(struct demand *d, const struct policy *pol, size_t s, size_t r,
    size_t bare)
{
	double pct;
	int k;

	d->grow_rule[s] = r != SIZE_MAX ? r : bare;
	for (k = 0; k < GROWTH_N; k++) {
		pct = r != SIZE_MAX ? pol->growth[r].pct[k] : NAN;
		if (isnan(pct) && bare != SIZE_MAX)
			pct = pol->growth[bare].pct[k];
		d->grow[s * GROWTH_N + k] = 1 + pct / 100;
	}
}

int
growth_resolve(struct demand *d, const struct planner_input *in)
{
	const struct policy *pol = in->pol;
	struct strmap listed;
	size_t n = in->ps->nprofiles, s, r, bare = SIZE_MAX;
	int ret = 0;

	d->grow = xcalloc(n * GROWTH_N + 1, sizeof(double));
	d->grow_rule = xcalloc(n + 1, sizeof(size_t));
	for (r = 0; r < pol->ngrowth; r++)
		if (pol->growth[r].name[0] == '\0')
			bare = r;
	strmap_init(&listed);
	ret = growth_listed(pol, &listed);
	for (s = 0; ret == 0 && s < n; s++)
		if ((ret = rule_of(in, s, &listed, &r)) == 0)
			growth_set(d, pol, s, r, bare);
	strmap_release(&listed);
	return ret;
}

bool
growth_stated(const struct demand *d, size_t s, int r)
{
	return d->grow != NULL && !isnan(d->grow[s * GROWTH_N +
	    growth_res(r)]);
}

void
growth_apply(struct demand *d)
{
	double f, *row;
	size_t s, k;
	int r;

	for (s = 0; s < d->nservers; s++) {
		for (r = 0; r < RES_N; r++) {
			if (!growth_stated(d, s, r))
				continue;
			f = d->grow[s * GROWTH_N + growth_res(r)];
			for (row = demand_row(d, s, r), k = 0; k < d->nslots;
			    k++)
				row[k] *= f;
		}
		if (growth_stated(d, s, RES_CPU))
			d->vcpus[s] = fmax(1, ceil(d->vcpus[s] *
			    d->grow[s * GROWTH_N + GROWTH_CPU] - 1e-9));
		if (growth_stated(d, s, RES_MEM))
			d->mem_mib[s] *= d->grow[s * GROWTH_N + GROWTH_MEM];
	}
}
