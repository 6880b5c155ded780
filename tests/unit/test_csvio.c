/*
 * test_csvio.c - the streaming CSV reader and the line writer
 * (common/csvio.c).
 *
 * Inputs are written to files under $TMPDIR and read back through
 * csv_reader_open(), the path every reader in capplan takes.  Expected
 * fields and line numbers follow from RFC 4180 and from counting the
 * newlines in the input by hand; the large-file tests compute them while
 * generating the input.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include "common/csvio.h"
#include "common/error.h"

/* csvio.c reads in blocks of READ_BUF_BYTES (256 KiB) */
#define BUF_BYTES (256 * 1024)
#define MAX_RECS 32

struct rec_log {
	size_t n;
	char text[MAX_RECS][256];	/* the fields joined with '|' */
	size_t nfields[MAX_RECS];
	size_t line[MAX_RECS];
	size_t index[MAX_RECS];
	bool term[MAX_RECS];
	size_t stop_at;			/* return CSV_STOP at this index */
	size_t fail_at;			/* return -1 at this index */
};

static char tmp_path[512];

/* Write len bytes to a temporary file; the path is in tmp_path. */
static const char *
write_bytes(const char *tag, const char *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	FILE *fp;

	snprintf(tmp_path, sizeof(tmp_path), "%s/capplan-test-%ld-%s.csv",
	    dir != NULL ? dir : "/tmp", (long)getpid(), tag);
	fp = fopen(tmp_path, "wb");
	if (fp == NULL)
		fail_msg("cannot create %s", tmp_path);
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		fail_msg("cannot write %s", tmp_path);
	fclose(fp);
	return tmp_path;
}

static int
log_record(const struct csv_record *rec, void *ctx)
{
	struct rec_log *log = ctx;
	size_t i, k, n;

	assert_true(log->n < MAX_RECS);
	k = log->n++;
	log->text[k][0] = '\0';
	for (i = 0; i < rec->nfields; i++) {
		if (i > 0)
			strcat(log->text[k], "|");
		n = strlen(log->text[k]);
		if (strlen(rec->fields[i]) > 100)	/* a padding field */
			snprintf(log->text[k] + n, sizeof(log->text[k]) - n,
			    "<%zu bytes>", strlen(rec->fields[i]));
		else if (n + strlen(rec->fields[i]) < sizeof(log->text[k]))
			strcat(log->text[k], rec->fields[i]);
		else
			fail_msg("record %zu too long to log", rec->index);
	}
	log->nfields[k] = rec->nfields;
	log->line[k] = rec->line;
	log->index[k] = rec->index;
	log->term[k] = rec->terminated;
	if (rec->index == log->fail_at)
		return error_set(ERROR_DATA, "callback refuses record %zu",
		    rec->index);
	if (rec->index == log->stop_at)
		return CSV_STOP;
	return 0;
}

/* Read len bytes of text through the reader into log; unlink the file. */
static int
read_bytes(const char *text, size_t len, char delim, struct rec_log *log)
{
	struct csv_reader *r;
	int rc;

	write_bytes("in", text, len);
	r = csv_reader_open(tmp_path);
	assert_non_null(r);
	if (delim != ',')
		csv_reader_set_delim(r, delim);
	error_clear();
	rc = csv_reader_run(r, log_record, log);
	csv_reader_free(r);
	unlink(tmp_path);
	return rc;
}

static int
read_text(const char *text, struct rec_log *log)
{
	return read_bytes(text, strlen(text), ',', log);
}

/* The error message contains "in.csv:<line>:" and want. */
static void
assert_error_at_line(size_t line, const char *want)
{
	char where[64];

	snprintf(where, sizeof(where), "-in.csv:%zu: ", line);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strstr(error_last_msg(), where) == NULL ||
	    strstr(error_last_msg(), want) == NULL)
		fail_msg("message '%s' lacks '%s' or '%s'", error_last_msg(),
		    where, want);
}

static void
test_reader_counts_lf_lines(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("a,b\nc,d\ne,f\n", &log), 0);
	assert_int_equal(log.n, 3);
	assert_string_equal(log.text[0], "a|b");
	assert_string_equal(log.text[2], "e|f");
	assert_int_equal(log.line[0], 1);
	assert_int_equal(log.line[1], 2);
	assert_int_equal(log.line[2], 3);
	assert_int_equal(log.index[2], 3);
	assert_true(log.term[2]);
}

