/*
 * fmt_html.c - the report as one self-contained HTML file.
 *
 * No network and no script: the style sheet is inline, every chart is
 * gnuplot's SVG copied inline (its XML prolog dropped and its ids given a
 * per-chart prefix, since several SVGs share one id space), and a print
 * style sheet lays it out on A4 without the navigation.  Every piece of
 * user text goes through escape_html(); gnuplot escapes the text it puts
 * in an SVG, and an SVG holding a script element is refused rather than
 * copied (gnuplot only writes one when asked for mouse support).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "reports/escape.h"
#include "reports/report_int.h"
#include "reports/rtable.h"

static const char style[] =
	":root{--ink:#1f2933;--muted:#616e7c;--line:#d9e2ec;--accent:#2f6f9f;"
	"--good:#2f855a;--bad:#c53030;--card:#f5f7fa}\n"
	"*{box-sizing:border-box}\n"
	"body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'DejaVu Sans',sans-serif;color:var(--ink);margin:0;background:#fff}\n"
	"header{background:#102a43;color:#fff;padding:28px 40px}\n"
	"header h1{margin:0 0 4px;font-size:26px}\n"
	"header p{margin:0;color:#bcccdc}\n"
	"nav{padding:10px 40px;border-bottom:1px solid var(--line);"
	"font-size:14px}\n"
	"nav a{color:var(--accent);margin-right:16px;text-decoration:none}\n"
	"main{padding:8px 40px 40px;max-width:1200px}\n"
	"h2{margin:36px 0 8px;padding-bottom:4px;border-bottom:2px solid "
	"var(--line);font-size:21px}\n"
	"h3{margin:24px 0 8px;font-size:16px}\n"
	".headline{font-size:17px;margin:18px 0}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(250px,1fr));gap:12px}\n"
	".card{background:var(--card);border-left:4px solid var(--accent);"
	"padding:10px 14px;border-radius:4px}\n"
	".card .k{font-size:12px;text-transform:uppercase;letter-spacing:.04em;"
	"color:var(--muted)}\n"
	".card .v{font-size:22px;font-weight:600;margin:2px 0}\n"
	".card .d{font-size:13px;color:var(--muted)}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;font-size:13px;margin:6px 0;"
	"font-variant-numeric:tabular-nums}\n"
	"th,td{padding:4px 8px;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top}\n"
	"th{background:var(--card);font-weight:600}\n"
	"td.n{text-align:right;white-space:nowrap}\n"
	"td:first-child{white-space:nowrap}\n"
	"tr.total td{font-weight:700;border-top:2px solid var(--ink)}\n"
	"td.neg{color:var(--bad)}\n"
	"p.note{color:var(--muted);font-size:13px;max-width:900px}\n"
	"figure.chart{margin:12px 0 20px}\n"
	"figure.chart svg{max-width:100%;height:auto;display:block}\n"
	"figure.chart figcaption{font-size:13px;color:var(--muted)}\n"
	"figure.missing{border:1px dashed var(--line);padding:12px}\n"
	"details>summary{cursor:pointer;color:var(--accent);font-size:14px;"
	"margin:4px 0}\n"
	/* the one-page summary: four cards a row, a short chart */
	"body.onepage{font-size:12px}\n"
	"body.onepage header h1{font-size:20px}\n"
	"body.onepage h2{margin:8px 0 4px;font-size:16px}\n"
	"body.onepage .headline{font-size:13px;margin:6px 0}\n"
	"body.onepage .cards{grid-template-columns:repeat(4,1fr);gap:6px}\n"
	"body.onepage .card{padding:5px 8px}\n"
	"body.onepage .card .v{font-size:15px}\n"
	"body.onepage .card .d{font-size:10.5px}\n"
	"body.onepage h3{margin:10px 0 4px}\n"
	"body.onepage table{font-size:10.5px}\n"
	"body.onepage p.note{font-size:10.5px}\n"
	"body.onepage figure.chart{margin:4px 0}\n"
	"body.onepage figure.chart svg{max-height:54mm;width:auto}\n"
	"body.onepage footer{padding:4px 0;font-size:10px}\n"
	"footer{padding:16px 40px;color:var(--muted);font-size:12px;"
	"border-top:1px solid var(--line)}\n"
	"@page{size:A4;margin:14mm}\n"
	"@media print{nav{display:none}header{background:#fff;color:#000;"
	"padding:0 0 8px}header p{color:#333}main{padding:0;max-width:none}"
	"body{font-size:10pt}table{font-size:8.5pt}"
	"figure,tr,.card{break-inside:avoid}h2,h3{break-after:avoid}"
	".scroll{overflow:visible}a{color:inherit;text-decoration:none}}\n";

