/*
 * tables_waves.c - the report's migration waves: one row per wave (what
 * is installed, moved and retired, the volume to copy, when it starts,
 * how long, the longest downtime, the cost), then the wave of every
 * server.  Only for a plan made with [waves] max_servers; the Gantt-style
 * chart "waves" (charts.c) follows the first table.
 */
#include <math.h>
#include <stdlib.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "reports/report_int.h"
#include "reports/rtable.h"

#define S_WAVES "Migration waves"

static char *
host_names(const struct plan *p, const struct plan_wave *w)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_grow(&sb, 0);
	for (i = 0; i < w->ninstall; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
		    p->hosts[w->install[i]].name);
	return strbuf_detach(&sb);
}

static void
wave_row(struct rtable *t, const struct plan *p, const struct plan_wave *w,
    size_t i)
{
	struct cell *c = rtable_add_row(t);
	char *hosts = host_names(p, w);

	cell_set_num(&c[0], (double)(i + 1), 0);
	cell_set_num(&c[1], w->start_h, 1);
	cell_set_text(&c[2], w->ninstall > 0 ? hosts : NULL);
	cell_set_num(&c[3], (double)w->nguests, 0);
	cell_set_num(&c[4], (double)w->nretire, 0);
	cell_set_num(&c[5], w->mem_mib / 1024.0, 1);
	cell_set_num(&c[6], w->disk_gib, 1);
	cell_set_num(&c[7], w->install_h, 1);
	cell_set_num(&c[8], w->move_h, 2);
	cell_set_num(&c[9], w->downtime_max_s / 60.0, 1);
	cell_set_amount(&c[10], w->cost);
	free(hosts);
}

static char *
waves_note(const struct plan_migration *m, double total_h, size_t unknown)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "At most %ld servers a wave", m->max_servers);
	if (m->max_per_host > 0)
		strbuf_addf(&sb, " and %ld per target host", m->max_per_host);
	strbuf_addf(&sb, "; affinity groups move together; a host is installed "
	    "in the wave of its first guest (spares with the first); "
	    "retirements come %s the moves. A server is down while its memory "
	    "and disk are copied at %g MiB/s, one server after another; a "
	    "wave's hosts take %g h to install. %.1f h in all.",
	    m->retire_first ? "before" : "after", m->bandwidth_mibps,
	    m->host_install_h, total_h);
	if (unknown > 0)
		strbuf_addf(&sb, " %zu servers have no disk size in the "
		    "inventory: their downtime counts their memory only.",
		    unknown);
	return strbuf_detach(&sb);
}

static void
waves_table(struct rtables *ts, const struct report *r)
{
	const struct plan *p = r->plan;
	const struct plan_migration *m = &p->migration;
	struct rtable *t;
	size_t i, unknown = 0;
	double total = 0.0;

	t = rtables_add(ts, S_WAVES, "waves", xstrdup("Waves: installation, moves and "
	    "downtime"),
	    rtable_printf("Wave|Starts (h)|Hosts installed first|Servers "
	    "moved|Servers retired|Memory (GiB)|Disk (GiB)|Install (h)|"
	    "Moves (h)|Longest downtime (min)|Cost (%s)", r->currency),
	    "|h||||GiB|GiB|h|h|min|currency", "waves");
	for (i = 0; i < m->nwaves; i++) {
		wave_row(t, p, &m->waves[i], i);
		unknown += m->waves[i].disk_unknown;
		total += m->waves[i].install_h + m->waves[i].move_h;
	}
	t->note = waves_note(m, total, unknown);
}

static void
server_wave_rows(struct rtable *t, const struct plan *p,
    const struct plan_wave *w, size_t wi)
{
	const struct plan_guest *g;
	struct cell *c;
	size_t j;

	for (j = 0; j < w->nguests; j++) {
		g = &p->guests[w->guests[j]];
		c = rtable_add_row(t);
		cell_set_text(&c[0], g->name);
		cell_set_num(&c[1], (double)(wi + 1), 0);
		cell_set_text(&c[2], "move");
		cell_set_text(&c[3], p->hosts[g->host].name);
	}
	for (j = 0; j < w->nretire; j++) {
		c = rtable_add_row(t);
		cell_set_text(&c[0], p->servers[w->retire[j]].name);
		cell_set_num(&c[1], (double)(wi + 1), 0);
		cell_set_text(&c[2], "retire");
		cell_set_text(&c[3], NULL);
	}
}

void
report_waves_tables(struct rtables *ts, const struct report *r)
{
	const struct plan *p = r->plan;
	struct rtable *t;
	size_t i;

	if (p->migration.nwaves == 0)
		return;
	waves_table(ts, r);
	t = rtables_add(ts, S_WAVES, "server-waves", xstrdup("The wave of "
	    "each server"), xstrdup("Server|Wave|Action|Target host"), "|||",
	    NULL);
	for (i = 0; i < p->migration.nwaves; i++)
		server_wave_rows(t, p, &p->migration.waves[i], i);
}
