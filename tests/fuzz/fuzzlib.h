/*
 * fuzzlib.h - what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * The readers under test take paths, not buffers.  A reader of one file
 * gets the input through a memfd: fuzz_memfd_path() rewrites it in place
 * and names it "/proc/self/fd/N", so a run costs no file system
 * metadata.  A reader whose file names mean something (an importer's
 * folders, the collector's root) gets files in a folder of its own
 * process under /dev/shm (FUZZ_SHM names another parent), emptied after
 * each run and removed at exit.
 *
 * An input that stands for several files is split at the byte 0x1e
 * (ASCII RS, which no format here uses): part k becomes the k-th name of
 * the harness's table.  fuzz_begin() clears the state readers keep
 * between calls (the last error), and fuzz_check_rc() holds every reader
 * to the report-once rule: a failure has recorded what is wrong.
 *
 * A harness that cannot set itself up (no /dev/shm, a copy that fails)
 * aborts: that is a broken harness, reported as a crash, never a pass.
 */
#ifndef TESTS_FUZZ_FUZZLIB_H
#define TESTS_FUZZ_FUZZLIB_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_SEP 0x1e		/* splits an input into files */

/* one file of a split input: borrowed from the input */
struct fuzz_part {
	const uint8_t *data;
	size_t size;
};

/* libFuzzer's entry point, declared for -Wmissing-prototypes */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Before each run: forget the last error. */
void fuzz_begin(void);

/*
 * After a reader returned rc: abort when rc is -1 and no error was
 * recorded (the command layer would print "unknown error").
 */
void fuzz_check_rc(int rc);

/* Print "fuzz: why" and abort: a reader broke a promise. */
void fuzz_fail(const char *why) __attribute__((noreturn));

/* Print "fuzz: what: strerror(errno)" and abort: the harness is broken. */
void fuzz_die(const char *what) __attribute__((noreturn));

/* data in this process's memfd; its path, valid until the next call */
const char *fuzz_memfd_path(const uint8_t *data, size_t size);

/* This process's folder under /dev/shm, made on first use. */
const char *fuzz_dir(void);

/* A new string: fuzz_dir()/rel. */
char *fuzz_path(const char *rel);

/* Write data to fuzz_dir()/rel, making the folders on the way. */
void fuzz_write(const char *rel, const void *data, size_t size);

/* Remove everything inside fuzz_dir()/rel (rel "" for all), keeping
 * the folder itself; a missing folder is nothing to do. */
void fuzz_empty(const char *rel);

/* Copy the tree src (files and folders) to fuzz_dir()/rel. */
void fuzz_copy_tree(const char *src, const char *rel);

/* The source tree (FUZZ_SRCDIR at build time, or $CAPPLAN_SRCDIR). */
const char *fuzz_srcdir(void);

/*
 * What capplan wrote from what it read did not read back: print the
 * error and the text written (NULL: not shown), and abort.
 */
void fuzz_fail_again(const char *written) __attribute__((noreturn));

/*
 * Abort unless rows a and b of spec hold the same: text cells the same
 * bytes, booleans equal, numbers both empty or equal to half a unit of
 * the last decimal the writer keeps.
 */
struct table_spec;
void fuzz_table_row_same(const struct table_spec *spec, const void *a,
    const void *b);

/*
 * Split data at FUZZ_SEP into at most max parts (the last takes the
 * rest, separators and all).  Returns the count, at least 1.
 */
size_t fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts,
    size_t max);

#endif
