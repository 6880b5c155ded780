/*
 * provision.c - libvirt domain XML, a virt-install script and an Ansible
 * inventory from a plan.
 *
 * Each guest becomes a domain of its sized vCPUs and memory (MiB rounded
 * up), a virtio disk image <disk_dir>/<name>.qcow2 (the converted
 * server's disk, by P2V tools such as virt-p2v; see disk_name() for
 * names that are not plain), a virtio NIC on the
 * host bridge and a serial console; its description says which host of
 * the plan it is for and why.  The UUID is derived from the name, so a
 * plan provisioned twice gives the same files.  The script creates the
 * same guests with virt-install on each planned host (its libvirt URI
 * from a template), one host at a time or all of them, and can print the
 * commands instead (DRY_RUN=1).  The inventory lists the planned hosts
 * (group capplan_hosts, spares in capplan_spares) and one group of guests
 * per host.  When the plan sized storage, a new disk image gets the
 * guest's planned GiB (rounded up) and the inventory says it as
 * capplan_storage_gib.  Escaping rules are in provision.h.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "planner/domxml.h"
#include "planner/provision.h"

#define NAME_MAX_BYTES 200

void
provision_options_init(struct provision_options *o)
{
	o->dir = "provision";
	o->bridge = "br0";
	o->disk_dir = "/var/lib/libvirt/images";
	o->uri = "qemu+ssh://root@%s/system";
	o->domain_type = "kvm";
}

/* ------------------------------------------------------------ names */

bool
provision_name_ok(const char *name, const char **why)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n;

	if (*s == '\0')
		return *why = "it is empty", false;
	if (strlen(name) > NAME_MAX_BYTES)
		return *why = "it is longer than 200 bytes", false;
	if (*s == '.' || *s == '-')
		return *why = "it starts with '.' or '-'", false;
	for (; *s != '\0'; s += n) {
		if ((n = utf8_len((const char *)s)) == 0)
			return *why = "it is not valid UTF-8", false;
		if (*s < 0x20 || *s == 0x7f)
			return *why = "it has a control character", false;
		if (*s == '/')
			return *why = "it has a '/'", false;
	}
	return true;
}

/* a name for messages: control characters and bad bytes as \xNN */
static void
shown(struct strbuf *sb, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '\'' || *s == '\\')
			strbuf_addf(sb, "\\x%02x", *s);
		else
			strbuf_addch(sb, *s);
}

static int
check_names(const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	const char *why, *what = NULL, *name = NULL;
	size_t i;

	for (i = 0; i < p->nhosts && name == NULL; i++)
		if (!provision_name_ok(p->hosts[i].name, &why)) {
			what = "host";
			name = p->hosts[i].name;
		}
	for (i = 0; i < p->nguests && name == NULL; i++)
		if (!provision_name_ok(p->guests[i].name, &why)) {
			what = "guest";
			name = p->guests[i].name;
		}
	if (name == NULL)
		return 0;
	strbuf_init(&sb);
	shown(&sb, name);
	error_set(ERROR_DATA, "%s name '%s' is refused: %s (a libvirt domain, "
	    "file, shell and inventory name must be 1 to 200 bytes of UTF-8 "
	    "without control characters or '/', not starting with '.' or "
	    "'-')", what, sb.buf, why);
	strbuf_release(&sb);
	return -1;
}

/*
 * Every guest must have the memory and vCPUs the plan sized: a guest with
 * none (an older plan of a server whose memory was never measured) is
 * refused, never given a size the plan does not state.
 */
static int
check_sizes(const struct plan *p)
{
	const struct plan_guest *g;
	size_t i;

	for (i = 0; i < p->nguests; i++) {
		g = &p->guests[i];
		if (!(isfinite(g->mem_mib) && g->mem_mib > 0))
			return error_set(ERROR_DATA, "guest '%s' has no memory "
			    "size in the plan (mem_mib %g): plan it again with "
			    "its memory measured, its installed memory in the "
			    "inventory, or [sizing] assumed_mem_mib", g->name,
			    g->mem_mib);
		if (!(isfinite(g->vcpus) && g->vcpus >= 1))
			return error_set(ERROR_DATA, "guest '%s' has no vCPU "
			    "count in the plan", g->name);
	}
	return 0;
}

/* ------------------------------------------------------------ escaping */

