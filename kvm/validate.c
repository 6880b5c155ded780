/*
 * validate.c - the hypervisor made ready, runs of guests, and what they
 * measured against what the model predicts.
 *
 * A slot's measure window starts skip_s after the slot does (the guests
 * change pace then, and the first sample after a change is the noisiest)
 * and ends with it; samples fall on the window's edges because both are
 * multiples of the sample period from slot 0's start.  Foreign load is
 * the test CPUs' busy time (/proc/stat) minus every guest's QEMU process
 * time (its vCPUs and its own threads, the latter said apart as the
 * emulator's share): libvirtd, capplan and anything else running.  A slot with more than foreign_max_pct of it is
 * left out and counted, because the model knows nothing of that load.
 */
#define _GNU_SOURCE		/* strverscmp */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "common/error.h"
#include "common/samples.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "kvm/hypervisor.h"
#include "kvm/initramfs.h"
#include "kvm/kernel.h"
#include "kvm/kvm.h"
#include "kvm/replica.h"
#include "kvm/validate.h"
#include "kvm/vrun.h"
#include "model/contention.h"

#ifndef CAPPLAN_LIBEXECDIR
#define CAPPLAN_LIBEXECDIR "/usr/local/libexec/capplan"
#endif

struct validate_env {
	const struct validate_opts *o;
	char *workdir, *kernel, *replay;
	struct kernel_boot boot;	/* kernel as the guests boot it */
	struct kvm_conn *kc;
	unsigned cpus[VALIDATE_CPUS_MAX];
	size_t ncpus;
	char *hv_type, *hv_why, *libvirt_version, *qemu_version;
	double mem_budget_mib;
};

/* one run's guests as vrun takes them, with the names kept */
struct run_in {
	struct vrun_guest *g;
	size_t ng, nslots, ncpus;
	char **labels;		/* [nslots] */
	double *source;		/* [nslots], NaN: none */
};

/* ------------------------------------------------------------ set-up */

static void
progress(const struct validate_env *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
progress(const struct validate_env *e, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (e->o->progress == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	e->o->progress(e->o->progress_arg, sb.buf);
	strbuf_release(&sb);
}

/* "0-1,3" into cpus; -1 with ERROR_USAGE */
int
validate_cpus_parse(const char *list, unsigned *cpus, size_t *n, long online)
{
	const char *s = list;
	unsigned long a, b, k;
	char *end;

	*n = 0;
	while (*s != '\0') {
		a = strtoul(s, &end, 10);
		b = a;
		if (end == s)
			break;
		if (*end == '-' && (s = end + 1, b = strtoul(s, &end, 10),
		    end == s))
			break;
		if (b < a || (long)b >= online)
			return error_set(ERROR_USAGE, "--cpus: CPU %lu is not "
			    "one of the %ld online", b, online);
		for (k = a; k <= b && *n < VALIDATE_CPUS_MAX; k++)
			cpus[(*n)++] = (unsigned)k;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			break;
	}
	if (*s != '\0' || *n == 0)
		return error_set(ERROR_USAGE, "--cpus '%s' is not a list of "
		    "CPUs such as 0-1,3", list);
	return 0;
}

/* "0-1" for cpus (sorted, as parsed), or the others of online when
 * invert; NULL when empty */
static char *
cpuset_of(const unsigned *cpus, size_t n, long online, bool invert)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k;
	long c;
	bool in;

	for (c = 0; c < online; c++) {
		for (k = 0, in = false; k < n; k++)
			in |= cpus[k] == (unsigned)c;
		if (in != invert)
			strbuf_addf(&sb, "%s%ld", sb.len > 0 ? "," : "", c);
	}
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static char *
newest_kernel(void)
{
	DIR *d = opendir("/boot");
	struct dirent *de;
	struct strbuf sb = STRBUF_INIT;
	char *best = NULL;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "vmlinuz-", 8) == 0 && (best == NULL ||
		    strverscmp(de->d_name, best) > 0)) {
			free(best);
			best = xstrdup(de->d_name);
		}
	if (d != NULL)
		closedir(d);
	if (best == NULL) {
		error_set(ERROR_UNSUPPORTED, "no guest kernel: /boot has no "
		    "vmlinuz-* (install linux-image-amd64, or give --kernel)");
		return NULL;
	}
	strbuf_addf(&sb, "/boot/%s", best);
	free(best);
	return strbuf_detach(&sb);
}

