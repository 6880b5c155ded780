/*
 * imp_sysstat.c - sysstat data as printed by sadf -d (and, through
 * imp_sysstat_json.c, sadf -j).
 *
 * sadf -d prints one table per activity: a "# hostname;interval;
 * timestamp;..." header, then every record's rows for that activity, then
 * the next activity's table; a restart starts a new set of tables.  The
 * rows of one record are therefore spread over the file.  Reading it in
 * constant memory takes two passes: the first finds each table (a
 * "section": its offset, columns, host and first time); the second
 * merges the sections of one host by time, each section a cursor with
 * its own stream opened when the merge reaches it and closed at its end,
 * so few files are open however long the data.  Several files (days,
 * activities) merge the same way; a record present twice for one
 * activity (sadc repeats the last record of a day at the start of the
 * next file) is counted once.
 *
 * Times: a sadf timestamp is the end of the interval its rates cover, in
 * UTC when it ends in " UTC" (the default); ts = timestamp - interval.
 * Checked with sadc 12.6.1 here: "sadc 2 5" started at 06:27:20 printed
 * its first row at 06:27:22 with interval 2.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "import/import.h"
#include "import/sadf_run.h"
#include "import/sysstat.h"
#include "common/unpack.h"

/* ------------------------------------------------------- the row */

void
sa_kind_metrics(enum sa_kind kind, bool percpu, bool has[METRIC_N])
{
	static const int m[SA_NKINDS][5] = {
		[SA_CPU] = { METRIC_CPU_BUSY_PCT, METRIC_CPU_STEAL_PCT,
		    METRIC_CPU_IOWAIT_PCT, -1 },
		[SA_MEM] = { METRIC_MEM_TOTAL_MIB, METRIC_MEM_USED_MIB,
		    METRIC_MEM_CACHE_MIB, -1 },
		[SA_SWAP] = { METRIC_SWAP_USED_MIB, -1 },
		[SA_SWAPPAGES] = { METRIC_SWAP_IN_PER_S,
		    METRIC_SWAP_OUT_PER_S, -1 },
		[SA_PAGING] = { METRIC_PGMAJFAULT_PER_S, -1 },
		[SA_IO] = { METRIC_DISK_READ_IOPS, METRIC_DISK_WRITE_IOPS,
		    METRIC_DISK_READ_KIBPS, METRIC_DISK_WRITE_KIBPS, -1 },
		[SA_DISK] = { METRIC_DISK_BUSY_PCT, METRIC_DISK_READ_KIBPS,
		    METRIC_DISK_WRITE_KIBPS, -1 },
		[SA_NET] = { METRIC_NET_RX_KIBPS, METRIC_NET_TX_KIBPS, -1 },
		[SA_PSI_CPU] = { METRIC_PSI_CPU_SOME_PCT, -1 },
		[SA_PSI_IO] = { METRIC_PSI_IO_SOME_PCT, -1 },
		[SA_PSI_MEM] = { METRIC_PSI_MEM_SOME_PCT, -1 },
		[SA_FREQ] = { -1 },	/* the inventory's cpu_mhz */
	};
	int i;

	for (i = 0; i < 5 && m[kind][i] >= 0; i++)
		has[m[kind][i]] = true;
	if (kind == SA_CPU && percpu)
		has[METRIC_NCPU_ONLINE] = true;
}

void
sa_acc_init(struct sa_acc *a, int64_t end_ms, double interval_s)
{
	int m;

	memset(a, 0, sizeof(*a));
	for (m = 0; m < METRIC_N; m++)
		a->s.v[m] = NAN;
	a->s.interval_s = interval_s;
	a->s.ts_ms = end_ms - (int64_t)llround(interval_s * 1000.0);
	a->s.flags = "";
	a->ncpu = NAN;
	a->dev_rkb = a->dev_wkb = NAN;
	a->mem_total_hint = NAN;
	a->mhz = NAN;
}

static void
add(double *sum, double v)
{
	*sum = isnan(*sum) ? v : *sum + v;
}

void
sa_acc_cpu(struct sa_acc *a, bool all, double idle, double iowait,
    double steal, double sum)
{
	if (!all) {
		/* sar zeroes every field of an offline CPU */
		add(&a->ncpu, sum > 0 ? 1 : 0);
		return;
	}
	/* busy includes guest time, which %user and %nice omit in -u */
	a->s.v[METRIC_CPU_BUSY_PCT] = fmax(0, 100.0 - idle - iowait - steal);
	a->s.v[METRIC_CPU_STEAL_PCT] = steal;
	a->s.v[METRIC_CPU_IOWAIT_PCT] = iowait;
}

