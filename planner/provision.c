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
	o->min_mem_mib = PROVISION_MIN_MEM_MIB;
	o->map = NULL;
	o->inv = NULL;
	o->nets = NULL;
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

/* the guest's memory from the plan (check_sizes() saw it is there),
 * raised to the floor o->min_mem_mib */
static long
mem_of(const struct plan_guest *g, const struct provision_options *o)
{
	long mib = (long)ceil(g->mem_mib);

	return mib < o->min_mem_mib ? o->min_mem_mib : mib;
}

static long
vcpus_of(const struct plan_guest *g)
{
	return (long)ceil(g->vcpus);
}

/* the guest's NIC: the inventory's network columns, else -b's bridge */
static void
provision_net_set(struct domxml *x, const struct plan_guest *g,
    const struct provision_options *o)
{
	const struct guestnet *n = guestnets_find(o->nets, g->name);

	x->bridge = o->bridge;
	if (n == NULL)
		return;
	if (n->network[0] != '\0') {
		x->bridge = NULL;
		x->network = n->network;
	} else if (n->bridge[0] != '\0') {
		x->bridge = n->bridge;
	}
	x->mac = n->mac[0] != '\0' ? n->mac : NULL;
	x->vlan = isfinite(n->vlan) ? (unsigned)n->vlan : 0;
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
	x->mem_mib = (unsigned long)mem_of(g, o);
	x->vcpus = (unsigned)vcpus_of(g);
	x->disk = pd->disk.buf;
	x->disk_format = "qcow2";
	provision_net_set(x, g, o);
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
"# converted disk image (virt-p2v or similar), which must be a volume of a\n"
"# libvirt storage pool there; a missing image is an error unless\n"
"# --empty-disks gives the guest a new empty disk of its planned size.\n"
"# It can be run again: a guest that exists already is skipped, and\n"
"# said so; --force recreates it (virsh destroy and undefine, then\n"
"# virt-install; the disk image is kept).  A plan made\n"
"# with waves has one stage per wave; --wave N runs that stage only.\n"
"# Settings (environment):\n"
"#   URI       the libvirt URI of a host, %s standing for its name\n"
"#             (percent-encoded, as a URI needs it); a host of the\n"
"#             host-mapping file may have its own\n"
"#   DISK_GIB  size of a new empty disk when the inventory gives none,\n"
"#             GiB (default 20)\n"
"#   DRY_RUN   1 prints every command, the checks too, and runs none\n"
"#             (taking every guest as missing, and every image as there\n"
"#             unless --empty-disks)\n"
"#   VIRT_TYPE, ARCH  the guests' domain type and architecture\n"
"#   usage: ./install.sh [--empty-disks] [--force] [--wave N]... [host ...]\n"
"#          (default: every wave and every host; a host by its plan name\n"
"#          or its real name)\n"
"set -eu\n"
"DISK_GIB=${DISK_GIB:-20}\n"
"DRY_RUN=${DRY_RUN:-0}\n"
"ARCH=${ARCH:-x86_64}\n";

static const char script_fn[] =
"\n"
"usage() {\n"
"\techo 'usage: install.sh [--empty-disks] [--force] [--wave N]... "
"[host ...]' >&2\n"
"\texit 2\n"
"}\n"
"\n"
"force=0 empty=0 waves=() made=0 skipped=0 failed=0\n"
"while [ $# -gt 0 ]; do\n"
"\tcase $1 in\n"
"\t--force) force=1 ;;\n"
"\t--empty-disks) empty=1 ;;\n"
"\t--wave) [ $# -ge 2 ] || usage; waves+=(\"$2\"); shift ;;\n"
"\t--) shift; break ;;\n"
"\t-*) usage ;;\n"
"\t*) break ;;\n"
"\tesac\n"
"\tshift\n"
"done\n"
"hosts=(\"$@\")\n"
"for h in \"${hosts[@]}\"; do\n"
"\tk=0\n"
"\tfor p in \"${plan_hosts[@]}\"; do [ \"$p\" = \"$h\" ] && k=1; done\n"
"\tif [ $k = 0 ]; then\n"
"\t\tmsg=\"install.sh: '%s' is not a host of the plan; its hosts: %s\"\n"
"\t\tprintf \"$msg\\n\" \"$h\" \"${plan_hosts[*]}\" >&2\n"
"\t\texit 2\n"
"\tfi\n"
"done\n"
"for w in \"${waves[@]}\"; do\n"
"\tif ! [[ $w =~ ^[1-9][0-9]*$ ]] || [ \"$w\" -gt \"$nwaves\" ]; then\n"
"\t\tprintf \"install.sh: no wave '%s': the plan has %s\\n\" \"$w\" \\\n"
"\t\t    \"$nwaves\" >&2\n"
"\t\texit 2\n"
"\tfi\n"
"done\n"
"\n"
"want() {\t# plan host, real host, wave: asked for?\n"
"\tlocal h w k=0\n"
"\t[ \"${#hosts[@]}\" -eq 0 ] && k=1\n"
"\tfor h in \"${hosts[@]}\"; do\n"
"\t\t[ \"$h\" = \"$1\" ] || [ \"$h\" = \"$2\" ] && k=1\n"
"\tdone\n"
"\t[ $k = 1 ] || return 1\n"
"\t[ \"${#waves[@]}\" -eq 0 ] && return 0\n"
"\tfor w in \"${waves[@]}\"; do [ \"$w\" = \"$3\" ] && return 0; done\n"
"\treturn 1\n"
"}\n"
"\n"
"say() {\t# a command, quoted to be pasted back\n"
"\tprintf '%q ' \"$@\"\n"
"\tprintf '\\n'\n"
"}\n"
"\n"
"probe() {\t# DEFAULT command: does it succeed? (dry run: DEFAULT)\n"
"\tlocal d=$1\n"
"\tshift\n"
"\tif [ \"$DRY_RUN\" = 1 ]; then say \"$@\"; return \"$d\"; fi\n"
"\t\"$@\" >/dev/null 2>&1\n"
"}\n"
"\n"
"run() {\n"
"\tif [ \"$DRY_RUN\" = 1 ]; then say \"$@\"; return 0; fi\n"
"\t\"$@\"\n"
"}\n"
"\n"
"# wave, plan host, real host, its own URI or '', the host as in a URI,\n"
"# domain, image path, the path for --disk, new disk GiB; then\n"
"# virt-install's other arguments\n"
"guest() {\n"
"\tlocal wave=$1 host=$2 real=$3 uri=$4 name=$6 disk=$7 d msg\n"
"\tlocal gib=$9\n"
"\twant \"$host\" \"$real\" \"$wave\" || return 0\n"
"\t[ -n \"$uri\" ] || uri=${URI//%s/\"$5\"}\n"
"\td=\"--disk=path=$8,format=qcow2,bus=virtio\"\n"
"\tshift 9\n"
"\tif probe 1 virsh --connect=\"$uri\" dominfo \"$name\"; then\n"
"\t\tif [ $force = 0 ]; then\n"
"\t\t\tmsg='install.sh: %s exists on %s: skipped (--force recreates it)'\n"
"\t\t\tprintf \"$msg\\n\" \"$name\" \"$real\" >&2\n"
"\t\t\tskipped=$((skipped + 1))\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\t\trun virsh --connect=\"$uri\" destroy \"$name\" 2>/dev/null || true\n"
"\t\tif ! run virsh --connect=\"$uri\" undefine \"$name\"; then\n"
"\t\t\tfailed=$((failed + 1))\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\tfi\n"
"\tif ! probe \"$empty\" virsh --connect=\"$uri\" vol-key \"$disk\"; then\n"
"\t\tif [ $empty = 0 ]; then\n"
"\t\t\tmsg='install.sh: %s: no disk image %s on %s (convert the server'\n"
"\t\t\tmsg+=' first, or --empty-disks for an empty %s GiB disk)'\n"
"\t\t\tprintf \"$msg\\n\" \"$name\" \"$disk\" \"$real\" \"$gib\" >&2\n"
"\t\t\tfailed=$((failed + 1))\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\t\td=\"$d,size=$gib\"\n"
"\tfi\n"
"\tif run virt-install \"--connect=$uri\" \"--name=$name\" \"$d\" \"$@\"\n"
"\tthen\n"
"\t\tmade=$((made + 1))\n"
"\telse\n"
"\t\tfailed=$((failed + 1))\n"
"\tfi\n"
"}\n";

static const char script_tail[] =
"\n"
"printf 'install.sh: %d created, %d skipped (existing), %d failed\\n' \\\n"
"    \"$made\" \"$skipped\" \"$failed\" >&2\n"
"[ \"$failed\" -eq 0 ]\n";

/* the name the host is known by: the mapping's, else the plan's */
static const char *
host_real(const struct plan_host *h, const struct provision_options *o)
{
	const struct hostmap_row *m = hostmap_find(o->map, h->name);

	return m != NULL ? m->name : h->name;
}

/* a new empty disk's size: the plan's storage for the guest, else the
 * server's disk_gib, else "$DISK_GIB" */
static void
disk_gib_add(struct strbuf *sb, const struct plan_guest *g,
    const struct provision_options *o)
{
	const struct server_inv *s = o->inv != NULL ? inventory_find(o->inv,
	    g->name) : NULL;

	if (isfinite(g->storage_gib))	/* the plan sized its storage */
		strbuf_addf(sb, "%ld", (long)fmax(1, ceil(g->storage_gib)));
	else if (s != NULL && isfinite(s->disk_gib) && s->disk_gib > 0)
		strbuf_addf(sb, "%.0f", ceil(s->disk_gib));
	else
		strbuf_addstr(sb, "\"$DISK_GIB\"");
}

/* guest's arguments before virt-install's: see guest() in script_fn */
static void
script_guest_head(struct strbuf *sb, const struct plan *p,
    const struct plan_guest *g, const struct provision_options *o,
    size_t wave)
{
	const struct plan_host *h = plan_guest_host(p, g);
	const struct hostmap_row *m = hostmap_find(o->map, h->name);
	struct strbuf v = STRBUF_INIT, q = STRBUF_INIT;

	strbuf_init(&v);
	strbuf_init(&q);
	strbuf_addf(sb, "guest %zu ", wave);
	sh_add(sb, h->name);
	strbuf_addch(sb, ' ');
	sh_add(sb, host_real(h, o));
	strbuf_addch(sb, ' ');
	sh_add(sb, m != NULL ? m->uri : "");
	strbuf_addch(sb, ' ');
	uri_host_add(&v, host_real(h, o));
	sh_add(sb, v.buf);
	strbuf_addstr(sb, " \\\n\t");
	strbuf_reset(&v);
	domain_name(&v, g->name);
	sh_add(sb, v.buf);
	strbuf_reset(&v);
	strbuf_addf(&v, "%s/", o->disk_dir);
	disk_name(&v, g->name);
	strbuf_addch(sb, ' ');
	sh_add(sb, v.buf);
	strbuf_addch(sb, ' ');
	vi_add(&q, v.buf);
	sh_add(sb, q.buf);
	strbuf_addch(sb, ' ');
	disk_gib_add(sb, g, o);
	strbuf_release(&v);
	strbuf_release(&q);
}

/* --network=...: the inventory's bridge or network, MAC and VLAN */
static void
script_net(struct strbuf *sb, const struct plan_guest *g,
    const struct provision_options *o)
{
	struct domxml x;
	struct strbuf v = STRBUF_INIT;

	strbuf_init(&v);
	domxml_init(&x);
	provision_net_set(&x, g, o);
	strbuf_addstr(&v, x.network != NULL ? "--network=network=" :
	    "--network=bridge=");
	vi_add(&v, x.network != NULL ? x.network : x.bridge);
	strbuf_addstr(&v, ",model=virtio");
	if (x.mac != NULL)
		strbuf_addf(&v, ",mac=%s", x.mac);
	if (x.vlan > 0 && x.network == NULL)
		strbuf_addstr(&v, ",virtualport.type=openvswitch");
	sh_add(sb, v.buf);
	if (x.vlan > 0)
		strbuf_addf(sb, " --xml ./devices/interface/vlan/tag/@id=%u",
		    x.vlan);
	strbuf_release(&v);
}

static void
script_guest(struct strbuf *sb, const struct plan *p,
    const struct plan_guest *g, const struct provision_options *o,
    size_t wave)
{
	struct strbuf v = STRBUF_INIT;

	strbuf_init(&v);
	script_guest_head(sb, p, g, o, wave);
	strbuf_addf(sb, " \\\n\t--memory=%ld --vcpus=%ld \\\n\t",
	    mem_of(g, o), vcpus_of(g));
	script_net(sb, g, o);
	strbuf_addstr(sb, " --import --osinfo=detect=on,require=off \\\n\t"
	    "--virt-type=\"$VIRT_TYPE\" --arch=\"$ARCH\" --graphics=none "
	    "--noautoconsole\n");
	strbuf_release(&v);
}

/* plan_hosts=(...): every host's plan and real name, for the check */
static void
script_hosts(struct strbuf *sb, const struct plan *p,
    const struct provision_options *o)
{
	size_t i;

	strbuf_addstr(sb, "plan_hosts=(");
	for (i = 0; i < p->nhosts; i++) {
		strbuf_addch(sb, ' ');
		sh_add(sb, p->hosts[i].name);
		if (strcmp(host_real(&p->hosts[i], o), p->hosts[i].name) != 0) {
			strbuf_addch(sb, ' ');
			sh_add(sb, host_real(&p->hosts[i], o));
		}
	}
	strbuf_addf(sb, " )\nnwaves=%zu\n", p->migration.nwaves);
}

/* the guests by host (a plan without waves) */
static void
script_by_host(struct strbuf *sb, const struct plan *p,
    const struct provision_options *o)
{
	size_t i, k;

	for (i = 0; i < p->nhosts; i++) {
		if (p->hosts[i].nguests == 0)
			continue;
		/* a name holds no newline (provision_name_ok()): a comment
		 * cannot end early */
		strbuf_addf(sb, "\n# %s: %zu guests\n", p->hosts[i].name,
		    p->hosts[i].nguests);
		for (k = 0; k < p->hosts[i].nguests; k++)
			script_guest(sb, p, &p->guests[p->hosts[i].guests[k]],
			    o, 0);
	}
}

/* one stage per wave: its hosts named (installed before), its guests */
static void
script_by_wave(struct strbuf *sb, const struct plan *p,
    const struct provision_options *o)
{
	const struct plan_wave *w;
	size_t i, k;

	for (i = 0; i < p->migration.nwaves; i++) {
		w = &p->migration.waves[i];
		strbuf_addf(sb, "\n# wave %zu: %zu guests", i + 1, w->nguests);
		for (k = 0; k < w->ninstall; k++)
			strbuf_addf(sb, "%s%s", k == 0 ? "; hosts installed "
			    "first: " : ", ", host_real(&p->hosts[w->install[k]],
			    o));
		strbuf_addch(sb, '\n');
		for (k = 0; k < w->nguests; k++)
			script_guest(sb, p, &p->guests[w->guests[k]], o, i + 1);
	}
}

static int
write_script(const struct plan *p, const struct provision_options *o)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	strbuf_init(&sb);
	strbuf_init(&path);
	strbuf_addstr(&sb, script_head);
	strbuf_addstr(&sb, "URI=${URI:-");
	sh_add(&sb, o->uri);
	strbuf_addstr(&sb, "}\nVIRT_TYPE=${VIRT_TYPE:-");
	sh_add(&sb, o->domain_type);
	strbuf_addstr(&sb, "}\n");
	script_hosts(&sb, p, o);
	strbuf_addstr(&sb, script_fn);
	if (p->migration.nwaves > 0)
		script_by_wave(&sb, p, o);
	else
		script_by_host(&sb, p, o);
	strbuf_addstr(&sb, script_tail);
	strbuf_addf(&path, "%s/install.sh", o->dir);
	ret = write_file(path.buf, &sb, 0755);
	strbuf_release(&sb);
	strbuf_release(&path);
	return ret;
}

