/*
 * gnuplot_run.c - spawn gnuplot on one chart script, without a shell.
 *
 * posix_spawnp() with an argument vector of two fixed words and a file
 * name we made ("host-003.gp"), so no host name can reach a command line;
 * the names inside the script are escaped by escape_gnuplot().  The child
 * changes to the charts directory itself (glibc's
 * posix_spawn_file_actions_addchdir_np, 2.29 and later) so the scripts
 * name their .dat files relatively and run the same way when a user
 * re-runs them by hand.
 */
#define _GNU_SOURCE		/* posix_spawn_file_actions_addchdir_np */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "reports/gnuplot_run.h"

extern char **environ;

/*
 * What gnuplot said on stderr, for the error message: its last line that
 * says something (gnuplot ends with '"x.gp" line 5: what is wrong'), and
 * the command it points at with '^', when there is one.  The first line
 * alone was often blank: "gnuplot failed ... (exit 1): " with no reason.
 */
static void
log_reason(const char *dir, const char *log, char *buf, size_t size)
{
	struct strbuf path = STRBUF_INIT;
	char line[512], cmd[512] = "", prev[512] = "";
	FILE *fp;

	buf[0] = '\0';
	strbuf_addf(&path, "%s/%s", dir, log);
	fp = fopen(path.buf, "r");
	strbuf_release(&path);
	if (fp == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if (line[strspn(line, " \t^")] == '\0') {	/* the caret */
			snprintf(cmd, sizeof(cmd), "%s", prev);
			continue;
		}
		snprintf(prev, sizeof(prev), "%s", line + strspn(line, " \t"));
	}
	fclose(fp);
	if (cmd[0] != '\0' && strcmp(cmd, prev) != 0)
		snprintf(buf, size, "%s (at: %s)", prev, cmd);
	else
		snprintf(buf, size, "%s", prev[0] != '\0' ? prev :
		    "it wrote nothing on stderr");
}

/* a run that said nothing leaves no log behind */
static void
log_remove_empty(const char *dir, const char *log)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;

	strbuf_addf(&path, "%s/%s", dir, log);
	if (stat(path.buf, &st) == 0 && st.st_size == 0)
		(void)unlink(path.buf);
	strbuf_release(&path);
}

static int
wait_child(pid_t pid, const char *dir, const char *script, const char *log)
{
	char line[1100];
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return error_set_errno(ERROR_BACKEND,
			    "cannot wait for gnuplot on '%s'", script);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		log_remove_empty(dir, log);
		return 0;
	}
	log_reason(dir, log, line, sizeof(line));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return error_set(ERROR_BACKEND, "cannot run gnuplot in '%s' "
		    "(install gnuplot-nox, or use -n): %s", dir, line);
	if (WIFSIGNALED(status))
		return error_set(ERROR_BACKEND, "gnuplot on '%s/%s' was killed "
		    "by signal %d", dir, script, WTERMSIG(status));
	return error_set(ERROR_BACKEND, "gnuplot failed on '%s/%s' (exit %d): "
	    "%s", dir, script, WEXITSTATUS(status), line);
}

int
gnuplot_run(const char *dir, const char *script)
{
	posix_spawn_file_actions_t fa;
	struct strbuf log = STRBUF_INIT;
	char *child_argv[3];
	pid_t pid;
	int rc, ret = -1;

	strbuf_addf(&log, "%s.log", script);
	child_argv[0] = (char *)(uintptr_t)"gnuplot";
	child_argv[1] = (char *)(uintptr_t)script;
	child_argv[2] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, log.buf,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, child_argv, environ);
	if (rc != 0) {
		errno = rc;
		error_set_errno(ERROR_BACKEND, "cannot run gnuplot (install "
		    "gnuplot-nox, or use -n)");
		goto out;
	}
	ret = wait_child(pid, dir, script, log.buf);
out:
	posix_spawn_file_actions_destroy(&fa);
	strbuf_release(&log);
	return ret;
}
