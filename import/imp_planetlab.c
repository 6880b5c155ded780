/*
 * imp_planetlab.c - the PlanetLab traces shipped with CloudSim.
 *
 * A day is a folder named YYYYMMDD holding one file per VM; a file is one
 * integer CPU utilisation (0-100 %) per line, one line per 300 s, with no
 * time stamp and no header.  Times therefore come from outside: --start,
 * else 00:00 UTC of the folder's date (the traces say nothing about time
 * zones; CloudSim and the project's samples assume UTC midnight).
 *
 * The same VM in several day folders is one host: its parts are sorted
 * by start time and streamed one after the other, and the sink refuses
 * parts that overlap.  Memory holds the list of parts, never the data.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "import/import.h"

#define PL_INTERVAL_S 300.0

struct pl_part {
	char *host;		/* the file name */
	char *path;
	int64_t start_ms;
};

struct pl_parts {
	struct pl_part *v;
	size_t n, cap;
};

/* 00:00 UTC of the date a folder is named after, or -1 (error set). */
static int
folder_start(const char *dir, int64_t *start_ms)
{
	char *base = import_basename(dir);
	unsigned y, m, d;
	int ret = -1;
	char c;

	if (strlen(base) == 8 && sscanf(base, "%4u%2u%2u%c", &y, &m, &d,
	    &c) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
	    strspn(base, "0123456789") == 8) {
		*start_ms = time_days_from_civil(y, m, d) * 86400000;
		ret = 0;
	} else
		error_set(ERROR_USAGE, "cannot tell the start date of '%s' "
		    "from its folder name '%s' (not YYYYMMDD); give --start",
		    dir, base);
	free(base);
	return ret;
}

static void
parts_add(struct pl_parts *p, const char *path, int64_t start_ms)
{
	struct pl_part *pp;

	ALLOC_GROW(p->v, p->n + 1, p->cap);
	pp = &p->v[p->n++];
	pp->path = xstrdup(path);
	pp->host = import_basename(path);
	pp->start_ms = start_ms;
}

/* The folder a file is in ("." when none). */
static char *
parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static int
add_input(struct pl_parts *p, const struct import_opts *o, const char *in)
{
	char **files = NULL, *dir;
	size_t n = 0, i;
	int64_t start = o->start_ms;
	int rc;

	if (access(in, R_OK) != 0)
		return error_set_errno(ERROR_IO, "cannot open '%s'", in);
	dir = import_is_dir(in) ? xstrdup(in) : parent_dir(in);
	rc = start == IMPORT_NO_TIME ? folder_start(dir, &start) : 0;
	free(dir);
	if (rc == -1)
		return -1;
	if (!import_is_dir(in)) {
		parts_add(p, in, start);
		return 0;
	}
	if (import_list_dir(in, "", &files, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		parts_add(p, files[i], start);
		free(files[i]);
	}
	free(files);
	if (n == 0)
		return error_set(ERROR_DATA, "'%s' holds no trace files", in);
	return 0;
}

static int
part_cmp(const void *a, const void *b)
{
	const struct pl_part *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	return (x->start_ms > y->start_ms) - (x->start_ms < y->start_ms);
}

/* Parse one line: a whole number of percent, 0 to 100. */
static int
pl_value(const char *path, size_t lineno, char *line, double *v)
{
	size_t n = strlen(line);
	const char *why;
	long pct;

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (num_parse_long_range(line, 0, 100, &pct, &why) == -1)
		return error_at(ERROR_DATA, path, lineno, 1,
		    "CPU utilisation '%s' %s (a whole percentage, 0 to 100)",
		    line, why);
	*v = (double)pct;
	return 0;
}

static int
pl_stream(struct import_host *h, const struct pl_part *pp, double iv)
{
	struct sample s;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	FILE *fp = fopen(pp->path, "r");
	int m, ret = -1;

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", pp->path);
	memset(&s, 0, sizeof(s));
	for (m = 0; m < METRIC_N; m++)
		s.v[m] = NAN;
	s.interval_s = iv;
	while (errno = 0, getline(&line, &cap, fp) != -1) {
		lineno++;
		s.ts_ms = pp->start_ms + (int64_t)llround((double)(lineno - 1) *
		    iv * 1000.0);
		if (pl_value(pp->path, lineno, line, &s.v[METRIC_CPU_BUSY_PCT])
		    == -1 || import_host_row(h, &s, pp->path, lineno) == -1)
			goto out;
	}
	if (ferror(fp)) {
		error_set_errno(ERROR_IO, "cannot read '%s'", pp->path);
		goto out;
	}
	if (lineno == 0)
		import_sink_note(import_host_sink(h), "empty trace files",
		    pp->path, 0);
	ret = 0;
out:
	free(line);
	fclose(fp);
	return ret;
}

/* Stream the parts [i, j) of one host. */
static int
pl_host(struct import_sink *sink, const struct pl_parts *p, size_t i,
    size_t j, double iv)
{
	bool has[METRIC_N] = { false };
	struct import_host *h;

	has[METRIC_CPU_BUSY_PCT] = true;
	h = import_sink_host(sink, p->v[i].host, has, p->v[i].path, 0);
	if (h == NULL)
		return -1;
	for (; i < j; i++)
		if (pl_stream(h, &p->v[i], iv) == -1)
			return -1;
	return import_host_finish(h);
}

int
import_planetlab(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct pl_parts p = { NULL, 0, 0 };
	double iv = isnan(o->interval_s) ? PL_INTERVAL_S : o->interval_s;
	size_t i, j;
	int ret = -1;

	for (i = 0; i < ninputs; i++)
		if (add_input(&p, o, inputs[i]) == -1)
			goto out;
	array_sort(p.v, p.n, sizeof(*p.v), part_cmp);
	for (i = 0; i < p.n; i = j) {
		for (j = i + 1; j < p.n && strcmp(p.v[j].host, p.v[i].host) == 0;
		    j++)
			;
		if (pl_host(sink, &p, i, j, iv) == -1)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < p.n; i++) {
		free(p.v[i].host);
		free(p.v[i].path);
	}
	free(p.v);
	return ret;
}
