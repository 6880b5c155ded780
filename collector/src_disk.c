/*
 * src_disk.c - disk I/O from /proc/diskstats, whole physical disks only.
 *
 * Host totals add up the disks that have a device behind them in sysfs
 * (/sys/block/<name>/device): partitions are not in /sys/block, and loop,
 * ram, zram, dm-* and md* devices have no device, so LVM, RAID and
 * multipath I/O is not counted twice (research §3.3).  Sectors are always
 * 512 bytes, whatever the device's block size.
 *
 * Counters are 64-bit except the time fields (ms), which are 32-bit in
 * the kernel and wrap after 49 days: a time field that went back from
 * above 2^31 with a plausible result is a wrap; any other decrease is a
 * reset (the device was re-registered) and that device's cells, and the
 * host totals, are empty for the row.  A reset read as a wrap is how other
 * collectors ship petabyte spikes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collector/cmath.h"
#include "collector/source.h"
#include "common/error.h"
#include "common/xalloc.h"

#define DISKSTATS "proc/diskstats"
#define U32 4294967296.0
#define MAX_KIBPS (100e9 / 1024)	/* 100 GB/s: above is a bad delta */

/* diskstats field (1-based, after major, minor, name) of each counter */
static const int field_of[DC_N] = {
	[DC_RD_IOS] = 1, [DC_RD_SEC] = 3, [DC_RD_MS] = 4, [DC_WR_IOS] = 5,
	[DC_WR_SEC] = 7, [DC_WR_MS] = 8, [DC_IO_MS] = 10,
};

static bool
is_time_field(int c)
{
	return c == DC_RD_MS || c == DC_WR_MS || c == DC_IO_MS;
}

/* Is name a whole physical disk?  Asked of sysfs once per name. */
static bool
disk_physical(struct probe *p, const char *name)
{
	char sys[DEV_NAME_MAX];
	size_t v, i;
	bool phys;

	if (strmap_get(&p->disk_phys, name, &v))
		return v != 0;
	/* "cciss/c0d0" is "cciss!c0d0" in sysfs */
	snprintf(sys, sizeof(sys), "%s", name);
	for (i = 0; sys[i] != '\0'; i++)
		if (sys[i] == '/')
			sys[i] = '!';
	phys = strncmp(name, "loop", 4) != 0 && strncmp(name, "ram", 3) != 0 &&
	    strncmp(name, "zram", 4) != 0 && strncmp(name, "dm-", 3) != 0 &&
	    strncmp(name, "md", 2) != 0 &&
	    probe_exists(p, "sys/block/%s/device", sys);
	strmap_put(&p->disk_phys, name, phys, NULL);
	return phys;
}

/* Parse one diskstats line; 0 added, 1 skipped, -1 error. */
static int
parse_line(struct probe *p, struct disk_reading *d, const char *s,
    const char *path, size_t line)
{
	uint64_t f[12], maj, min;
	struct disk_stat *ds;
	size_t len, n;
	int c;

	if (!scan_u64(&s, &maj) || !scan_u64(&s, &min))
		return error_at(ERROR_DATA, path, line, 1,
		    "expected major and minor device numbers");
	s += strspn(s, " \t");
	len = strcspn(s, " \t\n");
	if (len == 0)
		return error_at(ERROR_DATA, path, line, 3, "no device name");
	n = 0;
	for (const char *q = s + len; n < 12 && scan_u64(&q, &f[n]); n++)
		;
	if (n == 4 || len >= DEV_NAME_MAX)
		return 1;	/* a 2.6.18-style partition line; a huge name */
	if (n < 11)
		return error_at(ERROR_DATA, path, line, n + 4,
		    "expected at least 11 statistics, found %zu", n);
	ALLOC_GROW(d->dev, d->n + 1, d->cap);
	ds = &d->dev[d->n];
	memcpy(ds->name, s, len);
	ds->name[len] = '\0';
	for (c = 0; c < DC_N; c++)
		ds->c[c] = f[field_of[c] - 1];
	ds->physical = disk_physical(p, ds->name);
	d->n++;
	return 0;
}

