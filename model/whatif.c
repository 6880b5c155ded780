/*
 * whatif.c - the contention report of servers on one host model.
 *
 * Each profile becomes a guest: its rightsized vCPUs and memory
 * (size_vcpus, size_mem_mib; the installed memory when it has no size),
 * and its slot profile per resource as demand (a resource it never
 * measured is left out and counted as unmeasured).  The host is the
 * catalog model.  contention_eval() does the arithmetic; this file checks
 * the result against the policy and writes it down as JSON.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/json.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "model/contention.h"
#include "model/whatif.h"

static int
pick_profiles(const struct profile_set *ps, char *const *names, size_t nnames,
    const struct profile ***out, size_t *n)
{
	const struct profile **p;
	size_t i, j;

	*n = nnames > 0 ? nnames : ps->nprofiles;
	p = xcalloc(*n + 1, sizeof(*p));
	for (i = 0; i < *n; i++) {
		p[i] = nnames > 0 ? profile_set_find(ps, names[i]) :
		    &ps->profiles[i];
		if (p[i] == NULL) {
			free(p);
			return error_set(ERROR_DATA, "no profile for server '%s'",
			    names[i]);
		}
		for (j = 0; j < i; j++)
			if (p[j] == p[i]) {
				free(p);
				return error_set(ERROR_DATA, "server '%s' is named "
				    "twice", names[i]);
			}
	}
	*out = p;
	return 0;
}

static int
guest_of(const struct profile *p, size_t nslots, struct contention_guest *g)
{
	int r;

	memset(g, 0, sizeof(*g));
	g->name = p->host;
	g->vcpus = p->size_vcpus;
	g->mem_mib = !isnan(p->size_mem_mib) ? p->size_mem_mib :
	    p->mem_total_mib;
	if (p->nslots != nslots)
		return error_set(ERROR_DATA, "server '%s' has %zu slots, the "
		    "others %zu: profile them with the same -s", p->host,
		    p->nslots, nslots);
	if (!(g->vcpus >= 1.0))
		return error_set(ERROR_DATA, "server '%s' has no vCPU size",
		    p->host);
	if (isnan(g->mem_mib))
		return error_set(ERROR_DATA, "server '%s' has no memory size "
		    "(memory not measured and not in the inventory)", p->host);
	for (r = 0; r < RES_N; r++)
		g->demand[r] = p->stat[r].n > 0 ? p->slot[r] : NULL;
	return 0;
}

static void
host_of(const struct host_model *m, struct contention_host *h)
{
	h->name = m->model;
	h->cpu_cu = m->cpu_rating;
	h->threads = m->threads;
	h->mem_mib = m->mem_mib;
	h->disk_iops = m->disk_iops;
	h->disk_kibps = m->disk_kibps;
	h->net_kibps = m->net_kibps;
}

static void
options_of(const struct policy *pol, struct contention_options *o)
{
	contention_options_init(o);
	o->headroom[RES_CPU] = pol->headroom_cpu;
	o->headroom[RES_MEM] = pol->headroom_mem;
	o->headroom[RES_DISK_IOPS] = pol->headroom_disk;
	o->headroom[RES_DISK_KIBPS] = pol->headroom_disk;
	o->headroom[RES_NET_KIBPS] = pol->headroom_net;
	o->percentile = pol->percentile;
	o->queue = (enum contention_queue)pol->cpu_queue;
	o->mem_dedupe = pol->mem_dedupe;
	o->share_overhead = pol->cpu_share_overhead_pct / 100.0;
	o->cpu_overhead = pol->cpu_vm_overhead_pct / 100.0;
}

/* ------------------------------------------------------------ the JSON */

static json_t *
num_array(const double *v, size_t n, int decimals)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_num(v[i], decimals));
	return a;
}

/* decimals of a resource's figures */
static int
res_dec(int r)
{
	return r == RES_CPU ? 6 : 3;
}

