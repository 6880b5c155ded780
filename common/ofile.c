/*
 * ofile.c - atomic output through a temporary file and rename(2), and
 * direct output to what must not be replaced.
 *
 * The temporary file is made with mkstemp() in the target's directory
 * (rename is atomic only within one file system) and named after the
 * target, so a crash leaves an obvious "report.html.tmp-XXXXXX".  What
 * the target is decides how it is written (target_open()): only a
 * regular file, or a name not yet taken, goes through rename.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/error.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#define OFILE_STDOUT (-2)	/* target_open(): write through stdout */

static void
ofile_free(struct ofile *of)
{
	free(of->path);
	free(of->dest);
	free(of->tmp);
	free(of);
}

/* the descriptor of ours that is the file st describes, or -1 */
static int
fd_of_file(const struct stat *st)
{
	struct stat fst;
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	if (max < 0 || max > 4096)
		max = 4096;
	for (fd = 0; fd < max; fd++)
		if (fstat(fd, &fst) == 0 && fst.st_dev == st->st_dev &&
		    fst.st_ino == st->st_ino)
			return fd;
	return -1;
}

/* is st our standard output? */
static bool
is_stdout(const struct stat *st)
{
	struct stat fst;

	return fstat(STDOUT_FILENO, &fst) == 0 && fst.st_dev == st->st_dev &&
	    fst.st_ino == st->st_ino;
}

