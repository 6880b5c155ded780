/*
 * sink.c - the output side of every importer: samples files per host,
 * the inventory, the range and order checks, coverage and notes.
 *
 * Each host's file is an ofile (temporary file beside its final name);
 * import_host_finish() closes it without renaming, so a fleet of
 * thousands of hosts keeps few files open, and import_sink_commit()
 * renames them all only when every input has been read.  Freeing a sink
 * that was not committed removes every temporary file: a failed import
 * leaves the output directory as it was.
 *
 * The checks here are the ones capplan's samples reader makes (time
 * order, ranges, used <= total memory), so whatever an importer passes
 * through reads back.  Percentages a little over 100 and used memory a
 * little over the total are real in traces (turbo clocks, accounting
 * races), so they are clamped and counted rather than refused.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/csvio.h"
#include "common/error.h"
#include "common/num.h"
#include "common/ofile.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "import/import.h"

#define NIV 8			/* distinct intervals counted per host */

struct import_host {
	struct import_sink *sink;
	char *host;		/* file-safe */
	char *given;		/* as the input named it */
	struct ofile *of;	/* NULL once committed */
	bool finished;
	bool head_done;		/* the header is in line (or written) */
	bool flags;		/* a flags column, last */
	bool has[METRIC_N];
	struct csv_line line;
	size_t rows;
	int64_t first_ms, last_ms;
	double last_iv;
	size_t gaps;
	double iv[NIV];
	size_t iv_rows[NIV];
	size_t niv;
	double vmax[METRIC_N];	/* largest value written, NaN if none */
};

struct import_sink {
	char *dir;
	struct import_host **hosts;
	size_t nhosts, hosts_cap;
	struct strmap names;	/* safe host name -> index */
	struct server_inv *inv;
	size_t ninv, inv_cap;
	struct strmap inv_index;
	struct import_note *notes;
	size_t nnotes, notes_cap;
	struct import_result *res;
	char *inv_path;
	bool committed;
	bool dir_ready;		/* the output folder exists */
	bool made_dir;		/* and this import made it */
};

/* Make the output folder at the first file (one level), so a failed
 * import that wrote nothing leaves no empty folder either. */
static int
make_dir(struct import_sink *sink)
{
	struct stat st;

	if (sink->dir_ready)
		return 0;
	if (mkdir(sink->dir, 0777) == 0)
		sink->made_dir = true;
	else if (errno != EEXIST || stat(sink->dir, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		if (errno == EEXIST)
			errno = ENOTDIR;
		return error_set_errno(ERROR_IO, "cannot create directory "
		    "'%s'", sink->dir);
	}
	sink->dir_ready = true;
	return 0;
}

struct import_sink *
import_sink_new(const char *dir)
{
	struct import_sink *sink;
	struct stat st;

	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		error_set_errno(ERROR_IO, "cannot write into '%s'", dir);
		return NULL;
	}
	sink = xcalloc(1, sizeof(*sink));
	sink->dir = xstrdup(dir);
	return sink;
}

static void
host_free(struct import_host *h)
{
	if (h == NULL)
		return;
	ofile_abort(h->of);
	csv_line_release(&h->line);
	free(h->host);
	free(h->given);
	free(h);
}

/* The cell of column c in inventory row s. */
static void *
inv_cell(struct server_inv *s, const struct col_spec *c)
{
	return (char *)s + c->offset;
}

/* Free the text cells of s (every other cell is a number). */
static void
inv_release(struct server_inv *s)
{
	size_t i;

	for (i = 0; i < inventory_spec.ncols; i++)
		if (inventory_spec.cols[i].type == COL_TEXT)
			free(*(char **)inv_cell(s, &inventory_spec.cols[i]));
}

