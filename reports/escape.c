/*
 * escape.c - escaping for HTML, Markdown, CSV cells and gnuplot strings.
 *
 * All four walk the string one UTF-8 character at a time (common/utf8.h,
 * the readers' own test), so a stray byte, which the readers refuse, could
 * neither hide a markup character nor break the output's encoding; it
 * would become U+FFFD.  What each format treats as special comes
 * from its specification: HTML 5 (the five characters), CommonMark 0.30
 * (backslash escapes, section 2.4; what opens emphasis, code, links, raw
 * HTML, headings and list items) with GFM's tables and strikethrough, OWASP's
 * CSV injection page, and gnuplot's "help syntax" (single-quoted strings)
 * as gnuplot 5.4 really scans them (see gnuplot_expr()).
 */
#include <stdbool.h>
#include <string.h>

#include "common/csvio.h"
#include "common/utf8.h"
#include "reports/escape.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/*
 * Walk s; for each ASCII byte call fn (which appends what it stands for),
 * copy other valid characters, replace invalid bytes.
 */
static void
escape_walk(struct strbuf *sb, const char *s,
    void (*fn)(struct strbuf *sb, int c))
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n;

	strbuf_grow(sb, 0);	/* sb->buf is a string even when s is "" */
	while (*p != '\0') {
		n = utf8_len((const char *)p);
		if (n == 0) {
			strbuf_addstr(sb, REPLACEMENT);
			p++;
		} else if (n == 1) {
			fn(sb, *p++);
		} else {
			strbuf_add(sb, p, n);
			p += n;
		}
	}
}

static bool
is_control(int c)
{
	return c < 0x20 || c == 0x7f;
}

static void
html_char(struct strbuf *sb, int c)
{
	switch (c) {
	case '&': strbuf_addstr(sb, "&amp;"); break;
	case '<': strbuf_addstr(sb, "&lt;"); break;
	case '>': strbuf_addstr(sb, "&gt;"); break;
	case '"': strbuf_addstr(sb, "&quot;"); break;
	case '\'': strbuf_addstr(sb, "&#39;"); break;
	default:
		if (is_control(c) && c != '\t' && c != '\n')
			strbuf_addstr(sb, REPLACEMENT);
		else
			strbuf_addch(sb, c);
	}
}

void
escape_html(struct strbuf *sb, const char *s)
{
	escape_walk(sb, s, html_char);
}

static void
markdown_char(struct strbuf *sb, int c)
{
	switch (c) {
	case '&': strbuf_addstr(sb, "&amp;"); break;
	case '<': strbuf_addstr(sb, "&lt;"); break;
	case '>': strbuf_addstr(sb, "&gt;"); break;
	default:
		if (is_control(c))
			strbuf_addch(sb, ' ');
		else if (strchr("\\`*_[]|~#", c) != NULL)
			strbuf_addf(sb, "\\%c", c);
		else
			strbuf_addch(sb, c);
	}
}

void
escape_markdown(struct strbuf *sb, const char *s)
{
	size_t n = 0;

	strbuf_grow(sb, 0);
	if (s == NULL)
		return;
	/* at the start of a line: a list item, a setext underline */
	if (*s == '-' || *s == '+' || *s == '=') {
		strbuf_addf(sb, "\\%c", *s++);
	} else {
		while (s[n] >= '0' && s[n] <= '9')
			n++;
		if (n > 0 && (s[n] == '.' || s[n] == ')')) {	/* "1. " */
			strbuf_add(sb, s, n);
			strbuf_addf(sb, "\\%c", s[n]);
			s += n + 1;
		}
	}
	escape_walk(sb, s, markdown_char);
}

static void
plain_char(struct strbuf *sb, int c)
{
	strbuf_addch(sb, c);
}

void
escape_csv_text(struct strbuf *sb, const char *s)
{
	if (s != NULL && csv_text_needs_mark(s))
		strbuf_addch(sb, '\'');
	escape_walk(sb, s, plain_char);
}

static void
gnuplot_char(struct strbuf *sb, int c)
{
	strbuf_addch(sb, is_control(c) ? ' ' : c);
}

static void
gnuplot_format_char(struct strbuf *sb, int c)
{
	if (c == '%')
		strbuf_addstr(sb, "%%");
	else
		gnuplot_char(sb, c);
}

/* one piece of a concatenation: " . " between pieces */
static void
gnuplot_piece(struct strbuf *sb, bool *first, const char *p, size_t n)
{
	if (!*first)
		strbuf_addstr(sb, " . ");
	*first = false;
	strbuf_add(sb, p, n);
}

/*
 * s as a gnuplot string expression.  gnuplot 5.4's scanner does not take
 * its escaped quote '' everywhere inside a single-quoted string: at the
 * start, or twice in a row, '' is an empty string and what follows is a
 * syntax error (a name starting with ' broke every chart script).  So no
 * ' ever goes inside one: the text is a concatenation of single-quoted
 * runs and "'" (a double-quoted string of one quote, with no backslash or
 * backquote for gnuplot to expand), as in 'it' . "'" . 's'.
 */
static void
gnuplot_expr(struct strbuf *sb, const char *s,
    void (*fn)(struct strbuf *sb, int c))
{
	struct strbuf t = STRBUF_INIT, run = STRBUF_INIT;
	const char *p, *q;
	bool first = true;
	size_t n;

	strbuf_init(&t);
	strbuf_init(&run);
	escape_walk(&t, s, fn);
	for (p = t.buf;; p = q + 1) {
		q = strchr(p, '\'');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n > 0 || (q == NULL && first)) {	/* '' for "" */
			strbuf_reset(&run);
			strbuf_addch(&run, '\'');
			strbuf_add(&run, p, n);
			strbuf_addch(&run, '\'');
			gnuplot_piece(sb, &first, run.buf, run.len);
		}
		if (q == NULL)
			break;
		gnuplot_piece(sb, &first, "\"'\"", 3);
	}
	strbuf_release(&t);
	strbuf_release(&run);
}

void
escape_gnuplot(struct strbuf *sb, const char *s)
{
	gnuplot_expr(sb, s, gnuplot_char);
}

void
escape_gnuplot_format(struct strbuf *sb, const char *s)
{
	gnuplot_expr(sb, s, gnuplot_format_char);
}