static void
test_reader_counts_crlf_lines(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("a,b\r\nc,d\r\n\r\ne,f\r\n", &log), 0);
	assert_int_equal(log.n, 3);
	/* no '\r' is left in the last field */
	assert_string_equal(log.text[0], "a|b");
	assert_string_equal(log.text[1], "c|d");
	assert_string_equal(log.text[2], "e|f");
	assert_int_equal(log.line[0], 1);
	assert_int_equal(log.line[1], 2);
	assert_int_equal(log.line[2], 4);
}

static void
test_reader_skips_empty_lines(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("\n\na\n\n\nb,c\n\n", &log), 0);
	assert_int_equal(log.n, 2);
	assert_string_equal(log.text[0], "a");
	assert_int_equal(log.line[0], 3);
	assert_string_equal(log.text[1], "b|c");
	assert_int_equal(log.line[1], 6);
	assert_int_equal(log.index[1], 2);
}

static void
test_reader_quoted_fields_keep_commas_and_quotes(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n"
	    "3,\"\",\"\"\"\"\n", &log), 0);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.nfields[0], 2);
	assert_string_equal(log.text[0], "1|a,b");
	assert_string_equal(log.text[1], "2|say \"hi\"");
	assert_int_equal(log.nfields[2], 3);
	assert_string_equal(log.text[2], "3||\"");
}

static void
test_reader_quoted_newline_keeps_start_line(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("h1,h2\n3,\"two\nlines\"\n4,\"x\n\ny\",z\n"
	    "5,end\n", &log), 0);
	assert_int_equal(log.n, 4);
	assert_string_equal(log.text[1], "3|two\nlines");
	assert_int_equal(log.line[1], 2);
	/* the record after a field with one newline starts a line later */
	assert_string_equal(log.text[2], "4|x\n\ny|z");
	assert_int_equal(log.line[2], 4);
	assert_string_equal(log.text[3], "5|end");
	assert_int_equal(log.line[3], 7);
}

static void
test_reader_quoted_newline_in_first_field(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("h\n\"multi\nline\",x\n\"a\n\nb\"\nnext\n",
	    &log), 0);
	assert_int_equal(log.n, 4);
	assert_string_equal(log.text[1], "multi\nline|x");
	assert_int_equal(log.line[1], 2);
	assert_string_equal(log.text[2], "a\n\nb");
	assert_int_equal(log.line[2], 4);
	assert_int_equal(log.line[3], 7);
}

static void
test_reader_quoted_crlf_is_kept_and_counted(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("x,\"a\r\nb\"\r\ny\r\n", &log), 0);
	assert_int_equal(log.n, 2);
	assert_string_equal(log.text[0], "x|a\r\nb");
	assert_int_equal(log.line[1], 3);
}

static void
test_reader_trims_blanks_around_unquoted_fields(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	/* why the writer quotes leading and trailing blanks */
	assert_int_equal(read_text(" a , b\t,\" c \"\n", &log), 0);
	assert_string_equal(log.text[0], "a|b| c ");
}

static void
test_reader_last_line_without_newline_is_unterminated(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("a,b\nc,d", &log), 0);
	assert_int_equal(log.n, 2);
	assert_true(log.term[0]);
	assert_false(log.term[1]);
	assert_string_equal(log.text[1], "c|d");
	assert_int_equal(log.line[1], 2);
}

static void
test_reader_unterminated_quote_at_eof_is_error(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("a,b\nc,\"open\nmore\n", &log), -1);
	assert_int_equal(log.n, 1);
	assert_error_at_line(2, "quoted field not closed");
}

static void
test_reader_stray_quote_is_error(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("a,b\nc,d\"e\nf,g\n", &log), -1);
	assert_int_equal(log.n, 1);
	assert_error_at_line(2, "malformed CSV");
}

static void
test_reader_text_after_closing_quote_is_error(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("a\nb\n\"c\"d,e\n", &log), -1);
	assert_int_equal(log.n, 2);
	assert_error_at_line(3, "malformed CSV");
}

static void
test_reader_nul_byte_is_error(void **state)
{
	static const char text[] = "a,b\nc,d\ne\0f,g\n";
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_bytes(text, sizeof(text) - 1, ',', &log), -1);
	assert_int_equal(log.n, 2);
	assert_error_at_line(3, "NUL byte");
}

