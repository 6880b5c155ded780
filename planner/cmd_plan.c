/*
 * cmd_plan.c - capplan plan: profiles, host catalog, policy -> a plan.
 *
 * Reads the profiles (capplan profile's output), the host catalog, the
 * policy and optionally the inventory (for keep_tags) and, for the
 * series resolution, the samples; planner_run() does the rest.  Writes
 * plan.json (-o, standard output by default) and placement.csv (-p), and,
 * when plan.json goes to a file, a short summary on standard output.
 * Unmet constraints are printed one per line with exit 3.  A progress bar
 * appears on standard error after a second, when it is a terminal.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/policy.h"
#include "model/profile.h"
#include "planner/planner.h"

struct args {
	const char *conf, *inventory, *model, *out, *placement, *packer;
	const char *existing;
	int resolution;		/* -1: the policy's */
	bool no_search, exact;
	double time_limit_s;
	double effort;		/* 0: the planner's default */
	long threads;
	char **operands;
	int noperands;
};

enum { OPT_EXACT = CMD_LONG_ONLY, OPT_PACKER, OPT_EFFORT };

const struct cmd_option cmd_plan_options[] = {
	{ 'n', NULL, NULL, "no local search: the best heuristic's plan" },
	{ OPT_EXACT, "exact", NULL, "GLPK: the LP bound, and the optimum if it can" },
	{ 'c', NULL, "capplan.conf", "the policy (default: built-in defaults)" },
	{ 'e', NULL, "existing.csv", "the hosts there are, to plan onto first" },
	{ 'i', NULL, "inventory.csv", "the inventory, for the policy's keep_tags" },
	{ 'j', NULL, "workers", "threads for the heuristics (default 0: all)" },
	{ 'm', NULL, "model", "use only this model of the catalog" },
	{ 'o', NULL, "plan.json", "write the plan here (default -: stdout)" },
	{ 'p', NULL, "placement.csv", "also write the placement, a row a server" },
	{ 'r', NULL, "hour | week | series | peak",
	    "the time slots, instead of the policy's" },
	{ 't', "time-limit", "seconds", "stop the search and GLPK (default 60)" },
	{ OPT_EFFORT, "effort", "dimensions",
	    "search budget: dimensions tested (default 5e9)" },
	{ OPT_PACKER, "packer", "name", "one heuristic, not all (a wrong name lists them)" },
	{ 0, NULL, NULL, NULL },
};

/* 0, or the exit status of a misuse (printed) */
static int
parse_value(int ch, const char *arg, struct args *a)
{
	char *end;
	int r;

	switch (ch) {
	case 'j':
		a->threads = strtol(arg, &end, 10);
		if (*end != '\0' || a->threads < 0 || a->threads > 1024)
			return command_misuse("plan", "-j '%s' is not a count "
			    "from 0 to 1024", arg);
		break;
	case 'r':
		for (r = 0; resolution_names[r] != NULL; r++)
			if (strcmp(arg, resolution_names[r]) == 0)
				break;
		if (resolution_names[r] == NULL)
			return command_misuse("plan", "-r '%s' is not hour, "
			    "week, series or peak", arg);
		a->resolution = r;
		break;
	case 't':
		a->time_limit_s = strtod(arg, &end);
		if (*end != '\0' || !(a->time_limit_s > 0) ||
		    a->time_limit_s > 1e6)
			return command_misuse("plan", "--time-limit '%s' is not "
			    "a number of seconds from 0 to 1e6", arg);
		break;
	case OPT_EFFORT:
		a->effort = strtod(arg, &end);
		if (*end != '\0' || !(a->effort >= 1e3) || a->effort > 1e15)
			return command_misuse("plan", "--effort '%s' is not a "
			    "number of dimensions from 1e3 to 1e15", arg);
		break;
	}
	return 0;
}

