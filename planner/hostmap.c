/*
 * hostmap.c - the host-mapping file's column table and reader.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/table.h"
#include "common/xalloc.h"
#include "planner/hostmap.h"

#define TXT(n, f, req) { n, COL_TEXT, req, req, 0, 0, \
	offsetof(struct hostmap_row, f), 0, "" }

static const struct col_spec hostmap_cols[] = {
	TXT("host", host, true),
	TXT("name", name, true),
	TXT("ansible_host", ansible_host, false),
	TXT("uri", uri, false),
};

static const struct table_spec hostmap_spec = {
	FORMAT_HOSTMAP, hostmap_cols,
	sizeof(hostmap_cols) / sizeof(hostmap_cols[0]),
	sizeof(struct hostmap_row), 0, NULL,
};

int
hostmap_load(struct hostmap *m, const char *path)
{
	void *rows = NULL;

	memset(m, 0, sizeof(*m));
	if (table_read(&hostmap_spec, path, &rows, &m->n, NULL) == -1)
		return -1;
	m->rows = rows;
	m->path = xstrdup(path);
	return 0;
}

void
hostmap_release(struct hostmap *m)
{
	if (m == NULL)
		return;
	table_free(&hostmap_spec, m->rows, m->n);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

const struct hostmap_row *
hostmap_find(const struct hostmap *m, const char *host)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n; i++)
		if (strcmp(m->rows[i].host, host) == 0)
			return &m->rows[i];
	return NULL;
}
