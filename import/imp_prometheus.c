/*
 * imp_prometheus.c - Prometheus /api/v1/query_range responses (matrix)
 * of node_exporter metrics, one response per query.
 *
 * A series is one column of one host: the host is its "instance" label
 * without ":port", the column its "capplan" label (label_replace() in
 * the query) or else the response file's name up to its first '.'.  The
 * queries that compute each column in capplan's units are in
 * capplan-import(1).  A point at time t is a rate over the step before
 * it, so ts = t - step; the step is the smallest distance between two
 * points of a series and must be the same for every series of a host.
 *
 * The responses are those of the queries in promql.c (capplan import
 * prometheus --queries prints them); imp_promlive.c runs the same
 * queries against a server itself (--url).
 *
 * Responses are walked with jscan: the first pass reads one series at a
 * time to note its host, column, first time and step (and node_uname_info
 * series, for the kernel in the inventory); the second loads one host's
 * series at a time (Prometheus returns at most 11,000 points per series)
 * and merges them by time.  Memory grows with one host's data, not the
 * fleet's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "import/import.h"
#include "import/jscan.h"

#define COL_UNAME (-2)		/* a node_uname_info series */
#define NEAR_ZERO 1e-6		/* rounding below zero, taken as 0 */

struct pm_series {
	const char *file;	/* the input, for messages and reading */
	char *col_name;		/* for messages */
	struct jscan_pos pos;	/* of the series object */
	size_t index;		/* in "result" */
	char *host;
	int col;		/* a metric */
	double first_t, step;	/* seconds; step NaN with one point */
};

struct pm_run {
	struct import_sink *sink;
	struct pm_series *s;
	size_t n, cap;
	struct strmap kernel_of;	/* host -> kernels[] */
	char **kernels;
	size_t nkernels, kernels_cap;
};

/* The column named by a file: its base name up to the first '.'. */
static int
col_of_file(const char *file)
{
	char *base = import_basename(file);
	int m;

	base[strcspn(base, ".")] = '\0';
	m = metric_find(base);
	free(base);
	return m;
}

static int
series_error(const struct jscan *js, const struct pm_series *s,
    const char *what)
{
	if (s->host == NULL)
		return jscan_error(js, &s->pos, "result[%zu]: %s", s->index,
		    what);
	return jscan_error(js, &s->pos, "result[%zu] (instance '%s', %s): %s",
	    s->index, s->host, s->col_name != NULL ? s->col_name : "?", what);
}

/* The time of point p, a [time, "value"] pair; NaN when malformed. */
static double
point_time(json_t *p)
{
	json_t *t = json_array_get(p, 0);

	if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(t)
	    || !json_is_string(json_array_get(p, 1)))
		return NAN;
	return json_number_value(t);
}

/* First time and step of values; -1 naming the first bad point. */
static int
series_times(const struct jscan *js, struct pm_series *s, json_t *values)
{
	char what[80];
	double t, prev = NAN;
	size_t i;

	s->step = NAN;
	if (!json_is_array(values) || json_array_size(values) == 0)
		return series_error(js, s, "\"values\" is not an array of "
		    "points");
	for (i = 0; i < json_array_size(values); i++) {
		t = point_time(json_array_get(values, i));
		snprintf(what, sizeof(what), "values[%zu] is not a [time, "
		    "\"value\"] pair in time order", i);
		if (isnan(t) || t <= prev)
			return series_error(js, s, what);
		if (!(t * 1000.0 >= (double)TIME_MIN_MS &&
		    t * 1000.0 <= (double)TIME_MAX_MS)) {
			snprintf(what, sizeof(what), "values[%zu]: time %.0f "
			    "is outside " TIME_RANGE_TEXT, i, t);
			return series_error(js, s, what);
		}
		if (i > 0 && !(t - prev >= s->step))
			s->step = t - prev;
		prev = t;
	}
	s->first_t = json_number_value(json_array_get(json_array_get(values,
	    0), 0));
	return 0;
}

