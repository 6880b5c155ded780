/*
 * fuzzimport.c - one import as capplan import runs it, with its output
 * read back by capplan's own readers.
 *
 * import/import.h promises "every file acceptable to capplan inspect":
 * so every samples file and the inventory an import commits is read
 * again here with the readers capplan profile and inspect use.  A file
 * they refuse is a finding: the harness aborts and shows the reader's
 * message.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/inventory.h"
#include "common/samples.h"
#include "common/xalloc.h"
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

#define MAX_PARTS 8

static int
any_row(const struct sample *s, void *ctx)
{
	(void)s;
	(void)ctx;
	return 0;
}

/* every file the sink committed, read by capplan's readers */
static void
read_back(const struct import_sink *sink)
{
	static const struct samples_ops ops = { NULL, any_row };
	const struct import_result *res;
	struct inventory inv;
	const char *path;
	size_t i, n = import_sink_results(sink, &res), rows;

	for (i = 0; i < n; i++)
		if (samples_read(res[i].path, &ops, NULL, NULL) == -1)
			fuzz_fail_again(NULL);
	path = import_sink_inventory_path(sink, &rows);
	if (path == NULL)
		return;
	if (inventory_load(&inv, path, NULL) == -1)
		fuzz_fail_again(NULL);
	inventory_release(&inv);
}

void
fuzz_import(fuzz_importer_fn fn, char **inputs, size_t ninputs)
{
	/* as cmd_import.c starts them: no option given */
	struct import_opts o = { .start_ms = IMPORT_NO_TIME,
	    .end_ms = IMPORT_NO_TIME, .interval_s = NAN, .duration_s = NAN,
	    .cpu_mhz = NAN, .step_s = NAN, .timeout_s = NAN };
	struct import_sink *sink;
	char *out = fuzz_path("out");
	int rc;

	o.outdir = out;
	if ((sink = import_sink_new(out)) == NULL)
		fuzz_die(out);
	rc = fn(sink, &o, inputs, ninputs);
	if (rc == 0)
		rc = import_sink_commit(sink);
	fuzz_check_rc(rc);
	if (rc == 0)
		read_back(sink);
	import_sink_free(sink);
	fuzz_empty("out");
	fuzz_empty("in");
	free(out);
}

/* add the operand fuzz_dir()/rel to ops unless it is there */
static void
add_operand(char **ops, size_t *nops, const char *rel)
{
	char *path = fuzz_path(rel);
	size_t i;

	for (i = 0; i < *nops; i++)
		if (strcmp(ops[i], path) == 0) {
			free(path);
			return;
		}
	ops[(*nops)++] = path;
}

void
fuzz_import_files(const uint8_t *data, size_t size,
    const char *const *names, size_t nnames, char **ops, size_t *nops)
{
	struct fuzz_part parts[MAX_PARTS];
	char rel[256], *slash;
	size_t n, k;

	n = fuzz_split(data, size, parts, nnames < MAX_PARTS ? nnames :
	    MAX_PARTS);
	*nops = 0;
	for (k = 0; k < n; k++) {
		snprintf(rel, sizeof(rel), "in/%s", names[k]);
		fuzz_write(rel, parts[k].data, parts[k].size);
		slash = strrchr(rel, '/');
		if (slash != rel + 2)
			*slash = '\0';		/* in a folder: the folder */
		add_operand(ops, nops, rel);
	}
}

void
fuzz_free_all(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
}
