/*
 * imp_libvirt.c - capplan import libvirt: sample the running guests of a
 * KVM/QEMU host through virConnectGetAllDomainStats().
 *
 * One call per interval returns every active domain's counters (CPU,
 * vCPUs, balloon, block, interface) in one round trip, whatever the
 * number of guests.  Rows are differences of two snapshots: a guest's
 * first snapshot is only a baseline, a guest missing from a snapshot
 * starts over, and a counter that went down (the guest was restarted)
 * leaves its cell empty rather than a huge or negative rate.
 *
 * Sampling starts on a UTC multiple of the interval and follows
 * CLOCK_MONOTONIC at absolute times (clock_nanosleep), so rows are
 * aligned, do not drift, and a wall-clock step does not distort rates.
 * Rates use the measured time between the two snapshots; the row's ts
 * and interval_s are the scheduled ones.
 *
 * What the columns mean (capplan-import(1)): CPU is the guest's vCPU
 * thread time (vcpu.N.time), the demand the guest itself puts on host
 * CPUs, over the interval and its vCPUs; steal is vcpu.N.delay, the time
 * runnable vCPUs waited for a host CPU; memory is the guest's own view
 * (balloon.available - balloon.usable, i.e. MemTotal - MemAvailable) when
 * its balloon driver reports statistics, else the QEMU process's RSS.
 */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/libvirt.h>

#include "common/error.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "import/import.h"
#include "kvm/hypervisor.h"
#include "kvm/kvm.h"

#define LV_INTERVAL_S 60.0
#define LV_DURATION_S 3600.0
#define KIB_PER_MIB 1024.0

/* One snapshot of one guest's counters; NaN where libvirt gave none. */
struct lv_snap {
	double mono_s;
	double vcpu_ns, cpu_ns, delay_ns;
	double vcpus;
	double rd_reqs, wr_reqs, rd_bytes, wr_bytes;
	double rx_bytes, tx_bytes;
	double bal_cur, bal_max, bal_avail, bal_usable, bal_rss;	/* KiB */
};

struct lv_guest {
	char *name;
	char *type;		/* "kvm" or "qemu" (the domain type) */
	struct lv_snap prev;
	bool have_prev;
	bool seen;		/* in the current snapshot */
	struct import_host *h;
	double max_vcpus, max_mem_kib;
};

struct lv_run {
	struct import_sink *sink;
	const char *uri;
	struct lv_guest *g;
	size_t ng, cap;
	struct strmap index;	/* name -> g[] */
};

static volatile sig_atomic_t lv_stop;

static void
on_signal(int sig)
{
	(void)sig;
	lv_stop = 1;
}

static double
param_value(const virTypedParameter *p)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_INT: return p->value.i;
	case VIR_TYPED_PARAM_UINT: return p->value.ui;
	case VIR_TYPED_PARAM_LLONG: return (double)p->value.l;
	case VIR_TYPED_PARAM_ULLONG: return (double)p->value.ul;
	case VIR_TYPED_PARAM_DOUBLE: return p->value.d;
	default: return NAN;
	}
}

static bool
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Add v to *sum, which starts as NaN. */
static void
add(double *sum, double v)
{
	*sum = isnan(*sum) ? v : *sum + v;
}

/* The per-device and per-vCPU fields, summed over devices and vCPUs. */
static void
snap_indexed(struct lv_snap *s, const char *f, double v)
{
	static const struct {
		const char *prefix, *suffix;
		size_t off;
	} map[] = {
		{ "vcpu.", ".time", offsetof(struct lv_snap, vcpu_ns) },
		{ "vcpu.", ".delay", offsetof(struct lv_snap, delay_ns) },
		{ "block.", ".rd.reqs", offsetof(struct lv_snap, rd_reqs) },
		{ "block.", ".wr.reqs", offsetof(struct lv_snap, wr_reqs) },
		{ "block.", ".rd.bytes", offsetof(struct lv_snap, rd_bytes) },
		{ "block.", ".wr.bytes", offsetof(struct lv_snap, wr_bytes) },
		{ "net.", ".rx.bytes", offsetof(struct lv_snap, rx_bytes) },
		{ "net.", ".tx.bytes", offsetof(struct lv_snap, tx_bytes) },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(f, map[i].prefix, strlen(map[i].prefix)) == 0 &&
		    ends(f, map[i].suffix)) {
			add((double *)(void *)((char *)s + map[i].off), v);
			return;
		}
}

