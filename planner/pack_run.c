/*
 * pack_run.c - the heuristics table and the portfolio that runs it.
 *
 * packers[] lists every heuristic, one row each (a new heuristic is one
 * file and one row).  pack_run() runs all of them, each in its own
 * packing state, on as many threads as the machine has cores, and keeps
 * the best result: fewest hosts, then lowest cost, then the earlier row,
 * so the choice does not depend on which thread finished first.  The
 * local search then starts from it.
 *
 * Errors are thread-local (common/error.h): a worker that fails keeps
 * its message with its result, and the first failing row's message is
 * recorded again in the calling thread when no packer succeeds.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "planner/pack_int.h"

#define ROW(n, f, sz, w, q, what) { n, f, PACK_SIZE_##sz, PACK_WEIGHT_##w, \
	q, what }

const struct packer packers[] = {
	ROW("bcs-dp1-avg", pack_dot, L1, AVG, true,
	    "bin-centric dot product, Avg weights"),
	ROW("bcs-dp1-unit", pack_dot, L1, UNIT, true,
	    "bin-centric dot product, unit weights"),
	ROW("bcs-l2-avg", pack_l2, L1, AVG, true,
	    "bin-centric norm-based greedy, Avg weights"),
	ROW("ffd-l1-unit", pack_ffd, L1, UNIT, false,
	    "first fit decreasing by sum of sizes (FFD-Sum)"),
	ROW("ffd-l1-avg", pack_ffd, L1, AVG, false,
	    "first fit decreasing by weighted sum"),
	ROW("ffd-linf-unit", pack_ffd, LINF, UNIT, false,
	    "first fit decreasing by largest size (FFD-Max)"),
	ROW("ffd-linf-avg", pack_ffd, LINF, AVG, false,
	    "first fit decreasing by largest weighted size"),
	ROW("ffd-l2-unit", pack_ffd, L2, UNIT, false,
	    "first fit decreasing by Euclidean norm"),
	ROW("ffd-l2-avg", pack_ffd, L2, AVG, false,
	    "first fit decreasing by weighted Euclidean norm"),
	ROW("bfd-l2load-avg", pack_bfd, L2, AVG, true,
	    "best fit decreasing onto the fullest host (L2 load)"),
};

const size_t npackers = sizeof(packers) / sizeof(packers[0]);

const struct packer *
packer_find(const char *name)
{
	size_t i;

	for (i = 0; i < npackers; i++)
		if (strcmp(packers[i].name, name) == 0)
			return &packers[i];
	return NULL;
}

void
pack_options_init(struct pack_options *o)
{
	memset(o, 0, sizeof(*o));
	o->search = true;
	o->time_limit_s = 60;
}

struct result {
	struct pack_solution s;
	int rc;
	char *msg;		/* the worker's error when rc is -1 */
};

struct portfolio {
	const struct pack_problem *pb;
	const struct pack_prep *pp;
	const struct packer **rows;
	struct result *res;
	size_t nrows, next, done;
	pthread_mutex_t lock;
	const struct pack_progress *prog;
};

static void
run_row(struct portfolio *pf, size_t k)
{
	struct result *r = &pf->res[k];

	pack_solution_init(&r->s);
	r->rc = pf->rows[k]->fn(pf->pb, pf->pp, pf->rows[k], &r->s);
	if (r->rc == -1)
		r->msg = xstrdup(error_last_msg());
}

static void *
worker(void *arg)
{
	struct portfolio *pf = arg;
	size_t k;

	for (;;) {
		pthread_mutex_lock(&pf->lock);
		k = pf->next++;
		pthread_mutex_unlock(&pf->lock);
		if (k >= pf->nrows)
			return NULL;
		run_row(pf, k);
		pthread_mutex_lock(&pf->lock);
		pf->done++;
		pthread_mutex_unlock(&pf->lock);
	}
}

