/*
 * gen-plan.c - write a large synthetic plan.json for the report benchmark.
 *
 * usage: gen-plan GUESTS SLOTS > plan.json
 *
 * GUESTS guests named srv0000, srv0001, ... (the names bench/gen-samples
 * gives its hosts), 20 to a host of the shipped R640 model (57.599 CU,
 * 384 GiB), plus one N+1 spare; SLOTS slots of an hour (24: "hour", 168:
 * "week", else "series" from 2026-01-05), CPU a daily cycle with a phase
 * per guest from a fixed-seed generator, so the same arguments always
 * give the same bytes.  Written by planner/'s own plan_write_json().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "planner/plan.h"

#define PER_HOST 20
#define MODEL "Dell PowerEdge R640 (2x Intel Xeon Platinum 8180)"

static unsigned long long rng = 88172645463325252ULL;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void
settings(struct plan *p, size_t slots)
{
	p->resolution = xstrdup(slots == 24 ? "hour" : slots == 168 ?
	    "week" : "series");
	p->nslots = slots;
	p->slot_s = 3600;
	p->start_ms = slots == 24 || slots == 168 ? 0 : 1767571200000LL;
	p->percentile = 95;
	p->headroom[RES_CPU] = 0.2;
	p->headroom[RES_MEM] = 0.1;
	p->planned[RES_CPU] = p->planned[RES_MEM] = true;
	p->currency = xstrdup("EUR");
	p->packer = xstrdup("gen-plan");
	p->bounds.lower = 1;
	p->bounds.gap_pct = 0;
}

static struct plan_host *
host_new(struct plan *p, size_t slots)
{
	char name[32];
	struct plan_host *h;

	snprintf(name, sizeof(name), "host-%04zu", p->nhosts + 1);
	h = plan_add_host(p, name, MODEL);
	h->sockets = 2;
	h->cores = 56;
	h->threads = 112;
	h->capacity[RES_CPU] = 57.599;
	h->capacity[RES_MEM] = 393216;
	h->profile[RES_CPU] = xcalloc(slots, sizeof(double));
	h->profile[RES_MEM] = xcalloc(slots, sizeof(double));
	h->guests = xcalloc(PER_HOST, sizeof(size_t));
	h->contention.cpu_ready_pct = uniform();
	h->contention.cpu_ready_max_pct = 3 * uniform();
	h->contention.overload_gauss_pct = uniform();
	h->contention.swap_risk_pct = 0;
	return h;
}

static void
guest_new(struct plan *p, size_t slots)
{
	double phase = 24 * uniform(), base = 0.2 + 1.5 * uniform(), x;
	struct plan_guest *g;
	struct plan_host *h;
	char name[32];
	size_t t;

	snprintf(name, sizeof(name), "srv%04zu", p->nguests);
	g = plan_add_guest(p, name);
	g->host = p->nhosts - 1;
	g->vcpus = 1 << (int)(4 * uniform());
	g->mem_mib = 1024.0 * (1 << (int)(5 * uniform()));
	g->confidence = 0.5 + 0.5 * uniform();
	g->why = xstrdup("gen-plan");
	g->profile[RES_CPU] = xcalloc(slots, sizeof(double));
	g->profile[RES_MEM] = xcalloc(slots, sizeof(double));
	h = &p->hosts[g->host];
	h->guests[h->nguests++] = p->nguests - 1;
	h->vcpus += g->vcpus;
	h->mem_committed_mib += g->mem_mib;
	g->peak[RES_CPU] = 0;
	for (t = 0; t < slots; t++) {
		x = base * (1 + 0.8 * sin(6.283185307179586 * ((double)t -
		    phase) / 24.0));
		g->profile[RES_CPU][t] = x;
		g->profile[RES_MEM][t] = g->mem_mib;
		h->profile[RES_CPU][t] += x;
		h->profile[RES_MEM][t] += g->mem_mib;
		if (x > g->peak[RES_CPU])
			g->peak[RES_CPU] = x;
	}
}

int
main(int argc, char **argv)
{
	struct plan *p;
	size_t guests, slots, i;

	if (argc != 3) {
		fprintf(stderr, "usage: gen-plan GUESTS SLOTS > plan.json\n");
		return 2;
	}
	guests = (size_t)atol(argv[1]);
	slots = (size_t)atol(argv[2]);
	if (guests == 0 || slots == 0) {
		fprintf(stderr, "gen-plan: GUESTS and SLOTS must be above 0\n");
		return 2;
	}
	p = plan_new();
	settings(p, slots);
	for (i = 0; i < guests; i++) {
		if (i % PER_HOST == 0)
			host_new(p, slots);
		guest_new(p, slots);
	}
	host_new(p, slots)->spare = true;
	p->spare_hosts = 1;
	if (plan_write_json(p, "-") == -1) {
		fprintf(stderr, "gen-plan: cannot write the plan\n");
		plan_free(p);
		return 1;
	}
	plan_free(p);
	return 0;
}