static void
snap_field(struct lv_snap *s, const char *f, double v)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "cpu.time", offsetof(struct lv_snap, cpu_ns) },
		{ "vcpu.current", offsetof(struct lv_snap, vcpus) },
		{ "balloon.current", offsetof(struct lv_snap, bal_cur) },
		{ "balloon.maximum", offsetof(struct lv_snap, bal_max) },
		{ "balloon.available", offsetof(struct lv_snap, bal_avail) },
		{ "balloon.usable", offsetof(struct lv_snap, bal_usable) },
		{ "balloon.rss", offsetof(struct lv_snap, bal_rss) },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(f, map[i].name) == 0) {
			*(double *)(void *)((char *)s + map[i].off) = v;
			return;
		}
	snap_indexed(s, f, v);
}

static void
snap_read(struct lv_snap *s, const virDomainStatsRecord *rec, double now)
{
	int i;

	s->mono_s = now;
	s->vcpu_ns = s->cpu_ns = s->delay_ns = s->vcpus = NAN;
	s->rd_reqs = s->wr_reqs = s->rd_bytes = s->wr_bytes = NAN;
	s->rx_bytes = s->tx_bytes = NAN;
	s->bal_cur = s->bal_max = s->bal_avail = s->bal_usable = NAN;
	s->bal_rss = NAN;
	for (i = 0; i < rec->nparams; i++)
		snap_field(s, rec->params[i].field,
		    param_value(&rec->params[i]));
}

/* The rate of a counter from a to b over dt seconds, NaN on a reset. */
static double
rate(double a, double b, double dt)
{
	if (isnan(a) || isnan(b) || b < a)
		return NAN;
	return (b - a) / dt;
}

static void
row_cpu(struct sample *s, const struct lv_snap *a, const struct lv_snap *b,
    double dt)
{
	double vcpus = b->vcpus, busy;

	s->v[METRIC_NCPU_ONLINE] = vcpus;
	if (isnan(vcpus) || vcpus < 1)
		return;
	/* the vCPU threads' time; the whole process's when not reported */
	busy = rate(a->vcpu_ns, b->vcpu_ns, dt);
	if (isnan(a->vcpu_ns) || isnan(b->vcpu_ns))
		busy = rate(a->cpu_ns, b->cpu_ns, dt);
	if (a->vcpus == vcpus) {
		s->v[METRIC_CPU_BUSY_PCT] = busy / 1e9 / vcpus * 100.0;
		s->v[METRIC_CPU_STEAL_PCT] = rate(a->delay_ns, b->delay_ns,
		    dt) / 1e9 / vcpus * 100.0;
	}
}

static void
row_mem(struct sample *s, const struct lv_snap *b)
{
	double used = b->bal_avail - b->bal_usable;

	s->v[METRIC_MEM_TOTAL_MIB] = b->bal_cur / KIB_PER_MIB;
	if (isnan(used) || used < 0)
		used = b->bal_rss;
	s->v[METRIC_MEM_USED_MIB] = used / KIB_PER_MIB;
}

static void
row_io(struct sample *s, const struct lv_snap *a, const struct lv_snap *b,
    double dt)
{
	s->v[METRIC_DISK_READ_IOPS] = rate(a->rd_reqs, b->rd_reqs, dt);
	s->v[METRIC_DISK_WRITE_IOPS] = rate(a->wr_reqs, b->wr_reqs, dt);
	s->v[METRIC_DISK_READ_KIBPS] = rate(a->rd_bytes, b->rd_bytes, dt) /
	    1024.0;
	s->v[METRIC_DISK_WRITE_KIBPS] = rate(a->wr_bytes, b->wr_bytes, dt) /
	    1024.0;
	s->v[METRIC_NET_RX_KIBPS] = rate(a->rx_bytes, b->rx_bytes, dt) /
	    1024.0;
	s->v[METRIC_NET_TX_KIBPS] = rate(a->tx_bytes, b->tx_bytes, dt) /
	    1024.0;
}

