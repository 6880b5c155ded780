/*
 * profile.c - the profiles file (capplan-profiles,1): columns, writer,
 * reader; and the tables of names profile.h exports.
 *
 * One column list, built per slot kind by pcols_build(), drives the CSV
 * writer, the CSV reader and (through the same values) the JSON writer,
 * so the three cannot drift apart.  Columns: the server's fixed figures
 * (host ... size_mem_mib), then per resource its summary statistics
 * (<resource>_mean ... <resource>_projected), then per resource its slot
 * values (<resource>_h00 ... _h23, or _w000 ... _w167).  capplan-formats(5)
 * documents them.  Numbers have fixed decimals per unit (CU 6, others 3),
 * so the same profile is always the same bytes and reading a file and
 * writing it again reproduces it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/error.h"
#include "common/format.h"
#include "common/json.h"
#include "common/num.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "model/profile.h"

const struct resource_info resource_table[RES_N] = {
	[RES_CPU] = { "cpu_cu", "CU" },
	[RES_MEM] = { "mem_mib", "MiB" },
	[RES_DISK_IOPS] = { "disk_iops", "1/s" },
	[RES_DISK_KIBPS] = { "disk_kibps", "KiB/s" },
	[RES_NET_KIBPS] = { "net_kibps", "KiB/s" },
};

const char *const rating_source_names[] = { "inventory", "table",
    "cores_mhz", "assumed", NULL };
const char *const slot_kind_names[] = { "hour", "week", NULL };
const char *const profile_flag_names[PROFILE_NFLAGS] = { "short", "gappy",
    "cpu_masked", "no_inventory", "no_mem", "trend", "mem_below_peak" };

/* decimals written per resource */
static const int res_decimals[RES_N] = { 6, 3, 3, 3, 3 };

enum pcol_kind {
	PC_HOST,		/* text */
	PC_NUM,			/* a double of struct profile */
	PC_COUNT,		/* nsamples */
	PC_TIME,		/* an int64_t ms of struct profile */
	PC_SOURCE,		/* rating_source */
	PC_FLAGS,
	PC_SLOTKIND,
	PC_STAT,		/* a double of stat[res] */
	PC_STAT_N,		/* stat[res].n */
	PC_SLOT,		/* slot[res][slot] */
};

struct pcol {
	char name[40];
	enum pcol_kind kind;
	size_t off;		/* PC_NUM, PC_TIME, PC_STAT */
	int res, slot, decimals;
	double lo, hi;		/* accepted range when read */
};

#define PNUM(n, f, d, lo, hi) \
	{ n, PC_NUM, offsetof(struct profile, f), 0, 0, d, lo, hi }
#define SNUM(n, f, d) \
	{ n, PC_STAT, offsetof(struct demand_stats, f), 0, 0, d, -1e300, 1e300 }

static const struct pcol fixed_cols[] = {
	{ "host", PC_HOST, 0, 0, 0, 0, 0, 0 },
	PNUM("cpu_rating", cpu_rating, 6, 0, 1e12),
	{ "rating_source", PC_SOURCE, 0, 0, 0, 0, 0, 0 },
	PNUM("threads", threads, 0, 0, 1e9),
	PNUM("mem_total_mib", mem_total_mib, 1, 0, 1e15),
	{ "nsamples", PC_COUNT, 0, 0, 0, 0, 0, 0 },
	{ "first", PC_TIME, offsetof(struct profile, first_ms), 0, 0, 0, 0, 0 },
	{ "end", PC_TIME, offsetof(struct profile, end_ms), 0, 0, 0, 0, 0 },
	PNUM("interval_s", interval_s, 3, 0, 1e9),
	PNUM("days", days, 4, 0, 1e7),
	PNUM("coverage", coverage, 4, 0, 1),
	PNUM("confidence", confidence, 4, 0, 1),
	{ "flags", PC_FLAGS, 0, 0, 0, 0, 0, 0 },
	{ "slot_kind", PC_SLOTKIND, 0, 0, 0, 0, 0, 0 },
	PNUM("size_vcpus", size_vcpus, 0, 0, 1e9),
	PNUM("size_mem_mib", size_mem_mib, 0, 0, 1e15),
	PNUM("percentile", percentile, 3, 50, 100),
};

