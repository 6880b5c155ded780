/*
 * pack.c - the packing state, its fit kernel, and the independent check.
 *
 * Loads are kept per bin and dimension; a fit test compares load + demand
 * with the limit (times 1 + PACK_EPS, for rounding) block by block, using
 * each block's smallest slack to decide most tests without a scan (see
 * pack_int.h).  pack_verify() shares none of this: it re-sums every bin
 * from the demand matrix, so a bug in the running loads cannot hide.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/pack_int.h"

/* ------------------------------------------------------------ solution */

void
pack_solution_init(struct pack_solution *s)
{
	memset(s, 0, sizeof(*s));
}

void
pack_solution_release(struct pack_solution *s)
{
	if (s == NULL)
		return;
	free(s->bin_of);
	free(s->bin_type);
	free(s->bin_domain);
	pack_solution_init(s);
}

void
pack_solution_copy(struct pack_solution *dst, const struct pack_solution *src)
{
	pack_solution_release(dst);
	*dst = *src;
	dst->bin_of = xmemdup(src->bin_of, (src->nitems + 1) *
	    sizeof(size_t));
	dst->bin_type = xmemdup(src->bin_type, (src->nbins + 1) *
	    sizeof(size_t));
	if (src->bin_domain != NULL)
		dst->bin_domain = xmemdup(src->bin_domain, (src->nbins + 1) *
		    sizeof(uint32_t));
}

bool
pack_solution_better(const struct pack_solution *a,
    const struct pack_solution *b)
{
	if (a->nbins != b->nbins)
		return a->nbins < b->nbins;
	return a->cost < b->cost - 1e-9 * fabs(b->cost);
}

/* ------------------------------------------------------------ problem */

int
pack_problem_check(const struct pack_problem *pb)
{
	size_t i, d, t, covered = 0;

	for (i = 0; i < pb->nblocks; i++) {
		if (pb->blocks[i].off != covered || pb->blocks[i].len == 0)
			return error_set(ERROR_DATA, "block %zu does not follow "
			    "the one before it", i);
		covered += pb->blocks[i].len;
	}
	if (covered != pb->ndims)
		return error_set(ERROR_DATA, "blocks cover %zu of %zu "
		    "dimensions", covered, pb->ndims);
	if (pb->ntypes == 0)
		return error_set(ERROR_DATA, "no host type to pack onto");
	for (i = 0; i < pb->nitems * pb->ndims; i++)
		if (!(pb->demand[i] >= 0) || !isfinite(pb->demand[i]))
			return error_set(ERROR_DATA, "item %zu has demand %g "
			    "in dimension %zu", i / pb->ndims, pb->demand[i],
			    i % pb->ndims);
	for (t = 0; t < pb->ntypes; t++)
		for (d = 0; d < pb->ndims; d++)
			if (!(pb->types[t].cap[d] >= 0))
				return error_set(ERROR_DATA, "host type %zu "
				    "has limit %g in dimension %zu", t,
				    pb->types[t].cap[d], d);
	for (i = 0; pb->pin != NULL && i < pb->nitems; i++)
		if (pb->pin[i] != PACK_NONE && pb->pin[i] >= pb->npinned)
			return error_set(ERROR_DATA, "item %zu is pinned to "
			    "bin %zu of %zu", i, pb->pin[i], pb->npinned);
	for (i = 0; i < pb->npinned; i++)
		if (pb->pinned_type[i] >= pb->ntypes)
			return error_set(ERROR_DATA, "pinned bin %zu has "
			    "type %zu", i, pb->pinned_type[i]);
	for (i = 0; pb->zone != NULL && i < pb->nitems; i++)
		if (pb->zone[i] >= pb->nzones)
			return error_set(ERROR_DATA, "item %zu is in zone %u of "
			    "%zu", i, pb->zone[i], pb->nzones);
	if (pb->dgroup_off != NULL && pb->ndomains == 0)
		return error_set(ERROR_DATA, "domain groups without domains");
	for (i = 0; pb->zone_type != NULL && i < pb->nzones; i++)
		if (pb->zone_type[i] != PACK_NONE &&
		    pb->zone_type[i] >= pb->ntypes)
			return error_set(ERROR_DATA, "zone %zu has type %zu", i,
			    pb->zone_type[i]);
	return 0;
}

/* zones counted in a state: at least one */
static size_t
nzones_of(const struct pack_problem *pb)
{
	return pb->zone != NULL && pb->nzones > 0 ? pb->nzones : 1;
}

static bool
fits_empty(const struct pack_prep *pp, size_t i, size_t t)
{
	const struct pack_problem *pb = pp->pb;
	const double *v = item_demand(pb, i);
	const double *cx = pp->capx + t * pb->ndims;
	const double *hx = pp->hardx + t * pb->ndims;
	size_t k, d, over;

	for (k = 0; k < pb->nblocks; k++) {
		over = 0;
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			if (v[d] > hx[d])
				return false;
			if (v[d] > cx[d] && ++over > pb->blocks[k].allowed)
				return false;
		}
	}
	return true;
}

bool
pack_item_fits_type(const struct pack_problem *pb, size_t i, size_t t)
{
	return pack_fits_set(pb, t, &i, 1);
}

