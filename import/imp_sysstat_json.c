/*
 * imp_sysstat_json.c - sysstat data as printed by sadf -j.
 *
 * The document is {"sysstat": {"hosts": [{"nodename": ..., "release":
 * ..., "number-of-cpus": ..., "statistics": [record, ...], ...}]}}, each
 * record one sadc sample with every activity.  It is walked with jscan,
 * one record at a time, twice: the first pass finds each host's
 * statistics array, its first time, its columns and the memory bounds
 * (sysstat.h); the second streams the records of each host, its files
 * in time order.  Errors name the record's line and column and the
 * member at fault ("memory.avail").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/xalloc.h"
#include "import/jscan.h"
#include "import/sysstat.h"

/* One host's statistics array in one file. */
struct sj_part {
	const struct sa_input *in;
	struct jscan_pos pos;	/* of its '[' */
	char *host, *kernel;
	double ncpu;
	int64_t first_ms;
	bool has[METRIC_N];
	struct sa_mem_bounds mem;
};

struct sj_parts {
	struct sj_part *v;
	size_t n, cap;
};

/* A record being read: where it is, for messages. */
struct sj_rec {
	struct jscan *js;
	struct jscan_pos pos;
};

static int
rec_error(const struct sj_rec *r, const char *member, const char *what)
{
	return jscan_error(r->js, &r->pos, "statistics record: %s %s", member,
	    what);
}

/* The number obj[key] into *v: NaN when absent and optional. */
static int
jnum(const struct sj_rec *r, json_t *obj, const char *key, const char *path,
    bool optional, double *v)
{
	json_t *x = json_object_get(obj, key);

	*v = NAN;
	if (x == NULL && optional)
		return 0;
	if (x == NULL)
		return rec_error(r, path, "is missing");
	if (!json_is_number(x))
		return rec_error(r, path, "is not a number");
	*v = json_number_value(x);
	if (*v < 0 || !isfinite(*v))
		return rec_error(r, path, "is negative");
	return 0;
}

/* "2026-11-26" and "06:27:22" (UTC) to ms. */
static int
rec_time(const struct sj_rec *r, json_t *ts, int64_t *ms, double *iv)
{
	const char *d = json_string_value(json_object_get(ts, "date"));
	const char *t = json_string_value(json_object_get(ts, "time"));
	json_t *utc = json_object_get(ts, "utc");
	char buf[64];
	const char *why;

	if (d == NULL || t == NULL)
		return rec_error(r, "timestamp", "has no date and time");
	if (!json_is_integer(utc) || json_integer_value(utc) != 1)
		return rec_error(r, "timestamp", "is not in UTC (sadf -t "
		    "prints local times, which repeat or skip an hour; run "
		    "sadf without -t)");
	if (jnum(r, ts, "interval", "timestamp.interval", false, iv) == -1)
		return -1;
	snprintf(buf, sizeof(buf), "%.20sT%.20sZ", d, t);
	if (time_parse_rfc3339(buf, ms, &why) == -1)
		return rec_error(r, "timestamp", why);
	return 0;
}

static int
rec_cpu(const struct sj_rec *r, struct sa_acc *a, json_t *cpus)
{
	const char *key, *cpu;
	double v[3], sum, x;
	json_t *c, *val;
	size_t i;

	json_array_foreach(cpus, i, c) {
		cpu = json_string_value(json_object_get(c, "cpu"));
		if (cpu == NULL)
			return rec_error(r, "cpu-load[].cpu", "is missing");
		if (jnum(r, c, "idle", "cpu-load[].idle", false, &v[0]) == -1 ||
		    jnum(r, c, "iowait", "cpu-load[].iowait", false, &v[1]) ==
		    -1 || jnum(r, c, "steal", "cpu-load[].steal", false, &v[2])
		    == -1)
			return -1;
		sum = 0;
		json_object_foreach(c, key, val)
			if (json_is_number(val) && (x = json_number_value(val))
			    > 0)
				sum += x;
		sa_acc_cpu(a, strcmp(cpu, "all") == 0 || strcmp(cpu, "-1") ==
		    0, v[0], v[1], v[2], sum);
	}
	return 0;
}