/* capplan-replay beside this program, else where make install puts it */
static char *
find_replay(const char *given)
{
	char self[4096], *slash;
	struct strbuf sb = STRBUF_INIT;
	ssize_t n;

	if (given != NULL)
		return realpath(given, NULL);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL)
			*slash = '\0';
		strbuf_addf(&sb, "%s/capplan-replay", self);
		if (access(sb.buf, R_OK) == 0)
			return strbuf_detach(&sb);
		strbuf_release(&sb);
	}
	if (access(CAPPLAN_LIBEXECDIR "/capplan-replay", R_OK) == 0)
		return xstrdup(CAPPLAN_LIBEXECDIR "/capplan-replay");
	error_set(ERROR_UNSUPPORTED, "no capplan-replay beside capplan nor in "
	    "'%s' (build it with make, or give --replay)",
	    CAPPLAN_LIBEXECDIR);
	return NULL;
}

static int
make_workdir(struct validate_env *e)
{
	struct strbuf sb = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");

	strbuf_addf(&sb, "%s/capplan-validate.XXXXXX", tmp != NULL && *tmp ?
	    tmp : "/tmp");
	if (mkdtemp(sb.buf) == NULL) {
		error_set_errno(ERROR_IO, "cannot make '%s'", sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	/* QEMU runs as another user and reads the initramfs here */
	(void)chmod(sb.buf, 0755);
	e->workdir = strbuf_detach(&sb);
	return 0;
}

static char *
version_str(unsigned long v)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%lu.%lu.%lu", v / 1000000, v / 1000 % 1000,
	    v % 1000);
	return strbuf_detach(&sb);
}

/* KVM where a KVM guest runs, else TCG; what was found and why */
static int
probe(struct validate_env *e)
{
	struct strbuf initrd = STRBUF_INIT;
	static const char conf[] = "capplan-replay 1\nvcpus 1\nslot_ms 1000\n"
	    "burst_ms 5\nseed 1\ncpu 0\nmem 0\n";
	struct hv_probe p;
	int ret = -1;

	if (e->o->type != NULL) {
		e->hv_type = xstrdup(e->o->type);
		e->hv_why = xstrdup("chosen with --type");
		return 0;
	}
	strbuf_addf(&initrd, "%s/probe.cpio", e->workdir);
	progress(e, "probing the hypervisor: a KVM guest, else QEMU TCG");
	if (initramfs_write(initrd.buf, e->replay, conf, strlen(conf)) == 0 &&
	    hypervisor_probe(kvm_conn_virt(e->kc), e->boot.path, initrd.buf,
	    "capplan-replay: ready", e->workdir, 8.0, 120.0, &p) == 0) {
		e->hv_type = xstrdup(hypervisor_type(p.kind));
		e->hv_why = xstrdup(p.kind == HV_KVM ? "" : p.kvm_why);
		ret = 0;
	}
	unlink(initrd.buf);
	strbuf_release(&initrd);
	return ret;
}

static void
versions(struct validate_env *e)
{
	unsigned long lib = 0, hv = 0;
	virConnectPtr c = kvm_conn_virt(e->kc);

	virConnectGetLibVersion(c, &lib);
	virConnectGetVersion(c, &hv);
	e->libvirt_version = version_str(lib);
	e->qemu_version = version_str(hv);
}

static double
mem_available_mib(void)
{
	char line[256];
	double kib = NAN;
	FILE *fp = fopen("/proc/meminfo", "r");

	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1)
			break;
	if (fp != NULL)
		fclose(fp);
	return kib / 1024.0;
}

