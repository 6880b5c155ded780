/*
 * build.c - planner_run(): candidates, items, limits, the host model,
 * packing, downsizing, N+1, bounds.
 *
 * Items.  Each virtualized server is an item; servers of one affinity
 * group (or of overlapping groups) are merged into one item, their
 * demand summed slot by slot.  Anti-affinity groups become group ids on
 * the items; pins ([pin NAME]) open named hosts first.  A server that is
 * in an affinity and an anti-affinity group with the same other server,
 * two pins for one item, or an item too big for every model are reported
 * as unmet constraints, not errors.
 *
 * Dimensions.  One block of slots per planned resource (CPU and memory
 * always; disk and network when a model in the catalog has a capacity for
 * them and a server measured them), each with the violation budget
 * violation_pct of its slots and the capacity as hard cap; then one-slot
 * blocks for the vCPUs (threads x vcpu_per_pcpu), the committed memory
 * (installed x [overcommit] mem), with max_guests the guest count, and
 * when storage is planned (storage.c) the disk GiB (the catalog's
 * storage_gib less [headroom] storage).
 *
 * The model.  Every catalog model (or -m's) is tried with one quick
 * heuristic; the one whose plan costs least a year (model/cost.h at each
 * host's predicted power) is packed with the portfolio and the search.
 * Other models follow it in the type list, so `available' limits spill
 * over to them.  Then each host moves to the cheapest model that still
 * holds its guests (a mix), pinned hosts with a model aside.
 *
 * N+k and domains (ha.c).  The hosts are dealt to the failure domains,
 * and spares are added until the plan survives the loss of any k hosts,
 * and of any one domain when the policy asks.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "planner/build.h"

#define EXACT_LP_MAX	300	/* guests for the LP bound */
#define EXACT_MIP_MAX	60	/* guests for the exact solve */

/* ------------------------------------------------------------ result */

static void
add_line(char ***lines, size_t *n, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	*lines = xreallocarray(*lines, *n + 1, sizeof(char *));
	(*lines)[(*n)++] = xstrdup(buf);
}

void
planner_warn(struct planner_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(&res->warnings, &res->nwarnings, fmt, ap);
	va_end(ap);
}

void
planner_infeasible(struct planner_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(&res->infeasible, &res->ninfeasible, fmt, ap);
	va_end(ap);
}