static void
note_kernel(struct pm_run *r, const char *host, json_t *labels)
{
	const char *rel = json_string_value(json_object_get(labels,
	    "release"));
	size_t i;

	if (rel == NULL)
		return;
	if (strmap_get(&r->kernel_of, host, &i)) {
		free(r->kernels[i]);
		r->kernels[i] = xstrdup(rel);
		return;
	}
	ALLOC_GROW(r->kernels, r->nkernels + 1, r->kernels_cap);
	r->kernels[r->nkernels] = xstrdup(rel);
	strmap_put(&r->kernel_of, host, r->nkernels++, NULL);
}

/* Which column series s (labels) is, into s->col; -1 if none. */
static int
series_col(const struct jscan *js, struct pm_series *s, json_t *labels,
    const char *file)
{
	const char *c = json_string_value(json_object_get(labels, "capplan"));
	const char *name = json_string_value(json_object_get(labels,
	    "__name__"));
	char *base;

	if (name != NULL && strcmp(name, "node_uname_info") == 0) {
		s->col = COL_UNAME;
		s->col_name = xstrdup(name);
		return 0;
	}
	s->col = c != NULL ? metric_find(c) : col_of_file(file);
	if (c != NULL)
		s->col_name = xstrdup(c);
	else {
		base = import_basename(file);
		base[strcspn(base, ".")] = '\0';
		s->col_name = base;
	}
	if (s->col < 0)
		return series_error(js, s, c != NULL ? "its capplan label "
		    "names no capplan column" : "no capplan label, and the "
		    "file name does not name a column (such as "
		    "cpu_busy_pct.json)");
	return 0;
}

/* One element of "result", read whole. */
static int
scan_series(struct pm_run *r, struct jscan *js, const char *file,
    size_t index)
{
	struct pm_series s = { file, NULL, { 0, 0, 0 }, index, NULL, -1, NAN,
	    NAN };
	json_t *v = NULL, *labels;
	const char *inst;
	int ret = -1;

	jscan_tell(js, &s.pos);
	if (jscan_value(js, &v) == -1)
		goto out;
	labels = json_object_get(v, "metric");
	inst = json_string_value(json_object_get(labels, "instance"));
	if (inst == NULL) {
		series_error(js, &s, "no \"instance\" label (aggregate with "
		    "'by (instance)')");
		goto out;
	}
	s.host = import_instance_host(inst);
	if (series_col(js, &s, labels, file) == -1 ||
	    series_times(js, &s, json_object_get(v, "values")) == -1)
		goto out;
	if (s.col == COL_UNAME)
		note_kernel(r, s.host, labels);
	else {
		ALLOC_GROW(r->s, r->n + 1, r->cap);
		r->s[r->n++] = s;
		s.host = s.col_name = NULL;
	}
	ret = 0;
out:
	free(s.host);
	free(s.col_name);
	json_decref(v);
	return ret;
}

/* The members of "data": resultType must be "matrix"; *found when it
 * has a "result". */
static int
scan_data(struct pm_run *r, struct jscan *js, const char *file, bool *found)
{
	struct jscan_pos at;
	const char *key;
	json_t *v;
	size_t index = 0;
	int more;

	if (jscan_object(js, "\"data\"") == -1)
		return -1;
	while ((more = jscan_key(js, &key)) == 1) {
		if (strcmp(key, "result") == 0) {
			*found = true;
			if (jscan_array(js, "\"result\"") == -1)
				return -1;
			while ((more = jscan_more(js)) == 1)
				if (scan_series(r, js, file, index++) == -1)
					return -1;
			if (more == -1)
				return -1;
			continue;
		}
		jscan_tell(js, &at);
		if (jscan_value(js, &v) == -1)
			return -1;
		more = strcmp(key, "resultType") == 0 && (!json_is_string(v) ||
		    strcmp(json_string_value(v), "matrix") != 0);
		json_decref(v);
		if (more)
			return jscan_error(js, &at, "resultType is not "
			    "\"matrix\": the response of an instant query? "
			    "use /api/v1/query_range");
	}
	return more;
}

/* A string member's value into *out (a copy), for status and error. */
static int
keep_string(struct jscan *js, char **out)
{
	json_t *v;

	if (jscan_value(js, &v) == -1)
		return -1;
	free(*out);
	*out = xstrdup(json_is_string(v) ? json_string_value(v) : "?");
	json_decref(v);
	return 0;
}

