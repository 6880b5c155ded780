/*
 * quality-run.c - run every packer, the portfolio and the local search on
 * bin packing benchmark instances; bench/quality turns its lines into
 * the per-class table of bench/README.md.
 *
 *   quality-run [-j threads] [-e effort] [-t seconds] < list
 *
 * The list names one instance file per line: VPSolver ".vbp" files
 * (vector packing: d, the d capacities, the number of item types, then
 * per type its d sizes and its count) or BPPLIB ".txt" files (one
 * dimension: n, the capacity, then n weights; CRLF allowed).  For each it
 * prints one tab-separated line: the instance name (file name without
 * extension, with the directory it came from), n, d, the simple lower bound max(L1, clique
 * of items over half a capacity), the bins of every row of packers[] in
 * table order, the portfolio's bins, the bins after the local search,
 * and the milliseconds the search took.  Each instance runs on one core;
 * -j runs that many instances at once.  Every solution is checked with
 * pack_verify(); a failure stops the run.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "planner/pack_int.h"

struct inst {
	size_t n, d;
	double *demand;
	double *cap;
	struct pack_block *blocks;
};

static int
read_numbers(const char *path, double **out, size_t *n)
{
	FILE *fp = fopen(path, "r");
	size_t cap = 0;
	double v;

	*out = NULL;
	*n = 0;
	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	while (fscanf(fp, "%lf", &v) == 1) {
		ALLOC_GROW(*out, *n + 1, cap);
		(*out)[(*n)++] = v;
	}
	fclose(fp);
	return 0;
}

static int
parse(const char *path, struct inst *in)
{
	double *x;
	size_t nx, i, k, j, m, cnt, pos;
	bool vbp = strstr(path, ".vbp") != NULL;

	if (read_numbers(path, &x, &nx) == -1)
		return -1;
	memset(in, 0, sizeof(*in));
	if (vbp) {
		in->d = (size_t)x[0];
		in->cap = xmemdup(x + 1, in->d * sizeof(double));
		m = (size_t)x[1 + in->d];
		pos = 2 + in->d;
		for (i = 0; i < m; i++)
			in->n += (size_t)x[pos + i * (in->d + 1) + in->d];
		in->demand = xcalloc(in->n * in->d + 1, sizeof(double));
		for (i = 0, k = 0; i < m; i++) {
			cnt = (size_t)x[pos + i * (in->d + 1) + in->d];
			for (j = 0; j < cnt; j++, k++)
				memcpy(in->demand + k * in->d, x + pos + i *
				    (in->d + 1), in->d * sizeof(double));
		}
	} else {
		in->d = 1;
		in->n = (size_t)x[0];
		in->cap = xmemdup(x + 1, sizeof(double));
		in->demand = xmemdup(x + 2, in->n * sizeof(double));
	}
	free(x);
	in->blocks = xcalloc(in->d, sizeof(*in->blocks));
	for (k = 0; k < in->d; k++)
		in->blocks[k] = (struct pack_block){ k, 1, 0, -1 };
	return 0;
}

/* max over dimensions of ceil(sum / cap), and items over half in some
 * dimension (pairwise incompatible) */