bool
pack_fits_set(const struct pack_problem *pb, size_t t, const size_t *items,
    size_t n)
{
	const struct pack_bintype *ty = &pb->types[t];
	double *load = xcalloc(pb->ndims + 1, sizeof(double)), lim, hard;
	size_t j, k, d, over;
	bool ok = true;

	for (j = 0; j < n; j++)
		for (d = 0; d < pb->ndims; d++)
			load[d] += pb->demand[items[j] * pb->ndims + d];
	for (k = 0; k < pb->nblocks && ok; k++) {
		over = 0;
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len && ok; d++) {
			lim = ty->cap[d] * (1 + PACK_EPS);
			hard = (ty->hard != NULL ? ty->hard[d] : ty->cap[d]) *
			    (1 + PACK_EPS);
			if (load[d] > hard || (load[d] > lim &&
			    ++over > pb->blocks[k].allowed))
				ok = false;
		}
	}
	free(load);
	return ok;
}

/* ------------------------------------------------------------ prep */

static void
prep_caps(struct pack_prep *pp)
{
	const struct pack_problem *pb = pp->pb;
	size_t t, d, n = pb->ndims;

	pp->capx = xreallocarray(NULL, pb->ntypes * n + 1, sizeof(double));
	pp->hardx = xreallocarray(NULL, pb->ntypes * n + 1, sizeof(double));
	for (t = 0; t < pb->ntypes; t++)
		for (d = 0; d < n; d++) {
			pp->capx[t * n + d] = pb->types[t].cap[d] *
			    (1 + PACK_EPS);
			pp->hardx[t * n + d] = (pb->types[t].hard != NULL ?
			    pb->types[t].hard[d] : pb->types[t].cap[d]) *
			    (1 + PACK_EPS);
		}
	for (d = 0; d < n; d++)
		pp->inv_ref[d] = pb->types[0].cap[d] > 0 ?
		    1.0 / pb->types[0].cap[d] : 0;
}

struct roomy {
	double size;
	size_t t;
};