static json_t *
json_host(const struct host_model *m)
{
	json_t *o = json_object();

	json_put(o, "model", json_str(m->model));
	json_put(o, "cpu_cu", json_num(m->cpu_rating, 6));
	json_put(o, "threads", json_num(m->threads, 0));
	json_put(o, "mem_mib", json_num(m->mem_mib, 0));
	json_put(o, "disk_iops", json_num(m->disk_iops, 3));
	json_put(o, "disk_kibps", json_num(m->disk_kibps, 3));
	json_put(o, "net_kibps", json_num(m->net_kibps, 3));
	return o;
}

static json_t *
json_guests(const struct contention_guest *g, size_t n, size_t nslots)
{
	json_t *a = json_array(), *o, *pk;
	double peak;
	size_t i, t;
	int r;

	for (i = 0; i < n; i++) {
		o = json_object();
		pk = json_object();
		json_put(o, "server", json_str(g[i].name));
		json_put(o, "vcpus", json_num(g[i].vcpus, 0));
		json_put(o, "mem_mib", json_num(g[i].mem_mib, 0));
		for (r = 0; r < RES_N; r++) {
			peak = NAN;
			for (t = 0; g[i].demand[r] != NULL && t < nslots; t++)
				if (!(g[i].demand[r][t] <= peak))
					peak = g[i].demand[r][t];
			json_put(pk, resource_table[r].name,
			    json_num(peak, res_dec(r)));
		}
		json_put(o, "peak", pk);
		json_array_append_new(a, o);
	}
	return a;
}

/* a resource no guest measured: its figures are unknown, not zero */
static json_t *
json_unmeasured(const struct contention *c, int r, double headroom)
{
	static const char *keys[] = { "peak", "mean", "sd", "sum_of_peaks",
	    "mux_gain", "gauss_demand", "over_limit_slots_pct",
	    "over_limit_gauss_pct", "util_mean_pct", "util_peak_pct",
	    "latency_mean", "latency_peak" };
	const struct contention_res *s = &c->res[r];
	json_t *o = json_object(), *a = json_array();
	size_t i;

	json_put(o, "name", json_str(resource_table[r].name));
	json_put(o, "unit", json_str(resource_table[r].unit));
	json_put(o, "constrained", json_boolean(s->constrained));
	json_put(o, "capacity", json_num(s->capacity, res_dec(r)));
	json_put(o, "headroom", json_num(headroom, 4));
	json_put(o, "limit", json_num(s->limit, res_dec(r)));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_put(o, keys[i], json_null());
	json_put(o, "unmeasured", json_integer((json_int_t)s->unmeasured));
	for (i = 0; i < c->nslots; i++)
		json_array_append_new(a, json_null());
	json_put(o, "aggregate", a);
	return o;
}

static json_t *
json_resource(const struct contention *c, int r, double headroom)
{
	const struct contention_res *s = &c->res[r];
	json_t *o;
	int d = res_dec(r);

	if (c->nguests > 0 && s->unmeasured == c->nguests && r != RES_MEM)
		return json_unmeasured(c, r, headroom);
	o = json_object();

	json_put(o, "name", json_str(resource_table[r].name));
	json_put(o, "unit", json_str(resource_table[r].unit));
	json_put(o, "constrained", json_boolean(s->constrained));
	json_put(o, "capacity", json_num(s->capacity, d));
	json_put(o, "headroom", json_num(headroom, 4));
	json_put(o, "limit", json_num(s->limit, d));
	json_put(o, "peak", json_num(s->peak, d));
	json_put(o, "mean", json_num(s->mean, d));
	json_put(o, "sd", json_num(s->sd, d));
	json_put(o, "sum_of_peaks", json_num(s->sum_peaks, d));
	json_put(o, "mux_gain", json_num(s->gain, 4));
	json_put(o, "gauss_demand", json_num(s->gauss_demand, d));
	json_put(o, "over_limit_slots_pct", json_num(100 * s->p_over_emp, 4));
	json_put(o, "over_limit_gauss_pct", json_num(100 * s->p_over_gauss,
	    4));
	json_put(o, "util_mean_pct", json_num(100 * s->util_mean, 4));
	json_put(o, "util_peak_pct", json_num(100 * s->util_peak, 4));
	json_put(o, "latency_mean", json_num(s->latency_mean, 4));
	json_put(o, "latency_peak", json_num(s->latency_peak, 4));
	json_put(o, "unmeasured", json_integer((json_int_t)s->unmeasured));
	json_put(o, "aggregate", num_array(c->agg[r], c->nslots, d));
	return o;
}

