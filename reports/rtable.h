/*
 * rtable.h - the report as a list of tables, rendered by every format.
 *
 * tables.c turns a struct report into sections of tables (cells of text
 * or numbers, with units) in reading order; fmt_html.c, fmt_markdown.c
 * and fmt_csv.c each render the same list, so a figure cannot appear in
 * one format and be missing from another, and the CSV holds every figure
 * of the HTML.  Text cells are raw user text: renderers escape them.
 */
#ifndef REPORTS_RTABLE_H
#define REPORTS_RTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"
#include "reports/report.h"

enum cell_kind {
	CELL_EMPTY,		/* not known or not applicable: "-" */
	CELL_TEXT,
	CELL_NUM,		/* decimals as given */
	CELL_AMOUNT,		/* money: whole units, thousands commas */
};

struct cell {
	enum cell_kind kind;
	char *text;		/* CELL_TEXT, owned */
	double v;
	int decimals;
};

struct rtable {
	const char *section;	/* H2 it belongs to ("Cost") */
	const char *id;		/* "cost": CSV section and anchor */
	char *title;		/* H3, may name the currency: escape */
	char *note;		/* a paragraph after it, or NULL */
	size_t ncols;
	char **heads;		/* ncols column titles */
	char **units;		/* ncols units for the CSV, "" when none */
	struct cell *cells;	/* nrows x ncols */
	size_t nrows;
	bool total;		/* the last row is a total */
	const char *chart;	/* chart to show after it, "host-" for the
				 * per-host ones, or NULL */
};

struct rtables {
	const char *title;	/* H1 and the HTML title: our own text */
	char *sub[8];		/* the line under it, in parts (paths and
				 * names: escape) */
	size_t nsub;
	const char *footer;	/* "made by capplan X " + this: our own */
	struct rtable *t;
	size_t n;
	/* the executive summary: label, value, detail (all text) */
	char *sum_label[12], *sum_value[12], *sum_detail[12];
	size_t nsum;
	char *headline;		/* one sentence */
};

/* Build the tables of r (charts c may be NULL: no chart notes). */
void rtables_build(struct rtables *ts, const struct report *r,
    const struct report_charts *c);
/* Free everything in ts (titles, cells, summary) and zero it. */
void rtables_release(struct rtables *ts);

/*
 * Append a table to ts and return it, empty.  title and heads are taken
 * (freed with ts); heads and units are "|"-separated lists of the same
 * length; section, id and chart are borrowed (string constants).
 */
struct rtable *rtables_add(struct rtables *ts, const char *section,
    const char *id, char *title, char *heads, const char *units,
    const char *chart);
/* Append a row of ncols empty cells to t; pointers to earlier rows move. */
struct cell *rtable_add_row(struct rtable *t);
/* Set a cell: text (copied; NULL: empty), number or amount (NaN: empty). */
void cell_set_text(struct cell *c, const char *s);
void cell_set_num(struct cell *c, double v, int decimals);
void cell_set_amount(struct cell *c, double v);
/* A new string, printf-style (xalloc: aborts on out of memory). */
char *rtable_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A cell's text for people: "12,345", "0.50", "-", or the text. */
void cell_format(const struct cell *c, struct strbuf *sb);
/* A cell's value for CSV: "12345.00" (2 decimals for amounts), "" for
 * empty, or the text. */
void cell_plain(const struct cell *c, struct strbuf *sb);
/* The chart named name in c, or NULL. */
const struct report_chart *charts_find(const struct report_charts *c,
    const char *name);

#endif
