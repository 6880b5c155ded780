/*
 * plan_json.c - plan.json (capplan-plan version 1): a streaming writer and
 * a checking reader.
 *
 * The writer prints as it walks the plan instead of building a jansson
 * tree: a plan of 100,000 guests x 168 slots x 4 resources is 67 million
 * numbers, and a tree of them would take gigabytes.  Numbers are printed
 * with a fixed number of decimals per kind, trailing zeros trimmed, and
 * non-finite values as null, so the same plan gives the same bytes.
 * Strings are escaped for JSON.  They are valid UTF-8, as common/utf8.h
 * has every reader make sure (a byte that is not would become U+FFFD, the
 * same test as the reader's).  Arrays of numbers go on one line.
 *
 * The reader loads the file with jansson and checks every field it
 * copies: types, ranges, the guest -> host references and the host ->
 * guest lists, so consumers (capplan report, provision, validate) can
 * trust indexes.  Unknown members are ignored (a newer minor writer);
 * a newer version is refused by number.  The schema is documented in
 * capplan-formats(5).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/error.h"
#include "common/num.h"
#include "common/ofile.h"
#include "common/strmap.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "planner/plan.h"

/* decimals per resource when written */
static const int res_decimals[RES_N] = { 4, 1, 2, 2, 2 };

/* ------------------------------------------------------------ writer */

struct jw {
	FILE *fp;
	int depth;
	int first;		/* no member written yet at this depth */
};

static void
jw_indent(struct jw *w)
{
	int i;

	fputc('\n', w->fp);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->fp);
}

static void
jw_string(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n;

	fputc('"', fp);
	while (*p != '\0') {
		n = utf8_len((const char *)p);
		if (n == 0) {
			fputs("\xef\xbf\xbd", fp);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fputc('\\', fp);
			fputc(*p++, fp);
		} else if (*p == '\n') {
			fputs("\\n", fp);
			p++;
		} else if (*p == '\t') {
			fputs("\\t", fp);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(fp, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, fp);
			p += n;
		}
	}
	fputc('"', fp);
}

/* a number with at most decimals places, trailing zeros trimmed */
static void
jw_number(FILE *fp, double v, int decimals)
{
	char buf[64];
	char *e;

	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (strchr(buf, '.') != NULL) {
		e = buf + strlen(buf) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	fputs(strcmp(buf, "-0") == 0 ? "0" : buf, fp);
}

/* start a member: comma, newline, indent, "key": */
static void
jw_key(struct jw *w, const char *key)
{
	if (!w->first)
		fputc(',', w->fp);
	w->first = 0;
	if (w->depth > 0)
		jw_indent(w);
	if (key != NULL) {
		jw_string(w->fp, key);
		fputs(": ", w->fp);
	}
}

static void
jw_open(struct jw *w, const char *key, int ch)
{
	jw_key(w, key);
	fputc(ch, w->fp);
	w->depth++;
	w->first = 1;
}

static void
jw_close(struct jw *w, int ch)
{
	w->depth--;
	if (!w->first)
		jw_indent(w);
	fputc(ch, w->fp);
	w->first = 0;
}

static void
jw_num(struct jw *w, const char *key, double v, int decimals)
{
	jw_key(w, key);
	jw_number(w->fp, v, decimals);
}

static void
jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s == NULL)
		fputs("null", w->fp);
	else
		jw_string(w->fp, s);
}

static void
jw_bool(struct jw *w, const char *key, bool b)
{
	jw_key(w, key);
	fputs(b ? "true" : "false", w->fp);
}

/* "key": [v0, v1, ...] on one line */
static void
jw_array(struct jw *w, const char *key, const double *v, size_t n,
    int decimals)
{
	size_t i;

	jw_key(w, key);
	fputc('[', w->fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", w->fp);
		jw_number(w->fp, v[i], decimals);
	}
	fputc(']', w->fp);
}

/* "key": {"cpu_cu": v[0], ...} over the planned resources */
static void
jw_res(struct jw *w, const struct plan *p, const char *key, const double *v,
    int decimals)
{
	int r;

	jw_open(w, key, '{');
	for (r = 0; r < RES_N; r++)
		jw_num(w, resource_table[r].name, v[r],
		    decimals >= 0 ? decimals : res_decimals[r]);
	jw_close(w, '}');
	(void)p;
}