static const int lv_metrics[] = {
	METRIC_CPU_BUSY_PCT, METRIC_CPU_STEAL_PCT, METRIC_NCPU_ONLINE,
	METRIC_MEM_TOTAL_MIB, METRIC_MEM_USED_MIB, METRIC_DISK_READ_IOPS,
	METRIC_DISK_WRITE_IOPS, METRIC_DISK_READ_KIBPS,
	METRIC_DISK_WRITE_KIBPS, METRIC_NET_RX_KIBPS, METRIC_NET_TX_KIBPS,
};

/* Write the row of guest g from its previous snapshot to b. */
static int
guest_row(struct lv_run *r, struct lv_guest *g, const struct lv_snap *b,
    int64_t ts_ms, double iv)
{
	bool has[METRIC_N] = { false };
	double dt = b->mono_s - g->prev.mono_s;
	struct sample s;
	size_t i;
	int m;

	if (g->h == NULL) {
		for (i = 0; i < sizeof(lv_metrics) / sizeof(lv_metrics[0]); i++)
			has[lv_metrics[i]] = true;
		g->h = import_sink_host(r->sink, g->name, has, r->uri, 0);
		if (g->h == NULL)
			return -1;
	}
	memset(&s, 0, sizeof(s));
	for (m = 0; m < METRIC_N; m++)
		s.v[m] = NAN;
	s.ts_ms = ts_ms;
	s.interval_s = iv;
	row_cpu(&s, &g->prev, b, dt);
	row_mem(&s, b);
	row_io(&s, &g->prev, b, dt);
	for (m = 0; m < METRIC_N; m++)
		if (s.v[m] < 0)	/* never from counters, but never written */
			s.v[m] = NAN;
	return import_host_row(g->h, &s, r->uri, 0);
}

/* The domain type from the live XML: "kvm", "qemu" or "". */
static char *
domain_type(virDomainPtr dom)
{
	char *xml = virDomainGetXMLDesc(dom, 0), *p, *q, *t = NULL;

	if (xml != NULL && (p = strstr(xml, "<domain type='")) != NULL) {
		p += strlen("<domain type='");
		q = strchr(p, '\'');
		if (q != NULL)
			t = xstrndup(p, (size_t)(q - p));
	}
	free(xml);
	return t != NULL ? t : xstrdup("");
}

static struct lv_guest *
guest_get(struct lv_run *r, virDomainPtr dom)
{
	const char *name = virDomainGetName(dom);
	struct lv_guest *g;
	size_t i;

	if (strmap_get(&r->index, name, &i))
		return &r->g[i];
	ALLOC_GROW(r->g, r->ng + 1, r->cap);
	g = &r->g[r->ng];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->type = domain_type(dom);
	strmap_put(&r->index, name, r->ng++, NULL);
	return g;
}

static void
guest_seen(struct lv_guest *g, const struct lv_snap *s)
{
	g->seen = true;
	if (!isnan(s->vcpus) && !(s->vcpus <= g->max_vcpus))
		g->max_vcpus = s->vcpus;
	if (!isnan(s->bal_max) && !(s->bal_max <= g->max_mem_kib))
		g->max_mem_kib = s->bal_max;
	g->prev = *s;
	g->have_prev = true;
}

/* One snapshot: rows for the guests with a baseline, baselines for new
 * ones.  ts_ms is the scheduled time of the previous snapshot. */
