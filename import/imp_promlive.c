/*
 * imp_promlive.c - capplan import prometheus --url: the node_exporter
 * queries of promql.c run against a live Prometheus server.
 *
 * The work is cut twice, so memory does not grow with fleet x days:
 *   - instances (the values of the "instance" label of
 *     node_cpu_seconds_total over the range, with --match) go in batches,
 *     named in each query by an anchored regular expression;
 *   - the range goes in chunks of at most CHUNK_POINTS evaluation times,
 *     under the 11,000 points a series Prometheus allows.
 * A batch x chunk x column block of values is the only data held
 * (BLOCK_CELLS values a column); each query's response is walked once
 * (promresp.c) into it, and when every column of a chunk is in, the
 * chunk's rows go to the sink, which writes them to the hosts' files.
 * The last thing a batch does is ask for its inventory (instant queries
 * over the whole range, promql_inv_queries[]).
 *
 * A point at time t is the rate over the step before it (the window of
 * rate() is the step), so the row's ts is t - step, as in the saved-file
 * mode (imp_prometheus.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "import/import.h"
#include "import/promhttp.h"
#include "import/promql.h"
#include "import/promresp.h"

#define CHUNK_POINTS 10000	/* evaluation times a request, < 11,000 */
#define BLOCK_CELLS 131072	/* instances x times held, per column */
#define BATCH_MAX 256		/* instances a request */
#define INSTANCE_METRIC "node_cpu_seconds_total"

struct pl_run {
	struct import_sink *sink;
	const struct import_opts *o;
	struct promhttp *http;
	char *matchers;		/* inside --match's braces, or "" */
	long step;		/* s */
	long t0, t1;		/* first and last evaluation time, s */
	size_t chunk_pts, batch;
	char **inst;		/* every instance, sorted */
	size_t ninst, inst_cap;
	/* the batch: inst[b0 .. b0 + nb) */
	size_t b0, nb;
	struct strmap index;	/* instance -> position in the batch */
	struct strbuf bmatch;	/* matchers with the batch's instances */
	struct import_host **hosts;
	bool *has;		/* [nb][nq]: the host file's columns */
	double *vals;		/* [nb][nq][chunk_pts] */
	bool *seen;		/* [nb][nq]: a series in this chunk */
	double *inv_num;	/* [nb][PROMQL_INV_N] */
	char **inv_txt;		/* [nb][PROMQL_INV_N] */
	/* the request being read */
	long a;			/* its first evaluation time */
	size_t npts, q;
	long cur;		/* the series' instance in the batch, or -1 */
	const struct promql_inv_query *iq;
	/* progress */
	size_t req, nreq;
	double points;
	struct strbuf what, query;
};

static double *
cell(struct pl_run *r, size_t i, size_t q, size_t k)
{
	return &r->vals[(i * npromql_queries + q) * r->chunk_pts + k];
}

static void
progress(struct pl_run *r)
{
	struct strbuf sb = STRBUF_INIT;

	r->req++;
	if (r->o->progress == NULL)
		return;
	strbuf_addf(&sb, "prometheus: instances %zu-%zu of %zu, request %zu "
	    "of %zu, %.1f M points, %.0f MB", r->b0 + 1, r->b0 + r->nb,
	    r->ninst, r->req, r->nreq, r->points / 1e6,
	    promhttp_bytes(r->http) / 1e6);
	r->o->progress(r->o->progress_arg, sb.buf);
	strbuf_release(&sb);
}

static void
rfc3339(long t_s, char *buf)
{
	time_format_rfc3339((int64_t)t_s * 1000, buf);
}

/* ------------------------------------------------------ the instances */