static json_t *
json_cpu(const struct contention *c, const struct host_model *m,
    const struct policy *pol)
{
	json_t *o = json_object();

	json_put(o, "queue", json_str(contention_queue_names[pol->cpu_queue]));
	json_put(o, "vcpus", json_num(c->vcpus, 0));
	json_put(o, "threads", json_num(m->threads, 0));
	json_put(o, "vcpu_per_thread", json_num(c->vcpu_per_thread, 4));
	json_put(o, "ready_pct", json_num(c->ready_pct, 4));
	json_put(o, "ready_max_pct", json_num(c->ready_pct_max, 4));
	json_put(o, "ready_slots", num_array(c->ready_slot, c->nslots, 4));
	return o;
}

static json_t *
json_memory(const struct contention *c, const struct host_model *m,
    const struct policy *pol)
{
	json_t *o = json_object();

	json_put(o, "committed_mib", json_num(c->mem_committed_mib, 0));
	json_put(o, "physical_mib", json_num(m->mem_mib, 0));
	json_put(o, "overcommit", json_num(c->mem_overcommit, 4));
	json_put(o, "dedupe", json_num(pol->mem_dedupe, 4));
	json_put(o, "active_mib", json_num(c->mem_active_mib, 3));
	json_put(o, "active_peak_mib", json_num(c->mem_active_peak_mib, 3));
	json_put(o, "swap_risk_slots_pct", json_num(100 * c->p_swap_emp, 4));
	json_put(o, "swap_risk_gauss_pct", json_num(100 * c->p_swap_gauss, 4));
	return o;
}

/* ----------------------------------------------------- the policy check */