static int
env_setup(struct validate_env *e)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k;

	if (e->o->cpus != NULL) {
		if (validate_cpus_parse(e->o->cpus, e->cpus, &e->ncpus,
		    online) == -1)
			return -1;
	} else {
		for (k = 0; k < (size_t)online && k < VALIDATE_CPUS_MAX; k++)
			e->cpus[e->ncpus++] = (unsigned)k;
	}
	e->mem_budget_mib = e->o->mem_budget_mib > 0 ? e->o->mem_budget_mib :
	    fmin(8192.0, fmax(512.0, mem_available_mib() / 4.0));
	e->kernel = e->o->kernel != NULL ? realpath(e->o->kernel, NULL) :
	    newest_kernel();
	if (e->kernel == NULL)
		return e->o->kernel != NULL ? error_set_errno(ERROR_IO,
		    "cannot use kernel '%s'", e->o->kernel) : -1;
	if ((e->replay = find_replay(e->o->replay)) == NULL)
		return e->o->replay != NULL ? error_set_errno(ERROR_IO,
		    "cannot use '%s'", e->o->replay) : -1;
	if (make_workdir(e) == -1 ||
	    kernel_prepare(e->kernel, e->workdir, &e->boot) == -1)
		return -1;
	progress(e, "kernel %s: %s", e->kernel, e->boot.how);
	if ((e->kc = kvm_open(e->o->uri != NULL ? e->o->uri :
	    "qemu:///system")) == NULL)
		return -1;
	versions(e);
	return probe(e);
}

struct validate_env *
validate_env_open(const struct validate_opts *o)
{
	struct validate_env *e = xcalloc(1, sizeof(*e));

	e->o = o;
	if (env_setup(e) == -1) {
		validate_env_close(e);
		return NULL;
	}
	return e;
}

void
validate_env_close(struct validate_env *e)
{
	DIR *d;
	struct dirent *de;
	struct strbuf sb = STRBUF_INIT;

	if (e == NULL)
		return;
	kvm_close(e->kc);
	if (e->workdir != NULL && !e->o->keep &&
	    (d = opendir(e->workdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s/%s", e->workdir, de->d_name);
			unlink(sb.buf);
		}
		closedir(d);
		rmdir(e->workdir);
	}
	strbuf_release(&sb);
	free(e->workdir);
	free(e->kernel);
	kernel_boot_release(&e->boot);
	free(e->replay);
	free(e->hv_type);
	free(e->hv_why);
	free(e->libvirt_version);
	free(e->qemu_version);
	free(e);
}

const char *
validate_env_workdir(const struct validate_env *e)
{
	return e->workdir;
}

/* ------------------------------------------------------------ measure */

/* the first sample at or after t, the last at or before t (within
 * 50 ms: they are scheduled on those times) */
static size_t
sample_at(const struct vrun_result *r, double t, bool after)
{
	size_t j;

	if (after) {
		for (j = 0; j < r->nsamples; j++)
			if (r->t[j] >= t - 0.05)
				return j;
		return r->nsamples;
	}
	for (j = r->nsamples; j > 0; j--)
		if (r->t[j - 1] <= t + 0.05)
			return j - 1;
	return r->nsamples;
}

static void
measure_point(struct validation *v, const struct run_in *in,
    const struct vrun_result *r, size_t g, size_t k, size_t a, size_t b)
{
	struct validation_point *pt = &v->points[g * v->nslots + k];
	double dt = r->t[b] - r->t[a], vc = in->g[g].vcpus;

	pt->demand_pct = 100.0 * in->g[g].cpu[k] / vc;
	pt->work_pct = 100.0 * r->loops[g * r->nslots + k] /
	    (r->loops_per_ms * v->slot_s * 1000.0 * vc);
	pt->achieved_pct = 100.0 * (r->vcpu_s[b * r->ng + g] -
	    r->vcpu_s[a * r->ng + g]) / (dt * vc);
	pt->ready_pct = 100.0 * (r->delay_s[b * r->ng + g] -
	    r->delay_s[a * r->ng + g]) / (dt * vc);
}

static void
measure_slot(struct validation *v, const struct run_in *in,
    const struct vrun_result *r, size_t k)
{
	struct validation_slot *s = &v->slots[k];
	double ws = r->t0 + (double)k * v->slot_s + v->skip_s, dt, run = 0;
	double wait = 0, vcpus = 0, proc = 0;
	size_t a = sample_at(r, ws, true), b, g;

	b = sample_at(r, r->t0 + (double)(k + 1) * v->slot_s, false);
	s->demand_cpus = 0;
	for (g = 0; g < in->ng; g++)
		s->demand_cpus += in->g[g].cpu[k];
	if (a >= r->nsamples || b >= r->nsamples || b <= a) {
		s->left_out = xstrdup("no samples in its window");
		return;
	}
	dt = r->t[b] - r->t[a];
	for (g = 0; g < in->ng; g++) {
		measure_point(v, in, r, g, k, a, b);
		run += r->vcpu_s[b * r->ng + g] - r->vcpu_s[a * r->ng + g];
		proc += r->proc_s[b * r->ng + g] - r->proc_s[a * r->ng + g];
		wait += r->delay_s[b * r->ng + g] - r->delay_s[a * r->ng + g];
		vcpus += in->g[g].vcpus;
	}
	s->achieved_cpus = run / dt;
	s->ready_pct = 100.0 * wait / (vcpus * dt);
	/* QEMU's threads besides the vCPUs (its main loop, I/O) are the
	 * guests' own: not foreign, but said */
	if (!(proc >= run))
		proc = run;
	s->emulator_pct = 100.0 * (proc - run) / ((double)in->ncpus * dt);
	s->foreign_pct = 100.0 * fmax(0.0, r->busy_s[b] - r->busy_s[a] - proc) /
	    ((double)in->ncpus * dt);
	s->steal_pct = 100.0 * (r->steal_s[b] - r->steal_s[a]) /
	    ((double)in->ncpus * dt);
}

static void
measure(struct validation *v, const struct run_in *in,
    const struct vrun_result *r, double foreign_max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k;

	for (k = 0; k < v->nslots; k++) {
		measure_slot(v, in, r, k);
		if (v->slots[k].left_out == NULL &&
		    !(v->slots[k].foreign_pct <= foreign_max)) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "foreign load %.1f %% of the test CPUs, "
			    "over %.1f %%", v->slots[k].foreign_pct,
			    foreign_max);
			v->slots[k].left_out = xstrdup(sb.buf);
		}
		v->slots[k].used = v->slots[k].left_out == NULL;
	}
	strbuf_release(&sb);
}

