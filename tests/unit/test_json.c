/*
 * test_json.c - the deterministic JSON helpers (common/json.c).
 *
 * Expected roundings follow from round-half-away-from-zero on values that
 * are exact in binary (0.125, 2.5); expected output text from jansson's
 * documented JSON_INDENT(2) layout.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/json.h"

static char path[512];

/* The dump of j alone, for comparing numbers as text. */
static char *
dump(json_t *j)
{
	char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));

	assert_non_null(s);
	return s;
}

static void
assert_real(json_t *j, double want)
{
	assert_non_null(j);
	if (!json_is_real(j))
		fail_msg("not a real (type %d)", (int)json_typeof(j));
	assert_true(json_real_value(j) == want);
	assert_true(signbit(json_real_value(j)) == signbit(want));
	json_decref(j);
}

static void
assert_integer(json_t *j, json_int_t want)
{
	assert_non_null(j);
	if (!json_is_integer(j))
		fail_msg("not an integer (type %d)", (int)json_typeof(j));
	assert_true(json_integer_value(j) == want);
	json_decref(j);
}

static void
assert_null_value(json_t *j)
{
	assert_non_null(j);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void
test_num_rounds_to_decimals(void **state)
{
	(void)state;
	assert_real(json_num(1.23456, 2), 1.23);
	assert_real(json_num(1.23556, 2), 1.24);
	/* halves are exact in binary and go away from zero */
	assert_real(json_num(0.125, 2), 0.13);
	assert_real(json_num(-0.125, 2), -0.13);
	assert_real(json_num(2.0004999, 3), 2.0);
	assert_real(json_num(1234.5678, 1), 1234.6);
}

static void
test_num_without_decimals_is_integer(void **state)
{
	(void)state;
	assert_integer(json_num(7.0, 0), 7);
	assert_integer(json_num(2.5, 0), 3);
	assert_integer(json_num(-2.5, 0), -3);
	assert_integer(json_num(123456789012.4, 0), 123456789012LL);
	assert_integer(json_num(-0.4, 0), 0);
	/* beyond 2^53 a double is not an exact integer: stays real */
	assert_real(json_num(1e300, 0), 1e300);
}

static void
test_num_non_finite_is_null(void **state)
{
	(void)state;
	assert_null_value(json_num(NAN, 2));
	assert_null_value(json_num(INFINITY, 2));
	assert_null_value(json_num(-INFINITY, 0));
}

static void
test_num_negative_zero_is_zero(void **state)
{
	json_t *j;
	char *s;

	(void)state;
	assert_real(json_num(-0.0, 2), 0.0);
	assert_real(json_num(-0.001, 2), 0.0);
	j = json_num(-0.0001, 3);
	s = dump(j);
	assert_null(strchr(s, '-'));
	free(s);
	json_decref(j);
}

static void
test_num_huge_values_stay_numbers(void **state)
{
	(void)state;
	/* v * 10^decimals overflows; the value has no fraction to round */
	assert_real(json_num(1e307, 2), 1e307);
	assert_real(json_num(-1.7e308, 3), -1.7e308);
	assert_real(json_num(1e300, 15), 1e300);
}

static void
test_str_keeps_valid_text(void **state)
{
	static const char text[] = "web01 \xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80";
	json_t *j;

	(void)state;
	j = json_str(text);
	assert_non_null(j);
	assert_string_equal(json_string_value(j), text);
	json_decref(j);
	assert_null_value(json_str(NULL));
}

static void
assert_str(const char *in, const char *want)
{
	json_t *j = json_str(in);

	assert_non_null(j);
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), want);
	json_decref(j);
}

#define FFFD "\xef\xbf\xbd"

static void
test_str_replaces_invalid_bytes(void **state)
{
	(void)state;
	assert_str("web\xff" "01", "web" FFFD "01");
	assert_str("a\xc3", "a" FFFD);		/* cut short at the end */
	assert_str("\x80x", FFFD "x");		/* a lone continuation */
	assert_str("\xe2\x82x", FFFD FFFD "x");
}

static void
test_str_replaces_overlong_and_surrogates(void **state)
{
	(void)state;
	/* jansson refuses these too; they must not empty the string */
	assert_str("web\xc0\xaf" "01", "web" FFFD FFFD "01");
	assert_str("web\xe0\x80\xaf", "web" FFFD FFFD FFFD);
	assert_str("db\xed\xa0\x80" "1", "db" FFFD FFFD FFFD "1");
	assert_str("x\xf4\x90\x80\x80", "x" FFFD FFFD FFFD FFFD);
	assert_str("y\xf5\x80\x80\x80", "y" FFFD FFFD FFFD FFFD);
}

