/*
 * config-lp.c - the configuration LP estimated by column generation with
 * greedy pricing (see config-lp.h), for bench/planetlab-run -L.
 *
 * Master: min sum x_c over the columns c (sets of items that fit one
 * host in every dimension), each item covered at least once; seeded
 * with the start plan's hosts.  Pricing, for the master's duals pi: the
 * items are taken greedily by pi_i / (mean_i + a * peak_i) (sizes
 * relative to the host, a in {0, 0.1, 0.3, 1, 3}, the keys once exact
 * and three times with 30 % noise), each added where it still fits;
 * then 1-for-1 swaps of a member for a dearer outsider.  Every set worth
 * more than 1 becomes a column.  The integer master is found by diving
 * (integer_master()); an item covered twice stays in the first chosen
 * column only, which keeps every column feasible.
 */
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "bench/config-lp.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/sort.h"
#include "common/xalloc.h"

#define TRIES 20		/* greedy orders per pricing round */
#define SWAP_PASSES 3

static const double alphas[] = { 0, 0.1, 0.3, 1, 3 };
#define NALPHA (sizeof(alphas) / sizeof(alphas[0]))

struct cg {
	const struct pack_problem *pb;
	const double *cap;
	size_t n, nd;
	double *mean, *peak;	/* per item, relative to the host */
	double *pi;		/* the master's duals */
	double *key;		/* greedy key per item */
	size_t *ord;		/* items with pi > 0, in key order */
	size_t *mem;		/* members of the set being built */
	size_t nord;
	unsigned char *in;	/* the set being built */
	double *load;		/* its load per dimension */
	int *ind;		/* GLPK scratch, n + 1 */
	double *val;
	glp_prob *lp;
	unsigned int rng;
};

static double
rand_unit(struct cg *g)
{
	g->rng = g->rng * 1103515245u + 12345u;
	return (double)((g->rng >> 8) & 0xffffff) / 16777216.0;
}

static const double *
demand_of(const struct cg *g, size_t i)
{
	return g->pb->demand + i * g->nd;
}

static bool
item_fits(const struct cg *g, size_t i)
{
	const double *d = demand_of(g, i);
	size_t k;

	for (k = 0; k < g->nd; k++)
		if (g->load[k] + d[k] > g->cap[k] * (1 + PACK_EPS))
			return false;
	return true;
}

static void
item_move(struct cg *g, size_t i, int sign)
{
	const double *d = demand_of(g, i);
	size_t k;

	for (k = 0; k < g->nd; k++)
		g->load[k] += sign * d[k];
	g->in[i] = sign > 0;
}

static void
sizes_compute(struct cg *g)
{
	size_t i, k;
	double r;

	for (i = 0; i < g->n; i++)
		for (k = 0; k < g->nd; k++) {
			r = g->cap[k] > 0 ? demand_of(g, i)[k] / g->cap[k] : 0;
			g->mean[i] += r / (double)g->nd;
			if (r > g->peak[i])
				g->peak[i] = r;
		}
}

static void
column_add(struct cg *g)
{
	int len = 0, c;
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->in[i]) {
			g->ind[++len] = (int)i + 1;
			g->val[len] = 1;
		}
	c = glp_add_cols(g->lp, 1);
	glp_set_col_bnds(g->lp, c, GLP_LO, 0, 0);
	glp_set_obj_coef(g->lp, c, 1);
	glp_set_mat_col(g->lp, c, len, g->ind, g->val);
}

static const struct cg *sort_cg;	/* for key_cmp */

static int
key_cmp(const void *a, const void *b)
{
	double ka = sort_cg->key[*(const size_t *)a];
	double kb = sort_cg->key[*(const size_t *)b];

	return ka > kb ? -1 : ka < kb;
}

/* the members of the set being built, into g->mem */
static size_t
members(struct cg *g)
{
	size_t i, m = 0;

	for (i = 0; i < g->n; i++)
		if (g->in[i])
			g->mem[m++] = i;
	return m;
}

