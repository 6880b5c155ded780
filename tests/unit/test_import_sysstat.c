/*
 * test_import_sysstat.c - the sadf readers (import/imp_sysstat.c and
 * imp_sysstat_json.c): the record arithmetic, and the same record given
 * as sadf -d and as sadf -j giving the same row.
 *
 * The -d and -j texts below are the shape sadf 12.6.1 prints (checked
 * against files made with sadc on the development machine), cut down to
 * two records and a few activities; expected values are worked by hand.
 */
#include <math.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/samples.h"
#include "import/import.h"
#include "import/sysstat.h"

static void
test_busy_includes_guest_and_excludes_iowait_steal(void **state)
{
	struct sa_acc a;

	(void)state;
	sa_acc_init(&a, 120000, 60);
	assert_true(a.s.ts_ms == 60000);	/* the start of the interval */
	sa_acc_cpu(&a, true, 40.0, 5.0, 2.5, 100);
	assert_near(a.s.v[METRIC_CPU_BUSY_PCT], 52.5, 1e-12);
	assert_near(a.s.v[METRIC_CPU_STEAL_PCT], 2.5, 0);
	assert_near(a.s.v[METRIC_CPU_IOWAIT_PCT], 5.0, 0);
	/* per-CPU rows count the CPUs that are online (not all zero) */
	sa_acc_cpu(&a, false, 50, 0, 0, 100);
	sa_acc_cpu(&a, false, 0, 0, 0, 0);
	sa_acc_cpu(&a, false, 100, 0, 0, 100);
	sa_acc_finish(&a);
	assert_near(a.s.v[METRIC_NCPU_ONLINE], 2, 0);
}

static void
test_memory_total_from_slab_is_exact(void **state)
{
	struct sa_acc a;

	(void)state;
	/* a real -r ALL row of the development machine, MemTotal 24684084 */
	sa_acc_init(&a, 0, 1);
	sa_acc_mem(&a, 22154792, 24232908, 131348, 0.53, 31408, 2198552,
	    167984);
	assert_near(a.s.v[METRIC_MEM_TOTAL_MIB], 24684084 / 1024.0, 1e-9);
	assert_near(a.s.v[METRIC_MEM_USED_MIB], (24684084 - 24232908) /
	    1024.0, 1e-9);
	assert_near(a.s.v[METRIC_MEM_CACHE_MIB], 2198552 / 1024.0, 1e-9);
	assert_false(a.mem_estimated);
}

static void
test_memory_bounds_narrow_the_estimate(void **state)
{
	struct sa_mem_bounds b = { NAN, NAN }, c = { NAN, NAN };
	const double total = 1000000, slab = 20000;
	double used, pct, est;
	int i;

	(void)state;
	assert_true(isnan(sa_mem_total(&b)));
	/* records of one host: used varies, %memused printed to 0.01 */
	for (i = 0; i < 50; i++) {
		used = 100000 + 997 * i;
		pct = round(used / total * 10000) / 100;
		sa_mem_bound(&b, total - slab, used, pct);
	}
	est = sa_mem_total(&b);
	assert_true(est >= total - slab && est <= total * 1.005);
	assert_near(est, total, total * 0.005);
	/* another table of the same host narrows it further, never wider */
	sa_mem_merge(&c, &b);
	sa_mem_merge(&c, &(struct sa_mem_bounds){ NAN, NAN });
	assert_near(sa_mem_total(&c), est, 0);
}

static void
test_virtual_interfaces_left_out(void **state)
{
	struct sa_acc a;

	(void)state;
	assert_true(sa_iface_virtual("lo"));
	assert_true(sa_iface_virtual("veth1a2b"));
	assert_true(sa_iface_virtual("virbr0"));
	assert_true(sa_iface_virtual("br-1234"));
	assert_false(sa_iface_virtual("eth0"));
	assert_false(sa_iface_virtual("ens3"));
	assert_false(sa_iface_virtual("bond0"));
	sa_acc_init(&a, 0, 1);
	sa_acc_net(&a, "lo", 100, 100);
	assert_near(a.s.v[METRIC_NET_RX_KIBPS], 0, 0);	/* measured: 0 */
	sa_acc_net(&a, "eth0", 1.5, 2.5);
	sa_acc_net(&a, "ens4", 1, 1);
	assert_near(a.s.v[METRIC_NET_RX_KIBPS], 2.5, 1e-12);
	assert_near(a.s.v[METRIC_NET_TX_KIBPS], 3.5, 1e-12);
}

static void
test_disk_busiest_device_and_fallback_sums(void **state)
{
	struct sa_acc a;

	(void)state;
	sa_acc_init(&a, 0, 1);
	sa_acc_disk(&a, 10, 20, 35.5);
	sa_acc_disk(&a, 1, 2, 80);
	sa_acc_disk(&a, 0, 0, 3);
	sa_acc_finish(&a);
	assert_near(a.s.v[METRIC_DISK_BUSY_PCT], 80, 0);
	assert_near(a.s.v[METRIC_DISK_READ_KIBPS], 11, 0);	/* no -b */
	assert_near(a.s.v[METRIC_DISK_WRITE_KIBPS], 22, 0);
}