static int
roomy_cmp(const void *a, const void *b)
{
	const struct roomy *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* the types by decreasing sum of limits over the first type's */
static void
prep_roomy(struct pack_prep *pp)
{
	const struct pack_problem *pb = pp->pb;
	struct roomy *r = xcalloc(pb->ntypes + 1, sizeof(*r));
	size_t t, d;

	for (t = 0; t < pb->ntypes; t++) {
		r[t].t = t;
		for (d = 0; d < pb->ndims; d++)
			r[t].size += isfinite(pb->types[t].cap[d]) ?
			    pb->types[t].cap[d] * pp->inv_ref[d] : 1;
	}
	array_sort(r, pb->ntypes, sizeof(*r), roomy_cmp);
	pp->roomy = xcalloc(pb->ntypes + 1, sizeof(size_t));
	for (t = 0; t < pb->ntypes; t++)
		pp->roomy[t] = r[t].t;
	free(r);
}

/* each domain group's items (CSR), from the items' groups */
static void
prep_dgroups(struct pack_prep *pp)
{
	const struct pack_problem *pb = pp->pb;
	size_t i, g, *fill;

	if (pb->dgroup_off == NULL)
		return;
	for (g = 0; g < pb->dgroup_off[pb->nitems]; g++)
		if (pb->dgroups[g] + 1 > pp->ndgroups)
			pp->ndgroups = pb->dgroups[g] + 1;
	pp->dmem_off = xcalloc((size_t)pp->ndgroups + 2, sizeof(size_t));
	pp->dmembers = xcalloc(pb->dgroup_off[pb->nitems] + 1, sizeof(size_t));
	fill = xcalloc((size_t)pp->ndgroups + 1, sizeof(size_t));
	for (g = 0; g < pb->dgroup_off[pb->nitems]; g++)
		pp->dmem_off[pb->dgroups[g] + 1]++;
	for (g = 0; g < pp->ndgroups; g++)
		pp->dmem_off[g + 1] += pp->dmem_off[g];
	for (i = 0; i < pb->nitems; i++)
		for (g = pb->dgroup_off[i]; g < pb->dgroup_off[i + 1]; g++)
			pp->dmembers[pp->dmem_off[pb->dgroups[g]] +
			    fill[pb->dgroups[g]]++] = i;
	free(fill);
}

struct pack_prep *
pack_prep_new(const struct pack_problem *pb)
{
	struct pack_prep *pp = xcalloc(1, sizeof(*pp));
	size_t i, k, d, t;
	const double *v;
	double m, lo;

	pp->pb = pb;
	pp->inv_ref = xcalloc(pb->ndims + 1, sizeof(double));
	pp->w_avg = xcalloc(pb->ndims + 1, sizeof(double));
	pp->peak = xcalloc(pb->nitems * pb->nblocks + 1, sizeof(double));
	pp->floor = xcalloc(pb->nitems * pb->nblocks + 1, sizeof(double));
	pp->fits_some = xcalloc(pb->nitems + 1, sizeof(bool));
	prep_caps(pp);
	prep_roomy(pp);
	prep_dgroups(pp);
	for (k = 0; k < pb->nblocks; k++)
		if (pb->blocks[k].allowed > 0)
			pp->budget = true;
	for (i = 0; i < pb->nitems; i++) {
		v = item_demand(pb, i);
		for (k = 0; k < pb->nblocks; k++) {
			m = 0;
			lo = INFINITY;
			for (d = pb->blocks[k].off; d < pb->blocks[k].off +
			    pb->blocks[k].len; d++) {
				if (v[d] > m)
					m = v[d];
				if (v[d] < lo)
					lo = v[d];
			}
			pp->peak[i * pb->nblocks + k] = m;
			pp->floor[i * pb->nblocks + k] = lo;
		}
		for (d = 0; d < pb->ndims; d++)
			pp->w_avg[d] += v[d] * pp->inv_ref[d];
		for (t = 0; t < pb->ntypes && !pp->fits_some[i]; t++)
			pp->fits_some[i] = pack_zone_allows(pb,
			    pack_item_zone(pb, i), t) && fits_empty(pp, i, t);
	}
	return pp;
}

void
pack_prep_free(struct pack_prep *pp)
{
	if (pp == NULL)
		return;
	free(pp->inv_ref);
	free(pp->w_avg);
	free(pp->peak);
	free(pp->floor);
	free(pp->capx);
	free(pp->hardx);
	free(pp->fits_some);
	free(pp->roomy);
	free(pp->dmem_off);
	free(pp->dmembers);
	free(pp);
}

/* ------------------------------------------------------------ state */

static void
bin_slack(const struct pack_state *st, struct pack_bin *bin)
{
	const struct pack_problem *pb = st->pb;
	const double *cx = st->pp->capx + bin->type * pb->ndims;
	size_t k, d, arg;
	double m, s;

	for (k = 0; k < pb->nblocks; k++) {
		arg = pb->blocks[k].off;
		m = cx[arg] - bin->load[arg];
		for (d = arg + 1; d < pb->blocks[k].off + pb->blocks[k].len;
		    d++) {
			s = cx[d] - bin->load[d];
			if (s < m) {
				m = s;
				arg = d;
			}
		}
		bin->slack[k] = m;
		bin->argmin[k] = arg;
	}
}

/* the domain with the fewest bins (the first of those) */
static uint32_t
domain_fewest(const struct pack_state *st)
{
	uint32_t d, best = 0;

	for (d = 1; d < st->pb->ndomains; d++)
		if (st->domain_bins[d] < st->domain_bins[best])
			best = d;
	return best;
}

/* a new bin of type t, its count notwithstanding */
static size_t
open_bin(struct pack_state *st, size_t t)
{
	const struct pack_problem *pb = st->pb;
	struct pack_bin *bin;

	ALLOC_GROW(st->bins, st->nbins + 1, st->capbins);
	bin = &st->bins[st->nbins];
	memset(bin, 0, sizeof(*bin));
	bin->type = t;
	bin->zone = PACK_ZONE_ANY;
	bin->domain = domain_fewest(st);
	if (pb->ndomains > 0)
		st->domain_bins[bin->domain]++;
	bin->load = xcalloc(pb->ndims + 1, sizeof(double));
	bin->slack = xcalloc(pb->nblocks + 1, sizeof(double));
	bin->argmin = xcalloc(pb->nblocks + 1, sizeof(size_t));
	bin_slack(st, bin);
	st->used[t]++;
	return st->nbins++;
}

size_t
state_open_type(struct pack_state *st, size_t t)
{
	const struct pack_problem *pb = st->pb;

	if (pb->types[t].existing)
		return PACK_NONE;	/* they all exist already */
	if (pb->types[t].available != PACK_NONE &&
	    st->used[t] >= pb->types[t].available)
		return PACK_NONE;
	return open_bin(st, t);
}

size_t
state_open_spare(struct pack_state *st, size_t t, uint32_t zone,
    uint32_t domain)
{
	size_t b = open_bin(st, t);
	struct pack_bin *bin = &st->bins[b];

	bin->zone = zone;
	st->zone_bins[zone]++;
	if (st->pb->ndomains > 0) {
		st->domain_bins[bin->domain]--;
		bin->domain = domain;
		st->domain_bins[domain]++;
	}
	return b;
}

void
state_drop_last(struct pack_state *st)
{
	struct pack_bin *bin = &st->bins[st->nbins - 1];

	assert(bin->n == 0);
	st->used[bin->type]--;
	if (bin->zone != PACK_ZONE_ANY)
		st->zone_bins[bin->zone]--;
	if (st->pb->ndomains > 0)
		st->domain_bins[bin->domain]--;
	free(bin->items);
	free(bin->load);
	free(bin->slack);
	free(bin->argmin);
	free(bin->groups);
	st->nbins--;
}

size_t
state_open(struct pack_state *st)
{
	size_t t, b;

	for (t = 0; t < st->pb->ntypes; t++) {
		b = state_open_type(st, t);
		if (b != PACK_NONE)
			return b;
	}
	return PACK_NONE;
}

/* st with no bin open and no item placed */
static void
state_empty(struct pack_state *st, const struct pack_problem *pb,
    const struct pack_prep *pp)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->pb = pb;
	st->pp = pp;
	st->bin_of = xreallocarray(NULL, pb->nitems + 1, sizeof(size_t));
	for (i = 0; i < pb->nitems; i++)
		st->bin_of[i] = PACK_NONE;
	st->used = xcalloc(pb->ntypes + 1, sizeof(size_t));
	st->zone_bins = xcalloc(nzones_of(pb) + 1, sizeof(size_t));
	st->domain_bins = xcalloc(pb->ndomains + 1, sizeof(size_t));
}

/* pinned bin b's fixed zone and domain, if the problem fixes them */
static void
pinned_setup(struct pack_state *st, size_t b)
{
	const struct pack_problem *pb = st->pb;
	struct pack_bin *bin = &st->bins[b];

	if (pb->pinned_zone != NULL && pb->pinned_zone[b] != PACK_ZONE_ANY &&
	    bin->zone == PACK_ZONE_ANY) {
		bin->zone = pb->pinned_zone[b];
		st->zone_bins[bin->zone]++;
	}
	if (pb->ndomains > 0 && pb->pinned_domain != NULL &&
	    pb->pinned_domain[b] != UINT32_MAX) {
		st->domain_bins[bin->domain]--;
		bin->domain = pb->pinned_domain[b];
		st->domain_bins[bin->domain]++;
	}
}

