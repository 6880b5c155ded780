/*
 * cmd_validate.c - capplan validate: a planned host's guests on a real
 * hypervisor, predicted against measured contention (kvm/validate.c).
 *
 * Reads the plan, the profiles (the demand replayed) and the host
 * catalog (which must agree with the plan on each host model's CPU),
 * and the policy's [validate] and [overcommit] cpu_queue; prints the
 * per guest and per slot table and the summary, and writes
 * validation.json with -o.  Exit 3 when the median error is over
 * [validate] tolerance_pts.  --sweep runs the model's sweep instead.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/hostcat.h"
#include "common/policy.h"
#include "kvm/validate.h"
#include "model/validation.h"
#include "planner/plan.h"

#define CMD "validate"

struct args {
	const char *conf, *out, *host, *slots;
	char **guests;		/* NULL-terminated, from --guests */
	bool sweep;
	double slot_s;		/* --slot-seconds, NaN: the policy's */
	struct validate_opts o;
	char **operands;
	int noperands;
};

enum {
	OPT_CONNECT = CMD_LONG_ONLY, OPT_HOST, OPT_GUESTS, OPT_SLOTS,
	OPT_SLOT_SECONDS, OPT_CPUS, OPT_SWEEP, OPT_KEEP, OPT_KERNEL,
	OPT_REPLAY, OPT_TYPE, OPT_SWEEP_CPUS,
};

const struct cmd_option cmd_validate_options[] = {
	{ OPT_KEEP, "keep", NULL, "keep the work folder (initramfs, sockets, logs)" },
	{ OPT_SWEEP, "sweep", NULL, "the model's sweep, not a planned host" },
	{ 'c', NULL, "capplan.conf", "the policy: [validate], cpu_queue" },
	{ 'o', NULL, "validation.json", "write the results as JSON too" },
	{ OPT_CONNECT, "connect", "uri", "libvirt URI (default: libvirt's own)" },
	{ OPT_CPUS, "cpus", "list", "the test CPUs (default: every online CPU)" },
	{ OPT_GUESTS, "guests", "list", "these guests, not a host's" },
	{ CMD_OR, NULL, NULL, NULL },
	{ OPT_HOST, "host", "name", "this host (default: the highest CPU peak)" },
	{ OPT_KERNEL, "kernel", "file", "the guest kernel (/boot/vmlinuz-*)" },
	{ OPT_REPLAY, "replay", "file", "the capplan-replay program to boot" },
	{ OPT_SLOT_SECONDS, "slot-seconds", "seconds",
	    "each slot's replay time (default: policy's)" },
	{ OPT_SLOTS, "slots", "first-last", "replay these profile slots only" },
	{ OPT_TYPE, "type", "kvm | qemu", "the domain type (default: probed)" },
	{ OPT_SWEEP_CPUS, "sweep-cpus", "counts",
	    "--sweep: these CPU counts only (default 1,2)" },
	{ 0, NULL, NULL, NULL },
};

static void
progress(void *arg, const char *what)
{
	(void)arg;
	fprintf(stderr, "capplan validate: %s\n", what);
}

/* "a,b,c" into a NULL-terminated list of pointers into s */
static char **
split_list(char *s)
{
	size_t n = 1, i;
	char **v, *p;

	for (p = s; *p != '\0'; p++)
		n += *p == ',';
	v = calloc(n + 1, sizeof(char *));
	if (v == NULL)
		abort();
	for (i = 0, p = s; i < n; i++) {
		v[i] = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
	}
	return v;
}

