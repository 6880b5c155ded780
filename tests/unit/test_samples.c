/*
 * test_samples.c - the streaming samples reader and writer
 * (common/samples.c), one test per rule of capplan-formats(5).
 *
 * Files are written under $TMPDIR as "<tag>.samples.csv" and removed
 * after reading.  Lines and columns are counted by hand: line 1 is the
 * format record, line 2 the header, the first row is line 3.
 */
#include <math.h>
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/num.h"
#include "common/samples.h"

#define HEAD "capplan-samples,1\n"
#define COLS "ts,interval_s,cpu_busy_pct,mem_total_mib,mem_used_mib\n"
#define T0 "2026-11-26T03:41:00Z"
#define T1 "2026-11-26T03:42:00Z"
#define T2 "2026-11-26T03:43:00Z"
#define T0_MS 1795664460000LL
#define MAX_ROWS 16

struct got {
	size_t n;
	struct sample rows[MAX_ROWS];	/* host and flags point into names */
	char names[MAX_ROWS][2][64];
	size_t headers;
	char columns[16][32];
	size_t ncolumns;
	char extra[8][32];
	size_t nextra;
	bool has_host, has_flags;
	bool has[METRIC_N];
	size_t fail_row;		/* the row function fails at this row */
};

static char path[512];

static int
on_header(const struct samples_header *h, void *ctx)
{
	struct got *g = ctx;
	size_t i;

	g->headers++;
	assert_int_equal(h->version, 1);
	assert_true(h->ncolumns <= 16 && h->nextra <= 8);
	for (i = 0; i < h->ncolumns; i++)
		snprintf(g->columns[i], sizeof(g->columns[i]), "%s",
		    h->columns[i]);
	g->ncolumns = h->ncolumns;
	for (i = 0; i < h->nextra; i++)
		snprintf(g->extra[i], sizeof(g->extra[i]), "%s", h->extra[i]);
	g->nextra = h->nextra;
	g->has_host = h->has_host;
	g->has_flags = h->has_flags;
	memcpy(g->has, h->has, sizeof(g->has));
	return 0;
}

static int
on_row(const struct sample *s, void *ctx)
{
	struct got *g = ctx;
	size_t k = g->n++;

	assert_true(k < MAX_ROWS);
	g->rows[k] = *s;
	snprintf(g->names[k][0], sizeof(g->names[k][0]), "%s", s->host);
	snprintf(g->names[k][1], sizeof(g->names[k][1]), "%s", s->flags);
	g->rows[k].host = g->names[k][0];
	g->rows[k].flags = g->names[k][1];
	if (g->n == g->fail_row)
		return error_set(ERROR_DATA, "row function stops at %zu", g->n);
	return 0;
}

static const struct samples_ops ops = { on_header, on_row };

/* Read text as "<tag>.samples.csv"; the file is removed again. */
static int
read_samples(const char *tag, const char *text, struct got *g,
    struct samples_stats *st)
{
	int rc;

	snprintf(path, sizeof(path), "%s", test_write_file(tag,
	    ".samples.csv", text));
	error_clear();
	rc = samples_read(path, &ops, g, st);
	unlink(path);
	return rc;
}

/* The host a file written by read_samples(tag) describes. */
static void
stem_host(const char *tag, char *buf, size_t size)
{
	snprintf(buf, size, "capplan-test-%ld-%s", (long)getpid(), tag);
}

/* Reading text fails with ERROR_DATA "<path>:<where>: ...want...". */
static void
assert_read_error(const char *text, const char *where, const char *want)
{
	struct samples_stats st;
	struct got g = { 0 };
	char prefix[600];

	assert_int_equal(read_samples("bad", text, &g, &st), -1);
	snprintf(prefix, sizeof(prefix), "%s:%s", path, where);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strncmp(error_last_msg(), prefix, strlen(prefix)) != 0 ||
	    strstr(error_last_msg(), want) == NULL)
		fail_msg("message '%s' does not start '%s' or lacks '%s'",
		    error_last_msg(), prefix, want);
}

