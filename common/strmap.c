/*
 * strmap.c - FNV-1a hashing with linear probing, grown at 50 % load.
 * There is no removal: maps are built once and read (indexes of loaded
 * rows), which keeps probing trivially correct.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "common/xalloc.h"

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void
strmap_init(struct strmap *m)
{
	m->slots = NULL;
	m->cap = m->len = 0;
}

void
strmap_release(struct strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	strmap_init(m);
}

static struct strmap_slot *
find_slot(struct strmap_slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

bool
strmap_get(const struct strmap *m, const char *key, size_t *value)
{
	struct strmap_slot *s;

	if (m->cap == 0)
		return false;
	s = find_slot(m->slots, m->cap, key);
	if (s->key == NULL)
		return false;
	*value = s->value;
	return true;
}

static void
rehash(struct strmap *m)
{
	size_t ncap = m->cap == 0 ? 16 : m->cap * 2, i;
	struct strmap_slot *ns = xcalloc(ncap, sizeof(*ns)), *s;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		s = find_slot(ns, ncap, m->slots[i].key);
		*s = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
}

bool
strmap_put(struct strmap *m, const char *key, size_t value, size_t *old)
{
	struct strmap_slot *s;

	if ((m->len + 1) * 2 > m->cap)
		rehash(m);
	s = find_slot(m->slots, m->cap, key);
	if (s->key != NULL) {
		if (old != NULL)
			*old = s->value;
		return false;
	}
	s->key = xstrdup(key);
	s->value = value;
	m->len++;
	return true;
}
