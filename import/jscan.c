/*
 * jscan.c - a structural JSON walker that loads chosen values with
 * jansson.
 *
 * Characters are read one at a time from a stdio stream (buffered by
 * stdio), with a one-character push-back and the byte offset, line and
 * column of each kept here, so positions survive seeking.  A value the
 * caller wants is copied as raw text (its extent found by counting
 * brackets outside strings) into one reused buffer and parsed there by
 * json_loadb(), whose error position is shifted to the file's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "import/jscan.h"

#define DEPTH_MAX 128

struct jscan {
	FILE *fp;
	char *name;
	struct jscan_pos pos;	/* of the next character */
	int back;		/* pushed-back character, or EOF */
	struct jscan_pos back_pos;
	char stack[DEPTH_MAX];	/* '{' or '[' per open level */
	bool first[DEPTH_MAX];	/* no element read yet at that level */
	int depth;
	struct strbuf buf;	/* raw text of a value, or a key */
	char *key;
};

struct jscan *
jscan_open(const char *path, const char *name)
{
	struct jscan *js;
	FILE *fp = fopen(path, "r");

	if (fp == NULL) {
		error_set_errno(ERROR_IO, "cannot open '%s'", name);
		return NULL;
	}
	js = xcalloc(1, sizeof(*js));
	js->fp = fp;
	js->name = xstrdup(name);
	js->pos.line = js->pos.col = 1;
	js->back = EOF;
	strbuf_init(&js->buf);
	return js;
}

void
jscan_free(struct jscan *js)
{
	if (js == NULL)
		return;
	fclose(js->fp);
	free(js->name);
	free(js->key);
	strbuf_release(&js->buf);
	free(js);
}

const char *
jscan_name(const struct jscan *js)
{
	return js->name;
}

