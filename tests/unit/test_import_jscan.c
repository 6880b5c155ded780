/*
 * test_import_jscan.c - the streaming JSON walker (import/jscan.c).
 *
 * Positions in expected messages are counted by hand from the texts:
 * lines from 1, columns in bytes from 1.
 */
#include "tests/unit/testlib.h"

#include "common/error.h"
#include "import/jscan.h"

static char path[512];

static struct jscan *
open_text(const char *text)
{
	snprintf(path, sizeof(path), "%s", test_write_file("jscan", ".json",
	    text));
	return jscan_open(path, "t.json");
}

static void
assert_msg(const char *want)
{
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(), want);
}

static void
test_walk_keys_arrays_and_values(void **state)
{
	struct jscan *js = open_text("{ \"a\": [1, {\"x\": \"}]\\\"\"}, 3],\n"
	    "  \"skip\": {\"deep\": [[[]]], \"s\": \"[\"},\n  \"b\": true }\n");
	const char *key;
	json_t *v;

	(void)state;
	assert_int_equal(jscan_object(js, "top"), 0);
	assert_int_equal(jscan_key(js, &key), 1);
	assert_string_equal(key, "a");
	assert_int_equal(jscan_array(js, "a"), 0);
	assert_int_equal(jscan_more(js), 1);
	assert_int_equal(jscan_value(js, &v), 0);
	assert_int_equal(json_integer_value(v), 1);
	json_decref(v);
	assert_int_equal(jscan_more(js), 1);
	assert_int_equal(jscan_value(js, &v), 0);
	/* brackets and an escaped quote inside a string do not count */
	assert_string_equal(json_string_value(json_object_get(v, "x")),
	    "}]\"");
	json_decref(v);
	assert_int_equal(jscan_more(js), 1);
	assert_int_equal(jscan_skip(js), 0);
	assert_int_equal(jscan_more(js), 0);
	assert_int_equal(jscan_key(js, &key), 1);
	assert_string_equal(key, "skip");
	assert_int_equal(jscan_skip(js), 0);
	assert_int_equal(jscan_key(js, &key), 1);
	assert_string_equal(key, "b");
	assert_int_equal(jscan_value(js, &v), 0);
	assert_true(json_is_true(v));
	json_decref(v);
	assert_int_equal(jscan_key(js, &key), 0);
	assert_int_equal(jscan_end(js), 0);
	jscan_free(js);
	unlink(path);
}

static void
test_seek_walks_again(void **state)
{
	struct jscan *js = open_text("{\"r\": [\n  {\"v\": 1},\n  {\"v\": 2}\n]}");
	struct jscan_pos at;
	const char *key;
	json_t *v;
	int pass;

	(void)state;
	assert_int_equal(jscan_object(js, "top"), 0);
	assert_int_equal(jscan_key(js, &key), 1);
	jscan_tell(js, &at);
	assert_int_equal(at.line, 1);
	assert_int_equal(at.col, 7);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(jscan_seek(js, &at), 0);
		assert_int_equal(jscan_array(js, "r"), 0);
		assert_int_equal(jscan_more(js), 1);
		assert_int_equal(jscan_skip(js), 0);
		assert_int_equal(jscan_more(js), 1);
		jscan_tell(js, &at);
		assert_int_equal(at.line, 3);
		assert_int_equal(jscan_value(js, &v), 0);
		assert_int_equal(json_integer_value(json_object_get(v, "v")), 2);
		json_decref(v);
		assert_int_equal(jscan_more(js), 0);
		at.off = 6;
		at.line = 1;
		at.col = 7;
	}
	jscan_free(js);
	unlink(path);
}

static void
test_missing_comma_is_located(void **state)
{
	struct jscan *js = open_text("{\"a\": 1\n  \"b\": 2}");
	const char *key;

	(void)state;
	error_clear();
	assert_int_equal(jscan_object(js, "top"), 0);
	assert_int_equal(jscan_key(js, &key), 1);
	assert_int_equal(jscan_skip(js), 0);
	assert_int_equal(jscan_key(js, &key), -1);
	assert_msg("t.json:2:3: expected ',' or '}', found '\"'");
	jscan_free(js);
	unlink(path);
}

static void
test_jansson_error_is_shifted_to_the_file(void **state)
{
	struct jscan *js = open_text("[\n  {\"a\": [1,\n        2 3]}]");
	json_t *v;

	(void)state;
	error_clear();
	assert_int_equal(jscan_array(js, "top"), 0);
	assert_int_equal(jscan_more(js), 1);
	assert_int_equal(jscan_value(js, &v), -1);
	assert_null(v);
	/* jansson sees line 2 of the value; the file's line is 3 */
	assert_non_null(strstr(error_last_msg(), "t.json:3:"));
	jscan_free(js);
	unlink(path);
}

static void
test_truncated_and_wrong_types(void **state)
{
	struct jscan *js = open_text("{\"a\": {\"b\": \"unterminated");
	const char *key;

	(void)state;
	error_clear();
	assert_int_equal(jscan_object(js, "top"), 0);
	assert_int_equal(jscan_key(js, &key), 1);
	assert_int_equal(jscan_skip(js), -1);
	assert_msg("t.json:1:13: string not closed before the end of the "
	    "file");
	jscan_free(js);
	js = open_text("  [1]");
	assert_int_equal(jscan_object(js, "a response"), -1);
	assert_msg("t.json:1:3: expected a response (a JSON object), found "
	    "'['");
	jscan_free(js);
	js = open_text("{} x");
	assert_int_equal(jscan_object(js, "top"), 0);
	assert_int_equal(jscan_key(js, &key), 0);
	assert_int_equal(jscan_end(js), -1);
	assert_msg("t.json:1:4: expected the end of the JSON text, found "
	    "'x'");
	jscan_free(js);
	unlink(path);
}

static void
test_open_missing_file(void **state)
{
	(void)state;
	error_clear();
	assert_null(jscan_open("/nonexistent/x.json", "x.json"));
	assert_int_equal(error_last_kind(), ERROR_IO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_keys_arrays_and_values),
		cmocka_unit_test(test_seek_walks_again),
		cmocka_unit_test(test_missing_comma_is_located),
		cmocka_unit_test(test_jansson_error_is_shifted_to_the_file),
		cmocka_unit_test(test_truncated_and_wrong_types),
		cmocka_unit_test(test_open_missing_file),
	};

	return cmocka_run_group_tests_name("import_jscan", tests, NULL, NULL);
}
