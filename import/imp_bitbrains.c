/*
 * imp_bitbrains.c - GWA-T-12 Bitbrains per-VM traces (TU Delft Grid
 * Workloads Archive), with an inventory.
 *
 * A file <vm_id>.csv has a header line and then one row per sample, the
 * fields separated by ';' and a tab (the tab is trimmed as a blank by
 * the CSV reader):
 *   Timestamp [ms]; CPU cores; CPU capacity provisioned [MHZ];
 *   CPU usage [MHZ]; CPU usage [%]; Memory capacity provisioned [KB];
 *   Memory usage [KB]; Disk read/write throughput [KB/s];
 *   Network received/transmitted throughput [KB/s]
 * The timestamp is Unix seconds despite its label.  KB are taken as KiB
 * (most provisioned sizes are whole multiples of 1,024 KB).  The trace
 * does not say whether a timestamp starts or ends its interval; it is
 * kept as the start, as scripts/make-samples does for samples/bitbrains,
 * and the interval is the nominal 300 s (real steps jitter by 1 s).
 *
 * Rows reporting 0 cores (some VMs report only zeros) carry no usable
 * measurement: they are skipped and counted, and a VM with nothing else
 * gets no file.  The same vm_id in several folders (months) is one host,
 * its files streamed in the order of their first timestamps.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "import/import.h"

#define BB_INTERVAL_S 300.0
#define BB_NCOLS 11

enum bb_col {
	BB_TS, BB_CORES, BB_CAP_MHZ, BB_USE_MHZ, BB_USE_PCT, BB_MEM_KB,
	BB_MEMUSE_KB, BB_DISK_R, BB_DISK_W, BB_NET_RX, BB_NET_TX
};

static const char *const bb_header[BB_NCOLS] = {
	"Timestamp [ms]", "CPU cores", "CPU capacity provisioned [MHZ]",
	"CPU usage [MHZ]", "CPU usage [%]", "Memory capacity provisioned [KB]",
	"Memory usage [KB]", "Disk read throughput [KB/s]",
	"Disk write throughput [KB/s]", "Network received throughput [KB/s]",
	"Network transmitted throughput [KB/s]",
};

/* Where each trace column goes (-1: nowhere) and its divisor. */
static const struct {
	int metric;
	double div;
} bb_map[BB_NCOLS] = {
	[BB_TS] = { -1, 1 }, [BB_CORES] = { METRIC_NCPU_ONLINE, 1 },
	[BB_CAP_MHZ] = { -1, 1 }, [BB_USE_MHZ] = { -1, 1 },
	[BB_USE_PCT] = { METRIC_CPU_BUSY_PCT, 1 },
	[BB_MEM_KB] = { METRIC_MEM_TOTAL_MIB, 1024 },
	[BB_MEMUSE_KB] = { METRIC_MEM_USED_MIB, 1024 },
	[BB_DISK_R] = { METRIC_DISK_READ_KIBPS, 1 },
	[BB_DISK_W] = { METRIC_DISK_WRITE_KIBPS, 1 },
	[BB_NET_RX] = { METRIC_NET_RX_KIBPS, 1 },
	[BB_NET_TX] = { METRIC_NET_TX_KIBPS, 1 },
};

struct bb_part {
	char *host;		/* the file stem: the vm_id */
	char *path;
	int64_t first_s;	/* the first row's time, to order parts */
};

/* One host being read, across its parts. */
struct bb_host {
	struct import_sink *sink;
	const char *name;
	const char *path;	/* the part being read */
	struct import_host *h;	/* made at the first usable row */
	double cores, mhz, mem_kb;	/* for the inventory */
};

