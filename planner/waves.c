/*
 * waves.c - the plan's moves ordered into migration waves.
 *
 * A unit is a guest, or an affinity group's guests together (they must
 * never be split across waves: the group talks to itself).  Units are
 * taken in the order of the first host they go to, then by name, so the
 * hosts fill one after another and few are installed per wave; each goes
 * into the first wave with room for it: at most [waves] max_servers
 * servers, and at most max_per_host onto any one target host.  A unit
 * larger than a wave gets a wave of its own, and the planner says so.
 * Retired servers are switched off in waves of their own, before the
 * moves when retire_first is set, else after them.  Each host is
 * installed in the wave of its first guest (spares with the first wave
 * that moves anything), so no guest arrives before its host.
 *
 * Downtime: a server is down while its memory (its measured peak, else
 * its sized memory) and its disk (the inventory's disk_gib; unknown
 * counts 0 and is said) are copied at bandwidth_mibps.  A wave copies
 * its servers one after another, after its hosts are installed
 * (host_install_hours, the hosts of a wave in parallel).  Cost: the
 * policy's migration_per_server per server moved.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/sort.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "planner/planner.h"

struct unit {
	size_t *guests;
	size_t n;
	size_t first_host;	/* the lowest host index of its guests */
	const char *name;	/* its first guest's, for a stable order */
};

struct wave_fill {
	size_t count;		/* servers in the wave */
	size_t *per_host;	/* guests per target host */
};

