/*
 * test_error.c - report-once error recording (common/error.c).
 */
#include <errno.h>
#include <pthread.h>

#include "tests/unit/testlib.h"

#include "common/error.h"

#define MSG_MAX 1023		/* error.c keeps 1 KiB with the NUL */

static void
test_set_records_kind_and_message(void **state)
{
	(void)state;
	error_clear();
	assert_int_equal(error_set(ERROR_MODEL, "fit for '%s' failed: %d",
	    "web01", 7), -1);
	assert_int_equal(error_last_kind(), ERROR_MODEL);
	assert_string_equal(error_last_msg(), "fit for 'web01' failed: 7");
	/* the last one wins */
	error_set(ERROR_USAGE, "second");
	assert_int_equal(error_last_kind(), ERROR_USAGE);
	assert_string_equal(error_last_msg(), "second");
}

static void
test_clear_forgets_the_error(void **state)
{
	(void)state;
	error_set(ERROR_IO, "something");
	error_clear();
	assert_int_equal(error_last_kind(), ERROR_NONE);
	assert_string_equal(error_last_msg(), "unknown error");
}

static void
test_at_with_line_and_column(void **state)
{
	(void)state;
	assert_int_equal(error_at(ERROR_DATA, "web01.csv", 12, 3,
	    "cpu_busy_pct: '%s' is negative", "-1"), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(),
	    "web01.csv:12:3: cpu_busy_pct: '-1' is negative");
}

static void
test_at_with_line_only(void **state)
{
	(void)state;
	error_at(ERROR_DATA, "inv.csv", 4, 0, "host '%s' appears twice", "a");
	assert_string_equal(error_last_msg(),
	    "inv.csv:4: host 'a' appears twice");
}

static void
test_at_without_line(void **state)
{
	(void)state;
	error_at(ERROR_DATA, "inv.csv", 0, 0, "empty file");
	assert_string_equal(error_last_msg(), "inv.csv: empty file");
	/* no line means no column either */
	error_at(ERROR_UNSUPPORTED, "inv.csv", 0, 5, "x");
	assert_string_equal(error_last_msg(), "inv.csv: x");
	assert_int_equal(error_last_kind(), ERROR_UNSUPPORTED);
}

static void
test_set_errno_appends_strerror(void **state)
{
	char want[300];

	(void)state;
	snprintf(want, sizeof(want), "cannot open 'x.csv': %s",
	    strerror(ENOENT));
	errno = ENOENT;
	assert_int_equal(error_set_errno(ERROR_IO, "cannot open '%s'",
	    "x.csv"), -1);
	assert_string_equal(error_last_msg(), want);
	assert_int_equal(error_last_kind(), ERROR_IO);
	/* errno is kept for the caller */
	assert_int_equal(errno, ENOENT);
	errno = EACCES;
	error_set_errno(ERROR_IO, "cannot write");
	snprintf(want, sizeof(want), "cannot write: %s", strerror(EACCES));
	assert_string_equal(error_last_msg(), want);
}

static char *
filled(size_t n, char c)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
test_long_message_truncated_at_1k(void **state)
{
	char *big = filled(5000, 'm');

	(void)state;
	error_set(ERROR_DATA, "%s", big);
	assert_int_equal(strlen(error_last_msg()), MSG_MAX);
	assert_int_equal(strncmp(error_last_msg(), big, MSG_MAX), 0);
	free(big);
}

static void
test_long_errno_message_truncated(void **state)
{
	char *big = filled(MSG_MAX - 2, 'e');

	(void)state;
	/* the message nearly fills the buffer: the suffix is cut short */
	errno = ENOENT;
	error_set_errno(ERROR_IO, "%s", big);
	assert_int_equal(strlen(error_last_msg()), MSG_MAX);
	assert_int_equal(strncmp(error_last_msg(), big, MSG_MAX - 2), 0);
	assert_int_equal(strncmp(error_last_msg() + MSG_MAX - 2, ": ", 2), 0);
	free(big);
	big = filled(3000, 'f');
	error_set_errno(ERROR_IO, "%s", big);
	assert_int_equal(strlen(error_last_msg()), MSG_MAX);
	free(big);
}

static void
test_long_path_truncated(void **state)
{
	char *big = filled(2000, 'p');

	(void)state;
	error_at(ERROR_DATA, big, 10, 2, "bad %s", "cell");
	assert_true(strlen(error_last_msg()) <= MSG_MAX);
	assert_int_equal(strncmp(error_last_msg(), big, 500), 0);
	error_at(ERROR_DATA, "short.csv", 10, 2, "%s", big);
	assert_int_equal(strlen(error_last_msg()), MSG_MAX);
	assert_int_equal(strncmp(error_last_msg(), "short.csv:10:2: ppp",
	    19), 0);
	free(big);
}

static void *
thread_sets_error(void *arg)
{
	(void)arg;
	error_set(ERROR_BACKEND, "in the thread");
	return (void *)(uintptr_t)(strcmp(error_last_msg(), "in the thread") ==
	    0);
}

static void
test_last_error_is_per_thread(void **state)
{
	pthread_t t;
	void *ok = NULL;

	(void)state;
	error_set(ERROR_DATA, "in main");
	assert_int_equal(pthread_create(&t, NULL, thread_sets_error, NULL), 0);
	assert_int_equal(pthread_join(t, &ok), 0);
	assert_true(ok != NULL);
	assert_string_equal(error_last_msg(), "in main");
	assert_int_equal(error_last_kind(), ERROR_DATA);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_records_kind_and_message),
		cmocka_unit_test(test_clear_forgets_the_error),
		cmocka_unit_test(test_at_with_line_and_column),
		cmocka_unit_test(test_at_with_line_only),
		cmocka_unit_test(test_at_without_line),
		cmocka_unit_test(test_set_errno_appends_strerror),
		cmocka_unit_test(test_long_message_truncated_at_1k),
		cmocka_unit_test(test_long_errno_message_truncated),
		cmocka_unit_test(test_long_path_truncated),
		cmocka_unit_test(test_last_error_is_per_thread),
	};

	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
