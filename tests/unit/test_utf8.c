/*
 * test_utf8.c - the one UTF-8 validator (common/utf8.c) and the readers
 * that use it: every sequence class of RFC 3629's table on both sides of
 * its edges, then the CSV reader, capplan.conf and a samples file name
 * refusing what is not valid with "file:line:column".
 */
#include "testlib.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "common/conf.h"
#include "common/csvio.h"
#include "common/error.h"
#include "common/inventory.h"
#include "common/policy.h"
#include "common/samples.h"
#include "common/utf8.h"

static void
assert_valid(const char *s)
{
	const char *why = NULL;
	size_t off = 99;

	if (!utf8_valid(s, &off, &why))
		fail_msg("valid text refused at byte %zu: %s", off, why);
}

/* s is refused at byte off with a reason containing want */
static void
assert_invalid(const char *s, size_t off, const char *want)
{
	const char *why = NULL;
	size_t got = 99;

	if (utf8_valid(s, &got, &why))
		fail_msg("invalid text accepted (first byte 0x%02x)",
		    (unsigned char)s[off]);
	if (got != off || strstr(why, want) == NULL)
		fail_msg("refused at byte %zu (%s), not %zu (%s)", got, why,
		    off, want);
}

static void
test_valid_edges_of_every_class(void **state)
{
	(void)state;
	assert_valid("");
	assert_valid("plain ASCII \x01\x7f");
	assert_valid("\xc2\x80 \xdf\xbf");		/* U+0080, U+07FF */
	assert_valid("\xe0\xa0\x80 \xef\xbf\xbf");	/* U+0800, U+FFFF */
	assert_valid("\xed\x9f\xbf \xee\x80\x80");	/* U+D7FF, U+E000 */
	assert_valid("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf");	/* U+10000, U+10FFFF */
	assert_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_int_equal(utf8_len("\xf0\x9f\x98\x80"), 4);
	assert_int_equal(utf8_len("\xe2\x82\xac"), 3);
	assert_int_equal(utf8_len("a"), 1);
}

static void
test_invalid_sequences_named(void **state)
{
	(void)state;
	assert_invalid("srv\xff", 3, "never in UTF-8");
	assert_invalid("srv\xfe", 3, "never in UTF-8");
	assert_invalid("\xf5\x80\x80\x80", 0, "never in UTF-8");
	assert_invalid("a\x80", 1, "continuation byte");
	assert_invalid("\xc0\xaf", 0, "overlong");	/* '/' in 2 bytes */
	assert_invalid("\xc1\xbf", 0, "overlong");
	assert_invalid("\xe0\x80\xaf", 0, "overlong");
	assert_invalid("\xe0\x9f\xbf", 0, "overlong");
	assert_invalid("\xf0\x80\x80\xaf", 0, "overlong");
	assert_invalid("\xf0\x8f\xbf\xbf", 0, "overlong");
	assert_invalid("\xed\xa0\x80", 0, "surrogate");	/* U+D800 */
	assert_invalid("\xed\xbf\xbf", 0, "surrogate");	/* U+DFFF */
	assert_invalid("\xf4\x90\x80\x80", 0, "past U+10FFFF");
	assert_invalid("ok \xe2\x82", 3, "cut short");
	assert_invalid("\xe2\x82x", 0, "cut short");
	assert_invalid("\xc3", 0, "cut short");
	assert_true(utf8_cut_short("\xe2\x82") && utf8_cut_short("\xf0"));
	assert_false(utf8_cut_short("\xe2\x82x") || utf8_cut_short("\xff"));
	assert_false(utf8_cut_short("\xc0"));
	assert_int_equal(utf8_len("\xc0\xaf"), 0);
	assert_int_equal(utf8_len("\xed\xa0\x80"), 0);
}

static void
test_check_records_place_and_byte(void **state)
{
	(void)state;
	assert_int_equal(utf8_check("ok", "host", "f.csv", 3, 2), 0);
	assert_int_equal(utf8_check("srv\xff", "host", "f.csv", 3, 2), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(), "f.csv:3:2: host: not valid "
	    "UTF-8: byte 4 (0xff) is never in UTF-8");
	assert_int_equal(utf8_check_line("k = \xc0\xaf", "p.conf", 7), -1);
	assert_string_equal(error_last_msg(), "p.conf:7:5: not valid UTF-8: "
	    "byte 0xc0 starts an overlong form");
}

/* the writers' safety net: the same test, each bad byte one U+FFFD */
static void
test_add_replacing_uses_the_same_test(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	utf8_add_replacing(&sb, "a\xc0\xaf\xe2\x82\xac");
	assert_string_equal(sb.buf, "a\xef\xbf\xbd\xef\xbf\xbd\xe2\x82\xac");
	strbuf_release(&sb);
}

/* counts the records; a record cut short counts 100 */
static int
keep(const struct csv_record *rec, void *ctx)
{
	*(int *)ctx += rec->cut_short ? 100 : 1;
	return 0;
}

static int
read_csv_as(const char *text, bool allow_cut_short)
{
	struct csv_reader *r;
	int n = 0, rc;

	r = csv_reader_open(test_write_file("utf8", ".csv", text));
	assert_non_null(r);
	if (allow_cut_short)
		csv_reader_allow_cut_short(r);
	rc = csv_reader_run(r, keep, &n);
	csv_reader_free(r);
	return rc == 0 ? n : -1;
}

static int
read_csv(const char *text)
{
	return read_csv_as(text, false);
}

