/*
 * promresp.c - a one-pass reader of Prometheus API responses in memory.
 *
 * Prometheus writes "metric" before "values" and "resultType" before
 * "result", but JSON objects have no order, so a "values" met before its
 * "metric" is skipped and walked again once the series' labels are known
 * (the text is in memory, going back costs nothing).  Numbers in strings
 * ("12.5", "NaN", "+Inf") are read with strtod() on the text itself, its
 * closing quote replaced by '\0' for the call: no copy per point.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "import/promresp.h"

#define DEPTH_MAX 64

struct pr {
	char *buf, *p, *end;
	const char *name;
	enum promresp_kind kind;
	const struct promresp_ops *ops;
	struct strbuf str;	/* decoded label names and values */
	struct strbuf key;	/* the member being read */
	size_t off_name[PROMRESP_LABELS_MAX], off_value[PROMRESP_LABELS_MAX];
	struct promresp_labels lab;
	char *status, *etype, *emsg;
	bool found;		/* "data" of the expected kind was read */
};

const char *
promresp_label(const struct promresp_labels *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0)
			return l->value[i];
	return NULL;
}

static int
pr_error(const struct pr *r, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
pr_error(const struct pr *r, const char *at, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	size_t line = 1, col = 1;
	const char *c;
	va_list ap;

	for (c = r->buf; c < at && c < r->end; c++) {
		if (*c == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_at(ERROR_DATA, r->name, line, col, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static const char *
shown(const struct pr *r)
{
	static char b[24];

	if (r->p >= r->end)
		return "the end of the response";
	if (*r->p >= 0x20 && *r->p < 0x7f)
		snprintf(b, sizeof(b), "'%c'", *r->p);
	else
		snprintf(b, sizeof(b), "byte 0x%02x", (unsigned)*r->p & 0xff);
	return b;
}

static void
ws(struct pr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Consume c after blanks; what names it in the error. */
static int
expect(struct pr *r, char c, const char *what)
{
	ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return 0;
	}
	return pr_error(r, r->p, "expected %s, found %s", what, shown(r));
}

/* The next member separator of an object or array: 1 for another
 * element, 0 at close (consumed). *first is cleared. */
static int
next_member(struct pr *r, char close, bool *first)
{
	ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	if (!*first && expect(r, ',', close == '}' ? "',' or '}'" :
	    "',' or ']'") == -1)
		return -1;
	*first = false;
	return 1;
}

static int
hex4(struct pr *r, unsigned *u)
{
	int i;

	*u = 0;
	for (i = 0; i < 4; i++, r->p++) {
		if (r->p >= r->end || strchr("0123456789abcdefABCDEF", *r->p)
		    == NULL || *r->p == '\0')
			return pr_error(r, r->p, "bad \\u escape in a string");
		*u = *u * 16 + (unsigned)(*r->p <= '9' ? *r->p - '0' :
		    (*r->p | 0x20) - 'a' + 10);
	}
	return 0;
}

static void
add_utf8(struct strbuf *sb, unsigned u)
{
	if (u < 0x80)
		strbuf_addch(sb, (int)u);
	else if (u < 0x800) {
		strbuf_addch(sb, (int)(0xc0 | u >> 6));
		strbuf_addch(sb, (int)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		strbuf_addch(sb, (int)(0xe0 | u >> 12));
		strbuf_addch(sb, (int)(0x80 | (u >> 6 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (u & 0x3f)));
	} else {
		strbuf_addch(sb, (int)(0xf0 | u >> 18));
		strbuf_addch(sb, (int)(0x80 | (u >> 12 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (u >> 6 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (u & 0x3f)));
	}
}

/* A \u escape (after the "\u"), with a surrogate pair's second half. */
static int
unicode_escape(struct pr *r, struct strbuf *out)
{
	unsigned u, lo;

	if (hex4(r, &u) == -1)
		return -1;
	if (u >= 0xd800 && u < 0xdc00) {
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return pr_error(r, r->p, "a lone UTF-16 surrogate in "
			    "a string");
		r->p += 2;
		if (hex4(r, &lo) == -1)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return pr_error(r, r->p, "a lone UTF-16 surrogate in "
			    "a string");
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	} else if (u >= 0xdc00 && u <= 0xdfff)
		return pr_error(r, r->p, "a lone UTF-16 surrogate in a string");
	if (out != NULL)
		add_utf8(out, u);
	return 0;
}

/* A string at r->p (after blanks), decoded into out when not NULL. */
static int
string(struct pr *r, struct strbuf *out)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *e;
	char c;

	if (expect(r, '"', "a string") == -1)
		return -1;
	for (;;) {
		if (r->p >= r->end)
			return pr_error(r, r->p, "string not closed before "
			    "the end of the response");
		c = *r->p++;
		if (c == '"')
			return 0;
		if ((unsigned char)c < 0x20)
			return pr_error(r, r->p - 1, "a control character in "
			    "a string");
		if (c != '\\') {
			if (out != NULL)
				strbuf_addch(out, c);
			continue;
		}
		if (r->p < r->end && *r->p == 'u') {
			r->p++;
			if (unicode_escape(r, out) == -1)
				return -1;
			continue;
		}
		for (e = esc; *e != '\0' && (r->p >= r->end || *e != *r->p);
		    e += 2)
			;
		if (*e == '\0')
			return pr_error(r, r->p - 1, "bad escape in a string");
		if (out != NULL)
			strbuf_addch(out, e[1]);
		r->p++;
	}
}

/* A JSON number into *v. */
static int
number(struct pr *r, double *v)
{
	char *start, *stop;

	ws(r);
	start = r->p;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return pr_error(r, start, "expected a number, found %s",
		    shown(r));
	while (r->p < r->end && strchr("0123456789.eE+-", *r->p) != NULL &&
	    *r->p != '\0')
		r->p++;
	errno = 0;
	*v = strtod(start, &stop);
	if (stop != r->p || errno == ERANGE)
		return pr_error(r, start, "'%.*s' is not a number",
		    (int)(r->p - start > 40 ? 40 : r->p - start), start);
	return 0;
}

static int skip_value(struct pr *r, int depth);

static int
skip_members(struct pr *r, char close, int depth)
{
	bool first = true;
	int more;

	while ((more = next_member(r, close, &first)) == 1) {
		if (close == '}' && (string(r, NULL) == -1 ||
		    expect(r, ':', "':'") == -1))
			return -1;
		if (skip_value(r, depth + 1) == -1)
			return -1;
	}
	return more;
}

static int
skip_value(struct pr *r, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	double v;
	size_t i;

	ws(r);
	if (depth > DEPTH_MAX)
		return pr_error(r, r->p, "nested more than %d deep", DEPTH_MAX);
	if (r->p >= r->end)
		return pr_error(r, r->p, "expected a value, found %s",
		    shown(r));
	if (*r->p == '"')
		return string(r, NULL);
	if (*r->p == '{' || *r->p == '[') {
		r->p++;
		return skip_members(r, r->p[-1] == '{' ? '}' : ']', depth);
	}
	for (i = 0; i < 3; i++)
		if ((size_t)(r->end - r->p) >= strlen(words[i]) &&
		    strncmp(r->p, words[i], strlen(words[i])) == 0) {
			r->p += strlen(words[i]);
			return 0;
		}
	return number(r, &v);
}

/* A string member's value, copied into *out. */
static int
keep_string(struct pr *r, char **out)
{
	struct strbuf sb;

	ws(r);
	strbuf_init(&sb);
	if (r->p < r->end && *r->p != '"') {
		strbuf_release(&sb);
		free(*out);
		*out = xstrdup("?");
		return skip_value(r, 1);
	}
	if (string(r, &sb) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	free(*out);
	*out = strbuf_detach(&sb);
	return 0;
}

/* The value string of a point ("12.5", "NaN", "+Inf") into *v. */
static int
point_value(struct pr *r, double *v)
{
	char *start, *q, *stop, save;
	bool bad;

	if (expect(r, '"', "a value in a string") == -1)
		return -1;
	start = r->p;
	q = memchr(start, '"', (size_t)(r->end - start));
	if (q == NULL)
		return pr_error(r, start - 1, "string not closed before the "
		    "end of the response");
	save = *q;
	*q = '\0';
	errno = 0;
	*v = strtod(start, &stop);
	bad = stop != q || q == start || strcspn(start, "xX\\") <
	    (size_t)(q - start) || (isnan(*v) && strcmp(start, "NaN") != 0);
	*q = save;
	if (bad)
		return pr_error(r, start, "'%.*s' is not a number",
		    (int)(q - start > 40 ? 40 : q - start), start);
	r->p = q + 1;
	return 0;
}

/* One [time, "value"] pair, to the point callback. */
static int
point(struct pr *r)
{
	double t = 0, v = 0;

	if (expect(r, '[', "a [time, \"value\"] pair") == -1 ||
	    number(r, &t) == -1 || expect(r, ',', "','") == -1 ||
	    point_value(r, &v) == -1 || expect(r, ']', "']'") == -1)
		return -1;
	return r->ops->point != NULL ? r->ops->point(r->ops->arg, t, v) : 0;
}

static int
points(struct pr *r)
{
	bool first = true;
	int more;

	if (expect(r, '[', "an array of points") == -1)
		return -1;
	while ((more = next_member(r, ']', &first)) == 1)
		if (point(r) == -1)
			return -1;
	return more;
}

/* The "metric" object into r->lab. */
static int
labels(struct pr *r)
{
	bool first = true;
	size_t i;
	int more;

	strbuf_reset(&r->str);
	r->lab.n = 0;
	if (expect(r, '{', "an object of labels") == -1)
		return -1;
	while ((more = next_member(r, '}', &first)) == 1) {
		if (r->lab.n == PROMRESP_LABELS_MAX)
			return pr_error(r, r->p, "more than %d labels",
			    PROMRESP_LABELS_MAX);
		r->off_name[r->lab.n] = r->str.len;
		if (string(r, &r->str) == -1 || expect(r, ':', "':'") == -1)
			return -1;
		strbuf_addch(&r->str, '\0');
		r->off_value[r->lab.n] = r->str.len;
		ws(r);
		if (r->p < r->end && *r->p != '"')
			return pr_error(r, r->p, "a label value that is not a "
			    "string");
		if (string(r, &r->str) == -1)
			return -1;
		strbuf_addch(&r->str, '\0');
		r->lab.n++;
	}
	for (i = 0; i < r->lab.n; i++) {
		r->lab.name[i] = r->str.buf + r->off_name[i];
		r->lab.value[i] = r->str.buf + r->off_value[i];
	}
	return more;
}

/* The points of a series: a "values" array, or one "value" pair. */
static int
series_points(struct pr *r)
{
	return r->kind == PROMRESP_MATRIX ? points(r) : point(r);
}

/* The series' points after its labels; later: where they are when
 * they came first (NULL when walked already). */
static int
series_end(struct pr *r, char *later, bool done)
{
	char *back = r->p;

	if (!done && later == NULL)
		return pr_error(r, r->p - 1, "a series without \"%s\"",
		    r->kind == PROMRESP_MATRIX ? "values" : "value");
	if (done)
		return 0;
	if (r->ops->series != NULL && r->ops->series(r->ops->arg, &r->lab) ==
	    -1)
		return -1;
	r->p = later;
	if (series_points(r) == -1)
		return -1;
	r->p = back;
	return 0;
}

/* One element of "result": a series and its points. */
static int
series(struct pr *r)
{
	const char *want = r->kind == PROMRESP_MATRIX ? "values" : "value";
	char *later = NULL;
	bool first = true, have_labels = false, done = false;
	int more;

	if (expect(r, '{', "a series (an object)") == -1)
		return -1;
	r->lab.n = 0;
	while ((more = next_member(r, '}', &first)) == 1) {
		strbuf_reset(&r->key);
		if (string(r, &r->key) == -1 || expect(r, ':', "':'") == -1)
			return -1;
		if (strcmp(r->key.buf, "metric") == 0) {
			if (have_labels)
				return pr_error(r, r->p, "\"metric\" twice");
			if (labels(r) == -1)
				return -1;
			have_labels = true;
		} else if (strcmp(r->key.buf, want) == 0) {
			if (done || later != NULL)
				return pr_error(r, r->p, "\"%s\" twice", want);
			ws(r);
			if (!have_labels) {
				later = r->p;
				if (skip_value(r, 1) == -1)
					return -1;
				continue;
			}
			if (r->ops->series != NULL &&
			    r->ops->series(r->ops->arg, &r->lab) == -1)
				return -1;
			if (series_points(r) == -1)
				return -1;
			done = true;
		} else if (skip_value(r, 1) == -1)
			return -1;
	}
	if (more == -1)
		return -1;
	return series_end(r, later, done);
}

static int
result(struct pr *r)
{
	bool first = true;
	int more;

	if (expect(r, '[', "\"result\": an array") == -1)
		return -1;
	while ((more = next_member(r, ']', &first)) == 1)
		if (series(r) == -1)
			return -1;
	if (more == 0)
		r->found = true;
	return more;
}

static int
strings(struct pr *r)
{
	struct strbuf sb;
	bool first = true;
	int more;

	if (expect(r, '[', "an array of strings") == -1)
		return -1;
	strbuf_init(&sb);
	while ((more = next_member(r, ']', &first)) == 1) {
		strbuf_reset(&sb);
		if (string(r, &sb) == -1 || (r->ops->string != NULL &&
		    r->ops->string(r->ops->arg, sb.buf) == -1)) {
			more = -1;
			break;
		}
	}
	strbuf_release(&sb);
	if (more == 0)
		r->found = true;
	return more;
}

/* The members of "data" for a matrix or vector. */
static int
data(struct pr *r)
{
	const char *kind = r->kind == PROMRESP_MATRIX ? "matrix" : "vector";
	char *type = NULL, *at;
	bool first = true;
	int more;

	if (r->kind == PROMRESP_STRINGS)
		return strings(r);
	if (expect(r, '{', "\"data\": an object") == -1)
		return -1;
	while ((more = next_member(r, '}', &first)) == 1) {
		strbuf_reset(&r->key);
		if (string(r, &r->key) == -1 || expect(r, ':', "':'") == -1)
			break;
		ws(r);
		at = r->p;
		if (strcmp(r->key.buf, "result") == 0) {
			if (result(r) == -1)
				break;
		} else if (strcmp(r->key.buf, "resultType") == 0) {
			if (keep_string(r, &type) == -1)
				break;
			if (strcmp(type, kind) != 0) {
				pr_error(r, at, "resultType is \"%s\", not "
				    "\"%s\"", type, kind);
				break;
			}
		} else if (skip_value(r, 1) == -1)
			break;
	}
	free(type);
	return more == 0 ? 0 : -1;
}

static int
top(struct pr *r)
{
	bool first = true;
	int more, rc;

	if (expect(r, '{', "a Prometheus API response (a JSON object)") == -1)
		return -1;
	while ((more = next_member(r, '}', &first)) == 1) {
		strbuf_reset(&r->key);
		if (string(r, &r->key) == -1 || expect(r, ':', "':'") == -1)
			return -1;
		if (strcmp(r->key.buf, "status") == 0)
			rc = keep_string(r, &r->status);
		else if (strcmp(r->key.buf, "errorType") == 0)
			rc = keep_string(r, &r->etype);
		else if (strcmp(r->key.buf, "error") == 0)
			rc = keep_string(r, &r->emsg);
		else if (strcmp(r->key.buf, "data") == 0)
			rc = data(r);
		else
			rc = skip_value(r, 1);
		if (rc == -1)
			return -1;
	}
	if (more == -1)
		return -1;
	ws(r);
	if (r->p < r->end)
		return pr_error(r, r->p, "expected the end of the response, "
		    "found %s", shown(r));
	return 0;
}

int
promresp_parse(char *buf, size_t len, const char *name,
    enum promresp_kind kind, const struct promresp_ops *ops)
{
	static const struct promresp_ops none = { NULL, NULL, NULL, NULL };
	struct pr r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.buf = r.p = buf;
	r.end = buf + len;
	r.name = name;
	r.kind = kind;
	r.ops = ops != NULL ? ops : &none;
	strbuf_init(&r.str);
	strbuf_init(&r.key);
	ret = top(&r);
	if (ret == 0 && r.status != NULL && strcmp(r.status, "success") != 0)
		ret = error_set(ERROR_BACKEND, "%s: %s%s%s", name,
		    r.etype != NULL ? r.etype : r.status,
		    r.emsg != NULL ? ": " : "", r.emsg != NULL ? r.emsg : "");
	else if (ret == 0 && r.status == NULL)
		ret = pr_error(&r, buf, "no \"status\" in the response: not "
		    "the Prometheus HTTP API");
	else if (ret == 0 && !r.found)
		ret = pr_error(&r, buf, "no \"data\" with a \"result\" in the "
		    "response");
	free(r.status);
	free(r.etype);
	free(r.emsg);
	strbuf_release(&r.str);
	strbuf_release(&r.key);
	return ret;
}
