/*
 * utf8.h - the one UTF-8 validator: every reader and writer uses it.
 *
 * capplan-formats(5) says text is UTF-8, and a name is an identity: the
 * same bytes everywhere, from the samples to the plan, the report and
 * the libvirt domain.  So invalid text is refused by the first reader
 * that meets it ("file:line:column: ...", exit 1), never repaired later
 * (a writer that turned each bad byte into U+FFFD made "srv\xff" and
 * "srv\xfe" one server).  Valid is RFC 3629, as jansson and libvirt
 * take it: no overlong form, no UTF-16 surrogate, nothing above U+10FFFF,
 * no sequence cut short.  Writers use the same test; when text reaches
 * one without a reader (a system's host name, a libvirt domain) its
 * source checks it.
 * USED BY: capplan and capplan-collect.
 */
#ifndef COMMON_UTF8_H
#define COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"

/* The length (1 to 4) of the valid UTF-8 character at p, 0 if there is
 * none (the NUL that ends a string is never part of one). */
size_t utf8_len(const char *p);

/*
 * Is s valid UTF-8 to its NUL?  If not, *off is the byte offset of the
 * first character that is not valid and *why says what is wrong with it
 * ("is an overlong form"), to follow "byte N (0xXX)".  off and why may be
 * NULL.
 */
bool utf8_valid(const char *s, size_t *off, const char **why);

/*
 * Is p, where utf8_valid() stopped, a character cut short by the end of
 * the string: a lead byte, then fewer continuation bytes than it needs?
 * (What a write cut short leaves at the end of a file.)
 */
bool utf8_cut_short(const char *p);

/*
 * Record "what: not valid UTF-8: byte N (0xXX) <why>" at path:line:col
 * (error_at(), ERROR_DATA; no "what: " when what is NULL) if s is not
 * valid; 0 when it is, -1 then.
 */
int utf8_check(const char *s, const char *what, const char *path,
    size_t line, size_t col);

/* As utf8_check() for a line of text, the column being the byte. */
int utf8_check_line(const char *s, const char *path, size_t line);

/*
 * Append s to sb with each byte that starts no valid character as
 * U+FFFD: for writers, where the readers have made that unreachable.
 */
void utf8_add_replacing(struct strbuf *sb, const char *s);

#endif