/* ------------------------------------------------------------ inventory */

/*
 * Would Ansible read s as an address rather than a name?  A bare number
 * ("15") or digits and dots ("10.1.2") is taken for an IPv4 address, and
 * hex digits with ':' for IPv6; such a name gets a safe key too.
 */
static bool
ansible_address_like(const char *s)
{
	bool colon = strchr(s, ':') != NULL;

	for (; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.' || (colon &&
		    (*s == ':' || (*s >= 'a' && *s <= 'f') || (*s >= 'A' &&
		    *s <= 'F')))))
			return false;
	return true;
}

static bool
ansible_safe(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9')) || ansible_address_like(s))
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
inv_host(struct strbuf *sb, const struct plan_host *h, size_t i,
    const struct provision_options *o)
{
	const struct hostmap_row *m = hostmap_find(o->map, h->name);

	strbuf_addstr(sb, "        ");
	inv_key(sb, host_real(h, o), "host", i + 1);
	strbuf_addstr(sb, ":\n          capplan_name: ");
	yaml_data_add(sb, h->name);
	if (m != NULL) {
		strbuf_addstr(sb, "\n          capplan_host_name: ");
		yaml_data_add(sb, m->name);
		if (m->ansible_host[0] != '\0') {
			strbuf_addstr(sb, "\n          ansible_host: ");
			yaml_data_add(sb, m->ansible_host);
		}
	}
	strbuf_addstr(sb, "\n          capplan_model: ");
	yaml_data_add(sb, h->model);
	strbuf_addf(sb, "\n          capplan_guests: %zu\n", h->nguests);
}

static void
inv_hosts(struct strbuf *sb, const struct plan *p, bool spare,
    const struct provision_options *o)
{
	size_t i;

	strbuf_addf(sb, "    %s:\n      hosts:\n", spare ? "capplan_spares" :
	    "capplan_hosts");
	for (i = 0; i < p->nhosts; i++)
		if (p->hosts[i].spare == spare)
			inv_host(sb, &p->hosts[i], i, o);
}

/* capplan_wave_N (its guests) and capplan_wave_N_hosts (installed first):
 * keys only, their variables are in the groups above */
static void
inv_waves(struct strbuf *sb, const struct plan *p,
    const struct provision_options *o)
{
	const struct plan_wave *w;
	size_t i, k;

	for (i = 0; i < p->migration.nwaves; i++) {
		w = &p->migration.waves[i];
		strbuf_addf(sb, "    capplan_wave_%zu:\n      vars:\n"
		    "        capplan_wave: %zu\n      hosts:%s\n", i + 1, i + 1,
		    w->nguests == 0 ? " {}" : "");
		for (k = 0; k < w->nguests; k++) {
			strbuf_addstr(sb, "        ");
			inv_key(sb, p->guests[w->guests[k]].name, "guest",
			    w->guests[k] + 1);
			strbuf_addstr(sb, ": {}\n");
		}
		strbuf_addf(sb, "    capplan_wave_%zu_hosts:\n      hosts:%s\n",
		    i + 1, w->ninstall == 0 ? " {}" : "");
		for (k = 0; k < w->ninstall; k++) {
			strbuf_addstr(sb, "        ");
			inv_key(sb, host_real(&p->hosts[w->install[k]], o),
			    "host", w->install[k] + 1);
			strbuf_addstr(sb, ": {}\n");
		}
	}
}

static void
inv_guests(struct strbuf *sb, const struct plan *p, size_t hi,
    const struct provision_options *o)
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
		    vcpus_of(g), mem_of(g, o));
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
	    "spares, guests_<host>_<n> the guests of each host,\n# and for a plan "
	    "with waves capplan_wave_<n> the guests moved in wave n and\n# "
	    "capplan_wave_<n>_hosts the hosts installed before them.\n"
	    "all:\n  children:\n");
	inv_hosts(&sb, p, false, o);
	inv_hosts(&sb, p, true, o);
	for (i = 0; i < p->nhosts; i++)
		if (p->hosts[i].nguests > 0)
			inv_guests(&sb, p, i, o);
	inv_waves(&sb, p, o);
	strbuf_addf(&path, "%s/inventory.yml", o->dir);
	ret = write_file(path.buf, &sb, 0);
	st->hosts = p->nhosts;
	strbuf_release(&sb);
	strbuf_release(&path);
	return ret;
}