static int
rec_mem(const struct sj_rec *r, struct sa_acc *a, json_t *m)
{
	static const char *const k[] = { "memfree", "avail", "memused",
	    "memused-percent", "buffers", "cached", "slab", "swpused" };
	char path[40];
	double v[8];
	size_t i;

	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "memory.%s", k[i]);
		if (jnum(r, m, k[i], path, i >= 6, &v[i]) == -1)
			return -1;
	}
	sa_acc_mem(a, v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
	a->s.v[METRIC_SWAP_USED_MIB] = v[7] / 1024.0;
	return 0;
}

static int
rec_io(const struct sj_rec *r, struct sa_acc *a, json_t *io)
{
	json_t *rd = json_object_get(io, "io-reads");
	json_t *wr = json_object_get(io, "io-writes");
	double *s = a->s.v, v[4];

	if (jnum(r, rd, "rtps", "io.io-reads.rtps", false, &v[0]) == -1 ||
	    jnum(r, rd, "bread", "io.io-reads.bread", false, &v[1]) == -1 ||
	    jnum(r, wr, "wtps", "io.io-writes.wtps", false, &v[2]) == -1 ||
	    jnum(r, wr, "bwrtn", "io.io-writes.bwrtn", false, &v[3]) == -1)
		return -1;
	s[METRIC_DISK_READ_IOPS] = v[0];
	s[METRIC_DISK_READ_KIBPS] = v[1] / 2.0;	/* 512-byte blocks */
	s[METRIC_DISK_WRITE_IOPS] = v[2];
	s[METRIC_DISK_WRITE_KIBPS] = v[3] / 2.0;
	return 0;
}

static int
rec_disk(const struct sj_rec *r, struct sa_acc *a, json_t *disks)
{
	double v[3];
	json_t *d;
	size_t i;

	json_array_foreach(disks, i, d) {
		if (jnum(r, d, "rkB", "disk[].rkB", false, &v[0]) == -1 ||
		    jnum(r, d, "wkB", "disk[].wkB", false, &v[1]) == -1 ||
		    jnum(r, d, "util-percent", "disk[].util-percent", false,
		    &v[2]) == -1)
			return -1;
		sa_acc_disk(a, v[0], v[1], v[2]);
	}
	return 0;
}

static int
rec_net(const struct sj_rec *r, struct sa_acc *a, json_t *net)
{
	const char *iface;
	double v[2];
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(net, "net-dev"), i, d) {
		iface = json_string_value(json_object_get(d, "iface"));
		if (iface == NULL)
			return rec_error(r, "network.net-dev[].iface",
			    "is missing");
		if (jnum(r, d, "rxkB", "network.net-dev[].rxkB", false,
		    &v[0]) == -1 || jnum(r, d, "txkB",
		    "network.net-dev[].txkB", false, &v[1]) == -1)
			return -1;
		sa_acc_net(a, iface, v[0], v[1]);
	}
	return 0;
}

static int
rec_psi(const struct sj_rec *r, struct sa_acc *a, json_t *psi)
{
	static const struct {
		const char *key, *path;
		int m;
	} k[] = {
		{ "psi-cpu", "psi.psi-cpu.some_avg", METRIC_PSI_CPU_SOME_PCT },
		{ "psi-io", "psi.psi-io.some_avg", METRIC_PSI_IO_SOME_PCT },
		{ "psi-mem", "psi.psi-mem.some_avg", METRIC_PSI_MEM_SOME_PCT },
	};
	json_t *o;
	size_t i;

	for (i = 0; i < 3; i++)
		if ((o = json_object_get(psi, k[i].key)) != NULL &&
		    jnum(r, o, "some_avg", k[i].path, false,
		    &a->s.v[k[i].m]) == -1)
			return -1;
	return 0;
}

/* "power-management": {"cpu-frequency": [{"number": "all",
 * "frequency": MHz}, ...]} (sar -m CPU): the "all" clock */
static int
rec_freq(const struct sj_rec *r, struct sa_acc *a, json_t *pm)
{
	json_t *f = json_object_get(pm, "cpu-frequency"), *c, *num;
	size_t i;

	json_array_foreach(f, i, c) {
		num = json_object_get(c, "number");
		if ((json_is_string(num) && (strcmp(json_string_value(num),
		    "all") == 0 || strcmp(json_string_value(num), "-1") == 0)) ||
		    (json_is_integer(num) && json_integer_value(num) == -1))
			return jnum(r, c, "frequency",
			    "power-management.cpu-frequency[].frequency", false,
			    &a->mhz);
	}
	return 0;
}

