/*
 * test_validate_cpus.c - capplan validate's --cpus list
 * (validate_cpus_parse in kvm/validate.c): ranges and single CPUs, and
 * the refusals: a CPU at the online count or above (CPUs count from 0),
 * a range backwards, text that is not a list.  No libvirt is needed.
 */
#include "tests/unit/testlib.h"

#include "common/error.h"
#include "kvm/validate.h"

static void
test_ranges_and_single_cpus(void **state)
{
	unsigned cpus[VALIDATE_CPUS_MAX];
	size_t n;

	(void)state;
	assert_int_equal(validate_cpus_parse("0-1,3", cpus, &n, 4), 0);
	assert_int_equal(n, 3);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(cpus[1], 1);
	assert_int_equal(cpus[2], 3);
	assert_int_equal(validate_cpus_parse("2", cpus, &n, 4), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cpus[0], 2);
	/* the last online CPU is online - 1 */
	assert_int_equal(validate_cpus_parse("0-3", cpus, &n, 4), 0);
	assert_int_equal(n, 4);
}

static void
test_refusals(void **state)
{
	unsigned cpus[VALIDATE_CPUS_MAX];
	size_t n;

	(void)state;
	assert_int_equal(validate_cpus_parse("4", cpus, &n, 4), -1);
	assert_int_equal(error_last_kind(), ERROR_USAGE);
	assert_non_null(strstr(error_last_msg(), "CPU 4 is not one of the 4 "
	    "online"));
	assert_int_equal(validate_cpus_parse("0-4", cpus, &n, 4), -1);
	assert_int_equal(validate_cpus_parse("3-1", cpus, &n, 4), -1);
	assert_int_equal(validate_cpus_parse("0-x", cpus, &n, 4), -1);
	assert_non_null(strstr(error_last_msg(), "is not a list of CPUs"));
	assert_int_equal(validate_cpus_parse("", cpus, &n, 4), -1);
	assert_int_equal(validate_cpus_parse("1;2", cpus, &n, 4), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges_and_single_cpus),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("validate_cpus", tests, NULL, NULL);
}