static void
test_reader_skips_utf8_bom(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_text("\xef\xbb\xbf" "capplan-samples,1\nx\n",
	    &log), 0);
	assert_int_equal(log.n, 2);
	assert_string_equal(log.text[0], "capplan-samples|1");
	assert_int_equal(log.line[1], 2);
}

/* head, then a line "p,aaa...\n" of pad bytes, then tail (malloc'd). */
static char *
padded(const char *head, size_t pad, const char *tail, size_t *len)
{
	size_t h = strlen(head), n = strlen(tail);
	char *buf = malloc(h + pad + n + 1);

	assert_non_null(buf);
	assert_true(pad >= 3);
	memcpy(buf, head, h);
	buf[h] = 'p';
	buf[h + 1] = ',';
	memset(buf + h + 2, 'a', pad - 3);
	buf[h + pad - 1] = '\n';
	memcpy(buf + h + pad, tail, n + 1);
	*len = h + pad + n;
	return buf;
}

static void
test_reader_refuses_field_over_1mib(void **state)
{
	struct rec_log log = { 0 };
	size_t len;
	char *buf;

	(void)state;
	/* line 1 is short, line 2 one field of 1.1 MiB */
	buf = padded("h,1\n", 1100 * 1024, "x\n", &len);
	assert_int_equal(read_bytes(buf, len, ',', &log), -1);
	free(buf);
	assert_int_equal(log.n, 1);
	assert_error_at_line(2, "record longer than 1048576 bytes");
}

static void
test_reader_refuses_many_fields_over_1mib(void **state)
{
	struct rec_log log = { 0 };
	size_t i, n = 300000;
	char *buf = malloc(2 * n * 3 + 16);

	(void)state;
	assert_non_null(buf);
	memcpy(buf, "h\n\n", 3);
	for (i = 0; i < 2 * n; i++)
		memcpy(buf + 3 + 3 * i, "ab,", 3);
	memcpy(buf + 3 + 6 * n, "z\n", 3);
	/* 600,001 fields of 3 bytes each (with the NUL): 1.8 MB */
	assert_int_equal(read_bytes(buf, strlen(buf), ',', &log), -1);
	free(buf);
	assert_int_equal(log.n, 1);
	assert_error_at_line(3, "record longer than 1048576 bytes");
}

static int
check_long_field(const struct csv_record *rec, void *ctx)
{
	size_t *len = ctx;

	if (rec->index == 2) {
		assert_int_equal(rec->nfields, 2);
		assert_int_equal(strlen(rec->fields[1]), *len);
		assert_true(rec->fields[1][0] == 'a' &&
		    rec->fields[1][*len - 1] == 'a');
		assert_int_equal(rec->line, 2);
		*len = 0;
	}
	return 0;
}

static void
test_reader_accepts_record_just_under_1mib(void **state)
{
	struct csv_reader *r;
	size_t len, field;
	char *buf;

	(void)state;
	buf = padded("h,1\n", 1024 * 1024 - 100, "x\n", &len);
	write_bytes("in", buf, len);
	free(buf);
	field = 1024 * 1024 - 100 - 3;
	r = csv_reader_open(tmp_path);
	assert_non_null(r);
	assert_int_equal(csv_reader_run(r, check_long_field, &field), 0);
	assert_int_equal(field, 0);	/* the callback saw the record */
	assert_int_equal(csv_reader_bytes(r), len);
	csv_reader_free(r);
	unlink(tmp_path);
}

static void
test_reader_stop_ends_cleanly(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	log.stop_at = 2;
	assert_int_equal(read_text("a\nb\nc\n\"unclosed\n", &log), 0);
	assert_int_equal(log.n, 2);
	assert_string_equal(log.text[1], "b");
}

static void
test_reader_callback_error_propagates(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	log.fail_at = 2;
	assert_int_equal(read_text("a\nb\nc\n", &log), -1);
	assert_int_equal(log.n, 2);
	/* the callback's message is kept, not replaced */
	assert_string_equal(error_last_msg(), "callback refuses record 2");
}

static void
test_reader_callback_error_on_unterminated_last_line(void **state)
{
	struct rec_log log = { 0 };

	(void)state;
	log.fail_at = 2;
	assert_int_equal(read_text("a\nb", &log), -1);
	assert_int_equal(log.n, 2);
	assert_false(log.term[1]);
	assert_string_equal(error_last_msg(), "callback refuses record 2");
}

