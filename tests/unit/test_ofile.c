/*
 * test_ofile.c - output files that appear whole or not at all
 * (common/ofile.c).  Each test works in a fresh directory under $TMPDIR,
 * so "no temporary file left" is a count of the directory's entries.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/ofile.h"

static char dir[512];
static char target[600];

static int
make_dir(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capplan-ofile-%ld-XXXXXX",
	    t != NULL ? t : "/tmp", (long)getpid());
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(target, sizeof(target), "%s/report.json", dir);
	return 0;
}

static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Remove every file in the test directory, then the directory. */
static int
remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[1200];

	(void)state;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	return rmdir(dir);
}

static void
assert_contents(const char *p, const char *want)
{
	char buf[256];
	FILE *fp = fopen(p, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf, want);
}

static void
write_file(const char *p, const char *text)
{
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_commit_renames_into_place(void **state)
{
	struct ofile *of;
	struct stat st;
	char tmp[700];

	(void)state;
	of = ofile_open(target);
	assert_non_null(of);
	assert_non_null(of->tmp);
	assert_string_equal(of->path, target);
	/* the temporary sits beside the target and is named after it */
	assert_int_equal(strncmp(of->tmp, target, strlen(target)), 0);
	assert_int_equal(strncmp(of->tmp + strlen(target), ".tmp-", 5), 0);
	snprintf(tmp, sizeof(tmp), "%s", of->tmp);
	fputs("{\"ok\": true}\n", of->fp);
	/* nothing under the final name before the commit */
	assert_int_equal(stat(target, &st), -1);
	assert_int_equal(stat(tmp, &st), 0);
	assert_int_equal(ofile_commit(of), 0);
	assert_contents(target, "{\"ok\": true}\n");
	assert_int_equal(stat(tmp, &st), -1);
	assert_int_equal(entries(), 1);
}

static void
test_commit_replaces_old_file_only_at_commit(void **state)
{
	struct ofile *of;

	(void)state;
	write_file(target, "old\n");
	of = ofile_open(target);
	assert_non_null(of);
	fputs("new\n", of->fp);
	fflush(of->fp);
	assert_contents(target, "old\n");
	assert_int_equal(ofile_commit(of), 0);
	assert_contents(target, "new\n");
	assert_int_equal(entries(), 1);
}

static void
test_commit_gives_umask_permissions(void **state)
{
	struct ofile *of;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	of = ofile_open(target);
	assert_non_null(of);
	assert_int_equal(ofile_commit(of), 0);
	umask(old);
	assert_int_equal(stat(target, &st), 0);
	/* not mkstemp's 0600: an ordinary file for the reader */
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(st.st_size, 0);
}

static void
test_abort_leaves_no_file(void **state)
{
	struct ofile *of;

	(void)state;
	of = ofile_open(target);
	assert_non_null(of);
	fputs("half a report", of->fp);
	assert_int_equal(entries(), 1);	/* the temporary */
	ofile_abort(of);
	assert_int_equal(entries(), 0);
	ofile_abort(NULL);
}

static void
test_abort_keeps_old_file(void **state)
{
	struct ofile *of;

	(void)state;
	write_file(target, "old\n");
	of = ofile_open(target);
	assert_non_null(of);
	fputs("new\n", of->fp);
	ofile_abort(of);
	assert_contents(target, "old\n");
	assert_int_equal(entries(), 1);
}

static void
test_open_in_missing_directory_fails(void **state)
{
	char p[700];

	(void)state;
	snprintf(p, sizeof(p), "%s/no/such/dir/out.csv", dir);
	error_clear();
	assert_null(ofile_open(p));
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "cannot create '"));
	assert_non_null(strstr(error_last_msg(), "/no/such/dir/out.csv'"));
	assert_non_null(strstr(error_last_msg(), strerror(ENOENT)));
	assert_int_equal(entries(), 0);
}

/* rename(2) cannot put a file over a directory: commit fails cleanly */
static void
test_failed_commit_leaves_no_temporary(void **state)
{
	struct ofile *of;
	struct stat st;
	char sub[700];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	of = ofile_open(sub);
	assert_non_null(of);
	fputs("data\n", of->fp);
	assert_int_equal(entries(), 2);		/* sub and the temporary */
	error_clear();
	assert_int_equal(ofile_commit(of), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "cannot rename '"));
	assert_int_equal(entries(), 1);
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(rmdir(sub), 0);
}

static void
test_write_all_writes_whole_file(void **state)
{
	(void)state;
	assert_int_equal(ofile_write_all(target, "a,b\n1,2\n", 8), 0);
	assert_contents(target, "a,b\n1,2\n");
	assert_int_equal(ofile_write_all(target, "", 0), 0);
	assert_contents(target, "");
	assert_int_equal(entries(), 1);
}

static void
test_write_all_into_missing_directory_fails(void **state)
{
	char p[700];

	(void)state;
	snprintf(p, sizeof(p), "%s/missing/out.csv", dir);
	error_clear();
	assert_int_equal(ofile_write_all(p, "x", 1), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_int_equal(entries(), 0);
}

static void
test_dash_is_stdout(void **state)
{
	struct ofile *of;

	(void)state;
	of = ofile_open("-");
	assert_non_null(of);
	assert_ptr_equal(of->fp, stdout);
	assert_null(of->tmp);
	assert_int_equal(ofile_commit(of), 0);
	assert_int_equal(entries(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_renames_into_place,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_commit_replaces_old_file_only_at_commit, make_dir,
		    remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_commit_gives_umask_permissions, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_abort_leaves_no_file,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_abort_keeps_old_file,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_open_in_missing_directory_fails, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_failed_commit_leaves_no_temporary, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_write_all_writes_whole_file,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_write_all_into_missing_directory_fails, make_dir,
		    remove_dir),
		cmocka_unit_test_setup_teardown(test_dash_is_stdout, make_dir,
		    remove_dir),
	};

	return cmocka_run_group_tests_name("ofile", tests, NULL, NULL);
}
