/*
 * backtest.c - plan on the past, replay the future: capplan backtest.
 *
 * Three steps, each reading the samples files again (memory holds one
 * profile per server and the judged window's per-guest slots, never a
 * planning window's raw series but in resolution series, as capplan plan
 * does):
 *
 *  1. the window: the span of the samples between from and until, and
 *     the split (given, or split_frac of that span, to the minute);
 *  2. the plan: capplan profile's profile_run() on the samples before the
 *     split, then planner_run(), with the policy, catalog and options of
 *     capplan plan;
 *  3. the replay: every row after the split whose server is a guest is
 *     added to that guest's slot (slots as long as the profiles' most
 *     common interval, from the split): the mean of its rows in the slot,
 *     per resource, CPU in capacity units at the guest's own rating.
 *     Each host's slots are the sums of its guests' means; a slot where
 *     none of its guests reported is not judged.
 *
 * The replay uses nothing of the plan but the placement, the guests'
 * ratings and sized memory, and the hosts' capacities and limits: a
 * sizing that under-estimates shows up here, not in the plan.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/samples.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "model/profile_run.h"
#include "planner/backtest.h"
#include "planner/planner.h"

#define MAX_CELLS 400000000.0	/* guests x resources x slots held */
#define MINUTE_MS 60000

/* ------------------------------------------------------------ result */

