/*
 * samples.h - the canonical samples format (capplan-samples,1), streamed.
 *
 * One row per interval of one server: when (ts, the interval's start, and
 * interval_s), then one column per metric of metric_table[].  Readers call
 * a function per row with every metric as a double, NaN where the cell is
 * empty or the column absent: "not measured" is never zero.  The whole
 * file is never in memory.
 *
 * Checks while reading (each an error "file:line:column: ..."): the format
 * record and version, required columns, cell syntax (finite decimal
 * numbers, RFC 3339 UTC times), ranges (percentages 0-100, nothing
 * negative, used memory within total), field counts, and time order per
 * host.  Two documented exceptions are skipped and counted instead: a
 * row repeating the previous timestamp of its host (the first is kept),
 * and a last line cut short with no newline (a collector killed while
 * writing).  See capplan-formats(5).
 * USED BY: capplan (reading), capplan-collect (the column names).
 */
#ifndef COMMON_SAMPLES_H
#define COMMON_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/csvio.h"

enum metric {
	METRIC_CPU_BUSY_PCT,
	METRIC_CPU_BUSY_MAX_PCT,
	METRIC_CPU_STEAL_PCT,
	METRIC_CPU_IOWAIT_PCT,
	METRIC_NCPU_ONLINE,
	METRIC_MEM_TOTAL_MIB,
	METRIC_MEM_USED_MIB,
	METRIC_MEM_USED_MAX_MIB,
	METRIC_MEM_CACHE_MIB,
	METRIC_SWAP_USED_MIB,
	METRIC_SWAP_IN_PER_S,
	METRIC_SWAP_OUT_PER_S,
	METRIC_PGMAJFAULT_PER_S,
	METRIC_DISK_READ_IOPS,
	METRIC_DISK_WRITE_IOPS,
	METRIC_DISK_IOPS_MAX,
	METRIC_DISK_READ_KIBPS,
	METRIC_DISK_WRITE_KIBPS,
	METRIC_DISK_KIBPS_MAX,
	METRIC_DISK_BUSY_PCT,
	METRIC_NET_RX_KIBPS,
	METRIC_NET_TX_KIBPS,
	METRIC_NET_RX_MAX_KIBPS,
	METRIC_NET_TX_MAX_KIBPS,
	METRIC_PSI_CPU_SOME_PCT,
	METRIC_PSI_MEM_SOME_PCT,
	METRIC_PSI_IO_SOME_PCT,
	METRIC_CPU_CORE_BUSY_MAX_PCT,
	METRIC_PROCS_RUNNING,
	METRIC_LOAD1,
	METRIC_N
};

struct metric_info {
	const char *name;	/* the column name */
	const char *unit;	/* "%", "MiB", "1/s", "KiB/s", "count" */
	double max;		/* values lie in [0, max] */
	int decimals;		/* when written */
	const char *what;	/* one line for humans */
};

extern const struct metric_info metric_table[METRIC_N];

/* the metric named name, or -1 */
int metric_find(const char *name);

/*
 * interval_s lies in [SAMPLES_INTERVAL_MIN_S, SAMPLES_INTERVAL_MAX_S]:
 * at least the millisecond that ts and the written three decimals
 * resolve (a shorter interval would be written as 0.000), at most 7 days.
 */
#define SAMPLES_INTERVAL_MIN_S 0.001
#define SAMPLES_INTERVAL_MAX_S (7 * 86400.0)
#define SAMPLES_INTERVAL_TEXT "[0.001, 604800] seconds"

static inline bool
samples_interval_ok(double s)
{
	return s >= SAMPLES_INTERVAL_MIN_S && s <= SAMPLES_INTERVAL_MAX_S;
}

struct sample {
	const char *host;
	int64_t ts_ms;		/* start of the interval, UTC */
	double interval_s;	/* the row covers [ts, ts + interval_s) */
	double v[METRIC_N];	/* NaN: not measured */
	const char *flags;	/* collector flags, "" when none */
	size_t line;
};

struct samples_header {
	const char *path;
	int version;
	bool has[METRIC_N];	/* metric column present */
	bool has_host;		/* a host column: else host = file stem */
	bool has_flags;
	char **columns;		/* all columns, in file order */
	size_t ncolumns;
	char **extra;		/* columns this capplan does not know */
	size_t nextra;
};

struct samples_stats {
	size_t rows;		/* rows passed to the row function */
	size_t dup_skipped;	/* repeated timestamps skipped */
	size_t dup_first_line;	/* line of the first one skipped */
	size_t trunc_line;	/* line of a cut-short last line skipped, or 0 */
};

struct samples_ops {
	/* called once after the header; may be NULL */
	int (*header)(const struct samples_header *h, void *ctx);
	/* called per row; 0 goes on, -1 (error recorded) stops */
	int (*row)(const struct sample *s, void *ctx);
};

/*
 * Stream path ("-" is stdin) through ops.  Returns 0, or -1 with the
 * error recorded.  A header-only file is valid and has no rows.  st may
 * be NULL.
 */
int samples_read(const char *path, const struct samples_ops *ops, void *ctx,
    struct samples_stats *st);
/* As samples_read(), naming the input name in messages and host names
 * (for a spooled copy of stdin, say). */
int samples_read_named(const char *path, const char *name,
    const struct samples_ops *ops, void *ctx, struct samples_stats *st);

/* The host a file without a host column describes: its name without
 * directories and the ".samples.csv" or ".csv" ending.  Owned by caller. */
char *samples_host_from_path(const char *path);

/* Write the format record and a header of ts, interval_s, [host], and
 * the metrics with has[m] set, in metric_table order. */
void samples_write_head(struct csv_line *line, const bool has[METRIC_N],
    bool with_host);
/* Write one row in the same column order. */
void samples_write_row(struct csv_line *line, const struct sample *s,
    const bool has[METRIC_N], bool with_host);

#endif