void
planner_result_release(struct planner_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	plan_free(res->plan);
	for (i = 0; i < res->ninfeasible; i++)
		free(res->infeasible[i]);
	for (i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	free(res->infeasible);
	free(res->warnings);
	memset(res, 0, sizeof(*res));
}

static void
note_line(void *ctx, const char *line)
{
	planner_warn(ctx, "%s", line);
}

/* ------------------------------------------------------------ groups */

/* a group naming a server with no profile: the policy may cover more
 * servers than this plan, so it is a warning */
static int
check_groups(const struct planner_input *in, struct planner_result *res)
{
	const struct policy *pol = in->pol;
	const struct server_group *g;
	size_t i, j;

	for (i = 0; i < pol->ngroups; i++) {
		g = &pol->groups[i];
		for (j = 0; j < g->servers.nitems; j++)
			if (profile_set_find(in->ps, g->servers.items[j]) == NULL)
				planner_warn(res, "group '%s' (capplan.conf "
				    "line %zu) names server '%s', which has no "
				    "profile: left out", g->name, g->line,
				    g->servers.items[j]);
		if (g->kind == GROUP_PIN && g->model != NULL &&
		    hostcat_find(in->hc, g->model) == NULL)
			return error_set(ERROR_DATA, "pin '%s' (capplan.conf "
			    "line %zu) names model '%s', which is not in the "
			    "host catalog", g->name, g->line, g->model);
	}
	return 0;
}

/* the server named name, or PACK_NONE (warned about already) */
static size_t
server_index(const struct build *b, const char *name)
{
	const struct profile *p = profile_set_find(b->in->ps, name);

	return p != NULL ? (size_t)(p - b->in->ps->profiles) : PACK_NONE;
}

static size_t
uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* union the virtualized members of every affinity group */
static void
merge_affinity(struct build *b, size_t *parent, const char **gname)
{
	const struct policy *pol = b->in->pol;
	size_t i, j, s, first, ra, rb;

	for (s = 0; s < b->d.nservers; s++)
		parent[s] = s;
	for (i = 0; i < pol->ngroups; i++) {
		if (pol->groups[i].kind != GROUP_AFFINITY)
			continue;
		first = PACK_NONE;
		for (j = 0; j < pol->groups[i].servers.nitems; j++) {
			s = server_index(b, pol->groups[i].servers.items[j]);
			if (s == PACK_NONE)
				continue;
			if (b->cand.decision[s] != DECISION_VIRTUALIZE) {
				planner_warn(b->res, "server '%s' of affinity "
				    "group '%s' is not virtualized: %s",
				    pol->groups[i].servers.items[j],
				    pol->groups[i].name, b->cand.reason[s]);
				continue;
			}
			if (gname[s] == NULL)
				gname[s] = pol->groups[i].name;
			if (first == PACK_NONE) {
				first = s;
				continue;
			}
			ra = uf_find(parent, first);
			rb = uf_find(parent, s);
			if (ra != rb)
				parent[rb] = ra;
		}
	}
}

static void
make_items(struct build *b)
{
	size_t n = b->d.nservers, s, i, r, *parent, *root_item, *count;
	const char **gname = xcalloc(n + 1, sizeof(char *));

	parent = xcalloc(n + 1, sizeof(size_t));
	root_item = xcalloc(n + 1, sizeof(size_t));
	count = xcalloc(n + 1, sizeof(size_t));
	merge_affinity(b, parent, gname);
	b->item_of = xcalloc(n + 1, sizeof(size_t));
	for (s = 0; s < n; s++)
		root_item[s] = PACK_NONE;
	for (s = 0; s < n; s++) {
		b->item_of[s] = PACK_NONE;
		if (b->cand.decision[s] != DECISION_VIRTUALIZE)
			continue;
		r = uf_find(parent, s);
		if (root_item[r] == PACK_NONE)
			root_item[r] = b->nitems++;
		b->item_of[s] = root_item[r];
		count[b->item_of[s]]++;
	}
	b->mem_off = xcalloc(b->nitems + 2, sizeof(size_t));
	b->members = xcalloc(n + 1, sizeof(size_t));
	b->item_group = xcalloc(b->nitems + 1, sizeof(char *));
	for (i = 0; i < b->nitems; i++)
		b->mem_off[i + 1] = b->mem_off[i] + count[i];
	memset(count, 0, (n + 1) * sizeof(size_t));
	for (s = 0; s < n; s++) {
		if ((i = b->item_of[s]) == PACK_NONE)
			continue;
		b->members[b->mem_off[i] + count[i]++] = s;
		if (gname[s] != NULL && b->item_group[i] == NULL)
			b->item_group[i] = gname[s];
	}
	free(parent);
	free(root_item);
	free(count);
	free(gname);
}

struct gid {
	size_t item;
	uint32_t g;
	size_t server;
};

static int
gid_cmp(const void *a, const void *b)
{
	const struct gid *x = a, *y = b;

	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	return x->server < y->server ? -1 : x->server > y->server;
}

/* anti-affinity ids per item; two members of one item in one group is
 * an unmet constraint */
static void
make_anti(struct build *b)
{
	const struct policy *pol = b->in->pol;
	struct gid *v = NULL;
	size_t n = 0, cap = 0, i, j, s, k;

	for (i = 0; i < pol->ngroups; i++) {
		if (pol->groups[i].kind != GROUP_ANTI_AFFINITY)
			continue;
		for (j = 0; j < pol->groups[i].servers.nitems; j++) {
			s = server_index(b, pol->groups[i].servers.items[j]);
			if (s == PACK_NONE || b->item_of[s] == PACK_NONE)
				continue;
			ALLOC_GROW(v, n + 1, cap);
			v[n++] = (struct gid){ b->item_of[s], (uint32_t)i, s };
		}
	}
	array_sort(v, n, sizeof(*v), gid_cmp);
	b->group_off = xcalloc(b->nitems + 2, sizeof(size_t));
	b->groups = xcalloc(n + 1, sizeof(uint32_t));
	for (k = 0, j = 0; k < n; k++) {
		if (k > 0 && v[k].item == v[k - 1].item && v[k].g == v[k - 1].g) {
			planner_infeasible(b->res, "anti-affinity group '%s' "
			    "wants '%s' and '%s' apart, but affinity group '%s' "
			    "keeps them together", pol->groups[v[k].g].name,
			    b->in->ps->profiles[v[k - 1].server].host,
			    b->in->ps->profiles[v[k].server].host,
			    b->item_group[v[k].item]);
			continue;
		}
		b->groups[j++] = v[k].g;
		b->group_off[v[k].item + 1]++;
	}
	for (i = 0; i < b->nitems; i++)
		b->group_off[i + 1] += b->group_off[i];
	free(v);
}

static void
make_pins(struct build *b)
{
	const struct policy *pol = b->in->pol;
	size_t i, j, s, it, n;

	b->pin = xcalloc(b->nitems + 1, sizeof(size_t));
	for (it = 0; it < b->nitems; it++)
		b->pin[it] = PACK_NONE;
	b->pins = xcalloc(pol->ngroups + 1, sizeof(*b->pins));
	for (i = 0; i < pol->ngroups; i++) {
		if (pol->groups[i].kind != GROUP_PIN)
			continue;
		for (n = 0, j = 0; j < pol->groups[i].servers.nitems; j++) {
			s = server_index(b, pol->groups[i].servers.items[j]);
			n += s != PACK_NONE && b->item_of[s] != PACK_NONE;
		}
		if (n == 0) {
			planner_warn(b->res, "pin '%s' has no virtualized "
			    "server: no host opened for it",
			    pol->groups[i].name);
			continue;
		}
		for (j = 0; j < pol->groups[i].servers.nitems; j++) {
			s = server_index(b, pol->groups[i].servers.items[j]);
			if (s == PACK_NONE)
				continue;
			if ((it = b->item_of[s]) == PACK_NONE) {
				planner_warn(b->res, "pinned server '%s' is not "
				    "virtualized: %s", pol->groups[i].servers.
				    items[j], b->cand.reason[s]);
				continue;
			}
			if (b->pin[it] != PACK_NONE && b->pin[it] != b->npins)
				planner_infeasible(b->res, "server '%s' is "
				    "pinned to '%s' and, through its group, to "
				    "'%s'", pol->groups[i].servers.items[j],
				    pol->groups[i].name,
				    b->pins[b->pin[it]]->name);
			else
				b->pin[it] = b->npins;
		}
		b->pins[b->npins++] = &pol->groups[i];
	}
}

/* ------------------------------------------------------------ layout */

static double
model_capacity(const struct host_model *m, int r)
{
	switch (r) {
	case RES_CPU: return m->cpu_rating;
	case RES_MEM: return m->mem_mib;
	case RES_DISK_IOPS: return m->disk_iops;
	case RES_DISK_KIBPS: return m->disk_kibps;
	default: return m->net_kibps;
	}
}

static double
headroom(const struct policy *pol, int r)
{
	switch (r) {
	case RES_CPU: return pol->headroom_cpu;
	case RES_MEM: return pol->headroom_mem;
	case RES_DISK_IOPS:
	case RES_DISK_KIBPS: return pol->headroom_disk;
	default: return pol->headroom_net;
	}
}

static void
layout(struct build *b)
{
	const struct policy *pol = b->in->pol;
	size_t m, s, allowed;
	bool cap, meas;
	int r;

	allowed = (size_t)floor(pol->violation_pct / 100 *
	    (double)b->d.nslots + 1e-9);
	for (r = 0; r < RES_N; r++) {
		cap = r <= RES_MEM;
		meas = r <= RES_MEM;
		for (m = 0; m < b->in->hc->nmodels; m++)
			cap = cap || isfinite(model_capacity(
			    &b->in->hc->models[m], r));
		for (s = 0; s < b->d.nservers; s++)
			meas = meas || (b->item_of[s] != PACK_NONE &&
			    b->d.measured[s * RES_N + r]);
		b->planned[r] = cap && meas;
		if (!b->planned[r])
			continue;
		b->res_off[r] = b->ndims;
		b->blocks[b->nblocks++] = (struct pack_block){ b->ndims,
		    b->d.nslots, allowed, r };
		b->ndims += b->d.nslots;
	}
	b->static_off = b->ndims;
	b->dim_guests = b->dim_storage = PACK_NONE;
	for (s = 0; s < NSTATIC; s++) {
		if ((s == 2 && pol->max_guests <= 0) || (s == 3 &&
		    !b->d.storage))
			continue;
		if (s == 2)
			b->dim_guests = b->ndims;
		if (s == 3)
			b->dim_storage = b->ndims;
		b->blocks[b->nblocks++] = (struct pack_block){ b->ndims, 1, 0,
		    -1 };
		b->ndims++;
	}
}

/* the static dimensions of item it's row: vCPUs, memory, guests, disk */
static void
fill_static(struct build *b, size_t it, double *row)
{
	size_t j, s;

	for (j = b->mem_off[it]; j < b->mem_off[it + 1]; j++) {
		s = b->members[j];
		row[b->static_off] += b->d.vcpus[s];
		row[b->static_off + 1] += b->d.mem_mib[s];
		if (b->dim_guests != PACK_NONE)
			row[b->dim_guests] += 1;
		if (b->dim_storage != PACK_NONE)
			row[b->dim_storage] += b->d.storage_gib[s];
	}
}

/*
 * Item it is server it, alone, and every resource is planned in d.v's
 * order: each row of the demand is then d.v's row and the static
 * dimensions.  d.v grows into the demand in place (rows moved from the
 * last, whose new place starts at or after its old end), so the planner
 * never holds the two at once: 672 MB less at the peak for 100,000
 * servers of 168 slots.
 */
static bool
fill_demand_in_place(struct build *b)
{
	size_t w = RES_N * b->d.nslots, it;
	double *v, *row;
	int r;

	if (b->nitems != b->d.nservers || b->static_off != w)
		return false;
	for (r = 0; r < RES_N; r++)
		if (!b->planned[r] || b->res_off[r] != (size_t)r * b->d.nslots)
			return false;
	for (it = 0; it < b->nitems; it++)
		if (b->mem_off[it + 1] - b->mem_off[it] != 1 ||
		    b->members[b->mem_off[it]] != it)
			return false;
	v = xreallocarray(b->d.v, b->nitems * b->ndims + 1, sizeof(double));
	for (it = b->nitems; it-- > 0;) {
		row = v + it * b->ndims;
		memmove(row, v + it * w, w * sizeof(double));
		memset(row + w, 0, (b->ndims - w) * sizeof(double));
		fill_static(b, it, row);
	}
	b->demand = v;
	b->d.v = NULL;
	b->demand_is_profiles = true;
	return true;
}

static void
fill_demand(struct build *b)
{
	double *row;
	size_t it, k, s, j;
	int r;

	if (fill_demand_in_place(b))
		return;
	b->demand = xcalloc(b->nitems * b->ndims + 1, sizeof(double));
	for (it = 0; it < b->nitems; it++) {
		row = b->demand + it * b->ndims;
		for (j = b->mem_off[it]; j < b->mem_off[it + 1]; j++) {
			s = b->members[j];
			for (r = 0; r < RES_N; r++)
				if (b->planned[r])
					for (k = 0; k < b->d.nslots; k++)
						row[b->res_off[r] + k] +=
						    demand_row(&b->d, s, r)[k];
		}
		fill_static(b, it, row);
	}
	/* with one server per item, demand holds each server's rows
	 * (0 + x is x): d.v, the same again, goes */
	for (it = 0; it < b->nitems && b->mem_off[it + 1] - b->mem_off[it] ==
	    1; it++)
		;
	if (it == b->nitems) {
		free(b->d.v);
		b->d.v = NULL;
		b->demand_is_profiles = true;
	}
}

/* a guest's disk stays where it is when its host fails (shared or
 * replicated storage): the failover limit is the usable storage, the
 * headroom kept, as for the other static limits */
static void
storage_limits(const struct host_model *hm, const struct policy *pol,
    double *cap, double *hard, double *fail)
{
	double c = isfinite(hm->storage_gib) ? hm->storage_gib : INFINITY;

	*cap = *hard = *fail = c * (1 - pol->headroom_storage);
}

static void
fill_limits(struct build *b)
{
	const struct policy *pol = b->in->pol;
	const struct host_model *hm;
	size_t nm = b->in->hc->nmodels, m, k;
	double c, *cap, *hard, *fail;
	int r;

	b->cap = xcalloc(nm * b->ndims + 1, sizeof(double));
	b->hard = xcalloc(nm * b->ndims + 1, sizeof(double));
	b->fail = xcalloc(nm * b->ndims + 1, sizeof(double));
	b->model_cost = xcalloc(nm + 1, sizeof(double));
	for (m = 0; m < nm; m++) {
		hm = &b->in->hc->models[m];
		cap = b->cap + m * b->ndims;
		hard = b->hard + m * b->ndims;
		fail = b->fail + m * b->ndims;
		for (r = 0; r < RES_N; r++) {
			if (!b->planned[r])
				continue;
			c = model_capacity(hm, r);
			if (!isfinite(c))
				c = INFINITY;
			for (k = 0; k < b->d.nslots; k++) {
				cap[b->res_off[r] + k] = c * (1 - headroom(pol, r));
				hard[b->res_off[r] + k] = c;
				fail[b->res_off[r] + k] = c *
				    (1 - pol->failover_headroom);
			}
		}
		k = b->static_off;
		cap[k] = hard[k] = fail[k] = hm->threads * pol->vcpu_per_pcpu;
		cap[k + 1] = hard[k + 1] = fail[k + 1] = hm->mem_mib *
		    pol->mem_overcommit;
		if ((k = b->dim_guests) != PACK_NONE)
			cap[k] = hard[k] = fail[k] = (double)pol->max_guests;
		if ((k = b->dim_storage) != PACK_NONE)
			storage_limits(hm, pol, cap + k, hard + k, fail + k);
		b->model_cost[m] = host_cost_total_per_year(&b->cp, hm, 0.5);
	}
}

/* A cost that is not a number would be printed as "inf EUR a year". */
static int
check_costs(const struct build *b)
{
	size_t m;

	for (m = 0; m < b->in->hc->nmodels; m++)
		if (!isfinite(b->model_cost[m]))
			return error_set(ERROR_MODEL, "the yearly cost of host "
			    "model '%s' is not a finite number; check its "
			    "price and the [cost] keys of the policy",
			    b->in->hc->models[m].model);
	return 0;
}

/* ------------------------------------------------------------ types */

static bool
model_allowed(const struct build *b, size_t m)
{
	const struct host_model *hm = &b->in->hc->models[m];

	if (b->in->model != NULL && strcmp(b->in->model, hm->model) != 0)
		return false;
	return !(hm->available == 0);
}

/* the pack types: first, then the other allowed models cheapest first;
 * lim is b->cap or b->fail */
void
make_types(struct build *b, size_t first, const double *lim)
{
	size_t nm = b->in->hc->nmodels, m, k, best;
	bool *used = xcalloc(nm + 1, sizeof(bool));
	const struct host_model *hm;

	free(b->types);
	free(b->type_model);
	b->types = xcalloc(nm + b->nexist + 1, sizeof(*b->types));
	b->type_model = xcalloc(nm + b->nexist + 1, sizeof(size_t));
	b->ntypes = 0;
	for (k = 0; k < nm; k++) {
		best = PACK_NONE;
		if (k == 0 && model_allowed(b, first))
			best = first;
		for (m = 0; best == PACK_NONE && m < nm; m++)
			if (!used[m] && model_allowed(b, m))
				best = m;
		for (m = 0; best != first && m < nm; m++)
			if (!used[m] && model_allowed(b, m) &&
			    b->model_cost[m] < b->model_cost[best])
				best = m;
		if (best == PACK_NONE)
			break;
		used[best] = true;
		hm = &b->in->hc->models[best];
		b->type_model[b->ntypes] = best;
		b->types[b->ntypes++] = (struct pack_bintype){ .cap = lim +
		    best * b->ndims, .hard = b->hard + best * b->ndims,
		    .cost = b->model_cost[best], .available =
		    isnan(hm->available) ? PACK_NONE : (size_t)hm->available };
	}
	free(used);
	brownfield_types(b, lim);
}

size_t
type_of_model(const struct build *b, size_t m)
{
	size_t t;

	for (t = 0; t < b->ntypes; t++)
		if (b->type_model[t] == m)
			return t;
	return PACK_NONE;
}

/* the zone of pinned host p's servers (0 without zones) */
static uint32_t
pin_zone(const struct build *b, size_t p)
{
	size_t it;

	for (it = 0; b->zone != NULL && it < b->nitems; it++)
		if (b->pin[it] == p)
			return b->zone[it];
	return 0;
}

/* the problem over the current types; pinned hosts of the first type
 * unless their section or their zone names a model */
int
make_problem(struct build *b)
{
	size_t p, m, zt;

	if (zones_types(b) == -1)
		return -1;
	free(b->pinned_type);
	b->pinned_type = xcalloc(b->npins + b->nexist + 1, sizeof(size_t));
	for (p = 0; p < b->nexist; p++)
		b->pinned_type[b->npins + p] = b->exist_type[p];
	for (p = 0; p < b->npins; p++) {
		zt = b->zone_type != NULL ? b->zone_type[pin_zone(b, p)] :
		    PACK_NONE;
		m = b->pins[p]->model != NULL ? (size_t)(hostcat_find(b->in->hc,
		    b->pins[p]->model) - b->in->hc->models) : zt != PACK_NONE ?
		    b->type_model[zt] : b->type_model[0];
		b->pinned_type[p] = type_of_model(b, m);
		if (b->pinned_type[p] == PACK_NONE)
			return error_set(ERROR_DATA, "pin '%s' needs model '%s', "
			    "which -m or its available count of 0 rules out",
			    b->pins[p]->name, b->in->hc->models[m].model);
		if (zt != PACK_NONE && zt != b->pinned_type[p])
			return error_set(ERROR_DATA, "pin '%s' names model '%s', "
			    "but its servers' zone '%s' has model '%s'",
			    b->pins[p]->name, b->in->hc->models[m].model,
			    b->zone_name[pin_zone(b, p)], b->in->hc->models[
			    b->type_model[zt]].model);
	}
	b->pb = (struct pack_problem){ .nitems = b->nitems, .ndims = b->ndims,
	    .demand = b->demand, .blocks = b->blocks, .nblocks = b->nblocks,
	    .types = b->types, .ntypes = b->ntypes, .group_off = b->group_off,
	    .groups = b->groups, .pin = b->pin, .pinned_type = b->pinned_type,
	    .npinned = b->npins + b->nexist, .pinned_zone = b->pinned_zone,
	    .pinned_domain = b->pinned_domain, .zone = b->zone,
	    .nzones = b->nzones,
	    .zone_type = b->zone_type, .zone_max = b->zone_max,
	    .ndomains = b->ndomains, .dgroup_off = b->dgroup_off,
	    .dgroups = b->dgroups };
	return 0;
}

/* ------------------------------------------------------------ cost */

/* every bin's CPU demand per slot: nbins x nslots, one pass */
static double *
bin_cpu(const struct build *b, const struct pack_solution *s)
{
	double *cpu = xcalloc(s->nbins * b->d.nslots + 1, sizeof(double));
	const double *row;
	size_t it, k;

	for (it = 0; it < b->nitems; it++) {
		row = b->demand + it * b->ndims + b->res_off[RES_CPU];
		for (k = 0; k < b->d.nslots; k++)
			cpu[s->bin_of[it] * b->d.nslots + k] += row[k];
	}
	return cpu;
}

void
host_year_cost(const struct build *b, const struct host_model *hm,
    double mean_w, bool sunk, struct cost_breakdown *cb)
{
	struct host_model free_hm;

	if (sunk) {	/* it exists: no purchase, its running costs stay */
		free_hm = *hm;
		free_hm.price = 0;
		hm = &free_hm;
	}
	host_cost_at_power(&b->cp, hm, mean_w, cb);
}

/* the yearly cost of a host of model m with CPU demand cpu per slot; an
 * existing one's purchase is sunk */
static double
bin_cost(const struct build *b, const double *cpu, size_t m, bool sunk)
{
	const struct host_model *hm = &b->in->hc->models[m];
	struct cost_breakdown cb;
	double w = 0, u;
	size_t k;

	for (k = 0; k < b->d.nslots; k++) {
		u = hm->cpu_rating > 0 ? cpu[k] / hm->cpu_rating : 0;
		w += power_curve_w(hm->power_w, u);
	}
	host_year_cost(b, hm, w / (double)b->d.nslots, sunk, &cb);
	return cost_breakdown_total(&cb);
}

static double
plan_cost(const struct build *b, const struct pack_solution *s)
{
	double c = 0, *cpu = bin_cpu(b, s);
	size_t bn;

	for (bn = 0; bn < s->nbins; bn++)
		c += bin_cost(b, cpu + bn * b->d.nslots,
		    b->type_model[s->bin_type[bn]],
		    b->types[s->bin_type[bn]].existing);
	free(cpu);
	return c;
}

/* ------------------------------------------------------------ packing */

static void
options(const struct build *b, struct pack_options *o, bool quick)
{
	pack_options_init(o);
	o->threads = b->in->threads;
	o->time_limit_s = b->in->time_limit_s;
	o->effort = b->in->effort;
	if (quick) {
		o->only = "ffd-l2-avg";
		o->search = false;
		return;
	}
	o->only = b->in->packer;
	o->search = b->in->search;
	o->progress = b->in->progress;
}

/* try every allowed model with one quick heuristic; the cheapest wins */
static int
choose_model(struct build *b)
{
	struct pack_solution s;
	struct pack_options o;
	size_t m, best = PACK_NONE, best_bins = 0;
	double c, best_cost = INFINITY;

	options(b, &o, true);
	for (m = 0; m < b->in->hc->nmodels; m++) {
		if (!model_allowed(b, m))
			continue;
		make_types(b, m, b->cap);
		if (make_problem(b) == -1)
			return -1;
		if (pack_run(&b->pb, &o, &s, NULL) == -1) {
			pack_solution_release(&s);
			continue;	/* this model cannot do it alone */
		}
		c = plan_cost(b, &s);
		if (c < best_cost * (1 - 1e-12) || (c <= best_cost *
		    (1 + 1e-12) && s.nbins < best_bins)) {
			best = m;
			best_cost = c;
			best_bins = s.nbins;
		}
		pack_solution_release(&s);
	}
	for (m = 0; best == PACK_NONE && m < b->in->hc->nmodels; m++)
		if (model_allowed(b, m))
			best = m;	/* none does it: packing will say why */
	b->chosen = best;
	make_types(b, b->chosen, b->cap);
	return make_problem(b);
}

/* an item no model of its zone can take: an unmet constraint */
static void
check_item(struct build *b, size_t it)
{
	uint32_t z = pack_item_zone(&b->pb, it);
	size_t t;

	for (t = 0; t < b->ntypes; t++)
		if (pack_zone_allows(&b->pb, z, t) &&
		    pack_item_fits_type(&b->pb, it, t))
			return;
	if (b->zone_type != NULL && b->zone_type[z] != PACK_NONE)
		planner_infeasible(b->res, "%s '%s' of zone '%s' does not fit "
		    "a '%s', the model of its zone ([zone %s] model)",
		    b->item_group[it] != NULL ? "affinity group" : "server",
		    b->item_group[it] != NULL ? b->item_group[it] :
		    b->in->ps->profiles[b->members[b->mem_off[it]]].host,
		    b->zone_name[z], b->in->hc->models[b->type_model[
		    b->zone_type[z]]].model, b->zone_name[z]);
	else
		planner_infeasible(b->res, "affinity group '%s' (%zu "
		    "servers) does not fit any host model together",
		    b->item_group[it] != NULL ? b->item_group[it] : "?",
		    b->mem_off[it + 1] - b->mem_off[it]);
}

/* an anti-affinity group items x and y share, or PACK_NONE */
static size_t
shared_group(const struct build *b, size_t x, size_t y)
{
	size_t g, h;

	for (g = b->group_off[x]; g < b->group_off[x + 1]; g++)
		for (h = b->group_off[y]; h < b->group_off[y + 1]; h++)
			if (b->groups[g] == b->groups[h])
				return b->groups[g];
	return PACK_NONE;
}

/* two items pinned to host p that share an anti-affinity group */
static void
pinned_apart(struct build *b, size_t p, const size_t *set, size_t n)
{
	const struct profile *pr = b->in->ps->profiles;
	size_t x, y, g;

	for (x = 0; x < n; x++)
		for (y = x + 1; y < n; y++) {
			if ((g = shared_group(b, set[x], set[y])) == PACK_NONE)
				continue;
			planner_infeasible(b->res, "anti-affinity group '%s' "
			    "wants '%s' and '%s' apart, but %s '%s' keeps both",
			    b->in->pol->groups[g].name,
			    pr[b->members[b->mem_off[set[x]]]].host,
			    pr[b->members[b->mem_off[set[y]]]].host,
			    p < b->npins ? "pin" : "existing host",
			    fixed_name(b, p));
		}
}

/* items no model can take, and pins that do not fit: unmet constraints */
static void
check_items(struct build *b)
{
	size_t it, p, n, *set = xcalloc(b->nitems + 1, sizeof(size_t));

	for (it = 0; it < b->nitems; it++)
		check_item(b, it);
	for (p = 0; p < b->npins + b->nexist; p++) {
		for (n = 0, it = 0; it < b->nitems; it++)
			if (b->pin[it] == p)
				set[n++] = it;
		pinned_apart(b, p, set, n);
		if (!pack_fits_set(&b->pb, b->pinned_type[p], set, n))
			planner_infeasible(b->res, "%s '%s': its %zu guests do "
			    "not fit one '%s' together%s", p < b->npins ? "pin" :
			    "existing host", fixed_name(b, p), n,
			    b->in->hc->models[b->type_model[b->pinned_type[p]]].
			    model, p < b->npins ? "" : " ([existing] move = no "
			    "keeps them there)");
	}
	free(set);
}

static size_t
count_kept(const struct build *b)
{
	size_t s, n = 0;

	for (s = 0; s < b->d.nservers; s++)
		n += b->item_of[s] == PACK_NONE;
	return n;
}

/* the packing ran out of hosts: say how many each model allows */
static void
too_few_hosts(struct build *b)
{
	char buf[512];
	size_t t, len = 0;
	const struct host_model *hm;

	buf[0] = '\0';
	for (t = 0; t < b->ntypes && len < sizeof(buf) - 64; t++) {
		if (b->types[t].existing)
			continue;
		hm = &b->in->hc->models[b->type_model[t]];
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s: %s",
		    t > 0 ? ", " : "", hm->model, isnan(hm->available) ?
		    "unlimited" : "");
		if (!isnan(hm->available))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "%.0f", hm->available);
	}
	planner_infeasible(b->res, "not enough hosts: the catalog's "
	    "'available' counts (%s) cannot hold the %zu guests", buf,
	    b->d.nservers - count_kept(b));
}

