/*
 * planetlab-run.c - time-aware against peak-based packing on one day of
 * the PlanetLab traces (bench/planetlab runs it on all ten days).
 *
 *   planetlab-run [-c] [-L seconds] planetlab_YYYYMMDD.csv
 *
 * The set-up is the planner issue's: each trace (one row of the matrix
 * file: a name, then 288 CPU percentages at 5-minute intervals) is one
 * server whose CPU % is its demand in units of one reference core; each
 * server also needs 2 GiB; hosts have 16 reference cores and 256 GiB;
 * 20 % of the CPU is kept free (limit 12.8 cores = 1280 %), memory has no
 * headroom.  Demand is kept in the file's integer percent units, so the
 * re-sum below is exact.
 *
 * It prints one tab-separated line: the day, servers, hosts for
 * peak-based packing (each server sized at its largest sample), plain
 * first-fit-decreasing on the full series, the portfolio, the portfolio
 * with local search, the lower bound max over slots of
 * ceil(sum of demand / usable capacity) and the planner's best bound,
 * host-slots over the limit when the raw series of each planned host
 * are summed again from the file (a second, independent parse, integer
 * arithmetic), and the seconds taken.
 *
 * With -c, CloudSim's set-up of the same traces (its PlanetLab examples,
 * the item 8): VM i has CloudSim's type i mod 4, of 2,500,
 * 2,000, 1,000 or 500 MIPS, and its demand is its CPU % of that; hosts
 * have 5,320 MIPS (an HP ProLiant G5, 2 x 2,660) and no headroom; CPU
 * alone.  Then the line also has the bounds one by one: continuous, L2,
 * dual feasible functions, clique, and the method of the best.
 *
 * With -L, a second line: the configuration LP estimated by column
 * generation from the searched plan for that many seconds, and its
 * integer master's plan (config-lp.h: an upper bound on that LP, and so
 * on any bound of its family, not a lower bound on the hosts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/config-lp.h"
#include "common/error.h"
#include "common/xalloc.h"
#include "planner/pack.h"

#define SLOTS 288
#define LIMIT_PCT 1280		/* 16 cores x 100 % x (1 - 0.20) */
#define MEM_MIB 2048
#define HOST_MEM_MIB 262144
#define CLOUDSIM_HOST_MIPS 5320	/* HP ProLiant G5: 2 cores x 2660 */

static const int cloudsim_mips[4] = { 2500, 2000, 1000, 500 };
static int cloudsim;		/* -c */

/* what server i's demand per % is: 1 (reference cores in %), or its
 * CloudSim VM's MIPS / 100 (whole) */
static int
unit_of(size_t i)
{
	return cloudsim ? cloudsim_mips[i % 4] / 100 : 1;
}

static long
limit_of(void)
{
	return cloudsim ? CLOUDSIM_HOST_MIPS : LIMIT_PCT;
}

struct day {
	size_t n;
	int *pct;		/* n x SLOTS, as in the file */
};

static int
day_read(const char *path, struct day *dy)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *p, *end;
	size_t cap = 0, len = 0, k;
	long v;

	memset(dy, 0, sizeof(*dy));
	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	if (getline(&line, &len, fp) < 0) {	/* header */
		fclose(fp);
		return error_set(ERROR_DATA, "%s: empty", path);
	}
	while (getline(&line, &len, fp) > 0) {
		p = strchr(line, ',');	/* names hold spaces, never commas */
		if (p == NULL)
			continue;
		ALLOC_GROW(dy->pct, (dy->n + 1) * SLOTS, cap);
		for (k = 0; k < SLOTS; k++) {
			v = strtol(p + 1, &end, 10);
			if (end == p + 1 || v < 0 || v > 100) {
				free(line);
				fclose(fp);
				return error_set(ERROR_DATA, "%s: row %zu slot "
				    "%zu is not a percentage", path, dy->n + 2,
				    k);
			}
			dy->pct[dy->n * SLOTS + k] = (int)v;
			p = end;
		}
		dy->n++;
	}
	free(line);
	fclose(fp);
	return 0;
}

/* the problem: CPU over `slots` dimensions (1: the peak), memory 1 */
static void
problem(const struct day *dy, size_t slots, double *demand,
    struct pack_block blk[2], double *cap, struct pack_bintype *t,
    struct pack_problem *pb)
{
	size_t i, k;
	int peak;

	for (i = 0; i < dy->n; i++) {
		peak = 0;
		for (k = 0; k < SLOTS; k++)
			if (dy->pct[i * SLOTS + k] > peak)
				peak = dy->pct[i * SLOTS + k];
		for (k = 0; k < slots; k++)
			demand[i * (slots + 1) + k] = unit_of(i) * (slots == 1 ?
			    peak : dy->pct[i * SLOTS + k]);
		demand[i * (slots + 1) + slots] = cloudsim ? 0 : MEM_MIB;
	}
	for (k = 0; k < slots; k++)
		cap[k] = (double)limit_of();
	cap[slots] = HOST_MEM_MIB;
	blk[0] = (struct pack_block){ 0, slots, 0, 0 };
	blk[1] = (struct pack_block){ slots, 1, 0, 1 };
	*t = (struct pack_bintype){ .cap = cap, .cost = 1,
	    .available = PACK_NONE };
	*pb = (struct pack_problem){ .nitems = dy->n, .ndims = slots + 1,
	    .demand = demand, .blocks = blk, .nblocks = 2, .types = t,
	    .ntypes = 1 };
}

