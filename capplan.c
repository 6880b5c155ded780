/*
 * capplan.c - the capplan dispatcher: one table of commands.
 *
 * "capplan [-h] [--version] <command> [args]": global options come before
 * the command (getopt_long with a leading '+' stops at the command name),
 * then the command gets its own argv, with optind reset, and runs its own
 * option loop (OpenBSD vmctl, git) over its table of options, from which
 * its usage line and -h listing are printed too (cmds.h).  After the
 * command, stdout is flushed and closed here, once for all of them.  GSL's abort-on-error handler is
 * switched off once here, before any command runs: model/ checks every
 * GSL status itself.
 */
#include <assert.h>
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
	{ "help", cmd_help, cmd_help_options, "[command]",
	    "show the commands, or one command's usage" },
	{ "inspect", cmd_inspect, cmd_inspect_options, "file ...",
	    "summarise and validate capplan data files" },
	{ "import", cmd_import, cmd_import_options, "format [input ...]",
	    "convert existing monitoring data to capplan samples" },
	{ "profile", cmd_profile, cmd_profile_options, "samples.csv ...",
	    "summarise each server's demand into a sizing profile" },
	{ "whatif", cmd_whatif, cmd_whatif_options,
	    "hosts.csv [server | samples.csv ...]",
	    "predict the contention of some servers on one host model" },
	{ "plan", cmd_plan, cmd_plan_options,
	    "profiles.csv hosts.csv [samples.csv ...]",
	    "pack servers onto as few hosts as the policy allows" },
	{ "backtest", cmd_backtest, cmd_backtest_options,
	    "hosts.csv samples.csv ...",
	    "plan on the samples before a time, measure the plan on those "
	    "after it" },
	{ "provision", cmd_provision, cmd_provision_options, "plan.json",
	    "write libvirt domains, a virt-install script and an Ansible "
	    "inventory for a plan" },
	{ "report", cmd_report, cmd_report_options,
	    "plan.json hosts.csv [samples.csv ...]",
	    "report cost, power, cooling, space and CO2 before and after "
	    "a plan" },
	{ "compare", cmd_compare, cmd_compare_options,
	    "hosts.csv plan.json ...",
	    "show plans side by side: hosts, cost, payback, power, racks, "
	    "CO2, risk and what differs" },
	{ "validate", cmd_validate, cmd_validate_options,
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

/* an option as the usage shows it: "-o file", "--exact" */
static void
option_text(char *buf, size_t size, const struct cmd_option *o)
{
	if (o->key < CMD_LONG_ONLY)
		snprintf(buf, size, "-%c%s%s", o->key, o->arg != NULL ? " " :
		    "", o->arg != NULL ? o->arg : "");
	else
		snprintf(buf, size, "--%s%s%s", o->name, o->arg != NULL ?
		    " " : "", o->arg != NULL ? o->arg : "");
}

void
command_usage(FILE *fp, const char *name)
{
	const struct command *c = command_find(name);
	const struct cmd_option *o;
	char buf[128];

	assert(c != NULL);
	fprintf(fp, "usage: capplan %s", c->name);
	for (o = c->options; o->key != 0; o++) {
		if (o->key == CMD_OR)
			continue;
		option_text(buf, sizeof(buf), o);
		/* "[a | b]": options that exclude each other */
		fprintf(fp, "%s%s%s", o > c->options && o[-1].key == CMD_OR ?
		    " | " : " [", buf, o[1].key == CMD_OR ? "" : "]");
	}
	fprintf(fp, "%s%s\n", *c->operands != '\0' ? " " : "", c->operands);
}

/* one line of the listing: the option, then its help from column 27 */
static void
help_line(FILE *fp, const char *opt, const char *help)
{
	if (strlen(opt) <= 21)
		fprintf(fp, "    %-22s %s\n", opt, help);
	else
		fprintf(fp, "    %s\n%27s%s\n", opt, "", help);
}

void
command_help(FILE *fp, const char *name)
{
	const struct command *c = command_find(name);
	const struct cmd_option *o;
	char buf[128], line[160];

	command_usage(fp, name);
	fputc('\n', fp);
	for (o = c->options; o->key != 0; o++) {
		if (o->key == CMD_OR)
			continue;
		option_text(buf, sizeof(buf), o);
		if (o->key < CMD_LONG_ONLY && o->name != NULL)
			snprintf(line, sizeof(line), "-%c, --%s%s%s", o->key,
			    o->name, o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		else
			snprintf(line, sizeof(line), "%s%s", o->key <
			    CMD_LONG_ONLY ? "" : "    ", buf);
		help_line(fp, line, o->help);
	}
	help_line(fp, "-h, --help", "print this help");
}

void
command_getopt_init(struct cmd_getopt *g, const char *name)
{
	const struct cmd_option *o;
	size_t ns = 0, nl = 0;

	memset(g, 0, sizeof(*g));
	g->cmd = command_find(name);
	assert(g->cmd != NULL);
	for (o = g->cmd->options; o->key != 0; o++) {
		/* room for each, and -h is every command's own */
		assert(o - g->cmd->options < CMD_OPTIONS_MAX && o->key != 'h');
		if (o->key == CMD_OR)
			continue;
		if (o->key < CMD_LONG_ONLY) {
			g->shorts[ns++] = (char)o->key;
			if (o->arg != NULL)
				g->shorts[ns++] = ':';
		}
		if (o->name != NULL)
			g->longs[nl++] = (struct option){ o->name, o->arg !=
			    NULL ? required_argument : no_argument, NULL,
			    o->key };
	}
	g->shorts[ns++] = 'h';
	g->shorts[ns] = '\0';
	g->longs[nl] = (struct option){ "help", no_argument, NULL, 'h' };
}

int
command_getopt(struct cmd_getopt *g, int argc, char **argv)
{
	int ch = getopt_long(argc, argv, g->shorts, g->longs, NULL);

	if (ch == 'h') {
		command_help(stdout, g->cmd->name);
		g->status = EXIT_OK;
		return CMD_DONE;
	}
	if (ch == '?' || ch == ':') {
		command_usage(stderr, g->cmd->name);
		g->status = EXIT_USAGE;
		return CMD_DONE;
	}
	return ch;
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

const struct cmd_option cmd_help_options[] = {
	{ 0, NULL, NULL, NULL },
};

int
cmd_help(int argc, char **argv)
{
	const struct command *c;
	struct cmd_getopt g;
	int ch;

	command_getopt_init(&g, "help");
	while ((ch = command_getopt(&g, argc, argv)) != -1)
		if (ch == CMD_DONE)
			return g.status;
	if (argc - optind > 1)
		return command_misuse("help", "too many operands");
	if (optind == argc) {
		list_commands(stdout);
		return EXIT_OK;
	}
	c = command_find(argv[optind]);
	if (c == NULL)
		return command_misuse("help", "unknown command '%s'",
		    argv[optind]);
	command_help(stdout, c->name);
	printf("\n%s.\nSee capplan-%s(1).\n", c->summary, c->name);
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
