/*
 * test_contention.c - the contention model (model/contention.c) against
 * closed forms computed here by other routes.
 *
 *  - Erlang C by its textbook sum, against the code's Erlang-B recursion;
 *  - the M/M/c//N machine-repairman law by its product formula, and the
 *    heterogeneous law by enumerating every subset of busy vCPUs;
 *  - the ready figures of the research notes' table (algorithms.md 3.1);
 *  - Gaussian tails by erfc() from libm, covariances by a double loop;
 *  - two perfectly anti-correlated servers: peak-sum sizing overloads the
 *    host, the time-slot model does not.
 */
#include <math.h>
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include <gsl/gsl_errno.h>

#include "common/error.h"
#include "model/contention.h"

#define NS 24

static double
factorial(unsigned n)
{
	double f = 1;

	while (n > 1)
		f *= n--;
	return f;
}

/* P(wait) of M/M/c, the textbook sum */
static double
erlang_c_sum(unsigned c, double a)
{
	double rho = a / c, s = 0, top;
	unsigned n;

	for (n = 0; n < c; n++)
		s += pow(a, n) / factorial(n);
	top = pow(a, c) / factorial(c) / (1 - rho);
	return top / (s + top);
}

static void
test_erlang_c_closed_form(void **state)
{
	unsigned c;
	double a;

	(void)state;
	assert_near(queue_erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
	assert_near(queue_erlang_c(1, 0.5), 0.5, 1e-15);	/* M/M/1: rho */
	for (c = 1; c <= 12; c++)
		for (a = 0.05 * c; a < c; a += 0.17 * c)
			assert_near(queue_erlang_c(c, a), erlang_c_sum(c, a),
			    1e-12);
	assert_near(queue_erlang_c(4, 4.0), 1.0, 0);
	assert_near(queue_erlang_c(4, 0.0), 0.0, 0);
}

/* M/M/c//N: p_k ~ N!/(N-k)! r^k / k! (k <= c), / (c! c^(k-c)) beyond */
static void
repairman(unsigned n, unsigned c, double u, double *p)
{
	double r = u / (1 - u), sum = 0;
	unsigned k;

	for (k = 0; k <= n; k++) {
		p[k] = factorial(n) / factorial(n - k) * pow(r, k) /
		    (k <= c ? factorial(k) : factorial(c) * pow(c, k - c));
		sum += p[k];
	}
	for (k = 0; k <= n; k++)
		p[k] /= sum;
}

static void
test_finite_law_equals_machine_repairman(void **state)
{
	static const double us[] = { 0.05, 0.3, 0.5, 0.9 };
	double u[8], want[9], got[9];
	unsigned n, c, k, j;

	(void)state;
	for (n = 1; n <= 8; n++)
		for (c = 1; c <= 3; c++)
			for (j = 0; j < 4; j++) {
				for (k = 0; k < n; k++)
					u[k] = us[j];
				repairman(n, c, us[j], want);
				queue_finite_law(u, n, c, 0.0, got);
				for (k = 0; k <= n; k++)
					assert_near(got[k], want[k], 1e-12);
			}
}

/* heterogeneous: P(busy set S) ~ prod_{i in S} r_i x w_|S|, enumerated;
 * with a time-sharing overhead w_k gains (1 + share)^(k - c) */
static void
finite_law_enumerated(double share)
{
	static const double u[5] = { 0.1, 0.35, 0.5, 0.72, 0.9 };
	double want[6] = { 0 }, got[6], sum = 0, w;
	unsigned s, i, k, c = 2;

	for (s = 0; s < 32; s++) {
		w = 1;
		for (i = 0, k = 0; i < 5; i++)
			if (s & (1u << i)) {
				w *= u[i] / (1 - u[i]);
				k++;
			}
		if (k > c)
			w *= factorial(k) / (factorial(c) * pow(c, k - c)) *
			    pow(1 + share, k - c);
		want[k] += w;
		sum += w;
	}
	queue_finite_law(u, 5, c, share, got);
	for (k = 0; k <= 5; k++)
		assert_near(got[k], want[k] / sum, 1e-12);
}

static void
test_finite_law_heterogeneous_by_enumeration(void **state)
{
	(void)state;
	finite_law_enumerated(0.0);
	finite_law_enumerated(0.25);
}

/* sharing overhead: more waiting, the same as none at 0, nothing when
 * the sources never outnumber the threads */
static void
test_share_overhead_raises_ready(void **state)
{
	static const double u[4] = { 0.4, 0.4, 0.4, 0.4 };

	(void)state;
	assert_true(queue_ready_frac(u, 4, 1, 0.1, QUEUE_FINITE) >
	    queue_ready_frac(u, 4, 1, 0.0, QUEUE_FINITE) + 0.02);
	assert_near(queue_ready_frac(u, 4, 4, 0.5, QUEUE_FINITE), 0.0,
	    1e-15);
}

/* each source's ready fraction by enumerating the 2^5 states of the
 * product form; their mean is the finite queue's figure */
static void
test_ready_each_by_enumeration(void **state)
{
	static const double u[5] = { 0.1, 0.35, 0.5, 0.72, 0.9 };
	double want[5] = { 0 }, got[5], sum = 0, w, mean = 0;
	unsigned s, i, k, c = 2;

	(void)state;
	for (s = 0; s < 32; s++) {
		w = 1;
		for (i = 0, k = 0; i < 5; i++)
			if (s & (1u << i)) {
				w *= u[i] / (1 - u[i]);
				k++;
			}
		if (k > c)
			w *= factorial(k) / (factorial(c) * pow(c, k - c));
		sum += w;
		for (i = 0; i < 5 && k > c; i++)
			if (s & (1u << i))
				want[i] += w * (double)(k - c) / (double)k;
	}
	queue_ready_each(u, 5, c, 0.0, got);
	for (i = 0; i < 5; i++) {
		assert_near(got[i], want[i] / sum, 1e-12);
		mean += got[i] / 5;
		if (i > 0)	/* busier sources wait more */
			assert_true(got[i] > got[i - 1]);
	}
	assert_near(mean, queue_ready_frac(u, 5, c, 0.0, QUEUE_FINITE), 1e-12);
}

/* a source that is always busy, and one that never is */
static void
test_ready_each_edges(void **state)
{
	static const double u[3] = { 1.0, 0.0, 0.5 };
	double got[3];

	(void)state;
	queue_ready_each(u, 3, 1, 0.0, got);
	assert_near(got[1], 0.0, 1e-15);
	/* the other two share one CPU.  The half-busy source's bursts take
	 * twice as long beside the always-busy one, so it is in 2/3 of the
	 * time, and then each of the two waits half the time: 1/3 */
	assert_near(got[0], 1.0 / 3.0, 1e-12);
	assert_near(got[2], 1.0 / 3.0, 1e-12);
}

static double
ready_equal(unsigned n, unsigned c, double u, enum contention_queue q)
{
	double v[64];
	unsigned k;

	for (k = 0; k < n; k++)
		v[k] = u;
	return 100 * queue_ready_frac(v, n, c, 0.0, q);
}

static void
test_ready_matches_research_table(void **state)
{
	(void)state;
	/* algorithms.md 3.1: finite-source, 2 vCPU on 1 pCPU, 4 on 2 */
	assert_near(ready_equal(2, 1, 0.1, QUEUE_FINITE), 1.0, 0.05);
	assert_near(ready_equal(2, 1, 0.3, QUEUE_FINITE), 8.3, 0.05);
	assert_near(ready_equal(2, 1, 0.5, QUEUE_FINITE), 20.0, 1e-9);
	assert_near(ready_equal(2, 1, 0.7, QUEUE_FINITE), 32.9, 0.05);
	assert_near(ready_equal(2, 1, 0.99, QUEUE_FINITE), 49.5, 0.05);
	assert_near(ready_equal(4, 2, 0.1, QUEUE_FINITE), 0.1, 0.05);
	assert_near(ready_equal(4, 2, 0.3, QUEUE_FINITE), 3.8, 0.05);
	assert_near(ready_equal(4, 2, 0.5, QUEUE_FINITE), 15.0, 1e-9);
	assert_near(ready_equal(4, 2, 0.7, QUEUE_FINITE), 30.5, 0.05);
	/* no wait with as many CPUs as vCPUs */
	assert_near(ready_equal(3, 3, 0.8, QUEUE_FINITE), 0, 1e-12);
	/* Erlang C: Lq / n = C rho / (1 - rho) / n; c = 2, a = 1 */
	assert_near(ready_equal(4, 2, 0.25, QUEUE_ERLANG_C),
	    100 * (1.0 / 3) * 0.5 / 0.5 / 4, 1e-12);
	assert_near(ready_equal(4, 2, 0.5, QUEUE_ERLANG_C), 100, 0);
}

static void
test_ready_saturated_host_uses_logarithms(void **state)
{
	enum { N = 3000 };
	double *u = malloc(N * sizeof(double)), r;
	size_t k;

	(void)state;
	/* 300 CPUs of demand on one, a law whose mass sits where 0.1^3000
	 * underflows a double.  Saturated, the CPU completes mu per unit of
	 * time, and the thinking vCPUs start lambda each, so about
	 * mu / lambda = 1 / r = 9 think and the rest, less the one running,
	 * wait: ready = (N - 1 - 9) / N */
	for (k = 0; k < N; k++)
		u[k] = 0.1;
	r = queue_ready_frac(u, N, 1, 0.0, QUEUE_FINITE);
	assert_near(r, (N - 1 - 9.0) / N, 2e-4);
	/* moderate: both routes agree with the closed form */
	for (k = 0; k < 40; k++)
		u[k] = 0.45;
	assert_near(queue_ready_frac(u, 40, 16, 0.0, QUEUE_FINITE),
	    ready_equal(40, 16, 0.45, QUEUE_FINITE) / 100, 1e-12);
	free(u);
}

/* ------------------------------------------------------- the host model */

static void
host_init(struct contention_host *h, double cu, double threads, double mem)
{
	memset(h, 0, sizeof(*h));
	h->name = "h";
	h->cpu_cu = cu;
	h->threads = threads;
	h->mem_mib = mem;
	h->disk_iops = h->disk_kibps = h->net_kibps = NAN;
}

static void
guest_init(struct contention_guest *g, const char *name, double vcpus,
    double mem)
{
	memset(g, 0, sizeof(*g));
	g->name = name;
	g->vcpus = vcpus;
	g->mem_mib = mem;
}

static void
test_anti_correlated_servers_fit_where_peaks_do_not(void **state)
{
	double a[NS], b[NS], cap = 12, sum_peaks;
	struct contention_host h;
	struct contention_guest g[2];
	struct contention_options o;
	struct contention c;
	size_t t;

	(void)state;
	for (t = 0; t < NS; t++) {	/* day and night shifts, 10 CU each */
		a[t] = t < 12 ? 10 : 0;
		b[t] = t < 12 ? 0 : 10;
	}
	host_init(&h, cap, 24, 65536);
	guest_init(&g[0], "day", 20, 4096);
	guest_init(&g[1], "night", 20, 4096);
	g[0].demand[RES_CPU] = a;
	g[1].demand[RES_CPU] = b;
	contention_options_init(&o);
	assert_int_equal(contention_eval(&h, g, 2, NS, &o, &c), 0);
	/* peak-sum sizing: 10 + 10 = 20 CU > 12: it predicts overload */
	sum_peaks = 10 + 10;
	assert_true(sum_peaks > cap);
	assert_near(c.res[RES_CPU].sum_peaks, sum_peaks, 0);
	/* the time-slot model: 10 CU in every slot, never over 12 */
	assert_near(c.res[RES_CPU].peak, 10, 0);
	assert_near(c.res[RES_CPU].p_over_emp, 0, 0);
	assert_near(c.res[RES_CPU].p_over_gauss, 0, 0);
	assert_near(c.res[RES_CPU].sd, 0, 1e-12);
	assert_near(c.res[RES_CPU].gain, 2, 0);
	/* and the same two sized by their peaks side by side would not */
	a[0] = 10;
	b[0] = 10;
	contention_release(&c);
	assert_int_equal(contention_eval(&h, g, 2, NS, &o, &c), 0);
	assert_near(c.res[RES_CPU].p_over_emp, 1.0 / NS, 1e-15);
	contention_release(&c);
}

static void
test_gaussian_uses_measured_covariance(void **state)
{
	double a[NS], b[NS], s[NS], cov = 0, ma = 0, mb = 0, z95, x;
	struct contention_host h;
	struct contention_guest g[2];
	struct contention_options o;
	struct contention c;
	size_t t, i, j;
	const double *v[2] = { a, b };
	double m[2];

	(void)state;
	for (t = 0; t < NS; t++) {	/* positively correlated */
		a[t] = 5 + 3 * sin(t * 0.5);
		b[t] = 2 + 2 * sin(t * 0.5 + 0.3) + (t % 3);
		s[t] = a[t] + b[t];
		ma += a[t] / NS;
		mb += b[t] / NS;
	}
	m[0] = ma;
	m[1] = mb;
	for (i = 0; i < 2; i++)	/* sum of all covariances, n - 1 */
		for (j = 0; j < 2; j++)
			for (t = 0; t < NS; t++)
				cov += (v[i][t] - m[i]) * (v[j][t] - m[j]) /
				    (NS - 1);
	host_init(&h, 12, 8, 65536);
	guest_init(&g[0], "a", 4, 1024);
	guest_init(&g[1], "b", 4, 1024);
	g[0].demand[RES_CPU] = a;
	g[1].demand[RES_CPU] = b;
	contention_options_init(&o);
	o.headroom[RES_CPU] = 0.25;	/* limit 9 CU */
	o.percentile = 95;
	assert_int_equal(contention_eval(&h, g, 2, NS, &o, &c), 0);
	assert_near(c.res[RES_CPU].mean, ma + mb, 1e-12);
	assert_near(c.res[RES_CPU].sd, sqrt(cov), 1e-12);
	z95 = 1.6448536269514722;	/* Phi^-1(0.95) */
	assert_near(c.res[RES_CPU].gauss_demand, ma + mb + z95 * sqrt(cov),
	    1e-9);
	x = (9 - (ma + mb)) / sqrt(cov);
	assert_near(c.res[RES_CPU].p_over_gauss, 0.5 * erfc(x / sqrt(2)),
	    1e-12);
	for (t = 0, x = 0; t < NS; t++)
		x += s[t] > 9;
	assert_near(c.res[RES_CPU].p_over_emp, x / NS, 1e-15);
	assert_near(c.res[RES_CPU].limit, 9, 0);
	contention_release(&c);
}

static void
test_memory_overcommit_and_swap_risk(void **state)
{
	double m1[NS], m2[NS];
	struct contention_host h;
	struct contention_guest g[3];
	struct contention_options o;
	struct contention c;
	size_t t;

	(void)state;
	for (t = 0; t < NS; t++) {
		m1[t] = t < 6 ? 9000 : 5000;
		m2[t] = 4000;
	}
	m2[3] = NAN;		/* counts as its peak, 4000 */
	host_init(&h, 50, 16, 16384);
	guest_init(&g[0], "big", 4, 12288);
	guest_init(&g[1], "mid", 2, 8192);
	guest_init(&g[2], "unmeasured", 1, 2048);
	g[0].demand[RES_MEM] = m1;
	g[1].demand[RES_MEM] = m2;
	contention_options_init(&o);
	assert_int_equal(contention_eval(&h, g, 3, NS, &o, &c), 0);
	assert_near(c.mem_committed_mib, 12288 + 8192 + 2048, 0);
	assert_near(c.mem_overcommit, 22528.0 / 16384, 1e-15);
	/* active: 9000 + 4000 + 2048 for 6 slots, 5000 + 4000 + 2048 after */
	assert_near(c.mem_active_peak_mib, 15048, 0);
	assert_near(c.mem_active_mib, (6 * 15048 + 18 * 11048) / 24.0, 1e-9);
	assert_near(c.p_swap_emp, 0, 0);
	assert_int_equal(c.res[RES_MEM].unmeasured, 1);
	contention_release(&c);
	/* 10 % page sharing of 22528 MiB configured lowers every slot */
	o.mem_dedupe = 0.1;
	o.mem_overhead_mib = 100;
	h.mem_mib = 13000;
	assert_int_equal(contention_eval(&h, g, 3, NS, &o, &c), 0);
	assert_near(c.mem_active_peak_mib, 15048 - 2252.8 + 300, 1e-9);
	assert_near(c.p_swap_emp, 6.0 / NS, 1e-15);
	assert_true(c.p_swap_gauss > 0 && c.p_swap_gauss < 1);
	contention_release(&c);
}

static void
test_disk_and_network_latency(void **state)
{
	double io[NS], net[NS];
	struct contention_host h;
	struct contention_guest g;
	struct contention_options o;
	struct contention c;
	size_t t;

	(void)state;
	for (t = 0; t < NS; t++) {
		io[t] = t == 0 ? 700 : 500;
		net[t] = 100;
	}
	host_init(&h, 10, 4, 8192);
	h.disk_iops = 1000;
	guest_init(&g, "io", 1, 1024);
	g.demand[RES_DISK_IOPS] = io;
	g.demand[RES_NET_KIBPS] = net;
	contention_options_init(&o);
	o.headroom[RES_DISK_IOPS] = 0.3;
	assert_int_equal(contention_eval(&h, &g, 1, NS, &o, &c), 0);
	assert_near(c.res[RES_DISK_IOPS].util_peak, 0.7, 1e-15);
	assert_near(c.res[RES_DISK_IOPS].latency_peak, 1 / 0.3, 1e-12);
	assert_near(c.res[RES_DISK_IOPS].p_over_emp, 0, 0);	/* 700 = limit */
	assert_false(c.res[RES_NET_KIBPS].constrained);
	assert_true(isnan(c.res[RES_NET_KIBPS].p_over_emp));
	assert_near(c.res[RES_NET_KIBPS].peak, 100, 0);
	assert_int_equal(c.res[RES_CPU].unmeasured, 1);
	assert_near(c.ready_pct, 0, 0);
	contention_release(&c);
}

static void
test_cpu_ready_per_slot(void **state)
{
	double d1[NS], d2[NS];
	struct contention_host h;
	struct contention_guest g[2];
	struct contention_options o;
	struct contention c;
	size_t t;

	(void)state;
	for (t = 0; t < NS; t++) {
		d1[t] = t < 12 ? 0.5 : 0.1;	/* one vCPU each on one CPU */
		d2[t] = t < 12 ? 0.5 : 0.1;
	}
	host_init(&h, 1, 1, 4096);	/* 1 CU per thread: u = demand */
	guest_init(&g[0], "a", 1, 512);
	guest_init(&g[1], "b", 1, 512);
	g[0].demand[RES_CPU] = d1;
	g[1].demand[RES_CPU] = d2;
	contention_options_init(&o);
	assert_int_equal(contention_eval(&h, g, 2, NS, &o, &c), 0);
	assert_near(c.ready_slot[0], 20, 1e-9);
	assert_near(c.ready_slot[23], ready_equal(2, 1, 0.1, QUEUE_FINITE),
	    1e-12);
	assert_near(c.ready_pct, (20 + c.ready_slot[23]) / 2, 1e-9);
	assert_near(c.ready_pct_max, 20, 1e-9);
	assert_near(c.vcpu_per_thread, 2, 0);
	contention_release(&c);
}

static void
test_bad_input_is_refused(void **state)
{
	double neg[NS] = { -1 };
	struct contention_host h;
	struct contention_guest g;
	struct contention_options o;
	struct contention c;

	(void)state;
	contention_options_init(&o);
	host_init(&h, 10, 0, 1024);
	guest_init(&g, "g", 1, 512);
	assert_int_equal(contention_eval(&h, &g, 1, NS, &o, &c), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	host_init(&h, 10, 4, 1024);
	g.demand[RES_CPU] = neg;
	assert_int_equal(contention_eval(&h, &g, 1, NS, &o, &c), -1);
	assert_non_null(strstr(error_last_msg(), "negative cpu_cu"));
	g.demand[RES_CPU] = NULL;
	g.vcpus = 0;
	assert_int_equal(contention_eval(&h, &g, 1, NS, &o, &c), -1);
	/* no guests: an empty host */
	assert_int_equal(contention_eval(&h, NULL, 0, NS, &o, &c), 0);
	assert_near(c.res[RES_CPU].peak, 0, 0);
	assert_true(isnan(c.res[RES_CPU].gain));
	contention_release(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erlang_c_closed_form),
		cmocka_unit_test(test_finite_law_equals_machine_repairman),
		cmocka_unit_test(test_finite_law_heterogeneous_by_enumeration),
		cmocka_unit_test(test_share_overhead_raises_ready),
		cmocka_unit_test(test_ready_each_by_enumeration),
		cmocka_unit_test(test_ready_each_edges),
		cmocka_unit_test(test_ready_matches_research_table),
		cmocka_unit_test(test_ready_saturated_host_uses_logarithms),
		cmocka_unit_test(test_anti_correlated_servers_fit_where_peaks_do_not),
		cmocka_unit_test(test_gaussian_uses_measured_covariance),
		cmocka_unit_test(test_memory_overcommit_and_swap_risk),
		cmocka_unit_test(test_disk_and_network_latency),
		cmocka_unit_test(test_cpu_ready_per_slot),
		cmocka_unit_test(test_bad_input_is_refused),
	};

	gsl_set_error_handler_off();
	return cmocka_run_group_tests_name("contention", tests, NULL, NULL);
}
