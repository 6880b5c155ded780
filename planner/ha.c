/*
 * ha.c - failure domains and N+k for one planner_run().
 *
 * Domains.  [ha] domains names the failure domains (racks, PDUs, rooms)
 * the plan's hosts are spread over.  An anti-affinity group with apart =
 * domain keeps its members in different domains (and so on different
 * hosts): the pack kernel checks that as it places guests, on the domain
 * each host gets when it is opened.  Once the plan is made, the hosts are
 * dealt to the domains again, heaviest first, each to the domain with
 * the least load so far where it breaks no such group, so that no domain
 * carries much more than its share and the loss of any one costs the
 * least; when that greedy deal cannot keep the groups apart, the
 * packing's own assignment stays.
 *
 * N+k.  The plan must survive the loss of any k hosts at once and, with
 * [ha] domain_failures, of any one domain whole: pack_failover() tries
 * each scenario (the failed hosts' guests restarted on the survivors,
 * within capacity less failover_headroom, in every slot).  While one
 * fails, a spare host is added for the zone of the guest left with no
 * room: the cheapest model the zone may have that can stand in for any
 * of the zone's hosts, in the domain with the fewest hosts (never the
 * domain that failed).  With more sets of k hosts than HA_MAX_SETS, the
 * sets are not tried one by one: each zone gets k spares, each able to
 * take in any host of the zone, which survives any k failures.  The plan
 * says which of the two the check was (settings.failover_check).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/build.h"

#define HA_MAX_SETS 20000	/* sets of k hosts tried one by one */

/* ------------------------------------------------------------ domains */

/* the domain groups: anti-affinity groups with apart = domain */
int
domains_make(struct build *b)
{
	const struct policy *pol = b->in->pol;
	const struct server_group *g;
	size_t it, k, n = 0, *members;

	if (brownfield_domains(b) == -1)
		return -1;
	if (pol->domain_failures > 0 && b->ndomains < 2)
		return error_set(ERROR_USAGE, "[ha] domain_failures = 1 needs "
		    "at least two failure domains in [ha] domains%s",
		    b->nexist > 0 ? " and the existing hosts' [ha] "
		    "failure_domain" : "");
	members = xcalloc(pol->ngroups + 1, sizeof(size_t));
	b->dgroup_off = xcalloc(b->nitems + 2, sizeof(size_t));
	b->dgroups = xcalloc(b->group_off[b->nitems] + 1, sizeof(uint32_t));
	for (it = 0; it < b->nitems; it++) {
		for (k = b->group_off[it]; k < b->group_off[it + 1]; k++) {
			g = &pol->groups[b->groups[k]];
			if (!g->apart_domains)
				continue;
			if (b->ndomains == 0) {
				free(members);
				return error_set(ERROR_USAGE, "anti-affinity group "
				    "'%s' (capplan.conf line %zu) keeps its servers "
				    "in different domains, but [ha] domains names "
				    "none", g->name, g->line);
			}
			b->dgroups[n++] = b->groups[k];
			members[b->groups[k]]++;
		}
		b->dgroup_off[it + 1] = n;
	}
	for (k = 0; k < pol->ngroups; k++)
		if (members[k] > b->ndomains)
			planner_infeasible(b->res, "anti-affinity group '%s' keeps "
			    "%zu servers in different domains, but [ha] domains "
			    "names %zu", pol->groups[k].name, members[k],
			    b->ndomains);
	free(members);
	if (n == 0) {
		free(b->dgroup_off);
		free(b->dgroups);
		b->dgroup_off = NULL;
		b->dgroups = NULL;
	}
	return 0;
}

struct heavy {
	double load;
	size_t bin;
};

static int
heavy_cmp(const void *a, const void *b)
{
	const struct heavy *x = a, *y = b;

	if (x->load != y->load)
		return x->load > y->load ? -1 : 1;
	return x->bin < y->bin ? -1 : x->bin > y->bin;
}

