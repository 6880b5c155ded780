/*
 * test_import.c - the importers' output side (import/sink.c), the
 * shared helpers, and ofile_finish() in common/ofile.c, which the sink
 * relies on for files that appear together or not at all.
 *
 * Each test writes into a fresh folder under $TMPDIR; what is in it
 * afterwards is read back with capplan's own samples and inventory
 * readers, so whatever the sink writes is checked to be acceptable to
 * them (and so to capplan inspect).
 */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include <unistd.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/inventory.h"
#include "common/ofile.h"
#include "common/samples.h"
#include "import/import.h"

static char dir[512];

static int
make_dir(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capplan-import-%ld-XXXXXX",
	    t != NULL ? t : "/tmp", (long)getpid());
	return mkdtemp(dir) == NULL ? -1 : 0;
}

/* Remove dir/out/ *, dir/out, dir/ *, dir (two levels are enough). */
static void
rm_tree(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	char p[1200];
	struct stat st;

	if (dp == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", d, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(dp);
	rmdir(d);
}

static int
remove_dir(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static const char *
path_in(const char *name)
{
	static char p[1200];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static int
entries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	int n = 0;

	if (dp == NULL)
		return -1;
	while ((e = readdir(dp)) != NULL)
		n += e->d_name[0] != '.';
	closedir(dp);
	return n;
}

static void
sample_init(struct sample *s, int64_t ts_ms, double iv)
{
	int m;

	memset(s, 0, sizeof(*s));
	for (m = 0; m < METRIC_N; m++)
		s->v[m] = NAN;
	s->ts_ms = ts_ms;
	s->interval_s = iv;
	s->flags = "";
}

/* Rows read back: count, and the sum of cpu_busy_pct and mem_used_mib. */
struct back {
	size_t rows;
	double cpu, mem;
	char flags[64];
};

static int
back_row(const struct sample *s, void *ctx)
{
	struct back *b = ctx;

	b->rows++;
	b->cpu += s->v[METRIC_CPU_BUSY_PCT];
	if (!isnan(s->v[METRIC_MEM_USED_MIB]))
		b->mem += s->v[METRIC_MEM_USED_MIB];
	snprintf(b->flags, sizeof(b->flags), "%s", s->flags);
	return 0;
}

static void
read_back(const char *path, struct back *b)
{
	static const struct samples_ops ops = { NULL, back_row };

	memset(b, 0, sizeof(*b));
	if (samples_read(path, &ops, b, NULL) == -1)
		fail_msg("%s", error_last_msg());
}

static void
test_sink_writes_nothing_until_commit(void **state)
{
	bool has[METRIC_N] = { false };
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;
	struct back b;

	(void)state;
	has[METRIC_CPU_BUSY_PCT] = true;
	sink = import_sink_new(path_in("out"));
	assert_non_null(sink);
	assert_int_equal(entries(path_in("out")), -1);	/* not made yet */
	h = import_sink_host(sink, "web01", has, "in", 1);
	assert_non_null(h);
	sample_init(&s, 1795675200000, 60);
	s.v[METRIC_CPU_BUSY_PCT] = 12.5;
	assert_int_equal(import_host_row(h, &s, "in", 2), 0);
	assert_int_equal(import_host_finish(h), 0);
	/* finished but not committed: only the temporary file exists */
	assert_int_equal(entries(path_in("out")), 1);
	assert_int_equal(access(path_in("out/web01.samples.csv"), F_OK), -1);
	assert_int_equal(import_sink_commit(sink), 0);
	import_sink_free(sink);
	read_back(path_in("out/web01.samples.csv"), &b);
	assert_int_equal(b.rows, 1);
	assert_near(b.cpu, 12.5, 1e-9);
	assert_int_equal(entries(path_in("out")), 1);
}

/* a sink with no host: zero rows, and a commit that sorts nothing (a
 * qsort of a NULL array, which UBSan caught when the fuzzed sadf input
 * was a header alone) */
static void
test_sink_empty_commits_nothing(void **state)
{
	const struct import_result *res;
	bool has[METRIC_N] = { false };
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;

	(void)state;
	sink = import_sink_new(path_in("out"));
	assert_non_null(sink);
	assert_int_equal(import_sink_rows(sink), 0);
	assert_int_equal(import_sink_commit(sink), 0);
	assert_int_equal(import_sink_results(sink, &res), 0);
	import_sink_free(sink);
	/* rows counts every host's rows */
	has[METRIC_CPU_BUSY_PCT] = true;
	sink = import_sink_new(path_in("out2"));
	h = import_sink_host(sink, "a", has, "in", 1);
	assert_int_equal(import_sink_rows(sink), 0);
	sample_init(&s, 0, 60);
	s.v[METRIC_CPU_BUSY_PCT] = 1;
	assert_int_equal(import_host_row(h, &s, "in", 2), 0);
	h = import_sink_host(sink, "b", has, "in", 3);
	sample_init(&s, 60000, 60);
	assert_int_equal(import_host_row(h, &s, "in", 4), 0);
	assert_int_equal(import_sink_rows(sink), 2);
	import_sink_free(sink);
}

static void
test_sink_freed_uncommitted_leaves_nothing(void **state)
{
	bool has[METRIC_N] = { false };
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;

	(void)state;
	has[METRIC_CPU_BUSY_PCT] = true;
	sink = import_sink_new(path_in("out"));
	h = import_sink_host(sink, "a", has, "in", 1);
	sample_init(&s, 0, 60);
	s.v[METRIC_CPU_BUSY_PCT] = 1;
	assert_int_equal(import_host_row(h, &s, "in", 2), 0);
	assert_int_equal(import_host_finish(h), 0);
	assert_non_null(import_sink_host(sink, "b", has, "in", 3));
	import_sink_free(sink);
	/* the folder it made is gone with its temporary files */
	assert_int_equal(entries(path_in("out")), -1);
	assert_int_equal(entries(dir), 0);
}

static void
test_sink_keeps_existing_folder_and_files(void **state)
{
	bool has[METRIC_N] = { [METRIC_CPU_BUSY_PCT] = true };
	struct import_sink *sink;
	FILE *fp;

	(void)state;
	mkdir(path_in("out"), 0777);
	fp = fopen(path_in("out/a.samples.csv"), "w");
	fputs("old\n", fp);
	fclose(fp);
	sink = import_sink_new(path_in("out"));
	assert_non_null(import_sink_host(sink, "a", has, "in", 1));
	import_sink_free(sink);
	assert_int_equal(entries(path_in("out")), 1);
}

static void
test_sink_orders_and_repeats(void **state)
{
	bool has[METRIC_N] = { false };
	const struct import_note *notes;
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;

	(void)state;
	has[METRIC_CPU_BUSY_PCT] = true;
	sink = import_sink_new(path_in("out"));
	h = import_sink_host(sink, "a", has, "in", 1);
	sample_init(&s, 120000, 60);
	s.v[METRIC_CPU_BUSY_PCT] = 1;
	assert_int_equal(import_host_row(h, &s, "in", 2), 0);
	/* the same time again: dropped and counted */
	assert_int_equal(import_host_row(h, &s, "in", 3), 0);
	assert_int_equal(import_sink_notes(sink, &notes), 1);
	assert_int_equal(notes[0].count, 1);
	assert_string_equal(notes[0].first_file, "in");
	assert_int_equal(notes[0].first_line, 3);
	/* earlier: an error naming the input line */
	s.ts_ms = 60000;
	error_clear();
	assert_int_equal(import_host_row(h, &s, "in", 4), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_non_null(strstr(error_last_msg(), "in:4: host 'a'"));
	assert_int_equal(import_host_rows(h), 1);
	import_sink_free(sink);
}

static void
test_sink_clamps_and_refuses(void **state)
{
	bool has[METRIC_N] = { false };
	const struct import_note *notes;
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;
	struct back b;

	(void)state;
	has[METRIC_CPU_BUSY_PCT] = has[METRIC_MEM_TOTAL_MIB] = true;
	has[METRIC_MEM_USED_MIB] = true;
	sink = import_sink_new(path_in("out"));
	h = import_sink_host(sink, "a", has, "in", 1);
	sample_init(&s, 0, 300);
	s.v[METRIC_CPU_BUSY_PCT] = 105.7;	/* Bitbrains does this */
	s.v[METRIC_MEM_TOTAL_MIB] = 1024;
	s.v[METRIC_MEM_USED_MIB] = 1030;
	s.v[METRIC_DISK_READ_IOPS] = 5;		/* not a column: dropped */
	assert_int_equal(import_host_row(h, &s, "in", 2), 0);
	assert_int_equal(import_sink_notes(sink, &notes), 2);
	assert_near(import_host_max(h, METRIC_CPU_BUSY_PCT), 100, 0);
	s.ts_ms = 300000;
	s.v[METRIC_MEM_USED_MIB] = -1;
	error_clear();
	assert_int_equal(import_host_row(h, &s, "in", 3), -1);
	assert_non_null(strstr(error_last_msg(), "mem_used_mib would be -1"));
	s.v[METRIC_MEM_USED_MIB] = 10;
	s.interval_s = 0;
	assert_int_equal(import_host_row(h, &s, "in", 4), -1);
	/* would be written as 0.000, which no reader takes (fuzz_collect) */
	s.interval_s = 0.0003;
	error_clear();
	assert_int_equal(import_host_row(h, &s, "in", 5), -1);
	assert_non_null(strstr(error_last_msg(),
	    "in:5: interval of 0.0003 s is not in [0.001, 604800] seconds"));
	assert_int_equal(import_sink_commit(sink), 0);
	import_sink_free(sink);
	read_back(path_in("out/a.samples.csv"), &b);
	assert_int_equal(b.rows, 1);
	assert_near(b.cpu, 100, 0);
	assert_near(b.mem, 1024, 0);
}

static void
test_sink_names_files_safely(void **state)
{
	bool has[METRIC_N] = { [METRIC_CPU_BUSY_PCT] = true };
	struct import_sink *sink;
	char *safe;

	(void)state;
	safe = import_safe_name("../etc/a b\"c");
	assert_string_equal(safe, "_._etc_a_b_c");	/* no '/', no leading '.' */
	free(safe);
	safe = import_safe_name(".hidden");
	assert_string_equal(safe, "_hidden");
	free(safe);
	sink = import_sink_new(path_in("out"));
	assert_non_null(import_sink_host(sink, "node a", has, "x", 1));
	error_clear();
	assert_null(import_sink_host(sink, "node_a", has, "y", 7));
	assert_string_equal(error_last_msg(), "y:7: hosts 'node a' and "
	    "'node_a' would both be written to 'node_a.samples.csv'");
	assert_null(import_sink_host(sink, "", has, "z", 1));
	assert_null(import_sink_host(sink, "inventory", has, "z", 1));
	import_sink_free(sink);
}

static void
test_sink_flags_column(void **state)
{
	bool has[METRIC_N] = { false };
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;
	struct back b;

	(void)state;
	has[METRIC_CPU_BUSY_PCT] = true;
	sink = import_sink_new(path_in("out"));
	h = import_sink_host(sink, "a", has, "in", 1);
	import_host_keep_flags(h);
	sample_init(&s, 0, 60);
	s.v[METRIC_CPU_BUSY_PCT] = 3;
	s.flags = "start;suspend";
	assert_int_equal(import_host_row(h, &s, "in", 2), 0);
	assert_int_equal(import_sink_commit(sink), 0);
	import_sink_free(sink);
	read_back(path_in("out/a.samples.csv"), &b);
	assert_string_equal(b.flags, "start;suspend");
}

/* capplan reads no samples file without cpu_busy_pct: a host without it
 * (a Prometheus import of memory alone) is refused, not written for
 * capplan to refuse later (found by tests/fuzz/fuzz_prometheus.c) */
static void
test_sink_refuses_host_without_cpu(void **state)
{
	bool has[METRIC_N] = { [METRIC_MEM_TOTAL_MIB] = true };
	struct import_sink *sink;

	(void)state;
	sink = import_sink_new(path_in("out"));
	error_clear();
	assert_null(import_sink_host(sink, "web01", has, "mem.json", 3));
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(), "mem.json:3: host 'web01' has "
	    "no CPU busy data (cpu_busy_pct), which every samples file needs");
	has[METRIC_CPU_BUSY_PCT] = true;
	assert_non_null(import_sink_host(sink, "web01", has, "mem.json", 3));
	import_sink_free(sink);
}

static void
test_sink_inventory_fills_unknowns(void **state)
{
	bool has[METRIC_N] = { [METRIC_CPU_BUSY_PCT] = true };
	struct import_sink *sink;
	struct server_inv inv;
	struct inventory back;
	const struct server_inv *s;
	size_t n;

	(void)state;
	sink = import_sink_new(path_in("out"));
	assert_non_null(import_sink_host(sink, "b", has, "in", 1));
	import_inv_init(&inv, "b");
	inv.cores = 4;
	import_sink_inventory(sink, &inv);
	inv.cores = 8;			/* a second row replaces the first */
	import_sink_inventory(sink, &inv);
	import_inv_init(&inv, "a b");	/* stored under its file name */
	inv.mem_mib = 2048;
	import_sink_inventory(sink, &inv);
	assert_int_equal(import_sink_commit(sink), 0);
	assert_string_equal(import_sink_inventory_path(sink, &n),
	    path_in("out/inventory.csv"));
	assert_int_equal(n, 2);
	import_sink_free(sink);
	assert_int_equal(inventory_load(&back, path_in("out/inventory.csv"),
	    NULL), 0);
	assert_int_equal(back.nservers, 2);
	s = inventory_find(&back, "b");
	assert_non_null(s);
	assert_near(s->cores, 8, 0);
	assert_true(isnan(s->mem_mib));
	assert_int_equal(s->cpu_masked, -1);
	assert_string_equal(s->os, "");
	assert_non_null(inventory_find(&back, "a_b"));
	inventory_release(&back);
}

/*
 * An importer's number its inventory column would refuse once written
 * (0.3 MiB written "0", under the column's 1) is left unknown and
 * counted, so the inventory reads back (found by
 * tests/fuzz/fuzz_bitbrains.c, which reads back what an import commits).
 */
static void
test_sink_inventory_reads_back(void **state)
{
	bool has[METRIC_N] = { [METRIC_CPU_BUSY_PCT] = true };
	const struct import_note *notes;
	struct import_sink *sink;
	struct server_inv inv;
	struct inventory back;

	(void)state;
	sink = import_sink_new(path_in("out"));
	assert_non_null(import_sink_host(sink, "b", has, "in", 1));
	import_inv_init(&inv, "b");
	inv.mem_mib = 0.3;	/* "0" */
	inv.threads = 0.5;	/* "0": %.0f rounds half to even */
	inv.cpu_mhz = 2e5;	/* above 1e5 */
	inv.cores = 1.5;	/* "2", in range */
	inv.cpu_rating = 0.0015;	/* "0.002" (or "0.001"), in range */
	import_sink_inventory(sink, &inv);
	assert_int_equal(import_sink_notes(sink, &notes), 1);
	assert_int_equal(notes[0].count, 3);
	assert_int_equal(import_sink_commit(sink), 0);
	import_sink_free(sink);
	if (inventory_load(&back, path_in("out/inventory.csv"), NULL) == -1)
		fail_msg("%s", error_last_msg());
	assert_true(isnan(back.servers[0].mem_mib));
	assert_true(isnan(back.servers[0].threads));
	assert_true(isnan(back.servers[0].cpu_mhz));
	assert_near(back.servers[0].cores, 2, 0);
	assert_near(back.servers[0].cpu_rating, 0.0015, 0.00051);
	inventory_release(&back);
}

static void
test_sink_results_and_coverage(void **state)
{
	bool has[METRIC_N] = { false };
	const struct import_result *r;
	struct import_sink *sink;
	struct import_host *h;
	struct sample s;
	int64_t t[] = { 0, 60000, 180000, 240000 };	/* one gap */
	size_t i;

	(void)state;
	has[METRIC_CPU_BUSY_PCT] = true;
	sink = import_sink_new(path_in("out"));
	h = import_sink_host(sink, "z", has, "in", 1);
	assert_non_null(import_sink_host(sink, "empty", has, "in", 1));
	for (i = 0; i < 4; i++) {
		sample_init(&s, t[i], 60);
		s.v[METRIC_CPU_BUSY_PCT] = 1;
		assert_int_equal(import_host_row(h, &s, "in", i + 2), 0);
	}
	assert_int_equal(import_sink_commit(sink), 0);
	assert_int_equal(import_sink_results(sink, &r), 2);
	/* sorted by host; a host with no row still has its file */
	assert_string_equal(r[0].host, "empty");
	assert_int_equal(r[0].rows, 0);
	assert_string_equal(r[1].host, "z");
	assert_int_equal(r[1].rows, 4);
	assert_near(r[1].coverage, 4.0 / 5.0, 1e-12);
	assert_int_equal(r[1].gaps, 1);
	assert_near(r[1].interval_s, 60, 0);
	assert_true(r[1].end_ms == 300000);
	import_sink_free(sink);
}

static void
test_ofile_finish_then_commit(void **state)
{
	struct ofile *of;
	char tmp[1200];

	(void)state;
	of = ofile_open(path_in("f.csv"));
	assert_non_null(of);
	snprintf(tmp, sizeof(tmp), "%s", of->tmp);
	fputs("x\n", of->fp);
	assert_int_equal(ofile_finish(of), 0);
	assert_null(of->fp);
	assert_int_equal(access(tmp, F_OK), 0);
	assert_int_equal(access(path_in("f.csv"), F_OK), -1);
	assert_int_equal(ofile_commit(of), 0);
	assert_int_equal(access(path_in("f.csv"), F_OK), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	of = ofile_open(path_in("g.csv"));
	assert_int_equal(ofile_finish(of), 0);
	ofile_abort(of);		/* a finished file can still be dropped */
	assert_int_equal(entries(dir), 1);
}

/* the host a libvirt URI names, for the guests' current_host */
static void
test_uri_host(void **state)
{
	char buf[64], me[64];

	(void)state;
	import_uri_host("qemu+ssh://root@kvm1.example.net/system", buf,
	    sizeof(buf));
	assert_string_equal(buf, "kvm1.example.net");
	import_uri_host("qemu+tcp://kvm2:16509/system", buf, sizeof(buf));
	assert_string_equal(buf, "kvm2");
	import_uri_host("qemu+ssh://[fe80::1]/system", buf, sizeof(buf));
	assert_string_equal(buf, "fe80::1");
	assert_int_equal(gethostname(me, sizeof(me)), 0);
	import_uri_host("qemu:///system", buf, sizeof(buf));
	assert_string_equal(buf, me);
	import_uri_host(NULL, buf, sizeof(buf));
	assert_string_equal(buf, me);
}

static void
test_importer_table(void **state)
{
	static const char *names[] = { "sysstat", "prometheus", "planetlab",
	    "bitbrains", "libvirt", "collect" };
	size_t i;

	(void)state;
	assert_int_equal(nimporters, 6);
	for (i = 0; i < 6; i++)
		assert_non_null(importer_find(names[i]));
	assert_null(importer_find("nagios"));
	assert_false(importer_find("libvirt")->needs_inputs);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, make_dir, remove_dir)
	const struct CMUnitTest tests[] = {
		T(test_sink_writes_nothing_until_commit),
		T(test_sink_empty_commits_nothing),
		T(test_sink_freed_uncommitted_leaves_nothing),
		T(test_sink_keeps_existing_folder_and_files),
		T(test_sink_orders_and_repeats),
		T(test_sink_clamps_and_refuses),
		T(test_sink_names_files_safely),
		T(test_sink_refuses_host_without_cpu),
		T(test_sink_flags_column),
		T(test_sink_inventory_fills_unknowns),
		T(test_sink_inventory_reads_back),
		T(test_sink_results_and_coverage),
		T(test_ofile_finish_then_commit),
		cmocka_unit_test(test_importer_table),
		cmocka_unit_test(test_uri_host),
	};

	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