static int
disk_read(struct probe *p, struct reading *r)
{
	struct disk_reading *d = &r->disk;
	const char *s, *nl, *path;
	size_t line = 1;

	d->ok = false;
	d->n = 0;
	if (probe_read(p, DISKSTATS, &p->text) == -1)
		return -1;
	path = probe_path(p, DISKSTATS);
	for (s = p->text.buf; *s != '\0'; s = nl + 1, line++) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s) - 1;
		if (parse_line(p, d, s, path, line) == -1)
			return -1;
	}
	d->ok = true;
	return 0;
}

/* Δ of counter c; false when it went back (a reset). */
static bool
disk_delta(int c, uint64_t a, uint64_t b, double dt_s, uint64_t *d)
{
	if (counter_delta(a, b, d))
		return true;
	if (!is_time_field(c) || (double)a < U32 / 2 || (double)a >= U32)
		return false;
	*d = (uint64_t)(b + U32 - a);
	/* io_ms is wall time with I/O in flight: at most the interval */
	return c != DC_IO_MS || (double)*d <= dt_s * 1100.0 + 1000.0;
}

/* Add one device's sub-interval; false when it reset. */
static bool
add_dev(struct devs_acc *da, const struct disk_stat *a,
    const struct disk_stat *b, double dt_s, double *iops, double *kibps)
{
	struct dev_acc *acc = devs_acc_get(da, b->name);
	uint64_t d[DC_N];
	int c;

	acc->seen = true;
	for (c = 0; c < DC_N; c++)
		if (!disk_delta(c, a->c[c], b->c[c], dt_s, &d[c]))
			goto reset;
	*iops = (double)(d[DC_RD_IOS] + d[DC_WR_IOS]) / dt_s;
	*kibps = (double)(d[DC_RD_SEC] + d[DC_WR_SEC]) / 2.0 / dt_s;
	if (*kibps > MAX_KIBPS)
		goto reset;
	for (c = 0; c < DC_N; c++)
		acc->d[c] += d[c];
	acc->dt_s += dt_s;
	acc->nsub++;
	acc->max_a = cm_max(acc->max_a, *iops);
	acc->max_b = cm_max(acc->max_b, *kibps);
	return true;
reset:
	acc->reset = true;
	return false;
}

static void
disk_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	const struct disk_reading *pd = &prev->disk, *cd = &cur->disk;
	const struct disk_stat *ps;
	double iops = 0.0, kibps = 0.0, i1, k1;
	size_t i, nphys = 0, nprev = 0;
	bool clean = true;

	if (!pd->ok || !cd->ok)
		return;
	for (i = 0; i < pd->n; i++)
		nprev += pd->dev[i].physical;
	for (i = 0; i < cd->n; i++) {
		if (!cd->dev[i].physical)
			continue;
		nphys++;
		ps = dev_find(pd->dev, pd->n, sizeof(*pd->dev), i,
		    cd->dev[i].name);
		if (ps == NULL || !ps->physical) {
			a->flags |= FLAG_DEV_CHANGE;
			continue;
		}
		nprev--;
		if (!add_dev(&a->disk, ps, &cd->dev[i], dt_s, &i1, &k1)) {
			a->flags |= FLAG_COUNTER_RESET;
			a->disk.reset = true;
			clean = false;
			continue;
		}
		iops += i1;
		kibps += k1;
	}
	if (nprev > 0)
		a->flags |= FLAG_DEV_CHANGE;	/* a disk went away */
	if (nphys == 0)
		return;
	a->disk.any = true;
	a->disk.nsub++;
	if (clean) {
		a->disk.max_a = cm_max(a->disk.max_a, iops);
		a->disk.max_b = cm_max(a->disk.max_b, kibps);
	}
}

