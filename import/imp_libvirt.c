/*
 * imp_libvirt.c - capplan import libvirt: sample the running guests of a
 * KVM/QEMU host.
 *
 * kvm/ (the only libvirt user) reads every running guest's counters in
 * one call per interval (kvm_stats_each(), plain numbers); this file
 * turns two snapshots into a row.  Rows are differences of two snapshots: a guest's
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
 * Each guest's inventory row names the host it runs on (current_host):
 * the URI's host, or this machine's name for a local URI, so capplan plan
 * -e can plan onto that host with its guests where they are.
 */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/error.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "import/import.h"
#include "kvm/kvm.h"

#define LV_INTERVAL_S 60.0
#define LV_DURATION_S 3600.0
#define KIB_PER_MIB 1024.0

struct lv_guest {
	char *name;
	char *type;		/* "kvm" or "qemu" (the domain type) */
	struct kvm_dom_stats prev;	/* its per-vCPU arrays are not kept */
	bool have_prev;
	bool seen;		/* in the current snapshot */
	struct import_host *h;
	double max_vcpus, max_mem_kib;
};

struct lv_run {
	struct import_sink *sink;
	struct kvm_conn *conn;
	const char *uri;
	const char *uri_given;	/* NULL: libvirt's default */
	struct lv_guest *g;
	size_t ng, cap;
	struct strmap index;	/* name -> g[] */
	int64_t ts_ms;		/* the row being made */
	double iv;
};

static volatile sig_atomic_t lv_stop;

static void
on_signal(int sig)
{
	(void)sig;
	lv_stop = 1;
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
row_cpu(struct sample *s, const struct kvm_dom_stats *a, const struct kvm_dom_stats *b,
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
row_mem(struct sample *s, const struct kvm_dom_stats *b)
{
	double used = b->bal_avail - b->bal_usable;

	s->v[METRIC_MEM_TOTAL_MIB] = b->bal_cur / KIB_PER_MIB;
	if (isnan(used) || used < 0)
		used = b->bal_rss;
	s->v[METRIC_MEM_USED_MIB] = used / KIB_PER_MIB;
}

static void
row_io(struct sample *s, const struct kvm_dom_stats *a, const struct kvm_dom_stats *b,
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
guest_row(struct lv_run *r, struct lv_guest *g, const struct kvm_dom_stats *b,
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

static struct lv_guest *
guest_get(struct lv_run *r, const char *name)
{
	struct lv_guest *g;
	size_t i;

	if (strmap_get(&r->index, name, &i))
		return &r->g[i];
	ALLOC_GROW(r->g, r->ng + 1, r->cap);
	g = &r->g[r->ng];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->type = kvm_domain_type(r->conn, name);
	strmap_put(&r->index, name, r->ng++, NULL);
	return g;
}

static void
guest_seen(struct lv_guest *g, const struct kvm_dom_stats *s)
{
	g->seen = true;
	if (!isnan(s->vcpus) && !(s->vcpus <= g->max_vcpus))
		g->max_vcpus = s->vcpus;
	if (!isnan(s->bal_max) && !(s->bal_max <= g->max_mem_kib))
		g->max_mem_kib = s->bal_max;
	g->prev = *s;
	g->prev.name = NULL;
	g->prev.vcpu_time_ns = g->prev.vcpu_delay_ns = NULL;
	g->prev.nvcpu = 0;
	g->have_prev = true;
}

/* kvm_stats_each()'s callback: a row for a guest with a baseline, a
 * baseline for a new one */
static int
lv_guest_stats(void *arg, const struct kvm_dom_stats *s)
{
	struct lv_run *r = arg;
	struct lv_guest *g = guest_get(r, s->name);

	if (g->have_prev && guest_row(r, g, s, r->ts_ms, r->iv) == -1)
		return -1;
	guest_seen(g, s);
	return 0;
}

/* One snapshot.  ts_ms is the scheduled time of the previous one. */
static int
lv_snapshot(struct lv_run *r, int64_t ts_ms, double iv)
{
	size_t k;
	int n;

	for (k = 0; k < r->ng; k++)
		r->g[k].seen = false;
	r->ts_ms = ts_ms;
	r->iv = iv;
	n = kvm_stats_each(r->conn, KVM_STATS_ALL, lv_guest_stats, r);
	if (n == -1 && error_last_kind() != ERROR_BACKEND)
		return -1;	/* the sink failed */
	if (n == -1)
		/* a hiccup must not lose the hours already sampled */
		import_sink_note(r->sink, "snapshots libvirt failed to give "
		    "(rows missing)", r->uri, 0);
	else if (n == 0)
		import_sink_note(r->sink, "snapshots with no running guest",
		    NULL, 0);
	for (k = 0; k < r->ng; k++)
		if (!r->g[k].seen)
			r->g[k].have_prev = false;
	return 0;
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
lv_sample(struct lv_run *r, double iv, double dur)
{
	struct timespec wall;
	int64_t now_ms, start_ms, iv_ms = llround(iv * 1000.0);
	long k, n = (long)floor(dur / iv + 1e-9);
	double mono0;

	/* start on a UTC multiple of the interval, as capplan-collect does */
	clock_gettime(CLOCK_REALTIME, &wall);
	now_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
	mono0 = mono_now_s();
	start_ms = (now_ms / iv_ms + 1) * iv_ms;
	mono0 += (double)(start_ms - now_ms) / 1000.0;
	for (k = 0; k <= n; k++) {
		if (!sleep_until(mono0 + (double)k * iv))
			break;
		if (lv_snapshot(r, start_ms + (k - 1) * iv_ms, iv) == -1)
			return -1;
	}
	return 0;
}

void
import_uri_host(const char *uri, char *buf, size_t len)
{
	const char *p = uri != NULL ? strstr(uri, "://") : NULL, *end;
	size_t n;

	buf[0] = '\0';
	if (p != NULL) {
		p += 3;
		if ((end = strchr(p, '@')) != NULL && end < p + strcspn(p, "/"))
			p = end + 1;	/* user@ */
		if (*p == '[') {	/* [IPv6] */
			n = strcspn(++p, "]");
		} else {
			n = strcspn(p, ":/?");
		}
		if (n > 0 && n < len) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			return;
		}
	}
	/* no host in it: the libvirt of this machine */
	if (gethostname(buf, len) != 0)
		buf[0] = '\0';
	buf[len - 1] = '\0';
}

static int
lv_finish(struct lv_run *r)
{
	struct server_inv inv;
	struct lv_guest *g;
	char host[256];
	size_t i;

	import_uri_host(r->uri_given, host, sizeof(host));
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
		inv.current_host = host;
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
import_libvirt(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	struct sigaction sa, old_int, old_term;
	struct lv_run r = { sink, NULL, o->uri != NULL ? o->uri : "libvirt",
	    o->uri, NULL, 0, 0, STRMAP_INIT, 0, 0.0 };
	double iv = isnan(o->interval_s) ? LV_INTERVAL_S : o->interval_s;
	double dur = isnan(o->duration_s) ? LV_DURATION_S : o->duration_s;
	int ret;

	(void)inputs;
	(void)ninputs;
	if (dur < iv)
		return error_set(ERROR_USAGE, "--duration of %g s is shorter "
		    "than one --interval (%g s)", dur, iv);
	r.conn = kvm_open(o->uri);
	if (r.conn == NULL)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake the sleep */
	sigemptyset(&sa.sa_mask);
	lv_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = lv_sample(&r, iv, dur);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (ret == 0)
		ret = lv_finish(&r);
	lv_release(&r);
	kvm_close(r.conn);
	return ret;
}
