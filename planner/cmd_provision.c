/*
 * cmd_provision.c - capplan provision: plan.json -> domain XML, a
 * virt-install script and an Ansible inventory (planner/provision.c).
 *
 * The options that reach the files (bridge, disk directory, URI) are
 * refused when they hold a control character; the domain type is kvm or
 * qemu.  Nothing is written when a name of the plan is refused.
 */
#include <getopt.h>
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

static int
parse_args(int argc, char **argv, struct provision_options *o,
    const char **plan)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "b:d:ho:t:u:", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': o->bridge = optarg; break;
		case 'd': o->disk_dir = optarg; break;
		case 'o': o->dir = optarg; break;
		case 't': o->domain_type = optarg; break;
		case 'u': o->uri = optarg; break;
		case 'h':
			command_usage(stdout, "provision");
			return -2;
		default:
			command_usage(stderr, "provision");
			return EXIT_USAGE;
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
	return 0;
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
	if ((rc = parse_args(argc, argv, &o, &path)) != 0)
		return rc == -2 ? EXIT_OK : rc;
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