void
import_sink_free(struct import_sink *sink)
{
	size_t i;

	if (sink == NULL)
		return;
	for (i = 0; i < sink->nhosts; i++)
		host_free(sink->hosts[i]);
	for (i = 0; i < sink->ninv; i++)
		inv_release(&sink->inv[i]);
	for (i = 0; i < sink->nnotes; i++)
		free(sink->notes[i].first_file);
	free(sink->hosts);
	free(sink->inv);
	free(sink->notes);
	for (i = 0; sink->res != NULL && i < sink->nhosts; i++)
		free(sink->res[i].path);
	free(sink->res);
	free(sink->inv_path);
	if (sink->made_dir && !sink->committed)
		(void)rmdir(sink->dir);	/* empty: its files were removed */
	free(sink->dir);
	strmap_release(&sink->names);
	strmap_release(&sink->inv_index);
	free(sink);
}

char *
import_safe_name(const char *name)
{
	char *s = xstrdup(name), *p;

	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			*p = '_';
	if (s[0] == '.')
		s[0] = '_';
	return s;
}

static char *
out_path(const struct import_sink *sink, const char *file)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", sink->dir, file);
	return strbuf_detach(&sb);
}

static struct import_host *
host_new(struct import_sink *sink, char *safe, const bool has[METRIC_N])
{
	struct strbuf sb = STRBUF_INIT;
	struct import_host *h;
	char *path;
	int m;

	if (make_dir(sink) == -1) {
		free(safe);
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->sink = sink;
	h->host = safe;
	for (m = 0; m < METRIC_N; m++)
		h->vmax[m] = NAN;
	memcpy(h->has, has, sizeof(h->has));
	csv_line_init(&h->line);
	strbuf_addf(&sb, "%s.samples.csv", safe);
	path = out_path(sink, sb.buf);
	strbuf_release(&sb);
	h->of = ofile_open(path);
	free(path);
	if (h->of == NULL) {
		host_free(h);
		return NULL;
	}
	return h;
}

struct import_host *
import_sink_host(struct import_sink *sink, const char *host,
    const bool has[METRIC_N], const char *src, size_t line)
{
	struct import_host *h;
	char *safe;
	size_t old;

	/* a name from a file name or another program: text, checked here */
	if (utf8_check(host, "host name", src, line, 0) == -1)
		return NULL;
	safe = import_safe_name(host);
	if (*safe == '\0' || strcmp(safe, "inventory") == 0) {
		error_at(ERROR_DATA, src, line, 0, "'%s' cannot be a host name",
		    host);
		free(safe);
		return NULL;
	}
	/* capplan reads no samples file without it (capplan-formats(5)) */
	if (!has[METRIC_CPU_BUSY_PCT]) {
		error_at(ERROR_DATA, src, line, 0, "host '%s' has no CPU busy "
		    "data (cpu_busy_pct), which every samples file needs",
		    host);
		free(safe);
		return NULL;
	}
	if (strmap_get(&sink->names, safe, &old) &&
	    strcmp(sink->hosts[old]->given, host) == 0) {
		error_at(ERROR_DATA, src, line, 0, "host '%s' again, in an "
		    "input that cannot be merged with the one before (such as "
		    "sadf -d and -j output of one host: give one kind)", host);
		free(safe);
		return NULL;
	}
	if (strmap_get(&sink->names, safe, &old)) {
		error_at(ERROR_DATA, src, line, 0, "hosts '%s' and '%s' would "
		    "both be written to '%s.samples.csv'",
		    sink->hosts[old]->given, host, safe);
		free(safe);
		return NULL;
	}
	h = host_new(sink, safe, has);
	if (h == NULL)
		return NULL;
	h->given = xstrdup(host);
	strmap_put(&sink->names, safe, sink->nhosts, NULL);
	ALLOC_GROW(sink->hosts, sink->nhosts + 1, sink->hosts_cap);
	sink->hosts[sink->nhosts++] = h;
	return h;
}

const char *
import_host_name(const struct import_host *h)
{
	return h->host;
}

size_t
import_host_rows(const struct import_host *h)
{
	return h->rows;
}

double
import_host_max(const struct import_host *h, int metric)
{
	return h->vmax[metric];
}

struct import_sink *
import_host_sink(const struct import_host *h)
{
	return h->sink;
}

void
import_sink_note(struct import_sink *sink, const char *what,
    const char *file, size_t line)
{
	struct import_note *n;
	size_t i;

	for (i = 0; i < sink->nnotes; i++)
		if (strcmp(sink->notes[i].what, what) == 0) {
			sink->notes[i].count++;
			return;
		}
	ALLOC_GROW(sink->notes, sink->nnotes + 1, sink->notes_cap);
	n = &sink->notes[sink->nnotes++];
	n->what = what;
	n->count = 1;
	n->first_file = file != NULL ? xstrdup(file) : NULL;
	n->first_line = line;
}

/* Clamp s's values into range, counting what was clamped. */
static void
row_clamp(struct import_host *h, struct sample *s, const char *src,
    size_t line)
{
	double *used = &s->v[METRIC_MEM_USED_MIB];
	double tot = s->v[METRIC_MEM_TOTAL_MIB];
	int m;

	for (m = 0; m < METRIC_N; m++)
		if (!h->has[m])
			s->v[m] = NAN;
		else if (s->v[m] > metric_table[m].max &&
		    metric_table[m].max == 100.0) {
			s->v[m] = 100.0;
			import_sink_note(h->sink, "percentages above 100 "
			    "clamped to 100", src, line);
		}
	if (!isnan(*used) && !isnan(tot) && *used > tot) {
		*used = tot;
		import_sink_note(h->sink, "used memory above the total "
		    "clamped to the total", src, line);
	}
	if (h->has[METRIC_MEM_USED_MAX_MIB] && !isnan(tot) &&
	    s->v[METRIC_MEM_USED_MAX_MIB] > tot)
		s->v[METRIC_MEM_USED_MAX_MIB] = tot;
}

/* Add one more field to the record line has just ended. */
static void
line_append(struct csv_line *l, const char *s)
{
	l->sb.buf[--l->sb.len] = '\0';	/* drop the '\n' */
	l->nfields = 1;
	csv_line_str(l, s);
	csv_line_end(l);
}

static void
host_head(struct import_host *h)
{
	if (h->head_done)
		return;
	samples_write_head(&h->line, h->has, false);
	if (h->flags)
		line_append(&h->line, "flags");
	h->head_done = true;
}

void
import_host_keep_flags(struct import_host *h)
{
	assert(!h->head_done);
	h->flags = true;
}

static int
row_check(const struct sample *s, const char *src, size_t line)
{
	int m;

	if (!samples_interval_ok(s->interval_s))
		return error_at(ERROR_DATA, src, line, 0,
		    "interval of %g s is not in " SAMPLES_INTERVAL_TEXT,
		    s->interval_s);
	/* the samples file would hold a time no reader takes */
	if (!time_in_range(s->ts_ms) || s->ts_ms +
	    llround(s->interval_s * 1000.0) > TIME_MAX_MS)
		return error_at(ERROR_DATA, src, line, 0, "a sample at %.0f s "
		    "since 1970 would start or end outside "
		    TIME_RANGE_TEXT, (double)s->ts_ms / 1000.0);
	for (m = 0; m < METRIC_N; m++)
		if (!isnan(s->v[m]) && (s->v[m] < 0.0 || !isfinite(s->v[m]) ||
		    s->v[m] > metric_table[m].max))
			return error_at(ERROR_DATA, src, line, 0,
			    "%s would be %g, outside [0, %g]",
			    metric_table[m].name, s->v[m],
			    metric_table[m].max);
	return 0;
}

static void
host_count(struct import_host *h, const struct sample *s)
{
	size_t i;
	int m;

	for (m = 0; m < METRIC_N; m++)
		if (!(s->v[m] <= h->vmax[m]) && !isnan(s->v[m]))
			h->vmax[m] = s->v[m];
	if (h->rows == 0)
		h->first_ms = s->ts_ms;
	else if ((double)(s->ts_ms - h->last_ms) > 1500.0 * h->last_iv)
		h->gaps++;
	h->last_ms = s->ts_ms;
	h->last_iv = s->interval_s;
	h->rows++;
	for (i = 0; i < h->niv; i++)
		if (h->iv[i] == s->interval_s) {
			h->iv_rows[i]++;
			return;
		}
	if (h->niv < NIV) {
		h->iv[h->niv] = s->interval_s;
		h->iv_rows[h->niv++] = 1;
	}
}

int
import_host_row(struct import_host *h, const struct sample *in,
    const char *src, size_t line)
{
	char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN];
	struct sample s = *in;

	if (h->finished)
		return error_at(ERROR_DATA, src, line, 0, "host '%s' appears "
		    "again after its data was complete", h->host);
	if (h->rows > 0 && s.ts_ms == h->last_ms) {
		import_sink_note(h->sink, "rows repeating a time skipped",
		    src, line);
		return 0;
	}
	if (h->rows > 0 && s.ts_ms < h->last_ms) {
		time_format_rfc3339(s.ts_ms, a);
		time_format_rfc3339(h->last_ms, b);
		return error_at(ERROR_DATA, src, line, 0, "host '%s': a row "
		    "for %s comes after one for %s; rows must be in time "
		    "order", h->host, a, b);
	}
	row_clamp(h, &s, src, line);
	if (row_check(&s, src, line) == -1)
		return -1;
	host_head(h);
	samples_write_row(&h->line, &s, h->has, false);
	if (h->flags)
		line_append(&h->line, s.flags != NULL ? s.flags : "");
	if (csv_line_flush(&h->line, h->of->fp, h->of->path) == -1)
		return -1;
	host_count(h, &s);
	return 0;
}