static int
on_instance(void *arg, const char *s)
{
	struct pl_run *r = arg;

	ALLOC_GROW(r->inst, r->ninst + 1, r->inst_cap);
	r->inst[r->ninst++] = xstrdup(s);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_instances(struct pl_run *r)
{
	static const struct promresp_ops ops0 = { NULL, NULL, on_instance,
	    NULL };
	struct promresp_ops ops = ops0;
	char start[TIME_RFC3339_LEN], end[TIME_RFC3339_LEN];
	const char *params[6];
	char *body;
	size_t len;

	strbuf_reset(&r->query);
	promql_expand(&r->query, INSTANCE_METRIC "{mode=\"idle\"}", 0, 0,
	    r->matchers);
	rfc3339(r->t0 - r->step, start);
	rfc3339(r->t1, end);
	params[0] = "match[]";
	params[1] = r->query.buf;
	params[2] = "start";
	params[3] = start;
	params[4] = "end";
	params[5] = end;
	strbuf_reset(&r->what);
	strbuf_addf(&r->what, "the instances of %s", r->query.buf);
	ops.arg = r;
	if (promhttp_call(r->http, false, "/api/v1/label/instance/values",
	    params, 3, r->what.buf, &body, &len) == -1 ||
	    promresp_parse(body, len, r->what.buf, PROMRESP_STRINGS, &ops) ==
	    -1)
		return -1;
	if (r->ninst == 0)
		return error_set(ERROR_DATA, "%s: no instance has %s between "
		    "%s and %s: nothing to import", promhttp_url(r->http),
		    r->query.buf, start, end);
	array_sort(r->inst, r->ninst, sizeof(*r->inst), cmp_str);
	return 0;
}

/* ------------------------------------------------------ one request */

/* The series' instance, as a position in the batch, into r->cur. */
static int
on_series(void *arg, const struct promresp_labels *l)
{
	struct pl_run *r = arg;
	const char *inst = promresp_label(l, "instance");
	size_t i;

	r->cur = -1;
	if (inst == NULL)
		return error_set(ERROR_DATA, "%s: a series without an "
		    "\"instance\" label", r->what.buf);
	if (strmap_get(&r->index, inst, &i))
		r->cur = (long)i;
	return 0;
}

static int
on_point(void *arg, double t, double v)
{
	struct pl_run *r = arg;
	double k = (t - (double)r->a) / (double)r->step;

	if (r->cur < 0)
		return 0;
	if (k < 0 || k >= (double)r->npts || k != floor(k))
		return error_set(ERROR_DATA, "%s: a point at %.3f, not one of "
		    "the times asked for (from %ld every %ld s)", r->what.buf,
		    t, r->a, r->step);
	*cell(r, (size_t)r->cur, r->q, (size_t)k) = v;
	r->seen[(size_t)r->cur * npromql_queries + r->q] = true;
	if (!isnan(v))
		r->points++;
	return 0;
}

/* Query q over the chunk from r->a. */
static int
run_query(struct pl_run *r, size_t q)
{
	static const struct promresp_ops ops0 = { on_series, on_point, NULL,
	    NULL };
	struct promresp_ops ops = ops0;
	char start[32], end[32], step[32], timeout[32];
	const char *params[10];
	char *body;
	size_t len;

	strbuf_reset(&r->query);
	promql_expand(&r->query, promql_queries[q].tmpl, r->step, 0,
	    r->bmatch.buf);
	strbuf_reset(&r->what);
	strbuf_addf(&r->what, "query %s: %s",
	    metric_table[promql_queries[q].metric].name, r->query.buf);
	snprintf(start, sizeof(start), "%ld", r->a);
	snprintf(end, sizeof(end), "%ld", r->a + (long)(r->npts - 1) *
	    r->step);
	snprintf(step, sizeof(step), "%ld", r->step);
	snprintf(timeout, sizeof(timeout), "%g", r->o->timeout_s);
	params[0] = "query";
	params[1] = r->query.buf;
	params[2] = "start";
	params[3] = start;
	params[4] = "end";
	params[5] = end;
	params[6] = "step";
	params[7] = step;
	params[8] = "timeout";
	params[9] = timeout;
	r->q = q;
	ops.arg = r;
	if (promhttp_call(r->http, true, "/api/v1/query_range", params, 5,
	    r->what.buf, &body, &len) == -1 ||
	    promresp_parse(body, len, r->what.buf, PROMRESP_MATRIX, &ops) == -1)
		return -1;
	progress(r);
	return 0;
}

/* ------------------------------------------------------ rows */

/* The host file of batch member i, made at its first data. */
static struct import_host *
batch_host(struct pl_run *r, size_t i)
{
	bool has[METRIC_N] = { false }, any = false;
	char *host;
	size_t q;

	if (r->hosts[i] != NULL)
		return r->hosts[i];
	for (q = 0; q < npromql_queries; q++) {
		r->has[i * npromql_queries + q] =
		    r->seen[i * npromql_queries + q];
		has[promql_queries[q].metric] |= r->has[i * npromql_queries +
		    q];
		any |= r->has[i * npromql_queries + q];
	}
	if (!any)
		return NULL;
	host = import_instance_host(r->inst[r->b0 + i]);
	r->hosts[i] = import_sink_host(r->sink, host, has,
	    promhttp_url(r->http), 0);
	free(host);
	return r->hosts[i];
}

/* The value of query q at k for member i into s; false if none. */
static bool
row_value(struct pl_run *r, size_t i, size_t q, size_t k, struct sample *s)
{
	double v = *cell(r, i, q, k);

	if (isnan(v))
		return false;
	if (!r->has[i * npromql_queries + q]) {
		import_sink_note(r->sink, "values of a column a host had not "
		    "in its first request left out", promhttp_url(r->http), 0);
		return false;
	}
	if (v < 0) {
		import_sink_note(r->sink, "values below 0 (rate() "
		    "extrapolation) taken as 0", promhttp_url(r->http), 0);
		v = 0;
	}
	s->v[promql_queries[q].metric] = v;
	return true;
}

static int
chunk_rows(struct pl_run *r, size_t i)
{
	struct import_host *h;
	struct sample s;
	bool any;
	size_t k, q;
	int m;

	for (q = 0; q < npromql_queries; q++)
		if (r->seen[i * npromql_queries + q])
			break;
	if (q == npromql_queries)
		return 0;
	if ((h = batch_host(r, i)) == NULL)
		return -1;	/* it has a series: NULL is an error */
	memset(&s, 0, sizeof(s));
	s.interval_s = (double)r->step;
	s.flags = "";
	for (k = 0; k < r->npts; k++) {
		for (m = 0; m < METRIC_N; m++)
			s.v[m] = NAN;
		any = false;
		for (q = 0; q < npromql_queries; q++)
			any |= row_value(r, i, q, k, &s);
		if (!any)
			continue;
		s.ts_ms = ((int64_t)r->a + (int64_t)k * r->step - r->step) *
		    1000;
		if (import_host_row(h, &s, promhttp_url(r->http), 0) == -1)
			return -1;
	}
	return 0;
}

/* Every query over the chunk from a, then its rows. */
static int
run_chunk(struct pl_run *r, long a)
{
	size_t i, q, n = r->nb * npromql_queries * r->chunk_pts;

	r->a = a;
	r->npts = (size_t)((r->t1 - a) / r->step + 1);
	if (r->npts > r->chunk_pts)
		r->npts = r->chunk_pts;
	for (i = 0; i < n; i++)
		r->vals[i] = NAN;
	memset(r->seen, 0, r->nb * npromql_queries * sizeof(*r->seen));
	for (q = 0; q < npromql_queries; q++)
		if (run_query(r, q) == -1)
			return -1;
	for (i = 0; i < r->nb; i++)
		if (chunk_rows(r, i) == -1)
			return -1;
	return 0;
}

/* ------------------------------------------------------ inventory */

static int
on_inv_series(void *arg, const struct promresp_labels *l)
{
	struct pl_run *r = arg;
	const char *v;
	char **txt;

	if (on_series(arg, l) == -1)
		return -1;
	if (r->cur < 0 || r->iq->label == NULL)
		return 0;
	txt = &r->inv_txt[(size_t)r->cur * PROMQL_INV_N + r->iq->field];
	v = promresp_label(l, r->iq->label);
	if (*txt == NULL && v != NULL && *v != '\0')
		*txt = xstrdup(v);
	return 0;
}

static int
on_inv_point(void *arg, double t, double v)
{
	struct pl_run *r = arg;
	double *num;

	(void)t;
	if (r->cur < 0 || r->iq->label != NULL || isnan(v) || isinf(v))
		return 0;
	num = &r->inv_num[(size_t)r->cur * PROMQL_INV_N + r->iq->field];
	if (isnan(*num))
		*num = v;
	return 0;
}

static int
run_inv_query(struct pl_run *r, const struct promql_inv_query *iq)
{
	static const struct promresp_ops ops0 = { on_inv_series, on_inv_point,
	    NULL, NULL };
	struct promresp_ops ops = ops0;
	char time[32], timeout[32];
	const char *params[6];
	char *body;
	size_t len;

	strbuf_reset(&r->query);
	promql_expand(&r->query, iq->tmpl, r->step, r->t1 - r->t0 + r->step,
	    r->bmatch.buf);
	strbuf_reset(&r->what);
	strbuf_addf(&r->what, "inventory query %s: %s", iq->column,
	    r->query.buf);
	snprintf(time, sizeof(time), "%ld", r->t1);
	snprintf(timeout, sizeof(timeout), "%g", r->o->timeout_s);
	params[0] = "query";
	params[1] = r->query.buf;
	params[2] = "time";
	params[3] = time;
	params[4] = "timeout";
	params[5] = timeout;
	r->iq = iq;
	ops.arg = r;
	if (promhttp_call(r->http, true, "/api/v1/query", params, 3,
	    r->what.buf, &body, &len) == -1 ||
	    promresp_parse(body, len, r->what.buf, PROMRESP_VECTOR, &ops) == -1)
		return -1;
	progress(r);
	return 0;
}

/* Batch member i's inventory row, saying what was not found. */
static void
inv_row(struct pl_run *r, size_t i)
{
	double *num = &r->inv_num[i * PROMQL_INV_N];
	char **txt = &r->inv_txt[i * PROMQL_INV_N];
	const char *host = import_host_name(r->hosts[i]);
	struct server_inv inv;
	size_t f;

	import_inv_init(&inv, host);
	inv.threads = num[PROMQL_INV_THREADS];
	inv.sockets = num[PROMQL_INV_SOCKETS];
	inv.cores = num[PROMQL_INV_CORES];
	inv.cpu_mhz = num[PROMQL_INV_CPU_MHZ];
	inv.mem_mib = round(num[PROMQL_INV_MEM_MIB]);
	inv.disk_count = num[PROMQL_INV_DISK_COUNT];
	inv.nics = num[PROMQL_INV_NICS];
	inv.nic_mbps = round(num[PROMQL_INV_NIC_MBPS]);
	if (txt[PROMQL_INV_CPU_MODEL] != NULL)
		inv.cpu_model = txt[PROMQL_INV_CPU_MODEL];
	if (txt[PROMQL_INV_OS] != NULL)
		inv.os = txt[PROMQL_INV_OS];
	if (txt[PROMQL_INV_KERNEL] != NULL)
		inv.kernel = txt[PROMQL_INV_KERNEL];
	if (txt[PROMQL_INV_ARCH] != NULL)
		inv.arch = txt[PROMQL_INV_ARCH];
	for (f = 0; f < PROMQL_INV_N; f++)
		if (promql_inv_queries[f].label != NULL ? txt[f] == NULL :
		    isnan(num[f]))
			import_sink_note(r->sink, promql_inv_queries[f].missing,
			    host, 0);
	import_sink_inventory(r->sink, &inv);
}

static int
batch_inventory(struct pl_run *r)
{
	size_t i, f;

	for (i = 0; i < r->nb * PROMQL_INV_N; i++) {
		r->inv_num[i] = NAN;
		free(r->inv_txt[i]);
		r->inv_txt[i] = NULL;
	}
	for (f = 0; f < PROMQL_INV_N; f++)
		if (run_inv_query(r, &promql_inv_queries[f]) == -1)
			return -1;
	for (i = 0; i < r->nb; i++)
		if (r->hosts[i] != NULL)
			inv_row(r, i);
	return 0;
}

/* ------------------------------------------------------ batches */

static int
run_batch(struct pl_run *r, size_t b0)
{
	long a;
	size_t i;

	r->b0 = b0;
	r->nb = r->ninst - b0 < r->batch ? r->ninst - b0 : r->batch;
	strmap_release(&r->index);
	strmap_init(&r->index);
	for (i = 0; i < r->nb; i++) {
		strmap_put(&r->index, r->inst[b0 + i], i, NULL);
		r->hosts[i] = NULL;
	}
	strbuf_reset(&r->bmatch);
	strbuf_addf(&r->bmatch, "%s%sinstance=~", r->matchers,
	    *r->matchers != '\0' ? "," : "");
	promql_regex_of(&r->bmatch, r->inst + b0, r->nb);
	for (a = r->t0; a <= r->t1; a += (long)r->chunk_pts * r->step)
		if (run_chunk(r, a) == -1)
			return -1;
	if (batch_inventory(r) == -1)
		return -1;
	for (i = 0; i < r->nb; i++)
		if (r->hosts[i] != NULL && import_host_finish(r->hosts[i]) ==
		    -1)
			return -1;
	return 0;
}

/* The evaluation times, and the points a request. */
static int
plan_range(struct pl_run *r)
{
	const struct import_opts *o = r->o;
	char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN];
	long start_s = (long)(o->start_ms / 1000), end_s = (long)(o->end_ms /
	    1000);
	size_t n;

	r->step = (long)o->step_s;
	r->t0 = (start_s / r->step) * r->step + r->step;
	r->t1 = (end_s / r->step) * r->step;
	if (r->t1 < r->t0) {
		time_format_rfc3339(o->start_ms, a);
		time_format_rfc3339(o->end_ms, b);
		return error_set(ERROR_USAGE, "the range from %s to %s holds "
		    "no whole step of %ld s", a, b, r->step);
	}
	n = (size_t)((r->t1 - r->t0) / r->step) + 1;
	r->chunk_pts = o->chunk_points > 0 ? o->chunk_points : CHUNK_POINTS;
	if (n < r->chunk_pts)
		r->chunk_pts = n;
	return 0;
}

