/*
 * pack_exact.c - GLPK: the configuration LP bound and exact solutions
 * for small plans (capplan plan --exact).  The only file that includes
 * glpk.h.
 *
 * The LP bound is the Gilmore-Gomory configuration LP: one column per
 * feasible host load (pattern), every guest covered at least once, as
 * few columns as possible.  Columns come from column generation: the
 * heuristic plan's hosts and the single guests seed it; the pricing
 * problem (the pattern of largest dual value) is a 0-1 knapsack over
 * every binding dimension with the anti-affinity groups as set packing
 * rows, solved as a MIP.  Its ceiling is a lower bound that is almost
 * always the optimum (Brandao and Pedroso; section 1.5 of
 * ../shared/research/algorithms.md).  When the time runs out first,
 * Farley's bound LP / best pricing value is still valid.
 *
 * The exact solve is the assignment MIP of section 5.3 with one host
 * fewer than the heuristic used: x_ij (guest i on host j, j <= i for
 * symmetry), y_j (host j open, y_j >= y_j+1), capacity rows per binding
 * dimension, x_ij <= y_j, and anti-affinity rows.  Infeasible means the
 * heuristic was optimal; a solution improves it.  Pins, violation
 * budgets and several host types are not modelled here: such plans are
 * skipped.  A host type's available count is not needed: the MIP looks
 * for fewer hosts than the heuristic's plan, which kept to it.  A dimension whose total demand fits one host cannot bind and
 * gets no row, which on time-slot plans drops most slots.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "common/clock.h"
#include "common/error.h"
#include "common/xalloc.h"
#include "planner/pack.h"

static int
ms_left(double t0, double limit_s)
{
	double left = limit_s - (mono_now_s() - t0);

	if (left <= 0)
		return 0;
	return left > 2e6 ? 2000000000 : (int)(left * 1000) + 1;
}

static double
limit_of(const struct pack_problem *pb, size_t d)
{
	const struct pack_bintype *t = &pb->types[0];
	size_t k;

	for (k = 0; k < pb->nblocks; k++)
		if (d >= pb->blocks[k].off && d < pb->blocks[k].off +
		    pb->blocks[k].len)
			return pb->blocks[k].allowed > 0 && t->hard != NULL ?
			    t->hard[d] : t->cap[d];
	return t->cap[d];
}

/* the dimensions where the summed demand exceeds a host's limit */
static size_t *
binding_dims(const struct pack_problem *pb, size_t *n)
{
	size_t *dims = xcalloc(pb->ndims + 1, sizeof(size_t));
	size_t d, i;
	double s;

	*n = 0;
	for (d = 0; d < pb->ndims; d++) {
		s = 0;
		for (i = 0; i < pb->nitems; i++)
			s += pb->demand[i * pb->ndims + d];
		if (s > limit_of(pb, d) * (1 + PACK_EPS))
			dims[(*n)++] = d;
	}
	return dims;
}

static size_t
ngroups_of(const struct pack_problem *pb)
{
	size_t i, n = 0;

	for (i = 0; pb->group_off != NULL && i < pb->group_off[pb->nitems];
	    i++)
		if (pb->groups[i] + 1 > n)
			n = pb->groups[i] + 1;
	return n;
}

/* ------------------------------------------------------------ LP bound */

/* add a pattern column: the items with in[i] set */
static void
add_column(glp_prob *lp, const unsigned char *in, size_t n)
{
	int *ind = xcalloc(n + 1, sizeof(int));
	double *val = xcalloc(n + 1, sizeof(double));
	int col, len = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (in[i]) {
			ind[++len] = (int)i + 1;
			val[len] = 1;
		}
	col = glp_add_cols(lp, 1);
	glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
	glp_set_obj_coef(lp, col, 1);
	glp_set_mat_col(lp, col, len, ind, val);
	free(ind);
	free(val);
}

