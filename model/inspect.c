/*
 * inspect.c - per-kind inspectors behind one table.
 *
 * Samples are streamed once: each row feeds one running summary per
 * metric and the per-host time bookkeeping.  Inventory and host catalogs
 * are loaded by their own readers (which validate every cell) and then
 * summarised column by column.  Kinds without a dedicated reader here
 * (disk and network streams, profiles, placements) get the generic pass:
 * field counts, and statistics of every column whose cells are numbers.
 * Standard input is spooled to a temporary file first, because the kind
 * must be known before the reading starts; readers are told to call it
 * "<stdin>" in their messages.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/format.h"
#include "common/existing.h"
#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/json.h"
#include "common/num.h"
#include "common/samples.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "model/inspect.h"
#include "model/profile.h"
#include "model/summary.h"

#define INSPECT_Q 0.95
#define MAX_INTERVALS 16	/* distinct interval_s values tracked */

/* --------------------------------------------------------- summaries */

static json_t *
summary_json(struct summary *s, const char *name, const char *unit,
    int decimals)
{
	json_t *o = json_object();
	bool est;
	double q = summary_quantile(s, &est);

	json_put(o, "name", json_str(name));
	json_put(o, "unit", json_str(unit));
	json_put(o, "n", json_integer((json_int_t)summary_count(s)));
	json_put(o, "min", json_num(summary_min(s), decimals));
	json_put(o, "mean", json_num(summary_mean(s), decimals + 2));
	json_put(o, "p95", json_num(q, decimals + 2));
	json_put(o, "max", json_num(summary_max(s), decimals));
	json_put(o, "p95_estimated", json_boolean(est));
	return o;
}

static json_t *
str_array(char *const *items, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_str(items[i]));
	return a;
}

static void
warn(json_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(json_t *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_array_append_new(json_object_get(o, "warnings"), json_str(buf));
}

/* ----------------------------------------------------------- samples */

struct host_acc {
	char *host;
	int64_t first_ms, last_ms;
	double last_interval_s;
	size_t rows, gaps;
};

struct sinspect {
	struct summary *sum[METRIC_N];
	bool has[METRIC_N];
	struct strmap index;
	struct host_acc *hosts;
	size_t nhosts, cap;
	double iv[MAX_INTERVALS];
	size_t iv_rows[MAX_INTERVALS], niv, iv_other;
	json_t *columns, *extra;
};

static int
si_header(const struct samples_header *h, void *ctx)
{
	struct sinspect *si = ctx;
	int m;

	for (m = 0; m < METRIC_N; m++)
		if ((si->has[m] = h->has[m]))
			si->sum[m] = summary_new(INSPECT_Q);
	si->columns = str_array(h->columns, h->ncolumns);
	si->extra = str_array(h->extra, h->nextra);
	return 0;
}

static struct host_acc *
si_host(struct sinspect *si, const char *host)
{
	size_t i;

	if (strmap_get(&si->index, host, &i))
		return &si->hosts[i];
	ALLOC_GROW(si->hosts, si->nhosts + 1, si->cap);
	memset(&si->hosts[si->nhosts], 0, sizeof(si->hosts[0]));
	si->hosts[si->nhosts].host = xstrdup(host);
	strmap_put(&si->index, host, si->nhosts, NULL);
	return &si->hosts[si->nhosts++];
}

static void
si_interval(struct sinspect *si, double iv)
{
	size_t i;

	for (i = 0; i < si->niv; i++)
		if (si->iv[i] == iv) {
			si->iv_rows[i]++;
			return;
		}
	if (si->niv == MAX_INTERVALS) {
		si->iv_other++;
		return;
	}
	si->iv[si->niv] = iv;
	si->iv_rows[si->niv++] = 1;
}

static int
si_row(const struct sample *s, void *ctx)
{
	struct sinspect *si = ctx;
	struct host_acc *h = si_host(si, s->host);
	int m;

	for (m = 0; m < METRIC_N; m++)
		if (si->has[m])
			summary_add(si->sum[m], s->v[m]);
	if (h->rows == 0)
		h->first_ms = s->ts_ms;
	else if ((double)(s->ts_ms - h->last_ms) > 1500.0 * h->last_interval_s)
		h->gaps++;
	h->last_ms = s->ts_ms;
	h->last_interval_s = s->interval_s;
	h->rows++;
	si_interval(si, s->interval_s);
	return 0;
}

static double
si_main_interval(const struct sinspect *si)
{
	size_t i, best = 0;

	if (si->niv == 0)
		return NAN;
	for (i = 1; i < si->niv; i++)
		if (si->iv_rows[i] > si->iv_rows[best])
			best = i;
	return si->iv[best];
}

static json_t *
ts_json(int64_t ts_ms)
{
	char buf[TIME_RFC3339_LEN];

	time_format_rfc3339(ts_ms, buf);
	return json_str(buf);
}

/* Expected intervals of host h at the file's main interval iv. */
static double
host_expected(const struct host_acc *h, double iv)
{
	if (isnan(iv) || h->rows == 0)
		return (double)h->rows;
	return fmax((double)h->rows,
	    floor((double)(h->last_ms - h->first_ms) / (iv * 1000.0) + 1e-9) +
	    1.0);
}

static json_t *
si_hosts_json(const struct sinspect *si, double iv, double *expected)
{
	json_t *a = json_array(), *o;
	const struct host_acc *h;
	double e;
	size_t i;

	*expected = 0;
	for (i = 0; i < si->nhosts; i++) {
		h = &si->hosts[i];
		e = host_expected(h, iv);
		*expected += e;
		o = json_object();
		json_put(o, "host", json_str(h->host));
		json_put(o, "rows", json_integer((json_int_t)h->rows));
		json_put(o, "first", ts_json(h->first_ms));
		json_put(o, "end", ts_json(h->last_ms +
		    (int64_t)llround(h->last_interval_s * 1000.0)));
		json_put(o, "coverage", json_num((double)h->rows / e, 4));
		json_put(o, "gaps", json_integer((json_int_t)h->gaps));
		json_array_append_new(a, o);
	}
	return a;
}

static void
si_time_json(const struct sinspect *si, json_t *o)
{
	int64_t first = INT64_MAX, end = INT64_MIN, e;
	size_t i;

	for (i = 0; i < si->nhosts; i++) {
		e = si->hosts[i].last_ms +
		    (int64_t)llround(si->hosts[i].last_interval_s * 1000.0);
		if (si->hosts[i].first_ms < first)
			first = si->hosts[i].first_ms;
		if (e > end)
			end = e;
	}
	json_put(o, "first", si->nhosts > 0 ? ts_json(first) : json_null());
	json_put(o, "end", si->nhosts > 0 ? ts_json(end) : json_null());
	json_put(o, "days", si->nhosts > 0 ?
	    json_num((double)(end - first) / 86400000.0, 2) : json_null());
}

static json_t *
si_intervals_json(const struct sinspect *si)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < si->niv; i++) {
		o = json_object();
		json_put(o, "interval_s", json_num(si->iv[i], 3));
		json_put(o, "rows", json_integer((json_int_t)si->iv_rows[i]));
		json_array_append_new(a, o);
	}
	return a;
}

