/*
 * src_inv.c - the inventory row, from /proc, /sys and /etc under the root.
 *
 * Topology comes from sysfs (distinct physical_package_id for sockets,
 * distinct package/core_id pairs for cores, online CPUs for threads),
 * with /proc/cpuinfo's "physical id" and "core id" as the fallback.  The
 * nominal clock is the "@ 2.40GHz" of the model name when there is one
 * (the current "cpu MHz" moves with frequency scaling), else cpufreq's
 * base or maximum, else "cpu MHz".  The hypervisor is named from
 * /sys/hypervisor, DMI vendor strings or the kvm-clock clock source; a
 * "hypervisor" CPU flag with nothing more says "yes".  Virtual disks
 * report rotational=1 whatever backs them (research §10.17): the value
 * is written as the kernel gives it.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/cmath.h"
#include "collector/source.h"
#include "collector/src_inv.h"
#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/table.h"
#include "common/utf8.h"
#include "common/xalloc.h"

/* The value of "key : value" in text (cpuinfo, os-release), or NULL. */
static char *
text_value(const char *text, const char *key, char sep)
{
	const char *s = text, *v, *e;
	size_t n = strlen(key);

	for (; s != NULL && *s != '\0'; s = strchr(s, '\n'), s = s ? s + 1 : s) {
		if (strncmp(s, key, n) != 0)
			continue;
		v = s + n;
		v += strspn(v, " \t");
		if (*v != sep)
			continue;
		v++;
		v += strspn(v, " \t\"");
		e = v + strcspn(v, "\n");
		while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"'))
			e--;
		return xstrndup(v, (size_t)(e - v));
	}
	return NULL;
}

static char *
line_or_empty(struct probe *p, const char *rel)
{
	const char *s = probe_line(p, "%s", rel);

	return xstrdup(s != NULL ? s : "");
}

bool
cpu_model_masked(const char *model)
{
	static const char *const virt[] = { "qemu", "kvm", "virtual", "bochs" };
	char low[256];
	size_t i, n;

	if (*model == '\0')
		return false;
	for (i = 0; model[i] != '\0' && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)model[i]);
	low[i] = '\0';
	for (i = 0; i < sizeof(virt) / sizeof(virt[0]); i++)
		if (strstr(low, virt[i]) != NULL)
			return true;
	/* a real model has a number: "Gold 6130", "E5-2680 v4", "7763" */
	n = strcspn(low, "@");
	return strcspn(low, "0123456789") >= n;
}

/*
 * Parse a CPU list "0-3,8,10-11" into an array of ids; the kernel writes
 * it in ascending order, ids below NR_CPUS (8,192 at most).  Anything
 * else (an id out of order or over CPU_ID_MAX, a stray character) is not
 * such a list: 0 and no array, so the caller counts the CPUs another
 * way rather than from part of it.  An id of 2^64 - 1 used to wrap the
 * range loop and grow the array until memory ran out (fuzz_proc).
 */
#define CPU_ID_MAX 65535

