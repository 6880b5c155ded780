/*
 * jscan.h - walk a large JSON document in constant memory, handing one
 * value at a time to jansson.
 *
 * jansson parses a whole document into memory; a day of sadf -j at 1 s
 * or a Prometheus response for a fleet does not belong there.  jscan
 * reads the structure itself (objects, keys, arrays) and loads only the
 * values the caller asks for (one statistics record, one series) with
 * jansson; everything else is skipped without being built.  Positions
 * are tracked so errors read "file:line:column: ...", and a position can
 * be saved and returned to (a second pass over one part of the file).
 *
 * The walk is strict where it reads (commas, colons, string escapes,
 * nesting) and leaves the grammar of loaded values to jansson.  Keys are
 * decoded strings.  Not thread-safe; one jscan per open file.
 */
#ifndef IMPORT_JSCAN_H
#define IMPORT_JSCAN_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

struct jscan;

struct jscan_pos {
	off_t off;
	size_t line, col;
};

/* Open path for reading; NULL with ERROR_IO. name is used in messages. */
struct jscan *jscan_open(const char *path, const char *name);
void jscan_free(struct jscan *js);

/* Where the next character is (after skipping blanks). */
void jscan_tell(struct jscan *js, struct jscan_pos *pos);
/* Go back to pos, forgetting the nesting above it: the caller walks
 * from there as from the top.  -1 with ERROR_IO. */
int jscan_seek(struct jscan *js, const struct jscan_pos *pos);

/* The next character after blanks, not consumed; EOF at the end. */
int jscan_peek(struct jscan *js);
/* Consume '{' (or '['); -1 with ERROR_DATA naming what was found. */
int jscan_object(struct jscan *js, const char *what);
int jscan_array(struct jscan *js, const char *what);
/*
 * The next key of the object being walked: 1 and *key (valid until the
 * next call) with the ':' consumed, 0 at its end ('}' consumed), -1 on a
 * syntax error.
 */
int jscan_key(struct jscan *js, const char **key);
/* 1 if the array being walked has another element (its ',' consumed),
 * 0 at its end (']' consumed), -1 on a syntax error. */
int jscan_more(struct jscan *js);
/* Load the next value into *v (json_decref it); -1 with ERROR_DATA. */
int jscan_value(struct jscan *js, json_t **v);
/* Skip the next value. */
int jscan_skip(struct jscan *js);
/* Only blanks are left; -1 with ERROR_DATA otherwise. */
int jscan_end(struct jscan *js);

/* Record ERROR_DATA at pos ("name:line:col: ..."); returns -1. */
int jscan_error(const struct jscan *js, const struct jscan_pos *pos,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *jscan_name(const struct jscan *js);

#endif
