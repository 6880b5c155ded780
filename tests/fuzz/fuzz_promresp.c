/*
 * fuzz_promresp.c - libFuzzer harness: the Prometheus HTTP API response
 * reader of capplan import prometheus --url (import/promresp.h
 * promresp_parse()), which walks a response held in memory.
 *
 * The first byte picks what the response should be (a query_range
 * matrix, an instant vector or label values) and whether callbacks are
 * given (promhttp.c reads error bodies with none); the rest is the
 * response.  The reader changes the text in place while it reads and
 * promises to restore it: the buffer must come back byte for byte.
 * Every series' labels must be within PROMRESP_LABELS_MAX and named.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "import/promresp.h"
#include "tests/fuzz/fuzzlib.h"

static int
on_series(void *arg, const struct promresp_labels *l)
{
	size_t i;

	(void)arg;
	if (l->n > PROMRESP_LABELS_MAX)
		fuzz_fail("more labels than PROMRESP_LABELS_MAX");
	for (i = 0; i < l->n; i++)
		if (l->name[i] == NULL || l->value[i] == NULL ||
		    promresp_label(l, l->name[i]) == NULL)
			fuzz_fail("a label without a name or value");
	return 0;
}

static int
on_point(void *arg, double t_s, double v)
{
	(void)arg;
	(void)t_s;
	(void)v;
	return 0;
}

static int
on_string(void *arg, const char *s)
{
	(void)arg;
	if (s == NULL)
		fuzz_fail("a NULL string");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum promresp_kind kinds[] = { PROMRESP_MATRIX,
	    PROMRESP_VECTOR, PROMRESP_STRINGS };
	struct promresp_ops ops = { on_series, on_point, on_string, NULL };
	char *buf;
	size_t len;
	int rc;

	if (size == 0)
		return -1;
	fuzz_begin();
	len = size - 1;
	buf = xmalloc(len + 1);
	memcpy(buf, data + 1, len);
	buf[len] = '\0';
	rc = promresp_parse(buf, len, "response", kinds[data[0] % 3],
	    (data[0] / 3) % 2 ? NULL : &ops);
	fuzz_check_rc(rc);
	if (memcmp(buf, data + 1, len) != 0 || buf[len] != '\0')
		fuzz_fail("the response text was not restored");
	free(buf);
	return 0;
}
