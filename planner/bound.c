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
 *   clique       items no two of which fit one host together (in some
 *                dimension their sum is over the limit, or they share an
 *                anti-affinity group) need a host each; a greedy clique
 *                (Johnson's rule: the vertex with most neighbours first)
 *                among the items with some dimension over half the limit,
 *                since two items under half everywhere always fit.
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

/* the clique graph costs candidates^2 x dimensions: keep it near 1e9 */
#define CLIQUE_BUDGET 1e9

static double
limit_of(const struct pack_problem *pb, size_t k, size_t d)
{
	const struct pack_bintype *t = &pb->types[0];

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
bounds_continuous(const struct pack_problem *pb, struct pack_bounds *b)
{
	size_t i, k, d, c;
	double lim;

	b->ratio = xcalloc(pb->ndims + 1, sizeof(double));
	for (i = 0; i < pb->nitems; i++)
		for (d = 0; d < pb->ndims; d++)
			b->ratio[d] += pb->demand[i * pb->ndims + d];
	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			lim = limit_of(pb, k, d);
			b->ratio[d] = lim > 0 ? b->ratio[d] / lim :
			    b->ratio[d] > 0 ? INFINITY : 0;
			c = isfinite(b->ratio[d]) ?
			    (size_t)ceil(b->ratio[d] - 1e-9) : pb->nitems;
			if (c > b->continuous) {
				b->continuous = c;
				b->continuous_dim = d;
			}
		}
}

static void
bounds_l2(const struct pack_problem *pb, struct pack_bounds *b)
{
	double *w = xcalloc(pb->nitems + 1, sizeof(double));
	size_t i, k, d, l;

	b->l2 = xcalloc(pb->nblocks + 1, sizeof(size_t));
	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			for (i = 0; i < pb->nitems; i++)
				w[i] = pb->demand[i * pb->ndims + d];
			l = bound_mt_l2(w, pb->nitems, limit_of(pb, k, d));
			if (l > b->l2[k])
				b->l2[k] = l;
			if (l > b->l2_max)
				b->l2_max = l;
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
conflict(const struct pack_problem *pb, size_t i, size_t j)
{
	const double *a = pb->demand + i * pb->ndims;
	const double *c = pb->demand + j * pb->ndims;
	size_t k, d;

	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++)
			if (a[d] + c[d] > limit_of(pb, k, d) * (1 + PACK_EPS))
				return true;
	return share_group(pb, i, j);
}

/* How big is item i: its largest share of a limit; 0 when it is under
 * half of every limit and in no group (it can conflict with no other
 * such item, so it is no clique candidate). */
static double
bigness(const struct pack_problem *pb, size_t i)
{
	const double *a = pb->demand + i * pb->ndims;
	double m = 0, r, lim;
	size_t k, d;

	for (k = 0; k < pb->nblocks; k++)
		for (d = pb->blocks[k].off; d < pb->blocks[k].off +
		    pb->blocks[k].len; d++) {
			lim = limit_of(pb, k, d);
			r = lim > 0 ? a[d] / lim : a[d] > 0 ? 2 : 0;
			if (r > m)
				m = r;
		}
	if (pb->group_off != NULL && pb->group_off[i + 1] > pb->group_off[i])
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
clique_candidates(const struct pack_problem *pb, size_t max, size_t *m)
{
	struct big *bg = xcalloc(pb->nitems + 1, sizeof(*bg));
	size_t *cand, i, n = 0;

	for (i = 0; i < pb->nitems; i++) {
		bg[n].size = bigness(pb, i);
		bg[n].i = i;
		if (bg[n].size > 0)
			n++;
	}
	array_sort(bg, n, sizeof(*bg), big_cmp);
	if (n > max)
		n = max;
	cand = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++)
		cand[i] = bg[i].i;
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
bounds_clique(const struct pack_problem *pb, struct pack_bounds *b)
{
	size_t max = (size_t)sqrt(CLIQUE_BUDGET / (double)(pb->ndims + 1));
	unsigned char *adj;
	size_t *cand, i, j, m;

	cand = clique_candidates(pb, max, &m);
	adj = xcalloc(m * m + 1, 1);
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++)
			adj[i * m + j] = adj[j * m + i] =
			    conflict(pb, cand[i], cand[j]);
	b->clique = greedy_clique(adj, m);
	if (b->clique == 0 && pb->nitems > 0)
		b->clique = 1;
	free(adj);
	free(cand);
}

void
pack_bounds_compute(const struct pack_problem *pb, struct pack_bounds *b)
{
	memset(b, 0, sizeof(*b));
	bounds_continuous(pb, b);
	bounds_l2(pb, b);
	bounds_clique(pb, b);
	b->lower = b->continuous;
	if (b->l2_max > b->lower)
		b->lower = b->l2_max;
	if (b->clique > b->lower)
		b->lower = b->clique;
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
