/*
 * charts.c - gnuplot scripts and data for the report's six kinds of chart.
 *
 *   cost         cost over the horizon by category, before and after
 *   power        IT and facility power by hour of day, before and after,
 *                with the cooling load in tons on the right axis
 *   host-NNN     one host's predicted CPU by slot, stacked by guest, with
 *                its capacity and headroom limit (at most 24 hosts: those
 *                with the highest predicted peak when there are more)
 *   heatmap      every host's mean predicted CPU by hour of day
 *   guest-sizes  how many guests have each vCPU count and memory size
 *   contention   per host: CPU ready (worst slot), overload probability,
 *                swap risk (left out when every host's are 0: the chart
 *                would be empty)
 *   waves        the migration waves, Gantt-style: installation, moves
 *   validation   capplan validate's ready %: measured against predicted,
 *                per slot and per guest, beside the line of no error
 *
 * Numbers go to the .dat file; names go into the script only through
 * escape_gnuplot() (single-quoted, in which gnuplot expands nothing), or
 * escape_gnuplot_format() for tic labels, which gnuplot reads as formats;
 * text is noenhanced; file names are fixed words or indexes.
 * Missing values are written '?' (set datafile missing).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/tz.h"
#include "common/xalloc.h"
#include "reports/charts.h"
#include "reports/compare.h"
#include "reports/escape.h"
#include "reports/gnuplot_run.h"

#define TOP_GUESTS 9		/* stacked one by one; the rest as "others" */
#define NAMED_TICS_MAX 60	/* more hosts than this: numbered tics */

/* Tableau 10, so a category keeps its colour across charts */
static const char *const palette[] = { "#4e79a7", "#f28e2b", "#e15759",
    "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac" };
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

struct chart_out {
	struct report_chart *chart;
	FILE *gp, *dat;
};