static void
test_reads_rows_with_host_from_file_stem(void **state)
{
	struct samples_stats st;
	struct got g = { 0 };
	char host[128];
	int m;

	(void)state;
	assert_int_equal(read_samples("web01", HEAD COLS
	    T0 ",60,12.5,1024,512\n" T1 ",60,,1024,\n", &g, &st), 0);
	stem_host("web01", host, sizeof(host));
	assert_int_equal(g.headers, 1);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.dup_skipped, 0);
	assert_int_equal(st.trunc_line, 0);
	assert_string_equal(g.rows[0].host, host);
	assert_string_equal(g.rows[1].host, host);
	assert_true(g.rows[0].ts_ms == T0_MS);
	assert_true(g.rows[1].ts_ms == T0_MS + 60000);
	assert_near(g.rows[0].interval_s, 60, 0);
	assert_near(g.rows[0].v[METRIC_CPU_BUSY_PCT], 12.5, 0);
	assert_near(g.rows[0].v[METRIC_MEM_TOTAL_MIB], 1024, 0);
	assert_near(g.rows[0].v[METRIC_MEM_USED_MIB], 512, 0);
	assert_int_equal(g.rows[0].line, 3);
	assert_int_equal(g.rows[1].line, 4);
	assert_string_equal(g.rows[0].flags, "");
	/* an empty cell and an absent column are both "not measured" */
	assert_true(isnan(g.rows[1].v[METRIC_CPU_BUSY_PCT]));
	assert_true(isnan(g.rows[1].v[METRIC_MEM_USED_MIB]));
	for (m = 0; m < METRIC_N; m++)
		if (m != METRIC_CPU_BUSY_PCT && m != METRIC_MEM_TOTAL_MIB &&
		    m != METRIC_MEM_USED_MIB)
			assert_true(isnan(g.rows[0].v[m]));
	assert_false(g.has_host);
	assert_true(g.has[METRIC_MEM_USED_MIB]);
	assert_false(g.has[METRIC_DISK_BUSY_PCT]);
}

static void
test_host_from_path(void **state)
{
	static const char *cases[][2] = {
		{ "/var/lib/capplan/web01.samples.csv", "web01" },
		{ "web01.csv", "web01" },
		{ "dir/web01", "web01" },
		{ "a.b.c.csv", "a.b.c" },
		{ "db01.example.com.samples.csv", "db01.example.com" },
		{ "-", "stdin" },
		{ "<stdin>", "stdin" },
	};
	size_t i;
	char *h;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h = samples_host_from_path(cases[i][0]);
		if (strcmp(h, cases[i][1]) != 0)
			fail_msg("%s gave host '%s', expected '%s'",
			    cases[i][0], h, cases[i][1]);
		free(h);
	}
}

static void
test_metric_find(void **state)
{
	(void)state;
	assert_int_equal(metric_find("cpu_busy_pct"), METRIC_CPU_BUSY_PCT);
	assert_int_equal(metric_find("psi_io_some_pct"),
	    METRIC_PSI_IO_SOME_PCT);
	assert_int_equal(metric_find("mem_used_mib"), METRIC_MEM_USED_MIB);
	assert_int_equal(metric_find("ts"), -1);
	assert_int_equal(metric_find("CPU_BUSY_PCT"), -1);
	assert_int_equal(metric_find(""), -1);
}

static void
test_missing_required_column(void **state)
{
	(void)state;
	assert_read_error(HEAD "interval_s,cpu_busy_pct\n60,1\n", "2: ",
	    "missing required column 'ts'");
	assert_read_error(HEAD "ts,cpu_busy_pct\n" T0 ",1\n", "2: ",
	    "missing required column 'interval_s'");
	assert_read_error(HEAD "ts,interval_s,mem_used_mib\n" T0 ",60,1\n",
	    "2: ", "missing required column 'cpu_busy_pct'");
}

static void
test_duplicate_column(void **state)
{
	(void)state;
	assert_read_error(HEAD "ts,interval_s,cpu_busy_pct,ts\n", "2:4: ",
	    "column 'ts' appears twice (also column 1)");
}

static void
test_bad_ts(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS T0 ",60,1,2,1\n"
	    "2026-13-01T00:00:00Z,60,1,2,1\n", "4:1: ",
	    "ts: '2026-13-01T00:00:00Z' is not a valid date and time");
	assert_read_error(HEAD COLS "yesterday,60,1,2,1\n", "3:1: ",
	    "ts: 'yesterday' is not an RFC 3339 time");
}