static int
rec_simple(const struct sj_rec *r, struct sa_acc *a, json_t *rec)
{
	json_t *o;

	if ((o = json_object_get(rec, "swap-pages")) != NULL &&
	    (jnum(r, o, "pswpin", "swap-pages.pswpin", false,
	    &a->s.v[METRIC_SWAP_IN_PER_S]) == -1 || jnum(r, o, "pswpout",
	    "swap-pages.pswpout", false, &a->s.v[METRIC_SWAP_OUT_PER_S]) ==
	    -1))
		return -1;
	if ((o = json_object_get(rec, "paging")) != NULL && jnum(r, o,
	    "majflt", "paging.majflt", false,
	    &a->s.v[METRIC_PGMAJFAULT_PER_S]) == -1)
		return -1;
	if ((o = json_object_get(rec, "power-management")) != NULL &&
	    rec_freq(r, a, o) == -1)
		return -1;
	return 0;
}

/* Fill a from one statistics record (interval <= 0: skip it); hint is
 * the total memory to use without kbslab. */
static int
rec_read(const struct sj_rec *r, json_t *rec, struct sa_acc *a, double hint)
{
	json_t *o, *cpu = json_object_get(rec, "cpu-load");
	int64_t ms;
	double iv;

	if (!json_is_object(rec))
		return rec_error(r, "record", "is not an object");
	if (rec_time(r, json_object_get(rec, "timestamp"), &ms, &iv) == -1)
		return -1;
	sa_acc_init(a, ms, iv);
	a->mem_total_hint = hint;
	if (cpu == NULL)
		cpu = json_object_get(rec, "cpu-load-all");
	if (cpu != NULL && rec_cpu(r, a, cpu) == -1)
		return -1;
	if ((o = json_object_get(rec, "memory")) != NULL &&
	    rec_mem(r, a, o) == -1)
		return -1;
	if ((o = json_object_get(rec, "io")) != NULL && rec_io(r, a, o) == -1)
		return -1;
	if ((o = json_object_get(rec, "disk")) != NULL &&
	    rec_disk(r, a, o) == -1)
		return -1;
	if ((o = json_object_get(rec, "network")) != NULL &&
	    rec_net(r, a, o) == -1)
		return -1;
	if ((o = json_object_get(rec, "psi")) != NULL &&
	    rec_psi(r, a, o) == -1)
		return -1;
	return rec_simple(r, a, rec);
}

/* The columns record rec gives. */
static void
rec_has(json_t *rec, bool has[METRIC_N])
{
	json_t *cpu = json_object_get(rec, "cpu-load"), *m;

	if (cpu == NULL)
		cpu = json_object_get(rec, "cpu-load-all");
	if (cpu != NULL)
		sa_kind_metrics(SA_CPU, json_array_size(cpu) > 1, has);
	if ((m = json_object_get(rec, "memory")) != NULL) {
		sa_kind_metrics(SA_MEM, false, has);
		if (json_object_get(m, "swpused") != NULL)
			sa_kind_metrics(SA_SWAP, false, has);
	}
	if (json_object_get(rec, "swap-pages") != NULL)
		sa_kind_metrics(SA_SWAPPAGES, false, has);
	if (json_object_get(rec, "paging") != NULL)
		sa_kind_metrics(SA_PAGING, false, has);
	if (json_object_get(rec, "io") != NULL)
		sa_kind_metrics(SA_IO, false, has);
	if (json_object_get(rec, "disk") != NULL)
		sa_kind_metrics(SA_DISK, false, has);
	if (json_object_get(rec, "network") != NULL)
		sa_kind_metrics(SA_NET, false, has);
	if ((m = json_object_get(rec, "psi")) != NULL) {
		if (json_object_get(m, "psi-cpu") != NULL)
			sa_kind_metrics(SA_PSI_CPU, false, has);
		if (json_object_get(m, "psi-io") != NULL)
			sa_kind_metrics(SA_PSI_IO, false, has);
		if (json_object_get(m, "psi-mem") != NULL)
			sa_kind_metrics(SA_PSI_MEM, false, has);
	}
}

/* ------------------------------------------------------ first pass */