static void
jw_profiles(struct jw *w, const struct plan *p, double *const prof[RES_N])
{
	int r;

	jw_open(w, "profile", '{');
	for (r = 0; r < RES_N; r++)
		if (p->planned[r] && prof[r] != NULL)
			jw_array(w, resource_table[r].name, prof[r],
			    p->nslots, res_decimals[r]);
	jw_close(w, '}');
}

static void
write_settings(struct jw *w, const struct plan *p)
{
	char ts[TIME_RFC3339_LEN];
	int r;

	jw_open(w, "settings", '{');
	jw_str(w, "resolution", p->resolution);
	jw_num(w, "slots", (double)p->nslots, 0);
	jw_num(w, "slot_s", p->slot_s, 3);
	if (p->resolution != NULL && strcmp(p->resolution, "series") == 0) {
		time_format_rfc3339(p->start_ms, ts);
		jw_str(w, "start", ts);
	} else {
		jw_str(w, "start", NULL);
	}
	jw_num(w, "percentile", p->percentile, 3);
	jw_num(w, "violation_pct", p->violation_pct, 3);
	jw_res(w, p, "headroom", p->headroom, 4);
	jw_open(w, "planned", '[');
	for (r = 0; r < RES_N; r++)
		if (p->planned[r])
			jw_str(w, NULL, resource_table[r].name);
	jw_close(w, ']');
	jw_num(w, "vcpu_per_pcpu", p->vcpu_per_pcpu, 4);
	jw_num(w, "mem_overcommit", p->mem_overcommit, 4);
	jw_num(w, "max_guests", (double)p->max_guests, 0);
	jw_num(w, "host_failures", (double)p->host_failures, 0);
	jw_str(w, "currency", p->currency);
	jw_close(w, '}');
	jw_open(w, "search", '{');
	jw_str(w, "packer", p->packer);
	jw_str(w, "local_search", p->search);
	jw_str(w, "exact", p->exact);
	jw_close(w, '}');
}

static void
write_summary(struct jw *w, const struct plan *p)
{
	size_t active = p->nhosts - p->spare_hosts;

	jw_open(w, "summary", '{');
	jw_num(w, "servers", (double)(p->nguests + p->nservers), 0);
	jw_num(w, "virtualized", (double)p->nguests, 0);
	jw_num(w, "kept", (double)plan_count(p, DECISION_KEEP), 0);
	jw_num(w, "retired", (double)plan_count(p, DECISION_RETIRE), 0);
	jw_num(w, "hosts", (double)p->nhosts, 0);
	jw_num(w, "spare_hosts", (double)p->spare_hosts, 0);
	jw_num(w, "peak_hosts", p->peak_hosts > 0 ? (double)p->peak_hosts :
	    NAN, 0);
	jw_num(w, "consolidation_ratio", active > 0 ?
	    (double)p->nguests / (double)active : NAN, 2);
	jw_num(w, "cost_per_year", p->cost_per_year, 2);
	jw_close(w, '}');
}

static void
write_bounds(struct jw *w, const struct plan *p)
{
	const struct plan_bounds *b = &p->bounds;
	int r;

	jw_open(w, "bounds", '{');
	jw_num(w, "continuous", b->continuous, 0);
	jw_str(w, "continuous_resource", b->continuous_resource >= 0 ?
	    resource_table[b->continuous_resource].name : NULL);
	jw_num(w, "continuous_slot", b->continuous_resource >= 0 ?
	    (double)b->continuous_slot : NAN, 0);
	jw_res(w, p, "martello_toth_l2", b->l2, 0);
	jw_num(w, "l2", b->l2_max, 0);
	jw_num(w, "clique", b->clique, 0);
	jw_num(w, "static", b->other, 0);
	jw_num(w, "lower", b->lower, 0);
	jw_num(w, "lp", b->lp, 0);
	jw_num(w, "optimum", b->optimum, 0);
	jw_num(w, "gap_pct", b->gap_pct, 2);
	jw_open(w, "load", '{');
	for (r = 0; r < RES_N; r++)
		if (p->planned[r] && b->load[r] != NULL)
			jw_array(w, resource_table[r].name, b->load[r],
			    p->nslots, 4);
	jw_close(w, '}');
	jw_close(w, '}');
}

