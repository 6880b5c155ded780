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
 * One table per JSON object (settings_fields, host_fields, ...) lists
 * its members in the order written, with their types, decimals and the
 * ranges the reader takes: the writer and the reader both walk it, so
 * they cannot disagree on a field.
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
#include <stddef.h>
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

/*
 * A number with at most decimals places, trailing zeros trimmed.  From
 * 1e15 on, %f would print an integer literal too big for jansson to read
 * back ("too big integer") and, past 63 digits, cut short: such numbers
 * are written as %.17g, a JSON real that reads back exactly.
 */
static void
jw_number(FILE *fp, double v, int decimals)
{
	char buf[NUM_FIXED_MAX];
	char *e;

	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	if (fabs(v) >= 1e15) {
		fprintf(fp, "%.17g", v);
		return;
	}
	num_format_fixed(buf, v, decimals);
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

/* "key": {"cpu_cu": v[0], ...}, each resource's decimals when < 0 */
static void
jw_res(struct jw *w, const char *key, const double *v, int decimals)
{
	int r;

	jw_open(w, key, '{');
	for (r = 0; r < RES_N; r++)
		jw_num(w, resource_table[r].name, v[r],
		    decimals >= 0 ? decimals : res_decimals[r]);
	jw_close(w, '}');
}

/* "key": {"cpu_cu": [nslots values], ...} over the planned resources */
static void
jw_profiles(struct jw *w, const struct plan *p, const char *key,
    double *const prof[RES_N], int decimals)
{
	int r;

	jw_open(w, key, '{');
	for (r = 0; r < RES_N; r++)
		if (p->planned[r] && prof[r] != NULL)
			jw_array(w, resource_table[r].name, prof[r],
			    p->nslots, decimals >= 0 ? decimals :
			    res_decimals[r]);
	jw_close(w, '}');
}


/* ----------------------------------------------------- reader helpers */

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

/* ------------------------------------------------------- field tables */

/*
 * Every member of plan.json's objects, in the order written: one table
 * per object drives both plan_write_json() and plan_read_json(), so the
 * writer and the reader cannot list different fields.  A number is
 * written with its decimals and read back in [lo, hi] (null or missing:
 * NaN, or 0 for a count); a member with more to it (the format record,
 * a host's guest list, the start time, figures the writer computes) has
 * functions of its own: write, and read (NULL: nothing to read, or read
 * by the caller, who needs it first).
 */
enum ftype {
	F_NUM,		/* double; NaN is null */
	F_SIZE,		/* size_t, whole; null or missing is 0 */
	F_LONG,		/* long, whole; null or missing is 0 */
	F_STR,		/* char *; NULL is null */
	F_KEY,		/* char *, written; read by the caller (first) */
	F_BOOL,		/* bool; missing is false */
	F_FLAG,		/* bit mask of an unsigned, as true or false */
	F_RES,		/* double[RES_N]: {"cpu_cu": ..., ...} */
	F_PROFILE,	/* double *[RES_N]: {"cpu_cu": [nslots], ...} */
	F_OBJ,		/* an object of its own: table sub, at off */
	F_HOOK,		/* write() and read() */
};

#define FL_REQ		0x01	/* the reader needs it */
#define FL_ZERO_NULL	0x02	/* F_SIZE: 0 is written as null */

struct field {
	const char *key;
	enum ftype type;
	size_t off;		/* in the object's struct */
	int decimals;		/* F_RES, F_PROFILE: -1 each resource's own */
	double lo, hi;		/* what the reader takes */
	unsigned flags;		/* FL_*; F_FLAG: the bit */
	const struct field *sub;
	void (*write)(struct jw *w, const struct plan *p, const void *obj);
	int (*read)(struct rd *rd, json_t *o, const char *where, void *obj);
};

#define FIELD(k, t, s, m, d, lo, hi, fl) \
	{ k, t, offsetof(struct s, m), d, lo, hi, fl, NULL, NULL, NULL }
#define NUM(k, s, m, d, lo, hi)	FIELD(k, F_NUM, s, m, d, lo, hi, 0)
#define STR(k, s, m, fl)	FIELD(k, F_STR, s, m, 0, 0, 0, fl)
#define RES(k, s, m, d, lo, hi)	FIELD(k, F_RES, s, m, d, lo, hi, 0)
#define HOOK(k, w, r)		{ k, F_HOOK, 0, 0, 0, 0, 0, NULL, w, r }
#define OBJ(k, s, m, sub, fl)	\
	{ k, F_OBJ, offsetof(struct s, m), 0, 0, 0, fl, sub, NULL, NULL }
#define SELF(k, sub, fl)	{ k, F_OBJ, 0, 0, 0, 0, fl, sub, NULL, NULL }
#define END			{ NULL, F_NUM, 0, 0, 0, 0, 0, NULL, NULL, NULL }

static void write_fields(struct jw *w, const struct plan *p,
    const struct field *t, const void *obj);
static int read_fields(struct rd *rd, json_t *o, const char *where,
    const struct field *t, void *obj);

/* --------------------------------------------------------- settings */

static void
start_write(struct jw *w, const struct plan *p, const void *obj)
{
	char ts[TIME_RFC3339_LEN];

	(void)obj;
	if (p->resolution != NULL && strcmp(p->resolution, "series") == 0) {
		time_format_rfc3339(p->start_ms, ts);
		jw_str(w, "start", ts);
	} else {
		jw_str(w, "start", NULL);
	}
}

static int
start_read(struct rd *rd, json_t *o, const char *where, void *obj)
{
	const char *why;
	char *start = NULL;
	int ret = 0;

	(void)obj;
	if (get_str(rd, o, "start", where, false, &start) == -1)
		return -1;
	if (start != NULL && time_parse_rfc3339(start, &rd->p->start_ms,
	    &why) == -1)
		ret = bad(rd, where, "'start' %s", why);
	free(start);
	return ret;
}

/* profiles are read by the slot count: it must be one or more */
static int
slots_read(struct rd *rd, json_t *o, const char *where, void *obj)
{
	(void)o;
	(void)obj;
	if (rd->p->nslots == 0)
		return bad(rd, where, "'slots' must be at least 1");
	return 0;
}

static void
planned_write(struct jw *w, const struct plan *p, const void *obj)
{
	int r;

	(void)obj;
	jw_open(w, "planned", '[');
	for (r = 0; r < RES_N; r++)
		if (p->planned[r])
			jw_str(w, NULL, resource_table[r].name);
	jw_close(w, ']');
}

static int
planned_read(struct rd *rd, json_t *set, const char *where, void *obj)
{
	json_t *a = json_object_get(set, "planned"), *v;
	size_t i;
	int r;

	(void)obj;
	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return bad(rd, where, "'planned' is not an array");
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

/* "domains": ["rack-a", ...], or null */
/* an array of strings, or null when there are none */
static void
strings_write(struct jw *w, const char *key, char *const *v, size_t n)
{
	size_t i;

	if (n == 0) {
		jw_str(w, key, NULL);
		return;
	}
	jw_open(w, key, '[');
	for (i = 0; i < n; i++)
		jw_str(w, NULL, v[i]);
	jw_close(w, ']');
}

static int
strings_read(struct rd *rd, json_t *set, const char *where, const char *key,
    char ***v, size_t *n)
{
	json_t *a = json_object_get(set, key), *e;
	size_t i;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return bad(rd, where, "'%s' is not an array", key);
	*v = xcalloc(json_array_size(a) + 1, sizeof(char *));
	json_array_foreach(a, i, e) {
		if (!json_is_string(e))
			return bad(rd, where, "%s: item %zu is not a string",
			    key, i);
		(*v)[(*n)++] = xstrdup(json_string_value(e));
	}
	return 0;
}

static void
domains_write(struct jw *w, const struct plan *p, const void *obj)
{
	(void)obj;
	strings_write(w, "domains", p->domains, p->ndomains);
}

static int
domains_read(struct rd *rd, json_t *set, const char *where, void *obj)
{
	(void)obj;
	return strings_read(rd, set, where, "domains", &rd->p->domains,
	    &rd->p->ndomains);
}

static void
growth_write(struct jw *w, const struct plan *p, const void *obj)
{
	(void)obj;
	strings_write(w, "growth", p->growth, p->ngrowth);
}

static int
growth_read(struct rd *rd, json_t *set, const char *where, void *obj)
{
	(void)obj;
	return strings_read(rd, set, where, "growth", &rd->p->growth,
	    &rd->p->ngrowth);
}

static const struct field settings_fields[] = {
	STR("resolution", plan, resolution, FL_REQ),
	STR("timezone", plan, timezone, 0),
	FIELD("slots", F_SIZE, plan, nslots, 0, 0, 1e7, FL_REQ),
	HOOK("slots", NULL, slots_read),
	NUM("slot_s", plan, slot_s, 3, 0, 1e9),
	HOOK("start", start_write, start_read),
	NUM("percentile", plan, percentile, 3, 0, 100),
	STR("sizing", plan, sizing, 0),
	NUM("vm_percentile", plan, vm_percentile, 3, 0, 100),
	NUM("target_overload_pct", plan, target_overload_pct, 4, 0, 100),
	NUM("expected_overload_pct", plan, expected_overload_pct, 4, 0, 100),
	NUM("violation_pct", plan, violation_pct, 3, 0, 100),
	RES("headroom", plan, headroom, 4, 0, 1),
	HOOK("planned", planned_write, planned_read),
	NUM("vcpu_per_pcpu", plan, vcpu_per_pcpu, 4, 0, 1e6),
	NUM("mem_overcommit", plan, mem_overcommit, 4, 0, 1e6),
	STR("storage_size", plan, storage_size, 0),
	NUM("storage_headroom", plan, storage_headroom, 4, 0, 1),
	NUM("storage_used_margin", plan, storage_used_margin, 4, 0, 1e3),
	FIELD("max_guests", F_LONG, plan, max_guests, 0, 0, 1e9, 0),
	FIELD("host_failures", F_LONG, plan, host_failures, 0, 0, 1e3, 0),
	FIELD("domain_failures", F_LONG, plan, domain_failures, 0, 0, 1, 0),
	HOOK("domains", domains_write, domains_read),
	HOOK("growth", growth_write, growth_read),
	STR("failover_check", plan, failover_check, 0),
	STR("currency", plan, currency, 0),
	END,
};

static const struct field search_fields[] = {
	STR("packer", plan, packer, 0),
	STR("local_search", plan, search, 0),
	NUM("effort_dims", plan, search_effort_dims, 0, 1e3, 1e15),
	STR("exact", plan, exact, 0),
	END,
};

/* ---------------------------------------------------------- summary */

/* figures the writer counts from the plan; the reader counts them again */
static void
counts_write(struct jw *w, const struct plan *p, const void *obj)
{
	(void)obj;
	jw_num(w, "servers", (double)(p->nguests + p->nservers), 0);
	jw_num(w, "virtualized", (double)p->nguests, 0);
	jw_num(w, "kept", (double)plan_count(p, DECISION_KEEP), 0);
	jw_num(w, "retired", (double)plan_count(p, DECISION_RETIRE), 0);
	jw_num(w, "hosts", (double)p->nhosts, 0);
	jw_num(w, "existing_hosts", (double)plan_count_existing(p), 0);
	jw_num(w, "moves", (double)plan_count_moves(p), 0);
	jw_num(w, "added", (double)plan_count_added(p), 0);
}

static void
ratio_write(struct jw *w, const struct plan *p, const void *obj)
{
	size_t active = p->nhosts - p->spare_hosts;

	(void)obj;
	jw_num(w, "consolidation_ratio", active > 0 ?
	    (double)p->nguests / (double)active : NAN, 2);
}

static const struct field summary_fields[] = {
	HOOK("servers", counts_write, NULL),
	FIELD("spare_hosts", F_SIZE, plan, spare_hosts, 0, 0, 1e9, 0),
	FIELD("peak_hosts", F_SIZE, plan, peak_hosts, 0, 0, 1e9,
	    FL_ZERO_NULL),
	HOOK("consolidation_ratio", ratio_write, NULL),
	NUM("cost_per_year", plan, cost_per_year, 2, -1e18, 1e18),
	END,
};

/* ----------------------------------------------------------- bounds */

static void
where_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_bounds *b = obj;

	(void)p;
	jw_str(w, "continuous_resource", b->continuous_resource >= 0 ?
	    resource_table[b->continuous_resource].name : NULL);
	jw_num(w, "continuous_slot", b->continuous_resource >= 0 ?
	    (double)b->continuous_slot : NAN, 0);
}

static int
where_read(struct rd *rd, json_t *o, const char *where, void *obj)
{
	struct plan_bounds *b = obj;
	char *res = NULL;
	double v;
	int ret = -1;

	if (get_str(rd, o, "continuous_resource", where, false, &res) == -1 ||
	    get_num(rd, o, "continuous_slot", where, 0, 1e9, &v) == -1)
		goto out;
	b->continuous_resource = res != NULL ? resource_find(res) : -1;
	b->continuous_slot = isnan(v) ? 0 : (size_t)v;
	ret = 0;
out:
	free(res);
	return ret;
}

static const struct field bounds_fields[] = {
	NUM("continuous", plan_bounds, continuous, 0, 0, 1e9),
	HOOK("continuous_resource", where_write, where_read),
	RES("martello_toth_l2", plan_bounds, l2, 0, 0, 1e9),
	NUM("l2", plan_bounds, l2_max, 0, 0, 1e9),
	NUM("dff", plan_bounds, dff, 0, 0, 1e9),
	NUM("clique", plan_bounds, clique, 0, 0, 1e9),
	NUM("zones", plan_bounds, zones, 0, 0, 1e9),
	NUM("existing", plan_bounds, existing, 0, 0, 1e9),
	NUM("beyond", plan_bounds, beyond, 0, 0, 1e9),
	NUM("static", plan_bounds, other, 0, 0, 1e9),
	NUM("lower", plan_bounds, lower, 0, 0, 1e9),
	STR("method", plan_bounds, method, 0),
	NUM("lp", plan_bounds, lp, 0, 0, 1e9),
	NUM("optimum", plan_bounds, optimum, 0, 0, 1e9),
	NUM("gap_pct", plan_bounds, gap_pct, 2, -1e9, 1e9),
	FIELD("load", F_PROFILE, plan_bounds, load, 4, 0, 0, 0),
	END,
};

/* ----------------------------------------------------------- balance */

static const struct field balance_fields[] = {
	STR("objective", plan_balance, objective, 0),
	FIELD("moves", F_SIZE, plan_balance, moves, 0, 0, 1e12, 0),
	NUM("peak_before_pct", plan_balance, peak_before_pct, 2, 0, 1e9),
	NUM("peak_pct", plan_balance, peak_pct, 2, 0, 1e9),
	NUM("spread_before_pct", plan_balance, spread_before_pct, 2, 0, 1e9),
	NUM("spread_pct", plan_balance, spread_pct, 2, 0, 1e9),
	END,
};

/* ------------------------------------------------------------ hosts */

static const struct field contention_fields[] = {
	NUM("cpu_ready_pct", plan_contention, cpu_ready_pct, 3, 0, 100),
	NUM("cpu_ready_max_pct", plan_contention, cpu_ready_max_pct, 3, 0,
	    100),
	NUM("overload_pct", plan_contention, overload_pct, 3, 0, 100),
	NUM("overload_gauss_pct", plan_contention, overload_gauss_pct, 3, 0,
	    100),
	NUM("mux_gain", plan_contention, mux_gain, 4, 0, 1e9),
	NUM("mem_overcommit", plan_contention, mem_overcommit, 4, 0, 1e9),
	NUM("swap_risk_pct", plan_contention, swap_risk_pct, 3, 0, 100),
	NUM("disk_util_pct", plan_contention, disk_util_pct, 3, 0, 1e9),
	NUM("net_util_pct", plan_contention, net_util_pct, 3, 0, 1e9),
	NUM("disk_latency_factor", plan_contention, disk_latency_factor, 4,
	    0, 1e18),
	END,
};

/* the names of its guests; read once every guest is (host_guests_read) */
static void
guest_list_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_host *h = obj;
	size_t i;

	jw_open(w, "guests", '[');
	for (i = 0; i < h->nguests; i++)
		jw_str(w, NULL, p->guests[h->guests[i]].name);
	jw_close(w, ']');
}