static void
si_json(struct sinspect *si, json_t *o, const struct samples_stats *st)
{
	json_t *metrics = json_array();
	double iv = si_main_interval(si), expected;
	int m;

	json_put(o, "rows", json_integer((json_int_t)st->rows));
	json_put(o, "hosts", si_hosts_json(si, iv, &expected));
	si_time_json(si, o);
	json_put(o, "interval_s", json_num(iv, 3));
	json_put(o, "intervals", si_intervals_json(si));
	json_put(o, "expected_intervals", json_num(expected, 0));
	json_put(o, "coverage", json_num(expected > 0 ?
	    (double)st->rows / expected : NAN, 4));
	json_put(o, "columns", si->columns);
	json_put(o, "extra_columns", si->extra);
	si->columns = si->extra = NULL;
	for (m = 0; m < METRIC_N; m++)
		if (si->has[m])
			json_array_append_new(metrics, summary_json(si->sum[m],
			    metric_table[m].name, metric_table[m].unit,
			    metric_table[m].decimals));
	json_put(o, "metrics", metrics);
}

static void
si_release(struct sinspect *si)
{
	size_t i;
	int m;

	for (m = 0; m < METRIC_N; m++)
		summary_free(si->sum[m]);
	for (i = 0; i < si->nhosts; i++)
		free(si->hosts[i].host);
	free(si->hosts);
	strmap_release(&si->index);
	json_decref(si->columns);
	json_decref(si->extra);
}

static void
si_warnings(json_t *o, const char *path, const struct samples_stats *st)
{
	if (st->dup_skipped > 0)
		warn(o, "%s:%zu: %zu row%s repeating the previous timestamp of "
		    "the same host skipped (the first row is kept)", path,
		    st->dup_first_line, st->dup_skipped,
		    st->dup_skipped == 1 ? "" : "s");
	if (st->trunc_line > 0)
		warn(o, "%s:%zu: cut-short last line with no newline skipped",
		    path, st->trunc_line);
	if (st->rows == 0)
		warn(o, "%s: no data rows", path);
}