static void
write_contention(struct jw *w, const struct plan_contention *c)
{
	jw_open(w, "contention", '{');
	jw_num(w, "cpu_ready_pct", c->cpu_ready_pct, 3);
	jw_num(w, "cpu_ready_max_pct", c->cpu_ready_max_pct, 3);
	jw_num(w, "overload_pct", c->overload_pct, 3);
	jw_num(w, "overload_gauss_pct", c->overload_gauss_pct, 3);
	jw_num(w, "mux_gain", c->mux_gain, 4);
	jw_num(w, "mem_overcommit", c->mem_overcommit, 4);
	jw_num(w, "swap_risk_pct", c->swap_risk_pct, 3);
	jw_num(w, "disk_util_pct", c->disk_util_pct, 3);
	jw_num(w, "net_util_pct", c->net_util_pct, 3);
	jw_num(w, "disk_latency_factor", c->disk_latency_factor, 4);
	jw_close(w, '}');
}

static void
write_host(struct jw *w, const struct plan *p, const struct plan_host *h)
{
	size_t i;

	jw_open(w, NULL, '{');
	jw_str(w, "name", h->name);
	jw_str(w, "model", h->model);
	jw_bool(w, "spare", h->spare);
	jw_num(w, "sockets", h->sockets, 0);
	jw_num(w, "cores", h->cores, 0);
	jw_num(w, "threads", h->threads, 0);
	jw_res(w, p, "capacity", h->capacity, -1);
	jw_res(w, p, "limit", h->limit, -1);
	jw_num(w, "vcpus", h->vcpus, 0);
	jw_num(w, "mem_committed_mib", h->mem_committed_mib, 1);
	jw_res(w, p, "peak", h->peak, -1);
	jw_res(w, p, "mean", h->mean, -1);
	jw_num(w, "power_w", h->power_w, 1);
	jw_num(w, "cost_per_year", h->cost_per_year, 2);
	write_contention(w, &h->contention);
	jw_open(w, "guests", '[');
	for (i = 0; i < h->nguests; i++)
		jw_str(w, NULL, p->guests[h->guests[i]].name);
	jw_close(w, ']');
	jw_profiles(w, p, h->profile);
	jw_close(w, '}');
}

static void
write_guest(struct jw *w, const struct plan *p, const struct plan_guest *g)
{
	const struct plan_host *h = plan_guest_host(p, g);

	jw_open(w, NULL, '{');
	jw_str(w, "name", g->name);
	jw_str(w, "host", h != NULL ? h->name : NULL);
	jw_num(w, "vcpus", g->vcpus, 0);
	jw_num(w, "mem_mib", g->mem_mib, 1);
	jw_num(w, "confidence", g->confidence, 3);
	jw_str(w, "group", g->group);
	jw_bool(w, "pinned", (g->flags & PLAN_GUEST_PINNED) != 0);
	jw_str(w, "why", g->why);
	jw_res(w, p, "peak", g->peak, -1);
	jw_profiles(w, p, g->profile);
	jw_close(w, '}');
}