int
state_init(struct pack_state *st, const struct pack_problem *pb,
    const struct pack_prep *pp)
{
	size_t i, b, t;

	state_empty(st, pb, pp);
	for (b = 0; b < pb->npinned; b++) {
		t = pb->pinned_type[b];
		if ((pb->types[t].existing ? open_bin(st, t) :
		    state_open_type(st, t)) == PACK_NONE)
			return error_set(ERROR_DATA, "pinned host %zu: no host "
			    "of its model is available", b);
		pinned_setup(st, b);
	}
	for (i = 0; pb->pin != NULL && i < pb->nitems; i++) {
		if (pb->pin[i] == PACK_NONE)
			continue;
		if (!state_fits(st, pb->pin[i], i))
			return error_set(ERROR_DATA, "item %zu does not fit "
			    "the host it is pinned to", i);
		state_add(st, pb->pin[i], i);
		st->bins[pb->pin[i]].npinned++;
	}
	return 0;
}

void
state_release(struct pack_state *st)
{
	size_t b;

	for (b = 0; b < st->nbins; b++) {
		free(st->bins[b].items);
		free(st->bins[b].load);
		free(st->bins[b].slack);
		free(st->bins[b].argmin);
		free(st->bins[b].groups);
	}
	free(st->bins);
	free(st->bin_of);
	free(st->used);
	free(st->zone_bins);
	free(st->domain_bins);
	memset(st, 0, sizeof(*st));
}

/* has zone z reached its most bins? */
static bool
zone_full(const struct pack_state *st, uint32_t z)
{
	const struct pack_problem *pb = st->pb;

	return pb->zone_max != NULL && pb->zone_max[z] != PACK_NONE &&
	    st->zone_bins[z] >= pb->zone_max[z];
}

/* may item i go into bin b as far as zones go?  A bin of no zone yet
 * takes it if the bin's type suits i's zone and the zone has bins left. */
static bool
zone_ok(const struct pack_state *st, size_t b, size_t i)
{
	const struct pack_bin *bin = &st->bins[b];
	uint32_t z = pack_item_zone(st->pb, i);

	if (bin->zone != PACK_ZONE_ANY)
		return bin->zone == z;
	return pack_zone_allows(st->pb, z, bin->type) && !zone_full(st, z);
}

static bool
skipped(size_t j, const size_t *skip, size_t nskip)
{
	size_t s;

	for (s = 0; s < nskip; s++)
		if (skip[s] == j)
			return true;
	return false;
}

/* would item i in bin b share a domain with an item of one of its
 * domain groups (the items in skip aside)? */
static bool
domain_conflict(const struct pack_state *st, uint32_t domain, size_t i,
    const size_t *skip, size_t nskip)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_prep *pp = st->pp;
	size_t g, k, j;

	if (pb->dgroup_off == NULL)
		return false;
	for (g = pb->dgroup_off[i]; g < pb->dgroup_off[i + 1]; g++)
		for (k = pp->dmem_off[pb->dgroups[g]];
		    k < pp->dmem_off[pb->dgroups[g] + 1]; k++) {
			j = pp->dmembers[k];
			if (j == i || st->bin_of[j] == PACK_NONE ||
			    skipped(j, skip, nskip))
				continue;
			if (st->bins[st->bin_of[j]].domain == domain)
				return true;
		}
	return false;
}

bool
state_conflicts(const struct pack_state *st, size_t b, size_t i,
    const size_t *skip, size_t nskip)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_bin *bin = &st->bins[b];
	size_t g, k, j, s;
	uint32_t id;

	/* a bin whose items all leave keeps its zone: stricter than needed */
	if (!zone_ok(st, b, i))
		return true;
	if (domain_conflict(st, bin->domain, i, skip, nskip))
		return true;
	if (pb->group_off == NULL || bin->ng == 0)
		return false;
	for (g = pb->group_off[i]; g < pb->group_off[i + 1]; g++) {
		id = pb->groups[g];
		for (k = 0; k < bin->ng; k++)
			if (bin->groups[k] == id)
				break;
		if (k == bin->ng)
			continue;
		/* present: does an item outside skip carry it? */
		for (j = 0; j < bin->n; j++) {
			for (s = 0; s < nskip && skip[s] != bin->items[j]; s++)
				;
			if (s < nskip)
				continue;
			for (k = pb->group_off[bin->items[j]];
			    k < pb->group_off[bin->items[j] + 1]; k++)
				if (pb->groups[k] == id)
					return true;
		}
	}
	return false;
}

/* slot-by-slot test of block k: load + v (- out) within limits */
static bool
block_fits(struct pack_state *st, const struct pack_bin *bin, size_t k,
    const double *v)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_block *bl = &pb->blocks[k];
	const double *cx = st->pp->capx + bin->type * pb->ndims;
	const double *hx = st->pp->hardx + bin->type * pb->ndims;
	size_t d, over = 0, end = bl->off + bl->len;
	double x;

	st->effort += bl->len;
	for (d = bl->off; d < end; d++) {
		x = bin->load[d] + v[d];
		if (x > cx[d]) {
			if (bl->allowed == 0 || x > hx[d] ||
			    ++over > bl->allowed)
				return false;
		}
	}
	return true;
}

