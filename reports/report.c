/*
 * report.c - from a plan to every figure of the report.
 *
 * Before: every assessed server (virtualized, kept or retired) as it runs
 * now, at its power model (a guest of an existing host is no machine of
 * its own: its host is counted instead) (model/cost.h: inventory idle/max, else the
 * policy's flat figure, else a class curve) and its measured CPU load
 * hour by hour when samples are given (usage.c), and the existing hosts
 * at their planned load.  After: the plan's hosts at their 11-point
 * curves at the predicted load of each slot (an existing host with no
 * purchase: it is sunk), plus the kept servers unchanged; retired
 * servers are gone.  Only servers that are not guests already migrate.  Money is then a
 * function of the cost parameters alone (report_money_compute), which is
 * what lets the sensitivity table re-run it with one figure changed.
 *
 * Two views of money, both printed: the amortised view (purchase spread
 * per year, CRF) for the per-year and horizon totals, and the cash view
 * (purchase paid when made, and again after amortisation_years) for the
 * payback month and the cumulative cash line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "reports/report_int.h"

static int
server_cmp(const void *a, const void *b)
{
	const struct report_server *x = a, *y = b;

	return strcmp(x->name, y->name);
}

struct report_server *
report_server_find(struct report *r, const char *name)
{
	struct report_server key;

	key.name = name;
	return bsearch(&key, r->servers, r->nservers, sizeof(key), server_cmp);
}

int
report_slot_hour(const struct plan *p, size_t t)
{
	double slot_s = isfinite(p->slot_s) && p->slot_s > 0 ? p->slot_s :
	    3600.0;
	long long base = 0, sec, h;

	/* a series slot is a moment: its local hour; hour and week slots
	 * are local hours already (capplan profile) */
	if (p->resolution != NULL && strcmp(p->resolution, "series") == 0) {
		base = (long long)(p->start_ms / 1000);
		sec = base + (long long)((double)t * slot_s);
		sec = (long long)(tz_local_ms((int64_t)sec * 1000) / 1000);
	} else
		sec = (long long)((double)t * slot_s);
	h = (sec / 3600) % REPORT_HOURS;
	return (int)(h < 0 ? h + REPORT_HOURS : h);
}

/* hours with no value take the mean of the others; returns that mean */
static double
hours_fill(double *hour, const size_t *n)
{
	double sum = 0.0;
	size_t k = 0;
	int h;

	for (h = 0; h < REPORT_HOURS; h++)
		if (n[h] > 0) {
			sum += hour[h];
			k++;
		}
	sum = k > 0 ? sum / (double)k : 0.0;
	for (h = 0; h < REPORT_HOURS; h++)
		if (n[h] == 0)
			hour[h] = sum;
	return sum;
}

static void
server_fill(struct report_server *s, const struct report_inputs *in,
    const struct cost_params *cp)
{
	int h;

	s->inv = in->inv != NULL ? inventory_find(in->inv, s->name) : NULL;
	server_power_init(&s->power, s->inv, cp);
	s->coverage = NAN;
	s->util_mean_pct = NAN;
	/* no samples: idle (or the flat figure) until usage.c says more */
	s->mean_w = server_power_w(&s->power, NAN);
	for (h = 0; h < REPORT_HOURS; h++)
		s->hour_w[h] = s->mean_w;
}

static void
servers_collect(struct report *r, const struct report_inputs *in)
{
	const struct plan *p = in->plan;
	const struct plan_host *h;
	struct report_server *s;
	size_t i;

	r->servers = xcalloc(p->nguests + p->nservers + 1, sizeof(*s));
	for (i = 0; i < p->nguests; i++) {
		s = &r->servers[r->nservers++];
		s->name = p->guests[i].name;
		s->decision = DECISION_VIRTUALIZE;
		h = plan_guest_host(p, &p->guests[i]);
		s->host = h != NULL ? h->name : NULL;
		/* a guest of an existing host, or a planned workload: no
		 * machine of its own today */
		s->vm = p->guests[i].current_host != NULL ||
		    p->guests[i].like != NULL;
	}
	for (i = 0; i < p->nservers; i++) {
		s = &r->servers[r->nservers++];
		s->name = p->servers[i].name;
		s->decision = p->servers[i].decision;
		s->reason = p->servers[i].reason;
	}
	array_sort(r->servers, r->nservers, sizeof(*s), server_cmp);
	for (i = 0; i < r->nservers; i++) {
		server_fill(&r->servers[i], in, &r->cp);
		r->power_source_count[r->servers[i].power.source]++;
		r->nvm += r->servers[i].vm;
		if (r->servers[i].decision == DECISION_VIRTUALIZE)
			r->nvirtualized++;
		else if (r->servers[i].decision == DECISION_KEEP)
			r->nkept++;
		else
			r->nretired++;
	}
}