/* one shell word in single quotes */
static void
sh_add(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (; *s != '\0'; s++)
		if (*s == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	strbuf_addch(sb, '\'');
}

/*
 * A host name as it goes into a libvirt URI: every byte but RFC 3986's
 * unreserved characters percent-encoded, which libvirt's URI parser
 * decodes again.  Written as it was, a pin host named
 * "h?no_verify=1&command=logargs&x=" ended the host part and made
 * libvirt run the local program logargs and skip the host key check.
 */
static void
uri_host_add(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			strbuf_addch(sb, (char)*p);
		else
			strbuf_addf(sb, "%%%02X", *p);
}

/* a value inside virt-install's option syntax: double quotes, which its
 * shlex splitting honours, with '\' and '"' escaped */
static void
vi_add(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

/* a double-quoted YAML scalar */
static void
yaml_add(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n;

	strbuf_addch(sb, '"');
	for (; *p != '\0'; p += n) {
		n = utf8_len((const char *)p);
		if (n == 0) {
			strbuf_addstr(sb, "\\uFFFD");
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		} else if (*p < 0x20 || *p == 0x7f) {
			strbuf_addf(sb, "\\x%02x", *p);
		} else {
			strbuf_add(sb, p, n);
		}
	}
	strbuf_addch(sb, '"');
}

/*
 * A value that comes from data (a server's, model's or host's name, a
 * reason): Ansible templates inventory variables when a play uses them,
 * so a host name "{{ lookup('pipe', ...) }}" would run a command on the
 * controller.  The !unsafe tag is Ansible's own mark for a value never
 * to be templated; YAML readers other than Ansible's need to accept it.
 */
static void
yaml_data_add(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "!unsafe ");
	yaml_add(sb, s);
}

/* ------------------------------------------------------------ domains */

static uint64_t
fnv1a(const char *s, uint64_t h)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* a UUID (version 4 layout) derived from the name */
static void
name_uuid(const char *name, char *buf, size_t len)
{
	uint64_t a = fnv1a(name, 0xcbf29ce484222325ULL);
	uint64_t b = fnv1a(name, 0x84222325cbf29ce4ULL ^ a);

	a = (a & ~0xf000ULL) | 0x4000ULL;
	b = (b & ~(3ULL << 62)) | (2ULL << 62);
	snprintf(buf, len, "%08x-%04x-%04x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	    (unsigned)a & 0xffff, (unsigned)(b >> 48),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

/*
 * The disk image's file name: the guest's name when it is letters,
 * digits, '.', '_' and '-' only, else those kept, the rest '_', and a
 * hash of the name appended (libvirt's storage pools refuse volume names
 * with spaces and the like, and two names must not share an image).
 */
static void
disk_name(struct strbuf *sb, const char *name)
{
	const char *c;
	bool plain = true;

	for (c = name; *c != '\0'; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
		    *c == '-') {
			strbuf_addch(sb, *c);
		} else {
			strbuf_addch(sb, '_');
			plain = false;
		}
	}
	if (!plain)
		strbuf_addf(sb, "-%08x", (unsigned)(fnv1a(name,
		    0xcbf29ce484222325ULL) & 0xffffffffu));
	strbuf_addstr(sb, ".qcow2");
}

/*
 * The libvirt domain name: the guest's name, except that virt-install
 * refuses spaces in names (libvirt does not), so a name with spaces gets
 * '_' for them and a hash of the name appended.  The name itself stays
 * in the domain's title and the inventory's capplan_name.
 */
static void
domain_name(struct strbuf *sb, const char *name)
{
	const char *c;

	if (strchr(name, ' ') == NULL) {
		strbuf_addstr(sb, name);
		return;
	}
	for (c = name; *c != '\0'; c++)
		strbuf_addch(sb, *c == ' ' ? '_' : *c);
	strbuf_addf(sb, "-%08x", (unsigned)(fnv1a(name,
	    0xcbf29ce484222325ULL) & 0xffffffffu));
}

/* the guest's memory from the plan: check_sizes() saw it is there */
static long
mem_of(const struct plan_guest *g)
{
	return (long)ceil(g->mem_mib);
}

static long
vcpus_of(const struct plan_guest *g)
{
	return (long)ceil(g->vcpus);
}

void
provision_domain_init(struct provision_domain *pd, const struct plan *p,
    const struct plan_guest *g, const struct provision_options *o)
{
	const struct plan_host *h = plan_guest_host(p, g);
	struct domxml *x = &pd->xml;

	strbuf_init(&pd->name);
	strbuf_init(&pd->desc);
	strbuf_init(&pd->disk);
	domxml_init(x);
	name_uuid(g->name, pd->uuid, sizeof(pd->uuid));
	domain_name(&pd->name, g->name);
	strbuf_addf(&pd->desc, "capplan plan: for host %s (%s); %s", h->name,
	    h->model, g->why != NULL ? g->why : "");
	strbuf_addf(&pd->disk, "%s/", o->disk_dir);
	disk_name(&pd->disk, g->name);
	x->comment = "written by capplan provision from a plan; validate "
	    "with virt-xml-validate";
	x->type = o->domain_type;
	x->name = pd->name.buf;
	x->uuid = pd->uuid;
	x->title = g->name;
	x->description = pd->desc.buf;
	x->mem_mib = (unsigned long)mem_of(g);
	x->vcpus = (unsigned)vcpus_of(g);
	x->disk = pd->disk.buf;
	x->disk_format = "qcow2";
	x->bridge = o->bridge;
	x->serial = DOMXML_SERIAL_PTY;
	x->balloon = true;
	x->restart_on_reboot = true;
}

void
provision_domain_release(struct provision_domain *pd)
{
	strbuf_release(&pd->name);
	strbuf_release(&pd->desc);
	strbuf_release(&pd->disk);
}

static int
write_file(const char *path, const struct strbuf *sb, mode_t mode)
{
	if (ofile_write_all(path, sb->buf, sb->len) == -1)
		return -1;
	if (mode != 0 && chmod(path, mode) == -1)
		return error_set_errno(ERROR_IO, "cannot chmod '%s'", path);
	return 0;
}

static int
mkdir_p(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	int ret = 0;

	strbuf_init(&sb);
	strbuf_addstr(&sb, dir);
	for (p = sb.buf + 1; ret == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		*p = '\0';
		if (mkdir(sb.buf, 0777) == -1 && errno != EEXIST)
			ret = error_set_errno(ERROR_IO, "cannot create '%s'",
			    sb.buf);
		if (p == sb.buf + sb.len)
			break;
		*p = '/';
	}
	strbuf_release(&sb);
	return ret;
}

static int
write_domains(const struct plan *p, const struct provision_options *o)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	struct provision_domain pd;
	size_t i;
	int ret = 0;

	strbuf_init(&sb);
	strbuf_init(&path);
	strbuf_addf(&path, "%s/domains", o->dir);
	if (mkdir_p(path.buf) == -1)
		ret = -1;
	for (i = 0; i < p->nguests && ret == 0; i++) {
		strbuf_reset(&sb);
		strbuf_reset(&path);
		provision_domain_init(&pd, p, &p->guests[i], o);
		domxml_add(&sb, &pd.xml);
		provision_domain_release(&pd);
		strbuf_addf(&path, "%s/domains/%s.xml", o->dir,
		    p->guests[i].name);
		ret = write_file(path.buf, &sb, 0);
	}
	strbuf_release(&sb);
	strbuf_release(&path);
	return ret;
}

/* ------------------------------------------------------------ script */

static const char script_head[] =
"#!/bin/bash\n"
"# install.sh - create the guests of a capplan plan with virt-install.\n"
"#\n"
"# Written by capplan provision; the domain XML of every guest is in\n"
"# domains/ as well.  Each guest is created on its planned host from its\n"
"# converted disk image (virt-p2v or similar), or with a new empty disk\n"
"# of the planned size (or DISK_GIB when the plan has none) when the\n"
"# image is not there.  Settings (environment):\n"
"#   URI       the libvirt URI of a host, %s standing for its name\n"
"#             (percent-encoded, as a URI needs it)\n"
"#   DISK_GIB  size of a new disk image, GiB, for a guest the plan gave\n"
"#             no storage size (default 20)\n"
"#   DRY_RUN   1 prints the commands instead of running them\n"
"#   VIRT_TYPE, ARCH  the guests' domain type and architecture\n"
"#   usage: ./install.sh [host ...]    (default: every host)\n"
"set -eu\n"
"DISK_GIB=${DISK_GIB:-20}\n"
"DRY_RUN=${DRY_RUN:-0}\n"
"ARCH=${ARCH:-x86_64}\n";

static const char script_fn[] =
"\n"
"want() {\t# is host $1 among the hosts asked for?\n"
"\t[ \"${#hosts[@]}\" -eq 0 ] && return 0\n"
"\tlocal h\n"
"\tfor h in \"${hosts[@]}\"; do [ \"$h\" = \"$1\" ] && return 0; done\n"
"\treturn 1\n"
"}\n"
"\n"
"guest() {\t# host, host as in a URI, then virt-install's arguments\n"
"\tlocal host=$1 uri\n"
"\twant \"$host\" || return 0\n"
"\turi=${URI//%s/\"$2\"}\n"
"\tshift 2\n"
"\tif [ \"$DRY_RUN\" = 1 ]; then\n"
"\t\tprintf '%q ' virt-install \"--connect=$uri\" \"$@\"\n"
"\t\tprintf '\\n'\n"
"\telse\n"
"\t\tvirt-install \"--connect=$uri\" \"$@\"\n"
"\tfi\n"
"}\n"
"\n"
"hosts=(\"$@\")\n";

static void
script_guest(struct strbuf *sb, const struct plan *p,
    const struct plan_guest *g, const struct provision_options *o)
{
	const struct plan_host *h = plan_guest_host(p, g);
	struct strbuf v = STRBUF_INIT, path = STRBUF_INIT;

	strbuf_init(&v);
	strbuf_init(&path);
	strbuf_addstr(sb, "guest ");
	sh_add(sb, h->name);
	strbuf_addch(sb, ' ');
	uri_host_add(&v, h->name);
	sh_add(sb, v.buf);
	strbuf_reset(&v);
	strbuf_addstr(sb, " \\\n\t");
	strbuf_addstr(&v, "--name=");
	domain_name(&v, g->name);
	sh_add(sb, v.buf);
	strbuf_addf(sb, " --memory=%ld --vcpus=%ld \\\n\t", mem_of(g),
	    vcpus_of(g));
	strbuf_reset(&v);
	strbuf_addf(&path, "%s/", o->disk_dir);
	disk_name(&path, g->name);
	strbuf_addstr(&v, "--disk=path=");
	vi_add(&v, path.buf);
	strbuf_addstr(&v, ",size=");
	sh_add(sb, v.buf);
	if (isfinite(g->storage_gib))
		strbuf_addf(sb, "'%ld,format=qcow2,bus=virtio' \\\n\t",
		    (long)fmax(1, ceil(g->storage_gib)));
	else
		strbuf_addstr(sb, "\"$DISK_GIB\"',format=qcow2,bus=virtio' "
		    "\\\n\t");
	strbuf_reset(&v);
	strbuf_addstr(&v, "--network=bridge=");
	vi_add(&v, o->bridge);
	strbuf_addstr(&v, ",model=virtio");
	sh_add(sb, v.buf);
	strbuf_addstr(sb, " --import --osinfo=detect=on,require=off \\\n\t"
	    "--virt-type=\"$VIRT_TYPE\" --arch=\"$ARCH\" --graphics=none "
	    "--noautoconsole\n");
	strbuf_release(&v);
	strbuf_release(&path);
}

static int
write_script(const struct plan *p, const struct provision_options *o)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	size_t i, k;
	int ret;

	strbuf_init(&sb);
	strbuf_init(&path);
	strbuf_addstr(&sb, script_head);
	strbuf_addstr(&sb, "URI=${URI:-");
	sh_add(&sb, o->uri);
	strbuf_addstr(&sb, "}\nVIRT_TYPE=${VIRT_TYPE:-");
	sh_add(&sb, o->domain_type);
	strbuf_addstr(&sb, "}\n");
	strbuf_addstr(&sb, script_fn);
	for (i = 0; i < p->nhosts; i++) {
		if (p->hosts[i].nguests == 0)
			continue;
		/* a name holds no newline (provision_name_ok()): a comment
		 * cannot end early */
		strbuf_addf(&sb, "\n# %s: %zu guests\n", p->hosts[i].name,
		    p->hosts[i].nguests);
		for (k = 0; k < p->hosts[i].nguests; k++)
			script_guest(&sb, p, &p->guests[p->hosts[i].guests[k]],
			    o);
	}
	strbuf_addf(&path, "%s/install.sh", o->dir);
	ret = write_file(path.buf, &sb, 0755);
	strbuf_release(&sb);
	strbuf_release(&path);
	return ret;
}

