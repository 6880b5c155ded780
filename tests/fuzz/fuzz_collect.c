/*
 * fuzz_collect.c - libFuzzer harness: the importer of capplan-collect
 * output folders (import/imp_collect.c), the input up to five files
 * split at 0x1e.
 *
 * The files are what an agent's folder holds (collector/output.c):
 * agent1/ gets an inventory, a finished day, the open day's ".part" and
 * a per-device stream the importer must leave alone; agent2/ a day of
 * its own, so a host named in both folders is refused as two agents.
 * The folders are the operands.  What the import commits is read back
 * (fuzzimport.h).
 */
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "agent1/inventory.csv",
	    "agent1/samples-20261126.csv", "agent1/samples-20261127.csv.part",
	    "agent1/disk-sda.csv", "agent2/samples-20261126.csv" };
	char *ops[5];
	size_t nops;

	fuzz_begin();
	fuzz_import_files(data, size, names, 5, ops, &nops);
	fuzz_import(import_collect, ops, nops);
	fuzz_free_all(ops, nops);
	return 0;
}
