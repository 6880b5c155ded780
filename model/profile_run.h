/*
 * profile_run.h - profiles for a fleet: many samples files in, one
 * profile per host out, on every core, in bounded memory.
 *
 * A host's samples may be split over several files (a collector rotating
 * daily, in any order) and a file may hold several hosts (a host column).
 * Memory never holds the fleet's raw series at once:
 *
 *  1. Every file's header is read (in parallel).  A file without a host
 *     column holds one host, named after the file (web01.samples.csv is
 *     web01), so it is not read now.
 *  2. Files with a host column are read (in parallel, one file per
 *     worker) and their rows sorted into per-host chunks; when the chunks
 *     held exceed the memory budget they are written to an unlinked
 *     temporary spill file (binary, about 72 bytes a row) and read back
 *     in step 3.
 *  3. Hosts are profiled in name order, one host per worker at a time: a
 *     worker reads the host's own files, adds its chunks, and calls
 *     profile_build().  Only one host's series per worker is in memory.
 *
 * The result does not depend on the number of workers or the order of
 * the files: samples are ordered by time, and of two with the same time
 * the one from the file named first on the command line is kept.  Of
 * several errors, the one reported does not depend on the workers: the
 * first in file order in step 1, then in step 2, then the first in host
 * name order in step 3.
 */
#ifndef MODEL_PROFILE_RUN_H
#define MODEL_PROFILE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/inventory.h"
#include "model/profile.h"
#include "model/profile_build.h"

struct profile_run {
	/* in */
	const struct profile_config *cfg;
	const struct inventory *inv;	/* NULL: none */
	unsigned workers;		/* 0: one per online CPU */
	size_t budget_bytes;		/* rows of host-column files held */
	bool windowed;			/* only rows in [from_ms, until_ms) */
	int64_t from_ms, until_ms;
	/* out */
	char **warnings;		/* one line each, for the command */
	size_t nwarnings;
	size_t rows;			/* samples rows read */
	size_t spilled_bytes;		/* written to the spill file */
	unsigned used_workers;
};

#define PROFILE_RUN_BUDGET_DEFAULT (256u << 20)

/*
 * Profile the npaths samples files (a path "-" is standard input, read
 * once into a temporary file) into ps, one profile per host that has
 * samples, sorted by host name.  Returns 0, or -1 with the error recorded
 * (the first bad file's "file:line:column: ..."), ps then empty.
 * Release run's warnings with profile_run_release().
 */
int profile_run(struct profile_run *run, char *const *paths, size_t npaths,
    struct profile_set *ps);
void profile_run_release(struct profile_run *run);

#endif