/* The instances a request, once they are known. */
static void
plan_batches(struct pl_run *r)
{
	size_t n = (size_t)((r->t1 - r->t0) / r->step) + 1;
	size_t nchunks = (n + r->chunk_pts - 1) / r->chunk_pts;

	r->batch = r->o->batch > 0 ? r->o->batch : BLOCK_CELLS / r->chunk_pts;
	if (r->batch < 1)
		r->batch = 1;
	if (r->batch > BATCH_MAX)
		r->batch = BATCH_MAX;
	if (r->batch > r->ninst)
		r->batch = r->ninst;
	r->nreq = 1 + ((r->ninst + r->batch - 1) / r->batch) *
	    (nchunks * npromql_queries + PROMQL_INV_N);
}

static void
run_release(struct pl_run *r)
{
	size_t i;

	for (i = 0; i < r->ninst; i++)
		free(r->inst[i]);
	for (i = 0; r->inv_txt != NULL && i < r->batch * PROMQL_INV_N; i++)
		free(r->inv_txt[i]);
	free(r->inst);
	free(r->inv_txt);
	free(r->inv_num);
	free(r->hosts);
	free(r->has);
	free(r->vals);
	free(r->seen);
	free(r->matchers);
	strmap_release(&r->index);
	strbuf_release(&r->bmatch);
	strbuf_release(&r->what);
	strbuf_release(&r->query);
	promhttp_free(r->http);
}

