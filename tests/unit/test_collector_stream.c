/*
 * test_collector_stream.c - the collector's durable writer (stream.c).
 *
 * Files are real files in a directory under $TMPDIR, and what is written
 * is read back with the real samples reader (samples_read), so "the file
 * parses" means what capplan means by it.  A full disk is imitated with
 * RLIMIT_FSIZE (writes past it fail with EFBIG, as ENOSPC would fail
 * them); the real ENOSPC test is tests/collector/enospc.sh on a tmpfs.
 */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "collector/output.h"
#include "collector/stream.h"
#include "common/error.h"
#include "common/num.h"
#include "common/samples.h"

#define HEAD "capplan-samples,1\nts,interval_s,host,flags,cpu_busy_pct\n"
#define DAY_MS 86400000LL
#define T0_MS 1795687200000LL		/* 2026-11-26T10:00:00Z */

static char dir[256];
static int dirfd_;
static char notes[4096];

static void
note(void *ctx, const char *msg)
{
	size_t n = strlen(notes);

	(void)ctx;
	snprintf(notes + n, sizeof(notes) - n, "%s\n", msg);
}

static const struct notifier notifier = { note, NULL, false };

static int
setup(void **state)
{
	static int n;
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/stream-%ld-%d", tmp != NULL ? tmp :
	    "/tmp", (long)getpid(), n++);
	mkdir(dir, 0755);
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
	notes[0] = '\0';
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(dirfd_);
	return 0;
}

static char *
slurp(const char *name)
{
	static char buf[8192];
	char path[512];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
spit(const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static bool
exists(const char *name)
{
	return faccessat(dirfd_, name, F_OK, 0) == 0;
}

static int
count_row(const struct sample *s, void *ctx)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

/* rows of name read by capplan's samples reader; -1 if it refuses it */
static int
rows_of(const char *name)
{
	struct samples_ops ops = { NULL, count_row };
	char path[512];
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (samples_read(path, &ops, &n, NULL) == -1)
		return -1;
	return n;
}

/* put a row "ts,60,h,<flags>,<busy>" */
static void
put(struct stream *s, long long ts_ms, const char *busy)
{
	char head[64], tail[32];
	char ts[TIME_RFC3339_LEN];

	time_format_rfc3339(ts_ms, ts);
	snprintf(head, sizeof(head), "%s,60,h,", ts);
	snprintf(tail, sizeof(tail), ",%s\n", busy);
	assert_int_equal(stream_put(s, ts_ms, head, "", tail), 0);
}

static void
test_rows_append_and_close_renames(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s, "samples", HEAD, dirfd_, 10, &notifier);
	put(&s, T0_MS, "1.00");
	put(&s, T0_MS + 60000, "2.00");
	assert_true(exists("samples-20261126.csv.part"));
	assert_int_equal(rows_of("samples-20261126.csv.part"), 2);
	stream_close(&s);
	assert_false(exists("samples-20261126.csv.part"));
	assert_string_equal(slurp("samples-20261126.csv"), HEAD
	    "2026-11-26T10:00:00Z,60,h,,1.00\n"
	    "2026-11-26T10:01:00Z,60,h,,2.00\n");
}

static void
test_torn_last_line_is_cut_and_rows_go_on(void **state)
{
	struct stream s;

	(void)state;
	/* a collector killed in the middle of its write() */
	spit("samples-20261126.csv.part", HEAD
	    "2026-11-26T10:00:00Z,60,h,,1.00\n2026-11-26T10:01:00Z,60,h");
	assert_int_equal(stream_recover(dirfd_, "samples", HEAD,
	    T0_MS / DAY_MS, &notifier), 0);
	assert_non_null(strstr(notes, "cut 25 bytes of a torn last line"));
	stream_init(&s, "samples", HEAD, dirfd_, 10, &notifier);
	put(&s, T0_MS + 120000, "3.00");
	stream_close(&s);
	assert_string_equal(slurp("samples-20261126.csv"), HEAD
	    "2026-11-26T10:00:00Z,60,h,,1.00\n"
	    "2026-11-26T10:02:00Z,60,h,,3.00\n");
	assert_int_equal(rows_of("samples-20261126.csv"), 2);
}

static void
test_recover_finishes_earlier_days(void **state)
{
	(void)state;
	spit("samples-20261125.csv.part", HEAD
	    "2026-11-25T23:59:00Z,60,h,,1.00\n2026-11-25T2");
	spit("samples-20261124.csv.part", "capplan-sam");	/* empty head */
	spit("samples-20261123.csv.part", "garbage with no newline");
	spit("samples-20261126.csv.part", HEAD);		/* today's */
	spit("disk-20261125.csv.part", "not ours\n");
	assert_int_equal(stream_recover(dirfd_, "samples", HEAD,
	    T0_MS / DAY_MS, &notifier), 0);
	assert_string_equal(slurp("samples-20261125.csv"), HEAD
	    "2026-11-25T23:59:00Z,60,h,,1.00\n");
	assert_false(exists("samples-20261124.csv.part"));
	assert_false(exists("samples-20261124.csv"));
	assert_true(exists("samples-20261123.csv.corrupt"));
	assert_true(exists("samples-20261126.csv.part"));
	assert_true(exists("disk-20261125.csv.part"));	/* another prefix */
}

static void
test_day_change_rotates(void **state)
{
	struct stream s;
	long long midnight = (T0_MS / DAY_MS + 1) * DAY_MS;

	(void)state;
	stream_init(&s, "samples", HEAD, dirfd_, 10, &notifier);
	put(&s, midnight - 60000, "1.00");
	put(&s, midnight, "2.00");
	/* the day that ended is renamed at once, the new one is open */
	assert_true(exists("samples-20261126.csv"));
	assert_true(exists("samples-20261127.csv.part"));
	stream_close(&s);
	assert_int_equal(rows_of("samples-20261126.csv"), 1);
	assert_int_equal(rows_of("samples-20261127.csv"), 1);
}

static void
test_clock_set_back_starts_a_new_file(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s, "samples", HEAD, dirfd_, 10, &notifier);
	put(&s, T0_MS, "1.00");
	put(&s, T0_MS - 300000, "2.00");
	stream_close(&s);
	assert_int_equal(rows_of("samples-20261126.csv"), 1);
	assert_int_equal(rows_of("samples-20261126-2.csv"), 1);
}

