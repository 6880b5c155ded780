/*
 * explain.c - the plan written from a packed build.
 *
 * Hosts keep the packing's order; pinned hosts carry their pin's name,
 * the others are host-001, host-002, ..., and an N+1 spare comes last as
 * spare-1.  Guests and servers are sorted by name (strcmp), so the plan
 * does not depend on the order of the input files.  Each host gets its
 * predicted demand per slot (the sum of its guests'), its peak and mean,
 * the contention model/contention.h predicts for it, its mean power over
 * the slots on its 11-point curve and its yearly cost (model/cost.h).
 * Each guest gets one line saying why it is where it is: its pin or
 * groups, the host's tightest resource and when, and when the guest
 * itself peaks, so a reader sees whether it was placed beside guests that
 * peak at other times.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "model/contention.h"
#include "planner/build.h"

static const int res_decimals[RES_N] = { 2, 0, 1, 1, 1 };

/* the sizing actually used: the profiles' percentile, or none (series) */
static void
sizing(struct plan *p, const struct build *b)
{
	double q = b->in->ps->percentile;
	char buf[160];

	p->vm_percentile = q > 0 ? q : NAN;
	p->percentile = b->d.resolution == RESOLUTION_SERIES ? NAN :
	    p->vm_percentile;
	switch (b->d.resolution) {
	case RESOLUTION_SERIES:
		snprintf(buf, sizeof(buf), "the samples: the largest of each "
		    "guest's samples in each %g s slot", b->d.slot_s);
		break;
	case RESOLUTION_PEAK:
		snprintf(buf, sizeof(buf), "p%g of each guest's samples over "
		    "the whole window, one slot", q);
		break;
	default:
		snprintf(buf, sizeof(buf), "p%g of each guest's samples in "
		    "each hour of the %s", q, b->d.resolution ==
		    RESOLUTION_WEEK ? "week" : "day");
	}
	p->sizing = xstrdup(buf);
}

/* "[growth]" or "[growth NAME]" */
static char *
growth_label(const struct growth_rule *g)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	strbuf_addf(&sb, "[growth%s%s]", g->name[0] != '\0' ? " " : "",
	    g->name);
	return strbuf_detach(&sb);
}

/* "[growth web]: cpu +30 %, storage +50 % over 12 months, in place of
 * the fitted trend: 4 guests" */
static char *
growth_line(const struct build *b, size_t r, size_t nguests)
{
	const struct growth_rule *g = &b->in->pol->growth[r];
	const char *names[GROWTH_N] = { "cpu", "mem", "disk", "net",
	    "storage" };
	struct strbuf sb = STRBUF_INIT;
	char *label = growth_label(g);
	size_t n = 0;
	int k;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s:", label);
	free(label);
	for (k = 0; k < GROWTH_N; k++)
		if (!isnan(g->pct[k]))
			strbuf_addf(&sb, "%s %s %+g %%", n++ > 0 ? "," : "",
			    names[k], g->pct[k]);
	strbuf_addf(&sb, " over %ld months, in place of the fitted trend: "
	    "%zu guest%s", b->in->pol->horizon_months, nguests,
	    nguests == 1 ? "" : "s");
	return strbuf_detach(&sb);
}

/* the growth sections, with the guests each one took */
static void
growth_lines(struct plan *p, const struct build *b)
{
	size_t nr = b->in->pol->ngrowth, *count, s, r;

	if (nr == 0 || b->d.grow_rule == NULL)
		return;
	count = xcalloc(nr + 1, sizeof(size_t));
	for (s = 0; s < b->d.nservers; s++)
		if (b->item_of[s] != PACK_NONE && b->d.grow_rule[s] < nr)
			count[b->d.grow_rule[s]]++;
	p->growth = xcalloc(nr + 1, sizeof(char *));
	for (r = 0; r < nr; r++)
		p->growth[p->ngrowth++] = growth_line(b, r, count[r]);
	free(count);
}