#define D_CPU "# hostname;interval;timestamp;CPU;%user;%nice;%system;" \
	"%iowait;%steal;%idle\n"
#define D_NET "# hostname;interval;timestamp;IFACE;rxpck/s;txpck/s;" \
	"rxkB/s;txkB/s;rxcmp/s;txcmp/s;rxmcst/s;%ifutil\n"

static const char sadf_d[] =
	D_CPU
	"web01;60;2026-11-26 06:01:00 UTC;-1;30.00;0.00;10.00;5.00;1.00;54.00\n"
	"web01;60;2026-11-26 06:02:00 UTC;-1;10.00;0.00;5.00;0.00;0.00;85.00\n"
	D_NET
	"web01;60;2026-11-26 06:01:00 UTC;lo;1.00;1.00;9.00;9.00;0.00;0.00;0.00;0.00\n"
	"web01;60;2026-11-26 06:01:00 UTC;eth0;1.00;1.00;4.00;2.00;0.00;0.00;0.00;0.00\n"
	"web01;60;2026-11-26 06:02:00 UTC;lo;1.00;1.00;9.00;9.00;0.00;0.00;0.00;0.00\n"
	"web01;60;2026-11-26 06:02:00 UTC;eth0;1.00;1.00;6.00;3.00;0.00;0.00;0.00;0.00\n";

static const char sadf_j[] =
	"{\"sysstat\": {\n\t\"hosts\": [\n\t\t{\n\t\t\t\"nodename\": \"web01\",\n"
	"\t\t\t\"number-of-cpus\": 2,\n\t\t\t\"statistics\": [\n"
	"{\"timestamp\": {\"date\": \"2026-11-26\", \"time\": \"06:01:00\", "
	"\"utc\": 1, \"interval\": 60}, \"cpu-load\": [{\"cpu\": \"all\", "
	"\"user\": 30.00, \"nice\": 0.00, \"system\": 10.00, \"iowait\": 5.00, "
	"\"steal\": 1.00, \"idle\": 54.00}], \"network\": {\"net-dev\": ["
	"{\"iface\": \"lo\", \"rxkB\": 9.00, \"txkB\": 9.00}, {\"iface\": "
	"\"eth0\", \"rxkB\": 4.00, \"txkB\": 2.00}]}},\n"
	"{\"timestamp\": {\"date\": \"2026-11-26\", \"time\": \"06:02:00\", "
	"\"utc\": 1, \"interval\": 60}, \"cpu-load\": [{\"cpu\": \"all\", "
	"\"user\": 10.00, \"nice\": 0.00, \"system\": 5.00, \"iowait\": 0.00, "
	"\"steal\": 0.00, \"idle\": 85.00}], \"network\": {\"net-dev\": ["
	"{\"iface\": \"lo\", \"rxkB\": 9.00, \"txkB\": 9.00}, {\"iface\": "
	"\"eth0\", \"rxkB\": 6.00, \"txkB\": 3.00}]}}\n"
	"\t\t\t],\n\t\t\t\"restarts\": []\n\t\t}\n\t]\n}}\n";

static const char want[] =
	"capplan-samples,1\n"
	"ts,interval_s,cpu_busy_pct,cpu_steal_pct,cpu_iowait_pct,"
	"net_rx_kibps,net_tx_kibps\n"
	"2026-11-26T06:00:00Z,60,40.00,1.00,5.00,4.00,2.00\n"
	"2026-11-26T06:01:00Z,60,15.00,0.00,0.00,6.00,3.00\n";

/* Import text as sysstat into dir; return the samples file's text. */
static char *
import_text(const char *tag, const char *text, const char *dir)
{
	char in[512], out[600];
	char *inputs[1] = { in };
	struct import_sink *sink;
	static char buf[4096];
	size_t n;
	FILE *fp;

	snprintf(in, sizeof(in), "%s", test_write_file(tag, ".sadf", text));
	sink = import_sink_new(dir);
	if (import_sysstat(sink, NULL, inputs, 1) == -1 ||
	    import_sink_commit(sink) == -1)
		fail_msg("%s", error_last_msg());
	import_sink_free(sink);
	unlink(in);
	snprintf(out, sizeof(out), "%s/web01.samples.csv", dir);
	fp = fopen(out, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(out);
	snprintf(out, sizeof(out), "%s/inventory.csv", dir);
	unlink(out);
	rmdir(dir);
	return buf;
}

static void
test_d_and_j_give_the_same_rows(void **state)
{
	char dir[512];
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capplan-sysstat-%ld",
	    t != NULL ? t : "/tmp", (long)getpid());
	assert_string_equal(import_text("d", sadf_d, dir), want);
	assert_string_equal(import_text("j", sadf_j, dir), want);
}

/*
 * A host's "nodename" or "release" given twice: the last counts, as
 * jansson takes a repeated key, and the first is freed (it leaked;
 * found by tests/fuzz/fuzz_sysstat_json.c: make check SANITIZE=1 or
 * VALGRIND=1 show a leak here).
 */
