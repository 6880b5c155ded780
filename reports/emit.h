/*
 * emit.h - write a report: its charts, then its tables in one format.
 */
#ifndef REPORTS_EMIT_H
#define REPORTS_EMIT_H

#include <stdbool.h>

#include "reports/report.h"
#include "reports/rtable.h"

struct report_job {
	const struct report_format *f;
	const char *out;	/* path, or "-" for standard output */
	bool render;		/* run gnuplot on the charts */
	/* write the charts' files into dir (and render them): c is filled
	 * even on failure; -1 with the error recorded */
	int (*charts)(struct report_charts *c, const void *arg,
	    const struct report_format *f, const char *dir, bool render);
	/* build the tables (charts c may be NULL: a format without them) */
	void (*tables)(struct rtables *ts, const void *arg,
	    const struct report_charts *c);
	const void *arg;	/* handed to both */
};

/*
 * Write the charts of j into "<out stem>-charts/" (made if missing), or a
 * temporary folder removed afterwards when out is not a regular file, then
 * the tables to out atomically.  A format with no gnuplot terminal gets no
 * charts; -n (render false) to standard output writes none either.
 * Returns 0, or -1 with the error recorded and no output left behind.
 */
int report_job_run(const struct report_job *j);

#endif