static void
test_part_of_another_layout_is_not_appended_to(void **state)
{
	struct stream s;
	const char *old = "capplan-samples,1\nts,interval_s,cpu_busy_pct\n"
	    "2026-11-26T09:00:00Z,60,5\n";

	(void)state;
	spit("samples-20261126.csv", "an earlier file of the day\n");
	spit("samples-20261126.csv.part", old);
	stream_init(&s, "samples", HEAD, dirfd_, 10, &notifier);
	put(&s, T0_MS, "1.00");
	stream_close(&s);
	/* never overwritten, never truncated */
	assert_string_equal(slurp("samples-20261126.csv"),
	    "an earlier file of the day\n");
	assert_string_equal(slurp("samples-20261126-2.csv"), old);
	assert_int_equal(rows_of("samples-20261126-3.csv"), 1);
	assert_non_null(strstr(notes, "another layout"));
}

static void
set_fsize(rlim_t n)
{
	struct rlimit rl;

	getrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = n;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void
test_failed_writes_wait_in_memory_and_are_backfilled(void **state)
{
	struct stream s;
	size_t full = strlen(HEAD) + 2 * strlen("2026-11-26T10:00:00Z,60,h,,1.00\n");
	char *text;

	(void)state;
	signal(SIGXFSZ, SIG_IGN);
	stream_init(&s, "samples", HEAD, dirfd_, 3, &notifier);
	put(&s, T0_MS, "1.00");
	set_fsize(full + 10);		/* room for one more row only */
	put(&s, T0_MS + 60000, "2.00");
	put(&s, T0_MS + 120000, "3.00");	/* fails: held */
	put(&s, T0_MS + 180000, "4.00");
	put(&s, T0_MS + 240000, "5.00");
	put(&s, T0_MS + 300000, "6.00");	/* 3 held: 3.00 dropped */
	assert_int_equal(s.qlen, 3);
	assert_non_null(strstr(notes, "File too large"));
	assert_non_null(strstr(notes, "dropping the oldest"));
	/* nothing half-written: the file still parses, 2 rows */
	assert_int_equal(rows_of("samples-20261126.csv.part"), 2);
	set_fsize(RLIM_INFINITY);
	put(&s, T0_MS + 360000, "7.00");
	assert_int_equal(s.qlen, 0);
	stream_close(&s);
	text = slurp("samples-20261126.csv");
	assert_non_null(strstr(text, "10:01:00Z,60,h,,2.00\n"
	    "2026-11-26T10:03:00Z,60,h,backfill;dropped=1,4.00\n"
	    "2026-11-26T10:04:00Z,60,h,backfill,5.00\n"
	    "2026-11-26T10:05:00Z,60,h,backfill,6.00\n"
	    "2026-11-26T10:06:00Z,60,h,,7.00\n"));
	assert_int_equal(rows_of("samples-20261126.csv"), 6);
	assert_non_null(strstr(notes, "writable again"));
}

/* --sync-interval 60 with 5 s rows: the first row synced at once, then
 * one fdatasync a minute; rows written in between stay queued */
static void
test_rows_are_synced_once_a_minute(void **state)
{
	struct stream s;
	int k;

	(void)state;
	stream_init(&s, "samples", HEAD, dirfd_, 100, &notifier);
	s.sync_ms = 60000;
	put(&s, T0_MS, "0.00");
	assert_int_equal(s.qlen, 0);
	for (k = 1; k < 12; k++)
		put(&s, T0_MS + 5000 * k, "1.00");
	assert_int_equal(s.qlen, 11);		/* written, not yet synced */
	assert_int_equal(s.nwritten, 11);
	assert_int_equal(rows_of("samples-20261126.csv.part"), 12);
	put(&s, T0_MS + 60000, "2.00");
	assert_int_equal(s.qlen, 0);
	assert_int_equal(s.good, (off_t)strlen(slurp(
	    "samples-20261126.csv.part")));
	put(&s, T0_MS + 65000, "3.00");
	assert_int_equal(s.qlen, 1);
	stream_close(&s);			/* synced before it is closed */
	assert_int_equal(rows_of("samples-20261126.csv"), 14);
}

/* a write failing after rows written but not synced: the file is cut
 * back to its last synced row and every queued row written again */
static void
test_unsynced_rows_are_written_again_after_a_failure(void **state)
{
	struct stream s;
	size_t row = strlen("2026-11-26T10:00:00Z,60,h,,1.00\n");
	char *text;

	(void)state;
	signal(SIGXFSZ, SIG_IGN);
	stream_init(&s, "samples", HEAD, dirfd_, 100, &notifier);
	s.sync_ms = 60000;
	put(&s, T0_MS, "1.00");			/* synced */
	put(&s, T0_MS + 5000, "2.00");
	put(&s, T0_MS + 10000, "3.00");
	set_fsize(strlen(HEAD) + 3 * row + 10);
	put(&s, T0_MS + 15000, "4.00");		/* fails: cut back */
	assert_int_equal(s.qlen, 3);
	assert_int_equal(s.nwritten, 0);
	assert_int_equal(rows_of("samples-20261126.csv.part"), 1);
	set_fsize(RLIM_INFINITY);
	put(&s, T0_MS + 60000, "5.00");
	assert_int_equal(s.qlen, 0);
	stream_close(&s);
	text = slurp("samples-20261126.csv");
	assert_non_null(strstr(text, "10:00:00Z,60,h,,1.00\n"
	    "2026-11-26T10:00:05Z,60,h,backfill,2.00\n"
	    "2026-11-26T10:00:10Z,60,h,backfill,3.00\n"
	    "2026-11-26T10:00:15Z,60,h,backfill,4.00\n"
	    "2026-11-26T10:01:00Z,60,h,,5.00\n"));
	assert_int_equal(rows_of("samples-20261126.csv"), 5);
}

/* once the file is writable again the rows held are synced at once (and
 * the recovery said), not a sync interval later: with the interval alone
 * they stayed queued and tests/collector/enospc.sh waited in vain */
static void
test_rows_held_through_a_failure_are_synced_at_once(void **state)
{
	struct stream s;
	size_t row = strlen("2026-11-26T10:00:00Z,60,h,,1.00\n");

	(void)state;
	signal(SIGXFSZ, SIG_IGN);
	stream_init(&s, "samples", HEAD, dirfd_, 100, &notifier);
	s.sync_ms = 60000;
	put(&s, T0_MS, "1.00");			/* synced */
	set_fsize(strlen(HEAD) + row + 10);
	put(&s, T0_MS + 5000, "2.00");		/* fails */
	assert_int_equal(s.qlen, 1);
	assert_int_not_equal(s.failing, 0);
	set_fsize(RLIM_INFINITY);
	put(&s, T0_MS + 10000, "3.00");		/* 10 s: not due, but held */
	assert_int_equal(s.qlen, 0);
	assert_int_equal(s.failing, 0);
	assert_int_equal(rows_of("samples-20261126.csv.part"), 3);
	put(&s, T0_MS + 15000, "4.00");		/* back to once a minute */
	assert_int_equal(s.qlen, 1);
	stream_close(&s);
}

/* rows not synced when the day ends go with their day's file */
static void
test_unsynced_rows_are_synced_before_the_day_closes(void **state)
{
	struct stream s;
	long long midnight = (T0_MS / DAY_MS + 1) * DAY_MS;

	(void)state;
	stream_init(&s, "samples", HEAD, dirfd_, 100, &notifier);
	s.sync_ms = 60000;
	put(&s, midnight - 15000, "1.00");
	put(&s, midnight - 10000, "2.00");
	put(&s, midnight - 5000, "3.00");
	assert_int_equal(s.qlen, 2);
	put(&s, midnight, "4.00");
	assert_int_equal(rows_of("samples-20261126.csv"), 3);
	assert_true(exists("samples-20261127.csv.part"));
	stream_close(&s);
	assert_int_equal(rows_of("samples-20261127.csv"), 1);
}

static void
test_unwritable_directory_keeps_rows(void **state)
{
	struct stream s;
	int bad = open("/proc", O_RDONLY | O_DIRECTORY);

	(void)state;
	stream_init(&s, "samples", HEAD, bad, 5, &notifier);
	put(&s, T0_MS, "1.00");
	assert_int_equal(s.qlen, 1);
	assert_non_null(strstr(notes, "cannot write 'samples'"));
	stream_close(&s);
	assert_non_null(strstr(notes, "1 row(s) of 'samples' could not be "
	    "written and are lost"));
	close(bad);
}

/*
 * One collector per directory, even when someone removes a file in it:
 * the lock was on ".lock", and once that was unlinked a second collector
 * took a lock on a new ".lock" and wrote the same day's file (duplicate
 * timestamps).  Now the directory itself is locked.  (flock() locks
 * conflict between two opens in one process, as between two processes.)
 */
static void
test_one_collector_per_directory_even_without_lock_file(void **state)
{
	struct output_cfg cfg = { dir, false, 5, notifier, 0 };
	struct output *a, *b;
	char path[512];

	(void)state;
	a = output_open(&cfg, T0_MS);
	assert_non_null(a);
	assert_null(output_open(&cfg, T0_MS));
	assert_non_null(strstr(error_last_msg(), "another capplan-collect is "
	    "writing to"));
	snprintf(path, sizeof(path), "%s/.lock", dir);
	unlink(path);			/* no lock file to find: still locked */
	assert_null(output_open(&cfg, T0_MS));
	assert_non_null(strstr(error_last_msg(), "another capplan-collect"));
	output_close(a);
	b = output_open(&cfg, T0_MS);	/* the first one is gone */
	assert_non_null(b);
	output_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_rows_append_and_close_renames),
		T(test_torn_last_line_is_cut_and_rows_go_on),
		T(test_recover_finishes_earlier_days),
		T(test_day_change_rotates),
		T(test_clock_set_back_starts_a_new_file),
		T(test_part_of_another_layout_is_not_appended_to),
		T(test_failed_writes_wait_in_memory_and_are_backfilled),
		T(test_rows_are_synced_once_a_minute),
		T(test_unsynced_rows_are_written_again_after_a_failure),
		T(test_rows_held_through_a_failure_are_synced_at_once),
		T(test_unsynced_rows_are_synced_before_the_day_closes),
		T(test_unwritable_directory_keeps_rows),
		T(test_one_collector_per_directory_even_without_lock_file),
	};

	return cmocka_run_group_tests_name("collector_stream", tests, NULL,
	    NULL);
}
