/*
 * fuzz_samples.c - libFuzzer harness: the samples reader
 * (common/samples.h samples_read()), the input one capplan-samples,1
 * file given through a memfd.
 *
 * Besides memory errors, leaks and undefined behaviour, each row the
 * reader hands on is held to what samples.h promises its callers: a
 * named host in valid UTF-8, an interval in (0, 7 days], a sample that
 * ends by 9999-12-31, every metric NaN or within [0, max], used memory
 * within the total (give or take the rounding the reader allows), and
 * rows of one host in strictly increasing time (repeats are skipped).
 * A broken promise aborts, and libFuzzer keeps the input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/num.h"
#include "common/samples.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzzlib.h"

/* the previous row, for the time order of consecutive rows of a host */
struct last {
	char host[256];
	int64_t ts_ms;
	bool any;
};

static void
check_values(const struct sample *s)
{
	double tot = s->v[METRIC_MEM_TOTAL_MIB], v;
	int m;

	for (m = 0; m < METRIC_N; m++) {
		v = s->v[m];
		if (!isnan(v) && !(v >= 0.0 && v <= metric_table[m].max))
			fuzz_fail("a metric outside [0, max] handed on");
	}
	v = s->v[METRIC_MEM_USED_MIB];
	if (!isnan(v) && !isnan(tot) && v > tot * 1.001 + 1.0)
		fuzz_fail("used memory above the total handed on");
}

static int
on_row(const struct sample *s, void *ctx)
{
	struct last *l = ctx;

	if (s->host == NULL || *s->host == '\0' ||
	    !utf8_valid(s->host, NULL, NULL) || s->flags == NULL)
		fuzz_fail("a row without a valid host name or flags");
	if (!(s->interval_s > 0.0 && s->interval_s <= 7 * 86400.0) ||
	    s->ts_ms < TIME_MIN_MS || s->ts_ms > TIME_MAX_MS)
		fuzz_fail("an interval or time outside the format");
	check_values(s);
	if (l->any && strcmp(l->host, s->host) == 0 && s->ts_ms <= l->ts_ms)
		fuzz_fail("rows of a host out of time order");
	snprintf(l->host, sizeof(l->host), "%s", s->host);
	l->ts_ms = s->ts_ms;
	l->any = strlen(s->host) < sizeof(l->host);
	return 0;
}

static int
on_header(const struct samples_header *h, void *ctx)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < h->ncolumns; i++)
		if (h->columns[i] == NULL)
			fuzz_fail("a header with a NULL column");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct samples_ops ops = { on_header, on_row };
	struct samples_stats st;
	struct last l = { "", 0, false };

	fuzz_begin();
	fuzz_check_rc(samples_read(fuzz_memfd_path(data, size), &ops, &l,
	    &st));
	return 0;
}
