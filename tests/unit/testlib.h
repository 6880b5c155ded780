/*
 * testlib.h - what every cmocka test includes, in the order cmocka needs.
 *
 * assert_near() compares doubles with a tolerance (cmocka's
 * assert_float_equal casts to float).  test_write_file() makes input files
 * for reader tests under $TMPDIR.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define assert_near(a, b, tol) do { \
	double a_ = (a), b_ = (b); \
	if (!(a_ - b_ <= (tol) && b_ - a_ <= (tol))) \
		fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, \
		    a_, b_, (double)(tol)); \
} while (0)

/*
 * Write text to a new temporary file named after tag (with suffix, such
 * as ".samples.csv") and return its path in a static buffer that the
 * next call reuses.
 */
static inline const char *
test_write_file(const char *tag, const char *suffix, const char *text)
{
	static char path[512];
	const char *dir = getenv("TMPDIR");
	FILE *fp;

	snprintf(path, sizeof(path), "%s/capplan-test-%ld-%s%s",
	    dir != NULL ? dir : "/tmp", (long)getpid(), tag, suffix);
	fp = fopen(path, "w");
	if (fp == NULL)
		fail_msg("cannot create %s", path);
	fputs(text, fp);
	fclose(fp);
	return path;
}

#endif
