/*
 * test_table.c - the column-table reader (common/table.c) through its two
 * users, inventory_load() and hostcat_load().
 *
 * Each test writes a small file under $TMPDIR and removes it.  Expected
 * lines and columns are counted by hand from the text: line 1 is the
 * format record, line 2 the header, columns count from 1.
 */
#include <math.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/hostcat.h"
#include "common/strbuf.h"
#include "common/inventory.h"

#define INV_HEAD "capplan-inventory,1\n"
#define HOST_HEAD "capplan-hosts,1\n"
#define HOST_COLS "model,sockets,cores,threads,cpu_rating,mem_mib,rack_units," \
	"price,power_w_0,power_w_10,power_w_20,power_w_30,power_w_40," \
	"power_w_50,power_w_60,power_w_70,power_w_80,power_w_90,power_w_100\n"
#define HOST_POWER "100,120,140,160,180,200,220,240,260,280,300"

static char path[512];

static const char *
put_file(const char *text)
{
	snprintf(path, sizeof(path), "%s", test_write_file("table", ".csv",
	    text));
	return path;
}

/* Load text as an inventory; the file is removed again. */
static int
load_inv(const char *text, struct inventory *inv, struct table_info *info)
{
	int rc;

	put_file(text);
	error_clear();
	rc = inventory_load(inv, path, info);
	unlink(path);
	return rc;
}

static int
load_hosts(const char *text, struct hostcat *hc, struct table_info *info)
{
	int rc;

	put_file(text);
	error_clear();
	rc = hostcat_load(hc, path, info);
	unlink(path);
	return rc;
}

/* The last error is ERROR_DATA "<path>:<where>: ..." and holds want. */
static void
assert_error(const char *where, const char *want)
{
	char prefix[600];

	snprintf(prefix, sizeof(prefix), "%s:%s", path, where);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strncmp(error_last_msg(), prefix, strlen(prefix)) != 0 ||
	    strstr(error_last_msg(), want) == NULL)
		fail_msg("message '%s' does not start '%s' or lacks '%s'",
		    error_last_msg(), prefix, want);
}

static void
assert_inv_error(const char *text, const char *where, const char *want)
{
	struct inventory inv;

	assert_int_equal(load_inv(text, &inv, NULL), -1);
	assert_error(where, want);
}

static void
test_inventory_loads_rows(void **state)
{
	struct inventory inv;
	const struct server_inv *s;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD
	    "host,cores,threads,mem_mib,os,cpu_masked\n"
	    "web01,4,8,16384,debian,no\n"
	    "db01,16,32,131072.5,,yes\n", &inv, NULL), 0);
	assert_int_equal(inv.nservers, 2);
	s = &inv.servers[1];
	assert_string_equal(s->host, "db01");
	assert_near(s->cores, 16, 0);
	assert_near(s->threads, 32, 0);
	assert_near(s->mem_mib, 131072.5, 0);
	assert_string_equal(s->os, "");
	assert_int_equal(s->cpu_masked, 1);
	assert_int_equal(inv.servers[0].cpu_masked, 0);
	assert_string_equal(inv.servers[0].os, "debian");
	/* columns not in the file are unknown, not zero */
	assert_true(isnan(s->sockets));
	assert_true(isnan(s->power_max_w));
	assert_int_equal(s->disk_rotational, -1);
	assert_string_equal(s->tags, "");
	inventory_release(&inv);
}

static void
test_inventory_columns_in_any_order(void **state)
{
	struct inventory inv;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD "threads,host,cores\n8,web01,4\n",
	    &inv, NULL), 0);
	assert_string_equal(inv.servers[0].host, "web01");
	assert_near(inv.servers[0].cores, 4, 0);
	assert_near(inv.servers[0].threads, 8, 0);
	inventory_release(&inv);
}

static void
test_missing_required_column(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "cores,threads\n4,8\n", "2: ",
	    "missing required column 'host'");
}

static void
test_duplicate_column(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "host,cores,threads,cores\nweb01,4,8,4\n",
	    "2:4: ", "column 'cores' appears twice (also column 2)");
}