bool
state_fits(struct pack_state *st, size_t b, size_t i)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_bin *bin = &st->bins[b];
	const double *v = item_demand(pb, i);
	const double *peak = st->pp->peak + i * pb->nblocks;
	size_t k;

	st->effort++;
	if (!zone_ok(st, b, i))
		return false;
	for (k = 0; k < pb->nblocks; k++) {
		if (peak[k] <= bin->slack[k])
			continue;
		if (pb->blocks[k].allowed == 0 &&
		    v[bin->argmin[k]] > bin->slack[k])
			return false;
	}
	for (k = 0; k < pb->nblocks; k++)
		if (peak[k] > bin->slack[k] && !block_fits(st, bin, k, v))
			return false;
	return !state_conflicts(st, b, i, NULL, 0);
}

bool
state_fits_swap(struct pack_state *st, size_t b, const size_t *out,
    size_t nout, const size_t *in, size_t nin)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_bin *bin = &st->bins[b];
	const double *cx = st->pp->capx + bin->type * pb->ndims;
	const double *hx = st->pp->hardx + bin->type * pb->ndims;
	size_t k, d, j, over, end;
	double x;

	st->effort += pb->ndims;
	for (k = 0; k < pb->nblocks; k++) {
		over = 0;
		end = pb->blocks[k].off + pb->blocks[k].len;
		for (d = pb->blocks[k].off; d < end; d++) {
			x = bin->load[d];
			for (j = 0; j < nin; j++)
				x += pb->demand[in[j] * pb->ndims + d];
			if (x <= cx[d])
				continue;
			for (j = 0; j < nout; j++)
				x -= pb->demand[out[j] * pb->ndims + d];
			if (x > cx[d] && (x > hx[d] ||
			    ++over > pb->blocks[k].allowed))
				return false;
		}
	}
	return true;
}

static void
bin_groups_add(const struct pack_problem *pb, struct pack_bin *bin, size_t i)
{
	size_t g;

	if (pb->group_off == NULL)
		return;
	for (g = pb->group_off[i]; g < pb->group_off[i + 1]; g++) {
		ALLOC_GROW(bin->groups, bin->ng + 1, bin->capg);
		bin->groups[bin->ng++] = pb->groups[g];
	}
}

static void
bin_groups_remove(const struct pack_problem *pb, struct pack_bin *bin,
    size_t i)
{
	size_t g, k;

	if (pb->group_off == NULL)
		return;
	for (g = pb->group_off[i]; g < pb->group_off[i + 1]; g++)
		for (k = 0; k < bin->ng; k++)
			if (bin->groups[k] == pb->groups[g]) {
				bin->groups[k] = bin->groups[--bin->ng];
				break;
			}
}

void
state_add(struct pack_state *st, size_t b, size_t i)
{
	const struct pack_problem *pb = st->pb;
	struct pack_bin *bin = &st->bins[b];
	const double *v = item_demand(pb, i);
	size_t d;

	assert(st->bin_of[i] == PACK_NONE);
	if (bin->zone == PACK_ZONE_ANY) {
		bin->zone = pack_item_zone(pb, i);
		st->zone_bins[bin->zone]++;
	}
	for (d = 0; d < pb->ndims; d++)
		bin->load[d] += v[d];
	bin_slack(st, bin);
	ALLOC_GROW(bin->items, bin->n + 1, bin->cap);
	bin->items[bin->n++] = i;
	bin_groups_add(pb, bin, i);
	st->bin_of[i] = b;
}

void
state_remove(struct pack_state *st, size_t b, size_t i)
{
	const struct pack_problem *pb = st->pb;
	struct pack_bin *bin = &st->bins[b];
	const double *v = item_demand(pb, i);
	size_t d, j;

	assert(st->bin_of[i] == b);
	for (j = 0; j < bin->n && bin->items[j] != i; j++)
		;
	assert(j < bin->n);
	memmove(&bin->items[j], &bin->items[j + 1], (bin->n - j - 1) *
	    sizeof(size_t));
	bin->n--;
	if (bin->n == 0) {
		memset(bin->load, 0, pb->ndims * sizeof(double));
	} else {
		for (d = 0; d < pb->ndims; d++) {
			bin->load[d] -= v[d];
			if (bin->load[d] < 0)
				bin->load[d] = 0;
		}
	}
	bin_slack(st, bin);
	bin_groups_remove(pb, bin, i);
	st->bin_of[i] = PACK_NONE;
}

void
state_compact(struct pack_state *st)
{
	size_t b, to = 0, j;
	struct pack_bin tmp;

	for (b = 0; b < st->nbins; b++) {
		if (st->bins[b].n == 0 && b >= st->pb->npinned) {
			st->used[st->bins[b].type]--;
			if (st->bins[b].zone != PACK_ZONE_ANY)
				st->zone_bins[st->bins[b].zone]--;
			if (st->pb->ndomains > 0)
				st->domain_bins[st->bins[b].domain]--;
			free(st->bins[b].items);
			free(st->bins[b].load);
			free(st->bins[b].slack);
			free(st->bins[b].argmin);
			free(st->bins[b].groups);
			continue;
		}
		tmp = st->bins[b];
		st->bins[to] = tmp;
		for (j = 0; j < tmp.n; j++)
			st->bin_of[tmp.items[j]] = to;
		to++;
	}
	st->nbins = to;
}

