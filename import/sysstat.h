/*
 * sysstat.h - what the two sadf readers (imp_sysstat.c for -d,
 * imp_sysstat_json.c for -j) share: one row being assembled from the
 * activities of one sysstat record, and the columns each activity gives.
 *
 * A record of sadc holds every activity at one time; sadf -d prints each
 * activity as its own table, sadf -j prints each record whole.  Either
 * way the reader calls sa_acc_*() once per activity row of a record and
 * sa_acc_finish() turns the record into a capplan row.
 */
#ifndef IMPORT_SYSSTAT_H
#define IMPORT_SYSSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/samples.h"
#include "import/import.h"

enum sa_kind {
	SA_CPU, SA_MEM, SA_SWAP, SA_SWAPPAGES, SA_PAGING, SA_IO, SA_DISK,
	SA_NET, SA_PSI_CPU, SA_PSI_IO, SA_PSI_MEM, SA_FREQ, SA_NKINDS
};

/* The columns activity kind gives (has[m] set), plus ncpu_online for
 * per-CPU rows when percpu. */
void sa_kind_metrics(enum sa_kind kind, bool percpu, bool has[METRIC_N]);

struct sa_acc {
	struct sample s;	/* ts_ms = the record's time - interval */
	unsigned kinds;		/* 1 << kind for each activity seen */
	double ncpu;		/* per-CPU rows that are not all zero */
	double dev_rkb, dev_wkb;	/* -d sums, used without -b */
	bool mem_estimated;	/* total from %memused (no kbslab) */
	double mem_total_hint;	/* the estimate to use then, KiB */
	double mhz;		/* CPU clock of the "all" row (-m CPU); NaN */
};

/*
 * Without kbslab (-r without ALL) the total memory is not printed and
 * kbmemused + kbmemfree + kbbuffers + kbcached falls short of it by the
 * slab.  Each record bounds it: at least that sum, and within what
 * %memused, printed to 0.01, allows.  The first pass of each reader
 * intersects the bounds of all the host's records (the total does not
 * change) and the middle of the range is used for every row: within a
 * fraction of a percent where one record's used / %memused can be off
 * by several.  Bounds start as NaN.
 */
struct sa_mem_bounds {
	double lo, hi;		/* KiB */
};

void sa_mem_bound(struct sa_mem_bounds *b, double low, double used,
    double pct);
/* Narrow into by b (the bounds of another table of the same host). */
void sa_mem_merge(struct sa_mem_bounds *into, const struct sa_mem_bounds *b);
/* The estimate, or NaN when no record bounded it. */
double sa_mem_total(const struct sa_mem_bounds *b);

void sa_acc_init(struct sa_acc *a, int64_t end_ms, double interval_s);
/* A CPU row; all: the "all" / -1 row, else one CPU's (sum: its fields'
 * sum, zero for an offline CPU). */
void sa_acc_cpu(struct sa_acc *a, bool all, double idle, double iowait,
    double steal, double sum);
/* Memory, in kB (KiB) as sysstat prints; slab NaN when not given. */
void sa_acc_mem(struct sa_acc *a, double memfree, double avail,
    double memused, double memused_pct, double buffers, double cached,
    double slab);
/* One disk (-d) or one interface (-n DEV) row. */
void sa_acc_disk(struct sa_acc *a, double rkb, double wkb, double util);
void sa_acc_net(struct sa_acc *a, const char *iface, double rxkb,
    double txkb);
/* Is iface one sar shows but capplan leaves out (loopback, virtual)? */
bool sa_iface_virtual(const char *iface);
/* Complete the row: -d sums where -b was absent, busy from idle. */
void sa_acc_finish(struct sa_acc *a);

/*
 * The inventory row of a host the sadf data describes: threads, memory,
 * kernel (may be NULL), the CPU clock (the highest "all" MHz of -m CPU,
 * NaN when not recorded), with --cpu-model and --cpu-mhz of o taking
 * precedence.
 */
void sa_inventory_add(struct import_sink *sink, const struct import_opts *o,
    const char *host, double ncpu, double mem_mib, const char *kernel,
    double mhz);

/* The -j reader: every file in names/paths is sadf -j output. */
struct sa_input {
	char *path;		/* to read: the input, or a temporary file */
	char *name;		/* for messages */
	bool temp;		/* path is ours to remove: standard input
				 * spooled, decompressed, or sadf's output */
};

int sa_json_import(struct import_sink *sink, const struct import_opts *o,
    const struct sa_input *in, size_t nin);

#endif