static void
gp_str(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	escape_gnuplot(&sb, s);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

/* a tic label: gnuplot reads it as a format, so '%' is doubled */
static void
gp_tic(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	escape_gnuplot_format(&sb, s);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

static void
dat_num(FILE *fp, double v)
{
	if (isfinite(v))
		fprintf(fp, " %.4f", v);
	else
		fputs(" ?", fp);
}

static FILE *
file_create(const char *dir, const char *name, const char *ext)
{
	struct strbuf path = STRBUF_INIT;
	FILE *fp;

	strbuf_addf(&path, "%s/%s.%s", dir, name, ext);
	fp = fopen(path.buf, "w");
	if (fp == NULL)
		error_set_errno(ERROR_IO, "cannot create '%s'", path.buf);
	strbuf_release(&path);
	return fp;
}

/* start a chart: its entry, its two files and the script's preamble */
static int
chart_open(struct report_charts *c, const struct report_format *f,
    struct chart_out *o, const char *name, const char *title, int w, int h)
{
	struct report_chart *ch;
	size_t i;

	c->charts = xreallocarray(c->charts, c->ncharts + 1, sizeof(*ch));
	ch = &c->charts[c->ncharts++];
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	snprintf(ch->title, sizeof(ch->title), "%s", title);
	ch->script = xmalloc(strlen(c->dir) + strlen(name) + 8);
	sprintf(ch->script, "%s/%s.gp", c->dir, name);
	ch->image = xmalloc(strlen(c->dir) + strlen(name) + 8);
	sprintf(ch->image, "%s/%s.%s", c->dir, name, f->image_ext);
	o->chart = ch;
	o->dat = NULL;
	o->gp = file_create(c->dir, name, "gp");
	if (o->gp == NULL)
		return -1;
	o->dat = file_create(c->dir, name, "dat");
	if (o->dat == NULL)
		return -1;
	fprintf(o->gp, "# %s.gp - a chart of the capplan report; data in "
	    "%s.dat.\n# Edit and re-run 'gnuplot %s.gp' here to restyle "
	    "it.\n", name, name, name);
	fprintf(o->gp, "set terminal %s size %d,%d noenhanced font "
	    "'sans,%d' background '#ffffff'\n", f->term, w, h,
	    strcmp(f->image_ext, "svg") == 0 ? 11 : 10);
	fprintf(o->gp, "set output '%s.%s'\nset encoding utf8\n"
	    "set datafile missing '?'\nset border 3\nset tics nomirror\n"
	    "set grid ytics lc rgb '#dddddd'\n", name, f->image_ext);
	for (i = 0; i < NPALETTE; i++)
		fprintf(o->gp, "set linetype %zu lc rgb '%s' lw 1.5\n", i + 1,
		    palette[i]);
	fprintf(o->gp, "set title ");
	gp_str(o->gp, title);
	fputc('\n', o->gp);
	return 0;
}

static int
chart_close(struct chart_out *o)
{
	int bad = 0;

	if (o->gp != NULL) {
		bad |= ferror(o->gp) | fclose(o->gp);
		o->gp = NULL;
	}
	if (o->dat != NULL) {
		bad |= ferror(o->dat) | fclose(o->dat);
		o->dat = NULL;
	}
	if (bad)
		return error_set(ERROR_IO, "cannot write '%s'",
		    o->chart->script);
	return 0;
}

/* ------------------------------------------------------------- cost */

static void
cost_chart(struct chart_out *o, const struct report *r)
{
	const struct report_money *m = &r->money;
	struct strbuf sb = STRBUF_INIT;
	int k;

	fputs("# side, then thousands per category over the horizon:", o->dat);
	for (k = 0; k < COST_N; k++)
		fprintf(o->dat, " %s", cost_cat_table[k].name);
	fputs("\nBefore", o->dat);
	for (k = 0; k < COST_N; k++)
		dat_num(o->dat, m->before_total.v[k] / 1000.0);
	fputs("\nAfter", o->dat);
	for (k = 0; k < COST_N; k++)
		dat_num(o->dat, m->after_total.v[k] / 1000.0);
	fputc('\n', o->dat);
	strbuf_addf(&sb, "thousand %s over %.0f years", r->currency,
	    r->cp.horizon_years);
	fputs("set ylabel ", o->gp);
	gp_str(o->gp, sb.buf);
	fprintf(o->gp, "\nset style data histograms\n"
	    "set style histogram rowstacked\nset style fill solid 0.9 "
	    "border rgb '#ffffff'\nset boxwidth 0.55\nset yrange [0:*]\n"
	    "set key outside right top vertical\nplot ");
	for (k = 0; k < COST_N; k++) {
		fprintf(o->gp, "%s using %d%s title ", k == 0 ?
		    "'cost.dat'" : ", ''", k + 2, k == 0 ? ":xtic(1)" : "");
		gp_str(o->gp, cost_cat_table[k].label);
	}
	fputc('\n', o->gp);
	strbuf_release(&sb);
}

/* ------------------------------------------------------------ power */

static void
power_chart(struct chart_out *o, const struct report *r)
{
	/* kW to tons of refrigeration: 1 kW = 3,412.142 BTU/h */
	const double tons = BTU_PER_H_PER_W * 1000.0 / BTU_PER_H_PER_TON;
	double top = 0.0;
	int h;

	fprintf(o->dat, "# hour (%s), kW: IT before, IT after, facility "
	    "before, facility after\n", tz_name());
	for (h = 0; h < REPORT_HOURS; h++) {
		fprintf(o->dat, "%d", h);
		dat_num(o->dat, r->before.hour_w[h] / 1000.0);
		dat_num(o->dat, r->after.hour_w[h] / 1000.0);
		dat_num(o->dat, r->before.hour_w[h] * r->cp.pue / 1000.0);
		dat_num(o->dat, r->after.hour_w[h] * r->cp.pue / 1000.0);
		fputc('\n', o->dat);
		top = fmax(top, fmax(r->before.hour_w[h], r->after.hour_w[h]) *
		    r->cp.pue / 1000.0);
	}
	/* both axes fixed, so the tons axis is the kW axis scaled (gnuplot's
	 * "set link" puts the y2 tics where the y tics are) */
	top = top > 0.0 ? top * 1.1 : 1.0;
	fprintf(o->gp, "set xlabel 'hour of day (%s)'\nset ylabel 'kW'\n"
	    "set y2label 'cooling load of the IT power (tons)'\n"
	    "set yrange [0:%.6f]\nset y2range [0:%.6f]\nset y2tics\n"
	    "set xrange [0:23]\nset xtics 0,3,23\n"
	    "set key outside bottom center horizontal\n"
	    "plot 'power.dat' using 1:2 with linespoints lt 3 pt 7 ps 0.6 "
	    "title 'IT before', '' using 1:3 with linespoints lt 1 pt 7 "
	    "ps 0.6 title 'IT after', '' using 1:4 with lines lt 3 dt 2 "
	    "title 'facility before (x PUE)', '' using 1:5 with lines lt 1 "
	    "dt 2 title 'facility after (x PUE)'\n", tz_name(), top,
	    top * tons);
}

/* -------------------------------------------------------- host-NNN */

struct guest_rank {
	size_t g;		/* index in plan->guests */
	double mean;		/* mean CPU over slots */
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct guest_rank *x = a, *y = b;

	if (x->mean != y->mean)
		return x->mean < y->mean ? 1 : -1;
	return x->g < y->g ? -1 : x->g > y->g;
}

static double
guest_cpu(const struct plan *p, const struct plan_guest *g, size_t t)
{
	double v;

	if (g->profile[RES_CPU] != NULL && t < p->nslots)
		v = g->profile[RES_CPU][t];
	else
		v = g->peak[RES_CPU];
	return isfinite(v) ? v : 0.0;
}

static struct guest_rank *
guests_ranked(const struct plan *p, const struct plan_host *ph)
{
	struct guest_rank *gr = xcalloc(ph->nguests + 1, sizeof(*gr));
	size_t i, t, n = p->nslots > 0 ? p->nslots : 1;

	for (i = 0; i < ph->nguests; i++) {
		gr[i].g = ph->guests[i];
		for (t = 0; t < n; t++)
			gr[i].mean += guest_cpu(p, &p->guests[gr[i].g], t);
		gr[i].mean /= (double)n;
	}
	array_sort(gr, ph->nguests, sizeof(*gr), rank_cmp);
	return gr;
}

/*
 * One row of the stacked data: x, then the cumulative % per layer from
 * the bottom: the guests past the nnamed largest together first (so the
 * named ones stack on a steady base, not under a grey block that hides
 * them), then the named ones, the largest on top.
 */
static void
host_row(FILE *dat, const struct plan *p, const struct guest_rank *gr,
    size_t ng, size_t nnamed, double x, size_t t, double cap)
{
	double cum = 0.0;
	size_t i;

	fprintf(dat, "%.4f", x);
	if (ng > nnamed) {
		for (i = nnamed; i < ng; i++)
			cum += 100.0 * guest_cpu(p, &p->guests[gr[i].g], t) / cap;
		dat_num(dat, cum);
	}
	for (i = nnamed; i-- > 0;) {
		cum += 100.0 * guest_cpu(p, &p->guests[gr[i].g], t) / cap;
		dat_num(dat, cum);
	}
	fputc('\n', dat);
}

/* the axis, in [sizing] timezone (a tz database name: no quote) */
static const char *
host_xlabel(const struct plan *p)
{
	static char buf[192];
	const char *res = p->resolution != NULL ? p->resolution : "";

	snprintf(buf, sizeof(buf), "%s (%s)", strcmp(res, "hour") == 0 ||
	    strcmp(res, "peak") == 0 ? "hour of day" : strcmp(res, "week") ==
	    0 ? "hours from Monday 00:00" : "hours from the start of the series",
	    tz_name());
	return buf;
}

static void
host_chart(struct chart_out *o, const struct report *r,
    const struct report_host *h)
{
	const struct plan *p = r->plan;
	const struct plan_host *ph = h->ph;
	struct guest_rank *gr = guests_ranked(p, ph);
	size_t n = p->nslots > 0 ? p->nslots : 1, nl, nn, i, k, t;
	double cap = ph->capacity[RES_CPU] > 0 ? ph->capacity[RES_CPU] :
	    h->hm->cpu_rating, slot_h = isfinite(p->slot_s) ? p->slot_s /
	    3600.0 : 1.0, limit = 100.0 * (1.0 - p->headroom[RES_CPU]);
	char others[64];

	nn = ph->nguests > TOP_GUESTS + 1 ? TOP_GUESTS : ph->nguests;
	nl = nn + (ph->nguests > nn);
	if (n == 1)	/* one slot (peak sizing): drawn across the day */
		slot_h = 24.0;
	fputs("# hours from the start of the profile, then the cumulative "
	    "CPU % of capacity per layer from the bottom (the smaller guests "
	    "together first); each slot's start and end\n", o->dat);
	for (t = 0; t < n; t++) {
		host_row(o->dat, p, gr, ph->nguests, nn, (double)t * slot_h, t,
		    cap);
		host_row(o->dat, p, gr, ph->nguests, nn, (double)(t + 1) *
		    slot_h, t, cap);
	}
	fprintf(o->gp, "set xlabel '%s'\nset xrange [0:%.4f]\n"
	    "set ylabel 'CPU, %% of the host capacity'\nset yrange [0:%.0f]\n"
	    "set style fill solid 0.85 noborder\n"
	    "set key outside right top vertical\nplot ", host_xlabel(p),
	    (double)n * slot_h, fmax(110.0, h->util_peak_pct + 10.0));
	/* the top layer first, so each drawn curve covers the ones below */
	for (i = nl; i >= 1; i--) {
		fprintf(o->gp, i == nl ? "'%s.dat'" : "''", o->chart->name);
		/* the named guest of layer i: the largest is the top layer */
		k = nn - (i - (nl - nn));
		/* a guest of its own keeps a colour; the rest are grey */
		fprintf(o->gp, " using 1:%zu with filledcurves x1 lt %zu "
		    "title ", i + 1, nl > nn && i == 1 ? NPALETTE :
		    k % (NPALETTE - 1) + 1);
		if (nl > nn && i == 1) {
			snprintf(others, sizeof(others), "%zu smaller guests, "
			    "together", ph->nguests - nn);
			gp_str(o->gp, others);
		} else {
			gp_str(o->gp, p->guests[gr[k].g].name);
		}
		fputs(", ", o->gp);
	}
	fprintf(o->gp, "%.4f with lines lc rgb '#000000' lw 2 title "
	    "'capacity', %.4f with lines lc rgb '#000000' dt 2 title "
	    "'limit (headroom)'\n", 100.0, isfinite(limit) ? limit : 100.0);
	free(gr);
}

/* ---------------------------------------------------------- heatmap */

/*
 * Tics naming each host at its index, or past NAMED_TICS_MAX numbering
 * them from 1 every "nice" step (1, 2 or 5 times a power of ten).
 */
static size_t
nice_step(size_t n)
{
	size_t base = 1;

	for (;;) {
		if (n / base <= 12)
			return base;
		if (n / (2 * base) <= 12)
			return 2 * base;
		if (n / (5 * base) <= 12)
			return 5 * base;
		base *= 10;
	}
}

static void
host_tics(FILE *gp, const char *axis, const struct report *r)
{
	size_t i, k;

	fprintf(gp, "set %s (", axis);
	if (r->nhosts > NAMED_TICS_MAX) {
		k = nice_step(r->nhosts);
		for (i = 0; i < r->nhosts; i++)
			if (i == 0 || (i + 1) % k == 0)
				fprintf(gp, "%s'%zu' %zu", i > 0 ? ", " : "", i + 1,
				    i);
		fputs(")\n", gp);
		return;
	}
	for (i = 0; i < r->nhosts; i++) {
		fputs(i > 0 ? ", " : "", gp);
		gp_tic(gp, r->hosts[i].ph->name);
		fprintf(gp, " %zu", i);
	}
	fputs(")\n", gp);
}

static void
heatmap_chart(struct chart_out *o, const struct report *r)
{
	size_t i;
	int h;

	fprintf(o->dat, "# one row per host (plan order), 24 columns: mean "
	    "predicted CPU %% of capacity by hour of day (%s)\n", tz_name());
	for (i = 0; i < r->nhosts; i++) {
		for (h = 0; h < REPORT_HOURS; h++)
			fprintf(o->dat, "%s%.2f", h > 0 ? " " : "",
			    r->hosts[i].hour_util_pct[h]);
		fputc('\n', o->dat);
	}
	fprintf(o->gp, "set xlabel 'hour of day (%s)'\nunset grid\n"
	    "set xrange [-0.5:23.5]\nset yrange [%zu.5:-0.5]\n"
	    "set xtics 0,3,23\nset cbrange [0:100]\n"
	    "set cblabel 'CPU, %% of capacity'\n"
	    "set palette defined (0 '#f7fbff', 20 '#c6dbef', 40 '#6baed6', "
	    "60 '#fdae6b', 80 '#e6550d', 100 '#a63603')\n", tz_name(),
	    r->nhosts - 1);
	host_tics(o->gp, "ytics", r);
	fputs("plot 'heatmap.dat' matrix with image pixels notitle\n", o->gp);
}

/* ------------------------------------------------------ guest-sizes */

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* block 0: guests per vCPU count; block 1: per memory size (GiB, power
 * of two bins) */
static size_t
sizes_data(FILE *dat, const struct plan *p)
{
	double *v = xcalloc(p->nguests + 1, sizeof(*v));
	size_t i, j, n, top = 0;
	double gib;

	for (i = 0; i < p->nguests; i++)
		v[i] = isfinite(p->guests[i].vcpus) ? p->guests[i].vcpus : 0;
	array_sort(v, p->nguests, sizeof(*v), dbl_cmp);
	fputs("# vCPUs, guests\n", dat);
	for (i = 0; i < p->nguests; i = j) {
		for (j = i; j < p->nguests && v[j] == v[i]; j++)
			;
		fprintf(dat, "\"%.0f\" %zu\n", v[i], j - i);
		top = j - i > top ? j - i : top;
	}
	fputs("\n\n# memory up to GiB, guests\n", dat);
	for (i = 0; i < p->nguests; i++) {
		gib = p->guests[i].mem_mib / 1024.0;
		v[i] = isfinite(gib) && gib > 0.5 ? pow(2.0, ceil(log2(gib -
		    1e-9))) : 0.5;
	}
	array_sort(v, p->nguests, sizeof(*v), dbl_cmp);
	for (i = 0; i < p->nguests; i = j) {
		for (j = i, n = 0; j < p->nguests && v[j] == v[i]; j++)
			n++;
		fprintf(dat, "\"%g\" %zu\n", v[i], n);
		top = n > top ? n : top;
	}
	free(v);
	return top;
}

static void
sizes_chart(struct chart_out *o, const struct report *r)
{
	size_t top = sizes_data(o->dat, r->plan);

	fputs("unset title\nset multiplot layout 1,2 title ", o->gp);
	gp_str(o->gp, o->chart->title);
	/* whole guests: a tic step of at least 1 */
	fprintf(o->gp, "\nset ytics %zu\n", top > 8 ? (top + 7) / 8 : 1);
	fputs("set style fill solid 0.85 border rgb '#ffffff'\n"
	    "set boxwidth 0.7\nset yrange [0:*]\nset ylabel 'guests'\n"
	    "set xlabel 'vCPUs'\n"
	    "plot 'guest-sizes.dat' index 0 using 0:2:xtic(1) with boxes "
	    "lt 1 notitle\n"
	    "set xlabel 'memory, GiB (up to)'\n"
	    "plot 'guest-sizes.dat' index 1 using 0:2:xtic(1) with boxes "
	    "lt 2 notitle\nunset multiplot\n", o->gp);
}

/* ------------------------------------------------------- contention */

static void
contention_chart(struct chart_out *o, const struct report *r)
{
	static const char *const what[3] = { "CPU ready, worst slot",
	    "P(CPU over the limit)", "swap risk" };
	const struct plan_contention *c;
	bool named = r->nhosts <= NAMED_TICS_MAX;
	double top = 0.0, v[3];
	size_t i;
	int k;

	fputs("# host index (plan order), CPU ready % worst slot, P(CPU over "
	    "the limit) %, swap risk %\n", o->dat);
	for (i = 0; i < r->nhosts; i++) {
		c = &r->hosts[i].ph->contention;
		v[0] = c->cpu_ready_max_pct;
		v[1] = c->overload_gauss_pct;
		v[2] = c->swap_risk_pct;
		fprintf(o->dat, "%zu", i);
		for (k = 0; k < 3; k++) {
			dat_num(o->dat, v[k]);
			top = isfinite(v[k]) && v[k] > top ? v[k] : top;
		}
		fputc('\n', o->dat);
	}
	/* few hosts: three bars each, named; many: points over the index */
	fprintf(o->gp, "set ylabel '%%'\nset yrange [0:%.4f]\n"
	    "set xrange [-0.6:%zu.4]\nset style fill solid 0.85 noborder\n"
	    "set boxwidth 0.26\nset key outside right top vertical\n%s",
	    top > 0 ? top * 1.1 : 1.0, r->nhosts - 1, named ?
	    "set xtics rotate by -45 left\n" :
	    "set xlabel 'host, in plan order'\n");
	host_tics(o->gp, "xtics", r);
	fputs("plot ", o->gp);
	for (k = 0; k < 3; k++) {
		fprintf(o->gp, "%s using ($1%+.2f):%d with %s lt %d title ",
		    k == 0 ? "'contention.dat'" : ", ''", named ?
		    0.27 * (k - 1) : 0.0, k + 2, named ? "boxes" :
		    "points pt 7 ps 0.5", k + 1);
		gp_str(o->gp, what[k]);
	}
	fputc('\n', o->gp);
}

/* ------------------------------------------------------------ table */

/* ------------------------------------------------------------ waves */

/*
 * Gantt-style: one row per wave (wave 1 on top), a bar for its hosts'
 * installation and one for its moves, over hours from the start.
 */
static void
waves_chart(struct chart_out *o, const struct report *r)
{
	const struct plan_migration *m = &r->plan->migration;
	const struct plan_wave *w;
	size_t i;

	fputs("# wave, install from, to, moves from, to (hours)\n", o->dat);
	for (i = 0; i < m->nwaves; i++) {
		w = &m->waves[i];
		fprintf(o->dat, "%zu", i + 1);
		dat_num(o->dat, w->start_h);
		dat_num(o->dat, w->start_h + w->install_h);
		dat_num(o->dat, w->start_h + w->install_h);
		dat_num(o->dat, w->start_h + w->install_h + w->move_h);
		fputc('\n', o->dat);
	}
	fprintf(o->gp, "set xlabel 'hours from the start'\n"
	    "set ylabel 'wave'\nset yrange [%zu.6:0.4]\nset ytics 1\n"
	    "set xrange [0:*]\nset style fill solid 0.9 border rgb "
	    "'#ffffff'\nset key outside right top vertical\n"
	    "plot 'waves.dat' using (($2+$3)/2):1:2:3:($1-0.3):($1+0.3) "
	    "with boxxyerror lt 1 title 'install hosts', '' using "
	    "(($4+$5)/2):1:4:5:($1-0.3):($1+0.3) with boxxyerror lt 2 "
	    "title 'move servers'\n", m->nwaves);
}

static int
chart_one(struct report_charts *c, const struct report *r,
    const struct report_format *f, const char *name, const char *title,
    int w, int h, void (*fn)(struct chart_out *, const struct report *))
{
	struct chart_out o;

	if (chart_open(c, f, &o, name, title, w, h) == -1) {
		chart_close(&o);
		return -1;
	}
	fn(&o, r);
	return chart_close(&o);
}

struct host_peak {
	size_t i;		/* index in r->hosts */
	double peak_pct;
};

static int
by_peak_desc(const void *a, const void *b)
{
	const struct host_peak *x = a, *y = b;

	if (x->peak_pct != y->peak_pct)
		return x->peak_pct > y->peak_pct ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static int
by_index(const void *a, const void *b)
{
	const struct host_peak *x = a, *y = b;

	return (x->i > y->i) - (x->i < y->i);
}

size_t
charts_pick_hosts(const struct report *r, size_t *idx, size_t max)
{
	struct host_peak *all;
	size_t n = 0, i;

	all = xreallocarray(NULL, r->nhosts + 1, sizeof(*all));
	for (i = 0; i < r->nhosts; i++)
		if (r->hosts[i].ph->nguests > 0) {
			all[n].i = i;
			all[n++].peak_pct = isnan(r->hosts[i].util_peak_pct) ?
			    -1.0 : r->hosts[i].util_peak_pct;
		}
	if (n > max) {
		array_sort(all, n, sizeof(*all), by_peak_desc);
		n = max;
		array_sort(all, n, sizeof(*all), by_index);
	}
	for (i = 0; i < n; i++)
		idx[i] = all[i].i;
	free(all);
	return n;
}

static int
host_charts(struct report_charts *c, const struct report *r,
    const struct report_format *f)
{
	struct chart_out o;
	char name[32], title[160];
	size_t idx[CHARTS_HOSTS_MAX], n, k, i;

	n = charts_pick_hosts(r, idx, CHARTS_HOSTS_MAX);
	for (k = 0; k < n; k++) {
		i = idx[k];
		snprintf(name, sizeof(name), "host-%03zu", i + 1);
		snprintf(title, sizeof(title), "Predicted CPU of %s (%s), "
		    "stacked by guest", r->hosts[i].ph->name,
		    r->hosts[i].ph->model);
		if (chart_open(c, f, &o, name, title, 900, 380) == -1) {
			chart_close(&o);
			return -1;
		}
		host_chart(&o, r, &r->hosts[i]);
		if (chart_close(&o) == -1)
			return -1;
		c->hosts_charted++;
	}
	return 0;
}

/* measured (y) against predicted (x): slot means and guest points */
static void
validation_chart(struct chart_out *o, const struct report *r)
{
	const struct validation_set *vs = r->validation;
	const struct validation *v;
	const struct validation_point *p;
	double top = 1.0;
	size_t i, k, g;

	fputs("# slots: predicted %, measured %; then a blank line and the "
	    "guest-slots\n", o->dat);
	for (i = 0; i < vs->nruns; i++)
		for (k = 0, v = &vs->runs[i]; k < v->nslots; k++)
			if (v->slots[k].used) {
				dat_num(o->dat, v->slots[k].predicted_pct);
				dat_num(o->dat, v->slots[k].ready_pct);
				fputc('\n', o->dat);
				top = fmax(top, fmax(v->slots[k].predicted_pct,
				    v->slots[k].ready_pct));
			}
	fputs("\n\n", o->dat);
	for (i = 0; i < vs->nruns; i++)
		for (g = 0, v = &vs->runs[i]; g < v->nguests; g++)
			for (k = 0; k < v->nslots; k++) {
				p = &v->points[g * v->nslots + k];
				if (!v->slots[k].used)
					continue;
				dat_num(o->dat, p->predicted_pct);
				dat_num(o->dat, p->ready_pct);
				fputc('\n', o->dat);
				top = fmax(top, fmax(p->predicted_pct,
				    p->ready_pct));
			}
	fprintf(o->gp, "set xlabel 'CPU ready predicted (%%)'\n"
	    "set ylabel 'CPU ready measured (%%)'\nset xrange [0:%.4f]\n"
	    "set yrange [0:%.4f]\nset size ratio -1\n"
	    "set key outside right top vertical\n"
	    "plot x with lines lt 10 dt 2 title 'no error', "
	    "'validation.dat' index 1 using 1:2 with points pt 7 ps 0.4 lt 1 "
	    "title 'guest in a slot', '' index 0 using 1:2 with points pt 5 "
	    "ps 0.8 lt 2 title 'slot (mean per vCPU)'\n", top * 1.05,
	    top * 1.05);
}

static int
charts_make(struct report_charts *c, const struct report *r,
    const struct report_format *f)
{
	char title[160];
	int hm_h = 120 + 16 * (int)(r->nhosts < 80 ? r->nhosts : 80);

	snprintf(title, sizeof(title), "Cost over %.0f years by category, "
	    "before and after", r->cp.horizon_years);
	if (chart_one(c, r, f, "cost", title, 900, 420, cost_chart) == -1 ||
	    chart_one(c, r, f, "power", "Power by hour of day and cooling "
	    "load, before and after", 900, 420, power_chart) == -1)
		return -1;
	/* a plan that virtualizes nothing has no hosts or guests to draw */
	if (r->nhosts > 0 && (host_charts(c, r, f) == -1 ||
	    chart_one(c, r, f, "heatmap", "Mean predicted CPU per host by "
	    "hour of day", 900, hm_h < 300 ? 300 : hm_h, heatmap_chart) ==
	    -1 ||
	    (report_contention_any(r) && chart_one(c, r, f, "contention",
	    "Contention risk per host", 900, 420, contention_chart) == -1)))
		return -1;
	if (r->plan->nguests > 0 && chart_one(c, r, f, "guest-sizes",
	    "Guest sizes: vCPUs and memory", 900, 360, sizes_chart) == -1)
		return -1;
	if (r->plan->migration.nwaves > 0 && chart_one(c, r, f, "waves",
	    "Migration waves: hosts installed, then servers moved", 900,
	    160 + 24 * (int)(r->plan->migration.nwaves < 60 ?
	    r->plan->migration.nwaves : 60), waves_chart) == -1)
		return -1;
	if (r->validation != NULL && r->validation->nruns > 0 &&
	    chart_one(c, r, f, "validation", "CPU ready on a real hypervisor: "
	    "measured against predicted", 700, 560, validation_chart) == -1)
		return -1;
	return 0;
}

int
charts_write(struct report_charts *c, const struct report *r,
    const struct report_format *f, const char *dir, bool render)
{
	size_t i;
	const char *base;

	memset(c, 0, sizeof(*c));
	c->dir = xstrdup(dir);
	if (charts_make(c, r, f) == -1)
		return -1;
	for (i = 0; render && i < c->ncharts; i++) {
		base = strrchr(c->charts[i].script, '/') + 1;
		if (gnuplot_run(c->dir, base) == -1)
			return -1;
		c->charts[i].rendered = true;
	}
	return 0;
}

void
charts_release(struct report_charts *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ncharts; i++) {
		free(c->charts[i].script);
		free(c->charts[i].image);
	}
	free(c->charts);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

/* ---------------------------------------------------------- compare */

/*
 * capplan compare's one chart: today's and each scenario's cost over the
 * horizon by category, stacked.  Bars are placed by index (the .dat
 * holds numbers only); scenario names reach the script only as tic
 * labels through gp_tic().
 */
static void
compare_chart(struct chart_out *o, const struct compare_set *cs)
{
	const struct report *r0 = cs->sc[0].r;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int k;

	fputs("# bar, then thousands per category over the horizon:", o->dat);
	for (k = 0; k < COST_N; k++)
		fprintf(o->dat, " %s", cost_cat_table[k].name);
	fputs("\n0", o->dat);
	for (k = 0; k < COST_N; k++)
		dat_num(o->dat, r0->money.before_total.v[k] / 1000.0);
	for (i = 0; i < cs->n; i++) {
		fprintf(o->dat, "\n%zu", i + 1);
		for (k = 0; k < COST_N; k++)
			dat_num(o->dat, cs->sc[i].r->money.after_total.v[k] /
			    1000.0);
	}
	fputc('\n', o->dat);
	strbuf_addf(&sb, "thousand %s over each horizon", r0->currency);
	fputs("set ylabel ", o->gp);
	gp_str(o->gp, sb.buf);
	strbuf_release(&sb);
	fputs("\nset xtics ('Today' 0", o->gp);
	for (i = 0; i < cs->n; i++) {
		fputs(", ", o->gp);
		gp_tic(o->gp, cs->sc[i].name);
		fprintf(o->gp, " %zu", i + 1);
	}
	fputs(") rotate by -20\nset style data histograms\n"
	    "set style histogram rowstacked\nset style fill solid 0.9 "
	    "border rgb '#ffffff'\nset boxwidth 0.55\nset yrange [0:*]\n"
	    "set key outside right top vertical\nplot ", o->gp);
	for (k = 0; k < COST_N; k++) {
		fprintf(o->gp, "%s using %d title ", k == 0 ?
		    "'compare.dat'" : ", ''", k + 2);
		gp_str(o->gp, cost_cat_table[k].label);
	}
	fputc('\n', o->gp);
}

int
charts_write_compare(struct report_charts *c, const struct compare_set *cs,
    const struct report_format *f, const char *dir, bool render)
{
	struct chart_out o;
	int w = 900 + 60 * (int)cs->n;

	memset(c, 0, sizeof(*c));
	c->dir = xstrdup(dir);
	if (chart_open(c, f, &o, "compare", "Cost over the horizon by "
	    "category: today and each scenario", w, 460) == -1) {
		chart_close(&o);
		return -1;
	}
	compare_chart(&o, cs);
	if (chart_close(&o) == -1)
		return -1;
	if (render && gnuplot_run(c->dir, "compare.gp") == -1)
		return -1;
	c->charts[0].rendered = render;
	return 0;
}
