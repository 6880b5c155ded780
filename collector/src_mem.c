/*
 * src_mem.c - memory from /proc/meminfo, paging from /proc/vmstat.
 *
 * Used memory is MemTotal - MemAvailable, the kernel's own estimate of
 * what could be had without swapping (procps-ng 4 "used").  "Free +
 * cached" is wrong today: Cached includes Shmem, which cannot be dropped
 * (commit 34e431b0a).  A kernel older than 3.14 has no MemAvailable: the
 * used cells stay empty and the row says meminfo_no_available rather than
 * guess.  Gauges (used, cache, swap used) are the mean of the sub-sample
 * readings, used also their highest; swap-in, swap-out and major faults
 * are counters, as rates.
 */
#include <math.h>
#include <string.h>

#include "collector/source.h"
#include "common/error.h"

#define MEMINFO "proc/meminfo"
#define VMSTAT "proc/vmstat"

struct key {
	const char *name;	/* with the ':' for meminfo */
	size_t offset;		/* in struct mem_reading */
};

#define MKEY(n, f) { n, offsetof(struct mem_reading, f) }
static const struct key meminfo_keys[] = {
	MKEY("MemTotal:", total_kib),
	MKEY("MemAvailable:", avail_kib),
	MKEY("Cached:", cached_kib),
	MKEY("SwapTotal:", swap_total_kib),
	MKEY("SwapFree:", swap_free_kib),
};
static const struct key vmstat_keys[] = {
	MKEY("pswpin", pswpin),
	MKEY("pswpout", pswpout),
	MKEY("pgmajfault", pgmajfault),
};
#define NKEYS(a) (sizeof(a) / sizeof(a[0]))

/*
 * Store the values of the keys found in text into m; returns a bit per
 * key found, or -1 (error set) for a key whose value is not a number.
 */
static long
parse_keys(struct mem_reading *m, const char *text, const struct key *keys,
    size_t nkeys, const char *path)
{
	const char *s = text, *nl, *v;
	size_t line = 1, i, n;
	long found = 0;

	for (; *s != '\0'; s = nl + 1, line++) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s) - 1;
		for (i = 0; i < nkeys; i++) {
			n = strlen(keys[i].name);
			if (strncmp(s, keys[i].name, n) != 0 ||
			    (s[n] != ' ' && s[n] != '\t'))
				continue;
			v = s + n;
			if (!scan_u64(&v, (uint64_t *)(void *)((char *)m +
			    keys[i].offset)))
				return error_at(ERROR_DATA, path, line, 2,
				    "%s has no value", keys[i].name);
			found |= 1L << i;
		}
	}
	return found;
}

static int
mem_read(struct probe *p, struct reading *r)
{
	struct mem_reading *m = &r->mem;
	long found;

	m->ok = m->vm_ok = m->has_avail = false;
	if (probe_read(p, MEMINFO, &p->text) == -1)
		return -1;
	found = parse_keys(m, p->text.buf, meminfo_keys, NKEYS(meminfo_keys),
	    probe_path(p, MEMINFO));
	if (found == -1)
		return -1;
	if (!(found & 1))
		return error_at(ERROR_DATA, probe_path(p, MEMINFO), 0, 0,
		    "no MemTotal line");
	m->ok = true;
	m->has_avail = (found & 2) != 0;
	if (!(found & 8) || !(found & 16))
		m->swap_total_kib = m->swap_free_kib = 0;
	if (probe_read(p, VMSTAT, &p->text) == -1)
		return -1;
	found = parse_keys(m, p->text.buf, vmstat_keys, NKEYS(vmstat_keys),
	    probe_path(p, VMSTAT));
	if (found == -1)
		return -1;
	m->vm_ok = found == 7;
	return 0;
}

static void
mem_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	const struct mem_reading *pm = &prev->mem, *cm = &cur->mem;
	struct mem_acc *ma = &a->mem;
	uint64_t d1, d2, d3;
	double used;

	(void)dt_s;
	if (cm->ok) {
		ma->n++;
		ma->cache_sum += (double)cm->cached_kib;
		ma->swap_sum += cm->swap_total_kib > cm->swap_free_kib ?
		    (double)(cm->swap_total_kib - cm->swap_free_kib) : 0.0;
		if (cm->has_avail) {
			used = cm->total_kib > cm->avail_kib ?
			    (double)(cm->total_kib - cm->avail_kib) : 0.0;
			ma->used_sum += used;
			ma->n_used++;
			if (isnan(ma->used_max) || used > ma->used_max)
				ma->used_max = used;
		} else
			a->flags |= FLAG_MEM_NO_AVAIL;
	}
	if (!pm->vm_ok || !cm->vm_ok)
		return;
	if (!counter_delta(pm->pswpin, cm->pswpin, &d1) ||
	    !counter_delta(pm->pswpout, cm->pswpout, &d2) ||
	    !counter_delta(pm->pgmajfault, cm->pgmajfault, &d3)) {
		ma->vm_reset = true;
		a->flags |= FLAG_COUNTER_RESET;
		return;
	}
	ma->d_swpin += d1;
	ma->d_swpout += d2;
	ma->d_majflt += d3;
	ma->vm_nsub++;
}

#define MIB(kib) ((kib) / 1024.0)

static void
mem_finish(const struct accum *a, const struct reading *last,
    struct row *row)
{
	const struct mem_acc *ma = &a->mem;

	if (last->mem.ok)
		row->v[METRIC_MEM_TOTAL_MIB] = MIB((double)last->mem.total_kib);
	if (ma->n > 0) {
		row->v[METRIC_MEM_CACHE_MIB] = MIB(ma->cache_sum / ma->n);
		row->v[METRIC_SWAP_USED_MIB] = MIB(ma->swap_sum / ma->n);
	}
	/* all sub-samples, or the mean would not be over the interval */
	if (ma->n_used > 0 && ma->n_used == a->nsub) {
		row->v[METRIC_MEM_USED_MIB] = MIB(ma->used_sum / ma->n_used);
		row->v[METRIC_MEM_USED_MAX_MIB] = MIB(ma->used_max);
	}
	if (ma->vm_reset || ma->vm_nsub != a->nsub || a->dt_s <= 0.0)
		return;
	row->v[METRIC_SWAP_IN_PER_S] = (double)ma->d_swpin / a->dt_s;
	row->v[METRIC_SWAP_OUT_PER_S] = (double)ma->d_swpout / a->dt_s;
	row->v[METRIC_PGMAJFAULT_PER_S] = (double)ma->d_majflt / a->dt_s;
}

static void
mem_reset(struct accum *a)
{
	memset(&a->mem, 0, sizeof(a->mem));
	a->mem.used_max = NAN;
}

const struct source source_mem = {
	"mem", mem_read, mem_add, mem_finish, mem_reset,
};