/* ------------------------------------------------------------ predict */

/* where a prediction goes: with the overhead measured, or without */
static double *
point_at(struct validation *v, size_t g, size_t k, bool plain)
{
	struct validation_point *p = &v->points[g * v->nslots + k];

	return plain ? &p->predicted_plain_pct : &p->predicted_pct;
}

/* per guest: the mean over its vCPUs of queue_ready_each() */
static void
predict_guests(struct validation *v, const struct run_in *in, size_t k,
    const struct contention_options *o, bool plain, double *u,
    double *each)
{
	size_t g, j, n = 0;
	double sum;

	for (g = 0; g < in->ng; g++)
		for (j = 0; j < in->g[g].vcpus; j++)
			u[n++] = fmin(1.0, in->g[g].cpu[k] / in->g[g].vcpus *
			    (1.0 + o->cpu_overhead));
	queue_ready_each(u, n, (unsigned)in->ncpus, o->share_overhead, each);
	for (g = 0, n = 0; g < in->ng; g++) {
		for (j = 0, sum = 0; j < in->g[g].vcpus; j++)
			sum += each[n++];
		*point_at(v, g, k, plain) = 100.0 * sum / in->g[g].vcpus;
	}
}

/*
 * contention_eval() on the test CPUs (one CU each, the guests' demand in
 * test CPUs' worth) for the slots' host figure, as the planner does; the
 * per-guest split from the same finite-source law.  With the Erlang C
 * queue every guest gets the host figure.  With plain, the overheads
 * measured are left out and the "plain" figures set: the model as a
 * policy without them predicts.
 */
static int
predict(struct validation *v, const struct run_in *in, int queue,
    bool plain)
{
	struct contention_host h = { "replica", (double)in->ncpus,
	    (double)in->ncpus, 1e9, NAN, NAN, NAN };
	struct contention_guest *cg = xcalloc(in->ng, sizeof(*cg));
	struct contention_options o;
	struct contention c;
	double *u, *each;
	size_t g, k, nv = 0;

	contention_options_init(&o);
	o.queue = (enum contention_queue)queue;
	o.share_overhead = plain ? 0.0 : v->share_overhead_pct / 100.0;
	o.cpu_overhead = plain ? 0.0 : v->vm_overhead_pct / 100.0;
	for (g = 0; g < in->ng; g++) {
		cg[g].name = in->g[g].name;
		cg[g].vcpus = in->g[g].vcpus;
		cg[g].mem_mib = (double)in->g[g].mem_mib;
		cg[g].demand[RES_CPU] = in->g[g].cpu;
		nv += in->g[g].vcpus;
	}
	if (contention_eval(&h, cg, in->ng, in->nslots, &o, &c) == -1) {
		free(cg);
		return -1;
	}
	u = xcalloc(nv + 1, sizeof(double));
	each = xcalloc(nv + 1, sizeof(double));
	for (k = 0; k < in->nslots; k++) {
		*(plain ? &v->slots[k].predicted_plain_pct :
		    &v->slots[k].predicted_pct) = c.ready_slot[k];
		if (o.queue == QUEUE_FINITE)
			predict_guests(v, in, k, &o, plain, u, each);
		else
			for (g = 0; g < in->ng; g++)
				*point_at(v, g, k, plain) = c.ready_slot[k];
	}
	contention_release(&c);
	free(u);
	free(each);
	free(cg);
	return 0;
}