/* the packing ran out of hosts: is a zone's max_hosts the cause? */
static bool
zone_too_small(struct build *b)
{
	size_t n, it, lower;
	bool found = false;
	uint32_t z;

	for (z = 1; b->zone_max != NULL && z < b->nzones; z++) {
		if (b->zone_max[z] == PACK_NONE)
			continue;
		for (n = 0, it = 0; it < b->nitems; it++)
			n += b->zone[it] == z;
		lower = pack_bounds_zone(&b->pb, z);
		if (lower > b->zone_max[z])
			planner_infeasible(b->res, "zone '%s': its %zu guests "
			    "need at least %zu hosts of any model, more than "
			    "its max_hosts %zu ([zone %s])", b->zone_name[z], n,
			    lower, b->zone_max[z], b->zone_name[z]);
		found = found || lower > b->zone_max[z];
	}
	return found;
}

static int
pack_main(struct build *b)
{
	struct pack_options o;
	unsigned z;

	options(b, &o, false);
	o.lower = b->bounds.lower;
	if (pack_run(&b->pb, &o, &b->sol, &b->end) == -1) {
		if (error_last_kind() != ERROR_DATA)
			return -1;
		if (zone_too_small(b))
			return 1;
		if (sscanf(error_last_msg(), "no host left for item %*u: its "
		    "zone %u", &z) == 1 && z < b->nzones)
			planner_infeasible(b->res, "zone '%s': no plan found "
			    "for its guests on its max_hosts %zu host%s ([zone "
			    "%s])", b->zone_name[z], b->zone_max[z],
			    b->zone_max[z] == 1 ? "" : "s", b->zone_name[z]);
		else
			too_few_hosts(b);
		return 1;
	}
	if (!b->in->search)
		b->end = SEARCH_OFF;
	return pack_verify(&b->pb, &b->sol);
}

