/*
 * validation.c - the errors of a validation, and its JSON form.
 *
 * Errors are predicted - measured ready %, in percentage points, over
 * the slots that count (foreign load under the limit): per guest and
 * slot ("points") and per slot as the mean over every vCPU.  The median
 * and the 90th percentile of the absolute errors are GSL's quantiles of
 * the sorted values.
 *
 * The numbers of a point, a slot, a run and a summary are listed once in
 * tables of (key, offset, decimals); the writer and the reader both walk
 * them, so a field added to one is in the other.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

#include "common/error.h"
#include "common/json.h"
#include "common/xalloc.h"
#include "model/validation.h"

struct num_field {
	const char *key;
	size_t off;
	int decimals;
};

struct str_field {
	const char *key;
	size_t off;
};

#define PT(k, d) { #k, offsetof(struct validation_point, k), d }
static const struct num_field point_fields[] = {
	PT(demand_pct, 2), PT(work_pct, 2), PT(achieved_pct, 2),
	PT(ready_pct, 2), PT(predicted_pct, 2), PT(predicted_plain_pct, 2),
};

#define SL(k, d) { #k, offsetof(struct validation_slot, k), d }
static const struct num_field slot_fields[] = {
	SL(source, 0), SL(foreign_pct, 2), SL(emulator_pct, 2), SL(steal_pct, 2),
	SL(demand_cpus, 4), SL(achieved_cpus, 4), SL(ready_pct, 2),
	SL(predicted_pct, 2), SL(predicted_plain_pct, 2),
};

#define GU(k, d) { #k, offsetof(struct validation_guest, k), d }
static const struct num_field guest_fields[] = {
	GU(vcpus, 0), GU(mem_mib, 0), GU(planned_mem_mib, 0),
};

#define RN(k, d) { #k, offsetof(struct validation, k), d }
static const struct num_field run_fields[] = {
	RN(host_threads, 0), RN(host_guests, 0), RN(host_vcpus, 0),
	RN(cu_per_cpu, 4), RN(ncpus, 0), RN(mem_scale, 4),
	RN(loops_per_ms, 1), RN(vm_overhead_pct, 2), RN(share_overhead_pct, 2), RN(calib_spread_pct, 2), RN(slot_s, 2),
	RN(skip_s, 2), RN(lag_max_s, 3), RN(foreign_max_pct, 2),
};

#define RS(k) { #k, offsetof(struct validation, k) }
static const struct str_field run_strings[] = {
	RS(name), RS(hypervisor), RS(hypervisor_why), RS(libvirt_version),
	RS(qemu_version), RS(kernel), RS(kernel_boot), RS(plan_host), RS(model), RS(cpus), RS(scaling),
	RS(queue),
};

#define SU(k, d) { #k, offsetof(struct validation_summary, k), d }
static const struct num_field summary_fields[] = {
	SU(median_abs_pts, 2), SU(p90_abs_pts, 2), SU(max_abs_pts, 2),
	SU(bias_pts, 2), SU(slot_median_abs_pts, 2), SU(slot_p90_abs_pts, 2),
	SU(plain_median_abs_pts, 2), SU(plain_p90_abs_pts, 2),
	SU(tolerance_pts, 2), SU(work_low_pct, 1), SU(work_high_pct, 1),
};

#define NF(t) (sizeof(t) / sizeof((t)[0]))

static double *
num_at(const void *base, size_t off)
{
	return (double *)(void *)((char *)(uintptr_t)base + off);
}

static char **
str_at(const void *base, size_t off)
{
	return (char **)(void *)((char *)(uintptr_t)base + off);
}

/* ------------------------------------------------------------ structs */

static void
nan_fields(void *base, const struct num_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		*num_at(base, f[i].off) = NAN;
}