void
sa_mem_bound(struct sa_mem_bounds *b, double low, double used, double pct)
{
	double lo = pct > 0 ? used * 100.0 / (pct + 0.005) : low;
	double hi = pct > 0.005 ? used * 100.0 / (pct - 0.005) : INFINITY;

	if (isnan(low) || isnan(used) || isnan(pct))
		return;
	lo = fmax(lo, low);
	if (!(lo <= b->lo))
		b->lo = lo;
	if (!(hi >= b->hi))
		b->hi = hi;
}

void
sa_mem_merge(struct sa_mem_bounds *into, const struct sa_mem_bounds *b)
{
	if (!isnan(b->lo) && !(b->lo <= into->lo))
		into->lo = b->lo;
	if (!isnan(b->hi) && !(b->hi >= into->hi))
		into->hi = b->hi;
}

double
sa_mem_total(const struct sa_mem_bounds *b)
{
	if (isnan(b->lo))
		return NAN;
	if (isnan(b->hi) || isinf(b->hi) || b->hi < b->lo)
		return b->lo;
	return (b->lo + b->hi) / 2.0;
}

void
sa_acc_mem(struct sa_acc *a, double memfree, double avail, double memused,
    double memused_pct, double buffers, double cached, double slab)
{
	(void)memused_pct;	/* used through the bounds, see sysstat.h */
	double total;

	/* sysstat: kbmemused = total - free - buffers - cached - slab */
	if (!isnan(slab))
		total = memfree + memused + buffers + cached + slab;
	else {
		total = a->mem_total_hint;
		a->mem_estimated = true;
	}
	a->s.v[METRIC_MEM_TOTAL_MIB] = total / 1024.0;
	a->s.v[METRIC_MEM_USED_MIB] = fmax(0, total - avail) / 1024.0;
	a->s.v[METRIC_MEM_CACHE_MIB] = cached / 1024.0;
}

void
sa_acc_disk(struct sa_acc *a, double rkb, double wkb, double util)
{
	add(&a->dev_rkb, rkb);
	add(&a->dev_wkb, wkb);
	if (!(util <= a->s.v[METRIC_DISK_BUSY_PCT]))
		a->s.v[METRIC_DISK_BUSY_PCT] = util;
}

bool
sa_iface_virtual(const char *iface)
{
	static const char *const prefix[] = { "veth", "docker", "virbr",
	    "vnet", "br-", "tap", "tun", "cni", "flannel", "cali" };
	size_t i;

	if (strcmp(iface, "lo") == 0)
		return true;
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (strncmp(iface, prefix[i], strlen(prefix[i])) == 0)
			return true;
	return false;
}

void
sa_acc_net(struct sa_acc *a, const char *iface, double rxkb, double txkb)
{
	if (isnan(a->s.v[METRIC_NET_RX_KIBPS])) {
		a->s.v[METRIC_NET_RX_KIBPS] = 0;
		a->s.v[METRIC_NET_TX_KIBPS] = 0;
	}
	if (sa_iface_virtual(iface))
		return;
	a->s.v[METRIC_NET_RX_KIBPS] += rxkb;
	a->s.v[METRIC_NET_TX_KIBPS] += txkb;
}

void
sa_acc_finish(struct sa_acc *a)
{
	/* -b counts whole devices without double counting; -d is the
	 * fallback */
	if (isnan(a->s.v[METRIC_DISK_READ_KIBPS])) {
		a->s.v[METRIC_DISK_READ_KIBPS] = a->dev_rkb;
		a->s.v[METRIC_DISK_WRITE_KIBPS] = a->dev_wkb;
	}
	a->s.v[METRIC_NCPU_ONLINE] = a->ncpu;
}

/* ------------------------------------------------- sadf -d: sections */

enum sa_field {
	F_CPU, F_IDLE, F_IOWAIT, F_STEAL, F_MEMFREE, F_AVAIL, F_MEMUSED,
	F_MEMUSED_PCT, F_BUFFERS, F_CACHED, F_SLAB, F_SWPUSED, F_PSWPIN,
	F_PSWPOUT, F_MAJFLT, F_RTPS, F_WTPS, F_BREAD, F_BWRTN, F_DEV, F_RKB,
	F_WKB, F_UTIL, F_IFACE, F_RXKB, F_TXKB, F_SCPU, F_SIO, F_SMEM, F_MHZ,
	F_N
};

static const char *const sa_field_name[F_N] = {
	"CPU", "%idle", "%iowait", "%steal", "kbmemfree", "kbavail",
	"kbmemused", "%memused", "kbbuffers", "kbcached", "kbslab",
	"kbswpused", "pswpin/s", "pswpout/s", "majflt/s", "rtps", "wtps",
	"bread/s", "bwrtn/s", "DEV", "rkB/s", "wkB/s", "%util", "IFACE",
	"rxkB/s", "txkB/s", "%scpu", "%sio", "%smem", "MHz",
};