/*
 * The time-sharing overhead a from the share phase: every vCPU busy half
 * the time alone, the ratio i of vCPU time per unit of work shared to
 * alone.  In the model the CPUs lose a of their work in the states with
 * more vCPUs in than CPUs, which hold a share q(a) of the CPU time:
 * i = 1 + a q(a), solved by fixed point.  0 when not measured.
 */
static double
share_overhead(const struct run_in *in, const struct vrun_result *r)
{
	double inflation = r->share_all / r->share_alone, a = 0, *u, *p;
	double num, den;
	size_t nv = 0, g, k;
	int it;

	for (g = 0; g < in->ng; g++)
		nv += in->g[g].vcpus;
	if (!(inflation > 1.0) || !isfinite(inflation) || nv <= in->ncpus)
		return 0.0;
	u = xcalloc(nv, sizeof(double));
	p = xcalloc(nv + 1, sizeof(double));
	for (k = 0; k < nv; k++)
		u[k] = 0.5;
	for (it = 0; it < 50; it++) {
		queue_finite_law(u, nv, (unsigned)in->ncpus, a, p);
		for (k = 0, num = den = 0; k <= nv; k++) {
			den += p[k] * (double)(k < in->ncpus ? k : in->ncpus);
			if (k > in->ncpus)
				num += p[k] * (double)in->ncpus;
		}
		a = fmin(1.0, (inflation - 1.0) * den / num);
	}
	free(u);
	free(p);
	return a;
}

/* ---------------------------------------------------------------- run */

static void
run_describe(const struct validate_env *e, const struct run_in *in,
    struct validation *v)
{
	size_t g, k;

	v->hypervisor = xstrdup(e->hv_type);
	v->hypervisor_why = xstrdup(e->hv_why);
	v->libvirt_version = xstrdup(e->libvirt_version);
	v->qemu_version = xstrdup(e->qemu_version);
	v->kernel = xstrdup(e->kernel);
	v->kernel_boot = xstrdup(e->boot.how);
	v->cpus = cpuset_of(e->cpus, in->ncpus, VALIDATE_CPUS_MAX, false);
	v->ncpus = (double)in->ncpus;
	v->slot_s = e->o->slot_s;
	v->skip_s = e->o->skip_s;
	v->foreign_max_pct = e->o->foreign_max_pct;
	v->queue = xstrdup(contention_queue_names[e->o->queue]);
	for (g = 0; g < in->ng; g++) {
		v->guests[g].name = xstrdup(in->g[g].name);
		v->guests[g].vcpus = in->g[g].vcpus;
		v->guests[g].mem_mib = (double)in->g[g].mem_mib;
	}
	for (k = 0; k < in->nslots; k++) {
		v->slots[k].label = xstrdup(in->labels[k]);
		v->slots[k].source = in->source[k];
	}
}

/* boot, replay, measure, predict: v must be validation_init()ed */
static int
run_in_guests(struct validate_env *e, const struct run_in *in,
    struct validation *v)
{
	struct vrun_opts o;
	struct vrun_result r;
	char *set = cpuset_of(e->cpus, in->ncpus, VALIDATE_CPUS_MAX, false);
	char *emu = cpuset_of(e->cpus, in->ncpus,
	    sysconf(_SC_NPROCESSORS_ONLN), true);
	int ret;