/* the pricing knapsack: max pi.z over feasible patterns */
static glp_prob *
pricing_new(const struct pack_problem *pb, const size_t *dims, size_t nd)
{
	glp_prob *mip = glp_create_prob();
	size_t n = pb->nitems, i, k, g, ng = ngroups_of(pb);
	int *ind = xcalloc(n + 1, sizeof(int));
	double *val = xcalloc(n + 1, sizeof(double));
	int len;

	glp_set_obj_dir(mip, GLP_MAX);
	glp_add_cols(mip, (int)n);
	for (i = 0; i < n; i++)
		glp_set_col_kind(mip, (int)i + 1, GLP_BV);
	for (k = 0; k < nd; k++) {
		len = 0;
		for (i = 0; i < n; i++)
			if (pb->demand[i * pb->ndims + dims[k]] > 0) {
				ind[++len] = (int)i + 1;
				val[len] = pb->demand[i * pb->ndims + dims[k]];
			}
		glp_add_rows(mip, 1);
		glp_set_row_bnds(mip, glp_get_num_rows(mip), GLP_UP, 0,
		    limit_of(pb, dims[k]) * (1 + PACK_EPS));
		glp_set_mat_row(mip, glp_get_num_rows(mip), len, ind, val);
	}
	for (g = 0; g < ng; g++) {
		len = 0;
		for (i = 0; i < n; i++)
			for (k = pb->group_off[i]; k < pb->group_off[i + 1]; k++)
				if (pb->groups[k] == g) {
					ind[++len] = (int)i + 1;
					val[len] = 1;
				}
		if (len < 2)
			continue;
		glp_add_rows(mip, 1);
		glp_set_row_bnds(mip, glp_get_num_rows(mip), GLP_UP, 0, 1);
		glp_set_mat_row(mip, glp_get_num_rows(mip), len, ind, val);
	}
	free(ind);
	free(val);
	return mip;
}

/* solve the pricing for duals pi; its value, NaN when not solved to
 * optimality; the pattern in z */
static double
pricing_solve(glp_prob *mip, const double *pi, size_t n, unsigned char *z,
    int tm_lim)
{
	glp_iocp parm;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		glp_set_obj_coef(mip, (int)i + 1, pi[i] > 0 ? pi[i] : 0);
		glp_set_col_bnds(mip, (int)i + 1, pi[i] > 1e-9 ? GLP_DB :
		    GLP_FX, 0, pi[i] > 1e-9 ? 1 : 0);
	}
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	parm.tm_lim = tm_lim;
	rc = glp_intopt(mip, &parm);
	if (rc != 0 && rc != GLP_ETMLIM)
		return NAN;
	for (i = 0; i < n; i++)
		z[i] = glp_mip_col_val(mip, (int)i + 1) > 0.5;
	if (rc != 0 || glp_mip_status(mip) != GLP_OPT)
		return -glp_mip_obj_val(mip);	/* a column, not a bound */
	return glp_mip_obj_val(mip);
}

static glp_prob *
master_new(const struct pack_problem *pb, const struct pack_solution *start)
{
	glp_prob *lp = glp_create_prob();
	unsigned char *in = xcalloc(pb->nitems + 1, 1);
	size_t b, i;

	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_rows(lp, (int)pb->nitems);
	for (i = 0; i < pb->nitems; i++)
		glp_set_row_bnds(lp, (int)i + 1, GLP_LO, 1, 0);
	for (b = 0; b < start->nbins; b++) {
		for (i = 0; i < pb->nitems; i++)
			in[i] = start->bin_of[i] == b;
		add_column(lp, in, pb->nitems);
	}
	for (i = 0; i < pb->nitems; i++) {
		memset(in, 0, pb->nitems);
		in[i] = 1;
		add_column(lp, in, pb->nitems);
	}
	free(in);
	return lp;
}

