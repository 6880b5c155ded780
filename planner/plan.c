/*
 * plan.c - the plan in memory: construction, lookup, release.
 *
 * Hosts, guests and servers live in three growing arrays; guests name
 * their host by index and hosts list their guests by index, so a plan
 * copies and serialises without pointer fix-ups.  The JSON form is in
 * plan_json.c, placement.csv in plan_csv.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/num.h"
#include "common/xalloc.h"
#include "planner/plan.h"

const char *const plan_mem_source_names[MEM_SOURCE_N] = { "samples",
    "installed", "assumed" };

const char *const plan_storage_source_names[STORAGE_SOURCE_N] = {
    "allocated", "used", "assumed" };

const char *const plan_decision_names[DECISION_N] = {
	"virtualize", "keep", "retire",
};

static void
contention_init(struct plan_contention *c)
{
	c->cpu_ready_pct = NAN;
	c->cpu_ready_max_pct = NAN;
	c->overload_pct = NAN;
	c->overload_gauss_pct = NAN;
	c->mux_gain = NAN;
	c->mem_overcommit = NAN;
	c->swap_risk_pct = NAN;
	c->disk_util_pct = NAN;
	c->net_util_pct = NAN;
	c->disk_latency_factor = NAN;
}

struct plan *
plan_new(void)
{
	struct plan *p = xcalloc(1, sizeof(*p));
	int r;

	p->version = PLAN_VERSION;
	p->slot_s = NAN;
	p->percentile = NAN;
	p->vm_percentile = NAN;
	p->target_overload_pct = p->expected_overload_pct = NAN;
	p->violation_pct = 0;
	p->vcpu_per_pcpu = NAN;
	p->mem_overcommit = NAN;
	p->storage_headroom = p->storage_used_margin = NAN;
	p->cost_per_year = NAN;
	p->search_effort_dims = NAN;
	for (r = 0; r < RES_N; r++) {
		p->headroom[r] = NAN;
		p->bounds.l2[r] = NAN;
	}
	p->bounds.continuous = NAN;
	p->bounds.continuous_resource = -1;
	p->bounds.l2_max = NAN;
	p->bounds.clique = NAN;
	p->bounds.dff = NAN;
	p->bounds.zones = NAN;
	p->bounds.existing = p->bounds.beyond = NAN;
	p->bounds.other = NAN;
	p->bounds.lower = NAN;
	p->bounds.lp = NAN;
	p->bounds.optimum = NAN;
	p->bounds.gap_pct = NAN;
	p->balance.peak_before_pct = p->balance.peak_pct = NAN;
	p->balance.spread_before_pct = p->balance.spread_pct = NAN;
	return p;
}

static void
host_release(struct plan_host *h)
{
	int r;

	free(h->name);
	free(h->model);
	free(h->zone);
	free(h->domain);
	free(h->guests);
	for (r = 0; r < RES_N; r++)
		free(h->profile[r]);
}

static void
guest_release(struct plan_guest *g)
{
	int r;

	free(g->name);
	free(g->why);
	free(g->group);
	free(g->zone);
	free(g->growth);
	free(g->like);
	free(g->current_host);
	free(g->cpu_rating_source);
	for (r = 0; r < RES_N; r++)
		free(g->profile[r]);
}

void
plan_free(struct plan *p)
{
	size_t i;
	int r;

	if (p == NULL)
		return;
	for (i = 0; i < p->nhosts; i++)
		host_release(&p->hosts[i]);
	for (i = 0; i < p->nguests; i++) {
		for (r = 0; p->profile_block != NULL && r < RES_N; r++)
			p->guests[i].profile[r] = NULL;	/* in the block */
		guest_release(&p->guests[i]);
	}
	free(p->profile_block);
	for (i = 0; i < p->nservers; i++) {
		free(p->servers[i].name);
		free(p->servers[i].reason);
	}
	for (r = 0; r < RES_N; r++)
		free(p->bounds.load[r]);
	for (i = 0; i < p->ndomains; i++)
		free(p->domains[i]);
	free(p->domains);
	for (i = 0; i < p->ngrowth; i++)
		free(p->growth[i]);
	free(p->growth);
	free(p->failover_check);
	free(p->bounds.method);
	free(p->balance.objective);
	for (i = 0; i < p->migration.nwaves; i++) {
		free(p->migration.waves[i].install);
		free(p->migration.waves[i].guests);
		free(p->migration.waves[i].retire);
	}
	free(p->migration.waves);
	free(p->hosts);
	free(p->guests);
	free(p->servers);
	free(p->resolution);
	free(p->timezone);
	free(p->sizing);
	free(p->currency);
	free(p->storage_size);
	free(p->packer);
	free(p->search);
	free(p->exact);
	free(p);
}

