/*
 * fuzz_prometheus.c - libFuzzer harness: the Prometheus importer
 * (import/imp_prometheus.c, with import/jscan.c) on saved query_range
 * responses, the input one to three responses split at 0x1e.
 *
 * A series without a "capplan" label takes its column from the file's
 * name, so each part's first byte picks the name: one of the metric
 * columns, or one that is none (the importer must refuse it).  What the
 * import commits is read back (fuzzimport.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/samples.h"
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

#define MAX_FILES 3

/* "in/<column>.<k>.json" for the column byte c of file k */
static void
file_name(char *buf, size_t len, unsigned c, size_t k)
{
	c %= METRIC_N + 1;
	snprintf(buf, len, "in/%s.%zu.json", c < METRIC_N ?
	    metric_table[c].name : "no_such_column", k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[MAX_FILES];
	char *ops[MAX_FILES], rel[96];
	size_t n, k;

	fuzz_begin();
	n = fuzz_split(data, size, parts, MAX_FILES);
	for (k = 0; k < n; k++) {
		file_name(rel, sizeof(rel), parts[k].size > 0 ?
		    parts[k].data[0] : 0, k);
		fuzz_write(rel, parts[k].data + (parts[k].size > 0),
		    parts[k].size - (parts[k].size > 0));
		ops[k] = fuzz_path(rel);
	}
	fuzz_import(import_prometheus, ops, n);
	fuzz_free_all(ops, n);
	return 0;
}
