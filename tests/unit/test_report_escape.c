/*
 * test_report_escape.c - names are inert in HTML, Markdown, CSV and
 * gnuplot (reports/escape.c), and gnuplot really runs nothing from them.
 *
 * The last tests run the real gnuplot (gnuplot-nox, scripts/install-deps)
 * on a script whose title and tic labels are hostile names, through
 * gnuplot_run(), and check that no command ran and that the SVG shows the
 * names as text.
 */
#include "testlib.h"

#include <sys/stat.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "reports/escape.h"
#include "reports/gnuplot_run.h"

typedef void (*escape_fn)(struct strbuf *, const char *);

static void
check(escape_fn fn, const char *in, const char *want)
{
	struct strbuf sb;

	strbuf_init(&sb);
	fn(&sb, in);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void
test_html_markup_and_quotes(void **state)
{
	(void)state;
	check(escape_html, "<script>alert(\"x\")</script>",
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	check(escape_html, "a'b&c", "a&#39;b&amp;c");
	check(escape_html, "=1+2;rm -rf /", "=1+2;rm -rf /");
	check(escape_html, "", "");
	check(escape_html, NULL, "");
}

static void
test_html_controls_and_bad_utf8(void **state)
{
	(void)state;
	check(escape_html, "a\nb\tc", "a\nb\tc");
	check(escape_html, "a\x01" "b", "a\xef\xbf\xbd" "b");
	check(escape_html, "a\xff" "b", "a\xef\xbf\xbd" "b");
	check(escape_html, "caf\xc3\xa9", "caf\xc3\xa9");
	/* an overlong '<' (0xc0 0xbc) must not come out as '<' */
	check(escape_html, "\xc0\xbc", "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_markdown_cannot_break_out(void **state)
{
	(void)state;
	check(escape_markdown, "*a*|b", "\\*a\\*\\|b");
	check(escape_markdown, "<b>", "&lt;b&gt;");
	check(escape_markdown, "![x](http://e)", "!\\[x\\](http://e)");
	check(escape_markdown, "a\nb\r\nc", "a b  c");
	check(escape_markdown, "# h #", "\\# h \\#");
	check(escape_markdown, "`x` _y_ ~z~ \\", "\\`x\\` \\_y\\_ \\~z\\~ \\\\");
	check(escape_markdown, "web01.example, (eu)", "web01.example, (eu)");
	check(escape_markdown, "NULL", "NULL");
	check(escape_markdown, NULL, "");
}

static void
test_markdown_line_starts(void **state)
{
	(void)state;
	check(escape_markdown, "-2+3", "\\-2+3");
	check(escape_markdown, "+x", "\\+x");
	check(escape_markdown, "===", "\\===");
	check(escape_markdown, "12. item", "12\\. item");
	check(escape_markdown, "3) item", "3\\) item");
	check(escape_markdown, "2026 plan", "2026 plan");
	check(escape_markdown, "a-b", "a-b");
}

static void
test_csv_formula_prefix(void **state)
{
	(void)state;
	check(escape_csv_text, "=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")");
	check(escape_csv_text, "+1", "'+1");
	check(escape_csv_text, "-1", "'-1");
	check(escape_csv_text, "@SUM(A1)", "'@SUM(A1)");
	check(escape_csv_text, "\tx", "'\tx");
	check(escape_csv_text, "\rx", "'\rx");
	check(escape_csv_text, "a=b", "a=b");
	check(escape_csv_text, "", "");
}

static void
test_gnuplot_single_quoted(void **state)
{
	(void)state;
	check(escape_gnuplot, "a'b", "'a' . \"'\" . 'b'");
	check(escape_gnuplot, "system(\"touch x\")", "'system(\"touch x\")'");
	check(escape_gnuplot, "a\nb", "'a b'");
	check(escape_gnuplot, "`touch x` @m \\n", "'`touch x` @m \\n'");
	check(escape_gnuplot, "", "''");
	/* where gnuplot 5.4 reads '' as an empty string: never inside one */
	check(escape_gnuplot, "'lead", "\"'\" . 'lead'");
	check(escape_gnuplot, "a''b'", "'a' . \"'\" . \"'\" . 'b' . \"'\"");
	check(escape_gnuplot, "'", "\"'\"");
	check(escape_gnuplot, "100%g", "'100%g'");
	/* tic labels are formats to gnuplot */
	check(escape_gnuplot_format, "100%g", "'100%%g'");
	check(escape_gnuplot_format, "'%", "\"'\" . '%%'");
}

static const char *const evil[] = {
	"<script>alert(1)</script>",
	"x'; system(\"touch PWNED1\"); print '",
	"`touch PWNED2`",
	"@evil",
	"a\nset output 'PWNED3'",
	";rm -rf PWNED4",
	"=cmd|' /C calc'!A0",
	"'lead",
	"a''b'",
	"100%g",
};
#define NEVIL (sizeof(evil) / sizeof(evil[0]))

static char *
tmpdir_make(void)
{
	char *d = strdup("/tmp/capplan-test-gp.XXXXXX");
	const char *t = getenv("TMPDIR");

	if (t != NULL) {
		free(d);
		d = malloc(strlen(t) + 32);
		sprintf(d, "%s/gp.XXXXXX", t);
	}
	assert_non_null(mkdtemp(d));
	return d;
}

static void
write_script(const char *dir)
{
	struct strbuf sb;
	char path[512];
	FILE *fp;
	size_t i;

	snprintf(path, sizeof(path), "%s/t.gp", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	strbuf_init(&sb);
	fputs("set terminal svg noenhanced\nset output 't.svg'\nset title ",
	    fp);
	escape_gnuplot(&sb, evil[1]);
	fprintf(fp, "%s\nset xtics (", sb.buf);
	for (i = 0; i < NEVIL; i++) {
		strbuf_reset(&sb);
		escape_gnuplot_format(&sb, evil[i]);
		fprintf(fp, "%s%s %zu", i > 0 ? ", " : "", sb.buf, i);
	}
	fputs(")\nset xrange [0:9]\nplot x title ", fp);
	strbuf_reset(&sb);
	escape_gnuplot(&sb, evil[2]);
	fprintf(fp, "%s\n", sb.buf);
	fclose(fp);
	strbuf_release(&sb);
}

static void
test_gnuplot_runs_nothing_from_names(void **state)
{
	char *dir = tmpdir_make(), path[512], *svg;
	struct stat st;
	FILE *fp;
	long n;
	int k;

	(void)state;
	write_script(dir);
	if (gnuplot_run(dir, "t.gp") == -1)
		fail_msg("%s", error_last_msg());
	for (k = 1; k <= 4; k++) {
		snprintf(path, sizeof(path), "%s/PWNED%d", dir, k);
		assert_int_not_equal(stat(path, &st), 0);
	}
	snprintf(path, sizeof(path), "%s/t.svg", dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	svg = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(svg, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	/* the names are text in the picture, markup escaped by gnuplot */
	assert_non_null(strstr(svg, "&lt;script>alert(1)&lt;/script>"));
	assert_non_null(strstr(svg, "system(\"touch PWNED1\")"));
	assert_non_null(strstr(svg, "`touch PWNED2`"));
	assert_null(strstr(svg, "<script"));
	/* tic labels as they are: a leading ', two in a row, a % */
	assert_non_null(strstr(svg, ">'lead<"));
	assert_non_null(strstr(svg, ">a''b'<"));
	assert_non_null(strstr(svg, ">100%g<"));
	free(svg);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	free(dir);
}

static void
test_gnuplot_failure_is_reported(void **state)
{
	char *dir = tmpdir_make(), path[512];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/bad.gp", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("plot 'no-such-file.dat'\n", fp);
	fclose(fp);
	assert_int_equal(gnuplot_run(dir, "bad.gp"), -1);
	assert_int_equal(error_last_kind(), ERROR_BACKEND);
	assert_non_null(strstr(error_last_msg(), "gnuplot failed on"));
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_markup_and_quotes),
		cmocka_unit_test(test_html_controls_and_bad_utf8),
		cmocka_unit_test(test_markdown_cannot_break_out),
		cmocka_unit_test(test_markdown_line_starts),
		cmocka_unit_test(test_csv_formula_prefix),
		cmocka_unit_test(test_gnuplot_single_quoted),
		cmocka_unit_test(test_gnuplot_runs_nothing_from_names),
		cmocka_unit_test(test_gnuplot_failure_is_reported),
	};

	return cmocka_run_group_tests_name("report_escape", tests, NULL,
	    NULL);
}
