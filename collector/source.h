/*
 * source.h - the table of sources: what the collector reads and how a row
 * is made of it.
 *
 * A source reads its /proc files into its part of a struct reading (one
 * snapshot of counters and gauges, taken every sub-sample), adds the
 * sub-interval between two readings to its part of the row accumulator,
 * and at the end of the row writes its metric cells.  Adding a metric is
 * one new source file and one row in sources[] (sysstat's activity table).
 *
 * Counters are accumulated per sub-interval rather than differenced at
 * the row's two ends: a device whose counters went backwards (a reset)
 * is known to be wrong for the row even if its counter has grown past the
 * old value by the row's end, and CPUs are summed only over those online
 * at both ends of each sub-interval, so hot-plug never mixes two CPU sets.
 * The exception is the per-row sources (vmstat's paging counters, PSI's
 * stall totals, the load average): kernel-wide 64-bit counters that go
 * back only with a reboot, and rows that hold only their mean rate or
 * last value, so they are read at the row's two ends and the sub-samples
 * in between do not read them (research: sadc's like-for-like cost).
 *
 * Rules every source follows (capplan-formats(5), research §7.3):
 *   - an empty cell (NaN) is "not measured", never 0;
 *   - a counter that decreased is a reset: the cells it feeds are left
 *     empty for the row and the row is flagged counter_reset;
 *   - CPU fields are the exception: each field's decrease is clamped to 0
 *     (NO_HZ idle accounting may step back a little), as sysstat does.
 */
#ifndef COLLECTOR_SOURCE_H
#define COLLECTOR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/probe.h"
#include "common/samples.h"

/* ------------------------------------------------------------ row flags */

/* Marks on a row; the names are the stable, add-only vocabulary of the
 * flags column (capplan-collect(8)). */
enum row_flag {
	FLAG_START = 1u << 0,		/* first row after the collector started */
	FLAG_GAP = 1u << 1,		/* row boundaries were missed */
	FLAG_LATE = 1u << 2,		/* the row ended late */
	FLAG_PARTIAL = 1u << 3,		/* last row, cut short by a stop */
	FLAG_SUSPEND = 1u << 4,		/* the machine slept during the row */
	FLAG_CLOCK_STEP = 1u << 5,	/* the UTC clock was set */
	FLAG_TIME_UNSYNC = 1u << 6,	/* the clock is not NTP-synchronised */
	FLAG_CPU_HOTPLUG = 1u << 7,	/* the set of online CPUs changed */
	FLAG_DEV_CHANGE = 1u << 8,	/* a disk or NIC appeared or went */
	FLAG_COUNTER_RESET = 1u << 9,	/* a counter went back: cells empty */
	FLAG_PSI_NA = 1u << 10,		/* no pressure stall information */
	FLAG_MEM_NO_AVAIL = 1u << 11,	/* no MemAvailable: used is empty */
	FLAG_IN_CONTAINER = 1u << 12,	/* running inside a container */
	FLAG_READ_ERROR = 1u << 13,	/* a source could not be read */
};

/* Append the names of flags, ';'-separated, to sb (nothing when 0). */
struct strbuf;
void flags_format(unsigned flags, struct strbuf *sb);

/* ------------------------------------------------------------- readings */

/* a monotonic, boot-time and UTC reading of the clocks, in seconds */
struct clocks {
	double mono_s;		/* CLOCK_MONOTONIC: intervals */
	double boot_s;		/* CLOCK_BOOTTIME: mono + time suspended */
	double real_s;		/* CLOCK_REALTIME: timestamps */
	bool unsynced;		/* adjtimex() says not synchronised */
};

enum cpu_field {
	CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, CPU_IRQ,
	CPU_SOFTIRQ, CPU_STEAL, CPU_GUEST, CPU_GUEST_NICE, CPU_NFIELDS
};

struct cpu_line {
	unsigned id;			/* N of "cpuN" */
	uint64_t f[CPU_NFIELDS];	/* jiffies (USER_HZ) */
};

struct cpu_reading {
	bool ok;
	struct cpu_line *cpu;		/* online CPUs, in file order */
	size_t ncpu, cap;
	bool has_procs;
	uint64_t procs_running;
};