void
validation_init(struct validation *v, size_t nguests, size_t nslots)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	nan_fields(v, run_fields, NF(run_fields));
	nan_fields(&v->sum, summary_fields, NF(summary_fields));
	v->nguests = nguests;
	v->nslots = nslots;
	v->guests = xcalloc(nguests + 1, sizeof(*v->guests));
	v->slots = xcalloc(nslots + 1, sizeof(*v->slots));
	v->points = xcalloc(nguests * nslots + 1, sizeof(*v->points));
	for (i = 0; i < nguests; i++)
		nan_fields(&v->guests[i], guest_fields, NF(guest_fields));
	for (i = 0; i < nslots; i++)
		nan_fields(&v->slots[i], slot_fields, NF(slot_fields));
	for (i = 0; i < nguests * nslots; i++)
		nan_fields(&v->points[i], point_fields, NF(point_fields));
}

void
validation_release(struct validation *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < NF(run_strings); i++)
		free(*str_at(v, run_strings[i].off));
	for (i = 0; i < v->nguests; i++)
		free(v->guests[i].name);
	for (i = 0; i < v->nslots; i++) {
		free(v->slots[i].label);
		free(v->slots[i].left_out);
	}
	free(v->guests);
	free(v->slots);
	free(v->points);
	memset(v, 0, sizeof(*v));
}

void
validation_set_release(struct validation_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nruns; i++)
		validation_release(&s->runs[i]);
	free(s->runs);
	memset(s, 0, sizeof(*s));
}

/* ----------------------------------------------------------- summary */

/* median, 90th percentile and max of the absolute values of e[0..n) */
static void
abs_stats(double *e, size_t n, double *med, double *p90, double *max)
{
	size_t i;

	*med = *p90 = *max = NAN;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		e[i] = fabs(e[i]);
	gsl_sort(e, 1, n);
	*med = gsl_stats_median_from_sorted_data(e, 1, n);
	*p90 = gsl_stats_quantile_from_sorted_data(e, 1, n, 0.9);
	*max = e[n - 1];
}

/* the errors gathered over runs */
struct errs {
	double *pe, *pp, *se;	/* points, points without the overhead,
				 * slots */
	size_t np, npp, ns;
	double bias;
	double work_lo, work_hi;	/* work done, % of demand */
};

/* a point's work done against its demand, into the lowest and highest */
static void
work_range(const struct validation_point *p, struct errs *e)
{
	double r;

	if (!(p->demand_pct > 0) || !isfinite(p->work_pct))
		return;
	r = 100.0 * p->work_pct / p->demand_pct;
	if (!(r >= e->work_lo))
		e->work_lo = r;
	if (!(r <= e->work_hi))
		e->work_hi = r;
}

static void
slot_errors(const struct validation *v, size_t t, struct errs *e)
{
	const struct validation_point *p;
	size_t g;

	if (isfinite(v->slots[t].predicted_pct - v->slots[t].ready_pct))
		e->se[e->ns++] = v->slots[t].predicted_pct -
		    v->slots[t].ready_pct;
	for (g = 0; g < v->nguests; g++) {
		p = &v->points[g * v->nslots + t];
		work_range(p, e);
		if (isfinite(p->predicted_plain_pct - p->ready_pct))
			e->pp[e->npp++] = p->predicted_plain_pct - p->ready_pct;
		if (!isfinite(p->predicted_pct - p->ready_pct))
			continue;
		e->pe[e->np] = p->predicted_pct - p->ready_pct;
		e->bias += e->pe[e->np++];
	}
}

