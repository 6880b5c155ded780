/*
 * replay.c - capplan-replay: one guest's recorded CPU and memory demand,
 * replayed slot by slot as a closed-loop source.
 *
 * It runs as PID 1 of a validate guest's initramfs (kvm/initramfs.c puts
 * it at /init, beside /replay.conf and /dev/console), or on any Linux
 * with "-c conf" for tests.  Static, libc only: the guest has nothing
 * else.
 *
 * Each vCPU gets one thread pinned to it that alternates bursts of work
 * (a number of loop iterations, exponentially distributed, mean burst_ms
 * of this vCPU's own speed) with think times (exponential, mean
 * burst_ms x (1 - u) / u), so that alone it is busy exactly u, the
 * slot's demand per vCPU.  Under contention a burst takes longer while
 * the think times do not: the demand is the uncontended one, as a
 * physical server's recorded utilisation is, and the finite-source queue
 * of model/contention.c describes what it meets.  The exponential draws
 * come from a low-discrepancy sequence (golden-ratio steps through the
 * inverse CDF), so a slot of a few hundred cycles replays its demand to
 * a few per cent instead of the ~10 % that independent draws give.
 * Memory: the working set (the largest slot's) is faulted in at boot,
 * and at the start of each slot the vCPU-0 thread touches the slot's
 * active MiB of it (one write per page).
 *
 * Protocol, lines on the console (stdin and stdout):
 *   -> "capplan-replay: ready vcpus=N slots=S"     (again on "ping")
 *   <- "calibrate MS"   loop alone for MS ms on vCPU 0
 *   -> "capplan-replay: calibrated loops_per_ms=X sleep_over_us=Y"
 *   <- "go LOOPS_PER_MS DELAY_MS"   slot 0 starts DELAY_MS from now
 *   -> "capplan-replay: slot K vcpu V loops N busy_ms B bursts C" per
 *      vCPU at the end of each slot, then "capplan-replay: done"
 *   <- "share LOOPS_PER_MS DELAY_MS U MS"  every vCPU busy U alone
 *      for MS ms, starting DELAY_MS from now (the time-sharing overhead)
 *   -> "capplan-replay: shared loops N busy_ms B"
 *   <- "quit"           power off (as PID 1) or exit
 *
 * /replay.conf: "capplan-replay 1", then "vcpus N", "slot_ms MS",
 * "burst_ms MS", "seed N", "cpu D0 D1 ..." (demand per slot in vCPUs'
 * worth, 0 to N, shared evenly by the vCPUs) and "mem M0 M1 ..." (active
 * MiB per slot).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SLOTS_MAX 4096
#define VCPUS_MAX 256
#define PAGE 4096

struct conf {
	unsigned vcpus;
	double slot_ms, burst_ms;
	unsigned long seed;
	size_t nslots;
	double cpu[SLOTS_MAX];	/* vCPUs' worth per slot */
	double mem[SLOTS_MAX];	/* active MiB per slot */
};

/* what a closed loop did */
struct work {
	uint64_t loops;
	double busy_s;
	unsigned long bursts;
};

struct worker {
	pthread_t tid;
	unsigned v;
	const struct conf *c;
	double loops_per_ms;
	double t0;		/* CLOCK_MONOTONIC of slot 0's start, s */
	double x_work, x_think;	/* low-discrepancy states, 0-1 */
	double share_u, share_end;	/* "share": one loop, not the slots */
	struct work done;
};

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile uint64_t sink;	/* keeps the loop from being optimised */
static double sleep_over_s;	/* a sleep's mean overshoot, alone */
static unsigned char *wset;	/* the working set */
static size_t wset_bytes;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	fputs("capplan-replay: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void
sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
spin(uint64_t n)
{
	uint64_t x = sink, i;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}

/* the next exponential draw of mean 1 from the sequence at *x */
static double
next_exp(double *x, double step)
{
	*x += step;
	*x -= floor(*x);
	return -log(1.0 - *x * 0.999999);
}

static void
pin(unsigned cpu)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	CPU_SET(cpu % (unsigned)(n > 0 ? n : 1), &set);
	(void)sched_setaffinity(0, sizeof(set), &set);
}

static void
touch_mib(double mib)
{
	size_t n = mib > 0 ? (size_t)(mib * 1048576.0) : 0, i;

	if (n > wset_bytes)
		n = wset_bytes;
	for (i = 0; i < n; i += PAGE)
		wset[i]++;
}

/* Alternate bursts and think times of vCPU w->v, busy u alone, from now
 * to end (CLOCK_MONOTONIC s); add what was done to *d. */