static int
bb_header_check(const struct csv_record *rec, const char *path)
{
	size_t i;

	if (rec->nfields != BB_NCOLS)
		return error_at(ERROR_DATA, path, rec->line, 0, "expected the "
		    "%d columns of a GWA-T-12 file, found %zu (fields are "
		    "separated by ';')", BB_NCOLS, rec->nfields);
	for (i = 0; i < BB_NCOLS; i++)
		if (strcmp(rec->fields[i], bb_header[i]) != 0)
			return error_at(ERROR_DATA, path, rec->line, i + 1,
			    "expected the column '%s', found '%s'",
			    bb_header[i], rec->fields[i]);
	return 0;
}

static int
bb_cells(const struct csv_record *rec, const char *path, double v[])
{
	const char *why;
	size_t i;

	if (rec->nfields != BB_NCOLS)
		return error_at(ERROR_DATA, path, rec->line, 0, "expected %d "
		    "fields as in the header, found %zu", BB_NCOLS,
		    rec->nfields);
	for (i = 0; i < BB_NCOLS; i++) {
		if (num_parse_double(rec->fields[i], &v[i], &why) == -1)
			return error_at(ERROR_DATA, path, rec->line, i + 1,
			    "%s: '%s' %s", bb_header[i], rec->fields[i], why);
		if (v[i] < 0.0)
			return error_at(ERROR_DATA, path, rec->line, i + 1,
			    "%s: '%s' is negative", bb_header[i],
			    rec->fields[i]);
	}
	if (v[BB_TS] != floor(v[BB_TS]) || v[BB_TS] > 1e11)
		return error_at(ERROR_DATA, path, rec->line, 1, "%s: '%s' is "
		    "not a time in whole Unix seconds", bb_header[BB_TS],
		    rec->fields[BB_TS]);
	if (v[BB_CORES] != floor(v[BB_CORES]))
		return error_at(ERROR_DATA, path, rec->line, 2, "%s: '%s' is "
		    "not a whole number", bb_header[BB_CORES],
		    rec->fields[BB_CORES]);
	return 0;
}

static void
bb_sample(const double v[], struct sample *s)
{
	int m;
	size_t i;

	memset(s, 0, sizeof(*s));
	for (m = 0; m < METRIC_N; m++)
		s->v[m] = NAN;
	s->ts_ms = (int64_t)v[BB_TS] * 1000;
	s->interval_s = BB_INTERVAL_S;
	for (i = 0; i < BB_NCOLS; i++)
		if (bb_map[i].metric >= 0)
			s->v[bb_map[i].metric] = v[i] / bb_map[i].div;
	if (v[BB_MEM_KB] == 0.0)	/* no size: used alone is kept */
		s->v[METRIC_MEM_TOTAL_MIB] = NAN;
}

static int
bb_open_host(struct bb_host *b, size_t line)
{
	bool has[METRIC_N] = { false };
	size_t i;

	for (i = 0; i < BB_NCOLS; i++)
		if (bb_map[i].metric >= 0)
			has[bb_map[i].metric] = true;
	b->h = import_sink_host(b->sink, b->name, has, b->path, line);
	return b->h == NULL ? -1 : 0;
}

static int
bb_record(const struct csv_record *rec, void *ctx)
{
	struct bb_host *b = ctx;
	double v[BB_NCOLS];
	struct sample s;

	if (rec->index == 1)
		return bb_header_check(rec, b->path);
	if (bb_cells(rec, b->path, v) == -1)
		return -1;
	if (v[BB_CORES] == 0.0) {
		import_sink_note(b->sink, "rows reporting 0 cores skipped",
		    b->path, rec->line);
		return 0;
	}
	if (b->h == NULL && bb_open_host(b, rec->line) == -1)
		return -1;
	if (isnan(b->mhz))
		b->mhz = v[BB_CAP_MHZ] / v[BB_CORES];
	b->cores = fmax(b->cores, v[BB_CORES]);
	b->mem_kb = fmax(b->mem_kb, v[BB_MEM_KB]);
	bb_sample(v, &s);
	return import_host_row(b->h, &s, b->path, rec->line);
}

