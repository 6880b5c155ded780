/*
 * escape.h - making names inert in every output the report writes.
 *
 * Host and server names come from the user's files and may hold anything:
 * markup, quotes, newlines, shell or gnuplot commands, spreadsheet
 * formulas.  Every name passes through one of these before it reaches an
 * output, and nothing is ever interpolated into a gnuplot command or a
 * file path (charts name their files by index).  Each function appends
 * the escaped form of s to sb; invalid UTF-8 becomes U+FFFD in all.
 */
#ifndef REPORTS_ESCAPE_H
#define REPORTS_ESCAPE_H

#include "common/strbuf.h"

/* HTML text or attribute value: & < > " ' as entities; control
 * characters other than TAB and LF as U+FFFD. */
void escape_html(struct strbuf *sb, const char *s);
/*
 * Markdown (CommonMark with GFM tables) inline text: & < > as entities;
 * \ ` * _ [ ] | ~ # backslash-escaped, so no emphasis, code span, link,
 * image, raw HTML, heading, strikethrough or table cell boundary can
 * start; a leading - + = or "1." / "1)" escaped, so text at the start of
 * a line cannot open a list or underline a heading; line breaks and
 * control characters as spaces.
 */
void escape_markdown(struct strbuf *sb, const char *s);
/*
 * A CSV text cell's content (csv_line adds the RFC 4180 quoting): a cell
 * starting with = + - @ TAB CR or ' gets a leading ' so a spreadsheet
 * shows it as text instead of running it as a formula (OWASP CSV
 * injection); the rule of every capplan CSV, csv_text_needs_mark().
 */
void escape_csv_text(struct strbuf *sb, const char *s);
/*
 * A gnuplot string expression, quotes included: single-quoted runs, where
 * gnuplot expands nothing (no backslash escapes, no `command` or @macro),
 * joined by " . " to "'" for each quote (gnuplot's own '' escape fails at
 * the start of a string and twice in a row); control characters become
 * spaces.  Use it with noenhanced text so ^ _ { } @ & are shown as they
 * are.  escape_gnuplot_format() also doubles '%', for the strings gnuplot
 * reads as formats: explicit tic labels ("100%g" printed a number).
 */
void escape_gnuplot(struct strbuf *sb, const char *s);
void escape_gnuplot_format(struct strbuf *sb, const char *s);

#endif
