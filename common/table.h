/*
 * table.h - read and write small capplan CSV files into arrays of structs.
 *
 * Inventory, host catalog and profiles are one row per server or model,
 * small enough to hold in memory, and read the same way: a format record,
 * a header naming columns, rows whose cells are checked by type and range
 * and stored by offsetof() into a struct.  A column table describes a
 * format once; the same table writes it back and documents it.
 *
 * Columns are matched by name, in any order; unknown columns are ignored
 * (and listed, for capplan inspect); a missing required column, a cell of
 * the wrong type, a value out of range or a duplicate key is an error
 * "file:line:column: ...".  An empty cell is "unknown": NaN for numbers,
 * -1 for booleans, "" for text.
 * USED BY: capplan and capplan-collect (writing inventory).
 */
#ifndef COMMON_TABLE_H
#define COMMON_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/csvio.h"
#include "common/format.h"

enum col_type {
	COL_TEXT,		/* char *, owned */
	COL_NUM,		/* double; NaN when empty */
	COL_INT,		/* double holding a whole number; NaN when empty */
	COL_BOOL,		/* int: 1, 0, or -1 when empty */
};

struct col_spec {
	const char *name;
	enum col_type type;
	bool required;		/* the column must exist */
	bool nonempty;		/* and every cell must have a value */
	double min, max;	/* range for numbers */
	size_t offset;		/* offsetof() in the row struct */
	int decimals;		/* for writing numbers */
	const char *unit;	/* for inspect and the man page */
};

struct table_spec {
	enum format_kind kind;
	const struct col_spec *cols;
	size_t ncols;
	size_t row_size;	/* sizeof the row struct */
	int key_col;		/* index of a unique text column, or -1 */
	/* optional whole-row check, after the cells: 0 or error_at() -1 */
	int (*check)(const void *row, const char *path, size_t line);
};

struct table_info {
	int version;
	char **extra;		/* names of columns not in the spec */
	size_t nextra;
	bool *present;		/* per spec column: is it in the file */
};

/*
 * Read path into a new array of *nrows rows (free with table_free()).
 * info may be NULL; else it is filled (release with table_info_release).
 * -1 on error, with nothing allocated left behind.
 */
int table_read(const struct table_spec *spec, const char *path, void **rows,
    size_t *nrows, struct table_info *info);
/* As table_read(), naming the input name in messages. */
int table_read_named(const struct table_spec *spec, const char *path,
    const char *name, void **rows, size_t *nrows, struct table_info *info);
void table_free(const struct table_spec *spec, void *rows, size_t nrows);
void table_info_release(struct table_info *info);

/* Append the format record and header, then one row, to line (a NULL
 * text field is written as an empty cell). */
void table_write_head(const struct table_spec *spec, struct csv_line *line);
void table_write_row(const struct table_spec *spec, const void *row,
    struct csv_line *line);

#endif
