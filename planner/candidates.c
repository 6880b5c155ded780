/*
 * candidates.c - which servers to virtualize, keep physical or retire.
 *
 * In this order, the first rule that applies decides:
 *   0. a guest of an existing host now (the inventory's
 *      current_host, with -e)                          virtualize
 *   1. listed in [candidates] exclude                  keep
 *   2. carries an inventory tag of keep_tags           keep
 *   3. CPU not measured (nothing to size it by)        keep
 *   4. idle: p95 CPU busy under retire_cpu_pct, and
 *      p95 disk IOPS, disk KiB/s and network under
 *      retire_iops, retire_disk_kibps and
 *      retire_net_kibps (each measured; the disk by
 *      one of the two at least), over at least
 *      min_days of data                                retire
 *   5. saturated: median CPU busy at or over
 *      saturated_cpu_pct (it would take a host alone
 *      and still want more)                            keep
 *   6. bigger than every host model after headroom:
 *      some slot of some resource, or its vCPUs or
 *      memory, over the largest model's limit          keep
 *   7. otherwise                                       virtualize
 * A server whose disk or network was never measured is not called idle:
 * retiring a server on a guess is worse than planning a guest for it.
 * A virtualized server whose CPU alone looked idle gets a note saying
 * why it was not retired (its reason; explain.c adds it to its line).
 * Rule 6 uses the demand the packing will use, so a server it lets
 * through always fits an empty host.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "planner/planner.h"

static bool
listed(const struct conf_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nitems; i++)
		if (strcmp(l->items[i], name) == 0)
			return true;
	return false;
}

static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return xstrdup(buf);
}

/* busy % of the server from a CPU demand in CU */
static double
busy_pct(const struct profile *p, double cu)
{
	return p->cpu_rating > 0 ? 100 * cu / p->cpu_rating : NAN;
}

/* one resource of the idle test: measured at all, and under its limit */
struct idle_part {
	const char *label;	/* "disk", "network" */
	int res;
	double limit;
	const char *unit;
};

/*
 * The idle test (rule 4).  Every part measured must be under its limit;
 * the disk needs IOPS or KiB/s measured (sources give one or both), the
 * network its KiB/s.  *found says what the test saw, for the reason
 * either way: "disk 0.50 IOPS (under 5), network 1.00 KiB/s (under 10)"
 * when idle, "disk 17.35 KiB/s (retire under 64), ..." (the parts that
 * failed) when not.
 */
static bool
io_idle(const struct profile *p, const struct policy *pol,
    struct strbuf *found)
{
	const struct idle_part parts[] = {
		{ "disk", RES_DISK_IOPS, pol->retire_iops, "IOPS" },
		{ "disk", RES_DISK_KIBPS, pol->retire_disk_kibps, "KiB/s" },
		{ "network", RES_NET_KIBPS, pol->retire_net_kibps, "KiB/s" },
	};
	const struct demand_stats *st;
	bool idle = true, disk_seen = false, net_seen = false;
	const char *sep = "";
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		st = &p->stat[parts[i].res];
		if (st->n == 0)
			continue;
		*(parts[i].res == RES_NET_KIBPS ? &net_seen : &disk_seen) = true;
		if (!(st->p95 < parts[i].limit))
			idle = false;
	}
	if (!disk_seen || !net_seen) {
		strbuf_addf(found, "%s%s%s not measured", !disk_seen ? "disk" :
		    "", !disk_seen && !net_seen ? " and " : "", !net_seen ?
		    "network" : "");
		return false;
	}
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		st = &p->stat[parts[i].res];
		if (st->n == 0 || (!idle && st->p95 < parts[i].limit))
			continue;
		strbuf_addf(found, "%s%s %.2f %s (%s %g)", sep, parts[i].label,
		    st->p95, parts[i].unit, idle ? "under" : "retire under",
		    parts[i].limit);
		sep = ", ";
	}
	return idle;
}

/*
 * Rule 4.  NULL with *note NULL when the CPU is not idle; the reason to
 * retire; or NULL with *note saying why a server whose CPU looks idle is
 * not retired (the plan shows it in the guest's line): its disk or
 * network, or fewer days of data than min_days (idle for a day says
 * little of a month-end job).
 */
static char *
idle_reason(const struct profile *p, const struct policy *pol, char **note)
{
	double cpu = busy_pct(p, p->stat[RES_CPU].p95);
	struct strbuf found;
	char *why = NULL;

	*note = NULL;
	if (!(cpu < pol->retire_cpu_pct))
		return NULL;
	strbuf_init(&found);
	if (!io_idle(p, pol, &found))
		*note = fmt("not retired though its p95 CPU %.2f %% is under "
		    "%g %%: %s", cpu, pol->retire_cpu_pct, found.buf);
	else if (p->days < (double)pol->min_days)
		*note = fmt("not retired though idle (p95 CPU %.2f %%, %s): "
		    "only %.1f days of data, min_days is %ld", cpu, found.buf,
		    p->days, pol->min_days);
	else
		why = fmt("idle: p95 CPU %.2f %% (under %g %%), %s over %.1f "
		    "days", cpu, pol->retire_cpu_pct, found.buf, p->days);
	strbuf_release(&found);
	return why;
}