/* does bin bn in domain d break a domain group with the bins dealt? */
static bool
deal_conflict(const struct build *b, const uint32_t *dom, size_t bn,
    uint32_t d)
{
	size_t it, jt, k, l;

	for (it = 0; it < b->nitems; it++) {
		if (b->sol.bin_of[it] != bn)
			continue;
		for (k = b->dgroup_off[it]; k < b->dgroup_off[it + 1]; k++)
			for (jt = 0; jt < b->nitems; jt++) {
				if (b->sol.bin_of[jt] == bn ||
				    dom[b->sol.bin_of[jt]] != d)
					continue;
				for (l = b->dgroup_off[jt]; l < b->dgroup_off[jt +
				    1]; l++)
					if (b->dgroups[l] == b->dgroups[k])
						return true;
			}
	}
	return false;
}

/* deal the hosts to the domains, heaviest first, each to the domain with
 * the least load so far it breaks no group in; false if none was left */
static bool
deal(const struct build *b, const struct heavy *h, uint32_t *dom)
{
	double *load = xcalloc(b->ndomains + 1, sizeof(double));
	size_t k, bn;
	uint32_t d, best;
	bool ok = true;

	for (bn = 0; bn < b->sol.nbins; bn++)
		dom[bn] = UINT32_MAX;
	/* existing hosts in a known rack stay there */
	for (k = 0; k < b->sol.nbins; k++)
		if (b->pinned_domain != NULL && h[k].bin < b->npins + b->nexist &&
		    b->pinned_domain[h[k].bin] != UINT32_MAX) {
			dom[h[k].bin] = b->pinned_domain[h[k].bin];
			load[dom[h[k].bin]] += h[k].load + 1e-9;
		}
	for (k = 0; k < b->sol.nbins && ok; k++) {
		bn = h[k].bin;
		if (dom[bn] != UINT32_MAX)
			continue;
		best = UINT32_MAX;
		for (d = 0; d < b->ndomains; d++)
			if ((best == UINT32_MAX || load[d] < load[best]) &&
			    (b->dgroup_off == NULL || !deal_conflict(b, dom, bn, d)))
				best = d;
		ok = best != UINT32_MAX;
		if (ok) {
			dom[bn] = best;
			load[best] += h[k].load + 1e-9;	/* then by count */
		}
	}
	free(load);
	return ok;
}

void
domains_balance(struct build *b)
{
	struct heavy *h;
	uint32_t *dom;
	size_t bn, it, d;

	if (b->ndomains == 0 || b->sol.nbins == 0)
		return;
	h = xcalloc(b->sol.nbins + 1, sizeof(*h));
	for (bn = 0; bn < b->sol.nbins; bn++)
		h[bn].bin = bn;
	/* a host's weight: its guests' normalised demand, all dimensions */
	for (it = 0; it < b->nitems; it++)
		for (d = 0; d < b->ndims; d++)
			if (b->types[0].cap[d] > 0 && isfinite(b->types[0].cap[d]))
				h[b->sol.bin_of[it]].load += b->demand[it *
				    b->ndims + d] / b->types[0].cap[d];
	array_sort(h, b->sol.nbins, sizeof(*h), heavy_cmp);
	dom = xcalloc(b->sol.nbins + 1, sizeof(uint32_t));
	if (deal(b, h, dom) || b->sol.bin_domain == NULL) {
		free(b->sol.bin_domain);
		b->sol.bin_domain = dom;
	} else {
		free(dom);	/* the packing's deal keeps the groups apart */
	}
	free(h);
}

/* ------------------------------------------------------------ N+k */

/* hosts and spares in domain d */
static size_t
in_domain(const struct build *b, uint32_t d)
{
	size_t k, n = 0;

	for (k = 0; k < b->sol.nbins; k++)
		n += b->sol.bin_domain[k] == d;
	for (k = 0; k < b->nspare; k++)
		n += b->spare_domain[k] == d;
	return n;
}