static void
test_ts_without_time_zone(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS "2026-11-26T03:41:00,60,1,2,1\n", "3:1: ",
	    "has no time zone");
}

static void
test_interval_must_be_a_millisecond_to_a_week(void **state)
{
	struct got g = { 0 };

	(void)state;
	assert_read_error(HEAD COLS T0 ",0,1,2,1\n", "3:2: ",
	    "interval_s: '0' is not in [0.001, 604800] seconds");
	assert_read_error(HEAD COLS T0 ",-60,1,2,1\n", "3:2: ",
	    "interval_s: '-60' is not in [0.001, 604800] seconds");
	assert_read_error(HEAD COLS T0 ",604801,1,2,1\n", "3:2: ",
	    "is not in [0.001, 604800] seconds");
	/* written back it would be 0.000 (found by fuzz_collect) */
	assert_read_error(HEAD COLS T0 ",.00030,1,2,1\n", "3:2: ",
	    "interval_s: '.00030' is not in [0.001, 604800] seconds");
	assert_read_error(HEAD COLS T0 ",,1,2,1\n", "3:2: ",
	    "interval_s: '' is empty");
	assert_read_error(HEAD COLS T0 ",1m,1,2,1\n", "3:2: ",
	    "interval_s: '1m' is not a number");
	assert_int_equal(read_samples("ok", HEAD COLS T0 ",604800,1,2,1\n"
	    T1 ",0.5,1,2,1\n" T2 ",0.001,1,2,1\n", &g, NULL), 0);
	assert_near(g.rows[0].interval_s, 604800, 0);
	assert_near(g.rows[1].interval_s, 0.5, 0);
	assert_near(g.rows[2].interval_s, 0.001, 0);
}

static void
test_non_numeric_metric(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS T0 ",60,busy,2,1\n", "3:3: ",
	    "cpu_busy_pct: 'busy' is not a number");
	assert_read_error(HEAD COLS T0 ",60,1,0x400,1\n", "3:4: ",
	    "mem_total_mib: '0x400' is not a number");
}

static void
test_nan_text_refused(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS T0 ",60,NaN,2,1\n", "3:3: ",
	    "cpu_busy_pct: 'NaN' is not a finite number");
	assert_read_error(HEAD COLS T0 ",60,1,inf,1\n", "3:4: ",
	    "is not a finite number");
}

static void
test_negative_metric(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS T0 ",60,1,2,-1\n", "3:5: ",
	    "mem_used_mib: '-1' is negative");
	assert_read_error(HEAD COLS T0 ",60,-0.01,2,1\n", "3:3: ",
	    "is negative");
}

static void
test_percent_over_100(void **state)
{
	struct got g = { 0 };

	(void)state;
	assert_read_error(HEAD COLS T0 ",60,100.5,2,1\n", "3:3: ",
	    "cpu_busy_pct: '100.5' is above 100 %");
	assert_int_equal(read_samples("ok", HEAD COLS T0 ",60,100,2,1\n"
	    T1 ",60,0,2,1\n", &g, NULL), 0);
	assert_near(g.rows[0].v[METRIC_CPU_BUSY_PCT], 100, 0);
	assert_near(g.rows[1].v[METRIC_CPU_BUSY_PCT], 0, 0);
}

static void
test_mem_used_over_total(void **state)
{
	struct got g = { 0 };

	(void)state;
	assert_read_error(HEAD COLS T0 ",60,1,1000,900\n" T1 ",60,1,1000,1500\n",
	    "4: ", "mem_used_mib 1500.0 is more than mem_total_mib 1000.0");
	/* used equal to total is fine, and so is either one unknown */
	assert_int_equal(read_samples("ok", HEAD COLS T0 ",60,1,1000,1000\n"
	    T1 ",60,1,,5000\n" T2 ",60,1,1000,\n", &g, NULL), 0);
	assert_int_equal(g.n, 3);
}

static void
test_mem_peak_over_total(void **state)
{
	(void)state;
	assert_read_error(HEAD "ts,interval_s,cpu_busy_pct,mem_total_mib,"
	    "mem_used_max_mib\n" T0 ",60,1,2048,4096\n", "3: ",
	    "mem_used_max_mib 4096.0 is more than mem_total_mib 2048.0");
}

