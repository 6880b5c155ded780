/*
 * error.h - report-once error recording (libvirt's model).
 *
 * The function that detects a problem records it here with everything it
 * knows (file, line, host) and returns -1; its callers pass the -1 up
 * without recording anything more; the cmd_* layer prints the message once.
 * Readers of input files use error_at() so every data error reads
 * "file:line:column: what is wrong", where the column is the CSV field
 * number counted from 1 (0 leaves it out).
 *
 * USED BY: capplan and capplan-collect.  Not thread-safe by design: the
 * last error is per thread (thread-local), so worker threads each keep
 * their own and hand it back to the thread that reports.
 */
#ifndef COMMON_ERROR_H
#define COMMON_ERROR_H

#include <stddef.h>

enum error_kind {
	ERROR_NONE,
	ERROR_IO,		/* open, read, write, rename failed */
	ERROR_DATA,		/* bad input data */
	ERROR_MODEL,		/* a computation failed (GSL status) */
	ERROR_BACKEND,		/* libvirt, gnuplot or another program */
	ERROR_UNSUPPORTED,	/* a feature or version we do not have */
	ERROR_USAGE,		/* bad option value found below cmd_* */
};

/* Record an error; returns -1 so callers can write return error_set(...). */
int error_set(enum error_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* As error_set(), appending ": " and strerror(errno). */
int error_set_errno(enum error_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Record "path:line:col: message" (":col" left out when col is 0, ":line"
 * when line is 0).  Returns -1.
 */
int error_at(enum error_kind kind, const char *path, size_t line, size_t col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

const char *error_last_msg(void);
enum error_kind error_last_kind(void);
void error_clear(void);

#endif