/* Each activity: the field that identifies its table, and the fields
 * it needs (F_N ends the list). */
static const struct {
	const char *name;
	enum sa_field key;
	enum sa_field need[8];
} sa_kinds[SA_NKINDS] = {
	[SA_CPU] = { "CPU (-u)", F_IDLE, { F_CPU, F_IDLE, F_IOWAIT, F_STEAL,
	    F_N } },
	[SA_MEM] = { "memory (-r)", F_MEMFREE, { F_MEMFREE, F_AVAIL,
	    F_MEMUSED, F_MEMUSED_PCT, F_BUFFERS, F_CACHED, F_N } },
	[SA_SWAP] = { "swap (-S)", F_SWPUSED, { F_SWPUSED, F_N } },
	[SA_SWAPPAGES] = { "swapping (-W)", F_PSWPIN, { F_PSWPIN, F_PSWPOUT,
	    F_N } },
	[SA_PAGING] = { "paging (-B)", F_MAJFLT, { F_MAJFLT, F_N } },
	[SA_IO] = { "I/O (-b)", F_RTPS, { F_RTPS, F_WTPS, F_BREAD, F_BWRTN,
	    F_N } },
	[SA_DISK] = { "disks (-d)", F_UTIL, { F_DEV, F_RKB, F_WKB, F_UTIL,
	    F_N } },
	[SA_NET] = { "network (-n DEV)", F_RXKB, { F_IFACE, F_RXKB, F_TXKB,
	    F_N } },
	[SA_PSI_CPU] = { "CPU pressure (-q CPU)", F_SCPU, { F_SCPU, F_N } },
	[SA_PSI_IO] = { "I/O pressure (-q IO)", F_SIO, { F_SIO, F_N } },
	[SA_PSI_MEM] = { "memory pressure (-q MEM)", F_SMEM, { F_SMEM,
	    F_N } },
	[SA_FREQ] = { "CPU frequency (-m CPU)", F_MHZ, { F_CPU, F_MHZ, F_N } },
};

#define SA_HEAD "# hostname;interval;timestamp;"

/* One activity table of one sadf -d file. */
struct sa_sec {
	const struct sa_input *in;
	off_t off, end;		/* its data lines */
	size_t line;		/* the line number at off */
	int kind;		/* enum sa_kind */
	int idx[F_N];		/* field -> column, or -1 */
	size_t ncols;
	char *host;		/* from its first data line */
	int64_t first_ms;	/* its first record's time */
	bool percpu;		/* CPU rows per CPU (-P) */
	struct sa_mem_bounds mem;	/* memory tables without kbslab */
};

struct sa_secs {
	struct sa_sec *v;
	size_t n, cap;
};

/* Split line at ';' in place into at most max fields; strips the
 * newline.  Returns the count (max + 1 when there are more). */
static size_t
split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p;

	line[strcspn(line, "\r\n")] = '\0';
	for (p = line;; p++) {
		if (n == max)
			return max + 1;
		f[n++] = p;
		p = strchr(p, ';');
		if (p == NULL)
			return n;
		*p = '\0';
	}
}

/* "2026-11-26 06:27:22 UTC" -> ms; -1 with the error at path:line:3. */
static int
sa_time(const char *cell, const char *path, size_t line, int64_t *ms)
{
	char buf[40];
	const char *why;
	size_t n = strlen(cell);

	if (n < 5 || n > 30 || strcmp(cell + n - 4, " UTC") != 0)
		return error_at(ERROR_DATA, path, line, 3, "timestamp '%s' is "
		    "not in UTC (sadf -t prints local times, which repeat or "
		    "skip an hour; run sadf without -t)", cell);
	snprintf(buf, sizeof(buf), "%.*sZ", (int)(n - 4), cell);
	if (time_parse_rfc3339(buf, ms, &why) == -1)
		return error_at(ERROR_DATA, path, line, 3, "timestamp '%s' %s",
		    cell, why);
	return 0;
}

static int
sec_header(struct sa_sec *s, char *line, size_t lineno)
{
	char *f[64];
	size_t n = split(line + 2, f, 64), i, k;
	int kind;

	if (n > 64)
		return error_at(ERROR_DATA, s->in->name, lineno, 0, "more "
		    "than 64 columns in a sadf header");
	s->ncols = n;
	for (k = 0; k < F_N; k++)
		for (s->idx[k] = -1, i = 3; i < n; i++)
			if (strcmp(f[i], sa_field_name[k]) == 0)
				s->idx[k] = (int)i;
	s->kind = -1;
	for (kind = 0; kind < SA_NKINDS; kind++)
		if (s->idx[sa_kinds[kind].key] >= 0)
			s->kind = kind;
	if (s->kind < 0)
		return 0;	/* an activity capplan does not use */
	for (k = 0; sa_kinds[s->kind].need[k] != F_N; k++)
		if (s->idx[sa_kinds[s->kind].need[k]] < 0)
			return error_at(ERROR_DATA, s->in->name, lineno, 0,
			    "the %s table has no column '%s'",
			    sa_kinds[s->kind].name,
			    sa_field_name[sa_kinds[s->kind].need[k]]);
	return 0;
}