/* ------------------------------------------------------------ exact */

static void
exact(struct build *b)
{
	struct pack_problem hp = b->pb;
	struct pack_solution s;
	double lp = NAN;
	bool optimal = false;
	size_t p;
	int rc;

	b->exact = "skipped";
	if (b->sol.nbins <= b->bounds.lower) {
		b->optimum = (double)b->sol.nbins;	/* at the bound */
		b->exact = "optimal";
		return;
	}
	/* GLPK solves for the chosen model alone, as the bounds are, and
	 * knows nothing of zones */
	if (b->nzones > 1 || b->dgroup_off != NULL || b->nexist > 0)
		return;
	for (p = 0; p < b->npins; p++)
		if (b->pinned_type[p] != 0)
			return;
	/* types[0].available needs no row: the LP is a relaxation anyway
	 * and the MIP looks for fewer hosts than the plan has */
	if (b->nitems > EXACT_LP_MAX)
		return;
	hp.ntypes = 1;
	for (p = 0; p < b->sol.nbins; p++)
		if (b->sol.bin_type[p] != 0)
			return;
	rc = pack_exact_lp(&hp, &b->sol, b->in->time_limit_s, &lp);
	if (rc == -1) {
		planner_warn(b->res, "--exact: %s", error_last_msg());
		return;
	}
	b->lp = lp;
	b->exact = rc == 1 ? "time" : "bound";
	if (isfinite(lp) && (size_t)lp >= b->sol.nbins) {
		b->optimum = (double)b->sol.nbins;
		b->exact = "optimal";
		return;
	}
	if (b->nitems > EXACT_MIP_MAX || b->npins > 0)
		return;
	pack_solution_init(&s);
	pack_solution_copy(&s, &b->sol);
	rc = pack_exact_solve(&hp, &s, isfinite(lp) ? (size_t)lp :
	    b->bounds.lower, b->in->time_limit_s, &optimal);
	if (rc == 0 || rc == 1) {
		if (pack_verify(&b->pb, &s) == 0 &&
		    pack_solution_better(&s, &b->sol))
			pack_solution_copy(&b->sol, &s);
		if (optimal) {
			b->optimum = (double)b->sol.nbins;
			b->exact = "optimal";
		} else if (rc == 1) {
			b->exact = "time";
		}
	} else {
		planner_warn(b->res, "--exact: %s", error_last_msg());
	}
	pack_solution_release(&s);
}

