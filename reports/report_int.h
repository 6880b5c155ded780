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

/* The migration waves' tables, when the plan has waves (tables_waves.c). */
struct rtables;
void report_waves_tables(struct rtables *ts, const struct report *r);

#endif
