/*
 * chromium_run.c - headless Chromium's print-to-PDF, without a shell.
 *
 * posix_spawnp() with an argument vector of fixed words and paths we
 * made (a temporary directory's), never a name from the data; the page
 * is our own HTML, which holds no script.  The profile is a fresh folder
 * in that directory, so nothing of the user's browser is read or
 * changed, and the network features Chromium starts on its own are
 * turned off.  Chromium refuses to run as root without --no-sandbox, so
 * root gets it (the page is ours and has no script); others keep the
 * sandbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "reports/chromium_run.h"

extern char **environ;

#define CHROMIUM_TIMEOUT_S 120

static const char *const browsers[] = { "chromium", "chromium-browser" };

/* wait for pid at most CHROMIUM_TIMEOUT_S; its status, or -1 killed */
static int
wait_timeout(pid_t pid, int *status)
{
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	int i;
	pid_t r;

	for (i = 0; i < CHROMIUM_TIMEOUT_S * 10; i++) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
	return -1;
}

static int
spawn_one(const char *browser, char **child_argv, const char *log,
    pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT |
	    O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	child_argv[0] = (char *)(uintptr_t)browser;
	rc = posix_spawnp(pid, browser, &fa, NULL, child_argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* spawn the first browser that exists; -1 with the error set */
static int
spawn_browser(char **child_argv, const char *log, pid_t *pid)
{
	size_t i;
	int rc = ENOENT;

	for (i = 0; i < sizeof(browsers) / sizeof(browsers[0]); i++) {
		rc = spawn_one(browsers[i], child_argv, log, pid);
		if (rc == 0)
			return 0;
		if (rc != ENOENT)
			break;
	}
	if (rc == ENOENT)
		return error_set(ERROR_BACKEND, "PDF needs Chromium, and neither "
		    "chromium nor chromium-browser is on PATH: install Debian's "
		    "chromium, or write -f html and print it from a browser");
	errno = rc;
	return error_set_errno(ERROR_BACKEND, "cannot run Chromium");
}

/* the last line of the log that says something, into buf */
static void
log_last(const char *log, char *buf, size_t size)
{
	char line[512];
	FILE *fp = fopen(log, "r");

	snprintf(buf, size, "it said nothing");
	if (fp == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] != '\0')
			snprintf(buf, size, "%s", line);
	}
	fclose(fp);
}

int
chromium_print_pdf(const char *html, const char *pdf, const char *dir)
{
	struct strbuf prof = STRBUF_INIT, out = STRBUF_INIT, url = STRBUF_INIT,
	    log = STRBUF_INIT;
	char *child_argv[16], why[512];
	struct stat st;
	int n = 1, status = 0, ret = -1;
	pid_t pid;

	strbuf_addf(&prof, "--user-data-dir=%s/profile", dir);
	strbuf_addf(&out, "--print-to-pdf=%s", pdf);
	strbuf_addf(&url, "file://%s", html);
	strbuf_addf(&log, "%s/chromium.log", dir);
	child_argv[n++] = (char *)(uintptr_t)"--headless";
	if (geteuid() == 0)
		child_argv[n++] = (char *)(uintptr_t)"--no-sandbox";
	child_argv[n++] = (char *)(uintptr_t)"--disable-gpu";
	child_argv[n++] = (char *)(uintptr_t)"--no-first-run";
	child_argv[n++] = (char *)(uintptr_t)"--disable-background-networking";
	child_argv[n++] = (char *)(uintptr_t)"--disable-component-update";
	child_argv[n++] = (char *)(uintptr_t)"--disable-sync";
	child_argv[n++] = (char *)(uintptr_t)"--disable-extensions";
	child_argv[n++] = (char *)(uintptr_t)"--no-pdf-header-footer";
	child_argv[n++] = prof.buf;
	child_argv[n++] = out.buf;
	child_argv[n++] = url.buf;
	child_argv[n] = NULL;
	(void)unlink(pdf);
	if (spawn_browser(child_argv, log.buf, &pid) == -1)
		goto out;
	if (wait_timeout(pid, &status) == -1) {
		error_set(ERROR_BACKEND, "Chromium did not print '%s' within %d "
		    "s; it was stopped", html, CHROMIUM_TIMEOUT_S);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    stat(pdf, &st) == -1 || st.st_size == 0) {
		log_last(log.buf, why, sizeof(why));
		error_set(ERROR_BACKEND, "Chromium did not print '%s' to PDF "
		    "(exit %d): %s", html, WIFEXITED(status) ?
		    WEXITSTATUS(status) : -1, why);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&prof);
	strbuf_release(&out);
	strbuf_release(&url);
	strbuf_release(&log);
	return ret;
}