/* the host's CPU utilisation (0-1) in slot t */
static double
host_util(const struct plan_host *ph, const struct host_model *hm,
    const struct plan *p, size_t t)
{
	double cap = ph->capacity[RES_CPU];
	double d;

	if (!(cap > 0.0))
		cap = hm->cpu_rating;
	if (ph->profile[RES_CPU] != NULL && t < p->nslots)
		d = ph->profile[RES_CPU][t];
	else
		d = ph->mean[RES_CPU];	/* no profile: its mean, or idle */
	return isfinite(d) && d > 0.0 ? d / cap : 0.0;
}

static void
host_power(struct report_host *h, const struct plan *p)
{
	double sum_w[REPORT_HOURS] = { 0 }, sum_u[REPORT_HOURS] = { 0 };
	size_t cnt[REPORT_HOURS] = { 0 };
	size_t n = p->nslots > 0 ? p->nslots : 1, t;
	double u, w, tot_w = 0.0, tot_u = 0.0;
	int hr;

	h->util_peak_pct = 0.0;
	for (t = 0; t < n; t++) {
		u = host_util(h->ph, h->hm, p, t);
		w = power_curve_w(h->hm->power_w, u);
		hr = n == 1 ? 0 : report_slot_hour(p, t);
		sum_w[hr] += w;
		sum_u[hr] += u;
		cnt[hr]++;
		tot_w += w;
		tot_u += u;
		if (100.0 * u > h->util_peak_pct)
			h->util_peak_pct = 100.0 * u;
	}
	for (hr = 0; hr < REPORT_HOURS; hr++)
		if (cnt[hr] > 0) {
			h->hour_w[hr] = sum_w[hr] / (double)cnt[hr];
			h->hour_util_pct[hr] = 100.0 * sum_u[hr] /
			    (double)cnt[hr];
		}
	hours_fill(h->hour_w, cnt);
	hours_fill(h->hour_util_pct, cnt);
	h->mean_w = tot_w / (double)n;
	h->util_mean_pct = 100.0 * tot_u / (double)n;
}

static int
hosts_collect(struct report *r, const struct report_inputs *in)
{
	const struct plan *p = in->plan;
	struct report_host *h;
	size_t i;

	r->hosts = xcalloc(p->nhosts + 1, sizeof(*h));
	for (i = 0; i < p->nhosts; i++) {
		h = &r->hosts[r->nhosts];
		h->ph = &p->hosts[i];
		h->hm = hostcat_find(in->hc, h->ph->model);
		if (h->hm == NULL)
			return error_set(ERROR_DATA, "%s: host '%s' is a '%s', "
			    "which the host catalog '%s' does not list",
			    in->plan_path, h->ph->name, h->ph->model,
			    in->hosts_path);
		if (h->ph->existing) {	/* bought already: price sunk */
			h->sunk = *h->hm;
			h->sunk.price = 0;
			h->hm = &h->sunk;
		}
		host_power(h, p);
		r->nspares += h->ph->spare;
		r->nhosts++;
	}
	return 0;
}

static double
server_units(const struct report_server *s, const struct cost_params *cp)
{
	if (s->inv != NULL && isfinite(s->inv->rack_units) &&
	    s->inv->rack_units > 0.0)
		return s->inv->rack_units;
	return cp->server_rack_units;
}

static void
side_add(struct report_side *side, const double *hour_w, double mean_w,
    double units)
{
	int h;

	side->machines += 1.0;
	for (h = 0; h < REPORT_HOURS; h++)
		side->hour_w[h] += hour_w[h];
	side->mean_w += mean_w;
	side->rack_units += units;
}

static void
side_finish(struct report_side *side, const struct cost_params *cp)
{
	int h;

	side->peak_w = 0.0;
	for (h = 0; h < REPORT_HOURS; h++)
		if (side->hour_w[h] > side->peak_w)
			side->peak_w = side->hour_w[h];
	side->racks = racks_for_units(cp, side->rack_units);
}

static void
sides_compute(struct report *r)
{
	const struct report_server *s;
	const struct report_host *h;
	size_t i;

	for (i = 0; i < r->nservers; i++) {
		s = &r->servers[i];
		if (s->vm)
			continue;	/* its existing host is counted */
		side_add(&r->before, s->hour_w, s->mean_w,
		    server_units(s, &r->cp));
		if (s->decision == DECISION_KEEP)
			side_add(&r->after, s->hour_w, s->mean_w,
			    server_units(s, &r->cp));
	}
	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		side_add(&r->after, h->hour_w, h->mean_w, h->hm->rack_units);
		if (h->ph->existing)
			side_add(&r->before, h->hour_w, h->mean_w,
			    h->hm->rack_units);
	}
	side_finish(&r->before, &r->cp);
	side_finish(&r->after, &r->cp);
}

