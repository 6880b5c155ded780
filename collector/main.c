/*
 * main.c - capplan-collect: options, the clocks, signals and the loop.
 *
 * One thread, one wake-up per sub-sample and none in between: ppoll() on
 * a timerfd armed on CLOCK_BOOTTIME (so a resume fires the overdue tick
 * at once), a signalfd (no handlers, no interrupted system calls) and a
 * CLOCK_REALTIME timerfd armed with TFD_TIMER_CANCEL_ON_SET, which the
 * kernel cancels whenever someone sets the clock: that is how a clock
 * step is seen even when it is too small to notice by comparing clocks.
 * Each deadline is recomputed from the UTC clock, so sub-samples land on
 * UTC multiples of the period and NTP slews correct themselves.
 *
 * This is the only file that reads clocks, parses argv, prints and
 * chooses the exit status (0 done, 1 failure, 2 misuse).  SIGTERM and
 * SIGINT finish the row so far and exit 0; SIGHUP reopens the files and
 * reads the inventory again; SIGUSR1 reads the inventory again.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "collector/cmath.h"
#include "collector/collect.h"
#include "collector/replay.h"
#include "common/error.h"
#include "common/exitcode.h"

#define PROG "capplan-collect"
#define EPS_S 0.1		/* as sampler.c: timer and slew tolerance */

static const char usage_text[] =
    "usage: capplan-collect [-1hpVv] [-b rows] [-d duration] [-H name]\n"
    "                       [-i seconds] [-o dir] [-R dir | -r root]\n"
    "                       [-S seconds] [-s seconds]\n";

struct opts {
	struct collect_cfg cfg;
	double duration_s;	/* 0: until stopped */
	const char *root;	/* --root */
	const char *replay;	/* --replay */
};

static void
note(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, PROG ": %s\n", msg);
}

static int
misuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage_text);
	return EXIT_USAGE;
}

/* "90", "90s", "15m", "2h", "7d" in seconds; -1 when not such. */
static double
parse_span(const char *s)
{
	char *end;
	double v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtod(s, &end);
	if (end == s || v <= 0 || !isfinite(v))
		return -1;
	if (*end != '\0' && end[1] != '\0')
		return -1;
	switch (*end) {
	case '\0': case 's': return v;
	case 'm': return v * 60;
	case 'h': return v * 3600;
	case 'd': return v * 86400;
	}
	return -1;
}

/* The default sub-sample period: 5 s, or the largest divisor of the
 * interval below it. */
static int
default_sub(int interval)
{
	int d;

	for (d = 5; d > 1; d--)
		if (interval % d == 0)
			return d;
	return 1;
}