static void
test_reader_semicolon_delimiter(void **state)
{
	static const char text[] = "a;b,c;\"d;e\"\n1;2\n";
	struct rec_log log = { 0 };

	(void)state;
	assert_int_equal(read_bytes(text, strlen(text), ';', &log), 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.nfields[0], 3);
	assert_string_equal(log.text[0], "a|b,c|d;e");
	assert_string_equal(log.text[1], "1|2");
}

static void
test_reader_open_missing_file_fails(void **state)
{
	(void)state;
	error_clear();
	assert_null(csv_reader_open("/nonexistent/capplan/x.csv"));
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(),
	    "cannot open '/nonexistent/capplan/x.csv'"));
	assert_non_null(strstr(error_last_msg(), strerror(ENOENT)));
}

/* Buffer boundaries: the byte at BUF_BYTES - 1 ends the first read. */
static void
test_reader_crlf_split_at_buffer_boundary(void **state)
{
	struct rec_log log = { 0 };
	size_t len;
	char *buf = padded("", BUF_BYTES - 4, "x,y\r\nz\r\n", &len);

	(void)state;
	assert_true(buf[BUF_BYTES - 1] == '\r' && buf[BUF_BYTES] == '\n');
	assert_int_equal(read_bytes(buf, len, ',', &log), 0);
	free(buf);
	assert_int_equal(log.n, 3);
	assert_string_equal(log.text[0], "p|<262137 bytes>");
	assert_string_equal(log.text[1], "x|y");
	assert_int_equal(log.line[1], 2);
	assert_string_equal(log.text[2], "z");
	assert_int_equal(log.line[2], 3);
}

static void
test_reader_quoted_newline_at_buffer_boundary(void **state)
{
	struct rec_log log = { 0 };
	size_t len;
	char *buf = padded("", BUF_BYTES - 5, "1,\"a\nb\",2\n3\n", &len);

	(void)state;
	assert_true(buf[BUF_BYTES - 1] == '\n' && buf[BUF_BYTES] == 'b');
	assert_int_equal(read_bytes(buf, len, ',', &log), 0);
	free(buf);
	assert_int_equal(log.n, 3);
	assert_string_equal(log.text[1], "1|a\nb|2");
	assert_int_equal(log.line[1], 2);
	assert_string_equal(log.text[2], "3");
	assert_int_equal(log.line[2], 4);
}

static void
test_reader_field_split_at_buffer_boundary(void **state)
{
	struct rec_log log = { 0 };
	size_t len;
	char *buf = padded("", BUF_BYTES - 5, "\"quo\"\"ted\",x\n\nabc\n", &len);

	(void)state;
	assert_true(buf[BUF_BYTES - 1] == '"' && buf[BUF_BYTES] == '"');
	assert_int_equal(read_bytes(buf, len, ',', &log), 0);
	free(buf);
	assert_int_equal(log.n, 3);
	assert_string_equal(log.text[1], "quo\"ted|x");
	assert_int_equal(log.line[2], 4);
}

#define BIG_ROWS 12000

struct big_check {
	size_t *want_line;
	size_t seen;
};

/* the second and fourth fields of record i */
static void
big_fields(size_t i, char f1[32], char f3[64])
{
	snprintf(f1, 32, "%zu", i * 7919 % 100003);
	if (i % 13 == 0)
		snprintf(f3, 64, "q,\"%zu\"\nline two", i);
	else
		snprintf(f3, 64, "plain%zu", i);
}

static int
big_record(const struct csv_record *rec, void *ctx)
{
	struct big_check *c = ctx;
	size_t i = rec->index - 1;
	char f0[32], f1[32], f3[64];

	assert_true(i < BIG_ROWS);
	snprintf(f0, sizeof(f0), "r%zu", i);
	big_fields(i, f1, f3);
	if (rec->nfields != 4 || strcmp(rec->fields[0], f0) != 0 ||
	    strcmp(rec->fields[1], f1) != 0 ||
	    strlen(rec->fields[2]) != i * 37 % 301 ||
	    strcmp(rec->fields[3], f3) != 0)
		fail_msg("record %zu (line %zu) is wrong: '%s'", i + 1,
		    rec->line, rec->fields[0]);
	if (rec->line != c->want_line[i])
		fail_msg("record %zu: line %zu, expected %zu", i + 1,
		    rec->line, c->want_line[i]);
	c->seen++;
	return 0;
}