static const struct field host_fields[] = {
	FIELD("name", F_KEY, plan_host, name, 0, 0, 0, FL_REQ),
	FIELD("model", F_KEY, plan_host, model, 0, 0, 0, FL_REQ),
	FIELD("spare", F_BOOL, plan_host, spare, 0, 0, 0, 0),
	STR("zone", plan_host, zone, 0),
	STR("domain", plan_host, domain, 0),
	FIELD("existing", F_BOOL, plan_host, existing, 0, 0, 0, 0),
	NUM("sockets", plan_host, sockets, 0, 0, 1e6),
	NUM("cores", plan_host, cores, 0, 0, 1e9),
	NUM("threads", plan_host, threads, 0, 0, 1e9),
	RES("capacity", plan_host, capacity, -1, 0, 1e18),
	RES("limit", plan_host, limit, -1, 0, 1e18),
	NUM("vcpus", plan_host, vcpus, 0, 0, 1e12),
	NUM("mem_committed_mib", plan_host, mem_committed_mib, 1, 0, 1e18),
	NUM("storage_gib", plan_host, storage_gib, 1, 0, 1e15),
	NUM("storage_limit_gib", plan_host, storage_limit_gib, 1, 0, 1e15),
	NUM("storage_committed_gib", plan_host, storage_committed_gib, 1, 0,
	    1e18),
	RES("peak", plan_host, peak, -1, 0, 1e18),
	RES("mean", plan_host, mean, -1, 0, 1e18),
	NUM("power_w", plan_host, power_w, 1, 0, 1e12),
	NUM("cost_per_year", plan_host, cost_per_year, 2, -1e18, 1e18),
	OBJ("contention", plan_host, contention, contention_fields, 0),
	HOOK("guests", guest_list_write, NULL),
	FIELD("profile", F_PROFILE, plan_host, profile, -1, 0, 0, 0),
	END,
};