/* ------------------------------------------------------------ mix, HA */

/* each host to the cheapest model that holds its guests */
static void
downsize(struct build *b)
{
	size_t nm = b->in->hc->nmodels, bn, t, n, it, m, *set, *used;
	double c, best_c, *cpu = bin_cpu(b, &b->sol);

	set = xcalloc(b->nitems + 1, sizeof(size_t));
	used = xcalloc(nm + 1, sizeof(size_t));
	b->bin_model = xcalloc(b->sol.nbins + 1, sizeof(size_t));
	for (bn = 0; bn < b->sol.nbins; bn++) {
		b->bin_model[bn] = b->type_model[b->sol.bin_type[bn]];
		used[b->bin_model[bn]] += !bin_is_existing(b, bn);
	}
	for (bn = 0; bn < b->sol.nbins; bn++) {
		if ((bn < b->npins && b->pins[bn]->model != NULL) ||
		    bin_is_existing(b, bn))
			continue;
		if (b->zone_type != NULL && b->zone_type[zones_of_bin(b, bn)] !=
		    PACK_NONE)
			continue;	/* the zone's model, whatever it costs */
		for (n = 0, it = 0; it < b->nitems; it++)
			if (b->sol.bin_of[it] == bn)
				set[n++] = it;
		m = b->bin_model[bn];
		best_c = bin_cost(b, cpu + bn * b->d.nslots, m, false);
		for (t = 0; t < b->ntypes; t++) {
			const struct host_model *hm =
			    &b->in->hc->models[b->type_model[t]];

			if (b->type_model[t] == m || (!isnan(hm->available) &&
			    (double)used[b->type_model[t]] >= hm->available) ||
			    !pack_fits_set(&b->pb, t, set, n))
				continue;
			c = bin_cost(b, cpu + bn * b->d.nslots,
			    b->type_model[t], false);
			if (c < best_c * (1 - 1e-9)) {
				used[m]--;
				m = b->type_model[t];
				used[m]++;
				best_c = c;
			}
		}
		b->bin_model[bn] = m;
		b->sol.bin_type[bn] = type_of_model(b, m);
	}
	free(set);
	free(used);
	free(cpu);
}