/* Bound the total memory with a row of a table without kbslab (a bad
 * cell is reported by the second pass). */
static void
sec_mem_bound(struct sa_sec *s, char **f, size_t n)
{
	static const enum sa_field k[] = { F_MEMFREE, F_MEMUSED, F_BUFFERS,
	    F_CACHED, F_MEMUSED_PCT };
	const char *why;
	double v[5];
	size_t i;

	if (n != s->ncols)
		return;
	for (i = 0; i < 5; i++)
		if (num_parse_double(f[s->idx[k[i]]], &v[i], &why) == -1)
			return;
	sa_mem_bound(&s->mem, v[0] + v[1] + v[2] + v[3], v[1], v[4]);
}

/* The first-pass facts of data line f (n fields) for section s. */
static int
sec_data(struct sa_sec *s, char **f, size_t n, size_t lineno)
{
	const char *why;
	long iv;

	if (n < 4)
		return error_at(ERROR_DATA, s->in->name, lineno, 0, "expected "
		    "hostname;interval;timestamp;... , found %zu field%s", n,
		    n == 1 ? "" : "s");
	if (num_parse_long_range(f[1], -1, 1000000000L, &iv, &why) == -1)
		return error_at(ERROR_DATA, s->in->name, lineno, 2,
		    "interval '%s' %s", f[1], why);
	if (s->host == NULL)
		s->host = xstrdup(f[0]);
	if (iv > 0 && s->first_ms == INT64_MIN &&
	    sa_time(f[2], s->in->name, lineno, &s->first_ms) == -1)
		return -1;
	if (s->kind == SA_MEM && iv > 0 && s->idx[F_SLAB] < 0)
		sec_mem_bound(s, f, n);
	if (s->kind == SA_CPU && iv > 0 && (size_t)s->idx[F_CPU] < n &&
	    strcmp(f[s->idx[F_CPU]], "-1") != 0 &&
	    strcmp(f[s->idx[F_CPU]], "all") != 0)
		s->percpu = true;
	return 0;
}

static void
sec_close(struct sa_secs *secs, struct sa_sec *cur, off_t end)
{
	cur->end = end;
	if (cur->kind < 0 || cur->host == NULL || cur->first_ms == INT64_MIN) {
		free(cur->host);	/* unused activity, or no record */
		return;
	}
	ALLOC_GROW(secs->v, secs->n + 1, secs->cap);
	secs->v[secs->n++] = *cur;
}

/* The first pass over one sadf -d file: find its tables. */
static int
scan_d(const struct sa_input *in, struct sa_secs *secs)
{
	struct sa_sec cur = { 0 };
	char *line = NULL, *f[65];
	size_t cap = 0, lineno = 0;
	bool open = false;
	int ret = -1;
	off_t off = 0;
	FILE *fp = fopen(in->path, "r");

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", in->name);
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		if (strncmp(line, SA_HEAD, strlen(SA_HEAD)) == 0) {
			if (open)
				sec_close(secs, &cur, off);
			memset(&cur, 0, sizeof(cur));
			cur.in = in;
			cur.first_ms = INT64_MIN;
			cur.mem.lo = cur.mem.hi = NAN;
			cur.off = ftello(fp);
			cur.line = lineno + 1;
			open = true;
			if (sec_header(&cur, line, lineno) == -1)
				goto out;
		} else if (!open) {
			error_at(ERROR_DATA, in->name, lineno, 1, "expected a "
			    "sadf -d header '%s...'", SA_HEAD);
			goto out;
		} else if (cur.kind >= 0 && sec_data(&cur, f,
		    split(line, f, 64), lineno) == -1)
			goto out;
		off = ftello(fp);
	}
	if (ferror(fp))
		error_set_errno(ERROR_IO, "cannot read '%s'", in->name);
	else {
		if (open)
			sec_close(secs, &cur, off);
		ret = 0;
		cur.host = NULL;
	}
out:
	if (ret == -1)
		free(cur.host);
	free(line);
	fclose(fp);
	return ret;
}

/* ------------------------------------------------- sadf -d: merging */

struct sa_cur {
	const struct sa_sec *sec;
	FILE *fp;		/* open while the merge is inside it */
	char *line;
	size_t cap, lineno;
	char **f;
	size_t nf;
	bool loaded, done;
	int64_t ms;		/* the current line's time */
	double iv;
};