/* ----------------------------------------------------------- guests */

/* its host by name; read by the caller, which resolves it */
static void
guest_host_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_host *h = plan_guest_host(p, obj);

	jw_str(w, "host", h != NULL ? h->name : NULL);
}

/* "mem_source": one of plan_mem_source_names; missing: "samples" */
static void
mem_source_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_guest *g = obj;

	(void)p;
	jw_str(w, "mem_source", plan_mem_source_names[g->mem_source]);
}

static int
mem_source_read(struct rd *rd, json_t *o, const char *where, void *obj)
{
	struct plan_guest *g = obj;
	char *s = NULL;
	int k;

	g->mem_source = MEM_SOURCE_SAMPLES;
	if (get_str(rd, o, "mem_source", where, false, &s) == -1)
		return -1;
	for (k = 0; s != NULL && k < MEM_SOURCE_N; k++)
		if (strcmp(s, plan_mem_source_names[k]) == 0)
			g->mem_source = (enum plan_mem_source)k;
	if (s != NULL && strcmp(s, plan_mem_source_names[g->mem_source]) !=
	    0) {
		bad(rd, where, "'mem_source' '%s' is not samples, installed or "
		    "assumed", s);
		free(s);
		return -1;
	}
	free(s);
	return 0;
}

/* "storage_source": one of plan_storage_source_names; null when the
 * storage is not planned */