static int
bb_read(struct bb_host *b, const char *path)
{
	struct csv_reader *r = csv_reader_open(path);
	int rc;

	if (r == NULL)
		return -1;
	csv_reader_set_delim(r, ';');
	b->path = path;
	rc = csv_reader_run(r, bb_record, b);
	csv_reader_free(r);
	return rc;
}

static void
bb_inventory(const struct bb_host *b)
{
	struct server_inv inv;
	static char yes[] = "yes";

	import_inv_init(&inv, b->name);
	inv.sockets = 1;	/* the trace gives no topology */
	inv.cores = inv.threads = b->cores;
	inv.cpu_mhz = isnan(b->mhz) || b->mhz <= 0 ? NAN : round(b->mhz);
	inv.mem_mib = b->mem_kb > 0 ? round(b->mem_kb / 1024.0) : NAN;
	inv.virtual = yes;
	import_sink_inventory(b->sink, &inv);
}

/* Read the parts [i, j) of one host. */
static int
bb_host(struct import_sink *sink, const struct bb_part *p, size_t i,
    size_t j)
{
	struct bb_host b = { sink, p[i].host, NULL, NULL, 0, NAN, 0 };

	for (; i < j; i++)
		if (bb_read(&b, p[i].path) == -1)
			return -1;
	if (b.h == NULL) {
		import_sink_note(sink, "VMs with no row of more than 0 cores "
		    "left out", p[j - 1].path, 0);
		return 0;
	}
	bb_inventory(&b);
	return import_host_finish(b.h);
}

/* The first data row's time in whole seconds, or INT64_MAX (no rows or
 * a bad time: the full read reports it). */
static int64_t
bb_first_time(const char *path)
{
	const char *why;
	char *line = NULL;
	size_t cap = 0;
	int64_t t = INT64_MAX;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return t;
	if (getline(&line, &cap, fp) != -1 && getline(&line, &cap, fp) != -1) {
		line[strcspn(line, ";")] = '\0';
		if (num_parse_int64(line, &t, &why) == -1)
			t = INT64_MAX;
	}
	free(line);
	fclose(fp);
	return t;
}

static int
part_cmp(const void *a, const void *b)
{
	const struct bb_part *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	return (x->first_s > y->first_s) - (x->first_s < y->first_s);
}

static void
part_add(struct bb_part **p, size_t *n, size_t *cap, const char *path)
{
	char *base = import_basename(path);
	size_t len = strlen(base);

	if (len > 4 && strcmp(base + len - 4, ".csv") == 0)
		base[len - 4] = '\0';
	ALLOC_GROW(*p, *n + 1, *cap);
	(*p)[*n].host = base;
	(*p)[*n].path = xstrdup(path);
	(*p)[*n].first_s = bb_first_time(path);
	(*n)++;
}

static int
bb_parts(char **inputs, size_t ninputs, struct bb_part **p, size_t *n)
{
	char **files;
	size_t cap = 0, i, k, nf;

	for (i = 0; i < ninputs; i++) {
		if (!import_is_dir(inputs[i])) {
			part_add(p, n, &cap, inputs[i]);
			continue;
		}
		if (import_list_dir(inputs[i], ".csv", &files, &nf) == -1)
			return -1;
		for (k = 0; k < nf; k++) {
			part_add(p, n, &cap, files[k]);
			free(files[k]);
		}
		free(files);
		if (nf == 0)
			return error_set(ERROR_DATA, "'%s' holds no .csv files",
			    inputs[i]);
	}
	array_sort(*p, *n, sizeof(**p), part_cmp);
	return 0;
}

int
import_bitbrains(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct bb_part *p = NULL;
	size_t n = 0, i, j;
	int ret = -1;

	(void)o;
	if (bb_parts(inputs, ninputs, &p, &n) == -1)
		goto out;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(p[j].host, p[i].host) == 0; j++)
			;
		if (bb_host(sink, p, i, j) == -1)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++) {
		free(p[i].host);
		free(p[i].path);
	}
	free(p);
	return ret;
}