struct mem_reading {
	bool ok, has_avail;
	uint64_t total_kib, avail_kib, cached_kib, swap_total_kib,
	    swap_free_kib;
};

/* /proc/vmstat's counters (read once a row) */
struct vm_reading {
	bool ok;
	uint64_t pswpin, pswpout, pgmajfault;
};

/* /proc/loadavg (read once a row: the row keeps the last value) */
struct load_reading {
	bool ok;
	double load1;
};

/* /proc/diskstats fields the collector uses */
enum disk_ctr {
	DC_RD_IOS, DC_RD_SEC, DC_RD_MS, DC_WR_IOS, DC_WR_SEC, DC_WR_MS,
	DC_IO_MS, DC_N
};

#define DEV_NAME_MAX 32

struct disk_stat {
	char name[DEV_NAME_MAX];
	bool physical;			/* a whole physical disk */
	uint64_t c[DC_N];
};

struct disk_reading {
	bool ok;
	struct disk_stat *dev;
	size_t n, cap;
};

enum nic_ctr {
	NC_RX_BYTES, NC_RX_PKTS, NC_RX_ERRS, NC_RX_DROP,
	NC_TX_BYTES, NC_TX_PKTS, NC_TX_ERRS, NC_TX_DROP, NC_N
};

struct nic_stat {
	char name[DEV_NAME_MAX];
	bool physical;			/* has a device: not lo, bridge, veth */
	double speed_mbps;		/* link speed, NaN when unknown */
	uint64_t c[NC_N];
};

struct net_reading {
	bool ok;
	struct nic_stat *nic;
	size_t n, cap;
};

enum psi_res { PSI_CPU, PSI_MEM, PSI_IO, PSI_N };

struct psi_reading {
	bool has[PSI_N];
	uint64_t some_us[PSI_N];	/* "some" total, microseconds */
};

/*
 * What the per-row sources read (source.per_row): counters whose row
 * gets only a mean rate and gauges whose row keeps the last value, so a
 * reading at each row boundary gives the row exactly what a reading each
 * sub-sample would.  Plain values, copied whole as the row's base.
 */
struct row_reading {
	struct vm_reading vm;
	struct load_reading load;
	struct psi_reading psi;
};

struct reading {
	struct clocks t;
	struct cpu_reading cpu;
	struct mem_reading mem;
	struct disk_reading disk;
	struct net_reading net;
	struct row_reading per_row;
};

void reading_release(struct reading *r);

/* ---------------------------------------------------------- accumulator */

struct core_acc {
	uint64_t busy, total;		/* jiffies over the row */
	unsigned nsub;			/* sub-intervals it was online in */
};

struct cpu_acc {
	uint64_t sum[CPU_NFIELDS];
	unsigned nsub;			/* sub-intervals with CPU data */
	double busy_max;		/* NaN: none */
	struct core_acc *core;		/* indexed by CPU id */
	size_t ncore;
	double procs_sum;
	unsigned procs_n;
};

struct mem_acc {
	double used_sum, cache_sum, swap_sum, used_max;
	unsigned n, n_used;
};

struct vm_acc {
	uint64_t d_swpin, d_swpout, d_majflt;
	bool ok;			/* the row's two readings differ fine */
};

/* room for the counters of either kind of device */
#define DEV_NCTR 8
_Static_assert((int)DC_N <= DEV_NCTR && (int)NC_N <= DEV_NCTR, "DEV_NCTR");

/* per-device accumulation of a disk or NIC over the row */
struct dev_acc {
	char name[DEV_NAME_MAX];
	uint64_t d[DEV_NCTR];		/* counter deltas */
	double dt_s;			/* time covered by the deltas */
	unsigned nsub;
	bool reset;			/* a counter went back in the row */
	double max_a, max_b;		/* highest sub-sample rates */
	bool seen;			/* present in the latest reading */
};

struct devs_acc {
	struct dev_acc *dev;
	size_t n, cap;
	double max_a, max_b;		/* host-wide highest sub-samples */
	unsigned nsub;			/* sub-intervals with data */
	bool reset;			/* some device reset: totals unknown */
	bool any;			/* some selected device was seen */
};

