/*
 * gnuplot_run.h - the one place capplan runs gnuplot.
 */
#ifndef REPORTS_GNUPLOT_RUN_H
#define REPORTS_GNUPLOT_RUN_H

/*
 * Run "gnuplot script" with dir as its working directory, found on PATH
 * by posix_spawnp(): no shell, so nothing in a name or path is ever
 * parsed by one.  stdin and stdout are /dev/null; stderr goes to
 * "<script>.log" in dir, kept when gnuplot wrote anything (a user
 * restyling a chart reads it) and removed when it is empty.
 * Returns 0 when gnuplot exits 0; -1 with ERROR_BACKEND otherwise (not
 * installed, killed, or an error, with the log's first line).
 */
int gnuplot_run(const char *dir, const char *script);

#endif
