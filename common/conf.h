/*
 * conf.h - INI configuration through inih, checked against a key table.
 *
 * A configuration is described by a table of keys (section, name, type,
 * default, range, where it is stored).  conf_load() applies every default,
 * then reads the file: an unknown section or key, a value of the wrong
 * type or out of range, or a key given twice is an error naming the file
 * and line ("capplan.conf:12: 'pue' must be between 1 and 4, not 0.9").
 * Sections whose name starts with a registered prefix ("affinity web")
 * go to that prefix's handler, for groups the table cannot list.
 * USED BY: capplan.
 */
#ifndef COMMON_CONF_H
#define COMMON_CONF_H

#include <stdbool.h>
#include <stddef.h>

enum conf_type {
	CONF_DOUBLE,		/* double */
	CONF_INT,		/* long */
	CONF_BOOL,		/* bool */
	CONF_STRING,		/* char * (owned, xstrdup) */
	CONF_LIST,		/* struct conf_list: comma-separated, trimmed */
	CONF_CHOICE,		/* int: index into choices[] */
};

struct conf_list {
	char **items;
	size_t nitems;
};

struct conf_key {
	const char *section;
	const char *name;
	enum conf_type type;
	const char *def;	/* default, written as in the file */
	double min, max;	/* range for CONF_DOUBLE and CONF_INT */
	const char *const *choices;	/* NULL-terminated, CONF_CHOICE */
	size_t offset;		/* offsetof() into the target struct */
	const char *unit;	/* "fraction", "W", "EUR/kWh"; for docs */
	/* CONF_LIST: each item checked, NULL when it is good, else why
	 * not ("is not tag:NAME or group:NAME"); NULL: any item */
	const char *(*check)(const char *item);
};

/*
 * A handler for prefixed sections: called with the part of the section
 * name after the prefix and a space, the key, the value and the line.
 * Returns 0, or -1 with the error recorded through error_at().
 */
struct conf_prefix {
	const char *prefix;	/* "affinity" matches "[affinity web]" */
	int (*fn)(void *target, const char *name, const char *key,
	    const char *value, const char *path, size_t line);
	bool bare;		/* "[prefix]" alone too, with name "" */
};

struct conf_schema {
	const struct conf_key *keys;
	size_t nkeys;
	const struct conf_prefix *prefixes;
	size_t nprefixes;
};

/* Set every key of target (zeroed, or released) to its default. */
void conf_defaults(const struct conf_schema *schema, void *target);
/*
 * Apply defaults, then read path into target.  -1 with ERROR_IO (a
 * file that cannot be opened or read, or a folder: never taken for an
 * empty policy) or ERROR_DATA ("path:line: ...").
 */
int conf_load(const struct conf_schema *schema, const char *path,
    void *target);
/* Free the strings and lists the schema's keys own in target. */
void conf_release(const struct conf_schema *schema, void *target);
/* Split "a, b ,c" into a list (empty items are an error). */
int conf_list_parse(struct conf_list *l, const char *value,
    const char **why);
void conf_list_release(struct conf_list *l);
bool conf_list_has(const struct conf_list *l, const char *item);

#endif
