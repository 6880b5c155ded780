/*
 * table.c - the column-table reader and writer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/strmap.h"
#include "common/table.h"
#include "common/xalloc.h"

struct tread {
	const struct table_spec *spec;
	const char *path;
	int version;
	int *map;		/* file column -> spec column, or -1 */
	size_t ncols;		/* columns in the file */
	char *rows;
	size_t nrows, cap;
	struct strmap keys;
	struct table_info *info;
};

#define CELL(row, c) ((char *)(row) + (c)->offset)
#define CELL_C(row, c) ((const char *)(row) + (c)->offset)

static void
row_init(const struct table_spec *spec, void *row)
{
	const struct col_spec *c;
	size_t i;

	memset(row, 0, spec->row_size);
	for (i = 0; i < spec->ncols; i++) {
		c = &spec->cols[i];
		if (c->type == COL_NUM || c->type == COL_INT)
			*(double *)(void *)CELL(row, c) = NAN;
		else if (c->type == COL_BOOL)
			*(int *)(void *)CELL(row, c) = -1;
		else
			*(char **)(void *)CELL(row, c) = xstrdup("");
	}
}

static void
row_release(const struct table_spec *spec, void *row)
{
	size_t i;

	for (i = 0; i < spec->ncols; i++)
		if (spec->cols[i].type == COL_TEXT)
			free(*(char **)(void *)CELL(row, &spec->cols[i]));
}

static int
cell_num(const struct col_spec *c, const char *s, double *out,
    const char **why)
{
	if (num_parse_double(s, out, why) == -1)
		return -1;
	if (c->type == COL_INT && !num_is_whole(*out)) {
		*why = "is not a whole number";
		return -1;
	}
	if (*out < c->min || *out > c->max) {
		*why = *out < c->min ? "is below the allowed range" :
		    "is above the allowed range";
		return -1;
	}
	return 0;
}

static int
set_cell(struct tread *t, const struct col_spec *c, void *row,
    const char *s, size_t line, size_t col)
{
	const char *why = NULL;
	bool b;

	if (c->type == COL_TEXT)
		s = csv_text_value(s);
	if (*s == '\0') {
		if (c->nonempty)
			return error_at(ERROR_DATA, t->path, line, col,
			    "%s: a value is required", c->name);
		return 0;
	}
	switch (c->type) {
	case COL_TEXT:
		free(*(char **)(void *)CELL(row, c));
		*(char **)(void *)CELL(row, c) = xstrdup(s);
		return 0;
	case COL_BOOL:
		if (num_parse_bool(s, &b, &why) == -1)
			break;
		*(int *)(void *)CELL(row, c) = b;
		return 0;
	case COL_NUM:
	case COL_INT:
		if (cell_num(c, s, (double *)(void *)CELL(row, c), &why) == 0)
			return 0;
		if (strstr(why, "range") != NULL)
			return error_at(ERROR_DATA, t->path, line, col,
			    "%s: '%s' %s [%g, %g]", c->name, s, why, c->min,
			    c->max);
		break;
	}
	return error_at(ERROR_DATA, t->path, line, col, "%s: '%s' %s",
	    c->name, s, why);
}

static int
read_header(struct tread *t, const struct csv_record *rec)
{
	const struct table_spec *sp = t->spec;
	struct strmap seen = STRMAP_INIT;
	size_t i, j, first;
	int ret = -1;

	t->ncols = rec->nfields;
	t->map = xreallocarray(NULL, rec->nfields, sizeof(*t->map));
	t->info->present = xcalloc(sp->ncols, sizeof(bool));
	for (i = 0; i < rec->nfields; i++) {
		if (!strmap_put(&seen, rec->fields[i], i, &first)) {
			error_at(ERROR_DATA, t->path, rec->line, i + 1,
			    "column '%s' appears twice (also column %zu)",
			    rec->fields[i], first + 1);
			goto out;
		}
		t->map[i] = -1;
		for (j = 0; j < sp->ncols; j++)
			if (strcmp(sp->cols[j].name, rec->fields[i]) == 0)
				t->map[i] = (int)j;
		if (t->map[i] >= 0)
			t->info->present[t->map[i]] = true;
		else {
			t->info->extra = xreallocarray(t->info->extra,
			    t->info->nextra + 1, sizeof(char *));
			t->info->extra[t->info->nextra++] =
			    xstrdup(rec->fields[i]);
		}
	}
	for (j = 0; j < sp->ncols; j++)
		if (sp->cols[j].required && !t->info->present[j]) {
			error_at(ERROR_DATA, t->path, rec->line, 0,
			    "missing required column '%s'", sp->cols[j].name);
			goto out;
		}
	ret = 0;
out:
	strmap_release(&seen);
	return ret;
}

static int
check_key(struct tread *t, const void *row, size_t line)
{
	const struct col_spec *c = &t->spec->cols[t->spec->key_col];
	const char *key = *(char *const *)(const void *)CELL_C(row, c);
	size_t first;

	if (*key == '\0')
		return error_at(ERROR_DATA, t->path, line, 0,
		    "%s: a value is required", c->name);
	if (!strmap_put(&t->keys, key, line, &first))
		return error_at(ERROR_DATA, t->path, line, 0,
		    "%s '%s' appears twice (first on line %zu)", c->name, key,
		    first);
	return 0;
}

