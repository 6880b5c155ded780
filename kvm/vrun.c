/*
 * vrun.c - boot, calibrate, replay and sample one validation run.
 *
 * The consoles are read with poll() between samples, so one thread does
 * it all and a sample is never late by more than a console line takes to
 * read.  Samples follow CLOCK_MONOTONIC at absolute times from slot 0's
 * start.  Before the slots, with more vCPUs than test CPUs, a short phase
 * measures the time-sharing overhead: the vCPU time a unit of work takes
 * when the guests share the CPUs, against one guest alone.
 * Guests are made with VIR_DOMAIN_START_AUTODESTROY: libvirt
 * destroys them when this connection closes, which covers a capplan
 * killed with SIGKILL; every other exit destroys them explicitly.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "common/clock.h"
#include "common/error.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "kvm/hypervisor.h"
#include "kvm/initramfs.h"
#include "kvm/kvm.h"
#include "kvm/vrun.h"
#include "planner/domxml.h"

#define GO_DELAY_S 1.0		/* slot 0 starts this long after "go" */
#define PING_EVERY_S 5.0

struct vguest {
	const struct vrun_guest *in;
	struct strbuf dom_name, sock, initrd, log_path;
	virDomainPtr dom;
	int fd;			/* its console */
	struct strbuf line;	/* a console line being read */
	struct strbuf last;	/* the last whole line it said */
	FILE *log;		/* everything its console said */
	bool ready, done;
	double calib;		/* loops per ms, 0 until calibrated */
	double shared_loops;	/* "share" phase: work done, NaN until told */
	double vcpu_s;		/* vCPU time at the last snapshot */
	double last_ping;
};

struct vr {
	struct kvm_conn *kc;
	const struct vrun_opts *o;
	struct vguest *g;
	size_t ng, nslots;
	struct vrun_result *r;
	size_t sample;		/* being taken */
	char *failed;		/* a guest's error line, or NULL */
};

static volatile sig_atomic_t vr_stop;

static void
on_signal(int sig)
{
	(void)sig;
	vr_stop = 1;
}

void
vrun_opts_init(struct vrun_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->type = "qemu";
	o->slot_s = 10.0;
	o->sample_s = 1.0;
	o->burst_ms = 5.0;
	o->calib_ms = 1000.0;
	o->boot_timeout_s = 180.0;
	o->seed = 1;
}

void
vrun_result_release(struct vrun_result *r)
{
	free(r->t);
	free(r->vcpu_s);
	free(r->delay_s);
	free(r->proc_s);
	free(r->busy_s);
	free(r->steal_s);
	free(r->loops);
	free(r->busy_ms);
	memset(r, 0, sizeof(*r));
}

