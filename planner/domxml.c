/*
 * domxml.c - libvirt domain XML, built as text.
 *
 * Text with strbuf rather than libxml2: the document is small and fixed,
 * every value from outside goes through domxml_add_text(), and
 * virt-xml-validate checks the result in tests/cli/provision.sh and
 * libvirtd parses it in tests/kvm/.  The machine type is left to
 * libvirt's default for the emulator.
 */
#include <string.h>

#include "common/utf8.h"
#include "planner/domxml.h"

void
domxml_init(struct domxml *d)
{
	memset(d, 0, sizeof(*d));
	d->type = "kvm";
	d->disk_format = "qcow2";
}

void
domxml_add_text(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n;

	for (; *p != '\0'; p += n) {
		n = utf8_len((const char *)p);
		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n') ||
		    *p == 0x7f) {
			strbuf_addstr(sb, "\xef\xbf\xbd");
			n = 1;
			continue;
		}
		switch (*p) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&apos;"); break;
		case '\n': strbuf_addstr(sb, "&#10;"); break;
		default: strbuf_add(sb, p, n); break;
		}
	}
}

/* "<tag>text</tag>\n" with the text escaped, when text is set */
static void
add_element(struct strbuf *sb, const char *indent, const char *tag,
    const char *text)
{
	if (text == NULL)
		return;
	strbuf_addf(sb, "%s<%s>", indent, tag);
	domxml_add_text(sb, text);
	strbuf_addf(sb, "</%s>\n", tag);
}

/* fmt with its one %s an escaped string */
static void
add_esc(struct strbuf *sb, const char *fmt, const char *arg)
{
	const char *at = strstr(fmt, "%s");

	strbuf_add(sb, fmt, (size_t)(at - fmt));
	domxml_add_text(sb, arg);
	strbuf_addstr(sb, at + 2);
}

static void
add_os(struct strbuf *sb, const struct domxml *d)
{
	strbuf_addstr(sb, "  <os>\n    <type arch='x86_64'>hvm</type>\n");
	if (d->kernel != NULL) {
		add_element(sb, "    ", "kernel", d->kernel);
		add_element(sb, "    ", "initrd", d->initrd);
		add_element(sb, "    ", "cmdline", d->cmdline);
	} else {
		strbuf_addstr(sb, "    <boot dev='hd'/>\n");
	}
	strbuf_addstr(sb, "  </os>\n");
}

static void
add_cputune(struct strbuf *sb, const struct domxml *d)
{
	unsigned i;

	if (d->vcpu_cpuset == NULL && d->emulator_cpuset == NULL)
		return;
	strbuf_addstr(sb, "  <cputune>\n");
	for (i = 0; d->vcpu_cpuset != NULL && i < d->vcpus; i++) {
		strbuf_addf(sb, "    <vcpupin vcpu='%u' cpuset='", i);
		domxml_add_text(sb, d->vcpu_cpuset);
		strbuf_addstr(sb, "'/>\n");
	}
	if (d->emulator_cpuset != NULL)
		add_esc(sb, "    <emulatorpin cpuset='%s'/>\n",
		    d->emulator_cpuset);
	strbuf_addstr(sb, "  </cputune>\n");
}

static void
add_serial(struct strbuf *sb, const struct domxml *d)
{
	static const char *const kind[] = { NULL, "pty", "file", "unix" };

	if (d->serial == DOMXML_SERIAL_NONE)
		return;
	strbuf_addf(sb, "    <serial type='%s'>\n", kind[d->serial]);
	if (d->serial == DOMXML_SERIAL_FILE)
		add_esc(sb, "      <source path='%s'/>\n", d->serial_path);
	else if (d->serial == DOMXML_SERIAL_UNIX)
		add_esc(sb, "      <source mode='bind' path='%s'/>\n",
		    d->serial_path);
	strbuf_addstr(sb, "      <target port='0'/>\n    </serial>\n");
	strbuf_addf(sb, "    <console type='%s'>\n", kind[d->serial]);
	if (d->serial == DOMXML_SERIAL_FILE)
		add_esc(sb, "      <source path='%s'/>\n", d->serial_path);
	else if (d->serial == DOMXML_SERIAL_UNIX)
		add_esc(sb, "      <source mode='bind' path='%s'/>\n",
		    d->serial_path);
	strbuf_addstr(sb, "      <target type='serial' port='0'/>\n"
	    "    </console>\n");
}