static int
lv_snapshot(struct lv_run *r, virConnectPtr conn, int64_t ts_ms, double iv)
{
	const unsigned stats = VIR_DOMAIN_STATS_CPU_TOTAL |
	    VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU |
	    VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;
	virDomainStatsRecordPtr *recs = NULL;
	struct lv_guest *g;
	struct lv_snap s;
	int n, i, ret = -1;
	size_t k;

	n = virConnectGetAllDomainStats(conn, stats, &recs,
	    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
	for (k = 0; k < r->ng; k++)
		r->g[k].seen = false;
	if (n < 0) {
		/* a hiccup must not lose the hours already sampled */
		import_sink_note(r->sink, "snapshots libvirt failed to give "
		    "(rows missing)", r->uri, 0);
		n = 0;
	} else if (n == 0)
		import_sink_note(r->sink, "snapshots with no running guest",
		    NULL, 0);
	for (i = 0; i < n; i++) {
		snap_read(&s, recs[i], kvm_now());
		g = guest_get(r, recs[i]->dom);
		if (g->have_prev && guest_row(r, g, &s, ts_ms, iv) == -1)
			goto out;
		guest_seen(g, &s);
	}
	for (k = 0; k < r->ng; k++)
		if (!r->g[k].seen)
			r->g[k].have_prev = false;
	ret = 0;
out:
	if (recs != NULL)
		virDomainStatsRecordListFree(recs);
	return ret;
}

/* Sleep until CLOCK_MONOTONIC reads t; false when a signal asked us to
 * stop. */
static bool
sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)floor(t);
	ts.tv_nsec = (long)((t - floor(t)) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		if (lv_stop)
			return false;
	return !lv_stop;
}

static int
lv_sample(struct lv_run *r, virConnectPtr conn, double iv, double dur)
{
	struct timespec wall;
	int64_t now_ms, start_ms, iv_ms = llround(iv * 1000.0);
	long k, n = (long)floor(dur / iv + 1e-9);
	double mono0;

	/* start on a UTC multiple of the interval, as capplan-collect does */
	clock_gettime(CLOCK_REALTIME, &wall);
	now_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
	mono0 = kvm_now();
	start_ms = (now_ms / iv_ms + 1) * iv_ms;
	mono0 += (double)(start_ms - now_ms) / 1000.0;
	for (k = 0; k <= n; k++) {
		if (!sleep_until(mono0 + (double)k * iv))
			break;
		if (lv_snapshot(r, conn, start_ms + (k - 1) * iv_ms, iv) == -1)
			return -1;
	}
	return 0;
}

static int
lv_finish(struct lv_run *r)
{
	struct server_inv inv;
	struct lv_guest *g;
	size_t i;

	for (i = 0; i < r->ng; i++) {
		g = &r->g[i];
		if (g->h == NULL)
			continue;
		import_inv_init(&inv, g->name);
		inv.cores = inv.threads = g->max_vcpus > 0 ? g->max_vcpus :
		    NAN;
		inv.mem_mib = g->max_mem_kib > 0 ?
		    round(g->max_mem_kib / KIB_PER_MIB) : NAN;
		inv.virtual = g->type;
		import_sink_inventory(r->sink, &inv);
		if (import_host_finish(g->h) == -1)
			return -1;
	}
	return 0;
}

static void
lv_release(struct lv_run *r)
{
	size_t i;

	for (i = 0; i < r->ng; i++) {
		free(r->g[i].name);
		free(r->g[i].type);
	}
	free(r->g);
	strmap_release(&r->index);
}

int
kvm_import_libvirt(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct sigaction sa, old_int, old_term;
	struct lv_run r = { sink, o->uri != NULL ? o->uri : "libvirt", NULL,
	    0, 0, STRMAP_INIT };
	double iv = isnan(o->interval_s) ? LV_INTERVAL_S : o->interval_s;
	double dur = isnan(o->duration_s) ? LV_DURATION_S : o->duration_s;
	virConnectPtr conn;
	int ret;

	(void)inputs;
	(void)ninputs;
	if (dur < iv)
		return error_set(ERROR_USAGE, "--duration of %g s is shorter "
		    "than one --interval (%g s)", dur, iv);
	kvm_silence();
	conn = virConnectOpen(o->uri);
	if (conn == NULL)
		return kvm_error("cannot connect to libvirt");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake the sleep */
	sigemptyset(&sa.sa_mask);
	lv_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = lv_sample(&r, conn, iv, dur);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (ret == 0)
		ret = lv_finish(&r);
	lv_release(&r);
	virConnectClose(conn);
	return ret;
}
