/*
 * ofile.h - output files that appear whole or not at all.
 *
 * ofile_open() writes a regular file (or a name that does not exist yet)
 * through a temporary file beside it; ofile_commit() flushes, fsyncs and
 * renames it into place, so a run that fails half-way leaves no
 * half-written report, plan or samples file.  A name that is a symbolic
 * link to a regular file is written through: the link stays.
 *
 * Anything that is not a regular file is never replaced (renaming over
 * /dev/null as root would turn the machine's null device into a file):
 * a character device or a FIFO is opened and written directly, a socket
 * too (an open descriptor of ours, such as /dev/stdout on a socket, is
 * duplicated; else it is connected to as a Unix stream socket), and a
 * directory, a block device or anything else is refused.  The path "-"
 * means stdout.
 * USED BY: capplan.
 */
#ifndef COMMON_OFILE_H
#define COMMON_OFILE_H

#include <stdbool.h>
#include <stdio.h>

struct ofile {
	FILE *fp;		/* write here */
	char *path;		/* the name given, or "-" */
	char *dest;		/* what the temporary is renamed to */
	char *tmp;		/* the temporary name; NULL when direct */
	bool close_fp;		/* a direct target we opened (not stdout) */
};

/*
 * NULL with ERROR_IO when the temporary file cannot be created, the
 * target cannot be opened, or it is a directory, a block device or
 * another kind of file that is not written.
 */
struct ofile *ofile_open(const char *path);
/* Flush, sync and rename; frees of; -1 with ERROR_IO (of is freed). */
int ofile_commit(struct ofile *of);
/*
 * Flush, sync and close the temporary file but do not rename it yet: for
 * files that must appear together, finish each as it is done (few stay
 * open) and commit them all at the end.  Afterwards of->fp is NULL and
 * only ofile_commit() or ofile_abort() may follow.  -1 with ERROR_IO (of
 * is kept: abort it).  For a direct target it only flushes.
 */
int ofile_finish(struct ofile *of);
/* Remove the temporary file and free of; accepts NULL. */
void ofile_abort(struct ofile *of);

/*
 * Whether ofile_open(path) would make or replace a regular file (not "-",
 * a device, FIFO or socket): output with files beside it, such as a
 * report's charts, only goes with a file.
 */
bool ofile_target_is_file(const char *path);

/*
 * Write len bytes to path atomically (temporary file, fsync, rename), or
 * directly to a device, FIFO or socket.  -1 with ERROR_IO.
 */
int ofile_write_all(const char *path, const void *buf, size_t len);

#endif