static void
summarise(const struct validation *runs, size_t nruns, double tol,
    struct validation_summary *s)
{
	size_t cap_p = 1, cap_s = 1, i, t;
	struct errs e = { NULL, NULL, NULL, 0, 0, 0, 0.0, NAN, NAN };
	double ignored;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nruns; i++) {
		cap_p += runs[i].nguests * runs[i].nslots;
		cap_s += runs[i].nslots;
	}
	e.pe = xmalloc(cap_p * sizeof(double));
	e.pp = xmalloc(cap_p * sizeof(double));
	e.se = xmalloc(cap_s * sizeof(double));
	for (i = 0; i < nruns; i++)
		for (t = 0; t < runs[i].nslots; t++) {
			if (!runs[i].slots[t].used) {
				s->slots_left_out++;
				continue;
			}
			s->slots_used++;
			slot_errors(&runs[i], t, &e);
		}
	s->points = e.np;
	s->bias_pts = e.np > 0 ? e.bias / (double)e.np : NAN;
	abs_stats(e.pe, e.np, &s->median_abs_pts, &s->p90_abs_pts,
	    &s->max_abs_pts);
	abs_stats(e.se, e.ns, &s->slot_median_abs_pts, &s->slot_p90_abs_pts,
	    &ignored);
	abs_stats(e.pp, e.npp, &s->plain_median_abs_pts, &s->plain_p90_abs_pts,
	    &ignored);
	s->tolerance_pts = tol;
	s->work_low_pct = e.work_lo;
	s->work_high_pct = e.work_hi;
	s->pass = e.np > 0 && s->median_abs_pts <= tol;
	free(e.pe);
	free(e.pp);
	free(e.se);
}

bool
validation_work_strays(const struct validation_summary *s)
{
	return s->work_low_pct < 100.0 - VALIDATION_WORK_STRAY_PCT ||
	    s->work_high_pct > 100.0 + VALIDATION_WORK_STRAY_PCT;
}

bool
validation_work_text(const struct validation_summary *s, char *buf, size_t n)
{
	if (n > 0)
		*buf = '\0';
	if (!isfinite(s->work_low_pct) || !isfinite(s->work_high_pct))
		return false;
	snprintf(buf, n, "the guests did %.1f to %.1f %% of the work replayed "
	    "in the slots counted%s", s->work_low_pct, s->work_high_pct,
	    validation_work_strays(s) ? "; MORE than 10 % off: the load "
	    "measured is not the load predicted (a hypervisor whose speed "
	    "drifts, such as TCG, or other load)" : "");
	return true;
}

void
validation_summarise(struct validation *v, double tolerance_pts)
{
	summarise(v, 1, tolerance_pts, &v->sum);
}

void
validation_set_summarise(struct validation_set *s, double tolerance_pts)
{
	summarise(s->runs, s->nruns, tolerance_pts, &s->sum);
}

/* ------------------------------------------------------------ writer */

static void
put_nums(json_t *o, const void *base, const struct num_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		json_put(o, f[i].key, json_num(*num_at(base, f[i].off),
		    f[i].decimals));
}

static json_t *
summary_json(const struct validation_summary *s)
{
	json_t *o = json_object();

	json_put(o, "points", json_integer((json_int_t)s->points));
	json_put(o, "slots_used", json_integer((json_int_t)s->slots_used));
	json_put(o, "slots_left_out",
	    json_integer((json_int_t)s->slots_left_out));
	put_nums(o, s, summary_fields, NF(summary_fields));
	json_put(o, "pass", json_boolean(s->pass));
	return o;
}

static json_t *
guest_json(const struct validation *v, size_t g)
{
	json_t *o = json_object(), *a = json_array(), *p;
	size_t t;

	json_put(o, "name", json_str(v->guests[g].name));
	put_nums(o, &v->guests[g], guest_fields, NF(guest_fields));
	for (t = 0; t < v->nslots; t++) {
		p = json_object();
		put_nums(p, &v->points[g * v->nslots + t], point_fields,
		    NF(point_fields));
		json_array_append_new(a, p);
	}
	json_put(o, "slots", a);
	return o;
}

static json_t *
slot_json(const struct validation_slot *s)
{
	json_t *o = json_object();

	json_put(o, "label", json_str(s->label));
	json_put(o, "used", json_boolean(s->used));
	json_put(o, "left_out", s->left_out != NULL ? json_str(s->left_out) :
	    json_null());
	put_nums(o, s, slot_fields, NF(slot_fields));
	return o;
}

