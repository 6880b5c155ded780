/*
 * unpack.h - gzip- and xz-compressed inputs, and temporary files for
 * inputs an importer must read more than once; the guest kernel's
 * compressed payload (kvm/kernel.c) too.
 *
 * sysstat keeps its daily files compressed after a few days (Debian's
 * COMPRESSAFTER=10, with xz), and people ship sadf output as .gz: an
 * importer that reads a file twice (the sadf -d merge) needs it plain and
 * seekable, so a compressed input is decompressed, through zlib and
 * liblzma in-process (no gzip or xz program is run), into a temporary
 * file that the importer reads in its place and removes.  The kind is
 * told by the first bytes, never by the file name: a .gz that is not
 * gzip is read as it is.
 */
#ifndef COMMON_UNPACK_H
#define COMMON_UNPACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum unpack_kind {
	UNPACK_PLAIN,		/* neither: read as it is */
	UNPACK_GZIP,		/* 1f 8b */
	UNPACK_XZ,		/* fd 37 7a 58 5a 00 */
};

/* "gzip", "xz" or "plain" */
const char *unpack_kind_name(enum unpack_kind kind);

/*
 * What path holds, by its first bytes: 0 with *kind set, or -1 with
 * ERROR_IO naming name (the input as the user gave it).
 */
int unpack_detect(const char *path, const char *name, enum unpack_kind *kind);

/*
 * A new empty temporary file in $TMPDIR (else /tmp) whose name starts
 * with stem: its path in *path (the caller removes it and frees the
 * string), its descriptor returned, or -1 with ERROR_IO.
 */
int unpack_temp(const char *stem, char **path);

/*
 * Decompress path, of kind (not UNPACK_PLAIN), into a new temporary file
 * and set *out to its path (the caller removes and frees it).  Several
 * concatenated streams (cat a.gz b.gz) are read as one.  Returns 0, or -1
 * with ERROR_DATA for a damaged or truncated stream ("name: not a
 * complete xz stream: ...") or ERROR_IO; no temporary file is left then.
 */
int unpack_to_temp(const char *path, const char *name, enum unpack_kind kind,
    char **out);

/*
 * Decompress kind (gzip or xz) from in, where it stands, reading at most
 * len bytes of it (UINT64_MAX: to its end), into fd, which is out.  With
 * one set, the first stream's end is the end: what follows it (the
 * kernel's appended length after a bzImage's payload) is not read.
 * Without it, streams one after another are read as one.  0, or -1 with
 * ERROR_DATA ("name: not a valid xz stream: ...") or ERROR_IO.
 */
int unpack_stream(FILE *in, uint64_t len, bool one, enum unpack_kind kind,
    int fd, const char *name, const char *out);

#endif
