/*
 * chromium_run.h - the one place capplan runs Chromium: headless, to
 * print an HTML file of ours to PDF.
 */
#ifndef REPORTS_CHROMIUM_RUN_H
#define REPORTS_CHROMIUM_RUN_H

/*
 * Print the HTML file html (an absolute path) to the PDF file pdf with
 * headless Chromium ("chromium", else "chromium-browser", found on PATH
 * by posix_spawnp(): no shell), its profile in dir/profile (dir must be
 * a private temporary directory; the caller removes it) and its output
 * in dir/chromium.log.  Killed after 120 s.  Returns 0 when pdf was
 * written; -1 with ERROR_BACKEND otherwise: Chromium not installed (the
 * message says what to install or use instead), failed or timed out.
 */
int chromium_print_pdf(const char *html, const char *pdf, const char *dir);

#endif
