/*
 * csvio.c - the streaming reader and the line writer.
 *
 * libcsv does not count lines, so the reader hands it one line at a time:
 * each segment up to and including a '\n' is parsed, then the line count
 * goes up.  A record starts on the current line when libcsv is between
 * records (pstate 0, no field pending) as a segment begins; blank lines
 * are skipped by libcsv and so never start a record.  Every field is
 * checked to be UTF-8 (common/utf8.h) before the caller sees it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "common/csvio.h"
#include "common/num.h"
#include "common/error.h"
#include "common/utf8.h"
#include "common/xalloc.h"

#define READ_BUF_BYTES (256 * 1024)
#define RECORD_MAX_BYTES (1024 * 1024)

struct csv_reader {
	FILE *fp;
	bool own_fp;
	char *name;
	struct csv_parser parser;
	char delim;
	/* the record being assembled */
	struct strbuf rec;		/* fields, each NUL-terminated */
	size_t *offs;
	size_t noffs, offs_cap;
	char **fields;
	size_t fields_cap;
	size_t line;			/* current line, from 1 */
	size_t rec_line;		/* line the pending record started on */
	size_t nrecords;
	uint64_t bytes;
	bool at_eof;
	/* the caller's function, and how it asked to stop */
	csv_record_fn fn;
	void *ctx;
	int stop;			/* 0, CSV_STOP or -1 */
	bool too_long;
	bool allow_cut_short;		/* csv_reader_allow_cut_short() */
	bool cut_short;			/* the last field ends cut short */
};

struct csv_reader *
csv_reader_new_stream(FILE *fp, const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = xstrdup(name);
	r->delim = ',';
	strbuf_init(&r->rec);
	r->line = 1;
	return r;
}

struct csv_reader *
csv_reader_open(const char *path)
{
	struct csv_reader *r;
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return csv_reader_new_stream(stdin, "<stdin>");
	fp = fopen(path, "r");
	if (fp == NULL) {
		error_set_errno(ERROR_IO, "cannot open '%s'", path);
		return NULL;
	}
	r = csv_reader_new_stream(fp, path);
	r->own_fp = true;
	return r;
}

void
csv_reader_set_delim(struct csv_reader *r, char delim)
{
	r->delim = delim;
}

void
csv_reader_allow_cut_short(struct csv_reader *r)
{
	r->allow_cut_short = true;
}

void
csv_reader_set_name(struct csv_reader *r, const char *name)
{
	free(r->name);
	r->name = xstrdup(name);
}

const char *
csv_reader_name(const struct csv_reader *r)
{
	return r->name;
}

uint64_t
csv_reader_bytes(const struct csv_reader *r)
{
	return r->bytes;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fp && r->fp != NULL)
		fclose(r->fp);
	free(r->name);
	strbuf_release(&r->rec);
	free(r->offs);
	free(r->fields);
	free(r);
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;

	if (r->stop != 0)
		return;
	if (r->rec.len + len + 1 > RECORD_MAX_BYTES) {
		r->too_long = true;
		return;
	}
	if (r->noffs == r->offs_cap)
		ALLOC_GROW(r->offs, r->noffs + 1, r->offs_cap);
	r->offs[r->noffs++] = r->rec.len;
	/* one reservation per field: this runs for every cell of a file */
	if (r->rec.len + len + 1 >= r->rec.cap)
		strbuf_grow(&r->rec, len + 1);
	if (len > 0)
		memcpy(r->rec.buf + r->rec.len, s, len);
	r->rec.len += len;
	r->rec.buf[r->rec.len++] = '\0';
}

/*
 * Is field i of the record valid UTF-8?  The last field of a record with
 * no newline after it may end inside a character: a write cut short (the
 * reader's truncated last line), not bad text.  A reader that drops a
 * truncated last line (csv_reader_allow_cut_short()) gets that one with
 * cut_short set; for every other reader it is bad text, as it would be
 * with a newline after it.
 */
static int
field_check(struct csv_reader *r, size_t i, bool unterminated)
{
	const char *f = r->fields[i];
	size_t off;

	if (utf8_valid(f, &off, NULL))
		return 0;
	if (r->allow_cut_short && unterminated && i + 1 == r->noffs &&
	    utf8_cut_short(f + off)) {
		r->cut_short = true;
		return 0;
	}
	return utf8_check(f, NULL, r->name, r->rec_line, i + 1);
}

static void
on_record(int term, void *data)
{
	struct csv_reader *r = data;
	struct csv_record rec;
	size_t i;

	if (r->stop == 0 && r->too_long)
		r->stop = error_at(ERROR_DATA, r->name, r->rec_line, 0,
		    "record longer than %d bytes", RECORD_MAX_BYTES);
	if (r->stop == 0) {
		ALLOC_GROW(r->fields, r->noffs + 1, r->fields_cap);
		for (i = 0; i < r->noffs; i++)
			r->fields[i] = r->rec.buf + r->offs[i];
		/* text is UTF-8: refused here, before any reader keeps it */
		r->cut_short = false;
		for (i = 0; i < r->noffs && r->stop == 0; i++)
			r->stop = field_check(r, i, term == -1);
	}
	if (r->stop == 0) {
		rec.fields = r->fields;
		rec.nfields = r->noffs;
		rec.line = r->rec_line;
		rec.index = ++r->nrecords;
		rec.terminated = term != -1;
		rec.cut_short = r->cut_short;
		r->stop = r->fn(&rec, r->ctx);
	}
	strbuf_reset(&r->rec);
	r->noffs = 0;
	r->too_long = false;
}

