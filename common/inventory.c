/*
 * inventory.c - the inventory column table and its loader.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/inventory.h"

#define NUM(n, f, lo, hi, d, u) \
	{ n, COL_NUM, false, false, lo, hi, offsetof(struct server_inv, f), d, u }
#define INT(n, f, lo, hi, u) \
	{ n, COL_INT, false, false, lo, hi, offsetof(struct server_inv, f), 0, u }
#define TXT(n, f) \
	{ n, COL_TEXT, false, false, 0, 0, offsetof(struct server_inv, f), 0, "" }
#define YES(n, f) \
	{ n, COL_BOOL, false, false, 0, 0, offsetof(struct server_inv, f), 0, "" }

static const struct col_spec inventory_cols[] = {
	{ "host", COL_TEXT, true, true, 0, 0,
	    offsetof(struct server_inv, host), 0, "" },
	TXT("cpu_model", cpu_model),
	YES("cpu_masked", cpu_masked),
	INT("sockets", sockets, 1, 1024, "count"),
	INT("cores", cores, 1, 1e6, "count"),
	INT("threads", threads, 1, 1e6, "count"),
	NUM("cpu_mhz", cpu_mhz, 1, 1e5, 0, "MHz"),
	/* no finer than the three decimals written back (capplan import and
	 * capplan-collect write inventories): 0.0004 read as 0.000 */
	NUM("cpu_rating", cpu_rating, 1e-3, 1e7, 3, "CU"),
	NUM("mem_mib", mem_mib, 1, 1e12, 0, "MiB"),
	NUM("disk_gib", disk_gib, 0, 1e12, 1, "GiB"),
	NUM("disk_used_gib", disk_used_gib, 0, 1e12, 1, "GiB"),
	INT("disk_count", disk_count, 0, 1e5, "count"),
	YES("disk_rotational", disk_rotational),
	INT("nics", nics, 0, 1e5, "count"),
	NUM("nic_mbps", nic_mbps, 0, 1e9, 0, "Mbit/s"),
	TXT("os", os),
	TXT("kernel", kernel),
	TXT("virtual", virtual),
	NUM("power_idle_w", power_idle_w, 0, 1e5, 1, "W"),
	NUM("power_max_w", power_max_w, 0, 1e5, 1, "W"),
	NUM("rack_units", rack_units, 0, 100, 1, "U"),
	NUM("age_years", age_years, 0, 100, 1, "years"),
	TXT("group", group),
	TXT("tags", tags),
	TXT("zone", zone),
	TXT("current_host", current_host),
	TXT("arch", arch),
	TXT("container", container),
	TXT("disk_list", disk_list),
	TXT("nic_list", nic_list),
};

static int
inventory_check(const void *row, const char *path, size_t line)
{
	const struct server_inv *s = row;

	if (!isnan(s->power_idle_w) && !isnan(s->power_max_w) &&
	    s->power_idle_w > s->power_max_w)
		return error_at(ERROR_DATA, path, line, 0,
		    "power_idle_w %g is above power_max_w %g", s->power_idle_w,
		    s->power_max_w);
	if (!isnan(s->cores) && !isnan(s->threads) && s->threads < s->cores)
		return error_at(ERROR_DATA, path, line, 0,
		    "threads %g is fewer than cores %g", s->threads, s->cores);
	if (!isnan(s->sockets) && !isnan(s->cores) && s->cores < s->sockets)
		return error_at(ERROR_DATA, path, line, 0,
		    "cores %g is fewer than sockets %g", s->cores, s->sockets);
	return 0;
}

/* v as a reader gets it back from table_write_row()'s "%.*f" (no libm:
 * capplan-collect links this) */
static double
as_written(double v, int decimals)
{
	char buf[400];		/* "%.3f" of -DBL_MAX is 314 bytes */

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return strtod(buf, NULL);
}

/* Clear *a and *b, counted in *n, when both are known and a < b. */
static void
fit_order(double *a, double *b, size_t *n)
{
	if (!isnan(*a) && !isnan(*b) && *a < *b) {
		*a = *b = NAN;
		*n += 2;
	}
}

size_t
inventory_fit(struct server_inv *s)
{
	const struct col_spec *c;
	double *v, w;
	size_t i, n = 0;

	for (i = 0; i < sizeof(inventory_cols) / sizeof(inventory_cols[0]);
	    i++) {
		c = &inventory_cols[i];
		if (c->type != COL_NUM && c->type != COL_INT)
			continue;
		v = (double *)(void *)((char *)s + c->offset);
		w = as_written(*v, c->type == COL_INT ? 0 : c->decimals);
		if (isnan(*v) || (w >= c->min && w <= c->max))
			continue;
		*v = NAN;
		n++;
	}
	/* inventory_check()'s order, on the values as written */
	fit_order(&s->threads, &s->cores, &n);
	fit_order(&s->cores, &s->sockets, &n);
	if (!isnan(s->power_idle_w) && !isnan(s->power_max_w) &&
	    as_written(s->power_idle_w, 1) > as_written(s->power_max_w, 1)) {
		s->power_idle_w = s->power_max_w = NAN;
		n += 2;
	}
	return n;
}

const struct table_spec inventory_spec = {
	FORMAT_INVENTORY, inventory_cols,
	sizeof(inventory_cols) / sizeof(inventory_cols[0]),
	sizeof(struct server_inv), 0, inventory_check,
};

int
inventory_load(struct inventory *inv, const char *path,
    struct table_info *info)
{
	return inventory_load_named(inv, path, strcmp(path, "-") == 0 ?
	    "<stdin>" : path, info);
}

int
inventory_load_named(struct inventory *inv, const char *path,
    const char *name, struct table_info *info)
{
	void *rows;
	size_t i;

	memset(inv, 0, sizeof(*inv));
	if (table_read_named(&inventory_spec, path, name, &rows,
	    &inv->nservers, info) == -1)
		return -1;
	inv->servers = rows;
	strmap_init(&inv->index);
	for (i = 0; i < inv->nservers; i++)
		strmap_put(&inv->index, inv->servers[i].host, i, NULL);
	return 0;
}

void
inventory_release(struct inventory *inv)
{
	if (inv == NULL)
		return;
	table_free(&inventory_spec, inv->servers, inv->nservers);
	strmap_release(&inv->index);
	memset(inv, 0, sizeof(*inv));
}

const struct server_inv *
inventory_find(const struct inventory *inv, const char *host)
{
	size_t i;

	if (!strmap_get(&inv->index, host, &i))
		return NULL;
	return &inv->servers[i];
}

int
server_has_tag(const struct server_inv *s, const char *tag)
{
	const char *p = s->tags, *end;
	size_t n = strlen(tag);

	while (*p != '\0') {
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) == n && strncmp(p, tag, n) == 0)
			return 1;
		p = *end != '\0' ? end + 1 : end;
	}
	return 0;
}
