/*
 * formats.c - the table of report formats (sysstat sadf's -f): one row
 * per format, one fmt_<name>.c file each.  A format with a gnuplot
 * terminal gets charts rendered in it; its writer embeds or links them.
 */
#include <string.h>

#include "common/strbuf.h"

#include "reports/report.h"

const struct report_format report_formats[] = {
	{ "html", "html", "one self-contained HTML file, charts inline as SVG",
	    "svg", "svg", fmt_html_write },
	{ "markdown", "md", "Markdown, charts as PNG files beside it",
	    "pngcairo", "png", fmt_markdown_write },
	{ "csv", "csv", "every figure as one CSV table (capplan-report,1)",
	    NULL, NULL, fmt_csv_write },
	{ "xlsx", "xlsx", "a workbook, every table a sheet (libxlsxwriter)",
	    NULL, NULL, fmt_xlsx_write },
	{ "pdf", "pdf", "the HTML report printed to PDF by headless Chromium",
	    "svg", "svg", fmt_pdf_write },
	{ "summary", "html", "one page: the headline, the cost table, its chart",
	    "svg", "svg", fmt_summary_write },
	{ "summary-pdf", "pdf", "that page as PDF (headless Chromium)",
	    "svg", "svg", fmt_summary_pdf_write },
};

const size_t report_nformats =
    sizeof(report_formats) / sizeof(report_formats[0]);

const struct report_format *
report_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < report_nformats; i++)
		if (strcmp(report_formats[i].name, name) == 0)
			return &report_formats[i];
	return NULL;
}

void
report_formats_list(struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < report_nformats; i++)
		strbuf_addf(sb, "%s%s", i > 0 ? ", " : "",
		    report_formats[i].name);
}
