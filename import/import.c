/*
 * import.c - the importer table and what several importers share.
 *
 * A new source format is a new imp_<name>.c exporting one function with
 * the importer signature, and a row here.  libvirt's importer samples
 * through kvm/kvm.h (kvm/ is the only place that may include libvirt).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "import/import.h"

const struct importer importers[] = {
	{ "sysstat", import_sysstat, true,
	    "saDD files or sadf -d/-j output, plain, gzip or xz" },
	{ "prometheus", import_prometheus, false,
	    "node_exporter metrics from a Prometheus server (--url) or "
	    "saved query_range responses" },
	{ "planetlab", import_planetlab, true,
	    "CloudSim PlanetLab trace folders (CPU % per 5 min)" },
	{ "bitbrains", import_bitbrains, true,
	    "GWA-T-12 Bitbrains per-VM files, with an inventory" },
	{ "libvirt", import_libvirt, false,
	    "live sampling of a libvirt host's guests" },
	{ "collect", import_collect, true,
	    "output folders of capplan-collect agents, merged" },
};

const size_t nimporters = sizeof(importers) / sizeof(importers[0]);

const struct importer *
importer_find(const char *name)
{
	size_t i;

	for (i = 0; i < nimporters; i++)
		if (strcmp(importers[i].name, name) == 0)
			return &importers[i];
	return NULL;
}

char *
import_instance_host(const char *instance)
{
	const char *colon = strrchr(instance, ':');
	size_t n = strlen(instance);

	if (colon != NULL && colon[1] != '\0' &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    (instance[0] == '[' || strchr(instance, ':') == colon))
		n = (size_t)(colon - instance);
	if (instance[0] == '[' && n >= 2 && instance[n - 1] == ']')
		return xstrndup(instance + 1, n - 2);
	return xstrndup(instance, n);
}

bool
import_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
import_basename(const char *path)
{
	size_t n = strlen(path);
	const char *b;

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (b = path + n; b > path && b[-1] != '/'; b--)
		;
	return xstrndup(b, (size_t)(path + n - b));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int
import_list_dir(const char *dir, const char *suffix, char ***paths,
    size_t *npaths)
{
	struct strbuf sb = STRBUF_INIT;
	struct dirent *e;
	size_t cap = 0;
	DIR *d = opendir(dir);

	*paths = NULL;
	*npaths = 0;
	if (d == NULL)
		return error_set_errno(ERROR_IO, "cannot open directory '%s'",
		    dir);
	while ((errno = 0, e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, suffix))
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/",
		    e->d_name);
		if (import_is_dir(sb.buf))
			continue;
		ALLOC_GROW(*paths, *npaths + 1, cap);
		(*paths)[(*npaths)++] = strbuf_detach(&sb);
	}
	strbuf_release(&sb);
	closedir(d);
	array_sort(*paths, *npaths, sizeof(**paths), cmp_str);
	return 0;
}