/* the highest host peak (share of a limit over the resources' slots)
 * and the highest less the lowest */
static void
host_peaks(const struct build *b, double *highest, double *spread)
{
	double *load = xcalloc(b->sol.nbins * b->ndims + 1, sizeof(double));
	double lo = INFINITY, hi = 0, m, x;
	const double *cap;
	size_t it, d, bn, k;

	for (it = 0; it < b->nitems; it++)
		for (d = 0; d < b->static_off; d++)
			load[b->sol.bin_of[it] * b->ndims + d] +=
			    b->demand[it * b->ndims + d];
	for (bn = 0; bn < b->sol.nbins; bn++) {
		cap = b->types[b->sol.bin_type[bn]].cap;
		for (m = 0, k = 0; k < b->nblocks; k++)
			for (d = b->blocks[k].off; b->blocks[k].resource >= 0 &&
			    d < b->blocks[k].off + b->blocks[k].len; d++)
				if (cap[d] > 0 && isfinite(cap[d]) && (x =
				    load[bn * b->ndims + d] / cap[d]) > m)
					m = x;
		hi = fmax(hi, m);
		lo = fmin(lo, m);
	}
	*highest = 100 * hi;
	*spread = b->sol.nbins > 0 ? 100 * (hi - lo) : 0;
	free(load);
}

