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

#include <stdio.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* the SYNOPSIS after "capplan <name> " */
	const char *summary;	/* the man page's one-line .Nd */
};

/* "usage: capplan <name> <usage>" to fp */
void command_usage(FILE *fp, const char *name);
/* Print "capplan <name>: <reason>" and the usage to stderr; returns 2. */
int command_misuse(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "capplan <name>: <last error>" to stderr; returns 1. */
int command_fail(const char *name);
/* Print "capplan <name>: warning: ..." to stderr. */
void command_warn(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_help(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_provision(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif
