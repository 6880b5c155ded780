/*
 * rtable.c - building and freeing the tables of rtable.h, and a cell's
 * text: what tables.c (capplan report) and compare.c (capplan compare)
 * share, so both print through the same renderers.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "reports/rtable.h"

char *
rtable_printf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

/*
 * A new table; heads (taken: freed here) and units are "|"-separated
 * lists of the same length; title is taken too.
 */
struct rtable *
rtables_add(struct rtables *ts, const char *section, const char *id,
    char *title, char *heads, const char *units, const char *chart)
{
	struct rtable *t;
	const char *p, *q;
	size_t i;

	ts->t = xreallocarray(ts->t, ts->n + 1, sizeof(*t));
	t = &ts->t[ts->n++];
	memset(t, 0, sizeof(*t));
	t->section = section;
	t->id = id;
	t->title = title;
	t->chart = chart;
	for (p = heads, t->ncols = 1; *p != '\0'; p++)
		t->ncols += *p == '|';
	t->heads = xcalloc(t->ncols, sizeof(char *));
	t->units = xcalloc(t->ncols, sizeof(char *));
	for (i = 0, p = heads; i < t->ncols; i++, p = q + 1) {
		q = strchr(p, '|');
		q = q != NULL ? q : p + strlen(p);
		t->heads[i] = xstrndup(p, (size_t)(q - p));
	}
	for (i = 0, p = units; i < t->ncols; i++, p = *q ? q + 1 : q) {
		q = strchr(p, '|');
		q = q != NULL ? q : p + strlen(p);
		t->units[i] = xstrndup(p, (size_t)(q - p));
	}
	free(heads);
	return t;
}

struct cell *
rtable_add_row(struct rtable *t)
{
	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof(*t->cells));
	memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(*t->cells));
	return &t->cells[t->nrows++ * t->ncols];
}

void
cell_set_text(struct cell *c, const char *s)
{
	c->kind = s != NULL ? CELL_TEXT : CELL_EMPTY;
	c->text = s != NULL ? xstrdup(s) : NULL;
}

void
cell_set_num(struct cell *c, double v, int decimals)
{
	c->kind = isfinite(v) ? CELL_NUM : CELL_EMPTY;
	c->v = v;
	c->decimals = decimals;
}

void
cell_set_amount(struct cell *c, double v)
{
	c->kind = isfinite(v) ? CELL_AMOUNT : CELL_EMPTY;
	c->v = v;
}

void
cell_format(const struct cell *c, struct strbuf *sb)
{
	char buf[64];

	strbuf_grow(sb, 0);
	switch (c->kind) {
	case CELL_EMPTY:
		strbuf_addstr(sb, "-");
		break;
	case CELL_TEXT:
		strbuf_addstr(sb, c->text);
		break;
	case CELL_NUM:
		strbuf_addf(sb, "%.*f", c->decimals, c->v);
		break;
	case CELL_AMOUNT:
		strbuf_addstr(sb, report_amount(c->v, buf, sizeof(buf)));
		break;
	}
}

void
cell_plain(const struct cell *c, struct strbuf *sb)
{
	strbuf_grow(sb, 0);
	switch (c->kind) {
	case CELL_EMPTY:
		break;
	case CELL_TEXT:
		strbuf_addstr(sb, c->text);
		break;
	case CELL_NUM:
		strbuf_addf(sb, "%.*f", c->decimals, c->v);
		break;
	case CELL_AMOUNT:
		strbuf_addf(sb, "%.2f", c->v);
		break;
	}
}

const struct report_chart *
charts_find(const struct report_charts *c, const char *name)
{
	size_t i;

	for (i = 0; c != NULL && i < c->ncharts; i++)
		if (strcmp(c->charts[i].name, name) == 0)
			return &c->charts[i];
	return NULL;
}

void
rtables_release(struct rtables *ts)
{
	struct rtable *t;
	size_t i, j;

	for (i = 0; i < ts->n; i++) {
		t = &ts->t[i];
		for (j = 0; j < t->ncols; j++) {
			free(t->heads[j]);
			free(t->units[j]);
		}
		for (j = 0; j < t->nrows * t->ncols; j++)
			free(t->cells[j].text);
		free(t->heads);
		free(t->units);
		free(t->cells);
		free(t->title);
		free(t->note);
	}
	free(ts->t);
	for (i = 0; i < ts->nsum; i++) {
		free(ts->sum_label[i]);
		free(ts->sum_value[i]);
		free(ts->sum_detail[i]);
	}
	free(ts->headline);
	for (i = 0; i < ts->nsub; i++)
		free(ts->sub[i]);
	memset(ts, 0, sizeof(*ts));
}
