/*
 * test_format.c - the format record that opens every capplan CSV file
 * (common/format.c).  The kind names are those of capplan-formats(5).
 */
#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/format.h"

/* A record of up to three fields on line 1. */
static struct csv_record
record(char **fields, size_t n)
{
	struct csv_record rec;

	rec.fields = fields;
	rec.nfields = n;
	rec.line = 1;
	rec.index = 1;
	rec.terminated = true;
	return rec;
}

static void
assert_msg_has(const char *want)
{
	if (strstr(error_last_msg(), want) == NULL)
		fail_msg("message '%s' lacks '%s'", error_last_msg(), want);
}

static void
test_identify_known_kinds(void **state)
{
	static const struct {
		const char *name;
		enum format_kind kind;
	} known[] = {
		{ "capplan-samples", FORMAT_SAMPLES },
		{ "capplan-inventory", FORMAT_INVENTORY },
		{ "capplan-hosts", FORMAT_HOSTS },
		{ "capplan-disk", FORMAT_DISK },
		{ "capplan-net", FORMAT_NET },
		{ "capplan-profiles", FORMAT_PROFILES },
		{ "capplan-placement", FORMAT_PLACEMENT },
		{ "capplan-report", FORMAT_REPORT },
		{ "capplan-existing", FORMAT_EXISTING },
		{ "capplan-hostmap", FORMAT_HOSTMAP },
	};
	char *f[2], one[] = "1";
	struct csv_record rec;
	enum format_kind kind;
	int version;
	size_t i;

	(void)state;
	assert_int_equal(sizeof(known) / sizeof(known[0]), FORMAT_N);
	for (i = 0; i < FORMAT_N; i++) {
		f[0] = (char *)(uintptr_t)known[i].name;
		f[1] = one;
		rec = record(f, 2);
		kind = FORMAT_N;
		version = 0;
		if (format_identify(&rec, "x.csv", &kind, &version) != 0)
			fail_msg("%s: %s", known[i].name, error_last_msg());
		assert_int_equal(kind, known[i].kind);
		assert_int_equal(version, 1);
		assert_string_equal(format_table[kind].name, known[i].name);
	}
}

static void
test_identify_refuses_unknown_kind_by_name(void **state)
{
	char k[] = "capplan-bogus", v[] = "1", *f[] = { k, v };
	struct csv_record rec = record(f, 2);
	enum format_kind kind;
	int version;

	(void)state;
	error_clear();
	assert_int_equal(format_identify(&rec, "x.csv", &kind, &version), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(),
	    "x.csv:1:1: unknown file kind 'capplan-bogus'");
}

static void
test_identify_refuses_newer_version(void **state)
{
	char k[] = "capplan-samples", v[] = "2", *f[] = { k, v };
	struct csv_record rec = record(f, 2);
	enum format_kind kind;
	int version = 0;

	(void)state;
	assert_int_equal(format_identify(&rec, "x.csv", &kind, &version), -1);
	assert_int_equal(error_last_kind(), ERROR_UNSUPPORTED);
	assert_msg_has("x.csv:1:2: ");
	assert_msg_has("capplan-samples version 2 is not supported");
	assert_msg_has("up to version 1");
	assert_int_equal(version, 0);
}

static void
test_identify_refuses_bad_versions(void **state)
{
	static const char *bad[] = { "0", "-1", "1.0", "", "one", " 1",
	    "99999999999999999999" };
	char k[] = "capplan-hosts", *f[2];
	struct csv_record rec;
	enum format_kind kind;
	int version;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f[0] = k;
		f[1] = (char *)(uintptr_t)bad[i];
		rec = record(f, 2);
		error_clear();
		if (format_identify(&rec, "h.csv", &kind, &version) != -1)
			fail_msg("version '%s' accepted", bad[i]);
		assert_int_equal(error_last_kind(), ERROR_DATA);
		assert_msg_has("h.csv:1:2: version '");
	}
}

static void
test_identify_refuses_wrong_field_count(void **state)
{
	char k[] = "capplan-samples", v[] = "1", x[] = "x", *f[] = { k, v, x };
	struct csv_record rec = record(f, 3);
	enum format_kind kind;
	int version;

	(void)state;
	assert_int_equal(format_identify(&rec, "x.csv", &kind, &version), -1);
	assert_msg_has("must have 2 fields, found 3");
	rec = record(f, 1);
	assert_int_equal(format_identify(&rec, "x.csv", &kind, &version), -1);
	assert_msg_has("must have 2 fields, found 1");
}

static void
test_identify_refuses_non_format_first_line(void **state)
{
	char a[] = "ts", b[] = "interval_s", c[] = "cpu_busy_pct";
	char *f[] = { a, b, c };
	struct csv_record rec = record(f, 3);
	enum format_kind kind;
	int version;

	(void)state;
	assert_int_equal(format_identify(&rec, "web01.csv", &kind, &version),
	    -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_msg_has("web01.csv:1: not a capplan file");
	assert_msg_has("capplan-samples,1");
	rec = record(f, 0);
	assert_int_equal(format_identify(&rec, "web01.csv", &kind, &version),
	    -1);
	assert_msg_has("not a capplan file");
}

static void
test_expect_accepts_wanted_kind(void **state)
{
	char k[] = "capplan-inventory", v[] = "1", *f[] = { k, v };
	struct csv_record rec = record(f, 2);
	int version = 0;

	(void)state;
	assert_int_equal(format_expect(&rec, "inv.csv", FORMAT_INVENTORY,
	    &version), 0);
	assert_int_equal(version, 1);
}

static void
test_expect_refuses_other_kind(void **state)
{
	char k[] = "capplan-inventory", v[] = "1", *f[] = { k, v };
	struct csv_record rec = record(f, 2);
	int version;

	(void)state;
	rec.line = 3;
	assert_int_equal(format_expect(&rec, "inv.csv", FORMAT_SAMPLES,
	    &version), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(), "inv.csv:3:1: expected a "
	    "samples file (capplan-samples), found capplan-inventory");
}

static void
test_expect_passes_identify_errors(void **state)
{
	char k[] = "capplan-hosts", v[] = "7", *f[] = { k, v };
	struct csv_record rec = record(f, 2);
	int version;

	(void)state;
	/* a newer version of another kind is still "unsupported" */
	assert_int_equal(format_expect(&rec, "h.csv", FORMAT_SAMPLES,
	    &version), -1);
	assert_int_equal(error_last_kind(), ERROR_UNSUPPORTED);
	assert_msg_has("capplan-hosts version 7");
}

static void
test_write_gives_name_and_version(void **state)
{
	struct csv_line l;

	(void)state;
	csv_line_init(&l);
	format_write(&l, FORMAT_HOSTS);
	format_write(&l, FORMAT_SAMPLES);
	assert_string_equal(l.sb.buf, "capplan-hosts,1\ncapplan-samples,1\n");
	csv_line_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identify_known_kinds),
		cmocka_unit_test(test_identify_refuses_unknown_kind_by_name),
		cmocka_unit_test(test_identify_refuses_newer_version),
		cmocka_unit_test(test_identify_refuses_bad_versions),
		cmocka_unit_test(test_identify_refuses_wrong_field_count),
		cmocka_unit_test(test_identify_refuses_non_format_first_line),
		cmocka_unit_test(test_expect_accepts_wanted_kind),
		cmocka_unit_test(test_expect_refuses_other_kind),
		cmocka_unit_test(test_expect_passes_identify_errors),
		cmocka_unit_test(test_write_gives_name_and_version),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
