/*
 * existing.c - the existing hosts' column table and its loader.
 */
#include <stddef.h>
#include <string.h>

#include "common/existing.h"

#define TXT(n, f, req) { n, COL_TEXT, req, req, 0, 0, \
	offsetof(struct existing_host, f), 0, "" }

static const struct col_spec existing_cols[] = {
	TXT("host", host, true),
	TXT("model", model, true),
	TXT("rack", rack, false),
	TXT("pdu", pdu, false),
	TXT("room", room, false),
	TXT("zone", zone, false),
};

const struct table_spec existing_spec = {
	FORMAT_EXISTING, existing_cols,
	sizeof(existing_cols) / sizeof(existing_cols[0]),
	sizeof(struct existing_host), 0, NULL,
};

int
existing_load(struct existing *ex, const char *path, struct table_info *info)
{
	void *rows;
	size_t i;

	memset(ex, 0, sizeof(*ex));
	if (table_read(&existing_spec, path, &rows, &ex->nhosts, info) == -1)
		return -1;
	ex->hosts = rows;
	strmap_init(&ex->index);
	for (i = 0; i < ex->nhosts; i++)
		strmap_put(&ex->index, ex->hosts[i].host, i, NULL);
	return 0;
}

void
existing_release(struct existing *ex)
{
	if (ex == NULL)
		return;
	table_free(&existing_spec, ex->hosts, ex->nhosts);
	strmap_release(&ex->index);
	memset(ex, 0, sizeof(*ex));
}

const struct existing_host *
existing_find(const struct existing *ex, const char *name)
{
	size_t i;

	if (!strmap_get(&ex->index, name, &i))
		return NULL;
	return &ex->hosts[i];
}