static void
storage_source_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_guest *g = obj;

	(void)p;
	jw_str(w, "storage_source", isnan(g->storage_gib) ? NULL :
	    plan_storage_source_names[g->storage_source]);
}

static int
storage_source_read(struct rd *rd, json_t *o, const char *where,
    void *obj)
{
	struct plan_guest *g = obj;
	char *s = NULL;
	int k, ret = 0;

	g->storage_source = STORAGE_SOURCE_ALLOCATED;
	if (get_str(rd, o, "storage_source", where, false, &s) == -1)
		return -1;
	for (k = 0; s != NULL && k < STORAGE_SOURCE_N; k++)
		if (strcmp(s, plan_storage_source_names[k]) == 0)
			break;
	if (s != NULL && k == STORAGE_SOURCE_N)
		ret = bad(rd, where, "'storage_source' '%s' is not allocated, "
		    "used or assumed", s);
	else if (s != NULL)
		g->storage_source = (enum plan_storage_source)k;
	free(s);
	return ret;
}

static const struct field guest_fields[] = {
	FIELD("name", F_KEY, plan_guest, name, 0, 0, 0, FL_REQ),
	HOOK("host", guest_host_write, NULL),
	NUM("vcpus", plan_guest, vcpus, 0, 0, 1e9),
	NUM("mem_mib", plan_guest, mem_mib, 1, 0, 1e15),
	NUM("mem_peak_mib", plan_guest, mem_peak_mib, 1, 0, 1e15),
	FIELD("swap_risk", F_FLAG, plan_guest, flags, 0, 0, 0,
	    PLAN_GUEST_SWAP),
	HOOK("mem_source", mem_source_write, mem_source_read),
	NUM("storage_gib", plan_guest, storage_gib, 1, 0, 1e15),
	HOOK("storage_source", storage_source_write, storage_source_read),
	NUM("cpu_rating", plan_guest, cpu_rating, 6, 0, 1e9),
	STR("cpu_rating_source", plan_guest, cpu_rating_source, 0),
	NUM("days", plan_guest, days, 4, 0, 1e6),
	NUM("coverage", plan_guest, coverage, 4, 0, 1),
	NUM("confidence", plan_guest, confidence, 3, 0, 1),
	STR("group", plan_guest, group, 0),
	STR("zone", plan_guest, zone, 0),
	STR("growth", plan_guest, growth, 0),
	FIELD("pinned", F_FLAG, plan_guest, flags, 0, 0, 0,
	    PLAN_GUEST_PINNED),
	FIELD("balanced", F_FLAG, plan_guest, flags, 0, 0, 0,
	    PLAN_GUEST_BALANCED),
	STR("current_host", plan_guest, current_host, 0),
	STR("like", plan_guest, like, 0),
	FIELD("moved", F_FLAG, plan_guest, flags, 0, 0, 0, PLAN_GUEST_MOVED),
	STR("why", plan_guest, why, 0),
	RES("peak", plan_guest, peak, -1, 0, 1e18),
	FIELD("profile", F_PROFILE, plan_guest, profile, -1, 0, 0, 0),
	END,
};

