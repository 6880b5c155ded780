/*
 * source.c - the sources table, the flag names and helpers every source
 * shares (number scanning, device lookup by name).
 */
#include <stdlib.h>
#include <string.h>

#include "collector/source.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

const struct source *const sources[] = {
	&source_cpu, &source_load, &source_mem, &source_vm, &source_disk,
	&source_net, &source_psi,
};
const size_t nsources = sizeof(sources) / sizeof(sources[0]);

/* in bit order; add-only, never renamed (capplan-collect(8)) */
static const char *const flag_names[] = {
	"start", "gap", "late", "partial", "suspend", "clock_step",
	"time_unsync", "cpu_hotplug", "dev_change", "counter_reset",
	"psi_na", "meminfo_no_available", "in_container", "read_error",
};

void
flags_format(unsigned flags, struct strbuf *sb)
{
	size_t i;
	bool first = true;

	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!first)
			strbuf_addch(sb, ';');
		strbuf_addstr(sb, flag_names[i]);
		first = false;
	}
}

bool
scan_u64(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0, d;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		d = (uint64_t)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*s = p;
	*v = x;
	return true;
}

const void *
dev_find(const void *arr, size_t n, size_t size, size_t hint,
    const char *name)
{
	const char *base = arr;
	size_t i, k;

	/* device lists keep their order between readings: try hint first */
	for (k = 0; k < n; k++) {
		i = (hint + k) % n;
		if (strcmp(base + i * size, name) == 0)
			return base + i * size;
	}
	return NULL;
}

struct dev_acc *
devs_acc_get(struct devs_acc *da, const char *name)
{
	struct dev_acc *d;
	size_t i;

	for (i = 0; i < da->n; i++)
		if (strcmp(da->dev[i].name, name) == 0)
			return &da->dev[i];
	ALLOC_GROW(da->dev, da->n + 1, da->cap);
	d = &da->dev[da->n++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

void
reading_release(struct reading *r)
{
	if (r == NULL)
		return;
	free(r->cpu.cpu);
	free(r->disk.dev);
	free(r->net.nic);
	memset(r, 0, sizeof(*r));
}

void
accum_release(struct accum *a)
{
	if (a == NULL)
		return;
	free(a->cpu.core);
	free(a->disk.dev);
	free(a->net.dev);
	memset(a, 0, sizeof(*a));
}

void
row_release(struct row *row)
{
	if (row == NULL)
		return;
	free(row->disk);
	free(row->nic);
	memset(row, 0, sizeof(*row));
}
