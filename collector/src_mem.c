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
 * are counters, as rates: source_vm, read at the row's ends only
 * (/proc/vmstat is 4 KB of text the kernel writes out for 3 counters).
 */
#include <math.h>
#include <string.h>

#include "collector/source.h"
#include "common/error.h"

#define MEMINFO "proc/meminfo"
#define VMSTAT "proc/vmstat"

struct key {
	const char *name;	/* with the ':' for meminfo */
	size_t offset;		/* in struct mem_reading or vm_reading */
};

#define MKEY(n, f) { n, offsetof(struct mem_reading, f) }
#define VKEY(n, f) { n, offsetof(struct vm_reading, f) }
static const struct key meminfo_keys[] = {
	MKEY("MemTotal:", total_kib),
	MKEY("MemAvailable:", avail_kib),
	MKEY("Cached:", cached_kib),
	MKEY("SwapTotal:", swap_total_kib),
	MKEY("SwapFree:", swap_free_kib),
};
static const struct key vmstat_keys[] = {
	VKEY("pswpin", pswpin),
	VKEY("pswpout", pswpout),
	VKEY("pgmajfault", pgmajfault),
};
#define NKEYS(a) (sizeof(a) / sizeof(a[0]))

/*
 * Store the values of the keys found in text into m; returns a bit per
 * key found, or -1 (error set) for a key whose value is not a number.
 */
static long
parse_keys(void *m, const char *text, const struct key *keys,
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

	m->ok = m->has_avail = false;
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
	return 0;
}

static void
mem_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	const struct mem_reading *cm = &cur->mem;
	struct mem_acc *ma = &a->mem;
	double used;

	(void)prev;
	(void)dt_s;
	if (!cm->ok)
		return;
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
}

static void
mem_reset(struct accum *a)
{
	memset(&a->mem, 0, sizeof(a->mem));
	a->mem.used_max = NAN;
}

const struct source source_mem = {
	"mem", mem_read, mem_add, mem_finish, mem_reset, false,
};

/* ------------------------------------------- vmstat, once a row */

static int
vm_read(struct probe *p, struct reading *r)
{
	struct vm_reading *v = &r->per_row.vm;
	long found;

	v->ok = false;
	if (probe_read(p, VMSTAT, &p->text) == -1)
		return -1;
	found = parse_keys(v, p->text.buf, vmstat_keys, NKEYS(vmstat_keys),
	    probe_path(p, VMSTAT));
	if (found == -1)
		return -1;
	v->ok = found == 7;
	return 0;
}

/* the row's start (prev) to its end (cur) */
static void
vm_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	const struct vm_reading *pv = &prev->per_row.vm, *cv = &cur->per_row.vm;
	struct vm_acc *va = &a->vm;

	(void)dt_s;
	if (!pv->ok || !cv->ok)
		return;
	if (!counter_delta(pv->pswpin, cv->pswpin, &va->d_swpin) ||
	    !counter_delta(pv->pswpout, cv->pswpout, &va->d_swpout) ||
	    !counter_delta(pv->pgmajfault, cv->pgmajfault, &va->d_majflt)) {
		a->flags |= FLAG_COUNTER_RESET;
		return;
	}
	va->ok = true;
}

static void
vm_finish(const struct accum *a, const struct reading *last,
    struct row *row)
{
	const struct vm_acc *va = &a->vm;

	(void)last;
	if (!va->ok || a->dt_s <= 0.0)
		return;
	row->v[METRIC_SWAP_IN_PER_S] = (double)va->d_swpin / a->dt_s;
	row->v[METRIC_SWAP_OUT_PER_S] = (double)va->d_swpout / a->dt_s;
	row->v[METRIC_PGMAJFAULT_PER_S] = (double)va->d_majflt / a->dt_s;
}

static void
vm_reset(struct accum *a)
{
	memset(&a->vm, 0, sizeof(a->vm));
}

const struct source source_vm = {
	"vmstat", vm_read, vm_add, vm_finish, vm_reset, true,
};
