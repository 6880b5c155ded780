/*
 * test_validation.c - the errors of a validation and its JSON form
 * (model/validation.c): the summary by hand, a round trip through the
 * file, and files the reader refuses.
 */
#include <math.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "model/validation.h"

/* 2 guests x 3 slots; slot 2 left out; errors +1, -2 | +3, -4 */
static void
make_run(struct validation *v)
{
	static const double meas[2][3] = { { 10, 20, 99 }, { 30, 40, 99 } };
	static const double pred[2][3] = { { 11, 18, 0 }, { 33, 36, 0 } };
	size_t g, k;

	validation_init(v, 2, 3);
	v->name = strdup("host-001");
	v->hypervisor = strdup("qemu");
	v->hypervisor_why = strdup("a KVM guest did not reach its init");
	v->cpus = strdup("0-1");
	v->ncpus = 2;
	v->slot_s = 10;
	for (g = 0; g < 2; g++) {
		v->guests[g].name = strdup(g == 0 ? "web \"1\"" : "db<2>");
		v->guests[g].vcpus = 1;
		for (k = 0; k < 3; k++) {
			v->points[g * 3 + k].ready_pct = meas[g][k];
			v->points[g * 3 + k].predicted_pct = pred[g][k];
			v->points[g * 3 + k].demand_pct = 50;
		}
	}
	for (k = 0; k < 3; k++) {
		v->slots[k].label = strdup(k == 0 ? "00:00" : "01:00");
		v->slots[k].used = k < 2;
		v->slots[k].ready_pct = (meas[0][k] + meas[1][k]) / 2;
		v->slots[k].predicted_pct = (pred[0][k] + pred[1][k]) / 2;
	}
	v->slots[2].left_out = strdup("foreign load 9.0 %");
}

static void
test_summary_by_hand(void **state)
{
	struct validation v;

	(void)state;
	make_run(&v);
	validation_summarise(&v, 3.0);
	/* |errors| 1, 2, 3, 4: median 2.5; bias (1 - 2 + 3 - 4) / 4 */
	assert_int_equal(v.sum.points, 4);
	assert_int_equal(v.sum.slots_used, 2);
	assert_int_equal(v.sum.slots_left_out, 1);
	assert_near(v.sum.median_abs_pts, 2.5, 1e-12);
	assert_near(v.sum.max_abs_pts, 4.0, 1e-12);
	assert_near(v.sum.p90_abs_pts, 3.7, 1e-12);
	assert_near(v.sum.bias_pts, -0.5, 1e-12);
	/* slot means: (11+33)/2 - 20 = 2, (18+36)/2 - 30 = -3 */
	assert_near(v.sum.slot_median_abs_pts, 2.5, 1e-12);
	assert_true(v.sum.pass);
	/* no work figures: the replay is not judged */
	assert_true(isnan(v.sum.work_low_pct));
	assert_true(isnan(v.sum.work_high_pct));
	validation_summarise(&v, 2.0);
	assert_false(v.sum.pass);
	validation_release(&v);
}

/* the work done against the demand, over the counted slots only */
static void
test_summary_work_range(void **state)
{
	struct validation v;
	char text[256];

	(void)state;
	make_run(&v);
	v.points[0].work_pct = 45;	/* 90 % of its 50 */
	v.points[1].work_pct = 52;	/* 104 % */
	v.points[3].work_pct = 40;	/* 80 % */
	v.points[2].work_pct = 10;	/* slot 2, left out: not counted */
	v.points[5].work_pct = 99;	/* likewise */
	v.points[4].demand_pct = 0;	/* no demand: no ratio */
	v.points[4].work_pct = 7;
	validation_summarise(&v, 3.0);
	assert_near(v.sum.work_low_pct, 80, 1e-12);
	assert_near(v.sum.work_high_pct, 104, 1e-12);
	assert_true(validation_work_strays(&v.sum));	/* 80 < 90 */
	v.points[3].work_pct = 46;	/* 92 % */
	validation_summarise(&v, 3.0);
	assert_false(validation_work_strays(&v.sum));
	assert_true(validation_work_text(&v.sum, text, sizeof(text)));
	assert_null(strstr(text, "MORE"));
	v.points[1].work_pct = 56;	/* 112 % */
	validation_summarise(&v, 3.0);
	assert_true(validation_work_strays(&v.sum));
	assert_true(validation_work_text(&v.sum, text, sizeof(text)));
	assert_non_null(strstr(text, "did 90.0 to 112.0 % of the work"));
	assert_non_null(strstr(text, "; MORE than 10 % off"));
	v.sum.work_low_pct = v.sum.work_high_pct = NAN;
	assert_false(validation_work_strays(&v.sum));
	assert_false(validation_work_text(&v.sum, text, sizeof(text)));
	assert_string_equal(text, "");
	validation_release(&v);
}