static int
inspect_samples(const char *path, const char *name, json_t *o)
{
	static const struct samples_ops ops = { si_header, si_row };
	struct sinspect si = { 0 };
	struct samples_stats st;
	int rc;

	strmap_init(&si.index);
	rc = samples_read_named(path, name, &ops, &si, &st);
	if (rc == 0) {
		si_json(&si, o, &st);
		si_warnings(o, name, &st);
	}
	si_release(&si);
	return rc;
}

/* ------------------------------------------------- inventory, catalog */

static json_t *
table_columns_json(const struct table_spec *spec,
    const struct table_info *info, const void *rows, size_t nrows)
{
	const struct col_spec *c;
	struct summary *s;
	json_t *a = json_array();
	size_t i, r;

	for (i = 0; i < spec->ncols; i++) {
		c = &spec->cols[i];
		if (!info->present[i] || (c->type != COL_NUM &&
		    c->type != COL_INT))
			continue;
		s = summary_new(INSPECT_Q);
		for (r = 0; r < nrows; r++)
			summary_add(s, *(const double *)(const void *)
			    ((const char *)rows + r * spec->row_size +
			    c->offset));
		json_array_append_new(a, summary_json(s, c->name, c->unit,
		    c->type == COL_INT ? 0 : c->decimals));
		summary_free(s);
	}
	return a;
}

static json_t *
present_columns_json(const struct table_spec *spec,
    const struct table_info *info)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < spec->ncols; i++)
		if (info->present[i])
			json_array_append_new(a, json_str(spec->cols[i].name));
	return a;
}

static void
table_json(json_t *o, const char *name, const struct table_spec *spec,
    const struct table_info *info, const void *rows, size_t nrows,
    const char *names_key)
{
	json_t *names = json_array();
	size_t r;

	for (r = 0; r < nrows; r++)
		json_array_append_new(names, json_str(*(char *const *)
		    (const void *)((const char *)rows + r * spec->row_size +
		    spec->cols[spec->key_col].offset)));
	json_put(o, "rows", json_integer((json_int_t)nrows));
	json_put(o, names_key, names);
	json_put(o, "columns", present_columns_json(spec, info));
	json_put(o, "extra_columns", str_array(info->extra, info->nextra));
	json_put(o, "metrics", table_columns_json(spec, info, rows, nrows));
	if (nrows == 0)
		warn(o, "%s: no data rows", name);
}

static int
inspect_table(const struct table_spec *spec, const char *path,
    const char *name, json_t *o, const char *names_key)
{
	struct table_info info;
	size_t nrows;
	void *rows;

	if (table_read_named(spec, path, name, &rows, &nrows, &info) == -1)
		return -1;
	table_json(o, name, spec, &info, rows, nrows, names_key);
	table_info_release(&info);
	table_free(spec, rows, nrows);
	return 0;
}

static int
inspect_inventory(const char *path, const char *name, json_t *o)
{
	return inspect_table(&inventory_spec, path, name, o, "hosts");
}

static int
inspect_hostcat(const char *path, const char *name, json_t *o)
{
	return inspect_table(&hostcat_spec, path, name, o, "models");
}

static int
inspect_existing(const char *path, const char *name, json_t *o)
{
	return inspect_table(&existing_spec, path, name, o, "hosts");
}

/* ----------------------------------------------------------- generic */

struct ginspect {
	const char *path;
	size_t ncols, rows;
	json_t *columns;
	struct summary **sum;	/* per column; NULL once a cell is text */
};

static int
gi_record(const struct csv_record *rec, void *ctx)
{
	struct ginspect *g = ctx;
	double v;
	size_t i;

	if (rec->index == 1)
		return 0;
	if (rec->index == 2) {
		g->ncols = rec->nfields;
		g->columns = str_array(rec->fields, rec->nfields);
		g->sum = xcalloc(rec->nfields, sizeof(*g->sum));
		for (i = 0; i < rec->nfields; i++)
			g->sum[i] = summary_new(INSPECT_Q);
		return 0;
	}
	if (rec->nfields != g->ncols)
		return error_at(ERROR_DATA, g->path, rec->line, 0,
		    "expected %zu fields as in the header, found %zu", g->ncols,
		    rec->nfields);
	g->rows++;
	for (i = 0; i < rec->nfields; i++) {
		if (g->sum[i] == NULL || rec->fields[i][0] == '\0')
			continue;
		if (num_parse_double(rec->fields[i], &v, NULL) == 0)
			summary_add(g->sum[i], v);
		else {
			summary_free(g->sum[i]);
			g->sum[i] = NULL;
		}
	}
	return 0;
}