int
import_host_finish(struct import_host *h)
{
	if (h->finished)
		return 0;
	host_head(h);	/* a file with no rows still has its header */
	if (csv_line_flush(&h->line, h->of->fp, h->of->path) == -1)
		return -1;
	if (ofile_finish(h->of) == -1)
		return -1;
	h->finished = true;
	return 0;
}

void
import_inv_init(struct server_inv *inv, const char *host)
{
	static char empty[1];
	const struct col_spec *c;
	size_t i;

	/* by the column table, so columns added later start unknown too */
	memset(inv, 0, sizeof(*inv));
	for (i = 0; i < inventory_spec.ncols; i++) {
		c = &inventory_spec.cols[i];
		if (c->type == COL_TEXT)
			*(char **)inv_cell(inv, c) = empty;
		else if (c->type == COL_BOOL)
			*(int *)inv_cell(inv, c) = -1;
		else
			*(double *)inv_cell(inv, c) = NAN;
	}
	inv->host = (char *)(uintptr_t)host;	/* borrowed, see import.h */
}

/*
 * A number an importer found that its inventory column would refuse once
 * written (a trace's 0.3 MiB of memory is written "0", below the
 * column's 1) is left unknown and counted, so the inventory written reads
 * back, as the samples files do.
 */
static void
inv_fit(struct import_sink *sink, struct server_inv *s)
{
	size_t n = inventory_fit(s);

	while (n-- > 0)
		import_sink_note(sink, "inventory values outside their "
		    "column's range left empty", NULL, 0);
}