/* a NIC on a host bridge or a libvirt network, with its MAC and VLAN */
static void
add_interface(struct strbuf *sb, const struct domxml *d)
{
	if (d->network != NULL)
		add_esc(sb, "    <interface type='network'>\n"
		    "      <source network='%s'/>\n", d->network);
	else
		add_esc(sb, "    <interface type='bridge'>\n"
		    "      <source bridge='%s'/>\n", d->bridge);
	if (d->mac != NULL)
		add_esc(sb, "      <mac address='%s'/>\n", d->mac);
	/* a Linux bridge cannot tag: a VLAN needs Open vSwitch */
	if (d->vlan > 0 && d->network == NULL)
		strbuf_addstr(sb, "      <virtualport type='openvswitch'/>\n");
	if (d->vlan > 0)
		strbuf_addf(sb, "      <vlan>\n        <tag id='%u'/>\n"
		    "      </vlan>\n", d->vlan);
	strbuf_addstr(sb, "      <model type='virtio'/>\n    </interface>\n");
}

static void
add_devices(struct strbuf *sb, const struct domxml *d)
{
	strbuf_addstr(sb, "  <devices>\n");
	if (d->disk != NULL) {
		add_esc(sb, "    <disk type='file' device='disk'>\n"
		    "      <driver name='qemu' type='%s'/>\n", d->disk_format);
		add_esc(sb, "      <source file='%s'/>\n"
		    "      <target dev='vda' bus='virtio'/>\n    </disk>\n",
		    d->disk);
	}
	if (d->bridge != NULL || d->network != NULL)
		add_interface(sb, d);
	if (d->tap != NULL)
		add_esc(sb, "    <interface type='ethernet'>\n"
		    "      <target dev='%s' managed='yes'/>\n"
		    "      <model type='virtio'/>\n    </interface>\n", d->tap);
	add_serial(sb, d);
	if (!d->balloon)
		strbuf_addstr(sb, "    <memballoon model='none'/>\n");
	else if (d->balloon_period_s > 0)
		strbuf_addf(sb, "    <memballoon model='virtio'>\n"
		    "      <stats period='%u'/>\n    </memballoon>\n",
		    d->balloon_period_s);
	else
		strbuf_addstr(sb, "    <memballoon model='virtio'/>\n");
	strbuf_addstr(sb, "  </devices>\n");
}

void
domxml_add(struct strbuf *sb, const struct domxml *d)
{
	if (d->comment != NULL)
		strbuf_addf(sb, "<!-- %s -->\n", d->comment);
	add_esc(sb, "<domain type='%s'>\n", d->type);
	add_element(sb, "  ", "name", d->name);
	add_element(sb, "  ", "uuid", d->uuid);
	add_element(sb, "  ", "title", d->title);
	add_element(sb, "  ", "description", d->description);
	strbuf_addf(sb, "  <memory unit='MiB'>%lu</memory>\n"
	    "  <currentMemory unit='MiB'>%lu</currentMemory>\n"
	    "  <vcpu placement='static'>%u</vcpu>\n", d->mem_mib, d->mem_mib,
	    d->vcpus);
	add_cputune(sb, d);
	add_os(sb, d);
	strbuf_addstr(sb, "  <features>\n    <acpi/>\n    <apic/>\n"
	    "  </features>\n");
	if (d->kernel == NULL)
		strbuf_addstr(sb, "  <cpu mode='host-model'/>\n");
	strbuf_addf(sb, "  <clock offset='utc'/>\n"
	    "  <on_poweroff>destroy</on_poweroff>\n"
	    "  <on_reboot>%s</on_reboot>\n  <on_crash>destroy</on_crash>\n",
	    d->restart_on_reboot ? "restart" : "destroy");
	add_devices(sb, d);
	strbuf_addstr(sb, "</domain>\n");
}