struct plan_wave *
plan_add_wave(struct plan *p)
{
	struct plan_wave *w;

	p->migration.waves = xreallocarray(p->migration.waves,
	    p->migration.nwaves + 1, sizeof(*w));
	w = &p->migration.waves[p->migration.nwaves++];
	memset(w, 0, sizeof(*w));
	w->cost = NAN;
	return w;
}

struct plan_host *
plan_add_host(struct plan *p, const char *name, const char *model)
{
	struct plan_host *h;
	int r;

	p->hosts = xreallocarray(p->hosts, p->nhosts + 1, sizeof(*h));
	h = &p->hosts[p->nhosts++];
	memset(h, 0, sizeof(*h));
	h->name = xstrdup(name);
	h->model = xstrdup(model);
	h->sockets = h->cores = h->threads = NAN;
	for (r = 0; r < RES_N; r++) {
		h->capacity[r] = NAN;
		h->limit[r] = NAN;
		h->peak[r] = NAN;
		h->mean[r] = NAN;
	}
	h->storage_gib = h->storage_limit_gib = NAN;
	h->storage_committed_gib = NAN;
	h->power_w = NAN;
	h->cost_per_year = NAN;
	contention_init(&h->contention);
	return h;
}

struct plan_guest *
plan_add_guest(struct plan *p, const char *name)
{
	struct plan_guest *g;
	int r;

	p->guests = xreallocarray(p->guests, p->nguests + 1, sizeof(*g));
	g = &p->guests[p->nguests++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->vcpus = NAN;
	g->mem_mib = NAN;
	g->mem_peak_mib = NAN;
	g->storage_gib = NAN;
	g->cpu_rating = NAN;
	g->days = NAN;
	g->coverage = NAN;
	g->confidence = NAN;
	for (r = 0; r < RES_N; r++)
		g->peak[r] = NAN;
	return g;
}

struct plan_server *
plan_add_server(struct plan *p, const char *name, enum plan_decision d,
    const char *reason)
{
	struct plan_server *s;

	p->servers = xreallocarray(p->servers, p->nservers + 1, sizeof(*s));
	s = &p->servers[p->nservers++];
	s->name = xstrdup(name);
	s->decision = d;
	s->reason = xstrdup(reason != NULL ? reason : "");
	return s;
}

const struct plan_host *
plan_guest_host(const struct plan *p, const struct plan_guest *g)
{
	return g->host < p->nhosts ? &p->hosts[g->host] : NULL;
}

const struct plan_guest *
plan_find_guest(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nguests; i++)
		if (strcmp(p->guests[i].name, name) == 0)
			return &p->guests[i];
	return NULL;
}

size_t
plan_count(const struct plan *p, enum plan_decision d)
{
	size_t i, n = 0;

	if (d == DECISION_VIRTUALIZE)
		return p->nguests;
	for (i = 0; i < p->nservers; i++)
		if (p->servers[i].decision == d)
			n++;
	return n;
}

void
plan_slot_label(const struct plan *p, size_t slot, char *buf, size_t len)
{
	static const char *const day[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	    "Sat", "Sun" };
	char ts[TIME_RFC3339_LEN];

	if (p->resolution != NULL && strcmp(p->resolution, "series") == 0) {
		time_format_rfc3339(p->start_ms + (int64_t)((double)slot *
		    p->slot_s * 1000), ts);
		snprintf(buf, len, "%s", ts);
	} else if (p->nslots == SLOTS_WEEK) {
		snprintf(buf, len, "%s %02zu:00", day[(slot / 24) % 7],
		    slot % 24);
	} else if (p->nslots == SLOTS_HOUR) {
		snprintf(buf, len, "%02zu:00", slot % 24);
	} else {
		snprintf(buf, len, "peak");
	}
}

size_t
plan_count_existing(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nhosts; i++)
		n += p->hosts[i].existing;
	return n;
}

size_t
plan_count_added(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nguests; i++)
		n += p->guests[i].like != NULL;
	return n;
}

size_t
plan_count_moves(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nguests; i++)
		n += (p->guests[i].flags & PLAN_GUEST_MOVED) != 0;
	return n;
}