/* ------------------------------------------------------------ inventory */

static bool
ansible_safe(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9')))
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == '-'))
			return false;
	return true;
}

/* the inventory key of a name: itself if safe, else prefix-N */
static void
inv_key(struct strbuf *sb, const char *name, const char *prefix, size_t n)
{
	if (ansible_safe(name))
		yaml_add(sb, name);
	else
		strbuf_addf(sb, "\"%s-%zu\"", prefix, n);
}

static void
inv_hosts(struct strbuf *sb, const struct plan *p, bool spare)
{
	const struct plan_host *h;
	size_t i;

	strbuf_addf(sb, "    %s:\n      hosts:\n", spare ? "capplan_spares" :
	    "capplan_hosts");
	for (i = 0; i < p->nhosts; i++) {
		h = &p->hosts[i];
		if (h->spare != spare)
			continue;
		strbuf_addstr(sb, "        ");
		inv_key(sb, h->name, "host", i + 1);
		strbuf_addstr(sb, ":\n          capplan_name: ");
		yaml_data_add(sb, h->name);
		strbuf_addstr(sb, "\n          capplan_model: ");
		yaml_data_add(sb, h->model);
		strbuf_addf(sb, "\n          capplan_guests: %zu\n", h->nguests);
	}
}

static void
inv_guests(struct strbuf *sb, const struct plan *p, size_t hi)
{
	const struct plan_host *h = &p->hosts[hi];
	const struct plan_guest *g;
	struct strbuf dom = STRBUF_INIT;
	const char *c;
	size_t k;

	strbuf_init(&dom);
	/* group names: letters, digits and '_' only; the index keeps them
	 * apart when two host names map to the same letters */
	strbuf_addstr(sb, "    guests_");
	for (c = h->name; *c != '\0'; c++)
		strbuf_addch(sb, (*c >= 'a' && *c <= 'z') || (*c >= 'A' &&
		    *c <= 'Z') || (*c >= '0' && *c <= '9') ? *c : '_');
	strbuf_addf(sb, "_%zu:\n      vars:\n        capplan_host: ", hi + 1);
	yaml_data_add(sb, h->name);
	strbuf_addstr(sb, "\n      hosts:\n");
	for (k = 0; k < h->nguests; k++) {
		g = &p->guests[h->guests[k]];
		strbuf_addstr(sb, "        ");
		inv_key(sb, g->name, "guest", h->guests[k] + 1);
		strbuf_addstr(sb, ":\n          capplan_name: ");
		yaml_data_add(sb, g->name);
		strbuf_addstr(sb, "\n          capplan_domain: ");
		strbuf_reset(&dom);
		domain_name(&dom, g->name);
		yaml_data_add(sb, dom.buf);
		strbuf_addf(sb, "\n          capplan_vcpus: %ld\n"
		    "          capplan_mem_mib: %ld\n          capplan_why: ",
		    vcpus_of(g), mem_of(g));
		yaml_data_add(sb, g->why);
		if (isfinite(g->storage_gib))
			strbuf_addf(sb, "\n          capplan_storage_gib: %ld",
			    (long)fmax(1, ceil(g->storage_gib)));
		strbuf_addch(sb, '\n');
	}
	strbuf_release(&dom);
}