static void
violation(json_t *a, const char *what, double value, double limit,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
violation(json_t *a, const char *what, double value, double limit,
    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *o = json_object();
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	json_put(o, "what", json_str(what));
	json_put(o, "value", json_num(value, 4));
	json_put(o, "limit", json_num(limit, 4));
	json_put(o, "message", json_str(sb.buf));
	json_array_append_new(a, o);
	strbuf_release(&sb);
}

/* Resource r in more slots over its limit than violation_pct allows. */
static void
check_resource(json_t *a, const struct contention *c, int r,
    const struct policy *pol)
{
	const struct contention_res *s = &c->res[r];

	if (!s->constrained || !(100 * s->p_over_emp > pol->violation_pct))
		return;
	violation(a, resource_table[r].name, 100 * s->p_over_emp,
	    pol->violation_pct, "%s is over its limit of %.6g %s (capacity "
	    "less headroom) in %.1f %% of the slots, peak %.6g; "
	    "violation_pct allows %.1f %%", resource_table[r].name, s->limit,
	    resource_table[r].unit, 100 * s->p_over_emp, s->peak,
	    pol->violation_pct);
}

static json_t *
check_policy(const struct contention *c, const struct host_model *m,
    const struct policy *pol)
{
	json_t *a = json_array();
	int r;

	for (r = 0; r < RES_N; r++)
		check_resource(a, c, r, pol);
	if (c->vcpu_per_thread > pol->vcpu_per_pcpu)
		violation(a, "vcpu_per_pcpu", c->vcpu_per_thread,
		    pol->vcpu_per_pcpu, "%g vCPUs on %g threads is %.2f per "
		    "thread; vcpu_per_pcpu allows %g", c->vcpus, m->threads,
		    c->vcpu_per_thread, pol->vcpu_per_pcpu);
	if (c->mem_overcommit > pol->mem_overcommit)
		violation(a, "mem_overcommit", c->mem_overcommit,
		    pol->mem_overcommit, "%.0f MiB committed on %.0f MiB is an "
		    "overcommit of %.2f; [overcommit] mem allows %.2f",
		    c->mem_committed_mib, m->mem_mib, c->mem_overcommit,
		    pol->mem_overcommit);
	if (c->ready_pct > pol->ready_pct)
		violation(a, "ready_pct", c->ready_pct, pol->ready_pct,
		    "CPU ready %.2f %% per vCPU expected (worst slot %.2f %%); "
		    "ready_pct allows %.2f %%", c->ready_pct, c->ready_pct_max,
		    pol->ready_pct);
	if (pol->max_guests > 0 && c->nguests > (size_t)pol->max_guests)
		violation(a, "max_guests", (double)c->nguests,
		    (double)pol->max_guests, "%zu guests; max_guests allows %ld",
		    c->nguests, pol->max_guests);
	return a;
}

/* the active memory a guest was seen to use at most: its profile's
 * peak, or its highest slot; NaN when memory was not measured */
static double
active_peak(const struct profile *p, const struct contention_guest *g,
    size_t nslots)
{
	double peak = p->stat[RES_MEM].n > 0 ? p->stat[RES_MEM].max : NAN;
	size_t t;

	for (t = 0; g->demand[RES_MEM] != NULL && t < nslots; t++)
		if (!(g->demand[RES_MEM][t] <= peak))
			peak = g->demand[RES_MEM][t];
	return peak;
}

/*
 * Guests whose active memory was seen above the memory they are given:
 * they swap inside, whatever the host has free.  Listed under memory
 * and each a violation.
 */
static void
check_guest_memory(json_t *mem, json_t *viol, const struct profile **p,
    const struct contention_guest *g, size_t n, size_t nslots)
{
	json_t *a = json_array(), *o;
	double peak;
	size_t i;

	for (i = 0; i < n; i++) {
		peak = active_peak(p[i], &g[i], nslots);
		if (!(peak > g[i].mem_mib))
			continue;
		o = json_object();
		json_put(o, "server", json_str(g[i].name));
		json_put(o, "active_peak_mib", json_num(peak, 1));
		json_put(o, "mem_mib", json_num(g[i].mem_mib, 0));
		json_array_append_new(a, o);
		violation(viol, "guest_memory", peak, g[i].mem_mib, "swap risk: "
		    "server '%s' was seen using %.0f MiB of memory but is given "
		    "%.0f MiB", g[i].name, peak, g[i].mem_mib);
	}
	json_put(mem, "swap_risk_guests", a);
}

/* ------------------------------------------------ the plan's rules */

/* is server name among the n guests? */
static bool
guest_named(const struct contention_guest *g, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(g[i].name, name) == 0)
			return true;
	return false;
}

/* members of group gr that are (in true) or are not (in false) guests:
 * "a, b, c" into sb; returns how many */
static size_t
members(const struct server_group *gr, const struct contention_guest *g,
    size_t n, bool in, struct strbuf *sb)
{
	size_t j, k = 0;

	for (j = 0; j < gr->servers.nitems; j++)
		if (guest_named(g, n, gr->servers.items[j]) == in)
			strbuf_addf(sb, "%s%s", k++ > 0 ? ", " : "",
			    gr->servers.items[j]);
	return k;
}

/* an affinity or anti-affinity group broken by putting the guests on one
 * host */