int
pack_exact_lp(const struct pack_problem *pb, const struct pack_solution *start,
    double time_limit_s, double *lp_bound)
{
	size_t nd, i, *dims = binding_dims(pb, &nd);
	double *pi = xcalloc(pb->nitems + 1, sizeof(double));
	unsigned char *z = xcalloc(pb->nitems + 1, 1);
	double t0 = mono_now_s(), obj = 0, price, best = 0;
	glp_prob *lp, *mip;
	glp_smcp sm;
	int ret = 1;

	glp_term_out(GLP_OFF);
	lp = master_new(pb, start);
	mip = pricing_new(pb, dims, nd);
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	*lp_bound = NAN;
	while (ms_left(t0, time_limit_s) > 0) {
		if (glp_simplex(lp, &sm) != 0 || glp_get_status(lp) != GLP_OPT) {
			ret = error_set(ERROR_MODEL, "the configuration LP "
			    "failed in GLPK");
			goto out;
		}
		obj = glp_get_obj_val(lp);
		for (i = 0; i < pb->nitems; i++)
			pi[i] = glp_get_row_dual(lp, (int)i + 1);
		price = pricing_solve(mip, pi, pb->nitems, z,
		    ms_left(t0, time_limit_s));
		if (isnan(price))
			break;
		if (price > 0 && obj / price > best)
			best = obj / price;	/* Farley */
		if (price > 0 && price <= 1 + 1e-7) {
			best = obj;
			ret = 0;
			break;
		}
		add_column(lp, z, pb->nitems);
	}
	*lp_bound = best > 0 ? ceil(best - 1e-6) : NAN;
out:
	glp_delete_prob(lp);
	glp_delete_prob(mip);
	free(dims);
	free(pi);
	free(z);
	return ret;
}

/* ------------------------------------------------------------ exact */

struct amodel {
	glp_prob *mip;
	size_t n, nb;		/* items, bins */
	int *xcol;		/* n x nb: column of x_ij, 0 when fixed 0 */
	int *ycol;		/* nb */
};

static void
amodel_vars(struct amodel *m)
{
	size_t i, j;
	int c;

	m->xcol = xcalloc(m->n * m->nb + 1, sizeof(int));
	m->ycol = xcalloc(m->nb + 1, sizeof(int));
	for (j = 0; j < m->nb; j++) {
		c = glp_add_cols(m->mip, 1);
		glp_set_col_kind(m->mip, c, GLP_BV);
		glp_set_obj_coef(m->mip, c, 1);
		m->ycol[j] = c;
	}
	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->nb && j <= i; j++) {
			c = glp_add_cols(m->mip, 1);
			glp_set_col_kind(m->mip, c, GLP_BV);
			m->xcol[i * m->nb + j] = c;
		}
}

/* add row sum(val x ind) in [lo, hi] (type as GLPK) */
static void
amodel_row(struct amodel *m, int type, double lo, double hi, int len,
    const int *ind, const double *val)
{
	int r = glp_add_rows(m->mip, 1);

	glp_set_row_bnds(m->mip, r, type, lo, hi);
	glp_set_mat_row(m->mip, r, len, ind, val);
}

static void
amodel_rows(struct amodel *m, const struct pack_problem *pb,
    const size_t *dims, size_t nd)
{
	size_t cap = m->n + m->nb + 2, i, j, k, g, ng = ngroups_of(pb);
	int *ind = xcalloc(cap + 1, sizeof(int)), len;
	double *val = xcalloc(cap + 1, sizeof(double));

	for (i = 0; i < m->n; i++) {		/* each guest once */
		for (len = 0, j = 0; j < m->nb; j++)
			if (m->xcol[i * m->nb + j] != 0) {
				ind[++len] = m->xcol[i * m->nb + j];
				val[len] = 1;
			}
		amodel_row(m, GLP_FX, 1, 1, len, ind, val);
	}
	for (j = 0; j < m->nb; j++) {
		for (k = 0; k < nd; k++) {	/* capacity */
			for (len = 0, i = 0; i < m->n; i++)
				if (m->xcol[i * m->nb + j] != 0 &&
				    pb->demand[i * pb->ndims + dims[k]] > 0) {
					ind[++len] = m->xcol[i * m->nb + j];
					val[len] = pb->demand[i * pb->ndims +
					    dims[k]];
				}
			ind[++len] = m->ycol[j];
			val[len] = -limit_of(pb, dims[k]) * (1 + PACK_EPS);
			amodel_row(m, GLP_UP, 0, 0, len, ind, val);
		}
		for (i = 0; i < m->n; i++)	/* x_ij <= y_j */
			if (m->xcol[i * m->nb + j] != 0) {
				ind[1] = m->xcol[i * m->nb + j];
				val[1] = 1;
				ind[2] = m->ycol[j];
				val[2] = -1;
				amodel_row(m, GLP_UP, 0, 0, 2, ind, val);
			}
		if (j + 1 < m->nb) {		/* y_j >= y_j+1 */
			ind[1] = m->ycol[j];
			val[1] = 1;
			ind[2] = m->ycol[j + 1];
			val[2] = -1;
			amodel_row(m, GLP_LO, 0, 0, 2, ind, val);
		}
		for (g = 0; g < ng; g++) {	/* anti-affinity */
			for (len = 0, i = 0; i < m->n; i++)
				for (k = pb->group_off[i];
				    k < pb->group_off[i + 1]; k++)
					if (pb->groups[k] == g &&
					    m->xcol[i * m->nb + j] != 0) {
						ind[++len] =
						    m->xcol[i * m->nb + j];
						val[len] = 1;
					}
			if (len > 1)
				amodel_row(m, GLP_UP, 0, 1, len, ind, val);
		}
	}
	free(ind);
	free(val);
}

