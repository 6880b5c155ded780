/*
 * gen-fleet.c - write a synthetic fleet of samples files for bench/profile.
 *
 * usage: gen-fleet DIR FIRST COUNT SAMPLES [TOTAL]
 *
 * Writes DIR/srvNNNNN.samples.csv for servers FIRST .. FIRST+COUNT-1, one
 * server per file (no host column: the host is the file name), SAMPLES
 * rows of 300 s from 2026-10-01T00:00:00Z, with the demand columns a
 * collector writes: CPU (a daily cycle whose phase and size vary by
 * server, noise, a slow trend on some), CPU count, memory, disk and
 * network.  With FIRST = 0 it also writes DIR/inventory.csv for TOTAL
 * servers (default FIRST+COUNT), with CPU models from the shipped table
 * and some masked ones.  Each server's numbers come from its own fixed-seed
 * generator, so the files do not depend on how the range is split
 * between processes, and the same arguments always give the same bytes.
 * Written through common/'s samples writer, as capplan writes them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/csvio.h"
#include "common/samples.h"

#define T0_MS 1790812800000LL	/* 2026-10-01T00:00:00Z */
#define STEP_S 300

static unsigned long long rng;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

struct shape {
	double base, amp, phase, trend, mem_gib, ncpu;
};

static void
fill(struct sample *s, const struct shape *sh, long i)
{
	double day = sin(6.283185307179586 * ((double)(i % 288) / 288.0 +
	    sh->phase));
	double cpu = clamp(sh->base + sh->amp * day + 8 * uniform() +
	    sh->trend * (double)i / 8640.0, 0, 100);

	s->v[METRIC_CPU_BUSY_PCT] = round(cpu * 100) / 100;
	s->v[METRIC_NCPU_ONLINE] = sh->ncpu;
	s->v[METRIC_MEM_TOTAL_MIB] = sh->mem_gib * 1024;
	s->v[METRIC_MEM_USED_MIB] = round(sh->mem_gib * 1024 * clamp(0.3 +
	    0.004 * cpu + 0.05 * uniform(), 0, 1) * 10) / 10;
	s->v[METRIC_DISK_READ_IOPS] = round(cpu * 3 * uniform() * 100) / 100;
	s->v[METRIC_DISK_WRITE_IOPS] = round(cpu * 2 * uniform() * 100) / 100;
	s->v[METRIC_DISK_READ_KIBPS] = round(cpu * 90 * uniform() * 100) / 100;
	s->v[METRIC_DISK_WRITE_KIBPS] = round(cpu * 60 * uniform() * 100) / 100;
	s->v[METRIC_NET_RX_KIBPS] = round(cpu * 40 * uniform() * 100) / 100;
	s->v[METRIC_NET_TX_KIBPS] = round(cpu * 25 * uniform() * 100) / 100;
}

static int
write_server(const char *dir, long srv, long samples, const bool has[])
{
	char path[4096], host[32];
	struct csv_line line;
	struct sample s = { 0 };
	struct shape sh;
	FILE *fp;
	long i;
	int m;

	rng = 88172645463325252ULL ^ (unsigned long long)(srv + 1) *
	    0x9e3779b97f4a7c15ULL;
	sh.base = 5 + 40 * uniform();
	sh.amp = 25 * uniform();
	sh.phase = uniform();
	sh.trend = srv % 5 == 0 ? 10 * uniform() : 0;
	sh.ncpu = 1 << (int)(uniform() * 6);
	sh.mem_gib = 2 * sh.ncpu;
	snprintf(host, sizeof(host), "srv%05ld", srv);
	snprintf(path, sizeof(path), "%s/%s.samples.csv", dir, host);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	for (m = 0; m < METRIC_N; m++)
		s.v[m] = NAN;
	csv_line_init(&line);
	samples_write_head(&line, has, false);
	for (i = 0; i < samples; i++) {
		s.ts_ms = T0_MS + (long long)i * STEP_S * 1000;
		s.interval_s = STEP_S;
		fill(&s, &sh, i);
		samples_write_row(&line, &s, has, false);
		if (line.sb.len > 60000) {
			fwrite(line.sb.buf, 1, line.sb.len, fp);
			csv_line_reset(&line);
		}
	}
	fwrite(line.sb.buf, 1, line.sb.len, fp);
	csv_line_release(&line);
	return fclose(fp) == 0 ? 0 : -1;
}

/* one inventory row per server; every seventh CPU model is masked */
static int
write_inventory(const char *dir, long n)
{
	static const char *models[] = {
		"Intel(R) Xeon(R) CPU E5-2660 0 @ 2.20GHz",
		"Intel(R) Xeon(R) CPU E5-2699 v4 @ 2.20GHz",
		"Intel(R) Xeon(R) Platinum 8180 CPU @ 2.50GHz",
		"AMD EPYC 7742 64-Core Processor",
		"AMD Opteron(tm) Processor 6174",
		"Intel(R) Xeon(R) CPU L5520 @ 2.27GHz",
		"QEMU Virtual CPU version 2.5+",
	};
	char path[4096];
	FILE *fp;
	long i;

	snprintf(path, sizeof(path), "%s/inventory.csv", dir);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fprintf(fp, "capplan-inventory,1\nhost,cpu_model,cores,threads,"
	    "cpu_mhz,virtual\n");
	for (i = 0; i < n; i++)
		fprintf(fp, "srv%05ld,%s,%d,%d,2400,%s\n", i, models[i % 7],
		    1 << (i % 4), 2 << (i % 4), i % 3 == 0 ? "kvm" : "no");
	return fclose(fp) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	bool has[METRIC_N] = { false };
	long first, count, samples, srv, total;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: gen-fleet DIR FIRST COUNT SAMPLES "
		    "[TOTAL]\n");
		return 2;
	}
	first = atol(argv[2]);
	count = atol(argv[3]);
	samples = atol(argv[4]);
	total = argc == 6 ? atol(argv[5]) : first + count;
	has[METRIC_CPU_BUSY_PCT] = has[METRIC_NCPU_ONLINE] = true;
	has[METRIC_MEM_TOTAL_MIB] = has[METRIC_MEM_USED_MIB] = true;
	has[METRIC_DISK_READ_IOPS] = has[METRIC_DISK_WRITE_IOPS] = true;
	has[METRIC_DISK_READ_KIBPS] = has[METRIC_DISK_WRITE_KIBPS] = true;
	has[METRIC_NET_RX_KIBPS] = has[METRIC_NET_TX_KIBPS] = true;
	for (srv = first; srv < first + count; srv++)
		if (write_server(argv[1], srv, samples, has) == -1) {
			perror(argv[1]);
			return 1;
		}
	if (first == 0 && write_inventory(argv[1], total) == -1) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