static void
test_duplicate_key_names_first_line(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "host,cores\nweb01,4\ndb01,8\n\nweb01,2\n",
	    "6: ", "host 'web01' appears twice (first on line 3)");
}

static void
test_empty_key_refused(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "cores,host\n4,web01\n4,\n", "4:2: ",
	    "host: a value is required");
}

static void
test_non_numeric_cell_names_line_and_column(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "host,os,cores\nweb01,linux,4\n"
	    "web02,linux,four\n", "4:3: ", "cores: 'four' is not a number");
	assert_inv_error(INV_HEAD "host,mem_mib\nweb01,nan\n", "3:2: ",
	    "mem_mib: 'nan' is not a finite number");
	/* the reader trims blanks unless quoted; quoted, they are kept */
	assert_inv_error(INV_HEAD "host,mem_mib\nweb01,\" 512\"\n", "3:2: ",
	    "mem_mib: ' 512' is not a number");
}

static void
test_out_of_range_names_the_range(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "host,sockets\nweb01,0\n", "3:2: ",
	    "sockets: '0' is below the allowed range [1, 1024]");
	assert_inv_error(INV_HEAD "host,rack_units\nweb01,101\n", "3:2: ",
	    "rack_units: '101' is above the allowed range [0, 100]");
	assert_inv_error(INV_HEAD "host,disk_gib\nweb01,-1\n", "3:2: ",
	    "is below the allowed range");
}

static void
test_range_ends_are_allowed(void **state)
{
	struct inventory inv;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD "host,sockets,rack_units\n"
	    "a,1,0\nb,1024,100\n", &inv, NULL), 0);
	assert_near(inv.servers[1].sockets, 1024, 0);
	assert_near(inv.servers[1].rack_units, 100, 0);
	inventory_release(&inv);
}

static void
test_whole_number_check(void **state)
{
	struct inventory inv;

	(void)state;
	assert_inv_error(INV_HEAD "host,cores\nweb01,2.5\n", "3:2: ",
	    "cores: '2.5' is not a whole number");
	/* "4.0" is a whole number written with a point */
	assert_int_equal(load_inv(INV_HEAD "host,cores\nweb01,4.0\n", &inv,
	    NULL), 0);
	assert_near(inv.servers[0].cores, 4, 0);
	inventory_release(&inv);
}

static void
test_bool_cells(void **state)
{
	struct inventory inv;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD "host,disk_rotational\n"
	    "a,yes\nb,No\nc,\nd,TRUE\ne,0\n", &inv, NULL), 0);
	assert_int_equal(inv.servers[0].disk_rotational, 1);
	assert_int_equal(inv.servers[1].disk_rotational, 0);
	assert_int_equal(inv.servers[2].disk_rotational, -1);
	assert_int_equal(inv.servers[3].disk_rotational, 1);
	assert_int_equal(inv.servers[4].disk_rotational, 0);
	inventory_release(&inv);
	assert_inv_error(INV_HEAD "host,disk_rotational\na,maybe\n", "3:2: ",
	    "disk_rotational: 'maybe' is not yes or no");
}

static void
test_unknown_columns_listed_in_info(void **state)
{
	struct table_info info;
	struct inventory inv;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD "colour,host,rack,cores\n"
	    "red,web01,r1,4\n", &inv, &info), 0);
	assert_int_equal(info.version, 1);
	assert_int_equal(info.nextra, 2);
	assert_string_equal(info.extra[0], "colour");
	assert_string_equal(info.extra[1], "rack");
	/* present[] follows the spec: host is column 0, cores column 4 */
	assert_true(info.present[0]);
	assert_string_equal(inventory_spec.cols[4].name, "cores");
	assert_true(info.present[4]);
	assert_string_equal(inventory_spec.cols[3].name, "sockets");
	assert_false(info.present[3]);
	assert_near(inv.servers[0].cores, 4, 0);
	table_info_release(&info);
	inventory_release(&inv);
}

static void
test_empty_file_refused(void **state)
{
	(void)state;
	assert_inv_error("", " ", "empty file");
	assert_non_null(strstr(error_last_msg(), "capplan-inventory,1"));
	/* blank lines only are empty too */
	assert_inv_error("\n\n", " ", "empty file");
}

