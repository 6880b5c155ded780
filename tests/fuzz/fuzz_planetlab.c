/*
 * fuzz_planetlab.c - libFuzzer harness: the PlanetLab importer
 * (import/imp_planetlab.c), the input up to four per-VM trace files
 * split at 0x1e.
 *
 * The files go into day folders as the CloudSim traces come: the first
 * two into 20110303/, the next two into 20110304/, where "vm-a" comes
 * again, so one VM's days are streamed in turn and checked for overlap.
 * The folders are the operands.  What the import commits is read back
 * (fuzzimport.h).
 */
#include "tests/fuzz/fuzzimport.h"
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "20110303/vm-a",
	    "20110303/vm-b", "20110304/vm-a", "20110304/vm-c" };
	char *ops[4];
	size_t nops;

	fuzz_begin();
	fuzz_import_files(data, size, names, 4, ops, &nops);
	fuzz_import(import_planetlab, ops, nops);
	fuzz_free_all(ops, nops);
	return 0;
}
