/*
 * fmt_markdown.c - the report as Markdown (CommonMark with GFM tables),
 * the charts as PNG files beside it.
 *
 * Every piece of user text goes through escape_markdown(), which also
 * turns line breaks into spaces and escapes '|', so a name cannot end a
 * table cell, start a heading, or open raw HTML or a link.  Charts are
 * linked by their path relative to the Markdown file's directory.
 */
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "reports/escape.h"
#include "reports/rtable.h"

static void
put_esc(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	escape_markdown(&sb, s);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

/* the image path relative to the report: "<charts dir name>/<file>" */
static const char *
chart_rel(const struct report_chart *ch)
{
	const char *p = ch->image + strlen(ch->image);
	int slashes = 0;

	while (p > ch->image && slashes < 2)
		if (*--p == '/')
			slashes++;
	return slashes == 2 ? p + 1 : ch->image;
}

static void
chart_put(FILE *fp, const struct report_chart *ch)
{
	fputs("![", fp);
	put_esc(fp, ch->title);
	fputs("](", fp);
	/* our own file names: [A-Za-z0-9._-] and '/' only, see charts.c */
	fputs(chart_rel(ch), fp);
	fputs(")\n", fp);
	if (!ch->rendered)
		fprintf(fp, "\n*(not rendered: run `gnuplot %s.gp` in the "
		    "charts directory)*\n", ch->name);
	fputc('\n', fp);
}

static void
charts_put(FILE *fp, const struct report_charts *c, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; c != NULL && i < c->ncharts; i++)
		if (name[n - 1] == '-' ? strncmp(c->charts[i].name, name, n) ==
		    0 : strcmp(c->charts[i].name, name) == 0)
			chart_put(fp, &c->charts[i]);
}

static void
table_put(FILE *fp, const struct rtable *t)
{
	struct strbuf sb = STRBUF_INIT;
	const struct cell *c;
	size_t i, j;

	fputs("### ", fp);
	put_esc(fp, t->title);
	fputs("\n\n|", fp);
	for (j = 0; j < t->ncols; j++) {
		fputc(' ', fp);
		put_esc(fp, t->heads[j]);
		fputs(" |", fp);
	}
	fputs("\n|", fp);
	for (j = 0; j < t->ncols; j++) {
		c = t->nrows > 0 ? &t->cells[j] : NULL;
		fputs(c != NULL && (c->kind == CELL_NUM || c->kind ==
		    CELL_AMOUNT) ? " ---: |" : " --- |", fp);
	}
	fputc('\n', fp);
	for (i = 0; i < t->nrows; i++) {
		fputc('|', fp);
		for (j = 0; j < t->ncols; j++) {
			strbuf_reset(&sb);
			cell_format(&t->cells[i * t->ncols + j], &sb);
			fputs(t->total && i + 1 == t->nrows ? " **" : " ", fp);
			put_esc(fp, sb.buf);
			fputs(t->total && i + 1 == t->nrows ? "** |" : " |", fp);
		}
		fputc('\n', fp);
	}
	fputc('\n', fp);
	if (t->note != NULL) {
		put_esc(fp, t->note);
		fputs("\n\n", fp);
	}
	strbuf_release(&sb);
}

static void
summary_put(FILE *fp, const struct rtables *ts)
{
	size_t i;

	fputs("# ", fp);
	put_esc(fp, ts->title);
	fputs("\n\n", fp);
	for (i = 0; i < ts->nsub; i++) {
		fputs(i > 0 ? ", " : "", fp);
		put_esc(fp, ts->sub[i]);
	}
	fputs(ts->nsum > 0 ? "\n\n## Executive summary\n\n" : "\n\n", fp);
	put_esc(fp, ts->headline);
	fputs("\n\n", fp);
	for (i = 0; i < ts->nsum; i++) {
		fputs("- **", fp);
		put_esc(fp, ts->sum_label[i]);
		fputs(":** ", fp);
		put_esc(fp, ts->sum_value[i]);
		fputs(" (", fp);
		put_esc(fp, ts->sum_detail[i]);
		fputs(")\n", fp);
	}
	if (ts->nsum > 0)
		fputc('\n', fp);
}

int
fmt_markdown_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	const char *last = NULL;
	size_t i;

	summary_put(fp, ts);
	for (i = 0; i < ts->n; i++) {
		if (last == NULL || strcmp(last, ts->t[i].section) != 0) {
			last = ts->t[i].section;
			fputs("## ", fp);
			put_esc(fp, last);
			fputs("\n\n", fp);
		}
		table_put(fp, &ts->t[i]);
		if (ts->t[i].chart != NULL)
			charts_put(fp, c, ts->t[i].chart);
	}
	fputs("---\n\nMade by capplan " CAPPLAN_VERSION ". Chart scripts "
	    "and data are kept beside the charts.\n", fp);
	if (ferror(fp))
		return error_set(ERROR_IO, "cannot write '%s'", name);
	return 0;
}
