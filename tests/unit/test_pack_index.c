/*
 * test_pack_index.c - planner/pack_index.c, the trees that let first
 * fit, best fit and the bin-centric packers skip hosts and guests: on
 * random time-slot instances (some blocks allowing slots over the limit)
 * every host a guest fits, and every guest a host can take, is among
 * those the trees yield, in order, and the trees do skip some; and first
 * fit and best fit through them place every guest where a plain scan
 * over all hosts places it.
 */
#include "testlib.h"

#include <math.h>
#include <stdbool.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "planner/pack.h"
#include "planner/pack_int.h"

#define NITEMS 120
#define NSLOTS 12
#define NRES 3
#define NDIMS (NSLOTS * NRES)
#define TWO_PI 6.283185307179586

struct inst {
	struct pack_problem pb;
	struct pack_block blocks[NRES];
	struct pack_bintype type[2];
	double cap[2][NDIMS], hard[2][NDIMS];
	double demand[NITEMS * NDIMS];
};

static uint64_t rng_state;

static double
rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* guests with a daily-ish curve each, sizes over a wide range; two host
 * types; the second resource may go over on a few slots */
static void
inst_make(struct inst *x, uint64_t seed, bool over)
{
	size_t i, r, t, d;
	double size, phase;

	memset(x, 0, sizeof(*x));
	rng_state = seed;
	for (r = 0; r < NRES; r++)
		x->blocks[r] = (struct pack_block){ r * NSLOTS, NSLOTS,
		    over && r == 1 ? 2 : 0, (int)r };
	for (d = 0; d < NDIMS; d++) {
		x->cap[0][d] = 100;
		x->cap[1][d] = 140;
		x->hard[0][d] = 130;
		x->hard[1][d] = 170;
	}
	for (i = 0; i < NITEMS; i++) {
		size = 2 + 45 * rnd() * rnd();
		phase = rnd() * TWO_PI;
		for (r = 0; r < NRES; r++)
			for (t = 0; t < NSLOTS; t++)
				x->demand[i * NDIMS + r * NSLOTS + t] = size *
				    (0.6 + 0.4 * sin(phase + t * TWO_PI /
				    NSLOTS)) * (r == 2 ? 0.5 : 1);
	}
	x->type[0] = (struct pack_bintype){ .cap = x->cap[0],
	    .hard = x->hard[0], .cost = 1, .available = 3 };
	x->type[1] = (struct pack_bintype){ .cap = x->cap[1],
	    .hard = x->hard[1], .cost = 1.5, .available = PACK_NONE };
	x->pb = (struct pack_problem){ .nitems = NITEMS, .ndims = NDIMS,
	    .demand = x->demand, .blocks = x->blocks, .nblocks = NRES,
	    .types = x->type, .ntypes = 2 };
}

/* a state with some bins part filled, at random */
static void
state_fill(struct pack_state *st, const struct inst *x,
    const struct pack_prep *pp, bool *placed)
{
	size_t i, b;

	assert_int_equal(state_init(st, &x->pb, pp), 0);
	for (i = 0; i < NITEMS; i++) {
		if (rnd() < 0.4)
			continue;
		b = st->nbins > 0 ? (size_t)(rnd() * (double)(st->nbins + 1)) :
		    0;
		if (b < st->nbins && state_fits(st, b, i)) {
			state_add(st, b, i);
			placed[i] = true;
		} else if (b == st->nbins && (b = state_open_for(st, i)) !=
		    PACK_NONE) {
			state_add(st, b, i);
			placed[i] = true;
		}
	}
}

/* one random instance, part packed, with its keys */
struct world {
	struct inst x;
	struct pack_prep *pp;
	struct pack_state st;
	struct pack_keys keys;
	struct pack_tree tr;
	bool placed[NITEMS];
};

static void
world_open(struct world *w, uint64_t seed, bool over)
{
	inst_make(&w->x, seed, over);
	w->pp = pack_prep_new(&w->x.pb);
	memset(w->placed, 0, sizeof(w->placed));
	state_fill(&w->st, &w->x, w->pp, w->placed);
	pack_keys_init(&w->keys, w->pp);
}

static void
world_close(struct world *w)
{
	pack_tree_release(&w->tr);
	pack_keys_release(&w->keys);
	state_release(&w->st);
	pack_prep_free(w->pp);
}

/* Leaves 0..n the tree yields for its query must include every one for
 * which fits(w, leaf) holds; counts the others and the fits. */
static void
check_yield(struct world *w, size_t n, bool (*fits)(struct world *, size_t,
    size_t), size_t arg, size_t *skipped, size_t *nfits)
{
	size_t p, next = pack_tree_next(&w->tr, 0);

	for (p = 0; p < n; p++) {
		*nfits += fits(w, p, arg);
		if (p == next) {
			next = pack_tree_next(&w->tr, p + 1);
			continue;
		}
		(*skipped)++;
		assert_false(fits(w, p, arg));
	}
}

