/*
 * imp_collect.c - merge the output folders of capplan-collect agents
 * into one fleet folder: one samples file per host and one inventory.
 *
 * An agent's folder (collector/stream.h, collector/output.c) holds daily
 * samples files "samples-YYYYMMDD.csv" (with "-2", "-3" when a day was
 * begun twice), the open day "samples-YYYYMMDD.csv.part", per-device
 * streams "disk-*" and "net-*" (not imported: capplan works on the host
 * totals), and "inventory.csv".  Files named "*.samples.csv" are taken
 * too.  Samples files carry a host column and the agent's flags, which
 * are kept.
 *
 * Every file goes through capplan's own samples reader, so anything
 * capplan inspect would refuse stops the merge with its line and
 * column; a last line cut short (an agent killed while writing) and a
 * repeated time are skipped and counted, as the reader does.  The first
 * pass notes which hosts each file has and when they start; the second
 * streams each host's files in time order.  Inventories are read whole
 * (one row per server); for a host in several folders the last folder
 * named wins.
 *
 * One host name in two folders is two agents reporting the same name
 * (clones, a name set twice) as often as one agent moved, and merging
 * their rows mixes two machines: it is refused, naming both folders,
 * unless --merge asks for it.  "-" reads the stream capplan-collect
 * writes without -o (an inventory record, then the samples), split into
 * a temporary folder: the samples part keeps its line numbers (the
 * inventory's lines become blank lines, which the reader skips), so
 * messages name "<stdin>" and its own lines.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/inventory.h"
#include "common/samples.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "import/import.h"

/* One host's rows in one file. */
struct cl_part {
	char *path;		/* shared by the parts of one file */
	const char *name;	/* for messages: the path, or "<stdin>" */
	size_t folder;		/* the input it came from */
	char *host;
	int64_t first_ms;
	bool has[METRIC_N];
	bool flags;
};

struct cl_run {
	struct import_sink *sink;
	struct cl_part *p;
	size_t n, cap;
	char **files;		/* the samples files, owned */
	size_t nfiles, files_cap;
	/* the first pass over one file */
	size_t file_first;	/* its first part in p[] */
	size_t folder;		/* the input being read */
	const char *path, *name;
	bool has[METRIC_N], flags;
	/* the second pass over one part */
	struct import_host *h;
	const char *host;
};

static bool
is_samples_file(const char *name)
{
	size_t n = strlen(name);

	if (n > 12 && strcmp(name + n - 12, ".samples.csv") == 0)
		return true;
	if (strncmp(name, "samples-", 8) != 0)
		return false;
	return (n > 4 && strcmp(name + n - 4, ".csv") == 0) ||
	    (n > 9 && strcmp(name + n - 9, ".csv.part") == 0);
}

static int
cl_header(const struct samples_header *h, void *ctx)
{
	struct cl_run *r = ctx;

	memcpy(r->has, h->has, sizeof(r->has));
	r->flags = h->has_flags;
	return 0;
}

/* First pass: a part per host of the file, with its first time. */
static int
cl_scan_row(const struct sample *s, void *ctx)
{
	struct cl_run *r = ctx;
	struct cl_part *p;
	size_t i;

	for (i = r->file_first; i < r->n; i++)
		if (strcmp(r->p[i].host, s->host) == 0)
			return 0;
	ALLOC_GROW(r->p, r->n + 1, r->cap);
	p = &r->p[r->n++];
	p->path = (char *)(uintptr_t)r->path;
	p->name = r->name;
	p->folder = r->folder;
	p->host = xstrdup(s->host);
	p->first_ms = s->ts_ms;
	memcpy(p->has, r->has, sizeof(p->has));
	p->flags = r->flags;
	return 0;
}

static void
cl_stats(struct cl_run *r, const char *path, const struct samples_stats *st)
{
	if (st->trunc_line > 0)
		import_sink_note(r->sink, "last lines cut short skipped (an "
		    "agent stopped while writing)", path, st->trunc_line);
	if (st->dup_skipped > 0)
		import_sink_note(r->sink, "rows repeating a time skipped",
		    path, st->dup_first_line);
}

