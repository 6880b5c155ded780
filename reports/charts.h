/*
 * charts.h - the report's charts as gnuplot scripts and data files.
 *
 * Each chart is "<name>.gp" and "<name>.dat" in the charts directory,
 * named by what it shows or by index ("host-003"), never by a host name.
 * The data sits in the .dat files; the only user text in a script is in
 * titles and tic labels, single-quoted by escape_gnuplot(), with
 * noenhanced text.  A user can edit a .gp and re-run "gnuplot name.gp"
 * in that directory to restyle a chart.
 */
#ifndef REPORTS_CHARTS_H
#define REPORTS_CHARTS_H

#include <stdbool.h>

#include "reports/report.h"

/* per-host utilisation charts drawn at most; the heat map and the
 * contention chart show every host */
#define CHARTS_HOSTS_MAX 24

/*
 * The hosts that get a chart of their own, as indexes into r->hosts in
 * plan order, into idx (room for max): every host with guests when they
 * are at most max, else the max whose predicted peak CPU is highest (the
 * ones a reader must look at; ties go to the earlier host).  Returns how
 * many.
 */
size_t charts_pick_hosts(const struct report *r, size_t *idx, size_t max);

/*
 * Write every chart's .gp and .dat into dir (which must exist) for
 * format f's terminal; then, when render is set, run gnuplot on each
 * (gnuplot_run.c).  c is filled (release with charts_release()) even
 * when this fails.  -1 with ERROR_IO or ERROR_BACKEND.
 */
int charts_write(struct report_charts *c, const struct report *r,
    const struct report_format *f, const char *dir, bool render);
void charts_release(struct report_charts *c);

#endif