struct psi_acc {
	uint64_t d_us[PSI_N];
	bool ok[PSI_N];			/* the row's two readings differ fine */
};

struct accum {
	double dt_s;			/* sum of the sub-intervals */
	unsigned nsub;
	unsigned flags;			/* enum row_flag */
	struct cpu_acc cpu;
	struct mem_acc mem;
	struct vm_acc vm;
	struct devs_acc disk;
	struct devs_acc net;
	struct psi_acc psi;
};

void accum_release(struct accum *a);

/* ------------------------------------------------------------------ rows */

/* columns of the per-device streams (capplan-disk,1 and capplan-net,1) */
enum disk_col {
	DISK_READ_IOPS, DISK_WRITE_IOPS, DISK_READ_KIBPS, DISK_WRITE_KIBPS,
	DISK_BUSY_PCT, DISK_AWAIT_MS, DISK_IOPS_MAX, DISK_KIBPS_MAX,
	DISKCOL_N
};

enum net_col {
	NET_RX_KIBPS, NET_TX_KIBPS, NET_RX_PKTS_PER_S, NET_TX_PKTS_PER_S,
	NET_ERRORS_PER_S, NET_DROPS_PER_S, NET_RX_MAX_KIBPS, NET_TX_MAX_KIBPS,
	NETCOL_N
};

#define DEV_NCOL 8
_Static_assert((int)DISKCOL_N <= DEV_NCOL && (int)NETCOL_N <= DEV_NCOL,
    "DEV_NCOL");

struct dev_row {
	char name[DEV_NAME_MAX];
	unsigned flags;
	double v[DEV_NCOL];
};

struct row {
	int64_t ts_ms;			/* start of the interval, UTC */
	double interval_s;		/* measured (CLOCK_MONOTONIC) */
	unsigned flags;
	double v[METRIC_N];		/* NaN: not measured */
	struct dev_row *disk;
	size_t ndisk, diskcap;
	struct dev_row *nic;
	size_t nnic, niccap;
};

void row_release(struct row *row);

/* ---------------------------------------------------------------- table */

struct source {
	const char *name;
	/*
	 * Read this source's files into r.  0, or -1 with the error
	 * recorded: the source's part of r is then marked not ok and its
	 * cells stay empty.  A file the kernel does not have (PSI) is not an
	 * error: the source marks it absent.
	 */
	int (*read)(struct probe *p, struct reading *r);
	/* Add the sub-interval prev -> cur (dt_s seconds) to a. */
	void (*add)(struct accum *a, const struct reading *prev,
	    const struct reading *cur, double dt_s);
	/* Write the row's cells from a; last is the row's final reading. */
	void (*finish)(const struct accum *a, const struct reading *last,
	    struct row *row);
	/* Forget a's accumulation for the next row (keep its memory). */
	void (*reset)(struct accum *a);
	/*
	 * Read at the row's boundaries only, not at every sub-sample: add()
	 * is then called once a row, prev the reading at the row's start
	 * (only its per_row part is kept).  For sources whose row cells
	 * are all rates of counters or last values, which a reading each
	 * sub-sample cannot change: it saves the collector their reads.
	 */
	bool per_row;
};

extern const struct source source_cpu, source_load, source_mem,
    source_vm, source_disk, source_net, source_psi;
extern const struct source *const sources[];
extern const size_t nsources;

/* ------------------------------------------------- helpers for sources */

/* Skip blanks, then parse a decimal unsigned integer; false if none. */
bool scan_u64(const char **s, uint64_t *v);

/* Δ of a counter over a sub-interval, or false when it went back. */
static inline bool
counter_delta(uint64_t prev, uint64_t cur, uint64_t *d)
{
	if (cur < prev)
		return false;
	*d = cur - prev;
	return true;
}

/* The entry of a device array named name, near index hint, or NULL. */
const void *dev_find(const void *arr, size_t n, size_t size, size_t hint,
    const char *name);

/* The accumulator of device name in da, added when absent. */
struct dev_acc *devs_acc_get(struct devs_acc *da, const char *name);

#endif