/* the domain with the fewest hosts, not `not' */
static uint32_t
spare_domain(const struct build *b, uint32_t not)
{
	uint32_t d, best = UINT32_MAX;

	for (d = 0; d < b->ndomains; d++)
		if (d != not && (best == UINT32_MAX || in_domain(b, d) <
		    in_domain(b, best)))
			best = d;
	return best == UINT32_MAX ? 0 : best;
}

/* the cheapest model left (the zone's, if it has one) that can stand in
 * for every host of zone z under the failover limits, or PACK_NONE */
static size_t
spare_model(struct build *b, const struct pack_problem *fp, uint32_t z)
{
	size_t t, bn, it, n, *set, *used, m = PACK_NONE;
	const struct host_model *hm;
	bool all;

	set = xcalloc(b->nitems + 1, sizeof(size_t));
	used = xcalloc(b->in->hc->nmodels + 1, sizeof(size_t));
	for (bn = 0; bn < b->sol.nbins; bn++)
		used[b->bin_model[bn]] += !bin_is_existing(b, bn);
	for (bn = 0; bn < b->nspare; bn++)
		used[b->spare_model[bn]]++;
	for (t = 0; t < b->ntypes && m == PACK_NONE; t++) {
		hm = &b->in->hc->models[b->type_model[t]];
		if ((!isnan(hm->available) && (double)used[b->type_model[t]] >=
		    hm->available) || !pack_zone_allows(fp, z, t))
			continue;
		for (all = true, bn = 0; all && bn < b->sol.nbins; bn++) {
			if (zones_of_bin(b, bn) != z)
				continue;
			for (n = 0, it = 0; it < b->nitems; it++)
				if (b->sol.bin_of[it] == bn)
					set[n++] = it;
			all = pack_fits_set(fp, t, set, n);
		}
		if (all)
			m = b->type_model[t];
	}
	free(set);
	free(used);
	return m;
}

static void
spare_add(struct build *b, size_t model, uint32_t zone, uint32_t domain)
{
	b->spare_model = xreallocarray(b->spare_model, b->nspare + 1,
	    sizeof(size_t));
	b->spare_zone = xreallocarray(b->spare_zone, b->nspare + 1,
	    sizeof(uint32_t));
	b->spare_domain = xreallocarray(b->spare_domain, b->nspare + 1,
	    sizeof(uint32_t));
	b->spare_model[b->nspare] = model;
	b->spare_zone[b->nspare] = zone;
	b->spare_domain[b->nspare++] = domain;
}

/* the hosts of a failed scenario, for people: "host-001 and spare-1" */
static void
scenario_text(const struct build *b, const struct pack_failed *f,
    char *buf, size_t len)
{
	char name[80];
	size_t k, n = 0;

	if (f->domain != UINT32_MAX) {
		snprintf(buf, len, "domain '%s'", b->domain_name[f->domain]);
		return;
	}
	for (k = 0; k < f->nbins && n < len; k++) {
		bin_name(b, f->bins[k], name, sizeof(name));
		n += (size_t)snprintf(buf + n, len - n, "%s%s", k == 0 ? "" :
		    k + 1 == f->nbins ? " and " : ", ", name);
	}
}

static void
cannot(struct build *b, const struct pack_failed *f)
{
	char what[256], head[32];
	uint32_t z = f->zone;

	scenario_text(b, f, what, sizeof(what));
	snprintf(head, sizeof(head), f->domain != UINT32_MAX ? "domain "
	    "failure" : "N+%ld", b->in->pol->host_failures);
	planner_infeasible(b->res, "%s: the hosts%s%s%s cannot take in the "
	    "guests of %s if %s, and no model left available can stand in "
	    "for every host%s", head, z > 0 ? " of zone '" : "",
	    z > 0 ? b->zone_name[z] : "",
	    z > 0 ? "'" : "", what, f->domain != UINT32_MAX ? "it fails" :
	    f->nbins > 1 ? "they fail together" : "it fails", z > 0 ?
	    " of the zone" : "");
}

