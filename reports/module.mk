# reports/: capplan report (cost, power, cooling, space, CO2, charts) in
# the formats of formats.c.  Uses common/, model/cost.h and planner/plan.h;
# gnuplot is run (posix_spawnp, no shell) from gnuplot_run.c only.
REPORTS_SRC = reports/report.c reports/usage.c reports/assume.c \
	reports/tables.c reports/tables_waves.c reports/rtable.c \
	reports/emit.c reports/escape.c reports/charts.c \
	reports/gnuplot_run.c reports/formats.c reports/fmt_html.c \
	reports/fmt_markdown.c reports/fmt_csv.c reports/fmt_xlsx.c \
	reports/fmt_pdf.c reports/chromium_run.c reports/compare.c \
	reports/cmd_report.c reports/cmd_compare.c
$(eval $(call module_lib,reports,$(REPORTS_SRC)))
ANALYST_LIBS += $(B)/libreports.a
# the xlsx format (fmt_xlsx.c): Debian's libxlsxwriter, in reports/ only
XLSX_CFLAGS := $(shell $(PKG_CONFIG) --cflags xlsxwriter 2>/dev/null)
XLSX_LIBS := $(shell $(PKG_CONFIG) --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)
$(B)/reports/fmt_xlsx.o: EXTRA_CFLAGS = $(XLSX_CFLAGS)
EXT_LIBS += $(XLSX_LIBS)

REPORTS_UNIT = report_escape report
UNIT_TESTS += $(REPORTS_UNIT:%=$(B)/tests/unit/test_%)

# hostile names in every format with the real gnuplot; the HTML report in
# headless Chromium (screenshots kept in tests/out/)
CHECK_SCRIPTS += tests/cli/report-names.sh tests/cli/report-gnuplot.sh \
	tests/cli/compare.sh tests/cli/report-xlsx.sh tests/cli/report-pdf.sh \
	tests/cli/report-chromium.sh

# bench/report: capplan report on a generated plan of 10,000 guests
BENCH_TOOLS += $(B)/bench/gen-plan
BENCH_SCRIPTS += bench/report
$(B)/bench/gen-plan: $(B)/bench/gen-plan.o $(ANALYST_LIBS) $(LIBANALYST) \
	$(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_ANALYST)