/* 0, or the exit status of a misuse (printed) */
static int
parse_opt(struct args *a, int ch)
{
	char *end;

	switch (ch) {
	case 'c': a->conf = optarg; break;
	case 'o': a->out = optarg; break;
	case OPT_CONNECT: a->o.uri = optarg; break;
	case OPT_HOST: a->host = optarg; break;
	case OPT_GUESTS:
		free(a->guests);
		a->guests = split_list(optarg);
		break;
	case OPT_SLOTS: a->slots = optarg; break;
	case OPT_CPUS: a->o.cpus = optarg; break;
	case OPT_SWEEP: a->sweep = true; break;
	case OPT_SWEEP_CPUS:
		if (strcmp(optarg, "1") == 0)
			a->o.sweep_cpus = 1u << 1;
		else if (strcmp(optarg, "2") == 0)
			a->o.sweep_cpus = 1u << 2;
		else if (strcmp(optarg, "1,2") == 0)
			a->o.sweep_cpus = 1u << 1 | 1u << 2;
		else
			return command_misuse(CMD, "--sweep-cpus '%s' is not 1, 2 "
			    "or 1,2", optarg);
		break;
	case OPT_KEEP: a->o.keep = true; break;
	case OPT_KERNEL: a->o.kernel = optarg; break;
	case OPT_REPLAY: a->o.replay = optarg; break;
	case OPT_TYPE:
		if (strcmp(optarg, "kvm") != 0 && strcmp(optarg, "qemu") != 0)
			return command_misuse(CMD, "--type '%s' is not kvm or "
			    "qemu", optarg);
		a->o.type = optarg;
		break;
	case OPT_SLOT_SECONDS:
		a->slot_s = strtod(optarg, &end);
		if (end == optarg || *end != '\0' || !(a->slot_s >= 1) ||
		    a->slot_s > 3600)
			return command_misuse(CMD, "--slot-seconds '%s' is not "
			    "1 to 3600 seconds", optarg);
		break;
	}
	return 0;
}

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct args *a)
{
	struct cmd_getopt g;
	int ch, rc;

	command_getopt_init(&g, CMD);
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		if (ch == CMD_DONE)
			return g.status;
		if ((rc = parse_opt(a, ch)) != 0)
			return rc;
	}
	a->operands = argv + optind;
	a->noperands = argc - optind;
	if (a->host != NULL && a->guests != NULL)
		return command_misuse(CMD, "--host and --guests exclude each "
		    "other");
	if (!a->sweep && a->noperands != 3)
		return command_misuse(CMD, "need plan.json, profiles.csv and "
		    "hosts.csv");
	if (a->sweep && (a->host != NULL || a->guests != NULL ||
	    a->slots != NULL))
		return command_misuse(CMD, "--sweep takes no --host, --guests "
		    "or --slots");
	return CMD_RUN;
}

/* "A-B" or "A" into first and last */
static int
parse_slots(const char *s, size_t *first, size_t *last)
{
	char *end;
	unsigned long a, b;

	*first = 0;
	*last = SIZE_MAX;
	if (s == NULL)
		return 0;
	a = strtoul(s, &end, 10);
	b = a;
	if (end != s && *end == '-')
		b = strtoul(end + 1, &end, 10);
	if (end == s || *end != '\0' || b < a || b > 100000)
		return command_misuse(CMD, "--slots '%s' is not A-B, the first "
		    "and last slot (from 0)", s);
	*first = a;
	*last = b;
	return 0;
}

/* the catalog must know each planned host's model, with its CPU */
static int
check_catalog(const struct plan *p, const char *path)
{
	const struct host_model *m;
	struct hostcat hc;
	size_t i;
	int ret = 0;

	if (hostcat_load(&hc, path, NULL) == -1)
		return -1;
	for (i = 0; i < p->nhosts && ret == 0; i++) {
		m = hostcat_find(&hc, p->hosts[i].model);
		if (m == NULL)
			ret = error_set(ERROR_DATA, "%s: no model '%s', which "
			    "the plan's host '%s' is", path, p->hosts[i].model,
			    p->hosts[i].name);
		else if (fabs(m->cpu_rating - p->hosts[i].capacity[RES_CPU]) >
		    1e-3 * fmax(1.0, m->cpu_rating))
			ret = error_set(ERROR_DATA, "%s: model '%s' has a "
			    "cpu_rating of %g, the plan %g: not the catalog it "
			    "was made with", path, m->model, m->cpu_rating,
			    p->hosts[i].capacity[RES_CPU]);
	}
	hostcat_release(&hc);
	return ret;
}

/* ------------------------------------------------------------ printing */

static void
print_head(const struct validation *v)
{
	printf("hypervisor   %s%s%s%s; libvirt %s, QEMU %s\n",
	    strcmp(v->hypervisor, "kvm") == 0 ? "kvm" : "qemu (TCG)",
	    *v->hypervisor_why != '\0' ? ": " : "",
	    *v->hypervisor_why != '\0' ? "KVM not used: " : "",
	    v->hypervisor_why, v->libvirt_version, v->qemu_version);
	if (v->kernel != NULL && v->kernel_boot != NULL)
		printf("kernel       %s: %s\n", v->kernel, v->kernel_boot);
	if (v->plan_host != NULL)
		printf("host         %s (%s), %.4g CU per logical CPU\n",
		    v->plan_host, v->model, v->cu_per_cpu);
	if (v->scaling != NULL)
		printf("%s %s\n", v->scaled ? "replica     " : "guests      ",
		    v->scaling);
	printf("test CPUs    %s; calibration %.0f loop iterations per ms "
	    "(guests within %.1f %%%s)\n", v->cpus, v->loops_per_ms,
	    v->calib_spread_pct, v->calib_spread_pct > 5.0 ? "; so wide a "
	    "spread means other load on the test CPUs" : "");
	if (v->share_overhead_pct > 0 || v->vm_overhead_pct > 0)
		printf("overheads    measured before the slots: the hypervisor "
		    "%.1f %% of a vCPU's work alone (cpu_vm_overhead_pct), "
		    "time-sharing %.1f %% when the vCPUs outnumber the CPUs "
		    "(cpu_share_overhead_pct)\n", v->vm_overhead_pct,
		    v->share_overhead_pct);
	printf("slots        %zu of %.0f s, the first %.0f s of each not "
	    "measured; %zu used, %zu left out (foreign load over %.0f %%)\n",
	    v->nslots, v->slot_s, v->skip_s, v->sum.slots_used,
	    v->sum.slots_left_out, v->foreign_max_pct);
}