void
import_sink_inventory(struct import_sink *sink, const struct server_inv *in)
{
	struct server_inv *s;
	char *safe = import_safe_name(in->host), **cell;
	size_t i;

	if (strmap_get(&sink->inv_index, safe, &i))
		inv_release(&sink->inv[i]);
	else {
		i = sink->ninv++;
		ALLOC_GROW(sink->inv, sink->ninv, sink->inv_cap);
		strmap_put(&sink->inv_index, safe, i, NULL);
	}
	s = &sink->inv[i];
	*s = *in;
	for (i = 0; i < inventory_spec.ncols; i++) {
		if (inventory_spec.cols[i].type != COL_TEXT)
			continue;
		cell = inv_cell(s, &inventory_spec.cols[i]);
		*cell = xstrdup(*cell != NULL ? *cell : "");
	}
	free(s->host);
	s->host = safe;
	inv_fit(sink, s);
}

static int
inv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct server_inv *)a)->host,
	    ((const struct server_inv *)b)->host);
}

/* Write the inventory, sorted by host, to a finished ofile in *of. */
static int
inv_write(struct import_sink *sink, struct ofile **of)
{
	struct csv_line line;
	size_t i;
	int ret = -1;

	sink->inv_path = out_path(sink, "inventory.csv");
	if (make_dir(sink) == -1)
		return -1;
	*of = ofile_open(sink->inv_path);
	if (*of == NULL)
		return -1;
	array_sort(sink->inv, sink->ninv, sizeof(*sink->inv), inv_cmp);
	csv_line_init(&line);
	table_write_head(&inventory_spec, &line);
	for (i = 0; i < sink->ninv; i++) {
		table_write_row(&inventory_spec, &sink->inv[i], &line);
		if (csv_line_flush(&line, (*of)->fp, sink->inv_path) == -1)
			goto out;
	}
	if (csv_line_flush(&line, (*of)->fp, sink->inv_path) == -1)
		goto out;
	ret = ofile_finish(*of);
out:
	csv_line_release(&line);
	return ret;
}