static void
tell(const struct vr *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
tell(const struct vr *v, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (v->o->progress == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	v->o->progress(v->o->progress_arg, sb.buf);
	strbuf_release(&sb);
}

/* ------------------------------------------------------------ guests */

static void
series_add(struct strbuf *sb, const char *key, const double *v, size_t n)
{
	size_t k;

	strbuf_addstr(sb, key);
	for (k = 0; k < n; k++)
		strbuf_addf(sb, " %.6f", v != NULL && v[k] > 0 ? v[k] : 0.0);
	strbuf_addch(sb, '\n');
}

static int
write_initrd(const struct vr *v, const struct vguest *g, size_t i)
{
	struct strbuf conf = STRBUF_INIT;
	int ret;

	strbuf_addf(&conf, "capplan-replay 1\nvcpus %u\nslot_ms %.3f\n"
	    "burst_ms %.3f\nseed %u\n", g->in->vcpus, v->o->slot_s * 1000.0,
	    v->o->burst_ms, v->o->seed * 7919u + (unsigned)i);
	series_add(&conf, "cpu", g->in->cpu, v->nslots);
	series_add(&conf, "mem", g->in->mem, v->nslots);
	ret = initramfs_write(g->initrd.buf, v->o->replay, conf.buf,
	    conf.len);
	strbuf_release(&conf);
	return ret;
}

static void
domain_of(const struct vr *v, const struct vguest *g, struct domxml *x)
{
	domxml_init(x);
	x->type = v->o->type;
	x->name = g->dom_name.buf;
	x->title = g->in->name;
	x->description = "capplan validate: a planned guest's recorded "
	    "demand, replayed";
	x->mem_mib = g->in->mem_mib;
	x->vcpus = g->in->vcpus;
	x->kernel = v->o->kernel;
	x->initrd = g->initrd.buf;
	x->cmdline = GUEST_CMDLINE;
	x->serial = DOMXML_SERIAL_UNIX;
	x->serial_path = g->sock.buf;
	/* vCPUs boot on every CPU, pinned to the test CPUs once they run
	 * (pin_vcpus()): N guests booting on one test CPU under TCG took
	 * N boots' time */
	x->vcpu_cpuset = NULL;
	x->emulator_cpuset = v->o->emulator_cpuset;
}

static int
console_connect(struct vguest *g)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (g->sock.len >= sizeof(sa.sun_path))
		return error_set(ERROR_IO, "console socket name '%s' is too "
		    "long", g->sock.buf);
	memcpy(sa.sun_path, g->sock.buf, g->sock.len);
	g->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->fd == -1 || connect(g->fd, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		return error_set_errno(ERROR_BACKEND, "cannot connect to the "
		    "console of '%s' at '%s'", g->in->name, g->sock.buf);
	(void)fcntl(g->fd, F_SETFL, O_NONBLOCK);
	return 0;
}

static int
guest_start(struct vr *v, size_t i)
{
	struct vguest *g = &v->g[i];
	struct strbuf xml = STRBUF_INIT;
	struct domxml x;

	strbuf_addf(&g->dom_name, "capplan-validate-%ld-%zu", (long)getpid(),
	    i);
	strbuf_addf(&g->sock, "%s/g%zu.sock", v->o->workdir, i);
	strbuf_addf(&g->initrd, "%s/g%zu.cpio", v->o->workdir, i);
	strbuf_addf(&g->log_path, "%s/g%zu.console", v->o->workdir, i);
	if (write_initrd(v, g, i) == -1)
		return -1;
	g->log = fopen(g->log_path.buf, "w");
	domain_of(v, g, &x);
	domxml_add(&xml, &x);
	g->dom = virDomainCreateXML(kvm_conn_virt(v->kc), xml.buf,
	    VIR_DOMAIN_START_AUTODESTROY);
	strbuf_release(&xml);
	if (g->dom == NULL)
		return kvm_error(g->in->name);
	return console_connect(g);
}

static void
guest_stop(struct vguest *g)
{
	if (g->dom != NULL) {
		virDomainDestroy(g->dom);
		virDomainFree(g->dom);
	}
	if (g->fd != -1)
		close(g->fd);
	if (g->log != NULL)
		fclose(g->log);
	if (g->initrd.buf != NULL)
		unlink(g->initrd.buf);
	strbuf_release(&g->dom_name);
	strbuf_release(&g->sock);
	strbuf_release(&g->initrd);
	strbuf_release(&g->log_path);
	strbuf_release(&g->line);
	strbuf_release(&g->last);
}

static void
say(struct vguest *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
say(struct vguest *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addch(&sb, '\n');
	/* a few bytes into a socket QEMU reads: no partial writes; a guest
	 * gone (its QEMU closed the socket) is found by the reader, so no
	 * SIGPIPE here */
	if (send(g->fd, sb.buf, sb.len, MSG_NOSIGNAL) != (ssize_t)sb.len &&
	    g->log != NULL)
		fprintf(g->log, "\n[capplan: cannot write '%s']\n", sb.buf);
	strbuf_release(&sb);
}

/* ----------------------------------------------------------- consoles */

static void
on_slot_line(struct vr *v, size_t i, const char *s)
{
	unsigned long long loops;
	size_t k;
	unsigned vcpu;
	double busy;

	if (sscanf(s, "slot %zu vcpu %u loops %llu busy_ms %lf", &k, &vcpu,
	    &loops, &busy) != 4 || k >= v->nslots)
		return;
	v->r->loops[i * v->nslots + k] += (double)loops;
	v->r->busy_ms[i * v->nslots + k] += busy;
}

static void
on_line(struct vr *v, size_t i, const char *line)
{
	struct vguest *g = &v->g[i];
	const char *s = strstr(line, "capplan-replay: ");
	double x;

	if (s == NULL)
		return;
	s += strlen("capplan-replay: ");
	if (strncmp(s, "ready", 5) == 0)
		g->ready = true;
	else if (sscanf(s, "calibrated loops_per_ms=%lf", &x) == 1)
		g->calib = x > 0 ? x : NAN;
	else if (sscanf(s, "shared loops %lf", &x) == 1)
		g->shared_loops = x;
	else if (strncmp(s, "slot ", 5) == 0)
		on_slot_line(v, i, s);
	else if (strcmp(s, "done") == 0)
		g->done = true;
	else if (strncmp(s, "error", 5) == 0 && v->failed == NULL)
		v->failed = xstrdup(s);
}

/* a guest whose console closed has stopped: say so with its last line */
static void
guest_gone(struct vr *v, struct vguest *g)
{
	struct strbuf sb = STRBUF_INIT;

	close(g->fd);
	g->fd = -1;		/* poll() leaves it out from now on */
	if (v->failed != NULL)
		return;
	strbuf_addf(&sb, "guest '%s' stopped (its console closed%s%s); its "
	    "console is in '%s'", g->in->name, g->last.len > 0 ? "; it said: "
	    : "", g->last.buf != NULL ? g->last.buf : "", g->log_path.buf);
	v->failed = strbuf_detach(&sb);
}

static void
console_read(struct vr *v, size_t i)
{
	struct vguest *g = &v->g[i];
	char buf[4096];
	ssize_t n, k;

	while ((n = read(g->fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				guest_gone(v, g);
			return;
		}
		if (g->log != NULL)
			fwrite(buf, 1, (size_t)n, g->log);
		for (k = 0; k < n; k++) {
			if (buf[k] != '\n' && buf[k] != '\r') {
				strbuf_addch(&g->line, buf[k]);
				continue;
			}
			if (g->line.len > 0) {
				on_line(v, i, g->line.buf);
				strbuf_reset(&g->last);
				strbuf_addstr(&g->last, g->line.buf);
			}
			strbuf_reset(&g->line);
		}
	}
	guest_gone(v, g);
}

/* read the consoles until CLOCK_MONOTONIC reads until (or a signal) */
static void
consoles_until(struct vr *v, double until)
{
	struct pollfd *pf = xcalloc(v->ng, sizeof(*pf));
	double left;
	size_t i;

	while (!vr_stop && (left = until - mono_now_s()) > 0) {
		for (i = 0; i < v->ng; i++) {
			pf[i].fd = v->g[i].fd;
			pf[i].events = POLLIN;
		}
		if (poll(pf, v->ng, (int)ceil(left * 1000.0)) <= 0)
			continue;
		for (i = 0; i < v->ng; i++)
			if (pf[i].revents & (POLLIN | POLLHUP))
				console_read(v, i);
	}
	free(pf);
}

/* -1 with the error set when interrupted or a guest failed */
static int
check_going(const struct vr *v)
{
	if (vr_stop)
		return error_set(ERROR_BACKEND, "interrupted: every guest "
		    "destroyed");
	if (v->failed != NULL)
		return error_set(ERROR_BACKEND, "a guest failed: %s",
		    v->failed);
	return 0;
}

/* ------------------------------------------------------------ phases */

static int
wait_ready(struct vr *v, double t0)
{
	size_t i, n;

	for (;;) {
		for (i = 0, n = 0; i < v->ng; i++)
			n += v->g[i].ready;
		if (n == v->ng)
			break;
		if (check_going(v) == -1)
			return -1;
		if (mono_now_s() - t0 > v->o->boot_timeout_s)
			return error_set(ERROR_BACKEND, "%zu of %zu guests did "
			    "not start capplan-replay in %.0f s (consoles in "
			    "'%s')", v->ng - n, v->ng, v->o->boot_timeout_s,
			    v->o->workdir);
		for (i = 0; i < v->ng; i++)
			if (!v->g[i].ready && mono_now_s() - v->g[i].last_ping >
			    PING_EVERY_S) {
				say(&v->g[i], "ping");
				v->g[i].last_ping = mono_now_s();
			}
		consoles_until(v, mono_now_s() + 0.2);
	}
	v->r->boot_s = mono_now_s() - t0;
	tell(v, "%zu guest%s running capplan-replay after %.0f s", v->ng,
	    v->ng == 1 ? "" : "s", v->r->boot_s);
	return 0;
}

/* every guest's vCPUs onto the test CPUs, before anything is measured */
static int
pin_vcpus(struct vr *v)
{
	unsigned char map[VIR_CPU_MAPLEN(1024)];
	unsigned top = 0, vc;
	size_t i, k;

	memset(map, 0, sizeof(map));
	for (k = 0; k < v->o->ncpus; k++) {
		if (v->o->cpus[k] >= 1024)
			return error_set(ERROR_USAGE, "test CPU %u: capplan "
			    "pins to CPUs below 1024", v->o->cpus[k]);
		VIR_USE_CPU(map, v->o->cpus[k]);
		top = v->o->cpus[k] > top ? v->o->cpus[k] : top;
	}
	for (i = 0; i < v->ng; i++)
		for (vc = 0; vc < v->g[i].in->vcpus; vc++)
			if (virDomainPinVcpuFlags(v->g[i].dom, vc, map,
			    VIR_CPU_MAPLEN(top + 1), VIR_DOMAIN_AFFECT_LIVE) != 0)
				return kvm_error(v->g[i].in->name);
	tell(v, "vCPUs pinned to the test CPUs %s", v->o->cpuset);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* each guest alone on the test CPUs, in turn; the median for all */
static int
calibrate(struct vr *v)
{
	double *c = xcalloc(v->ng, sizeof(double)), t;
	size_t i;

	for (i = 0; i < v->ng; i++) {
		say(&v->g[i], "calibrate %.0f", v->o->calib_ms);
		t = mono_now_s();
		while (v->g[i].calib == 0 && check_going(v) == 0 &&
		    mono_now_s() - t < 60.0 + v->o->calib_ms / 100.0)
			consoles_until(v, mono_now_s() + 0.1);
		if (!(v->g[i].calib > 0)) {
			free(c);
			return check_going(v) == -1 ? -1 : error_set(
			    ERROR_BACKEND, "guest '%s' did not calibrate",
			    v->g[i].in->name);
		}
		c[i] = v->g[i].calib;
	}
	array_sort(c, v->ng, sizeof(double), cmp_double);
	v->r->loops_per_ms = c[v->ng / 2];
	v->r->calib_min = c[0];
	v->r->calib_max = c[v->ng - 1];
	free(c);
	tell(v, "calibrated: %.0f loop iterations per ms (guests from %.0f "
	    "to %.0f)", v->r->loops_per_ms, v->r->calib_min,
	    v->r->calib_max);
	return 0;
}

/* ------------------------------------------------- sharing overhead */

static int
on_snap(void *arg, const struct kvm_dom_stats *s)
{
	struct vr *v = arg;
	size_t i;

	for (i = 0; i < v->ng; i++)
		if (strcmp(s->name, v->g[i].dom_name.buf) == 0)
			v->g[i].vcpu_s = s->vcpu_ns / 1e9;
	return 0;
}

/*
 * Guests first..last (inclusive) busy u alone for secs, together: the
 * vCPU seconds they used per second of work (alone speed).  NaN when a
 * guest did not answer.
 */
static double
share_phase(struct vr *v, size_t first, size_t last, double secs)
{
	double *t0 = xcalloc(v->ng, sizeof(double)), run = 0, work = 0, end;
	size_t i;

	if (kvm_stats_each(v->kc, KVM_STATS_CPU, on_snap, v) == -1) {
		free(t0);
		return NAN;
	}
	for (i = first; i <= last; i++) {
		t0[i] = v->g[i].vcpu_s;
		v->g[i].shared_loops = NAN;
		say(&v->g[i], "share %.3f 300 0.5 %.0f", v->r->loops_per_ms,
		    secs * 1000.0);
	}
	for (end = mono_now_s() + secs + 30.0; mono_now_s() < end;) {
		for (i = first; i <= last && !isnan(v->g[i].shared_loops); i++)
			;
		if (i > last || check_going(v) == -1)
			break;
		consoles_until(v, mono_now_s() + 0.1);
	}
	if (kvm_stats_each(v->kc, KVM_STATS_CPU, on_snap, v) == -1) {
		free(t0);
		return NAN;
	}
	for (i = first; i <= last; i++) {
		run += v->g[i].vcpu_s - t0[i];
		work += v->g[i].shared_loops / v->r->loops_per_ms / 1000.0;
	}
	free(t0);
	return run / work;
}

/*
 * With more vCPUs than test CPUs, measure how much more CPU time a unit
 * of work takes when they time-share: guest 0 alone, then all of them,
 * each busy half the time alone.
 */
static int
share_measure(struct vr *v)
{
	size_t i, nv = 0;

	for (i = 0; i < v->ng; i++)
		nv += v->g[i].in->vcpus;
	v->r->share_alone = v->r->share_all = NAN;
	if (nv <= v->o->ncpus)
		return 0;
	v->r->share_alone = share_phase(v, 0, 0, 2.0);
	v->r->share_all = share_phase(v, 0, v->ng - 1, 3.0);
	if (check_going(v) == -1)
		return -1;
	tell(v, "time-sharing: %.3f vCPU s per s of work alone, %.3f shared",
	    v->r->share_alone, v->r->share_all);
	return 0;
}

/* ----------------------------------------------------------- samples */

static int
on_stats(void *arg, const struct kvm_dom_stats *s)
{
	struct vr *v = arg;
	size_t i, at;

	for (i = 0; i < v->ng; i++)
		if (strcmp(s->name, v->g[i].dom_name.buf) == 0) {
			at = v->sample * v->ng + i;
			v->r->vcpu_s[at] = s->vcpu_ns / 1e9;
			v->r->delay_s[at] = s->delay_ns / 1e9;
			v->r->proc_s[at] = s->cpu_ns / 1e9;
		}
	return 0;
}

/* busy and steal seconds of the test CPUs, from /proc/stat */
static void
cpu_times(const struct vrun_opts *o, double *busy, double *steal)
{
	unsigned long long u, n, sy, id, io, irq, sirq, st;
	double tick = (double)sysconf(_SC_CLK_TCK);
	char line[512];
	unsigned cpu;
	size_t k;
	FILE *fp = fopen("/proc/stat", "r");

	*busy = *steal = NAN;
	if (fp == NULL)
		return;
	*busy = *steal = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu "
		    "%llu", &cpu, &u, &n, &sy, &id, &io, &irq, &sirq, &st) != 9)
			continue;
		for (k = 0; k < o->ncpus; k++)
			if (o->cpus[k] == cpu) {
				*busy += (double)(u + n + sy + irq + sirq) / tick;
				*steal += (double)st / tick;
			}
	}
	fclose(fp);
}

/* libvirt's answer takes a while on a loaded machine: the sample's time
 * is the middle of the call, /proc/stat read there too */
static int
take_sample(struct vr *v, double due)
{
	struct vrun_result *r = v->r;
	double t = mono_now_s(), t2;

	if (kvm_stats_each(v->kc, KVM_STATS_CPU, on_stats, v) == -1)
		return -1;
	t2 = mono_now_s();
	cpu_times(v->o, &r->busy_s[v->sample], &r->steal_s[v->sample]);
	r->t[v->sample] = (t + t2) / 2.0;
	r->lag_max_s = fmax(r->lag_max_s, t2 - due);
	v->sample++;
	return 0;
}

static int
replay(struct vr *v)
{
	double end, at;
	size_t i, j;

	v->r->t0 = mono_now_s() + GO_DELAY_S;
	for (i = 0; i < v->ng; i++)
		say(&v->g[i], "go %.3f %.0f", v->r->loops_per_ms,
		    (v->r->t0 - mono_now_s()) * 1000.0);
	end = v->r->t0 + (double)v->nslots * v->o->slot_s;
	tell(v, "replaying %zu slots of %.0f s", v->nslots, v->o->slot_s);
	for (j = 0; j < v->r->nsamples; j++) {
		at = v->r->t0 + (double)j * v->o->sample_s;
		consoles_until(v, fmin(at, end + 0.001));
		if (check_going(v) == -1 || take_sample(v, at) == -1)
			return -1;
	}
	/* the guests' last slot reports */
	for (at = mono_now_s() + 30.0; mono_now_s() < at;) {
		for (i = 0; i < v->ng && v->g[i].done; i++)
			;
		if (i == v->ng || check_going(v) == -1)
			break;
		consoles_until(v, mono_now_s() + 0.1);
	}
	return check_going(v);
}

/* --------------------------------------------------------------- run */

static void
result_alloc(struct vrun_result *r, size_t ng, size_t nslots,
    const struct vrun_opts *o)
{
	size_t n = (size_t)floor((double)nslots * o->slot_s / o->sample_s +
	    1e-9) + 1, i;

	memset(r, 0, sizeof(*r));
	r->ng = ng;
	r->nslots = nslots;
	r->nsamples = n;
	r->t = xcalloc(n, sizeof(double));
	r->vcpu_s = xcalloc(n * ng + 1, sizeof(double));
	r->delay_s = xcalloc(n * ng + 1, sizeof(double));
	r->proc_s = xcalloc(n * ng + 1, sizeof(double));
	for (i = 0; i < n * ng; i++)
		r->vcpu_s[i] = r->delay_s[i] = r->proc_s[i] = NAN;
	r->busy_s = xcalloc(n, sizeof(double));
	r->steal_s = xcalloc(n, sizeof(double));
	r->loops = xcalloc(ng * nslots + 1, sizeof(double));
	r->busy_ms = xcalloc(ng * nslots + 1, sizeof(double));
}

static int
run_phases(struct vr *v)
{
	double t0 = mono_now_s();
	size_t i;

	for (i = 0; i < v->ng; i++)
		if (guest_start(v, i) == -1)
			return -1;
	tell(v, "%zu guest%s created (%s)", v->ng, v->ng == 1 ? "" : "s",
	    v->o->type);
	if (wait_ready(v, t0) == -1 || pin_vcpus(v) == -1 ||
	    calibrate(v) == -1 || share_measure(v) == -1)
		return -1;
	return replay(v);
}

int
vrun_run(struct kvm_conn *c, const struct vrun_guest *g, size_t ng,
    size_t nslots, const struct vrun_opts *o, struct vrun_result *r)
{
	struct vr v = { c, o, NULL, ng, nslots, r, 0, NULL };
	struct sigaction sa, old_int, old_term;
	size_t i;
	int ret;

	result_alloc(r, ng, nslots, o);
	v.g = xcalloc(ng, sizeof(*v.g));
	for (i = 0; i < ng; i++) {
		v.g[i].in = &g[i];
		v.g[i].fd = -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake poll() */
	sigemptyset(&sa.sa_mask);
	vr_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = run_phases(&v);
	for (i = 0; i < ng; i++)
		guest_stop(&v.g[i]);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(v.failed);
	free(v.g);
	return ret;
}
