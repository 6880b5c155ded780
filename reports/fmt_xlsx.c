/*
 * fmt_xlsx.c - the report as a workbook: a sheet "summary" (title, the
 * line under it, the headline and the summary's figures), then one sheet
 * per table, named by the table's id, through Debian's libxlsxwriter.
 *
 * Numbers are numbers (amounts formatted "#,##0", others with their
 * decimals), so a manager's spreadsheet sums them; text, names included,
 * is written as string cells, which Excel and LibreOffice never evaluate
 * whatever they start with ('=', '+', '@'), so no name becomes a formula.
 * libxlsxwriter writes to a path only: the workbook is made in a
 * temporary file (TMPDIR) and copied to the output, so standard output
 * and the atomic -o of every format work the same.  The document's
 * creation time is fixed (1 January 2000), so the same report gives the
 * same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "reports/rtable.h"

#define XLSX_EPOCH 946684800	/* 2000-01-01T00:00:00Z */

struct xlsx {
	lxw_workbook *wb;
	lxw_format *bold, *title, *amount, *num[7];
};

static void
xlsx_formats(struct xlsx *x)
{
	char fmt[16];
	int d;

	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	x->amount = workbook_add_format(x->wb);
	format_set_num_format(x->amount, "#,##0");
	for (d = 0; d < 7; d++) {
		snprintf(fmt, sizeof(fmt), "0%s%.*s", d > 0 ? "." : "", d,
		    "000000");
		x->num[d] = workbook_add_format(x->wb);
		format_set_num_format(x->num[d], fmt);
	}
}

static void
cell_put(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const struct cell *v)
{
	int d = v->decimals < 0 ? 0 : v->decimals > 6 ? 6 : v->decimals;

	switch (v->kind) {
	case CELL_EMPTY:
		break;
	case CELL_TEXT:
		worksheet_write_string(ws, r, c, v->text, NULL);
		break;
	case CELL_NUM:
		worksheet_write_number(ws, r, c, v->v, x->num[d]);
		break;
	case CELL_AMOUNT:
		worksheet_write_number(ws, r, c, v->v, x->amount);
		break;
	}
}

static void
sheet_table(struct xlsx *x, const struct rtable *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, t->id);
	lxw_row_t r;
	size_t i, j;

	worksheet_write_string(ws, 0, 0, t->title, x->title);
	for (j = 0; j < t->ncols; j++)
		worksheet_write_string(ws, 2, (lxw_col_t)j, t->heads[j],
		    x->bold);
	for (i = 0, r = 3; i < t->nrows; i++, r++)
		for (j = 0; j < t->ncols; j++)
			cell_put(x, ws, r, (lxw_col_t)j,
			    &t->cells[i * t->ncols + j]);
	if (t->note != NULL)
		worksheet_write_string(ws, r + 1, 0, t->note, NULL);
	worksheet_set_column(ws, 0, 0, 36, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(t->ncols > 1 ? t->ncols - 1 :
	    1), 16, NULL);
}

static void
sheet_summary(struct xlsx *x, const struct rtables *ts)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "summary");
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_grow(&sb, 0);
	for (i = 0; i < ts->nsub; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "", ts->sub[i]);
	worksheet_write_string(ws, 0, 0, ts->title, x->title);
	worksheet_write_string(ws, 1, 0, sb.buf, NULL);
	worksheet_write_string(ws, 3, 0, ts->headline != NULL ?
	    ts->headline : "", NULL);
	for (i = 0; i < ts->nsum; i++) {
		worksheet_write_string(ws, (lxw_row_t)(5 + i), 0,
		    ts->sum_label[i], x->bold);
		worksheet_write_string(ws, (lxw_row_t)(5 + i), 1,
		    ts->sum_value[i], NULL);
		worksheet_write_string(ws, (lxw_row_t)(5 + i), 2,
		    ts->sum_detail[i], NULL);
	}
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 20, NULL);
	worksheet_set_column(ws, 2, 2, 80, NULL);
	strbuf_release(&sb);
}

/* copy the file at path to fp; -1 with ERROR_IO */
static int
file_copy(const char *path, FILE *fp, const char *name)
{
	char buf[65536];
	FILE *in = fopen(path, "rb");
	size_t n;
	int ret = 0;

	if (in == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, fp) != n) {
			ret = error_set_errno(ERROR_IO, "cannot write '%s'",
			    name);
			break;
		}
	if (ret == 0 && ferror(in))
		ret = error_set(ERROR_IO, "cannot read '%s'", path);
	fclose(in);
	return ret;
}

/* a temporary file name for the workbook: "<TMPDIR>/capplan-xlsx.XXXXXX" */
static char *
temp_path(void)
{
	struct strbuf sb = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int fd;

	strbuf_addf(&sb, "%s/capplan-xlsx.XXXXXX", tmp != NULL && *tmp ? tmp :
	    "/tmp");
	fd = mkstemp(sb.buf);
	if (fd == -1) {
		error_set_errno(ERROR_IO, "cannot make '%s'", sb.buf);
		strbuf_release(&sb);
		return NULL;
	}
	close(fd);
	return strbuf_detach(&sb);
}

static int
workbook_make(const struct rtables *ts, const char *path)
{
	lxw_workbook_options opt = { LXW_FALSE, NULL, LXW_FALSE };
	lxw_doc_properties props;
	struct xlsx x;
	lxw_error rc;
	size_t i;

	memset(&props, 0, sizeof(props));
	props.title = (char *)(uintptr_t)ts->title;
	props.author = (char *)(uintptr_t)"capplan " CAPPLAN_VERSION;
	props.created = XLSX_EPOCH;
	opt.tmpdir = getenv("TMPDIR") != NULL && *getenv("TMPDIR") ?
	    getenv("TMPDIR") : NULL;
	memset(&x, 0, sizeof(x));
	x.wb = workbook_new_opt(path, &opt);
	if (x.wb == NULL)
		return error_set(ERROR_IO, "cannot make the workbook '%s'",
		    path);
	workbook_set_properties(x.wb, &props);
	xlsx_formats(&x);
	sheet_summary(&x, ts);
	for (i = 0; i < ts->n; i++)
		sheet_table(&x, &ts->t[i]);
	rc = workbook_close(x.wb);
	if (rc != LXW_NO_ERROR)
		return error_set(ERROR_IO, "cannot write the workbook '%s': %s",
		    path, lxw_strerror(rc));
	return 0;
}

int
fmt_xlsx_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	char *path = temp_path();
	int ret;

	(void)c;
	if (path == NULL)
		return -1;
	ret = workbook_make(ts, path);
	if (ret == 0)
		ret = file_copy(path, fp, name);
	(void)unlink(path);
	free(path);
	return ret;
}