static int
scan_file(struct pm_run *r, const char *file)
{
	struct jscan *js = jscan_open(file, file);
	char *status = NULL, *err = NULL;
	const char *key;
	bool found = false;
	int ret = -1, more, rc;

	if (js == NULL)
		return -1;
	if (jscan_object(js, "a Prometheus API response") == -1)
		goto out;
	while ((more = jscan_key(js, &key)) == 1) {
		if (strcmp(key, "data") == 0)
			rc = scan_data(r, js, file, &found);
		else if (strcmp(key, "status") == 0)
			rc = keep_string(js, &status);
		else if (strcmp(key, "error") == 0)
			rc = keep_string(js, &err);
		else
			rc = jscan_skip(js);
		if (rc == -1)
			goto out;
	}
	if (more == -1 || jscan_end(js) == -1)
		goto out;
	if (status == NULL || strcmp(status, "success") != 0)
		error_at(ERROR_DATA, file, 1, 1, "the response's status is "
		    "'%s', not 'success'%s%s", status != NULL ? status : "none",
		    err != NULL ? ": " : "", err != NULL ? err : "");
	else if (!found)
		error_at(ERROR_DATA, file, 1, 1, "no \"data\": { \"result\": "
		    "[...] } in the response: not the output of "
		    "/api/v1/query_range");
	else
		ret = 0;
out:
	free(status);
	free(err);
	jscan_free(js);
	return ret;
}

/* ----------------------------------------------------- second pass */

struct pm_cur {
	const struct pm_series *s;
	json_t *values;
	size_t i;
};

static int
load_series(struct pm_cur *c)
{
	struct jscan *js = jscan_open(c->s->file, c->s->file);
	json_t *v = NULL;
	int ret = -1;

	if (js == NULL)
		return -1;
	if (jscan_seek(js, &c->s->pos) == -1 || jscan_value(js, &v) == -1)
		goto out;
	c->values = json_incref(json_object_get(v, "values"));
	ret = 0;
out:
	json_decref(v);
	jscan_free(js);
	return ret;
}

/* The value of the cursor's point into *v (NaN for "NaN"). */
static int
cur_value(const struct pm_cur *c, double *v)
{
	const char *txt = json_string_value(json_array_get(json_array_get(
	    c->values, c->i), 1)), *why;
	char what[120];

	if (strcmp(txt, "NaN") == 0) {
		*v = NAN;
		return 0;
	}
	if (num_parse_double(txt, v, &why) == -1 || *v < -NEAR_ZERO) {
		snprintf(what, sizeof(what), "values[%zu]: '%.40s' %s", c->i,
		    txt, *v < -NEAR_ZERO ? "is negative" : why);
		return error_at(ERROR_DATA, c->s->file, c->s->pos.line,
		    c->s->pos.col, "result[%zu] (instance '%s', %s): %s",
		    c->s->index, c->s->host, c->s->col_name, what);
	}
	*v = fmax(*v, 0.0);
	return 0;
}

static double
cur_time(const struct pm_cur *c)
{
	return json_number_value(json_array_get(json_array_get(c->values,
	    c->i), 0));
}

/* The earliest time among the cursors; false when all are done. */
static bool
next_time(const struct pm_cur *c, size_t n, double *t)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].i < json_array_size(c[i].values) &&
		    (!any || cur_time(&c[i]) < *t)) {
			*t = cur_time(&c[i]);
			any = true;
		}
	return any;
}

/* One row at time t: every cursor at t gives its column. */
static int
merge_one(struct import_host *h, struct pm_cur *c, size_t n, double t,
    double step)
{
	struct sample s;
	double v;
	size_t i;
	int m;

	memset(&s, 0, sizeof(s));
	for (m = 0; m < METRIC_N; m++)
		s.v[m] = NAN;
	s.interval_s = step;
	s.ts_ms = llround((t - step) * 1000.0);
	for (i = 0; i < n; i++) {
		if (c[i].i >= json_array_size(c[i].values) ||
		    cur_time(&c[i]) != t)
			continue;
		if (cur_value(&c[i], &v) == -1)
			return -1;
		if (isnan(s.v[c[i].s->col]))	/* two responses: the first */
			s.v[c[i].s->col] = v;
		c[i].i++;
	}
	return import_host_row(h, &s, c[0].s->file, c[0].s->pos.line);
}

