/*
 * fmt_csv.c - every figure of the report as one long CSV table.
 *
 * capplan-report,1, then "section,item,field,value,unit": one row per
 * figure (the summary's, then every cell of every table but the first
 * column, which names the row as item).  Numbers are plain ("12345.00",
 * no thousands separators) so a spreadsheet reads them as numbers; text
 * cells go through escape_csv_text() (a leading = + - @ TAB CR or ' gets
 * a ', the rule of every capplan CSV) and csv_line's RFC 4180 quoting.
 */
#include <stdio.h>

#include "common/csvio.h"
#include "common/error.h"
#include "common/format.h"
#include "common/strbuf.h"
#include "reports/escape.h"
#include "reports/rtable.h"

static void
put_text(struct csv_line *l, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	escape_csv_text(&sb, s);
	csv_line_str(l, sb.buf);
	strbuf_release(&sb);
}

/* a figure row; value is raw text when text is set, else a number cell */
static int
row_put(struct csv_line *l, FILE *fp, const char *name, const char *section,
    const char *item, const char *field, const struct cell *c,
    const char *unit)
{
	struct strbuf sb = STRBUF_INIT;

	put_text(l, section);
	put_text(l, item);
	put_text(l, field);
	cell_plain(c, &sb);
	if (c->kind == CELL_TEXT)
		put_text(l, sb.buf);
	else
		csv_line_str(l, sb.buf);
	put_text(l, unit);
	strbuf_release(&sb);
	csv_line_end(l);
	return csv_line_flush(l, fp, name);
}

static int
table_put(struct csv_line *l, FILE *fp, const char *name,
    const struct rtable *t)
{
	struct strbuf item = STRBUF_INIT;
	size_t i, j;
	int ret = 0;

	for (i = 0; i < t->nrows && ret == 0; i++) {
		strbuf_reset(&item);
		cell_plain(&t->cells[i * t->ncols], &item);
		for (j = 1; j < t->ncols && ret == 0; j++)
			ret = row_put(l, fp, name, t->id, item.buf,
			    t->heads[j], &t->cells[i * t->ncols + j],
			    t->units[j]);
	}
	strbuf_release(&item);
	return ret;
}

int
fmt_csv_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	struct csv_line l;
	struct cell v;
	size_t i;
	int ret = -1;

	(void)c;
	csv_line_init(&l);
	format_write(&l, FORMAT_REPORT);
	csv_line_str(&l, "section");
	csv_line_str(&l, "item");
	csv_line_str(&l, "field");
	csv_line_str(&l, "value");
	csv_line_str(&l, "unit");
	csv_line_end(&l);
	if (csv_line_flush(&l, fp, name) == -1)
		goto out;
	v.kind = CELL_TEXT;
	for (i = 0; i < ts->nsum; i++) {
		v.text = ts->sum_value[i];
		if (row_put(&l, fp, name, "summary", ts->sum_label[i], "value",
		    &v, "") == -1)
			goto out;
		v.text = ts->sum_detail[i];
		if (row_put(&l, fp, name, "summary", ts->sum_label[i],
		    "detail", &v, "") == -1)
			goto out;
	}
	for (i = 0; i < ts->n; i++)
		if (table_put(&l, fp, name, &ts->t[i]) == -1)
			goto out;
	ret = 0;
out:
	csv_line_release(&l);
	return ret;
}
