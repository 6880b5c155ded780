/*
 * capplan.c - the capplan dispatcher: one table of commands.
 *
 * "capplan [-h] [--version] <command> [args]": global options come before
 * the command (getopt_long with a leading '+' stops at the command name),
 * then the command gets its own argv, with optind reset, and runs its own
 * option loop (OpenBSD vmctl, git).  GSL's abort-on-error handler is
 * switched off once here, before any command runs: model/ checks every
 * GSL status itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "common/error.h"
#include "common/exitcode.h"
#include "model/model.h"

static const struct command commands[] = {
	{ "help", cmd_help, "[command]",
	    "show the commands, or one command's usage" },
	{ "inspect", cmd_inspect, "[--json] file ...",
	    "summarise and validate capplan data files" },
	{ "import", cmd_import, "[-c uri] [-o dir] [--duration seconds] "
	    "[--interval seconds] [--start time] format [input ...]",
	    "convert existing monitoring data to capplan samples" },
	{ "profile", cmd_profile, "[-v] [--json] [-c capplan.conf] "
	    "[-i inventory.csv] [-j workers] [-m mib] [-o file] "
	    "[-q percentile] [-s hour | week] samples.csv ...",
	    "summarise each server's demand into a sizing profile" },
	{ "whatif", cmd_whatif, "[--json] [-c capplan.conf] "
	    "[-i inventory.csv] [-m model] [-o file] [-p profiles.csv] "
	    "[-s hour | week] hosts.csv [server | samples.csv ...]",
	    "predict the contention of some servers on one host model" },
	{ "plan", cmd_plan, "[-n] [--exact] [-c capplan.conf] "
	    "[-i inventory.csv] [-j workers] [-m model] [-o plan.json] "
	    "[-p placement.csv] [-r hour | week | series | peak] "
	    "[-t seconds] [--packer name] profiles.csv hosts.csv "
	    "[samples.csv ...]",
	    "pack servers onto as few hosts as the policy allows" },
	{ "provision", cmd_provision, "[-b bridge] [-d disk-dir] [-o dir] "
	    "[-t kvm | qemu] [-u uri] plan.json",
	    "write libvirt domains, a virt-install script and an Ansible "
	    "inventory for a plan" },
	{ "report", cmd_report, "[-n] [-V validation.json] [-c capplan.conf] "
	    "[-f format] [-i inventory.csv] [-o file] plan.json hosts.csv "
	    "[samples.csv ...]",
	    "report cost, power, cooling, space and CO2 before and after "
	    "a plan" },
	{ "validate", cmd_validate, "[--keep] [--sweep] [-c capplan.conf] "
	    "[-o validation.json] [--connect uri] [--cpus list] "
	    "[--guests list | --host name] [--kernel file] [--replay file] "
	    "[--slot-seconds seconds] [--slots first-last] [--type kvm | qemu] "
	    "plan.json profiles.csv hosts.csv | --sweep [samples.csv ...]",
	    "replay a planned host's guests on libvirt and compare the "
	    "contention measured with the model's" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *
command_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void
command_usage(FILE *fp, const char *name)
{
	const struct command *c = command_find(name);

	if (c != NULL)
		fprintf(fp, "usage: capplan %s %s\n", c->name, c->usage);
}

int
command_misuse(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "capplan %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	command_usage(stderr, name);
	return EXIT_USAGE;
}

int
command_fail(const char *name)
{
	fprintf(stderr, "capplan %s: %s\n", name, error_last_msg());
	return EXIT_FAIL;
}

void
command_warn(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "capplan %s: warning: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
list_commands(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: capplan [-h] [--version] command [args]\n\n"
	    "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp, "\n'capplan help COMMAND' or 'capplan COMMAND -h' shows a "
	    "command's usage;\n'man capplan-COMMAND' describes it.\n");
}

int
cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		command_usage(stdout, "help");
		return EXIT_OK;
	}
	if (argc > 2)
		return command_misuse("help", "too many operands");
	if (argc == 1) {
		list_commands(stdout);
		return EXIT_OK;
	}
	c = command_find(argv[1]);
	if (c == NULL)
		return command_misuse("help", "unknown command '%s'", argv[1]);
	printf("usage: capplan %s %s\n\n%s.\nSee capplan-%s(1).\n", c->name,
	    c->usage, c->summary, c->name);
	return EXIT_OK;
}

/*
 * Whatever a command printed must reach stdout: flush and close it once
 * here, for every command (git's run_builtin()), so "capplan inspect ... >
 * /dev/full" fails instead of exiting 0 with its output lost.  A command
 * that succeeded (or answered "no") then exits 1; one that failed has
 * said why already (report once) and keeps its status.
 */
static int
stdout_close(const char *name, int rc)
{
	const char *why = NULL;

	if (rc != EXIT_OK && rc != EXIT_NO)
		return rc;
	errno = 0;
	if (fflush(stdout) != 0)
		why = strerror(errno);
	else if (ferror(stdout))
		why = "unknown write error";
	else if (fclose(stdout) != 0)
		why = strerror(errno);
	if (why == NULL)
		return rc;
	fprintf(stderr, "%s: write failure on standard output: %s\n", name,
	    why);
	return EXIT_FAIL;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char prog[64];
	const struct command *c;
	int ch;

	model_init();
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			list_commands(stdout);
			return stdout_close("capplan", EXIT_OK);
		case 'V':
			printf("capplan %s\n", CAPPLAN_VERSION);
			return stdout_close("capplan", EXIT_OK);
		default:
			fprintf(stderr, "'capplan --help' lists the options "
			    "and commands.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: capplan [-h] [--version] command "
		    "[args]\n'capplan --help' lists the commands.\n");
		return EXIT_USAGE;
	}
	c = command_find(argv[optind]);
	if (c == NULL) {
		fprintf(stderr, "capplan: unknown command '%s'; 'capplan "
		    "--help' lists the commands\n", argv[optind]);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	/* getopt names argv[0] in its messages: "capplan inspect: ..." */
	snprintf(prog, sizeof(prog), "capplan %s", c->name);
	argv[0] = prog;
	optind = 0;		/* glibc: a full reset for the command's loop */
	return stdout_close(prog, c->fn(argc, argv));
}