	vrun_opts_init(&o);
	o.type = e->hv_type;
	o.kernel = e->boot.path;
	o.replay = e->replay;
	o.workdir = e->workdir;
	o.cpuset = set;
	o.emulator_cpuset = emu;
	o.cpus = e->cpus;
	o.ncpus = in->ncpus;
	o.slot_s = e->o->slot_s;
	o.burst_ms = e->o->burst_ms;
	o.progress = e->o->progress;
	o.progress_arg = e->o->progress_arg;
	run_describe(e, in, v);
	ret = vrun_run(e->kc, in->g, in->ng, in->nslots, &o, &r);
	if (ret == 0) {
		v->loops_per_ms = r.loops_per_ms;
		v->lag_max_s = r.lag_max_s;
		v->calib_spread_pct = 100.0 * (r.calib_max - r.calib_min) /
		    r.loops_per_ms;
		measure(v, in, &r, e->o->foreign_max_pct);
		v->share_overhead_pct = 100.0 * share_overhead(in, &r);
		v->vm_overhead_pct = r.share_alone > 1.0 ? 100.0 *
		    (r.share_alone - 1.0) : 0.0;
		ret = predict(v, in, e->o->queue, false);
		if (ret == 0)
			ret = predict(v, in, e->o->queue, true);
	}
	vrun_result_release(&r);
	free(set);
	free(emu);
	if (ret == 0)
		validation_summarise(v, e->o->tolerance_pts);
	return ret;
}

static void
run_in_release(struct run_in *in)
{
	size_t k;

	for (k = 0; k < in->nslots; k++)
		free(in->labels[k]);
	free(in->labels);
	free(in->source);
	free(in->g);
	memset(in, 0, sizeof(*in));
}

/* --------------------------------------------------------- plan hosts */

/* the host named name, else the one with the highest CPU peak */
static const struct plan_host *
pick_host(const struct plan *p, const char *name)
{
	const struct plan_host *best = NULL;
	size_t i;

	for (i = 0; i < p->nhosts; i++) {
		if (name != NULL && strcmp(p->hosts[i].name, name) == 0)
			return &p->hosts[i];
		if (name == NULL && p->hosts[i].nguests > 0 && (best == NULL ||
		    p->hosts[i].peak[RES_CPU] > best->peak[RES_CPU]))
			best = &p->hosts[i];
	}
	if (name != NULL)
		error_set(ERROR_DATA, "the plan has no host '%s'", name);
	else if (best == NULL)
		error_set(ERROR_DATA, "the plan has no host with guests");
	return best;
}

/*
 * The listed guests as one host of their first guest's model with as
 * many logical CPUs as there are test CPUs: they all run, unscaled.
 */
static int
guests_host(const struct plan *p, char *const *names, size_t ncpus,
    struct plan_host *h, size_t **idx)
{
	const struct plan_host *first = NULL;
	size_t n = 0, i;

	while (names[n] != NULL)
		n++;
	*idx = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++) {
		const struct plan_guest *g = plan_find_guest(p, names[i]);

		if (g == NULL)
			return error_set(ERROR_DATA, "the plan has no guest "
			    "'%s'", names[i]);
		(*idx)[i] = (size_t)(g - p->guests);
		if (first == NULL)
			first = plan_guest_host(p, g);
	}
	*h = *first;
	h->name = (char *)(uintptr_t)"the listed guests";
	h->guests = *idx;
	h->nguests = n;
	h->capacity[RES_CPU] = first->capacity[RES_CPU] / first->threads *
	    (double)ncpus;
	h->threads = (double)ncpus;
	for (i = 0, h->vcpus = 0; i < n; i++)
		h->vcpus += ceil(p->guests[(*idx)[i]].vcpus);
	return 0;
}

static void
run_in_of_replica(struct run_in *in, const struct replica *rp,
    const struct plan *p)
{
	char label[64];
	size_t i, k;

	in->ng = rp->ng;
	in->nslots = rp->nslots;
	in->ncpus = rp->ncpus;
	in->g = xcalloc(rp->ng, sizeof(*in->g));
	for (i = 0; i < rp->ng; i++) {
		in->g[i].name = rp->g[i].name;
		in->g[i].vcpus = rp->g[i].vcpus;
		in->g[i].mem_mib = rp->g[i].mem_mib;
		in->g[i].cpu = rp->g[i].cpu;
		in->g[i].mem = rp->g[i].mem;
	}
	in->labels = xcalloc(rp->nslots, sizeof(char *));
	in->source = xcalloc(rp->nslots, sizeof(double));
	for (k = 0; k < rp->nslots; k++) {
		in->source[k] = (double)rp->source[k];
		if (p->nslots == SLOTS_HOUR || p->nslots == SLOTS_WEEK)
			plan_slot_label(p, rp->source[k], label,
			    sizeof(label));
		else
			snprintf(label, sizeof(label), "slot %zu",
			    rp->source[k]);
		in->labels[k] = xstrdup(label);
	}
}