/* the largest share of a limit the server needs on model m, and where */
static double
worst_share(const struct demand *d, size_t s, const struct host_model *m,
    const struct policy *pol, const char **what)
{
	const double head[RES_N] = { pol->headroom_cpu, pol->headroom_mem,
	    pol->headroom_disk, pol->headroom_disk, pol->headroom_net };
	const double cap[RES_N] = { m->cpu_rating, m->mem_mib, m->disk_iops,
	    m->disk_kibps, m->net_kibps };
	double worst = 0, x, lim;
	const double *row;
	size_t k;
	int r;

	*what = "nothing";
	for (r = 0; r < RES_N; r++) {
		if (!isfinite(cap[r]))
			continue;
		lim = cap[r] * (1 - head[r]);
		row = demand_row(d, s, r);
		for (k = 0; k < d->nslots; k++) {
			x = lim > 0 ? row[k] / lim : row[k] > 0 ? INFINITY : 0;
			if (x > worst) {
				worst = x;
				*what = resource_table[r].name;
			}
		}
	}
	x = d->vcpus[s] / (m->threads * pol->vcpu_per_pcpu);
	if (x > worst) {
		worst = x;
		*what = "vCPUs";
	}
	x = d->mem_mib[s] / (m->mem_mib * pol->mem_overcommit);
	if (x > worst) {
		worst = x;
		*what = "committed memory";
	}
	x = d->storage && isfinite(m->storage_gib) ? d->storage_gib[s] /
	    (m->storage_gib * (1 - pol->headroom_storage)) : 0;
	if (x > worst) {
		worst = x;
		*what = "storage";
	}
	return worst;
}

static char *
too_big_reason(const struct demand *d, size_t s,
    const struct planner_input *in)
{
	const struct host_model *m, *best = NULL;
	const char *what, *best_what = NULL;
	double share, least = INFINITY;
	size_t i;

	for (i = 0; i < in->hc->nmodels; i++) {
		m = &in->hc->models[i];
		if (in->model != NULL && strcmp(in->model, m->model) != 0)
			continue;
		share = worst_share(d, s, m, in->pol, &what);
		/* INFINITY (a capacity of 0) is the worst, not "no model" */
		if (best == NULL || share < least) {
			least = share;
			best = m;
			best_what = what;
		}
	}
	if (best == NULL || least <= 1 + PACK_EPS)
		return NULL;
	if (!isfinite(least))
		return fmt("bigger than any host model: needs %s, of which "
		    "'%s', the roomiest for it, has none", best_what,
		    best->model);
	return fmt("bigger than any host model after headroom: needs %.0f %% "
	    "of the %s limit of '%s', the roomiest for it", 100 * least,
	    best_what, best->model);
}

static char *
decide(const struct demand *d, size_t s, const struct planner_input *in,
    enum plan_decision *dec)
{
	const struct profile *p = &in->ps->profiles[s];
	const struct policy *pol = in->pol;
	const struct server_inv *inv = in->inv != NULL ?
	    inventory_find(in->inv, p->host) : NULL;
	char *why, *note = NULL;
	size_t t;

	*dec = DECISION_VIRTUALIZE;
	if ((t = brownfield_current(in, s)) != PACK_NONE)
		return fmt("a guest of existing host '%s' now",
		    in->ex->hosts[t].host);
	*dec = DECISION_KEEP;
	if (listed(&pol->exclude, p->host))
		return xstrdup("excluded by policy ([candidates] exclude)");
	for (t = 0; inv != NULL && t < pol->keep_tags.nitems; t++)
		if (server_has_tag(inv, pol->keep_tags.items[t]))
			return fmt("tag '%s' keeps it physical ([candidates] "
			    "keep_tags)", pol->keep_tags.items[t]);
	if (!d->measured[s * RES_N + RES_CPU])
		return xstrdup("CPU not measured: nothing to size a guest by");
	*dec = DECISION_RETIRE;
	if ((why = idle_reason(p, pol, &note)) != NULL)
		return why;
	*dec = DECISION_KEEP;
	if (busy_pct(p, p->stat[RES_CPU].p50) >= pol->saturated_cpu_pct)
		why = fmt("saturated: median CPU busy %.1f %% (keep physical at "
		    "%g %% or more)", busy_pct(p, p->stat[RES_CPU].p50),
		    pol->saturated_cpu_pct);
	else
		why = too_big_reason(d, s, in);
	if (why != NULL) {
		free(note);	/* kept physical: the note is moot */
		return why;
	}
	*dec = DECISION_VIRTUALIZE;
	return note;	/* a guest's reason is a note for its line */
}

int
candidates_classify(struct candidates *c, const struct demand *d,
    const struct planner_input *in)
{
	size_t s;

	c->decision = xcalloc(d->nservers + 1, sizeof(*c->decision));
	c->reason = xcalloc(d->nservers + 1, sizeof(char *));
	for (s = 0; s < d->nservers; s++)
		c->reason[s] = decide(d, s, in, &c->decision[s]);
	return 0;
}

void
candidates_release(struct candidates *c, size_t n)
{
	size_t s;

	if (c == NULL)
		return;
	for (s = 0; c->reason != NULL && s < n; s++)
		free(c->reason[s]);
	free(c->reason);
	free(c->decision);
	memset(c, 0, sizeof(*c));
}