static int
read_row(struct tread *t, const struct csv_record *rec)
{
	const struct table_spec *sp = t->spec;
	void *row;
	size_t i;

	if (rec->nfields != t->ncols)
		return error_at(ERROR_DATA, t->path, rec->line, 0,
		    "expected %zu fields as in the header, found %zu%s",
		    t->ncols, rec->nfields, rec->terminated ? "" :
		    " (truncated last line?)");
	t->rows = xgrow(t->rows, sp->row_size, t->nrows + 1, &t->cap);
	row = t->rows + t->nrows * sp->row_size;
	row_init(sp, row);
	t->nrows++;
	for (i = 0; i < rec->nfields; i++)
		if (t->map[i] >= 0 && set_cell(t, &sp->cols[t->map[i]], row,
		    rec->fields[i], rec->line, i + 1) == -1)
			return -1;
	if (sp->key_col >= 0 && check_key(t, row, rec->line) == -1)
		return -1;
	if (sp->check != NULL && sp->check(row, t->path, rec->line) == -1)
		return -1;
	return 0;
}

static int
on_record(const struct csv_record *rec, void *ctx)
{
	struct tread *t = ctx;

	if (rec->index == 1)
		return format_expect(rec, t->path, t->spec->kind,
		    &t->info->version);
	if (rec->index == 2)
		return read_header(t, rec);
	return read_row(t, rec);
}

static int
run(struct tread *t, const char *path, const char *name)
{
	struct csv_reader *r = csv_reader_open(path);
	size_t nrec;
	int rc;

	if (r == NULL)
		return -1;
	csv_reader_set_name(r, name);
	t->path = csv_reader_name(r);
	rc = csv_reader_run(r, on_record, t);
	nrec = t->nrows + (t->map != NULL) + (t->info->version != 0);
	if (rc == 0 && nrec == 0)
		rc = error_at(ERROR_DATA, t->path, 0, 0, "empty file (expected "
		    "the format record '%s,%d')",
		    format_table[t->spec->kind].name,
		    format_table[t->spec->kind].version);
	else if (rc == 0 && t->map == NULL)
		rc = error_at(ERROR_DATA, t->path, 0, 0,
		    "no header line after the format record");
	t->path = NULL;
	csv_reader_free(r);
	return rc;
}

int
table_read(const struct table_spec *spec, const char *path, void **rows,
    size_t *nrows, struct table_info *info)
{
	return table_read_named(spec, path, strcmp(path, "-") == 0 ?
	    "<stdin>" : path, rows, nrows, info);
}

int
table_read_named(const struct table_spec *spec, const char *path,
    const char *name, void **rows, size_t *nrows, struct table_info *info)
{
	struct table_info scratch = { 0 };
	struct tread t = { 0 };
	int rc;

	t.spec = spec;
	t.info = info != NULL ? info : &scratch;
	memset(t.info, 0, sizeof(*t.info));
	strmap_init(&t.keys);
	rc = run(&t, path, name);
	free(t.map);
	strmap_release(&t.keys);
	if (info == NULL || rc == -1)
		table_info_release(t.info);
	if (rc == -1) {
		table_free(spec, t.rows, t.nrows);
		return -1;
	}
	*rows = t.rows;
	*nrows = t.nrows;
	return 0;
}

void
table_free(const struct table_spec *spec, void *rows, size_t nrows)
{
	size_t i;

	for (i = 0; i < nrows; i++)
		row_release(spec, (char *)rows + i * spec->row_size);
	free(rows);
}

void
table_info_release(struct table_info *info)
{
	size_t i;

	if (info == NULL)
		return;
	for (i = 0; i < info->nextra; i++)
		free(info->extra[i]);
	free(info->extra);
	free(info->present);
	info->extra = NULL;
	info->present = NULL;
	info->nextra = 0;
}

void
table_write_head(const struct table_spec *spec, struct csv_line *line)
{
	size_t i;

	format_write(line, spec->kind);
	for (i = 0; i < spec->ncols; i++)
		csv_line_str(line, spec->cols[i].name);
	csv_line_end(line);
}

void
table_write_row(const struct table_spec *spec, const void *row,
    struct csv_line *line)
{
	const struct col_spec *c;
	const char *text;
	size_t i;
	int b;

	for (i = 0; i < spec->ncols; i++) {
		c = &spec->cols[i];
		switch (c->type) {
		case COL_TEXT:	/* NULL: a column the writer does not fill */
			text = *(char *const *)(const void *)CELL_C(row, c);
			csv_line_text(line, text != NULL ? text : "");
			break;
		case COL_BOOL:
			b = *(const int *)(const void *)CELL_C(row, c);
			if (b < 0)
				csv_line_empty(line);
			else
				csv_line_str(line, b ? "yes" : "no");
			break;
		default:
			csv_line_num(line, *(const double *)(const void *)
			    CELL_C(row, c), c->type == COL_INT ? 0 : c->decimals);
		}
	}
	csv_line_end(line);
}