static void
test_j_repeated_keys_last_counts(void **state)
{
	static const char key[] = "\"nodename\": \"web01\",";
	const char *t = getenv("TMPDIR"), *at = strstr(sadf_j, key);
	char dir[512], text[sizeof(sadf_j) + 128];

	(void)state;
	assert_non_null(at);
	snprintf(text, sizeof(text), "%.*s\"nodename\": \"db9\", \"release\": "
	    "\"5.10\", \"release\": \"6.1\", %s", (int)(at - sadf_j), sadf_j,
	    at);
	snprintf(dir, sizeof(dir), "%s/capplan-sysstat-%ld",
	    t != NULL ? t : "/tmp", (long)getpid());
	assert_string_equal(import_text("r", text, dir), want);
}

/* sar -m CPU: the highest "all" clock becomes the inventory's cpu_mhz */
#define D_MHZ "# hostname;interval;timestamp;CPU;MHz\n"

static const char sadf_d_mhz[] =
	D_CPU
	"web01;60;2026-11-26 06:01:00 UTC;-1;30.00;0.00;10.00;5.00;1.00;54.00\n"
	"web01;60;2026-11-26 06:02:00 UTC;-1;10.00;0.00;5.00;0.00;0.00;85.00\n"
	D_MHZ
	"web01;60;2026-11-26 06:01:00 UTC;-1;1800.00\n"
	"web01;60;2026-11-26 06:02:00 UTC;-1;2600.00\n";

static const char sadf_j_mhz[] =
	"{\"sysstat\": {\"hosts\": [{\"nodename\": \"web01\", "
	"\"number-of-cpus\": 2, \"statistics\": [\n"
	"{\"timestamp\": {\"date\": \"2026-11-26\", \"time\": \"06:01:00\", "
	"\"utc\": 1, \"interval\": 60}, \"cpu-load\": [{\"cpu\": \"all\", "
	"\"idle\": 54.00, \"iowait\": 5.00, \"steal\": 1.00}], "
	"\"power-management\": {\"cpu-frequency\": [{\"number\": \"all\", "
	"\"frequency\": 2600.00}]}}\n], \"restarts\": []}]}}\n";

/* The inventory's data row after importing text with o (may be NULL). */
static char *
import_inventory(const char *tag, const char *text, const char *dir,
    const struct import_opts *o)
{
	char in[512], out[600];
	char *inputs[1] = { in };
	struct import_sink *sink;
	static char buf[4096];
	size_t n;
	FILE *fp;

	snprintf(in, sizeof(in), "%s", test_write_file(tag, ".sadf", text));
	sink = import_sink_new(dir);
	if (import_sysstat(sink, o, inputs, 1) == -1 ||
	    import_sink_commit(sink) == -1)
		fail_msg("%s", error_last_msg());
	import_sink_free(sink);
	unlink(in);
	snprintf(out, sizeof(out), "%s/web01.samples.csv", dir);
	unlink(out);
	snprintf(out, sizeof(out), "%s/inventory.csv", dir);
	fp = fopen(out, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(out);
	rmdir(dir);
	return strchr(strchr(buf, '\n') + 1, '\n') + 1;
}

static void
test_cpu_clock_and_model_in_the_inventory(void **state)
{
	struct import_opts o = { .outdir = ".", .start_ms = IMPORT_NO_TIME,
	    .interval_s = NAN, .duration_s = NAN,
	    .cpu_model = "Intel Xeon E5-2640 v4", .cpu_mhz = 2400 };
	const char *t = getenv("TMPDIR");
	char dir[512];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capplan-sysstat-%ld",
	    t != NULL ? t : "/tmp", (long)getpid());
	/* host, cpu_model, cpu_masked, sockets, cores, threads, cpu_mhz */
	assert_true(strncmp(import_inventory("d", sadf_d_mhz, dir, NULL),
	    "web01,,,,,,2600,", 16) == 0);
	assert_true(strncmp(import_inventory("j", sadf_j_mhz, dir, NULL),
	    "web01,,,,,2,2600,", 17) == 0);
	/* the options stand in for what sadf does not print */
	assert_true(strncmp(import_inventory("o", sadf_d, dir, &o),
	    "web01,Intel Xeon E5-2640 v4,,,,,2400,", 37) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_busy_includes_guest_and_excludes_iowait_steal),
		cmocka_unit_test(test_memory_total_from_slab_is_exact),
		cmocka_unit_test(test_memory_bounds_narrow_the_estimate),
		cmocka_unit_test(test_virtual_interfaces_left_out),
		cmocka_unit_test(test_disk_busiest_device_and_fallback_sums),
		cmocka_unit_test(test_d_and_j_give_the_same_rows),
		cmocka_unit_test(test_j_repeated_keys_last_counts),
		cmocka_unit_test(test_cpu_clock_and_model_in_the_inventory),
	};

	return cmocka_run_group_tests_name("import_sysstat", tests, NULL,
	    NULL);
}
