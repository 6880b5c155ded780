/*
 * gen-profiles.c - a made-up fleet's weekly profiles and a host catalog,
 * for bench/scale.
 *
 *   gen-profiles N profiles.csv hosts.csv
 *
 * N servers, each with 168 hour-of-week slots for CPU (CU), memory (MiB),
 * disk IOPS and network KiB/s: a daily curve (peak hour and shape drawn
 * per server; quieter weekends), sizes drawn from wide log-uniform ranges
 * (CPU peak 0.2 to 12 CU, memory 1 to 96 GiB, 5 to 4,000 IOPS, 20 to
 * 60,000 KiB/s), and a catalog of three Dell models with disk and
 * network capacities, so all four resources are planned.  A fixed-seed
 * generator: the same N gives the same files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "model/profile.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static double
u01(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static double
logu(double lo, double hi)
{
	return lo * pow(hi / lo, u01());
}

static void
one(struct profile *p, size_t i)
{
	char name[32];
	double peak[RES_N], base, phase, width, v, sum;
	size_t k;
	int r;

	snprintf(name, sizeof(name), "srv%06zu", i);
	profile_init(p, name, SLOTS_WEEK);
	peak[RES_CPU] = logu(0.2, 12);
	peak[RES_MEM] = logu(1024, 98304);
	peak[RES_DISK_IOPS] = logu(5, 4000);
	peak[RES_DISK_KIBPS] = peak[RES_DISK_IOPS] * 16;
	peak[RES_NET_KIBPS] = logu(20, 60000);
	phase = floor(u01() * 24);
	width = 2 + u01() * 6;
	base = 0.1 + 0.4 * u01();
	p->cpu_rating = ceil(peak[RES_CPU] * 2);
	p->threads = p->cpu_rating;
	p->mem_total_mib = ceil(peak[RES_MEM] * 1.5 / 1024) * 1024;
	p->nsamples = 8640;
	p->interval_s = 300;
	p->days = 30;
	p->coverage = 1;
	p->confidence = 1;
	p->percentile = 95;
	for (r = 0; r < RES_N; r++) {
		sum = 0;
		for (k = 0; k < SLOTS_WEEK; k++) {
			v = exp(-pow(fmod((double)(k % 24) - phase + 36, 24) -
			    12, 2) / (2 * width * width));
			v = base + (1 - base) * v * (k >= 120 ? 0.6 : 1);
			p->slot[r][k] = r == RES_MEM ? peak[r] * (0.7 + 0.3 *
			    v) : peak[r] * v;
			sum += p->slot[r][k];
		}
		p->stat[r].mean = sum / SLOTS_WEEK;
		p->stat[r].p50 = p->stat[r].mean;
		p->stat[r].p90 = p->stat[r].p95 = p->stat[r].p99 =
		    p->stat[r].max = p->stat[r].sized = p->stat[r].projected =
		    peak[r];
		p->stat[r].burst = peak[r] / p->stat[r].mean;
		p->stat[r].n = 8640;
	}
	p->size_vcpus = ceil(peak[RES_CPU] * 1.25);
	p->size_mem_mib = ceil(peak[RES_MEM] * 1.1 / 256) * 256;
}

static const char catalog[] =
"capplan-hosts,1\n"
"model,sockets,cores,threads,cpu_rating,mem_mib,disk_iops,disk_kibps,"
"net_kibps,rack_units,price,power_w_0,power_w_10,power_w_20,power_w_30,"
"power_w_40,power_w_50,power_w_60,power_w_70,power_w_80,power_w_90,"
"power_w_100,maint_per_year,available\n"
"Dell PowerEdge R640,2,56,112,57.599,393216,400000,6400000,3051758,1,"
"28000,55,125,151,176,202,232,261,301,357,421,469,2200,\n"
"Dell PowerEdge R740,2,56,112,57.278,786432,800000,12800000,3051758,2,"
"36000,52.3,129,147,170,195,224,255,292,344,408,457,2900,\n"
"Dell PowerEdge R940,4,112,224,115.288,1572864,1200000,19200000,6103516,"
"3,80000,106,245,292,336,383,437,502,583,694,820,915,6400,\n";

int
main(int argc, char **argv)
{
	struct profile_set ps;
	FILE *fp;
	size_t n, i;

	if (argc != 4 || (n = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: gen-profiles N profiles.csv hosts.csv\n");
		return 2;
	}
	memset(&ps, 0, sizeof(ps));
	ps.profiles = xcalloc(n, sizeof(*ps.profiles));
	ps.nprofiles = n;
	ps.percentile = 95;
	for (i = 0; i < n; i++)
		one(&ps.profiles[i], i);
	if (profile_set_write(&ps, argv[2], false) == -1) {
		fprintf(stderr, "gen-profiles: %s\n", error_last_msg());
		return 1;
	}
	profile_set_release(&ps);
	fp = fopen(argv[3], "w");
	if (fp == NULL || fputs(catalog, fp) == EOF || fclose(fp) != 0) {
		perror(argv[3]);
		return 1;
	}
	return 0;
}
