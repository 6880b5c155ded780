/*
 * test_collector.c - the collector's sources, sampler and inventory on
 * small fake trees written by each test, with made-up clock readings.
 *
 * The golden tests (000-049) replay whole scenarios; these pin the rules
 * one at a time: what busy means, what a reset is, when a row ends.
 * Each tree is written under $TMPDIR and read through the real probe.
 */
#include "testlib.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "collector/cmath.h"
#include "collector/probe.h"
#include "collector/sampler.h"
#include "collector/source.h"
#include "collector/src_inv.h"
#include "common/error.h"
#include "common/strbuf.h"

static char root[256];

/* mkdir -p the directories of path */
static void
mkdirs(char *path)
{
	char *s;

	for (s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
}

/* Write text to root/rel. */
static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdirs(path);
	fp = fopen(path, "w");
	if (fp == NULL)
		fail_msg("cannot write %s", path);
	fputs(text, fp);
	fclose(fp);
}

static void
rm_rel(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static int
setup(void **state)
{
	static int n;
	const char *dir = getenv("TMPDIR");

	(void)state;
	snprintf(root, sizeof(root), "%s/collector-%ld-%d",
	    dir != NULL ? dir : "/tmp", (long)getpid(), n++);
	mkdir(root, 0755);
	put("proc/meminfo", "MemTotal: 1048576 kB\nMemAvailable: 524288 kB\n"
	    "Cached: 1024 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
	put("proc/vmstat", "pswpin 0\npswpout 0\npgmajfault 0\n");
	put("proc/diskstats", "");
	put("proc/net/dev", "h1\nh2\n");
	return 0;
}

/* /proc/stat with two CPUs: busy (user), idle, steal and guest each */
static void
put_stat(unsigned u0, unsigned i0, unsigned u1, unsigned i1, unsigned steal,
    unsigned guest)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "cpu  0 0 0 0\n"
	    "cpu0 %u 0 0 %u 0 0 0 %u %u 0\ncpu1 %u 0 0 %u 0 0 0 %u %u 0\n"
	    "intr 1 2 3\nprocs_running 2\n", u0, i0, steal, guest, u1, i1,
	    steal, guest);
	put("proc/stat", buf);
}

static struct clocks
at(double real, double mono)
{
	struct clocks t = { mono, mono, real, false };

	return t;
}

#define T0 1795687200.0		/* 2026-11-26T10:00:00Z */

static struct sampler *
new_sampler(struct probe *p, int interval, int sub, bool once)
{
	struct sampler_cfg cfg = { 0 };

	cfg.interval_s = interval;
	cfg.sub_s = sub;
	cfg.once = once;
	probe_init(p, root, false);
	return sampler_new(&cfg, p);
}

/* ------------------------------------------------------------------ cpu */