/* an enum, by name; read by the caller, who needs it first */
static void
decision_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_server *s = obj;

	(void)p;
	jw_str(w, "decision", plan_decision_names[s->decision]);
}

static const struct field server_fields[] = {
	FIELD("name", F_KEY, plan_server, name, 0, 0, 0, FL_REQ),
	HOOK("decision", decision_write, NULL),
	FIELD("reason", F_KEY, plan_server, reason, 0, 0, 0, 0),
	END,
};

/* ---------------------------------------------------------- migration */

/* "key": [names of the items at idx] */
static void
jw_names(struct jw *w, const char *key, const size_t *idx, size_t n,
    char *const *names, size_t stride)
{
	size_t i;

	jw_open(w, key, '[');
	for (i = 0; i < n; i++)
		jw_str(w, NULL, *(char *const *)((const char *)names +
		    idx[i] * stride));
	jw_close(w, ']');
}

static void
wave_write(struct jw *w, const struct plan *p, const struct plan_wave *v,
    size_t i)
{
	jw_open(w, NULL, '{');
	jw_num(w, "wave", (double)(i + 1), 0);
	jw_names(w, "install", v->install, v->ninstall, &p->hosts[0].name,
	    sizeof(*p->hosts));
	jw_names(w, "guests", v->guests, v->nguests, &p->guests[0].name,
	    sizeof(*p->guests));
	jw_names(w, "retire", v->retire, v->nretire, &p->servers[0].name,
	    sizeof(*p->servers));
	jw_num(w, "mem_mib", v->mem_mib, 0);
	jw_num(w, "disk_gib", v->disk_gib, 1);
	jw_num(w, "disk_unknown", (double)v->disk_unknown, 0);
	jw_num(w, "start_h", v->start_h, 3);
	jw_num(w, "install_h", v->install_h, 3);
	jw_num(w, "move_h", v->move_h, 3);
	jw_num(w, "downtime_max_s", v->downtime_max_s, 1);
	jw_num(w, "cost", v->cost, 2);
	jw_close(w, '}');
}

/* written only when waves were made: plans without them stay as they were */
static void
migration_write(struct jw *w, const struct plan *p, const void *obj)
{
	const struct plan_migration *m = &p->migration;
	size_t i;

	(void)obj;
	if (m->nwaves == 0)
		return;
	jw_open(w, "migration", '{');
	jw_num(w, "max_servers", (double)m->max_servers, 0);
	jw_num(w, "max_per_host", (double)m->max_per_host, 0);
	jw_bool(w, "retire_first", m->retire_first);
	jw_num(w, "bandwidth_mibps", m->bandwidth_mibps, 3);
	jw_num(w, "host_install_h", m->host_install_h, 3);
	jw_open(w, "waves", '[');
	for (i = 0; i < m->nwaves; i++)
		wave_write(w, p, &m->waves[i], i);
	jw_close(w, ']');
	jw_close(w, '}');
}

enum wave_list { WL_INSTALL, WL_GUESTS, WL_RETIRE };

