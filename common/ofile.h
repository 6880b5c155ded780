/*
 * ofile.h - output files that appear whole or not at all.
 *
 * ofile_open() writes to a temporary file beside the target;
 * ofile_commit() flushes, fsyncs and renames it into place, so a run that
 * fails half-way leaves no half-written report, plan or samples file.
 * The path "-" means stdout, written directly.
 * USED BY: capplan.
 */
#ifndef COMMON_OFILE_H
#define COMMON_OFILE_H

#include <stdio.h>

struct ofile {
	FILE *fp;		/* write here */
	char *path;		/* the final name, or "-" */
	char *tmp;		/* the temporary name; NULL for stdout */
};

/* NULL with ERROR_IO when the temporary file cannot be created. */
struct ofile *ofile_open(const char *path);
/* Flush, sync and rename; frees of; -1 with ERROR_IO (of is freed). */
int ofile_commit(struct ofile *of);
/*
 * Flush, sync and close the temporary file but do not rename it yet: for
 * files that must appear together, finish each as it is done (few stay
 * open) and commit them all at the end.  Afterwards of->fp is NULL and
 * only ofile_commit() or ofile_abort() may follow.  -1 with ERROR_IO (of
 * is kept: abort it).  For stdout it only flushes.
 */
int ofile_finish(struct ofile *of);
/* Remove the temporary file and free of; accepts NULL. */
void ofile_abort(struct ofile *of);

/*
 * Write len bytes to path atomically (temporary file, fsync, rename).
 * -1 with ERROR_IO.
 */
int ofile_write_all(const char *path, const void *buf, size_t len);

#endif
