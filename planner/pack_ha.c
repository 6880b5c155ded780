/*
 * pack_ha.c - N+k and failure domains: does the plan survive its
 * failure scenarios?
 *
 * A scenario is a set of bins failing at once: every set of k bins
 * (N+k), or every failure domain with all its bins.  The guests of the
 * failed bins (largest first) are placed first fit on the bins that
 * survive, whose limits here are the failover limits the caller put in
 * the problem (capacity less [ha] failover_headroom, not the planning
 * headroom: the headroom is the margin a failure uses up), in every time
 * slot, with anti-affinity and zones kept (a guest restarts only on a
 * host of its own zone).  Domain anti-affinity is not kept while a
 * domain is down: that is what the domains are for.  When first fit
 * fails, each failed bin's guests are tried whole on an empty spare of
 * their zone that survives, a spare each: so k spares of a zone, each
 * able to take in any bin of the zone, see the zone through any k
 * failures, whatever first fit does.  The moves are undone before the
 * next scenario, so each check starts from the plan.  Pinned guests may
 * be restarted elsewhere: a pin is a placement preference, not a
 * hardware dependency.
 *
 * Spares are empty bins of a given type, zone and domain appended to the
 * plan's for the check.  Sets of k bins are enumerated, k = 1 always,
 * larger k up to max_sets sets; beyond that the caller must rely on
 * spares alone (pack_failover() says so).
 */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "planner/pack_int.h"

struct ha {
	struct pack_state st;
	size_t *order;		/* items, largest first */
	size_t n;
	bool *down;		/* per bin: failed in this scenario */
	size_t *moved, *from, *to;	/* the moves made, to undo */
	size_t nmoved;
	uint32_t zone;		/* the zone of a guest left with no host */
};

static void
move(struct ha *h, size_t i, size_t to)
{
	h->moved[h->nmoved] = i;
	h->from[h->nmoved] = h->st.bin_of[i];
	h->to[h->nmoved++] = to;
	state_remove(&h->st, h->st.bin_of[i], i);
	state_add(&h->st, to, i);
}

static void
undo(struct ha *h)
{
	while (h->nmoved > 0) {
		h->nmoved--;
		state_remove(&h->st, h->to[h->nmoved], h->moved[h->nmoved]);
		state_add(&h->st, h->from[h->nmoved], h->moved[h->nmoved]);
	}
}

/* the failed bins' guests first fit on the bins up; true when all went */
static bool
first_fit(struct ha *h)
{
	struct pack_state *st = &h->st;
	size_t k, b, i, from;

	for (k = 0; k < h->n; k++) {
		i = h->order[k];
		from = st->bin_of[i];
		if (!h->down[from])
			continue;
		/* out first: the guest may not count against its own host */
		state_remove(st, from, i);
		for (b = 0; b < st->nbins; b++)
			if (!h->down[b] && state_fits(st, b, i))
				break;
		state_add(st, from, i);
		if (b == st->nbins) {
			h->zone = pack_item_zone(st->pb, i);
			return false;
		}
		move(h, i, b);
	}
	return true;
}

/* each failed bin's guests whole on a surviving empty spare of their
 * zone, one spare a bin; true when every failed bin found one */
static bool
to_spares(struct ha *h, size_t nreal)
{
	struct pack_state *st = &h->st;
	bool *taken = xcalloc(st->nbins + 1, sizeof(bool)), ok = true;
	size_t f, e, j, n;

	for (f = 0; f < st->nbins && ok; f++) {
		if (!h->down[f] || (n = st->bins[f].n) == 0)
			continue;
		for (e = nreal; e < st->nbins; e++)
			if (!h->down[e] && !taken[e] && st->bins[e].n == 0 &&
			    st->bins[e].zone == st->bins[f].zone &&
			    state_fits_swap(st, e, NULL, 0, st->bins[f].items, n))
				break;
		if (e == st->nbins) {
			h->zone = st->bins[f].zone;
			ok = false;
			break;
		}
		taken[e] = true;
		for (j = n; j-- > 0;)
			move(h, st->bins[f].items[j], e);
	}
	free(taken);
	return ok;
}