/* the first reader refuses, naming the line and the field */
static void
test_csv_reader_refuses_bad_field(void **state)
{
	(void)state;
	assert_int_equal(read_csv("a,b\nsrv\xff,1\n"), -1);
	assert_non_null(strstr(error_last_msg(), "utf8.csv:2:1: not valid "
	    "UTF-8: byte 4 (0xff) is never in UTF-8"));
	assert_int_equal(read_csv("a,b\n1,\"x\ny\xed\xa0\x80\"\n"), -1);
	assert_non_null(strstr(error_last_msg(), ".csv:2:2: not valid UTF-8: "
	    "byte 4 (0xed) starts a UTF-16 surrogate"));
	assert_int_equal(read_csv("a,b\ncaf\xc3\xa9,1\n"), 2);
	/* a last line cut short inside a character is a line cut short,
	 * for a reader that drops such lines (samples) to judge; with its
	 * newline, or for any other reader, it is bad text */
	assert_int_equal(read_csv_as("a,b\n1,caf\xc3", true), 101);
	assert_int_equal(read_csv_as("a,b\n1,caf\xc3\n", true), -1);
	assert_int_equal(read_csv_as("a,b\ncaf\xc3,1", true), -1);
	assert_int_equal(read_csv_as("a,b\n1,caf", true), 2);
	assert_int_equal(read_csv("a,b\n1,caf\xc3"), -1);
	assert_non_null(strstr(error_last_msg(), "utf8.csv:2:2: not valid "
	    "UTF-8: byte 4 (0xc3) starts a sequence cut short"));
}

/*
 * An inventory (any table reader) whose last line, without a newline,
 * ends inside a character: the server was kept with that name, and the
 * inventory capplan wrote from it was refused (found by fuzz_inventory).
 */
static void
test_table_refuses_last_cell_cut_short(void **state)
{
	struct inventory inv;

	(void)state;
	assert_int_equal(inventory_load(&inv, test_write_file("utf8", ".csv",
	    "capplan-inventory,1\nhost,os\nweb01,x\nsrv,Debian\xe4"), NULL),
	    -1);
	assert_non_null(strstr(error_last_msg(), "utf8.csv:4:2: not valid "
	    "UTF-8: byte 7 (0xe4) starts a sequence cut short"));
}

static void
test_policy_refuses_bad_line(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(policy_load(&p, test_write_file("utf8", ".conf",
	    "[cost]\ncurrency = EUR\n[affinity w]\nservers = a, b\xc0\xaf\n")),
	    -1);
	assert_non_null(strstr(error_last_msg(), "utf8.conf:4:15: not valid "
	    "UTF-8: byte 0xc0 starts an overlong form"));
	assert_int_equal(policy_load(&p, test_write_file("utf8", ".conf",
	    "[cost]\ncurrency = \xe2\x82\xac\n")), 0);
	assert_string_equal(p.currency, "\xe2\x82\xac");
	policy_release(&p);
}

static int
no_row(const struct sample *s, void *ctx)
{
	(void)s;
	(void)ctx;
	return 0;
}

/* a host name taken from a file name is checked as a cell is */
static void
test_samples_file_name_must_be_utf8(void **state)
{
	struct samples_ops ops = { NULL, no_row };
	const char *dir = getenv("TMPDIR");
	char path[512];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/srv\xc0\xae.samples.csv",
	    dir != NULL ? dir : "/tmp");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("capplan-samples,1\nts,interval_s,cpu_busy_pct\n"
	    "2026-01-05T00:00:00Z,60,5\n", fp);
	fclose(fp);
	assert_int_equal(samples_read(path, &ops, NULL, NULL), -1);
	assert_non_null(strstr(error_last_msg(), "the host name from the file "
	    "name: not valid UTF-8: byte 4 (0xc0) starts an overlong form"));
	unlink(path);
}

/*
 * The samples reader drops a last line cut short with fewer fields than
 * its header; one with every field is a row, and a last cell ending
 * inside a character is bad text there too.
 */
static void
test_samples_refuses_full_row_cut_short(void **state)
{
	struct samples_ops ops = { NULL, no_row };
	const char *head = "capplan-samples,1\nts,interval_s,host,"
	    "cpu_busy_pct,flags\n2026-01-05T00:00:00Z,60,web01,5,\n";
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "%s2026-01-05T00:01:00Z,60,web\xc3", head);
	assert_int_equal(samples_read(test_write_file("utf8", ".csv", text),
	    &ops, NULL, NULL), 0);
	snprintf(text, sizeof(text), "%s2026-01-05T00:01:00Z,60,web01,5,x\xe2\x82",
	    head);
	assert_int_equal(samples_read(test_write_file("utf8", ".csv", text),
	    &ops, NULL, NULL), -1);
	assert_non_null(strstr(error_last_msg(), "utf8.csv:4:5: not valid "
	    "UTF-8: byte 2 (0xe2) starts a sequence cut short"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_edges_of_every_class),
		cmocka_unit_test(test_invalid_sequences_named),
		cmocka_unit_test(test_check_records_place_and_byte),
		cmocka_unit_test(test_add_replacing_uses_the_same_test),
		cmocka_unit_test(test_csv_reader_refuses_bad_field),
		cmocka_unit_test(test_table_refuses_last_cell_cut_short),
		cmocka_unit_test(test_samples_refuses_full_row_cut_short),
		cmocka_unit_test(test_policy_refuses_bad_line),
		cmocka_unit_test(test_samples_file_name_must_be_utf8),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