static void
write_plan(struct jw *w, const struct plan *p)
{
	size_t i;

	jw_open(w, NULL, '{');
	jw_str(w, "format", PLAN_FORMAT);
	jw_num(w, "version", PLAN_VERSION, 0);
	write_settings(w, p);
	write_summary(w, p);
	write_bounds(w, p);
	jw_open(w, "hosts", '[');
	for (i = 0; i < p->nhosts; i++)
		write_host(w, p, &p->hosts[i]);
	jw_close(w, ']');
	jw_open(w, "guests", '[');
	for (i = 0; i < p->nguests; i++)
		write_guest(w, p, &p->guests[i]);
	jw_close(w, ']');
	jw_open(w, "servers", '[');
	for (i = 0; i < p->nservers; i++) {
		jw_open(w, NULL, '{');
		jw_str(w, "name", p->servers[i].name);
		jw_str(w, "decision",
		    plan_decision_names[p->servers[i].decision]);
		jw_str(w, "reason", p->servers[i].reason);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
	fputc('\n', w->fp);
}

int
plan_write_json(const struct plan *p, const char *path)
{
	struct ofile *of;
	struct jw w;

	of = ofile_open(path);
	if (of == NULL)
		return -1;
	w.fp = of->fp;
	w.depth = 0;
	w.first = 1;
	write_plan(&w, p);
	if (ferror(w.fp)) {
		ofile_abort(of);
		return error_set(ERROR_IO, "cannot write '%s'", path);
	}
	return ofile_commit(of);
}

/* ------------------------------------------------------------ reader */

struct rd {
	const char *path;
	struct plan *p;
	struct strmap hosts;	/* host name -> index */
	struct strmap names;	/* guest and server names -> index */
};

static int
bad(const struct rd *rd, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
bad(const struct rd *rd, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_set(ERROR_DATA, "%s: %s: %s", rd->path, where, msg);
}

/* obj[key] as a number: NaN when missing or null; -1 when not a number
 * or outside [lo, hi] */
static int
get_num(const struct rd *rd, json_t *obj, const char *key, const char *where,
    double lo, double hi, double *out)
{
	json_t *v = json_object_get(obj, key);

	*out = NAN;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return bad(rd, where, "'%s' is not a number", key);
	*out = json_number_value(v);
	if (!(*out >= lo && *out <= hi))
		return bad(rd, where, "'%s' is %g, outside %g to %g", key,
		    *out, lo, hi);
	return 0;
}

/* a whole count: required, in [0, hi] */
static int
get_count(const struct rd *rd, json_t *obj, const char *key,
    const char *where, double hi, size_t *out)
{
	double v;

	if (get_num(rd, obj, key, where, 0, hi, &v) == -1)
		return -1;
	if (isnan(v) || v != floor(v))
		return bad(rd, where, "'%s' must be a whole number", key);
	*out = (size_t)v;
	return 0;
}

/* obj[key] as a new string, NULL when missing or null */
static int
get_str(const struct rd *rd, json_t *obj, const char *key, const char *where,
    bool required, char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return bad(rd, where, "'%s' is missing", key);
		return 0;
	}
	if (!json_is_string(v))
		return bad(rd, where, "'%s' is not a string", key);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
get_bool(const struct rd *rd, json_t *obj, const char *key,
    const char *where, bool *out)
{
	json_t *v = json_object_get(obj, key);

	*out = false;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(rd, where, "'%s' is not true or false", key);
	*out = json_is_true(v);
	return 0;
}

static json_t *
get_obj(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_object(v) ? v : NULL;
}

/* {"cpu_cu": n, ...}: each resource member a number >= lo or null */
static int
get_res(const struct rd *rd, json_t *obj, const char *key, const char *where,
    double lo, double hi, double out[RES_N])
{
	json_t *o = json_object_get(obj, key);
	char w[256];
	int r;

	for (r = 0; r < RES_N; r++)
		out[r] = NAN;
	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return bad(rd, where, "'%s' is not an object", key);
	snprintf(w, sizeof(w), "%s.%s", where, key);
	for (r = 0; r < RES_N; r++)
		if (get_num(rd, o, resource_table[r].name, w, lo, hi,
		    &out[r]) == -1)
			return -1;
	return 0;
}

/* "profile": {"cpu_cu": [nslots numbers >= 0 or null], ...} */
static int
get_profiles(const struct rd *rd, json_t *obj, const char *key,
    const char *where, double *out[RES_N])
{
	json_t *o = json_object_get(obj, key), *a, *v;
	size_t i, n = rd->p->nslots;
	int r;

	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return bad(rd, where, "'%s' is not an object", key);
	for (r = 0; r < RES_N; r++) {
		a = json_object_get(o, resource_table[r].name);
		if (a == NULL)
			continue;
		if (!json_is_array(a) || json_array_size(a) != n)
			return bad(rd, where, "%s.%s must be an array of %zu "
			    "numbers", key, resource_table[r].name, n);
		out[r] = xreallocarray(NULL, n > 0 ? n : 1, sizeof(double));
		json_array_foreach(a, i, v) {
			if (json_is_null(v)) {
				out[r][i] = NAN;
				continue;
			}
			out[r][i] = json_is_number(v) ? json_number_value(v) :
			    -1;
			if (!(out[r][i] >= 0))
				return bad(rd, where, "%s.%s[%zu] is not a "
				    "number >= 0", key,
				    resource_table[r].name, i);
		}
	}
	return 0;
}

static int
resource_find(const char *name)
{
	int r;

	for (r = 0; r < RES_N; r++)
		if (strcmp(resource_table[r].name, name) == 0)
			return r;
	return -1;
}

static int
read_header(struct rd *rd, json_t *root)
{
	char *fmt = NULL;
	double v;
	int ret = -1;

	if (!json_is_object(root))
		return bad(rd, "top level", "not a JSON object");
	if (get_str(rd, root, "format", "top level", true, &fmt) == -1)
		goto out;
	if (strcmp(fmt, PLAN_FORMAT) != 0) {
		bad(rd, "format", "expected '%s', found '%s'", PLAN_FORMAT,
		    fmt);
		goto out;
	}
	if (get_num(rd, root, "version", "top level", 1, 1e6, &v) == -1)
		goto out;
	if (isnan(v) || v != floor(v)) {
		bad(rd, "version", "missing or not a whole number");
		goto out;
	}
	if (v > PLAN_VERSION) {
		error_set(ERROR_UNSUPPORTED, "%s: capplan-plan version %d is "
		    "not supported (this capplan reads up to version %d)",
		    rd->path, (int)v, PLAN_VERSION);
		goto out;
	}
	rd->p->version = (int)v;
	ret = 0;
out:
	free(fmt);
	return ret;
}

static int
read_planned(struct rd *rd, json_t *set)
{
	json_t *a = json_object_get(set, "planned"), *v;
	size_t i;
	int r;

	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return bad(rd, "settings", "'planned' is not an array");
	json_array_foreach(a, i, v) {
		r = json_is_string(v) ? resource_find(json_string_value(v)) :
		    -1;
		if (r < 0)
			return bad(rd, "settings.planned", "item %zu is not a "
			    "resource name", i);
		rd->p->planned[r] = true;
	}
	return 0;
}

static int
read_settings(struct rd *rd, json_t *root)
{
	struct plan *p = rd->p;
	json_t *set = get_obj(root, "settings"), *srch;
	const char *w = "settings", *why;
	char *start = NULL;
	double v;
	int ret = -1;

	if (set == NULL)
		return bad(rd, "top level", "'settings' is missing");
	if (get_str(rd, set, "resolution", w, true, &p->resolution) == -1 ||
	    get_count(rd, set, "slots", w, 1e7, &p->nslots) == -1 ||
	    get_num(rd, set, "slot_s", w, 0, 1e9, &p->slot_s) == -1 ||
	    get_str(rd, set, "start", w, false, &start) == -1 ||
	    get_num(rd, set, "percentile", w, 0, 100, &p->percentile) == -1 ||
	    get_num(rd, set, "violation_pct", w, 0, 100, &v) == -1 ||
	    get_res(rd, set, "headroom", w, 0, 1, p->headroom) == -1 ||
	    read_planned(rd, set) == -1 ||
	    get_num(rd, set, "vcpu_per_pcpu", w, 0, 1e6,
	    &p->vcpu_per_pcpu) == -1 ||
	    get_num(rd, set, "mem_overcommit", w, 0, 1e6,
	    &p->mem_overcommit) == -1 ||
	    get_str(rd, set, "currency", w, false, &p->currency) == -1)
		goto out;
	p->violation_pct = isnan(v) ? 0 : v;
	if (p->nslots == 0) {
		bad(rd, w, "'slots' must be at least 1");
		goto out;
	}
	if (start != NULL && time_parse_rfc3339(start, &p->start_ms,
	    &why) == -1) {
		bad(rd, w, "'start' %s", why);
		goto out;
	}
	if (get_num(rd, set, "max_guests", w, 0, 1e9, &v) == -1)
		goto out;
	p->max_guests = isnan(v) ? 0 : (long)v;
	if (get_num(rd, set, "host_failures", w, 0, 1e3, &v) == -1)
		goto out;
	p->host_failures = isnan(v) ? 0 : (long)v;
	srch = get_obj(root, "search");
	if (srch != NULL && (get_str(rd, srch, "packer", "search", false,
	    &p->packer) == -1 || get_str(rd, srch, "local_search", "search",
	    false, &p->search) == -1 || get_str(rd, srch, "exact", "search",
	    false, &p->exact) == -1))
		goto out;
	ret = 0;
out:
	free(start);
	return ret;
}

static int
read_summary_bounds(struct rd *rd, json_t *root)
{
	struct plan *p = rd->p;
	struct plan_bounds *b = &p->bounds;
	json_t *sum = get_obj(root, "summary"), *bo = get_obj(root, "bounds");
	char *res = NULL;
	double v;
	int ret = -1;

	if (sum != NULL) {
		if (get_num(rd, sum, "peak_hosts", "summary", 0, 1e9, &v) == -1)
			return -1;
		p->peak_hosts = isnan(v) ? 0 : (size_t)v;
		if (get_num(rd, sum, "spare_hosts", "summary", 0, 1e9, &v) == -1 ||
		    get_num(rd, sum, "cost_per_year", "summary", -1e18, 1e18,
		    &p->cost_per_year) == -1)
			return -1;
		p->spare_hosts = isnan(v) ? 0 : (size_t)v;
	}
	if (bo == NULL)
		return 0;
	if (get_num(rd, bo, "continuous", "bounds", 0, 1e9,
	    &b->continuous) == -1 ||
	    get_str(rd, bo, "continuous_resource", "bounds", false, &res) == -1 ||
	    get_num(rd, bo, "continuous_slot", "bounds", 0, 1e9, &v) == -1 ||
	    get_res(rd, bo, "martello_toth_l2", "bounds", 0, 1e9, b->l2) == -1 ||
	    get_num(rd, bo, "l2", "bounds", 0, 1e9, &b->l2_max) == -1 ||
	    get_num(rd, bo, "clique", "bounds", 0, 1e9, &b->clique) == -1 ||
	    get_num(rd, bo, "static", "bounds", 0, 1e9, &b->other) == -1 ||
	    get_num(rd, bo, "lower", "bounds", 0, 1e9, &b->lower) == -1 ||
	    get_num(rd, bo, "lp", "bounds", 0, 1e9, &b->lp) == -1 ||
	    get_num(rd, bo, "optimum", "bounds", 0, 1e9, &b->optimum) == -1 ||
	    get_num(rd, bo, "gap_pct", "bounds", -1e9, 1e9, &b->gap_pct) == -1 ||
	    get_profiles(rd, bo, "load", "bounds", b->load) == -1)
		goto out;
	b->continuous_resource = res != NULL ? resource_find(res) : -1;
	b->continuous_slot = isnan(v) ? 0 : (size_t)v;
	ret = 0;
out:
	free(res);
	return ret;
}

static int
read_contention(const struct rd *rd, json_t *h, const char *where,
    struct plan_contention *c)
{
	json_t *o = get_obj(h, "contention");

	if (o == NULL)
		return 0;
	return get_num(rd, o, "cpu_ready_pct", where, 0, 100,
	    &c->cpu_ready_pct) == -1 ||
	    get_num(rd, o, "cpu_ready_max_pct", where, 0, 100,
	    &c->cpu_ready_max_pct) == -1 ||
	    get_num(rd, o, "overload_pct", where, 0, 100,
	    &c->overload_pct) == -1 ||
	    get_num(rd, o, "overload_gauss_pct", where, 0, 100,
	    &c->overload_gauss_pct) == -1 ||
	    get_num(rd, o, "mux_gain", where, 0, 1e9, &c->mux_gain) == -1 ||
	    get_num(rd, o, "mem_overcommit", where, 0, 1e9,
	    &c->mem_overcommit) == -1 ||
	    get_num(rd, o, "swap_risk_pct", where, 0, 100,
	    &c->swap_risk_pct) == -1 ||
	    get_num(rd, o, "disk_util_pct", where, 0, 1e9,
	    &c->disk_util_pct) == -1 ||
	    get_num(rd, o, "net_util_pct", where, 0, 1e9,
	    &c->net_util_pct) == -1 ||
	    get_num(rd, o, "disk_latency_factor", where, 0, 1e18,
	    &c->disk_latency_factor) == -1 ? -1 : 0;
}

static int
read_host(struct rd *rd, json_t *o, size_t i)
{
	struct plan_host *h;
	char w[64], *name = NULL, *model = NULL;
	int ret = -1;

	snprintf(w, sizeof(w), "hosts[%zu]", i);
	if (!json_is_object(o))
		return bad(rd, w, "not an object");
	if (get_str(rd, o, "name", w, true, &name) == -1 ||
	    get_str(rd, o, "model", w, true, &model) == -1)
		goto out;
	if (!strmap_put(&rd->hosts, name, i, NULL)) {
		bad(rd, w, "host '%s' appears twice", name);
		goto out;
	}
	h = plan_add_host(rd->p, name, model);
	if (get_bool(rd, o, "spare", w, &h->spare) == -1 ||
	    get_num(rd, o, "sockets", w, 0, 1e6, &h->sockets) == -1 ||
	    get_num(rd, o, "cores", w, 0, 1e9, &h->cores) == -1 ||
	    get_num(rd, o, "threads", w, 0, 1e9, &h->threads) == -1 ||
	    get_res(rd, o, "capacity", w, 0, 1e18, h->capacity) == -1 ||
	    get_res(rd, o, "limit", w, 0, 1e18, h->limit) == -1 ||
	    get_num(rd, o, "vcpus", w, 0, 1e12, &h->vcpus) == -1 ||
	    get_num(rd, o, "mem_committed_mib", w, 0, 1e18,
	    &h->mem_committed_mib) == -1 ||
	    get_res(rd, o, "peak", w, 0, 1e18, h->peak) == -1 ||
	    get_res(rd, o, "mean", w, 0, 1e18, h->mean) == -1 ||
	    get_num(rd, o, "power_w", w, 0, 1e12, &h->power_w) == -1 ||
	    get_num(rd, o, "cost_per_year", w, -1e18, 1e18,
	    &h->cost_per_year) == -1 ||
	    read_contention(rd, o, w, &h->contention) == -1 ||
	    get_profiles(rd, o, "profile", w, h->profile) == -1)
		goto out;
	ret = 0;
out:
	free(name);
	free(model);
	return ret;
}

static int
read_guest(struct rd *rd, json_t *o, size_t i)
{
	struct plan_guest *g;
	char w[64], *name = NULL, *host = NULL;
	size_t hi;
	bool pinned;
	int ret = -1;

	snprintf(w, sizeof(w), "guests[%zu]", i);
	if (!json_is_object(o))
		return bad(rd, w, "not an object");
	if (get_str(rd, o, "name", w, true, &name) == -1 ||
	    get_str(rd, o, "host", w, true, &host) == -1)
		goto out;
	if (!strmap_put(&rd->names, name, i, NULL)) {
		bad(rd, w, "server '%s' appears twice", name);
		goto out;
	}
	if (!strmap_get(&rd->hosts, host, &hi)) {
		bad(rd, w, "guest '%s' is on unknown host '%s'", name, host);
		goto out;
	}
	g = plan_add_guest(rd->p, name);
	g->host = hi;
	if (get_num(rd, o, "vcpus", w, 0, 1e9, &g->vcpus) == -1 ||
	    get_num(rd, o, "mem_mib", w, 0, 1e15, &g->mem_mib) == -1 ||
	    get_num(rd, o, "confidence", w, 0, 1, &g->confidence) == -1 ||
	    get_str(rd, o, "group", w, false, &g->group) == -1 ||
	    get_bool(rd, o, "pinned", w, &pinned) == -1 ||
	    get_str(rd, o, "why", w, false, &g->why) == -1 ||
	    get_res(rd, o, "peak", w, 0, 1e18, g->peak) == -1 ||
	    get_profiles(rd, o, "profile", w, g->profile) == -1)
		goto out;
	if (pinned)
		g->flags |= PLAN_GUEST_PINNED;
	ret = 0;
out:
	free(name);
	free(host);
	return ret;
}

/* Each host's "guests" must list exactly the guests that name it. */
static int
read_host_guests(struct rd *rd, json_t *ha)
{
	struct plan *p = rd->p;
	json_t *o, *a, *v;
	size_t i, j, gi;
	char w[64];

	for (gi = 0; gi < p->nguests; gi++)
		p->hosts[p->guests[gi].host].nguests++;
	for (i = 0; i < p->nhosts; i++) {
		snprintf(w, sizeof(w), "hosts[%zu]", i);
		o = json_array_get(ha, i);
		a = json_object_get(o, "guests");
		if ((a == NULL && p->hosts[i].nguests > 0) || (a != NULL &&
		    (!json_is_array(a) || json_array_size(a) !=
		    p->hosts[i].nguests)))
			return bad(rd, w, "'guests' does not list the %zu "
			    "guests placed on '%s'", p->hosts[i].nguests,
			    p->hosts[i].name);
		p->hosts[i].guests = xreallocarray(NULL, p->hosts[i].nguests +
		    1, sizeof(size_t));
		json_array_foreach(a, j, v) {
			if (!json_is_string(v) || !strmap_get(&rd->names,
			    json_string_value(v), &gi) || gi >= p->nguests ||
			    p->guests[gi].host != i)
				return bad(rd, w, "guests[%zu] is not a guest "
				    "placed on '%s'", j, p->hosts[i].name);
			p->hosts[i].guests[j] = gi;
		}
	}
	return 0;
}

static int
read_server(struct rd *rd, json_t *o, size_t i)
{
	char w[64], *name = NULL, *dec = NULL, *reason = NULL;
	int d, ret = -1;

	snprintf(w, sizeof(w), "servers[%zu]", i);
	if (!json_is_object(o))
		return bad(rd, w, "not an object");
	if (get_str(rd, o, "name", w, true, &name) == -1 ||
	    get_str(rd, o, "decision", w, true, &dec) == -1 ||
	    get_str(rd, o, "reason", w, false, &reason) == -1)
		goto out;
	for (d = DECISION_KEEP; d < DECISION_N; d++)
		if (strcmp(dec, plan_decision_names[d]) == 0)
			break;
	if (d == DECISION_N) {
		bad(rd, w, "decision '%s' is not keep or retire", dec);
		goto out;
	}
	if (!strmap_put(&rd->names, name, (size_t)-1, NULL)) {
		bad(rd, w, "server '%s' appears twice", name);
		goto out;
	}
	plan_add_server(rd->p, name, d, reason);
	ret = 0;
out:
	free(name);
	free(dec);
	free(reason);
	return ret;
}

static int
read_array(struct rd *rd, json_t *root, const char *key,
    int (*fn)(struct rd *, json_t *, size_t))
{
	json_t *a = json_object_get(root, key), *v;
	size_t i;

	if (a == NULL)
		return bad(rd, "top level", "'%s' is missing", key);
	if (!json_is_array(a))
		return bad(rd, "top level", "'%s' is not an array", key);
	json_array_foreach(a, i, v)
		if (fn(rd, v, i) == -1)
			return -1;
	return 0;
}

static int
read_plan(struct rd *rd, json_t *root)
{
	if (read_header(rd, root) == -1 || read_settings(rd, root) == -1 ||
	    read_summary_bounds(rd, root) == -1 ||
	    read_array(rd, root, "hosts", read_host) == -1 ||
	    read_array(rd, root, "guests", read_guest) == -1 ||
	    read_host_guests(rd, json_object_get(root, "hosts")) == -1 ||
	    read_array(rd, root, "servers", read_server) == -1)
		return -1;
	return 0;
}

struct plan *
plan_read_json(const char *path)
{
	struct rd rd;
	json_error_t err;
	json_t *root;
	int rc;

	if (strcmp(path, "-") == 0)
		root = json_loadf(stdin, JSON_REJECT_DUPLICATES, &err);
	else
		root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		if (err.line < 0)
			error_set(ERROR_IO, "cannot read '%s': %s", path,
			    err.text);
		else
			error_at(ERROR_DATA, path, (size_t)err.line,
			    (size_t)err.column, "%s", err.text);
		return NULL;
	}
	rd.path = strcmp(path, "-") == 0 ? "<stdin>" : path;
	rd.p = plan_new();
	strmap_init(&rd.hosts);
	strmap_init(&rd.names);
	rc = read_plan(&rd, root);
	strmap_release(&rd.hosts);
	strmap_release(&rd.names);
	json_decref(root);
	if (rc == -1) {
		plan_free(rd.p);
		return NULL;
	}
	return rd.p;
}