/* the scenario h->down: absorbed?  Undone either way. */
static bool
scenario(struct ha *h, size_t nreal)
{
	bool ok = first_fit(h);

	undo(h);
	if (!ok) {
		ok = to_spares(h, nreal);
		undo(h);
	}
	return ok;
}

/* n choose k, capped at cap + 1 */
static size_t
choose(size_t n, size_t k, size_t cap)
{
	size_t r = 1, i;

	if (k > n)
		return 0;
	for (i = 1; i <= k; i++) {
		r = r * (n - k + i) / i;
		if (r > cap)
			return cap + 1;
	}
	return r;
}

/* every set of k bins; 0, or 1 with out set */
static int
host_sets(struct ha *h, size_t k, size_t nreal, struct pack_failed *out)
{
	size_t idx[PACK_FAIL_MAX], j, nb = h->st.nbins;

	for (j = 0; j < k; j++)
		idx[j] = j;
	for (;;) {
		memset(h->down, 0, nb * sizeof(bool));
		for (j = 0; j < k; j++)
			h->down[idx[j]] = true;
		if (!scenario(h, nreal)) {
			out->nbins = k;
			memcpy(out->bins, idx, k * sizeof(size_t));
			out->zone = h->zone;
			return 1;
		}
		/* the next combination in lexicographic order */
		for (j = k; j-- > 0;)
			if (idx[j] < nb - k + j)
				break;
		if (j == (size_t)-1)
			return 0;
		idx[j]++;
		for (j++; j < k; j++)
			idx[j] = idx[j - 1] + 1;
	}
}

/* every domain; 0, or 1 with out set */
static int
domains(struct ha *h, size_t nreal, struct pack_failed *out)
{
	uint32_t d;
	size_t b;

	for (d = 0; d < h->st.pb->ndomains; d++) {
		for (b = 0; b < h->st.nbins; b++)
			h->down[b] = h->st.bins[b].domain == d;
		if (!scenario(h, nreal)) {
			out->domain = d;
			out->zone = h->zone;
			return 1;
		}
	}
	return 0;
}

/* the plan's bins, then the spares, empty, of their zone and domain */
static void
ha_init(struct ha *h, const struct pack_problem *pb,
    const struct pack_prep *pp, const struct pack_solution *s,
    const struct pack_spare *spares, size_t nspares)
{
	size_t k;

	memset(h, 0, sizeof(*h));
	state_from_solution(&h->st, pb, pp, s);
	for (k = 0; k < nspares; k++)
		state_open_spare(&h->st, spares[k].type, spares[k].zone,
		    spares[k].domain);
	/* the order ignores pins: every guest may move in a failure */
	h->n = pb->nitems;
	h->order = pack_order_all(pp, PACK_SIZE_L1, PACK_WEIGHT_AVG);
	h->down = xcalloc(h->st.nbins + 1, sizeof(bool));
	h->moved = xcalloc(pb->nitems + 1, sizeof(size_t));
	h->from = xcalloc(pb->nitems + 1, sizeof(size_t));
	h->to = xcalloc(pb->nitems + 1, sizeof(size_t));
}

int
pack_failover(const struct pack_problem *pb, const struct pack_solution *s,
    const struct pack_spare *spares, size_t nspares,
    const struct pack_failures *f, struct pack_failed *out)
{
	struct pack_prep *pp = pack_prep_new(pb);
	struct ha h;
	size_t k = f->hosts < PACK_FAIL_MAX ? f->hosts : PACK_FAIL_MAX;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->domain = UINT32_MAX;
	ha_init(&h, pb, pp, s, spares, nspares);
	if (k > h.st.nbins)
		k = h.st.nbins;	/* all of them: no plan survives that */
	if (k > 0) {
		if (k > 1 && choose(h.st.nbins, k, f->max_sets) > f->max_sets)
			ret = 2;
		else
			ret = host_sets(&h, k, s->nbins, out);
	}
	if (ret == 0 && f->domain && pb->ndomains > 1)
		ret = domains(&h, s->nbins, out);
	state_release(&h.st);
	free(h.order);
	free(h.down);
	free(h.moved);
	free(h.from);
	free(h.to);
	pack_prep_free(pp);
	return ret;
}