static json_t *
run_json(const struct validation *v)
{
	json_t *o = json_object(), *g = json_array(), *sl = json_array();
	const char *s;
	size_t i;

	for (i = 0; i < NF(run_strings); i++) {
		s = *str_at(v, run_strings[i].off);
		json_put(o, run_strings[i].key, s != NULL ? json_str(s) :
		    json_null());
	}
	json_put(o, "scaled", json_boolean(v->scaled));
	put_nums(o, v, run_fields, NF(run_fields));
	json_put(o, "summary", summary_json(&v->sum));
	for (i = 0; i < v->nslots; i++)
		json_array_append_new(sl, slot_json(&v->slots[i]));
	json_put(o, "slots", sl);
	for (i = 0; i < v->nguests; i++)
		json_array_append_new(g, guest_json(v, i));
	json_put(o, "guests", g);
	return o;
}

int
validation_set_write(const struct validation_set *s, const char *path)
{
	json_t *root = json_object(), *runs = json_array();
	size_t i;
	int ret;

	json_put(root, "format", json_str(VALIDATION_FORMAT));
	json_put(root, "version", json_integer(VALIDATION_VERSION));
	json_put(root, "sweep", json_boolean(s->sweep));
	json_put(root, "summary", summary_json(&s->sum));
	for (i = 0; i < s->nruns; i++)
		json_array_append_new(runs, run_json(&s->runs[i]));
	json_put(root, "runs", runs);
	ret = json_write_path(root, path);
	json_decref(root);
	return ret;
}

/* ------------------------------------------------------------ reader */

struct rd {
	const char *path;
	char where[96];
};

static int
bad(const struct rd *rd, const char *key, const char *what)
{
	return error_set(ERROR_DATA, "%s: %s: '%s' %s", rd->path, rd->where,
	    key, what);
}

static int
get_nums(const struct rd *rd, json_t *o, void *base,
    const struct num_field *f, size_t n)
{
	json_t *j;
	size_t i;

	for (i = 0; i < n; i++) {
		j = json_object_get(o, f[i].key);
		if (j == NULL || json_is_null(j))
			*num_at(base, f[i].off) = NAN;
		else if (json_is_number(j))
			*num_at(base, f[i].off) = json_number_value(j);
		else
			return bad(rd, f[i].key, "is not a number");
	}
	return 0;
}

/* a string member into *out (NULL when null or absent) */
static int
get_str(const struct rd *rd, json_t *o, const char *key, char **out)
{
	json_t *j = json_object_get(o, key);

	*out = NULL;
	if (j == NULL || json_is_null(j))
		return 0;
	if (!json_is_string(j))
		return bad(rd, key, "is not a string");
	*out = xstrdup(json_string_value(j));
	return 0;
}

static int
get_summary(struct rd *rd, json_t *o, struct validation_summary *s)
{
	json_t *j = json_object_get(o, "summary");

	memset(s, 0, sizeof(*s));
	if (!json_is_object(j))
		return bad(rd, "summary", "is not an object");
	s->points = (size_t)json_integer_value(json_object_get(j, "points"));
	s->slots_used = (size_t)json_integer_value(json_object_get(j,
	    "slots_used"));
	s->slots_left_out = (size_t)json_integer_value(json_object_get(j,
	    "slots_left_out"));
	s->pass = json_is_true(json_object_get(j, "pass"));
	return get_nums(rd, j, s, summary_fields, NF(summary_fields));
}

static int
get_slot(struct rd *rd, json_t *o, struct validation_slot *s)
{
	if (!json_is_object(o))
		return bad(rd, "slots", "holds something not an object");
	s->used = json_is_true(json_object_get(o, "used"));
	if (get_str(rd, o, "label", &s->label) == -1 ||
	    get_str(rd, o, "left_out", &s->left_out) == -1)
		return -1;
	return get_nums(rd, o, s, slot_fields, NF(slot_fields));
}