/* What one host's merge keeps across records. */
struct sa_host {
	struct import_sink *sink;
	struct import_host *h;
	double ncpu;		/* for the inventory */
	double mem_mib;
	double mem_hint;	/* KiB, see sysstat.h */
	double mhz;		/* the highest "all" CPU clock seen */
	const struct import_opts *o;
};

static int
cur_num(const struct sa_cur *c, enum sa_field k, double *v)
{
	const char *why, *cell;
	int i = c->sec->idx[k];

	if (i < 0) {
		*v = NAN;
		return 0;
	}
	cell = c->f[i];
	if (num_parse_double(cell, v, &why) == -1)
		return error_at(ERROR_DATA, c->sec->in->name, c->lineno,
		    (size_t)i + 1, "%s: '%s' %s", sa_field_name[k], cell, why);
	if (*v < 0)
		return error_at(ERROR_DATA, c->sec->in->name, c->lineno,
		    (size_t)i + 1, "%s: '%s' is negative", sa_field_name[k],
		    cell);
	return 0;
}

/* A restart or comment line (interval -1): the CPU count of a restart. */
static void
cur_special(struct sa_cur *c, struct sa_host *sh)
{
	unsigned n;

	if (sscanf(c->f[3], "LINUX-RESTART\t(%u CPU)", &n) == 1 &&
	    !(n <= sh->ncpu))
		sh->ncpu = n;
}

static int
cur_check(struct sa_cur *c, double *iv)
{
	const char *name = c->sec->in->name, *why;
	long v;

	if (strcmp(c->f[0], c->sec->host) != 0)
		return error_at(ERROR_DATA, name, c->lineno, 1, "host '%s' in "
		    "a table of host '%s'", c->f[0], c->sec->host);
	if (c->nf < 4 || num_parse_long_range(c->f[1], -1, 1000000000L, &v,
	    &why) == -1)
		return error_at(ERROR_DATA, name, c->lineno, c->nf < 4 ? 0 : 2,
		    "expected hostname;interval;timestamp;..., an interval in "
		    "whole seconds or -1");
	*iv = (double)v;
	if (v >= 0 && c->nf != c->sec->ncols)
		return error_at(ERROR_DATA, name, c->lineno, 0, "expected %zu "
		    "fields as in the table's header, found %zu",
		    c->sec->ncols, c->nf);
	return 0;
}

/* Load the cursor's next record line (restarts and comments are taken
 * in passing); done at the end of its table. */
static int
cur_next(struct sa_cur *c, struct sa_host *sh)
{
	double iv = 0;

	if (c->fp == NULL) {
		c->fp = fopen(c->sec->in->path, "r");
		if (c->fp == NULL || fseeko(c->fp, c->sec->off, SEEK_SET) != 0)
			return error_set_errno(ERROR_IO, "cannot read '%s'",
			    c->sec->in->name);
		c->lineno = c->sec->line - 1;
		c->f = xcalloc(c->sec->ncols + 2, sizeof(char *));
	}
	for (;;) {
		if (ftello(c->fp) >= c->sec->end ||
		    getline(&c->line, &c->cap, c->fp) == -1) {
			fclose(c->fp);
			c->fp = NULL;
			c->done = true;
			return 0;
		}
		c->lineno++;
		c->nf = split(c->line, c->f, c->sec->ncols + 1);
		if (cur_check(c, &iv) == -1)
			return -1;
		if (iv > 0)
			break;
		if (iv == 0)
			import_sink_note(sh->sink, "rows with interval 0 "
			    "skipped (sadc appended a new run; sadf prints "
			    "meaningless rates for them)", c->sec->in->name,
			    c->lineno);
		else
			cur_special(c, sh);
	}
	c->iv = iv;
	c->loaded = true;
	return sa_time(c->f[2], c->sec->in->name, c->lineno, &c->ms);
}

/* The numbers of fields k[0..n) of the cursor's line into v[]. */
static int
cur_nums(const struct sa_cur *c, const enum sa_field *k, size_t n, double *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cur_num(c, k[i], &v[i]) == -1)
			return -1;
	return 0;
}

/* The sum of a CPU row's percentages (zero for an offline CPU). */
static int
cpu_sum(const struct sa_cur *c, double *sum)
{
	const char *why;
	double v;
	size_t i;

	*sum = 0;
	for (i = 4; i < c->nf; i++) {
		if (num_parse_double(c->f[i], &v, &why) == -1)
			return error_at(ERROR_DATA, c->sec->in->name,
			    c->lineno, i + 1, "'%s' %s", c->f[i], why);
		*sum += v;
	}
	return 0;
}