/* k spares for each zone with hosts: any k failures survived */
static bool
spares_per_zone(struct build *b, const struct pack_problem *fp, size_t k)
{
	size_t n, s, m;
	uint32_t z;

	for (z = 0; z < b->nzones; z++) {
		for (n = 0, s = 0; s < b->sol.nbins; s++)
			n += zones_of_bin(b, s) == z;
		if (n == 0)
			continue;
		for (n = 0, s = 0; s < b->nspare; s++)
			n += b->spare_zone[s] == z;
		for (; n < k; n++) {
			if ((m = spare_model(b, fp, z)) == PACK_NONE)
				return false;
			spare_add(b, m, z, spare_domain(b, UINT32_MAX));
		}
	}
	return true;
}

/* the spares' pack form, for pack_failover() */
static struct pack_spare *
spares_of(const struct build *b)
{
	struct pack_spare *sp = xcalloc(b->nspare + 1, sizeof(*sp));
	size_t k;

	for (k = 0; k < b->nspare; k++)
		sp[k] = (struct pack_spare){ type_of_model(b, b->spare_model[k]),
		    b->spare_zone[k], b->ndomains > 0 ? b->spare_domain[k] : 0 };
	return sp;
}

/* try the scenarios, adding spares while one fails: 0, or 1 with the
 * unmet constraint told */
static int
add_spares(struct build *b, const struct pack_problem *fp,
    struct pack_failures *f)
{
	struct pack_spare *sp;
	struct pack_failed failed;
	size_t m, guard = b->sol.nbins + 8 * b->nzones * (f->hosts + 1) + 8;
	int rc;

	for (;;) {
		sp = spares_of(b);
		rc = pack_failover(fp, &b->sol, sp, b->nspare, f, &failed);
		free(sp);
		if (rc == 0)
			return 0;
		if (rc == 2) {	/* too many sets: k spares a zone */
			b->failover_check = "spares";
			if (!spares_per_zone(b, fp, f->hosts)) {
				planner_infeasible(b->res, "N+%zu: no model left "
				    "available can stand in for every host of a "
				    "zone, %zu times", f->hosts, f->hosts);
				return 1;
			}
			f->hosts = 0;	/* the domains are still tried */
			continue;
		}
		m = spare_model(b, fp, failed.zone);
		if (m == PACK_NONE || b->nspare >= guard) {
			cannot(b, &failed);
			return 1;
		}
		spare_add(b, m, failed.zone, b->ndomains > 0 ? spare_domain(b,
		    failed.domain) : 0);
	}
}

void
ha_spares(struct build *b)
{
	const struct policy *pol = b->in->pol;
	struct pack_failures f = { (size_t)pol->host_failures,
	    pol->domain_failures > 0, HA_MAX_SETS };
	struct pack_problem fp;
	size_t bn;

	if ((f.hosts == 0 && !f.domain) || b->sol.nbins == 0)
		return;
	b->failover_check = "sets";
	make_types(b, b->chosen, b->fail);
	if (make_problem(b) == -1)
		return;		/* cannot happen: it was made before */
	for (bn = 0; bn < b->sol.nbins; bn++)
		b->sol.bin_type[bn] = bin_type_of(b, bn);
	fp = b->pb;
	(void)add_spares(b, &fp, &f);
	make_types(b, b->chosen, b->cap);
	make_problem(b);
	for (bn = 0; bn < b->sol.nbins; bn++)
		b->sol.bin_type[bn] = bin_type_of(b, bn);
	/* the spares count against 'available' in pack_verify too */
	b->spare_type = xreallocarray(b->spare_type, b->nspare + 1,
	    sizeof(size_t));
	for (bn = 0; bn < b->nspare; bn++)
		b->spare_type[bn] = type_of_model(b, b->spare_model[bn]);
	b->sol.nspare = b->nspare;
	b->sol.spare_type = b->spare_type;
}