static void
breakdown_add(struct cost_breakdown *to, const struct cost_breakdown *b,
    double times)
{
	int c;

	for (c = 0; c < COST_N; c++)
		to->v[c] += b->v[c] * times;
}

void
report_money_compute(const struct report *r, const struct cost_params *cp,
    struct report_money *m)
{
	struct cost_breakdown b;
	double price = 0.0, after_running;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < r->nservers; i++) {
		if (r->servers[i].vm)
			continue;
		server_cost_per_year(cp, r->servers[i].inv,
		    r->servers[i].mean_w, &b);
		breakdown_add(&m->before_year, &b, 1.0);
		if (r->servers[i].decision == DECISION_KEEP)
			breakdown_add(&m->after_year, &b, 1.0);
	}
	for (i = 0; i < r->nhosts; i++) {
		host_cost_at_power(cp, r->hosts[i].hm, r->hosts[i].mean_w, &b);
		breakdown_add(&m->after_year, &b, 1.0);
		if (r->hosts[i].ph->existing)
			breakdown_add(&m->before_year, &b, 1.0);
		price += r->hosts[i].hm->price;
	}
	m->migration = (double)(r->nvirtualized - r->nvm) *
	    cp->migration_per_server;
	m->purchase = price * cp->price_factor;
	breakdown_add(&m->before_total, &m->before_year, cp->horizon_years);
	breakdown_add(&m->after_total, &m->after_year, cp->horizon_years);
	m->after_total.v[COST_MIGRATION] = m->migration;
	after_running = cost_breakdown_total(&m->after_year) -
	    m->after_year.v[COST_PURCHASE];
	m->running_saving_year = cost_breakdown_total(&m->before_year) -
	    after_running;
	m->saving_total = cost_breakdown_total(&m->before_total) -
	    cost_breakdown_total(&m->after_total);
	m->saving_year = m->saving_total / cp->horizon_years;
	m->payback_month = payback_month(cp, price, m->migration,
	    m->running_saving_year);
}

static void
years_compute(struct report *r)
{
	const struct report_money *m = &r->money;
	double before = cost_breakdown_total(&m->before_year);
	double after = cost_breakdown_total(&m->after_year);
	double running = after - m->after_year.v[COST_PURCHASE];
	long renew = lround(r->cp.amortisation_years);
	struct report_year *y;
	int i;

	r->nyears = (int)lround(r->cp.horizon_years);
	if (r->nyears > REPORT_MAX_YEARS)
		r->nyears = REPORT_MAX_YEARS;
	for (i = 0; i < r->nyears; i++) {
		y = &r->years[i];
		y->year = i + 1;
		y->before = before;
		y->after = after + (i == 0 ? m->migration : 0.0);
		y->saving = y->before - y->after;
		y->cumulative = y->saving + (i > 0 ? r->years[i - 1].cumulative :
		    0.0);
		y->cash_after = running + (i % renew == 0 ? m->purchase : 0.0) +
		    (i == 0 ? m->migration : 0.0);
		y->cash_cumulative = y->before - y->cash_after +
		    (i > 0 ? r->years[i - 1].cash_cumulative : 0.0);
	}
}

static void
sens_add(struct report *r, const char *what, const char *value,
    const struct cost_params *cp)
{
	struct report_sens *s = &r->sens[r->nsens++];

	snprintf(s->what, sizeof(s->what), "%s", what);
	snprintf(s->value, sizeof(s->value), "%s", value);
	report_money_compute(r, cp, &s->money);
}