/* name: NULL for the path itself */
static int
cl_scan(struct cl_run *r, const char *path, const char *name)
{
	static const struct samples_ops ops = { cl_header, cl_scan_row };
	struct samples_stats st;
	char *copy = xstrdup(path);

	ALLOC_GROW(r->files, r->nfiles + 1, r->files_cap);
	r->files[r->nfiles++] = copy;
	r->path = copy;
	r->name = name != NULL ? name : copy;
	r->file_first = r->n;
	if (samples_read_named(copy, r->name, &ops, r, &st) == -1)
		return -1;
	cl_stats(r, r->name, &st);
	return 0;
}

static int
cl_inventory(struct cl_run *r, const char *path, const char *name)
{
	struct inventory inv;
	size_t i;

	if (inventory_load_named(&inv, path, name != NULL ? name : path,
	    NULL) == -1)
		return -1;
	for (i = 0; i < inv.nservers; i++)
		import_sink_inventory(r->sink, &inv.servers[i]);
	inventory_release(&inv);
	return 0;
}

/* One folder: its samples files, then its inventory; name: NULL, or
 * the name of every file in messages */
static int
cl_dir(struct cl_run *r, const char *dir, const char *name)
{
	char **files, *base;
	size_t n, i;
	int ret = 0;

	if (import_list_dir(dir, "", &files, &n) == -1)
		return -1;
	for (i = 0; i < n && ret == 0; i++) {
		base = import_basename(files[i]);
		if (is_samples_file(base))
			ret = cl_scan(r, files[i], name);
		free(base);
	}
	for (i = 0; i < n && ret == 0; i++) {
		base = import_basename(files[i]);
		if (strcmp(base, "inventory.csv") == 0)
			ret = cl_inventory(r, files[i], name);
		free(base);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return ret;
}

/* Second pass: the rows of one host. */
static int
cl_copy_row(const struct sample *s, void *ctx)
{
	struct cl_run *r = ctx;

	if (strcmp(s->host, r->host) != 0)
		return 0;
	return import_host_row(r->h, s, r->path, s->line);
}

static int
part_cmp(const void *a, const void *b)
{
	const struct cl_part *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	return (x->first_ms > y->first_ms) - (x->first_ms < y->first_ms);
}

/* The parts p[0..n) of one host, in time order. */
static int
cl_host(struct cl_run *r, const struct cl_part *p, size_t n)
{
	static const struct samples_ops ops = { NULL, cl_copy_row };
	bool has[METRIC_N] = { false }, flags = false;
	size_t i;
	int m;

	for (i = 0; i < n; i++) {
		for (m = 0; m < METRIC_N; m++)
			has[m] |= p[i].has[m];
		flags |= p[i].flags;
	}
	r->h = import_sink_host(r->sink, p[0].host, has, p[0].path, 0);
	if (r->h == NULL)
		return -1;
	if (flags)
		import_host_keep_flags(r->h);
	r->host = p[0].host;
	for (i = 0; i < n; i++) {
		r->path = p[i].name;
		if (samples_read_named(p[i].path, p[i].name, &ops, r, NULL) ==
		    -1)
			return -1;
	}
	return import_host_finish(r->h);
}

/* --------------------------------------------------- standard input */

/*
 * Split the stream on stdin into dir/inventory.csv (the lines before the
 * samples' format record) and dir/stdin.samples.csv (as many blank lines,
 * then the rest).
 */
static int
spool_stream(const char *dir)
{
	char path[PATH_MAX], *line = NULL;
	FILE *inv, *smp;
	size_t cap = 0, before = 0, i;
	bool in_samples = false;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/inventory.csv", dir);
	inv = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/stdin.samples.csv", dir);
	smp = fopen(path, "w");
	if (inv == NULL || smp == NULL) {
		error_set_errno(ERROR_IO, "cannot spool standard input to '%s'",
		    dir);
		goto out;
	}
	while (getline(&line, &cap, stdin) != -1) {
		if (!in_samples && strncmp(line, "capplan-samples,", 16) == 0) {
			in_samples = true;
			for (i = 0; i < before; i++)
				fputc('\n', smp);
		}
		fputs(line, in_samples ? smp : inv);
		before += !in_samples;
	}
	if (ferror(stdin) || ferror(inv) || ferror(smp))
		error_set_errno(ERROR_IO, "cannot spool standard input");
	else
		ret = 0;
out:
	free(line);
	if ((inv != NULL && fclose(inv) != 0) || (smp != NULL &&
	    fclose(smp) != 0))
		ret = error_set_errno(ERROR_IO, "cannot spool standard input");
	return ret;
}

/* the stream on stdin, through a temporary folder *tmp (to remove) */
static int
cl_stdin(struct cl_run *r, char **tmp)
{
	const char *t = getenv("TMPDIR");
	char buf[PATH_MAX];

	if (*tmp != NULL)
		return error_set(ERROR_USAGE, "standard input ('-') named twice");
	snprintf(buf, sizeof(buf), "%s/capplan-collect-XXXXXX", t != NULL &&
	    *t != '\0' ? t : "/tmp");
	if (mkdtemp(buf) == NULL)
		return error_set_errno(ERROR_IO, "cannot create '%s'", buf);
	*tmp = xstrdup(buf);
	if (spool_stream(*tmp) == -1)
		return -1;
	return cl_dir(r, *tmp, "<stdin>");
}

static void
remove_spool(char *tmp)
{
	char path[PATH_MAX];

	if (tmp == NULL)
		return;
	snprintf(path, sizeof(path), "%s/inventory.csv", tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stdin.samples.csv", tmp);
	unlink(path);
	rmdir(tmp);
	free(tmp);
}

/* -------------------------------------------------------------- run */

/* One host's parts p[0..n) from two inputs: refused unless --merge. */
static int
check_folders(const struct cl_part *p, size_t n, char **inputs, bool merge)
{
	size_t i;

	for (i = 1; i < n && !merge; i++)
		if (p[i].folder != p[0].folder)
			return error_set(ERROR_DATA, "host '%s' is in two agent "
			    "folders, '%s' and '%s': two agents reporting one "
			    "name would be mixed into one server (give one "
			    "capplan-collect --hostname), or one agent moved "
			    "(import them with --merge)", p[0].host,
			    inputs[p[0].folder], inputs[p[i].folder]);
	return 0;
}

static int
cl_inputs(struct cl_run *r, char **inputs, size_t ninputs, char **tmp)
{
	size_t i;

	for (i = 0; i < ninputs; i++) {
		r->folder = i;
		if (strcmp(inputs[i], "-") == 0) {
			if (cl_stdin(r, tmp) == -1)
				return -1;
		} else if (!import_is_dir(inputs[i]))
			return error_set(ERROR_USAGE, "'%s' is not a folder of "
			    "capplan-collect output", inputs[i]);
		else if (cl_dir(r, inputs[i], NULL) == -1)
			return -1;
	}
	return 0;
}

int
import_collect(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct cl_run r;
	char *tmp = NULL;
	size_t i, j;
	int ret = -1;

	memset(&r, 0, sizeof(r));
	r.sink = sink;
	if (cl_inputs(&r, inputs, ninputs, &tmp) == -1)
		goto out;
	array_sort(r.p, r.n, sizeof(*r.p), part_cmp);
	for (i = 0; i < r.n; i = j) {
		for (j = i + 1; j < r.n && strcmp(r.p[j].host, r.p[i].host) ==
		    0; j++)
			;
		if (check_folders(r.p + i, j - i, inputs, o->merge) == -1 ||
		    cl_host(&r, r.p + i, j - i) == -1)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < r.n; i++)
		free(r.p[i].host);
	for (i = 0; i < r.nfiles; i++)
		free(r.files[i]);
	free(r.p);
	free(r.files);
	remove_spool(tmp);
	return ret;
}