/* 1-for-1 swaps: an outsider of larger pi for a member it can replace,
 * then the room left refilled in key order; the value gained */
static double
swaps_improve(struct cg *g)
{
	double gain = 0;
	size_t a, b, i, j, m, nm, pass;
	bool changed = true;

	for (pass = 0; pass < SWAP_PASSES && changed; pass++) {
		changed = false;
		nm = members(g);
		for (a = 0; a < g->nord; a++) {
			if (g->in[i = g->ord[a]])
				continue;
			for (m = 0; m < nm && !g->in[i]; m++) {
				j = g->mem[m];
				if (g->pi[j] >= g->pi[i])
					continue;
				item_move(g, j, -1);
				if (!item_fits(g, i)) {
					item_move(g, j, 1);
					continue;
				}
				item_move(g, i, 1);
				gain += g->pi[i] - g->pi[j];
				changed = true;
				for (b = 0; b < g->nord; b++)
					if (!g->in[g->ord[b]] &&
					    item_fits(g, g->ord[b])) {
						item_move(g, g->ord[b], 1);
						gain += g->pi[g->ord[b]];
					}
				nm = members(g);
			}
		}
	}
	return gain;
}

/* one greedy set for the duals; its value */
static double
price_greedy(struct cg *g, double alpha, double noise)
{
	double value = 0;
	size_t i, a;

	g->nord = 0;
	for (i = 0; i < g->n; i++)
		if (g->pi[i] > 1e-9) {
			g->key[i] = g->pi[i] / (g->mean[i] + alpha * g->peak[i] +
			    1e-12) * (1 + noise * (rand_unit(g) - 0.5));
			g->ord[g->nord++] = i;
		}
	sort_cg = g;
	array_sort(g->ord, g->nord, sizeof(size_t), key_cmp);
	memset(g->in, 0, g->n);
	memset(g->load, 0, g->nd * sizeof(double));
	for (a = 0; a < g->nord; a++)
		if (item_fits(g, g->ord[a])) {
			item_move(g, g->ord[a], 1);
			value += g->pi[g->ord[a]];
		}
	return value + swaps_improve(g);
}

/* a pricing round: every greedy set worth over 1 becomes a column; the
 * number added, the best value in *best */
static size_t
price_round(struct cg *g, double *best)
{
	size_t t, added = 0;
	double v;

	*best = 0;
	for (t = 0; t < TRIES; t++) {
		v = price_greedy(g, alphas[t % NALPHA], t < NALPHA ? 0 : 0.3);
		if (v > *best)
			*best = v;
		if (v > 1 + 1e-6) {
			column_add(g);
			added++;
		}
	}
	return added;
}

static void
start_columns(struct cg *g, const struct pack_solution *s)
{
	size_t b, i;

	for (b = 0; b < s->nbins; b++) {
		for (i = 0; i < g->n; i++)
			g->in[i] = s->bin_of[i] == b;
		column_add(g);
	}
}

/* the integer master's chosen columns as bins; the host-dimensions over
 * the limit when summed again */
static void
integer_plan(struct cg *g, struct config_lp *r)
{
	int c, nc = glp_get_num_cols(g->lp), len, k;
	size_t i, d;
	bool used;

	memset(g->in, 0, g->n);	/* covered already */
	r->hosts = 0;
	r->over = 0;
	for (c = 1; c <= nc; c++) {
		if (glp_get_col_prim(g->lp, c) < 0.5)
			continue;
		len = glp_get_mat_col(g->lp, c, g->ind, g->val);
		memset(g->load, 0, g->nd * sizeof(double));
		used = false;
		for (k = 1; k <= len; k++) {
			i = (size_t)g->ind[k] - 1;
			if (g->in[i])
				continue;
			for (d = 0; d < g->nd; d++)
				g->load[d] += demand_of(g, i)[d];
			g->in[i] = 1;
			used = true;
		}
		r->hosts += used;
		for (d = 0; d < g->nd; d++)
			r->over += g->load[d] > g->cap[d] * (1 + PACK_EPS);
	}
	for (i = 0; i < g->n; i++)
		if (!g->in[i])
			r->hosts = 0;	/* not a cover: no plan */
}