static bool
exact_supported(const struct pack_problem *pb)
{
	size_t k;

	if (pb->npinned > 0)
		return false;
	for (k = 0; k < pb->nblocks; k++)
		if (pb->blocks[k].allowed > 0)
			return false;
	/* one host type; its available count cannot bind, as the MIP
	 * looks for fewer hosts than a plan that kept to it */
	return pb->ntypes == 1;
}

/* read the MIP's assignment into s */
static void
amodel_take(const struct amodel *m, struct pack_solution *s)
{
	size_t i, j, nb = 0, *map = xcalloc(m->nb + 1, sizeof(size_t));

	for (j = 0; j < m->nb; j++)
		map[j] = PACK_NONE;
	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->nb; j++)
			if (m->xcol[i * m->nb + j] != 0 && glp_mip_col_val(m->mip,
			    m->xcol[i * m->nb + j]) > 0.5) {
				if (map[j] == PACK_NONE)
					map[j] = nb++;
				s->bin_of[i] = map[j];
			}
	s->nbins = nb;
	s->cost = 0;
	for (j = 0; j < nb; j++) {
		s->bin_type[j] = 0;
		s->cost += 1;
	}
	free(map);
}

int
pack_exact_solve(const struct pack_problem *pb, struct pack_solution *s,
    size_t lower, double time_limit_s, bool *optimal)
{
	struct amodel m;
	glp_iocp parm;
	size_t nd, *dims;
	int rc, st, ret = 0;

	*optimal = s->nbins <= lower;
	if (*optimal || s->nbins < 2)
		return 0;
	if (!exact_supported(pb))
		return error_set(ERROR_UNSUPPORTED, "the exact solve does not "
		    "model pins, violation budgets or several host models");
	glp_term_out(GLP_OFF);
	memset(&m, 0, sizeof(m));
	m.mip = glp_create_prob();
	m.n = pb->nitems;
	m.nb = s->nbins - 1;
	glp_set_obj_dir(m.mip, GLP_MIN);
	dims = binding_dims(pb, &nd);
	amodel_vars(&m);
	amodel_rows(&m, pb, dims, nd);
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	parm.tm_lim = (int)(time_limit_s * 1000) + 1;
	rc = glp_intopt(m.mip, &parm);
	st = glp_mip_status(m.mip);
	if (st == GLP_OPT || st == GLP_FEAS)
		amodel_take(&m, s);
	if (st == GLP_NOFEAS || st == GLP_OPT)
		*optimal = true;	/* infeasible: the heuristic's count is */
	else if (rc == GLP_ETMLIM || rc == GLP_EMIPGAP)
		ret = 1;
	else if (rc != 0 && rc != GLP_ENOPFS)
		ret = error_set(ERROR_MODEL, "the assignment MIP failed in "
		    "GLPK (code %d)", rc);
	if (rc == GLP_ENOPFS)
		*optimal = true;
	glp_delete_prob(m.mip);
	free(m.xcol);
	free(m.ycol);
	free(dims);
	return ret;
}
