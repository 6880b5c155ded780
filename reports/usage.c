/*
 * usage.c - the before side's measured load, hour by hour, from samples.
 *
 * Each samples file is streamed once (common/samples.h).  For every row
 * of an assessed server, its power is taken at that row's CPU busy
 * fraction (its own model: inventory idle/max, flat or class curve) and
 * added to the hour of day (UTC) the row starts in; a server's power in
 * an hour is the mean of its rows there, and its yearly energy the mean
 * of its 24 hours (so an hour sampled more often does not weigh more).
 * Power is taken per row, not at the mean load, because a curve is not
 * a straight line.  Rows without CPU busy are skipped; hours with no
 * rows take the mean of the others; a server with no rows at all stays
 * at its idle (or flat) power, which understates the saving, never
 * overstates it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/samples.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "reports/report_int.h"

struct usage_acc {
	double sum_w[REPORT_HOURS];
	size_t n[REPORT_HOURS];
	double util_sum;
	size_t rows;
	int64_t first_ms, end_ms;
	double covered_s;
};

struct usage_ctx {
	struct report *r;
	struct usage_acc *acc;		/* one per server */
	size_t matched;			/* rows of the current file used */
};

/* the hour of day of ts_ms in [sizing] timezone */
static int
hour_of(int64_t ts_ms)
{
	int64_t local = tz_local_ms(ts_ms);
	int64_t h = (local / 3600000) % REPORT_HOURS;

	if (local < 0 && local % 3600000 != 0)
		h--;
	return (int)(h < 0 ? h + REPORT_HOURS : h);
}

static int
usage_row(const struct sample *s, void *ctx)
{
	struct usage_ctx *c = ctx;
	struct report_server *sv = report_server_find(c->r, s->host);
	double u = s->v[METRIC_CPU_BUSY_PCT] / 100.0;
	struct usage_acc *a;
	int64_t end;
	int h;

	if (sv == NULL || !isfinite(u))
		return 0;
	a = &c->acc[sv - c->r->servers];
	h = hour_of(s->ts_ms);
	a->sum_w[h] += server_power_w(&sv->power, u);
	a->n[h]++;
	a->util_sum += u;
	end = s->ts_ms + (int64_t)llround(s->interval_s * 1000.0);
	if (a->rows == 0 || s->ts_ms < a->first_ms)
		a->first_ms = s->ts_ms;
	if (a->rows == 0 || end > a->end_ms)
		a->end_ms = end;
	a->covered_s += s->interval_s;
	a->rows++;
	c->matched++;
	return 0;
}

static void
usage_apply(struct report_server *s, const struct usage_acc *a)
{
	double span_s = (double)(a->end_ms - a->first_ms) / 1000.0;
	double sum = 0.0;
	size_t k = 0;
	int h;

	for (h = 0; h < REPORT_HOURS; h++)
		if (a->n[h] > 0) {
			s->hour_w[h] = a->sum_w[h] / (double)a->n[h];
			sum += s->hour_w[h];
			k++;
		}
	/* rows > 0, so k > 0; hours with no rows take the mean of the rest */
	sum /= (double)k;
	for (h = 0; h < REPORT_HOURS; h++)
		if (a->n[h] == 0)
			s->hour_w[h] = sum;
	s->mean_w = sum;
	s->nsamples = a->rows;
	s->util_mean_pct = 100.0 * a->util_sum / (double)a->rows;
	s->coverage = span_s > 0.0 ? fmin(1.0, a->covered_s / span_s) : 1.0;
}

int
report_usage_read(struct report *r, const char *const *paths, size_t npaths)
{
	static const struct samples_ops ops = { NULL, usage_row };
	struct usage_ctx c;
	size_t i;
	int ret = -1;

	c.r = r;
	c.acc = xcalloc(r->nservers + 1, sizeof(*c.acc));
	for (i = 0; i < npaths; i++) {
		c.matched = 0;
		if (samples_read(paths[i], &ops, &c, NULL) == -1)
			goto out;
		if (c.matched == 0)
			r->samples_unmatched++;
	}
	for (i = 0; i < r->nservers; i++)
		if (c.acc[i].rows > 0)
			usage_apply(&r->servers[i], &c.acc[i]);
	ret = 0;
out:
	free(c.acc);
	return ret;
}
