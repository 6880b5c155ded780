/*
 * report_int.h - what the files of reports/ share and nobody else needs.
 */
#ifndef REPORTS_REPORT_INT_H
#define REPORTS_REPORT_INT_H

#include "reports/report.h"

/*
 * Stream the samples files and fill each matched server's utilisation,
 * power by hour and coverage; count files naming no assessed server.
 * -1 with the reader's error recorded.
 */
int report_usage_read(struct report *r, const char *const *paths,
    size_t npaths);
/* The server named name, or NULL (binary search: servers are sorted). */
struct report_server *report_server_find(struct report *r, const char *name);
/* Fill r->assumptions from the inputs. */
void report_assumptions_build(struct report *r,
    const struct report_inputs *in);
/* The hour of day (UTC, 0-23) plan slot t starts in. */
int report_slot_hour(const struct plan *p, size_t t);
/* "3 x R640, 1 x R940", or none (tables.c); the caller frees it */
char *report_model_mix(const struct report *r, const char *none);

/* how fmt_html.c lays the report out */
enum html_mode {
	HTML_SCREEN,		/* tables over HTML_FOLD_ROWS rows folded */
	HTML_PRINT,		/* every row shown (PDF) */
	HTML_SUMMARY,		/* one page: summary, cost table, its chart */
};
#define HTML_FOLD_ROWS 25

struct rtables;
struct report_charts;
/* Write ts as HTML in mode to fp; -1 with the error recorded. */
int html_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name, enum html_mode mode);

/* The migration waves' tables, when the plan has waves (tables_waves.c). */
void report_waves_tables(struct rtables *ts, const struct report *r);

#endif
