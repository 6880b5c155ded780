/*
 * bound.c - lower bounds on the number of hosts.
 *
 *   continuous   per dimension (resource and slot), the summed demand
 *                over one host's limit, rounded up; the largest of them.
 *   L2           Martello and Toth's bound per dimension: for each
 *                threshold a in [0, C/2], items over C - a need a host
 *                each, items in (C/2, C - a] too, and items in [a, C/2]
 *                fill what those leave, rounded up; the best a.  Computed
 *                on sorted weights with prefix sums, O(n log n) per
 *                dimension.
 *   DFF          Fekete and Schepers' dual feasible functions per
 *                dimension: each weight x (as a share of the limit) is
 *                counted as u_k(x) = x when (k + 1) x is whole, else
 *                floor((k + 1) x) / k, for k = 1 .. DFF_K; any packing
 *                keeps every host's counted sum within 1, so the ceiling
 *                of the counted total bounds the hosts.  k = 2 counts an
 *                item over a third as a half (two share a host at most),
 *                which L2, for items under a half, does not see.
 *   clique       items no two of which fit one host together (in some
 *                dimension their sum is over the limit, or they share an
 *                anti-affinity group) need a host each; a greedy clique
 *                (Johnson's rule: the vertex with most neighbours first)
 *                among the items with some dimension over half the limit,
 *                since two items under half everywhere always fit.
 *   pinned       the pinned hosts are opened whatever their guests need
 *                (a [pin NAME] host, an existing host), so the plan has
 *                at least as many hosts as there are of them.
 *   existing     with hosts that exist (brownfield), the bounds above
 *                (made for hosts of the chosen model) do not hold, and
 *                the plan's bound is the existing hosts plus, in the
 *                worst dimension, the demand they cannot hold over the
 *                roomiest new model, rounded up.
 *   zones        with trust zones, no host holds two zones, so the plan
 *                needs at least the sum over the zones of each zone's
 *                largest bound, computed on its items alone in bins as
 *                roomy in each dimension as the roomiest model the zone
 *                may have (its own, when it has one), so the sum holds
 *                for any mix of models; items of two zones also conflict
 *                in the clique.
 *
 * The plan's gap is to the largest of them.  These bounds can sit 10-20 %
 * under the optimum when demand is complementary across dimensions
 * (section 1.4 of ../shared/research/algorithms.md); --exact adds the
 * configuration LP bound, which is usually the optimum itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/pack.h"

/* the dual feasible functions u_1 .. u_DFF_K */
#define DFF_K 8

/* the clique graph costs candidates^2 x dimensions: keep it near 1e9 */
#define CLIQUE_BUDGET 1e9

/* the items bounded and the type they are bounded on */
struct bset {
	const struct pack_problem *pb;
	const size_t *items;	/* NULL: all of them */
	size_t n;
	size_t type;
	const double *lim;	/* per dimension, instead of type's; NULL */
};

static size_t
item_at(const struct bset *bs, size_t k)
{
	return bs->items != NULL ? bs->items[k] : k;
}