static int
inspect_generic(const char *path, const char *name, json_t *o)
{
	struct ginspect g = { name, 0, 0, NULL, NULL };
	struct csv_reader *r = csv_reader_open(path);
	json_t *metrics = json_array();
	const char *col;
	size_t i;
	int rc;

	if (r == NULL) {
		json_decref(metrics);
		return -1;
	}
	csv_reader_set_name(r, name);
	rc = csv_reader_run(r, gi_record, &g);
	for (i = 0; i < g.ncols; i++) {
		col = json_string_value(json_array_get(g.columns, i));
		if (rc == 0 && g.sum[i] != NULL && summary_count(g.sum[i]) > 0)
			json_array_append_new(metrics,
			    summary_json(g.sum[i], col, "", 3));
		summary_free(g.sum[i]);
	}
	free(g.sum);
	json_put(o, "rows", json_integer((json_int_t)g.rows));
	json_put(o, "columns", g.columns != NULL ? g.columns : json_array());
	json_put(o, "metrics", metrics);
	csv_reader_free(r);
	return rc;
}

/* Profiles: checked by their reader, then summarised column by column. */
static int
inspect_profiles(const char *path, const char *name, json_t *o)
{
	struct profile_set ps;
	json_t *hosts = json_array();
	size_t i;

	if (profile_set_read_named(&ps, path, name) == -1) {
		json_decref(hosts);
		return -1;
	}
	for (i = 0; i < ps.nprofiles; i++)
		json_array_append_new(hosts, json_str(ps.profiles[i].host));
	profile_set_release(&ps);
	json_put(o, "hosts", hosts);
	return inspect_generic(path, name, o);
}

/* -------------------------------------------------------- dispatcher */

static const struct {
	enum format_kind kind;
	int (*fn)(const char *path, const char *name, json_t *o);
} inspectors[] = {
	{ FORMAT_SAMPLES, inspect_samples },
	{ FORMAT_INVENTORY, inspect_inventory },
	{ FORMAT_HOSTS, inspect_hostcat },
	{ FORMAT_EXISTING, inspect_existing },
	{ FORMAT_PROFILES, inspect_profiles },
};

struct sniff {
	const char *path;
	enum format_kind kind;
	int version;
	bool seen;
};

static int
sniff_record(const struct csv_record *rec, void *ctx)
{
	struct sniff *sn = ctx;

	sn->seen = true;
	if (format_identify(rec, sn->path, &sn->kind, &sn->version) == -1)
		return -1;
	return CSV_STOP;
}

static int
sniff(const char *path, const char *name, struct sniff *sn)
{
	struct csv_reader *r = csv_reader_open(path);
	int rc;

	if (r == NULL)
		return -1;
	csv_reader_set_name(r, name);
	sn->path = name;
	sn->seen = false;
	rc = csv_reader_run(r, sniff_record, sn);
	csv_reader_free(r);
	if (rc == 0 && !sn->seen)
		return error_at(ERROR_DATA, name, 0, 0, "empty file (expected "
		    "a format record such as 'capplan-samples,1')");
	return rc;
}

/* Copy stdin to a temporary file; its name goes to *tmp. */
static int
spool_stdin(char **tmp)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	FILE *fp;
	size_t n;
	int fd;

	strbuf_addf(&sb, "%s/capplan-inspect-XXXXXX", dir != NULL && *dir !=
	    '\0' ? dir : "/tmp");
	*tmp = strbuf_detach(&sb);
	fd = mkstemp(*tmp);
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL)
		return error_set_errno(ERROR_IO, "cannot spool stdin");
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			break;
	if (ferror(stdin) || fclose(fp) != 0)
		return error_set_errno(ERROR_IO, "cannot spool stdin");
	return 0;
}

static int
inspect_kind(const char *path, const char *name, struct sniff *sn,
    json_t *o)
{
	size_t i;

	json_put(o, "kind", json_str(format_table[sn->kind].name));
	json_put(o, "version", json_integer(sn->version));
	json_put(o, "warnings", json_array());
	for (i = 0; i < sizeof(inspectors) / sizeof(inspectors[0]); i++)
		if (inspectors[i].kind == sn->kind)
			return inspectors[i].fn(path, name, o);
	return inspect_generic(path, name, o);
}

json_t *
inspect_file(const char *path)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct sniff sn;
	json_t *o = json_object();
	char *tmp = NULL;
	int rc = -1;

	json_put(o, "file", json_str(name));
	if (strcmp(path, "-") == 0) {
		if (spool_stdin(&tmp) == -1)
			goto out;
		path = tmp;
	}
	if (sniff(path, name, &sn) == 0)
		rc = inspect_kind(path, name, &sn, o);
out:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	if (rc == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}
