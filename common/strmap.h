/*
 * strmap.h - a string-keyed hash map to size_t values (open addressing).
 *
 * For name lookups over fleets (10,000 servers and more): host name to
 * row index, column name to position.  Keys are copied; values are
 * plain indexes so the map never owns caller data.
 * USED BY: capplan and capplan-collect.
 */
#ifndef COMMON_STRMAP_H
#define COMMON_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_slot {
	char *key;		/* NULL: empty slot */
	size_t value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t len;
};

#define STRMAP_INIT { NULL, 0, 0 }

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* true and *value set when key is present */
bool strmap_get(const struct strmap *m, const char *key, size_t *value);
/*
 * Insert key -> value.  If key is already present, leave it and store
 * the existing value in *old (when old is not NULL); returns false then.
 */
bool strmap_put(struct strmap *m, const char *key, size_t value, size_t *old);

#endif