double
state_load_l1(const struct pack_state *st, size_t b)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_bin *bin = &st->bins[b];
	double s = 0;
	size_t d;

	for (d = 0; d < pb->ndims; d++)
		s += bin->load[d] * st->pp->inv_ref[d];
	return s;
}

int
pack_error_unplaceable(const struct pack_state *st, size_t i)
{
	uint32_t z = pack_item_zone(st->pb, i);

	if (!st->pp->fits_some[i])
		return error_set(ERROR_DATA, "item %zu fits no host type", i);
	if (zone_full(st, z))
		return error_set(ERROR_DATA, "no host left for item %zu: its "
		    "zone %u has its most hosts", i, z);
	return error_set(ERROR_DATA, "no host left for item %zu: every "
	    "model's 'available' count is used", i);
}

/* move new bin b to the domain with the fewest bins where item i has no
 * domain group mate; false when every domain has one */
static bool
domain_for(struct pack_state *st, size_t b, size_t i)
{
	uint32_t d, best = UINT32_MAX;

	if (st->pb->ndomains == 0 || st->pb->dgroup_off == NULL)
		return true;
	st->domain_bins[st->bins[b].domain]--;
	for (d = 0; d < st->pb->ndomains; d++)
		if ((best == UINT32_MAX || st->domain_bins[d] <
		    st->domain_bins[best]) && !domain_conflict(st, d, i, NULL, 0))
			best = d;
	st->bins[b].domain = best != UINT32_MAX ? best : st->bins[b].domain;
	st->domain_bins[st->bins[b].domain]++;
	return best != UINT32_MAX;
}

size_t
state_open_for(struct pack_state *st, size_t i)
{
	uint32_t z = pack_item_zone(st->pb, i);
	size_t k, t, b;

	if (zone_full(st, z))
		return PACK_NONE;
	for (k = 0; k < st->pb->ntypes; k++) {
		/* a zone held to a few hosts takes the roomiest first */
		t = st->pb->zone_max != NULL && st->pb->zone_max[z] !=
		    PACK_NONE ? st->pp->roomy[k] : k;
		if (pack_zone_allows(st->pb, z, t) && fits_empty(st->pp, i, t)) {
			b = state_open_type(st, t);
			if (b != PACK_NONE) {
				/* the bin is the zone's from now on */
				st->bins[b].zone = z;
				st->zone_bins[z]++;
				if (!domain_for(st, b, i)) {
					state_drop_last(st);
					return PACK_NONE;
				}
				return b;
			}
		}
	}
	return PACK_NONE;
}

int
state_first_fit(struct pack_state *st, size_t i)
{
	size_t b;

	for (b = 0; b < st->nbins; b++)
		if (state_fits(st, b, i)) {
			state_add(st, b, i);
			return 0;
		}
	b = state_open_for(st, i);
	if (b == PACK_NONE)
		return pack_error_unplaceable(st, i);
	state_add(st, b, i);
	return 0;
}

void
state_to_solution(const struct pack_state *st, struct pack_solution *s,
    const char *name)
{
	const struct pack_problem *pb = st->pb;
	size_t b;

	pack_solution_release(s);
	s->nitems = pb->nitems;
	s->bin_of = xmemdup(st->bin_of, (pb->nitems + 1) * sizeof(size_t));
	s->bin_type = xreallocarray(NULL, st->nbins + 1, sizeof(size_t));
	s->nbins = st->nbins;
	s->cost = 0;
	if (pb->ndomains > 0)
		s->bin_domain = xcalloc(st->nbins + 1, sizeof(uint32_t));
	for (b = 0; b < st->nbins; b++) {
		s->bin_type[b] = st->bins[b].type;
		s->cost += pb->types[st->bins[b].type].cost;
		if (s->bin_domain != NULL)
			s->bin_domain[b] = st->bins[b].domain;
	}
	s->packer = name;
}

void
state_from_solution(struct pack_state *st, const struct pack_problem *pb,
    const struct pack_prep *pp, const struct pack_solution *s)
{
	size_t b, i;

	state_empty(st, pb, pp);
	for (b = 0; b < s->nbins; b++) {
		/* availability was respected when s was made */
		ALLOC_GROW(st->bins, st->nbins + 1, st->capbins);
		memset(&st->bins[b], 0, sizeof(struct pack_bin));
		st->bins[b].type = s->bin_type[b];
		st->bins[b].zone = PACK_ZONE_ANY;
		if (pb->ndomains > 0) {
			st->bins[b].domain = s->bin_domain != NULL ?
			    s->bin_domain[b] : domain_fewest(st);
			st->domain_bins[st->bins[b].domain]++;
		}
		if (b < pb->npinned)
			pinned_setup(st, b);
		st->bins[b].load = xcalloc(pb->ndims + 1, sizeof(double));
		st->bins[b].slack = xcalloc(pb->nblocks + 1, sizeof(double));
		st->bins[b].argmin = xcalloc(pb->nblocks + 1, sizeof(size_t));
		bin_slack(st, &st->bins[b]);
		st->used[s->bin_type[b]]++;
		st->nbins++;
	}
	for (i = 0; i < pb->nitems; i++) {
		state_add(st, s->bin_of[i], i);
		if (pb->pin != NULL && pb->pin[i] != PACK_NONE)
			st->bins[s->bin_of[i]].npinned++;
	}
}

void
state_restore(struct pack_state *st, const struct pack_solution *s)
{
	const struct pack_problem *pb = st->pb;
	const struct pack_prep *pp = st->pp;
	uint64_t effort = st->effort;

	state_release(st);
	state_from_solution(st, pb, pp, s);
	st->effort = effort;
}