static void
run_closed(struct worker *w, double u, double end, struct work *d)
{
	double burst = w->c->burst_ms * w->loops_per_ms, t, b;
	uint64_t n;

	if (u > 1.0)
		u = 1.0;
	while ((t = now_s()) < end) {
		if (u <= 0.0) {
			sleep_s(end - t);
			break;
		}
		n = (uint64_t)llround(next_exp(&w->x_work, 0.6180339887498949) *
		    burst);
		spin(n);
		b = now_s();
		d->busy_s += b - t;
		d->loops += n;
		d->bursts++;
		/* the timer's own overshoot, measured alone, is not think
		 * time: without it a source is busy less than u alone */
		if (u < 0.999)
			sleep_s(fmin(end - b, next_exp(&w->x_think,
			    0.4142135623730951) * w->c->burst_ms / 1000.0 *
			    (1.0 - u) / u - sleep_over_s));
	}
}

/* One slot of vCPU w->v, from now to end (CLOCK_MONOTONIC s). */
static void
run_slot(struct worker *w, size_t k, double end)
{
	struct work d = { 0, 0.0, 0 };

	if (w->v == 0)
		touch_mib(w->c->mem[k]);
	run_closed(w, w->c->cpu[k] / w->c->vcpus, end, &d);
	say("slot %zu vcpu %u loops %llu busy_ms %.1f bursts %lu", k, w->v,
	    (unsigned long long)d.loops, d.busy_s * 1000.0, d.bursts);
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	size_t k;

	pin(w->v);
	sleep_s(w->t0 - now_s());
	if (w->share_end > 0) {
		run_closed(w, w->share_u, w->share_end, &w->done);
		return NULL;
	}
	for (k = 0; k < w->c->nslots; k++)
		run_slot(w, k, w->t0 + (double)(k + 1) * w->c->slot_ms / 1000.0);
	return NULL;
}

/* run the vCPU threads: the slots, or with share_s > 0 one closed loop
 * busy u alone for share_s seconds, reported as one line */
static void
workers(const struct conf *c, double loops_per_ms, double delay_ms,
    double u, double share_s)
{
	static struct worker w[VCPUS_MAX];
	double t0 = now_s() + delay_ms / 1000.0;
	struct work sum = { 0, 0.0, 0 };
	unsigned v;

	for (v = 0; v < c->vcpus; v++) {
		memset(&w[v], 0, sizeof(w[v]));
		w[v].v = v;
		w[v].c = c;
		w[v].loops_per_ms = loops_per_ms;
		w[v].t0 = t0;
		w[v].share_u = u;
		w[v].share_end = share_s > 0 ? t0 + share_s : 0;
		/* each vCPU its own place in the sequences */
		w[v].x_work = fmod((double)(c->seed % 1000003) * 0.7548776662 +
		    v * 0.5698402910, 1.0);
		w[v].x_think = fmod((double)(c->seed % 999983) * 0.3247179572 +
		    v * 0.2360679775, 1.0);
		if (pthread_create(&w[v].tid, NULL, worker_run, &w[v]) != 0)
			worker_run(&w[v]);
	}
	for (v = 0; v < c->vcpus; v++) {
		pthread_join(w[v].tid, NULL);
		sum.loops += w[v].done.loops;
		sum.busy_s += w[v].done.busy_s;
	}
	if (share_s > 0)
		say("shared loops %llu busy_ms %.1f",
		    (unsigned long long)sum.loops, sum.busy_s * 1000.0);
	else
		say("done");
}

/* the mean overshoot of a sleep of a few ms, alone */
static double
sleep_overshoot(void)
{
	double t, sum = 0;
	int i;

	for (i = 0; i < 40; i++) {
		t = now_s();
		sleep_s(0.002);
		sum += now_s() - t - 0.002;
	}
	return fmax(0.0, sum / 40);
}

/* loop iterations per ms alone on vCPU 0: the best of several rounds
 * (the first round also pays for TCG's translation); and the sleeps'
 * overshoot */
static double
calibrate(double ms)
{
	double best = 0, t, dt, round_s = ms / 1000.0 / 5.0;
	uint64_t n, chunk = 4096;
	int r;

	pin(0);
	for (r = 0; r < 6; r++) {
		t = now_s();
		n = 0;
		do {
			spin(chunk);
			n += chunk;
		} while ((dt = now_s() - t) < round_s);
		if ((double)n / (dt * 1000.0) > best)
			best = (double)n / (dt * 1000.0);
	}
	sleep_over_s = sleep_overshoot();
	return best;
}

static int
read_series(char *rest, double *v, size_t *n)
{
	char *tok, *save = NULL, *end;

	*n = 0;
	for (tok = strtok_r(rest, " \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\n", &save)) {
		if (*n == SLOTS_MAX)
			return -1;
		v[*n] = strtod(tok, &end);
		if (end == tok || *end != '\0' || !(v[*n] >= 0))
			return -1;
		(*n)++;
	}
	return 0;
}