static int
apply_cpu(struct sa_acc *a, const struct sa_cur *c)
{
	static const enum sa_field k[] = { F_IDLE, F_IOWAIT, F_STEAL };
	const char *cpu = c->f[c->sec->idx[F_CPU]];
	double v[3], sum;

	if (cur_nums(c, k, 3, v) == -1 || cpu_sum(c, &sum) == -1)
		return -1;
	sa_acc_cpu(a, strcmp(cpu, "-1") == 0 || strcmp(cpu, "all") == 0,
	    v[0], v[1], v[2], sum);
	return 0;
}

static int
apply_row(struct sa_acc *a, const struct sa_cur *c)
{
	static const enum sa_field mem[] = { F_MEMFREE, F_AVAIL, F_MEMUSED,
	    F_MEMUSED_PCT, F_BUFFERS, F_CACHED, F_SLAB };
	static const enum sa_field io[] = { F_RTPS, F_WTPS, F_BREAD, F_BWRTN };
	static const enum sa_field dev[] = { F_RKB, F_WKB, F_UTIL };
	static const enum sa_field net[] = { F_RXKB, F_TXKB };
	double v[8];
	double *s = a->s.v;

	switch (c->sec->kind) {
	case SA_CPU:
		return apply_cpu(a, c);
	case SA_MEM:
		if (cur_nums(c, mem, 7, v) == -1)
			return -1;
		sa_acc_mem(a, v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
		return 0;
	case SA_IO:
		if (cur_nums(c, io, 4, v) == -1)
			return -1;
		s[METRIC_DISK_READ_IOPS] = v[0];
		s[METRIC_DISK_WRITE_IOPS] = v[1];
		s[METRIC_DISK_READ_KIBPS] = v[2] / 2.0;	/* 512-byte blocks */
		s[METRIC_DISK_WRITE_KIBPS] = v[3] / 2.0;
		return 0;
	case SA_DISK:
		if (cur_nums(c, dev, 3, v) == -1)
			return -1;
		sa_acc_disk(a, v[0], v[1], v[2]);
		return 0;
	case SA_NET:
		if (cur_nums(c, net, 2, v) == -1)
			return -1;
		sa_acc_net(a, c->f[c->sec->idx[F_IFACE]], v[0], v[1]);
		return 0;
	case SA_SWAP:
		if (cur_num(c, F_SWPUSED, &v[0]) == -1)
			return -1;
		s[METRIC_SWAP_USED_MIB] = v[0] / 1024.0;
		return 0;
	case SA_SWAPPAGES:
		if (cur_num(c, F_PSWPIN, &s[METRIC_SWAP_IN_PER_S]) == -1)
			return -1;
		return cur_num(c, F_PSWPOUT, &s[METRIC_SWAP_OUT_PER_S]);
	case SA_PAGING:
		return cur_num(c, F_MAJFLT, &s[METRIC_PGMAJFAULT_PER_S]);
	case SA_PSI_CPU:
		return cur_num(c, F_SCPU, &s[METRIC_PSI_CPU_SOME_PCT]);
	case SA_PSI_IO:
		return cur_num(c, F_SIO, &s[METRIC_PSI_IO_SOME_PCT]);
	case SA_PSI_MEM:
		return cur_num(c, F_SMEM, &s[METRIC_PSI_MEM_SOME_PCT]);
	case SA_FREQ:
		if (cur_num(c, F_MHZ, &v[0]) == -1)
			return -1;
		if (strcmp(c->f[c->sec->idx[F_CPU]], "-1") == 0 ||
		    strcmp(c->f[c->sec->idx[F_CPU]], "all") == 0)
			a->mhz = v[0];
		return 0;
	}
	return 0;
}

/* Take the cursor's rows of time ms into a (or skip them when a has
 * that activity already: a record repeated at a file boundary). */
static int
cur_take(struct sa_cur *c, struct sa_acc *a, struct sa_host *sh, int64_t ms,
    size_t *first_line)
{
	bool dup = (a->kinds & (1u << c->sec->kind)) != 0;

	if (dup)
		import_sink_note(sh->sink, "activity rows repeating a time "
		    "skipped", c->sec->in->name, c->lineno);
	if (*first_line == 0)
		*first_line = c->lineno;
	a->kinds |= 1u << c->sec->kind;
	while (!c->done && c->ms == ms) {
		if (!dup && apply_row(a, c) == -1)
			return -1;
		if (cur_next(c, sh) == -1)
			return -1;
	}
	return 0;
}

static int
emit(struct sa_host *sh, struct sa_acc *a, const char *name, size_t line)
{
	sa_acc_finish(a);
	if (a->mem_estimated)
		import_sink_note(sh->sink, "records whose total memory was "
		    "estimated from %memused (use -r ALL for kbslab)", name,
		    line);
	if (!(a->s.v[METRIC_NCPU_ONLINE] <= sh->ncpu))
		sh->ncpu = a->s.v[METRIC_NCPU_ONLINE];
	if (!(a->s.v[METRIC_MEM_TOTAL_MIB] <= sh->mem_mib))
		sh->mem_mib = a->s.v[METRIC_MEM_TOTAL_MIB];
	if (!(a->mhz <= sh->mhz))
		sh->mhz = a->mhz;
	return import_host_row(sh->h, &a->s, name, line);
}

/* The earliest time among the cursors' current lines; false when all
 * are done.  A cursor not opened yet stands at its table's first time. */
static bool
next_time(struct sa_cur *c, size_t n, int64_t *ms)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (c[i].done)
			continue;
		if (!any || (c[i].loaded ? c[i].ms : c[i].sec->first_ms) < *ms)
			*ms = c[i].loaded ? c[i].ms : c[i].sec->first_ms;
		any = true;
	}
	return any;
}

