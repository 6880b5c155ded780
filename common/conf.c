/*
 * conf.c - the INI loader: inih tokenises, the key table types and checks.
 *
 * Debian's libinih does not pass line numbers to the handler, so the file
 * is fed through ini_parse_stream() with a reader that counts the lines it
 * hands out, and checks each is UTF-8; the handler runs on the line just
 * read.  Lines may be long (an affinity group of hundreds of servers):
 * the heap line buffer is used and allowed to grow.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "common/conf.h"
#include "common/error.h"
#include "common/num.h"
#include "common/strmap.h"
#include "common/utf8.h"
#include "common/xalloc.h"

struct load {
	const struct conf_schema *schema;
	void *target;
	const char *path;
	FILE *fp;
	size_t line;
	struct strmap seen;	/* "section\nkey" -> line first set */
	bool failed;
	char *buf;		/* the line being handed to inih ... */
	size_t cap, len, pos;	/* ... from buf + pos, len bytes long */
};

/* inih keeps this many bytes of a section's name (its MAX_SECTION, 50,
 * less the NUL): a name that long may have been longer */
#define SECTION_MAX 49
#define FIELD(target, key) ((char *)(target) + (key)->offset)

static void
list_free_items(struct conf_list *l)
{
	size_t i;

	for (i = 0; i < l->nitems; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nitems = 0;
}

void
conf_list_release(struct conf_list *l)
{
	if (l != NULL)
		list_free_items(l);
}

bool
conf_list_has(const struct conf_list *l, const char *item)
{
	size_t i;

	for (i = 0; i < l->nitems; i++)
		if (strcmp(l->items[i], item) == 0)
			return true;
	return false;
}

int
conf_list_parse(struct conf_list *l, const char *value, const char **why)
{
	const char *p = value, *end;
	size_t cap = 0, n;

	l->items = NULL;
	l->nitems = 0;
	while (*value != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		n = (size_t)(end - p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0) {
			list_free_items(l);
			*why = "has an empty item in its list";
			return -1;
		}
		ALLOC_GROW(l->items, l->nitems + 1, cap);
		l->items[l->nitems++] = xstrndup(p, n);
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return 0;
}

static int
parse_choice(const struct conf_key *k, const char *value, int *out)
{
	int i;

	for (i = 0; k->choices[i] != NULL; i++)
		if (strcmp(k->choices[i], value) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

static void
choices_text(const struct conf_key *k, char *buf, size_t size)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; k->choices[i] != NULL && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
		    i > 0 ? ", " : "", k->choices[i]);
}

/* every item of a list through the key's check, if it has one */
static int
check_items(const struct conf_key *k, struct conf_list *l, const char *path,
    size_t line)
{
	const char *why;
	size_t i;

	for (i = 0; k->check != NULL && i < l->nitems; i++)
		if ((why = k->check(l->items[i])) != NULL)
			return error_at(ERROR_DATA, path, line, 0,
			    "'%s' item '%s' %s", k->name, l->items[i], why);
	return 0;
}

/* Store value for key k into target; error names path and line. */
static int
set_value(const struct conf_key *k, void *target, const char *value,
    const char *path, size_t line)
{
	char *f = FIELD(target, k), buf[256];
	const char *why = NULL;
	double d;
	long l;
	int c;

	switch (k->type) {
	case CONF_DOUBLE:
		if (num_parse_double(value, &d, &why) == -1)
			break;
		if (d < k->min || d > k->max)
			return error_at(ERROR_DATA, path, line, 0,
			    "'%s' must be between %g and %g, not %s", k->name,
			    k->min, k->max, value);
		*(double *)(void *)f = d;
		return 0;
	case CONF_INT:
		if (num_parse_long_range(value, (long)k->min, (long)k->max, &l,
		    &why) == -1) {
			if (strcmp(why, "is out of range") == 0)
				return error_at(ERROR_DATA, path, line, 0,
				    "'%s' must be a whole number between %g "
				    "and %g, not %s", k->name, k->min, k->max,
				    value);
			break;
		}
		*(long *)(void *)f = l;
		return 0;
	case CONF_BOOL:
		if (num_parse_bool(value, (bool *)(void *)f, &why) == -1)
			break;
		return 0;
	case CONF_STRING:
		free(*(char **)(void *)f);
		*(char **)(void *)f = xstrdup(value);
		return 0;
	case CONF_LIST:
		list_free_items((struct conf_list *)(void *)f);
		if (*value != '\0' && conf_list_parse(
		    (struct conf_list *)(void *)f, value, &why) == -1)
			break;
		return check_items(k, (struct conf_list *)(void *)f, path, line);
	case CONF_CHOICE:
		if (parse_choice(k, value, &c) == 0) {
			*(int *)(void *)f = c;
			return 0;
		}
		choices_text(k, buf, sizeof(buf));
		return error_at(ERROR_DATA, path, line, 0,
		    "'%s' must be one of %s, not '%s'", k->name, buf, value);
	}
	return error_at(ERROR_DATA, path, line, 0, "'%s' value '%s' %s",
	    k->name, value, why != NULL ? why : "is not valid");
}

void
conf_defaults(const struct conf_schema *schema, void *target)
{
	size_t i;
	int rc;

	for (i = 0; i < schema->nkeys; i++) {
		rc = set_value(&schema->keys[i], target, schema->keys[i].def,
		    "<defaults>", 0);
		if (rc != 0) {
			fprintf(stderr, "BUG: default of %s.%s: %s\n",
			    schema->keys[i].section, schema->keys[i].name,
			    error_last_msg());
			abort();
		}
	}
}

static const struct conf_key *
find_key(const struct conf_schema *schema, const char *section,
    const char *name, bool *section_known)
{
	size_t i;

	*section_known = false;
	for (i = 0; i < schema->nkeys; i++) {
		if (strcmp(schema->keys[i].section, section) != 0)
			continue;
		*section_known = true;
		if (strcmp(schema->keys[i].name, name) == 0)
			return &schema->keys[i];
	}
	return NULL;
}

static const struct conf_prefix *
find_prefix(const struct conf_schema *schema, const char *section,
    const char **rest)
{
	size_t i, n;

	for (i = 0; i < schema->nprefixes; i++) {
		n = strlen(schema->prefixes[i].prefix);
		if (schema->prefixes[i].bare && strcmp(section,
		    schema->prefixes[i].prefix) == 0) {
			*rest = section + n;
			return &schema->prefixes[i];
		}
		if (strncmp(section, schema->prefixes[i].prefix, n) == 0 &&
		    section[n] == ' ') {
			for (*rest = section + n; **rest == ' '; (*rest)++)
				;
			return &schema->prefixes[i];
		}
	}
	return NULL;
}

/* Refuse a key set twice in one section. */
static int
check_duplicate(struct load *ld, const char *section, const char *name)
{
	char *k = xmalloc(strlen(section) + strlen(name) + 2);
	size_t first;
	int ret = 0;

	sprintf(k, "%s\n%s", section, name);
	if (!strmap_put(&ld->seen, k, ld->line, &first))
		ret = error_at(ERROR_DATA, ld->path, ld->line, 0,
		    "'%s' is already set in [%s] on line %zu", name, section,
		    first);
	free(k);
	return ret;
}

static int
handle(struct load *ld, const char *section, const char *name,
    const char *value)
{
	const struct conf_prefix *pf;
	const struct conf_key *k;
	const char *rest;
	char gname[SECTION_MAX + 1], canon[2 * SECTION_MAX + 2];
	bool known;
	size_t n;

	if (*section == '\0')
		return error_at(ERROR_DATA, ld->path, ld->line, 0,
		    "'%s' is outside any [section]", name);
	/* inih drops the rest silently: a longer [pin NAME] would plan a
	 * host of another name, two long groups would become one */
	if (strlen(section) >= SECTION_MAX)
		return error_at(ERROR_DATA, ld->path, ld->line, 0,
		    "section name [%s...] is too long (at most %d bytes)",
		    section, SECTION_MAX - 1);
	pf = find_prefix(ld->schema, section, &rest);
	if (pf == NULL && check_duplicate(ld, section, name) == -1)
		return -1;
	if (pf != NULL) {
		/* inih keeps blanks before ']': "[affinity web ]" is "web" */
		n = strlen(rest);
		while (n > 0 && isspace((unsigned char)rest[n - 1]))
			n--;
		if (n == 0 && !pf->bare)
			return error_at(ERROR_DATA, ld->path, ld->line, 0,
			    "section [%s] needs a name, as in [%s NAME]",
			    section, pf->prefix);
		snprintf(gname, sizeof(gname), "%.*s", (int)n, rest);
		/* by the group's name as its handler gets it: [zone  web ]
		 * is [zone web], and its servers set twice leaked the first
		 * list (found by the policy fuzzer) */
		snprintf(canon, sizeof(canon), "%s%s%s", pf->prefix,
		    n > 0 ? " " : "", gname);
		if (check_duplicate(ld, canon, name) == -1)
			return -1;
		return pf->fn(ld->target, gname, name, value, ld->path,
		    ld->line);
	}
	k = find_key(ld->schema, section, name, &known);
	if (k == NULL && !known)
		return error_at(ERROR_DATA, ld->path, ld->line, 0,
		    "unknown section [%s]", section);
	if (k == NULL)
		return error_at(ERROR_DATA, ld->path, ld->line, 0,
		    "unknown key '%s' in [%s]", name, section);
	return set_value(k, ld->target, value, ld->path, ld->line);
}

static int
on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;

	if (ld->failed)
		return 1;
	if (handle(ld, section, name, value) == -1)
		ld->failed = true;
	return 1;
}

/*
 * inih's reader, in fgets()'s place: each line is read whole, counted and
 * checked to be UTF-8 (common/utf8.h; "path:line:byte: not valid UTF-8"),
 * then handed out in pieces of at most num - 1 bytes, as a long line (an
 * affinity group of hundreds of servers) needs.  A bad line ends the
 * input: inih sees the end of the file, and ld->failed says why.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct load *ld = stream;
	ssize_t got;
	size_t n;

	if (ld->failed || num < 2)
		return NULL;
	if (ld->pos == ld->len) {
		got = getline(&ld->buf, &ld->cap, ld->fp);
		if (got <= 0)
			return NULL;
		ld->len = (size_t)got;
		ld->pos = 0;
		ld->line++;
		if (utf8_check_line(ld->buf, ld->path, ld->line) == -1) {
			ld->failed = true;
			return NULL;
		}
	}
	n = ld->len - ld->pos;
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, ld->buf + ld->pos, n);
	str[n] = '\0';
	ld->pos += n;
	return str;
}

int
conf_load(const struct conf_schema *schema, const char *path, void *target)
{
	struct load ld = { schema, target, path, NULL, 0, STRMAP_INIT, false,
	    NULL, 0, 0, 0 };
	struct stat st;
	int rc;

	conf_defaults(schema, target);
	ld.fp = fopen(path, "r");
	if (ld.fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	/* a folder opens and reads as an empty file: a policy of defaults
	 * nobody asked for */
	if (fstat(fileno(ld.fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(ld.fp);
		return error_set(ERROR_IO, "cannot read '%s': it is a folder, "
		    "not a policy file", path);
	}
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = 1 << 20;
	/* inih goes on after a syntax error; stop so the first one is told */
	ini_stop_on_first_error = true;
	rc = ini_parse_stream(read_line, &ld, on_pair, &ld);
	if (ferror(ld.fp) && !ld.failed) {
		error_set_errno(ERROR_IO, "cannot read '%s'", path);
		ld.failed = true;
	}
	fclose(ld.fp);
	free(ld.buf);
	strmap_release(&ld.seen);
	if (ld.failed)
		return -1;
	if (rc > 0)
		return error_at(ERROR_DATA, path, (size_t)rc, 0,
		    "not an INI line: expected [section], key = value, or a "
		    "comment");
	if (rc != 0)
		return error_set(ERROR_IO, "cannot read '%s'", path);
	return 0;
}

void
conf_release(const struct conf_schema *schema, void *target)
{
	size_t i;
	char *f;

	for (i = 0; i < schema->nkeys; i++) {
		f = FIELD(target, &schema->keys[i]);
		if (schema->keys[i].type == CONF_STRING) {
			free(*(char **)(void *)f);
			*(char **)(void *)f = NULL;
		} else if (schema->keys[i].type == CONF_LIST)
			list_free_items((struct conf_list *)(void *)f);
	}
}
