/*
 * json.c - jansson helpers for stable, finite output.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/error.h"
#include "common/json.h"
#include "common/ofile.h"
#include "common/strbuf.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
	JSON_REAL_PRECISION(15))

json_t *
json_num(double v, int decimals)
{
	double scale, r;

	if (!isfinite(v))
		return json_null();
	scale = pow(10.0, decimals);
	r = round(v * scale) / scale;
	/* v * scale overflows for huge v (json_real() would refuse the
	 * infinity), and such a v has no fraction left to round */
	if (isfinite(r))
		v = r;
	if (v == 0.0)
		v = 0.0;		/* no "-0.0" */
	if (decimals == 0 && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/*
 * The length of the UTF-8 sequence at p, or 0 if it is not valid.  Valid
 * is what jansson accepts (RFC 3629): no overlong forms, no surrogates,
 * nothing past U+10FFFF; a well-formed but overlong sequence copied as
 * it is would make json_string() fail again.
 */
static size_t
utf8_len(const unsigned char *p)
{
	uint32_t c;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	n = *p >= 0xc2 && *p <= 0xdf ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
	    *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
	if (n == 0)
		return 0;
	c = *p & (0x7fu >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		c = c << 6 | (p[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

/* Copy s, replacing each byte that starts no valid sequence with U+FFFD. */
static void
utf8_sanitise(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		n = utf8_len(p);
		if (n == 0) {
			strbuf_addstr(sb, "\xef\xbf\xbd");
			p++;
			continue;
		}
		strbuf_add(sb, p, n);
		p += n;
	}
}

json_t *
json_str(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	if (s == NULL)
		return json_null();
	j = json_string(s);
	if (j != NULL)
		return j;
	strbuf_init(&sb);
	utf8_sanitise(&sb, s);
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j != NULL ? j : json_string("");
}

void
json_put(json_t *obj, const char *key, json_t *v)
{
	json_object_set_new(obj, key, v);
}

int
json_write(json_t *root, FILE *fp, const char *name)
{
	if (json_dumpf(root, fp, JSON_FLAGS) != 0 || fputc('\n', fp) == EOF)
		return error_set_errno(ERROR_IO, "cannot write '%s'", name);
	return 0;
}

int
json_write_path(json_t *root, const char *path)
{
	struct ofile *of = ofile_open(path);

	if (of == NULL)
		return -1;
	if (json_write(root, of->fp, path) == -1) {
		ofile_abort(of);
		return -1;
	}
	return ofile_commit(of);
}
