/*
 * emit.c - writing a report of any kind: the charts into a folder beside
 * the output (or a temporary one, removed, for standard output), then the
 * tables through the chosen format, atomically (common/ofile.h).  capplan
 * report and capplan compare differ only in the charts and tables they
 * build, which they pass in as two functions.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "reports/charts.h"
#include "reports/emit.h"
#include "reports/rtable.h"

/* "out/report.html" -> "out/report-charts"; made if missing */
static char *
charts_dir_make(const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');

	if (dot != NULL && (slash == NULL || dot > slash + 1))
		strbuf_add(&sb, out, (size_t)(dot - out));
	else
		strbuf_addstr(&sb, out);
	strbuf_addstr(&sb, "-charts");
	if (mkdir(sb.buf, 0777) == -1 && errno != EEXIST) {
		error_set_errno(ERROR_IO, "cannot make '%s'", sb.buf);
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static char *
charts_dir_temp(void)
{
	struct strbuf sb = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");

	strbuf_addf(&sb, "%s/capplan-report.XXXXXX", tmp != NULL && *tmp ?
	    tmp : "/tmp");
	if (mkdtemp(sb.buf) == NULL) {
		error_set_errno(ERROR_IO, "cannot make '%s'", sb.buf);
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* remove what charts_write() made in a temporary directory, and it */
static void
charts_dir_remove(const struct report_charts *c, const char *dir)
{
	static const char *const ext[] = { "gp", "dat", "gp.log", "svg",
	    "png" };
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;

	for (i = 0; i < c->ncharts; i++)
		for (k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s/%s.%s", dir, c->charts[i].name,
			    ext[k]);
			(void)unlink(sb.buf);
		}
	(void)rmdir(dir);
	strbuf_release(&sb);
}

int
report_job_run(const struct report_job *j)
{
	const struct report_format *f = j->f;
	struct report_charts c;
	struct rtables ts;
	struct ofile *of = NULL;
	/* stdout, a device, FIFO or socket: no chart folder beside it */
	bool to_stdout = !ofile_target_is_file(j->out);
	char *dir = NULL;
	int ret = -1;

	memset(&c, 0, sizeof(c));
	memset(&ts, 0, sizeof(ts));
	/* -n to standard output: scripts in a removed directory are no use */
	if (f->term != NULL && !(to_stdout && !j->render)) {
		dir = to_stdout ? charts_dir_temp() : charts_dir_make(j->out);
		if (dir == NULL || j->charts(&c, j->arg, f, dir, j->render) ==
		    -1)
			goto out;
	}
	j->tables(&ts, j->arg, f->term != NULL ? &c : NULL);
	of = ofile_open(j->out);
	if (of == NULL)
		goto out;
	if (f->write(&ts, f->term != NULL ? &c : NULL, of->fp, j->out) == -1)
		goto out;
	ret = ofile_commit(of);
	of = NULL;
out:
	ofile_abort(of);
	if (dir != NULL && to_stdout)
		charts_dir_remove(&c, dir);
	charts_release(&c);
	rtables_release(&ts);
	free(dir);
	return ret;
}