/* per resource, after "<resource>_"; decimals -1: the resource's */
static const struct pcol stat_cols[] = {
	SNUM("mean", mean, -1),
	SNUM("p50", p50, -1),
	SNUM("p90", p90, -1),
	SNUM("p95", p95, -1),
	SNUM("p99", p99, -1),
	SNUM("max", max, -1),
	SNUM("burst", burst, 4),
	SNUM("trend_30d", trend_per_30d, -1),
	SNUM("trend_se", trend_se, -1),
	SNUM("sized", sized, -1),
	SNUM("projected", projected, -1),
	{ "n", PC_STAT_N, 0, 0, 0, 0, 0, 0 },
};

#define NFIXED (sizeof(fixed_cols) / sizeof(fixed_cols[0]))
#define NSTAT (sizeof(stat_cols) / sizeof(stat_cols[0]))

/* The columns of a file of slot kind k; free the result. */
static struct pcol *
pcols_build(enum slot_kind k, size_t *n)
{
	struct pcol *c = xcalloc(NFIXED + RES_N * (NSTAT + (size_t)k),
	    sizeof(*c));
	size_t i = 0, j;
	int r, s;

	for (j = 0; j < NFIXED; j++)
		c[i++] = fixed_cols[j];
	for (r = 0; r < RES_N; r++)
		for (j = 0; j < NSTAT; j++, i++) {
			c[i] = stat_cols[j];
			c[i].res = r;
			if (c[i].decimals < 0)
				c[i].decimals = res_decimals[r];
			snprintf(c[i].name, sizeof(c[i].name), "%.16s_%.16s",
			    resource_table[r].name, stat_cols[j].name);
		}
	for (r = 0; r < RES_N; r++)
		for (s = 0; s < (int)k; s++, i++) {
			c[i].kind = PC_SLOT;
			c[i].res = r;
			c[i].slot = s;
			c[i].decimals = res_decimals[r];
			snprintf(c[i].name, sizeof(c[i].name), k == SLOTS_HOUR ?
			    "%s_h%02d" : "%s_w%03d", resource_table[r].name, s);
		}
	*n = i;
	return c;
}

static double *
pcol_num(const struct pcol *c, struct profile *p)
{
	switch (c->kind) {
	case PC_NUM:
		return (double *)(void *)((char *)p + c->off);
	case PC_STAT:
		return (double *)(void *)((char *)&p->stat[c->res] + c->off);
	case PC_SLOT:
		return &p->slot[c->res][c->slot];
	default:
		return NULL;
	}
}

static void
flags_text(unsigned flags, struct strbuf *sb)
{
	int i;

	strbuf_reset(sb);
	for (i = 0; i < PROFILE_NFLAGS; i++)
		if (flags & (1u << i)) {
			if (sb->len > 0)
				strbuf_addch(sb, ';');
			strbuf_addstr(sb, profile_flag_names[i]);
		}
}

static void
write_cell(struct csv_line *l, const struct pcol *c, struct profile *p,
    struct strbuf *sb)
{
	char ts[TIME_RFC3339_LEN];

	switch (c->kind) {
	case PC_HOST:
		csv_line_text(l, p->host);
		break;
	case PC_COUNT:
		csv_line_int(l, (long long)p->nsamples);
		break;
	case PC_STAT_N:
		csv_line_int(l, (long long)p->stat[c->res].n);
		break;
	case PC_TIME:
		time_format_rfc3339(*(int64_t *)(void *)((char *)p + c->off), ts);
		csv_line_str(l, ts);
		break;
	case PC_SOURCE:
		csv_line_str(l, rating_source_names[p->rating_source]);
		break;
	case PC_FLAGS:
		flags_text(p->flags, sb);
		csv_line_str(l, sb->buf != NULL ? sb->buf : "");
		break;
	case PC_SLOTKIND:
		csv_line_str(l, slot_kind_names[p->slot_kind == SLOTS_WEEK]);
		break;
	default:
		csv_line_num(l, *pcol_num(c, p), c->decimals);
	}
}

static int
write_csv(const struct profile_set *ps, FILE *fp, const char *name)
{
	enum slot_kind k = ps->nprofiles > 0 ? ps->profiles[0].slot_kind :
	    SLOTS_HOUR;
	struct strbuf sb = STRBUF_INIT;
	struct csv_line l;
	struct pcol *cols;
	size_t ncols, i, j;
	int ret = 0;

	cols = pcols_build(k, &ncols);
	csv_line_init(&l);
	format_write(&l, FORMAT_PROFILES);
	for (j = 0; j < ncols; j++)
		csv_line_str(&l, cols[j].name);
	csv_line_end(&l);
	for (i = 0; i < ps->nprofiles && ret == 0; i++) {
		for (j = 0; j < ncols; j++)
			write_cell(&l, &cols[j], &ps->profiles[i], &sb);
		csv_line_end(&l);
		ret = csv_line_flush(&l, fp, name);
	}
	if (ret == 0)
		ret = csv_line_flush(&l, fp, name);
	csv_line_release(&l);
	strbuf_release(&sb);
	free(cols);
	return ret;
}

