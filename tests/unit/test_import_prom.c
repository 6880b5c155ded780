/*
 * test_import_prom.c - the pieces of capplan import prometheus --url
 * that need no server: the response reader (import/promresp.c) and the
 * query table's expansion (import/promql.c).  The server itself is in
 * tests/import/prometheus-live.sh.
 */
#include "tests/unit/testlib.h"

#include <math.h>
#include <string.h>

#include "common/error.h"
#include "common/samples.h"
#include "common/strbuf.h"
#include "import/promql.h"
#include "import/promresp.h"

struct seen {
	struct strbuf log;	/* "S inst;" per series, "t=v;" per point */
	int fail_at;		/* point callback number that fails, or 0 */
	int npoints;
};

static int
on_series(void *arg, const struct promresp_labels *l)
{
	struct seen *s = arg;
	const char *inst = promresp_label(l, "instance");

	strbuf_addf(&s->log, "S %s;", inst != NULL ? inst : "-");
	return 0;
}

static int
on_point(void *arg, double t, double v)
{
	struct seen *s = arg;

	if (++s->npoints == s->fail_at)
		return error_set(ERROR_DATA, "stop");
	strbuf_addf(&s->log, "%g=%g;", t, v);
	return 0;
}

static int
on_string(void *arg, const char *str)
{
	struct seen *s = arg;

	strbuf_addf(&s->log, "[%s]", str);
	return 0;
}

/* Parse text as kind; the log in s (release it). */
static int
parse(const char *text, enum promresp_kind kind, struct seen *s)
{
	struct promresp_ops ops = { on_series, on_point, on_string, s };
	char *buf = strdup(text);
	int rc;

	strbuf_init(&s->log);
	rc = promresp_parse(buf, strlen(buf), "r", kind, &ops);
	assert_string_equal(buf, text);	/* restored */
	free(buf);
	return rc;
}

static void
test_matrix_series_and_points(void **state)
{
	struct seen s = { STRBUF_INIT, 0, 0 };

	(void)state;
	assert_int_equal(parse("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"matrix\",\"result\":[{\"metric\":{\"instance\":\"a:1\"},\"values\":"
	    "[[10,\"1.5\"],[20,\"NaN\"]]},{\"metric\":{\"instance\":\"b\"},"
	    "\"values\":[[10.5,\"+Inf\"]]}]}}", PROMRESP_MATRIX, &s), 0);
	assert_string_equal(s.log.buf, "S a:1;10=1.5;20=nan;S b;10.5=inf;");
	strbuf_release(&s.log);
}

static void
test_values_before_metric_are_read_after_it(void **state)
{
	struct seen s = { STRBUF_INIT, 0, 0 };

	(void)state;
	assert_int_equal(parse(" { \"data\" : { \"result\" : [ { \"values\" : "
	    "[ [ 1 , \"2\" ] ] , \"extra\": {\"x\": [true, null, -1e3]}, "
	    "\"metric\" : { \"instance\" : \"h\\u00e9\\ud83d\\ude00\" } } ], "
	    "\"resultType\" : \"matrix\" }, \"status\" : \"success\" }\n",
	    PROMRESP_MATRIX, &s), 0);
	assert_string_equal(s.log.buf, "S h\xc3\xa9\xf0\x9f\x98\x80;1=2;");
	strbuf_release(&s.log);
}

static void
test_vector_and_strings(void **state)
{
	struct seen s = { STRBUF_INIT, 0, 0 };

	(void)state;
	assert_int_equal(parse("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{},\"value\":[5,\"7\"]}]}}",
	    PROMRESP_VECTOR, &s), 0);
	assert_string_equal(s.log.buf, "S -;5=7;");
	strbuf_release(&s.log);
	assert_int_equal(parse("{\"status\":\"success\",\"data\":[\"x\",\"\","
	    "\"a\\\"b\"]}", PROMRESP_STRINGS, &s), 0);
	assert_string_equal(s.log.buf, "[x][][a\"b]");
	strbuf_release(&s.log);
}

