/*
 * ofile.c - atomic output through a temporary file and rename(2).
 *
 * The temporary file is made with mkstemp() in the target's directory
 * (rename is atomic only within one file system) and named after the
 * target, so a crash leaves an obvious "report.html.tmp-XXXXXX".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

static void
ofile_free(struct ofile *of)
{
	free(of->path);
	free(of->tmp);
	free(of);
}

struct ofile *
ofile_open(const char *path)
{
	struct ofile *of = xcalloc(1, sizeof(*of));
	struct strbuf sb = STRBUF_INIT;
	mode_t um;
	int fd;

	of->path = xstrdup(path);
	if (strcmp(path, "-") == 0) {
		of->fp = stdout;
		return of;
	}
	strbuf_addf(&sb, "%s.tmp-XXXXXX", path);
	of->tmp = strbuf_detach(&sb);
	fd = mkstemp(of->tmp);
	if (fd == -1) {
		error_set_errno(ERROR_IO, "cannot create '%s'", path);
		ofile_free(of);
		return NULL;
	}
	um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);	/* mkstemp makes 0600 */
	of->fp = fdopen(fd, "w");
	if (of->fp == NULL) {
		error_set_errno(ERROR_IO, "cannot open '%s'", of->tmp);
		close(fd);
		unlink(of->tmp);
		ofile_free(of);
		return NULL;
	}
	return of;
}

int
ofile_commit(struct ofile *of)
{
	int ret = -1;

	if (of->tmp == NULL) {
		if (fflush(of->fp) != 0 || ferror(of->fp))
			error_set_errno(ERROR_IO, "cannot write to stdout");
		else
			ret = 0;
		ofile_free(of);
		return ret;
	}
	/* a failed finish has recorded why and may leave of->fp open */
	if (of->fp == NULL || ofile_finish(of) == 0) {
		if (rename(of->tmp, of->path) == 0)
			ret = 0;
		else
			error_set_errno(ERROR_IO, "cannot rename '%s' to '%s'",
			    of->tmp, of->path);
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

	if (of->tmp == NULL)
		return fflush(of->fp) != 0 || ferror(of->fp) ?
		    error_set_errno(ERROR_IO, "cannot write to stdout") : 0;
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
