/*
 * storage.c - disk GiB as a packing dimension ([storage], [headroom]
 * storage).
 *
 * A guest takes on its host's storage what [storage] size says: its
 * allocated disk (the inventory's disk_gib: a thick image, the default)
 * or its used disk (disk_used_gib) plus used_margin (a thin image, which
 * grows).  When that figure is missing the other one stands in, and with
 * neither [storage] assumed_gib does; each fallback is a warning, and a
 * virtualized server with no figure at all is refused (never 0 GiB).
 * A host's usable storage is the catalog's storage_gib, less the
 * headroom; a model with none is not limited.
 *
 * Storage is planned when some catalog model has storage_gib and some
 * server has a disk figure; when only one side has figures, a warning
 * says why it is not.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "planner/planner.h"

static bool
catalog_has_storage(const struct hostcat *hc)
{
	size_t m;

	for (m = 0; m < hc->nmodels; m++)
		if (isfinite(hc->models[m].storage_gib))
			return true;
	return false;
}

/* server s's size by the policy, its source; NaN when neither figure */
static double
server_storage(const struct server_inv *inv, const struct policy *pol,
    unsigned char *src)
{
	bool used;
	double gib = policy_storage_gib(pol, inv, &used);

	*src = used ? STORAGE_SOURCE_USED : STORAGE_SOURCE_ALLOCATED;
	return gib;
}

void
storage_size(struct demand *d, const struct planner_input *in,
    struct planner_result *res)
{
	const struct server_inv *inv;
	bool catalog = catalog_has_storage(in->hc), known = false;
	size_t s;

	d->storage_gib = xcalloc(d->nservers + 1, sizeof(double));
	d->storage_source = xcalloc(d->nservers + 1, 1);
	for (s = 0; s < d->nservers; s++) {
		inv = in->inv != NULL ? inventory_find(in->inv,
		    in->ps->profiles[s].host) : NULL;
		d->storage_gib[s] = server_storage(inv, in->pol,
		    &d->storage_source[s]);
		if (d->grow != NULL && !isnan(d->grow[s * GROWTH_N +
		    GROWTH_STORAGE]))
			d->storage_gib[s] *= d->grow[s * GROWTH_N +
			    GROWTH_STORAGE];
		known = known || !isnan(d->storage_gib[s]);
	}
	d->storage = catalog && known;
	if (catalog && !known)
		planner_warn(res, "storage not planned: the host catalog has "
		    "storage_gib but no server has a disk size (disk_gib or "
		    "disk_used_gib in the inventory, -i)");
	else if (!catalog && known)
		planner_warn(res, "storage not planned: the servers have disk "
		    "sizes but no host model in the catalog has storage_gib");
}

/* the servers to virtualize by source (STORAGE_SOURCE_N: none), named */
static void
storage_list(const struct demand *d, const struct planner_input *in,
    const enum plan_decision *decision, struct strbuf *sb, size_t *n)
{
	unsigned char want = in->pol->storage_size == STORAGE_USED ?
	    STORAGE_SOURCE_USED : STORAGE_SOURCE_ALLOCATED;
	size_t s, k;

	for (s = 0; s < d->nservers; s++) {
		if (decision[s] != DECISION_VIRTUALIZE)
			continue;
		k = isnan(d->storage_gib[s]) ? STORAGE_SOURCE_N :
		    d->storage_source[s];
		if (k != want)
			planner_names_add(&sb[k], &n[k],
			    in->ps->profiles[s].host);
	}
}

/* the fallback size of the servers with none */
static void
storage_assume(struct demand *d, const struct planner_input *in,
    const enum plan_decision *decision)
{
	size_t s;

	for (s = 0; s < d->nservers; s++)
		if (decision[s] == DECISION_VIRTUALIZE &&
		    isnan(d->storage_gib[s])) {
			d->storage_gib[s] = in->pol->storage_assumed_gib;
			d->storage_source[s] = STORAGE_SOURCE_ASSUMED;
		}
}

int
storage_check(struct demand *d, const struct planner_input *in,
    const enum plan_decision *decision, struct planner_result *res)
{
	struct strbuf sb[STORAGE_SOURCE_N + 1];
	size_t n[STORAGE_SOURCE_N + 1] = { 0 }, k;
	const char *other;
	int ret = 0;

	if (!d->storage)
		return 0;
	for (k = 0; k <= STORAGE_SOURCE_N; k++)
		strbuf_init(&sb[k]);
	storage_list(d, in, decision, sb, n);
	other = in->pol->storage_size == STORAGE_USED ?
	    "their allocated disk (disk_gib), as no used disk is known" :
	    "their used disk (disk_used_gib) plus [storage] used_margin, as "
	    "no allocated disk is known";
	if (n[STORAGE_SOURCE_N] > 0 && in->pol->storage_assumed_gib <= 0)
		ret = error_set(ERROR_DATA, "the disk size of %zu server%s is "
		    "not known (no disk_gib or disk_used_gib in the inventory): "
		    "%s; give it in the inventory (-i), or set [storage] "
		    "assumed_gib", n[STORAGE_SOURCE_N], n[STORAGE_SOURCE_N] ==
		    1 ? "" : "s", sb[STORAGE_SOURCE_N].buf);
	else if (n[STORAGE_SOURCE_N] > 0) {
		storage_assume(d, in, decision);
		planner_warn(res, "disk size not known, so storage sized at "
		    "[storage] assumed_gib = %g GiB, an assumption: %zu server%s:"
		    " %s", in->pol->storage_assumed_gib, n[STORAGE_SOURCE_N],
		    n[STORAGE_SOURCE_N] == 1 ? "" : "s",
		    sb[STORAGE_SOURCE_N].buf);
	}
	k = in->pol->storage_size == STORAGE_USED ? STORAGE_SOURCE_ALLOCATED :
	    STORAGE_SOURCE_USED;
	if (ret == 0 && n[k] > 0)
		planner_warn(res, "storage sized at %s: %zu server%s: %s", other,
		    n[k], n[k] == 1 ? "" : "s", sb[k].buf);
	for (k = 0; k <= STORAGE_SOURCE_N; k++)
		strbuf_release(&sb[k]);
	return ret;
}