static size_t
cpu_list(const char *s, unsigned **ids)
{
	uint64_t a, b, next = 0;
	size_t n = 0, cap = 0;

	*ids = NULL;
	while (s != NULL && scan_u64(&s, &a)) {
		b = a;
		if (*s == '-') {
			s++;
			if (!scan_u64(&s, &b))
				break;
		}
		if (a < next || b < a || b > CPU_ID_MAX)
			break;
		for (; a <= b; a++) {
			ALLOC_GROW(*ids, n + 1, cap);
			(*ids)[n++] = (unsigned)a;
		}
		next = b + 1;
		if (*s == '\0')
			return n;
		if (*s++ != ',')
			break;
	}
	free(*ids);
	*ids = NULL;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t
count_distinct(uint64_t *v, size_t n)
{
	size_t i, d = n > 0;

	array_sort(v, n, sizeof(*v), cmp_u64);
	for (i = 1; i < n; i++)
		d += v[i] != v[i - 1];
	return d;
}

/* Sockets and cores from sysfs topology of the online CPUs; false if
 * some CPU has none. */
static bool
topology_sysfs(struct probe *p, const unsigned *ids, size_t n,
    struct server_inv *inv)
{
	uint64_t *pkg = xcalloc(n, sizeof(*pkg)), *core = xcalloc(n,
	    sizeof(*core)), a, b;
	const char *s;
	size_t i;
	bool ok = n > 0;

	for (i = 0; i < n && ok; i++) {
		s = probe_line(p, "sys/devices/system/cpu/cpu%u/topology/"
		    "physical_package_id", ids[i]);
		ok = s != NULL && scan_u64(&s, &a);
		s = ok ? probe_line(p, "sys/devices/system/cpu/cpu%u/topology/"
		    "core_id", ids[i]) : NULL;
		ok = ok && s != NULL && scan_u64(&s, &b);
		pkg[i] = a;
		core[i] = a << 32 | (b & 0xffffffffu);
	}
	if (ok) {
		inv->sockets = (double)count_distinct(pkg, n);
		inv->cores = (double)count_distinct(core, n);
	}
	free(pkg);
	free(core);
	return ok;
}

/* The same from /proc/cpuinfo's "physical id" and "core id" lines. */
static void
topology_cpuinfo(const char *text, struct server_inv *inv)
{
	uint64_t *pkg = NULL, *core = NULL, a = 0, b;
	size_t n = 0, cap = 0, cap2 = 0;
	const char *s;

	for (s = text; s != NULL && *s != '\0'; s = strchr(s, '\n'),
	    s = s ? s + 1 : s) {
		if (strncmp(s, "physical id", 11) == 0 &&
		    (s = strchr(s, ':')) != NULL) {
			s++;
			if (!scan_u64(&s, &a))
				break;
		} else if (strncmp(s, "core id", 7) == 0 &&
		    (s = strchr(s, ':')) != NULL) {
			s++;
			if (!scan_u64(&s, &b))
				break;
			ALLOC_GROW(pkg, n + 1, cap);
			ALLOC_GROW(core, n + 1, cap2);
			pkg[n] = a;
			core[n++] = a << 32 | (b & 0xffffffffu);
		}
	}
	if (n > 0) {
		inv->sockets = (double)count_distinct(pkg, n);
		inv->cores = (double)count_distinct(core, n);
	}
	free(pkg);
	free(core);
}

/* Nominal MHz: "@ 2.40GHz" in the model, cpufreq, else "cpu MHz". */
static double
cpu_mhz(struct probe *p, const char *model, const char *cpuinfo)
{
	static const char *const freq[] = { "base_frequency",
	    "cpuinfo_max_freq" };
	const char *at = strchr(model, '@'), *why, *s;
	char *mhz;
	double v;
	size_t i;

	if (at != NULL && (v = strtod(at + 1, NULL)) > 0.0 &&
	    strstr(at, "GHz") != NULL)
		return cm_round(v * 1000.0);
	for (i = 0; i < 2; i++) {
		s = probe_line(p, "sys/devices/system/cpu/cpu0/cpufreq/%s",
		    freq[i]);
		if (s != NULL && num_parse_double(s, &v, &why) == 0 && v > 0)
			return cm_round(v / 1000.0);
	}
	mhz = text_value(cpuinfo, "cpu MHz", ':');
	v = NAN;
	if (mhz == NULL || num_parse_double(mhz, &v, &why) == -1 || v < 1)
		v = NAN;
	free(mhz);
	return isnan(v) ? v : cm_round(v);
}

/* "processor : N" lines: the logical CPUs when sysfs has no list */
static double
count_processors(const char *text)
{
	const char *s;
	double n = 0;

	for (s = text; s != NULL && *s != '\0'; s = strchr(s, '\n'),
	    s = s ? s + 1 : s)
		if (strncmp(s, "processor", 9) == 0 && (s[9] == ' ' ||
		    s[9] == '\t'))
			n++;
	return n > 0 ? n : NAN;
}

/* "file: not a CPU list ("text"); threads counted from proc/cpuinfo" */
static void
note_cpu_list(struct strbuf *notes, const char *text)
{
	size_t i;

	if (notes == NULL)
		return;
	strbuf_addf(notes, "%ssys/devices/system/cpu/online: not a CPU list "
	    "(\"", notes->len > 0 ? "\n" : "");
	for (i = 0; text[i] != '\0' && i < 40; i++)
		strbuf_addch(notes, isprint((unsigned char)text[i]) ?
		    text[i] : '?');
	strbuf_addstr(notes, i < strlen(text) ? "...\")" : "\")");
	strbuf_addstr(notes, "; threads counted from proc/cpuinfo's "
	    "processors");
}

static void
inv_cpu(struct probe *p, struct server_inv *inv, struct strbuf *notes)
{
	const char *online;
	static const char *const keys[] = { "model name", "Processor", "cpu" };
	struct strbuf text = STRBUF_INIT;
	unsigned *ids;
	size_t i, n;
	char *model = NULL;

	if (probe_read(p, "proc/cpuinfo", &text) == -1)
		strbuf_reset(&text);
	for (i = 0; i < 3 && model == NULL; i++)
		model = text_value(text.buf, keys[i], ':');
	inv->cpu_model = model != NULL ? model : xstrdup("");
	inv->cpu_masked = *inv->cpu_model != '\0' ?
	    cpu_model_masked(inv->cpu_model) : -1;
	online = probe_line(p, "sys/devices/system/cpu/online");
	n = cpu_list(online, &ids);
	if (n > 0) {
		inv->threads = (double)n;
	} else {
		if (online != NULL)
			note_cpu_list(notes, online);
		inv->threads = count_processors(text.buf);
	}
	if (!topology_sysfs(p, ids, n, inv))
		topology_cpuinfo(text.buf, inv);
	inv->cpu_mhz = cpu_mhz(p, inv->cpu_model, text.buf);
	free(ids);
	strbuf_release(&text);
}

static void
inv_mem(struct probe *p, struct server_inv *inv)
{
	struct strbuf text = STRBUF_INIT;
	const char *s, *why;
	char *kib;
	double v;

	if (probe_read(p, "proc/meminfo", &text) == 0 &&
	    (kib = text_value(text.buf, "MemTotal", ':')) != NULL) {
		s = kib;
		kib[strcspn(kib, " ")] = '\0';
		if (num_parse_double(s, &v, &why) == 0 && v >= 1024)
			inv->mem_mib = cm_round(v / 1024.0);
		free(kib);
	}
	strbuf_release(&text);
}

/* A whole physical disk: as src_disk.c decides for the host totals. */
static bool
disk_is_physical(struct probe *p, const char *name)
{
	return strncmp(name, "loop", 4) != 0 && strncmp(name, "ram", 3) != 0 &&
	    strncmp(name, "zram", 4) != 0 && strncmp(name, "dm-", 3) != 0 &&
	    strncmp(name, "md", 2) != 0 &&
	    probe_exists(p, "sys/block/%s/device", name);
}

static void
inv_disks(struct probe *p, struct server_inv *inv)
{
	struct strbuf list = STRBUF_INIT;
	double gib, total = 0.0, sectors;
	const char *s, *why;
	char **names;
	size_t i, n = probe_list(p, "sys/block", &names);
	int count = 0, rot = -1;

	for (i = 0; i < n; i++) {
		if (!disk_is_physical(p, names[i]))
			continue;
		s = probe_line(p, "sys/block/%s/size", names[i]);
		gib = s != NULL && num_parse_double(s, &sectors, &why) == 0 ?
		    sectors * 512.0 / 1073741824.0 : NAN;
		if (!isnan(gib))
			total += gib;
		s = probe_line(p, "sys/block/%s/queue/rotational", names[i]);
		if (s != NULL && (*s == '0' || *s == '1'))
			rot = rot == 1 || *s == '1';
		strbuf_addf(&list, "%s%s:", count > 0 ? ";" : "", names[i]);
		if (!isnan(gib))
			strbuf_addf(&list, "%.1f", gib);
		strbuf_addf(&list, ":%s", s == NULL ? "" : *s == '1' ? "rot" :
		    "ssd");
		count++;
	}
	probe_list_free(names, n);
	inv->disk_count = count;
	inv->disk_gib = count > 0 ? cm_round(total * 10.0) / 10.0 : NAN;
	inv->disk_rotational = count > 0 ? rot : -1;
	inv->disk_list = strbuf_detach(&list);
}

/* file systems whose space is the server's own disk: what a guest
 * replacing it must bring (network, memory and pseudo file systems,
 * images such as squashfs and ISO, and overlays of another are not) */
static bool
fs_on_disk(const char *dev, const char *type)
{
	static const char *const types[] = { "ext2", "ext3", "ext4", "xfs",
	    "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "nilfs2", "bcachefs",
	    "vfat", "exfat", "ntfs", "ntfs3", "hfsplus", "ufs" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return strcmp(type, "zfs") == 0 ||
			    (strncmp(dev, "/dev/", 5) == 0 &&
			    strncmp(dev, "/dev/loop", 9) != 0);
	return false;
}

/*
 * disk_used_gib: the used space of every disk file system mounted, each
 * device once (bind mounts and btrfs subvolumes show it again).  One it
 * cannot measure makes the whole unknown: a part would be a total too
 * small, which storage sizing would take as the truth.
 */
static void
inv_fs_used(struct probe *p, struct server_inv *inv)
{
	struct strbuf text = STRBUF_INIT;
	struct strmap seen;
	char *line, *next, *dev, *mnt, *type, *save;
	double used, total = 0;
	int n = 0;

	if (probe_read(p, "proc/self/mounts", &text) == -1) {
		error_clear();
		strbuf_release(&text);
		return;
	}
	strmap_init(&seen);
	for (line = text.buf; line != NULL && !isnan(total); line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		dev = strtok_r(line, " ", &save);
		mnt = dev != NULL ? strtok_r(NULL, " ", &save) : NULL;
		type = mnt != NULL ? strtok_r(NULL, " ", &save) : NULL;
		if (type == NULL || !fs_on_disk(dev, type) ||
		    !strmap_put(&seen, dev, 1, NULL))
			continue;
		total = probe_fs_used(p, mnt, &used) == 0 ? total + used : NAN;
		n++;
	}
	strmap_release(&seen);
	strbuf_release(&text);
	if (n > 0 && !isnan(total))
		inv->disk_used_gib = cm_round(total / 1073741824.0 * 10.0) /
		    10.0;
}

static void
inv_nics(struct probe *p, struct server_inv *inv)
{
	struct strbuf list = STRBUF_INIT;
	const char *s, *why;
	char **names;
	size_t i, n = probe_list(p, "sys/class/net", &names);
	double sum = 0.0;
	long mbps;
	int count = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "lo") == 0 ||
		    !probe_exists(p, "sys/class/net/%s/device", names[i]))
			continue;
		s = probe_line(p, "sys/class/net/%s/speed", names[i]);
		if (s == NULL || num_parse_long_range(s, 1, 100000000, &mbps,
		    &why) == -1)
			mbps = 0;
		sum += (double)mbps;
		strbuf_addf(&list, "%s%s:", count > 0 ? ";" : "", names[i]);
		if (mbps > 0)
			strbuf_addf(&list, "%ld", mbps);
		count++;
	}
	probe_list_free(names, n);
	inv->nics = count;
	inv->nic_mbps = count > 0 && sum > 0 ? sum : NAN;
	inv->nic_list = strbuf_detach(&list);
}