static int
conf_line(struct conf *c, char *line, size_t *nmem)
{
	char key[32];
	int off = 0;

	if (sscanf(line, "%31s %n", key, &off) != 1)
		return 0;
	if (strcmp(key, "vcpus") == 0)
		c->vcpus = (unsigned)strtoul(line + off, NULL, 10);
	else if (strcmp(key, "slot_ms") == 0)
		c->slot_ms = strtod(line + off, NULL);
	else if (strcmp(key, "burst_ms") == 0)
		c->burst_ms = strtod(line + off, NULL);
	else if (strcmp(key, "seed") == 0)
		c->seed = strtoul(line + off, NULL, 10);
	else if (strcmp(key, "cpu") == 0)
		return read_series(line + off, c->cpu, &c->nslots);
	else if (strcmp(key, "mem") == 0)
		return read_series(line + off, c->mem, nmem);
	return 0;
}

static int
conf_read(struct conf *c, const char *path)
{
	static char line[65536];
	FILE *fp = fopen(path, "r");
	size_t nmem = 0;
	int ret = 0;

	if (fp == NULL)
		return -1;
	memset(c, 0, sizeof(*c));
	if (fgets(line, sizeof(line), fp) == NULL ||
	    strncmp(line, "capplan-replay 1", 16) != 0)
		ret = -1;
	while (ret == 0 && fgets(line, sizeof(line), fp) != NULL)
		ret = conf_line(c, line, &nmem);
	fclose(fp);
	if (ret == 0 && (c->vcpus < 1 || c->vcpus > VCPUS_MAX ||
	    !(c->slot_ms > 0) || !(c->burst_ms > 0) || c->nslots == 0 ||
	    (nmem != 0 && nmem != c->nslots)))
		ret = -1;
	return ret;
}

/* PID 1: /proc for the CPU count, a console without echo */
static void
init_system(void)
{
	struct termios t;

	mkdir("/proc", 0555);
	(void)mount("proc", "/proc", "proc", 0, NULL);
	mkdir("/sys", 0555);
	(void)mount("sysfs", "/sys", "sysfs", 0, NULL);
	if (tcgetattr(0, &t) == 0) {
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		t.c_oflag &= ~(tcflag_t)OPOST;
		(void)tcsetattr(0, TCSANOW, &t);
	}
}

static void
working_set(const struct conf *c)
{
	double max = 0;
	size_t k;

	for (k = 0; k < c->nslots; k++)
		max = fmax(max, c->mem[k]);
	wset_bytes = (size_t)(max * 1048576.0);
	if (wset_bytes > 0) {
		/* faulted in now, at boot: a page fault costs tens of us
		 * under TCG, and paid in slot 0 it would be demand that was
		 * never recorded */
		wset = mmap(NULL, wset_bytes, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (wset == MAP_FAILED) {
			say("error no working set of %.0f MiB", max);
			wset = NULL;
			wset_bytes = 0;
		}
	}
}

/* the guest kernel's clock source, for the record: reading it is part
 * of every burst and think */
static const char *
clocksource(void)
{
	static char cs[64] = "unknown";
	FILE *fp = fopen("/sys/devices/system/clocksource/clocksource0/"
	    "current_clocksource", "r");

	if (fp != NULL) {
		if (fgets(cs, sizeof(cs), fp) != NULL)
			cs[strcspn(cs, "\n")] = '\0';
		fclose(fp);
	}
	return cs;
}

static void
serve(const struct conf *c, bool pid1)
{
	char line[256];
	double a, b, u, s;

	say("ready vcpus=%u slots=%zu clocksource=%s", c->vcpus, c->nslots,
	    clocksource());
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (sscanf(line, "calibrate %lf", &a) == 1) {
			a = calibrate(a);
			say("calibrated loops_per_ms=%.3f sleep_over_us=%.1f", a,
			    sleep_over_s * 1e6);
		}
		else if (sscanf(line, "go %lf %lf", &a, &b) == 2 && a > 0)
			workers(c, a, b, 0, 0);
		else if (sscanf(line, "share %lf %lf %lf %lf", &a, &b, &u, &s)
		    == 4 && a > 0 && s > 0)
			workers(c, a, b, u, s / 1000.0);
		else if (strncmp(line, "quit", 4) == 0)
			break;
		else
			say("ready vcpus=%u slots=%zu", c->vcpus, c->nslots);
	}
	if (pid1) {
		sync();
		reboot(RB_POWER_OFF);
	}
}

int
main(int argc, char **argv)
{
	static struct conf c;
	const char *path = "/replay.conf";
	bool pid1 = getpid() == 1;

	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		path = argv[2];
	else if (argc != 1 && !pid1) {
		fprintf(stderr, "usage: capplan-replay [-c replay.conf]\n");
		return 2;
	}
	if (pid1)
		init_system();
	if (conf_read(&c, path) == -1) {
		say("error cannot read %s", path);
		if (pid1)
			for (;;)
				pause();
		return 1;
	}
	working_set(&c);
	serve(&c, pid1);
	return 0;
}