static void
describe_replica(struct validation *v, const struct replica *rp)
{
	size_t i;

	v->plan_host = xstrdup(rp->host);
	v->model = xstrdup(rp->model);
	v->host_threads = rp->host_threads;
	v->host_guests = (double)rp->host_guests;
	v->host_vcpus = rp->host_vcpus;
	v->cu_per_cpu = rp->cu_per_cpu;
	v->scaled = rp->scaled;
	v->scaling = xstrdup(rp->scaling);
	v->mem_scale = rp->mem_scale;
	for (i = 0; i < rp->ng; i++)
		v->guests[i].planned_mem_mib = rp->g[i].planned_mem_mib;
}

int
validate_host(struct validate_env *e, const struct plan *p,
    const struct profile_set *ps, const char *host, char *const *guests,
    size_t first, size_t last, struct validation *v)
{
	const struct plan_host *h;
	struct plan_host lh;
	struct replica rp;
	struct run_in in;
	size_t *idx = NULL;
	int ret = -1;

	memset(v, 0, sizeof(*v));
	if (guests != NULL) {
		if (guests_host(p, guests, e->ncpus, &lh, &idx) == -1)
			goto out;
		h = &lh;
	} else if ((h = pick_host(p, host)) == NULL) {
		goto out;
	}
	if (last == SIZE_MAX)
		last = (ps->nprofiles > 0 ? ps->profiles[0].nslots : 1) - 1;
	if (last < first)
		return error_set(ERROR_USAGE, "--slots: %zu-%zu is empty",
		    first, last);
	if (replica_of_host(&rp, p, h, ps, e->ncpus, first, last,
	    e->mem_budget_mib) == -1)
		goto out;
	progress(e, "%s", rp.scaling);
	run_in_of_replica(&in, &rp, p);
	validation_init(v, in.ng, in.nslots);
	v->name = xstrdup(h->name);
	describe_replica(v, &rp);
	ret = run_in_guests(e, &in, v);
	run_in_release(&in);
	replica_release(&rp);
out:
	free(idx);
	return ret;
}

/* -------------------------------------------------------------- sweep */

static const double sweep_levels[] = { 0.2, 0.4, 0.6, 0.8, 1.0 };
static const double sweep_ratios[] = { 0.5, 1, 2, 3, 4 };
#define SWEEP_LEVELS (sizeof(sweep_levels) / sizeof(sweep_levels[0]))
#define SWEEP_TRACED 6

struct trace {
	double *v;
	size_t n, cap;
};

static int
trace_row(const struct sample *s, void *ctx)
{
	struct trace *t = ctx;

	if (isnan(s->v[METRIC_CPU_BUSY_PCT]))
		return 0;
	ALLOC_GROW(t->v, t->n + 1, t->cap);
	t->v[t->n++] = fmin(1.0, fmax(0.0, s->v[METRIC_CPU_BUSY_PCT] / 100.0));
	return 0;
}

static int
traces_read(char *const *paths, size_t n, struct trace *t)
{
	const struct samples_ops ops = { NULL, trace_row };
	size_t i;

	for (i = 0; i < n; i++) {
		if (samples_read(paths[i], &ops, &t[i], NULL) == -1)
			return -1;
		if (t[i].n < SWEEP_TRACED)
			return error_set(ERROR_DATA, "%s: %zu rows of CPU busy, "
			    "fewer than the %d a trace needs", paths[i],
			    t[i].n, SWEEP_TRACED);
	}
	return 0;
}

