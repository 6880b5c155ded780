/*
 * backtest_json.c - capplan-backtest version 1: the measured plan as
 * JSON, written with common/json.h and read back, checked, for capplan
 * report.  The members are in capplan-formats(5).
 *
 * Shares (percentages) are written beside the counts they come from, so
 * a reader can check them; the reader takes the counts and ignores the
 * shares.  Unknown members are ignored; a newer version is refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/error.h"
#include "common/json.h"
#include "common/num.h"
#include "common/xalloc.h"
#include "planner/plan.h"

void
backtest_release(struct backtest *bt)
{
	size_t i;

	if (bt == NULL)
		return;
	for (i = 0; i < bt->nhosts; i++) {
		free(bt->hosts[i].name);
		free(bt->hosts[i].model);
	}
	free(bt->hosts);
	free(bt->resolution);
	free(bt->sizing);
	memset(bt, 0, sizeof(*bt));
}

/* ------------------------------------------------------------ writer */

static double
pct(size_t part, size_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : NAN;
}

static json_t *
json_time(int64_t ms)
{
	char ts[TIME_RFC3339_LEN];

	if (ms == INT64_MIN || ms == INT64_MAX)
		return json_null();
	time_format_rfc3339(ms, ts);
	return json_str(ts);
}

static json_t *
res_json(const struct backtest_res *r, size_t slots)
{
	json_t *o = json_object();

	json_put(o, "capacity", json_num(r->capacity, 3));
	json_put(o, "limit", json_num(r->limit, 3));
	json_put(o, "peak", json_num(r->peak, 3));
	json_put(o, "peak_pct", json_num(r->capacity > 0 ? 100 * r->peak /
	    r->capacity : NAN, 3));
	json_put(o, "over_limit_slots", json_integer((json_int_t)
	    r->over_limit));
	json_put(o, "over_limit_pct", json_num(pct(r->over_limit, slots), 4));
	json_put(o, "over_capacity_slots", json_integer((json_int_t)
	    r->over_capacity));
	json_put(o, "over_capacity_pct", json_num(pct(r->over_capacity,
	    slots), 4));
	json_put(o, "predicted_pct", json_num(r->predicted_pct, 4));
	json_put(o, "predicted_gauss_pct", json_num(r->predicted_gauss_pct,
	    4));
	return o;
}

static json_t *
host_json(const struct backtest_host *h)
{
	json_t *o = json_object(), *res = json_object();
	int r;

	json_put(o, "name", json_str(h->name));
	json_put(o, "model", json_str(h->model));
	json_put(o, "guests", json_integer((json_int_t)h->nguests));
	json_put(o, "slots", json_integer((json_int_t)h->slots));
	json_put(o, "over_limit_slots", json_integer((json_int_t)
	    h->over_limit));
	json_put(o, "over_capacity_slots", json_integer((json_int_t)
	    h->over_capacity));
	json_put(o, "mem_over_committed_guest_slots", json_integer(
	    (json_int_t)h->mem_over_committed));
	json_put(o, "mem_over_committed_max_mib", json_num(
	    h->mem_over_committed_max_mib, 1));
	for (r = 0; r < RES_N; r++)
		if (h->res[r].judged)
			json_put(res, resource_table[r].name,
			    res_json(&h->res[r], h->slots));
	json_put(o, "resources", res);
	return o;
}

static json_t *
totals_json(const struct backtest *bt)
{
	json_t *o = json_object(), *res = json_object(), *x;
	int r;

	json_put(o, "host_slots", json_integer((json_int_t)bt->host_slots));
	json_put(o, "over_limit_slots", json_integer((json_int_t)
	    bt->over_limit));
	json_put(o, "over_limit_pct", json_num(pct(bt->over_limit,
	    bt->host_slots), 4));
	json_put(o, "over_capacity_slots", json_integer((json_int_t)
	    bt->over_capacity));
	json_put(o, "over_capacity_pct", json_num(pct(bt->over_capacity,
	    bt->host_slots), 4));
	json_put(o, "mem_over_committed_guest_slots", json_integer(
	    (json_int_t)bt->mem_over_committed));
	for (r = 0; r < RES_N; r++) {
		if (isnan(bt->res_peak_pct[r]))
			continue;
		x = json_object();
		json_put(x, "over_limit_slots", json_integer((json_int_t)
		    bt->res_over_limit[r]));
		json_put(x, "over_capacity_slots", json_integer((json_int_t)
		    bt->res_over_capacity[r]));
		json_put(x, "peak_pct", json_num(bt->res_peak_pct[r], 3));
		json_put(res, resource_table[r].name, x);
	}
	json_put(o, "resources", res);
	return o;
}