int
import_prometheus_live(struct import_sink *sink, const struct import_opts *o)
{
	struct promhttp_opts ho = { o->url, o->user, o->password_file,
	    o->token_file, o->timeout_s, 3, 0.5 };
	struct pl_run r;
	size_t b0, nq = npromql_queries;
	int ret = -1;

	memset(&r, 0, sizeof(r));
	r.sink = sink;
	r.o = o;
	strmap_init(&r.index);
	strbuf_init(&r.bmatch);
	strbuf_init(&r.what);
	strbuf_init(&r.query);
	r.matchers = o->match != NULL ? promql_selector_matchers(o->match) :
	    xstrdup("");
	if (r.matchers == NULL) {
		error_set(ERROR_USAGE, "--match: '%s' is not a selector in "
		    "braces, such as {job=\"node\"}", o->match);
		goto out;
	}
	if ((r.http = promhttp_new(&ho)) == NULL || plan_range(&r) == -1 ||
	    list_instances(&r) == -1)
		goto out;
	plan_batches(&r);
	r.hosts = xcalloc(r.batch, sizeof(*r.hosts));
	r.has = xcalloc(r.batch * nq, sizeof(*r.has));
	r.seen = xcalloc(r.batch * nq, sizeof(*r.seen));
	r.vals = xcalloc(r.batch * nq * r.chunk_pts, sizeof(*r.vals));
	r.inv_num = xcalloc(r.batch * PROMQL_INV_N, sizeof(*r.inv_num));
	r.inv_txt = xcalloc(r.batch * PROMQL_INV_N, sizeof(*r.inv_txt));
	progress(&r);
	for (b0 = 0; b0 < r.ninst; b0 += r.batch)
		if (run_batch(&r, b0) == -1)
			goto out;
	ret = 0;
out:
	run_release(&r);
	return ret;
}