double *
pack_suffix_floor(const struct pack_prep *pp, const size_t *order, size_t n)
{
	size_t nb = pp->pb->nblocks, p, k;
	double *m = xcalloc((n + 1) * nb + 1, sizeof(double)), f;

	for (k = 0; k < nb; k++)
		m[n * nb + k] = INFINITY;
	for (p = n; p-- > 0;)
		for (k = 0; k < nb; k++) {
			f = pp->floor[order[p] * nb + k];
			m[p * nb + k] = f < m[(p + 1) * nb + k] ? f :
			    m[(p + 1) * nb + k];
		}
	return m;
}

bool
state_closed(const struct pack_state *st, size_t b, const double *sufmin)
{
	const struct pack_bin *bin = &st->bins[b];
	size_t k;

	/* a violation budget lets a slot go over: no slack is final then */
	if (st->pp->budget)
		return false;
	for (k = 0; k < st->pb->nblocks; k++)
		if (bin->slack[k] < sufmin[k])
			return true;
	return false;
}

/* ------------------------------------------------------------ order */

struct keyed {
	double key;
	size_t i;
};

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static double
item_size(const struct pack_prep *pp, size_t i, int size, int weight)
{
	const struct pack_problem *pb = pp->pb;
	const double *v = item_demand(pb, i);
	double s = 0, x;
	size_t d;

	for (d = 0; d < pb->ndims; d++) {
		x = v[d] * pp->inv_ref[d] * pack_weight(pp, weight, d);
		if (size == PACK_SIZE_L1)
			s += x;
		else if (size == PACK_SIZE_L2)
			s += x * x;
		else if (x > s)
			s = x;
	}
	return size == PACK_SIZE_L2 ? sqrt(s) : s;
}

static size_t *
order_of(const struct pack_prep *pp, int size, int weight, bool pinned,
    size_t *n)
{
	const struct pack_problem *pb = pp->pb;
	struct keyed *k = xreallocarray(NULL, pb->nitems + 1, sizeof(*k));
	size_t *order, i, m = 0;

	for (i = 0; i < pb->nitems; i++) {
		if (!pinned && pb->pin != NULL && pb->pin[i] != PACK_NONE)
			continue;
		k[m].key = item_size(pp, i, size, weight);
		k[m].i = i;
		m++;
	}
	array_sort(k, m, sizeof(*k), keyed_cmp);
	order = xreallocarray(NULL, m + 1, sizeof(size_t));
	for (i = 0; i < m; i++)
		order[i] = k[i].i;
	free(k);
	*n = m;
	return order;
}

size_t *
pack_order(const struct pack_prep *pp, int size, int weight, size_t *n)
{
	return order_of(pp, size, weight, false, n);
}

size_t *
pack_order_all(const struct pack_prep *pp, int size, int weight)
{
	size_t n;

	return order_of(pp, size, weight, true, &n);
}

/* ------------------------------------------------------------ verify */

static int
verify_bin(const struct pack_problem *pb, const struct pack_solution *s,
    size_t b, const double *load)
{
	const struct pack_bintype *t = &pb->types[s->bin_type[b]];
	size_t k, d, over;
	double lim, hard;

	for (k = 0; k < pb->nblocks; k++) {
		over = 0;
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			lim = t->cap[d] * (1 + PACK_EPS);
			hard = (t->hard != NULL ? t->hard[d] : t->cap[d]) *
			    (1 + PACK_EPS);
			if (load[d] > hard || (load[d] > lim &&
			    ++over > pb->blocks[k].allowed))
				return error_set(ERROR_DATA, "bin %zu is over "
				    "its limit in dimension %zu: %.17g > %.17g",
				    b, d, load[d], t->cap[d]);
		}
	}
	return 0;
}

struct triple {
	uint32_t group;
	size_t bin, item;
};

static int
triple_cmp(const void *a, const void *b)
{
	const struct triple *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->bin != y->bin)
		return x->bin < y->bin ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* one zone a bin, of the zone's type, no zone over its most bins */
static int
verify_zones(const struct pack_problem *pb, const struct pack_solution *s)
{
	uint32_t *bz = xreallocarray(NULL, s->nbins + 1, sizeof(uint32_t));
	size_t *count = xcalloc(nzones_of(pb) + 1, sizeof(size_t));
	size_t i, b;
	uint32_t z;
	int ret = 0;

	for (b = 0; b < s->nbins; b++)
		bz[b] = PACK_ZONE_ANY;
	/* a host kept for a zone takes no other zone's items */
	for (b = 0; pb->pinned_zone != NULL && b < pb->npinned; b++)
		if (pb->pinned_zone[b] != PACK_ZONE_ANY) {
			bz[b] = pb->pinned_zone[b];
			count[bz[b]]++;
		}
	for (i = 0; i < pb->nitems && ret == 0; i++) {
		z = pack_item_zone(pb, i);
		b = s->bin_of[i];
		if (bz[b] == PACK_ZONE_ANY) {
			bz[b] = z;
			if (!pb->types[s->bin_type[b]].existing &&
			    !pack_zone_allows(pb, z, s->bin_type[b]))
				ret = error_set(ERROR_DATA, "bin %zu of zone %u "
				    "is of type %zu", b, z, s->bin_type[b]);
			else if (pb->zone_max != NULL && pb->zone_max[z] !=
			    PACK_NONE && ++count[z] > pb->zone_max[z])
				ret = error_set(ERROR_DATA, "zone %u has more "
				    "than %zu bins", z, pb->zone_max[z]);
		} else if (bz[b] != z) {
			ret = error_set(ERROR_DATA, "bin %zu holds zones %u and "
			    "%u (item %zu)", b, bz[b], z, i);
		}
	}
	free(bz);
	free(count);
	return ret;
}