static void
settings(struct plan *p, const struct build *b)
{
	const struct policy *pol = b->in->pol;
	int r;

	p->resolution = xstrdup(resolution_names[b->d.resolution]);
	p->timezone = xstrdup(tz_name());
	p->nslots = b->d.nslots;
	p->slot_s = b->d.slot_s;
	p->start_ms = b->d.start_ms;
	sizing(p, b);
	p->violation_pct = pol->violation_pct;
	p->headroom[RES_CPU] = pol->headroom_cpu;
	p->headroom[RES_MEM] = pol->headroom_mem;
	p->headroom[RES_DISK_IOPS] = pol->headroom_disk;
	p->headroom[RES_DISK_KIBPS] = pol->headroom_disk;
	p->headroom[RES_NET_KIBPS] = pol->headroom_net;
	for (r = 0; r < RES_N; r++)
		p->planned[r] = b->planned[r];
	p->vcpu_per_pcpu = pol->vcpu_per_pcpu;
	p->mem_overcommit = pol->mem_overcommit;
	if (b->d.storage) {
		p->storage_size = xstrdup(storage_size_names[pol->storage_size]);
		p->storage_headroom = pol->headroom_storage;
		p->storage_used_margin = pol->storage_used_margin;
	}
	p->max_guests = pol->max_guests;
	p->host_failures = pol->host_failures;
	p->domain_failures = pol->domain_failures;
	if (b->ndomains > 0) {
		p->domains = xcalloc(b->ndomains + 1, sizeof(char *));
		for (p->ndomains = 0; p->ndomains < b->ndomains; p->ndomains++)
			p->domains[p->ndomains] = xstrdup(
			    b->domain_name[p->ndomains]);
	}
	if (b->failover_check != NULL)
		p->failover_check = xstrdup(b->failover_check);
	growth_lines(p, b);
	p->balance.objective = xstrdup(balance_names[pol->balance]);
	p->balance.moves = b->balance_moves;
	if (b->nitems > 0) {
		p->balance.peak_before_pct = b->peak_before;
		p->balance.peak_pct = b->peak_after;
		p->balance.spread_before_pct = b->spread_before;
		p->balance.spread_pct = b->spread_after;
	}
	p->currency = xstrdup(pol->currency);
	p->packer = xstrdup(b->sol.packer != NULL ? b->sol.packer :
	    b->nitems == 0 ? "none" : "?");
	p->search = xstrdup(pack_search_end_names[b->end]);
	p->search_effort_dims = (double)pack_effort(b->in->effort);
	p->exact = b->in->exact && b->exact != NULL ? xstrdup(b->exact) : NULL;
	p->peak_hosts = b->peak_hosts;
	p->spare_hosts = b->nspare;
}

static void
add_hosts(struct plan *p, const struct build *b)
{
	const struct host_model *hm;
	struct plan_host *h;
	size_t bn, m;
	char name[256];
	uint32_t z;
	int r;

	for (bn = 0; bn < b->sol.nbins + b->nspare; bn++) {
		m = bn < b->sol.nbins ? b->bin_model[bn] :
		    b->spare_model[bn - b->sol.nbins];
		z = bn < b->sol.nbins ? zones_of_bin(b, bn) :
		    b->spare_zone[bn - b->sol.nbins];
		hm = &b->in->hc->models[m];
		bin_name(b, bn, name, sizeof(name));
		h = plan_add_host(p, name, hm->model);
		h->spare = bn >= b->sol.nbins;
		h->existing = bin_is_existing(b, bn);
		if (z > 0)
			h->zone = xstrdup(b->zone_name[z]);
		if (b->ndomains > 0)
			h->domain = xstrdup(b->domain_name[bn < b->sol.nbins ?
			    b->sol.bin_domain[bn] : b->spare_domain[bn -
			    b->sol.nbins]]);
		h->sockets = hm->sockets;
		h->cores = hm->cores;
		h->threads = hm->threads;
		for (r = 0; r < RES_N; r++) {
			h->capacity[r] = r == RES_CPU ? hm->cpu_rating :
			    r == RES_MEM ? hm->mem_mib : r == RES_DISK_IOPS ?
			    hm->disk_iops : r == RES_DISK_KIBPS ?
			    hm->disk_kibps : hm->net_kibps;
			h->limit[r] = b->planned[r] ? b->cap[m * b->ndims +
			    b->res_off[r]] : NAN;
			if (b->planned[r])
				h->profile[r] = xcalloc(b->d.nslots + 1,
				    sizeof(double));
		}
		h->vcpus = 0;
		h->mem_committed_mib = 0;
		if (b->d.storage) {
			h->storage_gib = hm->storage_gib;
			h->storage_limit_gib = isfinite(hm->storage_gib) ?
			    b->cap[m * b->ndims + b->dim_storage] : NAN;
			h->storage_committed_gib = 0;
		}
	}
}

struct named {
	const char *name;
	size_t i;
};

static int
named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name,
	    ((const struct named *)b)->name);
}

