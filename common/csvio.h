/*
 * csvio.h - streaming CSV reading and minimal-quoting writing on libcsv.
 *
 * The reader calls a function once per record with the record's fields as
 * NUL-terminated strings, the line the record starts on and whether it was
 * ended by a newline; memory stays constant whatever the file size (one
 * read buffer and one record, a record is capped at 1 MiB).  Line numbers
 * count '\n', so CRLF files and quoted fields holding newlines report the
 * line an editor shows.  The reader is strict (libcsv CSV_STRICT): a stray
 * quote is an error, not a guess.  A UTF-8 byte-order mark is skipped;
 * a field that is not valid UTF-8 is an error "file:line:field: not valid
 * UTF-8: ...", so no reader ever keeps such text.
 *
 * The writer builds one line in a strbuf and quotes a field only when it
 * must (separator, quote, CR, LF, or leading/trailing blank, which the
 * reader would trim), so plain numbers stay plain.
 * USED BY: capplan and capplan-collect (the collector writes only).
 */
#ifndef COMMON_CSVIO_H
#define COMMON_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/strbuf.h"

struct csv_record {
	char **fields;		/* nfields NUL-terminated strings */
	size_t nfields;
	size_t line;		/* line the record starts on, from 1 */
	size_t index;		/* record number, from 1 */
	bool terminated;	/* false: last record, no newline after it */
	/* only after csv_reader_allow_cut_short(): the last field of this
	 * unterminated record ends inside a UTF-8 character */
	bool cut_short;
};

/* Return 0 to go on, CSV_STOP to stop cleanly, -1 (error set) to fail. */
#define CSV_STOP 1
typedef int (*csv_record_fn)(const struct csv_record *rec, void *ctx);

struct csv_reader;

/* Open path ("-" is stdin) for reading; NULL with ERROR_IO on failure. */
struct csv_reader *csv_reader_open(const char *path);
/* Wrap an open stream; name is used in messages; fp is not closed. */
struct csv_reader *csv_reader_new_stream(FILE *fp, const char *name);
void csv_reader_set_delim(struct csv_reader *r, char delim);
/*
 * A last record with no newline after it whose last field ends inside a
 * UTF-8 character (what a write cut short leaves) is refused as invalid
 * text, unless the reader calls this: it then gets that record with
 * cut_short set, and must drop it or refuse it, never keep the field.
 * For the samples reader, which drops a truncated last line.
 */
void csv_reader_allow_cut_short(struct csv_reader *r);
/* Name the input differently in messages (a spooled copy of stdin). */
void csv_reader_set_name(struct csv_reader *r, const char *name);
/*
 * Read every record, calling fn for each.  Returns 0 at end of file or on
 * CSV_STOP, -1 on a read or parse error (recorded with file and line) or
 * when fn returned -1 (fn recorded it).
 */
int csv_reader_run(struct csv_reader *r, csv_record_fn fn, void *ctx);
/* the name used in messages: the path, or "<stdin>" */
const char *csv_reader_name(const struct csv_reader *r);
uint64_t csv_reader_bytes(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/*
 * A line being written: fields are added one by one, csv_line_end() adds
 * the newline, and the caller writes line.sb in one go (or calls
 * csv_line_flush()).  Separator is ','.
 */
struct csv_line {
	struct strbuf sb;
	size_t nfields;
};

void csv_line_init(struct csv_line *l);
void csv_line_release(struct csv_line *l);
/* empty the line for the next record */
void csv_line_reset(struct csv_line *l);
void csv_line_str(struct csv_line *l, const char *s);
/* a number with the given decimals; NaN and +-inf become an empty field
 * (undefined, as json_num() makes them null), never a cell the readers
 * would refuse */
void csv_line_num(struct csv_line *l, double v, int decimals);
void csv_line_int(struct csv_line *l, long long v);
void csv_line_empty(struct csv_line *l);
void csv_line_end(struct csv_line *l);
/* fwrite the line to fp and reset it; -1 with ERROR_IO naming name */
int csv_line_flush(struct csv_line *l, FILE *fp, const char *name);
/* Does s need quoting to survive a round trip through the reader? */
bool csv_needs_quotes(const char *s);

/*
 * Text cells: one rule for every CSV capplan writes and reads
 * (capplan-formats(5), "Text that looks like a formula").  A cell that a
 * spreadsheet would run as a formula, one that starts with = + - @ TAB
 * or CR, is written with a ' in front (OWASP's advice on CSV injection),
 * and so is one that starts with ' itself; readers drop one leading ' of
 * a text cell.  So the text comes back exactly, whatever it is, and a
 * spreadsheet shows "=HYPERLINK(...)" as text instead of running it.
 * Use csv_line_text() for every cell that holds data (names, models,
 * reasons) and csv_line_str() for the words capplan itself writes
 * (column names, times, keywords).
 */
bool csv_text_needs_mark(const char *s);
void csv_line_text(struct csv_line *l, const char *s);
/* A text cell as read: without the ' that csv_line_text() put first. */
const char *csv_text_value(const char *cell);

#endif
