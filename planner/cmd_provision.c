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
#include "common/num.h"
#include "planner/plan.h"
#include "planner/provision.h"

struct provision_paths {
	const char *plan, *map, *inventory;
};

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

const struct cmd_option cmd_provision_options[] = {
	{ 'M', NULL, "mib", "the guests' memory floor (default 512)" },
	{ 'b', NULL, "bridge", "the hosts' bridge for the guests (default br0)" },
	{ 'd', NULL, "disk-dir", "the hosts' image folder (/var/lib/libvirt/images)" },
	{ 'i', NULL, "inventory.csv", "the servers' disk sizes and networks" },
	{ 'm', NULL, "hostmap.csv", "real names of the planned hosts" },
	{ 'o', NULL, "dir", "the folder to write to (default provision)" },
	{ 't', NULL, "kvm | qemu", "the domain type (default kvm)" },
	{ 'u', NULL, "uri", "a host's libvirt URI, %s its name (qemu+ssh)" },
	{ 0, NULL, NULL, NULL },
};

/* CMD_RUN, or the exit status to end with (help or misuse printed) */
static int
parse_args(int argc, char **argv, struct provision_options *o,
    struct provision_paths *pp)
{
	struct cmd_getopt g;
	const char *why;
	int ch;

	command_getopt_init(&g, "provision");
	while ((ch = command_getopt(&g, argc, argv)) != -1) {
		switch (ch) {
		case 'M':
			if (num_parse_long_range(optarg, 0, 1L << 30,
			    &o->min_mem_mib, &why) == -1)
				return command_misuse("provision", "-M '%s': %s",
				    optarg, why);
			break;
		case 'b': o->bridge = optarg; break;
		case 'i': pp->inventory = optarg; break;
		case 'm': pp->map = optarg; break;
		case 'd': o->disk_dir = optarg; break;
		case 'o': o->dir = optarg; break;
		case 't': o->domain_type = optarg; break;
		case 'u': o->uri = optarg; break;
		case CMD_DONE: return g.status;
		}
	}
	if (argc - optind != 1)
		return command_misuse("provision", "need one plan.json");
	pp->plan = argv[optind];
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

static void
provision_warn(const struct provision_stats *st, const struct plan *p,
    const struct provision_options *o, bool have_inv)
{
	if (st->mem_raised > 0)
		command_warn("provision", "%zu guests planned with less than "
		    "%ld MiB get %ld MiB (-M)", st->mem_raised, o->min_mem_mib,
		    o->min_mem_mib);
	if (st->disk_unknown > 0)
		command_warn("provision", "%zu of %zu guests have no disk size%s: "
		    "an empty disk for them is $DISK_GIB (default 20 GiB)",
		    st->disk_unknown, p->nguests, have_inv ? " in the inventory"
		    : " (no -i inventory)");
	if (st->hosts_unmapped > 0)
		command_warn("provision", "%zu of %zu hosts are not in the host "
		    "map: they keep the plan's names", st->hosts_unmapped,
		    p->nhosts);
	if (st->ansible_renamed > 0)
		command_warn("provision", "%zu guest names are not safe Ansible "
		    "host names (an address or a number, or other characters): "
		    "they get guest-N keys, the name in capplan_name",
		    st->ansible_renamed);
}

struct provision_inputs {
	struct plan *plan;
	struct hostmap map;
	struct inventory inv;
	struct guestnets nets;
	bool have_map, have_inv, have_nets;
};

static int
inputs_load(struct provision_inputs *in, const struct provision_paths *pp,
    struct provision_options *o)
{
	if ((in->plan = plan_read_json(pp->plan)) == NULL)
		return -1;
	if (pp->map != NULL) {
		if (hostmap_load(&in->map, pp->map) == -1)
			return -1;
		in->have_map = true;
		o->map = &in->map;
	}
	if (pp->inventory != NULL) {
		if (inventory_load(&in->inv, pp->inventory, NULL) == -1)
			return -1;
		in->have_inv = true;
		o->inv = &in->inv;
		if (guestnets_load(&in->nets, pp->inventory) == -1)
			return -1;
		in->have_nets = true;
		o->nets = &in->nets;
	}
	return 0;
}

static void
inputs_release(struct provision_inputs *in)
{
	plan_free(in->plan);
	if (in->have_map)
		hostmap_release(&in->map);
	if (in->have_inv)
		inventory_release(&in->inv);
	if (in->have_nets)
		guestnets_release(&in->nets);
}

int
cmd_provision(int argc, char **argv)
{
	struct provision_options o;
	struct provision_stats st;
	struct provision_paths pp = { NULL, NULL, NULL };
	struct provision_inputs in;
	int rc;

	provision_options_init(&o);
	if ((rc = parse_args(argc, argv, &o, &pp)) != CMD_RUN)
		return rc;
	memset(&in, 0, sizeof(in));
	rc = inputs_load(&in, &pp, &o) == -1 ? -1 : provision_write(in.plan,
	    &o, &st);
	if (rc == -1) {
		inputs_release(&in);
		return command_fail("provision");
	}
	provision_warn(&st, in.plan, &o, in.have_inv);
	printf("%zu domain XML files in %s/domains, %s/install.sh, "
	    "%s/inventory.yml (%zu hosts%s)\n", st.domains, o.dir, o.dir,
	    o.dir, st.hosts, in.plan->migration.nwaves > 0 ? ", by wave" : "");
	inputs_release(&in);
	return EXIT_OK;
}
