/*
 * src_cpu.c - CPU time from /proc/stat, run queue and load from
 * /proc/stat and /proc/loadavg.
 *
 * Busy is user + nice + system + irq + softirq over the sum of every
 * field but guest: guest and guest_nice are already inside user and nice
 * (the kernel accounts them twice), steal is in the denominator but not
 * busy, and iowait is idle time (research §3.1).  The denominator is the
 * jiffies that passed, not wall time x CPUs, so tick jitter and steal do
 * not skew the percentage.
 *
 * The per-CPU lines are summed rather than the aggregate "cpu" line,
 * which adds up every possible CPU: when a CPU goes offline its idle
 * count switches from NO_HZ accounting to cpustat and jumps.  Summing only
 * CPUs online at both ends of each sub-interval keeps hot-plug out of
 * the percentages, and gives the per-core maximum for free.  /proc/stat
 * is read once per sub-sample: it is regenerated, intr line and all, on
 * every read (sysstat PR #439).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/source.h"
#include "common/error.h"
#include "common/num.h"
#include "common/xalloc.h"

#define STAT "proc/stat"
#define LOADAVG "proc/loadavg"

/* Parse "cpuN f1 f2 ..." at s (after "cpu"); -1 with the error set. */
static int
parse_cpu_line(struct cpu_reading *c, const char *s, const char *path,
    size_t line)
{
	struct cpu_line *cl;
	uint64_t id;
	int i;

	if (!scan_u64(&s, &id) || id > 1u << 20)
		return error_at(ERROR_DATA, path, line, 1,
		    "cannot read the CPU number");
	ALLOC_GROW(c->cpu, c->ncpu + 1, c->cap);
	cl = &c->cpu[c->ncpu];
	memset(cl, 0, sizeof(*cl));
	cl->id = (unsigned)id;
	/* older kernels have fewer fields: the missing ones stay 0 */
	for (i = 0; i < CPU_NFIELDS; i++)
		if (!scan_u64(&s, &cl->f[i]))
			break;
	if (i < 4)
		return error_at(ERROR_DATA, path, line, (size_t)i + 2,
		    "expected at least 4 CPU time fields, found %d", i);
	c->ncpu++;
	return 0;
}

static int
parse_stat(struct cpu_reading *c, const char *text, const char *path)
{
	const char *s = text, *nl;
	size_t line = 1;

	for (; *s != '\0'; s = nl + 1, line++) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s) - 1;
		if (strncmp(s, "cpu", 3) == 0 && s[3] >= '0' && s[3] <= '9') {
			if (parse_cpu_line(c, s + 3, path, line) == -1)
				return -1;
		} else if (strncmp(s, "procs_running ", 14) == 0) {
			s += 14;
			c->has_procs = scan_u64(&s, &c->procs_running);
		}
	}
	if (c->ncpu == 0)
		return error_at(ERROR_DATA, path, 0, 0, "no cpuN lines");
	return 0;
}

static int
cpu_read(struct probe *p, struct reading *r)
{
	struct cpu_reading *c = &r->cpu;

	c->ok = false;
	c->ncpu = 0;
	c->has_procs = false;
	if (probe_read(p, STAT, &p->text) == -1)
		return -1;
	if (parse_stat(c, p->text.buf, probe_path(p, STAT)) == -1)
		return -1;
	c->ok = true;
	return 0;
}

static struct core_acc *
core_get(struct cpu_acc *ca, unsigned id)
{
	size_t old = ca->ncore;

	if (id >= ca->ncore) {
		ca->ncore = (size_t)id + 1;
		ca->core = xreallocarray(ca->core, ca->ncore,
		    sizeof(*ca->core));
		memset(ca->core + old, 0, (ca->ncore - old) * sizeof(*ca->core));
	}
	return &ca->core[id];
}

/* Add one CPU's sub-interval; busy and total jiffies added to *b, *t. */
static void
add_cpu(struct cpu_acc *ca, const struct cpu_line *a, const struct cpu_line *b,
    uint64_t *busy, uint64_t *total)
{
	struct core_acc *core = core_get(ca, b->id);
	uint64_t d[CPU_NFIELDS], cb, ct;
	int i;

	for (i = 0; i < CPU_NFIELDS; i++) {
		d[i] = b->f[i] > a->f[i] ? b->f[i] - a->f[i] : 0;
		ca->sum[i] += d[i];
	}
	cb = d[CPU_USER] + d[CPU_NICE] + d[CPU_SYSTEM] + d[CPU_IRQ] +
	    d[CPU_SOFTIRQ];
	ct = cb + d[CPU_IDLE] + d[CPU_IOWAIT] + d[CPU_STEAL];
	core->busy += cb;
	core->total += ct;
	core->nsub++;
	*busy += cb;
	*total += ct;
}