/* One merged record at time ms. */
static int
merge_one(struct sa_cur *c, size_t n, struct sa_host *sh, int64_t ms)
{
	struct sa_acc a;
	const char *name = NULL;
	size_t i, line = 0;
	bool init = false;

	for (i = 0; i < n; i++) {
		if (!c[i].done && !c[i].loaded && c[i].sec->first_ms == ms &&
		    cur_next(&c[i], sh) == -1)
			return -1;
		if (c[i].done || c[i].ms != ms)
			continue;
		if (!init) {
			sa_acc_init(&a, ms, c[i].iv);
			a.mem_total_hint = sh->mem_hint;
			name = c[i].sec->in->name;
			init = true;
		}
		if (cur_take(&c[i], &a, sh, ms, &line) == -1)
			return -1;
	}
	return init ? emit(sh, &a, name, line) : 0;
}

void
sa_inventory_add(struct import_sink *sink, const struct import_opts *o,
    const char *host, double ncpu, double mem_mib, const char *kernel,
    double mhz)
{
	struct server_inv inv;

	import_inv_init(&inv, host);
	inv.threads = ncpu > 0 ? ncpu : NAN;
	inv.mem_mib = mem_mib > 0 ? round(mem_mib) : NAN;
	if (kernel != NULL)
		inv.kernel = (char *)(uintptr_t)kernel;
	inv.cpu_mhz = o != NULL && isfinite(o->cpu_mhz) ? o->cpu_mhz :
	    mhz > 0 ? round(mhz) : NAN;
	if (o != NULL && o->cpu_model != NULL)
		inv.cpu_model = (char *)(uintptr_t)o->cpu_model;
	import_sink_inventory(sink, &inv);
}

/* Merge the tables s[0..n) of one host into its samples file. */
static int
merge_host(struct import_sink *sink, const struct import_opts *o,
    struct sa_sec **s, size_t n)
{
	struct sa_host sh = { sink, NULL, NAN, NAN, NAN, NAN, o };
	struct sa_mem_bounds mb = { NAN, NAN };
	bool has[METRIC_N] = { false };
	struct sa_cur *c = xcalloc(n, sizeof(*c));
	int64_t ms = 0;
	size_t i;
	int ret = -1;

	for (i = 0; i < n; i++) {
		c[i].sec = s[i];
		sa_kind_metrics(s[i]->kind, s[i]->percpu, has);
		sa_mem_merge(&mb, &s[i]->mem);
	}
	sh.mem_hint = sa_mem_total(&mb);
	sh.h = import_sink_host(sink, s[0]->host, has, s[0]->in->name,
	    s[0]->line);
	if (sh.h == NULL)
		goto out;
	while (next_time(c, n, &ms))
		if (merge_one(c, n, &sh, ms) == -1)
			goto out;
	sa_inventory_add(sink, o, import_host_name(sh.h), sh.ncpu, sh.mem_mib,
	    NULL, sh.mhz);
	ret = import_host_finish(sh.h);
out:
	for (i = 0; i < n; i++) {
		if (c[i].fp != NULL)
			fclose(c[i].fp);
		free(c[i].line);
		free(c[i].f);
	}
	free(c);
	return ret;
}

/* ---------------------------------------------------------- inputs */

static int
sec_cmp(const void *a, const void *b)
{
	const struct sa_sec *x = *(struct sa_sec *const *)a;
	const struct sa_sec *y = *(struct sa_sec *const *)b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	if (x->first_ms != y->first_ms)
		return x->first_ms < y->first_ms ? -1 : 1;
	return x->kind - y->kind;
}

/* Merge every host's tables, host by host. */
static int
import_d(struct import_sink *sink, const struct import_opts *o,
    struct sa_secs *secs)
{
	struct sa_sec **order = xcalloc(secs->n + 1, sizeof(*order));
	size_t i, j;
	int ret = 0;