static int
unit_cmp(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;

	if (x->first_host != y->first_host)
		return x->first_host < y->first_host ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
unit_add(struct unit *u, const struct plan *p, size_t gi)
{
	u->guests = xreallocarray(u->guests, u->n + 1, sizeof(size_t));
	u->guests[u->n++] = gi;
	if (u->n == 1 || p->guests[gi].host < u->first_host)
		u->first_host = p->guests[gi].host;
	if (u->n == 1 || strcmp(p->guests[gi].name, u->name) < 0)
		u->name = p->guests[gi].name;
}

/* guests as units: affinity groups together; sorted; *nunits set */
static struct unit *
units_make(const struct plan *p, size_t *nunits)
{
	struct unit *u = xcalloc(p->nguests + 1, sizeof(*u));
	struct strmap groups;
	const struct plan_guest *g;
	size_t i, k, n = 0;

	strmap_init(&groups);
	for (i = 0; i < p->nguests; i++) {
		g = &p->guests[i];
		if ((g->flags & PLAN_GUEST_AFFINITY) && g->group != NULL) {
			if (!strmap_get(&groups, g->group, &k)) {
				k = n++;
				strmap_put(&groups, g->group, k, NULL);
			}
		} else {
			k = n++;
		}
		unit_add(&u[k], p, i);
	}
	strmap_release(&groups);
	array_sort(u, n, sizeof(*u), unit_cmp);
	*nunits = n;
	return u;
}

/* does unit u fit wave f under the policy's limits? */
static bool
unit_fits(const struct plan *p, const struct unit *u,
    const struct wave_fill *f, const struct plan_migration *m)
{
	size_t i, j, on;

	if (f->count + u->n > (size_t)m->max_servers)
		return false;
	if (m->max_per_host <= 0)
		return true;
	for (i = 0; i < u->n; i++) {
		for (j = 0, on = 0; j < u->n; j++)
			on += p->guests[u->guests[j]].host ==
			    p->guests[u->guests[i]].host;
		if (f->per_host[p->guests[u->guests[i]].host] + on >
		    (size_t)m->max_per_host)
			return false;
	}
	return true;
}

static void
wave_take_unit(struct plan *p, size_t wi, struct wave_fill *f,
    const struct unit *u)
{
	struct plan_wave *w = &p->migration.waves[wi];
	size_t i;

	w->guests = xreallocarray(w->guests, w->nguests + u->n,
	    sizeof(size_t));
	for (i = 0; i < u->n; i++) {
		w->guests[w->nguests++] = u->guests[i];
		f->per_host[p->guests[u->guests[i]].host]++;
	}
	f->count += u->n;
}

/* the units into waves first..; returns the fills (nwaves of them) */
static struct wave_fill *
units_place(struct plan *p, const struct unit *u, size_t nunits,
    size_t first, struct planner_result *res)
{
	struct plan_migration *m = &p->migration;
	struct wave_fill *f = NULL;
	size_t i, w;

	for (i = 0; i < nunits; i++) {
		for (w = first; w < m->nwaves; w++)
			if (unit_fits(p, &u[i], &f[w - first], m))
				break;
		if (w == m->nwaves) {
			plan_add_wave(p);
			f = xreallocarray(f, m->nwaves - first, sizeof(*f));
			f[w - first].count = 0;
			f[w - first].per_host = xcalloc(p->nhosts + 1,
			    sizeof(size_t));
			if (!unit_fits(p, &u[i], &f[w - first], m))
				planner_warn(res, "waves: affinity group '%s' "
				    "(%zu servers) is over the wave limits "
				    "([waves] max_servers %ld, max_per_host "
				    "%ld); it moves alone in wave %zu",
				    p->guests[u[i].guests[0]].group, u[i].n,
				    m->max_servers, m->max_per_host, w + 1);
		}
		wave_take_unit(p, w, &f[w - first], &u[i]);
	}
	return f;
}

/* retired servers in waves of max_servers */
static void
retire_waves(struct plan *p)
{
	struct plan_wave *w = NULL;
	size_t i;

	for (i = 0; i < p->nservers; i++) {
		if (p->servers[i].decision != DECISION_RETIRE)
			continue;
		if (w == NULL || w->nretire == (size_t)p->migration.max_servers)
			w = plan_add_wave(p);
		w->retire = xreallocarray(w->retire, w->nretire + 1,
		    sizeof(size_t));
		w->retire[w->nretire++] = i;
	}
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* each host in the wave of its first guest; spares in the first moving */
static void
installs_assign(struct plan *p)
{
	struct plan_migration *m = &p->migration;
	struct plan_wave *w;
	bool *done = xcalloc(p->nhosts + 1, sizeof(bool));
	size_t i, j, h, first = SIZE_MAX;

	for (i = 0; i < m->nwaves; i++) {
		w = &m->waves[i];
		if (w->nguests > 0 && first == SIZE_MAX)
			first = i;
		w->install = xcalloc(p->nhosts + 1, sizeof(size_t));
		for (j = 0; j < w->nguests; j++) {
			h = p->guests[w->guests[j]].host;
			if (!done[h])
				w->install[w->ninstall++] = h;
			done[h] = true;
		}
	}
	for (h = 0; first != SIZE_MAX && h < p->nhosts; h++)
		if (!done[h])
			m->waves[first].install[m->waves[first].ninstall++] = h;
	for (i = 0; i < m->nwaves; i++)
		array_sort(m->waves[i].install, m->waves[i].ninstall,
		    sizeof(size_t), size_cmp);
	free(done);
}

/* MiB a guest's move copies: memory, then disk (0 when not known) */
static double
guest_copy_mib(const struct plan_guest *g, const struct inventory *inv,
    bool *disk_known)
{
	const struct server_inv *s = inv != NULL ? inventory_find(inv,
	    g->name) : NULL;
	double mem = isfinite(g->mem_peak_mib) ? g->mem_peak_mib : g->mem_mib;

	*disk_known = s != NULL && isfinite(s->disk_gib);
	return (isfinite(mem) ? mem : 0.0) + (*disk_known ? s->disk_gib *
	    1024.0 : 0.0);
}

/* each wave's copy volume, downtime, times and cost */
static void
waves_estimate(struct plan *p, const struct inventory *inv,
    double per_server)
{
	struct plan_migration *m = &p->migration;
	struct plan_wave *w;
	const struct plan_guest *g;
	double t = 0.0, mib, down;
	size_t i, j;
	bool known;

	for (i = 0; i < m->nwaves; i++) {
		w = &m->waves[i];
		array_sort(w->guests, w->nguests, sizeof(size_t), size_cmp);
		for (j = 0; j < w->nguests; j++) {
			g = &p->guests[w->guests[j]];
			mib = guest_copy_mib(g, inv, &known);
			w->disk_unknown += !known;
			w->mem_mib += isfinite(g->mem_peak_mib) ?
			    g->mem_peak_mib : isfinite(g->mem_mib) ?
			    g->mem_mib : 0.0;
			w->disk_gib += known ? inventory_find(inv,
			    g->name)->disk_gib : 0.0;
			down = mib / m->bandwidth_mibps;
			w->move_h += down / 3600.0;
			if (down > w->downtime_max_s)
				w->downtime_max_s = down;
		}
		w->install_h = w->ninstall > 0 ? m->host_install_h : 0.0;
		w->start_h = t;
		t += w->install_h + w->move_h;
		w->cost = per_server * (double)w->nguests;
	}
}

static size_t
waves_disk_unknown(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->migration.nwaves; i++)
		n += p->migration.waves[i].disk_unknown;
	return n;
}

int
plan_waves_make(struct plan *p, const struct inventory *inv,
    const struct policy *pol, struct planner_result *res)
{
	struct plan_migration *m = &p->migration;
	struct wave_fill *f;
	struct unit *u;
	size_t i, nunits, first, nf;

	m->max_servers = pol->wave_max_servers;
	m->max_per_host = pol->wave_max_per_host;
	m->retire_first = pol->wave_retire_first;
	m->bandwidth_mibps = pol->wave_bandwidth_mibps;
	m->host_install_h = pol->wave_host_install_h;
	if (m->max_servers <= 0)
		return 0;
	if (m->retire_first)
		retire_waves(p);
	first = m->nwaves;
	u = units_make(p, &nunits);
	f = units_place(p, u, nunits, first, res);
	nf = m->nwaves - first;
	if (!m->retire_first)
		retire_waves(p);
	installs_assign(p);
	waves_estimate(p, inv, pol->migration_per_server);
	for (i = 0; i < nf; i++)
		free(f[i].per_host);
	free(f);
	for (i = 0; i < nunits; i++)
		free(u[i].guests);
	free(u);
	if (waves_disk_unknown(p) > 0)
		planner_warn(res, "waves: %zu of %zu servers moved have no "
		    "disk_gib in the inventory: their downtime counts their "
		    "memory only", waves_disk_unknown(p), p->nguests);
	return 0;
}
