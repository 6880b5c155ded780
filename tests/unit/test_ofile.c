/*
 * test_ofile.c - output files that appear whole or not at all
 * (common/ofile.c).  Each test works in a fresh directory under $TMPDIR,
 * so "no temporary file left" is a count of the directory's entries.
 */
#define _DEFAULT_SOURCE		/* mknod, makedev, symlink */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

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

/* the target became a directory after the open: rename(2) fails, and
 * the commit cleans up */
static void
test_failed_commit_leaves_no_temporary(void **state)
{
	struct ofile *of;
	struct stat st;
	char sub[700];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	of = ofile_open(sub);
	assert_non_null(of);
	assert_int_equal(mkdir(sub, 0755), 0);
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
test_directory_is_refused(void **state)
{
	char sub[700];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	error_clear();
	assert_null(ofile_open(sub));
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "/sub': it is a directory"));
	assert_int_equal(entries(), 1);
	assert_int_equal(rmdir(sub), 0);
}

/*
 * A null device made here (mknod needs root: skipped otherwise) is
 * written, not replaced: renaming over /dev/null as root turns the
 * machine's null device into a regular file.
 */
static void
test_character_device_is_written_not_replaced(void **state)
{
	struct ofile *of;
	struct stat st;

	(void)state;
	if (mknod(target, S_IFCHR | 0666, makedev(1, 3)) == -1)
		skip();
	of = ofile_open(target);
	assert_non_null(of);
	assert_null(of->tmp);
	fputs("{\"plan\": 1}\n", of->fp);
	assert_int_equal(entries(), 1);
	assert_int_equal(ofile_commit(of), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(major(st.st_rdev), 1);
	assert_int_equal(minor(st.st_rdev), 3);
	assert_int_equal(ofile_write_all(target, "x", 1), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(entries(), 1);
}

static void
test_block_device_is_refused(void **state)
{
	struct stat st;

	(void)state;
	if (mknod(target, S_IFBLK | 0600, makedev(7, 0)) == -1)
		skip();
	error_clear();
	assert_null(ofile_open(target));
	assert_non_null(strstr(error_last_msg(), "it is a block device"));
	assert_int_equal(stat(target, &st), 0);
	assert_true(S_ISBLK(st.st_mode));
	assert_int_equal(entries(), 1);
}

static void
test_fifo_is_written_not_replaced(void **state)
{
	struct ofile *of;
	struct stat st;
	char buf[64];
	ssize_t n;
	int rd;

	(void)state;
	assert_int_equal(mkfifo(target, 0600), 0);
	/* a reader first, so the open for writing does not wait */
	rd = open(target, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	of = ofile_open(target);
	assert_non_null(of);
	fputs("through the pipe\n", of->fp);
	assert_int_equal(ofile_commit(of), 0);
	n = read(rd, buf, sizeof(buf) - 1);
	assert_int_equal(n, 17);
	buf[n] = '\0';
	assert_string_equal(buf, "through the pipe\n");
	close(rd);
	assert_int_equal(stat(target, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(entries(), 1);
}

static void
test_socket_is_connected_to(void **state)
{
	struct sockaddr_un sa;
	struct ofile *of;
	char buf[64];
	ssize_t n;
	int ls, c;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(target) >= sizeof(sa.sun_path))
		skip();
	strcpy(sa.sun_path, target);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 1), 0);
	/* no connection must fail the test, not hang it */
	assert_int_equal(fcntl(ls, F_SETFL, O_NONBLOCK), 0);
	of = ofile_open(target);
	assert_non_null(of);
	c = accept(ls, NULL, NULL);
	assert_true(c >= 0);
	fputs("to a socket\n", of->fp);
	assert_int_equal(ofile_commit(of), 0);
	n = read(c, buf, sizeof(buf) - 1);
	assert_int_equal(n, 12);
	buf[n] = '\0';
	assert_string_equal(buf, "to a socket\n");
	close(c);
	close(ls);
	assert_int_equal(entries(), 1);
}

/* /dev/fd/N of a file the shell opened with '>>': appended to, not
 * replaced behind the descriptor */
static void
test_descriptor_path_is_written_through(void **state)
{
	struct ofile *of;
	char fdpath[64];
	int fd;

	(void)state;
	write_file(target, "old\n");
	fd = open(target, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fd);
	of = ofile_open(fdpath);
	assert_non_null(of);
	assert_null(of->tmp);
	fputs("new\n", of->fp);
	assert_int_equal(ofile_commit(of), 0);
	close(fd);
	assert_contents(target, "old\nnew\n");
	assert_int_equal(entries(), 1);
}

/* a link to a regular file stays a link; the file it names is replaced */
static void
test_symlink_stays_a_link(void **state)
{
	char real[700];
	struct stat st;

	(void)state;
	snprintf(real, sizeof(real), "%s/real.json", dir);
	write_file(real, "old\n");
	assert_int_equal(symlink("real.json", target), 0);
	assert_int_equal(ofile_write_all(target, "new\n", 4), 0);
	assert_int_equal(lstat(target, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_contents(real, "new\n");
	assert_int_equal(entries(), 2);
}

static void
test_existing_file_keeps_its_mode(void **state)
{
	struct stat st;

	(void)state;
	write_file(target, "old\n");
	assert_int_equal(chmod(target, 0640), 0);
	assert_int_equal(ofile_write_all(target, "new\n", 4), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
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
		cmocka_unit_test_setup_teardown(test_directory_is_refused,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_character_device_is_written_not_replaced, make_dir,
		    remove_dir),
		cmocka_unit_test_setup_teardown(test_block_device_is_refused,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_fifo_is_written_not_replaced,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_socket_is_connected_to,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_descriptor_path_is_written_through, make_dir,
		    remove_dir),
		cmocka_unit_test_setup_teardown(test_symlink_stays_a_link,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_existing_file_keeps_its_mode,
		    make_dir, remove_dir),
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
