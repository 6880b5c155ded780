/*
 * test_strmap.c - the string-to-index hash map (common/strmap.c).
 */
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include "common/strmap.h"

static void
test_get_on_empty_map_finds_nothing(void **state)
{
	struct strmap m = STRMAP_INIT;
	size_t v = 77;

	(void)state;
	assert_false(strmap_get(&m, "web01", &v));
	assert_false(strmap_get(&m, "", &v));
	assert_int_equal(v, 77);
	strmap_release(&m);
}

static void
test_put_then_get_returns_value(void **state)
{
	struct strmap m;
	size_t v = 0;

	(void)state;
	strmap_init(&m);
	assert_true(strmap_put(&m, "web01", 3, NULL));
	assert_true(strmap_put(&m, "db01", 0, NULL));
	assert_true(strmap_put(&m, "", 9, NULL));
	assert_int_equal(m.len, 3);
	assert_true(strmap_get(&m, "web01", &v));
	assert_int_equal(v, 3);
	assert_true(strmap_get(&m, "db01", &v));
	assert_int_equal(v, 0);
	assert_true(strmap_get(&m, "", &v));
	assert_int_equal(v, 9);
	v = 42;
	assert_false(strmap_get(&m, "web02", &v));
	assert_false(strmap_get(&m, "web0", &v));
	assert_false(strmap_get(&m, "WEB01", &v));
	assert_int_equal(v, 42);
	strmap_release(&m);
}

static void
test_duplicate_put_returns_old_index(void **state)
{
	struct strmap m = STRMAP_INIT;
	size_t old = 0, v = 0;

	(void)state;
	assert_true(strmap_put(&m, "web01", 5, &old));
	assert_int_equal(old, 0);	/* untouched on a new key */
	assert_false(strmap_put(&m, "web01", 8, &old));
	assert_int_equal(old, 5);
	/* the first value stays */
	assert_true(strmap_get(&m, "web01", &v));
	assert_int_equal(v, 5);
	assert_int_equal(m.len, 1);
	/* old may be NULL */
	assert_false(strmap_put(&m, "web01", 9, NULL));
	assert_true(strmap_get(&m, "web01", &v));
	assert_int_equal(v, 5);
	strmap_release(&m);
}

static void
test_keys_are_copied(void **state)
{
	struct strmap m = STRMAP_INIT;
	char key[16] = "host-a";
	size_t v;

	(void)state;
	assert_true(strmap_put(&m, key, 1, NULL));
	key[5] = 'b';
	assert_true(strmap_put(&m, key, 2, NULL));
	assert_true(strmap_get(&m, "host-a", &v));
	assert_int_equal(v, 1);
	assert_true(strmap_get(&m, "host-b", &v));
	assert_int_equal(v, 2);
	strmap_release(&m);
}

static void
test_grows_to_100k_keys(void **state)
{
	struct strmap m = STRMAP_INIT;
	char key[32];
	size_t i, v, n = 100000;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "server%05zu.example", i);
		assert_true(strmap_put(&m, key, i, NULL));
	}
	assert_int_equal(m.len, n);
	/* a power of two, at most half full */
	assert_int_equal(m.cap & (m.cap - 1), 0);
	assert_true(m.cap >= 2 * n);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "server%05zu.example", i);
		if (!strmap_get(&m, key, &v) || v != i)
			fail_msg("%s lost after growth", key);
	}
	/* duplicates still found after every rehash */
	for (i = 0; i < n; i += 997) {
		snprintf(key, sizeof(key), "server%05zu.example", i);
		assert_false(strmap_put(&m, key, 0, &v));
		assert_int_equal(v, i);
	}
	assert_false(strmap_get(&m, "server100000.example", &v));
	assert_int_equal(m.len, n);
	strmap_release(&m);
}

static void
test_release_resets_and_accepts_null(void **state)
{
	struct strmap m = STRMAP_INIT;
	size_t v;

	(void)state;
	strmap_put(&m, "a", 1, NULL);
	strmap_release(&m);
	assert_null(m.slots);
	assert_int_equal(m.len, 0);
	assert_int_equal(m.cap, 0);
	assert_false(strmap_get(&m, "a", &v));
	/* usable again after release */
	assert_true(strmap_put(&m, "a", 2, NULL));
	assert_true(strmap_get(&m, "a", &v));
	assert_int_equal(v, 2);
	strmap_release(&m);
	strmap_release(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_on_empty_map_finds_nothing),
		cmocka_unit_test(test_put_then_get_returns_value),
		cmocka_unit_test(test_duplicate_put_returns_old_index),
		cmocka_unit_test(test_keys_are_copied),
		cmocka_unit_test(test_grows_to_100k_keys),
		cmocka_unit_test(test_release_resets_and_accepts_null),
	};

	return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