static void
test_error_response_gives_the_servers_words(void **state)
{
	struct seen s = { STRBUF_INIT, 0, 0 };

	(void)state;
	assert_int_equal(parse("{\"status\":\"error\",\"errorType\":"
	    "\"bad_data\",\"error\":\"1:5: parse error\"}", PROMRESP_MATRIX,
	    &s), -1);
	assert_int_equal(error_last_kind(), ERROR_BACKEND);
	assert_string_equal(error_last_msg(), "r: bad_data: 1:5: parse error");
	strbuf_release(&s.log);
}

/*
 * No callbacks (promhttp.c reads an HTTP error's body so): the walk only
 * checks.  A body of label values crashed it, the NULL ops being read
 * for the string callback (found by tests/fuzz/fuzz_promresp.c).
 */
static void
test_no_callbacks(void **state)
{
	static const char *const text[] = {
		"{\"status\":\"success\",\"data\":[\"x\",\"y\"]}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		    "\"result\":[{\"metric\":{},\"values\":[[1,\"2\"]]}]}}",
	};
	static const enum promresp_kind kind[] = { PROMRESP_STRINGS,
	    PROMRESP_MATRIX };
	char *buf;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		buf = strdup(text[i]);
		assert_int_equal(promresp_parse(buf, strlen(buf), "r", kind[i],
		    NULL), 0);
		assert_string_equal(buf, text[i]);
		free(buf);
	}
}

