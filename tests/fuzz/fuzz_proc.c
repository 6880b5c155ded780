/*
 * fuzz_proc.c - libFuzzer harness: the collector's /proc and /sys
 * parsers (collector/src_*.c through collector/sampler.h, and the
 * inventory of collector/src_inv.h), fed from the input.
 *
 * At start the fake trees of samples/proc/ (a few scenarios, made by
 * samples/proc/make-trees) are copied to this process's /dev/shm folder.
 * An input is three bytes and a file: the first picks the scenario, the
 * second the file the input replaces (/proc/stat, /proc/diskstats, a
 * sysfs attribute, os-release ...), the third which of the first three
 * snapshots get it (bits 0-2; none means all).  The sampler then takes
 * its baseline and two sub-samples 30 s apart over those snapshots, as
 * capplan-collect --replay does, and the inventory is read from the last
 * one; afterwards each snapshot is put back as it was, so every run
 * starts from the same tree.
 *
 * Every row must be one capplan reads: each cell empty or within
 * metric_table's [0, max], used memory within the total
 * (common/samples.c's rules); capplan-collect writes the rows as they
 * come, and capplan refuses a samples file with one bad cell.  So must
 * the inventory, written as the collector writes it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/probe.h"
#include "collector/sampler.h"
#include "collector/source.h"
#include "collector/src_inv.h"
#include "common/csvio.h"
#include "common/inventory.h"
#include "common/samples.h"
#include "common/xalloc.h"
#include "tests/fuzz/fuzzlib.h"

#define NSNAP 3			/* snapshots 00, 01, 02 */

static const char *const scenarios[] = { "bare-2cpu", "many-disks",
    "cpu-offline", "vm-steal", "no-psi", "counter-reset" };
#define NSCEN (sizeof(scenarios) / sizeof(scenarios[0]))

static const char *const targets[] = { "proc/stat", "proc/loadavg",
    "proc/meminfo", "proc/vmstat", "proc/diskstats", "proc/net/dev",
    "proc/pressure/cpu", "proc/pressure/memory", "proc/pressure/io",
    "proc/cpuinfo", "proc/sys/kernel/hostname", "proc/sys/kernel/osrelease",
    "etc/os-release", "sys/devices/system/cpu/online",
    "sys/class/dmi/id/sys_vendor", "sys/class/dmi/id/product_name",
    "sys/block/sda/size", "sys/block/sda/queue/rotational",
    "sys/class/net/eth0/speed", "proc/self/mounts", "statvfs" };
#define NTARGET (sizeof(targets) / sizeof(targets[0]))

/* a snapshot's copy of one target before the run, to put back */
struct orig {
	char *data;		/* NULL: the snapshot has no such file */
	size_t size;
};

static struct orig origs[NSCEN][NSNAP][NTARGET];
static struct clocks clocks[NSCEN][NSNAP];
static char *root;		/* fuzz_dir() */

static char *
slurp(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1)
		fuzz_die(path);
	data = xmalloc((size_t)n + 1);
	if (fread(data, 1, (size_t)n, fp) != (size_t)n)
		fuzz_die(path);
	fclose(fp);
	*size = (size_t)n;
	return data;
}

/* the clock file of a snapshot: UTC, monotonic and boot-time seconds */
static void
read_clock(size_t sc, size_t k)
{
	char path[4096], *text;
	struct clocks *t = &clocks[sc][k];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s/%02zu/clock", root,
	    scenarios[sc], k);
	if ((text = slurp(path, &n)) == NULL ||
	    sscanf(text, "%lf %lf %lf", &t->real_s, &t->mono_s,
	    &t->boot_s) != 3)
		fuzz_die(path);
	t->unsynced = false;
	free(text);
}

static void
set_up(void)
{
	char path[4096];
	size_t sc, k, f;

	root = xstrdup(fuzz_dir());
	for (sc = 0; sc < NSCEN; sc++) {
		snprintf(path, sizeof(path), "%s/samples/proc/%s",
		    fuzz_srcdir(), scenarios[sc]);
		fuzz_copy_tree(path, scenarios[sc]);
		for (k = 0; k < NSNAP; k++) {
			read_clock(sc, k);
			for (f = 0; f < NTARGET; f++) {
				snprintf(path, sizeof(path), "%s/%s/%02zu/%s",
				    root, scenarios[sc], k, targets[f]);
				origs[sc][k][f].data = slurp(path,
				    &origs[sc][k][f].size);
			}
		}
	}
}