/* Bound the total memory by a record without kbslab. */
static void
rec_bound(json_t *rec, struct sa_mem_bounds *b)
{
	json_t *m = json_object_get(rec, "memory");
	double v[5];
	size_t i;
	static const char *const k[] = { "memfree", "memused", "buffers",
	    "cached", "memused-percent" };

	if (m == NULL || json_object_get(m, "slab") != NULL)
		return;
	for (i = 0; i < 5; i++)
		v[i] = json_number_value(json_object_get(m, k[i]));
	sa_mem_bound(b, v[0] + v[1] + v[2] + v[3], v[1], v[4]);
}

/* Does a record carry memory without kbslab (bounds needed)? */
static bool
needs_bounds(json_t *rec)
{
	json_t *m = json_object_get(rec, "memory");

	return m != NULL && json_object_get(m, "slab") == NULL;
}

/*
 * The statistics array of part p.  Every record of one sadf run has the
 * same activities, so once the first record with an interval is read,
 * the others are only skipped (not parsed) unless the memory bounds need
 * them: the second pass parses and checks every record.
 */
static int
scan_stats(struct jscan *js, struct sj_part *p)
{
	struct sj_rec r = { js, { 0, 0, 0 } };
	struct sa_acc a;
	json_t *rec;
	bool read_all = true;
	int more;

	jscan_tell(js, &p->pos);
	if (jscan_array(js, "statistics") == -1)
		return -1;
	while ((more = jscan_more(js)) == 1) {
		if (!read_all) {
			if (jscan_skip(js) == -1)
				return -1;
			continue;
		}
		jscan_tell(js, &r.pos);
		if (jscan_value(js, &rec) == -1)
			return -1;
		if (rec_read(&r, rec, &a, NAN) == -1) {
			json_decref(rec);
			return -1;
		}
		rec_has(rec, p->has);
		rec_bound(rec, &p->mem);
		if (p->first_ms == INT64_MIN && a.s.interval_s > 0)
			p->first_ms = a.s.ts_ms;
		read_all = p->first_ms == INT64_MIN || needs_bounds(rec);
		json_decref(rec);
	}
	return more;
}

/* One element of "hosts". */
static int
scan_host(struct jscan *js, struct sj_part *p)
{
	const char *key;
	json_t *v;
	int more;

	if (jscan_object(js, "a host") == -1)
		return -1;
	while ((more = jscan_key(js, &key)) == 1) {
		if (strcmp(key, "statistics") == 0) {
			if (scan_stats(js, p) == -1)
				return -1;
			continue;
		}
		if (jscan_value(js, &v) == -1)
			return -1;
		/* a key given twice: the last one counts, as in jansson */
		if (strcmp(key, "nodename") == 0 && json_is_string(v)) {
			free(p->host);
			p->host = xstrdup(json_string_value(v));
		} else if (strcmp(key, "release") == 0 && json_is_string(v)) {
			free(p->kernel);
			p->kernel = xstrdup(json_string_value(v));
		} else if (strcmp(key, "number-of-cpus") == 0)
			p->ncpu = json_number_value(v);
		json_decref(v);
	}
	return more;
}

static int
scan_hosts(struct jscan *js, const struct sa_input *in, struct sj_parts *ps)
{
	struct sj_part *p;
	struct jscan_pos at;
	int more;

	if (jscan_array(js, "hosts") == -1)
		return -1;
	while ((more = jscan_more(js)) == 1) {
		ALLOC_GROW(ps->v, ps->n + 1, ps->cap);
		p = &ps->v[ps->n++];
		memset(p, 0, sizeof(*p));
		p->in = in;
		p->first_ms = INT64_MIN;
		p->ncpu = p->mem.lo = p->mem.hi = NAN;
		jscan_tell(js, &at);
		if (scan_host(js, p) == -1)
			return -1;
		if (p->host == NULL || p->pos.line == 0)
			return jscan_error(js, &at, "a host without nodename "
			    "or statistics");
	}
	return more;
}