static double
limit_of(const struct bset *bs, size_t k, size_t d)
{
	const struct pack_problem *pb = bs->pb;
	const struct pack_bintype *t = &pb->types[bs->type];

	if (bs->lim != NULL)
		return bs->lim[d];
	if (pb->blocks[k].allowed > 0 && t->hard != NULL)
		return t->hard[d];
	return t->cap[d];
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* index of the first element of sorted w[0..n) greater than x */
static size_t
upper(const double *w, size_t n, double x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* index of the first element of sorted w[0..n) at least x */
static size_t
lower_idx(const double *w, size_t n, double x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
bound_mt_l2(const double *w_in, size_t n, double c)
{
	double *w, *pre, a, s3, s2, fill, tol = c * 1e-9;
	size_t i, best = 0, half, j1, j2, i3, l;

	if (n == 0 || !(c > 0))
		return n > 0 ? n : 0;
	/* no item near half: every threshold a leaves J1 and J2 empty, and
	 * a = 0 gives the most, the volume; no sort needed (most slots of a
	 * large fleet, where the sorts took a sixth of a plan's time) */
	for (s3 = 0, i = 0; i < n && w_in[i] <= c / 2 - tol; i++)
		s3 += w_in[i];
	if (i == n)
		return s3 > tol ? (size_t)ceil(s3 / c - 1e-9) : 0;
	w = xmemdup(w_in, n * sizeof(double));
	array_sort(w, n, sizeof(double), dbl_cmp);
	pre = xcalloc(n + 1, sizeof(double));
	for (i = 0; i < n; i++)
		pre[i + 1] = pre[i] + w[i];
	half = upper(w, n, c / 2 + tol);	/* w[half..] > C/2 */
	/* thresholds: 0 and every weight up to C/2 */
	for (i = 0; i <= half; i++) {
		a = i == 0 ? 0 : w[i - 1];
		j1 = upper(w, n, c - a + tol);	/* w[j1..] > C - a */
		j2 = j1 > half ? j1 - half : 0;	/* in (C/2, C - a] */
		i3 = lower_idx(w, n, a - tol);	/* w[i3..half) in [a, C/2] */
		s3 = i3 < half ? pre[half] - pre[i3] : 0;
		s2 = pre[j1] - pre[half < j1 ? half : j1];
		fill = s3 - ((double)j2 * c - s2);
		l = (n - j1) + j2;
		if (fill > tol)
			l += (size_t)ceil(fill / c - 1e-9);
		if (l > best)
			best = l;
	}
	free(w);
	free(pre);
	return best;
}

static void
bounds_continuous(const struct bset *bs, struct pack_bounds *b)
{
	const struct pack_problem *pb = bs->pb;
	size_t i, k, d, c;
	double lim;

	b->ratio = xcalloc(pb->ndims + 1, sizeof(double));
	for (i = 0; i < bs->n; i++)
		for (d = 0; d < pb->ndims; d++)
			b->ratio[d] += pb->demand[item_at(bs, i) * pb->ndims + d];
	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			lim = limit_of(bs, k, d);
			b->ratio[d] = lim > 0 ? b->ratio[d] / lim :
			    b->ratio[d] > 0 ? INFINITY : 0;
			c = isfinite(b->ratio[d]) ?
			    (size_t)ceil(b->ratio[d] - 1e-9) : bs->n;
			if (c > b->continuous) {
				b->continuous = c;
				b->continuous_dim = d;
			}
		}
}

size_t
bound_dff(const double *w, size_t n, double c)
{
	double sum, y, f;
	size_t i, best = 0, l;
	int k;

	if (n == 0 || !(c > 0))
		return n > 0 && !(c > 0) ? n : 0;
	for (k = 1; k <= DFF_K; k++) {
		for (sum = 0, i = 0; i < n; i++) {
			y = (double)(k + 1) * w[i] / c;
			f = floor(y + 1e-9);
			sum += fabs(y - f) < 1e-9 ? w[i] / c : f / k;
		}
		l = (size_t)ceil(sum - 1e-9);
		if (l > best)
			best = l;
	}
	return best;
}

static void
bounds_l2(const struct bset *bs, struct pack_bounds *b)
{
	const struct pack_problem *pb = bs->pb;
	double *w = xcalloc(bs->n + 1, sizeof(double)), wmax;
	size_t i, k, d, l;

	b->l2 = xcalloc(pb->nblocks + 1, sizeof(size_t));
	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			for (wmax = 0, i = 0; i < bs->n; i++) {
				w[i] = pb->demand[item_at(bs, i) * pb->ndims + d];
				wmax = fmax(wmax, w[i]);
			}
			l = bound_mt_l2(w, bs->n, limit_of(bs, k, d));
			if (l > b->l2[k])
				b->l2[k] = l;
			if (l > b->l2_max)
				b->l2_max = l;
			l = wmax > limit_of(bs, k, d) / (DFF_K + 1) ?
			    bound_dff(w, bs->n, limit_of(bs, k, d)) : 0;
			if (l > b->dff)
				b->dff = l;
		}
	free(w);
}

static bool
share_group(const struct pack_problem *pb, size_t i, size_t j)
{
	size_t g, h;

	if (pb->group_off == NULL)
		return false;
	for (g = pb->group_off[i]; g < pb->group_off[i + 1]; g++)
		for (h = pb->group_off[j]; h < pb->group_off[j + 1]; h++)
			if (pb->groups[g] == pb->groups[h])
				return true;
	return false;
}

static bool
conflict(const struct bset *bs, size_t i, size_t j)
{
	const struct pack_problem *pb = bs->pb;
	const double *a = pb->demand + i * pb->ndims;
	const double *c = pb->demand + j * pb->ndims;
	size_t k, d;

	if (pack_item_zone(pb, i) != pack_item_zone(pb, j))
		return true;
	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++)
			if (a[d] + c[d] > limit_of(bs, k, d) * (1 + PACK_EPS))
				return true;
	return share_group(pb, i, j);
}