static void
test_counts_must_be_whole(void **state)
{
	struct got g = { 0 };

	(void)state;
	assert_read_error(HEAD "ts,interval_s,cpu_busy_pct,ncpu_online\n"
	    T0 ",60,1,3.5\n", "3:4: ", "ncpu_online: '3.5' is not a whole "
	    "number");
	assert_int_equal(read_samples("ok", HEAD "ts,interval_s,cpu_busy_pct,"
	    "ncpu_online\n" T0 ",60,1,8\n", &g, NULL), 0);
	assert_near(g.rows[0].v[METRIC_NCPU_ONLINE], 8, 0);
}

static void
test_duplicate_timestamp_skipped_first_kept(void **state)
{
	struct samples_stats st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(read_samples("dup", HEAD COLS T0 ",60,10,2,1\n"
	    T0 ",60,20,2,1\n" T1 ",60,30,2,1\n" T1 ",60,40,2,1\n"
	    T1 ",60,50,2,1\n" T2 ",60,60,2,1\n", &g, &st), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(st.rows, 3);
	assert_near(g.rows[0].v[METRIC_CPU_BUSY_PCT], 10, 0);
	assert_near(g.rows[1].v[METRIC_CPU_BUSY_PCT], 30, 0);
	assert_near(g.rows[2].v[METRIC_CPU_BUSY_PCT], 60, 0);
	assert_int_equal(g.rows[2].line, 8);
	assert_int_equal(st.dup_skipped, 3);
	assert_int_equal(st.dup_first_line, 4);
}

static void
test_out_of_order_is_error(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS T1 ",60,1,2,1\n" T2 ",60,1,2,1\n"
	    T0 ",60,1,2,1\n", "5: ",
	    "ts: " T0 " is earlier than the row before it for host '");
	assert_non_null(strstr(error_last_msg(), "(" T2 ")"));
	/* one second back is out of order too */
	assert_read_error(HEAD COLS T1 ",60,1,2,1\n"
	    "2026-11-26T03:41:59Z,60,1,2,1\n", "4: ",
	    "ts: 2026-11-26T03:41:59Z is earlier than the row before it");
}