static int
get_guest(struct rd *rd, json_t *o, struct validation *v, size_t g)
{
	json_t *a = json_object_get(o, "slots");
	size_t t;

	if (!json_is_object(o))
		return bad(rd, "guests", "holds something not an object");
	if (get_str(rd, o, "name", &v->guests[g].name) == -1 ||
	    get_nums(rd, o, &v->guests[g], guest_fields,
	    NF(guest_fields)) == -1)
		return -1;
	if (!json_is_array(a) || json_array_size(a) != v->nslots)
		return bad(rd, "slots", "does not have one entry per slot");
	for (t = 0; t < v->nslots; t++)
		if (!json_is_object(json_array_get(a, t)) || get_nums(rd,
		    json_array_get(a, t), &v->points[g * v->nslots + t],
		    point_fields, NF(point_fields)) == -1)
			return bad(rd, "slots", "holds a bad point");
	return 0;
}

static int
get_run(struct rd *rd, json_t *o, struct validation *v, size_t r)
{
	json_t *gs = json_object_get(o, "guests"), *ss = json_object_get(o,
	    "slots");
	size_t i;

	snprintf(rd->where, sizeof(rd->where), "runs[%zu]", r);
	if (!json_is_object(o) || !json_is_array(gs) || !json_is_array(ss))
		return bad(rd, "guests", "or 'slots' is missing");
	validation_init(v, json_array_size(gs), json_array_size(ss));
	for (i = 0; i < NF(run_strings); i++)
		if (get_str(rd, o, run_strings[i].key,
		    str_at(v, run_strings[i].off)) == -1)
			return -1;
	v->scaled = json_is_true(json_object_get(o, "scaled"));
	if (get_nums(rd, o, v, run_fields, NF(run_fields)) == -1 ||
	    get_summary(rd, o, &v->sum) == -1)
		return -1;
	for (i = 0; i < v->nslots; i++) {
		snprintf(rd->where, sizeof(rd->where), "runs[%zu].slots[%zu]",
		    r, i);
		if (get_slot(rd, json_array_get(ss, i), &v->slots[i]) == -1)
			return -1;
	}
	for (i = 0; i < v->nguests; i++) {
		snprintf(rd->where, sizeof(rd->where), "runs[%zu].guests[%zu]",
		    r, i);
		if (get_guest(rd, json_array_get(gs, i), v, i) == -1)
			return -1;
	}
	return 0;
}

static int
get_set(struct rd *rd, json_t *root, struct validation_set *s)
{
	json_t *runs = json_object_get(root, "runs");
	json_t *f = json_object_get(root, "format");
	size_t i;

	snprintf(rd->where, sizeof(rd->where), "top level");
	if (!json_is_string(f) || strcmp(json_string_value(f),
	    VALIDATION_FORMAT) != 0)
		return bad(rd, "format", "is not \"" VALIDATION_FORMAT "\"");
	if (json_integer_value(json_object_get(root, "version")) !=
	    VALIDATION_VERSION)
		return bad(rd, "version", "is not 1, the version this capplan "
		    "reads");
	if (!json_is_array(runs) || json_array_size(runs) == 0)
		return bad(rd, "runs", "is missing or empty");
	s->sweep = json_is_true(json_object_get(root, "sweep"));
	if (get_summary(rd, root, &s->sum) == -1)
		return -1;
	s->runs = xcalloc(json_array_size(runs), sizeof(*s->runs));
	for (i = 0; i < json_array_size(runs); i++) {
		s->nruns = i + 1;
		if (get_run(rd, json_array_get(runs, i), &s->runs[i], i) == -1)
			return -1;
	}
	return 0;
}

int
validation_set_read(struct validation_set *s, const char *path)
{
	struct rd rd = { path, "" };
	json_error_t e;
	json_t *root;
	int ret;

	memset(s, 0, sizeof(*s));
	root = json_load_file(path, 0, &e);
	if (root == NULL)
		return error_set(ERROR_DATA, "%s:%d:%d: %s", path, e.line,
		    e.column, e.text);
	ret = get_set(&rd, root, s);
	json_decref(root);
	if (ret == -1)
		validation_set_release(s);
	return ret;
}