static unsigned
threads_for(const struct pack_options *o, size_t nrows)
{
	long n = o->threads > 0 ? (long)o->threads :
	    sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if ((size_t)n > nrows)
		n = (long)nrows;
	return (unsigned)n;
}

/* the main thread works too, and reports progress between rows */
static void
portfolio_run(struct portfolio *pf, unsigned nthreads)
{
	pthread_t *tid = xcalloc(nthreads, sizeof(*tid));
	bool *started = xcalloc(nthreads, sizeof(*started));
	unsigned t;
	size_t k;

	/* a thread that cannot start leaves its share to the others */
	for (t = 1; t < nthreads; t++)
		started[t] = pthread_create(&tid[t], NULL, worker, pf) == 0;
	for (;;) {
		pthread_mutex_lock(&pf->lock);
		k = pf->next++;
		pthread_mutex_unlock(&pf->lock);
		if (k >= pf->nrows)
			break;
		run_row(pf, k);
		pthread_mutex_lock(&pf->lock);
		pf->done++;
		pthread_mutex_unlock(&pf->lock);
		if (pf->prog != NULL && pf->prog->fn != NULL)
			pf->prog->fn(pf->prog->ctx, 0.5 * (double)pf->done /
			    (double)pf->nrows);
	}
	for (t = 1; t < nthreads; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
	free(started);
	free(tid);
}

/* the best result into s; -1 with the first error when all failed */
static int
portfolio_pick(struct portfolio *pf, struct pack_solution *s)
{
	size_t k, best = PACK_NONE;

	for (k = 0; k < pf->nrows; k++)
		if (pf->res[k].rc == 0 && (best == PACK_NONE ||
		    pack_solution_better(&pf->res[k].s, &pf->res[best].s)))
			best = k;
	if (best == PACK_NONE)
		return error_set(ERROR_DATA, "%s", pf->res[0].msg);
	pack_solution_copy(s, &pf->res[best].s);
	return 0;
}

static int
portfolio(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct pack_options *o, struct pack_solution *s)
{
	struct portfolio pf;
	size_t k;
	int ret;

	memset(&pf, 0, sizeof(pf));
	pf.pb = pb;
	pf.pp = pp;
	pf.prog = &o->progress;
	pf.rows = xcalloc(npackers, sizeof(*pf.rows));
	for (k = 0; k < npackers; k++)
		if (o->only == NULL || strcmp(o->only, packers[k].name) == 0)
			pf.rows[pf.nrows++] = &packers[k];
	if (pf.nrows == 0) {
		free(pf.rows);
		return error_set(ERROR_USAGE, "unknown packer '%s'", o->only);
	}
	pf.res = xcalloc(pf.nrows, sizeof(*pf.res));
	pthread_mutex_init(&pf.lock, NULL);
	portfolio_run(&pf, threads_for(o, pf.nrows));
	pthread_mutex_destroy(&pf.lock);
	ret = portfolio_pick(&pf, s);
	for (k = 0; k < pf.nrows; k++) {
		pack_solution_release(&pf.res[k].s);
		free(pf.res[k].msg);
	}
	free(pf.res);
	free(pf.rows);
	return ret;
}

int
pack_run(const struct pack_problem *pb, const struct pack_options *o,
    struct pack_solution *s, enum pack_search_end *end)
{
	struct pack_prep *pp;
	enum pack_search_end e = SEARCH_OFF;
	int ret = -1;

	pack_solution_init(s);
	if (pack_problem_check(pb) == -1)
		return -1;
	pp = pack_prep_new(pb);
	if (portfolio(pb, pp, o, s) == -1)
		goto out;
	if (o->search && s->nbins > o->lower)
		e = pack_search(pb, pp, s, o);
	else if (o->search)
		e = SEARCH_CONVERGED;
	ret = 0;
out:
	if (end != NULL)
		*end = e;
	pack_prep_free(pp);
	return ret;
}
