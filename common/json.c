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
#include "common/utf8.h"

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
	utf8_add_replacing(&sb, s);
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
