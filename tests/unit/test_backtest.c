/*
 * test_backtest.c - planner/backtest.c: the plan made before the split,
 * the samples after it re-summed per host and slot by hand.
 *
 * Two servers of 10 CU each, a and b, at 20 % CPU for a day: 4 CU
 * together, one host of 10 CU whose limit (20 % headroom) is 8 CU takes
 * both.  After the split, ten 300 s slots: in two both rise to 9 CU
 * together (over the limit, not the capacity), in one to 11 CU (over
 * both); in one a uses 1,500 MiB, above the 1,280 it was given (its peak
 * of 1,000 MiB plus 10 %, in 256 MiB steps).  A third server, c, appears
 * only after the split and is not placed.
 */
#include <math.h>
#include <stdint.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/num.h"
#include "common/policy.h"
#include "common/strbuf.h"
#include "planner/backtest.h"

#define T0 1795392000000LL	/* a Monday, 00:00 UTC */
#define STEP 300000LL
#define DAY (288 * STEP)

static void
row(struct strbuf *sb, const char *host, int64_t ms, double cpu, double mem)
{
	char ts[TIME_RFC3339_LEN];

	time_format_rfc3339(ms, ts);
	strbuf_addf(sb, "%s,300,%s,%.2f,%.1f\n", ts, host, cpu, mem);
}

/* the samples of a, b (and c) as one file with a host column */
static char *
samples_text(void)
{
	static const double a_cpu[10] = { 20, 20, 50, 50, 20, 60, 20, 20, 20,
	    20 };
	static const double b_cpu[10] = { 20, 20, 40, 40, 20, 50, 20, 20, 20,
	    20 };
	struct strbuf sb = STRBUF_INIT;
	int k;

	strbuf_addstr(&sb, "capplan-samples,1\n"
	    "ts,interval_s,host,cpu_busy_pct,mem_used_mib\n");
	for (k = 0; k < 288; k++) {
		row(&sb, "a", T0 + k * STEP, 20, 1000);
		row(&sb, "b", T0 + k * STEP, 20, 500);
	}
	for (k = 0; k < 10; k++) {
		row(&sb, "a", T0 + DAY + k * STEP, a_cpu[k], k == 7 ? 1500 :
		    900);
		row(&sb, "b", T0 + DAY + k * STEP, b_cpu[k], 500);
		row(&sb, "c", T0 + DAY + k * STEP, 5, 100);
	}
	return strbuf_detach(&sb);
}

static void
test_replay_counts_slots_over_the_limit_and_capacity(void **state)
{
	char samples[512], *text = samples_text(), *files[1] = { samples };
	struct backtest_input in;
	struct backtest_result res;
	struct inventory inv;
	struct hostcat hc;
	struct policy pol;
	const struct backtest_host *h;

	(void)state;
	snprintf(samples, sizeof(samples), "%s", test_write_file("bt",
	    ".samples.csv", text));
	free(text);
	assert_int_equal(hostcat_load(&hc, test_write_file("bt", ".hosts.csv",
	    "capplan-hosts,1\nmodel,sockets,cores,threads,cpu_rating,mem_mib,"
	    "rack_units,price,power_w_0,power_w_10,power_w_20,power_w_30,"
	    "power_w_40,power_w_50,power_w_60,power_w_70,power_w_80,power_w_90,"
	    "power_w_100,maint_per_year,available\n"
	    "h,1,8,16,10,8192,1,1000,50,60,70,80,90,100,110,120,130,140,150,"
	    "0,\n"), NULL), 0);
	assert_int_equal(inventory_load(&inv, test_write_file("bt", ".inv.csv",
	    "capplan-inventory,1\nhost,cpu_rating,threads\na,10,4\nb,10,4\n"
	    "c,10,4\n"), NULL), 0);
	policy_init(&pol);
	memset(&in, 0, sizeof(in));
	in.pol = &pol;
	in.hc = &hc;
	in.inv = &inv;
	in.samples = files;
	in.nsamples = 1;
	in.resolution = RESOLUTION_HOUR;
	in.search = true;
	in.threads = 1;
	in.from_ms = INT64_MIN;
	in.until_ms = INT64_MAX;
	in.split_ms = T0 + DAY;
	if (backtest_run(&in, &res) != 0)
		fail_msg("%s", error_last_msg());
	assert_int_equal(res.bt.nhosts, 1);
	h = &res.bt.hosts[0];
	assert_int_equal(h->nguests, 2);
	assert_int_equal(h->slots, 10);
	assert_int_equal(h->res[RES_CPU].over_limit, 3);
	assert_int_equal(h->res[RES_CPU].over_capacity, 1);
	assert_near(h->res[RES_CPU].peak, 11, 1e-5);
	assert_near(h->res[RES_CPU].limit, 8, 1e-9);
	assert_int_equal(h->over_limit, 3);
	assert_int_equal(h->over_capacity, 1);
	assert_int_equal(h->mem_over_committed, 1);
	assert_near(h->mem_over_committed_max_mib, 220, 1e-3);
	/* the plan saw none of it */
	assert_near(h->res[RES_CPU].predicted_pct, 0, 0);
	assert_int_equal(res.bt.host_slots, 10);
	assert_int_equal(res.bt.over_limit, 3);
	assert_int_equal(res.bt.servers, 3);
	assert_int_equal(res.bt.guests, 2);
	assert_int_equal(res.bt.unplaced, 1);
	assert_int_equal(res.bt.guest_slots_missing, 0);
	assert_near(res.bt.slot_s, 300, 0);
	backtest_result_release(&res);
	policy_release(&pol);
	inventory_release(&inv);
	hostcat_release(&hc);
	unlink(samples);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_replay_counts_slots_over_the_limit_and_capacity),
	};

	return cmocka_run_group_tests_name("backtest", tests, NULL, NULL);
}