static void
test_round_trip(void **state)
{
	struct validation_set s = { false, NULL, 0, { 0 } }, back;
	const char *path = test_write_file("validation", ".json", "");

	(void)state;
	s.runs = calloc(1, sizeof(*s.runs));
	s.nruns = 1;
	make_run(&s.runs[0]);
	s.runs[0].points[0].work_pct = 45;
	validation_summarise(&s.runs[0], 3.0);
	validation_set_summarise(&s, 3.0);
	assert_int_equal(validation_set_write(&s, path), 0);
	assert_int_equal(validation_set_read(&back, path), 0);
	assert_int_equal(back.nruns, 1);
	assert_int_equal(back.runs[0].nguests, 2);
	assert_int_equal(back.runs[0].nslots, 3);
	assert_string_equal(back.runs[0].guests[0].name, "web \"1\"");
	assert_string_equal(back.runs[0].guests[1].name, "db<2>");
	assert_string_equal(back.runs[0].hypervisor_why,
	    "a KVM guest did not reach its init");
	assert_null(back.runs[0].plan_host);
	assert_near(back.runs[0].points[4].ready_pct, 40, 1e-9);
	assert_near(back.runs[0].points[4].predicted_pct, 36, 1e-9);
	assert_true(isnan(back.runs[0].points[4].work_pct));
	assert_false(back.runs[0].slots[2].used);
	assert_string_equal(back.runs[0].slots[2].left_out,
	    "foreign load 9.0 %");
	assert_near(back.sum.median_abs_pts, 2.5, 1e-9);
	assert_int_equal(back.sum.points, 4);
	assert_true(back.sum.pass);
	assert_near(back.sum.work_low_pct, 90, 1e-9);
	assert_near(back.sum.work_high_pct, 90, 1e-9);
	validation_set_release(&back);
	validation_set_release(&s);
	unlink(path);
}

static void
refused(const char *text, const char *want)
{
	struct validation_set s;
	const char *path = test_write_file("bad-validation", ".json", text);

	error_clear();
	assert_int_equal(validation_set_read(&s, path), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strstr(error_last_msg(), want) == NULL)
		fail_msg("'%s' lacks '%s'", error_last_msg(), want);
	unlink(path);
}

static void
test_reader_refuses_bad_files(void **state)
{
	(void)state;
	refused("{\"format\": \"capplan-plan\", \"version\": 1}",
	    "'format' is not");
	refused("{\"format\": \"capplan-validation\", \"version\": 2}",
	    "'version' is not 1");
	refused("{\"format\": \"capplan-validation\", \"version\": 1, "
	    "\"summary\": {}, \"runs\": []}", "'runs' is missing or empty");
	refused("{\"format\": \"capplan-validation\", \"version\": 1, "
	    "\"summary\": {}, \"runs\": [{\"guests\": [], \"slots\": [], "
	    "\"summary\": {}, \"ncpus\": \"two\"}]}",
	    "runs[0]: 'ncpus' is not a number");
	refused("{\"format\": \"capplan-validation\", \"version\": 1, "
	    "\"summary\": {}, \"runs\": [{\"guests\": [{\"name\": \"a\", "
	    "\"slots\": []}], \"slots\": [{\"label\": \"x\"}], \"summary\": "
	    "{}}]}", "does not have one entry per slot");
	refused("{\"format\": ", "1:");
	/* a guest not an object: refused with no message, so capplan report
	 * said only "capplan report: " (found by fuzz_validation) */
	refused("{\"format\": \"capplan-validation\", \"version\": 1, "
	    "\"summary\": {}, \"runs\": [{\"guests\": [7], \"slots\": [], "
	    "\"summary\": {}}]}", "runs[0].guests[0]: 'guests' holds "
	    "something not an object");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_by_hand),
		cmocka_unit_test(test_summary_work_range),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reader_refuses_bad_files),
	};

	return cmocka_run_group_tests_name("validation", tests, NULL, NULL);
}