static bool
bin_fits(struct world *w, size_t b, size_t i)
{
	return state_fits(&w->st, b, i);
}

static size_t item_order[NITEMS];	/* the items tree's order */

static bool
item_fits(struct world *w, size_t p, size_t b)
{
	return !w->placed[item_order[p]] && state_fits(&w->st, b,
	    item_order[p]);
}

static void
test_bins_tree_yields_every_fit(void **state)
{
	struct world w;
	size_t seed, i, fits = 0, skipped = 0;

	(void)state;
	for (seed = 1; seed <= 40; seed++) {
		world_open(&w, seed, seed % 2 == 0);
		pack_bins_index(&w.tr, &w.keys, &w.st);
		for (i = 0; i < NITEMS; i++) {
			if (w.placed[i])
				continue;
			pack_bins_query(&w.tr, &w.keys, w.pp, i);
			check_yield(&w, w.st.nbins, bin_fits, i, &skipped,
			    &fits);
		}
		world_close(&w);
	}
	/* it did skip hosts, and there were fits to find */
	assert_true(skipped > 100);
	assert_true(fits > 100);
}

static void
test_items_tree_yields_every_fit(void **state)
{
	struct world w;
	size_t seed, b, p, skipped = 0, fits = 0;

	(void)state;
	for (p = 0; p < NITEMS; p++)
		item_order[p] = (p * 37) % NITEMS;
	for (seed = 100; seed < 140; seed++) {
		world_open(&w, seed, seed % 2 == 1);
		pack_items_index(&w.tr, &w.keys, w.pp, item_order, NITEMS);
		for (p = 0; p < NITEMS; p++)
			if (w.placed[item_order[p]])
				pack_items_take(&w.tr, p);
		for (b = 0; b < w.st.nbins; b++) {
			pack_items_query(&w.tr, &w.keys, &w.st, b);
			check_yield(&w, NITEMS, item_fits, b, &skipped, &fits);
		}
		world_close(&w);
	}
	assert_true(skipped > 100);
	assert_true(fits > 100);
}

/* first fit (best: false) or best fit by the packers' own measures, by
 * a plain scan over every open host */
static void
scan_pack(const struct pack_problem *pb, const struct pack_prep *pp,
    const struct packer *pk, bool best, size_t *bin_of)
{
	struct pack_state st;
	size_t *order, n, k, b, pick, d;
	double score, top, x;

	assert_int_equal(state_init(&st, pb, pp), 0);
	order = pack_order(pp, pk->size, pk->weight, &n);
	for (k = 0; k < n; k++) {
		pick = PACK_NONE;
		top = -1;
		for (b = 0; b < st.nbins; b++) {
			if (!state_fits(&st, b, order[k]))
				continue;
			if (!best) {
				pick = b;
				break;
			}
			for (score = 0, d = 0; d < pb->ndims; d++) {
				x = (st.bins[b].load[d] + pb->demand[order[k] *
				    pb->ndims + d]) * pp->inv_ref[d];
				score += pack_weight(pp, pk->weight, d) * x * x;
			}
			if (score > top) {
				top = score;
				pick = b;
			}
		}
		if (pick == PACK_NONE)
			pick = state_open_for(&st, order[k]);
		assert_true(pick != PACK_NONE);
		state_add(&st, pick, order[k]);
	}
	memcpy(bin_of, st.bin_of, pb->nitems * sizeof(size_t));
	free(order);
	state_release(&st);
}

static void
test_first_and_best_fit_as_a_plain_scan(void **state)
{
	static const char *const names[] = { "ffd-l1-unit", "ffd-l2-avg",
	    "ffd-linf-avg", "bfd-l2load-avg" };
	struct inst x;
	struct pack_prep *pp;
	struct pack_solution s;
	const struct packer *pk;
	size_t want[NITEMS], seed, n, i;

	(void)state;
	for (seed = 7; seed < 27; seed++) {
		inst_make(&x, seed, seed % 3 == 0);
		pp = pack_prep_new(&x.pb);
		for (n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			pk = packer_find(names[n]);
			assert_non_null(pk);
			memset(&s, 0, sizeof(s));
			if (pk->fn(&x.pb, pp, pk, &s) != 0)
				fail_msg("%s: %s", names[n], error_last_msg());
			scan_pack(&x.pb, pp, pk, pk->fn == pack_bfd, want);
			for (i = 0; i < NITEMS; i++)
				assert_int_equal(s.bin_of[i], want[i]);
			if (pack_verify(&x.pb, &s) != 0)
				fail_msg("%s: %s", names[n], error_last_msg());
			pack_solution_release(&s);
		}
		pack_prep_free(pp);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bins_tree_yields_every_fit),
		cmocka_unit_test(test_items_tree_yields_every_fit),
		cmocka_unit_test(test_first_and_best_fit_as_a_plain_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
