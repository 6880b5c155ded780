/*
 * xalloc.h - allocation that never returns NULL.
 *
 * Out of memory is not an input error: these print the size asked for and
 * abort() (redis zmalloc, git xmalloc), so no caller writes an OOM path.
 * Sizes are checked for multiplication overflow, which also aborts.
 * USED BY: capplan and capplan-collect.
 */
#ifndef COMMON_XALLOC_H
#define COMMON_XALLOC_H

#include <stddef.h>

/* Report that size bytes could not be had, and abort (for libraries
 * whose allocators return NULL, such as GSL's). */
void xalloc_oom(size_t size) __attribute__((noreturn));
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* realloc to n * size bytes, aborting if the product overflows */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t size);

/*
 * Grow *arr (of *cap elements of elsize bytes) so that it holds at least
 * need elements, doubling; used as ALLOC_GROW(arr, n + 1, cap).
 */
void *xgrow(void *arr, size_t elsize, size_t need, size_t *cap);
#define ALLOC_GROW(arr, need, cap) \
	((arr) = xgrow((arr), sizeof(*(arr)), (need), &(cap)))

#endif