static int
packers_misuse(const char *name)
{
	size_t i;

	fprintf(stderr, "capplan plan: unknown packer '%s'; the packers are:\n",
	    name);
	for (i = 0; i < npackers; i++)
		fprintf(stderr, "  %-16s %s\n", packers[i].name, packers[i].what);
	return EXIT_USAGE;
}

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct args *a)
{
	struct cmd_getopt g;
	int ch, rc;

	command_getopt_init(&g, "plan");
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 'e': a->existing = optarg; break;
		case 'i': a->inventory = optarg; break;
		case 'm': a->model = optarg; break;
		case 'n': a->no_search = true; break;
		case 'o': a->out = optarg; break;
		case 'p': a->placement = optarg; break;
		case OPT_EXACT: a->exact = true; break;
		case OPT_PACKER: a->packer = optarg; break;
		case CMD_DONE: return g.status;
		default:
			if ((rc = parse_value(ch, optarg, a)) != 0)
				return rc;
		}
	}
	a->operands = argv + optind;
	a->noperands = argc - optind;
	if (a->noperands < 2)
		return command_misuse("plan", "need profiles.csv and hosts.csv");
	if (a->packer != NULL && packer_find(a->packer) == NULL)
		return packers_misuse(a->packer);
	return CMD_RUN;
}

/* ------------------------------------------------------- progress */

struct bar {
	double t0;
	bool tty, shown;
};

static void
bar_update(void *ctx, double frac)
{
	struct bar *b = ctx;
	int i, n;

	if (!b->tty || mono_now_s() - b->t0 < 1.0)
		return;
	if (frac > 1)
		frac = 1;
	n = (int)(frac * 40);
	fputs("\rcapplan plan: [", stderr);
	for (i = 0; i < 40; i++)
		fputc(i < n ? '#' : ' ', stderr);
	fprintf(stderr, "] %3.0f %%", 100 * frac);
	fflush(stderr);
	b->shown = true;
}

static void
bar_done(struct bar *b)
{
	if (b->shown)
		fprintf(stderr, "\r%60s\r", "");
}

/* ------------------------------------------------------- summary */

/* the hosts there are, by name: "2 existing: kvm1, kvm2; " */
static void
print_existing(const struct plan *p)
{
	size_t i, n = plan_count_existing(p), k = 0;

	if (n == 0)
		return;
	printf("%zu existing: ", n);
	for (i = 0; i < p->nhosts; i++)
		if (p->hosts[i].existing && k++ < 5)
			printf("%s%s", k > 1 ? ", " : "", p->hosts[i].name);
	printf("%s; ", n > 5 ? ", ..." : "");
}

/* the new hosts by model: "2 x R640, 1 x R740" */
static void
print_models(const struct plan *p)
{
	size_t i, j, n, shown = 0;
	bool seen;

	print_existing(p);
	for (i = 0; i < p->nhosts; i++) {
		if (p->hosts[i].spare || p->hosts[i].existing)
			continue;
		for (seen = false, j = 0; j < i && !seen; j++)
			seen = !p->hosts[j].spare && !p->hosts[j].existing &&
			    strcmp(p->hosts[j].model, p->hosts[i].model) == 0;
		if (seen)
			continue;
		for (n = 0, j = i; j < p->nhosts; j++)
			n += !p->hosts[j].spare && !p->hosts[j].existing &&
			    strcmp(p->hosts[j].model, p->hosts[i].model) == 0;
		printf("%s%zu x %s", shown++ == 0 ? "" : ", ", n,
		    p->hosts[i].model);
	}
	if (plan_count_existing(p) > 0)
		printf("%snew", shown > 0 ? " " : "none ");
}

/* "moves        2: vm1 kvm1 -> kvm2, vm3 kvm2 -> host-001" */
static void
print_moves(const struct plan *p)
{
	const struct plan_guest *g;
	size_t i, n = plan_count_moves(p), k = 0;

	if (plan_count_existing(p) == 0)
		return;
	printf("moves        %zu%s", n, n > 0 ? ":" : " (the existing hosts' "
	    "guests stay where they are)");
	for (i = 0; i < p->nguests; i++) {
		g = &p->guests[i];
		if ((g->flags & PLAN_GUEST_MOVED) && k++ < 5)
			printf("%s %s %s -> %s", k > 1 ? "," : "", g->name,
			    g->current_host, plan_guest_host(p, g)->name);
	}
	printf("%s\n", n > 5 ? ", ..." : "");
}

