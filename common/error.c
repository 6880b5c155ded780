/*
 * error.c - the last error, kept per thread, printed once by cmd_*.
 *
 * Messages are truncated at 1 KiB: an error line is for a human, and a
 * bounded buffer means recording an error never allocates (so it works
 * when allocation is what failed in a library).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"

static _Thread_local char last_msg[1024];
static _Thread_local enum error_kind last_kind;

static int
error_vset(enum error_kind kind, const char *prefix, const char *suffix,
    const char *fmt, va_list ap)
{
	size_t n = 0;

	if (prefix != NULL)
		n = (size_t)snprintf(last_msg, sizeof(last_msg), "%s", prefix);
	if (n < sizeof(last_msg))
		vsnprintf(last_msg + n, sizeof(last_msg) - n, fmt, ap);
	n = strlen(last_msg);
	if (suffix != NULL && n < sizeof(last_msg))
		snprintf(last_msg + n, sizeof(last_msg) - n, ": %s", suffix);
	last_kind = kind;
	return -1;
}

int
error_set(enum error_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(kind, NULL, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int
error_set_errno(enum error_kind kind, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	int saved = errno;

	snprintf(why, sizeof(why), "%s", strerror(saved));
	va_start(ap, fmt);
	error_vset(kind, NULL, why, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

int
error_at(enum error_kind kind, const char *path, size_t line, size_t col,
    const char *fmt, ...)
{
	char where[512];
	va_list ap;

	if (line == 0)
		snprintf(where, sizeof(where), "%s: ", path);
	else if (col == 0)
		snprintf(where, sizeof(where), "%s:%zu: ", path, line);
	else
		snprintf(where, sizeof(where), "%s:%zu:%zu: ", path, line, col);
	va_start(ap, fmt);
	error_vset(kind, where, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
error_last_msg(void)
{
	return last_msg[0] != '\0' ? last_msg : "unknown error";
}

enum error_kind
error_last_kind(void)
{
	return last_kind;
}

void
error_clear(void)
{
	last_msg[0] = '\0';
	last_kind = ERROR_NONE;
}
