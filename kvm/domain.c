/*
 * domain.c - domain XML for direct-kernel-boot test guests.
 *
 * Built as text with strbuf rather than through libxml2: the document is
 * small and fixed, and every value that comes from outside (names,
 * paths, the command line) goes through xml_escape(), so a guest named
 * "a<b" or a path with a quote cannot break or inject into the XML.
 * The machine type is left to libvirt's default for the emulator.
 */
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "kvm/domain.h"

char *
xml_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "");
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': strbuf_addstr(&sb, "&amp;"); break;
		case '<': strbuf_addstr(&sb, "&lt;"); break;
		case '>': strbuf_addstr(&sb, "&gt;"); break;
		case '"': strbuf_addstr(&sb, "&quot;"); break;
		case '\'': strbuf_addstr(&sb, "&apos;"); break;
		default: strbuf_addch(&sb, *s);
		}
	}
	return strbuf_detach(&sb);
}

/* Append fmt with one string argument, escaped. */
static void
add_esc(struct strbuf *sb, const char *fmt, const char *arg)
{
	char *e = xml_escape(arg);

	strbuf_addf(sb, fmt, e);
	free(e);
}

static void
add_devices(struct strbuf *sb, const struct guest_spec *g)
{
	strbuf_addstr(sb, "  <devices>\n");
	if (g->serial_log != NULL) {
		add_esc(sb, "    <serial type='file'>\n"
		    "      <source path='%s'/>\n"
		    "      <target port='0'/>\n    </serial>\n", g->serial_log);
		strbuf_addstr(sb, "    <console type='file'>\n"
		    "      <target type='serial' port='0'/>\n    </console>\n");
	}
	if (g->disk != NULL)
		add_esc(sb, "    <disk type='file' device='disk'>\n"
		    "      <driver name='qemu' type='raw' cache='none'/>\n"
		    "      <source file='%s'/>\n"
		    "      <target dev='vda' bus='virtio'/>\n    </disk>\n",
		    g->disk);
	if (g->tap != NULL)
		add_esc(sb, "    <interface type='ethernet'>\n"
		    "      <target dev='%s' managed='yes'/>\n"
		    "      <model type='virtio'/>\n    </interface>\n", g->tap);
	if (g->balloon_period_s > 0)
		strbuf_addf(sb, "    <memballoon model='virtio'>\n"
		    "      <stats period='%u'/>\n    </memballoon>\n",
		    g->balloon_period_s);
	else
		strbuf_addstr(sb, "    <memballoon model='none'/>\n");
	strbuf_addstr(sb, "  </devices>\n");
}

char *
domain_xml(const struct guest_spec *g)
{
	struct strbuf sb = STRBUF_INIT;

	add_esc(&sb, "<domain type='%s'>\n", g->type);
	add_esc(&sb, "  <name>%s</name>\n", g->name);
	strbuf_addf(&sb, "  <memory unit='MiB'>%lu</memory>\n"
	    "  <vcpu>%u</vcpu>\n", g->mem_mib, g->vcpus);
	strbuf_addstr(&sb, "  <os>\n    <type arch='x86_64'>hvm</type>\n");
	add_esc(&sb, "    <kernel>%s</kernel>\n", g->kernel);
	add_esc(&sb, "    <initrd>%s</initrd>\n", g->initrd);
	add_esc(&sb, "    <cmdline>%s</cmdline>\n  </os>\n", g->cmdline);
	strbuf_addstr(&sb, "  <on_poweroff>destroy</on_poweroff>\n"
	    "  <on_reboot>destroy</on_reboot>\n"
	    "  <on_crash>destroy</on_crash>\n");
	add_devices(&sb, g);
	strbuf_addstr(&sb, "</domain>\n");
	return strbuf_detach(&sb);
}
