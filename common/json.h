/*
 * json.h - JSON output through jansson, deterministic.
 *
 * Keys keep insertion order (JSON_PRESERVE_ORDER), numbers are rounded to
 * a stated number of decimals before they are stored, and NaN or an
 * infinity becomes null: jansson refuses non-finite reals, and "not
 * measured" is null in JSON as it is an empty cell in CSV.  Same input,
 * same bytes.
 * USED BY: capplan.
 */
#ifndef COMMON_JSON_H
#define COMMON_JSON_H

#include <stdio.h>

#include <jansson.h>

/* A number rounded to decimals places, or null when not finite. */
json_t *json_num(double v, int decimals);
/* A string, or null when s is NULL.  Text is valid UTF-8 (common/utf8.h:
 * the readers refuse what is not); a byte that is not would become U+FFFD
 * rather than lose the output. */
json_t *json_str(const char *s);
/* obj[key] = v, taking v */
void json_put(json_t *obj, const char *key, json_t *v);
/* Write root with two-space indentation and a final newline. */
int json_write(json_t *root, FILE *fp, const char *name);
/* As json_write(), to a file written atomically ("-" is stdout). */
int json_write_path(json_t *root, const char *path);

#endif
