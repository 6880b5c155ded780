/*
 * cmd_provision.c - capplan provision: plan.json -> domain XML, a
 * virt-install script and an Ansible inventory (planner/provision.c).
 *
 * The options that reach the files (bridge, disk directory, URI) are
 * refused when they hold a control character; the domain type is kvm or
 * qemu.  Nothing is written when a name of the plan is refused.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "planner/plan.h"
#include "planner/provision.h"

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

const struct cmd_option cmd_provision_options[] = {
	{ 'b', NULL, "bridge", "the hosts' bridge for the guests (default br0)" },
	{ 'd', NULL, "disk-dir", "the hosts' image folder (/var/lib/libvirt/images)" },
	{ 'o', NULL, "dir", "the folder to write to (default provision)" },
	{ 't', NULL, "kvm | qemu", "the domain type (default kvm)" },
	{ 'u', NULL, "uri", "a host's libvirt URI, %s its name (qemu+ssh)" },
	{ 0, NULL, NULL, NULL },
};

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct provision_options *o,
    const char **plan)
{
	struct cmd_getopt g;
	int ch;

	command_getopt_init(&g, "provision");
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'b': o->bridge = optarg; break;
		case 'd': o->disk_dir = optarg; break;
		case 'o': o->dir = optarg; break;
		case 't': o->domain_type = optarg; break;
		case 'u': o->uri = optarg; break;
		case CMD_DONE: return g.status;
		}
	}
	if (argc - optind != 1)
		return command_misuse("provision", "need one plan.json");
	*plan = argv[optind];
	if (strcmp(o->domain_type, "kvm") != 0 &&
	    strcmp(o->domain_type, "qemu") != 0)
		return command_misuse("provision", "-t '%s' is not kvm or qemu",
		    o->domain_type);
	if (!printable(o->bridge) || !printable(o->disk_dir) ||
	    !printable(o->uri) || o->bridge[0] == '\0' ||
	    o->disk_dir[0] != '/' || strstr(o->uri, "%s") == NULL)
		return command_misuse("provision", "-b, -d and -u take text "
		    "without control characters; -d an absolute directory, -u "
		    "a URI with %%s for the host");
	return CMD_RUN;
}

int
cmd_provision(int argc, char **argv)
{
	struct provision_options o;
	struct provision_stats st;
	const char *path = NULL;
	struct plan *p;
	int rc;

	provision_options_init(&o);
	if ((rc = parse_args(argc, argv, &o, &path)) != CMD_RUN)
		return rc;
	if ((p = plan_read_json(path)) == NULL)
		return command_fail("provision");
	rc = provision_write(p, &o, &st);
	plan_free(p);
	if (rc == -1)
		return command_fail("provision");
	printf("%zu domain XML files in %s/domains, %s/install.sh, "
	    "%s/inventory.yml (%zu hosts)\n", st.domains, o.dir, o.dir, o.dir,
	    st.hosts);
	return EXIT_OK;
}
