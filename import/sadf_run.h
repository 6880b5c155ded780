/*
 * sadf_run.h - sysstat's binary saDD files, read through sysstat's own
 * sadf (the one place capplan import runs another program).
 *
 * The binary format changes with sysstat's versions (its file_magic and
 * each activity's record layout) and sadf reads every version it
 * supports, in either byte order, so capplan asks sadf for its -d output
 * rather than parsing the records itself, and reads that as it reads any
 * sadf -d file.
 */
#ifndef IMPORT_SADF_RUN_H
#define IMPORT_SADF_RUN_H

#include <stdbool.h>

/* Does path start with sysstat's file magic (0xd596, either order)?
 * false when it cannot be read (the caller's open reports that). */
bool sadf_is_binary(const char *path);

/*
 * Run "sadf -d path -- <the activities capplan reads>" with posix_spawnp()
 * and no shell, its standard output into a new temporary file whose path
 * is set in *out (the caller removes and frees it).  Returns 0, or -1
 * with ERROR_BACKEND: sadf not installed, or sadf refusing the file, with
 * what it said ("'sa01': sadf cannot read it: Invalid system activity
 * file"), name being the input as the user gave it.
 */
int sadf_run(const char *path, const char *name, char **out);

#endif