/* How big is item i: its largest share of a limit; 0 when it is under
 * half of every limit and in no group (it can conflict with no other
 * such item, so it is no clique candidate). */
static double
bigness(const struct bset *bs, size_t i)
{
	const struct pack_problem *pb = bs->pb;
	const double *a = pb->demand + i * pb->ndims;
	double m = 0, r, lim;
	size_t k, d;

	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			lim = limit_of(bs, k, d);
			r = lim > 0 ? a[d] / lim : a[d] > 0 ? 2 : 0;
			if (r > m)
				m = r;
		}
	/* an item in a group or a zone may conflict whatever its size */
	if ((pb->group_off != NULL && pb->group_off[i + 1] >
	    pb->group_off[i]) || (pb->zone != NULL && pb->nzones > 1))
		return m > 0.5 ? m : 0.5 + 1e-9;
	return m > 0.5 ? m : 0;
}

struct big {
	double size;
	size_t i;
};

static int
big_cmp(const void *a, const void *b)
{
	const struct big *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* the candidates, largest first, at most max of them */
static size_t *
clique_candidates(const struct bset *bs, size_t max, size_t *m)
{
	struct big *bg = xcalloc(bs->n + 1, sizeof(*bg));
	size_t *cand, k, i, n = 0;

	for (k = 0; k < bs->n; k++) {
		i = item_at(bs, k);
		bg[n].size = bigness(bs, i);
		bg[n].i = i;
		if (bg[n].size > 0)
			n++;
	}
	array_sort(bg, n, sizeof(*bg), big_cmp);
	if (n > max)
		n = max;
	cand = xcalloc(n + 1, sizeof(size_t));
	for (k = 0; k < n; k++)
		cand[k] = bg[k].i;
	free(bg);
	*m = n;
	return cand;
}

/* Johnson's greedy clique: by degree in the whole graph, each vertex
 * taken must neighbour every one taken before.  O(m^2). */
static size_t
greedy_clique(const unsigned char *adj, size_t m)
{
	struct big *order = xcalloc(m + 1, sizeof(*order));
	size_t *in = xcalloc(m + 1, sizeof(size_t));
	size_t i, j, k, size = 0;

	for (i = 0; i < m; i++) {
		order[i].i = i;
		for (j = 0; j < m; j++)
			order[i].size += adj[i * m + j];
	}
	array_sort(order, m, sizeof(*order), big_cmp);
	for (k = 0; k < m; k++) {
		i = order[k].i;
		for (j = 0; j < size && adj[i * m + in[j]]; j++)
			;
		if (j == size)
			in[size++] = i;
	}
	free(order);
	free(in);
	return size;
}

static void
bounds_clique(const struct bset *bs, struct pack_bounds *b)
{
	size_t max = (size_t)sqrt(CLIQUE_BUDGET / (double)(bs->pb->ndims + 1));
	unsigned char *adj;
	size_t *cand, i, j, m;

	cand = clique_candidates(bs, max, &m);
	adj = xcalloc(m * m + 1, 1);
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++)
			adj[i * m + j] = adj[j * m + i] =
			    conflict(bs, cand[i], cand[j]);
	b->clique = greedy_clique(adj, m);
	if (b->clique == 0 && bs->n > 0)
		b->clique = 1;
	free(adj);
	free(cand);
}

static void
bounds_of(const struct bset *bs, struct pack_bounds *b)
{
	memset(b, 0, sizeof(*b));
	bounds_continuous(bs, b);
	bounds_l2(bs, b);
	bounds_clique(bs, b);
	b->lower = b->continuous;
	b->method = "continuous";
	if (b->l2_max > b->lower) {
		b->lower = b->l2_max;
		b->method = "l2";
	}
	if (b->dff > b->lower) {
		b->lower = b->dff;
		b->method = "dff";
	}
	if (b->clique > b->lower) {
		b->lower = b->clique;
		b->method = "clique";
	}
}

/* zone z's bound, its items alone, on lim, or on its type when lim is
 * NULL (items: scratch) */
static size_t
bound_zone(const struct pack_problem *pb, uint32_t z, size_t *items,
    const double *lim)
{
	struct pack_bounds zb;
	struct bset bs = { pb, items, 0, 0, lim };
	size_t i, lower;

	for (i = 0; i < pb->nitems; i++)
		if (pack_item_zone(pb, i) == z)
			items[bs.n++] = i;
	if (bs.n == 0)
		return 0;
	if (pb->zone_type != NULL && pb->zone_type[z] != PACK_NONE)
		bs.type = pb->zone_type[z];
	bounds_of(&bs, &zb);
	lower = zb.lower;
	pack_bounds_release(&zb);
	return lower;
}

