/*
 * format.c - the table of file kinds and versions, and the record check.
 */
#include <string.h>

#include "common/error.h"
#include "common/format.h"
#include "common/num.h"

const struct format_info format_table[FORMAT_N] = {
	[FORMAT_SAMPLES] = { "capplan-samples", 1, "samples" },
	[FORMAT_INVENTORY] = { "capplan-inventory", 1, "inventory" },
	[FORMAT_HOSTS] = { "capplan-hosts", 1, "host catalog" },
	[FORMAT_DISK] = { "capplan-disk", 1, "disk stream" },
	[FORMAT_NET] = { "capplan-net", 1, "network stream" },
	[FORMAT_PROFILES] = { "capplan-profiles", 1, "profiles" },
	[FORMAT_PLACEMENT] = { "capplan-placement", 1, "placement" },
	[FORMAT_REPORT] = { "capplan-report", 1, "report figures" },
	[FORMAT_EXISTING] = { "capplan-existing", 1, "existing hosts" },
	[FORMAT_HOSTMAP] = { "capplan-hostmap", 1, "host mapping" },
};

static int
find_kind(const char *name)
{
	int k;

	for (k = 0; k < FORMAT_N; k++)
		if (strcmp(format_table[k].name, name) == 0)
			return k;
	return -1;
}

int
format_identify(const struct csv_record *rec, const char *name,
    enum format_kind *kind, int *version)
{
	const char *why;
	long v;
	int k;

	if (rec->nfields < 1 || strncmp(rec->fields[0], "capplan-", 8) != 0)
		return error_at(ERROR_DATA, name, rec->line, 0,
		    "not a capplan file: the first line must be a format "
		    "record such as 'capplan-samples,1'");
	k = find_kind(rec->fields[0]);
	if (k == -1)
		return error_at(ERROR_DATA, name, rec->line, 1,
		    "unknown file kind '%s'", rec->fields[0]);
	if (rec->nfields != 2)
		return error_at(ERROR_DATA, name, rec->line, 0,
		    "format record must have 2 fields, found %zu",
		    rec->nfields);
	if (num_parse_long_range(rec->fields[1], 1, 1000000, &v, &why) == -1)
		return error_at(ERROR_DATA, name, rec->line, 2,
		    "version '%s' %s", rec->fields[1], why);
	if (v > format_table[k].version)
		return error_at(ERROR_UNSUPPORTED, name, rec->line, 2,
		    "%s version %ld is not supported (this capplan reads up to "
		    "version %d)", format_table[k].name, v,
		    format_table[k].version);
	*kind = (enum format_kind)k;
	*version = (int)v;
	return 0;
}

int
format_expect(const struct csv_record *rec, const char *name,
    enum format_kind want, int *version)
{
	enum format_kind kind;

	if (format_identify(rec, name, &kind, version) == -1)
		return -1;
	if (kind != want)
		return error_at(ERROR_DATA, name, rec->line, 1,
		    "expected a %s file (%s), found %s",
		    format_table[want].what, format_table[want].name,
		    format_table[kind].name);
	return 0;
}

void
format_write(struct csv_line *line, enum format_kind kind)
{
	csv_line_str(line, format_table[kind].name);
	csv_line_int(line, format_table[kind].version);
	csv_line_end(line);
}