/* Walk {"sysstat": {"hosts": [...]}} of one file. */
static int
scan_file(const struct sa_input *in, struct sj_parts *ps)
{
	struct jscan *js = jscan_open(in->path, in->name);
	const char *key;
	int ret = -1, more;

	if (js == NULL)
		return -1;
	if (jscan_object(js, "sadf -j output") == -1 ||
	    (more = jscan_key(js, &key)) == -1)
		goto out;
	if (more == 0 || strcmp(key, "sysstat") != 0) {
		error_at(ERROR_DATA, in->name, 1, 1, "not sadf -j output (no "
		    "\"sysstat\" object)");
		goto out;
	}
	if (jscan_object(js, "sysstat") == -1)
		goto out;
	while ((more = jscan_key(js, &key)) == 1)
		if ((strcmp(key, "hosts") == 0 ? scan_hosts(js, in, ps) :
		    jscan_skip(js)) == -1)
			goto out;
	if (more == -1 || jscan_key(js, &key) == -1 || jscan_end(js) == -1)
		goto out;
	ret = 0;
out:
	jscan_free(js);
	return ret;
}

/* ----------------------------------------------------- second pass */

/* Stream the records of part p into h. */
static int
stream_part(struct import_sink *sink, struct import_host *h,
    const struct sj_part *p, double hint, double *mhz)
{
	struct jscan *js = jscan_open(p->in->path, p->in->name);
	struct sj_rec r = { js, { 0, 0, 0 } };
	struct sa_acc a;
	json_t *rec;
	int more = -1;

	if (js == NULL)
		return -1;
	if (jscan_seek(js, &p->pos) == -1 || jscan_array(js, "statistics")
	    == -1)
		goto out;
	while ((more = jscan_more(js)) == 1) {
		jscan_tell(js, &r.pos);
		if (jscan_value(js, &rec) == -1)
			break;
		more = rec_read(&r, rec, &a, hint);
		json_decref(rec);
		if (more == -1)
			break;
		if (a.s.interval_s <= 0) {
			import_sink_note(sink, "records with interval 0 "
			    "skipped (sadc appended a new run)", p->in->name,
			    r.pos.line);
			continue;
		}
		sa_acc_finish(&a);
		if (!(a.mhz <= *mhz))
			*mhz = a.mhz;
		if (a.mem_estimated)
			import_sink_note(sink, "records whose total memory was "
			    "estimated from %memused (use -r ALL for kbslab)",
			    p->in->name, r.pos.line);
		if ((more = import_host_row(h, &a.s, p->in->name, r.pos.line))
		    == -1)
			break;
	}
out:
	jscan_free(js);
	return more == 0 ? 0 : -1;
}

/* The parts p[0..n) of one host, in time order. */
static int
json_host(struct import_sink *sink, const struct import_opts *o,
    struct sj_part *p, size_t n)
{
	double mhz = NAN;
	struct sa_mem_bounds mb = { NAN, NAN };
	bool has[METRIC_N] = { false };
	struct import_host *h;
	size_t i;
	int m;

	for (i = 0; i < n; i++) {
		for (m = 0; m < METRIC_N; m++)
			has[m] |= p[i].has[m];
		sa_mem_merge(&mb, &p[i].mem);
	}
	h = import_sink_host(sink, p[0].host, has, p[0].in->name,
	    p[0].pos.line);
	if (h == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (stream_part(sink, h, &p[i], sa_mem_total(&mb), &mhz) == -1)
			return -1;
	/* the total memory as the samples give it: no second estimate */
	sa_inventory_add(sink, o, import_host_name(h), p[n - 1].ncpu,
	    !isnan(sa_mem_total(&mb)) ? sa_mem_total(&mb) / 1024.0 :
	    import_host_max(h, METRIC_MEM_TOTAL_MIB), p[n - 1].kernel, mhz);
	return import_host_finish(h);
}

static int
part_cmp(const void *a, const void *b)
{
	const struct sj_part *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	return (x->first_ms > y->first_ms) - (x->first_ms < y->first_ms);
}

int
sa_json_import(struct import_sink *sink, const struct import_opts *o,
    const struct sa_input *in, size_t nin)
{
	struct sj_parts ps = { NULL, 0, 0 };
	size_t i, j;
	int ret = -1;

	for (i = 0; i < nin; i++)
		if (scan_file(&in[i], &ps) == -1)
			goto out;
	array_sort(ps.v, ps.n, sizeof(*ps.v), part_cmp);
	for (i = 0; i < ps.n; i = j) {
		for (j = i + 1; j < ps.n && strcmp(ps.v[j].host,
		    ps.v[i].host) == 0; j++)
			;
		if (json_host(sink, o, ps.v + i, j - i) == -1)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < ps.n; i++) {
		free(ps.v[i].host);
		free(ps.v[i].kernel);
	}
	free(ps.v);
	return ret;
}
