/*
 * fuzzimport.h - running one importer of import/import.h the way
 * capplan import does, for the importer harnesses.
 *
 * The inputs are files a harness wrote under its /dev/shm folder; the
 * output goes to the folder's "out", which is emptied afterwards, with
 * "in", so each run starts from nothing.
 */
#ifndef TESTS_FUZZ_FUZZIMPORT_H
#define TESTS_FUZZ_FUZZIMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "import/import.h"

typedef int (*fuzz_importer_fn)(struct import_sink *sink,
    const struct import_opts *o, char **inputs, size_t ninputs);

/*
 * Run fn over inputs (paths) into a sink, then commit as capplan import
 * does.  What an import commits must be what capplan reads: every
 * samples file must pass samples_read() and the inventory
 * inventory_load(), or the harness aborts.  Then "in" and "out" are
 * emptied.
 */
void fuzz_import(fuzz_importer_fn fn, char **inputs, size_t ninputs);

/*
 * Write the parts of data (fuzz_split()) as "in/<names[k]>", at most
 * nnames (and 8) of them, and put the operands capplan import would be
 * given in ops[] (new strings, *nops of them, at most nnames): a file
 * named without a folder is its own operand, a file in a folder brings
 * its folder, once, in the order first written.
 */
void fuzz_import_files(const uint8_t *data, size_t size,
    const char *const *names, size_t nnames, char **ops, size_t *nops);

/* Free the n strings of v. */
void fuzz_free_all(char **v, size_t n);

#endif