static bool
has_line(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void
lines_take(char ***to, size_t *nto, char **from, size_t nfrom)
{
	size_t i;

	*to = xreallocarray(*to, *nto + nfrom + 1, sizeof(char *));
	for (i = 0; i < nfrom; i++)
		if (!has_line(*to, *nto, from[i]))	/* profile's and plan's */
			(*to)[(*nto)++] = xstrdup(from[i]);
}

void
backtest_result_release(struct backtest_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	backtest_release(&res->bt);
	plan_free(res->plan);
	for (i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	for (i = 0; i < res->ninfeasible; i++)
		free(res->infeasible[i]);
	free(res->warnings);
	free(res->infeasible);
	memset(res, 0, sizeof(*res));
}

/* ------------------------------------------------------------ window */

struct span {
	int64_t from, until;	/* the input's window */
	int64_t lo, hi;		/* the samples' span within it */
};

static int
span_row(const struct sample *s, void *ctx)
{
	struct span *sp = ctx;
	int64_t end = s->ts_ms + (int64_t)llround(s->interval_s * 1000);

	if (s->ts_ms < sp->from || s->ts_ms >= sp->until)
		return 0;
	if (s->ts_ms < sp->lo)
		sp->lo = s->ts_ms;
	if (end > sp->hi)
		sp->hi = end;
	return 0;
}

/* from, split and until of bt: the samples' span, split as asked */
static int
window(const struct backtest_input *in, struct backtest *bt)
{
	static const struct samples_ops ops = { NULL, span_row };
	struct span sp = { in->from_ms, in->until_ms, INT64_MAX, INT64_MIN };
	char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN], c[TIME_RFC3339_LEN];
	size_t f;

	for (f = 0; f < in->nsamples; f++)
		if (samples_read(in->samples[f], &ops, &sp, NULL) == -1)
			return -1;
	if (sp.lo >= sp.hi)
		return error_set(ERROR_DATA, "no samples in the window to "
		    "backtest");
	bt->from_ms = sp.lo;
	bt->until_ms = sp.hi < in->until_ms ? sp.hi : in->until_ms;
	bt->split_ms = in->split_ms;
	if (bt->split_ms == INT64_MIN)
		bt->split_ms = sp.lo + (int64_t)((double)(sp.hi - sp.lo) *
		    in->split_frac) / MINUTE_MS * MINUTE_MS;
	if (bt->split_ms <= sp.lo || bt->split_ms >= sp.hi) {
		time_format_rfc3339(bt->split_ms, a);
		time_format_rfc3339(sp.lo, b);
		time_format_rfc3339(sp.hi, c);
		return error_set(ERROR_DATA, "the split %s leaves no samples on "
		    "one side: they run from %s to %s", a, b, c);
	}
	return 0;
}

/* ------------------------------------------------------------ the plan */

/* the profiles' most common interval, in ms; 0 when none */
static int64_t
interval_mode(const struct profile_set *ps)
{
	size_t i, j, n, best = 0;
	int64_t v, mode = 0;

	for (i = 0; i < ps->nprofiles; i++) {
		v = llround(ps->profiles[i].interval_s * 1000);
		for (n = 0, j = 0; j < ps->nprofiles; j++)
			n += llround(ps->profiles[j].interval_s * 1000) == v;
		if (n > best || (n == best && v < mode)) {
			best = n;
			mode = v;
		}
	}
	return mode;
}

static int
profile_past(const struct backtest_input *in, struct backtest_result *res,
    struct profile_set *ps)
{
	struct profile_config cfg;
	struct profile_run run = { 0 };
	int rc;

	profile_config_from_policy(&cfg, in->pol);
	if (in->resolution == RESOLUTION_WEEK)
		cfg.slots = SLOTS_WEEK;
	run.cfg = &cfg;
	run.inv = in->inv;
	run.workers = in->threads;
	run.budget_bytes = PROFILE_RUN_BUDGET_DEFAULT;
	run.windowed = true;
	run.from_ms = in->oracle ? res->bt.split_ms : res->bt.from_ms;
	run.until_ms = in->oracle ? res->bt.until_ms : res->bt.split_ms;
	rc = profile_run(&run, in->samples, in->nsamples, ps);
	lines_take(&res->warnings, &res->nwarnings, run.warnings,
	    run.nwarnings);
	profile_run_release(&run);
	if (rc == 0 && ps->nprofiles == 0)
		rc = error_set(ERROR_DATA, "no server has samples before the "
		    "split");
	return rc;
}

static int
plan_past(const struct backtest_input *in, struct backtest_result *res,
    const struct profile_set *ps)
{
	struct planner_input pin;
	struct planner_result pr;
	int rc;

	memset(&pin, 0, sizeof(pin));
	pin.ps = ps;
	pin.inv = in->inv;
	pin.hc = in->hc;
	pin.pol = in->pol;
	pin.resolution = in->resolution;
	pin.samples = in->samples;
	pin.nsamples = in->nsamples;
	pin.model = in->model;
	pin.packer = in->packer;
	pin.search = in->search;
	pin.time_limit_s = in->time_limit_s;
	pin.threads = in->threads;
	pin.diagnose = true;
	pin.windowed = true;
	pin.from_ms = in->oracle ? res->bt.split_ms : res->bt.from_ms;
	pin.until_ms = in->oracle ? res->bt.until_ms : res->bt.split_ms;
	pin.cpu_margin = in->cpu_margin;
	rc = planner_run(&pin, &pr);
	lines_take(&res->warnings, &res->nwarnings, pr.warnings, pr.nwarnings);
	lines_take(&res->infeasible, &res->ninfeasible, pr.infeasible,
	    pr.ninfeasible);
	if (rc == 0) {
		res->plan = pr.plan;
		pr.plan = NULL;
	}
	planner_result_release(&pr);
	return rc;
}

/* ------------------------------------------------------------ replay */

struct replay {
	const struct plan *plan;
	struct strmap guests;	/* name -> guest index */
	struct strmap seen;	/* servers with rows after the split */
	size_t nseen, nseen_guests;
	int64_t split_ms, until_ms, step_ms;
	size_t nslots;
	float *sum;		/* guests x RES_N x nslots */
	unsigned short *cnt;	/* the same: rows added */
};

static size_t
cell(const struct replay *rp, size_t g, int r, size_t k)
{
	return (g * RES_N + (size_t)r) * rp->nslots + k;
}

/* a + b when either is measured, NaN when neither */
static double
pair(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a + b;
}

static int
replay_row(const struct sample *s, void *ctx)
{
	struct replay *rp = ctx;
	const struct plan_guest *g;
	double v[RES_N];
	size_t gi, k, c;
	int r;

	if (s->ts_ms < rp->split_ms || s->ts_ms >= rp->until_ms)
		return 0;
	if (strmap_put(&rp->seen, s->host, 0, NULL)) {
		rp->nseen++;
		rp->nseen_guests += strmap_get(&rp->guests, s->host, &gi);
	}
	if (!strmap_get(&rp->guests, s->host, &gi))
		return 0;
	g = &rp->plan->guests[gi];
	k = (size_t)((s->ts_ms - rp->split_ms) / rp->step_ms);
	v[RES_CPU] = s->v[METRIC_CPU_BUSY_PCT] / 100 * g->cpu_rating;
	v[RES_MEM] = s->v[METRIC_MEM_USED_MIB];
	v[RES_DISK_IOPS] = pair(s->v[METRIC_DISK_READ_IOPS],
	    s->v[METRIC_DISK_WRITE_IOPS]);
	v[RES_DISK_KIBPS] = pair(s->v[METRIC_DISK_READ_KIBPS],
	    s->v[METRIC_DISK_WRITE_KIBPS]);
	v[RES_NET_KIBPS] = pair(s->v[METRIC_NET_RX_KIBPS],
	    s->v[METRIC_NET_TX_KIBPS]);
	for (r = 0; r < RES_N; r++) {
		c = cell(rp, gi, r, k);
		if (isnan(v[r]) || rp->cnt[c] == 0xffff)
			continue;
		rp->sum[c] += (float)v[r];
		rp->cnt[c]++;
	}
	return 0;
}

/* the guest's mean of resource r in slot k, NaN when it has no row */
static double
mean_of(const struct replay *rp, size_t g, int r, size_t k)
{
	size_t c = cell(rp, g, r, k);

	return rp->cnt[c] > 0 ? rp->sum[c] / rp->cnt[c] : NAN;
}

static int
replay_open(struct replay *rp, const struct plan *p, const struct backtest *bt,
    int64_t step_ms)
{
	size_t i;

	memset(rp, 0, sizeof(*rp));
	rp->plan = p;
	rp->split_ms = bt->split_ms;
	rp->until_ms = bt->until_ms;
	rp->step_ms = step_ms > 0 ? step_ms : 300000;
	rp->nslots = (size_t)((bt->until_ms - bt->split_ms + rp->step_ms - 1) /
	    rp->step_ms);
	strmap_init(&rp->guests);
	strmap_init(&rp->seen);
	if ((double)p->nguests * RES_N * (double)rp->nslots > MAX_CELLS)
		return error_set(ERROR_DATA, "the judged window is %zu slots of "
		    "%g s for %zu guests, more than this backtest holds: "
		    "judge a shorter window (--until)", rp->nslots,
		    (double)rp->step_ms / 1000, p->nguests);
	for (i = 0; i < p->nguests; i++)
		strmap_put(&rp->guests, p->guests[i].name, i, NULL);
	rp->sum = xcalloc(p->nguests * RES_N * rp->nslots + 1, sizeof(float));
	rp->cnt = xcalloc(p->nguests * RES_N * rp->nslots + 1,
	    sizeof(unsigned short));
	return 0;
}

static void
replay_close(struct replay *rp)
{
	strmap_release(&rp->guests);
	strmap_release(&rp->seen);
	free(rp->sum);
	free(rp->cnt);
}

/* ------------------------------------------------------------ judging */

/* the host's sum per resource in slot k; false when no guest reported */
static bool
host_slot(const struct replay *rp, const struct plan_host *h, size_t k,
    double agg[RES_N])
{
	bool any = false;
	double m;
	size_t i;
	int r;

	for (r = 0; r < RES_N; r++)
		agg[r] = 0;
	for (i = 0; i < h->nguests; i++)
		for (r = 0; r < RES_N; r++)
			if (!isnan(m = mean_of(rp, h->guests[i], r, k))) {
				agg[r] += m;
				any = true;
			}
	return any;
}

/* guests of h above their sized memory in slot k */
static void
memory_slot(const struct replay *rp, const struct plan_host *h, size_t k,
    struct backtest_host *bh)
{
	const struct plan_guest *g;
	double m;
	size_t i;

	for (i = 0; i < h->nguests; i++) {
		g = &rp->plan->guests[h->guests[i]];
		m = mean_of(rp, h->guests[i], RES_MEM, k);
		if (!(m > g->mem_mib))
			continue;
		bh->mem_over_committed++;
		if (!(m - g->mem_mib <= bh->mem_over_committed_max_mib))
			bh->mem_over_committed_max_mib = m - g->mem_mib;
	}
}

static void
judge_slot(struct backtest_host *bh, const double agg[RES_N])
{
	bool over = false, full = false;
	struct backtest_res *x;
	int r;

	bh->slots++;
	for (r = 0; r < RES_N; r++) {
		x = &bh->res[r];
		if (!x->judged)
			continue;
		if (!(agg[r] <= x->peak))
			x->peak = agg[r];
		if (agg[r] > x->limit * (1 + 1e-9)) {
			x->over_limit++;
			over = true;
		}
		if (agg[r] > x->capacity * (1 + 1e-9)) {
			x->over_capacity++;
			full = true;
		}
	}
	bh->over_limit += over;
	bh->over_capacity += full;
}

static void
judge_host(const struct replay *rp, const struct plan_host *h,
    struct backtest_host *bh)
{
	double agg[RES_N];
	size_t k;
	int r;

	bh->name = xstrdup(h->name);
	bh->model = xstrdup(h->model);
	bh->nguests = h->nguests;
	bh->mem_over_committed_max_mib = NAN;
	for (r = 0; r < RES_N; r++) {
		bh->res[r].judged = rp->plan->planned[r] &&
		    isfinite(h->capacity[r]) && h->capacity[r] > 0;
		bh->res[r].capacity = h->capacity[r];
		bh->res[r].limit = h->limit[r];
		bh->res[r].peak = NAN;
		bh->res[r].predicted_pct = bh->res[r].predicted_gauss_pct = NAN;
	}
	bh->res[RES_CPU].predicted_pct = h->contention.overload_pct;
	bh->res[RES_CPU].predicted_gauss_pct = h->contention.overload_gauss_pct;
	for (k = 0; k < rp->nslots; k++) {
		if (!host_slot(rp, h, k, agg))
			continue;
		judge_slot(bh, agg);
		memory_slot(rp, h, k, bh);
	}
}

static void
totals(struct backtest *bt)
{
	const struct backtest_host *h;
	double p;
	size_t i;
	int r;

	for (r = 0; r < RES_N; r++)
		bt->res_peak_pct[r] = NAN;
	for (i = 0; i < bt->nhosts; i++) {
		h = &bt->hosts[i];
		bt->host_slots += h->slots;
		bt->over_limit += h->over_limit;
		bt->over_capacity += h->over_capacity;
		bt->mem_over_committed += h->mem_over_committed;
		for (r = 0; r < RES_N; r++) {
			if (!h->res[r].judged)
				continue;
			bt->res_over_limit[r] += h->res[r].over_limit;
			bt->res_over_capacity[r] += h->res[r].over_capacity;
			p = 100 * h->res[r].peak / h->res[r].capacity;
			if (isfinite(p) && !(p <= bt->res_peak_pct[r]))
				bt->res_peak_pct[r] = p;
			else if (isnan(bt->res_peak_pct[r]))
				bt->res_peak_pct[r] = 0;
		}
	}
}

/* coverage of the guests' slots, and the servers not placed */
static void
coverage(const struct replay *rp, struct backtest *bt)
{
	size_t g, k;
	bool any;

	for (g = 0; g < rp->plan->nguests; g++)
		for (k = 0; k < rp->nslots; k++) {
			any = rp->cnt[cell(rp, g, RES_CPU, k)] > 0 ||
			    rp->cnt[cell(rp, g, RES_MEM, k)] > 0;
			bt->guest_slots++;
			bt->guest_slots_missing += !any;
		}
	bt->servers = rp->nseen;
	bt->guests = rp->nseen_guests;
	bt->unplaced = rp->nseen - rp->nseen_guests;
}

static int
judge(const struct backtest_input *in, struct backtest_result *res,
    int64_t step_ms)
{
	static const struct samples_ops ops = { NULL, replay_row };
	const struct plan *p = res->plan;
	struct backtest *bt = &res->bt;
	struct replay rp;
	size_t f, i;
	int ret = -1;

	if (replay_open(&rp, p, bt, step_ms) == -1)
		goto out;
	for (f = 0; f < in->nsamples; f++)
		if (samples_read(in->samples[f], &ops, &rp, NULL) == -1)
			goto out;
	bt->slot_s = (double)rp.step_ms / 1000;
	bt->hosts = xcalloc(p->nhosts + 1, sizeof(*bt->hosts));
	for (i = 0; i < p->nhosts; i++)
		if (!p->hosts[i].spare)
			judge_host(&rp, &p->hosts[i], &bt->hosts[bt->nhosts++]);
	totals(bt);
	coverage(&rp, bt);
	ret = 0;
out:
	replay_close(&rp);
	return ret;
}

/* ------------------------------------------------------------ run */

static void
describe(const struct backtest_input *in, struct backtest_result *res)
{
	const struct plan *p = res->plan;

	res->bt.version = BACKTEST_VERSION;
	res->bt.resolution = xstrdup(p->resolution);
	res->bt.sizing = p->sizing != NULL ? xstrdup(p->sizing) : NULL;
	res->bt.target_pct = in->pol->target_overload_pct > 0 ?
	    in->pol->target_overload_pct : NAN;
	res->bt.spares = p->spare_hosts;
	res->bt.oracle = in->oracle;
	res->bt.plan_cost_per_year = p->cost_per_year;
}

int
backtest_run(const struct backtest_input *in, struct backtest_result *res)
{
	struct profile_set ps = { 0 };
	int64_t step_ms;
	int rc;

	memset(res, 0, sizeof(*res));
	if (window(in, &res->bt) == -1 || profile_past(in, res, &ps) == -1) {
		profile_set_release(&ps);
		return -1;
	}
	step_ms = interval_mode(&ps);
	rc = plan_past(in, res, &ps);
	profile_set_release(&ps);
	if (rc != 0)
		return rc;
	describe(in, res);
	return judge(in, res, step_ms);
}