/* Any bytes at all give a string that keeps every ASCII character. */
static void
test_str_never_fails_on_random_bytes(void **state)
{
	uint64_t x = 88172645463325252ULL;
	char in[24], ascii_in[24], ascii_out[200];
	const char *out;
	size_t i, k, n, a;
	json_t *j;

	(void)state;
	for (k = 0; k < 20000; k++) {
		n = 1 + k % 23;
		for (i = 0; i < n - 1; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			in[i] = (char)(1 + x % 255);
		}
		in[n - 1] = '\0';
		j = json_str(in);
		assert_non_null(j);
		assert_true(json_is_string(j));
		out = json_string_value(j);
		for (i = a = 0; in[i] != '\0'; i++)
			if ((unsigned char)in[i] < 0x80)
				ascii_in[a++] = in[i];
		ascii_in[a] = '\0';
		for (i = a = 0; out[i] != '\0'; i++)
			if ((unsigned char)out[i] < 0x80)
				ascii_out[a++] = out[i];
		ascii_out[a] = '\0';
		assert_string_equal(ascii_out, ascii_in);
		json_decref(j);
	}
}

static json_t *
sample_object(void)
{
	json_t *o = json_object(), *a = json_array();

	json_put(o, "b", json_num(1, 0));
	json_put(o, "a", json_num(1.23, 2));
	json_put(o, "n", json_num(NAN, 2));
	json_array_append_new(a, json_str("x"));
	json_put(o, "list", a);
	return o;
}

#define SAMPLE_TEXT "{\n  \"b\": 1,\n  \"a\": 1.23,\n  \"n\": null,\n" \
	"  \"list\": [\n    \"x\"\n  ]\n}\n"

static char *
slurp(const char *p)
{
	FILE *fp = fopen(p, "r");
	char *buf = calloc(1, 4096);

	assert_non_null(fp);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 4095, fp) < 4095);
	fclose(fp);
	return buf;
}

static void
test_write_keeps_key_order_and_indents(void **state)
{
	json_t *o = sample_object();
	char *text;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s", test_write_file("w", ".json", ""));
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(json_write(o, fp, path), 0);
	fclose(fp);
	text = slurp(path);
	assert_string_equal(text, SAMPLE_TEXT);
	free(text);
	unlink(path);
	json_decref(o);
}

static void
test_write_failure_is_io_error(void **state)
{
	json_t *o = sample_object();
	FILE *fp = fopen("/dev/full", "w");

	(void)state;
	if (fp == NULL)
		skip();
	setvbuf(fp, NULL, _IONBF, 0);
	error_clear();
	assert_int_equal(json_write(o, fp, "plan.json"), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "cannot write 'plan.json'"));
	fclose(fp);
	json_decref(o);
}

/* How many entries of dir start with prefix. */
static int
count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void
test_write_path_is_atomic(void **state)
{
	const char *dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	json_t *o = sample_object();
	char prefix[64], *text;

	(void)state;
	snprintf(prefix, sizeof(prefix), "capplan-test-%ld-out.json",
	    (long)getpid());
	/* an old file is replaced whole */
	snprintf(path, sizeof(path), "%s", test_write_file("out", ".json",
	    "old contents\n"));
	assert_int_equal(json_write_path(o, path), 0);
	text = slurp(path);
	assert_string_equal(text, SAMPLE_TEXT);
	free(text);
	/* the file itself and no temporary beside it */
	assert_int_equal(count_prefixed(dir, prefix), 1);
	unlink(path);
	assert_int_equal(count_prefixed(dir, prefix), 0);
	json_decref(o);
}

static void
test_write_path_into_missing_directory_fails(void **state)
{
	json_t *o = sample_object();

	(void)state;
	error_clear();
	assert_int_equal(json_write_path(o, "/nonexistent-capplan/p.json"), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), strerror(ENOENT)));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_rounds_to_decimals),
		cmocka_unit_test(test_num_without_decimals_is_integer),
		cmocka_unit_test(test_num_non_finite_is_null),
		cmocka_unit_test(test_num_negative_zero_is_zero),
		cmocka_unit_test(test_num_huge_values_stay_numbers),
		cmocka_unit_test(test_str_keeps_valid_text),
		cmocka_unit_test(test_str_replaces_invalid_bytes),
		cmocka_unit_test(test_str_replaces_overlong_and_surrogates),
		cmocka_unit_test(test_str_never_fails_on_random_bytes),
		cmocka_unit_test(test_write_keeps_key_order_and_indents),
		cmocka_unit_test(test_write_failure_is_io_error),
		cmocka_unit_test(test_write_path_is_atomic),
		cmocka_unit_test(test_write_path_into_missing_directory_fails),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