/* no two items of one group in one bin: sort (group, bin) pairs */
static int
verify_groups(const struct pack_problem *pb, const struct pack_solution *s)
{
	struct triple *t;
	size_t i, g, n;
	int ret = 0;

	if (pb->group_off == NULL)
		return 0;
	n = pb->group_off[pb->nitems];
	t = xreallocarray(NULL, n + 1, sizeof(*t));
	for (i = 0; i < pb->nitems; i++)
		for (g = pb->group_off[i]; g < pb->group_off[i + 1]; g++)
			t[g] = (struct triple){ pb->groups[g], s->bin_of[i], i };
	array_sort(t, n, sizeof(*t), triple_cmp);
	for (i = 1; i < n && ret == 0; i++)
		if (t[i].group == t[i - 1].group && t[i].bin == t[i - 1].bin)
			ret = error_set(ERROR_DATA, "items %zu and %zu share "
			    "group %u and bin %zu", t[i - 1].item, t[i].item,
			    t[i].group, t[i].bin);
	free(t);
	return ret;
}

/* no two items of one domain group in one domain: sort (group,
 * domain) pairs, as verify_groups() does (bin stands for the domain) */
static int
verify_domains(const struct pack_problem *pb, const struct pack_solution *s)
{
	struct triple *t;
	size_t i, g, n;
	int ret = 0;

	if (pb->dgroup_off == NULL)
		return 0;
	if (s->bin_domain == NULL)
		return error_set(ERROR_DATA, "the solution has no domains");
	for (i = 0; i < s->nbins; i++)
		if (s->bin_domain[i] >= pb->ndomains)
			return error_set(ERROR_DATA, "bin %zu is in domain %u "
			    "of %zu", i, s->bin_domain[i], pb->ndomains);
	n = pb->dgroup_off[pb->nitems];
	t = xreallocarray(NULL, n + 1, sizeof(*t));
	for (i = 0; i < pb->nitems; i++)
		for (g = pb->dgroup_off[i]; g < pb->dgroup_off[i + 1]; g++)
			t[g] = (struct triple){ pb->dgroups[g],
			    s->bin_domain[s->bin_of[i]], i };
	array_sort(t, n, sizeof(*t), triple_cmp);
	for (i = 1; i < n && ret == 0; i++)
		if (t[i].group == t[i - 1].group && t[i].bin == t[i - 1].bin)
			ret = error_set(ERROR_DATA, "items %zu and %zu share "
			    "domain group %u and domain %zu", t[i - 1].item,
			    t[i].item, t[i].group, t[i].bin);
	free(t);
	return ret;
}

int
pack_verify(const struct pack_problem *pb, const struct pack_solution *s)
{
	double *load = NULL;
	size_t *count = xcalloc(pb->ntypes + 1, sizeof(size_t));
	size_t b, i, d, t;
	int ret = -1;

	if (s->nitems != pb->nitems) {
		error_set(ERROR_DATA, "solution has %zu items, problem %zu",
		    s->nitems, pb->nitems);
		goto out;
	}
	for (i = 0; i < pb->nitems; i++)
		if (s->bin_of[i] >= s->nbins) {
			error_set(ERROR_DATA, "item %zu is in no bin", i);
			goto out;
		} else if (pb->pin != NULL && pb->pin[i] != PACK_NONE &&
		    s->bin_of[i] != pb->pin[i]) {
			error_set(ERROR_DATA, "item %zu left its pinned bin", i);
			goto out;
		}
	for (b = 0; b < s->nbins; b++) {
		t = s->bin_type[b];
		if (t < pb->ntypes && pb->types[t].existing) {
			if (b >= pb->npinned) {
				error_set(ERROR_DATA, "bin %zu: type %zu exists "
				    "only as pinned hosts", b, t);
				goto out;
			}
			continue;
		}
		if (t >= pb->ntypes || (++count[t] > pb->types[t].available &&
		    pb->types[t].available != PACK_NONE)) {
			error_set(ERROR_DATA, "bin %zu: type %zu over its "
			    "available count", b, t);
			goto out;
		}
	}
	for (b = 0; b < s->nspare; b++) {
		t = s->spare_type[b];
		if (t >= pb->ntypes || (++count[t] > pb->types[t].available &&
		    pb->types[t].available != PACK_NONE)) {
			error_set(ERROR_DATA, "spare %zu: type %zu over its "
			    "available count", b + 1, t);
			goto out;
		}
	}
	/* one pass over the demand matrix, summing into each bin's row */
	load = xcalloc(s->nbins * pb->ndims + 1, sizeof(double));
	for (i = 0; i < pb->nitems; i++)
		for (d = 0; d < pb->ndims; d++)
			load[s->bin_of[i] * pb->ndims + d] +=
			    pb->demand[i * pb->ndims + d];
	for (b = 0; b < s->nbins; b++)
		if (verify_bin(pb, s, b, load + b * pb->ndims) == -1)
			goto out;
	if (verify_zones(pb, s) == -1 || verify_domains(pb, s) == -1)
		goto out;
	ret = verify_groups(pb, s);
out:
	free(load);
	free(count);
	return ret;
}