/* active hosts of zone z (NULL: of no zone) */
static size_t
zone_hosts(const struct plan *p, const char *z)
{
	size_t i, n = 0;

	for (i = 0; i < p->nhosts; i++)
		n += !p->hosts[i].spare && (z == NULL ? p->hosts[i].zone == NULL :
		    p->hosts[i].zone != NULL && strcmp(p->hosts[i].zone, z) == 0);
	return n;
}

/* "zones        dmz 1 host, pci 2 hosts, (none) 3 hosts": the zones in
 * name order, then the hosts of no zone */
static void
print_zones(const struct plan *p)
{
	const char *last = NULL, *next;
	size_t i, n;

	for (;;) {
		for (next = NULL, i = 0; i < p->nhosts; i++)
			if (p->hosts[i].zone != NULL && (last == NULL ||
			    strcmp(p->hosts[i].zone, last) > 0) && (next == NULL ||
			    strcmp(p->hosts[i].zone, next) < 0))
				next = p->hosts[i].zone;
		if (next == NULL)
			break;
		n = zone_hosts(p, next);
		printf("%s %s %zu host%s", last == NULL ? "zones       " : ",",
		    next, n, n == 1 ? "" : "s");
		last = next;
	}
	if (last == NULL)
		return;
	if ((n = zone_hosts(p, NULL)) > 0)
		printf(", (none) %zu host%s", n, n == 1 ? "" : "s");
	printf("\n");
}

/* "N+2 and a domain failure", "" when neither */
static void
ha_text(const struct plan *p, char *buf, size_t len)
{
	int n = 0;

	buf[0] = '\0';
	if (p->host_failures > 0)
		n = snprintf(buf, len, "N+%ld", p->host_failures);
	if (p->domain_failures > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%sa domain failure",
		    n > 0 ? " and " : "");
}

/* "domains      rack-a 2 hosts, rack-b 2 hosts", spares included */
static void
print_domains(const struct plan *p)
{
	size_t d, i, n;

	for (d = 0; d < p->ndomains; d++) {
		for (n = 0, i = 0; i < p->nhosts; i++)
			n += p->hosts[i].domain != NULL &&
			    strcmp(p->hosts[i].domain, p->domains[d]) == 0;
		printf("%s %s %zu host%s", d == 0 ? "domains     " : ",",
		    p->domains[d], n, n == 1 ? "" : "s");
	}
	if (p->ndomains > 0)
		printf("\n");
}

/* "balance      highest host peak 98 % of its limit, 61 % after; ..." */
static void
print_balance(const struct plan_balance *b, size_t active)
{
	if (b->objective == NULL || strcmp(b->objective, "none") == 0 ||
	    !isfinite(b->peak_pct) || active < 2)
		return;
	if (b->moves == 0) {
		printf("balance      nothing moved: highest host peak %.0f %% of "
		    "its limit, spread %.0f points\n", b->peak_pct,
		    b->spread_pct);
		return;
	}
	printf("balance      highest host peak %.0f %% of its limit, %.0f %% "
	    "after; spread %.0f points, %.0f after (%zu guest%s moved)\n",
	    b->peak_before_pct, b->peak_pct, b->spread_before_pct,
	    b->spread_pct, b->moves, b->moves == 1 ? "" : "s");
}

/* "storage      1944 GiB (allocated sizes) on 3 hosts with storage; the
 * fullest at 89 % of its limit (10 % headroom)" */
static void
print_storage(const struct plan *p)
{
	double sum = 0, top = 0;
	size_t i, n = 0;

	if (p->storage_size == NULL)
		return;
	for (i = 0; i < p->nguests; i++)
		sum += p->guests[i].storage_gib;
	for (i = 0; i < p->nhosts; i++) {
		if (p->hosts[i].spare || !(p->hosts[i].storage_limit_gib > 0))
			continue;
		n++;
		top = fmax(top, p->hosts[i].storage_committed_gib /
		    p->hosts[i].storage_limit_gib);
	}
	printf("storage      %.0f GiB (%s sizes) on %zu host%s with storage; "
	    "the fullest at %.0f %% of its limit (%.0f %% headroom)\n", sum,
	    p->storage_size, n, n == 1 ? "" : "s", 100 * top,
	    100 * p->storage_headroom);
}

