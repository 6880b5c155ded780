/*
 * samples.c - the metric table and the streaming samples reader/writer.
 *
 * Columns are mapped by name once, at the header, into a role per file
 * column (a metric index or one of the ROLE_ values); each row is then a
 * loop over its cells with no string comparison on the hot path.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/format.h"
#include "common/num.h"
#include "common/samples.h"
#include "common/strmap.h"
#include "common/utf8.h"
#include "common/xalloc.h"

#define PCT 100.0
#define BIG 1e15		/* no real rate or size reaches this */

const struct metric_info metric_table[METRIC_N] = {
	[METRIC_CPU_BUSY_PCT] = { "cpu_busy_pct", "%", PCT, 2,
	    "CPU busy, percent of all online logical CPUs (mean)" },
	[METRIC_CPU_BUSY_MAX_PCT] = { "cpu_busy_max_pct", "%", PCT, 2,
	    "CPU busy, highest sub-sample in the interval" },
	[METRIC_CPU_STEAL_PCT] = { "cpu_steal_pct", "%", PCT, 2,
	    "CPU stolen by a hypervisor, percent of all CPUs" },
	[METRIC_CPU_IOWAIT_PCT] = { "cpu_iowait_pct", "%", PCT, 2,
	    "CPU idle waiting for I/O, percent of all CPUs" },
	[METRIC_NCPU_ONLINE] = { "ncpu_online", "count", 1e6, 0,
	    "logical CPUs online at the end of the interval" },
	[METRIC_MEM_TOTAL_MIB] = { "mem_total_mib", "MiB", BIG, 1,
	    "memory the kernel manages (MemTotal)" },
	[METRIC_MEM_USED_MIB] = { "mem_used_mib", "MiB", BIG, 1,
	    "memory used: MemTotal - MemAvailable (mean)" },
	[METRIC_MEM_USED_MAX_MIB] = { "mem_used_max_mib", "MiB", BIG, 1,
	    "memory used, highest sub-sample in the interval" },
	[METRIC_MEM_CACHE_MIB] = { "mem_cache_mib", "MiB", BIG, 1,
	    "page cache (Cached)" },
	[METRIC_SWAP_USED_MIB] = { "swap_used_mib", "MiB", BIG, 1,
	    "swap in use: SwapTotal - SwapFree" },
	[METRIC_SWAP_IN_PER_S] = { "swap_in_per_s", "1/s", BIG, 2,
	    "pages swapped in per second" },
	[METRIC_SWAP_OUT_PER_S] = { "swap_out_per_s", "1/s", BIG, 2,
	    "pages swapped out per second" },
	[METRIC_PGMAJFAULT_PER_S] = { "pgmajfault_per_s", "1/s", BIG, 2,
	    "major page faults per second" },
	[METRIC_DISK_READ_IOPS] = { "disk_read_iops", "1/s", BIG, 2,
	    "reads completed per second, all whole disks" },
	[METRIC_DISK_WRITE_IOPS] = { "disk_write_iops", "1/s", BIG, 2,
	    "writes completed per second, all whole disks" },
	[METRIC_DISK_IOPS_MAX] = { "disk_iops_max", "1/s", BIG, 2,
	    "reads + writes per second, highest sub-sample" },
	[METRIC_DISK_READ_KIBPS] = { "disk_read_kibps", "KiB/s", BIG, 2,
	    "KiB read per second, all whole disks" },
	[METRIC_DISK_WRITE_KIBPS] = { "disk_write_kibps", "KiB/s", BIG, 2,
	    "KiB written per second, all whole disks" },
	[METRIC_DISK_KIBPS_MAX] = { "disk_kibps_max", "KiB/s", BIG, 2,
	    "KiB read + written per second, highest sub-sample" },
	[METRIC_DISK_BUSY_PCT] = { "disk_busy_pct", "%", PCT, 2,
	    "time the busiest disk had I/O in flight" },
	[METRIC_NET_RX_KIBPS] = { "net_rx_kibps", "KiB/s", BIG, 2,
	    "KiB received per second, physical interfaces" },
	[METRIC_NET_TX_KIBPS] = { "net_tx_kibps", "KiB/s", BIG, 2,
	    "KiB sent per second, physical interfaces" },
	[METRIC_NET_RX_MAX_KIBPS] = { "net_rx_max_kibps", "KiB/s", BIG, 2,
	    "KiB received per second, highest sub-sample" },
	[METRIC_NET_TX_MAX_KIBPS] = { "net_tx_max_kibps", "KiB/s", BIG, 2,
	    "KiB sent per second, highest sub-sample" },
	[METRIC_PSI_CPU_SOME_PCT] = { "psi_cpu_some_pct", "%", PCT, 2,
	    "share of time some task waited for a CPU (PSI)" },
	[METRIC_PSI_MEM_SOME_PCT] = { "psi_mem_some_pct", "%", PCT, 2,
	    "share of time some task waited for memory (PSI)" },
	[METRIC_PSI_IO_SOME_PCT] = { "psi_io_some_pct", "%", PCT, 2,
	    "share of time some task waited for I/O (PSI)" },
	[METRIC_CPU_CORE_BUSY_MAX_PCT] = { "cpu_core_busy_max_pct", "%", PCT, 2,
	    "busiest logical CPU's busy percent over the interval" },
	[METRIC_PROCS_RUNNING] = { "procs_running", "count", BIG, 2,
	    "runnable tasks (procs_running), mean of the sub-samples" },
	[METRIC_LOAD1] = { "load1", "count", BIG, 2,
	    "one-minute load average at the end of the interval" },
};