static void
cpu_add(struct accum *a, const struct reading *prev, const struct reading *cur,
    double dt_s)
{
	const struct cpu_reading *pc = &prev->cpu, *cc = &cur->cpu;
	const struct cpu_line *pl;
	uint64_t busy = 0, total = 0;
	size_t i, matched = 0;

	(void)dt_s;
	if (cc->ok && cc->has_procs) {
		a->cpu.procs_sum += (double)cc->procs_running;
		a->cpu.procs_n++;
	}
	if (!pc->ok || !cc->ok)
		return;
	for (i = 0; i < cc->ncpu; i++) {
		pl = i < pc->ncpu && pc->cpu[i].id == cc->cpu[i].id ?
		    &pc->cpu[i] : NULL;
		for (size_t k = 0; pl == NULL && k < pc->ncpu; k++)
			if (pc->cpu[k].id == cc->cpu[i].id)
				pl = &pc->cpu[k];
		if (pl == NULL)
			continue;
		add_cpu(&a->cpu, pl, &cc->cpu[i], &busy, &total);
		matched++;
	}
	if (matched != cc->ncpu || matched != pc->ncpu)
		a->flags |= FLAG_CPU_HOTPLUG;
	a->cpu.nsub++;
	if (total > 0 && (isnan(a->cpu.busy_max) ||
	    100.0 * (double)busy / (double)total > a->cpu.busy_max))
		a->cpu.busy_max = 100.0 * (double)busy / (double)total;
}

static double
pct(uint64_t part, uint64_t whole)
{
	double v = 100.0 * (double)part / (double)whole;

	return v > 100.0 ? 100.0 : v;
}

/* The busiest CPU that was online through the whole row. */
static double
core_max(const struct cpu_acc *ca)
{
	double best = NAN, v;
	size_t i;

	for (i = 0; i < ca->ncore; i++) {
		if (ca->core[i].nsub != ca->nsub || ca->core[i].total == 0)
			continue;
		v = pct(ca->core[i].busy, ca->core[i].total);
		if (isnan(best) || v > best)
			best = v;
	}
	return best;
}

static void
cpu_finish(const struct accum *a, const struct reading *last, struct row *row)
{
	const uint64_t *s = a->cpu.sum;
	uint64_t busy, total;

	busy = s[CPU_USER] + s[CPU_NICE] + s[CPU_SYSTEM] + s[CPU_IRQ] +
	    s[CPU_SOFTIRQ];
	total = busy + s[CPU_IDLE] + s[CPU_IOWAIT] + s[CPU_STEAL];
	if (total > 0) {
		row->v[METRIC_CPU_BUSY_PCT] = pct(busy, total);
		row->v[METRIC_CPU_STEAL_PCT] = pct(s[CPU_STEAL], total);
		row->v[METRIC_CPU_IOWAIT_PCT] = pct(s[CPU_IOWAIT], total);
		row->v[METRIC_CPU_BUSY_MAX_PCT] = a->cpu.busy_max;
		row->v[METRIC_CPU_CORE_BUSY_MAX_PCT] = core_max(&a->cpu);
	}
	if (last->cpu.ok)
		row->v[METRIC_NCPU_ONLINE] = (double)last->cpu.ncpu;
	if (a->cpu.procs_n > 0)
		row->v[METRIC_PROCS_RUNNING] = a->cpu.procs_sum /
		    a->cpu.procs_n;
}

static void
cpu_reset(struct accum *a)
{
	struct core_acc *core = a->cpu.core;
	size_t ncore = a->cpu.ncore;

	if (core != NULL)
		memset(core, 0, ncore * sizeof(*core));
	memset(&a->cpu, 0, sizeof(a->cpu));
	a->cpu.core = core;
	a->cpu.ncore = ncore;
	a->cpu.busy_max = NAN;
}

const struct source source_cpu = {
	"cpu", cpu_read, cpu_add, cpu_finish, cpu_reset, false,
};

/* ------------------------------------- the load average, once a row */

/* an unreadable or odd loadavg leaves the cell empty, as before */
static int
load_read(struct probe *p, struct reading *r)
{
	struct load_reading *l = &r->per_row.load;
	const char *why;
	char *end;

	l->ok = false;
	if (probe_read(p, LOADAVG, &p->text) == -1)
		return 0;
	end = p->text.buf + strcspn(p->text.buf, " \n");
	*end = '\0';
	l->ok = num_parse_double(p->text.buf, &l->load1, &why) == 0 &&
	    l->load1 >= 0.0;
	return 0;
}

static void
load_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	(void)a;
	(void)prev;
	(void)cur;
	(void)dt_s;
}

/* the row keeps the last value, read at its end */
static void
load_finish(const struct accum *a, const struct reading *last,
    struct row *row)
{
	(void)a;
	if (last->per_row.load.ok)
		row->v[METRIC_LOAD1] = last->per_row.load.load1;
}

static void
load_reset(struct accum *a)
{
	(void)a;
}

const struct source source_load = {
	"loadavg", load_read, load_add, load_finish, load_reset, true,
};