/* The step all series of a host share. */
static int
host_step(const struct pm_series *s, size_t n, double *step)
{
	size_t i;

	*step = NAN;
	for (i = 0; i < n; i++) {
		if (isnan(s[i].step))
			continue;
		if (!isnan(*step) && fabs(s[i].step - *step) > 1e-3)
			return error_at(ERROR_DATA, s[i].file, s[i].pos.line,
			    s[i].pos.col, "host '%s': %s has a step of %g s "
			    "and another series %g s; use one step for every "
			    "query", s[i].host, s[i].col_name, s[i].step,
			    *step);
		*step = s[i].step;
	}
	if (isnan(*step))
		return error_at(ERROR_DATA, s[0].file, s[0].pos.line,
		    s[0].pos.col, "host '%s': no series has two points, so "
		    "the step is unknown", s[0].host);
	return 0;
}

static void
host_inventory(struct pm_run *r, struct import_host *h, const char *host)
{
	struct server_inv inv;
	size_t k;

	import_inv_init(&inv, import_host_name(h));
	inv.threads = import_host_max(h, METRIC_NCPU_ONLINE);
	inv.mem_mib = round(import_host_max(h, METRIC_MEM_TOTAL_MIB));
	if (strmap_get(&r->kernel_of, host, &k))
		inv.kernel = r->kernels[k];
	if (!isnan(inv.threads) || !isnan(inv.mem_mib) ||
	    strmap_get(&r->kernel_of, host, &k))
		import_sink_inventory(r->sink, &inv);
}

/* The series s[0..n) of one host. */
static int
pm_host(struct pm_run *r, const struct pm_series *s, size_t n)
{
	bool has[METRIC_N] = { false };
	struct pm_cur *c = xcalloc(n, sizeof(*c));
	struct import_host *h;
	double step, t = 0;
	size_t i;
	int ret = -1;

	for (i = 0; i < n; i++) {
		c[i].s = &s[i];
		has[s[i].col] = true;
	}
	if (host_step(s, n, &step) == -1)
		goto out;
	h = import_sink_host(r->sink, s[0].host, has, s[0].file,
	    s[0].pos.line);
	if (h == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (load_series(&c[i]) == -1)
			goto out;
	while (next_time(c, n, &t))
		if (merge_one(h, c, n, t, step) == -1)
			goto out;
	host_inventory(r, h, s[0].host);
	ret = import_host_finish(h);
out:
	for (i = 0; i < n; i++)
		json_decref(c[i].values);
	free(c);
	return ret;
}

static int
series_cmp(const void *a, const void *b)
{
	const struct pm_series *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	if (x->col != y->col)
		return x->col - y->col;
	return (x->first_t > y->first_t) - (x->first_t < y->first_t);
}

int
import_prometheus(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct pm_run r = { sink, NULL, 0, 0, STRMAP_INIT, NULL, 0, 0 };
	size_t i, j;
	int ret = -1;

	if (o->url != NULL && ninputs > 0)
		return error_set(ERROR_USAGE, "prometheus: --url takes no "
		    "input operand ('%s')", inputs[0]);
	if (o->url != NULL)
		return import_prometheus_live(sink, o);
	if (ninputs == 0)
		return error_set(ERROR_USAGE, "prometheus: no input given "
		    "(response files, or --url)");
	for (i = 0; i < ninputs; i++)
		if (scan_file(&r, inputs[i]) == -1)
			goto out;
	array_sort(r.s, r.n, sizeof(*r.s), series_cmp);
	for (i = 0; i < r.n; i = j) {
		for (j = i + 1; j < r.n && strcmp(r.s[j].host, r.s[i].host) ==
		    0; j++)
			;
		if (pm_host(&r, r.s + i, j - i) == -1)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < r.n; i++) {
		free(r.s[i].host);
		free(r.s[i].col_name);
	}
	for (i = 0; i < r.nkernels; i++)
		free(r.kernels[i]);
	free(r.kernels);
	free(r.s);
	strmap_release(&r.kernel_of);
	return ret;
}