enum role {
	ROLE_EXTRA = -1,
	ROLE_TS = -2,
	ROLE_INTERVAL = -3,
	ROLE_HOST = -4,
	ROLE_FLAGS = -5,
};

struct sread {
	const struct samples_ops *ops;
	void *ctx;
	const char *path;
	struct samples_stats *st;
	struct samples_header h;
	int *role;		/* per file column */
	char *stem_host;
	/* last timestamp per host */
	struct strmap hosts;
	int64_t *last_ts;
	size_t nhosts, hosts_cap;
	bool done_header;
};

int
metric_find(const char *name)
{
	int m;

	for (m = 0; m < METRIC_N; m++)
		if (strcmp(metric_table[m].name, name) == 0)
			return m;
	return -1;
}

char *
samples_host_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	if (strcmp(path, "<stdin>") == 0 || strcmp(path, "-") == 0)
		return xstrdup("stdin");
	n = strlen(base);
	if (n > 12 && strcmp(base + n - 12, ".samples.csv") == 0)
		n -= 12;
	else if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
		n -= 4;
	return xstrndup(base, n);
}

static int
role_of(const char *name)
{
	if (strcmp(name, "ts") == 0)
		return ROLE_TS;
	if (strcmp(name, "interval_s") == 0)
		return ROLE_INTERVAL;
	if (strcmp(name, "host") == 0)
		return ROLE_HOST;
	if (strcmp(name, "flags") == 0)
		return ROLE_FLAGS;
	return metric_find(name);
}

static int
add_column(struct sread *r, const struct csv_record *rec, size_t i,
    struct strmap *seen)
{
	struct samples_header *h = &r->h;
	size_t first;
	int role = role_of(rec->fields[i]);

	if (!strmap_put(seen, rec->fields[i], i, &first))
		return error_at(ERROR_DATA, r->path, rec->line, i + 1,
		    "column '%s' appears twice (also column %zu)",
		    rec->fields[i], first + 1);
	r->role[i] = role;
	h->columns[i] = xstrdup(rec->fields[i]);
	if (role >= 0)
		h->has[role] = true;
	else if (role == ROLE_HOST)
		h->has_host = true;
	else if (role == ROLE_FLAGS)
		h->has_flags = true;
	else if (role == ROLE_EXTRA) {
		h->extra = xreallocarray(h->extra, h->nextra + 1,
		    sizeof(char *));
		h->extra[h->nextra++] = xstrdup(rec->fields[i]);
	}
	return 0;
}

static int
read_header(struct sread *r, const struct csv_record *rec)
{
	static const char *required[] = { "ts", "interval_s", "cpu_busy_pct" };
	struct strmap seen = STRMAP_INIT;
	size_t i;
	int ret = -1;

	r->h.ncolumns = rec->nfields;
	r->h.columns = xcalloc(rec->nfields, sizeof(char *));
	r->role = xcalloc(rec->nfields, sizeof(int));
	for (i = 0; i < rec->nfields; i++)
		if (add_column(r, rec, i, &seen) == -1)
			goto out;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!strmap_get(&seen, required[i], &(size_t){ 0 })) {
			error_at(ERROR_DATA, r->path, rec->line, 0,
			    "missing required column '%s'", required[i]);
			goto out;
		}
	/* no host column: the file's name names the host, and is text too */
	if (!strmap_get(&seen, "host", &(size_t){ 0 }) &&
	    utf8_check(r->stem_host, "the host name from the file name",
	    r->path, 0, 0) == -1)
		goto out;
	r->done_header = true;
	ret = r->ops->header != NULL ? r->ops->header(&r->h, r->ctx) : 0;
out:
	strmap_release(&seen);
	return ret;
}