static const struct option long_opts[] = {
	{ "once", no_argument, NULL, '1' },
	{ "buffer", required_argument, NULL, 'b' },
	{ "duration", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "hostname", required_argument, NULL, 'H' },
	{ "interval", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "per-device", no_argument, NULL, 'p' },
	{ "replay", required_argument, NULL, 'R' },
	{ "root", required_argument, NULL, 'r' },
	{ "sub-interval", required_argument, NULL, 's' },
	{ "sync-interval", required_argument, NULL, 'S' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

/* a name for the samples' host column: 1 to 255 bytes, no control
 * characters (the column is quoted when it needs to be) */
static bool
hostname_ok(const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return n >= 1 && n <= 255;
}

/* Whole seconds in [lo, hi] from a span; -1 when not. */
static int
parse_seconds(const char *s, int lo, int hi)
{
	double v = parse_span(s);

	if (v < lo || v > hi || v != cm_floor(v))
		return -1;
	return (int)v;
}

#define GO_ON (-1)

/* One option: GO_ON, or the exit status to stop with. */
static int
parse_opt(struct opts *o, int c, int *sub, const char *argv_opt)
{
	switch (c) {
	case '1': o->cfg.once = true; return GO_ON;
	case 'b':
		o->cfg.qmax = (size_t)parse_seconds(optarg, 1, 1000000);
		if (o->cfg.qmax == (size_t)-1)
			return misuse("--buffer: '%s' is not a number of rows "
			    "from 1 to 1000000", optarg);
		return GO_ON;
	case 'd':
		if ((o->duration_s = parse_span(optarg)) < 0)
			return misuse("--duration: '%s' is not a duration such "
			    "as 90, 15m, 2h or 7d", optarg);
		return GO_ON;
	case 'i':
		if ((o->cfg.interval_s = parse_seconds(optarg, 1, 86400)) < 0)
			return misuse("--interval: '%s' is not a whole number "
			    "of seconds from 1 to 86400", optarg);
		return GO_ON;
	case 's':
		if ((*sub = parse_seconds(optarg, 1, 3600)) < 0)
			return misuse("--sub-interval: '%s' is not a whole "
			    "number of seconds from 1 to 3600", optarg);
		return GO_ON;
	case 'S':
		/* 0: every row; parse_span() takes no 0 */
		o->cfg.sync_s = strcmp(optarg, "0") == 0 ? 0 :
		    parse_seconds(optarg, 1, 86400);
		if (o->cfg.sync_s < 0)
			return misuse("--sync-interval: '%s' is not 0 or a whole "
			    "number of seconds up to a day", optarg);
		return GO_ON;
	case 'o': o->cfg.outdir = optarg; return GO_ON;
	case 'H':
		if (!hostname_ok(optarg))
			return misuse("--hostname: '%s' is not a host name (1 to "
			    "255 bytes, no control characters)", optarg);
		o->cfg.hostname = optarg;
		return GO_ON;
	case 'p': o->cfg.per_device = true; return GO_ON;
	case 'R': o->replay = optarg; return GO_ON;
	case 'r': o->root = optarg; return GO_ON;
	case 'v': o->cfg.verbose = true; return GO_ON;
	case ':':
		return misuse("option '%s' needs a value", argv_opt);
	case '?':
		return misuse("unknown option '%s'", argv_opt);
	case 'h': fputs(usage_text, stdout); return EXIT_OK;
	case 'V': puts(PROG " " CAPPLAN_VERSION); return EXIT_OK;
	}
	return EXIT_USAGE;
}

/* Options that only make sense together; GO_ON or EXIT_USAGE. */
static int
check_opts(struct opts *o, int sub)
{
	struct collect_cfg *c = &o->cfg;

	if (sub == 0)
		sub = c->interval_s < 5 ? c->interval_s :
		    default_sub(c->interval_s);
	if (sub > c->interval_s || c->interval_s % sub != 0)
		return misuse("--sub-interval %d s must divide --interval %d s",
		    sub, c->interval_s);
	c->sub_s = sub;
	if (o->root != NULL && o->replay != NULL)
		return misuse("--root and --replay cannot be used together");
	if (c->per_device && c->outdir == NULL)
		return misuse("--per-device needs --output: the disk and net "
		    "streams are files");
	if (c->once && o->duration_s > 0)
		return misuse("--once and --duration cannot be used together");
	return GO_ON;
}

static int
parse_args(struct opts *o, int argc, char **argv)
{
	int c, rc, sub = 0;

	memset(o, 0, sizeof(*o));
	o->cfg.interval_s = 60;
	o->cfg.sync_s = 60;
	o->cfg.qmax = 1440;
	o->cfg.note = note;
	opterr = 0;		/* our messages name the program, not argv[0] */
	while ((c = getopt_long(argc, argv, ":1b:d:hH:i:o:pR:r:S:s:Vv", long_opts,
	    NULL)) != -1)
		if ((rc = parse_opt(o, c, &sub, argv[optind - 1])) != GO_ON)
			return rc;
	if (optind < argc)
		return misuse("unexpected argument '%s'", argv[optind]);
	return check_opts(o, sub);
}

/* ------------------------------------------------------------- clocks */

static double
ts_s(const struct timespec *ts)
{
	return (double)ts->tv_sec + ts->tv_nsec / 1e9;
}

/*
 * Read the three clocks (vDSO, no system call), and whether NTP has the
 * clock in sync.  That takes adjtimex(2), a system call, so it is asked
 * at most once a minute (of monotonic time) and the answer kept: a
 * clock's sync state changes over minutes, and a row is flagged
 * time_unsync when any of its sub-samples says so.
 */
static void
clocks_now(struct clocks *t)
{
	static double asked_s = -1e18;
	static bool unsynced;
	struct timespec ts;
	struct timex tx;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t->mono_s = ts_s(&ts);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	t->boot_s = ts_s(&ts);
	clock_gettime(CLOCK_REALTIME, &ts);
	t->real_s = ts_s(&ts);
	if (t->mono_s - asked_s >= 60.0) {
		/* modes 0 only reads; a sandbox that forbids it says nothing */
		memset(&tx, 0, sizeof(tx));
		rc = adjtimex(&tx);
		unsynced = rc != -1 && (rc == TIME_ERROR ||
		    (tx.status & STA_UNSYNC));
		asked_s = t->mono_s;
	}
	t->unsynced = unsynced;
}

/* Arm fd (CLOCK_BOOTTIME, absolute) at boot-time seconds at. */
static void
timer_at(int fd, double at)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = (time_t)at;
	its.it_value.tv_nsec = (long)((at - cm_floor(at)) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Arm the clock-set watch: a far deadline cancelled by any clock_settime. */
static void
watch_clock(int fd)
{
	struct itimerspec its = { 0 };
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value.tv_sec = now.tv_sec + 86400 * 365;
	timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its,
	    NULL);
}

/* ---------------------------------------------------------- live loop */

struct live {
	const struct opts *o;
	struct collect c;
	struct probe probe;
	int tfd, cfd, sfd;	/* tick timer, clock-set watch, signals */
	struct clocks start;
	double end_boot;	/* --duration's end, boot time; 0: none */
};

/* Boot-time seconds of the next sub-sample after now. */
static double
next_deadline(const struct live *l, const struct clocks *now)
{
	double sub = l->o->cfg.sub_s, at, k;

	if (l->o->cfg.once) {
		k = cm_floor((now->boot_s - l->start.boot_s) / sub + EPS_S) + 1;
		at = l->start.boot_s + k * sub;
	} else
		at = now->boot_s + (cm_floor((now->real_s + EPS_S) / sub) + 1) *
		    sub - now->real_s;
	if (l->end_boot > 0 && at > l->end_boot)
		at = l->end_boot;
	return at;
}

static int
live_setup(struct live *l)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1 ||
	    (l->sfd = signalfd(-1, &mask, SFD_CLOEXEC)) == -1 ||
	    (l->tfd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC)) == -1 ||
	    (l->cfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC)) == -1)
		return error_set_errno(ERROR_IO, "cannot set up timers and "
		    "signals");
	watch_clock(l->cfd);
	return 0;
}