/* Append record i to buf at *len, counting lines; returns its length. */
static size_t
big_append(char *buf, size_t *len, size_t i, size_t *line)
{
	char f1[32], f3[64], pad[301];
	size_t start = *len, k, n = i * 37 % 301;

	big_fields(i, f1, f3);
	memset(pad, 'x', n);
	pad[n] = '\0';
	*len += (size_t)sprintf(buf + *len, "r%zu,%s,%s,", i, f1, pad);
	if (i % 13 == 0) {
		buf[(*len)++] = '"';
		for (k = 0; f3[k] != '\0'; k++) {
			if (f3[k] == '"')
				buf[(*len)++] = '"';
			buf[(*len)++] = f3[k];
		}
		buf[(*len)++] = '"';
		(*line)++;			/* the embedded newline */
	} else
		*len += (size_t)sprintf(buf + *len, "%s", f3);
	*len += (size_t)sprintf(buf + *len, i % 2 == 0 ? "\n" : "\r\n");
	(*line)++;
	if (i % 101 == 0) {
		buf[(*len)++] = '\n';		/* an empty line */
		(*line)++;
	}
	return *len - start;
}

static void
test_reader_large_file_across_buffers(void **state)
{
	struct big_check c = { 0 };
	struct csv_reader *r;
	size_t i, len = 0, line = 1, start, straddle = 0;
	char *buf = malloc((size_t)BIG_ROWS * 400);

	(void)state;
	assert_non_null(buf);
	c.want_line = calloc(BIG_ROWS, sizeof(size_t));
	assert_non_null(c.want_line);
	for (i = 0; i < BIG_ROWS; i++) {
		c.want_line[i] = line;
		start = len;
		big_append(buf, &len, i, &line);
		straddle += start / BUF_BYTES != (len - 1) / BUF_BYTES;
	}
	assert_true(len > 4 * BUF_BYTES);
	assert_true(straddle >= 4);	/* records cut by a read boundary */
	write_bytes("big", buf, len);
	free(buf);
	r = csv_reader_open(tmp_path);
	assert_non_null(r);
	assert_int_equal(csv_reader_run(r, big_record, &c), 0);
	assert_int_equal(c.seen, BIG_ROWS);
	assert_int_equal(csv_reader_bytes(r), len);
	csv_reader_free(r);
	free(c.want_line);
	unlink(tmp_path);
}

static void
test_needs_quotes_only_when_needed(void **state)
{
	(void)state;
	assert_false(csv_needs_quotes(""));
	assert_false(csv_needs_quotes("12.5"));
	assert_false(csv_needs_quotes("-3"));
	assert_false(csv_needs_quotes("web01"));
	assert_false(csv_needs_quotes("mid dle"));
	assert_false(csv_needs_quotes("semi;colon"));
	assert_true(csv_needs_quotes("a,b"));
	assert_true(csv_needs_quotes("say \"hi\""));
	assert_true(csv_needs_quotes("cr\rhere"));
	assert_true(csv_needs_quotes("lf\nhere"));
	assert_true(csv_needs_quotes(" lead"));
	assert_true(csv_needs_quotes("trail "));
	assert_true(csv_needs_quotes("\ttab"));
	assert_true(csv_needs_quotes("tab\t"));
}

static void
test_writer_quotes_only_when_needed(void **state)
{
	struct csv_line l;

	(void)state;
	csv_line_init(&l);
	csv_line_str(&l, "42");
	csv_line_str(&l, "a,b");
	csv_line_str(&l, "");
	csv_line_str(&l, "say \"hi\"");
	csv_line_str(&l, " x");
	csv_line_str(&l, "two words");
	csv_line_int(&l, -7);
	csv_line_empty(&l);
	csv_line_end(&l);
	assert_string_equal(l.sb.buf,
	    "42,\"a,b\",,\"say \"\"hi\"\"\",\" x\",two words,-7,\n");
	csv_line_reset(&l);
	assert_int_equal(l.sb.len, 0);
	csv_line_str(&l, "first");
	csv_line_end(&l);
	assert_string_equal(l.sb.buf, "first\n");
	csv_line_release(&l);
}

