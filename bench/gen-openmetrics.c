/*
 * gen-openmetrics.c - a synthetic node_exporter fleet as OpenMetrics text,
 * for promtool tsdb create-blocks-from openmetrics (bench/prometheus).
 *
 * usage: gen-openmetrics INSTANCES START_S DAYS STEP_S FROM_S TO_S
 *
 * Every instance ("node0001:9100", job "node") has 20 series scraped every
 * STEP_S seconds from START_S for DAYS days: node_cpu_seconds_total of one
 * CPU (idle, iowait, steal, user), five node_memory_* gauges, five sda
 * disk counters, two eth0 byte counters, node_load1, node_procs_running,
 * node_uname_info and node_os_info.  CPU busy follows a daily sine whose
 * height and phase depend on the instance, so profiles differ.  Only the
 * samples with FROM_S <= t < TO_S are printed (promtool parses its input
 * once per 2-hour block it spans, so the caller asks for one block at a
 * time); counters are summed from START_S all the same.  Output ends with
 * "# EOF".
 */
#include <math.h>

#define TWO_PI 6.283185307179586
#include <stdio.h>
#include <stdlib.h>

#define NCOUNT 11

static const char *const counters[NCOUNT] = {
	"node_cpu_seconds_total{%s,cpu=\"0\",mode=\"idle\"}",
	"node_cpu_seconds_total{%s,cpu=\"0\",mode=\"iowait\"}",
	"node_cpu_seconds_total{%s,cpu=\"0\",mode=\"steal\"}",
	"node_cpu_seconds_total{%s,cpu=\"0\",mode=\"user\"}",
	"node_disk_reads_completed_total{%s,device=\"sda\"}",
	"node_disk_writes_completed_total{%s,device=\"sda\"}",
	"node_disk_read_bytes_total{%s,device=\"sda\"}",
	"node_disk_written_bytes_total{%s,device=\"sda\"}",
	"node_disk_io_time_seconds_total{%s,device=\"sda\"}",
	"node_network_receive_bytes_total{%s,device=\"eth0\"}",
	"node_network_transmit_bytes_total{%s,device=\"eth0\"}",
};

/* The rates of instance i at time t (per second). */
static void
rates(long i, double t, double r[NCOUNT])
{
	double day = TWO_PI * t / 86400.0 + (double)(i % 24) * 0.26;
	double busy = 0.05 + 0.6 * (double)(i % 10) / 10.0 *
	    (1 + sin(day)) / 2;

	r[1] = 0.01;
	r[2] = 0.002 * (double)(i % 3);
	r[3] = busy;
	r[0] = 1 - busy - r[1] - r[2];
	r[4] = 20 + 50 * busy;
	r[5] = 10 + 30 * busy;
	r[6] = r[4] * 16384;
	r[7] = r[5] * 8192;
	r[8] = 0.2 * busy;
	r[9] = 1e5 * (1 + busy);
	r[10] = 5e4 * (1 + busy);
}

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	long n, i, start, step, from, to, t, end;
	double *c, r[NCOUNT], mem_total, avail;
	char lab[64];
	int k;

	if (argc != 7) {
		fprintf(stderr, "usage: gen-openmetrics INSTANCES START_S DAYS "
		    "STEP_S FROM_S TO_S\n");
		return 2;
	}
	n = atol(argv[1]);
	start = atol(argv[2]);
	end = start + (long)(atof(argv[3]) * 86400);
	step = atol(argv[4]);
	from = atol(argv[5]);
	to = atol(argv[6]);
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	c = calloc((size_t)n * NCOUNT, sizeof(*c));
	if (c == NULL || n < 1 || step < 1)
		return 1;
	for (t = start; t < end && t < to; t += step) {
		for (i = 0; i < n; i++) {
			rates(i, (double)t, r);
			for (k = 0; k < NCOUNT; k++)
				c[i * NCOUNT + k] += r[k] * (double)step;
			if (t < from)
				continue;
			snprintf(lab, sizeof(lab), "instance=\"node%04ld:9100\","
			    "job=\"node\"", i + 1);
			for (k = 0; k < NCOUNT; k++) {
				printf(counters[k], lab);
				printf(" %.3f %ld\n", c[i * NCOUNT + k], t);
			}
			mem_total = (double)(4L << (30 + i % 4));
			avail = mem_total * (0.7 - 0.4 * r[3]);
			printf("node_memory_MemTotal_bytes{%s} %.0f %ld\n", lab,
			    mem_total, t);
			printf("node_memory_MemAvailable_bytes{%s} %.0f %ld\n",
			    lab, avail, t);
			printf("node_memory_Cached_bytes{%s} %.0f %ld\n", lab,
			    mem_total * 0.2, t);
			printf("node_memory_SwapTotal_bytes{%s} %.0f %ld\n", lab,
			    2147483648.0, t);
			printf("node_memory_SwapFree_bytes{%s} %.0f %ld\n", lab,
			    2147483648.0 - 1048576.0 * (double)(i % 5), t);
			printf("node_load1{%s} %.2f %ld\n", lab, 4 * r[3], t);
			printf("node_procs_running{%s} %ld %ld\n", lab,
			    1 + (long)(4 * r[3]), t);
			printf("node_uname_info{%s,machine=\"x86_64\","
			    "release=\"6.1.0-13-amd64\"} 1 %ld\n", lab, t);
			printf("node_os_info{%s,pretty_name=\"Debian GNU/Linux 12 "
			    "(bookworm)\"} 1 %ld\n", lab, t);
		}
	}
	printf("# EOF\n");
	free(c);
	return fflush(stdout) == 0 ? 0 : 1;
}