/* The value of column c of p as JSON. */
static json_t *
json_cell(const struct pcol *c, struct profile *p)
{
	char ts[TIME_RFC3339_LEN];
	json_t *a;
	int i;

	switch (c->kind) {
	case PC_HOST:
		return json_str(p->host);
	case PC_COUNT:
		return json_integer((json_int_t)p->nsamples);
	case PC_STAT_N:
		return json_integer((json_int_t)p->stat[c->res].n);
	case PC_TIME:
		time_format_rfc3339(*(int64_t *)(void *)((char *)p + c->off), ts);
		return json_str(ts);
	case PC_SOURCE:
		return json_str(rating_source_names[p->rating_source]);
	case PC_FLAGS:
		a = json_array();
		for (i = 0; i < PROFILE_NFLAGS; i++)
			if (p->flags & (1u << i))
				json_array_append_new(a,
				    json_str(profile_flag_names[i]));
		return a;
	case PC_SLOTKIND:
		return json_str(slot_kind_names[p->slot_kind == SLOTS_WEEK]);
	default:
		return json_num(*pcol_num(c, p), c->decimals);
	}
}

static json_t *
json_profile(const struct pcol *cols, size_t ncols, struct profile *p)
{
	json_t *o = json_object(), *res[RES_N], *slots[RES_N];
	size_t j;
	int r;

	for (j = 0; j < NFIXED; j++)
		json_put(o, cols[j].name, json_cell(&cols[j], p));
	for (r = 0; r < RES_N; r++) {
		res[r] = json_object();
		json_put(res[r], "unit", json_str(resource_table[r].unit));
		slots[r] = json_array();
	}
	for (; j < ncols; j++) {
		r = cols[j].res;
		if (cols[j].kind == PC_SLOT)
			json_array_append_new(slots[r], json_cell(&cols[j], p));
		else
			json_put(res[r], stat_cols[(j - NFIXED) % NSTAT].name,
			    json_cell(&cols[j], p));
	}
	for (r = 0; r < RES_N; r++) {
		json_put(res[r], "slots", slots[r]);
		json_put(o, resource_table[r].name, res[r]);
	}
	return o;
}

static json_t *
json_set(const struct profile_set *ps)
{
	enum slot_kind k = ps->nprofiles > 0 ? ps->profiles[0].slot_kind :
	    SLOTS_HOUR;
	json_t *root = json_object(), *a = json_array();
	struct pcol *cols;
	size_t ncols, i;

	cols = pcols_build(k, &ncols);
	json_put(root, "format", json_str(format_table[FORMAT_PROFILES].name));
	json_put(root, "version",
	    json_integer(format_table[FORMAT_PROFILES].version));
	json_put(root, "percentile", json_num(ps->percentile, 3));
	json_put(root, "slot_kind", json_str(slot_kind_names[k == SLOTS_WEEK]));
	json_put(root, "nslots", json_integer((json_int_t)k));
	for (i = 0; i < ps->nprofiles; i++)
		json_array_append_new(a, json_profile(cols, ncols,
		    &ps->profiles[i]));
	json_put(root, "profiles", a);
	free(cols);
	return root;
}

int
profile_set_write(const struct profile_set *ps, const char *path, bool json)
{
	struct ofile *of;
	json_t *root;
	size_t i;
	int ret;

	for (i = 1; i < ps->nprofiles; i++)
		if (ps->profiles[i].slot_kind != ps->profiles[0].slot_kind)
			return error_set(ERROR_DATA, "profile '%s' has %d slots, "
			    "'%s' %d", ps->profiles[i].host,
			    (int)ps->profiles[i].slot_kind,
			    ps->profiles[0].host,
			    (int)ps->profiles[0].slot_kind);
	if (json) {
		root = json_set(ps);
		ret = json_write_path(root, path);
		json_decref(root);
		return ret;
	}
	if ((of = ofile_open(path)) == NULL)
		return -1;
	if (write_csv(ps, of->fp, strcmp(path, "-") == 0 ? "<stdout>" :
	    path) == -1) {
		ofile_abort(of);
		return -1;
	}
	return ofile_commit(of);
}

