/*
 * pack_ha.c - N+1: does the plan survive the loss of any one host?
 *
 * For each host in turn, its guests (largest first) are placed first-fit
 * on the other hosts, whose limits here are the failover limits the
 * caller put in the problem (capacity less [ha] failover_headroom, not
 * the planning headroom: the headroom is the margin a failure uses up),
 * in every time slot and with anti-affinity and zones kept (a guest
 * restarts only on a host of its own zone).  Pinned guests may be
 * restarted elsewhere too: a pin is a placement preference, not a
 * hardware dependency.  The moves are undone before the next host is
 * tried, so each check starts from the plan.
 */
#include <stdlib.h>

#include "common/xalloc.h"
#include "planner/pack_int.h"

/* place h's guests elsewhere; true when all found a host; undone after */
static bool
absorb(struct pack_state *st, size_t h, const size_t *order, size_t n)
{
	size_t *moved = xcalloc(n + 1, sizeof(size_t)), *to, k, b, i, m = 0;
	bool ok = true;

	to = xcalloc(n + 1, sizeof(size_t));
	for (k = 0; k < n && ok; k++) {
		i = order[k];
		if (st->bin_of[i] != h)
			continue;
		state_remove(st, h, i);
		for (b = 0; b < st->nbins; b++)
			if (b != h && state_fits(st, b, i))
				break;
		if (b == st->nbins) {
			state_add(st, h, i);
			ok = false;
			break;
		}
		state_add(st, b, i);
		moved[m] = i;
		to[m++] = b;
	}
	while (m > 0) {
		m--;
		state_remove(st, to[m], moved[m]);
		state_add(st, h, moved[m]);
	}
	free(moved);
	free(to);
	return ok;
}

int
pack_failover(const struct pack_problem *pb, const struct pack_solution *s,
    const bool *skip_zone, size_t *failed)
{
	struct pack_prep *pp = pack_prep_new(pb);
	struct pack_state st;
	size_t *order, n, h;
	int ret = 0;

	/* the order ignores pins: every guest may move in a failure */
	order = pack_order(pp, PACK_SIZE_L1, PACK_WEIGHT_AVG, &n);
	if (n < pb->nitems) {
		free(order);
		order = xcalloc(pb->nitems + 1, sizeof(size_t));
		for (h = 0; h < pb->nitems; h++)
			order[h] = h;
		n = pb->nitems;
	}
	state_from_solution(&st, pb, pp, s);
	for (h = 0; h < st.nbins; h++)
		if (st.bins[h].n > 0 && !(skip_zone != NULL &&
		    skip_zone[st.bins[h].zone]) && !absorb(&st, h, order, n)) {
			*failed = h;
			ret = 1;
			break;
		}
	state_release(&st);
	free(order);
	pack_prep_free(pp);
	return ret;
}