/* energy price, PUE, horizon and host price, each -20 % and +20 % */
static void
sens_compute(struct report *r)
{
	static const double f[2] = { 0.8, 1.2 };
	static const char *const tag[2] = { "-20 %", "+20 %" };
	struct cost_params cp;
	char what[64], value[64];
	int i;

	r->sens = xcalloc(9, sizeof(*r->sens));
	snprintf(value, sizeof(value), "as assumed");
	sens_add(r, "base case", value, &r->cp);
	for (i = 0; i < 2; i++) {
		cp = r->cp;
		cp.energy_per_kwh *= f[i];
		snprintf(what, sizeof(what), "energy price %s", tag[i]);
		snprintf(value, sizeof(value), "%.3f %s/kWh", cp.energy_per_kwh,
		    r->currency);
		sens_add(r, what, value, &cp);
		cp = r->cp;
		cp.pue = fmax(1.0, cp.pue * f[i]);
		snprintf(what, sizeof(what), "PUE %s", tag[i]);
		snprintf(value, sizeof(value), "%.2f", cp.pue);
		sens_add(r, what, value, &cp);
		cp = r->cp;
		cp.horizon_years = fmax(1.0, round(cp.horizon_years * f[i]));
		snprintf(what, sizeof(what), "horizon %s", tag[i]);
		snprintf(value, sizeof(value), "%.0f years", cp.horizon_years);
		sens_add(r, what, value, &cp);
		cp = r->cp;
		cp.price_factor = f[i];
		snprintf(what, sizeof(what), "host price %s", tag[i]);
		snprintf(value, sizeof(value), "x %.1f", f[i]);
		sens_add(r, what, value, &cp);
	}
}

static void
confidence_compute(struct report *r)
{
	const struct plan *p = r->plan;
	double sum = 0.0, cov = 0.0;
	size_t i, n = 0;

	r->confidence_min = r->days_min = NAN;
	for (i = 0; i < p->nguests; i++) {
		if (isfinite(p->guests[i].confidence)) {
			sum += p->guests[i].confidence;
			n++;
		}
		r->confidence_min = fmin(r->confidence_min,
		    p->guests[i].confidence);
		r->days_min = fmin(r->days_min, p->guests[i].days);
		if ((p->guests[i].flags & PLAN_GUEST_LOW_CONF) != 0 ||
		    p->guests[i].confidence < 0.5)
			r->low_confidence++;
	}
	r->confidence_mean = n > 0 ? sum / (double)n : NAN;
	for (i = 0, n = 0; i < r->nservers; i++)
		if (r->servers[i].nsamples > 0) {
			cov += r->servers[i].coverage;
			n++;
		}
	r->servers_with_samples = n;
	r->coverage_mean = n > 0 ? cov / (double)n : NAN;
}

static void
costs_per_machine(struct report *r)
{
	struct cost_breakdown b;
	size_t i;

	for (i = 0; i < r->nservers; i++) {
		server_cost_per_year(&r->cp, r->servers[i].inv,
		    r->servers[i].mean_w, &b);
		r->servers[i].cost_per_year = cost_breakdown_total(&b);
	}
	for (i = 0; i < r->nhosts; i++) {
		host_cost_at_power(&r->cp, r->hosts[i].hm, r->hosts[i].mean_w,
		    &b);
		r->hosts[i].cost_per_year = cost_breakdown_total(&b);
	}
}

struct report *
report_build(const struct report_inputs *in)
{
	struct report *r = xcalloc(1, sizeof(*r));

	r->plan = in->plan;
	r->bt = in->bt;
	r->plan_path = in->plan_path;
	r->validation = in->validation;
	/* without a policy file, the currency the plan was made in */
	r->currency = in->policy_path == NULL && in->plan->currency != NULL ?
	    in->plan->currency : in->pol->currency;
	cost_params_from_policy(&r->cp, in->pol);
	servers_collect(r, in);
	if (hosts_collect(r, in) == -1 ||
	    report_usage_read(r, in->samples, in->nsamples) == -1) {
		report_free(r);
		return NULL;
	}
	sides_compute(r);
	report_money_compute(r, &r->cp, &r->money);
	costs_per_machine(r);
	years_compute(r);
	sens_compute(r);
	confidence_compute(r);
	report_assumptions_build(r, in);
	return r;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	free(r->servers);
	free(r->hosts);
	free(r->sens);
	free(r->assumptions);
	free(r);
}

const char *
report_amount(double v, char *buf, size_t size)
{
	char digits[64];
	size_t n, i, o = 0;
	int neg;

	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return buf;
	}
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	neg = v < 0 && strcmp(digits, "0") != 0;
	n = strlen(digits);
	if (neg && o + 1 < size)
		buf[o++] = '-';
	for (i = 0; i < n && o + 1 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 2 < size)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *
report_payback_text(int month, double horizon_years, char *buf, size_t size)
{
	if (month < 0)
		snprintf(buf, size, "not within %.0f years", horizon_years);
	else if (month == 0)
		snprintf(buf, size, "immediately");
	else
		snprintf(buf, size, "%d month%s", month, month == 1 ? "" : "s");
	return buf;
}

bool
report_contention_any(const struct report *r)
{
	const struct plan_contention *c;
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		c = &r->hosts[i].ph->contention;
		if (c->cpu_ready_max_pct > 0 || c->overload_gauss_pct > 0 ||
		    c->swap_risk_pct > 0)
			return true;
	}
	return false;
}