/* spread the load over the hosts ([placement] balance), guests of the
 * existing hosts that may move sent home first and left there */
static void
balance(struct build *b)
{
	size_t *before, it;
	uint64_t effort = pack_effort(b->in->effort) / 10;

	brownfield_home(b);
	host_peaks(b, &b->peak_before, &b->spread_before);
	b->peak_after = b->peak_before;
	b->spread_after = b->spread_before;
	if (b->in->pol->balance == BALANCE_NONE || b->sol.nbins < 2)
		return;
	before = xmemdup(b->sol.bin_of, (b->nitems + 1) * sizeof(size_t));
	b->balance_moves = pack_balance(&b->pb, &b->sol, b->stay, effort);
	b->balanced = xcalloc(b->nitems + 1, sizeof(bool));
	for (it = 0; it < b->nitems; it++)
		b->balanced[it] = b->sol.bin_of[it] != before[it];
	free(before);
	host_peaks(b, &b->peak_after, &b->spread_after);
}

/* hosts with every guest sized at its largest slot */
static void
peak_hosts(struct build *b)
{
	struct pack_problem pp = b->pb;
	struct pack_block *blk = xcalloc(b->nblocks + 1, sizeof(*blk));
	size_t nd = b->nblocks, k, it, d, t;
	double *dem = xcalloc(b->nitems * nd + 1, sizeof(double));
	double *caps = xcalloc(b->ntypes * nd + 1, sizeof(double));
	struct pack_bintype *ty = xcalloc(b->ntypes + 1, sizeof(*ty));
	struct pack_solution s;
	struct pack_bounds bd;
	struct pack_options o;

	for (k = 0; k < nd; k++) {
		blk[k] = (struct pack_block){ k, 1, 0, b->blocks[k].resource };
		for (it = 0; it < b->nitems; it++)
			for (d = b->blocks[k].off; d < b->blocks[k].off +
			    b->blocks[k].len; d++)
				if (b->demand[it * b->ndims + d] > dem[it * nd + k])
					dem[it * nd + k] = b->demand[it * b->ndims + d];
		for (t = 0; t < b->ntypes; t++)
			caps[t * nd + k] = b->types[t].cap[b->blocks[k].off];
	}
	for (t = 0; t < b->ntypes; t++)
		ty[t] = (struct pack_bintype){ .cap = caps + t * nd,
		    .cost = b->types[t].cost, .available = b->types[t].available,
		    .existing = b->types[t].existing };
	pp = b->pb;
	pp.ndims = nd;
	pp.demand = dem;
	pp.blocks = blk;
	pp.nblocks = nd;
	pp.types = ty;
	options(b, &o, false);
	o.progress.fn = NULL;
	o.effort = pack_effort(b->in->effort) / 10;
	pack_bounds_compute(&pp, &bd);
	o.lower = bd.lower;
	if (pack_run(&pp, &o, &s, NULL) == 0)
		b->peak_hosts = s.nbins;
	pack_solution_release(&s);
	pack_bounds_release(&bd);
	free(blk);
	free(dem);
	free(caps);
	free(ty);
}