/* guest i's demand: the constant levels, then its slice of a trace */
static double *
sweep_series(const struct trace *t, size_t nt, size_t i, size_t nslots)
{
	double *d = xcalloc(nslots, sizeof(double));
	const struct trace *tr;
	size_t k, off;

	for (k = 0; k < SWEEP_LEVELS; k++)
		d[k] = sweep_levels[k];
	if (nt == 0)
		return d;
	tr = &t[i % nt];
	off = (i * 37) % (tr->n - SWEEP_TRACED + 1);
	for (k = 0; k < SWEEP_TRACED; k++)
		d[SWEEP_LEVELS + k] = tr->v[off + k];
	return d;
}

static void
sweep_in(struct run_in *in, const struct trace *t, size_t nt, size_t c,
    size_t n)
{
	char label[64];
	size_t i, k;

	in->ng = n;
	in->ncpus = c;
	in->nslots = SWEEP_LEVELS + (nt > 0 ? SWEEP_TRACED : 0);
	in->g = xcalloc(n, sizeof(*in->g));
	for (i = 0; i < n; i++) {
		in->g[i].vcpus = 1;
		in->g[i].mem_mib = REPLICA_MIN_MEM_MIB;
		in->g[i].cpu = sweep_series(t, nt, i, in->nslots);
	}
	in->labels = xcalloc(in->nslots, sizeof(char *));
	in->source = xcalloc(in->nslots, sizeof(double));
	for (k = 0; k < in->nslots; k++) {
		in->source[k] = NAN;
		if (k < SWEEP_LEVELS)
			snprintf(label, sizeof(label), "%.0f %%",
			    100.0 * sweep_levels[k]);
		else
			snprintf(label, sizeof(label), "trace %zu",
			    k - SWEEP_LEVELS + 1);
		in->labels[k] = xstrdup(label);
	}
}

static int
sweep_one(struct validate_env *e, const struct trace *t, size_t nt,
    size_t c, size_t n, struct validation *v)
{
	struct strbuf name = STRBUF_INIT;
	struct run_in in;
	size_t i;
	int ret;

	sweep_in(&in, t, nt, c, n);
	for (i = 0; i < n; i++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "sweep-%zu", i + 1);
		in.g[i].name = xstrdup(name.buf);
	}
	validation_init(v, n, in.nslots);
	strbuf_reset(&name);
	strbuf_addf(&name, "c=%zu N=%zu", c, n);
	v->name = strbuf_detach(&name);
	progress(e, "sweep %s: %zu one-vCPU guest%s on %zu CPU%s", v->name, n,
	    n == 1 ? "" : "s", c, c == 1 ? "" : "s");
	ret = run_in_guests(e, &in, v);
	for (i = 0; i < n; i++) {
		free((char *)(uintptr_t)in.g[i].name);
		free((double *)(uintptr_t)in.g[i].cpu);
	}
	run_in_release(&in);
	return ret;
}

/* does the sweep run configurations of c CPUs (--sweep-cpus)? */
static bool
sweep_wants(const struct validate_env *e, size_t c)
{
	return e->o->sweep_cpus == 0 || (e->o->sweep_cpus & 1u << c) != 0;
}

int
validate_sweep(struct validate_env *e, char *const *samples,
    size_t nsamples, const char *out, struct validation_set *s)
{
	struct trace *t = xcalloc(nsamples + 1, sizeof(*t));
	size_t c, r, n, cap = 0, last = 0, i;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->sweep = true;
	if (traces_read(samples, nsamples, t) == -1)
		goto out;
	for (c = 1; c <= 2 && c <= e->ncpus; c++)
		for (r = 0, last = 0; sweep_wants(e, c) && r <
		    sizeof(sweep_ratios) / sizeof(sweep_ratios[0]); r++) {
			n = (size_t)llround(sweep_ratios[r] * (double)c);
			if (n < 1 || n == last)
				continue;
			last = n;
			ALLOC_GROW(s->runs, s->nruns + 1, cap);
			s->nruns++;
			if (sweep_one(e, t, nsamples, c, n,
			    &s->runs[s->nruns - 1]) == -1)
				goto out;
			validation_set_summarise(s, e->o->tolerance_pts);
			if (out != NULL && validation_set_write(s, out) == -1)
				goto out;
		}
	validation_set_summarise(s, e->o->tolerance_pts);
	ret = 0;
out:
	for (i = 0; i < nsamples; i++)
		free(t[i].v);
	free(t);
	return ret;
}