/* the servers' indexes in name order (names are unique) */
static size_t *
by_name(const struct profile_set *ps)
{
	struct named *v = xcalloc(ps->nprofiles + 1, sizeof(*v));
	size_t *a = xcalloc(ps->nprofiles + 1, sizeof(size_t)), i;

	for (i = 0; i < ps->nprofiles; i++)
		v[i] = (struct named){ ps->profiles[i].host, i };
	array_sort(v, ps->nprofiles, sizeof(*v), named_cmp);
	for (i = 0; i < ps->nprofiles; i++)
		a[i] = v[i].i;
	free(v);
	return a;
}

static void
add_guest(struct plan *p, const struct build *b, size_t s, size_t it)
{
	const struct profile *pr = &b->in->ps->profiles[s];
	struct plan_guest *g = plan_add_guest(p, pr->host);
	struct plan_host *h = &p->hosts[b->sol.bin_of[it]];
	size_t k;
	int r;

	g->host = b->sol.bin_of[it];
	/* the candidates' note, if any, until why() writes the line */
	if (b->cand.reason[s] != NULL)
		g->why = xstrdup(b->cand.reason[s]);
	g->vcpus = b->d.vcpus[s];
	g->mem_mib = b->d.mem_mib[s];
	g->mem_peak_mib = pr->stat[RES_MEM].n > 0 ? pr->stat[RES_MEM].max :
	    NAN;
	if (g->mem_peak_mib > g->mem_mib)
		g->flags |= PLAN_GUEST_SWAP;
	g->mem_source = (enum plan_mem_source)b->d.mem_source[s];
	if (b->d.storage) {
		g->storage_gib = b->d.storage_gib[s];
		g->storage_source = (enum plan_storage_source)
		    b->d.storage_source[s];
	}
	g->cpu_rating_source = xstrdup(rating_source_names[pr->rating_source]);
	g->cpu_rating = pr->cpu_rating;
	g->days = pr->days;
	g->coverage = pr->coverage;
	g->confidence = pr->confidence;
	if (pr->confidence < 0.5)
		g->flags |= PLAN_GUEST_LOW_CONF;
	if (b->pin[it] != PACK_NONE && b->pin[it] < b->npins) {
		g->flags |= PLAN_GUEST_PINNED;
		g->group = xstrdup(b->pins[b->pin[it]]->name);
	} else if (b->item_group[it] != NULL) {
		g->flags |= PLAN_GUEST_AFFINITY;
		g->group = xstrdup(b->item_group[it]);
	}
	if (b->group_off[it + 1] > b->group_off[it])
		g->flags |= PLAN_GUEST_ANTI;
	if (b->zone != NULL && b->zone[it] > 0)
		g->zone = xstrdup(b->zone_name[b->zone[it]]);
	if (b->d.grow_rule != NULL && b->d.grow_rule[s] <
	    b->in->pol->ngrowth)
		g->growth = growth_label(&b->in->pol->growth[
		    b->d.grow_rule[s]]);
	if (b->balanced != NULL && b->balanced[it])
		g->flags |= PLAN_GUEST_BALANCED;
	if (b->current != NULL && b->current[it] != PACK_NONE) {
		g->current_host = xstrdup(b->in->ex->hosts[b->current[it]].host);
		if (b->sol.bin_of[it] != b->npins + b->current[it])
			g->flags |= PLAN_GUEST_MOVED;
	}
	if (s >= b->d.nservers - b->in->nadded)
		g->like = xstrdup(b->in->ps->profiles[b->in->added_like[s -
		    (b->d.nservers - b->in->nadded)]].host);
	for (r = 0; r < RES_N; r++) {
		if (!b->planned[r])
			continue;
		/* rows of the block explain_plan() hands over */
		g->profile[r] = b->demand_is_profiles ? b->demand + it *
		    b->ndims + b->res_off[r] : demand_row(&b->d, s, r);
		g->peak[r] = 0;
		for (k = 0; k < b->d.nslots; k++) {
			g->peak[r] = fmax(g->peak[r], g->profile[r][k]);
			h->profile[r][k] += g->profile[r][k];
		}
	}
	h->guests = xreallocarray(h->guests, h->nguests + 1, sizeof(size_t));
	h->guests[h->nguests++] = p->nguests - 1;
	h->vcpus += g->vcpus;
	h->mem_committed_mib += g->mem_mib;
	if (b->d.storage)
		h->storage_committed_gib += g->storage_gib;
}