/*
 * Every row of the host map names a host of the plan, by a usable name
 * (provision_name_ok()), and no two hosts get the same real name; its
 * addresses and URIs hold no control character.
 */
static int
check_map(const struct plan *p, const struct hostmap *m)
{
	const struct hostmap_row *r;
	const char *why;
	size_t i, j;

	for (i = 0; m != NULL && i < m->n; i++) {
		r = &m->rows[i];
		for (j = 0; j < p->nhosts; j++)
			if (strcmp(p->hosts[j].name, r->host) == 0)
				break;
		if (j == p->nhosts)
			return error_set(ERROR_DATA, "%s: host '%s' is not a "
			    "host of the plan", m->path, r->host);
		if (!provision_name_ok(r->name, &why))
			return error_set(ERROR_DATA, "%s: host '%s': the name "
			    "is refused: %s", m->path, r->host, why);
		if (!provision_text_ok(r->ansible_host) ||
		    !provision_text_ok(r->uri))
			return error_set(ERROR_DATA, "%s: host '%s': "
			    "ansible_host and uri must hold no control "
			    "character", m->path, r->host);
		for (j = 0; j < i; j++)
			if (strcmp(m->rows[j].name, r->name) == 0)
				return error_set(ERROR_DATA, "%s: hosts '%s' and "
				    "'%s' are both named '%s'", m->path,
				    m->rows[j].host, r->host, r->name);
	}
	return 0;
}