/* a copy of the descriptor of ours that is st, or -1 (errno 0 if none) */
static int
fd_dup_of_file(const char *path, const struct stat *st)
{
	int fd = fd_of_file(st);

	errno = 0;
	if (fd == -1)
		return -1;
	if ((fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return error_set_errno(ERROR_IO, "cannot write to '%s'", path);
	return fd;
}

/*
 * /dev/stdout, /dev/fd/N and the like name a descriptor we hold: written
 * through it, a file opened by the shell with '>>' is appended to, and
 * one opened with '>' is not replaced behind the shell's back
 */
static bool
names_descriptor(const char *path)
{
	return strcmp(path, "/dev/stdout") == 0 ||
	    strcmp(path, "/dev/stderr") == 0 ||
	    strncmp(path, "/dev/fd/", 8) == 0 ||
	    strncmp(path, "/proc/self/fd/", 14) == 0;
}

/* a descriptor for writing to the socket st at path, or -1 with ERROR_IO */
static int
socket_open(const char *path, const struct stat *st)
{
	struct sockaddr_un sa;
	int fd;

	if ((fd = fd_dup_of_file(path, st)) != -1 || errno != 0)
		return fd;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return error_set(ERROR_IO, "cannot connect to socket '%s': "
		    "its name is too long", path);
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return error_set_errno(ERROR_IO, "cannot connect to socket "
		    "'%s'", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		error_set_errno(ERROR_IO, "cannot connect to socket '%s'", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* a descriptor for writing straight to the device, FIFO or socket */
static int
direct_open(const char *path, const struct stat *st)
{
	int fd;

	if (S_ISSOCK(st->st_mode))
		return socket_open(path, st);
	/* a FIFO without a reader waits for one, as a shell's '>' does */
	fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	return fd;
}

static const char *
kind_refused(mode_t mode)
{
	if (S_ISDIR(mode))
		return "it is a directory";
	if (S_ISBLK(mode))
		return "it is a block device";
	return "it is not a regular file, character device, FIFO or socket";
}

/* the temporary beside dest, made with the mode a new file would get */
static int
tmp_open(struct ofile *of, const struct stat *old)
{
	struct strbuf sb = STRBUF_INIT;
	mode_t um;
	int fd;

	strbuf_addf(&sb, "%s.tmp-XXXXXX", of->dest);
	of->tmp = strbuf_detach(&sb);
	fd = mkstemp(of->tmp);
	if (fd == -1) {
		free(of->tmp);
		of->tmp = NULL;
		return error_set_errno(ERROR_IO, "cannot create '%s'",
		    of->path);
	}
	um = umask(0);
	umask(um);
	/* mkstemp makes 0600; an existing file keeps its mode */
	(void)fchmod(fd, old != NULL ? old->st_mode & 07777 : 0666 & ~um);
	return fd;
}

/*
 * Open of->path as what it is: set of->dest and of->tmp for a regular
 * file or a new name, or open it directly.  A descriptor, OFILE_STDOUT,
 * or -1.
 */
static int
target_open(struct ofile *of)
{
	struct stat st, lst;
	char real[PATH_MAX];
	int fd;

	if (stat(of->path, &st) == -1) {
		if (errno != ENOENT)
			return error_set_errno(ERROR_IO, "cannot create '%s'",
			    of->path);
		of->dest = xstrdup(of->path);
		return tmp_open(of, NULL);
	}
	/* our own stdout (-o /dev/stdout, or a device or pipe that stdout
	 * is): written through stdout itself, so what the command prints
	 * there stays in order with it */
	if ((!S_ISREG(st.st_mode) || names_descriptor(of->path)) &&
	    is_stdout(&st))
		return OFILE_STDOUT;
	if (S_ISREG(st.st_mode) && names_descriptor(of->path)) {
		of->close_fp = true;
		if ((fd = fd_dup_of_file(of->path, &st)) != -1 || errno != 0)
			return fd;
	}
	if (S_ISREG(st.st_mode)) {
		/* through a symbolic link to the file it names: the link
		 * stays a link */
		if (lstat(of->path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
		    realpath(of->path, real) != NULL)
			of->dest = xstrdup(real);
		else
			of->dest = xstrdup(of->path);
		return tmp_open(of, &st);
	}
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode)) {
		of->close_fp = true;
		return direct_open(of->path, &st);
	}
	return error_set(ERROR_IO, "cannot write '%s': %s", of->path,
	    kind_refused(st.st_mode));
}

struct ofile *
ofile_open(const char *path)
{
	struct ofile *of = xcalloc(1, sizeof(*of));
	int fd;

	of->path = xstrdup(path);
	if (strcmp(path, "-") == 0) {
		of->fp = stdout;
		return of;
	}
	if ((fd = target_open(of)) == -1) {
		ofile_free(of);
		return NULL;
	}
	if (fd == OFILE_STDOUT) {
		of->fp = stdout;
		return of;
	}
	of->fp = fdopen(fd, "w");
	if (of->fp == NULL) {
		error_set_errno(ERROR_IO, "cannot open '%s'", path);
		close(fd);
		if (of->tmp != NULL)
			unlink(of->tmp);
		ofile_free(of);
		return NULL;
	}
	return of;
}

bool
ofile_target_is_file(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return false;
	if (stat(path, &st) == -1)
		return true;
	return S_ISREG(st.st_mode) && !names_descriptor(path);
}

/* flush a direct target and close it when it is ours; frees of */
static int
direct_commit(struct ofile *of)
{
	int ret = ofile_finish(of);

	if (of->fp != NULL && of->close_fp && fclose(of->fp) != 0 && ret == 0)
		ret = error_set_errno(ERROR_IO, "cannot write '%s'", of->path);
	ofile_free(of);
	return ret;
}

int
ofile_commit(struct ofile *of)
{
	int ret = -1;

	if (of->tmp == NULL)
		return direct_commit(of);
	/* a failed finish has recorded why and may leave of->fp open */
	if (of->fp == NULL || ofile_finish(of) == 0) {
		if (rename(of->tmp, of->dest) == 0)
			ret = 0;
		else
			error_set_errno(ERROR_IO, "cannot rename '%s' to '%s'",
			    of->tmp, of->dest);
	}
	if (ret == -1) {
		if (of->fp != NULL)
			fclose(of->fp);
		unlink(of->tmp);
	}
	ofile_free(of);
	return ret;
}

int
ofile_finish(struct ofile *of)
{
	int bad;

	if (of->tmp == NULL) {
		if (of->fp == NULL)
			return 0;
		if (fflush(of->fp) == 0 && !ferror(of->fp))
			return 0;
		return of->fp == stdout ?
		    error_set_errno(ERROR_IO, "cannot write to stdout") :
		    error_set_errno(ERROR_IO, "cannot write '%s'", of->path);
	}
	if (fflush(of->fp) != 0 || ferror(of->fp) || fsync(fileno(of->fp)))
		return error_set_errno(ERROR_IO, "cannot write '%s'",
		    of->path);
	bad = fclose(of->fp);
	of->fp = NULL;
	if (bad != 0)
		return error_set_errno(ERROR_IO, "cannot write '%s'",
		    of->path);
	return 0;
}

void
ofile_abort(struct ofile *of)
{
	if (of == NULL)
		return;
	if (of->tmp != NULL) {
		if (of->fp != NULL)
			fclose(of->fp);
		unlink(of->tmp);
	} else if (of->fp != NULL && of->close_fp) {
		fclose(of->fp);
	}
	ofile_free(of);
}

int
ofile_write_all(const char *path, const void *buf, size_t len)
{
	struct ofile *of = ofile_open(path);

	if (of == NULL)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, of->fp) != len) {
		error_set_errno(ERROR_IO, "cannot write '%s'", path);
		ofile_abort(of);
		return -1;
	}
	return ofile_commit(of);
}