static void
add_guests_servers(struct plan *p, const struct build *b)
{
	size_t *order = by_name(b->in->ps), k, s;

	for (k = 0; k < b->d.nservers; k++) {
		s = order[k];
		if (b->item_of[s] != PACK_NONE)
			add_guest(p, b, s, b->item_of[s]);
		else
			plan_add_server(p, b->in->ps->profiles[s].host,
			    b->cand.decision[s], b->cand.reason[s]);
	}
	free(order);
}

/* ------------------------------------------------------- per host */

static void
contention_of(struct plan *p, const struct build *b, struct plan_host *h,
    const struct host_model *hm)
{
	struct contention_host ch = { hm->model, hm->cpu_rating, hm->threads,
	    hm->mem_mib, hm->disk_iops, hm->disk_kibps, hm->net_kibps };
	struct contention_guest *cg = xcalloc(h->nguests + 1, sizeof(*cg));
	struct contention_options o;
	struct contention c;
	const struct plan_guest *g;
	size_t k;
	int r;

	contention_options_init(&o);
	for (r = 0; r < RES_N; r++)
		o.headroom[r] = p->headroom[r];
	o.percentile = b->in->pol->percentile < 100 ?
	    b->in->pol->percentile : 99.9;
	o.queue = (enum contention_queue)b->in->pol->cpu_queue;
	o.mem_dedupe = b->in->pol->mem_dedupe;
	o.share_overhead = b->in->pol->cpu_share_overhead_pct / 100.0;
	o.cpu_overhead = b->in->pol->cpu_vm_overhead_pct / 100.0;
	for (k = 0; k < h->nguests; k++) {
		g = &p->guests[h->guests[k]];
		cg[k].name = g->name;
		cg[k].vcpus = g->vcpus;
		cg[k].mem_mib = g->mem_mib;
		for (r = 0; r < RES_N; r++)
			cg[k].demand[r] = g->profile[r];
	}
	if (contention_eval(&ch, cg, h->nguests, p->nslots, &o, &c) == -1) {
		planner_warn(b->res, "%s: contention not predicted: %s",
		    h->name, error_last_msg());
		free(cg);
		return;
	}
	h->contention.cpu_ready_pct = c.ready_pct;
	h->contention.cpu_ready_max_pct = c.ready_pct_max;
	h->contention.overload_pct = 100 * c.res[RES_CPU].p_over_emp;
	h->contention.overload_gauss_pct = 100 * c.res[RES_CPU].p_over_gauss;
	h->contention.mux_gain = c.res[RES_CPU].gain;
	h->contention.mem_overcommit = c.mem_overcommit;
	h->contention.swap_risk_pct = 100 * fmax(c.p_swap_emp,
	    isfinite(c.p_swap_gauss) ? c.p_swap_gauss : 0);
	h->contention.disk_util_pct = 100 * c.res[RES_DISK_IOPS].util_peak;
	h->contention.net_util_pct = 100 * c.res[RES_NET_KIBPS].util_peak;
	h->contention.disk_latency_factor = c.res[RES_DISK_IOPS].latency_peak;
	if (c.ready_pct > b->in->pol->ready_pct)
		planner_warn(b->res, "%s: expected CPU ready %.2f %% per vCPU "
		    "is over ready_pct %g %%", h->name, c.ready_pct,
		    b->in->pol->ready_pct);
	contention_release(&c);
	free(cg);
}

static void
host_figures(struct plan *p, const struct build *b, size_t hi)
{
	struct plan_host *h = &p->hosts[hi];
	size_t m = hi < b->sol.nbins ? b->bin_model[hi] :
	    b->spare_model[hi - b->sol.nbins];
	const struct host_model *hm = &b->in->hc->models[m];
	struct cost_breakdown cb;
	double w = 0, u;
	size_t k;
	int r;

	for (r = 0; r < RES_N; r++) {
		if (h->profile[r] == NULL)
			continue;
		h->peak[r] = 0;
		h->mean[r] = 0;
		for (k = 0; k < p->nslots; k++) {
			h->peak[r] = fmax(h->peak[r], h->profile[r][k]);
			h->mean[r] += h->profile[r][k] / (double)p->nslots;
		}
	}
	for (k = 0; k < p->nslots; k++) {
		u = hm->cpu_rating > 0 ? h->profile[RES_CPU][k] /
		    hm->cpu_rating : 0;
		w += power_curve_w(hm->power_w, u) / (double)p->nslots;
	}
	h->power_w = w;
	host_year_cost(b, hm, w, h->existing, &cb);
	h->cost_per_year = cost_breakdown_total(&cb);
	if (h->nguests > 0)
		contention_of(p, b, h, hm);
}