static json_t *
backtest_json(const struct backtest *bt)
{
	json_t *o = json_object(), *w = json_object(), *p = json_object(),
	    *s = json_object(), *h = json_array();
	size_t i;

	json_put(o, "format", json_str(BACKTEST_FORMAT));
	json_put(o, "version", json_integer(BACKTEST_VERSION));
	json_put(w, "from", json_time(bt->from_ms));
	json_put(w, "split", json_time(bt->split_ms));
	json_put(w, "until", json_time(bt->until_ms));
	json_put(w, "slot_s", json_num(bt->slot_s, 3));
	json_put(o, "window", w);
	json_put(p, "resolution", json_str(bt->resolution));
	json_put(p, "sizing", json_str(bt->sizing));
	json_put(p, "target_overload_pct", json_num(bt->target_pct, 4));
	json_put(p, "foresight", json_boolean(bt->oracle));
	json_put(p, "hosts", json_integer((json_int_t)bt->nhosts));
	json_put(p, "spare_hosts", json_integer((json_int_t)bt->spares));
	json_put(p, "cost_per_year", json_num(bt->plan_cost_per_year, 2));
	json_put(o, "plan", p);
	json_put(s, "judged", json_integer((json_int_t)bt->servers));
	json_put(s, "guests", json_integer((json_int_t)bt->guests));
	json_put(s, "unplaced", json_integer((json_int_t)bt->unplaced));
	json_put(s, "guest_slots", json_integer((json_int_t)bt->guest_slots));
	json_put(s, "guest_slots_missing", json_integer((json_int_t)
	    bt->guest_slots_missing));
	json_put(o, "servers", s);
	json_put(o, "totals", totals_json(bt));
	for (i = 0; i < bt->nhosts; i++)
		json_array_append_new(h, host_json(&bt->hosts[i]));
	json_put(o, "hosts", h);
	return o;
}

int
backtest_write_json(const struct backtest *bt, const char *path)
{
	json_t *o = backtest_json(bt);
	int rc = json_write_path(o, path);

	json_decref(o);
	return rc;
}

/* ------------------------------------------------------------ reader */

struct brd {
	const char *path;
	int failed;
};

static int
bad(struct brd *rd, const char *where, const char *what)
{
	if (!rd->failed)
		error_set(ERROR_DATA, "%s: %s: %s", rd->path, where, what);
	rd->failed = 1;
	return -1;
}

/* a count: a whole number >= 0; missing is 0 */
static size_t
get_count(struct brd *rd, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		bad(rd, where, "a count is not a whole number >= 0");
		return 0;
	}
	return (size_t)json_integer_value(v);
}

/* a number; missing or null is NaN */
static double
get_num(struct brd *rd, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NAN;
	if (!json_is_number(v)) {
		bad(rd, where, "a figure is not a number");
		return NAN;
	}
	return json_number_value(v);
}

static char *
get_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? xstrdup(s) : NULL;
}

static int64_t
get_time(struct brd *rd, json_t *o, const char *key, int64_t none)
{
	const char *s = json_string_value(json_object_get(o, key)), *why;
	int64_t ms;

	if (s == NULL)
		return none;
	if (time_parse_rfc3339(s, &ms, &why) == -1) {
		bad(rd, "window", why);
		return none;
	}
	return ms;
}

static void
read_res(struct brd *rd, json_t *o, struct backtest_res *r, size_t slots)
{
	r->judged = true;
	r->capacity = get_num(rd, o, "capacity", "hosts[].resources");
	r->limit = get_num(rd, o, "limit", "hosts[].resources");
	r->peak = get_num(rd, o, "peak", "hosts[].resources");
	r->over_limit = get_count(rd, o, "over_limit_slots",
	    "hosts[].resources");
	r->over_capacity = get_count(rd, o, "over_capacity_slots",
	    "hosts[].resources");
	r->predicted_pct = get_num(rd, o, "predicted_pct", "hosts[].resources");
	r->predicted_gauss_pct = get_num(rd, o, "predicted_gauss_pct",
	    "hosts[].resources");
	if (r->over_limit > slots || r->over_capacity > slots)
		bad(rd, "hosts[].resources", "more slots over than judged");
}

static void
read_host(struct brd *rd, json_t *o, struct backtest_host *h)
{
	json_t *res = json_object_get(o, "resources"), *v;
	int r;

	if (!json_is_object(o) || json_string_value(json_object_get(o,
	    "name")) == NULL) {
		bad(rd, "hosts[]", "not an object with a name");
		return;
	}
	h->name = get_str(o, "name");
	h->model = get_str(o, "model");
	h->nguests = get_count(rd, o, "guests", "hosts[]");
	h->slots = get_count(rd, o, "slots", "hosts[]");
	h->over_limit = get_count(rd, o, "over_limit_slots", "hosts[]");
	h->over_capacity = get_count(rd, o, "over_capacity_slots", "hosts[]");
	h->mem_over_committed = get_count(rd, o,
	    "mem_over_committed_guest_slots", "hosts[]");
	h->mem_over_committed_max_mib = get_num(rd, o,
	    "mem_over_committed_max_mib", "hosts[]");
	for (r = 0; r < RES_N; r++)
		if ((v = json_object_get(res, resource_table[r].name)) != NULL)
			read_res(rd, v, &h->res[r], h->slots);
}