static void
dev_cells(const struct dev_acc *acc, double *v)
{
	double dt = acc->dt_s, ios;

	v[DISK_READ_IOPS] = (double)acc->d[DC_RD_IOS] / dt;
	v[DISK_WRITE_IOPS] = (double)acc->d[DC_WR_IOS] / dt;
	v[DISK_READ_KIBPS] = (double)acc->d[DC_RD_SEC] / 2.0 / dt;
	v[DISK_WRITE_KIBPS] = (double)acc->d[DC_WR_SEC] / 2.0 / dt;
	v[DISK_BUSY_PCT] = cm_min(100.0, (double)acc->d[DC_IO_MS] / dt / 10.0);
	ios = (double)(acc->d[DC_RD_IOS] + acc->d[DC_WR_IOS]);
	v[DISK_AWAIT_MS] = ios > 0 ? (double)(acc->d[DC_RD_MS] +
	    acc->d[DC_WR_MS]) / ios : NAN;
	v[DISK_IOPS_MAX] = acc->max_a;
	v[DISK_KIBPS_MAX] = acc->max_b;
}

/* The per-device rows: every disk with data that has ever done I/O. */
static void
dev_rows(const struct accum *a, const struct reading *last, struct row *row)
{
	const struct disk_stat *ds;
	const struct dev_acc *acc;
	struct dev_row *dr;
	size_t i, k;

	for (i = 0; i < a->disk.n; i++) {
		acc = &a->disk.dev[i];
		ds = dev_find(last->disk.dev, last->disk.n,
		    sizeof(*last->disk.dev), i, acc->name);
		if (ds != NULL && ds->c[DC_RD_IOS] + ds->c[DC_WR_IOS] == 0)
			continue;
		ALLOC_GROW(row->disk, row->ndisk + 1, row->diskcap);
		dr = &row->disk[row->ndisk++];
		memcpy(dr->name, acc->name, sizeof(dr->name));
		dr->flags = acc->reset ? FLAG_COUNTER_RESET : 0;
		if (acc->nsub != a->disk.nsub || ds == NULL)
			dr->flags |= FLAG_DEV_CHANGE;
		for (k = 0; k < DISKCOL_N; k++)
			dr->v[k] = NAN;
		if (!acc->reset && acc->nsub > 0 && acc->dt_s > 0.0)
			dev_cells(acc, dr->v);
	}
}

static void
disk_finish(const struct accum *a, const struct reading *last,
    struct row *row)
{
	double sum[DC_N] = { 0 }, busy = 0.0, dt = a->dt_s;
	size_t i;
	int c;

	dev_rows(a, last, row);
	if (!a->disk.any || dt <= 0.0)
		return;
	row->v[METRIC_DISK_IOPS_MAX] = a->disk.max_a;
	row->v[METRIC_DISK_KIBPS_MAX] = a->disk.max_b;
	if (a->disk.reset)
		return;
	for (i = 0; i < a->disk.n; i++) {
		for (c = 0; c < DC_N; c++)
			sum[c] += (double)a->disk.dev[i].d[c];
		if (a->disk.dev[i].dt_s > 0.0)
			busy = cm_max(busy, (double)a->disk.dev[i].d[DC_IO_MS] /
			    a->disk.dev[i].dt_s / 10.0);
	}
	row->v[METRIC_DISK_READ_IOPS] = sum[DC_RD_IOS] / dt;
	row->v[METRIC_DISK_WRITE_IOPS] = sum[DC_WR_IOS] / dt;
	row->v[METRIC_DISK_READ_KIBPS] = sum[DC_RD_SEC] / 2.0 / dt;
	row->v[METRIC_DISK_WRITE_KIBPS] = sum[DC_WR_SEC] / 2.0 / dt;
	row->v[METRIC_DISK_BUSY_PCT] = cm_min(100.0, busy);
}

static void
disk_reset(struct accum *a)
{
	struct dev_acc *dev = a->disk.dev;
	size_t cap = a->disk.cap;

	memset(&a->disk, 0, sizeof(a->disk));
	a->disk.dev = dev;
	a->disk.cap = cap;
	a->disk.max_a = a->disk.max_b = NAN;
}

const struct source source_disk = {
	"disk", disk_read, disk_add, disk_finish, disk_reset, false,
};