static int
parse_error(struct csv_reader *r)
{
	if (csv_error(&r->parser) == CSV_EPARSE)
		return error_at(ERROR_DATA, r->name, r->line, 0,
		    "malformed CSV: a quote inside an unquoted field or text "
		    "after a closing quote");
	return error_at(ERROR_DATA, r->name, r->line, 0, "%s",
	    csv_strerror(csv_error(&r->parser)));
}

/* Parse one segment that holds at most one '\n', at its end. */
static int
parse_segment(struct csv_reader *r, const char *p, size_t n)
{
	if (r->parser.pstate == 0 && r->noffs == 0)
		r->rec_line = r->line;
	if (memchr(p, '\0', n) != NULL)
		return error_at(ERROR_DATA, r->name, r->line, 0,
		    "NUL byte in text (is this a binary file?)");
	if (csv_parse(&r->parser, p, n, on_field, on_record, r) != n)
		return parse_error(r);
	if (r->stop != 0)
		return r->stop == -1 ? -1 : 0;
	if (r->parser.entry_pos > RECORD_MAX_BYTES)
		return error_at(ERROR_DATA, r->name, r->rec_line, 0,
		    "record longer than %d bytes", RECORD_MAX_BYTES);
	if (p[n - 1] == '\n')
		r->line++;
	return 0;
}

static int
parse_buffer(struct csv_reader *r, const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n, *nl;
	size_t seg;

	if (r->bytes == n && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && r->stop == 0) {
		nl = memchr(p, '\n', (size_t)(end - p));
		seg = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (parse_segment(r, p, seg) == -1)
			return -1;
		p += seg;
	}
	return 0;
}

static int
read_all(struct csv_reader *r, char *buf)
{
	size_t n;

	while (r->stop == 0 && (n = fread(buf, 1, READ_BUF_BYTES, r->fp)) > 0) {
		r->bytes += n;
		if (parse_buffer(r, buf, n) == -1)
			return -1;
	}
	if (r->stop == -1)
		return -1;
	if (r->stop == 0 && ferror(r->fp))
		return error_set_errno(ERROR_IO, "cannot read '%s'", r->name);
	if (r->stop == 0 && csv_fini(&r->parser, on_field, on_record, r) != 0)
		return error_at(ERROR_DATA, r->name, r->rec_line, 0,
		    "quoted field not closed at end of file");
	return r->stop == -1 ? -1 : 0;
}

int
csv_reader_run(struct csv_reader *r, csv_record_fn fn, void *ctx)
{
	char *buf;
	int ret;

	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return error_set(ERROR_IO, "cannot initialise the CSV parser");
	csv_set_delim(&r->parser, (unsigned char)r->delim);
	r->fn = fn;
	r->ctx = ctx;
	r->stop = 0;
	buf = xmalloc(READ_BUF_BYTES);
	ret = read_all(r, buf);
	free(buf);
	csv_free(&r->parser);
	return ret;
}

bool
csv_needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void
csv_line_init(struct csv_line *l)
{
	strbuf_init(&l->sb);
	l->nfields = 0;
}

void
csv_line_release(struct csv_line *l)
{
	if (l != NULL)
		strbuf_release(&l->sb);
}

void
csv_line_reset(struct csv_line *l)
{
	strbuf_reset(&l->sb);
	l->nfields = 0;
}

static void
sep(struct csv_line *l)
{
	if (l->nfields++ > 0)
		strbuf_addch(&l->sb, ',');
}

void
csv_line_str(struct csv_line *l, const char *s)
{
	sep(l);
	if (!csv_needs_quotes(s)) {
		strbuf_addstr(&l->sb, s);
		return;
	}
	strbuf_addch(&l->sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			strbuf_addch(&l->sb, '"');
		strbuf_addch(&l->sb, *s);
	}
	strbuf_addch(&l->sb, '"');
}

bool
csv_text_needs_mark(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r'", s[0]) != NULL;
}

void
csv_line_text(struct csv_line *l, const char *s)
{
	struct strbuf t = STRBUF_INIT;

	if (!csv_text_needs_mark(s)) {
		csv_line_str(l, s);
		return;
	}
	strbuf_init(&t);
	strbuf_addch(&t, '\'');
	strbuf_addstr(&t, s);
	csv_line_str(l, t.buf);
	strbuf_release(&t);
}

const char *
csv_text_value(const char *cell)
{
	return cell[0] == '\'' ? cell + 1 : cell;
}

void
csv_line_num(struct csv_line *l, double v, int decimals)
{
	size_t at;

	sep(l);
	if (!isfinite(v))
		return;		/* as json_num() writes null; readers refuse inf */
	at = l->sb.len;
	strbuf_grow(&l->sb, NUM_FIXED_MAX);
	l->sb.len += num_format_fixed(l->sb.buf + at, v, decimals);
	/* "-0.00" says nothing "0.00" does not, and breaks byte equality */
	if (l->sb.buf[at] == '-' &&
	    strspn(l->sb.buf + at + 1, "0.") == l->sb.len - at - 1) {
		memmove(l->sb.buf + at, l->sb.buf + at + 1, l->sb.len - at);
		l->sb.len--;
	}
}

void
csv_line_int(struct csv_line *l, long long v)
{
	sep(l);
	strbuf_addf(&l->sb, "%lld", v);
}

void
csv_line_empty(struct csv_line *l)
{
	sep(l);
}

void
csv_line_end(struct csv_line *l)
{
	strbuf_addch(&l->sb, '\n');
	l->nfields = 0;		/* the next field starts a new record */
}

int
csv_line_flush(struct csv_line *l, FILE *fp, const char *name)
{
	if (fwrite(l->sb.buf, 1, l->sb.len, fp) != l->sb.len) {
		csv_line_reset(l);
		return error_set_errno(ERROR_IO, "cannot write '%s'", name);
	}
	csv_line_reset(l);
	return 0;
}
