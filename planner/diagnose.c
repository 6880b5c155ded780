/*
 * diagnose.c - which constraints make a plan impossible.
 *
 * When planner_run() finds no plan, the line it reports names where the
 * packing stopped ("not enough hosts ... cannot hold the 70 guests"),
 * which is seldom the cause: with one host available, an anti-affinity
 * pair and N+1 together need three hosts, though all 70 guests fit on
 * one.  So each class of constraint the input has is relaxed in turn (a
 * quick plan, one heuristic and no search, without it): each class
 * whose removal alone gives a plan binds on its own; then every pair of
 * the other classes is tried, and each pair whose removal gives a plan
 * binds together.  A class is all of its kind at once: every
 * anti-affinity group, every pin, N+k with domain failures, max_guests,
 * the catalog's
 * available counts, the headroom, the trust zones (with their models and
 * max_hosts).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "planner/planner.h"

enum relax {
	RELAX_ANTI, RELAX_AFFINITY, RELAX_PIN, RELAX_HA, RELAX_MAX_GUESTS,
	RELAX_AVAILABLE, RELAX_HEADROOM, RELAX_ZONES, RELAX_N
};

static const char *const relax_names[RELAX_N] = {
	"anti-affinity", "affinity", "pins", "N+k",
	"max_guests", "the catalog's available counts", "headroom",
	"trust zones",
};

/* could a server be in a zone: a rule, or the inventory's column */
static bool
zones_present(const struct planner_input *in)
{
	size_t i;

	if (in->pol->zone_separate.nitems > 0 || in->pol->nzones > 0)
		return true;
	for (i = 0; in->inv != NULL && i < in->inv->nservers; i++)
		if (in->inv->servers[i].zone != NULL &&
		    in->inv->servers[i].zone[0] != '\0')
			return true;
	return false;
}

/* does the input have a constraint of class k to relax? */
static bool
present(const struct planner_input *in, int k)
{
	static const enum server_group_kind kind[] = { GROUP_ANTI_AFFINITY,
	    GROUP_AFFINITY, GROUP_PIN };
	size_t i;

	switch (k) {
	case RELAX_ANTI: case RELAX_AFFINITY: case RELAX_PIN:
		for (i = 0; i < in->pol->ngroups; i++)
			if (in->pol->groups[i].kind == kind[k])
				return true;
		return false;
	case RELAX_HA:
		return in->pol->host_failures > 0 ||
		    in->pol->domain_failures > 0;
	case RELAX_MAX_GUESTS:
		return in->pol->max_guests > 0;
	case RELAX_AVAILABLE:
		for (i = 0; i < in->hc->nmodels; i++)
			if (!isnan(in->hc->models[i].available))
				return true;
		return false;
	case RELAX_ZONES:
		return zones_present(in);
	default:
		return in->pol->headroom_cpu > 0 || in->pol->headroom_mem > 0 ||
		    in->pol->headroom_disk > 0 || in->pol->headroom_net > 0;
	}
}

/* groups of pol not relaxed by mask, into a new array (shared members) */
static struct server_group *
keep_groups(const struct policy *pol, unsigned mask, size_t *n)
{
	struct server_group *g = xcalloc(pol->ngroups + 1, sizeof(*g));
	const struct server_group *s;
	size_t i;

	*n = 0;
	for (i = 0; i < pol->ngroups; i++) {
		s = &pol->groups[i];
		if ((s->kind == GROUP_ANTI_AFFINITY && (mask & 1u << RELAX_ANTI))
		    || (s->kind == GROUP_AFFINITY &&
		    (mask & 1u << RELAX_AFFINITY)) ||
		    (s->kind == GROUP_PIN && (mask & 1u << RELAX_PIN)))
			continue;
		g[(*n)++] = *s;
	}
	return g;
}

/*
 * A quick plan without the classes in mask: 1 when it exists (its host
 * count in *hosts), 0 when not.
 */