static int
write_inventory(const struct plan *p, const struct provision_options *o,
    struct provision_stats *st)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	size_t i;
	int ret;

	strbuf_init(&sb);
	strbuf_init(&path);
	strbuf_addstr(&sb, "# inventory.yml - the hosts of a capplan plan and "
	    "their guests, for Ansible.\n# Written by capplan provision: "
	    "capplan_hosts are the planned hosts,\n# capplan_spares the N+1 "
	    "spares, and guests_<host>_<n> the guests of each host.\n"
	    "all:\n  children:\n");
	inv_hosts(&sb, p, false);
	inv_hosts(&sb, p, true);
	for (i = 0; i < p->nhosts; i++)
		if (p->hosts[i].nguests > 0)
			inv_guests(&sb, p, i);
	strbuf_addf(&path, "%s/inventory.yml", o->dir);
	ret = write_file(path.buf, &sb, 0);
	st->hosts = p->nhosts;
	strbuf_release(&sb);
	strbuf_release(&path);
	return ret;
}

int
provision_write(const struct plan *p, const struct provision_options *o,
    struct provision_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (check_names(p) == -1 || check_sizes(p) == -1)
		return -1;
	if (mkdir_p(o->dir) == -1 || write_domains(p, o) == -1 ||
	    write_script(p, o) == -1 || write_inventory(p, o, st) == -1)
		return -1;
	st->domains = p->nguests;
	return 0;
}