/* the index of a name in list kind k, or -1 */
static long
wave_name_find(const struct rd *rd, enum wave_list k, const char *name)
{
	const struct plan *p = rd->p;
	size_t i;

	if (k == WL_INSTALL)
		return strmap_get(&rd->hosts, name, &i) && i < p->nhosts ?
		    (long)i : -1;
	if (!strmap_get(&rd->names, name, &i))
		return -1;
	if (k == WL_GUESTS)
		return i < p->nguests && strcmp(p->guests[i].name, name) == 0 ?
		    (long)i : -1;
	/* servers are in the map as (size_t)-1: found, but no index */
	for (i = 0; i < p->nservers; i++)
		if (strcmp(p->servers[i].name, name) == 0)
			return (long)i;
	return -1;
}

static int
wave_names_read(struct rd *rd, json_t *o, const char *where,
    enum wave_list k, size_t **idx, size_t *n)
{
	static const char *const keys[] = { "install", "guests", "retire" };
	json_t *a = json_object_get(o, keys[k]), *v;
	size_t i;
	long at;

	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return bad(rd, where, "'%s' must be an array", keys[k]);
	*idx = xcalloc(json_array_size(a) + 1, sizeof(size_t));
	json_array_foreach(a, i, v) {
		at = json_is_string(v) ? wave_name_find(rd, k,
		    json_string_value(v)) : -1;
		if (at < 0)
			return bad(rd, where, "%s[%zu] is not a %s of the plan",
			    keys[k], i, k == WL_INSTALL ? "host" : k ==
			    WL_GUESTS ? "guest" : "server");
		(*idx)[(*n)++] = (size_t)at;
	}
	return 0;
}

static int
wave_read(struct rd *rd, json_t *o, size_t i)
{
	struct plan_wave *v = plan_add_wave(rd->p);
	char where[64];
	double du;

	snprintf(where, sizeof(where), "migration.waves[%zu]", i);
	if (!json_is_object(o))
		return bad(rd, where, "not an object");
	if (wave_names_read(rd, o, where, WL_INSTALL, &v->install,
	    &v->ninstall) == -1 || wave_names_read(rd, o, where, WL_GUESTS,
	    &v->guests, &v->nguests) == -1 || wave_names_read(rd, o, where,
	    WL_RETIRE, &v->retire, &v->nretire) == -1)
		return -1;
	if (get_num(rd, o, "mem_mib", where, 0, 1e15, &v->mem_mib) == -1 ||
	    get_num(rd, o, "disk_gib", where, 0, 1e15, &v->disk_gib) == -1 ||
	    get_num(rd, o, "disk_unknown", where, 0, 1e12, &du) == -1 ||
	    get_num(rd, o, "start_h", where, 0, 1e9, &v->start_h) == -1 ||
	    get_num(rd, o, "install_h", where, 0, 1e9, &v->install_h) == -1 ||
	    get_num(rd, o, "move_h", where, 0, 1e9, &v->move_h) == -1 ||
	    get_num(rd, o, "downtime_max_s", where, 0, 1e12,
	    &v->downtime_max_s) == -1 ||
	    get_num(rd, o, "cost", where, -1e15, 1e15, &v->cost) == -1)
		return -1;
	v->disk_unknown = isfinite(du) ? (size_t)du : 0;
	return 0;
}

static int
migration_read(struct rd *rd, json_t *root, const char *where, void *obj)
{
	struct plan_migration *m = &rd->p->migration;
	json_t *o = json_object_get(root, "migration"), *a, *v;
	double d[2];
	size_t i;

	(void)obj;
	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return bad(rd, where, "'migration' must be an object");
	if (get_num(rd, o, "max_servers", "migration", 0, 1e6, &d[0]) == -1 ||
	    get_num(rd, o, "max_per_host", "migration", 0, 1e6, &d[1]) ==
	    -1 || get_bool(rd, o, "retire_first", "migration",
	    &m->retire_first) == -1 || get_num(rd, o, "bandwidth_mibps",
	    "migration", 0, 1e9, &m->bandwidth_mibps) == -1 ||
	    get_num(rd, o, "host_install_h", "migration", 0, 1e6,
	    &m->host_install_h) == -1)
		return -1;
	m->max_servers = isfinite(d[0]) ? (long)d[0] : 0;
	m->max_per_host = isfinite(d[1]) ? (long)d[1] : 0;
	a = json_object_get(o, "waves");
	if (!json_is_array(a))
		return bad(rd, "migration", "'waves' must be an array");
	json_array_foreach(a, i, v)
		if (wave_read(rd, v, i) == -1)
			return -1;
	return 0;
}

/* ---------------------------------------------------------- top level */

static void
header_write(struct jw *w, const struct plan *p, const void *obj)
{
	(void)p;
	(void)obj;
	jw_str(w, "format", PLAN_FORMAT);
	jw_num(w, "version", PLAN_VERSION, 0);
}

