/*
 * sort.h - qsort() for arrays that may be empty.
 *
 * qsort(NULL, 0, ...) is undefined behaviour (the pointer is declared
 * nonnull) and UBSan says so; an empty or one-element array needs no
 * sorting anyway.  As git's sane_qsort().  Use array_sort() everywhere
 * instead of qsort().
 * USED BY: capplan and capplan-collect.
 */
#ifndef COMMON_SORT_H
#define COMMON_SORT_H

#include <stdlib.h>

static inline void
array_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#endif