static void
read_totals(struct brd *rd, json_t *t, struct backtest *bt)
{
	json_t *res = json_object_get(t, "resources"), *v;
	int r;

	bt->host_slots = get_count(rd, t, "host_slots", "totals");
	bt->over_limit = get_count(rd, t, "over_limit_slots", "totals");
	bt->over_capacity = get_count(rd, t, "over_capacity_slots", "totals");
	bt->mem_over_committed = get_count(rd, t,
	    "mem_over_committed_guest_slots", "totals");
	for (r = 0; r < RES_N; r++) {
		bt->res_peak_pct[r] = NAN;
		if ((v = json_object_get(res, resource_table[r].name)) == NULL)
			continue;
		bt->res_over_limit[r] = get_count(rd, v, "over_limit_slots",
		    "totals.resources");
		bt->res_over_capacity[r] = get_count(rd, v,
		    "over_capacity_slots", "totals.resources");
		bt->res_peak_pct[r] = get_num(rd, v, "peak_pct",
		    "totals.resources");
	}
	if (bt->over_limit > bt->host_slots || bt->over_capacity >
	    bt->host_slots)
		bad(rd, "totals", "more slots over than judged");
}

static int
read_header(struct brd *rd, json_t *root)
{
	const char *f = json_string_value(json_object_get(root, "format"));
	json_t *v = json_object_get(root, "version");

	if (!json_is_object(root) || f == NULL || strcmp(f,
	    BACKTEST_FORMAT) != 0)
		return bad(rd, "top level", "not a capplan-backtest file");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return bad(rd, "version", "missing or not a whole number");
	if (json_integer_value(v) > BACKTEST_VERSION) {
		rd->failed = 1;
		return error_set(ERROR_UNSUPPORTED, "%s: capplan-backtest "
		    "version %lld is not supported (this capplan reads up to "
		    "version %d)", rd->path, (long long)json_integer_value(v),
		    BACKTEST_VERSION);
	}
	return 0;
}

static void
read_body(struct brd *rd, json_t *root, struct backtest *bt)
{
	json_t *w = json_object_get(root, "window"), *p = json_object_get(root,
	    "plan"), *s = json_object_get(root, "servers"),
	    *h = json_object_get(root, "hosts"), *v;
	size_t i;

	bt->version = BACKTEST_VERSION;
	bt->from_ms = get_time(rd, w, "from", INT64_MIN);
	bt->split_ms = get_time(rd, w, "split", INT64_MIN);
	bt->until_ms = get_time(rd, w, "until", INT64_MAX);
	bt->slot_s = get_num(rd, w, "slot_s", "window");
	bt->resolution = get_str(p, "resolution");
	bt->sizing = get_str(p, "sizing");
	bt->target_pct = get_num(rd, p, "target_overload_pct", "plan");
	bt->oracle = json_is_true(json_object_get(p, "foresight"));
	bt->spares = get_count(rd, p, "spare_hosts", "plan");
	bt->plan_cost_per_year = get_num(rd, p, "cost_per_year", "plan");
	bt->servers = get_count(rd, s, "judged", "servers");
	bt->guests = get_count(rd, s, "guests", "servers");
	bt->unplaced = get_count(rd, s, "unplaced", "servers");
	bt->guest_slots = get_count(rd, s, "guest_slots", "servers");
	bt->guest_slots_missing = get_count(rd, s, "guest_slots_missing",
	    "servers");
	read_totals(rd, json_object_get(root, "totals"), bt);
	if (!json_is_array(h)) {
		bad(rd, "top level", "'hosts' is not an array");
		return;
	}
	bt->hosts = xcalloc(json_array_size(h) + 1, sizeof(*bt->hosts));
	json_array_foreach(h, i, v)
		read_host(rd, v, &bt->hosts[bt->nhosts++]);
}

int
backtest_read_json(struct backtest *bt, const char *path)
{
	struct brd rd = { path, 0 };
	json_error_t err;
	json_t *root;

	memset(bt, 0, sizeof(*bt));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		if (err.line < 0)
			return error_set(ERROR_IO, "cannot read '%s': %s", path,
			    err.text);
		return error_at(ERROR_DATA, path, (size_t)err.line,
		    (size_t)err.column, "%s", err.text);
	}
	if (read_header(&rd, root) == 0)
		read_body(&rd, root, bt);
	json_decref(root);
	if (rd.failed) {
		backtest_release(bt);
		return -1;
	}
	return 0;
}