static void
print_summary(const struct plan *p)
{
	const struct plan_bounds *b = &p->bounds;
	char slot[48] = "", what[64];
	size_t i;

	printf("servers      %zu: %zu virtualized, %zu kept physical, %zu "
	    "retired\n", p->nguests + p->nservers, p->nguests,
	    plan_count(p, DECISION_KEEP), plan_count(p, DECISION_RETIRE));
	printf("hosts        %zu (", p->nhosts - p->spare_hosts);
	print_models(p);
	ha_text(p, what, sizeof(what));
	if (p->spare_hosts > 0)
		printf(") + %zu spare%s for %s\n", p->spare_hosts,
		    p->spare_hosts == 1 ? "" : "s", what);
	else if (what[0] != '\0')
		printf("), %s without a spare\n", what);
	else
		printf(")\n");
	print_moves(p);
	if (plan_count_added(p) > 0)
		printf("added        %zu planned server%s ([add] in the policy),"
		    " each like an existing one\n", plan_count_added(p),
		    plan_count_added(p) == 1 ? "" : "s");
	print_zones(p);
	print_domains(p);
	if (p->peak_hosts > 0)
		printf("peak-based   %zu hosts with every guest at its peak\n",
		    p->peak_hosts);
	print_balance(&p->balance, p->nhosts - p->spare_hosts);
	print_storage(p);
	for (i = 0; i < p->ngrowth; i++)
		printf("growth       %s\n", p->growth[i]);
	if (p->nhosts == 0)
		return;
	if (b->continuous_resource >= 0 && p->nslots > 1) {
		strcpy(slot, " at ");
		plan_slot_label(p, b->continuous_slot, slot + 4,
		    sizeof(slot) - 4);
	}
	if (isfinite(b->existing))
		printf("lower bound  %.0f (%.0f existing, %.0f new at least for "
		    "what they cannot hold", b->lower, b->existing, b->beyond);
	else
		printf("lower bound  %.0f (continuous %.0f%s%s%s, L2 %.0f, "
		    "clique %.0f", b->lower, b->continuous,
		    b->continuous_resource >= 0 ? ": " : "",
		    b->continuous_resource >= 0 ?
		    resource_table[b->continuous_resource].name : "", slot,
		    b->l2_max, b->clique);
	if (b->dff > b->continuous && b->dff > b->l2_max)
		printf(", DFF %.0f", b->dff);
	if (isfinite(b->zones))
		printf(", zones %.0f", b->zones);
	if (!isfinite(b->existing) && b->other > b->continuous &&
	    b->other > b->l2_max)
		printf(", static %.0f", b->other);
	if (isfinite(b->lp))
		printf(", LP %.0f", b->lp);
	printf("); gap %.1f %%%s\n", b->gap_pct, isfinite(b->optimum) ?
	    ", proved optimal" : "");
	printf("cost         %.2f %s a year for the hosts\n", p->cost_per_year,
	    p->currency);
	printf("found by     %s, local search %s%s%s\n", p->packer, p->search,
	    p->exact != NULL ? ", --exact " : "", p->exact != NULL ? p->exact :
	    "");
}

/* ------------------------------------------------------- run */

struct inputs {
	struct policy pol;
	struct profile_set ps;
	struct hostcat hc;
	struct inventory inv;
	bool have_inv;
	struct existing ex;
	bool have_ex;
};

/* every existing host's model is in the catalog */
static int
check_existing(const struct existing *ex, const struct hostcat *hc,
    const char *path)
{
	size_t i;

	for (i = 0; i < ex->nhosts; i++)
		if (hostcat_find(hc, ex->hosts[i].model) == NULL)
			return error_set(ERROR_DATA, "%s: existing host '%s' is "
			    "a '%s', which the host catalog does not list",
			    path, ex->hosts[i].host, ex->hosts[i].model);
	return 0;
}