/* ------------------------------------------------------------ reading */

struct pread {
	const char *path;
	struct profile_set *ps;
	enum slot_kind kind;
	struct pcol *cols;
	size_t ncols;
	int *map;		/* per file column: index in cols, or -1 */
	size_t nfields;
	struct strmap hosts;
	size_t cap;
};

static int
read_header(struct pread *r, const struct csv_record *rec)
{
	struct strmap names = STRMAP_INIT;
	size_t i, at;
	int ret = -1;

	r->kind = SLOTS_HOUR;
	for (i = 0; i < rec->nfields; i++)
		if (strcmp(rec->fields[i], "cpu_cu_w000") == 0)
			r->kind = SLOTS_WEEK;
	r->cols = pcols_build(r->kind, &r->ncols);
	for (i = 0; i < r->ncols; i++)
		strmap_put(&names, r->cols[i].name, i, NULL);
	r->nfields = rec->nfields;
	r->map = xcalloc(rec->nfields, sizeof(int));
	for (i = 0; i < rec->nfields; i++)
		r->map[i] = strmap_get(&names, rec->fields[i], &at) ? (int)at : -1;
	strmap_release(&names);
	strmap_init(&names);
	for (i = 0; i < rec->nfields; i++) {
		if (!strmap_put(&names, rec->fields[i], i, &at)) {
			error_at(ERROR_DATA, r->path, rec->line, i + 1,
			    "column '%s' appears twice (also column %zu)",
			    rec->fields[i], at + 1);
			goto out;
		}
	}
	for (i = 0; i < r->ncols; i++)
		if (!strmap_get(&names, r->cols[i].name, &at)) {
			error_at(ERROR_DATA, r->path, rec->line, 0,
			    "missing column '%s'", r->cols[i].name);
			goto out;
		}
	ret = 0;
out:
	strmap_release(&names);
	return ret;
}

static int
name_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int
parse_flags(const char *s, unsigned *flags, const char **why)
{
	char *copy = xstrdup(s), *w, *save = NULL;
	int i, ret = 0;

	*flags = 0;
	for (w = strtok_r(copy, ";", &save); w != NULL;
	    w = strtok_r(NULL, ";", &save)) {
		for (i = 0; i < PROFILE_NFLAGS; i++)
			if (strcmp(w, profile_flag_names[i]) == 0)
				break;
		if (i == PROFILE_NFLAGS) {
			*why = "names an unknown flag";
			ret = -1;
			break;
		}
		*flags |= 1u << i;
	}
	free(copy);
	return ret;
}