/* ------------------------------------------------------- why */

/* the host's tightest planned resource: share of its limit, and when */
static int
tightest(const struct plan *p, const struct plan_host *h, size_t *slot,
    double *share)
{
	int r, best = RES_CPU;
	size_t k;
	double x;

	*share = -1;
	*slot = 0;
	for (r = 0; r < RES_N; r++) {
		if (h->profile[r] == NULL || !(h->limit[r] > 0) ||
		    !isfinite(h->limit[r]))
			continue;
		for (k = 0; k < p->nslots; k++) {
			x = h->profile[r][k] / h->limit[r];
			if (x > *share) {
				*share = x;
				*slot = k;
				best = r;
			}
		}
	}
	return best;
}

static void
why(struct plan *p, const struct build *b, struct plan_guest *g)
{
	const struct plan_host *h = &p->hosts[g->host];
	char when[40], gwhen[40], head[160], buf[1024];
	size_t slot, gslot = 0, k;
	double share;
	int r = tightest(p, h, &slot, &share);

	for (k = 1; k < p->nslots; k++)
		if (g->profile[r][k] > g->profile[r][gslot])
			gslot = k;
	demand_slot_label(&b->d, slot, when, sizeof(when));
	demand_slot_label(&b->d, gslot, gwhen, sizeof(gwhen));
	if (g->current_host != NULL && !(g->flags & PLAN_GUEST_MOVED) &&
	    !(g->flags & PLAN_GUEST_PINNED))
		snprintf(head, sizeof(head), "stays on %s", g->current_host);
	else if (g->current_host != NULL && !(g->flags & PLAN_GUEST_PINNED))
		snprintf(head, sizeof(head), "moved from %s by %s%s",
		    g->current_host, p->packer, strcmp(p->search, "off") == 0 ?
		    "" : " and the search");
	else if (g->flags & PLAN_GUEST_PINNED)
		snprintf(head, sizeof(head), "pinned by [pin %s]", g->group);
	else if (g->flags & PLAN_GUEST_AFFINITY)
		snprintf(head, sizeof(head), "with its affinity group '%s'",
		    g->group);
	else
		snprintf(head, sizeof(head), "placed by %s%s%s", p->packer,
		    strcmp(p->search, "off") == 0 ? "" : " and the search",
		    g->flags & PLAN_GUEST_BALANCED ? ", moved here to balance "
		    "the hosts" : "");
	if (p->nslots == 1)
		snprintf(buf, sizeof(buf), "%s; %s (%s): tightest %s at %.0f %% "
		    "of its limit; this guest needs %.*f %s of it", head,
		    h->name, h->model, resource_table[r].name, 100 * share,
		    res_decimals[r], g->profile[r][0], resource_table[r].unit);
	else
		snprintf(buf, sizeof(buf), "%s; %s (%s): tightest %s at %.0f %% "
		    "of its limit at %s; this guest adds %.*f %s then, its own "
		    "peak %.*f %s %s %s", head, h->name, h->model,
		    resource_table[r].name, 100 * share, when, res_decimals[r],
		    g->profile[r][slot], resource_table[r].unit,
		    res_decimals[r], g->profile[r][gslot],
		    resource_table[r].unit, gslot == slot ? "at the same time" :
		    "at", gslot == slot ? "" : gwhen);
	k = strlen(buf);
	while (k > 0 && buf[k - 1] == ' ')
		buf[--k] = '\0';
	if (h->storage_limit_gib > 0 && h->storage_committed_gib /
	    h->storage_limit_gib > share)
		snprintf(buf + k, sizeof(buf) - k, "; storage tighter still, "
		    "at %.0f %% of its limit, this guest taking %.1f GiB",
		    100 * h->storage_committed_gib / h->storage_limit_gib,
		    g->storage_gib);
	k = strlen(buf);
	if (g->flags & PLAN_GUEST_ANTI)
		snprintf(buf + k, sizeof(buf) - k, "; apart from its "
		    "anti-affinity group");
	k = strlen(buf);
	if (g->like != NULL)
		snprintf(buf + k, sizeof(buf) - k, "; a planned workload like "
		    "'%s' ([add] in the policy)", g->like);
	k = strlen(buf);
	if (g->zone != NULL)
		snprintf(buf + k, sizeof(buf) - k, "; in zone '%s', with no "
		    "guest of another zone", g->zone);
	if (g->why != NULL) {	/* the candidates' note: last */
		k = strlen(buf);
		snprintf(buf + k, sizeof(buf) - k, "; %s", g->why);
		free(g->why);
	}
	g->why = xstrdup(buf);
}