static void
put_esc(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	escape_html(&sb, s);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

/* read a whole file; NULL with ERROR_IO */
static char *
file_slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL) {
		error_set_errno(ERROR_IO, "cannot open '%s'", path);
		strbuf_release(&sb);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb);
}

static bool
has_script(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '<' && strncasecmp(s + 1, "script", 6) == 0)
			return true;
	return false;
}

/*
 * Copy gnuplot's SVG from "<svg" on, with every id and reference to one
 * given the prefix: id='x' -> id='p-x', href='#x' -> href='#p-x',
 * url(#x) -> url(#p-x).
 */
static void
svg_copy(FILE *fp, const char *svg, const char *prefix)
{
	static const char *const marks[] = { "id='", "id=\"", "href='#",
	    "href=\"#", "url(#" };
	const char *s = strstr(svg, "<svg");
	size_t i, n;

	while (s != NULL && *s != '\0') {
		for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
			n = strlen(marks[i]);
			if (strncmp(s, marks[i], n) == 0 && (marks[i][0] !=
			    'i' || !isalnum((unsigned char)s[-1]))) {
				fprintf(fp, "%s%s-", marks[i], prefix);
				s += n;
				break;
			}
		}
		if (i == sizeof(marks) / sizeof(marks[0]))
			fputc(*s++, fp);
	}
}

static int
chart_put(FILE *fp, const struct report_chart *ch)
{
	char *svg, *dir;

	fprintf(fp, "<figure class=\"chart\" id=\"chart-%s\" "
	    "aria-label=\"", ch->name);
	put_esc(fp, ch->title);
	fputs("\">\n", fp);
	if (!ch->rendered) {
		dir = xstrndup(ch->script, (size_t)(strrchr(ch->script, '/') -
		    ch->script));
		fputs("<p>Chart not rendered: run <code>gnuplot ", fp);
		put_esc(fp, ch->name);
		fputs(".gp</code> in <code>", fp);
		put_esc(fp, dir);
		fputs("</code>.</p>\n<figcaption>", fp);
		free(dir);
		put_esc(fp, ch->title);
		fputs("</figcaption></figure>\n", fp);
		return 0;
	}
	svg = file_slurp(ch->image);
	if (svg == NULL)
		return -1;
	if (has_script(svg)) {
		free(svg);
		return error_set(ERROR_BACKEND, "'%s' holds a script; refusing "
		    "to copy it into the report", ch->image);
	}
	/* the title is drawn in the SVG; aria-label names it for readers */
	svg_copy(fp, svg, ch->name);
	free(svg);
	fputs("\n</figure>\n", fp);
	return 0;
}

static int
charts_put(FILE *fp, const struct report_charts *c, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; c != NULL && i < c->ncharts; i++)
		if (name[n - 1] == '-' ? strncmp(c->charts[i].name, name, n) ==
		    0 : strcmp(c->charts[i].name, name) == 0)
			if (chart_put(fp, &c->charts[i]) == -1)
				return -1;
	return 0;
}

static bool
cell_numeric(const struct cell *c)
{
	return c->kind == CELL_NUM || c->kind == CELL_AMOUNT;
}