static void
test_format_record_only_refused(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD, " ", "no header line");
}

static void
test_header_only_gives_no_rows(void **state)
{
	struct inventory inv;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD "host,cores\n", &inv, NULL), 0);
	assert_int_equal(inv.nservers, 0);
	assert_null(inventory_find(&inv, "web01"));
	inventory_release(&inv);
}

static void
test_wrong_kind_refused(void **state)
{
	(void)state;
	assert_inv_error("capplan-samples,1\nhost\nweb01\n", "1:1: ",
	    "expected a inventory file");
	assert_inv_error("host,cores\nweb01,4\n", "1: ", "not a capplan file");
}

static void
test_field_count_must_match_header(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "host,cores\nweb01,4,extra\n", "3: ",
	    "expected 2 fields as in the header, found 3");
	assert_inv_error(INV_HEAD "host,cores\nweb01", "3: ",
	    "found 1 (truncated last line?)");
}

static void
test_inventory_row_checks(void **state)
{
	(void)state;
	assert_inv_error(INV_HEAD "host,power_idle_w,power_max_w\n"
	    "web01,300,200\n", "3: ", "power_idle_w 300 is above power_max_w");
	assert_inv_error(INV_HEAD "host,cores,threads\nweb01,8,4\n", "3: ",
	    "threads 4 is fewer than cores 8");
}

static void
test_inventory_find_and_tags(void **state)
{
	struct inventory inv;
	const struct server_inv *s;

	(void)state;
	assert_int_equal(load_inv(INV_HEAD "host,tags\n"
	    "web01,prod;db;eu-west\nweb02,\ndb01,db\n", &inv, NULL), 0);
	s = inventory_find(&inv, "web01");
	assert_non_null(s);
	assert_ptr_equal(s, &inv.servers[0]);
	assert_ptr_equal(inventory_find(&inv, "db01"), &inv.servers[2]);
	assert_null(inventory_find(&inv, "web03"));
	assert_null(inventory_find(&inv, "WEB01"));
	assert_true(server_has_tag(s, "prod"));
	assert_true(server_has_tag(s, "db"));
	assert_true(server_has_tag(s, "eu-west"));
	assert_false(server_has_tag(s, "eu"));
	assert_false(server_has_tag(s, "d"));
	assert_false(server_has_tag(s, "prod;db"));
	assert_false(server_has_tag(inventory_find(&inv, "web02"), "prod"));
	assert_true(server_has_tag(inventory_find(&inv, "db01"), "db"));
	inventory_release(&inv);
	inventory_release(NULL);
}

static void
test_hostcat_loads_power_curve(void **state)
{
	struct hostcat hc;
	const struct host_model *h;
	int k;

	(void)state;
	assert_int_equal(load_hosts(HOST_HEAD HOST_COLS
	    "r650,2,32,64,100.5,524288,1,9000," HOST_POWER "\n", &hc, NULL),
	    0);
	assert_int_equal(hc.nmodels, 1);
	h = hostcat_find(&hc, "r650");
	assert_non_null(h);
	for (k = 0; k < POWER_POINTS; k++)
		assert_near(h->power_w[k], 100 + 20 * k, 0);
	assert_near(h->cpu_rating, 100.5, 0);
	assert_true(isnan(h->disk_iops));	/* optional, absent */
	assert_true(isnan(h->available));
	assert_null(hostcat_find(&hc, "r750"));
	hostcat_release(&hc);
}

static void
test_hostcat_refuses_falling_power_curve(void **state)
{
	struct hostcat hc;

	(void)state;
	assert_int_equal(load_hosts(HOST_HEAD HOST_COLS
	    "r650,2,32,64,100,524288,1,9000,"
	    "100,120,140,160,180,170,220,240,260,280,300\n", &hc, NULL), -1);
	assert_error("3: ", "power_w_50 (170 W) is below power_w_40 (180 W)");
}