static void
check_group(json_t *viol, const struct server_group *gr,
    const struct contention_guest *g, size_t n)
{
	struct strbuf on = STRBUF_INIT, off = STRBUF_INIT;
	size_t non = members(gr, g, n, true, &on),
	    noff = members(gr, g, n, false, &off);

	if (gr->kind == GROUP_ANTI_AFFINITY && non >= 2)
		violation(viol, "anti_affinity", (double)non, 1, "anti-affinity "
		    "group '%s' (capplan.conf line %zu) wants %s on different "
		    "hosts", gr->name, gr->line, on.buf);
	else if (gr->kind == GROUP_AFFINITY && non > 0 && noff > 0)
		violation(viol, "affinity", (double)non,
		    (double)gr->servers.nitems, "affinity group '%s' "
		    "(capplan.conf line %zu) keeps %s with %s, which %s not on "
		    "this host", gr->name, gr->line, on.buf, off.buf, noff == 1 ?
		    "is" : "are");
	strbuf_release(&on);
	strbuf_release(&off);
}

/* pins: guests pinned to two hosts, or to a host of another model */
static void
check_pins(json_t *viol, const struct policy *pol,
    const struct contention_guest *g, size_t n, const struct host_model *m)
{
	const struct server_group *first = NULL, *gr;
	struct strbuf on = STRBUF_INIT, first_on = STRBUF_INIT;
	size_t i;

	for (i = 0; i < pol->ngroups; i++) {
		gr = &pol->groups[i];
		strbuf_reset(&on);
		if (gr->kind != GROUP_PIN || members(gr, g, n, true, &on) == 0)
			continue;
		if (gr->model != NULL && strcmp(gr->model, m->model) != 0)
			violation(viol, "pin", 0, 0, "pin '%s' (capplan.conf "
			    "line %zu) puts %s on a '%s' host, not a '%s'",
			    gr->name, gr->line, on.buf, gr->model, m->model);
		if (first != NULL)
			violation(viol, "pin", 0, 0, "pins '%s' and '%s' put "
			    "their servers on two hosts: %s cannot share one "
			    "with %s", first->name, gr->name, on.buf,
			    first_on.buf);
		else {
			first = gr;
			strbuf_addstr(&first_on, on.buf);
		}
	}
	strbuf_release(&on);
	strbuf_release(&first_on);
}

/* servers the plan keeps physical: [candidates] exclude and keep_tags */
static void
check_keep(json_t *viol, const struct policy *pol,
    const struct contention_guest *g, size_t n, const struct inventory *inv)
{
	const struct server_inv *s;
	size_t i, t;

	for (i = 0; i < n; i++) {
		if (conf_list_has(&pol->exclude, g[i].name)) {
			violation(viol, "keep_physical", 0, 0, "server '%s' is "
			    "kept physical by [candidates] exclude", g[i].name);
			continue;
		}
		s = inv != NULL ? inventory_find(inv, g[i].name) : NULL;
		for (t = 0; s != NULL && t < pol->keep_tags.nitems; t++)
			if (server_has_tag(s, pol->keep_tags.items[t])) {
				violation(viol, "keep_physical", 0, 0, "server "
				    "'%s' carries tag '%s', which keeps it "
				    "physical ([candidates] keep_tags)",
				    g[i].name, pol->keep_tags.items[t]);
				break;
			}
	}
}

/* one guest's trust zone, as capplan plan finds it */
struct gzone {
	const char *name;	/* NULL: none */
	char from[96];
	json_t *viol;
	const char *guest;
};

static void
on_zone(void *ctx, const char *zone, const char *from)
{
	struct gzone *z = ctx;

	if (z->name == NULL) {
		z->name = zone;
		snprintf(z->from, sizeof(z->from), "%s", from);
	} else if (strcmp(z->name, zone) != 0) {
		violation(z->viol, "zone", 0, 0, "server '%s' is in zone '%s' "
		    "(%s) and in zone '%s' (%s)", z->guest, z->name, z->from,
		    zone, from);
	}
}

