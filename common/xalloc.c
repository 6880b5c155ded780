/*
 * xalloc.c - abort-on-OOM wrappers around the C allocator.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

void
xalloc_oom(size_t size)
{
	fprintf(stderr, "capplan: out of memory allocating %zu bytes\n", size);
	fflush(stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		xalloc_oom(size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	p = calloc(n, size);
	if (p == NULL)
		xalloc_oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size != 0 ? size : 1);

	if (q == NULL)
		xalloc_oom(size);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		xalloc_oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
xmemdup(const void *p, size_t size)
{
	void *q = xmalloc(size);

	if (size != 0)
		memcpy(q, p, size);
	return q;
}

void *
xgrow(void *arr, size_t elsize, size_t need, size_t *cap)
{
	size_t ncap;

	if (need <= *cap)
		return arr;
	ncap = *cap < 8 ? 8 : *cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			xalloc_oom(SIZE_MAX);
		ncap *= 2;
	}
	*cap = ncap;
	return xreallocarray(arr, ncap, elsize);
}
