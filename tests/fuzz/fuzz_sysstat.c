/*
 * fuzz_sysstat.c - libFuzzer harness: the sysstat importer on sadf -d
 * text (import/imp_sysstat.c), the input one or two files (split at
 * 0x1e: days or activities that the importer merges by time).
 *
 * An input starting with '{' is sadf -j output, fuzz_sysstat_json's
 * business: it is refused (returned -1, so libFuzzer does not keep it).
 * What the import commits is read back (fuzzimport.h).
 */
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "a.sadf", "b.sadf" };
	char *ops[2];
	size_t nops;

	if (size > 0 && data[0] == '{')
		return -1;
	fuzz_begin();
	fuzz_import_files(data, size, names, 2, ops, &nops);
	fuzz_import(import_sysstat, ops, nops);
	fuzz_free_all(ops, nops);
	return 0;
}