/* text fails as kind with message want */
static void
assert_refused(const char *text, enum promresp_kind kind, const char *want)
{
	struct seen s = { STRBUF_INIT, 0, 0 };

	assert_int_equal(parse(text, kind, &s), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	assert_string_equal(error_last_msg(), want);
	strbuf_release(&s.log);
}

static void
test_damage_is_refused_with_its_position(void **state)
{
	(void)state;
	assert_refused("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[]}}", PROMRESP_MATRIX, "r:1:42: "
	    "resultType is \"vector\", not \"matrix\"");
	assert_refused("{\"status\":\"success\",\"data\":{\"result\":[{"
	    "\"metric\":{},\"values\":[[1,\"x1\"]]}]}}", PROMRESP_MATRIX,
	    "r:1:66: 'x1' is not a number");
	assert_refused("{\"status\":\"success\",\"data\":{\"result\":[{"
	    "\"metric\":{},\"values\":[[1,\"0x10\"]]}]}}", PROMRESP_MATRIX,
	    "r:1:66: '0x10' is not a number");
	assert_refused("{\"status\":\"success\",\"data\":{\"result\":[{"
	    "\"metric\":{},\"values\":[[1,\"nan\"]]}]}}", PROMRESP_MATRIX,
	    "r:1:66: 'nan' is not a number");
	assert_refused("{\"status\":\"success\",\"data\":{\"result\":[{"
	    "\"metric\":{}}]}}", PROMRESP_MATRIX,
	    "r:1:51: a series without \"values\"");
	assert_refused("{\"status\":\"success\",\"data\":{\"result\":[{"
	    "\"metric\":{\"a\":1},\"values\":[]}]}}", PROMRESP_MATRIX,
	    "r:1:54: a label value that is not a string");
	assert_refused("{\"status\":\"success\"}", PROMRESP_MATRIX,
	    "r:1:1: no \"data\" with a \"result\" in the response");
	assert_refused("{\"data\":[]}", PROMRESP_STRINGS, "r:1:1: no "
	    "\"status\" in the response: not the Prometheus HTTP API");
	assert_refused("{\"status\":\"success\",\"data\":[\"a\"]} x",
	    PROMRESP_STRINGS, "r:1:35: expected the end of the response, "
	    "found 'x'");
	assert_refused("{\"status\":\"success\",\n\"data\":[\"a\",]}",
	    PROMRESP_STRINGS, "r:2:13: expected a string, found ']'");
	assert_refused("{\"status\":\"succ", PROMRESP_STRINGS,
	    "r:1:16: string not closed before the end of the response");
	assert_refused("{\"status\":\"success\",\"data\":[\"\\ud800\"]}",
	    PROMRESP_STRINGS, "r:1:36: a lone UTF-16 surrogate in a string");
	assert_refused("", PROMRESP_STRINGS, "r:1:1: expected a Prometheus "
	    "API response (a JSON object), found the end of the response");
}

static void
test_deep_nesting_is_refused(void **state)
{
	char text[400];
	size_t i, n = 0;

	(void)state;
	n += (size_t)snprintf(text, sizeof(text), "{\"x\":");
	for (i = 0; i < 100; i++)
		text[n++] = '[';
	text[n] = '\0';
	assert_refused(text, PROMRESP_STRINGS, "r:1:70: nested more than 64 "
	    "deep");
}

static void
test_a_callback_stops_the_walk(void **state)
{
	struct seen s = { STRBUF_INIT, 2, 0 };

	(void)state;
	assert_int_equal(parse("{\"status\":\"success\",\"data\":{\"result\":[{"
	    "\"metric\":{},\"values\":[[1,\"1\"],[2,\"2\"],[3,\"3\"]]}]}}",
	    PROMRESP_MATRIX, &s), -1);
	assert_string_equal(error_last_msg(), "stop");
	assert_string_equal(s.log.buf, "S -;1=1;");
	strbuf_release(&s.log);
}

static void
expand(const char *tmpl, const char *m, const char *want)
{
	struct strbuf sb;

	strbuf_init(&sb);
	promql_expand(&sb, tmpl, 60, 3600, m);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void
test_expand_adds_matchers_to_every_selector(void **state)
{
	(void)state;
	expand("rate(a{}[S]) / b{m=\"x}\"}", NULL, "rate(a[60s]) / "
	    "b{m=\"x}\"}");
	expand("rate(a{}[S]) / b{m=\"x}\"}", "job=\"n\"",
	    "rate(a{job=\"n\"}[60s]) / b{m=\"x}\",job=\"n\"}");
	expand("last_over_time(c{}[R])", "", "last_over_time(c[3600s])");
}

static void
test_selector_matchers(void **state)
{
	char *m;

	(void)state;
	m = promql_selector_matchers(" { job=\"node\", env=\"prod\" } ");
	assert_string_equal(m, "job=\"node\", env=\"prod\"");
	free(m);
	m = promql_selector_matchers("{}");
	assert_string_equal(m, "");
	free(m);
	assert_null(promql_selector_matchers("job=\"node\""));
	assert_null(promql_selector_matchers("{"));
}

static void
test_regex_of_instances_is_anchored_literal(void **state)
{
	char a[] = "10.0.0.1:9100", b[] = "a\"b\\c", c[] = "x|y";
	char *names[] = { a, b, c };
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	promql_regex_of(&sb, names, 3);
	assert_string_equal(sb.buf, "\"10\\\\.0\\\\.0\\\\.1:9100|a\\\"b\\\\\\\\c|"
	    "x\\\\|y\"");
	strbuf_release(&sb);
}

static void
test_every_query_is_by_instance_and_columns_are_distinct(void **state)
{
	bool seen[METRIC_N] = { false };
	size_t i;

	(void)state;
	for (i = 0; i < npromql_queries; i++) {
		assert_non_null(strstr(promql_queries[i].tmpl,
		    "by (instance"));
		assert_false(seen[promql_queries[i].metric]);
		seen[promql_queries[i].metric] = true;
	}
	for (i = 0; i < PROMQL_INV_N; i++) {
		assert_int_equal(promql_inv_queries[i].field, i);
		assert_non_null(strstr(promql_inv_queries[i].tmpl,
		    "by (instance"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_series_and_points),
		cmocka_unit_test(test_values_before_metric_are_read_after_it),
		cmocka_unit_test(test_vector_and_strings),
		cmocka_unit_test(test_no_callbacks),
		cmocka_unit_test(test_error_response_gives_the_servers_words),
		cmocka_unit_test(test_damage_is_refused_with_its_position),
		cmocka_unit_test(test_deep_nesting_is_refused),
		cmocka_unit_test(test_a_callback_stops_the_walk),
		cmocka_unit_test(test_expand_adds_matchers_to_every_selector),
		cmocka_unit_test(test_selector_matchers),
		cmocka_unit_test(test_regex_of_instances_is_anchored_literal),
		cmocka_unit_test(
		    test_every_query_is_by_instance_and_columns_are_distinct),
	};

	return cmocka_run_group_tests_name("import_prom", tests, NULL, NULL);
}
