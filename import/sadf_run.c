/*
 * sadf_run.c - spawn sysstat's sadf on a binary saDD file, without a
 * shell.
 *
 * posix_spawnp() with a fixed argument vector: "sadf", "-d", the file
 * (as "./name" when it would start with '-', so it cannot be read as an
 * option), "--" and the activities of sar that capplan import sysstat
 * reads (CPU with the per-CPU rows, memory with kbslab, swap, swapping,
 * paging, I/O, disks, network interfaces, pressure, CPU clock).  An
 * activity the file does not hold is left out by sadf without a word.
 * The child's environment is LC_ALL=C (numbers with '.') and PATH only;
 * sadf -d prints UTC times unless asked for -t.  Its standard output goes
 * to a temporary file, its standard error to another, whose last line
 * becomes the message when sadf fails (sysstat says "Invalid system
 * activity file" or names the format version it cannot read).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "import/sadf_run.h"
#include "common/unpack.h"

static const char *const activities[] = { "-u", "-P", "ALL", "-r", "ALL",
    "-S", "-W", "-B", "-b", "-d", "-n", "DEV", "-q", "ALL", "-m", "CPU" };
#define NACT (sizeof(activities) / sizeof(activities[0]))

bool
sadf_is_binary(const char *path)
{
	unsigned char b[2];
	FILE *fp = fopen(path, "rb");
	bool yes;

	if (fp == NULL)
		return false;
	yes = fread(b, 1, 2, fp) == 2 && ((b[0] == 0x96 && b[1] == 0xd5) ||
	    (b[0] == 0xd5 && b[1] == 0x96));
	fclose(fp);
	return yes;
}

/*
 * What sadf said on stderr, its lines joined by "; ", with the file name
 * it was given (a temporary file when the input was compressed) put back
 * as the user named it: sysstat explains a file of another version over
 * several lines, ending with the "sadf -c" that converts it.
 */
static void
sadf_said(const char *errpath, const char *given, const char *name,
    struct strbuf *sb)
{
	char line[512], *at, *p;
	FILE *fp = fopen(errpath, "r");

	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL &&
	    sb->len < 1000) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if (sb->len > 0)
			strbuf_addstr(sb, "; ");
		for (p = line; (at = strstr(p, given)) != NULL;
		    p = at + strlen(given)) {
			strbuf_add(sb, p, (size_t)(at - p));
			strbuf_addstr(sb, name);
		}
		strbuf_addstr(sb, p);
	}
	if (fp != NULL)
		fclose(fp);
	if (sb->len == 0)
		strbuf_addstr(sb, "it said nothing on stderr");
}

static int
wait_sadf(pid_t pid, const char *given, const char *name,
    const char *errpath)
{
	struct strbuf why = STRBUF_INIT;
	int status, ret = 0;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return error_set_errno(ERROR_BACKEND, "cannot wait for "
			    "sadf on '%s'", name);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	sadf_said(errpath, given, name, &why);
	if (WIFSIGNALED(status))
		ret = error_set(ERROR_BACKEND, "sadf reading '%s' was killed "
		    "by signal %d", name, WTERMSIG(status));
	else
		ret = error_set(ERROR_BACKEND, "'%s': sadf cannot read it "
		    "(exit %d): %s", name, WEXITSTATUS(status), why.buf);
	strbuf_release(&why);
	return ret;
}

/* the argument vector; file is owned by the caller */
static void
args_make(char **args, char *file)
{
	size_t i;

	args[0] = (char *)(uintptr_t)"sadf";
	args[1] = (char *)(uintptr_t)"-d";
	args[2] = file;
	args[3] = (char *)(uintptr_t)"--";
	for (i = 0; i < NACT; i++)
		args[4 + i] = (char *)(uintptr_t)activities[i];
	args[4 + NACT] = NULL;
}

static int
spawn(const char *path, const char *name, const char *out,
    const char *errpath)
{
	posix_spawn_file_actions_t fa;
	struct strbuf file = STRBUF_INIT, env_path = STRBUF_INIT;
	char *args[4 + NACT + 1], *envp[3];
	const char *p = getenv("PATH");
	pid_t pid;
	int rc;

	strbuf_addf(&file, "%s%s", path[0] == '-' ? "./" : "", path);
	strbuf_addf(&env_path, "PATH=%s", p != NULL ? p : "/usr/bin:/bin");
	args_make(args, file.buf);
	envp[0] = (char *)(uintptr_t)"LC_ALL=C";
	envp[1] = env_path.buf;
	envp[2] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_TRUNC, 0);
	posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_TRUNC,
	    0);
	rc = posix_spawnp(&pid, "sadf", &fa, NULL, args, envp);
	posix_spawn_file_actions_destroy(&fa);
	strbuf_release(&file);
	strbuf_release(&env_path);
	if (rc != 0) {
		errno = rc;
		return error_set_errno(ERROR_BACKEND, "'%s' is a binary sysstat "
		    "file and sadf cannot be run to read it (install sysstat)",
		    name);
	}
	return wait_sadf(pid, path, name, errpath);
}

int
sadf_run(const char *path, const char *name, char **out)
{
	char *errpath = NULL;
	int fd, ret = -1;

	*out = NULL;
	if ((fd = unpack_temp("capplan-sadf", out)) == -1)
		return -1;
	close(fd);
	if ((fd = unpack_temp("capplan-sadf-err", &errpath)) == -1)
		goto out;
	close(fd);
	ret = spawn(path, name, *out, errpath);
out:
	if (errpath != NULL)
		unlink(errpath);
	free(errpath);
	if (ret == -1 && *out != NULL) {
		unlink(*out);
		free(*out);
		*out = NULL;
	}
	return ret;
}