static int
parse_metric(struct sread *r, int m, const char *cell, double *out,
    size_t line, size_t col)
{
	const struct metric_info *mi = &metric_table[m];
	const char *why;

	if (*cell == '\0') {
		*out = NAN;
		return 0;
	}
	if (num_parse_double(cell, out, &why) == -1)
		return error_at(ERROR_DATA, r->path, line, col, "%s: '%s' %s",
		    mi->name, cell, why);
	if (*out < 0.0)
		return error_at(ERROR_DATA, r->path, line, col,
		    "%s: '%s' is negative", mi->name, cell);
	if (*out > mi->max)
		return error_at(ERROR_DATA, r->path, line, col,
		    "%s: '%s' is above %g%s", mi->name, cell, mi->max,
		    mi->max == PCT ? " %" : "");
	/* counts (written with no decimals) are whole */
	if (mi->decimals == 0 && !num_is_whole(*out))
		return error_at(ERROR_DATA, r->path, line, col,
		    "%s: '%s' is not a whole number", mi->name, cell);
	return 0;
}

static int
parse_cell(struct sread *r, struct sample *s, const struct csv_record *rec,
    size_t i)
{
	const char *cell = rec->fields[i], *why;

	switch (r->role[i]) {
	case ROLE_EXTRA:
		return 0;
	case ROLE_TS:
		if (time_parse_rfc3339(cell, &s->ts_ms, &why) == -1)
			return error_at(ERROR_DATA, r->path, rec->line, i + 1,
			    "ts: '%s' %s", cell, why);
		return 0;
	case ROLE_INTERVAL:
		if (num_parse_double(cell, &s->interval_s, &why) == -1)
			return error_at(ERROR_DATA, r->path, rec->line, i + 1,
			    "interval_s: '%s' %s", cell, why);
		if (!samples_interval_ok(s->interval_s))
			return error_at(ERROR_DATA, r->path, rec->line, i + 1,
			    "interval_s: '%s' is not in "
			    SAMPLES_INTERVAL_TEXT, cell);
		return 0;
	case ROLE_HOST:
		s->host = csv_text_value(cell);
		if (*s->host == '\0')
			return error_at(ERROR_DATA, r->path, rec->line, i + 1,
			    "host: a value is required");
		return 0;
	case ROLE_FLAGS:
		s->flags = cell;
		return 0;
	}
	return parse_metric(r, r->role[i], cell, &s->v[r->role[i]], rec->line,
	    i + 1);
}

/* Where the last timestamp of s->host is kept. */
static int64_t *
host_last(struct sread *r, const char *host, bool *fresh)
{
	size_t idx;

	*fresh = false;
	if (!strmap_get(&r->hosts, host, &idx)) {
		idx = r->nhosts++;
		strmap_put(&r->hosts, host, idx, NULL);
		ALLOC_GROW(r->last_ts, r->nhosts, r->hosts_cap);
		*fresh = true;
	}
	return &r->last_ts[idx];
}

/* 1: skip (a repeated timestamp), 0: in order, -1: out of order. */
static int
check_order(struct sread *r, const struct sample *s)
{
	char prev[TIME_RFC3339_LEN], cur[TIME_RFC3339_LEN];
	bool fresh;
	int64_t *last = host_last(r, s->host, &fresh);

	if (!fresh && s->ts_ms == *last) {
		if (r->st->dup_skipped++ == 0)
			r->st->dup_first_line = s->line;
		return 1;
	}
	if (!fresh && s->ts_ms < *last) {
		time_format_rfc3339(s->ts_ms, cur);
		time_format_rfc3339(*last, prev);
		return error_at(ERROR_DATA, r->path, s->line, 0,
		    "ts: %s is earlier than the row before it for host '%s' "
		    "(%s); rows must be in time order", cur, s->host, prev);
	}
	*last = s->ts_ms;
	return 0;
}

/*
 * A sample ends at ts + interval_s, and readers of what is made from it
 * (a profile's "end") need that end to be a time they can read back.
 */
static int
check_end(struct sread *r, const struct sample *s)
{
	size_t i;

	/* no llround(): capplan-collect links this and no libm */
	if (s->ts_ms + (int64_t)(s->interval_s * 1000.0 + 0.5) <= TIME_MAX_MS)
		return 0;
	for (i = 0; r->role[i] != ROLE_INTERVAL; i++)
		;
	return error_at(ERROR_DATA, r->path, s->line, i + 1, "interval_s: "
	    "the sample ends after 9999-12-31T23:59:59.999Z, outside "
	    TIME_RANGE_TEXT);
}

/*
 * Used memory (mean or peak) must fit in total, give or take rounding,
 * and the sample must end in time.
 */
static int
check_row(struct sread *r, const struct sample *s)
{
	static const int used[] = { METRIC_MEM_USED_MIB,
	    METRIC_MEM_USED_MAX_MIB };
	double tot = s->v[METRIC_MEM_TOTAL_MIB], u;
	size_t i;

	if (check_end(r, s) == -1)
		return -1;

	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
		u = s->v[used[i]];
		if (!isnan(u) && !isnan(tot) && u > tot * 1.001 + 1.0)
			return error_at(ERROR_DATA, r->path, s->line, 0,
			    "%s %.1f is more than mem_total_mib %.1f",
			    metric_table[used[i]].name, u, tot);
	}
	return 0;
}