/* Diving: fix the column of largest fractional value to 1, solve the
 * master again, until its solution is whole (GLPK's MIP over thousands
 * of columns found no solution in 300 s here) */
static int
integer_master(struct cg *g, double ip_s, const glp_smcp *sm)
{
	double t0 = mono_now_s(), x, best;
	int c, nc = glp_get_num_cols(g->lp), pick;

	for (;;) {
		if (glp_simplex(g->lp, sm) != 0 ||
		    glp_get_status(g->lp) != GLP_OPT)
			return error_set(ERROR_MODEL, "the master LP failed "
			    "in GLPK while diving");
		pick = 0;
		best = 0;
		for (c = 1; c <= nc; c++) {
			x = glp_get_col_prim(g->lp, c);
			if (x > 1e-6 && x < 1 - 1e-6 && x > best) {
				best = x;
				pick = c;
			}
		}
		if (pick == 0)
			return 0;
		if (mono_now_s() - t0 > ip_s)
			return 1;
		glp_set_col_bnds(g->lp, pick, GLP_LO, 1, 0);
	}
}

static void
cg_init(struct cg *g, const struct pack_problem *pb)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	g->pb = pb;
	g->cap = pb->types[0].cap;
	g->n = pb->nitems;
	g->nd = pb->ndims;
	g->mean = xcalloc(g->n + 1, sizeof(double));
	g->peak = xcalloc(g->n + 1, sizeof(double));
	g->pi = xcalloc(g->n + 1, sizeof(double));
	g->key = xcalloc(g->n + 1, sizeof(double));
	g->ord = xcalloc(g->n + 1, sizeof(size_t));
	g->mem = xcalloc(g->n + 1, sizeof(size_t));
	g->in = xcalloc(g->n + 1, 1);
	g->load = xcalloc(g->nd + 1, sizeof(double));
	g->ind = xcalloc(g->n + 1, sizeof(int));
	g->val = xcalloc(g->n + 1, sizeof(double));
	g->rng = 12345;
	sizes_compute(g);
	glp_term_out(GLP_OFF);
	g->lp = glp_create_prob();
	glp_set_obj_dir(g->lp, GLP_MIN);
	glp_add_rows(g->lp, (int)g->n);
	for (i = 0; i < g->n; i++)
		glp_set_row_bnds(g->lp, (int)i + 1, GLP_LO, 1, 0);
}

static void
cg_release(struct cg *g)
{
	glp_delete_prob(g->lp);
	free(g->mean);
	free(g->peak);
	free(g->pi);
	free(g->key);
	free(g->ord);
	free(g->mem);
	free(g->in);
	free(g->load);
	free(g->ind);
	free(g->val);
}

int
config_lp_estimate(const struct pack_problem *pb,
    const struct pack_solution *start, double cg_s, double ip_s,
    struct config_lp *r)
{
	struct cg g;
	glp_smcp sm;
	double t0 = mono_now_s();
	size_t i;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	cg_init(&g, pb);
	start_columns(&g, start);
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	while (mono_now_s() - t0 < cg_s) {
		if (glp_simplex(g.lp, &sm) != 0 ||
		    glp_get_status(g.lp) != GLP_OPT) {
			ret = error_set(ERROR_MODEL, "the master LP failed in "
			    "GLPK");
			break;
		}
		r->rounds++;
		r->master = glp_get_obj_val(g.lp);
		for (i = 0; i < g.n; i++)
			g.pi[i] = glp_get_row_dual(g.lp, (int)i + 1);
		if (price_round(&g, &r->price) == 0) {
			r->converged = true;
			break;
		}
	}
	r->columns = (size_t)glp_get_num_cols(g.lp);
	if (ret == 0 && (ret = integer_master(&g, ip_s, &sm)) == 0)
		integer_plan(&g, r);
	ret = ret == 1 ? 0 : ret;	/* out of time: no plan */
	cg_release(&g);
	return ret;
}
