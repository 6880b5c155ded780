/*
 * utf8.c - strict UTF-8 (RFC 3629), one byte at a time.
 *
 * The ranges are those of RFC 3629's table (Unicode 3.9, table 3-7): a
 * lead byte C2-DF takes one continuation byte, E0 A0-BF and E1-EC, EE-EF
 * 80-BF and ED 80-9F take two, F0 90-BF, F1-F3 80-BF and F4 80-8F take
 * three.  Everything else (C0, C1, F5-FF, a lone continuation byte, E0 80
 * and F0 80 overlong, ED A0 surrogates, F4 90 and above) is refused.
 */
#include <stdint.h>
#include <string.h>

#include "common/error.h"
#include "common/utf8.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/* The character at p: its length, or 0 and *why. */
static size_t
char_check(const unsigned char *p, const char **why)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc0)
		return *why = "is a continuation byte with no lead byte", 0;
	if (p[0] < 0xc2)
		return *why = "starts an overlong form", 0;
	if (p[0] > 0xf4)
		return *why = "is never in UTF-8", 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;		/* below: overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;		/* above: surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;		/* below: overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;		/* above: past U+10FFFF */
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return *why = "starts a sequence cut short", 0;
		if (i == 1 && (p[1] < lo || p[1] > hi))
			return *why = p[0] == 0xed ? "starts a UTF-16 surrogate" :
			    p[0] == 0xf4 ? "starts a code point past U+10FFFF" :
			    "starts an overlong form", 0;
	}
	return n;
}

size_t
utf8_len(const char *p)
{
	const char *why;

	return char_check((const unsigned char *)p, &why);
}

bool
utf8_cut_short(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = u[0] >= 0xf5 ? 0 : u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 :
	    u[0] >= 0xc2 ? 2 : 0, i;

	for (i = 1; u[i] != '\0'; i++)
		if ((u[i] & 0xc0) != 0x80)
			return false;
	return i < n;
}

bool
utf8_valid(const char *s, size_t *off, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *w = NULL;
	size_t n;

	for (;;) {
		while (*p != '\0' && *p < 0x80)	/* ASCII: the common case */
			p++;
		if (*p == '\0')
			return true;
		if ((n = char_check(p, &w)) == 0)
			break;
		p += n;
	}
	if (off != NULL)
		*off = (size_t)(p - (const unsigned char *)s);
	if (why != NULL)
		*why = w;
	return false;
}

int
utf8_check(const char *s, const char *what, const char *path, size_t line,
    size_t col)
{
	const char *why;
	size_t off;

	if (utf8_valid(s, &off, &why))
		return 0;
	return error_at(ERROR_DATA, path, line, col, "%s%snot valid UTF-8: "
	    "byte %zu (0x%02x) %s", what != NULL ? what : "",
	    what != NULL ? ": " : "", off + 1,
	    (unsigned)(unsigned char)s[off], why);
}

int
utf8_check_line(const char *s, const char *path, size_t line)
{
	const char *why;
	size_t off;

	if (utf8_valid(s, &off, &why))
		return 0;
	return error_at(ERROR_DATA, path, line, off + 1, "not valid UTF-8: "
	    "byte 0x%02x %s", (unsigned)(unsigned char)s[off], why);
}

void
utf8_add_replacing(struct strbuf *sb, const char *s)
{
	size_t n;

	strbuf_grow(sb, 0);
	while (*s != '\0') {
		n = utf8_len(s);
		if (n == 0) {
			strbuf_addstr(sb, REPLACEMENT);
			s++;
		} else {
			strbuf_add(sb, s, n);
			s += n;
		}
	}
}
