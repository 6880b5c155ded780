/*
 * inspect.h - what is in a capplan data file, checked while read.
 *
 * inspect_file() identifies the file by its format record, validates it
 * with the reader of its kind and returns a description as a JSON object:
 * kind and version, hosts, time range, interval, coverage, columns, and
 * min / mean / p95 / max per metric or numeric column.  capplan inspect
 * prints it as text or as it is (--json).  Memory does not grow with the
 * file's length (see summary.h), only with its number of hosts.
 */
#ifndef MODEL_INSPECT_H
#define MODEL_INSPECT_H

#include <jansson.h>

/* A new object (json_decref it), or NULL with the error recorded. */
json_t *inspect_file(const char *path);

#endif