static int
host_cmp(const void *a, const void *b)
{
	return strcmp((*(struct import_host *const *)a)->host,
	    (*(struct import_host *const *)b)->host);
}

/* The interval most rows have; the first seen wins a tie. */
static double
host_interval(const struct import_host *h)
{
	size_t i, best = 0;

	for (i = 1; i < h->niv; i++)
		if (h->iv_rows[i] > h->iv_rows[best])
			best = i;
	return h->niv > 0 ? h->iv[best] : NAN;
}

static void
host_result(const struct import_host *h, struct import_result *r)
{
	double iv = host_interval(h), expected = (double)h->rows;
	int m;

	memset(r, 0, sizeof(*r));
	r->host = h->host;
	r->rows = h->rows;
	r->interval_s = iv;
	r->gaps = h->gaps;
	for (m = 0; m < METRIC_N; m++)
		r->nmetrics += h->has[m];
	if (h->rows == 0) {
		r->coverage = NAN;
		return;
	}
	r->first_ms = h->first_ms;
	r->end_ms = h->last_ms + (int64_t)llround(h->last_iv * 1000.0);
	/* as capplan inspect counts: intervals from the first to the last */
	expected = fmax(expected, floor((double)(h->last_ms - h->first_ms) /
	    (iv * 1000.0) + 1e-9) + 1.0);
	r->coverage = (double)h->rows / expected;
}

size_t
import_sink_rows(const struct import_sink *sink)
{
	size_t i, n = 0;

	for (i = 0; i < sink->nhosts; i++)
		n += sink->hosts[i]->rows;
	return n;
}

int
import_sink_commit(struct import_sink *sink)
{
	struct ofile *inv = NULL;
	size_t i;

	array_sort(sink->hosts, sink->nhosts, sizeof(*sink->hosts), host_cmp);
	for (i = 0; i < sink->nhosts; i++)
		if (import_host_finish(sink->hosts[i]) == -1)
			return -1;
	if (sink->ninv > 0 && inv_write(sink, &inv) == -1) {
		ofile_abort(inv);
		return -1;
	}
	sink->res = xcalloc(sink->nhosts + 1, sizeof(*sink->res));
	for (i = 0; i < sink->nhosts; i++)
		host_result(sink->hosts[i], &sink->res[i]);
	if (inv != NULL && ofile_commit(inv) == -1)
		return -1;
	for (i = 0; i < sink->nhosts; i++) {
		/* the result keeps the path: commit frees the ofile */
		sink->res[i].path = xstrdup(sink->hosts[i]->of->path);
		if (ofile_commit(sink->hosts[i]->of) == -1) {
			sink->hosts[i]->of = NULL;
			return -1;
		}
		sink->hosts[i]->of = NULL;
	}
	sink->committed = true;
	return 0;
}

size_t
import_sink_results(const struct import_sink *sink,
    const struct import_result **res)
{
	*res = sink->res;
	return sink->committed ? sink->nhosts : 0;
}

const char *
import_sink_inventory_path(const struct import_sink *sink, size_t *rows)
{
	*rows = sink->ninv;
	return sink->committed ? sink->inv_path : NULL;
}

size_t
import_sink_notes(const struct import_sink *sink,
    const struct import_note **notes)
{
	*notes = sink->notes;
	return sink->nnotes;
}
