/*
 * test_tz.c - [sizing] timezone (common/tz.c): local hours across the
 * daylight saving changes of Europe/Berlin, profile slots in local time,
 * and names that are not zones refused.
 */
#include <stdint.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/tz.h"
#include "model/profile_build.h"

#define H (3600 * 1000LL)

/* 2026-03-29 00:00 UTC and 2026-10-25 00:00 UTC, in ms */
#define SPRING 1774742400000LL
#define AUTUMN 1792886400000LL

static void
test_utc_is_identity(void **state)
{
	(void)state;
	assert_int_equal(tz_use("UTC"), 0);
	assert_string_equal(tz_name(), "UTC");
	assert_true(tz_local_ms(SPRING + 90 * 60000) == SPRING + 90 * 60000);
	assert_int_equal(profile_slot_of(SPRING + 90 * 60000, SLOTS_HOUR), 1);
}

/* spring: 01:00 UTC is 03:00 CEST, so local 02:00 never happens; autumn:
 * 00:30 and 01:30 UTC are both 02:30 local (CEST, then CET) */
static void
test_berlin_daylight_saving(void **state)
{
	(void)state;
	assert_int_equal(tz_use("Europe/Berlin"), 0);
	assert_string_equal(tz_name(), "Europe/Berlin");
	assert_true(tz_local_ms(SPRING + H / 2) == SPRING + H / 2 + H);
	assert_true(tz_local_ms(SPRING + 3 * H / 2) == SPRING + 3 * H / 2 +
	    2 * H);
	assert_int_equal(profile_slot_of(SPRING + H / 2, SLOTS_HOUR), 1);
	assert_int_equal(profile_slot_of(SPRING + 3 * H / 2, SLOTS_HOUR), 3);
	assert_int_equal(profile_slot_of(AUTUMN + H / 2, SLOTS_HOUR), 2);
	assert_int_equal(profile_slot_of(AUTUMN + 3 * H / 2, SLOTS_HOUR), 2);
	/* 2026-03-29 is a Sunday: 23:30 UTC is Monday 01:30 local */
	assert_int_equal(profile_slot_of(SPRING + 23 * H + H / 2, SLOTS_WEEK),
	    1);
	assert_int_equal(tz_use("UTC"), 0);
	assert_int_equal(profile_slot_of(SPRING + 23 * H + H / 2, SLOTS_WEEK),
	    6 * 24 + 23);
}

static void
test_not_a_zone(void **state)
{
	(void)state;
	assert_int_equal(tz_use("Mars/Olympus_Mons"), -1);
	assert_non_null(strstr(error_last_msg(), "is not a time zone"));
	assert_int_equal(tz_use("../../etc/passwd"), -1);
	assert_int_equal(tz_use("/etc/localtime"), -1);
	assert_int_equal(tz_use("Europe/Berlin;rm"), -1);
	assert_string_equal(tz_name(), "UTC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc_is_identity),
		cmocka_unit_test(test_berlin_daylight_saving),
		cmocka_unit_test(test_not_a_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