static void
test_line_end_starts_a_new_record(void **state)
{
	struct csv_line l;

	(void)state;
	csv_line_init(&l);
	csv_line_str(&l, "a");
	csv_line_int(&l, 1);
	csv_line_end(&l);
	csv_line_num(&l, 2.5, 1);
	csv_line_str(&l, "b");
	csv_line_end(&l);
	csv_line_empty(&l);
	csv_line_end(&l);
	/* no record after the first may begin with a separator */
	assert_string_equal(l.sb.buf, "a,1\n2.5,b\n\n");
	csv_line_release(&l);
}

static void
test_writer_round_trips_through_reader(void **state)
{
	static const char *fields[] = { "plain", "12.5", "", "a,b",
	    "say \"hi\"", "\"", "\"\"", "line1\nline2", "cr\rhere",
	    "crlf\r\nhere", " lead", "trail ", "\ttab", "mid dle",
	    "semi;colon", "\xc3\xbcnic\xc3\xb6" "de", "," };
	size_t nf = sizeof(fields) / sizeof(fields[0]), i;
	struct rec_log log = { 0 };
	struct csv_reader *r;
	struct csv_line l;
	char want[256] = "";
	FILE *fp;

	(void)state;
	csv_line_init(&l);
	for (i = 0; i < nf; i++) {
		csv_line_str(&l, fields[i]);
		strcat(want, i > 0 ? "|" : "");
		strcat(want, fields[i]);
	}
	csv_line_end(&l);
	csv_line_str(&l, "next");
	csv_line_end(&l);
	write_bytes("in", "", 0);
	fp = fopen(tmp_path, "w");
	assert_non_null(fp);
	assert_int_equal(csv_line_flush(&l, fp, tmp_path), 0);
	assert_int_equal(l.sb.len, 0);
	fclose(fp);
	csv_line_release(&l);
	r = csv_reader_open(tmp_path);
	assert_non_null(r);
	assert_int_equal(csv_reader_run(r, log_record, &log), 0);
	csv_reader_free(r);
	unlink(tmp_path);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.nfields[0], nf);
	assert_string_equal(log.text[0], want);
	/* the record held 3 newlines in quotes */
	assert_int_equal(log.line[1], 4);
	assert_string_equal(log.text[1], "next");
}

/*
 * The one text rule: a cell a spreadsheet would run as a formula gets a
 * ' first, so does one starting with ', and csv_text_value() gives the
 * text back from what the reader returns.
 */
static void
test_text_cells_marked_and_read_back(void **state)
{
	static const struct { const char *text, *cell; } cases[] = {
		{ "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+1", "'+1" }, { "-rf", "'-rf" }, { "@SUM(A1)", "'@SUM(A1)" },
		{ "\tlead", "'\tlead" }, { "\rcr", "\"'\rcr\"" },
		{ "'q", "''q" }, { "plain", "plain" }, { "", "" },
		{ "a=b", "a=b" }, { "' ", "\"'' \"" },
	};
	size_t nc = sizeof(cases) / sizeof(cases[0]), i;
	struct rec_log log = { 0 };
	struct csv_line l;

	(void)state;
	for (i = 0; i < nc; i++) {
		csv_line_init(&l);
		csv_line_text(&l, cases[i].text);
		if (strcmp(l.sb.buf != NULL ? l.sb.buf : "", cases[i].cell) != 0)
			fail_msg("'%s' written as [%s], not [%s]",
			    cases[i].text, l.sb.buf, cases[i].cell);
		csv_line_end(&l);
		memset(&log, 0, sizeof(log));
		assert_int_equal(read_text(l.sb.buf, &log), 0);
		if (cases[i].text[0] != '\0') {
			assert_int_equal(log.n, 1);
			assert_string_equal(csv_text_value(log.text[0]),
			    cases[i].text);
		}
		csv_line_release(&l);
	}
	/* a hand-written cell without the mark is read as it is */
	assert_string_equal(csv_text_value("=1+1"), "=1+1");
	assert_string_equal(csv_text_value(""), "");
}

static void
test_line_num_nonfinite_is_empty(void **state)
{
	struct csv_line l;

	(void)state;
	csv_line_init(&l);
	csv_line_int(&l, 1);
	csv_line_num(&l, NAN, 2);
	csv_line_int(&l, 2);
	csv_line_num(&l, NAN, 0);
	csv_line_num(&l, INFINITY, 1);
	csv_line_num(&l, -INFINITY, 1);
	csv_line_end(&l);
	assert_string_equal(l.sb.buf, "1,,2,,,\n");
	csv_line_release(&l);
}