static int
try_without(const struct planner_input *in, unsigned mask, size_t *hosts)
{
	struct planner_input q = *in;
	struct planner_result res;
	struct policy pol = *in->pol;
	struct hostcat hc = *in->hc;
	struct host_model *m = NULL;
	size_t i;
	int rc;

	pol.groups = keep_groups(in->pol, mask, &pol.ngroups);
	if (mask & 1u << RELAX_HA)
		pol.host_failures = pol.domain_failures = 0;
	if (mask & 1u << RELAX_MAX_GUESTS)
		pol.max_guests = 0;
	if (mask & 1u << RELAX_HEADROOM)
		pol.headroom_cpu = pol.headroom_mem = pol.headroom_disk =
		    pol.headroom_net = 0;
	if (mask & 1u << RELAX_AVAILABLE) {
		m = xmemdup(hc.models, (hc.nmodels + 1) * sizeof(*m));
		for (i = 0; i < hc.nmodels; i++)
			m[i].available = NAN;
		hc.models = m;
	}
	q.pol = &pol;
	q.hc = &hc;
	q.no_zones = in->no_zones || (mask & 1u << RELAX_ZONES);
	q.packer = "ffd-l2-avg";
	q.search = q.exact = q.diagnose = false;
	q.progress.fn = NULL;
	rc = planner_run(&q, &res);
	*hosts = rc == 0 ? res.plan->nhosts : 0;
	planner_result_release(&res);
	free(pol.groups);
	free(m);
	return rc == 0;
}

/* " ('a', 'b')": the names of the groups of class k */
static void
group_names(struct strbuf *sb, const struct policy *pol, int k)
{
	static const enum server_group_kind kind[] = { GROUP_ANTI_AFFINITY,
	    GROUP_AFFINITY, GROUP_PIN };
	size_t i, n = 0;

	if (k > RELAX_PIN)
		return;
	for (i = 0; i < pol->ngroups; i++)
		if (pol->groups[i].kind == kind[k])
			strbuf_addf(sb, "%s'%s'", n++ == 0 ? " (" : ", ",
			    pol->groups[i].name);
	if (n > 0)
		strbuf_addch(sb, ')');
}

/* "N+1 ([ha] host_failures)", "a domain failure ([ha] domain_failures)"
 * or both */
static void
ha_name(struct strbuf *sb, const struct policy *pol)
{
	if (pol->host_failures > 0)
		strbuf_addf(sb, "N+%ld ([ha] host_failures)%s",
		    pol->host_failures, pol->domain_failures > 0 ? " with " :
		    "");
	if (pol->domain_failures > 0)
		strbuf_addstr(sb, "a domain failure ([ha] domain_failures)");
}

/* "anti-affinity ('pair') and N+1 ([ha] host_failures)" for mask */
static void
mask_text(struct strbuf *sb, const struct policy *pol, unsigned mask)
{
	int k, n = 0, total = 0;

	for (k = 0; k < RELAX_N; k++)
		total += (mask >> k) & 1;
	for (k = 0; k < RELAX_N; k++)
		if (mask & 1u << k) {
			strbuf_addf(sb, "%s", n++ == 0 ? "" : n == total ?
			    " and " : ", ");
			if (k == RELAX_HA)
				ha_name(sb, pol);
			else
				strbuf_addstr(sb, relax_names[k]);
			group_names(sb, pol, k);
		}
}

static void
tell(struct planner_result *res, const struct policy *pol, unsigned mask,
    size_t hosts, size_t nguests)
{
	struct strbuf sb = STRBUF_INIT;

	mask_text(&sb, pol, mask);
	if ((mask & (mask - 1)) != 0)
		planner_infeasible(res, "binding: %s together; without both the "
		    "%zu guests fit on %zu host%s, without either alone they do "
		    "not", sb.buf, nguests, hosts, hosts == 1 ? "" : "s");
	else
		planner_infeasible(res, "binding: %s; without it the %zu guests "
		    "fit on %zu host%s", sb.buf, nguests, hosts, hosts == 1 ?
		    "" : "s");
	strbuf_release(&sb);
}

void
planner_diagnose(const struct planner_input *in, struct planner_result *res,
    size_t nguests)
{
	unsigned mask, have = 0, alone = 0;
	size_t hosts, n = 0;
	int k, j;

	for (k = 0; k < RELAX_N; k++)
		if (present(in, k))
			have |= 1u << k;
	for (k = 0; k < RELAX_N; k++)
		if ((have & 1u << k) && try_without(in, 1u << k, &hosts)) {
			tell(res, in->pol, 1u << k, hosts, nguests);
			alone |= 1u << k;
			n++;
		}
	have &= ~alone;
	for (k = 0; k < RELAX_N; k++)
		for (j = k + 1; j < RELAX_N; j++) {
			mask = 1u << k | 1u << j;
			if ((have & mask) == mask && try_without(in, mask,
			    &hosts)) {
				tell(res, in->pol, mask, hosts, nguests);
				n++;
			}
		}
	if (n == 0 && have != 0)
		planner_infeasible(res, "no one class of constraint, nor any two, "
		    "binds alone: relaxing them in turn gave no plan");
}
