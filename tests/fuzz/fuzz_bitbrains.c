/*
 * fuzz_bitbrains.c - libFuzzer harness: the Bitbrains importer
 * (import/imp_bitbrains.c), the input up to three per-VM csv files
 * split at 0x1e.
 *
 * The files go into month folders as the GWA-T-12 trace comes: 1.csv
 * and 2.csv into 2013-7/, and 1.csv again into 2013-8/, so one VM's
 * months are streamed in the order of their first times.  The folders
 * are the operands.  What the import commits (samples and an
 * inventory) is read back (fuzzimport.h).
 */
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "2013-7/1.csv", "2013-7/2.csv",
	    "2013-8/1.csv" };
	char *ops[3];
	size_t nops;

	fuzz_begin();
	fuzz_import_files(data, size, names, 3, ops, &nops);
	fuzz_import(import_bitbrains, ops, nops);
	fuzz_free_all(ops, nops);
	return 0;
}