/* A signal: 1 to stop, 0 to go on, -1 on error. */
static int
on_signal(struct live *l)
{
	struct signalfd_siginfo si;
	struct clocks now;

	if (read(l->sfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
		return 1;
	clocks_now(&now);
	if (si.ssi_signo == SIGHUP)
		output_reopen(l->c.out);
	return collect_refresh(&l->c, (int64_t)cm_floor(now.real_s * 1000));
}

/* The clock was set: ECANCELED on the watch. */
static void
on_clock_set(struct live *l)
{
	uint64_t n;

	if (read(l->cfd, &n, sizeof(n)) == -1 && errno == ECANCELED)
		sampler_clock_stepped(l->c.sampler);
	watch_clock(l->cfd);
}

/* The tick: 1 to stop (--once done, --duration over), 0, -1. */
static int
on_tick(struct live *l, struct clocks *t)
{
	uint64_t n;

	if (read(l->tfd, &n, sizeof(n)) == -1)
		return 0;
	clocks_now(t);
	if (collect_tick(&l->c, t) == -1)
		return -1;
	if (l->c.done)
		return 1;
	return l->end_boot > 0 && t->boot_s >= l->end_boot - EPS_S;
}

static int
live_loop(struct live *l, struct clocks *t)
{
	struct pollfd pfd[3];
	struct clocks now = *t;
	int rc = 0;

	pfd[0].fd = l->tfd;
	pfd[1].fd = l->cfd;
	pfd[2].fd = l->sfd;
	pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
	/* the timer is armed from the last reading of the clocks: after a
	 * tick its own (a few µs old), after a clock step a fresh one */
	timer_at(l->tfd, next_deadline(l, &now));
	while (rc == 0) {
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			return error_set_errno(ERROR_IO, "poll failed");
		}
		if (pfd[2].revents & POLLIN)
			rc = on_signal(l);
		if (rc == 0 && (pfd[1].revents & POLLIN)) {
			on_clock_set(l);
			clocks_now(&now);
			timer_at(l->tfd, next_deadline(l, &now));
		}
		if (rc == 0 && (pfd[0].revents & POLLIN)) {
			rc = on_tick(l, t);
			timer_at(l->tfd, next_deadline(l, t));
		}
	}
	return rc;
}

static int
live_run(const struct opts *o)
{
	struct live l = { 0 };
	struct clocks t;
	int rc = -1;

	l.o = o;
	l.tfd = l.cfd = l.sfd = -1;
	probe_init(&l.probe, o->root, true);
	if (live_setup(&l) == -1)
		goto out;
	clocks_now(&t);
	l.start = t;
	if (o->duration_s > 0)
		l.end_boot = t.boot_s + o->duration_s;
	if (collect_start(&l.c, &o->cfg, &l.probe, &t) == -1)
		goto out;
	rc = live_loop(&l, &t);
	if (rc == -1)
		goto out;
	if (l.end_boot == 0 || t.boot_s < l.end_boot - EPS_S)
		clocks_now(&t);		/* a signal: read once more */
	rc = collect_finish(&l.c, &t);
out:
	collect_release(&l.c);
	probe_release(&l.probe);
	if (l.tfd >= 0)
		close(l.tfd);
	if (l.cfd >= 0)
		close(l.cfd);
	if (l.sfd >= 0)
		close(l.sfd);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_args(&o, argc, argv);

	if (rc != GO_ON)
		return rc;
	if (o.replay != NULL)
		rc = replay_run(o.replay, &o.cfg);
	else
		rc = live_run(&o);
	if (rc == -1) {
		fprintf(stderr, PROG ": %s\n", error_last_msg());
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