static void
stats_count(const struct plan *p, const struct provision_options *o,
    struct provision_stats *st)
{
	const struct plan_guest *g;
	const struct server_inv *s;
	size_t i;

	for (i = 0; i < p->nguests; i++) {
		g = &p->guests[i];
		st->mem_raised += ceil(g->mem_mib) < (double)o->min_mem_mib;
		s = o->inv != NULL ? inventory_find(o->inv, g->name) : NULL;
		st->disk_unknown += !(s != NULL && isfinite(s->disk_gib) &&
		    s->disk_gib > 0);
		st->ansible_renamed += !ansible_safe(g->name);
	}
	for (i = 0; o->map != NULL && i < p->nhosts; i++)
		st->hosts_unmapped += hostmap_find(o->map, p->hosts[i].name) ==
		    NULL;
}

bool
provision_text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int
provision_write(const struct plan *p, const struct provision_options *o,
    struct provision_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (check_names(p) == -1 || check_sizes(p) == -1 ||
	    check_map(p, o->map) == -1)
		return -1;
	if (mkdir_p(o->dir) == -1 || write_domains(p, o) == -1 ||
	    write_script(p, o) == -1 || write_inventory(p, o, st) == -1)
		return -1;
	st->domains = p->nguests;
	stats_count(p, o, st);
	return 0;
}