/* ------------------------------------------------------------ run */

static void
build_release(struct build *b)
{
	candidates_release(&b->cand, b->d.nservers);
	demand_release(&b->d);
	free(b->item_of);
	free(b->mem_off);
	free(b->members);
	free(b->item_group);
	free(b->pin);
	free(b->pins);
	free(b->group_off);
	free(b->groups);
	free(b->demand);
	free(b->cap);
	free(b->hard);
	free(b->fail);
	free(b->model_cost);
	free(b->type_model);
	free(b->types);
	free(b->pinned_type);
	free(b->bin_model);
	free(b->spare_model);
	free(b->spare_type);
	free(b->spare_zone);
	free(b->spare_domain);
	free(b->dgroup_off);
	free(b->dgroups);
	free(b->balanced);
	free(b->current);
	free(b->stay);
	free(b->exist_type);
	free(b->exist_domain);
	free(b->pinned_zone);
	free(b->pinned_domain);
	free(b->domain_name);
	zones_release(b);
	pack_solution_release(&b->sol);
	pack_bounds_release(&b->bounds);
}

static bool
any_model(const struct build *b)
{
	size_t m;

	for (m = 0; m < b->in->hc->nmodels; m++)
		if (model_allowed(b, m))
			return true;
	return false;
}

/* the existing hosts' fixed zones and domains, for the pinned bins */
static void
pinned_fixed(struct build *b)
{
	size_t n = b->npins + b->nexist, p;

	b->pinned_zone = xcalloc(n + 1, sizeof(uint32_t));
	b->pinned_domain = xcalloc(n + 1, sizeof(uint32_t));
	for (p = 0; p < n; p++) {
		b->pinned_zone[p] = PACK_ANY_ZONE;
		b->pinned_domain[p] = p >= b->npins && b->exist_domain != NULL ?
		    b->exist_domain[p - b->npins] : UINT32_MAX;
	}
	brownfield_zones(b, b->pinned_zone);
}

/* everything up to the packing: -1 error, 1 unmet constraints */
static int
prepare(struct build *b)
{
	if (check_groups(b->in, b->res) == -1 || demand_build(&b->d, b->in,
	    b->res) == -1)
		return -1;
	storage_size(&b->d, b->in, b->res);
	candidates_classify(&b->cand, &b->d, b->in);
	added_decide(&b->cand, b->in, b->res);
	if (demand_size_memory(&b->d, b->in, b->cand.decision, b->res) == -1 ||
	    storage_check(&b->d, b->in, b->cand.decision, b->res) == -1)
		return -1;
	profile_set_notes(b->in->ps, (double)b->in->pol->min_days,
	    PROFILE_NOTE_RATING | PROFILE_NOTE_DATA, note_line, b->res);
	make_items(b);
	make_anti(b);
	make_pins(b);
	if (brownfield_make(b) == -1 || zones_make(b) == -1 ||
	    domains_make(b) == -1)
		return -1;
	pinned_fixed(b);
	if (b->nitems == 0)
		return 0;
	if (!any_model(b)) {
		planner_infeasible(b->res, "no host model is available: every "
		    "model has available = 0%s", b->in->model != NULL ?
		    " or is not the one -m names" : "");
		return 1;
	}
	layout(b);
	fill_demand(b);
	fill_limits(b);
	if (check_costs(b) == -1 || choose_model(b) == -1)
		return -1;
	check_items(b);
	return b->res->ninfeasible > 0 ? 1 : 0;
}

int
planner_run(const struct planner_input *in, struct planner_result *res)
{
	struct build b;
	int rc;

	memset(res, 0, sizeof(*res));
	if (in->pol->nadds > 0 && in->added_like == NULL) {
		struct added a;

		rc = added_make(&a, in) == -1 ? -1 : planner_run(&a.in, res);
		added_release(&a);
		return rc;
	}
	if (in->pol->target_overload_pct > 0)
		return planner_run_target(in, res);
	memset(&b, 0, sizeof(b));
	b.in = in;
	b.res = res;
	b.lp = b.optimum = NAN;
	cost_params_from_policy(&b.cp, in->pol);
	rc = prepare(&b);
	if (rc == 0 && b.nitems > 0) {
		pack_bounds_compute(&b.pb, &b.bounds);
		rc = pack_main(&b);
		if (rc == 0 && in->exact)
			exact(&b);
		if (rc == 0) {
			downsize(&b);
			balance(&b);
			domains_balance(&b);
			ha_spares(&b);
			peak_hosts(&b);
			rc = pack_verify(&b.pb, &b.sol);
		}
	}
	if (rc == 0 && res->ninfeasible > 0)
		rc = 1;
	if (rc == 0) {
		res->plan = explain_plan(&b);
		plan_waves_make(res->plan, in->inv, in->pol, res);
	}
	if (rc == 1 && in->diagnose)
		planner_diagnose(in, res, b.d.nservers - count_kept(&b));
	build_release(&b);
	return rc;
}