static void
test_hostcat_requires_every_power_point(void **state)
{
	struct hostcat hc;

	(void)state;
	assert_int_equal(load_hosts(HOST_HEAD HOST_COLS
	    "r650,2,32,64,100,524288,1,9000,"
	    "100,120,140,160,180,200,220,240,,280,300\n", &hc, NULL), -1);
	assert_error("3:17: ", "power_w_80: a value is required");
}

static void
test_hostcat_header_only_has_no_models(void **state)
{
	struct hostcat hc;

	(void)state;
	assert_int_equal(load_hosts(HOST_HEAD HOST_COLS, &hc, NULL), -1);
	assert_error(" ", "lists no host models");
}

/* A failed load leaves nothing allocated, info included. */
static void
test_hostcat_failure_releases_info(void **state)
{
	struct table_info info;
	struct hostcat hc;

	(void)state;
	assert_int_equal(load_hosts(HOST_HEAD HOST_COLS, &hc, &info), -1);
	assert_null(info.present);
	assert_null(info.extra);
	assert_int_equal(info.nextra, 0);
	assert_int_equal(load_hosts(HOST_HEAD "model,x\n", &hc, &info), -1);
	assert_null(info.present);
	assert_int_equal(info.nextra, 0);
}

static void
test_hostcat_duplicate_model(void **state)
{
	struct hostcat hc;

	(void)state;
	assert_int_equal(load_hosts(HOST_HEAD HOST_COLS
	    "r650,2,32,64,100,524288,1,9000," HOST_POWER "\n"
	    "r750,2,32,64,100,524288,1,9000," HOST_POWER "\n"
	    "r650,2,32,64,100,524288,1,9000," HOST_POWER "\n", &hc, NULL), -1);
	assert_error("5: ", "model 'r650' appears twice (first on line 3)");
}

/* table_write_head() and table_write_row() give a file that reads back
 * as the same rows. */
static void
test_write_then_read_gives_same_rows(void **state)
{
	struct server_inv in[2];
	struct inventory inv;
	struct csv_line l;
	const struct server_inv *s;
	char *text;

	(void)state;
	memset(in, 0, sizeof(in));
	in[0].host = (char *)(uintptr_t)"web01";
	in[0].cpu_model = (char *)(uintptr_t)"Xeon(R) Gold, 2.1 GHz \"x\"";
	in[0].cpu_masked = 0;
	in[0].sockets = 2;
	in[0].cores = 32;
	in[0].threads = 64;
	in[0].cpu_mhz = 2100;
	in[0].cpu_rating = 123.456;
	in[0].mem_mib = 262144;
	in[0].disk_gib = 1788.5;
	in[0].disk_count = NAN;
	in[0].disk_rotational = -1;
	in[0].nics = 4;
	in[0].nic_mbps = NAN;
	in[0].os = (char *)(uintptr_t)"Debian 12";
	in[0].kernel = (char *)(uintptr_t)"";
	in[0].virtual = (char *)(uintptr_t)"no";
	in[0].power_idle_w = 120.5;
	in[0].power_max_w = 450;
	in[0].rack_units = 1;
	in[0].age_years = 4.5;
	in[0].group = (char *)(uintptr_t)"web";
	in[0].tags = (char *)(uintptr_t)"prod;eu";
	in[1] = in[0];
	in[1].host = (char *)(uintptr_t)" db01";	/* a blank to keep */
	in[1].cpu_masked = 1;
	in[1].disk_rotational = 0;
	csv_line_init(&l);
	table_write_head(&inventory_spec, &l);
	table_write_row(&inventory_spec, &in[0], &l);
	table_write_row(&inventory_spec, &in[1], &l);
	text = strbuf_detach(&l.sb);
	csv_line_release(&l);
	assert_true(strncmp(text, "capplan-inventory,1\nhost,cpu_model,",
	    strlen("capplan-inventory,1\nhost,cpu_model,")) == 0);
	assert_int_equal(load_inv(text, &inv, NULL), 0);
	free(text);
	assert_int_equal(inv.nservers, 2);
	s = inventory_find(&inv, " db01");
	assert_non_null(s);
	assert_int_equal(s->cpu_masked, 1);
	assert_int_equal(s->disk_rotational, 0);
	s = inventory_find(&inv, "web01");
	assert_non_null(s);
	assert_string_equal(s->cpu_model, in[0].cpu_model);
	assert_int_equal(s->cpu_masked, 0);
	assert_near(s->cores, 32, 0);
	assert_near(s->cpu_rating, 123.456, 1e-9);
	assert_near(s->disk_gib, 1788.5, 1e-9);
	assert_true(isnan(s->disk_count));
	assert_true(isnan(s->nic_mbps));
	assert_int_equal(s->disk_rotational, -1);
	assert_string_equal(s->os, "Debian 12");
	assert_string_equal(s->kernel, "");
	assert_near(s->power_idle_w, 120.5, 1e-9);
	assert_near(s->age_years, 4.5, 1e-9);
	assert_string_equal(s->tags, "prod;eu");
	inventory_release(&inv);
}