static int
load_inputs(const struct args *a, struct inputs *in)
{
	memset(in, 0, sizeof(*in));
	if (a->conf != NULL ? policy_load(&in->pol, a->conf) :
	    (policy_init(&in->pol), 0))
		return -1;
	if (profile_set_read(&in->ps, a->operands[0]) == -1 ||
	    hostcat_load(&in->hc, a->operands[1], NULL) == -1)
		return -1;
	if (in->hc.nmodels == 0)
		return error_set(ERROR_DATA, "%s: the host catalog has no "
		    "model", a->operands[1]);
	if (a->model != NULL && hostcat_find(&in->hc, a->model) == NULL)
		return error_set(ERROR_DATA, "-m '%s': no such model in %s",
		    a->model, a->operands[1]);
	if (a->inventory != NULL) {
		if (inventory_load(&in->inv, a->inventory, NULL) == -1)
			return -1;
		in->have_inv = true;
	}
	if (a->existing != NULL) {
		if (existing_load(&in->ex, a->existing, NULL) == -1)
			return -1;
		in->have_ex = true;
		if (check_existing(&in->ex, &in->hc, a->existing) == -1)
			return -1;
	}
	return 0;
}

static void
release_inputs(struct inputs *in)
{
	policy_release(&in->pol);
	profile_set_release(&in->ps);
	hostcat_release(&in->hc);
	if (in->have_inv)
		inventory_release(&in->inv);
	if (in->have_ex)
		existing_release(&in->ex);
}

static int
write_outputs(const struct args *a, const struct plan *p)
{
	if (plan_write_json(p, a->out) == -1)
		return -1;
	if (a->placement != NULL && plan_write_placement(p, a->placement) == -1)
		return -1;
	return 0;
}

static int
report(const struct args *a, struct planner_result *res, int rc)
{
	size_t i;

	for (i = 0; i < res->nwarnings; i++)
		command_warn("plan", "%s", res->warnings[i]);
	if (rc == 1) {
		printf("no plan meets the constraints:\n");
		for (i = 0; i < res->ninfeasible; i++)
			printf("  %s\n", res->infeasible[i]);
		return EXIT_NO;
	}
	if (write_outputs(a, res->plan) == -1)
		return command_fail("plan");
	if (strcmp(a->out, "-") != 0)
		print_summary(res->plan);
	return EXIT_OK;
}

int
cmd_plan(int argc, char **argv)
{
	struct args a = { .out = "-", .resolution = -1, .time_limit_s = 60 };
	struct planner_input pin;
	struct planner_result res;
	struct inputs in;
	struct bar bar = { mono_now_s(), isatty(STDERR_FILENO) == 1, false };
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != CMD_RUN)
		return rc;
	if (load_inputs(&a, &in) == -1) {
		release_inputs(&in);
		return command_fail("plan");
	}
	memset(&pin, 0, sizeof(pin));
	pin.ps = &in.ps;
	pin.inv = in.have_inv ? &in.inv : NULL;
	pin.ex = in.have_ex ? &in.ex : NULL;
	pin.hc = &in.hc;
	pin.pol = &in.pol;
	pin.resolution = a.resolution >= 0 ? a.resolution : in.pol.resolution;
	pin.samples = a.operands + 2;
	pin.nsamples = (size_t)a.noperands - 2;
	pin.model = a.model;
	pin.packer = a.packer;
	pin.search = !a.no_search;
	pin.time_limit_s = a.time_limit_s;
	pin.effort = (uint64_t)a.effort;
	pin.exact = a.exact;
	pin.diagnose = true;
	pin.threads = (unsigned)a.threads;
	pin.progress = (struct pack_progress){ bar_update, &bar };
	if (pin.resolution != RESOLUTION_SERIES && pin.nsamples > 0 &&
	    !(in.pol.target_overload_pct > 0))
		command_warn("plan", "samples files are read only with "
		    "resolution series; %zu ignored", pin.nsamples);
	rc = planner_run(&pin, &res);
	bar_done(&bar);
	if (rc == -1)
		rc = command_fail("plan");
	else
		rc = report(&a, &res, rc);
	planner_result_release(&res);
	release_inputs(&in);
	return rc;
}