/* the zone of guest g: the inventory's, then [zone NAME] servers */
static void
guest_zone(struct gzone *z, const struct policy *pol, const char *guest,
    const struct inventory *inv)
{
	const struct server_inv *s = inv != NULL ? inventory_find(inv, guest) :
	    NULL;
	char from[96];
	size_t k;

	z->name = NULL;
	z->guest = guest;
	if (s != NULL)
		policy_inv_zones(pol, s, on_zone, z);
	for (k = 0; k < pol->nzones; k++)
		if (conf_list_has(&pol->zones[k].servers, guest)) {
			snprintf(from, sizeof(from), "[zone %s], line %zu",
			    pol->zones[k].name, pol->zones[k].line);
			on_zone(z, pol->zones[k].name, from);
		}
}

/* trust zones: the guests of one host all in one zone (or all in none);
 * the host's zone goes into the report */
static void
check_zones(json_t *root, json_t *viol, const struct policy *pol,
    const struct contention_guest *g, size_t n, const struct inventory *inv)
{
	struct gzone first = { NULL, "", viol, NULL }, z = first;
	size_t i;

	for (i = 0; i < n; i++) {
		guest_zone(i == 0 ? &first : &z, pol, g[i].name, inv);
		if (i == 0 || (z.name == NULL && first.name == NULL) ||
		    (z.name != NULL && first.name != NULL &&
		    strcmp(z.name, first.name) == 0))
			continue;
		violation(viol, "zone", 0, 0, "servers '%s' (%s%s%s) and '%s' "
		    "(%s%s%s) may not share a host: a host holds one trust zone",
		    g[0].name, first.name != NULL ? "zone '" : "no zone",
		    first.name != NULL ? first.name : "", first.name != NULL ?
		    "'" : "", g[i].name, z.name != NULL ? "zone '" : "no zone",
		    z.name != NULL ? z.name : "", z.name != NULL ? "'" : "");
	}
	json_put(root, "zone", json_str(first.name));
}

/*
 * Storage, as capplan plan counts it when the model has storage_gib: each
 * guest's disk by [storage] size (policy_storage_gib()), [storage]
 * assumed_gib for one with no figure, within the usable storage less
 * [headroom] storage.  The guests sized by the other figure than [storage]
 * size asks for, or by assumed_gib, are named.  A guest with no figure
 * and no assumed size is a violation (the answer cannot be known), unless
 * none has one: capplan plan plans no storage then, and neither does
 * this ("checked" false).  "storage" is null when the model has no
 * storage figure.
 */
static void
check_storage(json_t *root, json_t *viol, const struct policy *pol,
    const struct contention_guest *g, size_t n, const struct host_model *m,
    const struct inventory *inv)
{
	json_t *o, *other, *assumed, *unknown;
	double usable, sum = 0, gib;
	size_t i;
	bool used;

	if (!isfinite(m->storage_gib)) {
		json_put(root, "storage", json_null());
		return;
	}
	o = json_object();
	other = json_array();
	assumed = json_array();
	unknown = json_array();
	usable = m->storage_gib * (1 - pol->headroom_storage);
	for (i = 0; i < n; i++) {
		gib = policy_storage_gib(pol, inv != NULL ?
		    inventory_find(inv, g[i].name) : NULL, &used);
		if (isnan(gib) && pol->storage_assumed_gib > 0) {
			gib = pol->storage_assumed_gib;
			json_array_append_new(assumed, json_str(g[i].name));
		} else if (isnan(gib)) {
			json_array_append_new(unknown, json_str(g[i].name));
			continue;
		} else if (used != (pol->storage_size == STORAGE_USED))
			json_array_append_new(other, json_str(g[i].name));
		sum += gib;
	}
	json_put(o, "usable_gib", json_num(usable, 1));
	json_put(o, "committed_gib", json_array_size(unknown) > 0 ?
	    json_null() : json_num(sum, 1));
	json_put(o, "size", json_str(storage_size_names[pol->storage_size]));
	json_put(o, "other_size", other);
	json_put(o, "assumed", assumed);
	json_put(o, "unknown", unknown);
	json_put(root, "storage", o);
	json_put(o, "checked", json_boolean(json_array_size(unknown) < n));
	if (json_array_size(unknown) == n)
		;	/* no figure at all: capplan plan plans no storage */
	else if (json_array_size(unknown) > 0)
		violation(viol, "storage", 0, 0, "the disk size of %zu server%s "
		    "is not known (no disk_gib or disk_used_gib in the inventory,"
		    " -i, and no [storage] assumed_gib)", json_array_size(
		    unknown), json_array_size(unknown) == 1 ? "" : "s");
	else if (sum > usable * (1 + 1e-9))
		violation(viol, "storage", sum, usable, "storage %.1f GiB of "
		    "%.1f usable ([headroom] storage kept free)", sum, usable);
}