static void
test_truncated_last_line_skipped(void **state)
{
	struct samples_stats st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(read_samples("trunc", HEAD COLS T0 ",60,1,2,1\n"
	    T1 ",60,1,2,1\n" T2 ",60,1", &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.trunc_line, 5);
}

static void
test_long_last_line_is_error_not_truncation(void **state)
{
	(void)state;
	/* a write cut short leaves fewer fields, never more */
	assert_read_error(HEAD COLS T0 ",60,1,2,1\n" T1 ",60,1,2,1,5", "4: ",
	    "expected 5 fields as in the header, found 6");
}

static void
test_complete_last_line_without_newline_kept(void **state)
{
	struct samples_stats st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(read_samples("last", HEAD COLS T0 ",60,1,2,1\n"
	    T1 ",60,7,2,1", &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_near(g.rows[1].v[METRIC_CPU_BUSY_PCT], 7, 0);
	assert_int_equal(st.trunc_line, 0);
}

static void
test_wrong_field_count_in_middle_is_error(void **state)
{
	(void)state;
	assert_read_error(HEAD COLS T0 ",60,1,2,1\n" T1 ",60\n"
	    T2 ",60,1,2,1\n", "4: ", "expected 5 fields as in the header, "
	    "found 2");
	assert_read_error(HEAD COLS T0 ",60,1,2,1,9\n", "3: ",
	    "expected 5 fields as in the header, found 6");
}

static void
test_multi_host_file_keeps_order_per_host(void **state)
{
	struct samples_stats st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(read_samples("fleet", HEAD
	    "ts,interval_s,host,cpu_busy_pct\n"
	    T0 ",60,a,1\n" T0 ",60,b,2\n" T1 ",60,a,3\n" T0 ",60,c,4\n"
	    T1 ",60,b,5\n" T1 ",60,b,6\n" T2 ",60,a,7\n", &g, &st), 0);
	assert_true(g.has_host);
	/* the same time on two hosts is not a duplicate */
	assert_int_equal(g.n, 6);
	assert_string_equal(g.rows[0].host, "a");
	assert_string_equal(g.rows[1].host, "b");
	assert_string_equal(g.rows[3].host, "c");
	assert_true(g.rows[3].ts_ms == T0_MS);
	assert_string_equal(g.rows[5].host, "a");
	assert_near(g.rows[5].v[METRIC_CPU_BUSY_PCT], 7, 0);
	assert_int_equal(st.dup_skipped, 1);
	assert_int_equal(st.dup_first_line, 8);
}

static void
test_multi_host_out_of_order_names_host(void **state)
{
	(void)state;
	assert_read_error(HEAD "ts,interval_s,host,cpu_busy_pct\n"
	    T1 ",60,a,1\n" T0 ",60,b,2\n" T0 ",60,a,3\n", "5: ",
	    "for host 'a'");
}

static void
test_multi_host_empty_host_refused(void **state)
{
	(void)state;
	assert_read_error(HEAD "ts,interval_s,host,cpu_busy_pct\n"
	    T0 ",60,a,1\n" T0 ",60,,2\n", "4:3: ",
	    "host: a value is required");
}

static void
test_header_only_file_has_no_rows(void **state)
{
	struct samples_stats st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(read_samples("empty", HEAD COLS, &g, &st), 0);
	assert_int_equal(g.headers, 1);
	assert_int_equal(g.n, 0);
	assert_int_equal(st.rows, 0);
	assert_int_equal(g.ncolumns, 5);
	assert_string_equal(g.columns[4], "mem_used_mib");
}

static void
test_empty_file_refused(void **state)
{
	(void)state;
	assert_read_error("", " ", "empty file");
	assert_read_error(HEAD, " ", "no header line after the format record");
}

static void
test_wrong_format_refused(void **state)
{
	struct got g = { 0 };

	(void)state;
	assert_read_error("capplan-inventory,1\nhost\n", "1:1: ",
	    "expected a samples file");
	assert_read_error(COLS T0 ",60,1,2,1\n", "1: ", "not a capplan file");
	assert_int_equal(read_samples("v2", "capplan-samples,2\n" COLS, &g,
	    NULL), -1);
	assert_int_equal(error_last_kind(), ERROR_UNSUPPORTED);
	assert_int_equal(g.headers, 0);
}

static void
test_extra_columns_listed(void **state)
{
	struct got g = { 0 };

	(void)state;
	assert_int_equal(read_samples("extra", HEAD
	    "colour,ts,interval_s,cpu_busy_pct,flags,gpu_busy_pct\n"
	    "red," T0 ",60,5,restart,99\n", &g, NULL), 0);
	assert_int_equal(g.nextra, 2);
	assert_string_equal(g.extra[0], "colour");
	assert_string_equal(g.extra[1], "gpu_busy_pct");
	assert_true(g.has_flags);
	assert_int_equal(g.ncolumns, 6);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rows[0].flags, "restart");
	assert_near(g.rows[0].v[METRIC_CPU_BUSY_PCT], 5, 0);
}

static void
test_row_function_error_stops_reading(void **state)
{
	struct got g = { 0 };

	(void)state;
	g.fail_row = 2;
	assert_int_equal(read_samples("stop", HEAD COLS T0 ",60,1,2,1\n"
	    T1 ",60,1,2,1\n" T2 ",60,1,2,1\n", &g, NULL), -1);
	assert_int_equal(g.n, 2);
	assert_string_equal(error_last_msg(), "row function stops at 2");
}

static void
test_missing_file_is_io_error(void **state)
{
	struct got g = { 0 };

	(void)state;
	error_clear();
	assert_int_equal(samples_read("/nonexistent/x.samples.csv", &ops, &g,
	    NULL), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
}

static void
test_write_head_and_rows_read_back_equal(void **state)
{
	static const int metrics[] = { METRIC_CPU_BUSY_PCT,
	    METRIC_MEM_TOTAL_MIB, METRIC_MEM_USED_MIB, METRIC_DISK_BUSY_PCT,
	    METRIC_NET_RX_KIBPS };
	struct sample in[3];
	struct got g = { 0 };
	struct csv_line l;
	bool has[METRIC_N] = { false };
	size_t i, k;
	FILE *fp;
	int m;

	(void)state;
	for (k = 0; k < sizeof(metrics) / sizeof(metrics[0]); k++)
		has[metrics[k]] = true;
	for (i = 0; i < 3; i++) {
		memset(&in[i], 0, sizeof(in[i]));
		in[i].host = i == 1 ? "db, \"main\"" : "web01";
		in[i].ts_ms = T0_MS + (int64_t)i * 60000 + (i == 2 ? 250 : 0);
		in[i].interval_s = i == 2 ? 0.5 : 60;
		for (m = 0; m < METRIC_N; m++)
			in[i].v[m] = NAN;
		in[i].v[METRIC_CPU_BUSY_PCT] = 12.25 * (double)(i + 1);
		in[i].v[METRIC_MEM_TOTAL_MIB] = 16384;
		in[i].v[METRIC_MEM_USED_MIB] = i == 1 ? NAN : 8000.5;
		in[i].v[METRIC_DISK_BUSY_PCT] = 0;
		in[i].v[METRIC_NET_RX_KIBPS] = 1234.56;
		/* a metric not written: must come back as NaN */
		in[i].v[METRIC_CPU_STEAL_PCT] = 3;
	}
	csv_line_init(&l);
	samples_write_head(&l, has, true);
	assert_string_equal(l.sb.buf, "capplan-samples,1\nts,interval_s,host,"
	    "cpu_busy_pct,mem_total_mib,mem_used_mib,disk_busy_pct,"
	    "net_rx_kibps\n");
	for (i = 0; i < 3; i++)
		samples_write_row(&l, &in[i], has, true);
	snprintf(path, sizeof(path), "%s", test_write_file("rt",
	    ".samples.csv", ""));
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(csv_line_flush(&l, fp, path), 0);
	fclose(fp);
	csv_line_release(&l);
	assert_int_equal(samples_read(path, &ops, &g, NULL), 0);
	unlink(path);
	assert_int_equal(g.n, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(g.rows[i].host, in[i].host);
		assert_true(g.rows[i].ts_ms == in[i].ts_ms);
		assert_near(g.rows[i].interval_s, in[i].interval_s, 0);
		for (m = 0; m < METRIC_N; m++) {
			if (!has[m] || isnan(in[i].v[m]))
				assert_true(isnan(g.rows[i].v[m]));
			else
				assert_near(g.rows[i].v[m], in[i].v[m], 1e-9);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_rows_with_host_from_file_stem),
		cmocka_unit_test(test_host_from_path),
		cmocka_unit_test(test_metric_find),
		cmocka_unit_test(test_missing_required_column),
		cmocka_unit_test(test_duplicate_column),
		cmocka_unit_test(test_bad_ts),
		cmocka_unit_test(test_ts_without_time_zone),
		cmocka_unit_test(test_interval_must_be_a_millisecond_to_a_week),
		cmocka_unit_test(test_non_numeric_metric),
		cmocka_unit_test(test_nan_text_refused),
		cmocka_unit_test(test_negative_metric),
		cmocka_unit_test(test_percent_over_100),
		cmocka_unit_test(test_mem_used_over_total),
		cmocka_unit_test(test_mem_peak_over_total),
		cmocka_unit_test(test_counts_must_be_whole),
		cmocka_unit_test(test_duplicate_timestamp_skipped_first_kept),
		cmocka_unit_test(test_out_of_order_is_error),
		cmocka_unit_test(test_truncated_last_line_skipped),
		cmocka_unit_test(test_long_last_line_is_error_not_truncation),
		cmocka_unit_test(test_complete_last_line_without_newline_kept),
		cmocka_unit_test(test_wrong_field_count_in_middle_is_error),
		cmocka_unit_test(test_multi_host_file_keeps_order_per_host),
		cmocka_unit_test(test_multi_host_out_of_order_names_host),
		cmocka_unit_test(test_multi_host_empty_host_refused),
		cmocka_unit_test(test_header_only_file_has_no_rows),
		cmocka_unit_test(test_empty_file_refused),
		cmocka_unit_test(test_wrong_format_refused),
		cmocka_unit_test(test_extra_columns_listed),
		cmocka_unit_test(test_row_function_error_stops_reading),
		cmocka_unit_test(test_missing_file_is_io_error),
		cmocka_unit_test(test_write_head_and_rows_read_back_equal),
	};

	return cmocka_run_group_tests_name("samples", tests, NULL, NULL);
}
