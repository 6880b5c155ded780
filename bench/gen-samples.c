/*
 * gen-samples.c - write a large synthetic samples file for benchmarks.
 *
 * usage: gen-samples MB HOSTS > file.samples.csv
 *
 * Rows rotate over HOSTS hosts (a host column), 60 s apart per host, with
 * every metric column of a capplan-collect row filled in: a daily sine
 * for CPU plus noise from a fixed-seed generator, so the same arguments
 * always give the same bytes.  Written through common/'s samples writer,
 * so the file is exactly what capplan writes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/csvio.h"
#include "common/samples.h"

static unsigned long long rng = 88172645463325252ULL;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void
fill(struct sample *s, long i, int h)
{
	double day = sin(6.283185307179586 * (double)(i % 1440) / 1440.0);
	double cpu = fmin(100.0, fmax(0.0, 30 + 20 * day + 10 * uniform() +
	    h % 7));
	int m;

	/* every column in range: percentages under 100, counts whole */
	for (m = 0; m < METRIC_N; m++) {
		s->v[m] = uniform() * fmin(1000.0, metric_table[m].max);
		if (metric_table[m].decimals == 0)
			s->v[m] = floor(s->v[m]);
	}
	s->v[METRIC_CPU_BUSY_PCT] = cpu;
	s->v[METRIC_CPU_BUSY_MAX_PCT] = fmin(100.0, cpu + 10 * uniform());
	s->v[METRIC_CPU_STEAL_PCT] = uniform();
	s->v[METRIC_CPU_IOWAIT_PCT] = 2 * uniform();
	s->v[METRIC_NCPU_ONLINE] = 8;
	s->v[METRIC_MEM_TOTAL_MIB] = 32768;
	s->v[METRIC_MEM_USED_MIB] = 8000 + 4000 * uniform();
	s->v[METRIC_MEM_USED_MAX_MIB] = 12500;
	s->v[METRIC_DISK_BUSY_PCT] = 50 * uniform();
	s->v[METRIC_PSI_CPU_SOME_PCT] = uniform();
	s->v[METRIC_PSI_MEM_SOME_PCT] = uniform();
	s->v[METRIC_PSI_IO_SOME_PCT] = uniform();
}

int
main(int argc, char **argv)
{
	struct csv_line line;
	struct sample s;
	bool has[METRIC_N];
	char host[32];
	long long limit, written = 0;
	long i = 0;
	int hosts, h, m;

	if (argc != 3) {
		fprintf(stderr, "usage: gen-samples MB HOSTS\n");
		return 2;
	}
	limit = atoll(argv[1]) * 1000000LL;
	hosts = atoi(argv[2]);
	for (m = 0; m < METRIC_N; m++)
		has[m] = true;
	csv_line_init(&line);
	samples_write_head(&line, has, true);
	for (; written < limit; i++) {
		for (h = 0; h < hosts && written < limit; h++) {
			snprintf(host, sizeof(host), "srv%04d", h);
			s.host = host;
			s.ts_ms = 1767225600000LL + i * 60000LL;
			s.interval_s = 60;
			fill(&s, i, h);
			samples_write_row(&line, &s, has, true);
			written += (long long)line.sb.len;
			fwrite(line.sb.buf, 1, line.sb.len, stdout);
			csv_line_reset(&line);
		}
	}
	csv_line_release(&line);
	return ferror(stdout) ? 1 : 0;
}