int
jscan_error(const struct jscan *js, const struct jscan_pos *pos,
    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_at(ERROR_DATA, js->name, pos->line, pos->col, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int
next_char(struct jscan *js)
{
	int c;

	if (js->back != EOF) {
		c = js->back;
		js->back = EOF;
	} else if ((c = getc_unlocked(js->fp)) == EOF)
		return EOF;
	js->back_pos = js->pos;
	js->pos.off++;
	if (c == '\n') {
		js->pos.line++;
		js->pos.col = 1;
	} else
		js->pos.col++;
	return c;
}

static void
push_back(struct jscan *js, int c)
{
	if (c == EOF)
		return;
	js->back = c;
	js->pos = js->back_pos;
}

int
jscan_peek(struct jscan *js)
{
	int c;

	do
		c = next_char(js);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	push_back(js, c);
	return c;
}

void
jscan_tell(struct jscan *js, struct jscan_pos *pos)
{
	(void)jscan_peek(js);
	*pos = js->pos;
}

int
jscan_seek(struct jscan *js, const struct jscan_pos *pos)
{
	if (fseeko(js->fp, pos->off, SEEK_SET) != 0)
		return error_set_errno(ERROR_IO, "cannot seek in '%s'",
		    js->name);
	js->pos = *pos;
	js->back = EOF;
	js->depth = 0;
	return 0;
}

static const char *
shown(int c)
{
	static char b[16];

	if (c == EOF)
		return "the end of the file";
	if (c >= 0x20 && c < 0x7f)
		snprintf(b, sizeof(b), "'%c'", c);
	else
		snprintf(b, sizeof(b), "byte 0x%02x", (unsigned)c & 0xff);
	return b;
}

/* Consume open ('{' or '[') and push a level. */
static int
open_level(struct jscan *js, int open, const char *what)
{
	struct jscan_pos at;
	int c = jscan_peek(js);

	at = js->pos;
	if (c != open)
		return jscan_error(js, &at, "expected %s (a JSON %s), found %s",
		    what, open == '{' ? "object" : "array", shown(c));
	if (js->depth == DEPTH_MAX)
		return jscan_error(js, &at, "nested more than %d deep",
		    DEPTH_MAX);
	next_char(js);
	js->stack[js->depth] = (char)open;
	js->first[js->depth++] = true;
	return 0;
}

int
jscan_object(struct jscan *js, const char *what)
{
	return open_level(js, '{', what);
}

int
jscan_array(struct jscan *js, const char *what)
{
	return open_level(js, '[', what);
}

/*
 * Before the next member at the current level: 1 if there is one (its
 * ',' consumed), 0 if the level closes (close consumed, level popped).
 */
static int
member(struct jscan *js, int close)
{
	struct jscan_pos at;
	int c, i = js->depth - 1;

	if (i < 0 || js->stack[i] != (close == '}' ? '{' : '['))
		return error_set(ERROR_DATA, "%s: JSON walked out of order",
		    js->name);
	c = jscan_peek(js);
	at = js->pos;
	if (c == close) {
		next_char(js);
		js->depth--;
		return 0;
	}
	if (!js->first[i]) {
		if (c != ',')
			return jscan_error(js, &at, "expected ',' or '%c', "
			    "found %s", close, shown(c));
		next_char(js);
	}
	js->first[i] = false;
	return 1;
}

/* Copy the rest of a string (after its opening quote) into buf. */
static int
raw_string(struct jscan *js, const struct jscan_pos *start)
{
	int c;

	for (;;) {
		c = next_char(js);
		if (c == EOF)
			return jscan_error(js, start, "string not closed "
			    "before the end of the file");
		strbuf_addch(&js->buf, c);
		if (c == '"')
			return 0;
		if (c == '\\') {
			if ((c = next_char(js)) == EOF)
				continue;
			strbuf_addch(&js->buf, c);
		}
	}
}

static bool
delimiter(int c)
{
	return c == EOF || c == ',' || c == '}' || c == ']' || c == ':' ||
	    c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy the raw text of the next value into js->buf; *start is where. */
static int
raw_value(struct jscan *js, struct jscan_pos *start)
{
	struct jscan_pos quote;
	int c, depth = 0;

	strbuf_reset(&js->buf);
	jscan_tell(js, start);
	for (;;) {
		c = next_char(js);
		if (depth == 0 && delimiter(c)) {
			if (js->buf.len == 0)
				return jscan_error(js, start, "expected a "
				    "value, found %s", shown(c));
			push_back(js, c);	/* the end of a scalar */
			return 0;
		}
		if (c == EOF)
			return jscan_error(js, start, "value not closed "
			    "before the end of the file");
		strbuf_addch(&js->buf, c);
		if (c == '"') {
			quote = js->back_pos;	/* where c was */
			if (raw_string(js, &quote) == -1)
				return -1;
			if (depth == 0)
				return 0;
		} else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return 0;
	}
}

static int
parse_raw(struct jscan *js, const struct jscan_pos *start, json_t **v)
{
	struct jscan_pos at = *start;
	json_error_t err;

	*v = json_loadb(js->buf.buf, js->buf.len, JSON_DECODE_ANY, &err);
	if (*v != NULL)
		return 0;
	at.line = start->line + (size_t)(err.line > 0 ? err.line - 1 : 0);
	at.col = err.line <= 1 ? start->col + (size_t)(err.column > 0 ?
	    err.column - 1 : 0) : (size_t)err.column;
	return jscan_error(js, &at, "%s", err.text);
}

int
jscan_value(struct jscan *js, json_t **v)
{
	struct jscan_pos start;

	*v = NULL;
	if (raw_value(js, &start) == -1)
		return -1;
	return parse_raw(js, &start, v);
}

int
jscan_skip(struct jscan *js)
{
	struct jscan_pos start;

	/* the text is kept, not parsed: a skipped value is never huge in
	 * the formats read here, and jansson checks what is loaded */
	return raw_value(js, &start);
}

int
jscan_key(struct jscan *js, const char **key)
{
	struct jscan_pos start;
	json_t *k;
	int rc = member(js, '}'), c;

	if (rc != 1)
		return rc;
	jscan_tell(js, &start);
	if (jscan_peek(js) != '"')
		return jscan_error(js, &start, "expected a key (a string), "
		    "found %s", shown(jscan_peek(js)));
	if (jscan_value(js, &k) == -1)
		return -1;
	free(js->key);
	js->key = xstrdup(json_string_value(k));
	json_decref(k);
	c = jscan_peek(js);
	if (c != ':') {
		jscan_tell(js, &start);
		return jscan_error(js, &start, "expected ':' after the key "
		    "'%s', found %s", js->key, shown(c));
	}
	next_char(js);
	*key = js->key;
	return 1;
}

int
jscan_more(struct jscan *js)
{
	return member(js, ']');
}

int
jscan_end(struct jscan *js)
{
	struct jscan_pos at;
	int c = jscan_peek(js);

	at = js->pos;
	if (c != EOF)
		return jscan_error(js, &at, "expected the end of the JSON "
		    "text, found %s", shown(c));
	return 0;
}