/* the roomiest bin in each dimension zone z may have, into lim: no bin
 * of any mix of its types holds more */
static void
roomiest(const struct pack_problem *pb, uint32_t z, double *lim)
{
	size_t t, k, d;
	double c;

	memset(lim, 0, pb->ndims * sizeof(double));
	for (t = 0; t < pb->ntypes; t++) {
		if (!pack_zone_allows(pb, z, t))
			continue;
		for (k = 0; k < pb->nblocks; k++)
			for (d = pb->blocks[k].off; d < pb->blocks[k].off +
			    pb->blocks[k].len; d++) {
				c = pb->blocks[k].allowed > 0 &&
				    pb->types[t].hard != NULL ?
				    pb->types[t].hard[d] : pb->types[t].cap[d];
				if (c > lim[d])
					lim[d] = c;
			}
	}
}

size_t
pack_bounds_zone(const struct pack_problem *pb, uint32_t z)
{
	size_t *items = xcalloc(pb->nitems + 1, sizeof(size_t)), lower;
	double *lim = xcalloc(pb->ndims + 1, sizeof(double));

	roomiest(pb, z, lim);
	lower = bound_zone(pb, z, items, lim);
	free(items);
	free(lim);
	return lower;
}

/* the sum over the zones of each zone's bound, its items alone, in the
 * roomiest bins it may have: valid whatever models the plan mixes */
static size_t
bounds_zones(const struct pack_problem *pb)
{
	size_t *items = xcalloc(pb->nitems + 1, sizeof(size_t)), sum = 0;
	double *lim = xcalloc(pb->ndims + 1, sizeof(double));
	uint32_t z;

	for (z = 0; z < pb->nzones; z++) {
		roomiest(pb, z, lim);
		sum += bound_zone(pb, z, items, lim);
	}
	free(items);
	free(lim);
	return sum;
}

/*
 * With bins that exist (pinned bins of existing types, whatever their
 * size), the bounds above, made for bins of types[0], do not hold; this
 * one does: per dimension, the demand the existing bins cannot hold
 * (all of theirs at once) needs new bins as roomy as the roomiest new
 * type at most; the largest over the dimensions, rounded up.
 */
static void
bounds_existing(const struct pack_problem *pb, struct pack_bounds *b)
{
	double *rest = xcalloc(pb->ndims + 1, sizeof(double)), big, c, need;
	size_t i, d, t, k, p;

	for (i = 0; i < pb->nitems; i++)
		for (d = 0; d < pb->ndims; d++)
			rest[d] += pb->demand[i * pb->ndims + d];
	for (p = 0; p < pb->npinned; p++)
		if (pb->types[pb->pinned_type[p]].existing) {
			b->existing++;
			for (d = 0; d < pb->ndims; d++)
				rest[d] -= pb->types[pb->pinned_type[p]].cap[d];
		}
	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			for (big = 0, t = 0; t < pb->ntypes; t++)
				if (!pb->types[t].existing && (c =
				    pb->types[t].cap[d]) > big)
					big = c;
			if (!(rest[d] > 0))
				continue;
			need = big > 0 ? ceil(rest[d] / big - 1e-9) :
			    (double)pb->nitems;
			if (need > (double)b->beyond)
				b->beyond = (size_t)need;
		}
	b->lower = b->existing + b->beyond;
	free(rest);
}

void
pack_bounds_compute(const struct pack_problem *pb, struct pack_bounds *b)
{
	struct bset all = { pb, NULL, pb->nitems, 0, NULL };
	size_t t;

	bounds_of(&all, b);
	if (pb->zone != NULL && pb->nzones > 1) {
		b->zones = bounds_zones(pb);
		if (b->zones > b->lower) {
			b->lower = b->zones;
			b->method = "zones";
		}
	}
	for (t = 0; t < pb->ntypes; t++)
		if (pb->types[t].existing) {
			bounds_existing(pb, b);
			b->method = "existing";
			break;
		}
	/* the pinned hosts are there, whatever their guests need */
	if (b->lower < pb->npinned) {
		b->lower = pb->npinned;
		b->method = "pinned";
	}
}

void
pack_bounds_release(struct pack_bounds *b)
{
	if (b == NULL)
		return;
	free(b->ratio);
	free(b->l2);
	memset(b, 0, sizeof(*b));
}