static void
table_put(FILE *fp, const struct rtable *t, enum html_mode mode)
{
	struct strbuf sb = STRBUF_INIT;
	const struct cell *c;
	bool fold = mode == HTML_SCREEN && t->nrows > HTML_FOLD_ROWS;
	size_t i, j;

	fprintf(fp, "<h3 id=\"t-%s\">", t->id);
	put_esc(fp, t->title);
	fputs("</h3>\n", fp);
	/* a long table folded: the report reads on to its next chart */
	if (fold)
		fprintf(fp, "<details><summary>%zu rows: show them</summary>\n",
		    t->nrows);
	fputs("<div class=\"scroll\"><table>\n<thead><tr>", fp);
	for (j = 0; j < t->ncols; j++) {
		fputs("<th>", fp);
		put_esc(fp, t->heads[j]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < t->nrows; i++) {
		fputs(t->total && i + 1 == t->nrows ? "<tr class=\"total\">" :
		    "<tr>", fp);
		for (j = 0; j < t->ncols; j++) {
			c = &t->cells[i * t->ncols + j];
			strbuf_reset(&sb);
			cell_format(c, &sb);
			/* red for money lost; a smaller footprint is no loss */
			fprintf(fp, "<td%s>", !cell_numeric(c) ? "" :
			    c->kind == CELL_AMOUNT && c->v < 0 ?
			    " class=\"n neg\"" : " class=\"n\"");
			put_esc(fp, sb.buf);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	if (fold)
		fputs("</details>\n", fp);
	if (t->note != NULL) {
		fputs("<p class=\"note\">", fp);
		put_esc(fp, t->note);
		fputs("</p>\n", fp);
	}
	strbuf_release(&sb);
}

static void
head_put(FILE *fp, const struct rtables *ts, enum html_mode mode)
{
	const char *last = NULL;
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
	    "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,"
	    " initial-scale=1\">\n<meta name=\"generator\" content=\"capplan "
	    CAPPLAN_VERSION "\">\n<title>", fp);
	put_esc(fp, ts->title);
	fputs("</title>\n<style>\n", fp);
	fputs(style, fp);
	fputs(mode == HTML_SUMMARY ? "</style>\n</head>\n<body class=\""
	    "onepage\">\n<header><h1>" : "</style>\n</head>\n<body>\n"
	    "<header><h1>", fp);
	put_esc(fp, ts->title);
	fputs("</h1>\n<p>", fp);
	for (i = 0; i < ts->nsub; i++) {
		fputs(i > 0 ? " &middot; " : "", fp);
		put_esc(fp, ts->sub[i]);
	}
	fputs("</p></header>\n", fp);
	if (mode == HTML_SUMMARY) {
		fputs("<main>\n", fp);
		return;
	}
	fputs("<nav>", fp);
	if (ts->nsum > 0)
		fputs("<a href=\"#summary\">Summary</a>", fp);
	for (i = 0; i < ts->n; i++) {
		if (last != NULL && strcmp(last, ts->t[i].section) == 0)
			continue;
		last = ts->t[i].section;
		fprintf(fp, "<a href=\"#t-%s\">", ts->t[i].id);
		put_esc(fp, last);
		fputs("</a>", fp);
	}
	fputs("</nav>\n<main>\n", fp);
}

static void
summary_put(FILE *fp, const struct rtables *ts)
{
	size_t i;

	fputs(ts->nsum > 0 ? "<h2 id=\"summary\">Executive summary</h2>\n" :
	    "", fp);
	fputs("<p class=\"headline\">", fp);
	put_esc(fp, ts->headline);
	fputs("</p>\n<div class=\"cards\">\n", fp);
	for (i = 0; i < ts->nsum; i++) {
		fputs("<div class=\"card\"><div class=\"k\">", fp);
		put_esc(fp, ts->sum_label[i]);
		fputs("</div><div class=\"v\">", fp);
		put_esc(fp, ts->sum_value[i]);
		fputs("</div><div class=\"d\">", fp);
		put_esc(fp, ts->sum_detail[i]);
		fputs("</div></div>\n", fp);
	}
	fputs("</div>\n", fp);
}

/* the one-page summary: the cost table and its chart */
static int
summary_page_put(FILE *fp, const struct rtables *ts,
    const struct report_charts *c)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i].id, "cost") == 0) {
			table_put(fp, &ts->t[i], HTML_SUMMARY);
			return ts->t[i].chart != NULL ? charts_put(fp, c,
			    ts->t[i].chart) : 0;
		}
	return 0;
}

static int
tables_put(FILE *fp, const struct rtables *ts, const struct report_charts *c,
    enum html_mode mode)
{
	const char *last = NULL;
	size_t i;

	if (mode == HTML_SUMMARY)
		return summary_page_put(fp, ts, c);
	for (i = 0; i < ts->n; i++) {
		if (last == NULL || strcmp(last, ts->t[i].section) != 0) {
			last = ts->t[i].section;
			fputs("<h2>", fp);
			put_esc(fp, last);
			fputs("</h2>\n", fp);
		}
		table_put(fp, &ts->t[i], mode);
		if (ts->t[i].chart != NULL &&
		    charts_put(fp, c, ts->t[i].chart) == -1)
			return -1;
	}
	return 0;
}

int
html_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name, enum html_mode mode)
{
	head_put(fp, ts, mode);
	summary_put(fp, ts);
	if (tables_put(fp, ts, c, mode) == -1)
		return -1;
	fputs("</main>\n<footer>Made by capplan " CAPPLAN_VERSION, fp);
	if (mode == HTML_SUMMARY) {
		fputs("; the full report has every figure behind these."
		    "</footer>\n</body>\n</html>\n", fp);
	} else {
		fputc(' ', fp);
		put_esc(fp, ts->footer);
		fputs(". Chart scripts and data are kept beside this file."
		    "</footer>\n</body>\n</html>\n", fp);
	}
	if (ferror(fp))
		return error_set(ERROR_IO, "cannot write '%s'", name);
	return 0;
}

int
fmt_html_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	return html_write(ts, c, fp, name, HTML_SCREEN);
}

int
fmt_summary_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	return html_write(ts, c, fp, name, HTML_SUMMARY);
}