/* An inventory capplan writes (capplan import, capplan-collect) keeps
 * three decimals of cpu_rating, so a finer one is refused on reading: a
 * rating of 0.0004 was written back as 0.000, which no reader takes
 * (found by tests/fuzz/fuzz_inventory.c's round trip). */
static void
test_cpu_rating_no_finer_than_written(void **state)
{
	struct inventory inv, back;
	struct csv_line l;

	(void)state;
	assert_inv_error(INV_HEAD "host,cpu_rating\nweb01,0.0004\n", "3:2: ",
	    "cpu_rating: '0.0004' is below the allowed range [0.001, 1e+07]");
	assert_int_equal(load_inv(INV_HEAD "host,cpu_rating\nweb01,0.001\n",
	    &inv, NULL), 0);
	csv_line_init(&l);
	table_write_head(&inventory_spec, &l);
	table_write_row(&inventory_spec, &inv.servers[0], &l);
	assert_int_equal(load_inv(l.sb.buf, &back, NULL), 0);
	assert_near(back.servers[0].cpu_rating, 0.001, 1e-12);
	csv_line_release(&l);
	inventory_release(&back);
	inventory_release(&inv);
}

static void
test_missing_file_is_io_error(void **state)
{
	struct inventory inv;

	(void)state;
	error_clear();
	assert_int_equal(inventory_load(&inv, "/nonexistent/inv.csv", NULL),
	    -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "'/nonexistent/inv.csv'"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_loads_rows),
		cmocka_unit_test(test_inventory_columns_in_any_order),
		cmocka_unit_test(test_missing_required_column),
		cmocka_unit_test(test_duplicate_column),
		cmocka_unit_test(test_duplicate_key_names_first_line),
		cmocka_unit_test(test_empty_key_refused),
		cmocka_unit_test(test_non_numeric_cell_names_line_and_column),
		cmocka_unit_test(test_out_of_range_names_the_range),
		cmocka_unit_test(test_range_ends_are_allowed),
		cmocka_unit_test(test_whole_number_check),
		cmocka_unit_test(test_bool_cells),
		cmocka_unit_test(test_unknown_columns_listed_in_info),
		cmocka_unit_test(test_empty_file_refused),
		cmocka_unit_test(test_format_record_only_refused),
		cmocka_unit_test(test_header_only_gives_no_rows),
		cmocka_unit_test(test_wrong_kind_refused),
		cmocka_unit_test(test_field_count_must_match_header),
		cmocka_unit_test(test_inventory_row_checks),
		cmocka_unit_test(test_inventory_find_and_tags),
		cmocka_unit_test(test_hostcat_loads_power_curve),
		cmocka_unit_test(test_hostcat_refuses_falling_power_curve),
		cmocka_unit_test(test_hostcat_requires_every_power_point),
		cmocka_unit_test(test_hostcat_header_only_has_no_models),
		cmocka_unit_test(test_hostcat_failure_releases_info),
		cmocka_unit_test(test_hostcat_duplicate_model),
		cmocka_unit_test(test_write_then_read_gives_same_rows),
		cmocka_unit_test(test_cpu_rating_no_finer_than_written),
		cmocka_unit_test(test_missing_file_is_io_error),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