static void
inv_os(struct probe *p, struct server_inv *inv)
{
	struct strbuf text = STRBUF_INIT;
	char *name = NULL;

	if (probe_read(p, "etc/os-release", &text) == 0 ||
	    probe_read(p, "usr/lib/os-release", &text) == 0) {
		name = text_value(text.buf, "PRETTY_NAME", '=');
		if (name == NULL)
			name = text_value(text.buf, "NAME", '=');
	}
	inv->os = name != NULL ? name : xstrdup("");
	inv->kernel = line_or_empty(p, "proc/sys/kernel/osrelease");
	inv->arch = line_or_empty(p, "proc/sys/kernel/arch");
	strbuf_release(&text);
}

struct virt_hint {
	const char *file;	/* under sys/ */
	const char *match;	/* a substring of its first line */
	const char *name;	/* the hypervisor */
};

/* first match wins: the hypervisor's own word before DMI strings a
 * cloud may dress up (an EC2 Nitro guest says "Amazon EC2") */
static const struct virt_hint virt_hints[] = {
	{ "hypervisor/type", "xen", "xen" },
	{ "devices/system/clocksource/clocksource0/available_clocksource",
	    "kvm-clock", "kvm" },
	{ "devices/system/clocksource/clocksource0/available_clocksource",
	    "hyperv", "hyperv" },
	{ "class/dmi/id/sys_vendor", "QEMU", "qemu" },
	{ "class/dmi/id/product_name", "KVM", "kvm" },
	{ "class/dmi/id/sys_vendor", "VMware", "vmware" },
	{ "class/dmi/id/sys_vendor", "innotek", "virtualbox" },
	{ "class/dmi/id/product_name", "VirtualBox", "virtualbox" },
	{ "class/dmi/id/product_name", "Virtual Machine", "hyperv" },
	{ "class/dmi/id/sys_vendor", "Xen", "xen" },
	{ "class/dmi/id/sys_vendor", "Amazon EC2", "kvm" },
	{ "class/dmi/id/product_name", "Google Compute Engine", "kvm" },
	{ "class/dmi/id/product_name", "OpenStack", "kvm" },
	{ "class/dmi/id/sys_vendor", "Parallels", "parallels" },
	{ "class/dmi/id/sys_vendor", "BHYVE", "bhyve" },
};