static size_t
simple_lb(const struct inst *in)
{
	size_t i, k, big = 0, lb = 0, b;
	double s;

	for (k = 0; k < in->d; k++) {
		s = 0;
		b = 0;
		for (i = 0; i < in->n; i++) {
			s += in->demand[i * in->d + k];
			if (in->demand[i * in->d + k] * 2 > in->cap[k])
				b++;
		}
		if ((size_t)ceil(s / in->cap[k] - 1e-9) > lb)
			lb = (size_t)ceil(s / in->cap[k] - 1e-9);
		if (b > big)
			big = b;
	}
	return lb > big ? lb : big;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static uint64_t effort = 50000000;
static double time_limit = 10;

static int
run_one(const char *path, struct strbuf *out)
{
	struct inst in;
	struct pack_bintype type;
	struct pack_problem pb;
	struct pack_solution s, best;
	struct pack_options o;
	struct pack_prep *pp;
	const char *base, *dot;
	size_t k, lb;
	double t0;

	if (parse(path, &in) == -1)
		return -1;
	memset(&pb, 0, sizeof(pb));
	type = (struct pack_bintype){ .cap = in.cap, .cost = 1,
	    .available = PACK_NONE };
	pb = (struct pack_problem){ .nitems = in.n, .ndims = in.d,
	    .demand = in.demand, .blocks = in.blocks, .nblocks = in.d,
	    .types = &type, .ntypes = 1 };
	base = path;
	dot = strrchr(base, '.');
	for (k = 0; k < in.n * in.d; k++)
		if (in.demand[k] < 0) {
			/* some Caprara triplet files have negative sizes (the
			 * generator's third item C - a - b): not a packing */
			strbuf_addf(out, "%.*s\tskip: negative size\n",
			    (int)(dot ? dot - base : (long)strlen(base)), base);
			goto done;
		}
	if (pack_problem_check(&pb) == -1)
		return -1;
	lb = simple_lb(&in);
	strbuf_addf(out, "%.*s\t%zu\t%zu\t%zu", (int)(dot ? dot - base :
	    (long)strlen(base)), base, in.n, in.d, lb);
	pp = pack_prep_new(&pb);
	pack_solution_init(&best);
	for (k = 0; k < npackers; k++) {
		pack_solution_init(&s);
		if (packers[k].fn(&pb, pp, &packers[k], &s) == -1 ||
		    pack_verify(&pb, &s) == -1)
			return -1;
		strbuf_addf(out, "\t%zu", s.nbins);
		if (best.bin_of == NULL || pack_solution_better(&s, &best))
			pack_solution_copy(&best, &s);
		pack_solution_release(&s);
	}
	strbuf_addf(out, "\t%zu", best.nbins);
	pack_options_init(&o);
	o.effort = effort;
	o.time_limit_s = time_limit;
	o.lower = lb;
	t0 = now_ms();
	if (best.nbins > lb)
		pack_search(&pb, pp, &best, &o);
	if (pack_verify(&pb, &best) == -1)
		return -1;
	strbuf_addf(out, "\t%zu\t%.0f\n", best.nbins, now_ms() - t0);
	pack_solution_release(&best);
	pack_prep_free(pp);
done:
	free(in.demand);
	free(in.cap);
	free(in.blocks);
	return 0;
}

struct job {
	char **paths;
	char **lines;
	size_t n, next;
	int failed;
	pthread_mutex_t lock;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct strbuf sb;
	size_t k;

	for (;;) {
		pthread_mutex_lock(&j->lock);
		k = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (k >= j->n)
			return NULL;
		strbuf_init(&sb);
		if (run_one(j->paths[k], &sb) == -1) {
			fprintf(stderr, "quality-run: %s: %s\n", j->paths[k],
			    error_last_msg());
			j->failed = 1;
		}
		j->lines[k] = strbuf_detach(&sb);
	}
}

int
main(int argc, char **argv)
{
	struct job j;
	pthread_t tid[64];
	char line[4096];
	size_t cap = 0, k;
	int ch, nthreads = 1, t;

	while ((ch = getopt(argc, argv, "e:j:t:")) != -1) {
		switch (ch) {
		case 'e': effort = strtoull(optarg, NULL, 10); break;
		case 'j': nthreads = atoi(optarg); break;
		case 't': time_limit = atof(optarg); break;
		default:
			fprintf(stderr, "usage: quality-run [-j threads] "
			    "[-e effort] [-t seconds] < list\n");
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > 64)
		nthreads = 1;
	memset(&j, 0, sizeof(j));
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		ALLOC_GROW(j.paths, j.n + 1, cap);
		j.paths[j.n++] = xstrdup(line);
	}
	j.lines = xcalloc(j.n + 1, sizeof(char *));
	pthread_mutex_init(&j.lock, NULL);
	printf("instance\tn\td\tlb");
	for (k = 0; k < npackers; k++)
		printf("\t%s", packers[k].name);
	printf("\tportfolio\tsearch\tsearch_ms\n");
	for (t = 1; t < nthreads; t++)
		pthread_create(&tid[t], NULL, worker, &j);
	worker(&j);
	for (t = 1; t < nthreads; t++)
		pthread_join(tid[t], NULL);
	for (k = 0; k < j.n; k++) {
		fputs(j.lines[k] != NULL ? j.lines[k] : "", stdout);
		free(j.lines[k]);
		free(j.paths[k]);
	}
	free(j.lines);
	free(j.paths);
	return j.failed;
}