static void
print_points(const struct validation *v)
{
	const struct validation_point *p;
	size_t g, k;

	printf("\n%-10s %-24s %7s %7s %9s %7s %10s %6s\n", "slot", "guest",
	    "demand%", "work%", "achieved%", "ready%", "predicted%", "error");
	for (k = 0; k < v->nslots; k++)
		for (g = 0; g < v->nguests; g++) {
			p = &v->points[g * v->nslots + k];
			printf("%-10.10s %-24.24s %7.1f %7.1f %9.1f %7.2f "
			    "%10.2f %6.2f%s\n", v->slots[k].label,
			    v->guests[g].name, p->demand_pct, p->work_pct,
			    p->achieved_pct, p->ready_pct, p->predicted_pct,
			    p->predicted_pct - p->ready_pct,
			    v->slots[k].used ? "" : "  (left out)");
		}
}

static void
print_slots(const struct validation *v)
{
	const struct validation_slot *s;
	size_t k;

	printf("\n%-10s %7s %9s %9s %7s %7s %7s %10s %6s\n", "slot", "demand",
	    "achieved", "foreign%", "emul%", "steal%", "ready%", "predicted%",
	    "error");
	for (k = 0; k < v->nslots; k++) {
		s = &v->slots[k];
		printf("%-10.10s %7.3f %9.3f %9.1f %7.1f %7.1f %7.2f %10.2f "
		    "%6.2f%s%s\n", s->label, s->demand_cpus, s->achieved_cpus,
		    s->foreign_pct, s->emulator_pct, s->steal_pct, s->ready_pct,
		    s->predicted_pct, s->predicted_pct - s->ready_pct,
		    s->used ? "" : "  left out: ", s->used ? "" : s->left_out);
	}
}

/* did the guests do the work they were asked to?  Said, and loudly when
 * not: the ready times measured then belong to another load */
static void
print_replay(const char *what, const struct validation_summary *s)
{
	char text[256];

	if (!validation_work_text(s, text, sizeof(text)))
		return;
	printf("%s: %s\n", *what == '\n' ? what + 1 : what, text);
	if (validation_work_strays(s))
		fprintf(stderr, "capplan validate: the replay did %.1f to "
		    "%.1f %% of the demanded work, not within %.0f %%: the "
		    "ready times measured rest on another load than the "
		    "model's\n", s->work_low_pct, s->work_high_pct,
		    VALIDATION_WORK_STRAY_PCT);
}

static void
print_summary(const char *what, const struct validation_summary *s)
{
	if (isfinite(s->plain_median_abs_pts) &&
	    (s->plain_median_abs_pts != s->median_abs_pts ||
	    s->plain_p90_abs_pts != s->p90_abs_pts))
		printf("%s: without the overheads measured, the model's error: "
		    "median %.2f points, p90 %.2f\n",
		    *what == '\n' ? what + 1 : what, s->plain_median_abs_pts,
		    s->plain_p90_abs_pts);
	printf("%s: %zu guest-slots; |predicted - measured| ready %% median "
	    "%.2f points, p90 %.2f, max %.2f, bias %+.2f; per slot median "
	    "%.2f, p90 %.2f; tolerance %.2f: %s\n", what, s->points,
	    s->median_abs_pts, s->p90_abs_pts, s->max_abs_pts, s->bias_pts,
	    s->slot_median_abs_pts, s->slot_p90_abs_pts, s->tolerance_pts,
	    s->points == 0 ? "nothing measured" : s->pass ? "pass" :
	    "FAIL (median over the tolerance)");
	print_replay(what, s);
}

static int
verdict(const struct validation_summary *s)
{
	if (s->points == 0) {
		fprintf(stderr, "capplan validate: no slot counted: every one "
		    "was left out\n");
		return EXIT_FAIL;
	}
	return s->pass ? EXIT_OK : EXIT_NO;
}

/* ----------------------------------------------------------------- run */

static int
write_out(const struct args *a, struct validation_set *set)
{
	if (a->out != NULL && validation_set_write(set, a->out) == -1)
		return command_fail(CMD);
	return 0;
}