static int
read_row(struct sread *r, const struct csv_record *rec)
{
	struct sample s;
	size_t i;
	int rc, m;

	if (rec->nfields != r->h.ncolumns) {
		/* a write cut short leaves fewer fields, never more */
		if (!rec->terminated && rec->nfields < r->h.ncolumns) {
			r->st->trunc_line = rec->line;
			return 0;
		}
		return error_at(ERROR_DATA, r->path, rec->line, 0,
		    "expected %zu fields as in the header, found %zu",
		    r->h.ncolumns, rec->nfields);
	}
	/* a full row whose last cell ends inside a character: bad text */
	if (rec->cut_short)
		return utf8_check(rec->fields[rec->nfields - 1], NULL, r->path,
		    rec->line, rec->nfields);
	s.host = r->stem_host;
	s.flags = "";
	s.line = rec->line;
	for (m = 0; m < METRIC_N; m++)
		s.v[m] = NAN;
	for (i = 0; i < rec->nfields; i++)
		if (parse_cell(r, &s, rec, i) == -1)
			return -1;
	if (check_row(r, &s) == -1 || (rc = check_order(r, &s)) == -1)
		return -1;
	if (rc == 1)
		return 0;
	r->st->rows++;
	return r->ops->row(&s, r->ctx);
}

static int
on_record(const struct csv_record *rec, void *ctx)
{
	struct sread *r = ctx;

	if (rec->index == 1)
		return format_expect(rec, r->path, FORMAT_SAMPLES,
		    &r->h.version);
	if (rec->index == 2)
		return read_header(r, rec);
	return read_row(r, rec);
}

static void
sread_release(struct sread *r)
{
	size_t i;

	for (i = 0; i < r->h.ncolumns; i++)
		free(r->h.columns[i]);
	for (i = 0; i < r->h.nextra; i++)
		free(r->h.extra[i]);
	free(r->h.columns);
	free(r->h.extra);
	free(r->role);
	free(r->stem_host);
	free(r->last_ts);
	strmap_release(&r->hosts);
}

int
samples_read(const char *path, const struct samples_ops *ops, void *ctx,
    struct samples_stats *st)
{
	return samples_read_named(path, strcmp(path, "-") == 0 ? "<stdin>" :
	    path, ops, ctx, st);
}

int
samples_read_named(const char *path, const char *name,
    const struct samples_ops *ops, void *ctx, struct samples_stats *st)
{
	struct samples_stats scratch;
	struct sread r = { 0 };
	struct csv_reader *cr = csv_reader_open(path);
	int rc;

	if (cr == NULL)
		return -1;
	csv_reader_set_name(cr, name);
	csv_reader_allow_cut_short(cr);
	r.ops = ops;
	r.ctx = ctx;
	r.st = st != NULL ? st : &scratch;
	memset(r.st, 0, sizeof(*r.st));
	r.path = r.h.path = csv_reader_name(cr);
	r.stem_host = samples_host_from_path(r.path);
	strmap_init(&r.hosts);
	rc = csv_reader_run(cr, on_record, &r);
	if (rc == 0 && r.h.version == 0)
		rc = error_at(ERROR_DATA, r.path, 0, 0, "empty file (expected "
		    "the format record 'capplan-samples,1')");
	else if (rc == 0 && !r.done_header)
		rc = error_at(ERROR_DATA, r.path, 0, 0,
		    "no header line after the format record");
	sread_release(&r);
	csv_reader_free(cr);
	return rc;
}

void
samples_write_head(struct csv_line *line, const bool has[METRIC_N],
    bool with_host)
{
	int m;

	format_write(line, FORMAT_SAMPLES);
	csv_line_str(line, "ts");
	csv_line_str(line, "interval_s");
	if (with_host)
		csv_line_str(line, "host");
	for (m = 0; m < METRIC_N; m++)
		if (has[m])
			csv_line_str(line, metric_table[m].name);
	csv_line_end(line);
}

void
samples_write_row(struct csv_line *line, const struct sample *s,
    const bool has[METRIC_N], bool with_host)
{
	char ts[TIME_RFC3339_LEN];
	int m;

	time_format_rfc3339(s->ts_ms, ts);
	csv_line_str(line, ts);
	csv_line_num(line, s->interval_s,
	    num_is_whole(s->interval_s) ? 0 : 3);
	if (with_host)
		csv_line_text(line, s->host);
	for (m = 0; m < METRIC_N; m++)
		if (has[m])
			csv_line_num(line, s->v[m], metric_table[m].decimals);
	csv_line_end(line);
}
