/*
 * fmt_pdf.c - the report, or its one-page summary, as PDF: the HTML of
 * fmt_html.c (every table unfolded, charts inline as SVG, the A4 print
 * style sheet) printed by headless Chromium (chromium_run.c) in a private
 * temporary directory, then copied to the output and the directory
 * removed.  Where Chromium is not installed the command fails with a
 * message saying so and what to use instead; nothing is written.
 */
#define _XOPEN_SOURCE 700	/* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "reports/chromium_run.h"
#include "reports/report_int.h"
#include "reports/rtable.h"

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* copy the file at path to fp; -1 with ERROR_IO */
static int
pdf_copy(const char *path, FILE *fp, const char *name)
{
	char buf[65536];
	FILE *in = fopen(path, "rb");
	size_t n;
	int ret = 0;

	if (in == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	while (ret == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			ret = error_set_errno(ERROR_IO, "cannot write '%s'",
			    name);
	fclose(in);
	return ret;
}

/* the HTML into dir/report.html */
static int
html_file(const struct rtables *ts, const struct report_charts *c,
    const char *path, enum html_mode mode)
{
	FILE *fp = fopen(path, "w");
	int ret;

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot create '%s'", path);
	ret = html_write(ts, c, fp, path, mode);
	if (fclose(fp) != 0 && ret == 0)
		ret = error_set_errno(ERROR_IO, "cannot write '%s'", path);
	return ret;
}

static int
pdf_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name, enum html_mode mode)
{
	struct strbuf dir = STRBUF_INIT, html = STRBUF_INIT, pdf = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int ret = -1;

	strbuf_addf(&dir, "%s/capplan-pdf.XXXXXX", tmp != NULL && *tmp == '/' ?
	    tmp : "/tmp");
	if (mkdtemp(dir.buf) == NULL) {
		error_set_errno(ERROR_IO, "cannot make '%s'", dir.buf);
		strbuf_release(&dir);
		return -1;
	}
	strbuf_addf(&html, "%s/report.html", dir.buf);
	strbuf_addf(&pdf, "%s/report.pdf", dir.buf);
	if (html_file(ts, c, html.buf, mode) == 0 &&
	    chromium_print_pdf(html.buf, pdf.buf, dir.buf) == 0)
		ret = pdf_copy(pdf.buf, fp, name);
	(void)nftw(dir.buf, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	strbuf_release(&dir);
	strbuf_release(&html);
	strbuf_release(&pdf);
	return ret;
}

int
fmt_pdf_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	return pdf_write(ts, c, fp, name, HTML_PRINT);
}

int
fmt_summary_pdf_write(const struct rtables *ts, const struct report_charts *c,
    FILE *fp, const char *name)
{
	return pdf_write(ts, c, fp, name, HTML_SUMMARY);
}