static void
test_busy_excludes_guest_and_steal_from_busy(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct row row = { 0 };
	struct clocks t = at(T0, 100);

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	/* each CPU: 1500 user (of which 1000 guest), 900 idle, 600 steal */
	put_stat(1500, 900, 1500, 900, 600, 1000);
	t = at(T0 + 30, 130);
	assert_int_equal(sampler_tick(s, &t, &row), 0);
	put_stat(3000, 1800, 3000, 1800, 1200, 2000);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_near(row.v[METRIC_CPU_BUSY_PCT], 50.0, 1e-9);
	assert_near(row.v[METRIC_CPU_STEAL_PCT], 20.0, 1e-9);
	assert_near(row.v[METRIC_NCPU_ONLINE], 2, 0);
	assert_near(row.v[METRIC_PROCS_RUNNING], 2, 0);
	assert_true(isnan(row.v[METRIC_LOAD1]));	/* no /proc/loadavg */
	assert_int_equal(row.ts_ms, (int64_t)T0 * 1000);
	assert_near(row.interval_s, 60.0, 1e-9);
	assert_true(row.flags & FLAG_START);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

/* nice, system, irq and softirq are busy time as much as user: one CPU,
 * each of the five 300 jiffies a sub-sample and 1500 idle, is 50 % */
static void
test_irq_softirq_nice_system_are_busy(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct row row = { 0 };
	struct clocks t = at(T0, 100);
	char buf[256];
	unsigned k, v;

	(void)state;
	for (k = 0; k <= 2; k++) {
		v = 300 * k;
		snprintf(buf, sizeof(buf), "cpu  0 0 0 0\n"
		    "cpu0 %u %u %u %u 0 %u %u 0 0 0\nprocs_running 1\n",
		    v, v, v, 5 * v, v, v);
		put("proc/stat", buf);
		t = at(T0 + 30 * k, 100 + 30 * k);
		if (k == 0)
			assert_int_equal(sampler_start(s, &t), 0);
		else
			assert_int_equal(sampler_tick(s, &t, &row), k == 2);
	}
	assert_near(row.v[METRIC_CPU_BUSY_PCT], 50.0, 1e-9);
	assert_near(row.v[METRIC_CPU_BUSY_MAX_PCT], 50.0, 1e-9);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
test_cpu_field_going_back_is_clamped(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct row row = { 0 };
	struct clocks t = at(T0, 100);

	(void)state;
	put_stat(1000, 5000, 1000, 5000, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	/* cpu1's idle steps back by 100 (NO_HZ): counted as 0, not -100 */
	put_stat(1600, 7400, 1600, 4900, 0, 0);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	/* busy 1200 of 1200 + 2400 */
	assert_near(row.v[METRIC_CPU_BUSY_PCT], 100.0 * 1200 / 3600, 1e-9);
	assert_near(row.v[METRIC_CPU_CORE_BUSY_MAX_PCT], 100.0, 1e-9);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
test_no_cpu_lines_fails_start(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);

	(void)state;
	put("proc/stat", "cpu  1 2 3 4\nintr 0\n");
	assert_int_equal(sampler_start(s, &t), -1);
	assert_non_null(strstr(error_last_msg(), "no cpuN lines"));
	sampler_free(s);
	probe_release(&p);
}

/* ------------------------------------------------------ row boundaries */

/* Run ticks every sub seconds from real r0 (mono from 100) to r1; the
 * rows' ts and intervals are appended to out as "ts/interval;" pairs. */
static void
run_ticks(struct sampler *s, double r0, double r1, double sub, char *out,
    size_t size)
{
	struct row row = { 0 };
	struct clocks t;
	double r;
	size_t n;

	for (r = r0 + sub; r <= r1 + 1e-9; r += sub) {
		put_stat((unsigned)(r - r0) * 10, (unsigned)(r - r0) * 90, 0,
		    (unsigned)(r - r0) * 100, 0, 0);
		t = at(r, 100 + r - r0);
		if (sampler_tick(s, &t, &row) == 1) {
			n = strlen(out);
			snprintf(out + n, size - n, "%lld/%g;",
			    (long long)(row.ts_ms / 1000 - (int64_t)T0),
			    row.interval_s);
		}
	}
	row_release(&row);
}

static void
test_first_row_shorter_than_half_merges(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 5, false);
	struct clocks t = at(T0 + 40, 100);
	char out[256] = "";

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	/* start 20 s before a boundary: the first row runs to the next */
	run_ticks(s, T0 + 40, T0 + 180, 5, out, sizeof(out));
	assert_string_equal(out, "40/80;120/60;");
	sampler_free(s);
	probe_release(&p);
}

static void
test_first_row_of_half_an_interval_stands(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 5, false);
	struct clocks t = at(T0 + 30, 100);
	char out[256] = "";

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	run_ticks(s, T0 + 30, T0 + 120, 5, out, sizeof(out));
	assert_string_equal(out, "30/30;60/60;");
	sampler_free(s);
	probe_release(&p);
}

static void
test_once_row_is_unaligned_with_milliseconds(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 10, 5, true);
	struct clocks t = at(T0 + 7.25, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	t = at(T0 + 12.25, 105);
	assert_int_equal(sampler_tick(s, &t, &row), 0);
	t = at(T0 + 17.25, 110);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_int_equal(row.ts_ms, (int64_t)T0 * 1000 + 7250);
	assert_near(row.interval_s, 10.0, 1e-9);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
test_finish_writes_partial_row_of_a_second_or_more(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 5, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	t = at(T0 + 0.5, 100.5);
	assert_int_equal(sampler_finish(s, &t, &row), 0);	/* < 1 s */
	t = at(T0 + 12, 112);
	put_stat(100, 100, 100, 100, 0, 0);
	assert_int_equal(sampler_finish(s, &t, &row), 1);
	assert_true(row.flags & FLAG_PARTIAL);
	assert_near(row.interval_s, 12.0, 1e-9);
	assert_near(row.v[METRIC_CPU_BUSY_PCT], 50.0, 1e-9);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
test_time_not_advancing_is_an_error(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 5, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	assert_int_equal(sampler_tick(s, &t, &row), -1);
	assert_non_null(strstr(error_last_msg(), "is not after"));
	sampler_free(s);
	probe_release(&p);
}

static void
test_clock_set_ends_the_row_at_the_next_tick(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 5, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	/* a step of 0.5 s is too small to see by comparing clocks */
	sampler_clock_stepped(s);
	t = at(T0 + 5.5, 105);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_true(row.flags & FLAG_CLOCK_STEP);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

/*
 * A tick under a millisecond after the row began (two clock steps in a
 * row, the realigned tick next to a boundary) would write interval_s
 * 0.000, which no reader takes: the row ends at the next tick instead.
 */
static void
test_clock_set_never_ends_a_row_under_a_millisecond(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 5, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	assert_int_equal(sampler_start(s, &t), 0);
	sampler_clock_stepped(s);
	t = at(T0 + 0.0004, 100.0004);
	assert_int_equal(sampler_tick(s, &t, &row), 0);
	t = at(T0 + 5, 105);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_true(row.flags & FLAG_CLOCK_STEP);
	assert_true(samples_interval_ok(row.interval_s));
	assert_true(fabs(row.interval_s - 5.0) < 1e-6);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

/* ------------------------------------------------------- memory, psi */

static void
test_no_memavailable_leaves_used_empty(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	put("proc/meminfo", "MemTotal: 2097152 kB\nMemFree: 1024 kB\n"
	    "Cached: 10240 kB\nSwapTotal: 1024 kB\nSwapFree: 0 kB\n");
	assert_int_equal(sampler_start(s, &t), 0);
	put_stat(10, 10, 10, 10, 0, 0);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_true(isnan(row.v[METRIC_MEM_USED_MIB]));
	assert_true(isnan(row.v[METRIC_MEM_USED_MAX_MIB]));
	assert_near(row.v[METRIC_MEM_TOTAL_MIB], 2048.0, 1e-9);
	assert_near(row.v[METRIC_MEM_CACHE_MIB], 10.0, 1e-9);
	assert_near(row.v[METRIC_SWAP_USED_MIB], 1.0, 1e-9);
	assert_true(row.flags & FLAG_MEM_NO_AVAIL);
	assert_true(row.flags & FLAG_PSI_NA);	/* no /proc/pressure */
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
test_psi_percent_from_total_delta(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	put("proc/pressure/cpu", "some avg10=99.00 avg60=0 avg300=0 total=1000\n");
	put("proc/pressure/memory", "some avg10=0 avg60=0 avg300=0 total=5\n"
	    "full avg10=0 avg60=0 avg300=0 total=0\n");
	put("proc/pressure/io", "some avg10=0 avg60=0 avg300=0 total=900\n");
	assert_int_equal(sampler_start(s, &t), 0);
	put_stat(10, 10, 10, 10, 0, 0);
	/* cpu: 6 s stalled of 60; io: went back (a reset) */
	put("proc/pressure/cpu", "some avg10=0 avg60=0 avg300=0 total=6001000\n");
	put("proc/pressure/io", "some avg10=0 avg60=0 avg300=0 total=10\n");
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_near(row.v[METRIC_PSI_CPU_SOME_PCT], 10.0, 1e-9);
	assert_near(row.v[METRIC_PSI_MEM_SOME_PCT], 0.0, 1e-9);
	assert_true(isnan(row.v[METRIC_PSI_IO_SOME_PCT]));
	assert_true(row.flags & FLAG_COUNTER_RESET);
	assert_false(row.flags & FLAG_PSI_NA);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

/* ------------------------------------------------------------- devices */

static void
disk_line(char *buf, size_t size, unsigned long long rd, unsigned long long io)
{
	snprintf(buf, size, "   8 0 sda %llu 0 %llu 0 0 0 0 0 0 %llu 0\n"
	    "   8 1 sda1 %llu 0 %llu 0 0 0 0 0 0 %llu 0\n", rd, rd * 8, io, rd,
	    rd * 8, io);
}

static void
test_disk_time_field_wrap_is_not_a_reset(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };
	char buf[256];

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	put("sys/block/sda/device/uevent", "DRIVER=sd\n");
	/* io_ms is 32-bit in the kernel: 4294967000 + 6296 wraps to 6000 */
	disk_line(buf, sizeof(buf), 100, 4294967000ULL);
	put("proc/diskstats", buf);
	assert_int_equal(sampler_start(s, &t), 0);
	disk_line(buf, sizeof(buf), 700, 6000);
	put("proc/diskstats", buf);
	put_stat(10, 10, 10, 10, 0, 0);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_false(row.flags & FLAG_COUNTER_RESET);
	assert_near(row.v[METRIC_DISK_READ_IOPS], 10.0, 1e-9);	/* sda only */
	assert_near(row.v[METRIC_DISK_READ_KIBPS], 40.0, 1e-9);
	assert_near(row.v[METRIC_DISK_BUSY_PCT], 100.0 * 6296 / 60000, 1e-9);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
test_disk_count_going_back_is_a_reset(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };
	char buf[256];

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	put("sys/block/sda/device/uevent", "DRIVER=sd\n");
	disk_line(buf, sizeof(buf), 5000, 100);
	put("proc/diskstats", buf);
	assert_int_equal(sampler_start(s, &t), 0);
	/* the device came back from a reload: reads 5000 -> 6000 in 60 s
	 * would look plausible from the row's two ends, but the counter
	 * went back in between */
	disk_line(buf, sizeof(buf), 10, 100);
	put("proc/diskstats", buf);
	put_stat(10, 10, 10, 10, 0, 0);
	t = at(T0 + 30, 130);
	assert_int_equal(sampler_tick(s, &t, &row), 0);
	disk_line(buf, sizeof(buf), 6000, 200);
	put("proc/diskstats", buf);
	put_stat(20, 20, 20, 20, 0, 0);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_true(row.flags & FLAG_COUNTER_RESET);
	assert_true(isnan(row.v[METRIC_DISK_READ_IOPS]));
	/* the sub-sample after the reset is fine: its peak stands */
	assert_near(row.v[METRIC_DISK_IOPS_MAX], 5990.0 / 30, 1e-9);
	assert_int_equal(row.ndisk, 1);
	assert_true(isnan(row.disk[0].v[DISK_READ_IOPS]));
	assert_true(row.disk[0].flags & FLAG_COUNTER_RESET);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

static void
net_line(char *buf, size_t size, unsigned long long rx)
{
	snprintf(buf, size, "h1\nh2\n  eth0: %llu 10 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	    "    lo: %llu 10 0 0 0 0 0 0 %llu 10 0 0 0 0 0 0\n", rx, rx, rx);
}

static void
test_net_32bit_wrap_needs_a_link_speed(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };
	char buf[256];

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	put("sys/class/net/eth0/device/uevent", "DRIVER=e1000\n");
	put("sys/class/net/eth0/speed", "1000\n");
	/* a driver with 32-bit counters wraps: 2^32 - 1024 + 62464 */
	net_line(buf, sizeof(buf), 4294966272ULL);
	put("proc/net/dev", buf);
	assert_int_equal(sampler_start(s, &t), 0);
	net_line(buf, sizeof(buf), 60416);
	put("proc/net/dev", buf);
	put_stat(10, 10, 10, 10, 0, 0);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_false(row.flags & FLAG_COUNTER_RESET);
	assert_near(row.v[METRIC_NET_RX_KIBPS], 61440.0 / 1024 / 60, 1e-9);
	assert_near(row.v[METRIC_NET_TX_KIBPS], 0.0, 1e-9);	/* lo not */
	row_release(&row);
	sampler_free(s);
	probe_release(&p);

	/* the same numbers without a known speed: a reset, cells empty */
	rm_rel("sys/class/net/eth0/speed");
	s = new_sampler(&p, 60, 30, false);
	t = at(T0, 100);
	net_line(buf, sizeof(buf), 4294966272ULL);
	put("proc/net/dev", buf);
	assert_int_equal(sampler_start(s, &t), 0);
	net_line(buf, sizeof(buf), 60416);
	put("proc/net/dev", buf);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_true(row.flags & FLAG_COUNTER_RESET);
	assert_true(isnan(row.v[METRIC_NET_RX_KIBPS]));
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

/* ----------------------------------------------------------- inventory */

static void
test_cpu_model_masked(void **state)
{
	(void)state;
	assert_true(cpu_model_masked("QEMU Virtual CPU version 2.5+"));
	assert_true(cpu_model_masked("Intel(R) Xeon(R) Processor"));
	assert_true(cpu_model_masked("AMD EPYC"));
	assert_true(cpu_model_masked("Intel Core Processor (Skylake, IBRS)"));
	assert_true(cpu_model_masked("Common KVM processor"));
	assert_false(cpu_model_masked("Intel(R) Xeon(R) Gold 6130 CPU @ "
	    "2.10GHz"));
	assert_false(cpu_model_masked("AMD EPYC 7763 64-Core Processor"));
	assert_false(cpu_model_masked("Intel(R) Xeon(R) CPU E5-2680 v4 @ "
	    "2.40GHz"));
	assert_false(cpu_model_masked(""));
}

/* A CPU list that is not the kernel's ascending one counts no thread
 * from it: cpuinfo's processors are counted instead.  fuzz_proc found
 * 18446744073709551615 wrapping the range loop until memory ran out. */
static void
test_inventory_cpu_list_not_a_list(void **state)
{
	static const struct {
		const char *online;
		double threads;
	} cases[] = {
		{ "0-5\n", 6 },
		{ "0,2,4-5\n", 4 },
		{ "0,0,0,0\n", 3 },
		{ "4-7,0-3\n", 3 },
		{ "3-1\n", 3 },
		{ "0-1,x\n", 3 },
		{ "0-1,\n", 3 },
		{ "0-\n", 3 },
		{ "65536\n", 3 },
		{ "0-18446744073709551615\n", 3 },
		{ "18446744073709551615\n", 3 },
	};
	struct strbuf notes = STRBUF_INIT;
	struct server_inv *inv;
	struct probe p;
	size_t k;

	(void)state;
	put("proc/cpuinfo", "processor\t: 0\n\nprocessor\t: 1\n\n"
	    "processor\t: 2\n\n");
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		put("sys/devices/system/cpu/online", cases[k].online);
		probe_init(&p, root, false);
		strbuf_reset(&notes);
		inv = inv_collect(&p, &notes);
		if (inv->threads != cases[k].threads)
			fail_msg("online '%s': %g threads, want %g",
			    cases[k].online, inv->threads, cases[k].threads);
		/* a fallback is said, naming the file; a list is not */
		if ((cases[k].threads == 3) != (strncmp(notes.buf,
		    "sys/devices/system/cpu/online: not a CPU list (\"",
		    48) == 0 && strstr(notes.buf, "; threads counted from "
		    "proc/cpuinfo's processors") != NULL))
			fail_msg("online '%s': note '%s'", cases[k].online,
			    notes.buf);
		inv_free(inv);
		probe_release(&p);
	}
	strbuf_release(&notes);
}

/* the note quotes a bad list printable and short, whatever the file */
static void
test_inventory_cpu_list_note_is_printable(void **state)
{
	struct strbuf notes = STRBUF_INIT;
	struct server_inv *inv;
	struct probe p;

	(void)state;
	put("proc/cpuinfo", "processor\t: 0\n\n");
	put("sys/devices/system/cpu/online", "0-1,\033[2J\xff"
	    "0123456789012345678901234567890123456789\n");
	probe_init(&p, root, false);
	inv = inv_collect(&p, &notes);
	assert_string_equal(notes.buf, "sys/devices/system/cpu/online: not a "
	    "CPU list (\"0-1,?[2J?0123456789012345678901234567890...\"); "
	    "threads counted from proc/cpuinfo's processors");
	assert_true(inv->threads == 1);
	inv_free(inv);
	probe_release(&p);
	strbuf_release(&notes);
}

static void
test_inventory_topology_and_clock(void **state)
{
	struct server_inv *inv;
	struct probe p;
	char rel[128];
	int c;

	(void)state;
	put("proc/sys/kernel/hostname", "web01\n");
	put("proc/cpuinfo", "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) "
	    "Gold 6130 CPU\ncpu MHz\t\t: 999.999\nflags\t\t: fpu sse\n\n");
	put("sys/devices/system/cpu/online", "0-3,6-7\n");
	/* 2 sockets x 2 cores x 2 threads, cpu4-5 offline */
	for (c = 0; c < 8; c++) {
		snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/"
		    "topology/physical_package_id", c);
		put(rel, c % 4 < 2 ? "0\n" : "1\n");
		snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/"
		    "topology/core_id", c);
		put(rel, c % 2 ? "1\n" : "0\n");
	}
	put("sys/devices/system/cpu/cpu0/cpufreq/base_frequency", "2100000\n");
	put("sys/class/dmi/id/sys_vendor", "VMware, Inc.\n");
	put("run/.containerenv", "");
	put("sys/block/nvme0n1/size", "2000409264\n");
	put("sys/block/nvme0n1/queue/rotational", "0\n");
	put("sys/block/nvme0n1/device/uevent", "x\n");
	put("sys/block/dm-0/size", "1000\n");
	put("sys/class/net/eno1/device/uevent", "x\n");
	put("sys/class/net/eno1/speed", "25000\n");
	put("sys/class/net/eno2/device/uevent", "x\n");
	put("sys/class/net/eno2/speed", "-1\n");
	put("sys/class/net/br0/mtu", "1500\n");
	probe_init(&p, root, false);
	inv = inv_collect(&p, NULL);
	assert_string_equal(inv->host, "web01");
	assert_near(inv->threads, 6, 0);
	assert_near(inv->sockets, 2, 0);
	assert_near(inv->cores, 4, 0);
	assert_near(inv->cpu_mhz, 2100, 0);	/* base, not the current */
	assert_int_equal(inv->cpu_masked, 0);
	assert_near(inv->mem_mib, 1024, 0);
	assert_string_equal(inv->virtual, "vmware");
	assert_string_equal(inv->container, "podman");
	assert_near(inv->disk_count, 1, 0);
	assert_near(inv->disk_gib, 953.9, 1e-9);
	assert_int_equal(inv->disk_rotational, 0);
	assert_string_equal(inv->disk_list, "nvme0n1:953.9:ssd");
	assert_near(inv->nics, 2, 0);
	assert_near(inv->nic_mbps, 25000, 0);
	assert_string_equal(inv->nic_list, "eno1:25000;eno2:");
	assert_string_equal(inv->os, "");
	inv_free(inv);
	probe_release(&p);
}

static void
test_inventory_of_an_empty_tree_is_unknown(void **state)
{
	struct server_inv *inv;
	struct probe p;

	(void)state;
	probe_init(&p, root, false);
	inv = inv_collect(&p, NULL);
	assert_string_equal(inv->host, "localhost");
	assert_string_equal(inv->cpu_model, "");
	assert_int_equal(inv->cpu_masked, -1);
	assert_true(isnan(inv->threads));
	assert_true(isnan(inv->sockets));
	assert_string_equal(inv->virtual, "no");
	assert_string_equal(inv->container, "no");
	assert_near(inv->disk_count, 0, 0);
	assert_true(isnan(inv->disk_gib));
	inv_free(inv);
	probe_release(&p);
}

/* disk_used_gib: disk file systems once per device, from the tree's
 * statvfs stand-in; one unmeasured makes it unknown; none at all too */
static void
test_inventory_disk_used(void **state)
{
	struct server_inv *inv;
	struct probe p;

	(void)state;
	put("proc/self/mounts", "proc /proc proc rw 0 0\n"
	    "/dev/sda1 / ext4 rw 0 0\n"
	    "/dev/sda1 /srv/bind ext4 rw 0 0\n"
	    "rpool/home /home zfs rw 0 0\n"
	    "/dev/loop3 /snap/x squashfs ro 0 0\n"
	    "/dev/loop4 /img ext4 ro 0 0\n"
	    "tmpfs /run tmpfs rw 0 0\n");
	put("statvfs", "/ 4096 2621440 1310720\n"
	    "/srv/bind 4096 2621440 1310720\n"
	    "/home 1024 1048576 0\n");
	probe_init(&p, root, false);
	inv = inv_collect(&p, NULL);
	/* 5 GiB on / (once), 1 GiB on /home */
	assert_near(inv->disk_used_gib, 6.0, 1e-9);
	inv_free(inv);
	put("proc/self/mounts", "/dev/sda1 / ext4 rw 0 0\n"
	    "/dev/sdb1 /data xfs rw 0 0\n");
	inv = inv_collect(&p, NULL);
	assert_true(isnan(inv->disk_used_gib));
	inv_free(inv);
	put("proc/self/mounts", "tmpfs /run tmpfs rw 0 0\n");
	inv = inv_collect(&p, NULL);
	assert_true(isnan(inv->disk_used_gib));
	inv_free(inv);
	probe_release(&p);
}

/* under the real root the mount point is asked of statvfs(3), its
 * \040 undone */
static void
test_fs_used_live_unescapes(void **state)
{
	char dir[600], esc[700], *s, *e;
	struct statvfs sv;
	struct probe p;
	double used;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/my data", root);
	mkdir(dir, 0755);
	for (s = dir, e = esc; *s != '\0'; s++)
		e += *s == ' ' ? sprintf(e, "\\040") : sprintf(e, "%c", *s);
	assert_int_equal(statvfs(dir, &sv), 0);
	probe_init(&p, "/", false);
	assert_int_equal(probe_fs_used(&p, esc, &used), 0);
	assert_true(used >= 0);
	/* the same file system, measured a moment apart */
	assert_near(used, (double)(sv.f_blocks - sv.f_bfree) *
	    (double)sv.f_frsize, 1e9);
	assert_int_equal(probe_fs_used(&p, "/no/such\\040dir", &used), -1);
	probe_release(&p);
}

static void
test_scan_u64_refuses_overflow(void **state)
{
	const char *s = " 18446744073709551615 x", *t = "18446744073709551616";
	uint64_t v;

	(void)state;
	assert_true(scan_u64(&s, &v));
	assert_true(v == UINT64_MAX);
	assert_string_equal(s, " x");
	assert_false(scan_u64(&s, &v));
	assert_false(scan_u64(&t, &v));
}

/*
 * A cell capplan would refuse is no measurement: a load of 6.7e52 and a
 * MemTotal of 5e50 kB (which no kernel writes) leave their cells empty
 * and flag the row read_error, so capplan-collect never writes a row
 * capplan refuses; the inventory leaves such a number unknown (found by
 * tests/fuzz/fuzz_proc.c).
 */
static void
test_impossible_values_are_no_measurement(void **state)
{
	struct probe p;
	struct sampler *s = new_sampler(&p, 60, 30, false);
	struct clocks t = at(T0, 100);
	struct row row = { 0 };
	struct server_inv *inv;

	(void)state;
	put_stat(0, 0, 0, 0, 0, 0);
	put("proc/loadavg", "6.66667e+52 0.50 0.25 1/100 4242\n");
	assert_int_equal(sampler_start(s, &t), 0);
	put_stat(10, 10, 10, 10, 0, 0);
	t = at(T0 + 60, 160);
	assert_int_equal(sampler_tick(s, &t, &row), 1);
	assert_true(isnan(row.v[METRIC_LOAD1]));
	assert_true(row.flags & FLAG_READ_ERROR);
	assert_near(row.v[METRIC_CPU_BUSY_PCT], 50.0, 1e-9);
	put("proc/meminfo", "MemTotal: 555555555555555555555555555555555555555555"
	    "555555555 kB\nMemAvailable: 1024 kB\n");
	inv = inv_collect(&p, NULL);
	assert_true(isnan(inv->mem_mib));
	inv_free(inv);
	row_release(&row);
	sampler_free(s);
	probe_release(&p);
}

/*
 * cm_floor() and cm_round() take any double: a /proc or /sys number can
 * be NaN, infinite or beyond int64_t, whose conversion was undefined
 * behaviour (a MemTotal of 5e50 kB; found by tests/fuzz/fuzz_proc.c).
 */
static void
test_cmath_takes_any_double(void **state)
{
	(void)state;
	assert_true(cm_floor(2.5) == 2.0 && cm_floor(-2.5) == -3.0);
	assert_true(cm_round(2.5) == 3.0 && cm_round(-2.5) == -3.0);
	assert_true(cm_floor(1e300) == 1e300 && cm_round(-1e300) == -1e300);
	assert_true(cm_floor(5.4e47) == 5.4e47);
	assert_true(cm_round(9.3e18) == 9.3e18);
	assert_true(isinf(cm_floor(INFINITY)) && isinf(cm_round(-INFINITY)));
	assert_true(isnan(cm_floor(NAN)) && isnan(cm_round(NAN)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(test_busy_excludes_guest_and_steal_from_busy),
		T(test_irq_softirq_nice_system_are_busy),
		T(test_cpu_field_going_back_is_clamped),
		T(test_no_cpu_lines_fails_start),
		T(test_first_row_shorter_than_half_merges),
		T(test_first_row_of_half_an_interval_stands),
		T(test_once_row_is_unaligned_with_milliseconds),
		T(test_finish_writes_partial_row_of_a_second_or_more),
		T(test_time_not_advancing_is_an_error),
		T(test_clock_set_ends_the_row_at_the_next_tick),
		T(test_clock_set_never_ends_a_row_under_a_millisecond),
		T(test_no_memavailable_leaves_used_empty),
		T(test_psi_percent_from_total_delta),
		T(test_disk_time_field_wrap_is_not_a_reset),
		T(test_disk_count_going_back_is_a_reset),
		T(test_net_32bit_wrap_needs_a_link_speed),
		T(test_cpu_model_masked),
		T(test_inventory_topology_and_clock),
		T(test_inventory_cpu_list_not_a_list),
		T(test_inventory_cpu_list_note_is_printable),
		T(test_inventory_of_an_empty_tree_is_unknown),
		T(test_inventory_disk_used),
		T(test_fs_used_live_unescapes),
		T(test_scan_u64_refuses_overflow),
		T(test_cmath_takes_any_double),
		T(test_impossible_values_are_no_measurement),
	};

	return cmocka_run_group_tests_name("collector", tests, NULL, NULL);
}