static int
parse_count(const char *s, size_t *out, const char **why)
{
	int64_t v;

	if (num_parse_int64(s, &v, why) == -1)
		return -1;
	if (v < 0) {
		*why = "is negative";
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/* Parse cell s of column c into p; -1 with *why set. */
static int
parse_cell(struct pread *r, const struct pcol *c, const char *s,
    struct profile *p, const char **why)
{
	double *d;
	int i;

	switch (c->kind) {
	case PC_HOST:
		s = csv_text_value(s);
		if (*s == '\0')
			return *why = "is empty", -1;
		if (!strmap_put(&r->hosts, s, r->ps->nprofiles, NULL))
			return *why = "appears on an earlier line", -1;
		p->host = xstrdup(s);
		return 0;
	case PC_COUNT:
		return parse_count(s, &p->nsamples, why);
	case PC_STAT_N:
		return parse_count(s, &p->stat[c->res].n, why);
	case PC_TIME:
		return time_parse_rfc3339(s, (int64_t *)(void *)((char *)p +
		    c->off), why);
	case PC_SOURCE:
		if ((i = name_index(rating_source_names, s)) < 0)
			return *why = "is not a rating source (inventory, "
			    "table, cores_mhz, assumed)", -1;
		p->rating_source = (enum rating_source)i;
		return 0;
	case PC_FLAGS:
		return parse_flags(s, &p->flags, why);
	case PC_SLOTKIND:
		if ((i = name_index(slot_kind_names, s)) < 0 ||
		    (i == 1) != (r->kind == SLOTS_WEEK))
			return *why = "does not match the slot columns", -1;
		return 0;
	default:
		d = pcol_num(c, p);
		if (*s == '\0')
			return *d = NAN, 0;
		if (num_parse_double(s, d, why) == -1)
			return -1;
		if (c->kind == PC_NUM && (*d < c->lo || *d > c->hi))
			return *why = "is out of range", -1;
		return 0;
	}
}

void
profile_init(struct profile *p, const char *host, enum slot_kind k)
{
	size_t i;
	int r;

	memset(p, 0, sizeof(*p));
	p->host = host != NULL ? xstrdup(host) : NULL;
	p->slot_kind = k;
	p->nslots = (size_t)k;
	for (r = 0; r < RES_N; r++) {
		p->slot[r] = xmalloc(p->nslots * sizeof(double));
		for (i = 0; i < p->nslots; i++)
			p->slot[r][i] = NAN;
	}
}

static int
read_row(struct pread *r, const struct csv_record *rec)
{
	struct profile *p;
	const char *why = NULL;
	size_t i;

	if (rec->nfields != r->nfields)
		return error_at(ERROR_DATA, r->path, rec->line, 0,
		    "expected %zu fields as in the header, found %zu",
		    r->nfields, rec->nfields);
	ALLOC_GROW(r->ps->profiles, r->ps->nprofiles + 1, r->cap);
	p = &r->ps->profiles[r->ps->nprofiles];
	profile_init(p, NULL, r->kind);
	for (i = 0; i < rec->nfields; i++) {
		if (r->map[i] < 0)
			continue;
		if (parse_cell(r, &r->cols[r->map[i]], rec->fields[i], p,
		    &why) == -1) {
			profile_release(p);
			return error_at(ERROR_DATA, r->path, rec->line, i + 1,
			    "%s: '%s' %s", r->cols[r->map[i]].name,
			    rec->fields[i], why);
		}
	}
	if (r->ps->nprofiles == 0)
		r->ps->percentile = p->percentile;
	r->ps->nprofiles++;
	return 0;
}

static int
on_record(const struct csv_record *rec, void *ctx)
{
	struct pread *r = ctx;

	if (rec->index == 1)
		return format_expect(rec, r->path, FORMAT_PROFILES,
		    &(int){ 0 });
	if (rec->index == 2)
		return read_header(r, rec);
	return read_row(r, rec);
}

int
profile_set_read(struct profile_set *ps, const char *path)
{
	return profile_set_read_named(ps, path, NULL);
}

int
profile_set_read_named(struct profile_set *ps, const char *path,
    const char *name)
{
	struct pread r = { 0 };
	struct csv_reader *cr;
	int rc;

	memset(ps, 0, sizeof(*ps));
	ps->percentile = NAN;
	if ((cr = csv_reader_open(path)) == NULL)
		return -1;
	if (name != NULL)
		csv_reader_set_name(cr, name);
	r.path = csv_reader_name(cr);
	r.ps = ps;
	strmap_init(&r.hosts);
	rc = csv_reader_run(cr, on_record, &r);
	if (rc == 0 && r.cols == NULL)
		rc = error_at(ERROR_DATA, r.path, 0, 0, "no header line (expected "
		    "'capplan-profiles,1' and a header)");
	csv_reader_free(cr);
	strmap_release(&r.hosts);
	free(r.cols);
	free(r.map);
	if (rc == -1)
		profile_set_release(ps);
	return rc;
}

void
profile_release(struct profile *p)
{
	int r;

	if (p == NULL)
		return;
	free(p->host);
	for (r = 0; r < RES_N; r++)
		free(p->slot[r]);
	memset(p, 0, sizeof(*p));
}

void
profile_set_release(struct profile_set *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->nprofiles; i++)
		profile_release(&ps->profiles[i]);
	free(ps->profiles);
	ps->profiles = NULL;
	ps->nprofiles = 0;
}

static int
host_cmp(const void *key, const void *p)
{
	return strcmp(key, ((const struct profile *)p)->host);
}

const struct profile *
profile_set_find(const struct profile_set *ps, const char *host)
{
	const struct profile *p;
	size_t i;

	/* capplan profile writes hosts sorted: try a binary search first,
	 * then look everywhere, for a set in another order */
	if (ps->nprofiles > 0 && (p = bsearch(host, ps->profiles,
	    ps->nprofiles, sizeof(*p), host_cmp)) != NULL)
		return p;
	for (i = 0; i < ps->nprofiles; i++)
		if (strcmp(ps->profiles[i].host, host) == 0)
			return &ps->profiles[i];
	return NULL;
}