/* every rule of the policy capplan plan enforces, as violations */
static void
check_rules(json_t *root, json_t *viol, const struct policy *pol,
    const struct contention_guest *g, size_t n, const struct host_model *m,
    const struct inventory *inv)
{
	size_t i;

	check_keep(viol, pol, g, n, inv);
	for (i = 0; i < pol->ngroups; i++)
		check_group(viol, &pol->groups[i], g, n);
	check_pins(viol, pol, g, n, m);
	check_zones(root, viol, pol, g, n, inv);
	check_storage(root, viol, pol, g, n, m, inv);
}

static json_t *
json_report(const struct contention *c, const struct contention_guest *g,
    const struct profile **p, const struct host_model *m,
    const struct policy *pol, const struct inventory *inv,
    const struct contention_options *o)
{
	json_t *root = json_object(), *res = json_array(), *v, *mem;
	int r;

	json_put(root, "host", json_host(m));
	json_put(root, "percentile", json_num(pol->percentile, 3));
	json_put(root, "nslots", json_integer((json_int_t)c->nslots));
	json_put(root, "slot_kind", json_str(c->nslots == SLOTS_WEEK ? "week" :
	    c->nslots == SLOTS_HOUR ? "hour" : "series"));
	json_put(root, "guests", json_guests(g, c->nguests, c->nslots));
	for (r = 0; r < RES_N; r++)
		json_array_append_new(res, json_resource(c, r, o->headroom[r]));
	json_put(root, "resources", res);
	json_put(root, "cpu", json_cpu(c, m, pol));
	mem = json_memory(c, m, pol);
	json_put(root, "memory", mem);
	v = check_policy(c, m, pol);
	check_guest_memory(mem, v, p, g, c->nguests, c->nslots);
	check_rules(root, v, pol, g, c->nguests, m, inv);
	json_put(root, "fits", json_boolean(json_array_size(v) == 0));
	json_put(root, "violations", v);
	return root;
}

json_t *
whatif_report(const struct host_model *m, const struct profile_set *ps,
    char *const *names, size_t nnames, const struct policy *pol,
    const struct inventory *inv, bool *over)
{
	const struct profile **p = NULL;
	struct contention_guest *g = NULL;
	struct contention_options o;
	struct contention_host h;
	struct contention c = { 0 };
	json_t *root = NULL;
	size_t n = 0, i, nslots;

	if (pick_profiles(ps, names, nnames, &p, &n) == -1)
		return NULL;
	nslots = n > 0 ? p[0]->nslots : SLOTS_HOUR;
	g = xcalloc(n + 1, sizeof(*g));
	for (i = 0; i < n; i++)
		if (guest_of(p[i], nslots, &g[i]) == -1)
			goto out;
	host_of(m, &h);
	options_of(pol, &o);
	if (contention_eval(&h, g, n, nslots, &o, &c) == -1)
		goto out;
	root = json_report(&c, g, p, m, pol, inv, &o);
	*over = !json_is_true(json_object_get(root, "fits"));
out:
	contention_release(&c);
	free(g);
	free(p);
	return root;
}