	for (i = 0; i < secs->n; i++)
		order[i] = &secs->v[i];
	array_sort(order, secs->n, sizeof(*order), sec_cmp);
	for (i = 0; i < secs->n && ret == 0; i = j) {
		for (j = i + 1; j < secs->n && strcmp(order[j]->host,
		    order[i]->host) == 0; j++)
			;
		ret = merge_host(sink, o, order + i, j - i);
	}
	free(order);
	return ret;
}

/* Copy standard input to a temporary file: the merge reads it twice. */
static int
spool_stdin(struct sa_input *in)
{
	char buf[65536];
	size_t n;
	int fd;

	if ((fd = unpack_temp("capplan-stdin", &in->path)) == -1)
		return -1;
	in->temp = true;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return error_set_errno(ERROR_IO, "cannot write '%s'",
			    in->path);
		}
	if (close(fd) != 0 || ferror(stdin))
		return error_set_errno(ERROR_IO, "cannot spool standard "
		    "input");
	return 0;
}

/* '#' for sadf -d, '{' for -j, after blanks; -1 with the error. */
static int
first_char(const struct sa_input *in)
{
	FILE *fp = fopen(in->path, "r");
	int c;

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", in->name);
	do
		c = getc(fp);
	while (c == ' ' || c == '\n' || c == '\t' || c == '\r');
	fclose(fp);
	if (c != '#' && c != '{')
		return error_at(ERROR_DATA, in->name, 1, 1, "not a sysstat file: "
		    "neither a binary saDD file nor sadf -d or -j output (which "
		    "starts with '# hostname;' or '{'), plain, gzip or xz");
	return c;
}

/* in now reads path, a temporary file of ours */
static void
input_replace(struct sa_input *in, char *path)
{
	if (in->temp)
		unlink(in->path);
	free(in->path);
	in->path = path;
	in->temp = true;
}

/*
 * Make in plain sadf output: a gzip or xz input decompressed (zlib,
 * liblzma), then a binary saDD file read through sadf -d (sadf_run.c),
 * each into a temporary file.  Lines of sadf's output are named
 * "name (sadf -d):line", not lines of the binary file.
 */
static int
input_prepare(struct sa_input *in)
{
	enum unpack_kind k;
	char *tmp, *name;

	if (unpack_detect(in->path, in->name, &k) == -1)
		return -1;
	if (k != UNPACK_PLAIN) {
		if (unpack_to_temp(in->path, in->name, k, &tmp) == -1)
			return -1;
		input_replace(in, tmp);
	}
	if (!sadf_is_binary(in->path))
		return 0;
	if (sadf_run(in->path, in->name, &tmp) == -1) {
		if (k == UNPACK_PLAIN)
			return -1;
		/* sadf's advice names the input, which it cannot read */
		name = xstrdup(error_last_msg());
		error_set(ERROR_BACKEND, "%s (of the %s-decompressed file: run "
		    "sadf on a decompressed copy)", name, unpack_kind_name(k));
		free(name);
		return -1;
	}
	input_replace(in, tmp);
	name = xmalloc(strlen(in->name) + 16);
	sprintf(name, "%s (sadf -d)", in->name);
	free(in->name);
	in->name = name;
	return 0;
}

static void
inputs_free(struct sa_input *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (in[i].temp && in[i].path != NULL)
			unlink(in[i].path);
		free(in[i].path);
		free(in[i].name);
	}
	free(in);
}

static void
secs_free(struct sa_secs *secs)
{
	size_t i;

	for (i = 0; i < secs->n; i++)
		free(secs->v[i].host);
	free(secs->v);
}

int
import_sysstat(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct sa_input *in = xcalloc(ninputs, sizeof(*in)), *js;
	struct sa_secs secs = { NULL, 0, 0 };
	size_t i, njs = 0;
	int c, ret = -1;

	js = xcalloc(ninputs, sizeof(*js));
	for (i = 0; i < ninputs; i++) {
		in[i].name = xstrdup(strcmp(inputs[i], "-") == 0 ? "<stdin>" :
		    inputs[i]);
		if (strcmp(inputs[i], "-") != 0)
			in[i].path = xstrdup(inputs[i]);
		else if (spool_stdin(&in[i]) == -1)
			goto out;
		if (input_prepare(&in[i]) == -1 ||
		    (c = first_char(&in[i])) == -1)
			goto out;
		if (c == '{')
			js[njs++] = in[i];
		else if (scan_d(&in[i], &secs) == -1)
			goto out;
	}
	ret = import_d(sink, o, &secs);
	if (ret == 0 && njs > 0)
		ret = sa_json_import(sink, o, js, njs);
out:
	secs_free(&secs);
	free(js);
	inputs_free(in, ninputs);
	return ret;
}