/* host-slots whose re-summed raw CPU exceeds the limit */
static size_t
resum_over(const char *path, const struct pack_solution *s)
{
	struct day again;
	long *sum;
	size_t i, k, over = 0;

	if (day_read(path, &again) == -1 || again.n != s->nitems)
		return (size_t)-1;
	sum = xcalloc(s->nbins * SLOTS + 1, sizeof(long));
	for (i = 0; i < again.n; i++)
		for (k = 0; k < SLOTS; k++)
			sum[s->bin_of[i] * SLOTS + k] += (long)unit_of(i) *
			    again.pct[i * SLOTS + k];
	for (k = 0; k < s->nbins * SLOTS; k++)
		over += sum[k] > limit_of();
	free(sum);
	free(again.pct);
	return over;
}

static size_t
pack(const struct pack_problem *pb, const char *only, bool search,
    size_t lower, struct pack_solution *s)
{
	struct pack_options o;
	enum pack_search_end end;

	pack_options_init(&o);
	o.only = only;
	o.search = search;
	o.lower = lower;
	o.time_limit_s = 120;
	if (getenv("PLANETLAB_EFFORT") != NULL)	/* search budget, x 1e9 */
		o.effort = (uint64_t)(atof(getenv("PLANETLAB_EFFORT")) * 1e9);
	if (pack_run(pb, &o, s, &end) == -1 || pack_verify(pb, s) == -1) {
		fprintf(stderr, "planetlab-run: %s\n", error_last_msg());
		exit(1);
	}
	if (getenv("PLANETLAB_DEBUG") != NULL)
		fprintf(stderr, "%s: %zu bins, search %s\n", only ? only :
		    "portfolio", s->nbins, pack_search_end_names[end]);
	return s->nbins;
}

/* -L: the configuration LP estimated from the plan s (config-lp.h) for
 * seconds, then its integer master for half as long */
static void
config_lp_print(const struct pack_problem *pb, const struct pack_solution *s,
    double seconds)
{
	struct config_lp r;

	if (config_lp_estimate(pb, s, seconds, seconds / 2, &r) == -1) {
		fprintf(stderr, "planetlab-run: %s\n", error_last_msg());
		exit(1);
	}
	printf("config-lp\trounds %zu\tcolumns %zu\tmaster %.3f\t"
	    "best price %.4f (%s)\tinteger master %zu hosts, %zu over\n",
	    r.rounds, r.columns, r.master, r.price, r.converged ?
	    "converged" : "not converged", r.hosts, r.over);
}

int
main(int argc, char **argv)
{
	struct day dy;
	struct pack_block blk[2];
	struct pack_bintype t;
	struct pack_problem pb;
	struct pack_bounds bd;
	struct pack_solution s;
	double cap[SLOTS + 1], *demand;
	size_t peak, ffd, pf, ls, over;
	const char *base;
	double lp_s = 0;	/* -L */
	int ch;
	struct timespec t0, t1;

	while ((ch = getopt(argc, argv, "cL:")) != -1)
		switch (ch) {
		case 'c':
			cloudsim = 1;
			break;
		case 'L':
			lp_s = atof(optarg);
			break;
		default:
			argc = 0;
		}
	argv += optind;
	argc -= optind;
	if (argc != 1 || lp_s < 0) {
		fprintf(stderr, "usage: planetlab-run [-c] [-L seconds] "
		    "planetlab_DAY.csv\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (day_read(argv[0], &dy) == -1) {
		fprintf(stderr, "planetlab-run: %s\n", error_last_msg());
		return 1;
	}
	demand = xcalloc(dy.n * (SLOTS + 1) + 1, sizeof(double));
	problem(&dy, 1, demand, blk, cap, &t, &pb);
	pack_bounds_compute(&pb, &bd);
	peak = pack(&pb, NULL, true, bd.lower, &s);
	pack_solution_release(&s);
	pack_bounds_release(&bd);
	problem(&dy, SLOTS, demand, blk, cap, &t, &pb);
	pack_bounds_compute(&pb, &bd);
	ffd = pack(&pb, "ffd-l1-unit", false, 0, &s);
	pack_solution_release(&s);
	pf = pack(&pb, NULL, false, 0, &s);
	pack_solution_release(&s);
	ls = pack(&pb, NULL, true, bd.lower, &s);
	over = resum_over(argv[0], &s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	base = strrchr(argv[0], '_') != NULL ? strrchr(argv[0], '_') + 1 :
	    argv[0];
	printf("%.8s\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%.1f", base,
	    dy.n, peak, ffd, pf, ls, bd.continuous, bd.lower, over,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) * 1e-9);
	if (cloudsim)
		printf("\t%zu\t%zu\t%zu\t%s", bd.l2_max, bd.dff, bd.clique,
		    bd.method);
	printf("\n");
	if (lp_s > 0)
		config_lp_print(&pb, &s, lp_s);
	pack_solution_release(&s);
	pack_bounds_release(&bd);
	free(demand);
	free(dy.pct);
	return over == 0 ? 0 : 1;
}