static void
test_line_num_negative_zero_loses_sign(void **state)
{
	struct csv_line l;

	(void)state;
	csv_line_init(&l);
	csv_line_num(&l, -0.001, 2);
	csv_line_num(&l, -0.0, 0);
	csv_line_num(&l, -0.4, 0);
	csv_line_num(&l, -0.004, 2);
	csv_line_end(&l);
	assert_string_equal(l.sb.buf, "0.00,0,0,0.00\n");
	csv_line_release(&l);
}

static void
test_line_num_keeps_real_negatives(void **state)
{
	struct csv_line l;

	(void)state;
	csv_line_init(&l);
	csv_line_num(&l, -1.5, 1);
	csv_line_num(&l, -10.0, 2);
	csv_line_num(&l, -0.006, 2);
	csv_line_num(&l, 3.14159, 2);
	csv_line_num(&l, 1e6, 0);
	csv_line_num(&l, -100, 0);
	csv_line_end(&l);
	assert_string_equal(l.sb.buf, "-1.5,-10.00,-0.01,3.14,1000000,-100\n");
	csv_line_release(&l);
}

static void
test_line_flush_failure_is_io_error(void **state)
{
	struct csv_line l;
	FILE *fp = fopen("/dev/full", "w");

	(void)state;
	if (fp == NULL)
		skip();
	setvbuf(fp, NULL, _IONBF, 0);
	csv_line_init(&l);
	csv_line_str(&l, "x");
	csv_line_end(&l);
	error_clear();
	assert_int_equal(csv_line_flush(&l, fp, "out.csv"), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "cannot write 'out.csv'"));
	assert_int_equal(l.sb.len, 0);
	csv_line_release(&l);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_counts_lf_lines),
		cmocka_unit_test(test_reader_counts_crlf_lines),
		cmocka_unit_test(test_reader_skips_empty_lines),
		cmocka_unit_test(test_reader_quoted_fields_keep_commas_and_quotes),
		cmocka_unit_test(test_reader_quoted_newline_keeps_start_line),
		cmocka_unit_test(test_reader_quoted_newline_in_first_field),
		cmocka_unit_test(test_reader_quoted_crlf_is_kept_and_counted),
		cmocka_unit_test(test_reader_trims_blanks_around_unquoted_fields),
		cmocka_unit_test(test_reader_last_line_without_newline_is_unterminated),
		cmocka_unit_test(test_reader_unterminated_quote_at_eof_is_error),
		cmocka_unit_test(test_reader_stray_quote_is_error),
		cmocka_unit_test(test_reader_text_after_closing_quote_is_error),
		cmocka_unit_test(test_reader_nul_byte_is_error),
		cmocka_unit_test(test_reader_skips_utf8_bom),
		cmocka_unit_test(test_reader_refuses_field_over_1mib),
		cmocka_unit_test(test_reader_refuses_many_fields_over_1mib),
		cmocka_unit_test(test_reader_accepts_record_just_under_1mib),
		cmocka_unit_test(test_reader_stop_ends_cleanly),
		cmocka_unit_test(test_reader_callback_error_propagates),
		cmocka_unit_test(test_reader_callback_error_on_unterminated_last_line),
		cmocka_unit_test(test_reader_semicolon_delimiter),
		cmocka_unit_test(test_reader_open_missing_file_fails),
		cmocka_unit_test(test_reader_crlf_split_at_buffer_boundary),
		cmocka_unit_test(test_reader_quoted_newline_at_buffer_boundary),
		cmocka_unit_test(test_reader_field_split_at_buffer_boundary),
		cmocka_unit_test(test_reader_large_file_across_buffers),
		cmocka_unit_test(test_needs_quotes_only_when_needed),
		cmocka_unit_test(test_writer_quotes_only_when_needed),
		cmocka_unit_test(test_line_end_starts_a_new_record),
		cmocka_unit_test(test_writer_round_trips_through_reader),
		cmocka_unit_test(test_text_cells_marked_and_read_back),
		cmocka_unit_test(test_line_num_nonfinite_is_empty),
		cmocka_unit_test(test_line_num_negative_zero_loses_sign),
		cmocka_unit_test(test_line_num_keeps_real_negatives),
		cmocka_unit_test(test_line_flush_failure_is_io_error),
	};

	return cmocka_run_group_tests_name("csvio", tests, NULL, NULL);
}