/* "<scenario>/<snapshot>/<target>", relative to fuzz_dir() */
static void
snap_rel(char *buf, size_t len, size_t sc, size_t k, size_t f)
{
	snprintf(buf, len, "%s/%02zu/%s", scenarios[sc], k, targets[f]);
}

/* Put the snapshot's target back: its old text, or no file and none of
 * the folders writing it made (an empty folder would hide base's). */
static void
restore(size_t sc, size_t k, size_t f)
{
	const struct orig *o = &origs[sc][k][f];
	char rel[512], *path, *slash;

	snap_rel(rel, sizeof(rel), sc, k, f);
	if (o->data != NULL) {
		fuzz_write(rel, o->data, o->size);
		return;
	}
	path = fuzz_path(rel);
	unlink(path);
	while ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		if (rmdir(path) == -1)
			break;
	}
	free(path);
}

/* what common/samples.c refuses in a row: a cell outside [0, max], used
 * memory (mean or peak) above the total */
static void
check_row(const struct row *row)
{
	static const int used[] = { METRIC_MEM_USED_MIB,
	    METRIC_MEM_USED_MAX_MIB };
	double v, tot = row->v[METRIC_MEM_TOTAL_MIB];
	size_t i;
	int m;

	for (m = 0; m < METRIC_N; m++) {
		v = row->v[m];
		if (!isnan(v) && !(v >= 0.0 && v <= metric_table[m].max)) {
			fprintf(stderr, "fuzz: %s = %g is outside [0, %g]\n",
			    metric_table[m].name, v, metric_table[m].max);
			abort();
		}
	}
	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
		v = row->v[used[i]];
		if (!isnan(v) && !isnan(tot) && v > tot * 1.001 + 1.0) {
			fprintf(stderr, "fuzz: %s = %g is above mem_total_mib "
			    "%g\n", metric_table[used[i]].name, v, tot);
			abort();
		}
	}
}

/* The inventory as capplan-collect writes it (collector/output.c) must
 * read back; text that is not UTF-8 it refuses before writing. */
static void
check_inventory(const struct server_inv *inv)
{
	struct csv_line line;
	struct inventory back;

	csv_line_init(&line);
	table_write_head(&inventory_spec, &line);
	table_write_row(&inventory_spec, inv, &line);
	if (inventory_load(&back, fuzz_memfd_path((const uint8_t *)
	    line.sb.buf, line.sb.len), NULL) == -1)
		fuzz_fail_again(line.sb.buf);
	inventory_release(&back);
	csv_line_release(&line);
}

/* the sampler over the scenario's snapshots, then the inventory */
static void
sample(size_t sc)
{
	struct sampler_cfg cfg = { 60, 30, false, 0, NULL, NULL };
	struct row row = { 0 };
	struct server_inv *inv;
	struct strbuf notes = STRBUF_INIT;
	struct sampler *s;
	struct probe p;
	char path[4096];
	size_t k;
	int rc;

	snprintf(path, sizeof(path), "%s/%s/base", root, scenarios[sc]);
	probe_init(&p, path, false);
	s = sampler_new(&cfg, &p);
	for (k = 0; k < NSNAP; k++) {
		snprintf(path, sizeof(path), "%s/%s/%02zu", root,
		    scenarios[sc], k);
		probe_set_overlay(&p, path);
		rc = k == 0 ? sampler_start(s, &clocks[sc][0]) :
		    sampler_tick(s, &clocks[sc][k], &row);
		fuzz_check_rc(rc);
		if (k == 0 && rc == -1)
			goto out;
		if (k > 0 && rc == 1)
			check_row(&row);
	}
	if ((rc = sampler_finish(s, &clocks[sc][NSNAP - 1], &row)) == 1)
		check_row(&row);
	fuzz_check_rc(rc);
	inv = inv_collect(&p, &notes);
	if (inv_check_text(inv) == 0)
		check_inventory(inv);
	inv_free(inv);
	strbuf_release(&notes);
out:
	sampler_free(s);
	row_release(&row);
	probe_release(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t sc, f, k;
	unsigned mask;
	char rel[512];

	if (size < 3)
		return -1;
	if (root == NULL)
		set_up();
	fuzz_begin();
	sc = data[0] % NSCEN;
	f = data[1] % NTARGET;
	mask = data[2] & 7u ? data[2] & 7u : 7u;
	for (k = 0; k < NSNAP; k++)
		if (mask & (1u << k)) {
			snap_rel(rel, sizeof(rel), sc, k, f);
			fuzz_write(rel, data + 3, size - 3);
		}
	sample(sc);
	for (k = 0; k < NSNAP; k++)
		if (mask & (1u << k))
			restore(sc, k, f);
	return 0;
}
