/*
 * added.c - planned workloads ([add NAME] like = SERVER, count = N).
 *
 * The plan gets N more servers, NAME-1 ... NAME-N, each with the profile
 * of SERVER (its slots, sizes and stated growth) and, for the rules
 * that read it (zones, storage, the group of [growth NAME]), its
 * inventory row; never its current_host (a new workload runs nowhere
 * yet).  The input is extended once, at the top of planner_run(): the
 * profiles and inventory rows are shallow copies sharing the source's
 * arrays, with their own names.  An added server is always planned as a
 * guest, whatever would retire or keep its model physical (planner.h
 * added_decide()); one too big for every host is an unmet constraint.
 * By series, an added server has SERVER's samples, slot for slot
 * (demand.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "planner/planner.h"

static char no_host[] = "";	/* an added server's current_host */

/* the names, checked against the servers there are; -1 on a clash */
static int
added_names(struct added *a, const struct planner_input *in)
{
	const struct policy *pol = in->pol;
	const struct profile *src;
	struct strbuf sb = STRBUF_INIT;
	size_t r, k, n = 0;

	for (r = 0; r < pol->nadds; r++) {
		if (pol->adds[r].like == NULL)
			return error_set(ERROR_DATA, "[add %s] (line %zu) needs "
			    "'like', the server the new ones are like",
			    pol->adds[r].name, pol->adds[r].line);
		if ((src = profile_set_find(in->ps, pol->adds[r].like)) ==
		    NULL)
			return error_set(ERROR_DATA, "[add %s] (line %zu): "
			    "server '%s' has no profile", pol->adds[r].name,
			    pol->adds[r].line, pol->adds[r].like);
		for (k = 0; k < (size_t)(pol->adds[r].count > 0 ?
		    pol->adds[r].count : 1); k++) {
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s-%zu", pol->adds[r].name, k + 1);
			a->names = xreallocarray(a->names, n + 1,
			    sizeof(char *));
			a->names[n] = strbuf_detach(&sb);
			a->like = xreallocarray(a->like, n + 1, sizeof(size_t));
			a->like[n++] = (size_t)(src - in->ps->profiles);
		}
	}
	a->nadded = n;
	return 0;
}

/* the profiles, then the added ones (shallow) */
static int
added_profiles(struct added *a, const struct planner_input *in)
{
	size_t n = in->ps->nprofiles, i;

	a->ps = *in->ps;
	a->ps.profiles = xcalloc(n + a->nadded + 1, sizeof(struct profile));
	memcpy(a->ps.profiles, in->ps->profiles, n * sizeof(struct profile));
	for (i = 0; i < a->nadded; i++) {
		if (profile_set_find(in->ps, a->names[i]) != NULL)
			return error_set(ERROR_DATA, "[add]: the name '%s' is "
			    "taken by a server already", a->names[i]);
		a->ps.profiles[n + i] = in->ps->profiles[a->like[i]];
		a->ps.profiles[n + i].host = a->names[i];
	}
	a->ps.nprofiles = n + a->nadded;
	return 0;
}

/* the inventory rows, then the added ones' (shallow, no current_host) */
static void
added_inventory(struct added *a, const struct planner_input *in)
{
	const struct server_inv *src;
	size_t n = in->inv->nservers, i, k = n;

	a->inv.servers = xcalloc(n + a->nadded + 1, sizeof(struct server_inv));
	memcpy(a->inv.servers, in->inv->servers, n * sizeof(struct
	    server_inv));
	for (i = 0; i < a->nadded; i++) {
		src = inventory_find(in->inv, in->ps->profiles[a->like[i]].host);
		if (src == NULL || inventory_find(in->inv, a->names[i]) != NULL)
			continue;
		a->inv.servers[k] = *src;
		a->inv.servers[k].host = a->names[i];
		a->inv.servers[k++].current_host = no_host;
	}
	a->inv.nservers = k;
	strmap_init(&a->inv.index);
	for (i = 0; i < k; i++)
		strmap_put(&a->inv.index, a->inv.servers[i].host, i, NULL);
	a->in.inv = &a->inv;
}

int
added_make(struct added *a, const struct planner_input *in)
{
	memset(a, 0, sizeof(*a));
	a->in = *in;
	if (in->pol->nadds == 0)
		return 0;
	if (added_names(a, in) == -1 || added_profiles(a, in) == -1)
		return -1;
	a->in.ps = &a->ps;
	if (in->inv != NULL)
		added_inventory(a, in);
	a->in.nadded = a->nadded;
	a->in.added_like = a->like;
	return 0;
}

void
added_release(struct added *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nadded; i++)
		free(a->names[i]);
	free(a->names);
	free(a->like);
	free(a->ps.profiles);
	free(a->inv.servers);
	if (a->in.inv == &a->inv)
		strmap_release(&a->inv.index);
	memset(a, 0, sizeof(*a));
}

void
added_decide(struct candidates *c, const struct planner_input *in,
    struct planner_result *res)
{
	size_t first = in->ps->nprofiles - in->nadded, s, n = 0;
	char why[256] = "";

	for (s = first; s < in->ps->nprofiles; s++) {
		if (c->decision[s] == DECISION_VIRTUALIZE)
			continue;
		if (c->decision[s] == DECISION_KEEP && c->reason[s] != NULL &&
		    strncmp(c->reason[s], "bigger than any host", 20) == 0) {
			planner_infeasible(res, "added server '%s' (like '%s') "
			    "is %s", in->ps->profiles[s].host, in->ps->profiles[
			    in->added_like[s - first]].host, c->reason[s]);
			continue;
		}
		if (n++ == 0)
			snprintf(why, sizeof(why), "%s, like '%s': %s",
			    in->ps->profiles[s].host, in->ps->profiles[
			    in->added_like[s - first]].host, c->reason[s] !=
			    NULL ? c->reason[s] : "?");
		c->decision[s] = DECISION_VIRTUALIZE;
		free(c->reason[s]);
		c->reason[s] = NULL;
	}
	if (n > 0)
		planner_warn(res, "%zu added server%s planned as %s though "
		    "the server%s %s like would not be virtualized (the "
		    "first: %s)", n, n == 1 ? "" : "s", n == 1 ? "a guest" :
		    "guests", n == 1 ? "" : "s", n == 1 ? "it is" : "they are",
		    why);
}
