/*
 * fuzz_sysstat_json.c - libFuzzer harness: the sysstat importer on
 * sadf -j JSON (import/imp_sysstat_json.c, with import/jscan.c), the
 * input one or two files (split at 0x1e) merged by time.
 *
 * The importer tells JSON by its first '{': an input that does not start
 * with one is sadf -d text, fuzz_sysstat's business, and is refused
 * (returned -1, so libFuzzer does not keep it).  What the import commits
 * is read back (fuzzimport.h).
 */
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "a.json", "b.json" };
	char *ops[2];
	size_t nops;

	if (size == 0 || data[0] != '{')
		return -1;
	fuzz_begin();
	fuzz_import_files(data, size, names, 2, ops, &nops);
	fuzz_import(import_sysstat, ops, nops);
	fuzz_free_all(ops, nops);
	return 0;
}
