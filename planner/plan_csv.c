/*
 * plan_csv.c - placement.csv (capplan-placement,1): the plan for scripts.
 *
 * One row per assessed server, sorted by name (strcmp, so the order does
 * not depend on the locale): what happens to it, and for a guest the host
 * and model it goes to with its sized vCPUs and memory.  The reason
 * column holds the guest's "why this host" or the server's reason;
 * current_host, the existing host a guest runs on now (empty for a
 * server to virtualize), so a script sees what moves where; storage_gib,
 * the disk it takes on its host when storage is planned; zone, its trust
 * zone.
 * Fields are quoted by csvio's writer when they must be; a text field
 * that starts with '=', '+', '-', '@', TAB, CR or an apostrophe gets a
 * leading apostrophe (csv_line_text(), the rule of every capplan CSV),
 * so a spreadsheet opening the file never evaluates a name as a formula.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/error.h"
#include "common/format.h"
#include "common/ofile.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "planner/plan.h"

struct row {
	const char *name;
	size_t index;		/* guest index, or nguests + server index */
};

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name,
	    ((const struct row *)b)->name);
}

/* a text field, defused for spreadsheets (csvio.h) */
static void
put_text(struct csv_line *l, const char *s)
{
	csv_line_text(l, s != NULL ? s : "");
}

static void
put_row(struct csv_line *l, const struct plan *p, size_t index)
{
	const struct plan_guest *g;
	const struct plan_server *s;
	const struct plan_host *h;

	if (index < p->nguests) {
		g = &p->guests[index];
		h = plan_guest_host(p, g);
		put_text(l, g->name);
		csv_line_str(l, plan_decision_names[DECISION_VIRTUALIZE]);
		put_text(l, h != NULL ? h->name : "");
		put_text(l, h != NULL ? h->model : "");
		csv_line_num(l, g->vcpus, 0);
		csv_line_num(l, g->mem_mib, 1);
		put_text(l, g->why);
		put_text(l, g->current_host);
		if (isnan(g->storage_gib))
			csv_line_empty(l);
		else
			csv_line_num(l, g->storage_gib, 1);
		put_text(l, g->zone);
	} else {
		s = &p->servers[index - p->nguests];
		put_text(l, s->name);
		csv_line_str(l, plan_decision_names[s->decision]);
		csv_line_empty(l);
		csv_line_empty(l);
		csv_line_empty(l);
		csv_line_empty(l);
		put_text(l, s->reason);
		csv_line_empty(l);
		csv_line_empty(l);
		csv_line_empty(l);
	}
	csv_line_end(l);
}

int
plan_write_placement(const struct plan *p, const char *path)
{
	static const char *const cols[] = { "server", "decision", "host",
	    "model", "vcpus", "mem_mib", "reason", "current_host",
	    "storage_gib", "zone" };
	size_t n = p->nguests + p->nservers, i;
	struct csv_line l;
	struct ofile *of;
	struct row *rows;
	int ret = -1;

	of = ofile_open(path);
	if (of == NULL)
		return -1;
	rows = xreallocarray(NULL, n + 1, sizeof(*rows));
	for (i = 0; i < p->nguests; i++)
		rows[i] = (struct row){ p->guests[i].name, i };
	for (i = 0; i < p->nservers; i++)
		rows[p->nguests + i] = (struct row){ p->servers[i].name,
		    p->nguests + i };
	array_sort(rows, n, sizeof(*rows), row_cmp);
	csv_line_init(&l);
	format_write(&l, FORMAT_PLACEMENT);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		csv_line_str(&l, cols[i]);
	csv_line_end(&l);
	for (i = 0; i < n; i++) {
		put_row(&l, p, rows[i].index);
		if (l.sb.len > 65536 && csv_line_flush(&l, of->fp, path) == -1)
			goto out;
	}
	if (csv_line_flush(&l, of->fp, path) == -1)
		goto out;
	ret = 0;
out:
	csv_line_release(&l);
	free(rows);
	if (ret == 0)
		return ofile_commit(of);
	ofile_abort(of);
	return ret;
}