static char *
inv_virtual(struct probe *p)
{
	struct strbuf text = STRBUF_INIT;
	const char *s;
	char *flags;
	size_t i;
	bool hv;

	for (i = 0; i < sizeof(virt_hints) / sizeof(virt_hints[0]); i++) {
		s = probe_line(p, "sys/%s", virt_hints[i].file);
		if (s != NULL && strstr(s, virt_hints[i].match) != NULL)
			return xstrdup(virt_hints[i].name);
	}
	if (probe_read(p, "proc/cpuinfo", &text) == -1)
		strbuf_reset(&text);
	flags = text_value(text.buf, "flags", ':');
	hv = flags != NULL && (strstr(flags, " hypervisor ") != NULL ||
	    strncmp(flags, "hypervisor ", 11) == 0);
	free(flags);
	strbuf_release(&text);
	return xstrdup(hv ? "yes" : "no");
}

static char *
inv_container(struct probe *p)
{
	const char *s;

	if (probe_exists(p, ".dockerenv"))
		return xstrdup("docker");
	if (probe_exists(p, "run/.containerenv"))
		return xstrdup("podman");
	s = probe_line(p, "run/systemd/container");
	return xstrdup(s != NULL && *s != '\0' ? s : "no");
}

struct server_inv *
inv_collect(struct probe *p, struct strbuf *notes)
{
	struct server_inv *inv = xcalloc(1, sizeof(*inv));
	const char *host = probe_line(p, "proc/sys/kernel/hostname");

	inv->host = xstrdup(host != NULL && *host != '\0' ? host : "localhost");
	inv->sockets = inv->cores = inv->threads = inv->cpu_mhz = NAN;
	inv->cpu_rating = inv->mem_mib = inv->disk_gib = NAN;
	inv->disk_used_gib = NAN;
	inv->disk_count = inv->nics = inv->nic_mbps = NAN;
	inv->power_idle_w = inv->power_max_w = inv->rack_units = NAN;
	inv->age_years = NAN;
	inv->group = xstrdup("");
	inv->tags = xstrdup("");
	inv_cpu(p, inv, notes);
	inv_mem(p, inv);
	inv_disks(p, inv);
	inv_fs_used(p, inv);
	inv_nics(p, inv);
	inv_os(p, inv);
	inv->virtual = inv_virtual(p);
	inv->container = inv_container(p);
	/* what a reader would refuse (a MemTotal of 5e50 kB) is unknown */
	inventory_fit(inv);
	return inv;
}

int
inv_check_text(const struct server_inv *inv)
{
	const struct { const char *text, *from; } t[] = {
		{ inv->host, "proc/sys/kernel/hostname" },
		{ inv->cpu_model, "proc/cpuinfo" },
		{ inv->os, "etc/os-release" },
		{ inv->kernel, "proc/sys/kernel/osrelease" },
		{ inv->disk_list, "sys/block" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].text != NULL && utf8_check(t[i].text, NULL, t[i].from,
		    0, 0) == -1)
			return -1;
	return 0;
}

void
inv_free(struct server_inv *inv)
{
	if (inv != NULL)
		table_free(&inventory_spec, inv, 1);
}