static int
header_read(struct rd *rd, json_t *root, const char *where, void *obj)
{
	char *fmt = NULL;
	double v;
	int ret = -1;

	(void)obj;
	if (get_str(rd, root, "format", where, true, &fmt) == -1)
		goto out;
	if (strcmp(fmt, PLAN_FORMAT) != 0) {
		bad(rd, "format", "expected '%s', found '%s'", PLAN_FORMAT,
		    fmt);
		goto out;
	}
	if (get_num(rd, root, "version", where, 1, 1e6, &v) == -1)
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

static void hosts_write(struct jw *w, const struct plan *p, const void *o);
static void guests_write(struct jw *w, const struct plan *p, const void *o);
static void servers_write(struct jw *w, const struct plan *p,
    const void *o);
static int hosts_read(struct rd *rd, json_t *root, const char *where,
    void *obj);
static int guests_read(struct rd *rd, json_t *root, const char *where,
    void *obj);
static int servers_read(struct rd *rd, json_t *root, const char *where,
    void *obj);

static const struct field plan_fields[] = {
	HOOK("format", header_write, header_read),
	SELF("settings", settings_fields, FL_REQ),
	SELF("search", search_fields, 0),
	SELF("summary", summary_fields, 0),
	OBJ("bounds", plan, bounds, bounds_fields, 0),
	OBJ("balance", plan, balance, balance_fields, 0),
	HOOK("hosts", hosts_write, hosts_read),
	HOOK("guests", guests_write, guests_read),
	HOOK("servers", servers_write, servers_read),
	HOOK("migration", migration_write, migration_read),
	END,
};

/* ------------------------------------------------------------ writer */

/* the object of field t in obj */
#define AT(obj, t) ((const char *)(obj) + (t)->off)

static void
write_field(struct jw *w, const struct plan *p, const struct field *t,
    const void *obj)
{
	const void *at = AT(obj, t);
	size_t n;

	switch (t->type) {
	case F_NUM:
		jw_num(w, t->key, *(const double *)at, t->decimals);
		break;
	case F_SIZE:
		n = *(const size_t *)at;
		jw_num(w, t->key, n == 0 && (t->flags & FL_ZERO_NULL) ? NAN :
		    (double)n, 0);
		break;
	case F_LONG:
		jw_num(w, t->key, (double)*(const long *)at, 0);
		break;
	case F_STR:
	case F_KEY:
		jw_str(w, t->key, *(char *const *)at);
		break;
	case F_BOOL:
		jw_bool(w, t->key, *(const bool *)at);
		break;
	case F_FLAG:
		jw_bool(w, t->key, (*(const unsigned *)at & t->flags) != 0);
		break;
	case F_RES:
		jw_res(w, t->key, at, t->decimals);
		break;
	case F_PROFILE:
		jw_profiles(w, p, t->key, at, t->decimals);
		break;
	case F_OBJ:
		jw_open(w, t->key, '{');
		write_fields(w, p, t->sub, at);
		jw_close(w, '}');
		break;
	case F_HOOK:
		if (t->write != NULL)
			t->write(w, p, obj);
		break;
	}
}

static void
write_fields(struct jw *w, const struct plan *p, const struct field *t,
    const void *obj)
{
	for (; t->key != NULL; t++)
		write_field(w, p, t, obj);
}

/* an array of objects, each by its table */
static void
write_array(struct jw *w, const struct plan *p, const char *key,
    const struct field *t, const void *items, size_t size, size_t n)
{
	size_t i;

	jw_open(w, key, '[');
	for (i = 0; i < n; i++) {
		jw_open(w, NULL, '{');
		write_fields(w, p, t, (const char *)items + i * size);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void
hosts_write(struct jw *w, const struct plan *p, const void *o)
{
	(void)o;
	write_array(w, p, "hosts", host_fields, p->hosts,
	    sizeof(*p->hosts), p->nhosts);
}

static void
guests_write(struct jw *w, const struct plan *p, const void *o)
{
	(void)o;
	write_array(w, p, "guests", guest_fields, p->guests,
	    sizeof(*p->guests), p->nguests);
}

static void
servers_write(struct jw *w, const struct plan *p, const void *o)
{
	(void)o;
	write_array(w, p, "servers", server_fields, p->servers,
	    sizeof(*p->servers), p->nservers);
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
	jw_open(&w, NULL, '{');
	write_fields(&w, p, plan_fields, p);
	jw_close(&w, '}');
	fputc('\n', w.fp);
	if (ferror(w.fp)) {
		ofile_abort(of);
		return error_set(ERROR_IO, "cannot write '%s'", path);
	}
	return ofile_commit(of);
}

/* ------------------------------------------------------------ reader */

/* a whole number into a size_t or a long; null or missing is 0 */
static int
get_whole(const struct rd *rd, json_t *o, const char *where,
    const struct field *t, void *at)
{
	double v;

	if (get_num(rd, o, t->key, where, t->lo, t->hi, &v) == -1)
		return -1;
	if ((isnan(v) && (t->flags & FL_REQ)) || (!isnan(v) && v != floor(v)))
		return bad(rd, where, "'%s' must be a whole number", t->key);
	if (isnan(v))
		v = 0;
	if (t->type == F_SIZE)
		*(size_t *)at = (size_t)v;
	else
		*(long *)at = (long)v;
	return 0;
}

static int
read_field(struct rd *rd, json_t *o, const char *where,
    const struct field *t, void *obj)
{
	void *at = (char *)obj + t->off;
	json_t *sub;
	char w[128];
	bool b;

	switch (t->type) {
	case F_NUM:
		return get_num(rd, o, t->key, where, t->lo, t->hi, at);
	case F_SIZE:
	case F_LONG:
		return get_whole(rd, o, where, t, at);
	case F_STR:
		return get_str(rd, o, t->key, where, t->flags & FL_REQ, at);
	case F_KEY:
		return 0;
	case F_BOOL:
		return get_bool(rd, o, t->key, where, at);
	case F_FLAG:
		if (get_bool(rd, o, t->key, where, &b) == -1)
			return -1;
		if (b)
			*(unsigned *)at |= t->flags;
		return 0;
	case F_RES:
		return get_res(rd, o, t->key, where, t->lo, t->hi, at);
	case F_PROFILE:
		return get_profiles(rd, o, t->key, where, at);
	case F_OBJ:
		if ((sub = get_obj(o, t->key)) != NULL) {
			/* "settings", "hosts[2].contention" */
			if (strcmp(where, "top level") == 0)
				snprintf(w, sizeof(w), "%s", t->key);
			else
				snprintf(w, sizeof(w), "%s.%s", where, t->key);
			return read_fields(rd, sub, w, t->sub, at);
		}
		if (t->flags & FL_REQ)
			return bad(rd, where, "'%s' is missing", t->key);
		return 0;
	case F_HOOK:
		return t->read != NULL ? t->read(rd, o, where, obj) : 0;
	}
	return 0;
}

static int
read_fields(struct rd *rd, json_t *o, const char *where,
    const struct field *t, void *obj)
{
	for (; t->key != NULL; t++)
		if (read_field(rd, o, where, t, obj) == -1)
			return -1;
	return 0;
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
	ret = read_fields(rd, o, w, host_fields, h);
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
	ret = read_fields(rd, o, w, guest_fields, g);
out:
	free(name);
	free(host);
	return ret;
}

/*
 * Host i's "guests" a: each a guest placed on it, none twice (listed[]
 * marks the guests listed so far; with the count checked, the list is
 * then exactly the guests that name the host).
 */
static int
host_list_read(struct rd *rd, size_t i, json_t *a, bool *listed)
{
	struct plan *p = rd->p;
	json_t *v;
	size_t j, gi;
	char w[64];

	snprintf(w, sizeof(w), "hosts[%zu]", i);
	if ((a == NULL && p->hosts[i].nguests > 0) || (a != NULL &&
	    (!json_is_array(a) || json_array_size(a) != p->hosts[i].nguests)))
		return bad(rd, w, "'guests' does not list the %zu "
		    "guests placed on '%s'", p->hosts[i].nguests,
		    p->hosts[i].name);
	p->hosts[i].guests = xreallocarray(NULL, p->hosts[i].nguests + 1,
	    sizeof(size_t));
	json_array_foreach(a, j, v) {
		if (!json_is_string(v) || !strmap_get(&rd->names,
		    json_string_value(v), &gi) || gi >= p->nguests ||
		    p->guests[gi].host != i)
			return bad(rd, w, "guests[%zu] is not a guest "
			    "placed on '%s'", j, p->hosts[i].name);
		if (listed[gi])
			return bad(rd, w, "guests[%zu] '%s' is listed twice", j,
			    p->guests[gi].name);
		listed[gi] = true;
		p->hosts[i].guests[j] = gi;
	}
	return 0;
}

/* Each host's "guests" must list exactly the guests that name it. */
static int
host_guests_read(struct rd *rd, json_t *ha)
{
	struct plan *p = rd->p;
	bool *listed = xcalloc(p->nguests + 1, sizeof(*listed));
	size_t i, gi;
	int ret = -1;

	for (gi = 0; gi < p->nguests; gi++)
		p->hosts[p->guests[gi].host].nguests++;
	for (i = 0; i < p->nhosts; i++)
		if (host_list_read(rd, i, json_object_get(json_array_get(ha,
		    i), "guests"), listed) == -1)
			goto out;
	ret = 0;
out:
	free(listed);
	return ret;
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
	ret = read_fields(rd, o, w, server_fields,
	    &rd->p->servers[rd->p->nservers - 1]);
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
hosts_read(struct rd *rd, json_t *root, const char *where, void *obj)
{
	(void)where;
	(void)obj;
	return read_array(rd, root, "hosts", read_host);
}

static int
guests_read(struct rd *rd, json_t *root, const char *where, void *obj)
{
	(void)where;
	(void)obj;
	if (read_array(rd, root, "guests", read_guest) == -1)
		return -1;
	return host_guests_read(rd, json_object_get(root, "hosts"));
}

static int
servers_read(struct rd *rd, json_t *root, const char *where, void *obj)
{
	(void)where;
	(void)obj;
	return read_array(rd, root, "servers", read_server);
}

static int
read_plan(struct rd *rd, json_t *root)
{
	if (!json_is_object(root))
		return bad(rd, "top level", "not a JSON object");
	if (read_fields(rd, root, "top level", plan_fields, rd->p) == -1)
		return -1;
	if (isnan(rd->p->violation_pct))
		rd->p->violation_pct = 0;
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