/* ------------------------------------------------------- swap */

/* Guests given less memory than they were seen to use: one line, five
 * named, with the policy that allowed it. */
static void
warn_swap(const struct plan *p, const struct build *b)
{
	const struct plan_guest *g;
	size_t i, n = 0, len = 0;
	char buf[512];

	buf[0] = '\0';
	for (i = 0; i < p->nguests; i++) {
		g = &p->guests[i];
		if (!(g->flags & PLAN_GUEST_SWAP))
			continue;
		if (n++ < 5 && len < sizeof(buf) - 80)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "%s'%s' (%.0f MiB active, %.0f given)", n > 1 ?
			    ", " : "", g->name, g->mem_peak_mib, g->mem_mib);
	}
	if (n == 0)
		return;
	planner_warn(b->res, "swap risk: %zu guest%s %s seen using more "
	    "memory than %s given, sized below the peak by [sizing] "
	    "mem_peak_pct: %s%s", n, n == 1 ? "" : "s", n == 1 ? "was" :
	    "were", n == 1 ? "it is" : "they are", buf, n > 5 ? ", ..." : "");
}

/* ------------------------------------------------------- bounds */

static void
bounds(struct plan *p, const struct build *b)
{
	const struct pack_bounds *bd = &b->bounds;
	struct plan_bounds *pb = &p->bounds;
	size_t k, d, c, active = p->nhosts - p->spare_hosts;
	int r;

	pb->continuous = 0;
	pb->other = 0;
	for (k = 0; k < b->nblocks; k++) {
		r = b->blocks[k].resource;
		if (r >= 0) {
			pb->load[r] = xmemdup(bd->ratio + b->blocks[k].off,
			    (b->blocks[k].len + 1) * sizeof(double));
			pb->l2[r] = (double)bd->l2[k];
		}
		for (d = b->blocks[k].off; d < b->blocks[k].off +
		    b->blocks[k].len; d++) {
			c = isfinite(bd->ratio[d]) ? (size_t)ceil(bd->ratio[d] -
			    1e-9) : b->nitems;
			if (r < 0 && (double)c > pb->other)
				pb->other = (double)c;
			if (r >= 0 && (double)c > pb->continuous) {
				pb->continuous = (double)c;
				pb->continuous_resource = r;
				pb->continuous_slot = d - b->blocks[k].off;
			}
		}
	}
	pb->l2_max = (double)bd->l2_max;
	pb->clique = (double)bd->clique;
	pb->dff = (double)bd->dff;
	pb->zones = b->nzones > 1 ? (double)bd->zones : NAN;
	pb->existing = b->nexist > 0 ? (double)bd->existing : NAN;
	pb->beyond = b->nexist > 0 ? (double)bd->beyond : NAN;
	pb->lower = (double)bd->lower;
	pb->method = xstrdup(bd->method != NULL ? bd->method : "continuous");
	pb->lp = b->lp;
	if (isfinite(b->lp) && b->lp > pb->lower) {
		pb->lower = b->lp;
		free(pb->method);
		pb->method = xstrdup("lp");
	}
	pb->optimum = b->optimum;
	pb->gap_pct = pb->lower > 0 ? 100 * ((double)active - pb->lower) /
	    pb->lower : 0;
}

struct plan *
explain_plan(struct build *b)
{
	struct plan *p = plan_new();
	size_t i;

	settings(p, b);
	if (b->nitems > 0)
		add_hosts(p, b);
	add_guests_servers(p, b);
	p->cost_per_year = 0;
	for (i = 0; i < p->nhosts; i++) {
		host_figures(p, b, i);
		p->cost_per_year += p->hosts[i].cost_per_year;
	}
	for (i = 0; i < p->nguests; i++)
		why(p, b, &p->guests[i]);
	if (b->nitems > 0)
		bounds(p, b);
	warn_swap(p, b);
	/* the guests' rows, not copied */
	if (b->demand_is_profiles) {
		p->profile_block = b->demand;
		b->demand = NULL;
	} else {
		p->profile_block = b->d.v;
		b->d.v = NULL;
	}
	return p;
}
