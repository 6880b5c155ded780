/*
 * cmds.h - the command table of capplan and the helpers every cmd_* uses.
 *
 * Each command is one cmd_<name>() in its module's folder and one row in
 * capplan.c's commands[] (git's builtin table).  Only cmd_* functions see
 * argv, write to stdout and stderr and choose exit codes; they print an
 * error recorded below them once, as "capplan <cmd>: <message>".
 */
#ifndef CMDS_H
#define CMDS_H

#include <getopt.h>
#include <stdio.h>

/*
 * One option of a command.  A command's table of these is all there is:
 * command_getopt() parses by it, and the usage line and the -h listing
 * are printed from it, so parser, usage and help cannot disagree (and
 * tests/cli/doc-vs-help.sh holds the man page to them).  The table ends
 * with a row whose key is 0; -h and --help are every command's own.
 */
struct cmd_option {
	int key;		/* the short letter; above 255 a long option only */
	const char *name;	/* the long name, or NULL */
	const char *arg;	/* the argument as the usage names it; NULL: a flag */
	const char *help;	/* one line for -h: what, and the default */
};

#define CMD_LONG_ONLY 256	/* first key of a long-only option */
#define CMD_OR (-1)		/* a row between two options that exclude
				 * each other: the usage shows "[a | b]" */
#define CMD_OPTIONS_MAX 24

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct cmd_option *options;
	const char *operands;	/* the SYNOPSIS after the options */
	const char *summary;	/* the man page's one-line .Nd */
};

/*
 * The one option-parsing convention of every cmd_*.c: a parse_args() that
 * loops on command_getopt() and returns CMD_RUN when the command is to
 * run, else the exit status to end with (after -h, EXIT_OK; after a
 * misuse, printed, EXIT_USAGE):
 *
 *	command_getopt_init(&g, "plan");
 *	while ((ch = command_getopt(&g, argc, argv)) != -1) {
 *		switch (ch) {
 *		case 'o': a->out = optarg; break;
 *		case CMD_DONE: return g.status;
 *		}
 *	}
 *	...
 *	return CMD_RUN;
 */
#define CMD_RUN (-100)		/* parse_args(): run the command */
#define CMD_DONE (-2)		/* command_getopt(): end with g.status */

struct cmd_getopt {
	const struct command *cmd;
	char shorts[2 * CMD_OPTIONS_MAX + 2];
	struct option longs[CMD_OPTIONS_MAX + 2];
	int status;		/* the exit status, after CMD_DONE */
};

/* Ready g to parse the options of the command named name. */
void command_getopt_init(struct cmd_getopt *g, const char *name);
/*
 * The next option, as getopt_long() gives it: its key, with optarg set,
 * or -1 after the last.  -h and --help print the help to stdout, and an
 * unknown option or a missing argument is told on stderr (by getopt) with
 * the usage line: both return CMD_DONE with g->status set.
 */
int command_getopt(struct cmd_getopt *g, int argc, char **argv);

/* "usage: capplan <name> [options] <operands>" to fp */
void command_usage(FILE *fp, const char *name);
/* The usage line, then every option on a line of its own, to fp. */
void command_help(FILE *fp, const char *name);
/* Print "capplan <name>: <reason>" and the usage to stderr; returns 2. */
int command_misuse(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "capplan <name>: <last error>" to stderr; returns 1. */
int command_fail(const char *name);
/* Print "capplan <name>: warning: ..." to stderr. */
void command_warn(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* each command's option table, beside its parser */
extern const struct cmd_option cmd_help_options[];
extern const struct cmd_option cmd_inspect_options[];
extern const struct cmd_option cmd_import_options[];
extern const struct cmd_option cmd_profile_options[];
extern const struct cmd_option cmd_whatif_options[];
extern const struct cmd_option cmd_plan_options[];
extern const struct cmd_option cmd_provision_options[];
extern const struct cmd_option cmd_report_options[];
extern const struct cmd_option cmd_compare_options[];
extern const struct cmd_option cmd_validate_options[];
extern const struct cmd_option cmd_backtest_options[];

int cmd_help(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_provision(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_backtest(int argc, char **argv);

#endif