/* --host and --guests name what the plan has */
static int
check_names(const struct plan *p, const struct args *a)
{
	size_t i;
	char **g;

	for (i = 0; a->host != NULL && i < p->nhosts; i++)
		if (strcmp(p->hosts[i].name, a->host) == 0)
			break;
	if (a->host != NULL && i == p->nhosts)
		return error_set(ERROR_DATA, "%s: no host '%s' in the plan",
		    a->operands[0], a->host);
	for (g = a->guests; g != NULL && *g != NULL; g++)
		if (plan_find_guest(p, *g) == NULL)
			return error_set(ERROR_DATA, "%s: no guest '%s' in the "
			    "plan", a->operands[0], *g);
	return 0;
}

/* the inputs, read before the hypervisor is touched */
struct inputs {
	struct plan *p;
	struct profile_set ps;
	size_t first, last;
};

static int
inputs_read(const struct args *a, struct inputs *in)
{
	int ret;

	memset(in, 0, sizeof(*in));
	if ((ret = parse_slots(a->slots, &in->first, &in->last)) != 0)
		return ret;
	if ((in->p = plan_read_json(a->operands[0])) == NULL ||
	    profile_set_read(&in->ps, a->operands[1]) == -1 ||
	    check_catalog(in->p, a->operands[2]) == -1 ||
	    check_names(in->p, a) == -1)
		return command_fail(CMD);
	return 0;
}

static void
inputs_release(struct inputs *in)
{
	plan_free(in->p);
	profile_set_release(&in->ps);
}

static int
run_host(struct args *a, struct validate_env *e, struct inputs *in)
{
	struct validation_set set = { false, NULL, 0, { 0 } };
	int ret = 0;

	set.runs = calloc(1, sizeof(*set.runs));
	if (set.runs == NULL)
		abort();
	if (validate_host(e, in->p, &in->ps, a->host, a->guests, in->first,
	    in->last, &set.runs[0]) == -1) {
		validation_release(&set.runs[0]);
		free(set.runs);
		return command_fail(CMD);
	}
	set.nruns = 1;
	set.sum = set.runs[0].sum;
	print_head(&set.runs[0]);
	print_points(&set.runs[0]);
	print_slots(&set.runs[0]);
	print_summary("\nsummary", &set.sum);
	ret = write_out(a, &set);
	if (ret == 0)
		ret = verdict(&set.sum);
	validation_set_release(&set);
	return ret;
}

static int
run_sweep(struct args *a, struct validate_env *e)
{
	struct validation_set set;
	size_t i;
	int ret = 0;

	if (validate_sweep(e, a->operands, (size_t)a->noperands, a->out,
	    &set) == -1)
		ret = command_fail(CMD);
	for (i = 0; ret == 0 && i < set.nruns; i++) {
		printf("%s== %s\n", i > 0 ? "\n" : "", set.runs[i].name);
		if (i == 0)
			print_head(&set.runs[i]);
		print_slots(&set.runs[i]);
		print_summary(set.runs[i].name, &set.runs[i].sum);
	}
	if (ret == 0) {
		print_summary("\nsweep", &set.sum);
		ret = write_out(a, &set);
		if (ret == 0)
			ret = verdict(&set.sum);
	}
	validation_set_release(&set);
	return ret;
}

int
cmd_validate(int argc, char **argv)
{
	struct args a = { NULL, NULL, NULL, NULL, NULL, false, NAN,
	    { 0 }, NULL, 0 };
	struct policy pol;
	struct validate_env *e = NULL;
	struct inputs in = { NULL, { NULL, 0, 0 }, 0, 0 };
	int ret;

	if ((ret = parse_args(argc, argv, &a)) != CMD_RUN) {
		free(a.guests);
		return ret;
	}
	if ((a.conf != NULL ? policy_load(&pol, a.conf) : (policy_init(&pol),
	    0)) == -1) {
		free(a.guests);
		return command_fail(CMD);
	}
	a.o.slot_s = isnan(a.slot_s) ? pol.validate_slot_s : a.slot_s;
	a.o.skip_s = fmin(pol.validate_skip_s, a.o.slot_s / 2.0);
	a.o.burst_ms = pol.validate_burst_ms;
	a.o.tolerance_pts = pol.validate_tolerance_pts;
	a.o.foreign_max_pct = pol.validate_foreign_max_pct;
	a.o.mem_budget_mib = pol.validate_mem_budget_mib;
	a.o.queue = pol.cpu_queue;
	a.o.progress = progress;
	policy_release(&pol);
	ret = a.sweep ? 0 : inputs_read(&a, &in);
	if (ret == 0 && (e = validate_env_open(&a.o)) == NULL)
		ret = error_last_kind() == ERROR_USAGE ?
		    command_misuse(CMD, "%s", error_last_msg()) :
		    command_fail(CMD);
	else if (ret == 0)
		ret = a.sweep ? run_sweep(&a, e) : run_host(&a, e, &in);
	validate_env_close(e);
	inputs_release(&in);
	free(a.guests);
	return ret;
}
